"""Resource Search (`/resource_search`, ResourceSearchClient): OCI's structured query language
and free-text search over every resource kind a service declared with `svc.search(...)`.

    query instance resources where lifeCycleState = 'RUNNING'
    query instance, vcn resources where displayName =~ 'web' && compartmentId = 'ocid1...'
    query all resources where freeformTags.key = 'app' && freeformTags.value = 'web'
    query instance resources where timeCreated > '2026-01-01T00:00:00Z' sorted by timeCreated desc

Operators: = != (exact, case-insensitive for lifecycle states), =~ !~ (contains, case-
insensitive), > >= < <= (times and strings), && || and parentheses (nested at most 32 deep, at
most 64 conditions). A bad query is a 400 that points at the position of the problem.
"""

from __future__ import annotations

import re

from ..protocol import ApiError, invalid
from ..registry import Context, Service

svc = Service("resource_search")

_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")|(?P<op>&&|\|\||!=|=~|!~|>=|<=|=|>|<)"
                    r"|(?P<punct>[(),])|(?P<word>[A-Za-z_][\w.\-/]*)|(?P<num>-?\d+(?:\.\d+)?))")


class QueryError(Exception):
    def __init__(self, pos: int, message: str):
        super().__init__(message)
        self.pos = pos


def _tokens(text: str):
    pos = 0
    out = []
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise QueryError(pos, f"unexpected character {text[pos]!r}")
        kind = m.lastgroup
        value = m.group(kind)
        start = m.start(kind)
        if kind == "str":
            value = value[1:-1].replace("\\'", "'").replace('\\"', '"')
        out.append((kind, value, start))
        pos = m.end()
    out.append(("end", "", len(text)))
    return out


MAX_NESTING = 32  # parentheses inside parentheses
MAX_CONDITIONS = 64  # conditions joined by && / || (the parser and the matcher are recursive)


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0
        self.conditions = 0

    def peek(self):
        return self.toks[self.i]

    def take(self):
        t = self.toks[self.i]
        self.i += 1
        return t

    def word(self, expected: str):
        k, v, p = self.take()
        if k != "word" or v.lower() != expected:
            raise QueryError(p, f"expected '{expected}' but found {v!r}" if v else f"expected '{expected}'")

    def parse(self) -> dict:
        self.word("query")
        types = []
        while True:
            k, v, p = self.take()
            if k != "word":
                raise QueryError(p, "expected a resource type (e.g. instance) or 'all'")
            types.append(v.lower())
            if self.peek()[0] == "punct" and self.peek()[1] == ",":
                self.take()
                continue
            break
        self.word("resources")
        cond = None
        sort = None
        k, v, p = self.peek()
        if k == "word" and v.lower() == "where":
            self.take()
            cond = self.or_()
        k, v, p = self.peek()
        if k == "word" and v.lower() == "sorted":
            self.take()
            self.word("by")
            k, field, p = self.take()
            if k != "word":
                raise QueryError(p, "expected a field to sort by")
            order = "asc"
            if self.peek()[0] == "word" and self.peek()[1].lower() in ("asc", "desc"):
                order = self.take()[1].lower()
            sort = (field, order)
        k, v, p = self.peek()
        if k == "word" and v.lower() == "return":
            self.take()
            self.word("alladditionalfields")
        k, v, p = self.peek()
        if k != "end":
            raise QueryError(p, f"unexpected {v!r}")
        return {"types": types, "cond": cond, "sort": sort}

    def or_(self):
        left = self.and_()
        while self.peek()[0] == "op" and self.peek()[1] == "||":
            self.take()
            left = ("or", left, self.and_())
        return left

    def and_(self):
        left = self.unary()
        while self.peek()[0] == "op" and self.peek()[1] == "&&":
            self.take()
            left = ("and", left, self.unary())
        return left

    def unary(self):
        k, v, p = self.peek()
        if k == "punct" and v == "(":
            if self.depth >= MAX_NESTING:
                raise QueryError(p, f"parentheses are nested more than {MAX_NESTING} levels deep")
            self.take()
            self.depth += 1
            inner = self.or_()
            k2, v2, p2 = self.take()
            if (k2, v2) != ("punct", ")"):
                raise QueryError(p2, "expected ')'")
            self.depth -= 1
            return inner
        self.conditions += 1
        if self.conditions > MAX_CONDITIONS:
            raise QueryError(p, f"the query joins more than {MAX_CONDITIONS} conditions with && and ||")
        k, field, p = self.take()
        if k != "word":
            raise QueryError(p, "expected a field name (e.g. displayName, lifeCycleState)")
        k, op, p = self.take()
        if k != "op" or op in ("&&", "||"):
            raise QueryError(p, "expected an operator (=, !=, =~, !~, >, >=, <, <=)")
        k, value, p = self.take()
        if k not in ("str", "num", "word"):
            raise QueryError(p, "expected a value in quotes")
        return ("cmp", field, op, value)


def parse_query(text: str) -> dict:
    try:
        return _Parser(text).parse()
    except QueryError as e:
        before = ("…" if e.pos > 80 else "") + text[max(0, e.pos - 80):e.pos]
        after = text[e.pos:e.pos + 80] + ("…" if len(text) > e.pos + 80 else "")
        raise invalid(f"Invalid search query at position {e.pos + 1}: {e} — {before}⟨here⟩{after}") from None


def _field(doc: dict, field: str, name_field: str):
    f = field.lower()
    if f == "displayname":
        return doc.get(name_field)
    if f in ("lifecyclestate", "lifecyclestate"):
        return doc.get("lifecycleState")
    if f in ("identifier", "id", "ocid"):
        return doc.get("id")
    if f.startswith("freeformtags."):
        tags = doc.get("freeformTags") or {}
        rest = field.split(".", 1)[1]
        if rest.lower() == "key":
            return list(tags.keys())
        if rest.lower() == "value":
            return list(tags.values())
        return tags.get(rest)
    if f.startswith("definedtags."):
        parts = field.split(".")
        if len(parts) == 3:
            return ((doc.get("definedTags") or {}).get(parts[1]) or {}).get(parts[2])
        return None
    for k in doc:
        if k.lower() == f:
            return doc[k]
    return None


def _compare(actual, op: str, want) -> bool:
    if isinstance(actual, list):
        return any(_compare(a, op, want) for a in actual) if op not in ("!=", "!~") else \
            all(_compare(a, op, want) for a in actual)
    if actual is None:
        return op in ("!=", "!~")
    a, w = str(actual), str(want)
    if op == "=":
        return a.lower() == w.lower()
    if op == "!=":
        return a.lower() != w.lower()
    if op == "=~":
        return w.lower() in a.lower()
    if op == "!~":
        return w.lower() not in a.lower()
    try:
        af, wf = float(a), float(w)
        a, w = af, wf  # type: ignore[assignment]
    except ValueError:
        pass
    return {">": a > w, ">=": a >= w, "<": a < w, "<=": a <= w}[op]  # type: ignore[operator]


def _match(cond, doc: dict, name_field: str) -> bool:
    if cond is None:
        return True
    tag = cond[0]
    if tag == "and":
        return _match(cond[1], doc, name_field) and _match(cond[2], doc, name_field)
    if tag == "or":
        return _match(cond[1], doc, name_field) or _match(cond[2], doc, name_field)
    _, field, op, value = cond
    return _compare(_field(doc, field, name_field), op, value)


def _searchable(ctx: Context) -> dict[str, tuple[str, str, str]]:
    """lower-case type -> (resource type, store kind, name field), from every service's declarations."""
    out = {}
    for s in ctx.core.services:
        for rtype, (kind, name_field) in s.searchable.items():
            out[rtype.lower()] = (rtype, kind, name_field)
    return out


def _summary(rtype: str, doc: dict, name_field: str, tenancy: str) -> dict:
    out = {"resourceType": rtype, "identifier": doc["id"],
           "compartmentId": doc.get("compartmentId") or tenancy, "displayName": doc.get(name_field),
           "timeCreated": doc.get("timeCreated"), "lifecycleState": doc.get("lifecycleState"),
           "freeformTags": doc.get("freeformTags") or {}, "definedTags": doc.get("definedTags") or {}}
    if doc.get("availabilityDomain"):
        out["availabilityDomain"] = doc["availabilityDomain"]
    return out


@svc.op("search_resources")
def search_resources(ctx: Context):
    body = ctx.body
    tenant = ctx.query.get("tenantId")
    if tenant and tenant != ctx.tenancy_id:
        raise ApiError(404, "NotAuthorizedOrNotFound", f"Unknown tenancy {tenant}")
    types = _searchable(ctx)
    if body.get("type") == "Structured":
        q = parse_query(body["query"])
        wanted = list(types.values()) if "all" in q["types"] else []
        for t in q["types"]:
            if t == "all":
                continue
            if t not in types:
                raise invalid(f"Unknown resource type '{t}' (known: {', '.join(sorted(types))})")
            wanted.append(types[t])
        cond, sort = q["cond"], q["sort"]
    else:
        text = (body.get("text") or "").strip().lower()
        if not text:
            raise ApiError(400, "MissingParameter", "text is required for a free-text search")
        wanted = list(types.values())
        cond = ("or", ("cmp", "displayName", "=~", text), ("cmp", "identifier", "=~", text))
        sort = None
    items = []
    for rtype, kind, name_field in wanted:
        for doc in ctx.list(kind):
            if doc.get("_root"):
                continue
            if _match(cond, doc, name_field):
                items.append(_summary(rtype, doc, name_field, ctx.tenancy_id))
    if sort is not None:
        field, order = sort
        key = {"displayname": "displayName", "timecreated": "timeCreated", "lifecyclestate": "lifecycleState"}.get(
            field.lower(), field)
        items.sort(key=lambda d: (d.get(key) is None, str(d.get(key) or "")), reverse=(order == "desc"))
    return {"items": items}


@svc.op("list_resource_types")
def list_resource_types(ctx: Context):
    return [{"name": rtype, "fields": [{"fieldName": f, "fieldType": "STRING", "isArray": False}
                                       for f in ("displayName", "lifeCycleState", "compartmentId")]}
            for rtype, _k, _n in sorted(_searchable(ctx).values())]


@svc.op("get_resource_type")
def get_resource_type(ctx: Context):
    t = _searchable(ctx).get(ctx.path["name"].lower())
    if t is None:
        raise ApiError(404, "NotAuthorizedOrNotFound", f"Unknown resource type {ctx.path['name']}")
    return {"name": t[0], "fields": [{"fieldName": f, "fieldType": "STRING", "isArray": False}
                                     for f in ("displayName", "lifeCycleState", "compartmentId")]}
