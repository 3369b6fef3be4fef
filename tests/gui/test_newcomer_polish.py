"""Issue 18, item 12: the CPU template opens the dashboard it made before (no "(2)"); a live dashboard
refreshes itself by default; kinds are named as in a sentence ("Create VCN", not "Create vcn"); an
empty list says what it holds and the first thing to do; the activity dock has room for a few rows."""

from __future__ import annotations

import pytest

from ociconsole.gui.main_window import MainWindow
from ociconsole.gui.qt import QApplication

from .helpers import open_tree_path, shot


@pytest.fixture
def window(qtbot, aloop, session):
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=15_000):
        w.set_session(session, "demo")
    yield w
    w.close()


def test_cpu_template_opens_the_existing_dashboard_live(qtbot, window):
    open_tree_path(qtbot, window, "Production")
    for _ in range(3):
        window.monitoring.menu.aboutToShow.emit()
        window.monitoring.template_action.trigger()
        view = window.centre.currentWidget()
        qtbot.waitUntil(lambda v=view: v.last_refresh_seconds is not None, timeout=15_000)
    assert view.store.names() == ["CPU across instances of Production"]
    assert view.auto.isChecked() and view._timer.isActive()  # the range ends now: it keeps itself current
    shot(window, "newcomer-12-dashboard")


def test_wording_empty_state_and_activity_room(qtbot, window):
    open_tree_path(qtbot, window, "Development", "Sandbox", "Networking", "VCNs")
    qtbot.waitUntil(lambda: window.resources.placeholder.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: "No VCNs" in window.resources.placeholder.text(), timeout=10_000)
    assert window.resources.placeholder.text() == \
        "No VCNs in Sandbox. Create a VCN (Ctrl+N) or pick another compartment."
    assert window.create_action.text() == "Create VCN"
    assert window.resources.create_button.text() == "Create VCN"
    assert window.activity.widget().minimumHeight() >= 120
    assert window.activity.height() >= 120
    QApplication.processEvents()
    shot(window, "newcomer-12")
