"""Load Balancer kinds: load balancers (tree "Networking > Load balancers").

A load balancer lists with its shape, address, visibility and parts; its Related tab says what it is (shape,
IP addresses, subnets, NSGs, cost), its health (overall, per backend set, every backend with the reason),
listeners, backend sets and certificates. It opens (double-click) as its own page (the GUI's
`load_balancer` view: listeners -> backend sets -> backends drawn with their health). Creating one is one
form like the OCI console's wizard: bandwidth (flexible shape, 10-8000 Mbps), visibility, subnets, and the
first backend set and listener (with a certificate from PEM files for HTTPS), priced per hour at list price.
Its actions add a backend set, backends (instances of the load balancer's VCN: their private IPs filled in),
a listener and a certificate (PEM files, the key checked against the certificate before sending), edit a
backend (weight, backup, drain, offline) and delete any part (typed confirmation), change the bandwidth.

OCI answers every change with a work request of the Load Balancer service (no body): the activity entry
follows it and then the load balancer to ACTIVE (catalog.execute.follow_work_request).
"""

from __future__ import annotations

import re
from typing import Any

from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..services import load_balancer as svc
from ..services import network as netsvc
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .generic import SdkRef, delete_action, getter, lister
from .model import Action, ChartSpec, Column, MetricsSpec, Related, RelatedItem, ResourceKind, attr, no_run
from .pricing import Cost, price

M = sdk_models("load_balancer")
REF = SdkRef("load_balancer", "load_balancer", cli="lb load-balancer", id_flag="--load-balancer-id")
KIND_ID = "load_balancer.load_balancer"
SERVICE = "load_balancer"
NAME_RE = re.compile(r"[A-Za-z0-9_.-]{1,255}")
MIN_MBPS, MAX_MBPS = 10, 8000
POLICIES = [Option("ROUND_ROBIN", N_("Weighted round robin")), Option("LEAST_CONNECTIONS", N_("Least connections")),
            Option("IP_HASH", N_("IP hash (a client stays on one backend)"))]
PROTOCOLS = [Option("HTTP", N_("HTTP")), Option("HTTPS", N_("HTTPS (HTTP with SSL, needs a certificate)")),
             Option("HTTP2", N_("HTTP/2 (needs a certificate)")), Option("TCP", N_("TCP"))]
HEALTH = {"OK": "good", "WARNING": "busy", "CRITICAL": "bad", "UNKNOWN": None}


# ---------------------------------------------------------------- helpers

def shape_text(lb) -> str:
    d = lb.shape_details
    if lb.shape_name == "flexible" and d is not None:
        return f"Flexible {d.minimum_bandwidth_in_mbps}-{d.maximum_bandwidth_in_mbps} Mbps"
    return lb.shape_name or ""


def addresses(lb) -> str:
    return ", ".join(f"{a.ip_address}{' (public)' if a.is_public else ''}" for a in lb.ip_addresses or [])


def cost(min_mbps, max_mbps=None) -> Cost | None:
    """Base hour plus the minimum bandwidth per Mbps hour (bandwidth used above the minimum, up to the maximum,
    is billed as used)."""
    if not min_mbps:
        return None
    base, bw = price("lb-base"), price("lb-bandwidth")
    n = int(min_mbps)
    lines = [f"Load balancer: ${base.usd:.4f} per hour ({base.part})",
             f"{n} Mbps minimum bandwidth × ${bw.usd:.4f} per Mbps hour ({bw.part})"]
    note = "pay-as-you-go list price, before taxes"
    if max_mbps and int(max_mbps) > n:
        note += f"; bandwidth used above {n} Mbps (up to {int(max_mbps)}) is billed as used"
    return Cost(base.usd + n * bw.usd, "hour", lines, note=note)


def name_check(taken: set[str], what: str):
    def check(v, _values, _ctx) -> str | None:
        v = (v or "").strip()
        if not NAME_RE.fullmatch(v):
            return "Letters, digits, '-', '_' and '.' (no spaces)"
        if v in taken:
            return f"This load balancer already has a {what} named {v}"
        return None
    return check


def _bandwidth_check(v, values, _ctx) -> str | None:
    lo, hi = values.get("minimum_mbps"), values.get("maximum_mbps")
    if lo is not None and hi is not None and lo > hi:
        return f"The maximum ({hi:g} Mbps) is less than the minimum ({lo:g} Mbps)"
    return None


def _mbps_bounds(_v, _c):
    return (MIN_MBPS, MAX_MBPS, 1)


def read_pem(path) -> str | None:
    """The text of a PEM file named in a form (None unless it names an existing file)."""
    import os
    if not isinstance(path, str) or not path.strip() or not os.path.isfile(os.path.expanduser(path.strip())):
        return None
    return svc.read_pem(os.path.expanduser(path.strip()))


def pem_problem(cert_text: str | None, key_text: str | None, passphrase: str | None = None) -> str | None:
    """Why a certificate and its key would be refused (None if they parse and belong together)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    if cert_text is None:
        return None
    try:
        cert = x509.load_pem_x509_certificate(cert_text.encode())
    except ValueError:
        return "The certificate file is not a PEM certificate"
    if key_text is None:
        return None
    try:
        key = serialization.load_pem_private_key(key_text.encode(), passphrase.encode() if passphrase else None)
    except TypeError:
        return "The key is encrypted: give its passphrase" if not passphrase else "The key is not encrypted"
    except ValueError:
        return "The key file is not a PEM private key (or the passphrase is wrong)"
    fmt, enc = serialization.PublicFormat.SubjectPublicKeyInfo, serialization.Encoding.DER
    if key.public_key().public_bytes(enc, fmt) != cert.public_key().public_bytes(enc, fmt):
        return "This private key does not belong to the certificate"
    return None


def _key_check(v, values, _ctx) -> str | None:
    try:
        return pem_problem(read_pem(values.get("certificate_file")), read_pem(v), values.get("passphrase"))
    except OSError as e:
        return f"Cannot read the file: {e.strerror}"


def _cert_check(v, _values, _ctx) -> str | None:
    try:
        return pem_problem(read_pem(v), None)
    except OSError as e:
        return f"Cannot read the file: {e.strerror}"


def health_checker(v: dict) -> Any:
    proto = v.get("health_protocol") or "HTTP"
    return M.HealthCheckerDetails(
        protocol=proto, port=int(v.get("health_port") or 0),
        url_path=(v.get("health_path") or "/") if proto == "HTTP" else None,
        return_code=int(v.get("health_return_code") or 200) if proto == "HTTP" else None,
        interval_in_millis=int(v.get("health_interval") or 10) * 1000, retries=int(v.get("health_retries") or 3),
        timeout_in_millis=3000, response_body_regex="")


def health_fields(prefix_help: str = "") -> list[Field]:
    http = lambda v, _c: (v.get("health_protocol") or "HTTP") == "HTTP"  # noqa: E731
    return [
        Field("health_protocol", N_("Health check"), "enum", required=True, default="HTTP",
              options=[Option("HTTP", N_("HTTP")), Option("TCP", N_("TCP (connect only)"))]),
        Field("health_port", N_("Health check port"), "number", default=0, bounds=lambda v, c: (0, 65535, 1),
              help=N_("0: each backend's own port")),
        Field("health_path", N_("URL path"), "text", default="/", depends_on=("health_protocol",), visible=http,
              validate=lambda v, *_: None if (v or "").startswith("/") else "Starts with /"),
        Field("health_return_code", N_("Expected status code"), "number", default=200,
              bounds=lambda v, c: (100, 599, 1), depends_on=("health_protocol",), visible=http),
        Field("health_interval", N_("Interval (seconds)"), "number", default=10, bounds=lambda v, c: (1, 1800, 1)),
        Field("health_retries", N_("Retries"), "number", default=3, bounds=lambda v, c: (1, 10, 1)),
    ]


def listener_details(v: dict, backend_set: str, certificate: str | None, *, name_key: str = "listener_name"):
    proto = v.get("protocol") or "HTTP"
    ssl = M.SSLConfigurationDetails(certificate_name=certificate) if proto in ("HTTPS", "HTTP2") else None
    return dict(default_backend_set_name=backend_set, port=int(v["port"]),
                protocol="HTTP" if proto == "HTTPS" else proto, ssl_configuration=ssl,
                connection_configuration=M.ConnectionConfiguration(idle_timeout=int(v.get("idle_timeout") or 60)))


def _port_default(v, _c):
    return {"HTTP": 80, "HTTPS": 443, "HTTP2": 443, "TCP": 443}.get(v.get("protocol") or "HTTP", 80)


def _needs_cert(v, _c) -> bool:
    return v.get("protocol") in ("HTTPS", "HTTP2")


def _lb_args(lb) -> dict:
    return {"load_balancer_id": lb.id}


# ---------------------------------------------------------------- create (one form, like the console's wizard)

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
        out.append(Option(s.id, f"{s.display_name} ({s.cidr_block}, {kind}, {s.availability_domain or 'regional'})",
                          s))
    return out


async def _second_subnets(ctx: FormContext, values) -> list[Option]:
    first = ctx.data("subnet_id", values.get("subnet_id"))
    return [o for o in await _subnets(ctx, values)
            if o.data.availability_domain and first is not None and o.data.availability_domain !=
            first.availability_domain]


def _ad_specific(values, ctx) -> bool:
    s = ctx.data("subnet_id", values.get("subnet_id"))
    return bool(s is not None and s.availability_domain and not values.get("is_private"))


def _subnet_check(v, values, ctx) -> str | None:
    s = ctx.data("subnet_id", v)
    if s is not None and s.prohibit_public_ip_on_vnic and not values.get("is_private"):
        return "A public load balancer cannot be in a private subnet"
    return None


def _second_check(v, values, ctx) -> str | None:
    if _ad_specific(values, ctx) and not v:
        return "A public load balancer in AD-specific subnets needs a second one, in another availability domain"
    return None


def _create_build(v: dict, ctx: FormContext) -> Request:
    bs_name = v["backend_set_name"].strip()
    certs = None
    cert_name = None
    if _needs_cert(v, ctx):
        cert_name = (v.get("certificate_name") or "").strip()
        certs = {cert_name: M.CertificateDetails(
            certificate_name=cert_name, public_certificate=read_pem(v.get("certificate_file")),
            private_key=read_pem(v.get("private_key_file")), passphrase=v.get("passphrase") or None)}
    subnets = [v["subnet_id"]] + ([v["subnet2_id"]] if v.get("subnet2_id") and _ad_specific(v, ctx) else [])
    details = M.CreateLoadBalancerDetails(
        compartment_id=v["compartment_id"], display_name=v["display_name"].strip(), shape_name="flexible",
        shape_details=M.ShapeDetails(minimum_bandwidth_in_mbps=int(v["minimum_mbps"]),
                                     maximum_bandwidth_in_mbps=int(v["maximum_mbps"])),
        is_private=bool(v.get("is_private")), subnet_ids=subnets,
        network_security_group_ids=[v["nsg_id"]] if v.get("nsg_id") else None,
        certificates=certs,
        backend_sets={bs_name: M.BackendSetDetails(policy=v["policy"], backends=[], health_checker=health_checker(v))},
        listeners={v["listener_name"].strip(): M.ListenerDetails(**listener_details(v, bs_name, cert_name))})
    return Request(SERVICE, "create_load_balancer", details,
                   secret_env={"private_key": "LB_PRIVATE_KEY", "passphrase": "LB_KEY_PASSPHRASE"})


def _create_cli(v: dict, ctx: FormContext, req: Request) -> str:
    d = req.details
    note = ""
    if d.certificates:  # the key is not written into the command: it is read from a file the person writes
        name = next(iter(d.certificates))
        note = (f"# certificates.json: {{\"{name}\": {{\"certificateName\": \"{name}\", \"publicCertificate\": "
                f"\"<the text of {v.get('certificate_file')}>\", \"privateKey\": "
                f"\"<the text of {v.get('private_key_file')}>\"}}}}\n")
    return note + cli_command(f"{REF.cli} create", [
        ("--compartment-id", d.compartment_id), ("--display-name", d.display_name), ("--shape-name", "flexible"),
        ("--shape-details", d.shape_details), ("--subnet-ids", d.subnet_ids), ("--is-private", d.is_private or None),
        ("--network-security-group-ids", d.network_security_group_ids), ("--backend-sets", d.backend_sets),
        ("--listeners", d.listeners), ("--certificates", "file://certificates.json" if d.certificates else None),
        ("--wait-for-state", "SUCCEEDED")])


async def _nsgs(ctx: FormContext, values) -> list[Option]:
    if not values.get("vcn_id"):
        return []
    comp = values.get("network_compartment_id") or values.get("compartment_id") or ctx.compartment_id
    nsgs = await netsvc.list_network_security_groups(ctx.session, comp, values["vcn_id"])
    return [Option(None, N_("None"))] + [Option(n.id, n.display_name, n) for n in nsgs
                                     if n.lifecycle_state == "AVAILABLE"]


def certificate_fields(name_check_fn, visible=None, deps: tuple[str, ...] = ()) -> list[Field]:
    return [
        Field("certificate_name", N_("Certificate name"), "text", required=True, validate=name_check_fn,
              visible=visible, depends_on=deps, placeholder=N_("www-example-com")),
        Field("certificate_file", N_("Certificate (PEM)"), "file", required=True, visible=visible, depends_on=deps,
              validate=_cert_check, file_filter="PEM files (*.pem *.crt *.cer);;All files (*)"),
        Field("private_key_file", N_("Private key (PEM)"), "file", required=True, visible=visible,
              depends_on=deps + ("certificate_file", "passphrase"), validate=_key_check,
              file_filter="PEM files (*.pem *.key);;All files (*)", help=N_("Checked against the certificate")),
        Field("passphrase", N_("Key passphrase"), "password", visible=visible, depends_on=deps,
              help=N_("Only for an encrypted key")),
    ]


CREATE_FORM = FormSpec(
    title=N_("Create load balancer"), kind_id=KIND_ID,
    fields=[
        Field("display_name", N_("Name"), "text", required=True, placeholder=N_("web-lb")),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("is_private", N_("Visibility"), "enum", required=True, default=False,
              options=[Option(False, N_("Public (an address reachable from the internet)")),
                       Option(True, N_("Private (an address of the subnet only)"))]),
        Field("minimum_mbps", N_("Minimum bandwidth (Mbps)"), "number", required=True, default=10, bounds=_mbps_bounds,
              help=N_("Always available; billed per hour")),
        Field("maximum_mbps", N_("Maximum bandwidth (Mbps)"), "number", required=True, default=100, bounds=_mbps_bounds,
              depends_on=("minimum_mbps",), validate=_bandwidth_check, help=N_("Up to 8000 Mbps")),
        Field("network_compartment_id", N_("Network compartment"), "compartment", required=True,
              default_from=lambda v, c: v.get("compartment_id"), depends_on=("compartment_id",)),
        Field("vcn_id", N_("VCN"), "choice", required=True, options=_vcns, depends_on=("network_compartment_id",),
              create_kind="network.vcn"),
        Field("subnet_id", N_("Subnet"), "choice", required=True, options=_subnets, depends_on=("vcn_id", "is_private"),
              validate=_subnet_check, help=N_("A regional subnet, or two AD-specific ones")),
        Field("subnet2_id", N_("Second subnet"), "choice", options=_second_subnets,
              depends_on=("subnet_id", "is_private"), visible=_ad_specific, validate=_second_check),
        Field("nsg_id", N_("Network security group"), "choice", options=_nsgs, depends_on=("vcn_id",)),
        Field("backend_set_name", N_("Backend set"), "text", required=True, default="web-servers",
              validate=name_check(set(), "backend set")),
        Field("policy", N_("Load balancing policy"), "enum", required=True, default="ROUND_ROBIN", options=POLICIES),
        *health_fields(),
        Field("listener_name", N_("Listener"), "text", required=True, default="http",
              validate=name_check(set(), "listener")),
        Field("protocol", N_("Protocol"), "enum", required=True, default="HTTP", options=PROTOCOLS),
        Field("port", N_("Port"), "number", required=True, default=80, bounds=lambda v, c: (1, 65535, 1),
              depends_on=("protocol",), default_from=_port_default),
        Field("idle_timeout", N_("Idle timeout (seconds)"), "number", default=60, bounds=lambda v, c: (1, 7200, 1)),
        *certificate_fields(name_check(set(), "certificate"), visible=_needs_cert, deps=("protocol",)),
    ],
    build=_create_build, cli=_create_cli, describe=lambda v: (v.get("display_name") or "").strip(),
    cost=lambda v, _c: cost(v.get("minimum_mbps"), v.get("maximum_mbps")))


# ---------------------------------------------------------------- the parts' forms (actions)

def backend_set_form(lb) -> FormSpec:
    certs = sorted(lb.certificates or {})

    def build(v: dict, ctx: FormContext) -> Request:
        cookie = (v.get("cookie_name") or "").strip()
        details = M.CreateBackendSetDetails(
            name=v["name"].strip(), policy=v["policy"], backends=[], health_checker=health_checker(v),
            session_persistence_configuration=M.SessionPersistenceConfigurationDetails(cookie_name=cookie)
            if cookie else None,
            ssl_configuration=M.SSLConfigurationDetails(certificate_name=v["ssl_certificate"])
            if v.get("ssl_certificate") else None)
        return Request(SERVICE, "create_backend_set", details, kwargs=_lb_args(lb),
                       details_kw="create_backend_set_details")

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        hc = d.health_checker
        return cli_command("lb backend-set create", [
            ("--load-balancer-id", lb.id), ("--name", d.name), ("--policy", d.policy),
            ("--health-checker-protocol", hc.protocol), ("--health-checker-port", hc.port),
            ("--health-checker-url-path", hc.url_path), ("--health-checker-return-code", hc.return_code),
            ("--health-checker-interval-in-ms", hc.interval_in_millis), ("--health-checker-retries", hc.retries),
            ("--session-persistence-cookie-name",
             d.session_persistence_configuration.cookie_name if d.session_persistence_configuration else None),
            ("--ssl-certificate-name", d.ssl_configuration.certificate_name if d.ssl_configuration else None),
            ("--wait-for-state", "SUCCEEDED")])

    return FormSpec(
        title=f"Add a backend set to {lb.display_name}", kind_id=KIND_ID, fields=[
            Field("name", N_("Name"), "text", required=True, validate=name_check(set(lb.backend_sets or {}),
                                                                             "backend set")),
            Field("policy", N_("Load balancing policy"), "enum", required=True, default="ROUND_ROBIN",
                  options=POLICIES),
            *health_fields(),
            Field("cookie_name", N_("Session persistence cookie"), "text",
                  help=N_("Keep a client on one backend by this application cookie (empty: none)")),
            Field("ssl_certificate", N_("SSL to the backends"), "enum", default=None,
                  options=[Option(None, N_("No (plain traffic to the backends)"))] + [Option(c, c) for c in certs]),
        ],
        build=build, cli=cli, describe=lambda v: (v.get("name") or "").strip(), submit_label=N_("Add"),
        op_title=lambda v: f"Add backend set {(v.get('name') or '').strip()} to {lb.display_name}")


OTHER = "(another address)"


def _instance_label(i: svc.VcnInstance) -> str:
    return f"{i.name} — {i.ip} ({i.state.lower()})"


def backends_form_for(lb, instances: list[svc.VcnInstance], backend_set: str | None = None) -> FormSpec:
    """Add backends: instances of the VCN picked in a table (their private IPs filled in), port and weight."""
    sets = sorted(lb.backend_sets or {})
    labels = {_instance_label(i): i for i in instances}
    first = backend_set or (sets[0] if sets else None)
    taken = {b.ip_address for b in (lb.backend_sets or {}).get(first, M.BackendSet(backends=[])).backends or []} \
        if first else set()
    default_rows = [{"instance": _instance_label(i), "ip": "", "port": "80", "weight": "1"}
                    for i in instances if i.ip not in taken and i.state == "RUNNING"]

    def parse(rows) -> tuple[list[tuple[str, int, int, str]], str | None]:
        out = []
        for n, r in enumerate(rows or [], 1):
            inst = labels.get(r.get("instance") or "")
            ip = (r.get("ip") or "").strip() or (inst.ip if inst else "")
            if not ip:
                return [], f"Row {n}: pick an instance or type an IP address"
            import ipaddress
            try:
                ipaddress.ip_address(ip)
            except ValueError:
                return [], f"Row {n}: {ip} is not an IP address"
            try:
                port, weight = int(r.get("port") or 0), int(r.get("weight") or 1)
            except ValueError:
                return [], f"Row {n}: port and weight are whole numbers"
            if not 1 <= port <= 65535:
                return [], f"Row {n}: the port is 1-65535"
            if not 1 <= weight <= 100:
                return [], f"Row {n}: the weight is 1-100"
            out.append((ip, port, weight, inst.name if inst else ip))
        if not out:
            return [], "Add at least one backend"
        names = [f"{ip}:{port}" for ip, port, _w, _n in out]
        if len(set(names)) != len(names):
            return [], "The same address and port twice"
        return out, None

    def check(v, values, _ctx) -> str | None:
        rows, err = parse(v)
        if err:
            return err
        bs = (lb.backend_sets or {}).get(values.get("backend_set"))
        have = {b.name for b in (bs.backends or [])} if bs is not None else set()
        dup = [f"{ip}:{port}" for ip, port, _w, _n in rows if f"{ip}:{port}" in have]
        return f"Already a backend of this set: {', '.join(dup)}" if dup else None

    def build(v: dict, ctx: FormContext) -> Request:
        rows, _err = parse(v["backends"])
        bs = v["backend_set"]
        first_details = M.CreateBackendDetails(ip_address=rows[0][0], port=rows[0][1], weight=rows[0][2])

        async def run(session, _token, step):
            return await svc.add_backends(session, lb.id, bs, rows, step)

        rest = ", ".join(f"({ip!r}, {port}, {w})" for ip, port, w, _n in rows[1:])
        after = (f"for ip, port, weight in [{rest}]:\n    client.create_backend(oci.load_balancer.models."
                 f"CreateBackendDetails(ip_address=ip, port=port, weight=weight),\n"
                 f"                          load_balancer_id={lb.id!r}, backend_set_name={bs!r})") if rest else ""
        return Request(SERVICE, "create_backend", first_details, kwargs={"load_balancer_id": lb.id,
                                                                        "backend_set_name": bs},
                       details_kw="create_backend_details", run=run, python_after=after)

    def cli(v, ctx, req: Request) -> str:
        rows, _err = parse(v["backends"])
        return "\n".join(cli_command("lb backend create", [
            ("--load-balancer-id", lb.id), ("--backend-set-name", v["backend_set"]), ("--ip-address", ip),
            ("--port", port), ("--weight", w), ("--wait-for-state", "SUCCEEDED")]) for ip, port, w, _n in rows)

    return FormSpec(
        title=f"Add backends to {lb.display_name}", kind_id=KIND_ID, fields=[
            Field("backend_set", N_("Backend set"), "enum", required=True, default=first,
                  options=[Option(s, s) for s in sets]),
            Field("backends", N_("Backends"), "rules", required=True, default=default_rows, validate=check,
                  depends_on=("backend_set",),
                  options=[Option("instance", N_("Instance of the VCN"), [OTHER] + list(labels)),
                           Option("ip", N_("or IP address"), None), Option("port", N_("Port"), None),
                           Option("weight", N_("Weight"), None)],
                  help=N_("Instances of the load balancer's VCN: their private IP is used")),
        ],
        build=build, cli=cli, describe=lambda v: v.get("backend_set") or "", submit_label=N_("Add"),
        op_title=lambda v: f"Add backends to {v.get('backend_set')} of {lb.display_name}")


def backends_form(lb):
    """The Add backends form, made once the instances of the load balancer's VCN are read: an Action's form that
    is a coroutine function of the session (the window awaits it, then opens the form)."""
    async def load(session) -> FormSpec:
        return backends_form_for(lb, await svc.vcn_instances(session, lb))
    return load


def listener_form(lb) -> FormSpec:
    sets = sorted(lb.backend_sets or {})
    certs = sorted(lb.certificates or {})
    used = {li.port: li.name for li in (lb.listeners or {}).values()}

    def port_check(v, _values, _ctx) -> str | None:
        if v is not None and int(v) in used:
            return f"Port {int(v)} is already used by the listener {used[int(v)]}"
        return None

    def cert_check(v, values, ctx) -> str | None:
        if _needs_cert(values, ctx) and not v:
            return "HTTPS and HTTP/2 need a certificate: add one first" if not certs else "Pick a certificate"
        return None

    def build(v: dict, ctx: FormContext) -> Request:
        details = M.CreateListenerDetails(name=v["name"].strip(), **listener_details(
            v, v["backend_set"], v.get("certificate") if _needs_cert(v, ctx) else None))
        return Request(SERVICE, "create_listener", details, kwargs=_lb_args(lb), details_kw="create_listener_details")

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command("lb listener create", [
            ("--load-balancer-id", lb.id), ("--name", d.name), ("--default-backend-set-name",
                                                                  d.default_backend_set_name),
            ("--port", d.port), ("--protocol", d.protocol),
            ("--ssl-certificate-name", d.ssl_configuration.certificate_name if d.ssl_configuration else None),
            ("--connection-configuration-idle-timeout", d.connection_configuration.idle_timeout),
            ("--wait-for-state", "SUCCEEDED")])

    return FormSpec(
        title=f"Add a listener to {lb.display_name}", kind_id=KIND_ID, fields=[
            Field("name", N_("Name"), "text", required=True, validate=name_check(set(lb.listeners or {}), "listener")),
            Field("protocol", N_("Protocol"), "enum", required=True, default="HTTP", options=PROTOCOLS),
            Field("port", N_("Port"), "number", required=True, default=80, bounds=lambda v, c: (1, 65535, 1),
                  depends_on=("protocol",), default_from=_port_default, validate=port_check),
            Field("backend_set", N_("Default backend set"), "enum", required=True, default=sets[0] if sets else None,
                  options=[Option(s, s) for s in sets]),
            Field("certificate", N_("Certificate"), "enum", default=certs[0] if certs else None,
                  options=[Option(c, c) for c in certs], depends_on=("protocol",), visible=_needs_cert,
                  validate=cert_check),
            Field("idle_timeout", N_("Idle timeout (seconds)"), "number", default=60, bounds=lambda v, c: (1, 7200, 1)),
        ],
        build=build, cli=cli, describe=lambda v: (v.get("name") or "").strip(), submit_label=N_("Add"),
        op_title=lambda v: f"Add listener {(v.get('name') or '').strip()} to {lb.display_name}")


def edit_listener_form(lb, name: str) -> FormSpec:
    """A listener changed in place: protocol, port, default backend set, certificate, idle timeout."""
    li = (lb.listeners or {})[name]
    sets = sorted(lb.backend_sets or {})
    certs = sorted(lb.certificates or {})
    used = {x.port: x.name for x in (lb.listeners or {}).values() if x.name != name}
    https = li.protocol == "HTTP" and li.ssl_configuration is not None

    def port_check(v, _values, _ctx) -> str | None:
        return f"Port {int(v)} is already used by the listener {used[int(v)]}" if v is not None and int(v) in used \
            else None

    def build(v: dict, ctx: FormContext) -> Request:
        details = M.UpdateListenerDetails(
            hostname_names=li.hostname_names, path_route_set_name=li.path_route_set_name,
            routing_policy_name=li.routing_policy_name, rule_set_names=li.rule_set_names,
            **listener_details(v, v["backend_set"], v.get("certificate") if _needs_cert(v, ctx) else None))
        return Request(SERVICE, "update_listener", details, kwargs={"load_balancer_id": lb.id, "listener_name": name},
                       details_kw="update_listener_details")

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command("lb listener update", [
            ("--load-balancer-id", lb.id), ("--listener-name", name),
            ("--default-backend-set-name", d.default_backend_set_name), ("--port", d.port),
            ("--protocol", d.protocol),
            ("--ssl-certificate-name", d.ssl_configuration.certificate_name if d.ssl_configuration else None),
            ("--connection-configuration-idle-timeout", d.connection_configuration.idle_timeout),
            ("--force", True), ("--wait-for-state", "SUCCEEDED")]).replace("--force true", "--force")

    return FormSpec(
        title=f"Listener {name} of {lb.display_name}", kind_id=KIND_ID, fields=[
            Field("protocol", N_("Protocol"), "enum", required=True, default="HTTPS" if https else li.protocol,
                  options=PROTOCOLS),
            Field("port", N_("Port"), "number", required=True, default=li.port, bounds=lambda v, c: (1, 65535, 1),
                  validate=port_check),
            Field("backend_set", N_("Default backend set"), "enum", required=True, default=li.default_backend_set_name,
                  options=[Option(x, x) for x in sets]),
            Field("certificate", N_("Certificate"), "enum",
                  default=getattr(li.ssl_configuration, "certificate_name", None) or (certs[0] if certs else None),
                  options=[Option(c, c) for c in certs], depends_on=("protocol",), visible=_needs_cert,
                  validate=lambda v, values, ctx: "Pick a certificate" if _needs_cert(values, ctx) and not v
                  else None),
            Field("idle_timeout", N_("Idle timeout (seconds)"), "number",
                  default=getattr(li.connection_configuration, "idle_timeout", None) or 60,
                  bounds=lambda v, c: (1, 7200, 1)),
        ],
        build=build, cli=cli, describe=lambda _v: name, submit_label=N_("Update"),
        op_title=lambda _v: f"Update listener {name} of {lb.display_name}")


def health_checker_form(lb, backend_set: str) -> FormSpec:
    """A backend set's health check changed in place."""
    hc = (lb.backend_sets or {})[backend_set].health_checker
    defaults = {"health_protocol": hc.protocol if hc.protocol in ("HTTP", "TCP") else "HTTP",
                "health_port": hc.port or 0, "health_path": hc.url_path or "/",
                "health_return_code": hc.return_code or 200,
                "health_interval": max(1, (hc.interval_in_millis or 10000) // 1000), "health_retries": hc.retries or 3}
    fields = health_fields()
    for f in fields:
        f.default = defaults.get(f.name, f.default)

    def build(v: dict, ctx: FormContext) -> Request:
        d = health_checker(v)
        d.response_body_regex = ".*"  # (the update requires one: any body)
        return Request(SERVICE, "update_health_checker", d, kwargs={
            "load_balancer_id": lb.id, "backend_set_name": backend_set}, details_kw="health_checker")

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command("lb health-checker update", [
            ("--load-balancer-id", lb.id), ("--backend-set-name", backend_set), ("--protocol", d.protocol),
            ("--port", d.port), ("--url-path", d.url_path), ("--return-code", d.return_code),
            ("--interval-in-millis", d.interval_in_millis), ("--retries", d.retries),
            ("--timeout-in-millis", d.timeout_in_millis), ("--response-body-regex", d.response_body_regex),
            ("--wait-for-state", "SUCCEEDED")])

    return FormSpec(
        title=f"Health check of {backend_set}", kind_id=KIND_ID, fields=fields, build=build, cli=cli,
        describe=lambda _v: backend_set, submit_label=N_("Update"),
        op_title=lambda _v: f"Update the health check of {backend_set}")


def certificate_form(lb) -> FormSpec:
    def build(v: dict, ctx: FormContext) -> Request:
        details = M.CreateCertificateDetails(
            certificate_name=v["certificate_name"].strip(), public_certificate=read_pem(v["certificate_file"]),
            private_key=read_pem(v["private_key_file"]), passphrase=v.get("passphrase") or None,
            ca_certificate=read_pem(v.get("ca_file")))
        return Request(SERVICE, "create_certificate", details, kwargs=_lb_args(lb),
                       details_kw="create_certificate_details", secret_env={"private_key": "LB_PRIVATE_KEY",
                                                                            "passphrase": "LB_KEY_PASSPHRASE"})

    def cli(v, ctx, req: Request) -> str:
        return cli_command("lb certificate create", [
            ("--load-balancer-id", lb.id), ("--certificate-name", req.details.certificate_name),
            ("--public-certificate-file", v.get("certificate_file")), ("--private-key-file", v.get("private_key_file")),
            ("--ca-certificate-file", v.get("ca_file")), ("--wait-for-state", "SUCCEEDED")])

    return FormSpec(
        title=f"Add a certificate to {lb.display_name}", kind_id=KIND_ID, fields=[
            *certificate_fields(name_check(set(lb.certificates or {}), "certificate")),
            Field("ca_file", N_("CA chain (PEM)"), "file", help=N_("Optional: the intermediate certificates")),
        ],
        build=build, cli=cli, describe=lambda v: (v.get("certificate_name") or "").strip(), submit_label=N_("Add"),
        op_title=lambda v: f"Add certificate {(v.get('certificate_name') or '').strip()} to {lb.display_name}")


def backend_form(lb, backend_set: str, backend) -> FormSpec:
    """Edit a backend in place: weight, backup, drain, offline."""
    def build(v: dict, ctx: FormContext) -> Request:
        details = M.UpdateBackendDetails(weight=int(v["weight"]), backup=bool(v["backup"]), drain=bool(v["drain"]),
                                         offline=bool(v["offline"]))
        return Request(SERVICE, "update_backend", details, kwargs={
            "load_balancer_id": lb.id, "backend_set_name": backend_set, "backend_name": backend.name},
            details_kw="update_backend_details")

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command("lb backend update", [
            ("--load-balancer-id", lb.id), ("--backend-set-name", backend_set), ("--backend-name", backend.name),
            ("--weight", d.weight), ("--backup", d.backup), ("--drain", d.drain), ("--offline", d.offline),
            ("--wait-for-state", "SUCCEEDED")])

    policy = (lb.backend_sets or {})[backend_set].policy
    return FormSpec(
        title=f"Backend {backend.name} of {backend_set}", kind_id=KIND_ID, fields=[
            Field("weight", N_("Weight"), "number", required=True, default=backend.weight,
                  bounds=lambda v, c: (1, 100, 1), help=N_("Share of the traffic under weighted round robin")),
            Field("backup", N_("Backup (gets traffic only when the others fail)"), "bool", default=bool(backend.backup),
                  validate=lambda v, *_: "The IP hash policy takes no backup backends"
                  if v and policy == "IP_HASH" else None),
            Field("drain", N_("Drain (no new connections)"), "bool", default=bool(backend.drain)),
            Field("offline", N_("Offline (no traffic at all)"), "bool", default=bool(backend.offline)),
        ],
        build=build, cli=cli, describe=lambda _v: backend.name, submit_label=N_("Update"),
        op_title=lambda _v: f"Update backend {backend.name} of {backend_set}")


# what the Delete… actions pick: (label, the load balancer's map, the delete method, its CLI words, its flag)
PARTS = {
    "listener": ("listener", "listeners", "delete_listener", "lb listener delete", "--listener-name"),
    "backend_set": ("backend set", "backend_sets", "delete_backend_set", "lb backend-set delete",
                    "--backend-set-name"),
    "certificate": ("certificate", "certificates", "delete_certificate", "lb certificate delete",
                    "--certificate-name"),
}


def delete_part_form(lb, part: str, preset: str | None = None) -> FormSpec:
    what, attr_name, method, words, flag = PARTS[part]
    names = sorted(getattr(lb, attr_name, None) or {})

    def in_use(v, _values, _ctx) -> str | None:
        for li in (getattr(lb, "listeners", None) or {}).values():
            if part == "backend_set" and li.default_backend_set_name == v:
                return f"The listener {li.name} sends to it: delete or change that listener first"
            if part == "certificate" and getattr(li.ssl_configuration, "certificate_name", None) == v:
                return f"The listener {li.name} uses it: delete or change that listener first"
        return None

    def build(v: dict, ctx: FormContext) -> Request:
        return Request(SERVICE, method, None, args=(lb.id, v["name"]), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        return cli_command(words, [("--load-balancer-id", lb.id), (flag, v.get("name")), ("--force", True),
                                   ("--wait-for-state", "SUCCEEDED")]).replace("--force true", "--force")

    from .forms import confirm_field
    return FormSpec(
        title=f"Delete a {what} of {lb.display_name}", kind_id=KIND_ID, fields=[
            Field("name", what.capitalize(), "enum", required=True, default=preset or (names[0] if names else None),
                  options=[Option(n, n) for n in names], validate=in_use),
            confirm_field(lambda v, c: getattr(c.option_data.get("name", {}).get(v.get("name")), "name", None)
                          or v.get("name"), f"the {what}'s name", ("name",)),
        ],
        build=build, cli=cli, describe=lambda v: v.get("name") or "", submit_label=N_("Delete"),
        op_title=lambda v: f"Delete {what} {v.get('name')} of {lb.display_name}")


def remove_backend_form(lb, backend_set: str, backend_name: str) -> FormSpec:
    from .forms import confirm_field

    def build(v: dict, ctx: FormContext) -> Request:
        return Request(SERVICE, "delete_backend", None, args=(lb.id, backend_set, backend_name), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        return cli_command("lb backend delete", [
            ("--load-balancer-id", lb.id), ("--backend-set-name", backend_set), ("--backend-name", backend_name),
            ("--wait-for-state", "SUCCEEDED")]) + " --force"

    return FormSpec(
        title=f"Remove backend {backend_name} from {backend_set}", kind_id=KIND_ID, fields=[
            confirm_field(lambda _v, _c: backend_name, "the backend (ip:port)", ())],
        build=build, cli=cli, describe=lambda _v: backend_name, submit_label=N_("Remove"),
        op_title=lambda _v: f"Remove backend {backend_name} from {backend_set}")


def bandwidth_form(lb) -> FormSpec:
    d = lb.shape_details

    def build(v: dict, ctx: FormContext) -> Request:
        return Request(SERVICE, "update_load_balancer_shape", M.UpdateLoadBalancerShapeDetails(
            shape_name="flexible", shape_details=M.ShapeDetails(
                minimum_bandwidth_in_mbps=int(v["minimum_mbps"]), maximum_bandwidth_in_mbps=int(v["maximum_mbps"]))),
            args=(lb.id,))

    def cli(v, ctx, req: Request) -> str:
        return cli_command("lb load-balancer update-load-balancer-shape", [
            ("--load-balancer-id", lb.id), ("--shape-name", "flexible"),
            ("--shape-details", req.details.shape_details), ("--wait-for-state", "SUCCEEDED")])

    return FormSpec(
        title=f"Change the bandwidth of {lb.display_name}", kind_id=KIND_ID, fields=[
            Field("minimum_mbps", N_("Minimum bandwidth (Mbps)"), "number", required=True,
                  default=getattr(d, "minimum_bandwidth_in_mbps", 10), bounds=_mbps_bounds),
            Field("maximum_mbps", N_("Maximum bandwidth (Mbps)"), "number", required=True,
                  default=getattr(d, "maximum_bandwidth_in_mbps", 100), bounds=_mbps_bounds,
                  depends_on=("minimum_mbps",), validate=_bandwidth_check),
        ],
        build=build, cli=cli, describe=lambda _v: lb.display_name, submit_label=N_("Update"),
        op_title=lambda v: f"Change the bandwidth of {lb.display_name}",
        cost=lambda v, _c: cost(v.get("minimum_mbps"), v.get("maximum_mbps")))


def _has(attr_name: str):
    return lambda lb: bool(getattr(lb, attr_name, None))


ACTIONS = [
    Action("add_backend_set", N_("Add backend set…"), no_run, frozenset({"ACTIVE"}), form=backend_set_form,
           target_states=frozenset({"ACTIVE"}), icon="create", verb=N_("Adding a backend set")),
    Action("add_backends", N_("Add backends…"), no_run, frozenset({"ACTIVE"}), form=backends_form,
           target_states=frozenset({"ACTIVE"}), icon="attach", verb=N_("Adding backends"), when=_has("backend_sets")),
    Action("add_listener", N_("Add listener…"), no_run, frozenset({"ACTIVE"}), form=listener_form,
           target_states=frozenset({"ACTIVE"}), icon="route", verb=N_("Adding a listener"), when=_has("backend_sets")),
    Action("add_certificate", N_("Add certificate…"), no_run, frozenset({"ACTIVE"}), form=certificate_form,
           target_states=frozenset({"ACTIVE"}), icon="security", verb=N_("Adding a certificate")),
    Action("bandwidth", N_("Change bandwidth…"), no_run, frozenset({"ACTIVE"}), form=bandwidth_form,
           target_states=frozenset({"ACTIVE"}), icon="resize", verb=N_("Changing the bandwidth")),
    Action("delete_listener", N_("Delete listener…"), no_run, frozenset({"ACTIVE"}), destructive=True, confirm="form",
           form=lambda lb: delete_part_form(lb, "listener"), target_states=frozenset({"ACTIVE"}), icon="delete",
           verb=N_("Deleting a listener"), when=_has("listeners")),
    Action("delete_backend_set", N_("Delete backend set…"), no_run, frozenset({"ACTIVE"}), destructive=True,
           confirm="form", form=lambda lb: delete_part_form(lb, "backend_set"), target_states=frozenset({"ACTIVE"}),
           icon="delete", verb=N_("Deleting a backend set"), when=_has("backend_sets")),
    Action("delete_certificate", N_("Delete certificate…"), no_run, frozenset({"ACTIVE"}), destructive=True,
           confirm="form", form=lambda lb: delete_part_form(lb, "certificate"), target_states=frozenset({"ACTIVE"}),
           icon="delete", verb=N_("Deleting a certificate"), when=_has("certificates")),
    Action("waf", N_("Attach WAF policy…"), no_run, frozenset({"ACTIVE"}), form=lambda lb: _attach_waf(lb),
           icon="security", verb=N_("Attaching a WAF policy to")),
    delete_action(REF, frozenset({"ACTIVE", "FAILED"})),
]


def _attach_waf(lb) -> FormSpec:
    from .security import attach_form  # (security's kinds refer to load balancers too)
    return attach_form(load_balancer=lb)


# ---------------------------------------------------------------- related

async def _about(session, lb) -> list[RelatedItem]:
    out = [RelatedItem("Shape", shape_text(lb)), RelatedItem("Visibility", "Private" if lb.is_private else "Public")]
    for a in lb.ip_addresses or []:
        out.append(RelatedItem("IP address", f"{a.ip_address} ({'public' if a.is_public else 'private'})"))
    for s in lb.subnet_ids or []:
        out.append(RelatedItem("Subnet", s, s))
    for n in lb.network_security_group_ids or []:
        out.append(RelatedItem("Network security group", n, n))
    d = lb.shape_details
    c = cost(getattr(d, "minimum_bandwidth_in_mbps", None), getattr(d, "maximum_bandwidth_in_mbps", None))
    if c is not None:
        out.append(RelatedItem("Cost at list price", c.text()))
    return out


async def _health(session, lb) -> list[RelatedItem]:
    ov = await svc.overview(session, lb)
    out = [RelatedItem("Overall", ov.status)]
    for bs in ov.backend_sets:
        out.append(RelatedItem(f"Backend set {bs.name}", bs.status))
    for bs, b in ov.backends():
        out.append(RelatedItem(f"{bs.name} / {b.name}", f"{b.status}: {b.reason}"))
    return out


async def _listeners(session, lb) -> list[RelatedItem]:
    return [RelatedItem(li.name, f"{svc.protocol(li)} port {li.port} → {li.default_backend_set_name}"
                        + (f" (certificate {li.ssl_configuration.certificate_name})" if li.ssl_configuration else ""))
            for li in sorted((lb.listeners or {}).values(), key=lambda x: x.port)] or [RelatedItem("Listeners", "none")]


async def _backend_sets(session, lb) -> list[RelatedItem]:
    out = []
    for bs in (lb.backend_sets or {}).values():
        out.append(RelatedItem(bs.name, f"{bs.policy}, {len(bs.backends or [])} backends, health check "
                                        f"{bs.health_checker.protocol} {bs.health_checker.url_path or ''}".rstrip()))
    return out or [RelatedItem("Backend sets", "none")]


async def _certificates(session, lb) -> list[RelatedItem]:
    return [RelatedItem(name, "certificate and key" + (" with a CA chain" if c.ca_certificate else ""))
            for name, c in sorted((lb.certificates or {}).items())] or [RelatedItem("Certificates", "none")]


LOAD_BALANCERS = ResourceKind(
    id=KIND_ID, label=N_("Load balancers"), singular=N_("Load balancer"), group=N_("Networking"), icon="route",
    list=lister(REF), get=getter(REF), ocid_types=("loadbalancer",), order=30, browser="load_balancer",
    columns=[
        Column(N_("Name"), attr("display_name"), width=180),
        Column(N_("State"), attr("lifecycle_state"), "state", width=90),
        Column(N_("Shape"), shape_text, width=170),
        Column(N_("IP address"), addresses, width=200),
        Column(N_("Visibility"), lambda lb: "Private" if lb.is_private else "Public", width=80),
        Column(N_("Listeners"), lambda lb: len(lb.listeners or {}), "number", width=80),
        Column(N_("Backend sets"), lambda lb: len(lb.backend_sets or {}), "number", width=90),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Load balancer"), _about), Related(N_("Health"), _health), Related(N_("Listeners"), _listeners),
             Related(N_("Backend sets"), _backend_sets), Related(N_("Certificates"), _certificates)],
    actions=ACTIONS, create=CREATE_FORM, ready_states=frozenset({"ACTIVE"}), sdk=REF,
    metrics=MetricsSpec("oci_lbaas", [
        ChartSpec("HTTP requests", ["HttpRequests"], "count/min", statistic="sum"),
        ChartSpec("Responses", ["HttpResponses2xx", "HttpResponses4xx", "HttpResponses5xx"], "count/min",
                  statistic="sum", labels={"HttpResponses2xx": "2xx", "HttpResponses4xx": "4xx",
                                           "HttpResponses5xx": "5xx"}),
        ChartSpec("Backends", ["BackendServers", "UnHealthyBackendServers"], "count", statistic="max",
                  labels={"BackendServers": "backends", "UnHealthyBackendServers": "unhealthy"}),
        ChartSpec("Active connections", ["ActiveConnections"], "count"),
        ChartSpec("Traffic", ["BytesReceived", "BytesSent"], "B/min", statistic="sum",
                  labels={"BytesReceived": "received", "BytesSent": "sent"}),
    ]),
)

KINDS = [LOAD_BALANCERS]
