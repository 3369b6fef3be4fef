"""Metric sources of the monitoring emulator: declared service metrics and posted custom metrics.

Service metrics (oci_computeagent, oci_blockstore, oci_objectstorage...) are never stored: they are
generated on the fly, per minute, from the resources in the store, as pure functions of (resource,
minute), so the same time always gives the same value and a 24 h chart costs a few numpy calls.
A source whose values follow real state (a bucket's stored bytes) declares `facts(store, doc, now)`:
read from the store's documents (never from files) when the streams are listed, under the state lock
(a query may then be evaluated without it), and handed to its generators as `g.facts`.
A resource reports only while it is in one of the source's `reports_in` lifecycle states: the
store keeps each document's `_stateHistory` (see store.py), so a stopped period has no data, and
nothing exists before `timeCreated` or after now.

Declaring a source (a service module does this at import time, next to its handlers)::

    from ..metrics import Metric, MetricSource, declare

    def _read_bytes(g):                      # g: Gen, arrays shaped (resources, minutes)
        level = g.p("io") * 2e6              # per-resource parameter from the profile
        return level * (1 + 0.4 * g.daily(peak_hour=14)) * (1 + 0.2 * g.wander("rd", 30)) \\
            + g.spikes("rd", per_day=2, minutes=5) * level * 10

    declare(MetricSource(
        namespace="oci_blockstore",
        kind="volume",                                   # store kind of the resources
        reports_in={"AVAILABLE"},                        # lifecycle states in which they report
        dimensions=lambda doc: {"resourceId": doc["id"], "resourceName": doc["displayName"]},
        profile=lambda doc: {"io": 1.0},                 # optional; merged over default_profile(doc)
        metrics=[Metric("VolumeReadThroughput", "bytes", _read_bytes, "Volume Read Throughput")],
    ))

`Gen` gives every generator the minute timestamps (`g.t`, seconds, shape (1, n)), per-resource
parameters (`g.p(name)`, shape (S, 1)) and deterministic building blocks seeded by the resource id:
`daily(peak_hour)` (a 24 h cosine, UTC), `wander(salt, minutes)` (smooth noise in [-1, 1]),
`jitter(salt)` (per-minute noise in [-1, 1]), `spikes(salt, per_day, minutes)` (occasional bursts in
[0, 1]) and `uniform(salt, index)`. The same salt in two metrics of a resource gives correlated
shapes (a CPU spike that also shows in the load average). A document's `_metricProfile` dict
overrides its profile (the demo seed makes api-01 hot that way).

Custom metrics posted with PostMetricData are stored in the store (so they persist with --state)
under internal kinds: `_mstream` (one per stream: namespace, name, compartment, resource group,
dimensions, latest metadata) and `_mpoints` (its points, one document per stream and hour),
kept for `POSTED_RETENTION` seconds.

`StoreSource` implements `mql.DataSource` over both, for one region, set of compartments,
namespace and resource group.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from .mql import Block, MqlLimit, Stream
from .protocol import parse_ts

MINUTE = 60
HOUR = 3600
DAY = 86400
LIST_WINDOW = 14 * DAY  # ListMetrics shows streams with data in the last two weeks
POSTED_RETENTION = 90 * DAY  # posted points older than this are dropped (OCI keeps metric data 90 days)
STREAM_KIND = "_mstream"
POINTS_KIND = "_mpoints"
MAX_POINTS_PER_BUCKET = 36_000  # per stream and hour (10 a second)
CHUNK_VALUES = 2_000_000  # synthetic values generated per numpy batch
MAX_SYNTHETIC_VALUES = 60_000_000  # per query: beyond this the emulator refuses (400)


# ---------------------------------------------------------------- declarations

@dataclass(frozen=True)
class Metric:
    """One metric of a source: its name, unit and per-minute generator."""

    name: str
    unit: str
    generate: Callable[[Gen], np.ndarray]
    display_name: str = ""


@dataclass(frozen=True)
class MetricSource:
    namespace: str
    kind: str  # store kind of the resources that emit it
    metrics: Sequence[Metric]
    dimensions: Callable[[dict], dict[str, str]]
    reports_in: frozenset[str] | set[str] = frozenset({"RUNNING"})
    profile: Callable[[dict], dict] | None = None
    resource_group: str | None = None
    # what the generators need from the store beyond the document (a bucket's objects): called as
    # facts(store, doc, now) for each stream when streams are listed; generators read them as `g.facts`
    facts: Callable[[object, dict, float], object] | None = None
    by_name: dict[str, Metric] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "reports_in", frozenset(self.reports_in))
        object.__setattr__(self, "metrics", tuple(self.metrics))
        self.by_name.update({m.name: m for m in self.metrics})

    def params(self, doc: dict) -> dict:
        p = default_profile(doc)
        if self.profile is not None:
            p.update(self.profile(doc))
        p.update(doc.get("_metricProfile") or {})
        return p


SOURCES: dict[str, MetricSource] = {}


def declare(source: MetricSource) -> MetricSource:
    """Register a service-metric source under its namespace (once)."""
    have = SOURCES.get(source.namespace)
    if have is not None and have is not source:
        raise ValueError(f"metric namespace {source.namespace} is declared twice")
    SOURCES[source.namespace] = source
    return source


def is_service_namespace(namespace: str) -> bool:
    return namespace in SOURCES


# ---------------------------------------------------------------- deterministic noise

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finalizer, element-wise on uint64 arrays (wrapping arithmetic)."""
    x = x + _GOLDEN
    x = (x ^ (x >> _S30)) * _M1
    x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


def hash64(*parts: str) -> int:
    return int.from_bytes(hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest(), "little")


def _unit(x: np.ndarray) -> np.ndarray:
    return (x >> _S11).astype(np.float64) * (1.0 / 9007199254740992.0)


def default_profile(doc: dict) -> dict:
    """Per-resource parameters drawn from its id: a believable spread of busy and quiet resources."""
    h = np.array([hash64(doc.get("id", ""), "profile", str(i)) for i in range(6)], dtype=np.uint64)
    u = _unit(_mix(h)).tolist()
    load = 0.06 + 0.5 * u[0] ** 1.6  # most resources are moderately loaded, few are busy
    return {"load": load, "swing": 0.25 + 0.3 * u[1], "peak": 8.0 + 10.0 * u[2], "mem": 22.0 + 48.0 * u[3],
            "io": 0.3 + 1.7 * u[4], "net": 0.3 + 2.0 * u[5], "noise": max(1.2, 100 * load * 0.08),
            "spike": 1.0}


class Gen:
    """What a metric generator sees: minute timestamps and per-resource parameters, broadcastable
    to (resources, minutes). Every helper is a pure function of (resource seed, minute)."""

    def __init__(self, t: np.ndarray, seeds: np.ndarray, profiles: list[dict], docs: list[dict],
                 facts: list | None = None, now: float | None = None):
        self.t = np.asarray(t, dtype=np.float64)[None, :]
        self.minute = (self.t // MINUTE).astype(np.int64)
        self.seeds = np.asarray(seeds, dtype=np.uint64)[:, None]
        self.profiles = profiles
        self.docs = docs
        self.facts = facts if facts is not None else [None] * len(docs)  # per resource: MetricSource.facts
        self.now = float(self.t[0, -1]) + MINUTE if now is None else now
        self._cache: dict = {}

    @property
    def shape(self) -> tuple[int, int]:
        return self.seeds.shape[0], self.t.shape[1]

    def p(self, name: str, default: float = 0.0) -> np.ndarray:
        key = ("p", name, default)
        if key not in self._cache:
            self._cache[key] = np.array([float(pr.get(name, default)) for pr in self.profiles])[:, None]
        return self._cache[key]

    def hour_of_day(self) -> np.ndarray:
        return (self.t % DAY) / HOUR

    def daily(self, peak_hour: float | np.ndarray = 14.0) -> np.ndarray:
        """A 24-hour cosine in [-1, 1] peaking at `peak_hour` UTC."""
        return np.cos(2 * np.pi * (self.hour_of_day() - peak_hour) / 24.0)

    def uniform(self, salt: str, index: np.ndarray) -> np.ndarray:
        """Uniform [0, 1) per (resource, index): the same inputs always give the same numbers."""
        key = self.seeds ^ np.uint64(hash64(salt))
        idx = np.asarray(index).astype(np.int64).astype(np.uint64)
        return _unit(_mix(key + _mix(idx)))

    def _per(self, salt: str, index: np.ndarray) -> np.ndarray:
        """`uniform(salt, index)` for a (1, n) run of non-decreasing integers: hashed once per distinct value."""
        lo = int(index[0, 0])
        ks = np.arange(lo, int(index[0, -1]) + 1)
        return self.uniform(salt, ks)[:, (index[0] - lo).astype(np.int64)]

    def jitter(self, salt: str) -> np.ndarray:
        """Per-minute noise in [-1, 1] (triangular: most values near 0)."""
        key = self.seeds ^ np.uint64(hash64(salt))
        x = _mix(key + _mix(self.minute.astype(np.uint64)))
        lo32 = (x & np.uint64(0xFFFFFFFF)).astype(np.float64)
        hi32 = (x >> np.uint64(32)).astype(np.float64)
        return (lo32 + hi32) * (1.0 / 4294967296.0) - 1.0

    def wander(self, salt: str, minutes: int = 30) -> np.ndarray:
        """Smooth noise in [-1, 1]: random knots every `minutes`, smoothstep in between."""
        k = self.minute // minutes
        f = (self.minute - k * minutes) / float(minutes)
        a = self._per(salt, k) * 2 - 1
        b = self._per(salt, k + 1) * 2 - 1
        s = f * f * (3 - 2 * f)
        return a + (b - a) * s

    def spikes(self, salt: str, per_day: float = 2.0, minutes: int = 10) -> np.ndarray:
        """Occasional bursts in [0, 1]: about `per_day` a day, each about `minutes` long."""
        block = max(2 * minutes, 60)
        m = self.minute
        bi = m // block
        chance = min(1.0, per_day * block / 1440.0)
        hit = self._per(salt + "/hit", bi) < chance
        start = np.floor(self._per(salt + "/at", bi) * (block - minutes))
        off = (m - bi * block) - start
        inside = hit & (off >= 0) & (off < minutes)
        height = 0.6 + 0.4 * self._per(salt + "/h", bi)
        ramp = np.minimum(1.0, np.minimum(off + 1, minutes - off) / 2.0)
        return np.where(inside, height * ramp, 0.0)

    def full(self, values) -> np.ndarray:
        return np.broadcast_to(np.asarray(values, dtype=np.float64), self.shape)


# ---------------------------------------------------------------- when a resource reports

def reporting_intervals(doc: dict, states: frozenset[str], now: float) -> list[tuple[float, float]]:
    """[start, end] periods during which `doc` was in one of `states` (from its _stateHistory)."""
    try:
        created = parse_ts(doc["timeCreated"])
    except (KeyError, TypeError, ValueError):
        created = now
    hist = doc.get("_stateHistory") or [[None, doc.get("lifecycleState")]]
    out: list[tuple[float, float]] = []
    for i, (t, state) in enumerate(hist):
        start = created if t is None else max(float(t), created)
        end = float(hist[i + 1][0]) if i + 1 < len(hist) and hist[i + 1][0] is not None else None
        if end is None:
            end = now if i + 1 == len(hist) else start
        if state in states and end > start:
            if out and abs(out[-1][1] - start) < 1e-6:
                out[-1] = (out[-1][0], end)
            else:
                out.append((start, end))
    return out


# ---------------------------------------------------------------- the data source

class StoreSource:
    """`mql.DataSource` over the store: service metrics of the resources in `compartments` and
    posted streams, in one region and namespace (and resource group: None matches streams
    without one, as SummarizeMetricsData defines it; ANY matches all)."""

    ANY = object()

    def __init__(self, store, region: str, compartments: Iterable[str], namespace: str,
                 resource_group=None, now: float | None = None):
        import time as _time
        self.store = store
        self.region = region
        self.compartments = list(dict.fromkeys(compartments))
        self.namespace = namespace
        self.resource_group = resource_group
        self.now = _time.time() if now is None else now

    def _rg_ok(self, rg) -> bool:
        return self.resource_group is self.ANY or rg == self.resource_group

    def _docs(self, kind: str) -> Iterator[dict]:
        for comp in self.compartments:
            for d in self.store.list(kind, comp):
                if d.get("_region") in (None, self.region):
                    yield d

    def streams(self, metric: str) -> list[Stream]:
        src = SOURCES.get(self.namespace)
        if src is not None:
            m = src.by_name.get(metric)
            if m is None or not self._rg_ok(src.resource_group):
                return []
            loader = SyntheticLoader(src, m, self.now)
            out = []
            for doc in self._docs(src.kind):
                iv = reporting_intervals(doc, src.reports_in, self.now)
                if not iv:
                    continue
                facts = src.facts(self.store, doc, self.now) if src.facts is not None else None
                out.append(Stream(metric, src.dimensions(doc), doc["compartmentId"], src.resource_group,
                                  _metadata(m), (iv[0][0], iv[-1][1]), loader, (doc, iv, facts)))
            return out
        loader = PostedLoader(self.store)
        out = []
        for d in self._docs(STREAM_KIND):
            if d["namespace"] != self.namespace or d["name"] != metric or not self._rg_ok(d.get("resourceGroup")):
                continue
            out.append(Stream(metric, dict(d["dimensions"]), d["compartmentId"], d.get("resourceGroup"),
                              dict(d.get("metadata") or {}), (d["first"], d["last"]), loader, d))
        return out

    def definitions(self, window: float = LIST_WINDOW) -> list[dict]:
        """Metric definitions (ListMetrics) with data in the last `window` seconds."""
        since = self.now - window
        out = []
        namespaces = [self.namespace] if self.namespace else sorted(SOURCES)
        for ns in namespaces:
            src = SOURCES.get(ns)
            if src is None or not self._rg_ok(src.resource_group):
                continue
            for doc in self._docs(src.kind):
                iv = reporting_intervals(doc, src.reports_in, self.now)
                if not iv or iv[-1][1] < since:
                    continue
                dims = src.dimensions(doc)
                for m in src.metrics:
                    d = {"namespace": ns, "name": m.name, "compartmentId": doc["compartmentId"], "dimensions": dims}
                    if src.resource_group:
                        d["resourceGroup"] = src.resource_group
                    out.append(d)
        for d in self._docs(STREAM_KIND):
            if (self.namespace and d["namespace"] != self.namespace) or d["last"] < since \
                    or not self._rg_ok(d.get("resourceGroup")):
                continue
            item = {"namespace": d["namespace"], "name": d["name"], "compartmentId": d["compartmentId"],
                    "dimensions": dict(d["dimensions"])}
            if d.get("resourceGroup"):
                item["resourceGroup"] = d["resourceGroup"]
            out.append(item)
        return out


def _metadata(m: Metric) -> dict:
    md = {"unit": m.unit}
    if m.display_name:
        md["displayName"] = m.display_name
    return md


class SyntheticLoader:
    """Generates a service metric's per-minute points for a set of resources, in numpy batches."""

    def __init__(self, source: MetricSource, metric: Metric, now: float):
        self.source = source
        self.metric = metric
        self.now = now

    def load(self, streams: Sequence[Stream], t0: float, t1: float) -> Iterator[Block]:
        first = (math.floor(t0 / MINUTE) + 1) * MINUTE
        last = min(math.floor(t1 / MINUTE), math.floor(self.now / MINUTE)) * MINUTE
        if last < first or not streams:
            return
        t = np.arange(first, last + MINUTE, MINUTE, dtype=np.float64)
        n = t.size
        if n * len(streams) > MAX_SYNTHETIC_VALUES:
            raise MqlLimit(f"The query would generate {n * len(streams):,} one-minute values in the emulator "
                           f"(the maximum is {MAX_SYNTHETIC_VALUES:,}); shorten the time range or filter the streams")
        per = max(1, CHUNK_VALUES // n)
        for i in range(0, len(streams), per):
            chunk = list(streams[i:i + per])
            docs = [s.ref[0] for s in chunk]
            seeds = np.array([hash64(d["id"]) for d in docs], dtype=np.uint64)
            facts = [s.ref[2] for s in chunk] if self.source.facts is not None else None
            gen = Gen(t, seeds, [self.source.params(d) for d in docs], docs, facts, self.now)
            values = np.array(np.broadcast_to(self.metric.generate(gen), gen.shape), dtype=np.float64)
            mask = np.zeros(values.shape, dtype=bool)
            for r, s in enumerate(chunk):
                for a, b in s.ref[1]:
                    lo = np.searchsorted(t, a, side="left")
                    hi = np.searchsorted(t, b, side="right")
                    mask[r, lo:hi] = True
            yield Block(chunk, t, np.where(mask, values, np.nan), mask.astype(np.float64))


class PostedLoader:
    """Reads posted points of streams from their hourly `_mpoints` documents."""

    def __init__(self, store):
        self.store = store

    def load(self, streams: Sequence[Stream], t0: float, t1: float) -> Iterator[Block]:
        h0, h1 = int(math.floor(t0 / HOUR)), int(math.floor(t1 / HOUR))
        for s in streams:
            sdoc = s.ref
            pts: list = []
            for h in sdoc.get("buckets", []):
                if h0 <= h <= h1:
                    b = self.store.get(POINTS_KIND, f"{sdoc['id']}:{h}")
                    if b is not None:
                        pts.extend(b["points"])
            if not pts:
                continue
            arr = np.array(pts, dtype=np.float64).reshape(-1, 3)
            keep = (arr[:, 0] > t0) & (arr[:, 0] <= t1)
            arr = arr[keep]
            if not arr.size:
                continue
            arr = arr[np.argsort(arr[:, 0], kind="stable")]
            yield Block([s], arr[:, 0], arr[:, 1][None, :], arr[:, 2][None, :])


# ---------------------------------------------------------------- posted custom metrics

def stream_id(region: str, compartment_id: str, namespace: str, resource_group: str | None, name: str,
              dimensions: dict) -> str:
    key = "\x1e".join([region, compartment_id, namespace, resource_group or "", name]
                      + [f"{k}\x1f{v}" for k, v in sorted(dimensions.items())])
    return hashlib.sha1(key.encode()).hexdigest()


def _time_of(point: list) -> float:
    return point[0]


def store_points(store, region: str, metric: dict, points: list[tuple[float, float, float]], now: float) -> None:
    """Append posted points (time, value, count) to a stream (created on first post)."""
    by_hour: dict[int, list] = {}
    ordered = True  # (points usually come in time order: nothing to sort then)
    last = -math.inf
    floor = math.floor
    for t, v, c in points:
        by_hour.setdefault(int(floor(t / HOUR)), []).append([t, v, c])
        if t < last:
            ordered = False
        last = t
    ts = [p[0] for p in points]
    _append(store, region, metric, by_hour, ordered, min(ts), max(ts), now)


def store_series(store, region: str, metric: dict, t: np.ndarray, v: np.ndarray, c: np.ndarray, now: float) -> None:
    """store_points for a time-ordered series given as arrays (a seed's day of minutes): split by hour
    without a Python step per point."""
    if not len(t):
        return
    hours = np.floor(t / HOUR).astype(np.int64)
    cuts = np.flatnonzero(np.diff(hours)) + 1
    rows = np.column_stack((t, v, c)).tolist()
    bounds = [0, *cuts.tolist(), len(rows)]
    by_hour = {int(hours[a]): rows[a:b] for a, b in itertools.pairwise(bounds)}
    _append(store, region, metric, by_hour, True, float(t[0]), float(t[-1]), now)


def _append(store, region: str, metric: dict, by_hour: dict[int, list], ordered: bool, first: float, last: float,
            now: float) -> None:
    sid = stream_id(region, metric["compartmentId"], metric["namespace"], metric.get("resourceGroup"),
                    metric["name"], metric["dimensions"])
    sdoc = store.get(STREAM_KIND, sid)
    buckets = set(sdoc.get("buckets", [])) if sdoc else set()
    for h, new in by_hour.items():
        bid = f"{sid}:{h}"
        b = store.get(POINTS_KIND, bid)
        merged = (b["points"] + new) if b else new
        if b or not ordered:
            merged.sort(key=_time_of)
        store.put(POINTS_KIND, {"id": bid, "stream": sid, "hour": h, "points": merged[-MAX_POINTS_PER_BUCKET:]})
        buckets.add(h)
    oldest = int(math.floor((now - POSTED_RETENTION) / HOUR))
    for h in [h for h in buckets if h < oldest]:
        store.delete(POINTS_KIND, f"{sid}:{h}")
        buckets.discard(h)
    doc = {
        "id": sid, "_region": region, "compartmentId": metric["compartmentId"], "namespace": metric["namespace"],
        "name": metric["name"], "dimensions": dict(metric["dimensions"]),
        "metadata": dict(metric.get("metadata") or (sdoc or {}).get("metadata") or {}),
        "buckets": sorted(buckets),
        "first": min(sdoc["first"], first) if sdoc else first,
        "last": max(sdoc["last"], last) if sdoc else last,
        "timePosted": now,
    }
    if metric.get("resourceGroup"):
        doc["resourceGroup"] = metric["resourceGroup"]
    if buckets:
        doc["first"] = max(doc["first"], min(buckets) * HOUR)
    store.put(STREAM_KIND, doc)


def expire_posted(store, now: float) -> int:
    """Drop posted points (and streams) older than the retention; returns the streams removed."""
    oldest = int(math.floor((now - POSTED_RETENTION) / HOUR))
    removed = 0
    for sdoc in store.list(STREAM_KIND):
        old = [h for h in sdoc.get("buckets", []) if h < oldest]
        if not old:
            continue
        for h in old:
            store.delete(POINTS_KIND, f"{sdoc['id']}:{h}")
        left = [h for h in sdoc["buckets"] if h >= oldest]
        if left:
            store.update(STREAM_KIND, sdoc["id"], {"buckets": left, "first": max(sdoc["first"], left[0] * HOUR)})
        else:
            store.delete(STREAM_KIND, sdoc["id"])
            removed += 1
    return removed


# ---------------------------------------------------------------- storage service metrics
# Declared here rather than in services/blockstorage.py and services/object_storage.py: those modules
# load lazily (on the first request to their SDK package), and a metric query may come first.
# Volume metrics are synthetic; a bucket's StoredBytes and ObjectCount are its real contents over time
# (what OCI counts: every object version but delete markers, not the parts of uncommitted multipart
# uploads; the same numbers as GetBucket's approximateSize and approximateCount).

def _volume_dims(doc: dict) -> dict:
    dims = {"resourceId": doc["id"], "resourceDisplayName": doc.get("displayName") or doc["id"],
            "availabilityDomain": doc.get("availabilityDomain"), "region": doc.get("_region")}
    return {k: v for k, v in dims.items() if v}


def _volume_profile(doc: dict) -> dict:
    vpus = float(doc.get("vpusPerGB") if doc.get("vpusPerGB") is not None else 10)
    return {"perf": 0.5 + vpus / 20.0}  # higher performance volumes are (usually) the busy ones


def _volume_activity(g: Gen) -> np.ndarray:
    return np.maximum(0.0, 0.3 + g.p("load", 0.2) * (1.0 + 0.6 * g.daily(g.p("peak", 14.0)))
                      + 0.2 * g.wander("vio", 30))


def _volume_read(g: Gen) -> np.ndarray:
    level = g.p("io", 1.0) * g.p("perf", 1.0) * 8e6
    return np.maximum(0.0, level * _volume_activity(g) * (1 + 0.3 * g.jitter("vr"))
                      + level * 6 * g.spikes("vr", per_day=2, minutes=6))


def _volume_write(g: Gen) -> np.ndarray:
    level = g.p("io", 1.0) * g.p("perf", 1.0) * 5e6
    backup = np.maximum(0.0, g.daily(1.0)) ** 24  # a nightly job around 01:00 UTC
    return np.maximum(0.0, level * _volume_activity(g) * (1 + 0.3 * g.jitter("vw")) + level * 12 * backup)


def _volume_read_ops(g: Gen) -> np.ndarray:
    return _volume_read(g) / (16384.0 * (1 + 0.1 * g.jitter("vro")))


def _volume_write_ops(g: Gen) -> np.ndarray:
    return _volume_write(g) / (12288.0 * (1 + 0.1 * g.jitter("vwo")))


BLOCKSTORE = declare(MetricSource(
    namespace="oci_blockstore",
    kind="volume",
    reports_in={"AVAILABLE"},
    dimensions=_volume_dims,
    profile=_volume_profile,
    metrics=[
        Metric("VolumeReadThroughput", "bytes", _volume_read, "Volume Read Throughput"),
        Metric("VolumeWriteThroughput", "bytes", _volume_write, "Volume Write Throughput"),
        Metric("VolumeReadOps", "operations", _volume_read_ops, "Volume Read Operations"),
        Metric("VolumeWriteOps", "operations", _volume_write_ops, "Volume Write Operations"),
    ],
))


def _bucket_dims(doc: dict) -> dict:
    # Object Storage's own dimension names (resourceID, not resourceId)
    return {"resourceID": doc["id"], "resourceDisplayName": doc.get("name") or doc["id"],
            "tier": doc.get("storageTier") or "Standard"}


def _bucket_usage(store, doc: dict, now: float):
    """(times, bytes, count): the bucket's stored bytes and object count after each change at `times`
    (sorted), from the Object Storage documents (see object_storage.usage_events); None if it never held
    anything."""
    from .services.object_storage import usage_events  # the service owns its document layout
    events = usage_events(store, doc)
    if not events:
        return None
    arr = np.array(events, dtype=np.float64).reshape(-1, 3)
    arr = arr[np.argsort(arr[:, 0], kind="stable")]
    return arr[:, 0], np.cumsum(arr[:, 1]), np.cumsum(arr[:, 2])


def _usage(g: Gen, column: int) -> np.ndarray:
    """What each bucket held (column 1: bytes, 2: objects) at the end of the minute that starts at each
    point (the running minute: now), so the newest point is the bucket as it is."""
    key = ("usage", column)
    if key not in g._cache:
        at = np.minimum(g.t[0] + MINUTE, g.now)
        out = np.zeros(g.shape)
        for r, facts in enumerate(g.facts):
            if facts is None:
                continue
            times, values = facts[0], facts[column]
            i = np.searchsorted(times, at, side="right") - 1
            out[r] = np.where(i >= 0, values[np.maximum(i, 0)], 0.0)
        g._cache[key] = np.maximum(out, 0.0)
    return g._cache[key]


def _stored_bytes(g: Gen) -> np.ndarray:
    return _usage(g, 1)


def _object_count(g: Gen) -> np.ndarray:
    return _usage(g, 2)


OBJECTSTORAGE = declare(MetricSource(
    namespace="oci_objectstorage",
    kind="osbucket",
    reports_in={None},  # buckets have no lifecycle state: they report from their creation on
    dimensions=_bucket_dims,
    facts=_bucket_usage,
    metrics=[
        Metric("StoredBytes", "bytes", _stored_bytes, "Stored Bytes"),
        Metric("ObjectCount", "count", _object_count, "Object Count"),
    ],
))
