"""File Storage kinds: file systems (created with the NFS share wizard, `create_view = "nfs_wizard"`,
or the plain form), mount targets and exports."""

from __future__ import annotations

import asyncio
import logging
import time

from ..core.errors import loggable
from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..services import file_storage as svc
from ..services import identity as idsvc
from ..services import network as netsvc
from . import validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .generic import SdkRef
from .model import Action, Column, Related, RelatedItem, ResourceKind, attr, no_run

log = logging.getLogger(__name__)

M = sdk_models("file_storage")
GONE = frozenset({"DELETED"})


def _tags(v):
    return validators.parse_tags(v.get("freeform_tags"))[0] or None


def _delete_action(fn) -> Action:
    async def run(session, res, _options):
        await fn(session, res.id)
    return Action("delete", N_("Delete"), run, frozenset({"ACTIVE", "FAILED"}), destructive=True, confirm="name",
                  target_states=GONE, gone_ok=True, shortcut="Delete", icon="delete", verb=N_("Deleting"))


async def _ads(ctx: FormContext, _values) -> list[Option]:
    return [Option(a.name, a.name, a) for a in await idsvc.list_availability_domains(ctx.session)]


def check_export_path(v, *_):
    """OCI's rules for an export path: starts with '/', no trailing '/', no empty, '.' or '..' segments,
    printable ASCII without spaces, at most 1024 characters."""
    v = (v or "").strip()
    if not v.startswith("/"):
        return "The path starts with '/' (e.g. /shared)"
    if v == "/":
        return "Choose a path below '/' (e.g. /shared)"
    if v.endswith("/"):
        return "No '/' at the end"
    if "//" in v or any(seg in (".", "..") for seg in v.split("/")):
        return "No empty, '.' or '..' parts in the path"
    if len(v) > 1024:
        return "At most 1024 characters"
    bad = next((c for c in v if not 33 <= ord(c) <= 126), None)
    if bad is not None:
        return "Spaces are not allowed" if bad == " " else f"Only printable ASCII characters (not {bad!r})"
    return None


# ---------------------------------------------------------------- related

async def _fs_exports(session, fs) -> list[RelatedItem]:
    out = []
    exports = await svc.list_exports(session, file_system_id=fs.id)
    if not exports:
        return []
    mts = await svc.list_mount_targets(session, fs.compartment_id, fs.availability_domain)
    by_set = {m.export_set_id: m for m in mts if m.lifecycle_state not in svc.GONE}
    for e in exports:
        mt = by_set.get(e.export_set_id)
        if mt is None:
            out.append(RelatedItem(f"Export {e.path}", f"export set {e.export_set_id}"))
            continue
        ip = await svc.mount_target_ip(session, mt)
        out.append(RelatedItem(f"Export {e.path}", f"through {mt.display_name} ({ip or 'no IP yet'})", mt.id))
        if ip:
            out.append(RelatedItem("Mount command", svc.mount_command(ip, e.path)))
    return out


async def _fs_snapshots(session, fs) -> list[RelatedItem]:
    snaps = await svc.list_snapshots(session, fs.id)
    return [RelatedItem(f"Snapshot {s.name}", f"{s.time_created:%Y-%m-%d %H:%M} ({s.lifecycle_state})")
            for s in snaps]


async def _mt_related(session, mt) -> list[RelatedItem]:
    out = []
    ip = await svc.mount_target_ip(session, mt)
    out.append(RelatedItem("Private IP", ip or "—"))
    try:
        sub = await netsvc.get_subnet(session, mt.subnet_id)
        out.append(RelatedItem("Subnet", f"{sub.display_name} ({sub.cidr_block})", sub.id))
    except Exception as err:
        log.debug("subnet %s not named: %s", mt.subnet_id, loggable(err))
        out.append(RelatedItem("Subnet", mt.subnet_id, mt.subnet_id))
    exports = await svc.list_exports(session, export_set_id=mt.export_set_id)

    async def fs_name(e):
        try:
            return (await svc.get_file_system(session, e.file_system_id)).display_name
        except Exception as err:
            log.debug("file system %s not named: %s", e.file_system_id, loggable(err))
            return e.file_system_id
    names = await asyncio.gather(*(fs_name(e) for e in exports))
    for e, name in zip(exports, names, strict=True):
        out.append(RelatedItem(f"Export {e.path}", f"file system {name}", e.file_system_id))
        if ip:
            out.append(RelatedItem("Mount command", svc.mount_command(ip, e.path)))
    return out


# ---------------------------------------------------------------- forms

def _fs_request(v: dict, ctx: FormContext) -> Request:
    return Request("file_storage", "create_file_system", M.CreateFileSystemDetails(
        compartment_id=v["compartment_id"], availability_domain=v["availability_domain"],
        display_name=v.get("display_name") or None, freeform_tags=_tags(v)))


def fs_cli(d) -> str:
    return cli_command("fs file-system create", [
        ("--compartment-id", d.compartment_id), ("--availability-domain", d.availability_domain),
        ("--display-name", d.display_name), ("--freeform-tags", d.freeform_tags), ("--wait-for-state", "ACTIVE")])


FILE_SYSTEM_FORM = FormSpec(
    title=N_("Create file system"), kind_id="filestorage.file_system",
    fields=[
        Field("display_name", N_("Name"), "text", required=True,
              default_from=lambda *_: time.strftime("FileSystem-%Y%m%d-%H%M"),
              validate=lambda v, *_: validators.display_name(v, True)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("availability_domain", N_("Availability domain"), "choice", required=True, options=_ads),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_fs_request, cli=lambda v, ctx, req: fs_cli(req.details))


async def _vcns(ctx: FormContext, values) -> list[Option]:
    comp = values.get("network_compartment_id") or values.get("compartment_id") or ctx.compartment_id
    return [Option(v.id, f"{v.display_name} ({v.cidr_block})", v) for v in await netsvc.list_vcns(ctx.session, comp)
            if v.lifecycle_state == "AVAILABLE"]


async def subnet_options(session, compartment_id: str, vcn_id: str, ad: str | None) -> list[Option]:
    """Subnets where a mount target of `ad` can live: regional ones and those of that AD."""
    out = []
    for s in await netsvc.list_subnets(session, compartment_id, vcn_id):
        if s.lifecycle_state != "AVAILABLE" or (s.availability_domain and ad and s.availability_domain != ad):
            continue
        access = "private" if s.prohibit_public_ip_on_vnic else "public"
        out.append(Option(s.id, f"{s.display_name} ({s.cidr_block}, {access}, {s.availability_domain or 'regional'})",
                          s))
    return out


async def _subnets(ctx: FormContext, values) -> list[Option]:
    if not values.get("vcn_id"):
        return []
    comp = values.get("network_compartment_id") or values.get("compartment_id") or ctx.compartment_id
    return await subnet_options(ctx.session, comp, values["vcn_id"], values.get("availability_domain"))


def _mt_request(v: dict, ctx: FormContext) -> Request:
    return Request("file_storage", "create_mount_target", M.CreateMountTargetDetails(
        compartment_id=v["compartment_id"], availability_domain=v["availability_domain"],
        subnet_id=v["subnet_id"], display_name=v.get("display_name") or None,
        hostname_label=v.get("hostname_label") or None, freeform_tags=_tags(v)))


def mt_cli(d) -> str:
    return cli_command("fs mount-target create", [
        ("--compartment-id", d.compartment_id), ("--availability-domain", d.availability_domain),
        ("--subnet-id", d.subnet_id), ("--display-name", d.display_name), ("--hostname-label", d.hostname_label),
        ("--freeform-tags", d.freeform_tags), ("--wait-for-state", "ACTIVE")])


def export_cli(export_set: str, file_system: str, path: str) -> str:
    return cli_command("fs export create", [
        ("--export-set-id", export_set), ("--file-system-id", file_system), ("--path", path),
        ("--wait-for-state", "ACTIVE")])


MOUNT_TARGET_FORM = FormSpec(
    title=N_("Create mount target"), kind_id="filestorage.mount_target",
    fields=[
        Field("display_name", N_("Name"), "text", required=True,
              default_from=lambda *_: time.strftime("MountTarget-%Y%m%d-%H%M"),
              validate=lambda v, *_: validators.display_name(v, True)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("availability_domain", N_("Availability domain"), "choice", required=True, options=_ads),
        Field("network_compartment_id", N_("Network compartment"), "compartment", required=True,
              default_from=lambda v, c: v.get("compartment_id"), depends_on=("compartment_id",)),
        Field("vcn_id", N_("VCN"), "choice", required=True, options=_vcns, depends_on=("network_compartment_id",)),
        Field("subnet_id", N_("Subnet"), "choice", required=True, options=_subnets,
              depends_on=("vcn_id", "availability_domain"),
              help=N_("The mount target takes a private IP address in this subnet")),
        Field("hostname_label", N_("Hostname"), "text", placeholder=N_("optional, e.g. nfs"),
              validate=lambda v, *_: validators.dns_label(v)),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_mt_request, cli=lambda v, ctx, req: mt_cli(req.details))


def export_request(export_set_id: str, file_system_id: str, path: str) -> Request:
    return Request("file_storage", "create_export", M.CreateExportDetails(
        export_set_id=export_set_id, file_system_id=file_system_id, path=path.strip()))


def export_form(fs) -> FormSpec:
    """Export a file system through one of the mount targets of its availability domain."""
    async def mount_targets(ctx: FormContext, values) -> list[Option]:
        comp = values.get("mt_compartment_id") or fs.compartment_id
        mts = [m for m in await svc.list_mount_targets(ctx.session, comp, fs.availability_domain)
               if m.lifecycle_state == "ACTIVE"]
        ips = await asyncio.gather(*(svc.mount_target_ip(ctx.session, m) for m in mts))
        return [Option(m.export_set_id, f"{m.display_name} ({ip or 'no IP'})", m)
                for m, ip in zip(mts, ips, strict=True)]

    return FormSpec(
        title=f"Export file system {fs.display_name}", kind_id="filestorage.export",
        fields=[
            Field("mt_compartment_id", N_("Mount target compartment"), "compartment", required=True,
                  default_from=lambda *_: fs.compartment_id),
            Field("export_set_id", N_("Mount target"), "choice", required=True, options=mount_targets,
                  depends_on=("mt_compartment_id",),
                  help=f"Active mount targets in {fs.availability_domain} (the file system's availability domain)"),
            Field("path", N_("Export path"), "text", required=True, default="/" + fs.display_name.strip("/"),
                  validate=check_export_path, help=N_("Clients mount <mount target IP>:<path>")),
        ],
        build=lambda v, ctx: export_request(v["export_set_id"], fs.id, v["path"]),
        cli=lambda v, ctx, req: export_cli(req.details.export_set_id, req.details.file_system_id, req.details.path),
        describe=lambda v: v.get("path") or "", submit_label=N_("Export"),
        op_title=lambda v: f"Export {fs.display_name} as {v.get('path')}")


# ---------------------------------------------------------------- kinds

_IPS: dict[str, str | None] = {}  # mount target OCID -> private IP address (for the table's column)


async def list_mount_targets(session, compartment_id):
    """Mount targets, with their private IP looked up (what a person needs to mount from them)."""
    mts = await svc.list_mount_targets(session, compartment_id)
    ips = await asyncio.gather(*(svc.mount_target_ip(session, m) for m in mts))
    _IPS.update((m.id, ip) for m, ip in zip(mts, ips, strict=True))
    return mts


async def _no_list(_session, _compartment_id) -> list:
    return []


FILE_SYSTEMS = ResourceKind(
    id="filestorage.file_system", label=N_("File systems"), singular=N_("File system"), group=N_("Storage"),
    icon="filesystem", order=20, list=svc.list_file_systems, get=svc.get_file_system, ocid_types=("filesystem",),
    columns=[
        Column(N_("Name"), attr("display_name"), width=200),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Used"), attr("metered_bytes"), "bytes", width=90),
        Column(N_("Availability domain"), attr("availability_domain"), width=170),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Exports"), _fs_exports), Related(N_("Snapshots"), _fs_snapshots)],
    actions=[Action("export", N_("Export…"), no_run, frozenset({"ACTIVE"}), form=export_form, icon="create"),
             _delete_action(svc.delete_file_system)],
    create=FILE_SYSTEM_FORM, create_view="nfs_wizard",
    ready_states=frozenset({"ACTIVE"}), sdk=SdkRef("file_storage", "file_system", cli="fs file-system"),
)

MOUNT_TARGETS = ResourceKind(
    id="filestorage.mount_target", label=N_("Mount targets"), singular=N_("Mount target"), group=N_("Storage"),
    icon="mounttarget", order=21, list=list_mount_targets, get=svc.get_mount_target, ocid_types=("mounttarget",),
    columns=[
        Column(N_("Name"), attr("display_name"), width=200),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Private IP"), lambda m: _IPS.get(m.id), width=110),
        Column(N_("Availability domain"), attr("availability_domain"), width=170),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Network and exports"), _mt_related)],
    actions=[_delete_action(svc.delete_mount_target)],
    create=MOUNT_TARGET_FORM,
    ready_states=frozenset({"ACTIVE"}), sdk=SdkRef("file_storage", "mount_target", cli="fs mount-target"),
)

EXPORTS = ResourceKind(
    id="filestorage.export", label=N_("Exports"), singular=N_("Export"), group=N_("Storage"), icon="filesystem",
    scope="hidden", list=_no_list, get=svc.get_export, ocid_types=("export",), name_attr="path",
    columns=[Column(N_("Path"), attr("path")), Column(N_("State"), attr("lifecycle_state"), "state")],
    actions=[_delete_action(svc.delete_export)],
    ready_states=frozenset({"ACTIVE"}),
)

KINDS = [FILE_SYSTEMS, MOUNT_TARGETS, EXPORTS]
