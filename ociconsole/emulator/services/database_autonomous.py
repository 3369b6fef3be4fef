"""Autonomous Database Serverless (`/database`, DatabaseClient): databases, their backups, wallets and metrics.

A create (`source` NONE, or DATABASE for a clone of another database, `cloneType` FULL or METADATA) takes:
- a workload (`dbWorkload` OLTP, DW, AJD, APEX; default OLTP) and a compute model: ECPU (`computeCount`,
  a whole number 2-512, default 2) or OCPU (`computeCount` or `cpuCoreCount`, 1-128). `cpuCoreCount` with
  `computeCount` is a 400, as in OCI;
- storage in TB (`dataStorageSizeInTBs`, 1-384) or, for ECPU databases other than DW, in GB
  (`dataStorageSizeInGBs`, 20-393,216); a DW database starts at 1 TB. Both at once is a 400;
- `adminPassword` with OCI's rules: 12-30 characters, an upper-case letter, a lower-case letter and a
  digit, no double quote, not containing "admin" in any case;
- `dbName`: starts with a letter, letters and digits only, at most 30, unique (case-insensitive) among the
  tenancy's live databases in the region (409 otherwise); `displayName` defaults to the dbName;
- `licenseModel` (LICENSE_INCLUDED default, or BRING_YOUR_OWN_LICENSE), `isAutoScalingEnabled` (compute
  up to 3x), `isAutoScalingForStorageEnabled` (storage up to 3x);
- network access: public, optionally restricted by an access control list (`whitelistedIps`: IPs, CIDR
  blocks or VCN OCIDs, optionally `VCN_OCID;ip;cidr`), or a private endpoint in `subnetId` (a live
  subnet; `nsgIds` of that subnet's VCN, `privateEndpointLabel`, an IP assigned from the subnet);
- `isFreeTier`: an Always Free database has 1 OCPU and 20 GB, no auto scaling, a license included, no
  private endpoint, is made only in the home region and at most two per tenancy (400 otherwise), cannot
  be scaled, is stopped after 7 days without use and reclaimed after 90.

PROVISIONING, then AVAILABLE. `update_autonomous_database` with a new compute count or storage size
scales (SCALE_IN_PROGRESS, then AVAILABLE; AVAILABLE only; storage cannot go below what the data uses);
other changes (name, ACL, password, license, auto scaling) pass through UPDATING. stop (AVAILABLE ->
STOPPING -> STOPPED), start (STOPPED -> STARTING -> AVAILABLE), restart (AVAILABLE -> RESTARTING ->
AVAILABLE), restore to a point in time (`timestamp` within the backup retention and after creation, or
`latest`; RESTORE_IN_PROGRESS, the data as it was then), delete (TERMINATING, TERMINATED), change
compartment. Every change answers with an `opc-work-request-id` of the common work-request API
(oci.work_requests, as OCI's Database service does); the CLI's --wait-for-state SUCCEEDED polls it.

The data a database holds grows slowly from what it had at creation (`_dataGB` at `_dataAt`, at
`_growthGBPerDay`); used and allocated storage, the storage metrics and the shrink check follow it.
Backups: a manual backup (`create_autonomous_database_backup`, FULL, or LONGTERM with
`isLongTermBackup` and 90-3,650 days of retention; the database is BACKUP_IN_PROGRESS meanwhile) and
the automatic ones, one a day (a FULL one on Sundays, INCREMENTAL otherwise) kept for the database's
`backupRetentionPeriodInDays` (default 60), created lazily when backups are read.

`generate_autonomous_database_wallet` (password: at least 8 characters, a letter and a digit or special
character) returns a real wallet zip (see emulator/adb_wallet.py) whose tnsnames name the database's
service levels: high, medium and low, plus tp and tpurgent for OLTP, AJD and APEX — the same levels as
`connectionStrings`. Metrics in `oci_autonomous_database` follow each database's state (none while
stopped), its compute (utilization against the current ECPU count, 3x with auto scaling) and its data.
The demo seed has a transaction-processing database in Production and a data warehouse in Development.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import re
from typing import Any

import numpy as np

from .. import adb_wallet, engine
from ..engine import KINDS, Kind, Lifecycle
from ..metrics import DAY, Gen, Metric, MetricSource, declare
from ..protocol import ApiError, conflict, incorrect_state, invalid, parse_ts, ts
from ..registry import Context, Result, Service
from . import workrequests

svc = Service("database", name="database_autonomous")

KIND = "autonomous_database"
BACKUP_KIND = "autonomous_database_backup"
WR = "iaas"  # the Database service reports to the common work-request API (oci.work_requests)
URI = "/20160918/autonomousDatabases/"

DB_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,29}$")
ECPU = (2, 512)
OCPU = (1, 128)
TB = (1, 384)
GB = (20, 393216)
AUTO_SCALE = 3  # compute and storage auto scaling go up to three times the base
FREE_PER_TENANCY = 2
FREE_GB = 20
WORKLOADS = ("OLTP", "DW", "AJD", "APEX")
LICENSES = ("LICENSE_INCLUDED", "BRING_YOUR_OWN_LICENSE")
RETENTION = (1, 60)  # automatic backups, days
LONG_TERM = (90, 3650)
DB_VERSION = "19c"
# states in which a database is "up" (runs, reports metrics, takes backups)
UP = ("AVAILABLE", "SCALE_IN_PROGRESS", "BACKUP_IN_PROGRESS", "UPDATING", "RESTARTING")
LIVE = ("PROVISIONING", "AVAILABLE", "STOPPING", "STOPPED", "STARTING", "RESTARTING", "SCALE_IN_PROGRESS",
        "UPDATING", "BACKUP_IN_PROGRESS", "RESTORE_IN_PROGRESS", "AVAILABLE_NEEDS_ATTENTION")


def service_levels(workload: str) -> list[str]:
    """The consumer groups (service names) a workload has: DW has no tp/tpurgent."""
    return ["high", "medium", "low"] if workload == "DW" else ["high", "medium", "low", "tp", "tpurgent"]


def check_password(pw: Any, field_name: str = "adminPassword") -> str:
    """OCI's rules for an Autonomous Database ADMIN password."""
    if not isinstance(pw, str):
        raise ApiError(400, "MissingParameter", f"{field_name} is required")
    problems = []
    if not 12 <= len(pw) <= 30:
        problems.append("be between 12 and 30 characters long")
    if not re.search(r"[A-Z]", pw):
        problems.append("contain at least one uppercase letter")
    if not re.search(r"[a-z]", pw):
        problems.append("contain at least one lowercase letter")
    if not re.search(r"[0-9]", pw):
        problems.append("contain at least one numeric character")
    if '"' in pw:
        problems.append('not contain the double quote (") character')
    if "admin" in pw.lower():
        problems.append('not contain the username "admin", regardless of casing')
    if problems:
        raise invalid(f"{field_name}: the password must " + ", ".join(problems) + ".")
    return pw


def check_wallet_password(pw: Any) -> str:
    if not isinstance(pw, str) or len(pw) < 8 or not re.search(r"[A-Za-z]", pw) or \
            not re.search(r"[^A-Za-z]", pw):
        raise invalid("The wallet password must be at least 8 characters long and must include at "
                      "least 1 letter and either 1 numeric character or 1 special character")
    return pw


def _prefix(tenancy_id: str) -> str:
    """The tenancy's service-name prefix (OCI's look like `g1a2b3c4d5e6f7g`)."""
    return "g" + hashlib.sha256(tenancy_id.encode()).hexdigest()[:14]


def host_of(doc: dict) -> str:
    if doc.get("privateEndpoint"):
        return doc["privateEndpoint"]
    return f"adb.{doc['_region']}.oraclecloud.com"


def services_of(doc: dict, tenancy_id: str) -> dict[str, str]:
    base = f"{_prefix(tenancy_id)}_{doc['dbName'].lower()}"
    return {lvl: f"{base}_{lvl}.adb.oraclecloud.com" for lvl in service_levels(doc["dbWorkload"])}


def connection_strings(doc: dict, tenancy_id: str) -> dict:
    host = host_of(doc)
    svcs = services_of(doc, tenancy_id)
    easy = {lvl: f"{host}:1522/{name}" for lvl, name in svcs.items()}
    profiles = []
    for lvl, name in svcs.items():
        for fmt, value in (("LONG", adb_wallet.tns_entry(host, 1522, name)), ("EZCONNECT", easy[lvl])):
            profiles.append({"displayName": f"{doc['dbName'].lower()}_{lvl}", "value": value,
                             "consumerGroup": lvl.upper(), "protocol": "TCPS", "tlsAuthentication": "MUTUAL",
                             "hostFormat": "FQDN", "sessionMode": "DIRECT", "syntaxFormat": fmt,
                             "isRegional": False})
    return {"high": easy["high"], "medium": easy["medium"], "low": easy["low"],
            "allConnectionStrings": {lvl.upper(): v for lvl, v in easy.items()}, "profiles": profiles}


def connection_urls(doc: dict, tenancy_id: str) -> dict:
    base = f"https://{_prefix(tenancy_id).upper()}-{doc['dbName'].upper()}.adb.{doc['_region']}.oraclecloudapps.com"
    urls = {"sqlDevWebUrl": f"{base}/ords/sql-developer", "apexUrl": f"{base}/ords/apex",
            "ordsUrl": f"{base}/ords/", "databaseTransformsUrl": f"{base}/odi/",
            "machineLearningUserManagementUrl": f"{base}/omlusers/", "graphStudioUrl": f"{base}/graphstudio/",
            "machineLearningNotebookUrl": f"{base}/oml/", "spatialStudioUrl": f"{base}/spatialstudio/"}
    if doc["dbWorkload"] in ("OLTP", "AJD", "APEX"):
        host = base.removeprefix("https://")
        urls["mongoDbUrl"] = (f"mongodb://[user:password@]{host}:27017/[user]?authMechanism=PLAIN&"
                              "authSource=$external&ssl=true&retryWrites=false&loadBalanced=true")
    return urls


# ---------------------------------------------------------------- data and storage

def data_gb(doc: dict, at: float) -> float:
    """The data the database holds at time `at` (GB)."""
    base = float(doc.get("_dataGB") or 0.0)
    since = max(0.0, at - float(doc.get("_dataAt") or at))
    return base + float(doc.get("_growthGBPerDay") or 0.0) * since / DAY


def allocated_gb(doc: dict) -> float:
    if doc.get("dataStorageSizeInGBs"):
        return float(doc["dataStorageSizeInGBs"])
    return float(doc.get("dataStorageSizeInTBs") or 1) * 1024


def storage_view(doc: dict, now: float) -> dict:
    used = data_gb(doc, now)
    return {"usedDataStorageSizeInGBs": int(round(used)), "usedDataStorageSizeInTBs": int(used // 1024),
            "actualUsedDataStorageSizeInTBs": round(used / 1024, 4),
            "allocatedStorageSizeInTBs": round(min(allocated_gb(doc), used * 1.1 + 10) / 1024, 4)}


# ---------------------------------------------------------------- create checks

def _int_in(v: Any, lo: int, hi: int, field_name: str, what: str) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or float(v) != int(v):
        raise invalid(f"{field_name}: {what} must be a whole number")
    if not lo <= int(v) <= hi:
        raise invalid(f"{field_name}: {v:g} {what} is outside the allowed range {lo}-{hi:,}")
    return int(v)


def compute(body: dict, existing: dict | None) -> dict:
    """computeModel / computeCount / cpuCoreCount / ocpuCount as OCI keeps them."""
    model = body.get("computeModel") or (existing or {}).get("computeModel")
    if model is None:
        model = "OCPU" if body.get("cpuCoreCount") is not None or body.get("ocpuCount") is not None else "ECPU"
    if model not in ("ECPU", "OCPU"):
        raise invalid(f"computeModel must be ECPU or OCPU, got {model!r}")
    if existing is not None and model != existing.get("computeModel"):
        raise invalid("computeModel: the compute model of an existing database cannot be changed here")
    count = body.get("computeCount")
    if count is not None and body.get("cpuCoreCount") is not None:
        raise invalid("computeCount: it is an error to specify computeCount together with cpuCoreCount")
    if model == "ECPU":
        if body.get("cpuCoreCount") is not None or body.get("ocpuCount") is not None:
            raise invalid("cpuCoreCount: an ECPU database is sized with computeCount")
        n = count if count is not None else (existing or {}).get("computeCount", ECPU[0])
        n = _int_in(n, *ECPU, "computeCount", "ECPUs")
        return {"computeModel": "ECPU", "computeCount": float(n), "cpuCoreCount": 0, "ocpuCount": None}
    n = next((v for v in (count, body.get("cpuCoreCount"), body.get("ocpuCount")) if v is not None), None)
    n = n if n is not None else (existing or {}).get("computeCount", OCPU[0])
    n = _int_in(n, *OCPU, "computeCount" if count is not None else "cpuCoreCount", "OCPUs")
    return {"computeModel": "OCPU", "computeCount": float(n), "cpuCoreCount": n, "ocpuCount": float(n)}


def storage(body: dict, workload: str, model: str, existing: dict | None) -> dict:
    tbs, gbs = body.get("dataStorageSizeInTBs"), body.get("dataStorageSizeInGBs")
    if tbs is not None and gbs is not None:
        raise invalid("dataStorageSizeInGBs cannot be used with dataStorageSizeInTBs")
    if gbs is not None:
        if model != "ECPU" or workload == "DW":
            raise invalid("dataStorageSizeInGBs: storage in GB is for ECPU databases other than Data "
                          "Warehouse; give dataStorageSizeInTBs")
        g = _int_in(gbs, *GB, "dataStorageSizeInGBs", "GB")
        return {"dataStorageSizeInGBs": g, "dataStorageSizeInTBs": max(1, g // 1024)}
    if tbs is None:
        if existing is not None:
            return {}
        tbs = 1
    t = _int_in(tbs, *TB, "dataStorageSizeInTBs", "TB")
    return {"dataStorageSizeInTBs": t, "dataStorageSizeInGBs": t * 1024}


def _acl(ctx: Context, ips: Any) -> list[str]:
    if not isinstance(ips, list):
        raise invalid("whitelistedIps must be a list")
    if len(ips) > 1024:
        raise invalid("whitelistedIps: at most 1,024 entries")
    out = []
    for i, entry in enumerate(ips):
        where = f"whitelistedIps[{i}]"
        parts = str(entry).split(";")
        first = parts[0].strip()
        if first.startswith("ocid1.vcn."):
            KINDS["vcn"].find_live(ctx, "vcn", first, where)
            rest = parts[1:]
        else:
            rest = parts
        for p in rest:
            try:
                ipaddress.ip_network(p.strip(), strict=False)
            except ValueError:
                raise invalid(f"{where}: '{p.strip()[:60]}' is not an IP address, CIDR block or VCN OCID") from None
        out.append(str(entry))
    return out


def _private_ip(ctx: Context, subnet: dict, exclude: str | None = None) -> str:
    net = ipaddress.ip_network(subnet["cidrBlock"])
    used = {d.get("privateEndpointIp") for d in ctx.list(KIND)
            if d.get("subnetId") == subnet["id"] and d["id"] != exclude and d.get("lifecycleState") in LIVE}
    used |= {p.get("ipAddress") for p in ctx.store.list("privateip") if p.get("subnetId") == subnet["id"]}
    for n in range(int(net.network_address) + 2, int(net.broadcast_address)):
        addr = str(ipaddress.ip_address(n))
        if addr not in used:
            return addr
    raise ApiError(409, "LimitExceeded", f"Subnet {subnet.get('displayName')} has no free private IP addresses")


def network(ctx: Context, body: dict, existing: dict | None, db_name: str) -> dict:
    out: dict = {}
    if body.get("whitelistedIps") is not None:
        out["whitelistedIps"] = _acl(ctx, body["whitelistedIps"])
        out["isAccessControlEnabled"] = bool(out["whitelistedIps"])
    subnet_id = body.get("subnetId")
    if subnet_id is None:
        if body.get("nsgIds"):
            raise invalid("nsgIds: network security groups need a private endpoint (subnetId)")
        return out
    subnet = KINDS["subnet"].find_live(ctx, "subnet", subnet_id, "subnetId")
    nsgs = []
    for i, n in enumerate(body.get("nsgIds") or []):
        nsg = KINDS["networksecuritygroup"].find_live(ctx, "networksecuritygroup", n, f"nsgIds[{i}]")
        if nsg.get("vcnId") != subnet.get("vcnId"):
            raise invalid(f"nsgIds[{i}]: the network security group is not in the subnet's VCN")
        nsgs.append(nsg["id"])
    if len(nsgs) > 5:
        raise invalid("nsgIds: at most 5 network security groups")
    label = body.get("privateEndpointLabel") or (existing or {}).get("privateEndpointLabel") or \
        f"{_prefix(ctx.tenancy_id)[:8]}{db_name.lower()}"
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9]{0,62}$", label):
        raise invalid("privateEndpointLabel must start with a letter and hold only letters and digits (max 63)")
    ip = body.get("privateEndpointIp")
    if ip is not None:
        try:
            if ipaddress.ip_address(ip) not in ipaddress.ip_network(subnet["cidrBlock"]):
                raise invalid(f"privateEndpointIp {ip} is not in the subnet {subnet['cidrBlock']}")
        except ValueError:
            raise invalid(f"privateEndpointIp '{ip}' is not an IP address") from None
    out.update(subnetId=subnet["id"], nsgIds=nsgs, privateEndpointLabel=label,
               privateEndpointIp=ip or _private_ip(ctx, subnet, (existing or {}).get("id")),
               privateEndpoint=f"{label.lower()}.adb.{ctx.region}.oraclecloud.com")
    return out


def _check_db_name(ctx: Context, name: Any, exclude: str | None = None) -> str:
    if not isinstance(name, str) or not name:
        raise ApiError(400, "MissingParameter", "dbName is required")
    if not DB_NAME_RE.match(name):
        raise invalid(f"dbName '{name[:60]}' is not valid: it must begin with an alphabetic character and can "
                      "contain a maximum of 30 alphanumeric characters; special characters are not permitted")
    for other in ctx.list(KIND):
        if other["id"] != exclude and other.get("dbName", "").upper() == name.upper() and \
                other.get("lifecycleState") != "TERMINATED":
            raise conflict(f"An Autonomous Database with dbName {name} already exists in {ctx.region}; the "
                           "database name must be unique in the tenancy")
    return name


def _free_tier(ctx: Context, body: dict) -> dict:
    if ctx.region != ctx.core.home_region:
        raise invalid(f"isFreeTier: Always Free Autonomous Databases can be created only in the home region "
                      f"({ctx.core.home_region})")
    have = [d for d in ctx.store.list(KIND) if d.get("isFreeTier") and d.get("lifecycleState") in LIVE]
    if len(have) >= FREE_PER_TENANCY:
        raise ApiError(400, "LimitExceeded", f"The tenancy already has {len(have)} Always Free Autonomous "
                       f"Databases; at most {FREE_PER_TENANCY} are allowed")
    if body.get("isAutoScalingEnabled") or body.get("isAutoScalingForStorageEnabled"):
        raise invalid("isAutoScalingEnabled: auto scaling is not available for Always Free Autonomous Databases")
    if body.get("licenseModel") == "BRING_YOUR_OWN_LICENSE":
        raise invalid("licenseModel: Always Free Autonomous Databases are LICENSE_INCLUDED")
    if body.get("subnetId") or body.get("privateEndpointLabel"):
        raise invalid("subnetId: Always Free Autonomous Databases cannot have a private endpoint")
    return {"computeModel": "OCPU", "computeCount": 1.0, "cpuCoreCount": 1, "ocpuCount": 1.0,
            "dataStorageSizeInTBs": 1, "dataStorageSizeInGBs": FREE_GB, "isAutoScalingEnabled": False,
            "isAutoScalingForStorageEnabled": False, "licenseModel": "LICENSE_INCLUDED",
            "timeReclamationOfFreeAutonomousDatabase": ctx.ts(ctx.now + 7 * DAY),
            "timeDeletionOfFreeAutonomousDatabase": ctx.ts(ctx.now + 90 * DAY)}


def _growth(ident: str) -> float:
    h = int(hashlib.sha256(ident.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return round(0.5 + 4.5 * h, 3)  # GB a day


def _create_checks(ctx: Context, body: dict) -> dict:
    workload = body.get("dbWorkload") or "OLTP"
    if workload not in WORKLOADS:
        raise invalid(f"dbWorkload must be one of {', '.join(WORKLOADS)}, got {workload!r}")
    name = _check_db_name(ctx, body.get("dbName"))
    check_password(body.get("adminPassword"))
    lic = body.get("licenseModel") or "LICENSE_INCLUDED"
    if lic not in LICENSES:
        raise invalid(f"licenseModel must be LICENSE_INCLUDED or BRING_YOUR_OWN_LICENSE, got {lic!r}")
    out: dict = {"dbWorkload": workload, "dbName": name, "licenseModel": lic,
                 "isAutoScalingEnabled": bool(body.get("isAutoScalingEnabled")),
                 "isAutoScalingForStorageEnabled": bool(body.get("isAutoScalingForStorageEnabled"))}
    if body.get("isFreeTier"):
        out.update(_free_tier(ctx, body))
        out["isFreeTier"] = True
    else:
        out.update(compute(body, None))
        out.update(storage(body, workload, out["computeModel"], None))
        out["isFreeTier"] = False
    ret = body.get("backupRetentionPeriodInDays")
    out["backupRetentionPeriodInDays"] = _int_in(ret, *RETENTION, "backupRetentionPeriodInDays", "days") \
        if ret is not None else 60
    out.update(network(ctx, body, None, name))
    return out


def defaults(doc: dict, region: str, tenancy_id: str, now: float) -> dict:
    return {"dbVersion": DB_VERSION, "characterSet": doc.get("characterSet") or "AL32UTF8",
            "ncharacterSet": doc.get("ncharacterSet") or "AL16UTF16", "infrastructureType": "CLOUD",
            "isDedicated": False, "openMode": "READ_WRITE", "permissionLevel": "UNRESTRICTED", "role": "PRIMARY",
            "databaseEdition": "ENTERPRISE_EDITION" if doc["licenseModel"] == "LICENSE_INCLUDED" else
            doc.get("databaseEdition") or "ENTERPRISE_EDITION",
            "memoryPerOracleComputeUnitInGBs": 2, "memoryPerComputeUnitInGBs": 2.0 if
            doc["computeModel"] == "ECPU" else 16.0, "isMtlsConnectionRequired": doc.get("subnetId") is None,
            "dataSafeStatus": "NOT_REGISTERED", "operationsInsightsStatus": "NOT_ENABLED",
            "databaseManagementStatus": "NOT_ENABLED", "isDataGuardEnabled": False,
            "isLocalDataGuardEnabled": False, "isRemoteDataGuardEnabled": False, "isRefreshableClone": False,
            "isPreview": False, "isAccessControlEnabled": bool(doc.get("whitelistedIps")),
            "whitelistedIps": doc.get("whitelistedIps") or [], "nsgIds": doc.get("nsgIds") or [],
            "autonomousMaintenanceScheduleType": "REGULAR", "availableUpgradeVersions": [],
            "apexDetails": {"apexVersion": "24.2.5", "ordsVersion": "24.4.0.345.1601"},
            "serviceConsoleUrl": f"https://{_prefix(tenancy_id).upper()}-{doc['dbName'].upper()}.adb."
                                 f"{region}.oraclecloudapps.com/console/index.html",
            "supportedRegionsToCloneTo": [region], "systemTags": {}, "customerContacts": [],
            "timeMaintenanceBegin": ts(now + 5 * DAY), "timeMaintenanceEnd": ts(now + 5 * DAY + 7200)}


# ---------------------------------------------------------------- kinds

def view(ctx: Context, doc: dict) -> dict:
    """A database as the API shows it: its storage as of now, connection strings and URLs."""
    d = ADB.public(doc)
    d.update(storage_view(doc, ctx.now))
    d["connectionStrings"] = connection_strings(doc, ctx.tenancy_id)
    d["connectionUrls"] = connection_urls(doc, ctx.tenancy_id)
    return d


ADB = svc.resource(Kind(
    KIND, "AutonomousDatabase", "Autonomous Database", ocid="autonomousdatabase",
    lifecycle=Lifecycle("PROVISIONING", "AVAILABLE", None, "TERMINATING", "TERMINATED", failed="FAILED"),
    live=LIVE, search="AutonomousDatabase"))


@svc.op("get_autonomous_database")
def get_autonomous_database(ctx: Context):
    return view(ctx, ADB.get(ctx))


@svc.op("list_autonomous_databases")
def list_autonomous_databases(ctx: Context):
    return engine.as_collection(ctx, [view(ctx, d) for d in ADB.list(ctx)])


def _backup_read(ctx: Context) -> None:
    for doc in ctx.list(KIND):
        _catch_up_backups(ctx, doc)


BACKUP = svc.resource(Kind(
    BACKUP_KIND, "AutonomousDatabaseBackup", "Autonomous Database backup", ocid="autonomousdatabasebackup",
    lifecycle=Lifecycle("CREATING", "ACTIVE", None, "DELETING", "DELETED", failed="FAILED"),
    parent=("autonomousDatabaseId", KIND), on_read=_backup_read, ops={"update": ""}))


# ---------------------------------------------------------------- work requests and transitions

def _wr(ctx: Context, op_type: str, doc: dict, action: str = "IN_PROGRESS", kind: str = KIND,
        uri: str | None = None) -> str:
    wr = workrequests.start(ctx, WR, op_type, doc["compartmentId"], [
        {"entityType": kind, "actionType": action, "identifier": doc["id"], "entityUri": uri or URI + doc["id"]}])
    return wr["id"]


def _get(ctx: Context) -> dict:
    return ctx.get_for_write(KIND, ctx.path["autonomousDatabaseId"], "Autonomous Database")


def _need(doc: dict, states: tuple[str, ...], what: str) -> None:
    if doc.get("lifecycleState") not in states:
        raise incorrect_state(f"The Autonomous Database {doc.get('dbName')} is {doc.get('lifecycleState')}; it "
                              f"can be {what} only when it is {' or '.join(states)}")


def _compute_history(doc: dict, at: float, count: float, auto: bool) -> list:
    hist = list(doc.get("_computeHistory") or [])
    hist.append([at, count, auto])
    return hist[-200:]


def _go(ctx: Context, doc: dict, via: str, to: str, op_type: str, extra: dict | None = None) -> dict:
    wr = _wr(ctx, op_type, doc)
    engine.transition(ctx, ADB, doc, via, to, wr, extra=extra)
    return view(ctx, ctx.store.get(KIND, doc["id"]))


# ---------------------------------------------------------------- create, clone

@svc.op("create_autonomous_database")
def create_autonomous_database(ctx: Context):
    body = dict(ctx.body or {})
    source = body.get("source") or "NONE"
    if source not in ("NONE", "DATABASE"):
        raise invalid(f"source {source}: the emulator creates new databases (NONE) and clones of a database "
                      "(DATABASE)")
    extra = _create_checks(ctx, body)
    extra.setdefault("displayName", body.get("displayName") or extra["dbName"])
    src = None
    if source == "DATABASE":
        src = ctx.get(KIND, ctx.require(body.get("sourceId"), "sourceId"), "Autonomous Database")
        if src.get("lifecycleState") != "AVAILABLE":
            raise incorrect_state(f"The source database {src.get('dbName')} is {src.get('lifecycleState')}; "
                                  "it can be cloned only when it is AVAILABLE")
        clone_type = body.get("cloneType")
        if clone_type not in ("FULL", "METADATA"):
            raise invalid(f"cloneType must be FULL or METADATA, got {clone_type!r}")
        used = data_gb(src, ctx.now) if clone_type == "FULL" else min(2.0, data_gb(src, ctx.now))
        if clone_type == "FULL" and used > allocated_gb(extra) and not extra.get("isFreeTier"):
            raise invalid(f"dataStorageSizeInTBs: the source database holds {used / 1024:.2f} TB of data; a full "
                          f"clone needs at least that much storage")
        extra.update(sourceId=src["id"], cloneType=clone_type)
        data = used
    else:
        data = 0.8 if body.get("isFreeTier") else 1.2  # a new database's dictionary and sample schemas, GB
    extra.update(_dataGB=round(data, 3), _dataAt=ctx.now)
    # the engine checks the compartment, tags and name, starts the work request, PROVISIONING -> AVAILABLE
    doc = ADB.create(ctx, body, extra=extra)
    growth = _growth(doc["id"]) if not extra["isFreeTier"] else 0.01
    ctx.update(KIND, doc["id"], dict(defaults(ctx.store.get(KIND, doc["id"]), ctx.region, ctx.tenancy_id, ctx.now),
                                     _growthGBPerDay=growth, _autoBackupsUntil=ctx.now,
                                     _computeHistory=_compute_history({}, ctx.now, extra["computeCount"],
                                                                      extra["isAutoScalingEnabled"])))
    return view(ctx, ctx.store.get(KIND, doc["id"]))


# ---------------------------------------------------------------- update and scaling

SCALE_FIELDS = ("computeCount", "cpuCoreCount", "ocpuCount", "dataStorageSizeInTBs", "dataStorageSizeInGBs")


@svc.op("update_autonomous_database")
def update_autonomous_database(ctx: Context):
    doc = _get(ctx)
    body = {k: v for k, v in (ctx.body or {}).items() if v is not None}
    scaling = any(k in body for k in SCALE_FIELDS)
    if scaling and doc.get("isFreeTier"):
        raise invalid("computeCount: an Always Free Autonomous Database cannot be scaled")
    if scaling or "isAutoScalingEnabled" in body:
        _need(doc, ("AVAILABLE",), "scaled")
    else:
        _need(doc, ("AVAILABLE", "STOPPED"), "updated")
    changes: dict = {}
    if scaling:
        changes.update(compute(body, doc))
        st = storage(body, doc["dbWorkload"], doc["computeModel"], doc)
        if st:
            used = data_gb(doc, ctx.now)
            new_gb = st.get("dataStorageSizeInGBs") or st["dataStorageSizeInTBs"] * 1024
            if new_gb < used:
                raise invalid(f"dataStorageSizeInTBs: the database uses {used / 1024:.2f} TB ({used:,.0f} GB) of "
                              f"data; storage cannot be scaled below the used storage")
        changes.update(st)
    if "adminPassword" in body:
        check_password(body["adminPassword"])
    if "dbName" in body and body["dbName"] != doc["dbName"]:
        changes["dbName"] = _check_db_name(ctx, body["dbName"], exclude=doc["id"])
    if "displayName" in body:
        changes["displayName"] = engine.check_name(body["displayName"])
    if "licenseModel" in body:
        if body["licenseModel"] not in LICENSES:
            raise invalid(f"licenseModel must be LICENSE_INCLUDED or BRING_YOUR_OWN_LICENSE, got "
                          f"{body['licenseModel']!r}")
        if doc.get("isFreeTier") and body["licenseModel"] != "LICENSE_INCLUDED":
            raise invalid("licenseModel: Always Free Autonomous Databases are LICENSE_INCLUDED")
        changes["licenseModel"] = body["licenseModel"]
    for flag in ("isAutoScalingEnabled", "isAutoScalingForStorageEnabled"):
        if flag in body:
            if doc.get("isFreeTier") and body[flag]:
                raise invalid(f"{flag}: auto scaling is not available for Always Free Autonomous Databases")
            changes[flag] = bool(body[flag])
    if "backupRetentionPeriodInDays" in body:
        changes["backupRetentionPeriodInDays"] = _int_in(body["backupRetentionPeriodInDays"], *RETENTION,
                                                         "backupRetentionPeriodInDays", "days")
    if any(k in body for k in ("whitelistedIps", "subnetId", "nsgIds", "privateEndpointLabel")):
        net_body = {k: body.get(k, doc.get(k)) for k in ("whitelistedIps", "subnetId", "nsgIds",
                                                          "privateEndpointLabel")}
        if body.get("privateEndpointLabel") == "":  # OCI: an empty label turns it into a public database
            net_body.update(subnetId=None, nsgIds=None, privateEndpointLabel=None)
            changes.update(subnetId=None, nsgIds=[], privateEndpointLabel=None, privateEndpointIp=None,
                           privateEndpoint=None)
        changes.update(network(ctx, net_body, doc, doc["dbName"]))
    changes.update(ctx.tags(body))
    changes["_computeHistory"] = _compute_history(
        doc, ctx.now, changes.get("computeCount", doc["computeCount"]),
        changes.get("isAutoScalingEnabled", doc.get("isAutoScalingEnabled", False)))
    if scaling:
        return _go(ctx, doc, "SCALE_IN_PROGRESS", "AVAILABLE", "UPDATE_AUTONOMOUS_DATABASE", changes)
    back = doc["lifecycleState"]
    ctx.update(KIND, doc["id"], changes)
    return _go(ctx, ctx.store.get(KIND, doc["id"]), "UPDATING", back, "UPDATE_AUTONOMOUS_DATABASE")


# ---------------------------------------------------------------- stop, start, restart, restore

@svc.op("stop_autonomous_database")
def stop_autonomous_database(ctx: Context):
    doc = _get(ctx)
    _need(doc, ("AVAILABLE",), "stopped")
    return _go(ctx, doc, "STOPPING", "STOPPED", "STOP_AUTONOMOUS_DATABASE")


@svc.op("start_autonomous_database")
def start_autonomous_database(ctx: Context):
    doc = _get(ctx)
    _need(doc, ("STOPPED",), "started")
    return _go(ctx, doc, "STARTING", "AVAILABLE", "START_AUTONOMOUS_DATABASE")


@svc.op("restart_autonomous_database")
def restart_autonomous_database(ctx: Context):
    doc = _get(ctx)
    _need(doc, ("AVAILABLE",), "restarted")
    return _go(ctx, doc, "RESTARTING", "AVAILABLE", "RESTART_AUTONOMOUS_DATABASE")


@svc.op("restore_autonomous_database")
def restore_autonomous_database(ctx: Context):
    doc = _get(ctx)
    _need(doc, ("AVAILABLE", "STOPPED"), "restored")
    body = ctx.body or {}
    created = parse_ts(doc["timeCreated"])
    earliest = max(created, ctx.now - doc.get("backupRetentionPeriodInDays", 60) * DAY)
    if body.get("latest"):
        at = ctx.now
    elif body.get("timestamp"):
        try:
            at = parse_ts(body["timestamp"])
        except ValueError:
            raise invalid(f"timestamp '{str(body['timestamp'])[:40]}' is not a date and time") from None
        if at > ctx.now:
            raise invalid(f"timestamp {body['timestamp']} is in the future")
        if at < earliest:
            raise invalid(f"timestamp {body['timestamp']} is before the earliest restore point {ts(earliest)} "
                          "(the database's creation or its backup retention)")
    elif body.get("databaseSCN"):
        raise invalid("databaseSCN: the emulator restores to a timestamp or the latest point")
    else:
        raise ApiError(400, "MissingParameter", "timestamp (or latest) is required")
    extra = {"_dataGB": round(data_gb(doc, at), 3), "_dataAt": ctx.now}
    state = doc["lifecycleState"]
    return _go(ctx, doc, "RESTORE_IN_PROGRESS", state, "RESTORE_AUTONOMOUS_DATABASE", extra)


# ---------------------------------------------------------------- wallet

@svc.op("generate_autonomous_database_wallet")
def generate_autonomous_database_wallet(ctx: Context):
    doc = _get(ctx)
    body = ctx.body or {}
    check_wallet_password(body.get("password"))
    if body.get("generateType", "SINGLE") not in ("SINGLE", "ALL"):
        raise invalid("generateType must be SINGLE or ALL")
    if doc.get("lifecycleState") in ("PROVISIONING", "TERMINATING", "TERMINATED"):
        raise incorrect_state(f"The Autonomous Database {doc['dbName']} is {doc['lifecycleState']}; its wallet "
                              "can be downloaded once it is provisioned")
    data = adb_wallet.build(doc["dbName"], services_of(doc, ctx.tenancy_id), host_of(doc), body["password"],
                            ctx.now)
    return Result(raw=data, content_type="application/octet-stream",
                  headers={"content-disposition": f'attachment; filename="Wallet_{doc["dbName"]}.zip"'})


# ---------------------------------------------------------------- backups

def _backup_doc(ctx_or_core, adb: dict, ident: str, name: str, btype: str, automatic: bool, start: float,
                end: float, retention: int, state: str) -> dict:
    size = round(max(data_gb(adb, start), 0.001) / 1024, 4)
    return {"id": ident, "_region": adb["_region"], "compartmentId": adb["compartmentId"],
            "autonomousDatabaseId": adb["id"], "displayName": name, "type": btype, "isAutomatic": automatic,
            "timeStarted": ts(start), "timeEnded": ts(end), "databaseSizeInTBs": size, "sizeInTBs": size,
            "lifecycleState": state, "isRestorable": True, "retentionPeriodInDays": retention,
            "timeAvailableTill": ts(start + retention * DAY), "dbVersion": adb.get("dbVersion", DB_VERSION),
            "infrastructureType": "CLOUD", "region": adb["_region"], "timeCreated": ts(start),
            "freeformTags": {}, "definedTags": {}}


def _catch_up_backups(ctx: Context, adb: dict) -> None:
    """The automatic backups due since the last look: one a day while the database is up, kept for its
    retention; older automatic backups are dropped."""
    if adb.get("lifecycleState") == "TERMINATED" or adb.get("isFreeTier"):
        return
    until = float(adb.get("_autoBackupsUntil") or parse_ts(adb["timeCreated"]))
    retention = int(adb.get("backupRetentionPeriodInDays") or 60)
    first_day = int(max(until, ctx.now - retention * DAY) // DAY) + 1
    last_day = int(ctx.now // DAY)
    hist = adb.get("_stateHistory") or []
    made = False
    for day in range(first_day, last_day + 1):
        at = day * DAY + 2 * 3600  # 02:00 UTC
        if at > ctx.now or at <= until:
            continue
        state = next((s for t, s in reversed(hist) if t is None or float(t) <= at), adb.get("lifecycleState"))
        if state not in UP:
            continue
        weekday = dt.datetime.fromtimestamp(at, tz=dt.UTC).weekday()
        btype = "FULL" if weekday == 6 else "INCREMENTAL"
        name = "Automatic Backup " + dt.datetime.fromtimestamp(at, tz=dt.UTC).strftime("%d-%b-%Y %H:%M:%S")
        ctx.put(BACKUP_KIND, _backup_doc(ctx, adb, ctx.new_id("autonomousdatabasebackup"), name, btype, True,
                                         at, at + 1200, retention, "ACTIVE"))
        made = True
    for b in ctx.store.by_field(BACKUP_KIND, "autonomousDatabaseId", adb["id"]):
        if b.get("isAutomatic") and parse_ts(b["timeStarted"]) < ctx.now - retention * DAY:
            ctx.store.delete(BACKUP_KIND, b["id"])
    if made or until < ctx.now:
        ctx.update(KIND, adb["id"], {"_autoBackupsUntil": ctx.now})


@svc.op("create_autonomous_database_backup")
def create_autonomous_database_backup(ctx: Context):
    body = ctx.body or {}
    adb = ctx.get_for_write(KIND, ctx.require(body.get("autonomousDatabaseId"), "autonomousDatabaseId"),
                            "Autonomous Database")
    if adb.get("isFreeTier"):
        raise invalid("autonomousDatabaseId: Always Free Autonomous Databases do not support manual backups")
    _need(adb, ("AVAILABLE",), "backed up")
    long_term = bool(body.get("isLongTermBackup"))
    retention = body.get("retentionPeriodInDays")
    if long_term:
        retention = _int_in(ctx.require(retention, "retentionPeriodInDays"), *LONG_TERM,
                            "retentionPeriodInDays", "days")
    elif retention is not None:
        raise invalid("retentionPeriodInDays is for long-term backups (isLongTermBackup)")
    else:
        retention = int(adb.get("backupRetentionPeriodInDays") or 60)
    name = body.get("displayName") or engine.default_name(ctx, "autonomousdatabasebackup")
    engine.check_name(name)
    doc = _backup_doc(ctx, adb, ctx.new_id("autonomousdatabasebackup"), name, "LONGTERM" if long_term else "FULL",
                      False, ctx.now, ctx.now, retention, "CREATING")
    doc = ctx.put(BACKUP_KIND, doc)
    wr = _wr(ctx, "CREATE_AUTONOMOUS_DATABASE_BACKUP", doc, "CREATED", BACKUP_KIND,
             "/20160918/autonomousDatabaseBackups/" + doc["id"])
    ctx.update(KIND, adb["id"], {"lifecycleState": "BACKUP_IN_PROGRESS"})
    ctx.schedule(KIND, adb["id"], {"lifecycleState": "AVAILABLE"}, steps=1, when_state="BACKUP_IN_PROGRESS")
    ctx.schedule(BACKUP_KIND, doc["id"], {"lifecycleState": "ACTIVE", "timeEnded": ts(ctx.now + 600)}, steps=1,
                 when_state="CREATING", hook="engine.settled", args={"kind": BACKUP_KIND, "wr": wr, "event": "x"})
    return doc


def _check_backup_delete(ctx: Context, doc: dict) -> None:
    if doc.get("type") != "LONGTERM":
        raise invalid("Only long-term backups can be deleted; automatic and on-demand backups expire with the "
                      "database's backup retention")


BACKUP.check_delete = _check_backup_delete


def _adb_deleted(ctx: Context, doc: dict) -> None:
    for b in ctx.store.by_field(BACKUP_KIND, "autonomousDatabaseId", doc["id"]):
        if b.get("type") != "LONGTERM":
            ctx.store.delete(BACKUP_KIND, b["id"])


def _adb_check_delete(ctx: Context, doc: dict) -> None:
    if doc.get("lifecycleState") in ("PROVISIONING", "RESTORE_IN_PROGRESS"):
        raise incorrect_state(f"The Autonomous Database {doc.get('dbName')} is {doc['lifecycleState']}; it can "
                              "be terminated once that is done")


ADB.on_delete = _adb_deleted
ADB.check_delete = _adb_check_delete


# ---------------------------------------------------------------- metrics

def _facts(_store, doc: dict, now: float) -> dict:
    hist = doc.get("_computeHistory") or [[parse_ts(doc["timeCreated"]), doc.get("computeCount", 2.0),
                                          bool(doc.get("isAutoScalingEnabled"))]]
    return {"t": [float(h[0]) for h in hist], "count": [float(h[1]) for h in hist],
            "auto": [bool(h[2]) for h in hist], "allocated": allocated_gb(doc),
            "data": float(doc.get("_dataGB") or 0.0), "dataAt": float(doc.get("_dataAt") or now),
            "growth": float(doc.get("_growthGBPerDay") or 0.0), "base": float(hist[0][1])}


def _step(g: Gen, key: str) -> np.ndarray:
    """A per-minute array (resources, minutes) of a fact that changes at times (compute count, auto scaling)."""
    rows = []
    for f in g.facts:
        idx = np.searchsorted(np.asarray(f["t"]), g.t[0], side="right") - 1
        vals = np.asarray(f[key], dtype=np.float64)
        rows.append(vals[np.clip(idx, 0, len(vals) - 1)])
    return np.vstack(rows)


def _demand(g: Gen) -> np.ndarray:
    """The ECPUs the workload asks for: a share of the database's first size, daily shape, bursts."""
    base = np.array([[f["base"]] for f in g.facts])
    shape = 1 + g.p("swing") * g.daily(g.p("peak")) + 0.15 * g.wander("cpu", 30) + 0.05 * g.jitter("cpu")
    return np.maximum(0.02, base * g.p("load") * 1.6 * shape + base * 0.9 * g.spikes("cpu", per_day=2, minutes=20))


def _ceiling(g: Gen) -> np.ndarray:
    return _step(g, "count") * np.where(_step(g, "auto") > 0, AUTO_SCALE, 1)


def _cpu(g: Gen) -> np.ndarray:
    """Utilization against what the database may use now: its ECPUs, three times them with auto scaling."""
    ceiling = _ceiling(g)
    return np.clip(100.0 * np.minimum(_demand(g), ceiling) / ceiling, 0.0, 100.0)


def _used_gb(g: Gen) -> np.ndarray:
    return np.vstack([f["data"] + f["growth"] * (g.t[0] - f["dataAt"]) / DAY for f in g.facts]).clip(min=0.0)


def _sessions(g: Gen) -> np.ndarray:
    return np.round(np.minimum(4 + 18 * _demand(g), 300 * _step(g, "count")))


def _executes(g: Gen) -> np.ndarray:
    return np.round(np.minimum(_demand(g), _ceiling(g)) * 900 * (1 + 0.1 * g.jitter("exec")))


declare(MetricSource(
    namespace="oci_autonomous_database",
    kind=KIND,
    reports_in={"AVAILABLE", "SCALE_IN_PROGRESS", "BACKUP_IN_PROGRESS", "UPDATING"},
    dimensions=lambda doc: {"resourceId": doc["id"], "resourceName": doc.get("dbName") or doc["id"],
                            "deploymentType": "Shared", "region": doc.get("_region") or ""},
    facts=_facts,
    metrics=[
        Metric("CpuUtilization", "percent", _cpu, "CPU Utilization"),
        Metric("StorageUtilization", "percent",
               lambda g: np.clip(100.0 * _used_gb(g) / np.array([[f["allocated"]] for f in g.facts]), 0, 100),
               "Storage Utilization"),
        Metric("StorageUsed", "GB", _used_gb, "Storage Used"),
        Metric("StorageAllocated", "GB", lambda g: g.full([[f["allocated"]] for f in g.facts]),
               "Storage Allocated"),
        Metric("Sessions", "count", _sessions, "Sessions"),
        Metric("CurrentLogons", "count", lambda g: np.round(_sessions(g) * 0.6), "Current Logons"),
        Metric("ExecuteCount", "count", _executes, "Execute Count"),
        Metric("RunningStatements", "count", lambda g: np.round(np.minimum(_demand(g), _ceiling(g)) * 1.5),
               "Running Statements"),
        Metric("QueuedStatements", "count",
               lambda g: np.round(np.maximum(0.0, _demand(g) - _ceiling(g)) * 3), "Queued Statements"),
        Metric("TransactionCount", "count", lambda g: np.round(_executes(g) * 0.12), "Transaction Count"),
    ],
))


# ---------------------------------------------------------------- seed

@svc.seeder
def seed_autonomous(seed) -> None:
    if seed.profile != "demo":
        return
    comps = {c.get("name"): c for c in seed.store.list("compartment")}
    region = seed.core.home_region
    tenancy = seed.core.tenancy_id
    specs = [("Production", "ORDERSDB", "orders-atp", "OLTP", 8.0, 2, 1400.0, True, 47,
              ["203.0.113.0/24", "198.51.100.17"], {"team": "orders"}),
             ("Development", "SALESDW", "sales-dw", "DW", 4.0, 1, 310.0, False, 12, [], {"team": "analytics"})]
    for comp_name, db_name, display, workload, ecpus, tbs, data, auto, age, acl, tags in specs:
        comp = comps.get(comp_name)
        if comp is None:
            continue
        ident = seed.ocid("autonomousdatabase", region)
        created = seed.now - age * DAY
        doc = {"id": ident, "_region": region, "compartmentId": comp["id"], "dbName": db_name,
               "displayName": display, "dbWorkload": workload, "computeModel": "ECPU", "computeCount": ecpus,
               "cpuCoreCount": 0, "dataStorageSizeInTBs": tbs, "dataStorageSizeInGBs": tbs * 1024,
               "isAutoScalingEnabled": auto, "isAutoScalingForStorageEnabled": False, "isFreeTier": False,
               "licenseModel": "LICENSE_INCLUDED", "backupRetentionPeriodInDays": 60,
               "whitelistedIps": acl, "lifecycleState": "AVAILABLE", "timeCreated": ts(created),
               "freeformTags": tags, "definedTags": {}, "_dataGB": data, "_dataAt": seed.now,
               "_growthGBPerDay": _growth(ident), "_computeHistory": [[created, ecpus, auto]],
               "_autoBackupsUntil": created, "_metricProfile": {"load": 0.35 if workload == "OLTP" else 0.2}}
        doc.update(defaults(doc, region, tenancy, seed.now))
        seed.store.put(KIND, doc)
