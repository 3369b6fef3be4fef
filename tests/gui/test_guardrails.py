"""Production guardrails (core.guardrails) in the window: a connection marked production (View menu) or whose
profile name says so shows a red frame and banner, every change asks to type a name first (actions: the
resource's; creates and forms: the connection's), and with "read-only until unlocked" nothing changes until
the banner's Unlock. Away from production, Stop and Reboot ask unless the setting turns that off."""

from __future__ import annotations

import oci

from ociconsole.core.guardrails import DEFAULT_PATTERN, Guard, production_reason
from ociconsole.gui import settings
from ociconsole.gui.confirm import ConfirmDialog
from ociconsole.gui.form_dialog import CreateDialog

from .helpers import click, click_index, open_tree_path, retype, shot, table_rows, top_level


def _select_jenkins(qtbot, w):
    open_tree_path(qtbot, w, "Development", "Shared-Tools", "Compute", "Instances")
    qtbot.waitUntil(lambda: "jenkins" in table_rows(w.resources), timeout=10_000)
    click_index(qtbot, w.resources.table, w.resources.proxy.index(table_rows(w.resources).index("jenkins"), 0))
    qtbot.waitUntil(lambda: w.detail.name.text() == "jenkins", timeout=5000)


def _action(w, label):
    return next(a for a in w._kind_actions if a.text() == label)


def test_profile_names_that_mean_production():
    marked = ["demo"]
    assert production_reason("demo", "Demo sandbox", DEFAULT_PATTERN, marked) == "marked as production"
    for name in ("PROD", "prod-eu", "eu-prod", "Production", "acme_prod"):
        assert production_reason("x", name, DEFAULT_PATTERN, []), name
    for name in ("DEFAULT", "product-dev", "staging", "reproduce"):
        assert not production_reason("x", name, DEFAULT_PATTERN, []), name
    g = Guard("PROD", "marked", read_only_until_unlocked=True)
    assert g.locked(now=100.0)
    g.unlock(minutes=15, now=100.0)
    assert not g.locked(now=100.0 + 14 * 60) and g.locked(now=100.0 + 15 * 60)


def test_production_shows_its_banner_and_refuses_a_change_until_the_name_is_typed(qtbot, window, gui_emulator):
    w = window
    assert not w.production_bar.isVisible()
    w.production_action.trigger()  # View > Treat this connection as production
    assert w.production_bar.isVisible() and w.session.guard.production
    assert w.production_banner.text().startswith("PRODUCTION — Demo sandbox")
    assert "PRODUCTION" in w.windowTitle()
    assert "demo" in settings.get("guardrails/production_marked").splitlines()
    _select_jenkins(qtbot, w)
    shot(w, "guardrails-production")

    # an action: the instance's name must be typed, even for a plain Stop
    n = len(w.oplog.operations)
    _action(w, "Stop").trigger()
    qtbot.waitUntil(lambda: top_level(ConfirmDialog) is not None, timeout=5000)
    dlg = top_level(ConfirmDialog)
    assert dlg.production_banner is not None and dlg.production_banner.isVisible()
    assert dlg.expected == "jenkins" and not dlg.ok_button.isEnabled()
    qtbot.keyClicks(dlg.input, "jenkin")
    assert not dlg.ok_button.isEnabled()
    dlg.accept()  # Enter while the name is wrong
    assert len(w.oplog.operations) == n and dlg.isVisible()  # refused: nothing sent
    qtbot.keyClicks(dlg.input, "s")
    click(qtbot, dlg.ok_button)
    op = w.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.title == "Stopping instance jenkins" and op.detail == "STOPPED"

    # a create: the connection's name must be typed on the review page
    open_tree_path(qtbot, w, "Development", "Networking", "VCNs")
    w.create_action.trigger()
    qtbot.waitUntil(lambda: top_level(CreateDialog) is not None and not top_level(CreateDialog).busy, timeout=10_000)
    c = top_level(CreateDialog)
    qtbot.keyClicks(c.row("display_name").editor, "guarded-vcn")
    retype(qtbot, c.row("cidr_block").editor, "10.77.0.0/16")
    click(qtbot, c.review_button)
    assert c.production_input is not None and c.production_input.isVisible()
    assert not c.create_button.isEnabled()
    shot(c, "guardrails-create")
    qtbot.keyClicks(c.production_input, "Demo sandbox")
    assert c.create_button.isEnabled()
    with qtbot.waitSignal(c.submitted, timeout=10_000) as sig:
        click(qtbot, c.create_button)
    qtbot.waitUntil(lambda: sig.args[0].state.done, timeout=10_000)
    assert sig.args[0].state.value == "Succeeded"

    # unmarked: the banner goes, and so does the typing
    w.production_action.trigger()
    assert not w.production_bar.isVisible() and not w.session.guard.production


def test_read_only_until_unlocked(qtbot, window, gui_emulator):
    w = window
    w.locked_action.trigger()  # View > Production is read-only until unlocked
    w.production_action.trigger()
    assert "read-only until unlocked" in w.production_banner.text() and w.unlock_button.isVisible()
    _select_jenkins(qtbot, w)
    n = len(w.oplog.operations)
    _action(w, "Reboot").trigger()
    assert top_level(ConfirmDialog) is None and len(w.oplog.operations) == n
    assert "read-only until unlocked" in w.statusBar().currentMessage()
    click(qtbot, w.unlock_button)
    assert "unlocked for 15 more min" in w.production_banner.text()
    assert w.unlock_button.text() == "Lock changes now"
    _action(w, "Reboot").trigger()
    qtbot.waitUntil(lambda: top_level(ConfirmDialog) is not None, timeout=5000)
    top_level(ConfirmDialog).reject()
    click(qtbot, w.unlock_button)  # lock again
    assert "read-only until unlocked" in w.production_banner.text()


def test_stop_asks_unless_the_setting_turns_it_off_away_from_production(qtbot, window, gui_emulator):
    w = window
    _select_jenkins(qtbot, w)
    _action(w, "Stop").trigger()
    qtbot.waitUntil(lambda: top_level(ConfirmDialog) is not None, timeout=5000)
    dlg = top_level(ConfirmDialog)
    assert dlg.expected is None and dlg.ok_button.isEnabled()  # a question, no typing
    dlg.reject()
    w.confirm_soft_action.trigger()  # View > Ask before Stop and Reboot: off
    assert settings.get("guardrails/confirm_stop_reboot") is False
    n = len(w.oplog.operations)
    _action(w, "Stop").trigger()
    assert top_level(ConfirmDialog) is None and len(w.oplog.operations) == n + 1
    op = w.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    cfg = gui_emulator.client_config()
    cc = oci.core.ComputeClient(cfg, service_endpoint=gui_emulator.endpoint("core"))
    assert cc.get_instance(w.detail.resource.id).data.lifecycle_state == "STOPPED"
