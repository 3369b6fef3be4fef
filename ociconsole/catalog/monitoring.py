"""Monitoring kinds: alarms (with their status, history and current value; create, edit,
suppress, enable/disable, delete) and the "Post custom metric" form.

An alarm row is the alarm joined with its status (`list_alarms` + `list_alarms_status` of the
compartment, two calls), firing ones first. Editing and suppressing are actions that open the
generic form dialog (`Action.form`). Posting a custom metric is a form whose request is not a
create (`submit_label="Post"`, no retry token: PostMetricData takes none).

The alarm form (`alarm_form`) builds its query from a metric, dimension filters, a statistic, an
interval, a grouping and a trigger rule, or takes it typed in MQL; editing parses a query the builder
can say back into it (`builder_fields`). `alarm_from_chart` gives a new alarm's values from a dashboard
chart. Destinations are picked among the Notifications topics of the alarm's compartment and of the
tenancy (services.notifications), or pasted.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import json
import logging
import re
import shlex
import time

from ..core.errors import OciError, loggable
from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..services import monitoring as svc
from ..services import notifications as notif
from . import mql as mqlcheck
from . import validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .generic import SdkRef
from .model import Action, Column, Related, RelatedItem, ResourceKind, attr

log = logging.getLogger(__name__)

M = sdk_models("monitoring")

SEVERITIES = ["CRITICAL", "ERROR", "WARNING", "INFO"]
FULL_READS = 6  # GetAlarm calls in flight while listing
STATUS_ORDER = {"FIRING": 0, "SUSPENDED": 1, "OK": 2}
STATUS_TONE = {"FIRING": "bad", "OK": "good", "SUSPENDED": "busy"}
SEVERITY_TONE = {"CRITICAL": "bad", "ERROR": "bad", "WARNING": "busy"}
PENDING = [("PT1M", "1 minute"), ("PT5M", "5 minutes"), ("PT10M", "10 minutes"), ("PT15M", "15 minutes"),
           ("PT30M", "30 minutes"), ("PT1H", "1 hour")]
SUPPRESS_FOR = [("PT1H", "1 hour"), ("PT4H", "4 hours"), ("PT12H", "12 hours"), ("P1D", "1 day"),
                ("P3D", "3 days"), ("P7D", "1 week")]
ALARM_STATISTICS = [("mean", "Mean"), ("max", "Max"), ("min", "Min"), ("sum", "Sum"), ("count", "Count"),
                    ("rate", "Rate"), ("p50", "P50"), ("p90", "P90"), ("p95", "P95"), ("p99", "P99"),
                    ("absent", "Absent (no data)")]
OPERATORS = [(">", "greater than (>)"), (">=", "at least (>=)"), ("<", "less than (<)"), ("<=", "at most (<=)"),
             ("==", "equal to (==)"), ("!=", "not equal to (!=)")]

_ALARM_FIELDS = frozenset(M.Alarm().swagger_types)
# the last known status of each alarm: a row replaced by a fresh SDK copy (after an edit) keeps showing it
_STATUS: dict[str, tuple[str | None, object, str | None]] = {}


class AlarmRow:
    """An alarm (SDK or lazy model) with its status: `status` (FIRING / OK / SUSPENDED),
    `timestamp_triggered` and `alarm_summary` are read like the alarm's own fields (and shown in
    its details: `swagger_types` lists them)."""

    _EXTRA = {"status": "str", "timestamp_triggered": "datetime", "alarm_summary": "str"}
    _WIRE = {"status": "status", "timestamp_triggered": "timestampTriggered", "alarm_summary": "alarmSummary"}

    def __init__(self, alarm, status=None):
        object.__setattr__(self, "_alarm", alarm)
        if status is not None:
            known = (getattr(status, "status", None), getattr(status, "timestamp_triggered", None),
                     getattr(status, "alarm_summary", None))
            _STATUS[alarm.id] = known
        else:
            known = _STATUS.get(alarm.id, (None, None, None))
        object.__setattr__(self, "status", known[0])
        object.__setattr__(self, "timestamp_triggered", known[1])
        object.__setattr__(self, "alarm_summary", known[2])

    def __getattr__(self, name):
        alarm = object.__getattribute__(self, "_alarm")
        try:
            return getattr(alarm, name)
        except AttributeError:
            if name.startswith("_") or name not in _ALARM_FIELDS:
                raise
            return None  # a field of Alarm that an AlarmSummary (the list's rows) does not carry

    @property
    def alarm(self):
        return self._alarm

    @property
    def is_full(self) -> bool:
        """Whether every field of the alarm is here (get_alarm), not only a list summary's."""
        return "pending_duration" in getattr(self._alarm, "swagger_types", {})

    @property
    def swagger_types(self) -> dict:
        return {**self._alarm.swagger_types, **self._EXTRA}

    @property
    def attribute_map(self) -> dict:
        return {**self._alarm.attribute_map, **self._WIRE}

    def __repr__(self) -> str:
        return f"AlarmRow({self.display_name!r}, {self.status})"


def _suppressed_now(alarm) -> bool:
    sup = getattr(alarm, "suppression", None)
    a, b = getattr(sup, "time_suppress_from", None), getattr(sup, "time_suppress_until", None)
    if not isinstance(a, _dt.datetime) or not isinstance(b, _dt.datetime):
        return False
    return a <= _dt.datetime.now(_dt.UTC) <= b


def status_of(alarm) -> str | None:
    """FIRING / OK / SUSPENDED: the status read with the alarm, else the last one known (a fresh copy
    after an update has none) — SUSPENDED while its own suppression is in effect."""
    s = getattr(alarm, "status", None)
    if s is None:
        if _suppressed_now(alarm):
            return "SUSPENDED"
        if getattr(alarm, "id", None) in _STATUS:
            s = _STATUS[alarm.id][0]
            if s == "SUSPENDED":
                s = None  # no longer suppressed: unknown until the next read
    return s


def sort_key(a) -> tuple:
    sev = a.severity if a.severity in SEVERITIES else "INFO"
    return (STATUS_ORDER.get(status_of(a) or "", 3), SEVERITIES.index(sev), (a.display_name or "").lower())


# ---------------------------------------------------------------- list / get

async def list_alarms(session, compartment_id: str) -> list[AlarmRow]:
    """The compartment's alarms with their status, FIRING first, then by severity and name.

    ListAlarms returns summaries (no body, pending duration, resolution...): each alarm is then read
    in full (a few at a time), so that its details and its edit form show every field."""
    alarms, statuses = await asyncio.gather(svc.list_alarms(session, compartment_id),
                                            svc.list_alarms_status(session, compartment_id))
    by_id = {s.id: s for s in statuses}
    sem = asyncio.Semaphore(FULL_READS)

    async def full(a):
        async with sem:
            try:
                return await svc.get_alarm(session, a.id)
            except OciError as e:
                log.debug("alarm %s not read in full (its summary shown): %s", a.id, loggable(e))
                return a  # gone meanwhile, or not readable: the summary
    fulls = await asyncio.gather(*(full(a) for a in alarms))
    rows = [AlarmRow(a, by_id.get(a.id)) for a in fulls]
    return sorted(rows, key=sort_key)


async def full_alarm(session, alarm) -> AlarmRow:
    """`alarm` with every field (a list row is a summary: no body, pending duration...)."""
    if isinstance(alarm, AlarmRow) and alarm.is_full:
        return alarm
    return AlarmRow(await svc.get_alarm(session, alarm.id))


async def get_alarm(session, alarm_id: str) -> AlarmRow:
    alarm = await svc.get_alarm(session, alarm_id)
    status = None
    if alarm.lifecycle_state == "ACTIVE":
        try:
            status = next((s for s in await svc.list_alarms_status(session, alarm.compartment_id)
                           if s.id == alarm.id), None)
        except OciError as e:
            log.debug("alarm statuses of %s not listed: %s", alarm.compartment_id, loggable(e))
            status = None
    return AlarmRow(alarm, status)


# ---------------------------------------------------------------- related

def _local(t) -> str:
    if t is None:
        return ""
    if isinstance(t, str):
        try:
            t = _dt.datetime.fromisoformat(t.replace("Z", "+00:00"))
        except ValueError:
            return t
    return t.astimezone().strftime("%Y-%m-%d %H:%M")


def _dims_label(dims: dict) -> str:
    if not dims:
        return "(all)"
    name = dims.get("resourceDisplayName")
    if name:
        return name
    return ", ".join(f"{k}={v}" for k, v in sorted(dims.items()) if k != "resourceId") or dims.get("resourceId", "")


async def _status_items(session, alarm) -> list[RelatedItem]:
    out = [RelatedItem("Status", f"{status_of(alarm) or '—'} since {_local(alarm.timestamp_triggered)}"
                       if alarm.timestamp_triggered else status_of(alarm) or "—")]
    if alarm.alarm_summary:
        out.append(RelatedItem("Summary", alarm.alarm_summary))
    sup = getattr(alarm, "suppression", None)
    if sup is not None:
        out.append(RelatedItem("Suppressed", f"until {_local(sup.time_suppress_until)}"
                               + (f" — {sup.description}" if sup.description else "")))
    for d in await svc.dimension_states(session, alarm.id):
        dims = dict(d.dimensions or {})
        rid = dims.get("resourceId")
        out.append(RelatedItem(f"{d.status} since {_local(d.timestamp)}", _dims_label(dims),
                               rid if str(rid or "").startswith("ocid1.") else None))
    return out


async def _history(session, alarm) -> list[RelatedItem]:
    entries = await svc.alarm_history(session, alarm.id, transitions_only=True)
    return [RelatedItem(_local(e.timestamp), e.summary) for e in entries[:20]]


def _value(v: float) -> str:
    if abs(v) >= 1e6:
        return f"{v / 1e6:.2f} M"
    if abs(v) >= 1e4:
        return f"{v / 1e3:.1f} k"
    return f"{v:.4g}"


async def _current_value(session, alarm) -> list[RelatedItem]:
    """The alarm's query without its trigger rule, over the last minutes: the latest value per stream."""
    alarm = await full_alarm(session, alarm)
    try:
        queries = mqlcheck.without_predicates(alarm.query)
        intervals = [q.interval for q in mqlcheck.parse(alarm.query)]
    except mqlcheck.MqlError as e:
        return [RelatedItem("Query", str(e))]
    end = time.time()
    start = end - max(15 * 60, 3 * max(intervals))
    out: list[tuple[float, RelatedItem]] = []
    for q in queries:
        absent = re.search(r"\.absent\([^)]*\)", q)
        if absent:  # whether it reports: its datapoints per interval
            q = q[:absent.start()] + ".count()" + q[absent.end():]
        series = await svc.summarize_paced(session, alarm.metric_compartment_id, alarm.namespace, q, start, end,
                                           in_subtree=bool(alarm.metric_compartment_id_in_subtree))
        for s in series:
            if not len(s.values):
                continue
            v, t = float(s.values[-1]), float(s.times[-1])
            label = _dims_label(s.dimensions) if len(series) > 1 or s.dimensions else q
            when = _dt.datetime.fromtimestamp(t).strftime("%H:%M")
            rid = s.dimensions.get("resourceId")
            text = f"{v:g} datapoints per {q[q.index('[') + 1:q.index(']')]} at {when}" if absent else \
                f"{_value(v)} at {when}"
            out.append((v, RelatedItem(label, text,
                                       rid if isinstance(rid, str) and rid.startswith("ocid1.") else None)))
    if not out:
        return [RelatedItem("No data", f"in the last {int((end - start) // 60)} minutes")]
    out.sort(key=lambda p: -p[0])
    items = [it for _v, it in out[:10]]
    if len(out) > 10:
        items.append(RelatedItem("…", f"{len(out) - 10} more streams"))
    return items


# ---------------------------------------------------------------- actions

async def _delete(session, alarm, _options):
    await svc.delete_alarm(session, alarm.id)


async def _remove_suppression(session, alarm, _options):
    await svc.remove_suppression(session, alarm.id)
    return await get_alarm(session, alarm.id)


def _enable(on: bool):
    async def run(session, alarm, _options):
        await svc.set_alarm_enabled(session, alarm.id, on)
        return await get_alarm(session, alarm.id)
    return run


async def _unused(session, alarm, _options):  # actions with a form send the form's request instead
    return None


def _iso_seconds(text: str) -> int:
    return validators.iso_duration(text) or 3600


def suppress_form(alarm) -> FormSpec:
    """Suppress an alarm's notifications for a while (an alarm-level suppression, from now)."""
    def build(v: dict, ctx: FormContext) -> Request:
        now = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
        until = now + _dt.timedelta(seconds=_iso_seconds(v.get("duration") or "PT1H"))
        details = M.UpdateAlarmDetails(suppression=M.Suppression(
            description=(v.get("description") or "").strip() or "Suppressed from ociconsole",
            time_suppress_from=now, time_suppress_until=until))
        return Request("monitoring", "update_alarm", details, args=(alarm.id,), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        s = req.details.suppression
        sup = {"description": s.description, "timeSuppressFrom": s.time_suppress_from.strftime("%Y-%m-%dT%H:%M:%SZ"),
               "timeSuppressUntil": s.time_suppress_until.strftime("%Y-%m-%dT%H:%M:%SZ")}
        return (f"oci monitoring alarm update \\\n    --alarm-id {shlex.quote(alarm.id)} \\\n"
                f"    --suppression {shlex.quote(json.dumps(sup, separators=(',', ':')))} \\\n    --force")

    return FormSpec(
        title=f"Suppress alarm {alarm.display_name}", kind_id="monitoring.alarm",
        fields=[
            Field("duration", N_("Suppress for"), "enum", required=True, default="PT1H",
                  options=[Option(v, label) for v, label in SUPPRESS_FOR],
                  help=N_("Notifications stop from now until then; the alarm shows SUSPENDED meanwhile")),
            Field("description", N_("Reason"), "text", placeholder=N_("Maintenance window, CHG-1234…"),
                  validate=lambda v, *_: "At most 4,000 characters" if v and len(v) > 4000 else None),
        ],
        build=build, cli=cli, describe=lambda v: alarm.display_name, submit_label=N_("Suppress"),
        op_title=lambda v: f"Suppress alarm {alarm.display_name} for "
                           f"{dict(SUPPRESS_FOR).get(v.get('duration') or 'PT1H', v.get('duration'))}")


def edit_form(alarm) -> FormSpec:
    return alarm_form(alarm)


# ---------------------------------------------------------------- the alarm form (create and edit)
#
# The query is built from a metric, dimension filters, a statistic, an interval, a grouping and a
# trigger rule (the builder), or typed in MQL. Editing an alarm parses its query back into the
# builder when the builder can say it (`builder_fields`), else shows it as MQL.

ALARM_INTERVALS = ["1m", "5m", "10m", "15m", "30m", "1h"]
FILTER_OPS = ("=~", "!~", "!=", "=")  # longest first (parsing)
GROUP_ALL = "*"  # grouping(): every stream together
MODES = [("builder", "Builder: metric, dimensions, statistic and trigger rule"), ("mql", "MQL, typed below")]
_FILTER_LINE = re.compile(r"\s*([^\s=!~,{}()\"\[\]]+)\s*(=~|!~|!=|=)\s*(.*?)\s*\Z")
_RESOURCE_FILTER_MAX = 50  # resources named in one filter when an alarm stands for a compartment's subtree


def _number(v: float) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)


def _quoted(v: str) -> str:
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_filters(text) -> tuple[list[tuple[str, str, str]], str | None]:
    """Dimension filters, one a line: `key = value` (`=~` wildcards * and alternatives a|b, `!=`,
    `!~`); a value may be "quoted". Returns ([(key, op, value)], error)."""
    out: list[tuple[str, str, str]] = []
    for n, line in enumerate(str(text or "").splitlines(), 1):
        if not line.strip():
            continue
        m = _FILTER_LINE.match(line)
        if m is None or not m.group(3):
            return out, f"Line {n}: write dimension = value (or =~ with * and |, != or !~)"
        value = m.group(3)
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = re.sub(r'\\(.)', r"\1", value[1:-1])
        if not value:
            return out, f"Line {n}: the value of {m.group(1)} is empty"
        out.append((m.group(1), m.group(2), value))
    return out, None


def filters_text(filters) -> str | None:
    return "\n".join(f"{k} {op} {v}" for k, op, v in filters) or None


def builder_query(metric: str, interval: str = "1m", statistic: str = "mean", filters=(), group_by: str = "",
                  operator: str = ">", threshold: float | None = None) -> str:
    """Metric[interval]{filters}.groupBy(dim).statistic() <operator> <threshold> (absent(): no rule)."""
    q = f"{metric}[{interval}]"
    if filters:
        q += "{" + ", ".join(f"{k} {op} {_quoted(v)}" for k, op, v in filters) + "}"
    if group_by == GROUP_ALL:
        q += ".grouping()"
    elif group_by or statistic == "absent":  # absence is told per resource
        q += f".groupBy({group_by or 'resourceId'})"
    if statistic == "absent":
        return q + ".absent()"
    q += "." + svc.statistic_call(statistic)
    if isinstance(threshold, (int, float)) and not isinstance(threshold, bool):
        q += f" {operator or '>'} {_number(threshold)}"
    return q


def builder_fields(query: str, trigger: bool = True) -> dict | None:
    """The builder's fields for `query` when the builder would write exactly it (whitespace aside),
    else None. `trigger=False`: a chart's query, without a trigger rule."""
    try:
        leaves = mqlcheck.parse(query)
    except mqlcheck.MqlError:
        return None
    if len(leaves) != 1:
        return None
    q = leaves[0]
    if q.post_group is not None or (q.pre_group is not None and len(q.pre_group) > 1):
        return None
    stat = q.stat
    if stat == "percentile" and q.stat_arg is not None:
        stat = f"p{round(q.stat_arg * 100)}"
    if stat not in {s for s, _label in ALARM_STATISTICS} or q.interval_text not in ALARM_INTERVALS:
        return None
    group = "" if q.pre_group is None else (q.pre_group[0] if q.pre_group else GROUP_ALL)
    fields: dict = {"metric": q.metric, "interval": q.interval_text, "statistic": stat, "group_by": group,
                    "filters": [(f.key, f.op, f.value) for f in q.filters], "operator": ">", "threshold": None}
    if q.predicate is not None:
        if not trigger or q.predicate[0] not in dict(OPERATORS):
            return None
        fields["operator"], fields["threshold"] = q.predicate
    elif trigger and stat != "absent":
        return None
    if re.sub(r"\s+", "", builder_query(**fields)) != re.sub(r"\s+", "", query):
        return None
    return fields


async def metrics_elsewhere(ctx: FormContext, limit: int = 4) -> str:
    """Where metrics exist (for an empty namespace list): "Metrics exist in Production, Web (+2 more)."."""
    streams = await svc.list_metrics_paced(ctx.session, ctx.tenancy_id, in_subtree=True)
    counts: dict[str, int] = {}
    for m in streams:
        if m.compartment_id:
            counts[m.compartment_id] = counts.get(m.compartment_id, 0) + 1
    if not counts:
        return "No compartment of the tenancy has metrics yet."
    names = {o.value: o.label.strip() for o in ctx.compartments}
    ranked = sorted(counts, key=lambda c: -counts[c])
    shown = [names.get(c, c) for c in ranked[:limit]]
    more = f" (+{len(ranked) - limit} more)" if len(ranked) > limit else ""
    return f"Metrics exist in {', '.join(shown)}{more}."


def _builder_values(fields: dict) -> dict:
    """builder_fields(...) as the form's values."""
    out = {k: fields[k] for k in ("metric", "interval", "statistic", "group_by", "operator")}
    out["dimensions"] = filters_text(fields["filters"])
    if fields.get("threshold") is not None:
        out["threshold"] = fields["threshold"]
    return out


def _scope(values) -> tuple[str | None, bool]:
    comp = values.get("metric_compartment_id")
    return comp, bool(values.get("metric_compartment_id_in_subtree"))


def _group_options(keys, wanted: str = "") -> list[Option]:
    opts = [Option("", N_("Each stream (no grouping)")),
            Option("resourceId", N_("Resource (resourceId): one state per resource"),
                   "dimension" if "resourceId" in keys else None)]
    extra = sorted({*keys, wanted} - {"", "resourceId", GROUP_ALL})
    opts += [Option(k, k, "dimension" if k in keys else None) for k in extra]
    return [*opts, Option(GROUP_ALL, N_("Everything together (grouping)"))]


def _compose(values, ctx, fallback: str | None = None) -> str | None:
    """The query the builder fields describe (builder mode), else the query as it is."""
    current = values.get("query") or fallback
    if values.get("mode") != "builder" or not values.get("metric"):
        return current
    filters, err = parse_filters(values.get("dimensions"))
    if err:
        return current
    thr = values.get("threshold")
    return builder_query(values["metric"], values.get("interval") or "1m", values.get("statistic") or "mean",
                         filters, values.get("group_by") or "", values.get("operator") or ">",
                         thr if isinstance(thr, (int, float)) else None)


def _lines(text) -> list[str]:
    return [ln.strip() for ln in (text or "").splitlines() if ln.strip()]


def _alarm_details(v: dict, ctx: FormContext, update: bool):
    common = dict(
        display_name=(v.get("display_name") or "").strip(), metric_compartment_id=v["metric_compartment_id"],
        metric_compartment_id_in_subtree=bool(v.get("metric_compartment_id_in_subtree"))
        and v["metric_compartment_id"] == ctx.tenancy_id,
        namespace=v["namespace"], query=(v.get("query") or "").strip(), severity=v["severity"],
        pending_duration=v.get("pending_duration") or "PT5M", body=(v.get("body") or "").strip() or None,
        destinations=_lines(v.get("destinations")), is_enabled=bool(v.get("is_enabled")))
    if update:
        return M.UpdateAlarmDetails(**common)
    return M.CreateAlarmDetails(compartment_id=v["compartment_id"], resolution="1m", message_format="ONS_OPTIMIZED",
                                **common)


def _alarm_cli(alarm, v: dict, ctx: FormContext, req: Request) -> str:
    d = req.details
    words = "monitoring alarm update" if alarm is not None else "monitoring alarm create"
    flags = [("--alarm-id", alarm.id)] if alarm is not None else [("--compartment-id", d.compartment_id)]
    flags += [("--display-name", d.display_name), ("--metric-compartment-id", d.metric_compartment_id),
              ("--metric-compartment-id-in-subtree", d.metric_compartment_id_in_subtree or None),
              ("--namespace", d.namespace), ("--query-text", d.query), ("--severity", d.severity),
              ("--pending-duration", d.pending_duration), ("--body", d.body),
              ("--destinations", json.dumps(d.destinations) if d.destinations else None),
              ("--is-enabled", d.is_enabled),
              ("--message-format", getattr(d, "message_format", None))]
    if alarm is None:
        flags.insert(1, ("--resolution", d.resolution))
        flags.append(("--wait-for-state", "ACTIVE"))
    else:
        flags.append(("--force", True))
    text = cli_command(words, flags)
    return text.replace("--force true", "--force")


def _check_query(v, values, ctx) -> str | None:
    return validators.mql(v, alarm=True)


def _check_name(v, values, ctx) -> str | None:
    return validators.display_name(v, True)


def _check_filters(v, values, ctx) -> str | None:
    return parse_filters(v)[1]


def _unknown_filters(v, values, ctx) -> str | None:
    """A filter on a dimension the metric's streams do not have matches nothing."""
    known = {k for k, d in ctx.option_data.get("group_by", {}).items() if d == "dimension"}
    if not known:
        return None
    bad = [k for k, _op, _v in parse_filters(v)[0] if k not in known]
    if not bad:
        return None
    return (f"No stream of {values.get('metric') or 'this metric'} has the dimension {', '.join(bad)} "
            f"(it has {', '.join(sorted(known))}): the alarm would see no data")


def _builder(v, c) -> bool:
    return v.get("mode") == "builder"


def alarm_form(alarm=None, initial: dict | None = None) -> FormSpec:
    """Create an alarm (alarm None) or edit one: its query made in the builder (metric, dimension
    filters, statistic, interval, grouping, trigger rule) or typed in MQL (checked as you type).

    `initial`: values to start a new alarm from (a dashboard chart: `alarm_from_chart`), with
    "_note" shown under the metric compartment."""
    editing = alarm is not None
    init = dict(initial or {})
    if editing:
        fields_back = builder_fields(alarm.query or "") if alarm.query else None
        init.update(display_name=alarm.display_name, metric_compartment_id=alarm.metric_compartment_id,
                    metric_compartment_id_in_subtree=bool(alarm.metric_compartment_id_in_subtree),
                    namespace=alarm.namespace, query=alarm.query, severity=alarm.severity,
                    pending_duration=alarm.pending_duration, body=alarm.body,
                    destinations="\n".join(alarm.destinations or []) or None, is_enabled=alarm.is_enabled,
                    mode="builder" if fields_back is not None else "mql")
        if fields_back is not None:
            init.update(_builder_values(fields_back))
    init.setdefault("mode", "builder")
    note = init.pop("_note", None)
    first_topic = next((d for d in _lines(init.get("destinations")) if d.startswith("ocid1.onstopic.")), None)
    home = alarm.compartment_id if editing else None

    def dflt(name, fallback=None):
        v = init.get(name)
        return fallback if v is None else v

    async def where_metrics_are(ctx: FormContext, values) -> str:
        return await metrics_elsewhere(ctx)

    async def namespaces(ctx: FormContext, values) -> list[Option]:
        comp, sub = _scope(values)
        comp = comp or ctx.compartment_id
        names = await svc.namespaces(ctx.session, comp, sub and comp == ctx.tenancy_id)
        wanted = values.get("namespace") or init.get("namespace")
        if wanted and wanted not in names:  # an alarm on a namespace with no recent data keeps it
            names = sorted([*names, wanted])
        return [Option(n, n) for n in names]

    async def metrics(ctx: FormContext, values) -> list[Option]:
        ns = values.get("namespace")
        if not ns:
            return []
        comp, sub = _scope(values)
        comp = comp or ctx.compartment_id
        names = await svc.metric_names(ctx.session, comp, ns, sub and comp == ctx.tenancy_id)
        wanted = init.get("metric") if ns == init.get("namespace") else None
        if wanted and wanted not in names:
            names = sorted([*names, wanted])
        return [Option(n, n) for n in names]

    async def groupings(ctx: FormContext, values) -> list[Option]:
        ns, metric = values.get("namespace"), values.get("metric")
        keys: set[str] = set()
        if ns and metric:
            comp, sub = _scope(values)
            comp = comp or ctx.compartment_id
            for m in await svc.metric_streams(ctx.session, comp, ns, metric, sub and comp == ctx.tenancy_id):
                keys.update((m.dimensions or {}).keys())
        return _group_options(keys, values.get("group_by") or init.get("group_by") or "")

    async def topics(ctx: FormContext, values) -> list[Option]:
        comp = values.get("compartment_id") or home or ctx.compartment_id
        found = await notif.topics_for(ctx.session, [comp, ctx.tenancy_id])
        names = {o.value: o.label for o in ctx.compartments}
        opts = [Option(t.topic_id, f"{t.name}   ({names.get(t.compartment_id, 'another compartment')})", t)
                for t in found]
        if first_topic and all(o.value != first_topic for o in opts):
            opts.insert(0, Option(first_topic, f"…{first_topic[-12:]} (in another compartment)"))
        return [*opts, Option(None, N_("Other: paste topic or stream OCIDs below"))]

    def destinations_from(values, ctx) -> str | None:
        lines = _lines(values.get("destinations")) if "destinations" in values else _lines(init.get("destinations"))
        topic = values.get("topic")
        if not topic:
            return "\n".join(lines) or None
        return "\n".join([topic] + [ln for ln in lines if not ln.startswith("ocid1.onstopic.")])

    def note_for(v, values, ctx) -> str | None:
        return note if note and v == init.get("metric_compartment_id") else None

    fields = [
        Field("display_name", N_("Name"), "text", required=True, default=dflt("display_name"), validate=_check_name),
    ]
    if not editing:
        fields.append(Field("compartment_id", N_("Compartment"), "compartment", required=True,
                            default=dflt("compartment_id"), help=N_("Where the alarm lives")))
    fields += [
        Field("metric_compartment_id", N_("Metric compartment"), "compartment", required=True,
              default=dflt("metric_compartment_id"),
              default_from=None if editing or "metric_compartment_id" in init else
              (lambda v, c: v.get("compartment_id")),
              depends_on=() if editing else ("compartment_id",), help=N_("Where the metric's resources are"),
              warning=note_for),
        Field("metric_compartment_id_in_subtree", N_("Include the tenancy's subcompartments"), "bool",
              default=bool(dflt("metric_compartment_id_in_subtree", False)), depends_on=("metric_compartment_id",),
              visible=lambda v, c: v.get("metric_compartment_id") == c.tenancy_id),
        Field("namespace", N_("Metric namespace"), "choice", required=True, options=namespaces,
              default=dflt("namespace"), empty_hint=where_metrics_are,
              depends_on=("metric_compartment_id", "metric_compartment_id_in_subtree")),
        Field("mode", N_("Query from"), "enum", required=True, default=dflt("mode"),
              options=[Option(m, label) for m, label in MODES]),
        Field("metric", N_("Metric"), "choice", required=True, options=metrics, default=dflt("metric"),
              depends_on=("namespace",), visible=_builder),
        Field("dimensions", N_("Dimension filters"), "textarea", default=dflt("dimensions"), visible=_builder,
              placeholder=N_('resourceDisplayName = web-01\navailabilityDomain =~ *AD-1'), validate=_check_filters,
              warning=_unknown_filters, depends_on=("metric",),
              help=N_("One a line: dimension = value; =~ with wildcards * and alternatives a|b; != and !~ exclude")),
        Field("statistic", N_("Statistic"), "enum", default=dflt("statistic", "mean"), visible=_builder,
              options=[Option(s, label) for s, label in ALARM_STATISTICS]),
        Field("interval", N_("Interval"), "enum", default=dflt("interval", "1m"), visible=_builder,
              options=[Option(i, i) for i in ALARM_INTERVALS]),
        Field("group_by", N_("Group by"), "choice", default=dflt("group_by", ""), options=groupings,
              depends_on=("metric",), visible=_builder,
              help=N_("Each group is its own alarm state (FIRING for one resource, OK for another)")),
        Field("operator", N_("Trigger when"), "enum", default=dflt("operator", ">"),
              options=[Option(o, label) for o, label in OPERATORS],
              visible=lambda v, c: _builder(v, c) and v.get("statistic") != "absent"),
        Field("threshold", N_("Threshold"), "number", default=dflt("threshold", 80),
              visible=lambda v, c: _builder(v, c) and v.get("statistic") != "absent"),
        Field("query", N_("Query (MQL)"), "mql", required=True, default=dflt("query"),
              default_from=lambda v, c: _compose(v, c, init.get("query")),
              depends_on=("mode", "metric", "dimensions", "statistic", "interval", "group_by", "operator",
                          "threshold"),
              placeholder=N_('CpuUtilization[1m]{resourceDisplayName = "web-01"}.mean() > 80'), validate=_check_query,
              help=N_("Made by the builder above, or typed: Metric[interval]{dimension filters}.statistic() "
                   "and a trigger rule such as > 80")),
        Field("severity", N_("Severity"), "enum", required=True, default=dflt("severity", "CRITICAL"),
              options=[Option(s, s.title()) for s in SEVERITIES]),
        Field("pending_duration", N_("Trigger delay"), "enum", required=True, default=dflt("pending_duration", "PT5M"),
              options=[Option(p, label) for p, label in PENDING],
              help=N_("How long the condition must hold before the alarm fires")),
        Field("body", N_("Alarm body"), "textarea", default=dflt("body"), placeholder=N_("What to do when it fires"),
              validate=lambda v, *_: "At most 1,000 characters" if v and len(v) > 1000 else None),
        Field("topic", N_("Notify topic"), "choice", options=topics, default=first_topic,
              depends_on=() if editing else ("compartment_id",),
              help=N_("A Notifications topic of the alarm's compartment or of the tenancy")),
        Field("destinations", N_("Destinations"), "textarea", required=True, default=dflt("destinations"),
              default_from=destinations_from, depends_on=("topic",),
              placeholder=N_("ocid1.onstopic.oc1..."), validate=lambda v, *_: validators.alarm_destinations(v),
              help=N_("The chosen topic, or Notifications topic (and/or stream) OCIDs pasted one a line")),
        Field("is_enabled", N_("Enabled"), "bool", default=bool(dflt("is_enabled", True))),
    ]

    def build(v: dict, ctx: FormContext) -> Request:
        if editing:
            details = _alarm_details(v, ctx, True)
            if details.destinations == list(alarm.destinations or []):
                details.destinations = None  # unchanged: not sent (nor checked again against the topics)
            return Request("monitoring", "update_alarm", details, args=(alarm.id,), retry_token=False)
        return Request("monitoring", "create_alarm", _alarm_details(v, ctx, False))

    return FormSpec(
        title=f"Edit alarm {alarm.display_name}" if editing else "Create alarm", kind_id="monitoring.alarm",
        fields=fields, build=build, cli=lambda v, c, r: _alarm_cli(alarm, v, c, r),
        describe=lambda v: v.get("display_name") or "", submit_label="Save" if editing else "Create",
        op_title=(lambda v: f"Update alarm {v.get('display_name') or alarm.display_name}") if editing else None)


ALARM_FORM = alarm_form()


async def alarm_from_chart(session, chart: dict, interval: str = "1m") -> dict:
    """The values of a new alarm on a dashboard chart (`chart`: ChartQuery.to_json(); `interval`: its
    automatic interval): its compartment, namespace, metric, filters, statistic, interval, grouping and
    threshold line, or its MQL with a trigger rule.

    OCI includes subcompartments only when the metric compartment is the tenancy: a chart of a
    compartment with its subcompartments becomes an alarm on the tenancy filtered to the resources
    that report the metric there today (named in a filter, at most _RESOURCE_FILTER_MAX), said in
    "_note"."""
    comp = chart.get("compartment_id") or session.tenancy_id
    ns = chart.get("namespace") or None
    title = (chart.get("title") or chart.get("metric") or "").strip()
    thr = chart.get("threshold")
    out: dict = {"display_name": title[:255] or None, "compartment_id": comp, "metric_compartment_id": comp,
                 "metric_compartment_id_in_subtree": False, "namespace": ns}
    raw = (chart.get("query") or "").strip()
    fields = builder_fields(raw, trigger=False) if raw else None
    if raw and fields is None:  # MQL the builder cannot say: kept as MQL, with a trigger rule if it has one leaf
        out["mode"] = "mql"
        try:
            leaves = mqlcheck.parse(raw)
        except mqlcheck.MqlError:
            leaves = []
        bare = len(leaves) == 1 and leaves[0].predicate is None and leaves[0].stat != "absent"
        out["query"] = f"{raw} > {_number(thr if thr is not None else 80)}" if bare else raw
    else:
        if fields is None:
            iv = chart.get("interval") or "auto"
            iv = interval if iv == "auto" else iv
            stat = chart.get("statistic") or "mean"
            fields = {"metric": chart.get("metric") or "", "statistic": stat if stat in dict(ALARM_STATISTICS)
                      else "mean", "interval": iv if iv in ALARM_INTERVALS else "1h" if iv == "1d" else "1m",
                      "group_by": chart.get("group_by") or "", "operator": ">",
                      "filters": [(k, "=", v) for k, v in (chart.get("dimensions") or {}).items()]}
        fields["threshold"] = thr
        out["mode"] = "builder"
        out.update(_builder_values(fields))
    if chart.get("in_subtree"):
        if comp == session.tenancy_id:
            out["metric_compartment_id_in_subtree"] = True
        else:
            await _subtree_scope(session, out, comp, ns, fields)
    return out


async def _subtree_scope(session, out: dict, comp: str, ns: str | None, fields: dict | None) -> None:
    """A compartment and its subcompartments as an alarm (see alarm_from_chart)."""
    from ..services import identity as idsvc
    tenancy = session.tenancy_id
    metric = (fields or {}).get("metric")
    if fields is None or not ns or not metric:
        out["_note"] = ("OCI includes subcompartments only when the metric compartment is the root compartment: "
                        "this alarm sees only the resources directly in this compartment")
        return
    tree, streams = await asyncio.gather(idsvc.compartment_tree(session),
                                         svc.metric_streams(session, tenancy, ns, metric, True))
    below, stack = {comp}, [comp]
    while stack:
        for c in tree.get(stack.pop(), []):
            below.add(c.id)
            stack.append(c.id)
    inside = [m for m in streams if m.compartment_id in below]
    if all(m.compartment_id == comp for m in inside):
        return  # nothing in the subcompartments: the compartment alone says it
    dims = [m.dimensions or {} for m in inside]
    outside = {(m.dimensions or {}).get("resourceDisplayName") for m in streams if m.compartment_id not in below}
    names = {d.get("resourceDisplayName") for d in dims}
    key = "resourceDisplayName"
    if None in names or names & outside or any(re.search(r'[*|"\\]', n or "") for n in names):
        key, names = "resourceId", {d.get("resourceId") for d in dims}
    if None in names or len(names) > _RESOURCE_FILTER_MAX:
        out["_note"] = (f"OCI includes subcompartments only when the metric compartment is the root compartment, "
                        f"and {len(inside)} streams are too many to name: this alarm sees only the resources "
                        "directly in this compartment")
        return
    values = sorted(n for n in names if n is not None)  # (no None here: see above)
    filters = [f for f in fields["filters"] if f[0] != key]
    filters.append((key, "=", values[0]) if len(values) == 1 else (key, "=~", "|".join(values)))
    fields["filters"] = filters
    out.update(metric_compartment_id=tenancy, metric_compartment_id_in_subtree=True,
               dimensions=filters_text(filters))
    out["_note"] = (f"OCI includes subcompartments only when the metric compartment is the root compartment: the "
                    f"alarm watches the {len(values)} resources of the chart's compartment and its subcompartments "
                    f"by {key} (resources added later are not included)")


# ---------------------------------------------------------------- post custom metric

def _parse_when(text) -> tuple[_dt.datetime | None, str | None]:
    """A datapoint's time: empty = now; else RFC 3339 (Z or an offset) or local 'YYYY-MM-DD HH:MM[:SS]'."""
    now = _dt.datetime.now(_dt.UTC)
    if text is None or not str(text).strip():
        return now, None
    s = str(text).strip()
    try:
        t = _dt.datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None, "Write a time as 2025-01-31T12:00:00Z (or leave empty for now)"
    if t.tzinfo is None:
        t = t.astimezone()  # local time
    t = t.astimezone(_dt.UTC)
    if t < now - _dt.timedelta(hours=2):
        return None, "Datapoints must be from the last 2 hours (OCI refuses older ones)"
    if t > now + _dt.timedelta(minutes=10):
        return None, "Datapoints may be at most 10 minutes in the future"
    return t, None


def _post_request(v: dict, ctx: FormContext) -> Request:
    dims, _err = validators.parse_dimensions(v.get("dimensions"))
    when, _err = _parse_when(v.get("timestamp"))
    md = {"unit": v["unit"].strip()} if (v.get("unit") or "").strip() else None
    data = M.MetricDataDetails(
        namespace=v["namespace"].strip(), compartment_id=v["compartment_id"], name=v["name"].strip(),
        resource_group=(v.get("resource_group") or "").strip() or None, dimensions=dims, metadata=md,
        datapoints=[M.Datapoint(timestamp=when, value=float(v["value"]), count=1)])
    LAST_POST[_tenancy(ctx)] = {k: v.get(k) for k in ("compartment_id", "namespace", "name", "resource_group",
                                                      "dimensions", "unit")}
    return Request("monitoring_ingestion", "post_metric_data",
                   M.PostMetricDataDetails(metric_data=[data], batch_atomicity="ATOMIC"), retry_token=False)


def _post_cli(v: dict, ctx: FormContext, req: Request) -> str:
    d = req.details.metric_data[0]
    obj = {"namespace": d.namespace, "compartmentId": d.compartment_id, "name": d.name, "dimensions": d.dimensions,
           "datapoints": [{"timestamp": d.datapoints[0].timestamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z",
                           "value": d.datapoints[0].value, "count": 1}]}
    if d.resource_group:
        obj["resourceGroup"] = d.resource_group
    if d.metadata:
        obj["metadata"] = d.metadata
    region = ctx.session.connection.region if ctx.session is not None else "<region>"
    return ("# custom metrics are posted to the telemetry-ingestion endpoint\n"
            "oci monitoring metric-data post \\\n"
            f"    --endpoint https://telemetry-ingestion.{region}.oraclecloud.com \\\n"
            f"    --metric-data {shlex.quote(json.dumps([obj], separators=(',', ':')))} \\\n"
            "    --batch-atomicity ATOMIC")


# tenancy -> the last metric posted there: the next post in that tenancy starts from its fields (its
# compartment means nothing in another tenancy)
LAST_POST: dict[str, dict] = {}


def _tenancy(ctx) -> str:
    return getattr(getattr(ctx, "session", None), "tenancy_id", None) or ""


def _last(name, fallback=None):
    return lambda v, c: LAST_POST.get(_tenancy(c), {}).get(name) or fallback


def _check_when(v, values, ctx):
    return _parse_when(v)[1]


def _check_value(v, values, ctx):
    return validators.number_in(v, -1e300, 1e300, "The value", whole=False)


POST_METRIC_FORM = FormSpec(
    title=N_("Post custom metric"), kind_id="monitoring.metric_data",
    fields=[
        Field("compartment_id", N_("Compartment"), "compartment", required=True, default_from=_last("compartment_id")),
        Field("namespace", N_("Namespace"), "text", required=True, default_from=_last("namespace"),
              placeholder=N_("custom_app"), validate=lambda v, *_: validators.metric_namespace(v),
              help=N_("Letters, digits and '_'; not oci_, oracle_ or oraclecloud (reserved)")),
        Field("name", N_("Metric name"), "text", required=True, default_from=_last("name"),
              placeholder=N_("QueueDepth"),
              validate=lambda v, *_: validators.metric_name(v)),
        Field("dimensions", N_("Dimensions"), "textarea", required=True, default_from=_last("dimensions"),
              placeholder=N_("service=checkout\nenv=prod"), validate=lambda v, *_: validators.metric_dimensions(v),
              help=N_("One key=value per line (1-20); the dimensions name the metric stream")),
        Field("value", N_("Value"), "number", required=True, validate=_check_value),
        Field("timestamp", N_("Time"), "text", placeholder=N_("Now (or 2025-01-31T12:00:00Z)"), validate=_check_when,
              help=N_("From 2 hours ago to 10 minutes ahead; empty is now")),
        Field("unit", N_("Unit"), "text", default_from=_last("unit"), placeholder=N_("Optional: count, ms, bytes…"),
              validate=lambda v, *_: "At most 256 characters" if v and len(v) > 256 else None),
        Field("resource_group", N_("Resource group"), "text", default_from=_last("resource_group"),
              validate=lambda v, *_: validators.metric_name(v, "A resource group") if v else None),
    ],
    build=_post_request, cli=_post_cli, describe=lambda v: f"{v.get('namespace')}/{v.get('name')}",
    submit_label=N_("Post"),
    op_title=lambda v: f"Post {v.get('namespace')}/{v.get('name')} = {v.get('value')}")


# ---------------------------------------------------------------- kinds

def _status_column(a):
    return status_of(a)


ALARMS = ResourceKind(
    id="monitoring.alarm", label=N_("Alarms"), singular=N_("Alarm"), group=N_("Observability"), icon="alarm",
    list=list_alarms, get=get_alarm, ocid_types=("alarm",), order=1,
    columns=[
        Column(N_("Name"), attr("display_name"), width=210),
        Column(N_("Severity"), attr("severity"), width=80, tone=lambda v: SEVERITY_TONE.get(v)),
        Column(N_("Status"), _status_column, width=90, tone=lambda v: STATUS_TONE.get(v)),
        Column(N_("Namespace"), attr("namespace"), width=130),
        Column(N_("Query"), attr("query"), width=320),
        Column(N_("Enabled"), attr("is_enabled"), width=60),
        Column(N_("Triggered"), attr("timestamp_triggered"), "datetime"),
    ],
    related=[Related(N_("Status"), _status_items), Related(N_("Current value"), _current_value),
             Related(N_("History (state transitions)"), _history)],
    actions=[
        Action("edit", N_("Edit"), _unused, frozenset({"ACTIVE"}), form=edit_form, icon="edit", verb=N_("Updating")),
        Action("suppress", N_("Suppress"), _unused, frozenset({"ACTIVE"}), form=suppress_form, icon="mute",
               verb=N_("Suppressing")),
        Action("remove_suppression", N_("Remove suppression"), _remove_suppression, frozenset({"ACTIVE"}), icon="alarm",
               verb=N_("Removing the suppression of")),
        Action("disable", N_("Disable"), _enable(False), frozenset({"ACTIVE"}), icon="stop", verb=N_("Disabling")),
        Action("enable", N_("Enable"), _enable(True), frozenset({"ACTIVE"}), icon="start", verb=N_("Enabling")),
        Action("delete", N_("Delete"), _delete, frozenset({"ACTIVE"}), destructive=True, confirm="name",
               target_states=frozenset({"DELETED"}), gone_ok=True, shortcut="Delete", icon="delete",
               verb=N_("Deleting")),
    ],
    create=ALARM_FORM,
    ready_states=frozenset({"ACTIVE"}),
    sdk=SdkRef("monitoring", "alarm", cli="monitoring alarm"),
)


async def _no_rows(*_a) -> list:
    return []


METRIC_DATA = ResourceKind(
    id="monitoring.metric_data", label=N_("Custom metrics"), singular=N_("Metric data"), group=N_("Observability"),
    icon="metric", list=_no_rows, get=None, scope="hidden", columns=[Column(N_("Name"), attr("name"))],
    create=POST_METRIC_FORM, name_attr="name")

KINDS = [ALARMS, METRIC_DATA]
