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

The model, its store and the query planner (`ChartQuery`, `Dashboard`, `DashboardStore`,
`QueryContext`, `fetch_chart`) live below the GUI in `services/dashboards.py` (no Qt); their names
are importable from here too. The chart dialog's layout is ui/chart_dialog.ui (gui/forms).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from pathlib import Path

from ..core.errors import OciError
from ..services import monitoring as mon
from ..services.dashboards import (  # noqa: F401 - the model's names, also read from here
    GROUP_ALL,
    INTERVALS,
    NAMES_TTL,
    RANGES,
    STATISTICS,
    ChartData,
    ChartQuery,
    Dashboard,
    DashboardStore,
    QueryContext,
    check_query,
    compartment_pairs,
    cpu_template,
    database_template,
    fetch_chart,
    guess_unit,
    time_window,
)
from ..services.monitoring import auto_interval
from . import aio, paths, theme
from .forms.ui_chart_dialog import Ui_ChartDialog
from .qt import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
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
    error_colour,
    help_colour,
    monospace_font,
    small_font,
)

log = logging.getLogger(__name__)

ROW_HEIGHT = 250
BUILD_SLICE_MS = 5  # charts are made for at most this long per event-loop turn (so one at a time: ~10 ms each)
DRAW_SLICE_MS = 4  # charts whose data arrived are drawn for at most this long per event-loop turn (~2-13 ms each)
# the next slice comes this much later, as a timer: Qt runs a 0 ms single shot as a posted event, in the same pass
# as the paint that the last slice asked for, so a slice, its paint and the next slice ran back to back (40-80 ms)
# before any other timer was seen. A slice and its paint per frame (10 ms on) leave the loop room between them
NEXT_SLICE_MS = 10


def default_store() -> DashboardStore:
    """The app's dashboards: `<data dir>/dashboards`."""
    return DashboardStore(paths.data_dir() / "dashboards")


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
    return await compartment_pairs(session)


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
        chart = chart or ChartQuery(title="", namespace="", in_subtree=True, group_by="resourceId",
                                    compartment_id=compartments[0][0].id if compartments else self.session.tenancy_id)
        self.initial = chart

        # ---- the layout: ui/chart_dialog.ui (gui/forms/ui_chart_dialog.py)
        self.ui = ui = Ui_ChartDialog()
        ui.setupUi(self)
        self.setWindowTitle("Edit chart" if self.editing else "Add chart")
        self.title = ui.title
        self.title.setText(chart.title)
        self.compartment_box = ui.compartment
        compartment_items(self.compartment_box, compartments, chart.compartment_id)
        self.subtree = ui.subtree
        self.subtree.setChecked(chart.in_subtree)
        self.namespace_box = ui.namespace
        self.metric_box = ui.metric
        self.filters_box = ui.filtersLayout
        self.filter_rows: list[FilterRow] = []
        self.add_filter = ui.addFilter
        self.statistic = ui.statistic
        for label, v in STATISTICS:
            self.statistic.addItem(label, v)
        self.statistic.setCurrentIndex(max(0, self.statistic.findData(chart.statistic)))
        self.interval = ui.interval
        for label, v in INTERVALS:
            self.interval.addItem(label, v)
        self.interval.setCurrentIndex(max(0, self.interval.findData(chart.interval)))
        for combo in (self.statistic, self.interval):  # sized when their page joined the stack, still empty:
            QApplication.sendEvent(combo, QEvent(QEvent.Type.StyleChange))  # forget it (as wide as their items)
        self.group_by = ui.group_by
        self._set_group_options([], chart.group_by)
        self.threshold_on = ui.thresholdOn
        self.threshold = ui.threshold
        if chart.threshold is not None:
            self.threshold_on.setChecked(True)
            self.threshold.setValue(chart.threshold)
        self.threshold.setEnabled(self.threshold_on.isChecked())

        self.mode_builder = ui.modeBuilder
        self.mode_mql = ui.modeMql
        (self.mode_mql if chart.is_raw else self.mode_builder).setChecked(True)
        self.mql = ui.mql
        self.mql.setFont(monospace_font())
        self.mql.setFixedHeight(self.mql.fontMetrics().lineSpacing() * 4 + 14)
        self.mql.setPlainText(chart.query if chart.is_raw else "")
        self.generated = ui.generated
        self.generated.setFont(monospace_font())
        self.generated.setStyleSheet(f"color: {help_colour(self)};")
        ui.mqlHelp.setFont(small_font())
        ui.mqlHelp.setStyleSheet(f"color: {help_colour(self)};")
        self.error = ui.mqlError
        self.error.setStyleSheet(f"color: {error_colour(self)};")
        self.error.hide()
        self.caret = ui.mqlCaret  # the query with a caret under the error's column (plain monospace text)
        self.caret.setFont(monospace_font())
        self.caret.hide()
        self.status = ui.status
        self.status.setStyleSheet(f"color: {help_colour(self)};")
        self.pages = ui.pages

        self.buttons = ui.buttons
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save chart" if self.editing else "Add chart")
        self.preview_button = self.buttons.addButton("Preview", QDialogButtonBox.ButtonRole.ActionRole)
        for b in (self.ok_button, self.preview_button):
            b.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.preview_button.clicked.connect(self.preview)
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
            err = check_query(self.mql.toPlainText())
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
        self.store = store or default_store()
        self.qctx = QueryContext(session)
        self.dashboard: Dashboard | None = None
        self.generation = 0
        self.data: list[ChartData | None] = []
        self.last_refresh_seconds: float | None = None
        self._built = asyncio.Event()  # every chart of the dashboard is made (they are made a few per turn)
        self._prepared: tuple[int, object] | None = None  # (build generation, a chart made, not yet placed)
        self._build_generation = 0
        # answers are drawn one chart per event-loop turn (a timer tick each): several arriving together
        # were drawn back to back, 4-6 first draws of ~20 ms in one freeze
        self._pending_draws: dict[int, tuple] = {}
        self._drawn = asyncio.Event()
        self._drawn.set()
        self._draw_timer = QTimer(self)
        self._draw_timer.setSingleShot(True)
        self._draw_timer.setInterval(NEXT_SLICE_MS)
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
        self.database_template_action = self.manage_menu.addAction(
            icon("database"), "New: Autonomous Databases…", lambda: self.new_from_template(template=database_template))
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
        self.database_template_action.setText(f"New: Autonomous Databases of {name}")
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

    def new_from_template(self, compartment=None, template=cpu_template) -> Dashboard:
        """A template's dashboard ("CPU across all instances of <compartment>" by default) for the window's current
        compartment, or the tenancy."""
        comp = compartment or self.current_compartment()
        if comp is None:
            comp_id, comp_name = self.session.tenancy_id, "the tenancy"
        else:
            comp_id, comp_name = comp.id, comp.name
        # chosen again: the one made before opens (no "(2)", "(3)"…)
        d, _made = self.store.ensure(template(comp_id, comp_name, in_subtree=True))
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
        """Make the dashboard's charts, a turn at a time: a chart is made in one turn and placed in the grid
        (where it is painted) in the next (ChartGrid.prepare_chart)."""
        if generation != self._build_generation or self.dashboard is None:
            return
        charts = self.dashboard.charts
        t0 = time.perf_counter()
        while len(self.grid.charts) < len(charts):
            i = len(self.grid.charts)
            if self._prepared is None or self._prepared[0] != generation:
                c = charts[i]
                unit, rng = c.unit_and_range()
                chart = self.grid.prepare_chart(c.title, unit, rng)
                chart.set_threshold(c.threshold)
                self._prepared = (generation, chart)
            else:
                self.grid.place(self._prepared[1])
                self._prepared = None
                if self.data[i] is not None:  # its data came first: drawn in a turn of its own (_draw_next)
                    self._queue_draw(i, self.data[i], self._window)
                break  # its paint comes next
            if (time.perf_counter() - t0) * 1000 >= BUILD_SLICE_MS:
                break
        if len(self.grid.charts) < len(charts):
            QTimer.singleShot(NEXT_SLICE_MS, self, lambda: self._make_charts(generation))  # dropped if the view goes
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
        return time_window(self.dashboard.range_seconds if self.dashboard else 3600)

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
        """Draw the charts whose data has arrived, as many as fit in DRAW_SLICE_MS, then let the event loop
        paint them (one paint of the grid for several charts, not one each)."""
        t0 = time.perf_counter()
        while self._pending_draws:
            i = min(self._pending_draws)
            data, window = self._pending_draws.pop(i)
            if i < len(self.grid.charts) and self.dashboard is not None:
                self._draw(i, data, window)
            if (time.perf_counter() - t0) * 1000 >= DRAW_SLICE_MS:
                break
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
            chart.empty.setColor(theme.qcolour("chart_empty"))
            chart.plot.setTitle(chart.title, size="10pt", color=theme.qcolour("chart_fg"))
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
