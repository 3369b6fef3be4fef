"""The syntax of OCI Logging's query language (the Logging Search "advanced mode" and SearchLogs'
`searchQuery`): tokens, parser, syntax tree and error messages with their 1-based columns. Shared by
the emulator (emulator/logquery.py evaluates the tree over log entries) and the console (catalog/logging.py
checks a query inline before it is sent); nothing is evaluated here.

The grammar, after Oracle's "Logging Query Language Specification"
(https://docs.oracle.com/iaas/Content/Logging/Reference/query_language_specification.htm)::

    query     := 'search' stream ( ','? stream )* ( '|' command )*
    stream    := "compartment ( /log group ( /log )? )?"      (OCIDs, or names for the group and log)
    command   := 'where' expr
               | 'sort' 'by' field ( 'asc' | 'desc' )? ( ',' field ( 'asc' | 'desc' )? )*
               | 'summarize' aggregate ( ',' aggregate )* ( 'by' field ( 'as' name )? ( ',' ... )* )?
               | 'count'                                      (the same as: summarize count() as count)
               | 'select' field ( 'as' name )? ( ',' field ( 'as' name )? )*
               | 'limit' integer  |  'head' integer
    aggregate := ( 'count' | 'sum' | 'avg' | 'min' | 'max' ) '(' field? ')' ( 'as' name )?
    expr      := and ( 'or' and )* ;  and := not ( 'and' not )* ;  not := 'not' not | comparison
    comparison:= operand ( ( '=' | '!=' | '<>' | '>' | '>=' | '<' | '<=' ) operand
                         | 'not'? 'like' operand | 'not'? 'in' '(' operand ( ',' operand )* ')' )?
    operand   := 'string' | number | true | false | null | function '(' args ')' | field | '(' expr ')'
    field     := identifier ( '.' identifier )*      identifier: [A-Za-z_$][A-Za-z0-9_$]* or "quoted"
                                                      ("" inside a quoted identifier is one ")

Keywords are case-insensitive. String literals take single quotes ('' inside is one '); a `*` in a
string compared with `=` or `!=` is a wildcard (the console's basic mode writes `logContent='*error*'`),
`like` takes SQL patterns (`%` any run, `_` one character). Scalar functions: lower, upper, length,
trim, substr(s, start[, length]), concat(a, b, ...), contains(s, part), startswith(s, prefix),
endswith(s, suffix). Fields name the log entry's content (`type`, `source`, `subject`, `data.message`,
`oracle.logid`), `datetime` (its time in epoch milliseconds) or `logContent` (the whole entry as text).

`parse(text)` -> `Search` or `LogQueryError` (its `column` is 1-based, `caret()` points at it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .scanner import QueryError, Scanner

MAX_QUERY = 20_000  # characters
MAX_NESTING = 32  # parentheses inside parentheses
AGGREGATES = ("count", "sum", "avg", "min", "max")
FUNCTIONS = {"lower": (1, 1), "upper": (1, 1), "length": (1, 1), "trim": (1, 1), "substr": (2, 3),
             "concat": (1, 32), "contains": (2, 2), "startswith": (2, 2), "endswith": (2, 2)}
COMPARISONS = ("!=", "<>", ">=", "<=", "=", ">", "<")
COMMANDS = ("where", "sort", "summarize", "count", "select", "limit", "head")


class LogQueryError(QueryError):
    """A query that does not parse; `column` is 1-based."""


# ---------------------------------------------------------------- the tree

@dataclass
class Stream:
    compartment: str
    log_group: str | None = None
    log: str | None = None
    column: int = 1

    def __str__(self) -> str:
        return "/".join(p for p in (self.compartment, self.log_group, self.log) if p)


@dataclass
class Field:
    path: tuple[str, ...]
    column: int = 1

    @property
    def name(self) -> str:
        return ".".join(self.path)


@dataclass
class Literal:
    value: Any
    column: int = 1


@dataclass
class Call:
    name: str
    args: list
    column: int = 1


@dataclass
class Compare:
    op: str  # = != > >= < <= like notlike in notin
    left: Any
    right: Any  # an operand, or a list of operands for in / notin
    column: int = 1


@dataclass
class Logical:
    op: str  # and | or | not
    args: list
    column: int = 1


@dataclass
class Where:
    expr: Any


@dataclass
class Sort:
    keys: list[tuple[Field, bool]]  # (field, descending)


@dataclass
class Aggregate:
    fn: str
    field: Field | None
    alias: str

    @property
    def label(self) -> str:
        return self.alias


@dataclass
class Summarize:
    aggregates: list[Aggregate]
    by: list[tuple[Field, str]] = field(default_factory=list)  # (field, output name)


@dataclass
class Select:
    fields: list[tuple[Field, str]]


@dataclass
class Limit:
    n: int


@dataclass
class Search:
    streams: list[Stream]
    commands: list = field(default_factory=list)
    text: str = ""

    @property
    def aggregated(self) -> bool:
        return any(isinstance(c, Summarize) for c in self.commands)


# ---------------------------------------------------------------- the parser

_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def parse(text: str) -> Search:
    return Parser(text).parse()


class Parser(Scanner):
    error = LogQueryError

    def found(self) -> str:
        self.ws()
        return super().found()

    def peek_keyword(self, word: str) -> bool:
        self.ws()
        end = self.i + len(word)
        return (self.s[self.i:end].lower() == word
                and (end >= len(self.s) or not (self.s[end].isalnum() or self.s[end] in "_$")))

    def keyword(self, word: str) -> bool:
        if self.peek_keyword(word):
            self.i += len(word)
            return True
        return False

    # -------------------------------------------------------- grammar
    def parse(self) -> Search:
        if len(self.s) > MAX_QUERY:
            self.fail(f"the query is longer than {MAX_QUERY:,} characters", MAX_QUERY)
        if self.at_end():
            self.fail('the query is empty; it starts with search "<compartment OCID>/<log group>/<log>"')
        if not self.keyword("search"):
            self.fail(f"a query starts with 'search' and the logs to search, found {self.found()}")
        streams = [self.stream()]
        while True:
            if self.take(","):
                streams.append(self.stream())
            elif self.peek('"'):
                streams.append(self.stream())
            else:
                break
        commands = []
        while self.take("|"):
            commands.append(self.command())
        if not self.at_end():
            self.fail(f"expected '|' and a command (where, sort, summarize, count, select, limit) or the end of "
                      f"the query, found {self.found()}")
        return Search(streams, commands, self.s)

    def stream(self) -> Stream:
        self.ws()
        at = self.i
        if not self.peek('"'):
            self.fail(f'expected the logs to search in double quotes, as in "<compartment OCID>/<log group>/<log>", '
                      f"found {self.found()}")
        end = self.s.find('"', self.i + 1)
        if end < 0:
            self.fail("the quoted log stream is not closed", at)
        body = self.s[self.i + 1:end]
        self.i = end + 1
        parts = body.split("/")
        if not body.strip() or len(parts) > 3 or any(not p.strip() for p in parts):
            self.fail('a log stream is "<compartment>", "<compartment>/<log group>" or '
                      f'"<compartment>/<log group>/<log>", not "{body[:60]}"', at)
        parts = [p.strip() for p in parts]
        return Stream(parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None, at + 1)

    def command(self) -> Any:
        self.ws()
        at = self.i
        if self.keyword("where"):
            if self.at_end() or self.peek("|"):
                self.fail("'where' needs a condition, as in where data.statusCode >= 500")
            return Where(self.expr())
        if self.keyword("sort"):
            if not self.keyword("by"):
                self.fail(f"expected 'by' after 'sort', found {self.found()}")
            keys = []
            while True:
                f = self.field()
                desc = False
                if self.keyword("desc"):
                    desc = True
                elif self.keyword("asc"):
                    desc = False
                keys.append((f, desc))
                if not self.take(","):
                    break
            return Sort(keys)
        if self.keyword("summarize"):
            aggs = [self.aggregate()]
            while self.take(","):
                aggs.append(self.aggregate())
            by: list[tuple[Field, str]] = []
            if self.keyword("by"):
                while True:
                    f = self.field()
                    by.append((f, self.alias() or f.name))
                    if not self.take(","):
                        break
            return Summarize(aggs, by)
        if self.keyword("count"):
            return Summarize([Aggregate("count", None, "count")])
        if self.keyword("select"):
            fields = []
            while True:
                f = self.field()
                fields.append((f, self.alias() or f.name))
                if not self.take(","):
                    break
            return Select(fields)
        if self.keyword("limit") or self.keyword("head"):
            self.ws()
            m = re.compile(r"\d+").match(self.s, self.i)
            if not m:
                self.fail(f"expected a number of rows, found {self.found()}")
            self.i = m.end()
            n = int(m.group(0))
            if n < 1:
                self.fail("the number of rows must be at least 1", m.start())
            return Limit(n)
        self.fail(f"expected a command ({', '.join(COMMANDS)}), found {self.found()}", at)

    def alias(self) -> str | None:
        if not self.keyword("as"):
            return None
        self.ws()
        return self.identifier()

    def aggregate(self) -> Aggregate:
        self.ws()
        at = self.i
        m = _IDENT.match(self.s, self.i)
        name = m.group(0).lower() if m else ""
        if name not in AGGREGATES:
            self.fail(f"expected an aggregate function ({', '.join(a + '()' for a in AGGREGATES)}), "
                      f"found {self.found()}", at)
        self.i = m.end()  # type: ignore[union-attr]
        self.expect("(", f"after {name}")
        f = None
        if not self.peek(")"):
            f = self.field()
        self.expect(")", f"to close {name}(")
        if f is None and name != "count":
            self.fail(f"{name}() needs a field, as in {name}(data.bytes)", at)
        return Aggregate(name, f, self.alias() or (name if f is None else f"{name}_{f.name}".replace(".", "_")))

    def identifier(self) -> str:
        self.ws()
        if self.peek('"'):
            start = self.i
            self.i += 1
            out = []
            while True:
                if self.i >= len(self.s):
                    self.fail("the quoted field name is not closed", start)
                ch = self.s[self.i]
                if ch == '"':
                    if self.s.startswith('""', self.i):
                        out.append('"')
                        self.i += 2
                        continue
                    self.i += 1
                    return "".join(out)
                out.append(ch)
                self.i += 1
        m = _IDENT.match(self.s, self.i)
        if not m:
            self.fail(f"expected a field name, found {self.found()}")
        self.i = m.end()
        return m.group(0)

    def field(self) -> Field:
        self.ws()
        at = self.i
        path = [self.identifier()]
        while self.s.startswith(".", self.i):
            self.i += 1
            path.append(self.identifier())
        return Field(tuple(path), at + 1)

    # expressions
    def expr(self) -> Any:
        node = self.conj()
        while self.peek_keyword("or"):
            at = self.i
            self.keyword("or")
            node = Logical("or", [node, self.conj()], at + 1)
        return node

    def conj(self) -> Any:
        node = self.negation()
        while self.peek_keyword("and"):
            at = self.i
            self.keyword("and")
            node = Logical("and", [node, self.negation()], at + 1)
        return node

    def negation(self) -> Any:
        self.ws()
        at = self.i
        if self.peek_keyword("not") and not self._not_like_or_in():
            self.keyword("not")
            return Logical("not", [self.negation()], at + 1)
        return self.comparison()

    def _not_like_or_in(self) -> bool:
        save = self.i
        self.keyword("not")
        ok = self.peek_keyword("like") or self.peek_keyword("in")
        self.i = save
        return ok

    def comparison(self) -> Any:
        left = self.operand()
        self.ws()
        at = self.i
        for op in COMPARISONS:
            if self.take(op):
                return Compare("!=" if op == "<>" else op, left, self.operand(), at + 1)
        negated = False
        if self.peek_keyword("not") and self._not_like_or_in():
            self.keyword("not")
            negated = True
        if self.keyword("like"):
            return Compare("notlike" if negated else "like", left, self.operand(), at + 1)
        if self.keyword("in"):
            self.expect("(", "after in")
            items = [self.operand()]
            while self.take(","):
                items.append(self.operand())
            self.expect(")", "to close the list of in (")
            return Compare("notin" if negated else "in", left, items, at + 1)
        if negated:
            self.fail(f"expected 'like' or 'in' after 'not', found {self.found()}")
        return left

    def operand(self) -> Any:
        self.ws()
        at = self.i
        if self.i >= len(self.s):
            self.fail("expected a value or a field, found the end of the query")
        ch = self.s[self.i]
        if ch == "(":
            if self.depth >= MAX_NESTING:
                self.fail(f"parentheses are nested more than {MAX_NESTING} levels deep")
            self.i += 1
            self.depth += 1
            node = self.expr()
            self.expect(")", "to close the parenthesis")
            self.depth -= 1
            return node
        if ch == "'":
            self.i += 1
            out = []
            while True:
                if self.i >= len(self.s):
                    self.fail("the string is not closed (strings take single quotes)", at)
                c = self.s[self.i]
                if c == "'":
                    if self.s.startswith("''", self.i):
                        out.append("'")
                        self.i += 2
                        continue
                    self.i += 1
                    return Literal("".join(out), at + 1)
                out.append(c)
                self.i += 1
        m = _NUMBER.match(self.s, self.i)
        if m and (ch.isdigit() or ch in "-."):
            self.i = m.end()
            txt = m.group(0)
            return Literal(float(txt) if any(c in txt for c in ".eE") else int(txt), at + 1)
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.keyword(word):
                return Literal(value, at + 1)
        if ch in "|)" or (ch in "=<>!," ):
            self.fail(f"expected a value or a field, found {self.found()}")
        m = _IDENT.match(self.s, self.i)
        if m and m.group(0).lower() in FUNCTIONS and self.s[m.end():].lstrip().startswith("("):
            name = m.group(0).lower()
            self.i = m.end()
            self.expect("(", f"after {name}")
            args = []
            if not self.peek(")"):
                args.append(self.expr())
                while self.take(","):
                    args.append(self.expr())
            self.expect(")", f"to close {name}(")
            lo, hi = FUNCTIONS[name]
            if not lo <= len(args) <= hi:
                want = str(lo) if lo == hi else f"{lo} to {hi}"
                self.fail(f"{name}() takes {want} argument{'s' if hi > 1 else ''}, not {len(args)}", at)
            return Call(name, args, at + 1)
        if m is None and ch != '"':
            self.fail(f"expected a value or a field, found {self.found()}")
        return self.field()
