"""Block Volume (`/core`, BlockstorageClient + the volume-attachment part of ComputeClient):
block volumes, volume attachments, volume backups and their restore, boot volume backups,
volume backup policies (Oracle-defined gold/silver/bronze and custom ones, with a
cross-region copy destination) and their assignments.

Boot volumes themselves live in services/compute.py (they are created with instances).

Scheduled backups are real but lazy: whenever backups or volumes are read, every policy
assignment whose schedule came due since its last run gets its backup (the latest missed
occurrence per schedule, not every one), with its expiry from the schedule's retention, and
a copy in the policy's destination region. Expired scheduled backups are removed then too.
"""

from __future__ import annotations

import calendar
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from .. import engine
from ..engine import Kind, named
from ..protocol import ApiError, conflict, incorrect_state, invalid, new_ocid, not_found, ts
from ..registry import Context, Service
from . import workrequests
from .identity import ad_names

svc = Service("core", name="blockstorage")

MIN_GB, MAX_GB = 50, 32768
LIVE_ATTACH = ("ATTACHING", "ATTACHED", "DETACHING")
DEVICES = [f"/dev/oracleoci/oraclevd{c}" for c in "bcdefghijklmnopqrstuvwxyz"] + [
    f"/dev/oracleoci/oraclevda{c}" for c in "abcdefghijklmnopqrstuvwxyz"]
PERIODS = {"ONE_HOUR": 3600, "ONE_DAY": 86400, "ONE_WEEK": 7 * 86400, "ONE_MONTH": 31 * 86400,
           "ONE_YEAR": 366 * 86400}
WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
MONTHS = ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER",
          "NOVEMBER", "DECEMBER"]


def _check_vpus(v, field: str = "vpusPerGB") -> int:
    if not isinstance(v, int) or not 0 <= v <= 120 or v % 10:
        raise invalid(f"{field} must be 0 (Lower Cost), 10 (Balanced), 20 (Higher Performance) or 30 to 120 "
                      f"(Ultra High Performance) in steps of 10, got {v}")
    return v


def _check_size(gb, field: str = "sizeInGBs") -> int:
    if not isinstance(gb, int) or not MIN_GB <= gb <= MAX_GB:
        raise invalid(f"{field} must be between {MIN_GB} and {MAX_GB} GB, got {gb}")
    return gb


def _volume_attachments(ctx_or_core, volume_id: str) -> list[dict]:
    """Live attachments of a volume; those of terminated instances are settled as DETACHED first."""
    store = ctx_or_core.store
    out = []
    for a in store.by_field("volumeattachment", "volumeId", volume_id):
        a = _settle(store, a)
        if a["lifecycleState"] in LIVE_ATTACH:
            out.append(a)
    return out


def _settle(store, att: dict) -> dict:
    """An instance that terminated takes its volume attachments with it."""
    if att["lifecycleState"] in LIVE_ATTACH:
        inst = store.get("instance", att["instanceId"])
        if inst is None or inst.get("lifecycleState") == "TERMINATED":
            att = store.update("volumeattachment", att["id"], {"lifecycleState": "DETACHED"})
    return att


# ---------------------------------------------------------------- volumes

def new_volume(target, *, region: str, comp: str, ad: str, name: str, size_gb: int, vpus: int, now: float, ocid,
               state: str = "PROVISIONING", source: dict | None = None, tags: dict | None = None) -> dict:
    doc = {"id": ocid("volume"), "_region": region, "compartmentId": comp, "availabilityDomain": ad,
           "displayName": name, "sizeInGBs": size_gb, "sizeInMBs": size_gb * 1024, "vpusPerGB": vpus,
           "isHydrated": True, "isAutoTuneEnabled": False, "lifecycleState": state, "timeCreated": ts(now),
           "freeformTags": {}, "definedTags": {}}
    if source:
        doc["sourceDetails"] = source
    doc.update(tags or {})
    return target.store.put("volume", doc)


@svc.op("create_volume")
def create_volume(ctx: Context):
    b = ctx.body
    comp = ctx.compartment(b["compartmentId"])
    src = b.get("sourceDetails")
    if src is None and b.get("volumeBackupId"):
        src = {"type": "volumeBackup", "id": b["volumeBackupId"]}
    source_size = None
    ad = b.get("availabilityDomain")
    if src is not None:
        if src["type"] == "volumeBackup":
            bk = ctx.find("volumebackup", src.get("id", ""))
            if bk is None or bk["lifecycleState"] != "AVAILABLE":
                raise invalid(f"sourceDetails.id: volume backup {src.get('id')} does not exist or is not available "
                              f"in {ctx.region}")
            source_size = bk["sizeInGBs"]
        elif src["type"] == "volume":
            vol = ctx.find("volume", src.get("id", ""))
            if vol is None or vol["lifecycleState"] != "AVAILABLE":
                raise invalid(f"sourceDetails.id: volume {src.get('id')} does not exist or is not available")
            if ad and ad != vol["availabilityDomain"]:
                raise invalid("A volume clone is created in the availability domain of its source")
            ad = vol["availabilityDomain"]
            source_size = vol["sizeInGBs"]
        else:
            raise invalid(f"sourceDetails.type '{src['type']}' is not supported by this emulator")
        src = {"type": src["type"], "id": src["id"]}
    if not ad:
        raise ApiError(400, "MissingParameter", "availabilityDomain is required")
    if ad not in ad_names(ctx.region):
        raise invalid(f"availabilityDomain '{ad}' does not exist in {ctx.region} "
                      f"(known: {', '.join(ad_names(ctx.region))})")
    if b.get("sizeInGBs") is not None:
        size = _check_size(b["sizeInGBs"])
    elif b.get("sizeInMBs") is not None:
        if b["sizeInMBs"] % 1024:
            raise invalid("sizeInMBs must be a whole number of GB")
        size = _check_size(b["sizeInMBs"] // 1024, "sizeInMBs / 1024")
    else:
        size = source_size or 1024
    if source_size is not None and size < source_size:
        raise invalid(f"sizeInGBs {size} is smaller than the source ({source_size} GB)")
    vpus = _check_vpus(b["vpusPerGB"]) if b.get("vpusPerGB") is not None else 10
    policy = None
    if b.get("backupPolicyId"):
        policy = _policy_doc(ctx, b["backupPolicyId"])
    vol = new_volume(ctx, region=ctx.region, comp=comp["id"], ad=ad, name=named(ctx, b, "volume"), size_gb=size,
                     vpus=vpus, now=ctx.now, ocid=ctx.new_id, source=src, tags=ctx.tags(b))
    if src is not None:
        vol = ctx.update("volume", vol["id"], {"isHydrated": False})
        ctx.schedule("volume", vol["id"], {"isHydrated": True}, steps=2)
    ctx.schedule("volume", vol["id"], {"lifecycleState": "AVAILABLE"}, steps=1, when_state="PROVISIONING")
    if policy is not None:
        _assign(ctx, vol["id"], policy)
    return vol


def _catch_up(ctx: Context) -> None:
    run_schedules(ctx.core)


def _volume_check(ctx: Context, b: dict, existing: dict | None) -> dict:
    """An update: a volume only grows, its performance is one of OCI's levels; both only while AVAILABLE."""
    if existing is None:
        return {}
    changes: dict = {}
    if b.get("sizeInGBs") is not None or b.get("vpusPerGB") is not None:
        if existing["lifecycleState"] != "AVAILABLE":
            raise incorrect_state(f"Volume {existing['displayName']} is {existing['lifecycleState']}")
    if b.get("sizeInGBs") is not None:
        size = _check_size(b["sizeInGBs"])
        if size < existing["sizeInGBs"]:
            raise invalid(f"A volume can only grow: sizeInGBs {size} is smaller than its size "
                          f"({existing['sizeInGBs']} GB)")
        changes.update(sizeInGBs=size, sizeInMBs=size * 1024)
    if b.get("vpusPerGB") is not None:
        changes["vpusPerGB"] = _check_vpus(b["vpusPerGB"])
    return changes


def _volume_in_use(ctx: Context, vol: dict) -> None:
    if _volume_attachments(ctx, vol["id"]):
        raise conflict(f"The volume {vol['displayName']} is attached to an instance; detach it first")
    group = ctx.store.get("volumegroup", vol.get("volumeGroupId") or "")
    if group is not None and group["lifecycleState"] not in ("TERMINATING", "TERMINATED"):
        raise conflict(f"The volume {vol['displayName']} belongs to the volume group {group['displayName']}; "
                       "remove it from the group first")


def _unassign(ctx: Context, doc: dict) -> None:
    for a in ctx.store.by_field("volumebackuppolicyassignment", "assetId", doc["id"]):
        ctx.delete("volumebackuppolicyassignment", a["id"])


VOLUME = svc.resource(Kind("volume", "Volume", "volume", search="Volume", ops={"create": ""}, on_read=_catch_up,
                           update_states=("PROVISIONING", "RESTORING", "AVAILABLE", "FAULTY"),
                           validate=_volume_check, check_delete=_volume_in_use, on_delete=_unassign))
# boot volumes are written in compute.py (they come with instances); the engine serves their move only
BOOT_VOLUME = svc.resource(Kind("bootvolume", "BootVolume", "boot volume",
                                ops={"create": "", "get": "", "list": "", "update": "", "delete": ""}))


# ---------------------------------------------------------------- attachments (ComputeClient)

@svc.op("attach_volume")
def attach_volume(ctx: Context):
    b = ctx.body
    kind = b["type"]
    if kind not in ("iscsi", "paravirtualized", "emulated", "service_determined"):
        raise invalid(f"type '{kind}' must be iscsi, paravirtualized, emulated or service_determined")
    inst = ctx.find("instance", b["instanceId"])
    if inst is None or inst["lifecycleState"] == "TERMINATED":
        raise not_found("instance", b["instanceId"])
    if inst["lifecycleState"] not in ("RUNNING", "STOPPED"):
        raise incorrect_state(f"Instance {inst['displayName']} is {inst['lifecycleState']}; volumes can be attached "
                              "to RUNNING or STOPPED instances")
    vol = ctx.find("volume", b["volumeId"])
    if vol is None or vol["lifecycleState"] in ("TERMINATING", "TERMINATED"):
        raise not_found("volume", b["volumeId"])
    if vol["lifecycleState"] != "AVAILABLE":
        raise incorrect_state(f"Volume {vol['displayName']} is {vol['lifecycleState']}")
    if vol["availabilityDomain"] != inst["availabilityDomain"]:
        raise invalid(f"Volume {vol['displayName']} is in {vol['availabilityDomain']} and instance "
                      f"{inst['displayName']} in {inst['availabilityDomain']}: they must be in the same "
                      "availability domain")
    shareable = bool(b.get("isShareable"))
    live = _volume_attachments(ctx, vol["id"])
    if any(a["instanceId"] == inst["id"] for a in live):
        raise conflict(f"Volume {vol['displayName']} is already attached to instance {inst['displayName']}")
    if live and not (shareable and all(a.get("isShareable") for a in live)):
        raise conflict(f"Volume {vol['displayName']} is already attached to another instance; only a volume "
                       "attached as shareable by every instance can be attached again")
    used = {a.get("device") for a in ctx.store.by_field("volumeattachment", "instanceId", inst["id"])
            if _settle(ctx.store, a)["lifecycleState"] in LIVE_ATTACH}
    device = b.get("device")
    if device is not None:
        if device not in DEVICES:
            raise invalid(f"device '{device}' is not a valid device path (e.g. {DEVICES[0]})")
        if device in used:
            raise conflict(f"device {device} is already used on instance {inst['displayName']}")
    else:
        device = next((d for d in DEVICES if d not in used), None)
    att_type = "paravirtualized" if kind == "service_determined" else kind
    doc = {"id": ctx.new_id("volumeattachment"), "_region": ctx.region, "attachmentType": att_type,
           "availabilityDomain": inst["availabilityDomain"], "compartmentId": inst["compartmentId"],
           "instanceId": inst["id"], "volumeId": vol["id"], "device": device,
           "displayName": b.get("displayName") or f"volumeattachment{ctx.ts()[:19].replace('-', '').replace(':', '')}",
           "isReadOnly": bool(b.get("isReadOnly")), "isShareable": shareable, "lifecycleState": "ATTACHING",
           "timeCreated": ctx.ts(), "isPvEncryptionInTransitEnabled": bool(b.get("isPvEncryptionInTransitEnabled")),
           "isMultipath": False}
    if att_type == "iscsi":
        n = len(ctx.store.by_field("volumeattachment", "instanceId", inst["id"]))
        doc.update(iqn=f"iqn.2015-12.com.oracleiaas:{uuid.uuid4()}", ipv4=f"169.254.2.{2 + n % 250}", port=3260,
                   iscsiLoginState="UNKNOWN", encryptionInTransitType=b.get("encryptionInTransitType") or "NONE",
                   isAgentAutoIscsiLoginEnabled=bool(b.get("isAgentAutoIscsiLoginEnabled")))
        if b.get("useChap"):
            doc.update(chapUsername=inst["id"], chapSecret=secrets.token_urlsafe(12))
    doc = ctx.put("volumeattachment", doc)
    ctx.schedule("volumeattachment", doc["id"], {"lifecycleState": "ATTACHED"}, steps=1, when_state="ATTACHING")
    # OCI tracks an attachment with a work request too (attach_volume_and_wait_for_work_request)
    _tracked(ctx, "AttachVolume", inst["compartmentId"], "volumeattachment", doc,
             f"/20160918/volumeAttachments/{doc['id']}", "ATTACHED", "Volume attached")
    return doc


def _tracked(ctx: Context, op_type: str, comp: str, kind: str, doc: dict, uri: str, state: str,
             message: str) -> dict:
    """A work request for `doc` that succeeds once it reaches `state` (fails if it ends elsewhere)."""
    wr = workrequests.start(ctx, "iaas", op_type, comp, [
        {"entityType": kind, "actionType": "IN_PROGRESS", "identifier": doc["id"], "entityUri": uri}])
    ctx.schedule(workrequests.KIND, wr["id"], {}, steps=1, hook="blockstorage.reached",
                 args={"kind": kind, "id": doc["id"], "state": state, "message": message,
                       "from": doc.get("lifecycleState")})
    return wr


@svc.hook("blockstorage.reached")
def _reached(core, wr: dict, args: dict) -> None:
    if not wr:
        return
    d = core.store.get(args["kind"], args["id"])
    if d is not None and args["kind"] == "volumeattachment":
        d = _settle(core.store, d)
    state = d.get("lifecycleState") if d else None
    if state == args.get("from") and state != args["state"]:  # not yet: look again shortly
        core.schedule(workrequests.KIND, wr["id"], {}, steps=0.5, hook="blockstorage.reached", args=args)
        return
    if state != args["state"]:
        workrequests.finish(core, wr["id"], False, f"The {args['kind']} is {state}", "Conflict")
        return
    core.store.update(workrequests.KIND, wr["id"], {
        "resources": [dict(r, actionType="CREATED") for r in wr.get("resources", [])]})
    workrequests.finish(core, wr["id"], True, args["message"])


@svc.op("detach_volume")
def detach_volume(ctx: Context):
    att = ctx.get_for_write("volumeattachment", ctx.path["volumeAttachmentId"], "volume attachment")
    att = _settle(ctx.store, att)
    if att["lifecycleState"] in ("DETACHING", "DETACHED"):
        raise incorrect_state(f"The volume attachment is {att['lifecycleState']}")
    if att["lifecycleState"] != "ATTACHED":
        raise incorrect_state("The volume is still attaching; detach it once it is ATTACHED")
    # OCI tracks a detachment with a work request (`oci compute volume-attachment detach --wait-for-state`
    # waits on it): it succeeds once the attachment is DETACHED
    wr = workrequests.start(ctx, "iaas", "DetachVolume", att["compartmentId"], [
        {"entityType": "volumeattachment", "actionType": "IN_PROGRESS", "identifier": att["id"],
         "entityUri": f"/20160918/volumeAttachments/{att['id']}"}])
    ctx.update("volumeattachment", att["id"], {"lifecycleState": "DETACHING"})
    ctx.schedule("volumeattachment", att["id"], {"lifecycleState": "DETACHED"}, steps=1, when_state="DETACHING")
    ctx.schedule(workrequests.KIND, wr["id"], {}, steps=1, hook="blockstorage.detached",
                 args={"attachment": att["id"]})
    return None


@svc.hook("blockstorage.detached")
def _detached(core, wr: dict, args: dict) -> None:
    """Complete a DetachVolume work request once its attachment is DETACHED."""
    att = core.store.get("volumeattachment", args.get("attachment") or "")
    if att is not None:
        att = _settle(core.store, att)
    if att is not None and att["lifecycleState"] == "DETACHING":  # not yet: look again shortly
        core.schedule(workrequests.KIND, wr["id"], {}, steps=0.5, hook="blockstorage.detached", args=args)
        return
    if att is None or att["lifecycleState"] != "DETACHED":
        workrequests.finish(core, wr["id"], False, "The volume attachment did not detach", "Conflict")
        return
    core.store.update(workrequests.KIND, wr["id"], {
        "resources": [dict(r, actionType="UPDATED") for r in wr.get("resources", [])]})
    workrequests.finish(core, wr["id"], True, "Volume detached")


@svc.op("get_volume_attachment")
def get_volume_attachment(ctx: Context):
    return _settle(ctx.store, ctx.get("volumeattachment", ctx.path["volumeAttachmentId"], "volume attachment"))


@svc.op("list_volume_attachments")
def list_volume_attachments(ctx: Context):
    q = ctx.query
    comp_id = q.get("compartmentId")
    if not comp_id:
        raise ApiError(400, "MissingParameter", "compartmentId is required")
    docs = ctx.list("volumeattachment", ctx.compartment(comp_id)["id"])
    for key in ("instanceId", "volumeId"):
        if q.get(key):
            docs = [d for d in docs if d.get(key) == q[key]]
    return [_settle(ctx.store, d) for d in docs]


@svc.op("update_volume_attachment")
def update_volume_attachment(ctx: Context):
    att = ctx.get_for_write("volumeattachment", ctx.path["volumeAttachmentId"], "volume attachment")
    state = (ctx.body or {}).get("iscsiLoginState")
    if state is not None:
        if att["attachmentType"] != "iscsi":
            raise invalid("iscsiLoginState applies to iSCSI attachments only")
        att = ctx.update("volumeattachment", att["id"], {"iscsiLoginState": state})
    return att


# ---------------------------------------------------------------- volume backups

def _backup_doc(ctx_or_core, kind: str, *, region: str, source: dict, btype: str, source_type: str, now: float,
                name: str, expires: float | None = None, copy_of: dict | None = None, tags: dict | None = None,
                state: str = "CREATING") -> dict:
    """A volume or boot volume backup of `source` (or a copy of backup `copy_of` in `region`)."""
    boot = kind == "bootvolumebackup"
    size = source.get("sizeInGBs") or 50
    doc = {"id": new_ocid("bootvolumebackup" if boot else "volumebackup", region), "_region": region,
           "compartmentId": source["compartmentId"], "displayName": name, "lifecycleState": state, "type": btype,
           "sourceType": source_type, "sizeInGBs": size, "uniqueSizeInGBs": size if btype == "FULL" else max(
               1, size // 20), "timeCreated": ts(now), "timeRequestReceived": ts(now), "freeformTags": {},
           "definedTags": {}}
    if boot:
        doc.update(bootVolumeId=source["id"] if not copy_of else copy_of.get("bootVolumeId"))
        if source.get("imageId"):
            doc["imageId"] = source["imageId"]
        if copy_of:
            doc["sourceBootVolumeBackupId"] = copy_of["id"]
    else:
        doc.update(volumeId=source["id"] if not copy_of else copy_of.get("volumeId"),
                   sizeInMBs=size * 1024, uniqueSizeInMbs=doc["uniqueSizeInGBs"] * 1024)
        if copy_of:
            doc["sourceVolumeBackupId"] = copy_of["id"]
    if expires is not None:
        doc["expirationTime"] = ts(expires)
        doc["_expires"] = expires
    doc.update(tags or {})
    store = ctx_or_core.store
    doc = store.put(kind, doc)
    core = getattr(ctx_or_core, "core", ctx_or_core)
    core.schedule(kind, doc["id"], {"lifecycleState": "AVAILABLE"}, steps=1, when_state="CREATING")
    return doc


def _create_backup(ctx: Context, kind: str, source_kind: str, source_field: str, what: str):
    b = ctx.body
    src = ctx.find(source_kind, b[source_field])
    if src is None or src["lifecycleState"] in ("TERMINATING", "TERMINATED"):
        raise not_found(what, b[source_field])
    if src["lifecycleState"] != "AVAILABLE":
        raise incorrect_state(f"The {what} is {src['lifecycleState']}; only an AVAILABLE {what} can be backed up")
    if any(d["lifecycleState"] == "CREATING" for d in ctx.store.by_field(kind, source_field, src["id"])):
        raise conflict(f"A backup of this {what} is already being created")
    btype = b.get("type") or "INCREMENTAL"
    return _backup_doc(ctx, kind, region=ctx.region, source=src, btype=btype, source_type="MANUAL", now=ctx.now,
                       name=named(ctx, b, f"{what.replace(' ', '-')}-backup-"), tags=ctx.tags(b))


@svc.op("create_volume_backup")
def create_volume_backup(ctx: Context):
    return _create_backup(ctx, "volumebackup", "volume", "volumeId", "volume")


def _backup_check(ctx: Context, b: dict, existing: dict | None) -> dict:
    return {"kmsKeyId": _check_key(b["kmsKeyId"])} if b.get("kmsKeyId") is not None else {}


def _backup_not_creating(what: str):
    def check(ctx: Context, d: dict) -> None:
        if d["lifecycleState"] == "CREATING":
            raise incorrect_state(f"The {what} is still being created")
    return check


_BACKUP_STATES = ("CREATING", "AVAILABLE", "FAULTY", "REQUEST_RECEIVED")
VOLUME_BACKUP = svc.resource(Kind(
    "volumebackup", "VolumeBackup", "volume backup", lifecycle=engine.AVAILABLE, search="VolumeBackup",
    ops={"create": ""}, on_read=_catch_up, update_states=_BACKUP_STATES, validate=_backup_check,
    check_delete=_backup_not_creating("volume backup")))
BOOT_VOLUME_BACKUP = svc.resource(Kind(
    "bootvolumebackup", "BootVolumeBackup", "boot volume backup", lifecycle=engine.AVAILABLE,
    search="BootVolumeBackup", ops={"create": ""}, on_read=_catch_up, update_states=_BACKUP_STATES,
    validate=_backup_check, check_delete=_backup_not_creating("boot volume backup")))


def copy_backup(core, kind: str, backup: dict, dest_region: str, name: str | None = None,
                now: float | None = None) -> dict:
    """A copy of `backup` in `dest_region` (CREATING, then AVAILABLE)."""
    return _backup_doc(core, kind, region=dest_region, source=backup, btype=backup["type"],
                       source_type=backup.get("sourceType", "MANUAL"), now=now or core.clock.now(),
                       name=name or backup["displayName"], expires=backup.get("_expires"), copy_of=backup)


@svc.op("copy_volume_backup")
def copy_volume_backup(ctx: Context):
    bk = ctx.get("volumebackup", ctx.path["volumeBackupId"], "volume backup")
    if bk["lifecycleState"] != "AVAILABLE":
        raise incorrect_state(f"The volume backup is {bk['lifecycleState']}")
    dest = _check_dest(ctx, ctx.body.get("destinationRegion"))
    copy = copy_backup(ctx.core, "volumebackup", bk, dest, ctx.body.get("displayName"), ctx.now)
    _copy_kms(ctx, "volumebackup", copy)
    _tracked(ctx, "CopyVolumeBackup", bk["compartmentId"], "volumebackup", copy,
             f"/20160918/volumeBackups/{copy['id']}", "AVAILABLE", f"Volume backup copied to {dest}")
    return copy


def _check_dest(ctx: Context, dest) -> str:
    ctx.require(dest, "destinationRegion")
    if dest not in ctx.core.regions():
        raise invalid(f"destinationRegion '{dest}' is not a region the tenancy is subscribed to")
    if dest == ctx.region:
        raise invalid("destinationRegion must be another region")
    return dest


def _copy_kms(ctx: Context, kind: str, copy: dict) -> None:
    key = (ctx.body or {}).get("kmsKeyId")
    if key is not None:
        ctx.store.update(kind, copy["id"], {"kmsKeyId": _check_key(key, "kmsKeyId")})


# ---------------------------------------------------------------- boot volume backups

@svc.op("create_boot_volume_backup")
def create_boot_volume_backup(ctx: Context):
    return _create_backup(ctx, "bootvolumebackup", "bootvolume", "bootVolumeId", "boot volume")



# ---------------------------------------------------------------- backup policies

def _sched(backup_type, period, retention_days, **extra) -> dict:
    d = {"backupType": backup_type, "period": period, "retentionSeconds": int(retention_days * 86400),
         "offsetType": "STRUCTURED", "timeZone": "UTC", "offsetSeconds": 0}
    d.update(extra)
    return d


_BRONZE = [_sched("INCREMENTAL", "ONE_MONTH", 365, dayOfMonth=1, hourOfDay=0),
           _sched("FULL", "ONE_YEAR", 5 * 365, month="JANUARY", dayOfMonth=1, hourOfDay=0)]
_SILVER = [_sched("INCREMENTAL", "ONE_WEEK", 28, dayOfWeek="SUNDAY", hourOfDay=0)] + _BRONZE
_GOLD = [_sched("INCREMENTAL", "ONE_DAY", 7, hourOfDay=0)] + _SILVER
ORACLE_POLICIES = {"gold": _GOLD, "silver": _SILVER, "bronze": _BRONZE}


def _check_schedules(schedules: list[dict]) -> list[dict]:
    out = []
    for i, s in enumerate(schedules or []):
        f = f"schedules[{i}]"
        period = s["period"]
        if s["retentionSeconds"] < 3600:
            raise invalid(f"{f}.retentionSeconds must be at least 3600 (one hour)")
        if s["retentionSeconds"] < PERIODS[period] and period != "ONE_HOUR":
            raise invalid(f"{f}.retentionSeconds must be at least the period ({period})")
        if s.get("offsetType") == "NUMERIC_SECONDS":
            if not 0 <= (s.get("offsetSeconds") or 0) < PERIODS[period]:
                raise invalid(f"{f}.offsetSeconds must be within the period")
        if s.get("hourOfDay") is not None and not 0 <= s["hourOfDay"] <= 23:
            raise invalid(f"{f}.hourOfDay must be 0 to 23")
        if s.get("dayOfMonth") is not None and not 1 <= s["dayOfMonth"] <= 28:
            raise invalid(f"{f}.dayOfMonth must be 1 to 28")
        if s.get("dayOfWeek") is not None and period != "ONE_WEEK":
            raise invalid(f"{f}.dayOfWeek applies to ONE_WEEK schedules only")
        if s.get("month") is not None and period != "ONE_YEAR":
            raise invalid(f"{f}.month applies to ONE_YEAR schedules only")
        d = dict(s)
        d.setdefault("offsetType", "STRUCTURED")
        d.setdefault("timeZone", "UTC")
        out.append({k: v for k, v in d.items() if v is not None})
    return out


def _policy_doc(ctx: Context, policy_id: str) -> dict:
    d = ctx.store.get("volumebackuppolicy", policy_id) if isinstance(policy_id, str) else None
    if d is None or d.get("_region") not in (None, ctx.region):
        raise not_found("volume backup policy", policy_id)
    return d


def _check_destination(ctx: Context, region: str | None) -> str | None:
    if region is None:
        return None
    if region not in ctx.core.regions():
        raise invalid(f"destinationRegion '{region}' is not a region the tenancy is subscribed to")
    if region == ctx.region:
        raise invalid("destinationRegion must be another region than the policy's")
    return region


@svc.op("create_volume_backup_policy")
def create_volume_backup_policy(ctx: Context):
    b = ctx.body
    comp = ctx.compartment(b["compartmentId"])
    doc = {"id": ctx.new_id("volumebackuppolicy"), "_region": ctx.region, "compartmentId": comp["id"],
           "displayName": named(ctx, b, "volume-backup-policy-"), "schedules": _check_schedules(b.get("schedules")),
           "timeCreated": ctx.ts(), "freeformTags": {}, "definedTags": {}}
    dest = _check_destination(ctx, b.get("destinationRegion"))
    if dest:
        doc["destinationRegion"] = dest
    doc.update(ctx.tags(b))
    return ctx.put("volumebackuppolicy", doc)


@svc.op("get_volume_backup_policy")
def get_volume_backup_policy(ctx: Context):
    return _policy_doc(ctx, ctx.path["policyId"])


@svc.op("list_volume_backup_policies")
def list_volume_backup_policies(ctx: Context):
    comp_id = ctx.query.get("compartmentId")
    if not comp_id:  # no compartment: the Oracle-defined policies
        docs = [d for d in ctx.store.list("volumebackuppolicy") if d.get("compartmentId") is None]
        return sorted(docs, key=lambda d: d["displayName"])
    return ctx.list("volumebackuppolicy", ctx.compartment(comp_id)["id"])


@svc.op("update_volume_backup_policy")
def update_volume_backup_policy(ctx: Context):
    d = _policy_doc(ctx, ctx.path["policyId"])
    ctx.check_if_match(d)
    if d.get("compartmentId") is None:
        raise invalid(f"The Oracle-defined policy '{d['displayName']}' cannot be changed")
    b = ctx.body or {}
    changes: dict = {}
    if b.get("displayName") is not None:
        changes["displayName"] = named(ctx, b, "policy")
    if b.get("schedules") is not None:
        changes["schedules"] = _check_schedules(b["schedules"])
    if "destinationRegion" in b and b["destinationRegion"] is not None:
        changes["destinationRegion"] = _check_destination(ctx, b["destinationRegion"])
    changes.update(ctx.tags(b))
    return ctx.update("volumebackuppolicy", d["id"], changes)


@svc.op("delete_volume_backup_policy")
def delete_volume_backup_policy(ctx: Context):
    d = _policy_doc(ctx, ctx.path["policyId"])
    ctx.check_if_match(d)
    if d.get("compartmentId") is None:
        raise invalid(f"The Oracle-defined policy '{d['displayName']}' cannot be deleted")
    if ctx.store.by_field("volumebackuppolicyassignment", "policyId", d["id"]):
        raise conflict(f"The policy '{d['displayName']}' is assigned to volumes; remove the assignments first")
    ctx.delete("volumebackuppolicy", d["id"])
    return None


# ---------------------------------------------------------------- assignments

def _asset(ctx: Context, asset_id: str) -> tuple[str, dict]:
    for kind in ("volume", "bootvolume"):
        d = ctx.find(kind, asset_id)
        if d is not None and d["lifecycleState"] not in ("TERMINATING", "TERMINATED"):
            return kind, d
    raise not_found("volume or boot volume", asset_id)


def _assign(ctx: Context, asset_id: str, policy: dict) -> dict:
    if ctx.store.by_field("volumebackuppolicyassignment", "assetId", asset_id):
        raise conflict("The volume already has a backup policy assigned; remove it first")
    return ctx.put("volumebackuppolicyassignment", {
        "id": ctx.new_id("volumebackuppolicyassignment"), "_region": ctx.region, "assetId": asset_id,
        "policyId": policy["id"], "timeCreated": ctx.ts(), "_since": ctx.now, "_lastRun": {}})


@svc.op("create_volume_backup_policy_assignment")
def create_volume_backup_policy_assignment(ctx: Context):
    b = ctx.body
    _asset(ctx, b["assetId"])
    return _assign(ctx, b["assetId"], _policy_doc(ctx, b["policyId"]))


@svc.op("get_volume_backup_policy_assignment")
def get_volume_backup_policy_assignment(ctx: Context):
    return ctx.get("volumebackuppolicyassignment", ctx.path["policyAssignmentId"], "volume backup policy assignment")


@svc.op("get_volume_backup_policy_asset_assignment")
def get_volume_backup_policy_asset_assignment(ctx: Context):
    return [d for d in ctx.store.by_field("volumebackuppolicyassignment", "assetId", ctx.query["assetId"])
            if d.get("_region") in (None, ctx.region)]


@svc.op("delete_volume_backup_policy_assignment")
def delete_volume_backup_policy_assignment(ctx: Context):
    d = ctx.get("volumebackuppolicyassignment", ctx.path["policyAssignmentId"], "volume backup policy assignment")
    ctx.delete("volumebackuppolicyassignment", d["id"])
    return None


# ---------------------------------------------------------------- volume groups

MAX_GROUP_VOLUMES = 32  # OCI's documented limit of volumes per volume group
_KEY_PREFIX = "ocid1.key."


def _check_key(key, field_name: str = "kmsKeyId") -> str:
    """A Vault master key OCID (`ocid1.key.oc1.<region>.<vault>.<key>`)."""
    if not isinstance(key, str) or not key.startswith(_KEY_PREFIX) or len(key.split(".")) < 5:
        raise invalid(f"{field_name}: '{str(key)[:80]}' is not the OCID of a Vault key (ocid1.key.oc1...)")
    return key


def _group_members(ctx: Context, ids, ad: str | None, group_id: str | None, field_name: str) -> list[dict]:
    """The volumes `ids` for a group in `ad`: live, AVAILABLE, of one AD, in no other group."""
    if not isinstance(ids, list) or not ids:
        raise invalid(f"{field_name} must list at least one volume")
    if len(ids) > MAX_GROUP_VOLUMES:
        raise invalid(f"{field_name}: a volume group holds at most {MAX_GROUP_VOLUMES} volumes, got {len(ids)}")
    if len(set(ids)) != len(ids):
        raise invalid(f"{field_name} lists a volume twice")
    out = []
    for i, vid in enumerate(ids):
        d = ctx.find("volume", vid) or ctx.find("bootvolume", vid)
        if d is None or d["lifecycleState"] in ("TERMINATING", "TERMINATED"):
            raise not_found("volume", vid)
        if d["lifecycleState"] != "AVAILABLE":
            raise incorrect_state(f"{field_name}[{i}]: the volume {d['displayName']} is {d['lifecycleState']}")
        if ad and d["availabilityDomain"] != ad:
            raise invalid(f"{field_name}[{i}]: the volume {d['displayName']} is in {d['availabilityDomain']}; every "
                          f"volume of a volume group must be in its availability domain ({ad})")
        ad = d["availabilityDomain"]
        if d.get("volumeGroupId") and d["volumeGroupId"] != group_id:
            other = ctx.store.get("volumegroup", d["volumeGroupId"])
            if other is not None and other["lifecycleState"] not in ("TERMINATING", "TERMINATED"):
                raise conflict(f"{field_name}[{i}]: the volume {d['displayName']} already belongs to the volume "
                               f"group {other['displayName']}")
        out.append(d)
    return out


def _set_group(store, vols: list[dict], group_id: str | None) -> None:
    for v in vols:
        store.update("bootvolume" if v["id"].startswith("ocid1.bootvolume.") else "volume", v["id"],
                     {"volumeGroupId": group_id})


def _group_size(vols: list[dict]) -> dict:
    gb = sum(v.get("sizeInGBs") or 0 for v in vols)
    return {"sizeInGBs": gb, "sizeInMBs": gb * 1024}


def _group_check(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is not None:  # update: a new membership replaces the old one
        if body.get("volumeIds") is None:
            return {}
        vols = _group_members(ctx, body["volumeIds"], existing["availabilityDomain"], existing["id"], "volumeIds")
        old = [d for i in existing.get("volumeIds") or []
               if (d := ctx.store.get("volume", i) or ctx.store.get("bootvolume", i)) is not None]
        _set_group(ctx.store, [d for d in old if d["id"] not in body["volumeIds"]], None)
        _set_group(ctx.store, vols, existing["id"])
        return dict(_group_size(vols), volumeIds=[v["id"] for v in vols])
    ad = ctx.require(body.get("availabilityDomain"), "availabilityDomain")
    if ad not in ad_names(ctx.region):
        raise invalid(f"availabilityDomain '{ad}' does not exist in {ctx.region}")
    src = ctx.require(body.get("sourceDetails"), "sourceDetails")
    stype = src.get("type")
    if body.get("backupPolicyId"):
        _policy_doc(ctx, body["backupPolicyId"])
    if stype == "volumeIds":
        vols = _group_members(ctx, src.get("volumeIds"), ad, None, "sourceDetails.volumeIds")
        return dict(_group_size(vols), volumeIds=[v["id"] for v in vols], isHydrated=True,
                    sourceDetails={"type": "volumeIds", "volumeIds": [v["id"] for v in vols]})
    if stype == "volumeGroupId":
        g = VOLUME_GROUP.find_live(ctx, "volumegroup", src.get("volumeGroupId"), "sourceDetails.volumeGroupId")
        if g["lifecycleState"] != "AVAILABLE":
            raise incorrect_state(f"The volume group {g['displayName']} is {g['lifecycleState']}")
        if g["availabilityDomain"] != ad:
            raise invalid(f"A volume group clone is created in the availability domain of its source "
                          f"({g['availabilityDomain']})")
        return {"isHydrated": False, "_source": ("volume", g["volumeIds"]),
                "sourceDetails": {"type": "volumeGroupId", "volumeGroupId": g["id"]}}
    if stype == "volumeGroupBackupId":
        bk = VOLUME_GROUP_BACKUP.find_live(ctx, "volumegroupbackup", src.get("volumeGroupBackupId"),
                                           "sourceDetails.volumeGroupBackupId")
        if bk["lifecycleState"] != "AVAILABLE":
            raise incorrect_state(f"The volume group backup {bk['displayName']} is {bk['lifecycleState']}")
        return {"isHydrated": False, "_source": ("backup", bk["volumeBackupIds"]),
                "sourceDetails": {"type": "volumeGroupBackupId", "volumeGroupBackupId": bk["id"]}}
    raise invalid(f"sourceDetails.type '{stype}' must be volumeIds, volumeGroupId or volumeGroupBackupId")


def _group_created(ctx: Context, doc: dict) -> None:
    """Clones and restores: one new volume per source volume (or per volume backup) in the group."""
    if ctx.body and ctx.body.get("backupPolicyId"):
        _assign(ctx, doc["id"], _policy_doc(ctx, ctx.body["backupPolicyId"]))
    how, ids = doc.pop("_source", (None, []))
    if how is None:
        _set_group(ctx.store, [ctx.store.get("volume", i) or ctx.store.get("bootvolume", i)
                               for i in doc["volumeIds"]], doc["id"])
        ctx.store.update("volumegroup", doc["id"], {"_source": None})
        return
    made = []
    for i in ids:
        src = ctx.store.get("volume" if how == "volume" else "volumebackup", i)
        if src is None:
            continue
        origin = ctx.store.get("volume", src.get("volumeId") or "") if how == "backup" else src
        vol = new_volume(ctx, region=ctx.region, comp=doc["compartmentId"], ad=doc["availabilityDomain"],
                         name=src["displayName"] if how == "volume" else (origin or src)["displayName"],
                         size_gb=src["sizeInGBs"], vpus=(origin or {}).get("vpusPerGB", 10), now=ctx.now,
                         ocid=ctx.new_id, source={"type": "volume" if how == "volume" else "volumeBackup",
                                                  "id": src["id"]})
        vol = ctx.update("volume", vol["id"], {"volumeGroupId": doc["id"], "isHydrated": False})
        ctx.schedule("volume", vol["id"], {"lifecycleState": "AVAILABLE", "isHydrated": True}, steps=1,
                     when_state="PROVISIONING")
        made.append(vol)
    ctx.store.update("volumegroup", doc["id"], dict(_group_size(made), volumeIds=[v["id"] for v in made],
                                                    _source=None))
    ctx.schedule("volumegroup", doc["id"], {"isHydrated": True}, steps=2)


def _group_deleted(ctx: Context, doc: dict) -> None:
    """Deleting a group keeps its volumes: they only leave it."""
    _set_group(ctx.store, [d for i in doc.get("volumeIds") or []
                           if (d := ctx.store.get("volume", i) or ctx.store.get("bootvolume", i)) is not None], None)
    for a in ctx.store.by_field("volumebackuppolicyassignment", "assetId", doc["id"]):
        ctx.delete("volumebackuppolicyassignment", a["id"])


VOLUME_GROUP = svc.resource(Kind(
    "volumegroup", "VolumeGroup", "volume group", validate=_group_check, on_create=_group_created,
    on_delete=_group_deleted, search="VolumeGroup", default_name="volumegroup"))


# ---------------------------------------------------------------- volume group backups

def _retention_seconds(period) -> float:
    if not period:
        return 0.0
    amount, unit = period.get("retentionTimeAmount"), period.get("retentionTimeUnit")
    if not isinstance(amount, int) or amount < 1 or unit not in ("DAYS", "YEARS"):
        raise invalid("retentionPeriod needs a timeAmount of at least 1 and a timeUnit of DAYS or YEARS")
    return amount * (365 * 86400.0 if unit == "YEARS" else 86400.0)


def _retention(ctx: Context, body: dict, existing: dict | None) -> dict:
    if body.get("retentionPeriod") is None:
        return {}
    secs = _retention_seconds(body["retentionPeriod"])
    if existing is not None and existing.get("isRetentionLockEnabled") and \
            secs < _retention_seconds(existing.get("retentionPeriod")):
        raise conflict("The backup's retention is locked: its retention period can only grow")
    start = existing.get("_created", ctx.now) if existing is not None else ctx.now
    return {"_retention_until": start + secs, "timeRetentionExpiresAt": ts(start + secs), "_created": start}


def _group_backup_check(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is not None:
        if existing.get("isRetentionLockEnabled") and body.get("isRetentionLockEnabled") is False:
            raise conflict("The backup's retention lock cannot be removed")
        return _retention(ctx, body, existing)
    g = VOLUME_GROUP.find_live(ctx, "volumegroup", ctx.require(body.get("volumeGroupId"), "volumeGroupId"),
                               "volumeGroupId")
    if g["lifecycleState"] != "AVAILABLE":
        raise incorrect_state(f"The volume group {g['displayName']} is {g['lifecycleState']}; only an AVAILABLE "
                              "group can be backed up")
    if any(d["lifecycleState"] == "CREATING"
           for d in ctx.store.by_field("volumegroupbackup", "volumeGroupId", g["id"])):
        raise conflict("A backup of this volume group is already being created")
    return dict(_retention(ctx, body, None), type=body.get("type") or "INCREMENTAL", sourceType="MANUAL",
                timeRequestReceived=ctx.ts(), volumeGroupId=g["id"], _created=ctx.now)


def _group_backup_created(ctx: Context, doc: dict) -> None:
    g = ctx.store.get("volumegroup", doc["volumeGroupId"])
    ids, size, unique_gb = [], 0, 0
    for vid in g.get("volumeIds") or []:
        vol = ctx.store.get("volume", vid)
        kind = "volumebackup"
        if vol is None:
            vol, kind = ctx.store.get("bootvolume", vid), "bootvolumebackup"
        if vol is None:
            continue
        bk = _backup_doc(ctx, kind, region=ctx.region, source=dict(vol, compartmentId=doc["compartmentId"]),
                         btype=doc["type"], source_type="MANUAL", now=ctx.now,
                         name=f"{doc['displayName']} - {vol['displayName']}")
        ids.append(bk["id"])
        size += bk["sizeInGBs"]
        unique_gb += bk["uniqueSizeInGBs"]
    ctx.store.update("volumegroupbackup", doc["id"], {
        "volumeBackupIds": ids, "sizeInGBs": size, "sizeInMBs": size * 1024, "uniqueSizeInGbs": unique_gb,
        "uniqueSizeInMbs": unique_gb * 1024})


def _group_backup_check_delete(ctx: Context, doc: dict) -> None:
    if doc["lifecycleState"] == "CREATING":
        raise incorrect_state("The volume group backup is still being created")
    if doc.get("isPreventDeletionEnabled"):
        raise conflict("The volume group backup has isPreventDeletionEnabled set; clear it before deleting")
    until = doc.get("_retention_until")
    if doc.get("isRetentionLockEnabled") and until and ctx.now < until:
        raise conflict(f"The volume group backup is retention-locked until {ts(until)}")


def _group_backup_deleted(ctx: Context, doc: dict) -> None:
    """A volume group backup takes its volume backups with it."""
    for bid in doc.get("volumeBackupIds") or []:
        for kind in ("volumebackup", "bootvolumebackup"):
            d = ctx.store.get(kind, bid)
            if d is not None and d["lifecycleState"] not in ("TERMINATING", "TERMINATED"):
                ctx.update(kind, bid, {"lifecycleState": "TERMINATING"})
                ctx.schedule(kind, bid, {"lifecycleState": "TERMINATED"}, steps=1, when_state="TERMINATING")


VOLUME_GROUP_BACKUP = svc.resource(Kind(
    "volumegroupbackup", "VolumeGroupBackup", "volume group backup", lifecycle=engine.AVAILABLE,
    validate=_group_backup_check, on_create=_group_backup_created, check_delete=_group_backup_check_delete,
    on_delete=_group_backup_deleted, search="VolumeGroupBackup", default_name="volumegroupbackup"))


@svc.op("copy_volume_group_backup")
def copy_volume_group_backup(ctx: Context):
    bk = ctx.get("volumegroupbackup", ctx.path["volumeGroupBackupId"], "volume group backup")
    if bk["lifecycleState"] != "AVAILABLE":
        raise incorrect_state(f"The volume group backup is {bk['lifecycleState']}; only an AVAILABLE one is copied")
    b = ctx.body or {}
    dest = _check_dest(ctx, b.get("destinationRegion"))
    if b.get("kmsKeyId") is not None:
        _check_key(b["kmsKeyId"])
    copies = []
    for bid in bk.get("volumeBackupIds") or []:
        for kind in ("volumebackup", "bootvolumebackup"):
            d = ctx.store.get(kind, bid)
            if d is not None:
                copies.append(copy_backup(ctx.core, kind, d, dest, now=ctx.now)["id"])
    doc = {k: v for k, v in bk.items() if not k.startswith("_") or k == "_etag"}
    doc.pop("_etag", None)
    doc.update(id=new_ocid("volumegroupbackup", dest), _region=dest, displayName=b.get("displayName") or
               bk["displayName"], lifecycleState="CREATING", sourceVolumeGroupBackupId=bk["id"],
               volumeBackupIds=copies, timeCreated=ctx.ts(), timeRequestReceived=ctx.ts())
    doc = ctx.put("volumegroupbackup", doc)
    ctx.schedule("volumegroupbackup", doc["id"], {"lifecycleState": "AVAILABLE"}, steps=1, when_state="CREATING")
    return doc


# ---------------------------------------------------------------- boot volumes: clone / restore, backup copies

@svc.op("create_boot_volume")
def create_boot_volume(ctx: Context):
    b = ctx.body
    comp = ctx.compartment(b.get("compartmentId"))
    src = ctx.require(b.get("sourceDetails"), "sourceDetails")
    ad = b.get("availabilityDomain")
    stype = src.get("type")
    if stype == "bootVolume":
        origin = BOOT_VOLUME.find_live(ctx, "bootvolume", src.get("id"), "sourceDetails.id")
        if origin["lifecycleState"] != "AVAILABLE":
            raise incorrect_state(f"The boot volume {origin['displayName']} is {origin['lifecycleState']}")
        if ad and ad != origin["availabilityDomain"]:
            raise invalid("A boot volume clone is created in the availability domain of its source "
                          f"({origin['availabilityDomain']})")
        ad = origin["availabilityDomain"]
    elif stype == "bootVolumeBackup":
        origin = BOOT_VOLUME_BACKUP.find_live(ctx, "bootvolumebackup", src.get("id"), "sourceDetails.id")
        if origin["lifecycleState"] != "AVAILABLE":
            raise incorrect_state(f"The boot volume backup {origin['displayName']} is {origin['lifecycleState']}")
    else:
        raise invalid(f"sourceDetails.type '{stype}' must be bootVolume or bootVolumeBackup")
    ctx.require(ad, "availabilityDomain")
    if ad not in ad_names(ctx.region):
        raise invalid(f"availabilityDomain '{ad}' does not exist in {ctx.region} "
                      f"(known: {', '.join(ad_names(ctx.region))})")
    size = _check_size(b["sizeInGBs"]) if b.get("sizeInGBs") is not None else origin["sizeInGBs"]
    if size < origin["sizeInGBs"]:
        raise invalid(f"sizeInGBs {size} is smaller than the source ({origin['sizeInGBs']} GB)")
    vpus = b.get("vpusPerGB")
    if vpus is not None and (_check_vpus(vpus) < 10):
        raise invalid("vpusPerGB of a boot volume must be 10 to 120 in steps of 10")
    doc = {"id": ctx.new_id("bootvolume"), "_region": ctx.region, "compartmentId": comp["id"],
           "availabilityDomain": ad, "displayName": named(ctx, b, "bootvolume"), "imageId": origin.get("imageId"),
           "sizeInGBs": size, "sizeInMBs": size * 1024, "vpusPerGB": vpus if vpus is not None else
           origin.get("vpusPerGB", 10), "isHydrated": False, "isAutoTuneEnabled": bool(b.get("isAutoTuneEnabled")),
           "sourceDetails": {"type": stype, "id": origin["id"]}, "lifecycleState": "PROVISIONING",
           "timeCreated": ctx.ts(), "freeformTags": {}, "definedTags": {}}
    if b.get("kmsKeyId") is not None:
        doc["kmsKeyId"] = _check_key(b["kmsKeyId"])
    doc.update(ctx.tags(b))
    doc = ctx.put("bootvolume", doc)
    ctx.schedule("bootvolume", doc["id"], {"lifecycleState": "AVAILABLE"}, steps=1, when_state="PROVISIONING")
    ctx.schedule("bootvolume", doc["id"], {"isHydrated": True}, steps=2)
    if b.get("backupPolicyId"):
        _assign(ctx, doc["id"], _policy_doc(ctx, b["backupPolicyId"]))
    return doc


@svc.op("copy_boot_volume_backup")
def copy_boot_volume_backup(ctx: Context):
    bk = ctx.get("bootvolumebackup", ctx.path["bootVolumeBackupId"], "boot volume backup")
    if bk["lifecycleState"] != "AVAILABLE":
        raise incorrect_state(f"The boot volume backup is {bk['lifecycleState']}")
    dest = _check_dest(ctx, ctx.body.get("destinationRegion"))
    copy = copy_backup(ctx.core, "bootvolumebackup", bk, dest, ctx.body.get("displayName"), ctx.now)
    _copy_kms(ctx, "bootvolumebackup", copy)
    _tracked(ctx, "CopyBootVolumeBackup", bk["compartmentId"], "bootvolumebackup", copy,
             f"/20160918/bootVolumeBackups/{copy['id']}", "AVAILABLE", f"Boot volume backup copied to {dest}")
    return ctx.store.get("bootvolumebackup", copy["id"])


# ---------------------------------------------------------------- Vault keys of volumes

def _kms(kind: str, key: str, what: str):
    def get(ctx: Context):
        d = ctx.get(kind, ctx.path[key], what)
        return {"kmsKeyId": d.get("kmsKeyId")}

    def update(ctx: Context):
        d = ctx.get_for_write(kind, ctx.path[key], what)
        if d["lifecycleState"] != "AVAILABLE":
            raise incorrect_state(f"The {what} is {d['lifecycleState']}")
        new = _check_key((ctx.body or {}).get("kmsKeyId"))
        ctx.update(kind, d["id"], {"kmsKeyId": new})
        return {"kmsKeyId": new}

    def delete(ctx: Context):
        """Back to Oracle-managed keys."""
        d = ctx.get_for_write(kind, ctx.path[key], what)
        if d["lifecycleState"] != "AVAILABLE":
            raise incorrect_state(f"The {what} is {d['lifecycleState']}")
        if not d.get("kmsKeyId"):
            raise not_found(f"Vault key of the {what}", d["id"])
        ctx.update(kind, d["id"], {"kmsKeyId": None})
        return None
    return get, update, delete


for _kind, _key, _what, _noun in (("volume", "volumeId", "volume", "volume"),
                                  ("bootvolume", "bootVolumeId", "boot volume", "boot_volume")):
    _g, _u, _d = _kms(_kind, _key, _what)
    svc.op(f"get_{_noun}_kms_key")(_g)
    svc.op(f"update_{_noun}_kms_key")(_u)
    svc.op(f"delete_{_noun}_kms_key")(_d)


# ---------------------------------------------------------------- the scheduler (lazy)

def _last_due(s: dict, now: float) -> float:
    """The latest time at or before `now` when schedule `s` was due (UTC)."""
    period = s["period"]
    if s.get("offsetType") == "NUMERIC_SECONDS":
        step = PERIODS[period] if period in ("ONE_HOUR", "ONE_DAY", "ONE_WEEK") else None
        off = s.get("offsetSeconds") or 0
        if step is not None:
            return (now - off) // step * step + off
    dt = datetime.fromtimestamp(now, tz=UTC)
    hour = s.get("hourOfDay") or 0
    if period == "ONE_HOUR":
        return (now // 3600) * 3600
    if period == "ONE_DAY":
        cand = dt.replace(hour=hour, minute=0, second=0, microsecond=0)
        return (cand if cand <= dt else cand - timedelta(days=1)).timestamp()
    if period == "ONE_WEEK":
        wd = WEEKDAYS.index(s.get("dayOfWeek") or "MONDAY")
        cand = dt.replace(hour=hour, minute=0, second=0, microsecond=0) - timedelta(days=(dt.weekday() - wd) % 7)
        return (cand if cand <= dt else cand - timedelta(days=7)).timestamp()
    day = s.get("dayOfMonth") or 1
    if period == "ONE_MONTH":
        cand = dt.replace(day=day, hour=hour, minute=0, second=0, microsecond=0)
        if cand > dt:
            y, m = (dt.year, dt.month - 1) if dt.month > 1 else (dt.year - 1, 12)
            cand = cand.replace(year=y, month=m, day=min(day, calendar.monthrange(y, m)[1]))
        return cand.timestamp()
    month = MONTHS.index(s.get("month") or "JANUARY") + 1
    cand = dt.replace(month=month, day=day, hour=hour, minute=0, second=0, microsecond=0)
    return (cand if cand <= dt else cand.replace(year=dt.year - 1)).timestamp()


def run_schedules(core, now: float | None = None) -> int:
    """Take the scheduled backups that came due, copy them to the policy's destination region, and
    drop scheduled backups past their expiry. Returns the number of backups made."""
    store = core.store
    now = now or core.clock.now()
    made = 0
    for a in store.list("volumebackuppolicyassignment"):
        policy = store.get("volumebackuppolicy", a["policyId"])
        bkind = "volumebackup"
        asset = store.get("volume", a["assetId"])
        if asset is None:
            bkind = "bootvolumebackup"
            asset = store.get("bootvolume", a["assetId"])
        if policy is None or asset is None or asset.get("lifecycleState") != "AVAILABLE":
            continue
        last = dict(a.get("_lastRun") or {})
        changed = False
        for i, s in enumerate(policy["schedules"]):
            due = _last_due(s, now)
            if due <= max(a.get("_since", now), last.get(str(i), 0.0)):
                continue
            last[str(i)] = due
            changed = True
            label = datetime.fromtimestamp(due, tz=UTC).strftime("%Y-%m-%d %H:%M:%S")
            name = f"Auto-backup for {label} UTC via policy: {policy['displayName']}"
            region = asset.get("_region") or core.home_region
            bk = _backup_doc(core, bkind, region=region, source=asset, btype=s["backupType"],
                             source_type="SCHEDULED", now=now, name=name, expires=due + s["retentionSeconds"])
            made += 1
            if policy.get("destinationRegion") and policy["destinationRegion"] != region:
                copy_backup(core, bkind, bk, policy["destinationRegion"], now=now)
                made += 1
        if changed:
            store.update("volumebackuppolicyassignment", a["id"], {"_lastRun": last})
    for bkind in ("volumebackup", "bootvolumebackup"):
        for d in store.list(bkind):
            if d.get("_expires") is not None and d["_expires"] <= now and d["lifecycleState"] == "AVAILABLE":
                store.update(bkind, d["id"], {"lifecycleState": "TERMINATED"})
    return made


# ---------------------------------------------------------------- seed

@svc.seeder
def seed_blockstorage(seed) -> None:
    """Oracle-defined policies in every profile; demo: volumes (one attached), backups, a custom policy."""
    store = seed.store
    for name, schedules in ORACLE_POLICIES.items():
        store.put("volumebackuppolicy", {
            "id": seed.ocid("volumebackuppolicy", regional=False), "compartmentId": None, "displayName": name,
            "schedules": [dict(s) for s in schedules], "timeCreated": ts(seed.now - 900 * 86400),
            "freeformTags": {}, "definedTags": {}})
    if seed.profile != "demo":
        return
    home = seed.core.home_region
    comps = {c["name"]: c["id"] for c in store.list("compartment")}
    instances = {i["displayName"]: i for i in store.list("instance") if i.get("_region") == home}
    gold = next(p for p in store.list("volumebackuppolicy") if p["displayName"] == "gold")
    dr = seed.regions[1] if len(seed.regions) > 1 else None
    custom = None
    if comps.get("Production"):
        custom = store.put("volumebackuppolicy", {
            "id": seed.ocid("volumebackuppolicy", home), "_region": home, "compartmentId": comps["Production"],
            "displayName": "prod-daily-dr",
            "schedules": [_sched("INCREMENTAL", "ONE_DAY", 14, hourOfDay=2),
                          _sched("FULL", "ONE_WEEK", 60, dayOfWeek="SATURDAY", hourOfDay=3)],
            "timeCreated": ts(seed.t(120, 60)), "freeformTags": {"purpose": "disaster-recovery"}, "definedTags": {},
            **({"destinationRegion": dr} if dr else {})})

    def ocid(t):
        return seed.ocid(t, home)

    etl = instances.get("etl-01")
    if etl is not None:
        vol = new_volume(seed, region=home, comp=etl["compartmentId"], ad=etl["availabilityDomain"], name="etl-data",
                         size_gb=1024, vpus=20, now=seed.t(150, 100), ocid=ocid, state="AVAILABLE",
                         tags={"freeformTags": {"app": "etl"}, "definedTags": {}})
        store.put("volumeattachment", {
            "id": ocid("volumeattachment"), "_region": home, "attachmentType": "paravirtualized",
            "availabilityDomain": etl["availabilityDomain"], "compartmentId": etl["compartmentId"],
            "instanceId": etl["id"], "volumeId": vol["id"], "device": DEVICES[0], "displayName": "etl-data-attachment",
            "isReadOnly": False, "isShareable": False, "lifecycleState": "ATTACHED", "timeCreated": ts(seed.t(99, 90)),
            "isPvEncryptionInTransitEnabled": False, "isMultipath": False})
        t = seed.now
        store.put("volumebackuppolicyassignment", {
            "id": ocid("volumebackuppolicyassignment"), "_region": home, "assetId": vol["id"], "policyId": gold["id"],
            "timeCreated": ts(seed.t(90, 80)), "_since": t, "_lastRun": {}})
        for days, btype in ((30, "FULL"), (3, "INCREMENTAL")):
            store.put("volumebackup", {
                "id": ocid("volumebackup"), "_region": home, "compartmentId": vol["compartmentId"],
                "displayName": f"etl-data-{btype.lower()}-{days}d", "lifecycleState": "AVAILABLE", "type": btype,
                "sourceType": "MANUAL", "sizeInGBs": 1024, "sizeInMBs": 1024 * 1024, "uniqueSizeInGBs": 1024 if
                btype == "FULL" else 40, "uniqueSizeInMbs": (1024 if btype == "FULL" else 40) * 1024,
                "volumeId": vol["id"], "timeCreated": ts(t - days * 86400), "timeRequestReceived": ts(t - days * 86400),
                "freeformTags": {}, "definedTags": {}})
    api = instances.get("api-01")
    if api is not None:
        vol = new_volume(seed, region=home, comp=api["compartmentId"], ad=api["availabilityDomain"], name="api-cache",
                         size_gb=200, vpus=10, now=seed.t(60, 30), ocid=ocid, state="AVAILABLE")
        if custom is not None:
            store.put("volumebackuppolicyassignment", {
                "id": ocid("volumebackuppolicyassignment"), "_region": home, "assetId": vol["id"],
                "policyId": custom["id"], "timeCreated": ts(seed.t(29, 20)), "_since": seed.now, "_lastRun": {}})
    if comps.get("Shared-Tools"):
        ad = ad_names(home)[0]
        new_volume(seed, region=home, comp=comps["Shared-Tools"], ad=ad, name="scratch", size_gb=50, vpus=0,
                   now=seed.t(20, 10), ocid=ocid, state="AVAILABLE")
