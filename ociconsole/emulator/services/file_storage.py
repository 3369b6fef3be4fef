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
import secrets

from ..engine import IDENTITY as ACTIVE_STATES  # CREATING, ACTIVE, DELETING, DELETED
from ..engine import Kind, named
from ..protocol import ApiError, conflict, incorrect_state, invalid, new_ocid, not_found, ts
from ..registry import Context, Service
from . import network
from .identity import ad_names

svc = Service("file_storage")
# written by hand below but for get (and the engine's change_*_compartment): locks, clones, exports
_HAND = {"create": "", "list": "", "update": "", "delete": ""}
FILE_SYSTEM = svc.resource(Kind("filesystem", "FileSystem", "file system", lifecycle=ACTIVE_STATES, ops=dict(_HAND)))
MOUNT_TARGET = svc.resource(Kind("mounttarget", "MountTarget", "mount target", lifecycle=ACTIVE_STATES,
                                 ops=dict(_HAND)))
EXPORT_SET = svc.resource(Kind("exportset", "ExportSet", "export set", lifecycle=ACTIVE_STATES, ops=dict(_HAND)))
EXPORT = svc.resource(Kind("export", "Export", "export", lifecycle=ACTIVE_STATES, compartment=False, name_field=None,
                           ops=dict(_HAND)))
SNAPSHOT = svc.resource(Kind("fssnapshot", "Snapshot", "snapshot", ocid="snapshot", noun="snapshot",
                             lifecycle=ACTIVE_STATES, compartment=False, name_field="name", ops=dict(_HAND)))

GONE = ("DELETING", "DELETED")
_SNAP_RE = re.compile(r"^[A-Za-z0-9._-]{1,255}$")
_HOST_RE = re.compile(r"^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$")
DEFAULT_OPTIONS = {"source": "0.0.0.0/0", "requirePrivilegedSourcePort": False, "access": "READ_WRITE",
                   "identitySquash": "NONE", "anonymousUid": 65534, "anonymousGid": 65534,
                   "isAnonymousAccessAllowed": False, "allowedAuth": ["SYS"]}


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
    doc = new_file_system(ctx, region=ctx.region, comp=comp["id"], ad=ad, name=named(ctx, b, "FileSystem-"),
                          now=ctx.now, ocid=ctx.new_id, tags=ctx.tags(b), source=source)
    ctx.schedule("filesystem", doc["id"], {"lifecycleState": "ACTIVE"}, steps=1, when_state="CREATING")
    return doc


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
    check_locks(ctx, d, "update", "file system")
    if d["lifecycleState"] in GONE:
        raise incorrect_state(f"The file system is {d['lifecycleState']}")
    b = ctx.body or {}
    changes = {}
    if b.get("displayName") is not None:
        changes["displayName"] = named(ctx, b, "FileSystem-")
    if b.get("filesystemSnapshotPolicyId") is not None:
        pol = _get_active(ctx, "filesystemsnapshotpolicy", b["filesystemSnapshotPolicyId"],
                          "file system snapshot policy", "filesystemSnapshotPolicyId")
        if pol["availabilityDomain"] != d["availabilityDomain"]:
            raise invalid("filesystemSnapshotPolicyId: the policy must be in the file system's availability domain")
        changes["filesystemSnapshotPolicyId"] = pol["id"]
    if b.get("kmsKeyId") is not None:
        if not str(b["kmsKeyId"]).startswith("ocid1.key."):
            raise invalid("kmsKeyId must be the OCID of a Vault key (ocid1.key...)")
        changes["kmsKeyId"] = b["kmsKeyId"]
    changes.update(ctx.tags(b))
    return ctx.update("filesystem", d["id"], changes)


@svc.op("delete_file_system")
def delete_file_system(ctx: Context):
    d = ctx.get_for_write("filesystem", ctx.path["fileSystemId"], "file system")
    check_locks(ctx, d, "delete", "file system")
    if d["lifecycleState"] in GONE:
        raise incorrect_state(f"The file system is {d['lifecycleState']}")
    exports = _live(ctx.store, "export", "fileSystemId", d["id"])
    if exports:
        raise conflict(f"The file system {d['displayName']} has {len(exports)} export(s); delete them first "
                       f"({', '.join(e['path'] for e in exports[:3])})")
    reps = _live(ctx.store, "replication", "sourceId", d["id"]) + _live(ctx.store, "replication", "targetId", d["id"])
    if reps:
        raise conflict(f"The file system {d['displayName']} is in the replication {reps[0]['displayName']}; "
                       "delete the replication first")
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
    name = named(ctx, b, "MountTarget-")
    mt = create_mount_target_docs(ctx, region=ctx.region, comp=comp["id"], ad=ad, name=name, subnet=subnet, ip=ip,
                                  hostname=hostname.lower() if hostname else None, now=ctx.now, ocid=ctx.new_id,
                                  tags=ctx.tags(b))
    if b.get("nsgIds"):
        mt = ctx.update("mounttarget", mt["id"], {"nsgIds": list(b["nsgIds"])})
    ctx.schedule("mounttarget", mt["id"], {"lifecycleState": "ACTIVE"}, steps=1, when_state="CREATING")
    ctx.schedule("exportset", mt["exportSetId"], {"lifecycleState": "ACTIVE"}, steps=1, when_state="CREATING")
    return mt


@svc.op("list_mount_targets")
def list_mount_targets(ctx: Context):
    docs = _listing(ctx, "mounttarget")
    if ctx.query.get("exportSetId"):
        docs = [d for d in docs if d.get("exportSetId") == ctx.query["exportSetId"]]
    return docs


@svc.op("update_mount_target")
def update_mount_target(ctx: Context):
    d = ctx.get_for_write("mounttarget", ctx.path["mountTargetId"], "mount target")
    check_locks(ctx, d, "update", "mount target")
    if d["lifecycleState"] in GONE:
        raise incorrect_state(f"The mount target is {d['lifecycleState']}")
    b = ctx.body or {}
    changes: dict = {}
    if b.get("displayName") is not None:
        changes["displayName"] = named(ctx, b, "MountTarget-")
    if b.get("nsgIds") is not None:
        changes["nsgIds"] = list(b["nsgIds"])
    if b.get("idmapType") is not None:
        changes["idmapType"] = b["idmapType"]
    changes.update(ctx.tags(b))
    return ctx.update("mounttarget", d["id"], changes)


@svc.op("delete_mount_target")
def delete_mount_target(ctx: Context):
    d = ctx.get_for_write("mounttarget", ctx.path["mountTargetId"], "mount target")
    check_locks(ctx, d, "delete", "mount target")
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


@svc.op("list_export_sets")
def list_export_sets(ctx: Context):
    return _listing(ctx, "exportset")


@svc.op("update_export_set")
def update_export_set(ctx: Context):
    d = ctx.get_for_write("exportset", ctx.path["exportSetId"], "export set")
    b = ctx.body or {}
    changes = {}
    if b.get("displayName") is not None:
        changes["displayName"] = named(ctx, b, "ExportSet-")
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
    check_locks(ctx, d, "update", "export")
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
    check_locks(ctx, d, "delete", "export")
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
    check_locks(ctx, d, "update", "snapshot")
    b = ctx.body or {}
    changes = ctx.tags(b)
    if b.get("expirationTime") is not None:
        changes["expirationTime"] = b["expirationTime"]
    return ctx.update("fssnapshot", d["id"], changes)


@svc.op("delete_snapshot")
def delete_snapshot(ctx: Context):
    d = ctx.get_for_write("fssnapshot", ctx.path["snapshotId"], "snapshot")
    check_locks(ctx, d, "delete", "snapshot")
    if d["lifecycleState"] in GONE:
        raise incorrect_state(f"The snapshot is {d['lifecycleState']}")
    clones = [f for f in ctx.store.list("filesystem") if (f.get("sourceDetails") or {}).get("sourceSnapshotId")
              == d["id"] and f["lifecycleState"] not in GONE]
    if clones:
        raise conflict(f"The snapshot {d['name']} is the source of {len(clones)} cloned file system(s)")
    _delete(ctx, "fssnapshot", d)
    return None


# ---------------------------------------------------------------- resource locks

# lockable kinds: SDK noun -> (store kind, path parameter, what)
LOCKABLE = {"file_system": ("filesystem", "fileSystemId", "file system"),
            "mount_target": ("mounttarget", "mountTargetId", "mount target"),
            "export": ("export", "exportId", "export"), "snapshot": ("fssnapshot", "snapshotId", "snapshot"),
            "filesystem_snapshot_policy": ("filesystemsnapshotpolicy", "filesystemSnapshotPolicyId",
                                           "file system snapshot policy"),
            "outbound_connector": ("outboundconnector", "outboundConnectorId", "outbound connector"),
            "replication": ("replication", "replicationId", "replication")}
LOCK_TYPES = ("FULL", "DELETE")


def _override(ctx: Context) -> bool:
    v = ctx.query.get("isLockOverride")
    return v is True or (isinstance(v, str) and v.lower() == "true")


def check_locks(ctx: Context, doc: dict, verb: str, what: str) -> None:
    """OCI's resource locks: a FULL lock refuses every change, a DELETE lock refuses the delete (409),
    unless the request says isLockOverride=true."""
    if _override(ctx):
        return
    for lock in doc.get("locks") or []:
        if lock.get("type") == "FULL" or (lock.get("type") == "DELETE" and verb == "delete"):
            raise ApiError(409, "Conflict", f"The {what} has a {lock['type']} lock"
                           + (f" ({lock['message']})" if lock.get("message") else "")
                           + f"; remove the lock or {verb} it with isLockOverride=true")


def _check_lock_body(b: dict) -> dict:
    if b.get("type") not in LOCK_TYPES:
        raise invalid(f"type '{b.get('type')}' must be FULL or DELETE")
    if b.get("message") is not None and len(b["message"]) > 255:
        raise invalid("message must be at most 255 characters")
    return {k: b[k] for k in ("type", "relatedResourceId", "message") if b.get(k) is not None}


def _new_locks(ctx: Context, locks) -> list[dict]:
    out = []
    for lk in locks or []:
        d = _check_lock_body(lk)
        d["timeCreated"] = ctx.ts()
        out.append(d)
    return out


def _lock_ops(noun: str):
    kind, key, what = LOCKABLE[noun]

    def add(ctx: Context):
        d = ctx.get_for_write(kind, ctx.path[key], what)
        if d.get("lifecycleState") in GONE:
            raise incorrect_state(f"The {what} is {d['lifecycleState']}")
        lock = _check_lock_body(ctx.body or {})
        if any(x.get("type") == lock["type"] for x in d.get("locks") or []):
            raise conflict(f"The {what} already has a {lock['type']} lock")
        lock["timeCreated"] = ctx.ts()
        return ctx.update(kind, d["id"], {"locks": list(d.get("locks") or []) + [lock]})

    def remove(ctx: Context):
        d = ctx.get_for_write(kind, ctx.path[key], what)
        want = _check_lock_body(ctx.body or {})
        locks = list(d.get("locks") or [])
        keep = [x for x in locks if not (x.get("type") == want["type"] and
                                         x.get("relatedResourceId") == want.get("relatedResourceId"))]
        if len(keep) == len(locks):
            raise ApiError(404, "NotAuthorizedOrNotFound", f"The {what} has no {want['type']} lock"
                           + (f" for {want['relatedResourceId']}" if want.get("relatedResourceId") else ""))
        return ctx.update(kind, d["id"], {"locks": keep})
    return add, remove


for _noun in LOCKABLE:
    _add, _remove = _lock_ops(_noun)
    svc.op(f"add_{_noun}_lock")(_add)
    svc.op(f"remove_{_noun}_lock")(_remove)


def _ad_filter(d: dict, want) -> bool:
    return d.get("availabilityDomain") == want


AD_FILTER = {"availabilityDomain": _ad_filter}


# ---------------------------------------------------------------- snapshot policies

PERIODS = ("HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
MAX_SCHEDULES = 10
_PREFIX_RE = re.compile(r"^[A-Za-z0-9._-]{1,50}$")


def _check_snapshot_schedules(schedules) -> list[dict]:
    out = []
    if len(schedules or []) > MAX_SCHEDULES:
        raise invalid(f"schedules: a policy has at most {MAX_SCHEDULES} schedules")
    for i, s in enumerate(schedules or []):
        f = f"schedules[{i}]"
        period = s.get("period")
        if period not in PERIODS:
            raise invalid(f"{f}.period must be one of {', '.join(PERIODS)}")
        if s.get("timeZone") not in ("UTC", "REGIONAL_DATA_CENTER_TIME"):
            raise invalid(f"{f}.timeZone must be UTC or REGIONAL_DATA_CENTER_TIME")
        if s.get("hourOfDay") is not None and (period == "HOURLY" or not 0 <= s["hourOfDay"] <= 23):
            raise invalid(f"{f}.hourOfDay must be 0 to 23 and does not apply to HOURLY schedules")
        if s.get("dayOfWeek") is not None and period != "WEEKLY":
            raise invalid(f"{f}.dayOfWeek applies to WEEKLY schedules only")
        if s.get("dayOfMonth") is not None and (period not in ("MONTHLY", "YEARLY") or not 1 <= s["dayOfMonth"] <= 28):
            raise invalid(f"{f}.dayOfMonth (1-28) applies to MONTHLY and YEARLY schedules only")
        if s.get("month") is not None and period != "YEARLY":
            raise invalid(f"{f}.month applies to YEARLY schedules only")
        r = s.get("retentionDurationInSeconds")
        if r is not None and r < 3600:
            raise invalid(f"{f}.retentionDurationInSeconds must be at least 3600 (one hour)")
        if s.get("schedulePrefix") is not None and not _PREFIX_RE.match(s["schedulePrefix"]):
            raise invalid(f"{f}.schedulePrefix must be 1-50 letters, digits, '.', '_' or '-'")
        out.append({k: v for k, v in s.items() if v is not None})
    return out


def _policy_check(ctx: Context, body: dict, existing: dict | None) -> dict:
    out: dict = {}
    if existing is not None:
        check_locks(ctx, existing, "update", "file system snapshot policy")
    else:
        _ad(ctx, ctx.require(body.get("availabilityDomain"), "availabilityDomain"))
        out["locks"] = _new_locks(ctx, body.get("locks"))
    if body.get("policyPrefix") is not None and not _PREFIX_RE.match(body["policyPrefix"]):
        raise invalid("policyPrefix must be 1-50 letters, digits, '.', '_' or '-'")
    if body.get("schedules") is not None:
        out["schedules"] = _check_snapshot_schedules(body["schedules"])
    return out


def _policy_in_use(ctx: Context, doc: dict) -> None:
    check_locks(ctx, doc, "delete", "file system snapshot policy")
    users = _live(ctx.store, "filesystem", "filesystemSnapshotPolicyId", doc["id"])
    if users:
        raise conflict(f"The snapshot policy is used by {len(users)} file system(s) "
                       f"({', '.join(u['displayName'] for u in users[:3])}); unassign it first")


SNAPSHOT_POLICY = svc.resource(Kind(
    "filesystemsnapshotpolicy", "FilesystemSnapshotPolicy", "file system snapshot policy", lifecycle=ACTIVE_STATES,
    validate=_policy_check, check_delete=_policy_in_use, update_states=("ACTIVE", "INACTIVE"),
    extra_list_filters=AD_FILTER, search="FilesystemSnapshotPolicy", default_name="FilesystemSnapshotPolicy-"))


def _pause(state_from: str, state_to: str):
    def handler(ctx: Context):
        d = ctx.get_for_write("filesystemsnapshotpolicy", ctx.path["filesystemSnapshotPolicyId"],
                              "file system snapshot policy")
        check_locks(ctx, d, "update", "file system snapshot policy")
        if d["lifecycleState"] != state_from:
            raise incorrect_state(f"The snapshot policy is {d['lifecycleState']}; it must be {state_from}")
        return SNAPSHOT_POLICY.public(ctx.update("filesystemsnapshotpolicy", d["id"], {"lifecycleState": state_to}))
    return handler


svc.op("pause_filesystem_snapshot_policy")(_pause("ACTIVE", "INACTIVE"))
svc.op("unpause_filesystem_snapshot_policy")(_pause("INACTIVE", "ACTIVE"))


# ---------------------------------------------------------------- outbound connectors (LDAP)

def _connector_check(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is not None:
        check_locks(ctx, existing, "update", "outbound connector")
        return {}
    _ad(ctx, ctx.require(body.get("availabilityDomain"), "availabilityDomain"))
    if body.get("connectorType") != "LDAPBIND":
        raise invalid(f"connectorType '{body.get('connectorType')}' must be LDAPBIND")
    eps = body.get("endpoints")
    if not eps:
        raise invalid("endpoints must list at least one LDAP server")
    for i, e in enumerate(eps):
        host, port = e.get("hostname"), e.get("port")
        if not host or not all(_HOST_RE.match(p) for p in host.split(".")):
            raise invalid(f"endpoints[{i}].hostname '{host}' is not a valid host name")
        if not isinstance(port, int) or not 1 <= port <= 65535:
            raise invalid(f"endpoints[{i}].port must be 1 to 65535")
    dn = ctx.require(body.get("bindDistinguishedName"), "bindDistinguishedName")
    if "=" not in dn:
        raise invalid(f"bindDistinguishedName '{dn[:80]}' is not a distinguished name (e.g. cn=admin,dc=example)")
    for f in ("passwordSecretId", "trustedCertificateSecretId"):
        if body.get(f) is not None and not str(body[f]).startswith("ocid1.vaultsecret."):
            raise invalid(f"{f} must be the OCID of a Vault secret (ocid1.vaultsecret...)")
    return {"locks": _new_locks(ctx, body.get("locks"))}


def _connector_in_use(ctx: Context, doc: dict) -> None:
    check_locks(ctx, doc, "delete", "outbound connector")
    for mt in _live(ctx.store, "mounttarget", "compartmentId", doc["compartmentId"]):
        if (mt.get("ldapIdmap") or {}).get("outboundConnector1Id") == doc["id"] or \
                (mt.get("ldapIdmap") or {}).get("outboundConnector2Id") == doc["id"]:
            raise conflict(f"The outbound connector is used by the mount target {mt['displayName']}")


OUTBOUND_CONNECTOR = svc.resource(Kind(
    "outboundconnector", "LdapBindAccount", "outbound connector", noun="outbound_connector", lifecycle=ACTIVE_STATES,
    validate=_connector_check, check_delete=_connector_in_use, extra_list_filters=AD_FILTER,
    default_name="OutboundConnector-"))


# ---------------------------------------------------------------- replications

MIN_INTERVAL = 15  # minutes: OCI's shortest replication interval
DEFAULT_INTERVAL = 60


def _any_region_fs(ctx: Context, ident, field_name: str) -> dict:
    d = ctx.store.get("filesystem", ident) if isinstance(ident, str) else None
    if d is None or d.get("_region") not in ctx.core.regions() or d["lifecycleState"] in GONE:
        raise not_found(f"file system ({field_name})", str(ident))
    if d["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"{field_name}: the file system is {d['lifecycleState']}; it must be ACTIVE")
    return d


def _replication_check(ctx: Context, body: dict, existing: dict | None) -> dict:
    iv = body.get("replicationInterval")
    if iv is not None and (not isinstance(iv, int) or iv < MIN_INTERVAL):
        raise invalid(f"replicationInterval must be at least {MIN_INTERVAL} minutes, got {iv}")
    if existing is not None:
        check_locks(ctx, existing, "update", "replication")
        return {}
    src = _get_active(ctx, "filesystem", ctx.require(body.get("sourceId"), "sourceId"), "file system", "sourceId")
    tgt = _any_region_fs(ctx, ctx.require(body.get("targetId"), "targetId"), "targetId")
    if src["id"] == tgt["id"]:
        raise invalid("sourceId and targetId must be different file systems")
    if tgt.get("replicationTargetId"):
        raise conflict(f"The file system {tgt['displayName']} is already the target of a replication")
    if _live(ctx.store, "export", "fileSystemId", tgt["id"]):
        raise conflict(f"The target file system {tgt['displayName']} is exported; a replication target must not "
                       "be exported")
    if any(r.get("targetId") == src["id"] for r in _live(ctx.store, "replication", "targetId", src["id"])):
        raise conflict("The source file system is itself a replication target")
    return {"availabilityDomain": src["availabilityDomain"], "replicationInterval": iv or DEFAULT_INTERVAL,
            "deltaStatus": "IDLE", "lifecycleDetails": "", "locks": _new_locks(ctx, body.get("locks"))}


def _replication_created(ctx: Context, doc: dict) -> None:
    tgt = ctx.store.get("filesystem", doc["targetId"])
    src = ctx.store.get("filesystem", doc["sourceId"])
    rt = {"id": new_ocid("replicationtarget", tgt["_region"]), "_region": tgt["_region"],
          "availabilityDomain": tgt["availabilityDomain"], "compartmentId": tgt["compartmentId"],
          "displayName": doc["displayName"], "sourceId": src["id"], "targetId": tgt["id"], "replicationId": doc["id"],
          "lifecycleState": "CREATING", "timeCreated": ctx.ts(), "deltaStatus": "IDLE", "lifecycleDetails": "",
          "freeformTags": {}, "definedTags": {}}
    ctx.put("replicationtarget", rt)
    ctx.core.schedule("replicationtarget", rt["id"], {"lifecycleState": "ACTIVE"}, 1, "CREATING")
    ctx.store.update("filesystem", tgt["id"], {"replicationTargetId": rt["id"], "isTargetable": False})
    ctx.store.update("filesystem", src["id"], {"replicationSourceCount": (src.get("replicationSourceCount") or 0) + 1})
    ctx.store.update("replication", doc["id"], {"replicationTargetId": rt["id"]})


def _end_replication(ctx: Context, rep: dict, target: dict | None) -> None:
    """A replication and its target end together; both file systems are free again."""
    if target is not None and target["lifecycleState"] not in GONE:
        ctx.store.update("replicationtarget", target["id"], {"lifecycleState": "DELETING"})
        ctx.core.schedule("replicationtarget", target["id"], {"lifecycleState": "DELETED"}, 1, "DELETING")
    tgt = ctx.store.get("filesystem", rep.get("targetId") or "")
    if tgt is not None:
        ctx.store.update("filesystem", tgt["id"], {"replicationTargetId": None, "isTargetable": True})
    src = ctx.store.get("filesystem", rep.get("sourceId") or "")
    if src is not None:
        ctx.store.update("filesystem", src["id"], {"replicationSourceCount": max(
            0, (src.get("replicationSourceCount") or 1) - 1)})


def _replication_delete_check(ctx: Context, doc: dict) -> None:
    check_locks(ctx, doc, "delete", "replication")
    mode = ctx.query.get("deleteMode") or "FINISH_CYCLE_IF_CAPTURING_OR_APPLYING"
    if mode not in ("FINISH_CYCLE_IF_CAPTURING_OR_APPLYING", "ONE_MORE_CYCLE", "FINISH_CYCLE_IF_APPLYING"):
        raise invalid(f"deleteMode '{mode}' is not valid")


def _replication_deleted(ctx: Context, doc: dict) -> None:
    _end_replication(ctx, doc, ctx.store.get("replicationtarget", doc.get("replicationTargetId") or ""))


REPLICATION = svc.resource(Kind(
    "replication", "Replication", "replication", lifecycle=ACTIVE_STATES, validate=_replication_check,
    on_create=_replication_created, check_delete=_replication_delete_check, on_delete=_replication_deleted,
    extra_list_filters=dict(AD_FILTER, fileSystemId=lambda d, v: d.get("sourceId") == v),
    search="FileSystemReplication", default_name="replication"))
REPLICATION_TARGET = svc.resource(Kind(
    "replicationtarget", "ReplicationTarget", "replication target", lifecycle=ACTIVE_STATES,
    ops={"create": "", "update": "", "delete": ""}, extra_list_filters=AD_FILTER))


@svc.op("delete_replication_target")
def delete_replication_target(ctx: Context):
    """Deleting a target (in the target's region) ends its replication too."""
    rt = ctx.get_for_write("replicationtarget", ctx.path["replicationTargetId"], "replication target")
    if rt["lifecycleState"] in GONE:
        raise incorrect_state(f"The replication target is {rt['lifecycleState']}")
    rep = ctx.store.get("replication", rt["replicationId"])
    if rep is not None:
        check_locks(ctx, rep, "delete", "replication")
        if rep["lifecycleState"] not in GONE:
            ctx.store.update("replication", rep["id"], {"lifecycleState": "DELETING"})
            ctx.core.schedule("replication", rep["id"], {"lifecycleState": "DELETED"}, 1, "DELETING")
        _end_replication(ctx, rep, rt)
    else:
        _end_replication(ctx, {}, rt)
    return None


BASE_COPY_MBPS = 200.0  # the emulator's model of a base copy's throughput (MB/s)
MAX_CHANGE_MBPS = 500  # above this change rate the interval cannot keep up


@svc.op("estimate_replication")
def estimate_replication(ctx: Context):
    """How long the base copy takes and how often the file system can replicate, from its size and the
    given change rate (MB/s): a model with a fixed copy throughput, the same answer for the same input."""
    fs = _get_active(ctx, "filesystem", ctx.path["fileSystemId"], "file system", "fileSystemId")
    rate = ctx.query.get("changeRateInMBps")
    rate = int(rate) if rate is not None else 0
    if rate < 0:
        raise invalid("changeRateInMBps must not be negative")
    mb = (fs.get("meteredBytes") or 0) / 1e6
    base = max(1, int(mb / BASE_COPY_MBPS / 60 + 0.999))
    # a cycle must move what changed in one interval: rate*interval*60 MB at the copy throughput
    minimum = MIN_INTERVAL
    while rate and rate * minimum * 60 / BASE_COPY_MBPS / 60 > minimum and minimum < 24 * 60:
        minimum *= 2
    return {"changeRateInMBps": rate, "isReplicationSupported": rate <= MAX_CHANGE_MBPS,
            "minimumSupportedIntervalInMinutes": minimum, "estimatedBaseCopyTimeInMinutes": base,
            "allowedTargetRegions": [r for r in ctx.core.regions()]}


# ---------------------------------------------------------------- clones

@svc.op("detach_clone")
def detach_clone(ctx: Context):
    """A clone stops depending on its parent: DETACHING, then DETACHED (hydrated); the parent's clone count drops."""
    fs = ctx.get_for_write("filesystem", ctx.path["fileSystemId"], "file system")
    check_locks(ctx, fs, "update", "file system")
    parent_id = (fs.get("sourceDetails") or {}).get("parentFileSystemId")
    if not parent_id or fs.get("cloneAttachStatus") == "DETACHED":
        raise conflict(f"The file system {fs['displayName']} is not an attached clone")
    if fs["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"The file system is {fs['lifecycleState']}")
    ctx.update("filesystem", fs["id"], {"cloneAttachStatus": "DETACHING"})
    ctx.schedule("filesystem", fs["id"], {"cloneAttachStatus": "DETACHED", "isHydrated": True}, steps=1)
    parent = ctx.store.get("filesystem", parent_id)
    if parent is not None:
        n = max(0, (parent.get("cloneCount") or 1) - 1)
        ctx.update("filesystem", parent_id, {"cloneCount": n, "isCloneParent": n > 0})
    return None


# ---------------------------------------------------------------- quota rules

PRINCIPALS = ("FILE_SYSTEM_LEVEL", "DEFAULT_GROUP", "DEFAULT_USER", "INDIVIDUAL_GROUP", "INDIVIDUAL_USER")
MAX_QUOTA_GB = 2 ** 53 // (1024 ** 3)


def _fs_for_rules(ctx: Context) -> dict:
    fs = ctx.get("filesystem", ctx.path["fileSystemId"], "file system")
    if fs["lifecycleState"] in GONE:
        raise not_found("file system", fs["id"])
    return fs


def _rules(ctx: Context, fs: dict) -> list[dict]:
    return [r for r in ctx.store.by_field("fsquotarule", "fileSystemId", fs["id"])]


def _rule(ctx: Context, fs: dict) -> dict:
    r = ctx.store.get("fsquotarule", ctx.path["quotaRuleId"])
    if r is None or r["fileSystemId"] != fs["id"]:
        raise not_found("quota rule", ctx.path["quotaRuleId"])
    return r


def _check_limit(v) -> int:
    if not isinstance(v, int) or not 1 <= v <= MAX_QUOTA_GB:
        raise invalid(f"quotaLimitInGigabytes must be 1 to {MAX_QUOTA_GB}, got {v}")
    return v


def _view(r: dict) -> dict:
    return {k: v for k, v in r.items() if not k.startswith("_")}


@svc.op("create_quota_rule")
def create_quota_rule(ctx: Context):
    fs = _fs_for_rules(ctx)
    b = ctx.body or {}
    pt = b.get("principalType")
    if pt not in PRINCIPALS:
        raise invalid(f"principalType must be one of {', '.join(PRINCIPALS)}")
    pid = b.get("principalId")
    if pt.startswith("INDIVIDUAL_"):
        if not isinstance(pid, int) or pid < 0:
            raise invalid(f"principalId (a UID or GID, 0 or more) is required for {pt}")
    elif pid is not None:
        raise invalid(f"principalId does not apply to {pt}")
    if pt == "FILE_SYSTEM_LEVEL" and not b.get("isHardQuota"):
        raise invalid("A FILE_SYSTEM_LEVEL rule is a hard quota (isHardQuota true)")
    hard = bool(b.get("isHardQuota"))
    for r in _rules(ctx, fs):
        if r["principalType"] == pt and r.get("principalId") == pid and r["isHardQuota"] == hard:
            raise conflict(f"A {'hard' if hard else 'soft'} quota rule for {pt}"
                           + (f" {pid}" if pid is not None else "") + " already exists on this file system")
    doc = {"id": "quotarule" + secrets.token_hex(16), "fileSystemId": fs["id"], "principalType": pt,
           "isHardQuota": hard, "quotaLimitInGigabytes": _check_limit(b.get("quotaLimitInGigabytes")),
           "displayName": named(ctx, b, "QuotaRule-"), "timeCreated": ctx.ts(), "timeUpdated": ctx.ts(),
           "_region": ctx.region}
    if pid is not None:
        doc["principalId"] = pid
    return _view(ctx.put("fsquotarule", doc))


@svc.op("get_quota_rule")
def get_quota_rule(ctx: Context):
    return _view(_rule(ctx, _fs_for_rules(ctx)))


@svc.op("list_quota_rules")
def list_quota_rules(ctx: Context):
    fs = _fs_for_rules(ctx)
    q = ctx.query
    pt = q.get("principalType")
    if pt not in PRINCIPALS:
        raise invalid(f"principalType must be one of {', '.join(PRINCIPALS)}")
    docs = [r for r in _rules(ctx, fs) if r["principalType"] == pt]
    if q.get("principalId") is not None:
        docs = [r for r in docs if r.get("principalId") == int(q["principalId"])]
    if str(q.get("areViolatorsOnly", "")).lower() == "true":
        docs = []  # nothing is written through NFS in the emulator: no principal exceeds its quota
    docs.sort(key=lambda r: (r.get("principalId") or 0, r["timeCreated"]),
              reverse=q.get("sortOrder", "ASC") == "DESC")
    # usage: what the principal wrote through NFS (nothing, in the emulator)
    return [dict(_view(r), usageInBytes=0) for r in docs]


@svc.op("update_quota_rule")
def update_quota_rule(ctx: Context):
    fs = _fs_for_rules(ctx)
    r = _rule(ctx, fs)
    b = ctx.body or {}
    changes = {"timeUpdated": ctx.ts()}
    if b.get("displayName") is not None:
        changes["displayName"] = named(ctx, b, "QuotaRule-")
    if b.get("quotaLimitInGigabytes") is not None:
        changes["quotaLimitInGigabytes"] = _check_limit(b["quotaLimitInGigabytes"])
    return _view(ctx.update("fsquotarule", r["id"], changes))


@svc.op("delete_quota_rule")
def delete_quota_rule(ctx: Context):
    r = _rule(ctx, _fs_for_rules(ctx))
    ctx.delete("fsquotarule", r["id"])
    return None


@svc.op("toggle_quota_rules")
def toggle_quota_rules(ctx: Context):
    fs = ctx.get_for_write("filesystem", ctx.path["fileSystemId"], "file system")
    check_locks(ctx, fs, "update", "file system")
    if fs["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"The file system is {fs['lifecycleState']}")
    on = (ctx.body or {}).get("areQuotaRulesEnabled")
    if not isinstance(on, bool):
        raise invalid("areQuotaRulesEnabled (true or false) is required")
    ctx.update("filesystem", fs["id"], {"areQuotaRulesEnabled": on,
                                        "quotaEnforcementState": "ENABLING" if on else "DISABLING"})
    ctx.schedule("filesystem", fs["id"], {"quotaEnforcementState": "ENABLED" if on else "DISABLED"}, steps=1)
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
