"""Logging kinds (tree group "Observability"): log groups and their logs.

Opening a log group or a log (double-click) shows it in the Log Explorer. A log group lists its logs (Related),
takes a custom log (Actions > Create custom log…) and is deleted when
empty. A log is CUSTOM (entries from PutLogs or an agent) or SERVICE (a bucket's read or write access log,
a subnet's flow log): it can be disabled and enabled, its retention changed (30 to 180 days in steps of 30,
checked inline) and deleted. "Enable log…" on a bucket and "Enable flow log…" on a subnet create the service
log in a log group of the resource's compartment. Every create and change answers with a work request that
the activity panel follows.

A resource kind with service logs (LOG_SOURCES) gets a Logs tab in the console's detail pane: its enabled logs
in the Log Explorer (gui/log_explorer.py); queries are checked here before they are sent (`check_query`,
the grammar of ociconsole.lang.logging_query, errors at their column).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..services import logging as logsvc
from ..services.logging import check_query  # noqa: F401 - the console checks queries from here
from . import network as netcat
from . import object_storage as oscat
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .generic import SdkRef, delete_action, getter, lister
from .model import Action, Column, Related, RelatedItem, ResourceKind, attr, no_run

M = sdk_models("logging")
GROUP_REF = SdkRef("logging", "log_group", cli="logging log-group")
RETENTION = tuple(range(30, 181, 30))
WR_DONE = frozenset({"ACTIVE"})


def check_retention(v, *_a) -> str | None:
    try:
        n = int(v)
    except (TypeError, ValueError):
        return "Retention is a number of days"
    if n != v and str(n) != str(v).strip():
        return "Retention is a whole number of days"
    if n not in RETENTION:
        return "Retention must be 30 to 180 days in steps of 30 (30, 60, 90, 120, 150 or 180)"
    return None


def check_log_name(v, *_a) -> str | None:
    import re
    if not isinstance(v, str) or not re.fullmatch(r"[A-Za-z0-9_.\-]{1,255}", v.strip()):
        return "Letters, digits, '-', '.' and '_' only (no spaces)"
    return None


def retention_field(default: int = 30) -> Field:
    return Field("retention", N_("Retention (days)"), "number", required=True, default=default,
                 validate=check_retention,
                 bounds=lambda *_: (30, 180, 30),
                 help=N_("How long the entries are kept: 30 to 180 days, in steps of 30"))


def source_text(log) -> str:
    src = getattr(getattr(log, "configuration", None), "source", None)
    if src is None:
        return ""
    return f"{src.service}: {src.resource} ({src.category})"


# ---------------------------------------------------------------- log groups

def _group_build(v: dict, ctx: FormContext) -> Request:
    return Request("logging", "create_log_group", M.CreateLogGroupDetails(
        compartment_id=v["compartment_id"], display_name=v["display_name"].strip(),
        description=v.get("description") or None))


def _group_cli(v: dict, ctx: FormContext, req: Request) -> str:
    d = req.details
    return cli_command("logging log-group create", [("--compartment-id", d.compartment_id),
                                                    ("--display-name", d.display_name),
                                                    ("--description", d.description),
                                                    ("--wait-for-state", "SUCCEEDED")])


GROUP_FORM = FormSpec(
    title=N_("Create log group"), kind_id="logging.log_group",
    fields=[Field("display_name", N_("Name"), "text", required=True, placeholder=N_("app-logs"),
                  help=N_("Unique in the compartment; a query names it: search \"<compartment>/<log group>\"")),
            Field("compartment_id", N_("Compartment"), "compartment", required=True),
            Field("description", N_("Description"), "text")],
    build=_group_build, cli=_group_cli)


async def _group_logs(session, group) -> list[RelatedItem]:
    logs = await logsvc.list_logs(session, group.id)
    if not logs:
        return [RelatedItem("Logs", "none yet: Actions > Create custom log…, or Enable log… on a bucket or subnet")]
    return [RelatedItem(lg.display_name, f"{lg.log_type}{' · ' + source_text(lg) if source_text(lg) else ''}"
                        f"{'' if lg.is_enabled else ' · disabled'}", lg.id) for lg in logs]


def custom_log_form(group) -> FormSpec:
    """A custom log in `group` (Actions on a log group)."""
    return FormSpec(
        title=f"Create custom log in {group.display_name}", kind_id="logging.log",
        fields=[Field("display_name", N_("Name"), "text", required=True, placeholder=N_("app"),
                      validate=check_log_name),
                retention_field()],
        build=lambda v, ctx: _log_request(group.id, v["display_name"].strip(), "CUSTOM", int(v["retention"])),
        cli=_log_cli, submit_label=N_("Create"))


def _log_request(group_id: str, name: str, log_type: str, retention: int, source=None) -> Request:
    config = M.Configuration(source=source) if source is not None else None
    return Request("logging", "create_log", M.CreateLogDetails(
        display_name=name, log_type=log_type, is_enabled=True, retention_duration=retention, configuration=config),
        args=(group_id,))


def _log_cli(v: dict, ctx: FormContext, req: Request) -> str:
    d = req.details
    config = None
    if d.configuration is not None:
        s = d.configuration.source
        config = {"source": {"sourceType": "OCISERVICE", "service": s.service, "resource": s.resource,
                             "category": s.category}}
    return cli_command("logging log create", [("--log-group-id", req.args[0]), ("--display-name", d.display_name),
                                              ("--log-type", d.log_type), ("--retention-duration",
                                                                           d.retention_duration),
                                              ("--configuration", config), ("--wait-for-state", "SUCCEEDED")])


LOG_GROUPS = ResourceKind(
    id="logging.log_group", label=N_("Log groups"), singular=N_("Log group"), group=N_("Observability"), icon="report",
    list=lister(GROUP_REF), get=getter(GROUP_REF), ocid_types=("loggroup",), order=30, browser="logs",
    columns=[Column(N_("Name"), attr("display_name"), width=200),
             Column(N_("State"), attr("lifecycle_state"), "state", width=90),
             Column(N_("Description"), attr("description"), width=260),
             Column(N_("Created"), attr("time_created"), "datetime")],
    related=[Related(N_("Logs"), _group_logs)],
    actions=[Action("create_log", N_("Create custom log…"), no_run, frozenset({"ACTIVE"}), form=custom_log_form,
                    icon="create", verb=N_("Creating a log in")),
             delete_action(GROUP_REF, frozenset({"ACTIVE"}), gone=frozenset())],
    create=GROUP_FORM, ready_states=WR_DONE, sdk=GROUP_REF)


# ---------------------------------------------------------------- logs

async def _group_options(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    return [Option(g.id, g.display_name, g) for g in await logsvc.list_log_groups(ctx.session, comp)
            if g.lifecycle_state == "ACTIVE"]


def _new_log_build(v: dict, ctx: FormContext) -> Request:
    return _log_request(v["log_group_id"], v["display_name"].strip(), "CUSTOM", int(v["retention"]))


LOG_FORM = FormSpec(
    title=N_("Create custom log"), kind_id="logging.log",
    fields=[Field("compartment_id", N_("Compartment"), "compartment", required=True),
            Field("log_group_id", N_("Log group"), "choice", required=True, options=_group_options,
                  depends_on=("compartment_id",), create_kind="logging.log_group"),
            Field("display_name", N_("Name"), "text", required=True, placeholder=N_("app"), validate=check_log_name,
                  help=N_("Unique in its log group; entries come through PutLogs or an agent configuration")),
            retention_field()],
    build=_new_log_build, cli=_log_cli)


def _set_enabled(enabled: bool):
    async def run(session, log, _options):
        await session.call("logging", "update_log", log.log_group_id, log.id,
                           M.UpdateLogDetails(is_enabled=enabled))
    return run


def retention_form(log) -> FormSpec:
    def build(v: dict, ctx: FormContext) -> Request:
        return Request("logging", "update_log", M.UpdateLogDetails(retention_duration=int(v["retention"])),
                       args=(log.log_group_id, log.id), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        return cli_command("logging log update", [("--log-group-id", log.log_group_id), ("--log-id", log.id),
                                                  ("--retention-duration", req.details.retention_duration)])

    return FormSpec(title=f"Retention of {log.display_name}", kind_id="logging.log",
                    fields=[retention_field(log.retention_duration or 30)], build=build, cli=cli,
                    describe=lambda _v: log.display_name, submit_label=N_("Save"),
                    op_title=lambda v: f"Keep the entries of {log.display_name} {v.get('retention')} days")


async def _delete_log(session, log, _options) -> None:
    await session.call("logging", "delete_log", log.log_group_id, log.id)


async def _log_related(session, log) -> list[RelatedItem]:
    out = [RelatedItem("Log group", log.log_group_id, log.log_group_id),
           RelatedItem("Query", f'search "{log.compartment_id}/{log.log_group_id}/{log.id}"')]
    src = getattr(getattr(log, "configuration", None), "source", None)
    if src is not None:
        out.append(RelatedItem("Source", source_text(log), src.resource if src.resource.startswith("ocid1.")
                               else None))
    return out


LOGS = ResourceKind(
    id="logging.log", label=N_("Logs"), singular=N_("Log"), group=N_("Observability"), icon="file", order=31,
    list=logsvc.list_compartment_logs, get=logsvc.get_log, ocid_types=("log",), movable=False, browser="logs",
    columns=[Column(N_("Name"), attr("display_name"), width=180),
             Column(N_("State"), attr("lifecycle_state"), "state", width=90),
             Column(N_("Type"), attr("log_type"), width=80),
             Column(N_("Source"), source_text, width=260),
             Column(N_("Enabled"), lambda lg: "Yes" if lg.is_enabled else "No", width=70,
                    tone=lambda v: "bad" if v == "No" else None),
             Column(N_("Retention"), lambda lg: f"{lg.retention_duration} days", width=90),
             Column(N_("Created"), attr("time_created"), "datetime")],
    related=[Related(N_("Log"), _log_related)],
    actions=[Action("disable", N_("Disable"), _set_enabled(False), frozenset({"ACTIVE"}), target_states=WR_DONE,
                    icon="stop", verb=N_("Disabling"), when=lambda lg: bool(lg.is_enabled)),
             Action("enable", N_("Enable"), _set_enabled(True), frozenset({"ACTIVE"}), target_states=WR_DONE,
                    icon="start", verb=N_("Enabling"), when=lambda lg: not lg.is_enabled),
             Action("retention", N_("Change retention…"), no_run, frozenset({"ACTIVE"}), form=retention_form,
                    target_states=WR_DONE, icon="edit", verb=N_("Changing the retention of")),
             Action("delete", N_("Delete"), _delete_log, frozenset({"ACTIVE", "INACTIVE", "FAILED"}), destructive=True,
                    confirm="name", gone_ok=True, shortcut="Delete", icon="delete", verb=N_("Deleting"))],
    create=LOG_FORM, ready_states=WR_DONE)


# ---------------------------------------------------------------- service logs of other kinds

class LogSource:
    """What a kind's resources log: Logging's service name, the source resource, the categories."""

    def __init__(self, service: str, resource: Callable[[Any], str], categories: dict[str, str], what: str):
        self.service = service
        self.resource = resource
        self.categories = categories
        self.what = what


# the kinds whose resources write service logs (emulator/service_logs.py SOURCES on the emulator's side): each
# gets "Enable log…" (below) and a Logs tab; a load balancer or a function is one more line here
LOG_SOURCES: dict[str, LogSource] = {
    "objectstorage.bucket": LogSource("objectstorage", lambda b: b.name,
                                      {"write": "Write access (PUT, DELETE)", "read": "Read access (GET, HEAD)"},
                                      "bucket"),
    "network.subnet": LogSource("flowlogs", lambda s: s.id, {"all": "All traffic records"}, "subnet"),
    "functions.application": LogSource("functions", lambda a: a.id, {"invoke": "Function invocations"},
                                       "application"),
    "load_balancer.load_balancer": LogSource("loadbalancer", lambda lb: lb.id,
                                             {"access": "Access (requests served)", "error": "Errors"},
                                             "load balancer"),
}
# what the Log Explorer says when a flow log has nothing in the range (the console does not guess why more)
EMPTY_NOTES = {
    "flowlogs": "Flow logs record the traffic that crossed the subnet. None was recorded in this time range; "
                "the demo sandbox records only traffic it really carries (a load balancer to its backends).",
    "loadbalancer": "Access and error logs record the requests the load balancer served. The demo sandbox carries "
                    "no HTTP traffic through its load balancers, so nothing is recorded (none is invented).",
    "functions": "Each invocation of the application's functions is one entry. None happened in this time "
                 "range: invoke a function (Invoke… on it) to see one.",
}


def log_source(kind_id: str) -> LogSource | None:
    return LOG_SOURCES.get(kind_id)


def enable_log_form(kind_id: str) -> Callable[[Any], FormSpec]:
    src = LOG_SOURCES[kind_id]

    def form(res) -> FormSpec:
        resource = src.resource(res)
        name = getattr(res, "name", None) or getattr(res, "display_name", None) or resource
        comp = res.compartment_id
        cats = list(src.categories)

        async def groups(ctx: FormContext, values) -> list[Option]:
            return [Option(g.id, g.display_name, g) for g in await logsvc.list_log_groups(ctx.session, comp)
                    if g.lifecycle_state == "ACTIVE"]

        def build(v: dict, ctx: FormContext) -> Request:
            source = M.OciService(source_type="OCISERVICE", service=src.service, resource=resource,
                                  category=v["category"])
            return _log_request(v["log_group_id"], v["display_name"].strip(), "SERVICE", int(v["retention"]), source)

        return FormSpec(
            title=f"Enable log for {name}", kind_id="logging.log",
            fields=[Field("category", N_("Log category"), "enum", required=True, default=cats[0],
                          options=[Option(c, label) for c, label in src.categories.items()]),
                    Field("log_group_id", N_("Log group"), "choice", required=True, options=groups,
                          create_kind="logging.log_group",
                          help=f"A log group of the {src.what}'s compartment"),
                    Field("display_name", N_("Log name"), "text", required=True, validate=check_log_name,
                          depends_on=("category",),
                          default_from=lambda v, _c: f"{name}_{v.get('category') or cats[0]}".replace(" ", "_")),
                    retention_field()],
            build=build, cli=_log_cli, describe=lambda v: v.get("display_name") or "", submit_label=N_("Enable log"),
            op_title=lambda v: f"Enable the {v.get('category')} log of {name}")
    return form


ENABLE_LABELS = {"network.subnet": "Enable flow log…"}  # default: "Enable log…"


def _install_enable_actions() -> None:
    """"Enable log…" on the kinds with service logs (their catalog modules are imported above)."""
    from . import functions as fncat
    from . import load_balancer as lbcat
    kinds = {k.id: k for m in (oscat, netcat, fncat, lbcat) for k in m.KINDS}
    for kind_id in LOG_SOURCES:
        kind = kinds.get(kind_id)
        if kind is None or kind.action("enable_log") is not None:
            continue
        states = None if kind is oscat.BUCKETS else frozenset(kind.ready_states)  # a bucket has no state
        kind.actions.insert(0, Action("enable_log", ENABLE_LABELS.get(kind_id, "Enable log…"), no_run, states,
                                      form=enable_log_form(kind_id), target_states=WR_DONE, icon="create",
                                      verb=N_("Enabling a log of")))


_install_enable_actions()

KINDS = [LOG_GROUPS, LOGS]
