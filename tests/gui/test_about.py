"""The menu bar (File, View, the services' menus, Help last) and Help › About, which shows
the versions and the live connection in a copyable block."""

from __future__ import annotations

import oci

from ociconsole.gui.about import AboutDialog
from ociconsole.gui.qt import QDialogButtonBox, QGuiApplication, QtCore

from .helpers import top_level


def menu_titles(w):
    return [a.text().replace("&", "") for a in w.menuBar().actions()]


def menu_action(w, menu, text):
    m = next(a.menu() for a in w.menuBar().actions() if a.text().replace("&", "") == menu)
    return next(a for a in m.actions() if a.text().replace("&", "") == text)


def test_menus_keep_help_last(window):
    titles = menu_titles(window)
    assert titles[:2] == ["File", "View"] and titles[-1] == "Help"
    assert {"Monitoring", "Storage"} <= set(titles)
    window.menu("&Tools")  # a service added later still lands before Help
    assert menu_titles(window)[-2:] == ["Tools", "Help"]


def test_view_menu_hides_and_shows_the_activity_dock(qtbot, window):
    toggle = menu_action(window, "View", "Activity")
    assert window.activity.isVisible()
    toggle.trigger()
    qtbot.waitUntil(lambda: not window.activity.isVisible(), timeout=2000)
    toggle.trigger()
    qtbot.waitUntil(window.activity.isVisible, timeout=2000)


def test_about_shows_versions_and_the_connection(qtbot, window, session):
    menu_action(window, "Help", "About ociconsole").trigger()
    qtbot.waitUntil(lambda: top_level(AboutDialog) is not None, timeout=2000)
    dlg = top_level(AboutDialog)
    text = dlg.ui.detailsEdit.toPlainText()
    assert dlg.ui.versionLabel.text().startswith("Version ")
    assert "OCI Python SDK:" in text and oci.__version__ in text
    assert QtCore.qVersion() in text
    assert session.connection.tenancy_id in text
    assert session.connection.region in text
    assert "demo sandbox at http://127.0.0.1" in text
    assert "read-write" in text
    assert dlg.ui.detailsEdit.isReadOnly()
    qtbot.mouseClick(dlg.ui.copyButton, QtCore.Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == text
    assert dlg.ui.copyButton.text() == "Copied"
    dlg.ui.buttonBox.button(QDialogButtonBox.StandardButton.Close).click()
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=2000)


def test_about_without_a_connection(qtbot, aloop):
    dlg = AboutDialog(None)
    qtbot.addWidget(dlg)
    text = dlg.ui.detailsEdit.toPlainText()
    assert "Connection:" not in text and "Log folder:" in text
