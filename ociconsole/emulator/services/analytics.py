"""Analytics Cloud (`/analytics`, AnalyticsClient): Oracle Analytics Cloud instances and their work requests.

An instance has a feature set (ENTERPRISE_ANALYTICS, SELF_SERVICE_ANALYTICS: Enterprise and Professional
edition), a license type (LICENSE_INCLUDED, BRING_YOUR_OWN_LICENSE) and a capacity, by OCPUs (OLPU_COUNT:
1 for non-production, 2, 4, 6, 8, 10, 12 or 16, or a fixed 24, 36 or 52) or by users (USER_COUNT, 10 to
3,000). The tenancy's service limits are OCI's defaults for universal credits: 40 Enterprise and 4
Professional OCPUs, 200 users of each edition, per region (400 LimitExceeded beyond them). A create needs
an IDCS access token (`idcsAccessToken`, 400 without one) unless it names an identity domain (`domainId`),
a name that starts with a letter and holds only letters and digits (at most 25, unique among the region's
live instances), and a network endpoint: PUBLIC (allow-listed IPs or CIDRs, VCNs with their own IP lists,
or "ALL" Oracle services) or PRIVATE (a VCN and a subnet of it that exist, optional NSGs of that VCN).

Everything long-running answers with an `opc-work-request-id` of this service's own work-request API
(`get_work_request` under `/analytics`, what the SDK's composite operations and the CLI's
`--wait-for-state SUCCEEDED` poll): create (CREATING, then ACTIVE), stop (UPDATING, then INACTIVE; 409
unless ACTIVE), start (UPDATING, then ACTIVE; 409 unless INACTIVE), scale (UPDATING, then ACTIVE with the
new capacity; ACTIVE only, same capacity type, within the scalable 1-16 OCPUs or the users' range),
change compartment, change network endpoint and delete (DELETING, then DELETED, listed an hour).
`update_analytics_instance` (description, e-mail, license type, update channel, tags) is immediate, in
ACTIVE or INACTIVE. `serviceUrl` is formed as OCI forms it: `https://<name>-<namespace>-<region code>
.analytics.ocp.oraclecloud.com`. The demo seed has one Enterprise instance in Development.
"""

from __future__ import annotations

import ipaddress
import re

from .. import engine
from ..engine import KINDS, Kind, Lifecycle
from ..protocol import ApiError, incorrect_state, invalid, ts
from ..registry import Context, Result, Service
from . import workrequests
from .object_storage import namespace_of

svc = Service("analytics", name="analytics")

KIND = "analyticsinstance"
WR_SERVICE = "analytics"
NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,24}$")
OCPU_VALUES = (1, 2, 4, 6, 8, 10, 12, 16, 24, 36, 52)  # what the Console offers (Scaling: "OCPU range")
SCALABLE_OCPUS = (1, 16)  # an instance of 1-16 OCPUs scales within that range; 24, 36 and 52 do not scale
USERS = (10, 3000)
# service limits (default values for universal credits): (feature set, capacity type) -> (limit name, value)
LIMITS = {("ENTERPRISE_ANALYTICS", "OLPU_COUNT"): ("ee-ocpu-count", 40),
          ("SELF_SERVICE_ANALYTICS", "OLPU_COUNT"): ("se-ocpu-count", 4),
          ("ENTERPRISE_ANALYTICS", "USER_COUNT"): ("ee-user-count", 200),
          ("SELF_SERVICE_ANALYTICS", "USER_COUNT"): ("se-user-count", 200)}
# the two-letter region code of the service URL
REGION_CODES = {"us-ashburn-1": "ia", "us-phoenix-1": "px", "eu-frankfurt-1": "fr", "uk-london-1": "lh",
                "ap-tokyo-1": "ny"}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def service_url(name: str, tenancy_id: str, region: str) -> str:
    code = REGION_CODES.get(region, region.split("-")[1][:2] if "-" in region else region)
    return f"https://{name.lower()}-{namespace_of(tenancy_id)}-{code}.analytics.ocp.oraclecloud.com"


def check_capacity(cap, feature_set: str | None = None, field_name: str = "capacity") -> dict:
    if not isinstance(cap, dict):
        raise ApiError(400, "MissingParameter", f"{field_name} is required")
    ctype, value = cap.get("capacityType"), cap.get("capacityValue")
    if ctype not in ("OLPU_COUNT", "USER_COUNT"):
        raise invalid(f"{field_name}.capacityType must be OLPU_COUNT or USER_COUNT, got {ctype!r}")
    if not isinstance(value, int) or isinstance(value, bool):
        raise invalid(f"{field_name}.capacityValue must be a whole number")
    if ctype == "OLPU_COUNT" and value not in OCPU_VALUES:
        raise invalid(f"{field_name}.capacityValue: {value} OCPUs is not a capacity Oracle Analytics Cloud offers "
                      f"(1 for non-production, or {', '.join(map(str, OCPU_VALUES[1:]))})")
    if ctype == "USER_COUNT" and not USERS[0] <= value <= USERS[1]:
        raise invalid(f"{field_name}.capacityValue: {value} users is outside {USERS[0]}-{USERS[1]:,}")
    return {"capacityType": ctype, "capacityValue": value}


def _in_use(ctx: Context, feature_set: str, ctype: str, exclude: str | None = None) -> int:
    return sum((d.get("capacity") or {}).get("capacityValue", 0) for d in ctx.list(KIND)
               if d["id"] != exclude and d.get("featureSet") == feature_set
               and (d.get("capacity") or {}).get("capacityType") == ctype
               and d.get("lifecycleState") not in ("DELETING", "DELETED", "FAILED"))


def check_limit(ctx: Context, feature_set: str, cap: dict, exclude: str | None = None) -> None:
    name, limit = LIMITS[(feature_set, cap["capacityType"])]
    used = _in_use(ctx, feature_set, cap["capacityType"], exclude)
    if used + cap["capacityValue"] > limit:
        unit = "OCPUs" if cap["capacityType"] == "OLPU_COUNT" else "users"
        raise ApiError(400, "LimitExceeded",
                       f"The service limit {name} is {limit} {unit} in {ctx.region}; {used} are in use and "
                       f"{cap['capacityValue']} were requested. Request a limit increase or scale down another "
                       "instance")


def _ip_or_cidr(v, where: str) -> None:
    try:
        ipaddress.ip_network(str(v), strict=False)
    except ValueError:
        raise invalid(f"{where}: '{str(v)[:60]}' is not an IP address or CIDR block") from None


def check_network(ctx: Context, ned) -> dict:
    """The network endpoint as OCI keeps it (PUBLIC by default)."""
    if ned is None:
        return {"networkEndpointType": "PUBLIC"}
    if not isinstance(ned, dict):
        raise invalid("networkEndpointDetails must be an object")
    etype = ned.get("networkEndpointType")
    if etype == "PUBLIC":
        out: dict = {"networkEndpointType": "PUBLIC"}
        for i, ip in enumerate(ned.get("whitelistedIps") or []):
            _ip_or_cidr(ip, f"networkEndpointDetails.whitelistedIps[{i}]")
        if ned.get("whitelistedIps") is not None:
            out["whitelistedIps"] = list(ned["whitelistedIps"])
        vcns = []
        for i, v in enumerate(ned.get("whitelistedVcns") or []):
            where = f"networkEndpointDetails.whitelistedVcns[{i}]"
            vcn = KINDS["vcn"].find_live(ctx, "vcn", (v or {}).get("id"), f"{where}.id")
            for j, ip in enumerate((v or {}).get("whitelistedIps") or []):
                _ip_or_cidr(ip, f"{where}.whitelistedIps[{j}]")
            vcns.append({"id": vcn["id"], "whitelistedIps": list((v or {}).get("whitelistedIps") or [])})
        if ned.get("whitelistedVcns") is not None:
            out["whitelistedVcns"] = vcns
        services = ned.get("whitelistedServices")
        if services is not None:
            bad = [s for s in services if s != "ALL"]
            if bad:
                raise invalid(f"networkEndpointDetails.whitelistedServices: {bad[0]!r} is not a service (ALL)")
            out["whitelistedServices"] = list(services)
        return out
    if etype == "PRIVATE":
        vcn_id = ctx.require(ned.get("vcnId"), "networkEndpointDetails.vcnId")
        subnet_id = ctx.require(ned.get("subnetId"), "networkEndpointDetails.subnetId")
        vcn = KINDS["vcn"].find_live(ctx, "vcn", vcn_id, "networkEndpointDetails.vcnId")
        subnet = KINDS["subnet"].find_live(ctx, "subnet", subnet_id, "networkEndpointDetails.subnetId")
        if subnet.get("vcnId") != vcn["id"]:
            raise invalid(f"networkEndpointDetails.subnetId: the subnet {subnet_id} is not in the VCN {vcn_id}")
        nsgs = []
        for i, n in enumerate(ned.get("networkSecurityGroupIds") or []):
            nsg = KINDS["networksecuritygroup"].find_live(
                ctx, "networksecuritygroup", n, f"networkEndpointDetails.networkSecurityGroupIds[{i}]")
            if nsg.get("vcnId") != vcn["id"]:
                raise invalid(f"networkEndpointDetails.networkSecurityGroupIds[{i}]: the NSG is not in the VCN")
            nsgs.append(nsg["id"])
        return {"networkEndpointType": "PRIVATE", "vcnId": vcn["id"], "subnetId": subnet["id"],
                "networkSecurityGroupIds": nsgs}
    raise invalid(f"networkEndpointDetails.networkEndpointType must be PUBLIC or PRIVATE, got {etype!r}")


def _checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    email = body.get("emailNotification")
    if email is not None and email != "" and not EMAIL_RE.match(str(email)):
        raise invalid(f"emailNotification '{str(email)[:60]}' is not an e-mail address")
    if body.get("description") is not None and len(body["description"]) > 400:
        raise invalid("description must be at most 400 characters")
    if existing is not None:
        return {"timeUpdated": ctx.ts()}
    name = ctx.require(body.get("name"), "name")
    if not NAME_RE.match(str(name)):
        raise invalid(f"name '{str(name)[:60]}' is not valid: it must start with a letter and hold only letters "
                      "and digits, at most 25 characters")
    if not body.get("idcsAccessToken") and not body.get("domainId"):
        raise ApiError(400, "InvalidParameter",
                       "idcsAccessToken is required: an IDCS access token of the identity domain the instance "
                       "uses (or name the domain with domainId)")
    fs = body.get("featureSet")
    if fs not in ("ENTERPRISE_ANALYTICS", "SELF_SERVICE_ANALYTICS"):
        raise invalid(f"featureSet must be ENTERPRISE_ANALYTICS or SELF_SERVICE_ANALYTICS, got {fs!r}")
    lt = body.get("licenseType")
    if lt not in ("LICENSE_INCLUDED", "BRING_YOUR_OWN_LICENSE"):
        raise invalid(f"licenseType must be LICENSE_INCLUDED or BRING_YOUR_OWN_LICENSE, got {lt!r}")
    cap = check_capacity(body.get("capacity"), fs)
    check_limit(ctx, fs, cap)
    return {"capacity": cap, "networkEndpointDetails": check_network(ctx, body.get("networkEndpointDetails")),
            "serviceUrl": service_url(name, ctx.tenancy_id, ctx.region), "timeUpdated": ctx.ts(),
            "updateChannel": body.get("updateChannel") or "REGULAR", "privateAccessChannels": {},
            "vanityUrlDetails": {}, "systemTags": {}}


INSTANCE = svc.resource(Kind(
    KIND, "AnalyticsInstance", "analytics instance", lifecycle=Lifecycle(
        "CREATING", "ACTIVE", None, "DELETING", "DELETED", failed="FAILED"),
    live=("CREATING", "ACTIVE", "UPDATING", "INACTIVE"), name_field="name", unique=("name",),
    unique_scope="region", update_states=("ACTIVE", "INACTIVE"), validate=_checks,
    search="AnalyticsInstance", extra_list_filters={
        "capacityType": lambda d, w: (d.get("capacity") or {}).get("capacityType") == w}))


# ---------------------------------------------------------------- work requests

def _uri(doc: dict) -> str:
    return f"/20190331/analyticsInstances/{doc['id']}"


def _start_wr(ctx: Context, op_type: str, doc: dict, action: str, compartment: str | None = None) -> str:
    wr = workrequests.start(ctx, WR_SERVICE, op_type, compartment or doc["compartmentId"], [
        {"resourceType": "ANALYTICS_INSTANCE", "actionResult": action, "identifier": doc["id"],
         "resourceUri": _uri(doc), "metadata": {}}])
    return wr["id"]


def _settle(ctx: Context, doc: dict, via: str | None, to: str | None, wr: str, event: str = "updated",
            extra: dict | None = None) -> None:
    engine.transition(ctx, INSTANCE, doc, via, to, wr, event, extra)


# this service's own work-request API (get_work_request, list_work_requests, their errors and logs)
workrequests.serve(svc, WR_SERVICE, newest_first=True)


# ---------------------------------------------------------------- instances

@svc.op("create_analytics_instance")
def create_analytics_instance(ctx: Context):
    doc = INSTANCE.create(ctx)
    wr = _start_wr(ctx, "CREATE_ANALYTICS_INSTANCE", doc, "CREATED")
    # the instance becomes ACTIVE one transition on (the engine); its work request succeeds with it
    ctx.schedule(KIND, doc["id"], {}, steps=1, when_state=["ACTIVE", "CREATING"], hook="engine.settled",
                 args={"kind": KIND, "wr": wr, "event": "wr"})
    return Result(body=doc, status=202)


def _for_action(ctx: Context) -> dict:
    return ctx.get_for_write(KIND, ctx.path["analyticsInstanceId"], "analytics instance")


def _need(doc: dict, states: tuple[str, ...], what: str) -> None:
    if doc.get("lifecycleState") not in states:
        raise incorrect_state(f"The analytics instance {doc['name']} is {doc.get('lifecycleState')}; it can be "
                              f"{what} when {' or '.join(states)}")


@svc.op("stop_analytics_instance")
def stop_analytics_instance(ctx: Context):
    doc = _for_action(ctx)
    _need(doc, ("ACTIVE",), "stopped")
    _settle(ctx, doc, "UPDATING", "INACTIVE", _start_wr(ctx, "STOP_ANALYTICS_INSTANCE", doc, "STOPPED"))
    return Result(status=202)


@svc.op("start_analytics_instance")
def start_analytics_instance(ctx: Context):
    doc = _for_action(ctx)
    _need(doc, ("INACTIVE",), "started")
    _settle(ctx, doc, "UPDATING", "ACTIVE", _start_wr(ctx, "START_ANALYTICS_INSTANCE", doc, "STARTED"))
    return Result(status=202)


@svc.op("scale_analytics_instance")
def scale_analytics_instance(ctx: Context):
    doc = _for_action(ctx)
    _need(doc, ("ACTIVE",), "scaled")
    cap = check_capacity((ctx.body or {}).get("capacity"), doc["featureSet"])
    have = doc["capacity"]
    if cap["capacityType"] != have["capacityType"]:
        raise invalid(f"capacity.capacityType: the instance is sized by {have['capacityType']}; scaling cannot "
                      f"change it to {cap['capacityType']}")
    if cap["capacityValue"] == have["capacityValue"]:
        raise invalid(f"capacity.capacityValue: the instance already has {have['capacityValue']}")
    if cap["capacityType"] == "OLPU_COUNT":
        lo, hi = SCALABLE_OCPUS
        if not (lo <= have["capacityValue"] <= hi and lo <= cap["capacityValue"] <= hi):
            raise invalid(f"capacity.capacityValue: an instance scales between {lo} and {hi} OCPUs; one of "
                          f"{have['capacityValue']} OCPUs cannot be scaled to {cap['capacityValue']}")
    check_limit(ctx, doc["featureSet"], cap, exclude=doc["id"])
    _settle(ctx, doc, "UPDATING", "ACTIVE", _start_wr(ctx, "SCALE_ANALYTICS_INSTANCE", doc, "SCALED"),
            extra={"capacity": cap})
    return Result(status=202)


@svc.op("change_analytics_instance_network_endpoint")
def change_analytics_instance_network_endpoint(ctx: Context):
    doc = _for_action(ctx)
    _need(doc, ("ACTIVE",), "changed")
    ned = check_network(ctx, ctx.require((ctx.body or {}).get("networkEndpointDetails"), "networkEndpointDetails"))
    _settle(ctx, doc, "UPDATING", "ACTIVE", _start_wr(ctx, "CHANGE_ANALYTICS_INSTANCE_NETWORK_ENDPOINT", doc,
                                                      "NETWORK_ENDPOINT_CHANGED"),
            extra={"networkEndpointDetails": ned})
    return Result(status=202)


@svc.op("change_analytics_instance_compartment")
def change_analytics_instance_compartment(ctx: Context):
    doc = _for_action(ctx)
    _need(doc, ("ACTIVE", "INACTIVE"), "moved")
    comp = ctx.compartment((ctx.body or {}).get("compartmentId"))
    ctx.update(KIND, doc["id"], {"compartmentId": comp["id"], "timeUpdated": ctx.ts()})
    _settle(ctx, doc, None, None, _start_wr(ctx, "CHANGE_ANALYTICS_INSTANCE_COMPARTMENT", doc,
                                            "COMPARTMENT_CHANGED", compartment=comp["id"]))
    return Result(status=202)


@svc.op("delete_analytics_instance")
def delete_analytics_instance(ctx: Context):
    doc = _for_action(ctx)
    _need(doc, ("ACTIVE", "INACTIVE", "FAILED"), "deleted")
    _settle(ctx, doc, "DELETING", "DELETED", _start_wr(ctx, "DELETE_ANALYTICS_INSTANCE", doc, "DELETED"),
            event="deleted")
    return Result(status=202)


# ---------------------------------------------------------------- seed

@svc.seeder
def seed_analytics(seed) -> None:
    if seed.profile != "demo":
        return
    dev = next((c for c in seed.store.list("compartment") if c.get("name") == "Development"), None)
    if dev is None:
        return
    region = seed.core.home_region
    ident = seed.ocid("analyticsinstance", region)
    when = ts(seed.now - 21 * 86400)
    seed.store.put(KIND, {
        "id": ident, "_region": region, "compartmentId": dev["id"], "name": "salesinsights",
        "description": "Sales dashboards for the regional teams", "featureSet": "ENTERPRISE_ANALYTICS",
        "capacity": {"capacityType": "OLPU_COUNT", "capacityValue": 2}, "licenseType": "LICENSE_INCLUDED",
        "emailNotification": "analytics-admins@example.com", "updateChannel": "REGULAR",
        "networkEndpointDetails": {"networkEndpointType": "PUBLIC", "whitelistedIps": ["203.0.113.0/24"]},
        "serviceUrl": service_url("salesinsights", seed.core.tenancy_id, region), "privateAccessChannels": {},
        "vanityUrlDetails": {}, "lifecycleState": "ACTIVE", "timeCreated": when, "timeUpdated": when,
        "freeformTags": {"team": "sales"}, "definedTags": {}, "systemTags": {}})
