"""Evaluating a Logging query (the tree of `ociconsole.lang.logging_query`) over log entries.

A raw row is what SearchLogs answers for an entry: `{"datetime": <epoch ms>, "logContent": {...}}`; a field
names the entry's content (`data.message`, `type`) unless it is `datetime`,
`logContent` (the entry as JSON text) or `logContent.<path>`. After `summarize` or `select` a row is flat
(`{"count": 3, "type": "..."}`) and later commands name its columns.

Comparisons of a missing field are false (`!=` too); a number compared with a string that holds a number
compares as numbers; `=`/`!=` with a `*` in the string, and `like`, match case-insensitively.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..lang import logging_query as q
from ..lang.logging_query import LogQueryError  # noqa: F401 - read by the service from here

_MISSING = object()


def value_of(row: dict, f: q.Field) -> Any:
    path = f.path
    if not row.get("_raw"):
        v = row.get(f.name, _MISSING)
        if v is _MISSING:
            v = _walk(row, path)
        return v
    if path[0] == "datetime" and len(path) == 1:
        return row["datetime"]
    content = row["logContent"]
    if path[0] == "logContent":
        if len(path) == 1:
            return json.dumps(content, sort_keys=True)
        path = path[1:]
    return _walk(content, path)


def _walk(doc: Any, path: tuple[str, ...]) -> Any:
    cur = doc
    for p in path:
        if isinstance(cur, dict) and p in cur:
            cur = cur[p]
        else:
            return _MISSING
    return cur


def _num(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return None
    return None


def _wild(pattern: str, star: str, one: str | None) -> re.Pattern:
    out = []
    for ch in pattern:
        if ch == star:
            out.append(".*")
        elif one is not None and ch == one:
            out.append(".")
        else:
            out.append(re.escape(ch))
    return re.compile("".join(out) + r"\Z", re.S | re.I)


def _text(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return json.dumps(v, sort_keys=True)
    return str(v)


def _equal(a: Any, b: Any) -> bool:
    if isinstance(b, str) and "*" in b and not isinstance(a, (int, float)):
        return bool(_wild(b, "*", None).match(_text(a)))
    if isinstance(a, str) and "*" in a and not isinstance(b, (int, float)):
        return bool(_wild(a, "*", None).match(_text(b)))
    na, nb = _num(a), _num(b)
    if na is not None and nb is not None and (isinstance(a, (int, float)) or isinstance(b, (int, float))):
        return na == nb
    if a is None or b is None:
        return a is b
    return _text(a) == _text(b)


def _order(a: Any, b: Any) -> int | None:
    na, nb = _num(a), _num(b)
    if na is not None and nb is not None:
        return (na > nb) - (na < nb)
    if a is None or b is None:
        return None
    ta, tb = _text(a), _text(b)
    return (ta > tb) - (ta < tb)


def evaluate(node: Any, row: dict) -> Any:
    if isinstance(node, q.Literal):
        return node.value
    if isinstance(node, q.Field):
        return value_of(row, node)
    if isinstance(node, q.Logical):
        if node.op == "not":
            return not truthy(evaluate(node.args[0], row))
        if node.op == "and":
            return truthy(evaluate(node.args[0], row)) and truthy(evaluate(node.args[1], row))
        return truthy(evaluate(node.args[0], row)) or truthy(evaluate(node.args[1], row))
    if isinstance(node, q.Call):
        return _call(node, [evaluate(a, row) for a in node.args])
    if isinstance(node, q.Compare):
        left = evaluate(node.left, row)
        if left is _MISSING:
            return False
        if node.op in ("in", "notin"):
            hit = any(_equal(left, evaluate(r, row)) for r in node.right)
            return hit if node.op == "in" else not hit
        right = evaluate(node.right, row)
        if right is _MISSING:
            return False
        if node.op in ("like", "notlike"):
            hit = bool(_wild(_text(right), "%", "_").match(_text(left)))
            return hit if node.op == "like" else not hit
        if node.op == "=":
            return _equal(left, right)
        if node.op == "!=":
            return not _equal(left, right)
        o = _order(left, right)
        if o is None:
            return False
        return {">": o > 0, ">=": o >= 0, "<": o < 0, "<=": o <= 0}[node.op]
    raise TypeError(node)


def truthy(v: Any) -> bool:
    return v is not _MISSING and v is not None and v is not False and v != 0 and v != ""


def _call(node: q.Call, args: list) -> Any:
    if any(a is _MISSING for a in args):
        return _MISSING
    n = node.name
    s = [_text(a) if a is not None else "" for a in args]
    if n == "lower":
        return s[0].lower()
    if n == "upper":
        return s[0].upper()
    if n == "length":
        return len(s[0])
    if n == "trim":
        return s[0].strip()
    if n == "concat":
        return "".join(s)
    if n == "contains":
        return s[1] in s[0]
    if n == "startswith":
        return s[0].startswith(s[1])
    if n == "endswith":
        return s[0].endswith(s[1])
    if n == "substr":
        start = int(_num(args[1]) or 0)
        if len(args) > 2:
            return s[0][start:start + int(_num(args[2]) or 0)]
        return s[0][start:]
    raise TypeError(n)


def run(search: q.Search, rows: list[dict]) -> list[dict]:
    """The query's commands over `rows` (raw rows, in time order): the result rows, without `_raw`."""
    out = rows
    for cmd in search.commands:
        if isinstance(cmd, q.Where):
            out = [r for r in out if truthy(evaluate(cmd.expr, r))]
        elif isinstance(cmd, q.Sort):
            for f, desc in reversed(cmd.keys):
                present = [r for r in out if value_of(r, f) not in (_MISSING, None)]
                absent = [r for r in out if value_of(r, f) in (_MISSING, None)]
                present.sort(key=lambda r, f=f: _sort_key(value_of(r, f)), reverse=desc)
                out = present + absent
        elif isinstance(cmd, q.Limit):
            out = out[:cmd.n]
        elif isinstance(cmd, q.Select):
            out = [{name: _plain(value_of(r, f)) for f, name in cmd.fields} for r in out]
        elif isinstance(cmd, q.Summarize):
            out = _summarize(cmd, out)
    return [{k: v for k, v in r.items() if k != "_raw"} for r in out]


def _sort_key(v: Any) -> tuple:
    n = _num(v)
    return (0, n, "") if n is not None and not isinstance(v, str) else (1, 0.0, _text(v))


def _plain(v: Any) -> Any:
    return None if v is _MISSING else v


def _summarize(cmd: q.Summarize, rows: list[dict]) -> list[dict]:
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        key = tuple(_text(v) if (v := value_of(r, f)) not in (_MISSING, None) else None for f, _ in cmd.by)
        groups.setdefault(key, []).append(r)
    if not cmd.by and not groups:
        groups[()] = []
    out = []
    for key, members in groups.items():
        row: dict[str, Any] = {name: k for (_f, name), k in zip(cmd.by, key, strict=True)}
        for agg in cmd.aggregates:
            vals = [] if agg.field is None else [
                n for r in members if (n := _num(value_of(r, agg.field))) is not None]
            if agg.fn == "count":
                row[agg.alias] = len(members) if agg.field is None else sum(
                    1 for r in members if value_of(r, agg.field) not in (_MISSING, None))
            elif agg.fn == "sum":
                row[agg.alias] = sum(vals)
            elif agg.fn == "avg":
                row[agg.alias] = sum(vals) / len(vals) if vals else None
            elif agg.fn == "min":
                row[agg.alias] = min(vals) if vals else None
            elif agg.fn == "max":
                row[agg.alias] = max(vals) if vals else None
        out.append(row)
    return out


def field_type(v: Any) -> str:
    if isinstance(v, bool):
        return "BOOLEAN"
    if isinstance(v, (int, float)):
        return "NUMBER"
    if isinstance(v, list):
        return "ARRAY"
    return "STRING"
