"""Object Storage kinds: buckets (which open as an object browser: `browser = "objects"`), and
the objects, replication policies, retention rules (add with an optional lock, delete unless locked)
and pre-authenticated requests reached from them."""

from __future__ import annotations

import datetime as _dt
import re

from ..core.errors import OciError
from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..services import identity as idsvc
from ..services import object_storage as svc
from . import validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command, confirm_field
from .model import Action, ChartSpec, Column, Gone, MetricsSpec, Related, RelatedItem, ResourceKind, attr, no_run

M = sdk_models("object_storage")
_BUCKET_RE = re.compile(r"^[A-Za-z0-9._-]{1,256}$")

VISIBILITY = {
    "NoPublicAccess": "Private",
    "ObjectReadWithoutList": "Public (read)",
    "ObjectRead": "Public (read and list)",
}
PUBLIC_WARNING = (
    "PUBLIC BUCKET — anyone on the internet, without signing in, will be able to read {what} in this bucket. "
    "Never use a public bucket for backups, logs, exports or personal data. To share a few objects, keep the "
    "bucket private and create pre-authenticated requests (links that expire) instead.")


def visibility(bucket) -> str:
    v = getattr(bucket, "public_access_type", None)
    return VISIBILITY.get(v or "NoPublicAccess", v or "")


def _visibility_tone(text) -> str | None:
    return "bad" if text and str(text).startswith("Public") else None


# ---------------------------------------------------------------- actions

async def _delete_bucket(session, bucket, _options):
    try:
        await svc.delete_bucket(session, bucket.name)
    except OciError as e:
        if e.status == 409 and e.code == "BucketNotEmpty":
            raise OciError(f"{e.message} (open the bucket to delete its objects)", code=e.code, status=e.status,
                           request_id=e.request_id, operation=e.operation, service=e.service,
                           endpoint=e.endpoint) from None
        raise
    return Gone(bucket.id)


# ---------------------------------------------------------------- related

async def _replication(session, bucket) -> list[RelatedItem]:
    out = [RelatedItem(f"Policy {p.name}", f"to {p.destination_bucket_name} in {p.destination_region_name} "
                       f"({p.status}, last sync {p.time_last_sync:%Y-%m-%d %H:%M})" if p.time_last_sync else
                       f"to {p.destination_bucket_name} in {p.destination_region_name} ({p.status})")
           for p in await svc.list_replication_policies(session, bucket.name)]
    if getattr(bucket, "is_read_only", False):
        out.append(RelatedItem("Read-only", "this bucket is the destination of a replication policy"))
    return out


async def _lifecycle(session, bucket) -> list[RelatedItem]:
    pol = await svc.get_lifecycle_policy(session, bucket.name)
    if pol is None:
        return []
    out = []
    for r in pol.items or []:
        target = r.target or "objects"
        f = r.object_name_filter
        scope = ""
        if f is not None and (f.inclusion_prefixes or f.inclusion_patterns):
            scope = " matching " + ", ".join((f.inclusion_prefixes or []) + (f.inclusion_patterns or []))
        state = "" if r.is_enabled else " (disabled)"
        out.append(RelatedItem(f"Rule {r.name}", f"{r.action} {target}{scope} after {r.time_amount} "
                               f"{r.time_unit.lower()}{state}"))
    return out


async def _pars(session, bucket) -> list[RelatedItem]:
    out = []
    for p in await svc.list_pars(session, bucket.name):
        what = p.object_name or "every object"
        out.append(RelatedItem(f"Link {p.name}", f"{p.access_type} on {what}, expires {p.time_expires:%Y-%m-%d %H:%M}"
                               if p.time_expires else f"{p.access_type} on {what}"))
    return out


async def _contents(session, bucket) -> list[RelatedItem]:
    items = [RelatedItem("Namespace", bucket.namespace or ""), RelatedItem("Visibility", visibility(bucket))]
    if getattr(bucket, "approximate_count", None) is not None:
        items.append(RelatedItem("Objects (approximate)", f"{bucket.approximate_count:,}"))
    if getattr(bucket, "approximate_size", None) is not None:
        items.append(RelatedItem("Size (approximate)", _size(bucket.approximate_size)))
    return items


def _size(n) -> str:
    n = float(n or 0)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} B" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} PiB"


# ---------------------------------------------------------------- create bucket

async def _namespace(ctx: FormContext, _values) -> list[Option]:
    ns = await svc.namespace(ctx.session)
    return [Option(ns, ns)]


def _check_bucket_name(v, values, ctx):
    if not _BUCKET_RE.match(v or ""):
        return "1 to 256 letters, digits, dashes, underscores or periods (no spaces or slashes)"
    return None


def _public_warning(v, values, ctx):
    if v == "ObjectRead":
        return PUBLIC_WARNING.format(what="AND LIST every object")
    if v == "ObjectReadWithoutList":
        return PUBLIC_WARNING.format(what="every object whose name they know (or guess)")
    return None


def _bucket_request(v: dict, ctx: FormContext) -> Request:
    return Request("object_storage", "create_bucket", M.CreateBucketDetails(
        name=v["name"].strip(), compartment_id=v["compartment_id"], storage_tier=v.get("storage_tier") or "Standard",
        public_access_type=v.get("public_access_type") or "NoPublicAccess",
        versioning="Enabled" if v.get("versioning") else "Disabled",
        freeform_tags=validators.parse_tags(v.get("freeform_tags"))[0] or None),
        args=(v["namespace"],), retry_token=False)


def _bucket_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("os bucket create", [
        ("--namespace", req.args[0]), ("--name", d.name), ("--compartment-id", d.compartment_id),
        ("--storage-tier", d.storage_tier), ("--versioning", d.versioning),
        ("--public-access-type", d.public_access_type), ("--freeform-tags", d.freeform_tags)])


BUCKET_FORM = FormSpec(
    title=N_("Create bucket"), kind_id="objectstorage.bucket",
    fields=[
        Field("name", N_("Bucket name"), "text", required=True, validate=_check_bucket_name,
              help=N_("Unique in the namespace and region; it cannot be changed later")),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("namespace", N_("Namespace"), "choice", required=True, options=_namespace,
              help=N_("Your tenancy's Object Storage namespace")),
        Field("storage_tier", N_("Default storage tier"), "enum", required=True, default="Standard", options=[
            Option("Standard", N_("Standard — for data you read often")),
            Option("Archive", N_("Archive — cheapest, objects must be restored (hours) before reading")),
        ], help=N_("The tier cannot be changed after the bucket is created")),
        Field("versioning", N_("Keep previous versions of objects (versioning)"), "bool", default=False),
        Field("public_access_type", N_("Visibility"), "enum", required=True, default="NoPublicAccess", options=[
            Option("NoPublicAccess", N_("Private — only signed-in users with permission (recommended)")),
            Option("ObjectReadWithoutList", N_("Public — anyone can read objects (no listing)")),
            Option("ObjectRead", N_("Public — anyone can read and list every object")),
        ], warning=_public_warning),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_bucket_request, cli=_bucket_cli, describe=lambda v: v.get("name") or "")


# ---------------------------------------------------------------- replication policy (an action's form)

async def _regions(ctx: FormContext, _values) -> list[Option]:
    subs = await idsvc.list_region_subscriptions(ctx.session)
    here = ctx.session.connection.region
    return [Option(s.region_name, s.region_name + ("  (home)" if s.is_home_region else ""))
            for s in subs if s.region_name != here and s.status == "READY"]


def replication_form(bucket) -> FormSpec:
    def build(v: dict, ctx: FormContext) -> Request:
        return Request("object_storage", "create_replication_policy", M.CreateReplicationPolicyDetails(
            name=v["name"].strip(), destination_region_name=v["destination_region"],
            destination_bucket_name=v["destination_bucket"].strip()),
            args=(bucket.namespace, bucket.name), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command("os replication create-replication-policy", [
            ("--namespace", bucket.namespace), ("--bucket-name", bucket.name), ("--name", d.name),
            ("--destination-region", d.destination_region_name), ("--destination-bucket", d.destination_bucket_name)])

    def check_versioning(v, values, ctx):
        if getattr(bucket, "versioning", None) == "Enabled":
            return "Replication needs versioning disabled on this bucket"
        return None

    return FormSpec(
        title=f"Replicate bucket {bucket.name}", kind_id="objectstorage.replication_policy",
        fields=[
            Field("name", N_("Policy name"), "text", required=True, default=f"{bucket.name}-replication",
                  validate=lambda v, *_: None if re.match(r"^[A-Za-z0-9._ -]{1,255}$", v or "")
                  else "1 to 255 letters, digits, spaces, periods, underscores or dashes"),
            Field("destination_region", N_("Destination region"), "choice", required=True, options=_regions,
                  validate=check_versioning),
            Field("destination_bucket", N_("Destination bucket"), "text", required=True, default=bucket.name,
                  validate=_check_bucket_name,
                  help=N_("An existing, empty bucket in the destination region; it becomes read-only")),
        ],
        build=build, cli=cli, describe=lambda v: v.get("name") or "", submit_label=N_("Create policy"),
        op_title=lambda v: f"Replicate bucket {bucket.name} to {v.get('destination_region')}")


# ---------------------------------------------------------------- retention rules (actions' forms)

LOCK_DELAY_DAYS = 14  # OCI: a rule's lock takes effect at least 14 days after it is set
_RULE_NAME_RE = re.compile(r"^\S(.{0,254}\S)?$")


def _when(t) -> str:
    return f"{t:%Y-%m-%d %H:%M} UTC"


def rule_duration(rule) -> str:
    d = getattr(rule, "duration", None)
    if d is None or not d.time_amount:
        return "indefinitely"
    unit = (d.time_unit or "DAYS").lower()
    return f"{d.time_amount} {unit[:-1] if d.time_amount == 1 else unit}"


def rule_lock(rule, day_only: bool = False) -> str:
    t = getattr(rule, "time_rule_locked", None)
    if t is None:
        return "not locked"
    when = f"{t:%Y-%m-%d}" if day_only else _when(t)
    return f"locked since {when}" if svc.rule_locked(rule) else f"locks on {when}"


async def _retention(session, bucket) -> list[RelatedItem]:
    """One line a rule, short enough for the detail pane: "7 days, locks on 2026-12-28"."""
    return [RelatedItem(f"Rule {r.display_name}", f"{rule_duration(r)}, {rule_lock(r, day_only=True)}")
            for r in await svc.list_retention_rules(session, bucket.name)]


def lock_time(days) -> _dt.datetime:
    """When a rule locked `days` from now locks: the next 00:00 UTC after that (a request reviewed now and
    sent a little later still meets OCI's minimum of 14 days)."""
    at = _dt.datetime.fromtimestamp(svc.now(), _dt.UTC) + _dt.timedelta(days=int(days))
    return (at + _dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def _no_versioning(bucket, v, *_a) -> str | None:
    if getattr(bucket, "versioning", None) in ("Enabled", "Suspended"):
        return (f"{bucket.name} keeps object versions; OCI allows retention rules only on a bucket without "
                "versioning")
    if not _RULE_NAME_RE.match(v or ""):
        return "1 to 256 characters, not starting or ending with a space"
    return None


def _lock_warning(v, values, ctx) -> str | None:
    if not values.get("lock") or values.get("mode") != "DURATION" or v is None:
        return None
    return (f"From {_when(lock_time(v))} this rule is LOCKED: nobody can delete it or shorten it, and objects "
            "it retains cannot be deleted or overwritten until their time has passed; only deleting the "
            "(empty) bucket removes it. Until then the rule can still be changed or deleted.")


def add_retention_form(bucket) -> FormSpec:
    def duration(v):
        return v.get("mode") == "DURATION"

    def build(v: dict, ctx: FormContext) -> Request:
        dur = M.Duration(time_amount=int(v["time_amount"]), time_unit=v["time_unit"]) if duration(v) else None
        locked = lock_time(v["lock_days"]) if duration(v) and v.get("lock") else None
        return Request("object_storage", "create_retention_rule", M.CreateRetentionRuleDetails(
            display_name=v["display_name"].strip(), duration=dur, time_rule_locked=locked),
            args=(bucket.namespace, bucket.name), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command("os retention-rule create", [
            ("--namespace", bucket.namespace), ("--bucket-name", bucket.name), ("--display-name", d.display_name),
            ("--time-amount", d.duration.time_amount if d.duration else None),
            ("--time-unit", d.duration.time_unit if d.duration else None),
            ("--time-rule-locked", d.time_rule_locked.isoformat().replace("+00:00", "Z")
             if d.time_rule_locked else None)])

    def amount_bounds(v, c):
        return (1, 100, 1) if v.get("time_unit") == "YEARS" else (1, 36500, 1)

    return FormSpec(
        title=f"Add retention rule to bucket {bucket.name}", kind_id="objectstorage.retention_rule",
        fields=[
            Field("display_name", N_("Rule name"), "text", required=True, default=f"{bucket.name}-retention",
                  validate=lambda v, *_: _no_versioning(bucket, v),
                  help=N_("Unique in the bucket")),
            Field("mode", N_("Retain objects"), "enum", required=True, default="DURATION", options=[
                Option("DURATION", N_("For a time after each object's last change")),
                Option("INDEFINITE", N_("Indefinitely — until the rule is deleted (a legal hold)")),
            ], help=N_("While retained, an object can be neither deleted nor overwritten")),
            Field("time_amount", N_("Keep for"), "number", required=True, default=30, bounds=amount_bounds,
                  depends_on=("time_unit",), visible=lambda v, c: duration(v)),
            Field("time_unit", N_("Unit"), "enum", required=True, default="DAYS",
                  options=[Option("DAYS", N_("Days")), Option("YEARS", N_("Years"))], visible=lambda v, c: duration(v)),
            Field("lock", N_("Lock the rule (regulatory compliance)"), "bool", default=False,
                  visible=lambda v, c: duration(v)),
            Field("lock_days", N_("Lock after (days)"), "number", required=True, default=LOCK_DELAY_DAYS,
                  bounds=lambda v, c: (LOCK_DELAY_DAYS, 36500, 1), depends_on=("lock", "mode"),
                  visible=lambda v, c: duration(v) and bool(v.get("lock")), warning=_lock_warning,
                  help=f"At least {LOCK_DELAY_DAYS} days (OCI's delay, to undo a mistake); the lock starts at 00:00 "
                       "UTC after that"),
        ],
        build=build, cli=cli, describe=lambda v: (v.get("display_name") or "").strip(), submit_label=N_("Add rule"),
        op_title=lambda v: f"Add retention rule {(v.get('display_name') or '').strip()} to bucket {bucket.name}")


def delete_retention_form(bucket) -> FormSpec:
    async def rules(ctx: FormContext, _values) -> list[Option]:
        return [Option(r.id, f"{r.display_name} — {rule_duration(r)}, {rule_lock(r)}", r)
                for r in await svc.list_retention_rules(ctx.session, bucket.name)]

    def check(v, values, ctx: FormContext) -> str | None:
        r = ctx.data("rule_id", v)
        if r is not None and svc.rule_locked(r):
            return (f"The retention rule '{r.display_name}' is locked (since {_when(r.time_rule_locked)}) and cannot "
                    f"be deleted; only deleting the bucket {bucket.name} (once empty) removes it")
        return None

    def build(v: dict, ctx: FormContext) -> Request:
        return Request("object_storage", "delete_retention_rule", args=(bucket.namespace, bucket.name, v["rule_id"]),
                       retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        cmd = cli_command("os retention-rule delete", [
            ("--namespace", bucket.namespace), ("--bucket-name", bucket.name), ("--retention-rule-id", v["rule_id"])])
        return cmd + " \\\n    --force"  # no "are you sure?" prompt: the review was the confirmation

    return FormSpec(
        title=f"Delete a retention rule of bucket {bucket.name}", kind_id="objectstorage.retention_rule",
        fields=[Field("rule_id", N_("Rule"), "choice", required=True, options=rules, validate=check,
                      help=N_("Objects the rule retains can be deleted or overwritten again once no other rule "
                           "retains them")),
                confirm_field(lambda values, ctx: getattr(ctx.data("rule_id", values.get("rule_id")), "display_name",
                                                          None), "the rule's name", ("rule_id",))],
        build=build, cli=cli, describe=lambda v: bucket.name, submit_label=N_("Delete rule"),
        op_title=lambda v: f"Delete a retention rule of bucket {bucket.name}")


# ---------------------------------------------------------------- kinds

async def _no_list(_session, _compartment_id) -> list:
    return []


BUCKETS = ResourceKind(
    id="objectstorage.bucket", label=N_("Buckets"), singular=N_("Bucket"), group=N_("Storage"), icon="bucket", order=1,
    list=svc.list_buckets, get=svc.get_bucket_by_id, ocid_types=("bucket",), name_attr="name", browser="objects",
    columns=[
        Column(N_("Name"), attr("name"), width=220),
        Column(N_("Default tier"), attr("storage_tier"), width=100),
        Column(N_("Visibility"), visibility, width=150, tone=_visibility_tone),
        Column(N_("Versioning"), attr("versioning"), width=90),
        Column(N_("Objects"), attr("approximate_count"), "number", width=80),
        Column(N_("Size"), attr("approximate_size"), "bytes", width=90),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Bucket"), _contents), Related(N_("Retention rules"), _retention),
             Related(N_("Replication"), _replication),
             Related(N_("Lifecycle rules"), _lifecycle), Related(N_("Pre-authenticated requests"), _pars)],
    actions=[
        Action("replicate", N_("Replicate…"), no_run, form=replication_form, icon="create",
               verb=N_("Replicating")),
        Action("add_retention", N_("Add retention rule…"), no_run, form=add_retention_form, icon="create",
               verb=N_("Adding a retention rule to")),
        Action("delete_retention", N_("Delete retention rule…"), no_run, form=delete_retention_form,
               destructive=True, confirm="form", icon="delete", verb=N_("Deleting a retention rule of")),
        Action("delete", N_("Delete"), _delete_bucket, destructive=True, confirm="name", gone_ok=True,
               shortcut="Delete", icon="delete", verb=N_("Deleting")),
    ],
    create=BUCKET_FORM,
    move=lambda b, dest: _move_bucket(b, dest),
    metrics=MetricsSpec("oci_objectstorage", [
        ChartSpec("Stored bytes", ["StoredBytes"], "bytes"),
        ChartSpec("Objects", ["ObjectCount"], "objects"),
    ], dimension="resourceID"),
)

def _move_bucket(bucket, dest: str):
    """OCI moves a bucket by updating its compartment: `oci os bucket update --compartment-id`."""
    req = Request("object_storage", "update_bucket", M.UpdateBucketDetails(compartment_id=dest),
                  args=(bucket.namespace, bucket.name), retry_token=False)
    return req, cli_command("os bucket update", [("--namespace-name", bucket.namespace),
                                                 ("--bucket-name", bucket.name), ("--compartment-id", dest)])


OBJECTS = ResourceKind(
    id="objectstorage.object", label=N_("Objects"), singular=N_("Object"), group=N_("Storage"), icon="file",
                       scope="hidden",
    list=_no_list, get=None, name_attr="name",
    columns=[Column(N_("Name"), attr("name")), Column(N_("Size"), attr("size"), "bytes"),
             Column(N_("Modified"), attr("time_modified"), "datetime"), Column(N_("Storage tier"),
                                                                               attr("storage_tier"))],
    actions=[Action("delete", N_("Delete"), no_run, destructive=True, confirm="name", icon="delete",
                    verb=N_("Deleting"))],
)

REPLICATION_POLICIES = ResourceKind(
    id="objectstorage.replication_policy", label=N_("Replication policies"), singular=N_("Replication policy"),
    group=N_("Storage"), icon="bucket", scope="hidden", list=_no_list, get=None, name_attr="name",
    columns=[Column(N_("Name"), attr("name")), Column(N_("Destination"), attr("destination_bucket_name")),
             Column(N_("Region"), attr("destination_region_name")), Column(N_("Status"), attr("status"))],
)

RETENTION_RULES = ResourceKind(
    id="objectstorage.retention_rule", label=N_("Retention rules"), singular=N_("Retention rule"), group=N_("Storage"),
    icon="bucket", scope="hidden", list=_no_list, get=None,
    columns=[Column(N_("Name"), attr("display_name")), Column(N_("Retains objects"), rule_duration),
             Column(N_("Lock"), rule_lock)],
)

KINDS = [BUCKETS, OBJECTS, REPLICATION_POLICIES, RETENTION_RULES]
