"""Base Database Service (`/database`, DatabaseClient): DB systems on virtual machines, their DB nodes, DB
homes and databases, backups (on demand and automatic, as the backup configuration says), restore, and
Data Guard associations (switchover, failover, reinstate).

`launch_db_system` takes OCI's LaunchDbSystemDetails: a shape of `list_db_system_shapes` (VM.Standard2.x
with their fixed cores, or the flexible VM.Standard.E4.Flex / VM.Standard3.Flex with `cpuCoreCount`), an
edition (Standard Edition: at most 8 cores and one node; two nodes are a RAC and need Extreme Performance
and ASM), `dbSystemOptions.storageManagement` (ASM or LVM; LVM takes one node), `initialDataStorageSizeInGB`
of the sizes OCI offers (256 GB to 40 TB), SSH public keys, a live subnet (its DNS labels form the domain)
and a hostname; the DB home has a `dbVersion` of `list_db_versions` and a database with OCI's rules:
`dbName` (a letter, then at most 7 letters or digits), `pdbName` (a letter, letters, digits and `_`, at
most 30, not the dbName), the admin password (9-30 characters, two each of upper case, lower case, digits
and of `_ # -`, neither the user names SYS/SYSTEM nor "oracle"), character sets, and `dbBackupConfig`
(`recoveryWindowInDays` 7, 15, 30, 45 or 60; `autoBackupWindow` SLOT_ONE..SLOT_TWELVE, two-hour slots from
00:00 UTC). The admin password is kept only as a salted PBKDF2 hash (Data Guard's `databaseAdminPassword`
is checked against it). Everything is PROVISIONING, then AVAILABLE after a few transitions, with a core
work request (`oci work-requests`, what `--wait-for-state` of the CLI and the composite operations read).

DB nodes: `db_node_action` STOP (STOPPING -> STOPPED), START (STARTING -> AVAILABLE), SOFTRESET / RESET
(STOPPING -> STARTING -> AVAILABLE); 409 IncorrectState otherwise. Backups: `create_backup` (the database
BACKUP_IN_PROGRESS, the backup CREATING -> ACTIVE, FULL), automatic ones made lazily when backups or
databases are read: one a day in the window (FULL on `autoFullBackupDay`, default Sunday, INCREMENTAL
otherwise), kept for the recovery window; `delete_backup` refuses automatic ones; `restore_database`
(latest, a timestamp inside the backups' span, or an SCN) needs a backup. `update_database` changes the
backup configuration or the admin password (UPDATING -> AVAILABLE).

Data Guard (`create_data_guard_association`): creationType NewDbSystem (a peer DB system like the primary's
in the given subnet) or ExistingDbSystem (a new DB home on another AVAILABLE DB system of the same edition);
Enterprise Edition only; protection mode and transport as OCI pairs them (MAXIMUM_AVAILABILITY: SYNC or
FASTSYNC; MAXIMUM_PERFORMANCE: ASYNC; MAXIMUM_PROTECTION: SYNC); one association per database. Each side
has its association (role / peerRole, peer ids). Switchover (from the primary's association; both sides
AVAILABLE) swaps the roles; failover (from the standby's) makes it PRIMARY and the old primary
DISABLED_STANDBY; reinstate (of a DISABLED_STANDBY) makes it STANDBY again.

Metrics: `oci_database` per DB node (resourceId: the DB system, as OCI's Base Database metrics have it;
hostName, resourceId_database), only while the node is AVAILABLE: a stopped node reports no CPU.
"""

from __future__ import annotations

import hashlib
import os
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from .. import engine
from ..engine import Kind, Lifecycle
from ..metrics import Metric, MetricSource, declare
from ..protocol import ApiError, conflict, incorrect_state, invalid, not_found, parse_ts, ts
from ..registry import Context, Result, Service
from . import workrequests
from .compute_hosts import check_ad

svc = Service("database", name="database_systems")

# ---------------------------------------------------------------- OCI's catalogue

# shape -> (cores, memory GB per core, flexible, maximum cores, processor)
SHAPES: dict[str, tuple[int, int, bool, int, str]] = {
    "VM.Standard2.1": (1, 15, False, 1, "INTEL"),
    "VM.Standard2.2": (2, 15, False, 2, "INTEL"),
    "VM.Standard2.4": (4, 15, False, 4, "INTEL"),
    "VM.Standard2.8": (8, 15, False, 8, "INTEL"),
    "VM.Standard2.16": (16, 15, False, 16, "INTEL"),
    "VM.Standard2.24": (24, 320 // 24, False, 24, "INTEL"),
    "VM.Standard.E4.Flex": (1, 16, True, 64, "AMD"),
    "VM.Standard3.Flex": (1, 16, True, 32, "INTEL"),
}
# version -> latest of its major version; "19.0.0.0" style majors name the latest of theirs
VERSIONS = {"19.26.0.0": False, "19.27.0.0": True, "21.17.0.0": False, "21.18.0.0": True,
            "23.8.0.25.04": True}
MAJORS = {"19.0.0.0": "19.27.0.0", "21.0.0.0": "21.18.0.0", "23.0.0.0": "23.8.0.25.04"}
EDITIONS = ("STANDARD_EDITION", "ENTERPRISE_EDITION", "ENTERPRISE_EDITION_HIGH_PERFORMANCE",
            "ENTERPRISE_EDITION_EXTREME_PERFORMANCE", "ENTERPRISE_EDITION_DEVELOPER")
STORAGE_SIZES = (256, 512) + tuple(1024 * n for n in (1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30,
                                                      32, 34, 36, 38, 40))
RECOVERY_WINDOWS = (7, 15, 30, 45, 60)
SLOTS = ("SLOT_ONE", "SLOT_TWO", "SLOT_THREE", "SLOT_FOUR", "SLOT_FIVE", "SLOT_SIX", "SLOT_SEVEN", "SLOT_EIGHT",
         "SLOT_NINE", "SLOT_TEN", "SLOT_ELEVEN", "SLOT_TWELVE")
DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
CHARACTER_SETS = ("AL32UTF8", "AR8ADOS710", "AR8ISO8859P6", "AR8MSWIN1256", "CL8ISO8859P5", "CL8MSWIN1251",
                  "EE8ISO8859P2", "EE8MSWIN1250", "EL8ISO8859P7", "EL8MSWIN1253", "IW8ISO8859P8", "JA16EUC",
                  "JA16SJIS", "KO16MSWIN949", "NEE8ISO8859P4", "TH8TISASCII", "TR8MSWIN1254", "US7ASCII",
                  "VN8MSWIN1258", "WE8ISO8859P1", "WE8ISO8859P15", "WE8MSWIN1252", "ZHS16GBK", "ZHT16BIG5",
                  "ZHT16MSWIN950", "ZHT32EUC")
NCHARACTER_SETS = ("AL16UTF16", "UTF8")
WORKLOADS = ("OLTP", "DSS")
DB_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,7}$")
PDB_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,29}$")
HOSTNAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,29}$")
SSH_KEY_RE = re.compile(r"^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( .*)?$")
# protection mode -> the transport types OCI allows with it
PROTECTION = {"MAXIMUM_AVAILABILITY": ("SYNC", "FASTSYNC"), "MAXIMUM_PERFORMANCE": ("ASYNC",),
              "MAXIMUM_PROTECTION": ("SYNC",)}
PROVISION_STEPS = 3  # transitions a launch takes
GONE = ("TERMINATING", "TERMINATED")


def admin_password_error(pw: Any, field_name: str = "adminPassword") -> str | None:
    """OCI's rule for the SYS / SYSTEM / PDB admin password of a DB system's database, or None."""
    if not isinstance(pw, str) or not pw:
        return f"{field_name} is required"
    problems = []
    if not 9 <= len(pw) <= 30:
        problems.append("be 9 to 30 characters long")
    if sum(c.isupper() for c in pw) < 2:
        problems.append("contain at least two uppercase letters")
    if sum(c.islower() for c in pw) < 2:
        problems.append("contain at least two lowercase letters")
    if sum(c.isdigit() for c in pw) < 2:
        problems.append("contain at least two digits")
    if sum(c in "_#-" for c in pw) < 2:
        problems.append("contain at least two of the special characters _ # -")
    if any(not (c.isalnum() or c in "_#-") for c in pw) or not pw.isascii():
        problems.append("use only letters, digits and _ # -")
    low = pw.lower()
    for word in ("oracle", "sys", "system"):
        if word in low or word[::-1] in low:
            problems.append(f"not contain '{word}' (forwards or backwards)")
            break
    if problems:
        return f"{field_name} must " + ", ".join(problems)
    return None


_HASHED: dict[bytes, str] = {}  # sha256 of a secret -> its PBKDF2 hash (the secret itself is not kept)


def hash_secret(secret: str) -> str:
    """A password as the sandbox keeps it: salted PBKDF2 (~25 ms). Remembered for the life of the process, so
    that the same secret given again (every new sandbox's seeded database: each test's) is not hashed again;
    the salt is random per process."""
    key = hashlib.sha256(secret.encode()).digest()
    hashed = _HASHED.get(key)
    if hashed is None:
        salt = os.urandom(16)
        hashed = "pbkdf2-sha256$" + salt.hex() + "$" + hashlib.pbkdf2_hmac("sha256", secret.encode(), salt,
                                                                           50_000).hex()
        if len(_HASHED) < 1024:
            _HASHED[key] = hashed
    return hashed


def secret_matches(secret: Any, stored: str | None) -> bool:
    if not isinstance(secret, str) or not stored or not stored.startswith("pbkdf2-sha256$"):
        return False
    _, salt, digest = stored.split("$")
    return hashlib.pbkdf2_hmac("sha256", secret.encode(), bytes.fromhex(salt), 50_000).hex() == digest


# ---------------------------------------------------------------- kinds (the engine serves get and list)

def _is_node(d: dict, w) -> bool:
    return d.get("dbSystemId") == w


DBSYSTEM = svc.resource(Kind(
    "dbsystem", "DbSystem", "DB system", lifecycle=Lifecycle("PROVISIONING", "AVAILABLE", "UPDATING", "TERMINATING",
                                                             "TERMINATED", failed="FAILED"),
    ops={"create": "", "update": "", "delete": "", "move": ""}, search="DbSystem"))
DBNODE = svc.resource(Kind(
    "dbnode", "DbNode", "DB node", name_field=None, ops={"create": "", "update": "", "delete": ""},
    live=("PROVISIONING", "AVAILABLE", "STOPPING", "STOPPED", "STARTING", "UPDATING"),
    extra_list_filters={"dbSystemId": _is_node}))
DBHOME = svc.resource(Kind(
    "dbhome", "DbHome", "DB home", ops={"create": "", "update": "", "delete": "", "move": ""}))
DATABASE = svc.resource(Kind(
    "database", "Database", "database", name_field=None, ops={"create": "", "update": "", "delete": "", "move": ""},
    extra_list_filters={"systemId": lambda d, w: d.get("dbSystemId") == w},
    live=("PROVISIONING", "AVAILABLE", "UPDATING", "BACKUP_IN_PROGRESS")))
BACKUP = svc.resource(Kind(
    "dbbackup", "Backup", "backup", ocid="dbbackup",
    lifecycle=Lifecycle("CREATING", "ACTIVE", None, "DELETING", "DELETED", failed="FAILED"),
    ops={"create": "", "update": "", "delete": "", "move": ""}))
DGA = svc.resource(Kind(
    "dataguardassociation", "DataGuardAssociation", "Data Guard association", ocid="dgassociation",
    name_field=None, compartment=False, ops={"create": "", "update": ""}))


def _catch_up(ctx: Context) -> None:
    automatic_backups(ctx)


BACKUP.on_read = _catch_up
DATABASE.on_read = _catch_up


# ---------------------------------------------------------------- helpers

def _wr(ctx: Context, op_type: str, compartment: str, entity: str, ident: str, action: str, uri: str) -> str:
    return workrequests.start(ctx, "iaas", op_type, compartment, [
        {"entityType": entity, "actionType": action, "identifier": ident, "entityUri": uri}])["id"]


def _need(doc: dict, states: tuple[str, ...], what: str, doing: str) -> None:
    if doc.get("lifecycleState") not in states:
        raise incorrect_state(f"The {what} is {doc.get('lifecycleState')}; it can be {doing} when "
                              + " or ".join(states))


def _domain(ctx: Context, subnet: dict) -> str:
    vcn = ctx.store.get("vcn", subnet.get("vcnId") or "") or {}
    return f"{subnet.get('dnsLabel') or 'sub'}.{vcn.get('dnsLabel') or 'vcn'}.oraclevcn.com"


def _conn_strings(host: str, domain: str, unique: str, ip: str) -> dict:
    service = f"{unique}.{domain}"
    return {"cdbDefault": f"{host}.{domain}:1521/{service}", "cdbIpDefault": f"(DESCRIPTION=(CONNECT_TIMEOUT=5)"
            f"(TRANSPORT_CONNECT_TIMEOUT=3)(RETRY_COUNT=3)(ADDRESS_LIST=(LOAD_BALANCE=on)(ADDRESS=(PROTOCOL=TCP)"
            f"(HOST={ip})(PORT=1521)))(CONNECT_DATA=(SERVICE_NAME={service})))",
            "allConnectionStrings": {"cdbDefault": f"{host}.{domain}:1521/{service}",
                                     "cdbIpDefault": f"{ip}:1521/{service}"}}


def _ip(ctx: Context, subnet: dict, n: int) -> str:
    base = (subnet.get("cidrBlock") or "10.0.0.0/24").split("/")[0].split(".")
    return ".".join(base[:3] + [str(10 + (abs(hash(ctx.now)) + n) % 200)])


def check_backup_config(cfg: Any, field_name: str = "dbBackupConfig") -> dict:
    if cfg is None:
        return {"autoBackupEnabled": False}
    if not isinstance(cfg, dict):
        raise invalid(f"{field_name} must be an object")
    out = {"autoBackupEnabled": bool(cfg.get("autoBackupEnabled"))}
    rw = cfg.get("recoveryWindowInDays")
    if rw is not None:
        if rw not in RECOVERY_WINDOWS:
            raise invalid(f"{field_name}.recoveryWindowInDays must be one of "
                          f"{', '.join(map(str, RECOVERY_WINDOWS))} days, got {rw}")
        out["recoveryWindowInDays"] = rw
    elif out["autoBackupEnabled"]:
        out["recoveryWindowInDays"] = 30
    win = cfg.get("autoBackupWindow")
    if win is not None:
        if win not in SLOTS:
            raise invalid(f"{field_name}.autoBackupWindow must be SLOT_ONE to SLOT_TWELVE, got {win!r}")
        out["autoBackupWindow"] = win
    day = cfg.get("autoFullBackupDay")
    if day is not None:
        if day not in DAYS:
            raise invalid(f"{field_name}.autoFullBackupDay must be a day of the week, got {day!r}")
        out["autoFullBackupDay"] = day
    if cfg.get("autoFullBackupWindow") is not None:
        if cfg["autoFullBackupWindow"] not in SLOTS:
            raise invalid(f"{field_name}.autoFullBackupWindow must be SLOT_ONE to SLOT_TWELVE")
        out["autoFullBackupWindow"] = cfg["autoFullBackupWindow"]
    if out["autoBackupEnabled"]:
        out.setdefault("autoBackupWindow", "SLOT_ONE")
        out.setdefault("autoFullBackupDay", "SUNDAY")
        out["backupDestinationDetails"] = [{"type": "OBJECT_STORE"}]
        out["backupDeletionPolicy"] = cfg.get("backupDeletionPolicy") or "DELETE_IMMEDIATELY"
    return out


def check_database(db: Any, field_name: str = "dbHome.database") -> dict:
    """The checked CreateDatabaseDetails (the password hashed)."""
    if not isinstance(db, dict):
        raise ApiError(400, "MissingParameter", f"{field_name} is required")
    name = db.get("dbName")
    if not isinstance(name, str) or not DB_NAME_RE.match(name):
        raise invalid(f"{field_name}.dbName '{str(name)[:40]}' is not valid: it must begin with a letter and have "
                      "at most 8 letters or digits")
    pdb = db.get("pdbName")
    if pdb is not None:
        if not isinstance(pdb, str) or not PDB_NAME_RE.match(pdb):
            raise invalid(f"{field_name}.pdbName '{str(pdb)[:40]}' is not valid: it must begin with a letter and "
                          "have at most 30 letters, digits or underscores")
        if pdb.lower() == name.lower():
            raise invalid(f"{field_name}.pdbName must differ from the dbName")
    err = admin_password_error(db.get("adminPassword"), f"{field_name}.adminPassword")
    if err:
        raise invalid(err)
    if db.get("tdeWalletPassword") is not None:
        err = admin_password_error(db.get("tdeWalletPassword"), f"{field_name}.tdeWalletPassword")
        if err:
            raise invalid(err)
    cs = db.get("characterSet") or "AL32UTF8"
    if cs not in CHARACTER_SETS:
        raise invalid(f"{field_name}.characterSet '{cs}' is not a supported character set")
    ncs = db.get("ncharacterSet") or "AL16UTF16"
    if ncs not in NCHARACTER_SETS:
        raise invalid(f"{field_name}.ncharacterSet must be AL16UTF16 or UTF8, got {ncs!r}")
    wl = db.get("dbWorkload") or "OLTP"
    if wl not in WORKLOADS:
        raise invalid(f"{field_name}.dbWorkload must be OLTP or DSS, got {wl!r}")
    unique = db.get("dbUniqueName")
    if unique is not None and (not isinstance(unique, str) or not re.match(r"^[A-Za-z][A-Za-z0-9_]{0,29}$", unique)):
        raise invalid(f"{field_name}.dbUniqueName must begin with a letter and have at most 30 letters, digits "
                      "or underscores")
    return {"dbName": name, "pdbName": pdb, "characterSet": cs, "ncharacterSet": ncs, "dbWorkload": wl,
            "dbUniqueName": unique, "_adminHash": hash_secret(db["adminPassword"]),
            "dbBackupConfig": check_backup_config(db.get("dbBackupConfig"), f"{field_name}.dbBackupConfig"),
            "freeformTags": db.get("freeformTags") or {}, "definedTags": db.get("definedTags") or {}}


def check_version(v: Any, field_name: str = "dbHome.dbVersion") -> str:
    if v in MAJORS:
        return MAJORS[v]
    if v not in VERSIONS:
        raise invalid(f"{field_name} '{str(v)[:30]}' is not an available version (see ListDbVersions: "
                      f"{', '.join(list(MAJORS) + list(VERSIONS))})")
    return v


def _cores(body: dict, shape: str, nodes: int, edition: str) -> int:
    base, _mem, flex, most, _cpu = SHAPES[shape]
    cores = body.get("cpuCoreCount")
    if flex:
        if cores is None:
            raise ApiError(400, "MissingParameter", f"cpuCoreCount is required with the flexible shape {shape}")
        if not isinstance(cores, int) or isinstance(cores, bool) or not 1 <= cores <= most:
            raise invalid(f"cpuCoreCount must be a whole number from 1 to {most} for {shape}, got {cores}")
    else:
        if cores not in (None, 0, base):
            raise invalid(f"cpuCoreCount: the shape {shape} has {base} cores; choose a flexible shape for {cores}")
        cores = base
    if edition == "STANDARD_EDITION" and cores > 8:
        raise invalid(f"cpuCoreCount: Standard Edition runs on at most 8 cores per node, {shape} has {cores}")
    return cores


# ---------------------------------------------------------------- building a DB system

def _new_system(ctx: Context, body: dict, *, role_note: str = "") -> tuple[dict, dict, dict, list[dict]]:
    """Check a launch body and store the DB system, its DB home, database and nodes (PROVISIONING)."""
    comp = ctx.compartment(body.get("compartmentId"))
    ad = check_ad(ctx, body.get("availabilityDomain"))
    shape = ctx.require(body.get("shape"), "shape")
    if shape not in SHAPES:
        raise invalid(f"shape '{str(shape)[:40]}' is not a DB system shape here (see ListDbSystemShapes: "
                      f"{', '.join(SHAPES)})")
    edition = ctx.require(body.get("databaseEdition"), "databaseEdition")
    if edition not in EDITIONS:
        raise invalid(f"databaseEdition must be one of {', '.join(EDITIONS)}, got {edition!r}")
    hostname = ctx.require(body.get("hostname"), "hostname")
    if not HOSTNAME_RE.match(hostname):
        raise invalid(f"hostname '{hostname[:40]}' is not valid: it must begin with a letter and have at most 30 "
                      "letters, digits or hyphens")
    keys = body.get("sshPublicKeys")
    if not keys:
        raise ApiError(400, "MissingParameter", "sshPublicKeys is required")
    for i, k in enumerate(keys):
        if not isinstance(k, str) or not SSH_KEY_RE.match(k.strip()):
            raise invalid(f"sshPublicKeys[{i}] is not an OpenSSH public key (ssh-rsa, ssh-ed25519 or ecdsa)")
    subnet = DBSYSTEM.find_live(ctx, "subnet", ctx.require(body.get("subnetId"), "subnetId"), "subnetId")
    if subnet.get("availabilityDomain") not in (None, ad):
        raise invalid(f"subnetId: the subnet is in {subnet['availabilityDomain']}, not in {ad}")
    nodes = body.get("nodeCount") or 1
    if nodes not in (1, 2):
        raise invalid(f"nodeCount must be 1, or 2 for a RAC DB system, got {nodes}")
    storage = (body.get("dbSystemOptions") or {}).get("storageManagement") or "ASM"
    if storage not in ("ASM", "LVM"):
        raise invalid(f"dbSystemOptions.storageManagement must be ASM or LVM, got {storage!r}")
    if nodes == 2 and edition != "ENTERPRISE_EDITION_EXTREME_PERFORMANCE":
        raise invalid("nodeCount 2 (a RAC DB system) needs databaseEdition ENTERPRISE_EDITION_EXTREME_PERFORMANCE")
    if nodes == 2 and storage != "ASM":
        raise invalid("nodeCount 2 (a RAC DB system) needs storageManagement ASM")
    cores = _cores(body, shape, nodes, edition)
    size = body.get("initialDataStorageSizeInGB") or 256
    if size not in STORAGE_SIZES:
        raise invalid(f"initialDataStorageSizeInGB {size} is not offered: 256, 512, or 1,024 to 40,960 GB (1, 2, "
                      "then every 2 TB)")
    lic = body.get("licenseModel") or "LICENSE_INCLUDED"
    if lic not in ("LICENSE_INCLUDED", "BRING_YOUR_OWN_LICENSE"):
        raise invalid(f"licenseModel must be LICENSE_INCLUDED or BRING_YOUR_OWN_LICENSE, got {lic!r}")
    home_b = body.get("dbHome")
    if not isinstance(home_b, dict):
        raise ApiError(400, "MissingParameter", "dbHome is required")
    version = check_version(home_b.get("dbVersion"))
    if storage == "LVM" and version.startswith("21."):
        raise invalid("dbHome.dbVersion: LVM storage management takes Oracle Database 19c or 23ai")
    dbb = check_database(home_b.get("database"))
    name = engine.named(ctx, body, "dbsystem")
    tags = ctx.tags(body)
    domain = body.get("domain") or _domain(ctx, subnet)
    now = ctx.ts()
    sys_id = ctx.new_id("dbsystem")
    mem = SHAPES[shape][1] * cores
    fds = body.get("faultDomains") or [f"FAULT-DOMAIN-{i + 1}" for i in range(nodes)]
    system = ctx.put("dbsystem", {
        "id": sys_id, "_region": ctx.region, "compartmentId": comp["id"], "displayName": name,
        "availabilityDomain": ad, "faultDomains": fds, "subnetId": subnet["id"], "nsgIds": body.get("nsgIds") or [],
        "shape": shape, "dbSystemOptions": {"storageManagement": storage}, "sshPublicKeys": list(keys),
        "timeZone": body.get("timeZone") or "UTC", "hostname": hostname, "domain": domain, "version": version,
        "osVersion": "8.10", "cpuCoreCount": cores * nodes, "memorySizeInGBs": mem * nodes,
        "clusterName": body.get("clusterName") or (f"{hostname[:8]}-clu" if nodes == 2 else None),
        "dataStoragePercentage": 80, "databaseEdition": edition, "listenerPort": 1521,
        "lifecycleState": "PROVISIONING", "lifecycleDetails": role_note or None, "timeCreated": now,
        "diskRedundancy": "HIGH" if storage == "ASM" else None, "dataStorageSizeInGBs": size,
        "recoStorageSizeInGB": max(256, size // 4), "nodeCount": nodes, "licenseModel": lic,
        "storageVolumePerformanceMode": body.get("storageVolumePerformanceMode") or "BALANCED",
        "computeModel": body.get("computeModel") or "OCPU", "computeCount": cores * nodes,
        "scanIpIds": [], "vipIds": [], "systemTags": {}, "freeformTags": {}, "definedTags": {}, **tags})
    home_id = ctx.new_id("dbhome")
    major = version.split(".")[0] + ".0.0.0"
    home = ctx.put("dbhome", {
        "id": home_id, "_region": ctx.region, "compartmentId": comp["id"],
        "displayName": home_b.get("displayName") or engine.default_name(ctx, "dbhome"), "dbSystemId": sys_id,
        "dbVersion": version, "dbHomeLocation": f"/u01/app/oracle/product/{major}/dbhome_1",
        "lifecycleState": "PROVISIONING", "timeCreated": now, "oneOffPatches": [], "homeType": "ORACLE_MANAGED",
        "isUnifiedAuditingEnabled": bool(home_b.get("isUnifiedAuditingEnabled")),
        "freeformTags": home_b.get("freeformTags") or {}, "definedTags": {}, "systemTags": {}})
    db = _put_database(ctx, comp["id"], sys_id, home_id, dbb, hostname, domain, _ip(ctx, subnet, 0))
    node_docs = []
    for i in range(nodes):
        host = hostname if nodes == 1 else f"{hostname}{i + 1}"
        node_docs.append(ctx.put("dbnode", {
            "id": ctx.new_id("dbnode"), "_region": ctx.region, "compartmentId": comp["id"], "dbSystemId": sys_id,
            "vnicId": ctx.new_id("vnic"), "hostIpId": ctx.new_id("privateip"), "lifecycleState": "PROVISIONING",
            "hostname": host, "faultDomain": fds[i % len(fds)], "timeCreated": now, "softwareStorageSizeInGB": 200,
            "cpuCoreCount": cores, "memorySizeInGBs": mem, "dbNodeStorageSizeInGBs": 200,
            "maintenanceType": None, "availableActions": [], "_storageGb": size, "_databaseId": db["id"],
            "_dbName": db["dbName"], "_systemName": name,
            "_databaseEdition": edition, "_licenseModel": lic,  # what its OCPUs bill at (lang/prices.json)
            "freeformTags": {}, "definedTags": {}, "systemTags": {}}))
    return system, home, db, node_docs


def _put_database(ctx: Context, comp: str, sys_id: str, home_id: str, dbb: dict, host: str, domain: str,
                  ip: str, role: str | None = None) -> dict:
    unique = dbb.get("dbUniqueName") or f"{dbb['dbName'].lower()}_{ctx.new_id('x')[-6:].lower()}"
    doc = dict(dbb)
    doc.update({
        "id": ctx.new_id("database"), "_region": ctx.region, "compartmentId": comp, "dbHomeId": home_id,
        "dbSystemId": sys_id, "dbUniqueName": unique, "lifecycleState": "PROVISIONING", "timeCreated": ctx.ts(),
        "connectionStrings": _conn_strings(host, domain, unique, ip), "isCdb": True,
        "sidPrefix": dbb["dbName"][:8], "systemTags": {}, "_autoFrom": ctx.now, "_role": role})
    doc["freeformTags"] = doc.get("freeformTags") or {}
    doc["definedTags"] = doc.get("definedTags") or {}
    return ctx.put("database", doc)


def _schedule_ready(ctx: Context, system: dict, wr: str | None, steps: float = PROVISION_STEPS,
                    dga: list[str] | None = None) -> None:
    ctx.schedule(None, None, {}, steps=steps, hook="database_systems.provisioned",
                 args={"dbSystemId": system["id"], "wr": wr, "dga": dga or []})


@svc.hook("database_systems.provisioned")
def _provisioned(core, _doc: dict, args: dict) -> None:
    st = core.store
    system = st.get("dbsystem", args["dbSystemId"])
    if system is None or system.get("lifecycleState") != "PROVISIONING":
        return
    st.update("dbsystem", system["id"], {"lifecycleState": "AVAILABLE", "lifecycleDetails": None})
    for kind in ("dbnode", "dbhome", "database"):
        for d in st.by_field(kind, "dbSystemId", system["id"]):
            if d.get("lifecycleState") == "PROVISIONING":
                st.update(kind, d["id"], {"lifecycleState": "AVAILABLE", "_autoFrom": core.clock.now()}
                          if kind == "database" else {"lifecycleState": "AVAILABLE"})
    for a in args.get("dga") or []:
        if st.get("dataguardassociation", a) is not None:
            st.update("dataguardassociation", a, {"lifecycleState": "AVAILABLE", "applyLag": "0 seconds",
                                                  "applyRate": "1.25 MByte/s"})
    if args.get("wr"):
        workrequests.finish(core, args["wr"])


# ---------------------------------------------------------------- DB systems

@svc.op("launch_db_system")
def launch_db_system(ctx: Context):
    body = ctx.body or {}
    if (body.get("source") or "NONE") != "NONE":
        raise invalid(f"source {body.get('source')!r}: this emulator launches new DB systems (source NONE)")
    system, _home, _db, _nodes = _new_system(ctx, body)
    if ctx.headers.get("opc-dry-run") == "true":
        raise ApiError(400, "InvalidParameter", "opc-dry-run is not supported here")
    wr = _wr(ctx, "CREATE_DB_SYSTEM", system["compartmentId"], "dbSystem", system["id"], "CREATED",
             f"/20160918/dbSystems/{system['id']}")
    _schedule_ready(ctx, system, wr)
    return DBSYSTEM.public(ctx.store.get("dbsystem", system["id"]) or system)


@svc.op("terminate_db_system")
def terminate_db_system(ctx: Context):
    system = ctx.get_for_write("dbsystem", ctx.path["dbSystemId"], "DB system")
    _need(system, ("AVAILABLE", "FAILED", "NEEDS_ATTENTION"), f"DB system {system['displayName']}", "terminated")
    for db in ctx.store.by_field("database", "dbSystemId", system["id"]):
        for a in ctx.store.by_field("dataguardassociation", "databaseId", db["id"]):
            if a.get("lifecycleState") not in GONE and a.get("role") == "PRIMARY":
                raise incorrect_state(f"The database {db['dbName']} is the primary of a Data Guard association; "
                                      "terminate its standby's DB system first")
    wr = _wr(ctx, "TERMINATE_DB_SYSTEM", system["compartmentId"], "dbSystem", system["id"], "DELETED",
             f"/20160918/dbSystems/{system['id']}")
    ctx.update("dbsystem", system["id"], {"lifecycleState": "TERMINATING"})
    for kind in ("dbnode", "dbhome", "database"):
        for d in ctx.store.by_field(kind, "dbSystemId", system["id"]):
            if d.get("lifecycleState") not in GONE:
                ctx.update(kind, d["id"], {"lifecycleState": "TERMINATING"})
    ctx.schedule(None, None, {}, steps=1, hook="database_systems.terminated",
                 args={"dbSystemId": system["id"], "wr": wr})
    return Result(status=204)


@svc.hook("database_systems.terminated")
def _terminated(core, _doc: dict, args: dict) -> None:
    st = core.store
    sid = args["dbSystemId"]
    for kind in ("dbnode", "dbhome", "database", "dbsystem"):
        docs = [st.get("dbsystem", sid)] if kind == "dbsystem" else st.by_field(kind, "dbSystemId", sid)
        for d in docs:
            if d is not None and d.get("lifecycleState") == "TERMINATING":
                st.update(kind, d["id"], {"lifecycleState": "TERMINATED"})
                if kind == "database":  # its standby's association ends with it
                    for a in st.by_field("dataguardassociation", "databaseId", d["id"]):
                        st.update("dataguardassociation", a["id"], {"lifecycleState": "TERMINATED"})
                        peer = st.get("dataguardassociation", a.get("peerDataGuardAssociationId") or "")
                        if peer is not None:
                            st.update("dataguardassociation", peer["id"], {"lifecycleState": "TERMINATED"})
    if args.get("wr"):
        workrequests.finish(core, args["wr"])


@svc.op("list_db_system_shapes")
def list_db_system_shapes(ctx: Context):
    ctx.compartment(ctx.query.get("compartmentId"))
    if ctx.query.get("availabilityDomain"):
        check_ad(ctx, ctx.query["availabilityDomain"])
    out = []
    for name, (cores, mem, flex, most, cpu) in SHAPES.items():
        out.append({
            "name": name, "shape": name, "shapeFamily": "VIRTUALMACHINE", "shapeType": cpu,
            "availableCoreCount": most, "minimumCoreCount": cores if not flex else 1,
            "coreCountIncrement": 1 if flex else cores, "availableMemoryInGBs": most * mem,
            "availableMemoryPerNodeInGBs": most * mem, "minMemoryPerNodeInGBs": mem,
            "availableDataStorageInTBs": 40, "minDataStorageInTBs": 0, "minimumNodeCount": 1,
            "maximumNodeCount": 2, "availableCoreCountPerNode": most, "minCoreCountPerNode": 1 if flex else cores,
            "availableDbNodeStorageInGBs": 200, "minDbNodeStoragePerNodeInGBs": 200, "computeModel": "OCPU"})
    return out


@svc.op("list_db_versions")
def list_db_versions(ctx: Context):
    ctx.compartment(ctx.query.get("compartmentId"))
    shape = ctx.query.get("dbSystemShape")
    if shape is not None and shape not in SHAPES:
        raise invalid(f"dbSystemShape '{shape}' is not a DB system shape")
    lvm = ctx.query.get("storageManagement") == "LVM"
    return [{"version": v, "isLatestForMajorVersion": latest, "supportsPdb": True, "isPreviewDbVersion": False,
             "isUpgradeSupported": not v.startswith("23."), "isOlderVersionAcknowledgmentRequired": False}
            for v, latest in VERSIONS.items() if not (lvm and v.startswith("21."))]


# ---------------------------------------------------------------- DB nodes

# action -> (allowed states, via states in order, end state, work request operation)
NODE_ACTIONS = {
    "STOP": (("AVAILABLE",), ("STOPPING",), "STOPPED", "DB_NODE_STOP"),
    "START": (("STOPPED",), ("STARTING",), "AVAILABLE", "DB_NODE_START"),
    "SOFTRESET": (("AVAILABLE",), ("STOPPING", "STARTING"), "AVAILABLE", "DB_NODE_SOFTRESET"),
    "RESET": (("AVAILABLE",), ("STOPPING", "STARTING"), "AVAILABLE", "DB_NODE_RESET"),
    "SOFTSTOP": (("AVAILABLE",), ("STOPPING",), "STOPPED", "DB_NODE_SOFTSTOP"),
}


@svc.op("db_node_action")
def db_node_action(ctx: Context):
    node = ctx.get_for_write("dbnode", ctx.path["dbNodeId"], "DB node")
    action = ctx.query.get("action")
    if action not in NODE_ACTIONS:
        raise invalid(f"action must be one of {', '.join(NODE_ACTIONS)}, got {action!r}")
    allowed, via, end, op_type = NODE_ACTIONS[action]
    if node.get("lifecycleState") not in allowed:
        raise incorrect_state(f"The DB node {node['hostname']} is {node.get('lifecycleState')}; {action} needs it "
                              + " or ".join(allowed))
    system = ctx.get("dbsystem", node["dbSystemId"], "DB system")
    if system.get("lifecycleState") != "AVAILABLE":
        raise incorrect_state(f"The DB system {system['displayName']} is {system['lifecycleState']}")
    wr = _wr(ctx, op_type, system["compartmentId"], "dbNode", node["id"], "UPDATED",
             f"/20160918/dbNodes/{node['id']}")
    node = ctx.update("dbnode", node["id"], {"lifecycleState": via[0]})
    chain = list(via[1:]) + [end]
    prev = via[0]
    for i, state in enumerate(chain):
        last = i == len(chain) - 1
        ctx.schedule("dbnode", node["id"], {"lifecycleState": state}, steps=i + 1, when_state=prev,
                     hook="engine.settled" if last else None,
                     args={"kind": "dbnode", "wr": wr, "event": "updated"} if last else None)
        prev = state
    return DBNODE.public(node)


@svc.op("list_databases")
def list_databases(ctx: Context):
    if not ctx.query.get("dbHomeId") and not ctx.query.get("systemId"):
        raise ApiError(400, "MissingParameter", "Either dbHomeId or systemId is required")
    return DATABASE.list(ctx)


@svc.op("list_db_nodes")
def list_db_nodes(ctx: Context):
    comp = ctx.compartment(ctx.query.get("compartmentId"))
    docs = [d for d in ctx.list("dbnode", comp["id"])]
    if ctx.query.get("dbSystemId"):
        docs = [d for d in docs if d.get("dbSystemId") == ctx.query["dbSystemId"]]
    return docs


# ---------------------------------------------------------------- databases

@svc.op("update_database")
def update_database(ctx: Context):
    db = ctx.get_for_write("database", ctx.path["databaseId"], "database")
    _need(db, ("AVAILABLE",), f"database {db['dbName']}", "updated")
    body = ctx.body or {}
    changes: dict[str, Any] = {}
    if body.get("dbBackupConfig") is not None:
        merged = dict(db.get("dbBackupConfig") or {})
        merged.update({k: v for k, v in body["dbBackupConfig"].items() if v is not None})
        cfg = check_backup_config(merged)
        if cfg["autoBackupEnabled"] and not (db.get("dbBackupConfig") or {}).get("autoBackupEnabled"):
            changes["_autoFrom"] = ctx.now
        changes["dbBackupConfig"] = cfg
    if body.get("newAdminPassword") is not None:
        err = admin_password_error(body["newAdminPassword"], "newAdminPassword")
        if err:
            raise invalid(err)
        changes["_adminHash"] = hash_secret(body["newAdminPassword"])
    if body.get("dbHomeId") is not None and body["dbHomeId"] != db["dbHomeId"]:
        raise invalid("dbHomeId: moving a database to another DB home is not supported on VM DB systems here")
    changes.update(ctx.tags(body))
    if not changes:
        raise invalid("Nothing to update: give dbBackupConfig, newAdminPassword or tags")
    changes["lifecycleState"] = "UPDATING"
    new = ctx.update("database", db["id"], changes)
    wr = _wr(ctx, "UPDATE_DATABASE", db["compartmentId"], "database", db["id"], "UPDATED",
             f"/20160918/databases/{db['id']}")
    ctx.schedule("database", db["id"], {"lifecycleState": "AVAILABLE"}, steps=1, when_state="UPDATING",
                 hook="engine.settled", args={"kind": "database", "wr": wr, "event": "updated"})
    return DATABASE.public(new)


def _backups_of(ctx: Context, db_id: str) -> list[dict]:
    return [b for b in ctx.store.by_field("dbbackup", "databaseId", db_id)
            if b.get("lifecycleState") in ("ACTIVE", "CREATING")]


@svc.op("restore_database")
def restore_database(ctx: Context):
    db = ctx.get_for_write("database", ctx.path["databaseId"], "database")
    automatic_backups(ctx)
    _need(db, ("AVAILABLE",), f"database {db['dbName']}", "restored")
    body = ctx.body or {}
    given = [k for k in ("latest", "timestamp", "databaseSCN") if body.get(k) not in (None, False)]
    if len(given) != 1:
        raise invalid("Give exactly one of latest, timestamp or databaseSCN")
    backups = [b for b in _backups_of(ctx, db["id"]) if b["lifecycleState"] == "ACTIVE"]
    if not backups:
        raise incorrect_state(f"The database {db['dbName']} has no backup to restore from")
    earliest = min(parse_ts(b["timeStarted"]) for b in backups)
    point = "the latest backup"
    if given[0] == "timestamp":
        try:
            t = parse_ts(str(body["timestamp"]))
        except ValueError:
            raise invalid("timestamp must be an RFC 3339 date-time") from None
        if not earliest <= t <= ctx.now:
            raise invalid(f"timestamp must be between the earliest backup ({ts(earliest)}) and now")
        point = body["timestamp"]
    elif given[0] == "databaseSCN":
        if not str(body["databaseSCN"]).isdigit():
            raise invalid("databaseSCN must be a system change number (digits)")
        point = f"SCN {body['databaseSCN']}"
    new = ctx.update("database", db["id"], {"lifecycleState": "UPDATING",
                                            "lifecycleDetails": f"Restoring to {point}"})
    wr = _wr(ctx, "RESTORE_DATABASE", db["compartmentId"], "database", db["id"], "UPDATED",
             f"/20160918/databases/{db['id']}")
    ctx.schedule("database", db["id"], {"lifecycleState": "AVAILABLE", "lifecycleDetails": None}, steps=2,
                 when_state="UPDATING", hook="engine.settled", args={"kind": "database", "wr": wr, "event": "updated"})
    return DATABASE.public(new)


# ---------------------------------------------------------------- backups

def _backup_doc(ctx: Context, db: dict, name: str, btype: str, start: float, end: float | None, state: str,
                automatic: bool) -> dict:
    system = ctx.store.get("dbsystem", db["dbSystemId"]) or {}
    return ctx.put("dbbackup", {
        "id": ctx.new_id("dbbackup"), "_region": ctx.region, "compartmentId": db["compartmentId"],
        "databaseId": db["id"], "displayName": name, "type": btype, "timeStarted": ts(start),
        "timeEnded": ts(end) if end else None, "availabilityDomain": system.get("availabilityDomain"),
        "lifecycleState": state, "databaseEdition": system.get("databaseEdition"),
        "databaseSizeInGBs": round(min(system.get("dataStorageSizeInGBs", 256) * 0.35, 2000.0), 1),
        "shape": system.get("shape"), "version": system.get("version"), "isUsingOracleManagedKeys": True,
        "backupDestinationType": "OBJECT_STORE", "timeCreated": ts(start), "_automatic": automatic})


def automatic_backups(ctx: Context) -> None:
    """Make the automatic backups that fell due since the last look, and drop those past the recovery window."""
    now = ctx.now
    for db in ctx.list("database"):
        cfg = db.get("dbBackupConfig") or {}
        if not cfg.get("autoBackupEnabled") or db.get("lifecycleState") not in ("AVAILABLE", "BACKUP_IN_PROGRESS"):
            continue
        window = cfg.get("recoveryWindowInDays") or 30
        slot = SLOTS.index(cfg.get("autoBackupWindow") or "SLOT_ONE")
        full_day = DAYS.index(cfg.get("autoFullBackupDay") or "SUNDAY")
        since = max(db.get("_autoThrough") or db.get("_autoFrom") or now, now - window * 86400)
        day = datetime.fromtimestamp(since, tz=UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        last = None
        while day.timestamp() <= now:
            start = day.timestamp() + slot * 7200 + 1800
            end = start + 1500
            if since < start and end <= now:
                btype = "FULL" if day.weekday() == full_day or last is None and not _backups_of(ctx, db["id"]) \
                    else "INCREMENTAL"
                _backup_doc(ctx, db, f"Automatic Backup {day:%Y-%m-%d}", btype, start, end, "ACTIVE", True)
                last = end
            day += timedelta(days=1)
        if last is not None:
            ctx.update("database", db["id"], {"_autoThrough": last, "lastBackupTimestamp": ts(last),
                                              "lastBackupDurationInSeconds": 1500})
        for b in _backups_of(ctx, db["id"]):
            if b.get("_automatic") and (parse_ts(b["timeStarted"]) or now) < now - window * 86400:
                ctx.delete("dbbackup", b["id"])


@svc.op("create_backup")
def create_backup(ctx: Context):
    body = ctx.body or {}
    db = DATABASE.find_live(ctx, "database", ctx.require(body.get("databaseId"), "databaseId"), "databaseId")
    name = engine.check_name(ctx.require(body.get("displayName"), "displayName"), "displayName")
    _need(db, ("AVAILABLE",), f"database {db['dbName']}", "backed up")
    if (db.get("_role") or "PRIMARY") == "STANDBY":
        raise incorrect_state(f"The database {db['dbName']} is a standby; back up its primary")
    rp = body.get("retentionPeriodInDays")
    if rp is not None and not (isinstance(rp, int) and 90 <= rp <= 3650):
        raise invalid("retentionPeriodInDays of a long-term backup must be 90 to 3,650 days")
    doc = _backup_doc(ctx, db, name, "FULL", ctx.now, None, "CREATING", False)
    if rp is not None:
        doc = ctx.update("dbbackup", doc["id"], {"retentionPeriodInDays": rp,
                                                  "timeExpiryScheduled": ctx.ts(ctx.now + rp * 86400)})
    ctx.update("database", db["id"], {"lifecycleState": "BACKUP_IN_PROGRESS"})
    wr = _wr(ctx, "CREATE_BACKUP", db["compartmentId"], "backup", doc["id"], "CREATED",
             f"/20160918/backups/{doc['id']}")
    ctx.schedule(None, None, {}, steps=2, hook="database_systems.backed_up",
                 args={"backupId": doc["id"], "wr": wr})
    return BACKUP.public(doc)


@svc.hook("database_systems.backed_up")
def _backed_up(core, _doc: dict, args: dict) -> None:
    st = core.store
    b = st.get("dbbackup", args["backupId"])
    now = core.clock.now()
    if b is not None and b.get("lifecycleState") == "CREATING":
        st.update("dbbackup", b["id"], {"lifecycleState": "ACTIVE", "timeEnded": ts(now)})
        db = st.get("database", b["databaseId"])
        if db is not None:
            changes: dict[str, Any] = {"lastBackupTimestamp": ts(now), "lastBackupDurationInSeconds":
                                       int(now - (parse_ts(b["timeStarted"]) or now))}
            if db.get("lifecycleState") == "BACKUP_IN_PROGRESS":
                changes["lifecycleState"] = "AVAILABLE"
            st.update("database", db["id"], changes)
    workrequests.finish(core, args.get("wr"))


@svc.op("delete_backup")
def delete_backup(ctx: Context):
    b = ctx.get_for_write("dbbackup", ctx.path["backupId"], "backup")
    if b.get("_automatic"):
        raise ApiError(409, "Conflict", "Automatic backups cannot be deleted; they expire with the database's "
                                        "recovery window")
    _need(b, ("ACTIVE", "FAILED"), f"backup {b['displayName']}", "deleted")
    wr = _wr(ctx, "DELETE_BACKUP", b["compartmentId"], "backup", b["id"], "DELETED", f"/20160918/backups/{b['id']}")
    ctx.update("dbbackup", b["id"], {"lifecycleState": "DELETING"})
    ctx.schedule("dbbackup", b["id"], {"lifecycleState": "DELETED"}, steps=1, when_state="DELETING",
                 hook="engine.settled", args={"kind": "dbbackup", "wr": wr, "event": "deleted"})
    return Result(status=204)


# ---------------------------------------------------------------- Data Guard

def _assoc_for(ctx: Context) -> tuple[dict, dict]:
    db = ctx.get("database", ctx.path["databaseId"], "database")
    a = ctx.get("dataguardassociation", ctx.path["dataGuardAssociationId"], "Data Guard association")
    if a.get("databaseId") != db["id"]:
        raise not_found("Data Guard association", a["id"])
    ctx.check_if_match(a)
    return db, a


@svc.op("list_data_guard_associations")
def list_data_guard_associations(ctx: Context):
    db = ctx.get("database", ctx.path["databaseId"], "database")
    return [a for a in ctx.store.by_field("dataguardassociation", "databaseId", db["id"])]


@svc.op("get_data_guard_association")
def get_data_guard_association(ctx: Context):
    return _assoc_for(ctx)[1]


@svc.op("create_data_guard_association")
def create_data_guard_association(ctx: Context):
    db = ctx.get("database", ctx.path["databaseId"], "database")
    body = ctx.body or {}
    _need(db, ("AVAILABLE",), f"database {db['dbName']}", "protected by Data Guard")
    system = ctx.get("dbsystem", db["dbSystemId"], "DB system")
    _need(system, ("AVAILABLE",), f"DB system {system['displayName']}", "given a standby")
    if system["databaseEdition"] == "STANDARD_EDITION":
        raise invalid("Data Guard needs Enterprise Edition; the DB system runs Standard Edition")
    if any(a.get("lifecycleState") not in GONE for a in ctx.store.by_field("dataguardassociation", "databaseId",
                                                                           db["id"])):
        raise conflict(f"The database {db['dbName']} already has a Data Guard association")
    mode = ctx.require(body.get("protectionMode"), "protectionMode")
    transport = ctx.require(body.get("transportType"), "transportType")
    if mode not in PROTECTION:
        raise invalid(f"protectionMode must be one of {', '.join(PROTECTION)}, got {mode!r}")
    if transport not in PROTECTION[mode]:
        raise invalid(f"transportType {transport} cannot be used with {mode}: use "
                      + " or ".join(PROTECTION[mode]))
    if not secret_matches(body.get("databaseAdminPassword"), db.get("_adminHash")):
        raise invalid("databaseAdminPassword does not match the primary database's admin password")
    ctype = body.get("creationType")
    home_b = {"dbVersion": system["version"], "database": None}
    standby_b = {"dbName": db["dbName"], "pdbName": db.get("pdbName"), "characterSet": db["characterSet"],
                 "ncharacterSet": db["ncharacterSet"], "dbWorkload": db.get("dbWorkload"),
                 "dbUniqueName": body.get("peerDbUniqueName"), "_adminHash": db["_adminHash"],
                 "dbBackupConfig": {"autoBackupEnabled": False}, "freeformTags": {}, "definedTags": {}}
    if standby_b["dbUniqueName"] is not None and standby_b["dbUniqueName"] == db["dbUniqueName"]:
        raise invalid("peerDbUniqueName must differ from the primary's dbUniqueName")
    if ctype == "NewDbSystem":
        launch = {"compartmentId": system["compartmentId"], "availabilityDomain": body.get("availabilityDomain"),
                  "subnetId": body.get("subnetId"), "shape": body.get("shape") or system["shape"],
                  "hostname": body.get("hostname"), "displayName": body.get("displayName"),
                  "databaseEdition": system["databaseEdition"], "sshPublicKeys": system["sshPublicKeys"],
                  "cpuCoreCount": body.get("cpuCoreCount") or system["cpuCoreCount"] // system["nodeCount"],
                  "nodeCount": body.get("nodeCount") or system["nodeCount"],
                  "initialDataStorageSizeInGB": system["dataStorageSizeInGBs"],
                  "dbSystemOptions": system["dbSystemOptions"], "licenseModel": body.get("licenseModel")
                  or system["licenseModel"], "faultDomains": body.get("faultDomains"),
                  "freeformTags": body.get("dbSystemFreeformTags")}
        if SHAPES.get(launch["shape"], (0, 0, True))[2] is False:
            launch.pop("cpuCoreCount")
        # the peer's database: checked with a stand-in password (the real one is the primary's, kept hashed)
        home_b["database"] = {"dbName": db["dbName"], "adminPassword": "Aa1_Bb2_Cc3", "pdbName": db.get("pdbName"),
                              "characterSet": db["characterSet"], "ncharacterSet": db["ncharacterSet"],
                              "dbUniqueName": body.get("peerDbUniqueName")}
        launch["dbHome"] = home_b
        peer_sys, peer_home, peer_db, _ = _new_system(ctx, launch, role_note="Data Guard standby")
        ctx.update("database", peer_db["id"], {"_adminHash": db["_adminHash"], "_role": "STANDBY",
                                               "dbBackupConfig": {"autoBackupEnabled": False}})
    elif ctype == "ExistingDbSystem":
        peer_sys = DBSYSTEM.find_live(ctx, "dbsystem", ctx.require(body.get("peerDbSystemId"), "peerDbSystemId"),
                                      "peerDbSystemId")
        if peer_sys["id"] == system["id"]:
            raise invalid("peerDbSystemId must be another DB system than the primary's")
        _need(peer_sys, ("AVAILABLE",), f"DB system {peer_sys['displayName']}", "a standby's host")
        if peer_sys["databaseEdition"] != system["databaseEdition"]:
            raise invalid(f"peerDbSystemId: the peer runs {peer_sys['databaseEdition']}, the primary "
                          f"{system['databaseEdition']}; Data Guard needs the same edition")
        if body.get("peerDbHomeId"):
            peer_home = ctx.get("dbhome", body["peerDbHomeId"], "DB home")
            if peer_home.get("dbSystemId") != peer_sys["id"]:
                raise invalid("peerDbHomeId: the DB home is not on the peer DB system")
        else:
            peer_home = ctx.put("dbhome", {
                "id": ctx.new_id("dbhome"), "_region": ctx.region, "compartmentId": peer_sys["compartmentId"],
                "displayName": engine.default_name(ctx, "dbhome"), "dbSystemId": peer_sys["id"],
                "dbVersion": system["version"], "lifecycleState": "PROVISIONING", "timeCreated": ctx.ts(),
                "dbHomeLocation": f"/u01/app/oracle/product/{system['version'].split('.')[0]}.0.0.0/dbhome_2",
                "oneOffPatches": [], "homeType": "ORACLE_MANAGED", "freeformTags": {}, "definedTags": {},
                "systemTags": {}})
        peer_db = _put_database(ctx, peer_sys["compartmentId"], peer_sys["id"], peer_home["id"], standby_b,
                                peer_sys["hostname"], peer_sys["domain"], "10.0.0.20", role="STANDBY")
        ctx.update("dbsystem", peer_sys["id"], {"lifecycleState": "UPDATING"})
    else:
        raise invalid(f"creationType must be NewDbSystem or ExistingDbSystem, got {ctype!r}")
    now = ctx.ts()
    pid, sid = ctx.new_id("dgassociation"), ctx.new_id("dgassociation")
    common = {"_region": ctx.region, "protectionMode": mode, "transportType": transport, "timeCreated": now,
              "lifecycleState": "PROVISIONING", "isActiveDataGuardEnabled": bool(body.get("isActiveDataGuardEnabled")),
              "compartmentId": system["compartmentId"]}
    primary = ctx.put("dataguardassociation", dict(
        common, id=pid, databaseId=db["id"], role="PRIMARY", peerRole="STANDBY", peerDbSystemId=peer_sys["id"],
        peerDbHomeId=peer_home["id"], peerDatabaseId=peer_db["id"], peerDataGuardAssociationId=sid))
    ctx.put("dataguardassociation", dict(
        common, id=sid, databaseId=peer_db["id"], role="STANDBY", peerRole="PRIMARY", peerDbSystemId=system["id"],
        peerDbHomeId=db["dbHomeId"], peerDatabaseId=db["id"], peerDataGuardAssociationId=pid))
    ctx.update("database", db["id"], {"_role": "PRIMARY"})
    wr = _wr(ctx, "CREATE_DATA_GUARD_ASSOCIATION", system["compartmentId"], "dataGuardAssociation", pid, "CREATED",
             f"/20160918/databases/{db['id']}/dataGuardAssociations/{pid}")
    if ctype == "NewDbSystem":
        _schedule_ready(ctx, peer_sys, wr, dga=[pid, sid])
    else:
        ctx.schedule(None, None, {}, steps=PROVISION_STEPS, hook="database_systems.standby_ready",
                     args={"dbSystemId": peer_sys["id"], "homeId": peer_home["id"], "databaseId": peer_db["id"],
                           "wr": wr, "dga": [pid, sid]})
    return primary


@svc.hook("database_systems.standby_ready")
def _standby_ready(core, _doc: dict, args: dict) -> None:
    st = core.store
    for kind, key in (("dbhome", "homeId"), ("database", "databaseId")):
        d = st.get(kind, args[key])
        if d is not None and d.get("lifecycleState") == "PROVISIONING":
            st.update(kind, d["id"], {"lifecycleState": "AVAILABLE"})
    system = st.get("dbsystem", args["dbSystemId"])
    if system is not None and system.get("lifecycleState") == "UPDATING":
        st.update("dbsystem", system["id"], {"lifecycleState": "AVAILABLE"})
    for a in args.get("dga") or []:
        if st.get("dataguardassociation", a) is not None:
            st.update("dataguardassociation", a, {"lifecycleState": "AVAILABLE", "applyLag": "0 seconds",
                                                  "applyRate": "1.25 MByte/s"})
    workrequests.finish(core, args.get("wr"))


def _pair(ctx: Context, a: dict) -> tuple[dict, dict, dict, dict]:
    """(this association, its peer, this database, the peer database)."""
    peer = ctx.get("dataguardassociation", a["peerDataGuardAssociationId"], "Data Guard association")
    return a, peer, ctx.get("database", a["databaseId"]), ctx.get("database", peer["databaseId"])


def _role_change(ctx: Context, action: str, roles: dict[str, tuple[str, str]], op_type: str) -> dict:
    """Check and start a role change: `roles` maps association id -> (role, peerRole) once done."""
    db, a = _assoc_for(ctx)
    this, peer, this_db, peer_db = _pair(ctx, a)
    body = ctx.body or {}
    if not secret_matches(body.get("databaseAdminPassword"), this_db.get("_adminHash")):
        raise invalid("databaseAdminPassword does not match the database's admin password")
    for assoc in (this, peer):
        ctx.update("dataguardassociation", assoc["id"], {"lifecycleState": "UPDATING"})
    new_roles = {"this": roles["this"], "peer": roles["peer"]}
    for key, d in (("this", this_db), ("peer", peer_db)):
        ctx.update("database", d["id"], {"lifecycleState": "UPDATING", "_role": new_roles[key][0]})
    system = ctx.get("dbsystem", this_db["dbSystemId"])
    wr = _wr(ctx, op_type, system["compartmentId"], "dataGuardAssociation", this["id"], "UPDATED",
             f"/20160918/databases/{db['id']}/dataGuardAssociations/{this['id']}")
    ctx.schedule(None, None, {}, steps=2, hook="database_systems.roles_changed",
                 args={"wr": wr, "changes": {this["id"]: new_roles["this"], peer["id"]: new_roles["peer"]},
                       "databases": [this_db["id"], peer_db["id"]], "action": action})
    return ctx.store.get("dataguardassociation", this["id"]) or this


@svc.hook("database_systems.roles_changed")
def _roles_changed(core, _doc: dict, args: dict) -> None:
    st = core.store
    for aid, (role, peer_role) in args["changes"].items():
        if st.get("dataguardassociation", aid) is not None:
            lag = "0 seconds" if role != "DISABLED_STANDBY" and peer_role != "DISABLED_STANDBY" else None
            st.update("dataguardassociation", aid, {"lifecycleState": "AVAILABLE", "role": role, "peerRole": peer_role,
                                                    "applyLag": lag})
    for dbid in args["databases"]:
        d = st.get("database", dbid)
        if d is not None and d.get("lifecycleState") == "UPDATING":
            st.update("database", dbid, {"lifecycleState": "AVAILABLE"})
    workrequests.finish(core, args.get("wr"))


def _peer_ok(ctx: Context, a: dict, verb: str) -> tuple[dict, dict, dict, dict]:
    this, peer, this_db, peer_db = _pair(ctx, a)
    for assoc in (this, peer):
        if assoc.get("lifecycleState") != "AVAILABLE":
            raise incorrect_state(f"Cannot {verb}: the Data Guard association {assoc['id']} is "
                                  f"{assoc.get('lifecycleState')}; both sides must be AVAILABLE")
    return this, peer, this_db, peer_db


@svc.op("switchover_data_guard_association")
def switchover_data_guard_association(ctx: Context):
    _db, a = _assoc_for(ctx)
    this, peer, this_db, peer_db = _peer_ok(ctx, a, "switch over")
    if this["role"] != "PRIMARY":
        raise incorrect_state(f"Switchover is made from the primary database's association; {this_db['dbName']} "
                              f"({this_db['dbUniqueName']}) is {this['role']}")
    if peer["role"] != "STANDBY":
        raise incorrect_state(f"The peer database is {peer['role']}; reinstate it before a switchover")
    for d in (this_db, peer_db):
        if d.get("lifecycleState") != "AVAILABLE":
            raise incorrect_state(f"Cannot switch over: the database {d['dbUniqueName']} is {d['lifecycleState']}")
        system = ctx.get("dbsystem", d["dbSystemId"])
        if system.get("lifecycleState") != "AVAILABLE":
            raise incorrect_state(f"Cannot switch over: the DB system {system['displayName']} is "
                                  f"{system['lifecycleState']}")
    return _role_change(ctx, "switchover", {"this": ("STANDBY", "PRIMARY"), "peer": ("PRIMARY", "STANDBY")},
                        "SWITCHOVER_DATA_GUARD_ASSOCIATION")


@svc.op("failover_data_guard_association")
def failover_data_guard_association(ctx: Context):
    _db, a = _assoc_for(ctx)
    this, peer, this_db, _peer_db = _peer_ok(ctx, a, "fail over")
    if this["role"] != "STANDBY":
        raise incorrect_state(f"Failover is made from the standby database's association; {this_db['dbUniqueName']} "
                              f"is {this['role']}")
    return _role_change(ctx, "failover", {"this": ("PRIMARY", "DISABLED_STANDBY"),
                                          "peer": ("DISABLED_STANDBY", "PRIMARY")},
                        "FAILOVER_DATA_GUARD_ASSOCIATION")


@svc.op("reinstate_data_guard_association")
def reinstate_data_guard_association(ctx: Context):
    _db, a = _assoc_for(ctx)
    this, peer, this_db, _peer_db = _peer_ok(ctx, a, "reinstate")
    if this["role"] != "DISABLED_STANDBY":
        raise incorrect_state(f"Only a DISABLED_STANDBY database can be reinstated; {this_db['dbUniqueName']} is "
                              f"{this['role']}")
    return _role_change(ctx, "reinstate", {"this": ("STANDBY", "PRIMARY"), "peer": ("PRIMARY", "STANDBY")},
                        "REINSTATE_DATA_GUARD_ASSOCIATION")


# ---------------------------------------------------------------- metrics (oci_database)

def _cpu(g):
    base = g.p("cpu")
    v = base * (1 + 0.45 * g.daily(peak_hour=15)) * (1 + 0.25 * g.wander("cpu", 40)) \
        + g.spikes("cpu", per_day=3, minutes=12) * 45 + 2 * g.jitter("cpu")
    return np.clip(v, 0.5, 100.0)


def _used_gb(g):
    return g.p("alloc") * g.p("fill") * (1 + 0.02 * g.wander("sto", 600))


def _storage_util(g):
    return np.clip(_used_gb(g) / g.p("alloc") * 100.0, 0, 100)


def _logons(g):
    return np.maximum(1, np.round(g.p("sessions") * (1 + 0.6 * g.daily(peak_hour=14)) * (1 + 0.2 * g.wander("s", 30))))


def _executes(g):
    return np.maximum(0, g.p("sessions") * 55 * (_cpu(g) / 100 + 0.2) * (1 + 0.1 * g.jitter("x")))


def _transactions(g):
    return np.maximum(0, _executes(g) * 0.08)


def _profile(doc: dict) -> dict:
    h = int(hashlib.sha1(doc["id"].encode()).hexdigest()[:6], 16)
    return {"cpu": 12 + h % 25, "alloc": float(doc.get("_storageGb") or 256), "fill": 0.25 + (h % 30) / 100,
            "sessions": 8 + h % 30}


declare(MetricSource(
    namespace="oci_database", kind="dbnode", reports_in={"AVAILABLE"},
    dimensions=lambda doc: {"resourceId": doc["dbSystemId"], "resourceName": doc.get("_systemName") or
                            doc["hostname"], "hostName": doc["hostname"], "deploymentType": "VM",
                            "resourceId_database": doc.get("_databaseId") or "",
                            "resourceName_database": doc.get("_dbName") or "", "instanceNumber": "1"},
    profile=_profile,
    metrics=[Metric("CpuUtilization", "percent", _cpu, "CPU Utilization"),
             Metric("StorageUtilization", "percent", _storage_util, "Storage Utilization"),
             Metric("StorageUsed", "GB", _used_gb, "Storage Space Used"),
             Metric("StorageAllocated", "GB", lambda g: g.p("alloc") + 0 * g.t, "Storage Space Allocated"),
             Metric("CurrentLogons", "count", _logons, "Current Logons"),
             Metric("ExecuteCount", "count", _executes, "Execute Count"),
             Metric("TransactionCount", "count", _transactions, "Transaction Count")]))


# ---------------------------------------------------------------- seed

SEED_KEY = ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7demoDbSystemKeyOnlyForTheSandboxx6Vq0t8mX1rYc2Lk9pQ3wZ4s"
            " demo@ociconsole")


@svc.seeder
def seed_db_system(seed) -> None:
    """The demo's DB system, launched through the same handler the SDK and the CLI reach (launch_db_system)."""
    if seed.profile != "demo":
        return
    from ..spec import module_specs
    prod = next((c for c in seed.store.list("compartment") if c.get("name") == "Production"), None)
    region = seed.core.home_region
    subnet = next((s for s in seed.store.list("subnet", prod["id"]) if s.get("_region") in (None, region)
                   and s.get("lifecycleState") == "AVAILABLE"), None) if prod else None
    if prod is None or subnet is None:
        return
    from .identity import ad_names
    body = {"compartmentId": prod["id"], "availabilityDomain": subnet.get("availabilityDomain")
            or ad_names(region)[0], "subnetId": subnet["id"], "shape": "VM.Standard.E4.Flex", "cpuCoreCount": 2,
            "hostname": "orcl-prod", "displayName": "orders-db", "databaseEdition": "ENTERPRISE_EDITION",
            "sshPublicKeys": [SEED_KEY], "initialDataStorageSizeInGB": 512, "nodeCount": 1,
            "dbSystemOptions": {"storageManagement": "LVM"}, "licenseModel": "LICENSE_INCLUDED",
            "freeformTags": {"app": "orders"},
            "dbHome": {"dbVersion": "19.0.0.0", "displayName": "dbhome19", "database": {
                "dbName": "ORDERS", "pdbName": "ORDERSPDB", "adminPassword": seed.rng.choice(
                    ["Demo__Pass12", "Sandbox##Db34"]) + "Xy", "characterSet": "AL32UTF8",
                "ncharacterSet": "AL16UTF16", "dbWorkload": "OLTP", "dbBackupConfig": {
                    "autoBackupEnabled": True, "recoveryWindowInDays": 15, "autoBackupWindow": "SLOT_TWO"}}}}
    ctx = Context(seed.core, module_specs("database")["launch_db_system"], region, None, {}, {}, {}, body, None)
    ctx.now = seed.now - 9 * 86400  # launched nine days ago: its automatic backups exist since
    system = launch_db_system(ctx)
    # provisioned an hour later (the launch's own scheduled completion then finds nothing left to do)
    _provisioned(seed.core, {}, {"dbSystemId": system["id"], "wr": ctx.response_headers.get("opc-work-request-id")})
    for db in seed.store.by_field("database", "dbSystemId", system["id"]):
        seed.store.update("database", db["id"], {"_autoFrom": ctx.now + 3600})
    for kind in ("dbsystem", "dbnode", "dbhome", "database"):  # AVAILABLE since then: its metrics go back as far
        for d in [seed.store.get("dbsystem", system["id"])] if kind == "dbsystem" else \
                seed.store.by_field(kind, "dbSystemId", system["id"]):
            seed.store.update(kind, d["id"], {"_stateHistory": [[None, "AVAILABLE"]]})
