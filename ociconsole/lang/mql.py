"""The syntax of the Monitoring Query Language (MQL): tokens, parser, syntax tree and the error
messages with their 1-based columns. Shared by the emulator (emulator/mql.py evaluates the tree)
and the console (catalog/mql.py checks queries before they are sent); nothing is evaluated here.

OCI's grammar (https://docs.oracle.com/iaas/Content/Monitoring/Reference/mql.htm)::

    query      := and ( '||' and )*
    and        := unary ( '&&' unary )*
    unary      := '(' query ')' | metric
    metric     := Name '[' interval ']' [ '{' filter (',' filter)* '}' ] ( '.' function '(' args ')' )+ [ predicate ]
                  (the dimension block may also come before the interval)
    filter     := dimension ( '=' | '=~' | '!=' | '!~' ) value      value: "quoted" (\\" escapes) or bare
    function   := grouping() | groupBy(dim, ...) | mean() | avg() | sum() | count() | max() | min()
                  | rate() | increment() | percentile(p) | absent([period])
    predicate  := ( '>' | '>=' | '<' | '<=' | '==' | '!=' ) number
                  | 'in' '(' low ',' high ')' | 'not' 'in' '(' low ',' high ')'

Intervals (and resolutions): 1m-60m, 1h-24h, 1d; an absence period: 1m to 3d (default 2h).
Parentheses nest at most MAX_NESTING (32) levels and a query joins at most MAX_TERMS (64) metric
expressions: the parser (and the emulator's evaluator) are recursive, and a deeper query is
refused (MqlError at its column) long before Python's recursion limit.

`parse(text)` -> the tree (`Query` leaves joined by `Join`) or `MqlError`; `leaves(node)` -> the
metric queries left to right. `Parser.make_filter` / `make_predicate` let a user build its own
leaves' parts (the emulator's filters match values, its predicates filter arrays).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from .scanner import QueryError, Scanner

MINUTE, HOUR, DAY = 60, 3600, 86400
STATISTICS = ("mean", "avg", "sum", "count", "max", "min", "rate", "increment", "percentile", "absent")
GROUPINGS = ("grouping", "groupBy")
DEFAULT_ABSENCE_PERIOD = 2 * HOUR
MAX_NESTING = 32  # parentheses inside parentheses
MAX_TERMS = 64  # metric expressions joined by && / ||


class MqlError(QueryError):
    """A query that does not parse or does not make sense; `column` is 1-based."""


# ---------------------------------------------------------------- durations

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
    """Seconds of an absence detection period (1m to 3d, in m, h or d); None if not valid."""
    m = _DUR_RE.match(text.strip())
    if not m:
        return None
    secs = int(m.group(1)) * {"m": MINUTE, "h": HOUR, "d": DAY}[m.group(2)]
    return secs if MINUTE <= secs <= 3 * DAY else None


# ---------------------------------------------------------------- the syntax tree

@dataclass
class Filter:
    key: str
    op: str  # = =~ != !~
    value: str
    column: int


@dataclass
class Predicate:
    op: str  # > >= < <= == != in notin
    a: float
    b: float | None = None

    def __str__(self) -> str:
        if self.op in ("in", "notin"):
            return f"{'not in' if self.op == 'notin' else 'in'} ({self.a:g}, {self.b:g})"
        return f"{self.op} {self.a:g}"


@dataclass
class Query:
    """One metric query: `Metric[interval]{filters}.grouping.statistic.grouping predicate`, with
    where its text starts and ends (0-based offsets; `column` is the 1-based start)."""

    metric: str
    interval: int  # seconds
    interval_text: str
    filters: list[Any] = field(default_factory=list)  # Filter (or the parser's make_filter)
    stat: str = ""
    stat_arg: float | None = None  # percentile p, or absence period in seconds
    pre_group: tuple[str, ...] | None = None  # () = grouping(); None = none
    post_group: tuple[str, ...] | None = None
    predicate: Any = None  # Predicate (or the parser's make_predicate)
    column: int = 1
    start: int = 0  # where the metric name starts
    predicate_start: int | None = None  # where the predicate starts
    end: int = 0  # after the last character of the query (predicate included)


@dataclass
class Join:
    op: str  # && ||
    left: Any
    right: Any


Node = Query | Join


def leaves(node: Node) -> list[Query]:
    """The metric queries of a tree, left to right."""
    if isinstance(node, Query):
        return [node]
    return leaves(node.left) + leaves(node.right)


def parse(text: str) -> Node:
    """The syntax tree of an MQL expression, or MqlError pointing at the problem."""
    return Parser(text).parse()


# ---------------------------------------------------------------- the parser

_NAME_CHARS = re.compile(r"[A-Za-z][A-Za-z0-9_.$-]*")
_FUNC_CHARS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIM_KEY = re.compile(r"""[^\s=!~,{}()"\[\]]+""")
_BARE_VALUE = re.compile(r"""[^\s,{}"]+""")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_DURATION = re.compile(r"\d+[a-zA-Z]+")
_ARG = re.compile(r"[A-Za-z0-9_.$+-]+")


class Parser(Scanner):
    """Recursive descent over one query text; `parse()` returns the tree or raises MqlError."""

    error = MqlError

    def __init__(self, text: str):
        super().__init__(text)
        self.terms = 0

    # -------------------------------------------------------- what the leaves hold (overridable)
    def make_filter(self, key: str, op: str, value: str, column: int) -> Any:
        return Filter(key, op, value, column)

    def make_predicate(self, op: str, a: float, b: float | None = None) -> Any:
        return Predicate(op, a, b)

    # -------------------------------------------------------- helpers (the rest: lang.scanner)
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
    def parse(self) -> Node:
        if self.at_end():
            self.fail("the query is empty; expected a metric name, as in CpuUtilization[1m].mean()")
        node = self.expr()
        if not self.at_end():
            self.fail(f"expected '&&', '||' or the end of the query, found {self.found()}")
        return node

    def expr(self) -> Node:
        node = self.conj()
        while self.take("||"):
            node = Join("||", node, self.conj())
        return node

    def conj(self) -> Node:
        node = self.unary()
        while self.take("&&"):
            node = Join("&&", node, self.unary())
        return node

    def unary(self) -> Node:
        if self.take("("):
            if self.depth >= MAX_NESTING:
                self.fail(f"parentheses are nested more than {MAX_NESTING} levels deep", self.i - 1)
            self.depth += 1
            node = self.expr()
            self.expect(")", "to close the parenthesis")
            self.depth -= 1
            return node
        self.terms += 1
        if self.terms > MAX_TERMS:
            self.ws()
            self.fail(f"the query joins more than {MAX_TERMS} metric expressions with && and ||")
        return self.metric()

    def metric(self) -> Query:
        self.ws()
        start = self.i
        name = self.regex(_NAME_CHARS)
        if name is None:
            self.fail(f"expected a metric name (a letter, then letters, digits, '.', '_', '-' or '$'), "
                      f"found {self.found()}")
        interval: int | None = None
        interval_text = ""
        filters: list | None = None
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
        q = Query(metric=name, interval=interval, interval_text=interval_text, filters=filters or [],
                  column=start + 1, start=start)
        self.chain(q)
        self.predicate(q)
        q.end = self.i
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

    def filters(self) -> list:
        self.take("{")
        out: list = []
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
            out.append(self.make_filter(key, op, value, at + 1))
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
        return value

    def chain(self, q: Query) -> None:
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
            val: str | None = self.dim_value() if self.s.startswith('"', self.i) else self.regex(_ARG)
            if val is None:
                self.fail(f"expected an argument, found {self.found()}")
            out.append((val, at))
            if self.take(","):
                continue
            self.expect(")", "or ',' after the argument")
            return out

    def function(self, q: Query, fname: str, args: list[tuple[str, int]], at: int) -> None:
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
            period: float = DEFAULT_ABSENCE_PERIOD
            if args:
                secs = period_seconds(args[0][0])
                if secs is None:
                    self.fail(f"absent(): '{args[0][0]}' is not a valid absence detection period; use 1m to 3d, "
                              "as in absent(20m) or absent(2h)", args[0][1])
                period = secs
            q.stat, q.stat_arg = fname, float(period)
            return
        if args:
            self.fail(f"{fname}() takes no arguments", args[0][1])
        q.stat = "mean" if fname == "avg" else fname

    def predicate(self, q: Query) -> None:
        self.ws()
        at = self.i
        if self.keyword("not"):
            if not self.keyword("in"):
                self.fail(f"expected 'in' after 'not', found {self.found()}")
            q.predicate, q.predicate_start = self.range("notin", at), at
            return
        if self.keyword("in"):
            q.predicate, q.predicate_start = self.range("in", at), at
            return
        op = next((o for o in (">=", "<=", "==", "!=", ">", "<") if self.s.startswith(o, self.i)), None)
        if op is None:
            if self.s.startswith("=", self.i):
                self.fail("expected a comparison: use '==' to compare for equality")
            return
        self.i += len(op)
        q.predicate, q.predicate_start = self.make_predicate(op, self.number(f"after '{op}'")), at

    def range(self, op: str, at: int) -> Any:
        self.expect("(", "to start the range, as in in (60, 80)")
        a = self.number("as the low end of the range")
        self.expect(",", "between the low and high ends of the range")
        b = self.number("as the high end of the range")
        self.expect(")", "to close the range")
        if a > b:
            self.fail(f"the range ({a:g}, {b:g}) is empty: the low end is greater than the high end", at)
        return self.make_predicate(op, a, b)

    def number(self, where: str) -> float:
        self.ws()
        at = self.i
        tok = self.regex(_NUMBER)
        if tok is None:
            self.fail(f"expected a number {where}, found {self.found()}")
        v = float(tok)
        if not math.isfinite(v):
            self.fail(f"the number '{tok}' is not finite", at)
        return v
