"""The underutilized resources report: running instances whose mean CPU stayed under a threshold
(default 10 %) over a period (default 7 days) in a compartment (and its subcompartments), with
their shape (OCPUs, memory) and a suggested action (downsize to a smaller flexible configuration
or a smaller fixed shape, or stop), exportable to CSV. Double-click a row to open the instance.

It costs ONE `CpuUtilization[1h].groupBy(resourceId).mean()` query per week of the period for the
tenancy's subtree (or per compartment below another compartment: OCI includes subcompartments only
from the tenancy), then one GetInstance per instance under the threshold — never a query per
instance. The peak is the busiest hour, whatever the period.
`underutilized()` is the plain-Python part.
"""

from __future__ import annotations

import asyncio
import csv
import logging
import math
import re
import time
from dataclasses import dataclass

from ..core.errors import OciError, loggable
from ..services import compute as computesvc
from ..services import monitoring as mon
from . import aio
from .dashboard import QueryContext, compartment_items, load_compartments
from .icons import icon
from .qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    Qt,
    QtWidgets,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import help_colour

log = logging.getLogger(__name__)

QTableWidget = QtWidgets.QTableWidget
QTableWidgetItem = QtWidgets.QTableWidgetItem

PERIODS = [("1 day", 86400), ("7 days", 7 * 86400), ("14 days", 14 * 86400), ("30 days", 30 * 86400)]
TARGET_PEAK = 70.0  # a downsized instance should still peak under this CPU %
IDLE_MEAN, IDLE_PEAK = 2.0, 5.0
MAX_WINDOW = 7 * 86400  # seconds of hourly data asked in one query
FIXED_SIZES = [1, 2, 4, 8, 16, 24, 32, 48, 64, 128]
COLUMNS = ["Instance", "Compartment", "Shape", "OCPUs", "Memory (GB)", "Mean CPU %", "Peak CPU %", "Data",
           "Suggested action"]


@dataclass
class Finding:
    instance: object
    compartment: str
    mean: float
    peak: float  # the highest hourly mean
    hours: int  # hours with data
    suggestion: str

    @property
    def name(self) -> str:
        return self.instance.display_name


def suggest(inst, mean: float, peak: float) -> str:
    """What to do with an underused instance: stop it, or a smaller flex config / fixed shape."""
    shape = inst.shape or ""
    sc = inst.shape_config
    ocpus = float(getattr(sc, "ocpus", None) or 1)
    mem = float(getattr(sc, "memory_in_gbs", None) or 0)
    need = max(1, math.ceil(ocpus * peak / TARGET_PEAK - 1e-9))
    idle = mean < IDLE_MEAN and peak < IDLE_PEAK
    smaller = ""
    if shape.endswith(".Flex") and need < ocpus:
        new_mem = max(1, round(mem * need / ocpus)) if mem else None
        smaller = f"downsize to {need:g} OCPU" + (f" / {new_mem:g} GB" if new_mem else "") + \
            f" (from {ocpus:g} OCPU" + (f" / {mem:g} GB)" if mem else ")")
    elif not shape.endswith(".Flex"):
        m = re.fullmatch(r"(.+)\.(\d+)", shape)
        if m and shape.startswith("BM."):
            if need < ocpus:
                smaller = f"move to a VM shape such as VM.Standard.E4.Flex with {need} OCPU (from {ocpus:g} OCPU)"
        elif m:
            size = int(m.group(2))
            cand = next((n for n in FIXED_SIZES if n >= need), None)
            if cand is not None and cand < size:
                smaller = f"move to {m.group(1)}.{cand} (from {size} OCPU)"
    if idle:
        return "Stop it (idle)" + (f", or {smaller}" if smaller else "")
    if smaller:
        return smaller[0].upper() + smaller[1:]
    return f"Keep the size (peaks at {peak:.0f} %); stop it when unused"


async def underutilized(session, compartment_id: str, in_subtree: bool, threshold: float, period: float,
                        qctx: QueryContext | None = None) -> tuple[list[Finding], dict]:
    """Running instances with mean CPU under `threshold` % over the last `period` seconds.
    Returns (findings by mean CPU, stats: queries, instances with data, seconds)."""
    t0 = time.monotonic()
    qctx = qctx or QueryContext(session)
    end = time.time()
    start = end - period
    # hourly means over the whole period (the peak is the busiest hour, whatever the period), asked in
    # windows of at most a week: 168 points per instance keeps ~600 instances under OCI's 100,000
    # datapoints per answer
    interval = "1h"
    query = f"CpuUtilization[{interval}].groupBy(resourceId).mean()"
    windows = []
    w0 = start
    while w0 < end:
        windows.append((w0, min(end, w0 + MAX_WINDOW)))
        w0 += MAX_WINDOW
    root = session.tenancy_id
    if in_subtree and compartment_id == root:
        targets = [(root, True)]
    elif in_subtree:
        comps = [compartment_id] + await qctx.descendants(compartment_id)
        try:
            have = {m.compartment_id for m in await qctx.streams(root, True, "oci_computeagent", "CpuUtilization")}
            comps = [c for c in comps if c in have]
        except OciError as e:
            log.debug("metric streams not listed (every compartment of the subtree is queried): %s", loggable(e))
            pass
        targets = [(c, False) for c in comps]
    else:
        targets = [(compartment_id, False)]
    results = await asyncio.gather(*(mon.summarize_paced(session, c, "oci_computeagent", query, w_start, w_end,
                                                         resolution=interval, in_subtree=sub)
                                     for c, sub in targets for w_start, w_end in windows))
    import numpy as np
    hourly: dict[str, list] = {}
    for series in results:
        for s in series:
            rid = s.dimensions.get("resourceId")
            if rid and len(s.values):
                hourly.setdefault(rid, []).append(s.values)
    under: list[tuple[str, float, float, int]] = []
    for rid, parts in hourly.items():
        values = np.concatenate(parts)
        mean = float(values.mean())
        if mean < threshold:
            under.append((rid, mean, float(values.max()), len(values)))
    seen = len(hourly)
    sem = asyncio.Semaphore(4)

    async def get(rid):
        async with sem:
            try:
                return await computesvc.get_instance(session, rid)
            except OciError as e:
                if e.status == 404:
                    return None
                raise
    instances = await asyncio.gather(*(get(rid) for rid, *_ in under))
    await qctx.tree()
    out = []
    for (_rid, mean, peak, hours), inst in zip(under, instances, strict=True):
        if inst is None or inst.lifecycle_state != "RUNNING":
            continue
        out.append(Finding(inst, qctx.compartment_names.get(inst.compartment_id, "(root)" if
                                                              inst.compartment_id == root else inst.compartment_id),
                           mean, peak, hours, suggest(inst, mean, peak)))
    out.sort(key=lambda f: f.mean)
    return out, {"queries": len(targets) * len(windows), "with_data": seen, "seconds": time.monotonic() - t0,
                 "query": query}


def write_csv(findings: list[Finding], path: str) -> int:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["instance", "instance_id", "compartment", "shape", "ocpus", "memory_gb", "mean_cpu_percent",
                    "peak_hourly_cpu_percent", "hours_with_data", "suggested_action"])
        for x in findings:
            sc = x.instance.shape_config
            w.writerow([x.name, x.instance.id, x.compartment, x.instance.shape, getattr(sc, "ocpus", ""),
                        getattr(sc, "memory_in_gbs", ""), f"{x.mean:.2f}", f"{x.peak:.2f}", x.hours, x.suggestion])
    return len(findings)


class _Num(QTableWidgetItem):
    """A cell that sorts by its number."""

    def __init__(self, text: str, value: float):
        super().__init__(text)
        self.setData(Qt.ItemDataRole.UserRole, value)
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other):
        try:
            return float(self.data(Qt.ItemDataRole.UserRole)) < float(other.data(Qt.ItemDataRole.UserRole))
        except (TypeError, ValueError):
            return super().__lt__(other)


class UnderutilizedView(QWidget):
    """The report in the window's centre: scope, threshold, period, Run, the findings, CSV."""

    wide = True  # the window gives it the details pane's room while shown
    finished = Signal(int)  # findings
    openRequested = Signal(str, str)  # instance id, compartment id

    def __init__(self, session, window=None, parent=None):
        super().__init__(parent)
        self.session = session
        self.main_window = window
        self.findings: list[Finding] = []
        self.stats: dict = {}
        self.qctx = QueryContext(session)
        self._tasks = aio.TaskGroup()
        self.generation = 0
        self._dialog = None
        self.setObjectName("underutilizedView")

        title = QLabel("Underutilized instances")
        f = title.font()
        f.setPointSizeF(f.pointSizeF() * 1.25 if f.pointSizeF() > 0 else 12)
        f.setBold(True)
        title.setFont(f)
        sub = QLabel("Running instances whose mean CPU stayed under the threshold — candidates to downsize or stop")
        sub.setStyleSheet(f"color: {help_colour(self)};")
        sub.setWordWrap(True)
        self.compartment_box = QComboBox()
        self.compartment_box.setObjectName("compartment")
        self.compartment_box.setMinimumContentsLength(22)
        self.subtree = QCheckBox("Include subcompartments")
        self.subtree.setChecked(True)
        self.threshold = QSpinBox()
        self.threshold.setRange(1, 100)
        self.threshold.setValue(10)
        self.threshold.setSuffix(" %")
        self.threshold.setPrefix("Mean CPU under ")
        self.period = QComboBox()
        for label, secs in PERIODS:
            self.period.addItem(f"over {label}", secs)
        self.period.setCurrentIndex(1)
        self.run_button = QPushButton(icon("refresh"), "Run")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        self.csv_button = QPushButton(icon("download"), "Export CSV…")
        self.csv_button.setEnabled(False)
        self.csv_button.clicked.connect(self._ask_csv)

        bar = QHBoxLayout()
        bar.addWidget(self.compartment_box, 1)
        bar.addWidget(self.subtree)
        bar2 = QHBoxLayout()
        bar2.addWidget(self.threshold)
        bar2.addWidget(self.period)
        bar2.addStretch(1)
        bar2.addWidget(self.run_button)
        bar2.addWidget(self.csv_button)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("findings")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, w in enumerate([130, 110, 170, 55, 85, 85, 85, 50]):
            self.table.setColumnWidth(i, w)
        self.table.setSortingEnabled(True)
        self.table.doubleClicked.connect(lambda idx: self.open_row(idx.row()))
        self.status = QLabel("Choose where to look and press Run.")
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet(f"color: {help_colour(self)};")
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 2)
        lay.addWidget(title)
        lay.addWidget(sub)
        lay.addLayout(bar)
        lay.addLayout(bar2)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)
        self._tasks.replace("compartments", self._load_compartments())

    async def _load_compartments(self) -> None:
        try:
            pairs = await load_compartments(self.session, self.main_window)
        except OciError as e:
            self.status.setText(f"Cannot list compartments: {e.summary()}")
            return
        compartment_items(self.compartment_box, pairs, self.session.tenancy_id)

    def set_scope(self, compartment_id: str, in_subtree: bool = True) -> None:
        i = self.compartment_box.findData(compartment_id)
        if i >= 0:
            self.compartment_box.setCurrentIndex(i)
        self.subtree.setChecked(in_subtree)

    # ------------------------------------------------------------ running
    def run(self):
        comp = self.compartment_box.currentData() or self.session.tenancy_id
        self.generation += 1
        self.run_button.setEnabled(False)
        self.status.setText("Querying CPU utilization…")
        return self._tasks.replace("run", self._run(self.generation, comp, self.subtree.isChecked(),
                                                    float(self.threshold.value()), float(self.period.currentData())))

    async def _run(self, generation: int, comp: str, sub: bool, threshold: float, period: float) -> None:
        try:
            findings, stats = await underutilized(self.session, comp, sub, threshold, period, self.qctx)
        except OciError as e:
            if generation == self.generation:
                self.status.setText(f"The report failed: {e.summary()}"
                                    + (f" (opc-request-id {e.request_id})" if e.request_id else ""))
                self.run_button.setEnabled(True)
            return
        if generation != self.generation:
            return
        self.findings, self.stats = findings, stats
        self._fill()
        self.run_button.setEnabled(True)
        self.csv_button.setEnabled(bool(findings))
        q = stats["queries"]
        days = period / 86400
        self.status.setText(
            f"{len(findings)} of {stats['with_data']} instances with data ran under {threshold:g} % mean CPU over "
            f"{days:g} day{'s' if days != 1 else ''} — {q} quer{'ies' if q != 1 else 'y'} "
            f"({stats['query']}) in {stats['seconds']:.2f} s. Double-click a row to open the instance.")
        self.finished.emit(len(findings))

    def _fill(self) -> None:
        t = self.table
        t.setSortingEnabled(False)
        t.setRowCount(len(self.findings))
        for r, x in enumerate(self.findings):
            sc = x.instance.shape_config
            ocpus = float(getattr(sc, "ocpus", 0) or 0)
            mem = float(getattr(sc, "memory_in_gbs", 0) or 0)
            name = QTableWidgetItem(icon("instance"), x.name)
            name.setToolTip(x.instance.id)
            name.setData(Qt.ItemDataRole.UserRole, r)
            cells = [name, QTableWidgetItem(x.compartment), QTableWidgetItem(x.instance.shape),
                     _Num(f"{ocpus:g}", ocpus), _Num(f"{mem:g}", mem), _Num(f"{x.mean:.1f}", x.mean),
                     _Num(f"{x.peak:.1f}", x.peak), _Num(f"{x.hours / 24:.0f} d" if x.hours >= 24 else f"{x.hours} h",
                                                         x.hours),
                     QTableWidgetItem(x.suggestion)]
            cells[-1].setToolTip(x.suggestion)
            for c, item in enumerate(cells):
                t.setItem(r, c, item)
        t.setSortingEnabled(True)
        t.sortByColumn(5, Qt.SortOrder.AscendingOrder)  # the idlest first

    def row_names(self) -> list[str]:
        return [self.table.item(r, 0).text() for r in range(self.table.rowCount())]

    def finding_at(self, row: int) -> Finding | None:
        item = self.table.item(row, 0)
        if item is None:
            return None
        return self.findings[int(item.data(Qt.ItemDataRole.UserRole))]

    def open_row(self, row: int) -> None:
        x = self.finding_at(row)
        if x is None:
            return
        self.openRequested.emit(x.instance.id, x.instance.compartment_id)
        if self.main_window is not None:
            self.main_window.open_resource(x.instance.id, x.instance.compartment_id)

    # ------------------------------------------------------------ export
    def _ask_csv(self) -> None:
        dlg = QFileDialog(self, "Export the report as CSV")
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.setNameFilter("CSV file (*.csv)")
        dlg.setDefaultSuffix("csv")
        dlg.selectFile("underutilized-instances.csv")
        dlg.fileSelected.connect(self.export_csv)
        dlg.open()
        self._dialog = dlg

    def export_csv(self, path: str) -> bool:
        try:
            n = write_csv(self.findings, path)
        except OSError as e:
            self.status.setText(f"Could not save {path}: {e}")
            return False
        self.status.setText(f"Saved {n} row{'s' if n != 1 else ''} to {path}")
        return True

    def shutdown(self) -> None:
        self.generation += 1
        self._tasks.cancel_all()
