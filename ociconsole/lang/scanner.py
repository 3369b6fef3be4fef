"""What the character-level query languages share (ociconsole.lang.mql, ociconsole.lang.logging_query): the
error that names its 1-based column with a caret line, and a scanner over one query text (whitespace, literals,
"found …" in messages). Each language's Parser subclasses Scanner and names its own error class."""

from __future__ import annotations

import re
from typing import NoReturn

_FOUND = re.compile(r"[A-Za-z0-9_.$-]+|\S")


class QueryError(ValueError):
    """A query that does not parse or does not make sense; `column` is 1-based."""

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


class Scanner:
    """The position in one query text and the moves every recursive-descent parser here makes."""

    error: type[QueryError] = QueryError

    def __init__(self, text: str):
        if not isinstance(text, str):
            raise self.error("the query must be a string", 1, "")
        self.s = text
        self.i = 0
        self.depth = 0

    def fail(self, message: str, at: int | None = None) -> NoReturn:
        raise self.error(message, (self.i if at is None else at) + 1, self.s)

    def ws(self) -> None:
        while self.i < len(self.s) and self.s[self.i].isspace():
            self.i += 1

    def at_end(self) -> bool:
        self.ws()
        return self.i >= len(self.s)

    def found(self) -> str:
        """What stands at the position, for messages ("'foo'", "the end of the query")."""
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
