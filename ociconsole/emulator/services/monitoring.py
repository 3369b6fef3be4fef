"""Monitoring (`/monitoring`, `oci.monitoring.MonitoringClient`): metric queries in MQL, metric
listing, custom metric ingestion, alarms (evaluated against the data), alarm suppressions.

The ingestion call PostMetricData has its own endpoint on OCI (telemetry-ingestion...) but the same
path, so it is served here too: point the client at `<url>/monitoring` for both.

- SummarizeMetricsData: `mql.py` parses and evaluates the query over `metrics.StoreSource`
  (generated service metrics + posted streams). Returned timestamps are multiples of the
  resolution in [startTime, endTime) (defaults: endTime = now, startTime = 3 h before;
  resolution = the query's interval, as the OCI console documents; it may not exceed the
  interval). Data at a resolution reaches back 7 days (< 5m), 30 days (< 1h) or 90 days, and
  no further ahead than now (+10 min for posted points): the range is clamped to that before
  any timestamp is made, so a far endTime costs nothing. At most 2,000 streams and 100,000
  datapoints per response (else 400). The query is evaluated after the transaction, without the
  state lock, over the streams and points read under it (`Result.later`).
- PostMetricData: OCI's rules (namespace, name, resource group and dimension syntax, reserved
  namespace prefixes oci_/oracle_, timestamps from 2 h in the past to 10 min in the future,
  1-20 dimensions, <= 10 metadata entries, <= 50 streams per call) plus the emulator's limit of
  1,000 datapoints per metric object; ATOMIC rejects the call on any bad metric object,
  NON_ATOMIC stores the good ones and reports the others in `failedMetrics`.
- Alarms are evaluated lazily when their status, history or dimension states are read: every
  minute (stepping back from now) since the last evaluation, at most 2 h back. A stream breaches
  when the query returns a non-zero datapoint for it; it goes FIRING once it has breached for the
  pending duration (PT1M: at the first breach) and OK at the first evaluation without a breach.
  The alarm is FIRING while any stream is. Only the base rule is evaluated (overrides are
  validated and kept).
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import time

import numpy as np

from .. import metrics, models, mql
from ..metrics import Gen, Metric, MetricSource, StoreSource, declare
from ..protocol import ApiError, incorrect_state, invalid, looks_like_ocid, not_found, parse_json, parse_ts, ts
from ..registry import Context, Result, Service
from . import notifications
from .identity import subtree

svc = Service("monitoring")

MAX_STREAMS = 2_000
MAX_DATAPOINTS = 100_000
POST_MAX_STREAMS = 50
POST_MAX_DATAPOINTS = 1_000  # per metric object (the emulator's limit)
POST_MAX_DIMENSIONS = 20
POST_MAX_METADATA = 10
POST_PAST = 2 * 3600
POST_FUTURE = 10 * 60
DEFAULT_RANGE = 3 * 3600
ALARM_CATCHUP = 2 * 3600
ALARM_HISTORY_MAX = 1_000
ALARM_BODY_MAX = 1_000
STATE_KIND = "_alarmstate"

_NS_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9._$-]*$")
_DIM_KEY_RE = re.compile(r"^[\x21-\x7e]+$")
_RESERVED = ("oci_", "oracle_", "oraclecloud")
_ISO_RE = re.compile(r"^P(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
SEVERITIES = ("CRITICAL", "ERROR", "WARNING", "INFO")


# ---------------------------------------------------------------- oci_computeagent (generated)

def _instance_dims(doc: dict) -> dict:
    dims = {"resourceId": doc["id"], "resourceDisplayName": doc.get("displayName") or doc["id"],
            "availabilityDomain": doc.get("availabilityDomain"), "faultDomain": doc.get("faultDomain"),
            "shape": doc.get("shape"),
            "imageId": doc.get("imageId") or (doc.get("sourceDetails") or {}).get("imageId"),
            "region": doc.get("_region")}
    return {k: v for k, v in dims.items() if v}


def _instance_profile(doc: dict) -> dict:
    cfg = doc.get("shapeConfig") or {}
    vcpus = cfg.get("vcpus") or int(2 * (cfg.get("ocpus") or 1))
    return {"vcpus": float(vcpus), "memGB": float(cfg.get("memoryInGBs") or 16)}


def _cpu(g: Gen) -> np.ndarray:
    level = 100.0 * g.p("load", 0.2)
    noise = g.p("noise", 2.0)
    v = (level * (1 + g.p("swing", 0.3) * g.daily(g.p("peak", 14.0)))
         + noise * (1.5 * g.wander("cpu", 40) + 0.6 * g.jitter("cpu"))
         + g.p("spike", 1.0) * g.spikes("cpu", per_day=3, minutes=8) * (100.0 - level) * 0.7)
    return np.clip(v, 0.05, 100.0)


def _memory(g: Gen) -> np.ndarray:
    base = g.p("mem", 40.0) + 12.0 * g.p("load", 0.2)
    v = base + 4.0 * g.wander("mem", 180) + 2.0 * g.daily(g.p("peak", 14.0)) + 0.4 * g.jitter("mem") \
        + 6.0 * g.spikes("cpu", per_day=3, minutes=8)
    return np.clip(v, 1.0, 99.5)


def _load_average(g: Gen) -> np.ndarray:
    return np.maximum(0.0, _cpu(g) / 100.0 * g.p("vcpus", 2.0) * (1.0 + 0.15 * g.jitter("load")))


def _activity(g: Gen) -> np.ndarray:
    return 0.25 + g.p("load", 0.2) * (1.0 + 0.5 * g.daily(g.p("peak", 14.0))) + 0.15 * g.wander("io", 25)


def _disk_read(g: Gen) -> np.ndarray:
    level = g.p("io", 1.0) * 6e6
    return np.maximum(0.0, level * _activity(g) * (1 + 0.25 * g.jitter("dr"))
                      + level * 8 * g.spikes("dr", per_day=2, minutes=6))


def _disk_written(g: Gen) -> np.ndarray:
    level = g.p("io", 1.0) * 4e6
    backup = np.maximum(0.0, g.daily(2.0)) ** 24  # a nightly backup around 02:00 UTC
    return np.maximum(0.0, level * _activity(g) * (1 + 0.25 * g.jitter("dw")) + level * 15 * backup)


def _iops_read(g: Gen) -> np.ndarray:
    return _disk_read(g) / (32768.0 * (1 + 0.1 * g.jitter("ior")))


def _iops_written(g: Gen) -> np.ndarray:
    return _disk_written(g) / (24576.0 * (1 + 0.1 * g.jitter("iow")))


def _net_in(g: Gen) -> np.ndarray:
    level = g.p("net", 1.0) * 9e6
    return np.maximum(0.0, level * _activity(g) * (1 + 0.3 * g.jitter("ni"))
                      + level * 5 * g.spikes("net", per_day=2, minutes=5))


def _net_out(g: Gen) -> np.ndarray:
    level = g.p("net", 1.0) * 12e6
    return np.maximum(0.0, level * _activity(g) * (1 + 0.3 * g.jitter("no"))
                      + level * 4 * g.spikes("net", per_day=2, minutes=5))


# Declared here because compute.py predates metrics.py; a service declares its namespace in its own module.
COMPUTE_AGENT = declare(MetricSource(
    namespace="oci_computeagent",
    kind="instance",
    reports_in={"RUNNING"},
    dimensions=_instance_dims,
    profile=_instance_profile,
    metrics=[
        Metric("CpuUtilization", "percent", _cpu, "CPU Utilization"),
        Metric("MemoryUtilization", "percent", _memory, "Memory Utilization"),
        Metric("LoadAverage", "count", _load_average, "Load Average"),
        Metric("DiskBytesRead", "bytes", _disk_read, "Disk Read Bytes"),
        Metric("DiskBytesWritten", "bytes", _disk_written, "Disk Write Bytes"),
        Metric("DiskIopsRead", "operations", _iops_read, "Disk Read I/O"),
        Metric("DiskIopsWritten", "operations", _iops_written, "Disk Write I/O"),
        Metric("NetworksBytesIn", "bytes", _net_in, "Network Receive Bytes"),
        Metric("NetworksBytesOut", "bytes", _net_out, "Network Transmit Bytes"),
    ],
))


# ---------------------------------------------------------------- helpers

def _compartments(ctx: Context, comp_id: str, in_subtree: bool | None, name: str = "compartmentId") -> list[str]:
    ctx.compartment(comp_id, name)
    if not in_subtree:
        return [comp_id]
    if comp_id != ctx.tenancy_id:
        raise invalid("compartmentIdInSubtree can only be true when compartmentId is the tenancy's OCID")
    return [comp_id] + [c["id"] for c in subtree(ctx, comp_id) if c.get("lifecycleState") != "DELETED"]


def _check_namespace(ns, where: str, custom: bool = False) -> str:
    if not isinstance(ns, str) or not _NS_RE.match(ns) or len(ns) > 255:
        raise invalid(f"{where}: '{str(ns)[:80]}' is not a valid namespace: it must start with a letter and hold "
                      "only letters, digits and underscores (at most 255 characters)")
    if custom and ns.lower().startswith(_RESERVED):
        raise invalid(f"{where}: '{ns}' uses a reserved prefix; custom metric namespaces cannot start with "
                      "'oci_' or 'oracle_'")
    return ns


def _check_name(value, where: str, what: str) -> str:
    if not isinstance(value, str) or not _NAME_RE.match(value) or len(value) > 255:
        raise invalid(f"{where}: '{str(value)[:80]}' is not a valid {what}: it must start with a letter and hold only "
                      "letters, digits, '.', '_', '-' and '$' (at most 255 characters)")
    return value


def _parse_query(text, where: str = "query") -> mql.Node:
    try:
        return mql.parse(text)
    except mql.MqlError as e:
        caret = ""
        if isinstance(text, str) and len(text) <= 300:
            caret = f" [{text[:e.column - 1]} >>>{text[e.column - 1:]}]"
        raise invalid(f"{where}: {e}{caret}") from None


def _fmt_dur(secs: int) -> str:
    if secs % 86400 == 0:
        return f"{secs // 86400}d"
    if secs % 3600 == 0:
        return f"{secs // 3600}h"
    return f"{secs // 60}m"


def iso_seconds(text) -> int | None:
    """Seconds of an ISO 8601 duration (PT5M, PT1H, P30D, P1DT2H); None if not one."""
    if not isinstance(text, str):
        return None
    m = _ISO_RE.match(text.strip())
    if not m or text.strip() in ("P", "PT") or not any(m.groups()):
        return None
    d, h, mi, s = (int(x) if x else 0 for x in m.groups())
    return d * 86400 + h * 3600 + mi * 60 + s


def _check_duration(value, where: str, lo: int, hi: int, lo_text: str, hi_text: str) -> str:
    secs = iso_seconds(value)
    if secs is None:
        raise invalid(f"{where}: '{str(value)[:40]}' is not an ISO 8601 duration such as PT5M or PT1H")
    if not lo <= secs <= hi:
        raise invalid(f"{where}: {value} is out of range; it must be between {lo_text} and {hi_text}")
    return value


def _time(value, where: str) -> float:
    try:
        return parse_ts(value)
    except (TypeError, ValueError):
        raise invalid(f"{where}: '{str(value)[:40]}' is not an RFC 3339 timestamp") from None


def _reach(resolution: int) -> int:
    if resolution < 300:
        return 7 * 86400
    if resolution < 3600:
        return 30 * 86400
    return 90 * 86400


# ---------------------------------------------------------------- metric data

@svc.op("summarize_metrics_data")
def summarize_metrics_data(ctx: Context):
    b = ctx.body
    comps = _compartments(ctx, ctx.query["compartmentId"], ctx.query.get("compartmentIdInSubtree"))
    ns = _check_namespace(ctx.require(b.get("namespace"), "namespace"), "namespace")
    rg = b.get("resourceGroup")
    if rg is not None:
        _check_name(rg, "resourceGroup", "resource group")
    if b.get("query") is None:
        raise ApiError(400, "MissingParameter", "query is required")
    node = _parse_query(b["query"])
    now = ctx.now
    end = _time(b["endTime"], "endTime") if b.get("endTime") else now
    start = _time(b["startTime"], "startTime") if b.get("startTime") else end - DEFAULT_RANGE
    if start >= end:
        raise invalid("startTime must be before endTime")
    shortest = min(q.interval for q in mql.leaves(node))
    if b.get("resolution"):
        res = mql.interval_seconds(b["resolution"])
        if res is None:
            raise invalid(f"resolution: '{b['resolution'][:20]}' is not valid; use 1m-60m, 1h-24h or 1d")
        if res > shortest:
            raise invalid(f"resolution ({b['resolution']}) must not be greater than the query's interval "
                          f"({_fmt_dur(shortest)})")
        res_text = b["resolution"]
    else:
        res, res_text = shortest, _fmt_dur(shortest)
    # no data is older than the resolution's retention, nor newer than now (posted datapoints: 10 min
    # ahead at most): the range is clamped to that before any timestamp is made, so that a far
    # endTime (year 9999) costs nothing
    lo, hi = max(start, now - _reach(res)), min(end, now + POST_FUTURE + res)
    try:
        times = mql.grid(lo, hi, res, max_points=MAX_DATAPOINTS)
    except mql.MqlLimit as e:
        raise invalid(str(e)) from None
    src = _Snapshot(StoreSource(ctx.store, ctx.region, comps, ns, rg, now), node)
    # evaluated after the transaction, without the state lock: a 90-day query takes a second or more
    return Result(later=lambda: _summarize(node, src, times, res, res_text, ns, comps[0]))


class _Snapshot:
    """A DataSource read under the state lock (the streams of the query's metrics and the posted
    points they may need), evaluated later without it. Documents are replaced, never changed in
    place, so the references kept here stay as they were read."""

    def __init__(self, src: StoreSource, node: mql.Node):
        self.now = src.now
        self._streams: dict[str, list[mql.Stream]] = {}
        docs: dict[tuple[str, str], dict] = {}
        for metric in {q.metric for q in mql.leaves(node)}:
            streams = src.streams(metric)
            for s in streams:
                if isinstance(s.loader, metrics.PostedLoader):
                    for h in s.ref.get("buckets", []):
                        key = (metrics.POINTS_KIND, f"{s.ref['id']}:{h}")
                        doc = src.store.get(*key)
                        if doc is not None:
                            docs[key] = doc
            self._streams[metric] = streams
        posted = metrics.PostedLoader(self)
        for metric, streams in self._streams.items():
            self._streams[metric] = [dataclasses.replace(s, loader=posted)
                                     if isinstance(s.loader, metrics.PostedLoader) else s for s in streams]
        self._docs = docs

    def get(self, kind: str, ident: str) -> dict | None:  # the store's read, for PostedLoader
        return self._docs.get((kind, ident))

    def streams(self, metric: str) -> list[mql.Stream]:
        return self._streams.get(metric, [])


def _summarize(node: mql.Node, src, times: np.ndarray, res: int, res_text: str, ns: str, comp: str) -> list[dict]:
    try:
        series = mql.evaluate(node, src, times, res, compartment_id=comp, max_streams=MAX_STREAMS,
                              max_points=MAX_DATAPOINTS)
    except mql.MqlLimit as e:
        raise invalid(str(e)) from None
    stamps = [ts(t) for t in times.tolist()]
    out = []
    for s in sorted(series, key=lambda s: (s.name, s.key)):
        ok = ~np.isnan(s.values)
        if not ok.any():
            continue
        idx = np.flatnonzero(ok).tolist()
        vals = s.values[ok].tolist()
        d = {"namespace": ns, "compartmentId": s.compartment_id, "name": s.name, "dimensions": s.dims,
             "metadata": s.metadata, "resolution": res_text,
             "aggregatedDatapoints": [{"timestamp": stamps[i], "value": v} for i, v in zip(idx, vals, strict=True)]}
        if s.resource_group:
            d["resourceGroup"] = s.resource_group
        out.append(d)
    return out


@svc.op("list_metrics")
def list_metrics(ctx: Context):
    comps = _compartments(ctx, ctx.query["compartmentId"], ctx.query.get("compartmentIdInSubtree"))
    b = ctx.body or {}
    ns = b.get("namespace")
    if ns is not None:
        _check_namespace(ns, "namespace")
    rg = b.get("resourceGroup")
    src = StoreSource(ctx.store, ctx.region, comps, ns, StoreSource.ANY if rg is None else rg, ctx.now)
    defs = src.definitions()
    if b.get("name"):
        defs = [d for d in defs if d["name"] == b["name"]]
    group_by = b.get("groupBy")
    if group_by:
        bad = [f for f in group_by if f not in ("namespace", "name", "resourceGroup")]
        if bad:
            raise invalid(f"groupBy: '{bad[0]}' is not supported; use namespace, name or resourceGroup")
        seen: dict[tuple, dict] = {}
        for d in defs:
            key = tuple(d.get(f) for f in group_by)
            if key not in seen:
                seen[key] = {f: d[f] for f in group_by if d.get(f) is not None}
        defs = list(seen.values())
    elif b.get("dimensionFilters"):
        want = b["dimensionFilters"]
        defs = [d for d in defs if all(d["dimensions"].get(k) == v for k, v in want.items())]
    field = {"NAMESPACE": "namespace", "NAME": "name", "RESOURCEGROUP": "resourceGroup"}.get(
        b.get("sortBy") or "NAMESPACE", "namespace")
    defs.sort(key=lambda d: (d.get(field) or "", d.get("namespace") or "", d.get("name") or "",
                             json.dumps(d.get("dimensions") or {}, sort_keys=True)),
              reverse=(b.get("sortOrder") == "DESC"))
    return defs


def _check_metric(ctx: Context, m: dict, now: float) -> str | None:
    """Why a posted metric object is refused (None if it is fine)."""
    try:
        _check_namespace(m.get("namespace"), "namespace", custom=True)
        _check_name(m.get("name"), "name", "metric name")
        if m.get("resourceGroup") is not None:
            _check_name(m["resourceGroup"], "resourceGroup", "resource group")
    except ApiError as e:
        return e.message
    comp = ctx.store.get("compartment", m.get("compartmentId") or "")
    if comp is None or comp.get("lifecycleState") != "ACTIVE":
        return f"compartmentId: compartment {m.get('compartmentId')} does not exist or is not active"
    dims = m.get("dimensions") or {}
    if not 1 <= len(dims) <= POST_MAX_DIMENSIONS:
        return f"dimensions: a metric needs 1 to {POST_MAX_DIMENSIONS} dimensions, got {len(dims)}"
    for k, v in dims.items():
        if not k or len(k) > 256 or not _DIM_KEY_RE.match(k):
            return (f"dimensions: the key '{k[:60]}' is not valid: 1-256 printable ASCII characters "
                    "without spaces")
        if not isinstance(v, str) or not v or len(v) > 512:
            return f"dimensions.{k[:60]}: the value must be 1-512 characters"
    md = m.get("metadata") or {}
    if len(md) > POST_MAX_METADATA:
        return f"metadata: at most {POST_MAX_METADATA} entries are allowed, got {len(md)}"
    for k, v in md.items():
        if not k or len(k) > 256:
            return f"metadata: the key '{k[:60]}' must be 1-256 characters"
        if not isinstance(v, str) or len(v) > 256:
            return f"metadata.{k[:60]}: the value must be at most 256 characters"
    points = m.get("datapoints") or []
    if not points:
        return "datapoints: at least one datapoint is required"
    if len(points) > POST_MAX_DATAPOINTS:
        return f"datapoints: at most {POST_MAX_DATAPOINTS:,} datapoints per metric object, got {len(points):,}"
    for i, p in enumerate(points):
        t = parse_ts(p["timestamp"])
        if t < now - POST_PAST:
            return (f"datapoints[{i}].timestamp {p['timestamp']} is more than 2 hours in the past; "
                    "datapoints must be from the last 2 hours up to 10 minutes in the future")
        if t > now + POST_FUTURE:
            return (f"datapoints[{i}].timestamp {p['timestamp']} is more than 10 minutes in the future; "
                    "datapoints must be from the last 2 hours up to 10 minutes in the future")
        v = p.get("value")
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
            return f"datapoints[{i}].value must be a finite number"
        c = p.get("count")
        if c is not None and c < 1:
            return f"datapoints[{i}].count must be greater than zero, got {c}"
    return None


def _stream_key(m: dict) -> tuple:
    return (m.get("namespace"), m.get("compartmentId"), m.get("resourceGroup"), m.get("name"),
            tuple(sorted((m.get("dimensions") or {}).items())))


@svc.op("post_metric_data")
def post_metric_data(ctx: Context):
    b = ctx.body
    items = b.get("metricData") or []
    if not items:
        raise invalid("metricData must hold at least one metric object")
    streams = {_stream_key(m) for m in items}
    if len(streams) > POST_MAX_STREAMS:
        raise invalid(f"metricData holds {len(streams)} unique metric streams; at most {POST_MAX_STREAMS} are "
                      "allowed per call")
    now = ctx.now
    atomic = b.get("batchAtomicity") == "ATOMIC"
    failed = []
    good = []
    for i, m in enumerate(items):
        why = _check_metric(ctx, m, now)
        if why is None:
            good.append(m)
        else:
            failed.append((i, m, why))
    if failed and (atomic or not good):
        i, _m, why = failed[0]
        more = f" ({len(failed)} of {len(items)} metric objects failed validation)" if len(failed) > 1 else ""
        mode = "batchAtomicity is ATOMIC" if atomic else "no metric object passed validation"
        raise invalid(f"metricData[{i}]: {why}{more}; nothing was posted ({mode})")
    for m in good:
        pts = [(parse_ts(p["timestamp"]), float(p["value"]), float(p.get("count") or 1)) for p in m["datapoints"]]
        metrics.store_points(ctx.store, ctx.region, m, pts, now)
    last = ctx.store.meta("monitoring_expired_at", 0.0)
    if now - last > 3600:
        metrics.expire_posted(ctx.store, now)
        ctx.store.set_meta("monitoring_expired_at", now)
    return {"failedMetricsCount": len(failed),
            "failedMetrics": [{"message": why, "metricData": m} for _i, m, why in failed]}


# ---------------------------------------------------------------- alarms: validation

def _check_destinations(dests) -> list[str]:
    if not dests:
        raise ApiError(400, "MissingParameter", "destinations: at least one destination (a Notifications topic "
                                                "or a Streaming stream OCID) is required")
    kinds = {}
    for i, d in enumerate(dests):
        if not looks_like_ocid(d, "onstopic") and not looks_like_ocid(d, "stream"):
            raise invalid(f"destinations[{i}]: '{str(d)[:80]}' is not the OCID of a Notifications topic "
                          "(ocid1.onstopic...) or a stream (ocid1.stream...)")
        kind = d.split(".")[1]
        if kind in kinds:
            raise invalid("destinations: only one destination per service (one topic, one stream) is allowed")
        kinds[kind] = d
    return list(dests)


def _check_alarm_query(text, where: str) -> mql.Node:
    node = _parse_query(text, where)
    for q in mql.leaves(node):
        if q.predicate is None and q.stat != "absent":
            raise invalid(f"{where}: an alarm query needs a trigger rule: a predicate such as '> 80' or "
                          f"'in (60, 80)', or the absent() statistic (missing after '{q.metric}[...]...{q.stat}()')")
    return node


def _check_suppression(sup: dict | None, where: str = "suppression") -> dict | None:
    if sup is None:
        return None
    a, b = _time(sup["timeSuppressFrom"], f"{where}.timeSuppressFrom"), \
        _time(sup["timeSuppressUntil"], f"{where}.timeSuppressUntil")
    if b <= a:
        raise invalid(f"{where}: timeSuppressUntil must be after timeSuppressFrom")
    if sup.get("description") is not None and len(sup["description"]) > 4000:
        raise invalid(f"{where}.description must be at most 4,000 characters")
    return sup


def _check_alarm(ctx: Context, d: dict) -> None:
    name = d.get("displayName")
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise invalid("displayName must be 1-255 characters")
    ctx.compartment(d["compartmentId"])
    ctx.compartment(d["metricCompartmentId"], "metricCompartmentId")
    if d.get("metricCompartmentIdInSubtree") and d["metricCompartmentId"] != ctx.tenancy_id:
        raise invalid("metricCompartmentIdInSubtree can only be true when metricCompartmentId is the tenancy's OCID")
    _check_namespace(d.get("namespace"), "namespace")
    if d.get("resourceGroup") is not None:
        _check_name(d["resourceGroup"], "resourceGroup", "resource group")
    _check_alarm_query(d.get("query"), "query")
    if d.get("resolution") not in (None, "1m"):
        raise invalid(f"resolution: '{d['resolution']}' is not supported for alarms; the only value is 1m")
    if d.get("pendingDuration") is not None:
        _check_duration(d["pendingDuration"], "pendingDuration", 60, 3600, "PT1M", "PT1H")
    if d.get("severity") not in SEVERITIES:
        raise invalid(f"severity: '{d.get('severity')}' is not one of {', '.join(SEVERITIES)}")
    if d.get("body") is not None and len(d["body"]) > ALARM_BODY_MAX:
        raise invalid(f"body must be at most {ALARM_BODY_MAX:,} characters, got {len(d['body']):,}")
    _check_destinations(d.get("destinations"))
    if d.get("repeatNotificationDuration") is not None:
        _check_duration(d["repeatNotificationDuration"], "repeatNotificationDuration", 60, 30 * 86400, "PT1M", "P30D")
    if d.get("evaluationSlackDuration") is not None:
        _check_duration(d["evaluationSlackDuration"], "evaluationSlackDuration", 180, 7200, "PT3M", "PT2H")
    if d.get("notificationVersion") is not None and not re.match(r"^\d{1,4}\.X$", d["notificationVersion"]):
        raise invalid("notificationVersion must be a number of up to four digits followed by '.X', as in 1.X")
    if d.get("notificationTitle") is not None and len(d["notificationTitle"]) > 255:
        raise invalid("notificationTitle must be at most 255 characters")
    _check_suppression(d.get("suppression"))
    rules = {d.get("ruleName") or "BASE"}
    for i, o in enumerate(d.get("overrides") or []):
        where = f"overrides[{i}]"
        rn = o.get("ruleName")
        if not rn:
            raise ApiError(400, "MissingParameter", f"{where}.ruleName is required")
        if rn in rules:
            raise invalid(f"{where}.ruleName '{rn}' is used twice; rule names must be unique")
        rules.add(rn)
        if o.get("query") is not None:
            _check_alarm_query(o["query"], f"{where}.query")
        if o.get("pendingDuration") is not None:
            _check_duration(o["pendingDuration"], f"{where}.pendingDuration", 60, 3600, "PT1M", "PT1H")
        if o.get("severity") is not None and o["severity"] not in SEVERITIES:
            raise invalid(f"{where}.severity: '{o['severity']}' is not one of {', '.join(SEVERITIES)}")
        if o.get("body") is not None and len(o["body"]) > ALARM_BODY_MAX:
            raise invalid(f"{where}.body must be at most {ALARM_BODY_MAX:,} characters")


ALARM_FIELDS = ("displayName", "compartmentId", "metricCompartmentId", "metricCompartmentIdInSubtree", "namespace",
                "resourceGroup", "query", "resolution", "pendingDuration", "severity", "body",
                "isNotificationsPerMetricDimensionEnabled", "messageFormat", "destinations",
                "repeatNotificationDuration", "suppression", "isEnabled", "overrides", "ruleName",
                "notificationVersion", "notificationTitle", "evaluationSlackDuration", "alarmSummary")
# changes that make earlier evaluations meaningless
_RESET_FIELDS = ("metricCompartmentId", "metricCompartmentIdInSubtree", "namespace", "resourceGroup", "query",
                 "pendingDuration", "isEnabled")


# ---------------------------------------------------------------- alarms: CRUD

@svc.op("create_alarm")
def create_alarm(ctx: Context):
    b = ctx.body
    d = {k: b[k] for k in ALARM_FIELDS if b.get(k) is not None}
    d.setdefault("metricCompartmentIdInSubtree", False)
    d.setdefault("resolution", "1m")
    d.setdefault("pendingDuration", "PT1M")
    d.setdefault("messageFormat", "RAW")
    d.setdefault("isNotificationsPerMetricDimensionEnabled", False)
    d.setdefault("ruleName", "BASE")
    d.setdefault("notificationVersion", "1.X")
    d.setdefault("evaluationSlackDuration", "PT3M")
    _check_alarm(ctx, d)
    notifications.check_destinations(ctx, d.get("destinations"))  # topics that exist (404)
    d.update(ctx.tags(b))
    d.setdefault("freeformTags", {})
    d.setdefault("definedTags", {})
    t = ctx.ts()
    d.update(id=ctx.new_id("alarm"), lifecycleState="ACTIVE", timeCreated=t, timeUpdated=t, _region=ctx.region)
    doc = ctx.put("alarm", d)
    ctx.put(STATE_KIND, _new_state(doc, ctx.now))
    return doc


def _alarm(ctx: Context, ident: str, write: bool = False) -> dict:
    return (ctx.get_for_write if write else ctx.get)("alarm", ident, "alarm")


@svc.op("get_alarm")
def get_alarm(ctx: Context):
    return _alarm(ctx, ctx.path["alarmId"])


def _alarms_in(ctx: Context) -> list[dict]:
    comps = _compartments(ctx, ctx.query["compartmentId"], ctx.query.get("compartmentIdInSubtree"))
    out = []
    for c in comps:
        out.extend(ctx.list("alarm", c))
    return out


@svc.op("list_alarms")
def list_alarms(ctx: Context):
    docs = _alarms_in(ctx)
    if not ctx.query.get("lifecycleState"):
        docs = [d for d in docs if d["lifecycleState"] == "ACTIVE"]
    return docs


@svc.op("update_alarm")
def update_alarm(ctx: Context):
    doc = _alarm(ctx, ctx.path["alarmId"], write=True)
    if doc["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"Alarm is {doc['lifecycleState']}")
    b = ctx.body or {}
    changes = {k: b[k] for k in ALARM_FIELDS if b.get(k) is not None}
    merged = dict(doc)
    merged.update(changes)
    _check_alarm(ctx, merged)
    notifications.check_destinations(ctx, changes.get("destinations"))  # new destinations must exist
    changes.update(ctx.tags(b))
    changes["timeUpdated"] = ctx.ts()
    reset = any(k in changes and changes[k] != doc.get(k) for k in _RESET_FIELDS)
    new = ctx.update("alarm", doc["id"], changes)
    if reset:
        st = _state(ctx, new)
        if st["status"] == "FIRING":
            _transition(st, new, "OK", ctx.now, 0)
        st.update(status="OK", streams={}, at=ctx.now)
        ctx.put(STATE_KIND, st)
    return new


@svc.op("delete_alarm")
def delete_alarm(ctx: Context):
    doc = _alarm(ctx, ctx.path["alarmId"], write=True)
    if doc["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"Alarm is {doc['lifecycleState']}")
    ctx.update("alarm", doc["id"], {"lifecycleState": "DELETING", "timeUpdated": ctx.ts()})
    ctx.schedule("alarm", doc["id"], {"lifecycleState": "DELETED"}, steps=1, when_state="DELETING")
    return None


@svc.op("change_alarm_compartment")
def change_alarm_compartment(ctx: Context):
    doc = _alarm(ctx, ctx.path["alarmId"], write=True)
    if doc["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"Alarm is {doc['lifecycleState']}")
    comp = ctx.compartment(ctx.body["compartmentId"])
    ctx.update("alarm", doc["id"], {"compartmentId": comp["id"], "timeUpdated": ctx.ts()})
    return None


@svc.op("remove_alarm_suppression")
def remove_alarm_suppression(ctx: Context):
    doc = _alarm(ctx, ctx.path["alarmId"], write=True)
    if doc["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"Alarm is {doc['lifecycleState']}")
    new = dict(doc)
    new.pop("suppression", None)
    new["timeUpdated"] = ctx.ts()
    ctx.put("alarm", new)
    return None


# ---------------------------------------------------------------- alarms: evaluation

def _new_state(alarm: dict, at: float) -> dict:
    st = {"id": alarm["id"], "at": at, "status": "OK", "since": at, "streams": {}, "history": []}
    st["history"].append({"t": at, "kind": "STATE", "status": "OK", "summary": "The alarm state is OK",
                          "alarmSummary": _summary(alarm, "OK", 0), "triggered": None})
    return st


def _state(ctx: Context, alarm: dict) -> dict:
    st = ctx.store.get(STATE_KIND, alarm["id"])
    if st is None:
        return _new_state(alarm, parse_ts(alarm["timeCreated"]))
    return json.loads(json.dumps({k: v for k, v in st.items() if not k.startswith("_")}))


def _pending_text(secs: int) -> str:
    if secs % 3600 == 0:
        n = secs // 3600
        return f"{n} hour" + ("s" if n != 1 else "")
    n = max(1, secs // 60)
    return f"{n} minute" + ("s" if n != 1 else "")


def _summary(alarm: dict, status: str, n: int) -> str:
    if alarm.get("alarmSummary"):
        return alarm["alarmSummary"]
    pending = iso_seconds(alarm.get("pendingDuration") or "PT1M") or 60
    shown = "FIRING" if status == "FIRING" else "OK"
    return (f'Alarm "{alarm["displayName"]}" is in a "{shown}" state; because {n} metrics meet the trigger rule: '
            f'"{alarm["query"]}", with a trigger delay of {_pending_text(pending)}')


def _transition(st: dict, alarm: dict, status: str, t: float, n: int) -> None:
    old = st["status"]
    words = {"FIRING": "Firing", "OK": "OK"}
    summary = _summary(alarm, status, n)
    st["history"].append({"t": t, "kind": "TRANSITION", "status": status, "alarmSummary": summary,
                          "summary": f"State transitioned from {words[old]} to {words[status]}", "triggered": t})
    st["history"].append({"t": t, "kind": "STATE", "status": status, "alarmSummary": summary,
                          "summary": f"The alarm state is {status}", "triggered": None})
    st["history"] = st["history"][-ALARM_HISTORY_MAX:]
    st["status"] = status
    st["since"] = t


def _advance(ctx: Context, alarm: dict) -> dict:
    """Evaluate `alarm` at every minute since its last evaluation (at most ALARM_CATCHUP back)."""
    st = _state(ctx, alarm)
    now = ctx.now
    if alarm["lifecycleState"] != "ACTIVE" or not alarm.get("isEnabled"):
        return st
    start = max(float(st["at"]), now - ALARM_CATCHUP)
    steps = int(math.floor((now - start) / 60.0 - 1e-9))
    if now <= start:
        return st
    times = now - 60.0 * np.arange(max(steps, 0), -1, -1, dtype=np.float64)
    times = times[times > start]
    node = mql.parse(alarm["query"])
    comps = [alarm["metricCompartmentId"]]
    if alarm.get("metricCompartmentIdInSubtree"):
        comps += [c["id"] for c in subtree(ctx, alarm["metricCompartmentId"])]
    src = StoreSource(ctx.store, alarm.get("_region") or ctx.region, comps, alarm["namespace"],
                      alarm.get("resourceGroup"), now)
    try:
        series = mql.evaluate(node, src, times, 60, compartment_id=alarm["metricCompartmentId"],
                              max_streams=MAX_STREAMS)
    except mql.MqlLimit:
        series = []
    pending = iso_seconds(alarm.get("pendingDuration") or "PT1M") or 60
    streams: dict = st["streams"]
    rows = []
    for s in series:
        key = json.dumps(s.dims, sort_keys=True)
        with np.errstate(invalid="ignore"):
            rows.append((key, s.dims, ~np.isnan(s.values) & (np.nan_to_num(s.values) != 0)))
    keys = {k for k, _d, _b in rows}
    for i, t in enumerate(times.tolist()):
        for key, dims, breach in rows:
            e = streams.get(key)
            if e is None:
                if not breach[i]:
                    continue
                e = streams[key] = {"dims": dims, "status": "OK", "breachSince": None, "since": t}
            if breach[i]:
                if e["breachSince"] is None:
                    e["breachSince"] = t
                if e["status"] == "OK" and t - e["breachSince"] + 60 >= pending - 1e-6:
                    e.update(status="FIRING", since=t)
            else:
                e["breachSince"] = None
                if e["status"] == "FIRING":
                    e.update(status="OK", since=t)
        for key, e in streams.items():
            if key not in keys:
                e["breachSince"] = None
                if e["status"] == "FIRING":
                    e.update(status="OK", since=t)
        firing = sum(1 for e in streams.values() if e["status"] == "FIRING")
        status = "FIRING" if firing else "OK"
        if status != st["status"]:
            _transition(st, alarm, status, t, firing)
    st["at"] = float(times[-1]) if len(times) else now
    # forget streams that have been quiet for a day
    st["streams"] = {k: e for k, e in streams.items()
                     if e["status"] == "FIRING" or e["breachSince"] is not None or now - e["since"] < 86400}
    ctx.put(STATE_KIND, st)
    return st


def _suppressed(ctx: Context, alarm: dict, now: float) -> dict | None:
    """The alarm-level suppression in effect now (the alarm's own or an AlarmSuppression), if any."""
    sup = alarm.get("suppression")
    if sup and parse_ts(sup["timeSuppressFrom"]) <= now <= parse_ts(sup["timeSuppressUntil"]):
        return sup
    for s in _suppressions_for(ctx, alarm):
        if s["lifecycleState"] == "ACTIVE" and s["level"] == "ALARM" and _suppression_active(s, now):
            return {"description": s.get("description") or s["displayName"],
                    "timeSuppressFrom": s["timeSuppressFrom"], "timeSuppressUntil": s["timeSuppressUntil"]}
    return None


def _status_item(ctx: Context, alarm: dict, st: dict) -> dict:
    firing = sum(1 for e in st["streams"].values() if e["status"] == "FIRING")
    status = st["status"]
    sup = _suppressed(ctx, alarm, ctx.now)
    item = {"id": alarm["id"], "displayName": alarm["displayName"], "severity": alarm["severity"],
            "ruleName": alarm.get("ruleName") or "BASE", "timestampTriggered": ts(st["since"]),
            "alarmSummary": _summary(alarm, status, firing), "status": "SUSPENDED" if sup else status,
            "_streams": st["streams"]}
    if alarm.get("suppression"):
        item["suppression"] = alarm["suppression"]
    elif sup:
        item["suppression"] = sup
    return item


@svc.op("list_alarms_status")
def list_alarms_status(ctx: Context):
    q = ctx.query
    out = []
    for alarm in _alarms_in(ctx):
        if alarm["lifecycleState"] != "ACTIVE":
            continue
        st = _advance(ctx, alarm)
        item = _status_item(ctx, alarm, st)
        if q.get("status") and item["status"] != q["status"]:
            continue
        dims = [e["dims"] for e in item["_streams"].values()]
        if q.get("resourceId") and not any(d.get("resourceId") == q["resourceId"] for d in dims):
            continue
        if q.get("entityId") and not any(q["entityId"] in d.values() for d in dims):
            continue
        if q.get("serviceName"):
            want = q["serviceName"].lower()
            ns = alarm["namespace"].lower()
            if want not in (ns, ns.removeprefix("oci_")):
                continue
        out.append(item)
    return out


_HISTORY_KINDS = {"STATE_HISTORY": "STATE", "RULE_HISTORY": "STATE", "STATE_TRANSITION_HISTORY": "TRANSITION",
                  "RULE_TRANSITION_HISTORY": "TRANSITION"}


@svc.op("get_alarm_history")
def get_alarm_history(ctx: Context):
    alarm = _alarm(ctx, ctx.path["alarmId"])
    st = _advance(ctx, alarm)
    q = ctx.query
    kind = _HISTORY_KINDS.get(q.get("alarmHistorytype") or "")
    lo = _time(q["timestampGreaterThanOrEqualTo"], "timestampGreaterThanOrEqualTo") \
        if q.get("timestampGreaterThanOrEqualTo") else None
    hi = _time(q["timestampLessThan"], "timestampLessThan") if q.get("timestampLessThan") else None
    entries = [e for e in reversed(st["history"])
               if (kind is None or e["kind"] == kind) and (lo is None or e["t"] >= lo) and (hi is None or e["t"] < hi)]
    limit = min(int(q.get("limit") or 1000), 1000)
    first = ctx.core._decode_page(q["page"], len(entries)) if q.get("page") else 0
    chunk = entries[first:first + limit]
    if first + limit < len(entries):
        ctx.response_headers["opc-next-page"] = ctx.core._encode_page(first + limit)
    items = []
    for e in chunk:
        item = {"alarmSummary": e["alarmSummary"], "summary": e["summary"], "timestamp": ts(e["t"])}
        if e.get("triggered") is not None:
            item["timestampTriggered"] = ts(e["triggered"])
        items.append(item)
    return {"alarmId": alarm["id"], "isEnabled": bool(alarm.get("isEnabled")), "entries": items}


def _optional_body(ctx: Context, model: str):
    if not ctx.raw_body:
        return {}
    doc = parse_json(ctx.raw_body)
    if doc is None:
        return {}
    return models.validate("monitoring", model, doc, model[0].lower() + model[1:]) or {}


@svc.op("retrieve_dimension_states")
def retrieve_dimension_states(ctx: Context):
    alarm = _alarm(ctx, ctx.path["alarmId"])
    b = _optional_body(ctx, "RetrieveDimensionStatesDetails")
    if b.get("status") is not None and b["status"] not in ("FIRING", "OK"):
        raise invalid(f"status: '{b['status']}' is not one of FIRING, OK")
    st = _advance(ctx, alarm)
    items = []
    for e in st["streams"].values():
        if b.get("status") and e["status"] != b["status"]:
            continue
        if b.get("dimensionFilters") and any(e["dims"].get(k) != v for k, v in b["dimensionFilters"].items()):
            continue
        firing = 1 if e["status"] == "FIRING" else 0
        items.append({"alarmSummary": _summary(alarm, e["status"], firing), "dimensions": e["dims"],
                      "status": e["status"], "ruleName": alarm.get("ruleName") or "BASE", "timestamp": ts(e["since"])})
    items.sort(key=lambda i: (i["status"] != "FIRING", json.dumps(i["dimensions"], sort_keys=True)))
    return {"alarmId": alarm["id"], "isEnabled": bool(alarm.get("isEnabled")),
            "isNotificationsPerMetricDimensionEnabled": bool(alarm.get("isNotificationsPerMetricDimensionEnabled")),
            "items": items}


# ---------------------------------------------------------------- alarm suppressions

_RRULE_RE = re.compile(r"^[A-Z]+=[A-Z0-9,]+(;[A-Z]+=[A-Z0-9,]+)*$")
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _rrule(text: str, where: str) -> dict:
    if not isinstance(text, str) or not _RRULE_RE.match(text):
        raise invalid(f"{where}: '{str(text)[:80]}' is not a recurrence rule such as FREQ=DAILY;BYHOUR=10")
    parts = dict(p.split("=", 1) for p in text.split(";"))
    unknown = set(parts) - {"FREQ", "BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND"}
    if unknown:
        raise invalid(f"{where}: unsupported rule part {sorted(unknown)[0]}; use FREQ, BYDAY, BYHOUR, BYMINUTE, "
                      "BYSECOND")
    if parts.get("FREQ") not in ("DAILY", "WEEKLY"):
        raise invalid(f"{where}: FREQ must be DAILY or WEEKLY")
    if "BYDAY" in parts:
        if parts["FREQ"] != "WEEKLY":
            raise invalid(f"{where}: BYDAY is only allowed with FREQ=WEEKLY")
        if any(d not in _DAYS for d in parts["BYDAY"].split(",")):
            raise invalid(f"{where}: BYDAY takes MO, TU, WE, TH, FR, SA, SU")
    for k, hi in (("BYHOUR", 23), ("BYMINUTE", 59), ("BYSECOND", 59)):
        if k in parts and (not parts[k].isdigit() or not 0 <= int(parts[k]) <= hi):
            raise invalid(f"{where}: {k} must be a number from 0 to {hi}")
    return parts


def _suppression_active(s: dict, now: float) -> bool:
    a, b = parse_ts(s["timeSuppressFrom"]), parse_ts(s["timeSuppressUntil"])
    if not a <= now <= b:
        return False
    conds = s.get("suppressionConditions") or []
    if not conds:
        return True
    for c in conds:
        parts = dict(p.split("=", 1) for p in c["suppressionRecurrence"].split(";"))
        dur = iso_seconds(c["suppressionDuration"]) or 0
        at = int(parts.get("BYHOUR", 0)) * 3600 + int(parts.get("BYMINUTE", 0)) * 60 + int(parts.get("BYSECOND", 0))
        for back in (0, 1):  # a window that started yesterday may still be open
            day_start = (math.floor(now / 86400) - back) * 86400
            start = day_start + at
            if start < a or not start <= now < start + dur:
                continue
            if parts["FREQ"] == "WEEKLY" and "BYDAY" in parts:
                wd = _DAYS[time.gmtime(start).tm_wday]
                if wd not in parts["BYDAY"].split(","):
                    continue
            return True
    return False


def _suppressions_for(ctx: Context, alarm: dict) -> list[dict]:
    """Every suppression (any state) that targets the alarm or a compartment holding it."""
    out = list(ctx.store.by_field("alarmsuppression", "_alarmId", alarm["id"]))
    chain = []
    cur = ctx.store.get("compartment", alarm["compartmentId"])
    while cur is not None:
        chain.append(cur["id"])
        if cur.get("_root"):
            break
        cur = ctx.store.get("compartment", cur.get("compartmentId"))
    for i, cid in enumerate(chain):
        for s in ctx.store.by_field("alarmsuppression", "_targetCompartmentId", cid):
            if i == 0 or s["alarmSuppressionTarget"].get("compartmentIdInSubtree"):
                out.append(s)
    return out


@svc.op("create_alarm_suppression")
def create_alarm_suppression(ctx: Context):
    b = ctx.body
    target = b["alarmSuppressionTarget"]
    level = b.get("level") or "DIMENSION"
    if level not in ("ALARM", "DIMENSION"):
        raise invalid(f"level: '{level}' is not one of ALARM, DIMENSION")
    name = b.get("displayName")
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise invalid("displayName must be 1-255 characters")
    if b.get("description") is not None and len(b["description"]) > 4000:
        raise invalid("description must be at most 4,000 characters")
    extra = {}
    if target["targetType"] == "ALARM":
        alarm = ctx.find("alarm", target.get("alarmId") or "")
        if alarm is None or alarm["lifecycleState"] != "ACTIVE":
            raise not_found("alarm", target.get("alarmId") or "")
        comp = alarm["compartmentId"]
        extra["_alarmId"] = alarm["id"]
    else:
        comp = ctx.compartment(target.get("compartmentId"), "alarmSuppressionTarget.compartmentId")["id"]
        if target.get("compartmentIdInSubtree") and comp != ctx.tenancy_id:
            raise invalid("alarmSuppressionTarget.compartmentIdInSubtree can only be true for the tenancy")
        extra["_targetCompartmentId"] = comp
    dims = b.get("dimensions")
    if level == "DIMENSION" and not dims:
        raise ApiError(400, "MissingParameter", "dimensions are required for a DIMENSION-level suppression")
    if dims and len(json.dumps(dims)) > 4000:
        raise invalid("dimensions values are too long (more than 4,000 characters)")
    a = _time(b["timeSuppressFrom"], "timeSuppressFrom")
    z = _time(b["timeSuppressUntil"], "timeSuppressUntil")
    if z <= a:
        raise invalid("timeSuppressUntil must be after timeSuppressFrom")
    for i, c in enumerate(b.get("suppressionConditions") or []):
        _rrule(c.get("suppressionRecurrence"), f"suppressionConditions[{i}].suppressionRecurrence")
        _check_duration(c.get("suppressionDuration"), f"suppressionConditions[{i}].suppressionDuration",
                        60, 86400, "PT1M", "PT24H")
    t = ctx.ts()
    doc = {"id": ctx.new_id("alarmsuppression"), "compartmentId": comp, "alarmSuppressionTarget": target,
           "level": level, "displayName": name, "timeSuppressFrom": b["timeSuppressFrom"],
           "timeSuppressUntil": b["timeSuppressUntil"], "lifecycleState": "ACTIVE", "timeCreated": t,
           "timeUpdated": t, "_region": ctx.region, **extra}
    for k in ("description", "dimensions", "suppressionConditions"):
        if b.get(k) is not None:
            doc[k] = b[k]
    doc.update(ctx.tags(b))
    doc.setdefault("freeformTags", {})
    doc.setdefault("definedTags", {})
    return ctx.put("alarmsuppression", doc)


@svc.op("get_alarm_suppression")
def get_alarm_suppression(ctx: Context):
    return ctx.get("alarmsuppression", ctx.path["alarmSuppressionId"], "alarm suppression")


@svc.op("delete_alarm_suppression")
def delete_alarm_suppression(ctx: Context):
    doc = ctx.get_for_write("alarmsuppression", ctx.path["alarmSuppressionId"], "alarm suppression")
    if doc["lifecycleState"] == "DELETED":
        raise not_found("alarm suppression", doc["id"])
    ctx.update("alarmsuppression", doc["id"], {"lifecycleState": "DELETED", "timeUpdated": ctx.ts()})
    return None


@svc.op("list_alarm_suppressions")
def list_alarm_suppressions(ctx: Context):
    q = ctx.query
    if not q.get("alarmId") and not q.get("compartmentId"):
        raise ApiError(400, "MissingParameter", "alarmId or compartmentId is required")
    if q.get("isAllSuppressions") and not q.get("alarmId"):
        raise invalid("isAllSuppressions=true requires alarmId")
    if q.get("alarmId"):
        alarm = _alarm(ctx, q["alarmId"])
        docs = _suppressions_for(ctx, alarm) if q.get("isAllSuppressions") else \
            list(ctx.store.by_field("alarmsuppression", "_alarmId", alarm["id"]))
    else:
        comps = _compartments(ctx, q["compartmentId"], q.get("compartmentIdInSubtree"))
        docs = []
        for c in comps:
            docs.extend(ctx.list("alarmsuppression", c))
        if q.get("targetType") == "COMPARTMENT":
            docs = [d for d in docs if d.get("_targetCompartmentId") in comps]
    if q.get("targetType"):
        docs = [d for d in docs if d["alarmSuppressionTarget"]["targetType"] == q["targetType"]]
    if q.get("level"):
        docs = [d for d in docs if d["level"] == q["level"]]
    if not q.get("lifecycleState"):
        docs = [d for d in docs if d["lifecycleState"] == "ACTIVE"]
    docs = [d for d in docs if d.get("_region") in (None, ctx.region)]
    unique = {d["id"]: d for d in docs}
    return {"items": list(unique.values())}


@svc.op("summarize_alarm_suppression_history")
def summarize_alarm_suppression_history(ctx: Context):
    alarm = _alarm(ctx, ctx.path["alarmId"])
    b = _optional_body(ctx, "SummarizeAlarmSuppressionHistoryDetails")
    lo = _time(b["timeSuppressFromGreaterThanOrEqualTo"], "timeSuppressFromGreaterThanOrEqualTo") \
        if b.get("timeSuppressFromGreaterThanOrEqualTo") else None
    hi = _time(b["timeSuppressFromLessThan"], "timeSuppressFromLessThan") \
        if b.get("timeSuppressFromLessThan") else None
    items = []
    seen = set()
    for s in sorted(_suppressions_for(ctx, alarm), key=lambda s: s["timeSuppressFrom"], reverse=True):
        if s["id"] in seen:
            continue
        seen.add(s["id"])
        a = parse_ts(s["timeSuppressFrom"])
        if (lo is not None and a < lo) or (hi is not None and a >= hi):
            continue
        if b.get("dimensions") and any((s.get("dimensions") or {}).get(k) != v for k, v in b["dimensions"].items()):
            continue
        until = s["timeSuppressUntil"]
        if s["lifecycleState"] == "DELETED":
            until = min(until, s["timeUpdated"])
        item = {"suppressionId": s["id"], "alarmSuppressionTarget": s["alarmSuppressionTarget"], "level": s["level"],
                "displayName": s["displayName"], "timeEffectiveFrom": s["timeSuppressFrom"],
                "timeEffectiveUntil": until}
        for k in ("description", "dimensions", "suppressionConditions"):
            if s.get(k) is not None:
                item[k] = s[k]
        items.append(item)
    return {"items": items}


# ---------------------------------------------------------------- seed

_HOT = {"load": 0.9, "swing": 0.03, "noise": 1.3, "spike": 0.25}
_IDLE = {"load": 0.018, "swing": 0.25, "noise": 0.25, "spike": 0.0}
_DEMO_PROFILES = {"api-01": _HOT, "alice-dev": _IDLE, "bastion": _IDLE,
                  "jenkins": {"load": 0.35, "swing": 0.2, "spike": 2.5}}
# stopped demo instances ran until this many days ago (terminated ones too)
_DEMO_STOPPED = {"api-02": 2.0, "stg-web-02": 9.0, "bob-win-test": 20.0, "dr-web-01": 0.25, "old-build-agent": 12.0}


@svc.seeder
def seed_monitoring(seed) -> None:
    if seed.profile != "demo":
        return
    store = seed.store
    now = seed.now
    by_name = {}
    for inst in store.list("instance"):
        by_name[inst["displayName"]] = inst
        changes = {}
        if inst["displayName"] in _DEMO_PROFILES:
            changes["_metricProfile"] = dict(_DEMO_PROFILES[inst["displayName"]])
        days = _DEMO_STOPPED.get(inst["displayName"])
        if days is not None and inst["lifecycleState"] in ("STOPPED", "TERMINATED"):
            created = parse_ts(inst["timeCreated"])
            # stopped `days` ago; an instance created since then stopped halfway through its life
            stop = now - days * 86400 if created < now - days * 86400 - 60 else created + 0.5 * (now - created)
            final = inst["lifecycleState"]
            mid = "STOPPING" if final == "STOPPED" else "TERMINATING"
            changes["_stateHistory"] = [[None, "RUNNING"], [stop - 45, mid], [stop, final]]
        if changes:
            store.update("instance", inst["id"], changes)
    comps = {}
    for c in store.list("compartment"):
        comps.setdefault(c["name"], c["id"])
    tenancy = seed.core.tenancy_id
    home = seed.core.home_region
    api = comps.get("API", tenancy)
    _seed_custom_metrics(seed.store, api, home, now - 86400, now)
    seed.store.set_meta(DEMO_APP_META, {"compartmentId": api, "region": home})
    ops = notifications.topic_named(store, "ops-alerts")  # seeded before (services.LAYOUT)
    topic = ops["id"] if ops is not None else seed.ocid("onstopic", home)
    created = ts(now - 30 * 86400)

    def alarm(comp, name, metric_comp, subtree_, ns, query, severity, pending, body, enabled=True, **extra):
        d = {"id": seed.ocid("alarm", home), "displayName": name, "compartmentId": comp,
             "metricCompartmentId": metric_comp, "metricCompartmentIdInSubtree": subtree_, "namespace": ns,
             "query": query, "resolution": "1m", "pendingDuration": pending, "severity": severity, "body": body,
             "isNotificationsPerMetricDimensionEnabled": False, "messageFormat": "ONS_OPTIMIZED",
             "destinations": [topic], "isEnabled": enabled, "ruleName": "BASE", "notificationVersion": "1.X",
             "evaluationSlackDuration": "PT3M", "lifecycleState": "ACTIVE", "timeCreated": created,
             "timeUpdated": created, "freeformTags": {"team": "sre"}, "definedTags": {}, "_region": home}
        d.update(extra)
        doc = store.put("alarm", d)
        store.put(STATE_KIND, _new_state(doc, parse_ts(created)))
        return doc

    high_cpu = alarm(comps.get("Production", tenancy), "High CPU on production", tenancy, True, "oci_computeagent",
                     'CpuUtilization[1m]{resourceDisplayName =~ "web-*|api-*|etl-*|analytics-*"}.mean() > 80',
                     "CRITICAL", "PT5M", "CPU above 80% for 5 minutes on a production instance. Runbook: "
                     "check the instance's top processes, then scale the API tier out.")
    alarm(api, "Checkout latency p95", api, False, "custom_app",
          'RequestLatency[5m]{service = "checkout"}.percentile(0.95) > 1500', "WARNING", "PT5M",
          "95th percentile checkout latency above 1.5 s.")
    alarm(comps.get("Shared-Tools", tenancy), "Bastion heartbeat", comps.get("Shared-Tools", tenancy), False,
          "oci_computeagent", 'CpuUtilization[1m]{resourceDisplayName = "bastion"}.groupBy(resourceId).absent(10m)',
          "ERROR", "PT1M", "The bastion host stopped reporting metrics.")
    alarm(comps.get("Production", tenancy), "Memory pressure", tenancy, True, "oci_computeagent",
          "MemoryUtilization[5m].max() > 95", "INFO", "PT15M", "Memory above 95%.", enabled=False)
    start = now + 3 * 86400
    store.put("alarmsuppression", {
        "id": seed.ocid("alarmsuppression", home), "compartmentId": high_cpu["compartmentId"],
        "alarmSuppressionTarget": {"targetType": "ALARM", "alarmId": high_cpu["id"]}, "level": "ALARM",
        "displayName": "Monthly patching", "description": "Patch window CHG-1042",
        "timeSuppressFrom": ts(start), "timeSuppressUntil": ts(start + 2 * 3600), "lifecycleState": "ACTIVE",
        "timeCreated": ts(now - 86400), "timeUpdated": ts(now - 86400), "freeformTags": {}, "definedTags": {},
        "_region": home, "_alarmId": high_cpu["id"]})


DEMO_APP_META = "demo_custom_app"  # where the demo's application posts its custom_app metrics


@svc.hook("monitoring.on_start")
def _demo_app_posts_on(core, _doc: dict, _args: dict) -> None:
    """The demo's application "kept posting" while the emulator was stopped: its custom_app points are
    filled in from the last one (at most a day back) to now, so its charts and the latency alarm never
    go stale in a demo sandbox kept for days."""
    where = core.store.meta(DEMO_APP_META)
    if not where:
        return
    now = core.clock.now()
    last = max((d["last"] for d in core.store.list(metrics.STREAM_KIND)
                if d.get("namespace") == "custom_app" and d.get("compartmentId") == where["compartmentId"]),
               default=0.0)
    if now - last >= 120:
        _seed_custom_metrics(core.store, where["compartmentId"], where["region"], max(last, now - 86400), now)


def _seed_custom_metrics(store, comp: str, region: str, since: float, now: float) -> None:
    """custom_app RequestLatency (ms, weighted by request count) and RequestCount per minute, for the
    minutes after `since` up to `now` (the same values whatever the range: they depend on the minute)."""
    end = math.floor(now / 60) * 60
    first = math.floor(since / 60) * 60 + 60
    t = np.arange(first, end + 1, 60, dtype=np.float64)
    if not len(t):
        return
    services = {"checkout": (180.0, 90.0), "search": (60.0, 400.0), "catalog": (110.0, 160.0)}
    for name, (latency, rate) in services.items():
        seeds = np.array([metrics.hash64("custom_app", name)], dtype=np.uint64)
        g = Gen(t, seeds, [{}], [{}])
        busy = 1.0 + 0.6 * g.daily(15.0)
        count = np.maximum(1.0, np.rint(rate * busy * (1 + 0.15 * g.jitter("n"))))[0]
        lat = (latency * (1 + 0.25 * busy) * (1 + 0.1 * g.wander("l", 30)) + 8 * g.jitter("l")
               + latency * 3 * g.spikes("l", per_day=2, minutes=6))[0]
        when = t + 30.0
        dims = {"service": name, "env": "prod"}
        md = {"unit": "milliseconds"}
        metrics.store_series(store, region, {
            "namespace": "custom_app", "compartmentId": comp, "name": "RequestLatency", "dimensions": dims,
            "metadata": md}, when, np.round(lat, 2), count, now)
        metrics.store_series(store, region, {
            "namespace": "custom_app", "compartmentId": comp, "name": "RequestCount", "dimensions": dims,
            "metadata": {"unit": "count"}}, when, count, np.ones(len(t)), now)
