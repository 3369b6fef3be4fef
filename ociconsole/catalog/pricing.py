"""List prices, and the cost a create form shows before its Create button.

A FormSpec declares `cost=lambda values, ctx: Cost(...)` (or None while the values say too little);
the form dialog shows it under the fields and on the review page, recomputed as the person changes
the values. Prices are Oracle's public list prices in USD (pay as you go), one table here with the
source of each line (`ociconsole/lang/prices.json`, which the emulator's Usage API bills from too), so a
wrong price is fixed in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..lang import prices as _prices

HOURS_PER_MONTH = _prices.HOURS_PER_MONTH  # Oracle's price list counts a month as 744 hours


@dataclass(frozen=True)
class Price:
    part: str  # Oracle's name of the billed item
    usd: float  # per unit
    unit: str  # "OCPU hour", "user per month", ...
    source: str  # where the figure comes from (Oracle's price list page)


# part number or short key -> price; services add their lines here
PRICES: dict[str, Price] = {}

# Oracle's parts, from the one price list both the console and the emulator read (ociconsole/lang/prices.json,
# with the source of each line): the Analytics and Integration parts are there, compute and storage too
PRICES.update({k: Price(p.name, p.usd, p.unit, p.source) for k, p in _prices.parts().items()})

# ---- Oracle Autonomous Database Serverless (Oracle's Cloud Price List, "Autonomous Database"; pay as you go,
# USD). ECPU prices are the same for Transaction Processing, Data Warehouse, JSON and APEX; storage differs
# between Transaction Processing (and JSON, APEX) and Data Warehouse; the legacy OCPU model bills per OCPU hour
# and Exadata storage per TB-month
_ADB_SOURCE = "https://www.oracle.com/cloud/price-list/#autonomous-database (Oracle Autonomous Database)"
PRICES.update({
    "adb-ecpu": Price("Oracle Autonomous Database - ECPU", 0.336, "ECPU hour", _ADB_SOURCE),
    "adb-ecpu-byol": Price("Oracle Autonomous Database - ECPU - BYOL", 0.0807, "ECPU hour", _ADB_SOURCE),
    "adb-ocpu": Price("Oracle Autonomous Database - OCPU", 1.3441, "OCPU hour", _ADB_SOURCE),
    "adb-ocpu-byol": Price("Oracle Autonomous Database - OCPU - BYOL", 0.3226, "OCPU hour", _ADB_SOURCE),
    "adb-storage-tp": Price("Oracle Autonomous Database Storage for Transaction Processing", 0.1156,
                            "GB per month", _ADB_SOURCE),
    "adb-storage-dw": Price("Oracle Autonomous Database Storage for Data Warehouse", 0.0244, "GB per month",
                            _ADB_SOURCE),
    "adb-storage-exadata": Price("Oracle Autonomous Database - Exadata Storage", 118.40, "TB per month",
                                 _ADB_SOURCE),
})

# ---- Load Balancer (Oracle's Cloud Price List, "Networking - Load Balancer": a flexible load balancer is billed
# per hour, plus its bandwidth per Mbps hour; the first 10 Mbps load balancer of a tenancy is Always Free)
_LB_SOURCE = "https://www.oracle.com/cloud/price-list/#networking (Load Balancer)"
PRICES.update({
    "lb-base": Price("Load Balancer Base", 0.0113, "load balancer hour", _LB_SOURCE),
    "lb-bandwidth": Price("Load Balancer Bandwidth", 0.0001, "Mbps per hour", _LB_SOURCE),
})


@dataclass
class Cost:
    """What a configuration costs at list price: a total per `per` ("hour" or "month") and its lines."""

    amount: float
    per: str = "month"
    lines: list[str] = field(default_factory=list)  # "2 OCPU × $0.0135 per OCPU hour"
    currency: str = "USD"
    note: str = ""  # e.g. "while active; storage is billed while stopped too"

    def text(self) -> str:
        other = (f" (≈ ${self.amount * HOURS_PER_MONTH:,.2f} per month)" if self.per == "hour"
                 else f" (≈ ${self.amount / HOURS_PER_MONTH:,.4f} per hour)")
        return f"${self.amount:,.2f} per {self.per}{other} at list price"


def price(key: str) -> Price:
    return PRICES[key]


def estimate(store_kind: str, doc: dict, state: str) -> tuple[float, list[str]]:
    """USD per hour that a resource described by `doc` (the JSON the service would return, camelCase) costs in
    `state`, by the same rules the emulator's Usage API bills with (ociconsole/lang/prices.json), and the lines
    that make it ("2 OCPU hour × $0.025 (Compute - Standard - E4 - OCPU)")."""
    total, lines = 0.0, []
    for rule in _prices.rules(store_kind):
        if rule.states is not None and state not in rule.states:
            continue
        if not _prices.matches(rule, doc):
            continue
        units = _prices.quantity(rule, doc)
        if units <= 0:
            continue
        part = _prices.parts()[rule.part]
        total += _prices.hourly(rule, units)
        lines.append(f"{units:g} × ${part.usd:g} per {part.unit} ({part.name})")
    return total, lines


def monthly_cost(parts_: list[tuple[str, dict, str]], note: str = "") -> Cost | None:
    """The Cost per month of several (store kind, resource JSON, state) together (an instance and its boot
    volume), or None when the price list has no rule for them."""
    total, lines = 0.0, []
    for kind, doc, state in parts_:
        usd, more = estimate(kind, doc, state)
        total += usd
        lines += more
    if not lines:
        return None
    return Cost(total * HOURS_PER_MONTH, "month", lines, note=note)
