"""Security kinds (tree group "Security"): Web Application Firewall policies and firewalls, WAAS policies and
their certificates.

A WAF policy is created with its request access control rules in a table (name, JMESPath condition, action,
response code): each condition is checked as it is typed by the same parser the service uses
(ociconsole.lang.waf_condition), the error naming the rule and the column; the policy's actions are the
console's pre-configured ones (allow, check, and one "return <code>" action per response code used). "Edit
access rules…" replaces them; "Attach to a load balancer…" (and Web app firewalls' create) makes the web app
firewall that puts a policy in front of a load balancer. A policy's page lists its actions, rules, rate
limits, protections and the firewalls using it.

A WAAS policy is created with its domain, additional domains, one origin, HTTPS with a certificate of the
compartment, and access rules (criteria and action, in a table); a WAAS certificate from PEM files (the
certificate and its private key; the service refuses a key that does not match).
"""

from __future__ import annotations

import os
import re

from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..lang import waf_condition
from . import pricing
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .generic import SdkRef, delete_action, getter, lister
from .model import Action, Column, Related, RelatedItem, ResourceKind, attr, no_run

W = sdk_models("waf")
A = sdk_models("waas")
GROUP = "Security"
POLICY_REF = SdkRef("waf", "web_app_firewall_policy", cli="waf web-app-firewall-policy",
                    plural="web_app_firewall_policies")
FIREWALL_REF = SdkRef("waf", "web_app_firewall", cli="waf web-app-firewall")
WAAS_REF = SdkRef("waas", "waas_policy", cli="waas waas-policy", plural="waas_policies")
CERT_REF = SdkRef("waas", "certificate", cli="waas certificate", model="Certificate")
LB_SERVICE = "load_balancer"  # core.connection.SERVICES key of the Load Balancer client
LIVE = frozenset({"ACTIVE", "FAILED"})

# the console's pre-configured actions (OCI's console creates the same three with a new policy)
ALLOW_ACTION = "Pre-configured Allow Action"
CHECK_ACTION = "Pre-configured Check Action"
# the rules table's Action cells -> OCI's action types (short: the condition column needs the room)
RETURN, ALLOW, CHECK = "Return code", "Allow", "Check"
ACTION_TYPES = {RETURN: "RETURN_HTTP_RESPONSE", ALLOW: "ALLOW", CHECK: "CHECK"}
CELL_OF_TYPE = {t: cell for cell, t in ACTION_TYPES.items()}
RULE_COLUMNS = [Option("name", N_("Name"), None),
                Option("action", N_("Action"), [RETURN, ALLOW, CHECK]),
                Option("code", N_("Code"), None),
                Option("condition", N_("Condition (JMESPath)"), None)]  # last: the column that stretches
EXAMPLE_RULE = {"name": "block-admin", "condition": "i_starts_with(http.request.url.path, '/admin')",
                "action": RETURN, "code": "403"}


def return_action(code: int) -> str:
    return f"Pre-configured {code} Response Code Action"


# ---------------------------------------------------------------- WAF policies

def _read_first(read, make):
    """An action's form made from the whole resource (a list row is a summary): `read(session, row)` first."""
    def form(row):
        async def spec(session) -> FormSpec:
            return make(await read(session, row))
        return spec
    return form


def check_rules(rows, *_a) -> str | None:
    """The access rules table as the service checks it: unique names, conditions that parse, codes 200-599."""
    names: set[str] = set()
    for i, r in enumerate(rows or [], 1):
        name = (r.get("name") or "").strip()
        if not name:
            return f"Rule {i}: give it a name"
        if name in names:
            return f"Rule {i}: the name '{name}' is used twice"
        names.add(name)
        cond = (r.get("condition") or "").strip()
        if cond:
            err = waf_condition.check(cond)
            if err is not None:
                return f"Rule {i} ({name}): {err.message}"
        if r.get("action") == RETURN:
            code = (r.get("code") or "").strip()
            if not code.isdigit() or not 200 <= int(code) <= 599:
                return f"Rule {i} ({name}): the response code must be 200-599 (403 blocks)"
    return None


def policy_parts(rows: list[dict], default: str) -> tuple[list, object]:
    """(actions, RequestAccessControl) for the rules table and the default action ("ALLOW" or a code)."""
    codes = sorted({int(r["code"]) for r in rows if r.get("action") == RETURN} |
                   ({int(default)} if default != "ALLOW" else set()))
    actions = [W.AllowAction(name=ALLOW_ACTION), W.CheckAction(name=CHECK_ACTION)] + [
        W.ReturnHttpResponseAction(name=return_action(c), code=c) for c in codes]

    def action_of(r: dict) -> str:
        if r.get("action") == RETURN:
            return return_action(int(r["code"]))
        return CHECK_ACTION if r.get("action") == CHECK else ALLOW_ACTION

    rules = [W.AccessControlRule(name=r["name"].strip(), condition=(r.get("condition") or "").strip() or None,
                                 condition_language="JMESPATH", action_name=action_of(r)) for r in rows]
    rac = W.RequestAccessControl(default_action_name=ALLOW_ACTION if default == "ALLOW" else return_action(
        int(default)), rules=rules)
    return actions, rac


DEFAULTS = [Option("ALLOW", N_("Allow the request")), Option("401", N_("Return 401 (unauthorized)")),
            Option("403", N_("Return 403 (forbidden)"))]


def _rate_limit(v: dict):
    n = v.get("rate_limit")
    if not n:
        return None
    return W.RequestRateLimiting(rules=[W.RequestRateLimitingRule(
        name="rate-limit", action_name=return_action(429), condition_language="JMESPATH",
        configurations=[W.RequestRateLimitingConfiguration(period_in_seconds=60, requests_limit=int(n),
                                                           action_duration_in_seconds=60)])])


def _build_policy(v: dict, ctx: FormContext) -> Request:
    rows = v.get("rules") or []
    actions, rac = policy_parts(rows, v.get("default_action") or "ALLOW")
    rrl = _rate_limit(v)
    if rrl is not None and return_action(429) not in {a.name for a in actions}:
        actions.append(W.ReturnHttpResponseAction(name=return_action(429), code=429))
    details = W.CreateWebAppFirewallPolicyDetails(
        compartment_id=v["compartment_id"], display_name=(v.get("display_name") or "").strip() or None,
        actions=actions, request_access_control=rac, request_rate_limiting=rrl)
    return Request("waf", "create_web_app_firewall_policy", details)


def _cli_policy(v: dict, ctx: FormContext, req: Request) -> str:
    d = req.details
    return cli_command(f"{POLICY_REF.cli} create", [
        ("--compartment-id", d.compartment_id), ("--display-name", d.display_name), ("--actions", d.actions),
        ("--request-access-control", d.request_access_control),
        ("--request-rate-limiting", d.request_rate_limiting), ("--wait-for-state", "SUCCEEDED")])


def _rules_field(default=None) -> Field:
    return Field("rules", N_("Access control rules"), "rules", options=RULE_COLUMNS, validate=check_rules,
                 default=default if default is not None else [dict(EXAMPLE_RULE)],
                 help=N_("Checked in order for every request. A condition is a JMESPath expression over the "
                      "request, e.g. i_starts_with(http.request.url.path, '/admin') or "
                      "address_in_network(connection.source.address, ['203.0.113.0/24']); empty: every request"))


POLICY_FORM = FormSpec(
    title=N_("Create WAF policy"), kind_id="security.waf_policy",
    fields=[
        Field("display_name", N_("Name"), "text", placeholder=N_("shop-waf-policy")),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        _rules_field(),
        Field("default_action", N_("When no rule matches"), "enum", required=True, default="ALLOW", options=DEFAULTS),
        Field("rate_limit", N_("Rate limit (requests per minute per client)"), "number", default=0,
              bounds=lambda *_: (0, 100000, 1),
              help=N_("0: no rate limiting; above it a client gets 429 for a minute")),
    ],
    build=_build_policy, cli=_cli_policy)


def rules_form(policy) -> FormSpec:
    rac = policy.request_access_control
    actions = {a.name: a for a in policy.actions or []}
    rows = []
    for r in (rac.rules if rac is not None else None) or []:
        a = actions.get(r.action_name)
        rows.append({"name": r.name, "condition": r.condition or "",
                     "action": CELL_OF_TYPE.get(getattr(a, "type", ""), ALLOW),
                     "code": str(getattr(a, "code", "") or "")})
    default_action = actions.get(rac.default_action_name) if rac is not None else None
    default = str(getattr(default_action, "code", "")) if getattr(default_action, "type", "") == \
        "RETURN_HTTP_RESPONSE" else "ALLOW"

    def build(v: dict, ctx: FormContext) -> Request:
        new_actions, new_rac = policy_parts(v.get("rules") or [], v.get("default_action") or "ALLOW")
        kept = [a for a in policy.actions or [] if a.name not in {n.name for n in new_actions}]
        return Request("waf", "update_web_app_firewall_policy", W.UpdateWebAppFirewallPolicyDetails(
            actions=new_actions + kept, request_access_control=new_rac), args=(policy.id,), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        return cli_command(f"{POLICY_REF.cli} update", [
            ("--web-app-firewall-policy-id", policy.id), ("--actions", req.details.actions),
            ("--request-access-control", req.details.request_access_control), ("--force", True),
            ("--wait-for-state", "SUCCEEDED")])

    return FormSpec(
        title=f"Edit the access rules of {policy.display_name}", kind_id="security.waf_policy",
        fields=[_rules_field(rows),
                Field("default_action", N_("When no rule matches"), "enum", required=True, default=default,
                      options=DEFAULTS)],
        build=build, cli=cli, describe=lambda _v: policy.display_name, submit_label=N_("Save rules"),
        op_title=lambda v: f"Update the access rules of {policy.display_name}")


async def _full_policy(session, policy):
    return policy if getattr(policy, "actions", None) is not None else await session.data(
        "waf", "get_web_app_firewall_policy", policy.id)


async def _policy_related(session, policy) -> list[RelatedItem]:
    p = await _full_policy(session, policy)
    out = []
    for a in p.actions or []:
        extra = f" {a.code}" if getattr(a, "type", "") == "RETURN_HTTP_RESPONSE" else ""
        out.append(RelatedItem("Action", f"{a.name}: {a.type}{extra}"))
    rac = p.request_access_control
    if rac is not None:
        for r in rac.rules or []:
            out.append(RelatedItem("Access rule", f"{r.name}: if {r.condition or 'any request'} then {r.action_name}"))
        out.append(RelatedItem("Default action", rac.default_action_name or ""))
    for r in (p.request_rate_limiting.rules if p.request_rate_limiting else None) or []:
        confs = ", ".join(f"{c.requests_limit} per {c.period_in_seconds} s" for c in r.configurations or [])
        out.append(RelatedItem("Rate limit", f"{r.name}: {confs} then {r.action_name}"))
    for r in (p.request_protection.rules if p.request_protection else None) or []:
        keys = ", ".join(c.key for c in r.protection_capabilities or [])
        out.append(RelatedItem("Protection", f"{r.name}: capabilities {keys} then {r.action_name}"))
    firewalls = await session.list_all("waf", "list_web_app_firewalls", p.compartment_id,
                                       web_app_firewall_policy_id=p.id)
    for f in firewalls:
        if f.lifecycle_state != "DELETED":
            out.append(RelatedItem("Firewall", f"{f.display_name} ({f.lifecycle_state})", f.id))
    return out


# ---------------------------------------------------------------- web app firewalls (attach to a load balancer)

def firewall_cost(*_a) -> pricing.Cost:
    """A web app firewall at list price: Oracle bills each per month, the tenancy's first free, and requests past the
    first 10 million a month (the one price list, ociconsole/lang/prices.json)."""
    fw, req = pricing.price("B94579"), pricing.price("B94277")
    return pricing.Cost(fw.usd, "month", [f"1 × ${fw.usd:g} per {fw.unit} ({fw.part})"],
                        note=f"the tenancy's first web app firewall is free; requests past 10 million a month cost "
                             f"${req.usd:g} per million")


async def _load_balancers(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    lbs = await ctx.session.list_all(LB_SERVICE, "list_load_balancers", comp)
    return [Option(lb.id, f"{lb.display_name} ({lb.lifecycle_state})", lb) for lb in lbs
            if lb.lifecycle_state == "ACTIVE"]


async def _policies(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    return [Option(p.id, p.display_name, p) for p in await ctx.session.list_all(
        "waf", POLICY_REF.list_method, comp) if p.lifecycle_state == "ACTIVE"]


def attach_form(policy=None, load_balancer=None) -> FormSpec:
    """The web app firewall that puts a WAF policy in front of a load balancer: from a policy (the load balancer
    is picked), from a load balancer (the policy is picked; a load balancer page's "Attach WAF policy…") or
    from neither (Web app firewalls' create)."""
    def build(v: dict, ctx: FormContext) -> Request:
        return Request("waf", "create_web_app_firewall", W.CreateWebAppFirewallLoadBalancerDetails(
            compartment_id=v["compartment_id"], display_name=(v.get("display_name") or "").strip() or None,
            backend_type="LOAD_BALANCER",
            load_balancer_id=load_balancer.id if load_balancer is not None else v["load_balancer_id"],
            web_app_firewall_policy_id=policy.id if policy is not None else v["policy_id"]))

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command(f"{FIREWALL_REF.cli} create-for-load-balancer", [
            ("--compartment-id", d.compartment_id), ("--display-name", d.display_name),
            ("--load-balancer-id", d.load_balancer_id), ("--web-app-firewall-policy-id", d.web_app_firewall_policy_id),
            ("--wait-for-state", "SUCCEEDED")])

    home = policy if policy is not None else load_balancer
    fields = [Field("display_name", N_("Name"), "text", placeholder=N_("shop-waf")),
              Field("compartment_id", N_("Compartment"), "compartment", required=True,
                    default=getattr(home, "compartment_id", None),
                    help=N_("Where the firewall is kept; the policies and load balancers listed are "
                            "this compartment's"))]
    if policy is None:
        fields.append(Field("policy_id", N_("WAF policy"), "choice", required=True, options=_policies,
                            depends_on=("compartment_id",), create_kind="security.waf_policy"))
    if load_balancer is None:
        fields.append(Field("load_balancer_id", N_("Load balancer"), "choice", required=True, options=_load_balancers,
                            depends_on=("compartment_id",),
                            help=N_("The policy then applies to every request the load balancer's listeners take; a "
                                 "load balancer has one web app firewall")))
    name = getattr(policy, "display_name", "")
    lb_name = getattr(load_balancer, "display_name", "")
    if policy is not None:
        title = f"Attach {name} to a load balancer"
    elif load_balancer is not None:
        title = f"Attach a WAF policy to {lb_name}"
    else:
        title = "Attach a WAF policy to a load balancer"
    return FormSpec(
        title=title, kind_id="security.web_app_firewall", fields=fields, build=build, cli=cli,
        submit_label=N_("Attach"), cost=firewall_cost,
        describe=lambda v: (v.get("display_name") or "").strip() or name or lb_name,
        op_title=lambda v: f"Attach {name or 'a WAF policy'} to {lb_name or 'a load balancer'}")


FIREWALL_ACTIONS = [delete_action(FIREWALL_REF, LIVE, frozenset({"DELETED"}))]


async def _firewall_related(session, fw) -> list[RelatedItem]:
    out = [RelatedItem("WAF policy", fw.web_app_firewall_policy_id, fw.web_app_firewall_policy_id)]
    lb = getattr(fw, "load_balancer_id", None)
    if lb:
        out.append(RelatedItem("Load balancer", lb, lb))
    return out


# ---------------------------------------------------------------- WAAS policies

WAAS_CONDITIONS = ["URL_STARTS_WITH", "URL_IS", "URL_PART_CONTAINS", "URL_PART_ENDS_WITH", "URL_REGEX", "IP_IS",
                   "IP_IS_NOT", "COUNTRY_IS", "COUNTRY_IS_NOT", "HTTP_METHOD_IS", "USER_AGENT_IS"]
WAAS_RULE_COLUMNS = [Option("name", N_("Name"), None), Option("condition", N_("Criterion"), WAAS_CONDITIONS),
                     Option("value", N_("Value"), None), Option("action", N_("Action"), ["BLOCK", "ALLOW", "DETECT"])]
DOMAIN_RE = re.compile(r"^(\*\.)?([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")


def check_domain(v, *_a) -> str | None:
    return None if isinstance(v, str) and DOMAIN_RE.match(v.strip()) else \
        "Give a fully qualified domain name, e.g. www.example.com"


def check_domains(v, *_a) -> str | None:
    for d in (v or "").replace(",", " ").split():
        if not DOMAIN_RE.match(d):
            return f"'{d}' is not a fully qualified domain name"
    return None


def check_waas_rules(rows, *_a) -> str | None:
    names: set[str] = set()
    for i, r in enumerate(rows or [], 1):
        name = (r.get("name") or "").strip()
        if not name or name in names:
            return f"Rule {i}: give it a name of its own"
        names.add(name)
        if not (r.get("value") or "").strip():
            return f"Rule {i} ({name}): give the criterion a value"
        if r.get("condition") == "URL_REGEX":
            try:
                re.compile(r["value"])
            except re.error as e:
                return f"Rule {i} ({name}): not a regular expression ({e})"
    return None


async def _certificates(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    return [Option(c.id, c.display_name, c) for c in await ctx.session.list_all("waas", "list_certificates", comp)
            if c.lifecycle_state == "ACTIVE"]


def _build_waas(v: dict, ctx: FormContext) -> Request:
    cert = v.get("certificate_id") if v.get("https") else None
    rules = _waas_rules(v.get("rules"))
    details = A.CreateWaasPolicyDetails(
        compartment_id=v["compartment_id"], display_name=(v.get("display_name") or "").strip() or None,
        domain=v["domain"].strip().lower(),
        additional_domains=[d.lower() for d in (v.get("additional_domains") or "").replace(",", " ").split()] or None,
        origins={"primary": A.Origin(uri=v["origin"].strip(), http_port=80, https_port=443)},
        policy_config=A.PolicyConfig(is_https_enabled=bool(cert), certificate_id=cert),
        waf_config=A.WafConfigDetails(origin="primary", access_rules=rules or None))
    return Request("waas", "create_waas_policy", details)


def _cli_waas(v: dict, ctx: FormContext, req: Request) -> str:
    d = req.details
    return cli_command(f"{WAAS_REF.cli} create", [
        ("--compartment-id", d.compartment_id), ("--display-name", d.display_name), ("--domain", d.domain),
        ("--additional-domains", d.additional_domains), ("--origins", d.origins),
        ("--policy-config", d.policy_config), ("--waf-config", d.waf_config), ("--wait-for-state", "SUCCEEDED")])


WAAS_FORM = FormSpec(
    title=N_("Create WAAS policy"), kind_id="security.waas_policy",
    fields=[
        Field("display_name", N_("Name"), "text", placeholder=N_("shop-edge")),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("domain", N_("Primary domain"), "text", required=True, placeholder=N_("www.example.com"),
              validate=check_domain),
        Field("additional_domains", N_("Additional domains"), "text", placeholder=N_("example.com, m.example.com"),
              validate=check_domains),
        Field("origin", N_("Origin (host name or IP)"), "text", required=True, placeholder=N_("203.0.113.20"),
              help=N_("Where the edge sends allowed requests: your load balancer or web server")),
        Field("https", N_("Serve HTTPS with a certificate"), "bool", default=False),
        Field("certificate_id", N_("Certificate"), "choice", required=True, options=_certificates,
              depends_on=("compartment_id", "https"), visible=lambda v, _c: bool(v.get("https")),
              create_kind="security.waas_certificate"),
        Field("rules", N_("Access rules"), "rules", options=WAAS_RULE_COLUMNS, validate=check_waas_rules,
              help=N_("A request that meets a rule's criterion gets its action (BLOCK answers 403)")),
    ],
    build=_build_waas, cli=_cli_waas, describe=lambda v: (v.get("display_name") or v.get("domain") or "").strip())


def _waas_rules(rows) -> list:
    return [A.AccessRule(name=r["name"].strip(), action=r.get("action") or "BLOCK", criteria=[
        A.AccessRuleCriteria(condition=r["condition"], value=r["value"].strip())]) for r in rows or []]


async def _full_waas(session, pol):
    return pol if getattr(pol, "waf_config", None) is not None else await session.data(
        "waas", "get_waas_policy", pol.id)


def waas_rules_form(pol) -> FormSpec:
    """Replace a WAAS policy's access rules (one criterion each here; rules with more keep theirs shown as the
    first). The policy goes UPDATING until WAAS's work request ends."""
    rows = []
    for r in (pol.waf_config.access_rules if getattr(pol, "waf_config", None) else None) or []:
        c = (r.criteria or [None])[0]
        rows.append({"name": r.name, "condition": getattr(c, "condition", "URL_STARTS_WITH"),
                     "value": getattr(c, "value", ""), "action": r.action or "ALLOW"})

    def build(v: dict, ctx: FormContext) -> Request:
        return Request("waas", "update_access_rules", _waas_rules(v.get("rules")), args=(pol.id,), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        return cli_command("waas access-rule update", [("--waas-policy-id", pol.id),
                                                       ("--access-rules", req.details or []), ("--force", True),
                                                       ("--wait-for-state", "SUCCEEDED")])

    name = pol.display_name or pol.domain
    return FormSpec(
        title=f"Edit the access rules of {name}", kind_id="security.waas_policy",
        fields=[Field("rules", N_("Access rules"), "rules", options=WAAS_RULE_COLUMNS, validate=check_waas_rules,
                      default=rows,
                      help=N_("Checked in order; the first rule whose criterion a request meets applies"))],
        build=build, cli=cli, describe=lambda _v: name, submit_label=N_("Save rules"),
        op_title=lambda _v: f"Update the access rules of {name}")


def waas_protection_form(pol) -> FormSpec:
    ps = pol.waf_config.protection_settings if getattr(pol, "waf_config", None) else None

    def build(v: dict, ctx: FormContext) -> Request:
        return Request("waas", "update_protection_settings", A.ProtectionSettings(
            block_response_code=int(v["block_response_code"]), max_argument_count=int(v["max_argument_count"]),
            allowed_http_methods=[m for m in v["allowed_http_methods"].replace(",", " ").split()]),
            args=(pol.id,), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command("waas protection-settings update", [
            ("--waas-policy-id", pol.id), ("--block-response-code", d.block_response_code),
            ("--max-argument-count", d.max_argument_count), ("--allowed-http-methods", d.allowed_http_methods),
            ("--force", True), ("--wait-for-state", "SUCCEEDED")])

    def check_methods(v, *_a) -> str | None:
        bad = [m for m in (v or "").replace(",", " ").split() if m not in WAAS_METHODS]
        return f"Not an HTTP method WAAS knows: {', '.join(bad)}" if bad else None

    name = pol.display_name or pol.domain
    return FormSpec(
        title=f"Protection settings of {name}", kind_id="security.waas_policy",
        fields=[Field("block_response_code", N_("Block with response code"), "enum", required=True,
                      default=getattr(ps, "block_response_code", 403),
                      options=[Option(c, str(c)) for c in (400, 401, 403, 405, 409, 411, 412, 413, 414, 415, 416,
                                                           500, 501, 502, 503, 504, 507)]),
                Field("max_argument_count", N_("Most arguments in a request"), "number", required=True,
                      default=getattr(ps, "max_argument_count", 255), bounds=lambda *_: (1, 10000, 1),
                      help=N_("Applies when the protection rule 'Number of Arguments Limits' is on")),
                Field("allowed_http_methods", N_("Allowed HTTP methods"), "text", required=True, validate=check_methods,
                      default=" ".join(getattr(ps, "allowed_http_methods", None) or ["OPTIONS", "GET", "HEAD",
                                                                                      "POST"]))],
        build=build, cli=cli, describe=lambda _v: name, submit_label=N_("Save settings"),
        op_title=lambda _v: f"Update the protection settings of {name}")


WAAS_METHODS = ("OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "CONNECT", "PATCH", "PROPFIND")


async def _waas_related(session, pol) -> list[RelatedItem]:
    p = await session.data("waas", "get_waas_policy", pol.id)
    out = [RelatedItem("CNAME", p.cname or "")]
    out += [RelatedItem("Additional domain", d) for d in p.additional_domains or []]
    for name, o in (p.origins or {}).items():
        out.append(RelatedItem("Origin", f"{name}: {o.uri} (HTTP {o.http_port or 80}, HTTPS {o.https_port or 443})"))
    pc = p.policy_config
    if pc is not None:
        out.append(RelatedItem("HTTPS", "on" if pc.is_https_enabled else "off"))
        if pc.certificate_id:
            out.append(RelatedItem("Certificate", pc.certificate_id, pc.certificate_id))
    waf = p.waf_config
    for r in (waf.access_rules if waf else None) or []:
        crit = ", ".join(f"{c.condition} {c.value}" for c in r.criteria or [])
        out.append(RelatedItem("Access rule", f"{r.name}: {crit} then {r.action}"))
    ps = waf.protection_settings if waf else None
    if ps is not None:
        out.append(RelatedItem("Protection settings", f"block with {ps.block_response_code}; at most "
                                                      f"{ps.max_argument_count} arguments; methods "
                                                      f"{', '.join(ps.allowed_http_methods or [])}"))
    return out


# ---------------------------------------------------------------- WAAS certificates

def _read(path: str) -> str:
    with open(os.path.expanduser(path.strip())) as f:
        return f.read()


def _pem(kind: str):
    def check(v, *_a) -> str | None:
        try:
            text = _read(v)
        except OSError as e:
            return f"Cannot read it: {e.strerror}"
        return None if f"-----BEGIN {kind}" in text or (kind == "PRIVATE KEY" and "PRIVATE KEY-----" in text) \
            else f"Not a PEM file (no -----BEGIN {kind}----- line)"
    return check


def _build_cert(v: dict, ctx: FormContext) -> Request:
    details = A.CreateCertificateDetails(
        compartment_id=v["compartment_id"], display_name=(v.get("display_name") or "").strip() or None,
        certificate_data=_read(v["certificate_file"]), private_key_data=_read(v["key_file"]),
        is_trust_verification_disabled=bool(v.get("self_signed")))
    return Request("waas", "create_certificate", details, secret_env={"private_key_data": "WAAS_PRIVATE_KEY"})


def _cli_cert(v: dict, ctx: FormContext, req: Request) -> str:
    d = req.details
    return cli_command(f"{CERT_REF.cli} create", [
        ("--compartment-id", d.compartment_id), ("--display-name", d.display_name),
        ("--certificate-data", f"$(cat {v['certificate_file'].strip()})"),
        ("--private-key-data", "\"$WAAS_PRIVATE_KEY\""),
        ("--is-trust-verification-disabled", d.is_trust_verification_disabled or None)])


CERT_FORM = FormSpec(
    title=N_("Create WAAS certificate"), kind_id="security.waas_certificate",
    fields=[
        Field("display_name", N_("Name"), "text", placeholder=N_("shop-cert")),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("certificate_file", N_("Certificate (PEM)"), "file", required=True, validate=_pem("CERTIFICATE"),
              file_filter="PEM files (*.pem *.crt *.cer)",
              help=N_("The leaf certificate, followed by its intermediate certificates if any")),
        Field("key_file", N_("Private key (PEM)"), "file", required=True, validate=_pem("PRIVATE KEY"),
              file_filter="PEM files (*.pem *.key)", help=N_("Unencrypted; it must be the certificate's key")),
        Field("self_signed", N_("The certificate is self-signed (no trust verification)"), "bool", default=False),
    ],
    build=_build_cert, cli=_cli_cert)


# ---------------------------------------------------------------- kinds

COMMON = [Column(N_("State"), attr("lifecycle_state"), "state", width=90), Column(N_("Created"), attr("time_created"),
                                                                                "datetime")]

WAF_POLICIES = ResourceKind(
    id="security.waf_policy", label=N_("WAF policies"), singular=N_("WAF policy"), group=GROUP, icon="security",
    list=lister(POLICY_REF), get=getter(POLICY_REF), ocid_types=("webappfirewallpolicy",), order=10,
    columns=[Column(N_("Name"), attr("display_name"), width=240), *COMMON],
    related=[Related(N_("Rules and firewalls"), _policy_related)],
    actions=[Action("rules", N_("Edit access rules…"), no_run, frozenset({"ACTIVE"}), form=_read_first(
                        _full_policy, rules_form), icon="edit", target_states=frozenset({"ACTIVE"}),
                    verb=N_("Updating rules")),
             Action("attach", N_("Attach to a load balancer…"), no_run, frozenset({"ACTIVE"}), form=attach_form,
                    icon="security", target_states=frozenset({"ACTIVE"})),
             delete_action(POLICY_REF, LIVE, frozenset({"DELETED"}))],
    create=POLICY_FORM, ready_states=frozenset({"ACTIVE"}), sdk=POLICY_REF)

WEB_APP_FIREWALLS = ResourceKind(
    id="security.web_app_firewall", label=N_("Web app firewalls"), singular=N_("Web app firewall"), group=GROUP,
    icon="security", list=lister(FIREWALL_REF), get=getter(FIREWALL_REF), ocid_types=("webappfirewall",), order=20,
    columns=[Column(N_("Name"), attr("display_name"), width=220), Column(N_("Backend"), attr("backend_type"),
                                                                         width=110),
             Column(N_("Policy"), attr("web_app_firewall_policy_id"), "ocid", width=150), *COMMON],
    related=[Related(N_("Attached"), _firewall_related)], actions=FIREWALL_ACTIONS, create=attach_form(),
    ready_states=frozenset({"ACTIVE"}), sdk=FIREWALL_REF)

WAAS_POLICIES = ResourceKind(
    id="security.waas_policy", label=N_("WAAS policies"), singular=N_("WAAS policy"), group=GROUP, icon="security",
    list=lister(WAAS_REF), get=getter(WAAS_REF), ocid_types=("waaspolicy",), order=30,
    columns=[Column(N_("Name"), attr("display_name"), width=200), Column(N_("Domain"), attr("domain"), width=200),
             *COMMON],
    related=[Related(N_("Domains, origins and rules"), _waas_related)],
    actions=[Action("rules", N_("Edit access rules…"), no_run, frozenset({"ACTIVE"}), form=_read_first(
                        _full_waas, waas_rules_form), icon="edit", target_states=frozenset({"ACTIVE"}),
                    verb=N_("Updating rules")),
             Action("protection", N_("Protection settings…"), no_run, frozenset({"ACTIVE"}), form=_read_first(
                        _full_waas, waas_protection_form), icon="security", target_states=frozenset({"ACTIVE"}),
                    verb=N_("Updating protection settings")),
             delete_action(WAAS_REF, LIVE, frozenset({"DELETED"}))], create=WAAS_FORM,
    ready_states=frozenset({"ACTIVE"}), sdk=WAAS_REF)

WAAS_CERTIFICATES = ResourceKind(
    id="security.waas_certificate", label=N_("WAAS certificates"), singular=N_("WAAS certificate"), group=GROUP,
    icon="security", list=lister(CERT_REF), get=getter(CERT_REF), ocid_types=("waascertificate",), order=40,
    columns=[Column(N_("Name"), attr("display_name"), width=200),
             Column(N_("Expires"), attr("time_not_valid_after"), "datetime"), *COMMON],
    actions=[delete_action(CERT_REF, LIVE, frozenset({"DELETED"}))], create=CERT_FORM,
    ready_states=frozenset({"ACTIVE"}), sdk=CERT_REF)

KINDS = [WAF_POLICIES, WEB_APP_FIREWALLS, WAAS_POLICIES, WAAS_CERTIFICATES]
