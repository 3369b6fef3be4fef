"""File Storage (`/file_storage`, FileStorageClient): file systems, mount targets (with a private
IP allocated in their subnet on a service VNIC, and their export set), exports (path unique per
export set, NFS export options checked) and snapshots.

Lifecycles: CREATING -> ACTIVE, DELETING -> DELETED (deleted resources stay listed, as in OCI).
A file system with exports or snapshots cannot be deleted (409), nor a mount target whose
export set still has exports; a subnet with a mount target cannot be deleted either (its VNIC).
"""

from __future__ import annotations

import ipaddress
import re

from ..protocol import ApiError, conflict, incorrect_state, invalid, not_found, ts
from ..registry import Context, Service
from . import network
from .identity import ad_names

svc = Service("file_storage")

GONE = ("DELETING", "DELETED")
_SNAP_RE = re.compile(r"^[A-Za-z0-9._-]{1,255}$")
_HOST_RE = re.compile(r"^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$")
DEFAULT_OPTIONS = {"source": "0.0.0.0/0", "requirePrivilegedSourcePort": False, "access": "READ_WRITE",
                   "identitySquash": "NONE", "anonymousUid": 65534, "anonymousGid": 65534,
                   "isAnonymousAccessAllowed": False, "allowedAuth": ["SYS"]}


def _stamp(ctx: Context) -> str:
    return ctx.ts()[:19].replace("-", "").replace(":", "").replace("T", "")


def _name(ctx: Context, body: dict, prefix: str) -> str:
    name = body.get("displayName")
    if name is not None:
        if not name.strip() or len(name) > 255:
            raise invalid("displayName must be 1-255 characters")
        return name
    return f"{prefix}-{_stamp(ctx)}"


def _ad(ctx: Context, ad: str) -> str:
    if ad not in ad_names(ctx.region):
        raise invalid(f"availabilityDomain '{ad}' does not exist in {ctx.region} "
                      f"(known: {', '.join(ad_names(ctx.region))})")
    return ad


def _create(ctx: Context, kind: str, doc: dict) -> dict:
    doc.setdefault("timeCreated", ctx.ts())
    doc["lifecycleState"] = "CREATING"
    doc["_region"] = ctx.region
    doc = ctx.put(kind, doc)
    ctx.schedule(kind, doc["id"], {"lifecycleState": "ACTIVE"}, steps=1, when_state="CREATING")
    return doc


def _delete(ctx: Context, kind: str, doc: dict, hook: str | None = None) -> None:
    ctx.update(kind, doc["id"], {"lifecycleState": "DELETING"})
    ctx.schedule(kind, doc["id"], {"lifecycleState": "DELETED"}, steps=1, when_state="DELETING", hook=hook)


def _live(store, kind: str, field: str, value: str) -> list[dict]:
    return [d for d in store.by_field(kind, field, value) if d.get("lifecycleState") not in GONE]


def _listing(ctx: Context, kind: str) -> list[dict]:
    q = ctx.query
    docs = ctx.list(kind, ctx.compartment(q["compartmentId"])["id"])
    if q.get("availabilityDomain"):
        _ad(ctx, q["availabilityDomain"])
    if q.get("id"):
        docs = [d for d in docs if d["id"] == q["id"]]
    return docs


def _get_active(ctx: Context, kind: str, ident: str, what: str, field: str) -> dict:
    d = ctx.find(kind, ident) if ident else None
    if d is None or d["lifecycleState"] in GONE:
        raise not_found(what, ident)
    if d["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"{field}: the {what} is {d['lifecycleState']}; it must be ACTIVE")
    return d


# ---------------------------------------------------------------- file systems

def new_file_system(target, *, region: str, comp: str, ad: str, name: str, now: float, ocid,
                    state: str = "CREATING", tags: dict | None = None, source: dict | None = None) -> dict:
    doc = {"id": ocid("filesystem"), "_region": region, "compartmentId": comp, "availabilityDomain": ad,
           "displayName": name, "meteredBytes": 0, "lifecycleState": state, "timeCreated": ts(now),
           "freeformTags": {}, "definedTags": {}, "isCloneParent": False, "isHydrated": True, "cloneCount": 0,
           "isTargetable": False, "areQuotaRulesEnabled": False, "replicationSourceCount": 0, "locks": [],
           "lifecycleDetails": ""}
    if source:
        doc["sourceDetails"] = source
    doc.update(tags or {})
    return target.store.put("filesystem", doc)


@svc.op("create_file_system")
def create_file_system(ctx: Context):
    b = ctx.body
    comp = ctx.compartment(b["compartmentId"])
    ad = _ad(ctx, b["availabilityDomain"])
    source = None
    if b.get("sourceSnapshotId"):
        snap = _get_active(ctx, "fssnapshot", b["sourceSnapshotId"], "snapshot", "sourceSnapshotId")
        parent = ctx.get("filesystem", snap["fileSystemId"], "file system")
        if parent["availabilityDomain"] != ad:
            raise invalid("A clone is created in the availability domain of its source file system")
        source = {"parentFileSystemId": parent["id"], "sourceSnapshotId": snap["id"]}
        ctx.update("fssnapshot", snap["id"], {"isCloneSource": True})
        ctx.update("filesystem", parent["id"], {"isCloneParent": True, "cloneCount": parent.get("cloneCount", 0) + 1})
    doc = new_file_system(ctx, region=ctx.region, comp=comp["id"], ad=ad, name=_name(ctx, b, "FileSystem"),
                          now=ctx.now, ocid=ctx.new_id, tags=ctx.tags(b), source=source)
    ctx.schedule("filesystem", doc["id"], {"lifecycleState": "ACTIVE"}, steps=1, when_state="CREATING")
    return doc


@svc.op("get_file_system")
def get_file_system(ctx: Context):
    return ctx.get("filesystem", ctx.path["fileSystemId"], "file system")


@svc.op("list_file_systems")
def list_file_systems(ctx: Context):
    docs = _listing(ctx, "filesystem")
    q = ctx.query
    for key, field in (("sourceSnapshotId", "sourceSnapshotId"), ("parentFileSystemId", "parentFileSystemId")):
        if q.get(key):
            docs = [d for d in docs if (d.get("sourceDetails") or {}).get(field) == q[key]]
    return docs


@svc.op("update_file_system")
def update_file_system(ctx: Context):
    d = ctx.get_for_write("filesystem", ctx.path["fileSystemId"], "file system")
    if d["lifecycleState"] in GONE:
        raise incorrect_state(f"The file system is {d['lifecycleState']}")
    b = ctx.body or {}
    changes = {}
    if b.get("displayName") is not None:
        changes["displayName"] = _name(ctx, b, "FileSystem")
    changes.update(ctx.tags(b))
    return ctx.update("filesystem", d["id"], changes)


@svc.op("delete_file_system")
def delete_file_system(ctx: Context):
    d = ctx.get_for_write("filesystem", ctx.path["fileSystemId"], "file system")
    if d["lifecycleState"] in GONE:
        raise incorrect_state(f"The file system is {d['lifecycleState']}")
    exports = _live(ctx.store, "export", "fileSystemId", d["id"])
    if exports:
        raise conflict(f"The file system {d['displayName']} has {len(exports)} export(s); delete them first "
                       f"({', '.join(e['path'] for e in exports[:3])})")
    snaps = _live(ctx.store, "fssnapshot", "fileSystemId", d["id"])
    if snaps:
        raise conflict(f"The file system {d['displayName']} has {len(snaps)} snapshot(s); delete them first")
    _delete(ctx, "filesystem", d)
    return None


# ---------------------------------------------------------------- mount targets and export sets

def create_mount_target_docs(target, *, region: str, comp: str, ad: str, name: str, subnet: dict, ip: str,
                             hostname: str | None, now: float, ocid, state: str = "CREATING",
                             tags: dict | None = None) -> dict:
    """The mount target, its VNIC and private IP in the subnet, and its export set."""
    store = target.store
    t = ts(now)
    vnic_id, priv_id, es_id = ocid("vnic"), ocid("privateip"), ocid("exportset")
    common = {"compartmentId": comp, "availabilityDomain": ad, "_region": region}
    hostname = hostname or re.sub(r"[^a-z0-9-]", "", name.lower())[:63].strip("-") or None
    mac = f"02:00:17:00:00:{len(store.by_field('vnic', 'subnetId', subnet['id'])) % 256:02X}"
    store.put("vnic", dict(common, id=vnic_id, displayName=f"{name} (mount target)", isPrimary=True, macAddress=mac,
                           privateIp=ip, subnetId=subnet["id"], skipSourceDestCheck=False, nsgIds=[], timeCreated=t,
                           lifecycleState="AVAILABLE", freeformTags={}, definedTags={},
                           **({"hostnameLabel": hostname} if hostname else {})))
    store.put("privateip", dict(common, id=priv_id, displayName=ip, ipAddress=ip,
                                cidrPrefixLength=int(subnet["cidrBlock"].split("/")[1]), isPrimary=True,
                                subnetId=subnet["id"], vnicId=vnic_id, ipState="ASSIGNED", lifetime="EPHEMERAL",
                                timeCreated=t, freeformTags={}, definedTags={},
                                **({"hostnameLabel": hostname} if hostname else {})))
    mt_id = ocid("mounttarget")
    store.put("exportset", {"id": es_id, "_region": region, "compartmentId": comp, "availabilityDomain": ad,
                            "displayName": f"{name} - export set", "lifecycleState": state, "timeCreated": t,
                            "vcnId": subnet["vcnId"], "maxFsStatBytes": 23089744183296, "maxFsStatFiles": 223338299392,
                            "_mountTarget": mt_id})
    doc = {"id": mt_id, "_region": region, "compartmentId": comp, "availabilityDomain": ad, "displayName": name,
           "exportSetId": es_id, "privateIpIds": [priv_id], "subnetId": subnet["id"], "lifecycleDetails": "",
           "lifecycleState": state, "idmapType": "NONE", "nsgIds": [], "timeCreated": t, "locks": [],
           "freeformTags": {}, "definedTags": {}, "_vnic": vnic_id,
           "observedThroughput": 1, "requestedThroughput": 1, "reservedStorageCapacity": 0}
    doc.update(tags or {})
    return store.put("mounttarget", doc)


@svc.op("create_mount_target")
def create_mount_target(ctx: Context):
    b = ctx.body
    comp = ctx.compartment(b["compartmentId"])
    ad = _ad(ctx, b["availabilityDomain"])
    subnet = ctx.find("subnet", b["subnetId"])
    if subnet is None or subnet["lifecycleState"] != "AVAILABLE":
        raise invalid(f"subnetId: subnet {b['subnetId']} does not exist or is not available in {ctx.region}")
    if subnet.get("availabilityDomain") and subnet["availabilityDomain"] != ad:
        raise invalid(f"Subnet {subnet['displayName']} is in {subnet['availabilityDomain']}, not {ad}")
    hostname = b.get("hostnameLabel")
    if hostname is not None and not _HOST_RE.match(hostname):
        raise invalid("hostnameLabel must be 1-63 letters, digits or hyphens, not starting or ending with a hyphen")
    if b.get("idmapType") not in (None, "NONE", "LDAP"):
        raise invalid("idmapType must be NONE or LDAP")
    ip = network.allocate_private_ip(ctx, subnet, b.get("ipAddress"))
    name = _name(ctx, b, "MountTarget")
    mt = create_mount_target_docs(ctx, region=ctx.region, comp=comp["id"], ad=ad, name=name, subnet=subnet, ip=ip,
                                  hostname=hostname.lower() if hostname else None, now=ctx.now, ocid=ctx.new_id,
                                  tags=ctx.tags(b))
    if b.get("nsgIds"):
        mt = ctx.update("mounttarget", mt["id"], {"nsgIds": list(b["nsgIds"])})
    ctx.schedule("mounttarget", mt["id"], {"lifecycleState": "ACTIVE"}, steps=1, when_state="CREATING")
    ctx.schedule("exportset", mt["exportSetId"], {"lifecycleState": "ACTIVE"}, steps=1, when_state="CREATING")
    return mt


@svc.op("get_mount_target")
def get_mount_target(ctx: Context):
    return ctx.get("mounttarget", ctx.path["mountTargetId"], "mount target")


@svc.op("list_mount_targets")
def list_mount_targets(ctx: Context):
    docs = _listing(ctx, "mounttarget")
    if ctx.query.get("exportSetId"):
        docs = [d for d in docs if d.get("exportSetId") == ctx.query["exportSetId"]]
    return docs


@svc.op("update_mount_target")
def update_mount_target(ctx: Context):
    d = ctx.get_for_write("mounttarget", ctx.path["mountTargetId"], "mount target")
    if d["lifecycleState"] in GONE:
        raise incorrect_state(f"The mount target is {d['lifecycleState']}")
    b = ctx.body or {}
    changes: dict = {}
    if b.get("displayName") is not None:
        changes["displayName"] = _name(ctx, b, "MountTarget")
    if b.get("nsgIds") is not None:
        changes["nsgIds"] = list(b["nsgIds"])
    if b.get("idmapType") is not None:
        changes["idmapType"] = b["idmapType"]
    changes.update(ctx.tags(b))
    return ctx.update("mounttarget", d["id"], changes)


@svc.op("delete_mount_target")
def delete_mount_target(ctx: Context):
    d = ctx.get_for_write("mounttarget", ctx.path["mountTargetId"], "mount target")
    if d["lifecycleState"] in GONE:
        raise incorrect_state(f"The mount target is {d['lifecycleState']}")
    exports = _live(ctx.store, "export", "exportSetId", d["exportSetId"])
    if exports:
        raise conflict(f"The mount target {d['displayName']} still has {len(exports)} export(s) in its export set; "
                       "delete them first")
    _delete(ctx, "mounttarget", d, hook="file_storage.mount_target_deleted")
    es = ctx.store.get("exportset", d["exportSetId"])
    if es is not None and es["lifecycleState"] not in GONE:
        _delete(ctx, "exportset", es)
    return None


@svc.hook("file_storage.mount_target_deleted")
def _mount_target_deleted(core, mt: dict, _args: dict) -> None:
    """Its private IP goes back to the subnet and its VNIC is gone."""
    store = core.store
    for pid in mt.get("privateIpIds") or []:
        if store.get("privateip", pid) is not None:
            store.delete("privateip", pid)
    v = store.get("vnic", mt.get("_vnic") or "")
    if v is not None:
        store.update("vnic", v["id"], {"lifecycleState": "TERMINATED"})


@svc.op("get_export_set")
def get_export_set(ctx: Context):
    return ctx.get("exportset", ctx.path["exportSetId"], "export set")


@svc.op("list_export_sets")
def list_export_sets(ctx: Context):
    return _listing(ctx, "exportset")


@svc.op("update_export_set")
def update_export_set(ctx: Context):
    d = ctx.get_for_write("exportset", ctx.path["exportSetId"], "export set")
    b = ctx.body or {}
    changes = {}
    if b.get("displayName") is not None:
        changes["displayName"] = _name(ctx, b, "ExportSet")
    for k in ("maxFsStatBytes", "maxFsStatFiles"):
        if b.get(k) is not None:
            if b[k] < 0:
                raise invalid(f"{k} must not be negative")
            changes[k] = b[k]
    return ctx.update("exportset", d["id"], changes)


# ---------------------------------------------------------------- exports

def check_export_path(path: str) -> str:
    if not isinstance(path, str) or not path.startswith("/"):
        raise invalid(f"path '{str(path)[:60]}' must start with '/' (e.g. /shared)")
    if path == "/" or path.endswith("/"):
        raise invalid(f"path '{path[:60]}' must name a directory below '/' without a trailing '/'")
    if len(path) > 1024:
        raise invalid("path must be at most 1024 characters")
    segments = path[1:].split("/")
    if any(s in ("", ".", "..") for s in segments):
        raise invalid(f"path '{path[:60]}' must not contain empty, '.' or '..' segments")
    if any(ord(c) < 33 or ord(c) > 126 for c in path):
        raise invalid(f"path '{path[:60]}' must be printable ASCII without spaces")
    return path


def check_export_options(options: list[dict] | None) -> list[dict]:
    if options is None:
        return [dict(DEFAULT_OPTIONS)]
    if len(options) > 100:
        raise invalid("exportOptions can have at most 100 entries")
    out = []
    for i, o in enumerate(options):
        f = f"exportOptions[{i}]"
        src = o["source"]
        try:
            net = ipaddress.ip_network(src, strict=True)
        except ValueError as e:
            raise invalid(f"{f}.source '{src[:60]}' is not an IP address or CIDR block ({e})") from None
        if net.version != 4:
            raise invalid(f"{f}.source: only IPv4 sources are supported here")
        d = dict(DEFAULT_OPTIONS)
        d.update({k: v for k, v in o.items() if v is not None})
        for k in ("anonymousUid", "anonymousGid"):
            if not 0 <= d[k] <= 4294967295:
                raise invalid(f"{f}.{k} must be between 0 and 4294967295")
        if not d["allowedAuth"]:
            raise invalid(f"{f}.allowedAuth must name at least one authentication type")
        d["source"] = src
        out.append(d)
    sources = [d["source"] for d in out]
    dup = next((s for s in sources if sources.count(s) > 1), None)
    if dup:
        raise invalid(f"exportOptions: the source {dup} is listed more than once")
    return out


@svc.op("create_export")
def create_export(ctx: Context):
    b = ctx.body
    es = _get_active(ctx, "exportset", b["exportSetId"], "export set", "exportSetId")
    fs = _get_active(ctx, "filesystem", b["fileSystemId"], "file system", "fileSystemId")
    if es["availabilityDomain"] != fs["availabilityDomain"]:
        raise invalid(f"The file system is in {fs['availabilityDomain']} and the export set in "
                      f"{es['availabilityDomain']}: they must be in the same availability domain")
    path = check_export_path(b["path"])
    live = _live(ctx.store, "export", "exportSetId", es["id"])
    if any(e["path"] == path for e in live):
        raise conflict(f"An export with path {path} already exists in export set {es['displayName']}")
    if any(e["fileSystemId"] == fs["id"] for e in live):
        raise conflict(f"The file system {fs['displayName']} is already exported through this export set")
    doc = {"id": ctx.new_id("export"), "compartmentId": es["compartmentId"], "exportSetId": es["id"],
           "fileSystemId": fs["id"], "path": path, "exportOptions": check_export_options(b.get("exportOptions")),
           "isIdmapGroupsForSysAuth": bool(b.get("isIdmapGroupsForSysAuth")), "locks": []}
    return _create(ctx, "export", doc)


@svc.op("get_export")
def get_export(ctx: Context):
    return ctx.get("export", ctx.path["exportId"], "export")


@svc.op("list_exports")
def list_exports(ctx: Context):
    q = ctx.query
    if not (q.get("compartmentId") or q.get("exportSetId") or q.get("fileSystemId")):
        raise ApiError(400, "MissingParameter", "One of compartmentId, exportSetId or fileSystemId is required")
    if q.get("compartmentId"):
        docs = ctx.list("export", ctx.compartment(q["compartmentId"])["id"])
    else:
        docs = ctx.list("export")
    for key in ("exportSetId", "fileSystemId", "id"):
        if q.get(key):
            docs = [d for d in docs if d.get(key) == q[key]]
    return docs


@svc.op("update_export")
def update_export(ctx: Context):
    d = ctx.get_for_write("export", ctx.path["exportId"], "export")
    if d["lifecycleState"] in GONE:
        raise incorrect_state(f"The export is {d['lifecycleState']}")
    b = ctx.body or {}
    changes = {}
    if b.get("exportOptions") is not None:
        changes["exportOptions"] = check_export_options(b["exportOptions"])
    if b.get("isIdmapGroupsForSysAuth") is not None:
        changes["isIdmapGroupsForSysAuth"] = b["isIdmapGroupsForSysAuth"]
    return ctx.update("export", d["id"], changes)


@svc.op("delete_export")
def delete_export(ctx: Context):
    d = ctx.get_for_write("export", ctx.path["exportId"], "export")
    if d["lifecycleState"] in GONE:
        raise incorrect_state(f"The export is {d['lifecycleState']}")
    _delete(ctx, "export", d)
    return None


# ---------------------------------------------------------------- snapshots

@svc.op("create_snapshot")
def create_snapshot(ctx: Context):
    b = ctx.body
    fs = _get_active(ctx, "filesystem", b["fileSystemId"], "file system", "fileSystemId")
    name = b["name"]
    if not _SNAP_RE.match(name):
        raise invalid("name must be 1-255 letters, digits, '.', '_' or '-'")
    if any(s["name"] == name for s in _live(ctx.store, "fssnapshot", "fileSystemId", fs["id"])):
        raise conflict(f"A snapshot named '{name}' already exists for file system {fs['displayName']}")
    doc = {"id": ctx.new_id("snapshot"), "compartmentId": fs["compartmentId"], "fileSystemId": fs["id"],
           "name": name, "snapshotType": "USER", "snapshotTime": ctx.ts(), "isCloneSource": False,
           "lifecycleDetails": "", "locks": [], "freeformTags": {}, "definedTags": {}}
    doc["provenanceId"] = doc["id"]
    if b.get("expirationTime"):
        doc["expirationTime"] = b["expirationTime"]
    doc.update(ctx.tags(b))
    return _create(ctx, "fssnapshot", doc)


@svc.op("get_snapshot")
def get_snapshot(ctx: Context):
    return ctx.get("fssnapshot", ctx.path["snapshotId"], "snapshot")


@svc.op("list_snapshots")
def list_snapshots(ctx: Context):
    q = ctx.query
    if q.get("fileSystemId"):
        docs = [d for d in ctx.store.by_field("fssnapshot", "fileSystemId", q["fileSystemId"])
                if d.get("_region") in (None, ctx.region)]
    elif q.get("compartmentId"):
        docs = ctx.list("fssnapshot", ctx.compartment(q["compartmentId"])["id"])
    else:
        raise ApiError(400, "MissingParameter", "fileSystemId or compartmentId is required")
    if q.get("id"):
        docs = [d for d in docs if d["id"] == q["id"]]
    return sorted(docs, key=lambda d: d["timeCreated"], reverse=(q.get("sortOrder", "DESC") == "DESC"))


@svc.op("update_snapshot")
def update_snapshot(ctx: Context):
    d = ctx.get_for_write("fssnapshot", ctx.path["snapshotId"], "snapshot")
    b = ctx.body or {}
    changes = ctx.tags(b)
    if b.get("expirationTime") is not None:
        changes["expirationTime"] = b["expirationTime"]
    return ctx.update("fssnapshot", d["id"], changes)


@svc.op("delete_snapshot")
def delete_snapshot(ctx: Context):
    d = ctx.get_for_write("fssnapshot", ctx.path["snapshotId"], "snapshot")
    if d["lifecycleState"] in GONE:
        raise incorrect_state(f"The snapshot is {d['lifecycleState']}")
    clones = [f for f in ctx.store.list("filesystem") if (f.get("sourceDetails") or {}).get("sourceSnapshotId")
              == d["id"] and f["lifecycleState"] not in GONE]
    if clones:
        raise conflict(f"The snapshot {d['name']} is the source of {len(clones)} cloned file system(s)")
    _delete(ctx, "fssnapshot", d)
    return None


# ---------------------------------------------------------------- seed

@svc.seeder
def seed_file_storage(seed) -> None:
    """Demo: a file system exported through a mount target in the dev VCN's private subnet."""
    if seed.profile != "demo":
        return
    store = seed.store
    home = seed.core.home_region
    subnet = next((s for s in store.list("subnet") if s["displayName"] == "dev-vcn-private"
                   and s.get("_region") == home), None)
    if subnet is None:
        return
    comp = subnet["compartmentId"]
    ad = ad_names(home)[0]

    def ocid(t):
        return seed.ocid(t, home)

    fs = new_file_system(seed, region=home, comp=comp, ad=ad, name="shared-home", now=seed.t(120, 60), ocid=ocid,
                         state="ACTIVE", tags={"freeformTags": {"app": "nfs"}, "definedTags": {}})
    store.update("filesystem", fs["id"], {"meteredBytes": 53_687_091_200})
    ip = network.allocate_private_ip(seed, subnet)
    mt = create_mount_target_docs(seed, region=home, comp=comp, ad=ad, name="dev-nfs", subnet=subnet, ip=ip,
                                  hostname="devnfs", now=seed.t(119, 60), ocid=ocid, state="ACTIVE")
    store.put("export", {
        "id": ocid("export"), "_region": home, "compartmentId": comp, "exportSetId": mt["exportSetId"],
        "fileSystemId": fs["id"], "path": "/shared-home", "lifecycleState": "ACTIVE",
        "timeCreated": ts(seed.t(118, 60)),
        "isIdmapGroupsForSysAuth": False, "locks": [],
        "exportOptions": [dict(DEFAULT_OPTIONS, source=subnet["cidrBlock"], identitySquash="ROOT"),
                          dict(DEFAULT_OPTIONS, source="10.0.0.0/16", access="READ_ONLY")]})
    store.put("fssnapshot", {
        "id": ocid("snapshot"), "_region": home, "compartmentId": comp, "fileSystemId": fs["id"],
        "name": "before-upgrade", "snapshotType": "USER", "snapshotTime": ts(seed.t(30, 20)),
        "timeCreated": ts(seed.t(30, 20)), "isCloneSource": False, "lifecycleState": "ACTIVE", "lifecycleDetails": "",
        "locks": [], "freeformTags": {}, "definedTags": {}})
