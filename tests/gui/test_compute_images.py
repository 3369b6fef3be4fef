"""Compute through the window against the real emulator: "Create image…" on an instance (the form, its
CLI, tracked until the image is AVAILABLE), the image then listed under Custom images, and a render."""

from __future__ import annotations

from ociconsole.core.operations import OpState

from .helpers import click, open_tree_path, retype, shot, table_rows
from .test_volumes import dialog, select_row, trigger


def test_create_image_from_an_instance(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Development", "Shared-Tools", "Compute", "Instances")
    qtbot.waitUntil(lambda: "jenkins" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "jenkins")
    trigger(window, "Create image…")
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    assert dlg.create_button.text() == "Create image"
    retype(qtbot, dlg.row("display_name").editor, "jenkins-golden")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci compute image create" in cli and "--display-name jenkins-golden" in cli
    assert "--wait-for-state AVAILABLE" in cli
    shot(dlg, "compute")
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    assert op.title == "Create image jenkins-golden from jenkins"
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED and op.detail == "AVAILABLE", (op.detail, op.error)
    open_tree_path(qtbot, window, "Development", "Shared-Tools", "Compute", "Custom images")
    qtbot.waitUntil(lambda: "jenkins-golden" in table_rows(window.resources), timeout=10_000)
    shot(window, "compute-images")
