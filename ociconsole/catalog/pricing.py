"""List prices, and the cost a create form shows before its Create button.

A FormSpec declares `cost=lambda values, ctx: Cost(...)` (or None while the values say too little);
the form dialog shows it under the fields and on the review page, recomputed as the person changes
the values. Prices are Oracle's public list prices in USD (pay as you go), one table here with the
source of each line, so a wrong price is fixed in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

HOURS_PER_MONTH = 744  # Oracle's price list counts a month as 744 hours


@dataclass(frozen=True)
class Price:
    part: str  # Oracle's name of the billed item
    usd: float  # per unit
    unit: str  # "OCPU hour", "user per month", ...
    source: str  # where the figure comes from (Oracle's price list page)


# part number or short key -> price; services add their lines here
PRICES: dict[str, Price] = {}

# ---- Oracle Analytics Cloud (pay as you go, USD). Checked 2026-12 against Oracle's public price-list API
# (https://apexapps.oracle.com/pls/apex/cetools/api/v1/products/, the data behind
# https://www.oracle.com/cloud/price-list/ "Analytics"), as exported on 2026-01-05 in
# github.com/jasonwilbur/oci-pricing-mcp src/data/pricing-data.json: B89630 is Professional and B89631
# Enterprise (OCPU), B89636 / B89637 their BYOL parts; the user parts B92682 / B92683 per user per month.
# The prices were right; the part numbers of the OCPU lines were swapped before.
_OAC_SOURCE = ("Oracle price-list API (apexapps.oracle.com/pls/apex/cetools/api/v1/products/, behind "
               "https://www.oracle.com/cloud/price-list/#analytics), data of 2026-01-05")
PRICES.update({
    "B89630": Price("Oracle Analytics Cloud - Professional - OCPU", 1.0753, "OCPU hour", _OAC_SOURCE),
    "B89631": Price("Oracle Analytics Cloud - Enterprise - OCPU", 2.1506, "OCPU hour", _OAC_SOURCE),
    "B89636": Price("Oracle Analytics Cloud - Professional - BYOL - OCPU", 0.3226, "OCPU hour", _OAC_SOURCE),
    "B89637": Price("Oracle Analytics Cloud - Enterprise - BYOL - OCPU", 0.3226, "OCPU hour", _OAC_SOURCE),
    "B92682": Price("Oracle Analytics Cloud - Professional - Users", 16.0, "user per month", _OAC_SOURCE),
    "B92683": Price("Oracle Analytics Cloud - Enterprise - Users", 80.0, "user per month", _OAC_SOURCE),
})

# ---- Oracle Integration (Oracle's Cloud Price List, "Application Integration"; a message pack is 5,000
# messages per hour with a new license, 20,000 with BYOL; the same parts serve Generation 2 and Oracle
# Integration 3. The four figures are also those of techsupper.com's worked examples, July 2021)
_OIC_SOURCE = ("https://www.oracle.com/cloud/price-list/#integration (Oracle Integration Cloud Service); "
               "https://www.techsupper.com/2021/07/oracle-integration-message-packs-and-pricing.html")
PRICES.update({
    "B89639": Price("Oracle Integration Cloud Service - Standard", 0.6452, "message pack per hour", _OIC_SOURCE),
    "B89640": Price("Oracle Integration Cloud Service - Enterprise", 1.2903, "message pack per hour", _OIC_SOURCE),
    "B89643": Price("Oracle Integration Cloud Service - Standard - BYOL", 0.3226, "message pack per hour",
                    _OIC_SOURCE),
    "B89644": Price("Oracle Integration Cloud Service - Enterprise - BYOL", 0.3226, "message pack per hour",
                    _OIC_SOURCE),
})

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
