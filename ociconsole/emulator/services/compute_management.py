"""Compute management (`/core`, ComputeManagementClient): instance configurations and instance pools.

- An instance configuration is a template: given as `instanceDetails` (source NONE) or taken from a
  running instance (source INSTANCE: its shape, image, boot volume size, subnet, metadata). It has no
  lifecycle (OCI keeps none); it cannot be deleted while an instance pool uses it. Launching it makes
  a real instance (with the LaunchInstance work request), the request's fields overriding its own.
- An instance pool launches `size` real instances from its configuration, spread round-robin over its
  placement configurations (availability domain, primary subnet, fault domains), named
  `inst-<5 letters>-<pool>`. PROVISIONING -> RUNNING; a new size is SCALING (new instances launched,
  the newest removed and terminated; with a pre-termination hook they wait in TERMINATION_AWAIT until
  `termination_proceed`); start/stop/softstop/reset/softreset act on every instance; terminating the
  pool terminates them. Instances can be attached and detached (work requests; a detach that keeps the
  size launches a replacement). Load balancer attachments are recorded (ATTACHING -> ATTACHED) and show
  on every instance as a backend (health UNKNOWN: load balancers are not emulated). An instance
  terminated on its own leaves its pool.

The engine (engine.py) serves get/list/update/delete/move of configurations and get/list/move of pools.
"""

from __future__ import annotations

import secrets
import string

from ..engine import Kind, Lifecycle
from ..protocol import ApiError, conflict, incorrect_state, invalid, looks_like_ocid, not_found
from ..registry import Context, Service
from . import compute, workrequests
from .identity import ad_names, fault_domains

svc = Service("core", name="compute_management")

POOL_SIZE_MAX = 1000  # OCI's limit on the instances of one pool (service limits)
POOL_LIVE = ("PROVISIONING", "SCALING", "STARTING", "STOPPING", "STOPPED", "RUNNING")
MEMBER_LIVE = ("ATTACHING", "ACTIVE", "TERMINATION_AWAIT")


# ---------------------------------------------------------------- instance configurations

def _check_launch_details(ctx: Context, ld: dict, where: str) -> None:
    """What OCI checks of a configuration's launch details at create: what it names must exist."""
    shape = compute.SHAPES.get(ld.get("shape") or "")
    if ld.get("shape") is not None and shape is None:
        raise invalid(f"{where}.shape: {ld['shape']} is not a shape of {ctx.region}")
    src = ld.get("sourceDetails") or {}
    if src.get("imageId"):
        img = compute.INSTANCE.find_live(ctx, "image", src["imageId"], f"{where}.sourceDetails.imageId")
        if shape is not None and not compute.image_compatible(img, shape):
            raise invalid(f"{where}: image {img['displayName']} is not compatible with shape {shape['shape']}")
    if shape is not None and ld.get("shapeConfig") is not None:
        compute.resolve_shape_config(shape, ld["shapeConfig"])
    if ld.get("availabilityDomain") and ld["availabilityDomain"] not in ad_names(ctx.region):
        raise invalid(f"{where}.availabilityDomain '{ld['availabilityDomain']}' does not exist in {ctx.region}")
    sub = (ld.get("createVnicDetails") or {}).get("subnetId")
    if sub:
        compute.INSTANCE.find_live(ctx, "subnet", sub, f"{where}.createVnicDetails.subnetId")
    if ld.get("compartmentId"):
        ctx.compartment(ld["compartmentId"], f"{where}.compartmentId")


def details_from_instance(ctx: Context, inst: dict) -> dict:
    """The launch details of a running instance, as a configuration keeps them."""
    store = ctx.store
    vnic = next((store.get("vnic", a["vnicId"]) for a in store.by_field("vnicattachment", "instanceId", inst["id"])
                 if a.get("nicIndex", 0) == 0 and a["lifecycleState"] == "ATTACHED"), None) or {}
    bv = next((store.get("bootvolume", a["bootVolumeId"])
               for a in store.by_field("bootvolumeattachment", "instanceId", inst["id"])
               if a["lifecycleState"] == "ATTACHED"), None) or {}
    shape = compute.SHAPES[inst["shape"]]
    ld = {"compartmentId": inst["compartmentId"], "availabilityDomain": inst["availabilityDomain"],
          "displayName": inst["displayName"], "shape": inst["shape"], "launchMode": inst.get("launchMode"),
          "sourceDetails": {"sourceType": "image", "imageId": inst.get("imageId"),
                            "bootVolumeSizeInGBs": bv.get("sizeInGBs"), "bootVolumeVpusPerGB": bv.get("vpusPerGB")},
          "createVnicDetails": {"subnetId": vnic.get("subnetId"), "assignPublicIp": bool(vnic.get("publicIp")),
                                "nsgIds": vnic.get("nsgIds") or None},
          "metadata": inst.get("metadata") or None, "freeformTags": inst.get("freeformTags") or None}
    if shape["isFlexible"]:
        ld["shapeConfig"] = {"ocpus": inst["shapeConfig"]["ocpus"], "memoryInGBs": inst["shapeConfig"]["memoryInGBs"]}
    if inst.get("platformConfig"):
        ld["platformConfig"] = inst["platformConfig"]

    def clean(d):
        return {k: clean(v) if isinstance(v, dict) else v for k, v in d.items() if v is not None}
    return {"instanceType": "compute", "launchDetails": clean(ld)}


def _config_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is not None:
        return {}
    if (body.get("source") or "NONE") == "INSTANCE":
        inst = compute.INSTANCE.find_live(ctx, "instance", ctx.require(body.get("instanceId"), "instanceId"),
                                          "instanceId")
        if inst["lifecycleState"] not in ("RUNNING", "STOPPED"):
            raise incorrect_state(f"Instance {inst['displayName']} is {inst['lifecycleState']}")
        if not inst.get("imageId"):
            raise invalid(f"Instance {inst['displayName']} was launched from a boot volume: a configuration needs "
                          "an instance launched from an image")
        return {"source": "INSTANCE", "instanceDetails": details_from_instance(ctx, inst)}
    details = ctx.require(body.get("instanceDetails"), "instanceDetails")
    if details.get("instanceType") != "compute":
        raise invalid(f"instanceDetails.instanceType '{details.get('instanceType')}' is not supported here; "
                      "use compute")
    _check_launch_details(ctx, details.get("launchDetails") or {}, "instanceDetails.launchDetails")
    return {"source": None}  # OCI shows no source for a configuration made from details


def _config_in_use(ctx: Context, doc: dict) -> None:
    for p in ctx.store.by_field("instancepool", "instanceConfigurationId", doc["id"]):
        if p["lifecycleState"] in POOL_LIVE:
            raise conflict(f"Instance pool {p['displayName']} uses this instance configuration; terminate the pool "
                           "or give it another configuration first")


CONFIG = svc.resource(Kind("instanceconfiguration", "InstanceConfiguration", "instance configuration",
                           validate=_config_checks, check_delete=_config_in_use, search="InstanceConfiguration",
                           default_name="instance-configuration"))


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in (over or {}).items():
        if v is None:
            continue
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _launch_body(cfg: dict, overrides: dict | None = None) -> dict:
    ld = _merge((cfg.get("instanceDetails") or {}).get("launchDetails") or {}, overrides or {})
    ld.setdefault("compartmentId", cfg["compartmentId"])
    return ld


@svc.op("launch_instance_configuration")
def launch_instance_configuration(ctx: Context):
    cfg = ctx.get("instanceconfiguration", ctx.path["instanceConfigurationId"], "instance configuration")
    b = ctx.body or {}
    if b.get("instanceType") not in (None, "compute"):
        raise invalid(f"instanceType '{b.get('instanceType')}' is not supported here; use compute")
    body = _launch_body(cfg, b.get("launchDetails"))
    for f in ("availabilityDomain", "shape"):
        ctx.require(body.get(f), f"launchDetails.{f} (in the configuration or the request)")
    if not body.get("sourceDetails"):
        raise ApiError(400, "MissingParameter", "launchDetails.sourceDetails is required (in the configuration "
                       "or the request)")
    return compute.launch(ctx, body, work_request=True)


# ---------------------------------------------------------------- instance pools

POOL = svc.resource(Kind("instancepool", "InstancePool", "instance pool", search="InstancePool",
                         lifecycle=Lifecycle("PROVISIONING", "RUNNING", None, "TERMINATING", "TERMINATED"),
                         live=POOL_LIVE, default_name="instance-pool",
                         ops={"create": "", "update": "", "delete": ""}))


def _members(store, pool_id: str, states=MEMBER_LIVE) -> list[dict]:
    return [m for m in store.by_field("instancepoolinstance", "instancePoolId", pool_id)
            if m["lifecycleState"] in states]


def _sync(store, pool_id: str) -> dict | None:
    """Recompute what a pool shows of its parts: its current size, ADs and load balancer attachments."""
    pool = store.get("instancepool", pool_id)
    if pool is None:
        return None
    lbs = [{k: v for k, v in a.items() if not k.startswith("_")}
           for a in store.by_field("instancepoollbattachment", "instancePoolId", pool_id)
           if a["lifecycleState"] != "DETACHED"]
    return store.update("instancepool", pool_id, {
        "currentSize": len(_members(store, pool_id, ("ACTIVE",))), "loadBalancers": lbs,
        "availabilityDomains": sorted({p["availabilityDomain"] for p in pool["placementConfigurations"]})})


def _check_placements(ctx: Context, placements, where: str = "placementConfigurations") -> list[dict]:
    if not placements:
        raise ApiError(400, "MissingParameter", f"{where} is required (at least one availability domain)")
    out, seen = [], set()
    for i, p in enumerate(placements):
        ad = ctx.require(p.get("availabilityDomain"), f"{where}[{i}].availabilityDomain")
        if ad not in ad_names(ctx.region):
            raise invalid(f"{where}[{i}].availabilityDomain '{ad}' does not exist in {ctx.region}")
        if ad in seen:
            raise invalid(f"{where}: availability domain {ad} is given twice")
        seen.add(ad)
        sid = p.get("primarySubnetId") or (p.get("primaryVnicSubnets") or {}).get("subnetId")
        sub = compute.INSTANCE.find_live(ctx, "subnet", ctx.require(sid, f"{where}[{i}].primarySubnetId"),
                                         f"{where}[{i}].primarySubnetId")
        if sub.get("availabilityDomain") and sub["availabilityDomain"] != ad:
            raise invalid(f"{where}[{i}]: subnet {sub['displayName']} is in {sub['availabilityDomain']}, not {ad}")
        fds = p.get("faultDomains") or []
        for fd in fds:
            if fd not in fault_domains():
                raise invalid(f"{where}[{i}].faultDomains: '{fd}' is not a fault domain (FAULT-DOMAIN-1, -2 or -3)")
        q = {"availabilityDomain": ad, "primarySubnetId": sub["id"],
             "primaryVnicSubnets": {"subnetId": sub["id"], "isAssignIpv6Ip": False}}
        if fds:
            q["faultDomains"] = list(fds)
        for sec in p.get("secondaryVnicSubnets") or []:
            compute.INSTANCE.find_live(ctx, "subnet", sec.get("subnetId"), f"{where}[{i}].secondaryVnicSubnets")
        if p.get("secondaryVnicSubnets"):
            q["secondaryVnicSubnets"] = p["secondaryVnicSubnets"]
        out.append(q)
    return out


def _check_size(size) -> int:
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= POOL_SIZE_MAX:
        raise invalid(f"size must be a whole number from 0 to {POOL_SIZE_MAX}, got {size}")
    return size


def _usable_config(ctx: Context, cfg_id: str, field: str = "instanceConfigurationId") -> dict:
    cfg = compute.INSTANCE.find_live(ctx, "instanceconfiguration", ctx.require(cfg_id, field), field)
    ld = (cfg.get("instanceDetails") or {}).get("launchDetails") or {}
    if not ld.get("shape") or not (ld.get("sourceDetails") or {}).get("imageId"):
        raise invalid(f"{field}: instance configuration {cfg['displayName']} must give a shape and an image to "
                      "launch a pool's instances")
    return cfg


def _launch_member(ctx: Context, pool: dict) -> dict:
    """Launch one instance into the pool, in the placement (then fault domain) with the fewest."""
    cfg = ctx.get("instanceconfiguration", pool["instanceConfigurationId"], "instance configuration")
    members = [ctx.store.get("instance", m["instanceId"]) or {} for m in _members(ctx.store, pool["id"])]
    placements = pool["placementConfigurations"]
    place = min(placements, key=lambda p: (sum(1 for m in members if m.get("availabilityDomain") ==
                                               p["availabilityDomain"]), placements.index(p)))
    fds = place.get("faultDomains") or fault_domains()
    fd = min(fds, key=lambda f: (sum(1 for m in members if m.get("availabilityDomain") == place["availabilityDomain"]
                                     and m.get("faultDomain") == f), fds.index(f)))
    suffix = "".join(secrets.choice(string.ascii_lowercase) for _ in range(5))
    fmt = pool.get("instanceDisplayNameFormatter")
    name = fmt.replace("${launchCount}", str(pool.get("_launched", 0) + 1)) if fmt else \
        f"inst-{suffix}-{pool['displayName']}"[:255]
    vnic = dict((_launch_body(cfg).get("createVnicDetails") or {}), subnetId=place["primarySubnetId"])
    vnic.pop("hostnameLabel", None)
    body = _launch_body(cfg, {"availabilityDomain": place["availabilityDomain"], "faultDomain": fd,
                              "compartmentId": pool["compartmentId"], "displayName": name})
    body["createVnicDetails"] = vnic
    inst = compute.launch(ctx, body, work_request=False,
                          extra={"_pool": pool["id"], "_instanceConfigurationId": cfg["id"]})
    ctx.store.update("instancepool", pool["id"], {"_launched": pool.get("_launched", 0) + 1})
    ctx.put("instancepoolinstance", {"id": inst["id"], "instanceId": inst["id"], "instancePoolId": pool["id"],
                                     "compartmentId": pool["compartmentId"], "_region": ctx.region,
                                     "lifecycleState": "ACTIVE", "timeCreated": inst["timeCreated"]})
    return inst


def _scale(ctx: Context, pool: dict, size: int) -> None:
    members = _members(ctx.store, pool["id"], ("ATTACHING", "ACTIVE"))
    for _ in range(size - len(members)):
        _launch_member(ctx, pool)
        pool = ctx.store.get("instancepool", pool["id"])
    if size < len(members):
        newest = sorted(members, key=lambda m: m["timeCreated"], reverse=True)[:len(members) - size]
        pre = ((pool.get("lifecycleManagement") or {}).get("lifecycleActions") or {}).get("preTermination") or {}
        for m in newest:
            if pre.get("isEnabled"):
                ctx.update("instancepoolinstance", m["id"], {"lifecycleState": "TERMINATION_AWAIT"})
                # the wait is real time (the pool's timeout in seconds), not a lifecycle step
                ctx.store.schedule(ctx.now + (pre.get("timeout") or 3600), {
                    "kind": "instancepoolinstance", "id": m["id"], "set": {}, "when": "TERMINATION_AWAIT",
                    "hook": "cm.termination_timeout", "args": {}})
            else:
                _remove(ctx, m, terminate=True)
    _sync(ctx.store, pool["id"])


def _remove(ctx: Context, member: dict, terminate: bool) -> None:
    ctx.delete("instancepoolinstance", member["id"])
    inst = ctx.store.get("instance", member["instanceId"])
    if inst is None:
        return
    ctx.update("instance", inst["id"], {"_pool": None})
    if terminate and inst["lifecycleState"] not in ("TERMINATING", "TERMINATED"):
        ctx.update("instance", inst["id"], {"lifecycleState": "TERMINATING"})
        ctx.schedule("instance", inst["id"], {"lifecycleState": "TERMINATED"}, steps=1.5, when_state="TERMINATING",
                     hook="compute.terminated", args={"preserve": False})


@svc.hook("cm.termination_timeout")
def _termination_timeout(core, member: dict, _args: dict) -> None:
    """A pre-termination wait that timed out: OCI goes on (or aborts) as the pool's onTimeout says."""
    if not member or member["lifecycleState"] != "TERMINATION_AWAIT":
        return
    core.store.update("instancepoolinstance", member["id"], {"lifecycleState": "TERMINATION_PROCEED"})
    inst = core.store.get("instance", member["instanceId"])
    core.store.delete("instancepoolinstance", member["id"])
    if inst is not None and inst["lifecycleState"] not in ("TERMINATING", "TERMINATED"):
        core.store.update("instance", inst["id"], {"lifecycleState": "TERMINATING"})
        core.schedule("instance", inst["id"], {"lifecycleState": "TERMINATED"}, 1.5, "TERMINATING",
                      "compute.terminated", {"preserve": False})
    _sync(core.store, member["instancePoolId"])


def _lifecycle_management(body: dict) -> dict | None:
    lm = body.get("lifecycleManagement")
    pre = ((lm or {}).get("lifecycleActions") or {}).get("preTermination")
    if pre:
        t = pre.get("timeout")
        if t is not None and not 0 <= t <= 7200:
            raise invalid("lifecycleManagement.lifecycleActions.preTermination.timeout must be 0-7200 seconds")
    return lm


@svc.op("create_instance_pool")
def create_instance_pool(ctx: Context):
    b = ctx.body or {}
    cfg = _usable_config(ctx, b.get("instanceConfigurationId"))
    size = _check_size(b.get("size"))
    placements = _check_placements(ctx, b.get("placementConfigurations"))
    for lb in b.get("loadBalancers") or []:
        _check_lb(lb)
    extra = {"placementConfigurations": placements, "size": size, "instanceConfigurationId": cfg["id"],
             "loadBalancers": [], "currentSize": 0, "poolType": "INSTANCE",
             "availabilityDomains": sorted({p["availabilityDomain"] for p in placements})}
    lm = _lifecycle_management(b)
    if lm:
        extra["lifecycleManagement"] = lm
    pool = POOL.create(ctx, {k: v for k, v in b.items() if k not in ("placementConfigurations", "loadBalancers")},
                       extra)
    for _ in range(size):
        _launch_member(ctx, ctx.store.get("instancepool", pool["id"]))
    for lb in b.get("loadBalancers") or []:
        _new_lb_attachment(ctx, pool, lb)
    # the engine makes it RUNNING after one step; its instances run after 1.5
    ctx.schedule("instancepool", pool["id"], {}, steps=1.5, hook="cm.sync", args={})
    return _sync(ctx.store, pool["id"])


@svc.hook("cm.sync")
def _sync_hook(core, doc: dict, args: dict) -> None:
    pid = args.get("pool") or (doc or {}).get("instancePoolId") or (doc or {}).get("id")
    if pid:
        _sync(core.store, pid)


def _pool(ctx: Context, states=None) -> dict:
    pool = ctx.get_for_write("instancepool", ctx.path["instancePoolId"], "instance pool")
    if states is not None and pool["lifecycleState"] not in states:
        raise incorrect_state(f"Instance pool {pool['displayName']} is {pool['lifecycleState']}; this needs it "
                              f"{' or '.join(states)}")
    return pool


@svc.op("update_instance_pool")
def update_instance_pool(ctx: Context):
    pool = _pool(ctx, ("RUNNING", "STOPPED"))
    b = ctx.body or {}
    changes: dict = {}
    if b.get("displayName") is not None:
        from ..engine import check_name
        changes["displayName"] = check_name(b["displayName"])
    if b.get("instanceConfigurationId") is not None:
        changes["instanceConfigurationId"] = _usable_config(ctx, b["instanceConfigurationId"])["id"]
    if b.get("placementConfigurations") is not None:
        changes["placementConfigurations"] = _check_placements(ctx, b["placementConfigurations"])
    for f in ("instanceDisplayNameFormatter", "instanceHostnameFormatter"):
        if b.get(f) is not None:
            changes[f] = b[f]
    if b.get("lifecycleManagement") is not None:
        changes["lifecycleManagement"] = _lifecycle_management(b)
    changes.update(ctx.tags(b))
    size = _check_size(b["size"]) if b.get("size") is not None else pool["size"]
    pool = ctx.update("instancepool", pool["id"], changes)
    if size != pool["size"] or size != len(_members(ctx.store, pool["id"], ("ATTACHING", "ACTIVE"))):
        if pool["lifecycleState"] == "STOPPED" and size > pool["size"]:
            raise incorrect_state(f"Instance pool {pool['displayName']} is STOPPED; start it before scaling out")
        prior = pool["lifecycleState"]
        pool = ctx.update("instancepool", pool["id"], {"size": size, "lifecycleState": "SCALING"})
        _scale(ctx, pool, size)
        ctx.schedule("instancepool", pool["id"], {"lifecycleState": prior}, steps=1.5, when_state="SCALING",
                     hook="cm.sync", args={})
    return _sync(ctx.store, pool["id"])


@svc.op("terminate_instance_pool")
def terminate_instance_pool(ctx: Context):
    pool = _pool(ctx, POOL_LIVE)
    for m in _members(ctx.store, pool["id"]):
        _remove(ctx, m, terminate=True)
    for a in ctx.store.by_field("instancepoollbattachment", "instancePoolId", pool["id"]):
        ctx.update("instancepoollbattachment", a["id"], {"lifecycleState": "DETACHED"})
    ctx.update("instancepool", pool["id"], {"lifecycleState": "TERMINATING"})
    ctx.schedule("instancepool", pool["id"], {"lifecycleState": "TERMINATED"}, steps=1.5, when_state="TERMINATING",
                 hook="engine.settled", args={"kind": "instancepool", "event": "deleted"})
    return None


POOL_ACTIONS = {
    # operation: (instance action, pool states allowed, pool state while acting, pool state after)
    "start_instance_pool": ("START", ("STOPPED", "RUNNING"), "STARTING", "RUNNING"),
    "stop_instance_pool": ("STOP", ("RUNNING", "STOPPED"), "STOPPING", "STOPPED"),
    "softstop_instance_pool": ("SOFTSTOP", ("RUNNING", "STOPPED"), "STOPPING", "STOPPED"),
    "reset_instance_pool": ("RESET", ("RUNNING",), "STARTING", "RUNNING"),
    "softreset_instance_pool": ("SOFTRESET", ("RUNNING",), "STARTING", "RUNNING"),
}


def _pool_action(op_name: str):
    action, allowed, during, after = POOL_ACTIONS[op_name]

    def handler(ctx: Context):
        pool = _pool(ctx, allowed)
        for m in _members(ctx.store, pool["id"], ("ACTIVE",)):
            inst = ctx.store.get("instance", m["instanceId"])
            if inst is not None and inst["lifecycleState"] in compute.ACTIONS[action][0]:
                compute._run_action(ctx, inst, action)
        if pool["lifecycleState"] == after and action in ("START", "STOP", "SOFTSTOP"):
            return pool
        pool = ctx.update("instancepool", pool["id"], {"lifecycleState": during})
        ctx.schedule("instancepool", pool["id"], {"lifecycleState": after}, steps=2.5, when_state=during)
        return pool
    handler.__name__ = op_name
    return handler


for _op in POOL_ACTIONS:
    svc.op(_op)(_pool_action(_op))


def _member_view(store, m: dict) -> dict:
    inst = store.get("instance", m["instanceId"]) or {}
    backends = []
    vnic_ip = None
    for a in store.by_field("vnicattachment", "instanceId", m["instanceId"]):
        v = store.get("vnic", a["vnicId"]) or {}
        if v.get("isPrimary"):
            vnic_ip = v.get("privateIp")
    for lb in store.by_field("instancepoollbattachment", "instancePoolId", m["instancePoolId"]):
        if lb["lifecycleState"] == "ATTACHED":
            backends.append({"loadBalancerId": lb["loadBalancerId"], "backendSetName": lb["backendSetName"],
                             "backendName": f"{vnic_ip}:{lb['port']}", "backendHealthStatus": "UNKNOWN"})
    return {"id": inst.get("id", m["instanceId"]), "instancePoolId": m["instancePoolId"],
            "availabilityDomain": inst.get("availabilityDomain"), "lifecycleState": m["lifecycleState"],
            "compartmentId": inst.get("compartmentId"), "displayName": inst.get("displayName"),
            "faultDomain": inst.get("faultDomain"), "region": inst.get("region"), "shape": inst.get("shape"),
            "instanceConfigurationId": inst.get("_instanceConfigurationId") or
            (store.get("instancepool", m["instancePoolId"]) or {}).get("instanceConfigurationId"),
            "state": inst.get("lifecycleState"), "timeCreated": inst.get("timeCreated"),
            "loadBalancerBackends": backends}


@svc.op("list_instance_pool_instances")
def list_instance_pool_instances(ctx: Context):
    pool = ctx.get("instancepool", ctx.path["instancePoolId"], "instance pool")
    ctx.compartment(ctx.query["compartmentId"])
    views = [_member_view(ctx.store, m) for m in _members(ctx.store, pool["id"])]
    return sorted(views, key=lambda v: v["timeCreated"] or "", reverse=True)


@svc.op("get_instance_pool_instance")
def get_instance_pool_instance(ctx: Context):
    pool = ctx.get("instancepool", ctx.path["instancePoolId"], "instance pool")
    m = ctx.store.get("instancepoolinstance", ctx.path["instanceId"])
    if m is None or m["instancePoolId"] != pool["id"]:
        raise not_found("instance pool instance", ctx.path["instanceId"])
    return _member_view(ctx.store, m)


@svc.op("attach_instance_pool_instance")
def attach_instance_pool_instance(ctx: Context):
    pool = _pool(ctx, ("RUNNING",))
    iid = ctx.require((ctx.body or {}).get("instanceId"), "instanceId")
    inst = compute.INSTANCE.find_live(ctx, "instance", iid, "instanceId")
    if inst["lifecycleState"] != "RUNNING":
        raise incorrect_state(f"Instance {inst['displayName']} is {inst['lifecycleState']}; only a RUNNING instance "
                              "can join a pool")
    if ctx.store.get("instancepoolinstance", inst["id"]) is not None:
        raise conflict(f"Instance {inst['displayName']} already belongs to an instance pool")
    if inst["availabilityDomain"] not in {p["availabilityDomain"] for p in pool["placementConfigurations"]}:
        raise invalid(f"Instance {inst['displayName']} is in {inst['availabilityDomain']}, where the pool has no "
                      "placement configuration")
    if inst["compartmentId"] != pool["compartmentId"]:
        raise invalid(f"Instance {inst['displayName']} is in another compartment than the pool")
    m = ctx.put("instancepoolinstance", {"id": inst["id"], "instanceId": inst["id"], "instancePoolId": pool["id"],
                                         "compartmentId": pool["compartmentId"], "_region": ctx.region,
                                         "lifecycleState": "ATTACHING", "timeCreated": ctx.ts()})
    ctx.update("instance", inst["id"], {"_pool": pool["id"]})
    ctx.update("instancepool", pool["id"], {"size": pool["size"] + 1})
    wr = workrequests.start(ctx, "iaas", "AttachInstancePoolInstance", pool["compartmentId"], [
        {"entityType": "instancepool", "actionType": "IN_PROGRESS", "identifier": pool["id"],
         "entityUri": f"/20160918/instancePools/{pool['id']}"}])
    ctx.schedule("instancepoolinstance", m["id"], {"lifecycleState": "ACTIVE"}, steps=1, when_state="ATTACHING",
                 hook="cm.member_done", args={"wr": wr["id"], "pool": pool["id"]})
    return _member_view(ctx.store, m)


@svc.hook("cm.member_done")
def _member_done(core, _doc: dict, args: dict) -> None:
    _sync(core.store, args["pool"])
    workrequests.finish(core, args["wr"], True)


@svc.op("detach_instance_pool_instance")
def detach_instance_pool_instance(ctx: Context):
    pool = _pool(ctx, ("RUNNING", "STOPPED"))
    b = ctx.body or {}
    iid = ctx.require(b.get("instanceId"), "instanceId")
    m = ctx.store.get("instancepoolinstance", iid)
    if m is None or m["instancePoolId"] != pool["id"]:
        raise ApiError(404, "NotAuthorizedOrNotFound", f"Instance {iid} is not in instance pool {pool['displayName']}")
    if m["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"The pool's instance is {m['lifecycleState']}")
    decrement = b.get("isDecrementSize", True)
    _remove(ctx, m, terminate=bool(b.get("isAutoTerminate", False)))
    if decrement:
        ctx.update("instancepool", pool["id"], {"size": max(0, pool["size"] - 1)})
    else:  # the pool keeps its size: a new instance replaces the one that left
        _launch_member(ctx, ctx.store.get("instancepool", pool["id"]))
    wr = workrequests.start(ctx, "iaas", "DetachInstancePoolInstance", pool["compartmentId"], [
        {"entityType": "instancepool", "actionType": "IN_PROGRESS", "identifier": pool["id"],
         "entityUri": f"/20160918/instancePools/{pool['id']}"}])
    ctx.schedule(None, None, {}, steps=1.5, hook="cm.member_done", args={"wr": wr["id"], "pool": pool["id"]})
    _sync(ctx.store, pool["id"])
    return None


@svc.op("termination_proceed_instance_pool_instance")
def termination_proceed_instance_pool_instance(ctx: Context):
    pool = _pool(ctx)
    iid = ctx.require((ctx.body or {}).get("instanceId"), "instanceId")
    m = ctx.store.get("instancepoolinstance", iid)
    if m is None or m["instancePoolId"] != pool["id"]:
        raise ApiError(404, "NotAuthorizedOrNotFound", f"Instance {iid} is not in instance pool {pool['displayName']}")
    if m["lifecycleState"] != "TERMINATION_AWAIT":
        raise incorrect_state(f"The pool's instance is {m['lifecycleState']}; only an instance waiting in "
                              "TERMINATION_AWAIT (a pre-termination action) can proceed")
    _remove(ctx, m, terminate=True)
    _sync(ctx.store, pool["id"])
    return None


# ---------------------------------------------------------------- load balancer attachments

def _check_lb(lb: dict) -> None:
    if not looks_like_ocid(lb.get("loadBalancerId"), "loadbalancer") and \
            not looks_like_ocid(lb.get("loadBalancerId"), "networkloadbalancer"):
        raise invalid(f"loadBalancerId '{str(lb.get('loadBalancerId'))[:100]}' is not a load balancer OCID")
    name = lb.get("backendSetName")
    if not isinstance(name, str) or not 1 <= len(name) <= 32:
        raise invalid("backendSetName must be 1-32 characters")
    port = lb.get("port")
    if not isinstance(port, int) or not 1 <= port <= 65535:
        raise invalid(f"port must be 1-65535, got {port}")
    sel = lb.get("vnicSelection")
    if not isinstance(sel, str) or not sel:
        raise ApiError(400, "MissingParameter", "vnicSelection is required (PrimaryVnic or a secondary VNIC's name)")


def _new_lb_attachment(ctx: Context, pool: dict, lb: dict) -> dict:
    _check_lb(lb)
    for a in ctx.store.by_field("instancepoollbattachment", "instancePoolId", pool["id"]):
        if a["lifecycleState"] in ("ATTACHING", "ATTACHED") and a["loadBalancerId"] == lb["loadBalancerId"] and \
                a["backendSetName"] == lb["backendSetName"]:
            raise conflict(f"The pool is already attached to backend set {lb['backendSetName']} of this load balancer")
    a = ctx.put("instancepoollbattachment", {
        "id": ctx.new_id("instancepoolloadbalancerattachment"), "_region": ctx.region, "instancePoolId": pool["id"],
        "loadBalancerId": lb["loadBalancerId"], "backendSetName": lb["backendSetName"], "port": lb["port"],
        "vnicSelection": lb["vnicSelection"], "lifecycleState": "ATTACHING"})
    ctx.schedule("instancepoollbattachment", a["id"], {"lifecycleState": "ATTACHED"}, steps=1,
                 when_state="ATTACHING", hook="cm.sync", args={"pool": pool["id"]})
    return a


@svc.op("attach_load_balancer")
def attach_load_balancer(ctx: Context):
    pool = _pool(ctx, ("RUNNING", "STOPPED"))
    _new_lb_attachment(ctx, pool, ctx.body or {})
    return _sync(ctx.store, pool["id"])


@svc.op("detach_load_balancer")
def detach_load_balancer(ctx: Context):
    pool = _pool(ctx, ("RUNNING", "STOPPED"))
    b = ctx.body or {}
    for a in ctx.store.by_field("instancepoollbattachment", "instancePoolId", pool["id"]):
        if a["lifecycleState"] in ("ATTACHING", "ATTACHED") and a["loadBalancerId"] == b.get("loadBalancerId") and \
                a["backendSetName"] == b.get("backendSetName"):
            ctx.update("instancepoollbattachment", a["id"], {"lifecycleState": "DETACHING"})
            ctx.schedule("instancepoollbattachment", a["id"], {"lifecycleState": "DETACHED"}, steps=1,
                         when_state="DETACHING", hook="cm.sync", args={"pool": pool["id"]})
            return _sync(ctx.store, pool["id"])
    raise ApiError(404, "NotAuthorizedOrNotFound", f"The pool is not attached to backend set "
                   f"{b.get('backendSetName')} of load balancer {b.get('loadBalancerId')}")


@svc.op("get_instance_pool_load_balancer_attachment")
def get_instance_pool_load_balancer_attachment(ctx: Context):
    pool = ctx.get("instancepool", ctx.path["instancePoolId"], "instance pool")
    a = ctx.get("instancepoollbattachment", ctx.path["instancePoolLoadBalancerAttachmentId"],
                "instance pool load balancer attachment")
    if a["instancePoolId"] != pool["id"]:
        raise not_found("instance pool load balancer attachment", a["id"])
    return a


def _instance_gone(core, inst: dict) -> None:
    """An instance of a pool that was terminated on its own leaves the pool."""
    m = core.store.get("instancepoolinstance", (inst or {}).get("id", "")) if inst else None
    if m is not None:
        core.store.delete("instancepoolinstance", m["id"])
        _sync(core.store, m["instancePoolId"])


compute.ON_TERMINATED.append(_instance_gone)
