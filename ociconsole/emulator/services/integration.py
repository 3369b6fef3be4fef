"""Integration (`/integration`, IntegrationInstanceClient): Oracle Integration instances and their work requests.

An instance has a type as the SDK enumerates them: STANDARD and ENTERPRISE (Oracle Integration Generation 2),
STANDARDX, ENTERPRISEX and HEALTHCARE (Oracle Integration 3), a license (`isByol`: a message pack is 5,000
messages an hour with a new license, 20,000 with an existing Fusion Middleware license; Healthcare has no
BYOL) and message packs within OCI's bounds: Generation 2 takes 1-12 with a new license and 1-3 with BYOL,
Oracle Integration 3 takes 1-100 either way. A create needs an IDCS access token (`idcsAt`, 400 without one)
unless it names an identity domain (`domainId`), a display name that starts with a letter and holds letters,
digits and hyphens (at most 50, unique among the region's live instances), and optionally a PUBLIC network
endpoint with allow-lists (IPs or CIDRs, VCNs that exist with their own IP lists, the integration VCN).

Every change answers with an `opc-work-request-id` of this service's work-request API (`get_work_request`
under `/integration`, what the SDK's composite operations and the CLI's `--wait-for-state SUCCEEDED`
poll): create (CREATING, then ACTIVE), update (the type, license, message packs, file server, Visual
Builder; UPDATING, then ACTIVE; ACTIVE only), stop (UPDATING, then INACTIVE; 409 unless ACTIVE), start
(UPDATING, then ACTIVE; 409 unless INACTIVE), change network endpoint, change compartment and delete
(DELETING, then DELETED, listed an hour). `instanceUrl` and `instanceDesignTimeUrl` are formed as OCI
forms them for the instance's generation. The demo seed has one Enterprise instance in Development.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re

from .. import engine
from ..engine import KINDS, Kind, Lifecycle
from ..protocol import ApiError, incorrect_state, invalid, ts
from ..registry import Context, Result, Service
from . import workrequests
from .object_storage import namespace_of

svc = Service("integration", name="integration")

KIND = "integrationinstance"
WR_SERVICE = "integration"
NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,49}$")
GEN2 = ("STANDARD", "ENTERPRISE")
GEN3 = ("STANDARDX", "ENTERPRISEX", "HEALTHCARE")
REGION_CODES = {"us-ashburn-1": "ia", "us-phoenix-1": "px", "eu-frankfurt-1": "fr", "uk-london-1": "lh",
                "ap-tokyo-1": "ny"}


def message_pack_bounds(itype: str, byol: bool) -> tuple[int, int]:
    """OCI's bounds on message packs for an instance type and license."""
    if itype in GEN2:
        return (1, 3) if byol else (1, 12)
    return (1, 100)


def urls(name: str, itype: str, tenancy_id: str, region: str) -> dict:
    code = REGION_CODES.get(region, region.split("-")[1][:2] if "-" in region else region)
    host = f"{name.lower()}-{namespace_of(tenancy_id)}-{code}"
    if itype in GEN2:
        return {"instanceUrl": f"https://{host}.integration.ocp.oraclecloud.com/ic/home",
                "instanceDesignTimeUrl": None}
    return {"instanceUrl": f"https://{host}.integration.{region}.ocp.oraclecloud.com",
            "instanceDesignTimeUrl": f"https://design.integration.{region}.ocp.oraclecloud.com/"
                                     f"?integrationInstance={host}"}


def idcs_info(name: str, itype: str, tenancy_id: str, region: str) -> dict:
    """The confidential application OCI registers in the identity domain for the instance."""
    app_id = hashlib.sha256(f"{tenancy_id}|{region}|{name}".encode()).hexdigest()[:32]
    stripe = hashlib.sha256(tenancy_id.encode()).hexdigest()[:32]
    return {"idcsAppId": app_id, "idcsAppName": f"{name.upper()}_{REGION_CODES.get(region, 'oc').upper()}_APPID",
            "idcsAppDisplayName": f"{name}-{namespace_of(tenancy_id)}", "idcsAppLocationUrl":
            f"https://idcs-{stripe}.identity.oraclecloud.com/admin/v1/Apps/{app_id}",
            "instancePrimaryAudienceUrl": urls(name, itype, tenancy_id, region)["instanceUrl"]}


def check_packs(itype: str, byol: bool, packs) -> int:
    if itype == "HEALTHCARE" and byol:
        raise invalid("isByol: the HEALTHCARE edition has no bring-your-own-license option")
    if not isinstance(packs, int) or isinstance(packs, bool):
        raise ApiError(400, "MissingParameter", "messagePacks is required (a whole number)")
    lo, hi = message_pack_bounds(itype, byol)
    if not lo <= packs <= hi:
        lic = "an existing license (BYOL)" if byol else "a new license"
        raise invalid(f"messagePacks: a {itype} instance with {lic} takes {lo}-{hi} message packs, got {packs}")
    return packs


def _ip_or_cidr(v, where: str) -> None:
    try:
        ipaddress.ip_network(str(v), strict=False)
    except ValueError:
        raise invalid(f"{where}: '{str(v)[:60]}' is not an IP address or CIDR block") from None


def check_network(ctx: Context, ned) -> dict | None:
    if ned is None:
        return None
    if not isinstance(ned, dict) or ned.get("networkEndpointType") != "PUBLIC":
        raise invalid("networkEndpointDetails.networkEndpointType must be PUBLIC")
    out: dict = {"networkEndpointType": "PUBLIC",
                 "isIntegrationVcnAllowlisted": bool(ned.get("isIntegrationVcnAllowlisted"))}
    ips = ned.get("allowlistedHttpIps")
    for i, ip in enumerate(ips or []):
        _ip_or_cidr(ip, f"networkEndpointDetails.allowlistedHttpIps[{i}]")
    out["allowlistedHttpIps"] = list(ips or [])
    vcns = []
    for i, v in enumerate(ned.get("allowlistedHttpVcns") or []):
        where = f"networkEndpointDetails.allowlistedHttpVcns[{i}]"
        vcn = KINDS["vcn"].find_live(ctx, "vcn", (v or {}).get("id"), f"{where}.id")
        for j, ip in enumerate((v or {}).get("allowlistedIps") or []):
            _ip_or_cidr(ip, f"{where}.allowlistedIps[{j}]")
        vcns.append({"id": vcn["id"], "allowlistedIps": list((v or {}).get("allowlistedIps") or [])})
    out["allowlistedHttpVcns"] = vcns
    return out


def _checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is not None:
        return {}
    name = ctx.require(body.get("displayName"), "displayName")
    if not NAME_RE.match(str(name)):
        raise invalid(f"displayName '{str(name)[:60]}' is not valid: it must start with a letter and hold only "
                      "letters, digits and hyphens, at most 50 characters")
    if not body.get("idcsAt") and not body.get("domainId"):
        raise ApiError(400, "InvalidParameter",
                       "idcsAt is required: an IDCS access token of the identity domain the instance uses "
                       "(or name the domain with domainId)")
    itype = body.get("integrationInstanceType")
    if itype not in GEN2 + GEN3:
        raise invalid(f"integrationInstanceType must be one of {', '.join(GEN2 + GEN3)}, got {itype!r}")
    byol = body.get("isByol")
    if not isinstance(byol, bool):
        raise ApiError(400, "MissingParameter", "isByol is required")
    packs = check_packs(itype, byol, body.get("messagePacks"))
    shape = body.get("shape") or "PRODUCTION"
    if itype in GEN2 and body.get("shape"):
        raise invalid("shape: DEVELOPMENT and PRODUCTION shapes are for Oracle Integration 3 types "
                      "(STANDARDX, ENTERPRISEX, HEALTHCARE)")
    out = {"messagePacks": packs, "isByol": byol, "isFileServerEnabled": bool(body.get("isFileServerEnabled")),
           "isVisualBuilderEnabled": bool(body.get("isVisualBuilderEnabled")),
           "consumptionModel": body.get("consumptionModel") or "UCM", "timeUpdated": ctx.ts(),
           "networkEndpointDetails": check_network(ctx, body.get("networkEndpointDetails")),
           "shape": shape if itype in GEN3 else None, "isDisasterRecoveryEnabled":
           bool(body.get("isDisasterRecoveryEnabled")), "dataRetentionPeriod": "MONTHS_1",
           "idcsInfo": idcs_info(name, itype, ctx.tenancy_id, ctx.region),
           "systemTags": {}, "securityAttributes": body.get("securityAttributes") or {}}
    out.update(urls(name, itype, ctx.tenancy_id, ctx.region))
    return out


INSTANCE = svc.resource(Kind(
    KIND, "IntegrationInstance", "integration instance", lifecycle=Lifecycle(
        "CREATING", "ACTIVE", None, "DELETING", "DELETED", failed="FAILED"),
    live=("CREATING", "ACTIVE", "UPDATING", "INACTIVE"), unique=("displayName",), unique_scope="region",
    validate=_checks, search="IntegrationInstance"))


# ---------------------------------------------------------------- work requests

def _start_wr(ctx: Context, op_type: str, doc: dict, action: str, compartment: str | None = None) -> str:
    wr = workrequests.start(ctx, WR_SERVICE, op_type, compartment or doc["compartmentId"], [
        {"entityType": "integrationInstance", "actionType": action, "identifier": doc["id"],
         "entityUri": f"/20190131/integrationInstances/{doc['id']}"}])
    return wr["id"]


def _settle(ctx: Context, doc: dict, via: str | None, to: str | None, wr: str, event: str = "updated",
            extra: dict | None = None) -> None:
    engine.transition(ctx, INSTANCE, doc, via, to, wr, event, extra)


# this service's own work-request API (get_work_request, list_work_requests, their errors and logs)
workrequests.serve(svc, WR_SERVICE, newest_first=True)


# ---------------------------------------------------------------- instances

@svc.op("create_integration_instance")
def create_integration_instance(ctx: Context):
    doc = INSTANCE.create(ctx)
    wr = _start_wr(ctx, "CREATE_INTEGRATION_INSTANCE", doc, "CREATED")
    ctx.schedule(KIND, doc["id"], {}, steps=1, when_state=["ACTIVE", "CREATING"], hook="engine.settled",
                 args={"kind": KIND, "wr": wr, "event": "wr"})
    return Result(status=202)  # OCI answers 202 with the work request only


def _for_action(ctx: Context) -> dict:
    return ctx.get_for_write(KIND, ctx.path["integrationInstanceId"], "integration instance")


def _need(doc: dict, states: tuple[str, ...], what: str) -> None:
    if doc.get("lifecycleState") not in states:
        raise incorrect_state(f"The integration instance {doc['displayName']} is {doc.get('lifecycleState')}; it "
                              f"can be {what} when {' or '.join(states)}")


@svc.op("update_integration_instance")
def update_integration_instance(ctx: Context):
    doc = _for_action(ctx)
    _need(doc, ("ACTIVE",), "updated")
    b = ctx.body or {}
    changes: dict = {}
    itype = b.get("integrationInstanceType") or doc["integrationInstanceType"]
    if itype != doc["integrationInstanceType"]:
        if (doc["integrationInstanceType"] in GEN2) != (itype in GEN2):
            raise invalid(f"integrationInstanceType: a {doc['integrationInstanceType']} instance cannot become "
                          f"{itype} (another generation); use convert_instance")
        if doc["integrationInstanceType"] == "HEALTHCARE":
            raise invalid("integrationInstanceType: a HEALTHCARE instance cannot be downgraded")
        changes["integrationInstanceType"] = itype
    byol = b["isByol"] if isinstance(b.get("isByol"), bool) else doc["isByol"]
    packs = b["messagePacks"] if b.get("messagePacks") is not None else doc["messagePacks"]
    changes["messagePacks"] = check_packs(itype, byol, packs)
    changes["isByol"] = byol
    if b.get("displayName") is not None and b["displayName"] != doc["displayName"]:
        raise invalid("displayName: an integration instance cannot be renamed")
    for f in ("isFileServerEnabled", "isVisualBuilderEnabled"):
        if isinstance(b.get(f), bool):
            changes[f] = b[f]
    changes.update(ctx.tags(b))
    if "integrationInstanceType" in changes:
        changes.update(urls(doc["displayName"], itype, ctx.tenancy_id, ctx.region))
    _settle(ctx, doc, "UPDATING", "ACTIVE", _start_wr(ctx, "UPDATE_INTEGRATION_INSTANCE", doc, "UPDATED"),
            extra=changes)
    return Result(status=202)


@svc.op("stop_integration_instance")
def stop_integration_instance(ctx: Context):
    doc = _for_action(ctx)
    _need(doc, ("ACTIVE",), "stopped")
    _settle(ctx, doc, "UPDATING", "INACTIVE", _start_wr(ctx, "STOP_INTEGRATION_INSTANCE", doc, "STOPPED"))
    return Result(status=202)


@svc.op("start_integration_instance")
def start_integration_instance(ctx: Context):
    doc = _for_action(ctx)
    _need(doc, ("INACTIVE",), "started")
    _settle(ctx, doc, "UPDATING", "ACTIVE", _start_wr(ctx, "START_INTEGRATION_INSTANCE", doc, "STARTED"))
    return Result(status=202)


@svc.op("change_integration_instance_network_endpoint")
def change_integration_instance_network_endpoint(ctx: Context):
    doc = _for_action(ctx)
    _need(doc, ("ACTIVE",), "changed")
    ned = check_network(ctx, (ctx.body or {}).get("networkEndpointDetails"))
    _settle(ctx, doc, "UPDATING", "ACTIVE", _start_wr(ctx, "UPDATE_INTEGRATION_INSTANCE", doc, "UPDATED"),
            extra={"networkEndpointDetails": ned})
    return Result(status=202)


@svc.op("change_integration_instance_compartment")
def change_integration_instance_compartment(ctx: Context):
    doc = _for_action(ctx)
    _need(doc, ("ACTIVE", "INACTIVE"), "moved")
    comp = ctx.compartment((ctx.body or {}).get("compartmentId"))
    ctx.update(KIND, doc["id"], {"compartmentId": comp["id"], "timeUpdated": ctx.ts()})
    _settle(ctx, doc, None, None, _start_wr(ctx, "UPDATE_INTEGRATION_INSTANCE", doc, "UPDATED",
                                            compartment=comp["id"]))
    return Result(status=202)


@svc.op("delete_integration_instance")
def delete_integration_instance(ctx: Context):
    doc = _for_action(ctx)
    _need(doc, ("ACTIVE", "INACTIVE", "FAILED"), "deleted")
    _settle(ctx, doc, "DELETING", "DELETED", _start_wr(ctx, "DELETE_INTEGRATION_INSTANCE", doc, "DELETED"),
            event="deleted")
    return Result(status=202)


# ---------------------------------------------------------------- seed

@svc.seeder
def seed_integration(seed) -> None:
    if seed.profile != "demo":
        return
    dev = next((c for c in seed.store.list("compartment") if c.get("name") == "Development"), None)
    if dev is None:
        return
    region = seed.core.home_region
    when = ts(seed.now - 34 * 86400)
    name = "orders-hub"
    doc = {"id": seed.ocid("integrationinstance", region), "_region": region, "compartmentId": dev["id"],
           "displayName": name, "integrationInstanceType": "ENTERPRISEX", "isByol": False, "messagePacks": 2,
           "isFileServerEnabled": True, "isVisualBuilderEnabled": False, "consumptionModel": "UCM",
           "shape": "PRODUCTION", "isDisasterRecoveryEnabled": False, "dataRetentionPeriod": "MONTHS_1",
           "networkEndpointDetails": {"networkEndpointType": "PUBLIC", "allowlistedHttpIps": ["198.51.100.0/24"],
                                      "allowlistedHttpVcns": [], "isIntegrationVcnAllowlisted": False},
           "lifecycleState": "ACTIVE", "timeCreated": when, "timeUpdated": when,
           "freeformTags": {"team": "orders"}, "definedTags": {}, "systemTags": {}, "securityAttributes": {}}
    doc.update(urls(name, "ENTERPRISEX", seed.core.tenancy_id, region))
    doc["idcsInfo"] = idcs_info(name, "ENTERPRISEX", seed.core.tenancy_id, region)
    seed.store.put(KIND, doc)
