"""Networking kinds: VCNs, subnets, internet and NAT gateways, route tables, security
lists (and VNICs, reached from instances)."""

from __future__ import annotations

from ..core.sdk import models as sdk_models
from ..services import identity as idsvc
from ..services import network as svc
from . import validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .generic import SdkRef
from .model import Action, Column, Related, RelatedItem, ResourceKind, attr

M = sdk_models("core")
GONE = frozenset({"TERMINATED"})


def _delete(method: str):
    async def run(session, res, _options):
        await svc.delete(session, method, res.id)
    return run


def _delete_action(method: str) -> Action:
    return Action("delete", "Delete", _delete(method), frozenset({"AVAILABLE"}), destructive=True, confirm="name",
                  target_states=GONE, gone_ok=True, shortcut="Delete", icon="delete", verb="Deleting")


def _get(method: str):
    async def get(session, ocid):
        return await svc.get(session, method, ocid)
    return get


COMMON_TAIL = [Column("State", attr("lifecycle_state"), "state"), Column("Created", attr("time_created"), "datetime")]


# ---------------------------------------------------------------- related

async def _vcn_related(session, vcn) -> list[RelatedItem]:
    out = []
    for label, lister in (("Subnet", svc.list_subnets), ("Internet gateway", svc.list_internet_gateways),
                          ("NAT gateway", svc.list_nat_gateways), ("Route table", svc.list_route_tables),
                          ("Security list", svc.list_security_lists)):
        for r in await lister(session, vcn.compartment_id, vcn.id):
            if r.lifecycle_state in ("TERMINATED",):
                continue
            extra = f" ({r.cidr_block})" if getattr(r, "cidr_block", None) else ""
            out.append(RelatedItem(label, f"{r.display_name}{extra}", r.id))
    return out


async def _subnet_related(session, sub) -> list[RelatedItem]:
    out = []
    vcn = await svc.get_vcn(session, sub.vcn_id)
    out.append(RelatedItem("VCN", f"{vcn.display_name} ({vcn.cidr_block})", vcn.id))
    rt = await svc.get(session, "get_route_table", sub.route_table_id)
    out.append(RelatedItem("Route table", rt.display_name, rt.id))
    for sl_id in sub.security_list_ids or []:
        sl = await svc.get(session, "get_security_list", sl_id)
        out.append(RelatedItem("Security list", sl.display_name, sl.id))
    out.append(RelatedItem("Access", "private (no public IPs)" if sub.prohibit_public_ip_on_vnic else "public"))
    return out


async def _vnic_related(session, vnic) -> list[RelatedItem]:
    sub = await svc.get_subnet(session, vnic.subnet_id)
    return [RelatedItem("Subnet", f"{sub.display_name} ({sub.cidr_block})", sub.id),
            RelatedItem("Private IP", vnic.private_ip or "-"), RelatedItem("Public IP", vnic.public_ip or "none")]


async def _in_vcn(session, res) -> list[RelatedItem]:
    vcn = await svc.get_vcn(session, res.vcn_id)
    return [RelatedItem("VCN", f"{vcn.display_name} ({vcn.cidr_block})", vcn.id)]


async def _route_rules(session, rt) -> list[RelatedItem]:
    out = await _in_vcn(session, rt)
    for r in rt.route_rules or []:
        out.append(RelatedItem(f"Route {r.destination}", r.network_entity_id, r.network_entity_id))
    return out


async def _sec_rules(session, sl) -> list[RelatedItem]:
    out = await _in_vcn(session, sl)
    proto = {"6": "TCP", "17": "UDP", "1": "ICMP", "all": "all"}
    for r in sl.ingress_security_rules or []:
        ports = ""
        if r.tcp_options and r.tcp_options.destination_port_range:
            pr = r.tcp_options.destination_port_range
            ports = f" port {pr.min}" + (f"-{pr.max}" if pr.max != pr.min else "")
        out.append(RelatedItem("Ingress", f"{proto.get(r.protocol, r.protocol)} from {r.source}{ports}"))
    for r in sl.egress_security_rules or []:
        out.append(RelatedItem("Egress", f"{proto.get(r.protocol, r.protocol)} to {r.destination}"))
    return out


# ---------------------------------------------------------------- forms

def _tags(v):
    return validators.parse_tags(v.get("freeform_tags"))[0] or None


def _vcn_request(v: dict, ctx: FormContext) -> Request:
    return Request("network", "create_vcn", M.CreateVcnDetails(
        compartment_id=v["compartment_id"], cidr_block=v["cidr_block"].strip(),
        display_name=v.get("display_name") or None, dns_label=v.get("dns_label") or None, freeform_tags=_tags(v)))


def _vcn_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("network vcn create", [
        ("--compartment-id", d.compartment_id), ("--cidr-block", d.cidr_block), ("--display-name", d.display_name),
        ("--dns-label", d.dns_label), ("--freeform-tags", d.freeform_tags), ("--wait-for-state", "AVAILABLE")])


VCN_FORM = FormSpec(
    title="Create VCN", kind_id="network.vcn",
    fields=[
        Field("display_name", "Name", "text", required=True, validate=lambda v, *_: validators.display_name(v, True)),
        Field("compartment_id", "Compartment", "compartment", required=True),
        Field("cidr_block", "IPv4 CIDR block", "cidr", required=True, default="10.0.0.0/16",
              help="/16 to /30, e.g. 10.0.0.0/16"),
        Field("dns_label", "DNS label", "text", placeholder="optional, e.g. prod",
              validate=lambda v, *_: validators.dns_label(v)),
        Field("freeform_tags", "Tags", "tags", help="One key=value per line"),
    ],
    build=_vcn_request, cli=_vcn_cli)


async def _vcn_options(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    vcns = [v for v in await svc.list_vcns(ctx.session, comp) if v.lifecycle_state == "AVAILABLE"]
    subnets = await svc.list_subnets(ctx.session, comp)
    by_vcn: dict[str, list] = {}
    for s in subnets:
        if s.lifecycle_state not in ("TERMINATED", "TERMINATING"):
            by_vcn.setdefault(s.vcn_id, []).append(s)
    return [Option(v.id, f"{v.display_name} ({', '.join(v.cidr_blocks or [v.cidr_block])})", (v, by_vcn.get(v.id, [])))
            for v in vcns]


async def _ad_options(ctx: FormContext, values) -> list[Option]:
    ads = await idsvc.list_availability_domains(ctx.session)
    return [Option("", "Regional (recommended)")] + [Option(a.name, a.name, a) for a in ads]


def _check_subnet_cidr(v, values, ctx):
    data = ctx.data("vcn_id", values.get("vcn_id"))
    if data is None:
        return None
    vcn, existing = data
    return validators.subnet_cidr(v, vcn.cidr_blocks or [vcn.cidr_block],
                                  [(s.display_name, s.cidr_block) for s in existing])


def _check_subnet_dns(v, values, ctx):
    err = validators.dns_label(v)
    if err or not v:
        return err
    data = ctx.data("vcn_id", values.get("vcn_id"))
    if data is not None:
        vcn, existing = data
        if not vcn.dns_label:
            return "The VCN has no DNS label, so its subnets cannot have one"
        if any((s.dns_label or "").lower() == v.lower() for s in existing):
            return f"Another subnet of this VCN already uses '{v}'"
    return None


def _subnet_request(v: dict, ctx: FormContext) -> Request:
    return Request("network", "create_subnet", M.CreateSubnetDetails(
        compartment_id=v["compartment_id"], vcn_id=v["vcn_id"], cidr_block=v["cidr_block"].strip(),
        display_name=v.get("display_name") or None, availability_domain=v.get("availability_domain") or None,
        prohibit_public_ip_on_vnic=not bool(v.get("public")), dns_label=v.get("dns_label") or None,
        freeform_tags=_tags(v)))


def _subnet_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("network subnet create", [
        ("--compartment-id", d.compartment_id), ("--vcn-id", d.vcn_id), ("--cidr-block", d.cidr_block),
        ("--display-name", d.display_name), ("--availability-domain", d.availability_domain),
        ("--prohibit-public-ip-on-vnic", d.prohibit_public_ip_on_vnic), ("--dns-label", d.dns_label),
        ("--freeform-tags", d.freeform_tags), ("--wait-for-state", "AVAILABLE")])


SUBNET_FORM = FormSpec(
    title="Create subnet", kind_id="network.subnet",
    fields=[
        Field("display_name", "Name", "text", required=True, validate=lambda v, *_: validators.display_name(v, True)),
        Field("compartment_id", "Compartment", "compartment", required=True),
        Field("vcn_id", "VCN", "choice", required=True, options=_vcn_options, depends_on=("compartment_id",)),
        Field("cidr_block", "IPv4 CIDR block", "cidr", required=True, depends_on=("vcn_id",),
              validate=_check_subnet_cidr, help="Inside the VCN's CIDR, overlapping no other subnet"),
        Field("availability_domain", "Availability domain", "choice", options=_ad_options, default=""),
        Field("public", "Public subnet (allow public IP addresses)", "bool", default=False),
        Field("dns_label", "DNS label", "text", placeholder="optional", depends_on=("vcn_id",),
              validate=_check_subnet_dns),
        Field("freeform_tags", "Tags", "tags", help="One key=value per line"),
    ],
    build=_subnet_request, cli=_subnet_cli)


# ---------------------------------------------------------------- kinds

VCNS = ResourceKind(
    id="network.vcn", label="VCNs", singular="VCN", group="Networking", icon="vcn", order=1,
    list=svc.list_vcns, get=svc.get_vcn, ocid_types=("vcn",),
    columns=[Column("Name", attr("display_name"), width=200), Column("CIDR", attr("cidr_block")),
             Column("DNS label", attr("dns_label")), *COMMON_TAIL],
    related=[Related("Contents", _vcn_related)], actions=[_delete_action("delete_vcn")], create=VCN_FORM,
    ready_states=frozenset({"AVAILABLE"}), sdk=SdkRef("network", "vcn", cli="network vcn"))

SUBNETS = ResourceKind(
    id="network.subnet", label="Subnets", singular="Subnet", group="Networking", icon="subnet", order=2,
    list=svc.list_subnets, get=svc.get_subnet, ocid_types=("subnet",),
    columns=[Column("Name", attr("display_name"), width=200), Column("CIDR", attr("cidr_block")),
             Column("Access", lambda s: "private" if s.prohibit_public_ip_on_vnic else "public"),
             Column("Availability domain", lambda s: s.availability_domain or "regional"), *COMMON_TAIL],
    related=[Related("Network", _subnet_related)], actions=[_delete_action("delete_subnet")], create=SUBNET_FORM,
    ready_states=frozenset({"AVAILABLE"}), sdk=SdkRef("network", "subnet", cli="network subnet"))

INTERNET_GATEWAYS = ResourceKind(
    id="network.internet_gateway", label="Internet gateways", singular="Internet gateway", group="Networking",
    icon="gateway", order=3, list=svc.list_internet_gateways, get=_get("get_internet_gateway"),
    ocid_types=("internetgateway",),
    columns=[Column("Name", attr("display_name"), width=200), Column("Enabled", attr("is_enabled")), *COMMON_TAIL],
    related=[Related("Network", _in_vcn)], actions=[_delete_action("delete_internet_gateway")],
    ready_states=frozenset({"AVAILABLE"}), sdk=SdkRef("network", "internet_gateway", cli="network internet-gateway", id_flag="--ig-id"))

NAT_GATEWAYS = ResourceKind(
    id="network.nat_gateway", label="NAT gateways", singular="NAT gateway", group="Networking", icon="gateway",
    order=4, list=svc.list_nat_gateways, get=_get("get_nat_gateway"), ocid_types=("natgateway",),
    columns=[Column("Name", attr("display_name"), width=200), Column("NAT IP", attr("nat_ip")),
             Column("Blocking", attr("block_traffic")), *COMMON_TAIL],
    related=[Related("Network", _in_vcn)], actions=[_delete_action("delete_nat_gateway")],
    ready_states=frozenset({"AVAILABLE"}), sdk=SdkRef("network", "nat_gateway", cli="network nat-gateway"))

ROUTE_TABLES = ResourceKind(
    id="network.route_table", label="Route tables", singular="Route table", group="Networking", icon="route",
    order=5, list=svc.list_route_tables, get=_get("get_route_table"), ocid_types=("routetable",),
    columns=[Column("Name", attr("display_name"), width=240), Column("Rules", lambda r: len(r.route_rules or [])),
             *COMMON_TAIL],
    related=[Related("Rules", _route_rules)], actions=[_delete_action("delete_route_table")],
    ready_states=frozenset({"AVAILABLE"}), sdk=SdkRef("network", "route_table", cli="network route-table", id_flag="--rt-id"))

SECURITY_LISTS = ResourceKind(
    id="network.security_list", label="Security lists", singular="Security list", group="Networking",
    icon="security", order=6, list=svc.list_security_lists, get=_get("get_security_list"),
    ocid_types=("securitylist",),
    columns=[Column("Name", attr("display_name"), width=240),
             Column("Ingress rules", lambda r: len(r.ingress_security_rules or [])),
             Column("Egress rules", lambda r: len(r.egress_security_rules or [])), *COMMON_TAIL],
    related=[Related("Rules", _sec_rules)], actions=[_delete_action("delete_security_list")],
    ready_states=frozenset({"AVAILABLE"}), sdk=SdkRef("network", "security_list", cli="network security-list"))

VNICS = ResourceKind(
    id="network.vnic", label="VNICs", singular="VNIC", group="Networking", icon="vnic", scope="hidden",
    list=lambda session, comp: _no_list(), get=svc.get_vnic, ocid_types=("vnic",),
    columns=[Column("Name", attr("display_name")), Column("Private IP", attr("private_ip")),
             Column("Public IP", attr("public_ip"))],
    related=[Related("Network", _vnic_related)], ready_states=frozenset({"AVAILABLE"}))


async def _no_list() -> list:
    return []


KINDS = [VCNS, SUBNETS, INTERNET_GATEWAYS, NAT_GATEWAYS, ROUTE_TABLES, SECURITY_LISTS, VNICS]
