"""Functions kinds ("Developer Services"): applications (subnets, shape, config) and their functions (an image
picked from the Container Registry, memory 128-3,072 MB, timeout, config, provisioned concurrency). A function's
page has Invoke… (a JSON payload checked as you type; the answer's body, status and duration on the result
page, and the last invocations under Related), Edit configuration… and a Metrics tab (oci_faas)."""

from __future__ import annotations

import datetime as dt
import json
import re

from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..services import artifacts as art_svc
from ..services import functions as svc
from . import validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command, to_json
from .generic import SdkRef, delete_action, getter
from .model import Action, ChartSpec, Column, MetricsSpec, Related, RelatedItem, ResourceKind, attr, no_run

M = sdk_models("functions")
ACTIVE = frozenset({"ACTIVE"})
GONE = frozenset({"DELETED"})
APP_REF = SdkRef("functions", "application", cli="fn application", id_flag="--application-id")
FN_REF = SdkRef("functions", "function", cli="fn function", id_flag="--function-id")
SHAPES = [Option("GENERIC_X86", N_("x86 (GENERIC_X86)")), Option("GENERIC_ARM", N_("Arm (GENERIC_ARM)")),
          Option("GENERIC_X86_ARM", N_("x86 and Arm (GENERIC_X86_ARM)"))]
MEMORY_MIN, MEMORY_MAX = 128, 3072
TIMEOUT_MIN, TIMEOUT_MAX = 5, 300
_ENV = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_config(text) -> tuple[dict[str, str], str | None]:
    """KEY=value lines as a config map, with OCI's rules (names of environment variables, 4 KB in all)."""
    if not isinstance(text, str) or not text.strip():
        return {}, None
    out: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        key, eq, value = line.partition("=")
        key = key.strip()
        if not eq:
            return {}, f"Line {n}: KEY=value"
        if not _ENV.fullmatch(key):
            return {}, f"Line {n}: '{key[:40]}' is not a variable name (letters, digits and _, not starting " \
                       "with a digit)"
        out[key] = value.strip()
    total = sum(len(k.encode()) + len(v.encode()) for k, v in out.items())
    if total > 4096:
        return {}, f"The config holds {total:,} bytes; at most 4,096 are allowed"
    return out, None


def _config_check(v, *_):
    return parse_config(v)[1]


def config_text(config) -> str:
    return "\n".join(f"{k}={v}" for k, v in sorted((config or {}).items()))


def _tags(v):
    return validators.parse_tags(v.get("freeform_tags"))[0] or None


# ---------------------------------------------------------------- applications

async def _subnets(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    subs = await ctx.session.list_all("network", "list_subnets", comp)
    return [Option(s.id, f"{s.display_name} ({s.cidr_block})", s) for s in subs if s.lifecycle_state == "AVAILABLE"]


def _app_request(v: dict, ctx: FormContext) -> Request:
    return Request("functions", "create_application", M.CreateApplicationDetails(
        compartment_id=v["compartment_id"], display_name=v["display_name"].strip(), subnet_ids=[v["subnet_id"]],
        shape=v.get("shape") or "GENERIC_X86", config=parse_config(v.get("config"))[0] or None,
        freeform_tags=_tags(v)), retry_token=False)  # CreateApplication takes no opc-retry-token


def _app_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("fn application create", [
        ("--compartment-id", d.compartment_id), ("--display-name", d.display_name),
        ("--subnet-ids", d.subnet_ids), ("--shape", d.shape), ("--config", d.config),
        ("--freeform-tags", d.freeform_tags), ("--wait-for-state", "ACTIVE")])


APPLICATION_FORM = FormSpec(
    title=N_("Create application"), kind_id="functions.application",
    fields=[
        Field("display_name", N_("Name"), "text", required=True, validate=lambda v, *_: validators.display_name(v,
                                                                                                                True),
              help=N_("Unique in the compartment")),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("subnet_id", N_("Subnet"), "choice", required=True, options=_subnets, depends_on=("compartment_id",),
              create_kind="network.subnet", help=N_("Where the functions run (a regional subnet is best)")),
        Field("shape", N_("Shape"), "choice", options=SHAPES, default="GENERIC_X86",
              help=N_("The architecture of the images its functions use")),
        Field("config", N_("Configuration"), "textarea", validate=_config_check, placeholder=N_("KEY=value"),
              help=N_("Environment variables of every function in the application, one KEY=value per line")),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_app_request, cli=_app_cli)


async def _app_functions(session, app) -> list[RelatedItem]:
    fns = await session.list_all("functions", "list_functions", app.id)
    out = [RelatedItem(f.display_name, f"{f.memory_in_mbs} MB, {f.timeout_in_seconds} s ({f.lifecycle_state})", f.id)
           for f in fns if f.lifecycle_state not in ("DELETED", "DELETING")]
    out.append(RelatedItem("Shape", app.shape or ""))
    for s in app.subnet_ids or []:
        out.append(RelatedItem("Subnet", s, s))
    for k, v in sorted((app.config or {}).items()):
        out.append(RelatedItem(f"Config {k}", v))
    return out


def config_form(res, application: bool = False) -> FormSpec:
    what = "application" if application else "function"

    def build(v: dict, ctx: FormContext) -> Request:
        config = parse_config(v.get("config"))[0]
        details = (M.UpdateApplicationDetails if application else M.UpdateFunctionDetails)(config=config)

        async def run(session, _token, _step):
            return await svc.update_config(session, res.id, config, application)
        return Request("functions", f"update_{what}", details, args=(res.id,), retry_token=False, run=run)

    def cli(v, ctx, req: Request) -> str:
        return cli_command(f"fn {what} update", [(f"--{what}-id", res.id),
                                                 ("--config", parse_config(v.get("config"))[0] or {}),
                                                 ("--force", True)]).replace(" --force true", " --force")

    return FormSpec(
        title=f"Configuration of {res.display_name}", kind_id=f"functions.{what}",
        fields=[Field("config", N_("Configuration"), "textarea", default=config_text(res.config),
                      validate=_config_check, placeholder=N_("KEY=value"),
                      help="One KEY=value per line: the environment the handler reads (ctx.Config())"
                           + ("; a function's own config overrides its application's" if not application else ""))],
        build=build, cli=cli, describe=lambda v: res.display_name, submit_label=N_("Save"),
        op_title=lambda v: f"Update the configuration of {what} {res.display_name}")


APPLICATIONS = ResourceKind(
    id="functions.application", label=N_("Applications"), singular=N_("Application"), group=N_("Developer Services"),
    icon="folder", order=30, list=svc.list_applications, get=getter(APP_REF), ocid_types=("fnapp",),
    columns=[
        Column(N_("Name"), attr("display_name"), width=200),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Shape"), attr("shape"), width=140),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Functions"), _app_functions)],
    actions=[
        Action("config", N_("Edit configuration…"), no_run, ACTIVE, form=lambda a: config_form(a, True), icon="edit",
               verb=N_("Updating the configuration of")),
        delete_action(APP_REF, ACTIVE, GONE),
    ],
    create=APPLICATION_FORM, ready_states=ACTIVE, sdk=APP_REF)


# ---------------------------------------------------------------- functions

async def _applications(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    apps = await ctx.session.list_all("functions", "list_applications", comp, lifecycle_state="ACTIVE")
    return [Option(a.id, f"{a.display_name} ({a.shape})", a) for a in apps]


async def _registry_images(ctx: FormContext, values) -> list[Option]:
    """Every tagged image of the registry's repositories in the compartment (and the tenancy's root)."""
    comp = values.get("compartment_id") or ctx.compartment_id
    host = art_svc.registry_host(ctx.session)
    out = []
    seen = set()
    for c in dict.fromkeys([comp, ctx.tenancy_id]):
        for repo in await art_svc.list_repositories(ctx.session, c):
            if repo.lifecycle_state != "AVAILABLE" or repo.id in seen:
                continue
            seen.add(repo.id)
            for img in await art_svc.list_images(ctx.session, repo):
                if img.version:
                    ref = f"{host}/{repo.namespace}/{repo.display_name}:{img.version}"
                    out.append(Option(ref, f"{repo.display_name}:{img.version}  ({img.digest[:19]}…)", img))
    return out


def _memory(v, *_):
    try:
        m = int(v)
    except (TypeError, ValueError):
        return "A whole number of MB"
    if not MEMORY_MIN <= m <= MEMORY_MAX:
        return f"Memory must be between {MEMORY_MIN} and {MEMORY_MAX:,} MB"
    return None


def _fn_request(v: dict, ctx: FormContext) -> Request:
    pcu = int(v.get("provisioned") or 0)
    return Request("functions", "create_function", M.CreateFunctionDetails(
        display_name=v["display_name"].strip(), application_id=v["application_id"],
        source_details=M.CreateContainerImageFunctionSourceDetails(image=v["image"]),
        memory_in_mbs=int(v["memory_in_mbs"]), timeout_in_seconds=int(v["timeout_in_seconds"]),
        config=parse_config(v.get("config"))[0] or None,
        provisioned_concurrency_config=M.ConstantProvisionedConcurrencyConfig(count=pcu) if pcu else None,
        freeform_tags=_tags(v)), retry_token=False)  # CreateFunction takes no opc-retry-token


def _fn_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("fn function create container-function", [
        ("--application-id", d.application_id), ("--display-name", d.display_name),
        ("--image", d.source_details.image), ("--memory-in-mbs", d.memory_in_mbs),
        ("--timeout-in-seconds", d.timeout_in_seconds), ("--config", d.config),
        ("--provisioned-concurrency", {"strategy": "CONSTANT", "count": d.provisioned_concurrency_config.count}
         if d.provisioned_concurrency_config else None),
        ("--freeform-tags", d.freeform_tags)])


FUNCTION_FORM = FormSpec(
    title=N_("Create function"), kind_id="functions.function",
    fields=[
        Field("display_name", N_("Name"), "text", required=True, validate=lambda v, *_: validators.display_name(v,
                                                                                                                True),
              help=N_("Unique in the application")),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("application_id", N_("Application"), "choice", required=True, options=_applications,
              depends_on=("compartment_id",), create_kind="functions.application"),
        Field("image", N_("Image"), "choice", required=True, options=_registry_images, depends_on=("compartment_id",),
              create_kind="artifacts.container_repository",
              help=N_("A tagged image of the Container Registry (pushed with docker, fn or oras)")),
        Field("memory_in_mbs", N_("Memory (MB)"), "number", required=True, default=256, validate=_memory,
              help=f"{MEMORY_MIN} to {MEMORY_MAX:,} MB: also the function's share of CPU"),
        Field("timeout_in_seconds", N_("Timeout (seconds)"), "number", required=True, default=30,
              bounds=lambda v, c: (TIMEOUT_MIN, TIMEOUT_MAX, 1)),
        Field("config", N_("Configuration"), "textarea", validate=_config_check, placeholder=N_("KEY=value"),
              help=N_("Environment variables of this function (over its application's), one KEY=value per line")),
        Field("provisioned", N_("Provisioned concurrency (units, 0 for none)"), "number", default=0,
              bounds=lambda v, c: (0, 1000, 1), help=N_("Instances kept warm: no cold start, billed while idle")),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_fn_request, cli=_fn_cli)


def _payload(v, *_):
    if v is None or not str(v).strip():
        return None
    try:
        json.loads(v)
    except ValueError as e:
        return f"Not JSON: {e}"
    return None


def invoke_form(fn) -> FormSpec:
    def build(v: dict, ctx: FormContext) -> Request:
        payload = (v.get("payload") or "").strip()

        async def run(session, _token, step):
            step("Invoking")
            return await svc.invoke(session, fn, payload)
        return Request("functions_invoke", "invoke_function", args=(fn.id,),
                       kwargs={"invoke_function_body": payload}, retry_token=False, run=run)

    def cli(v, ctx, req: Request) -> str:
        body = (v.get("payload") or "").strip()
        return cli_command("fn function invoke", [("--function-id", fn.id), ("--file", "-"),
                                                  ("--body", to_json(json.loads(body)) if body else '""')])

    def shown(inv: svc.Invocation) -> list[tuple[str, str]]:
        status = f"{inv.status}" + (f" {inv.code}" if inv.code else " OK" if inv.ok else "")
        try:
            body = json.dumps(json.loads(inv.body))
        except ValueError:
            body = inv.body
        return [("Status", status), ("Response", body), ("Duration", f"{inv.duration_ms:,.0f} ms")]

    return FormSpec(
        title=f"Invoke {fn.display_name}", kind_id="functions.invocation",
        fields=[Field("payload", N_("Payload (JSON)"), "textarea", default='{"name": "World"}', validate=_payload,
                      help=N_("The body the handler reads (data); empty for none"))],
        build=build, cli=cli, describe=lambda v: fn.display_name, submit_label=N_("Invoke"),
        op_title=lambda v: f"Invoke function {fn.display_name}", reveal=shown)


async def _fn_related(session, fn) -> list[RelatedItem]:
    out = []
    try:
        app = await session.data("functions", "get_application", fn.application_id)
        out.append(RelatedItem("Application", app.display_name, app.id))
    except Exception:
        out.append(RelatedItem("Application", fn.application_id, fn.application_id))
    sd = fn.source_details
    if sd is not None and getattr(sd, "image", None):
        out.append(RelatedItem("Image", sd.image))
        out.append(RelatedItem("Digest", sd.image_digest or ""))
    out.append(RelatedItem("Memory", f"{fn.memory_in_mbs} MB"))
    out.append(RelatedItem("Timeout", f"{fn.timeout_in_seconds} s"))
    pc = fn.provisioned_concurrency_config
    if pc is not None and getattr(pc, "count", None):
        out.append(RelatedItem("Provisioned concurrency", f"{pc.count} units"))
    out.append(RelatedItem("Invoke endpoint", fn.invoke_endpoint or ""))
    for k, v in sorted((fn.config or {}).items()):
        out.append(RelatedItem(f"Config {k}", v))
    return out


async def _fn_history(_session, fn) -> list[RelatedItem]:
    items = svc.history(fn.id)
    if not items:
        return [RelatedItem("Invocations", "none from this console yet (Invoke…)")]
    out = []
    for inv in items:
        when = dt.datetime.fromtimestamp(inv.at).strftime("%H:%M:%S")
        out.append(RelatedItem(f"{when} {inv.status}", f"{inv.duration_ms:,.0f} ms  {inv.payload[:40]} → "
                                                       f"{inv.body[:80]}"))
    return out


def _fn_memory(f) -> str:
    return f"{f.memory_in_mbs} MB" if f.memory_in_mbs else ""


FUNCTIONS = ResourceKind(
    id="functions.function", label=N_("Functions"), singular=N_("Function"), group=N_("Developer Services"),
    icon="function", order=31, list=svc.list_functions, get=getter(FN_REF), ocid_types=("fnfunc",),
    columns=[
        Column(N_("Name"), attr("display_name"), width=200),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Memory"), _fn_memory, width=90),
        Column(N_("Timeout"), lambda f: f"{f.timeout_in_seconds} s", width=80),
        Column(N_("Image"), lambda f: getattr(f.source_details, "image", "") or "", width=260),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Function"), _fn_related), Related(N_("Last invocations"), _fn_history)],
    actions=[
        Action("invoke", N_("Invoke…"), no_run, ACTIVE, form=invoke_form, icon="start", verb=N_("Invoking")),
        Action("config", N_("Edit configuration…"), no_run, ACTIVE, form=config_form, icon="edit",
               verb=N_("Updating the configuration of")),
        delete_action(FN_REF, ACTIVE, GONE),
    ],
    create=FUNCTION_FORM, ready_states=ACTIVE, sdk=FN_REF, movable=False,
    metrics=MetricsSpec("oci_faas", [
        ChartSpec("Invocations", ["FunctionInvocationCount"], "count", "sum"),
        ChartSpec("Execution duration", ["FunctionExecutionDuration"], "ms", "mean"),
        ChartSpec("Responses", ["FunctionResponseCount"], "count", "sum"),
    ]))


async def _no_list(*_a, **_k) -> list:
    return []


INVOCATIONS = ResourceKind(
    id="functions.invocation", label=N_("Invocations"), singular=N_("Invocation"), group=N_("Developer Services"),
    icon="start", scope="hidden", list=_no_list, get=None, columns=[Column(N_("Status"), attr("status"))],
    movable=False)

KINDS: list[ResourceKind] = [APPLICATIONS, FUNCTIONS, INVOCATIONS]
