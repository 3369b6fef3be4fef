"""Autonomous Database kinds (tree group "Database"): Autonomous Databases and their backups.

A database lists with its workload, compute, storage used / allocated and license. Its details show the
connection strings of each service level (high / medium / low, and tp / tpurgent for transaction
processing, JSON and APEX; right-click copies them), the tool URLs, the network access and its backups
(links to the backup's own details). Actions: Start, Stop, Restart, Scale… (ECPUs or OCPUs, storage, auto
scaling, with the monthly cost), Create backup…, Restore… (a point in time), Clone… (full or metadata),
Download wallet… (asks for the wallet's password and where to save it; the service layer writes the zip
readable by its owner only), Delete, and Move to compartment.

The create dialog checks what OCI checks before sending (the database name, the ADMIN password's rules,
ECPU / OCPU and storage bounds) and shows the cost per month at list price of the chosen compute and
storage as the person changes them (catalog.pricing: per ECPU or OCPU hour, storage per GB- or TB-month).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass

from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..services import autonomous_database as svc
from ..services import network as netsvc
from . import validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .generic import SdkRef, delete_action, getter, lister
from .model import Action, ChartSpec, Column, MetricsSpec, Related, RelatedItem, ResourceKind, attr, no_run
from .pricing import HOURS_PER_MONTH, Cost, price

M = sdk_models("database")
REF = SdkRef("database", "autonomous_database", cli="db autonomous-database", move_model="ChangeCompartmentDetails")
BACKUP_REF = SdkRef("database", "autonomous_database_backup", cli="db autonomous-database-backup")
KIND_ID = "database.autonomous_database"
BACKUP_KIND_ID = "database.autonomous_database_backup"

WORKLOADS = {"OLTP": "Transaction Processing", "DW": "Data Warehouse", "AJD": "JSON", "APEX": "APEX"}
LICENSES = {"LICENSE_INCLUDED": "License included", "BRING_YOUR_OWN_LICENSE": "Bring your own license (BYOL)"}
ECPU = (2, 512)
OCPU = (1, 128)
TB = (1, 384)
GB = (20, 393216)
DB_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9]{0,29}")
UP = frozenset({"AVAILABLE"})


# ---------------------------------------------------------------- rules (OCI's, checked before sending)

def password_problem(pw) -> str | None:
    """OCI's rules for the ADMIN password, as one sentence (None when the password is acceptable)."""
    if not isinstance(pw, str) or not pw:
        return None
    problems = []
    if not 12 <= len(pw) <= 30:
        problems.append("12 to 30 characters")
    if not re.search(r"[A-Z]", pw):
        problems.append("an uppercase letter")
    if not re.search(r"[a-z]", pw):
        problems.append("a lowercase letter")
    if not re.search(r"[0-9]", pw):
        problems.append("a digit")
    msg = ("Needs " + ", ".join(problems)) if problems else ""
    if '"' in pw:
        msg = (msg + "; " if msg else "") + 'no double quote (")'
    if "admin" in pw.lower():
        msg = (msg + "; " if msg else "") + 'must not contain "admin"'
    return msg or None


def wallet_password_problem(pw) -> str | None:
    if not isinstance(pw, str) or not pw:
        return None
    if len(pw) < 8 or not re.search(r"[A-Za-z]", pw) or not re.search(r"[^A-Za-z]", pw):
        return "At least 8 characters, with a letter and a digit or special character"
    return None


def db_name_problem(v, *_a) -> str | None:
    if not isinstance(v, str) or not DB_NAME_RE.fullmatch(v.strip()):
        return "Starts with a letter; letters and digits only, at most 30"
    return None


def _bounds(model: str | None) -> tuple[int, int]:
    return OCPU if model == "OCPU" else ECPU


def _in_gb(workload: str | None, model: str | None) -> bool:
    """ECPU databases other than Data Warehouse size their storage in GB."""
    return model != "OCPU" and workload != "DW"


# ---------------------------------------------------------------- cost

def cost(workload: str | None, model: str | None, count, storage_gb, license_model: str | None,
         free: bool = False) -> Cost | None:
    """What a database costs per month at list price (None while the values say too little)."""
    if free:
        return Cost(0.0, "month", ["Always Free: 1 OCPU and 20 GB, no charge"])
    try:
        n = float(count)
        gb = float(storage_gb)
    except (TypeError, ValueError):
        return None
    if n <= 0 or gb <= 0:
        return None
    byol = license_model == "BRING_YOUR_OWN_LICENSE"
    if model == "OCPU":
        cpu = price("adb-ocpu-byol" if byol else "adb-ocpu")
        st = price("adb-storage-exadata")
        storage_cost, storage_line = gb / 1024 * st.usd, f"{gb / 1024:g} TB × ${st.usd:,.2f} per TB per month"
        unit = "OCPU"
    else:
        cpu = price("adb-ecpu-byol" if byol else "adb-ecpu")
        st = price("adb-storage-dw" if workload == "DW" else "adb-storage-tp")
        storage_cost, storage_line = gb * st.usd, f"{gb:,.0f} GB × ${st.usd:.4f} per GB per month"
        unit = "ECPU"
    compute_cost = n * cpu.usd * HOURS_PER_MONTH
    return Cost(compute_cost + storage_cost, "month", [
        f"{n:g} {unit}{'s' if n != 1 else ''} × ${cpu.usd:.4f} per {unit} hour × {HOURS_PER_MONTH} h: "
        f"${compute_cost:,.2f} ({cpu.part})",
        f"{storage_line}: ${storage_cost:,.2f} ({st.part})"],
        note="pay-as-you-go list price, before taxes; storage is billed while stopped too, compute is not")


def _storage_gb(v: dict) -> float | None:
    try:
        if _in_gb(v.get("db_workload"), v.get("compute_model")):
            return float(v.get("storage_gbs") or 0)
        return float(v.get("storage_tbs") or 0) * 1024
    except (TypeError, ValueError):
        return None


def _form_cost(v: dict, _ctx: FormContext) -> Cost | None:
    return cost(v.get("db_workload"), v.get("compute_model"), v.get("compute_count"), _storage_gb(v),
                v.get("license_model"), bool(v.get("is_free_tier")))


def adb_cost(adb) -> Cost | None:
    gb = adb.data_storage_size_in_gbs or (adb.data_storage_size_in_tbs or 0) * 1024
    return cost(adb.db_workload, adb.compute_model, adb.compute_count, gb, adb.license_model,
                bool(adb.is_free_tier))


# ---------------------------------------------------------------- create

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


def _private(v, _ctx=None) -> bool:
    return v.get("network_access") == "PRIVATE" and not v.get("is_free_tier")


def _not_free(v, _ctx=None) -> bool:
    return not v.get("is_free_tier")


def _confirm(v, values, _ctx) -> str | None:
    return "The passwords differ" if v != values.get("admin_password") else None


def compute_fields(default_count: float | None = None) -> list[Field]:
    return [
        Field("compute_count", N_("Compute count"), "number", required=True, default=default_count or 2,
              depends_on=("compute_model", "is_free_tier"), visible=_not_free,
              bounds=lambda v, _c: (*_bounds(v.get("compute_model")), 1),
              help=N_("ECPUs: 2 to 512 (whole numbers); OCPUs: 1 to 128")),
        Field("is_auto_scaling_enabled", N_("Compute auto scaling"), "bool", default=True, visible=_not_free,
              depends_on=("is_free_tier",), help=N_("Lets the database use up to three times its compute when busy")),
    ]


def storage_fields(in_gb_default: int = 20, tb_default: int = 1) -> list[Field]:
    return [
        Field("storage_gbs", N_("Storage (GB)"), "number", required=True, default=in_gb_default,
              depends_on=("db_workload", "compute_model", "is_free_tier"),
              visible=lambda v, _c: _not_free(v) and _in_gb(v.get("db_workload"), v.get("compute_model")),
              bounds=lambda *_: (GB[0], GB[1], 1), help=N_("20 GB to 384 TB")),
        Field("storage_tbs", N_("Storage (TB)"), "number", required=True, default=tb_default,
              depends_on=("db_workload", "compute_model", "is_free_tier"),
              visible=lambda v, _c: _not_free(v) and not _in_gb(v.get("db_workload"), v.get("compute_model")),
              bounds=lambda *_: (TB[0], TB[1], 1), help=N_("1 to 384 TB")),
        Field("is_auto_scaling_for_storage_enabled", N_("Storage auto scaling"), "bool", default=False,
              visible=_not_free, depends_on=("is_free_tier",),
              help=N_("Grows the storage up to three times the size chosen as data needs it")),
    ]


def _storage_kw(v: dict) -> dict:
    if _in_gb(v.get("db_workload"), v.get("compute_model")):
        return {"data_storage_size_in_gbs": int(v["storage_gbs"])}
    return {"data_storage_size_in_tbs": int(v["storage_tbs"])}


def _common_kw(v: dict) -> dict:
    kw: dict = dict(compartment_id=v["compartment_id"], db_name=v["db_name"].strip(),
                    display_name=(v.get("display_name") or "").strip() or v["db_name"].strip(),
                    admin_password=v["admin_password"], db_workload=v["db_workload"],
                    license_model=v.get("license_model") or "LICENSE_INCLUDED")
    if v.get("is_free_tier"):
        kw["is_free_tier"] = True
    else:
        kw.update(compute_model=v["compute_model"], compute_count=float(v["compute_count"]),
                  is_auto_scaling_enabled=bool(v.get("is_auto_scaling_enabled")),
                  is_auto_scaling_for_storage_enabled=bool(v.get("is_auto_scaling_for_storage_enabled")),
                  **_storage_kw(v))
    if _private(v):
        kw.update(subnet_id=v["subnet_id"], private_endpoint_label=(v.get("private_endpoint_label") or None))
    else:
        ips, _err = validators.parse_ips(v.get("allowed_ips"))
        if ips:
            kw["whitelisted_ips"] = ips
    return kw


def _build(v: dict, ctx: FormContext) -> Request:
    return Request("database", "create_autonomous_database", M.CreateAutonomousDatabaseDetails(**_common_kw(v)),
                   secret_env={"admin_password": "ADB_ADMIN_PASSWORD"})


def _cli_args(d) -> list[tuple[str, object]]:
    return [("--compartment-id", d.compartment_id), ("--db-name", d.db_name), ("--display-name", d.display_name),
            ("--admin-password", "$ADB_ADMIN_PASSWORD"), ("--db-workload", d.db_workload),
            ("--is-free-tier", "true" if d.is_free_tier else None),
            ("--compute-model", d.compute_model), ("--compute-count", d.compute_count),
            ("--data-storage-size-in-tbs", d.data_storage_size_in_tbs),
            ("--data-storage-size-in-gbs", d.data_storage_size_in_gbs),
            ("--is-auto-scaling-enabled", "true" if d.is_auto_scaling_enabled else None),
            ("--is-auto-scaling-for-storage-enabled", "true" if d.is_auto_scaling_for_storage_enabled else None),
            ("--license-model", d.license_model), ("--subnet-id", d.subnet_id),
            ("--private-endpoint-label", d.private_endpoint_label), ("--whitelisted-ips", d.whitelisted_ips)]


def _cli(v: dict, ctx: FormContext, req: Request) -> str:
    return cli_command(f"{REF.cli} create", _cli_args(req.details) + [("--wait-for-state", "AVAILABLE")])


def _identity_fields() -> list[Field]:
    return [
        Field("admin_password", N_("ADMIN password"), "password", required=True,
              validate=lambda v, *_: password_problem(v),
              help=N_('12 to 30 characters with an uppercase and a lowercase letter and a digit; no double quote; '
                   'not containing "admin"')),
        Field("admin_password_confirm", N_("Confirm password"), "password", required=True, validate=_confirm,
              depends_on=("admin_password",)),
    ]


CREATE_FORM = FormSpec(
    title=N_("Create Autonomous Database"), kind_id=KIND_ID,
    fields=[
        Field("display_name", N_("Display name"), "text", placeholder=N_("defaults to the database name")),
        Field("db_name", N_("Database name"), "text", required=True, placeholder=N_("ORDERSDB"),
              validate=db_name_problem,
              help=N_("Letters and digits, starting with a letter, at most 30; unique in the tenancy")),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("db_workload", N_("Workload"), "enum", required=True, default="OLTP",
              options=[Option(k, f"{label} ({k})") for k, label in WORKLOADS.items()]),
        Field("is_free_tier", N_("Always Free"), "bool", default=False,
              help=N_("1 OCPU and 20 GB at no charge; at most two per tenancy, home region only, cannot be scaled")),
        Field("compute_model", N_("Compute model"), "enum", required=True, default="ECPU", visible=_not_free,
              depends_on=("is_free_tier",),
              options=[Option("ECPU", N_("ECPU")), Option("OCPU", N_("OCPU (legacy)"))]),
        *compute_fields(),
        *storage_fields(),
        Field("license_model", N_("License"), "enum", required=True, default="LICENSE_INCLUDED",
              options=[Option(k, label) for k, label in LICENSES.items()], visible=_not_free,
              depends_on=("is_free_tier",)),
        *_identity_fields(),
        Field("network_access", N_("Network access"), "enum", required=True, default="PUBLIC",
              depends_on=("is_free_tier",), visible=_not_free,
              options=[Option("PUBLIC", N_("Secure access from everywhere (optionally allowed IPs only)")),
                       Option("PRIVATE", N_("Private endpoint access only (in a subnet)"))]),
        Field("allowed_ips", N_("Allowed IPs"), "text", depends_on=("network_access", "is_free_tier"),
              placeholder=N_("any; or 203.0.113.0/24, …"), visible=lambda v, _c: not _private(v),
              validate=lambda v, *_: validators.parse_ips(v)[1],
              help=N_("The access control list: IP addresses or CIDR blocks (empty: anyone with the wallet)")),
        Field("vcn_id", N_("VCN"), "choice", required=True, options=_vcns, depends_on=("compartment_id",
                                                                                       "network_access"),
              visible=_private, create_kind="network.vcn"),
        Field("subnet_id", N_("Subnet"), "choice", required=True, options=_subnets, depends_on=("vcn_id",),
              visible=_private, help=N_("The private endpoint takes an address in this subnet")),
        Field("private_endpoint_label", N_("Private endpoint label"), "text", depends_on=("network_access",),
              visible=_private, placeholder=N_("optional"),
              validate=lambda v, *_: None if not v or re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,62}", v)
              else "Starts with a letter; letters and digits only"),
    ],
    build=_build, cli=_cli, describe=lambda v: (v.get("display_name") or v.get("db_name") or "").strip(),
    cost=_form_cost)


# ---------------------------------------------------------------- actions

def _call(method: str):
    async def run(session, adb, _options):
        await session.call("database", method, adb.id)
    return run


def _used_gb(adb) -> float:
    return float(adb.used_data_storage_size_in_gbs or 0)


def scale_form(adb) -> FormSpec:
    gb_mode = _in_gb(adb.db_workload, adb.compute_model)
    now_gb = adb.data_storage_size_in_gbs or (adb.data_storage_size_in_tbs or 1) * 1024
    used = _used_gb(adb)
    unit = "OCPUs" if adb.compute_model == "OCPU" else "ECPUs"

    def storage_check(v, values, _ctx) -> str | None:
        try:
            gb = float(v) if gb_mode else float(v) * 1024
        except (TypeError, ValueError):
            return None
        if gb < used:
            return f"The data uses {used:,.0f} GB; storage cannot go below it"
        return None

    def unchanged(values) -> bool:
        size = values.get("storage_gbs" if gb_mode else "storage_tbs")
        return (float(values.get("compute_count") or 0) == float(adb.compute_count or 0)
                and float(size or 0) == float(now_gb if gb_mode else now_gb / 1024)
                and bool(values.get("is_auto_scaling_enabled")) == bool(adb.is_auto_scaling_enabled))

    def count_check(v, values, _ctx) -> str | None:
        return "Nothing changes: pick another size" if unchanged(values) else None

    def build(v: dict, ctx: FormContext) -> Request:
        kw: dict = {"compute_count": float(v["compute_count"]),
                    "is_auto_scaling_enabled": bool(v.get("is_auto_scaling_enabled"))}
        if gb_mode:
            kw["data_storage_size_in_gbs"] = int(v["storage_gbs"])
        else:
            kw["data_storage_size_in_tbs"] = int(v["storage_tbs"])
        return Request("database", "update_autonomous_database", M.UpdateAutonomousDatabaseDetails(**kw),
                       args=(adb.id,), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command(f"{REF.cli} update", [
            ("--autonomous-database-id", adb.id), ("--compute-count", d.compute_count),
            ("--data-storage-size-in-tbs", d.data_storage_size_in_tbs),
            ("--data-storage-size-in-gbs", d.data_storage_size_in_gbs),
            ("--is-auto-scaling-enabled", str(bool(d.is_auto_scaling_enabled)).lower()),
            ("--wait-for-state", "AVAILABLE")])

    lo, hi = _bounds(adb.compute_model)
    fields = [
        Field("compute_count", f"Compute ({unit})", "number", required=True, default=adb.compute_count,
              bounds=lambda *_: (lo, hi, 1), validate=count_check,
              depends_on=("storage_gbs", "storage_tbs", "is_auto_scaling_enabled"),
              help=f"Now {adb.compute_count:g} {unit}; {lo} to {hi}"),
        Field("is_auto_scaling_enabled", N_("Compute auto scaling"), "bool", default=bool(adb.is_auto_scaling_enabled)),
    ]
    if gb_mode:
        fields.append(Field("storage_gbs", N_("Storage (GB)"), "number", required=True, default=int(now_gb),
                            bounds=lambda *_: (GB[0], GB[1], 1), validate=storage_check,
                            help=f"Now {now_gb:,} GB, of which {used:,.0f} GB used"))
    else:
        fields.append(Field("storage_tbs", N_("Storage (TB)"), "number", required=True, default=int(now_gb // 1024),
                            bounds=lambda *_: (TB[0], TB[1], 1), validate=storage_check,
                            help=f"Now {now_gb / 1024:g} TB, of which {used / 1024:.2f} TB used"))
    name = adb.display_name

    def scaled_cost(v, _c):
        gb = float(v.get("storage_gbs") or 0) if gb_mode else float(v.get("storage_tbs") or 0) * 1024
        return cost(adb.db_workload, adb.compute_model, v.get("compute_count"), gb, adb.license_model)
    return FormSpec(
        title=f"Scale {name}", kind_id=KIND_ID, fields=fields, build=build, cli=cli, describe=lambda _v: name,
        submit_label=N_("Scale"), op_title=lambda v: f"Scale {name} to {float(v.get('compute_count') or 0):g} {unit}",
        cost=scaled_cost)


def backup_form(adb) -> FormSpec:
    def build(v: dict, ctx: FormContext) -> Request:
        kw: dict = {"autonomous_database_id": adb.id, "display_name": v["display_name"].strip()}
        if v.get("is_long_term_backup"):
            kw.update(is_long_term_backup=True, retention_period_in_days=int(v["retention_period_in_days"]))
        return Request("database", "create_autonomous_database_backup",
                       M.CreateAutonomousDatabaseBackupDetails(**kw))

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command(f"{BACKUP_REF.cli} create", [
            ("--autonomous-database-id", adb.id), ("--display-name", d.display_name),
            ("--is-long-term-backup", "true" if d.is_long_term_backup else None),
            ("--retention-period-in-days", d.retention_period_in_days), ("--wait-for-state", "ACTIVE")])

    default = f"{adb.db_name}-{dt.datetime.now(dt.UTC).strftime('%Y%m%d-%H%M')}"
    return FormSpec(
        title=f"Create a backup of {adb.display_name}", kind_id=BACKUP_KIND_ID,
        fields=[Field("display_name", N_("Backup name"), "text", required=True, default=default),
                Field("is_long_term_backup", N_("Long-term backup"), "bool", default=False,
                      help=N_("Kept for the retention you choose (90 days to 10 years) and deletable; otherwise the "
                           "backup follows the database's automatic backup retention")),
                Field("retention_period_in_days", N_("Retention (days)"), "number", required=True, default=365,
                      depends_on=("is_long_term_backup",), bounds=lambda *_: (90, 3650, 1),
                      visible=lambda v, _c: bool(v.get("is_long_term_backup")))],
        build=build, cli=cli, describe=lambda v: v.get("display_name") or "", submit_label=N_("Create backup"),
        op_title=lambda v: f"Back up {adb.display_name}")


def restore_form(adb) -> FormSpec:
    def when(v) -> dt.datetime | None:
        try:
            t = dt.datetime.fromisoformat(str(v).strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return t if t.tzinfo else t.replace(tzinfo=dt.UTC)

    created = adb.time_created

    def check(v, values, _ctx) -> str | None:
        if values.get("latest"):
            return None
        t = when(v)
        if t is None:
            return "A date and time, e.g. 2026-01-31 14:30 (UTC)"
        if t > dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5):
            return "That is in the future"
        if created is not None and t < created:
            return f"The database was created on {created:%Y-%m-%d %H:%M} UTC"
        return None

    def build(v: dict, ctx: FormContext) -> Request:
        details = M.RestoreAutonomousDatabaseDetails(latest=True) if v.get("latest") else \
            M.RestoreAutonomousDatabaseDetails(timestamp=when(v["timestamp"]))
        return Request("database", "restore_autonomous_database", details, args=(adb.id,), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command(f"{REF.cli} restore", [
            ("--autonomous-database-id", adb.id), ("--latest", "true" if d.latest else None),
            ("--timestamp", d.timestamp.isoformat() if d.timestamp else None), ("--wait-for-state", "AVAILABLE")])

    default = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    return FormSpec(
        title=f"Restore {adb.display_name}", kind_id=KIND_ID,
        fields=[Field("latest", N_("To the latest point"), "bool", default=False),
                Field("timestamp", N_("Point in time (UTC)"), "text", required=True, default=default, validate=check,
                      depends_on=("latest",), visible=lambda v, _c: not v.get("latest"),
                      help=f"Within the automatic backup retention ({adb.backup_retention_period_in_days or 60} "
                           "days); the database is unavailable while it is restored")],
        build=build, cli=cli, describe=lambda _v: adb.display_name, submit_label=N_("Restore"),
        op_title=lambda v: f"Restore {adb.display_name}")


def clone_form(adb) -> FormSpec:
    used = _used_gb(adb)

    def storage_check(v, values, _ctx) -> str | None:
        gb = _storage_gb(values)
        if values.get("clone_type") == "FULL" and gb is not None and gb < used:
            return f"A full clone copies {used:,.0f} GB of data: give at least that much storage"
        return None

    def build(v: dict, ctx: FormContext) -> Request:
        kw = _common_kw(dict(v, db_workload=adb.db_workload, network_access="PUBLIC", is_free_tier=False))
        kw.update(source_id=adb.id, clone_type=v["clone_type"])
        return Request("database", "create_autonomous_database", M.CreateAutonomousDatabaseCloneDetails(**kw),
                       secret_env={"admin_password": "ADB_ADMIN_PASSWORD"})

    def cli(v, ctx, req: Request) -> str:
        return cli_command(f"{REF.cli} create-from-clone", _cli_args(req.details) + [
            ("--source-id", adb.id), ("--clone-type", req.details.clone_type), ("--wait-for-state", "AVAILABLE")])

    in_gb = _in_gb(adb.db_workload, adb.compute_model)
    now_gb = adb.data_storage_size_in_gbs or (adb.data_storage_size_in_tbs or 1) * 1024
    fields = [
        Field("db_name", N_("Database name"), "text", required=True, default=f"{adb.db_name}CLONE"[:30],
              validate=db_name_problem),
        Field("display_name", N_("Display name"), "text", placeholder=N_("defaults to the database name")),
        Field("compartment_id", N_("Compartment"), "compartment", required=True, default=adb.compartment_id),
        Field("clone_type", N_("Clone type"), "enum", required=True, default="FULL",
              options=[Option("FULL", N_("Full clone (data and metadata)")),
                       Option("METADATA", N_("Metadata clone (schemas only, no data)"))]),
        Field("compute_model", N_("Compute model"), "enum", required=True, default=adb.compute_model or "ECPU",
              options=[Option(adb.compute_model or "ECPU", adb.compute_model or "ECPU")]),
        *compute_fields(adb.compute_count),
    ]
    for f in storage_fields(int(now_gb) if in_gb else 20, max(1, int(now_gb // 1024))):
        if f.name in ("storage_gbs", "storage_tbs"):
            f.validate = storage_check
            f.depends_on = (*f.depends_on, "clone_type")
        fields.append(f)
    fields += [Field("license_model", N_("License"), "enum", required=True, default=adb.license_model or
                     "LICENSE_INCLUDED", options=[Option(k, label) for k, label in LICENSES.items()]),
               *_identity_fields()]
    return FormSpec(
        title=f"Clone {adb.display_name}", kind_id=KIND_ID, fields=fields, build=build, cli=cli,
        describe=lambda v: (v.get("db_name") or "").strip(), submit_label=N_("Clone"),
        op_title=lambda v: f"Clone {adb.display_name} as {(v.get('db_name') or '').strip()}",
        cost=lambda v, _c: cost(adb.db_workload, v.get("compute_model"), v.get("compute_count"),
                                _storage_gb(dict(v, db_workload=adb.db_workload)), v.get("license_model")))


@dataclass
class WalletDownload:
    """A client wallet saved to a local file."""

    id: str
    path: str
    size: int


def download_dir() -> str:
    d = os.path.join(os.path.expanduser("~"), "Downloads")
    return d if os.path.isdir(d) else os.path.expanduser("~")


def wallet_form(adb) -> FormSpec:
    def build(v: dict, ctx: FormContext) -> Request:
        dest = os.path.expanduser(v["path"].strip())
        password = v["password"]

        async def run(session, _token, step):
            step(f"Saving to {dest}")
            return WalletDownload(adb.id, dest, await svc.download_wallet(session, adb.id, password, dest))
        return Request("database", "generate_autonomous_database_wallet",
                       M.GenerateAutonomousDatabaseWalletDetails(password=password, generate_type="SINGLE"),
                       args=(adb.id,), run=run, secret_env={"password": "WALLET_PASSWORD"},
                       python_after=f"with open({dest!r}, \"wb\") as f:\n"
                                    f"    f.write(response.data.content)\n"
                                    f"os.chmod({dest!r}, 0o600)")

    def cli(v, ctx, req: Request) -> str:
        return cli_command(f"{REF.cli} generate-wallet", [
            ("--autonomous-database-id", adb.id), ("--password", "$WALLET_PASSWORD"),
            ("--file", os.path.expanduser(v["path"].strip()))])

    def exists(v, _values, _ctx) -> str | None:
        path = os.path.expanduser(str(v).strip())
        return f"{path} exists: it will be replaced" if os.path.isfile(path) else None

    return FormSpec(
        title=f"Download the wallet of {adb.display_name}", kind_id="database.wallet_download",
        fields=[Field("password", N_("Wallet password"), "password", required=True,
                      validate=lambda v, *_: wallet_password_problem(v),
                      help=N_("Protects the keys in the wallet (ewallet.p12, the Java key stores); at least 8 "
                           "characters with a letter and a digit or special character")),
                Field("password_confirm", N_("Confirm password"), "password", required=True, depends_on=("password",),
                      validate=lambda v, values, _c: "The passwords differ" if v != values.get("password") else None),
                Field("path", N_("Save as"), "savefile", required=True, warning=exists,
                      default=os.path.join(download_dir(), f"Wallet_{adb.db_name}.zip"),
                      file_filter="Zip archives (*.zip);;All files (*)",
                      help=N_("Saved readable by you only (mode 0600): the wallet holds the client's private key"))],
        build=build, cli=cli, describe=lambda _v: adb.display_name, submit_label=N_("Download"),
        op_title=lambda _v: f"Download the wallet of {adb.display_name}",
        reveal=lambda r: [("Saved to", r.path), ("Size", f"{r.size:,} bytes")])


ACTIONS = [
    Action("start", N_("Start"), _call("start_autonomous_database"), frozenset({"STOPPED"}),
           target_states=frozenset({"AVAILABLE"}), icon="start", verb=N_("Starting")),
    Action("stop", N_("Stop"), _call("stop_autonomous_database"), UP, target_states=frozenset({"STOPPED"}),
           icon="stop", verb=N_("Stopping"), confirm="simple"),
    Action("restart", N_("Restart"), _call("restart_autonomous_database"), UP, target_states=UP, icon="reboot",
           verb=N_("Restarting"), confirm="simple"),
    Action("scale", N_("Scale…"), no_run, UP, form=scale_form, target_states=UP, icon="resize", verb=N_("Scaling"),
           when=lambda a: not a.is_free_tier),
    Action("backup", N_("Create backup…"), no_run, UP, form=backup_form, target_states=frozenset({"ACTIVE"}),
           icon="backup", verb=N_("Backing up"), when=lambda a: not a.is_free_tier),
    Action("restore", N_("Restore…"), no_run, frozenset({"AVAILABLE", "STOPPED"}), form=restore_form,
           target_states=frozenset({"AVAILABLE", "STOPPED"}), icon="refresh", verb=N_("Restoring"),
           when=lambda a: not a.is_free_tier),
    Action("clone", N_("Clone…"), no_run, UP, form=clone_form, target_states=UP, icon="create", verb=N_("Cloning")),
    Action("wallet", N_("Download wallet…"), no_run, frozenset({"AVAILABLE", "STOPPED"}), form=wallet_form,
           icon="download", verb=N_("Downloading wallet of")),
    delete_action(REF, frozenset({"AVAILABLE", "STOPPED", "AVAILABLE_NEEDS_ATTENTION", "FAILED"})),
]


# ---------------------------------------------------------------- details

def compute_text(adb) -> str:
    if adb.is_free_tier:
        return "Always Free"
    unit = "OCPU" if adb.compute_model == "OCPU" else "ECPU"
    n = adb.compute_count or adb.cpu_core_count or 0
    return f"{n:g} {unit}{'s' if n != 1 else ''}" + (" (auto scaling)" if adb.is_auto_scaling_enabled else "")


def storage_text(adb) -> str:
    alloc = adb.data_storage_size_in_gbs or (adb.data_storage_size_in_tbs or 0) * 1024
    used = adb.used_data_storage_size_in_gbs or 0
    fmt = (lambda g: f"{g / 1024:.2f} TB") if alloc >= 1024 else (lambda g: f"{g:,.0f} GB")
    pct = f" ({100 * used / alloc:.0f}%)" if alloc else ""
    return f"{fmt(used)} of {fmt(alloc)}{pct}"


async def _overview(session, adb) -> list[RelatedItem]:
    out = [RelatedItem("Database name", adb.db_name or ""),
           RelatedItem("Workload", f"{WORKLOADS.get(adb.db_workload, adb.db_workload)} ({adb.db_workload})"),
           RelatedItem("Compute", compute_text(adb)),
           RelatedItem("Storage used / allocated", storage_text(adb)
                       + (" (auto scaling)" if adb.is_auto_scaling_for_storage_enabled else "")),
           RelatedItem("Database version", adb.db_version or ""),
           RelatedItem("License", LICENSES.get(adb.license_model, adb.license_model or ""))]
    c = adb_cost(adb)
    if c is not None:
        out.append(RelatedItem("Cost at list price", f"${c.amount:,.2f} per month"))
    if adb.source_id:
        out.append(RelatedItem(f"Cloned from ({adb.clone_type or 'FULL'})", adb.source_id, adb.source_id))
    return out


async def _connections(session, adb) -> list[RelatedItem]:
    cs = adb.connection_strings
    out = []
    if cs is not None:
        for level, value in (cs.all_connection_strings or {}).items():
            out.append(RelatedItem(f"{adb.db_name.lower()}_{level.lower()}", value))
    urls = adb.connection_urls
    if urls is not None:
        for label, value in (("Database Actions", urls.sql_dev_web_url), ("APEX", urls.apex_url),
                             ("ORDS", urls.ords_url), ("MongoDB API", urls.mongo_db_url)):
            if value:
                out.append(RelatedItem(label, value))
    return out


async def _network(session, adb) -> list[RelatedItem]:
    if adb.subnet_id:
        out = [RelatedItem("Access", "Private endpoint"),
               RelatedItem("Private endpoint", f"{adb.private_endpoint} ({adb.private_endpoint_ip})"),
               RelatedItem("Subnet", adb.subnet_id, adb.subnet_id)]
        out += [RelatedItem("Network security group", n, n) for n in adb.nsg_ids or []]
        return out
    acl = adb.whitelisted_ips or []
    return [RelatedItem("Access", "Public endpoint" + (", access control list" if acl else ", from anywhere")),
            *[RelatedItem("Allowed", ip) for ip in acl],
            RelatedItem("Mutual TLS (wallet) required", "yes" if adb.is_mtls_connection_required else "no")]


async def _backups(session, adb) -> list[RelatedItem]:
    items = await session.list_all("database", "list_autonomous_database_backups", autonomous_database_id=adb.id)
    items = sorted(items, key=lambda b: b.time_started or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
    out = []
    for b in items:
        if b.lifecycle_state in ("DELETED",):
            continue
        size = f"{(b.database_size_in_tbs or 0) * 1024:,.0f} GB"
        when = f"{b.time_started:%Y-%m-%d %H:%M}" if b.time_started else ""
        out.append(RelatedItem(b.display_name, f"{b.type} {'automatic' if b.is_automatic else 'manual'}, {when}, "
                                               f"{size}, {b.lifecycle_state}", b.id))
    return out or [RelatedItem("Backups", "none yet")]


AUTONOMOUS_DATABASES = ResourceKind(
    id=KIND_ID, label=N_("Autonomous Databases"), singular=N_("Autonomous Database"), group=N_("Database"),
                                    icon="database",
    list=lister(REF), get=getter(REF), ocid_types=("autonomousdatabase",), order=10,
    columns=[
        Column(N_("Name"), attr("display_name"), width=170),
        Column(N_("State"), attr("lifecycle_state"), "state", width=110),
        Column(N_("Workload"), lambda a: WORKLOADS.get(a.db_workload, a.db_workload), width=150),
        Column(N_("Compute"), compute_text, width=140),
        Column(N_("Storage used"), storage_text, width=160),
        Column(N_("License"), lambda a: "BYOL" if a.license_model == "BRING_YOUR_OWN_LICENSE" else "Included",
               width=80),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Overview"), _overview), Related(N_("Connection strings"), _connections),
             Related(N_("Network"), _network), Related(N_("Backups"), _backups)],
    actions=ACTIONS, create=CREATE_FORM, ready_states=frozenset({"AVAILABLE", "STOPPED"}), sdk=REF,
    metrics=MetricsSpec("oci_autonomous_database", [
        ChartSpec("CPU utilization", ["CpuUtilization"], "%", y_range=(0, 100)),
        ChartSpec("Storage utilization", ["StorageUtilization"], "%", y_range=(0, 100)),
        ChartSpec("Sessions", ["Sessions", "CurrentLogons"], "count",
                  labels={"Sessions": "sessions", "CurrentLogons": "logons"}),
        ChartSpec("Statements", ["ExecuteCount", "TransactionCount"], "count", statistic="sum",
                  labels={"ExecuteCount": "executes", "TransactionCount": "transactions"}),
        ChartSpec("Running / queued", ["RunningStatements", "QueuedStatements"], "count",
                  labels={"RunningStatements": "running", "QueuedStatements": "queued"}),
    ]),
)


async def _no_list(_session, _compartment_id, _parent=None) -> list:
    return []


async def _backup_related(session, b) -> list[RelatedItem]:
    return [RelatedItem("Database", b.autonomous_database_id, b.autonomous_database_id),
            RelatedItem("Type", f"{b.type} ({'automatic' if b.is_automatic else 'manual'})"),
            RelatedItem("Size", f"{(b.database_size_in_tbs or 0) * 1024:,.1f} GB"),
            RelatedItem("Kept until", f"{b.time_available_till:%Y-%m-%d}" if b.time_available_till else "")]


# only long-term backups can be deleted; the others expire with the database's retention
_backup_delete = delete_action(BACKUP_REF, frozenset({"ACTIVE"}))
_backup_delete.when = lambda b: b.type == "LONGTERM"

BACKUPS = ResourceKind(
    id=BACKUP_KIND_ID, label=N_("Autonomous Database backups"), singular=N_("Autonomous Database backup"),
                       group=N_("Database"),
    icon="backup", scope="hidden", list=_no_list, get=getter(BACKUP_REF), ocid_types=("autonomousdatabasebackup",),
    columns=[Column(N_("Name"), attr("display_name"), width=200), Column(N_("State"), attr("lifecycle_state"), "state"),
             Column(N_("Type"), attr("type")), Column(N_("Started"), attr("time_started"), "datetime")],
    related=[Related(N_("Backup"), _backup_related)],
    actions=[_backup_delete], ready_states=frozenset({"ACTIVE"}), sdk=BACKUP_REF, movable=False)

WALLET_DOWNLOADS = ResourceKind(
    id="database.wallet_download", label=N_("Wallet downloads"), singular=N_("Wallet download"), group=N_("Database"),
    icon="download", scope="hidden", list=_no_list, get=None, columns=[Column(N_("Saved to"), attr("path"))],
    movable=False)

KINDS = [AUTONOMOUS_DATABASES, BACKUPS, WALLET_DOWNLOADS]
