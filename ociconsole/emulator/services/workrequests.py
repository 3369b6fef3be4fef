"""Work requests: the asynchronous-operation trackers of Core (iaas) and Identity.

Other services create them with `start(...)` and complete them from their lifecycle hooks
with `finish(...)`; clients poll them through `oci.work_requests.WorkRequestClient`
(`/work_requests`) or `oci.identity.IdentityClient` (`/identity`).
"""

from __future__ import annotations

from ..protocol import new_ocid, not_found, ts
from ..registry import Context, Service

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


def _list(ctx: Context, service: str) -> list[dict]:
    comp = ctx.query.get("compartmentId")
    rid = ctx.query.get("resourceId") or ctx.query.get("resourceIdentifier")
    out = []
    for d in ctx.store.list(KIND, comp):
        if d.get("_service") != service or d.get("_region") not in (None, ctx.region):
            continue
        if rid and not any(r.get("identifier") == rid for r in d.get("resources", [])):
            continue
        out.append(d)
    return out


def _identity_view(doc: dict) -> dict:
    d = dict(doc)
    d["logs"] = doc["_logs"]
    d["errors"] = doc["_errors"]
    return d


# ---------------------------------------------------------------- oci.work_requests (iaas)

@svc.op("get_work_request")
def get_work_request(ctx: Context):
    return _visible(ctx, "iaas", ctx.path["workRequestId"])


@svc.op("list_work_requests")
def list_work_requests(ctx: Context):
    return _list(ctx, "iaas")


@svc.op("list_work_request_errors")
def list_work_request_errors(ctx: Context):
    return list(_visible(ctx, "iaas", ctx.path["workRequestId"])["_errors"])


@svc.op("list_work_request_logs")
def list_work_request_logs(ctx: Context):
    return list(_visible(ctx, "iaas", ctx.path["workRequestId"])["_logs"])


# ---------------------------------------------------------------- identity's work requests

identity_ops = Service("identity", name="identity-workrequests")


@identity_ops.op("get_work_request")
def identity_get_work_request(ctx: Context):
    return _identity_view(_visible(ctx, "identity", ctx.path["workRequestId"]))


@identity_ops.op("list_work_requests")
def identity_list_work_requests(ctx: Context):
    return [_identity_view(d) for d in _list(ctx, "identity")]


# ---------------------------------------------------------------- identity's IAM (domains) and tagging work requests

def _plain(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if not k.startswith("_")}


@identity_ops.op("list_iam_work_requests")
def identity_list_iam_work_requests(ctx: Context):
    ctx.compartment(ctx.query["compartmentId"])
    return [_plain(d) for d in _list(ctx, "iam")]


@identity_ops.op("get_iam_work_request")
def identity_get_iam_work_request(ctx: Context):
    return _plain(_visible(ctx, "iam", ctx.path["iamWorkRequestId"]))


@identity_ops.op("list_iam_work_request_errors")
def identity_list_iam_work_request_errors(ctx: Context):
    return list(_visible(ctx, "iam", ctx.path["iamWorkRequestId"])["_errors"])


@identity_ops.op("list_iam_work_request_logs")
def identity_list_iam_work_request_logs(ctx: Context):
    return list(_visible(ctx, "iam", ctx.path["iamWorkRequestId"])["_logs"])


@identity_ops.op("list_tagging_work_requests")
def identity_list_tagging_work_requests(ctx: Context):
    ctx.compartment(ctx.query["compartmentId"])
    return [_plain(d) for d in _list(ctx, "tagging")]


@identity_ops.op("get_tagging_work_request")
def identity_get_tagging_work_request(ctx: Context):
    return _plain(_visible(ctx, "tagging", ctx.path["workRequestId"]))


@identity_ops.op("list_tagging_work_request_errors")
def identity_list_tagging_work_request_errors(ctx: Context):
    return list(_visible(ctx, "tagging", ctx.path["workRequestId"])["_errors"])


@identity_ops.op("list_tagging_work_request_logs")
def identity_list_tagging_work_request_logs(ctx: Context):
    return list(_visible(ctx, "tagging", ctx.path["workRequestId"])["_logs"])
