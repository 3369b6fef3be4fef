"""Budgets (`/budget`, BudgetClient): budgets over the sandbox's real costs, and their alert rules.

A budget lives in the root compartment (as in OCI) and targets compartments (`targetType` COMPARTMENT, the
spend of the compartment and its subcompartments) or cost-tracking tags (`TAG`, targets
"namespace.key.value" of a defined tag marked isCostTracking). Its amount is a positive number of USD per
month (`resetPeriod` MONTHLY; a negative or zero amount is a 400, as OCI refuses it). Its `actualSpend` is
what services/usage.py bills for the target since the start of the budget period (the calendar month, or the
month starting on `budgetProcessingPeriodStartOffset` for INVOICE/MONTH), `forecastedSpend` the actual spend
run on to the end of the period at the rate of the last 24 hours' costs, `timeSpendComputed` when that was.

Alert rules (`/budgets/{id}/alertRules`): ACTUAL or FORECAST spend, a PERCENTAGE (of the amount, 0-10,000)
or ABSOLUTE threshold (USD, positive), recipients (comma-separated e-mail addresses), a message. A rule fires
once per budget period when its spend first reaches its threshold: the spend is evaluated every hour of the
emulator's clock (a timer, so advancing the clock makes it happen) and on every read of budgets. Firing
records the rule's state (internal `_fired`: period, time, spend) and the e-mail OCI would send, as an
Notifications-style message (notifications.record_message; `GET /_emulator/messages` lists them).
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime

from ..engine import Kind, Lifecycle, as_collection
from ..protocol import invalid, ts
from ..registry import Context, Service
from . import notifications, usage

svc = Service("budget")

BUDGETS = Lifecycle(None, "ACTIVE", None, None, None)  # created ACTIVE; deleted: gone (404)
EVALUATE_EVERY = 3600.0
MAX_ALERT_RULES = 10  # OCI's limit of alert rules per budget
MAX_RECIPIENTS_CHARS = 4000
EMAIL_RE = re.compile(r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")
TAG_TARGET_RE = re.compile(r"^([^.]+)\.([^.]+)\.(.+)$")


def _budget_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    out: dict = {}
    if "amount" in body or existing is None:
        amount = body.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, (int, float)):
            raise invalid("amount is required: the budget's amount in USD per period")
        if amount <= 0:
            raise invalid(f"amount must be a positive number, got {amount:g}")
        if amount > 1e12:
            raise invalid("amount must be at most 1,000,000,000,000")
    offset = body.get("budgetProcessingPeriodStartOffset")
    if offset is not None and not 1 <= offset <= 28:
        raise invalid("budgetProcessingPeriodStartOffset must be a day of the month from 1 to 28")
    if body.get("resetPeriod") not in (None, "MONTHLY"):
        raise invalid("resetPeriod must be MONTHLY")
    if body.get("processingPeriodType") == "SINGLE_USE":
        if not body.get("startDate") or not body.get("endDate"):
            raise invalid("A SINGLE_USE budget needs startDate and endDate")
    if existing is not None:
        return out
    if body.get("compartmentId") != ctx.tenancy_id:
        raise invalid("Budgets are created in the root compartment (the tenancy)")
    if body.get("resetPeriod") is None:
        raise invalid("resetPeriod is required (MONTHLY)")
    ttype = body.get("targetType") or "COMPARTMENT"
    targets = list(body.get("targets") or [])
    if body.get("targetCompartmentId"):
        if targets and targets != [body["targetCompartmentId"]]:
            raise invalid("Give targets or targetCompartmentId, not both")
        targets = [body["targetCompartmentId"]]
    if len(targets) != 1:
        raise invalid("targets must hold exactly one compartment OCID or cost-tracking tag")
    if ttype == "COMPARTMENT":
        ctx.compartment(targets[0], "targets[0]")
        out["targetCompartmentId"] = targets[0]
    else:
        m = TAG_TARGET_RE.match(targets[0])
        if not m:
            raise invalid("targets[0]: a TAG target is namespace.key.value of a cost-tracking tag")
        ns, key = m.group(1), m.group(2)
        tag = next((t for t in ctx.store.list("tag") if t.get("tagNamespaceName") == ns and t.get("name") == key
                    and t.get("lifecycleState") == "ACTIVE"), None)
        if tag is None:
            raise invalid(f"targets[0]: there is no tag {ns}.{key}")
        if not tag.get("isCostTracking"):
            raise invalid(f"targets[0]: the tag {ns}.{key} is not a cost-tracking tag")
    out.update(targetType=ttype, targets=targets, version=1, alertRuleCount=0,
               processingPeriodType=body.get("processingPeriodType") or "INVOICE",
               budgetProcessingPeriodStartOffset=offset or 1, timeUpdated=ctx.ts())
    return out


def _after_create(ctx: Context, doc: dict) -> None:
    _arm(ctx.core)


BUDGET = svc.resource(Kind(
    "budget", "Budget", "budget", lifecycle=BUDGETS, validate=_budget_checks, on_create=_after_create,
    ops={"get": "", "list": ""}))


def _rule_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    merged = dict(existing or {})
    merged.update({k: v for k, v in body.items() if v is not None})
    for f in ("type", "threshold", "thresholdType"):
        if merged.get(f) is None:
            raise invalid(f"{f} is required")
    threshold = merged["threshold"]
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or threshold <= 0:
        raise invalid("threshold must be a positive number")
    if merged["thresholdType"] == "PERCENTAGE" and threshold > 10000:
        raise invalid("A PERCENTAGE threshold must be at most 10,000 (%)")
    recipients = merged.get("recipients") or ""
    if len(recipients) > MAX_RECIPIENTS_CHARS:
        raise invalid(f"recipients must be at most {MAX_RECIPIENTS_CHARS} characters")
    for r in [x.strip() for x in recipients.split(",") if x.strip()]:
        if not EMAIL_RE.match(r):
            raise invalid(f"recipients: '{r[:80]}' is not an e-mail address")
    if merged.get("message") and len(merged["message"]) > 1000:
        raise invalid("message must be at most 1,000 characters")
    if existing is None:
        budget = ctx.get("budget", ctx.path["budgetId"], "budget")
        if budget.get("alertRuleCount", 0) >= MAX_ALERT_RULES:
            raise invalid(f"A budget has at most {MAX_ALERT_RULES} alert rules")
        return {"budgetId": budget["id"], "version": 1, "timeUpdated": ctx.ts(), "recipients": recipients}
    return {"version": int(existing.get("version") or 1) + 1, "timeUpdated": ctx.ts()}


def _rule_created(ctx: Context, doc: dict) -> None:
    b = ctx.store.get("budget", doc["budgetId"])
    if b is not None:
        ctx.update("budget", b["id"], {"alertRuleCount": b.get("alertRuleCount", 0) + 1})
    evaluate(ctx.core)


def _rule_deleted(ctx: Context, doc: dict) -> None:
    b = ctx.store.get("budget", doc["budgetId"])
    if b is not None:
        ctx.update("budget", b["id"], {"alertRuleCount": max(0, b.get("alertRuleCount", 1) - 1)})


RULE = svc.resource(Kind(
    "budgetalertrule", "AlertRule", "alert rule", ocid="alertrule", default_name="alertrule",
    compartment=False, parent=("budgetId", "budget"),
    lifecycle=BUDGETS, validate=_rule_checks, on_create=_rule_created, on_delete=_rule_deleted))


def _budget_deleted(ctx: Context, doc: dict) -> None:
    for r in ctx.store.by_field("budgetalertrule", "budgetId", doc["id"]):
        ctx.delete("budgetalertrule", r["id"])


BUDGET.on_delete = _budget_deleted


# ---------------------------------------------------------------- spend

def period(doc: dict, now: float) -> tuple[float, float]:
    """[start, end) of the budget period `now` is in (the month from the start-offset day)."""
    if doc.get("processingPeriodType") == "SINGLE_USE" and doc.get("startDate") and doc.get("endDate"):
        from ..models import parse_datetime
        return parse_datetime(doc["startDate"]).timestamp(), parse_datetime(doc["endDate"]).timestamp()
    day = int(doc.get("budgetProcessingPeriodStartOffset") or 1)
    d = datetime.fromtimestamp(now, tz=UTC)
    y, m = d.year, d.month
    if d.day < day:
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    start = datetime(y, m, day, tzinfo=UTC)
    ny, nm = (y, m + 1) if m < 12 else (y + 1, 1)
    end = datetime(ny, nm, min(day, calendar.monthrange(ny, nm)[1]), tzinfo=UTC)
    return start.timestamp(), end.timestamp()


def target_filter(doc: dict) -> dict:
    if doc.get("targetType") == "TAG":
        m = TAG_TARGET_RE.match(doc["targets"][0])
        assert m is not None
        return {"operator": "AND", "tags": [{"namespace": m.group(1), "key": m.group(2), "value": m.group(3)}]}
    return {"operator": "AND", "dimensions": [{"key": "compartmentId", "value": doc["targets"][0]}]}


def spend(core, doc: dict, now: float) -> tuple[float, float]:
    """(actual, forecast) USD of the budget's current period."""
    start, end = period(doc, now)
    flt = target_filter(doc)
    actual = usage.compute_spend(core.store, core.tenancy_id, start, now, now, flt)
    recent_from = max(start, now - 86400.0)
    recent = usage.compute_spend(core.store, core.tenancy_id, recent_from, now, now, flt)
    rate = recent / (now - recent_from) if now > recent_from else 0.0
    return actual, actual + rate * max(0.0, end - now)


def with_spend(core, doc: dict, now: float) -> dict:
    actual, forecast = spend(core, doc, now)
    return dict(doc, actualSpend=round(actual, 4), forecastedSpend=round(forecast, 4), timeSpendComputed=ts(now))


def threshold_usd(budget: dict, rule: dict) -> float:
    t = float(rule["threshold"])
    return budget["amount"] * t / 100.0 if rule.get("thresholdType") == "PERCENTAGE" else t


def evaluate(core) -> int:
    """Fire the alert rules whose spend reached their threshold in this period (once each); how many fired."""
    store = core.store
    now = core.clock.now()
    fired = 0
    for b in store.list("budget"):
        rules = store.by_field("budgetalertrule", "budgetId", b["id"])
        rules = [r for r in rules if r.get("lifecycleState") == "ACTIVE"]
        if not rules:
            continue
        start, _end = period(b, now)
        actual, forecast = spend(core, b, now)
        for r in rules:
            if (r.get("_fired") or {}).get("period") == start:
                continue
            value = actual if r["type"] == "ACTUAL" else forecast
            limit = threshold_usd(b, r)
            if value < limit:
                continue
            store.update("budgetalertrule", r["id"], {"_fired": {"period": start, "at": now, "spend": value}})
            title = f"Budget alert: {b.get('displayName')} {r['type'].lower()} spend reached {_limit_text(r)}"
            body = (f"{r.get('message') or ''}\n\nBudget {b.get('displayName')} ({b['id']}): "
                    f"{r['type'].lower()} spend ${value:,.2f} of ${b['amount']:,.2f} for the period starting "
                    f"{ts(start)}; alert rule {r.get('displayName')} at {_limit_text(r)} "
                    f"(${limit:,.2f}).").strip()
            notifications.record_message(
                store, source="budget", title=title, body=body, now=now, region=b.get("_region"),
                recipients=[x.strip() for x in (r.get("recipients") or "").split(",") if x.strip()],
                about={"budgetId": b["id"], "alertRuleId": r["id"], "type": r["type"], "spend": round(value, 4),
                       "threshold": r["threshold"], "thresholdType": r["thresholdType"]})
            fired += 1
    return fired


def _limit_text(r: dict) -> str:
    return f"{r['threshold']:g}%" if r.get("thresholdType") == "PERCENTAGE" else f"${r['threshold']:,.2f}"


def _arm(core) -> None:
    """Keep one evaluation timer pending while budgets exist."""
    if not core.store.meta("budget.armed"):
        core.store.set_meta("budget.armed", True)
        core.store.schedule(core.clock.now() + EVALUATE_EVERY,
                            {"kind": None, "id": None, "set": {}, "when": None, "hook": "budget.evaluate",
                             "args": {}})


@svc.hook("budget.evaluate")
def _evaluate_hook(core, _doc: dict, _args: dict) -> None:
    evaluate(core)
    if core.store.count("budget"):
        core.store.schedule(core.clock.now() + EVALUATE_EVERY,
                            {"kind": None, "id": None, "set": {}, "when": None, "hook": "budget.evaluate",
                             "args": {}})
    else:
        core.store.del_meta("budget.armed")


# ---------------------------------------------------------------- reads (with the spend computed)

@svc.op("create_budget")
def create_budget(ctx: Context) -> dict:
    return with_spend(ctx.core, BUDGET.create(ctx), ctx.now)


@svc.op("update_budget")
def update_budget(ctx: Context) -> dict:
    doc = BUDGET.update(ctx)
    ctx.update("budget", doc["id"], {"version": int(doc.get("version") or 1) + 1, "timeUpdated": ctx.ts()})
    return with_spend(ctx.core, ctx.store.get("budget", doc["id"]), ctx.now)


@svc.op("get_budget")
def get_budget(ctx: Context) -> dict:
    evaluate(ctx.core)
    return with_spend(ctx.core, ctx.get("budget", ctx.path["budgetId"], "budget"), ctx.now)


@svc.op("list_budgets")
def list_budgets(ctx: Context):
    comp = ctx.compartment(ctx.query.get("compartmentId"))["id"]
    evaluate(ctx.core)
    docs = ctx.list("budget", comp)
    tt = ctx.query.get("targetType")
    if tt and tt != "ALL":
        docs = [d for d in docs if d.get("targetType") == tt]
    return as_collection(ctx, [with_spend(ctx.core, d, ctx.now) for d in docs])


# ---------------------------------------------------------------- seed

@svc.seeder
def seed_budgets(seed) -> None:
    """The demo's budgets: the whole tenancy's month, and Development's (over budget: its alert has fired)."""
    if seed.profile != "demo":
        return
    home = seed.core.home_region
    tenancy = seed.core.tenancy_id
    dev = next((c["id"] for c in seed.store.list("compartment") if c["name"] == "Development"), tenancy)
    for name, target, amount, description, rules in (
            ("acme-monthly", tenancy, 10000.0, "The whole tenancy's monthly spend",
             [("ACTUAL", 80.0, "PERCENTAGE", "finance@example.com", "80 % of the month's cloud budget is spent"),
              ("FORECAST", 100.0, "PERCENTAGE", "finance@example.com", "The month is forecast to go over budget")]),
            ("development-monthly", dev, 1500.0, "Development's sandbox budget",
             [("ACTUAL", 50.0, "PERCENTAGE", "dev-leads@example.com", "Half of Development's budget is spent")])):
        when = ts(seed.t(40, 30))
        bid = seed.ocid("budget")
        seed.store.put("budget", {
            "id": bid, "_region": home, "compartmentId": tenancy, "targetCompartmentId": target,
            "displayName": name, "description": description, "amount": amount, "resetPeriod": "MONTHLY",
            "budgetProcessingPeriodStartOffset": 1, "processingPeriodType": "INVOICE", "targetType": "COMPARTMENT",
            "targets": [target], "lifecycleState": "ACTIVE", "alertRuleCount": len(rules), "version": 1,
            "timeCreated": when, "timeUpdated": when, "freeformTags": {}, "definedTags": {}})
        for i, (rtype, threshold, ttype, recipients, message) in enumerate(rules):
            seed.store.put("budgetalertrule", {
                "id": seed.ocid("alertrule"), "_region": home, "budgetId": bid, "displayName": f"{name}-{i + 1}",
                "type": rtype, "threshold": threshold, "thresholdType": ttype, "recipients": recipients,
                "message": message, "lifecycleState": "ACTIVE", "version": 1, "timeCreated": when,
                "timeUpdated": when, "freeformTags": {}, "definedTags": {}})
    _arm(seed.core)
