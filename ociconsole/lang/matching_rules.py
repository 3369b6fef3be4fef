"""The syntax of IAM dynamic-group matching rules: parser, syntax tree, errors with their position.
Shared by the emulator (emulator/services/identity.py refuses a bad rule with a 400) and the console
(catalog/identity.py checks the rule in the create form before it is sent); nothing is evaluated here.

OCI's grammar ("Writing Matching Rules to Define Dynamic Groups")::

    rule       := condition | group
    group      := ( 'ANY' | 'ALL' ) '{' item ( ',' item )* '}'        (keywords in any case)
    item       := condition | group                                  (groups nest, as the Console's
                                                                      "Match any rule" writes them)
    condition  := variable ( '=' | '!=' ) value
                | 'tag.' ns '.' key '.value'                         (the tag is present, any value)
    value      := 'single-quoted' | "double-quoted"

variables: `instance.id`, `instance.compartment.id`, `resource.id`, `resource.type`,
`resource.compartment.id`, `tag.<namespace>.<key>.value`. The `.id` variables take OCIDs
(`ocid1.<type>...`); `resource.type` takes a resource type name (`fnfunc`, `apigateway`, ...).

`parse(text)` -> the tree (`Condition` leaves under `Group`s) or `RuleError` (1-based `position`);
`conditions(node)` -> the conditions left to right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ID_VARIABLES = ("instance.id", "instance.compartment.id", "resource.id", "resource.compartment.id")
VARIABLES = (*ID_VARIABLES, "resource.type")
MAX_NESTING = 4
MAX_CONDITIONS = 50
_TAG_VAR = re.compile(r"^tag\.([^.\s]+)\.([^.\s]+)\.value$", re.I)
_OCID = re.compile(r"^ocid1\.[a-z0-9]+\.[a-z0-9-]*\.[a-z0-9-]*\.[A-Za-z0-9._-]+$")
_RESOURCE_TYPE = re.compile(r"^[a-z][a-z0-9_-]{0,99}$")
_TOKEN = re.compile(r"""\s*(?:(?P<str>'[^']*'|"[^"]*")|(?P<op>!=|=)|(?P<punct>[{},])"""
                    r"""|(?P<word>[^\s{},='"!]+)|(?P<bad>\S))""")


class RuleError(ValueError):
    """A matching rule that OCI refuses; `position` is 1-based."""

    def __init__(self, message: str, position: int):
        super().__init__(f"{message} at position {position}")
        self.message = message
        self.position = position


@dataclass
class Condition:
    variable: str  # as written, e.g. "instance.compartment.id" or "tag.Operations.Owner.value"
    op: str | None  # "=", "!=" or None (a bare tag condition)
    value: str | None  # without its quotes
    position: int

    @property
    def tag(self) -> tuple[str, str] | None:
        m = _TAG_VAR.match(self.variable)
        return (m.group(1), m.group(2)) if m else None


@dataclass
class Group:
    mode: str  # "ANY" or "ALL"
    items: list[Condition | Group] = field(default_factory=list)
    position: int = 1


@dataclass
class _Tok:
    kind: str
    text: str
    pos: int


def _tokens(text: str) -> list[_Tok]:
    out, i = [], 0
    while i < len(text):
        m = _TOKEN.match(text, i)
        if m is None or m.end() == i:  # only trailing blanks are left
            break
        kind = m.lastgroup or "bad"
        start = m.start(kind) + 1
        if kind == "bad":
            raise RuleError(f"unexpected character '{m.group(kind)}'", start)
        if kind == "str" and len(m.group(kind)) < 2:
            raise RuleError("unterminated string", start)
        out.append(_Tok(kind, m.group(kind), start))
        i = m.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        pos = _unterminated(text)
        if pos:
            raise RuleError("unterminated string (a value is quoted 'like this')", pos)
        self.toks = _tokens(text)
        self.i = 0
        self.count = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def end_pos(self) -> int:
        return len(self.text.rstrip()) + 1

    def take(self) -> _Tok:
        t = self.peek()
        if t is None:
            raise RuleError("the rule ends too early", self.end_pos())
        self.i += 1
        return t

    def parse(self) -> Condition | Group:
        if not self.toks:
            raise RuleError("the matching rule is empty", 1)
        node = self.item(0)
        t = self.peek()
        if t is not None:
            raise RuleError(f"unexpected '{t.text}' after the end of the rule", t.pos)
        return node

    def item(self, depth: int) -> Condition | Group:
        t = self.take()
        if t.kind == "word" and t.text.upper() in ("ANY", "ALL"):
            nxt = self.peek()
            if nxt is not None and nxt.text == "{":
                return self.group(t, depth)
            raise RuleError(f"expected '{{' after {t.text.upper()}", nxt.pos if nxt else self.end_pos())
        if t.kind == "word":
            return self.condition(t)
        if t.text == "{":
            raise RuleError("a '{' must follow ANY or ALL", t.pos)
        raise RuleError(f"expected a condition (e.g. instance.compartment.id = 'ocid1...'), got '{t.text}'", t.pos)

    def group(self, kw: _Tok, depth: int) -> Group:
        if depth + 1 > MAX_NESTING:
            raise RuleError(f"ANY/ALL groups nest at most {MAX_NESTING} levels", kw.pos)
        self.take()  # '{'
        g = Group(kw.text.upper(), [], kw.pos)
        while True:
            t = self.peek()
            if t is not None and t.text == "}" and not g.items:
                raise RuleError(f"{g.mode} {{}} needs at least one condition", t.pos)
            g.items.append(self.item(depth + 1))
            t = self.take()
            if t.text == ",":
                continue
            if t.text == "}":
                return g
            raise RuleError(f"expected ',' or '}}', got '{t.text}'", t.pos)

    def condition(self, var: _Tok) -> Condition:
        self.count += 1
        if self.count > MAX_CONDITIONS:
            raise RuleError(f"a matching rule has at most {MAX_CONDITIONS} conditions", var.pos)
        name = var.text
        low = name.lower()
        is_tag = _TAG_VAR.match(name) is not None
        if not is_tag and low not in VARIABLES:
            if low.startswith("tag."):
                raise RuleError(f"'{name}': a tag variable is written tag.<namespace>.<key>.value", var.pos)
            raise RuleError(f"unknown variable '{name}' (expected instance.id, instance.compartment.id, "
                            "resource.id, resource.type, resource.compartment.id or tag.<namespace>.<key>.value)",
                            var.pos)
        nxt = self.peek()
        if is_tag and (nxt is None or nxt.text in (",", "}")):
            return Condition(name, None, None, var.pos)
        op = self.take()
        if op.kind != "op":
            raise RuleError(f"expected '=' or '!=' after {name}, got '{op.text}'", op.pos)
        val = self.take()
        if val.kind != "str":
            raise RuleError(f"the value of {name} must be quoted, e.g. '{val.text}'" if val.kind == "word"
                            else f"expected a quoted value after '{op.text}', got '{val.text}'", val.pos)
        value = val.text[1:-1]
        if low in ID_VARIABLES and not _OCID.match(value):
            raise RuleError(f"{name} takes an OCID (ocid1.<type>...), got '{value[:60]}'", val.pos)
        if low == "resource.type" and not _RESOURCE_TYPE.match(value):
            raise RuleError(f"resource.type takes a resource type name such as 'fnfunc', got '{value[:60]}'",
                            val.pos)
        if is_tag and not value:
            raise RuleError(f"the value of {name} is empty", val.pos)
        return Condition(name, op.text, value, var.pos)


def _unterminated(text: str) -> int:
    inside, start = None, 0
    for i, ch in enumerate(text):
        if inside is None and ch in "'\"":
            inside, start = ch, i
        elif ch == inside:
            inside = None
    return start + 1 if inside else 0


def parse(text: str) -> Condition | Group:
    """The syntax tree of a matching rule, or RuleError naming the 1-based position of the problem."""
    if not isinstance(text, str):
        raise RuleError("the matching rule must be text", 1)
    return _Parser(text).parse()


def conditions(node: Condition | Group) -> list[Condition]:
    if isinstance(node, Condition):
        return [node]
    return [c for item in node.items for c in conditions(item)]


def check(text: str) -> str | None:
    """The problem with `text` as a message (for a form field), or None when it is a valid rule."""
    try:
        parse(text)
    except RuleError as e:
        return str(e)
    return None
