"""The centre of the window: the resources of one kind in one compartment.

The model holds the SDK objects and builds each cell when Qt asks for it. Loads are
generation-numbered: a result for a view the person has left is dropped. While any row
is in a transitional state the list refreshes itself.
"""

from __future__ import annotations

import datetime as _dt
import logging

from ..catalog.generic import in_sentence
from ..catalog.model import ResourceKind
from ..core import heap
from ..core.errors import OciError
from ..i18n import t as ct
from . import aio, settings, theme, translations
from .icons import STATE_COLOURS, dot, icon, state_colour, state_tone
from .qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QFont,
    QFontMetrics,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QModelIndex,
    QPainter,
    QPushButton,
    QSizePolicy,
    QSortFilterProxyModel,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)

log = logging.getLogger(__name__)

SORT_ROLE = Qt.ItemDataRole.UserRole + 10
RESOURCE_ROLE = Qt.ItemDataRole.UserRole + 11
FIT_MAX_PX = 360  # fit_columns: no column wider than this (a long name is elided, its tooltip has it)
FIT_ROWS = 32  # fit_columns measures the rows in view and those next to them, up to this many (~0.4 ms a row)
_DISPLAY, _DECORATION, _TOOLTIP, _FONT, _FOREGROUND = (int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole))
_RESOURCE = int(RESOURCE_ROLE)
_ROLES = frozenset({_DISPLAY, _DECORATION, _TOOLTIP, _FONT, _FOREGROUND, _RESOURCE, int(SORT_ROLE)})


def human_size(n) -> str:
    """1536 -> '1.5 KiB' (binary units, as file managers and OCI's console show sizes)."""
    if n is None:
        return ""
    n = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} PiB"


def format_value(value, kind: str = "text") -> str:
    if value is None:
        return ""
    if kind == "bytes" and isinstance(value, (int, float)):
        return human_size(value)
    if kind == "datetime" or isinstance(value, _dt.datetime):
        if isinstance(value, _dt.datetime):
            return value.astimezone().strftime("%Y-%m-%d %H:%M")
        return str(value)
    if kind == "number" and isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


class ResourceTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.kind: ResourceKind | None = None
        self.rows: list = []
        self._row_of: dict[str, int] = {}

    def set_kind(self, kind: ResourceKind | None, rows: list | None = None) -> None:
        self.beginResetModel()
        self.kind = kind
        self.rows = list(rows or [])
        self._reindex()
        self.endResetModel()

    def set_rows(self, rows: list) -> None:
        """Replace the rows, keeping unchanged ones in place (selection survives refreshes)."""
        new_ids = [getattr(r, "id", None) for r in rows]
        if new_ids == [getattr(r, "id", None) for r in self.rows]:
            self.rows = list(rows)
            if self.rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, self.columnCount() - 1))
            return
        self.beginResetModel()
        self.rows = list(rows)
        self._reindex()
        self.endResetModel()

    def _reindex(self) -> None:
        self._row_of = {getattr(r, "id", ""): i for i, r in enumerate(self.rows)}

    def append_rows(self, rows: list) -> None:
        """Add a page of rows at the end (the view keeps its scroll position and selection)."""
        if not rows:
            return
        n = len(self.rows)
        self.beginInsertRows(QModelIndex(), n, n + len(rows) - 1)
        for i, r in enumerate(rows, n):
            self.rows.append(r)
            self._row_of[getattr(r, "id", "") or f"#{i}"] = i
        self.endInsertRows()

    def update_resource(self, res) -> bool:
        i = self._row_of.get(getattr(res, "id", None))
        if i is None:
            return False
        self.rows[i] = res
        self.dataChanged.emit(self.index(i, 0), self.index(i, self.columnCount() - 1))
        return True

    def add_resource(self, res) -> None:
        if self.update_resource(res):
            return
        n = len(self.rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self.rows.append(res)
        self._row_of[getattr(res, "id", "")] = n
        self.endInsertRows()

    def remove_resource(self, resource_id: str) -> bool:
        i = self._row_of.get(resource_id)
        if i is None:
            return False
        self.beginRemoveRows(QModelIndex(), i, i)
        del self.rows[i]
        self._reindex()
        self.endRemoveRows()
        return True

    def resource(self, row: int):
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.kind is None else len(self.kind.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and self.kind:
            return ct(self.kind.columns[section].title)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        # Qt asks for ~8 roles per cell each time it sizes or paints one: the roles this model never answers
        # (alignment, background, check state, size) return at once, and a cell's value is read only for a
        # role that shows it
        if role not in _ROLES or self.kind is None or not index.isValid():
            return None
        res = self.rows[index.row()]
        if role == _RESOURCE:
            return res
        column = index.column()
        col = self.kind.columns[column]
        if role == _TOOLTIP:
            return getattr(res, "id", None) if column == 0 else None
        state = col.kind == "state"
        if role == _DECORATION and not state:
            return icon(self.kind.icon) if column == 0 else None
        if role in (_FOREGROUND, _FONT) and col.tone is None and not (state and role == _FOREGROUND):
            return None
        try:
            value = col.get(res)
        except Exception:
            value = None
        if role == _DISPLAY:
            return format_value(value, col.kind)
        if role == SORT_ROLE:
            if value is None:
                return ""
            if isinstance(value, _dt.datetime):
                return value.timestamp()
            if isinstance(value, (int, float)):
                return float(value)
            return str(value).lower()
        if col.tone is not None and role in (_FOREGROUND, _FONT):
            tone = col.tone(value)
            if tone and role == _FOREGROUND:
                return STATE_COLOURS[tone]
            if tone == "bad" and role == _FONT:
                f = QFont()
                f.setBold(True)
                return f
        if state:
            if role == _FOREGROUND:
                return state_colour(value)
            if role == _DECORATION:
                return dot(state_colour(value).name())
        return None


class ElidedLabel(QLabel):
    """A one-line label that never widens its layout: a text too long for the width is cut with "…" at
    the end (never mid-word without a mark), and the full text is the tooltip. `text()` stays the full text."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def elided_text(self) -> str:
        """The text as drawn at the current width."""
        width = self.contentsRect().width()
        return QFontMetrics(self.font()).elidedText(self.text(), Qt.TextElideMode.ElideRight, max(width, 0))

    def minimumSizeHint(self):
        hint = super().minimumSizeHint()
        hint.setWidth(QFontMetrics(self.font()).horizontalAdvance("…") + 2)
        return hint

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.setFont(self.font())
        painter.drawText(self.contentsRect(), int(self.alignment() | Qt.AlignmentFlag.AlignVCenter),
                         self.elided_text())
        painter.end()


class ResourceView(QWidget):
    resourceActivated = Signal(object, object)  # kind, resource (current row)
    selectionChangedList = Signal(object, list)  # kind, resources
    createRequested = Signal(object)  # kind
    actionRequested = Signal(object, object, list)  # kind, Action, resources
    loaded = Signal(object, int)  # kind, row count
    loadFailed = Signal(object)  # OciError

    def __init__(self, parent=None):
        super().__init__(parent)
        translations.ensure()  # English plural forms ("1 item")
        self.session = None
        self.kind: ResourceKind | None = None
        self.compartment = None
        self.generation = 0
        self._tasks = aio.TaskGroup()
        self._seen_while_loading: dict = {}
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(lambda: self.reload(quiet=True))

        # a long title must not widen the view (the splitter would move when the title changes): it is elided
        self.title = ElidedLabel("")
        self.where = ""  # "profile · region" when the tree holds several connections (main_window)
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.25)
        f.setBold(True)
        self.title.setFont(f)
        self.count = QLabel("")
        self.count.setStyleSheet("color: palette(mid);")
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter (Ctrl+F)"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setMaximumWidth(280)
        self.create_button = QPushButton(icon("create"), self.tr("Create"))
        self.create_button.clicked.connect(lambda: self.kind and self.createRequested.emit(self.kind))

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.count)
        head.addWidget(self.filter)
        head.addWidget(self.create_button)

        self.banner = QFrame()
        self.banner.setObjectName("errorBanner")
        bg, border, _fg = theme.banner("error")
        self.banner.setStyleSheet(
            f"#errorBanner {{ background: {bg}; border: 1px solid {border}; border-radius: 4px; }}")
        bl = QHBoxLayout(self.banner)
        bl.setContentsMargins(8, 4, 8, 4)
        self.banner_text = QLabel("")
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        retry = QPushButton(self.tr("Retry"))
        retry.clicked.connect(lambda: self.reload())
        bl.addWidget(self.banner_text, 1)
        bl.addWidget(retry)
        self.banner.hide()

        self.model = ResourceTableModel(self)
        self._count_known = False  # the count shows once a list has loaded (not "0 items" while loading)
        for sig in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            sig.connect(self._update_count)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setSortRole(SORT_ROLE)
        self.filter.textChanged.connect(self._filter_changed)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.placeholder = QLabel("")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: palette(mid); padding: 24px;")
        self.placeholder.hide()

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 0)
        lay.addLayout(head)
        lay.addWidget(self.banner)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.placeholder)
        self._update_placeholder(loading=False)

    # ------------------------------------------------------------ showing a kind
    def show_kind(self, session, kind: ResourceKind, compartment) -> None:
        changed = kind is not self.kind or compartment is None or self.compartment is None or \
            compartment.id != self.compartment.id
        self.session = session
        self.kind = kind
        self.compartment = compartment
        if changed:
            self._count_known = False
            self.model.set_kind(kind, [])
            self.filter.clear()
            widths = [c.width for c in kind.columns]
            for i, w in enumerate(widths):
                self.table.setColumnWidth(i, w or 130)
            self._fit_pending = True  # the first rows size the columns (fit_columns)
            self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.title.setText(self.tr("{kinds} in {compartment}").format(kinds=ct(kind.label),
                                                                       compartment=compartment.name)
                           + (f" — {self.where}" if self.where else ""))
        self.create_button.setVisible(kind.create is not None)
        self.create_button.setText(self.tr("Create {what}").format(what=in_sentence(ct(kind.singular))))
        self.reload()

    def stop(self) -> None:
        """No more loads or self-refreshes (the window is closing)."""
        self._refresh_timer.stop()
        self.generation += 1
        self._tasks.cancel_all()

    def clear(self) -> None:
        self._refresh_timer.stop()
        self.generation += 1
        self._tasks.cancel_all()
        self.kind = None
        self._count_known = False
        self.model.set_kind(None, [])
        self.title.setText("")
        self._update_count()

    def reload(self, quiet: bool = False) -> None:
        if self.kind is None or self.session is None or self.compartment is None:
            return
        self._refresh_timer.stop()
        self.generation += 1
        self._seen_while_loading = {}  # fresh copies seen while this load is out (a create that ended)
        if not quiet:
            self._update_placeholder(loading=True)
        # started now: the request goes out before the window repaints for the click that asked for the list;
        # not while the SDK packages load (the first step could import one, and the repaint would wait for it)
        self._tasks.replace("load", self._load(self.generation, self.kind, self.compartment.id, quiet),
                            now=self.session.sdk_loaded())

    async def _load(self, generation: int, kind: ResourceKind, comp_id: str, quiet: bool) -> None:
        try:
            rows = await kind.list(self.session, comp_id)
        except OciError as e:
            if generation == self.generation:
                self.banner_text.setText(
                    self.tr("Could not load {kinds}: {error}").format(kinds=ct(kind.label).lower(), error=e.summary())
                    + (f"  (opc-request-id {e.request_id})" if e.request_id else ""))
                self.banner.show()
                self._update_placeholder(loading=False)
                self.loadFailed.emit(e)
                if quiet:
                    self._schedule_refresh()
            return
        if generation != self.generation:
            return  # the person moved on: stale
        self.banner.hide()
        self._count_known = True
        # a list asked for before a create ended may not hold it yet: keep what was seen meanwhile
        listed = {getattr(r, "id", None) for r in rows}
        late = [r for i, r in getattr(self, "_seen_while_loading", {}).items() if i not in listed]
        self._seen_while_loading = {}
        self.model.set_rows(rows)
        for r in late:
            self.model.add_resource(r)
        heap.settle(len(rows))
        if rows and getattr(self, "_fit_pending", False):
            self._fit_pending = False
            self.fit_columns()
        self._update_count()
        self._update_placeholder(loading=False)
        self.loaded.emit(kind, len(rows))
        if any(kind.is_transitional(r) for r in rows):
            self._schedule_refresh()

    def fit_columns(self) -> None:
        """Each column as wide as its title and the rows in view (a very long value is cut at FIT_MAX_PX, not
        pushing the others out), the last one stretching: no horizontal scroll bar while the content fits.
        Done once per list shown (refreshes keep the widths the person may have dragged). At most FIT_ROWS rows
        are measured (Qt's default: 1,000 a column), so a 1,000-row list costs the same as a short one."""
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(FIT_ROWS)
        table, proxy = self.table, self.proxy
        rows = proxy.rowCount()
        top = max(0, min(table.rowAt(0), rows - FIT_ROWS)) if rows else 0
        grid = 1 if table.showGrid() else 0
        for c in range(self.model.columnCount()):
            # what QTableView.sizeHintForColumn measures (the rows from the top of the view, FIT_ROWS of them),
            # each distinct cell measured once: a state, shape or domain column repeats a few values
            seen: set = set()
            hint = -1
            for r in range(top, min(rows, top + FIT_ROWS)):
                index = proxy.index(r, c)
                key = (index.data(), index.data(_FONT) is not None)
                if key not in seen:
                    seen.add(key)
                    hint = max(hint, table.sizeHintForIndex(index).width())
            want = max(header.sectionSizeHint(c), hint + grid if hint >= 0 else table.sizeHintForColumn(c))
            self.table.setColumnWidth(c, min(want, FIT_MAX_PX))

    def _schedule_refresh(self) -> None:
        self._refresh_timer.start(int(settings.get("table/refresh_seconds")) * 1000)

    def _update_placeholder(self, loading: bool) -> None:
        if loading and self.model.rowCount() == 0:
            self.placeholder.setText(self.tr("Loading…"))
            self.placeholder.show()
        elif not loading and self.kind is not None and self.model.rowCount() == 0 and not self.banner.isVisible():
            self.placeholder.setText(self.empty_text())
            self.placeholder.show()
        else:
            self.placeholder.hide()

    def empty_text(self) -> str:
        """What an empty list holds and the first thing to do: "No VCNs in Development. Create a VCN (Ctrl+N)
        or pick another compartment." """
        kind = self.kind
        kinds = in_sentence(ct(kind.label))
        text = (self.tr("No {kinds} in {compartment}.").format(kinds=kinds, compartment=self.compartment.name)
                if self.compartment is not None else self.tr("No {kinds}.").format(kinds=kinds))
        ways = []
        if kind.create is not None and not self.blocked():
            what = in_sentence(ct(kind.singular))
            ways.append((self.tr("Create an {what} (Ctrl+N)") if what[:1].lower() in "aeio"
                         else self.tr("Create a {what} (Ctrl+N)")).format(what=what))
        if kind.scope == "compartment":
            ways.append(self.tr("pick another compartment") if ways else self.tr("Pick another compartment"))
        return f"{text} {self.tr(' or ').join(ways)}." if ways else text

    def _filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)

    # ------------------------------------------------------------ updates from operations
    def resource_changed(self, kind: ResourceKind, res) -> None:
        """A fresh copy seen while tracking an operation: update (or add) its row."""
        if kind is not self.kind or self.compartment is None:
            return
        if getattr(res, "compartment_id", None) not in (self.compartment.id, None):
            if self.model.remove_resource(getattr(res, "id", "")):  # moved to another compartment
                self._update_placeholder(loading=False)
            return
        self.model.add_resource(res)
        if self._tasks.running("load"):
            self._seen_while_loading[getattr(res, "id", "")] = res
        self._update_placeholder(loading=False)
        if kind.is_transitional(res):
            self._schedule_refresh()
        cur = self.current_resource()
        if cur is not None and getattr(cur, "id", None) == getattr(res, "id", None):
            self.resourceActivated.emit(kind, res)

    def resource_gone(self, kind: ResourceKind, resource_id: str) -> None:
        """A resource that no longer exists (deleted, not just TERMINATED): its row goes."""
        getattr(self, "_seen_while_loading", {}).pop(resource_id, None)
        if kind is self.kind and self.model.remove_resource(resource_id):
            self._update_placeholder(loading=False)

    def _update_count(self, *_) -> None:
        """The count follows the model's rows (a load, a created row, a deleted one)."""
        if self.kind is None or not self._count_known:
            self.count.setText("")
            return
        n = self.model.rowCount()
        self.count.setText(self.tr("%n item(s)", "", n))

    # ------------------------------------------------------------ selection
    def blocked(self, mutates: bool = True) -> bool:
        """Creating and actions are off: a read-only profile (for what changes something), or no working
        connection (set_offline)."""
        return getattr(self, "offline", False) or getattr(self, "session", None) is None \
            or (self.session.read_only and mutates)

    def set_offline(self, offline: bool) -> None:
        self.offline = offline
        self.create_button.setEnabled(not self.blocked())
        self.create_button.setToolTip(
            self.tr("No working connection: creating is off until it is back") if offline else "")

    def selected_resources(self) -> list:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.proxy.index(r, 0).data(RESOURCE_ROLE) for r in rows]

    def current_resource(self):
        idx = self.table.currentIndex()
        return idx.data(RESOURCE_ROLE) if idx.isValid() else None

    def select_row(self, row: int) -> None:
        idx = self.proxy.index(row, 0)
        if idx.isValid():
            self.table.selectionModel().setCurrentIndex(
                idx, self.table.selectionModel().SelectionFlag.ClearAndSelect
                | self.table.selectionModel().SelectionFlag.Rows)

    def _selection_changed(self, *_):
        if self.kind is not None:
            self.selectionChangedList.emit(self.kind, self.selected_resources())

    def _current_changed(self, current, _previous):
        if current.isValid() and self.kind is not None:
            self.resourceActivated.emit(self.kind, current.data(RESOURCE_ROLE))

    def _context_menu(self, pos) -> None:
        if self.kind is None:
            return
        resources = self.selected_resources()
        menu = QMenu(self)
        kind = self.kind
        for action in kind.actions:
            a = menu.addAction(icon(action.icon), ct(action.label) + ("…" if action.confirm else ""))
            a.setEnabled(bool(resources) and all(action.allowed_for(r) for r in resources)
                         and not (self.blocked(action.mutates)))
            a.triggered.connect(lambda _=False, act=action, rs=resources: self.actionRequested.emit(kind, act, rs))
        if kind.actions:
            menu.addSeparator()
        copy = menu.addAction(icon("copy"), self.tr("Copy OCID"))
        copy.setEnabled(bool(resources))
        copy.triggered.connect(lambda: self._copy_ocids(resources))
        menu.addAction(icon("refresh"), self.tr("Refresh")).triggered.connect(lambda: self.reload())
        if kind.create is not None:
            c = menu.addAction(icon("create"), self.tr("Create {what}…").format(what=in_sentence(ct(kind.singular))))
            c.setEnabled(not self.blocked())
            c.triggered.connect(lambda: self.createRequested.emit(kind))
        menu.popup(self.table.viewport().mapToGlobal(pos))

    @staticmethod
    def _copy_ocids(resources) -> None:
        from .qt import QGuiApplication
        QGuiApplication.clipboard().setText("\n".join(getattr(r, "id", "") for r in resources))

    def copy_selected_ocids(self) -> bool:
        rs = self.selected_resources()
        if rs:
            self._copy_ocids(rs)
        return bool(rs)

    def state_summary(self) -> str:
        if self.kind is None:
            return ""
        counts: dict[str, int] = {}
        for r in self.model.rows:
            counts[state_tone(self.kind.state(r))] = counts.get(state_tone(self.kind.state(r)), 0) + 1
        return ", ".join(f"{v} {k}" for k, v in counts.items())
