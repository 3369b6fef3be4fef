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
