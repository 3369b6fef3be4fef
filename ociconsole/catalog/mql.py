"""A client-side syntax check of the Monitoring Query Language (MQL), for inline errors in the
console before a query is sent (OCI answers a bad query with a 400 naming the column).

It follows OCI's grammar (https://docs.oracle.com/iaas/Content/Monitoring/Reference/mql.htm)::

    query      := and ( '||' and )*
    and        := unary ( '&&' unary )*
    unary      := '(' query ')' | metric
    metric     := Name '[' interval ']' [ '{' filter (',' filter)* '}' ] ( '.' function '(' args ')' )+ [ predicate ]
    filter     := dimension ( '=' | '=~' | '!=' | '!~' ) value      value: "quoted" (\\" escapes) or bare
    function   := grouping() | groupBy(dim, ...) | mean() | avg() | sum() | count() | max() | min()
                  | rate() | increment() | percentile(p) | absent([period])
    predicate  := ( '>' | '>=' | '<' | '<=' | '==' | '!=' ) number
                  | 'in' '(' low ',' high ')' | 'not' 'in' '(' low ',' high ')'

The messages and 1-based columns are the ones the embedded emulator's parser gives (the tests
check both on the same cases); the catalog may not import the emulator, so this is its own
small parser. Nothing is evaluated here.

- `check(text)` -> None or an `MqlError` (message, column);
- `check_alarm(text)` also asks for a trigger rule (a predicate or `absent()`), as alarms do;
- `parse(text)` -> the leaves (`Leaf`: metric, interval, filters, statistic, groupings,
  predicate and where each starts), e.g. to show the current value of an alarm's query
  without its predicate (`without_predicates`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

STATISTICS = ("mean", "avg", "sum", "count", "max", "min", "rate", "increment", "percentile", "absent")
GROUPINGS = ("grouping", "groupBy")
MINUTE, HOUR, DAY = 60, 3600, 86400


class MqlError(ValueError):
    """A query that does not parse; `column` is 1-based."""

    def __init__(self, message: str, column: int, query: str = ""):
        super().__init__(message)
        self.message = message
        self.column = column
        self.query = query

    def __str__(self) -> str:
        return f"Invalid query at column {self.column}: {self.message}"

    def caret(self) -> str:
        """The query's line with a caret under the column (for monospace display)."""
        text = self.query.replace("\n", " ")
        return f"{text}\n{' ' * (self.column - 1)}^"


_DUR_RE = re.compile(r"(\d+)([mhd])\Z")


def interval_seconds(text: str) -> int | None:
    """Seconds of an MQL interval or resolution (1m-60m, 1h-24h, 1d); None if not valid."""
    m = _DUR_RE.match(text.strip())
    if not m:
        return None
    n, unit = int(m.group(1)), m.group(2)
    if unit == "m" and 1 <= n <= 60:
        return n * MINUTE
    if unit == "h" and 1 <= n <= 24:
        return n * HOUR
    if unit == "d" and n == 1:
        return DAY
    return None


def period_seconds(text: str) -> int | None:
    """Seconds of an absence detection period (1m to 3d); None if not valid."""
    m = _DUR_RE.match(text.strip())
    if not m:
        return None
    secs = int(m.group(1)) * {"m": MINUTE, "h": HOUR, "d": DAY}[m.group(2)]
    return secs if MINUTE <= secs <= 3 * DAY else None


@dataclass
class Filter:
    key: str
    op: str  # = =~ != !~
    value: str
    column: int


@dataclass
class Leaf:
    """One metric query of an expression, with the offsets (0-based) of its text."""

    metric: str
    interval: int
    interval_text: str
    filters: list[Filter] = field(default_factory=list)
    stat: str = ""
    stat_arg: float | None = None
    pre_group: tuple[str, ...] | None = None
    post_group: tuple[str, ...] | None = None
    predicate: tuple | None = None  # (op, a) or ("in"/"notin", a, b)
    start: int = 0  # where the metric name starts
    predicate_start: int | None = None  # where the predicate starts
    end: int = 0  # after the last character of the leaf (predicate included)


@dataclass
class _Join:
    op: str
    left: object
    right: object


_NAME_CHARS = re.compile(r"[A-Za-z][A-Za-z0-9_.$-]*")
_FUNC_CHARS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIM_KEY = re.compile(r"""[^\s=!~,{}()"\[\]]+""")
_BARE_VALUE = re.compile(r"""[^\s,{}"]+""")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_DURATION = re.compile(r"\d+[a-zA-Z]+")
_ARG = re.compile(r"[A-Za-z0-9_.$+-]+")
_FOUND = re.compile(r"[A-Za-z0-9_.$-]+|\S")


def parse(text: str) -> list[Leaf]:
    """The leaves of an MQL expression (left to right), or MqlError pointing at the problem."""
    if not isinstance(text, str):
        raise MqlError("the query must be a string", 1, "")
    p = _Parser(text)
    p.parse()
    return p.leaves


def check(text) -> MqlError | None:
    """None when `text` parses, else the error (never raises)."""
    try:
        parse(text)
    except MqlError as e:
        return e
    except Exception as e:  # noqa: BLE001 - a checker bug must not break the form
        return MqlError(f"cannot check this query ({type(e).__name__})", 1, text if isinstance(text, str) else "")
    return None


def check_alarm(text) -> MqlError | None:
    """As `check`, and every metric query needs a trigger rule (a predicate or absent())."""
    try:
        leaves = parse(text)
    except MqlError as e:
        return e
    except Exception as e:  # noqa: BLE001
        return MqlError(f"cannot check this query ({type(e).__name__})", 1, text if isinstance(text, str) else "")
    for q in leaves:
        if q.predicate is None and q.stat != "absent":
            return MqlError(f"an alarm query needs a trigger rule: a predicate such as '> 80' or 'in (60, 80)', "
                            f"or the absent() statistic (missing after '{q.metric}[...]...{q.stat}()')",
                            q.end + 1, text)
    return None


def without_predicates(text: str) -> list[str]:
    """Each metric query of `text` without its predicate ("the current value" of an alarm's query)."""
    out = []
    for q in parse(text):
        stop = q.predicate_start if q.predicate_start is not None else q.end
        out.append(text[q.start:stop].strip())
    return out


class _Parser:
    def __init__(self, text: str):
        self.s = text
        self.i = 0
        self.leaves: list[Leaf] = []

    # -------------------------------------------------------- helpers
    def fail(self, message: str, at: int | None = None):
        raise MqlError(message, (self.i if at is None else at) + 1, self.s)

    def ws(self) -> None:
        while self.i < len(self.s) and self.s[self.i].isspace():
            self.i += 1

    def at_end(self) -> bool:
        self.ws()
        return self.i >= len(self.s)

    def found(self) -> str:
        if self.i >= len(self.s):
            return "the end of the query"
        m = _FOUND.match(self.s, self.i)
        return f"'{m.group(0)[:30]}'" if m else f"'{self.s[self.i]}'"

    def peek(self, lit: str) -> bool:
        self.ws()
        return self.s.startswith(lit, self.i)

    def take(self, lit: str) -> bool:
        if self.peek(lit):
            self.i += len(lit)
            return True
        return False

    def expect(self, lit: str, what: str) -> None:
        if not self.take(lit):
            self.fail(f"expected '{lit}' {what}, found {self.found()}")

    def keyword(self, word: str) -> bool:
        self.ws()
        if self.s.startswith(word, self.i):
            end = self.i + len(word)
            if end >= len(self.s) or not (self.s[end].isalnum() or self.s[end] == "_"):
                self.i = end
                return True
        return False

    def regex(self, rx: re.Pattern) -> str | None:
        self.ws()
        m = rx.match(self.s, self.i)
        if not m:
            return None
        self.i = m.end()
        return m.group(0)

    # -------------------------------------------------------- grammar
    def parse(self):
        if self.at_end():
            self.fail("the query is empty; expected a metric name, as in CpuUtilization[1m].mean()")
        node = self.expr()
        if not self.at_end():
            self.fail(f"expected '&&', '||' or the end of the query, found {self.found()}")
        return node

    def expr(self):
        node = self.conj()
        while self.take("||"):
            node = _Join("||", node, self.conj())
        return node

    def conj(self):
        node = self.unary()
        while self.take("&&"):
            node = _Join("&&", node, self.unary())
        return node

    def unary(self):
        if self.take("("):
            node = self.expr()
            self.expect(")", "to close the parenthesis")
            return node
        return self.metric()

    def metric(self) -> Leaf:
        self.ws()
        start = self.i
        name = self.regex(_NAME_CHARS)
        if name is None:
            self.fail(f"expected a metric name (a letter, then letters, digits, '.', '_', '-' or '$'), "
                      f"found {self.found()}")
        interval = interval_text = None
        filters: list[Filter] | None = None
        while True:
            if self.peek("["):
                if interval is not None:
                    self.fail("the interval is given twice")
                interval, interval_text = self.interval()
            elif self.peek("{"):
                if filters is not None:
                    self.fail("the dimension filters are given twice")
                filters = self.filters()
            else:
                break
        if interval is None:
            self.fail(f"expected '[' and an interval such as [1m] after the metric name '{name}', "
                      f"found {self.found()}")
        q = Leaf(metric=name, interval=interval, interval_text=interval_text, filters=filters or [], start=start)
        self.chain(q)
        self.predicate(q)
        q.end = self.i
        self.leaves.append(q)
        return q

    def interval(self) -> tuple[int, str]:
        self.take("[")
        self.ws()
        at = self.i
        text = self.regex(_DURATION)
        if text is None:
            self.fail(f"expected an interval such as 1m, 5m, 1h or 1d, found {self.found()}")
        secs = interval_seconds(text)
        if secs is None:
            self.fail(f"the interval '{text}' is not valid; use 1m-60m, 1h-24h or 1d", at)
        self.expect("]", "after the interval")
        return secs, text

    def filters(self) -> list[Filter]:
        self.take("{")
        out: list[Filter] = []
        if self.take("}"):
            return out
        while True:
            self.ws()
            at = self.i
            key = self.regex(_DIM_KEY)
            if key is None:
                self.fail(f"expected a dimension name, found {self.found()}")
            self.ws()
            op = next((o for o in ("=~", "!~", "!=", "=") if self.s.startswith(o, self.i)), None)
            if op is None:
                self.fail(f"expected '=', '=~', '!=' or '!~' after the dimension '{key}', found {self.found()}")
            self.i += len(op)
            if self.s.startswith("=", self.i) and op == "=":
                self.fail("expected a dimension value after '=' ('==' is for predicates)")
            value = self.dim_value()
            out.append(Filter(key, op, value, at + 1))
            if self.take(","):
                continue
            self.expect("}", "or ',' after the dimension value")
            return out

    def dim_value(self) -> str:
        self.ws()
        if self.s.startswith('"', self.i):
            start = self.i
            self.i += 1
            buf = []
            while self.i < len(self.s):
                ch = self.s[self.i]
                if ch == "\\" and self.i + 1 < len(self.s):
                    buf.append(self.s[self.i + 1])
                    self.i += 2
                    continue
                if ch == '"':
                    self.i += 1
                    return "".join(buf)
                buf.append(ch)
                self.i += 1
            self.fail("the quoted dimension value is not closed (missing '\"')", start)
        value = self.regex(_BARE_VALUE)
        if value is None:
            self.fail(f"expected a dimension value (\"quoted\" or bare), found {self.found()}")
        return value  # type: ignore[return-value]

    def chain(self, q: Leaf) -> None:
        seen_any = False
        while self.take("."):
            seen_any = True
            self.ws()
            at = self.i
            fname = self.regex(_FUNC_CHARS)
            if fname is None:
                self.fail(f"expected a statistic or grouping function after '.', found {self.found()}")
            if fname not in STATISTICS and fname not in GROUPINGS:
                self.fail(f"unknown function '{fname}'; expected one of "
                          f"{', '.join(f + '()' for f in STATISTICS + GROUPINGS)}", at)
            self.expect("(", f"after '{fname}'")
            args = self.args()
            self.function(q, fname, args, at)
        if not q.stat:
            hint = "" if seen_any else " after the interval and dimensions"
            self.fail(f"expected a statistic{hint}, such as .mean(), .max() or .percentile(0.9); "
                      f"found {self.found()}")

    def args(self) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        if self.take(")"):
            return out
        while True:
            self.ws()
            at = self.i
            if self.s.startswith('"', self.i):
                val = self.dim_value()
            else:
                val = self.regex(_ARG)
                if val is None:
                    self.fail(f"expected an argument, found {self.found()}")
            out.append((val, at))  # type: ignore[arg-type]
            if self.take(","):
                continue
            self.expect(")", "or ',' after the argument")
            return out

    def function(self, q: Leaf, fname: str, args: list[tuple[str, int]], at: int) -> None:
        if fname in GROUPINGS:
            if fname == "grouping" and args:
                self.fail("grouping() takes no arguments", args[0][1])
            if fname == "groupBy" and not args:
                self.fail("groupBy() needs at least one dimension name, as in groupBy(availabilityDomain)", at)
            dims = tuple(a for a, _ in args) if fname == "groupBy" else ()
            if not q.stat:
                if q.pre_group is not None:
                    self.fail(f"only one grouping function may come before the statistic; found a second: "
                              f"{fname}()", at)
                q.pre_group = dims
            else:
                if q.post_group is not None:
                    self.fail(f"only one grouping function may follow the statistic; found a second: {fname}()",
                              at)
                q.post_group = dims
            return
        if q.stat:
            self.fail(f"the query already has the statistic {q.stat}(); found a second: {fname}()", at)
        if fname == "percentile":
            if len(args) != 1:
                self.fail("percentile() takes one argument, the percentile between 0 and 1, as in percentile(0.9)",
                          args[1][1] if len(args) > 1 else at)
            try:
                p = float(args[0][0])
            except ValueError:
                self.fail(f"percentile(): '{args[0][0]}' is not a number; use a value between 0 and 1, "
                          "as in percentile(0.9)", args[0][1])
            if not 0.0 < p < 1.0:
                self.fail(f"percentile(): {args[0][0]} is out of range; use a value between 0 and 1 (exclusive), "
                          "as in percentile(0.99)", args[0][1])
            q.stat, q.stat_arg = fname, p
            return
        if fname == "absent":
            if len(args) > 1:
                self.fail("absent() takes at most one argument, the absence detection period (1m to 3d)", args[1][1])
            period: float = 2 * HOUR
            if args:
                secs = period_seconds(args[0][0])
                if secs is None:
                    self.fail(f"absent(): '{args[0][0]}' is not a valid absence detection period; use 1m to 3d, "
                              "as in absent(20m) or absent(2h)", args[0][1])
                period = secs  # type: ignore[assignment]
            q.stat, q.stat_arg = fname, float(period)
            return
        if args:
            self.fail(f"{fname}() takes no arguments", args[0][1])
        q.stat = "mean" if fname == "avg" else fname

    def predicate(self, q: Leaf) -> None:
        self.ws()
        at = self.i
        if self.keyword("not"):
            if not self.keyword("in"):
                self.fail(f"expected 'in' after 'not', found {self.found()}")
            q.predicate = self.range("notin", at)
            q.predicate_start = at
            return
        if self.keyword("in"):
            q.predicate = self.range("in", at)
            q.predicate_start = at
            return
        op = next((o for o in (">=", "<=", "==", "!=", ">", "<") if self.s.startswith(o, self.i)), None)
        if op is None:
            if self.s.startswith("=", self.i):
                self.fail("expected a comparison: use '==' to compare for equality")
            return
        self.i += len(op)
        q.predicate = (op, self.number(f"after '{op}'"))
        q.predicate_start = at

    def range(self, op: str, at: int) -> tuple:
        self.expect("(", "to start the range, as in in (60, 80)")
        a = self.number("as the low end of the range")
        self.expect(",", "between the low and high ends of the range")
        b = self.number("as the high end of the range")
        self.expect(")", "to close the range")
        if a > b:
            self.fail(f"the range ({a:g}, {b:g}) is empty: the low end is greater than the high end", at)
        return (op, a, b)

    def number(self, where: str) -> float:
        self.ws()
        at = self.i
        tok = self.regex(_NUMBER)
        if tok is None:
            self.fail(f"expected a number {where}, found {self.found()}")
        v = float(tok)  # type: ignore[arg-type]
        if not math.isfinite(v):
            self.fail(f"the number '{tok}' is not finite", at)
        return v
