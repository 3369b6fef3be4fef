"""The Logging extension of the main window (gui.views.register_extension): Logging > Log Explorer…
(Ctrl+Shift+L, also on the toolbar) opens the Log Explorer (gui/log_explorer.py) in the window's centre on the
current compartment; opening a log group or a log (double-click, Enter) opens it there with that group or log
picked and searched (the view "logs" of catalog.logging's kinds)."""

from __future__ import annotations

from . import views
from .icons import icon
from .qt import QKeySequence, QObject


class LoggingExtension(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        menu = window.menu("&Logging")
        self.explorer_action = menu.addAction(icon("report"), "Log &Explorer…", self.show_explorer)
        self.explorer_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.explorer_action.setToolTip("Search and live-tail logs (Ctrl+Shift+L)")
        window.toolbar.addAction(self.explorer_action)
        menu.aboutToShow.connect(self._update)
        window.ready.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.explorer_action.setEnabled(self.window.session is not None)

    def show_explorer(self, compartment_id: str | None = None):
        from .log_explorer import LogExplorer
        w = self.window
        if w.session is None:
            return None
        comp = compartment_id or (w.current_compartment.id if w.current_compartment is not None
                                  else w.session.tenancy_id)
        v = LogExplorer(w.session, window=w)
        w.show_view(v)
        v.load(comp)
        return v


def _open_logs(window, session, kind, resource):
    from .log_explorer import LogExplorer
    v = LogExplorer(session, window=window)
    v.open_resource(resource)
    return v


views.register_extension(LoggingExtension)
views.register_view("logs", _open_logs)
