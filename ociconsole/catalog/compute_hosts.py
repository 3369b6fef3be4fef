"""Compute host kinds: dedicated VM hosts (capacity used and left by the instances placed on them) and
compute capacity reservations (reserved and used instances per shape)."""

from __future__ import annotations

import time

from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..services import identity as idsvc
from . import validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .generic import SdkRef, delete_action, getter, lister
from .model import Column, Related, RelatedItem, ResourceKind, attr

M = sdk_models("core")
DELETED = frozenset({"DELETED"})

DVH_REF = SdkRef("compute", "dedicated_vm_host", cli="compute dedicated-vm-host")
RESERVATION_REF = SdkRef("compute", "compute_capacity_reservation", cli="compute capacity-reservation",
                         id_flag="--capacity-reservation-id")

# the emulator's and OCI's dedicated VM host shapes: OCPUs, memory (GB), the instance shapes they take
DVH_SHAPES = {
    "DVH.Standard2.52": (52, 768, "VM.Standard2 shapes"),
    "DVH.Standard3.64": (64, 1024, "VM.Standard3.Flex"),
    "DVH.Standard.E4.128": (128, 2048, "VM.Standard.E4.Flex"),
    "DVH.Standard.E5.192": (192, 2304, "VM.Standard.E5.Flex"),
    "DVH.Standard.A1.160": (160, 1024, "VM.Standard.A1.Flex"),
}
MAX_RESERVED = 10_000  # instances per reservation config (a sanity bound; OCI limits by service limits)


def _tags(v):
    return validators.parse_tags(v.get("freeform_tags"))[0] or None


async def _ads(ctx: FormContext, _values) -> list[Option]:
    return [Option(a.name, a.name, a) for a in await idsvc.list_availability_domains(ctx.session)]


def _fds() -> list[Option]:
    return [Option("", N_("Let Oracle choose"))] + [Option(f"FAULT-DOMAIN-{i}", f"FAULT-DOMAIN-{i}") for i in (1, 2, 3)]


def _used(h) -> str:
    if h.total_ocpus is None:
        return ""
    return f"{h.total_ocpus - (h.remaining_ocpus or 0):g} of {h.total_ocpus:g}"


# ---------------------------------------------------------------- dedicated VM hosts

async def _dvh_shapes(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    ad = values.get("availability_domain")
    shapes = await ctx.session.list_all("compute", "list_dedicated_vm_host_shapes", comp,
                                        **({"availability_domain": ad} if ad else {}))
    out, seen = [], set()
    for s in shapes:
        if s.dedicated_vm_host_shape in seen:
            continue
        seen.add(s.dedicated_vm_host_shape)
        ocpus, mem, takes = DVH_SHAPES.get(s.dedicated_vm_host_shape, (None, None, ""))
        label = s.dedicated_vm_host_shape + (f" ({ocpus} OCPUs, {mem} GB; {takes})" if ocpus else "")
        out.append(Option(s.dedicated_vm_host_shape, label, s))
    return out


def _dvh_request(v: dict, ctx: FormContext) -> Request:
    return Request("compute", "create_dedicated_vm_host", M.CreateDedicatedVmHostDetails(
        compartment_id=v["compartment_id"], availability_domain=v["availability_domain"],
        dedicated_vm_host_shape=v["dedicated_vm_host_shape"], display_name=v.get("display_name") or None,
        fault_domain=v.get("fault_domain") or None, freeform_tags=_tags(v)))


def _dvh_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("compute dedicated-vm-host create", [
        ("--compartment-id", d.compartment_id), ("--availability-domain", d.availability_domain),
        ("--dedicated-vm-host-shape", d.dedicated_vm_host_shape), ("--display-name", d.display_name),
        ("--fault-domain", d.fault_domain), ("--freeform-tags", d.freeform_tags), ("--wait-for-state", "ACTIVE")])


DVH_FORM = FormSpec(
    title=N_("Create dedicated virtual machine host"), kind_id="compute.dedicated_vm_host",
    fields=[
        Field("display_name", N_("Name"), "text", required=True,
              default_from=lambda *_: time.strftime("dvh-%Y%m%d-%H%M"),
              validate=lambda v, *_: validators.display_name(v, True)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("availability_domain", N_("Availability domain"), "choice", required=True, options=_ads,
              help=N_("Instances placed on the host run in its availability domain and fault domain")),
        Field("dedicated_vm_host_shape", N_("Host shape"), "choice", required=True, options=_dvh_shapes,
              depends_on=("availability_domain",),
              help=N_("The whole physical server is yours: its OCPUs and memory are shared by the VMs"
                      " you place on it")),
        Field("fault_domain", N_("Fault domain"), "choice", default="", options=_fds()),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_dvh_request, cli=_dvh_cli)


async def _dvh_related(session, h) -> list[RelatedItem]:
    out = [RelatedItem("Placement", f"{h.availability_domain} / {h.fault_domain}"),
           RelatedItem("OCPUs", f"{h.total_ocpus - h.remaining_ocpus:g} used, {h.remaining_ocpus:g} remaining "
                                f"of {h.total_ocpus:g}"),
           RelatedItem("Memory", f"{h.total_memory_in_gbs - h.remaining_memory_in_gbs:g} GB used, "
                                 f"{h.remaining_memory_in_gbs:g} GB remaining of {h.total_memory_in_gbs:g} GB")]
    for i in await session.list_all("compute", "list_dedicated_vm_host_instances", h.compartment_id, h.id):
        out.append(RelatedItem("Instance", f"{i.shape}", i.instance_id))
    return out


DEDICATED_VM_HOSTS = ResourceKind(
    id="compute.dedicated_vm_host", label=N_("Dedicated VM hosts"), singular=N_("Dedicated VM host"),
                                  group=N_("Compute"),
    icon="instance", order=40, list=lister(DVH_REF), get=getter(DVH_REF), ocid_types=("dedicatedvmhost",),
    columns=[
        Column(N_("Name"), attr("display_name"), width=200),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Shape"), attr("dedicated_vm_host_shape"), width=170),
        Column(N_("OCPUs used"), _used, width=100),
        Column(N_("Remaining memory (GB)"), attr("remaining_memory_in_gbs"), "number", width=90),
        Column(N_("Availability domain"), attr("availability_domain"), width=170),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Capacity"), _dvh_related)],
    actions=[delete_action(DVH_REF, frozenset({"ACTIVE"}), DELETED)],
    create=DVH_FORM, ready_states=frozenset({"ACTIVE"}), sdk=DVH_REF,
)


# ---------------------------------------------------------------- capacity reservations

async def _reservable_shapes(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    ad = values.get("availability_domain")
    if not ad:
        return []
    shapes = await ctx.session.list_all("compute", "list_compute_capacity_reservation_instance_shapes", comp,
                                        availability_domain=ad)
    return [Option(s.instance_shape, s.instance_shape, s) for s in shapes]


def _flex(values) -> bool:
    return str(values.get("instance_shape") or "").endswith(".Flex")


def _reservation_request(v: dict, ctx: FormContext) -> Request:
    sc = None
    if _flex(v):
        sc = M.InstanceReservationShapeConfigDetails(ocpus=float(v["ocpus"]), memory_in_gbs=float(v["memory_in_gbs"]))
    cfg = M.InstanceReservationConfigDetails(instance_shape=v["instance_shape"], instance_shape_config=sc,
                                             fault_domain=v.get("fault_domain") or None,
                                             reserved_count=int(v["reserved_count"]))
    return Request("compute", "create_compute_capacity_reservation", M.CreateComputeCapacityReservationDetails(
        compartment_id=v["compartment_id"], availability_domain=v["availability_domain"],
        display_name=v.get("display_name") or None, is_default_reservation=bool(v.get("is_default_reservation")),
        instance_reservation_configs=[cfg], freeform_tags=_tags(v)))


def _reservation_cli(v, ctx, req: Request) -> str:
    d = req.details
    c = d.instance_reservation_configs[0]
    cfg = {"instanceShape": c.instance_shape, "reservedCount": c.reserved_count}
    if c.fault_domain:
        cfg["faultDomain"] = c.fault_domain
    if c.instance_shape_config:
        cfg["instanceShapeConfig"] = {"ocpus": c.instance_shape_config.ocpus,
                                      "memoryInGBs": c.instance_shape_config.memory_in_gbs}
    return cli_command("compute capacity-reservation create", [
        ("--compartment-id", d.compartment_id), ("--availability-domain", d.availability_domain),
        ("--display-name", d.display_name), ("--instance-reservation-configs", [cfg]),
        ("--is-default-reservation", d.is_default_reservation or None), ("--freeform-tags", d.freeform_tags),
        ("--wait-for-state", "ACTIVE")])


def _memory_check(v, values, _ctx) -> str | None:
    if not _flex(values) or v in (None, ""):
        return None
    ocpus = float(values.get("ocpus") or 1)
    if not ocpus * 1 <= float(v) <= ocpus * 64:
        return f"1 to 64 GB per OCPU: {ocpus:g} to {ocpus * 64:g} GB for {ocpus:g} OCPUs"
    return None


RESERVATION_FORM = FormSpec(
    title=N_("Create capacity reservation"), kind_id="compute.capacity_reservation",
    fields=[
        Field("display_name", N_("Name"), "text", required=True,
              default_from=lambda *_: time.strftime("reservation-%Y%m%d-%H%M"),
              validate=lambda v, *_: validators.display_name(v, True)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("availability_domain", N_("Availability domain"), "choice", required=True, options=_ads),
        Field("instance_shape", N_("Shape"), "choice", required=True, options=_reservable_shapes,
              depends_on=("availability_domain",)),
        Field("ocpus", N_("OCPUs per instance"), "number", default=1, bounds=lambda v, c: (1, 64, 1),
              visible=lambda v, c: _flex(v)),
        Field("memory_in_gbs", N_("Memory per instance (GB)"), "number", default=16, bounds=lambda v, c: (1, 1024, 1),
              visible=lambda v, c: _flex(v), validate=_memory_check),
        Field("fault_domain", N_("Fault domain"), "choice", default="", options=_fds(),
              help=N_("Reserve in one fault domain, or let instances use the reservation in any of them")),
        Field("reserved_count", N_("Instances to reserve"), "number", required=True, default=1,
              bounds=lambda v, c: (0, MAX_RESERVED, 1),
              help=N_("Reserved capacity is billed whether instances use it or not")),
        Field("is_default_reservation", N_("Default reservation"), "bool", default=False,
              help=N_("Launches in this compartment and AD use it unless they name another (one default per AD)")),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_reservation_request, cli=_reservation_cli)


async def _reservation_related(session, r) -> list[RelatedItem]:
    out = [RelatedItem("Instances", f"{r.used_instance_count} used of {r.reserved_instance_count} reserved")]
    for c in r.instance_reservation_configs or []:
        size = ""
        if c.instance_shape_config and c.instance_shape_config.ocpus:
            size = f" ({c.instance_shape_config.ocpus:g} OCPUs, {c.instance_shape_config.memory_in_gbs:g} GB)"
        out.append(RelatedItem("Shape", f"{c.instance_shape}{size} in {c.fault_domain or 'any fault domain'}: "
                                        f"{c.used_count} of {c.reserved_count} used"))
    for i in await session.list_all("compute", "list_compute_capacity_reservation_instances", r.id):
        out.append(RelatedItem("Instance", f"{i.shape} in {i.fault_domain}", i.id))
    return out


CAPACITY_RESERVATIONS = ResourceKind(
    id="compute.capacity_reservation", label=N_("Capacity reservations"), singular=N_("Capacity reservation"),
    group=N_("Compute"), icon="policy", order=41, list=lister(RESERVATION_REF), get=getter(RESERVATION_REF),
    ocid_types=("capacityreservation",),
    columns=[
        Column(N_("Name"), attr("display_name"), width=200),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Used"), lambda r: f"{r.used_instance_count} of {r.reserved_instance_count}", width=80),
        Column(N_("Default"), lambda r: "yes" if r.is_default_reservation else "", width=60),
        Column(N_("Availability domain"), attr("availability_domain"), width=170),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Reserved capacity"), _reservation_related)],
    actions=[delete_action(RESERVATION_REF, frozenset({"ACTIVE"}), DELETED)],
    create=RESERVATION_FORM, ready_states=frozenset({"ACTIVE"}), sdk=RESERVATION_REF,
)

KINDS: list[ResourceKind] = [DEDICATED_VM_HOSTS, CAPACITY_RESERVATIONS]
