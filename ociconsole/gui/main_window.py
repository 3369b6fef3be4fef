"""The main window: compartment tree | resource table | detail pane, the activity dock,
toolbar (profile, region, refresh, create, the selected kind's actions) and status bar.

Everything shown is generic over the catalog; every SDK call runs in the service layer.
"""

from __future__ import annotations

import logging
import time

from .. import catalog
from ..catalog.forms import FormContext, Option
from ..catalog.generic import in_sentence
from ..catalog.model import Gone, ResourceKind
from ..catalog.palette import Entry as PaletteEntry
from ..core import guardrails, heap
from ..core.config import token_expiry_text
from ..core.errors import OciError, loggable
from ..core.operations import OperationLog
from ..i18n import t as ct
from ..services import identity as idsvc
from . import aio, settings, theme, translations
from .detail import DetailPane
from .icons import dot, icon
from .qt import (
    QAbstractItemView,
    QComboBox,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMainWindow,
    QShortcut,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    Qt,
    QTimer,
    QToolBar,
    QToolButton,
    QTreeView,
    QWidget,
    Signal,
)
from .resource_view import ResourceView
from .tenancies import RootsMixin
from .tree import NODE_ROLE, CompartmentTreeModel
from .widgets import PRODUCTION_RED, production_label

log = logging.getLogger(__name__)


def _freeze_heap() -> None:
    """Move every object alive now (modules, SDK classes, the tree) out of the garbage collector's
    sight (core.heap). Without it, the first large response (1,000 instances: ~40,000 new objects) sets off
    a full collection that walks the whole start-up heap: +85 ms on that list, measured."""
    heap.freeze()


PROBE_SECONDS = 3.0


class MainWindow(RootsMixin, QMainWindow):
    profileSwitchRequested = Signal(str)  # "demo" or "<config path>|<profile>"
    ready = Signal()  # the tree is shown and the last place restored
    firstLevelShown = Signal()  # the tenancy's child compartments are in the tree (start-up is over)
    authFailed = Signal(object)  # OciError: the profile's credentials were refused (once per session)
    fixProfileRequested = Signal()  # the person asks to fix the profile (the first-run / profile dialog)

    def __init__(self, oplog: OperationLog | None = None):
        super().__init__()
        translations.ensure()  # English plural forms; app.main loads the system locale's catalogue
        self.setWindowTitle(self.tr("OCI Console"))
        self.setWindowIcon(icon("app"))
        self.oplog = oplog or OperationLog()
        self.session = None
        self.tenancy = None
        self.current_compartment = None
        self.current_kind: ResourceKind | None = None
        self._tasks = aio.TaskGroup()
        self._restoring = True
        self._probe = QTimer(self)
        self._probe.setInterval(int(PROBE_SECONDS * 1000))
        self._probe.timeout.connect(self._probe_connection)
        self._conn_ok: bool | None = None
        self._waiting_shown = False  # the status bar says an endpoint is not answering
        self._waiting_timer = QTimer(self)  # asks the session every second (and counts the seconds)
        self._waiting_timer.setInterval(1000)
        self._waiting_timer.timeout.connect(self._show_waiting)
        self._expiry_timer = QTimer(self)
        self._expiry_timer.setInterval(30_000)
        self._expiry_timer.timeout.connect(self._update_expiry)

        # ---- centre
        self.tree_model = CompartmentTreeModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("compartmentTree")
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree_model.loadFailed.connect(lambda e: self.show_error(
            self.tr("Could not load compartments: {error}").format(error=e.summary())))
        self.tree_model.childrenLoaded.connect(self._children_loaded)
        self._first_level_done = False

        self.resources = ResourceView()
        self.detail = DetailPane()
        self.detail.name_of = self._known_name
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self._init_roots())  # one root per connection (gui.tenancies)
        # the centre: the resource list, or a view a kind opens (a bucket's browser...)
        self.centre = QStackedWidget()
        self.centre.addWidget(self.resources)
        self.splitter.addWidget(self.centre)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([290, 610, 500])
        # the centre with, on a production connection (core.guardrails), a red frame and banner around it
        from .qt import QHBoxLayout, QPushButton, QVBoxLayout, QWidget
        self.central = QWidget()
        self.central.setObjectName("centralFrame")
        self.central.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # paints the red frame
        cl = QVBoxLayout(self.central)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(0)
        self.production_bar = QWidget()
        bar = QHBoxLayout(self.production_bar)
        bar.setContentsMargins(0, 0, 6, 0)
        self.production_banner = production_label("", self.production_bar)
        bar.addWidget(self.production_banner, 1)
        self.unlock_button = QPushButton(icon("edit"), f"Unlock changes for {guardrails.UNLOCK_MINUTES} min")
        self.unlock_button.setAccessibleName("Unlock changes on this production connection")
        self.unlock_button.clicked.connect(self._toggle_unlock)
        bar.addWidget(self.unlock_button)
        self.production_bar.hide()
        cl.addWidget(self.production_bar)
        cl.addWidget(self.splitter, 1)
        self.setCentralWidget(self.central)
        self._unlock_timer = QTimer(self)
        self._unlock_timer.setInterval(10_000)
        self._unlock_timer.timeout.connect(self._show_guard)

        self.resources.resourceActivated.connect(self._show_detail)
        self.resources.selectionChangedList.connect(lambda k, rs: self._update_action_buttons())
        self.resources.createRequested.connect(self.open_create)
        self.resources.table.activated.connect(self._row_activated)
        self.resources.actionRequested.connect(self.request_action)
        self.resources.loaded.connect(lambda k, n: self._update_action_buttons())
        self.resources.loaded.connect(lambda k, n: self._select_pending())
        self.resources.loadFailed.connect(lambda e: e.kind == "auth" and self._auth_failed(e))
        self.detail.actionRequested.connect(self.request_action)
        self.detail.browseRequested.connect(self.open_browser)

        # ---- activity
        from .activity import ActivityDock
        self.activity = ActivityDock(self.oplog, self)
        self.activity.setObjectName("activityDock")
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.activity)
        from .search_view import SearchDock
        self.search = SearchDock(self._known_name, self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.search)
        self.tabifyDockWidget(self.activity, self.search)
        self.activity.raise_()
        self.resizeDocks([self.activity], [170], Qt.Orientation.Vertical)
        for dock in (self.activity, self.search):  # a header, the column titles and three rows at least
            dock.widget().setMinimumHeight(130)
        self.search.openFound.connect(self._open_found)
        self._pending_select: str | None = None
        self.recent: list = []  # (kind, resource) most recently shown first: the palette's "Recent"

        # ---- toolbar
        tb = QToolBar(self.tr("Main toolbar"))
        tb.setObjectName("mainToolbar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(tb)
        self.toolbar = tb
        tb.addWidget(QLabel(" Profile "))
        self.profile_combo = QComboBox()
        self.profile_combo.setMinimumWidth(180)
        self.profile_combo.activated.connect(self._profile_chosen)
        tb.addWidget(self.profile_combo)
        tb.addWidget(QLabel("  Region "))
        self.region_combo = QComboBox()
        self.region_combo.setMinimumWidth(190)
        self.region_combo.activated.connect(self._region_chosen)
        tb.addWidget(self.region_combo)
        tb.addSeparator()
        self.refresh_action = tb.addAction(icon("refresh"), self.tr("Refresh"))
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.refresh_action.setToolTip(self.tr("Refresh (F5)"))
        self.refresh_action.triggered.connect(self.refresh)
        self.create_action = tb.addAction(icon("create"), self.tr("Create"))
        self.create_action.setShortcut(QKeySequence("Ctrl+N"))
        self.create_action.triggered.connect(lambda: self.current_kind and self.open_create(self.current_kind))
        tb.addSeparator()
        self._kind_actions: list = []
        self._search_toolbar = QToolBar(self.tr("Search bar"))
        self._search_toolbar.setObjectName("searchToolbar")
        self.addToolBar(self._search_toolbar)
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText(self.tr("Search all compartments (Ctrl+K)"))
        self.search_field.setAccessibleName(self.tr("Search all compartments"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setMinimumWidth(260)
        self.search_field.returnPressed.connect(self._search_from_toolbar)
        self._search_toolbar.addWidget(self.search_field)

        # ---- status bar
        self.conn_label = QLabel()
        self.endpoint_label = QLabel()
        self.endpoint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.expiry_label = QLabel()
        self.activity_label = QLabel()
        from .qt import QPushButton
        self.fix_profile_button = QPushButton(icon("edit"), self.tr("Fix profile…"))
        self.fix_profile_button.setFlat(True)
        self.fix_profile_button.setToolTip(self.tr("Open the profile set-up to correct the user, key or fingerprint"))
        self.fix_profile_button.clicked.connect(self.fixProfileRequested)
        self.fix_profile_button.hide()
        sb = self.statusBar()
        sb.addWidget(self.conn_label)
        sb.addWidget(self.endpoint_label, 1)
        sb.addWidget(self.fix_profile_button)
        sb.addPermanentWidget(self.expiry_label)
        sb.addPermanentWidget(self.activity_label)
        self.activity.activeCountChanged.connect(
            lambda n: self.activity_label.setText(f"{n} operation{'s' if n != 1 else ''} running" if n else ""))

        # ---- shortcuts
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self._focus_filter)
        QShortcut(QKeySequence("Ctrl+Shift+P"), self, activated=self.open_palette)
        QShortcut(QKeySequence("Ctrl+K"), self, activated=lambda: self.open_palette(search=True))
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.resources.table,
                  activated=self._delete_selected, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), self.resources.table,
                  activated=self.resources.copy_selected_ocids, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), self.tree, activated=self._copy_tree_ocid,
                  context=Qt.ShortcutContext.WidgetShortcut)

        self._build_menus()
        for bar in (self.toolbar, self._search_toolbar):  # Qt's "»" button when a toolbar is too narrow
            for b in bar.findChildren(QToolButton, "qt_toolbar_ext_button"):
                b.setAccessibleName(self.tr("More toolbar actions"))
                b.setToolTip(self.tr("More toolbar actions"))
        self._layout_restored = False
        self.resize(1400, 860)
        self._set_conn_state(None)
        from . import views
        views.install_all(self)

    def _build_menus(self) -> None:
        """File, View and Help; services add theirs between View and Help (menu())."""
        mb = self.menuBar()
        file_menu = mb.addMenu(self.tr("&File"))
        quit_action = file_menu.addAction(icon("cancel"), self.tr("&Quit"))
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.setMenuRole(quit_action.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        view_menu = mb.addMenu(self.tr("&View"))
        view_menu.addAction(self.refresh_action)
        view_menu.addSeparator()
        view_menu.addAction(self.activity.toggleViewAction())
        view_menu.addAction(self.search.toggleViewAction())
        view_menu.addAction(self.toolbar.toggleViewAction())
        view_menu.addAction(self._search_toolbar.toggleViewAction())
        view_menu.addAction(icon("create"), self.tr("Add to the tree…"), self.open_add_root)
        self.appearance_menu = theme.appearance_menu(view_menu)  # System / Light / Dark
        view_menu.addSeparator()
        self.production_action = view_menu.addAction(self.tr("Treat this connection as &production"))
        self.production_action.setCheckable(True)
        self.production_action.toggled.connect(self._mark_production)
        self.locked_action = view_menu.addAction(self.tr("Production is read-only until unlocked"))
        self.locked_action.setCheckable(True)
        self.locked_action.setChecked(settings.get("guardrails/read_only_production"))
        self.locked_action.toggled.connect(self._set_read_only_production)
        self.confirm_soft_action = view_menu.addAction(self.tr("Ask before Stop and Reboot"))
        self.confirm_soft_action.setCheckable(True)
        self.confirm_soft_action.setChecked(settings.get("guardrails/confirm_stop_reboot"))
        self.confirm_soft_action.toggled.connect(lambda on: settings.set("guardrails/confirm_stop_reboot", on))
        self._help_menu = mb.addMenu(self.tr("&Help"))
        self.about_action = self._help_menu.addAction(icon("app"), self.tr("&About ociconsole"))
        self.about_action.setMenuRole(self.about_action.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        logs = self._help_menu.addAction(icon("folder"), self.tr("Open &log folder"))
        logs.triggered.connect(self._open_log_folder)

    def show_about(self):
        from .about import AboutDialog
        dlg = AboutDialog(self.session, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    def _open_log_folder(self) -> None:
        from . import paths
        from .qt import QDesktopServices, QUrl
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.log_dir())))

    # ------------------------------------------------------------ connection
    def set_profiles(self, entries: list[tuple[str, str]], current: str) -> None:
        """Profile switcher entries: (key, label); key "demo" or "<path>|<profile>"."""
        self.profile_combo.clear()
        for key, label in entries:
            self.profile_combo.addItem(icon("app" if key == "demo" else "user"), label, key)
        i = self.profile_combo.findData(current)
        if i >= 0:
            self.profile_combo.setCurrentIndex(i)

    def _profile_chosen(self, i: int) -> None:
        key = self.profile_combo.itemData(i)
        if key and (self.session is None or key != getattr(self, "_connection_key", None)):
            self.profileSwitchRequested.emit(key)

    def set_session(self, session, key: str) -> None:
        """Show a (new) connection: tree from its tenancy, restore the last place."""
        # what start-up made (modules, the catalog, widgets) out of the collector's sight before the tree's
        # answers arrive: else a full collection walks it in the middle of the tree load (60-80 ms, measured)
        _freeze_heap()
        self._primary_root(session, key)
        old = self.session
        self._connection_key = key
        self._auth_reported = False
        self._first_level_done = False
        self.session = session
        self._apply_guard(session, key)
        self._restoring = True
        self._tasks.cancel_all()
        self.resources.clear()
        self.detail.clear()
        # the whole hierarchy is asked for at once, while the tenancy's own record is fetched
        self.tree_model.set_session(session, _Placeholder(session.tenancy_id))
        # no current item until the last place is restored: the tree taking the focus would otherwise make the
        # "Loading…" placeholder current (Qt's first-focus default) and list and detail it for nothing
        from .qt import QModelIndex
        self.tree.setCurrentIndex(QModelIndex())
        self._roots_changed()
        session.on_health(self._health_changed)
        session.on_waiting(self._waiting_changed)
        self._waiting_timer.start()  # asks the session every second whether a call waits unanswered
        self._set_conn_state(None)
        self.endpoint_label.setText(session.connection.describe_endpoint())
        self._update_expiry()
        self._expiry_timer.start()
        self._update_action_buttons()
        self._tasks.replace("connect", self._connect(session))
        if old is not None and old is not session:
            old.close()

    async def _connect(self, session) -> None:
        try:
            tenancy = await idsvc.get_compartment(session, session.tenancy_id)
        except OciError as e:
            if e.kind == "auth":  # the server answered: not an outage, and retrying cannot help
                self._auth_failed(e)
                return
            self._set_conn_state(False, e)
            self.show_error(self.tr("Cannot open the tenancy: {error}").format(error=e.summary()), e)
            self._probe.start()
            return
        if session is not self.session:
            return
        self._set_conn_state(True)
        self.tenancy = tenancy
        self.tree_model.set_root(tenancy)
        root = self.tree_model.index(0, 0)
        self.tree.expand(root)
        await self._restore_place()
        # the region switcher's list after the tree and the last place (they come first on the wire)
        self._tasks.replace("regions", self._load_regions(session))
        _freeze_heap()
        self.ready.emit()
        # load the SDK packages of every other service in the background now, not at the first click
        self._tasks.replace("prefetch", self._prefetch(session))

    async def _prefetch(self, session) -> None:
        from ..core.connection import SERVICES
        await session.prefetch(list(SERVICES))
        _freeze_heap()

    def _children_loaded(self, comp_id: str) -> None:
        root = self.tree_model.root_node
        if not self._first_level_done and root is not None and root.compartment_id == comp_id \
                and self.tenancy is not None:
            self._first_level_done = True
            self.firstLevelShown.emit()

    async def _load_regions(self, session) -> None:
        try:
            subs = await idsvc.list_region_subscriptions(session)
        except OciError as e:
            log.debug("region subscriptions not listed (offering the connection's region): %s", loggable(e))
            subs = []
        names = [s.region_name for s in subs if s.status == "READY"] or [session.connection.region]
        if session.connection.region not in names:
            names.append(session.connection.region)
        self.region_combo.clear()
        for n in names:
            home = any(s.region_name == n and s.is_home_region for s in subs)
            self.region_combo.addItem(f"{n}{'  (home)' if home else ''}", n)
        self.region_combo.setCurrentIndex(max(0, self.region_combo.findData(session.connection.region)))

    def _region_chosen(self, i: int) -> None:
        region = self.region_combo.itemData(i)
        if not region or self.session is None or region == self.session.connection.region:
            return
        if self.active_root is self.roots[0]:  # the first root opens in it next time (gui.tenancies)
            settings.set("connection/region", f"{getattr(self, '_connection_key', '')}|{region}")
        new = self.session.with_region(region)
        comp, kind = self.current_compartment, self.current_kind
        old = self.session
        self.session = new
        new.on_health(self._health_changed)
        new.on_waiting(self._waiting_changed)
        self.tree_model.session = new
        self.endpoint_label.setText(new.connection.describe_endpoint())
        self.detail.clear()
        if comp is not None and kind is not None:
            self.resources.show_kind(new, kind, comp)
        self._root_session_changed(new)
        old.close()

    def _health_changed(self, health) -> None:
        if health.reachable and health.failures == 0:
            if self._probe.isActive():
                self._probe.stop()
                self._set_conn_state(True)
                self.refresh()
            else:
                self._set_conn_state(True)
        elif not health.reachable and health.last_error is not None and health.last_error.kind == "connection":
            self._set_conn_state(False, health.last_error)
            if not self._probe.isActive():
                self._probe.start()
        self._show_waiting()

    def _waiting_changed(self, _health) -> None:
        self._show_waiting()

    def _show_waiting(self) -> None:
        """While a call has been pending for seconds (an endpoint that accepts connections but does not
        answer), say so in the status bar with the seconds counting, instead of showing nothing until
        the read timeout. "Cannot reach" (connection failures) takes precedence."""
        session = self.session
        waiting = session.waiting() if session is not None else []
        if session is not None and not self._waiting_timer.isActive():
            self._waiting_timer.start()  # the session is asked every second (it keeps no timers itself)
        if not waiting or self._conn_ok is False:
            if self._waiting_shown:
                self._waiting_shown = False
                if self._conn_ok is not False:
                    self._set_conn_state(self._conn_ok)
            return
        h = waiting[0]
        where = session.connection.endpoint_host(h.service)
        more = len(waiting) - 1
        also = f" (and {more} other service{'s' if more > 1 else ''})" if more else ""
        self.endpoint_label.setText(f"{where} is not answering ({h.waiting_seconds:.0f} s){also} — still waiting")
        self.endpoint_label.setStyleSheet(f"color: {theme.colour('warning')}; font-weight: bold;")
        self.conn_label.setPixmap(dot(theme.colour("waiting")).pixmap(12, 12))
        self.conn_label.setToolTip(self.tr("Waiting for an answer from {where}").format(where=where))
        self._waiting_shown = True

    def _auth_failed(self, error: OciError) -> None:
        self._set_auth_state(error)
        if not getattr(self, "_auth_reported", False):
            self._auth_reported = True
            self.authFailed.emit(error)

    def _probe_connection(self) -> None:
        if self.session is None:
            self._probe.stop()
            return
        self._tasks.replace("probe", self._probe_once(self.session))

    async def _probe_once(self, session) -> None:
        try:
            await idsvc.get_compartment(session, session.tenancy_id)
        except OciError as e:
            log.debug("probe: the tenancy does not answer yet: %s", loggable(e))
            return
        if self.tenancy is None:
            self._tasks.replace("connect", self._connect(session))

    def _set_auth_state(self, error: OciError) -> None:
        """The server refused the credentials (401): say which part of the profile to check, offer to fix it,
        and stop probing (this is not an outage)."""
        from ..core.config import explain_auth_failure
        self._probe.stop()
        self._conn_ok = False
        profile = getattr(getattr(self.session, "connection", None), "profile", None)
        where = error.endpoint or (self.session.connection.describe_endpoint() if self.session else "OCI")
        status = f"{error.status} {error.code}".strip() if error.status else (error.code or "401")
        self.conn_label.setPixmap(dot(theme.COLOURS["bad"][0]).pixmap(12, 12))
        self.conn_label.setToolTip(error.details())
        self.endpoint_label.setText(f"Sign-in refused ({status}): {explain_auth_failure(profile)}")
        self.endpoint_label.setStyleSheet(f"color: {theme.colour('bad')}; font-weight: bold;")
        self.endpoint_label.setToolTip(f"{where} answered {status}\n\n{error.details()}")
        self.fix_profile_button.show()
        if self.tenancy is None:
            self.tree_model.set_failed(f"Not signed in ({status}) — fix the profile")
        self._update_action_buttons()

    def _set_conn_state(self, ok: bool | None, error: OciError | None = None) -> None:
        changed = (self._conn_ok is False) != (ok is False)
        self._conn_ok = ok
        self.fix_profile_button.hide()
        self.endpoint_label.setToolTip("")
        if changed and hasattr(self, "_kind_actions"):
            self._update_action_buttons()  # creating and actions follow the connection
        if ok is None:
            self.conn_label.setPixmap(dot(theme.colour("connecting")).pixmap(12, 12))
            self.conn_label.setToolTip(self.tr("Connecting…"))
            if self._waiting_shown and self.session is not None:
                self._waiting_shown = False
                self.endpoint_label.setText(self.session.connection.describe_endpoint())
                self.endpoint_label.setStyleSheet("")
        elif ok:
            self.conn_label.setPixmap(dot(theme.COLOURS["good"][0]).pixmap(12, 12))
            self.conn_label.setToolTip(self.tr("Connected"))
            if self.session is not None:
                self.endpoint_label.setText(self.session.connection.describe_endpoint())
                self.endpoint_label.setStyleSheet("")
        else:
            self.conn_label.setPixmap(dot(theme.COLOURS["bad"][0]).pixmap(12, 12))
            where = error.endpoint if error is not None and error.endpoint else (
                self.session.connection.describe_endpoint() if self.session else "the service")
            self.conn_label.setToolTip(error.details() if error else self.tr("Disconnected"))
            self.endpoint_label.setText(
                self.tr("Cannot reach {where} — retrying every {seconds} s").format(
                    where=where, seconds=f"{PROBE_SECONDS:g}"))
            self.endpoint_label.setStyleSheet(f"color: {theme.colour('bad')}; font-weight: bold;")

    def _update_expiry(self) -> None:
        prof = self.session.connection.profile if self.session else None
        if prof is not None and prof.kind == "session_token":
            exp = prof.token_expiry()
            text = f"Session token {token_expiry_text(exp)}"
            self.expiry_label.setText(text)
            self.expiry_label.setStyleSheet(f"color: {theme.colour('bad')};" if exp and exp - time.time() < 600 else "")
        else:
            self.expiry_label.setText("read-only profile" if self.session and self.session.read_only else "")

    # ------------------------------------------------------------ navigation
    def _tree_current(self, current, _previous) -> None:
        self.show_list()
        node = current.data(NODE_ROLE) if current.isValid() else None
        if node is None or self.session is None or self.tree_model.session is None:
            return
        comp_node = node
        while comp_node is not None and comp_node.type != "compartment":
            comp_node = comp_node.parent
        if comp_node is None or isinstance(comp_node.compartment, _Placeholder):
            return  # the tenancy's record has not arrived yet
        self.current_compartment = comp_node.compartment
        if node.type == "category":
            self.current_kind = node.kind
            self.resources.show_kind(self.session, node.kind, comp_node.compartment)
            self.detail.clear()
        elif node.type == "compartment":
            self.current_kind = catalog.kind("identity.compartment")
            self.resources.show_kind(self.session, self.current_kind, comp_node.compartment)
            self.detail.show_resource(self.session, self.current_kind, comp_node.compartment)
        if not self._restoring:
            settings.set("browse/compartment", comp_node.compartment_id)
            if node.type == "category":
                settings.set("browse/kind", node.kind.id)
        self._update_action_buttons()

    async def _restore_place(self) -> None:
        comp_id = settings.get("browse/compartment") or self.session.tenancy_id
        kind_id = settings.get("browse/kind") or "compute.instance"
        try:
            catalog.kind(kind_id)
        except KeyError:
            kind_id = "compute.instance"
        await self.wait_subtree(5.0)
        idx = self.tree_model.reveal(comp_id)
        if not idx.isValid():
            comp_id = self.session.tenancy_id
        self.select(comp_id, kind_id)
        self._restoring = False

    async def wait_subtree(self, timeout: float) -> bool:
        import asyncio
        deadline = time.monotonic() + timeout
        while not self.tree_model.subtree_loaded and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return self.tree_model.subtree_loaded

    def select(self, comp_id: str, kind_id: str | None = None) -> bool:
        """Show a compartment (and one of its categories) as if the person clicked it."""
        idx = self.tree_model.reveal(comp_id)
        if not idx.isValid():
            return False
        p = idx.parent()
        while p.isValid():
            self.tree.expand(p)
            p = p.parent()
        self.tree.expand(idx)
        if kind_id:
            cat = self.tree_model.category_index(comp_id, kind_id)
            if cat.isValid():
                self.tree.expand(cat.parent())
                idx = cat
        self.tree.setCurrentIndex(idx)
        self.tree.scrollTo(idx)
        return True

    def _known_name(self, ocid: str) -> str | None:
        return self.tree_model.name_of(ocid)

    # ------------------------------------------------------------ search
    def _search_from_toolbar(self) -> None:
        text = self.search_field.text().strip()
        if text:
            self.search.show()
            self.search.raise_()
            self.search.search(text)

    def open_resource(self, ocid: str, compartment_id: str) -> None:
        """Show a resource found elsewhere (search): its compartment and category, its row, its details."""
        kind = catalog.for_ocid(ocid)
        if kind is not None and kind.scope != "hidden" and self.select(compartment_id, kind.id):
            self._pending_select = ocid
            if self.resources.kind is kind and self.resources.model.rowCount():
                self._select_pending()
        else:
            self.detail.navigate(ocid)

    def _select_pending(self) -> None:
        ocid, self._pending_select = self._pending_select, None
        if not ocid:
            return
        for r in range(self.resources.proxy.rowCount()):
            res = self.resources.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 11)
            if getattr(res, "id", None) == ocid:
                self.resources.select_row(r)
                self.resources.table.scrollTo(self.resources.proxy.index(r, 0))
                return

    # ------------------------------------------------------------ extension points (gui.views)
    def menu(self, title: str):
        """The menu-bar menu `title`, created on first use."""
        for a in self.menuBar().actions():
            if a.menu() is not None and a.text().replace("&", "") == title.replace("&", ""):
                return a.menu()
        menu = self.menuBar().addMenu(title)
        self.menuBar().insertMenu(self._help_menu.menuAction(), menu)  # Help stays last
        return menu

    def add_status_widget(self, widget) -> None:
        # a badge whose text grows must not widen the whole window
        widget.setSizePolicy(QSizePolicy.Policy.Maximum, widget.sizePolicy().verticalPolicy())
        widget.setMaximumWidth(max(widget.maximumWidth() if widget.maximumWidth() < 16777215 else 0, 260))
        self.statusBar().addPermanentWidget(widget)

    def show_view(self, widget) -> None:
        """Show a view in the centre instead of the list (the list comes back with show_list)."""
        for i in range(self.centre.count() - 1, 0, -1):
            old = self.centre.widget(i)
            if old is not widget:
                self.centre.removeWidget(old)
                if hasattr(old, "shutdown"):
                    old.shutdown()
                old.deleteLater()
        if self.centre.indexOf(widget) < 0:
            self.centre.addWidget(widget)
        self.centre.setCurrentWidget(widget)
        self._only_current_sizes_centre()
        self._widen(bool(getattr(widget, "wide", False)))

    def show_list(self) -> None:
        self.centre.setCurrentWidget(self.resources)
        self._only_current_sizes_centre()
        self._widen(False)

    def _only_current_sizes_centre(self) -> None:
        """A stacked widget is as wide as its widest page's minimum: a dashboard kept behind the list would
        hold the centre at its toolbar's width, and the splitter would take that from the tree. The pages not
        shown are given an Ignored horizontal policy (no minimum width); the shown one has its own back."""
        current = self.centre.currentWidget()
        for i in range(self.centre.count()):
            page = self.centre.widget(i)
            policy = page.sizePolicy()
            if not hasattr(page, "_centre_policy"):
                page._centre_policy = policy.horizontalPolicy()
            policy.setHorizontalPolicy(page._centre_policy if page is current else QSizePolicy.Policy.Ignored)
            page.setSizePolicy(policy)

    def _widen(self, on: bool) -> None:
        """A view that declares `wide = True` (dashboards, reports) takes the details pane's room while
        it is shown; with the list the details pane comes back at its width, the tree keeps its own (as it was,
        unless the person dragged it meanwhile) and the list has the rest: nothing moves that was not moved."""
        sizes = self.splitter.sizes()
        if on and sizes[2] > 0:
            self._narrow_sizes = sizes
            self.splitter.setSizes([sizes[0], sizes[1] + sizes[2], 0])
        elif not on and sizes[2] == 0 and getattr(self, "_narrow_sizes", None):
            old, self._narrow_sizes = self._narrow_sizes, None
            tree, width = sizes[0] or old[0], old[2]
            self.splitter.setSizes([tree, max(200, sum(sizes) - tree - width), width])

    def open_browser(self, kind, resource) -> bool:
        """Open a resource in its kind's browser view, if it declares one."""
        from . import views
        factory = views.view(kind.browser) if kind.browser else None
        if factory is None or self.session is None:
            return False
        self.show_view(factory(self, self.session, kind, resource))
        return True

    def _row_activated(self, index) -> None:
        from .resource_view import RESOURCE_ROLE
        kind = self.resources.kind
        res = index.data(RESOURCE_ROLE)
        if kind is not None and res is not None:
            self.open_browser(kind, res)

    def _show_detail(self, kind, resource) -> None:
        if resource is not None and self.session is not None:
            self.detail.show_resource(self.session, kind, resource)
            rid = getattr(resource, "id", None)
            if rid:  # the palette's recent resources
                self.recent = [(k, r) for k, r in self.recent if getattr(r, "id", None) != rid][:19]
                self.recent.insert(0, (kind, resource))
        self._update_action_buttons()

    def refresh(self) -> None:
        node = self.tree.currentIndex().data(NODE_ROLE)
        while node is not None and node.type != "compartment":
            node = node.parent
        if node is not None and self.session is not None:  # the selected compartment's children, asked anew
            self.tree_model.reload(node.compartment_id)
        if self.resources.kind is not None:
            self.resources.reload()
        if self.detail.resource is not None and self.detail.kind is not None and self.detail.kind.get:
            self._tasks.replace("detail-refresh", self._refresh_detail())

    async def _refresh_detail(self) -> None:
        kind, res = self.detail.kind, self.detail.resource
        try:
            fresh = await kind.get(self.session, res.id)
        except OciError as e:
            log.debug("detail of %s not refreshed: %s", res.id, loggable(e))
            return
        if self.detail.resource is res:
            self.detail.show_resource(self.session, kind, fresh, keep_history=True, reload_related=True)

    def _focus_filter(self) -> None:
        self.resources.filter.setFocus()
        self.resources.filter.selectAll()

    def _copy_tree_ocid(self) -> None:
        node = self.tree.currentIndex().data(NODE_ROLE)
        if node is not None and node.compartment_id:
            from .qt import QGuiApplication
            QGuiApplication.clipboard().setText(node.compartment_id)

    # ------------------------------------------------------------ actions
    def _update_action_buttons(self) -> None:
        kind = self.resources.kind
        # the kind's buttons are made when the kind changes; a load or a selection only enables them (making
        # them again relaid out and repainted the toolbar on every list shown)
        rebuild = kind is not getattr(self, "_kind_actions_of", None) \
            or len(self._kind_actions) != len(kind.actions if kind is not None else [])
        if rebuild:
            for a in self._kind_actions:
                self.toolbar.removeAction(a)
            self._kind_actions = []
            self._kind_actions_of = kind
        offline = self._conn_ok is False  # unreachable, or the credentials were refused
        self.resources.set_offline(offline)
        self.detail.offline = offline
        ro = self.session is None or self.session.read_only or offline
        self.create_action.setEnabled(bool(kind and kind.create) and not ro)
        self.create_action.setText(self.tr("Create {what}").format(what=in_sentence(ct(kind.singular)))
                                   if kind and kind.create else self.tr("Create"))
        if kind is None:
            return
        selected = self.resources.selected_resources()
        for i, action in enumerate(kind.actions):
            if rebuild:
                qa = self.toolbar.addAction(icon(action.icon), ct(action.label))
                qa.triggered.connect(
                    lambda _=False, a=action: self.request_action(kind, a, self.resources.selected_resources()))
                self._kind_actions.append(qa)
            self._kind_actions[i].setEnabled(bool(selected) and not offline and not (ro and action.mutates)
                                             and all(action.allowed_for(r) for r in selected))

    def _delete_selected(self) -> None:
        kind = self.resources.kind
        if kind is None:
            return
        action = next((a for a in kind.actions if a.destructive), None)
        selected = self.resources.selected_resources()
        if action is not None and selected:
            self.request_action(kind, action, selected)

    def request_action(self, kind: ResourceKind, action, resources: list) -> None:
        resources = [r for r in resources if r is not None]
        if not resources or self.session is None:
            return
        if self.session.read_only and action.mutates:
            self.show_error(self.tr("This profile is read-only: actions are disabled."))
            return
        if self._conn_ok is False:
            self.show_error(self.tr("No working connection: actions are disabled until it is back."))
            return
        guard = self.session.guard
        if action.mutates and guard.locked():
            self.show_error(f"{guard.label} is production and read-only until unlocked: use "
                            f"“{self.unlock_button.text()}” in the red banner first.")
            return
        blocked = [kind.name(r) for r in resources if not action.allowed_for(r)]
        if blocked:
            self.show_error(f"{action.label} is not possible for {', '.join(blocked)} in its current state.")
            return
        if action.form is not None:  # an action that asks for input: its form, in the generic dialog
            spec = action.form(resources[0])
            if callable(spec):  # a form made once something is read: `async spec(session) -> FormSpec`
                aio.spawn(self._open_form_when_read(spec, action.mutates), name=f"form:{action.id}")
            else:
                self.open_form(spec, guarded=action.mutates)
            return
        mode = guard.confirmation(action, settings.get("guardrails/confirm_stop_reboot"))
        if mode:
            from .confirm import ConfirmDialog
            banner = guard.banner(self.session.connection.region) if guard.production and action.mutates else ""
            dlg = ConfirmDialog(action, kind, resources, self, mode=mode, production=banner)
            dlg.confirmed.connect(lambda options: self._run_action(kind, action, resources, options))
            dlg.open()
            self._last_dialog = dlg
        else:
            self._run_action(kind, action, resources, {})

    def _run_action(self, kind, action, resources, options: dict) -> None:
        from ..catalog import execute  # imported when the first action runs (not at start-up)
        session = self.session
        for r in resources:
            op = execute.queue_action(self.oplog, kind, action, r)
            aio.spawn(execute.run_action(session, self.oplog, kind, action, r, options,
                                         on_resource=self._resource_changed, op=op), name=f"action:{action.id}")

    def _resource_changed(self, kind, res) -> None:
        if kind.id == "identity.compartment":  # created, renamed, moved or deleted here: the tree follows
            self.tree_model.compartment_changed(res)
        if kind.scope == "hidden" and kind is not self.resources.kind and not isinstance(res, Gone) \
                and not kind.is_transitional(res) and self.resources.kind is not None:
            # a settled attachment (attach, detach): the listed resources show it (a volume's "Attached to")
            self.refresh()
        if isinstance(res, Gone):  # deleted for good (not a TERMINATED row): it leaves the list
            self.resources.resource_gone(kind, res.id)
            if getattr(self.detail.resource, "id", None) == res.id:
                self.detail.clear()
            self._update_action_buttons()
            return
        self.resources.resource_changed(kind, res)
        if self.detail.resource is not None and getattr(self.detail.resource, "id", None) == getattr(res, "id", 0):
            self.detail.show_resource(self.session, kind, res, keep_history=True)
        self._update_action_buttons()

    def form_context(self) -> FormContext:
        comps = [Option(c.id, c.name, c, depth) for c, depth in self.tree_model.all_compartments()]
        comp_id = self.current_compartment.id if self.current_compartment is not None else self.session.tenancy_id
        return FormContext(self.session, comp_id, comps)

    def open_create(self, kind: ResourceKind) -> None:
        if kind is None or kind.create is None or self.session is None:
            return
        if self.session.read_only:
            self.show_error(self.tr("This profile is read-only: creating is disabled."))
            return
        if self._conn_ok is False:
            self.show_error(self.tr("No working connection: creating is disabled until it is back."))
            return
        if self.session.guard.locked():
            self.show_error(f"{self.session.guard.label} is production and read-only until unlocked: use "
                            f"“{self.unlock_button.text()}” in the red banner first.")
            return
        from . import views
        factory = views.view(kind.create_view) if kind.create_view else None
        if factory is not None:  # a kind whose creation is a wizard of its own (gui.views)
            dlg = factory(self, self.session, kind, None)
            dlg.open()
            self._last_dialog = dlg
            return
        self.open_form(kind.create)

    async def _open_form_when_read(self, make, guarded: bool = True) -> None:
        try:
            spec = await make(self.session)
        except OciError as e:
            self.show_error(f"Cannot prepare the form: {e.message}", e)
            return
        self.open_form(spec, guarded=guarded)

    def open_form(self, spec, guarded: bool = True) -> None:
        """The generic dialog for a FormSpec (a create, or an action's form); tracked in the activity.
        `guarded`: it changes something, so production asks for its name (core.guardrails)."""
        from .form_dialog import CreateDialog
        dlg = CreateDialog(spec, self.form_context(), self.session, self.oplog, catalog.kind(spec.kind_id), self,
                           on_resource=self._resource_changed, guarded=guarded)
        dlg.open()
        self._last_dialog = dlg

    # ------------------------------------------------------------ command palette
    def open_palette(self, search: bool = False):
        """Ctrl+Shift+P: every command, kind, action, recent resource and compartment; Ctrl+K the same with
        "Search all compartments for …" first."""
        from .palette import PaletteDialog
        extra = None
        if search:
            def extra(text: str) -> list[PaletteEntry]:
                t = text.strip()
                if not t:
                    return []
                return [PaletteEntry(f"Search all compartments for “{t}”", "Search",
                                     lambda: (self.search_field.setText(t), self._search_from_toolbar()))]
        dlg = PaletteDialog(self.palette_entries(), self, extra=extra,
                            placeholder="Search every compartment, or type a command" if search else "")
        dlg.open()
        self._last_dialog = dlg
        return dlg

    def palette_entries(self) -> list[PaletteEntry]:
        out: list[PaletteEntry] = [PaletteEntry(k.name(r), "Recent", lambda k=k, r=r: self._open_recent(k, r),
                                                detail=k.singular, key=f"recent:{getattr(r, 'id', '')}")
                                   for k, r in self.recent]

        def walk(menu, where: str) -> None:
            for a in menu.actions():
                if a.isSeparator():
                    continue
                if a.menu() is not None:
                    walk(a.menu(), f"{where} › {a.text().replace('&', '')}")
                elif a.text() and a.isEnabled():
                    text = a.text().replace("&", "")
                    out.append(PaletteEntry(text, "Menu", a.trigger, a.shortcut().toString(), where,
                                            key=f"menu:{where}:{text}"))
        tops = [t for t in self.menuBar().actions() if t.menu() is not None]
        for top in tops[1:] + tops[:1]:  # File (Quit) last: Enter on an untouched palette must not quit
            walk(top.menu(), top.text().replace("&", ""))
        ro = self.session is None or self.session.read_only
        for k in catalog.kinds():
            if k.scope == "hidden":
                continue
            out.append(PaletteEntry(ct(k.label), "Go to", lambda k=k: self.go_to_kind(k), detail=k.group,
                                    key=f"goto:{k.id}"))
            if k.create is not None and not ro:
                out.append(PaletteEntry(f"Create {in_sentence(k.singular)}…", "Create",
                                        lambda k=k: self.go_to_kind(k) and self.open_create(k),
                                        "Ctrl+N" if k is self.current_kind else "", k.group, key=f"create:{k.id}"))
            for a in k.actions:
                if ro and a.mutates:
                    continue
                shortcut = "Delete" if a.destructive and a is next((x for x in k.actions if x.destructive), None) \
                    else (a.shortcut or "")
                out.append(PaletteEntry(f"{k.singular}: {a.label}", "Action",
                                        lambda k=k, a=a: self._palette_action(k, a), shortcut,
                                        key=f"action:{k.id}:{a.id}"))
        path: list[str] = []
        for c, depth in self.tree_model.all_compartments():
            del path[depth:]
            out.append(PaletteEntry(c.name, "Compartment", lambda c=c: self.select(c.id), detail=" / ".join(path),
                                    key=f"compartment:{c.id}"))
            path.append(c.name)
        return out

    def go_to_kind(self, kind: ResourceKind) -> bool:
        """Show the kind's list in the current compartment (the root for tenancy-wide kinds)."""
        comp = self.current_compartment.id if self.current_compartment is not None and kind.scope != "tenancy" \
            else (self.session.tenancy_id if self.session is not None else None)
        return bool(comp) and self.select(comp, kind.id)

    def _open_recent(self, kind: ResourceKind, resource) -> None:
        comp = getattr(resource, "compartment_id", None)
        if comp:
            self.open_resource(resource.id, comp)
        else:
            self._show_detail(kind, resource)

    def _palette_action(self, kind: ResourceKind, action):
        """An action chosen in the palette: on the selection when it is of that kind, else the palette asks which
        resource of the current compartment."""
        from .palette import ask
        selected = self.resources.selected_resources() if self.resources.kind is kind else []
        if selected:
            self.request_action(kind, action, selected)
            return None
        if self.session is None:
            return None
        session = self.session
        comp = self.current_compartment.id if self.current_compartment is not None else session.tenancy_id
        where = self.current_compartment.name if self.current_compartment is not None else "the tenancy"

        async def load() -> list[PaletteEntry]:
            found = await kind.list(session, comp)
            return [PaletteEntry(kind.name(r), kind.singular, lambda r=r: self._act_on(kind, action, r),
                                 detail=kind.state(r) or "") for r in found if action.allowed_for(r)]
        return ask(f"{kind.singular}: {action.label} — which one? (in {where})", load,
                   f"No {kind.label.lower()} in {where} that can {action.label.lower()}: "
                   "pick another compartment in the tree first")

    def _act_on(self, kind: ResourceKind, action, resource) -> None:
        self.open_resource(resource.id, getattr(resource, "compartment_id", "") or "")
        self.request_action(kind, action, [resource])

    # ------------------------------------------------------------ guardrails
    def _apply_guard(self, session, key: str) -> None:
        """Decide whether the connection is production (core.guardrails) and show it."""
        marked = [k for k in settings.get("guardrails/production_marked").splitlines() if k]
        guard = session.guard
        guard.label = session.connection.label
        guard.reason = guardrails.production_reason(key, guard.label, settings.get("guardrails/production_pattern"),
                                                    marked)
        guard.read_only_until_unlocked = settings.get("guardrails/read_only_production")
        self.production_action.blockSignals(True)
        self.production_action.setChecked(guard.production)
        self.production_action.blockSignals(False)
        self._show_guard()

    def _mark_production(self, on: bool) -> None:
        key = getattr(self, "_connection_key", "")
        marked = [k for k in settings.get("guardrails/production_marked").splitlines() if k and k != key]
        if on:
            marked.append(key)
        settings.set("guardrails/production_marked", "\n".join(marked))
        if self.session is not None:
            self._apply_guard(self.session, key)

    def _set_read_only_production(self, on: bool) -> None:
        settings.set("guardrails/read_only_production", on)
        if self.session is not None:
            self.session.guard.read_only_until_unlocked = on
            self.session.guard.lock()
            self._show_guard()

    def _toggle_unlock(self) -> None:
        guard = self.session.guard if self.session is not None else None
        if guard is None:
            return
        if guard.unlocked_for() > 0:
            guard.lock()
        else:
            guard.unlock()
        self._show_guard()

    def _show_guard(self) -> None:
        guard = self.session.guard if self.session is not None else None
        on = guard is not None and guard.production
        self.production_bar.setVisible(on)
        self.central.setStyleSheet(f"QWidget#centralFrame {{ border: 3px solid {PRODUCTION_RED}; }}" if on else "")
        self.central.layout().setContentsMargins(*([3, 0, 3, 3] if on else [0, 0, 0, 0]))
        title = "OCI Console"
        if not on or guard is None:
            self.setWindowTitle(title)
            self._unlock_timer.stop()
            return
        self.setWindowTitle(f"{title} — PRODUCTION ({guard.label})")
        text = guard.banner(self.session.connection.region)
        left = guard.unlocked_for()
        if guard.read_only_until_unlocked:
            if left > 0:
                text += f" · changes unlocked for {int(left // 60) + 1} more min"
                self.unlock_button.setText("Lock changes now")
            else:
                text += " · read-only until unlocked"
                self.unlock_button.setText(f"Unlock changes for {guardrails.UNLOCK_MINUTES} min")
            self._unlock_timer.start()
        self.unlock_button.setVisible(guard.read_only_until_unlocked)
        self.production_banner.setText(text)

    # ------------------------------------------------------------ messages
    def show_error(self, text: str, error: OciError | None = None) -> None:
        self.statusBar().showMessage(text, 15_000)
        if error is not None and error.request_id:
            self.statusBar().showMessage(f"{text} (opc-request-id {error.request_id})", 15_000)

    # ------------------------------------------------------------ layout persistence
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._layout_restored:
            self._layout_restored = True
            self._restore_layout()

    def _restore_layout(self) -> None:
        g = settings.get("window/geometry")
        if g:
            self.restoreGeometry(g)
        s = settings.get("window/state")
        if s:
            self.restoreState(s)
        sp = settings.get("window/splitter")
        if sp:
            self.splitter.restoreState(sp)
            # once more after the restored geometry has been laid out (the first pass can be rescaled)
            QTimer.singleShot(0, lambda: self.splitter.restoreState(sp))

    def save_layout(self) -> None:
        self._widen(False)  # the layout of the list and details, not of a wide view
        settings.set("window/geometry", bytes(self.saveGeometry()))
        settings.set("window/state", bytes(self.saveState()))
        settings.set("window/splitter", bytes(self.splitter.saveState()))
        settings.flush()  # the window is closing: on disk now

    def closeEvent(self, event) -> None:
        self.save_layout()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop every timer and pending load of this window (it is going away)."""
        self._tasks.cancel_all()
        for i in range(1, self.centre.count()):
            w = self.centre.widget(i)
            if hasattr(w, "shutdown"):
                w.shutdown()
        self._probe.stop()
        self._expiry_timer.stop()
        self._waiting_timer.stop()
        self.resources.stop()
        self.detail.clear()
        self.close_roots()


class _Placeholder:
    """Stands for the tenancy until its compartment record arrives."""

    def __init__(self, tenancy_id: str):
        self.id = tenancy_id
        self.name = "Loading…"
        self.description = ""
        self.compartment_id = tenancy_id
        self.lifecycle_state = "ACTIVE"


_ = QWidget
