"""Search across the tenancy (OCI's Resource Search): free text, or a structured query such as
`query instance resources where lifeCycleState = 'RUNNING'`. Results fill in page by page;
double-click one to open it in its compartment.

With several connections in the tree (profiles and regions side by side), the search runs in all of them at
once and every result says which profile and region it was found in ("Where")."""

from __future__ import annotations

import asyncio

from ..catalog.model import Column, ResourceKind, attr
from ..core import heap
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


class Found:
    """A search result (the SDK's ResourceSummary) with where it was found: the connection's session, its
    "profile · region" label and the compartment's name in that connection's tree."""

    def __init__(self, summary, where: str, session, compartment_name: str | None):
        self.summary = summary
        self.where = where
        self.session = session
        self.compartment_name = compartment_name

    def __getattr__(self, name: str):
        return getattr(self.__dict__["summary"], name)


def _result_kind(name_of) -> ResourceKind:
    return ResourceKind(
        id="search.result", label="Search results", singular="Result", group="Search", icon="refresh",
        list=_none, get=None, name_attr="display_name",
        columns=[Column("Name", attr("display_name"), width=220), Column("Type", attr("resource_type"), width=120),
                 Column("State", attr("lifecycle_state"), "state"),
                 Column("Compartment", lambda r: getattr(r, "compartment_name", None) or name_of(r.compartment_id)
                        or r.compartment_id, width=160),
                 Column("Where", lambda r: getattr(r, "where", ""), width=200),
                 Column("Availability domain", attr("availability_domain")),
                 Column("Created", attr("time_created"), "datetime")])


class SearchDock(QDockWidget):
    openRequested = Signal(str, str)  # ocid, compartment id
    openFound = Signal(object, str, str)  # the session it was found in, ocid, compartment id
    finished = Signal(int)  # results

    def __init__(self, name_of=lambda ocid: None, parent=None):
        super().__init__("Search", parent)
        self.setObjectName("searchDock")
        self.session = None
        self.roots: list[tuple[str, object, object]] = []  # (profile · region, session, name_of) searched
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
        self.set_roots([("", session, None)] if session is not None else [])

    def set_roots(self, roots: list[tuple[str, object, object]]) -> None:
        """The connections searched: (profile · region label, session, compartment name lookup) each."""
        self.roots = list(roots)
        self.session = roots[0][1] if roots else None
        self.table.setColumnHidden([c.title for c in self.kind.columns].index("Where"), len(roots) < 2)
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
        if not text or not self.roots:
            return
        self.generation += 1
        self.model.set_rows([])
        self.status.setText("Searching…")
        self._tasks.replace("search", self._search(self.generation, text))

    async def _search(self, generation: int, text: str) -> None:
        rows: list = []
        counts: dict[str, int] = {}
        failed: list[str] = []

        async def one(where: str, session, name_of) -> None:
            counts[where] = 0
            try:
                async for page in searchsvc.search_pages(session, text):
                    if generation != self.generation:
                        return
                    found = [Found(r, where, session, name_of(r.compartment_id) if name_of else None) for r in page]
                    rows.extend(found)
                    counts[where] += len(found)
                    self.model.append_rows(found)
                    heap.settle(len(found))
                    self.status.setText(f"{len(rows)} found so far…")
            except OciError as e:
                failed.append(f"{where}: {e.summary()}" if where else e.summary())

        await asyncio.gather(*(one(*r) for r in self.roots))
        if generation != self.generation:
            return
        if failed and not rows:
            self.status.setText(f"Search failed: {'; '.join(failed)}")
            return
        text_ = f"{len(rows)} resource{'s' if len(rows) != 1 else ''} found"
        if len(self.roots) > 1:
            text_ += " (" + ", ".join(f"{n} in {w}" for w, n in counts.items()) + ")"
        if failed:
            text_ += f"; search failed in {'; '.join(failed)}"
        self.status.setText(text_ + ". Double-click one to open it.")
        self.finished.emit(len(rows))

    def _open(self, index) -> None:
        res = index.data(RESOURCE_ROLE)
        if res is not None:
            self.openRequested.emit(res.identifier, res.compartment_id)
            self.openFound.emit(getattr(res, "session", None), res.identifier, res.compartment_id)


_ = Qt
