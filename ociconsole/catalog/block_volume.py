"""Block Volume kinds: volumes (attach, detach, resize, back up now), their attachments, volume
backups and backup policies (schedules, cross-region copies), volume groups (created from volumes of
one availability domain, picked one "Volume N" choice after another up to OCI's 32; back up now) and
volume group backups."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from ..core.errors import OciError, loggable
from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..services import blockstorage as svc
from ..services import compute as compute_svc
from ..services import identity as idsvc
from . import generic, pricing, validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .generic import SdkRef
from .model import Action, ChartSpec, Column, MetricsSpec, Related, RelatedItem, ResourceKind, attr, no_run

log = logging.getLogger(__name__)

M = sdk_models("core")
GONE = frozenset({"TERMINATED"})
MIN_GB, MAX_GB = 50, 32768

PERFORMANCE = [(0, "Lower cost"), (10, "Balanced"), (20, "Higher performance")] + \
    [(v, "Ultra high performance") for v in range(30, 130, 10)]


def performance(vpus) -> str:
    """10 -> 'Balanced (10 VPUs/GB)'."""
    if vpus is None:
        return ""
    name = dict(PERFORMANCE).get(int(vpus), "")
    return f"{name} ({int(vpus)} VPUs/GB)" if name else f"{int(vpus)} VPUs/GB"


VPU_OPTIONS = [Option(v, performance(v)) for v, _ in PERFORMANCE]
PERIODS = [("ONE_HOUR", "Hourly"), ("ONE_DAY", "Daily"), ("ONE_WEEK", "Weekly"), ("ONE_MONTH", "Monthly"),
           ("ONE_YEAR", "Yearly")]
PERIOD_NAMES = dict(PERIODS)
MIN_RETENTION_DAYS = {"ONE_HOUR": 1, "ONE_DAY": 1, "ONE_WEEK": 7, "ONE_MONTH": 31, "ONE_YEAR": 366}
WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
MONTHS = ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER",
          "NOVEMBER", "DECEMBER"]
SCHEDULES = 3  # schedule rows in the policy form


def _tags(v):
    return validators.parse_tags(v.get("freeform_tags"))[0] or None


def _delete(fn):
    async def run(session, res, _options):
        await fn(session, res.id)
    return run


def _delete_action(fn, states=frozenset({"AVAILABLE"})) -> Action:
    return Action("delete", N_("Delete"), _delete(fn), states, destructive=True, confirm="name",
                  target_states=GONE, gone_ok=True, shortcut="Delete", icon="delete", verb=N_("Deleting"))


def _shown_after(prev: str) -> Callable[[dict, FormContext], bool]:
    """`Field.visible` of a slot shown once the slot before it (field `prev`) is filled."""
    return lambda v, _c: bool(v.get(prev))


async def _ads(ctx: FormContext, _values) -> list[Option]:
    return [Option(a.name, a.name, a) for a in await idsvc.list_availability_domains(ctx.session)]


# ---------------------------------------------------------------- related

async def _volume_attachments(session, vol) -> list[RelatedItem]:
    out = []
    for a in await svc.volume_attachments(session, vol.compartment_id, volume_id=vol.id):
        try:
            inst = await compute_svc.get_instance(session, a.instance_id)
            name = inst.display_name
        except Exception as e:
            log.debug("instance %s not named: %s", a.instance_id, loggable(e))
            name = a.instance_id
        ro = ", read-only" if a.is_read_only else ""
        out.append(RelatedItem(f"Instance {name}", f"{a.attachment_type}, {a.device or 'no device'}{ro}, "
                               f"{a.lifecycle_state}", a.instance_id))
    return out


async def _volume_backups(session, vol) -> list[RelatedItem]:
    backups = await svc.list_volume_backups(session, vol.compartment_id, volume_id=vol.id)
    live = [b for b in backups if b.lifecycle_state not in ("TERMINATED", "TERMINATING")]
    live.sort(key=lambda b: b.time_created, reverse=True)
    return [RelatedItem(f"{b.type.title()} backup", f"{b.display_name} ({b.time_created:%Y-%m-%d %H:%M}, "
                        f"{b.lifecycle_state})", b.id) for b in live[:20]]


async def _volume_policy(session, vol) -> list[RelatedItem]:
    pol = await svc.policy_of(session, vol.id)
    if pol is None:
        return [RelatedItem("Backup policy", "none — this volume is not backed up on a schedule")]
    return [RelatedItem("Backup policy", pol.display_name, pol.id)] + _schedule_items(pol)


def _schedule_text(s) -> str:
    when = ""
    if s.period == "ONE_WEEK" and s.day_of_week:
        when = f" on {s.day_of_week.title()}"
    elif s.period in ("ONE_MONTH", "ONE_YEAR") and s.day_of_month:
        when = f" on day {s.day_of_month}" + (f" of {s.month.title()}" if s.period == "ONE_YEAR" and s.month else "")
    at = f" at {s.hour_of_day:02d}:00 {s.time_zone or 'UTC'}" if s.period != "ONE_HOUR" and \
        s.hour_of_day is not None else ""
    keep = s.retention_seconds / 86400 if s.retention_seconds else 0
    keep_text = f"{keep:g} days" if keep >= 1 else f"{s.retention_seconds / 3600:g} hours"
    return f"{PERIOD_NAMES.get(s.period, s.period)}{when}{at}, {s.backup_type.lower()}, kept {keep_text}"


def _schedule_items(pol) -> list[RelatedItem]:
    items = [RelatedItem(f"Schedule {i}", _schedule_text(s)) for i, s in enumerate(pol.schedules or [], 1)]
    if pol.destination_region:
        items.append(RelatedItem("Copied to", pol.destination_region))
    return items


async def _policy_related(session, pol) -> list[RelatedItem]:
    return _schedule_items(pol)


async def _backup_related(session, b) -> list[RelatedItem]:
    out = []
    if b.volume_id:
        try:
            vol = await svc.get_volume(session, b.volume_id)
            out.append(RelatedItem("Volume", f"{vol.display_name} ({vol.lifecycle_state})", vol.id))
        except Exception as e:
            log.debug("volume %s not named: %s", b.volume_id, loggable(e))
            out.append(RelatedItem("Volume", b.volume_id))
    if b.expiration_time:
        out.append(RelatedItem("Expires", f"{b.expiration_time:%Y-%m-%d %H:%M}"))
    return out


async def _attachment_related(session, a) -> list[RelatedItem]:
    out = []
    for label, getter, ocid in (("Volume", svc.get_volume, a.volume_id),
                                ("Instance", compute_svc.get_instance, a.instance_id)):
        try:
            r = await getter(session, ocid)
            out.append(RelatedItem(label, r.display_name, r.id))
        except Exception as e:
            log.debug("%s not named: %s", ocid, loggable(e))
            out.append(RelatedItem(label, ocid, ocid))
    return out


# ---------------------------------------------------------------- actions

async def _detach(session, vol, _options):
    """Detach the volume from its instance; returns the attachment (tracked until DETACHED)."""
    atts = await svc.volume_attachments(session, vol.compartment_id, volume_id=vol.id)
    if not atts:
        from ..core.errors import OciError
        raise OciError(f"Volume {vol.display_name} is not attached to any instance", code="NotAttached",
                       kind="input")
    for a in atts:
        await svc.detach(session, a.id)
    return await svc.get_volume_attachment(session, atts[0].id)


async def _detach_attachment(session, att, _options):
    await svc.detach(session, att.id)


# ---------------------------------------------------------------- create volume

async def _policies(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    oracle = await svc.list_backup_policies(ctx.session)
    custom = await svc.list_backup_policies(ctx.session, comp)
    out = [Option("", N_("None — no scheduled backups"))]
    out += [Option(p.id, f"{p.display_name.title()} (Oracle-defined)", p) for p in oracle]
    out += [Option(p.id, p.display_name, p) for p in custom]
    return out


def _volume_request(v: dict, ctx: FormContext) -> Request:
    return Request("blockstorage", "create_volume", M.CreateVolumeDetails(
        compartment_id=v["compartment_id"], availability_domain=v["availability_domain"],
        display_name=v.get("display_name") or None, size_in_gbs=int(v["size_in_gbs"]),
        vpus_per_gb=int(v["vpus_per_gb"]), backup_policy_id=v.get("backup_policy_id") or None,
        freeform_tags=_tags(v)))


def _volume_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("bv volume create", [
        ("--compartment-id", d.compartment_id), ("--availability-domain", d.availability_domain),
        ("--display-name", d.display_name), ("--size-in-gbs", d.size_in_gbs), ("--vpus-per-gb", d.vpus_per_gb),
        ("--backup-policy-id", d.backup_policy_id), ("--freeform-tags", d.freeform_tags),
        ("--wait-for-state", "AVAILABLE")])


VOLUME_FORM = FormSpec(
    title=N_("Create block volume"), kind_id="blockstorage.volume",
    fields=[
        Field("display_name", N_("Name"), "text", required=True,
              default_from=lambda *_: time.strftime("volume-%Y%m%d-%H%M"),
              validate=lambda v, *_: validators.display_name(v, True)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("availability_domain", N_("Availability domain"), "choice", required=True, options=_ads,
              help=N_("A volume can only be attached to instances in the same availability domain")),
        Field("size_in_gbs", N_("Size (GB)"), "number", required=True, default=1024,
              bounds=lambda v, c: (MIN_GB, MAX_GB, 1),
              help=N_("50 GB to 32 TB; a volume can grow later, never shrink")),
        Field("vpus_per_gb", N_("Performance"), "enum", required=True, default=10, options=VPU_OPTIONS,
              help=N_("Volume performance units per GB: more VPUs, more IOPS and throughput per GB (and cost)")),
        Field("backup_policy_id", N_("Backup policy"), "choice", default="", options=_policies,
              depends_on=("compartment_id",)),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_volume_request, cli=_volume_cli,
    cost=lambda v, ctx: pricing.monthly_cost([("volume", {"sizeInGBs": v.get("size_in_gbs") or 0,
                                                          "vpusPerGB": v.get("vpus_per_gb") or 0}, "AVAILABLE")]))


# ---------------------------------------------------------------- action forms

def attach_form(vol) -> FormSpec:
    async def instances(ctx: FormContext, values) -> list[Option]:
        comp = values.get("instance_compartment_id") or vol.compartment_id
        out = []
        for i in await compute_svc.list_instances(ctx.session, comp):
            if i.availability_domain != vol.availability_domain or i.lifecycle_state not in ("RUNNING", "STOPPED"):
                continue
            out.append(Option(i.id, f"{i.display_name} ({i.shape}, {i.lifecycle_state.lower()})", i))
        return out

    def build(v: dict, ctx: FormContext) -> Request:
        common = dict(instance_id=v["instance_id"], volume_id=vol.id, is_read_only=bool(v.get("is_read_only")),
                      is_shareable=bool(v.get("is_shareable")) or None, display_name=None)
        if v.get("attachment_type") == "iscsi":
            details = M.AttachIScsiVolumeDetails(type="iscsi", **common)
        else:
            details = M.AttachParavirtualizedVolumeDetails(type="paravirtualized", **common)
        return Request("compute", "attach_volume", details)

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command("compute volume-attachment attach", [
            ("--instance-id", d.instance_id), ("--volume-id", d.volume_id), ("--type", d.type),
            ("--is-read-only", d.is_read_only), ("--is-shareable", d.is_shareable),
            ("--wait-for-state", "ATTACHED")])

    return FormSpec(
        title=f"Attach volume {vol.display_name}", kind_id="compute.volume_attachment",
        fields=[
            Field("instance_compartment_id", N_("Instance compartment"), "compartment", required=True,
                  default_from=lambda *_: vol.compartment_id),
            Field("instance_id", N_("Instance"), "choice", required=True, options=instances,
                  depends_on=("instance_compartment_id",),
                  help=f"Running or stopped instances in {vol.availability_domain} (the volume's availability "
                       "domain) only"),
            Field("attachment_type", N_("Attachment type"), "enum", required=True, default="paravirtualized", options=[
                Option("paravirtualized", N_("Paravirtualized — simplest, no commands to run on the instance")),
                Option("iscsi", N_("iSCSI — highest performance; run the iSCSI commands on the instance")),
            ]),
            Field("is_read_only", N_("Read-only"), "bool", default=False),
            Field("is_shareable", N_("Shareable (several instances may attach it)"), "bool", default=False),
        ],
        build=build, cli=cli, describe=lambda v: vol.display_name, submit_label=N_("Attach"),
        op_title=lambda v: f"Attach volume {vol.display_name}")


def resize_form(vol) -> FormSpec:
    def check_size(v, values, ctx):
        err = validators.number_in(v, MIN_GB, MAX_GB, "Size (GB)")
        if err:
            return err
        if v < vol.size_in_gbs:
            return f"A volume can only grow: {vol.display_name} is {vol.size_in_gbs} GB"
        if v == vol.size_in_gbs and values.get("vpus_per_gb") == vol.vpus_per_gb:
            return "Nothing to change: choose a larger size or another performance level"
        return None

    def build(v: dict, ctx: FormContext) -> Request:
        size = int(v["size_in_gbs"])
        vpus = int(v["vpus_per_gb"])
        return Request("blockstorage", "update_volume", M.UpdateVolumeDetails(
            size_in_gbs=size if size != vol.size_in_gbs else None,
            vpus_per_gb=vpus if vpus != vol.vpus_per_gb else None), args=(vol.id,), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command("bv volume update", [
            ("--volume-id", vol.id), ("--size-in-gbs", d.size_in_gbs), ("--vpus-per-gb", d.vpus_per_gb),
            ("--wait-for-state", "AVAILABLE")])

    return FormSpec(
        title=f"Resize volume {vol.display_name}", kind_id="blockstorage.volume",
        fields=[
            Field("size_in_gbs", N_("Size (GB)"), "number", required=True, default=vol.size_in_gbs,
                  validate=check_size, depends_on=("vpus_per_gb",),
                  help=f"Now {vol.size_in_gbs} GB; up to {MAX_GB:,} GB. After growing it, extend the partition and "
                       "file system on the instance"),
            Field("vpus_per_gb", N_("Performance"), "enum", required=True, default=vol.vpus_per_gb,
                  options=VPU_OPTIONS),
        ],
        build=build, cli=cli, describe=lambda v: vol.display_name, submit_label=N_("Resize"),
        op_title=lambda v: f"Resize volume {vol.display_name} to {v.get('size_in_gbs')} GB")


def backup_form(vol) -> FormSpec:
    def build(v: dict, ctx: FormContext) -> Request:
        return Request("blockstorage", "create_volume_backup", M.CreateVolumeBackupDetails(
            volume_id=vol.id, type=v["type"], display_name=v.get("display_name") or None))

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command("bv backup create", [
            ("--volume-id", d.volume_id), ("--type", d.type), ("--display-name", d.display_name),
            ("--wait-for-state", "AVAILABLE")])

    return FormSpec(
        title=f"Back up volume {vol.display_name}", kind_id="blockstorage.volume_backup",
        fields=[
            Field("display_name", N_("Backup name"), "text", required=True,
                  default_from=lambda *_: time.strftime(f"{vol.display_name}-%Y%m%d-%H%M"),
                  validate=lambda v, *_: validators.display_name(v, True)),
            Field("type", N_("Backup type"), "enum", required=True, default="INCREMENTAL", options=[
                Option("INCREMENTAL", N_("Incremental — only what changed since the last backup")),
                Option("FULL", N_("Full — a complete, independent copy")),
            ]),
        ],
        build=build, cli=cli, describe=lambda v: v.get("display_name") or vol.display_name, submit_label=N_("Back up"),
        op_title=lambda v: f"Back up volume {vol.display_name} ({(v.get('type') or '').lower()})")


# ---------------------------------------------------------------- backup policy form

async def _other_regions(ctx: FormContext, _values) -> list[Option]:
    subs = await idsvc.list_region_subscriptions(ctx.session)
    here = ctx.session.connection.region
    return [Option("", N_("None — keep backups in this region only"))] + [
        Option(s.region_name, s.region_name) for s in subs if s.region_name != here and s.status == "READY"]


def _schedule_fields(i: int) -> list[Field]:
    p = f"s{i}_"

    def period(values):
        return values.get(p + "period") or ""

    def on(values, _ctx=None) -> bool:
        return bool(period(values))

    def retention_check(v, values, ctx):
        need = MIN_RETENTION_DAYS.get(period(values), 1)
        if v is not None and v < need:
            return f"Keep {PERIOD_NAMES[period(values)].lower()} backups at least {need} day{'s' if need > 1 else ''}"
        return None

    label = f"Schedule {i}"
    options = ([] if i == 1 else [Option("", N_("None"))]) + [Option(k, n) for k, n in PERIODS]
    fields = [
        Field(p + "period", label, "enum", required=(i == 1), default="ONE_DAY" if i == 1 else "", options=options,
              visible=None if i == 1 else _shown_after(f"s{i - 1}_period")),
        Field(p + "type", N_("  Backup type"), "enum", required=True, default="INCREMENTAL" if i == 1 else "FULL",
              options=[Option("INCREMENTAL", N_("Incremental")), Option("FULL", N_("Full"))],
              depends_on=(p + "period",),
              visible=lambda v, c: on(v)),
        Field(p + "weekday", N_("  Day of the week"), "enum", required=True, default="SUNDAY",
              options=[Option(d, d.title()) for d in WEEKDAYS], depends_on=(p + "period",),
              visible=lambda v, c: period(v) == "ONE_WEEK"),
        Field(p + "month", N_("  Month"), "enum", required=True, default="JANUARY",
              options=[Option(m, m.title()) for m in MONTHS], depends_on=(p + "period",),
              visible=lambda v, c: period(v) == "ONE_YEAR"),
        Field(p + "day", N_("  Day of the month"), "number", required=True, default=1, bounds=lambda v, c: (1, 28, 1),
              depends_on=(p + "period",), visible=lambda v, c: period(v) in ("ONE_MONTH", "ONE_YEAR")),
        Field(p + "hour", N_("  Hour (UTC)"), "number", required=True, default=2, bounds=lambda v, c: (0, 23, 1),
              depends_on=(p + "period",), visible=lambda v, c: on(v) and period(v) != "ONE_HOUR"),
        Field(p + "retention", N_("  Keep for (days)"), "number", required=True,
              default={1: 14, 2: 90, 3: 365}[i], bounds=lambda v, c: (1, 36500, 1), validate=retention_check,
              depends_on=(p + "period",), visible=lambda v, c: on(v)),
    ]
    return fields


def _schedules(v: dict) -> list:
    out = []
    for i in range(1, SCHEDULES + 1):
        p = f"s{i}_"
        per = v.get(p + "period")
        if not per:
            break
        out.append(M.VolumeBackupSchedule(
            backup_type=v[p + "type"], period=per, offset_type="STRUCTURED", time_zone="UTC",
            hour_of_day=int(v[p + "hour"]) if per != "ONE_HOUR" else None,
            day_of_week=v[p + "weekday"] if per == "ONE_WEEK" else None,
            day_of_month=int(v[p + "day"]) if per in ("ONE_MONTH", "ONE_YEAR") else None,
            month=v[p + "month"] if per == "ONE_YEAR" else None,
            retention_seconds=int(v[p + "retention"]) * 86400))
    return out


def _policy_request(v: dict, ctx: FormContext) -> Request:
    return Request("blockstorage", "create_volume_backup_policy", M.CreateVolumeBackupPolicyDetails(
        compartment_id=v["compartment_id"], display_name=v["display_name"],
        destination_region=v.get("destination_region") or None, schedules=_schedules(v), freeform_tags=_tags(v)))


def _policy_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("bv volume-backup-policy create", [
        ("--compartment-id", d.compartment_id), ("--display-name", d.display_name),
        ("--destination-region", d.destination_region), ("--schedules", d.schedules),
        ("--freeform-tags", d.freeform_tags)])


BACKUP_POLICY_FORM = FormSpec(
    title=N_("Create backup policy"), kind_id="blockstorage.backup_policy",
    fields=[
        Field("display_name", N_("Name"), "text", required=True, validate=lambda v, *_: validators.display_name(v,
                                                                                                                True)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("destination_region", N_("Copy backups to"), "choice", default="", options=_other_regions,
              help=N_("Each scheduled backup is also copied to this region (disaster recovery)")),
        *[f for i in range(1, SCHEDULES + 1) for f in _schedule_fields(i)],
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_policy_request, cli=_policy_cli)


# ---------------------------------------------------------------- volume groups

GROUP_SLOTS = 32  # OCI's limit of volumes in one volume group: one "Volume N" choice each


async def _compartment_volumes(ctx: FormContext, comp: str) -> tuple[list, dict[str, str]]:
    """The compartment's volumes and {group OCID: name}, loaded once per compartment for the whole
    dialog (the 32 volume choices and the AD choice share one load; a stale load is shielded)."""
    cache = ctx.__dict__.setdefault("_group_volumes", {})
    task = cache.get(comp)
    if task is None or (task.done() and (task.cancelled() or task.exception() is not None)):
        async def load():
            vols, groups = await asyncio.gather(svc.list_volumes(ctx.session, comp),
                                                svc.list_volume_groups(ctx.session, comp))
            names = {g.id: g.display_name for g in groups if g.lifecycle_state not in ("TERMINATING", "TERMINATED")}
            return [v for v in vols if v.lifecycle_state not in ("TERMINATING", "TERMINATED")], names
        task = cache[comp] = asyncio.ensure_future(load())
    return await asyncio.shield(task)


def _group_refusal(vol, ad: str | None, groups: dict[str, str]) -> str | None:
    """Why a volume cannot join a new group in `ad` (OCI's rules), or None."""
    if vol.lifecycle_state != "AVAILABLE":
        return f"{vol.display_name} is {vol.lifecycle_state}; only an AVAILABLE volume can join a volume group"
    if ad and vol.availability_domain != ad:
        return (f"{vol.display_name} is in {vol.availability_domain}; every volume of a volume group must be in "
                f"the group's availability domain ({ad})")
    group = getattr(vol, "volume_group_id", None)
    if group and group in groups:
        return f"{vol.display_name} already belongs to the volume group {groups[group]}"
    return None


async def _group_ads(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    ads = await idsvc.list_availability_domains(ctx.session)
    vols, groups = await _compartment_volumes(ctx, comp)
    out = []
    for a in ads:
        n = sum(1 for v in vols if _group_refusal(v, a.name, groups) is None)
        out.append(Option(a.name, f"{a.name}  ({n} volume{'' if n == 1 else 's'} can join)" if n else
                          f"{a.name}  (no volume can join)", a))
    return out


def _slot_options(i: int):
    async def options(ctx: FormContext, values) -> list[Option]:
        comp = values.get("compartment_id") or ctx.compartment_id
        ad = values.get("availability_domain")
        vols, groups = await _compartment_volumes(ctx, comp)
        ok = [v for v in vols if _group_refusal(v, ad, groups) is None]
        other = [v for v in vols if v.lifecycle_state == "AVAILABLE" and _group_refusal(v, ad, groups) is not None]
        out = [Option(v.id, f"{v.display_name}  ({v.size_in_gbs:,} GB)", v) for v in sorted(ok, key=_by_name)]
        for v in sorted(other, key=_by_name):  # listed, and refused with the reason when picked
            why = (f"in {v.availability_domain}" if ad and v.availability_domain != ad
                   else f"in group {groups.get(v.volume_group_id, '?')}")
            out.append(Option(v.id, f"{v.display_name}  ({v.size_in_gbs:,} GB) — {why}, cannot join", v))
        return out
    return options


def _by_name(v) -> str:
    return (v.display_name or "").lower()


def _slot_fields() -> list[Field]:
    def check(i: int):
        def validate(v, values, ctx: FormContext):
            if not v:
                return None
            vol = ctx.data(f"volume_{i}", v)
            if vol is not None:
                err = _group_refusal(vol, values.get("availability_domain"), _group_names(ctx, values))
                if err:
                    return err
            for j in range(1, i):
                if values.get(f"volume_{j}") == v:
                    return f"Already chosen as volume {j}"
            return None
        return validate

    out = []
    for i in range(1, GROUP_SLOTS + 1):
        out.append(Field(
            f"volume_{i}", f"Volume {i}", "choice", required=(i == 1),
            options=_slot_options(i), depends_on=("compartment_id", "availability_domain"), validate=check(i),
            visible=None if i == 1 else _shown_after(f"volume_{i - 1}"),
            help=("AVAILABLE volumes of the compartment in the chosen availability domain, in no other group; "
                  f"pick one, then the next appears (up to {GROUP_SLOTS}, OCI's limit)") if i == 1 else ""))
    return out


def _group_names(ctx: FormContext, values) -> dict[str, str]:
    comp = values.get("compartment_id") or ctx.compartment_id
    task = ctx.__dict__.get("_group_volumes", {}).get(comp)
    if task is None or not task.done() or task.cancelled() or task.exception() is not None:
        return {}
    return task.result()[1]


def group_volume_ids(v: dict) -> list[str]:
    """The chosen volumes in order: the slots up to the first empty one (the later ones are hidden)."""
    out = []
    for i in range(1, GROUP_SLOTS + 1):
        vid = v.get(f"volume_{i}")
        if not vid:
            break
        out.append(vid)
    return out


def _group_request(v: dict, ctx: FormContext) -> Request:
    return Request("blockstorage", "create_volume_group", M.CreateVolumeGroupDetails(
        compartment_id=v["compartment_id"], availability_domain=v["availability_domain"],
        display_name=(v.get("display_name") or "").strip() or None, freeform_tags=_tags(v),
        source_details=M.VolumeGroupSourceFromVolumesDetails(type="volumeIds", volume_ids=group_volume_ids(v))))


def _group_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("bv volume-group create", [
        ("--compartment-id", d.compartment_id), ("--availability-domain", d.availability_domain),
        ("--display-name", d.display_name), ("--source-details", d.source_details),
        ("--freeform-tags", d.freeform_tags), ("--wait-for-state", "AVAILABLE")])


VOLUME_GROUP_FORM = FormSpec(
    title=N_("Create volume group"), kind_id="blockstorage.volume_group",
    fields=[
        Field("display_name", N_("Name"), "text", required=True,
              default_from=lambda *_: time.strftime("volume-group-%Y%m%d-%H%M"),
              validate=lambda v, *_: validators.display_name(v, True)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("availability_domain", N_("Availability domain"), "choice", required=True, options=_group_ads,
              depends_on=("compartment_id",),
              help=N_("Every volume of a group is in one availability domain")),
        *_slot_fields(),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_group_request, cli=_group_cli,
    describe=lambda v: (v.get("display_name") or "").strip())


def group_backup_form(group) -> FormSpec:
    def build(v: dict, ctx: FormContext) -> Request:
        return Request("blockstorage", "create_volume_group_backup", M.CreateVolumeGroupBackupDetails(
            volume_group_id=group.id, compartment_id=group.compartment_id, type=v["type"],
            display_name=(v.get("display_name") or "").strip() or None))

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command("bv volume-group-backup create", [
            ("--volume-group-id", d.volume_group_id), ("--compartment-id", d.compartment_id), ("--type", d.type),
            ("--display-name", d.display_name),
            ("--wait-for-state", "AVAILABLE")])

    n = len(group.volume_ids or [])
    return FormSpec(
        title=f"Back up volume group {group.display_name}", kind_id="blockstorage.volume_group_backup",
        fields=[
            Field("display_name", N_("Backup name"), "text", required=True,
                  default_from=lambda *_: time.strftime(f"{group.display_name}-%Y%m%d-%H%M"),
                  validate=lambda v, *_: validators.display_name(v, True),
                  help=f"One crash-consistent backup of the group's {n} volume{'' if n == 1 else 's'}, "
                       "taken at the same point in time"),
            Field("type", N_("Backup type"), "enum", required=True, default="INCREMENTAL", options=[
                Option("INCREMENTAL", N_("Incremental — only what changed since the last backup")),
                Option("FULL", N_("Full — a complete, independent copy")),
            ]),
        ],
        build=build, cli=cli, describe=lambda v: v.get("display_name") or group.display_name,
                    submit_label=N_("Back up"),
        op_title=lambda v: f"Back up volume group {group.display_name} ({(v.get('type') or '').lower()})")


async def _group_volumes(session, group) -> list[RelatedItem]:
    out = []
    for v in await svc.group_members(session, group):
        boot = v.id.startswith("ocid1.bootvolume.")
        perf = f", {performance(v.vpus_per_gb)}" if getattr(v, "vpus_per_gb", None) is not None else ""
        out.append(RelatedItem(v.display_name, f"{'boot volume, ' if boot else ''}{v.size_in_gbs:,} GB{perf}, "
                               f"{v.lifecycle_state}", v.id))
    missing = len(group.volume_ids or []) - len(out)
    if missing > 0:
        out.append(RelatedItem("Not readable", f"{missing} volume{'s' if missing > 1 else ''} of the group"))
    return out


async def _group_backups(session, group) -> list[RelatedItem]:
    backups = await svc.list_volume_group_backups(session, group.compartment_id, volume_group_id=group.id)
    live = sorted((b for b in backups if b.lifecycle_state not in ("TERMINATING", "TERMINATED")),
                  key=lambda b: b.time_created, reverse=True)
    return [RelatedItem(f"{(b.type or '').title()} backup", f"{b.display_name} ({b.time_created:%Y-%m-%d %H:%M}, "
                        f"{b.lifecycle_state})", b.id) for b in live[:20]]


async def _group_backup_related(session, b) -> list[RelatedItem]:
    out = []
    if b.volume_group_id:
        try:
            g = await svc.get_volume_group(session, b.volume_group_id)
            out.append(RelatedItem("Volume group", f"{g.display_name} ({g.lifecycle_state})", g.id))
        except OciError as e:
            log.debug("volume group %s not named: %s", b.volume_group_id, loggable(e))
            out.append(RelatedItem("Volume group", b.volume_group_id))
    n = len(b.volume_backup_ids or [])
    if n:
        out.append(RelatedItem("Volume backups", f"{n} (one per volume of the group)"))
    if b.expiration_time:
        out.append(RelatedItem("Expires", f"{b.expiration_time:%Y-%m-%d %H:%M}"))
    return out


# ---------------------------------------------------------------- kinds

async def _list_policies(session, compartment_id):
    return await svc.list_backup_policies(session, compartment_id)


async def _list_backups(session, compartment_id):
    return await svc.list_volume_backups(session, compartment_id)


async def _no_list(_session, _compartment_id) -> list:
    return []


# ---------------------------------------------------------------- attachment state in the list

async def _instance_names(session, compartment_id: str, atts) -> dict[str, str]:
    try:
        names = {i.id: i.display_name for i in await compute_svc.list_instances(session, compartment_id)}
    except OciError as e:
        log.debug("instances of %s not listed: %s", compartment_id, loggable(e))
        names = {}
    for a in atts:  # an instance of another compartment: asked for by itself (rare)
        if a.instance_id not in names:
            try:
                names[a.instance_id] = (await compute_svc.get_instance(session, a.instance_id)).display_name
            except OciError as e:
                log.debug("instance %s not named: %s", a.instance_id, loggable(e))
                names[a.instance_id] = a.instance_id
    return names


# volume id -> its live attachments last seen [(instance name, state, shareable)] (SDK models are read-only)
_ATTACHMENTS: dict[str, list[tuple[str, str, bool]]] = {}


def _annotate(vols, atts, names: dict[str, str]) -> None:
    by_volume: dict[str, list] = {}
    for a in atts:
        by_volume.setdefault(a.volume_id, []).append(
            (names.get(a.instance_id, a.instance_id), a.lifecycle_state, bool(getattr(a, "is_shareable", False))))
    for v in vols:
        _ATTACHMENTS[v.id] = by_volume.get(v.id, [])


def attachments_of(vol) -> list[tuple[str, str, bool]] | None:
    """The volume's live attachments as last listed (None: not known)."""
    return _ATTACHMENTS.get(getattr(vol, "id", ""))


async def _list_volumes(session, compartment_id: str) -> list:
    """The compartment's volumes with their attachment state: one list of attachments for the whole
    compartment (not one request per volume)."""
    import asyncio
    vols: list | BaseException
    atts: list | BaseException
    vols, atts = await asyncio.gather(svc.list_volumes(session, compartment_id),
                                      svc.volume_attachments(session, compartment_id), return_exceptions=True)
    if isinstance(vols, BaseException):
        raise vols
    if isinstance(atts, BaseException):
        return vols  # the list without the attachment column rather than no list
    _annotate(vols, atts, await _instance_names(session, compartment_id, atts) if atts else {})
    return vols


async def _get_volume(session, volume_id: str):
    vol = await svc.get_volume(session, volume_id)
    try:
        atts = await svc.volume_attachments(session, vol.compartment_id, volume_id=vol.id)
        _annotate([vol], atts, await _instance_names(session, vol.compartment_id, atts) if atts else {})
    except OciError as e:
        log.debug("attachments of volume %s not read: %s", vol.id, loggable(e))
        pass
    return vol


def _attached_to(vol) -> str:
    atts = attachments_of(vol)
    if atts is None:
        return ""
    if not atts:
        return "—"
    return ", ".join(name if state == "ATTACHED" else f"{name} ({state.lower()})" for name, state, _s in atts)


def _attachable(vol) -> bool:
    """Not while a non-shareable attachment holds it (ATTACHED or ATTACHING)."""
    return not any(not shareable for _n, _state, shareable in attachments_of(vol) or [])


VOLUMES = ResourceKind(
    id="blockstorage.volume", label=N_("Block volumes"), singular=N_("Volume"), group=N_("Storage"), icon="volume",
                       order=10,
    list=_list_volumes, get=_get_volume, ocid_types=("volume",),
    columns=[
        Column(N_("Name"), attr("display_name"), width=200),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Size (GB)"), attr("size_in_gbs"), "number", width=80),
        Column(N_("Performance"), lambda v: performance(v.vpus_per_gb), width=190),
        Column(N_("Attached to"), _attached_to, width=150),
        Column(N_("Availability domain"), attr("availability_domain"), width=170),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Attached to"), _volume_attachments), Related(N_("Backups"), _volume_backups),
             Related(N_("Backup policy"), _volume_policy)],
    actions=[
        Action("attach", N_("Attach to instance…"), no_run, frozenset({"AVAILABLE"}), form=attach_form,
               icon="attach", verb=N_("Attaching"), when=_attachable),
        Action("detach", N_("Detach"), _detach, frozenset({"AVAILABLE"}), confirm="simple",
               target_states=frozenset({"DETACHED"}), tracks="compute.volume_attachment", icon="detach",
               verb=N_("Detaching"), when=lambda v: attachments_of(v) != []),
        Action("resize", N_("Resize…"), no_run, frozenset({"AVAILABLE"}), form=resize_form, icon="resize"),
        Action("backup", N_("Back up now…"), no_run, frozenset({"AVAILABLE"}), form=backup_form, icon="backup"),
        _delete_action(svc.delete_volume),
    ],
    create=VOLUME_FORM,
    ready_states=frozenset({"AVAILABLE"}), sdk=SdkRef("blockstorage", "volume", cli="bv volume"),
    metrics=MetricsSpec("oci_blockstore", [
        ChartSpec("Throughput", ["VolumeReadThroughput", "VolumeWriteThroughput"], "B/min",
                  labels={"VolumeReadThroughput": "read", "VolumeWriteThroughput": "write"}),
        ChartSpec("Operations", ["VolumeReadOps", "VolumeWriteOps"], "ops/min",
                  labels={"VolumeReadOps": "read", "VolumeWriteOps": "write"}),
    ]),
)

VOLUME_ATTACHMENTS = ResourceKind(
    id="compute.volume_attachment", label=N_("Volume attachments"), singular=N_("Volume attachment"),
                                  group=N_("Storage"),
    icon="attach", scope="hidden", list=_no_list, get=svc.get_volume_attachment, ocid_types=("volumeattachment",),
    columns=[Column(N_("Name"), attr("display_name")), Column(N_("State"), attr("lifecycle_state"), "state"),
             Column(N_("Type"), attr("attachment_type")), Column(N_("Device"), attr("device"))],
    related=[Related(N_("Attachment"), _attachment_related)],
    actions=[Action("detach", N_("Detach"), _detach_attachment, frozenset({"ATTACHED"}), confirm="simple",
                    target_states=frozenset({"DETACHED"}), icon="detach", verb=N_("Detaching"))],
    ready_states=frozenset({"ATTACHED"}),
)

VOLUME_BACKUPS = ResourceKind(
    id="blockstorage.volume_backup", label=N_("Volume backups"), singular=N_("Volume backup"), group=N_("Storage"),
    icon="backup", order=11, list=_list_backups, get=svc.get_volume_backup, ocid_types=("volumebackup",),
    columns=[
        Column(N_("Name"), attr("display_name"), width=260),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Type"), lambda b: (b.type or "").title(), width=90),
        Column(N_("Source"), lambda b: "Scheduled" if b.source_type == "SCHEDULED" else "Manual", width=80),
        Column(N_("Size (GB)"), attr("size_in_gbs"), "number", width=80),
        Column(N_("Created"), attr("time_created"), "datetime"),
        Column(N_("Expires"), attr("expiration_time"), "datetime"),
    ],
    related=[Related(N_("Source"), _backup_related)],
    actions=[_delete_action(svc.delete_volume_backup)],
    ready_states=frozenset({"AVAILABLE"}),
    sdk=SdkRef("blockstorage", "volume_backup", cli="bv backup", id_flag="--volume-backup-id"),
)

BACKUP_POLICIES = ResourceKind(
    id="blockstorage.backup_policy", label=N_("Backup policies"), singular=N_("Backup policy"), group=N_("Storage"),
    icon="policy-backup", order=12, list=_list_policies, get=svc.get_backup_policy,
    ocid_types=("volumebackuppolicy",),
    columns=[
        Column(N_("Name"), attr("display_name"), width=200),
        Column(N_("Schedules"), lambda p: "; ".join(PERIOD_NAMES.get(s.period, s.period) + " " + s.backup_type.lower()
                                                for s in p.schedules or []), width=260),
        Column(N_("Copied to"), attr("destination_region"), width=130),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Schedules"), _policy_related)],
    actions=[Action("delete", N_("Delete"), _delete(svc.delete_backup_policy), destructive=True, confirm="name",
                    gone_ok=True, target_states=frozenset({"DELETED"}), shortcut="Delete", icon="delete",
                    verb=N_("Deleting"))],
    create=BACKUP_POLICY_FORM,
)

VOLUME_GROUP_REF = SdkRef("blockstorage", "volume_group", cli="bv volume-group")
VOLUME_GROUPS = ResourceKind(
    id="blockstorage.volume_group", label=N_("Volume groups"), singular=N_("Volume group"), group=N_("Storage"),
    icon="volume", order=13, list=generic.lister(VOLUME_GROUP_REF),
    get=generic.getter(VOLUME_GROUP_REF), ocid_types=("volumegroup",),
    columns=[
        Column(N_("Name"), attr("display_name"), width=200),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Availability domain"), attr("availability_domain"), width=170),
        Column(N_("Size (GB)"), attr("size_in_gbs"), "number", width=80),
        Column(N_("Volumes"), lambda g: len(g.volume_ids or []), "number", width=70),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Volumes"), _group_volumes), Related(N_("Backups"), _group_backups)],
    actions=[
        Action("backup", N_("Back up now…"), no_run, frozenset({"AVAILABLE"}), form=group_backup_form,
               icon="backup"),
        generic.delete_action(VOLUME_GROUP_REF, frozenset({"AVAILABLE", "FAULTY"})),
    ],
    create=VOLUME_GROUP_FORM,
    ready_states=frozenset({"AVAILABLE"}), sdk=VOLUME_GROUP_REF,
)

VOLUME_GROUP_BACKUP_REF = SdkRef("blockstorage", "volume_group_backup", cli="bv volume-group-backup")
VOLUME_GROUP_BACKUPS = ResourceKind(
    id="blockstorage.volume_group_backup", label=N_("Volume group backups"), singular=N_("Volume group backup"),
    group=N_("Storage"), icon="backup", order=14, list=generic.lister(VOLUME_GROUP_BACKUP_REF),
    get=generic.getter(VOLUME_GROUP_BACKUP_REF), ocid_types=("volumegroupbackup",),
    columns=[
        Column(N_("Name"), attr("display_name"), width=260),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Type"), lambda b: (b.type or "").title(), width=90),
        Column(N_("Volumes"), lambda b: len(b.volume_backup_ids or []), "number", width=70),
        Column(N_("Size (GB)"), attr("size_in_gbs"), "number", width=80),
        Column(N_("Created"), attr("time_created"), "datetime"),
        Column(N_("Expires"), attr("expiration_time"), "datetime"),
    ],
    related=[Related(N_("Source"), _group_backup_related)],
    actions=[generic.delete_action(VOLUME_GROUP_BACKUP_REF)],
    ready_states=frozenset({"AVAILABLE"}), sdk=VOLUME_GROUP_BACKUP_REF,
)

KINDS = [VOLUMES, VOLUME_ATTACHMENTS, VOLUME_BACKUPS, BACKUP_POLICIES, VOLUME_GROUPS, VOLUME_GROUP_BACKUPS]
