"""The Monitoring extension of the main window (gui.views.register_extension):

- a Monitoring menu: Dashboards…, "CPU across all instances of <current compartment>" (a new
  dashboard in two clicks), Alarms, Post custom metric…, Underutilized resources…;
- the firing-alarms badge in the status bar (gui.alarms_ui), polling while the window is open.

The dashboard and report views are shown in the window's centre (`window.show_view`); their
modules (and pyqtgraph) load the first time one is opened.
"""

from __future__ import annotations

from . import settings, views
from .alarms_ui import AlarmBadge
from .icons import icon
from .qt import QEvent, QKeySequence, QObject

settings.SCHEMA.setdefault("monitoring/last_dashboard", settings.Setting(
    "monitoring/last_dashboard", str, "", "the dashboard file last opened (Monitoring > Dashboards…)"))

ALARMS_KIND = "monitoring.alarm"  # catalog.monitoring.ALARMS (imported when first used, not at start-up)


class MonitoringExtension(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        menu = window.menu("&Monitoring")
        self.menu = menu
        self.dashboards_action = menu.addAction(icon("dashboard"), "&Dashboards…", self.show_dashboards)
        self.dashboards_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.template_action = menu.addAction(icon("dashboard"), "CPU across all instances…", self.new_cpu_dashboard)
        menu.addSeparator()
        self.alarms_action = menu.addAction(icon("alarm"), "&Alarms", self.show_alarms)
        self.post_action = menu.addAction(icon("metric"), "&Post custom metric…", self.post_metric)
        menu.addSeparator()
        self.report_action = menu.addAction(icon("report"), "&Underutilized resources…", self.show_report)
        menu.aboutToShow.connect(self._update_labels)
        self._update_labels()

        self.badge = AlarmBadge(window)
        window.add_status_widget(self.badge)
        window.ready.connect(self.badge.start)
        window.ready.connect(self._update_labels)
        self.badge.alarmOperationDone.connect(self._alarm_changed)
        window.installEventFilter(self)

    # ------------------------------------------------------------ lifecycle
    def eventFilter(self, obj, event) -> bool:
        if obj is self.window and event.type() == QEvent.Type.Close:
            self.badge.stop()
        return False

    def _alarm_changed(self, op) -> None:
        """An alarm was changed (or data posted): the alarm list re-reads the statuses."""
        res = self.window.resources
        if res.kind is not None and res.kind.id == ALARMS_KIND and "alarm" in op.title.lower() \
                and self.window.centre.currentWidget() is res:
            res.reload(quiet=True)

    def _compartment(self):
        w = self.window
        return w.current_compartment if w.current_compartment is not None else w.tenancy

    def _update_labels(self) -> None:
        comp = self._compartment()
        name = getattr(comp, "name", None) or "the tenancy"
        self.template_action.setText(f"CPU across all instances of {name}")
        ro = self.window.session is None or self.window.session.read_only
        self.post_action.setEnabled(not ro)
        for a in (self.dashboards_action, self.template_action, self.alarms_action, self.report_action):
            a.setEnabled(self.window.session is not None)

    # ------------------------------------------------------------ dashboards
    def dashboard_view(self, create: bool = True):
        """The dashboard view in the window's centre (made when needed)."""
        from .dashboard import DashboardView
        w = self.window
        for i in range(w.centre.count()):
            v = w.centre.widget(i)
            if isinstance(v, DashboardView) and v.session is w.session:
                return v
        if not create or w.session is None:
            return None
        v = DashboardView(w.session, window=w)
        v.dashboardChanged.connect(lambda d: settings.set("monitoring/last_dashboard",
                                                          str(d.path) if d is not None and d.path else ""))
        return v

    def show_dashboards(self):
        """Monitoring > Dashboards…: the dashboard view, with the last dashboard opened."""
        if self.window.session is None:
            return None
        v = self.dashboard_view()
        if v.dashboard is None:
            from pathlib import Path
            last = settings.get("monitoring/last_dashboard")
            entries = v.store.list()
            if last and Path(last).exists():
                v.open_path(Path(last))
            elif entries:
                v.open_path(entries[0][1])
        self.window.show_view(v)
        return v

    def new_cpu_dashboard(self):
        """A new "CPU across all instances of <compartment>" dashboard, shown at once."""
        if self.window.session is None:
            return None
        v = self.dashboard_view()
        comp = self._compartment()
        self.window.show_view(v)
        v.new_from_template(comp)
        return v

    # ------------------------------------------------------------ alarms, metrics, reports
    def show_alarms(self) -> None:
        w = self.window
        comp = self._compartment()
        if comp is not None:
            w.select(comp.id, ALARMS_KIND)

    def post_metric(self):
        w = self.window
        if w.session is None:
            return None
        if w.session.read_only:
            w.show_error("This profile is read-only: posting metrics is disabled.")
            return None
        from ..catalog import monitoring as moncat  # imported when first used (not at start-up)
        w.open_form(moncat.POST_METRIC_FORM)
        return getattr(w, "_last_dialog", None)

    def show_report(self):
        from .reports import UnderutilizedView
        w = self.window
        if w.session is None:
            return None
        v = UnderutilizedView(w.session, window=w)
        w.show_view(v)
        return v


def install(window) -> None:
    window.monitoring = MonitoringExtension(window)


views.register_extension(install)
