"""The condition language of OCI Web Application Firewall rules: JMESPath with OCI's functions.

A WAF policy's rules (access control, rate limiting, protection) each hold a `condition` in the language
`JMESPATH` (https://docs.oracle.com/iaas/Content/WAF/Concepts/understanding_conditions.htm): a JMESPath
expression over a JSON document describing the HTTP request (`http.request.url.path`, `http.request.method`,
`http.request.headers."user-agent"[0]`, `connection.source.address`, ...), at most 1,024 characters, whose
result is read as a boolean (an empty list, object or string, false and null are false; anything else true).

The syntax is checked by the real JMESPath parser (the `jmespath` package); on top of it every function call
is checked against JMESPath's built-in functions and OCI's additions (their names and arities):
`address_in_network(address, networks)` (an address in any of a list of IPs/CIDRs),
`address_in_network_address_list(address, list_ids)` (an address in one of the WAF network address lists
named; resolved by the caller), and case-insensitive `i_contains`, `i_starts_with`, `i_ends_with`,
`i_equals_any(value, values)`.

`check(text)` -> None or a `ConditionError` with the 0-based `position` of the fault and a message that
names its column (what the service answers as 400 InvalidParameter and what the console shows inline).
`request_document(...)` builds the input document of a request; `matches(text, document)` evaluates a
condition against it. Shared by the emulator (which refuses bad conditions and evaluates policies) and the
console (which checks conditions as they are typed); no ociconsole import here.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jmespath
from jmespath import exceptions as jexc
from jmespath import functions as jfunc
from jmespath.lexer import Lexer

MAX_LENGTH = 1024  # characters of one condition
LANGUAGE = "JMESPATH"

# function name -> (least, most) arguments; most None: variadic
BUILTINS: dict[str, tuple[int, int | None]] = {
    "abs": (1, 1), "avg": (1, 1), "ceil": (1, 1), "contains": (2, 2), "ends_with": (2, 2), "floor": (1, 1),
    "join": (2, 2), "keys": (1, 1), "length": (1, 1), "map": (2, 2), "max": (1, 1), "max_by": (2, 2),
    "merge": (1, None), "min": (1, 1), "min_by": (2, 2), "not_null": (1, None), "reverse": (1, 1),
    "sort": (1, 1), "sort_by": (2, 2), "starts_with": (2, 2), "sum": (1, 1), "to_array": (1, 1),
    "to_number": (1, 1), "to_string": (1, 1), "type": (1, 1), "values": (1, 1),
}
OCI_FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "address_in_network": (2, 2), "address_in_network_address_list": (2, 2),
    "i_contains": (2, 2), "i_starts_with": (2, 2), "i_ends_with": (2, 2), "i_equals_any": (2, 2),
}
FUNCTIONS = {**BUILTINS, **OCI_FUNCTIONS}


@dataclass
class ConditionError(Exception):
    message: str
    position: int  # 0-based offset in the condition

    def __str__(self) -> str:
        return self.message


def _column_message(text: str, pos: int, what: str) -> str:
    near = text[pos:pos + 20]
    return f"Invalid condition at column {pos + 1}: {what}" + (f" (near '{near}')" if near.strip() else "")


def check(text: Any) -> ConditionError | None:
    """None if `text` is a condition WAF accepts, else the error with its position."""
    if not isinstance(text, str) or not text.strip():
        return ConditionError("The condition is empty: write a JMESPath expression, e.g. "
                              "i_starts_with(http.request.url.path, '/admin')", 0)
    if len(text) > MAX_LENGTH:
        return ConditionError(f"The condition is {len(text)} characters long; at most {MAX_LENGTH} are allowed",
                              MAX_LENGTH)
    try:
        parsed = jmespath.compile(text).parsed
    except jexc.LexerError as e:
        pos = int(e.lex_position or 0)
        return ConditionError(_column_message(text, pos, str(e.message).rstrip(".").lower()), pos)
    except jexc.IncompleteExpressionError as e:
        pos = int(e.lex_position if e.lex_position is not None else len(text))
        return ConditionError(f"Invalid condition at column {pos + 1}: the expression is incomplete", pos)
    except jexc.ParseError as e:
        pos = int(e.lex_position or 0)
        tok = e.token_value if e.token_value not in (None, "") else e.token_type
        return ConditionError(_column_message(text, pos, f"unexpected '{tok}'"), pos)
    calls = _call_positions(text)
    for i, (name, nargs) in enumerate(_calls(parsed)):
        pos = calls[i] if i < len(calls) else 0
        if name not in FUNCTIONS:
            return ConditionError(_column_message(text, pos, f"unknown function {name}()"), pos)
        least, most = FUNCTIONS[name]
        if nargs < least or (most is not None and nargs > most):
            want = str(least) if least == most else (f"{least} or more" if most is None else f"{least}-{most}")
            return ConditionError(_column_message(
                text, pos, f"{name}() takes {want} argument{'s' if want != '1' else ''}, not {nargs}"), pos)
    return None


def _calls(node: Mapping[str, Any]) -> Iterable[tuple[str, int]]:
    """(function name, argument count) of every call, in the order they start in the text."""
    if node.get("type") == "function_expression":
        yield str(node["value"]), len(node.get("children") or [])
    for child in node.get("children") or []:
        if isinstance(child, Mapping):
            yield from _calls(child)


def _call_positions(text: str) -> list[int]:
    """Where each function call's name starts (an identifier followed by '(')."""
    try:
        tokens = list(Lexer().tokenize(text))
    except jexc.JMESPathError:
        return []
    return [t["start"] for t, nxt in zip(tokens, tokens[1:], strict=False)
            if t["type"] == "unquoted_identifier" and nxt["type"] == "lparen"]


# ---------------------------------------------------------------- evaluation

def request_document(method: str, url: str, headers: Mapping[str, str] | None = None,
                     source_address: str = "203.0.113.10", source_port: int = 50000,
                     country_code: str | None = None) -> dict[str, Any]:
    """The input document WAF evaluates a request's rules against."""
    parts = urlsplit(url)
    hdrs: dict[str, list[str]] = {}
    for k, v in (headers or {}).items():
        hdrs.setdefault(k.lower(), []).append(v)
    if parts.netloc and "host" not in hdrs:
        hdrs["host"] = [parts.netloc]
    query = {k: v for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    source: dict[str, Any] = {"address": source_address, "port": source_port}
    if country_code:
        source["geo"] = {"countryCode": country_code}
    return {
        "http": {"request": {
            "method": method.upper(), "version": "1.1", "host": (hdrs.get("host") or [""])[0],
            "url": {"path": parts.path or "/", "query": query, "queryString": parts.query},
            "headers": hdrs,
        }},
        "connection": {"source": source},
    }


def _in_networks(address: Any, networks: Any) -> bool:
    try:
        ip = ipaddress.ip_address(str(address))
    except ValueError:
        return False
    for n in networks if isinstance(networks, list) else [networks]:
        try:
            if ip in ipaddress.ip_network(str(n), strict=False):
                return True
        except ValueError:
            continue
    return False


def _lower(v: Any) -> Any:
    if isinstance(v, str):
        return v.lower()
    if isinstance(v, list):
        return [_lower(x) for x in v]
    return v


def _functions(address_lists: Callable[[str], list[str]] | None) -> jfunc.Functions:
    lookup = address_lists or (lambda _id: [])

    class OciFunctions(jfunc.Functions):
        @jfunc.signature({"types": ["string", "null"]}, {"types": ["array", "string"]})
        def _func_address_in_network(self, address: Any, networks: Any) -> bool:
            return _in_networks(address, networks)

        @jfunc.signature({"types": ["string", "null"]}, {"types": ["array", "string"]})
        def _func_address_in_network_address_list(self, address: Any, ids: Any) -> bool:
            nets = [n for i in (ids if isinstance(ids, list) else [ids]) for n in lookup(str(i))]
            return _in_networks(address, nets)

        @jfunc.signature({"types": ["array", "string", "null"]}, {"types": ["string"]})
        def _func_i_contains(self, subject: Any, search: str) -> bool:
            return subject is not None and search.lower() in _lower(subject)

        @jfunc.signature({"types": ["string", "null"]}, {"types": ["string"]})
        def _func_i_starts_with(self, subject: Any, prefix: str) -> bool:
            return isinstance(subject, str) and subject.lower().startswith(prefix.lower())

        @jfunc.signature({"types": ["string", "null"]}, {"types": ["string"]})
        def _func_i_ends_with(self, subject: Any, suffix: str) -> bool:
            return isinstance(subject, str) and subject.lower().endswith(suffix.lower())

        @jfunc.signature({"types": ["string", "null"]}, {"types": ["array"]})
        def _func_i_equals_any(self, subject: Any, values: list[Any]) -> bool:
            return isinstance(subject, str) and subject.lower() in _lower(values)

    return OciFunctions()


def truthy(value: Any) -> bool:
    """WAF's reading of a condition's result: [], {}, "", false and null are false."""
    return value not in (None, False, "", [], {})


def matches(text: str, document: Mapping[str, Any],
            address_lists: Callable[[str], list[str]] | None = None) -> bool:
    """Whether the condition holds for the request `document` (a condition that fails at run time - a
    function given the wrong type - does not hold, as WAF treats it)."""
    err = check(text)
    if err is not None:
        raise err
    try:
        result = jmespath.search(text, dict(document), options=jmespath.Options(
            custom_functions=_functions(address_lists)))
    except jexc.JMESPathError:
        return False
    return truthy(result)
