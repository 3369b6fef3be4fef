"""Budgets, cost and the audit trail through the window against the real emulator: a budget created with the
dialog (a negative amount refused inline), listed with its spend against the amount, an alert rule added to
it; a compartment's cost by day and service; an instance's audit trail with who did what."""

from __future__ import annotations

import oci
import pytest
from PySide6.QtCore import Qt

from ociconsole.core.operations import OpState

from .helpers import (
    click,
    click_index,
    open_tree_path,
    pick,
    related,
    related_loaded,
    retype,
    select_row,
    shot,
    table_rows,
    top_level,
    trigger,
)


def _dialog(qtbot):
    from ociconsole.gui.form_dialog import CreateDialog
    qtbot.waitUntil(lambda: top_level(CreateDialog) is not None, timeout=15_000)
    dlg = top_level(CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    return dlg


def _done(qtbot, window, dlg):
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED, op.error


def _selected(qtbot, window, name) -> bool:
    """Whether `name` is the selected row (clicking it if a reload dropped the selection)."""
    if [getattr(r, "display_name", None) for r in window.resources.selected_resources()] == [name]:
        return True
    rows = table_rows(window.resources)
    if name in rows:
        click_index(qtbot, window.resources.table, window.resources.proxy.index(rows.index(name), 0))
    return False


def test_create_a_budget_and_an_alert_rule(qtbot, window):
    open_tree_path(qtbot, window, "Observability", "Budgets")
    window.create_action.trigger()
    dlg = _dialog(qtbot)
    retype(qtbot, dlg.row("display_name").editor, "dev-monthly")
    comps = dlg.row("target").editor
    qtbot.waitUntil(lambda: comps.count() > 1, timeout=5000)
    pick(qtbot, comps, "Development")
    retype(qtbot, dlg.row("amount").editor, "-20")
    qtbot.waitUntil(lambda: "positive" in dlg.row("amount").error_text(), timeout=3000)
    assert not dlg.review_button.isEnabled()
    retype(qtbot, dlg.row("amount").editor, "50")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "oci budgets budget budget create" in dlg.cli_view.text() and "--amount 50" in dlg.cli_view.text()
    _done(qtbot, window, dlg)
    qtbot.waitUntil(lambda: "dev-monthly" in table_rows(window.resources), timeout=15_000)
    select_row(qtbot, window, "dev-monthly")
    view = window.resources.proxy
    row = table_rows(window.resources).index("dev-monthly")
    headers = [view.headerData(c, Qt.Orientation.Horizontal) for c in range(view.columnCount())]
    amount = view.index(row, headers.index("Amount")).data()
    spent = view.index(row, headers.index("Actual spend")).data()
    assert amount == "$50.00" and spent.startswith("$") and float(spent[1:].replace(",", "")) > 0
    shot(window, "i16-cost-budgets")

    trigger(window, "Add alert rule…")
    rule = _dialog(qtbot)
    retype(qtbot, rule.row("threshold").editor, "50")
    retype(qtbot, rule.row("recipients").editor, "not-an-address")
    qtbot.waitUntil(lambda: "e-mail" in rule.row("recipients").error_text(), timeout=3000)
    retype(qtbot, rule.row("recipients").editor, "ops@example.com")
    qtbot.waitUntil(lambda: rule.review_button.isEnabled(), timeout=3000)
    click(qtbot, rule.review_button)
    assert "alert-rule create" in rule.cli_view.text()
    _done(qtbot, window, rule)
    window.refresh_action.trigger()
    qtbot.waitUntil(lambda: "dev-monthly" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "dev-monthly")
    qtbot.waitUntil(lambda: related_loaded(window) and bool(related(window).get("Alert rules")), timeout=10_000)
    [item] = related(window)["Alert rules"]
    assert "actual spend reaches 50 %" in item and "ops@example.com" in item

    qtbot.waitUntil(lambda: _selected(qtbot, window, "dev-monthly"), timeout=10_000)
    trigger(window, "Edit…")  # a larger amount; a negative one is refused at the field
    edit = _dialog(qtbot)
    assert edit.row("amount").editor.text() == "50"
    retype(qtbot, edit.row("amount").editor, "-1")
    qtbot.waitUntil(lambda: "positive" in edit.row("amount").error_text(), timeout=3000)
    retype(qtbot, edit.row("amount").editor, "5000")
    qtbot.waitUntil(lambda: edit.review_button.isEnabled(), timeout=3000)
    click(qtbot, edit.review_button)
    assert "budget update" in edit.cli_view.text()
    _done(qtbot, window, edit)
    window.refresh_action.trigger()
    qtbot.waitUntil(lambda: "dev-monthly" in table_rows(window.resources), timeout=10_000)
    row = table_rows(window.resources).index("dev-monthly")
    qtbot.waitUntil(lambda: view.index(row, headers.index("Amount")).data() == "$5,000.00", timeout=10_000)


def test_cost_of_a_compartment_by_day_and_an_audit_trail(qtbot, window, gui_emulator):
    open_tree_path(qtbot, window, "Identity", "Compartments")
    qtbot.waitUntil(lambda: "Development" in table_rows(window.resources), timeout=10_000)
    calls: list[str] = []
    window.session.on_call(lambda _service, method: calls.append(method))
    window.detail.tabs.setCurrentWidget(window.detail.fields)  # the Details tab in view, not Related
    select_row(qtbot, window, "Development")
    # cost and audit are read only once the Related tab is looked at, not on every selection of a compartment
    qtbot.waitUntil(lambda: related_loaded(window), timeout=15_000)
    assert related(window)["Cost by day (14 days)"] == [] and related(window)["Audit trail (24 h)"] == []
    assert "request_summarized_usages" not in calls and "list_events" not in calls
    window.detail.tabs.setCurrentWidget(window.detail.related)
    qtbot.waitUntil(lambda: related_loaded(window) and bool(related(window)["Cost by day (14 days)"])
                    and bool(related(window)["Audit trail (24 h)"]), timeout=15_000)
    assert calls.count("request_summarized_usages") == 1 and calls.count("list_events") >= 1
    cost = related(window)["Cost by day (14 days)"]
    assert cost[0].startswith("Total (14 days)=$") and float(cost[0].split("$")[1].replace(",", "")) > 0
    assert any("Compute $" in line for line in cost[1:])  # the demo's instances in Development run every day

    open_tree_path(qtbot, window, "Development", "Shared-Tools", "Compute", "Instances")
    qtbot.waitUntil(lambda: len(table_rows(window.resources)) > 0, timeout=10_000)
    name = table_rows(window.resources)[0]
    # someone else (the SDK, as the same admin) reads and stops the instance meanwhile
    cfg = gui_emulator.client_config()
    compute = oci.core.ComputeClient(cfg, service_endpoint=gui_emulator.endpoint("core"))
    inst = next(i for i in gui_emulator.core.store.list("instance") if i["displayName"] == name)
    compute.get_instance(inst["id"])
    with pytest.raises(oci.exceptions.ServiceError):
        compute.instance_action(inst["id"], "RESET", if_match="stale-etag")
    select_row(qtbot, window, name)
    view = window.cost.show_audit()  # Governance > Audit trail… on the selected instance
    qtbot.waitUntil(lambda: view.compartment_box.currentText() == "Shared-Tools" and bool(view.rows), timeout=15_000)
    assert view.only.isChecked() and view.only.text() == f"Only {name}"
    trail = [(r.operation, r.status, r.user, r.ip) for r in view.shown]
    assert ("GetInstance", "200", "admin@example.com", "127.0.0.1") in trail, trail
    assert ("InstanceAction", "412", "admin@example.com", "127.0.0.1") in trail, trail
    assert all(r.resource_id == inst["id"] for r in view.shown)
    view.only.setChecked(False)  # the whole compartment: the listing of its instances too
    assert any(r.operation == "ListInstances" for r in view.shown)
    shot(window, "i16-cost-audit")


def test_audit_view_filters_by_user_operation_and_status(qtbot, window, gui_emulator):
    # something happens in Development: a topic made, and a request refused
    cfg = gui_emulator.client_config()
    dev = next(c for c in gui_emulator.core.store.list("compartment") if c["name"] == "Development")
    ons = oci.ons.NotificationControlPlaneClient(cfg, service_endpoint=gui_emulator.endpoint("ons"))
    ons.create_topic(oci.ons.models.CreateTopicDetails(name="audited-topic", compartment_id=dev["id"]))
    with pytest.raises(oci.exceptions.ServiceError):
        ons.create_topic(oci.ons.models.CreateTopicDetails(name="audited-topic", compartment_id=dev["id"]))
    open_tree_path(qtbot, window, "Development")
    view = window.cost.show_audit()
    qtbot.waitUntil(lambda: view.compartment_box.currentText() == "Development", timeout=10_000)
    qtbot.waitUntil(lambda: len(view.rows) >= 2, timeout=10_000)
    ops = [r.operation for r in view.shown]
    assert ops.count("CreateTopic") == 2 and view.table.rowCount() == len(view.shown)
    pick(qtbot, view.status_box, "Failed")
    assert [(r.operation, r.status) for r in view.shown] == [("CreateTopic", "409")]
    pick(qtbot, view.status_box, "Any status")
    retype(qtbot, view.operation, "createtopic")
    assert len(view.shown) == 2
    retype(qtbot, view.user, "nobody")
    assert view.shown == [] and view.table.rowCount() == 0
    retype(qtbot, view.user, "admin")
    assert len(view.shown) == 2 and view.table.item(0, 2).text() == "admin@example.com"
    shot(view, "i16-cost-audit-view")


def test_cost_view_stacks_services_by_day(qtbot, window):
    open_tree_path(qtbot, window, "Development")
    view = window.cost.show_cost()
    qtbot.waitUntil(lambda: view.cost is not None, timeout=15_000)
    cost = view.cost
    assert len(cost.days) == 14 and cost.total() > 0 and "Compute" in cost.services
    assert [s for s, _item in view.bars] == cost.services
    # the bars stack: each service's bottoms are the sum of the ones below it
    stacked = cost.stacked()
    top = [b + h for b, h in zip(stacked[-1][1], stacked[-1][2], strict=True)]
    assert top == pytest.approx(cost.day_totals())
    assert view.table.item(view.table.rowCount() - 1, 0).text() == "All services"
    assert view.table.item(view.table.rowCount() - 1, 1).text() == f"${cost.total():,.2f}"
    shot(view, "i16-cost-view")
