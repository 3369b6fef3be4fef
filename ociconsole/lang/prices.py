"""The price list both sides read: Oracle's list prices and the rules that bill a resource (prices.json).

`parts()` are Oracle's billed items (part number -> name, USD, unit, source). `rules(kind)` are how a
resource of a store kind is billed: for each hour it spends in a rule's states, `quantity(rule, doc)` units
of the rule's part (a part priced per month is billed by the hour as 1/744 of it). The console's create
dialogs price a configuration from the same parts (catalog/pricing.py), the emulator's Usage API and budgets
bill what the sandbox runs (emulator/services/usage.py). Pricing a new resource kind is a rule in the JSON.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

HOURS_PER_MONTH = 744  # Oracle's price list counts a month as 744 hours


@dataclass(frozen=True)
class Part:
    number: str  # Oracle's part number ("B93113")
    name: str  # Oracle's name of the billed item
    usd: float  # per unit
    unit: str  # "OCPU hour", "GB month", ...
    source: str  # where the figure comes from


@dataclass(frozen=True)
class Rule:
    kind: str  # store kind of the resources it bills
    service: str  # the Usage API's service name ("Compute")
    part: str
    quantity: str | float
    states: frozenset[str] | None  # None: every state but a deleted one
    match: tuple[tuple[str, Any], ...]
    per: str  # "hour" | "month": how the part's price is counted


@cache
def _data() -> dict[str, Any]:
    with open(Path(__file__).with_name("prices.json"), encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def parts() -> dict[str, Part]:
    return _parts()


@cache
def _parts() -> dict[str, Part]:
    d = _data()
    return {k: Part(k, v["name"], float(v["usd"]), v["unit"], d["sources"].get(v["source"], v["source"]))
            for k, v in d["parts"].items()}


@cache
def all_rules() -> dict[str, tuple[Rule, ...]]:
    out: dict[str, tuple[Rule, ...]] = {}
    for kind, spec in _data()["kinds"].items():
        out[kind] = tuple(
            Rule(kind, spec["service"], r["part"], r["quantity"],
                 frozenset(r["states"]) if r.get("states") else None,
                 tuple(sorted((r.get("match") or {}).items())), r.get("per", "hour"))
            for r in spec["rules"])
    return out


def rules(kind: str) -> tuple[Rule, ...]:
    return all_rules().get(kind, ())


def field(doc: dict[str, Any], path: str) -> Any:
    """A dotted path into a resource document ("shapeConfig.ocpus"), None where absent."""
    cur: Any = doc
    for p in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(p)
    return cur


def matches(rule: Rule, doc: dict[str, Any]) -> bool:
    for path, want in rule.match:
        have = field(doc, path)
        if isinstance(want, str):
            if not isinstance(have, str) or not fnmatch.fnmatchcase(have, want):
                return False
        elif have != want:
            return False
    return True


def quantity(rule: Rule, doc: dict[str, Any]) -> float:
    """Units of the rule's part for `doc`: a number, a field, `a*b` or `field/divisor`."""
    q = rule.quantity
    if isinstance(q, (int, float)):
        return float(q)
    expr, _, div = q.partition("/")
    total = 1.0
    for name in expr.split("*"):
        name = name.strip()
        v = float(name) if name.replace(".", "", 1).isdigit() else field(doc, name)
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            return 0.0
        total *= float(v)
    return total / float(div) if div else total


def hourly(rule: Rule, units: float) -> float:
    """USD per hour for `units` of the rule's part."""
    usd = parts()[rule.part].usd * units
    return usd / HOURS_PER_MONTH if rule.per == "month" else usd
