"""Audit, cost and budgets: the audit trail of a compartment or resource, filtered; the cost of a compartment
by service and day (RequestSummarizedUsages); budgets with their spend and alert rules.

No Qt: the console's Audit and Cost views show what these return.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from ..core.sdk import models as sdk_models
from .runtime import Session

UTC = _dt.UTC


# ---------------------------------------------------------------- audit

@dataclass
class AuditRow:
    """One audit event as the Audit view lists it."""

    time: _dt.datetime
    operation: str
    user: str  # principal name (or OCID)
    user_id: str | None
    status: str
    resource: str
    resource_id: str | None
    source: str
    ip: str
    request_id: str
    event: Any = None  # the SDK's AuditEvent

    @property
    def failed(self) -> bool:
        return self.status[:1] in ("4", "5")


def row_of(e: Any) -> AuditRow:
    d = e.data
    ident = d.identity
    return AuditRow(time=e.event_time, operation=d.event_name or "", user=(ident.principal_name or ident.principal_id
                                                                              or "") if ident else "",
                    user_id=ident.principal_id if ident else None,
                    status=(d.response.status if d.response else "") or "",
                    resource=d.resource_name or d.resource_id or "", resource_id=d.resource_id,
                    source=e.source or "", ip=(ident.ip_address if ident else "") or "",
                    request_id=(d.request.id if d.request else "") or "", event=e)


async def audit_events(session: Session, compartment_id: str, hours: float = 24.0,
                       end: _dt.datetime | None = None) -> list[AuditRow]:
    """The compartment's audit events of the last `hours` (every page of ListEvents), newest first."""
    end = end or _dt.datetime.now(UTC) + _dt.timedelta(minutes=1)
    start = end - _dt.timedelta(hours=hours)
    out: list[AuditRow] = []
    page = None
    while True:
        kw: dict[str, Any] = {"page": page} if page else {}
        resp = await session.call("audit", "list_events", compartment_id, start, end, **kw)
        out.extend(row_of(e) for e in resp.data)
        page = resp.headers.get("opc-next-page") if resp.headers else None
        if not page:
            break
    out.sort(key=lambda r: r.time, reverse=True)
    return out


def filter_events(rows: list[AuditRow], user: str = "", operation: str = "", status: str = "",
                  resource_id: str | None = None) -> list[AuditRow]:
    """The rows matching every filter given: user and operation by substring (any case), status "failed",
    "succeeded" or a status code ("404"), and the resource (its OCID) an event concerned."""
    u, o, s = user.strip().lower(), operation.strip().lower(), status.strip().lower()
    out = []
    for r in rows:
        if u and u not in r.user.lower() and u != (r.user_id or "").lower():
            continue
        if o and o not in r.operation.lower():
            continue
        if s == "failed" and not r.failed or s == "succeeded" and r.failed:
            continue
        if s and s not in ("failed", "succeeded") and r.status != s:
            continue
        if resource_id and r.resource_id != resource_id:
            continue
        out.append(r)
    return out


# ---------------------------------------------------------------- cost

@dataclass
class CostByDay:
    """A compartment's cost per service and day: `amounts[service][i]` is the USD of `days[i]`."""

    days: list[_dt.date]
    amounts: dict[str, list[float]] = field(default_factory=dict)

    @property
    def services(self) -> list[str]:
        """Services, most expensive first."""
        return sorted(self.amounts, key=lambda s: -sum(self.amounts[s]))

    def total(self) -> float:
        return sum(sum(v) for v in self.amounts.values())

    def day_totals(self) -> list[float]:
        return [sum(v[i] for v in self.amounts.values()) for i in range(len(self.days))]

    def stacked(self) -> list[tuple[str, list[float], list[float]]]:
        """(service, bottoms, heights) per service, most expensive at the bottom: the bars of a stacked chart."""
        base = [0.0] * len(self.days)
        out = []
        for s in self.services:
            heights = list(self.amounts[s])
            out.append((s, list(base), heights))
            base = [b + h for b, h in zip(base, heights, strict=True)]
        return out


async def cost_by_day(session: Session, compartment_id: str, days: int = 14,
                      today: _dt.date | None = None) -> CostByDay:
    """The cost of a compartment (and its subcompartments) per service, for the last `days` days to today."""
    if "usage_api" not in session.prefetched:  # its SDK package (~50 ms to import) loads on a worker thread
        await session.prefetch(["usage_api"])
    m = sdk_models("usage_api")
    today = today or _dt.datetime.now(UTC).date()
    first = today - _dt.timedelta(days=days - 1)
    start = _dt.datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = _dt.datetime(today.year, today.month, today.day, tzinfo=UTC) + _dt.timedelta(days=1)
    details = m.RequestSummarizedUsagesDetails(
        tenant_id=session.tenancy_id, time_usage_started=start, time_usage_ended=end, granularity="DAILY",
        query_type="COST", group_by=["service"],
        filter=m.Filter(operator="AND", dimensions=[m.Dimension(key="compartmentId", value=compartment_id)]))
    out = CostByDay([first + _dt.timedelta(days=i) for i in range(days)])
    page = None
    while True:
        kw: dict[str, Any] = {"page": page} if page else {}
        resp = await session.call("usage_api", "request_summarized_usages", details, **kw)
        for item in resp.data.items or []:
            day = item.time_usage_started.astimezone(UTC).date()
            i = (day - first).days
            if 0 <= i < days:
                out.amounts.setdefault(item.service or "Other", [0.0] * days)[i] += item.computed_amount or 0.0
        page = resp.headers.get("opc-next-page") if resp.headers else None
        if not page:
            break
    return out


# ---------------------------------------------------------------- budgets

async def list_budgets(session: Session, compartment_id: str) -> list:
    """Budgets (they live in the root compartment) with their actual and forecast spend."""
    return await session.list_all("budget", "list_budgets", session.tenancy_id, lazy=False)


async def get_budget(session: Session, budget_id: str):
    return await session.data("budget", "get_budget", budget_id)


async def delete_budget(session: Session, budget_id: str) -> None:
    await session.call("budget", "delete_budget", budget_id)


async def alert_rules(session: Session, budget_id: str) -> list:
    return await session.list_all("budget", "list_alert_rules", budget_id, lazy=False)


def spent_share(budget: Any) -> float | None:
    """Actual spend as a share of the amount (1.0 = the whole budget), None before it is computed."""
    if budget.actual_spend is None or not budget.amount:
        return None
    return float(budget.actual_spend) / float(budget.amount)
