"""The command palette (Ctrl+Shift+P, Ctrl+K): it reaches every catalog action, kind and create, recent
resources and compartments; a whole create is done with the keyboard only."""

from __future__ import annotations

from ociconsole import catalog
from ociconsole.catalog.palette import Entry, rank
from ociconsole.core.operations import OpState
from ociconsole.gui.confirm import ConfirmDialog
from ociconsole.gui.form_dialog import CreateDialog
from ociconsole.gui.palette import PaletteDialog
from ociconsole.gui.qt import QApplication, QGuiApplication, Qt

from .helpers import open_tree_path, shot, table_rows, top_level


def _entries(*labels):
    return [Entry(label, cat, lambda: None) for cat, label in labels]


def test_fuzzy_ranking():
    es = _entries(("Create", "Create VCN…"), ("Create", "Create volume…"), ("Go to", "VCNs"),
                  ("Action", "Instance: Stop"), ("Action", "Instance: Force stop"), ("Menu", "Refresh"))
    assert rank("create vcn", es)[0].label == "Create VCN…"
    assert rank("crvol", es)[0].label == "Create volume…"
    assert [e.label for e in rank("inst stop", es)][:2] == ["Instance: Stop", "Instance: Force stop"]
    assert rank("zzz", es) == []
    assert rank("", es, recent=[]) and len(rank("", es)) == len(es)


def _open(qtbot, w, search=False):
    """Press Ctrl+Shift+P (Ctrl+K with `search`) in the window; the palette it opens."""
    mods = Qt.KeyboardModifier.ControlModifier | (Qt.KeyboardModifier.NoModifier if search
                                                  else Qt.KeyboardModifier.ShiftModifier)
    # the offscreen platform gives the focus back to no window after a dialog closes (a desktop gives it back
    # to the main window, where its shortcuts live): do what the window manager does
    w.activateWindow()
    w.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is w.windowHandle(), timeout=3000)
    qtbot.keyClick(w, Qt.Key.Key_K if search else Qt.Key.Key_P, mods)
    qtbot.waitUntil(lambda: top_level(PaletteDialog) is not None, timeout=5000)
    return top_level(PaletteDialog)


def test_the_palette_reaches_every_catalog_action(qtbot, window):
    dlg = _open(qtbot, window)
    keys = {e.key for e in dlg.entries}
    for k in catalog.kinds():
        if k.scope == "hidden":
            continue
        assert f"goto:{k.id}" in keys
        if k.create is not None:
            assert f"create:{k.id}" in keys
        for a in k.actions:
            assert f"action:{k.id}:{a.id}" in keys, (k.id, a.id)
    labels = {(e.category, e.label) for e in dlg.entries}
    assert ("Menu", "Refresh") in labels and ("Compartment", "Shared-Tools") in labels
    shortcut = next(e.shortcut for e in dlg.entries if e.label == "Refresh")
    assert shortcut == "F5"  # shortcuts are shown
    shot(dlg, "palette")
    qtbot.keyClick(dlg.input, Qt.Key.Key_Escape)
    assert not dlg.isVisible()


def test_an_action_without_a_selection_asks_which_resource(qtbot, window, gui_emulator):
    w = window
    open_tree_path(qtbot, w, "Development", "Shared-Tools", "Compute", "Instances")
    qtbot.waitUntil(lambda: "jenkins" in table_rows(w.resources), timeout=10_000)
    dlg = _open(qtbot, w)
    qtbot.keyClicks(dlg.input, "instance: reboot")
    assert dlg.shown()[0].label == "Instance: Reboot"
    qtbot.keyClick(dlg.input, Qt.Key.Key_Return)
    assert dlg.isVisible() and "which one?" in dlg.prompt.text()
    qtbot.waitUntil(lambda: dlg.status.text() != "Loading…", timeout=10_000)
    assert sorted(e.label for e in dlg.shown()) == ["bastion", "jenkins"], dlg.status.text()  # running ones
    qtbot.keyClicks(dlg.input, "jenk")
    qtbot.keyClick(dlg.input, Qt.Key.Key_Return)
    assert not dlg.isVisible()
    qtbot.waitUntil(lambda: top_level(ConfirmDialog) is not None, timeout=5000)
    confirm = top_level(ConfirmDialog)
    assert confirm.windowTitle() == "Reboot instance"
    n = len(w.oplog.operations)
    qtbot.keyClick(confirm, Qt.Key.Key_Return)
    assert len(w.oplog.operations) == n + 1 and w.oplog.operations[-1].title == "Rebooting instance jenkins"
    # it is a recent resource now
    dlg = _open(qtbot, w)
    assert ("Recent", "jenkins") in {(e.category, e.label) for e in dlg.entries}
    dlg.reject()


def test_a_whole_create_with_the_keyboard_only(qtbot, window, gui_emulator):
    w = window
    open_tree_path(qtbot, w, "Development", "Networking", "VCNs")
    qtbot.waitUntil(lambda: w.resources.kind is not None and w.resources.kind.id == "network.vcn", timeout=10_000)
    dlg = _open(qtbot, w)
    qtbot.keyClicks(dlg.input, "create vcn")
    assert dlg.shown()[0].label == "Create VCN…"
    qtbot.keyClick(dlg.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: top_level(CreateDialog) is not None and not top_level(CreateDialog).busy, timeout=10_000)
    c = top_level(CreateDialog)
    order = []

    def typed(text):
        f = QApplication.focusWidget()
        order.append(f)
        if text:
            qtbot.keyClicks(f, text)
        qtbot.keyClick(f, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: c.isActiveWindow(), timeout=3000)
    assert QApplication.focusWidget() is c.row("display_name").editor, QApplication.focusWidget()
    typed("kb-vcn")
    assert QApplication.focusWidget() is c.row("compartment_id").editor  # the tab order follows the form
    typed("")
    assert QApplication.focusWidget() is c.row("cidr_block").editor
    f = QApplication.focusWidget()
    f.selectAll()
    typed("10.88.0.0/16")
    assert c.errors() == {}
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Enter: the review page
    qtbot.waitUntil(lambda: c.pages.currentIndex() == 1, timeout=3000)
    with qtbot.waitSignal(c.submitted, timeout=10_000) as sig:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Enter again: create
    qtbot.waitUntil(lambda: sig.args[0].state.done, timeout=10_000)
    assert sig.args[0].state is OpState.SUCCEEDED and sig.args[0].result.display_name == "kb-vcn"


def test_ctrl_k_searches_every_compartment(qtbot, window):
    dlg = _open(qtbot, window, search=True)
    qtbot.keyClicks(dlg.input, "jenkins")
    assert dlg.shown()[0].category == "Search"
    qtbot.keyClick(dlg.input, Qt.Key.Key_Return)
    assert not dlg.isVisible()
    qtbot.waitUntil(lambda: window.search.isVisible(), timeout=5000)
    assert window.search_field.text() == "jenkins"


def test_icon_only_buttons_have_accessible_names(qtbot, window):
    from ociconsole.gui.qt import QtWidgets
    QAbstractButton = QtWidgets.QAbstractButton
    nameless = [b for b in window.findChildren(QAbstractButton)
                if b.isVisible() and not b.text().strip() and not b.accessibleName() and not b.toolTip()]
    assert nameless == [], [type(b).__name__ + ":" + b.objectName() for b in nameless]
