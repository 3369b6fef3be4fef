"""Monitoring dashboards below the GUI (no Qt): the model, its store and the query planner.

- `ChartQuery`: one chart, a builder query (metric, dimension filters, statistic, interval, group by)
  or raw MQL; `mql(interval)` is the query it runs, `unit_and_range()` how it is drawn.
- `Dashboard`: charts, time range, columns, auto-refresh period; `to_json`/`from_json` (version 1).
- `DashboardStore(directory)`: dashboards as JSON files in one directory (the GUI passes
  `<data dir>/dashboards`): list, load, open by name, save (atomically), rename, delete, and
  `ensure` (a template chosen again opens the one made before instead of a "(2)").
- `cpu_template`: "CPU across instances of <compartment>"; `database_template`: "Autonomous Databases of
  <compartment>" (CPU, storage, sessions, executions per database).
- `QueryContext` and `fetch_chart`: what a dashboard's queries share (the compartment tree,
  ListMetrics streams and resource display names, cached) and one chart's run: one groupBy
  query per compartment (never one per resource) through `monitoring.summarize_paced`.
- `time_window(range_seconds)`: the (start, end) a dashboard shows, ending now; "Auto" intervals
  are `monitoring.auto_interval` of the range.

The GUI (`gui/dashboard.py`) draws them; everything here runs and is tested without a display.
"""

from __future__ import annotations

import asyncio
import builtins
import json
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import OciError
from ..lang import mql as mqlsyntax
from . import identity as idsvc
from . import monitoring as mon
from .monitoring import auto_interval

RANGES = [("Last hour", 3600), ("Last 6 hours", 6 * 3600), ("Last 24 hours", 24 * 3600),
          ("Last 7 days", 7 * 24 * 3600)]
INTERVALS = [("Auto", "auto"), ("1 minute", "1m"), ("5 minutes", "5m"), ("1 hour", "1h"), ("1 day", "1d")]
STATISTICS = [("Mean", "mean"), ("Max", "max"), ("Min", "min"), ("Sum", "sum"), ("Count", "count"),
              ("Rate", "rate"), ("P50", "p50"), ("P90", "p90"), ("P95", "p95"), ("P99", "p99")]
GROUP_ALL = "*"  # grouping(): every stream in one series
NAMES_TTL = 600.0  # seconds a compartment's resource names (ListMetrics) are reused


def parse_leaves(text: str) -> list:
    """The metric queries of an MQL expression (`lang.mql.Query`, left to right), or MqlError."""
    return mqlsyntax.leaves(mqlsyntax.parse(text))


def check_query(text) -> mqlsyntax.MqlError | None:
    """None when `text` parses, else the error (never raises), as `catalog.mql.check`."""
    try:
        parse_leaves(text)
    except mqlsyntax.MqlError as e:
        return e
    except Exception as e:
        return mqlsyntax.MqlError(f"cannot check this query ({type(e).__name__})", 1,
                                  text if isinstance(text, str) else "")
    return None


def time_window(range_seconds: int | None, now: float | None = None) -> tuple[float, float]:
    """The (start, end) epoch seconds a dashboard shows: its range, always ending now (a live view)."""
    end = time.time() if now is None else now
    return end - (range_seconds or 3600), end


def guess_unit(metric: str) -> tuple[str, tuple[float, float] | None]:
    """A chart's unit and fixed range from the metric's name (percentages are 0-100)."""
    m = metric or ""
    if "Utilization" in m or m.endswith("Percent") or m.endswith("Pct"):
        return "%", (0.0, 100.0)
    if "Bytes" in m:
        return "B/min", None
    return "", None


def _quote(v: str) -> str:
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------- the model (no Qt)

@dataclass
class ChartQuery:
    """One chart: a builder query (metric, filters, statistic, interval, group by) or raw MQL."""

    title: str
    namespace: str
    compartment_id: str
    in_subtree: bool = False
    metric: str = ""
    statistic: str = "mean"
    interval: str = "auto"  # "auto": from the dashboard's time range
    dimensions: dict[str, str] = field(default_factory=dict)
    group_by: str = ""  # "" (one series per stream) | a dimension | "*" (all streams together)
    query: str = ""  # raw MQL: used instead of the builder's fields when set
    threshold: float | None = None
    unit: str | None = None  # None: guessed from the metric

    @property
    def is_raw(self) -> bool:
        return bool(self.query.strip())

    def mql(self, interval: str) -> str:
        """The MQL this chart runs for a given auto interval."""
        if self.is_raw:
            return self.query.strip()
        iv = self.interval if self.interval and self.interval != "auto" else interval
        q = f"{self.metric}[{iv}]"
        if self.dimensions:
            q += "{" + ", ".join(f"{k} = {_quote(v)}" for k, v in self.dimensions.items()) + "}"
        if self.group_by == GROUP_ALL:
            q += ".grouping()"
        elif self.group_by:
            q += f".groupBy({self.group_by})"
        return q + "." + mon.statistic_call(self.statistic or "mean")

    def metric_names(self) -> list[str]:
        if not self.is_raw:
            return [self.metric] if self.metric else []
        try:
            return sorted({leaf.metric for leaf in parse_leaves(self.query)})
        except mqlsyntax.MqlError:
            return []

    def groups_by_resource(self) -> bool:
        if not self.is_raw:
            return self.group_by == "resourceId"
        try:
            return any("resourceId" in (leaf.pre_group or ()) + (leaf.post_group or ())
                       for leaf in parse_leaves(self.query))
        except mqlsyntax.MqlError:
            return False

    def unit_and_range(self) -> tuple[str, tuple[float, float] | None]:
        names = self.metric_names()
        unit, rng = guess_unit(names[0] if len(names) == 1 else "")
        if self.unit is not None:
            return self.unit, (rng if self.unit == "%" else None)
        if self.statistic in ("count", "rate", "sum") and not self.is_raw:
            return "", None
        return unit, rng

    def to_json(self) -> dict:
        d = asdict(self)
        return {k: v for k, v in d.items() if v not in (None, "", {}) or k in ("title", "namespace", "compartment_id")}

    @classmethod
    def from_json(cls, d: dict) -> ChartQuery:
        known = {f for f in cls.__dataclass_fields__}
        kw = {k: v for k, v in d.items() if k in known}
        if kw.get("threshold") is not None:
            kw["threshold"] = float(kw["threshold"])
        kw["dimensions"] = {str(k): str(v) for k, v in (kw.get("dimensions") or {}).items()}
        return cls(**kw)


@dataclass
class Dashboard:
    name: str
    charts: list[ChartQuery] = field(default_factory=list)
    range_seconds: int = 3600
    columns: int = 2
    # seconds between refreshes; 0: off. Every range ends now (a live view): on by default
    auto_refresh: int = 60
    path: Path | None = None  # where it is saved (None: not yet)

    def to_json(self) -> dict:
        return {"version": 1, "name": self.name, "rangeSeconds": self.range_seconds, "columns": self.columns,
                "autoRefresh": self.auto_refresh, "charts": [c.to_json() for c in self.charts]}

    @classmethod
    def from_json(cls, d: dict, path: Path | None = None) -> Dashboard:
        if not isinstance(d, dict) or not isinstance(d.get("charts", []), list):
            raise ValueError("not a dashboard file")
        return cls(name=str(d.get("name") or (path.stem if path else "Dashboard")),
                   charts=[ChartQuery.from_json(c) for c in d.get("charts") or []],
                   range_seconds=int(d.get("rangeSeconds") or 3600), columns=max(1, min(4, int(d.get("columns") or 2))),
                   auto_refresh=int(d["autoRefresh"] or 0) if "autoRefresh" in d else 60, path=path)


def cpu_template(compartment_id: str, compartment_name: str, in_subtree: bool = True) -> Dashboard:
    """"CPU across all instances of <compartment>": one series per instance, by display name."""
    chart = ChartQuery(title=f"CPU utilization — instances of {compartment_name}", namespace="oci_computeagent",
                       compartment_id=compartment_id, in_subtree=in_subtree, metric="CpuUtilization",
                       statistic="mean", group_by="resourceId", threshold=80.0)
    mem = ChartQuery(title=f"Memory utilization — instances of {compartment_name}", namespace="oci_computeagent",
                     compartment_id=compartment_id, in_subtree=in_subtree, metric="MemoryUtilization",
                     statistic="mean", group_by="resourceId")
    return Dashboard(name=f"CPU across instances of {compartment_name}", charts=[chart, mem], range_seconds=6 * 3600,
                     columns=1)


def database_template(compartment_id: str, compartment_name: str, in_subtree: bool = True) -> Dashboard:
    """"Autonomous Databases of <compartment>": CPU, storage, sessions and executions, one series per database
    (named by its database name, the resourceName dimension)."""
    def chart(title: str, metric: str, statistic: str = "mean", threshold: float | None = None) -> ChartQuery:
        return ChartQuery(title=f"{title} — Autonomous Databases of {compartment_name}",
                          namespace="oci_autonomous_database", compartment_id=compartment_id, in_subtree=in_subtree,
                          metric=metric, statistic=statistic, group_by="resourceName", threshold=threshold)
    return Dashboard(name=f"Autonomous Databases of {compartment_name}", charts=[
        chart("CPU utilization", "CpuUtilization", threshold=80.0),
        chart("Storage utilization", "StorageUtilization", threshold=90.0),
        chart("Sessions", "Sessions"), chart("Executions", "ExecuteCount", "sum")],
        range_seconds=6 * 3600, columns=2)


class DashboardStore:
    """Dashboards as JSON files in one directory (the app's is `<data dir>/dashboards`)."""

    def __init__(self, directory: Path | str):
        self.dir = Path(directory)

    def _ensure(self) -> Path:
        self.dir.mkdir(parents=True, exist_ok=True)
        return self.dir

    def list(self) -> list[tuple[str, Path]]:
        """(name, path) of every readable dashboard, by name."""
        if not self.dir.is_dir():
            return []
        out = []
        for p in self.dir.glob("*.json"):
            try:
                name = json.loads(p.read_text(encoding="utf-8")).get("name") or p.stem
            except (OSError, ValueError, AttributeError):
                continue
            out.append((str(name), p))
        return sorted(out, key=lambda x: x[0].lower())

    def names(self) -> builtins.list[str]:  # (`list` is the method above)
        return [n for n, _p in self.list()]

    def load(self, path: Path) -> Dashboard:
        return Dashboard.from_json(json.loads(Path(path).read_text(encoding="utf-8")), Path(path))

    def open(self, name: str) -> Dashboard | None:
        p = next((p for n, p in self.list() if n == name), None)
        return self.load(p) if p is not None else None

    def _file_for(self, name: str) -> Path:
        stem = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.").lower()[:60] or "dashboard"
        p = self._ensure() / f"{stem}.json"
        n = 2
        while p.exists():
            p = self.dir / f"{stem}-{n}.json"
            n += 1
        return p

    def unique_name(self, wanted: str) -> str:
        names: set[str] = set(self.names())
        if wanted not in names:
            return wanted
        n = 2
        while f"{wanted} ({n})" in names:
            n += 1
        return f"{wanted} ({n})"

    def save(self, d: Dashboard) -> Path:
        """Write `d` (atomically); a new dashboard gets its own file."""
        if d.path is None:
            d.path = self._file_for(d.name)
        self._ensure()
        tmp = d.path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(d.to_json(), indent=2), encoding="utf-8")
        tmp.replace(d.path)
        return d.path

    def rename(self, d: Dashboard, name: str) -> None:
        name = name.strip()
        if not name:
            raise ValueError("a dashboard needs a name")
        if name != d.name and name in self.names():
            raise ValueError(f"a dashboard named '{name}' already exists")
        old = d.path
        d.name = name
        d.path = None
        self.save(d)
        if old is not None and old != d.path and old.exists():
            old.unlink()

    def delete(self, d: Dashboard) -> None:
        if d.path is not None and d.path.exists():
            d.path.unlink()
        d.path = None

    def ensure(self, d: Dashboard) -> tuple[Dashboard, bool]:
        """The saved dashboard named like `d` (a template chosen again: no "(2)", "(3)"…), or `d` saved
        as a new one. Returns (dashboard, made now)."""
        existing = self.open(d.name)
        if existing is not None:
            return existing, False
        self.save(d)
        return d, True


# ---------------------------------------------------------------- running the queries (no Qt)

async def compartment_pairs(session) -> list[tuple[object, int]]:
    """(compartment, depth) pairs of the whole tenancy, the root first, each followed by its subtree."""
    root, tree = await asyncio.gather(idsvc.get_compartment(session, session.tenancy_id),
                                      idsvc.compartment_tree(session))
    out = [(root, 0)]

    def walk(parent, depth):
        for c in tree.get(parent, []):
            out.append((c, depth))
            walk(c.id, depth + 1)
    walk(root.id, 1)
    return out


@dataclass
class ChartData:
    """What one chart's queries returned: series (label, epoch seconds, values) or an error."""

    query: str
    series: list[tuple[str, Any, Any]] = field(default_factory=list)  # numpy arrays of times and values
    error: str | None = None
    error_column: int | None = None  # a syntax error's column in the query
    seconds: float = 0.0


class QueryContext:
    """What a dashboard's queries share: the compartment tree and resource display names, cached."""

    def __init__(self, session):
        self.session = session
        self._tree: dict | None = None
        self._tree_task: asyncio.Task | None = None
        self._streams: dict[tuple, tuple[float, asyncio.Future]] = {}
        self.names: dict[str, str] = {}  # resourceId -> resourceDisplayName
        self.compartment_names: dict[str, str] = {}

    async def tree(self) -> dict:
        if self._tree is None:
            if self._tree_task is None or self._tree_task.cancelled():
                self._tree_task = asyncio.ensure_future(idsvc.compartment_tree(self.session))
            tree: dict = await asyncio.shield(self._tree_task)
            self._tree = tree
            for children in tree.values():
                for c in children:
                    self.compartment_names[c.id] = c.name
        return self._tree

    async def descendants(self, comp_id: str) -> list[str]:
        tree = await self.tree()
        out, stack = [], [comp_id]
        while stack:
            for c in tree.get(stack.pop(), []):
                out.append(c.id)
                stack.append(c.id)
        return out

    async def streams(self, comp_id: str, in_subtree: bool, namespace: str, metric: str | None) -> list:
        """ListMetrics (cached NAMES_TTL seconds, one call in flight per key); learns display names."""
        key = (comp_id, in_subtree, namespace, metric)
        hit = self._streams.get(key)
        if hit is not None and time.monotonic() - hit[0] < NAMES_TTL and not hit[1].cancelled() and \
                (not hit[1].done() or hit[1].exception() is None):
            return await asyncio.shield(hit[1])
        fut = asyncio.ensure_future(mon.metric_streams(self.session, comp_id, namespace, metric, in_subtree))
        self._streams[key] = (time.monotonic(), fut)
        items = await asyncio.shield(fut)
        for m in items:
            dims = m.dimensions or {}
            rid, name = dims.get("resourceId"), dims.get("resourceDisplayName")
            if rid and name:
                self.names[rid] = name
        return items

    def label(self, dims: dict, fallback: str) -> str:
        if dims.get("resourceDisplayName"):
            return dims["resourceDisplayName"]
        rid = dims.get("resourceId")
        if rid:
            return self.names.get(rid) or (rid if len(rid) < 30 else f"…{rid[-10:]}")
        if dims:
            return ", ".join(str(v) for _k, v in sorted(dims.items()))
        return fallback


async def fetch_chart(qctx: QueryContext, chart: ChartQuery, start: float, end: float) -> ChartData:
    """Run one chart's query (one per compartment when subcompartments of a non-root compartment are
    included: OCI allows compartmentIdInSubtree only at the tenancy). Never raises OciError."""
    t0 = time.monotonic()
    session = qctx.session
    query = chart.mql(auto_interval(end - start))
    data = ChartData(query)
    err = check_query(query)
    if err is not None:
        data.error, data.error_column = str(err), err.column
        return data
    if not chart.namespace:
        data.error = "Choose a metric namespace"
        return data
    root = session.tenancy_id
    metrics = chart.metric_names()
    metric = metrics[0] if len(metrics) == 1 else None
    try:
        if chart.in_subtree and chart.compartment_id == root:
            targets = [(root, True)]
        elif chart.in_subtree:
            comps = [chart.compartment_id] + await qctx.descendants(chart.compartment_id)
            try:  # only the compartments that have the metric (one ListMetrics across the tenancy)
                have = {m.compartment_id for m in await qctx.streams(root, True, chart.namespace, metric)}
                comps = [c for c in comps if c in have]
            except OciError:
                pass
            targets = [(c, False) for c in comps]
        else:
            targets = [(chart.compartment_id, False)]
        names_job = None
        if chart.groups_by_resource() and targets:
            comp, sub = (root, True) if len(targets) > 1 else targets[0]
            names_job = asyncio.ensure_future(qctx.streams(comp, sub, chart.namespace, metric))
        results = await asyncio.gather(*(mon.summarize_paced(session, c, chart.namespace, query, start, end,
                                                             in_subtree=sub) for c, sub in targets))
        if names_job is not None:
            try:
                await names_job
            except OciError:
                pass  # OCIDs instead of names
    except OciError as e:
        data.error = e.message if e.code in ("InvalidParameter", "MissingParameter") else e.summary()
        if e.request_id:
            data.error += f" (opc-request-id {e.request_id})"
        m = re.search(r"at column (\d+)", e.message or "")
        data.error_column = int(m.group(1)) if m else None
        data.seconds = time.monotonic() - t0
        return data
    labels: dict[str, int] = {}
    out = []
    several = len(targets) > 1
    for (comp, _sub), series in zip(targets, results, strict=True):
        for s in series:
            fallback = chart.title
            if several and not s.dimensions:
                fallback = qctx.compartment_names.get(comp, comp)
            label = qctx.label(s.dimensions, fallback)
            if label in labels:
                labels[label] += 1
                label = f"{label} ({labels[label]})"
            else:
                labels[label] = 1
            out.append((label, s.times, s.values))
    out.sort(key=lambda x: x[0].lower())
    data.series = out
    data.seconds = time.monotonic() - t0
    return data
