"""Database Migration kinds (tree group "Database"): migrations and their connections.

- Connections: the create dialog picks where the database is (an Autonomous Database, a DB system's database,
  or outside OCI with its connect string), the user and password (kept by the service in the named vault; never
  shown again), the vault and key; Delete.
- Migrations: the create dialog joins a source and a target connection (the target an OCI database), offline or
  online, with the data transfer medium and the initial load's job mode; Evaluate, Start… (optionally pausing
  after a phase), Resume, Abort and Delete; the latest job's phases as a progress timeline and its output log.
"""

from __future__ import annotations

import re

from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..services import database as svc
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .generic import SdkRef, delete_action, getter
from .model import Action, Column, Related, RelatedItem, ResourceKind, attr, no_run

M = sdk_models("database_migration")
CONN_REF = SdkRef("database_migration", "connection", cli="database-migration connection")
MIG_REF = SdkRef("database_migration", "migration", cli="database-migration migration")
GROUP = "Database"
USER_RE = re.compile(r'[A-Za-z][A-Za-z0-9_$#]{0,127}|"[^"]{1,128}"')
EZCONNECT_RE = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?/[A-Za-z0-9._$#\-]+")
WHERE = {"adb": "Autonomous Database", "dbsystem": "Database of a DB system", "onprem": "Database outside OCI"}
PHASE_NAMES = {
    "ODMS_VALIDATE_TGT": "Validate target", "ODMS_VALIDATE_SRC": "Validate source",
    "ODMS_VALIDATE_PREMIGRATION_ADVISOR": "Premigration advisor", "ODMS_VALIDATE_GG_HUB": "Validate GoldenGate hub",
    "ODMS_VALIDATE_DATAPUMP_SETTINGS": "Validate Data Pump settings",
    "ODMS_VALIDATE_DATAPUMP_SETTINGS_SRC": "Validate Data Pump (source)",
    "ODMS_VALIDATE_DATAPUMP_SETTINGS_TGT": "Validate Data Pump (target)",
    "ODMS_VALIDATE_DATAPUMP_SRC": "Validate Data Pump export", "ODMS_VALIDATE_DATAPUMP_ESTIMATE_SRC": "Estimate size",
    "ODMS_VALIDATE": "Validate", "ODMS_PREPARE": "Prepare", "ODMS_INITIAL_LOAD_EXPORT": "Initial load: export",
    "ODMS_DATA_UPLOAD": "Upload data", "ODMS_INITIAL_LOAD_IMPORT": "Initial load: import",
    "ODMS_POST_INITIAL_LOAD": "Post initial load", "ODMS_PREPARE_REPLICATION_TARGET": "Prepare replication target",
    "ODMS_INITIALIZE_REPLICATION_INFRASTRUCTURE": "Start replication",
    "ODMS_MONITOR_REPLICATION_LAG": "Monitor replication lag", "ODMS_SWITCHOVER": "Switchover",
    "ODMS_CLEANUP": "Clean up"}
OFFLINE_PAUSES = ("ODMS_VALIDATE", "ODMS_PREPARE", "ODMS_INITIAL_LOAD_EXPORT", "ODMS_DATA_UPLOAD",
                  "ODMS_INITIAL_LOAD_IMPORT", "ODMS_POST_INITIAL_LOAD")
ONLINE_PAUSES = OFFLINE_PAUSES + ("ODMS_PREPARE_REPLICATION_TARGET", "ODMS_INITIALIZE_REPLICATION_INFRASTRUCTURE",
                                  "ODMS_MONITOR_REPLICATION_LAG", "ODMS_SWITCHOVER")


# ---------------------------------------------------------------- connections

def _ocid_check(rtype: str):
    def check(v, *_a):
        return None if isinstance(v, str) and v.strip().startswith(f"ocid1.{rtype}.") else \
            f"The OCID of a {rtype} (ocid1.{rtype}....)"
    return check


def _user_check(v, *_a) -> str | None:
    return None if isinstance(v, str) and USER_RE.fullmatch(v.strip()) else \
        "An Oracle user: a letter, then letters, digits, _ $ # (at most 128), or a quoted name"


def _password_check(v, *_a) -> str | None:
    if not isinstance(v, str) or not 1 <= len(v) <= 30:
        return "1 to 30 characters"
    return "No double quotes" if '"' in v else None


def _connect_check(v, *_a) -> str | None:
    t = (v or "").strip()
    return None if EZCONNECT_RE.fullmatch(t) or t.upper().startswith("(DESCRIPTION=") else \
        "host:port/service_name, or a (DESCRIPTION=...) connect descriptor"


async def _databases(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    if values.get("where") == "adb":
        adbs = await ctx.session.list_all("database", "list_autonomous_databases", comp)
        return [Option(a.id, f"{a.display_name} ({a.db_name}, {a.lifecycle_state})", a) for a in adbs
                if a.lifecycle_state not in ("TERMINATED", "TERMINATING")]
    if values.get("where") == "dbsystem":
        return [Option(d.id, f"{d.db_name} — {d.db_unique_name} ({d.lifecycle_state})", d)
                for d in await svc.list_databases(ctx.session, comp) if d.lifecycle_state not in svc.GONE]
    return []


def _in_oci(v, _c=None) -> bool:
    return v.get("where") in ("adb", "dbsystem")


def _connection_request(v: dict, ctx: FormContext) -> Request:
    where = v["where"]
    details = M.CreateOracleConnectionDetails(
        display_name=v["display_name"].strip(), compartment_id=v["compartment_id"],
        description=(v.get("description") or "").strip() or None,
        technology_type="OCI_AUTONOMOUS_DATABASE" if where == "adb" else "ORACLE_DATABASE",
        database_id=v["database_id"] if _in_oci(v) else None,
        connection_string=(v.get("connection_string") or "").strip() or None if where == "onprem" else None,
        username=v["username"].strip(), password=v["password"], vault_id=v["vault_id"].strip(),
        key_id=v["key_id"].strip())
    return Request("database_migration", "create_connection", details, secret_env={"password": "DB_PASSWORD"})


def _connection_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command(f"{CONN_REF.cli} create-oracle-connection", [
        ("--compartment-id", d.compartment_id), ("--display-name", d.display_name),
        ("--technology-type", d.technology_type), ("--database-id", d.database_id),
        ("--connection-string", d.connection_string), ("--username", d.username), ("--vault-id", d.vault_id),
        ("--key-id", d.key_id), ("--wait-for-state", "SUCCEEDED")]) + ' \\\n    --password "$DB_PASSWORD"'


CONNECTION_FORM = FormSpec(
    title=N_("Create database connection"), kind_id="database_migration.connection",
    fields=[
        Field("display_name", N_("Name"), "text", required=True, placeholder=N_("erp-source")),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("description", N_("Description"), "text"),
        Field("where", N_("Database"), "enum", required=True, default="dbsystem",
              options=[Option(k, label) for k, label in WHERE.items()]),
        Field("database_id", N_("Database in OCI"), "choice", required=True, options=_databases,
              depends_on=("where", "compartment_id"), visible=_in_oci),
        Field("connection_string", N_("Connect string"), "text", required=True, depends_on=("where",),
              placeholder=N_("db.example.com:1521/ORCLPDB"), validate=_connect_check,
              visible=lambda v, _c: v.get("where") == "onprem"),
        Field("username", N_("User"), "text", required=True, default="SYSTEM", validate=_user_check),
        Field("password", N_("Password"), "password", required=True, validate=_password_check,
              help=N_("Kept by the service as a secret in the vault below; it is never shown again")),
        Field("vault_id", N_("Vault OCID"), "text", required=True, validate=_ocid_check("vault"),
              placeholder=N_("ocid1.vault.oc1...")),
        Field("key_id", N_("Master encryption key OCID"), "text", required=True, validate=_ocid_check("key"),
              placeholder=N_("ocid1.key.oc1...")),
    ],
    build=_connection_request, cli=_connection_cli)


async def _connection_usage(session, conn) -> list[RelatedItem]:
    out = [RelatedItem("Technology", conn.technology_type or "")]
    if getattr(conn, "database_id", None):
        out.append(RelatedItem("Database", conn.database_id, conn.database_id))
    if getattr(conn, "connection_string", None):
        out.append(RelatedItem("Connect string", conn.connection_string))
    out.append(RelatedItem("User", getattr(conn, "username", "") or ""))
    out.append(RelatedItem("Credentials", f"kept in the vault as secret {conn.secret_id}" if conn.secret_id
                           else "kept in the vault"))
    for m in await svc.list_migrations(session, conn.compartment_id):
        if conn.id in (m.source_database_connection_id, m.target_database_connection_id) and \
                m.lifecycle_state != "DELETED":
            side = "source" if conn.id == m.source_database_connection_id else "target"
            out.append(RelatedItem(f"Used as {side} by", m.display_name, m.id))
    return out


CONNECTIONS = ResourceKind(
    id="database_migration.connection", label=N_("Migration connections"), singular=N_("Migration connection"),
    group=GROUP, icon="link", order=31, list=svc.list_connections, get=getter(CONN_REF),
    ocid_types=("odmsconnection",), movable=False,
    columns=[
        Column(N_("Name"), attr("display_name"), width=180),
        Column(N_("State"), attr("lifecycle_state"), "state", width=90),
        Column(N_("Technology"), attr("technology_type"), width=190),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Connection"), _connection_usage)],
    actions=[delete_action(CONN_REF, frozenset({"ACTIVE", "FAILED", "INACTIVE"}))],
    create=CONNECTION_FORM, ready_states=frozenset({"ACTIVE"}), sdk=CONN_REF,
)


# ---------------------------------------------------------------- migrations

async def _connections(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    return [Option(c.id, f"{c.display_name} ({c.technology_type})", c)
            for c in await svc.list_connections(ctx.session, comp) if c.lifecycle_state == "ACTIVE"]


def _target_check(v, values, ctx: FormContext) -> str | None:
    if v and v == values.get("source_id"):
        return "The target must be another connection than the source"
    return None


def _online(v, _c=None) -> bool:
    return v.get("type") == "ONLINE"


def _needs_bucket(v, _c=None) -> bool:
    return v.get("medium") == "OBJECT_STORAGE"


def _migration_request(v: dict, ctx: FormContext) -> Request:
    if _needs_bucket(v):
        medium = M.CreateOracleObjectStorageDataTransferMediumDetails(object_storage_bucket=M.CreateObjectStoreBucket(
            namespace_name=v["namespace"].strip(), bucket_name=v["bucket"].strip()))
    else:
        medium = M.CreateOracleDbLinkDataTransferMediumDetails()
    details = M.CreateOracleMigrationDetails(
        display_name=v["display_name"].strip(), compartment_id=v["compartment_id"], database_combination="ORACLE",
        type=v["type"], source_database_connection_id=v["source_id"], target_database_connection_id=v["target_id"],
        data_transfer_medium_details=medium, initial_load_settings=M.CreateOracleInitialLoadSettings(
            job_mode=v["job_mode"]),
        ggs_details=M.CreateOracleGgsDeploymentDetails(acceptable_lag=int(v["lag"])) if _online(v) else None)
    return Request("database_migration", "create_migration", details)


def _migration_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command(f"{MIG_REF.cli} create-oracle-migration", [
        ("--compartment-id", d.compartment_id), ("--display-name", d.display_name), ("--type", d.type),
        ("--source-database-connection-id", d.source_database_connection_id),
        ("--target-database-connection-id", d.target_database_connection_id),
        ("--data-transfer-medium-details", d.data_transfer_medium_details),
        ("--initial-load-settings", d.initial_load_settings), ("--ggs-details", d.ggs_details),
        ("--wait-for-state", "SUCCEEDED")])


MIGRATION_FORM = FormSpec(
    title=N_("Create migration"), kind_id="database_migration.migration",
    fields=[
        Field("display_name", N_("Name"), "text", required=True, placeholder=N_("erp-to-cloud")),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("type", N_("Type"), "enum", required=True, default="OFFLINE",
              options=[Option("OFFLINE", N_("Offline (Data Pump: the source is frozen during the copy)")),
                       Option("ONLINE", N_("Online (Data Pump, then GoldenGate replication until switchover)"))]),
        Field("source_id", N_("Source connection"), "choice", required=True, options=_connections,
              depends_on=("compartment_id",), create_kind="database_migration.connection"),
        Field("target_id", N_("Target connection"), "choice", required=True, options=_connections,
              depends_on=("compartment_id", "source_id"), validate=_target_check,
              create_kind="database_migration.connection",
              help=N_("An Autonomous Database or a DB system's database")),
        Field("medium", N_("Data transfer"), "enum", required=True, default="DBLINK",
              options=[Option("DBLINK", N_("Database link")), Option("OBJECT_STORAGE", N_("Object Storage bucket"))]),
        Field("namespace", N_("Object Storage namespace"), "text", required=True, depends_on=("medium",),
              visible=_needs_bucket),
        Field("bucket", N_("Bucket"), "text", required=True, depends_on=("medium",), visible=_needs_bucket),
        Field("job_mode", N_("Initial load"), "enum", required=True, default="SCHEMA",
              options=[Option(m, m.title()) for m in ("SCHEMA", "FULL", "TABLE", "TABLESPACE", "TRANSPORTABLE")]),
        Field("lag", N_("Acceptable replication lag (s)"), "number", required=True, default=30, depends_on=("type",),
              visible=_online, bounds=lambda *_: (2, 30, 1)),
    ],
    build=_migration_request, cli=_migration_cli)


def start_form(m) -> FormSpec:
    pauses = ONLINE_PAUSES if m.type == "ONLINE" else OFFLINE_PAUSES

    def build(v: dict, ctx: FormContext) -> Request:
        details = M.StartMigrationDetails(wait_after=v.get("wait_after") or None)

        async def run(session, retry_token: str, step):
            # the answer is the job; what the activity follows is the migration it moves
            await session.call("database_migration", "start_migration", m.id, start_migration_details=details,
                               opc_retry_token=retry_token)
            step("Job started")
            return await session.data("database_migration", "get_migration", m.id)
        return Request("database_migration", "start_migration", args=(m.id,),
                       kwargs={"start_migration_details": details}, run=run,
                       python_after="migration = client.get_migration(" + repr(m.id) + ").data")

    def cli(v, ctx, req: Request) -> str:
        return cli_command(f"{MIG_REF.cli} start", [("--migration-id", m.id),
                                                    ("--wait-after", v.get("wait_after") or None)])

    return FormSpec(
        title=f"Start migration {m.display_name}", kind_id="database_migration.migration",
        fields=[Field("wait_after", N_("Pause after"), "enum", default="",
                      options=[Option("", N_("Do not pause"))] + [Option(p, PHASE_NAMES[p]) for p in pauses],
                      help=N_("The job waits after this phase until you resume it "
                              "(for example before the switchover)"))],
        build=build, cli=cli, submit_label=N_("Start"), describe=lambda v: m.display_name,
        op_title=lambda v: f"Start migration {m.display_name}")


async def _latest_job(session, m):
    if m.executing_job_id:
        return await session.data("database_migration", "get_job", m.executing_job_id)
    jobs = await svc.list_jobs(session, m.id)
    return await session.data("database_migration", "get_job", jobs[0].id) if jobs else None


def phase_line(p) -> str:
    mark = {"COMPLETED": "✔", "STARTED": "▶", "FAILED": "✖", "PENDING": "·"}.get(p.status, "?")
    if p.status == "COMPLETED":
        return f"{mark} done in {round((p.duration_in_ms or 0) / 1000)} s"
    if p.status == "STARTED":
        n = int(p.progress or 0)
        return f"{mark} {'█' * (n // 10)}{'░' * (10 - n // 10)} {n} %"
    if p.status == "FAILED":
        return f"{mark} failed: {p.issue or ''}"
    return f"{mark} pending"


async def _timeline(session, m) -> list[RelatedItem]:
    job = await _latest_job(session, m)
    if job is None:
        return [RelatedItem("Job", "None yet: Evaluate, then Start")]
    phases = job.progress.phases if job.progress else []
    done = sum(p.status == "COMPLETED" for p in phases)
    out = [RelatedItem("Job", f"{job.type} {job.lifecycle_state}: {done}/{len(phases)} phases"
                       + (f" — {job.lifecycle_details}" if job.lifecycle_details else ""))]
    out += [RelatedItem(PHASE_NAMES.get(p.name, p.name), phase_line(p)) for p in phases]
    return out


async def _output(session, m) -> list[RelatedItem]:
    job = await _latest_job(session, m)
    if job is None:
        return []
    return [RelatedItem(line[:19].replace("T", " "), line[25:]) for line in await svc.job_output(session, job.id)]


async def _ends(session, m) -> list[RelatedItem]:
    return [RelatedItem("Source", m.source_database_connection_id, m.source_database_connection_id),
            RelatedItem("Target", m.target_database_connection_id, m.target_database_connection_id)]


def _job_call(method: str):
    async def run(session, m, _options):
        job = await _latest_job(session, m)
        if job is None:
            from ..core.errors import OciError
            raise OciError(f"The migration {m.display_name} has no job", code="NoJob", kind="input")
        await session.call("database_migration", method, job.id)
    return run


async def _evaluate(session, m, _options):
    await session.call("database_migration", "evaluate_migration", m.id)


async def _list_migrations(session, compartment_id: str) -> list:
    return await svc.list_migrations(session, compartment_id)


RESTING = frozenset({"ACTIVE", "SUCCEEDED", "WAITING", "NEEDS_ATTENTION", "FAILED"})
MIGRATIONS = ResourceKind(
    id="database_migration.migration", label=N_("Migrations"), singular=N_("Migration"), group=GROUP, icon="upload",
    order=30, list=_list_migrations, get=getter(MIG_REF), ocid_types=("odmsmigration",), movable=False,
    columns=[
        Column(N_("Name"), attr("display_name"), width=180),
        Column(N_("State"), attr("lifecycle_state"), "state", width=110),
        Column(N_("Details"), attr("lifecycle_details"), width=90),
        Column(N_("Type"), attr("type"), width=70),
        Column(N_("Last migration"), attr("time_last_migration"), "datetime", width=150),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Job phases"), _timeline), Related(N_("Connections"), _ends), Related(N_("Job output"),
                                                                                              _output)],
    actions=[
        Action("evaluate", N_("Evaluate"), _evaluate, frozenset({"ACTIVE", "NEEDS_ATTENTION", "SUCCEEDED"}),
               target_states=RESTING, icon="report", verb=N_("Evaluating")),
        Action("start", N_("Start…"), no_run, frozenset({"ACTIVE", "NEEDS_ATTENTION"}), form=start_form,
               target_states=RESTING, icon="start", verb=N_("Migrating")),
        Action("resume", N_("Resume"), _job_call("resume_job"), frozenset({"WAITING"}),
               target_states=RESTING - {"WAITING"}, icon="start", verb=N_("Resuming")),
        Action("abort", N_("Abort job"), _job_call("abort_job"), frozenset({"IN_PROGRESS", "WAITING", "ACCEPTED"}),
               destructive=True, confirm="name", target_states=frozenset({"ACTIVE"}), icon="stop",
               verb=N_("Aborting the job of")),
        delete_action(MIG_REF, frozenset({"ACTIVE", "SUCCEEDED", "NEEDS_ATTENTION", "FAILED", "INACTIVE"})),
    ],
    create=MIGRATION_FORM, ready_states=RESTING, sdk=MIG_REF,
)

KINDS = [MIGRATIONS, CONNECTIONS]
