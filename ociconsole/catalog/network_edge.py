"""Edge networking kinds: CPEs, IPSec connections (with their tunnels), virtual circuits."""

from __future__ import annotations

import ipaddress

from ..core.sdk import models as sdk_models
from ..i18n import N_
from . import validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .generic import SdkRef, delete_action, getter, lister
from .model import Column, Related, RelatedItem, ResourceKind, attr

M = sdk_models("core")
GONE = frozenset({"TERMINATED"})
CPE_REF = SdkRef("network", "cpe", cli="network cpe")
IPSEC_REF = SdkRef("network", "ip_sec_connection", cli="network ip-sec-connection", id_flag="--ipsc-id",
                   model="IPSecConnection")
VC_REF = SdkRef("network", "virtual_circuit", cli="network virtual-circuit")
MAX_STATIC_ROUTES = 10  # as the emulator and OCI


def _tags(v):
    return validators.parse_tags(v.get("freeform_tags"))[0] or None


# ---------------------------------------------------------------- checks shared with the emulator's rules

_NOT_PUBLIC = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16",
    "224.0.0.0/4", "240.0.0.0/4"))


def check_cpe_ip(value, values: dict, _ctx=None) -> str | None:
    try:
        addr = ipaddress.ip_address(str(value).strip())
    except ValueError:
        return f"'{value}' is not an IPv4 address"
    if addr.version != 4:
        return "Use an IPv4 address"
    if not values.get("is_private") and any(addr in n for n in _NOT_PUBLIC):
        return f"{addr} is not a public address: a CPE on the Internet needs its public IP (or tick Private)"
    return None


def parse_routes(text) -> tuple[list[str], str | None]:
    """Static routes, one CIDR per line or separated by commas, and the first problem."""
    items = [x.strip() for x in str(text or "").replace(",", "\n").splitlines() if x.strip()]
    if not items:
        return [], "Give at least one CIDR block of the on-premises network"
    if len(items) > MAX_STATIC_ROUTES:
        return items, f"At most {MAX_STATIC_ROUTES} static routes, got {len(items)}"
    for x in items:
        err = validators.cidr(x)
        if err:
            return items, f"{x}: {err}"
    if len(set(items)) != len(items):
        return items, "The same CIDR block is listed twice"
    return items, None


# ---------------------------------------------------------------- CPE form

async def _shape_options(ctx: FormContext, _values) -> list[Option]:
    shapes = await ctx.session.data("network", "list_cpe_device_shapes")
    out = [Option("", N_("None (no generated configuration)"))]
    return out + [Option(s.id, f"{s.cpe_device_info.vendor} — {s.cpe_device_info.platform_software_version}", s)
                  for s in shapes]


def _cpe_request(v: dict, ctx: FormContext) -> Request:
    return Request("network", "create_cpe", M.CreateCpeDetails(
        compartment_id=v["compartment_id"], ip_address=v["ip_address"].strip(),
        display_name=v.get("display_name") or None, cpe_device_shape_id=v.get("cpe_device_shape_id") or None,
        is_private=bool(v.get("is_private")) or None, freeform_tags=_tags(v)))


def _cpe_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("network cpe create", [
        ("--compartment-id", d.compartment_id), ("--ip-address", d.ip_address), ("--display-name", d.display_name),
        ("--cpe-device-shape-id", d.cpe_device_shape_id), ("--is-private", d.is_private),
        ("--freeform-tags", d.freeform_tags)])


CPE_FORM = FormSpec(
    title=N_("Create customer-premises equipment"), kind_id="network.cpe",
    fields=[
        Field("display_name", N_("Name"), "text", required=True, validate=lambda v, *_: validators.display_name(v,
                                                                                                                True)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("ip_address", N_("IP address"), "text", required=True, validate=check_cpe_ip, depends_on=("is_private",),
              placeholder=N_("public IPv4 of the on-premises VPN device, e.g. 203.0.113.10")),
        Field("is_private", N_("Private (IPSec over FastConnect)"), "bool", default=False),
        Field("cpe_device_shape_id", N_("Vendor and platform"), "choice", options=_shape_options, default="",
              help=N_("Lets OCI generate the device's configuration for each tunnel")),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_cpe_request, cli=_cpe_cli)


# ---------------------------------------------------------------- IPSec connection form

async def _drg_options(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    drgs = await ctx.session.list_all("network", "list_drgs", comp)
    return [Option(d.id, d.display_name, d) for d in drgs if d.lifecycle_state == "AVAILABLE"]


async def _cpe_options(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    cpes = await ctx.session.list_all("network", "list_cpes", comp)
    return [Option(c.id, f"{c.display_name} ({c.ip_address})", c) for c in cpes]


def _ipsec_request(v: dict, ctx: FormContext) -> Request:
    routes, _err = parse_routes(v.get("static_routes"))
    return Request("network", "create_ip_sec_connection", M.CreateIPSecConnectionDetails(
        compartment_id=v["compartment_id"], drg_id=v["drg_id"], cpe_id=v["cpe_id"], static_routes=routes,
        display_name=v.get("display_name") or None, freeform_tags=_tags(v)))


def _ipsec_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("network ip-sec-connection create", [
        ("--compartment-id", d.compartment_id), ("--drg-id", d.drg_id), ("--cpe-id", d.cpe_id),
        ("--static-routes", d.static_routes), ("--display-name", d.display_name), ("--freeform-tags", d.freeform_tags),
        ("--wait-for-state", "AVAILABLE")])


IPSEC_FORM = FormSpec(
    title=N_("Create IPSec connection"), kind_id="network.ipsec_connection",
    fields=[
        Field("display_name", N_("Name"), "text", required=True, validate=lambda v, *_: validators.display_name(v,
                                                                                                                True)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("drg_id", N_("Dynamic routing gateway"), "choice", required=True, options=_drg_options,
              depends_on=("compartment_id",)),
        Field("cpe_id", N_("Customer-premises equipment"), "choice", required=True, options=_cpe_options,
              depends_on=("compartment_id",)),
        Field("static_routes", N_("Static routes"), "textarea", required=True,
              validate=lambda v, *_: parse_routes(v)[1],
              help=N_("CIDR blocks of the on-premises network, one per line (1 to 10)")),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_ipsec_request, cli=_ipsec_cli)


# ---------------------------------------------------------------- related

async def _cpe_related(session, cpe) -> list[RelatedItem]:
    out = [RelatedItem("IP address", cpe.ip_address)]
    if cpe.cpe_device_shape_id:
        shape = await session.data("network", "get_cpe_device_shape", cpe.cpe_device_shape_id)
        out.append(RelatedItem("Device", f"{shape.cpe_device_info.vendor} "
                                         f"{shape.cpe_device_info.platform_software_version}"))
    for c in await session.list_all("network", "list_ip_sec_connections", cpe.compartment_id, cpe_id=cpe.id):
        if c.lifecycle_state not in GONE:
            out.append(RelatedItem("IPSec connection", c.display_name, c.id))
    return out


async def _tunnels(session, ipsc) -> list[RelatedItem]:
    out = []
    for t in await session.data("network", "list_ip_sec_connection_tunnels", ipsc.id):
        bgp = f", BGP {t.bgp_session_info.bgp_state}" if t.routing == "BGP" and t.bgp_session_info else ""
        out.append(RelatedItem(t.display_name, f"{t.status} — Oracle {t.vpn_ip}, IKE{t.ike_version.lower()}, "
                                               f"{t.routing.lower()}{bgp}"))
    return out


async def _ipsec_related(session, ipsc) -> list[RelatedItem]:
    drg = await session.data("network", "get_drg", ipsc.drg_id)
    cpe = await session.data("network", "get_cpe", ipsc.cpe_id)
    return [RelatedItem("DRG", drg.display_name, drg.id), RelatedItem("CPE", f"{cpe.display_name} "
                                                                             f"({cpe.ip_address})", cpe.id),
            *[RelatedItem("Static route", r) for r in ipsc.static_routes or []]]


async def _vc_related(session, vc) -> list[RelatedItem]:
    out = []
    if vc.gateway_id:
        drg = await session.data("network", "get_drg", vc.gateway_id)
        out.append(RelatedItem("DRG", drg.display_name, drg.id))
    if vc.provider_name:
        out.append(RelatedItem("Provider", f"{vc.provider_name} {vc.provider_service_name or ''}".strip()))
    out += [RelatedItem("Public prefix", p) for p in vc.public_prefixes or []]
    return out


# ---------------------------------------------------------------- kinds

CPES = ResourceKind(
    id="network.cpe", label=N_("Customer-premises equipment"), singular=N_("CPE"), group=N_("Networking"),
                    icon="gateway",
    order=20, list=lister(CPE_REF), get=getter(CPE_REF), ocid_types=("cpe",),
    columns=[Column(N_("Name"), attr("display_name"), width=200), Column(N_("IP address"), attr("ip_address")),
             Column(N_("Private"), lambda c: "yes" if c.is_private else "no"),
             Column(N_("Created"), attr("time_created"), "datetime")],
    related=[Related(N_("Device and connections"), _cpe_related)],
    actions=[delete_action(CPE_REF, states=frozenset({"", "AVAILABLE"}))], create=CPE_FORM,
    ready_states=frozenset({"", "AVAILABLE"}), sdk=CPE_REF)

IPSEC_CONNECTIONS = ResourceKind(
    id="network.ipsec_connection", label=N_("IPSec connections"), singular=N_("IPSec connection"),
                                 group=N_("Networking"),
    icon="gateway", order=21, list=lister(IPSEC_REF), get=getter(IPSEC_REF), ocid_types=("ipsecconnection",),
    columns=[Column(N_("Name"), attr("display_name"), width=200),
             Column(N_("Static routes"), lambda c: ", ".join(c.static_routes or [])),
             Column(N_("CPE IKE identifier"), attr("cpe_local_identifier")),
             Column(N_("State"), attr("lifecycle_state"), "state"), Column(N_("Created"), attr("time_created"),
                                                                           "datetime")],
    related=[Related(N_("Tunnels"), _tunnels), Related(N_("Connection"), _ipsec_related)],
    actions=[delete_action(IPSEC_REF)], create=IPSEC_FORM, ready_states=frozenset({"AVAILABLE"}), sdk=IPSEC_REF)

VIRTUAL_CIRCUITS = ResourceKind(
    id="network.virtual_circuit", label=N_("FastConnect virtual circuits"), singular=N_("Virtual circuit"),
    group=N_("Networking"), icon="gateway", order=22, list=lister(VC_REF), get=getter(VC_REF),
    ocid_types=("virtualcircuit",),
    columns=[Column(N_("Name"), attr("display_name"), width=200), Column(N_("Type"), attr("type")),
             Column(N_("Bandwidth"), attr("bandwidth_shape_name")), Column(N_("BGP"), attr("bgp_session_state")),
             Column(N_("State"), attr("lifecycle_state"), "state"), Column(N_("Created"), attr("time_created"),
                                                                           "datetime")],
    related=[Related(N_("Connectivity"), _vc_related)],
    actions=[delete_action(VC_REF, states=frozenset({"PROVISIONED", "PENDING_PROVIDER", "INACTIVE", "FAILED"}))],
    ready_states=frozenset({"PROVISIONED"}), sdk=VC_REF)

KINDS = [CPES, IPSEC_CONNECTIONS, VIRTUAL_CIRCUITS]
