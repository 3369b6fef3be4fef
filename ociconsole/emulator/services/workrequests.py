"""Work requests: the asynchronous-operation trackers of every service.

Services create them with `start(ctx, service, ...)` and complete them from their lifecycle hooks with
`finish(...)`. Clients poll them through the API of the service that made them: core's through
`oci.work_requests.WorkRequestClient` (`/work_requests`), Identity's through `IdentityClient`, and a service
with a work-request API of its own (Analytics, Integration, Data Science) declares it with
`serve(svc, "<service>")`.
"""

from __future__ import annotations

from ..engine import as_collection
from ..protocol import new_ocid, not_found, ts
from ..registry import Context, Service
from ..spec import module_specs

svc = Service("work_requests")
KIND = "workrequest"


def start(ctx: Context, service: str, operation_type: str, compartment_id: str,
          resources: list[dict], message: str | None = None) -> dict:
    """Create an ACCEPTED work request, put its id in the response headers, return it.

    `resources`: [{"entityType": "instance", "actionType": "CREATED", "identifier": id,
    "entityUri": "/20160918/instances/<id>"}]. `service` is "iaas" or "identity".
    """
    wr_type = {"iaas": "workrequest", "identity": "identityworkrequest"}.get(service, f"{service}workrequest")
    now = ctx.now
    doc = {
        "id": new_ocid(wr_type, ctx.region if service == "iaas" else None),
        "operationType": operation_type,
        "status": "ACCEPTED",
        "compartmentId": compartment_id,
        "resources": resources,
        "percentComplete": 0.0,
        "timeAccepted": ts(now),
        "_service": service,
        "_region": ctx.region if service == "iaas" else None,
        "_logs": [{"message": message or f"{operation_type} accepted", "timestamp": ts(now)}],
        "_errors": [],
    }
    doc = ctx.put(KIND, doc)
    ctx.response_headers["opc-work-request-id"] = doc["id"]
    ctx.schedule(KIND, doc["id"], {}, steps=0.0, when_state=None, hook="workrequests.started")
    return doc


def progress(core, wr_id: str, percent: float, message: str) -> None:
    doc = core.store.get(KIND, wr_id)
    if doc is None or doc["status"] in ("SUCCEEDED", "FAILED", "CANCELED"):
        return
    now = core.clock.now()
    changes = {"percentComplete": float(percent), "_logs": doc["_logs"] + [{"message": message, "timestamp": ts(now)}]}
    if doc["status"] == "ACCEPTED":
        changes.update(status="IN_PROGRESS", timeStarted=ts(now))
    core.store.update(KIND, wr_id, changes)


def finish(core, wr_id: str, ok: bool = True, message: str | None = None, code: str = "InternalError") -> None:
    doc = core.store.get(KIND, wr_id)
    if doc is None or doc["status"] in ("SUCCEEDED", "FAILED", "CANCELED"):
        return
    now = core.clock.now()
    changes = {
        "status": "SUCCEEDED" if ok else "FAILED",
        "percentComplete": 100.0 if ok else doc.get("percentComplete", 0.0),
        "timeFinished": ts(now),
        "_logs": doc["_logs"] + [{"message": message or ("Completed" if ok else "Failed"), "timestamp": ts(now)}],
    }
    if "timeStarted" not in doc:
        changes["timeStarted"] = ts(now)
    if not ok:
        changes["_errors"] = doc["_errors"] + [{"code": code, "message": message or "Failed", "timestamp": ts(now)}]
    core.store.update(KIND, wr_id, changes)


@svc.hook("workrequests.started")
def _started(core, doc: dict, _args: dict) -> None:
    if doc and doc.get("status") == "ACCEPTED":
        progress(core, doc["id"], 10.0, f"{doc['operationType']} started")


def _visible(ctx: Context, service: str, wr_id: str) -> dict:
    doc = ctx.store.get(KIND, wr_id)
    if doc is None or doc.get("_service") != service or doc.get("_region") not in (None, ctx.region):
        raise not_found("work request", wr_id)
    return doc


# query parameters of the services' list operations that name the resource a work request is about
_RESOURCE_FILTERS = ("resourceId", "resourceIdentifier", "integrationInstanceId", "waasPolicyId")


def _list(ctx: Context, service: str, newest_first: bool = False) -> list[dict]:
    q = ctx.query
    comp = q.get("compartmentId")
    if comp is not None:
        ctx.compartment(comp)
    rid = next((q[k] for k in _RESOURCE_FILTERS if q.get(k)), None)
    out = []
    for d in ctx.store.list(KIND, comp):
        if d.get("_service") != service or d.get("_region") not in (None, ctx.region):
            continue
        if rid and not any(r.get("identifier") == rid for r in d.get("resources", [])):
            continue
        if q.get("resourceType") and not any(r.get("resourceType") == q["resourceType"] for r in d["resources"]):
            continue
        if any(q.get(f) and d.get(f) != q[f] for f in ("id", "status", "operationType")) or \
                (q.get("workRequestId") and d["id"] != q["workRequestId"]):
            continue
        out.append(d)
    if newest_first:  # the service's documented default; sortOrder=ASC asks for the oldest first
        out.sort(key=lambda d: d.get("timeAccepted") or "", reverse=q.get("sortOrder") != "ASC")
    return out


def serve(api: Service, service: str, *, noun: str = "work_request", id_param: str = "workRequestId",
          view=None, newest_first: bool = False) -> None:
    """Serve a work-request API on `api`: get_<noun>, list_<noun>s, list_<noun>_errors and list_<noun>_logs
    over the work requests `start(ctx, service, ...)` made — what a service's SDK client polls (its composite
    operations' waiters, the CLI's --wait-for-state). `view` shapes a work request for models that carry
    their logs and errors inline (Identity's)."""
    show = view or (lambda d: d)
    have = module_specs(api.sdk_module)  # a client without errors/logs operations (WAAS's) gets none

    def op(name: str):
        return api.op(name) if name in have else (lambda fn: fn)

    @op(f"get_{noun}")
    def get(ctx: Context):
        return show(_visible(ctx, service, ctx.path[id_param]))

    @op(f"list_{noun}s")
    def list_(ctx: Context):
        return as_collection(ctx, [show(d) for d in _list(ctx, service, newest_first)])

    @op(f"list_{noun}_errors")
    def errors(ctx: Context):
        return as_collection(ctx, list(_visible(ctx, service, ctx.path[id_param])["_errors"]))

    @op(f"list_{noun}_logs")
    def logs(ctx: Context):
        return as_collection(ctx, list(_visible(ctx, service, ctx.path[id_param])["_logs"]))


def _identity_view(doc: dict) -> dict:
    d = dict(doc)
    d["logs"] = doc["_logs"]
    d["errors"] = doc["_errors"]
    return d


# core's work requests (oci.work_requests, iaas); Identity's: its classic ones (compartment moves and deletes,
# logs inline, no errors/logs operations of their own), IAM (domains) and tagging work requests
serve(svc, "iaas")
identity_ops = Service("identity", name="identity-workrequests")


@identity_ops.op("get_work_request")
def identity_get_work_request(ctx: Context):
    return _identity_view(_visible(ctx, "identity", ctx.path["workRequestId"]))


@identity_ops.op("list_work_requests")
def identity_list_work_requests(ctx: Context):
    return [_identity_view(d) for d in _list(ctx, "identity")]


serve(identity_ops, "iam", noun="iam_work_request", id_param="iamWorkRequestId")
serve(identity_ops, "tagging", noun="tagging_work_request")
