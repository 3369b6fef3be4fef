"""WAAS, the edge Web Application Acceleration and Security service (`/waas`, WaasClient): WAAS policies and
the SSL certificates they serve HTTPS with, and WAAS's own work requests.

A WAAS policy protects a `domain` (and `additionalDomains`, each a fully qualified domain name; a domain is in
one live policy of the tenancy, 409 otherwise) in front of named `origins` (a host name or IP `uri`, HTTP and
HTTPS ports 1-65535, custom headers); `wafConfig.origin` names the default origin. Its `policyConfig` (HTTPS
with a certificate that exists and is ACTIVE - required when `isHttpsEnabled` -, TLS protocols, client
address header, cipher group, load balancing method) and `wafConfig` (access rules with criteria and actions,
address rate limiting, protection settings) take OCI's field names, enumerations and defaults (a block
answers 403 unless told otherwise, from OCI's lists of allowed response codes; protection settings default to
255 arguments, 400 characters per argument name, 64,000 in total, [OPTIONS, GET, HEAD, POST], ...). URL_REGEX
criteria must compile, IP criteria must be addresses or CIDRs, COUNTRY criteria ISO two-letter codes. The
policy's `cname` is OCI's: the domain with its dots as dashes under `.o.waas.oci.oraclecloud.net`.

Create, update, delete and the updates of the WAF config, its access rules, its protection settings and the
policy config answer 202 with an `opc-work-request-id` (WAAS's own `get_work_request`, with its logs and
errors inline, and `list_work_requests` of a policy): the policy is CREATING, then ACTIVE; UPDATING, then
ACTIVE with the change; DELETING, then DELETED (listed an hour).

A certificate is created from PEM: the certificate (a chain may follow the leaf) and its private key (RSA or
EC, unencrypted) must parse and the key must be the certificate's (400 InvalidParameter otherwise); a
self-signed certificate needs `isTrustVerificationDisabled`, and an expired one is refused. Its subject,
issuer, serial number, validity, signature algorithm, public key and extensions are read from it; the key is
never shown again. A certificate a live policy uses cannot be deleted (409).
"""

from __future__ import annotations

import ipaddress
import re
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from ..engine import ACTIVE, Kind, Lifecycle
from ..protocol import ApiError, conflict, invalid
from ..registry import Context, Result, Service
from . import workrequests

svc = Service("waas", name="waas")
WR_SERVICE = "waas"
POLICY_KIND = "waaspolicy"
CERT_KIND = "waascertificate"

DOMAIN_RE = re.compile(r"^(?=.{1,253}$)(\*\.)?([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
HOST_RE = re.compile(r"^([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
                     r"[A-Za-z0-9])?$")
MAX_ADDITIONAL_DOMAINS = 20
ACCESS_RULE_CODES = (200, 201, 202, 204, 206, 300, 301, 302, 303, 304, 307, 400, 401, 403, 404, 405, 408, 409, 411,
                     412, 413, 414, 415, 416, 422, 444, 494, 495, 496, 497, 499, 500, 501, 502, 503, 504, 507)
PROTECTION_CODES = (400, 401, 403, 405, 409, 411, 412, 413, 414, 415, 416, 500, 501, 502, 503, 504, 507)
RATE_LIMIT_CODES = (400, 401, 403, 404, 405, 408, 409, 411, 412, 413, 414, 415, 416, 422, 494, 495, 496, 497, 499,
                    500, 501, 502, 503, 504, 507)
CONDITIONS = ("URL_IS", "URL_IS_NOT", "URL_STARTS_WITH", "URL_PART_ENDS_WITH", "URL_PART_CONTAINS", "URL_REGEX",
              "URL_DOES_NOT_MATCH_REGEX", "URL_DOES_NOT_START_WITH", "URL_PART_DOES_NOT_CONTAIN",
              "URL_PART_DOES_NOT_END_WITH", "IP_IS", "IP_IS_NOT", "IP_IN_LIST", "IP_NOT_IN_LIST",
              "HTTP_HEADER_CONTAINS", "HTTP_METHOD_IS", "HTTP_METHOD_IS_NOT", "COUNTRY_IS", "COUNTRY_IS_NOT",
              "USER_AGENT_IS", "USER_AGENT_IS_NOT")
RULE_ACTIONS = ("ALLOW", "DETECT", "BLOCK", "BYPASS", "REDIRECT", "SHOW_CAPTCHA")
HTTP_METHODS = ("OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "CONNECT", "PATCH", "PROPFIND")
TLS = ("TLS_V1", "TLS_V1_1", "TLS_V1_2", "TLS_V1_3")
CLIENT_HEADERS = ("X_FORWARDED_FOR", "X_CLIENT_IP", "X_REAL_IP", "CLIENT_IP", "TRUE_CLIENT_IP")
LB_METHODS = ("IP_HASH", "ROUND_ROBIN", "STICKY_COOKIE")
PROTECTION_DEFAULTS = {
    "blockAction": "SET_RESPONSE_CODE", "blockResponseCode": 403,
    "blockErrorPageMessage": "Access to the website is blocked.", "blockErrorPageCode": "403",
    "blockErrorPageDescription": "Access blocked by website owner. Please contact support.",
    "maxArgumentCount": 255, "maxNameLengthPerArgument": 400, "maxTotalNameLengthOfArguments": 64000,
    "recommendationsPeriodInDays": 10, "isResponseInspected": False, "maxResponseSizeInKiB": 1024,
    "allowedHttpMethods": ["OPTIONS", "GET", "HEAD", "POST"], "mediaTypes": ["text/html", "text/plain", "text/xml"],
}
POLICY_CONFIG_DEFAULTS = {
    "isHttpsEnabled": False, "isHttpsForced": False, "tlsProtocols": ["TLS_V1_2", "TLS_V1_3"],
    "isOriginCompressionEnabled": True, "isBehindCdn": False, "clientAddressHeader": None,
    "isCacheControlRespected": False, "isResponseBufferingEnabled": False, "cipherGroup": "DEFAULT",
    "loadBalancingMethod": {"method": "ROUND_ROBIN"}, "websocketPathPrefixes": [], "isSniEnabled": False,
}


# ---------------------------------------------------------------- certificates

def _name(name: x509.Name) -> dict:
    fields = {"country": NameOID.COUNTRY_NAME, "stateProvince": NameOID.STATE_OR_PROVINCE_NAME,
              "locality": NameOID.LOCALITY_NAME, "organization": NameOID.ORGANIZATION_NAME,
              "organizationalUnit": NameOID.ORGANIZATIONAL_UNIT_NAME, "commonName": NameOID.COMMON_NAME,
              "emailAddress": NameOID.EMAIL_ADDRESS}
    out = {}
    for k, oid in fields.items():
        attrs = name.get_attributes_for_oid(oid)
        if attrs:
            out[k] = str(attrs[0].value)
    return out


def parse_certificate(ctx: Context, body: dict) -> dict:
    """The fields OCI reads from a certificate and its key, or a 400."""
    pem = ctx.require(body.get("certificateData"), "certificateData")
    key_pem = ctx.require(body.get("privateKeyData"), "privateKeyData")
    try:
        certs = x509.load_pem_x509_certificates(str(pem).encode())
    except ValueError:
        raise invalid("certificateData is not a PEM certificate (-----BEGIN CERTIFICATE-----)") from None
    cert = certs[0]
    try:
        key = serialization.load_pem_private_key(str(key_pem).encode(), password=None)
    except (ValueError, TypeError):
        raise invalid("privateKeyData is not an unencrypted PEM private key") from None
    pub = cert.public_key()
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise invalid("privateKeyData: only RSA and EC keys are supported")
    fmt = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    if key.public_key().public_bytes(*fmt) != pub.public_bytes(*fmt):
        raise invalid("privateKeyData does not match the certificate's public key")
    now = datetime.fromtimestamp(ctx.now, tz=UTC)
    if cert.not_valid_after_utc < now:
        raise invalid(f"certificateData: the certificate expired on {cert.not_valid_after_utc:%Y-%m-%d}")
    self_signed = cert.issuer == cert.subject
    if self_signed and not body.get("isTrustVerificationDisabled"):
        raise invalid("certificateData: the certificate is self-signed; set isTrustVerificationDisabled to true "
                      "to use it")
    if isinstance(pub, rsa.RSAPublicKey):
        pki = {"algorithm": "RSA", "keySize": pub.key_size, "exponent": pub.public_numbers().e}
    elif isinstance(pub, ec.EllipticCurvePublicKey):
        pki = {"algorithm": "EC", "keySize": pub.curve.key_size}
    else:
        pki = {"algorithm": type(pub).__name__}
    exts = []
    for e in cert.extensions:
        name = getattr(e.oid, "_name", None) or e.oid.dotted_string
        exts.append({"name": name, "isCritical": e.critical, "value": str(e.value)[:500]})
    issuer = _name(cert.issuer)
    return {
        "issuedBy": issuer.get("commonName") or issuer.get("organization") or "", "subjectName": _name(cert.subject),
        "issuerName": issuer, "serialNumber": format(cert.serial_number, "X"), "version": cert.version.value + 1,
        "signatureAlgorithm": getattr(cert.signature_algorithm_oid, "_name", cert.signature_algorithm_oid.
                                      dotted_string),
        "timeNotValidBefore": cert.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "timeNotValidAfter": cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "publicKeyInfo": pki, "extensions": exts,
        "isTrustVerificationDisabled": bool(body.get("isTrustVerificationDisabled")),
        "certificateData": str(pem),
    }


def _cert_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    return {} if existing is not None else parse_certificate(ctx, body)


def _cert_in_use(ctx: Context, doc: dict) -> None:
    for p in ctx.list(POLICY_KIND):
        if POLICY.is_live(p) and (p.get("policyConfig") or {}).get("certificateId") == doc["id"]:
            raise conflict(f"The certificate is used by the WAAS policy {p['id']} ({p.get('domain')}); turn "
                           "HTTPS off there or give it another certificate first")


CERTIFICATE = svc.resource(Kind(
    CERT_KIND, "Certificate", "WAAS certificate", lifecycle=Lifecycle("CREATING", "ACTIVE", None, "DELETING",
                                                                      "DELETED", failed="FAILED"),
    validate=_cert_checks, check_delete=_cert_in_use, default_name="certificate", search="WaasCertificate"))


# ---------------------------------------------------------------- policies

def _check_domain(v, where: str) -> str:
    if not isinstance(v, str) or not DOMAIN_RE.match(v):
        raise invalid(f"{where}: '{str(v)[:80]}' is not a fully qualified domain name (www.example.com)")
    return v.lower()


def _check_origins(origins, where: str = "origins") -> dict:
    if origins is None:
        return {}
    if not isinstance(origins, dict):
        raise invalid(f"{where} must be a map of origin names to origins")
    for name, o in origins.items():
        w = f"{where}.{name}"
        uri = (o or {}).get("uri")
        if not uri:
            raise ApiError(400, "MissingParameter", f"{w}.uri is required")
        try:
            ipaddress.ip_address(uri)
        except ValueError:
            if not HOST_RE.match(str(uri)):
                raise invalid(f"{w}.uri: '{str(uri)[:80]}' is not a host name or IP address") from None
        for f in ("httpPort", "httpsPort"):
            p = o.get(f)
            if p is not None and (not isinstance(p, int) or not 1 <= p <= 65535):
                raise invalid(f"{w}.{f} must be a port 1-65535, got {p!r}")
        for j, h in enumerate(o.get("customHeaders") or []):
            if not (h or {}).get("name"):
                raise invalid(f"{w}.customHeaders[{j}].name is required")
    return origins


def _code(v, allowed: tuple[int, ...], where: str) -> None:
    if v is not None and v not in allowed:
        raise invalid(f"{where}: {v} is not one of the response codes WAAS returns ({', '.join(map(str, allowed))})")


def check_access_rules(rules, where: str = "wafConfig.accessRules") -> list[dict]:
    out = []
    names = set()
    for i, r in enumerate(rules or []):
        w = f"{where}[{i}]"
        name = (r or {}).get("name")
        if not name:
            raise ApiError(400, "MissingParameter", f"{w}.name is required")
        if name in names:
            raise invalid(f"{w}.name: an access rule named '{name}' is defined twice")
        names.add(name)
        criteria = r.get("criteria")
        if not criteria:
            raise ApiError(400, "MissingParameter", f"{w}.criteria: an access rule needs at least one criterion")
        for j, c in enumerate(criteria):
            cw = f"{w}.criteria[{j}]"
            cond, val = (c or {}).get("condition"), (c or {}).get("value")
            if cond not in CONDITIONS:
                raise invalid(f"{cw}.condition must be one of {', '.join(CONDITIONS)}, got {cond!r}")
            if val is None or val == "":
                raise ApiError(400, "MissingParameter", f"{cw}.value is required")
            if cond in ("URL_REGEX", "URL_DOES_NOT_MATCH_REGEX"):
                try:
                    re.compile(val)
                except re.error as e:
                    raise invalid(f"{cw}.value: '{val[:60]}' is not a regular expression ({e})") from None
            if cond in ("IP_IS", "IP_IS_NOT"):
                for ip in str(val).replace(",", " ").split():
                    try:
                        ipaddress.ip_network(ip, strict=False)
                    except ValueError:
                        raise invalid(f"{cw}.value: '{ip[:60]}' is not an IP address or CIDR block") from None
            if cond in ("COUNTRY_IS", "COUNTRY_IS_NOT"):
                for cc in str(val).replace(",", " ").split():
                    if not re.fullmatch(r"[A-Z]{2}", cc):
                        raise invalid(f"{cw}.value: '{cc[:10]}' is not an ISO 3166-1 alpha-2 country code (US)")
            if cond in ("HTTP_METHOD_IS", "HTTP_METHOD_IS_NOT"):
                for m in str(val).replace(",", " ").split():
                    if m not in HTTP_METHODS:
                        raise invalid(f"{cw}.value: '{m[:20]}' is not an HTTP method ({', '.join(HTTP_METHODS)})")
        action = r.get("action") or "ALLOW"
        if action not in RULE_ACTIONS:
            raise invalid(f"{w}.action must be one of {', '.join(RULE_ACTIONS)}, got {action!r}")
        rule = dict(r, action=action)
        if action == "BLOCK":
            ba = r.get("blockAction") or "SET_RESPONSE_CODE"
            if ba not in ("SET_RESPONSE_CODE", "SHOW_ERROR_PAGE"):
                raise invalid(f"{w}.blockAction must be SET_RESPONSE_CODE or SHOW_ERROR_PAGE, got {ba!r}")
            _code(r.get("blockResponseCode"), ACCESS_RULE_CODES, f"{w}.blockResponseCode")
            rule.update(blockAction=ba, blockResponseCode=r.get("blockResponseCode") or 403)
            if ba == "SHOW_ERROR_PAGE":
                rule.setdefault("blockErrorPageMessage", "Access to the website is blocked.")
                rule.setdefault("blockErrorPageCode", "Access rules")
                rule.setdefault("blockErrorPageDescription",
                                "Access blocked by website owner. Please contact support.")
        if action == "REDIRECT":
            if not r.get("redirectUrl"):
                raise ApiError(400, "MissingParameter", f"{w}.redirectUrl is required for a REDIRECT rule")
            rc = r.get("redirectResponseCode") or "MOVED_PERMANENTLY"
            if rc not in ("MOVED_PERMANENTLY", "FOUND"):
                raise invalid(f"{w}.redirectResponseCode must be MOVED_PERMANENTLY or FOUND, got {rc!r}")
            rule["redirectResponseCode"] = rc
        out.append({k: v for k, v in rule.items() if v is not None})
    return out


def check_protection_settings(ps, where: str = "wafConfig.protectionSettings") -> dict:
    ps = ps or {}
    out = dict(PROTECTION_DEFAULTS)
    out.update({k: v for k, v in ps.items() if v is not None})
    if out["blockAction"] not in ("SET_RESPONSE_CODE", "SHOW_ERROR_PAGE"):
        raise invalid(f"{where}.blockAction must be SET_RESPONSE_CODE or SHOW_ERROR_PAGE")
    _code(out["blockResponseCode"], PROTECTION_CODES, f"{where}.blockResponseCode")
    for f in ("maxArgumentCount", "maxNameLengthPerArgument", "maxTotalNameLengthOfArguments",
              "recommendationsPeriodInDays", "maxResponseSizeInKiB"):
        v = out[f]
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            raise invalid(f"{where}.{f} must be a whole number of 1 or more, got {v!r}")
    for m in out["allowedHttpMethods"]:
        if m not in HTTP_METHODS:
            raise invalid(f"{where}.allowedHttpMethods: '{m}' is not one of {', '.join(HTTP_METHODS)}")
    return out


def check_policy_config(ctx: Context, pc, where: str = "policyConfig") -> dict:
    out = dict(POLICY_CONFIG_DEFAULTS)
    out.update({k: v for k, v in (pc or {}).items() if v is not None})
    if out.get("isHttpsEnabled"):
        cert_id = out.get("certificateId")
        if not cert_id:
            raise ApiError(400, "MissingParameter", f"{where}.certificateId is required when isHttpsEnabled is true")
        CERTIFICATE.find_live(ctx, CERT_KIND, cert_id, f"{where}.certificateId")
    elif out.get("certificateId"):
        CERTIFICATE.find_live(ctx, CERT_KIND, out["certificateId"], f"{where}.certificateId")
    if out.get("isHttpsForced") and not out.get("isHttpsEnabled"):
        raise invalid(f"{where}.isHttpsForced needs isHttpsEnabled")
    for t in out["tlsProtocols"]:
        if t not in TLS:
            raise invalid(f"{where}.tlsProtocols: '{t}' is not one of {', '.join(TLS)}")
    h = out.get("clientAddressHeader")
    if h is not None and h not in CLIENT_HEADERS:
        raise invalid(f"{where}.clientAddressHeader must be one of {', '.join(CLIENT_HEADERS)}")
    if out["cipherGroup"] != "DEFAULT":
        raise invalid(f"{where}.cipherGroup must be DEFAULT")
    method = (out.get("loadBalancingMethod") or {}).get("method")
    if method not in LB_METHODS:
        raise invalid(f"{where}.loadBalancingMethod.method must be one of {', '.join(LB_METHODS)}")
    return {k: v for k, v in out.items() if v is not None}


def check_waf_config(waf, origins: dict, where: str = "wafConfig") -> dict:
    waf = dict(waf or {})
    origin = waf.get("origin")
    if origin is not None and origin not in origins:
        raise invalid(f"{where}.origin: no origin named '{origin}' in origins")
    waf["accessRules"] = check_access_rules(waf.get("accessRules"), f"{where}.accessRules")
    waf["protectionSettings"] = check_protection_settings(waf.get("protectionSettings"),
                                                          f"{where}.protectionSettings")
    arl = waf.get("addressRateLimiting")
    if arl is not None:
        if not isinstance(arl.get("isEnabled"), bool):
            raise ApiError(400, "MissingParameter", f"{where}.addressRateLimiting.isEnabled is required")
        arl = {"allowedRatePerAddress": 1, "maxDelayedCountPerAddress": 10, "blockResponseCode": 503,
               **{k: v for k, v in arl.items() if v is not None}}
        _code(arl["blockResponseCode"], RATE_LIMIT_CODES, f"{where}.addressRateLimiting.blockResponseCode")
        for f in ("allowedRatePerAddress", "maxDelayedCountPerAddress"):
            if not isinstance(arl[f], int) or arl[f] < 1:
                raise invalid(f"{where}.addressRateLimiting.{f} must be 1 or more")
        waf["addressRateLimiting"] = arl
    for i, wl in enumerate(waf.get("whitelists") or []):
        for ip in (wl or {}).get("addresses") or []:
            try:
                ipaddress.ip_network(ip, strict=False)
            except ValueError:
                raise invalid(f"{where}.whitelists[{i}].addresses: '{str(ip)[:60]}' is not an IP address or "
                              "CIDR block") from None
    return {k: v for k, v in waf.items() if v is not None}


def cname(domain: str) -> str:
    return domain.replace("*.", "wildcard-").replace(".", "-") + ".o.waas.oci.oraclecloud.net"


def _domains_free(ctx: Context, domains: list[str], exclude: str | None) -> None:
    for p in ctx.list(POLICY_KIND):
        if p["id"] == exclude or not POLICY.is_live(p):
            continue
        theirs = {p.get("domain"), *(p.get("additionalDomains") or [])}
        for d in domains:
            if d in theirs:
                raise conflict(f"The domain {d} is already protected by the WAAS policy {p['id']}")


def _policy_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    out: dict = {}
    if existing is None:
        domain = _check_domain(ctx.require(body.get("domain"), "domain"), "domain")
        out.update(domain=domain, cname=cname(domain))
    else:
        domain = existing["domain"]
    extra = body.get("additionalDomains")
    if extra is not None:
        if len(extra) > MAX_ADDITIONAL_DOMAINS:
            raise invalid(f"additionalDomains: at most {MAX_ADDITIONAL_DOMAINS} additional domains")
        extra = [_check_domain(d, f"additionalDomains[{i}]") for i, d in enumerate(extra)]
        if domain in extra or len(set(extra)) != len(extra):
            raise invalid("additionalDomains: each domain may appear once (and not repeat the policy's domain)")
        out["additionalDomains"] = extra
    domains = [domain] + (extra if extra is not None else list((existing or {}).get("additionalDomains") or []))
    _domains_free(ctx, domains, existing["id"] if existing else None)
    origins = _check_origins(body["origins"]) if body.get("origins") is not None else (
        (existing or {}).get("origins") or {})
    if body.get("origins") is not None:
        out["origins"] = origins
    if existing is None or body.get("policyConfig") is not None:
        out["policyConfig"] = check_policy_config(ctx, body.get("policyConfig"))
    if existing is None or body.get("wafConfig") is not None:
        waf = body.get("wafConfig") or {}
        if existing is None and waf.get("origin") is None and origins:
            waf = dict(waf, origin=next(iter(origins)))
        out["wafConfig"] = check_waf_config(waf, origins)
    if existing is None:
        out.setdefault("additionalDomains", [])
        out.setdefault("origins", origins)
        out["originGroups"] = body.get("originGroups") or {}
    return out


POLICY = svc.resource(Kind(
    POLICY_KIND, "WaasPolicy", "WAAS policy", lifecycle=ACTIVE, validate=_policy_checks, search="WaasPolicy",
    default_name="waaspolicy"))


# this service's own work requests (logs and errors inline, as WAAS's WorkRequest model has them)
def _wr_view(doc: dict) -> dict:
    d = dict(doc)
    d["percentComplete"] = int(doc.get("percentComplete") or 0)
    d["logs"] = doc["_logs"]
    d["errors"] = doc["_errors"]
    return d


workrequests.serve(svc, WR_SERVICE, view=_wr_view, newest_first=True)


@svc.op("create_waas_policy")
def create_waas_policy(ctx: Context):
    POLICY.create(ctx)
    return Result(status=202)


@svc.op("update_waas_policy")
def update_waas_policy(ctx: Context):
    POLICY.update(ctx)
    return Result(status=202)


@svc.op("delete_waas_policy")
def delete_waas_policy(ctx: Context):
    POLICY.delete(ctx)
    return Result(status=202)


def _policy(ctx: Context) -> dict:
    return ctx.get(POLICY_KIND, ctx.path["waasPolicyId"], "WAAS policy")


def _change(ctx: Context, changes: dict) -> Result:
    """A change of part of a policy: through the engine's update (ACTIVE only, UPDATING, a work request)."""
    POLICY.update(ctx, ctx.path["waasPolicyId"], changes)
    return Result(status=202)


@svc.op("get_waf_config")
def get_waf_config(ctx: Context):
    return _policy(ctx).get("wafConfig") or {}


@svc.op("update_waf_config")
def update_waf_config(ctx: Context):
    doc = _policy(ctx)
    return _change(ctx, {"wafConfig": check_waf_config(ctx.body or {}, doc.get("origins") or {})})


@svc.op("list_access_rules")
def list_access_rules(ctx: Context):
    return list((_policy(ctx).get("wafConfig") or {}).get("accessRules") or [])


@svc.op("update_access_rules")
def update_access_rules(ctx: Context):
    doc = _policy(ctx)
    rules = check_access_rules(ctx.body if isinstance(ctx.body, list) else [], "accessRules")
    return _change(ctx, {"wafConfig": dict(doc.get("wafConfig") or {}, accessRules=rules)})


@svc.op("get_protection_settings")
def get_protection_settings(ctx: Context):
    return (_policy(ctx).get("wafConfig") or {}).get("protectionSettings") or dict(PROTECTION_DEFAULTS)


@svc.op("update_protection_settings")
def update_protection_settings(ctx: Context):
    doc = _policy(ctx)
    ps = check_protection_settings(ctx.body, "protectionSettings")
    return _change(ctx, {"wafConfig": dict(doc.get("wafConfig") or {}, protectionSettings=ps)})


@svc.op("get_policy_config")
def get_policy_config(ctx: Context):
    return _policy(ctx).get("policyConfig") or {}


@svc.op("update_policy_config")
def update_policy_config(ctx: Context):
    _policy(ctx)
    return _change(ctx, {"policyConfig": check_policy_config(ctx, ctx.body)})
