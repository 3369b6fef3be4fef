"""Integration kinds: Oracle Integration instances (tree group "Application Integration").

An instance lists with its edition, license and message packs; Start, Stop, Change message packs… (a form:
edition, license and packs within OCI's bounds for the instance's generation, with the cost) and Delete, and
Move to compartment (generic). Its URLs are related items (right-click copies them). The create dialog shows
the cost at list price per message pack hour as the person picks the edition, license and packs.

OCI answers a create, update, start and stop with a work request and no instance: the activity entry ends
when the service accepts the request, and the list shows the instance's state as it refreshes.
"""

from __future__ import annotations

import re

from ..core.sdk import models as sdk_models
from ..i18n import N_
from . import validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .generic import SdkRef, delete_action, getter, lister
from .model import Action, Column, Related, RelatedItem, ResourceKind, attr, no_run
from .pricing import Cost, price

M = sdk_models("integration")
REF = SdkRef("integration", "integration_instance", cli="integration integration-instance", id_flag="--id")
NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,49}")
GEN2 = ("STANDARD", "ENTERPRISE")
TYPES = {"STANDARDX": "Standard (Oracle Integration 3)", "ENTERPRISEX": "Enterprise (Oracle Integration 3)",
         "HEALTHCARE": "Healthcare (Oracle Integration 3)", "STANDARD": "Standard (Generation 2)",
         "ENTERPRISE": "Enterprise (Generation 2)"}
# edition -> (price part with a new license, with BYOL); Healthcare has no list price recorded here
PARTS = {"STANDARD": ("B89639", "B89643"), "STANDARDX": ("B89639", "B89643"),
         "ENTERPRISE": ("B89640", "B89644"), "ENTERPRISEX": ("B89640", "B89644")}


def pack_bounds(itype: str | None, byol: bool) -> tuple[int, int]:
    """OCI's bounds: Generation 2 takes 1-12 packs (1-3 with BYOL); Oracle Integration 3 takes 1-100."""
    if itype in GEN2:
        return (1, 3) if byol else (1, 12)
    return (1, 100)


def cost(itype: str | None, byol, packs) -> Cost | None:
    if itype not in PARTS or not packs:
        return None
    n = int(packs)
    key = PARTS[itype][1 if byol else 0]
    p = price(key)
    per_pack = "20,000" if byol else "5,000"
    return Cost(n * p.usd, "hour", [f"{n} message pack{'s' if n > 1 else ''} × ${p.usd:.4f} per pack hour: "
                                    f"{p.part} ({key}; {per_pack} messages per hour each)"],
                note="pay-as-you-go list price, before taxes")


def _packs_check(v, values: dict, _ctx) -> str | None:
    itype, byol = values.get("integration_instance_type"), bool(values.get("is_byol"))
    if itype == "HEALTHCARE" and byol:
        return None  # the license field says why
    lo, hi = pack_bounds(itype, byol)
    if v is None or not lo <= v <= hi:
        return f"{lo}-{hi} message packs for this edition and license"
    return None


def _byol_check(v, values: dict, _ctx) -> str | None:
    if v and values.get("integration_instance_type") == "HEALTHCARE":
        return "The Healthcare edition has no bring-your-own-license option"
    return None


def _type_options() -> list[Option]:
    return [Option(k, label) for k, label in TYPES.items()]


def _license_options() -> list[Option]:
    return [Option(False, N_("New license (5,000 messages per pack hour)")),
            Option(True, N_("Existing Fusion Middleware license, BYOL (20,000 messages per pack hour)"))]


# ---------------------------------------------------------------- create

def _build(v: dict, ctx: FormContext) -> Request:
    ips, _err = validators.parse_ips(v.get("allowed_ips"))
    ned = M.PublicEndpointDetails(allowlisted_http_ips=ips) if ips else None
    details = M.CreateIntegrationInstanceDetails(
        display_name=v["display_name"].strip(), compartment_id=v["compartment_id"],
        integration_instance_type=v["integration_instance_type"], is_byol=bool(v["is_byol"]),
        message_packs=int(v["message_packs"]), idcs_at=v["idcs_at"],
        is_file_server_enabled=bool(v.get("is_file_server_enabled")),
        is_visual_builder_enabled=bool(v.get("is_visual_builder_enabled")),
        shape=None if v["integration_instance_type"] in GEN2 else (v.get("shape") or "PRODUCTION"),
        network_endpoint_details=ned)
    return Request("integration", "create_integration_instance", details, secret_env={"idcs_at": "IDCS_TOKEN"})


def _cli(v: dict, ctx: FormContext, req: Request) -> str:
    d = req.details
    return cli_command(f"{REF.cli} create", [
        ("--compartment-id", d.compartment_id), ("--display-name", d.display_name),
        ("--type", d.integration_instance_type), ("--is-byol", d.is_byol), ("--message-packs", d.message_packs),
        ("--idcs-at", "$IDCS_TOKEN"), ("--shape", d.shape),
        ("--is-file-server-enabled", d.is_file_server_enabled or None),
        ("--is-visual-builder-enabled", d.is_visual_builder_enabled or None),
        ("--network-endpoint-details", d.network_endpoint_details), ("--wait-for-state", "SUCCEEDED")]
    ).replace("'$IDCS_TOKEN'", '"$IDCS_TOKEN"')  # the token from the environment, not in the command


CREATE_FORM = FormSpec(
    title=N_("Create Integration instance"), kind_id="integration.instance",
    fields=[
        Field("display_name", N_("Name"), "text", required=True, placeholder=N_("orders-hub"),
              validate=lambda v, *_: None if isinstance(v, str) and NAME_RE.fullmatch(v.strip()) else
              "Start with a letter; letters, digits and hyphens, at most 50 (part of the URL; no renaming later)"),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("integration_instance_type", N_("Edition"), "enum", required=True, default="ENTERPRISEX",
              options=_type_options(),
              help=N_("Enterprise adds B2B, process automation and more adapters; Healthcare adds HL7 and FHIR")),
        Field("shape", N_("Shape"), "enum", default="PRODUCTION", depends_on=("integration_instance_type",),
              options=[Option("PRODUCTION", N_("Production")), Option("DEVELOPMENT",
                                                                      N_("Development (non-production)"))],
              visible=lambda v, _c: v.get("integration_instance_type") not in GEN2),
        Field("is_byol", N_("License"), "enum", required=True, default=False, options=_license_options(),
              depends_on=("integration_instance_type",), validate=_byol_check),
        Field("message_packs", N_("Message packs"), "number", required=True, default=1,
              depends_on=("integration_instance_type", "is_byol"), validate=_packs_check,
              bounds=lambda v, _c: (*pack_bounds(v.get("integration_instance_type"), bool(v.get("is_byol"))), 1),
              help=N_("Each pack is 5,000 messages an hour (20,000 with BYOL); development instances need one")),
        Field("idcs_at", N_("IDCS access token"), "password", required=True,
              help=N_("An access token of the identity domain whose users sign in to the instance")),
        Field("is_file_server_enabled", N_("File server"), "bool", default=False,
              help=N_("An SFTP server in the instance")),
        Field("is_visual_builder_enabled", N_("Visual Builder"), "bool", default=False),
        Field("allowed_ips", N_("Allowed IPs"), "text", placeholder=N_("any; or 203.0.113.0/24, …"),
              validate=lambda v, *_: validators.parse_ips(v)[1],
              help=N_("IP addresses or CIDR blocks allowed to reach the instance (empty: anyone)")),
    ],
    build=_build, cli=_cli, describe=lambda v: (v.get("display_name") or "").strip(),
    cost=lambda v, _c: cost(v.get("integration_instance_type"), v.get("is_byol"), v.get("message_packs")))


# ---------------------------------------------------------------- actions

def _call(method: str):
    async def run(session, inst, _options):
        await session.call("integration", method, inst.id)
    return run


def packs_form(inst) -> FormSpec:
    gen2 = inst.integration_instance_type in GEN2
    same_gen = [Option(k, label) for k, label in TYPES.items() if (k in GEN2) == gen2
                and (inst.integration_instance_type != "HEALTHCARE" or k == "HEALTHCARE")]

    def changed(v, values, _c):
        if (values.get("integration_instance_type"), bool(values.get("is_byol")), values.get("message_packs")) == \
                (inst.integration_instance_type, bool(inst.is_byol), inst.message_packs):
            return "Nothing changes"
        return _packs_check(v, values, _c)

    def build(v: dict, ctx: FormContext) -> Request:
        return Request("integration", "update_integration_instance", M.UpdateIntegrationInstanceDetails(
            integration_instance_type=v["integration_instance_type"], is_byol=bool(v["is_byol"]),
            message_packs=int(v["message_packs"])), args=(inst.id,), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command(f"{REF.cli} update", [
            ("--id", inst.id), ("--type", d.integration_instance_type), ("--is-byol", d.is_byol),
            ("--message-packs", d.message_packs)]) + " \\\n    --force --wait-for-state SUCCEEDED"

    return FormSpec(
        title=f"Change {inst.display_name}", kind_id="integration.instance", fields=[
            Field("integration_instance_type", N_("Edition"), "enum", required=True,
                  default=inst.integration_instance_type, options=same_gen),
            Field("is_byol", N_("License"), "enum", required=True, default=bool(inst.is_byol),
                  options=_license_options(), depends_on=("integration_instance_type",), validate=_byol_check),
            Field("message_packs", N_("Message packs"), "number", required=True, default=inst.message_packs,
                  depends_on=("integration_instance_type", "is_byol"), validate=changed,
                  bounds=lambda v, _c: (*pack_bounds(v.get("integration_instance_type"), bool(v.get("is_byol"))), 1),
                  help=f"Now {inst.message_packs}; no downtime (new capacity can take a while to arrive)"),
        ],
        build=build, cli=cli, describe=lambda _v: inst.display_name, submit_label=N_("Update"),
        op_title=lambda v: f"Update {inst.display_name} to {v.get('message_packs')} message packs",
        cost=lambda v, _c: cost(v.get("integration_instance_type"), v.get("is_byol"), v.get("message_packs")))


ACTIONS = [
    Action("start", N_("Start"), _call("start_integration_instance"), frozenset({"INACTIVE"}),
           target_states=frozenset({"ACTIVE"}), icon="start", verb=N_("Starting")),
    Action("stop", N_("Stop"), _call("stop_integration_instance"), frozenset({"ACTIVE"}),
           target_states=frozenset({"INACTIVE"}), icon="stop", verb=N_("Stopping"), confirm="simple"),
    Action("packs", N_("Change message packs…"), no_run, frozenset({"ACTIVE"}), form=packs_form,
           target_states=frozenset({"ACTIVE"}), icon="resize", verb=N_("Updating")),
    delete_action(REF, frozenset({"ACTIVE", "INACTIVE", "FAILED"})),
]


async def _access(session, inst) -> list[RelatedItem]:
    out = [RelatedItem("Instance URL", inst.instance_url or "(not yet assigned)")]
    if inst.instance_design_time_url:
        out.append(RelatedItem("Design-time URL", inst.instance_design_time_url))
    ned = inst.network_endpoint_details
    if ned is not None:
        out.append(RelatedItem("Allowed IPs", ", ".join(getattr(ned, "allowlisted_http_ips", None) or []) or "any"))
        for v in getattr(ned, "allowlisted_http_vcns", None) or []:
            out.append(RelatedItem("Allowed VCN", f"{v.id} ({', '.join(v.allowlisted_ips or []) or 'all'})", v.id))
    else:
        out.append(RelatedItem("Allowed IPs", "any"))
    c = cost(inst.integration_instance_type, inst.is_byol, inst.message_packs)
    if c is not None:
        out.append(RelatedItem("Cost at list price", c.text()))
    return out


INSTANCES = ResourceKind(
    id="integration.instance", label=N_("Integration instances"), singular=N_("Integration instance"),
    group=N_("Application Integration"), icon="link", list=lister(REF), get=getter(REF),
    ocid_types=("integrationinstance",), order=20,
    columns=[
        Column(N_("Name"), attr("display_name"), width=180),
        Column(N_("State"), attr("lifecycle_state"), "state", width=90),
        Column(N_("Edition"), lambda i: TYPES.get(i.integration_instance_type, i.integration_instance_type), width=200),
        Column(N_("License"), lambda i: "BYOL" if i.is_byol else "Included", width=80),
        Column(N_("Message packs"), attr("message_packs"), "number", width=100),
        Column(N_("URL"), attr("instance_url"), width=320),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Access"), _access)],
    actions=ACTIONS, create=CREATE_FORM, ready_states=frozenset({"ACTIVE"}), sdk=REF,
)

KINDS = [INSTANCES]
