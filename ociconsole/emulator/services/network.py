"""Core networking (`/core`, VirtualNetworkClient): VCNs, subnets, internet and NAT
gateways, route tables, security lists, DHCP options, VNICs, private and public IPs."""

from __future__ import annotations

import ipaddress
import re

from ..engine import Kind
from ..protocol import ApiError, conflict, incorrect_state, invalid, not_found, ts
from ..registry import Context, Service

svc = Service("core", name="network")
# the kinds written by hand below; the engine serves what they leave out (change_*_compartment)
for _model, _k, _what in (("Vcn", "vcn", "VCN"), ("Subnet", "subnet", "subnet"),
                          ("InternetGateway", "internetgateway", "internet gateway"),
                          ("NatGateway", "natgateway", "NAT gateway"), ("RouteTable", "routetable", "route table"),
                          ("SecurityList", "securitylist", "security list"),
                          ("DhcpOptions", "dhcpoptions", "DHCP options")):
    svc.resource(Kind(_k, _model, _what, noun="dhcp_options" if _k == "dhcpoptions" else None,
                      parent=None if _k == "vcn" else ("vcnId", "vcn"), search=_model))
for _t, _k in (("Vnic", "vnic"), ("PublicIp", "publicip")):
    svc.search(_t, _k)

LIVE = ("PROVISIONING", "AVAILABLE", "UPDATING")
_DNS_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9]{0,14}$")
PUBLIC_POOL = ipaddress.ip_network("129.146.0.0/16")


# ---------------------------------------------------------------- helpers

def parse_cidr(value: str, field: str) -> ipaddress.IPv4Network:
    if not isinstance(value, str) or "/" not in value:
        raise invalid(f"{field}: '{value}' is not a CIDR block (e.g. 10.0.0.0/16)")
    try:
        net = ipaddress.ip_network(value, strict=True)
    except ValueError as e:
        if "host bits set" in str(e):
            raise invalid(f"{field}: '{value}' has host bits set; did you mean "
                          f"{ipaddress.ip_network(value, strict=False)}?")
        raise invalid(f"{field}: '{value}' is not a valid IPv4 CIDR block")
    if net.version != 4:
        raise invalid(f"{field}: only IPv4 CIDR blocks are supported here")
    return net  # type: ignore[return-value]


# Ranges a VCN or subnet cannot use: OCI reserves link-local 169.254.0.0/16 and Classes D (multicast)
# and E ("IP Addresses Reserved for Use by Oracle"); 0.0.0.0/8 ("this network") and 127.0.0.0/8
# (loopback) are not addresses a host can be given.
RESERVED_RANGES = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4"))


def check_private_range(net: ipaddress.IPv4Network, field: str) -> None:
    for r in RESERVED_RANGES:
        if net.overlaps(r):
            raise invalid(f"{field} {net} overlaps {r}, which is reserved and cannot be used in a VCN")


def _check_dns_label(label, field: str):
    if label is None:
        return None
    if not _DNS_RE.match(label):
        raise invalid(f"{field}: '{label}' must start with a letter and contain 1-15 letters or digits")
    return label.lower()


def _live(doc: dict) -> bool:
    return doc.get("lifecycleState") in LIVE


def _vcn_of(ctx: Context, vcn_id: str) -> dict:
    vcn = ctx.get("vcn", vcn_id, "vcn")
    if vcn["lifecycleState"] not in ("AVAILABLE", "PROVISIONING", "UPDATING"):
        raise incorrect_state(f"VCN {vcn_id} is {vcn['lifecycleState']}")
    return vcn


def _children(ctx: Context, kind: str, vcn_id: str) -> list[dict]:
    return [d for d in ctx.store.by_field(kind, "vcnId", vcn_id) if _live(d)]


def _list_in(ctx: Context, kind: str, vcn_filter: bool = True) -> list[dict]:
    comp = ctx.compartment(ctx.query["compartmentId"])
    docs = ctx.list(kind, comp["id"])
    vcn = ctx.query.get("vcnId") if vcn_filter else None
    if vcn:
        docs = [d for d in docs if d.get("vcnId") == vcn]
    return docs


def _provision(ctx: Context, kind: str, doc: dict) -> dict:
    """Store `doc` as PROVISIONING and make it AVAILABLE after one transition."""
    doc.setdefault("lifecycleState", "PROVISIONING")
    doc.setdefault("timeCreated", ctx.ts())
    doc.setdefault("freeformTags", {})
    doc.setdefault("definedTags", {})
    doc["_region"] = ctx.region
    doc = ctx.put(kind, doc)
    ctx.schedule(kind, doc["id"], {"lifecycleState": "AVAILABLE"}, steps=1, when_state="PROVISIONING")
    return doc


def _terminate(ctx: Context, kind: str, doc: dict, hook: str | None = None) -> None:
    ctx.update(kind, doc["id"], {"lifecycleState": "TERMINATING"})
    ctx.schedule(kind, doc["id"], {"lifecycleState": "TERMINATED"}, steps=1, when_state="TERMINATING",
                 hook=hook or "network.purge_later")


@svc.hook("network.purge_later")
def _purge_later(core, doc: dict, _args: dict) -> None:
    """Terminated network objects stay visible for a while, as in OCI, then disappear."""
    if doc:
        core.store.schedule(core.clock.now() + 3600, {"kind": None, "id": None, "set": {}, "when": None,
                                                  "hook": "network.purge", "args": {"kind": _kind_of(doc),
                                                                                     "id": doc["id"]}})


@svc.hook("network.purge")
def _purge(core, _doc: dict, args: dict) -> None:
    d = core.store.get(args["kind"], args["id"])
    if d is not None and d.get("lifecycleState") == "TERMINATED":
        core.store.delete(args["kind"], args["id"])


def _kind_of(doc: dict) -> str:
    t = doc["id"].split(".")[1]
    return {"vcn": "vcn", "subnet": "subnet", "internetgateway": "internetgateway", "natgateway": "natgateway",
            "routetable": "routetable", "securitylist": "securitylist", "dhcpoptions": "dhcpoptions"}.get(t, t)


def _name(ctx: Context, body: dict, prefix: str) -> str:
    name = body.get("displayName")
    if name is not None:
        if not name.strip() or len(name) > 255:
            raise invalid("displayName must be 1-255 characters")
        return name
    return f"{prefix}{ctx.ts().replace('-', '').replace(':', '').replace('T', '')[:14]}"


def _update_common(ctx: Context, kind: str, what: str, extra_fields=()) -> dict:
    doc = ctx.get_for_write(kind, ctx.path[next(iter(ctx.path))], what)
    if doc["lifecycleState"] not in ("AVAILABLE",):
        raise incorrect_state(f"{what} is {doc['lifecycleState']}")
    b = ctx.body or {}
    changes = {}
    if b.get("displayName") is not None:
        changes["displayName"] = _name(ctx, b, what)
    for f in extra_fields:
        if f in b and b[f] is not None:
            changes[f] = b[f]
    changes.update(ctx.tags(b))
    return ctx.update(kind, doc["id"], changes)


# ---------------------------------------------------------------- VCNs

def _vcn_cidrs(b: dict) -> list[ipaddress.IPv4Network]:
    blocks = b.get("cidrBlocks") or ([b["cidrBlock"]] if b.get("cidrBlock") else [])
    if not blocks:
        raise ApiError(400, "MissingParameter", "cidrBlock or cidrBlocks is required")
    if b.get("cidrBlock") and b.get("cidrBlocks") and b["cidrBlock"] not in b["cidrBlocks"]:
        raise invalid("cidrBlock must be one of cidrBlocks when both are given")
    nets = [parse_cidr(c, "cidrBlock") for c in blocks]
    for n in nets:
        if not 16 <= n.prefixlen <= 30:
            raise invalid(f"cidrBlock {n}: a VCN CIDR block must be between /16 and /30")
        check_private_range(n, "cidrBlock")
    for i, a in enumerate(nets):
        for c in nets[i + 1:]:
            if a.overlaps(c):
                raise invalid(f"cidrBlocks {a} and {c} overlap")
    return nets


@svc.op("create_vcn")
def create_vcn(ctx: Context):
    b = ctx.body
    comp = ctx.compartment(b["compartmentId"])
    nets = _vcn_cidrs(b)
    dns = _check_dns_label(b.get("dnsLabel"), "dnsLabel")
    vcn_id = ctx.new_id("vcn")
    name = _name(ctx, b, "vcn")
    rt_id, sl_id, dhcp_id = ctx.new_id("routetable"), ctx.new_id("securitylist"), ctx.new_id("dhcpoptions")
    vcn = {"id": vcn_id, "compartmentId": comp["id"], "displayName": name, "cidrBlock": str(nets[0]),
           "cidrBlocks": [str(n) for n in nets], "defaultRouteTableId": rt_id, "defaultSecurityListId": sl_id,
           "defaultDhcpOptionsId": dhcp_id}
    if dns:
        vcn["dnsLabel"] = dns
        vcn["vcnDomainName"] = f"{dns}.oraclevcn.com"
    vcn.update(ctx.tags(b))
    vcn = _provision(ctx, "vcn", vcn)
    _provision(ctx, "routetable", {"id": rt_id, "compartmentId": comp["id"], "vcnId": vcn_id,
                                   "displayName": f"Default Route Table for {name}", "routeRules": []})
    _provision(ctx, "securitylist", default_security_list(sl_id, comp["id"], vcn_id, name, str(nets[0])))
    _provision(ctx, "dhcpoptions", {"id": dhcp_id, "compartmentId": comp["id"], "vcnId": vcn_id,
                                    "displayName": f"Default DHCP Options for {name}", "domainNameType": "CUSTOM_DOMAIN",
                                    "options": [{"type": "DomainNameServer", "serverType": "VcnLocalPlusInternet"},
                                                {"type": "SearchDomain",
                                                 "searchDomainNames": [vcn.get("vcnDomainName", "oraclevcn.com")]}]})
    return vcn


def default_security_list(sl_id: str, comp: str, vcn_id: str, vcn_name: str, cidr: str) -> dict:
    return {"id": sl_id, "compartmentId": comp, "vcnId": vcn_id, "displayName": f"Default Security List for {vcn_name}",
            "egressSecurityRules": [{"destination": "0.0.0.0/0", "destinationType": "CIDR_BLOCK", "protocol": "all",
                                     "isStateless": False}],
            "ingressSecurityRules": [
                {"source": "0.0.0.0/0", "sourceType": "CIDR_BLOCK", "protocol": "6", "isStateless": False,
                 "tcpOptions": {"destinationPortRange": {"min": 22, "max": 22}}},
                {"source": "0.0.0.0/0", "sourceType": "CIDR_BLOCK", "protocol": "1", "isStateless": False,
                 "icmpOptions": {"type": 3, "code": 4}},
                {"source": cidr, "sourceType": "CIDR_BLOCK", "protocol": "1", "isStateless": False,
                 "icmpOptions": {"type": 3}}]}


@svc.op("list_vcns")
def list_vcns(ctx: Context):
    return _list_in(ctx, "vcn", vcn_filter=False)


@svc.op("get_vcn")
def get_vcn(ctx: Context):
    return ctx.get("vcn", ctx.path["vcnId"], "vcn")


@svc.op("update_vcn")
def update_vcn(ctx: Context):
    return _update_common(ctx, "vcn", "vcn")


@svc.op("delete_vcn")
def delete_vcn(ctx: Context):
    vcn = ctx.get_for_write("vcn", ctx.path["vcnId"], "vcn")
    if vcn["lifecycleState"] in ("TERMINATING", "TERMINATED"):
        raise incorrect_state(f"VCN is {vcn['lifecycleState']}")
    blockers = []
    for kind, what in (("subnet", "subnet"), ("internetgateway", "internet gateway"), ("natgateway", "NAT gateway")):
        for d in _children(ctx, kind, vcn["id"]):
            blockers.append(f"{what} {d.get('displayName', d['id'])}")
    for kind, default_key in (("routetable", "defaultRouteTableId"), ("securitylist", "defaultSecurityListId"),
                              ("dhcpoptions", "defaultDhcpOptionsId")):
        for d in _children(ctx, kind, vcn["id"]):
            if d["id"] != vcn.get(default_key):
                blockers.append(f"{kind} {d.get('displayName', d['id'])}")
    if blockers:
        raise conflict(f"The VCN {vcn['displayName']} cannot be deleted while it still contains resources: "
                       + ", ".join(blockers[:5]) + (" ..." if len(blockers) > 5 else ""))
    for kind, default_key in (("routetable", "defaultRouteTableId"), ("securitylist", "defaultSecurityListId"),
                              ("dhcpoptions", "defaultDhcpOptionsId")):
        d = ctx.find(kind, vcn.get(default_key, ""))
        if d is not None and _live(d):
            _terminate(ctx, kind, d)
    _terminate(ctx, "vcn", vcn)
    return None


# ---------------------------------------------------------------- subnets

def _subnet_cidr_checks(ctx: Context, vcn: dict, cidr: str, exclude: str | None = None) -> ipaddress.IPv4Network:
    net = parse_cidr(cidr, "cidrBlock")
    check_private_range(net, "cidrBlock")
    if not any(net.subnet_of(ipaddress.ip_network(c)) for c in vcn["cidrBlocks"]):
        raise invalid(f"cidrBlock {net} is not within the VCN's CIDR blocks ({', '.join(vcn['cidrBlocks'])})")
    if net.prefixlen > 30:
        raise invalid(f"cidrBlock {net}: a subnet must be /30 or larger")
    for s in _children(ctx, "subnet", vcn["id"]):
        if s["id"] != exclude and net.overlaps(ipaddress.ip_network(s["cidrBlock"])):
            raise invalid(f"cidrBlock {net} overlaps with subnet {s.get('displayName')} ({s['cidrBlock']})")
    return net


@svc.op("create_subnet")
def create_subnet(ctx: Context):
    b = ctx.body
    comp = ctx.compartment(b["compartmentId"])
    vcn = _vcn_of(ctx, b["vcnId"])
    cidr = b.get("cidrBlock") or (b.get("ipv4CidrBlocks") or [None])[0]
    if not cidr:
        raise ApiError(400, "MissingParameter", "cidrBlock is required")
    net = _subnet_cidr_checks(ctx, vcn, cidr)
    ad = b.get("availabilityDomain")
    if ad is not None:
        from .identity import ad_names
        if ad not in ad_names(ctx.region):
            raise invalid(f"Unknown availability domain '{ad}' in region {ctx.region}")
    dns = _check_dns_label(b.get("dnsLabel"), "dnsLabel")
    if dns:
        if not vcn.get("dnsLabel"):
            raise invalid("dnsLabel: the VCN has no DNS label, so its subnets cannot have one")
        if any(s.get("dnsLabel") == dns for s in _children(ctx, "subnet", vcn["id"])):
            raise conflict(f"dnsLabel '{dns}' is already used by another subnet of this VCN")
    rt_id = b.get("routeTableId") or vcn["defaultRouteTableId"]
    rt = ctx.find("routetable", rt_id)
    if rt is None or rt["vcnId"] != vcn["id"] or not _live(rt):
        raise invalid(f"routeTableId {rt_id} is not a route table of this VCN")
    sl_ids = b.get("securityListIds")
    if sl_ids is None:
        sl_ids = [vcn["defaultSecurityListId"]]
    if len(sl_ids) > 5:
        raise invalid("A subnet can have at most 5 security lists")
    for sid in sl_ids:
        sl = ctx.find("securitylist", sid)
        if sl is None or sl["vcnId"] != vcn["id"] or not _live(sl):
            raise invalid(f"securityListIds: {sid} is not a security list of this VCN")
    dhcp_id = b.get("dhcpOptionsId") or vcn["defaultDhcpOptionsId"]
    dhcp = ctx.find("dhcpoptions", dhcp_id)
    if dhcp is None or dhcp["vcnId"] != vcn["id"]:
        raise invalid(f"dhcpOptionsId {dhcp_id} is not a DHCP options set of this VCN")
    prohibit = b.get("prohibitPublicIpOnVnic")
    if prohibit is None:
        prohibit = bool(b.get("prohibitInternetIngress", False))
    hosts = list(net.hosts())
    doc = {"id": ctx.new_id("subnet"), "compartmentId": comp["id"], "vcnId": vcn["id"],
           "displayName": _name(ctx, b, "subnet"), "cidrBlock": str(net), "ipv4CidrBlocks": [str(net)],
           "routeTableId": rt_id, "securityListIds": list(sl_ids), "dhcpOptionsId": dhcp_id,
           "prohibitPublicIpOnVnic": prohibit, "prohibitInternetIngress": prohibit,
           "virtualRouterIp": str(hosts[0]) if hosts else str(net.network_address),
           "virtualRouterMac": "00:00:17:" + ":".join(f"{x:02X}" for x in ctx.core.rng.randbytes(3))}
    if ad:
        doc["availabilityDomain"] = ad
    if dns:
        doc["dnsLabel"] = dns
        doc["subnetDomainName"] = f"{dns}.{vcn['vcnDomainName']}"
    doc.update(ctx.tags(b))
    return _provision(ctx, "subnet", doc)


@svc.op("list_subnets")
def list_subnets(ctx: Context):
    return _list_in(ctx, "subnet")


@svc.op("get_subnet")
def get_subnet(ctx: Context):
    return ctx.get("subnet", ctx.path["subnetId"], "subnet")


@svc.op("update_subnet")
def update_subnet(ctx: Context):
    doc = ctx.get_for_write("subnet", ctx.path["subnetId"], "subnet")
    b = ctx.body or {}
    if b.get("routeTableId"):
        rt = ctx.find("routetable", b["routeTableId"])
        if rt is None or rt["vcnId"] != doc["vcnId"]:
            raise invalid(f"routeTableId {b['routeTableId']} is not a route table of this VCN")
    if b.get("securityListIds") is not None:
        for sid in b["securityListIds"]:
            sl = ctx.find("securitylist", sid)
            if sl is None or sl["vcnId"] != doc["vcnId"]:
                raise invalid(f"securityListIds: {sid} is not a security list of this VCN")
    if b.get("cidrBlock") is not None and b["cidrBlock"] != doc["cidrBlock"]:
        vcn = ctx.get("vcn", doc["vcnId"], "vcn")
        net = _subnet_cidr_checks(ctx, vcn, b["cidrBlock"], exclude=doc["id"])
        if not ipaddress.ip_network(doc["cidrBlock"]).subnet_of(net):
            raise invalid("A subnet's CIDR block can only be widened")
        b = dict(b)
        b["ipv4CidrBlocks"] = [str(net)]
    return _update_common(ctx, "subnet", "subnet",
                          ("routeTableId", "securityListIds", "dhcpOptionsId", "cidrBlock", "ipv4CidrBlocks"))


@svc.op("delete_subnet")
def delete_subnet(ctx: Context):
    doc = ctx.get_for_write("subnet", ctx.path["subnetId"], "subnet")
    if doc["lifecycleState"] in ("TERMINATING", "TERMINATED"):
        raise incorrect_state(f"Subnet is {doc['lifecycleState']}")
    vnics = [v for v in ctx.store.by_field("vnic", "subnetId", doc["id"])
             if v["lifecycleState"] not in ("TERMINATED", "DETACHED")]
    if vnics:
        raise conflict(f"The subnet {doc['displayName']} still has {len(vnics)} VNIC(s) attached "
                       "(terminate the instances using it first)")
    _terminate(ctx, "subnet", doc)
    return None


# ---------------------------------------------------------------- gateways

def _create_in_vcn(ctx: Context, kind: str, rtype: str, prefix: str, extra: dict) -> dict:
    b = ctx.body
    comp = ctx.compartment(b["compartmentId"])
    vcn = _vcn_of(ctx, b["vcnId"])
    doc = {"id": ctx.new_id(rtype), "compartmentId": comp["id"], "vcnId": vcn["id"],
           "displayName": _name(ctx, b, prefix)}
    doc.update(extra)
    doc.update(ctx.tags(b))
    return _provision(ctx, kind, doc)


def _referenced_by_routes(ctx: Context, entity_id: str) -> list[str]:
    return [rt.get("displayName", rt["id"]) for rt in ctx.store.list("routetable")
            if _live(rt) and any(r.get("networkEntityId") == entity_id for r in rt.get("routeRules", []))]


@svc.op("create_internet_gateway")
def create_internet_gateway(ctx: Context):
    b = ctx.body
    vcn = _vcn_of(ctx, b["vcnId"])
    if any(True for _ in _children(ctx, "internetgateway", vcn["id"])):
        raise conflict("A VCN can have only one internet gateway")
    return _create_in_vcn(ctx, "internetgateway", "internetgateway", "Internet Gateway ",
                          {"isEnabled": b.get("isEnabled", True)})


@svc.op("list_internet_gateways")
def list_internet_gateways(ctx: Context):
    return _list_in(ctx, "internetgateway")


@svc.op("get_internet_gateway")
def get_internet_gateway(ctx: Context):
    return ctx.get("internetgateway", ctx.path["igId"], "internet gateway")


@svc.op("update_internet_gateway")
def update_internet_gateway(ctx: Context):
    return _update_common(ctx, "internetgateway", "internet gateway", ("isEnabled", "routeTableId"))


def _delete_gateway(ctx: Context, kind: str, key: str, what: str):
    doc = ctx.get_for_write(kind, ctx.path[key], what)
    if doc["lifecycleState"] in ("TERMINATING", "TERMINATED"):
        raise incorrect_state(f"The {what} is {doc['lifecycleState']}")
    refs = _referenced_by_routes(ctx, doc["id"])
    if refs:
        raise conflict(f"The {what} is the target of route rules in: {', '.join(refs)}; remove those rules first")
    _terminate(ctx, kind, doc)
    return None


@svc.op("delete_internet_gateway")
def delete_internet_gateway(ctx: Context):
    return _delete_gateway(ctx, "internetgateway", "igId", "internet gateway")


@svc.op("create_nat_gateway")
def create_nat_gateway(ctx: Context):
    ip = allocate_public_address(ctx)
    return _create_in_vcn(ctx, "natgateway", "natgateway", "NAT Gateway ",
                          {"blockTraffic": bool(ctx.body.get("blockTraffic", False)), "natIp": ip})


@svc.op("list_nat_gateways")
def list_nat_gateways(ctx: Context):
    return _list_in(ctx, "natgateway")


@svc.op("get_nat_gateway")
def get_nat_gateway(ctx: Context):
    return ctx.get("natgateway", ctx.path["natGatewayId"], "NAT gateway")


@svc.op("update_nat_gateway")
def update_nat_gateway(ctx: Context):
    return _update_common(ctx, "natgateway", "NAT gateway", ("blockTraffic", "routeTableId"))


@svc.op("delete_nat_gateway")
def delete_nat_gateway(ctx: Context):
    return _delete_gateway(ctx, "natgateway", "natGatewayId", "NAT gateway")


# ---------------------------------------------------------------- route tables, security lists, DHCP

def _check_route_rules(ctx: Context, vcn_id: str, rules: list[dict]) -> list[dict]:
    out = []
    for i, r in enumerate(rules or []):
        dest = r.get("destination") or r.get("cidrBlock")
        if not dest:
            raise ApiError(400, "MissingParameter", f"routeRules[{i}].destination is required")
        dtype = r.get("destinationType") or "CIDR_BLOCK"
        if dtype == "CIDR_BLOCK":
            parse_cidr(dest, f"routeRules[{i}].destination")
        target = ctx.find(_kind_of({"id": r["networkEntityId"]}), r["networkEntityId"]) \
            if r.get("networkEntityId", "").startswith("ocid1.") else None
        if target is None or not _live(target):
            raise invalid(f"routeRules[{i}].networkEntityId {r.get('networkEntityId')} is not an existing gateway")
        if target.get("vcnId") not in (None, vcn_id):
            raise invalid(f"routeRules[{i}].networkEntityId belongs to another VCN")
        rr = dict(r)
        rr.update(destination=dest, destinationType=dtype, cidrBlock=dest if dtype == "CIDR_BLOCK" else None)
        rr.setdefault("routeType", "STATIC")
        out.append({k: v for k, v in rr.items() if v is not None})
    return out


def _check_security_rules(rules: list[dict], field: str, addr_key: str) -> list[dict]:
    for i, r in enumerate(rules or []):
        proto = str(r.get("protocol", ""))
        if proto != "all" and not (proto.isdigit() and 0 <= int(proto) <= 255):
            raise invalid(f"{field}[{i}].protocol must be 'all' or an IANA protocol number (6=TCP, 17=UDP, 1=ICMP)")
        addr = r.get(addr_key)
        if (r.get(addr_key + "Type") or "CIDR_BLOCK") == "CIDR_BLOCK":
            parse_cidr(addr, f"{field}[{i}].{addr_key}")
        for opt in ("tcpOptions", "udpOptions"):
            o = r.get(opt) or {}
            for rng_key in ("destinationPortRange", "sourcePortRange"):
                pr = o.get(rng_key)
                if pr and not (1 <= pr["min"] <= pr["max"] <= 65535):
                    raise invalid(f"{field}[{i}].{opt}.{rng_key}: ports must satisfy 1 <= min <= max <= 65535")
    return list(rules or [])


@svc.op("create_route_table")
def create_route_table(ctx: Context):
    vcn = _vcn_of(ctx, ctx.body["vcnId"])
    rules = _check_route_rules(ctx, vcn["id"], ctx.body["routeRules"])
    return _create_in_vcn(ctx, "routetable", "routetable", "Route Table ", {"routeRules": rules})


@svc.op("list_route_tables")
def list_route_tables(ctx: Context):
    return _list_in(ctx, "routetable")


@svc.op("get_route_table")
def get_route_table(ctx: Context):
    return ctx.get("routetable", ctx.path["rtId"], "route table")


@svc.op("update_route_table")
def update_route_table(ctx: Context):
    doc = ctx.get("routetable", ctx.path["rtId"], "route table")
    if ctx.body and ctx.body.get("routeRules") is not None:
        ctx.body = dict(ctx.body)
        ctx.body["routeRules"] = _check_route_rules(ctx, doc["vcnId"], ctx.body["routeRules"])
    return _update_common(ctx, "routetable", "route table", ("routeRules",))


def _delete_vcn_part(ctx: Context, kind: str, key: str, what: str, default_key: str, used_by: str):
    doc = ctx.get_for_write(kind, ctx.path[key], what)
    vcn = ctx.find("vcn", doc["vcnId"])
    if vcn is not None and vcn.get(default_key) == doc["id"]:
        raise conflict(f"The default {what} of a VCN cannot be deleted (it goes with the VCN)")
    users = [s.get("displayName", s["id"]) for s in ctx.store.list("subnet") if _live(s) and (
        s.get(used_by) == doc["id"] or doc["id"] in (s.get(used_by) or []))]
    if users:
        raise conflict(f"The {what} is in use by subnet(s): {', '.join(users)}")
    _terminate(ctx, kind, doc)
    return None


@svc.op("delete_route_table")
def delete_route_table(ctx: Context):
    return _delete_vcn_part(ctx, "routetable", "rtId", "route table", "defaultRouteTableId", "routeTableId")


@svc.op("create_security_list")
def create_security_list(ctx: Context):
    b = ctx.body
    _vcn_of(ctx, b["vcnId"])
    return _create_in_vcn(ctx, "securitylist", "securitylist", "Security List ", {
        "egressSecurityRules": _check_security_rules(b["egressSecurityRules"], "egressSecurityRules", "destination"),
        "ingressSecurityRules": _check_security_rules(b["ingressSecurityRules"], "ingressSecurityRules", "source")})


@svc.op("list_security_lists")
def list_security_lists(ctx: Context):
    return _list_in(ctx, "securitylist")


@svc.op("get_security_list")
def get_security_list(ctx: Context):
    return ctx.get("securitylist", ctx.path["securityListId"], "security list")


@svc.op("update_security_list")
def update_security_list(ctx: Context):
    b = ctx.body or {}
    if b.get("egressSecurityRules") is not None:
        _check_security_rules(b["egressSecurityRules"], "egressSecurityRules", "destination")
    if b.get("ingressSecurityRules") is not None:
        _check_security_rules(b["ingressSecurityRules"], "ingressSecurityRules", "source")
    return _update_common(ctx, "securitylist", "security list", ("egressSecurityRules", "ingressSecurityRules"))


@svc.op("delete_security_list")
def delete_security_list(ctx: Context):
    return _delete_vcn_part(ctx, "securitylist", "securityListId", "security list", "defaultSecurityListId",
                            "securityListIds")


@svc.op("list_dhcp_options")
def list_dhcp_options(ctx: Context):
    return _list_in(ctx, "dhcpoptions")


@svc.op("get_dhcp_options")
def get_dhcp_options(ctx: Context):
    return ctx.get("dhcpoptions", ctx.path["dhcpId"], "DHCP options")


# ---------------------------------------------------------------- VNICs and IPs (created by Compute)

def allocate_private_ip(ctx_or_core, subnet: dict, wanted: str | None = None) -> str:
    store = ctx_or_core.store
    net = ipaddress.ip_network(subnet["cidrBlock"])
    used = {p["ipAddress"] for p in store.by_field("privateip", "subnetId", subnet["id"])}
    first = int(net.network_address) + 2  # .0 is the network, .1 the virtual router
    last = int(net.broadcast_address) - 1
    if wanted is not None:
        try:
            ip = ipaddress.ip_address(wanted)
        except ValueError:
            raise invalid(f"privateIp '{wanted}' is not an IPv4 address")
        if not first <= int(ip) <= last:
            raise invalid(f"privateIp {wanted} is not an assignable address of subnet {subnet['cidrBlock']}")
        if str(ip) in used:
            raise conflict(f"privateIp {wanted} is already in use in this subnet")
        return str(ip)
    size = last - first + 1
    start = len(used) % size if size > 0 else 0
    for k in range(size):
        s = str(ipaddress.ip_address(first + (start + k) % size))
        if s not in used:
            return s
    raise ApiError(409, "LimitExceeded", f"Subnet {subnet.get('displayName')} has no free private IP addresses")


def allocate_public_address(ctx_or_core) -> str:
    store = ctx_or_core.store
    used = {p["ipAddress"] for p in store.list("publicip")} | {n.get("natIp") for n in store.list("natgateway")}
    rng = ctx_or_core.core.rng if hasattr(ctx_or_core, "core") else ctx_or_core.rng
    for _ in range(1000):
        ip = str(PUBLIC_POOL.network_address + rng.randrange(256, PUBLIC_POOL.num_addresses - 256))
        if ip not in used:
            return ip
    raise ApiError(409, "LimitExceeded", "The public IP pool is exhausted")


@svc.op("get_vnic")
def get_vnic(ctx: Context):
    return ctx.get("vnic", ctx.path["vnicId"], "vnic")


@svc.op("list_private_ips")
def list_private_ips(ctx: Context):
    q = ctx.query
    if not any(q.get(k) for k in ("subnetId", "vnicId", "vlanId")):
        raise ApiError(400, "MissingParameter", "One of subnetId, vnicId or vlanId is required")
    docs = ctx.list("privateip")
    for key in ("subnetId", "vnicId", "ipAddress"):
        if q.get(key):
            docs = [d for d in docs if d.get(key) == q[key]]
    return docs


@svc.op("get_private_ip")
def get_private_ip(ctx: Context):
    return ctx.get("privateip", ctx.path["privateIpId"], "private IP")


@svc.op("list_public_ips")
def list_public_ips(ctx: Context):
    comp = ctx.compartment(ctx.query["compartmentId"])
    scope = ctx.query["scope"]
    if scope not in ("REGION", "AVAILABILITY_DOMAIN"):
        raise invalid("scope must be REGION or AVAILABILITY_DOMAIN")
    docs = [d for d in ctx.list("publicip", comp["id"]) if d.get("scope") == scope
            and d.get("lifecycleState") != "TERMINATED"]
    if ctx.query.get("lifetime"):
        docs = [d for d in docs if d.get("lifetime") == ctx.query["lifetime"]]
    return docs


@svc.op("get_public_ip")
def get_public_ip(ctx: Context):
    return ctx.get("publicip", ctx.path["publicIpId"], "public IP")


@svc.op("get_public_ip_by_private_ip_id")
def get_public_ip_by_private_ip_id(ctx: Context):
    pid = ctx.body["privateIpId"]
    for p in ctx.list("publicip"):
        if p.get("privateIpId") == pid and p.get("lifecycleState") in ("ASSIGNED", "ASSIGNING", "AVAILABLE"):
            return p
    raise not_found("public IP for private IP", pid)


@svc.op("get_public_ip_by_ip_address")
def get_public_ip_by_ip_address(ctx: Context):
    addr = ctx.body["ipAddress"]
    for p in ctx.list("publicip"):
        if p.get("ipAddress") == addr and p.get("lifecycleState") != "TERMINATED":
            return p
    raise not_found("public IP", addr)


# ---------------------------------------------------------------- seed

@svc.seeder
def seed_network(seed) -> None:
    """Per region: a hub VCN in Network, and a VCN with public/private subnets per environment."""
    if seed.profile == "empty":
        return
    store = seed.store
    comps = {c["name"]: c for c in store.list("compartment")}
    plans = []
    if seed.profile == "demo":
        plans = [("Network", "hub-vcn", "10.0.0.0/16", "hub"), ("Production", "prod-vcn", "10.10.0.0/16", "prod"),
                 ("Staging", "staging-vcn", "10.20.0.0/16", "stg"), ("Development", "dev-vcn", "10.30.0.0/16", "dev")]
        regions = seed.regions
    else:
        plans = [(None, "bench-vcn", "10.0.0.0/8", "bench")]
        regions = [seed.core.home_region]
    for region in regions:
        for comp_name, name, cidr, dns in plans:
            comp = comps[comp_name]["id"] if comp_name else seed.core.tenancy_id
            if region != seed.core.home_region and comp_name not in ("Network", "Production"):
                continue
            seed_vcn(seed, region, comp, name if region == seed.core.home_region else f"{name}-dr", cidr, dns)


def seed_vcn(seed, region: str, comp: str, name: str, cidr: str, dns: str) -> dict:
    store = seed.store
    t = ts(seed.t(300, 60))
    vcn_id = seed.ocid("vcn", region)
    rt_id, sl_id, dhcp_id = seed.ocid("routetable", region), seed.ocid("securitylist", region), seed.ocid(
        "dhcpoptions", region)
    common = {"compartmentId": comp, "lifecycleState": "AVAILABLE", "timeCreated": t, "_region": region,
              "freeformTags": {}, "definedTags": {}}
    vcn = dict(common, id=vcn_id, displayName=name, cidrBlock=cidr, cidrBlocks=[cidr], dnsLabel=dns,
               vcnDomainName=f"{dns}.oraclevcn.com", defaultRouteTableId=rt_id, defaultSecurityListId=sl_id,
               defaultDhcpOptionsId=dhcp_id)
    store.put("vcn", vcn)
    sl = default_security_list(sl_id, comp, vcn_id, name, cidr)
    store.put("securitylist", dict(common, **sl))
    store.put("dhcpoptions", dict(common, id=dhcp_id, vcnId=vcn_id, displayName=f"Default DHCP Options for {name}",
                                  domainNameType="CUSTOM_DOMAIN",
                                  options=[{"type": "DomainNameServer", "serverType": "VcnLocalPlusInternet"},
                                           {"type": "SearchDomain", "searchDomainNames": [f"{dns}.oraclevcn.com"]}]))
    igw = dict(common, id=seed.ocid("internetgateway", region), vcnId=vcn_id, displayName=f"{name}-igw",
               isEnabled=True)
    store.put("internetgateway", igw)
    nat = dict(common, id=seed.ocid("natgateway", region), vcnId=vcn_id, displayName=f"{name}-nat",
               blockTraffic=False, natIp=allocate_public_address(seed))
    store.put("natgateway", nat)
    store.put("routetable", dict(common, id=rt_id, vcnId=vcn_id, displayName=f"Default Route Table for {name}",
                                 routeRules=[{"destination": "0.0.0.0/0", "destinationType": "CIDR_BLOCK",
                                              "cidrBlock": "0.0.0.0/0", "networkEntityId": igw["id"],
                                              "routeType": "STATIC"}]))
    private_rt = dict(common, id=seed.ocid("routetable", region), vcnId=vcn_id, displayName=f"{name}-private-rt",
                      routeRules=[{"destination": "0.0.0.0/0", "destinationType": "CIDR_BLOCK",
                                   "cidrBlock": "0.0.0.0/0", "networkEntityId": nat["id"], "routeType": "STATIC"}])
    store.put("routetable", private_rt)
    base = ipaddress.ip_network(cidr)
    subs = list(base.subnets(new_prefix=max(base.prefixlen, 24) if base.prefixlen >= 16 else 16))
    for i, (sname, public) in enumerate((("public", True), ("private", False), ("db", False))):
        net = subs[i]
        hosts = list(net.hosts())
        store.put("subnet", dict(
            common, id=seed.ocid("subnet", region), vcnId=vcn_id, displayName=f"{name}-{sname}",
            cidrBlock=str(net), ipv4CidrBlocks=[str(net)], dnsLabel=sname,
            subnetDomainName=f"{sname}.{dns}.oraclevcn.com",
            routeTableId=rt_id if public else private_rt["id"], securityListIds=[sl_id], dhcpOptionsId=dhcp_id,
            prohibitPublicIpOnVnic=not public, prohibitInternetIngress=not public,
            virtualRouterIp=str(hosts[0]), virtualRouterMac="00:00:17:" + ":".join(
                f"{x:02X}" for x in seed.rng.randbytes(3))))
    return vcn
