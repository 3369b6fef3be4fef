"""Database Migration (`/database_migration`, DatabaseMigrationClient, API 20230518): connections, migrations and
their jobs.

A connection (`create_connection`, connectionType ORACLE) is a source or target: an Autonomous Database
(technologyType OCI_AUTONOMOUS_DATABASE with its `databaseId`), a database of a DB system (ORACLE_DATABASE
with the `databaseId` of a Base Database database) or a database elsewhere (ORACLE_DATABASE with a
`connectionString`: EZConnect `host:port/service` or a `(DESCRIPTION=...)` descriptor). As in OCI, a
connection names a vault and a key (`vaultId`, `keyId`: the service keeps the credentials there, as a
secret, `secretId`) and a user name and password of the shape Oracle takes (an identifier of at most 128
characters; a password of 1-30 characters without `"`); the emulator keeps only a salted hash of the
passwords, and never answers them. CREATING -> ACTIVE; a connection used by a migration cannot be deleted.

A migration (`create_migration`, databaseCombination ORACLE, type OFFLINE or ONLINE) joins two different
ACTIVE connections, the target one an OCI database (ADB or Base Database); its settings are kept as OCI
keeps them (data transfer medium DBLINK / OBJECT_STORAGE with a bucket / NFS / AWS_S3, initial load job mode,
advisor settings, GoldenGate settings of an online migration). `evaluate_migration` and `start_migration`
create a job (EVALUATION or MIGRATION) that moves through OCI's phases (PhaseStatus names: ODMS_VALIDATE_TGT,
ODMS_VALIDATE_SRC, ODMS_VALIDATE_PREMIGRATION_ADVISOR, the Data Pump checks, then for a migration ODMS_PREPARE,
the initial load export / upload / import, ODMS_POST_INITIAL_LOAD, and for an online one the replication phases
to ODMS_SWITCHOVER, then ODMS_CLEANUP) over the emulator's clock, each phase taking its time; a phase named in
`waitAfter` (of the start or of `resume_job`) pauses the job (WAITING) until `resume_job`; `abort_job` ends it
(TERMINATED). A validation phase fails (job FAILED, migration NEEDS_ATTENTION) when its database is not
reachable then: the DB system's database or ADB not AVAILABLE. One job runs per migration at a time (409). The
job's output log (`list_job_outputs`, `get_job_output_content`) says what each phase did and when.
"""

from __future__ import annotations

import re
from typing import Any

from ..engine import KINDS, Kind, Lifecycle
from ..protocol import ApiError, conflict, incorrect_state, invalid, ts
from ..registry import Context, Result, Service
from . import workrequests
from .database_systems import hash_secret

svc = Service("database_migration", name="database_migration")

CONNECTION, MIGRATION, JOB = "odmsconnection", "odmsmigration", "odmsjob"
USER_RE = re.compile(r'^([A-Za-z][A-Za-z0-9_$#]{0,127}|"[^"]{1,128}")$')
EZCONNECT_RE = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?/[A-Za-z0-9._$#\-]+$")
TECHNOLOGIES = ("OCI_AUTONOMOUS_DATABASE", "ORACLE_DATABASE", "ORACLE_EXADATA", "AMAZON_RDS_ORACLE")
TARGETS = ("OCI_AUTONOMOUS_DATABASE", "ORACLE_DATABASE", "ORACLE_EXADATA")
MEDIA = ("DBLINK", "OBJECT_STORAGE", "NFS", "AWS_S3")
JOB_MODES = ("FULL", "SCHEMA", "TABLE", "TABLESPACE", "TRANSPORTABLE")
# where a database of a technology type lives in the store (kinds of the database services)
DATABASE_KINDS = {"OCI_AUTONOMOUS_DATABASE": ("autonomous_database",), "ORACLE_DATABASE": ("database",),
                  "ORACLE_EXADATA": ("database",)}

# (phase, emulator seconds it takes, what it does: the output log's words)
VALIDATION = [
    ("ODMS_VALIDATE_TGT", 40, "Validated the connectivity and privileges of the target database"),
    ("ODMS_VALIDATE_SRC", 40, "Validated the connectivity and privileges of the source database"),
    ("ODMS_VALIDATE_PREMIGRATION_ADVISOR", 90, "Ran the premigration advisor on the source's schemas"),
    ("ODMS_VALIDATE_DATAPUMP_SETTINGS", 20, "Checked the Data Pump settings"),
    ("ODMS_VALIDATE_DATAPUMP_SETTINGS_SRC", 20, "Checked the Data Pump directory objects of the source"),
    ("ODMS_VALIDATE_DATAPUMP_SETTINGS_TGT", 20, "Checked the Data Pump directory objects of the target"),
    ("ODMS_VALIDATE_DATAPUMP_SRC", 30, "Validated a Data Pump export of the source"),
    ("ODMS_VALIDATE_DATAPUMP_ESTIMATE_SRC", 30, "Estimated the size of the source's export"),
]
GG_HUB = ("ODMS_VALIDATE_GG_HUB", 45, "Validated the GoldenGate deployment and its connections")
LOAD = [
    ("ODMS_VALIDATE", 30, "Validated the source and the target once more before the migration"),
    ("ODMS_PREPARE", 60, "Prepared the source and the target for the initial load"),
    ("ODMS_INITIAL_LOAD_EXPORT", 300, "Exported the initial load with Data Pump"),
    ("ODMS_DATA_UPLOAD", 120, "Moved the dump files to the target"),
    ("ODMS_INITIAL_LOAD_IMPORT", 300, "Imported the initial load into the target"),
    ("ODMS_POST_INITIAL_LOAD", 60, "Recompiled invalid objects and gathered statistics on the target"),
]
REPLICATION = [
    ("ODMS_PREPARE_REPLICATION_TARGET", 60, "Prepared the target for replication"),
    ("ODMS_INITIALIZE_REPLICATION_INFRASTRUCTURE", 90, "Started the GoldenGate Extract and Replicat"),
    ("ODMS_MONITOR_REPLICATION_LAG", 180, "Replication lag is within the acceptable lag"),
    ("ODMS_SWITCHOVER", 60, "Stopped replication and switched the application over to the target"),
]
CLEANUP = ("ODMS_CLEANUP", 30, "Removed the temporary artifacts of the migration")


def phases_for(job_type: str, mig_type: str) -> list[tuple[str, int, str]]:
    out = list(VALIDATION)
    if mig_type == "ONLINE":
        out.insert(3, GG_HUB)
    if job_type == "EVALUATION":
        return out
    out += LOAD
    if mig_type == "ONLINE":
        out += REPLICATION
    return out + [CLEANUP]


# ---------------------------------------------------------------- connections

def _not_used(ctx: Context, doc: dict) -> None:
    for m in ctx.list(MIGRATION):
        if m.get("lifecycleState") not in ("DELETING", "DELETED") and doc["id"] in (
                m.get("sourceDatabaseConnectionId"), m.get("targetDatabaseConnectionId")):
            raise conflict(f"The connection is used by the migration {m['displayName']}; delete the migration first")


CONN = svc.resource(Kind(
    CONNECTION, "Connection", "connection", ocid="odmsconnection", ops={"create": "", "update": "", "move": ""},
    lifecycle=Lifecycle("CREATING", "ACTIVE", "UPDATING", "DELETING", "DELETED", failed="FAILED"),
    check_delete=_not_used))


def check_credentials(body: dict, user_field: str, pw_field: str, required: bool = True) -> dict:
    user, pw = body.get(user_field), body.get(pw_field)
    if user is None and pw is None and not required:
        return {}
    if user is None or (isinstance(user, str) and not user.strip()):
        raise ApiError(400, "MissingParameter", f"{user_field} is required")
    if pw is None or pw == "":
        raise ApiError(400, "MissingParameter", f"{pw_field} is required")
    if not isinstance(user, str) or not USER_RE.match(user):
        raise invalid(f"{user_field} '{str(user)[:40]}' is not an Oracle user name: a letter, then letters, digits, "
                      "_ $ or #, at most 128 characters (or a quoted name)")
    if not isinstance(pw, str) or not 1 <= len(pw) <= 30 or '"' in pw:
        raise invalid(f"{pw_field} must be 1 to 30 characters and must not contain a double quote")
    return {user_field: user, f"_{pw_field}Hash": hash_secret(pw)}


def _ocid_of(v: Any, rtype: str, field_name: str) -> str:
    if not isinstance(v, str) or not v.startswith(f"ocid1.{rtype}."):
        raise invalid(f"{field_name} must be the OCID of a {rtype} (ocid1.{rtype}....)")
    return v


def _find_database(ctx: Context, tech: str, ident: str) -> tuple[str, dict]:
    for kind in DATABASE_KINDS.get(tech, ()):
        doc = ctx.find(kind, ident)
        if doc is not None:
            if doc.get("lifecycleState") in ("TERMINATING", "TERMINATED", "DELETED"):
                raise invalid(f"databaseId: the database {ident} is {doc['lifecycleState']}")
            return kind, doc
    what = "Autonomous Database" if tech == "OCI_AUTONOMOUS_DATABASE" else "Base Database (DB system) database"
    raise ApiError(404, "NotAuthorizedOrNotFound", f"databaseId: {str(ident)[:120]} is not an {what} in "
                   f"{ctx.region} or you are not authorized to use it")


@svc.op("create_connection")
def create_connection(ctx: Context):
    body = ctx.body or {}
    if body.get("connectionType") != "ORACLE":
        raise invalid(f"connectionType {body.get('connectionType')!r}: this emulator makes ORACLE connections")
    comp = ctx.compartment(body.get("compartmentId"))
    name = ctx.require(body.get("displayName"), "displayName")
    if len(name) > 255:
        raise invalid("displayName must be at most 255 characters")
    tech = ctx.require(body.get("technologyType"), "technologyType")
    if tech not in TECHNOLOGIES:
        raise invalid(f"technologyType must be one of {', '.join(TECHNOLOGIES)}, got {tech!r}")
    vault = _ocid_of(ctx.require(body.get("vaultId"), "vaultId"), "vault", "vaultId")
    key = _ocid_of(ctx.require(body.get("keyId"), "keyId"), "key", "keyId")
    doc: dict[str, Any] = {"connectionType": "ORACLE", "technologyType": tech, "displayName": name,
                           "description": body.get("description"), "compartmentId": comp["id"], "vaultId": vault,
                           "keyId": key, "nsgIds": body.get("nsgIds") or [], "ingressIps": []}
    doc.update(check_credentials(body, "username", "password"))
    doc.update(check_credentials(body, "replicationUsername", "replicationPassword", required=False))
    if body.get("subnetId"):
        doc["subnetId"] = KINDS["subnet"].find_live(ctx, "subnet", body["subnetId"], "subnetId")["id"]
    db_id, cs = body.get("databaseId"), body.get("connectionString")
    if tech == "OCI_AUTONOMOUS_DATABASE" and not db_id:
        raise ApiError(400, "MissingParameter", "databaseId is required for an Autonomous Database connection")
    if db_id:
        kind, db = _find_database(ctx, tech, db_id)
        doc["databaseId"] = db["id"]
        doc["_databaseKind"] = kind
        strings = db.get("connectionStrings") or {}
        if kind == "autonomous_database":  # an ADB's connection strings are formed from it when read
            from .database_autonomous import connection_strings
            strings = connection_strings(db, ctx.tenancy_id)
        doc["connectionString"] = cs or strings.get("cdbDefault") or strings.get("high") or \
            (strings.get("profiles") or [{}])[0].get("value")
    elif cs is None:
        raise ApiError(400, "MissingParameter", "connectionString is required for a database outside OCI "
                                                "(or give the databaseId of an OCI database)")
    if cs is not None:
        if not isinstance(cs, str) or not (EZCONNECT_RE.match(cs.strip()) or cs.strip().upper().startswith(
                "(DESCRIPTION=")):
            raise invalid("connectionString must be host:port/service_name (EZConnect) or a (DESCRIPTION=...) "
                          "connect descriptor")
        doc["connectionString"] = cs.strip()
    if tech == "AMAZON_RDS_ORACLE" and not cs:
        raise ApiError(400, "MissingParameter", "connectionString is required for Amazon RDS")
    for f in ("sshHost", "sshUser", "sshSudoLocation"):
        if body.get(f) is not None:
            doc[f] = body[f]
    if body.get("sshKey") is not None:
        doc["_sshKeyHash"] = hash_secret(body["sshKey"])
    if body.get("wallet") is not None:
        doc["_walletHash"] = hash_secret(body["wallet"])
    doc["secretId"] = ctx.new_id("vaultsecret")
    doc["timeUpdated"] = ctx.ts()
    created = CONN.create(ctx, body={"compartmentId": comp["id"], "displayName": name,
                                     "freeformTags": body.get("freeformTags"),
                                     "definedTags": body.get("definedTags")}, extra=doc)
    _tracked(ctx, "CREATE_CONNECTION", CONNECTION, created, "connections")
    return created


# ---------------------------------------------------------------- work requests (what the CLI's --wait-for-state
# of a create polls: ACCEPTED ... SUCCEEDED once the resource is ACTIVE)

WR_SERVICE = "database_migration"


def _tracked(ctx: Context, op_type: str, kind: str, doc: dict, path: str) -> None:
    wr = workrequests.start(ctx, WR_SERVICE, op_type, doc["compartmentId"], [
        {"entityType": kind.removeprefix("odms"), "actionType": "CREATED", "identifier": doc["id"],
         "entityUri": f"/20230518/{path}/{doc['id']}"}])
    ctx.schedule(kind, doc["id"], {}, steps=1, when_state=["ACTIVE", "CREATING"], hook="engine.settled",
                 args={"kind": kind, "wr": wr["id"], "event": "wr"})


@svc.op("get_work_request")
def get_work_request(ctx: Context):
    return workrequests._visible(ctx, WR_SERVICE, ctx.path["workRequestId"])


@svc.op("list_work_requests")
def list_work_requests(ctx: Context):
    return {"items": workrequests._list(ctx, WR_SERVICE, newest_first=True)}


# ---------------------------------------------------------------- migrations

def _no_running_job(ctx: Context, doc: dict) -> None:
    job = ctx.find(JOB, doc.get("executingJobId") or "")
    if job is not None and job.get("lifecycleState") in ("ACCEPTED", "IN_PROGRESS", "WAITING"):
        raise conflict(f"The migration has a job {job['lifecycleState']} ({job['id']}); abort it first")


def _refresh_all(ctx: Context) -> None:
    for job in ctx.list(JOB):
        if job.get("lifecycleState") in ("ACCEPTED", "IN_PROGRESS"):
            refresh_job(ctx, job)


MIG = svc.resource(Kind(
    MIGRATION, "Migration", "migration", ocid="odmsmigration", ops={"create": "", "update": "", "move": ""},
    lifecycle=Lifecycle("CREATING", "ACTIVE", "UPDATING", "DELETING", "DELETED", failed="FAILED"),
    live=("CREATING", "ACTIVE", "UPDATING", "IN_PROGRESS", "WAITING", "SUCCEEDED", "NEEDS_ATTENTION", "ACCEPTED"),
    check_delete=_no_running_job, on_read=_refresh_all))
JOBS = svc.resource(Kind(
    JOB, "Job", "job", ocid="odmsjob", compartment=False, ops={"create": "", "update": "", "delete": ""},
    lifecycle=Lifecycle(None, "SUCCEEDED", None, None, None), on_read=_refresh_all))


def _connection(ctx: Context, ident: Any, field_name: str) -> dict:
    doc = CONN.find_live(ctx, CONNECTION, ctx.require(ident, field_name), field_name)
    if doc.get("lifecycleState") != "ACTIVE":
        raise invalid(f"{field_name}: the connection {doc['displayName']} is {doc['lifecycleState']}")
    return doc


def _medium(v: Any) -> dict:
    if v is None:
        return {"type": "DBLINK"}
    if not isinstance(v, dict) or v.get("type") not in MEDIA:
        raise invalid(f"dataTransferMediumDetails.type must be one of {', '.join(MEDIA)}")
    out = {"type": v["type"]}
    bucket = v.get("objectStorageBucket")
    if v["type"] in ("OBJECT_STORAGE", "NFS", "AWS_S3") or bucket is not None:
        if not isinstance(bucket, dict) or not bucket.get("bucketName") or not bucket.get("namespaceName"):
            raise ApiError(400, "MissingParameter", "dataTransferMediumDetails.objectStorageBucket (namespaceName "
                                                    f"and bucketName) is required with {v['type']}")
        out["objectStorageBucket"] = {"namespaceName": bucket["namespaceName"], "bucketName": bucket["bucketName"]}
    if v["type"] == "AWS_S3":
        for f in ("name", "region", "accessKeyId", "secretAccessKey"):
            if not v.get(f):
                raise ApiError(400, "MissingParameter", f"dataTransferMediumDetails.{f} is required with AWS_S3")
        out.update(name=v["name"], region=v["region"], accessKeyId=v["accessKeyId"])
    if v.get("name") and v["type"] == "DBLINK":
        out["name"] = v["name"]
    return out


@svc.op("create_migration")
def create_migration(ctx: Context):
    body = ctx.body or {}
    if body.get("databaseCombination") != "ORACLE":
        raise invalid(f"databaseCombination {body.get('databaseCombination')!r}: this emulator migrates ORACLE "
                      "databases")
    mtype = ctx.require(body.get("type"), "type")
    if mtype not in ("OFFLINE", "ONLINE"):
        raise invalid(f"type must be OFFLINE or ONLINE, got {mtype!r}")
    src = _connection(ctx, body.get("sourceDatabaseConnectionId"), "sourceDatabaseConnectionId")
    tgt = _connection(ctx, body.get("targetDatabaseConnectionId"), "targetDatabaseConnectionId")
    if src["id"] == tgt["id"]:
        raise invalid("The source and the target must be different connections")
    if tgt["technologyType"] not in TARGETS or not tgt.get("databaseId"):
        raise invalid("targetDatabaseConnectionId: the target must be an OCI database (an Autonomous Database or a "
                      "Base Database database), given by its databaseId")
    extra: dict[str, Any] = {
        "databaseCombination": "ORACLE", "type": mtype, "description": body.get("description"),
        "sourceDatabaseConnectionId": src["id"], "targetDatabaseConnectionId": tgt["id"],
        "dataTransferMediumDetails": _medium(body.get("dataTransferMediumDetails")),
        "lifecycleDetails": "READY", "timeUpdated": ctx.ts(), "systemTags": {}}
    ils = body.get("initialLoadSettings") or {}
    mode = ils.get("jobMode") or "SCHEMA"
    if mode not in JOB_MODES:
        raise invalid(f"initialLoadSettings.jobMode must be one of {', '.join(JOB_MODES)}")
    extra["initialLoadSettings"] = {"jobMode": mode, **{k: v for k, v in ils.items() if k != "jobMode" and v}}
    adv = body.get("advisorSettings") or {}
    extra["advisorSettings"] = {"isSkipAdvisor": bool(adv.get("isSkipAdvisor")),
                                "isIgnoreErrors": bool(adv.get("isIgnoreErrors"))}
    if mtype == "ONLINE":
        ggs = body.get("ggsDetails") or {}
        lag = ggs.get("acceptableLag", 30)
        if not isinstance(lag, int) or not 2 <= lag <= 30:
            raise invalid("ggsDetails.acceptableLag must be 2 to 30 seconds")
        extra["ggsDetails"] = {"acceptableLag": lag, "extract": ggs.get("extract") or {"performanceProfile": "LOW"},
                               "replicat": ggs.get("replicat") or {"performanceProfile": "LOW"}}
    elif body.get("ggsDetails"):
        raise invalid("ggsDetails are the settings of an ONLINE migration")
    if body.get("migrationSettings") is not None:
        extra["migrationSettings"] = body["migrationSettings"]
    doc = MIG.create(ctx, body={"compartmentId": body.get("compartmentId"), "displayName": body.get("displayName"),
                                "freeformTags": body.get("freeformTags"), "definedTags": body.get("definedTags")},
                     extra=extra)
    _tracked(ctx, "CREATE_MIGRATION", MIGRATION, doc, "migrations")
    return doc


# ---------------------------------------------------------------- jobs

def _phase_docs(job: dict) -> list[dict]:
    return job["progress"]["phases"]


def _reachable(ctx: Context, conn_id: str) -> str | None:
    """Why the connection's database cannot be reached now, or None."""
    conn = ctx.store.get(CONNECTION, conn_id)
    if conn is None or conn.get("lifecycleState") != "ACTIVE":
        return "the connection no longer exists"
    if not conn.get("databaseId"):
        return None
    db = ctx.store.get(conn.get("_databaseKind") or "database", conn["databaseId"])
    if db is None or db.get("lifecycleState") != "AVAILABLE":
        return f"the database {conn['databaseId']} is {db.get('lifecycleState') if db else 'gone'}"
    if conn.get("_databaseKind") == "database":
        nodes = [n for n in ctx.store.by_field("dbnode", "dbSystemId", db["dbSystemId"])]
        if nodes and not any(n.get("lifecycleState") == "AVAILABLE" for n in nodes):
            return "no DB node of its DB system is running (ORA-12541: TNS:no listener)"
    return None


def _log(job: dict, t: float, text: str) -> None:
    job["_log"].append(f"{ts(t)} {text}")


def refresh_job(ctx: Context, job: dict) -> dict:
    """Move a running job through its phases up to now."""
    if job.get("lifecycleState") not in ("ACCEPTED", "IN_PROGRESS"):
        return job
    job = dict(job, progress=dict(job["progress"], phases=[dict(p) for p in _phase_docs(job)]), _log=list(job["_log"]),
               _starts=dict(job["_starts"]))
    mig = ctx.store.get(MIGRATION, job["migrationId"]) or {}
    phases = _phase_docs(job)
    t = job["_anchor"]
    now = ctx.now
    state, details = "IN_PROGRESS", None
    for p in phases:
        if p["status"] == "COMPLETED":
            continue
        dur = job["_durations"][p["name"]]
        if p["status"] == "PENDING":
            if t > now:
                break
            p["status"] = "STARTED"
            job["_starts"][p["name"]] = t
            _log(job, t, f"{p['name']} started")
        start = job["_starts"][p["name"]]
        if start + dur > now:
            p["progress"] = int((now - start) * 100 / dur)
            p["durationInMs"] = int((now - start) * 1000)
            break
        end = start + dur
        why = None
        if p["name"] == "ODMS_VALIDATE_TGT":
            why = _reachable(ctx, mig.get("targetDatabaseConnectionId", ""))
        elif p["name"] == "ODMS_VALIDATE_SRC":
            why = _reachable(ctx, mig.get("sourceDatabaseConnectionId", ""))
        p["durationInMs"] = dur * 1000
        if why:
            p["status"], p["progress"] = "FAILED", 100
            p["issue"] = f"Cannot connect: {why}"
            p["action"] = "Make the database reachable, then evaluate the migration again"
            _log(job, end, f"{p['name']} failed: {why}")
            state, details = "FAILED", f"{p['name']} failed"
            break
        p["status"], p["progress"] = "COMPLETED", 100
        _log(job, end, f"{p['name']} completed in {dur} s: {job['_words'][p['name']]}")
        t = end
        job["_anchor"] = end
        if p["name"] == job.get("_waitAfter") and p is not phases[-1]:
            state, details = "WAITING", f"Paused after {p['name']}: resume the job to go on"
            _log(job, end, f"Job paused after {p['name']} (waitAfter)")
            break
    else:
        state = "SUCCEEDED"
        _log(job, t, f"Job {job['type']} succeeded")
    current = next((p for p in phases if p["status"] in ("STARTED", "FAILED")), None) or \
        next((p for p in reversed(phases) if p["status"] == "COMPLETED"), phases[0])
    job["progress"]["currentPhase"] = current["name"]
    job["progress"]["currentStatus"] = current["status"]
    job.update(lifecycleState=state, lifecycleDetails=details, timeUpdated=ts(now))
    ctx.update(JOB, job["id"], job)
    if mig:
        _migration_follows(ctx, mig, job)
    return job


def _migration_follows(ctx: Context, mig: dict, job: dict) -> None:
    st = job["lifecycleState"]
    evaluation = job["type"] == "EVALUATION"
    if st == "IN_PROGRESS":
        changes = {"lifecycleState": "IN_PROGRESS", "lifecycleDetails": "VALIDATING" if evaluation else "MIGRATING"}
    elif st == "WAITING":
        changes = {"lifecycleState": "WAITING", "lifecycleDetails": "WAITING"}
    elif st == "SUCCEEDED":
        changes = {"lifecycleState": "ACTIVE", "lifecycleDetails": "VALIDATED"} if evaluation else \
            {"lifecycleState": "SUCCEEDED", "lifecycleDetails": "DONE", "timeLastMigration": ts(ctx.now)}
    elif st == "FAILED":
        changes = {"lifecycleState": "NEEDS_ATTENTION", "lifecycleDetails": "READY"}
    else:  # TERMINATED
        changes = {"lifecycleState": "ACTIVE", "lifecycleDetails": "READY"}
    changes["timeUpdated"] = ts(ctx.now)
    ctx.update(MIGRATION, mig["id"], changes)


def _new_job(ctx: Context, job_type: str) -> dict:
    mig = ctx.get_for_write(MIGRATION, ctx.path["migrationId"], "migration")
    _refresh_all(ctx)
    mig = ctx.store.get(MIGRATION, mig["id"]) or mig
    _no_running_job(ctx, mig)
    allowed = ("ACTIVE", "NEEDS_ATTENTION") + (("SUCCEEDED",) if job_type == "EVALUATION" else ())
    if mig.get("lifecycleState") not in allowed:
        raise incorrect_state(f"The migration is {mig.get('lifecycleState')}; it can be "
                              f"{'evaluated' if job_type == 'EVALUATION' else 'started'} when " + " or ".join(allowed))
    phases = phases_for(job_type, mig["type"])
    if mig.get("advisorSettings", {}).get("isSkipAdvisor"):
        phases = [p for p in phases if p[0] != "ODMS_VALIDATE_PREMIGRATION_ADVISOR"]
    wait_after = (ctx.body or {}).get("waitAfter")
    names = [p[0] for p in phases]
    if wait_after is not None and (wait_after not in names or wait_after == names[-1]):
        raise invalid(f"waitAfter must be a phase of this job before its last ({', '.join(names[:-1])}), "
                      f"got {wait_after!r}")
    now = ctx.now
    ident = ctx.new_id("odmsjob")
    job = {
        "id": ident, "_region": ctx.region, "compartmentId": mig["compartmentId"], "migrationId": mig["id"],
        "displayName": f"{'Evaluation' if job_type == 'EVALUATION' else 'Migration'} "
                       f"{mig['displayName']} {ts(now)[:19]}",
        "type": job_type, "timeCreated": ts(now), "timeUpdated": ts(now), "lifecycleState": "ACCEPTED",
        "progress": {"currentStatus": "PENDING", "currentPhase": names[0], "phases": [
            {"name": n, "status": "PENDING", "durationInMs": 0, "progress": 0, "isAdvisorReportAvailable":
             n == "ODMS_VALIDATE_PREMIGRATION_ADVISOR", "isSuspendAvailable": n in (
                 "ODMS_INITIAL_LOAD_EXPORT", "ODMS_INITIAL_LOAD_IMPORT", "ODMS_MONITOR_REPLICATION_LAG")}
            for n in names]},
        "unsupportedObjects": [], "freeformTags": {}, "definedTags": {}, "systemTags": {},
        "_durations": {p[0]: p[1] for p in phases}, "_words": {p[0]: p[2] for p in phases},
        "_anchor": now + 5, "_waitAfter": wait_after, "_starts": {},
        "_log": [f"{ts(now)} Job {job_type} accepted for migration {mig['displayName']} ({mig['type']})"]}
    ctx.put(JOB, job)
    ctx.update(MIGRATION, mig["id"], {"executingJobId": ident, "waitAfter": wait_after, "lifecycleState": "ACCEPTED",
                                      "lifecycleDetails": "VALIDATING" if job_type == "EVALUATION" else "MIGRATING",
                                      "timeUpdated": ts(now)})
    job = dict(job, lifecycleState="IN_PROGRESS")
    ctx.update(JOB, ident, {"lifecycleState": "IN_PROGRESS"})
    return refresh_job(ctx, job)


@svc.op("evaluate_migration")
def evaluate_migration(ctx: Context):
    return _new_job(ctx, "EVALUATION")


@svc.op("start_migration")
def start_migration(ctx: Context):
    return _new_job(ctx, "MIGRATION")


def _job_for_action(ctx: Context) -> dict:
    job = ctx.get_for_write(JOB, ctx.path["jobId"], "job")
    return refresh_job(ctx, job)


@svc.op("resume_job")
def resume_job(ctx: Context):
    job = _job_for_action(ctx)
    if job.get("lifecycleState") != "WAITING":
        raise incorrect_state(f"The job is {job.get('lifecycleState')}; only a WAITING job can be resumed")
    names = [p["name"] for p in _phase_docs(job)]
    done = [p["name"] for p in _phase_docs(job) if p["status"] == "COMPLETED"]
    wait_after = (ctx.body or {}).get("waitAfter")
    later = names[len(done):-1]
    if wait_after is not None and wait_after not in later:
        raise invalid(f"waitAfter must be a phase still to come ({', '.join(later) or 'none'}), got {wait_after!r}")
    job = dict(job, _log=list(job["_log"]))
    _log(job, ctx.now, "Job resumed" + (f"; it will pause after {wait_after}" if wait_after else ""))
    job.update(lifecycleState="IN_PROGRESS", lifecycleDetails=None, _anchor=ctx.now, _waitAfter=wait_after)
    ctx.update(JOB, job["id"], job)
    mig = ctx.store.get(MIGRATION, job["migrationId"])
    if mig is not None:
        ctx.update(MIGRATION, mig["id"], {"waitAfter": wait_after})
    return refresh_job(ctx, job)


@svc.op("abort_job")
def abort_job(ctx: Context):
    job = _job_for_action(ctx)
    if job.get("lifecycleState") not in ("IN_PROGRESS", "WAITING", "ACCEPTED"):
        raise incorrect_state(f"The job is {job.get('lifecycleState')}; it has ended already")
    job = dict(job, _log=list(job["_log"]), progress=dict(job["progress"]))
    _log(job, ctx.now, "Job aborted")
    job.update(lifecycleState="TERMINATED", lifecycleDetails="Aborted", timeUpdated=ctx.ts())
    ctx.update(JOB, job["id"], job)
    mig = ctx.store.get(MIGRATION, job["migrationId"])
    if mig is not None:
        _migration_follows(ctx, mig, job)
    return job


@svc.op("list_jobs")
def list_jobs(ctx: Context):
    _refresh_all(ctx)
    mig = ctx.get(MIGRATION, ctx.require(ctx.query.get("migrationId"), "migrationId"), "migration")
    jobs = [j for j in ctx.store.by_field(JOB, "migrationId", mig["id"])]
    if ctx.query.get("jobIdNotEqualTo"):
        jobs = [j for j in jobs if j["id"] != ctx.query["jobIdNotEqualTo"]]
    jobs.sort(key=lambda j: j["timeCreated"], reverse=ctx.query.get("sortOrder") != "ASC")
    return {"items": [dict(j, progress=_summary(j)) for j in jobs]}


def _summary(job: dict) -> dict:
    """MigrationJobProgressSummary: the current phase and the share of phases done."""
    ph = _phase_docs(job)
    done = sum(p["status"] == "COMPLETED" for p in ph)
    return {"currentPhase": job["progress"]["currentPhase"], "currentStatus": job["progress"]["currentStatus"],
            "jobProgress": int(done * 100 / len(ph)) if ph else 0}


@svc.op("list_job_outputs")
def list_job_outputs(ctx: Context):
    job = JOBS.get(ctx, ctx.path["jobId"])
    return {"items": [{"message": line} for line in job["_log"]]}


@svc.op("get_job_output_content")
def get_job_output_content(ctx: Context):
    job = JOBS.get(ctx, ctx.path["jobId"])
    return Result(raw=("\n".join(job["_log"]) + "\n").encode(), content_type="text/plain")


@svc.op("retrieve_supported_phases")
def retrieve_supported_phases(ctx: Context):
    mig = MIG.get(ctx, ctx.path["migrationId"])
    names = [p[0] for p in phases_for("MIGRATION", mig["type"])]
    return {"items": [{"name": n, "supportedActions": ["WAIT"] if n != names[-1] else [],
                       "recommendedAction": "WAIT" if n in ("ODMS_VALIDATE", "ODMS_MONITOR_REPLICATION_LAG") else None}
                      for n in names]}
