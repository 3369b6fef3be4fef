"""Monitoring kinds: alarms (with their status, history and current value; create, edit,
suppress, enable/disable, delete) and the "Post custom metric" form.

An alarm row is the alarm joined with its status (`list_alarms` + `list_alarms_status` of the
compartment, two calls), firing ones first. Editing and suppressing are actions that open the
generic form dialog (`Action.form`). Posting a custom metric is a form whose request is not a
create (`submit_label="Post"`, no retry token: PostMetricData takes none).
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import json
import re
import shlex
import time

from ..core.errors import OciError
from ..core.sdk import models as sdk_models
from ..services import monitoring as svc
from . import mql as mqlcheck
from . import validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command
from .model import Action, Column, Related, RelatedItem, ResourceKind, attr

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
                    ("rate", "Rate"), ("p95", "P95"), ("p99", "P99"), ("absent", "Absent (no data)")]
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
    return a <= _dt.datetime.now(_dt.timezone.utc) <= b


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
            except OciError:
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
        except OciError:
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
        now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
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
            Field("duration", "Suppress for", "enum", required=True, default="PT1H",
                  options=[Option(v, label) for v, label in SUPPRESS_FOR],
                  help="Notifications stop from now until then; the alarm shows SUSPENDED meanwhile"),
            Field("description", "Reason", "text", placeholder="Maintenance window, CHG-1234…",
                  validate=lambda v, *_: "At most 4,000 characters" if v and len(v) > 4000 else None),
        ],
        build=build, cli=cli, describe=lambda v: alarm.display_name, submit_label="Suppress",
        op_title=lambda v: f"Suppress alarm {alarm.display_name} for "
                           f"{dict(SUPPRESS_FOR).get(v.get('duration') or 'PT1H', v.get('duration'))}")


def edit_form(alarm) -> FormSpec:
    return alarm_form(alarm)


# ---------------------------------------------------------------- the alarm form (create and edit)

async def _namespaces(ctx: FormContext, values) -> list[Option]:
    comp = values.get("metric_compartment_id") or ctx.compartment_id
    sub = bool(values.get("metric_compartment_id_in_subtree")) and comp == ctx.tenancy_id
    names = await svc.namespaces(ctx.session, comp, sub)
    current = values.get("namespace")
    if current and current not in names:  # an alarm on a namespace with no recent data keeps it
        names = sorted([*names, current])
    return [Option(n, n) for n in names]


async def _metrics(ctx: FormContext, values) -> list[Option]:
    ns = values.get("namespace")
    if not ns:
        return []
    comp = values.get("metric_compartment_id") or ctx.compartment_id
    sub = bool(values.get("metric_compartment_id_in_subtree")) and comp == ctx.tenancy_id
    return [Option(n, n) for n in await svc.metric_names(ctx.session, comp, ns, sub)]


def _compose(values, ctx) -> str | None:
    """The query the builder fields describe: Metric[interval].statistic() <operator> <threshold>."""
    metric = values.get("metric")
    if not metric:
        return None
    stat = values.get("statistic") or "mean"
    interval = values.get("interval") or "1m"
    if stat == "absent":
        return f"{metric}[{interval}].groupBy(resourceId).absent()"
    thr = values.get("threshold")
    pred = f"{values.get('operator') or '>'} {thr:g}" if isinstance(thr, (int, float)) else ""
    return svc.mql(metric, interval, stat, predicate=pred)


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
              ("--destinations", json.dumps(d.destinations)), ("--is-enabled", d.is_enabled),
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


def alarm_form(alarm=None) -> FormSpec:
    """Create an alarm (alarm None) or edit one: a query typed in MQL (checked as you type) or built
    from a metric, a statistic and a trigger rule."""
    editing = alarm is not None

    def dflt(name, fallback=None):
        return getattr(alarm, name, fallback) if editing else fallback

    fields = [
        Field("display_name", "Name", "text", required=True, default=dflt("display_name"), validate=_check_name),
    ]
    if not editing:
        fields.append(Field("compartment_id", "Compartment", "compartment", required=True,
                            help="Where the alarm lives"))
    fields += [
        Field("metric_compartment_id", "Metric compartment", "compartment", required=True,
              default=dflt("metric_compartment_id"),
              default_from=None if editing else (lambda v, c: v.get("compartment_id")),
              depends_on=() if editing else ("compartment_id",), help="Where the metric's resources are"),
        Field("metric_compartment_id_in_subtree", "Include the tenancy's subcompartments", "bool",
              default=bool(dflt("metric_compartment_id_in_subtree", False)), depends_on=("metric_compartment_id",),
              visible=lambda v, c: v.get("metric_compartment_id") == c.tenancy_id),
        Field("namespace", "Metric namespace", "choice", required=True, options=_namespaces,
              default=dflt("namespace"),
              depends_on=("metric_compartment_id", "metric_compartment_id_in_subtree")),
    ]
    if not editing:
        fields += [
            Field("metric", "Metric", "choice", options=_metrics, depends_on=("namespace",),
                  help="Builds the query below; or type the query yourself"),
            Field("statistic", "Statistic", "enum", default="mean",
                  options=[Option(s, label) for s, label in ALARM_STATISTICS]),
            Field("interval", "Interval", "enum", default="1m",
                  options=[Option(i, i) for i in ("1m", "5m", "10m", "15m", "30m", "1h")]),
            Field("operator", "Trigger when", "enum", default=">", options=[Option(o, label) for o, label in OPERATORS],
                  visible=lambda v, c: v.get("statistic") != "absent"),
            Field("threshold", "Threshold", "number", default=80,
                  visible=lambda v, c: v.get("statistic") != "absent"),
        ]
    fields += [
        Field("query", "Query (MQL)", "mql", required=True, default=dflt("query"),
              default_from=None if editing else _compose,
              depends_on=() if editing else ("metric", "statistic", "interval", "operator", "threshold"),
              placeholder='CpuUtilization[1m]{resourceDisplayName = "web-01"}.mean() > 80', validate=_check_query,
              help="Metric[interval]{dimension filters}.statistic() and a trigger rule such as > 80"),
        Field("severity", "Severity", "enum", required=True, default=dflt("severity", "CRITICAL"),
              options=[Option(s, s.title()) for s in SEVERITIES]),
        Field("pending_duration", "Trigger delay", "enum", required=True, default=dflt("pending_duration", "PT5M"),
              options=[Option(p, label) for p, label in PENDING],
              help="How long the condition must hold before the alarm fires"),
        Field("body", "Alarm body", "textarea", default=dflt("body"), placeholder="What to do when it fires",
              validate=lambda v, *_: "At most 1,000 characters" if v and len(v) > 1000 else None),
        Field("destinations", "Destinations", "textarea", required=True,
              default="\n".join(dflt("destinations", []) or []) or None,
              placeholder="ocid1.onstopic.oc1...", validate=lambda v, *_: validators.alarm_destinations(v),
              help="Notifications topic (and/or stream) OCIDs, one per line"),
        Field("is_enabled", "Enabled", "bool", default=bool(dflt("is_enabled", True))),
    ]

    def build(v: dict, ctx: FormContext) -> Request:
        if editing:
            return Request("monitoring", "update_alarm", _alarm_details(v, ctx, True), args=(alarm.id,),
                           retry_token=False)
        return Request("monitoring", "create_alarm", _alarm_details(v, ctx, False))

    return FormSpec(
        title=f"Edit alarm {alarm.display_name}" if editing else "Create alarm", kind_id="monitoring.alarm",
        fields=fields, build=build, cli=lambda v, c, r: _alarm_cli(alarm, v, c, r),
        describe=lambda v: v.get("display_name") or "", submit_label="Save" if editing else "Create",
        op_title=(lambda v: f"Update alarm {v.get('display_name') or alarm.display_name}") if editing else None)


ALARM_FORM = alarm_form()


# ---------------------------------------------------------------- post custom metric

def _parse_when(text) -> tuple[_dt.datetime | None, str | None]:
    """A datapoint's time: empty = now; else RFC 3339 (Z or an offset) or local 'YYYY-MM-DD HH:MM[:SS]'."""
    now = _dt.datetime.now(_dt.timezone.utc)
    if text is None or not str(text).strip():
        return now, None
    s = str(text).strip()
    try:
        t = _dt.datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None, "Write a time as 2025-01-31T12:00:00Z (or leave empty for now)"
    if t.tzinfo is None:
        t = t.astimezone()  # local time
    t = t.astimezone(_dt.timezone.utc)
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
    LAST_POST.update({k: v.get(k) for k in ("compartment_id", "namespace", "name", "resource_group", "dimensions",
                                            "unit")})
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


LAST_POST: dict = {}  # the last posted metric's fields: the next post starts from them


def _last(name, fallback=None):
    return lambda v, c: LAST_POST.get(name) or fallback


def _check_when(v, values, ctx):
    return _parse_when(v)[1]


def _check_value(v, values, ctx):
    return validators.number_in(v, -1e300, 1e300, "The value", whole=False)


POST_METRIC_FORM = FormSpec(
    title="Post custom metric", kind_id="monitoring.metric_data",
    fields=[
        Field("compartment_id", "Compartment", "compartment", required=True, default_from=_last("compartment_id")),
        Field("namespace", "Namespace", "text", required=True, default_from=_last("namespace"),
              placeholder="custom_app", validate=lambda v, *_: validators.metric_namespace(v),
              help="Letters, digits and '_'; not oci_, oracle_ or oraclecloud (reserved)"),
        Field("name", "Metric name", "text", required=True, default_from=_last("name"), placeholder="QueueDepth",
              validate=lambda v, *_: validators.metric_name(v)),
        Field("dimensions", "Dimensions", "textarea", required=True, default_from=_last("dimensions"),
              placeholder="service=checkout\nenv=prod", validate=lambda v, *_: validators.metric_dimensions(v),
              help="One key=value per line (1-20); the dimensions name the metric stream"),
        Field("value", "Value", "number", required=True, validate=_check_value),
        Field("timestamp", "Time", "text", placeholder="Now (or 2025-01-31T12:00:00Z)", validate=_check_when,
              help="From 2 hours ago to 10 minutes ahead; empty is now"),
        Field("unit", "Unit", "text", default_from=_last("unit"), placeholder="Optional: count, ms, bytes…",
              validate=lambda v, *_: "At most 256 characters" if v and len(v) > 256 else None),
        Field("resource_group", "Resource group", "text", default_from=_last("resource_group"),
              validate=lambda v, *_: validators.metric_name(v, "A resource group") if v else None),
    ],
    build=_post_request, cli=_post_cli, describe=lambda v: f"{v.get('namespace')}/{v.get('name')}",
    submit_label="Post",
    op_title=lambda v: f"Post {v.get('namespace')}/{v.get('name')} = {v.get('value')}")


# ---------------------------------------------------------------- kinds

def _status_column(a):
    return status_of(a)


ALARMS = ResourceKind(
    id="monitoring.alarm", label="Alarms", singular="Alarm", group="Observability", icon="alarm",
    list=list_alarms, get=get_alarm, ocid_types=("alarm",), order=1,
    columns=[
        Column("Name", attr("display_name"), width=210),
        Column("Severity", attr("severity"), width=80, tone=lambda v: SEVERITY_TONE.get(v)),
        Column("Status", _status_column, width=90, tone=lambda v: STATUS_TONE.get(v)),
        Column("Namespace", attr("namespace"), width=130),
        Column("Query", attr("query"), width=320),
        Column("Enabled", attr("is_enabled"), width=60),
        Column("Triggered", attr("timestamp_triggered"), "datetime"),
    ],
    related=[Related("Status", _status_items), Related("Current value", _current_value),
             Related("History (state transitions)", _history)],
    actions=[
        Action("edit", "Edit", _unused, frozenset({"ACTIVE"}), form=edit_form, icon="edit", verb="Updating"),
        Action("suppress", "Suppress", _unused, frozenset({"ACTIVE"}), form=suppress_form, icon="mute",
               verb="Suppressing"),
        Action("remove_suppression", "Remove suppression", _remove_suppression, frozenset({"ACTIVE"}), icon="alarm",
               verb="Removing the suppression of"),
        Action("disable", "Disable", _enable(False), frozenset({"ACTIVE"}), icon="stop", verb="Disabling"),
        Action("enable", "Enable", _enable(True), frozenset({"ACTIVE"}), icon="start", verb="Enabling"),
        Action("delete", "Delete", _delete, frozenset({"ACTIVE"}), destructive=True, confirm="name",
               target_states=frozenset({"DELETED"}), gone_ok=True, shortcut="Delete", icon="delete",
               verb="Deleting"),
    ],
    create=ALARM_FORM,
    ready_states=frozenset({"ACTIVE"}),
)


async def _no_rows(*_a) -> list:
    return []


METRIC_DATA = ResourceKind(
    id="monitoring.metric_data", label="Custom metrics", singular="Metric data", group="Observability",
    icon="metric", list=_no_rows, get=None, scope="hidden", columns=[Column("Name", attr("name"))],
    create=POST_METRIC_FORM, name_attr="name")

KINDS = [ALARMS, METRIC_DATA]
