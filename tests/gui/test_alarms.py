"""Alarms in the console against the emulator's monitoring service, driven like a person: the
list (firing first), creating one on a custom metric through the generic dialog, posting data
through the Post custom metric dialog until it fires (the status bar's badge follows) and clears,
editing, suppressing, deleting."""

from __future__ import annotations

import datetime as dt

from ociconsole.gui.alarms_ui import AlarmBadge
from ociconsole.gui.confirm import ConfirmDialog
from ociconsole.gui.form_dialog import CreateDialog
from ociconsole.gui.main_window import MainWindow
from ociconsole.gui.qt import QApplication, Qt

from .helpers import click, click_index, open_tree_path, pick, retype, table_rows, top_level


def alarms_of(qtbot, window, *path) -> list[str]:
    open_tree_path(qtbot, window, *path, "Observability", "Alarms")
    qtbot.waitUntil(lambda: window.resources.kind is not None and window.resources.kind.id == "monitoring.alarm"
                    and window.resources.model.rowCount() > 0, timeout=10_000)
    return table_rows(window.resources)


def cell(window, name: str, column: str) -> str:
    cols = [c.title for c in window.resources.kind.columns]
    row = table_rows(window.resources).index(name)
    return window.resources.proxy.index(row, cols.index(column)).data()


def select(qtbot, window, name: str) -> None:
    row = table_rows(window.resources).index(name)
    click_index(qtbot, window.resources.table, window.resources.proxy.index(row, 0))
    qtbot.waitUntil(lambda: window.detail.name.text() == name, timeout=5000)


def toolbar_action(window, label: str):
    return next(a for a in window._kind_actions if a.text() == label)


def form_dialog(qtbot) -> CreateDialog:
    qtbot.waitUntil(lambda: top_level(CreateDialog) is not None, timeout=5000)
    dlg = top_level(CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    return dlg


def post_metric(qtbot, window, value: float, when: dt.datetime | None = None, first: bool = False) -> None:
    """Monitoring > Post custom metric…: lab_app / QueueDepth {queue=orders} = value."""
    window.monitoring.post_action.trigger()
    dlg = form_dialog(qtbot)
    assert dlg.windowTitle() == "Post custom metric" and dlg.create_button.text() == "Post"
    if first:
        retype(qtbot, dlg.row("namespace").editor, "oci_lab")
        assert "reserved" in dlg.row("namespace").error_text()
        retype(qtbot, dlg.row("namespace").editor, "lab_app")
        retype(qtbot, dlg.row("name").editor, "Queue Depth")
        assert "letters, digits" in dlg.row("name").error_text()
        retype(qtbot, dlg.row("name").editor, "QueueDepth")
        retype(qtbot, dlg.row("dimensions").editor, "queue orders")
        assert "key=value" in dlg.row("dimensions").error_text()
        retype(qtbot, dlg.row("dimensions").editor, "queue=orders")
    else:  # the last post's fields are kept: only the value changes
        assert dlg.row("namespace").value() == "lab_app" and dlg.row("dimensions").value() == "queue=orders"
    retype(qtbot, dlg.row("value").editor, f"{value:g}")
    if when is not None:
        retype(qtbot, dlg.row("timestamp").editor, when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert dlg.errors() == {}, dlg.errors()
    click(qtbot, dlg.review_button)
    assert "oci monitoring metric-data post" in dlg.cli_view.text() and "telemetry-ingestion" in dlg.cli_view.text()
    n = len(window.oplog.operations)
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: len(window.oplog.operations) > n and window.oplog.operations[-1].state.done,
                    timeout=10_000)
    op = window.oplog.operations[-1]
    assert op.state.value == "Succeeded", (op.title, op.error)
    assert op.title.startswith("Post lab_app/QueueDepth")
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=5000)


def badge_count(qtbot, badge: AlarmBadge, n: int) -> None:
    """Poll now (as the timer would) and wait for the badge to say `n` alarms firing."""
    with qtbot.waitSignal(badge.polled, timeout=10_000):
        badge.poll()
    assert badge.count == n, (badge.count, badge.text(), [s.display_name for s in badge.firing])


def test_alarm_list_shows_the_firing_alarm_first(qtbot, window):
    names = alarms_of(qtbot, window, "Production")
    assert names == ["High CPU on production", "Memory pressure"]
    assert cell(window, "High CPU on production", "Status") == "FIRING"
    assert cell(window, "High CPU on production", "Severity") == "CRITICAL"
    assert cell(window, "Memory pressure", "Status") == "OK" and cell(window, "Memory pressure", "Enabled") == "no"
    cols = [c.title for c in window.resources.kind.columns]
    red = window.resources.proxy.index(0, cols.index("Status")).data(Qt.ItemDataRole.ForegroundRole)
    assert red is not None and red.red() > 150 and red.green() < 100
    # the badge in the status bar: the demo's one firing alarm, polled at start
    badge = window.monitoring.badge
    qtbot.waitUntil(lambda: badge.polls > 0, timeout=10_000)
    assert badge.isVisible() and badge.text() == "1 alarm firing"
    # its details: status with the firing instance, the query's current value, the transition history
    select(qtbot, window, "High CPU on production")
    window.detail.tabs.setCurrentIndex(window.detail.tabs.indexOf(window.detail.related))
    rel = window.detail.related
    qtbot.waitUntil(lambda: rel.topLevelItemCount() == 3 and all(
        rel.topLevelItem(i).text(1) != "loading…" for i in range(3)), timeout=10_000)
    def items(sec):
        return [(sec.child(j).text(0), sec.child(j).text(1)) for j in range(sec.childCount())]
    sections = {rel.topLevelItem(i).text(0): items(rel.topLevelItem(i)) for i in range(3)}
    assert any(label.startswith("FIRING since") and value == "api-01" for label, value in sections["Status"])
    assert sections["Current value"][0][0] == "api-01" and " at " in sections["Current value"][0][1]
    assert sections["History (state transitions)"][0][1] == "State transitioned from OK to Firing"
    fields = window.detail.field_values()
    assert fields["Status"] == "FIRING" and fields["Pending duration"] == "PT5M"  # the full alarm, not a summary
    # clicking the badge lists the firing alarms; choosing one opens it in its compartment
    window.show_list()
    open_tree_path(qtbot, window, "Development")
    menu = badge.show_menu()
    act = next(a for a in menu.actions() if "High CPU on production" in a.text())
    menu.close()
    act.trigger()
    qtbot.waitUntil(lambda: window.current_kind is not None and window.current_kind.id == "monitoring.alarm"
                    and window.current_compartment.name == "Production", timeout=10_000)
    qtbot.waitUntil(lambda: window.detail.name.text() == "High CPU on production", timeout=10_000)


def test_alarm_on_a_custom_metric_fires_and_clears(qtbot, window):
    badge = window.monitoring.badge
    qtbot.waitUntil(lambda: badge.polls > 0, timeout=10_000)
    alarms_of(qtbot, window, "Development", "Shared-Tools")
    # a first datapoint (long enough ago to be outside any alarm window) makes the namespace known
    post_metric(qtbot, window, 1, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=100), first=True)

    # create the alarm through the generic dialog: metric, statistic, trigger rule -> the MQL query
    assert window.resources.create_button.text() == "Create alarm"
    click(qtbot, window.resources.create_button)
    dlg = form_dialog(qtbot)
    assert dlg.windowTitle() == "Create alarm"
    retype(qtbot, dlg.row("display_name").editor, "Orders queue too deep")
    pick(qtbot, dlg.row("namespace").editor, "lab_app")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    pick(qtbot, dlg.row("metric").editor, "QueueDepth")
    retype(qtbot, dlg.row("threshold").editor, "50")
    assert dlg.row("query").value() == "QueueDepth[1m].mean() > 50"
    # typed MQL is checked as you type, with the column
    retype(qtbot, dlg.row("query").editor, "QueueDepth[1m].mean() >")
    assert dlg.row("query").error_text().startswith("Column 24: expected a number after '>'")
    retype(qtbot, dlg.row("query").editor, "QueueDepth[1m].mean()")
    assert "needs a trigger rule" in dlg.row("query").error_text()
    retype(qtbot, dlg.row("query").editor, 'QueueDepth[1m]{queue = "orders"}.mean() > 50')
    pick(qtbot, dlg.row("pending_duration").editor, "1 minute")
    # the destination: the tenancy's seeded topic is chosen; a pasted OCID is checked
    assert dlg.row("topic").editor.currentText().startswith("ops-alerts")
    ops_alerts = dlg.row("topic").value()
    assert dlg.row("destinations").value() == ops_alerts and ops_alerts.startswith("ocid1.onstopic.")
    retype(qtbot, dlg.row("destinations").editor, "not-a-topic")
    assert "Notifications topic" in dlg.row("destinations").error_text()
    retype(qtbot, dlg.row("destinations").editor, ops_alerts)
    assert dlg.errors() == {}, dlg.errors()
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert cli.startswith("oci monitoring alarm create") and "--query-text" in cli and "--pending-duration PT1M" in cli
    assert "create_alarm" in dlg.python_view.text()
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: "Orders queue too deep" in table_rows(window.resources), timeout=10_000)
    qtbot.waitUntil(lambda: window.oplog.operations[-1].state.done, timeout=10_000)
    assert window.oplog.operations[-1].title == "Create alarm Orders queue too deep"
    badge_count(qtbot, badge, 1)

    # above the threshold: FIRING, the badge says two, a desktop notification names it
    post_metric(qtbot, window, 60)
    badge_count(qtbot, badge, 2)
    assert badge.text() == "2 alarms firing"
    assert any(title == "Alarm firing: Orders queue too deep" for title, _m in badge.notifications)
    window.refresh()
    # FIRING, and first once the list is read again (the status cell may say FIRING before that: the row is
    # updated where it is as soon as the console learns of it; it sorts first when it is critical even while OK)
    qtbot.waitUntil(lambda: cell(window, "Orders queue too deep", "Status") == "FIRING"
                    and table_rows(window.resources)[0] == "Orders queue too deep", timeout=10_000)

    # suppress it for an hour: SUSPENDED, no longer counted; then remove the suppression
    select(qtbot, window, "Orders queue too deep")
    toolbar_action(window, "Suppress").trigger()
    sdlg = form_dialog(qtbot)
    assert sdlg.windowTitle() == "Suppress alarm Orders queue too deep" and sdlg.create_button.text() == "Suppress"
    retype(qtbot, sdlg.row("description").editor, "Reindexing")
    click(qtbot, sdlg.review_button)
    assert "oci monitoring alarm update" in sdlg.cli_view.text() and "--suppression" in sdlg.cli_view.text()
    click(qtbot, sdlg.create_button)
    qtbot.waitUntil(lambda: cell(window, "Orders queue too deep", "Status") == "SUSPENDED", timeout=10_000)
    badge_count(qtbot, badge, 1)
    select(qtbot, window, "Orders queue too deep")
    toolbar_action(window, "Remove suppression").trigger()
    qtbot.waitUntil(lambda: cell(window, "Orders queue too deep", "Status") == "FIRING", timeout=10_000)
    badge_count(qtbot, badge, 2)

    # a low value brings the window's mean under the threshold: OK again, the badge back to one
    post_metric(qtbot, window, 0)
    badge_count(qtbot, badge, 1)
    window.refresh()
    qtbot.waitUntil(lambda: cell(window, "Orders queue too deep", "Status") == "OK", timeout=10_000)
    select(qtbot, window, "Bastion heartbeat")  # (the details of another alarm, then back: fresh history)
    select(qtbot, window, "Orders queue too deep")
    window.detail.tabs.setCurrentIndex(window.detail.tabs.indexOf(window.detail.related))
    rel = window.detail.related
    qtbot.waitUntil(lambda: rel.topLevelItemCount() == 3 and rel.topLevelItem(2).text(1) != "loading…",
                    timeout=10_000)
    history = [rel.topLevelItem(2).child(j).text(1) for j in range(rel.topLevelItem(2).childCount())]
    assert history[:2] == ["State transitioned from Firing to OK", "State transitioned from OK to Firing"]


def test_edit_disable_and_delete_an_alarm(qtbot, window):
    alarms_of(qtbot, window, "Production")
    select(qtbot, window, "Memory pressure")
    toolbar_action(window, "Edit").trigger()
    dlg = form_dialog(qtbot)
    assert dlg.windowTitle() == "Edit alarm Memory pressure" and dlg.create_button.text() == "Save"
    # every field starts from the alarm (its list row is a summary; the full alarm was read)
    assert dlg.row("query").value() == "MemoryUtilization[5m].max() > 95"
    assert dlg.row("pending_duration").value() == "PT15M" and dlg.row("severity").value() == "INFO"
    assert dlg.row("body").value() == "Memory above 95%."
    pick(qtbot, dlg.row("severity").editor, "Warning")
    retype(qtbot, dlg.row("query").editor, "MemoryUtilization[5m].max() > 90")
    click(qtbot, dlg.review_button)
    assert dlg.cli_view.text().startswith("oci monitoring alarm update")
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: cell(window, "Memory pressure", "Severity") == "WARNING", timeout=10_000)
    assert cell(window, "Memory pressure", "Query") == "MemoryUtilization[5m].max() > 90"
    assert cell(window, "Memory pressure", "Status") == "OK"  # the status survives the fresh copy
    # enable it
    select(qtbot, window, "Memory pressure")
    toolbar_action(window, "Enable").trigger()
    qtbot.waitUntil(lambda: cell(window, "Memory pressure", "Enabled") == "yes", timeout=10_000)
    # delete: the name must be typed
    delete_row(qtbot, window, "Memory pressure")


def delete_row(qtbot, window, name: str) -> None:
    """Delete the row `name` of the list: its name must be typed, then it leaves the list."""
    select(qtbot, window, name)
    toolbar_action(window, "Delete").trigger()
    qtbot.waitUntil(lambda: top_level(ConfirmDialog) is not None, timeout=5000)
    confirm = top_level(ConfirmDialog)
    assert not confirm.ok_button.isEnabled()
    qtbot.keyClicks(confirm.input, name)
    click(qtbot, confirm.ok_button)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state.value == "Succeeded", (op.detail, op.error)
    qtbot.waitUntil(lambda: name not in table_rows(window.resources), timeout=10_000)


def test_badge_notifies_only_new_firing_alarms_and_stops_with_the_window(qtbot, aloop, session):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=15_000):
        w.set_session(session, "demo")
    badge = w.monitoring.badge
    qtbot.waitUntil(lambda: badge.polls > 0, timeout=10_000)
    assert badge.notifications == []  # what already fired at start is shown, not announced
    assert badge.timer.isActive() and badge.timer.interval() == 60_000
    w.close()
    assert not badge.timer.isActive()
    assert badge.poll() is None  # a closed window does not poll
    _ = QApplication


# ---------------------------------------------------------------- from a dashboard chart; the builder when editing

PRODUCTION_NAMES = ["analytics-bm", "api-01", "api-02", "etl-01", "web-01", "web-02"]  # reporting CpuUtilization


def test_alarm_from_a_dashboard_chart_is_prefilled_and_fires(qtbot, window):
    """CPU across all instances of Production -> Create alarm from this chart -> the builder holds the
    chart's query; with a low threshold the new alarm fires at once."""
    open_tree_path(qtbot, window, "Production")
    view = window.monitoring.new_cpu_dashboard()
    qtbot.waitUntil(lambda: view.chart_list.count() == 2 and bool(view.series_labels(0)), timeout=15_000)
    assert view.dashboard.charts[0].threshold == 80
    # the chart list's context menu (the chart's own right-click shows the same menu)
    view.chart_list.setCurrentRow(0)
    view._list_menu(view.chart_list.visualItemRect(view.chart_list.item(0)).center())
    menu = view.menu_shown
    labels = [a.text() for a in menu.actions() if a.text()]
    assert labels == ["Edit…", "Duplicate", "Remove", "Create alarm from this chart…", "Add chart…"]
    act = next(a for a in menu.actions() if a.text() == "Create alarm from this chart…")
    menu.close()
    act.trigger()
    dlg = form_dialog(qtbot)
    assert dlg.windowTitle() == "Create alarm"
    qtbot.waitUntil(lambda: dlg.row("topic").value() is not None and dlg.row("group_by").value() == "resourceId",
                    timeout=10_000)
    comps = {o.label: o.value for o in dlg.ctx.compartments}
    v = dlg.values()
    assert v["display_name"] == "CPU utilization — instances of Production"
    assert v["compartment_id"] == comps["Production"]
    # OCI includes subcompartments only from the root: the tenancy, filtered to Production's instances
    assert v["metric_compartment_id"] == window.session.tenancy_id and v["metric_compartment_id_in_subtree"]
    assert "subcompartments only when the metric compartment is the root" in \
        dlg.warning_texts()["metric_compartment_id"]
    assert (v["namespace"], v["mode"], v["metric"], v["statistic"], v["interval"], v["group_by"], v["operator"],
            v["threshold"]) == ("oci_computeagent", "builder", "CpuUtilization", "mean", "1m", "resourceId", ">", 80)
    names = "|".join(PRODUCTION_NAMES)
    assert v["dimensions"] == f"resourceDisplayName =~ {names}"
    assert v["query"] == f'CpuUtilization[1m]{{resourceDisplayName =~ "{names}"}}.groupBy(resourceId).mean() > 80'
    assert dlg.row("topic").editor.currentText().startswith("ops-alerts")
    assert v["destinations"] == v["topic"]
    # the builder drives the query: a low threshold, and no filter on web-02
    retype(qtbot, dlg.row("threshold").editor, "1")
    retype(qtbot, dlg.row("dimensions").editor, "resourceDisplayName =~ " + names.replace("|web-02", ""))
    assert dlg.row("query").value().endswith('-01"}.groupBy(resourceId).mean() > 1')
    retype(qtbot, dlg.row("dimensions").editor, "nosuchdimension = x")
    assert "has the dimension nosuchdimension" in dlg.warning_texts()["dimensions"]
    retype(qtbot, dlg.row("dimensions").editor, "resourceDisplayName =~ " + names)
    retype(qtbot, dlg.row("display_name").editor, "Production CPU above 1%")
    pick(qtbot, dlg.row("pending_duration").editor, "1 minute")
    assert dlg.errors() == {}, dlg.errors()
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "--metric-compartment-id-in-subtree true" in cli and "groupBy(resourceId).mean() > 1" in cli
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: window.oplog.operations[-1].title == "Create alarm Production CPU above 1%"
                    and window.oplog.operations[-1].state.done, timeout=10_000)
    op = window.oplog.operations[-1]
    assert op.state.value == "Succeeded", (op.detail, op.error)
    # it is in Production's alarms, FIRING (api-01 runs hot), and the badge counts it
    assert window.current_compartment.name == "Production"
    window.monitoring.alarms_action.trigger()  # Monitoring > Alarms: the current compartment's
    qtbot.waitUntil(lambda: window.resources.kind is not None and window.resources.kind.id == "monitoring.alarm"
                    and window.resources.model.rowCount() > 0, timeout=10_000)
    assert "Production CPU above 1%" in table_rows(window.resources)
    qtbot.waitUntil(lambda: cell(window, "Production CPU above 1%", "Status") == "FIRING", timeout=10_000)
    badge_count(qtbot, window.monitoring.badge, 2)


def test_edit_parses_the_query_back_into_the_builder(qtbot, window):
    alarms_of(qtbot, window, "Production")
    select(qtbot, window, "High CPU on production")
    toolbar_action(window, "Edit").trigger()
    dlg = form_dialog(qtbot)
    qtbot.waitUntil(lambda: dlg.row("metric").value() == "CpuUtilization" and bool(dlg.row("topic").value()),
                    timeout=10_000)
    v = dlg.values()
    assert (v["mode"], v["metric"], v["statistic"], v["interval"], v["group_by"], v["operator"], v["threshold"]) == \
        ("builder", "CpuUtilization", "mean", "1m", "", ">", 80)
    assert v["dimensions"] == "resourceDisplayName =~ web-*|api-*|etl-*|analytics-*"
    assert v["metric_compartment_id"] == window.session.tenancy_id and v["metric_compartment_id_in_subtree"]
    assert dlg.row("topic").editor.currentText().startswith("ops-alerts") and v["destinations"] == v["topic"]
    old = v["query"]
    assert old == 'CpuUtilization[1m]{resourceDisplayName =~ "web-*|api-*|etl-*|analytics-*"}.mean() > 80'
    retype(qtbot, dlg.row("threshold").editor, "92.5")
    pick(qtbot, dlg.row("statistic").editor, "Max")
    new = 'CpuUtilization[1m]{resourceDisplayName =~ "web-*|api-*|etl-*|analytics-*"}.max() > 92.5'
    assert dlg.row("query").value() == new
    click(qtbot, dlg.review_button)
    assert "--query-text" in dlg.cli_view.text() and "max() > 92.5" in dlg.cli_view.text()
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: cell(window, "High CPU on production", "Query") == new, timeout=10_000)

    # a query the builder cannot say (absent with a period) is edited as MQL
    window.show_list()
    alarms_of(qtbot, window, "Development", "Shared-Tools")
    select(qtbot, window, "Bastion heartbeat")
    toolbar_action(window, "Edit").trigger()
    dlg = form_dialog(qtbot)
    assert dlg.row("mode").value() == "mql" and not dlg.row("metric").shown and not dlg.row("threshold").shown
    assert dlg.row("query").value() == \
        'CpuUtilization[1m]{resourceDisplayName = "bastion"}.groupBy(resourceId).absent(10m)'
    click(qtbot, dlg.cancel_button)


def test_notification_topics_are_listed_created_and_deleted(qtbot, window):
    open_tree_path(qtbot, window, "Observability", "Notification topics")
    qtbot.waitUntil(lambda: window.resources.kind is not None and window.resources.kind.id == "notifications.topic"
                    and window.resources.model.rowCount() > 0, timeout=10_000)
    assert table_rows(window.resources) == ["ops-alerts"]
    click(qtbot, window.resources.create_button)
    dlg = form_dialog(qtbot)
    assert dlg.windowTitle() == "Create notification topic"
    retype(qtbot, dlg.row("name").editor, "db alerts")
    assert "letters, digits" in dlg.row("name").error_text()
    retype(qtbot, dlg.row("name").editor, "db-alerts")
    retype(qtbot, dlg.row("description").editor, "Database on-call")
    click(qtbot, dlg.review_button)
    assert dlg.cli_view.text().startswith("oci ons topic create") and "NotificationControlPlaneClient" in \
        dlg.python_view.text()
    click(qtbot, dlg.create_button)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
    assert op.state.value == "Succeeded" and op.detail == "ACTIVE", (op.detail, op.error)
    qtbot.waitUntil(lambda: "db-alerts" in table_rows(window.resources), timeout=10_000)
    qtbot.waitUntil(lambda: cell(window, "db-alerts", "State") == "ACTIVE", timeout=10_000)
    # a name is unique in the tenancy: the service's 409 keeps the dialog open
    click(qtbot, window.resources.create_button)
    dlg = form_dialog(qtbot)
    retype(qtbot, dlg.row("name").editor, "ops-alerts")
    click(qtbot, dlg.review_button)
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: "already exists" in dlg.error_text(), timeout=10_000)
    click(qtbot, dlg.cancel_button)
    delete_row(qtbot, window, "db-alerts")  # DELETING, then gone
