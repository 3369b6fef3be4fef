"""Audit (`/audit`, AuditClient): every request the emulator answered, as OCI's audit events.

The request pipeline (core.EmulatorCore._audit) appends one record per request routed to an SDK operation
to the store's journal — refused ones too (a 401, 404 or 409 is audited as OCI audits it) — with who signed
it (the user OCID of the signature's keyId), from where (address, user agent), the operation, the resource
and compartment it concerned and the response status. Reading the audit trail itself is not recorded.

`list_events(compartmentId, startTime, endTime)` lists the events of that compartment (not its
subcompartments, as OCI) in [startTime, endTime), oldest first, 100 a page, in the schema of
oci.audit.models.AuditEvent (CloudEvents 0.1, eventTypeVersion 2.0). Events older than the tenancy's
retention period (`get_configuration` / `update_configuration`, 90-365 days, default 365) are not listed.
"""

from __future__ import annotations

from typing import Any

from ..core import RECORD_FIELDS
from ..models import parse_datetime
from ..protocol import invalid, ts
from ..registry import Context, Service

svc = Service("audit")

RETENTION_KEY = "audit.retentionPeriodDays"
RETENTION_DEFAULT = 365
RETENTION_MIN, RETENTION_MAX = 90, 365
_I = {f: i for i, f in enumerate(RECORD_FIELDS)}
_READS = ("GET", "HEAD")


def retention_days(store) -> int:
    return int(store.meta(RETENTION_KEY, RETENTION_DEFAULT))


@svc.op("get_configuration")
def get_configuration(ctx: Context) -> dict:
    ctx.compartment(ctx.query.get("compartmentId"))
    return {"retentionPeriodDays": retention_days(ctx.store)}


@svc.op("update_configuration")
def update_configuration(ctx: Context) -> None:
    ctx.compartment(ctx.query.get("compartmentId"))
    if ctx.query.get("compartmentId") != ctx.tenancy_id:
        raise invalid("The audit retention period is set on the tenancy (root compartment) only")
    days = (ctx.body or {}).get("retentionPeriodDays")
    if not isinstance(days, int) or isinstance(days, bool) or not RETENTION_MIN <= days <= RETENTION_MAX:
        raise invalid(f"retentionPeriodDays must be a whole number of days from {RETENTION_MIN} to {RETENTION_MAX}, "
                      f"got {days!r}")
    ctx.store.set_meta(RETENTION_KEY, days)
    return None


@svc.op("list_events")
def list_events(ctx: Context) -> list[dict]:
    comp = ctx.compartment(ctx.query.get("compartmentId"))["id"]
    start = parse_datetime(ctx.query["startTime"]).timestamp()
    end = parse_datetime(ctx.query["endTime"]).timestamp()
    if end < start:
        raise invalid("endTime must not be before startTime")
    start = max(start, ctx.now - retention_days(ctx.store) * 86400.0)
    it, ic, ir = _I["time"], _I["compartmentId"], _I["region"]
    records = [r for r in ctx.store.journal() if r[ic] == comp and start <= r[it] < end and r[ir] == ctx.region]
    names = _Names(ctx)
    return [event(r, names) for r in records]


class _Names:
    """Display names of principals and compartments, looked up once per listing."""

    def __init__(self, ctx: Context):
        self.store = ctx.store
        self._cache: dict[tuple[str, str], str | None] = {}

    def of(self, kind: str, ident: str | None) -> str | None:
        if not ident:
            return None
        key = (kind, ident)
        if key not in self._cache:
            doc = self.store.get(kind, ident)
            self._cache[key] = doc.get("name") if doc else None
        return self._cache[key]


def event_name(rec: tuple) -> str:
    """OCI's eventName: the operation in CamelCase (PutObject, LaunchInstance)."""
    return "".join(p.capitalize() for p in rec[_I["operation"]].split("_"))


def source_of(rec: tuple) -> str:
    """OCI's source: the service's API ("ComputeApi", "ObjectStorageApi")."""
    client = rec[_I["client"]] or rec[_I["module"]]
    return client.removesuffix("Client") + "Api"


def event(rec: tuple, names: _Names) -> dict[str, Any]:
    r = dict(zip(RECORD_FIELDS, rec, strict=False))
    name = event_name(rec)
    source = source_of(rec)
    when = ts(r["time"])
    user = r["userId"]
    data: dict[str, Any] = {
        "eventGroupingId": r["requestId"],
        "eventName": name,
        "compartmentId": r["compartmentId"],
        "compartmentName": names.of("compartment", r["compartmentId"]),
        "resourceName": r["resourceName"],
        "resourceId": r["resourceId"],
        "availabilityDomain": None,
        "freeformTags": {},
        "definedTags": {},
        "identity": {
            "principalName": names.of("user", user),
            "principalId": user,
            "authType": "natv" if user else None,
            "callerName": None,
            "callerId": None,
            "tenantId": r["tenancyId"],
            "ipAddress": r["ipAddress"],
            "credentials": r["keyId"],
            "userAgent": r["userAgent"],
            "consoleSessionId": None,
        },
        "request": {"id": r["requestId"], "path": r["path"], "action": r["method"], "parameters": {},
                    "headers": {}},
        "response": {"status": str(r["status"]), "responseTime": when, "headers": {}, "payload": {},
                     "message": f"{name} {'succeeded' if r['status'] < 400 else 'failed'}"},
        "stateChange": ({"previous": None, "current": {"lifecycleState": r["lifecycleState"]}}
                        if r["lifecycleState"] and r["method"] not in _READS else None),
        "additionalDetails": {"region": r["region"]},
    }
    return {"eventType": f"com.oraclecloud.{source.lower()}.{name.lower()}", "cloudEventsVersion": "0.1",
            "eventTypeVersion": "2.0", "source": source, "eventId": f"{r['requestId']}-audit",
            "eventTime": when, "contentType": "application/json", "data": data}
