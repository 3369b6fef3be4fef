"""Networking kinds: VCNs, subnets, internet, NAT and service gateways, route tables, security
lists, network security groups (with their rules editor), DRGs and their attachments, local peering
gateways (with the peering step), and VNICs (reached from instances)."""

from __future__ import annotations

import ipaddress

from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..services import identity as idsvc
from ..services import network as svc
from . import validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .generic import SdkRef, delete_action, getter
from .generic import lister as sdk_lister
from .model import Action, Column, Related, RelatedItem, ResourceKind, attr, no_run

M = sdk_models("core")
GONE = frozenset({"TERMINATED"})


def _delete(method: str):
    async def run(session, res, _options):
        await svc.delete(session, method, res.id)
    return run


def _delete_action(method: str) -> Action:
    return Action("delete", N_("Delete"), _delete(method), frozenset({"AVAILABLE"}), destructive=True, confirm="name",
                  target_states=GONE, gone_ok=True, shortcut="Delete", icon="delete", verb=N_("Deleting"))


def _get(method: str):
    async def get(session, ocid):
        return await svc.get(session, method, ocid)
    return get


COMMON_TAIL = [Column(N_("State"), attr("lifecycle_state"), "state"), Column(N_("Created"), attr("time_created"),
                                                                             "datetime")]


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
    title=N_("Create VCN"), kind_id="network.vcn",
    fields=[
        Field("display_name", N_("Name"), "text", required=True, validate=lambda v, *_: validators.display_name(v,
                                                                                                                True)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("cidr_block", N_("IPv4 CIDR block"), "cidr", required=True, default="10.0.0.0/16",
              help=N_("/16 to /30, e.g. 10.0.0.0/16")),
        Field("dns_label", N_("DNS label"), "text", placeholder=N_("optional, e.g. prod"),
              validate=lambda v, *_: validators.dns_label(v)),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
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
    return [Option("", N_("Regional (recommended)"))] + [Option(a.name, a.name, a) for a in ads]


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
    title=N_("Create subnet"), kind_id="network.subnet",
    fields=[
        Field("display_name", N_("Name"), "text", required=True, validate=lambda v, *_: validators.display_name(v,
                                                                                                                True)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("vcn_id", N_("VCN"), "choice", required=True, options=_vcn_options, depends_on=("compartment_id",)),
        Field("cidr_block", N_("IPv4 CIDR block"), "cidr", required=True, depends_on=("vcn_id",),
              validate=_check_subnet_cidr, help=N_("Inside the VCN's CIDR, overlapping no other subnet")),
        Field("availability_domain", N_("Availability domain"), "choice", options=_ad_options, default=""),
        Field("public", N_("Public subnet (allow public IP addresses)"), "bool", default=False),
        Field("dns_label", N_("DNS label"), "text", placeholder=N_("optional"), depends_on=("vcn_id",),
              validate=_check_subnet_dns),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_subnet_request, cli=_subnet_cli)


# ---------------------------------------------------------------- kinds

VCNS = ResourceKind(
    id="network.vcn", label=N_("VCNs"), singular=N_("VCN"), group=N_("Networking"), icon="vcn", order=1,
    list=svc.list_vcns, get=svc.get_vcn, ocid_types=("vcn",),
    columns=[Column(N_("Name"), attr("display_name"), width=200), Column(N_("CIDR"), attr("cidr_block")),
             Column(N_("DNS label"), attr("dns_label")), *COMMON_TAIL],
    related=[Related(N_("Contents"), _vcn_related)], actions=[_delete_action("delete_vcn")], create=VCN_FORM,
    ready_states=frozenset({"AVAILABLE"}), sdk=SdkRef("network", "vcn", cli="network vcn"))

SUBNETS = ResourceKind(
    id="network.subnet", label=N_("Subnets"), singular=N_("Subnet"), group=N_("Networking"), icon="subnet", order=2,
    list=svc.list_subnets, get=svc.get_subnet, ocid_types=("subnet",),
    columns=[Column(N_("Name"), attr("display_name"), width=200), Column(N_("CIDR"), attr("cidr_block")),
             Column(N_("Access"), lambda s: "private" if s.prohibit_public_ip_on_vnic else "public"),
             Column(N_("Availability domain"), lambda s: s.availability_domain or "regional"), *COMMON_TAIL],
    related=[Related(N_("Network"), _subnet_related)], actions=[_delete_action("delete_subnet")], create=SUBNET_FORM,
    ready_states=frozenset({"AVAILABLE"}), sdk=SdkRef("network", "subnet", cli="network subnet"))

INTERNET_GATEWAYS = ResourceKind(
    id="network.internet_gateway", label=N_("Internet gateways"), singular=N_("Internet gateway"),
                                 group=N_("Networking"),
    icon="gateway", order=3, list=svc.list_internet_gateways, get=_get("get_internet_gateway"),
    ocid_types=("internetgateway",),
    columns=[Column(N_("Name"), attr("display_name"), width=200), Column(N_("Enabled"), attr("is_enabled")),
             *COMMON_TAIL],
    related=[Related(N_("Network"), _in_vcn)], actions=[_delete_action("delete_internet_gateway")],
    ready_states=frozenset({"AVAILABLE"}),
    sdk=SdkRef("network", "internet_gateway", cli="network internet-gateway", id_flag="--ig-id"))

NAT_GATEWAYS = ResourceKind(
    id="network.nat_gateway", label=N_("NAT gateways"), singular=N_("NAT gateway"), group=N_("Networking"),
                            icon="gateway",
    order=4, list=svc.list_nat_gateways, get=_get("get_nat_gateway"), ocid_types=("natgateway",),
    columns=[Column(N_("Name"), attr("display_name"), width=200), Column(N_("NAT IP"), attr("nat_ip")),
             Column(N_("Blocking"), attr("block_traffic")), *COMMON_TAIL],
    related=[Related(N_("Network"), _in_vcn)], actions=[_delete_action("delete_nat_gateway")],
    ready_states=frozenset({"AVAILABLE"}), sdk=SdkRef("network", "nat_gateway", cli="network nat-gateway"))

ROUTE_TABLES = ResourceKind(
    id="network.route_table", label=N_("Route tables"), singular=N_("Route table"), group=N_("Networking"),
                            icon="route",
    order=5, list=svc.list_route_tables, get=_get("get_route_table"), ocid_types=("routetable",),
    columns=[Column(N_("Name"), attr("display_name"), width=240), Column(N_("Rules"),
                                                                         lambda r: len(r.route_rules or [])),
             *COMMON_TAIL],
    related=[Related(N_("Rules"), _route_rules)], actions=[_delete_action("delete_route_table")],
    ready_states=frozenset({"AVAILABLE"}),
    sdk=SdkRef("network", "route_table", cli="network route-table", id_flag="--rt-id"))

SECURITY_LISTS = ResourceKind(
    id="network.security_list", label=N_("Security lists"), singular=N_("Security list"), group=N_("Networking"),
    icon="security", order=6, list=svc.list_security_lists, get=_get("get_security_list"),
    ocid_types=("securitylist",),
    columns=[Column(N_("Name"), attr("display_name"), width=240),
             Column(N_("Ingress rules"), lambda r: len(r.ingress_security_rules or [])),
             Column(N_("Egress rules"), lambda r: len(r.egress_security_rules or [])), *COMMON_TAIL],
    related=[Related(N_("Rules"), _sec_rules)], actions=[_delete_action("delete_security_list")],
    ready_states=frozenset({"AVAILABLE"}), sdk=SdkRef("network", "security_list", cli="network security-list"))

VNICS = ResourceKind(
    id="network.vnic", label=N_("VNICs"), singular=N_("VNIC"), group=N_("Networking"), icon="vnic", scope="hidden",
    list=lambda session, comp: _no_list(), get=svc.get_vnic, ocid_types=("vnic",),
    columns=[Column(N_("Name"), attr("display_name")), Column(N_("Private IP"), attr("private_ip")),
             Column(N_("Public IP"), attr("public_ip"))],
    related=[Related(N_("Network"), _vnic_related)], ready_states=frozenset({"AVAILABLE"}))


async def _no_list() -> list:
    return []


# ---------------------------------------------------------------- network security groups

NSG_REF = SdkRef("network", "network_security_group", cli="network nsg", id_flag="--nsg-id")
PROTOCOLS = {"all": "all", "TCP": "6", "UDP": "17", "ICMP": "1"}
_PROTO_NAMES = {v: k for k, v in PROTOCOLS.items()}
RULE_COLUMNS = [Option("direction", N_("Direction"), ["INGRESS", "EGRESS"]),
                Option("protocol", N_("Protocol"), list(PROTOCOLS)),
                Option("address", N_("CIDR (source or destination)"), None),
                Option("ports", N_("Ports"), None),
                Option("description", N_("Description"), None)]


def _ports(text: str) -> tuple[int, int] | None:
    if not text:
        return None
    lo, _, hi = text.partition("-")
    a, b = int(lo), int(hi or lo)
    if not 1 <= a <= b <= 65535:
        raise ValueError
    return a, b


def check_rules(rows, *_):
    """The rules table as the emulator (and OCI) checks it: a CIDR, ports only for TCP/UDP, at most 25."""
    rows = rows or []
    if len(rows) > svc.NSG_RULES_PER_CALL:
        return f"At most {svc.NSG_RULES_PER_CALL} rules can be added at a time"
    for i, r in enumerate(rows, 1):
        try:
            ipaddress.ip_network(r.get("address") or "", strict=True)
            if "/" not in (r.get("address") or ""):
                raise ValueError
        except ValueError:
            return f"Rule {i}: '{r.get('address') or ''}' is not a CIDR block (e.g. 0.0.0.0/0 or 10.0.0.0/8)"
        if r.get("ports"):
            if r.get("protocol") not in ("TCP", "UDP"):
                return f"Rule {i}: ports are only for TCP or UDP rules"
            try:
                _ports(r["ports"])
            except ValueError:
                return f"Rule {i}: ports must be a port or a range like 8000-8080 (1-65535)"
        if len(r.get("description") or "") > 2048:
            return f"Rule {i}: the description is longer than 2048 characters"
    return None


def rule_details(r: dict):
    proto = PROTOCOLS[r.get("protocol") or "all"]
    ports = _ports(r.get("ports") or "")
    opts = {}
    if ports:
        rng = M.PortRange(min=ports[0], max=ports[1])
        opts = {"tcp_options": M.TcpOptions(destination_port_range=rng)} if proto == "6" else \
            {"udp_options": M.UdpOptions(destination_port_range=rng)}
    where = {"source": r["address"], "source_type": "CIDR_BLOCK"} if r["direction"] == "INGRESS" else \
        {"destination": r["address"], "destination_type": "CIDR_BLOCK"}
    return M.AddSecurityRuleDetails(direction=r["direction"], protocol=proto, description=r.get("description") or None,
                                    **where, **opts)


def rules_form(nsg) -> FormSpec:
    def build(v: dict, ctx: FormContext) -> Request:
        return Request("network", "add_network_security_group_security_rules",
                       M.AddNetworkSecurityGroupSecurityRulesDetails(
                           security_rules=[rule_details(r) for r in v["rules"]]), args=(nsg.id,), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        return cli_command("network nsg rules add", [("--nsg-id", nsg.id),
                                                     ("--security-rules", req.details.security_rules)])

    return FormSpec(
        title=f"Add security rules to {nsg.display_name}", kind_id="network.nsg",
        fields=[Field("rules", N_("Security rules"), "rules", required=True, options=RULE_COLUMNS, validate=check_rules,
                      help=N_("One row per rule; ports only for TCP and UDP (e.g. 443 or 8000-8080)."
                              " Stateful rules."))],
        build=build, cli=cli, describe=lambda v: nsg.display_name, submit_label=N_("Add rules"),
        op_title=lambda v: f"Add {len(v.get('rules') or [])} security rule(s) to {nsg.display_name}")


def _rule_text(r) -> str:
    addr = r.source if r.direction == "INGRESS" else r.destination
    ports = ""
    o = r.tcp_options or r.udp_options
    if o is not None and o.destination_port_range is not None:
        pr = o.destination_port_range
        ports = f" port {pr.min}" + (f"-{pr.max}" if pr.max != pr.min else "")
    word = "from" if r.direction == "INGRESS" else "to"
    return f"{_PROTO_NAMES.get(r.protocol, r.protocol)} {word} {addr}{ports}" + (
        f" ({r.description})" if r.description else "")


async def _nsg_related(session, nsg) -> list[RelatedItem]:
    out = await _in_vcn(session, nsg)
    for r in await svc.nsg_rules(session, nsg.id):
        out.append(RelatedItem(r.direction.capitalize(), _rule_text(r)))
    for v in await svc.nsg_vnics(session, nsg.id):
        out.append(RelatedItem("VNIC", v.vnic_id, v.vnic_id))
    return out


def _in_vcn_form(kind_id: str, title: str, method: str, model: str, cli_words: str, extra_fields=(),
                 extra=lambda v: {}, extra_cli=lambda d: []) -> FormSpec:
    def build(v: dict, ctx: FormContext) -> Request:
        return Request("network", method, getattr(M, model)(
            compartment_id=v["compartment_id"], vcn_id=v["vcn_id"], display_name=v.get("display_name") or None,
            freeform_tags=_tags(v), **extra(v)))

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command(cli_words, [("--compartment-id", d.compartment_id), ("--vcn-id", d.vcn_id),
                                       ("--display-name", d.display_name), *extra_cli(d),
                                       ("--freeform-tags", d.freeform_tags), ("--wait-for-state", "AVAILABLE")])

    return FormSpec(
        title=title, kind_id=kind_id,
        fields=[Field("display_name", N_("Name"), "text", required=True,
                      validate=lambda v, *_: validators.display_name(v, True)),
                Field("compartment_id", N_("Compartment"), "compartment", required=True),
                Field("vcn_id", N_("VCN"), "choice", required=True, options=_vcn_options,
                      depends_on=("compartment_id",)),
                *extra_fields,
                Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line"))],
        build=build, cli=cli)


NSG_FORM = _in_vcn_form("network.nsg", "Create network security group", "create_network_security_group",
                        "CreateNetworkSecurityGroupDetails", "network nsg create")

NSGS = ResourceKind(
    id="network.nsg", label=N_("Network security groups"), singular=N_("Network security group"),
                    group=N_("Networking"),
    icon="security", order=7, list=svc.list_network_security_groups, get=getter(NSG_REF),
    ocid_types=("networksecuritygroup",),
    columns=[Column(N_("Name"), attr("display_name"), width=240), *COMMON_TAIL],
    related=[Related(N_("Rules and VNICs"), _nsg_related)],
    actions=[Action("rules", N_("Add security rules…"), no_run, frozenset({"AVAILABLE"}), form=rules_form,
                    icon="security"), delete_action(NSG_REF)],
    create=NSG_FORM, ready_states=frozenset({"AVAILABLE"}), sdk=NSG_REF)


# ---------------------------------------------------------------- service gateways

SGW_REF = SdkRef("network", "service_gateway", cli="network service-gateway")


async def _service_options(ctx: FormContext, _values) -> list[Option]:
    return [Option(s.id, f"{s.name} ({s.cidr_block})", s) for s in await svc.list_services(ctx.session)]


SGW_FORM = _in_vcn_form(
    "network.service_gateway", "Create service gateway", "create_service_gateway", "CreateServiceGatewayDetails",
    "network service-gateway create",
    extra_fields=[Field("service_id", N_("Services"), "choice", required=True, options=_service_options,
                        help=N_("All services of the region's Oracle Services Network, or Object Storage alone"))],
    extra=lambda v: {"services": [M.ServiceIdRequestDetails(service_id=v["service_id"])]},
    extra_cli=lambda d: [("--services", d.services)])


async def _sgw_related(session, g) -> list[RelatedItem]:
    out = await _in_vcn(session, g)
    out += [RelatedItem("Service", s.service_name, s.service_id) for s in g.services or []]
    out.append(RelatedItem("Traffic", "blocked" if g.block_traffic else "allowed"))
    return out


SERVICE_GATEWAYS = ResourceKind(
    id="network.service_gateway", label=N_("Service gateways"), singular=N_("Service gateway"), group=N_("Networking"),
    icon="gateway", order=5, list=sdk_lister(SGW_REF), get=getter(SGW_REF), ocid_types=("servicegateway",),
    columns=[Column(N_("Name"), attr("display_name"), width=200),
             Column(N_("Services"), lambda g: ", ".join(s.service_name for s in g.services or [])), *COMMON_TAIL],
    related=[Related(N_("Network"), _sgw_related)], actions=[delete_action(SGW_REF)], create=SGW_FORM,
    ready_states=frozenset({"AVAILABLE"}), sdk=SGW_REF)


# ---------------------------------------------------------------- DRGs and attachments

DRG_REF = SdkRef("network", "drg", cli="network drg")
ATTACHMENT_REF = SdkRef("network", "drg_attachment", cli="network drg-attachment")


def _drg_request(v: dict, ctx: FormContext) -> Request:
    return Request("network", "create_drg", M.CreateDrgDetails(
        compartment_id=v["compartment_id"], display_name=v.get("display_name") or None, freeform_tags=_tags(v)))


def _drg_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("network drg create", [
        ("--compartment-id", d.compartment_id), ("--display-name", d.display_name),
        ("--freeform-tags", d.freeform_tags), ("--wait-for-state", "AVAILABLE")])


DRG_FORM = FormSpec(
    title=N_("Create dynamic routing gateway"), kind_id="network.drg",
    fields=[Field("display_name", N_("Name"), "text", required=True,
                  validate=lambda v, *_: validators.display_name(v, True)),
            Field("compartment_id", N_("Compartment"), "compartment", required=True),
            Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line"))],
    build=_drg_request, cli=_drg_cli)


def attach_form(drg) -> FormSpec:
    async def vcns(ctx: FormContext, values) -> list[Option]:
        comp = values.get("vcn_compartment_id") or drg.compartment_id
        attached = {a.vcn_id for a in await svc.list_drg_attachments(ctx.session, comp)
                    if a.lifecycle_state in ("ATTACHING", "ATTACHED")}
        return [Option(v.id, f"{v.display_name} ({v.cidr_block})", v) for v in await svc.list_vcns(ctx.session, comp)
                if v.lifecycle_state == "AVAILABLE" and v.id not in attached]

    def build(v: dict, ctx: FormContext) -> Request:
        return Request("network", "create_drg_attachment", M.CreateDrgAttachmentDetails(
            drg_id=drg.id, display_name=v.get("display_name") or None,
            network_details=M.VcnDrgAttachmentNetworkCreateDetails(type="VCN", id=v["vcn_id"])))

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command("network drg-attachment create", [
            ("--drg-id", d.drg_id), ("--vcn-id", d.network_details.id), ("--display-name", d.display_name),
            ("--wait-for-state", "ATTACHED")])

    return FormSpec(
        title=f"Attach a VCN to {drg.display_name}", kind_id="network.drg_attachment",
        fields=[Field("vcn_compartment_id", N_("VCN compartment"), "compartment", required=True,
                      default_from=lambda *_: drg.compartment_id),
                Field("vcn_id", N_("VCN"), "choice", required=True, options=vcns, depends_on=("vcn_compartment_id",),
                      help=N_("VCNs not attached to a DRG yet (a VCN attaches to one DRG at a time)")),
                Field("display_name", N_("Attachment name"), "text", placeholder=N_("optional"))],
        build=build, cli=cli, describe=lambda v: drg.display_name, submit_label=N_("Attach"),
        op_title=lambda v: f"Attach VCN to DRG {drg.display_name}")


async def _drg_related(session, drg) -> list[RelatedItem]:
    out = []
    for a in await svc.list_drg_attachments(session, drg.compartment_id, drg_id=drg.id):
        if a.lifecycle_state in ("ATTACHING", "ATTACHED"):
            nd = a.network_details
            out.append(RelatedItem("Attachment", f"{a.display_name} ({nd.type if nd else 'VCN'})", a.id))
    tables = drg.default_drg_route_tables
    if tables is not None:
        out.append(RelatedItem("Route table (VCN attachments)", tables.vcn, tables.vcn))
    else:
        out.append(RelatedItem("Routing", "legacy DRG: upgrade it to get DRG route tables"))
    return out


async def _attachment_related(session, a) -> list[RelatedItem]:
    drg = await svc.get(session, "get_drg", a.drg_id)
    out = [RelatedItem("DRG", drg.display_name, drg.id)]
    if a.vcn_id:
        vcn = await svc.get_vcn(session, a.vcn_id)
        out.append(RelatedItem("VCN", f"{vcn.display_name} ({vcn.cidr_block})", vcn.id))
    return out


DRGS = ResourceKind(
    id="network.drg", label=N_("Dynamic routing gateways"), singular=N_("DRG"), group=N_("Networking"), icon="gateway",
    order=8, list=sdk_lister(DRG_REF), get=getter(DRG_REF), ocid_types=("drg",),
    columns=[Column(N_("Name"), attr("display_name"), width=200), *COMMON_TAIL],
    related=[Related(N_("Attachments"), _drg_related)],
    actions=[Action("attach", N_("Attach VCN…"), no_run, frozenset({"AVAILABLE"}), form=attach_form,
                    icon="attach", verb=N_("Attaching")), delete_action(DRG_REF)],
    create=DRG_FORM, ready_states=frozenset({"AVAILABLE"}), sdk=DRG_REF)

DRG_ATTACHMENTS = ResourceKind(
    id="network.drg_attachment", label=N_("DRG attachments"), singular=N_("DRG attachment"), group=N_("Networking"),
    icon="attach", order=9, list=sdk_lister(ATTACHMENT_REF), get=getter(ATTACHMENT_REF), ocid_types=("drgattachment",),
    columns=[Column(N_("Name"), attr("display_name"), width=220),
             Column(N_("Type"), lambda a: a.network_details.type if a.network_details else "VCN"), *COMMON_TAIL],
    related=[Related(N_("Network"), _attachment_related)],
    actions=[delete_action(ATTACHMENT_REF, states=frozenset({"ATTACHED"}), gone=frozenset({"DETACHED"}))],
    ready_states=frozenset({"ATTACHED"}), sdk=ATTACHMENT_REF, movable=False)


# ---------------------------------------------------------------- local peering gateways

LPG_REF = SdkRef("network", "local_peering_gateway", cli="network local-peering-gateway")
LPG_FORM = _in_vcn_form("network.lpg", "Create local peering gateway", "create_local_peering_gateway",
                        "CreateLocalPeeringGatewayDetails", "network local-peering-gateway create")


def connect_form(lpg) -> FormSpec:
    async def peers(ctx: FormContext, values) -> list[Option]:
        comp = values.get("peer_compartment_id") or lpg.compartment_id
        return [Option(g.id, f"{g.display_name} ({g.vcn_id[-8:]})", g)
                for g in await svc.list_local_peering_gateways(ctx.session, comp)
                if g.id != lpg.id and g.vcn_id != lpg.vcn_id and g.peering_status == "NEW"
                and g.lifecycle_state == "AVAILABLE"]

    def build(v: dict, ctx: FormContext) -> Request:
        return Request("network", "connect_local_peering_gateways",
                       M.ConnectLocalPeeringGatewaysDetails(peer_id=v["peer_id"]), args=(lpg.id,), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        return cli_command("network local-peering-gateway connect", [
            ("--local-peering-gateway-id", lpg.id), ("--peer-id", req.details.peer_id)])

    return FormSpec(
        title=f"Connect {lpg.display_name} to a peer", kind_id="network.lpg",
        fields=[Field("peer_compartment_id", N_("Peer compartment"), "compartment", required=True,
                      default_from=lambda *_: lpg.compartment_id),
                Field("peer_id", N_("Peer local peering gateway"), "choice", required=True, options=peers,
                      depends_on=("peer_compartment_id",),
                      help=N_("A NEW gateway of another VCN in this region; the two VCNs' CIDRs must not overlap"))],
        build=build, cli=cli, describe=lambda v: lpg.display_name, submit_label=N_("Connect"),
        op_title=lambda v: f"Connect local peering gateway {lpg.display_name}")


async def _lpg_related(session, g) -> list[RelatedItem]:
    out = await _in_vcn(session, g)
    out.append(RelatedItem("Peering", g.peering_status + (f" with {g.peer_advertised_cidr}"
                                                         if g.peer_advertised_cidr else "")))
    if g.peer_id:
        out.append(RelatedItem("Peer", g.peer_id, g.peer_id))
    return out


LPGS = ResourceKind(
    id="network.lpg", label=N_("Local peering gateways"), singular=N_("Local peering gateway"), group=N_("Networking"),
    icon="gateway", order=10, list=sdk_lister(LPG_REF), get=getter(LPG_REF), ocid_types=("localpeeringgateway",),
    columns=[Column(N_("Name"), attr("display_name"), width=200), Column(N_("Peering"), attr("peering_status")),
             Column(N_("Peer CIDR"), attr("peer_advertised_cidr")), *COMMON_TAIL],
    related=[Related(N_("Peering"), _lpg_related)],
    actions=[Action("connect", N_("Connect to peer…"), no_run, frozenset({"AVAILABLE"}), form=connect_form,
                    icon="attach", verb=N_("Connecting")), delete_action(LPG_REF)],
    create=LPG_FORM, ready_states=frozenset({"AVAILABLE"}), sdk=LPG_REF)


KINDS = [VCNS, SUBNETS, INTERNET_GATEWAYS, NAT_GATEWAYS, SERVICE_GATEWAYS, ROUTE_TABLES, SECURITY_LISTS, NSGS, DRGS,
         DRG_ATTACHMENTS, LPGS, VNICS]
