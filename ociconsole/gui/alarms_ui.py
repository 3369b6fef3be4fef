"""The firing-alarms badge of the status bar: "2 alarms firing" in red (hidden when none),
kept current by a modest poll (one ListAlarmsStatus call for the tenancy every POLL_SECONDS,
through the service layer; paused while the window is hidden, stopped when it closes) and
refreshed soon after an alarm or metric operation ends. Clicking it lists the firing alarms;
choosing one opens it in its compartment's Alarms list.

`create_alarm_from_chart` opens the alarm dialog (the generic form of `catalog.monitoring.alarm_form`)
prefilled from a dashboard chart: its compartment, namespace, metric, dimension filters, statistic,
interval, grouping and threshold line.

An alarm that starts firing is announced once on the desktop where the platform has a system
tray (QSystemTrayIcon.showMessage); `notifications` keeps what was announced (tests, and
platforms without a tray such as headless CI).
"""

from __future__ import annotations

import asyncio
import logging

from ..core.errors import OciError
from ..core.operations import OpState
from ..services import monitoring as mon
from . import aio, theme
from .icons import icon
from .qt import QMenu, QObject, QPoint, Qt, QTimer, QToolButton, QtWidgets, Signal

log = logging.getLogger(__name__)

POLL_SECONDS = 60
SOON_SECONDS = 1.5  # after an alarm / metric operation: look again shortly
SEVERITY_ORDER = {"CRITICAL": 0, "ERROR": 1, "WARNING": 2, "INFO": 3}


class _Relay(QObject):
    """Operation-log events arrive on any thread: a queued signal brings them to the GUI thread."""

    event = Signal(object)


class AlarmBadge(QToolButton):
    changed = Signal(int)  # firing alarms after a poll
    polled = Signal()  # a poll ended (even when nothing changed, or it failed)
    notified = Signal(str, str)  # title, message of a desktop notification
    alarmOperationDone = Signal(object)  # an operation on an alarm (or a metric post) succeeded

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.main_window = window
        self.setObjectName("alarmBadge")
        self.firing: list = []  # AlarmStatusSummary of the firing alarms, most severe first
        self.notifications: list[tuple[str, str]] = []
        self.last_error: OciError | None = None
        self.polls = 0
        self._known: set[str] | None = None  # ids firing at the previous poll (None: no poll yet)
        self._tasks = aio.TaskGroup()
        self._tray = None
        self._alive = True
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_SECONDS * 1000)
        self.timer.timeout.connect(self._tick)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.timeout.connect(self.poll)
        self._relay = _Relay(self)
        self._relay.event.connect(self._operation_event, Qt.ConnectionType.QueuedConnection)
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setIcon(icon("alarm"))
        self.setStyleSheet(f"QToolButton#alarmBadge {{ color: white; background: {theme.colour('badge')};"
                           " border-radius: 8px;"
                           " padding: 1px 8px; font-weight: bold; }"
                           f"QToolButton#alarmBadge:hover {{ background: {theme.colour('badge_hover')}; }}")
        self.clicked.connect(self.show_menu)
        self.hide()
        oplog = getattr(window, "oplog", None)
        if oplog is not None:
            oplog.subscribe(self._log_listener)

    # ------------------------------------------------------------ polling
    def start(self) -> None:
        """Poll now and every POLL_SECONDS."""
        if not self._alive:
            return
        self.timer.start()
        self.poll()

    def stop(self) -> None:
        """No more polls (the window is closing)."""
        self._alive = False
        self.timer.stop()
        self._soon.stop()
        self._tasks.cancel_all()
        oplog = getattr(self.main_window, "oplog", None)
        if oplog is not None:
            oplog.unsubscribe(self._log_listener)
        if self._tray is not None:
            self._tray.hide()

    def _tick(self) -> None:
        if self.main_window.isVisible():  # a hidden window does not poll
            self.poll()

    def poll(self):
        """Ask for the firing alarms now (returns the task)."""
        session = getattr(self.main_window, "session", None)
        if not self._alive or session is None:
            return None
        try:  # the event loop the window ran on has ended (its window was never closed): poll no more
            loop = asyncio.get_event_loop()
        except RuntimeError:
            loop = None
        if loop is None or loop.is_closed():
            self.stop()
            return None
        return self._tasks.replace("poll", self._poll(session))

    def poll_soon(self) -> None:
        if self._alive:
            self._soon.start(int(SOON_SECONDS * 1000))

    async def _poll(self, session) -> None:
        try:
            firing = await mon.firing_alarms(session)
        except OciError as e:
            self.last_error = e
            self.setToolTip(f"Could not check the alarms: {e.summary()}")
            self.polled.emit()
            return
        except RuntimeError:  # the session was closed meanwhile (another profile or region): the next poll
            return
        if session is not getattr(self.main_window, "session", None) or not self._alive:
            return
        self.last_error = None
        self.polls += 1
        self.set_firing(firing)
        self.polled.emit()

    def set_firing(self, firing: list) -> None:
        firing = sorted(firing, key=lambda s: (SEVERITY_ORDER.get(s.severity, 9), (s.display_name or "").lower()))
        ids = {s.id for s in firing}
        new = [s for s in firing if self._known is not None and s.id not in self._known]
        self._known = ids
        self.firing = firing
        n = len(firing)
        if n:
            self.setText(f"{n} alarm{'s' if n != 1 else ''} firing")
            self.setToolTip("\n".join(f"{s.severity}  {s.display_name}" for s in firing[:12])
                            + ("\n…" if n > 12 else "") + "\n\nClick to see them")
        self.setVisible(n > 0)
        if new:
            if len(new) == 1:
                title, msg = f"Alarm firing: {new[0].display_name}", f"{new[0].severity}: {new[0].alarm_summary or ''}"
            else:
                title = f"{len(new)} alarms started firing"
                msg = ", ".join(s.display_name for s in new[:5])
            self.notify(title, msg.strip())
        self.changed.emit(n)

    # ------------------------------------------------------------ notifications
    def notify(self, title: str, message: str) -> bool:
        """A desktop notification where the platform has a system tray; always recorded."""
        self.notifications.append((title, message))
        self.notified.emit(title, message)
        Tray = QtWidgets.QSystemTrayIcon
        if not Tray.isSystemTrayAvailable():
            return False
        if self._tray is None:
            self._tray = Tray(self.main_window.windowIcon(), self)
            self._tray.setToolTip("OCI Console")
            self._tray.messageClicked.connect(self.show_menu)
        self._tray.show()
        self._tray.showMessage(title, message, Tray.MessageIcon.Warning, 10_000)
        return True

    # ------------------------------------------------------------ operations hint a change
    def _log_listener(self, op, event: str) -> None:
        self._relay.event.emit(op)

    def _operation_event(self, op) -> None:
        if op.state == OpState.SUCCEEDED and ("alarm" in op.title.lower() or op.title.startswith("Post ")):
            self.poll_soon()
            self.alarmOperationDone.emit(op)

    # ------------------------------------------------------------ the list
    def show_menu(self) -> QMenu:
        m = QMenu(self)
        m.setObjectName("firingAlarms")
        if not self.firing:
            m.addAction("No alarm is firing").setEnabled(False)
        for s in self.firing[:20]:
            since = ""
            if s.timestamp_triggered is not None:
                since = "  — since " + s.timestamp_triggered.astimezone().strftime("%H:%M")
            a = m.addAction(icon("alarm"), f"{s.severity.title()}: {s.display_name}{since}")
            a.setToolTip(s.alarm_summary or "")
            a.triggered.connect(lambda _=False, ident=s.id: self.open_alarm(ident))
        m.addSeparator()
        m.addAction(icon("refresh"), "Check now", self.poll)
        top = self.mapToGlobal(QPoint(0, 0))  # the status bar is at the bottom: open upwards
        m.popup(QPoint(top.x(), top.y() - m.sizeHint().height()))
        self.menu_shown = m
        return m

    def open_alarm(self, alarm_id: str) -> None:
        self._tasks.replace("open", self._open(alarm_id))

    async def _open(self, alarm_id: str) -> None:
        session = self.main_window.session
        try:
            alarm = await mon.get_alarm(session, alarm_id)
        except OciError as e:
            self.main_window.show_error(f"Cannot open the alarm: {e.summary()}", e)
            return
        self.main_window.open_resource(alarm.id, alarm.compartment_id)

    @property
    def count(self) -> int:
        return len(self.firing) if self.isVisible() else 0



# ---------------------------------------------------------------- an alarm from a dashboard chart

def create_alarm_from_chart(view, chart, range_seconds: int):
    """Open "Create alarm" prefilled from `chart` (a dashboard's ChartQuery) over the window of the
    dashboard `view`; the values are read first (a chart of a compartment's subtree needs its
    resources, see `moncat.alarm_from_chart`). Returns the task (its result: the dialog or None)."""
    window = getattr(view, "main_window", None)
    if window is None or getattr(window, "session", None) is None:
        view.status.setText("Alarms are created from the console's window")
        return None
    if window.session.read_only:
        view.status.setText("This profile is read-only: creating alarms is disabled.")
        return None
    from ..services.monitoring import auto_interval
    view.status.setText(f"Preparing an alarm on {chart.title}…")
    return view._tasks.replace("alarm", _open_alarm(view, window, chart.to_json(), auto_interval(range_seconds)))


async def _open_alarm(view, window, chart: dict, interval: str):
    session = window.session
    try:
        from ..catalog import monitoring as moncat
        values = await moncat.alarm_from_chart(session, chart, interval)
    except OciError as e:
        view.status.setText(f"Cannot prepare the alarm: {e.summary()}")
        return None
    if window.session is not session:
        return None
    view.status.setText("")
    window.open_form(moncat.alarm_form(initial=values))
    return getattr(window, "_last_dialog", None)
