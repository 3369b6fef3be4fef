"""Monitoring dashboards: a grid of charts (one pyqtgraph ChartGrid), each chart a metric query
made in a builder (compartment and subcompartments, namespace, metric, dimension filters,
statistic, interval, group by) or typed in MQL (checked as you type; the service's 400 shown
inline too), one series per group (instances by display name), optional threshold line.

Dashboards are JSON files in `<data dir>/dashboards` (saved on every change); each remembers its
time range, columns and auto-refresh period.

Queries run through the service layer, one groupBy query per chart (never one per resource)
and at most a few in flight (`services.monitoring.QueryPacer`: 4 at once, 10 per second per
tenancy, OCI's limit). Each chart redraws when its data arrives.

Programmatic use (benchmarks)::

    view = DashboardView(session)                         # window optional
    view.set_dashboard(Dashboard("bench", [ChartQuery(...), ...], range_seconds=86400))
    drawn = await view.refresh()                          # an asyncio.Task: series drawn
    view.last_refresh_seconds                             # and `refreshed(int)` is emitted

The model (`ChartQuery`, `Dashboard`, `DashboardStore`, `fetch_chart`) is plain Python.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..catalog import mql as mqlcheck
from ..core.errors import OciError
from ..services import identity as idsvc
from ..services import monitoring as mon
from ..services.monitoring import auto_interval
from . import aio, paths
from .qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    Qt,
    QTimer,
    QToolBar,
    QToolButton,
    QtWidgets,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import (
    DEPTH_ROLE,
    IndentDelegate,
    NumberEdit,
    error_colour,
    help_colour,
    help_label,
    monospace_font,
    small_font,
)

log = logging.getLogger(__name__)

RANGES = [("Last hour", 3600), ("Last 6 hours", 6 * 3600), ("Last 24 hours", 24 * 3600),
          ("Last 7 days", 7 * 24 * 3600)]
INTERVALS = [("Auto", "auto"), ("1 minute", "1m"), ("5 minutes", "5m"), ("1 hour", "1h"), ("1 day", "1d")]
STATISTICS = [("Mean", "mean"), ("Max", "max"), ("Min", "min"), ("Sum", "sum"), ("Count", "count"),
              ("Rate", "rate"), ("P50", "p50"), ("P90", "p90"), ("P95", "p95"), ("P99", "p99")]
GROUP_ALL = "*"  # grouping(): every stream in one series
NAMES_TTL = 600.0  # seconds a compartment's resource names (ListMetrics) are reused
ROW_HEIGHT = 250
BUILD_SLICE_MS = 5  # charts are made for at most this long per event-loop turn (so one at a time: ~10 ms each)


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
            return sorted({leaf.metric for leaf in mqlcheck.parse(self.query)})
        except mqlcheck.MqlError:
            return []

    def groups_by_resource(self) -> bool:
        if not self.is_raw:
            return self.group_by == "resourceId"
        try:
            return any("resourceId" in (leaf.pre_group or ()) + (leaf.post_group or ())
                       for leaf in mqlcheck.parse(self.query))
        except mqlcheck.MqlError:
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


class DashboardStore:
    """Dashboards as JSON files in one directory (default `<data dir>/dashboards`)."""

    def __init__(self, directory: Path | None = None):
        self.dir = Path(directory) if directory is not None else paths.data_dir() / "dashboards"

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

    def names(self) -> list[str]:
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
        names = set(self.names())
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


# ---------------------------------------------------------------- running the queries (no Qt)

@dataclass
class ChartData:
    """What one chart's queries returned: series (label, epoch seconds, values) or an error."""

    query: str
    series: list[tuple[str, object, object]] = field(default_factory=list)
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
            self._tree = await asyncio.shield(self._tree_task)
            for children in self._tree.values():
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
    err = mqlcheck.check(query)
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


# ---------------------------------------------------------------- widgets

def compartment_items(combo: QComboBox, pairs, current: str | None = None) -> None:
    """Fill a combo with (compartment, depth) pairs, indented as a tree."""
    combo.blockSignals(True)
    combo.clear()
    if not isinstance(combo.itemDelegate(), IndentDelegate):
        combo.setItemDelegate(IndentDelegate(combo))
    for c, depth in pairs:
        combo.addItem(c.name, c.id)
        combo.setItemData(combo.count() - 1, depth, DEPTH_ROLE)
    i = combo.findData(current) if current else -1
    combo.setCurrentIndex(max(i, 0))
    combo.blockSignals(False)


async def load_compartments(session, window=None) -> list[tuple[object, int]]:
    """(compartment, depth) pairs, root first: the window's tree if it has them all, else loaded."""
    if window is not None and getattr(window, "tree_model", None) is not None and window.tree_model.subtree_loaded:
        return window.tree_model.all_compartments()
    root, tree = await asyncio.gather(idsvc.get_compartment(session, session.tenancy_id),
                                      idsvc.compartment_tree(session))
    out = [(root, 0)]

    def walk(parent, depth):
        for c in tree.get(parent, []):
            out.append((c, depth))
            walk(c.id, depth + 1)
    walk(root.id, 1)
    return out


class FilterRow(QWidget):
    """One dimension filter: key = value, both picked from the metric's dimensions (or typed)."""

    changed = Signal()
    removed = Signal(object)

    def __init__(self, keys: list[str], values_for, parent=None):
        super().__init__(parent)
        self.values_for = values_for
        self.key = QComboBox(self)
        self.key.setEditable(True)
        self.key.addItems(keys)
        self.key.setMinimumContentsLength(14)
        self.value = QComboBox(self)
        self.value.setEditable(True)
        self.value.setMinimumContentsLength(18)
        self.value.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.remove = QToolButton(self)
        self.remove.setText("✕")
        self.remove.setToolTip("Remove this filter")
        self.remove.setAutoRaise(True)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.key, 2)
        eq = QLabel("=")
        lay.addWidget(eq)
        lay.addWidget(self.value, 3)
        lay.addWidget(self.remove)
        self.key.currentTextChanged.connect(self._key_changed)
        self.value.currentTextChanged.connect(lambda _t: self.changed.emit())
        self.remove.clicked.connect(lambda: self.removed.emit(self))
        self._key_changed(self.key.currentText())

    def _key_changed(self, key: str) -> None:
        current = self.value.currentText()
        values = self.values_for(key)
        self.value.blockSignals(True)
        self.value.clear()
        self.value.addItems(values)
        if current and (current in values or not values):
            self.value.setCurrentText(current)
        self.value.blockSignals(False)
        self.changed.emit()

    def pair(self) -> tuple[str, str] | None:
        k, v = self.key.currentText().strip(), self.value.currentText().strip()
        return (k, v) if k and v else None


class ChartDialog(QDialog):
    """Build or edit one chart: the builder, or MQL typed with inline errors; Preview runs it.
    Show with open(); `chartAccepted(ChartQuery)` when OK is pressed."""

    chartAccepted = Signal(object)
    previewed = Signal(object)  # ChartData
    loaded = Signal(str)  # "namespaces" | "metrics" | "dimensions": options arrived

    def __init__(self, qctx: QueryContext, compartments: list, chart: ChartQuery | None = None, range_seconds=3600,
                 parent=None):
        super().__init__(parent)
        self.qctx = qctx
        self.session = qctx.session
        self.range_seconds = range_seconds
        self.editing = chart is not None
        self._tasks = aio.TaskGroup()
        self._streams: list = []
        self._alive = True
        self._busy: set[str] = set()
        self.setWindowTitle("Edit chart" if chart else "Add chart")
        self.setModal(True)
        chart = chart or ChartQuery(title="", namespace="", in_subtree=True, group_by="resourceId",
                                    compartment_id=compartments[0][0].id if compartments else self.session.tenancy_id)
        self.initial = chart

        self.title = QLineEdit(chart.title)
        self.title.setPlaceholderText("Chart title (default: the metric)")
        self.compartment_box = QComboBox()
        self.compartment_box.setMinimumContentsLength(28)
        self.compartment_box.setObjectName("compartment")
        compartment_items(self.compartment_box, compartments, chart.compartment_id)
        self.subtree = QCheckBox("Include subcompartments")
        self.subtree.setChecked(chart.in_subtree)
        self.namespace_box = QComboBox()
        self.namespace_box.setObjectName("namespace")
        self.namespace_box.setMinimumContentsLength(24)
        self.metric_box = QComboBox()
        self.metric_box.setObjectName("metric")
        self.metric_box.setMinimumContentsLength(24)
        self.filters_box = QVBoxLayout()
        self.filters_box.setContentsMargins(0, 0, 0, 0)
        self.filters_box.setSpacing(4)
        self.filter_rows: list[FilterRow] = []
        self.add_filter = QPushButton("Add filter")
        self.add_filter.setAutoDefault(False)
        self.statistic = QComboBox()
        for label, v in STATISTICS:
            self.statistic.addItem(label, v)
        self.statistic.setCurrentIndex(max(0, self.statistic.findData(chart.statistic)))
        self.interval = QComboBox()
        for label, v in INTERVALS:
            self.interval.addItem(label, v)
        self.interval.setCurrentIndex(max(0, self.interval.findData(chart.interval)))
        self.group_by = QComboBox()
        self.group_by.setObjectName("group_by")
        self._set_group_options([], chart.group_by)
        self.threshold_on = QCheckBox("Threshold line at")
        self.threshold = NumberEdit()
        if chart.threshold is not None:
            self.threshold_on.setChecked(True)
            self.threshold.setValue(chart.threshold)
        self.threshold.setEnabled(self.threshold_on.isChecked())

        self.mode_builder = QRadioButton("Builder")
        self.mode_mql = QRadioButton("MQL")
        (self.mode_mql if chart.is_raw else self.mode_builder).setChecked(True)
        self.mql = QPlainTextEdit()
        self.mql.setObjectName("mql")
        self.mql.setFont(monospace_font())
        self.mql.setPlaceholderText('CpuUtilization[1m]{availabilityDomain =~ "*AD-1"}.groupBy(resourceId).mean()')
        self.mql.setFixedHeight(self.mql.fontMetrics().lineSpacing() * 4 + 14)
        self.mql.setPlainText(chart.query if chart.is_raw else "")
        self.generated = QLabel()
        self.generated.setFont(monospace_font())
        self.generated.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.generated.setWordWrap(True)
        self.generated.setStyleSheet(f"color: {help_colour(self)};")
        self.error = QLabel()
        self.error.setObjectName("mqlError")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.RichText)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet(f"color: {error_colour(self)};")
        self.error.hide()
        self.caret = QLabel()  # the query with a caret under the error's column (plain monospace text)
        self.caret.setObjectName("mqlCaret")
        self.caret.setFont(monospace_font())
        self.caret.setTextFormat(Qt.TextFormat.PlainText)
        self.caret.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caret.hide()
        self.status = QLabel()
        self.status.setStyleSheet(f"color: {help_colour(self)};")
        self.status.setWordWrap(True)

        # ---- layout
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Title:", self.title)
        comp_row = QHBoxLayout()
        comp_row.addWidget(self.compartment_box, 1)
        comp_row.addWidget(self.subtree)
        form.addRow("Compartment:", comp_row)
        form.addRow("Namespace:", self.namespace_box)
        modes = QHBoxLayout()
        modes.addWidget(self.mode_builder)
        modes.addWidget(self.mode_mql)
        modes.addStretch(1)
        form.addRow("Query:", modes)

        builder = QWidget()
        bf = QFormLayout(builder)
        bf.setContentsMargins(0, 0, 0, 0)
        bf.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        bf.addRow("Metric:", self.metric_box)
        fl = QVBoxLayout()
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addLayout(self.filters_box)
        fa = QHBoxLayout()
        fa.addWidget(self.add_filter)
        fa.addStretch(1)
        fl.addLayout(fa)
        bf.addRow("Dimensions:", fl)
        sg = QHBoxLayout()
        sg.addWidget(self.statistic)
        sg.addWidget(QLabel("  Interval"))
        sg.addWidget(self.interval)
        sg.addStretch(1)
        bf.addRow("Statistic:", sg)
        bf.addRow("Group by:", self.group_by)
        bf.addRow("", self.generated)
        raw = QWidget()
        rl = QVBoxLayout(raw)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.mql)
        rl.addWidget(help_label("Metric[interval]{dimension filters}.groupBy(dimension).statistic() — "
                                "the namespace and compartment above apply", raw))
        self.pages = QStackedWidget()
        self.pages.addWidget(builder)
        self.pages.addWidget(raw)

        th = QHBoxLayout()
        th.addWidget(self.threshold_on)
        th.addWidget(self.threshold)
        th.addStretch(1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save chart" if self.editing else "Add chart")
        self.preview_button = self.buttons.addButton("Preview", QDialogButtonBox.ButtonRole.ActionRole)
        for b in (self.ok_button, self.preview_button):
            b.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.preview_button.clicked.connect(self.preview)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 14, 16, 12)
        lay.addLayout(form)
        lay.addWidget(self.pages)
        lay.addWidget(self.error)
        lay.addWidget(self.caret)
        lay.addLayout(th)
        lay.addStretch(1)
        lay.addWidget(self.status)
        lay.addWidget(self.buttons)
        self.resize(660, self.sizeHint().height() + 40)

        # ---- behaviour
        self.compartment_box.currentIndexChanged.connect(lambda _i: self._load_namespaces())
        self.subtree.toggled.connect(lambda _b: self._load_namespaces())
        self.namespace_box.currentIndexChanged.connect(lambda _i: self._load_metrics())
        self.metric_box.currentIndexChanged.connect(lambda _i: self._load_dimensions())
        self.add_filter.clicked.connect(lambda: self.add_filter_row())
        for w in (self.statistic, self.interval, self.group_by):
            w.currentIndexChanged.connect(lambda _i: self._update())
        self.threshold_on.toggled.connect(self.threshold.setEnabled)
        self.threshold_on.toggled.connect(lambda _b: self._update())
        self.threshold.valueEdited.connect(self._update)
        self.mode_builder.toggled.connect(self._mode_changed)
        self.mql.textChanged.connect(self._update)
        self.title.textChanged.connect(lambda _t: self._update())
        self.finished.connect(self._closed)
        self._show_page(1 if chart.is_raw else 0)
        self._wanted_ns = chart.namespace
        self._wanted_metric = chart.metric
        self._wanted_filters = dict(chart.dimensions)
        self._load_namespaces()
        self._update()

    # ------------------------------------------------------------ loading options
    def _closed(self, _r) -> None:
        self._alive = False
        self._tasks.cancel_all()

    @property
    def busy(self) -> bool:
        return bool(self._busy)

    def _scope(self) -> tuple[str, bool]:
        comp = self.compartment_box.currentData() or self.session.tenancy_id
        sub = self.subtree.isChecked()
        if sub and comp != self.session.tenancy_id:  # OCI lists in a subtree only from the tenancy
            return self.session.tenancy_id, True
        return comp, sub

    def _load_namespaces(self) -> None:
        self._busy.add("namespaces")
        self._set_status("Loading namespaces…")
        self._tasks.replace("ns", self._namespaces(*self._scope()))

    async def _namespaces(self, comp: str, sub: bool) -> None:
        try:
            names = await mon.namespaces(self.session, comp, sub)
        except OciError as e:
            names = []
            self._set_status(f"Could not load namespaces: {e.summary()}")
        if not self._alive:
            return
        want = self.namespace_box.currentText() or self._wanted_ns or \
            ("oci_computeagent" if "oci_computeagent" in names else "")
        if want and want not in names:
            names = sorted([*names, want])
        self.namespace_box.blockSignals(True)
        self.namespace_box.clear()
        self.namespace_box.addItems(names)
        if want:
            self.namespace_box.setCurrentIndex(max(0, self.namespace_box.findText(want)))
        self.namespace_box.blockSignals(False)
        self._busy.discard("namespaces")
        self.loaded.emit("namespaces")
        self._load_metrics()

    def _load_metrics(self) -> None:
        ns = self.namespace_box.currentText()
        if not ns:
            self._set_status("No metrics in this compartment")
            return
        self._busy.add("metrics")
        self._set_status("Loading metrics…")
        self._tasks.replace("metrics", self._metrics(ns, *self._scope()))

    async def _metrics(self, ns: str, comp: str, sub: bool) -> None:
        try:
            names = await mon.metric_names(self.session, comp, ns, sub)
        except OciError as e:
            names = []
            self._set_status(f"Could not load metrics: {e.summary()}")
        if not self._alive:
            return
        want = self.metric_box.currentText() or self._wanted_metric or \
            ("CpuUtilization" if "CpuUtilization" in names else "")
        self.metric_box.blockSignals(True)
        self.metric_box.clear()
        self.metric_box.addItems(names)
        if want in names:
            self.metric_box.setCurrentIndex(names.index(want))
        self.metric_box.blockSignals(False)
        self._busy.discard("metrics")
        self.loaded.emit("metrics")
        self._load_dimensions()

    def _load_dimensions(self) -> None:
        ns, metric = self.namespace_box.currentText(), self.metric_box.currentText()
        if not ns or not metric:
            self._update()
            return
        self._busy.add("dimensions")
        self._tasks.replace("dims", self._dimensions(ns, metric, *self._scope()))

    async def _dimensions(self, ns: str, metric: str, comp: str, sub: bool) -> None:
        try:
            self._streams = await self.qctx.streams(comp, sub, ns, metric)
        except OciError as e:
            self._streams = []
            self._set_status(f"Could not load dimensions: {e.summary()}")
        if not self._alive:
            return
        self._busy.discard("dimensions")
        keys = self.dimension_keys()
        self._set_group_options(keys, self.group_by.currentData() if self.group_by.count() else
                                self.initial.group_by)
        if self._wanted_filters:
            for k, v in self._wanted_filters.items():
                self.add_filter_row(k, v)
            self._wanted_filters = {}
        for row in self.filter_rows:
            row._key_changed(row.key.currentText())
        if not self.title.text() and not self.editing:
            self.title.setPlaceholderText(metric)
        self._set_status(f"{len(self._streams)} stream{'s' if len(self._streams) != 1 else ''} of {metric}")
        self.loaded.emit("dimensions")
        self._update()

    def dimension_keys(self) -> list[str]:
        keys: set[str] = set()
        for m in self._streams:
            keys.update((m.dimensions or {}).keys())
        return sorted(keys)

    def dimension_values(self, key: str) -> list[str]:
        vals = {str((m.dimensions or {}).get(key)) for m in self._streams if (m.dimensions or {}).get(key)}
        return sorted(vals)

    def _set_group_options(self, keys: list[str], current: str) -> None:
        self.group_by.blockSignals(True)
        self.group_by.clear()
        self.group_by.addItem("Each stream (no grouping)", "")
        self.group_by.addItem("Resource (resourceId) — one line per instance", "resourceId")
        for k in keys:
            if k != "resourceId":
                self.group_by.addItem(k, k)
        self.group_by.addItem("Everything together (grouping)", GROUP_ALL)
        i = self.group_by.findData(current or "")
        self.group_by.setCurrentIndex(max(0, i))
        self.group_by.blockSignals(False)

    def add_filter_row(self, key: str = "", value: str = "") -> FilterRow:
        keys = self.dimension_keys()
        row = FilterRow(keys, self.dimension_values, self)
        if key:
            row.key.setCurrentText(key)
            row._key_changed(key)
        if value:
            row.value.setCurrentText(value)
        row.changed.connect(self._update)
        row.removed.connect(self._remove_filter)
        self.filters_box.addWidget(row)
        self.filter_rows.append(row)
        self._update()
        return row

    def _remove_filter(self, row: FilterRow) -> None:
        self.filter_rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        self._update()

    # ------------------------------------------------------------ the query
    def _mode_changed(self, builder: bool) -> None:
        if not builder and not self.mql.toPlainText().strip():
            self.mql.setPlainText(self.chart(force_builder=True).mql(auto_interval(self.range_seconds)))
        self._show_page(0 if builder else 1)
        self._update()

    def _show_page(self, i: int) -> None:
        """The stack takes the size of its current page only (the builder is taller than the MQL box)."""
        for j in range(self.pages.count()):
            pol = QSizePolicy.Policy.Preferred if j == i else QSizePolicy.Policy.Ignored
            self.pages.widget(j).setSizePolicy(pol, pol)
        self.pages.setCurrentIndex(i)
        self.pages.adjustSize()

    def chart(self, force_builder: bool = False) -> ChartQuery:
        """The chart as the dialog describes it now."""
        raw = self.mode_mql.isChecked() and not force_builder
        metric = self.metric_box.currentText()
        dims = dict(p for p in (r.pair() for r in self.filter_rows) if p)
        thr = self.threshold.value() if self.threshold_on.isChecked() else None
        title = self.title.text().strip() or (metric if not raw else "") or "Chart"
        if raw:
            names = ChartQuery("", "", "", query=self.mql.toPlainText()).metric_names()
            title = self.title.text().strip() or (names[0] if len(names) == 1 else "Query")
        return ChartQuery(
            title=title, namespace=self.namespace_box.currentText(),
            compartment_id=self.compartment_box.currentData() or self.session.tenancy_id,
            in_subtree=self.subtree.isChecked(), metric="" if raw else metric,
            statistic=self.statistic.currentData() or "mean", interval=self.interval.currentData() or "auto",
            dimensions={} if raw else dims, group_by="" if raw else (self.group_by.currentData() or ""),
            query=self.mql.toPlainText().strip() if raw else "", threshold=float(thr) if thr is not None else None)

    def problem(self) -> tuple[str, int | None] | None:
        """What stops the chart from being saved: (message, column) or None."""
        c = self.chart()
        if not c.namespace:
            return ("Choose a metric namespace", None)
        if c.is_raw or self.mode_mql.isChecked():
            err = mqlcheck.check(self.mql.toPlainText())
            if err is not None:
                return (str(err), err.column)
            return None
        if not c.metric:
            return ("Choose a metric", None)
        if self.threshold_on.isChecked() and self.threshold.value() is None:
            return ("Type the threshold's value", None)
        return None

    def _update(self) -> None:
        if not hasattr(self, "ok_button"):
            return
        c = self.chart()
        if not self.mode_mql.isChecked():
            self.generated.setText(c.mql(auto_interval(self.range_seconds)) if c.metric else "")
        p = self.problem()
        if p is not None and (self.mode_mql.isChecked() and self.mql.toPlainText().strip()):
            self.show_error(p[0], p[1])
        else:
            self.show_error(None)
        self.ok_button.setEnabled(p is None)
        self.preview_button.setEnabled(p is None)

    def show_error(self, message: str | None, column: int | None = None) -> None:
        """An error under the query, with a caret under its column when there is one."""
        if not message:
            self.error.hide()
            self.error.setText("")
            self.caret.hide()
            return
        self.error.setText(_esc(message))
        self.error.show()
        self.caret.hide()
        if column is not None:
            text = self.mql.toPlainText().replace("\n", " ") if self.mode_mql.isChecked() else \
                self.chart().mql(auto_interval(self.range_seconds))
            if column - 1 <= len(text):
                self.caret.setText(f"{text}\n{' ' * (column - 1)}^")
                self.caret.show()

    def error_text(self) -> str:
        """The error under the query ("" when none), with its caret line."""
        if not self.error.isVisible():
            return ""
        return self.error.text() + ("\n" + self.caret.text() if self.caret.isVisible() else "")

    def _set_status(self, text: str) -> None:
        if self._alive:
            self.status.setText(text)

    # ------------------------------------------------------------ preview / accept
    def preview(self) -> None:
        if self.problem() is not None:
            return
        end = time.time()
        self._set_status("Running the query…")
        self._tasks.replace("preview", self._preview(self.chart(), end - self.range_seconds, end))

    async def _preview(self, chart: ChartQuery, start: float, end: float) -> None:
        data = await fetch_chart(self.qctx, chart, start, end)
        if not self._alive:
            return
        if data.error:
            self.show_error(data.error, data.error_column)
            self._set_status("The service refused the query")
        else:
            self.show_error(None)
            n = sum(len(t) for _l, t, _v in data.series)
            names = ", ".join(label for label, _t, _v in data.series[:6])
            more = f" and {len(data.series) - 6} more" if len(data.series) > 6 else ""
            self._set_status(f"{len(data.series)} series, {n:,} points in {data.seconds:.2f} s: {names}{more}")
        self.previewed.emit(data)

    def accept(self) -> None:
        if self.problem() is not None:
            return
        chart = self.chart()
        super().accept()
        self.chartAccepted.emit(chart)


def _esc(s: str) -> str:
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class DashboardView(QWidget):
    """A dashboard: its charts in one ChartGrid, toolbar (dashboards, range, auto-refresh,
    refresh, add chart, exports), a side list of its charts (edit, remove, reorder)."""

    wide = True  # the window gives it the details pane's room while shown
    refreshed = Signal(int)  # series drawn by a full refresh
    chartDrawn = Signal(int)  # index of a chart whose data arrived
    dashboardChanged = Signal(object)  # the Dashboard shown (or None)

    def __init__(self, session, window=None, store: DashboardStore | None = None, parent=None):
        super().__init__(parent)
        self.session = session
        self.main_window = window
        self.store = store or DashboardStore()
        self.qctx = QueryContext(session)
        self.dashboard: Dashboard | None = None
        self.generation = 0
        self.data: list[ChartData | None] = []
        self.last_refresh_seconds: float | None = None
        self._built = asyncio.Event()  # every chart of the dashboard is made (they are made a few per turn)
        self._build_generation = 0
        # answers are drawn one chart per event-loop turn (a timer tick each): several arriving together
        # were drawn back to back, 4-6 first draws of ~20 ms in one freeze
        self._pending_draws: dict[int, tuple] = {}
        self._drawn = asyncio.Event()
        self._drawn.set()
        self._draw_timer = QTimer(self)
        self._draw_timer.setSingleShot(True)
        self._draw_timer.setInterval(0)
        self._draw_timer.timeout.connect(self._draw_next)
        self._window: tuple[float, float] | None = None  # the time window of the data last fetched
        self._tasks = aio.TaskGroup()
        self._refresh_task: asyncio.Task | None = None
        self._compartments: list | None = None
        self._dialog = None
        self._timer = QTimer(self)
        # auto-refresh: hidden dashboards wait, and one still loading is not started again
        self._timer.timeout.connect(lambda: self.isVisible() and not self._tasks.running("refresh") and self.refresh())
        self.setObjectName("dashboardView")
        self._build()
        self._fill_dashboard_list()
        self._show_state()

    # ------------------------------------------------------------ layout
    def _build(self) -> None:
        from .charts import ChartGrid
        from .icons import icon

        self.title = QLabel("Dashboards")
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.25 if f.pointSizeF() > 0 else 12)
        f.setBold(True)
        self.title.setFont(f)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.chooser = QComboBox()
        self.chooser.setObjectName("dashboardChooser")
        self.chooser.setMinimumContentsLength(22)
        self.chooser.setToolTip("Open a saved dashboard")
        self.chooser.activated.connect(self._chosen)
        self.manage = QToolButton()
        self.manage.setText("Dashboard")
        self.manage.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.manage_menu = QMenu(self)
        self.new_action = self.manage_menu.addAction(icon("create"), "New empty dashboard", self.new_dashboard)
        self.template_action = self.manage_menu.addAction(icon("dashboard"), "New: CPU across instances…",
                                                          self.new_from_template)
        self.manage_menu.addSeparator()
        self.rename_action = self.manage_menu.addAction(icon("rename"), "Rename…", self.ask_rename)
        self.delete_action = self.manage_menu.addAction(icon("delete"), "Delete…", self.ask_delete)
        self.manage.setMenu(self.manage_menu)
        self.manage_menu.aboutToShow.connect(self._update_template_label)

        self.range_combo = QComboBox()
        self.range_combo.setObjectName("range")
        for label, secs in RANGES:
            self.range_combo.addItem(label, secs)
        self.range_combo.currentIndexChanged.connect(self._range_changed)
        self.columns = QSpinBox()
        self.columns.setRange(1, 4)
        self.columns.setPrefix("Columns: ")
        self.columns.valueChanged.connect(self._columns_changed)
        self.auto = QCheckBox("Auto-refresh")
        self.period = QSpinBox()
        self.period.setRange(10, 3600)
        self.period.setValue(60)
        self.period.setSuffix(" s")
        self.auto.toggled.connect(self._auto_changed)
        self.period.valueChanged.connect(lambda _v: self._auto_changed(self.auto.isChecked()))
        self.refresh_button = QPushButton(icon("refresh"), "Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.add_button = QPushButton(icon("create"), "Add chart…")
        self.add_button.clicked.connect(lambda: self.edit_chart(None))
        self.export_button = QToolButton()
        self.export_button.setText("Export")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        em = QMenu(self)
        em.addAction("PNG image…", lambda: self._save("png"))
        em.addAction("CSV data…", lambda: self._save("csv"))
        self.export_button.setMenu(em)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.chooser)
        top.addWidget(self.manage)
        # a tool bar, not a row of widgets: narrower than its contents it puts the rest behind its "»" button,
        # where a row would hold the view (and with it the window's centre) at the row's full width
        bar = self.bar = QToolBar("Dashboard")
        bar.setObjectName("dashboardBar")
        bar.setMovable(False)
        bar.setFloatable(False)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        for w in (self.range_combo, self.columns, self.auto, self.period, spacer,
                  self.add_button, self.refresh_button, self.export_button):
            bar.addWidget(w)

        # charts list (left)
        self.chart_list = QListWidget()
        self.chart_list.setObjectName("chartList")
        self.chart_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.chart_list.itemDoubleClicked.connect(lambda it: self.edit_chart(self.chart_list.row(it)))
        self.chart_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.chart_list.customContextMenuRequested.connect(self._list_menu)
        self.edit_button = QToolButton()
        self.edit_button.setIcon(icon("edit"))
        self.edit_button.setToolTip("Edit the chart")
        self.edit_button.clicked.connect(lambda: self.edit_chart(self.chart_list.currentRow()))
        self.remove_button = QToolButton()
        self.remove_button.setIcon(icon("delete"))
        self.remove_button.setToolTip("Remove the chart")
        self.remove_button.clicked.connect(lambda: self.remove_chart(self.chart_list.currentRow()))
        self.up_button = QToolButton()
        self.up_button.setIcon(icon("up"))
        self.up_button.setToolTip("Move up")
        self.up_button.clicked.connect(lambda: self.move_chart(self.chart_list.currentRow(), -1))
        self.down_button = QToolButton()
        self.down_button.setText("↓")
        self.down_button.setToolTip("Move down")
        self.down_button.clicked.connect(lambda: self.move_chart(self.chart_list.currentRow(), 1))
        side = QWidget()
        sl = QVBoxLayout(side)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.setSpacing(4)
        head = QLabel("Charts")
        head.setFont(small_font(0))
        sl.addWidget(head)
        sl.addWidget(self.chart_list, 1)
        sb = QHBoxLayout()
        for b in (self.edit_button, self.remove_button, self.up_button, self.down_button):
            b.setAutoRaise(True)
            sb.addWidget(b)
        sb.addStretch(1)
        sl.addLayout(sb)

        self.grid = ChartGrid(columns=2)
        self.grid.view.setBackground("w")
        self.grid.hovered.connect(lambda text: text and self.status.setText(text.replace("\n", "   ")))
        self.grid.view.scene().sigMouseClicked.connect(self._scene_clicked)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.grid)

        self.empty = QWidget()
        el = QVBoxLayout(self.empty)
        el.addStretch(1)
        self.empty_text = QLabel()
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text.setWordWrap(True)
        self.empty_text.setStyleSheet(f"color: {help_colour(self)}; font-size: 11pt;")
        el.addWidget(self.empty_text)
        eb = QHBoxLayout()
        eb.addStretch(1)
        self.empty_new = QPushButton(icon("create"), "New empty dashboard")
        self.empty_new.clicked.connect(self.new_dashboard)
        self.empty_template = QPushButton(icon("dashboard"), "CPU across instances…")
        self.empty_template.clicked.connect(self.new_from_template)
        self.empty_add = QPushButton(icon("create"), "Add a chart…")
        self.empty_add.clicked.connect(lambda: self.edit_chart(None))
        for b in (self.empty_new, self.empty_template, self.empty_add):
            eb.addWidget(b)
        eb.addStretch(1)
        el.addLayout(eb)
        el.addStretch(2)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.scroll_area)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(side)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([170, 800])
        self.side = side

        self.status = QLabel("")
        self.status.setObjectName("dashboardStatus")
        self.status.setStyleSheet(f"color: {help_colour(self)};")
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 2)
        lay.addLayout(top)
        lay.addWidget(bar)
        lay.addWidget(self.splitter, 1)
        lay.addWidget(self.status)

    # ------------------------------------------------------------ dashboards
    def current_compartment(self):
        comp = getattr(self.main_window, "current_compartment", None) if self.main_window is not None else None
        return comp

    def _update_template_label(self) -> None:
        comp = self.current_compartment()
        name = comp.name if comp is not None else "the tenancy"
        self.template_action.setText(f"New: CPU across instances of {name}")
        self.empty_template.setText(f"CPU across instances of {name}")

    def _fill_dashboard_list(self) -> None:
        self.chooser.blockSignals(True)
        self.chooser.clear()
        entries = self.store.list()
        for name, path in entries:
            self.chooser.addItem(name, str(path))
        if not entries:
            self.chooser.addItem("(no saved dashboards)", None)
        if self.dashboard is not None and self.dashboard.path is not None:
            self.chooser.setCurrentIndex(max(0, self.chooser.findData(str(self.dashboard.path))))
        self.chooser.setEnabled(bool(entries))
        self.chooser.blockSignals(False)

    def _chosen(self, i: int) -> None:
        path = self.chooser.itemData(i)
        if path and (self.dashboard is None or str(self.dashboard.path) != path):
            self.open_path(Path(path))

    def open_path(self, path: Path) -> bool:
        try:
            d = self.store.load(path)
        except (OSError, ValueError, TypeError) as e:
            self.status.setText(f"Cannot open {path.name}: {e}")
            return False
        self.set_dashboard(d)
        return True

    def open_named(self, name: str) -> bool:
        p = next((p for n, p in self.store.list() if n == name), None)
        return p is not None and self.open_path(p)

    def new_dashboard(self, name: str | None = None) -> Dashboard:
        d = Dashboard(self.store.unique_name(name or "New dashboard"))
        self.store.save(d)
        self.set_dashboard(d)
        return d

    def new_from_template(self, compartment=None) -> Dashboard:
        """"CPU across all instances of <compartment>" (the window's current one, or the tenancy)."""
        comp = compartment or self.current_compartment()
        if comp is None:
            comp_id, comp_name = self.session.tenancy_id, "the tenancy"
        else:
            comp_id, comp_name = comp.id, comp.name
        d = cpu_template(comp_id, comp_name, in_subtree=True)
        existing = self.store.open(d.name)
        if existing is not None:  # chosen again: the one made before opens (no "(2)", "(3)"…)
            self.set_dashboard(existing)
            return existing
        self.store.save(d)
        self.set_dashboard(d)
        return d

    def set_dashboard(self, d: Dashboard | None) -> None:
        """Show `d` (its range, columns, auto-refresh) and load its charts."""
        self.dashboard = d
        self.generation += 1
        self._tasks.cancel_all()
        if d is not None:
            for w, v in ((self.range_combo, max(0, self.range_combo.findData(d.range_seconds))),):
                w.blockSignals(True)
                w.setCurrentIndex(v)
                w.blockSignals(False)
            self.columns.blockSignals(True)
            self.columns.setValue(d.columns)
            self.columns.blockSignals(False)
            self.auto.blockSignals(True)
            self.auto.setChecked(d.auto_refresh > 0)
            self.auto.blockSignals(False)
            if d.auto_refresh > 0:
                self.period.blockSignals(True)
                self.period.setValue(d.auto_refresh)
                self.period.blockSignals(False)
            self._auto_changed(d.auto_refresh > 0, save=False)
        else:
            self._timer.stop()
        self._fill_dashboard_list()
        self._rebuild()
        self._show_state()
        self.dashboardChanged.emit(d)
        if d is not None and d.charts:
            self.refresh()

    def _show_state(self) -> None:
        d = self.dashboard
        has = d is not None
        self.title.setText(d.name if has else "Dashboards")
        for w in (self.add_button, self.refresh_button, self.export_button, self.range_combo, self.columns, self.auto,
                  self.period, self.side):
            w.setEnabled(has)
        self.rename_action.setEnabled(has)
        self.delete_action.setEnabled(has)
        self.side.setVisible(has and bool(d.charts))
        self._update_template_label()
        if has and d.charts:
            self.stack.setCurrentWidget(self.scroll_area)
        else:
            self.stack.setCurrentWidget(self.empty)
            if has:
                self.empty_text.setText(f"{d.name} has no charts yet.")
            elif self.store.list():
                self.empty_text.setText("Open a dashboard above, or make a new one.")
            else:
                self.empty_text.setText("No dashboards yet.\nMake one, or start from CPU across the instances of a "
                                        "compartment.")
            self.empty_new.setVisible(not has)
            self.empty_template.setVisible(not has)
            self.empty_add.setVisible(has)

    def save(self) -> None:
        if self.dashboard is None:
            return
        try:
            self.store.save(self.dashboard)
        except OSError as e:
            self.status.setText(f"Could not save the dashboard: {e}")

    def ask_rename(self) -> None:
        if self.dashboard is None:
            return
        dlg = QtWidgets.QInputDialog(self)
        dlg.setWindowTitle("Rename dashboard")
        dlg.setLabelText("Name:")
        dlg.setTextValue(self.dashboard.name)
        dlg.textValueSelected.connect(self.rename)
        dlg.open()
        self._dialog = dlg

    def rename(self, name: str) -> bool:
        if self.dashboard is None:
            return False
        try:
            self.store.rename(self.dashboard, name)
        except (ValueError, OSError) as e:
            self.status.setText(f"Cannot rename: {e}")
            return False
        self._fill_dashboard_list()
        self._show_state()
        self.dashboardChanged.emit(self.dashboard)
        return True

    def ask_delete(self) -> None:
        if self.dashboard is None:
            return
        box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Warning, "Delete dashboard",
                                    f"Delete the dashboard “{self.dashboard.name}”? Its charts' queries are lost; "
                                    "the metrics are not affected.",
                                    QtWidgets.QMessageBox.StandardButton.Cancel, self)
        delete = box.addButton("Delete", QtWidgets.QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QtWidgets.QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda b: b is delete and self.delete())
        box.open()
        self._dialog = box

    def delete(self) -> None:
        if self.dashboard is None:
            return
        self.store.delete(self.dashboard)
        self.dashboard = None
        entries = self.store.list()
        if entries:
            self.open_path(entries[0][1])
        else:
            self.set_dashboard(None)

    # ------------------------------------------------------------ charts
    def _rebuild(self, data: list[ChartData | None] | None = None) -> None:
        """Recreate the grid's charts from the dashboard (after opening, adding, removing, reordering).

        The cells are laid out at once and the charts made a few per event-loop turn (~10 ms each:
        sixteen at once froze the window for 260 ms); `data` (per chart) is drawn as each is made."""
        d = self.dashboard
        self._build_generation += 1
        self._pending_draws.clear()
        self._draw_timer.stop()
        self._drawn.set()
        self.grid.clear()
        self.chart_list.clear()
        self.data = []
        if d is None:
            self._built.set()
            return
        self._built.clear()
        self.grid.columns = d.columns
        from .icons import icon
        for i, c in enumerate(d.charts):
            self.data.append(data[i] if data is not None and i < len(data) else None)
            item = QListWidgetItem(icon("metric"), c.title)
            item.setToolTip(c.mql(auto_interval(d.range_seconds)))
            self.chart_list.addItem(item)
        rows = max(1, -(-len(d.charts) // max(1, d.columns)))
        self.grid.setMinimumHeight(rows * ROW_HEIGHT)
        self.grid.reserve(len(d.charts))
        self._make_charts(self._build_generation)

    def _make_charts(self, generation: int) -> None:
        if generation != self._build_generation or self.dashboard is None:
            return
        charts = self.dashboard.charts
        t0 = time.perf_counter()
        while len(self.grid.charts) < len(charts):
            i = len(self.grid.charts)
            c = charts[i]
            unit, rng = c.unit_and_range()
            self.grid.add_chart(c.title, unit, rng).set_threshold(c.threshold)
            if self.data[i] is not None:
                self._draw(i, self.data[i], self._window)
            if (time.perf_counter() - t0) * 1000 >= BUILD_SLICE_MS:
                break
        if len(self.grid.charts) < len(charts):
            QTimer.singleShot(0, self, lambda: self._make_charts(generation))  # dropped if the view goes
        else:
            self._built.set()

    def chart_queries(self) -> list[ChartQuery]:
        return list(self.dashboard.charts) if self.dashboard else []

    def edit_chart(self, index: int | None) -> ChartDialog | None:
        """The chart builder for a new chart (None) or the chart at `index` (opened with open())."""
        if self.dashboard is None:
            self.new_dashboard()
        if index is not None and not 0 <= index < len(self.dashboard.charts):
            return None
        self._tasks.replace("dialog", self._open_dialog(index))
        return None

    async def _open_dialog(self, index: int | None) -> None:
        if self._compartments is None:
            try:
                self._compartments = await load_compartments(self.session, self.main_window)
            except OciError as e:
                self.status.setText(f"Cannot list compartments: {e.summary()}")
                return
        chart = self.dashboard.charts[index] if index is not None else None
        if chart is None:
            comp = self.current_compartment()
            chart = None
            default_comp = comp.id if comp is not None else self.session.tenancy_id
            dlg = ChartDialog(self.qctx, self._compartments, None, self.dashboard.range_seconds, self)
            i = dlg.compartment_box.findData(default_comp)
            if i >= 0:
                dlg.compartment_box.setCurrentIndex(i)
        else:
            dlg = ChartDialog(self.qctx, self._compartments, chart, self.dashboard.range_seconds, self)
        dlg.chartAccepted.connect(lambda c, i=index: self.put_chart(c, i))
        self._dialog = dlg
        dlg.open()
        self.dialogOpened = dlg

    def put_chart(self, chart: ChartQuery, index: int | None = None) -> None:
        """Add (index None) or replace a chart; saved, redrawn, refreshed."""
        if self.dashboard is None:
            self.new_dashboard()
        if index is None:
            self.dashboard.charts.append(chart)
        else:
            self.dashboard.charts[index] = chart
        self.save()
        self._rebuild()
        self._show_state()
        self.refresh()

    def add_charts(self, charts: list[ChartQuery]) -> None:
        self.dashboard.charts.extend(charts)
        self.save()
        self._rebuild()
        self._show_state()
        self.refresh()

    def remove_chart(self, index: int) -> None:
        if self.dashboard is None or not 0 <= index < len(self.dashboard.charts):
            return
        del self.dashboard.charts[index]
        self.save()
        self._rebuild()
        self._show_state()
        if self.dashboard.charts:
            self.refresh()

    def move_chart(self, index: int, delta: int) -> None:
        if self.dashboard is None:
            return
        j = index + delta
        cs = self.dashboard.charts
        if not (0 <= index < len(cs) and 0 <= j < len(cs)):
            return
        cs[index], cs[j] = cs[j], cs[index]
        self.save()
        self._rebuild()
        self.chart_list.setCurrentRow(j)
        self.refresh()

    def _list_menu(self, pos) -> None:
        self.chart_menu(self.chart_list.currentRow()).popup(self.chart_list.viewport().mapToGlobal(pos))

    def chart_menu(self, row: int) -> QMenu:
        """The menu of the chart at `row`: the chart list's and the chart's own (right-click)."""
        from .icons import icon
        m = QMenu(self)
        m.addAction("Edit…", lambda: self.edit_chart(row)).setEnabled(row >= 0)
        m.addAction("Duplicate", lambda: self._duplicate(row)).setEnabled(row >= 0)
        m.addAction("Remove", lambda: self.remove_chart(row)).setEnabled(row >= 0)
        m.addSeparator()
        m.addAction(icon("alarm"), "Create alarm from this chart…", lambda: self.create_alarm(row)).setEnabled(
            row >= 0 and not getattr(self.session, "read_only", False))
        m.addSeparator()
        m.addAction("Add chart…", lambda: self.edit_chart(None))
        self.menu_shown = m
        return m

    def create_alarm(self, row: int):
        """"Create alarm" prefilled from the chart at `row` (gui.alarms_ui); returns the task."""
        if self.dashboard is None or not 0 <= row < len(self.dashboard.charts):
            return None
        from .alarms_ui import create_alarm_from_chart
        return create_alarm_from_chart(self, self.dashboard.charts[row], self.dashboard.range_seconds)

    def _duplicate(self, row: int) -> None:
        if self.dashboard is not None and 0 <= row < len(self.dashboard.charts):
            c = ChartQuery.from_json(self.dashboard.charts[row].to_json())
            c.title += " (copy)"
            self.put_chart(c)

    def _scene_clicked(self, ev) -> None:
        """Double-click a chart: edit it; right-click: its menu (Create alarm from this chart…)."""
        right = ev.button() == Qt.MouseButton.RightButton
        if not ev.double() and not right:
            return
        pos = ev.scenePos()
        for i, chart in enumerate(self.grid.charts):
            if chart.plot.sceneBoundingRect().contains(pos):
                self.chart_list.setCurrentRow(i)
                if right:
                    self.chart_menu(i).popup(ev.screenPos().toPoint())
                else:
                    self.edit_chart(i)
                return

    # ------------------------------------------------------------ time range, refresh
    def time_window(self) -> tuple[float, float]:
        end = time.time()
        span = self.dashboard.range_seconds if self.dashboard else 3600
        return end - span, end

    def _range_changed(self, _i: int) -> None:
        if self.dashboard is None:
            return
        self.dashboard.range_seconds = int(self.range_combo.currentData() or 3600)
        self.save()
        for i, c in enumerate(self.dashboard.charts):
            item = self.chart_list.item(i)
            if item is not None:
                item.setToolTip(c.mql(auto_interval(self.dashboard.range_seconds)))
        self.refresh()

    def _columns_changed(self, n: int) -> None:
        if self.dashboard is None or n == self.dashboard.columns:
            return
        self.dashboard.columns = n
        self.save()
        self._rebuild(list(self.data))

    def _auto_changed(self, on: bool, save: bool = True) -> None:
        if on:
            self._timer.start(self.period.value() * 1000)
        else:
            self._timer.stop()
        if save and self.dashboard is not None:
            self.dashboard.auto_refresh = self.period.value() if on else 0
            self.save()

    def refresh(self) -> asyncio.Task | None:
        """Reload every chart (each redraws when its data arrives). Returns the task (its result:
        the number of series drawn); `refreshed(n)` is emitted at the end."""
        if self.dashboard is None or not self.dashboard.charts:
            return None
        self.generation += 1
        self.status.setText(f"Loading {len(self.dashboard.charts)} charts…")
        self._refresh_task = self._tasks.replace("refresh", self._refresh(self.generation))
        return self._refresh_task

    async def _refresh(self, generation: int) -> int:
        t0 = time.monotonic()
        start, end = self.time_window()
        charts = list(self.dashboard.charts)

        async def one(i: int, c: ChartQuery):
            data = await fetch_chart(self.qctx, c, start, end)
            if generation == self.generation:
                self._window = (start, end)
                if i < len(self.grid.charts):
                    self._queue_draw(i, data, (start, end))
                elif i < len(self.data):
                    self.data[i] = data  # drawn when its chart is made
            return data

        results = await asyncio.gather(*(one(i, c) for i, c in enumerate(charts)))
        await self._built.wait()
        await self._drawn.wait()
        if generation != self.generation:
            return 0
        drawn = sum(len(r.series) for r in results)
        errors = [r for r in results if r.error]
        self.last_refresh_seconds = time.monotonic() - t0
        msg = (f"{time.strftime('%H:%M:%S')} · {len(charts)} chart{'s' if len(charts) != 1 else ''}, "
               f"{drawn} series in {self.last_refresh_seconds:.2f} s")
        if errors:
            msg += f" · {len(errors)} with errors (see the charts)"
        else:
            msg += " · hover a chart for values, double-click to edit it, right-click for its menu (alarm…)"
        self.status.setText(msg)
        self.refreshed.emit(drawn)
        return drawn

    def _queue_draw(self, i: int, data: ChartData, window: tuple[float, float]) -> None:
        self._pending_draws[i] = (data, window)
        self._drawn.clear()
        if not self._draw_timer.isActive():
            self._draw_timer.start()

    def _draw_next(self) -> None:
        if self._pending_draws:
            i = min(self._pending_draws)
            data, window = self._pending_draws.pop(i)
            if i < len(self.grid.charts) and self.dashboard is not None:
                self._draw(i, data, window)
        if self._pending_draws:
            self._draw_timer.start()
        else:
            self._drawn.set()

    def _draw(self, i: int, data: ChartData, window: tuple[float, float] | None = None) -> None:
        from .icons import icon
        self.data[i] = data
        chart = self.grid.charts[i]
        start, end = window or self.time_window()
        if data.error:
            chart.set_series([], (start, end), empty_text=_wrap(data.error, 60))
            chart.empty.setColor(error_colour(self))
            chart.plot.setTitle(f"⚠ {chart.title}", size="10pt", color=error_colour(self))
        else:
            chart.set_series(data.series, (start, end))
            chart.empty.setColor("#888")
            chart.plot.setTitle(chart.title, size="10pt")
        item = self.chart_list.item(i)
        if item is not None:
            item.setIcon(icon("warning" if data.error else "metric"))
            item.setToolTip(data.query + (f"\n\n{data.error}" if data.error else
                                          f"\n\n{len(data.series)} series in {data.seconds:.2f} s"))
        self.chartDrawn.emit(i)

    def chart_error(self, i: int) -> str | None:
        d = self.data[i] if 0 <= i < len(self.data) else None
        return d.error if d is not None else None

    def series_labels(self, i: int) -> list[str]:
        return list(self.grid.charts[i].data) if 0 <= i < len(self.grid.charts) else []

    # ------------------------------------------------------------ export, lifecycle
    def _save(self, kind: str) -> None:
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", self.dashboard.name if self.dashboard else "dashboard")
        dlg = QFileDialog(self, f"Export the dashboard as {kind.upper()}")
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.setNameFilter("PNG image (*.png)" if kind == "png" else "CSV file (*.csv)")
        dlg.setDefaultSuffix(kind)
        dlg.selectFile(f"{name}.{kind}")
        dlg.fileSelected.connect(lambda path: self.export(kind, path))
        dlg.open()
        self._dialog = dlg

    def export(self, kind: str, path: str) -> bool:
        """The whole grid as a PNG image, or every point of every series as CSV."""
        if kind == "png":
            ok = self.grid.view.grab().save(path, "PNG")
        else:
            try:
                ok = self.grid.export_csv(path) >= 0
            except OSError:
                ok = False
        self.status.setText(f"Saved {path}" if ok else f"Could not save {path}")
        return ok

    def shutdown(self) -> None:
        """Stop timers and queries (the view is going away)."""
        self._timer.stop()
        self.generation += 1
        self._tasks.cancel_all()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return "\n".join(lines[:6]) + ("…" if len(lines) > 6 else "")


_ = (QGridLayout, QDialogButtonBox)
