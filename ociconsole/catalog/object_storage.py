"""Object Storage kinds: buckets (which open as an object browser: `browser = "objects"`), and
the objects, replication policies and pre-authenticated requests reached from them."""

from __future__ import annotations

import re

from ..core.errors import OciError
from ..core.sdk import models as sdk_models
from ..services import identity as idsvc
from ..services import object_storage as svc
from . import validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .model import Action, ChartSpec, Column, Gone, MetricsSpec, Related, RelatedItem, ResourceKind, attr

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
    title="Create bucket", kind_id="objectstorage.bucket",
    fields=[
        Field("name", "Bucket name", "text", required=True, validate=_check_bucket_name,
              help="Unique in the namespace and region; it cannot be changed later"),
        Field("compartment_id", "Compartment", "compartment", required=True),
        Field("namespace", "Namespace", "choice", required=True, options=_namespace,
              help="Your tenancy's Object Storage namespace"),
        Field("storage_tier", "Default storage tier", "enum", required=True, default="Standard", options=[
            Option("Standard", "Standard — for data you read often"),
            Option("Archive", "Archive — cheapest, objects must be restored (hours) before reading"),
        ], help="The tier cannot be changed after the bucket is created"),
        Field("versioning", "Keep previous versions of objects (versioning)", "bool", default=False),
        Field("public_access_type", "Visibility", "enum", required=True, default="NoPublicAccess", options=[
            Option("NoPublicAccess", "Private — only signed-in users with permission (recommended)"),
            Option("ObjectReadWithoutList", "Public — anyone can read objects (no listing)"),
            Option("ObjectRead", "Public — anyone can read and list every object"),
        ], warning=_public_warning),
        Field("freeform_tags", "Tags", "tags", help="One key=value per line"),
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
            Field("name", "Policy name", "text", required=True, default=f"{bucket.name}-replication",
                  validate=lambda v, *_: None if re.match(r"^[A-Za-z0-9._ -]{1,255}$", v or "")
                  else "1 to 255 letters, digits, spaces, periods, underscores or dashes"),
            Field("destination_region", "Destination region", "choice", required=True, options=_regions,
                  validate=check_versioning),
            Field("destination_bucket", "Destination bucket", "text", required=True, default=bucket.name,
                  validate=_check_bucket_name,
                  help="An existing, empty bucket in the destination region; it becomes read-only"),
        ],
        build=build, cli=cli, describe=lambda v: v.get("name") or "", submit_label="Create policy",
        op_title=lambda v: f"Replicate bucket {bucket.name} to {v.get('destination_region')}")


# ---------------------------------------------------------------- kinds

async def _no_list(_session, _compartment_id) -> list:
    return []


BUCKETS = ResourceKind(
    id="objectstorage.bucket", label="Buckets", singular="Bucket", group="Storage", icon="bucket", order=1,
    list=svc.list_buckets, get=svc.get_bucket_by_id, ocid_types=("bucket",), name_attr="name", browser="objects",
    columns=[
        Column("Name", attr("name"), width=220),
        Column("Default tier", attr("storage_tier"), width=100),
        Column("Visibility", visibility, width=150, tone=_visibility_tone),
        Column("Versioning", attr("versioning"), width=90),
        Column("Objects", attr("approximate_count"), "number", width=80),
        Column("Size", attr("approximate_size"), "bytes", width=90),
        Column("Created", attr("time_created"), "datetime"),
    ],
    related=[Related("Bucket", _contents), Related("Replication", _replication),
             Related("Lifecycle rules", _lifecycle), Related("Pre-authenticated requests", _pars)],
    actions=[
        Action("replicate", "Replicate…", lambda *_: None, form=replication_form, icon="create",
               verb="Replicating"),
        Action("delete", "Delete", _delete_bucket, destructive=True, confirm="name", gone_ok=True,
               shortcut="Delete", icon="delete", verb="Deleting"),
    ],
    create=BUCKET_FORM,
    metrics=MetricsSpec("oci_objectstorage", [
        ChartSpec("Stored bytes", ["StoredBytes"], "bytes"),
        ChartSpec("Objects", ["ObjectCount"], "objects"),
    ], dimension="resourceID"),
)

OBJECTS = ResourceKind(
    id="objectstorage.object", label="Objects", singular="Object", group="Storage", icon="file", scope="hidden",
    list=_no_list, get=None, name_attr="name",
    columns=[Column("Name", attr("name")), Column("Size", attr("size"), "bytes"),
             Column("Modified", attr("time_modified"), "datetime"), Column("Storage tier", attr("storage_tier"))],
    actions=[Action("delete", "Delete", lambda *_: None, destructive=True, confirm="name", icon="delete",
                    verb="Deleting")],
)

REPLICATION_POLICIES = ResourceKind(
    id="objectstorage.replication_policy", label="Replication policies", singular="Replication policy",
    group="Storage", icon="bucket", scope="hidden", list=_no_list, get=None, name_attr="name",
    columns=[Column("Name", attr("name")), Column("Destination", attr("destination_bucket_name")),
             Column("Region", attr("destination_region_name")), Column("Status", attr("status"))],
)

KINDS = [BUCKETS, OBJECTS, REPLICATION_POLICIES]
