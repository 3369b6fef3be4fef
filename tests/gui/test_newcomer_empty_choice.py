"""Issue 18, item 11: an empty choice is no dead end. Launching an instance in a compartment without
VCNs says so and offers "Pick another compartment" (focuses the compartment field the choice depends
on) and "Create a VCN here…" (the VCN create dialog; the new VCN becomes the choice). An alarm on a
compartment without metrics says in which compartments metrics exist."""

from __future__ import annotations

from ociconsole.core.operations import OpState
from ociconsole.gui.qt import QApplication, Qt

from .helpers import click, open_tree_path, retype, shot


def dialogs(cls):
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()]


def test_no_vcn_offers_another_compartment_or_a_new_vcn(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Development", "Sandbox", "Compute", "Instances")
    qtbot.keyClick(window.tree, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(dialogs(CreateDialog)) == 1, timeout=5000)
    dlg = dialogs(CreateDialog)[0]
    row = dlg.row("vcn_id")
    qtbot.waitUntil(lambda: getattr(row, "way_out", None) is not None and row.way_out.isVisible(), timeout=10_000)
    text = row.way_out.text()
    assert "No VCN in Sandbox." in text, text
    assert "Pick another compartment" in text and "Create a VCN here…" in text, text
    shot(dlg, "newcomer-11")

    row.way_out.linkActivated.emit("compartment")  # what a click on the link sends
    qtbot.waitUntil(lambda: dlg.row("network_compartment_id").editor.hasFocus(), timeout=2000)

    row.way_out.linkActivated.emit("create")
    qtbot.waitUntil(lambda: len(dialogs(CreateDialog)) == 2, timeout=5000)
    vcn_dlg = next(d for d in dialogs(CreateDialog) if d is not dlg)
    assert vcn_dlg.windowTitle() == "Create VCN"
    assert vcn_dlg.row("compartment_id").editor.currentText().strip() == "Sandbox"
    qtbot.waitUntil(lambda: not vcn_dlg.busy, timeout=10_000)
    retype(qtbot, vcn_dlg.row("display_name").editor, "sandbox-vcn")
    qtbot.waitUntil(lambda: vcn_dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, vcn_dlg.review_button)
    click(qtbot, vcn_dlg.create_button)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED, op.error
    # the launch dialog now offers (and chose) the new VCN; the way-out line is gone
    qtbot.waitUntil(lambda: row.editor.currentText().startswith("sandbox-vcn"), timeout=10_000)
    assert not row.way_out.isVisible()
    dlg.reject()


def test_no_metrics_says_where_metrics_exist(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Development", "Sandbox", "Observability", "Alarms")
    qtbot.keyClick(window.tree, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(dialogs(CreateDialog)) == 1, timeout=5000)
    dlg = dialogs(CreateDialog)[0]
    row = dlg.row("namespace")
    qtbot.waitUntil(lambda: getattr(row, "way_out", None) is not None and "Metrics exist in" in row.way_out.text(),
                    timeout=10_000)
    text = row.way_out.text()
    assert text.startswith("No metric namespace in Sandbox. Metrics exist in "), text
    assert "Pick another compartment" in text and "ocid1." not in text and "Frontend" in text, text
    shot(dlg, "newcomer-11-metrics")
    dlg.reject()
