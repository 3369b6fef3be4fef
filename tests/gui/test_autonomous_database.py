"""Autonomous Database through the window against the real emulator: the create dialog (inline errors for the
ADMIN password, the database name and the ECPU bounds; the monthly cost following compute, storage, workload
and license; the CLI), scale with its cost and the used-storage check, stop and start, the details page
(compute, storage used / allocated, connection strings), and the wallet download saved with mode 0600."""

from __future__ import annotations

import io
import os
import stat
import zipfile

from .helpers import (
    click,
    dialog,
    open_tree_path,
    pick,
    related,
    related_loaded,
    retype,
    select_row,
    shot,
    state_of,
    table_rows,
    trigger,
    wait_op,
)


def test_create_with_inline_errors_and_cost_then_scale_stop_start(qtbot, window):
    from ociconsole.gui.confirm import ConfirmDialog
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Development", "Database", "Autonomous Databases")
    qtbot.waitUntil(lambda: "sales-dw" in table_rows(window.resources), timeout=10_000)
    window.create_action.trigger()
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("db_name").editor, "9LIVES")
    qtbot.waitUntil(lambda: "Starts with a letter" in dlg.row("db_name").error_text(), timeout=2000)
    retype(qtbot, dlg.row("db_name").editor, "FINANCEDB")
    # ADMIN password rules, inline
    pw = dlg.row("admin_password")
    retype(qtbot, pw.editor, "short")
    qtbot.waitUntil(lambda: "12 to 30 characters" in pw.error_text(), timeout=2000)
    retype(qtbot, pw.editor, "MyAdminPassword1")
    qtbot.waitUntil(lambda: '"admin"' in pw.error_text(), timeout=2000)
    retype(qtbot, pw.editor, "Finance#2026db")
    qtbot.waitUntil(lambda: pw.error_text() == "", timeout=2000)
    retype(qtbot, dlg.row("admin_password_confirm").editor, "Finance#2026dX")
    qtbot.waitUntil(lambda: "differ" in dlg.row("admin_password_confirm").error_text(), timeout=2000)
    retype(qtbot, dlg.row("admin_password_confirm").editor, "Finance#2026db")
    # ECPU bounds
    count = dlg.row("compute_count")
    retype(qtbot, count.editor, "1")
    qtbot.waitUntil(lambda: count.error_text() != "", timeout=2000)
    assert not dlg.review_button.isEnabled()
    # the cost: 2 ECPUs and 20 GB of transaction processing storage, then 4 ECPUs, then 1 TB, then BYOL
    retype(qtbot, count.editor, "2")
    qtbot.waitUntil(lambda: "$502.28 per month" in dlg.cost_text(), timeout=3000)  # 2*0.336*744 + 20*0.1156
    retype(qtbot, count.editor, "4")
    qtbot.waitUntil(lambda: "$1,002.25 per month" in dlg.cost_text(), timeout=3000)
    retype(qtbot, dlg.row("storage_gbs").editor, "1024")
    qtbot.waitUntil(lambda: "$1,118.31 per month" in dlg.cost_text(), timeout=3000)
    pick(qtbot, dlg.row("db_workload").editor, "Data Warehouse")  # storage in TB, at the DW price
    qtbot.waitUntil(lambda: "$1,024.92 per month" in dlg.cost_text(), timeout=3000)
    pick(qtbot, dlg.row("license_model").editor, "Bring your own")
    qtbot.waitUntil(lambda: "$265.15 per month" in dlg.cost_text(), timeout=3000)
    pick(qtbot, dlg.row("license_model").editor, "License included")
    pick(qtbot, dlg.row("db_workload").editor, "Transaction Processing")
    qtbot.waitUntil(lambda: "$1,118.31 per month" in dlg.cost_text(), timeout=3000)
    retype(qtbot, dlg.row("allowed_ips").editor, "203.0.113.0/24")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    shot(dlg, "i12-adb-create")
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci db autonomous-database create" in cli and "--db-name FINANCEDB" in cli
    assert "--compute-count 4" in cli and "Finance#2026db" not in cli
    assert "Finance#2026db" not in dlg.python_view.text()
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "FINANCEDB", "AVAILABLE")
    window.refresh()
    qtbot.waitUntil(lambda: state_of(window, "FINANCEDB") == "AVAILABLE", timeout=15_000)

    select_row(qtbot, window, "FINANCEDB")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    rel = related(window)
    assert "Compute=4 ECPUs (auto scaling)" in rel["Overview"], rel["Overview"]
    assert any(r.startswith("Storage used / allocated=") and "of 1.00 TB" in r for r in rel["Overview"])
    conns = rel["Connection strings"]
    assert {c.split("=")[0] for c in conns} >= {"financedb_high", "financedb_tp", "financedb_tpurgent"}
    assert any(c.startswith("financedb_high=adb.") and c.endswith("_financedb_high.adb.oraclecloud.com")
               for c in conns)

    # scale: the cost follows, storage below the used data is refused inline
    trigger(window, "Scale…")
    scale = dialog(qtbot, CreateDialog, not_this=dlg)
    qtbot.waitUntil(lambda: not scale.busy, timeout=10_000)
    qtbot.waitUntil(lambda: "$1,118.31 per month" in scale.cost_text(), timeout=3000)
    retype(qtbot, scale.row("compute_count").editor, "600")
    qtbot.waitUntil(lambda: scale.row("compute_count").error_text() != "", timeout=2000)
    retype(qtbot, scale.row("compute_count").editor, "8")
    retype(qtbot, scale.row("storage_gbs").editor, "2048")
    qtbot.waitUntil(lambda: "$2,236.62 per month" in scale.cost_text(), timeout=3000)
    click(qtbot, scale.review_button)
    assert "oci db autonomous-database update" in scale.cli_view.text()
    click(qtbot, scale.create_button)
    qtbot.waitUntil(lambda: not scale.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "Scale FINANCEDB", "AVAILABLE")
    window.refresh()
    qtbot.waitUntil(lambda: (window.refresh() or True) and any(
        r.display_name == "FINANCEDB" and r.compute_count == 8.0 and r.data_storage_size_in_gbs == 2048
        for r in window.resources.model.rows), timeout=15_000)

    select_row(qtbot, window, "FINANCEDB")
    trigger(window, "Stop")
    click(qtbot, dialog(qtbot, ConfirmDialog).ok_button)
    wait_op(qtbot, window, "Stopping", "STOPPED")
    qtbot.waitUntil(lambda: (window.refresh() or True) and state_of(window, "FINANCEDB") == "STOPPED",
                    timeout=15_000)
    select_row(qtbot, window, "FINANCEDB")
    trigger(window, "Start")
    wait_op(qtbot, window, "Starting", "AVAILABLE")
    qtbot.waitUntil(lambda: (window.refresh() or True) and state_of(window, "FINANCEDB") == "AVAILABLE",
                    timeout=15_000)


def test_scale_refuses_storage_below_used_and_wallet_download(qtbot, window, tmp_path):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Production", "Database", "Autonomous Databases")
    qtbot.waitUntil(lambda: "orders-atp" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "orders-atp")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    rel = related(window)
    assert any(b.startswith("Automatic Backup ") for b in rel["Backups"]), rel["Backups"]
    shot(window, "i12-adb-details")

    # the seeded database holds about 1.4 TB: 1 TB is refused before anything is sent
    trigger(window, "Scale…")
    scale = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not scale.busy, timeout=10_000)
    retype(qtbot, scale.row("storage_gbs").editor, "1024")
    qtbot.waitUntil(lambda: "storage cannot go below" in scale.row("storage_gbs").error_text(), timeout=2000)
    assert not scale.review_button.isEnabled()
    scale.close()

    trigger(window, "Download wallet…")
    dlg = dialog(qtbot, CreateDialog, not_this=scale)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    assert dlg.row("path").value().endswith("Wallet_ORDERSDB.zip")
    retype(qtbot, dlg.row("password").editor, "short")
    qtbot.waitUntil(lambda: "At least 8" in dlg.row("password").error_text(), timeout=2000)
    retype(qtbot, dlg.row("password").editor, "Wallet#2026")
    retype(qtbot, dlg.row("password_confirm").editor, "Wallet#2026")
    dest = tmp_path / "wallet.zip"
    retype(qtbot, dlg.row("path").editor, str(dest))
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "oci db autonomous-database generate-wallet" in dlg.cli_view.text()
    assert "Wallet#2026" not in dlg.cli_view.text() and "Wallet#2026" not in dlg.python_view.text()
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: bool(dlg.revealed()), timeout=15_000)
    assert dict(dlg.revealed())["Saved to"] == str(dest)
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    z = zipfile.ZipFile(io.BytesIO(dest.read_bytes()))
    tns = z.read("tnsnames.ora").decode()
    assert "ordersdb_high =" in tns and "ordersdb_tpurgent =" in tns
    dlg.close()


def test_backup_clone_move_delete_and_database_dashboard(qtbot, window):
    from ociconsole.gui.confirm import ConfirmDialog
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Development", "Database", "Autonomous Databases")
    qtbot.waitUntil(lambda: "sales-dw" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "sales-dw")
    trigger(window, "Create backup…")
    bk = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not bk.busy, timeout=10_000)
    retype(qtbot, bk.row("display_name").editor, "before-migration")
    bk.row("is_long_term_backup").editor.setChecked(True)
    qtbot.waitUntil(lambda: bk.row("retention_period_in_days").editor.isVisible(), timeout=2000)
    retype(qtbot, bk.row("retention_period_in_days").editor, "30")
    qtbot.waitUntil(lambda: bk.row("retention_period_in_days").error_text() != "", timeout=2000)
    retype(qtbot, bk.row("retention_period_in_days").editor, "365")
    qtbot.waitUntil(lambda: bk.review_button.isEnabled(), timeout=3000)
    click(qtbot, bk.review_button)
    assert "oci db autonomous-database-backup create" in bk.cli_view.text()
    click(qtbot, bk.create_button)
    qtbot.waitUntil(lambda: not bk.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "Back up sales-dw", "ACTIVE")
    select_row(qtbot, window, "sales-dw")
    qtbot.waitUntil(lambda: related_loaded(window) and any(
        b.startswith("before-migration=LONGTERM manual") for b in related(window)["Backups"]), timeout=10_000)

    # restore to a point in time: the future is refused inline, an hour ago is sent
    trigger(window, "Restore…")
    rs = dialog(qtbot, CreateDialog, not_this=bk)
    qtbot.waitUntil(lambda: not rs.busy, timeout=10_000)
    default = rs.row("timestamp").value()
    retype(qtbot, rs.row("timestamp").editor, "2999-01-01 00:00")
    qtbot.waitUntil(lambda: "future" in rs.row("timestamp").error_text(), timeout=2000)
    retype(qtbot, rs.row("timestamp").editor, default)
    qtbot.waitUntil(lambda: rs.review_button.isEnabled(), timeout=3000)
    click(qtbot, rs.review_button)
    assert "oci db autonomous-database restore" in rs.cli_view.text()
    click(qtbot, rs.create_button)
    qtbot.waitUntil(lambda: not rs.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "Restore sales-dw", "AVAILABLE")
    select_row(qtbot, window, "sales-dw")

    trigger(window, "Clone…")
    cl = dialog(qtbot, CreateDialog, not_this=rs)
    qtbot.waitUntil(lambda: not cl.busy, timeout=10_000)
    assert cl.row("db_name").value() == "SALESDWCLONE"
    pick(qtbot, cl.row("clone_type").editor, "Metadata clone")
    retype(qtbot, cl.row("admin_password").editor, "Clone#2026pass")
    retype(qtbot, cl.row("admin_password_confirm").editor, "Clone#2026pass")
    qtbot.waitUntil(lambda: cl.review_button.isEnabled() and "per month" in cl.cost_text(), timeout=3000)
    click(qtbot, cl.review_button)
    assert "oci db autonomous-database create-from-clone" in cl.cli_view.text()
    assert "--clone-type METADATA" in cl.cli_view.text()
    click(qtbot, cl.create_button)
    qtbot.waitUntil(lambda: not cl.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "Clone sales-dw", "AVAILABLE")
    qtbot.waitUntil(lambda: (window.refresh() or True) and state_of(window, "SALESDWCLONE") == "AVAILABLE",
                    timeout=15_000)

    # moved to Production (the Database client takes the details first), then deleted there
    select_row(qtbot, window, "SALESDWCLONE")
    trigger(window, "Move to compartment…")
    mv = dialog(qtbot, CreateDialog, not_this=cl)
    qtbot.waitUntil(lambda: not mv.busy, timeout=10_000)
    pick(qtbot, mv.row("compartment_id").editor, "Production")
    qtbot.waitUntil(lambda: mv.review_button.isEnabled(), timeout=3000)
    click(qtbot, mv.review_button)
    assert "client.change_autonomous_database_compartment(details, " in mv.python_view.text()
    click(qtbot, mv.create_button)
    qtbot.waitUntil(lambda: not mv.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "Moving")
    open_tree_path(qtbot, window, "Production", "Database", "Autonomous Databases")
    qtbot.waitUntil(lambda: "SALESDWCLONE" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "SALESDWCLONE")
    trigger(window, "Delete")
    conf = dialog(qtbot, ConfirmDialog)
    retype(qtbot, conf.input, "SALESDWCLONE")
    click(qtbot, conf.ok_button)
    wait_op(qtbot, window, "Deleting")

    window.monitoring.menu.aboutToShow.emit()
    view_menu = window.monitoring
    view_menu.template_action.trigger()
    view = window.centre.currentWidget()
    view.manage_menu.aboutToShow.emit()
    assert view.database_template_action.text() == "New: Autonomous Databases of Production"
    view.database_template_action.trigger()
    qtbot.waitUntil(lambda: view.dashboard is not None and view.dashboard.name ==
                    "Autonomous Databases of Production" and view.last_refresh_seconds is not None, timeout=15_000)
    assert [c.metric for c in view.dashboard.charts] == ["CpuUtilization", "StorageUtilization", "Sessions",
                                                          "ExecuteCount"]
    shot(window, "i12-adb-dashboard")


def test_metrics_tab_of_a_database(qtbot, aloop, session):
    from ociconsole import catalog
    from ociconsole.gui import aio
    from ociconsole.gui.detail import DetailPane
    from ociconsole.services import identity as idsvc
    kind = catalog.kind("database.autonomous_database")

    async def load():
        tree = await idsvc.compartment_tree(session)
        prod = next(c for cs in tree.values() for c in cs if c.name == "Production")
        return next(a for a in await kind.list(session, prod.id) if a.db_name == "ORDERSDB")
    task = aio.spawn(load())
    qtbot.waitUntil(task.done, timeout=10_000)
    adb = task.result()
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.resize(900, 900)
    pane.show()
    pane.show_resource(session, kind, adb)
    pane.show_metrics()
    with qtbot.waitSignal(pane.metrics_panel.refreshed, timeout=10_000):
        pass
    charts = {c.title: c for c in pane.metrics_panel.grid.charts}
    assert list(charts) == [c.title for c in kind.metrics.charts]
    (t, v), = charts["CPU utilization"].data.values()
    assert 55 <= len(t) <= 61 and 0 <= v.min() and v.max() <= 100
    (_t, used), = charts["Storage utilization"].data.values()
    assert 60 < used.mean() < 75  # about 1.4 TB of 2 TB
    assert set(charts["Sessions"].data) == {"sessions", "logons"}
    shot(pane, "i12-adb-metrics")


def test_always_free_database(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Development", "Database", "Autonomous Databases")
    qtbot.waitUntil(lambda: "sales-dw" in table_rows(window.resources), timeout=10_000)
    window.create_action.trigger()
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("db_name").editor, "FREEDEMO")
    dlg.row("is_free_tier").editor.setChecked(True)
    qtbot.waitUntil(lambda: not dlg.row("compute_count").editor.isVisible(), timeout=2000)
    assert not dlg.row("storage_gbs").editor.isVisible() and not dlg.row("network_access").editor.isVisible()
    qtbot.waitUntil(lambda: "$0.00 per month" in dlg.cost_text(), timeout=3000)
    retype(qtbot, dlg.row("admin_password").editor, "FreeTier#2026x")
    retype(qtbot, dlg.row("admin_password_confirm").editor, "FreeTier#2026x")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "--is-free-tier true" in cli and "--compute-count" not in cli
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "FREEDEMO", "AVAILABLE")
    qtbot.waitUntil(lambda: (window.refresh() or True) and state_of(window, "FREEDEMO") == "AVAILABLE",
                    timeout=15_000)
    select_row(qtbot, window, "FREEDEMO")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    assert "Compute=Always Free" in related(window)["Overview"]
    # Always Free databases cannot be scaled or backed up by hand: those actions are not offered
    kind = window.resources.kind
    free = next(r for r in window.resources.model.rows if r.display_name == "FREEDEMO")
    assert not kind.action("scale").allowed_for(free) and not kind.action("backup").allowed_for(free)
    assert kind.action("wallet").allowed_for(free)
