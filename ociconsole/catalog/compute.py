"""Compute kinds: instances (with actions and the launch form), boot volumes, images."""

from __future__ import annotations

import time

from ..core.sdk import models as sdk_models
from ..core.sdk import to_dict as sdk_to_dict
from ..services import compute as svc
from ..services import identity as idsvc
from ..services import network as netsvc
from . import validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .model import Action, ActionOption, ChartSpec, Column, MetricsSpec, Related, RelatedItem, ResourceKind, attr

M = sdk_models("core")


# ---------------------------------------------------------------- actions

def _action(name: str):
    async def run(session, inst, _options):
        return await svc.instance_action(session, inst.id, name)
    return run


async def _terminate(session, inst, options):
    await svc.terminate_instance(session, inst.id, preserve_boot_volume=bool(options.get("keep_boot_volume")))


INSTANCE_ACTIONS = [
    Action("start", "Start", _action("START"), frozenset({"STOPPED"}), target_states=frozenset({"RUNNING"}),
           icon="start", verb="Starting"),
    Action("stop", "Stop", _action("SOFTSTOP"), frozenset({"RUNNING"}), target_states=frozenset({"STOPPED"}),
           icon="stop", verb="Stopping"),
    Action("force_stop", "Force stop", _action("STOP"), frozenset({"RUNNING", "STARTING"}),
           target_states=frozenset({"STOPPED"}), confirm="simple", icon="stop", verb="Force-stopping"),
    Action("reboot", "Reboot", _action("SOFTRESET"), frozenset({"RUNNING"}), target_states=frozenset({"RUNNING"}),
           icon="reboot", verb="Rebooting"),
    Action("force_reboot", "Force reboot", _action("RESET"), frozenset({"RUNNING"}),
           target_states=frozenset({"RUNNING"}), confirm="simple", icon="reboot", verb="Force-rebooting"),
    Action("terminate", "Terminate", _terminate, frozenset({"RUNNING", "STOPPED", "STARTING", "STOPPING"}),
           destructive=True, confirm="name", target_states=frozenset({"TERMINATED"}), gone_ok=True,
           options=[ActionOption("keep_boot_volume", "Keep the boot volume")], shortcut="Delete", icon="delete",
           verb="Terminating"),
]


# ---------------------------------------------------------------- related resources

async def _vnics(session, inst) -> list[RelatedItem]:
    out = []
    for att, vnic in await svc.instance_vnics(session, inst):
        if vnic is None:
            continue
        ips = f"private {vnic.private_ip}" + (f", public {vnic.public_ip}" if vnic.public_ip else "")
        out.append(RelatedItem(f"VNIC {vnic.display_name}" + (" (primary)" if vnic.is_primary else ""), ips, vnic.id))
        if vnic.subnet_id:
            try:
                sub = await netsvc.get_subnet(session, vnic.subnet_id)
                out.append(RelatedItem("Subnet", f"{sub.display_name} ({sub.cidr_block})", sub.id))
            except Exception:  # noqa: BLE001 - a related lookup must not hide the others
                out.append(RelatedItem("Subnet", vnic.subnet_id, vnic.subnet_id))
    return out


async def _boot(session, inst) -> list[RelatedItem]:
    return [RelatedItem("Boot volume", f"{b.display_name} ({b.size_in_gbs} GB, {b.lifecycle_state})", b.id)
            for b in await svc.instance_boot_volumes(session, inst)]


async def _image_shape(session, inst) -> list[RelatedItem]:
    out = []
    if inst.image_id:
        try:
            img = await svc.get_image(session, inst.image_id)
            out.append(RelatedItem("Image", img.display_name, img.id))
        except Exception:  # noqa: BLE001
            out.append(RelatedItem("Image", inst.image_id, inst.image_id))
    sc = inst.shape_config
    desc = inst.shape
    if sc is not None:
        desc += f" — {sc.ocpus:g} OCPU, {sc.memory_in_gbs:g} GB, {sc.networking_bandwidth_in_gbps:g} Gbps"
        if sc.processor_description:
            desc += f", {sc.processor_description}"
    out.append(RelatedItem("Shape", desc))
    out.append(RelatedItem("Placement", f"{inst.availability_domain} / {inst.fault_domain}"))
    return out


# ---- block volumes attached to the instance (Storage: catalog/block_volume.py)

async def _block_volumes(session, inst) -> list[RelatedItem]:
    from ..services import blockstorage as bvsvc
    out = []
    for att, vol in await bvsvc.instance_volumes(session, inst):
        ro = ", read-only" if att.is_read_only else ""
        what = f"{vol.size_in_gbs} GB, " if vol is not None else ""
        out.append(RelatedItem(f"Volume {vol.display_name if vol is not None else att.volume_id}",
                               f"{what}{att.attachment_type}, {att.device or 'no device'}{ro}, {att.lifecycle_state}",
                               att.volume_id))
    return out


# ---------------------------------------------------------------- the launch form

async def _ads(ctx: FormContext, values) -> list[Option]:
    return [Option(a.name, a.name, a) for a in await idsvc.list_availability_domains(ctx.session)]


async def _shapes(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    shapes = await svc.list_shapes(ctx.session, comp, values.get("availability_domain"))
    out = []
    for s in shapes:
        if s.is_flexible:
            label = f"{s.shape} — flexible, {s.ocpu_options.min:g}-{s.ocpu_options.max:g} OCPU"
        else:
            label = f"{s.shape} — {s.ocpus:g} OCPU, {s.memory_in_gbs:g} GB"
        out.append(Option(s.shape, label, s))
    return out


async def _images(ctx: FormContext, values) -> list[Option]:
    if not values.get("shape"):
        return []
    comp = values.get("compartment_id") or ctx.compartment_id
    imgs = await svc.list_images(ctx.session, comp, shape=values["shape"])
    return [Option(i.id, f"{i.display_name}", i) for i in imgs]


async def _vcns(ctx: FormContext, values) -> list[Option]:
    comp = values.get("network_compartment_id") or values.get("compartment_id") or ctx.compartment_id
    vcns = await netsvc.list_vcns(ctx.session, comp)
    return [Option(v.id, f"{v.display_name} ({v.cidr_block})", v) for v in vcns if v.lifecycle_state == "AVAILABLE"]


async def _subnets(ctx: FormContext, values) -> list[Option]:
    if not values.get("vcn_id"):
        return []
    comp = values.get("network_compartment_id") or values.get("compartment_id") or ctx.compartment_id
    subs = await netsvc.list_subnets(ctx.session, comp, values["vcn_id"])
    out = []
    for s in subs:
        if s.lifecycle_state != "AVAILABLE":
            continue
        kind = "private" if s.prohibit_public_ip_on_vnic else "public"
        scope = s.availability_domain or "regional"
        out.append(Option(s.id, f"{s.display_name} ({s.cidr_block}, {kind}, {scope})", s))
    return out


def _shape(values, ctx) -> M.Shape | None:
    return ctx.data("shape", values.get("shape"))


def _flex(values, ctx) -> bool:
    s = _shape(values, ctx)
    return bool(s and s.is_flexible)


def _ocpu_bounds(values, ctx):
    s = _shape(values, ctx)
    if not s or not s.is_flexible:
        return None
    return (s.ocpu_options.min, s.ocpu_options.max, 1)


def _mem_bounds(values, ctx):
    s = _shape(values, ctx)
    if not s or not s.is_flexible:
        return None
    mo = s.memory_options
    ocpus = values.get("ocpus") or 1
    lo = max(mo.min_in_g_bs, ocpus * mo.min_per_ocpu_in_gbs)
    hi = min(mo.max_in_g_bs, ocpus * mo.max_per_ocpu_in_gbs)
    return (lo, hi, 1)


def _mem_default(values, ctx):
    s = _shape(values, ctx)
    if not s or not s.is_flexible:
        return None
    mo = s.memory_options
    ocpus = values.get("ocpus") or 1
    return min(mo.max_in_g_bs, max(mo.min_in_g_bs, ocpus * mo.default_per_ocpu_in_g_bs))


def _check_memory(v, values, ctx):
    s = _shape(values, ctx)
    if not s or not s.is_flexible:
        return None
    return validators.flex_memory(v, values.get("ocpus"), sdk_to_dict(s.memory_options))


def _check_public_ip(v, values, ctx):
    sub = ctx.data("subnet_id", values.get("subnet_id"))
    if v and sub is not None and sub.prohibit_public_ip_on_vnic:
        return f"Subnet {sub.display_name} is private: it does not allow public IP addresses"
    return None


def _check_image(v, values, ctx):
    img = ctx.data("image_id", v)
    if v and values.get("shape") and img is None and ctx.option_data.get("image_id"):
        return f"This image is not compatible with {values['shape']}"
    return None


def _check_ad_subnet(v, values, ctx):
    sub = ctx.data("subnet_id", v)
    ad = values.get("availability_domain")
    if sub is not None and sub.availability_domain and ad and sub.availability_domain != ad:
        return f"This subnet is in {sub.availability_domain}, not {ad}"
    return None


def _default_name(_values, _ctx) -> str:
    return time.strftime("instance-%Y%m%d-%H%M")


def _launch_request(v: dict, ctx: FormContext) -> Request:
    shape_cfg = None
    if _flex(v, ctx):
        shape_cfg = M.LaunchInstanceShapeConfigDetails(ocpus=float(v["ocpus"]), memory_in_gbs=float(v["memory_in_gbs"]))
    metadata = {}
    if (v.get("ssh_authorized_keys") or "").strip():
        metadata["ssh_authorized_keys"] = v["ssh_authorized_keys"].strip() + "\n"
    ff, _ = validators.parse_tags(v.get("freeform_tags"))
    details = M.LaunchInstanceDetails(
        compartment_id=v["compartment_id"], availability_domain=v["availability_domain"],
        display_name=v.get("display_name") or None, shape=v["shape"], shape_config=shape_cfg,
        source_details=M.InstanceSourceViaImageDetails(
            image_id=v["image_id"], boot_volume_size_in_gbs=int(v["boot_volume_size_in_gbs"])
            if v.get("boot_volume_size_in_gbs") else None),
        create_vnic_details=M.CreateVnicDetails(subnet_id=v["subnet_id"], assign_public_ip=bool(v.get("assign_public_ip"))),
        metadata=metadata or None, freeform_tags=ff or None)
    return Request("compute", "launch_instance", details)


def _launch_cli(v: dict, ctx: FormContext, req: Request) -> str:
    d = req.details
    return cli_command("compute instance launch", [
        ("--compartment-id", d.compartment_id), ("--availability-domain", d.availability_domain),
        ("--display-name", d.display_name), ("--shape", d.shape), ("--shape-config", d.shape_config),
        ("--image-id", d.source_details.image_id),
        ("--boot-volume-size-in-gbs", d.source_details.boot_volume_size_in_gbs),
        ("--subnet-id", d.create_vnic_details.subnet_id),
        ("--assign-public-ip", d.create_vnic_details.assign_public_ip),
        ("--metadata", d.metadata), ("--freeform-tags", d.freeform_tags),
        ("--wait-for-state", "RUNNING")])


def _subnet_public_default(values, ctx):
    sub = ctx.data("subnet_id", values.get("subnet_id"))
    return None if sub is None else not sub.prohibit_public_ip_on_vnic


LAUNCH_FORM = FormSpec(
    title="Create instance",
    kind_id="compute.instance",
    fields=[
        Field("display_name", "Name", "text", required=True, default_from=_default_name,
              validate=lambda v, *_: validators.display_name(v, True)),
        Field("compartment_id", "Compartment", "compartment", required=True),
        Field("availability_domain", "Availability domain", "choice", required=True, options=_ads),
        Field("shape", "Shape", "choice", required=True, options=_shapes,
              depends_on=("compartment_id", "availability_domain")),
        Field("ocpus", "OCPUs", "number", required=True, default=1, bounds=_ocpu_bounds, depends_on=("shape",),
              visible=_flex),
        Field("memory_in_gbs", "Memory (GB)", "number", required=True, bounds=_mem_bounds,
              depends_on=("shape", "ocpus"), visible=_flex, default_from=_mem_default, validate=_check_memory),
        Field("image_id", "Image", "choice", required=True, options=_images, depends_on=("shape",),
              help="Only images compatible with the shape are listed", validate=_check_image),
        Field("boot_volume_size_in_gbs", "Boot volume size (GB)", "number", bounds=lambda v, c: (50, 32768, 1),
              help="Leave empty for the image's default"),
        Field("network_compartment_id", "Network compartment", "compartment", required=True,
              default_from=lambda v, c: v.get("compartment_id"), depends_on=("compartment_id",)),
        Field("vcn_id", "VCN", "choice", required=True, options=_vcns, depends_on=("network_compartment_id",)),
        Field("subnet_id", "Subnet", "choice", required=True, options=_subnets, depends_on=("vcn_id",),
              validate=_check_ad_subnet),
        Field("assign_public_ip", "Assign a public IPv4 address", "bool", default=True, depends_on=("subnet_id",),
              default_from=_subnet_public_default, validate=_check_public_ip),
        Field("ssh_authorized_keys", "SSH public keys", "sshkey",
              help="Paste OpenSSH public keys (one per line) or load a .pub file"),
        Field("freeform_tags", "Tags", "tags", help="One key=value per line"),
    ],
    build=_launch_request,
    cli=_launch_cli,
)


# ---------------------------------------------------------------- kinds

async def _delete_boot_volume(session, bv, _options):
    await svc.delete_boot_volume(session, bv.id)


INSTANCES = ResourceKind(
    id="compute.instance", label="Instances", singular="Instance", group="Compute", icon="instance",
    list=svc.list_instances, get=svc.get_instance, ocid_types=("instance",), order=1,
    columns=[
        Column("Name", attr("display_name"), width=200),
        Column("State", attr("lifecycle_state"), "state"),
        Column("Shape", attr("shape"), width=170),
        Column("OCPUs", attr("shape_config.ocpus"), "number"),
        Column("Memory (GB)", attr("shape_config.memory_in_gbs"), "number"),
        Column("Availability domain", attr("availability_domain")),
        Column("Fault domain", attr("fault_domain")),
        Column("Created", attr("time_created"), "datetime"),
    ],
    related=[Related("Networking", _vnics), Related("Storage", _boot), Related("Block volumes", _block_volumes),
             Related("Image and shape", _image_shape)],
    actions=INSTANCE_ACTIONS,
    create=LAUNCH_FORM,
    metrics=MetricsSpec("oci_computeagent", [
        ChartSpec("CPU utilization", ["CpuUtilization"], "%", y_range=(0, 100)),
        ChartSpec("Memory utilization", ["MemoryUtilization"], "%", y_range=(0, 100)),
        # the agent reports bytes and operations per minute: their mean is a per-minute rate at any interval
        ChartSpec("Network", ["NetworksBytesIn", "NetworksBytesOut"], "B/min",
                  labels={"NetworksBytesIn": "in", "NetworksBytesOut": "out"}),
        ChartSpec("Disk throughput", ["DiskBytesRead", "DiskBytesWritten"], "B/min",
                  labels={"DiskBytesRead": "read", "DiskBytesWritten": "written"}),
        ChartSpec("Disk IOPS", ["DiskIopsRead", "DiskIopsWritten"], "ops/min",
                  labels={"DiskIopsRead": "read", "DiskIopsWritten": "written"}),
        ChartSpec("Load average", ["LoadAverage"], ""),
    ]),
)

BOOT_VOLUMES = ResourceKind(
    id="compute.boot_volume", label="Boot volumes", singular="Boot volume", group="Compute", icon="volume",
    list=svc.list_boot_volumes, get=svc.get_boot_volume, ocid_types=("bootvolume",), order=2,
    columns=[
        Column("Name", attr("display_name"), width=240),
        Column("State", attr("lifecycle_state"), "state"),
        Column("Size (GB)", attr("size_in_gbs"), "number"),
        Column("VPUs/GB", attr("vpus_per_gb"), "number"),
        Column("Availability domain", attr("availability_domain")),
        Column("Created", attr("time_created"), "datetime"),
    ],
    actions=[Action("delete", "Delete", _delete_boot_volume, frozenset({"AVAILABLE"}), destructive=True,
                    confirm="name", target_states=frozenset({"TERMINATED"}), gone_ok=True, shortcut="Delete",
                    icon="delete", verb="Deleting")],
    ready_states=frozenset({"AVAILABLE"}),
)

IMAGES = ResourceKind(
    id="compute.image", label="Images", singular="Image", group="Compute", icon="image",
    list=lambda session, comp: svc.list_images(session, comp), get=svc.get_image, ocid_types=("image",),
    scope="hidden",
    columns=[Column("Name", attr("display_name")), Column("Operating system", attr("operating_system")),
             Column("Version", attr("operating_system_version")), Column("State", attr("lifecycle_state"), "state")],
)

KINDS = [INSTANCES, BOOT_VOLUMES, IMAGES]
