"""Usage API (`/usage_api`, UsageapiClient.request_summarized_usages): what the sandbox really costs.

The cost engine is generic over the price list (ociconsole/lang/prices.json): for every store kind it
prices, each resource is billed, for every hour (to the second) it spent in one of a rule's states (its
`_stateHistory`, kept by the store), the rule's quantity (OCPUs, GB, Mbps...) of the rule's part at list
price. A stopped instance costs no compute (its rules bill RUNNING and the transitional states around it),
its boot volume still costs storage. Deleted resources keep being billed for the hours they ran (the store's
tombstones). A bucket is billed for the bytes it held over time (object_storage.usage_events). The price of a
kind a service adds later is a rule in the JSON: nothing here changes.

RequestSummarizedUsages: granularity HOURLY, DAILY, MONTHLY or TOTAL over [timeUsageStarted,
timeUsageEnded) (UTC, on the hour / at midnight / on the first of a month as OCI requires), queryType COST or
USAGE, groupBy among OCI's dimensions (service, skuName, skuPartNumber, unit, compartmentId, compartmentName,
compartmentPath, resourceId, region, tenantId, tenantName; 400 for others), groupByTag (defined tags
namespace.key), a filter (dimensions and tags, AND / OR / NOT, nested). A compartmentId or compartmentName
filter takes in its subcompartments, as the Cost Analysis page does. `compute_spend` serves budgets.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ...lang import prices
from ..models import parse_datetime
from ..protocol import invalid, ts
from ..registry import Context, Service

svc = Service("usage_api", name="usage")

GONE = "_gone"  # the store's tombstones of deleted billed resources
# states in which nothing is billed whatever the rule (a rule without states bills every other one)
DEAD_STATES = frozenset({"TERMINATED", "TERMINATING", "DELETED", "DELETING", "FAILED"})
GROUP_BY = ("tagNamespace", "tagKey", "tagValue", "service", "skuName", "skuPartNumber", "unit", "compartmentName",
            "compartmentPath", "compartmentId", "platform", "region", "logicalAd", "resourceId", "tenantId",
            "tenantName", "subscriptionId")
GRANULARITIES = ("HOURLY", "DAILY", "MONTHLY", "TOTAL")
HOUR = 3600.0


def _bucket_bytes(store, doc: dict) -> list[tuple[float, float]]:
    from . import object_storage
    return [(t, float(b)) for t, b, _n in object_storage.usage_events(store, doc)]


# quantity series a rule can name as "@name": (store, doc) -> [(time, change)] of a quantity over time
SERIES: dict[str, Callable[[Any, dict], list[tuple[float, float]]]] = {"storedBytes": _bucket_bytes}


@dataclass
class Charge:
    """A resource billed `qty` units of `rule.part` per hour from `start` to `end` (epoch seconds)."""

    doc: dict
    rule: prices.Rule
    start: float
    end: float
    qty: float

    @property
    def hours(self) -> float:
        return (self.end - self.start) / HOUR

    def split(self, a: float, b: float) -> tuple[float, float]:
        """(units, USD) of this charge within [a, b)."""
        lo, hi = max(self.start, a), min(self.end, b)
        if hi <= lo:
            return 0.0, 0.0
        hours = (hi - lo) / HOUR
        units = self.qty * hours / (prices.HOURS_PER_MONTH if self.rule.per == "month" else 1.0)
        return units, prices.hourly(self.rule, self.qty) * hours


def _created(doc: dict, fallback: float) -> float:
    try:
        return parse_datetime(doc["timeCreated"]).timestamp()
    except (KeyError, TypeError, ValueError, AttributeError):
        return fallback


def intervals(doc: dict, states: frozenset[str] | None, until: float) -> list[tuple[float, float]]:
    """[start, end) periods in which `doc` was in one of `states` (any live state when None), to `until`."""
    created = _created(doc, until)
    hist = doc.get("_stateHistory") or [[None, doc.get("lifecycleState")]]
    out: list[tuple[float, float]] = []
    for i, (t, state) in enumerate(hist):
        start = created if t is None else max(float(t), created)
        end = float(hist[i + 1][0]) if i + 1 < len(hist) and hist[i + 1][0] is not None else until
        end = min(end, until)
        ok = state not in DEAD_STATES if states is None else state in states
        if ok and end > start:
            if out and abs(out[-1][1] - start) < 1e-6:
                out[-1] = (out[-1][0], end)
            else:
                out.append((start, end))
    return out


def billed_docs(store, kind: str) -> Iterable[tuple[dict, float | None]]:
    """(document, time it was deleted or None) of every resource of `kind`, live or deleted."""
    for d in store.list(kind):
        yield d, None
    for t in store.by_field(GONE, "_kind", kind):
        doc = dict(t, id=t["_id"], compartmentId=t.get("_compartmentId"))
        yield doc, float(t["_goneAt"])


def charges(store, start: float, end: float, now: float, region: str | None = None) -> list[Charge]:
    """Every charge of the sandbox that overlaps [start, end) (nothing after `now`)."""
    end = min(end, now)
    out: list[Charge] = []
    if end <= start:
        return out
    for kind, rules in prices.all_rules().items():
        for doc, gone in billed_docs(store, kind):
            if region is not None and doc.get("_region") not in (None, region):
                continue
            until = min(end, gone if gone is not None else now)
            if _created(doc, until) >= until:
                continue
            for rule in rules:
                if not prices.matches(rule, doc):
                    continue
                if isinstance(rule.quantity, str) and rule.quantity.startswith("@"):
                    out.extend(_series_charges(store, doc, rule, start, until))
                    continue
                qty = prices.quantity(rule, doc)
                if qty <= 0:
                    continue
                for a, b in intervals(doc, rule.states, until):
                    if b > start:
                        out.append(Charge(doc, rule, max(a, start), b, qty))
    return out


def _series_charges(store, doc: dict, rule: prices.Rule, start: float, until: float) -> list[Charge]:
    name, _, div = str(rule.quantity)[1:].partition("/")
    fn = SERIES.get(name)
    if fn is None:
        return []
    scale = float(div) if div else 1.0
    level = 0.0
    out = []
    events = sorted(fn(store, doc))
    for i, (t, change) in enumerate(events):
        level += change
        nxt = events[i + 1][0] if i + 1 < len(events) else until
        a, b = max(t, start), min(nxt, until)
        if b > a and level > 0:
            out.append(Charge(doc, rule, a, b, level / scale))
    return out


# ---------------------------------------------------------------- compartments and dimensions

class Compartments:
    """Names, paths and subtrees of the tenancy's compartments (read once per request)."""

    def __init__(self, store, tenancy_id: str):
        self.docs = {c["id"]: c for c in store.list("compartment")}
        self.tenancy = tenancy_id

    def name(self, cid: str | None) -> str | None:
        d = self.docs.get(cid or "")
        return d.get("name") if d else None

    def chain(self, cid: str | None) -> list[str]:
        out = []
        seen = set()
        while cid and cid in self.docs and cid not in seen:
            seen.add(cid)
            out.append(cid)
            if cid == self.tenancy:
                break
            cid = self.docs[cid].get("compartmentId")
        return out[::-1]

    def path(self, cid: str | None) -> str | None:
        names = [self.name(c) or "" for c in self.chain(cid)[1:]]
        return "/".join(names) if names else "/"

    def within(self, cid: str | None, ancestor: str) -> bool:
        return ancestor in self.chain(cid)


def dimensions(c: Charge, comps: Compartments, tenancy: str, tenancy_name: str | None) -> dict[str, Any]:
    part = prices.parts()[c.rule.part]
    cid = c.doc.get("compartmentId")
    return {"service": c.rule.service, "skuName": part.name, "skuPartNumber": part.number, "unit": part.unit,
            "compartmentId": cid, "compartmentName": comps.name(cid), "compartmentPath": comps.path(cid),
            "resourceId": c.doc.get("id"), "region": c.doc.get("_region"), "tenantId": tenancy,
            "tenantName": tenancy_name, "logicalAd": c.doc.get("availabilityDomain"), "platform": None,
            "subscriptionId": None, "resourceName": c.doc.get("displayName") or c.doc.get("name")}


def _tags(doc: dict) -> list[tuple[str, str, str]]:
    return [(ns, k, str(v)) for ns, kv in (doc.get("definedTags") or {}).items() if isinstance(kv, dict)
            for k, v in kv.items()]


def check_filter(f: dict | None, where: str = "filter") -> None:
    if not f:
        return
    op = f.get("operator") or "AND"
    if op not in ("AND", "OR", "NOT"):
        raise invalid(f"{where}.operator must be AND, OR or NOT")
    for i, d in enumerate(f.get("dimensions") or []):
        if d.get("key") not in GROUP_BY:
            raise invalid(f"{where}.dimensions[{i}].key '{d.get('key')}' is not one of {', '.join(GROUP_BY)}")
    for i, sub in enumerate(f.get("filters") or []):
        check_filter(sub, f"{where}.filters[{i}]")


def matches(f: dict | None, dims: dict, tags: list[tuple[str, str, str]], comps: Compartments) -> bool:
    if not f:
        return True
    tests = []
    for d in f.get("dimensions") or []:
        key, want = d.get("key"), d.get("value")
        if key == "compartmentId":
            tests.append(comps.within(dims["compartmentId"], want))
        elif key == "compartmentName":
            tests.append(any(comps.name(c) == want for c in comps.chain(dims["compartmentId"])))
        else:
            tests.append(dims.get(key) == want)
    for t in f.get("tags") or []:
        tests.append(any((t.get("namespace") in (None, ns)) and (t.get("key") in (None, k))
                         and (t.get("value") in (None, v)) for ns, k, v in tags))
    for sub in f.get("filters") or []:
        tests.append(matches(sub, dims, tags, comps))
    op = f.get("operator") or "AND"
    if op == "OR":
        return any(tests)
    if op == "NOT":
        return not any(tests)
    return all(tests)


# ---------------------------------------------------------------- time buckets

def _month_start(t: float) -> float:
    d = datetime.fromtimestamp(t, tz=UTC)
    return datetime(d.year, d.month, 1, tzinfo=UTC).timestamp()


def _next_month(t: float) -> float:
    d = datetime.fromtimestamp(t, tz=UTC)
    days = calendar.monthrange(d.year, d.month)[1]
    return datetime(d.year, d.month, 1, tzinfo=UTC).timestamp() + days * 86400.0


def buckets(start: float, end: float, granularity: str) -> list[tuple[float, float]]:
    if granularity == "TOTAL":
        return [(start, end)]
    out = []
    t = start
    while t < end and len(out) < 100_000:
        if granularity == "HOURLY":
            nxt = t + HOUR
        elif granularity == "DAILY":
            nxt = t + 86400.0
        else:
            nxt = _next_month(t)
        out.append((t, min(nxt, end)))
        t = nxt
    return out


def _check_alignment(start: float, end: float, granularity: str) -> None:
    for name, t in (("timeUsageStarted", start), ("timeUsageEnded", end)):
        if granularity == "HOURLY" and t % HOUR:
            raise invalid(f"{name} must be on the hour (minutes, seconds and fractions 0) for HOURLY granularity")
        if granularity in ("DAILY", "MONTHLY") and t % 86400:
            raise invalid(f"{name} must be at midnight UTC (hours, minutes and seconds 0) for {granularity} "
                          "granularity")
    if granularity == "MONTHLY" and _month_start(start) != start:
        raise invalid("timeUsageStarted must be the first day of a month for MONTHLY granularity")


# ---------------------------------------------------------------- the operation

def summarize(store, tenancy: str, start: float, end: float, now: float, granularity: str = "DAILY",
              group_by: list[str] | None = None, group_by_tag: list[dict] | None = None,
              flt: dict | None = None, region: str | None = None) -> list[dict]:
    """UsageSummary documents: one per time bucket and group."""
    comps = Compartments(store, tenancy)
    ten = store.get("compartment", tenancy)
    tenancy_name = ten.get("name") if ten else None
    group_by = list(group_by or [])
    tag_keys = [(t.get("namespace"), t.get("key")) for t in group_by_tag or []]
    slots = buckets(start, end, granularity)
    acc: dict[tuple, dict] = {}
    for c in charges(store, start, end, now, region):
        dims = dimensions(c, comps, tenancy, tenancy_name)
        tags = _tags(c.doc)
        if not matches(flt, dims, tags, comps):
            continue
        tag_vals = tuple(next((v for ns, k, v in tags if ns == tns and k == tk), None) for tns, tk in tag_keys)
        gkey = tuple(dims.get(g) for g in group_by) + tag_vals
        for a, b in slots:
            if b <= c.start or a >= c.end:
                continue
            units, usd = c.split(a, b)
            if units <= 0 and usd <= 0:
                continue
            item = acc.get((a, gkey))
            if item is None:
                item = acc[(a, gkey)] = {
                    "timeUsageStarted": ts(a), "timeUsageEnded": ts(b), "computedAmount": 0.0,
                    "computedQuantity": 0.0, "currency": "USD", "isForecast": False, "tenantId": tenancy}
                for g in group_by:
                    if g in dims:
                        item[g] = dims[g]
                if "resourceId" in group_by:
                    item["resourceName"] = dims.get("resourceName")
                if "skuPartNumber" in group_by or "skuName" in group_by:
                    item["unitPrice"] = item["listRate"] = prices.parts()[c.rule.part].usd
                    item["unit"] = prices.parts()[c.rule.part].unit
                if tag_keys:
                    item["tags"] = [{"namespace": ns, "key": k, "value": v}
                                    for (ns, k), v in zip(tag_keys, tag_vals, strict=True)]
            item["computedAmount"] += usd
            item["computedQuantity"] += units
    items = sorted(acc.values(), key=lambda d: (d["timeUsageStarted"], -d["computedAmount"]))
    for d in items:
        d["computedAmount"] = round(d["computedAmount"], 6)
        d["computedQuantity"] = round(d["computedQuantity"], 6)
    return items


def compute_spend(store, tenancy: str, start: float, end: float, now: float, flt: dict | None) -> float:
    """USD billed in [start, end) for what `flt` selects (budgets' actual spend)."""
    total = 0.0
    comps = Compartments(store, tenancy)
    for c in charges(store, start, end, now):
        dims = {"compartmentId": c.doc.get("compartmentId")}
        if flt is None or matches(flt, dims, _tags(c.doc), comps):
            total += c.split(start, end)[1]
    return total


@svc.op("request_summarized_usages")
def request_summarized_usages(ctx: Context) -> dict:
    b = ctx.body or {}
    tenant = b.get("tenantId")
    if tenant != ctx.tenancy_id:
        raise invalid(f"tenantId must be the tenancy's OCID ({ctx.tenancy_id}), got {str(tenant)[:120]!r}")
    granularity = b.get("granularity")
    if granularity not in GRANULARITIES:
        raise invalid(f"granularity must be one of {', '.join(GRANULARITIES)}")
    query_type = b.get("queryType") or "USAGE"
    if query_type not in ("USAGE", "COST"):
        raise invalid(f"queryType {query_type} is not supported by this tenancy's subscription (no credits): use "
                      "USAGE or COST")
    start = parse_datetime(b["timeUsageStarted"]).timestamp()
    end = parse_datetime(b["timeUsageEnded"]).timestamp()
    if end <= start:
        raise invalid("timeUsageEnded must be after timeUsageStarted")
    _check_alignment(start, end, granularity)
    if granularity == "HOURLY" and end - start > 31 * 86400:
        raise invalid("HOURLY granularity covers at most 31 days")
    if end - start > 400 * 86400:
        raise invalid("The period must not exceed a year (plus a month)")
    group_by = b.get("groupBy") or []
    for g in group_by:
        if g not in GROUP_BY:
            raise invalid(f"groupBy '{g}' is not one of {', '.join(GROUP_BY)}")
    check_filter(b.get("filter"))
    items = summarize(ctx.store, ctx.tenancy_id, start, end, ctx.now, granularity, group_by,
                      b.get("groupByTag"), b.get("filter"))
    if b.get("isAggregateByTime"):
        merged: dict[tuple, dict] = {}
        for d in items:
            key = tuple(d.get(g) for g in group_by) + tuple(
                (t["namespace"], t["key"], t["value"]) for t in d.get("tags") or [])
            m = merged.get(key)
            if m is None:
                merged[key] = dict(d, timeUsageStarted=ts(start), timeUsageEnded=ts(end))
            else:
                m["computedAmount"] = round(m["computedAmount"] + d["computedAmount"], 6)
                m["computedQuantity"] = round(m["computedQuantity"] + d["computedQuantity"], 6)
        items = list(merged.values())
    if query_type == "USAGE":
        for d in items:
            d.pop("currency", None)
    return {"groupBy": group_by, "items": items}
