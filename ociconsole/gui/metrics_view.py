"""The Metrics tab of the detail pane, for every kind whose catalog entry declares metrics:
one chart per declared ChartSpec, time range, statistic, interval, auto-refresh, crosshair
read-out, export to PNG and CSV."""

from __future__ import annotations

import asyncio
import logging
import time

from ..catalog.model import ResourceKind
from ..core.errors import OciError
from ..services import monitoring as mon
from ..services.monitoring import auto_interval
from . import aio, theme
from .charts import ChartGrid
from .qt import (
    QCheckBox,
    QComboBox,
    QDateTime,
    QDateTimeEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)

log = logging.getLogger(__name__)

RANGES = [("Last hour", 3600), ("Last 6 hours", 6 * 3600), ("Last 24 hours", 24 * 3600),
          ("Last 7 days", 7 * 24 * 3600)]
UNSCALED = ("count", "rate", "sum")  # statistics whose values are not in the metric's unit (as dashboards)
INTERVALS = [("Auto", None), ("1 minute", "1m"), ("5 minutes", "5m"), ("1 hour", "1h"), ("1 day", "1d")]
STATS = [("Default", None), ("Mean", "mean"), ("Max", "max"), ("Min", "min"), ("Sum", "sum"), ("Count", "count"),
         ("Rate", "rate"), ("P95", "p95"), ("P99", "p99")]
SECONDS = {"1m": 60, "5m": 300, "1h": 3600, "1d": 86400}


class MetricsPanel(QWidget):
    refreshed = Signal(int)  # number of series drawn

    def __init__(self, parent=None):
        super().__init__(parent)
        self.session = None
        self.kind: ResourceKind | None = None
        self.resource = None
        self.generation = 0
        self.custom: tuple[float, float] | None = None
        self._tasks = aio.TaskGroup()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self.last_error: OciError | None = None

        self.range_combo = QComboBox()
        for label, secs in RANGES:
            self.range_combo.addItem(label, secs)
        self.range_combo.addItem("Custom…", "custom")
        self.range_combo.setCurrentIndex(0)
        # the custom window: from / to in local time, applied with the button
        self.custom_row = QWidget()
        cr = QHBoxLayout(self.custom_row)
        cr.setContentsMargins(0, 0, 0, 0)
        now = QDateTime.currentDateTime()
        self.from_edit = QDateTimeEdit(now.addSecs(-3 * 3600))
        self.to_edit = QDateTimeEdit(now)
        for e in (self.from_edit, self.to_edit):
            e.setCalendarPopup(True)
            e.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.apply_custom = QPushButton("Apply")
        self.custom_error = QLabel("")
        self.custom_error.setStyleSheet(f"color: {theme.colour('error')};")
        cr.addWidget(QLabel("From"))
        cr.addWidget(self.from_edit)
        cr.addWidget(QLabel("to"))
        cr.addWidget(self.to_edit)
        cr.addWidget(self.apply_custom)
        cr.addWidget(self.custom_error, 1)
        self.custom_row.hide()
        self.apply_custom.clicked.connect(self._apply_custom)
        self.stat_combo = QComboBox()
        for label, stat in STATS:
            self.stat_combo.addItem(label, stat)
        self.interval_combo = QComboBox()
        for label, iv in INTERVALS:
            self.interval_combo.addItem(label, iv)
        self.auto = QCheckBox("Auto-refresh every")
        self.period = QSpinBox()
        self.period.setRange(10, 3600)
        self.period.setValue(60)
        self.period.setSuffix(" s")
        self.refresh_button = QPushButton("Refresh")
        self.png_button = QPushButton("PNG…")
        self.csv_button = QPushButton("CSV…")
        self.range_combo.currentIndexChanged.connect(self._range_changed)
        for w in (self.stat_combo, self.interval_combo):
            w.currentIndexChanged.connect(lambda _i: self.refresh())
        self.auto.toggled.connect(self._auto_changed)
        self.period.valueChanged.connect(lambda _v: self._auto_changed(self.auto.isChecked()))
        self.refresh_button.clicked.connect(self.refresh)
        self.png_button.clicked.connect(lambda: self._save("png"))
        self.csv_button.clicked.connect(lambda: self._save("csv"))

        bar = QHBoxLayout()
        bar.addWidget(self.range_combo)
        bar.addWidget(QLabel("Statistic"))
        bar.addWidget(self.stat_combo)
        bar.addWidget(QLabel("Interval"))
        bar.addWidget(self.interval_combo)
        bar.addStretch(1)
        bar2 = QHBoxLayout()
        bar2.addWidget(self.auto)
        bar2.addWidget(self.period)
        bar2.addStretch(1)
        bar2.addWidget(self.refresh_button)
        bar2.addWidget(self.png_button)
        bar2.addWidget(self.csv_button)
        self.status = QLabel("")
        self.status.setStyleSheet("color: palette(mid);")
        self.status.setWordWrap(True)
        self.grid = ChartGrid(columns=2)
        self.grid.setMinimumHeight(360)
        self.grid.hovered.connect(lambda text: text and self.status.setText(text.replace("\n", "   ")))

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.custom_row)
        lay.addLayout(bar2)
        lay.addWidget(self.grid, 1)
        lay.addWidget(self.status)

    # ------------------------------------------------------------ what to show
    def show_resource(self, session, kind: ResourceKind, resource) -> None:
        if kind is not self.kind:
            self.grid.clear()
            for spec in kind.metrics.charts:
                self.grid.add_chart(spec.title, spec.unit, spec.y_range)
        same = self.resource is not None and getattr(self.resource, "id", None) == getattr(resource, "id", None)
        self.session, self.kind, self.resource = session, kind, resource
        if not same or not any(c.data for c in self.grid.charts):
            self.refresh()

    def time_window(self) -> tuple[float, float]:
        if self.custom is not None:
            return self.custom
        end = time.time()
        span = self.range_combo.currentData()
        span = span if isinstance(span, int) else 3600
        return end - span, end

    def set_custom_range(self, start: float, end: float) -> None:
        """A custom window (epoch seconds); the range picker shows "Custom…"."""
        if end <= start:
            raise ValueError("the end of the range must be after its start")
        self.custom = (start, end)
        self.range_combo.blockSignals(True)
        self.range_combo.setCurrentIndex(self.range_combo.findData("custom"))
        self.range_combo.blockSignals(False)
        self.from_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(start)))
        self.to_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(end)))
        self.custom_row.show()
        self.refresh()

    def _range_changed(self, _i: int) -> None:
        if self.range_combo.currentData() == "custom":
            self.custom_row.show()
            self.custom_error.setText("")
            return  # waits for Apply
        self.custom_row.hide()
        self.custom = None
        self.refresh()

    def _apply_custom(self) -> None:
        start = self.from_edit.dateTime().toSecsSinceEpoch()
        end = self.to_edit.dateTime().toSecsSinceEpoch()
        if end <= start:
            self.custom_error.setText("The end must be after the start")
            return
        if end - start > 90 * 86400:
            self.custom_error.setText("At most 90 days")
            return
        self.custom_error.setText("")
        self.set_custom_range(float(start), float(end))

    def interval(self, span: float) -> str:
        return self.interval_combo.currentData() or auto_interval(span)

    def stop(self) -> None:
        self._timer.stop()
        self._tasks.cancel_all()
        self.generation += 1

    # ------------------------------------------------------------ loading
    def refresh(self) -> None:
        if self.session is None or self.resource is None or self.kind is None or self.kind.metrics is None:
            return
        if self.range_combo.currentData() != "custom":
            self.custom = None
        self.generation += 1
        self.status.setText("Loading metrics…")
        self._tasks.replace("load", self._load(self.generation))

    async def _load(self, generation: int) -> None:
        spec = self.kind.metrics
        start, end = self.time_window()
        interval = self.interval(end - start)
        chosen = self.stat_combo.currentData()
        ident = getattr(self.resource, "id", "")
        comp = getattr(self.resource, "compartment_id", None) or self.session.tenancy_id
        step = SECONDS.get(interval, 60)
        if step > end - start:
            # OCI answers such a query with nothing: say why instead of "No data"
            for chart in self.grid.charts:
                chart.set_series([], (start, end), empty_text=f"The {interval} interval is longer than the time range")
            self.last_error = None
            self.status.setText(f"Choose an interval shorter than the time range (the {interval} interval gives no "
                                "point in it), or Auto.")
            self.refreshed.emit(0)
            return
        jobs = []
        for chart in spec.charts:
            for metric in chart.metrics:
                q = mon.mql(metric, interval, chosen or chart.statistic, {spec.dimension: ident})
                # through the tenancy's pacer, as dashboards: OCI allows 10 queries per second
                jobs.append(mon.summarize_paced(self.session, comp, spec.namespace, q, start, end))
        results = await asyncio.gather(*jobs, return_exceptions=True)
        if generation != self.generation:
            return
        errors = [r for r in results if isinstance(r, BaseException)]
        for r in errors:
            if not isinstance(r, OciError):
                raise r
        i = 0
        drawn = 0
        for chart_spec, chart in zip(spec.charts, self.grid.charts, strict=False):
            # counts and rates are not on the metric's own scale (a CPU count is not a percentage)
            chart.set_scale(*((chart_spec.unit, chart_spec.y_range) if chosen not in UNSCALED else
                              ("/s" if chosen == "rate" else "", None)))
            series = []
            for metric in chart_spec.metrics:
                res = results[i]
                i += 1
                if isinstance(res, BaseException):
                    continue
                # a resource with several streams of one metric (a function's responses by responseType):
                # each series is named by the dimensions that tell them apart
                differ = sorted({k for s in res for k in s.dimensions
                                 if len({str(o.dimensions.get(k)) for o in res}) > 1}) if len(res) > 1 else []
                for s in res:
                    label = chart_spec.labels.get(metric, metric if len(chart_spec.metrics) > 1 else chart_spec.title)
                    if differ:
                        label += " (" + ", ".join(str(s.dimensions.get(k)) for k in differ) + ")"
                    series.append((label, s.times, s.values))
            chart.set_series(series, (start, end), empty_text="No data in this period" + (
                " (not running)" if getattr(self.resource, "lifecycle_state", "RUNNING") != "RUNNING" else ""))
            drawn += len(series)
        self.last_error = errors[0] if errors else None
        if errors:
            self.status.setText(f"Some metrics could not be loaded: {errors[0].summary()}")
        else:
            self.status.setText(f"{time.strftime('%H:%M:%S')} · {interval} interval · "
                                f"{self.stat_combo.currentText().lower()} statistic · hover a chart for values")
        self.refreshed.emit(drawn)

    def _tick(self) -> None:
        """Auto-refresh: hidden charts wait, and a refresh still loading is not started again."""
        if self.isVisible() and not self._tasks.running("load"):
            self.refresh()

    def _auto_changed(self, on: bool) -> None:
        if on:
            self._timer.start(self.period.value() * 1000)
        else:
            self._timer.stop()

    # ------------------------------------------------------------ export
    def _save(self, kind: str) -> None:
        name = (getattr(self.resource, "display_name", None) or "metrics").replace("/", "_")
        dlg = QFileDialog(self, f"Export metrics as {kind.upper()}")
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.setNameFilter("PNG image (*.png)" if kind == "png" else "CSV file (*.csv)")
        dlg.setDefaultSuffix(kind)
        dlg.selectFile(f"{name}-metrics.{kind}")
        dlg.fileSelected.connect(lambda path: self.export(kind, path))
        dlg.open()
        self._dialog = dlg

    def export(self, kind: str, path: str) -> bool:
        if kind == "png":
            ok = self.grid.export_png(path)
        else:
            ok = self.grid.export_csv(path) >= 0
        self.status.setText(f"Saved {path}" if ok else f"Could not save {path}")
        return ok


_ = Qt
