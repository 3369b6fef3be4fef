"""Analytics Cloud kinds: Oracle Analytics Cloud instances (tree group "Analytics & AI").

An instance lists with its edition, capacity and license; Start, Stop, Scale… (a form: OCPUs or users within
what the instance can scale to), Change license… (a form) and Delete, and Move to compartment (generic). Its
service URL is a related item (right-click copies it). The create dialog shows the cost at list price as the
person picks the edition, capacity and license (catalog.pricing: per OCPU hour, or per user per month).
"""

from __future__ import annotations

import re

from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..services import network as netsvc
from . import validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .generic import SdkRef, delete_action, getter, lister
from .model import Action, Column, Related, RelatedItem, ResourceKind, attr, no_run
from .pricing import Cost, price

M = sdk_models("analytics")
REF = SdkRef("analytics", "analytics_instance", cli="analytics analytics-instance",
             move_model="ChangeCompartmentDetails")
NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9]{0,24}")
OCPU_VALUES = (1, 2, 4, 6, 8, 10, 12, 16, 24, 36, 52)
SCALABLE = (1, 16)
USERS = (10, 3000)
EDITIONS = {"ENTERPRISE_ANALYTICS": "Enterprise", "SELF_SERVICE_ANALYTICS": "Professional"}
LICENSES = {"LICENSE_INCLUDED": "License included", "BRING_YOUR_OWN_LICENSE": "Bring your own license (BYOL)"}
# (feature set, BYOL) -> price part per OCPU hour; feature set -> price part per user per month
# Oracle's part numbers (catalog/pricing.py names the source): edition, BYOL -> part
OCPU_PART = {("ENTERPRISE_ANALYTICS", False): "B89631", ("SELF_SERVICE_ANALYTICS", False): "B89630",
             ("ENTERPRISE_ANALYTICS", True): "B89637", ("SELF_SERVICE_ANALYTICS", True): "B89636"}
USER_PART = {"ENTERPRISE_ANALYTICS": "B92683", "SELF_SERVICE_ANALYTICS": "B92682"}


def capacity_text(cap) -> str:
    if cap is None:
        return ""
    n = cap.capacity_value
    return f"{n} OCPU{'s' if n != 1 else ''}" if cap.capacity_type == "OLPU_COUNT" else f"{n:,} users"


# ---------------------------------------------------------------- cost

def cost(feature_set: str | None, license_type: str | None, capacity_type: str | None, value) -> Cost | None:
    """What an instance costs at list price (None while the values say too little)."""
    if feature_set not in EDITIONS or not value:
        return None
    n = int(value)
    byol = license_type == "BRING_YOUR_OWN_LICENSE"
    if capacity_type == "OLPU_COUNT":
        key = OCPU_PART[(feature_set, byol)]
        p = price(key)
        return Cost(n * p.usd, "hour", [f"{n} OCPU{'s' if n != 1 else ''} × ${p.usd:.4f} per OCPU hour: "
                                        f"{p.part} ({key})"],
                    note="pay-as-you-go list price, before taxes")
    if capacity_type == "USER_COUNT":
        key = USER_PART[feature_set]
        p = price(key)
        return Cost(n * p.usd, "month", [f"{n:,} users × ${p.usd:,.2f} per user per month: {p.part} ({key})"],
                    note="BYOL applies to OCPU capacity only" if byol else "")
    return None


def _form_cost(v: dict, ctx: FormContext) -> Cost | None:
    value = v.get("ocpus") if v.get("capacity_type") == "OLPU_COUNT" else v.get("users")
    return cost(v.get("feature_set"), v.get("license_type"), v.get("capacity_type"), value)


# ---------------------------------------------------------------- create

def check_name(v, *_a) -> str | None:
    if not isinstance(v, str) or not NAME_RE.fullmatch(v.strip()):
        return "Start with a letter; letters and digits only, at most 25 (the name is part of the URL)"
    return None


async def _vcns(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    return [Option(v.id, f"{v.display_name} ({v.cidr_block})", v) for v in await netsvc.list_vcns(ctx.session, comp)
            if v.lifecycle_state == "AVAILABLE"]


async def _subnets(ctx: FormContext, values) -> list[Option]:
    if not values.get("vcn_id"):
        return []
    comp = values.get("compartment_id") or ctx.compartment_id
    return [Option(s.id, f"{s.display_name} ({s.cidr_block})", s)
            for s in await netsvc.list_subnets(ctx.session, comp, values["vcn_id"]) if s.lifecycle_state == "AVAILABLE"]


def _private(v, _ctx=None) -> bool:
    return v.get("endpoint") == "PRIVATE"


def network_details(v: dict):
    if _private(v):
        return M.PrivateEndpointDetails(vcn_id=v["vcn_id"], subnet_id=v["subnet_id"])
    ips, _err = validators.parse_ips(v.get("allowed_ips"))
    return M.PublicEndpointDetails(whitelisted_ips=ips or None)


def _build(v: dict, ctx: FormContext) -> Request:
    value = v["ocpus"] if v["capacity_type"] == "OLPU_COUNT" else int(v["users"])
    details = M.CreateAnalyticsInstanceDetails(
        name=v["name"].strip(), compartment_id=v["compartment_id"], description=(v.get("description") or None),
        feature_set=v["feature_set"], license_type=v["license_type"],
        capacity=M.Capacity(capacity_type=v["capacity_type"], capacity_value=int(value)),
        idcs_access_token=v["idcs_access_token"], email_notification=v.get("email_notification") or None,
        network_endpoint_details=network_details(v))
    return Request("analytics", "create_analytics_instance", details,
                   secret_env={"idcs_access_token": "IDCS_TOKEN"})


def _cli(v: dict, ctx: FormContext, req: Request) -> str:
    d = req.details
    return cli_command(f"{REF.cli} create", [
        ("--compartment-id", d.compartment_id), ("--name", d.name), ("--description", d.description),
        ("--feature-set", d.feature_set), ("--license-type", d.license_type),
        ("--capacity-type", d.capacity.capacity_type), ("--capacity-value", d.capacity.capacity_value),
        ("--idcs-access-token-file", "idcs-token.txt"), ("--email-notification", d.email_notification),
        ("--network-endpoint-details", d.network_endpoint_details), ("--wait-for-state", "SUCCEEDED")])


CREATE_FORM = FormSpec(
    title=N_("Create Analytics instance"), kind_id="analytics.instance",
    fields=[
        Field("name", N_("Name"), "text", required=True, placeholder=N_("salesdashboards"), validate=check_name,
              help=N_("Letters and digits, starting with a letter; it becomes part of the instance's URL")),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("description", N_("Description"), "text"),
        Field("feature_set", N_("Edition"), "enum", required=True, default="ENTERPRISE_ANALYTICS",
              options=[Option(k, f"{label} ({k})") for k, label in EDITIONS.items()],
              help=N_("Professional: self-service visualization; Enterprise adds the semantic model and reports")),
        Field("capacity_type", N_("Capacity by"), "enum", required=True, default="OLPU_COUNT",
              options=[Option("OLPU_COUNT", N_("OCPUs (billed per OCPU hour)")),
                       Option("USER_COUNT", N_("Users (billed per user per month)"))]),
        Field("ocpus", N_("OCPUs"), "enum", required=True, default=2, depends_on=("capacity_type",),
              options=[Option(n, f"{n} OCPU{'s' if n > 1 else ''}" + (" (non-production)" if n == 1 else "")
                              + (" (cannot be scaled)" if n > SCALABLE[1] else "")) for n in OCPU_VALUES],
              visible=lambda v, _c: v.get("capacity_type") == "OLPU_COUNT"),
        Field("users", N_("Users"), "number", required=True, default=10, depends_on=("capacity_type",),
              bounds=lambda *_: (USERS[0], USERS[1], 1), visible=lambda v, _c: v.get("capacity_type") == "USER_COUNT"),
        Field("license_type", N_("License"), "enum", required=True, default="LICENSE_INCLUDED",
              options=[Option(k, label) for k, label in LICENSES.items()]),
        Field("idcs_access_token", N_("IDCS access token"), "password", required=True,
              help=N_("An access token of the identity domain whose users sign in (Identity > Domains > your domain: "
                   "copy the token of your session)")),
        Field("email_notification", N_("Notification e-mail"), "text", placeholder=N_("optional"),
              validate=lambda v, *_: None if not v or re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v)
              else "Not an e-mail address"),
        Field("endpoint", N_("Network access"), "enum", required=True, default="PUBLIC",
              options=[Option("PUBLIC", N_("Public endpoint")), Option("PRIVATE", N_("Private endpoint in a VCN"))]),
        Field("allowed_ips", N_("Allowed IPs"), "text", depends_on=("endpoint",),
              placeholder=N_("any; or 203.0.113.0/24, …"),
              visible=lambda v, _c: not _private(v), validate=lambda v, *_: validators.parse_ips(v)[1],
              help=N_("IP addresses or CIDR blocks allowed to reach the public endpoint (empty: anyone)")),
        Field("vcn_id", N_("VCN"), "choice", required=True, options=_vcns, depends_on=("compartment_id", "endpoint"),
              visible=_private, create_kind="network.vcn"),
        Field("subnet_id", N_("Subnet"), "choice", required=True, options=_subnets, depends_on=("vcn_id",),
              visible=_private, help=N_("The private endpoint takes an address in this subnet")),
    ],
    build=_build, cli=_cli, describe=lambda v: (v.get("name") or "").strip(), cost=_form_cost)


# ---------------------------------------------------------------- actions

def _call(method: str):
    async def run(session, inst, _options):
        await session.call("analytics", method, inst.id)
    return run


def scale_form(inst) -> FormSpec:
    cap = inst.capacity
    by_ocpu = cap.capacity_type == "OLPU_COUNT"
    current = cap.capacity_value

    def check(v, *_a):
        if v == current:
            return f"The instance already has {capacity_text(cap)}"
        return None

    def build(v: dict, ctx: FormContext) -> Request:
        return Request("analytics", "scale_analytics_instance", M.ScaleAnalyticsInstanceDetails(
            capacity=M.Capacity(capacity_type=cap.capacity_type, capacity_value=int(v["value"]))), args=(inst.id,))

    def cli(v, ctx, req: Request) -> str:
        return cli_command(f"{REF.cli} scale", [("--analytics-instance-id", inst.id),
                                                ("--capacity", req.details.capacity),
                                                ("--wait-for-state", "SUCCEEDED")])

    if by_ocpu:
        field = Field("value", N_("OCPUs"), "enum", required=True, default=current, validate=check,
                      options=[Option(n, f"{n} OCPU{'s' if n > 1 else ''}") for n in OCPU_VALUES
                               if SCALABLE[0] <= n <= SCALABLE[1]],
                      help=f"Now {capacity_text(cap)}. An instance scales between {SCALABLE[0]} and {SCALABLE[1]} "
                           "OCPUs without downtime (performance may dip for up to an hour)")
    else:
        field = Field("value", N_("Users"), "number", required=True, default=current, validate=check,
                      bounds=lambda *_: (USERS[0], USERS[1], 1), help=f"Now {capacity_text(cap)}")
    return FormSpec(
        title=f"Scale {inst.name}", kind_id="analytics.instance", fields=[field], build=build, cli=cli,
        describe=lambda _v: inst.name, submit_label=N_("Scale"),
        op_title=lambda v: f"Scale {inst.name} to {v.get('value')}",
        cost=lambda v, _c: cost(inst.feature_set, inst.license_type, cap.capacity_type, v.get("value")))


def license_form(inst) -> FormSpec:
    def build(v: dict, ctx: FormContext) -> Request:
        return Request("analytics", "update_analytics_instance", M.UpdateAnalyticsInstanceDetails(
            license_type=v["license_type"]), args=(inst.id,), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        return cli_command(f"{REF.cli} update", [("--analytics-instance-id", inst.id),
                                                 ("--license-type", req.details.license_type)])

    return FormSpec(
        title=f"Change the license of {inst.name}", kind_id="analytics.instance",
        fields=[Field("license_type", N_("License"), "enum", required=True, default=inst.license_type,
                      options=[Option(k, label) for k, label in LICENSES.items()],
                      validate=lambda v, *_: "This is the instance's license now" if v == inst.license_type else None,
                      help=N_("BYOL: you bring Oracle Analytics Server or BI licenses you own;"
                              " billing changes at once"))],
        build=build, cli=cli, describe=lambda _v: inst.name, submit_label=N_("Change license"),
        op_title=lambda v: f"Change the license of {inst.name} to {LICENSES.get(v.get('license_type') or '', '')}",
        cost=lambda v, _c: cost(inst.feature_set, v.get("license_type"), inst.capacity.capacity_type,
                                inst.capacity.capacity_value))


ACTIONS = [
    Action("start", N_("Start"), _call("start_analytics_instance"), frozenset({"INACTIVE"}),
           target_states=frozenset({"ACTIVE"}), icon="start", verb=N_("Starting")),
    Action("stop", N_("Stop"), _call("stop_analytics_instance"), frozenset({"ACTIVE"}),
           target_states=frozenset({"INACTIVE"}), icon="stop", verb=N_("Stopping"), confirm="simple"),
    Action("scale", N_("Scale…"), no_run, frozenset({"ACTIVE"}), form=scale_form, target_states=frozenset({"ACTIVE"}),
           icon="resize", verb=N_("Scaling"),
           when=lambda i: i.capacity is None or i.capacity.capacity_type != "OLPU_COUNT"
           or i.capacity.capacity_value <= SCALABLE[1]),
    Action("license", N_("Change license…"), no_run, frozenset({"ACTIVE", "INACTIVE"}), form=license_form,
           target_states=frozenset({"ACTIVE", "INACTIVE"}), icon="edit", verb=N_("Changing license")),
    delete_action(REF, frozenset({"ACTIVE", "INACTIVE", "FAILED"})),
]


# ---------------------------------------------------------------- related

async def _access(session, inst) -> list[RelatedItem]:
    out = [RelatedItem("Service URL", inst.service_url or "(not yet assigned)")]
    ned = inst.network_endpoint_details
    if ned is not None and ned.network_endpoint_type == "PRIVATE":
        out.append(RelatedItem("Private endpoint: subnet", ned.subnet_id, ned.subnet_id))
        out.append(RelatedItem("VCN", ned.vcn_id, ned.vcn_id))
    elif ned is not None:
        ips = getattr(ned, "whitelisted_ips", None) or []
        out.append(RelatedItem("Public endpoint: allowed IPs", ", ".join(ips) or "any"))
        for v in getattr(ned, "whitelisted_vcns", None) or []:
            out.append(RelatedItem("Allowed VCN", f"{v.id} ({', '.join(v.whitelisted_ips or []) or 'all'})", v.id))
    c = cost(inst.feature_set, inst.license_type, inst.capacity.capacity_type if inst.capacity else None,
             inst.capacity.capacity_value if inst.capacity else None)
    if c is not None:
        out.append(RelatedItem("Cost at list price", c.text()))
    return out


INSTANCES = ResourceKind(
    id="analytics.instance", label=N_("Analytics instances"), singular=N_("Analytics instance"),
                         group=N_("Analytics & AI"),
    icon="metric", list=lister(REF), get=getter(REF), ocid_types=("analyticsinstance",), name_attr="name", order=20,
    columns=[
        Column(N_("Name"), attr("name"), width=180),
        Column(N_("State"), attr("lifecycle_state"), "state", width=90),
        Column(N_("Edition"), lambda i: EDITIONS.get(i.feature_set, i.feature_set), width=100),
        Column(N_("Capacity"), lambda i: capacity_text(i.capacity), width=90),
        Column(N_("License"), lambda i: "BYOL" if i.license_type == "BRING_YOUR_OWN_LICENSE" else "Included", width=80),
        Column(N_("URL"), attr("service_url"), width=320),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Access"), _access)],
    actions=ACTIONS, create=CREATE_FORM, ready_states=frozenset({"ACTIVE"}), sdk=REF,
)

KINDS = [INSTANCES]
