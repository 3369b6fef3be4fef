"""Compute kinds: instances (with actions, the launch form, console connections), boot volumes, images,
instance configurations and instance pools (start/stop/reset, scale, terminate, the create form)."""

from __future__ import annotations

import dataclasses
import logging
import shlex
import time
from typing import Any

from ..core.errors import loggable
from ..core.sdk import models as sdk_models
from ..core.sdk import to_dict as sdk_to_dict
from ..i18n import N_
from ..services import compute as svc
from ..services import identity as idsvc
from ..services import network as netsvc
from . import pricing, validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .generic import SdkRef, delete_action, getter, lister, move_action
from .model import (
    Action,
    ActionOption,
    ChartSpec,
    Column,
    MetricsSpec,
    Related,
    RelatedItem,
    ResourceKind,
    attr,
    no_run,
)

log = logging.getLogger(__name__)

M = sdk_models("core")


# ---------------------------------------------------------------- actions

def _action(name: str):
    async def run(session, inst, _options):
        return await svc.instance_action(session, inst.id, name)
    return run


async def _terminate(session, inst, options):
    await svc.terminate_instance(session, inst.id, preserve_boot_volume=bool(options.get("keep_boot_volume")))


INSTANCE_ACTIONS = [
    Action("start", N_("Start"), _action("START"), frozenset({"STOPPED"}), target_states=frozenset({"RUNNING"}),
           icon="start", verb=N_("Starting")),
    # Stop and Reboot ask as their force variants do (View > "Ask before Stop and Reboot" turns that off away
    # from production; on production every change asks for the name: core.guardrails)
    Action("stop", N_("Stop"), _action("SOFTSTOP"), frozenset({"RUNNING"}), target_states=frozenset({"STOPPED"}),
           confirm="simple", icon="stop", verb=N_("Stopping")),
    Action("force_stop", N_("Force stop"), _action("STOP"), frozenset({"RUNNING", "STARTING"}),
           target_states=frozenset({"STOPPED"}), confirm="simple", icon="stop", verb=N_("Force-stopping")),
    Action("reboot", N_("Reboot"), _action("SOFTRESET"), frozenset({"RUNNING"}), target_states=frozenset({"RUNNING"}),
           confirm="simple", icon="reboot", verb=N_("Rebooting")),
    Action("force_reboot", N_("Force reboot"), _action("RESET"), frozenset({"RUNNING"}),
           target_states=frozenset({"RUNNING"}), confirm="simple", icon="reboot", verb=N_("Force-rebooting")),
    Action("terminate", N_("Terminate"), _terminate, frozenset({"RUNNING", "STOPPED", "STARTING", "STOPPING"}),
           destructive=True, confirm="name", target_states=frozenset({"TERMINATED"}), gone_ok=True,
           options=[ActionOption("keep_boot_volume", N_("Keep the boot volume"))], shortcut="Delete", icon="delete",
           verb=N_("Terminating")),
]


def image_form(inst) -> FormSpec:
    """Create a custom image from the instance: tracked until the image is AVAILABLE."""
    def build(v: dict, ctx: FormContext) -> Request:
        return Request("compute", "create_image", M.CreateImageDetails(
            compartment_id=v.get("compartment_id") or inst.compartment_id, instance_id=inst.id,
            display_name=v["display_name"]))

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command("compute image create", [
            ("--compartment-id", d.compartment_id), ("--instance-id", d.instance_id),
            ("--display-name", d.display_name), ("--wait-for-state", "AVAILABLE")])

    return FormSpec(
        title=f"Create image from {inst.display_name}", kind_id="compute.image",
        fields=[
            Field("display_name", N_("Image name"), "text", required=True,
                  default_from=lambda *_: time.strftime(f"{inst.display_name}-image-%Y%m%d-%H%M"),
                  validate=lambda v, *_: validators.display_name(v, True)),
            Field("compartment_id", N_("Compartment"), "compartment", required=True,
                  default_from=lambda *_: inst.compartment_id,
                  help=N_("The instance is CREATING_IMAGE until the image is AVAILABLE")),
        ],
        build=build, cli=cli, describe=lambda v: v.get("display_name") or "", submit_label=N_("Create image"),
        op_title=lambda v: f"Create image {v.get('display_name')} from {inst.display_name}")


INSTANCE_ACTIONS.append(Action("create_image", N_("Create image…"), no_run, frozenset({"RUNNING", "STOPPED"}),
                               form=image_form, target_states=frozenset({"AVAILABLE"}), icon="image",
                               verb=N_("Creating image")))


# ---------------------------------------------------------------- related resources

async def _networking(session, inst) -> list[RelatedItem]:
    """VNICs with their subnets, then the console connection (if any)."""
    import asyncio
    vnics, console = await asyncio.gather(_vnics(session, inst), _console(session, inst), return_exceptions=True)
    if isinstance(vnics, BaseException):
        raise vnics
    return vnics + ([] if isinstance(console, BaseException) else console)


async def _vnics(session, inst) -> list[RelatedItem]:
    out = []
    for _att, vnic in await svc.instance_vnics(session, inst):
        if vnic is None:
            continue
        ips = f"private {vnic.private_ip}" + (f", public {vnic.public_ip}" if vnic.public_ip else "")
        out.append(RelatedItem(f"VNIC {vnic.display_name}" + (" (primary)" if vnic.is_primary else ""), ips, vnic.id))
        if vnic.subnet_id:
            try:
                sub = await netsvc.get_subnet(session, vnic.subnet_id)
                out.append(RelatedItem("Subnet", f"{sub.display_name} ({sub.cidr_block})", sub.id))
            except Exception as e:  # the id instead of the name
                log.debug("subnet %s not named: %s", vnic.subnet_id, loggable(e))
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
        except Exception as e:
            log.debug("image %s not named: %s", inst.image_id, loggable(e))
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


def _shape(values, ctx) -> Any:  # an oci.core.models.Shape or None
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
        create_vnic_details=M.CreateVnicDetails(subnet_id=v["subnet_id"],
                                                assign_public_ip=bool(v.get("assign_public_ip"))),
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
    title=N_("Create instance"),
    kind_id="compute.instance",
    fields=[
        Field("display_name", N_("Name"), "text", required=True, default_from=_default_name,
              validate=lambda v, *_: validators.display_name(v, True)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("availability_domain", N_("Availability domain"), "choice", required=True, options=_ads),
        Field("shape", N_("Shape"), "choice", required=True, options=_shapes,
              depends_on=("compartment_id", "availability_domain")),
        Field("ocpus", N_("OCPUs"), "number", required=True, default=1, bounds=_ocpu_bounds, depends_on=("shape",),
              visible=_flex),
        Field("memory_in_gbs", N_("Memory (GB)"), "number", required=True, bounds=_mem_bounds,
              depends_on=("shape", "ocpus"), visible=_flex, default_from=_mem_default, validate=_check_memory),
        Field("image_id", N_("Image"), "choice", required=True, options=_images, depends_on=("shape",),
              help=N_("Only images compatible with the shape are listed"), validate=_check_image),
        Field("boot_volume_size_in_gbs", N_("Boot volume size (GB)"), "number", bounds=lambda v, c: (50, 32768, 1),
              help=N_("Leave empty for the image's default")),
        Field("network_compartment_id", N_("Network compartment"), "compartment", required=True,
              default_from=lambda v, c: v.get("compartment_id"), depends_on=("compartment_id",)),
        Field("vcn_id", N_("VCN"), "choice", required=True, options=_vcns, depends_on=("network_compartment_id",),
              create_kind="network.vcn"),
        Field("subnet_id", N_("Subnet"), "choice", required=True, options=_subnets, depends_on=("vcn_id",),
              validate=_check_ad_subnet),
        Field("assign_public_ip", N_("Assign a public IPv4 address"), "bool", default=True, depends_on=("subnet_id",),
              default_from=_subnet_public_default, validate=_check_public_ip),
        Field("ssh_authorized_keys", N_("SSH public keys"), "sshkey",
              help=N_("Paste OpenSSH public keys (one per line) or load a .pub file")),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_launch_request,
    cli=_launch_cli,
    cost=lambda v, ctx: _launch_cost(v, ctx),
)


def _launch_cost(v: dict, ctx: FormContext):
    """The instance running (OCPUs and memory of its shape) and its boot volume, per month at list price."""
    shape = ctx.data("shape", v.get("shape"))
    if not v.get("shape"):
        return None
    if _flex(v, ctx):
        ocpus, mem = v.get("ocpus"), v.get("memory_in_gbs")
    else:
        ocpus, mem = getattr(shape, "ocpus", None), getattr(shape, "memory_in_gbs", None)
    if ocpus is None or mem is None:
        return None
    return instance_cost(v["shape"], float(ocpus), float(mem), int(v.get("boot_volume_size_in_gbs") or 50))


def instance_cost(shape: str, ocpus: float, memory_gb: float, boot_gb: int, count: int = 1) -> pricing.Cost | None:
    """`count` instances of a shape running, and their boot volumes, per month at list price."""
    one = pricing.monthly_cost([
        ("instance", {"shape": shape, "shapeConfig": {"ocpus": ocpus, "memoryInGBs": memory_gb}}, "RUNNING"),
        ("bootvolume", {"sizeInGBs": boot_gb, "vpusPerGB": 10}, "AVAILABLE")],
        note="while running; a stopped instance costs its boot volume only")
    if one is None or count == 1:
        return one
    return pricing.Cost(one.amount * count, "month", [f"{count} instances, each:"] + one.lines, note=one.note)


# ---------------------------------------------------------------- console connections

def _one_key(v, _values, _ctx):
    keys = [line for line in str(v).splitlines() if line.strip()]
    return "A console connection takes one public key" if len(keys) > 1 else None


def console_form(inst) -> FormSpec:
    """An SSH console connection to the instance's serial console. The dialog closes when the service accepts,
    so the connection string is shown with the instance: Related › Networking, "Console (SSH)"."""
    def build(v: dict, ctx: FormContext) -> Request:
        return Request("compute", "create_instance_console_connection", M.CreateInstanceConsoleConnectionDetails(
            instance_id=inst.id, public_key=v["public_key"].strip()))

    def cli(v, ctx, req: Request) -> str:
        # the CLI reads the key from a file
        key = req.details.public_key
        return (f"printf '%s\\n' {shlex.quote(key)} > console-key.pub\n" + cli_command(
            "compute instance-console-connection create", [
                ("--instance-id", inst.id), ("--ssh-public-key-file", "console-key.pub"),
                ("--wait-for-state", "ACTIVE")]))

    return FormSpec(
        title=f"Create console connection to {inst.display_name}", kind_id="compute.console_connection",
        fields=[Field("public_key", N_("SSH public key"), "sshkey", required=True, validate=_one_key,
                      help=N_("The key you will connect with (OpenSSH format, one key). When the connection is "
                           "active, its SSH connection string is listed in the instance's Related tab under "
                           "Networking (right-click: Copy value)"))],
        build=build, cli=cli, describe=lambda _v: inst.display_name, submit_label=N_("Create console connection"),
        op_title=lambda _v: f"Create console connection to {inst.display_name}")


async def _delete_console_connections(session, inst, _options):
    for c in await svc.console_connections(session, inst):
        await session.call("compute", "delete_instance_console_connection", c.id)


INSTANCE_ACTIONS += [
    Action("console_connection", N_("Create console connection…"), no_run,
           frozenset({"RUNNING", "STOPPED"}), form=console_form, target_states=frozenset({"ACTIVE"}),
           icon="link", verb=N_("Creating console connection")),
    Action("delete_console_connection", N_("Delete console connection"), _delete_console_connections,
           frozenset({"RUNNING", "STOPPED", "STARTING", "STOPPING"}), destructive=True, confirm="name",
           target_states=frozenset({"RUNNING", "STOPPED"}), icon="delete", verb=N_("Deleting console connection of")),
]


async def _console(session, inst) -> list[RelatedItem]:
    """The instance's console connection (listed under Networking): its connection strings, to copy."""
    out = []
    for c in await svc.console_connections(session, inst):
        if c.lifecycle_state != "ACTIVE":
            out.append(RelatedItem("Console connection", c.lifecycle_state))
            continue
        out.append(RelatedItem("Console (SSH)", c.connection_string))
        if c.vnc_connection_string:
            out.append(RelatedItem("Console (VNC)", c.vnc_connection_string))
        out.append(RelatedItem("Console key fingerprint", c.fingerprint))
    return out


async def _no_list(_session, _compartment_id) -> list:
    return []  # listed with their instance (Related › Networking)


CONSOLE_REF = SdkRef("compute", "instance_console_connection", cli="compute instance-console-connection")

CONSOLE_CONNECTIONS = ResourceKind(
    id="compute.console_connection", label=N_("Console connections"), singular=N_("Console connection"),
                                   group=N_("Compute"),
    icon="link", list=_no_list, get=getter(CONSOLE_REF),
    ocid_types=("instanceconsoleconnection",), scope="hidden", sdk=CONSOLE_REF, movable=False, name_attr="id",
    columns=[Column(N_("Instance"), attr("instance_id"), "ocid"), Column(N_("State"), attr("lifecycle_state"), "state"),
             Column(N_("SSH connection string"), attr("connection_string"))],
    ready_states=frozenset({"ACTIVE"}),
)


# ---------------------------------------------------------------- instance configurations

def configuration_form(inst=None) -> FormSpec:
    """An instance configuration taken from an instance (its shape, image, subnet, metadata): from the
    instance's action (`inst` fixed) or created under Instance configurations (the instance chosen)."""
    async def instances(ctx: FormContext, values) -> list[Option]:
        comp = values.get("compartment_id") or ctx.compartment_id
        return [Option(i.id, f"{i.display_name} ({i.shape}, {i.lifecycle_state})", i)
                for i in await svc.list_instances(ctx.session, comp)
                if i.lifecycle_state in ("RUNNING", "STOPPED")]

    def build(v: dict, ctx: FormContext) -> Request:
        return Request("compute_management", "create_instance_configuration",
                       M.CreateInstanceConfigurationFromInstanceDetails(
                           compartment_id=v["compartment_id"], display_name=v["display_name"],
                           instance_id=inst.id if inst is not None else v["instance_id"]))

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command("compute-management instance-configuration create-from-instance", [
            ("--compartment-id", d.compartment_id), ("--instance-id", d.instance_id),
            ("--display-name", d.display_name)])

    fields = [
        Field("display_name", N_("Name"), "text", required=True,
              default_from=lambda *_: time.strftime(
                  f"{inst.display_name if inst is not None else 'instance'}-config-%Y%m%d-%H%M"),
              validate=lambda v, *_: validators.display_name(v, True)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True,
              default_from=(lambda *_: inst.compartment_id) if inst is not None else None),
    ]
    if inst is None:
        fields.append(Field("instance_id", N_("Instance"), "choice", required=True, options=instances,
                            depends_on=("compartment_id",), create_kind="compute.instance",
                            help=N_("Its shape, image, boot volume size, subnet and metadata become the template")))
    else:
        fields[1].help = "Its shape, image, boot volume size, subnet and metadata become the template"
    title = f"Create instance configuration from {inst.display_name}" if inst is not None else \
        "Create instance configuration"
    return FormSpec(title=title, kind_id="compute.instance_configuration", fields=fields, build=build, cli=cli,
                    submit_label=N_("Create"),
                    op_title=lambda v: f"Create instance configuration {v.get('display_name')}"
                    + (f" from {inst.display_name}" if inst is not None else ""))


INSTANCE_ACTIONS.append(Action(
    "create_configuration", N_("Create instance configuration…"), no_run, frozenset({"RUNNING", "STOPPED"}),
    form=configuration_form, icon="file", verb=N_("Creating instance configuration")))

CONFIG_REF = SdkRef("compute_management", "instance_configuration", cli="compute-management instance-configuration")


async def _config_template(session, cfg) -> list[RelatedItem]:
    full = cfg if getattr(cfg, "instance_details", None) is not None else \
        await session.data("compute_management", "get_instance_configuration", cfg.id)
    ld = getattr(full.instance_details, "launch_details", None)
    if ld is None:
        return []
    out = []
    shape = ld.shape or "—"
    if ld.shape_config is not None and ld.shape_config.ocpus:
        shape += f" — {ld.shape_config.ocpus:g} OCPU, {ld.shape_config.memory_in_gbs:g} GB"
    out.append(RelatedItem("Shape", shape))
    img = getattr(ld.source_details, "image_id", None)
    if img:
        try:
            out.append(RelatedItem("Image", (await svc.get_image(session, img)).display_name, img))
        except Exception as e:
            log.debug("image %s not named: %s", img, loggable(e))
            out.append(RelatedItem("Image", img, img))
    sub = getattr(ld.create_vnic_details, "subnet_id", None)
    if sub:
        try:
            s = await netsvc.get_subnet(session, sub)
            out.append(RelatedItem("Subnet", f"{s.display_name} ({s.cidr_block})", sub))
        except Exception as e:
            log.debug("subnet %s not named: %s", sub, loggable(e))
            out.append(RelatedItem("Subnet", sub, sub))
    if ld.availability_domain:
        out.append(RelatedItem("Availability domain", ld.availability_domain))
    return out


INSTANCE_CONFIGURATIONS = ResourceKind(
    id="compute.instance_configuration", label=N_("Instance configurations"), singular=N_("Instance configuration"),
    group=N_("Compute"), icon="file", list=lister(CONFIG_REF), get=getter(CONFIG_REF),
    ocid_types=("instanceconfiguration",), order=5, sdk=CONFIG_REF,
    columns=[Column(N_("Name"), attr("display_name"), width=260), Column(N_("Created"), attr("time_created"),
                                                                         "datetime")],
    related=[Related(N_("Template"), _config_template)],
    actions=[delete_action(CONFIG_REF, states=None)],
    create=configuration_form(),
    ready_states=frozenset(),
)
# a configuration has no lifecycle state: it can be moved whenever it exists
INSTANCE_CONFIGURATIONS.actions.append(
    dataclasses.replace(move_action(INSTANCE_CONFIGURATIONS), allowed_states=None, target_states=frozenset()))


# ---------------------------------------------------------------- instance pools

POOL_REF = SdkRef("compute_management", "instance_pool", cli="compute-management instance-pool")
POOL_SIZE_MAX = 1000  # OCI's limit on the instances of one pool
_CONFIG_NAMES: dict[str, str] = {}  # configuration OCID -> name, learnt when pools are listed


async def _list_pools(session, compartment_id: str) -> list:
    import asyncio
    pools, configs = await asyncio.gather(lister(POOL_REF)(session, compartment_id),
                                          svc.list_instance_configurations(session, compartment_id))
    _CONFIG_NAMES.update({c.id: c.display_name for c in configs})
    return pools


def _config_name(pool) -> str | None:
    cid = getattr(pool, "instance_configuration_id", None)
    return _CONFIG_NAMES.get(cid, cid) if cid else None


def _pool_action(name: str):
    async def run(session, pool, _options):
        return await svc.instance_pool_action(session, pool.id, name)
    return run


async def _terminate_pool(session, pool, _options):
    await svc.terminate_instance_pool(session, pool.id)


def scale_form(pool) -> FormSpec:
    """A new size: instances launched (scale out) or the newest terminated (scale in), RUNNING again after."""
    def check(v, _values, _ctx):
        return f"{pool.display_name} already has {pool.size} instances" if int(v) == pool.size else None

    def warn(v, _values, _ctx):
        if v is None or int(v) >= pool.size:
            return None
        n = pool.size - int(v)
        return f"The {n} newest instance{'s' if n > 1 else ''} will be terminated, with {'their' if n > 1 else 'its'}" \
               " boot volume" + ("s" if n > 1 else "")

    def build(v: dict, ctx: FormContext) -> Request:
        return Request("compute_management", "update_instance_pool", M.UpdateInstancePoolDetails(size=int(v["size"])),
                       args=(pool.id,))

    def cli(v, ctx, req: Request) -> str:
        return cli_command("compute-management instance-pool update", [
            ("--instance-pool-id", pool.id), ("--size", req.details.size), ("--wait-for-state", "RUNNING")])

    return FormSpec(
        title=f"Scale instance pool {pool.display_name}", kind_id="compute.instance_pool",
        fields=[Field("size", N_("Number of instances"), "number", required=True, default=pool.size,
                      bounds=lambda *_: (0, POOL_SIZE_MAX, 1), validate=check, warning=warn,
                      help=f"Now {pool.size}. New instances are launched from the pool's instance configuration; "
                           "scaling in terminates the newest first")],
        build=build, cli=cli, describe=lambda _v: pool.display_name, submit_label=N_("Scale"),
        op_title=lambda v: f"Scale instance pool {pool.display_name} to {v.get('size')}")


POOL_ACTIONS = [
    Action("start", N_("Start"), _pool_action("START"), frozenset({"STOPPED"}), confirm="simple",
           target_states=frozenset({"RUNNING"}), icon="start", verb=N_("Starting")),
    Action("stop", N_("Stop"), _pool_action("STOP"), frozenset({"RUNNING"}), confirm="simple",
           target_states=frozenset({"STOPPED"}), icon="stop", verb=N_("Stopping")),
    Action("reset", N_("Reset"), _pool_action("RESET"), frozenset({"RUNNING"}), confirm="simple",
           target_states=frozenset({"RUNNING"}), icon="reboot", verb=N_("Resetting")),
    Action("scale", N_("Scale…"), no_run, frozenset({"RUNNING"}), form=scale_form,
           target_states=frozenset({"RUNNING"}), icon="resize", verb=N_("Scaling")),
    Action("terminate", N_("Terminate"), _terminate_pool,
           frozenset({"RUNNING", "STOPPED", "PROVISIONING", "SCALING", "STARTING", "STOPPING"}), destructive=True,
           confirm="name", target_states=frozenset({"TERMINATED"}), gone_ok=True, shortcut="Delete", icon="delete",
           verb=N_("Terminating")),
]


async def _pool_instances(session, pool) -> list[RelatedItem]:
    out = []
    for i in await svc.instance_pool_instances(session, pool):
        where = f"{(i.availability_domain or '').rsplit(':', 1)[-1]} / {i.fault_domain or '—'}"
        out.append(RelatedItem(i.display_name, f"{i.state}, {where}", i.id))
    return out


async def _pool_placement(session, pool) -> list[RelatedItem]:
    full = pool if getattr(pool, "placement_configurations", None) is not None else \
        await session.data("compute_management", "get_instance_pool", pool.id)
    out = []
    cid = full.instance_configuration_id
    if cid:
        name = _CONFIG_NAMES.get(cid)
        if name is None:
            try:
                name = (await session.data("compute_management", "get_instance_configuration", cid)).display_name
                _CONFIG_NAMES[cid] = name
            except Exception as e:
                log.debug("instance configuration %s not named: %s", cid, loggable(e))
                name = cid
        out.append(RelatedItem("Instance configuration", name, cid))
    for p in full.placement_configurations or []:
        sid = p.primary_subnet_id or getattr(p.primary_vnic_subnets, "subnet_id", None)
        fds = ", ".join(p.fault_domains) if p.fault_domains else "any fault domain"
        subnet = f"subnet {sid}"
        if sid:
            try:
                sub = await netsvc.get_subnet(session, sid)
                subnet = f"subnet {sub.display_name} ({sub.cidr_block})"
            except Exception as e:
                log.debug("subnet %s of an instance pool not shown: %s", sid, loggable(e))
        out.append(RelatedItem(p.availability_domain.rsplit(":", 1)[-1], f"{subnet}, {fds}", sid))
    return out


async def _pool_configs(ctx: FormContext, values) -> list[Option]:
    import asyncio
    comp = values.get("compartment_id") or ctx.compartment_id
    summaries = await svc.list_instance_configurations(ctx.session, comp)
    # the whole configurations: their shape and boot volume are what the pool's instances cost
    full = await asyncio.gather(*(svc.get_instance_configuration(ctx.session, c.id) for c in summaries),
                                return_exceptions=True)
    return [Option(c.id, c.display_name, f if not isinstance(f, BaseException) else c)
            for c, f in zip(summaries, full, strict=True)]


def _pool_cost(v: dict, ctx: FormContext) -> pricing.Cost | None:
    cfg = ctx.data("instance_configuration_id", v.get("instance_configuration_id"))
    launch = getattr(getattr(cfg, "instance_details", None), "launch_details", None)
    sc = getattr(launch, "shape_config", None)
    if launch is None or sc is None or sc.ocpus is None or sc.memory_in_gbs is None or v.get("size") is None:
        return None
    boot = getattr(launch.source_details, "boot_volume_size_in_gbs", None) or 50
    return instance_cost(launch.shape, float(sc.ocpus), float(sc.memory_in_gbs), int(boot), int(v["size"]))


async def _no_configs(ctx: FormContext, values) -> str:
    return ("A pool launches its instances from one: make it from an instance (select the instance, then "
            "Create instance configuration…), or here from an instance you choose.")


def _pool_request(v: dict, ctx: FormContext) -> Request:
    return Request("compute_management", "create_instance_pool", M.CreateInstancePoolDetails(
        compartment_id=v["compartment_id"], display_name=v.get("display_name") or None,
        instance_configuration_id=v["instance_configuration_id"], size=int(v["size"]),
        placement_configurations=[M.CreateInstancePoolPlacementConfigurationDetails(
            availability_domain=v["availability_domain"], primary_subnet_id=v["subnet_id"])]))


def _pool_cli(v: dict, ctx: FormContext, req: Request) -> str:
    d = req.details
    return cli_command("compute-management instance-pool create", [
        ("--compartment-id", d.compartment_id), ("--display-name", d.display_name),
        ("--instance-configuration-id", d.instance_configuration_id), ("--size", d.size),
        ("--placement-configurations", d.placement_configurations), ("--wait-for-state", "RUNNING")])


POOL_FORM = FormSpec(
    title=N_("Create instance pool"), kind_id="compute.instance_pool",
    fields=[
        Field("display_name", N_("Name"), "text", required=True,
              default_from=lambda *_: time.strftime("instance-pool-%Y%m%d-%H%M"),
              validate=lambda v, *_: validators.display_name(v, True)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("instance_configuration_id", N_("Instance configuration"), "choice", required=True, options=_pool_configs,
              depends_on=("compartment_id",), create_kind="compute.instance_configuration", empty_hint=_no_configs,
              help=N_("The template of the pool's instances: shape, image, metadata")),
        Field("size", N_("Number of instances"), "number", required=True, default=1,
              bounds=lambda *_: (0, POOL_SIZE_MAX, 1)),
        Field("availability_domain", N_("Availability domain"), "choice", required=True, options=_ads,
              help=N_("Where the instances are placed (more placements can be added with the CLI or SDK)")),
        Field("network_compartment_id", N_("Network compartment"), "compartment", required=True,
              default_from=lambda v, c: v.get("compartment_id"), depends_on=("compartment_id",)),
        Field("vcn_id", N_("VCN"), "choice", required=True, options=_vcns, depends_on=("network_compartment_id",),
              create_kind="network.vcn"),
        Field("subnet_id", N_("Subnet"), "choice", required=True, options=_subnets, depends_on=("vcn_id",),
              validate=_check_ad_subnet, help=N_("The subnet of the instances' primary VNICs (regional, or in that "
                                              "availability domain)")),
    ],
    build=_pool_request, cli=_pool_cli, cost=_pool_cost,
)

INSTANCE_POOLS = ResourceKind(
    id="compute.instance_pool", label=N_("Instance pools"), singular=N_("Instance pool"), group=N_("Compute"),
                              icon="instance",
    list=_list_pools, get=getter(POOL_REF), ocid_types=("instancepool",), order=4, sdk=POOL_REF,
    columns=[
        Column(N_("Name"), attr("display_name"), width=220),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Size"), attr("size"), "number"),
        Column(N_("Configuration"), _config_name, width=220),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Instances"), _pool_instances), Related(N_("Placement"), _pool_placement)],
    actions=POOL_ACTIONS,
    create=POOL_FORM,
)


# ---------------------------------------------------------------- kinds

async def _delete_boot_volume(session, bv, _options):
    await svc.delete_boot_volume(session, bv.id)


INSTANCES = ResourceKind(
    id="compute.instance", label=N_("Instances"), singular=N_("Instance"), group=N_("Compute"), icon="instance",
    list=svc.list_instances, get=svc.get_instance, ocid_types=("instance",), order=1,
    sdk=SdkRef("compute", "instance", cli="compute instance"),
    columns=[
        Column(N_("Name"), attr("display_name"), width=200),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Shape"), attr("shape"), width=170),
        Column(N_("OCPUs"), attr("shape_config.ocpus"), "number"),
        Column(N_("Memory (GB)"), attr("shape_config.memory_in_gbs"), "number"),
        Column(N_("Availability domain"), attr("availability_domain")),
        Column(N_("Fault domain"), attr("fault_domain")),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Networking"), _networking), Related(N_("Storage"), _boot), Related(N_("Block volumes"),
                                                                                            _block_volumes),
             Related(N_("Image and shape"), _image_shape)],
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
    id="compute.boot_volume", label=N_("Boot volumes"), singular=N_("Boot volume"), group=N_("Compute"), icon="volume",
    list=svc.list_boot_volumes, get=svc.get_boot_volume, ocid_types=("bootvolume",), order=2,
    sdk=SdkRef("blockstorage", "boot_volume", cli="bv boot-volume"),
    columns=[
        Column(N_("Name"), attr("display_name"), width=240),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Size (GB)"), attr("size_in_gbs"), "number"),
        Column(N_("VPUs/GB"), attr("vpus_per_gb"), "number"),
        Column(N_("Availability domain"), attr("availability_domain")),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    actions=[Action("delete", N_("Delete"), _delete_boot_volume, frozenset({"AVAILABLE"}), destructive=True,
                    confirm="name", target_states=frozenset({"TERMINATED"}), gone_ok=True, shortcut="Delete",
                    icon="delete", verb=N_("Deleting"))],
    ready_states=frozenset({"AVAILABLE"}),
)

IMAGE_REF = SdkRef("compute", "image", cli="compute image")

IMAGES = ResourceKind(
    id="compute.image", label=N_("Custom images"), singular=N_("Image"), group=N_("Compute"), icon="image",
    list=svc.list_custom_images, get=svc.get_image, ocid_types=("image",), order=3, sdk=IMAGE_REF,
    columns=[Column(N_("Name"), attr("display_name"), width=220), Column(N_("State"), attr("lifecycle_state"), "state"),
             Column(N_("Operating system"), attr("operating_system")),
             Column(N_("Version"), attr("operating_system_version")), Column(N_("Size (MB)"), attr("size_in_mbs"),
                                                                             "number"),
             Column(N_("Created"), attr("time_created"), "datetime")],
    actions=[delete_action(IMAGE_REF, states=frozenset({"AVAILABLE"}))],
    ready_states=frozenset({"AVAILABLE"}),
)

KINDS = [INSTANCES, BOOT_VOLUMES, IMAGES, INSTANCE_POOLS, INSTANCE_CONFIGURATIONS, CONSOLE_CONNECTIONS]
