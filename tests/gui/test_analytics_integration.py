"""Analytics Cloud and Integration through the window against the real emulator: create both through the
generic dialog (the cost at list price shown and following the capacity, edition and license; the CLI),
stop and start, scale, and renders of a create dialog with its cost and of an instance page."""

from __future__ import annotations

from .helpers import click, open_tree_path, pick, retype, shot, state_of, table_rows, wait_op
from .test_volumes import dialog, related, related_loaded, select_row, trigger


def run_confirmed(qtbot, window, label: str) -> None:
    from ociconsole.gui.confirm import ConfirmDialog
    trigger(window, label)
    conf = dialog(qtbot, ConfirmDialog)
    click(qtbot, conf.ok_button)




def test_analytics_instance_created_stopped_started_and_scaled(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Development", "Analytics & AI", "Analytics instances")
    qtbot.waitUntil(lambda: "salesinsights" in table_rows(window.resources), timeout=10_000)
    window.create_action.trigger()
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("name").editor, "finance")
    retype(qtbot, dlg.row("idcs_access_token").editor, "eyJhbGciOi.test.token")
    # the cost follows the capacity, the edition and the license (2 Enterprise OCPUs by default)
    qtbot.waitUntil(lambda: dlg.cost_text().startswith("Estimated cost: $4.30 per hour"), timeout=3000)
    assert dlg.cost_label.isVisible() and "B89631" in dlg.cost_detail.text()
    pick(qtbot, dlg.row("ocpus").editor, "4 OCPUs")
    qtbot.waitUntil(lambda: "$8.60 per hour" in dlg.cost_text(), timeout=3000)
    pick(qtbot, dlg.row("license_type").editor, "Bring your own")
    qtbot.waitUntil(lambda: "$1.29 per hour" in dlg.cost_text(), timeout=3000)
    pick(qtbot, dlg.row("capacity_type").editor, "Users")
    qtbot.waitUntil(lambda: "$800.00 per month" in dlg.cost_text(), timeout=3000)  # 10 Enterprise users
    pick(qtbot, dlg.row("capacity_type").editor, "OCPUs")
    pick(qtbot, dlg.row("license_type").editor, "License included")
    qtbot.waitUntil(lambda: "$8.60 per hour" in dlg.cost_text(), timeout=3000)
    shot(dlg, "analytics-create")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert dlg.review_cost.text() == dlg.cost_text() and dlg.review_cost.isVisible()
    cli = dlg.cli_view.text()
    assert "oci analytics analytics-instance create" in cli and "--name finance" in cli
    assert "--capacity-value 4" in cli and "--idcs-access-token-file" in cli and "eyJhbGciOi" not in cli
    assert "create_analytics_instance" in dlg.python_view.text()
    shot(dlg, "analytics-review")
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "finance", "ACTIVE")
    qtbot.waitUntil(lambda: "finance" in table_rows(window.resources), timeout=10_000)

    select_row(qtbot, window, "finance")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    access = related(window)["Access"]
    assert any(a.startswith("Service URL=https://finance-") for a in access), access
    run_confirmed(qtbot, window, "Stop")
    wait_op(qtbot, window, "Stopping", "INACTIVE")
    qtbot.waitUntil(lambda: state_of(window, "finance") == "INACTIVE", timeout=10_000)
    trigger(window, "Start")
    wait_op(qtbot, window, "Starting", "ACTIVE")
    qtbot.waitUntil(lambda: state_of(window, "finance") == "ACTIVE", timeout=10_000)

    trigger(window, "Scale…")
    scale = dialog(qtbot, CreateDialog, not_this=dlg)
    qtbot.waitUntil(lambda: "$8.60 per hour" in scale.cost_text(), timeout=3000)
    pick(qtbot, scale.row("value").editor, "8 OCPUs")
    qtbot.waitUntil(lambda: "$17.20 per hour" in scale.cost_text(), timeout=3000)
    click(qtbot, scale.review_button)
    assert "oci analytics analytics-instance scale" in scale.cli_view.text()
    click(qtbot, scale.create_button)
    qtbot.waitUntil(lambda: not scale.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "Scale finance", "ACTIVE")  # followed through the service's work request
    window.refresh()
    qtbot.waitUntil(lambda: state_of(window, "finance") == "ACTIVE" and next(
        r for r in window.resources.model.rows if r.name == "finance").capacity.capacity_value == 8,
        timeout=15_000)
    select_row(qtbot, window, "finance")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    shot(window, "analytics-instance")


def test_integration_instance_created_stopped_started_and_scaled(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Development", "Application Integration", "Integration instances")
    qtbot.waitUntil(lambda: "orders-hub" in table_rows(window.resources), timeout=10_000)
    window.create_action.trigger()
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("display_name").editor, "billing-sync")
    retype(qtbot, dlg.row("idcs_at").editor, "eyJhbGciOi.test.token")
    qtbot.waitUntil(lambda: "$1.29 per hour" in dlg.cost_text(), timeout=3000)  # 1 Enterprise pack
    retype(qtbot, dlg.row("message_packs").editor, "3")
    qtbot.waitUntil(lambda: "$3.87 per hour" in dlg.cost_text(), timeout=3000)
    pick(qtbot, dlg.row("integration_instance_type").editor, "Standard (Oracle Integration 3)")
    qtbot.waitUntil(lambda: "$1.94 per hour" in dlg.cost_text(), timeout=3000)
    pick(qtbot, dlg.row("is_byol").editor, "BYOL")
    qtbot.waitUntil(lambda: "$0.97 per hour" in dlg.cost_text(), timeout=3000)
    pick(qtbot, dlg.row("integration_instance_type").editor, "Healthcare")  # no BYOL, no price recorded
    qtbot.waitUntil(lambda: dlg.cost_text() == "" and not dlg.review_button.isEnabled(), timeout=3000)
    pick(qtbot, dlg.row("integration_instance_type").editor, "Enterprise (Oracle Integration 3)")
    pick(qtbot, dlg.row("is_byol").editor, "New license")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    shot(dlg, "analytics-integration-create")
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci integration integration-instance create" in cli and "--type ENTERPRISEX" in cli
    assert "--message-packs 3" in cli and '"$IDCS_TOKEN"' in cli
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "billing-sync", "ACTIVE")
    window.refresh()
    qtbot.waitUntil(lambda: "billing-sync" in table_rows(window.resources), timeout=10_000)
    qtbot.waitUntil(lambda: (window.refresh() or True) and state_of(window, "billing-sync") == "ACTIVE",
                    timeout=15_000)

    select_row(qtbot, window, "billing-sync")
    run_confirmed(qtbot, window, "Stop")
    wait_op(qtbot, window, "Stopping", "INACTIVE")
    trigger(window, "Start")
    wait_op(qtbot, window, "Starting", "ACTIVE")

    trigger(window, "Change message packs…")
    packs = dialog(qtbot, CreateDialog, not_this=dlg)
    qtbot.waitUntil(lambda: "$3.87 per hour" in packs.cost_text(), timeout=3000)
    retype(qtbot, packs.row("message_packs").editor, "5")
    qtbot.waitUntil(lambda: "$6.45 per hour" in packs.cost_text(), timeout=3000)
    qtbot.waitUntil(lambda: packs.review_button.isEnabled(), timeout=3000)
    click(qtbot, packs.review_button)
    assert "--message-packs 5" in packs.cli_view.text()
    click(qtbot, packs.create_button)
    qtbot.waitUntil(lambda: not packs.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "5 message packs", "ACTIVE")
    qtbot.waitUntil(lambda: (window.refresh() or True) and next(
        (r for r in window.resources.model.rows if r.display_name == "billing-sync"), None) is not None and next(
        r for r in window.resources.model.rows if r.display_name == "billing-sync").message_packs == 5,
        timeout=15_000)
    select_row(qtbot, window, "billing-sync")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    assert any(a.startswith("Instance URL=https://billing-sync-") for a in related(window)["Access"])
    shot(window, "analytics-integration-instance")


def test_cost_line_never_breaks_the_dialog(qtbot, window):
    """A cost function that raises shows nothing; the dialog works on."""
    from ociconsole import catalog
    from ociconsole.gui.form_dialog import CreateDialog
    kind = catalog.kind("analytics.instance")
    spec = kind.create
    import dataclasses
    broken = dataclasses.replace(spec, cost=lambda v, c: 1 / 0)
    dlg = CreateDialog(broken, window.form_context(), window.session, window.oplog, kind, window)
    qtbot.addWidget(dlg)
    dlg.open()
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("name").editor, "fine")
    qtbot.wait(300)
    assert dlg.cost_text() == "" and not dlg.cost_label.isVisible()
    retype(qtbot, dlg.row("idcs_access_token").editor, "t")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    dlg.reject()
