"""Several connections side by side in the tree: profiles (each with its tenancy) and regions of each, every
one its own root, loaded lazily.

Each root is a `CompartmentTreeModel` of its own in its own `QTreeView`, stacked in a vertical splitter: a
compartment OCID is looked up per root (the same tenancy in two regions has the same compartment OCIDs). The
first root is the connection `MainWindow.set_session` shows; View > "Add to the tree…" adds more (a profile of
the profile switcher, one of its subscribed regions, read from Identity). Selecting anything under a root makes
its session the window's active one (`window.session`, `window.tree_model`, `window.tree`): the resource list,
details, actions, create and the production banner follow, and with more than one root every view says which
profile and region it shows. Each root owns its session (and so its thread pool): removing the root closes it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from ..core.errors import OciError, loggable
from ..services import identity as idsvc
from . import aio, settings
from .icons import icon
from .qt import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QModelIndex,
    QSplitter,
    Qt,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .tree import CompartmentTreeModel

log = logging.getLogger(__name__)


class TreeRoot:
    """One connection in the tree: its profile key, session, model, view and the pane that holds them."""

    def __init__(self, key: str, session, model: CompartmentTreeModel, view: QTreeView):
        self.key = key
        self.session = session
        self.model = model
        self.view = view
        self.tasks = aio.TaskGroup()
        self.pane = QWidget()
        self.pane.setObjectName("treeRoot")
        lay = QVBoxLayout(self.pane)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.header = QWidget()
        head = QHBoxLayout(self.header)
        head.setContentsMargins(4, 2, 2, 2)
        self.title = QLabel("")
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        head.addWidget(self.title, 1)
        self.remove_button = QToolButton()
        self.remove_button.setIcon(icon("cancel"))
        self.remove_button.setAutoRaise(True)
        head.addWidget(self.remove_button)
        lay.addWidget(self.header)
        lay.addWidget(view, 1)

    @property
    def where(self) -> str:
        """What the root shows, as every view says it: "Demo sandbox · us-ashburn-1"."""
        conn = self.session.connection if self.session is not None else None
        return f"{conn.label} · {conn.region}" if conn is not None else ""

    @property
    def tenancy(self):
        from .main_window import _Placeholder  # stands for the tenancy until its record arrives
        node = self.model.root_node
        comp = node.compartment if node is not None else None
        return comp if comp is not None and not isinstance(comp, _Placeholder) else None

    def show_title(self, several: bool) -> None:
        self.title.setText(self.where)
        self.title.setToolTip(f"{self.where}\n{self.session.connection.describe_endpoint()}" if self.session else "")
        self.remove_button.setToolTip(f"Remove {self.where} from the tree")
        self.remove_button.setAccessibleName(f"Remove {self.where} from the tree")
        self.header.setVisible(several)


class AddRootDialog(QDialog):
    """A profile of the profile switcher (the demo sandbox or a config profile) and one of its subscribed
    regions (Identity's region subscriptions)."""

    chosen = Signal(str, str)  # profile key, region

    def __init__(self, entries: list[tuple[str, str]], regions_for: Callable[[str], Awaitable[list]], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Add to the tree")
        self._regions_for = regions_for
        self._tasks = aio.TaskGroup()
        self.profile_combo = QComboBox()
        self.profile_combo.setAccessibleName("Profile")
        for key, label in entries:
            self.profile_combo.addItem(icon("app" if key == "demo" else "user"), label, key)
        self.region_combo = QComboBox()
        self.region_combo.setAccessibleName("Region")
        self.region_combo.setMinimumWidth(220)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setMinimumWidth(420)
        form = QFormLayout()
        form.addRow("&Profile", self.profile_combo)
        form.addRow("&Region", self.region_combo)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Add")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Show another profile, or another region of one, beside what the tree shows."))
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.profile_combo.currentIndexChanged.connect(self._profile_changed)
        self._profile_changed()

    def _profile_changed(self, *_a) -> None:
        key = self.profile_combo.currentData()
        self.region_combo.clear()
        self.ok.setEnabled(False)
        if not key:
            return
        self.message.setText("Reading the profile's region subscriptions…")
        self.message.setStyleSheet("color: palette(mid);")
        self._tasks.replace("regions", self._load(key))

    async def _load(self, key: str) -> None:
        try:
            subs = await self._regions_for(key)
        except OciError as e:
            if key == self.profile_combo.currentData():
                self.message.setText(f"Cannot read the region subscriptions: {e.summary()}")
                self.message.setStyleSheet("color: #b83a2e;")
                self.adjustSize()  # the whole reason shows, wrapped
            return
        if key != self.profile_combo.currentData():
            return
        for name, home in subs:
            self.region_combo.addItem(f"{name}{'  (home)' if home else ''}", name)
        self.message.setText("")
        self.ok.setEnabled(self.region_combo.count() > 0)

    def _accept(self) -> None:
        key, region = self.profile_combo.currentData(), self.region_combo.currentData()
        if key and region:
            self.chosen.emit(key, region)
            self.accept()

    def done(self, r: int) -> None:
        self._tasks.cancel_all()
        super().done(r)


class RootsMixin:
    """The several-roots part of `MainWindow` (it uses the window's session, tree, views and tasks)."""

    # set by the application (gui.app.Console.open_session): a session for a profile key in a region
    session_factory: Callable[[str, str | None], object] | None = None

    def _init_roots(self):
        """The first root around the window's tree; returns the widget that holds every root."""
        self.roots: list[TreeRoot] = []
        self.active_root: TreeRoot | None = None
        self.tree_panes = QSplitter(Qt.Orientation.Vertical)
        self.tree_panes.setObjectName("treeRoots")
        self.tree_panes.setChildrenCollapsible(False)
        self._add_pane(TreeRoot("", None, self.tree_model, self.tree))
        self.active_root = self.roots[0]
        self._roots_restored = False
        self.ready.connect(self._restore_roots)
        return self.tree_panes

    def _restore_roots(self) -> None:
        """Once the first connection is shown at start, the roots added last time come back beside it."""
        if self._roots_restored:
            return
        self._roots_restored = True
        for line in settings.get("tree/roots").splitlines():
            key, _, region = line.rpartition("|")
            if key and region:
                self.add_root(key, region, remember=False, activate=False)

    def _remember_roots(self) -> None:
        settings.set("tree/roots", "\n".join(f"{r.key}|{r.session.connection.region}" for r in self.roots[1:]
                                             if r.session is not None))

    def _add_pane(self, root: TreeRoot) -> None:
        root.view.selectionModel().currentChanged.connect(lambda cur, prev, r=root: self._root_current(r, cur, prev))
        root.remove_button.clicked.connect(lambda _=False, r=root: self.remove_root(r))
        self.roots.append(root)
        self.tree_panes.addWidget(root.pane)

    def _root_current(self, root: TreeRoot, current, previous) -> None:
        if root is not self.active_root:
            if not current.isValid():
                return  # another root's selection cleared as this one was left
            self.activate_root(root)
        self._tree_current(current, previous)

    def _primary_root(self, session, key: str) -> None:
        """`set_session` shows a (new) connection in the first root."""
        first = self.roots[0]
        self._given_session = session  # owned by the application (gui.app.Console), closed there
        if self.active_root is not first:
            self.activate_root(first, select=False)
        first.key = key
        self.session = first.session

    def _roots_changed(self) -> None:
        """After roots come, go or change session: titles, "profile · region" in every view, the search."""
        if self.active_root is not None and self.session is not None:
            self.active_root.session = self.session  # set_session and the region switcher replace it
        several = len(self.roots) > 1
        for r in self.roots:
            if r.session is not None:
                r.show_title(several)
        where = self.active_root.where if several and self.active_root is not None else ""
        self.resources.where = where
        self.detail.where = where
        self.search.set_roots([(r.where if several else "", r.session, r.model.name_of)
                               for r in self.roots if r.session is not None])

    def _root_session_changed(self, new) -> None:
        """The region switcher replaced the active root's session (`_region_chosen`)."""
        self.session = new
        self._roots_changed()
        if self.active_root is not self.roots[0]:
            self._remember_roots()

    def root_of(self, session) -> TreeRoot | None:
        return next((r for r in self.roots if r.session is session), None)

    def activate_root(self, root: TreeRoot, select: bool = True) -> None:
        """Make `root` the window's active connection (the resource list, details, actions, create, banner)."""
        if root is self.active_root:
            return
        old = self.active_root
        self.active_root = root
        if old is not None and old in self.roots:
            old.view.selectionModel().clearSelection()
            old.view.selectionModel().setCurrentIndex(QModelIndex(), old.view.selectionModel().SelectionFlag.Clear)
        self.session = root.session
        self.tree_model = root.model
        self.tree = root.view
        self.tenancy = root.tenancy
        self._connection_key = root.key
        self.resources.clear()
        self.detail.clear()
        if root.session is None:
            return
        self._apply_guard(root.session, root.key)
        i = self.profile_combo.findData(root.key)
        if i >= 0:
            self.profile_combo.setCurrentIndex(i)
        self.endpoint_label.setText(root.session.connection.describe_endpoint())
        self._tasks.replace("regions", self._load_regions(root.session))
        self._roots_changed()
        self._update_action_buttons()
        if select and not root.view.currentIndex().isValid() and root.tenancy is not None:
            self.select(root.tenancy.id)

    # ------------------------------------------------------------ adding and removing
    def open_add_root(self) -> AddRootDialog:
        """View > Add to the tree…"""
        entries = [(self.profile_combo.itemData(i), self.profile_combo.itemText(i))
                   for i in range(self.profile_combo.count()) if self.profile_combo.itemData(i)]
        for r in self.roots:  # connections shown without a profile switcher entry (tests, a failed listing)
            if r.session is not None and r.key and all(k != r.key for k, _ in entries):
                entries.append((r.key, r.session.connection.label))
        dlg = AddRootDialog(entries, self._regions_for, self)
        dlg.chosen.connect(lambda key, region: self.add_root(key, region))
        dlg.open()
        self._last_dialog = dlg
        return dlg

    async def _regions_for(self, key: str) -> list[tuple[str, bool]]:
        """A profile's subscribed regions (READY), home first, as Identity lists them."""
        known = next((r for r in self.roots if r.key == key and r.session is not None), None)
        session = known.session if known is not None else self._new_session(key, None)
        try:
            subs = await idsvc.list_region_subscriptions(session)
        finally:
            if known is None:
                session.close()
        ready = [s for s in subs if s.status == "READY"]
        ready.sort(key=lambda s: (not s.is_home_region, s.region_name))
        return [(s.region_name, bool(s.is_home_region)) for s in ready]

    def _new_session(self, key: str, region: str | None):
        same = next((r for r in self.roots if r.key == key and r.session is not None), None)
        if same is not None:  # the same profile in another region: its session, moved (own clients and pool)
            return same.session.with_region(region) if region else same.session.with_region(
                same.session.connection.region)
        if self.session_factory is None:
            raise OciError(f"The profile {key} cannot be opened here", code="NotAvailable", kind="config")
        return self.session_factory(key, region)

    def add_root(self, key: str, region: str, remember: bool = True, activate: bool = True) -> TreeRoot | None:
        """Show the profile `key` in `region` as another root (its compartments load as they are expanded);
        `remember`: it comes back at the next start."""
        for r in self.roots:
            if r.key == key and r.session is not None and r.session.connection.region == region:
                if activate:
                    self.activate_root(r)
                return r
        try:
            session = self._new_session(key, region)
        except OciError as e:
            self.show_error(f"Cannot add {key} ({region}) to the tree: {e.summary()}", e)
            return None
        from .main_window import _Placeholder
        model = CompartmentTreeModel(self)
        view = QTreeView()
        view.setObjectName("compartmentTree")
        view.setModel(model)
        view.setHeaderHidden(True)
        view.setUniformRowHeights(True)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        model.loadFailed.connect(lambda e: self.show_error(f"Could not load compartments: {e.summary()}"))
        root = TreeRoot(key, session, model, view)
        self._add_pane(root)
        model.set_session(session, _Placeholder(session.tenancy_id))
        session.on_health(lambda h, s=session: s is self.session and self._health_changed(h))
        session.on_waiting(lambda h, s=session: s is self.session and self._waiting_changed(h))
        self._roots_changed()
        root.tasks.replace("connect", self._connect_root(root))
        if remember:
            self._remember_roots()
        return root

    async def _connect_root(self, root: TreeRoot) -> None:
        try:
            tenancy = await idsvc.get_compartment(root.session, root.session.tenancy_id)
        except OciError as e:
            log.info("root %s not opened: %s", root.where, loggable(e))
            root.model.set_failed(f"Cannot open the tenancy: {e.summary()}")
            return
        if root not in self.roots:
            return
        root.model.set_root(tenancy)
        root.view.expand(root.model.index(0, 0))
        if root is self.active_root:
            self.tenancy = tenancy

    def remove_root(self, root: TreeRoot) -> None:
        """Take a root out of the tree and close its session (its thread pool); the last one stays."""
        if root not in self.roots or len(self.roots) < 2:
            return
        self.roots.remove(root)
        if root is self.active_root:
            self.activate_root(self.roots[0])
        root.tasks.cancel_all()
        root.model._tasks.cancel_all()
        root.pane.hide()
        root.pane.setParent(None)
        root.pane.deleteLater()
        if root.session is not None and all(r.session is not root.session for r in self.roots):
            root.session.close()
        self._roots_changed()
        self._remember_roots()

    def close_roots(self) -> None:
        """The window is going away: close the sessions of the roots added here (and their loads)."""
        for r in self.roots:
            r.tasks.cancel_all()
            if r.session is not None and r.session is not getattr(self, "_given_session", None):
                r.session.close()

    def _open_found(self, session, ocid: str, compartment_id: str) -> None:
        """A search result opened: its root becomes the active one, then the resource is shown there."""
        root = self.root_of(session) if session is not None else None
        if root is not None:
            self.activate_root(root, select=False)
        self.open_resource(ocid, compartment_id)
