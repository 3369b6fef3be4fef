"""Load Balancer (`/load_balancer`, LoadBalancerClient): load balancers, their backend sets, backends, listeners,
certificates, hostnames, path route sets, rule sets, routing policies and SSL cipher suites, computed health, and
the service's own work requests.

A load balancer (store kind `load_balancer`, OCID type `loadbalancer`) holds its parts as OCI shows them: maps
keyed by name (`listeners`, `backendSets`, `certificates`, `hostnames`, `pathRouteSets`, `ruleSets`) inside
the load balancer's document. Every change answers 204 with an `opc-work-request-id` of this service's
work-request API (`get_work_request` at `/loadBalancerWorkRequests/{id}`, `list_work_requests` per load
balancer), whose `lifecycleState` goes ACCEPTED -> SUCCEEDED one transition later: that is what the SDK's
`*_and_wait_for_state` composites and the CLI's `--wait-for-state SUCCEEDED` poll. A load balancer is
CREATING, then ACTIVE; DELETING, then DELETED (listed an hour).

What OCI checks, checked here (400 InvalidParameter unless said): the shape is one of `list_shapes`;
`flexible` needs `shapeDetails` with minimum and maximum bandwidth 10-8000 Mbps, minimum <= maximum;
subnets exist and are in one VCN: one regional subnet, or (public load balancers) two AD-specific subnets in
different availability domains; NSGs exist in that VCN. Backend sets: policy ROUND_ROBIN, LEAST_CONNECTIONS
or IP_HASH, a health checker (HTTP or TCP, interval 1-1800 s, timeout, retries, return code, URL path for
HTTP), one kind of session persistence at most, SSL to the backends naming a certificate of the load
balancer; backup backends are refused under IP_HASH. Backends are `ip:port` (port 1-65535, weight 1-100;
the same backend twice is a 409). Listeners: protocol HTTP, HTTP2 (needs SSL), TCP or GRPC (HTTPS is HTTP
with an `sslConfiguration`); the default backend set, hostnames, path route set, rule sets and certificate
must exist; a port used by another listener is refused; `connectionConfiguration.idleTimeout` 1-7200 s.
Certificates are PEM parsed with `cryptography`: a certificate that does not parse, a key that does not
parse (or needs a passphrase) and a key that does not match the certificate are 400s. Routing policies (V1)
have rules whose condition is parsed (`all(...)`/`any(...)` of `http.request.*` attributes with eq, sw, ew, `in`,
`not`, strings or `(i '...')`; two levels deep at most) and forward to an existing backend set; a listener
takes a path route set or a routing policy, not both. Custom SSL cipher suites hold OpenSSL cipher names
(`oci-` names are OCI's predefined ones). A backend set, a certificate, a hostname, a path route set, a rule
set, a routing policy or a cipher suite still used is a 409 on delete.

Health is computed, not stored: a backend is OK when an instance whose VNIC owns that private IP in the
load balancer's VCN is RUNNING, CRITICAL (CONNECT_FAILED) when that instance is stopped or gone or no
instance owns the address, and OFFLINE backends are CRITICAL too. A backend set is OK when all its backends
are, WARNING when half or more are OK, CRITICAL when fewer than half are, UNKNOWN without backends; a load
balancer is CRITICAL when a set is, WARNING when one is WARNING, UNKNOWN when it is not ACTIVE, has no
backend sets or more than half are UNKNOWN, OK otherwise (OCI's rules, docs "Getting a Load Balancer's
Health Details"). Metrics `oci_lbaas` (HttpRequests, ActiveConnections, BackendServers,
UnHealthyBackendServers, HttpResponses2xx/4xx/5xx and 200/502/504, BytesReceived, BytesSent) follow that health:
the share of requests answered 5xx (mostly 502) is the share of unhealthy backends.

The demo seed puts `web-lb` (flexible, 10-100 Mbps, public) in front of web-01 and web-02 on port 80.
"""

from __future__ import annotations

import ipaddress
import re

import numpy as np

from .. import engine
from ..engine import Kind, Lifecycle
from ..metrics import Gen, Metric, MetricSource, declare
from ..protocol import ApiError, conflict, incorrect_state, invalid, not_found, ts
from ..registry import Context, Service

svc = Service("load_balancer", name="load_balancer")

KIND = "load_balancer"
WR_KIND = "lbworkrequest"
SHAPES = ("flexible", "10Mbps-Micro", "10Mbps", "100Mbps", "400Mbps", "8000Mbps")
FLEX_MIN, FLEX_MAX = 10, 8000
POLICIES = ("ROUND_ROBIN", "LEAST_CONNECTIONS", "IP_HASH")
PROTOCOLS = ("HTTP", "HTTP2", "TCP", "GRPC")
NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,255}$")
HOSTNAME_RE = re.compile(r"^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}"
                         r"[A-Za-z0-9])?(\.\*)?$")
MATCH_TYPES = ("EXACT_MATCH", "FORCE_LONGEST_PREFIX_MATCH", "PREFIX_MATCH", "SUFFIX_MATCH")
RULE_ACTIONS = ("ADD_HTTP_REQUEST_HEADER", "EXTEND_HTTP_REQUEST_HEADER_VALUE", "REMOVE_HTTP_REQUEST_HEADER",
                "ADD_HTTP_RESPONSE_HEADER", "EXTEND_HTTP_RESPONSE_HEADER_VALUE", "REMOVE_HTTP_RESPONSE_HEADER",
                "ALLOW", "CONTROL_ACCESS_USING_HTTP_METHODS", "REDIRECT", "HTTP_HEADER", "IP_BASED_MAX_CONNECTIONS")
PARTS = ("listeners", "backendSets", "certificates", "hostnames", "pathRouteSets", "ruleSets", "sslCipherSuites",
         "routingPolicies")


# ---------------------------------------------------------------- checks

def _name(v, what: str) -> str:
    if not isinstance(v, str) or not NAME_RE.match(v):
        raise invalid(f"{what} '{str(v)[:60]}' is not valid: 1-255 letters, digits, '-', '_' or '.'")
    return v


def _int(v, what: str, lo: int, hi: int, default: int | None = None) -> int:
    if v is None and default is not None:
        return default
    if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
        raise invalid(f"{what} must be a whole number from {lo} to {hi}, got {v!r}")
    return v


def check_shape(shape, details) -> dict | None:
    if shape not in SHAPES:
        raise invalid(f"shapeName '{str(shape)[:40]}' is not a load balancer shape: {', '.join(SHAPES)}")
    if shape != "flexible":
        if details:
            raise invalid(f"shapeDetails are for the flexible shape, not {shape}")
        return None
    if not isinstance(details, dict):
        raise ApiError(400, "MissingParameter", "shapeDetails (minimum and maximum bandwidth) are required "
                                                "with the flexible shape")
    lo = _int(details.get("minimumBandwidthInMbps"), "shapeDetails.minimumBandwidthInMbps", FLEX_MIN, FLEX_MAX)
    hi = _int(details.get("maximumBandwidthInMbps"), "shapeDetails.maximumBandwidthInMbps", FLEX_MIN, FLEX_MAX)
    if lo > hi:
        raise invalid(f"shapeDetails: the minimum bandwidth ({lo} Mbps) is more than the maximum ({hi} Mbps)")
    return {"minimumBandwidthInMbps": lo, "maximumBandwidthInMbps": hi}


def _subnets(ctx: Context, ids, private: bool) -> list[dict]:
    if not isinstance(ids, list) or not ids:
        raise ApiError(400, "MissingParameter", "subnetIds is required: one regional subnet, or two "
                                                "AD-specific subnets")
    subs = [engine.KINDS["subnet"].find_live(ctx, "subnet", s, f"subnetIds[{i}]") for i, s in enumerate(ids)]
    if len({s["vcnId"] for s in subs}) > 1:
        raise invalid("subnetIds: the subnets must be in the same VCN")
    regional = [s for s in subs if not s.get("availabilityDomain")]
    if len(subs) > 2 or (regional and len(subs) != 1):
        raise invalid("subnetIds: give one regional subnet, or two AD-specific subnets in different "
                      "availability domains")
    if len(subs) == 2:
        if private:
            raise invalid("subnetIds: a private load balancer takes one subnet")
        if subs[0]["availabilityDomain"] == subs[1]["availabilityDomain"]:
            raise invalid("subnetIds: the two AD-specific subnets must be in different availability domains")
    elif not private and not regional:
        raise invalid("subnetIds: a public load balancer in AD-specific subnets needs two, in different "
                      "availability domains")
    if not private and any(s.get("prohibitPublicIpOnVnic") for s in subs):
        raise invalid("subnetIds: a public load balancer cannot be in a private subnet")
    return subs


def _nsgs(ctx: Context, ids, vcn_id: str) -> list[str]:
    out = []
    for i, n in enumerate(ids or []):
        nsg = engine.KINDS["networksecuritygroup"].find_live(ctx, "networksecuritygroup", n,
                                                            f"networkSecurityGroupIds[{i}]")
        if nsg.get("vcnId") != vcn_id:
            raise invalid(f"networkSecurityGroupIds[{i}]: the network security group is not in the load "
                          "balancer's VCN")
        out.append(nsg["id"])
    if len(out) > 5:
        raise invalid("networkSecurityGroupIds: at most 5 network security groups")
    return out


def _lb_address(ctx: Context, subnet: dict, used: set[str]) -> str:
    net = ipaddress.ip_network(subnet["cidrBlock"])
    for n in range(int(net.broadcast_address) - 1, int(net.network_address) + 2, -1):
        ip = str(ipaddress.ip_address(n))
        if ip in used or any(p.get("subnetId") == subnet["id"]
                             for p in ctx.store.by_field("privateip", "ipAddress", ip)):
            continue
        return ip
    raise ApiError(409, "LimitExceeded", f"The subnet {subnet['id']} has no free address")


def _lb_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is not None:
        return {}
    shape = ctx.require(body.get("shapeName"), "shapeName")
    details = check_shape(shape, body.get("shapeDetails"))
    private = bool(body.get("isPrivate"))
    subs = _subnets(ctx, body.get("subnetIds"), private)
    vcn_id = subs[0]["vcnId"]
    nsgs = _nsgs(ctx, body.get("networkSecurityGroupIds"), vcn_id)
    used = {a["ipAddress"] for lb in ctx.list(KIND) if lb.get("lifecycleState") != "DELETED"
            for a in lb.get("_privateIps", [])}
    private_ip = _lb_address(ctx, subs[0], used)
    ips = []
    if private:
        ips.append({"ipAddress": private_ip, "isPublic": False})
    else:
        from .network import allocate_public_address
        ips.append({"ipAddress": allocate_public_address(ctx), "isPublic": True})
    doc: dict = {"shapeName": shape, "shapeDetails": details, "isPrivate": private,
                 "ipMode": body.get("ipMode") or "IPV4",
                 "subnetIds": [s["id"] for s in subs], "networkSecurityGroupIds": nsgs, "ipAddresses": ips,
                 "isDeleteProtectionEnabled": bool(body.get("isDeleteProtectionEnabled")),
                 "isRequestIdEnabled": bool(body.get("isRequestIdEnabled")),
                 "requestIdHeader": body.get("requestIdHeader") or ("X-Request-Id" if body.get("isRequestIdEnabled")
                                                                    else None),
                 "_privateIps": [{"ipAddress": private_ip, "subnetId": subs[0]["id"]}], "_vcnId": vcn_id,
                 "systemTags": {}, "securityAttributes": body.get("securityAttributes") or {}}
    for p in PARTS:
        doc[p] = {}
    # the parts a create may carry, in the order they depend on each other
    for name, c in (body.get("certificates") or {}).items():
        doc["certificates"][name] = check_certificate(dict(c, certificateName=name))
    for name, c in (body.get("sslCipherSuites") or {}).items():
        doc["sslCipherSuites"][name] = check_cipher_suite(dict(c), name)
    for name, h in (body.get("hostnames") or {}).items():
        doc["hostnames"][name] = check_hostname(dict(h, name=name), doc)
    for name, b in (body.get("backendSets") or {}).items():
        doc["backendSets"][name] = check_backend_set(dict(b, name=name), doc)
    for name, p in (body.get("pathRouteSets") or {}).items():
        doc["pathRouteSets"][name] = check_path_route_set(dict(p, name=name), doc)
    for name, r in (body.get("ruleSets") or {}).items():
        doc["ruleSets"][name] = check_rule_set(dict(r, name=name))
    for name, li in (body.get("listeners") or {}).items():
        doc["listeners"][name] = check_listener(dict(li, name=name), doc)
    return doc


def _ssl(ssl, lb: dict, where: str) -> dict | None:
    if not ssl:
        return None
    cert = ssl.get("certificateName")
    if not cert and not ssl.get("certificateIds"):
        raise ApiError(400, "MissingParameter", f"{where}.certificateName is required")
    if cert and cert not in lb["certificates"]:
        raise invalid(f"{where}.certificateName: the load balancer has no certificate '{str(cert)[:60]}'")
    suite = ssl.get("cipherSuiteName")
    if suite and not str(suite).startswith("oci-") and suite not in lb.get("sslCipherSuites", {}):
        raise invalid(f"{where}.cipherSuiteName: the load balancer has no cipher suite '{str(suite)[:60]}'")
    depth = _int(ssl.get("verifyDepth"), f"{where}.verifyDepth", 1, 10, 1)
    return {"certificateName": cert, "certificateIds": ssl.get("certificateIds"),
            "trustedCertificateAuthorityIds": ssl.get("trustedCertificateAuthorityIds"),
            "verifyPeerCertificate": bool(ssl.get("verifyPeerCertificate")), "verifyDepth": depth,
            "hasSessionResumption": ssl.get("hasSessionResumption", True),
            "protocols": ssl.get("protocols") or ["TLSv1.2", "TLSv1.3"],
            "cipherSuiteName": ssl.get("cipherSuiteName") or "oci-default-ssl-cipher-suite-v1",
            "serverOrderPreference": ssl.get("serverOrderPreference") or "ENABLED"}


def check_health_checker(hc, where: str = "healthChecker") -> dict:
    if not isinstance(hc, dict):
        raise ApiError(400, "MissingParameter", f"{where} is required")
    proto = hc.get("protocol")
    if proto not in ("HTTP", "HTTPS", "TCP"):
        raise invalid(f"{where}.protocol must be HTTP, HTTPS or TCP, got {proto!r}")
    url = hc.get("urlPath")
    if proto != "TCP":
        url = url or "/"
        if not str(url).startswith("/"):
            raise invalid(f"{where}.urlPath must start with '/'")
    interval = _int(hc.get("intervalInMillis"), f"{where}.intervalInMillis", 1000, 1_800_000, 10_000)
    timeout = _int(hc.get("timeoutInMillis"), f"{where}.timeoutInMillis", 1, 600_000, 3000)
    regex = hc.get("responseBodyRegex")
    if regex:
        try:
            re.compile(regex)
        except re.error as e:
            raise invalid(f"{where}.responseBodyRegex does not parse: {e}") from None
    return {"protocol": proto, "urlPath": url if proto != "TCP" else None,
            "port": _int(hc.get("port"), f"{where}.port", 0, 65535, 0),
            "returnCode": _int(hc.get("returnCode"), f"{where}.returnCode", 100, 599, 200),
            "retries": _int(hc.get("retries"), f"{where}.retries", 1, 10, 3), "timeoutInMillis": timeout,
            "intervalInMillis": interval, "responseBodyRegex": regex or "",
            "isForcePlainText": bool(hc.get("isForcePlainText"))}


def check_backend(b: dict, policy: str, where: str = "backend") -> dict:
    ip = b.get("ipAddress")
    try:
        ipaddress.ip_address(str(ip))
    except ValueError:
        raise invalid(f"{where}.ipAddress '{str(ip)[:60]}' is not an IP address") from None
    port = _int(b.get("port"), f"{where}.port", 1, 65535)
    if b.get("backup") and policy == "IP_HASH":
        raise invalid(f"{where}.backup: backup backends are not allowed with the IP_HASH policy")
    mc = b.get("maxConnections")
    return {"name": f"{ip}:{port}", "ipAddress": str(ip), "port": port,
            "weight": _int(b.get("weight"), f"{where}.weight", 1, 100, 1),
            "maxConnections": _int(mc, f"{where}.maxConnections", 256, 65535) if mc is not None else None,
            "backup": bool(b.get("backup")), "drain": bool(b.get("drain")), "offline": bool(b.get("offline"))}


def check_backend_set(b: dict, lb: dict, existing: dict | None = None) -> dict:
    name = _name(b.get("name") if existing is None else existing["name"], "name")
    policy = b.get("policy") or (existing or {}).get("policy")
    if policy not in POLICIES:
        raise invalid(f"policy must be one of {', '.join(POLICIES)}, got {policy!r}")
    sp, lbc = b.get("sessionPersistenceConfiguration"), b.get("lbCookieSessionPersistenceConfiguration")
    if sp and lbc:
        raise invalid("sessionPersistenceConfiguration and lbCookieSessionPersistenceConfiguration cannot both "
                      "be set")
    if sp and not sp.get("cookieName"):
        raise ApiError(400, "MissingParameter", "sessionPersistenceConfiguration.cookieName is required")
    backends, seen = [], set()
    for i, be in enumerate(b.get("backends") or []):
        one = check_backend(be, policy, f"backends[{i}]")
        if one["name"] in seen:
            raise invalid(f"backends[{i}]: the backend {one['name']} is listed twice")
        seen.add(one["name"])
        backends.append(one)
    mc = b.get("backendMaxConnections")
    return {"name": name, "policy": policy, "backends": backends,
            "backendMaxConnections": _int(mc, "backendMaxConnections", 256, 65535) if mc is not None else None,
            "healthChecker": check_health_checker(b.get("healthChecker")),
            "sslConfiguration": _ssl(b.get("sslConfiguration"), lb, "sslConfiguration"),
            "sessionPersistenceConfiguration": {"cookieName": sp["cookieName"],
                                                "disableFallback": bool(sp.get("disableFallback"))} if sp else None,
            "lbCookieSessionPersistenceConfiguration": {
                "cookieName": lbc.get("cookieName") or "X-Oracle-BMC-LBS-Route",
                "disableFallback": bool(lbc.get("disableFallback")), "domain": lbc.get("domain"),
                "path": lbc.get("path") or "/", "maxAgeInSeconds": lbc.get("maxAgeInSeconds"),
                "isSecure": lbc.get("isSecure", True), "isHttpOnly": lbc.get("isHttpOnly", True)} if lbc else None}


def check_listener(li: dict, lb: dict, existing: dict | None = None) -> dict:
    name = _name(li.get("name") if existing is None else existing["name"], "name")
    proto = li.get("protocol")
    if proto not in PROTOCOLS:
        raise invalid(f"protocol must be one of {', '.join(PROTOCOLS)} (HTTPS is HTTP with an sslConfiguration), "
                      f"got {proto!r}")
    port = _int(li.get("port"), "port", 1, 65535)
    for other in lb["listeners"].values():
        if other["name"] != name and other["port"] == port:
            raise invalid(f"port {port} is already used by the listener '{other['name']}' of this load balancer")
    bs = ctx_require(li.get("defaultBackendSetName"), "defaultBackendSetName")
    if bs not in lb["backendSets"]:
        raise invalid(f"defaultBackendSetName: the load balancer has no backend set '{str(bs)[:60]}'")
    ssl = _ssl(li.get("sslConfiguration"), lb, "sslConfiguration")
    if proto in ("HTTP2", "GRPC") and ssl is None:
        raise invalid(f"a {proto} listener needs an sslConfiguration")
    hosts = li.get("hostnameNames") or []
    for h in hosts:
        if h not in lb["hostnames"]:
            raise invalid(f"hostnameNames: the load balancer has no hostname '{str(h)[:60]}'")
    prs = li.get("pathRouteSetName")
    if prs and prs not in lb["pathRouteSets"]:
        raise invalid(f"pathRouteSetName: the load balancer has no path route set '{str(prs)[:60]}'")
    rp = li.get("routingPolicyName")
    if rp and rp not in lb.get("routingPolicies", {}):
        raise invalid(f"routingPolicyName: the load balancer has no routing policy '{str(rp)[:60]}'")
    if rp and prs:
        raise invalid("a listener takes a path route set or a routing policy, not both")
    rules = li.get("ruleSetNames") or []
    for r in rules:
        if r not in lb["ruleSets"]:
            raise invalid(f"ruleSetNames: the load balancer has no rule set '{str(r)[:60]}'")
    cc = li.get("connectionConfiguration") or {}
    idle = _int(cc.get("idleTimeout"), "connectionConfiguration.idleTimeout", 1, 7200, 300 if proto == "TCP" else 60)
    ppv = cc.get("backendTcpProxyProtocolVersion")
    if ppv is not None and (proto != "TCP" or ppv not in (1, 2)):
        raise invalid("connectionConfiguration.backendTcpProxyProtocolVersion is 1 or 2, for TCP listeners")
    return {"name": name, "defaultBackendSetName": bs, "port": port, "protocol": proto, "hostnameNames": hosts,
            "pathRouteSetName": prs, "sslConfiguration": ssl, "ruleSetNames": rules, "routingPolicyName": rp or None,
            "connectionConfiguration": {"idleTimeout": idle, "backendTcpProxyProtocolVersion": ppv,
                                        "backendTcpProxyProtocolOptions": cc.get("backendTcpProxyProtocolOptions")}}


def ctx_require(v, name: str):
    if v is None or (isinstance(v, str) and not v.strip()):
        raise ApiError(400, "MissingParameter", f"{name} is required")
    return v


def check_certificate(c: dict) -> dict:
    """A certificate bundle as OCI takes it: PEM certificate, its private key (matching), CA chain."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    name = _name(ctx_require(c.get("certificateName"), "certificateName"), "certificateName")
    pub, key, ca = c.get("publicCertificate"), c.get("privateKey"), c.get("caCertificate")
    if not pub and not ca:
        raise ApiError(400, "MissingParameter", "publicCertificate or caCertificate is required")
    cert = None
    if pub:
        try:
            cert = x509.load_pem_x509_certificate(str(pub).encode())
        except ValueError:
            raise invalid("publicCertificate is not a PEM-encoded X.509 certificate") from None
    if ca:
        try:
            x509.load_pem_x509_certificates(str(ca).encode())
        except ValueError:
            raise invalid("caCertificate is not a PEM-encoded X.509 certificate chain") from None
    if key:
        if cert is None:
            raise invalid("privateKey needs the publicCertificate it belongs to")
        pw = c.get("passphrase")
        try:
            pk = serialization.load_pem_private_key(str(key).encode(), pw.encode() if pw else None)
        except TypeError:
            raise invalid("privateKey is encrypted: give its passphrase" if not pw else
                          "passphrase: the private key is not encrypted") from None
        except ValueError:
            raise invalid("privateKey is not a PEM-encoded private key, or the passphrase is wrong") from None
        fmt = serialization.PublicFormat.SubjectPublicKeyInfo
        enc = serialization.Encoding.DER
        if pk.public_key().public_bytes(enc, fmt) != cert.public_key().public_bytes(enc, fmt):
            raise invalid("privateKey does not match the public certificate")
    elif pub:
        raise ApiError(400, "MissingParameter", "privateKey is required with a publicCertificate")
    return {"certificateName": name, "publicCertificate": pub or "", "caCertificate": ca or ""}


def check_hostname(h: dict, lb: dict) -> dict:
    name = _name(ctx_require(h.get("name"), "name"), "name")
    host = ctx_require(h.get("hostname"), "hostname")
    if not HOSTNAME_RE.match(str(host)) or len(str(host)) > 255:
        raise invalid(f"hostname '{str(host)[:60]}' is not a valid host name (a '*.' or '.*' wildcard is allowed)")
    return {"name": name, "hostname": host}


def check_path_route_set(p: dict, lb: dict, name: str | None = None) -> dict:
    name = _name(name or ctx_require(p.get("name"), "name"), "name")
    routes = []
    for i, r in enumerate(ctx_require(p.get("pathRoutes"), "pathRoutes")):
        path = ctx_require(r.get("path"), f"pathRoutes[{i}].path")
        mt = (r.get("pathMatchType") or {}).get("matchType")
        if mt not in MATCH_TYPES:
            raise invalid(f"pathRoutes[{i}].pathMatchType.matchType must be one of {', '.join(MATCH_TYPES)}")
        bs = r.get("backendSetName")
        if bs not in lb["backendSets"]:
            raise invalid(f"pathRoutes[{i}].backendSetName: the load balancer has no backend set '{str(bs)[:60]}'")
        routes.append({"path": path, "pathMatchType": {"matchType": mt}, "backendSetName": bs})
    if len(routes) > 20:
        raise invalid("pathRoutes: at most 20 path routes in a set")
    return {"name": name, "pathRoutes": routes}


def check_rule_set(r: dict, name: str | None = None) -> dict:
    name = _name(name or ctx_require(r.get("name"), "name"), "name")
    items = ctx_require(r.get("items"), "items")
    for i, it in enumerate(items):
        if (it or {}).get("action") not in RULE_ACTIONS:
            raise invalid(f"items[{i}].action must be one of {', '.join(RULE_ACTIONS)}")
        if it["action"] in ("ADD_HTTP_REQUEST_HEADER", "ADD_HTTP_RESPONSE_HEADER") and \
                (not it.get("header") or it.get("value") is None):
            raise ApiError(400, "MissingParameter", f"items[{i}]: header and value are required")
    return {"name": name, "items": list(items)}


# the routing policy language (V1): all(...)/any(...) of conditions on the request, e.g.
# any(http.request.url.path sw (i '/api'), http.request.headers[(i 'user-agent')] eq 'curl')
_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^'\\]|\\.)*')|(?P<word>[A-Za-z_][A-Za-z0-9_.]*)|(?P<punct>[(),\[\]]))")
_MAPS = ("http.request.headers", "http.request.url.query", "http.request.cookies")
_SCALARS = ("http.request.url.path", "http.request.version", "http.request.method", "http.request.host")
_OPS = ("eq", "sw", "ew")


def _tokens(text: str) -> list[str]:
    out, i = [], 0
    text = text.rstrip()
    while i < len(text):
        m = _TOKEN.match(text, i)
        if m is None or m.end() == i:
            raise ValueError(f"unexpected character at {i + 1}: '{text[i:i + 12]}'")
        out.append(m.group("str") or m.group("word") or m.group("punct"))
        i = m.end()
    return out


def check_condition(text) -> None:
    """Raise ValueError naming what does not parse in a routing rule's condition."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("the condition is empty")
    toks = _tokens(text)
    pos = 0

    def peek() -> str | None:
        return toks[pos] if pos < len(toks) else None

    def take(want: str | None = None) -> str:
        nonlocal pos
        t = peek()
        if t is None or (want is not None and t != want):
            raise ValueError(f"expected {want or 'more'} at token {pos + 1}, got {t or 'the end'}")
        pos += 1
        return t

    def value() -> None:
        if peek() == "(":
            take("(")
            take("i")
            if not (peek() or "").startswith("'"):
                raise ValueError(f"expected a quoted string after (i at token {pos + 1}")
            take()
            take(")")
        elif (peek() or "").startswith("'"):
            take()
        else:
            raise ValueError(f"expected a string or (i 'string') at token {pos + 1}, got {peek() or 'the end'}")

    def attribute() -> None:
        t = take()
        if t in _MAPS:
            take("[")
            value()
            take("]")
        elif t not in _SCALARS:
            raise ValueError(f"unknown attribute {t}")

    def expr(depth: int) -> None:
        if depth > 2:
            raise ValueError("conditions nest at most two levels deep")
        t = peek()
        if t in ("all", "any"):
            take()
            take("(")
            expr(depth + 1)
            while peek() == ",":
                take(",")
                expr(depth + 1)
            take(")")
            return
        if t is not None and (t.startswith("'") or t == "("):  # 'key' in (http.request.headers)
            value()
            if peek() == "not":
                take("not")
            take("in")
            take("(")
            if take() not in _MAPS:
                raise ValueError(f"'in' takes one of {', '.join(_MAPS)}")
            take(")")
            return
        attribute()
        if peek() == "not":
            take("not")
        if take() not in _OPS:
            raise ValueError(f"expected one of {', '.join(_OPS)} at token {pos}")
        value()

    expr(0)
    if pos != len(toks):
        raise ValueError(f"unexpected {toks[pos]} at token {pos + 1}")


def check_routing_policy(p: dict, lb: dict, name: str | None = None) -> dict:
    name = name or ctx_require(p.get("name"), "name")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,31}", str(name)):
        raise invalid(f"name '{str(name)[:40]}': a letter or '_' first, then letters, digits and '_' (at most 32)")
    if (p.get("conditionLanguageVersion") or "V1") != "V1":
        raise invalid("conditionLanguageVersion must be V1")
    rules = ctx_require(p.get("rules"), "rules")
    out = []
    for i, r in enumerate(rules):
        try:
            check_condition(r.get("condition"))
        except ValueError as e:
            raise invalid(f"rules[{i}].condition does not parse: {e}") from None
        actions = r.get("actions") or []
        if len(actions) != 1 or actions[0].get("name") != "FORWARD_TO_BACKENDSET":
            raise invalid(f"rules[{i}].actions: one FORWARD_TO_BACKENDSET action")
        bs = actions[0].get("backendSetName")
        if bs not in lb["backendSets"]:
            raise invalid(f"rules[{i}].actions[0].backendSetName: the load balancer has no backend set "
                          f"'{str(bs)[:60]}'")
        out.append({"name": ctx_require(r.get("name"), f"rules[{i}].name"), "condition": r["condition"],
                    "actions": [{"name": "FORWARD_TO_BACKENDSET", "backendSetName": bs}]})
    return {"name": name, "conditionLanguageVersion": "V1", "rules": out}


CIPHER_RE = re.compile(r"^[A-Z0-9_-]{3,80}$")


def check_cipher_suite(c: dict, name: str | None = None) -> dict:
    name = _name(name or ctx_require(c.get("name"), "name"), "name")
    if name.startswith("oci-"):
        raise invalid("name: names starting with 'oci-' are OCI's predefined cipher suites")
    ciphers = ctx_require(c.get("ciphers"), "ciphers")
    bad = [x for x in ciphers if not isinstance(x, str) or not CIPHER_RE.match(x)]
    if bad:
        raise invalid(f"ciphers: '{str(bad[0])[:60]}' is not an OpenSSL cipher name")
    return {"name": name, "ciphers": list(ciphers)}


LB = svc.resource(Kind(
    KIND, "LoadBalancer", "load balancer", ocid="loadbalancer",
    lifecycle=Lifecycle("CREATING", "ACTIVE", None, "DELETING", "DELETED", failed="FAILED"),
    validate=_lb_checks, search="LoadBalancer", default_name="lb"))


# ---------------------------------------------------------------- work requests

def start_wr(ctx: Context, lb: dict, wr_type: str, message: str) -> str:
    """An ACCEPTED work request of this service about `lb`, its id in the response headers."""
    doc = {"id": ctx.new_id("loadbalancerworkrequest"), "loadBalancerId": lb["id"], "type": wr_type,
           "compartmentId": lb["compartmentId"], "lifecycleState": "ACCEPTED", "message": message,
           "timeAccepted": ctx.ts(), "timeFinished": None, "errorDetails": [], "_region": ctx.region}
    ctx.put(WR_KIND, doc)
    ctx.response_headers["opc-work-request-id"] = doc["id"]
    return doc["id"]


def _finish(core, wr_id: str | None, lb_state: str | None = None) -> None:
    doc = core.store.get(WR_KIND, wr_id) if wr_id else None
    if doc is None or doc["lifecycleState"] in ("SUCCEEDED", "FAILED"):
        return
    core.store.update(WR_KIND, wr_id, {"lifecycleState": "SUCCEEDED", "timeFinished": ts(core.clock.now()),
                                       "message": f"{doc['message']} (done)"})


@svc.hook("load_balancer.done")
def _done(core, doc: dict, args: dict) -> None:
    if args.get("deleted") and doc:
        engine.settle_deleted(core, LB, doc, None)
    _finish(core, args.get("wr"))


def _change(ctx: Context, lb: dict, wr_type: str, message: str, changes: dict | None = None) -> None:
    """Apply `changes` to the load balancer and answer with a work request that succeeds a step later."""
    if changes:
        ctx.update(KIND, lb["id"], changes)
    wr = start_wr(ctx, lb, wr_type, message)
    ctx.schedule(None, None, {}, steps=1, hook="load_balancer.done", args={"wr": wr, "id": lb["id"]})


@svc.op("get_work_request")
def get_work_request(ctx: Context):
    return ctx.get(WR_KIND, ctx.path["workRequestId"], "work request")


@svc.op("list_work_requests")
def list_work_requests(ctx: Context):
    lb = ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")
    docs = [d for d in ctx.store.by_field(WR_KIND, "loadBalancerId", lb["id"])]
    docs.sort(key=lambda d: d["timeAccepted"], reverse=True)
    return docs


# ---------------------------------------------------------------- load balancers

@svc.op("create_load_balancer")
def create_load_balancer(ctx: Context):
    doc = LB.create(ctx)  # CREATING; ACTIVE one transition later (the engine's lifecycle)
    wr = start_wr(ctx, doc, "CreateLoadBalancer", f"Create load balancer {doc['displayName']}")
    ctx.schedule(KIND, doc["id"], {}, steps=1, when_state=["ACTIVE", "CREATING"], hook="load_balancer.done",
                 args={"wr": wr})
    return None


def _lb(ctx: Context, states: tuple[str, ...] = ("ACTIVE",)) -> dict:
    doc = ctx.get_for_write(KIND, ctx.path["loadBalancerId"], "load balancer")
    if doc.get("lifecycleState") not in states:
        raise incorrect_state(f"The load balancer {doc['displayName']} is {doc.get('lifecycleState')}; "
                              f"it can be changed when {' or '.join(states)}")
    return doc


@svc.op("update_load_balancer")
def update_load_balancer(ctx: Context):
    lb = _lb(ctx)
    b = ctx.body or {}
    changes: dict = {}
    if b.get("displayName") is not None:
        changes["displayName"] = engine.check_name(b["displayName"])
    for f in ("isDeleteProtectionEnabled", "isRequestIdEnabled"):
        if isinstance(b.get(f), bool):
            changes[f] = b[f]
    if b.get("requestIdHeader") is not None:
        changes["requestIdHeader"] = b["requestIdHeader"]
    changes.update(ctx.tags(b))
    _change(ctx, lb, "UpdateLoadBalancer", f"Update load balancer {lb['displayName']}", changes)


@svc.op("update_load_balancer_shape")
def update_load_balancer_shape(ctx: Context):
    lb = _lb(ctx)
    b = ctx.body or {}
    shape = ctx.require(b.get("shapeName"), "shapeName")
    details = check_shape(shape, b.get("shapeDetails"))
    _change(ctx, lb, "UpdateShape", f"Update the shape of {lb['displayName']} to {shape}",
            {"shapeName": shape, "shapeDetails": details})


@svc.op("update_network_security_groups")
def update_network_security_groups(ctx: Context):
    lb = _lb(ctx)
    nsgs = _nsgs(ctx, (ctx.body or {}).get("networkSecurityGroupIds"), lb["_vcnId"])
    _change(ctx, lb, "UpdateNetworkSecurityGroups", f"Update the NSGs of {lb['displayName']}",
            {"networkSecurityGroupIds": nsgs})


@svc.op("change_load_balancer_compartment")
def change_load_balancer_compartment(ctx: Context):
    lb = _lb(ctx)
    comp = ctx.compartment((ctx.body or {}).get("compartmentId"))
    ctx.update(KIND, lb["id"], {"compartmentId": comp["id"]})
    _change(ctx, dict(lb, compartmentId=comp["id"]), "ChangeCompartment",
            f"Move load balancer {lb['displayName']}")


@svc.op("delete_load_balancer")
def delete_load_balancer(ctx: Context):
    lb = _lb(ctx, ("ACTIVE", "FAILED"))
    if lb.get("isDeleteProtectionEnabled"):
        raise invalid("The load balancer has delete protection enabled: disable it first")
    ctx.update(KIND, lb["id"], {"lifecycleState": "DELETING"})
    wr = start_wr(ctx, lb, "DeleteLoadBalancer", f"Delete load balancer {lb['displayName']}")
    ctx.schedule(KIND, lb["id"], {"lifecycleState": "DELETED"}, steps=1, when_state="DELETING",
                 hook="load_balancer.done", args={"wr": wr, "deleted": True})


# ---------------------------------------------------------------- parts kept by name

def _part(lb: dict, field: str, name: str, what: str) -> dict:
    doc = lb[field].get(name)
    if doc is None:
        raise not_found(what, name)
    return doc


def _with(lb: dict, field: str, name: str, value: dict | None) -> dict:
    parts = dict(lb[field])
    if value is None:
        parts.pop(name, None)
    else:
        parts[name] = value
    return {field: parts}


def _new_part(ctx: Context, lb: dict, field: str, name: str, what: str) -> None:
    if name in lb[field]:
        raise conflict(f"The load balancer already has a {what} named '{name}'")


def _used_by_listener(lb: dict, test, what: str, name: str) -> None:
    for li in lb["listeners"].values():
        if test(li):
            raise conflict(f"The {what} '{name}' is used by the listener '{li['name']}'")


# backend sets
@svc.op("create_backend_set")
def create_backend_set(ctx: Context):
    lb = _lb(ctx)
    b = ctx.body or {}
    bs = check_backend_set(b, lb)
    _new_part(ctx, lb, "backendSets", bs["name"], "backend set")
    _change(ctx, lb, "CreateBackendSet", f"Create backend set {bs['name']}", _with(lb, "backendSets", bs["name"], bs))


@svc.op("get_backend_set")
def get_backend_set(ctx: Context):
    lb = ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")
    return _part(lb, "backendSets", ctx.path["backendSetName"], "backend set")


@svc.op("list_backend_sets")
def list_backend_sets(ctx: Context):
    return list(ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")["backendSets"].values())


@svc.op("update_backend_set")
def update_backend_set(ctx: Context):
    lb = _lb(ctx)
    old = _part(lb, "backendSets", ctx.path["backendSetName"], "backend set")
    bs = check_backend_set(ctx.body or {}, lb, old)
    _change(ctx, lb, "UpdateBackendSet", f"Update backend set {bs['name']}", _with(lb, "backendSets", bs["name"], bs))


@svc.op("delete_backend_set")
def delete_backend_set(ctx: Context):
    lb = _lb(ctx)
    name = ctx.path["backendSetName"]
    _part(lb, "backendSets", name, "backend set")
    _used_by_listener(lb, lambda li: li["defaultBackendSetName"] == name, "backend set", name)
    for p in lb["pathRouteSets"].values():
        if any(r["backendSetName"] == name for r in p["pathRoutes"]):
            raise conflict(f"The backend set '{name}' is used by the path route set '{p['name']}'")
    _change(ctx, lb, "DeleteBackendSet", f"Delete backend set {name}", _with(lb, "backendSets", name, None))


@svc.op("get_health_checker")
def get_health_checker(ctx: Context):
    lb = ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")
    return _part(lb, "backendSets", ctx.path["backendSetName"], "backend set")["healthChecker"]


@svc.op("update_health_checker")
def update_health_checker(ctx: Context):
    lb = _lb(ctx)
    bs = dict(_part(lb, "backendSets", ctx.path["backendSetName"], "backend set"))
    bs["healthChecker"] = check_health_checker(ctx.body, "healthChecker")
    _change(ctx, lb, "UpdateHealthChecker", f"Update the health checker of {bs['name']}",
            _with(lb, "backendSets", bs["name"], bs))


# backends
def _backend_set_for_write(ctx: Context) -> tuple[dict, dict]:
    lb = _lb(ctx)
    return lb, dict(_part(lb, "backendSets", ctx.path["backendSetName"], "backend set"))


@svc.op("create_backend")
def create_backend(ctx: Context):
    lb, bs = _backend_set_for_write(ctx)
    be = check_backend(ctx.body or {}, bs["policy"], "backend")
    if any(o["name"] == be["name"] for o in bs["backends"]):
        raise conflict(f"The backend set '{bs['name']}' already has the backend {be['name']}")
    bs["backends"] = bs["backends"] + [be]
    _change(ctx, lb, "CreateBackend", f"Create backend {be['name']} in {bs['name']}",
            _with(lb, "backendSets", bs["name"], bs))


def _backend(bs: dict, name: str) -> dict:
    for b in bs["backends"]:
        if b["name"] == name:
            return b
    raise not_found("backend", name)


@svc.op("get_backend")
def get_backend(ctx: Context):
    lb = ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")
    return _backend(_part(lb, "backendSets", ctx.path["backendSetName"], "backend set"), ctx.path["backendName"])


@svc.op("list_backends")
def list_backends(ctx: Context):
    lb = ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")
    return list(_part(lb, "backendSets", ctx.path["backendSetName"], "backend set")["backends"])


@svc.op("update_backend")
def update_backend(ctx: Context):
    lb, bs = _backend_set_for_write(ctx)
    old = _backend(bs, ctx.path["backendName"])
    b = ctx.body or {}
    merged = dict(old)
    merged.update({k: v for k, v in b.items() if v is not None})
    be = check_backend(merged, bs["policy"], "backend")
    bs["backends"] = [be if o["name"] == old["name"] else o for o in bs["backends"]]
    _change(ctx, lb, "UpdateBackend", f"Update backend {be['name']}", _with(lb, "backendSets", bs["name"], bs))


@svc.op("delete_backend")
def delete_backend(ctx: Context):
    lb, bs = _backend_set_for_write(ctx)
    old = _backend(bs, ctx.path["backendName"])
    bs["backends"] = [o for o in bs["backends"] if o["name"] != old["name"]]
    _change(ctx, lb, "DeleteBackend", f"Delete backend {old['name']}", _with(lb, "backendSets", bs["name"], bs))


# listeners
@svc.op("create_listener")
def create_listener(ctx: Context):
    lb = _lb(ctx)
    b = ctx.body or {}
    _new_part(ctx, lb, "listeners", _name(ctx_require(b.get("name"), "name"), "name"), "listener")
    li = check_listener(b, lb)
    _change(ctx, lb, "CreateListener", f"Create listener {li['name']}", _with(lb, "listeners", li["name"], li))


@svc.op("update_listener")
def update_listener(ctx: Context):
    lb = _lb(ctx)
    old = _part(lb, "listeners", ctx.path["listenerName"], "listener")
    li = check_listener(ctx.body or {}, lb, old)
    _change(ctx, lb, "UpdateListener", f"Update listener {li['name']}", _with(lb, "listeners", li["name"], li))


@svc.op("delete_listener")
def delete_listener(ctx: Context):
    lb = _lb(ctx)
    name = ctx.path["listenerName"]
    _part(lb, "listeners", name, "listener")
    _change(ctx, lb, "DeleteListener", f"Delete listener {name}", _with(lb, "listeners", name, None))


# certificates
@svc.op("create_certificate")
def create_certificate(ctx: Context):
    lb = _lb(ctx)
    c = check_certificate(ctx.body or {})
    _new_part(ctx, lb, "certificates", c["certificateName"], "certificate")
    _change(ctx, lb, "CreateCertificate", f"Create certificate {c['certificateName']}",
            _with(lb, "certificates", c["certificateName"], c))


@svc.op("list_certificates")
def list_certificates(ctx: Context):
    return list(ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")["certificates"].values())


@svc.op("delete_certificate")
def delete_certificate(ctx: Context):
    lb = _lb(ctx)
    name = ctx.path["certificateName"]
    _part(lb, "certificates", name, "certificate")
    _used_by_listener(lb, lambda li: (li.get("sslConfiguration") or {}).get("certificateName") == name,
                      "certificate", name)
    for bs in lb["backendSets"].values():
        if (bs.get("sslConfiguration") or {}).get("certificateName") == name:
            raise conflict(f"The certificate '{name}' is used by the backend set '{bs['name']}'")
    _change(ctx, lb, "DeleteCertificate", f"Delete certificate {name}", _with(lb, "certificates", name, None))


# hostnames
@svc.op("create_hostname")
def create_hostname(ctx: Context):
    lb = _lb(ctx)
    h = check_hostname(ctx.body or {}, lb)
    _new_part(ctx, lb, "hostnames", h["name"], "hostname")
    _change(ctx, lb, "CreateHostname", f"Create hostname {h['name']}", _with(lb, "hostnames", h["name"], h))


@svc.op("get_hostname")
def get_hostname(ctx: Context):
    lb = ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")
    return _part(lb, "hostnames", ctx.path["name"], "hostname")


@svc.op("list_hostnames")
def list_hostnames(ctx: Context):
    return list(ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")["hostnames"].values())


@svc.op("delete_hostname")
def delete_hostname(ctx: Context):
    lb = _lb(ctx)
    name = ctx.path["name"]
    _part(lb, "hostnames", name, "hostname")
    _used_by_listener(lb, lambda li: name in (li.get("hostnameNames") or []), "hostname", name)
    _change(ctx, lb, "DeleteHostname", f"Delete hostname {name}", _with(lb, "hostnames", name, None))


# path route sets
@svc.op("create_path_route_set")
def create_path_route_set(ctx: Context):
    lb = _lb(ctx)
    p = check_path_route_set(ctx.body or {}, lb)
    _new_part(ctx, lb, "pathRouteSets", p["name"], "path route set")
    _change(ctx, lb, "CreatePathRouteSet", f"Create path route set {p['name']}",
            _with(lb, "pathRouteSets", p["name"], p))


@svc.op("get_path_route_set")
def get_path_route_set(ctx: Context):
    lb = ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")
    return _part(lb, "pathRouteSets", ctx.path["pathRouteSetName"], "path route set")


@svc.op("list_path_route_sets")
def list_path_route_sets(ctx: Context):
    return list(ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")["pathRouteSets"].values())


@svc.op("delete_path_route_set")
def delete_path_route_set(ctx: Context):
    lb = _lb(ctx)
    name = ctx.path["pathRouteSetName"]
    _part(lb, "pathRouteSets", name, "path route set")
    _used_by_listener(lb, lambda li: li.get("pathRouteSetName") == name, "path route set", name)
    _change(ctx, lb, "DeletePathRouteSet", f"Delete path route set {name}", _with(lb, "pathRouteSets", name, None))


# rule sets
@svc.op("create_rule_set")
def create_rule_set(ctx: Context):
    lb = _lb(ctx)
    r = check_rule_set(ctx.body or {})
    _new_part(ctx, lb, "ruleSets", r["name"], "rule set")
    _change(ctx, lb, "CreateRuleSet", f"Create rule set {r['name']}", _with(lb, "ruleSets", r["name"], r))


@svc.op("get_rule_set")
def get_rule_set(ctx: Context):
    lb = ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")
    return _part(lb, "ruleSets", ctx.path["ruleSetName"], "rule set")


@svc.op("list_rule_sets")
def list_rule_sets(ctx: Context):
    return list(ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")["ruleSets"].values())


@svc.op("delete_rule_set")
def delete_rule_set(ctx: Context):
    lb = _lb(ctx)
    name = ctx.path["ruleSetName"]
    _part(lb, "ruleSets", name, "rule set")
    _used_by_listener(lb, lambda li: name in (li.get("ruleSetNames") or []), "rule set", name)
    _change(ctx, lb, "DeleteRuleSet", f"Delete rule set {name}", _with(lb, "ruleSets", name, None))


@svc.op("update_rule_set")
def update_rule_set(ctx: Context):
    lb = _lb(ctx)
    name = ctx.path["ruleSetName"]
    _part(lb, "ruleSets", name, "rule set")
    r = check_rule_set(ctx.body or {}, name)
    _change(ctx, lb, "UpdateRuleSet", f"Update rule set {name}", _with(lb, "ruleSets", name, r))


@svc.op("update_hostname")
def update_hostname(ctx: Context):
    lb = _lb(ctx)
    name = ctx.path["name"]
    _part(lb, "hostnames", name, "hostname")
    h = check_hostname(dict(ctx.body or {}, name=name), lb)
    _change(ctx, lb, "UpdateHostname", f"Update hostname {name}", _with(lb, "hostnames", name, h))


@svc.op("update_path_route_set")
def update_path_route_set(ctx: Context):
    lb = _lb(ctx)
    name = ctx.path["pathRouteSetName"]
    _part(lb, "pathRouteSets", name, "path route set")
    p = check_path_route_set(ctx.body or {}, lb, name)
    _change(ctx, lb, "UpdatePathRouteSet", f"Update path route set {name}", _with(lb, "pathRouteSets", name, p))


@svc.op("list_listener_rules")
def list_listener_rules(ctx: Context):
    lb = ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")
    li = _part(lb, "listeners", ctx.path["listenerName"], "listener")
    return [{"rule": item, "ruleSetName": rs} for rs in li.get("ruleSetNames") or []
            for item in lb["ruleSets"].get(rs, {}).get("items", [])]


# routing policies
@svc.op("create_routing_policy")
def create_routing_policy(ctx: Context):
    lb = _lb(ctx)
    p = check_routing_policy(ctx.body or {}, lb)
    _new_part(ctx, lb, "routingPolicies", p["name"], "routing policy")
    _change(ctx, lb, "CreateRoutingPolicy", f"Create routing policy {p['name']}",
            _with(lb, "routingPolicies", p["name"], p))


@svc.op("get_routing_policy")
def get_routing_policy(ctx: Context):
    lb = ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")
    return _part(lb, "routingPolicies", ctx.path["routingPolicyName"], "routing policy")


@svc.op("list_routing_policies")
def list_routing_policies(ctx: Context):
    return list(ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")["routingPolicies"].values())


@svc.op("update_routing_policy")
def update_routing_policy(ctx: Context):
    lb = _lb(ctx)
    name = ctx.path["routingPolicyName"]
    _part(lb, "routingPolicies", name, "routing policy")
    p = check_routing_policy(ctx.body or {}, lb, name)
    _change(ctx, lb, "UpdateRoutingPolicy", f"Update routing policy {name}", _with(lb, "routingPolicies", name, p))


@svc.op("delete_routing_policy")
def delete_routing_policy(ctx: Context):
    lb = _lb(ctx)
    name = ctx.path["routingPolicyName"]
    _part(lb, "routingPolicies", name, "routing policy")
    _used_by_listener(lb, lambda li: li.get("routingPolicyName") == name, "routing policy", name)
    _change(ctx, lb, "DeleteRoutingPolicy", f"Delete routing policy {name}", _with(lb, "routingPolicies", name, None))


# SSL cipher suites
@svc.op("create_ssl_cipher_suite")
def create_ssl_cipher_suite(ctx: Context):
    lb = _lb(ctx)
    c = check_cipher_suite(ctx.body or {})
    _new_part(ctx, lb, "sslCipherSuites", c["name"], "cipher suite")
    _change(ctx, lb, "CreateSSLCipherSuite", f"Create cipher suite {c['name']}",
            _with(lb, "sslCipherSuites", c["name"], c))


@svc.op("get_ssl_cipher_suite")
def get_ssl_cipher_suite(ctx: Context):
    lb = ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")
    return _part(lb, "sslCipherSuites", ctx.path["name"], "cipher suite")


@svc.op("list_ssl_cipher_suites")
def list_ssl_cipher_suites(ctx: Context):
    return list(ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")["sslCipherSuites"].values())


@svc.op("update_ssl_cipher_suite")
def update_ssl_cipher_suite(ctx: Context):
    lb = _lb(ctx)
    name = ctx.path["name"]
    _part(lb, "sslCipherSuites", name, "cipher suite")
    c = check_cipher_suite(ctx.body or {}, name)
    _change(ctx, lb, "UpdateSSLCipherSuite", f"Update cipher suite {name}", _with(lb, "sslCipherSuites", name, c))


@svc.op("delete_ssl_cipher_suite")
def delete_ssl_cipher_suite(ctx: Context):
    lb = _lb(ctx)
    name = ctx.path["name"]
    _part(lb, "sslCipherSuites", name, "cipher suite")
    in_use = [o["name"] for o in list(lb["listeners"].values()) + list(lb["backendSets"].values())
              if (o.get("sslConfiguration") or {}).get("cipherSuiteName") == name]
    if in_use:
        raise conflict(f"The cipher suite '{name}' is used by {in_use[0]}")
    _change(ctx, lb, "DeleteSSLCipherSuite", f"Delete cipher suite {name}", _with(lb, "sslCipherSuites", name, None))


# what OCI offers
@svc.op("list_shapes")
def list_shapes(ctx: Context):
    ctx.compartment(ctx.query.get("compartmentId"))
    return [{"name": s} for s in SHAPES]


@svc.op("list_policies")
def list_policies(ctx: Context):
    ctx.compartment(ctx.query.get("compartmentId"))
    return [{"name": p} for p in POLICIES]


@svc.op("list_protocols")
def list_protocols(ctx: Context):
    ctx.compartment(ctx.query.get("compartmentId"))
    return [{"name": p} for p in PROTOCOLS]


# ---------------------------------------------------------------- health

def backend_status(store, lb: dict, be: dict) -> tuple[str, str]:
    """(status, healthCheckStatus) of one backend: OK when a RUNNING instance of the VCN owns the IP."""
    if lb.get("lifecycleState") != "ACTIVE":
        return "UNKNOWN", "UNKNOWN"
    if be.get("offline"):
        return "CRITICAL", "OFFLINE"
    for p in store.by_field("privateip", "ipAddress", be["ipAddress"]):
        if p.get("_region") != lb.get("_region"):
            continue
        sub = store.get("subnet", p.get("subnetId") or "")
        if sub is None or sub.get("vcnId") != lb.get("_vcnId"):
            continue
        for att in store.by_field("vnicattachment", "vnicId", p.get("vnicId")):
            inst = store.get("instance", att.get("instanceId") or "")
            if inst is not None and att.get("lifecycleState") == "ATTACHED" and \
                    inst.get("lifecycleState") == "RUNNING":
                return "OK", "OK"
    return "CRITICAL", "CONNECT_FAILED"


def backend_set_status(store, lb: dict, bs: dict) -> tuple[str, dict[str, list[str]]]:
    by: dict[str, list[str]] = {"OK": [], "WARNING": [], "CRITICAL": [], "UNKNOWN": []}
    for be in bs["backends"]:
        by[backend_status(store, lb, be)[0]].append(be["name"])
    n = len(bs["backends"])
    if n == 0 or lb.get("lifecycleState") != "ACTIVE" or len(by["UNKNOWN"]) * 2 > n:
        status = "UNKNOWN"
    elif len(by["OK"]) == n:
        status = "OK"
    elif len(by["OK"]) * 2 >= n:
        status = "WARNING"
    else:
        status = "CRITICAL"
    return status, by


def load_balancer_status(store, lb: dict) -> tuple[str, dict[str, list[str]]]:
    by: dict[str, list[str]] = {"OK": [], "WARNING": [], "CRITICAL": [], "UNKNOWN": []}
    for bs in lb.get("backendSets", {}).values():
        by[backend_set_status(store, lb, bs)[0]].append(bs["name"])
    n = len(lb.get("backendSets", {}))
    if by["CRITICAL"]:
        status = "CRITICAL"
    elif lb.get("lifecycleState") != "ACTIVE" or n == 0:
        status = "UNKNOWN"
    elif by["WARNING"]:
        status = "WARNING"
    elif len(by["UNKNOWN"]) * 2 > n:
        status = "UNKNOWN"
    elif by["UNKNOWN"]:
        status = "WARNING"
    else:
        status = "OK"
    return status, by


@svc.op("get_backend_health")
def get_backend_health(ctx: Context):
    lb = ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")
    be = _backend(_part(lb, "backendSets", ctx.path["backendSetName"], "backend set"), ctx.path["backendName"])
    status, check = backend_status(ctx.store, lb, be)
    results = [{"subnetId": ip["subnetId"], "sourceIpAddress": ip["ipAddress"], "timestamp": ctx.ts(),
                "healthCheckStatus": check} for ip in lb.get("_privateIps", [])]
    return {"status": status, "healthCheckResults": results}


@svc.op("get_backend_set_health")
def get_backend_set_health(ctx: Context):
    lb = ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")
    bs = _part(lb, "backendSets", ctx.path["backendSetName"], "backend set")
    status, by = backend_set_status(ctx.store, lb, bs)
    return {"status": status, "warningStateBackendNames": by["WARNING"], "criticalStateBackendNames": by["CRITICAL"],
            "unknownStateBackendNames": by["UNKNOWN"], "totalBackendCount": len(bs["backends"])}


@svc.op("get_load_balancer_health")
def get_load_balancer_health(ctx: Context):
    lb = ctx.get(KIND, ctx.path["loadBalancerId"], "load balancer")
    status, by = load_balancer_status(ctx.store, lb)
    return {"status": status, "warningStateBackendSetNames": by["WARNING"],
            "criticalStateBackendSetNames": by["CRITICAL"], "unknownStateBackendSetNames": by["UNKNOWN"],
            "totalBackendSetCount": len(lb["backendSets"])}


@svc.op("list_load_balancer_healths")
def list_load_balancer_healths(ctx: Context):
    comp = ctx.compartment(ctx.query.get("compartmentId"))
    return [{"loadBalancerId": lb["id"], "status": load_balancer_status(ctx.store, lb)[0]}
            for lb in ctx.list(KIND, comp["id"]) if lb.get("lifecycleState") != "DELETED"]


# ---------------------------------------------------------------- metrics (oci_lbaas)

def _health_facts(store, doc: dict, _now: float):
    total = unhealthy = 0
    for bs in (doc.get("backendSets") or {}).values():
        for be in bs["backends"]:
            total += 1
            unhealthy += backend_status(store, doc, be)[0] != "OK"
    return (total, unhealthy)


def _fact(g: Gen, i: int) -> np.ndarray:
    return np.array([float(f[i]) if f else 0.0 for f in g.facts])[:, None]


def _healthy_share(g: Gen) -> np.ndarray:
    total, bad = _fact(g, 0), _fact(g, 1)
    return np.where(total > 0, (total - bad) / np.maximum(total, 1), 0.0)


def _requests(g: Gen) -> np.ndarray:
    base = 400 * g.p("net") * (1 + 0.5 * g.daily(peak_hour=15)) * (1 + 0.2 * g.wander("req", 20))
    return np.maximum(0.0, np.round(base + 80 * g.spikes("req", per_day=3, minutes=8) * g.p("net")))


def _responses(g: Gen, klass: str) -> np.ndarray:
    req = _requests(g)
    ok = _healthy_share(g)
    err5 = np.round(req * (1 - ok) + req * 0.002 * (1 + g.jitter("5xx")))
    err4 = np.round(req * 0.03 * (1 + 0.5 * g.jitter("4xx")))
    if klass == "5xx":
        return err5
    if klass == "4xx":
        return np.minimum(err4, req - err5)
    return np.maximum(0.0, req - err5 - err4)


LBAAS_METRICS = declare(MetricSource(
    namespace="oci_lbaas",
    kind=KIND,
    reports_in={"ACTIVE"},
    dimensions=lambda doc: {"resourceId": doc["id"], "resourceName": doc.get("displayName") or doc["id"]},
    facts=_health_facts,
    metrics=[
        Metric("HttpRequests", "count", _requests, "HTTP Requests"),
        Metric("ActiveConnections", "count",
               lambda g: np.round(_requests(g) * 0.15 * (1 + 0.3 * g.wander("conn", 15))), "Active Connections"),
        Metric("BackendServers", "count", lambda g: g.full(_fact(g, 0)), "Backend Servers"),
        Metric("UnHealthyBackendServers", "count", lambda g: g.full(_fact(g, 1)), "Unhealthy Backend Servers"),
        Metric("HttpResponses2xx", "count", lambda g: _responses(g, "2xx"), "HTTP 2xx Responses"),
        Metric("HttpResponses4xx", "count", lambda g: _responses(g, "4xx"), "HTTP 4xx Responses"),
        Metric("HttpResponses5xx", "count", lambda g: _responses(g, "5xx"), "HTTP 5xx Responses"),
        Metric("HttpResponses200", "count", lambda g: np.round(_responses(g, "2xx") * 0.93), "HTTP 200 Responses"),
        Metric("HttpResponses502", "count", lambda g: np.round(_responses(g, "5xx") * 0.8), "HTTP 502 Responses"),
        Metric("HttpResponses504", "count", lambda g: _responses(g, "5xx") - np.round(_responses(g, "5xx") * 0.8),
               "HTTP 504 Responses"),
        Metric("BytesReceived", "bytes", lambda g: _requests(g) * 900, "Bytes Received"),
        Metric("BytesSent", "bytes", lambda g: _responses(g, "2xx") * 24_000, "Bytes Sent"),
    ],
))


# ---------------------------------------------------------------- seed

@svc.seeder
def seed_load_balancer(seed) -> None:
    if seed.profile != "demo":
        return
    insts = {i["displayName"]: i for i in seed.store.list("instance") if i["displayName"] in ("web-01", "web-02")}
    if len(insts) < 2:
        return
    ips = []
    for name in ("web-01", "web-02"):
        att = next(a for a in seed.store.by_field("vnicattachment", "instanceId", insts[name]["id"]))
        ips.append(seed.store.get("vnic", att["vnicId"])["privateIp"])
    subnet = seed.store.get("subnet", seed.store.get("vnic", att["vnicId"])["subnetId"])
    region = insts["web-01"]["_region"]
    when = ts(seed.now - 40 * 86400)
    net = ipaddress.ip_network(subnet["cidrBlock"])
    hc = {"protocol": "HTTP", "urlPath": "/health", "port": 0, "returnCode": 200, "retries": 3,
          "timeoutInMillis": 3000, "intervalInMillis": 10000, "responseBodyRegex": "", "isForcePlainText": False}
    backends = [{"name": f"{ip}:80", "ipAddress": ip, "port": 80, "weight": 1, "maxConnections": None,
                 "backup": False, "drain": False, "offline": False} for ip in ips]
    doc = {"id": seed.ocid("loadbalancer", region), "_region": region,
           "compartmentId": insts["web-01"]["compartmentId"],
           "displayName": "web-lb", "lifecycleState": "ACTIVE", "timeCreated": when, "shapeName": "flexible",
           "shapeDetails": {"minimumBandwidthInMbps": 10, "maximumBandwidthInMbps": 100}, "isPrivate": False,
           "ipMode": "IPV4", "ipAddresses": [{"ipAddress": "203.0.113.80", "isPublic": True}],
           "subnetIds": [subnet["id"]], "networkSecurityGroupIds": [], "isDeleteProtectionEnabled": False,
           "isRequestIdEnabled": False, "requestIdHeader": None,
           "_privateIps": [{"ipAddress": str(net.broadcast_address - 1), "subnetId": subnet["id"]}],
           "_vcnId": subnet["vcnId"], "systemTags": {}, "securityAttributes": {},
           "freeformTags": {"app": "web"}, "definedTags": {},
           "backendSets": {"web-servers": {"name": "web-servers", "policy": "ROUND_ROBIN", "backends": backends,
                                           "backendMaxConnections": None, "healthChecker": hc,
                                           "sslConfiguration": None, "sessionPersistenceConfiguration": None,
                                           "lbCookieSessionPersistenceConfiguration": None}},
           "listeners": {"http": {"name": "http", "defaultBackendSetName": "web-servers", "port": 80,
                                  "protocol": "HTTP", "hostnameNames": [], "pathRouteSetName": None,
                                  "sslConfiguration": None, "ruleSetNames": [], "routingPolicyName": None,
                                  "connectionConfiguration": {"idleTimeout": 60,
                                                              "backendTcpProxyProtocolVersion": None,
                                                              "backendTcpProxyProtocolOptions": None}}},
           "certificates": {}, "hostnames": {}, "pathRouteSets": {}, "ruleSets": {}, "sslCipherSuites": {},
           "routingPolicies": {}}
    seed.store.put(KIND, doc)
