"""A bucket's objects as a file browser (the view `objects`: buckets declare `browser = "objects"`).

Prefixes are folders, with breadcrumbs and Up/Back (Backspace, Alt+Up); the list sorts by name,
size, modification time or storage tier with folders first and filters as you type. Files and
folders upload from non-modal file dialogs or by dropping them on the list; downloads go to
disk; transfers are the window's (`gui.transfers.TransferManager`) so they keep running when
the person leaves the bucket, and the browser's transfer list shows them again when it comes
back. Delete asks first (several objects: type how many), rename, copy an object's URL,
share through a pre-authenticated request (its full URL copied), and the metadata of an object
(head_object) in a non-modal window. Every SDK call and every file read or write runs on the
worker threads.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import logging
import os
import posixpath

from .. import catalog
from ..catalog import forms
from ..core.errors import OciError
from ..services import object_storage as oss
from . import aio, theme
from .confirm import ConfirmDialog
from .icons import icon
from .qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QAction,
    QButtonGroup,
    QDateTime,
    QDateTimeEdit,
    QDialog,
    QFileDialog,
    QFont,
    QFormLayout,
    QFrame,
    QGuiApplication,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMenu,
    QModelIndex,
    QPushButton,
    QRadioButton,
    QShortcut,
    QSizePolicy,
    QSortFilterProxyModel,
    QStackedWidget,
    Qt,
    QTableView,
    QTabWidget,
    QTimer,
    QToolBar,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .resource_view import human_size
from .transfers import TransferTable, manager_of, scan_paths
from .widgets import Banner, CodeView, help_colour, help_label, monospace_font

log = logging.getLogger(__name__)

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 30
SORT_ROLE = Qt.ItemDataRole.UserRole + 31
COLUMNS = ("Name", "Size", "Modified", "Storage tier")
C_NAME, C_SIZE, C_MODIFIED, C_TIER = range(len(COLUMNS))


class Entry:
    """One row: a folder (a prefix) or an object (its ObjectSummary)."""

    __slots__ = ("name", "folder", "obj")

    def __init__(self, name: str, folder: bool, obj=None):
        self.name, self.folder, self.obj = name, folder, obj

    @property
    def label(self) -> str:
        return posixpath.basename(self.name.rstrip("/")) + ("/" if self.folder else "")

    @property
    def size(self):
        return getattr(self.obj, "size", None)

    @property
    def modified(self):
        return getattr(self.obj, "time_modified", None) or getattr(self.obj, "time_created", None)

    @property
    def tier(self) -> str:
        t = getattr(self.obj, "storage_tier", None) or ""
        return "Infrequent access" if t == "InfrequentAccess" else t


class ObjectModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[Entry] = []

    def set_entries(self, entries: list[Entry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def add_entries(self, entries: list[Entry]) -> None:
        if not entries:
            return
        n = len(self.entries)
        self.beginInsertRows(QModelIndex(), n, n + len(entries) - 1)
        self.entries.extend(entries)
        self.endInsertRows()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section == C_SIZE:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        e = self.entries[index.row()]
        c = index.column()
        if role == ENTRY_ROLE:
            return e
        if role == Qt.ItemDataRole.DisplayRole:
            if c == C_NAME:
                return e.label
            if c == C_SIZE:
                return "" if e.folder else human_size(e.size)
            if c == C_MODIFIED:
                m = e.modified
                return m.astimezone().strftime("%Y-%m-%d %H:%M") if isinstance(m, _dt.datetime) else ""
            if c == C_TIER:
                return e.tier
        if role == SORT_ROLE:
            if c == C_NAME:
                return e.label.lower()
            if c == C_SIZE:
                return float(e.size or 0)
            if c == C_MODIFIED:
                m = e.modified
                return m.timestamp() if isinstance(m, _dt.datetime) else 0.0
            return e.tier
        if role == Qt.ItemDataRole.DecorationRole and c == C_NAME:
            return icon("folder" if e.folder else "file")
        if role == Qt.ItemDataRole.TextAlignmentRole and c == C_SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and c == C_NAME:
            return e.name
        if role == Qt.ItemDataRole.ForegroundRole and c == C_TIER and e.tier == "Archive":
            return theme.qcolour("stopped")
        return None


class FoldersFirstProxy(QSortFilterProxyModel):
    """Sorts by the column's SORT_ROLE with folders always on top; filters names as you type."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(C_NAME)

    def lessThan(self, left, right) -> bool:
        a, b = left.data(ENTRY_ROLE), right.data(ENTRY_ROLE)
        if a is not None and b is not None and a.folder != b.folder:
            asc = self.sortOrder() == Qt.SortOrder.AscendingOrder
            return a.folder if asc else b.folder
        la, lb = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if la == lb:
            return (a.label.lower() if a else "") < (b.label.lower() if b else "")
        return la < lb


class ObjectTable(QTableView):
    """The object list; local files and folders dropped on it are uploaded to the current folder."""

    filesDropped = Signal(list)  # local paths

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDropIndicatorShown(False)
        self._hover = False

    @staticmethod
    def _local_paths(event) -> list[str]:
        md = event.mimeData()
        if md is None or not md.hasUrls():
            return []
        return [u.toLocalFile() for u in md.urls() if u.isLocalFile() and u.toLocalFile()]

    def _set_hover(self, on: bool) -> None:
        self._hover = on
        self.viewport().setStyleSheet("background: palette(alternate-base); border: 2px dashed palette(highlight);"
                                      if on else "")

    def dragEnterEvent(self, event) -> None:
        if self._local_paths(event):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self._set_hover(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if self._local_paths(event):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragLeaveEvent(self, event) -> None:
        self._set_hover(False)
        event.accept()

    def dropEvent(self, event) -> None:
        self._set_hover(False)
        paths = self._local_paths(event)
        if paths:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self.filesDropped.emit(paths)
        else:
            event.ignore()


class BucketBrowser(QWidget):
    """The object browser of one bucket."""

    navigated = Signal(str)  # the prefix shown
    loaded = Signal(int)  # rows listed
    wide = True  # a file browser wants the room: the details pane steps aside while it is shown

    def __init__(self, window, session, kind, bucket, parent=None):
        super().__init__(parent)
        self.setObjectName("bucketBrowser")
        self.window_, self.session, self.kind, self.bucket = window, session, kind, bucket
        self.name = bucket.name
        self.prefix = ""
        self.history: list[str] = []
        self.generation = 0
        self._tasks = aio.TaskGroup()
        self._dialogs: list = []  # non-modal dialogs opened from here (kept alive)
        self.manager = manager_of(window)
        self._build()
        self.manager.finished.connect(self._transfer_finished)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(250)
        self._reload_timer.timeout.connect(lambda: self.reload(quiet=True))
        self.navigate("")

    # ------------------------------------------------------------ layout
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 0)
        lay.setSpacing(6)

        # header: back to the list, bucket name and its settings
        head = QHBoxLayout()
        self.back_button = QToolButton()
        self.back_button.setIcon(icon("back"))
        self.back_button.setText("Buckets")
        self.back_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.back_button.setAutoRaise(True)
        self.back_button.setToolTip("Back to the bucket list")
        self.back_button.clicked.connect(self.close_browser)
        head.addWidget(self.back_button)
        bicon = QLabel()
        bicon.setPixmap(icon("bucket").pixmap(22, 22))
        head.addWidget(bicon)
        self.title = QLabel(self.name)
        self.title.setToolTip(getattr(self.bucket, "id", "") or self.name)
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.25)
        f.setBold(True)
        self.title.setFont(f)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        head.addWidget(self.title, 1)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter this folder")
        self.filter.setClearButtonEnabled(True)
        self.filter.setMaximumWidth(220)
        self.filter.setMinimumWidth(120)
        self.filter.textChanged.connect(lambda t: self.proxy.setFilterFixedString(t))
        head.addWidget(self.filter)
        lay.addLayout(head)

        # what kind of bucket: tier, versioning, namespace; a loud strip when it is public
        b = self.bucket
        facts = []
        if getattr(b, "storage_tier", None):
            facts.append(f"{b.storage_tier} tier")
        if getattr(b, "versioning", None):
            facts.append(f"versioning {b.versioning.lower()}")
        if getattr(b, "namespace", None):
            facts.append(f"namespace {b.namespace}")
        if getattr(b, "is_read_only", False):
            facts.append("read-only (replication destination)")
        self.facts = QLabel(" · ".join(facts))
        self.facts.setStyleSheet(f"color: {help_colour(self)};")
        self.facts.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.facts.setContentsMargins(6, 0, 0, 0)
        lay.addWidget(self.facts)
        self.public_badge = None
        if oss.is_public(b):
            from ..catalog.object_storage import visibility
            self.public_badge = QLabel(f"⚠  {visibility(b).upper()} BUCKET — anyone on the internet can read its "
                                       "objects without signing in" + (", and list them" if
                                                                       b.public_access_type == "ObjectRead" else ""))
            self.public_badge.setObjectName("publicBadge")
            self.public_badge.setWordWrap(True)
            self.public_badge.setStyleSheet(f"QLabel#publicBadge {{ background: {theme.colour('production')};"
                                            " color: white; font-weight: bold; border-radius: 4px; padding: 4px 8px; }")
            lay.addWidget(self.public_badge)

        # path bar: up + breadcrumbs
        path = QHBoxLayout()
        path.setSpacing(2)
        self.up_button = QToolButton()
        self.up_button.setIcon(icon("up"))
        self.up_button.setAutoRaise(True)
        self.up_button.setToolTip("Up one folder (Backspace)")
        self.up_button.clicked.connect(self.go_up)
        path.addWidget(self.up_button)
        self.crumbs = QHBoxLayout()
        self.crumbs.setSpacing(0)
        crumb_box = QFrame()
        crumb_box.setObjectName("breadcrumbs")
        crumb_box.setFrameShape(QFrame.Shape.StyledPanel)
        crumb_box.setLayout(self.crumbs)
        crumb_box.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.crumbs.setContentsMargins(4, 0, 4, 0)
        path.addWidget(crumb_box, 1)
        self.crumb_buttons: list[QToolButton] = []
        lay.addLayout(path)

        # toolbar
        tb = QToolBar()
        tb.setObjectName("objectToolbar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.setIconSize(tb.iconSize().scaled(16, 16, Qt.AspectRatioMode.KeepAspectRatio))

        def act(text, icon_name, slot, tip="", shortcut=None):
            a = QAction(icon(icon_name), text, self)
            a.triggered.connect(lambda *_: slot())
            if tip:
                a.setToolTip(tip)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
                a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.addAction(a)
            return a
        self.upload_action = act("Upload files…", "upload", self.choose_files, "Upload files to this folder "
                                 "(or drop files and folders on the list)")
        self.upload_folder_action = act("Upload folder…", "upload", self.choose_folder,
                                        "Upload a folder and everything in it")
        self.new_folder_action = act("New folder…", "folder-new", self.new_folder)
        self.download_action = act("Download…", "download", self.download_selected, "Download the selected objects")
        self.delete_action = act("Delete…", "delete", self.delete_selected, "Delete the selected objects (Delete)",
                                 QKeySequence.StandardKey.Delete)
        self.rename_action = act("Rename…", "rename", self.rename_selected, "Rename the selected object (F2)", "F2")
        self.copy_url_action = act("Copy URL", "copy", self.copy_url, "Copy the selected objects' URLs (Ctrl+C)",
                                   QKeySequence.StandardKey.Copy)
        self.share_action = act("Share link…", "link", self.share_selected,
                                "Create a pre-authenticated request (a link that expires) for the selected object")
        self.details_action = act("Details", "info", self.show_details, "Metadata of the selected object")
        self.refresh_action = act("Refresh", "refresh", lambda: self.reload(), "Refresh (F5)", "F5")
        for a in (self.upload_action, self.upload_folder_action, self.new_folder_action):
            tb.addAction(a)
        tb.addSeparator()
        for a in (self.download_action, self.share_action, self.copy_url_action, self.rename_action,
                  self.delete_action, self.details_action):
            tb.addAction(a)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        tb.addWidget(spacer)
        tb.addAction(self.refresh_action)
        self.toolbar = tb
        lay.addWidget(tb)

        self.banner = Banner(self)
        lay.addWidget(self.banner)

        # the list
        self.model = ObjectModel(self)
        self.proxy = FoldersFirstProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = ObjectTable()
        self.table.setObjectName("objectTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(C_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        hh = self.table.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        hh.setSectionResizeMode(C_NAME, QHeaderView.ResizeMode.Stretch)
        for c, w in ((C_SIZE, 90), (C_MODIFIED, 140), (C_TIER, 110)):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(c, w)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        self.table.filesDropped.connect(self.upload_paths)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        lay.addWidget(self.table, 1)

        self.placeholder = QLabel("")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet(f"color: {help_colour(self)}; padding: 18px;")
        lay.addWidget(self.placeholder)

        self.status = QLabel("")
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status.setStyleSheet(f"color: {help_colour(self)};")
        lay.addWidget(self.status)

        self.transfers = TransferTable(self.manager, self.name, self)
        lay.addWidget(self.transfers)

        for seq, slot in ((QKeySequence("Backspace"), self.go_up), (QKeySequence("Alt+Up"), self.go_up),
                          (QKeySequence("Alt+Left"), self.go_back)):
            QShortcut(seq, self.table, activated=slot, context=Qt.ShortcutContext.WidgetShortcut)
        self._update_actions()

    # ------------------------------------------------------------ navigation
    def navigate(self, prefix: str, remember: bool = True) -> None:
        if remember and prefix != self.prefix:
            self.history.append(self.prefix)
        self.prefix = prefix
        self.filter.clear()
        self._build_crumbs()
        self.up_button.setEnabled(bool(prefix))
        self.model.set_entries([])
        self.reload()
        self.navigated.emit(prefix)

    def go_up(self) -> None:
        if self.prefix:
            parent = posixpath.dirname(self.prefix.rstrip("/"))
            self.navigate(parent + "/" if parent else "")

    def go_back(self) -> None:
        if self.history:
            self.navigate(self.history.pop(), remember=False)

    def crumb_labels(self) -> list[str]:
        return [b.text() for b in self.crumb_buttons]

    def _build_crumbs(self) -> None:
        while self.crumbs.count():
            w = self.crumbs.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.crumb_buttons = []
        parts = [p for p in self.prefix.split("/") if p]
        targets = [("", self.name)] + [("/".join(parts[:i + 1]) + "/", p) for i, p in enumerate(parts)]
        for i, (target, label) in enumerate(targets):
            if i:
                sep = QLabel("›")
                sep.setStyleSheet(f"color: {help_colour(self)}; padding: 0 2px;")
                self.crumbs.addWidget(sep)
            b = QToolButton()
            b.setText(label)
            b.setAutoRaise(True)
            if i == 0:
                b.setIcon(icon("bucket"))
                b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            if i == len(targets) - 1:
                bf = b.font()
                bf.setBold(True)
                b.setFont(bf)
            b.setToolTip(target or "The bucket's top level")
            b.clicked.connect(lambda _=False, t=target: self.navigate(t))
            self.crumbs.addWidget(b)
            self.crumb_buttons.append(b)
        self.crumbs.addStretch(1)

    # ------------------------------------------------------------ listing
    def reload(self, quiet: bool = False) -> None:
        self.generation += 1
        if not quiet:
            self.placeholder.setText("Loading…")
            self.placeholder.setVisible(self.model.rowCount() == 0)
        self._tasks.replace("list", self._load(self.generation, self.prefix, quiet))

    async def _load(self, generation: int, prefix: str, quiet: bool) -> None:
        first = [True]
        keep = self._selected_names() if quiet else set()

        def page(p: oss.Listing) -> None:
            if generation != self.generation:
                return
            entries = [Entry(x, True) for x in p.prefixes] + [Entry(o.name, False, o) for o in p.objects]
            if first[0]:
                first[0] = False
                self.model.set_entries(entries)
            else:
                self.model.add_entries(entries)
        try:
            listing = await oss.list_objects(self.session, self.name, prefix, on_page=page)
        except OciError as e:
            if generation == self.generation:
                self.banner.show_error(f"Could not list {self.name}/{prefix}", e.summary()
                                       + (f"\nopc-request-id: {e.request_id}" if e.request_id else ""))
                self.placeholder.hide()
            return
        if generation != self.generation:
            return
        self.banner.clear()
        if first[0]:
            self.model.set_entries([])
        self._restore_selection(keep)
        n_obj, n_dir = len(listing.objects), len(listing.prefixes)
        total = sum(o.size or 0 for o in listing.objects)
        parts = []
        if n_dir:
            parts.append(f"{n_dir} folder{'s' if n_dir != 1 else ''}")
        parts.append(f"{n_obj} object{'s' if n_obj != 1 else ''} ({human_size(total)})")
        self.status.setText(", ".join(parts) + f" in {self.name}/{prefix}")
        empty = n_obj + n_dir == 0
        self.placeholder.setText("This folder is empty. Drop files or folders here, or use Upload."
                                 if prefix else "This bucket is empty. Drop files or folders here, or use Upload.")
        self.placeholder.setVisible(empty)
        self._update_actions()
        self.loaded.emit(n_obj + n_dir)

    def _selected_names(self) -> set[str]:
        return {e.name for e in self.selected_entries()}

    def _restore_selection(self, names: set[str]) -> None:
        if not names:
            return
        sm = self.table.selectionModel()
        for r in range(self.proxy.rowCount()):
            idx = self.proxy.index(r, 0)
            if idx.data(ENTRY_ROLE).name in names:
                sm.select(idx, sm.SelectionFlag.Select | sm.SelectionFlag.Rows)

    def rows(self) -> list[str]:
        """The labels shown, in order (folders end with '/')."""
        return [self.proxy.index(r, 0).data() for r in range(self.proxy.rowCount())]

    def _transfer_finished(self, item) -> None:
        if item.bucket == self.name and item.direction == "upload" and item.name.startswith(self.prefix):
            self._reload_timer.start()

    # ------------------------------------------------------------ selection
    def selected_entries(self) -> list[Entry]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.proxy.index(r, 0).data(ENTRY_ROLE) for r in rows]

    def select(self, *labels: str, add: bool = False) -> None:
        """Select rows by their label (tests and keyboard helpers)."""
        sm = self.table.selectionModel()
        if not add:
            sm.clearSelection()
        for r in range(self.proxy.rowCount()):
            idx = self.proxy.index(r, 0)
            if idx.data() in labels:
                sm.select(idx, sm.SelectionFlag.Select | sm.SelectionFlag.Rows)
                sm.setCurrentIndex(idx, sm.SelectionFlag.NoUpdate)

    def _update_actions(self) -> None:
        sel = self.selected_entries()
        objs = [e for e in sel if not e.folder]
        ro = self.session.read_only
        for a in (self.upload_action, self.upload_folder_action, self.new_folder_action):
            a.setEnabled(not ro)
        self.download_action.setEnabled(bool(sel))
        self.delete_action.setEnabled(bool(sel) and not ro)
        self.rename_action.setEnabled(len(sel) == 1 and len(objs) == 1 and not ro)
        self.copy_url_action.setEnabled(bool(objs))
        self.share_action.setEnabled(len(sel) == 1 and len(objs) == 1 and not ro)
        self.details_action.setEnabled(len(sel) == 1 and len(objs) == 1)

    def _activated(self, index) -> None:
        e = index.data(ENTRY_ROLE)
        if e is None:
            return
        if e.folder:
            self.navigate(e.name)
        else:
            self.show_details(e)

    def _context_menu(self, pos) -> None:
        idx = self.table.indexAt(pos)
        if idx.isValid() and not self.table.selectionModel().isSelected(idx):
            self.table.selectionModel().select(idx, self.table.selectionModel().SelectionFlag.ClearAndSelect
                                               | self.table.selectionModel().SelectionFlag.Rows)
        self._update_actions()
        m = QMenu(self)
        sel = self.selected_entries()
        if len(sel) == 1 and sel[0].folder:
            m.addAction(icon("folder"), "Open").triggered.connect(lambda: self.navigate(sel[0].name))
            m.addSeparator()
        for a in (self.download_action, self.share_action, self.copy_url_action, self.rename_action,
                  self.delete_action, self.details_action):
            m.addAction(a)
        m.addSeparator()
        for a in (self.upload_action, self.upload_folder_action, self.new_folder_action, self.refresh_action):
            m.addAction(a)
        m.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        m.popup(self.table.viewport().mapToGlobal(pos))

    # ------------------------------------------------------------ dialogs (non-modal)
    def _keep(self, dlg) -> None:
        self._dialogs.append(dlg)
        dlg.finished.connect(lambda *_: self._dialogs.remove(dlg) if dlg in self._dialogs else None)

    def _file_dialog(self, title: str, mode, accept=QFileDialog.AcceptMode.AcceptOpen, start: str = "") -> QFileDialog:
        from .qt import QApplication
        dlg = QFileDialog(self, title, start or os.path.expanduser("~"))
        dlg.setFileMode(mode)
        dlg.setAcceptMode(accept)
        if mode == QFileDialog.FileMode.Directory:
            dlg.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dlg.setOption(QFileDialog.Option.DontUseNativeDialog, QApplication.platformName() == "offscreen")
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._keep(dlg)
        return dlg

    def choose_files(self) -> QFileDialog:
        dlg = self._file_dialog(f"Upload files to {self.name}/{self.prefix}", QFileDialog.FileMode.ExistingFiles)
        dlg.filesSelected.connect(self.upload_paths)
        dlg.open()
        return dlg

    def choose_folder(self) -> QFileDialog:
        dlg = self._file_dialog(f"Upload a folder to {self.name}/{self.prefix}", QFileDialog.FileMode.Directory)
        dlg.fileSelected.connect(lambda p: self.upload_paths([p]))
        dlg.open()
        return dlg

    # ------------------------------------------------------------ upload
    def upload_paths(self, paths: list[str]) -> None:
        """Upload local files and folders (their whole tree) into the current folder."""
        paths = [p for p in paths if p]
        if paths and not self.session.read_only:
            aio.spawn(self._upload(list(paths), self.prefix), name="upload-scan")

    async def _upload(self, paths: list[str], prefix: str) -> None:
        loop = asyncio.get_running_loop()
        try:
            files = await loop.run_in_executor(self.session.pool, scan_paths, paths, prefix)
        except OSError as e:
            self.banner.show_error("Cannot read the files to upload", str(e))
            return
        if not files:
            self.banner.show_error("Nothing to upload", "The chosen folders hold no files.")
            return
        for path, name, size in files:
            self.manager.upload(self.session, self.name, name, path, size)

    # ------------------------------------------------------------ download
    def download_selected(self) -> QFileDialog | None:
        sel = self.selected_entries()
        if not sel:
            return None
        if len(sel) == 1 and not sel[0].folder:
            e = sel[0]
            dlg = self._file_dialog(f"Download {e.label}", QFileDialog.FileMode.AnyFile,
                                    QFileDialog.AcceptMode.AcceptSave)
            dlg.selectFile(os.path.join(_downloads_dir(), e.label))
            dlg.fileSelected.connect(lambda p, e=e: self.download_to(e, p))
        else:
            dlg = self._file_dialog("Download to folder", QFileDialog.FileMode.Directory, start=_downloads_dir())
            dlg.fileSelected.connect(lambda d, sel=sel: self.download_into(sel, d))
        dlg.open()
        return dlg

    def download_to(self, entry: Entry, dest: str):
        return self.manager.download(self.session, self.name, entry.name, dest, entry.size or 0)

    def download_into(self, entries: list[Entry], directory: str) -> None:
        aio.spawn(self._download_into(list(entries), directory, self.prefix), name="download-plan")

    async def _download_into(self, entries: list[Entry], directory: str, prefix: str) -> None:
        try:
            objects = await self._expand(entries)
        except OciError as e:
            self.banner.show_error("Could not list the folders to download", e.summary())
            return
        plan = oss.plan_download(objects, prefix, directory)
        try:
            await asyncio.get_running_loop().run_in_executor(self.session.pool, oss.make_download_dirs, plan)
        except OSError as e:
            self.banner.show_error(f"Cannot create the folders in {directory}", str(e))
            return
        for o, dest in plan.files:
            self.manager.download(self.session, self.name, o.name, dest, o.size or 0)
        if plan.refused:
            names = ", ".join(n for n, _why in plan.refused[:3]) + (" …" if len(plan.refused) > 3 else "")
            self.banner.show_error(f"{len(plan.refused)} object{'s' if len(plan.refused) != 1 else ''} not downloaded",
                                   f"{names}: {plan.refused[0][1]}")

    async def _expand(self, entries: list[Entry], markers: bool = False) -> list:
        """The objects selected, folders replaced by everything under them."""
        return await oss.expand_folders(self.session, self.name, [e.name for e in entries if e.folder],
                                        [e.obj for e in entries if not e.folder], markers=markers)

    # ------------------------------------------------------------ delete
    def delete_selected(self) -> None:
        sel = self.selected_entries()
        if sel and not self.session.read_only:
            self._tasks.replace("delete-plan", self._confirm_delete(sel))

    async def _confirm_delete(self, entries: list[Entry]) -> None:
        try:
            objects = await self._expand(entries, markers=True)
        except OciError as e:
            self.banner.show_error("Could not list the folders to delete", e.summary())
            return
        if not objects:
            return
        kind = catalog.kind("objectstorage.object")
        action = kind.action("delete")
        dlg = ConfirmDialog(action, kind, objects, self)
        if len(objects) > 1 and any(e.folder for e in entries):
            dlg.message.setText(dlg.message.text() + f" The selected folders hold {len(objects)} objects in all.")
        dlg.confirmed.connect(lambda _opts, objs=objects: self._delete(objs))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._keep(dlg)
        dlg.open()
        self.confirm_dialog = dlg

    def _delete(self, objects: list) -> None:
        names = [o.name for o in objects]
        what = names[0] if len(names) == 1 else f"{len(names)} objects"
        op = self.window_.oplog.start(f"Delete {what} from {self.name}", kind="delete",
                                      resource_label=f"{self.name}/{self.prefix}")
        aio.spawn(self._delete_objects(names, op), name="delete-objects")

    async def _delete_objects(self, names: list[str], op) -> None:
        log_ = self.window_.oplog

        def progress(done: int, total: int) -> None:
            log_.running(op, detail=f"{done} of {total}", progress=100.0 * done / total)
        try:
            failed = await oss.bulk_delete(self.session, self.name, names, on_progress=progress)
        except asyncio.CancelledError:
            log_.cancel(op)
            raise
        if failed:
            log_.fail(op, failed[0][1])
        else:
            log_.succeed(op, detail=f"Deleted {len(names)} object{'s' if len(names) != 1 else ''}")
        self.reload(quiet=True)

    # ------------------------------------------------------------ rename, new folder
    def rename_selected(self) -> QDialog | None:
        sel = self.selected_entries()
        if len(sel) != 1 or sel[0].folder:
            return None
        e = sel[0]
        dlg = NameDialog(f"Rename {e.label}", "New name:", e.name, self,
                         help_text="The full object name; '/' makes folders. An object with the new name is replaced.",
                         select=(len(self.prefix),
                                 len(e.name) - len(self.prefix) - len(posixpath.splitext(e.label)[1])))
        dlg.accepted_name.connect(lambda new, old=e.name: self._rename(old, new))
        self._keep(dlg)
        dlg.open()
        self.rename_dialog = dlg
        return dlg

    def _rename(self, old: str, new: str) -> None:
        if new and new != old:
            op = self.window_.oplog.start(f"Rename {old} to {new} in {self.name}", kind="action",
                                          resource_label=f"{self.name}/{old}")
            aio.spawn(self._do_rename(old, new, op), name="rename")

    async def _do_rename(self, old: str, new: str, op) -> None:
        log_ = self.window_.oplog
        try:
            log_.running(op, detail="Requesting")
            await oss.rename_object(self.session, self.name, old, new)
            log_.succeed(op, detail="Renamed")
        except OciError as e:
            log_.fail(op, e)
            self.banner.show_error(f"Could not rename {old}", e.summary())
        self.reload(quiet=True)

    def new_folder(self) -> QDialog:
        dlg = NameDialog("New folder", "Folder name:", "", self,
                         help_text=f"Created in {self.name}/{self.prefix} (as an empty object named '<name>/')")
        dlg.accepted_name.connect(self._make_folder)
        self._keep(dlg)
        dlg.open()
        return dlg

    def _make_folder(self, name: str) -> None:
        name = name.strip().strip("/")
        if name:
            aio.spawn(self._do_make_folder(self.prefix + name + "/"), name="new-folder")

    async def _do_make_folder(self, full: str) -> None:
        try:
            await oss.put_empty(self.session, self.name, full)
        except OciError as e:
            self.banner.show_error(f"Could not create the folder {full}", e.summary())
            return
        self.reload(quiet=True)

    # ------------------------------------------------------------ URL, share, details
    def copy_url(self) -> str:
        objs = [e for e in self.selected_entries() if not e.folder]
        if not objs:
            return ""
        ns = self.bucket.namespace
        text = "\n".join(self.session.connection.object_url(ns, self.name, e.name) for e in objs)
        QGuiApplication.clipboard().setText(text)
        self.status.setText(f"Copied the URL{'s' if len(objs) > 1 else ''} of {len(objs)} object"
                            f"{'s' if len(objs) > 1 else ''}")
        return text

    def share_selected(self) -> ParDialog | None:
        sel = self.selected_entries()
        if len(sel) != 1 or sel[0].folder:
            return None
        dlg = ParDialog(self.session, self.bucket, sel[0].name, self.window_.oplog, self)
        self._keep(dlg)
        dlg.open()
        self.par_dialog = dlg
        return dlg

    def show_details(self, entry: Entry | None = None) -> ObjectDetailsDialog | None:
        if entry is None:
            sel = [e for e in self.selected_entries() if not e.folder]
            if len(sel) != 1:
                return None
            entry = sel[0]
        dlg = ObjectDetailsDialog(self.session, self.bucket, entry, self)
        self._keep(dlg)
        dlg.show()
        self.details_dialog = dlg
        return dlg

    # ------------------------------------------------------------ lifetime
    def close_browser(self) -> None:
        self.window_.show_list()

    def shutdown(self) -> None:
        """The window replaces this view: stop listings (transfers are the window's and keep going)."""
        self.generation += 1
        self._tasks.cancel_all()
        self._reload_timer.stop()
        try:
            self.manager.finished.disconnect(self._transfer_finished)
        except (RuntimeError, TypeError):
            pass
        for d in list(self._dialogs):
            d.close()


def _downloads_dir() -> str:
    from .qt import QStandardPaths
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation) or \
        os.path.expanduser("~")


# ---------------------------------------------------------------- small dialogs

class NameDialog(QDialog):
    """Ask for a name (rename, new folder); `accepted_name(str)` when OK. Show it with open()."""

    accepted_name = Signal(str)

    def __init__(self, title: str, prompt: str, value: str, parent=None, help_text: str = "",
                 select: tuple[int, int] | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.original = value
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(prompt))
        self.edit = QLineEdit(value)
        self.edit.setObjectName("nameEdit")
        self.edit.setMinimumWidth(420)
        lay.addWidget(self.edit)
        if help_text:
            lay.addWidget(help_label(help_text, self))
        self.error = QLabel("")
        self.error.setStyleSheet(f"color: {theme.colour('error')};")
        self.error.hide()
        lay.addWidget(self.error)
        bar = QHBoxLayout()
        bar.addStretch(1)
        self.cancel_button = QPushButton("Cancel")
        self.ok_button = QPushButton("OK")
        self.ok_button.setDefault(True)
        self.cancel_button.clicked.connect(self.reject)
        self.ok_button.clicked.connect(self.accept)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.ok_button)
        lay.addLayout(bar)
        self.edit.textChanged.connect(self._check)
        if select is not None:
            self.edit.setSelection(max(0, select[0]), max(0, select[1]))
        self._check()

    def problem(self) -> str | None:
        t = self.edit.text()
        if not t.strip():
            return "A name is required"
        if t == self.original:
            return "" if self.original else "A name is required"
        if len(t.encode()) > 1024:
            return "At most 1024 bytes"
        if "//" in t or t.startswith("/"):
            return "No empty folder names ('//' or a leading '/')"
        return None

    def _check(self) -> None:
        p = self.problem()
        self.ok_button.setEnabled(p is None)
        self.error.setText(p or "")
        self.error.setVisible(bool(p))

    def accept(self) -> None:
        if self.problem() is not None:
            return
        super().accept()
        self.accepted_name.emit(self.edit.text())


class ObjectDetailsDialog(QDialog):
    """The metadata of one object (head_object), non-modal, with Copy."""

    loaded = Signal()

    def __init__(self, session, bucket, entry: Entry, parent=None):
        super().__init__(parent)
        self.session, self.bucket, self.entry = session, bucket, entry
        self.setWindowTitle(f"Object — {entry.label}")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(620, 420)
        lay = QVBoxLayout(self)
        head = QHBoxLayout()
        ic = QLabel()
        ic.setPixmap(icon("file").pixmap(24, 24))
        head.addWidget(ic)
        name = QLabel(entry.name)
        f = name.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.15)
        name.setFont(f)
        name.setWordWrap(True)
        name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head.addWidget(name, 1)
        lay.addLayout(head)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Property", "Value"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.tree, 1)
        bar = QHBoxLayout()
        bar.addStretch(1)
        copy = QPushButton(icon("copy"), "Copy")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.text()))
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        bar.addWidget(copy)
        bar.addWidget(close)
        lay.addLayout(bar)
        self.values: dict[str, str] = {}
        self._add("Loading…", "")
        self._task = aio.spawn(self._load(), name="head-object")
        self.destroyed.connect(lambda *_, t=self._task: t.cancel())

    def _add(self, k: str, v: str) -> None:
        it = QTreeWidgetItem([k, v])
        if v.startswith(("http", "ocid1.")) or k in ("ETag", "MD5"):
            it.setFont(1, monospace_font())
        self.tree.addTopLevelItem(it)
        self.values[k] = v

    async def _load(self) -> None:
        try:
            h = await oss.head_object(self.session, self.bucket.name, self.entry.name)
        except OciError as e:
            self.tree.clear()
            self._add("Error", e.summary())
            return
        self.tree.clear()
        self.values = {}
        size = int(h.get("content-length") or 0)
        md5 = h.get("content-md5") or h.get("opc-content-md5")
        multipart = h.get("opc-multipart-md5")
        rows = [("Name", self.entry.name), ("Size", f"{human_size(size)} ({size:,} bytes)"),
                ("Content type", h.get("content-type", "")), ("Last modified", h.get("last-modified", "")),
                ("ETag", h.get("etag", "")),
                ("MD5", f"{multipart} (multipart: MD5 of the parts' MD5s)" if multipart else (md5 or "")),
                ("Storage tier", h.get("storage-tier", "")), ("Archival state", h.get("archival-state", "")),
                ("Version", h.get("version-id", "")),
                ("URL", self.session.connection.object_url(self.bucket.namespace, self.bucket.name, self.entry.name))]
        for k in ("content-encoding", "content-language", "content-disposition", "cache-control"):
            if h.get(k):
                rows.append((k.replace("-", " ").capitalize(), h[k]))
        rows += [(f"Metadata {k[len('opc-meta-'):]}", v) for k, v in sorted(h.items()) if k.startswith("opc-meta-")]
        for k, v in rows:
            if v:
                self._add(k, str(v))
        self.loaded.emit()

    def text(self) -> str:
        return "\n".join(f"{k}: {v}" for k, v in self.values.items())


# ---------------------------------------------------------------- pre-authenticated requests

ACCESS = [("ObjectRead", "Read — anyone with the link can download the object"),
          ("ObjectWrite", "Write — anyone with the link can upload (replace) the object"),
          ("ObjectReadWrite", "Read and write")]
PRESETS = [("1 hour", 3600), ("1 day", 86400), ("7 days", 7 * 86400), ("30 days", 30 * 86400)]


class ParDialog(QDialog):
    """Create a pre-authenticated request for one object: access, expiry (presets or a date), the
    equivalent CLI; then its full URL, copied to the clipboard (OCI shows it only once)."""

    created = Signal(str)  # the full URL

    def __init__(self, session, bucket, object_name: str, oplog, parent=None):
        super().__init__(parent)
        self.session, self.bucket, self.object_name, self.oplog = session, bucket, object_name, oplog
        self.url = ""
        self.par = None
        self._task = None
        self.setWindowTitle("Share link (pre-authenticated request)")
        self.setModal(True)
        self.resize(640, 480)
        lay = QVBoxLayout(self)
        title = QLabel(f"Share <b>{_esc(posixpath.basename(object_name))}</b> with a link")
        tf = title.font()
        tf.setPointSizeF(tf.pointSizeF() * 1.2)
        title.setFont(tf)
        lay.addWidget(title)
        self.banner = Banner(self)
        lay.addWidget(self.banner)
        self.pages = QStackedWidget()
        lay.addWidget(self.pages, 1)

        # page 1: the request
        form_page = QWidget()
        fl = QVBoxLayout(form_page)
        fl.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.name_edit = QLineEdit(f"par-{posixpath.basename(object_name)}-"
                                   f"{_dt.datetime.now():%Y%m%d-%H%M}"[:200])
        form.addRow("Name:", self.name_edit)
        target = QLabel(f"{bucket.name}/{object_name}")
        target.setFont(monospace_font())
        target.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Object:", target)
        access_box = QVBoxLayout()
        self.access_group = QButtonGroup(self)
        self.access_buttons: dict[str, QRadioButton] = {}
        for i, (value, label) in enumerate(ACCESS):
            rb = QRadioButton(label)
            rb.setChecked(i == 0)
            self.access_group.addButton(rb)
            self.access_buttons[value] = rb
            access_box.addWidget(rb)
            rb.toggled.connect(lambda *_: self._update())
        form.addRow("Access:", access_box)
        exp = QHBoxLayout()
        self.expires = QDateTimeEdit(QDateTime.currentDateTime().addSecs(7 * 86400))
        self.expires.setCalendarPopup(True)
        self.expires.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        self.expires.setMinimumDateTime(QDateTime.currentDateTime())
        self.expires.dateTimeChanged.connect(lambda *_: self._update())
        exp.addWidget(self.expires)
        for label, secs in PRESETS:
            b = QPushButton(label)
            b.setAutoDefault(False)
            b.clicked.connect(lambda _=False, s=secs: self.expires.setDateTime(QDateTime.currentDateTime().addSecs(s)))
            exp.addWidget(b)
        exp.addStretch(1)
        form.addRow("Expires:", exp)
        self.expiry_hint = help_label("", self)
        form.addRow("", self.expiry_hint)
        fl.addLayout(form)
        self.code_tabs = QTabWidget()
        self.cli_view = CodeView()
        self.cli_view.setNote("The same request with the oci CLI")
        self.python_view = CodeView()
        self.code_tabs.addTab(self.cli_view, "oci CLI")
        self.code_tabs.addTab(self.python_view, "Python SDK")
        fl.addWidget(self.code_tabs, 1)
        self.pages.addWidget(form_page)

        # page 2: the URL
        done = QWidget()
        dl = QVBoxLayout(done)
        dl.setContentsMargins(0, 0, 0, 0)
        self.done_label = QLabel("")
        self.done_label.setWordWrap(True)
        dl.addWidget(self.done_label)
        warn = Banner(done)
        warn.show_warning("Copy the link now", "OCI shows a pre-authenticated request's URL only once. Anyone with "
                          "it can use it until it expires or is deleted — treat it like a password.")
        dl.addWidget(warn)
        row = QHBoxLayout()
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("parUrl")
        self.url_edit.setReadOnly(True)
        self.url_edit.setFont(monospace_font())
        row.addWidget(self.url_edit, 1)
        self.copy_button = QPushButton(icon("copy"), "Copy")
        self.copy_button.clicked.connect(self.copy)
        row.addWidget(self.copy_button)
        dl.addLayout(row)
        self.done_facts = QFormLayout()
        self.done_facts.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        dl.addLayout(self.done_facts)
        dl.addStretch(1)
        self.pages.addWidget(done)

        bar = QHBoxLayout()
        bar.addStretch(1)
        self.cancel_button = QPushButton("Cancel")
        self.create_button = QPushButton(icon("link"), "Create link")
        self.create_button.setDefault(True)
        self.close_button = QPushButton("Close")
        self.close_button.hide()
        self.cancel_button.clicked.connect(self.reject)
        self.create_button.clicked.connect(self.submit)
        self.close_button.clicked.connect(self.accept)
        for b in (self.cancel_button, self.create_button, self.close_button):
            bar.addWidget(b)
        lay.addLayout(bar)
        self.name_edit.textChanged.connect(lambda *_: self._update())
        self._update()

    def access_type(self) -> str:
        return next(v for v, b in self.access_buttons.items() if b.isChecked())

    def expiry(self) -> _dt.datetime:
        return self.expires.dateTime().toPython().astimezone(_dt.UTC)

    def _details(self):
        return oss.models.CreatePreauthenticatedRequestDetails(
            name=self.name_edit.text().strip(), access_type=self.access_type(), object_name=self.object_name,
            time_expires=self.expiry())

    def _update(self) -> None:
        exp = self.expiry()
        left = exp - _dt.datetime.now(_dt.UTC)
        secs = left.total_seconds()
        ok = bool(self.name_edit.text().strip()) and secs > 0
        if secs <= 0:
            self.expiry_hint.setText("The expiry must be in the future")
        else:
            days, rem = divmod(int(secs), 86400)
            self.expiry_hint.setText(f"Valid for {days} day{'s' if days != 1 else ''} {rem // 3600} h"
                                     if days else f"Valid for {rem // 3600} h {rem % 3600 // 60} min"
                                     if rem >= 3600 else f"Valid for {max(1, rem // 60)} min")
        self.create_button.setEnabled(ok and self._task is None)
        d = self._details()
        req = forms.Request("object_storage", "create_preauthenticated_request", d,
                            args=(self.bucket.namespace, self.bucket.name), retry_token=False)
        self.cli_view.setText(forms.cli_command("os preauth-request create", [
            ("--namespace", self.bucket.namespace), ("--bucket-name", self.bucket.name), ("--name", d.name),
            ("--access-type", d.access_type), ("--object-name", d.object_name),
            ("--time-expires", exp.strftime("%Y-%m-%dT%H:%M:%SZ"))]))
        self.python_view.setText(forms.python_code(req))

    def submit(self) -> None:
        if self._task is not None or not self.create_button.isEnabled():
            return
        self.create_button.setEnabled(False)
        self.banner.clear()
        self._task = aio.spawn(self._create(), name="create-par")

    async def _create(self) -> None:
        d = self._details()
        op = self.oplog.start(f"Create link to {self.object_name} in {self.bucket.name}", kind="create",
                              resource_label=f"{self.bucket.name}/{self.object_name}")
        try:
            self.oplog.running(op, detail="Submitting")
            par, url = await oss.create_par(self.session, self.bucket.name, d.name, d.access_type, d.time_expires,
                                            object_name=self.object_name)
        except OciError as e:
            self.oplog.fail(op, e)
            self._task = None
            self.banner.show_error(f"Link not created — {e.code or 'Error'}", e.message
                                   + (f"\nopc-request-id: {e.request_id}" if e.request_id else ""))
            self._update()
            return
        self.oplog.succeed(op, detail=f"Expires {par.time_expires:%Y-%m-%d %H:%M} UTC")
        self.par, self.url = par, url
        self.url_edit.setText(url)
        self.url_edit.setCursorPosition(0)
        for k, v in (("Name", par.name), ("Object", f"{self.bucket.name}/{self.object_name}"),
                     ("Access", d.access_type), ("Request id", par.id)):
            lab = QLabel(f"{k}:")
            lab.setStyleSheet(f"color: {help_colour(self)};")
            val = QLabel(str(v))
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.done_facts.addRow(lab, val)
        self.resize(self.width(), self.minimumSizeHint().height() + 40)
        local = par.time_expires.astimezone() if par.time_expires else None
        self.done_label.setText(f"<b>Link created.</b> {dict(ACCESS)[d.access_type].split(' —')[0]} access to "
                                f"<b>{_esc(self.object_name)}</b> until "
                                f"{local:%Y-%m-%d %H:%M:%S %Z}. It has been copied to the clipboard."
                                if local else "<b>Link created.</b>")
        self.copy()
        self.pages.setCurrentIndex(1)
        self.cancel_button.hide()
        self.create_button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)
        self.created.emit(url)

    def copy(self) -> None:
        if self.url:
            QGuiApplication.clipboard().setText(self.url)
            self.copy_button.setText("Copied")
            QTimer.singleShot(1500, self.copy_button, lambda: self.copy_button.setText("Copy"))

    def reject(self) -> None:
        if self._task is not None and self.par is None:
            return  # the answer is on its way
        super().reject()


def _esc(s: str) -> str:
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_ = (QFont, QFrame)
