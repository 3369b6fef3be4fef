"""Compute hosts and capacity (`/core`, ComputeClient): dedicated VM hosts, capacity reservations,
capacity reports and topologies, compute clusters, compute hosts and host groups, firmware bundles,
image capability schemas, the app catalog (Marketplace images) and instance maintenance events.

Most kinds are declarations served by the resource engine; the handlers below are what is the
service's own:

- A dedicated VM host (DVH.Standard.E4.128 ...) has the OCPUs and memory of its shape; what remains
  is computed from the live instances whose `dedicatedVmHostId` names it (launch_instance places
  them: `check_placement` is the check it can call). A host with instances cannot be deleted (409).
- A capacity reservation holds instance reservation configs (shape, shape config, fault domain,
  reservedCount); usedCount is counted from the live instances whose `capacityReservationId` names it,
  matched by shape and fault domain. A config cannot be reserved below what is used, and a
  reservation in use cannot be deleted. One default reservation per compartment and AD.
- A capacity report answers, per shape and fault domain, how many instances of the requested size
  fit: each AD has a fixed host capacity per shape family and fault domain, less what live instances
  use and what reservations hold unused (`OUT_OF_HOST_CAPACITY` when none fits,
  `HARDWARE_NOT_SUPPORTED` for an unknown shape).
- A capacity topology of dedicated capacity brings its HPC island, network blocks and bare metal
  hosts (listed consistently with each other) and a compute host per bare metal host, in the
  capacity source's compartment. Hosts join host groups in their AD (one group at a time); a host
  group's configuration names a firmware bundle, checked and applied per host.
- Image capability schemas of custom images follow a version of the global schema: only its keys,
  descriptor types and values; `isMergeEnabled` merges the global defaults in.
- App catalog: partner listings with resource versions; a subscription needs the signature the
  version's agreements returned (and its time), for one hour.
- Maintenance events: Oracle schedules them (the demo seed has some); a customer may move the start
  of a reschedulable one before its hard due date, or choose one of its alternative actions.
"""

from __future__ import annotations

import hashlib
import math

from ..engine import ACTIVE, Kind, Lifecycle
from ..protocol import ApiError, conflict, incorrect_state, invalid, not_found, parse_ts, ts
from ..registry import Context, Service
from . import workrequests
from .compute import SHAPES, resolve_shape_config
from .identity import ad_names, fault_domains

svc = Service("core", name="compute_hosts")

GONE_INSTANCE = ("TERMINATING", "TERMINATED")


# ---------------------------------------------------------------- shared checks

def check_ad(ctx: Context, ad, field_name: str = "availabilityDomain") -> str:
    ctx.require(ad, field_name)
    if ad not in ad_names(ctx.region):
        raise invalid(f"{field_name} '{ad}' does not exist in {ctx.region} (known: {', '.join(ad_names(ctx.region))})")
    return ad


def check_fd(fd, field_name: str = "faultDomain"):
    if fd is not None and fd not in fault_domains():
        raise invalid(f"{field_name} '{fd}' is not valid (FAULT-DOMAIN-1, FAULT-DOMAIN-2 or FAULT-DOMAIN-3)")
    return fd


def live_instances(ctx: Context, field_name: str, value: str) -> list[dict]:
    return [d for d in ctx.store.by_field("instance", field_name, value)
            if d.get("lifecycleState") not in GONE_INSTANCE and d.get("_region") in (None, ctx.region)]


def _ocpus(inst: dict) -> float:
    return float((inst.get("shapeConfig") or {}).get("ocpus") or SHAPES.get(inst.get("shape"), {}).get("ocpus") or 0)


def _memory(inst: dict) -> float:
    return float((inst.get("shapeConfig") or {}).get("memoryInGBs")
                 or SHAPES.get(inst.get("shape"), {}).get("memoryInGBs") or 0)


# ---------------------------------------------------------------- dedicated VM hosts

def _dvh(ocpus, mem, shapes, encryption=False, burstable=False):
    return {"ocpus": float(ocpus), "memory": float(mem), "shapes": shapes,
            "capabilities": {"isMemoryEncryptionSupported": encryption, "isBurstableSupported": burstable}}


# OCI's dedicated virtual machine host shapes (Compute > Dedicated Virtual Machine Hosts)
DVH_SHAPES = {
    "DVH.Standard2.52": _dvh(52, 768, [f"VM.Standard2.{n}" for n in (1, 2, 4, 8, 16, 24)]),
    "DVH.Standard3.64": _dvh(64, 1024, ["VM.Standard3.Flex"]),
    "DVH.Standard.E4.128": _dvh(128, 2048, ["VM.Standard.E4.Flex"], encryption=True, burstable=True),
    "DVH.Standard.E5.192": _dvh(192, 2304, ["VM.Standard.E5.Flex"], encryption=True, burstable=True),
    "DVH.Standard.A1.160": _dvh(160, 1024, ["VM.Standard.A1.Flex"]),
}


def _dvh_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is not None:
        return {}
    name = ctx.require(body.get("dedicatedVmHostShape"), "dedicatedVmHostShape")
    shape = DVH_SHAPES.get(name)
    if shape is None:
        raise invalid(f"dedicatedVmHostShape '{name}' is not available (known: {', '.join(DVH_SHAPES)})")
    check_ad(ctx, body.get("availabilityDomain"))
    fd = check_fd(body.get("faultDomain")) or fault_domains()[ctx.core.rng.randrange(3)]
    caps = shape["capabilities"]
    if body.get("isMemoryEncryptionEnabled") and not caps["isMemoryEncryptionSupported"]:
        raise invalid(f"isMemoryEncryptionEnabled: {name} does not support memory encryption")
    if body.get("isBurstable") and not caps["isBurstableSupported"]:
        raise invalid(f"isBurstable: {name} does not support burstable instances")
    cfg = body.get("capacityConfig")
    if cfg is not None and cfg != "standard":
        raise invalid(f"capacityConfig '{cfg}' is not a capacity configuration of {name} (known: standard)")
    return {"faultDomain": fd, "capacityConfig": "standard", "isMemoryEncryptionEnabled":
            bool(body.get("isMemoryEncryptionEnabled")), "isBurstable": bool(body.get("isBurstable")),
            "totalOcpus": shape["ocpus"], "totalMemoryInGBs": shape["memory"], "totalLocalVolumeInGBs": 0.0,
            "remainingOcpus": shape["ocpus"], "remainingMemoryInGBs": shape["memory"],
            "remainingLocalVolumeInGBs": 0.0}


def _dvh_in_use(ctx: Context, doc: dict) -> None:
    n = len(live_instances(ctx, "dedicatedVmHostId", doc["id"]))
    if n:
        raise conflict(f"The dedicated virtual machine host {doc['displayName']} has {n} instance(s) placed on it; "
                       "terminate them before deleting the host")


DVH = svc.resource(Kind(
    "dedicatedvmhost", "DedicatedVmHost", "dedicated virtual machine host", lifecycle=ACTIVE,
    default_name="dedicatedvmhost", validate=_dvh_checks, check_delete=_dvh_in_use, search="DedicatedVmHost",
    extra_list_filters={"instanceShapeName": lambda d, w: w in DVH_SHAPES.get(d.get("dedicatedVmHostShape"),
                                                                               {}).get("shapes", [])}))


def dvh_view(ctx: Context, doc: dict) -> dict:
    """The host with what its live instances leave of its OCPUs and memory."""
    placed = live_instances(ctx, "dedicatedVmHostId", doc["id"])
    out = dict(doc)
    out["remainingOcpus"] = max(0.0, doc.get("totalOcpus", 0.0) - sum(_ocpus(i) for i in placed))
    out["remainingMemoryInGBs"] = max(0.0, doc.get("totalMemoryInGBs", 0.0) - sum(_memory(i) for i in placed))
    return out


def check_placement(ctx: Context, host_id: str, ad: str, shape: str, ocpus: float, memory: float) -> dict:
    """For launch_instance with `dedicatedVmHostId`: the ACTIVE host in the instance's AD that supports
    the shape and has the OCPUs and memory left (400/404 otherwise); the fields to set on the instance."""
    host = DVH.find_live(ctx, "dedicatedvmhost", host_id, "dedicatedVmHostId")
    if host["availabilityDomain"] != ad:
        raise invalid(f"dedicatedVmHostId: the host is in {host['availabilityDomain']}, not {ad}")
    if shape not in DVH_SHAPES[host["dedicatedVmHostShape"]]["shapes"]:
        raise invalid(f"shape {shape} cannot be placed on a {host['dedicatedVmHostShape']} host")
    view = dvh_view(ctx, host)
    if ocpus > view["remainingOcpus"] or memory > view["remainingMemoryInGBs"]:
        raise invalid(f"The dedicated virtual machine host has {view['remainingOcpus']:g} OCPUs and "
                      f"{view['remainingMemoryInGBs']:g} GB left; {ocpus:g} OCPUs and {memory:g} GB were requested")
    return {"dedicatedVmHostId": host["id"], "faultDomain": host["faultDomain"]}


@svc.op("get_dedicated_vm_host")
def get_dedicated_vm_host(ctx: Context):
    return dvh_view(ctx, DVH.get(ctx))


@svc.op("list_dedicated_vm_hosts")
def list_dedicated_vm_hosts(ctx: Context):
    q = ctx.query
    docs = [dvh_view(ctx, d) for d in DVH.list(ctx)]
    for key, f in (("remainingOcpusGreaterThanOrEqualTo", "remainingOcpus"),
                   ("remainingMemoryInGBsGreaterThanOrEqualTo", "remainingMemoryInGBs"),
                   ("remainingLocalVolumeInGBsGreaterThanOrEqualTo", "remainingLocalVolumeInGBs")):
        if q.get(key) is not None:
            docs = [d for d in docs if d.get(f, 0) >= float(q[key])]
    return docs


@svc.op("update_dedicated_vm_host")
def update_dedicated_vm_host(ctx: Context):
    return dvh_view(ctx, DVH.update(ctx))


@svc.op("list_dedicated_vm_host_instances")
def list_dedicated_vm_host_instances(ctx: Context):
    host = ctx.get("dedicatedvmhost", ctx.path["dedicatedVmHostId"], "dedicated virtual machine host")
    ctx.compartment(ctx.query.get("compartmentId"))
    out = []
    for i in live_instances(ctx, "dedicatedVmHostId", host["id"]):
        out.append({"availabilityDomain": i["availabilityDomain"], "compartmentId": i["compartmentId"],
                    "instanceId": i["id"], "shape": i["shape"], "timeCreated": i["timeCreated"],
                    "isMemoryEncryptionEnabled": bool(host.get("isMemoryEncryptionEnabled")),
                    "isBurstable": bool(host.get("isBurstable"))})
    return out


@svc.op("list_dedicated_vm_host_shapes")
def list_dedicated_vm_host_shapes(ctx: Context):
    ctx.compartment(ctx.query.get("compartmentId"))
    ads = [check_ad(ctx, ctx.query["availabilityDomain"])] if ctx.query.get("availabilityDomain") \
        else ad_names(ctx.region)
    want = ctx.query.get("instanceShapeName")
    out = []
    for ad in ads:
        for name, s in DVH_SHAPES.items():
            if want and want not in s["shapes"]:
                continue
            out.append({"availabilityDomain": ad, "dedicatedVmHostShape": name, "capacityConfigs": [
                {"capacityConfigName": "standard", "isDefault": True, "supportedCapabilities": s["capabilities"]}]})
    return out


@svc.op("list_dedicated_vm_host_instance_shapes")
def list_dedicated_vm_host_instance_shapes(ctx: Context):
    ctx.compartment(ctx.query.get("compartmentId"))
    ads = [check_ad(ctx, ctx.query["availabilityDomain"])] if ctx.query.get("availabilityDomain") \
        else ad_names(ctx.region)
    want = ctx.query.get("dedicatedVmHostShape")
    if want and want not in DVH_SHAPES:
        raise invalid(f"dedicatedVmHostShape '{want}' is not a dedicated virtual machine host shape")
    out = []
    for ad in ads:
        for name, s in DVH_SHAPES.items():
            if want and name != want:
                continue
            for inst in s["shapes"]:
                out.append({"availabilityDomain": ad, "instanceShapeName": inst,
                            "supportedCapabilities": s["capabilities"]})
    return out


# ---------------------------------------------------------------- capacity reservations

def _reservation_config(ctx: Context, c: dict, i: int) -> dict:
    where = f"instanceReservationConfigs[{i}]"
    name = ctx.require(c.get("instanceShape"), f"{where}.instanceShape")
    shape = SHAPES.get(name)
    if shape is None:
        raise invalid(f"{where}.instanceShape '{name}' cannot be reserved in {ctx.region}")
    check_fd(c.get("faultDomain"), f"{where}.faultDomain")
    count = c.get("reservedCount")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise invalid(f"{where}.reservedCount must be a whole number of instances, 0 or more")
    out = {"instanceShape": name, "reservedCount": count, "usedCount": 0}
    if c.get("faultDomain"):
        out["faultDomain"] = c["faultDomain"]
    sc = c.get("instanceShapeConfig") or {}
    if shape["isFlexible"]:
        try:
            cfg = resolve_shape_config(shape, {"ocpus": sc.get("ocpus"), "memoryInGBs": sc.get("memoryInGBs")})
        except ApiError as e:
            raise invalid(f"{where}.instanceShapeConfig: {e.message}") from None
        out["instanceShapeConfig"] = {"ocpus": cfg["ocpus"], "memoryInGBs": cfg["memoryInGBs"]}
    elif sc.get("ocpus") not in (None, shape["ocpus"]) or sc.get("memoryInGBs") not in (None, shape["memoryInGBs"]):
        raise invalid(f"{where}.instanceShapeConfig: {name} is a fixed shape; its size cannot be chosen")
    if sc.get("resourceManagement"):
        out.setdefault("instanceShapeConfig", {})["resourceManagement"] = sc["resourceManagement"]
    return out


def _config_key(c: dict) -> tuple:
    sc = c.get("instanceShapeConfig") or {}
    return c["instanceShape"], c.get("faultDomain"), sc.get("ocpus"), sc.get("memoryInGBs")


def _reservation_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    out: dict = {}
    ad = existing["availabilityDomain"] if existing else check_ad(ctx, body.get("availabilityDomain"))
    configs = body.get("instanceReservationConfigs")
    if existing is None and not configs:
        raise ApiError(400, "MissingParameter", "instanceReservationConfigs is required: at least one shape to reserve")
    if configs is not None:
        parsed = [_reservation_config(ctx, c, i) for i, c in enumerate(configs)]
        keys = [_config_key(c) for c in parsed]
        if len(set(keys)) != len(keys):
            raise invalid("instanceReservationConfigs: each shape, shape configuration and fault domain can be "
                          "reserved once")
        if existing is not None:
            used = reservation_view(ctx, existing)["instanceReservationConfigs"]
            for u in used:
                match = next((c for c in parsed if _config_key(c) == _config_key(u)), None)
                if u["usedCount"] and (match is None or match["reservedCount"] < u["usedCount"]):
                    raise invalid(f"instanceReservationConfigs: {u['usedCount']} instance(s) of {u['instanceShape']} "
                                  "use this reservation; it cannot reserve fewer")
        out["instanceReservationConfigs"] = parsed
        out["reservedInstanceCount"] = sum(c["reservedCount"] for c in parsed)
    if existing is None:
        out["usedInstanceCount"] = 0
        out["isDefaultReservation"] = bool(body.get("isDefaultReservation"))
    if body.get("isDefaultReservation"):
        comp = existing["compartmentId"] if existing else ctx.compartment(body.get("compartmentId"))["id"]
        for other in ctx.list("computecapacityreservation", comp):
            if other.get("isDefaultReservation") and other["availabilityDomain"] == ad and RESERVATION.is_live(other) \
                    and (existing is None or other["id"] != existing["id"]):
                raise conflict(f"{other['displayName']} is already the default reservation of this compartment in "
                               f"{ad}")
    out["timeUpdated"] = ctx.ts()
    return out


def _reservation_in_use(ctx: Context, doc: dict) -> None:
    n = len(live_instances(ctx, "capacityReservationId", doc["id"]))
    if n:
        raise conflict(f"{n} instance(s) use the capacity reservation {doc['displayName']}; terminate them first")


RESERVATION = svc.resource(Kind(
    "computecapacityreservation", "ComputeCapacityReservation", "capacity reservation",
    ocid="capacityreservation", lifecycle=ACTIVE, default_name="computecapacityreservation",
    validate=_reservation_checks, check_delete=_reservation_in_use, search="ComputeCapacityReservation"))


def reservation_view(ctx: Context, doc: dict) -> dict:
    """The reservation with usedCount counted from the instances that launched into it."""
    insts = live_instances(ctx, "capacityReservationId", doc["id"])
    configs = [dict(c, usedCount=0) for c in doc.get("instanceReservationConfigs", [])]
    for i in insts:
        for c in configs:
            if c["instanceShape"] == i.get("shape") and c.get("faultDomain") in (None, i.get("faultDomain")):
                c["usedCount"] += 1
                break
    out = dict(doc)
    out["instanceReservationConfigs"] = configs
    out["usedInstanceCount"] = len(insts)
    return out


@svc.op("get_compute_capacity_reservation")
def get_compute_capacity_reservation(ctx: Context):
    return reservation_view(ctx, RESERVATION.get(ctx))


@svc.op("list_compute_capacity_reservations")
def list_compute_capacity_reservations(ctx: Context):
    return [reservation_view(ctx, d) for d in RESERVATION.list(ctx)]


@svc.op("list_compute_capacity_reservation_instances")
def list_compute_capacity_reservation_instances(ctx: Context):
    res = ctx.get("computecapacityreservation", ctx.path["capacityReservationId"], "capacity reservation")
    q = ctx.query
    out = []
    for i in live_instances(ctx, "capacityReservationId", res["id"]):
        if q.get("compartmentId") and i["compartmentId"] != q["compartmentId"]:
            continue
        sc = i.get("shapeConfig") or {}
        out.append({"id": i["id"], "availabilityDomain": i["availabilityDomain"], "compartmentId": i["compartmentId"],
                    "faultDomain": i.get("faultDomain"), "shape": i["shape"],
                    "shapeConfig": {"ocpus": sc.get("ocpus"), "memoryInGBs": sc.get("memoryInGBs")}})
    return out


@svc.op("list_compute_capacity_reservation_instance_shapes")
def list_compute_capacity_reservation_instance_shapes(ctx: Context):
    ctx.compartment(ctx.query.get("compartmentId"))
    ads = [check_ad(ctx, ctx.query["availabilityDomain"])] if ctx.query.get("availabilityDomain") \
        else ad_names(ctx.region)
    return [{"availabilityDomain": ad, "instanceShape": s} for ad in ads for s in SHAPES
            if SHAPES[s].get("billingType") != "ALWAYS_FREE"]


# ---------------------------------------------------------------- capacity reports

# host capacity of each AD per fault domain, in OCPUs (bare metal: whole hosts)
HOST_CAPACITY_OCPUS = {"VM.Standard2": 1040, "VM.Standard3": 1280, "VM.Standard.E4": 2048, "VM.Standard.E5": 2304,
                       "VM.Standard.A1": 1600, "VM.Standard.E2": 64, "BM.Standard2": 52 * 4,
                       "BM.Standard3": 64 * 4, "BM.Standard.E4": 128 * 4}


def _family(shape: str) -> str:
    return shape.rsplit(".", 1)[0]


def _capacity_used(ctx: Context, ad: str, fd: str, family: str) -> float:
    """OCPUs of `family` taken in (ad, fd): live instances, and what reservations hold unused."""
    used = 0.0
    for i in ctx.store.list("instance"):
        if i.get("_region") in (None, ctx.region) and i.get("availabilityDomain") == ad and \
                i.get("faultDomain") == fd and _family(i.get("shape", "")) == family and \
                i.get("lifecycleState") not in GONE_INSTANCE and not i.get("capacityReservationId"):
            used += _ocpus(i)
    for r in ctx.store.list("computecapacityreservation"):
        if r.get("_region") != ctx.region or r["availabilityDomain"] != ad or not RESERVATION.is_live(r):
            continue
        for c in r.get("instanceReservationConfigs", []):
            if _family(c["instanceShape"]) != family or c.get("faultDomain", fd) != fd:
                continue
            per = (c.get("instanceShapeConfig") or {}).get("ocpus") or SHAPES[c["instanceShape"]]["ocpus"]
            share = 1.0 if c.get("faultDomain") else 1 / 3  # a reservation without a fault domain spreads over 3
            used += c["reservedCount"] * per * share
    return used


@svc.op("create_compute_capacity_report")
def create_compute_capacity_report(ctx: Context):
    b = ctx.body or {}
    comp = ctx.compartment(b.get("compartmentId"))
    ad = check_ad(ctx, b.get("availabilityDomain"))
    wants = b.get("shapeAvailabilities") or []
    if not wants:
        raise ApiError(400, "MissingParameter", "shapeAvailabilities is required: at least one shape")
    out = []
    for i, w in enumerate(wants):
        where = f"shapeAvailabilities[{i}]"
        name = ctx.require(w.get("instanceShape"), f"{where}.instanceShape")
        fd = check_fd(w.get("faultDomain"), f"{where}.faultDomain")
        cfg = w.get("instanceShapeConfig") or {}
        entry = {"instanceShape": name, "faultDomain": fd, "instanceShapeConfig": cfg or None}
        shape = SHAPES.get(name)
        if shape is None or _family(name) not in HOST_CAPACITY_OCPUS:
            out.append(dict(entry, availableCount=0, availabilityStatus="HARDWARE_NOT_SUPPORTED"))
            continue
        if shape["isFlexible"]:
            try:
                sc = resolve_shape_config(shape, {"ocpus": cfg.get("ocpus"), "memoryInGBs": cfg.get("memoryInGBs")})
            except ApiError as e:
                raise invalid(f"{where}.instanceShapeConfig: {e.message}") from None
            per, mem = sc["ocpus"], sc["memoryInGBs"]
            entry["instanceShapeConfig"] = {"ocpus": per, "memoryInGBs": mem}
        else:
            per = shape["ocpus"]
        fam = _family(name)
        count = 0
        for f in [fd] if fd else fault_domains():
            free = HOST_CAPACITY_OCPUS[fam] - _capacity_used(ctx, ad, f, fam)
            count += max(0, math.floor(free / per + 1e-9))
        out.append(dict(entry, availableCount=count, availabilityStatus="AVAILABLE" if count else
                        "OUT_OF_HOST_CAPACITY"))
    return {"compartmentId": comp["id"], "availabilityDomain": ad, "shapeAvailabilities": out,
            "timeCreated": ctx.ts()}


# ---------------------------------------------------------------- capacity topologies and compute hosts

TOPOLOGY_SHAPE = "BM.Standard.E4.128"
BLOCKS, HOSTS_PER_BLOCK = 2, 4


def _topology_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    src = body.get("capacitySource")
    if existing is None:
        check_ad(ctx, body.get("availabilityDomain"))
        ctx.require(src, "capacitySource")
    if src is not None:
        if src.get("capacityType") != "DEDICATED":
            raise invalid(f"capacitySource.capacityType '{src.get('capacityType')}' is not valid (DEDICATED)")
        comp = ctx.compartment(src.get("compartmentId"), "capacitySource.compartmentId")
        return {"capacitySource": {"capacityType": "DEDICATED", "compartmentId": comp["id"]},
                "timeUpdated": ctx.ts()}
    return {"timeUpdated": ctx.ts()}


def _topology_created(ctx: Context, doc: dict) -> None:
    """The dedicated capacity the topology describes: an HPC island, its network blocks, their hosts."""
    t = ctx.ts()
    common = {"computeCapacityTopologyId": doc["id"], "_region": ctx.region, "timeCreated": t, "timeUpdated": t,
              "availabilityDomain": doc["availabilityDomain"], "lifecycleState": "ACTIVE"}
    island = ctx.put("computehpcisland", dict(common, id=ctx.new_id("computehpcisland"),
                                                  totalComputeBareMetalHostCount=BLOCKS * HOSTS_PER_BLOCK))
    host_comp = doc["capacitySource"]["compartmentId"]
    for b in range(BLOCKS):
        block = ctx.put("computenetworkblock", dict(common, id=ctx.new_id("computenetworkblock"),
                                                        computeHpcIslandId=island["id"],
                                                        totalComputeBareMetalHostCount=HOSTS_PER_BLOCK))
        for h in range(HOSTS_PER_BLOCK):
            local = ctx.new_id("computelocalblock")
            fd = fault_domains()[(b * HOSTS_PER_BLOCK + h) % 3]
            host = ctx.put("computehost", {
                "id": ctx.new_id("computehost"), "compartmentId": host_comp, "_region": ctx.region,
                "availabilityDomain": doc["availabilityDomain"], "faultDomain": fd, "hpcIslandId": island["id"],
                "networkBlockId": block["id"], "localBlockId": local, "shape": TOPOLOGY_SHAPE,
                "platform": TOPOLOGY_SHAPE, "health": "HEALTHY", "lifecycleState": "AVAILABLE",
                "hasImpactedComponents": False,
                "displayName": f"{doc['displayName']}-host-{b + 1}-{h + 1}", "firmwareBundleId": FIRMWARE[0]["id"],
                "hostCorrelationId": f"{doc['id'][-12:]}-{b}{h}", "configurationState": "UNKNOWN",
                "_topology": doc["id"], "timeCreated": t, "timeUpdated": t, "freeformTags": {}, "definedTags": {}})
            ctx.put("computebaremetalhost", dict(common, id=ctx.new_id("computebaremetalhost"),
                                                     computeHpcIslandId=island["id"], computeNetworkBlockId=block["id"],
                                                     computeLocalBlockId=local, instanceShape=TOPOLOGY_SHAPE,
                                                     lifecycleState="AVAILABLE", _host=host["id"]))


def _topology_in_use(ctx: Context, doc: dict) -> None:
    busy = [h for h in ctx.store.by_field("computehost", "_topology", doc["id"]) if h.get("instanceId")]
    if busy:
        raise conflict(f"{len(busy)} host(s) of the capacity topology run instances; terminate them first")


def _topology_deleted(ctx: Context, doc: dict) -> None:
    for kind, f in (("computebaremetalhost", "computeCapacityTopologyId"),
                    ("computenetworkblock", "computeCapacityTopologyId"),
                    ("computehpcisland", "computeCapacityTopologyId"), ("computehost", "_topology")):
        for d in ctx.store.by_field(kind, f, doc["id"]):
            ctx.delete(kind, d["id"])


TOPOLOGY = svc.resource(Kind(
    "computecapacitytopology", "ComputeCapacityTopology", "capacity topology", lifecycle=ACTIVE,
    default_name="computecapacitytopology", validate=_topology_checks, on_create=_topology_created,
    check_delete=_topology_in_use, on_delete=_topology_deleted))


def _topology_children(ctx: Context, kind: str, filters: dict[str, str]) -> dict:
    topo = ctx.get("computecapacitytopology", ctx.path["computeCapacityTopologyId"], "capacity topology")
    q = ctx.query
    if q.get("compartmentId") and q["compartmentId"] != topo["compartmentId"]:
        return {"items": []}
    docs = ctx.store.by_field(kind, "computeCapacityTopologyId", topo["id"])
    for query_key, f in filters.items():
        if q.get(query_key):
            docs = [d for d in docs if d.get(f) == q[query_key]]
    docs = sorted(docs, key=lambda d: d["id"])
    if kind == "computebaremetalhost":  # what runs on each host now
        docs = [dict(d, instanceId=(ctx.store.get("computehost", d["_host"]) or {}).get("instanceId")) for d in docs]
    return {"items": docs}


@svc.op("list_compute_capacity_topology_compute_hpc_islands")
def list_compute_hpc_islands(ctx: Context):
    return _topology_children(ctx, "computehpcisland", {})


@svc.op("list_compute_capacity_topology_compute_network_blocks")
def list_compute_network_blocks(ctx: Context):
    return _topology_children(ctx, "computenetworkblock", {"computeHpcIslandId": "computeHpcIslandId"})


@svc.op("list_compute_capacity_topology_compute_bare_metal_hosts")
def list_compute_bare_metal_hosts(ctx: Context):
    return _topology_children(ctx, "computebaremetalhost", {
        "computeHpcIslandId": "computeHpcIslandId", "computeNetworkBlockId": "computeNetworkBlockId",
        "computeLocalBlockId": "computeLocalBlockId"})


HOST = svc.resource(Kind(
    "computehost", "ComputeHost", "compute host", lifecycle=Lifecycle(None, "AVAILABLE", None, None, None),
    update_states=("AVAILABLE", "OCCUPIED"), extra_list_filters={
        "computeHostLifecycleState": lambda d, w: d.get("lifecycleState") == w,
        "computeHostHealth": lambda d, w: d.get("health") == w,
        "networkResourceId": lambda d, w: w in (d.get("hpcIslandId"), d.get("networkBlockId"),
                                                d.get("localBlockId"), d.get("gpuMemoryFabricId")),
        "computeHostInSubtree": lambda d, w: True}))


# ---------------------------------------------------------------- firmware bundles

def _bundle(n: int, version: str, bios: str, bmc: str, days: int, state: str = "ACTIVE") -> dict:
    return {"id": f"ocid1.firmwarebundle.oc1..aaaaaaaa{hashlib.sha256(version.encode()).hexdigest()[:52]}",
            "displayName": f"{TOPOLOGY_SHAPE} firmware {version}", "description":
            f"BIOS {bios}, BMC {bmc} for {TOPOLOGY_SHAPE} hosts", "lifecycleState": state, "_days": days,
            "platforms": [{"platform": TOPOLOGY_SHAPE, "versions": [{"componentType": "BIOS", "version": [bios]},
                                                                     {"componentType": "BMC", "version": [bmc]}]}]}


FIRMWARE = [_bundle(1, "2024.06", "3.2.1", "5.1.4", 420), _bundle(2, "2025.02", "3.4.0", "5.2.2", 240),
            _bundle(3, "2025.09", "3.5.2", "5.3.0", 60)]
DEFAULT_FIRMWARE = FIRMWARE[-1]["id"]


def _firmware(ctx: Context, b: dict) -> dict:
    ids = [f["id"] for f in FIRMWARE]
    i = ids.index(b["id"])
    out = {k: v for k, v in b.items() if not k.startswith("_")}
    out.update(compartmentId=ctx.tenancy_id, timeCreated=ts(ctx.now - b["_days"] * 86400),
               timeUpdated=ts(ctx.now - b["_days"] * 86400),
               allowableTransitions={"upgrades": ids[i + 1:], "downgrades": ids[max(0, i - 1):i]})
    return out


@svc.op("list_firmware_bundles")
def list_firmware_bundles(ctx: Context):
    q = ctx.query
    platform = ctx.require(q.get("platform"), "platform")
    out = []
    for b in FIRMWARE:
        if platform not in [p["platform"] for p in b["platforms"]]:
            continue
        if q.get("isDefaultBundle") is not None and (b["id"] == DEFAULT_FIRMWARE) != q["isDefaultBundle"]:
            continue
        if q.get("lifecycleState") and b["lifecycleState"] != q["lifecycleState"]:
            continue
        out.append(_firmware(ctx, b))
    return {"items": out}


@svc.op("get_firmware_bundle")
def get_firmware_bundle(ctx: Context):
    b = next((f for f in FIRMWARE if f["id"] == ctx.path["firmwareBundleId"]), None)
    if b is None:
        raise not_found("firmware bundle", ctx.path["firmwareBundleId"])
    return _firmware(ctx, b)


# ---------------------------------------------------------------- host groups

def _host_group_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is None:
        check_ad(ctx, body.get("availabilityDomain"))
    out = {"timeUpdated": ctx.ts()}
    configs = body.get("configurations")
    if configs is not None:
        ids = {f["id"] for f in FIRMWARE}
        for i, c in enumerate(configs):
            if c.get("firmwareBundleId") and c["firmwareBundleId"] not in ids:
                raise ApiError(404, "NotAuthorizedOrNotFound",
                               f"configurations[{i}].firmwareBundleId: firmware bundle {c['firmwareBundleId']} "
                               "does not exist")
        out["configurations"] = [dict(c, state="VALID") for c in configs]
    elif existing is None:
        out["isTargetedPlacementRequired"] = bool(body.get("isTargetedPlacementRequired"))
    return out


def _host_group_in_use(ctx: Context, doc: dict) -> None:
    n = len(ctx.store.by_field("computehost", "computeHostGroupId", doc["id"]))
    if n:
        raise conflict(f"{n} compute host(s) are attached to the host group {doc['displayName']}; detach them first")


HOST_GROUP = svc.resource(Kind(
    "computehostgroup", "ComputeHostGroup", "compute host group", lifecycle=Lifecycle(None, "ACTIVE", None, None,
                                                                                       "DELETED"),
    default_name="computehostgroup", validate=_host_group_checks, check_delete=_host_group_in_use))


def _host_wr(ctx: Context, op_type: str, host: dict) -> str:
    wr = workrequests.start(ctx, "iaas", op_type, host["compartmentId"], [
        {"entityType": "computehost", "actionType": "UPDATED", "identifier": host["id"],
         "entityUri": f"/20160918/computeHosts/{host['id']}"}])
    ctx.schedule(None, None, {}, steps=1, hook="compute_hosts.done", args={"wr": wr["id"]})
    return wr["id"]


@svc.hook("compute_hosts.done")
def _done(core, _doc: dict, args: dict) -> None:
    if args.get("host") and args.get("set"):
        if core.store.get("computehost", args["host"]) is not None:
            core.store.update("computehost", args["host"], args["set"])
    workrequests.finish(core, args["wr"])


@svc.op("attach_compute_host_group_host")
def attach_compute_host_group_host(ctx: Context):
    host = ctx.get_for_write("computehost", ctx.path["computeHostId"], "compute host")
    gid = ctx.require((ctx.body or {}).get("computeHostGroupId"), "computeHostGroupId")
    group = HOST_GROUP.find_live(ctx, "computehostgroup", gid, "computeHostGroupId")
    if host.get("computeHostGroupId"):
        raise conflict(f"The compute host is already in the host group {host['computeHostGroupId']}; detach it first")
    if group["availabilityDomain"] != host["availabilityDomain"]:
        raise invalid(f"The host group is in {group['availabilityDomain']}; the host is in "
                      f"{host['availabilityDomain']}")
    level = next((c.get("recycleLevel") for c in group.get("configurations") or [] if c.get("recycleLevel")),
                 "SKIP_RECYCLE")
    host = ctx.update("computehost", host["id"], {
        "computeHostGroupId": group["id"], "recycleDetails": {"recycleLevel": level, "computeHostGroupId": group["id"]},
        "configurationState": "UNKNOWN", "timeUpdated": ctx.ts()})
    _host_wr(ctx, "ATTACH_COMPUTE_HOST_GROUP_HOST", host)
    return host


@svc.op("detach_compute_host_group_host")
def detach_compute_host_group_host(ctx: Context):
    host = ctx.get_for_write("computehost", ctx.path["computeHostId"], "compute host")
    gid = ctx.require((ctx.body or {}).get("computeHostGroupId"), "computeHostGroupId")
    if host.get("computeHostGroupId") != gid:
        raise conflict(f"The compute host is not in the host group {gid}")
    ctx.update("computehost", host["id"], {"computeHostGroupId": None, "recycleDetails": None,
                                           "configurationState": "UNKNOWN", "timeUpdated": ctx.ts()})
    _host_wr(ctx, "DETACH_COMPUTE_HOST_GROUP_HOST", host)
    return None


def _target_firmware(ctx: Context, host: dict) -> str | None:
    group = ctx.find("computehostgroup", host.get("computeHostGroupId") or "")
    for c in (group or {}).get("configurations") or []:
        if c.get("firmwareBundleId"):
            return c["firmwareBundleId"]
    return None


@svc.op("check_host_configuration")
def check_host_configuration(ctx: Context):
    host = ctx.get_for_write("computehost", ctx.path["computeHostId"], "compute host")
    target = _target_firmware(ctx, host)
    if target is None:
        raise incorrect_state("The compute host is not in a host group with a firmware configuration")
    state = "CONFORMANT" if host.get("firmwareBundleId") == target else "NON_CONFORMANT"
    return ctx.update("computehost", host["id"], {
        "configurationState": state, "timeConfigurationCheck": ctx.ts(), "configurationData": {
            "checkDetails": {"type": "FIRMWARE", "configurationState": state, "firmwareBundleId": target}}})


@svc.op("apply_host_configuration")
def apply_host_configuration(ctx: Context):
    host = ctx.get_for_write("computehost", ctx.path["computeHostId"], "compute host")
    target = _target_firmware(ctx, host)
    if target is None:
        raise incorrect_state("The compute host is not in a host group with a firmware configuration")
    if host.get("instanceId"):
        raise incorrect_state("The compute host runs an instance; firmware is applied to free hosts only")
    host = ctx.update("computehost", host["id"], {"configurationState": "APPLYING", "timeUpdated": ctx.ts()})
    wr = workrequests.start(ctx, "iaas", "APPLY_HOST_CONFIGURATION", host["compartmentId"], [
        {"entityType": "computehost", "actionType": "UPDATED", "identifier": host["id"],
         "entityUri": f"/20160918/computeHosts/{host['id']}"}])
    ctx.schedule(None, None, {}, steps=1, hook="compute_hosts.done", args={
        "wr": wr["id"], "host": host["id"], "set": {
            "firmwareBundleId": target, "configurationState": "CONFORMANT",
            "configurationData": {"timeLastApply": ctx.ts(), "checkDetails": {
                "type": "FIRMWARE", "configurationState": "CONFORMANT", "firmwareBundleId": target}}}})
    return host


# ---------------------------------------------------------------- compute clusters

def _cluster_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is None:
        check_ad(ctx, body.get("availabilityDomain"))
    return {"timeUpdated": ctx.ts()}


def _cluster_in_use(ctx: Context, doc: dict) -> None:
    n = len(live_instances(ctx, "computeClusterId", doc["id"]))
    if n:
        raise conflict(f"The compute cluster {doc['displayName']} has {n} instance(s); terminate them first")


CLUSTER = svc.resource(Kind(
    "computecluster", "ComputeCluster", "compute cluster", lifecycle=Lifecycle(None, "ACTIVE", None, None, "DELETED"),
    default_name="computecluster", validate=_cluster_checks, check_delete=_cluster_in_use))


# ---------------------------------------------------------------- image capability schemas

def _enum(values, default):
    kind = "enuminteger" if isinstance(default, int) and not isinstance(default, bool) else "enumstring"
    return {"descriptorType": kind, "source": "GLOBAL", "values": values, "defaultValue": default}


def _boolean(default: bool):
    return {"descriptorType": "boolean", "source": "GLOBAL", "defaultValue": default}


_V1 = {
    "Compute.Firmware": _enum(["BIOS", "UEFI_64"], "UEFI_64"),
    "Compute.LaunchMode": _enum(["NATIVE", "EMULATED", "PARAVIRTUALIZED", "CUSTOM"], "PARAVIRTUALIZED"),
    "Network.AttachmentType": _enum(["E1000", "VFIO", "PARAVIRTUALIZED"], "PARAVIRTUALIZED"),
    "Storage.BootVolumeType": _enum(["ISCSI", "SCSI", "IDE", "PARAVIRTUALIZED"], "PARAVIRTUALIZED"),
    "Storage.LocalDataVolumeType": _enum(["ISCSI", "SCSI", "IDE", "PARAVIRTUALIZED"], "PARAVIRTUALIZED"),
    "Storage.RemoteDataVolumeType": _enum(["ISCSI", "SCSI", "IDE", "PARAVIRTUALIZED"], "PARAVIRTUALIZED"),
    "Storage.Iscsi.MultipathDeviceSupported": _boolean(False),
    "Storage.ParaVirtualization.EncryptionInTransit": _boolean(True),
    "Storage.ConsistentVolumeNaming": _boolean(True),
}
_V2 = dict(_V1, **{"Storage.ParaVirtualization.AttachmentVersion": _enum([1, 2], 2),
                   "Compute.SecureBoot": _boolean(False), "Compute.AMD_SecureEncryptedVirtualization": _boolean(False),
                   "Network.IPv6Only": _boolean(False)})
GLOBAL_SCHEMA_ID = "ocid1.computeglobalimgcapschema.oc1..aaaaaaaa6b4ktocuuzvzxczvyyykjyclxrlm7bgdgmbd3qwjrmbhaxtfyf3q"
GLOBAL_VERSIONS = {"2020-05-05": ("OCI.ComputeGlobalImageCapabilitySchema-2020-05-05", _V1, 1500),
                   "2024-08-29": ("OCI.ComputeGlobalImageCapabilitySchema-2024-08-29", _V2, 520)}
CURRENT_VERSION = "2024-08-29"


def _global_schema(ctx: Context) -> dict:
    return {"id": GLOBAL_SCHEMA_ID, "compartmentId": ctx.tenancy_id, "currentVersionName": CURRENT_VERSION,
            "displayName": "OCI.ComputeGlobalImageCapabilitySchema", "timeCreated": ts(ctx.now - 1500 * 86400),
            "freeformTags": {}, "definedTags": {}}


def _global_version(ctx: Context, name: str, with_data: bool = True) -> dict:
    display, data, days = GLOBAL_VERSIONS[name]
    out = {"name": name, "computeGlobalImageCapabilitySchemaId": GLOBAL_SCHEMA_ID, "displayName": display,
           "timeCreated": ts(ctx.now - days * 86400)}
    if with_data:
        out["schemaData"] = data
    return out


def _check_global(ctx: Context) -> None:
    if ctx.path["computeGlobalImageCapabilitySchemaId"] != GLOBAL_SCHEMA_ID:
        raise not_found("global image capability schema", ctx.path["computeGlobalImageCapabilitySchemaId"])


@svc.op("list_compute_global_image_capability_schemas")
def list_compute_global_image_capability_schemas(ctx: Context):
    if ctx.query.get("compartmentId"):
        ctx.compartment(ctx.query["compartmentId"])
    return [_global_schema(ctx)]


@svc.op("get_compute_global_image_capability_schema")
def get_compute_global_image_capability_schema(ctx: Context):
    _check_global(ctx)
    return _global_schema(ctx)


@svc.op("list_compute_global_image_capability_schema_versions")
def list_compute_global_image_capability_schema_versions(ctx: Context):
    _check_global(ctx)
    return [_global_version(ctx, n, with_data=False) for n in GLOBAL_VERSIONS]


@svc.op("get_compute_global_image_capability_schema_version")
def get_compute_global_image_capability_schema_version(ctx: Context):
    _check_global(ctx)
    name = ctx.path["computeGlobalImageCapabilitySchemaVersionName"]
    if name not in GLOBAL_VERSIONS:
        raise not_found("global image capability schema version", name)
    return _global_version(ctx, name)


def _check_schema_data(data: dict, version: str) -> dict:
    glob = GLOBAL_VERSIONS[version][1]
    out = {}
    for key, d in (data or {}).items():
        g = glob.get(key)
        if g is None:
            raise invalid(f"schemaData: '{key}' is not a capability of the global schema version {version}")
        if d.get("descriptorType") != g["descriptorType"]:
            raise invalid(f"schemaData.{key}: the global schema declares it {g['descriptorType']}, "
                          f"not {d.get('descriptorType')}")
        if g["descriptorType"] != "boolean":
            values = d.get("values") or []
            bad = [v for v in values if v not in g["values"]]
            if not values or bad:
                raise invalid(f"schemaData.{key}.values must be a non-empty subset of {g['values']}")
            if d.get("defaultValue") is not None and d["defaultValue"] not in values:
                raise invalid(f"schemaData.{key}.defaultValue {d['defaultValue']} is not one of its values")
        elif not isinstance(d.get("defaultValue"), bool):
            raise invalid(f"schemaData.{key}.defaultValue must be true or false")
        out[key] = dict(d, source="IMAGE")
    return out


def _schema_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is None:
        version = ctx.require(body.get("computeGlobalImageCapabilitySchemaVersionName"),
                              "computeGlobalImageCapabilitySchemaVersionName")
        if version not in GLOBAL_VERSIONS:
            raise ApiError(404, "NotAuthorizedOrNotFound",
                           f"computeGlobalImageCapabilitySchemaVersionName: version '{version}' does not exist "
                           f"(known: {', '.join(GLOBAL_VERSIONS)})")
        image = ctx.get("image", body["imageId"], "image")
        if not image.get("compartmentId"):
            raise invalid("imageId: capability schemas can be created for custom images only, not platform images")
        return {"computeGlobalImageCapabilitySchemaId": GLOBAL_SCHEMA_ID,
                "schemaData": _check_schema_data(ctx.require(body.get("schemaData"), "schemaData"), version)}
    if body.get("schemaData") is not None:
        return {"schemaData": _check_schema_data(body["schemaData"],
                                                 existing["computeGlobalImageCapabilitySchemaVersionName"])}
    return {}


SCHEMA = svc.resource(Kind(
    "computeimagecapabilityschema", "ComputeImageCapabilitySchema", "image capability schema",
    ocid="computeimgcapschema", lifecycle=Lifecycle("CREATING", "ACTIVE", None, None, "DELETED"),
    parent=("imageId", "image"), unique=("imageId",), unique_scope="tenancy",
    default_name="computeimagecapabilityschema", validate=_schema_checks))


@svc.op("get_compute_image_capability_schema")
def get_compute_image_capability_schema(ctx: Context):
    doc = SCHEMA.get(ctx)
    if ctx.query.get("isMergeEnabled"):
        merged = dict(GLOBAL_VERSIONS[doc["computeGlobalImageCapabilitySchemaVersionName"]][1])
        merged.update(doc.get("schemaData") or {})
        doc = dict(doc, schemaData=merged)
    return doc


# ---------------------------------------------------------------- app catalog (Marketplace images)

# partner images: listing -> (name, publisher, summary, description, versions (name, days ago), shapes, ports)
LISTINGS = [
    ("gitlab-ee", "GitLab Enterprise Edition", "GitLab Inc.", "The DevSecOps platform",
     "GitLab EE on Oracle Linux 8, configured for a single node with HTTPS.",
     [("17.4.1", 60), ("17.8.2", 20)], ["VM.Standard.E4.Flex", "VM.Standard.E5.Flex", "VM.Standard3.Flex"],
     [22, 80, 443]),
    ("fortigate-ngfw", "FortiGate Next-Gen Firewall (PAYG)", "Fortinet Inc.", "Next-generation firewall",
     "FortiGate-VM with threat protection, SD-WAN and VPN, billed by the hour.",
     [("7.2.8", 180), ("7.4.5", 45)], ["VM.Standard2.4", "VM.Standard.E4.Flex", "VM.Standard3.Flex"], [22, 443, 541]),
    ("wordpress-bitnami", "WordPress Certified by Bitnami", "Bitnami", "Blog and website platform",
     "WordPress with Apache, MySQL and PHP, kept up to date by Bitnami.",
     [("6.5.5-r0", 120), ("6.7.1-r2", 15)], ["VM.Standard.E2.1.Micro", "VM.Standard.E4.Flex", "VM.Standard.A1.Flex"],
     [22, 80, 443]),
    ("jenkins-oci", "Jenkins Continuous Integration", "Oracle", "CI server with the OCI plugin",
     "Jenkins LTS on Oracle Linux 9 with the OCI Compute plugin preinstalled.",
     [("2.462.3", 90)], ["VM.Standard.E4.Flex", "VM.Standard3.Flex", "VM.Standard.A1.Flex"], [22, 8080]),
]


def _listing_id(key: str) -> str:
    return f"ocid1.appcataloglisting.oc1..aaaaaaaa{hashlib.sha256(key.encode()).hexdigest()[:52]}"


def _listing(ctx: Context, listing_id: str) -> tuple:
    for row in LISTINGS:
        if _listing_id(row[0]) == listing_id:
            return row
    raise not_found("app catalog listing", listing_id)


def _version(ctx: Context, row: tuple, version: str) -> dict:
    for name, days in row[5]:
        if name == version:
            return {"listingId": _listing_id(row[0]), "listingResourceVersion": name,
                    "listingResourceId": "ocid1.image.oc1..aaaaaaaa"
                                         + hashlib.sha256((row[0] + name).encode()).hexdigest()[:52],
                    "timePublished": ts(ctx.now - days * 86400), "availableRegions": ad_regions(ctx),
                    "compatibleShapes": row[6], "accessiblePorts": row[7],
                    "allowedActions": ["SNAPSHOT", "BOOT_VOLUME_DETACH", "PRESERVE_BOOT_VOLUME",
                                       "SERIAL_CONSOLE_ACCESS", "BOOT_RECOVERY", "BACKUP_BOOT_VOLUME",
                                       "CAPTURE_CONSOLE_HISTORY"]}
    raise not_found("app catalog listing resource version", version)


def ad_regions(ctx: Context) -> list[str]:
    return sorted({ctx.region, ctx.core.home_region})


@svc.op("list_app_catalog_listings")
def list_app_catalog_listings(ctx: Context):
    q = ctx.query
    out = []
    for row in LISTINGS:
        if q.get("publisherName") and q["publisherName"] != row[2]:
            continue
        if q.get("publisherType") and q["publisherType"].upper() != ("ORACLE" if row[2] == "Oracle" else "PARTNER"):
            continue
        out.append({"listingId": _listing_id(row[0]), "displayName": row[1], "summary": row[3],
                    "publisherName": row[2]})
    return sorted(out, key=lambda d: d["displayName"], reverse=q.get("sortOrder") == "DESC")


@svc.op("get_app_catalog_listing")
def get_app_catalog_listing(ctx: Context):
    row = _listing(ctx, ctx.path["listingId"])
    return {"listingId": _listing_id(row[0]), "displayName": row[1], "publisherName": row[2], "summary": row[3],
            "description": row[4], "timePublished": ts(ctx.now - max(d for _, d in row[5]) * 86400),
            "contactUrl": f"https://cloudmarketplace.oracle.com/marketplace/listing/{row[0]}",
            "publisherLogoUrl": f"https://cloudmarketplace.oracle.com/marketplace/content?contentId={row[0]}-logo"}


@svc.op("list_app_catalog_listing_resource_versions")
def list_app_catalog_listing_resource_versions(ctx: Context):
    row = _listing(ctx, ctx.path["listingId"])
    out = [_version(ctx, row, n) for n, _ in row[5]]
    return sorted(out, key=lambda d: d["timePublished"], reverse=ctx.query.get("sortOrder") != "ASC")


@svc.op("get_app_catalog_listing_resource_version")
def get_app_catalog_listing_resource_version(ctx: Context):
    return _version(ctx, _listing(ctx, ctx.path["listingId"]), ctx.path["resourceVersion"])


def _signature(ctx: Context, listing_id: str, version: str, when: str) -> str:
    return hashlib.sha256(f"{ctx.tenancy_id}|{listing_id}|{version}|{when}".encode()).hexdigest()


def _links(row: tuple) -> tuple[str, str]:
    return ("https://cloudmarketplace.oracle.com/marketplace/content?contentId=50511634&render=inline",
            f"https://cloudmarketplace.oracle.com/marketplace/content?contentId={row[0]}-eula&render=inline")


AGREEMENT_VALID = 3600.0


@svc.op("get_app_catalog_listing_agreements")
def get_app_catalog_listing_agreements(ctx: Context):
    row = _listing(ctx, ctx.path["listingId"])
    v = _version(ctx, row, ctx.path["resourceVersion"])
    when = ctx.ts()
    terms, eula = _links(row)
    return {"listingId": v["listingId"], "listingResourceVersion": v["listingResourceVersion"],
            "oracleTermsOfUseLink": terms, "eulaLink": eula, "timeRetrieved": when,
            "signature": _signature(ctx, v["listingId"], v["listingResourceVersion"], when)}


SUBSCRIPTION = "appcatalogsubscription"


@svc.op("create_app_catalog_subscription")
def create_app_catalog_subscription(ctx: Context):
    b = ctx.body or {}
    comp = ctx.compartment(b.get("compartmentId"))
    listing_id = ctx.require(b.get("listingId"), "listingId")
    row = _listing(ctx, listing_id)
    v = _version(ctx, row, ctx.require(b.get("listingResourceVersion"), "listingResourceVersion"))
    when = ctx.require(b.get("timeRetrieved"), "timeRetrieved")
    sig = ctx.require(b.get("signature"), "signature")
    when_ts = ts(parse_ts(when))
    if sig != _signature(ctx, listing_id, v["listingResourceVersion"], when_ts):
        raise invalid("signature does not match the agreements of this listing version: get them again with "
                      "GetAppCatalogListingAgreements and pass their signature and timeRetrieved unchanged")
    if ctx.now - parse_ts(when) > AGREEMENT_VALID:
        raise invalid("The agreements were retrieved more than an hour ago; get them again and accept them")
    for d in ctx.list(SUBSCRIPTION, comp["id"]):
        if d["listingId"] == listing_id and d["listingResourceVersion"] == v["listingResourceVersion"]:
            return d  # already subscribed: OCI keeps one subscription per listing version and compartment
    return ctx.put(SUBSCRIPTION, {
        "id": ctx.new_id("appcatalogsubscription"), "_region": ctx.region, "compartmentId": comp["id"],
        "listingId": listing_id, "listingResourceVersion": v["listingResourceVersion"],
        "listingResourceId": v["listingResourceId"], "publisherName": row[2], "displayName": row[1],
        "summary": row[3], "timeCreated": ctx.ts()})


@svc.op("list_app_catalog_subscriptions")
def list_app_catalog_subscriptions(ctx: Context):
    comp = ctx.compartment(ctx.query.get("compartmentId"))
    docs = ctx.list(SUBSCRIPTION, comp["id"])
    if ctx.query.get("listingId"):
        docs = [d for d in docs if d["listingId"] == ctx.query["listingId"]]
    return sorted(docs, key=lambda d: d["timeCreated"], reverse=True)


@svc.op("delete_app_catalog_subscription")
def delete_app_catalog_subscription(ctx: Context):
    q = ctx.query
    comp = ctx.compartment(q.get("compartmentId"))
    for d in ctx.list(SUBSCRIPTION, comp["id"]):
        if d["listingId"] == q["listingId"] and d["listingResourceVersion"] == q["resourceVersion"]:
            ctx.delete(SUBSCRIPTION, d["id"])
            return None
    raise not_found("app catalog subscription", f"{q['listingId']} {q['resourceVersion']}")


# ---------------------------------------------------------------- instance maintenance events

def _event_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is None:
        raise invalid("Maintenance events are scheduled by Oracle")
    out: dict = {}
    start = body.get("timeWindowStart")
    if start is not None:
        if not existing.get("canReschedule"):
            raise incorrect_state("This maintenance event cannot be rescheduled")
        t = parse_ts(start)
        if t < ctx.now:
            raise invalid("timeWindowStart must be in the future")
        due = existing.get("timeHardDueDate")
        if due and t > parse_ts(due):
            raise invalid(f"timeWindowStart must be before the event's hard due date {due}")
        out["timeWindowStart"] = ts(t)
    action = body.get("alternativeResolutionAction")
    if action is not None:
        if action not in (existing.get("alternativeResolutionActions") or []):
            raise invalid(f"alternativeResolutionAction {action} is not one this event allows "
                          f"({', '.join(existing.get('alternativeResolutionActions') or []) or 'none'})")
        out["instanceAction"] = action
    if body.get("canDeleteLocalStorage") is not None:
        out["canDeleteLocalStorage"] = bool(body["canDeleteLocalStorage"])
    return out


EVENT = svc.resource(Kind(
    "instancemaintenanceevent", "InstanceMaintenanceEvent", "instance maintenance event",
    lifecycle=Lifecycle(None, "SCHEDULED", None, None, None), validate=_event_checks,
    extra_list_filters={
        "timeWindowStartGreaterThanOrEqualTo": lambda d, w: parse_ts(d["timeWindowStart"]) >= parse_ts(w),
        "timeWindowStartLessThanOrEqualTo": lambda d, w: parse_ts(d["timeWindowStart"]) <= parse_ts(w)}))


@svc.op("get_instance_maintenance_reboot")
def get_instance_maintenance_reboot(ctx: Context):
    inst = ctx.get("instance", ctx.path["instanceId"], "instance")
    due = [e["timeHardDueDate"] for e in ctx.store.by_field("instancemaintenanceevent", "instanceId", inst["id"])
           if e.get("lifecycleState") == "SCHEDULED" and e.get("instanceAction") == "REBOOT_MIGRATION"
           and e.get("timeHardDueDate")]
    if not due:
        raise ApiError(404, "NotAuthorizedOrNotFound",
                       f"The instance {inst['id']} has no maintenance reboot scheduled")
    return {"timeMaintenanceRebootDueMax": min(due)}


def new_event(target, inst: dict, *, now: float, ocid, action: str = "REBOOT_MIGRATION",
              state: str = "SCHEDULED", days_ahead: float = 7, reason: str = "HARDWARE_REPLACEMENT") -> dict:
    """A maintenance event Oracle schedules on `inst` (the seed, or an operator's tooling)."""
    start = now + days_ahead * 86400
    doc = {"id": ocid("instancemaintenanceevent"), "_region": inst.get("_region"), "instanceId": inst["id"],
           "compartmentId": inst["compartmentId"], "displayName": f"{reason.replace('_', ' ').title()} "
           f"for {inst['displayName']}", "maintenanceCategory": "FLEXIBLE", "maintenanceReason": reason,
           "instanceAction": action, "alternativeResolutionActions": ["REBOOT_MIGRATION", "TERMINATE"],
           "timeWindowStart": ts(start), "startWindowDuration": "PT2H", "estimatedDuration": "PT15M",
           "timeHardDueDate": ts(start + 14 * 86400), "canReschedule": state == "SCHEDULED",
           "timeCreated": ts(now), "lifecycleState": state, "createdBy": "SYSTEM",
           "description": "The physical host needs a hardware repair; the instance moves to a healthy host "
                          "with a reboot.", "correlationToken": ocid("maintenancecorrelation")[-16:],
           "canDeleteLocalStorage": False, "freeformTags": {}, "definedTags": {}}
    if state == "SUCCEEDED":
        doc.update(timeStarted=ts(start), timeFinished=ts(start + 900))
    return target.store.put("instancemaintenanceevent", doc)


# ---------------------------------------------------------------- seed

@svc.seeder
def seed_compute_hosts(seed) -> None:
    if seed.profile != "demo":
        return
    home = seed.core.home_region
    insts = sorted((i for i in seed.store.list("instance") if i.get("_region") == home
                    and i.get("lifecycleState") == "RUNNING"), key=lambda i: i["timeCreated"])
    for n, inst in enumerate(insts[:2]):
        new_event(seed, inst, now=seed.now - (0 if n == 0 else 40 * 86400),
                  ocid=lambda t: seed.ocid(t, home), state="SCHEDULED" if n == 0 else "SUCCEEDED",
                  days_ahead=9 if n == 0 else 3)
