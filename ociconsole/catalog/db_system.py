"""Base Database Service kinds (tree group "Database"): DB systems, their DB nodes, databases, backups and Data
Guard associations.

- DB systems: the launch dialog (shape of `list_db_system_shapes` with its cores, edition, nodes, storage
  management and size, SSH keys, VCN and subnet, hostname; the DB home's version of `list_db_versions`; the
  database's name, PDB, admin password with OCI's rules and its confirmation, character sets, automatic
  backups with their retention and window), Terminate (typed name), the `oci_database` metrics tab; related:
  its DB nodes, databases and DB homes, and the Data Guard picture.
- DB nodes: Start, Stop, Soft reset, Reset (in the states OCI allows them).
- Databases: Back up now…, Backup settings…, Restore…, Enable Data Guard… (a standby on a new DB system or an
  existing one); related: backups, connection strings, Data Guard roles as a picture of primary and standby.
- Backups: Delete (on-demand ones; automatic ones expire with the recovery window).
- Data Guard associations: Switchover… and Failover… ask for the admin password and for the name of the
  database that becomes primary, typed; Reinstate… brings a disabled standby back.
"""

from __future__ import annotations

import datetime as _dt
import re

from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..services import database as svc
from ..services import identity as idsvc
from ..services import network as netsvc
from . import pricing
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command, confirm_field
from .generic import SdkRef, getter, lister
from .model import Action, ChartSpec, Column, MetricsSpec, Related, RelatedItem, ResourceKind, attr, no_run

M = sdk_models("database")
SYSTEM_REF = SdkRef("database", "db_system", cli="db system")
NODE_REF = SdkRef("database", "db_node", cli="db node")
DB_REF = SdkRef("database", "database", cli="db database")
BACKUP_REF = SdkRef("database", "backup", cli="db backup")
GROUP = "Database"
EDITIONS = {"STANDARD_EDITION": "Standard Edition", "ENTERPRISE_EDITION": "Enterprise Edition",
            "ENTERPRISE_EDITION_HIGH_PERFORMANCE": "Enterprise Edition High Performance",
            "ENTERPRISE_EDITION_EXTREME_PERFORMANCE": "Enterprise Edition Extreme Performance"}
STORAGE_SIZES = (256, 512) + tuple(1024 * n for n in (1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30,
                                                      32, 34, 36, 38, 40))
RECOVERY_WINDOWS = (7, 15, 30, 45, 60)
SLOTS = ("SLOT_ONE", "SLOT_TWO", "SLOT_THREE", "SLOT_FOUR", "SLOT_FIVE", "SLOT_SIX", "SLOT_SEVEN", "SLOT_EIGHT",
         "SLOT_NINE", "SLOT_TEN", "SLOT_ELEVEN", "SLOT_TWELVE")
CHARACTER_SETS = ("AL32UTF8", "WE8ISO8859P1", "WE8ISO8859P15", "WE8MSWIN1252", "US7ASCII", "EE8ISO8859P2",
                  "CL8MSWIN1251", "JA16SJIS", "JA16EUC", "KO16MSWIN949", "ZHS16GBK", "ZHT16BIG5", "AR8MSWIN1256")
PROTECTION = {"MAXIMUM_AVAILABILITY": ("SYNC", "FASTSYNC"), "MAXIMUM_PERFORMANCE": ("ASYNC",),
              "MAXIMUM_PROTECTION": ("SYNC",)}
DB_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9]{0,7}")
PDB_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,29}")
HOSTNAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,29}")


def slot_text(slot: str) -> str:
    i = SLOTS.index(slot)
    return f"{2 * i:02d}:00–{2 * i + 2:02d}:00 UTC"


def admin_password_error(pw) -> str | None:
    """OCI's rule for a DB system database's admin password (SYS, SYSTEM, PDB admin)."""
    if not isinstance(pw, str) or not pw:
        return "The admin password is required"
    need = []
    if not 9 <= len(pw) <= 30:
        need.append("9 to 30 characters")
    if sum(c.isupper() for c in pw) < 2:
        need.append("two uppercase letters")
    if sum(c.islower() for c in pw) < 2:
        need.append("two lowercase letters")
    if sum(c.isdigit() for c in pw) < 2:
        need.append("two digits")
    if sum(c in "_#-" for c in pw) < 2:
        need.append("two of _ # -")
    if any(not (c.isalnum() or c in "_#-") for c in pw) or not pw.isascii():
        need.append("only letters, digits and _ # -")
    low = pw.lower()
    if any(w in low or w[::-1] in low for w in ("oracle", "sys")):
        need.append("neither 'oracle' nor 'sys' in it")
    return ("The password needs " + ", ".join(need)) if need else None


def _pw_check(v, *_a) -> str | None:
    return admin_password_error(v)


def _pw_again(v, values, _ctx) -> str | None:
    return None if v == values.get("admin_password") else "The passwords differ"


# ---------------------------------------------------------------- launch dialog

async def _ads(ctx: FormContext, _values) -> list[Option]:
    return [Option(a.name, a.name, a) for a in await idsvc.list_availability_domains(ctx.session)]


async def _shapes(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    shapes = await ctx.session.data("database", "list_db_system_shapes", comp)
    out = []
    for s in shapes:
        flex = s.core_count_increment == 1 and s.minimum_core_count == 1 and s.available_core_count > 1
        mem = (s.available_memory_in_gbs or 0) // max(1, s.available_core_count)
        label = (f"{s.name} (flexible: 1–{s.available_core_count} OCPUs, {mem} GB each)" if flex
                 else f"{s.name} ({s.available_core_count} OCPU{'s' if s.available_core_count > 1 else ''}, "
                      f"{s.available_memory_in_gbs} GB)")
        out.append(Option(s.name, label, s))
    return out


def _flex(values, ctx: FormContext) -> bool:
    s = ctx.data("shape", values.get("shape"))
    return s is not None and s.minimum_core_count == 1 and s.core_count_increment == 1 and s.available_core_count > 1


async def _versions(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    kw = {"storage_management": values["storage_management"]} if values.get("storage_management") else {}
    out = []
    for v in await ctx.session.data("database", "list_db_versions", comp, **kw):
        major = v.version.split(".")[0]
        name = {"19": "19c", "21": "21c", "23": "23ai"}.get(major, major)
        out.append(Option(v.version, f"{v.version} ({name}{', latest' if v.is_latest_for_major_version else ''})", v))
    return out


async def _vcns(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    return [Option(v.id, f"{v.display_name} ({v.cidr_block})", v) for v in await netsvc.list_vcns(ctx.session, comp)
            if v.lifecycle_state == "AVAILABLE"]


async def _subnets(ctx: FormContext, values) -> list[Option]:
    if not values.get("vcn_id"):
        return []
    comp = values.get("compartment_id") or ctx.compartment_id
    return [Option(s.id, f"{s.display_name} ({s.cidr_block})", s)
            for s in await netsvc.list_subnets(ctx.session, comp, values["vcn_id"]) if s.lifecycle_state == "AVAILABLE"]


def _name_check(regex, what: str):
    def check(v, *_a):
        return None if isinstance(v, str) and regex.fullmatch(v.strip()) else what
    return check


def _nodes_check(v, values, _ctx) -> str | None:
    if int(v or 1) == 2:
        if values.get("database_edition") != "ENTERPRISE_EDITION_EXTREME_PERFORMANCE":
            return "Two nodes (RAC) need Enterprise Edition Extreme Performance"
        if values.get("storage_management") != "ASM":
            return "Two nodes (RAC) need ASM storage management"
    return None


def _cores_check(v, values, _ctx) -> str | None:
    if values.get("database_edition") == "STANDARD_EDITION" and int(v or 0) > 8:
        return "Standard Edition runs on at most 8 OCPUs per node"
    return None


def backup_config(v: dict):
    if not v.get("auto_backup"):
        return M.DbBackupConfig(auto_backup_enabled=False)
    return M.DbBackupConfig(auto_backup_enabled=True, recovery_window_in_days=int(v["recovery_window"]),
                            auto_backup_window=v["backup_window"])


def _launch(v: dict, ctx: FormContext) -> Request:
    shape = ctx.data("shape", v["shape"])
    flex = _flex(v, ctx)
    keys = [k.strip() for k in (v.get("ssh_public_keys") or "").splitlines() if k.strip()]
    db = M.CreateDatabaseDetails(
        db_name=v["db_name"].strip(), pdb_name=(v.get("pdb_name") or "").strip() or None,
        admin_password=v["admin_password"], character_set=v["character_set"], ncharacter_set=v["ncharacter_set"],
        db_workload=v["db_workload"], db_backup_config=backup_config(v))
    details = M.LaunchDbSystemDetails(
        compartment_id=v["compartment_id"], availability_domain=v["availability_domain"],
        subnet_id=v["subnet_id"], shape=v["shape"], hostname=v["hostname"].strip(),
        display_name=(v.get("display_name") or "").strip() or None, database_edition=v["database_edition"],
        cpu_core_count=int(v["cpu_core_count"]) if flex else (shape.available_core_count if shape else None),
        node_count=int(v["node_count"]), ssh_public_keys=keys,
        initial_data_storage_size_in_gb=int(v["storage_size"]), license_model=v["license_model"],
        db_system_options=M.DbSystemOptions(storage_management=v["storage_management"]),
        db_home=M.CreateDbHomeDetails(db_version=v["db_version"], database=db))
    return Request("database", "launch_db_system", details, secret_env={"admin_password": "DB_ADMIN_PASSWORD"})


def _launch_cli(v: dict, ctx: FormContext, req: Request) -> str:
    d = req.details
    db = d.db_home.database
    cmd = cli_command(f"{SYSTEM_REF.cli} launch", [
        ("--compartment-id", d.compartment_id), ("--availability-domain", d.availability_domain),
        ("--subnet-id", d.subnet_id), ("--shape", d.shape), ("--cpu-core-count", d.cpu_core_count),
        ("--node-count", d.node_count), ("--hostname", d.hostname), ("--display-name", d.display_name),
        ("--database-edition", d.database_edition), ("--license-model", d.license_model),
        ("--storage-management", d.db_system_options.storage_management),
        ("--initial-data-storage-size-in-gb", d.initial_data_storage_size_in_gb),
        ("--ssh-authorized-keys-file", "ssh-keys.pub"), ("--db-version", d.db_home.db_version),
        ("--db-name", db.db_name), ("--pdb-name", db.pdb_name), ("--character-set", db.character_set),
        ("--ncharacter-set", db.ncharacter_set), ("--db-workload", db.db_workload),
        ("--auto-backup-enabled", bool(db.db_backup_config.auto_backup_enabled)),
        ("--recovery-window-in-days", db.db_backup_config.recovery_window_in_days),
        ("--auto-backup-window", db.db_backup_config.auto_backup_window), ("--wait-for-state", "AVAILABLE")])
    return cmd + ' \\\n    --admin-password "$DB_ADMIN_PASSWORD"'


def system_cost(cores_per_node: int, edition: str, license_model: str, nodes: int, storage_gb: int,
                note: str = "", reco_gb: int = 0) -> pricing.Cost | None:
    """A DB system's monthly cost at list price by the rules the emulator's Usage API bills with (lang/prices.json):
    each DB node's OCPUs by edition and license while it runs, the data storage as Block Volume storage."""
    node = {"cpuCoreCount": cores_per_node, "_databaseEdition": edition, "_licenseModel": license_model}
    system = {"dataStorageSizeInGBs": storage_gb, "recoStorageSizeInGB": reco_gb,
              "storageVolumePerformanceMode": "BALANCED"}
    return pricing.monthly_cost([("dbnode", node, "AVAILABLE")] * nodes + [("dbsystem", system, "AVAILABLE")],
                                note=note or "OCPUs while the DB nodes run; storage always, plus the recovery area "
                                             "OCI sizes at provisioning, at the same Block Volume price")


def _launch_cost(v: dict, ctx: FormContext) -> pricing.Cost | None:
    shape = ctx.data("shape", v.get("shape"))
    if shape is None or not v.get("database_edition") or not v.get("storage_size"):
        return None
    cores = int(v.get("cpu_core_count") or 0) if _flex(v, ctx) else int(shape.available_core_count or 0)
    return system_cost(cores, v["database_edition"], v.get("license_model") or "LICENSE_INCLUDED",
                       int(v.get("node_count") or 1), int(v["storage_size"]))


def _backup_visible(v, _c) -> bool:
    return bool(v.get("auto_backup"))


LAUNCH_FORM = FormSpec(
    title=N_("Create DB system"), kind_id="database.db_system",
    fields=[
        Field("display_name", N_("Name"), "text", placeholder=N_("orders-db")),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("availability_domain", N_("Availability domain"), "choice", required=True, options=_ads),
        Field("shape", N_("Shape"), "choice", required=True, options=_shapes, depends_on=("compartment_id",)),
        Field("cpu_core_count", N_("OCPUs per node"), "number", required=True, default=2, depends_on=("shape",
              "database_edition"), visible=_flex, validate=_cores_check,
              bounds=lambda v, ctx: (1, getattr(ctx.data("shape", v.get("shape")), "available_core_count", 64), 1)),
        Field("database_edition", N_("Edition"), "enum", required=True, default="ENTERPRISE_EDITION",
              options=[Option(k, label) for k, label in EDITIONS.items()]),
        Field("storage_management", N_("Storage management"), "enum", required=True, default="ASM",
              options=[Option("ASM", N_("Oracle Grid Infrastructure (ASM)")),
                       Option("LVM", N_("Logical Volume Manager (LVM: faster to provision)"))]),
        Field("node_count", N_("Nodes"), "enum", required=True, default=1, validate=_nodes_check,
              depends_on=("database_edition", "storage_management"),
              options=[Option(1, N_("1 node")), Option(2, N_("2 nodes (RAC)"))]),
        Field("storage_size", N_("Data storage"), "enum", required=True, default=256,
              options=[Option(n, f"{n:,} GB" if n < 1024 else f"{n // 1024} TB") for n in STORAGE_SIZES]),
        Field("license_model", N_("License"), "enum", required=True, default="LICENSE_INCLUDED",
              options=[Option("LICENSE_INCLUDED", N_("License included")),
                       Option("BRING_YOUR_OWN_LICENSE", N_("Bring your own license (BYOL)"))]),
        Field("ssh_public_keys", N_("SSH public keys"), "sshkey", required=True,
              help=N_("One OpenSSH public key per line: they let you log in to the DB nodes as opc")),
        Field("vcn_id", N_("VCN"), "choice", required=True, options=_vcns, depends_on=("compartment_id",),
              create_kind="network.vcn"),
        Field("subnet_id", N_("Subnet"), "choice", required=True, options=_subnets, depends_on=("vcn_id",)),
        Field("hostname", N_("Hostname prefix"), "text", required=True, placeholder=N_("ordersdb"),
              validate=_name_check(HOSTNAME_RE, "A letter, then letters, digits or hyphens (at most 30)")),
        Field("db_version", N_("Database version"), "choice", required=True, options=_versions,
              depends_on=("storage_management",)),
        Field("db_name", N_("Database name"), "text", required=True, placeholder=N_("ORDERS"),
              validate=_name_check(DB_NAME_RE, "A letter, then letters or digits: at most 8 characters")),
        Field("pdb_name", N_("PDB name"), "text", placeholder=N_("ORDERSPDB"),
              validate=lambda v, values, _c: _name_check(PDB_NAME_RE, "A letter, then letters, digits or _ (at most "
                                                                      "30)")(v) or (
                  "The PDB name must differ from the database name"
                  if (v or "").strip().lower() == (values.get("db_name") or "").strip().lower() else None)),
        Field("admin_password", N_("Admin password"), "password", required=True, validate=_pw_check,
              help=N_("For SYS, SYSTEM and the PDB admin: 9–30 characters with two each of uppercase, lowercase, "
                   "digits and _ # -")),
        Field("admin_password_again", N_("Confirm admin password"), "password", required=True, validate=_pw_again,
              depends_on=("admin_password",)),
        Field("character_set", N_("Character set"), "enum", required=True, default="AL32UTF8",
              options=[Option(c, c) for c in CHARACTER_SETS]),
        Field("ncharacter_set", N_("National character set"), "enum", required=True, default="AL16UTF16",
              options=[Option("AL16UTF16", N_("AL16UTF16")), Option("UTF8", N_("UTF8"))]),
        Field("db_workload", N_("Workload"), "enum", required=True, default="OLTP",
              options=[Option("OLTP", N_("Transaction processing (OLTP)")), Option("DSS", N_("Data warehouse (DSS)"))]),
        Field("auto_backup", N_("Automatic backups"), "bool", default=True),
        Field("recovery_window", N_("Keep backups for"), "enum", required=True, default=30, depends_on=("auto_backup",),
              visible=_backup_visible, options=[Option(n, f"{n} days") for n in RECOVERY_WINDOWS]),
        Field("backup_window", N_("Backup window"), "enum", required=True, default="SLOT_ONE",
              depends_on=("auto_backup",), visible=_backup_visible,
              options=[Option(s, slot_text(s)) for s in SLOTS]),
    ],
    build=_launch, cli=_launch_cli, describe=lambda v: (v.get("display_name") or v.get("hostname") or "").strip(),
    cost=_launch_cost)


# ---------------------------------------------------------------- DB systems

async def _terminate(session, system, _options):
    await session.call("database", "terminate_db_system", system.id)


async def _system_parts(session, system) -> list[RelatedItem]:
    out = []
    nodes = await svc.list_db_nodes(session, system.compartment_id, system.id)
    for n in nodes:
        out.append(RelatedItem(f"DB node {n.hostname}", f"{n.lifecycle_state}, {n.cpu_core_count} OCPUs, "
                               f"{n.fault_domain}", n.id))
    running = sum(1 for n in nodes if n.lifecycle_state in ("AVAILABLE", "UPDATING", "STARTING", "STOPPING"))
    if system.lifecycle_state not in svc.GONE:
        c = system_cost(int(system.cpu_core_count or 0) // max(1, int(system.node_count or 1)),
                        system.database_edition, system.license_model or "LICENSE_INCLUDED", running,
                        int(system.data_storage_size_in_gbs or 0), reco_gb=int(system.reco_storage_size_in_gb or 0))
        if c is not None:
            out.append(RelatedItem("Cost at list price", f"${c.amount:,.2f} per month"
                                   + (f" ({running} of {len(nodes)} DB nodes running)" if running < len(nodes)
                                      else "")))
    for d in await svc.list_databases(session, system.compartment_id, system.id):
        out.append(RelatedItem(f"Database {d.db_name}", f"{d.db_unique_name} ({d.lifecycle_state})", d.id))
    for h in await svc.list_db_homes(session, system.compartment_id, system.id):
        out.append(RelatedItem(f"DB home {h.display_name}", f"{h.db_version} at {h.db_home_location}"))
    return out


async def _system_dg(session, system) -> list[RelatedItem]:
    out = []
    for d in await svc.list_databases(session, system.compartment_id, system.id):
        if d.lifecycle_state in svc.GONE:
            continue
        for a in await svc.associations_of(session, d):
            out += _dg_items(a)
    return out or [RelatedItem("Data Guard", "Not enabled: Databases > Enable Data Guard…")]


def _dg_items(a) -> list[RelatedItem]:
    return [RelatedItem(label, text) for label, text in svc.picture(a)] + [
            RelatedItem("Association", f"{a.display_name} ({a.lifecycle_state})", a.id),
            RelatedItem("Apply lag", a.apply_lag or "—"),
            RelatedItem("Peer DB system", a.peer_db_system_id, a.peer_db_system_id)]


SYSTEMS = ResourceKind(
    id="database.db_system", label=N_("DB systems"), singular=N_("DB system"), group=GROUP, icon="database", order=20,
    list=lister(SYSTEM_REF), get=getter(SYSTEM_REF), ocid_types=("dbsystem",),
    columns=[
        Column(N_("Name"), attr("display_name"), width=170),
        Column(N_("State"), attr("lifecycle_state"), "state", width=100),
        Column(N_("Shape"), attr("shape"), width=150),
        Column(N_("OCPUs"), attr("cpu_core_count"), "number", width=60),
        Column(N_("Nodes"), attr("node_count"), "number", width=50),
        Column(N_("Edition"), lambda s: EDITIONS.get(s.database_edition, s.database_edition), width=170),
        Column(N_("Storage"), lambda s: f"{s.data_storage_size_in_gbs:,} GB" if s.data_storage_size_in_gbs else "",
               width=80),
        Column(N_("Version"), attr("version"), width=90),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Nodes, databases and homes"), _system_parts), Related(N_("Data Guard"), _system_dg)],
    actions=[Action("terminate", N_("Terminate"), _terminate, frozenset({"AVAILABLE", "FAILED", "NEEDS_ATTENTION"}),
                    destructive=True, confirm="name", target_states=frozenset({"TERMINATED"}), gone_ok=True,
                    shortcut="Delete", icon="delete", verb=N_("Terminating"))],
    create=LAUNCH_FORM, sdk=SYSTEM_REF, movable=False,
    metrics=MetricsSpec("oci_database", [
        ChartSpec("CPU utilization", ["CpuUtilization"], "%", y_range=(0, 100)),
        ChartSpec("Storage utilization", ["StorageUtilization"], "%", y_range=(0, 100)),
        ChartSpec("Sessions", ["CurrentLogons"], "count"),
        ChartSpec("Executions and transactions", ["ExecuteCount", "TransactionCount"], "count",
                  labels={"ExecuteCount": "executions", "TransactionCount": "transactions"}),
    ]),
)


# ---------------------------------------------------------------- DB nodes

def _node_action(action: str):
    async def run(session, node, _options):
        await session.call("database", "db_node_action", node.id, action)
    return run


async def _list_nodes(session, compartment_id: str) -> list:
    return await svc.list_db_nodes(session, compartment_id)


NODES = ResourceKind(
    id="database.db_node", label=N_("DB nodes"), singular=N_("DB node"), group=GROUP, icon="instance", order=21,
    list=_list_nodes, get=getter(NODE_REF), ocid_types=("dbnode",), name_attr="hostname", movable=False,
    columns=[
        Column(N_("Hostname"), attr("hostname"), width=160),
        Column(N_("State"), attr("lifecycle_state"), "state", width=100),
        Column(N_("OCPUs"), attr("cpu_core_count"), "number", width=60),
        Column(N_("Memory (GB)"), attr("memory_size_in_gbs"), "number", width=90),
        Column(N_("Fault domain"), attr("fault_domain"), width=120),
        Column(N_("DB system"), attr("db_system_id"), "ocid", width=200),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("DB system"), lambda session, n: _one(RelatedItem("DB system", n.db_system_id,
                                                                      n.db_system_id)))],
    actions=[
        Action("start", N_("Start"), _node_action("START"), frozenset({"STOPPED"}),
               target_states=frozenset({"AVAILABLE"}),
               icon="start", verb=N_("Starting")),
        Action("stop", N_("Stop"), _node_action("STOP"), frozenset({"AVAILABLE"}), target_states=frozenset({"STOPPED"}),
               icon="stop", verb=N_("Stopping"), confirm="simple"),
        Action("softreset", N_("Soft reset"), _node_action("SOFTRESET"), frozenset({"AVAILABLE"}),
               target_states=frozenset({"AVAILABLE"}), icon="reboot", verb=N_("Soft resetting"), confirm="simple"),
        Action("reset", N_("Reset"), _node_action("RESET"), frozenset({"AVAILABLE"}),
               target_states=frozenset({"AVAILABLE"}), icon="reboot", verb=N_("Resetting"), confirm="simple"),
    ],
    ready_states=frozenset({"AVAILABLE"}),
)


async def _one(item: RelatedItem) -> list[RelatedItem]:
    return [item]


# ---------------------------------------------------------------- databases

async def _list_databases(session, compartment_id: str) -> list:
    return await svc.list_databases(session, compartment_id)


def backup_now_form(db) -> FormSpec:
    def build(v: dict, ctx: FormContext) -> Request:
        return Request("database", "create_backup", M.CreateBackupDetails(
            database_id=db.id, display_name=v["display_name"].strip()))

    def cli(v, ctx, req: Request) -> str:
        return cli_command(f"{BACKUP_REF.cli} create", [("--database-id", db.id),
                                                        ("--display-name", req.details.display_name),
                                                        ("--wait-for-state", "ACTIVE")])
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%d-%H%M")
    return FormSpec(
        title=f"Back up {db.db_name} now", kind_id="database.backup",
        fields=[Field("display_name", N_("Backup name"), "text", required=True,
                      default=f"{db.db_name.lower()}-{stamp}")],
        build=build, cli=cli, submit_label=N_("Back up"), op_title=lambda v: f"Back up {db.db_name}")


def backup_settings_form(db) -> FormSpec:
    cfg = db.db_backup_config

    def build(v: dict, ctx: FormContext) -> Request:
        return Request("database", "update_database", M.UpdateDatabaseDetails(db_backup_config=backup_config(v)),
                       args=(db.id,), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        c = req.details.db_backup_config
        return cli_command(f"{DB_REF.cli} update", [
            ("--database-id", db.id), ("--auto-backup-enabled", bool(c.auto_backup_enabled)),
            ("--recovery-window-in-days", c.recovery_window_in_days), ("--auto-backup-window", c.auto_backup_window),
            ("--wait-for-state", "AVAILABLE")]) + " \\\n    --force"

    on = bool(cfg and cfg.auto_backup_enabled)
    return FormSpec(
        title=f"Backup settings of {db.db_name}", kind_id="database.database",
        fields=[
            Field("auto_backup", N_("Automatic backups"), "bool", default=on),
            Field("recovery_window", N_("Keep backups for"), "enum", required=True,
                  default=(cfg.recovery_window_in_days if on else None) or 30, depends_on=("auto_backup",),
                  visible=_backup_visible, options=[Option(n, f"{n} days") for n in RECOVERY_WINDOWS]),
            Field("backup_window", N_("Backup window"), "enum", required=True,
                  default=(cfg.auto_backup_window if on else None) or "SLOT_ONE", depends_on=("auto_backup",),
                  visible=_backup_visible, options=[Option(s, slot_text(s)) for s in SLOTS])],
        build=build, cli=cli, submit_label=N_("Save"), op_title=lambda v: f"Change the backup settings of {db.db_name}")


def restore_form(db) -> FormSpec:
    def check_time(v, values, _ctx) -> str | None:
        if values.get("point") != "timestamp":
            return None
        try:
            t = _dt.datetime.fromisoformat((v or "").strip().replace("Z", "+00:00"))
        except ValueError:
            return "A date and time such as 2026-12-01T08:30:00Z"
        if t.tzinfo is None:
            t = t.replace(tzinfo=_dt.UTC)
        return "That time is in the future" if t > _dt.datetime.now(_dt.UTC) else None

    def build(v: dict, ctx: FormContext) -> Request:
        if v["point"] == "latest":
            details = M.RestoreDatabaseDetails(latest=True)
        else:
            t = _dt.datetime.fromisoformat(v["timestamp"].strip().replace("Z", "+00:00"))
            details = M.RestoreDatabaseDetails(timestamp=t if t.tzinfo else t.replace(tzinfo=_dt.UTC))
        return Request("database", "restore_database", details, args=(db.id,), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command(f"{DB_REF.cli} restore", [("--database-id", db.id), ("--latest", d.latest),
                                                     ("--timestamp", d.timestamp.isoformat() if d.timestamp else None),
                                                     ("--wait-for-state", "AVAILABLE")])

    return FormSpec(
        title=f"Restore {db.db_name}", kind_id="database.database",
        fields=[Field("point", N_("Restore to"), "enum", required=True, default="latest",
                      options=[Option("latest", N_("The latest backup")), Option("timestamp", N_("A point in time"))]),
                Field("timestamp", N_("Point in time (UTC)"), "text", required=True, depends_on=("point",),
                      placeholder=N_("2026-12-01T08:30:00Z"), visible=lambda v, _c: v.get("point") == "timestamp",
                      validate=check_time,
                      help=N_("Within the recovery window: between the oldest backup and now"))],
        build=build, cli=cli, submit_label=N_("Restore"), op_title=lambda v: f"Restore {db.db_name}")


async def _peer_systems(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    return [Option(s.id, f"{s.display_name} ({s.shape}, {EDITIONS.get(s.database_edition, '')})", s)
            for s in await svc.list_db_systems(ctx.session, comp) if s.lifecycle_state == "AVAILABLE"]


def data_guard_form(db) -> FormSpec:
    def new(v, _c=None) -> bool:
        return v.get("creation_type") == "NewDbSystem"

    def transport_check(v, values, _ctx) -> str | None:
        allowed = PROTECTION.get(values.get("protection_mode") or "", ())
        return None if v in allowed else f"{values.get('protection_mode')} takes " + " or ".join(allowed)

    def peer_check(v, _values, _ctx) -> str | None:
        return "The standby must be on another DB system" if v == db.db_system_id else None

    async def ads(ctx: FormContext, values) -> list[Option]:
        # the primary's DB system too: a standby on a new DB system is one like it, and costs what it costs
        ctx.option_data["primary"] = {"system": await svc.get_db_system(ctx.session, db.db_system_id)}
        return await _ads(ctx, values)

    def cost(v: dict, ctx: FormContext) -> pricing.Cost | None:
        primary = ctx.data("primary", "system")
        if not new(v) or primary is None:
            return None
        nodes = int(primary.node_count or 1)
        return system_cost(int(primary.cpu_core_count or 0) // nodes, primary.database_edition,
                           primary.license_model or "LICENSE_INCLUDED", nodes,
                           int(primary.data_storage_size_in_gbs or 0),
                           note=f"the standby DB system, like {primary.display_name}: OCPUs while its nodes run, "
                                "storage always")

    def build(v: dict, ctx: FormContext) -> Request:
        common = dict(database_admin_password=v["admin_password"], protection_mode=v["protection_mode"],
                      transport_type=v["transport_type"])
        if new(v):
            details = M.CreateDataGuardAssociationWithNewDbSystemDetails(
                **common, display_name=(v.get("display_name") or "").strip() or None,
                availability_domain=v["availability_domain"], subnet_id=v["subnet_id"], hostname=v["hostname"].strip())
        else:
            details = M.CreateDataGuardAssociationToExistingDbSystemDetails(**common, peer_db_system_id=v["peer_id"])
        return Request("database", "create_data_guard_association", details, args=(db.id,), wrap=svc.remember,
                       secret_env={"database_admin_password": "DB_ADMIN_PASSWORD"})

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        if new(v):
            cmd = cli_command("db data-guard-association create with-new-db-system", [
                ("--database-id", db.id), ("--protection-mode", d.protection_mode),
                ("--transport-type", d.transport_type), ("--availability-domain", d.availability_domain),
                ("--subnet-id", d.subnet_id), ("--hostname", d.hostname), ("--display-name", d.display_name),
                ("--creation-type", "NewDbSystem")])
        else:
            cmd = cli_command("db data-guard-association create from-existing-db-system", [
                ("--database-id", db.id), ("--protection-mode", d.protection_mode),
                ("--transport-type", d.transport_type), ("--peer-db-system-id", d.peer_db_system_id),
                ("--creation-type", "ExistingDbSystem")])
        return cmd + ' \\\n    --database-admin-password "$DB_ADMIN_PASSWORD"'

    return FormSpec(
        title=f"Enable Data Guard for {db.db_name}", kind_id="database.data_guard",
        fields=[
            Field("creation_type", N_("Standby on"), "enum", required=True, default="NewDbSystem",
                  options=[Option("NewDbSystem", N_("A new DB system (like the primary's)")),
                           Option("ExistingDbSystem", N_("An existing DB system"))]),
            Field("protection_mode", N_("Protection mode"), "enum", required=True, default="MAXIMUM_AVAILABILITY",
                  options=[Option("MAXIMUM_AVAILABILITY", N_("Maximum availability (no data loss while the standby is "
                                                          "reachable)")),
                           Option("MAXIMUM_PERFORMANCE", N_("Maximum performance (asynchronous)")),
                           Option("MAXIMUM_PROTECTION",
                                  N_("Maximum protection (the primary stops without a standby)"))]),
            Field("transport_type", N_("Redo transport"), "enum", required=True, default="SYNC",
                  validate=transport_check,
                  depends_on=("protection_mode",),
                  options=[Option("SYNC", N_("SYNC")), Option("FASTSYNC", N_("FASTSYNC")), Option("ASYNC",
                                                                                                  N_("ASYNC"))]),
            Field("display_name", N_("Standby DB system name"), "text", visible=new, depends_on=("creation_type",),
                  placeholder=f"{db.db_name.lower()}-standby"),
            Field("availability_domain", N_("Availability domain"), "choice", required=True, options=ads, visible=new,
                  depends_on=("creation_type",)),
            Field("vcn_id", N_("VCN"), "choice", required=True, options=_vcns, visible=new,
                  depends_on=("creation_type",)),
            Field("subnet_id", N_("Subnet"), "choice", required=True, options=_subnets, visible=new,
                  depends_on=("vcn_id",)),
            Field("hostname", N_("Hostname prefix"), "text", required=True, visible=new, depends_on=("creation_type",),
                  validate=_name_check(HOSTNAME_RE, "A letter, then letters, digits or hyphens (at most 30)")),
            Field("peer_id", N_("Peer DB system"), "choice", required=True, options=_peer_systems, validate=peer_check,
                  visible=lambda v, _c: not new(v), depends_on=("creation_type",)),
            Field("admin_password", N_("Primary's admin password"), "password", required=True, validate=_pw_check,
                  help=N_("The SYS password of the primary database: the standby gets the same")),
        ],
        build=build, cli=cli, cost=cost, submit_label=N_("Enable Data Guard"), describe=lambda v: db.db_name,
        op_title=lambda v: f"Enable Data Guard for {db.db_name}")


async def _db_details(session, db) -> list[RelatedItem]:
    out = [RelatedItem("DB system", db.db_system_id, db.db_system_id)]
    cs = db.connection_strings
    if cs is not None:
        out.append(RelatedItem("Connection string", cs.cdb_default or ""))
    cfg = db.db_backup_config
    if cfg is not None and cfg.auto_backup_enabled:
        out.append(RelatedItem("Automatic backups", f"daily {slot_text(cfg.auto_backup_window or 'SLOT_ONE')}, kept "
                               f"{cfg.recovery_window_in_days} days"))
    else:
        out.append(RelatedItem("Automatic backups", "off"))
    for b in await svc.list_backups(session, db.compartment_id, db.id):
        if b.lifecycle_state != "DELETED":
            out.append(RelatedItem(f"Backup {b.display_name}", f"{b.type} {b.lifecycle_state}", b.id))
    return out


async def _db_dg(session, db) -> list[RelatedItem]:
    out = []
    for a in await svc.associations_of(session, db):
        out += _dg_items(a)
    return out or [RelatedItem("Data Guard", "Not enabled")]


DATABASES = ResourceKind(
    id="database.database", label=N_("Databases"), singular=N_("Database"), group=GROUP, icon="database", order=22,
    list=_list_databases, get=getter(DB_REF), ocid_types=("database",), name_attr="db_name", movable=False,
    columns=[
        Column(N_("Name"), attr("db_name"), width=100),
        Column(N_("Unique name"), attr("db_unique_name"), width=150),
        Column(N_("State"), attr("lifecycle_state"), "state", width=120),
        Column(N_("PDB"), attr("pdb_name"), width=100),
        Column(N_("Character set"), attr("character_set"), width=100),
        Column(N_("Last backup"), attr("last_backup_timestamp"), "datetime", width=150),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Database"), _db_details), Related(N_("Data Guard"), _db_dg)],
    actions=[
        Action("backup", N_("Back up now…"), no_run, frozenset({"AVAILABLE"}), form=backup_now_form,
               target_states=frozenset({"ACTIVE"}), icon="create", verb=N_("Backing up")),
        Action("backup_settings", N_("Backup settings…"), no_run, frozenset({"AVAILABLE"}), form=backup_settings_form,
               target_states=frozenset({"AVAILABLE"}), icon="edit", verb=N_("Changing backup settings of")),
        Action("restore", N_("Restore…"), no_run, frozenset({"AVAILABLE"}), form=restore_form,
               target_states=frozenset({"AVAILABLE"}), icon="reboot", verb=N_("Restoring")),
        Action("data_guard", N_("Enable Data Guard…"), no_run, frozenset({"AVAILABLE"}), form=data_guard_form,
               target_states=frozenset({"AVAILABLE"}), icon="create", verb=N_("Enabling Data Guard for")),
    ],
    ready_states=frozenset({"AVAILABLE"}),
)


# ---------------------------------------------------------------- backups

async def _list_backups(session, compartment_id: str) -> list:
    return [b for b in await svc.list_backups(session, compartment_id)]


async def _delete_backup(session, b, _options):
    await session.call("database", "delete_backup", b.id)


BACKUPS = ResourceKind(
    id="database.backup", label=N_("DB backups"), singular=N_("DB backup"), group=GROUP, icon="backup", order=23,
    list=_list_backups, get=getter(BACKUP_REF), ocid_types=("dbbackup",), movable=False,
    columns=[
        Column(N_("Name"), attr("display_name"), width=200),
        Column(N_("State"), attr("lifecycle_state"), "state", width=90),
        Column(N_("Type"), attr("type"), width=100),
        Column(N_("Size (GB)"), attr("database_size_in_gbs"), "number", width=80),
        Column(N_("Started"), attr("time_started"), "datetime", width=150),
        Column(N_("Ended"), attr("time_ended"), "datetime", width=150),
        Column(N_("Database"), attr("database_id"), "ocid"),
    ],
    actions=[Action("delete", N_("Delete"), _delete_backup, frozenset({"ACTIVE", "FAILED"}), destructive=True,
                    confirm="name", target_states=frozenset({"DELETED"}), gone_ok=True, shortcut="Delete",
                    icon="delete", verb=N_("Deleting"), when=lambda b: not (b.display_name or "").startswith(
                        "Automatic Backup"))],
    ready_states=frozenset({"ACTIVE"}),
)


# ---------------------------------------------------------------- Data Guard associations

def _role_form(action: str):
    """Switchover / failover / reinstate: the admin password, and (for the first two) the name of the database
    that becomes primary, typed."""
    titles = {"switchover": "Switch over", "failover": "Fail over", "reinstate": "Reinstate"}
    models = {"switchover": "SwitchoverDataGuardAssociationDetails",
              "failover": "FailoverDataGuardAssociationDetails",
              "reinstate": "ReinstateDataGuardAssociationDetails"}

    def form(a) -> FormSpec:
        becomes = a.peer_db_unique_name if action == "switchover" else a.db_unique_name
        fields = [Field("admin_password", N_("Admin password"), "password", required=True, validate=_pw_check,
                        help=N_("The SYS password of the databases"))]
        if action != "reinstate":
            fields.append(confirm_field(lambda _v, _c: becomes, f"{becomes} (it becomes primary)",
                                        ()))
        note = {"switchover": f"{becomes} becomes the primary and {a.db_unique_name} its standby; no data is lost",
                "failover": f"{becomes} becomes the primary now; {a.peer_db_unique_name} becomes a disabled standby "
                            "(reinstate it later); data not yet shipped may be lost",
                "reinstate": f"{a.db_unique_name} becomes a standby of {a.peer_db_unique_name} again"}[action]
        fields[0].help += ". " + note

        def build(v: dict, ctx: FormContext) -> Request:
            details = getattr(M, models[action])(database_admin_password=v["admin_password"])
            return Request("database", f"{action}_data_guard_association", details, args=(a.database_id, a.id),
                           retry_token=False, wrap=svc.remember,
                           secret_env={"database_admin_password": "DB_ADMIN_PASSWORD"})

        def cli(v, ctx, req: Request) -> str:
            return cli_command(f"db data-guard-association {action}", [
                ("--database-id", a.database_id), ("--data-guard-association-id", a.id),
                ("--wait-for-state", "AVAILABLE")]) + ' \\\n    --database-admin-password "$DB_ADMIN_PASSWORD"'

        return FormSpec(title=f"{titles[action]}: {a.display_name}", kind_id="database.data_guard", fields=fields,
                        build=build, cli=cli, submit_label=titles[action], describe=lambda v: a.display_name,
                        op_title=lambda v: f"{titles[action]} {a.display_name}"
                        + (f" ({becomes} becomes primary)" if action != "reinstate" else ""))
    return form


DATA_GUARD = ResourceKind(
    id="database.data_guard", label=N_("Data Guard associations"), singular=N_("Data Guard association"), group=GROUP,
    icon="link", order=24, list=svc.list_associations, get=svc.get_association, ocid_types=("dgassociation",),
    movable=False,
    columns=[
        Column(N_("Databases"), attr("display_name"), width=220),
        Column(N_("State"), attr("lifecycle_state"), "state", width=100),
        Column(N_("Role"), attr("role"), width=130),
        Column(N_("Peer role"), attr("peer_role"), width=130),
        Column(N_("Protection"), attr("protection_mode"), width=170),
        Column(N_("Transport"), attr("transport_type"), width=80),
        Column(N_("Apply lag"), attr("apply_lag"), width=90),
    ],
    related=[Related(N_("Roles"), lambda session, a: _list(_dg_items(a)))],
    actions=[
        Action("switchover", N_("Switchover…"), no_run, frozenset({"AVAILABLE"}), form=_role_form("switchover"),
               destructive=True, confirm="form", target_states=frozenset({"AVAILABLE"}), icon="reboot",
               verb=N_("Switching over"), when=lambda a: a.role == "PRIMARY" and a.peer_role == "STANDBY"),
        Action("failover", N_("Failover…"), no_run, frozenset({"AVAILABLE"}), form=_role_form("failover"),
               destructive=True, confirm="form", target_states=frozenset({"AVAILABLE"}), icon="reboot",
               verb=N_("Failing over"), when=lambda a: a.role == "STANDBY"),
        Action("reinstate", N_("Reinstate…"), no_run, frozenset({"AVAILABLE"}), form=_role_form("reinstate"),
               target_states=frozenset({"AVAILABLE"}), icon="start", verb=N_("Reinstating"),
               when=lambda a: a.role == "DISABLED_STANDBY"),
    ],
    ready_states=frozenset({"AVAILABLE"}),
)


async def _list(items: list[RelatedItem]) -> list[RelatedItem]:
    return items


KINDS = [SYSTEMS, NODES, DATABASES, BACKUPS, DATA_GUARD]
