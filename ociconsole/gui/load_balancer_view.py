"""A load balancer as one page (the view `load_balancer`: load balancers declare `browser = "load_balancer"`).

The page draws listeners -> backend sets -> backends as chips coloured by health (green OK, amber WARNING, red
CRITICAL, grey UNKNOWN); each chip's menu edits or deletes that part in place (the catalog's forms). The
Health tab lists every backend with its health and the reason (services.load_balancer.overview, which also
names the instance behind each address). The page reads the load balancer again when one of its operations
ends, on Refresh, and every 30 seconds (a backend's instance may stop meanwhile).
"""

from __future__ import annotations

import logging

from ..catalog import load_balancer as lbcat
from ..core.errors import OciError, loggable
from ..services import load_balancer as svc
from . import aio
from .icons import icon
from .qt import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    Qt,
    QTabWidget,
    QTimer,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import help_colour

log = logging.getLogger(__name__)

HEALTH_COLOURS = {"OK": "#2e8b45", "WARNING": "#c98a00", "CRITICAL": "#b83a2e", "UNKNOWN": "#6b6b6b"}
REFRESH_MS = 30_000


class Chip(QToolButton):
    """One part of the diagram: its name and facts on a background of its health colour; a menu of actions."""

    def __init__(self, text: str, health: str | None, tooltip: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.health = health or ""
        self.setText(text)
        self.setToolTip(tooltip)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        colour = HEALTH_COLOURS.get(health or "", None)
        if colour:
            self.setStyleSheet(f"QToolButton {{ background: {colour}; color: white; border-radius: 4px; "
                               "padding: 5px 10px; text-align: left; } QToolButton::menu-indicator { width: 0; }")
        else:
            self.setStyleSheet("QToolButton { border: 1px solid palette(mid); border-radius: 4px; padding: 5px 10px;"
                               " } QToolButton::menu-indicator { width: 0; }")

    def add(self, label: str, fn) -> None:
        menu = self.menu()
        if menu is None:
            menu = QMenu(self)
            self.setMenu(menu)
        menu.addAction(label, fn)


def _arrow() -> QLabel:
    a = QLabel("→")
    a.setAlignment(Qt.AlignmentFlag.AlignCenter)
    a.setFixedWidth(24)
    return a


class LoadBalancerPage(QWidget):
    """The page of one load balancer."""

    loaded = Signal()
    wide = False  # the details pane (with the Metrics tab) stays beside it

    def __init__(self, window, session, kind, lb, parent=None):
        super().__init__(parent)
        self.setObjectName("loadBalancerPage")
        self.window_, self.session, self.kind, self.lb = window, session, kind, lb
        self.overview: svc.Overview | None = None
        self.chips: dict[str, Chip] = {}  # "listener:<name>", "set:<name>", "backend:<set>/<name>"
        self._tasks = aio.TaskGroup()
        self._build()
        self.window_.oplog.subscribe(self._op_event)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.reload)
        self._timer.start()
        self._show_header()
        self.reload()

    # ------------------------------------------------------------ layout
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 0)
        head = QHBoxLayout()
        self.back_button = QToolButton()
        self.back_button.setIcon(icon("back"))
        self.back_button.setText("Load balancers")
        self.back_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.back_button.setAutoRaise(True)
        self.back_button.clicked.connect(self.window_.show_list)
        head.addWidget(self.back_button)
        self.title = QLabel()
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.25)
        f.setBold(True)
        self.title.setFont(f)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head.addWidget(self.title)
        self.health_badge = QLabel()
        head.addWidget(self.health_badge)
        head.addStretch(1)
        self.refresh_button = QToolButton()
        self.refresh_button.setIcon(icon("refresh"))
        self.refresh_button.setToolTip("Read the load balancer and its health again")
        self.refresh_button.clicked.connect(self.reload)
        head.addWidget(self.refresh_button)
        lay.addLayout(head)
        self.facts = QLabel()
        self.facts.setStyleSheet(f"color: {help_colour(self)};")
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.facts)

        bar = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for action_id in ("add_listener", "add_backend_set", "add_backends", "add_certificate", "bandwidth"):
            action = self.kind.action(action_id)
            if action is None:
                continue
            b = QPushButton(icon(action.icon), action.label)
            b.setAutoDefault(False)
            b.clicked.connect(lambda _=False, a=action: self.window_.request_action(self.kind, a, [self.lb]))
            bar.addWidget(b)
            self.buttons[action_id] = b
        self.dashboard_button = QPushButton(icon("dashboard"), "Dashboard")
        self.dashboard_button.setToolTip("A dashboard of this load balancer's requests, errors and backends")
        self.dashboard_button.clicked.connect(self.open_dashboard)
        bar.addWidget(self.dashboard_button)
        bar.addStretch(1)
        lay.addLayout(bar)

        self.tabs = QTabWidget()
        self.diagram_area = QScrollArea()
        self.diagram_area.setWidgetResizable(True)
        self.diagram_area.setFrameShape(QFrame.Shape.NoFrame)
        self.diagram = QWidget()
        self.diagram_area.setWidget(self.diagram)
        self.tabs.addTab(self.diagram_area, "Listeners → backend sets → backends")
        self.health = QTreeWidget()
        self.health.setColumnCount(5)
        self.health.setHeaderLabels(["Backend set", "Backend", "Instance", "Health", "Reason"])
        self.health.setRootIsDecorated(False)
        self.health.setAlternatingRowColors(True)
        self.tabs.addTab(self.health, "Health")
        lay.addWidget(self.tabs, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.message)

    def _show_header(self) -> None:
        lb = self.lb
        self.title.setText(lb.display_name)
        self.title.setToolTip(lb.id)
        self.facts.setText(" · ".join(x for x in [
            lb.lifecycle_state, lbcat.shape_text(lb), lbcat.addresses(lb), "private" if lb.is_private else "public",
            f"{len(lb.listeners or {})} listeners, {len(lb.backend_sets or {})} backend sets"] if x))
        for action_id, b in self.buttons.items():
            action = self.kind.action(action_id)
            b.setEnabled(action is not None and action.allowed_for(lb) and not self.session.read_only)

    # ------------------------------------------------------------ data
    def reload(self) -> None:
        self._tasks.replace("load", self._load())

    async def _load(self) -> None:
        try:
            lb = await svc.get_load_balancer(self.session, self.lb.id)
            ov = await svc.overview(self.session, lb)
        except OciError as e:
            log.debug("load balancer %s not read: %s", self.lb.id, loggable(e))
            self.message.setText(f"Cannot read the load balancer: {e.message}")
            return
        self.lb, self.overview = lb, ov
        self.message.setText("")
        self._show_header()
        self._show(ov)
        self.loaded.emit()

    def _op_event(self, op, event: str) -> None:
        if getattr(op, "resource_id", None) == self.lb.id and op.state.done:
            self.reload()

    # ------------------------------------------------------------ drawing
    def _show(self, ov: svc.Overview) -> None:
        colour = HEALTH_COLOURS.get(ov.status, "#6b6b6b")
        self.health_badge.setText(ov.status)
        self.health_badge.setMinimumWidth(self.health_badge.fontMetrics().horizontalAdvance(ov.status) + 20)
        self.health_badge.setStyleSheet(f"background: {colour}; color: white; padding: 2px 8px; border-radius: 3px;")
        self.health_badge.setToolTip("Overall health of the load balancer")
        old = self.diagram
        self.diagram = QWidget()
        self.chips = {}
        col = QVBoxLayout(self.diagram)
        col.setSpacing(10)
        if not ov.backend_sets:
            empty = QLabel("No backend sets yet: add one, then backends and a listener.")
            empty.setStyleSheet(f"color: {help_colour(self)};")
            col.addWidget(empty)
        for bs in ov.backend_sets:
            row = QHBoxLayout()
            listeners = QVBoxLayout()
            mine = [li for li in ov.listeners if li.backend_set == bs.name]
            for li in mine:
                chip = Chip(f"{li.name}\n{li.protocol} :{li.port}", None,
                            f"Listener {li.name}: {li.protocol} on port {li.port}, idle timeout {li.idle_timeout} s"
                            + (f", certificate {li.certificate}" if li.certificate else ""))
                chip.add("Edit…", lambda n=li.name: self._open(lbcat.edit_listener_form(self.lb, n)))
                chip.add("Delete listener…", lambda n=li.name: self._open(lbcat.delete_part_form(self.lb, "listener",
                                                                                                  n)))
                self.chips[f"listener:{li.name}"] = chip
                listeners.addWidget(chip)
            if not mine:
                none = QLabel("(no listener)")
                none.setStyleSheet(f"color: {help_colour(self)};")
                listeners.addWidget(none)
            row.addLayout(listeners, 2)
            row.addWidget(_arrow())
            chip = Chip(f"{bs.name}\n{bs.policy.replace('_', ' ').lower()} · {bs.status}", bs.status,
                        f"Backend set {bs.name}: {bs.status}; health check {bs.health_checker}")
            chip.add("Add backends…", lambda n=bs.name: self.add_backends(n))
            chip.add("Edit health check…", lambda n=bs.name: self._open(lbcat.health_checker_form(self.lb, n)))
            chip.add("Delete backend set…",
                     lambda n=bs.name: self._open(lbcat.delete_part_form(self.lb, "backend_set", n)))
            self.chips[f"set:{bs.name}"] = chip
            row.addWidget(chip, 2)
            row.addWidget(_arrow())
            backends = QVBoxLayout()
            for b in bs.backends:
                who = f"{b.instance.name}  " if b.instance else ""
                flags = [f for f, on in (("backup", b.backup), ("drain", b.drain), ("offline", b.offline)) if on]
                chip = Chip(f"{who}{b.name} · w{b.weight}{' · ' + ', '.join(flags) if flags else ''}", b.status,
                            f"{b.status}: {b.reason}")
                chip.add("Edit…", lambda s=bs.name, n=b.name: self._edit_backend(s, n))
                chip.add("Remove…", lambda s=bs.name, n=b.name: self._open(lbcat.remove_backend_form(self.lb, s, n)))
                self.chips[f"backend:{bs.name}/{b.name}"] = chip
                backends.addWidget(chip)
            if not bs.backends:
                none = QLabel("(no backends)")
                none.setStyleSheet(f"color: {help_colour(self)};")
                backends.addWidget(none)
            row.addLayout(backends, 3)
            col.addLayout(row)
            line = QFrame()
            line.setFrameShape(QFrame.Shape.HLine)
            line.setFrameShadow(QFrame.Shadow.Sunken)
            col.addWidget(line)
        col.addStretch(1)
        self.diagram_area.setWidget(self.diagram)  # (the area deletes the old one)
        _ = old
        self.health.clear()
        for bs, b in ov.backends():
            item = QTreeWidgetItem([bs.name, b.name, b.instance.name if b.instance else "", b.status, b.reason])
            from .qt import QColor
            item.setForeground(3, QColor(HEALTH_COLOURS.get(b.status, "#6b6b6b")))
            self.health.addTopLevelItem(item)
        for c in range(4):
            self.health.resizeColumnToContents(c)

    # ------------------------------------------------------------ actions
    def _open(self, spec) -> None:
        self.window_.open_form(spec)

    def _edit_backend(self, set_name: str, backend_name: str) -> None:
        bs = (self.lb.backend_sets or {}).get(set_name)
        backend = next((b for b in (bs.backends if bs else []) if b.name == backend_name), None)
        if backend is not None:
            self._open(lbcat.backend_form(self.lb, set_name, backend))

    def add_backends(self, set_name: str | None = None) -> None:
        self._tasks.replace("backends-form", self._backends_form(set_name))

    async def _backends_form(self, set_name: str | None) -> None:
        try:
            instances = await svc.vcn_instances(self.session, self.lb)
        except OciError as e:
            self.message.setText(f"Cannot list the instances of the VCN: {e.message}")
            return
        self._open(lbcat.backends_form_for(self.lb, instances, set_name))

    def open_dashboard(self):
        from ..services.dashboards import load_balancer_template
        mon = getattr(self.window_, "monitoring", None)
        if mon is None:
            return None
        v = mon.dashboard_view()
        self.window_.show_view(v)
        d, _made = v.store.ensure(load_balancer_template(self.lb.compartment_id, "", self.lb.id,
                                                         self.lb.display_name))
        v.set_dashboard(d)
        return v

    # ------------------------------------------------------------ lifetime
    def shutdown(self) -> None:
        self._timer.stop()
        self._tasks.cancel_all()
        self.window_.oplog.unsubscribe(self._op_event)


def _open_page(window, session, kind, lb):
    return LoadBalancerPage(window, session, kind, lb)


def register() -> None:
    from . import views
    views.register_view("load_balancer", _open_page)


register()
