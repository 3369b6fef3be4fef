"""The Log Explorer: search logs with OCI's Logging query language.

Pick a compartment and, in it, log groups and logs (none ticked: the whole compartment), a time range, and a
query made by the small builder (a condition and an optional "count by") or typed (checked as you type: an
error shows inline at its column, and the service's 400 too). Results are a table whose rows expand into
the entry's JSON, under a histogram of the events over the range (pyqtgraph, imported when the first
histogram is drawn). Live tail polls for new entries (paused with the same button) and puts them on top;
Export writes what is shown to JSON or CSV (services.logging).

The same widget is a resource's Logs tab (`show_resource`): the logs enabled for the bucket or subnet, or
how to enable one. The query, histogram, tail and export logic lives in services/logging.py (no Qt).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from pathlib import Path

from ..catalog import logging as logcat
from ..core.errors import OciError
from ..services import dashboards as dashsvc
from ..services import logging as logsvc
from . import aio, theme
from .icons import icon
from .qt import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStandardPaths,
    Qt,
    QTimer,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)

log = logging.getLogger(__name__)

RANGES = [("Last 15 minutes", 900), ("Last hour", 3600), ("Last 6 hours", 6 * 3600), ("Last 24 hours", 86400),
          ("Last 7 days", 7 * 86400), ("Last 14 days", 14 * 86400)]
TAIL_SECONDS = 3.0
# a range ends this far ahead of this machine's clock: what a service stamped with a clock a little ahead still shows
SKEW = 60.0
HISTOGRAM_BUCKETS = 60
MAX_SHOWN = 2000  # rows kept in the table (a tail keeps the newest)


class LogExplorer(QWidget):
    searched = Signal(int)  # rows shown after a search
    tailed = Signal(int)  # new rows a tail poll added
    exported = Signal(str)
    loaded = Signal(int)  # log groups and logs listed for the compartment

    wide = True

    def __init__(self, session, window=None, compact: bool = False, parent=None):
        super().__init__(parent)
        self.session = session
        self.window = window
        self.rows: list[dict] = []
        self.start = self.end = dt.datetime.now(dt.UTC)
        self.cursor: logsvc.TailCursor | None = None
        self._tasks = aio.TaskGroup()
        self._building = False
        self._streams_of: dict[str, str] = {}
        self._services: set[str] = set()
        self._export_dialog: QFileDialog | None = None
        self.plot = None
        self.bars = None
        self.compartment_id = session.tenancy_id if session is not None else ""

        # scope: compartment, log groups and logs
        self.compartment = QComboBox()
        self.compartment.setMinimumWidth(200)
        self.compartment.currentIndexChanged.connect(self._compartment_changed)
        self.logs = QListWidget()
        self.logs.setMaximumHeight(120 if not compact else 70)
        self.logs.itemChanged.connect(lambda _i: self._rebuild())
        self.range = QComboBox()
        for label, secs in RANGES:
            self.range.addItem(label, secs)
        self.range.setCurrentIndex(1)
        self.range.currentIndexChanged.connect(lambda _i: self.run())

        # builder: <field> <op> <value>, count by
        self.field = QComboBox()
        self.field.setEditable(True)
        self.field.addItems(logsvc.BUILDER_FIELDS)
        self.op = QComboBox()
        self.op.addItems(logsvc.BUILDER_OPS)
        self.value = QLineEdit()
        self.value.setPlaceholderText("value (empty: no condition)")
        self.count_by = QComboBox()
        self.count_by.setEditable(True)
        self.count_by.addItems(["", "source", "type", "data.requestAction", "data.level"])
        self.newest = QCheckBox("Newest first")
        self.newest.setChecked(True)
        for w in (self.field, self.count_by):
            w.currentTextChanged.connect(lambda _t: self._rebuild())
        self.op.currentIndexChanged.connect(lambda _i: self._rebuild())
        self.value.textChanged.connect(lambda _t: self._rebuild())
        self.newest.toggled.connect(lambda _b: self._rebuild())

        self.query = QPlainTextEdit()
        self.query.setMaximumHeight(60)
        self.query.setPlaceholderText('search "<compartment OCID>/<log group>/<log>" | where … | sort by datetime desc')
        self.query.textChanged.connect(self._check)
        self.error = QLabel("")
        self.error.setStyleSheet(f"color: {theme.colour('error')}; font-family: monospace;")
        self.error.setWordWrap(True)
        self.error.hide()

        self.run_button = QPushButton(icon("refresh"), "Run")
        self.run_button.clicked.connect(self.run)
        self.tail_button = QPushButton(icon("start"), "Live tail")
        self.tail_button.setCheckable(True)
        self.tail_button.toggled.connect(self.set_tail)
        self.json_button = QPushButton(icon("download"), "Export JSON…")
        self.json_button.clicked.connect(lambda: self.export("json"))
        self.csv_button = QPushButton(icon("download"), "Export CSV…")
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.status = QLabel("")
        self.status.setWordWrap(True)

        self.histogram_holder = QWidget()
        QVBoxLayout(self.histogram_holder).setContentsMargins(0, 0, 0, 0)
        self.histogram_holder.setMinimumHeight(90)
        self.results = QTreeWidget()
        self.results.setHeaderLabels(["Time", "Source", "Type", "Message"])
        for col, width in enumerate((160, 100, 180) if compact else (190, 140, 260)):
            self.results.setColumnWidth(col, width)
        self.results.setUniformRowHeights(True)

        self.timer = QTimer(self)
        self.timer.setInterval(int(TAIL_SECONDS * 1000))
        self.timer.timeout.connect(self.tail_tick)

        scope = QHBoxLayout()
        scope.addWidget(QLabel("Compartment"))
        scope.addWidget(self.compartment, 1)
        scope.addWidget(QLabel("Time"))
        scope.addWidget(self.range)
        builder = QHBoxLayout()
        builder.addWidget(QLabel("Where"))
        builder.addWidget(self.field, 2)
        builder.addWidget(self.op)
        builder.addWidget(self.value, 2)
        builder.addWidget(QLabel("Count by"))
        builder.addWidget(self.count_by, 1)
        builder.addWidget(self.newest)
        buttons = QHBoxLayout()
        for b in (self.run_button, self.tail_button, self.json_button, self.csv_button):
            buttons.addWidget(b)
        buttons.addWidget(self.status, 1)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        if not compact:
            title = QLabel("<b>Log Explorer</b>")
            tl.addWidget(title)
        tl.addLayout(scope)
        tl.addWidget(self.logs)
        tl.addLayout(builder)
        tl.addWidget(self.query)
        tl.addWidget(self.error)
        tl.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.histogram_holder)
        split.addWidget(self.results)
        split.setStretchFactor(1, 4)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(top)
        lay.addWidget(split, 1)

    # ------------------------------------------------------------ scope
    def load(self, compartment_id: str | None = None):
        """Fill the compartment picker (the whole tenancy) and show `compartment_id`'s logs."""
        return self._tasks.replace("compartments", self._load(compartment_id or self.compartment_id))

    async def _load(self, compartment_id: str, tick: set[str] | None = None) -> None:
        try:
            pairs = await dashsvc.compartment_pairs(self.session)
        except OciError as e:
            self.status.setText(f"Compartments not read: {e.summary()}")
            return
        self.compartment.blockSignals(True)
        self.compartment.clear()
        for c, depth in pairs:
            self.compartment.addItem("    " * depth + (getattr(c, "name", None) or c.id), c.id)
        idx = max(0, self.compartment.findData(compartment_id))
        self.compartment.setCurrentIndex(idx)
        self.compartment.blockSignals(False)
        await self._load_logs(self.compartment.currentData(), tick)

    def _compartment_changed(self, _i: int) -> None:
        comp = self.compartment.currentData()
        if comp:
            self._tasks.replace("logs", self._load_logs(comp))

    async def _load_logs(self, compartment_id: str, tick: set[str] | None = None) -> None:
        self.compartment_id = compartment_id
        self._services.clear()
        items: list[QListWidgetItem] = []
        try:
            for g in await logsvc.list_log_groups(self.session, compartment_id):
                it = QListWidgetItem(icon("report"), g.display_name)
                it.setData(Qt.ItemDataRole.UserRole, logsvc.stream(compartment_id, logsvc.name_or_id(g)))
                it.setCheckState(Qt.CheckState.Checked if tick and g.id in tick else Qt.CheckState.Unchecked)
                items.append(it)
                for lg in await logsvc.list_logs(self.session, g.id):
                    src = logcat.source_text(lg)
                    li = QListWidgetItem(icon("file"), f"    {lg.display_name}  ({lg.log_type.lower()}"
                                         f"{', ' + src if src else ''})")
                    li.setData(Qt.ItemDataRole.UserRole, logsvc.stream(compartment_id, logsvc.name_or_id(g),
                                                                       logsvc.name_or_id(lg)))
                    li.setData(Qt.ItemDataRole.UserRole + 1, _service(lg))
                    li.setCheckState(Qt.CheckState.Checked if tick and lg.id in tick else Qt.CheckState.Unchecked)
                    items.append(li)
        except OciError as e:
            self.status.setText(f"Logs not read: {e.summary()}")
        self.logs.blockSignals(True)
        self.logs.clear()
        for it in items:
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            self.logs.addItem(it)
        self.logs.blockSignals(False)
        if not items:
            self.status.setText("No log group in this compartment: create one under Observability > Log groups.")
        self._rebuild()
        self.loaded.emit(len(items))

    def pick(self, *names: str) -> None:
        """Tick the log groups or logs shown as `names` (their display names)."""
        for i in range(self.logs.count()):
            it = self.logs.item(i)
            label = it.text().strip().split("  (")[0]
            if label in names:
                it.setCheckState(Qt.CheckState.Checked)

    def streams(self) -> list[str]:
        picked = []
        for i in range(self.logs.count()):
            it = self.logs.item(i)
            if it.checkState() == Qt.CheckState.Checked:
                picked.append(it.data(Qt.ItemDataRole.UserRole))
        # a ticked log inside a ticked group is already searched
        picked = [s for s in picked if not any(s != o and s.startswith(o + "/") for o in picked)]
        return picked or ([self.compartment_id] if self.compartment_id else [])

    def picked_services(self) -> set[str]:
        out = set()
        for i in range(self.logs.count()):
            it = self.logs.item(i)
            if it.checkState() == Qt.CheckState.Checked and it.data(Qt.ItemDataRole.UserRole + 1):
                out.add(it.data(Qt.ItemDataRole.UserRole + 1))
        return out | self._services

    # ------------------------------------------------------------ query
    def builder_query(self) -> str:
        cond = logsvc.Condition(self.field.currentText(), self.op.currentText(), self.value.text())
        return logsvc.build_query(self.streams(), [cond], newest_first=self.newest.isChecked(),
                                  summarize_by=self.count_by.currentText().strip())

    def _rebuild(self) -> None:
        if not self.streams():
            return
        self._building = True
        try:
            self.query.setPlainText(self.builder_query())
        finally:
            self._building = False

    def set_query(self, text: str) -> None:
        """Type a query (what a person types in the query box)."""
        self.query.setPlainText(text)

    def _check(self) -> str | None:
        err = logcat.check_query(self.query.toPlainText())
        self._show_error(err)
        return err

    def _show_error(self, err: str | None) -> None:
        if err:
            self.error.setText(err + _caret(self.query.toPlainText(), err))
            self.error.show()
        else:
            self.error.hide()
            self.error.setText("")
        self.run_button.setEnabled(err is None)

    def time_range(self) -> tuple[dt.datetime, dt.datetime]:
        end = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=SKEW)
        return end - dt.timedelta(seconds=int(self.range.currentData())), end  # 14 days at most, as OCI searches

    def run(self):
        """Search now (the query as shown); returns the task."""
        text = self.query.toPlainText().strip()
        if not text or self._check():
            return None
        self.start, self.end = self.time_range()
        return self._tasks.replace("search", self._run(text, self.start, self.end))

    async def _run(self, text: str, start: dt.datetime, end: dt.datetime) -> None:
        self.status.setText("Searching…")
        t0 = time.monotonic()
        try:
            rows = await logsvc.search(self.session, text, start, end)
        except OciError as e:
            self._show_error(e.message if e.status == 400 else None)
            self.status.setText(f"Search failed: {e.summary()}")
            self.searched.emit(-1)
            return
        self.rows = rows
        newest = max((t for r in rows if (t := logsvc.row_time(r)) is not None), default=None)
        self.cursor = logsvc.TailCursor(text, newest or dt.datetime.now(dt.UTC))
        self.cursor.seen.update(logsvc._key(r) for r in rows)
        self._fill(rows)
        self._draw_histogram()
        took = time.monotonic() - t0
        if rows:
            self.status.setText(f"{len(rows):,} result{'s' if len(rows) != 1 else ''} in {took:.2f} s")
        else:
            notes = [logcat.EMPTY_NOTES[s] for s in sorted(self.picked_services()) if s in logcat.EMPTY_NOTES]
            self.status.setText("No entries in this time range." + (" " + " ".join(notes) if notes else ""))
        self.searched.emit(len(rows))

    # ------------------------------------------------------------ results
    def _fill(self, rows: list[dict], on_top: bool = False) -> None:
        if not on_top:
            self.results.clear()
        aggregated = bool(rows) and not isinstance(rows[0].get("logContent"), dict)
        if aggregated:
            cols = list(rows[0].keys())
            self.results.setHeaderLabels(cols)
        elif not on_top:
            self.results.setHeaderLabels(["Time", "Source", "Type", "Message"])
        items = []
        for r in rows:
            s = logsvc.row_summary(r)
            if aggregated:
                it = QTreeWidgetItem([s.get(c, "") for c in cols])
            else:
                it = QTreeWidgetItem([s["time"], s["source"], s["type"], s["message"]])
                it.setToolTip(3, s["message"][:2000])
                for line in json.dumps(r.get("logContent"), indent=2, sort_keys=True, default=str).splitlines():
                    QTreeWidgetItem(it, ["", "", "", line])
            items.append(it)
        if on_top:  # rows in time order: each newer one goes above
            for it in items:
                self.results.insertTopLevelItem(0, it)
            while self.results.topLevelItemCount() > MAX_SHOWN:
                self.results.takeTopLevelItem(self.results.topLevelItemCount() - 1)
        else:
            self.results.addTopLevelItems(items[:MAX_SHOWN])

    def shown_messages(self) -> list[str]:
        return [self.results.topLevelItem(i).text(3) for i in range(self.results.topLevelItemCount())]

    def _draw_histogram(self) -> None:
        import pyqtgraph as pg

        from . import charts  # pyqtgraph's configuration (imported when first drawn)
        if self.plot is None:
            self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
            self.plot.setMenuEnabled(False)
            self.plot.hideButtons()
            self.plot.setMouseEnabled(x=False, y=False)
            self.plot.getPlotItem().getAxis("left").setWidth(40)
            self.histogram_holder.layout().addWidget(self.plot)
            charts.follow_scheme(self.plot, self._restyle_histogram)
        bins = logsvc.histogram(self.rows if self.rows and isinstance(self.rows[0].get("logContent"), dict)
                                else [], self.start, self.end, HISTOGRAM_BUCKETS)
        self.bins = bins
        width = (bins[1][0] - bins[0][0]) if len(bins) > 1 else 60
        xs = [b[0] + width / 2 for b in bins]
        ys = [b[1] for b in bins]
        if self.bars is not None:
            self.plot.removeItem(self.bars)
        self.bars = pg.BarGraphItem(x=xs, height=ys, width=width * 0.9, brush=theme.colour("accent"), pen=None)
        self.plot.addItem(self.bars)
        self.plot.setXRange(self.start.timestamp(), self.end.timestamp(), padding=0)
        self.plot.setYRange(0, max(ys + [1]) * 1.1, padding=0)

    def _restyle_histogram(self) -> None:
        from . import charts
        if self.plot is not None:
            charts.style_plot(self.plot.getPlotItem())
        if self.bars is not None:
            self.bars.setOpts(brush=theme.colour("accent"))

    # ------------------------------------------------------------ live tail
    def set_tail(self, on: bool) -> None:
        self.tail_button.setText("Pause" if on else "Live tail")
        self.tail_button.setIcon(icon("stop" if on else "start"))
        if on:
            if self.cursor is None:
                self.run()
            self.timer.start()
        else:
            self.timer.stop()

    def tail_tick(self):
        """One poll for new entries (the timer's, or a test's); returns the task."""
        if self.cursor is None or self._tasks.running("tail"):
            return None
        return self._tasks.replace("tail", self._tail())

    async def _tail(self) -> None:
        assert self.cursor is not None
        try:
            fresh = await self.cursor.poll(self.session, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=SKEW))
        except OciError as e:
            self.status.setText(f"Live tail: {e.summary()}")
            return
        if fresh:
            aggregated = not isinstance(fresh[0].get("logContent"), dict)
            if aggregated:  # a count by: the whole answer again
                self.rows = fresh
                self._fill(fresh)
            else:
                fresh.sort(key=lambda r: r.get("datetime") or 0)
                self.rows.extend(fresh)
                self._fill(fresh, on_top=True)
                self.end = max(self.end, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=SKEW))
                self._draw_histogram()
            self.status.setText(f"{len(self.rows):,} results · live: {len(fresh)} new at "
                                f"{dt.datetime.now().strftime('%H:%M:%S')}")
        self.tailed.emit(len(fresh))

    # ------------------------------------------------------------ export
    def export(self, fmt: str) -> QFileDialog:
        """Ask where to save what is shown (non-modal); written on fileSelected."""
        if self._export_dialog is not None:
            self._export_dialog.close()
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        name = time.strftime(f"logs-%Y%m%d-%H%M%S.{fmt}")
        filt = "JSON files (*.json)" if fmt == "json" else "CSV files (*.csv)"
        dlg = QFileDialog(self, f"Export results as {fmt.upper()}", str(Path(docs) / name), filt + ";;All files (*)")
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.setFileMode(QFileDialog.FileMode.AnyFile)
        dlg.setDefaultSuffix(fmt)
        dlg.setOption(QFileDialog.Option.DontUseNativeDialog, QApplication.platformName() == "offscreen")
        dlg.fileSelected.connect(lambda p: self.export_to(p, fmt))
        self._export_dialog = dlg
        dlg.open()
        return dlg

    def export_to(self, path: str, fmt: str) -> bool:
        try:
            n = (logsvc.export_json if fmt == "json" else logsvc.export_csv)(self.rows, path)
        except OSError as e:
            self.status.setText(f"Export failed: could not write {path}: {e.strerror or e}")
            return False
        self.status.setText(f"Exported {n:,} rows to {path}")
        self.exported.emit(str(path))
        return True

    # ------------------------------------------------------------ a resource's Logs tab
    def show_resource(self, session, kind, resource):
        """The logs enabled for `resource` (a kind of catalog.logging.LOG_SOURCES); returns the task."""
        self.session = session
        return self._tasks.replace("resource", self._show_resource(kind, resource))

    async def _show_resource(self, kind, resource) -> None:
        src = logcat.log_source(kind.id)
        if src is None:
            return
        self.status.setText("Looking for the logs of this resource…")
        try:
            logs = await logsvc.resource_logs(self.session, src.service, src.resource(resource))
        except OciError as e:
            self.status.setText(f"Logs not read: {e.summary()}")
            return
        logs = [lg for lg in logs if lg.lifecycle_state == "ACTIVE"]
        self._services = {src.service}
        if not logs:
            self.logs.clear()
            self.results.clear()
            self.query.setPlainText("")
            self.error.hide()
            self.status.setText(f"No log is enabled for this {src.what}: Actions > "
                                f"{'Enable flow log…' if src.service == 'flowlogs' else 'Enable log…'}")
            return
        comp = logs[0].compartment_id
        await self._load(comp, tick={lg.id for lg in logs})
        self._services = {src.service}
        self.run()

    def open_resource(self, resource):
        """A log group or a log: its compartment, it picked, and searched; returns the task."""
        return self._tasks.replace("open", self._open_resource(resource))

    async def _open_resource(self, resource) -> None:
        await self._load(resource.compartment_id, tick={resource.id})
        self.run()

    def shutdown(self) -> None:
        self.timer.stop()
        self._tasks.cancel_all()


def _service(lg) -> str:
    src = getattr(getattr(lg, "configuration", None), "source", None)
    return getattr(src, "service", "") or ""


def _caret(text: str, err: str) -> str:
    import re
    m = re.search(r"column (\d+)", err)
    if not m or "\n" in text or len(text) > 200:
        return ""
    col = int(m.group(1))
    return f"\n{text}\n{' ' * (col - 1)}^"
