"""The detail pane: every field of the selected resource, its tags, and related resources
as links (following a link shows that resource here, with Back)."""

from __future__ import annotations

import logging

from .. import catalog
from ..catalog import details
from ..catalog.model import ResourceKind
from ..core.errors import OciError
from ..i18n import t as ct
from . import aio, theme
from .icons import icon, state_colour
from .qt import (
    QColor,
    QFont,
    QGuiApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    Qt,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .resource_view import ElidedLabel
from .widgets import monospace_font

log = logging.getLogger(__name__)
LINK_ROLE = Qt.ItemDataRole.UserRole + 20
BROWSE_LABELS = {"logs": "Open in Log Explorer"}  # a link's kind's browser view -> its menu entry
RAW_ROLE = Qt.ItemDataRole.UserRole + 21  # the value itself (an OCID shown by its name)
LABEL_SHARE = 0.5  # the label column of the detail tabs takes at most this share of the pane's width


class DetailPane(QWidget):
    actionRequested = Signal(object, object, list)  # kind, action, [resource]
    browseRequested = Signal(object, object)  # kind, resource: open it in its kind's view (a log: Log Explorer)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.session = None
        self.kind: ResourceKind | None = None
        self.resource = None
        self._history: list[tuple[ResourceKind, object]] = []
        self._tasks = aio.TaskGroup()
        tasks = self._tasks
        self.destroyed.connect(lambda *_: tasks.cancel_all())  # nothing left to touch the deleted pane
        self.generation = 0
        self.name_of = lambda ocid: None  # OCID -> known name (compartments), set by the window

        self.back = QToolButton()
        self.back.setIcon(icon("back"))
        self.back.setToolTip(self.tr("Back"))
        self.back.clicked.connect(self.go_back)
        self.back.hide()
        self.kind_icon = QLabel()
        self.name = QLabel(self.tr("Nothing selected"))
        f = self.name.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.name.setFont(f)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # what the pane shows must never widen it (the splitter would move on every selection): a long
        # name wraps (or is cut, when it has no place to break), the OCID line is elided (full text: tooltip)
        self.name.setWordWrap(True)
        self.name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.state = QLabel("")
        self.subtitle = ElidedLabel("")
        self.where = ""  # "profile · region" when the tree holds several connections (main_window)
        self.subtitle.setStyleSheet("color: palette(mid);")
        self.copy_ocid = QPushButton(icon("copy"), self.tr("Copy OCID"))
        self.copy_ocid.clicked.connect(self.copy_current_ocid)
        self.copy_ocid.setEnabled(False)
        self.actions_button = QPushButton(self.tr("Actions"))
        self.actions_button.setEnabled(False)
        self.actions_menu = QMenu(self)
        self.actions_button.setMenu(self.actions_menu)

        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addWidget(self.kind_icon)
        top.addWidget(self.name, 1)
        top.addWidget(self.state)
        buttons = QHBoxLayout()
        buttons.addWidget(self.subtitle, 1)
        buttons.addWidget(self.actions_button)
        buttons.addWidget(self.copy_ocid)

        self.tabs = QTabWidget()
        self.fields = self._tree([self.tr("Field"), self.tr("Value")])
        self.tags = self._tree([self.tr("Tag"), self.tr("Value")])
        self.related = self._tree([self.tr("Related"), self.tr("Value")])
        theme.follow(self, self._restyle_links)
        self.related.itemActivated.connect(self._follow)
        self.related.itemClicked.connect(self._follow)
        self.fields.itemActivated.connect(self._follow)  # a linked OCID (Enter / double-click)
        self.fields.setRootIsDecorated(True)
        self.tabs.addTab(self.fields, self.tr("Details"))
        self.tabs.addTab(self.tags, self.tr("Tags"))
        self.tabs.addTab(self.related, self.tr("Related"))
        self.json_view = QPlainTextEdit()  # the resource as OCI returns it, for the curious
        self.json_view.setObjectName("rawJson")
        self.json_view.setReadOnly(True)
        self.json_view.setFont(monospace_font())
        self.json_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.tabs.addTab(self.json_view, "JSON")
        self.metrics_panel = None  # created the first time a Metrics tab is looked at (pyqtgraph loads then)
        self._metrics_holder = QWidget()
        QVBoxLayout(self._metrics_holder).setContentsMargins(0, 0, 0, 0)
        self.tabs.currentChanged.connect(lambda _i: self._maybe_metrics())
        self.logs_panel = None  # the Log Explorer of a resource with service logs (catalog.logging.LOG_SOURCES)
        self._logs_holder = QWidget()
        QVBoxLayout(self._logs_holder).setContentsMargins(0, 0, 0, 0)
        self.tabs.currentChanged.connect(lambda _i: self._maybe_logs())
        self._related_waiting: list = []  # (section row, Related) not asked for until the tab is looked at
        self.tabs.currentChanged.connect(lambda _i: self._maybe_related())

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 0)
        lay.addLayout(top)
        lay.addLayout(buttons)
        lay.addWidget(self.tabs, 1)

    def _tree(self, headers: list[str]) -> QTreeWidget:
        t = QTreeWidget()
        t.setHeaderLabels(headers)
        t.setRootIsDecorated(False)
        t.setAlternatingRowColors(True)
        t.setUniformRowHeights(True)
        t.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)  # sized by _fit_label_columns
        t.header().setStretchLastSection(True)
        t.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        t.customContextMenuRequested.connect(lambda pos, tree=t: self._copy_menu(tree, pos))
        return t

    def _copy_menu(self, tree: QTreeWidget, pos) -> None:
        item = tree.itemAt(pos)
        if item is None:
            return
        m = QMenu(self)
        raw = item.data(1, RAW_ROLE) or item.text(1)  # an OCID shown by name copies the OCID
        m.addAction(self.tr("Copy value")).triggered.connect(lambda: QGuiApplication.clipboard().setText(raw))
        if item.data(0, LINK_ROLE):
            ocid = item.data(0, LINK_ROLE)
            m.addAction(self.tr("Open")).triggered.connect(lambda: self.navigate(ocid))
            linked = catalog.for_ocid(ocid)
            if linked is not None and linked.browser:
                m.addAction(BROWSE_LABELS.get(linked.browser, "Open in its view")).triggered.connect(
                    lambda: self.browse(ocid))
        m.popup(tree.viewport().mapToGlobal(pos))

    # ------------------------------------------------------------ showing
    def clear(self) -> None:
        self.generation += 1
        self._tasks.cancel_all()
        if self.metrics_panel is not None:
            self.metrics_panel.stop()
        self.kind = self.resource = None
        self._history.clear()
        self.back.hide()
        self.name.setText(self.tr("Nothing selected"))
        self.name.setToolTip("")
        self.kind_icon.clear()
        self.state.setText("")
        self.subtitle.setText("")
        self.copy_ocid.setEnabled(False)
        self.actions_button.setEnabled(False)
        self._related_waiting = []
        for t in (self.fields, self.tags, self.related):
            t.clear()

    def show_resource(self, session, kind: ResourceKind, resource, keep_history: bool = False,
                      reload_related: bool = False) -> None:
        # the same resource in the same state keeps its Related tab (a state change reloads it: a job moved on)
        same = self.resource is not None and getattr(self.resource, "id", None) == getattr(resource, "id", None) \
            and not reload_related and kind.state(self.resource) == kind.state(resource)
        if not keep_history and not same:
            self._history.clear()
        self.session = session
        self.kind = kind
        self.resource = resource
        if not same:  # Related loads under way for this same resource stay wanted
            self.generation += 1
        self.back.setVisible(bool(self._history))
        self.kind_icon.setPixmap(icon(kind.icon).pixmap(20, 20))
        self.name.setText(kind.name(resource))
        self.name.setToolTip(kind.name(resource))
        st = kind.state(resource)
        if st:
            c = state_colour(st).name()
            self.state.setText(st)
            self.state.setStyleSheet(f"color: white; background: {c}; border-radius: 3px; padding: 1px 6px;"
                                     "font-weight: bold;")
        else:
            self.state.setText("")
            self.state.setStyleSheet("")
        self.subtitle.setText(f"{ct(kind.singular)} · {getattr(resource, 'id', '')}"
                              + (f" — {self.where}" if self.where else ""))
        self.copy_ocid.setEnabled(bool(getattr(resource, "id", None)))
        self._fill_actions()
        self._fill_fields(resource)
        self._fill_tags(resource)
        if not same:
            self._load_related()
        self._fit_label_columns()
        self._update_metrics_tab()
        self._update_logs_tab()

    def _fit_label_columns(self) -> None:
        """Each tab's label column as wide as its labels, but at most LABEL_SHARE of the pane: the values keep
        room in a narrow pane (a long label is elided; its tooltip has it). Only the rows in view are measured."""
        for t in (self.fields, self.tags, self.related):
            cap = max(110, int(t.viewport().width() * LABEL_SHARE))
            t.setColumnWidth(0, min(t.sizeHintForColumn(0), cap))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_label_columns()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._maybe_related()

    # ------------------------------------------------------------ metrics
    def _update_metrics_tab(self) -> None:
        has = self.kind is not None and self.kind.metrics is not None
        idx = self.tabs.indexOf(self._metrics_holder)
        if has and idx < 0:
            self.tabs.insertTab(self.tabs.indexOf(self.json_view), self._metrics_holder, self.tr("Metrics"))
        elif not has and idx >= 0:
            if self.metrics_panel is not None:
                self.metrics_panel.stop()
            self.tabs.removeTab(idx)
        self._maybe_metrics()

    def _maybe_metrics(self) -> None:
        if self.tabs.currentWidget() is not self._metrics_holder or self.kind is None or self.kind.metrics is None:
            return
        if self.metrics_panel is None:
            from .metrics_view import MetricsPanel
            self.metrics_panel = MetricsPanel(self._metrics_holder)
            self._metrics_holder.layout().addWidget(self.metrics_panel)
        self.metrics_panel.show_resource(self.session, self.kind, self.resource)

    # ------------------------------------------------------------ logs
    def _update_logs_tab(self) -> None:
        from ..catalog.index import LOGGED_KINDS  # not catalog.logging: it imports 4 kind modules
        has = self.kind is not None and self.kind.id in LOGGED_KINDS
        idx = self.tabs.indexOf(self._logs_holder)
        if has and idx < 0:
            self.tabs.addTab(self._logs_holder, self.tr("Logs"))
        elif not has and idx >= 0:
            if self.logs_panel is not None:
                self.logs_panel.shutdown()
            self.tabs.removeTab(idx)
        self._logs_shown_for = None
        self._maybe_logs()

    def _maybe_logs(self) -> None:
        if self.tabs.currentWidget() is not self._logs_holder or self.kind is None or self.resource is None:
            return
        if getattr(self, "_logs_shown_for", None) == getattr(self.resource, "id", None):
            return
        if self.logs_panel is None:
            from .log_explorer import LogExplorer
            self.logs_panel = LogExplorer(self.session, compact=True, parent=self._logs_holder)
            self._logs_holder.layout().addWidget(self.logs_panel)
        self._logs_shown_for = getattr(self.resource, "id", None)
        self.logs_panel.show_resource(self.session, self.kind, self.resource)

    def show_logs(self) -> None:
        """Switch to the Logs tab (when the kind has service logs)."""
        idx = self.tabs.indexOf(self._logs_holder)
        if idx >= 0:
            self.tabs.setCurrentIndex(idx)

    def show_metrics(self) -> None:
        """Switch to the Metrics tab (when the kind has one)."""
        idx = self.tabs.indexOf(self._metrics_holder)
        if idx >= 0:
            self.tabs.setCurrentIndex(idx)

    def _fill_actions(self) -> None:
        self.actions_menu.clear()
        kind, res = self.kind, self.resource
        if kind is None or not kind.actions:
            self.actions_button.setEnabled(False)
            return
        ro = self.session is not None and self.session.read_only
        offline = getattr(self, "offline", False)
        for a in kind.actions:
            act = self.actions_menu.addAction(icon(a.icon), ct(a.label) + ("…" if a.confirm else ""))
            act.setEnabled(a.allowed_for(res) and not offline and not (ro and a.mutates))
            act.triggered.connect(lambda _=False, a=a: self.actionRequested.emit(kind, a, [res]))
        self.actions_button.setEnabled(True)

    def _fill_fields(self, resource) -> None:
        """The sections of catalog.details (General, Shape, Networking…): names for OCIDs (linked; the OCID on
        hover and in the copy), units formatted; the raw answer in the JSON tab."""
        self.fields.clear()
        mono = monospace_font()
        bold = QFont(self.fields.font())
        bold.setBold(True)
        for title, rows in details.sections(resource, self.name_of):
            section = QTreeWidgetItem([ct(title), ""])
            section.setFirstColumnSpanned(True)
            section.setFont(0, bold)
            self.fields.addTopLevelItem(section)
            for row in rows:
                item = QTreeWidgetItem([row.label, row.text])
                item.setToolTip(0, row.label)
                item.setToolTip(1, row.value)
                item.setData(1, RAW_ROLE, row.value)
                if row.ocid:
                    item.setData(0, LINK_ROLE, row.ocid)
                    f = QFont(item.font(1))
                    f.setUnderline(True)
                    item.setFont(1, f)
                    item.setForeground(1, self.palette().link())
                elif row.value.startswith("ocid1."):
                    item.setFont(1, mono)
                section.addChild(item)
            section.setExpanded(True)
        self.json_view.setPlainText(details.raw_json(resource))
        links = [it.data(0, LINK_ROLE) for it in self._field_items()
                 if it.data(0, LINK_ROLE) and it.text(1) == it.data(0, LINK_ROLE)]
        if links and self.session is not None:  # linked OCIDs get their names as they are read
            self._tasks.replace("names", self._name_links(self.generation, links))

    def _field_items(self) -> list[QTreeWidgetItem]:
        return [self.fields.topLevelItem(i).child(j) for i in range(self.fields.topLevelItemCount())
                for j in range(self.fields.topLevelItem(i).childCount())]

    async def _name_links(self, generation: int, ocids: list[str]) -> None:
        names = await details.resolve_names(self.session, ocids)
        if generation != self.generation or not names:
            return
        # the rows as they are now (QTreeWidgetItems are not QObjects: never keep them across an await)
        for it in self._field_items():
            ocid = it.data(0, LINK_ROLE)
            if ocid in names and it.text(1) == ocid:
                it.setText(1, names[ocid])

    def field_values(self) -> dict[str, str]:
        """label -> shown text of every row of the Details tab (all sections)."""
        out = {}
        for i in range(self.fields.topLevelItemCount()):
            sec = self.fields.topLevelItem(i)
            for j in range(sec.childCount()):
                out[sec.child(j).text(0)] = sec.child(j).text(1)
        return out

    def _fill_tags(self, resource) -> None:
        self.tags.clear()
        for k, v in sorted((getattr(resource, "freeform_tags", None) or {}).items()):
            self.tags.addTopLevelItem(QTreeWidgetItem([k, str(v)]))
        for ns, kv in sorted((getattr(resource, "defined_tags", None) or {}).items()):
            for k, v in sorted(kv.items()):
                self.tags.addTopLevelItem(QTreeWidgetItem([f"{ns}.{k}", str(v)]))
        if self.tags.topLevelItemCount() == 0:
            item = QTreeWidgetItem([self.tr("(no tags)"), ""])
            item.setForeground(0, QColor(theme.help_colour(self.palette())))
            self.tags.addTopLevelItem(item)

    def _load_related(self) -> None:
        self.related.clear()
        self._related_waiting = []
        self.related.setRootIsDecorated(True)
        kind = self.kind
        if kind is None or not kind.related:
            item = QTreeWidgetItem([self.tr("(nothing related)"), ""])
            item.setForeground(0, QColor(theme.help_colour(self.palette())))
            self.related.addTopLevelItem(item)
            return
        shown = self.related_shown()
        for i, rel in enumerate(kind.related):
            waits = rel.when_shown and not shown
            section = QTreeWidgetItem([ct(rel.label), "" if waits else self.tr("loading…")])
            f = section.font(0)
            f.setBold(True)
            section.setFont(0, f)
            self.related.addTopLevelItem(section)
            section.setExpanded(True)
            if waits:  # a costly read (a compartment's cost, its audit trail): once the tab is looked at
                self._related_waiting.append((i, rel))
            else:
                self._tasks.replace(f"related:{rel.label}",
                                    self._fill_related(self.generation, rel, section, self.resource))

    def related_shown(self) -> bool:
        """Whether the Related tab is in view."""
        return self.tabs.currentWidget() is self.related and self.isVisible()

    def _maybe_related(self) -> None:
        """The Related tab came into view: its sections that wait for that (`Related.when_shown`) load now."""
        if not self._related_waiting or not self.related_shown():
            return
        waiting, self._related_waiting = self._related_waiting, []
        for i, rel in waiting:
            section = self.related.topLevelItem(i)
            if section is None:
                continue
            section.setText(1, self.tr("loading…"))
            self._tasks.replace(f"related:{rel.label}",
                                self._fill_related(self.generation, rel, section, self.resource))

    async def _fill_related(self, generation: int, rel, section: QTreeWidgetItem, resource) -> None:
        try:
            items = await rel.fetch(self.session, resource)
        except OciError as e:
            if generation == self.generation:
                section.setText(1, self.tr("could not load: {error}").format(error=e.summary()))
                section.setForeground(1, theme.qcolour("error", self.palette()))
            return
        if generation != self.generation:
            return
        section.setText(1, "" if items else self.tr("none"))
        for it in items:
            child = QTreeWidgetItem([it.label, it.value])
            child.setToolTip(1, it.ocid or it.value)
            if it.ocid:
                child.setData(0, LINK_ROLE, it.ocid)
                f = child.font(1)
                f.setUnderline(True)
                child.setFont(1, f)
                child.setForeground(1, self.palette().link())
            section.addChild(child)
        section.setExpanded(True)
        self._fit_label_columns()

    # ------------------------------------------------------------ links
    def _restyle_links(self, _dark: bool = False) -> None:
        """A switch of scheme: links take the new palette's link colour (items keep the colour they were given)."""
        link = QGuiApplication.palette().link()  # the application's new palette (the pane's follows it later)
        for tree in (self.fields, self.related):
            stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
            while stack:
                item = stack.pop()
                if item.data(0, LINK_ROLE):
                    item.setForeground(1, link)
                stack += [item.child(j) for j in range(item.childCount())]

    def _follow(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        ocid = item.data(0, LINK_ROLE)
        if ocid:
            self.navigate(ocid)

    def navigate(self, ocid: str) -> None:
        kind = catalog.for_ocid(ocid)
        if kind is None or self.session is None:
            return
        self._tasks.replace("navigate", self._navigate(kind, ocid))

    async def _navigate(self, kind: ResourceKind, ocid: str) -> None:
        try:
            res = await kind.get(self.session, ocid)
        except OciError as e:
            self.subtitle.setText(self.tr("Could not open {ocid}: {error}").format(ocid=ocid, error=e.summary()))
            return
        if self.kind is not None and self.resource is not None:
            self._history.append((self.kind, self.resource))
        self.show_resource(self.session, kind, res, keep_history=True)

    def browse(self, ocid: str) -> None:
        """Open a linked resource in its kind's browser view (a job run's log in the Log Explorer)."""
        kind = catalog.for_ocid(ocid)
        if kind is None or not kind.browser or self.session is None:
            return
        self._tasks.replace("browse", self._browse(kind, ocid))

    async def _browse(self, kind: ResourceKind, ocid: str) -> None:
        try:
            res = await kind.get(self.session, ocid)
        except OciError as e:
            self.subtitle.setText(f"Could not open {ocid}: {e.summary()}")
            return
        self.browseRequested.emit(kind, res)

    def go_back(self) -> None:
        if not self._history:
            return
        kind, res = self._history.pop()
        self.show_resource(self.session, kind, res, keep_history=True)

    def copy_current_ocid(self) -> bool:
        rid = getattr(self.resource, "id", None)
        if rid:
            QGuiApplication.clipboard().setText(rid)
        return bool(rid)
