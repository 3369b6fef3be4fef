"""Core networking (`/core`, VirtualNetworkClient): VCNs, subnets, internet and NAT
gateways, route tables, security lists, DHCP options, VNICs, private and public IPs."""

from __future__ import annotations

import functools
import ipaddress
import itertools
import random
import re
import secrets
import socket

from ..engine import Kind, Lifecycle, check_name
from ..protocol import ApiError, conflict, incorrect_state, invalid, new_ocid, not_found, ts
from ..registry import Context, Service

svc = Service("core", name="network")
for _t, _k in (("Vnic", "vnic"), ("PublicIp", "publicip")):
    svc.search(_t, _k)

LIVE = ("PROVISIONING", "AVAILABLE", "UPDATING")
_DNS_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9]{0,14}$")
PUBLIC_POOL = ipaddress.ip_network("129.146.0.0/16")


# ---------------------------------------------------------------- helpers

def parse_cidr(value, field: str, version: int | None = 4):
    """A CIDR block with OCI's messages: an IPv4 one by default, `version=6` or None for either."""
    if not isinstance(value, str) or "/" not in value:
        raise invalid(f"{field}: '{str(value)[:60]}' is not a CIDR block (e.g. 10.0.0.0/16)")
    try:
        net = ipaddress.ip_network(value, strict=True)
    except ValueError as e:
        if "host bits set" in str(e):
            raise invalid(f"{field}: '{value}' has host bits set; did you mean "
                          f"{ipaddress.ip_network(value, strict=False)}?") from None
        raise invalid(f"{field}: '{value}' is not a valid {'IPv4 ' if version == 4 else ''}CIDR block") from None
    if version == 4 and net.version != 4:
        raise invalid(f"{field}: only IPv4 CIDR blocks are supported here")
    if version is not None and net.version != version:
        raise invalid(f"{field}: '{value}' must be an IPv{version} CIDR block")
    return net


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


def _children(ctx: Context, kind: str, vcn_id: str) -> list[dict]:
    return [d for d in ctx.store.by_field(kind, "vcnId", vcn_id) if _live(d)]


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


def _vcn_check(ctx: Context, b: dict, existing: dict | None) -> dict:
    """A new VCN's CIDR blocks and DNS label, and the OCIDs of the defaults that come with it."""
    if existing is not None:
        return {}
    nets = _vcn_cidrs(b)
    out = {"cidrBlock": str(nets[0]), "cidrBlocks": [str(n) for n in nets],
           "defaultRouteTableId": ctx.new_id("routetable"), "defaultSecurityListId": ctx.new_id("securitylist"),
           "defaultDhcpOptionsId": ctx.new_id("dhcpoptions")}
    dns = _check_dns_label(b.get("dnsLabel"), "dnsLabel")
    if dns:
        out.update(dnsLabel=dns, vcnDomainName=f"{dns}.oraclevcn.com")
    return out


def _vcn_defaults(ctx: Context, vcn: dict) -> None:
    """A VCN comes with its default route table, security list and DHCP options."""
    comp, vcn_id, name = vcn["compartmentId"], vcn["id"], vcn["displayName"]
    _provision(ctx, "routetable", {"id": vcn["defaultRouteTableId"], "compartmentId": comp, "vcnId": vcn_id,
                                   "displayName": f"Default Route Table for {name}", "routeRules": []})
    _provision(ctx, "securitylist", default_security_list(vcn["defaultSecurityListId"], comp, vcn_id, name,
                                                          vcn["cidrBlock"]))
    _provision(ctx, "dhcpoptions", {"id": vcn["defaultDhcpOptionsId"], "compartmentId": comp, "vcnId": vcn_id,
                                    "displayName": f"Default DHCP Options for {name}",
                                    "domainNameType": "CUSTOM_DOMAIN",
                                    "options": [{"type": "DomainNameServer", "serverType": "VcnLocalPlusInternet"},
                                                {"type": "SearchDomain",
                                                 "searchDomainNames": [vcn.get("vcnDomainName", "oraclevcn.com")]}]})


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


_DEFAULTS = (("routetable", "defaultRouteTableId"), ("securitylist", "defaultSecurityListId"),
             ("dhcpoptions", "defaultDhcpOptionsId"))


def _vcn_in_use(ctx: Context, vcn: dict) -> None:
    blockers = []
    for kind, what in (("subnet", "subnet"), ("internetgateway", "internet gateway"), ("natgateway", "NAT gateway"),
                       ("servicegateway", "service gateway"), ("localpeeringgateway", "local peering gateway"),
                       ("networksecuritygroup", "network security group"), ("vlan", "VLAN")):
        for d in _children(ctx, kind, vcn["id"]):
            blockers.append(f"{what} {d.get('displayName', d['id'])}")
    for kind, default_key in _DEFAULTS:
        for d in _children(ctx, kind, vcn["id"]):
            if d["id"] != vcn.get(default_key):
                blockers.append(f"{kind} {d.get('displayName', d['id'])}")
    for a in ctx.store.by_field("drgattachment", "vcnId", vcn["id"]):
        if a.get("lifecycleState") in ("ATTACHING", "ATTACHED"):
            blockers.append(f"DRG attachment {a['displayName']}")
    if blockers:
        raise conflict(f"The VCN {vcn['displayName']} cannot be deleted while it still contains resources: "
                       + ", ".join(blockers[:5]) + (" ..." if len(blockers) > 5 else ""))


def _vcn_deleted(ctx: Context, vcn: dict) -> None:
    for kind, default_key in _DEFAULTS:
        d = ctx.find(kind, vcn.get(default_key, ""))
        if d is not None and _live(d):
            _terminate(ctx, kind, d)


VCN = svc.resource(Kind("vcn", "Vcn", "VCN", search="Vcn", validate=_vcn_check, on_create=_vcn_defaults,
                        check_delete=_vcn_in_use, on_delete=_vcn_deleted))


# ---------------------------------------------------------------- subnets

def _subnet_cidr_checks(ctx: Context, vcn: dict, cidr: str, exclude: str | None = None) -> ipaddress.IPv4Network:
    net = parse_cidr(cidr, "cidrBlock")
    check_private_range(net, "cidrBlock")
    if not any(net.subnet_of(ipaddress.ip_network(c)) for c in vcn["cidrBlocks"]):
        raise invalid(f"cidrBlock {net} is not within the VCN's CIDR blocks ({', '.join(vcn['cidrBlocks'])})")
    if net.prefixlen > 30:
        raise invalid(f"cidrBlock {net}: a subnet must be /30 or larger")
    _no_overlap(ctx, vcn["id"], net, exclude)
    return net


def _vcn_part(ctx: Context, kind: str, ident, vcn_id: str, message: str, live: bool = True) -> dict:
    d = ctx.find(kind, ident)
    if d is None or d["vcnId"] != vcn_id or (live and not _live(d)):
        raise invalid(message)
    return d


def _subnet_check(ctx: Context, b: dict, existing: dict | None) -> dict:
    vcn = ctx.get("vcn", (existing or b)["vcnId"], "vcn")
    if existing is not None:
        out: dict = {}
        if b.get("routeTableId"):
            _vcn_part(ctx, "routetable", b["routeTableId"], vcn["id"],
                      f"routeTableId {b['routeTableId']} is not a route table of this VCN", live=False)
        for sid in b.get("securityListIds") or ():
            _vcn_part(ctx, "securitylist", sid, vcn["id"],
                      f"securityListIds: {sid} is not a security list of this VCN", live=False)
        if b.get("cidrBlock") is not None and b["cidrBlock"] != existing["cidrBlock"]:
            net = _subnet_cidr_checks(ctx, vcn, b["cidrBlock"], exclude=existing["id"])
            if not ipaddress.ip_network(existing["cidrBlock"]).subnet_of(net):
                raise invalid("A subnet's CIDR block can only be widened")
            out["ipv4CidrBlocks"] = [str(net)]
        return out
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
    _vcn_part(ctx, "routetable", rt_id, vcn["id"], f"routeTableId {rt_id} is not a route table of this VCN")
    sl_ids = b.get("securityListIds")
    if sl_ids is None:
        sl_ids = [vcn["defaultSecurityListId"]]
    if len(sl_ids) > 5:
        raise invalid("A subnet can have at most 5 security lists")
    for sid in sl_ids:
        _vcn_part(ctx, "securitylist", sid, vcn["id"], f"securityListIds: {sid} is not a security list of this VCN")
    dhcp_id = b.get("dhcpOptionsId") or vcn["defaultDhcpOptionsId"]
    _vcn_part(ctx, "dhcpoptions", dhcp_id, vcn["id"], f"dhcpOptionsId {dhcp_id} is not a DHCP options set of this VCN",
              live=False)
    prohibit = b.get("prohibitPublicIpOnVnic")
    if prohibit is None:
        prohibit = bool(b.get("prohibitInternetIngress", False))
    out = {"cidrBlock": str(net), "ipv4CidrBlocks": [str(net)], "routeTableId": rt_id,
           "securityListIds": list(sl_ids), "dhcpOptionsId": dhcp_id, "prohibitPublicIpOnVnic": prohibit,
           "prohibitInternetIngress": prohibit,
           "virtualRouterIp": router_ip(net),
           "virtualRouterMac": "00:00:17:" + ":".join(f"{x:02X}" for x in ctx.core.rng.randbytes(3))}
    if dns:
        out.update(dnsLabel=dns, subnetDomainName=f"{dns}.{vcn['vcnDomainName']}")
    return out


def _subnet_in_use(ctx: Context, doc: dict) -> None:
    vnics = [v for v in ctx.store.by_field("vnic", "subnetId", doc["id"])
             if v["lifecycleState"] not in ("TERMINATED", "DETACHED")]
    if vnics:
        raise conflict(f"The subnet {doc['displayName']} still has {len(vnics)} VNIC(s) attached "
                       "(terminate the instances using it first)")


SUBNET = svc.resource(Kind("subnet", "Subnet", "subnet", parent=("vcnId", "vcn"), search="Subnet",
                           validate=_subnet_check, check_delete=_subnet_in_use))


# ---------------------------------------------------------------- gateways

def _referenced_by_routes(ctx: Context, entity_id: str) -> list[str]:
    return [rt.get("displayName", rt["id"]) for rt in ctx.store.list("routetable")
            if _live(rt) and any(r.get("networkEntityId") == entity_id for r in rt.get("routeRules", []))]


def _no_routes_to(what: str):
    def check(ctx: Context, doc: dict) -> None:
        refs = _referenced_by_routes(ctx, doc["id"])
        if refs:
            raise conflict(f"The {what} is the target of route rules in: {', '.join(refs)}; "
                           "remove those rules first")
    return check


def _igw_check(ctx: Context, b: dict, existing: dict | None) -> dict:
    if existing is None and _children(ctx, "internetgateway", b["vcnId"]):
        raise conflict("A VCN can have only one internet gateway")
    return {}


def _nat_check(ctx: Context, b: dict, existing: dict | None) -> dict:
    if existing is not None:
        return {}
    return {"blockTraffic": bool(b.get("blockTraffic", False)), "natIp": allocate_public_address(ctx)}


IGW = svc.resource(Kind("internetgateway", "InternetGateway", "internet gateway", parent=("vcnId", "vcn"),
                        search="InternetGateway", default_name="Internet Gateway ", defaults={"isEnabled": True},
                        validate=_igw_check, check_delete=_no_routes_to("internet gateway")))
NAT = svc.resource(Kind("natgateway", "NatGateway", "NAT gateway", parent=("vcnId", "vcn"), search="NatGateway",
                        default_name="NAT Gateway ", validate=_nat_check, check_delete=_no_routes_to("NAT gateway")))


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
        elif dtype != "SERVICE_CIDR_BLOCK":
            raise invalid(f"routeRules[{i}].destinationType must be CIDR_BLOCK or SERVICE_CIDR_BLOCK")
        kind = _kind_of({"id": r["networkEntityId"]}) if r.get("networkEntityId", "").startswith("ocid1.") else ""
        target = ctx.find(kind, r["networkEntityId"]) if kind else None
        if target is None or not (_live(target) or (kind == "privateip" and target.get("vnicId"))):
            raise invalid(f"routeRules[{i}].networkEntityId {r.get('networkEntityId')} is not an existing gateway")
        if kind == "privateip":
            target = dict(target, vcnId=ctx.get("subnet", target["subnetId"])["vcnId"])
        if target.get("vcnId") not in (None, vcn_id):
            raise invalid(f"routeRules[{i}].networkEntityId belongs to another VCN")
        if (dtype == "SERVICE_CIDR_BLOCK") != (kind == "servicegateway"):
            raise invalid(f"routeRules[{i}]: a rule whose target is a service gateway has destinationType "
                          "SERVICE_CIDR_BLOCK (a service's cidrBlock label), and only such a rule")
        if kind == "servicegateway":
            enabled = {s["serviceId"] for s in target.get("services") or []}
            labels = {x["cidrBlock"]: x for x in services(ctx.region)}
            if dest not in labels:
                raise invalid(f"routeRules[{i}].destination '{dest}' is not a service CIDR label of {ctx.region} "
                              f"({', '.join(labels)})")
            if labels[dest]["id"] not in enabled:
                raise invalid(f"routeRules[{i}].destination: the service gateway does not enable "
                              f"{labels[dest]['name']}")
        if kind == "drg" and not any(a.get("vcnId") == vcn_id and a.get("lifecycleState") in ("ATTACHING", "ATTACHED")
                                     for a in ctx.store.by_field("drgattachment", "drgId", target["id"])):
            raise invalid(f"routeRules[{i}].networkEntityId: the DRG is not attached to this VCN")
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


def _route_table_check(ctx: Context, b: dict, existing: dict | None) -> dict:
    if existing is None:
        return {"routeRules": _check_route_rules(ctx, b["vcnId"], ctx.require(b.get("routeRules"), "routeRules"))}
    if b.get("routeRules") is not None:
        return {"routeRules": _check_route_rules(ctx, existing["vcnId"], b["routeRules"])}
    return {}


def _security_list_check(ctx: Context, b: dict, existing: dict | None) -> dict:
    out = {}
    for key, addr in (("egressSecurityRules", "destination"), ("ingressSecurityRules", "source")):
        if existing is None or b.get(key) is not None:
            out[key] = _check_security_rules(b.get(key), key, addr)
    return out


def _not_in_use(what: str, default_key: str, used_by: str, plural: bool = False):
    """A VCN's default (route table, security list, DHCP options) goes with it; others while no subnet uses them."""
    it, is_ = ("they", "are") if plural else ("it", "is")

    def check(ctx: Context, doc: dict) -> None:
        vcn = ctx.find("vcn", doc["vcnId"])
        if vcn is not None and vcn.get(default_key) == doc["id"]:
            raise conflict(f"The default {what} of a VCN cannot be deleted ({it} go{'es' if it == 'it' else ''} "
                           "with the VCN)")
        users = [s.get("displayName", s["id"]) for s in ctx.store.list("subnet") if _live(s) and (
            s.get(used_by) == doc["id"] or doc["id"] in (s.get(used_by) or []))]
        if users:
            raise conflict(f"The {what} {is_} in use by subnet(s): {', '.join(users)}")
    return check


ROUTE_TABLE = svc.resource(Kind(
    "routetable", "RouteTable", "route table", parent=("vcnId", "vcn"), search="RouteTable",
    default_name="Route Table ", validate=_route_table_check,
    check_delete=_not_in_use("route table", "defaultRouteTableId", "routeTableId")))
SECURITY_LIST = svc.resource(Kind(
    "securitylist", "SecurityList", "security list", parent=("vcnId", "vcn"), search="SecurityList",
    default_name="Security List ", validate=_security_list_check,
    check_delete=_not_in_use("security list", "defaultSecurityListId", "securityListIds")))


DHCP_DNS_SERVERS_MAX = 3
_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}"
                        r"[a-zA-Z0-9])?)*$")


def _dhcp_check(ctx: Context, body: dict, existing: dict | None) -> dict:
    """OCI's rules for DHCP options: one DomainNameServer option (VCN resolver, or 1-3 custom DNS servers),
    at most one SearchDomain option with a single valid domain name."""
    opts = body.get("options")
    if opts is None:
        if existing is None:
            raise ApiError(400, "MissingParameter", "options is required")
        return {}
    seen: set[str] = set()
    out = []
    for i, o in enumerate(opts):
        t = o.get("type")
        if t not in ("DomainNameServer", "SearchDomain"):
            raise invalid(f"options[{i}].type must be DomainNameServer or SearchDomain")
        if t in seen:
            raise invalid(f"options[{i}]: only one {t} option is allowed")
        seen.add(t)
        if t == "DomainNameServer":
            st = o.get("serverType")
            servers = o.get("customDnsServers") or []
            if st not in ("VcnLocal", "VcnLocalPlusInternet", "CustomDnsServer"):
                raise invalid(f"options[{i}].serverType must be VcnLocal, VcnLocalPlusInternet or CustomDnsServer")
            if st == "CustomDnsServer":
                if not 1 <= len(servers) <= DHCP_DNS_SERVERS_MAX:
                    raise invalid(f"options[{i}].customDnsServers: a CustomDnsServer option needs 1-"
                                  f"{DHCP_DNS_SERVERS_MAX} DNS server addresses, got {len(servers)}")
                for j, a in enumerate(servers):
                    try:
                        ipaddress.IPv4Address(a)
                    except ValueError:
                        raise invalid(f"options[{i}].customDnsServers[{j}]: '{a}' is not an IPv4 address") from None
                out.append({"type": t, "serverType": st, "customDnsServers": list(servers)})
            else:
                if servers:
                    raise invalid(f"options[{i}].customDnsServers is only allowed with serverType CustomDnsServer")
                out.append({"type": t, "serverType": st})
        else:
            names = o.get("searchDomainNames") or []
            if len(names) != 1:
                raise invalid(f"options[{i}].searchDomainNames must hold exactly one domain name, got {len(names)}")
            if not isinstance(names[0], str) or not _DOMAIN_RE.match(names[0]):
                raise invalid(f"options[{i}].searchDomainNames[0] '{str(names[0])[:80]}' is not a valid domain name "
                              "(RFC 952 and RFC 1123)")
            out.append({"type": t, "searchDomainNames": [names[0].lower()]})
    if "DomainNameServer" not in seen:
        raise invalid("options must include a DomainNameServer option")
    return {"options": out}


DHCP = svc.resource(Kind("dhcpoptions", "DhcpOptions", "DHCP options", noun="dhcp_options",
                         parent=("vcnId", "vcn"), search="DhcpOptions", validate=_dhcp_check,
                         check_delete=_not_in_use("DHCP options", "defaultDhcpOptionsId", "dhcpOptionsId", True),
                         default_name="dhcpoptions"))


# ---------------------------------------------------------------- VNICs and IPs (created by Compute)

@functools.lru_cache(maxsize=4096)
def _assignable(cidr: str) -> tuple[int, int, int]:
    """A subnet CIDR's first and last assignable addresses (as ints) and its IP version: .0 is the
    network, .1 the virtual router, the last the broadcast (parsed once per CIDR, not per allocation)."""
    net = ipaddress.ip_network(cidr)
    return int(net.network_address) + 2, int(net.broadcast_address) - 1, net.version


def _ip_str(n: int, version: int) -> str:
    return socket.inet_ntoa(n.to_bytes(4, "big")) if version == 4 else str(ipaddress.ip_address(n))


def allocate_private_ip(ctx_or_core, subnet: dict, wanted: str | None = None) -> str:
    store = ctx_or_core.store
    sid = subnet["id"]

    def taken(addr: str) -> bool:  # by the address index: no set of the subnet's every IP per allocation
        return any(p.get("subnetId") == sid for p in store.by_field("privateip", "ipAddress", addr))
    first, last, version = _assignable(subnet["cidrBlock"])
    if wanted is not None:
        try:
            ip = ipaddress.ip_address(wanted)
        except ValueError:
            raise invalid(f"privateIp '{wanted}' is not an IPv4 address") from None
        if not first <= int(ip) <= last:
            raise invalid(f"privateIp {wanted} is not an assignable address of subnet {subnet['cidrBlock']}")
        if taken(str(ip)):
            raise conflict(f"privateIp {wanted} is already in use in this subnet")
        return str(ip)
    size = last - first + 1
    start = store.count_by_field("privateip", "subnetId", sid) % size if size > 0 else 0
    for k in range(size):
        s = _ip_str(first + (start + k) % size, version)
        if not taken(s):
            return s
    raise ApiError(409, "LimitExceeded", f"Subnet {subnet.get('displayName')} has no free private IP addresses")


def allocate_public_address(ctx_or_core) -> str:
    store = ctx_or_core.store
    rng = ctx_or_core.core.rng if hasattr(ctx_or_core, "core") else ctx_or_core.rng
    for _ in range(1000):
        ip = str(PUBLIC_POOL.network_address + rng.randrange(256, PUBLIC_POOL.num_addresses - 256))
        if not (store.count_by_field("publicip", "ipAddress", ip) or store.count_by_field("natgateway", "natIp", ip)):
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


def router_ip(net) -> str:
    """A subnet's virtual router: its first host address (not every host listed to take the first: a /16 has
    65,534)."""
    return str(next(iter(net.hosts()), net.network_address))


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
    if seed.profile == "demo":
        # a DRG from before DRG route tables existed: it has none until it is upgraded (upgrade_drg)
        home = seed.core.home_region
        # (its own random source: the demo data seeded after this stays what it was)
        rng = random.Random("legacy-drg")
        seed.store.put("drg", {"id": new_ocid("drg", home, rng), "compartmentId": comps["Network"]["id"],
                               "displayName": "legacy-drg", "lifecycleState": "AVAILABLE",
                               "timeCreated": ts(seed.now - 850 * 86400), "_region": home,
                               "_upgradeStatus": "NOT_UPGRADED",
                               "freeformTags": {}, "definedTags": {}})


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
    # the first three of its /24s (/16s of a bigger VCN): not all 256 of them, nor every host of each
    subs = list(itertools.islice(base.subnets(new_prefix=max(base.prefixlen, 24) if base.prefixlen >= 16 else 16), 3))
    for i, (sname, public) in enumerate((("public", True), ("private", False), ("db", False))):
        net = subs[i]
        store.put("subnet", dict(
            common, id=seed.ocid("subnet", region), vcnId=vcn_id, displayName=f"{name}-{sname}",
            cidrBlock=str(net), ipv4CidrBlocks=[str(net)], dnsLabel=sname,
            subnetDomainName=f"{sname}.{dns}.oraclevcn.com",
            routeTableId=rt_id if public else private_rt["id"], securityListIds=[sl_id], dhcpOptionsId=dhcp_id,
            prohibitPublicIpOnVnic=not public, prohibitInternetIngress=not public,
            virtualRouterIp=router_ip(net), virtualRouterMac="00:00:17:" + ":".join(
                f"{x:02X}" for x in seed.rng.randbytes(3))))
    return vcn


# ================================================================ declared kinds (resource engine)
# Network security groups, service gateways, DRGs with their attachments, route tables and route
# distributions, local and remote peering gateways, VLANs: the engine serves create/get/list/update/
# delete/change-compartment from the declarations; the handlers below are OCI's own behaviour (rules,
# peering, services, CIDR changes, VNIC and IP assignment).

NSG_RULES_MAX = 120  # security rules per NSG (ingress and egress together)
NSG_RULES_PER_CALL = 25  # "Adds up to 25 security rules" (AddNetworkSecurityGroupSecurityRules)
NSGS_PER_VNIC = 5  # "A VNIC can be in a maximum of five NSGs"
LPGS_PER_VCN = 10
VCN_CIDRS_MAX = 5
SECONDARY_IPS_MAX = 31  # secondary private IPs per VNIC
DRG_STATIC_RULES_MAX = 100
_HOST_RE = re.compile(r"^(?!-)[a-zA-Z0-9-]{1,63}(?<!-)$")
_PROTOCOLS = {"all"} | {str(n) for n in range(256)}
VLAN_LC = Lifecycle("PROVISIONING", "AVAILABLE", "UPDATING", "TERMINATING", "TERMINATED")
ATTACHMENT_LC = Lifecycle("ATTACHING", "ATTACHED", None, "DETACHING", "DETACHED")


def _rid(existing) -> str:
    """A security or route rule id as OCI shows them: six upper-case hex digits."""
    taken = set(existing)
    while True:
        r = secrets.token_hex(3).upper()
        if r not in taken:
            return r


def _path_doc(ctx: Context, kind: str, what: str, write: bool = False) -> dict:
    ident = ctx.path[ctx.op.path_params()[-1].wire]
    return ctx.get_for_write(kind, ident, what) if write else ctx.get(kind, ident, what)


def _ready(doc: dict, what: str, state: str = "AVAILABLE") -> None:
    if doc.get("lifecycleState") != state:
        raise incorrect_state(f"The {what} is {doc.get('lifecycleState')}; it must be {state}")


# ---------------------------------------------------------------- Oracle Services Network

def services(region: str) -> list[dict]:
    """The region's services a service gateway can reach: all of them, or Object Storage alone."""
    from .identity import REGIONS
    key = REGIONS.get(region, (region,))[0].upper()
    out = []
    for name, label, desc in ((f"All {key} Services In Oracle Services Network",
                               f"all-{key.lower()}-services-in-oracle-services-network",
                               f"All {key} Services In Oracle Services Network"),
                              (f"OCI {key} Object Storage", f"oci-{key.lower()}-objectstorage",
                               f"OCI {key} Object Storage")):
        ident = new_ocid("service", region, random.Random(f"{region}/{label}"))
        out.append({"id": ident, "name": name, "cidrBlock": label, "description": desc, "_region": region})
    return out


def _service(ctx: Context, ident, field: str = "serviceId") -> dict:
    for s in services(ctx.region):
        if s["id"] == ident:
            return s
    raise ApiError(404, "NotAuthorizedOrNotFound", f"{field}: the service {str(ident)[:120]} does not exist in "
                   f"{ctx.region}")


def _public(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if not k.startswith("_")}


@svc.op("list_services")
def list_services(ctx: Context):
    return [_public(s) for s in services(ctx.region)]


@svc.op("get_service")
def get_service(ctx: Context):
    return _public(_service(ctx, ctx.path["serviceId"]))


# ---------------------------------------------------------------- network security groups

def _nsg_rule(ctx: Context, nsg: dict, r: dict, i: int, field: str = "securityRules") -> dict:
    where = f"{field}[{i}]"
    direction = r.get("direction")
    if direction not in ("INGRESS", "EGRESS"):
        raise invalid(f"{where}.direction must be INGRESS or EGRESS")
    proto = str(r.get("protocol") or "")
    if proto not in _PROTOCOLS:
        raise invalid(f"{where}.protocol must be 'all' or an IANA protocol number (1=ICMP, 6=TCP, 17=UDP, "
                      "58=ICMPv6)")
    key, other = ("source", "destination") if direction == "INGRESS" else ("destination", "source")
    if r.get(other) is not None or r.get(other + "Type") is not None:
        raise invalid(f"{where}: an {direction} rule has a {key}, not a {other}")
    addr = r.get(key)
    if not addr:
        raise ApiError(400, "MissingParameter", f"{where}.{key} is required for an {direction} rule")
    atype = r.get(key + "Type") or "CIDR_BLOCK"
    if atype == "CIDR_BLOCK":
        _any_cidr(addr, f"{where}.{key}")
    elif atype == "SERVICE_CIDR_BLOCK":
        labels = [s["cidrBlock"] for s in services(ctx.region)]
        if addr not in labels:
            raise invalid(f"{where}.{key} '{addr}' is not a service CIDR label of {ctx.region} "
                          f"({', '.join(labels)})")
    elif atype == "NETWORK_SECURITY_GROUP":
        other_nsg = ctx.find("networksecuritygroup", addr)
        if other_nsg is None or not _live(other_nsg):
            raise ApiError(404, "NotAuthorizedOrNotFound", f"{where}.{key}: the network security group {addr} "
                           "does not exist")
        if other_nsg["vcnId"] != nsg["vcnId"]:
            raise invalid(f"{where}.{key}: the network security group {addr} is in another VCN")
    else:
        raise invalid(f"{where}.{key}Type must be CIDR_BLOCK, SERVICE_CIDR_BLOCK or NETWORK_SECURITY_GROUP")
    opts = {"6": "tcpOptions", "17": "udpOptions", "1": "icmpOptions", "58": "icmpOptions"}.get(proto)
    for o in ("tcpOptions", "udpOptions", "icmpOptions"):
        if r.get(o) is not None and o != opts:
            raise invalid(f"{where}.{o} is only allowed with protocol "
                          + {"tcpOptions": "6 (TCP)", "udpOptions": "17 (UDP)", "icmpOptions": "1 (ICMP) or 58"}[o])
    for o in ("tcpOptions", "udpOptions"):
        for rk in ("destinationPortRange", "sourcePortRange"):
            pr = (r.get(o) or {}).get(rk)
            if pr is not None and not (isinstance(pr.get("min"), int) and isinstance(pr.get("max"), int)
                                       and 1 <= pr["min"] <= pr["max"] <= 65535):
                raise invalid(f"{where}.{o}.{rk}: ports must satisfy 1 <= min <= max <= 65535")
    icmp = r.get("icmpOptions")
    if icmp is not None:
        if not isinstance(icmp.get("type"), int) or not 0 <= icmp["type"] <= 255:
            raise invalid(f"{where}.icmpOptions.type must be 0-255")
        if icmp.get("code") is not None and not 0 <= icmp["code"] <= 255:
            raise invalid(f"{where}.icmpOptions.code must be 0-255")
    desc = r.get("description")
    if desc is not None and len(desc) > 2048:
        raise invalid(f"{where}.description must be at most 2048 characters")
    out = {"direction": direction, "protocol": proto, key: addr, key + "Type": atype,
           "isStateless": bool(r.get("isStateless", False)), "isValid": True}
    for f in ("tcpOptions", "udpOptions", "icmpOptions", "description"):
        if r.get(f) is not None:
            out[f] = r[f]
    return out


def _any_cidr(value, field: str):
    try:
        net = ipaddress.ip_network(value, strict=True) if isinstance(value, str) and "/" in value else None
    except ValueError as e:
        if "host bits set" in str(e):
            raise invalid(f"{field}: '{value}' has host bits set; did you mean "
                          f"{ipaddress.ip_network(value, strict=False)}?") from None
        net = None
    if net is None:
        raise invalid(f"{field}: '{value}' is not a CIDR block (e.g. 10.0.0.0/16 or 0.0.0.0/0)")
    return net


def _nsg_users(ctx: Context, nsg_id: str) -> list[dict]:
    return [v for v in ctx.store.list("vnic") if nsg_id in (v.get("nsgIds") or [])
            and v.get("lifecycleState") in ("PROVISIONING", "AVAILABLE")]


def _nsg_in_use(ctx: Context, doc: dict) -> None:
    users = _nsg_users(ctx, doc["id"])
    if users:
        raise conflict(f"The network security group {doc['displayName']} still has {len(users)} VNIC(s) in it "
                       "(remove it from their nsgIds first)")
    vlans = [v for v in ctx.store.list("vlan") if doc["id"] in (v.get("nsgIds") or []) and _live(v)]
    if vlans:
        raise conflict(f"The network security group {doc['displayName']} is used by VLAN "
                       f"{vlans[0].get('displayName')}")


NSG = svc.resource(Kind("networksecuritygroup", "NetworkSecurityGroup", "network security group",
                        parent=("vcnId", "vcn"), defaults={"_rules": []}, check_delete=_nsg_in_use,
                        search="NetworkSecurityGroup", default_name="nsg"))


def check_nsg_ids(ctx: Context, nsg_ids, vcn_id: str, field: str = "nsgIds") -> list[str]:
    """`nsgIds` of a VNIC or VLAN: at most five live NSGs of the same VCN (used by compute too)."""
    ids = list(dict.fromkeys(nsg_ids or []))
    if len(ids) > NSGS_PER_VNIC:
        raise invalid(f"{field}: a VNIC can be in at most {NSGS_PER_VNIC} network security groups, got {len(ids)}")
    for i, n in enumerate(ids):
        doc = NSG.find_live(ctx, "networksecuritygroup", n, f"{field}[{i}]")
        if doc["vcnId"] != vcn_id:
            raise invalid(f"{field}[{i}]: the network security group {n} belongs to another VCN")
    return ids


def _rules_view(doc: dict) -> list[dict]:
    return [dict(r) for r in doc.get("_rules") or []]


@svc.op("add_network_security_group_security_rules")
def add_nsg_rules(ctx: Context):
    nsg = _path_doc(ctx, "networksecuritygroup", "network security group", write=True)
    _ready(nsg, "network security group")
    rules = (ctx.body or {}).get("securityRules") or []
    if len(rules) > NSG_RULES_PER_CALL:
        raise invalid(f"securityRules: at most {NSG_RULES_PER_CALL} rules can be added in one request, got "
                      f"{len(rules)}")
    have = nsg.get("_rules") or []
    if len(have) + len(rules) > NSG_RULES_MAX:
        raise ApiError(400, "LimitExceeded", f"A network security group can have at most {NSG_RULES_MAX} security "
                       f"rules; it has {len(have)} and {len(rules)} would be added")
    added = []
    for i, r in enumerate(rules):
        rule = _nsg_rule(ctx, nsg, r, i)
        rule.update(id=_rid([x["id"] for x in have + added]), timeCreated=ctx.ts())
        added.append(rule)
    ctx.update("networksecuritygroup", nsg["id"], {"_rules": have + added})
    return {"securityRules": added}


@svc.op("list_network_security_group_security_rules")
def list_nsg_rules(ctx: Context):
    nsg = _path_doc(ctx, "networksecuritygroup", "network security group")
    rules = _rules_view(nsg)
    if ctx.query.get("direction"):
        rules = [r for r in rules if r["direction"] == ctx.query["direction"]]
    return rules


@svc.op("update_network_security_group_security_rules")
def update_nsg_rules(ctx: Context):
    nsg = _path_doc(ctx, "networksecuritygroup", "network security group", write=True)
    _ready(nsg, "network security group")
    have = {r["id"]: r for r in nsg.get("_rules") or []}
    updated = []
    for i, r in enumerate((ctx.body or {}).get("securityRules") or []):
        if r.get("id") not in have:
            raise invalid(f"securityRules[{i}].id: the network security group has no security rule "
                          f"'{str(r.get('id'))[:20]}'")
        rule = _nsg_rule(ctx, nsg, r, i)
        rule.update(id=r["id"], timeCreated=have[r["id"]]["timeCreated"])
        have[r["id"]] = rule
        updated.append(rule)
    ctx.update("networksecuritygroup", nsg["id"], {"_rules": list(have.values())})
    return {"securityRules": updated}


@svc.op("remove_network_security_group_security_rules")
def remove_nsg_rules(ctx: Context):
    nsg = _path_doc(ctx, "networksecuritygroup", "network security group", write=True)
    _ready(nsg, "network security group")
    ids = (ctx.body or {}).get("securityRuleIds") or []
    have = nsg.get("_rules") or []
    unknown = [i for i in ids if i not in {r["id"] for r in have}]
    if unknown:
        raise invalid(f"securityRuleIds: the network security group has no security rule(s) {', '.join(unknown)}")
    ctx.update("networksecuritygroup", nsg["id"], {"_rules": [r for r in have if r["id"] not in ids]})
    return None


@svc.op("list_network_security_group_vnics")
def list_nsg_vnics(ctx: Context):
    nsg = _path_doc(ctx, "networksecuritygroup", "network security group")
    out = []
    for v in _nsg_users(ctx, nsg["id"]):
        att = next((a for a in ctx.store.by_field("vnicattachment", "vnicId", v["id"])
                    if a.get("lifecycleState") in ("ATTACHING", "ATTACHED")), None)
        item = {"vnicId": v["id"], "timeAssociated": (v.get("_nsgSince") or {}).get(nsg["id"], v.get("timeCreated"))}
        if att is not None:
            item["resourceId"] = att["instanceId"]
        out.append(item)
    return out


# ---------------------------------------------------------------- VNICs

def _check_hostname(ctx: Context, label, subnet: dict, exclude_vnic: str | None) -> str:
    if not isinstance(label, str) or not _HOST_RE.match(label):
        raise invalid(f"hostnameLabel '{str(label)[:70]}' must be 1-63 letters, digits or hyphens, not starting or "
                      "ending with a hyphen (RFC 952 and RFC 1123)")
    if not subnet.get("dnsLabel"):
        raise invalid("hostnameLabel: the subnet has no DNS label, so its VNICs cannot have host names")
    for p in ctx.store.by_field("privateip", "subnetId", subnet["id"]):
        if (p.get("hostnameLabel") or "").lower() == label.lower() and p.get("vnicId") != exclude_vnic:
            raise conflict(f"hostnameLabel '{label}' is already used in subnet {subnet.get('displayName')}")
    return label.lower()


@svc.op("update_vnic")
def update_vnic(ctx: Context):
    vnic = ctx.get_for_write("vnic", ctx.path["vnicId"], "VNIC")
    _ready(vnic, "VNIC")
    b = ctx.body or {}
    subnet = ctx.get("subnet", vnic["subnetId"], "subnet")
    changes: dict = {}
    if b.get("displayName") is not None:
        changes["displayName"] = check_name(b["displayName"])
    if b.get("nsgIds") is not None:
        ids = check_nsg_ids(ctx, b["nsgIds"], subnet["vcnId"])
        since = {k: v for k, v in (vnic.get("_nsgSince") or {}).items() if k in ids}
        for n in ids:
            since.setdefault(n, ctx.ts())
        changes.update(nsgIds=ids, _nsgSince=since)
    if b.get("skipSourceDestCheck") is not None:
        changes["skipSourceDestCheck"] = bool(b["skipSourceDestCheck"])
    if b.get("routeTableId") is not None:
        rt = ctx.find("routetable", b["routeTableId"])
        if rt is None or rt["vcnId"] != subnet["vcnId"] or not _live(rt):
            raise invalid(f"routeTableId {b['routeTableId']} is not a route table of the VNIC's VCN")
        changes["routeTableId"] = rt["id"]
    if b.get("hostnameLabel") is not None:
        changes["hostnameLabel"] = _check_hostname(ctx, b["hostnameLabel"], subnet, vnic["id"])
        for p in ctx.store.by_field("privateip", "vnicId", vnic["id"]):
            if p.get("isPrimary"):
                ctx.update("privateip", p["id"], {"hostnameLabel": changes["hostnameLabel"]})
    changes.update(ctx.tags(b))
    return ctx.update("vnic", vnic["id"], changes)


# ---------------------------------------------------------------- service gateways

def _sgw_services(ctx: Context, items) -> list[dict]:
    out = []
    for i, s in enumerate(items or []):
        svc_doc = _service(ctx, (s or {}).get("serviceId"), f"services[{i}].serviceId")
        if all(o["serviceId"] != svc_doc["id"] for o in out):
            out.append({"serviceId": svc_doc["id"], "serviceName": svc_doc["name"]})
    return out


def _vcn_route_table(ctx: Context, rt_id, vcn_id: str, field: str = "routeTableId") -> str | None:
    if rt_id is None:
        return None
    rt = ctx.find("routetable", rt_id)
    if rt is None or not _live(rt):
        raise ApiError(404, "NotAuthorizedOrNotFound", f"{field}: the route table {str(rt_id)[:120]} does not exist")
    if rt["vcnId"] != vcn_id:
        raise invalid(f"{field}: the route table {rt_id} belongs to another VCN")
    return rt["id"]


def _sgw_check(ctx: Context, body: dict, existing: dict | None) -> dict:
    out: dict = {}
    vcn_id = existing["vcnId"] if existing else body.get("vcnId")
    if body.get("services") is not None or existing is None:
        if existing is None and body.get("services") is None:
            raise ApiError(400, "MissingParameter", "services is required (it may be an empty list)")
        out["services"] = _sgw_services(ctx, body.get("services"))
    if body.get("routeTableId") is not None:
        out["routeTableId"] = _vcn_route_table(ctx, body["routeTableId"], vcn_id)
    if existing is None:
        if any(_live(g) for g in ctx.store.by_field("servicegateway", "vcnId", vcn_id)):
            raise conflict("A VCN can have only one service gateway")
        out["blockTraffic"] = False
    return out


def _not_a_route_target(ctx: Context, doc: dict, what: str) -> None:
    refs = _referenced_by_routes(ctx, doc["id"])
    if refs:
        raise conflict(f"The {what} is the target of route rules in: {', '.join(refs)}; remove those rules first")


SGW = svc.resource(Kind("servicegateway", "ServiceGateway", "service gateway", parent=("vcnId", "vcn"),
                        validate=_sgw_check, default_name="servicegateway",
                        check_delete=lambda ctx, d: _not_a_route_target(ctx, d, "service gateway"),
                        search="ServiceGateway"))


def _sgw_service_change(ctx: Context, attach: bool):
    sgw = _path_doc(ctx, "servicegateway", "service gateway", write=True)
    _ready(sgw, "service gateway")
    s = _service(ctx, (ctx.body or {}).get("serviceId"))
    have = [x for x in sgw.get("services") or [] if x["serviceId"] != s["id"]]
    if attach:
        have.append({"serviceId": s["id"], "serviceName": s["name"]})
    elif len(have) == len(sgw.get("services") or []):
        raise invalid(f"serviceId: {s['name']} is not enabled on this service gateway")
    return ctx.update("servicegateway", sgw["id"], {"services": have})


@svc.op("attach_service_id")
def attach_service_id(ctx: Context):
    return SGW.public(_sgw_service_change(ctx, True))


@svc.op("detach_service_id")
def detach_service_id(ctx: Context):
    return SGW.public(_sgw_service_change(ctx, False))


# ---------------------------------------------------------------- DRGs

def _drg_defaults(ctx: Context, drg: dict) -> dict:
    """What OCI creates with a DRG: two import distributions, an export distribution, two route tables."""
    made = {}
    for key, name, criteria in (
            ("all", "Autogenerated Import Route Distribution for ALL routes", [{"matchType": "MATCH_ALL"}]),
            ("vcn", "Autogenerated Import Route Distribution for VCN Routes",
             [{"matchType": "DRG_ATTACHMENT_TYPE", "attachmentType": "VCN"}])):
        made[key] = _provision(ctx, "drgroutedistribution", {
            "id": ctx.new_id("drgroutedistribution"), "compartmentId": drg["compartmentId"], "drgId": drg["id"],
            "displayName": name, "distributionType": "IMPORT",
            "_statements": [{"id": _rid([]), "action": "ACCEPT", "priority": 1, "matchCriteria": criteria}]})
    export = _provision(ctx, "drgroutedistribution", {
        "id": ctx.new_id("drgroutedistribution"), "compartmentId": drg["compartmentId"], "drgId": drg["id"],
        "displayName": "Autogenerated Drg Route Distribution for ALL routes", "distributionType": "EXPORT",
        "_statements": [{"id": _rid([]), "action": "ACCEPT", "priority": 1, "matchCriteria": []}]})
    tables = {}
    for key, name, dist in (("vcn", "Autogenerated Drg Route Table for VCN attachments", made["all"]),
                            ("other", "Autogenerated Drg Route Table for RPC, VC, and IPSec attachments",
                             made["vcn"])):
        tables[key] = _provision(ctx, "drgroutetable", {
            "id": ctx.new_id("drgroutetable"), "compartmentId": drg["compartmentId"], "drgId": drg["id"],
            "displayName": name, "importDrgRouteDistributionId": dist["id"], "isEcmpEnabled": False, "_rules": []})
    return ctx.update("drg", drg["id"], {
        "defaultDrgRouteTables": {"vcn": tables["vcn"]["id"], "ipsecTunnel": tables["other"]["id"],
                                  "virtualCircuit": tables["other"]["id"],
                                  "remotePeeringConnection": tables["other"]["id"]},
        "defaultExportDrgRouteDistributionId": export["id"], "_upgradeStatus": "UPGRADED"})


def _drg_check(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is None or body.get("defaultDrgRouteTables") is None:
        return {}
    if existing.get("_upgradeStatus") == "NOT_UPGRADED":
        raise incorrect_state("The DRG has not been upgraded: it has no DRG route tables (upgrade it first)")
    out = dict(existing.get("defaultDrgRouteTables") or {})
    for k, v in body["defaultDrgRouteTables"].items():
        if v is None:
            continue
        t = DRG_RT.find_live(ctx, "drgroutetable", v, f"defaultDrgRouteTables.{k}")
        if t["drgId"] != existing["id"]:
            raise invalid(f"defaultDrgRouteTables.{k}: the DRG route table {v} belongs to another DRG")
        out[k] = t["id"]
    return {"defaultDrgRouteTables": out}


def _live_attachments(ctx: Context, drg_id: str) -> list[dict]:
    return [a for a in ctx.store.by_field("drgattachment", "drgId", drg_id)
            if a.get("lifecycleState") in ("ATTACHING", "ATTACHED")]


def _drg_in_use(ctx: Context, drg: dict) -> None:
    atts = _live_attachments(ctx, drg["id"])
    if atts:
        raise conflict(f"The DRG {drg['displayName']} still has {len(atts)} attachment(s) "
                       f"({', '.join(a['displayName'] for a in atts[:3])}); delete them first")
    _not_a_route_target(ctx, drg, "DRG")


def _drg_deleted(ctx: Context, drg: dict) -> None:
    for kind in ("drgroutetable", "drgroutedistribution"):
        for d in ctx.store.by_field(kind, "drgId", drg["id"]):
            if _live(d):
                _terminate(ctx, kind, d)


DRG = svc.resource(Kind("drg", "Drg", "DRG", validate=_drg_check, on_create=_drg_defaults,
                        check_delete=_drg_in_use, on_delete=_drg_deleted, search="Drg"))


def _drg_compartment(ctx: Context, body: dict, existing: dict | None) -> dict:
    return {} if existing else {"compartmentId": ctx.get("drg", body["drgId"], "DRG")["compartmentId"]}


def _drg_distribution(ctx: Context, drg_id: str, ident, field: str, dtype: str) -> str:
    d = DRG_RD.find_live(ctx, "drgroutedistribution", ident, field)
    if d["drgId"] != drg_id:
        raise invalid(f"{field}: the route distribution {ident} belongs to another DRG")
    if d["distributionType"] != dtype:
        raise invalid(f"{field}: the route distribution {d['displayName']} is an {d['distributionType']} "
                      f"distribution; an {dtype} one is needed")
    return d["id"]


def _drg_table(ctx: Context, drg_id: str, ident, field: str) -> str:
    t = DRG_RT.find_live(ctx, "drgroutetable", ident, field)
    if t["drgId"] != drg_id:
        raise invalid(f"{field}: the DRG route table {ident} belongs to another DRG")
    return t["id"]


# ---------------------------------------------------------------- DRG attachments

_ATTACHMENT_TYPES = {"VCN", "VIRTUAL_CIRCUIT", "REMOTE_PEERING_CONNECTION", "IPSEC_TUNNEL", "LOOPBACK"}


def _attachment_check(ctx: Context, body: dict, existing: dict | None) -> dict:
    drg = ctx.get("drg", existing["drgId"] if existing else body["drgId"], "DRG")
    nd = body.get("networkDetails") or {}
    out: dict = {}
    if existing is None:
        if nd and nd.get("type") != "VCN":
            raise invalid(f"networkDetails.type {nd.get('type')}: only VCN attachments are created directly (the "
                          "others come with their virtual circuit, IPSec connection or RPC)")
        vcn_id = nd.get("id") or body.get("vcnId")
        if body.get("vcnId") and nd.get("id") and body["vcnId"] != nd["id"]:
            raise invalid("vcnId and networkDetails.id name different VCNs")
        ctx.require(vcn_id, "networkDetails.id")
        vcn = DRG.find_live(ctx, "vcn", vcn_id, "networkDetails.id")
        for a in ctx.store.by_field("drgattachment", "vcnId", vcn["id"]):
            if a.get("lifecycleState") in ("ATTACHING", "ATTACHED"):
                raise conflict(f"The VCN {vcn['displayName']} is already attached to a DRG ({a['drgId']}); a VCN "
                               "can be attached to only one DRG at a time")
        rt = _vcn_route_table(ctx, nd.get("routeTableId") or body.get("routeTableId"), vcn["id"])
        route_type = nd.get("vcnRouteType") or "SUBNET_CIDRS"
        if route_type not in ("VCN_CIDRS", "SUBNET_CIDRS"):
            raise invalid("networkDetails.vcnRouteType must be VCN_CIDRS or SUBNET_CIDRS")
        defaults = drg.get("defaultDrgRouteTables") or {}
        table = body.get("drgRouteTableId")
        out.update(compartmentId=drg["compartmentId"], vcnId=vcn["id"], routeTableId=rt, isCrossTenancy=False,
                   networkDetails={"type": "VCN", "id": vcn["id"], "routeTableId": rt, "vcnRouteType": route_type},
                   drgRouteTableId=_drg_table(ctx, drg["id"], table, "drgRouteTableId") if table
                   else defaults.get("vcn"),
                   exportDrgRouteDistributionId=drg.get("defaultExportDrgRouteDistributionId"))
        return {k: v for k, v in out.items() if v is not None}
    if body.get("drgRouteTableId") is not None:
        out["drgRouteTableId"] = _drg_table(ctx, drg["id"], body["drgRouteTableId"], "drgRouteTableId")
    if body.get("exportDrgRouteDistributionId") is not None:
        out["exportDrgRouteDistributionId"] = _drg_distribution(
            ctx, drg["id"], body["exportDrgRouteDistributionId"], "exportDrgRouteDistributionId", "EXPORT")
    details = dict(existing.get("networkDetails") or {})
    rt = nd.get("routeTableId") or body.get("routeTableId")
    if rt is not None:
        if details.get("type") != "VCN":
            raise invalid("routeTableId: only a VCN attachment has a VCN route table")
        details["routeTableId"] = out["routeTableId"] = _vcn_route_table(ctx, rt, existing["vcnId"])
    if nd.get("vcnRouteType") is not None:
        if nd["vcnRouteType"] not in ("VCN_CIDRS", "SUBNET_CIDRS"):
            raise invalid("networkDetails.vcnRouteType must be VCN_CIDRS or SUBNET_CIDRS")
        details["vcnRouteType"] = nd["vcnRouteType"]
    out["networkDetails"] = details
    return out


def _attachment_type(d: dict, want) -> bool:
    return want == "ALL" or (d.get("networkDetails") or {}).get("type") == want


DRG_ATTACHMENT = svc.resource(Kind(
    "drgattachment", "DrgAttachment", "DRG attachment", compartment=False, parent=("drgId", "drg"),
    lifecycle=ATTACHMENT_LC, validate=_attachment_check, default_name="drgattachment",
    extra_list_filters={"compartmentId": lambda d, v: d.get("compartmentId") == v,
                        "attachmentType": _attachment_type,
                        "networkId": lambda d, v: (d.get("networkDetails") or {}).get("id") == v}))


@svc.op("get_all_drg_attachments")
def get_all_drg_attachments(ctx: Context):
    drg = _path_doc(ctx, "drg", "DRG")
    want = ctx.query.get("attachmentType") or "ALL"
    cross = ctx.query.get("isCrossTenancy")
    return [{"id": a["id"]} for a in sorted(_live_attachments(ctx, drg["id"]), key=lambda a: a["timeCreated"])
            if _attachment_type(a, want) and (cross is None or bool(a.get("isCrossTenancy")) == cross)]


@svc.op("remove_export_drg_route_distribution")
def remove_export_drg_route_distribution(ctx: Context):
    att = _path_doc(ctx, "drgattachment", "DRG attachment", write=True)
    _ready(att, "DRG attachment", "ATTACHED")
    return DRG_ATTACHMENT.public(ctx.update("drgattachment", att["id"], {"exportDrgRouteDistributionId": None}))


@svc.op("get_drg_redundancy_status")
def get_drg_redundancy_status(ctx: Context):
    drg = _path_doc(ctx, "drg", "DRG")
    ipsec = [c for c in ctx.store.by_field("ipsecconnection", "drgId", drg["id"]) if _live(c)]
    circuits = [c for c in ctx.store.by_field("virtualcircuit", "gatewayId", drg["id"])
                if c.get("lifecycleState") in ("PENDING_PROVIDER", "VERIFYING", "PROVISIONING", "PROVISIONED")]
    if not ipsec and not circuits:
        status = "NOT_REDUNDANT_NO_CONNECTION"
    elif ipsec and circuits:
        status = "REDUNDANT" if len(ipsec) + len(circuits) > 1 else "NOT_REDUNDANT_MIX_CONNECTIONS"
    elif ipsec:
        status = "NOT_REDUNDANT_SINGLE_IPSEC" if len(ipsec) == 1 else "NOT_REDUNDANT_MULTIPLE_IPSECS"
    else:
        status = "NOT_REDUNDANT_SINGLE_VIRTUALCIRCUIT" if len(circuits) == 1 \
            else "NOT_REDUNDANT_MULTIPLE_VIRTUALCIRCUITS"
    return {"id": drg["id"], "status": status}


@svc.op("get_upgrade_status")
def get_upgrade_status(ctx: Context):
    drg = _path_doc(ctx, "drg", "DRG")
    status = drg.get("_upgradeStatus") or "UPGRADED"
    done = len(_live_attachments(ctx, drg["id"])) if status == "UPGRADED" else 0
    return {"drgId": drg["id"], "status": status, "upgradedConnections": str(done)}


@svc.op("upgrade_drg")
def upgrade_drg(ctx: Context):
    drg = _path_doc(ctx, "drg", "DRG", write=True)
    _ready(drg, "DRG")
    if (drg.get("_upgradeStatus") or "UPGRADED") != "NOT_UPGRADED":
        raise incorrect_state(f"The DRG {drg['displayName']} is already {drg.get('_upgradeStatus') or 'UPGRADED'}")
    from . import workrequests
    wr = workrequests.start(ctx, "iaas", "UPGRADE_DRG", drg["compartmentId"], [
        {"entityType": "drg", "actionType": "UPDATED", "identifier": drg["id"], "entityUri": ctx.op.path}])
    drg = _drg_defaults(ctx, drg)
    for a in _live_attachments(ctx, drg["id"]):
        if a.get("vcnId") and not a.get("drgRouteTableId"):
            ctx.update("drgattachment", a["id"], {"drgRouteTableId": drg["defaultDrgRouteTables"]["vcn"],
                                                  "exportDrgRouteDistributionId":
                                                      drg["defaultExportDrgRouteDistributionId"]})
    ctx.update("drg", drg["id"], {"_upgradeStatus": "IN_PROGRESS"})
    ctx.schedule("drg", drg["id"], {"_upgradeStatus": "UPGRADED"}, steps=1, hook="engine.settled",
                 args={"wr": wr["id"]})
    return None


# ---------------------------------------------------------------- DRG route tables and rules

def _table_check(ctx: Context, body: dict, existing: dict | None) -> dict:
    drg = ctx.get("drg", existing["drgId"] if existing else body["drgId"], "DRG")
    if existing is None and drg.get("_upgradeStatus") == "NOT_UPGRADED":
        raise incorrect_state("The DRG has not been upgraded: upgrade it before creating DRG route tables")
    out = _drg_compartment(ctx, body, existing)
    if body.get("importDrgRouteDistributionId") is not None:
        out["importDrgRouteDistributionId"] = _drg_distribution(
            ctx, drg["id"], body["importDrgRouteDistributionId"], "importDrgRouteDistributionId", "IMPORT")
    if existing is None:
        out.update(isEcmpEnabled=bool(body.get("isEcmpEnabled", False)), _rules=[])
    return out


def _table_in_use(ctx: Context, t: dict) -> None:
    users = [a["displayName"] for a in _live_attachments(ctx, t["drgId"]) if a.get("drgRouteTableId") == t["id"]]
    if users:
        raise conflict(f"The DRG route table {t['displayName']} is used by attachment(s): {', '.join(users)}")
    drg = ctx.find("drg", t["drgId"])
    if drg is not None and t["id"] in (drg.get("defaultDrgRouteTables") or {}).values():
        raise conflict(f"The DRG route table {t['displayName']} is a default route table of its DRG; make another "
                       "table the default first")


DRG_RT = svc.resource(Kind("drgroutetable", "DrgRouteTable", "DRG route table", compartment=False,
                           parent=("drgId", "drg"), validate=_table_check, check_delete=_table_in_use,
                           default_name="drgroutetable"))


def _static_rule(ctx: Context, table: dict, r: dict, i: int) -> dict:
    where = f"routeRules[{i}]"
    if (r.get("destinationType") or "CIDR_BLOCK") != "CIDR_BLOCK":
        raise invalid(f"{where}.destinationType must be CIDR_BLOCK")
    ctx.require(r.get("destination"), f"{where}.destination")
    _any_cidr(r["destination"], f"{where}.destination")
    ctx.require(r.get("nextHopDrgAttachmentId"), f"{where}.nextHopDrgAttachmentId")
    att = DRG_ATTACHMENT.find_live(ctx, "drgattachment", r["nextHopDrgAttachmentId"], f"{where}.nextHopDrgAttachmentId")
    if att["drgId"] != table["drgId"]:
        raise invalid(f"{where}.nextHopDrgAttachmentId: the attachment belongs to another DRG")
    return {"destination": r["destination"], "destinationType": "CIDR_BLOCK", "nextHopDrgAttachmentId": att["id"],
            "routeType": "STATIC", "routeProvenance": "STATIC", "isConflict": False, "isBlackhole": False}


def _accepts(ctx: Context, dist: dict | None, att: dict) -> bool:
    if dist is None or not _live(dist):
        return False
    for st in dist.get("_statements") or []:
        crit = st.get("matchCriteria") or []
        if not crit:
            return True
        for c in crit:
            if c["matchType"] == "MATCH_ALL" or (
                    c["matchType"] == "DRG_ATTACHMENT_TYPE" and c.get("attachmentType") ==
                    (att.get("networkDetails") or {}).get("type")) or (
                    c["matchType"] == "DRG_ATTACHMENT_ID" and c.get("drgAttachmentId") == att["id"]):
                return True
    return False


def _dynamic_rules(ctx: Context, table: dict) -> list[dict]:
    """The routes a DRG route table imports: the CIDRs of the VCNs whose attachments its import
    distribution accepts (and that export them), as OCI shows them (routeType DYNAMIC)."""
    dist = ctx.find("drgroutedistribution", table.get("importDrgRouteDistributionId") or "")
    out = []
    for att in _live_attachments(ctx, table["drgId"]):
        if att.get("lifecycleState") != "ATTACHED" or not att.get("vcnId") or not _accepts(ctx, dist, att):
            continue
        export = ctx.find("drgroutedistribution", att.get("exportDrgRouteDistributionId") or "")
        if export is None:
            continue
        vcn = ctx.find("vcn", att["vcnId"])
        if vcn is None:
            continue
        if (att.get("networkDetails") or {}).get("vcnRouteType") == "VCN_CIDRS":
            cidrs = list(vcn.get("cidrBlocks") or [vcn["cidrBlock"]])
        else:
            cidrs = [s["cidrBlock"] for s in _children(ctx, "subnet", vcn["id"])]
        statics = {r["destination"] for r in table.get("_rules") or []}
        for c in cidrs:
            out.append({"id": f"{att['id'][-6:].upper()}{c}", "destination": c, "destinationType": "CIDR_BLOCK",
                        "nextHopDrgAttachmentId": att["id"], "routeType": "DYNAMIC", "routeProvenance": "VCN",
                        "isConflict": c in statics, "isBlackhole": False})
    return out


@svc.op("list_drg_route_rules")
def list_drg_route_rules(ctx: Context):
    t = _path_doc(ctx, "drgroutetable", "DRG route table")
    rules = [dict(r) for r in t.get("_rules") or []] + _dynamic_rules(ctx, t)
    if ctx.query.get("routeType"):
        rules = [r for r in rules if r["routeType"] == ctx.query["routeType"]]
    return rules


@svc.op("add_drg_route_rules")
def add_drg_route_rules(ctx: Context):
    t = _path_doc(ctx, "drgroutetable", "DRG route table", write=True)
    _ready(t, "DRG route table")
    have = t.get("_rules") or []
    new = (ctx.body or {}).get("routeRules") or []
    if len(have) + len(new) > DRG_STATIC_RULES_MAX:
        raise ApiError(400, "LimitExceeded", f"A DRG route table can have at most {DRG_STATIC_RULES_MAX} static "
                       "route rules")
    added = []
    for i, r in enumerate(new):
        rule = _static_rule(ctx, t, r, i)
        if any(x["destination"] == rule["destination"] for x in have + added):
            raise conflict(f"routeRules[{i}]: the table already has a static rule for {rule['destination']}")
        rule["id"] = _rid([x["id"] for x in have + added])
        added.append(rule)
    ctx.update("drgroutetable", t["id"], {"_rules": have + added})
    return added


@svc.op("update_drg_route_rules")
def update_drg_route_rules(ctx: Context):
    t = _path_doc(ctx, "drgroutetable", "DRG route table", write=True)
    _ready(t, "DRG route table")
    have = {r["id"]: r for r in t.get("_rules") or []}
    out = []
    for i, r in enumerate((ctx.body or {}).get("routeRules") or []):
        if r.get("id") not in have:
            raise invalid(f"routeRules[{i}].id: the table has no static route rule '{str(r.get('id'))[:20]}'")
        merged = dict(have[r["id"]])
        merged.update({k: v for k, v in r.items() if v is not None})
        rule = _static_rule(ctx, t, merged, i)
        rule["id"] = r["id"]
        have[r["id"]] = rule
        out.append(rule)
    ctx.update("drgroutetable", t["id"], {"_rules": list(have.values())})
    return out


@svc.op("remove_drg_route_rules")
def remove_drg_route_rules(ctx: Context):
    t = _path_doc(ctx, "drgroutetable", "DRG route table", write=True)
    _ready(t, "DRG route table")
    ids = (ctx.body or {}).get("routeRuleIds") or []
    have = t.get("_rules") or []
    unknown = [i for i in ids if i not in {r["id"] for r in have}]
    if unknown:
        raise invalid(f"routeRuleIds: no static route rule(s) {', '.join(unknown)} in this table (dynamic routes "
                      "come from the import distribution and cannot be removed)")
    ctx.update("drgroutetable", t["id"], {"_rules": [r for r in have if r["id"] not in ids]})
    return None


@svc.op("remove_import_drg_route_distribution")
def remove_import_drg_route_distribution(ctx: Context):
    t = _path_doc(ctx, "drgroutetable", "DRG route table", write=True)
    _ready(t, "DRG route table")
    return DRG_RT.public(ctx.update("drgroutetable", t["id"], {"importDrgRouteDistributionId": None}))


# ---------------------------------------------------------------- DRG route distributions and statements

def _distribution_check(ctx: Context, body: dict, existing: dict | None) -> dict:
    out = _drg_compartment(ctx, body, existing)
    if existing is None:
        if ctx.get("drg", body["drgId"], "DRG").get("_upgradeStatus") == "NOT_UPGRADED":
            raise incorrect_state("The DRG has not been upgraded: upgrade it before creating route distributions")
        out.update(distributionType=body.get("distributionType") or "IMPORT", _statements=[])
    return out


def _distribution_in_use(ctx: Context, d: dict) -> None:
    users = [t["displayName"] for t in ctx.store.by_field("drgroutetable", "importDrgRouteDistributionId", d["id"])
             if _live(t)]
    users += [a["displayName"] for a in _live_attachments(ctx, d["drgId"])
              if a.get("exportDrgRouteDistributionId") == d["id"]]
    if users:
        raise conflict(f"The route distribution {d['displayName']} is in use by: {', '.join(users[:5])}")


DRG_RD = svc.resource(Kind("drgroutedistribution", "DrgRouteDistribution", "DRG route distribution",
                           compartment=False, parent=("drgId", "drg"), validate=_distribution_check,
                           check_delete=_distribution_in_use, default_name="drgroutedistribution"))


def _statement(ctx: Context, dist: dict, s: dict, i: int) -> dict:
    where = f"statements[{i}]"
    if (s.get("action") or "ACCEPT") != "ACCEPT":
        raise invalid(f"{where}.action must be ACCEPT")
    prio = s.get("priority")
    if not isinstance(prio, int) or not 0 <= prio <= 65535:
        raise invalid(f"{where}.priority must be a whole number 0-65535")
    crit = []
    for j, c in enumerate(s.get("matchCriteria") or []):
        mt = c.get("matchType")
        if mt == "DRG_ATTACHMENT_TYPE":
            if c.get("attachmentType") not in _ATTACHMENT_TYPES - {"LOOPBACK"}:
                raise invalid(f"{where}.matchCriteria[{j}].attachmentType must be VCN, VIRTUAL_CIRCUIT, "
                              "REMOTE_PEERING_CONNECTION or IPSEC_TUNNEL")
            crit.append({"matchType": mt, "attachmentType": c["attachmentType"]})
        elif mt == "DRG_ATTACHMENT_ID":
            att = DRG_ATTACHMENT.find_live(ctx, "drgattachment", c.get("drgAttachmentId"),
                                           f"{where}.matchCriteria[{j}].drgAttachmentId")
            if att["drgId"] != dist["drgId"]:
                raise invalid(f"{where}.matchCriteria[{j}].drgAttachmentId: the attachment belongs to another DRG")
            crit.append({"matchType": mt, "drgAttachmentId": att["id"]})
        elif mt == "MATCH_ALL":
            crit.append({"matchType": mt})
        else:
            raise invalid(f"{where}.matchCriteria[{j}].matchType must be DRG_ATTACHMENT_TYPE, DRG_ATTACHMENT_ID or "
                          "MATCH_ALL")
    if dist["distributionType"] == "EXPORT" and crit:
        raise invalid(f"{where}.matchCriteria: an export distribution's statements match everything (leave it "
                      "empty)")
    return {"action": "ACCEPT", "priority": prio, "matchCriteria": crit}


def _check_priorities(statements: list[dict]) -> None:
    seen = set()
    for s in statements:
        if s["priority"] in seen:
            raise conflict(f"Two statements of the route distribution have priority {s['priority']}; priorities "
                           "must be unique")
        seen.add(s["priority"])


@svc.op("add_drg_route_distribution_statements")
def add_drg_route_distribution_statements(ctx: Context):
    d = _path_doc(ctx, "drgroutedistribution", "DRG route distribution", write=True)
    _ready(d, "DRG route distribution")
    have = d.get("_statements") or []
    added = []
    for i, s in enumerate((ctx.body or {}).get("statements") or []):
        st = _statement(ctx, d, s, i)
        st["id"] = _rid([x["id"] for x in have + added])
        added.append(st)
    _check_priorities(have + added)
    ctx.update("drgroutedistribution", d["id"], {"_statements": have + added})
    return added


@svc.op("list_drg_route_distribution_statements")
def list_drg_route_distribution_statements(ctx: Context):
    d = _path_doc(ctx, "drgroutedistribution", "DRG route distribution")
    return sorted((dict(s) for s in d.get("_statements") or []), key=lambda s: s["priority"])


@svc.op("update_drg_route_distribution_statements")
def update_drg_route_distribution_statements(ctx: Context):
    d = _path_doc(ctx, "drgroutedistribution", "DRG route distribution", write=True)
    _ready(d, "DRG route distribution")
    have = {s["id"]: s for s in d.get("_statements") or []}
    out = []
    for i, s in enumerate((ctx.body or {}).get("statements") or []):
        if s.get("id") not in have:
            raise invalid(f"statements[{i}].id: the distribution has no statement '{str(s.get('id'))[:20]}'")
        merged = dict(have[s["id"]])
        merged.update({k: v for k, v in s.items() if v is not None})
        st = _statement(ctx, d, merged, i)
        st["id"] = s["id"]
        have[s["id"]] = st
        out.append(st)
    _check_priorities(list(have.values()))
    ctx.update("drgroutedistribution", d["id"], {"_statements": list(have.values())})
    return out


@svc.op("remove_drg_route_distribution_statements")
def remove_drg_route_distribution_statements(ctx: Context):
    d = _path_doc(ctx, "drgroutedistribution", "DRG route distribution", write=True)
    _ready(d, "DRG route distribution")
    ids = (ctx.body or {}).get("statementIds") or []
    have = d.get("_statements") or []
    unknown = [i for i in ids if i not in {s["id"] for s in have}]
    if unknown:
        raise invalid(f"statementIds: the distribution has no statement(s) {', '.join(unknown)}")
    ctx.update("drgroutedistribution", d["id"], {"_statements": [s for s in have if s["id"] not in ids]})
    return None


# ---------------------------------------------------------------- local peering gateways

def _lpg_check(ctx: Context, body: dict, existing: dict | None) -> dict:
    vcn_id = existing["vcnId"] if existing else body["vcnId"]
    out: dict = {}
    if body.get("routeTableId") is not None:
        out["routeTableId"] = _vcn_route_table(ctx, body["routeTableId"], vcn_id)
    if existing is None:
        n = sum(1 for g in ctx.store.by_field("localpeeringgateway", "vcnId", vcn_id) if _live(g))
        if n >= LPGS_PER_VCN:
            raise ApiError(400, "LimitExceeded", f"A VCN can have at most {LPGS_PER_VCN} local peering gateways")
        out.update(peeringStatus="NEW", peeringStatusDetails="Not connected to a peer.", isCrossTenancyPeering=False)
    return out


def _lpg_in_use(ctx: Context, lpg: dict) -> None:
    _not_a_route_target(ctx, lpg, "local peering gateway")


def _lpg_deleted(ctx: Context, lpg: dict) -> None:
    peer = ctx.find("localpeeringgateway", lpg.get("peerId") or "")
    if peer is not None and peer.get("peerId") == lpg["id"]:
        ctx.update("localpeeringgateway", peer["id"], {
            "peeringStatus": "REVOKED", "peeringStatusDetails": "The peer local peering gateway was deleted."})


LPG = svc.resource(Kind("localpeeringgateway", "LocalPeeringGateway", "local peering gateway",
                        parent=("vcnId", "vcn"), validate=_lpg_check, check_delete=_lpg_in_use,
                        on_delete=_lpg_deleted, default_name="localpeeringgateway", search="LocalPeeringGateway"))


@svc.op("connect_local_peering_gateways")
def connect_local_peering_gateways(ctx: Context):
    lpg = _path_doc(ctx, "localpeeringgateway", "local peering gateway", write=True)
    _ready(lpg, "local peering gateway")
    peer_id = ctx.require((ctx.body or {}).get("peerId"), "peerId")
    if peer_id == lpg["id"]:
        raise invalid("peerId: a local peering gateway cannot peer with itself")
    peer = ctx.store.get("localpeeringgateway", peer_id)
    if peer is None:
        raise not_found("local peering gateway", peer_id)
    if peer.get("_region") != ctx.region:
        raise invalid(f"peerId: the local peering gateway is in {peer.get('_region')}; local peering connects two "
                      f"VCNs of the same region ({ctx.region}); use remote peering across regions")
    _ready(peer, "peer local peering gateway")
    for g in (lpg, peer):
        if g.get("peeringStatus") != "NEW":
            raise incorrect_state(f"The local peering gateway {g['displayName']} is {g.get('peeringStatus')}; only "
                                  "a NEW one (never connected) can be connected")
    if peer["vcnId"] == lpg["vcnId"]:
        raise invalid("peerId: both local peering gateways are in the same VCN")
    mine, theirs = ctx.get("vcn", lpg["vcnId"]), ctx.get("vcn", peer["vcnId"])
    for a in mine.get("cidrBlocks") or [mine["cidrBlock"]]:
        for b in theirs.get("cidrBlocks") or [theirs["cidrBlock"]]:
            if ipaddress.ip_network(a).overlaps(ipaddress.ip_network(b)):
                raise invalid(f"The VCNs' CIDR blocks overlap ({a} and {b}); peered VCNs must not overlap")
    for g, other in ((lpg, theirs), (peer, mine)):
        ctx.update("localpeeringgateway", g["id"], {
            "peeringStatus": "PEERED", "peeringStatusDetails": "Connected to a peer.",
            "peerId": peer["id"] if g is lpg else lpg["id"], "peerAdvertisedCidr": other["cidrBlock"],
            "peerAdvertisedCidrDetails": list(other.get("cidrBlocks") or [other["cidrBlock"]])})
    return None


# ---------------------------------------------------------------- remote peering connections

def _rpc_check(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is not None:
        return {}
    drg = ctx.get("drg", body["drgId"], "DRG")
    if drg.get("_upgradeStatus") == "NOT_UPGRADED":
        raise incorrect_state("The DRG has not been upgraded: upgrade it before adding remote peering connections")
    return {"peeringStatus": "NEW", "isCrossTenancyPeering": False}


def _rpc_created(ctx: Context, rpc: dict) -> None:
    """An RPC comes with its DRG attachment (type REMOTE_PEERING_CONNECTION), as in OCI."""
    drg = ctx.get("drg", rpc["drgId"], "DRG")
    _provision_attachment(ctx, drg, {"type": "REMOTE_PEERING_CONNECTION", "id": rpc["id"]},
                          (drg.get("defaultDrgRouteTables") or {}).get("remotePeeringConnection"),
                          f"{rpc['displayName']} attachment")


def _provision_attachment(ctx: Context, drg: dict, details: dict, table: str | None, name: str) -> dict:
    doc = {"id": ctx.new_id("drgattachment"), "compartmentId": drg["compartmentId"], "drgId": drg["id"],
           "displayName": name, "networkDetails": details, "isCrossTenancy": False, "lifecycleState": "ATTACHING",
           "exportDrgRouteDistributionId": drg.get("defaultExportDrgRouteDistributionId")}
    if table:
        doc["drgRouteTableId"] = table
    doc = _provision(ctx, "drgattachment", {k: v for k, v in doc.items() if v is not None})
    ctx.schedule("drgattachment", doc["id"], {"lifecycleState": "ATTACHED"}, steps=1, when_state="ATTACHING")
    return doc


def _rpc_deleted(ctx: Context, rpc: dict) -> None:
    for a in ctx.list("drgattachment"):
        if (a.get("networkDetails") or {}).get("id") == rpc["id"] and a.get("lifecycleState") in ("ATTACHING",
                                                                                                   "ATTACHED"):
            ctx.update("drgattachment", a["id"], {"lifecycleState": "DETACHED"})
    peer = ctx.store.get("remotepeeringconnection", rpc.get("peerId") or "")
    if peer is not None and peer.get("peerId") == rpc["id"]:
        ctx.update("remotepeeringconnection", peer["id"], {"peeringStatus": "REVOKED"})


RPC = svc.resource(Kind("remotepeeringconnection", "RemotePeeringConnection", "remote peering connection",
                        refs={"drgId": "drg"}, validate=_rpc_check, on_create=_rpc_created, on_delete=_rpc_deleted,
                        default_name="remotepeeringconnection", search="RemotePeeringConnection"))


@svc.op("list_allowed_peer_regions_for_remote_peering")
def list_allowed_peer_regions_for_remote_peering(ctx: Context):
    from .identity import REGIONS
    return [{"name": r} for r in REGIONS]


@svc.op("connect_remote_peering_connections")
def connect_remote_peering_connections(ctx: Context):
    rpc = _path_doc(ctx, "remotepeeringconnection", "remote peering connection", write=True)
    _ready(rpc, "remote peering connection")
    b = ctx.body or {}
    peer_id, region = ctx.require(b.get("peerId"), "peerId"), ctx.require(b.get("peerRegionName"), "peerRegionName")
    if region == ctx.region:
        raise invalid(f"peerRegionName: {region} is this RPC's own region; peer VCNs of one region with local "
                      "peering")
    if region not in ctx.core.regions():
        raise invalid(f"peerRegionName: the tenancy is not subscribed to {region} (subscribed: "
                      f"{', '.join(ctx.core.regions())})")
    peer = ctx.store.get("remotepeeringconnection", peer_id)
    if peer is None or peer.get("_region") != region:
        raise not_found(f"remote peering connection in {region}", peer_id)
    _ready(peer, "peer remote peering connection")
    for r in (rpc, peer):
        if r.get("peeringStatus") != "NEW":
            raise incorrect_state(f"The remote peering connection {r['displayName']} is {r.get('peeringStatus')}; "
                                  "only a NEW one can be connected")
    ctx.update("remotepeeringconnection", rpc["id"], {"peeringStatus": "PEERED", "peerId": peer["id"],
                                                      "peerRegionName": region, "peerTenancyId": ctx.tenancy_id})
    ctx.update("remotepeeringconnection", peer["id"], {"peeringStatus": "PEERED", "peerId": rpc["id"],
                                                       "peerRegionName": ctx.region, "peerTenancyId": ctx.tenancy_id})
    return None


# ---------------------------------------------------------------- VLANs

def _vlan_check(ctx: Context, body: dict, existing: dict | None) -> dict:
    vcn = ctx.get("vcn", existing["vcnId"] if existing else body["vcnId"], "vcn")
    out: dict = {}
    if existing is None or body.get("cidrBlock") is not None:
        cidr = ctx.require(body.get("cidrBlock"), "cidrBlock")
        net = parse_cidr(cidr, "cidrBlock")
        if not any(net.subnet_of(ipaddress.ip_network(c)) for c in vcn["cidrBlocks"]):
            raise invalid(f"cidrBlock {net} is not within the VCN's CIDR blocks ({', '.join(vcn['cidrBlocks'])})")
        if net.prefixlen > 30:
            raise invalid(f"cidrBlock {net}: a VLAN must be /30 or larger")
        _no_overlap(ctx, vcn["id"], net, existing["id"] if existing else None)
        if existing is not None and not ipaddress.ip_network(existing["cidrBlock"]).subnet_of(net):
            raise invalid("A VLAN's CIDR block can only be widened")
        out["cidrBlock"] = str(net)
    if body.get("nsgIds") is not None:
        out["nsgIds"] = check_nsg_ids(ctx, body["nsgIds"], vcn["id"])
    if body.get("routeTableId") is not None:
        out["routeTableId"] = _vcn_route_table(ctx, body["routeTableId"], vcn["id"])
    if existing is None:
        taken = {v.get("vlanTag") for v in _children(ctx, "vlan", vcn["id"])}
        tag = body.get("vlanTag")
        if tag is None:
            tag = next(t for t in range(100, 4095) if t not in taken)
        elif not isinstance(tag, int) or not 1 <= tag <= 4094:
            raise invalid("vlanTag must be 1-4094")
        elif tag in taken:
            raise conflict(f"vlanTag {tag} is already used by another VLAN of this VCN")
        out["vlanTag"] = tag
        out.setdefault("routeTableId", vcn["defaultRouteTableId"])
        out.setdefault("nsgIds", [])
        ad = body.get("availabilityDomain")
        if ad is not None:
            from .identity import ad_names
            if ad not in ad_names(ctx.region):
                raise invalid(f"Unknown availability domain '{ad}' in region {ctx.region}")
    return out


def _no_overlap(ctx: Context, vcn_id: str, net, exclude: str | None) -> None:
    for kind, what in (("subnet", "subnet"), ("vlan", "VLAN")):
        for s in _children(ctx, kind, vcn_id):
            for b in _blocks(s):
                if s["id"] != exclude and net.overlaps(b):
                    raise invalid(f"cidrBlock {net} overlaps with {what} {s.get('displayName')} ({b})")


VLAN = svc.resource(Kind("vlan", "Vlan", "VLAN", parent=("vcnId", "vcn"), lifecycle=VLAN_LC, validate=_vlan_check,
                         default_name="vlan", search="Vlan"))


# ---------------------------------------------------------------- private IPs

def _private_ip_vnic(ctx: Context, vnic_id) -> tuple[dict, dict]:
    vnic = DRG.find_live(ctx, "vnic", vnic_id, "vnicId")
    return vnic, ctx.get("subnet", vnic["subnetId"], "subnet")


def _new_private_ip(ctx: Context, vnic: dict, subnet: dict, item: dict, where: str = "") -> dict:
    secondaries = [p for p in ctx.store.by_field("privateip", "vnicId", vnic["id"]) if not p.get("isPrimary")]
    if len(secondaries) >= SECONDARY_IPS_MAX:
        raise ApiError(400, "LimitExceeded", f"A VNIC can have at most {SECONDARY_IPS_MAX} secondary private IPs")
    ip = allocate_private_ip(ctx, subnet, item.get("ipAddress"))
    lifetime = item.get("lifetime") or "EPHEMERAL"
    if lifetime not in ("EPHEMERAL", "RESERVED"):
        raise invalid(f"{where}lifetime must be EPHEMERAL or RESERVED")
    doc = {"id": ctx.new_id("privateip"), "compartmentId": vnic["compartmentId"], "subnetId": subnet["id"],
           "vnicId": vnic["id"], "ipAddress": ip, "displayName": item.get("displayName") or ip, "isPrimary": False,
           "cidrPrefixLength": int(subnet["cidrBlock"].split("/")[1]), "ipState": "ASSIGNED", "lifetime": lifetime,
           "ipv4SubnetCidrAtCreation": subnet["cidrBlock"], "timeCreated": ctx.ts(), "_region": ctx.region,
           "freeformTags": {}, "definedTags": {}}
    if vnic.get("availabilityDomain"):
        doc["availabilityDomain"] = vnic["availabilityDomain"]
    if item.get("hostnameLabel"):
        doc["hostnameLabel"] = _check_hostname(ctx, item["hostnameLabel"], subnet, None)
    doc.update(ctx.tags(item))
    return ctx.put("privateip", doc)


@svc.op("create_private_ip")
def create_private_ip(ctx: Context):
    b = ctx.body or {}
    if b.get("vlanId"):
        raise invalid("vlanId: private IPs in a VLAN belong to its Oracle Cloud VMware Solution hosts; give vnicId")
    vnic, subnet = _private_ip_vnic(ctx, ctx.require(b.get("vnicId"), "vnicId"))
    return _new_private_ip(ctx, vnic, subnet, b)


def _private_ip_changes(ctx: Context, p: dict, b: dict) -> dict:
    changes: dict = {}
    if b.get("displayName") is not None:
        changes["displayName"] = check_name(b["displayName"])
    if b.get("lifetime") is not None:
        if b["lifetime"] not in ("EPHEMERAL", "RESERVED"):
            raise invalid("lifetime must be EPHEMERAL or RESERVED")
        changes["lifetime"] = b["lifetime"]
    if b.get("vnicId") is not None and b["vnicId"] != p.get("vnicId"):
        if p.get("isPrimary"):
            raise invalid("vnicId: the primary private IP of a VNIC cannot be moved")
        vnic, subnet = _private_ip_vnic(ctx, b["vnicId"])
        if subnet["id"] != p["subnetId"]:
            raise invalid("vnicId: a private IP can only move to a VNIC in the same subnet")
        changes.update(vnicId=vnic["id"], ipState="ASSIGNED")
    if b.get("hostnameLabel") is not None:
        subnet = ctx.get("subnet", p["subnetId"], "subnet")
        changes["hostnameLabel"] = _check_hostname(ctx, b["hostnameLabel"], subnet, p.get("vnicId"))
    changes.update(ctx.tags(b))
    return changes


@svc.op("update_private_ip")
def update_private_ip(ctx: Context):
    p = ctx.get_for_write("privateip", ctx.path["privateIpId"], "private IP")
    return ctx.update("privateip", p["id"], _private_ip_changes(ctx, p, ctx.body or {}))


def _drop_private_ip(ctx: Context, p: dict, where: str = "") -> None:
    if p.get("isPrimary"):
        raise invalid(f"{where}The primary private IP of a VNIC cannot be deleted (it goes with the VNIC)")
    if _referenced_by_routes(ctx, p["id"]):
        raise conflict(f"{where}The private IP {p['ipAddress']} is the target of route rules")
    for pub in ctx.store.by_field("publicip", "privateIpId", p["id"]):
        _unassign_public(ctx, pub)
    ctx.delete("privateip", p["id"])


@svc.op("delete_private_ip")
def delete_private_ip(ctx: Context):
    _drop_private_ip(ctx, ctx.get_for_write("privateip", ctx.path["privateIpId"], "private IP"))
    return None


@svc.op("private_ip_vnic_detach")
def private_ip_vnic_detach(ctx: Context):
    p = ctx.get_for_write("privateip", ctx.path["privateIpId"], "private IP")
    if p.get("isPrimary"):
        raise invalid("The primary private IP of a VNIC cannot be detached")
    if p.get("lifetime") != "RESERVED":
        raise invalid("Only a RESERVED private IP can be detached from its VNIC (an EPHEMERAL one is deleted)")
    if not p.get("vnicId"):
        raise incorrect_state(f"The private IP {p['ipAddress']} is not attached to a VNIC")
    return ctx.update("privateip", p["id"], {"vnicId": None, "ipState": "AVAILABLE"})


def _bulk(ctx: Context, action: str, fn) -> None:
    """A bulk private-IP operation: all items checked and done in one transaction, then a work request."""
    from . import workrequests
    b = ctx.body or {}
    done = fn(b)
    comp = done[0]["compartmentId"] if done else ctx.tenancy_id
    wr = workrequests.start(ctx, "iaas", f"BULK_{action}_PRIVATE_IPS", comp, [
        {"entityType": "privateip", "actionType": {"CREATE": "CREATED", "DELETE": "DELETED"}.get(action, "UPDATED"),
         "identifier": d["id"], "entityUri": f"/20160918/privateIps/{d['id']}"} for d in done])
    ctx.schedule(None, None, {}, steps=1, hook="engine.settled", args={"wr": wr["id"]})


def _bulk_items(b: dict, key: str) -> list[dict]:
    items = b.get(key) or []
    if not items:
        raise ApiError(400, "MissingParameter", f"{key} must list at least one private IP")
    if len(items) > SECONDARY_IPS_MAX:
        raise invalid(f"{key}: at most {SECONDARY_IPS_MAX} private IPs per request")
    return items


def _bulk_ip(ctx: Context, item: dict, i: int, key: str, vnic_id) -> dict:
    p = ctx.find("privateip", item.get("privateIpId") or "")
    if p is None:
        raise not_found(f"private IP ({key}[{i}])", item.get("privateIpId") or "")
    if vnic_id and p.get("vnicId") != vnic_id:
        raise invalid(f"{key}[{i}]: the private IP {p['ipAddress']} is not on VNIC {vnic_id}")
    return p


@svc.op("bulk_create_private_ips")
def bulk_create_private_ips(ctx: Context):
    def run(b):
        vnic, subnet = _private_ip_vnic(ctx, ctx.require(b.get("vnicId"), "vnicId"))
        return [_new_private_ip(ctx, vnic, subnet, item, f"bulkCreatePrivateIpItem[{i}].")
                for i, item in enumerate(_bulk_items(b, "bulkCreatePrivateIpItem"))]
    _bulk(ctx, "CREATE", run)
    return None


@svc.op("bulk_delete_private_ips")
def bulk_delete_private_ips(ctx: Context):
    def run(b):
        ps = [_bulk_ip(ctx, it, i, "bulkDeletePrivateIpItem", b.get("vnicId"))
              for i, it in enumerate(_bulk_items(b, "bulkDeletePrivateIpItem"))]
        for i, p in enumerate(ps):
            _drop_private_ip(ctx, p, f"bulkDeletePrivateIpItem[{i}]: ")
        return ps
    _bulk(ctx, "DELETE", run)
    return None


@svc.op("bulk_update_private_ips")
def bulk_update_private_ips(ctx: Context):
    def run(b):
        out = []
        for i, it in enumerate(_bulk_items(b, "bulkUpdatePrivateIpItem")):
            p = _bulk_ip(ctx, it, i, "bulkUpdatePrivateIpItem", b.get("vnicId"))
            out.append(ctx.update("privateip", p["id"], _private_ip_changes(ctx, p, it)))
        return out
    _bulk(ctx, "UPDATE", run)
    return None


# ---------------------------------------------------------------- public IPs

def _unassign_public(ctx: Context, pub: dict) -> None:
    """A public IP leaves its private IP: an ephemeral one is deleted, a reserved one goes back to the pool."""
    priv = ctx.store.get("privateip", pub.get("privateIpId") or "")
    if priv is not None and priv.get("isPrimary"):
        vnic = ctx.store.get("vnic", priv["vnicId"])
        if vnic is not None and vnic.get("publicIp") == pub["ipAddress"]:
            ctx.update("vnic", vnic["id"], {"publicIp": None})
    if pub.get("lifetime") == "EPHEMERAL":
        _terminate(ctx, "publicip", pub)
        ctx.update("publicip", pub["id"], {"privateIpId": None, "assignedEntityId": None, "assignedEntityType": None})
    else:
        ctx.update("publicip", pub["id"], {"privateIpId": None, "assignedEntityId": None, "assignedEntityType": None,
                                           "lifecycleState": "UNASSIGNING"})
        ctx.schedule("publicip", pub["id"], {"lifecycleState": "AVAILABLE"}, steps=1, when_state="UNASSIGNING")


def _assign_target(ctx: Context, priv_id: str, lifetime: str) -> dict:
    priv = ctx.find("privateip", priv_id)
    if priv is None:
        raise ApiError(404, "NotAuthorizedOrNotFound", f"privateIpId: the private IP {priv_id[:120]} does not exist")
    if not priv.get("vnicId"):
        raise invalid(f"privateIpId: the private IP {priv['ipAddress']} is not attached to a VNIC")
    subnet = ctx.get("subnet", priv["subnetId"], "subnet")
    if subnet.get("prohibitPublicIpOnVnic"):
        raise invalid(f"privateIpId: the private IP {priv['ipAddress']} is in the private subnet "
                      f"{subnet['displayName']}, which prohibits public IPs")
    for other in ctx.store.by_field("publicip", "privateIpId", priv["id"]):
        if other.get("lifecycleState") in ("ASSIGNING", "ASSIGNED", "PROVISIONING"):
            raise conflict(f"The private IP {priv['ipAddress']} already has the public IP {other['ipAddress']}")
    if lifetime == "EPHEMERAL" and not priv.get("isPrimary"):
        pass  # OCI allows an ephemeral public IP on a secondary private IP too
    return priv


def _assigned(ctx: Context, pub_id: str, priv: dict) -> None:
    if priv.get("isPrimary"):
        pub = ctx.store.get("publicip", pub_id)
        ctx.update("vnic", priv["vnicId"], {"publicIp": pub["ipAddress"]})


def _allocate_from_pool(ctx: Context, pool_id: str) -> str:
    pool = ctx.find("publicippool", pool_id)
    if pool is None or pool.get("lifecycleState") != "ACTIVE":
        raise ApiError(404, "NotAuthorizedOrNotFound", f"publicIpPoolId: the public IP pool {pool_id[:120]} does "
                       "not exist or is not ACTIVE")
    used = {p["ipAddress"] for p in ctx.store.list("publicip")}
    for c in pool.get("cidrBlocks") or []:
        for ip in ipaddress.ip_network(c):
            if str(ip) not in used:
                return str(ip)
    raise ApiError(409, "LimitExceeded", f"The public IP pool {pool.get('displayName')} has no free addresses")


@svc.op("create_public_ip")
def create_public_ip(ctx: Context):
    b = ctx.body or {}
    comp = ctx.compartment(b.get("compartmentId"))
    lifetime = ctx.require(b.get("lifetime"), "lifetime")
    priv = None
    if lifetime == "EPHEMERAL":
        priv = _assign_target(ctx, ctx.require(b.get("privateIpId"), "privateIpId"), lifetime)
        if b.get("publicIpPoolId"):
            raise invalid("publicIpPoolId: only a RESERVED public IP comes from a public IP pool")
    elif b.get("privateIpId"):
        priv = _assign_target(ctx, b["privateIpId"], lifetime)
    ip = _allocate_from_pool(ctx, b["publicIpPoolId"]) if b.get("publicIpPoolId") else allocate_public_address(ctx)
    doc = {"id": ctx.new_id("publicip"), "compartmentId": comp["id"], "ipAddress": ip, "lifetime": lifetime,
           "displayName": b.get("displayName") or f"publicip{ip.replace('.', '')}",
           "scope": "AVAILABILITY_DOMAIN" if lifetime == "EPHEMERAL" else "REGION", "timeCreated": ctx.ts(),
           "_region": ctx.region, "freeformTags": {}, "definedTags": {}}
    if b.get("displayName") is not None:
        check_name(b["displayName"])
    if b.get("publicIpPoolId"):
        doc["publicIpPoolId"] = b["publicIpPoolId"]
    if lifetime == "EPHEMERAL":
        vnic = ctx.get("vnic", priv["vnicId"], "VNIC")
        doc["availabilityDomain"] = vnic.get("availabilityDomain") or ctx.get(
            "subnet", priv["subnetId"]).get("availabilityDomain")
    doc.update(ctx.tags(b))
    if priv is not None:
        doc.update(privateIpId=priv["id"], assignedEntityId=priv["id"], assignedEntityType="PRIVATE_IP",
                   lifecycleState="ASSIGNING")
        doc = ctx.put("publicip", doc)
        _assigned(ctx, doc["id"], priv)
        ctx.schedule("publicip", doc["id"], {"lifecycleState": "ASSIGNED"}, steps=1, when_state="ASSIGNING")
    else:
        doc["lifecycleState"] = "PROVISIONING"
        doc = ctx.put("publicip", doc)
        ctx.schedule("publicip", doc["id"], {"lifecycleState": "AVAILABLE"}, steps=1, when_state="PROVISIONING")
    return doc


@svc.op("update_public_ip")
def update_public_ip(ctx: Context):
    pub = ctx.get_for_write("publicip", ctx.path["publicIpId"], "public IP")
    if pub["lifecycleState"] not in ("AVAILABLE", "ASSIGNED", "UNASSIGNED"):
        raise incorrect_state(f"The public IP is {pub['lifecycleState']}")
    b = ctx.body or {}
    changes: dict = {}
    if b.get("displayName") is not None:
        changes["displayName"] = check_name(b["displayName"])
    changes.update(ctx.tags(b))
    pub = ctx.update("publicip", pub["id"], changes)
    target = b.get("privateIpId")
    if target is not None and target != pub.get("privateIpId"):
        if pub["lifetime"] == "EPHEMERAL":
            raise invalid("privateIpId: an ephemeral public IP cannot be moved or unassigned (delete it instead)")
        priv = _assign_target(ctx, target, "RESERVED") if target else None
        if pub.get("privateIpId"):
            _unassign_public(ctx, pub)
        if priv is not None:
            ctx.update("publicip", pub["id"], {"privateIpId": priv["id"], "assignedEntityId": priv["id"],
                                               "assignedEntityType": "PRIVATE_IP", "lifecycleState": "ASSIGNING"})
            _assigned(ctx, pub["id"], priv)
            ctx.schedule("publicip", pub["id"], {"lifecycleState": "ASSIGNED"}, steps=1, when_state="ASSIGNING")
    return ctx.get("publicip", pub["id"])


@svc.op("delete_public_ip")
def delete_public_ip(ctx: Context):
    pub = ctx.get_for_write("publicip", ctx.path["publicIpId"], "public IP")
    if pub["lifecycleState"] in ("TERMINATING", "TERMINATED"):
        raise incorrect_state(f"The public IP is already {pub['lifecycleState']}")
    if pub.get("privateIpId"):
        priv = ctx.store.get("privateip", pub["privateIpId"])
        if priv is not None and priv.get("isPrimary"):
            ctx.update("vnic", priv["vnicId"], {"publicIp": None})
    _terminate(ctx, "publicip", ctx.update("publicip", pub["id"], {
        "privateIpId": None, "assignedEntityId": None, "assignedEntityType": None}))
    return None


@svc.op("change_public_ip_compartment")
def change_public_ip_compartment(ctx: Context):
    pub = ctx.get_for_write("publicip", ctx.path["publicIpId"], "public IP")
    if pub["lifetime"] != "RESERVED":
        raise invalid("Only a reserved public IP can be moved; an ephemeral one stays in its VNIC's compartment")
    if pub["lifecycleState"] in ("TERMINATING", "TERMINATED"):
        raise incorrect_state(f"The public IP is {pub['lifecycleState']}")
    comp = ctx.compartment((ctx.body or {}).get("compartmentId"))
    ctx.update("publicip", pub["id"], {"compartmentId": comp["id"]})
    return None


# ---------------------------------------------------------------- VCN and subnet CIDR blocks

def _vcn_cidr_change(ctx: Context, vcn: dict, blocks: list[str], op_type: str) -> None:
    from . import workrequests
    first = blocks[0] if vcn["cidrBlock"] not in blocks else vcn["cidrBlock"]
    ctx.update("vcn", vcn["id"], {"cidrBlocks": blocks, "cidrBlock": first, "lifecycleState": "UPDATING"})
    wr = workrequests.start(ctx, "iaas", op_type, vcn["compartmentId"], [
        {"entityType": "vcn", "actionType": "UPDATED", "identifier": vcn["id"], "entityUri": ctx.op.path}])
    ctx.schedule("vcn", vcn["id"], {"lifecycleState": "AVAILABLE"}, steps=1, when_state="UPDATING",
                 hook="engine.settled", args={"wr": wr["id"]})


def _vcn_for_cidr(ctx: Context) -> dict:
    vcn = _path_doc(ctx, "vcn", "vcn", write=True)
    _ready(vcn, "VCN")
    return vcn


def _check_new_vcn_cidr(ctx: Context, vcn: dict, cidr, others: list[str], field: str = "cidrBlock"):
    net = parse_cidr(cidr, field)
    if not 16 <= net.prefixlen <= 30:
        raise invalid(f"{field} {net}: a VCN CIDR block must be between /16 and /30")
    check_private_range(net, field)
    for c in others:
        if net.overlaps(ipaddress.ip_network(c)):
            raise invalid(f"{field} {net} overlaps the VCN's CIDR block {c}")
    for g in _children(ctx, "localpeeringgateway", vcn["id"]):
        for c in g.get("peerAdvertisedCidrDetails") or []:
            if g.get("peeringStatus") == "PEERED" and net.overlaps(ipaddress.ip_network(c)):
                raise invalid(f"{field} {net} overlaps {c} of the peered VCN (local peering gateway "
                              f"{g['displayName']})")
    return net


def _blocks(d: dict) -> list:
    return [ipaddress.ip_network(c) for c in d.get("ipv4CidrBlocks") or [d["cidrBlock"]]]


def _used_in(ctx: Context, vcn_id: str, net) -> list[str]:
    return [f"{w} {d.get('displayName')}" for kind, w in (("subnet", "subnet"), ("vlan", "VLAN"))
            for d in _children(ctx, kind, vcn_id) if any(b.overlaps(net) for b in _blocks(d))]


@svc.op("add_vcn_cidr")
def add_vcn_cidr(ctx: Context):
    vcn = _vcn_for_cidr(ctx)
    blocks = list(vcn.get("cidrBlocks") or [vcn["cidrBlock"]])
    if len(blocks) >= VCN_CIDRS_MAX:
        raise ApiError(400, "LimitExceeded", f"A VCN can have at most {VCN_CIDRS_MAX} IPv4 CIDR blocks")
    net = _check_new_vcn_cidr(ctx, vcn, (ctx.body or {}).get("cidrBlock"), blocks)
    _vcn_cidr_change(ctx, vcn, blocks + [str(net)], "ADD_VCN_CIDR")
    return None


@svc.op("remove_vcn_cidr")
def remove_vcn_cidr(ctx: Context):
    vcn = _vcn_for_cidr(ctx)
    blocks = list(vcn.get("cidrBlocks") or [vcn["cidrBlock"]])
    cidr = (ctx.body or {}).get("cidrBlock")
    if cidr not in blocks:
        raise invalid(f"cidrBlock {cidr} is not a CIDR block of the VCN ({', '.join(blocks)})")
    if len(blocks) == 1:
        raise invalid("A VCN must keep at least one CIDR block")
    users = _used_in(ctx, vcn["id"], ipaddress.ip_network(cidr))
    if users:
        raise conflict(f"The CIDR block {cidr} is in use by {', '.join(users[:5])}")
    _vcn_cidr_change(ctx, vcn, [c for c in blocks if c != cidr], "REMOVE_VCN_CIDR")
    return None


@svc.op("modify_vcn_cidr")
def modify_vcn_cidr(ctx: Context):
    vcn = _vcn_for_cidr(ctx)
    b = ctx.body or {}
    blocks = list(vcn.get("cidrBlocks") or [vcn["cidrBlock"]])
    old = b.get("originalCidrBlock")
    if old not in blocks:
        raise invalid(f"originalCidrBlock {old} is not a CIDR block of the VCN ({', '.join(blocks)})")
    net = _check_new_vcn_cidr(ctx, vcn, b.get("newCidrBlock"), [c for c in blocks if c != old], "newCidrBlock")
    for kind, w in (("subnet", "subnet"), ("vlan", "VLAN")):
        for d in _children(ctx, kind, vcn["id"]):
            for sn in _blocks(d):
                if sn.subnet_of(ipaddress.ip_network(old)) and not sn.subnet_of(net):
                    raise invalid(f"newCidrBlock {net} does not contain {w} {d.get('displayName')} ({sn})")
    new_blocks = [str(net) if c == old else c for c in blocks]
    _vcn_cidr_change(ctx, vcn, new_blocks, "MODIFY_VCN_CIDR")
    if vcn["cidrBlock"] == old:
        ctx.update("vcn", vcn["id"], {"cidrBlock": str(net)})
    return None


def _subnet_cidr_change(ctx: Context, subnet: dict, blocks: list[str], op_type: str) -> None:
    from . import workrequests
    ctx.update("subnet", subnet["id"], {"ipv4CidrBlocks": blocks, "cidrBlock": blocks[0],
                                        "lifecycleState": "UPDATING"})
    wr = workrequests.start(ctx, "iaas", op_type, subnet["compartmentId"], [
        {"entityType": "subnet", "actionType": "UPDATED", "identifier": subnet["id"], "entityUri": ctx.op.path}])
    ctx.schedule("subnet", subnet["id"], {"lifecycleState": "AVAILABLE"}, steps=1, when_state="UPDATING",
                 hook="engine.settled", args={"wr": wr["id"]})


def _subnet_for_cidr(ctx: Context) -> tuple[dict, dict, list[str]]:
    sub = _path_doc(ctx, "subnet", "subnet", write=True)
    _ready(sub, "subnet")
    return sub, ctx.get("vcn", sub["vcnId"], "vcn"), list(sub.get("ipv4CidrBlocks") or [sub["cidrBlock"]])


def _check_subnet_block(ctx: Context, vcn: dict, sub: dict, cidr, others: list[str], field: str):
    net = parse_cidr(cidr, field)
    if not any(net.subnet_of(ipaddress.ip_network(c)) for c in vcn["cidrBlocks"]):
        raise invalid(f"{field} {net} is not within the VCN's CIDR blocks ({', '.join(vcn['cidrBlocks'])})")
    if net.prefixlen > 30:
        raise invalid(f"{field} {net}: a subnet CIDR block must be /30 or larger")
    for c in others:
        if net.overlaps(ipaddress.ip_network(c)):
            raise invalid(f"{field} {net} overlaps the subnet's CIDR block {c}")
    for kind, w in (("subnet", "subnet"), ("vlan", "VLAN")):
        for d in _children(ctx, kind, vcn["id"]):
            if d["id"] == sub["id"]:
                continue
            for c in d.get("ipv4CidrBlocks") or [d["cidrBlock"]]:
                if net.overlaps(ipaddress.ip_network(c)):
                    raise invalid(f"{field} {net} overlaps {w} {d.get('displayName')} ({c})")
    return net


def _ips_in(ctx: Context, subnet_id: str, net) -> list[str]:
    return [p["ipAddress"] for p in ctx.store.by_field("privateip", "subnetId", subnet_id)
            if ipaddress.ip_address(p["ipAddress"]) in net]


@svc.op("add_ipv4_subnet_cidr")
def add_ipv4_subnet_cidr(ctx: Context):
    sub, vcn, blocks = _subnet_for_cidr(ctx)
    if len(blocks) >= VCN_CIDRS_MAX:
        raise ApiError(400, "LimitExceeded", f"A subnet can have at most {VCN_CIDRS_MAX} IPv4 CIDR blocks")
    net = _check_subnet_block(ctx, vcn, sub, (ctx.body or {}).get("ipv4CidrBlock"), blocks, "ipv4CidrBlock")
    _subnet_cidr_change(ctx, sub, blocks + [str(net)], "ADD_SUBNET_IPV4_CIDR")
    return None


@svc.op("remove_ipv4_subnet_cidr")
def remove_ipv4_subnet_cidr(ctx: Context):
    sub, _vcn, blocks = _subnet_for_cidr(ctx)
    cidr = (ctx.body or {}).get("ipv4CidrBlock")
    if cidr not in blocks:
        raise invalid(f"ipv4CidrBlock {cidr} is not a CIDR block of the subnet ({', '.join(blocks)})")
    if len(blocks) == 1:
        raise invalid("A subnet must keep at least one IPv4 CIDR block")
    used = _ips_in(ctx, sub["id"], ipaddress.ip_network(cidr))
    if used:
        raise conflict(f"The CIDR block {cidr} has private IPs in use: {', '.join(used[:5])}")
    _subnet_cidr_change(ctx, sub, [c for c in blocks if c != cidr], "REMOVE_SUBNET_IPV4_CIDR")
    return None


@svc.op("modify_ipv4_subnet_cidr")
def modify_ipv4_subnet_cidr(ctx: Context):
    sub, vcn, blocks = _subnet_for_cidr(ctx)
    b = ctx.body or {}
    old = b.get("ipv4CidrBlock")
    if old not in blocks:
        raise invalid(f"ipv4CidrBlock {old} is not a CIDR block of the subnet ({', '.join(blocks)})")
    net = _check_subnet_block(ctx, vcn, sub, b.get("updatedIpv4CidrBlock"), [c for c in blocks if c != old],
                              "updatedIpv4CidrBlock")
    outside = [ip for ip in _ips_in(ctx, sub["id"], ipaddress.ip_network(old)) if ipaddress.ip_address(ip) not in net]
    if outside:
        raise conflict(f"updatedIpv4CidrBlock {net} leaves out private IPs in use: {', '.join(outside[:5])}")
    _subnet_cidr_change(ctx, sub, [str(net) if c == old else c for c in blocks], "MODIFY_SUBNET_IPV4_CIDR")
    return None


# ---------------------------------------------------------------- IP inventory

@svc.op("get_subnet_cidr_utilization")
def get_subnet_cidr_utilization(ctx: Context):
    sub = _path_doc(ctx, "subnet", "subnet")
    used = [ipaddress.ip_address(p["ipAddress"]) for p in ctx.store.by_field("privateip", "subnetId", sub["id"])]
    out = []
    for c in sub.get("ipv4CidrBlocks") or [sub["cidrBlock"]]:
        net = ipaddress.ip_network(c)
        usable = max(net.num_addresses - 3, 1)  # OCI reserves the first two and the last address
        n = sum(1 for ip in used if ip in net)
        out.append({"cidr": c, "utilization": round(100.0 * n / usable, 2), "addressType": "Private_IPv4"})
    return {"count": len(out), "ipInventoryCidrUtilizationSummary": out, "compartmentId": sub["compartmentId"],
            "lastUpdatedTimestamp": ctx.ts(), "message": "Success"}


@svc.op("get_subnet_ip_inventory")
def get_subnet_ip_inventory(ctx: Context):
    sub = _path_doc(ctx, "subnet", "subnet")
    blocks = [ipaddress.ip_network(c) for c in sub.get("ipv4CidrBlocks") or [sub["cidrBlock"]]]
    out = []
    for p in sorted(ctx.store.by_field("privateip", "subnetId", sub["id"]),
                    key=lambda p: ipaddress.ip_address(p["ipAddress"])):
        ip = ipaddress.ip_address(p["ipAddress"])
        item = {"ipId": p["id"], "ipAddress": p["ipAddress"],
                "ipAddressLifetime": p.get("lifetime", "EPHEMERAL").capitalize(),
                "parentCidr": next((str(n) for n in blocks if ip in n), sub["cidrBlock"]),
                "isPrimary": bool(p.get("isPrimary")), "addressType": "Private_IPv4",
                "assignedTime": p.get("timeCreated")}
        vnic = ctx.store.get("vnic", p.get("vnicId") or "")
        if vnic is not None:
            item.update(assignedResourceName=vnic.get("displayName"), assignedResourceType="Resource")
        if p.get("hostnameLabel") and sub.get("subnetDomainName"):
            item["dnsHostName"] = f"{p['hostnameLabel']}.{sub['subnetDomainName']}"
        pub = next((x for x in ctx.store.by_field("publicip", "privateIpId", p["id"])
                    if x.get("lifecycleState") in ("ASSIGNING", "ASSIGNED")), None)
        if pub is not None:
            item.update(associatedPublicIp=pub["ipAddress"], publicIpLifetime=pub["lifetime"].capitalize())
        out.append({k: v for k, v in item.items() if v is not None})
    return {"count": len(out), "ipInventorySubnetResourceSummary": out, "compartmentId": sub["compartmentId"],
            "lastUpdatedTimestamp": ctx.ts(), "message": "Success"}
