"""Governance menu: the Audit trail and Cost by day views (gui.views.register_extension).

- *Audit trail…*: the selected resource's audit events (a box shows its whole compartment's), or a
  compartment's, of the last hours (every page of ListEvents), filtered by user,
  operation and status as you type (services.cost.filter_events), newest first.
- *Cost by day…*: a compartment's (and its subcompartments') cost per service and day as stacked bars
  (pyqtgraph, imported when the view first opens) with a table of the amounts (services.cost.cost_by_day).

Widgets only show and ask; the filtering, the sums and the stacking are in services/cost.py.
"""

from __future__ import annotations

from ..core.errors import OciError
from ..services import cost as svc
from . import aio, views
from .icons import icon
from .qt import (
    QAbstractItemView,
    QCheckBox,
    QColor,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QObject,
    QPushButton,
    QtWidgets,
    QVBoxLayout,
    QWidget,
)
from .widgets import help_colour

QTableWidget = QtWidgets.QTableWidget
QTableWidgetItem = QtWidgets.QTableWidgetItem
AUDIT_COLUMNS = ["Time (UTC)", "Operation", "User", "Status", "Resource", "Service", "From", "Request ID"]
HOURS = [("last hour", 1), ("last 24 hours", 24), ("last 7 days", 168), ("last 30 days", 720)]
DAYS = [("7 days", 7), ("14 days", 14), ("30 days", 30)]
STATUSES = [("Any status", ""), ("Succeeded", "succeeded"), ("Failed", "failed")]


def _table(columns: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(columns))
    t.setHorizontalHeaderLabels(columns)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setAlternatingRowColors(True)
    t.verticalHeader().hide()
    t.verticalHeader().setDefaultSectionSize(22)
    t.horizontalHeader().setStretchLastSection(True)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return t


def _title(text: str, sub: str, parent: QWidget) -> tuple[QLabel, QLabel]:
    title = QLabel(text)
    f = title.font()
    f.setPointSizeF(f.pointSizeF() * 1.25 if f.pointSizeF() > 0 else 12)
    f.setBold(True)
    title.setFont(f)
    s = QLabel(sub)
    s.setStyleSheet(f"color: {help_colour(parent)};")
    s.setWordWrap(True)
    return title, s


class _CompartmentView(QWidget):
    """A view over one compartment, picked in a combo filled from the window's tree."""

    def __init__(self, session, window=None, parent=None):
        super().__init__(parent)
        self.session = session
        self.main_window = window
        self._tasks = aio.TaskGroup()
        self.generation = 0
        self.compartment_box = QComboBox()
        self.compartment_box.setObjectName("compartment")
        self.compartment_box.setMinimumContentsLength(22)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setStyleSheet(f"color: {help_colour(self)};")

    async def _load_compartments(self, current: str | None) -> None:
        from .dashboard import compartment_items, load_compartments
        try:
            pairs = await load_compartments(self.session, self.main_window)
        except OciError as e:
            self.status.setText(f"Cannot list compartments: {e.summary()}")
            return
        compartment_items(self.compartment_box, pairs, current or self.session.tenancy_id)
        self.run()

    def run(self):
        raise NotImplementedError

    def compartment(self) -> str:
        return self.compartment_box.currentData() or self.session.tenancy_id


class AuditView(_CompartmentView):
    """A compartment's audit trail, filtered by user, operation and status."""

    def __init__(self, session, window=None, parent=None, compartment_id: str | None = None,
                 resource_id: str | None = None, resource_name: str = ""):
        super().__init__(session, window, parent)
        self.setObjectName("auditView")
        self.resource_id = resource_id
        self.only = QCheckBox(f"Only {resource_name or 'the selected resource'}")
        self.only.setChecked(resource_id is not None)
        self.only.setVisible(resource_id is not None)
        self.only.toggled.connect(self._fill)
        self.rows: list[svc.AuditRow] = []
        self.shown: list[svc.AuditRow] = []
        title, sub = _title("Audit trail", "Every request made in the compartment: who, what, when, from where and "
                            "whether it succeeded", self)
        self.period = QComboBox()
        for label, hours in HOURS:
            self.period.addItem(label, hours)
        self.period.setCurrentIndex(1)
        self.run_button = QPushButton(icon("refresh"), "Refresh")
        self.run_button.clicked.connect(self.run)
        self.user = QLineEdit()
        self.user.setPlaceholderText("User")
        self.operation = QLineEdit()
        self.operation.setPlaceholderText("Operation (PutObject, Launch…)")
        self.status_box = QComboBox()
        for label, value in STATUSES:
            self.status_box.addItem(label, value)
        for w in (self.user, self.operation):
            w.setClearButtonEnabled(True)
            w.textChanged.connect(self._fill)
        self.status_box.currentIndexChanged.connect(self._fill)
        self.compartment_box.currentIndexChanged.connect(lambda _i: self.run())
        self.period.currentIndexChanged.connect(lambda _i: self.run())
        bar = QHBoxLayout()
        bar.addWidget(self.compartment_box, 1)
        bar.addWidget(self.period)
        bar.addWidget(self.run_button)
        filters = QHBoxLayout()
        filters.addWidget(self.user, 1)
        filters.addWidget(self.operation, 1)
        filters.addWidget(self.status_box)
        filters.addWidget(self.only)
        self.table = _table(AUDIT_COLUMNS)
        self.table.setObjectName("auditEvents")
        for i, w in enumerate([150, 170, 160, 60, 220, 140, 90]):
            self.table.setColumnWidth(i, w)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 2)
        for w in (title, sub):
            lay.addWidget(w)
        lay.addLayout(bar)
        lay.addLayout(filters)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)
        self._tasks.replace("compartments", self._load_compartments(compartment_id))

    def run(self):
        self.generation += 1
        self.status.setText("Reading the audit trail…")
        return self._tasks.replace("run", self._run(self.generation, self.compartment(),
                                                    float(self.period.currentData() or 24)))

    async def _run(self, generation: int, comp: str, hours: float) -> None:
        try:
            rows = await svc.audit_events(self.session, comp, hours)
        except OciError as e:
            if generation == self.generation:
                self.status.setText(f"Cannot read the audit trail: {e.summary()}")
            return
        if generation != self.generation:
            return
        self.rows = rows
        self._fill()

    def _fill(self, *_args) -> None:
        self.shown = svc.filter_events(self.rows, self.user.text(), self.operation.text(),
                                       self.status_box.currentData() or "",
                                       self.resource_id if self.only.isChecked() else None)
        t = self.table
        t.setRowCount(len(self.shown))
        for r, row in enumerate(self.shown):
            for c, text in enumerate([f"{row.time:%Y-%m-%d %H:%M:%S}", row.operation, row.user, row.status,
                                      row.resource, row.source, row.ip, row.request_id]):
                item = QTableWidgetItem(text)
                if c == 3 and row.failed:
                    item.setForeground(QColor("#b83a2e"))
                t.setItem(r, c, item)
        self.status.setText(f"{len(self.shown)} of {len(self.rows)} events")


class CostView(_CompartmentView):
    """A compartment's cost per service and day: stacked bars and the amounts."""

    def __init__(self, session, window=None, parent=None, compartment_id: str | None = None):
        super().__init__(session, window, parent)
        self.setObjectName("costView")
        self.cost: svc.CostByDay | None = None
        self.bars: list = []
        title, sub = _title("Cost by day", "What the compartment and its subcompartments cost per service, at list "
                            "price (Usage API)", self)
        self.days = QComboBox()
        for label, n in DAYS:
            self.days.addItem(label, n)
        self.days.setCurrentIndex(1)
        self.run_button = QPushButton(icon("refresh"), "Refresh")
        self.run_button.clicked.connect(self.run)
        self.compartment_box.currentIndexChanged.connect(lambda _i: self.run())
        self.days.currentIndexChanged.connect(lambda _i: self.run())
        bar = QHBoxLayout()
        bar.addWidget(self.compartment_box, 1)
        bar.addWidget(self.days)
        bar.addWidget(self.run_button)
        import pyqtgraph as pg  # the first cost view pays for it, not the start-up
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("costChart")
        self.plot.setMinimumHeight(220)
        self.plot.setLabel("left", "USD")
        self.plot.showGrid(y=True, alpha=0.3)
        self.plot.setMenuEnabled(False)
        self.legend = self.plot.addLegend(offset=(10, 5), labelTextColor="#e0e0e0")
        self.table = _table(["Service"])
        self.table.setObjectName("costTable")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 2)
        for w in (title, sub):
            lay.addWidget(w)
        lay.addLayout(bar)
        lay.addWidget(self.plot, 3)
        lay.addWidget(self.table, 2)
        lay.addWidget(self.status)
        self._tasks.replace("compartments", self._load_compartments(compartment_id))

    def run(self):
        self.generation += 1
        self.status.setText("Reading the cost…")
        return self._tasks.replace("run", self._run(self.generation, self.compartment(),
                                                    int(self.days.currentData() or 14)))

    async def _run(self, generation: int, comp: str, days: int) -> None:
        try:
            cost = await svc.cost_by_day(self.session, comp, days)
        except OciError as e:
            if generation == self.generation:
                self.status.setText(f"Cannot read the cost: {e.summary()}")
            return
        if generation != self.generation:
            return
        self.cost = cost
        self._draw()

    def _draw(self) -> None:
        import pyqtgraph as pg

        from .charts import PALETTE
        cost = self.cost
        assert cost is not None
        self.plot.clear()
        self.legend.clear()
        self.bars = []
        x = list(range(len(cost.days)))
        for i, (service, bottoms, heights) in enumerate(cost.stacked()):
            colour = PALETTE[i % len(PALETTE)]
            item = pg.BarGraphItem(x=x, y0=bottoms, height=heights, width=0.7, brush=colour, pen=pg.mkPen(colour))
            self.plot.addItem(item)
            self.legend.addItem(item, service)
            self.bars.append((service, item))
        # the legend in a row above the tallest bar
        self.legend.setColumnCount(max(1, min(4, len(self.bars))))
        peak = max(cost.day_totals() or [0.0])
        rows = (len(self.bars) + 3) // 4
        self.plot.setYRange(0, peak * (1.12 + 0.12 * rows) if peak > 0 else 1, padding=0)
        self.plot.setXRange(-0.6, len(cost.days) - 0.4, padding=0)
        axis = self.plot.getAxis("bottom")
        step = max(1, len(cost.days) // 10)
        axis.setTicks([[(i, f"{d:%d %b}") for i, d in enumerate(cost.days) if i % step == 0]])
        # the table: a row per service, a column per day, and the total
        t = self.table
        services = cost.services
        t.setColumnCount(len(cost.days) + 2)
        t.setHorizontalHeaderLabels(["Service", "Total"] + [f"{d:%d %b}" for d in cost.days])
        t.setRowCount(len(services) + 1)
        for r, s in enumerate(services + ["All services"]):
            vals = cost.amounts[s] if s in cost.amounts else cost.day_totals()
            t.setItem(r, 0, QTableWidgetItem(s))
            t.setItem(r, 1, QTableWidgetItem(f"${sum(vals):,.2f}"))
            for c, v in enumerate(vals):
                t.setItem(r, c + 2, QTableWidgetItem(f"${v:,.2f}"))
        t.setColumnWidth(0, 140)
        self.status.setText(f"${cost.total():,.2f} over {len(cost.days)} days in {len(services)} services")


class CostExtension(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        menu = window.menu("&Governance")
        self.audit_action = menu.addAction(icon("report"), "&Audit trail…", self.show_audit)
        self.cost_action = menu.addAction(icon("metric"), "&Cost by day…", self.show_cost)
        self.budgets_action = menu.addAction(icon("report"), "&Budgets", self.show_budgets)

    def _compartment_id(self) -> str | None:
        w = self.window
        comp = w.current_compartment if w.current_compartment is not None else w.tenancy
        return getattr(comp, "id", None)

    def show_audit(self):
        """The audit trail of the selected resource's compartment, showing only that resource (a box to
        untick), or of the current compartment."""
        w = self.window
        if w.session is None:
            return None
        res = getattr(w.detail, "resource", None)
        if res is not None and getattr(res, "id", None) == self._compartment_id():
            res = None  # the compartment itself is shown: its whole trail
        kind = getattr(w.detail, "kind", None)
        comp = getattr(res, "compartment_id", None) or self._compartment_id()
        name = str(getattr(res, kind.name_attr, "") or "") if res is not None and kind is not None else ""
        v = AuditView(w.session, window=w, compartment_id=comp, resource_id=getattr(res, "id", None),
                      resource_name=name)
        self.window.show_view(v)
        return v

    def show_cost(self):
        if self.window.session is None:
            return None
        v = CostView(self.window.session, window=self.window, compartment_id=self._compartment_id())
        self.window.show_view(v)
        return v

    def show_budgets(self) -> None:
        w = self.window
        if w.session is not None:
            w.select(w.session.tenancy_id, "cost.budget")


def install(window) -> None:
    window.cost = CostExtension(window)


views.register_extension(install)
