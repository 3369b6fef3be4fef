"""Edge connectivity of the Virtual Network API (`/core`): CPEs, IPSec connections, FastConnect
(cross-connects, virtual circuits), BYOIP ranges and ASNs, public IP pools, capture filters and VTAPs.

Most kinds are declarations served by the engine; the handlers here are the behaviour OCI adds:

- CPEs have no lifecycle state (they exist at once, are gone once deleted) and cannot be deleted
  while an IPSec connection uses them. The CPE device shapes are a fixed catalogue of vendors and
  platforms; with a shape and the answers to its questions (per tunnel) the CPE configuration is
  generated from the connection's tunnels (a Libreswan, Cisco, FortiGate, Palo Alto, Juniper or
  Check Point configuration text).
- An IPSec connection needs a live DRG and CPE and 1-10 static routes (IPv4 CIDRs); creating it creates
  its two tunnels (Oracle VPN headend IPs, pre-shared keys of letters/digits/spaces up to 255
  characters, generated if not given; IKEv1 and static routing by default; BGP needs a session with a
  customer ASN and /30 or /31 inside-tunnel addresses). No CPE ever answers in a sandbox: tunnels are
  DOWN, their security associations wait for the CPE and the tunnel error says so.
- FastConnect: cross-connect groups (PROVISIONING -> PROVISIONED), cross-connects (PENDING_CUSTOMER
  until cabled and activated with `isActive`, then PROVISIONED with light on the port; letter of
  authority while pending), virtual circuits (PRIVATE to a DRG, PUBLIC with public prefixes that are
  verified; on cross-connects or through a provider service) with OCI's bandwidth shapes.
- BYOIP: a range is INACTIVE/CREATING until `validate` (-> ACTIVE/PROVISIONED, then `advertise` ->
  ACTIVE/ACTIVE, `withdraw` -> ACTIVE/PROVISIONED); BYOASNs are validated likewise and can become a
  range's origin. Public IP pools take capacity from validated ranges.
- Capture filters (VTAP or flow-log rules) and VTAPs (a subnet or VNIC source mirrored to a VNIC or an IP).
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import secrets
import string
import uuid
from datetime import UTC, datetime

from ..engine import KINDS, Kind, Lifecycle
from ..protocol import ApiError, conflict, incorrect_state, invalid, not_found, ts
from ..registry import Context, Result, Service
from .network import parse_cidr

svc = Service("core", name="network_edge")

ORACLE_BGP_ASN = "31898"
MAX_STATIC_ROUTES = 10
SECRET_RE = re.compile(r"^[A-Za-z0-9 ]{1,255}$")
LIVE_NET = ("PROVISIONING", "AVAILABLE", "UPDATING")


# ---------------------------------------------------------------- helpers

def _ipv4(value, field: str) -> ipaddress.IPv4Address:
    try:
        addr = ipaddress.ip_address(value)
    except (ValueError, TypeError):
        raise invalid(f"{field}: '{str(value)[:60]}' is not a valid IPv4 address") from None
    if addr.version != 4:
        raise invalid(f"{field}: '{value}' must be an IPv4 address")
    return addr  # type: ignore[return-value]


_NOT_PUBLIC = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16",
    "224.0.0.0/4", "240.0.0.0/4", "fc00::/7", "fe80::/10", "::/8", "ff00::/8"))


def _is_public(net) -> bool:
    """Routable on the Internet: not private (RFC 1918, ULA), shared (CGNAT), loopback, link-local,
    multicast or reserved space."""
    net = ipaddress.ip_network(net) if not isinstance(net, (ipaddress.IPv4Network, ipaddress.IPv6Network)) else net
    return not any(net.version == r.version and net.overlaps(r) for r in _NOT_PUBLIC)


def _pick(seed: str, options):
    return options[int(hashlib.sha256(seed.encode()).hexdigest(), 16) % len(options)]


def _tunnels(ctx_or_store, ipsc_id: str) -> list[dict]:
    store = getattr(ctx_or_store, "store", ctx_or_store)
    docs = store.by_field("ipsectunnel", "ipscId", ipsc_id)
    return sorted(docs, key=lambda d: d.get("_index", 0))


def _tunnel(ctx: Context) -> tuple[dict, dict]:
    ipsc = ctx.get("ipsecconnection", ctx.path["ipscId"], "IPSec connection")
    t = ctx.get("ipsectunnel", ctx.path["tunnelId"], "IPSec tunnel")
    if t.get("ipscId") != ipsc["id"]:
        raise not_found("IPSec tunnel", ctx.path["tunnelId"])
    return ipsc, t


def _get(ctx: Context, kind: str, path_param: str) -> dict:
    return ctx.get(kind, ctx.path[path_param], KINDS[kind].what)


# ---------------------------------------------------------------- CPE device shapes

# (vendor, platform/software version, config style)
_SHAPES = (
    ("Libreswan", "3.x or later", "libreswan"),
    ("Cisco", "ASA Route Based VPN 9.7.1 or later", "cisco-asa"),
    ("Cisco", "ASA Policy Based VPN 8.5+", "cisco-asa"),
    ("Cisco", "IOS 15.4M or later", "cisco-ios"),
    ("Fortinet", "FortiGate 6.0.4 or later", "fortinet"),
    ("Palo Alto", "PAN-OS 8.0.0", "paloalto"),
    ("Juniper", "SRX - JunOS 11.0 or later", "juniper"),
    ("Juniper", "MX - JunOS 15.1 or later", "juniper"),
    ("Check Point", "R80.20", "checkpoint"),
    ("Yamaha", "RTX1210 Rev.14.01.28", "generic"),
    ("NEC", "IX Series Ver.10.2.16", "generic"),
    ("WatchGuard", "Fireware v12.1.3", "generic"),
    ("Other", "Generic IPSec (IKEv1/IKEv2)", "generic"),
)
_QUESTIONS = {
    "libreswan": (("outside-interface", "Outside interface", "The CPE's interface facing the Internet, e.g. eth0"),
                  ("cpe-private-ip", "CPE private IP (behind NAT)", "The CPE's own address if it is behind 1:1 NAT")),
    "cisco-asa": (("outside-interface", "Outside interface name", "nameif of the Internet-facing interface"),
                  ("inside-network", "On-premises network", "The network behind the ASA, e.g. 172.16.0.0/16")),
    "cisco-ios": (("outside-interface", "Outside interface", "e.g. GigabitEthernet0/0"),),
    "fortinet": (("wan-port", "WAN interface", "e.g. port1"), ("lan-port", "LAN interface", "e.g. port2")),
    "paloalto": (("external-interface", "External interface", "e.g. ethernet1/1"),
                 ("virtual-router", "Virtual router", "e.g. default")),
    "juniper": (("external-interface", "External interface", "e.g. ge-0/0/0.0"),
                ("tunnel-unit-base", "First st0 unit", "st0 unit numbers of the tunnels start here, e.g. 1")),
    "checkpoint": (("gateway-object", "Gateway object name", "The Check Point gateway object in SmartConsole"),),
    "generic": (),
}


def _shape_id(i: int) -> str:
    # shape OCIDs are global and stable, as OCI's
    return "ocid1.cpedeviceshape.oc1.." + hashlib.sha256(f"cpe-shape-{i}".encode()).hexdigest()[:60]


SHAPES = {_shape_id(i): {"vendor": v, "platformSoftwareVersion": p, "style": s} for i, (v, p, s) in enumerate(_SHAPES)}


def _shape(ident: str, field: str | None = None) -> dict:
    s = SHAPES.get(ident)
    if s is None:
        if field:
            raise ApiError(404, "NotAuthorizedOrNotFound", f"{field}: no CPE device shape {str(ident)[:120]}")
        raise not_found("CPE device shape", ident)
    return s


@svc.op("list_cpe_device_shapes")
def list_cpe_device_shapes(ctx: Context):
    return [{"id": k, "cpeDeviceInfo": {"vendor": v["vendor"], "platformSoftwareVersion": v["platformSoftwareVersion"]}}
            for k, v in SHAPES.items()]


@svc.op("get_cpe_device_shape")
def get_cpe_device_shape(ctx: Context):
    ident = ctx.path["cpeDeviceShapeId"]
    s = _shape(ident)
    return {"cpeDeviceShapeId": ident,
            "cpeDeviceInfo": {"vendor": s["vendor"], "platformSoftwareVersion": s["platformSoftwareVersion"]},
            "parameters": [{"key": k, "displayName": d, "explanation": e} for k, d, e in _QUESTIONS[s["style"]]],
            "template": f"# {s['vendor']} {s['platformSoftwareVersion']}: configuration generated per tunnel "
                        "from the IPSec connection and the answers to the parameters above"}


# ---------------------------------------------------------------- CPEs

def _cpe_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if body.get("cpeDeviceShapeId") is not None:
        _shape(body["cpeDeviceShapeId"], "cpeDeviceShapeId")
    if existing is not None:
        return {}
    ctx.require(body.get("ipAddress"), "ipAddress")
    addr = _ipv4(body["ipAddress"], "ipAddress")
    private = bool(body.get("isPrivate"))
    if not private and not _is_public(ipaddress.ip_network(addr)):
        raise invalid(f"ipAddress: {addr} is not a public IP address; a CPE reached over the Internet needs "
                      "its public IP (set isPrivate for IPSec over FastConnect)")
    return {"isPrivate": private}


def _cpe_in_use(ctx: Context, doc: dict) -> None:
    users = [d for d in ctx.store.by_field("ipsecconnection", "cpeId", doc["id"])
             if d.get("lifecycleState") in LIVE_NET]
    if users:
        raise conflict(f"The CPE is used by the IPSec connection {users[0]['displayName']} ({users[0]['id']}); "
                       "delete the connection first")


CPE = svc.resource(Kind("cpe", "Cpe", "CPE", validate=_cpe_checks, check_delete=_cpe_in_use, search="Cpe"))


# ---------------------------------------------------------------- IPSec connections

PHASE1 = {"encryption": ["AES_256_CBC", "AES_192_CBC", "AES_128_CBC"],
          "authentication": ["SHA2_384", "SHA2_256", "SHA1_96"],
          "dh": ["GROUP2", "GROUP5", "GROUP14", "GROUP19", "GROUP20", "GROUP24"]}
PHASE2 = {"encryption": ["AES_256_GCM", "AES_192_GCM", "AES_128_GCM", "AES_256_CBC", "AES_192_CBC", "AES_128_CBC"],
          "authentication": ["HMAC_SHA2_256_128", "HMAC_SHA1_128"],
          "dh": ["GROUP2", "GROUP5", "GROUP14", "GROUP19", "GROUP20", "GROUP24"]}


@svc.op("get_allowed_ike_ip_sec_parameters")
def get_allowed_ike_ip_sec_parameters(ctx: Context):
    return {"allowedPhaseOneParameters": {"encryptionAlgorithms": PHASE1["encryption"],
                                          "authenticationAlgorithms": PHASE1["authentication"],
                                          "dhGroups": PHASE1["dh"]},
            "allowedPhaseTwoParameters": {"encryptionAlgorithms": PHASE2["encryption"],
                                          "authenticationAlgorithms": PHASE2["authentication"],
                                          "pfsDhGroups": PHASE2["dh"]},
            "defaultPhaseOneParameters": {"defaultEncryptionAlgorithms": ["AES_256_CBC"],
                                          "defaultAuthenticationAlgorithms": ["SHA2_384"],
                                          "defaultDhGroups": ["GROUP20"]},
            "defaultPhaseTwoParameters": {"defaultEncryptionAlgorithms": ["AES_256_GCM"],
                                          "defaultAuthenticationAlgorithms": ["HMAC_SHA2_256_128"],
                                          "defaultPfsDhGroup": "GROUP5"}}


def _static_routes(routes, required: bool) -> list[str]:
    if routes is None:
        if required:
            raise ApiError(400, "MissingParameter", "staticRoutes is required (1 to 10 CIDR blocks)")
        return []
    if not isinstance(routes, list) or (required and not routes):
        raise invalid("staticRoutes must list 1 to 10 CIDR blocks of the on-premises network")
    if len(routes) > MAX_STATIC_ROUTES:
        raise invalid(f"staticRoutes: an IPSec connection can have at most {MAX_STATIC_ROUTES} static routes, "
                      f"got {len(routes)}")
    nets = [parse_cidr(r, f"staticRoutes[{i}]") for i, r in enumerate(routes)]
    if len({str(n) for n in nets}) != len(nets):
        raise invalid("staticRoutes lists the same CIDR block twice")
    return [str(n) for n in nets]


def _local_identifier(ctx: Context, body: dict, cpe_ip: str | None) -> dict:
    ident, typ = body.get("cpeLocalIdentifier"), body.get("cpeLocalIdentifierType")
    if ident is None and typ is None:
        return {"cpeLocalIdentifier": cpe_ip, "cpeLocalIdentifierType": "IP_ADDRESS"} if cpe_ip else {}
    if ident is None or typ is None:
        raise invalid("cpeLocalIdentifier and cpeLocalIdentifierType are given together")
    if typ == "IP_ADDRESS":
        _ipv4(ident, "cpeLocalIdentifier")
    elif not re.match(r"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}"
                      r"[A-Za-z0-9])?)*$", ident):
        raise invalid(f"cpeLocalIdentifier: '{ident[:60]}' is not a valid hostname (FQDN)")
    return {"cpeLocalIdentifier": ident, "cpeLocalIdentifierType": typ}


def _check_secret(value, field: str) -> str:
    if not isinstance(value, str) or not SECRET_RE.match(value):
        raise invalid(f"{field}: a shared secret is 1-255 letters, digits and spaces")
    return value


def _check_asn(value, field: str) -> int:
    try:
        asn = int(str(value))
    except (TypeError, ValueError):
        raise invalid(f"{field}: '{str(value)[:30]}' is not an ASN") from None
    if not 1 <= asn <= 4294967295 or asn in (23456, 65535):
        raise invalid(f"{field}: {asn} is not a valid ASN (1-4294967295, not 23456 or 65535)")
    if str(asn) == ORACLE_BGP_ASN:
        raise invalid(f"{field}: {asn} is Oracle's ASN; use your own")
    return asn


def _bgp(cfg: dict | None, field: str) -> dict:
    if not cfg:
        raise invalid(f"{field}: BGP routing needs bgpSessionConfig (customerBgpAsn and the inside tunnel IPs)")
    asn = _check_asn(cfg.get("customerBgpAsn"), f"{field}.customerBgpAsn")
    out = {"customerBgpAsn": str(asn), "oracleBgpAsn": ORACLE_BGP_ASN, "bgpState": "DOWN"}
    o, c = cfg.get("oracleInterfaceIp"), cfg.get("customerInterfaceIp")
    if o is None or c is None:
        raise invalid(f"{field}: oracleInterfaceIp and customerInterfaceIp are required for BGP over IPv4")
    nets = []
    for name, v in (("oracleInterfaceIp", o), ("customerInterfaceIp", c)):
        try:
            iface = ipaddress.ip_interface(v)
        except ValueError:
            raise invalid(f"{field}.{name}: '{str(v)[:40]}' is not an IPv4 address with a /30 or /31 prefix") from None
        if iface.version != 4 or iface.network.prefixlen not in (30, 31):
            raise invalid(f"{field}.{name}: {v} must be an IPv4 address with a /30 or /31 prefix")
        if iface.network.prefixlen == 30 and iface.ip in (iface.network.network_address,
                                                          iface.network.broadcast_address):
            raise invalid(f"{field}.{name}: {iface.ip} is not a usable host of {iface.network}")
        nets.append(iface)
    if nets[0].network != nets[1].network or nets[0].ip == nets[1].ip:
        raise invalid(f"{field}: oracleInterfaceIp and customerInterfaceIp must be two addresses of the same /30 "
                      "or /31")
    out.update(oracleInterfaceIp=str(nets[0]), customerInterfaceIp=str(nets[1]))
    return out


def _tunnel_fields(body: dict, field: str, existing: dict | None = None) -> dict:
    """Checked tunnel settings from a create or update tunnel body."""
    out: dict = {}
    if body.get("displayName") is not None:
        if not str(body["displayName"]).strip() or len(body["displayName"]) > 255:
            raise invalid(f"{field}.displayName must be 1-255 characters")
        out["displayName"] = body["displayName"]
    if body.get("ikeVersion") is not None:
        out["ikeVersion"] = body["ikeVersion"]
    routing = body.get("routing") or (existing or {}).get("routing") or "STATIC"
    out["routing"] = routing
    if routing == "BGP":
        if body.get("bgpSessionConfig") is not None or not (existing or {}).get("bgpSessionInfo"):
            out["bgpSessionInfo"] = _bgp(body.get("bgpSessionConfig"), f"{field}.bgpSessionConfig")
    elif body.get("bgpSessionConfig") is not None:
        raise invalid(f"{field}: bgpSessionConfig is only for routing BGP (this tunnel uses {routing})")
    elif existing is not None and existing.get("routing") == "BGP":
        out["bgpSessionInfo"] = None
    if body.get("oracleInitiation") is not None:
        out["oracleCanInitiate"] = body["oracleInitiation"]
    if body.get("natTranslationEnabled") is not None:
        out["natTranslationEnabled"] = body["natTranslationEnabled"]
    dpd = body.get("dpdConfig")
    if dpd:
        t = dpd.get("dpdTimeoutInSec")
        if t is not None and not 15 <= int(t) <= 172800:
            raise invalid(f"{field}.dpdConfig.dpdTimeoutInSec must be 15-172800 seconds")
        if dpd.get("dpdMode"):
            out["dpdMode"] = dpd["dpdMode"]
        if t is not None:
            out["dpdTimeoutInSec"] = int(t)
    for phase, key, _spec in (("phaseOneConfig", "phaseOneDetails", PHASE1), ("phaseTwoConfig", "phaseTwoDetails",
                                                                              PHASE2)):
        p = body.get(phase)
        if not p:
            continue
        custom = bool(p.get("isCustomPhaseOneConfig" if phase == "phaseOneConfig" else "isCustomPhaseTwoConfig"))
        life = p.get("lifetimeInSeconds")
        lo, hi = (180, 86400) if phase == "phaseOneConfig" else (180, 28800)
        if life is not None and not lo <= int(life) <= hi:
            raise invalid(f"{field}.{phase}.lifetimeInSeconds must be {lo}-{hi} seconds")
        det = {"lifetime": int(life) if life else (28800 if phase == "phaseOneConfig" else 3600)}
        if phase == "phaseOneConfig":
            det.update(isCustomPhaseOneConfig=custom, customAuthenticationAlgorithm=p.get("authenticationAlgorithm"),
                       customEncryptionAlgorithm=p.get("encryptionAlgorithm"), customDhGroup=p.get("diffieHelmanGroup"))
        else:
            det.update(isCustomPhaseTwoConfig=custom, customAuthenticationAlgorithm=p.get("authenticationAlgorithm"),
                       customEncryptionAlgorithm=p.get("encryptionAlgorithm"), dhGroup=p.get("pfsDhGroup"),
                       isPfsEnabled=bool(p.get("isPfsEnabled", True)))
            if p.get("encryptionAlgorithm", "").endswith("GCM") and p.get("authenticationAlgorithm"):
                raise invalid(f"{field}.phaseTwoConfig: an AES-GCM cipher authenticates itself; leave "
                              "authenticationAlgorithm out")
        if custom and not any(det.get(k) for k in ("customAuthenticationAlgorithm", "customEncryptionAlgorithm")):
            raise invalid(f"{field}.{phase}: a custom configuration names its algorithms")
        out[key] = {k: v for k, v in det.items() if v is not None}
    return out


def _ipsec_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    out: dict = {}
    if existing is None:
        ctx.require(body.get("drgId"), "drgId")
        ctx.require(body.get("cpeId"), "cpeId")
        out["staticRoutes"] = _static_routes(body.get("staticRoutes"), True)
        cpe = ctx.find("cpe", body.get("cpeId"))
        out.update(_local_identifier(ctx, body, cpe["ipAddress"] if cpe else None))
        out["transportType"] = "FASTCONNECT" if cpe and cpe.get("isPrivate") else "INTERNET"
        tunnels = body.get("tunnelConfiguration") or []
        if len(tunnels) > 2:
            raise invalid(f"tunnelConfiguration: an IPSec connection has 2 tunnels, got {len(tunnels)}")
        for i, t in enumerate(tunnels):
            _tunnel_fields(t, f"tunnelConfiguration[{i}]")
            if t.get("sharedSecret") is not None:
                _check_secret(t["sharedSecret"], f"tunnelConfiguration[{i}].sharedSecret")
        if cpe and any(d for d in ctx.store.by_field("ipsecconnection", "cpeId", cpe["id"])
                       if d.get("drgId") == body.get("drgId") and d.get("lifecycleState") in LIVE_NET):
            raise conflict("This CPE already has an IPSec connection to this DRG")
        return out
    if "staticRoutes" in body and body["staticRoutes"] is not None:
        out["staticRoutes"] = _static_routes(body["staticRoutes"], True)
    if body.get("cpeLocalIdentifier") is not None or body.get("cpeLocalIdentifierType") is not None:
        merged = {"cpeLocalIdentifier": body.get("cpeLocalIdentifier", existing.get("cpeLocalIdentifier")),
                  "cpeLocalIdentifierType": body.get("cpeLocalIdentifierType",
                                                     existing.get("cpeLocalIdentifierType"))}
        out.update(_local_identifier(ctx, merged, None))
    return out


def _vpn_ip(ctx: Context) -> str:
    net = ipaddress.ip_network("129.146.12.0/22") if ctx.region == "us-phoenix-1" else \
        ipaddress.ip_network("129.213.0.0/22")
    used = {d.get("vpnIp") for d in ctx.store.list("ipsectunnel")}
    for _ in range(64):
        ip = str(net[secrets.randbelow(net.num_addresses - 2) + 1])
        if ip not in used:
            return ip
    return str(net[1])


def _new_secret() -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(64))


def _ipsec_created(ctx: Context, doc: dict) -> None:
    """The connection's two tunnels, as OCI creates them with it."""
    cpe = ctx.find("cpe", doc["cpeId"]) or {}
    cfgs = list((ctx.body or {}).get("tunnelConfiguration") or [])
    cfgs += [{}] * (2 - len(cfgs))
    for i, cfg in enumerate(cfgs):
        t = {"id": ctx.new_id("ipsectunnel"), "ipscId": doc["id"], "_index": i, "_region": ctx.region,
             "compartmentId": doc["compartmentId"], "vpnIp": _vpn_ip(ctx), "cpeIp": cpe.get("ipAddress"),
             "status": "DOWN", "ikeVersion": "V1", "lifecycleState": "PROVISIONING", "displayName": f"Tunnel{i + 1}",
             "routing": "STATIC", "timeCreated": ctx.ts(), "timeStatusUpdated": ctx.ts(),
             "oracleCanInitiate": "INITIATOR_OR_RESPONDER", "natTranslationEnabled": "AUTO",
             "dpdMode": "INITIATE_AND_RESPOND", "dpdTimeoutInSec": 20, "associatedVirtualCircuits": [],
             "_secret": cfg.get("sharedSecret") or _new_secret(), "_answers": []}
        t.update({k: v for k, v in _tunnel_fields(cfg, f"tunnelConfiguration[{i}]").items() if v is not None})
        ctx.put("ipsectunnel", t)
        ctx.schedule("ipsectunnel", t["id"], {"lifecycleState": "AVAILABLE"}, steps=1, when_state="PROVISIONING")


def _ipsec_deleted(ctx: Context, doc: dict) -> None:
    for t in _tunnels(ctx, doc["id"]):
        ctx.update("ipsectunnel", t["id"], {"lifecycleState": "TERMINATING"})
        ctx.schedule("ipsectunnel", t["id"], {"lifecycleState": "TERMINATED"}, steps=1, when_state="TERMINATING")


IPSEC = svc.resource(Kind("ipsecconnection", "IPSecConnection", "IPSec connection", ocid="ipsecconnection",
                          noun="ip_sec_connection", refs={"drgId": "drg", "cpeId": "cpe"},
                          validate=_ipsec_checks, on_create=_ipsec_created, on_delete=_ipsec_deleted,
                          default_name="ipsecconnection", search="IPSecConnection"))


@svc.op("list_ip_sec_connection_tunnels")
def list_ip_sec_connection_tunnels(ctx: Context):
    ipsc = ctx.get("ipsecconnection", ctx.path["ipscId"], "IPSec connection")
    return _tunnels(ctx, ipsc["id"])


@svc.op("get_ip_sec_connection_tunnel")
def get_ip_sec_connection_tunnel(ctx: Context):
    return _tunnel(ctx)[1]


def _tunnel_writable(ctx: Context, t: dict) -> None:
    ctx.check_if_match(t)
    if t["lifecycleState"] != "AVAILABLE":
        raise incorrect_state(f"The tunnel is {t['lifecycleState']}; it can be changed when AVAILABLE")


@svc.op("update_ip_sec_connection_tunnel")
def update_ip_sec_connection_tunnel(ctx: Context):
    _ipsc, t = _tunnel(ctx)
    _tunnel_writable(ctx, t)
    changes = _tunnel_fields(ctx.body or {}, "updateIpSecConnectionTunnelDetails", t)
    changes["timeStatusUpdated"] = ctx.ts()
    return ctx.update("ipsectunnel", t["id"], changes)


@svc.op("get_ip_sec_connection_tunnel_shared_secret")
def get_ip_sec_connection_tunnel_shared_secret(ctx: Context):
    return {"sharedSecret": _tunnel(ctx)[1]["_secret"]}


@svc.op("update_ip_sec_connection_tunnel_shared_secret")
def update_ip_sec_connection_tunnel_shared_secret(ctx: Context):
    _ipsc, t = _tunnel(ctx)
    _tunnel_writable(ctx, t)
    secret = _check_secret((ctx.body or {}).get("sharedSecret"), "sharedSecret")
    ctx.update("ipsectunnel", t["id"], {"_secret": secret, "timeStatusUpdated": ctx.ts()})
    return {"sharedSecret": secret}


@svc.op("list_ip_sec_connection_tunnel_routes")
def list_ip_sec_connection_tunnel_routes(ctx: Context):
    """Routes over the tunnel: Oracle's (the CIDRs of the VCNs attached to the DRG) and the customer's
    (the static routes; with BGP only what the session learnt, nothing while it is down)."""
    ipsc, t = _tunnel(ctx)
    out = []
    for att in ctx.store.by_field("drgattachment", "drgId", ipsc["drgId"]):
        live = att.get("lifecycleState") in ("ATTACHED", "ATTACHING")
        vcn = ctx.find("vcn", att.get("vcnId") or "") if live else None
        for c in (vcn or {}).get("cidrBlocks") or []:
            out.append({"prefix": c, "age": 0, "isBestPath": True, "asPath": [int(ORACLE_BGP_ASN)],
                        "advertiser": "ORACLE"})
    if t["routing"] == "STATIC":
        out += [{"prefix": r, "age": 0, "isBestPath": True, "asPath": [], "advertiser": "CUSTOMER"}
                for r in ipsc.get("staticRoutes") or []]
    want = ctx.query.get("advertiser")
    return [r for r in out if want in (None, r["advertiser"])]


@svc.op("list_ip_sec_connection_tunnel_security_associations")
def list_ip_sec_connection_tunnel_security_associations(ctx: Context):
    """One SA per pair of encryption domains (route-based: any to any). No CPE answers: Oracle keeps
    initiating (or listens when it may only respond)."""
    ipsc, t = _tunnel(ctx)
    status = "INITIATING" if t.get("oracleCanInitiate") == "INITIATOR_OR_RESPONDER" else "LISTENING"
    if t["routing"] == "POLICY":
        pairs = [(c, "0.0.0.0/0") for c in ipsc.get("staticRoutes") or []]
    else:
        pairs = [("0.0.0.0/0", "0.0.0.0/0")]
    return [{"cpeSubnet": c, "oracleSubnet": o, "tunnelSaStatus": status, "time": ctx.ts()} for c, o in pairs]


@svc.op("get_ip_sec_connection_tunnel_error")
def get_ip_sec_connection_tunnel_error(ctx: Context):
    _ipsc, t = _tunnel(ctx)
    if t["status"] == "UP":
        raise not_found("IPSec tunnel error", t["id"])
    return {"id": t["id"], "errorCode": "IKE_NO_RESPONSE",
            "errorDescription": f"The CPE at {t['cpeIp']} did not answer the IKE{t['ikeVersion'].lower()} "
                                f"negotiation started by {t['vpnIp']}",
            "solution": "Check that the CPE is configured with this tunnel's Oracle IP, shared secret and IKE "
                        "version, and that UDP 500 and 4500 reach it from the Oracle VPN IP",
            "ociResourcesLink": "https://docs.oracle.com/iaas/Content/Network/Troubleshoot/ipsectroubleshoot.htm",
            "timestamp": t.get("timeStatusUpdated") or ctx.ts()}


@svc.op("get_ip_sec_connection_device_config")
def get_ip_sec_connection_device_config(ctx: Context):
    ipsc = ctx.get("ipsecconnection", ctx.path["ipscId"], "IPSec connection")
    return {"compartmentId": ipsc["compartmentId"], "id": ipsc["id"], "timeCreated": ipsc["timeCreated"],
            "tunnels": [{"ipAddress": t["vpnIp"], "sharedSecret": t["_secret"], "timeCreated": t["timeCreated"]}
                        for t in _tunnels(ctx, ipsc["id"])]}


@svc.op("get_ip_sec_connection_device_status")
def get_ip_sec_connection_device_status(ctx: Context):
    ipsc = ctx.get("ipsecconnection", ctx.path["ipscId"], "IPSec connection")
    return {"compartmentId": ipsc["compartmentId"], "id": ipsc["id"], "timeCreated": ipsc["timeCreated"],
            "tunnels": [{"ipAddress": t["vpnIp"], "lifecycleState": t["status"], "timeCreated": t["timeCreated"],
                         "timeStateModified": t.get("timeStatusUpdated") or t["timeCreated"]}
                        for t in _tunnels(ctx, ipsc["id"])]}


# ---------------------------------------------------------------- CPE configuration content

def _cpe_shape_of(ctx: Context, cpe: dict) -> dict:
    if not cpe.get("cpeDeviceShapeId"):
        raise incorrect_state(f"The CPE {cpe['displayName']} has no cpeDeviceShapeId: set its device shape "
                              "(UpdateCpe) to get a configuration for it")
    return _shape(cpe["cpeDeviceShapeId"])


def _render_tunnel(style: str, ipsc: dict, t: dict, n: int, answers: dict) -> list[str]:
    name = re.sub(r"[^A-Za-z0-9_-]", "-", f"oci-{ipsc['displayName']}-{n}")
    psk, vpn, cpe = t["_secret"], t["vpnIp"], t["cpeIp"]
    ike = "ikev2" if t["ikeVersion"] == "V2" else "ikev1"
    routes = ipsc.get("staticRoutes") or []
    bgp = t.get("bgpSessionInfo") or {}
    a = {k: v for k, v in answers.items() if v}
    if style == "libreswan":
        out = [f"conn {name}", f"    left={a.get('cpe-private-ip', cpe)}",
               f"    leftid={ipsc.get('cpeLocalIdentifier') or cpe}",
               f"    right={vpn}", "    authby=secret", f"    ikev2={'insist' if ike == 'ikev2' else 'no'}",
               "    leftsubnet=0.0.0.0/0", "    rightsubnet=0.0.0.0/0", f"    mark={5 + n}/0xffffffff",
               f"    vti-interface=vti{n}", "    vti-routing=no", "    auto=start",
               f"# /etc/ipsec.d/oci.secrets: {cpe} {vpn} : PSK \"{psk}\""]
        if a.get("outside-interface"):
            out.insert(2, f"    leftinterface={a['outside-interface']}")
    elif style in ("cisco-asa", "cisco-ios"):
        out = [f"crypto {ike} policy 10", " encryption aes-256", " integrity sha384", " group 20",
               f"tunnel-group {vpn} type ipsec-l2l", f"tunnel-group {vpn} ipsec-attributes",
               f" {ike} {'remote-authentication pre-shared-key' if ike == 'ikev2' else 'pre-shared-key'} {psk}",
               f"interface Tunnel{n}", f" nameif {name}",
               f" tunnel source interface {a.get('outside-interface', 'outside')}",
               f" tunnel destination {vpn}", " tunnel mode ipsec ipv4"]
        out += [f"route {name} {ipaddress.ip_network(r).network_address} {ipaddress.ip_network(r).netmask} {vpn}"
                for r in routes if t["routing"] == "STATIC"] if style == "cisco-asa" and a.get("inside-network") else []
    elif style == "fortinet":
        out = ["config vpn ipsec phase1-interface", f"    edit \"{name}\"", f"        set interface "
               f"\"{a.get('wan-port', 'port1')}\"", f"        set ike-version {2 if ike == 'ikev2' else 1}",
               f"        set remote-gw {vpn}", f"        set psksecret {psk}", "    next", "end",
               "config vpn ipsec phase2-interface", f"    edit \"{name}\"", f"        set phase1name \"{name}\"",
               "    next", "end"]
    elif style == "paloalto":
        out = [f"set network ike gateway {name} authentication pre-shared-key key {psk}",
               f"set network ike gateway {name} peer-address ip {vpn}",
               f"set network ike gateway {name} local-address interface {a.get('external-interface', 'ethernet1/1')}",
               f"set network ike gateway {name} protocol version {ike}",
               f"set network interface tunnel units tunnel.{n}",
               f"set network tunnel ipsec {name} auto-key ike-gateway {name}",
               f"set network tunnel ipsec {name} tunnel-interface tunnel.{n}"]
    elif style == "juniper":
        unit = int(a.get("tunnel-unit-base", "1") or 1) + n - 1
        out = [f"set security ike gateway {name} address {vpn}",
               f"set security ike gateway {name} external-interface {a.get('external-interface', 'ge-0/0/0.0')}",
               f"set security ike gateway {name} version {'v2-only' if ike == 'ikev2' else 'v1-only'}",
               f"set security ike policy {name} pre-shared-key ascii-text \"{psk}\"",
               f"set security ipsec vpn {name} bind-interface st0.{unit}",
               f"set security ipsec vpn {name} ike gateway {name}"]
    elif style == "checkpoint":
        out = [f"# SmartConsole: Interoperable Device '{name}' with IPv4 address {vpn}",
               f"# Community: route-based, gateway {a.get('gateway-object', '<gateway>')}, {ike.upper()}",
               f"# Pre-shared secret: {psk}"]
    else:
        out = [f"tunnel {n}: peer {vpn}, local {cpe}, {ike}, pre-shared key \"{psk}\""]
    if bgp:
        out.append(f"# BGP: local {bgp['customerInterfaceIp']} AS {bgp['customerBgpAsn']}, neighbor "
                   f"{bgp['oracleInterfaceIp'].split('/')[0]} AS {bgp['oracleBgpAsn']}")
    elif t["routing"] == "STATIC":
        out.append("# static routes to Oracle: the VCN CIDRs behind the DRG; Oracle routes " +
                   (", ".join(routes) or "nothing") + " over this tunnel")
    return out


def _config_text(ctx: Context, cpe: dict, ipscs: list[dict], only_tunnel: str | None = None) -> bytes:
    shape = _cpe_shape_of(ctx, cpe)
    lines = [f"# Oracle Cloud Infrastructure IPSec VPN configuration for {shape['vendor']} "
             f"{shape['platformSoftwareVersion']}", f"# CPE {cpe['displayName']} ({cpe['ipAddress']}), generated "
             f"{ctx.ts()}", ""]
    for ipsc in ipscs:
        for n, t in enumerate(_tunnels(ctx, ipsc["id"]), start=1):
            if only_tunnel and t["id"] != only_tunnel:
                continue
            lines.append(f"# ---- IPSec connection {ipsc['displayName']}, {t['displayName']} ({t['routing']})")
            lines += _render_tunnel(shape["style"], ipsc, t, n, {x["key"]: x["value"] for x in t["_answers"]})
            lines.append("")
    return ("\n".join(lines) + "\n").encode()


def _text(data: bytes) -> Result:
    return Result(raw=data, content_type="text/plain; charset=utf-8")


@svc.op("get_cpe_device_config_content")
def get_cpe_device_config_content(ctx: Context):
    cpe = ctx.get("cpe", ctx.path["cpeId"], "CPE")
    ipscs = [d for d in ctx.store.by_field("ipsecconnection", "cpeId", cpe["id"]) if d["lifecycleState"] in LIVE_NET]
    return _text(_config_text(ctx, cpe, ipscs))


@svc.op("get_ipsec_cpe_device_config_content")
def get_ipsec_cpe_device_config_content(ctx: Context):
    ipsc = ctx.get("ipsecconnection", ctx.path["ipscId"], "IPSec connection")
    return _text(_config_text(ctx, ctx.get("cpe", ipsc["cpeId"], "CPE"), [ipsc]))


@svc.op("get_tunnel_cpe_device_config_content")
def get_tunnel_cpe_device_config_content(ctx: Context):
    ipsc, t = _tunnel(ctx)
    return _text(_config_text(ctx, ctx.get("cpe", ipsc["cpeId"], "CPE"), [ipsc], only_tunnel=t["id"]))


@svc.op("get_tunnel_cpe_device_config")
def get_tunnel_cpe_device_config(ctx: Context):
    _ipsc, t = _tunnel(ctx)
    return {"tunnelCpeDeviceConfigParameter": t["_answers"]}


@svc.op("update_tunnel_cpe_device_config")
def update_tunnel_cpe_device_config(ctx: Context):
    ipsc, t = _tunnel(ctx)
    _tunnel_writable(ctx, t)
    shape = _cpe_shape_of(ctx, ctx.get("cpe", ipsc["cpeId"], "CPE"))
    keys = [k for k, _d, _e in _QUESTIONS[shape["style"]]]
    answers = (ctx.body or {}).get("tunnelCpeDeviceConfig") or []
    for i, a in enumerate(answers):
        if a.get("key") not in keys:
            raise invalid(f"tunnelCpeDeviceConfig[{i}].key: '{str(a.get('key'))[:40]}' is not a parameter of "
                          f"{shape['vendor']} {shape['platformSoftwareVersion']} (" + (", ".join(keys) or "none") + ")")
        if a.get("value") is not None and len(str(a["value"])) > 255:
            raise invalid(f"tunnelCpeDeviceConfig[{i}].value must be at most 255 characters")
    clean = [{"key": a["key"], "value": a.get("value")} for a in answers]
    ctx.update("ipsectunnel", t["id"], {"_answers": clean})
    return {"tunnelCpeDeviceConfigParameter": clean}


# ---------------------------------------------------------------- FastConnect: catalogues

_LOCATIONS = {
    "us-ashburn-1": (("Equinix DC2, Ashburn, VA", "Equinix DC2 - DC6 campus"), ("CoreSite VA1, Reston, VA", "CoreSite"),
                     ("Digital Realty IAD39, Ashburn, VA", "Digital Realty")),
    "us-phoenix-1": (("Phoenix NAP, Phoenix, AZ", "PhoenixNAP"), ("Equinix PH1, Phoenix, AZ", "Equinix PH1")),
    "eu-frankfurt-1": (("Equinix FR5, Frankfurt", "Equinix FR5 KleyerHof"), ("Interxion FRA6, Frankfurt", "Interxion")),
    "uk-london-1": (("Equinix LD5, Slough", "Equinix LD5"), ("Telehouse North, London", "Telehouse Docklands")),
}
PORT_SPEEDS = {"1 Gbps": 1, "10 Gbps": 10, "100 Gbps": 100, "400 Gbps": 400}
BANDWIDTHS = {"1 Gbps": 1000, "2 Gbps": 2000, "5 Gbps": 5000, "10 Gbps": 10000, "20 Gbps": 20000,
              "50 Gbps": 50000, "100 Gbps": 100000}
# name, service name, type, circuit types, BGP (private, public), ASN, key, bandwidth management, remote regions
_PROVIDERS = (
    ("Equinix", "Fabric", "LAYER2", ("PRIVATE", "PUBLIC"), "CUSTOMER_MANAGED", "CUSTOMER_MANAGED", "CUSTOMER_MANAGED",
     "CUSTOMER_MANAGED", "CUSTOMER_MANAGED", ()),
    ("Megaport", "Cloud Router", "LAYER2", ("PRIVATE", "PUBLIC"), "CUSTOMER_MANAGED", "CUSTOMER_MANAGED",
     "CUSTOMER_MANAGED", "CUSTOMER_MANAGED", "CUSTOMER_MANAGED", ()),
    ("AT&T", "NetBond for Cloud", "LAYER3", ("PRIVATE",), "PROVIDER_MANAGED", "PROVIDER_MANAGED", "PROVIDER_MANAGED",
     "PROVIDER_MANAGED", "CUSTOMER_MANAGED", ()),
    ("Verizon", "Secure Cloud Interconnect", "LAYER3", ("PRIVATE", "PUBLIC"), "PROVIDER_MANAGED", "PROVIDER_MANAGED",
     "PROVIDER_MANAGED", "PROVIDER_MANAGED", "CUSTOMER_MANAGED", ()),
    ("Microsoft Azure", "OCI-Azure Interconnect", "LAYER2", ("PRIVATE",), "ORACLE_MANAGED", "ORACLE_MANAGED",
     "ORACLE_MANAGED", "CUSTOMER_MANAGED", "CUSTOMER_MANAGED", (("us-ashburn-1", "East US"),
                                                               ("uk-london-1", "UK South"),
                                                               ("eu-frankfurt-1", "Germany West Central"),
                                                               ("us-phoenix-1", "West US 3"))),
)


def _providers(ctx: Context) -> dict[str, dict]:
    out = {}
    for i, p in enumerate(_PROVIDERS):
        ident = f"ocid1.providerservice.oc1.{ctx.region}." + hashlib.sha256(f"{p[0]}{i}".encode()).hexdigest()[:60]
        out[ident] = {"id": ident, "providerName": p[0], "providerServiceName": p[1], "type": p[2],
                      "supportedVirtualCircuitTypes": list(p[3]), "privatePeeringBgpManagement": p[4],
                      "publicPeeringBgpManagement": p[5], "customerAsnManagement": p[6],
                      "providerServiceKeyManagement": p[7], "bandwithShapeManagement": p[8],
                      "requiredTotalCrossConnects": 1,
                      "description": f"{p[0]} {p[1]}: {'Layer 2' if p[2] == 'LAYER2' else 'Layer 3'} connectivity "
                                     f"to Oracle Cloud Infrastructure in {ctx.region}",
                      "_remote": dict(p[9])}
    return out


def _provider(ctx: Context, ident, field: str | None = None) -> dict:
    p = _providers(ctx).get(ident)
    if p is None:
        if field:
            raise ApiError(404, "NotAuthorizedOrNotFound", f"{field}: no FastConnect provider service "
                           f"{str(ident)[:120]} in {ctx.region}")
        raise not_found("FastConnect provider service", ident)
    return p


@svc.op("list_cross_connect_locations")
def list_cross_connect_locations(ctx: Context):
    ctx.compartment(ctx.query.get("compartmentId"))
    return [{"name": n, "description": d} for n, d in _LOCATIONS.get(ctx.region, ())]


@svc.op("list_crossconnect_port_speed_shapes")
def list_crossconnect_port_speed_shapes(ctx: Context):
    ctx.compartment(ctx.query.get("compartmentId"))
    return [{"name": n, "portSpeedInGbps": g} for n, g in PORT_SPEEDS.items()]


@svc.op("list_virtual_circuit_bandwidth_shapes")
def list_virtual_circuit_bandwidth_shapes(ctx: Context):
    ctx.compartment(ctx.query.get("compartmentId"))
    return [{"name": n, "bandwidthInMbps": m} for n, m in BANDWIDTHS.items()]


@svc.op("list_fast_connect_provider_services")
def list_fast_connect_provider_services(ctx: Context):
    ctx.compartment(ctx.query.get("compartmentId"))
    return list(_providers(ctx).values())


@svc.op("get_fast_connect_provider_service")
def get_fast_connect_provider_service(ctx: Context):
    return _provider(ctx, ctx.path["providerServiceId"])


def _provider_bandwidths(p: dict) -> list[str]:
    return ["1 Gbps", "2 Gbps", "5 Gbps", "10 Gbps"] if p["type"] == "LAYER2" else ["1 Gbps", "2 Gbps", "5 Gbps"]


@svc.op("list_fast_connect_provider_virtual_circuit_bandwidth_shapes")
def list_fast_connect_provider_virtual_circuit_bandwidth_shapes(ctx: Context):
    p = _provider(ctx, ctx.path["providerServiceId"])
    return [{"name": n, "bandwidthInMbps": BANDWIDTHS[n]} for n in _provider_bandwidths(p)]


@svc.op("list_provider_remote_regions")
def list_provider_remote_regions(ctx: Context):
    p = _provider(ctx, ctx.path["providerServiceId"])
    return [{"ociRegionName": o, "providerRegionName": r} for o, r in p["_remote"].items() if o == ctx.region]


@svc.op("get_fast_connect_provider_service_key")
def get_fast_connect_provider_service_key(ctx: Context):
    """The provider issues service keys (UUIDs) in its own portal; the key carries the bandwidth and
    the peering location the customer ordered there."""
    p = _provider(ctx, ctx.path["providerServiceId"])
    key = ctx.path["providerServiceKeyName"]
    if p["providerServiceKeyManagement"] != "CUSTOMER_MANAGED":
        raise invalid(f"{p['providerName']} {p['providerServiceName']} does not use service keys")
    try:
        uuid.UUID(key)
    except ValueError:
        raise not_found("FastConnect provider service key", key) from None
    locs = [n for n, _d in _LOCATIONS.get(ctx.region, ())] or [ctx.region]
    return {"name": key, "bandwidthShapeName": _pick(key, _provider_bandwidths(p)), "peeringLocation": _pick(key, locs)}


# ---------------------------------------------------------------- FastConnect: cross-connects

def _ccg_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    m = body.get("minimumLinks")
    if m is not None and not 0 <= int(m) <= 8:
        raise invalid("minimumLinks must be 0-8 (the links a group needs to stay up)")
    t = body.get("interfaceDownTimerValueInMilliseconds")
    if t is not None and not 0 <= int(t) <= 10000:
        raise invalid("interfaceDownTimerValueInMilliseconds must be 0-10000")
    if existing is None:
        return {"ociPhysicalDeviceName": None, "ociLogicalDeviceName": None}
    return {}


def _ccg_in_use(ctx: Context, doc: dict) -> None:
    if [d for d in ctx.store.by_field("crossconnect", "crossConnectGroupId", doc["id"])
            if d.get("lifecycleState") not in ("TERMINATING", "TERMINATED")]:
        raise conflict("The cross-connect group still has cross-connects; delete them first")
    _vc_uses(ctx, doc, "cross-connect group")


def _vc_uses(ctx: Context, doc: dict, what: str) -> None:
    for vc in ctx.store.list("virtualcircuit"):
        if vc.get("lifecycleState") in ("TERMINATING", "TERMINATED"):
            continue
        if any(m.get("crossConnectOrCrossConnectGroupId") == doc["id"] for m in vc.get("crossConnectMappings") or []):
            raise conflict(f"The {what} carries the virtual circuit {vc['displayName']}; delete it first")


CCG = svc.resource(Kind("crossconnectgroup", "CrossConnectGroup", "cross-connect group",
                        lifecycle=Lifecycle("PROVISIONING", "PROVISIONED", None, "TERMINATING", "TERMINATED",
                                            also_live=("INACTIVE",)),
                        validate=_ccg_checks, check_delete=_ccg_in_use, search="CrossConnectGroup",
                        update_states=("PROVISIONED", "INACTIVE")))


def _cc_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is not None:
        if body.get("isActive"):
            if existing["lifecycleState"] != "PENDING_CUSTOMER" and existing["lifecycleState"] != "INACTIVE":
                return {}
            return {"lifecycleState": "PROVISIONED", "_light": True}
        if body.get("isActive") is False and existing["lifecycleState"] == "PROVISIONED":
            return {"lifecycleState": "INACTIVE", "_light": False}
        return {}
    ctx.require(body.get("locationName"), "locationName")
    ctx.require(body.get("portSpeedShapeName"), "portSpeedShapeName")
    if body["locationName"] not in [n for n, _d in _LOCATIONS.get(ctx.region, ())]:
        raise invalid(f"locationName: '{body['locationName'][:80]}' is not a FastConnect location of {ctx.region} "
                      "(ListCrossConnectLocations)")
    if body["portSpeedShapeName"] not in PORT_SPEEDS:
        raise invalid(f"portSpeedShapeName must be one of {', '.join(PORT_SPEEDS)}")
    g = body.get("crossConnectGroupId")
    if g:
        group = KINDS["crossconnectgroup"].find_live(ctx, "crossconnectgroup", g, "crossConnectGroupId")
        for other in ctx.store.by_field("crossconnect", "crossConnectGroupId", group["id"]):
            if other["lifecycleState"] in ("TERMINATING", "TERMINATED"):
                continue
            if (other["locationName"], other["portSpeedShapeName"]) != (body["locationName"],
                                                                        body["portSpeedShapeName"]):
                raise invalid("The cross-connects of a group share one location and port speed: this group's are "
                              f"{other['locationName']}, {other['portSpeedShapeName']}")
    for f in ("nearCrossConnectOrCrossConnectGroupId", "farCrossConnectOrCrossConnectGroupId"):
        if body.get(f):
            KINDS["crossconnect"].find_live(ctx, ("crossconnect", "crossconnectgroup"), body[f], f)
    n = len(ctx.store.list("crossconnect")) + 1
    return {"portName": f"{body['locationName'].split(',')[0]}-oci-{n:04d}-{body['portSpeedShapeName'].split()[0]}G",
            "ociPhysicalDeviceName": f"{ctx.region.split('-')[1][:3]}-fc-{n % 4 + 1:02d}",
            "ociLogicalDeviceName": f"fc-router-{n % 2 + 1}", "_light": False}


def _cc_in_use(ctx: Context, doc: dict) -> None:
    _vc_uses(ctx, doc, "cross-connect")


CC = svc.resource(Kind("crossconnect", "CrossConnect", "cross-connect",
                       lifecycle=Lifecycle(None, "PENDING_CUSTOMER", None, "TERMINATING", "TERMINATED",
                                           also_live=("PROVISIONED", "INACTIVE")),
                       validate=_cc_checks, check_delete=_cc_in_use, search="CrossConnect",
                       update_states=("PENDING_CUSTOMER", "PROVISIONED", "INACTIVE")))


@svc.op("get_cross_connect_status")
def get_cross_connect_status(ctx: Context):
    cc = _get(ctx, "crossconnect", "crossConnectId")
    up = bool(cc.get("_light")) and cc["lifecycleState"] == "PROVISIONED"
    return {"crossConnectId": cc["id"], "interfaceState": "UP" if up else "DOWN",
            "lightLevelIndBm": -2.4 if up else -40.0, "lightLevelIndicator": "GOOD" if up else "NO_LIGHT",
            "lightLevelsInDBm": [-2.4] if up else [-40.0]}


def _loa(ctx: Context, cc: dict) -> dict:
    if cc["lifecycleState"] != "PENDING_CUSTOMER":
        raise incorrect_state(f"The cross-connect is {cc['lifecycleState']}: a letter of authority is issued while "
                              "it waits for cabling (PENDING_CUSTOMER)")
    loa = cc.get("_loa") or {}
    issued = loa.get("issued") or ctx.store.get("crossconnect", cc["id"]).get("timeCreated")
    tenancy = ctx.store.get("compartment", ctx.tenancy_id) or {}
    out = {"authorizedEntityName": tenancy.get("name") or "tenancy", "circuitType": "Single_mode_LC",
           "crossConnectId": cc["id"], "facilityLocation": cc["locationName"], "portName": cc["portName"],
           "timeIssued": issued, "timeExpires": loa.get("expires") or ts(_epoch(issued) + 90 * 86400),
           "extensionDetails": {"remainingExtensions": loa.get("remaining", 2), "history": loa.get("history", [])}}
    if loa.get("agent"):
        out["authorizedAgent"] = loa["agent"]
    return out


def _epoch(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC).timestamp()


@svc.op("get_cross_connect_letter_of_authority")
def get_cross_connect_letter_of_authority(ctx: Context):
    return _loa(ctx, _get(ctx, "crossconnect", "crossConnectId"))


@svc.op("update_cross_connect_letter_of_authority")
def update_cross_connect_letter_of_authority(ctx: Context):
    cc = ctx.get_for_write("crossconnect", ctx.path["crossConnectId"], "cross-connect")
    cur = _loa(ctx, cc)
    b = ctx.body or {}
    loa = dict(cc.get("_loa") or {}, issued=cur["timeIssued"], expires=cur["timeExpires"])
    if b.get("shouldExtend"):
        remaining = cur["extensionDetails"]["remainingExtensions"]
        if remaining <= 0:
            raise conflict("The letter of authority has been extended twice already; it cannot be extended again")
        loa["expires"] = ts(_epoch(cur["timeExpires"]) + 90 * 86400)
        loa["remaining"] = remaining - 1
        loa["history"] = list(loa.get("history", [])) + [f"extended on {ctx.ts()} to {loa['expires']}"]
    if b.get("authorizedAgent") is not None:
        if not str(b["authorizedAgent"]).strip() or len(b["authorizedAgent"]) > 255:
            raise invalid("authorizedAgent must be 1-255 characters")
        loa["agent"] = b["authorizedAgent"]
    if b.get("shouldRemoveAuthorizedAgent"):
        loa.pop("agent", None)
    ctx.update("crossconnect", cc["id"], {"_loa": loa})
    return _loa(ctx, ctx.get("crossconnect", cc["id"]))


# ---------------------------------------------------------------- FastConnect: virtual circuits

def _vc_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    out: dict = {}
    typ = (existing or {}).get("type") or body.get("type")
    if existing is None:
        ctx.require(typ, "type")
    shape = body.get("bandwidthShapeName")
    if shape is not None and shape not in BANDWIDTHS:
        raise invalid(f"bandwidthShapeName must be one of {', '.join(BANDWIDTHS)} (ListVirtualCircuitBandwidthShapes)")
    provider = None
    if existing is None and body.get("providerServiceId"):
        provider = _provider(ctx, body["providerServiceId"], "providerServiceId")
        if typ not in provider["supportedVirtualCircuitTypes"]:
            raise invalid(f"{provider['providerName']} {provider['providerServiceName']} supports "
                          f"{' and '.join(provider['supportedVirtualCircuitTypes'])} virtual circuits, not {typ}")
        if shape is not None and shape not in _provider_bandwidths(provider):
            raise invalid(f"bandwidthShapeName: {provider['providerName']} offers "
                          f"{', '.join(_provider_bandwidths(provider))}")
        out.update(providerName=provider["providerName"], providerServiceName=provider["providerServiceName"],
                   providerState="INACTIVE", serviceType="LAYER2" if provider["type"] == "LAYER2" else "LAYER3",
                   bgpManagement=provider["privatePeeringBgpManagement" if typ == "PRIVATE"
                                          else "publicPeeringBgpManagement"])
        if body.get("providerRemoteRegion") is not None and body["providerRemoteRegion"] not in \
                [r for o, r in provider["_remote"].items() if o == ctx.region]:
            raise invalid(f"providerRemoteRegion: '{body['providerRemoteRegion']}' is not a region of "
                          f"{provider['providerName']} paired with {ctx.region}")
    elif existing is None:
        out.update(serviceType="COLOCATED", bgpManagement="CUSTOMER_MANAGED")
    for i, m in enumerate(body.get("crossConnectMappings") or []):
        f = f"crossConnectMappings[{i}]"
        cc = KINDS["crossconnect"].find_live(ctx, ("crossconnect", "crossconnectgroup"),
                                             m.get("crossConnectOrCrossConnectGroupId"),
                                             f"{f}.crossConnectOrCrossConnectGroupId") \
            if m.get("crossConnectOrCrossConnectGroupId") else None
        if cc is None and not provider and not (existing or {}).get("providerServiceId"):
            raise ApiError(400, "MissingParameter", f"{f}.crossConnectOrCrossConnectGroupId is required")
        if m.get("vlan") is not None and not 100 <= int(m["vlan"]) <= 16000:
            raise invalid(f"{f}.vlan must be 100-16000")
        if typ == "PRIVATE":
            for k in ("customerBgpPeeringIp", "oracleBgpPeeringIp"):
                if m.get(k) is not None:
                    iface = ipaddress.ip_interface(m[k]) if "/" in str(m[k]) else None
                    if iface is None or iface.network.prefixlen not in (30, 31):
                        raise invalid(f"{f}.{k}: {m[k]} must be an IPv4 address with a /30 or /31 prefix")
        if m.get("bgpMd5AuthKey") is not None and not 1 <= len(m["bgpMd5AuthKey"]) <= 80:
            raise invalid(f"{f}.bgpMd5AuthKey must be 1-80 characters")
    if typ == "PRIVATE":
        if body.get("publicPrefixes"):
            raise invalid("publicPrefixes are for PUBLIC virtual circuits")
        asn = body.get("customerAsn") or body.get("customerBgpAsn")
        if asn is not None:
            out["customerAsn"] = _check_asn(asn, "customerAsn")
            out["customerBgpAsn"] = out["customerAsn"] if out["customerAsn"] <= 2147483647 else None
        elif existing is None and out.get("bgpManagement") == "CUSTOMER_MANAGED":
            raise ApiError(400, "MissingParameter", "customerAsn is required for a private virtual circuit whose "
                                                    "BGP session you manage")
    elif typ == "PUBLIC" and existing is None:
        prefixes = body.get("publicPrefixes") or []
        if not prefixes:
            raise ApiError(400, "MissingParameter", "publicPrefixes: a public virtual circuit needs at least one "
                                                    "public IPv4 prefix you own")
        out["publicPrefixes"] = []
        out["_prefixes"] = [{"cidrBlock": c, "verificationState": "IN_PROGRESS"}
                            for c in _public_prefixes([p.get("cidrBlock") for p in prefixes], [])]
        out["publicPrefixes"] = [p["cidrBlock"] for p in out["_prefixes"]]
    if body.get("routingPolicy"):
        if typ != "PUBLIC":
            raise invalid("routingPolicy is for PUBLIC virtual circuits")
    if existing is None:
        out.update(oracleBgpAsn=int(ORACLE_BGP_ASN), region=ctx.region, bgpSessionState="DOWN",
                   providerServiceKeyName=body.get("providerServiceKeyName"))
    if existing is not None and body.get("providerState") is not None and not existing.get("providerServiceId"):
        raise invalid("providerState is set by a provider, for virtual circuits through one")
    return out


def _public_prefixes(cidrs: list, existing: list[str]) -> list[str]:
    out = []
    for i, c in enumerate(cidrs):
        net = parse_cidr(c, f"publicPrefixes[{i}].cidrBlock")
        if not _is_public(net):
            raise invalid(f"publicPrefixes[{i}]: {net} is not a public IPv4 prefix")
        if net.prefixlen > 31:
            raise invalid(f"publicPrefixes[{i}]: {net} is more specific than /31")
        if str(net) in existing or str(net) in out:
            raise conflict(f"publicPrefixes[{i}]: {net} is already a prefix of this virtual circuit")
        out.append(str(net))
    return out


def _vc_ready(core, doc: dict) -> None:
    """Provisioned: a colocated circuit's BGP comes up when its cross-connects carry light and it has a
    gateway; a provider's circuit is active on the provider's side; public prefixes are verified."""
    changes: dict = {}
    if doc.get("providerServiceId"):
        changes["providerState"] = "ACTIVE"
    lit = all(core.store.get("crossconnect", m.get("crossConnectOrCrossConnectGroupId") or "") is None or
              core.store.get("crossconnect", m["crossConnectOrCrossConnectGroupId"]).get("_light")
              for m in doc.get("crossConnectMappings") or [])
    if (doc.get("gatewayId") or doc.get("type") == "PUBLIC") and lit and doc.get("crossConnectMappings"):
        changes["bgpSessionState"] = "UP"
    if doc.get("_prefixes"):
        changes["_prefixes"] = [dict(p, verificationState="COMPLETED") for p in doc["_prefixes"]]
    if changes:
        core.store.update("virtualcircuit", doc["id"], changes)


VC = svc.resource(Kind("virtualcircuit", "VirtualCircuit", "virtual circuit",
                       lifecycle=Lifecycle("PROVISIONING", "PROVISIONED", None, "TERMINATING", "TERMINATED",
                                           also_live=("PENDING_PROVIDER", "VERIFYING", "INACTIVE")),
                       refs={"gatewayId": "drg"}, validate=_vc_checks, on_ready=_vc_ready, search="VirtualCircuit",
                       update_states=("PROVISIONED", "PENDING_PROVIDER", "INACTIVE")))


@svc.op("list_virtual_circuit_public_prefixes")
def list_virtual_circuit_public_prefixes(ctx: Context):
    vc = _get(ctx, "virtualcircuit", "virtualCircuitId")
    want = ctx.query.get("verificationState")
    return [p for p in vc.get("_prefixes") or [] if want in (None, p["verificationState"])]


def _vc_for_prefixes(ctx: Context) -> dict:
    vc = ctx.get_for_write("virtualcircuit", ctx.path["virtualCircuitId"], "virtual circuit")
    if vc.get("type") != "PUBLIC":
        raise invalid("Public prefixes belong to PUBLIC virtual circuits")
    if vc["lifecycleState"] not in ("PROVISIONED", "PENDING_PROVIDER"):
        raise incorrect_state(f"The virtual circuit is {vc['lifecycleState']}")
    return vc


@svc.op("bulk_add_virtual_circuit_public_prefixes")
def bulk_add_virtual_circuit_public_prefixes(ctx: Context):
    vc = _vc_for_prefixes(ctx)
    have = [p["cidrBlock"] for p in vc.get("_prefixes") or []]
    new = _public_prefixes([p.get("cidrBlock") for p in (ctx.body or {}).get("publicPrefixes") or []], have)
    prefixes = (vc.get("_prefixes") or []) + [{"cidrBlock": c, "verificationState": "IN_PROGRESS"} for c in new]
    ctx.update("virtualcircuit", vc["id"], {"_prefixes": prefixes,
                                            "publicPrefixes": [p["cidrBlock"] for p in prefixes]})
    ctx.schedule(None, None, {}, steps=1, hook="network_edge.prefixes_verified", args={"id": vc["id"]})
    return None


@svc.hook("network_edge.prefixes_verified")
def _prefixes_verified(core, _doc: dict, args: dict) -> None:
    vc = core.store.get("virtualcircuit", args["id"])
    if vc is not None:
        core.store.update("virtualcircuit", vc["id"], {"_prefixes": [dict(p, verificationState="COMPLETED")
                                                                   for p in vc.get("_prefixes") or []]})


@svc.op("bulk_delete_virtual_circuit_public_prefixes")
def bulk_delete_virtual_circuit_public_prefixes(ctx: Context):
    vc = _vc_for_prefixes(ctx)
    have = {p["cidrBlock"]: p for p in vc.get("_prefixes") or []}
    drop = []
    for i, p in enumerate((ctx.body or {}).get("publicPrefixes") or []):
        c = str(parse_cidr(p.get("cidrBlock"), f"publicPrefixes[{i}].cidrBlock"))
        if c not in have:
            raise not_found("public prefix", c)
        drop.append(c)
    keep = [p for c, p in have.items() if c not in drop]
    if not keep:
        raise invalid("A public virtual circuit keeps at least one public prefix")
    ctx.update("virtualcircuit", vc["id"], {"_prefixes": keep, "publicPrefixes": [p["cidrBlock"] for p in keep]})
    return None


@svc.op("list_cross_connect_mappings")
def list_cross_connect_mappings(ctx: Context):
    vc = _get(ctx, "virtualcircuit", "virtualCircuitId")
    up = vc.get("bgpSessionState") == "UP"
    out = []
    for m in vc.get("crossConnectMappings") or []:
        cc = ctx.find("crossconnect", m.get("crossConnectOrCrossConnectGroupId") or "") or {}
        row = dict(m, ipv4BgpStatus="UP" if up else "DOWN", ociLogicalDeviceName=cc.get("ociLogicalDeviceName"))
        out.append({k: v for k, v in row.items() if v is not None})
    return {"items": out}


@svc.op("list_virtual_circuit_associated_tunnels")
def list_virtual_circuit_associated_tunnels(ctx: Context):
    vc = _get(ctx, "virtualcircuit", "virtualCircuitId")
    return [{"tunnelType": "IPSEC", "ipsecConnectionId": t["ipscId"], "tunnelId": t["id"]}
            for t in ctx.store.list("ipsectunnel") if vc["id"] in (t.get("associatedVirtualCircuits") or [])
            and t.get("lifecycleState") in LIVE_NET]


# ---------------------------------------------------------------- BYOIP ranges and ASNs

def _byoip_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is not None:
        return {}
    v4, v6 = body.get("cidrBlock"), body.get("ipv6CidrBlock")
    if (v4 is None) == (v6 is None):
        raise invalid("Give exactly one of cidrBlock (IPv4, /24 or larger) and ipv6CidrBlock (IPv6, /48 or larger)")
    net = parse_cidr(v4, "cidrBlock", 4) if v4 is not None else parse_cidr(v6, "ipv6CidrBlock", 6)
    limit = 24 if net.version == 4 else 48
    if net.prefixlen > limit:
        raise invalid(f"{'cidrBlock' if v4 else 'ipv6CidrBlock'}: {net} is smaller than /{limit}, the smallest range "
                      "that can be imported")
    if not _is_public(net):
        raise invalid(f"{net} is not a public range: only addresses registered to you with a Regional Internet "
                      "Registry can be imported")
    for other in ctx.store.list("byoiprange"):
        if other.get("lifecycleState") in ("DELETING", "DELETED"):
            continue
        o = other.get("cidrBlock") or other.get("ipv6CidrBlock")
        if o and ipaddress.ip_network(o).version == net.version and ipaddress.ip_network(o).overlaps(net):
            raise conflict(f"{net} overlaps the BYOIP range {other['displayName']} ({o})")
    return {"lifecycleDetails": "CREATING", "validationToken": secrets.token_hex(16),
            "byoipRangeVcnIpv6Allocations": [] if v6 else None}


def _byoip_in_use(ctx: Context, doc: dict) -> None:
    if doc.get("lifecycleDetails") in ("ACTIVE", "ADVERTISING"):
        raise conflict("The BYOIP range is advertised; withdraw it before deleting it")
    if doc.get("lifecycleState") == "UPDATING":
        raise incorrect_state(f"The BYOIP range is {doc['lifecycleDetails']}")
    pools = [p for p in ctx.store.list("publicippool") for a in p.get("_allocations") or []
             if a["byoipRangeId"] == doc["id"]]
    if pools:
        raise conflict(f"Public IP pool {pools[0]['displayName']} has capacity from this range; remove it first")


BYOIP = svc.resource(Kind("byoiprange", "ByoipRange", "BYOIP range",
                          lifecycle=Lifecycle(None, "INACTIVE", None, "DELETING", "DELETED",
                                              also_live=("ACTIVE", "UPDATING")),
                          update_states=("INACTIVE", "ACTIVE"), validate=_byoip_checks, check_delete=_byoip_in_use,
                          unique_scope="tenancy", search="ByoipRange"))


def _byoip_step(ctx: Context, doc: dict, details: str, then: dict, op_type: str | None = None) -> None:
    ctx.update("byoiprange", doc["id"], {"lifecycleState": "UPDATING", "lifecycleDetails": details})
    wr = None
    if ctx.op is not None and ctx.op.work_request:
        from . import workrequests
        wr = workrequests.start(ctx, "iaas", op_type or "VALIDATE_BYOIP_RANGE", doc["compartmentId"],
                                [{"entityType": "byoiprange", "actionType": "UPDATED", "identifier": doc["id"],
                                  "entityUri": ctx.op.path}])["id"]
    ctx.schedule("byoiprange", doc["id"], dict(then, lifecycleState="ACTIVE"), steps=1, when_state="UPDATING",
                 hook="network_edge.finish_wr", args={"wr": wr})


@svc.hook("network_edge.finish_wr")
def _finish_wr(core, _doc: dict, args: dict) -> None:
    if args.get("wr"):
        from . import workrequests
        workrequests.finish(core, args["wr"], True)


def _byoip_for_write(ctx: Context) -> dict:
    return ctx.get_for_write("byoiprange", ctx.path["byoipRangeId"], "BYOIP range")


@svc.op("validate_byoip_range")
def validate_byoip_range(ctx: Context):
    """OCI checks the RIR's record for the validation token and the ROA for Oracle's ASN; the sandbox has
    no registry to ask, so the range validates once it is waiting for validation."""
    doc = _byoip_for_write(ctx)
    if doc["lifecycleState"] != "INACTIVE" or doc["lifecycleDetails"] not in ("CREATING", "FAILED"):
        raise incorrect_state(f"The BYOIP range is {doc['lifecycleState']}/{doc['lifecycleDetails']}; it is "
                              "validated once, after it is created")
    _byoip_step(ctx, doc, "VALIDATING", {"lifecycleDetails": "PROVISIONED", "timeValidated": ctx.ts(ctx.now)})


@svc.op("advertise_byoip_range")
def advertise_byoip_range(ctx: Context):
    doc = _byoip_for_write(ctx)
    if (doc["lifecycleState"], doc["lifecycleDetails"]) != ("ACTIVE", "PROVISIONED"):
        raise incorrect_state(f"The BYOIP range is {doc['lifecycleState']}/{doc['lifecycleDetails']}; a validated "
                              "range that is not advertised (ACTIVE/PROVISIONED) can be advertised")
    _byoip_step(ctx, doc, "ADVERTISING", {"lifecycleDetails": "ACTIVE", "timeAdvertised": ctx.ts()})


@svc.op("withdraw_byoip_range")
def withdraw_byoip_range(ctx: Context):
    doc = _byoip_for_write(ctx)
    if (doc["lifecycleState"], doc["lifecycleDetails"]) != ("ACTIVE", "ACTIVE"):
        raise incorrect_state(f"The BYOIP range is {doc['lifecycleState']}/{doc['lifecycleDetails']}; only an "
                              "advertised range can be withdrawn")
    _byoip_step(ctx, doc, "WITHDRAWING", {"lifecycleDetails": "PROVISIONED", "timeWithdrawn": ctx.ts()})


@svc.op("list_byoip_allocated_ranges")
def list_byoip_allocated_ranges(ctx: Context):
    doc = _get(ctx, "byoiprange", "byoipRangeId")
    return {"items": [{"cidrBlock": a["cidrBlock"], "publicIpPoolId": p["id"]} for p in ctx.store.list("publicippool")
                      for a in p.get("_allocations") or [] if a["byoipRangeId"] == doc["id"]]}


@svc.op("set_origin_asn")
def set_origin_asn(ctx: Context):
    doc = _byoip_for_write(ctx)
    if doc["lifecycleState"] != "ACTIVE" or doc["lifecycleDetails"] != "PROVISIONED":
        raise incorrect_state("The origin ASN of a BYOIP range is set while it is validated and not advertised "
                              f"(it is {doc['lifecycleState']}/{doc['lifecycleDetails']})")
    b = ctx.body or {}
    asn = KINDS["byoasn"].find_live(ctx, "byoasn", ctx.require(b.get("byoasnId"), "byoasnId"), "byoasnId")
    if not asn.get("timeValidated"):
        raise incorrect_state(f"The BYOASN {asn['displayName']} is not validated yet (ValidateByoasn)")
    prepend = b.get("asPathPrependLength")
    if prepend is not None and not 0 <= int(prepend) <= 3:
        raise invalid("asPathPrependLength must be 0-3")
    _unlink_asn(ctx, doc)
    ctx.update("byoasn", asn["id"], {"byoipRanges": (asn.get("byoipRanges") or []) + [{
        k: v for k, v in (("byoipRangeId", doc["id"]), ("cidrBlock", doc.get("cidrBlock")),
                          ("ipv6CidrBlock", doc.get("ipv6CidrBlock")), ("asPathPrependLength", int(prepend or 0)))
        if v is not None}], "timeUpdated": ctx.ts()})
    _byoip_step(ctx, doc, "PROVISIONED", {"originAsn": {"byoasnId": asn["id"], "asn": asn["asn"],
                                                        "asPathPrependLength": int(prepend or 0)}},
                op_type="SET_ORIGIN_ASN")


def _unlink_asn(ctx: Context, doc: dict) -> None:
    old = (doc.get("originAsn") or {}).get("byoasnId")
    a = ctx.find("byoasn", old) if old else None
    if a is not None:
        ctx.update("byoasn", a["id"], {"byoipRanges": [r for r in a.get("byoipRanges") or []
                                                        if r["byoipRangeId"] != doc["id"]]})


@svc.op("set_origin_asn_to_oracle")
def set_origin_asn_to_oracle(ctx: Context):
    doc = _byoip_for_write(ctx)
    if not doc.get("originAsn"):
        raise incorrect_state("The BYOIP range already originates from Oracle's ASN")
    if doc["lifecycleDetails"] != "PROVISIONED":
        raise incorrect_state(f"The BYOIP range is {doc['lifecycleState']}/{doc['lifecycleDetails']}")
    _unlink_asn(ctx, doc)
    _byoip_step(ctx, doc, "PROVISIONED", {"originAsn": None})


_PRIVATE_ASNS = ((64512, 65534), (4200000000, 4294967294))


def _byoasn_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is not None:
        return {"timeUpdated": ctx.ts()}
    asn = _check_asn(ctx.require(body.get("asn"), "asn"), "asn")
    if any(lo <= asn <= hi for lo, hi in _PRIVATE_ASNS):
        raise invalid(f"asn: {asn} is a private ASN; bring a public ASN registered to you")
    for other in ctx.store.by_field("byoasn", "asn", asn):
        if other.get("lifecycleState") != "DELETED":
            raise conflict(f"ASN {asn} is already imported as {other['displayName']}")
    return {"validationToken": secrets.token_hex(16), "byoipRanges": [], "timeUpdated": ctx.ts()}


def _byoasn_in_use(ctx: Context, doc: dict) -> None:
    if doc.get("byoipRanges"):
        raise conflict("BYOIP ranges originate from this ASN; set their origin back to Oracle first")


BYOASN = svc.resource(Kind("byoasn", "Byoasn", "BYOASN",
                           lifecycle=Lifecycle("CREATING", "ACTIVE", "UPDATING", None, "DELETED"),
                           validate=_byoasn_checks, check_delete=_byoasn_in_use, search="Byoasn"))


@svc.op("validate_byoasn")
def validate_byoasn(ctx: Context):
    doc = ctx.get_for_write("byoasn", ctx.path["byoasnId"], "BYOASN")
    if doc["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"The BYOASN is {doc['lifecycleState']}")
    if doc.get("timeValidated"):
        raise incorrect_state("The BYOASN is already validated")
    ctx.update("byoasn", doc["id"], {"lifecycleState": "UPDATING"})
    from . import workrequests
    wr = workrequests.start(ctx, "iaas", "VALIDATE_BYOASN", doc["compartmentId"],
                            [{"entityType": "byoasn", "actionType": "UPDATED", "identifier": doc["id"],
                              "entityUri": ctx.op.path if ctx.op else ""}])
    ctx.schedule("byoasn", doc["id"], {"lifecycleState": "ACTIVE", "timeValidated": ctx.ts(), "timeUpdated": ctx.ts()},
                 steps=1, when_state="UPDATING", hook="network_edge.finish_wr", args={"wr": wr["id"]})


# ---------------------------------------------------------------- public IP pools

def _pool_in_use(ctx: Context, doc: dict) -> None:
    used = [p for p in ctx.store.by_field("publicip", "publicIpPoolId", doc["id"])
            if p.get("lifecycleState") not in ("TERMINATING", "TERMINATED")]
    if used:
        raise conflict(f"Public IP {used[0].get('ipAddress')} is allocated from the pool; delete it first")
    if doc.get("cidrBlocks"):
        raise conflict("The pool still has capacity (" + ", ".join(doc["cidrBlocks"]) + "); remove it first")


POOL = svc.resource(Kind("publicippool", "PublicIpPool", "public IP pool",
                         lifecycle=Lifecycle(None, "ACTIVE", "UPDATING", "DELETING", "DELETED"),
                         defaults={"cidrBlocks": []}, check_delete=_pool_in_use, search="PublicIpPool",
                         extra_list_filters={"byoipRangeId": lambda d, want: any(
                             a["byoipRangeId"] == want for a in d.get("_allocations") or [])}))


def _pool_for_write(ctx: Context) -> dict:
    doc = ctx.get_for_write("publicippool", ctx.path["publicIpPoolId"], "public IP pool")
    if doc["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"The public IP pool is {doc['lifecycleState']}")
    return doc


@svc.op("add_public_ip_pool_capacity")
def add_public_ip_pool_capacity(ctx: Context):
    pool = _pool_for_write(ctx)
    b = ctx.body or {}
    rng = KINDS["byoiprange"].find_live(ctx, "byoiprange", ctx.require(b.get("byoipRangeId"), "byoipRangeId"),
                                        "byoipRangeId")
    if rng["lifecycleState"] != "ACTIVE" or rng.get("lifecycleDetails") not in ("PROVISIONED", "ACTIVE"):
        raise incorrect_state(f"The BYOIP range is {rng['lifecycleState']}/{rng.get('lifecycleDetails')}; it must be "
                              "validated before its addresses can be used")
    if not rng.get("cidrBlock"):
        raise invalid("Public IP pools take IPv4 capacity; this BYOIP range is IPv6")
    net = parse_cidr(ctx.require(b.get("cidrBlock"), "cidrBlock"), "cidrBlock")
    whole = ipaddress.ip_network(rng["cidrBlock"])
    if not net.subnet_of(whole):  # type: ignore[arg-type]
        raise invalid(f"cidrBlock: {net} is not inside the BYOIP range {whole}")
    for p in ctx.store.list("publicippool"):
        for a in p.get("_allocations") or []:
            if ipaddress.ip_network(a["cidrBlock"]).overlaps(net):
                raise conflict(f"cidrBlock: {net} overlaps {a['cidrBlock']}, already in the pool {p['displayName']}")
    allocations = (pool.get("_allocations") or []) + [{"cidrBlock": str(net), "byoipRangeId": rng["id"]}]
    return ctx.update("publicippool", pool["id"], {"_allocations": allocations,
                                                   "cidrBlocks": [a["cidrBlock"] for a in allocations]})


@svc.op("remove_public_ip_pool_capacity")
def remove_public_ip_pool_capacity(ctx: Context):
    pool = _pool_for_write(ctx)
    net = str(parse_cidr(ctx.require((ctx.body or {}).get("cidrBlock"), "cidrBlock"), "cidrBlock"))
    if net not in pool.get("cidrBlocks", []):
        raise invalid(f"cidrBlock: {net} is not capacity of this pool (" + (", ".join(pool["cidrBlocks"]) or "none")
                      + ")")
    for ip in ctx.store.by_field("publicip", "publicIpPoolId", pool["id"]):
        if ip.get("lifecycleState") not in ("TERMINATING", "TERMINATED") and ip.get("ipAddress") and \
                ipaddress.ip_address(ip["ipAddress"]) in ipaddress.ip_network(net):
            raise conflict(f"Public IP {ip['ipAddress']} is allocated from {net}; delete it first")
    allocations = [a for a in pool.get("_allocations") or [] if a["cidrBlock"] != net]
    return ctx.update("publicippool", pool["id"], {"_allocations": allocations,
                                                   "cidrBlocks": [a["cidrBlock"] for a in allocations]})


# ---------------------------------------------------------------- capture filters and VTAPs

MAX_FILTER_RULES = 10


def _filter_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    typ = (existing or {}).get("filterType") or body.get("filterType")
    if existing is None:
        ctx.require(typ, "filterType")
    vtap, flow = body.get("vtapCaptureFilterRules"), body.get("flowLogCaptureFilterRules")
    if typ == "VTAP" and flow:
        raise invalid("flowLogCaptureFilterRules are for FLOWLOG capture filters; this one is VTAP")
    if typ == "FLOWLOG" and vtap:
        raise invalid("vtapCaptureFilterRules are for VTAP capture filters; this one is FLOWLOG")
    rules = vtap if typ == "VTAP" else flow
    if rules is not None:
        if len(rules) > MAX_FILTER_RULES:
            raise invalid(f"A capture filter has at most {MAX_FILTER_RULES} rules, got {len(rules)}")
        name = "vtapCaptureFilterRules" if typ == "VTAP" else "flowLogCaptureFilterRules"
        for i, r in enumerate(rules):
            for f in ("sourceCidr", "destinationCidr"):
                if r.get(f) is not None:
                    parse_cidr(r[f], f"{name}[{i}].{f}", None)
            p = r.get("protocol")
            if p is not None and p != "all" and not (str(p).isdigit() and 0 <= int(p) <= 255):
                raise invalid(f"{name}[{i}].protocol: '{p}' must be 'all' or an IANA protocol number (0-255)")
            if typ == "FLOWLOG" and r.get("samplingRate") is not None and not 1 <= int(r["samplingRate"]) <= 65535:
                raise invalid(f"{name}[{i}].samplingRate must be 1-65535")
            if typ == "FLOWLOG" and r.get("priority") is not None and not 0 <= int(r["priority"]) <= 9:
                raise invalid(f"{name}[{i}].priority must be 0-9")
    return {}


def _filter_in_use(ctx: Context, doc: dict) -> None:
    used = [v for v in ctx.store.by_field("vtap", "captureFilterId", doc["id"])
            if v.get("lifecycleState") not in ("TERMINATING", "TERMINATED")]
    if used:
        raise conflict(f"The capture filter is used by the VTAP {used[0]['displayName']}; delete or change it first")


CAPTURE_FILTER = svc.resource(Kind("capturefilter", "CaptureFilter", "capture filter",
                                   lifecycle=Lifecycle("PROVISIONING", "AVAILABLE", "UPDATING", "TERMINATING",
                                                       "TERMINATED"),
                                   validate=_filter_checks, check_delete=_filter_in_use, search="CaptureFilter"))

_SOURCE_KINDS = {"VNIC": "vnic", "SUBNET": "subnet", "LOAD_BALANCER": "loadbalancer", "DB_SYSTEM": "dbsystem",
                 "EXADATA_VM_CLUSTER": "vmcluster", "AUTONOMOUS_DATA_WAREHOUSE": "autonomousdatabase",
                 "NETWORK_FIREWALL": "networkfirewall"}
_TARGET_KINDS = {"VNIC": "vnic", "NETWORK_LOAD_BALANCER": "networkloadbalancer"}


def _ocid_type(ident) -> str | None:
    parts = ident.split(".") if isinstance(ident, str) else []
    return parts[1] if len(parts) > 3 and parts[0].startswith("ocid") else None


def _vtap_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    cur = dict(existing or {})
    cur.update({k: v for k, v in body.items() if v is not None})
    out: dict = {}
    vcn_id = cur.get("vcnId")
    src = cur.get("sourceId")
    if existing is None:
        ctx.require(src, "sourceId")
    st = cur.get("sourceType") or {"vnic": "VNIC", "subnet": "SUBNET"}.get(_ocid_type(src) or "")
    if st is None:
        raise ApiError(400, "MissingParameter", "sourceType is required for this source")
    if body.get("sourceId") is not None or existing is None:
        doc = VTAP.find_live(ctx, _SOURCE_KINDS[st], src, "sourceId")
        src_vcn = doc.get("vcnId")
        if src_vcn is None and doc.get("subnetId"):
            src_vcn = (ctx.find("subnet", doc["subnetId"]) or {}).get("vcnId")
        if src_vcn and src_vcn != vcn_id:
            raise invalid(f"sourceId: the {st.lower().replace('_', ' ')} is not in the VTAP's VCN {vcn_id}")
    out["sourceType"] = st
    tt = cur.get("targetType") or ("IP_ADDRESS" if cur.get("targetIp") and not cur.get("targetId") else
                                   {"vnic": "VNIC", "networkloadbalancer": "NETWORK_LOAD_BALANCER"}.get(
                                       _ocid_type(cur.get("targetId")) or ""))
    if tt is None:
        raise ApiError(400, "MissingParameter", "A VTAP needs a target: targetId (a VNIC or a network load balancer) "
                                                "or targetIp")
    if tt == "IP_ADDRESS":
        ip = _ipv4(ctx.require(cur.get("targetIp"), "targetIp"), "targetIp")
        vcn = ctx.find("vcn", vcn_id) or {}
        blocks = vcn.get("cidrBlocks") or [vcn.get("cidrBlock") or "0.0.0.0/32"]
        if not any(ip in ipaddress.ip_network(c) for c in blocks):
            raise invalid(f"targetIp: {ip} is not in the VCN's CIDR blocks")
        out["targetId"] = None
    elif body.get("targetId") is not None or existing is None:
        VTAP.find_live(ctx, _TARGET_KINDS[tt], ctx.require(cur.get("targetId"), "targetId"), "targetId")
    out["targetType"] = tt
    if cur.get("captureFilterId"):
        f = KINDS["capturefilter"].find_live(ctx, "capturefilter", cur["captureFilterId"], "captureFilterId")
        if f.get("filterType") != "VTAP":
            raise invalid("captureFilterId: a VTAP needs a capture filter of filterType VTAP")
    elif existing is None:
        raise ApiError(400, "MissingParameter", "captureFilterId is required")
    vni = cur.get("vxlanNetworkIdentifier")
    if vni is not None and not 0 <= int(vni) <= 16777215:
        raise invalid("vxlanNetworkIdentifier must be 0-16777215 (24 bits)")
    mps = cur.get("maxPacketSize")
    if mps is not None and not 60 <= int(mps) <= 9000:
        raise invalid("maxPacketSize must be 60-9000 bytes")
    enabled = bool(cur.get("isVtapEnabled", False))
    out.update(isVtapEnabled=enabled, lifecycleStateDetails="RUNNING" if enabled else "STOPPED")
    if existing is None:
        out.setdefault("encapsulationProtocol", "VXLAN")
        out["trafficMode"] = cur.get("trafficMode") or "DEFAULT"
        out["maxPacketSize"] = int(mps or 9000)
        out["vxlanNetworkIdentifier"] = int(vni) if vni is not None else secrets.randbelow(16777215)
    return out


VTAP = svc.resource(Kind("vtap", "Vtap", "VTAP", parent=("vcnId", "vcn"),
                         lifecycle=Lifecycle("PROVISIONING", "AVAILABLE", "UPDATING", "TERMINATING", "TERMINATED"),
                         validate=_vtap_checks, search="Vtap",
                         extra_list_filters={"source": lambda d, want: d.get("sourceId") == want}))
