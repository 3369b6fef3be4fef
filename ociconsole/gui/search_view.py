"""Search across the tenancy (OCI's Resource Search): free text, or a structured query such as
`query instance resources where lifeCycleState = 'RUNNING'`. Results fill in page by page;
double-click one to open it in its compartment."""

from __future__ import annotations

from ..catalog.model import Column, ResourceKind, attr
from ..core.errors import OciError
from ..services import search as searchsvc
from . import aio
from .qt import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSortFilterProxyModel,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .resource_view import RESOURCE_ROLE, SORT_ROLE, ResourceTableModel

EXAMPLES = [
    ("Free text…", ""),
    ("Running instances", "query instance resources where lifeCycleState = 'RUNNING'"),
    ("Stopped instances", "query instance resources where lifeCycleState = 'STOPPED'"),
    ("VCNs and subnets", "query vcn, subnet resources"),
    ("Created in the last 7 days", "query all resources where timeCreated > '{week_ago}'"),
]


async def _none(*_a):
    return []


def _result_kind(name_of) -> ResourceKind:
    return ResourceKind(
        id="search.result", label="Search results", singular="Result", group="Search", icon="refresh",
        list=_none, get=None, name_attr="display_name",
        columns=[Column("Name", attr("display_name"), width=220), Column("Type", attr("resource_type"), width=120),
                 Column("State", attr("lifecycle_state"), "state"),
                 Column("Compartment", lambda r: name_of(r.compartment_id) or r.compartment_id, width=160),
                 Column("Availability domain", attr("availability_domain")),
                 Column("Created", attr("time_created"), "datetime")])


class SearchDock(QDockWidget):
    openRequested = Signal(str, str)  # ocid, compartment id
    finished = Signal(int)  # results

    def __init__(self, name_of=lambda ocid: None, parent=None):
        super().__init__("Search", parent)
        self.setObjectName("searchDock")
        self.session = None
        self.generation = 0
        self._tasks = aio.TaskGroup()
        self.kind = _result_kind(name_of)

        self.examples = QComboBox()
        for label, q in EXAMPLES:
            self.examples.addItem(label, q)
        self.examples.activated.connect(self._example)
        self.query = QLineEdit()
        self.query.setPlaceholderText("Search every compartment: a name, an OCID, or query instance resources where …")
        self.query.setClearButtonEnabled(True)
        self.query.returnPressed.connect(self.run)
        self.go = QPushButton("Search")
        self.go.clicked.connect(self.run)
        self.status = QLabel("")
        self.status.setStyleSheet("color: palette(mid);")
        self.status.setWordWrap(True)

        self.model = ResourceTableModel(self)
        self.model.set_kind(self.kind, [])
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # result order until a header is clicked
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._open)
        for i, c in enumerate(self.kind.columns):
            self.table.setColumnWidth(i, c.width or 120)

        body = QWidget()
        top = QHBoxLayout()
        top.addWidget(self.examples)
        top.addWidget(self.query, 1)
        top.addWidget(self.go)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(self.status)
        lay.addWidget(self.table, 1)
        self.setWidget(body)

    def set_session(self, session) -> None:
        self.session = session
        self.generation += 1
        self._tasks.cancel_all()
        self.model.set_rows([])
        self.status.setText("")

    def _example(self, i: int) -> None:
        q = self.examples.itemData(i)
        if "{week_ago}" in q:
            import datetime as dt
            q = q.format(week_ago=(dt.datetime.now(dt.UTC) - dt.timedelta(days=7)).strftime(
                "%Y-%m-%dT%H:%M:%SZ"))
        self.query.setText(q)
        self.query.setFocus()
        if q:
            self.run()

    def search(self, text: str) -> None:
        self.query.setText(text)
        self.run()

    def run(self) -> None:
        text = self.query.text().strip()
        if not text or self.session is None:
            return
        self.generation += 1
        self.model.set_rows([])
        self.status.setText("Searching…")
        self._tasks.replace("search", self._search(self.generation, text))

    async def _search(self, generation: int, text: str) -> None:
        rows: list = []
        try:
            async for page in searchsvc.search_pages(self.session, text):
                if generation != self.generation:
                    return
                rows.extend(page)
                self.model.append_rows(page)
                self.status.setText(f"{len(rows)} found so far…")
        except OciError as e:
            if generation == self.generation:
                self.status.setText(f"Search failed: {e.summary()}")
            return
        if generation == self.generation:
            self.status.setText(f"{len(rows)} resource{'s' if len(rows) != 1 else ''} found. "
                                "Double-click one to open it.")
            self.finished.emit(len(rows))

    def _open(self, index) -> None:
        res = index.data(RESOURCE_ROLE)
        if res is not None:
            self.openRequested.emit(res.identifier, res.compartment_id)


_ = Qt
