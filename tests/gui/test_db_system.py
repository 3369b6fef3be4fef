"""DB systems, Data Guard and Database Migration through the window against the real emulator: the DB system
launch dialog with OCI's rules inline (admin password, RAC needs, names) and its CLI, DB node stop and start,
Data Guard enabled from a database (a wrong password answered inline), a switchover whose typed confirmation
names the database that becomes primary, and a migration created from two connections, evaluated, started,
paused after a phase and resumed, its phases shown as a timeline."""

from __future__ import annotations

import time

import oci

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

SSH = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKRXW0cLGq+v1Ba2w+1j9fNlVNx79nyRyZmgesiTN1eu test@example"
PASSWORD = "Ab1_Cd2_Ef3#"






def refresh_until(qtbot, window, check, timeout: int = 15_000):
    """Wait until `check()`, refreshing the list now and then (a refresh replaces the load under way)."""
    last = [0.0]

    def ok():
        if check():
            return True
        if time.monotonic() - last[0] > 1.0:
            last[0] = time.monotonic()
            window.refresh()
        return False
    qtbot.waitUntil(ok, timeout=timeout)


def later_once_running(qtbot, emulator, jobs: int) -> None:
    """An hour on the emulator's clock once the window's request has made the migration's `jobs`-th job."""
    qtbot.waitUntil(lambda: len(emulator.core.store.list("odmsjob")) >= jobs, timeout=5000)
    emulator.clock.advance(3600)


def sdk(emulator):
    cfg = emulator.client_config()
    return oci.database.DatabaseClient(cfg, service_endpoint=emulator.endpoint("database"),
                                       retry_strategy=oci.retry.NoneRetryStrategy())


def test_launch_dialog_with_inline_errors_then_node_stop_and_start(qtbot, window):
    from ociconsole.gui.confirm import ConfirmDialog
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Production", "Database", "DB systems")
    qtbot.waitUntil(lambda: "orders-db" in table_rows(window.resources), timeout=10_000)
    window.create_action.trigger()
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("display_name").editor, "billing-db")
    pick(qtbot, dlg.row("shape").editor, "VM.Standard2.2")
    retype(qtbot, dlg.row("ssh_public_keys").editor, SSH)
    pick(qtbot, dlg.row("vcn_id").editor, "prod-vcn")
    qtbot.waitUntil(lambda: dlg.row("subnet_id").editor.count() > 0, timeout=5000)
    retype(qtbot, dlg.row("hostname").editor, "9billing")
    qtbot.waitUntil(lambda: "A letter" in dlg.row("hostname").error_text(), timeout=2000)
    retype(qtbot, dlg.row("hostname").editor, "billingdb")
    retype(qtbot, dlg.row("db_name").editor, "BILLINGDB1")  # 10 characters: too long
    qtbot.waitUntil(lambda: "at most 8" in dlg.row("db_name").error_text(), timeout=2000)
    retype(qtbot, dlg.row("db_name").editor, "BILLING")
    retype(qtbot, dlg.row("pdb_name").editor, "billing")
    qtbot.waitUntil(lambda: "differ" in dlg.row("pdb_name").error_text(), timeout=2000)
    retype(qtbot, dlg.row("pdb_name").editor, "BILLPDB")
    # OCI's admin password rules, inline
    pw = dlg.row("admin_password")
    retype(qtbot, pw.editor, "short")
    qtbot.waitUntil(lambda: "9 to 30 characters" in pw.error_text(), timeout=2000)
    retype(qtbot, pw.editor, "MyOracle_12#x")
    qtbot.waitUntil(lambda: "'oracle'" in pw.error_text(), timeout=2000)
    retype(qtbot, pw.editor, PASSWORD)
    qtbot.waitUntil(lambda: pw.error_text() == "", timeout=2000)
    retype(qtbot, dlg.row("admin_password_again").editor, PASSWORD + "x")
    qtbot.waitUntil(lambda: "differ" in dlg.row("admin_password_again").error_text(), timeout=2000)
    retype(qtbot, dlg.row("admin_password_again").editor, PASSWORD)
    # two nodes are a RAC: Extreme Performance and ASM
    pick(qtbot, dlg.row("node_count").editor, "2 nodes")
    qtbot.waitUntil(lambda: "Extreme Performance" in dlg.row("node_count").error_text(), timeout=2000)
    pick(qtbot, dlg.row("node_count").editor, "1 node")
    # the monthly cost at list price follows the edition, the license, the nodes and the storage
    qtbot.waitUntil(lambda: "$650.87 per month" in dlg.cost_text(), timeout=3000)  # 2 × 0.4301 × 744 + 256 GB
    pick(qtbot, dlg.row("license_model").editor, "Bring your own")
    qtbot.waitUntil(lambda: "$298.81 per month" in dlg.cost_text(), timeout=3000)  # BYOL: 0.1935 per OCPU hour
    pick(qtbot, dlg.row("license_model").editor, "License included")
    pick(qtbot, dlg.row("database_edition").editor, "Extreme Performance")
    pick(qtbot, dlg.row("node_count").editor, "2 nodes")
    qtbot.waitUntil(lambda: "$4,010.92 per month" in dlg.cost_text(), timeout=3000)  # 2 nodes × 2 × 1.3441
    pick(qtbot, dlg.row("node_count").editor, "1 node")
    pick(qtbot, dlg.row("database_edition").editor, "Enterprise Edition")
    qtbot.waitUntil(lambda: "$650.87 per month" in dlg.cost_text(), timeout=3000)
    pick(qtbot, dlg.row("db_version").editor, "19.27")
    pick(qtbot, dlg.row("recovery_window").editor, "15 days")
    shot(dlg, "dbsys-launch")
    errs = {n: r.error_text() for n, r in dlg.rows.items() if r.error_text()}
    assert not errs, errs
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci db system launch" in cli and "--shape VM.Standard2.2" in cli and "--db-name BILLING" in cli
    assert PASSWORD not in cli and PASSWORD not in dlg.python_view.text()
    assert "launch_db_system" in dlg.python_view.text()
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "billing-db")
    refresh_until(qtbot, window, lambda: state_of(window, "billing-db") == "AVAILABLE")
    select_row(qtbot, window, "billing-db")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    parts = related(window)["Nodes, databases and homes"]
    assert any(p.startswith("DB node billingdb=AVAILABLE") for p in parts), parts
    assert any(p.startswith("Database BILLING=billing_") for p in parts), parts
    # 2 OCPUs of Enterprise Edition while the node runs, 256 GB of data and 256 of recovery area
    assert "Cost at list price=$661.75 per month" in parts, parts
    shot(window, "dbsys-details")

    open_tree_path(qtbot, window, "Production", "Database", "DB nodes")
    qtbot.waitUntil(lambda: "billingdb" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "billingdb")
    trigger(window, "Stop")
    click(qtbot, dialog(qtbot, ConfirmDialog).ok_button)
    wait_op(qtbot, window, "Stopping")
    refresh_until(qtbot, window, lambda: state_of(window, "billingdb") == "STOPPED")
    select_row(qtbot, window, "billingdb")
    trigger(window, "Start")
    wait_op(qtbot, window, "Starting")
    refresh_until(qtbot, window, lambda: state_of(window, "billingdb") == "AVAILABLE")


def _launch(emulator, name: str, host: str) -> None:
    """A DB system launched through the SDK (the test's arrangement; the window does the rest)."""
    db = sdk(emulator)
    cfg = emulator.client_config()
    identity = oci.identity.IdentityClient(cfg, service_endpoint=emulator.endpoint("identity"))
    net = oci.core.VirtualNetworkClient(cfg, service_endpoint=emulator.endpoint("core"))
    prod = next(c for c in identity.list_compartments(cfg["tenancy"]).data if c.name == "Production")
    subnet = net.list_subnets(prod.id).data[0]
    D = oci.database.models
    db.launch_db_system(D.LaunchDbSystemDetails(
        compartment_id=prod.id, availability_domain=subnet.availability_domain
        or identity.list_availability_domains(cfg["tenancy"]).data[0].name, subnet_id=subnet.id,
        shape="VM.Standard2.1", hostname=host, display_name=name, database_edition="ENTERPRISE_EDITION",
        ssh_public_keys=[SSH], db_home=D.CreateDbHomeDetails(db_version="19.0.0.0", database=D.CreateDatabaseDetails(
            db_name="SALES", pdb_name="SALESPDB", admin_password=PASSWORD))))


def test_data_guard_enabled_then_switchover_with_typed_confirmation(qtbot, window, gui_emulator):
    from ociconsole.gui.form_dialog import CreateDialog
    _launch(gui_emulator, "sales-db", "salesdb")
    open_tree_path(qtbot, window, "Production", "Database", "Databases")
    refresh_until(qtbot, window, lambda: state_of(window, "SALES") == "AVAILABLE")
    select_row(qtbot, window, "SALES")
    trigger(window, "Enable Data Guard…")
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    # a standby on a new DB system costs what the primary's does (1 OCPU of Enterprise Edition, 256 GB);
    # on an existing one nothing more
    qtbot.waitUntil(lambda: "$330.87 per month" in dlg.cost_text(), timeout=3000)
    pick(qtbot, dlg.row("creation_type").editor, "An existing DB system")
    qtbot.waitUntil(lambda: dlg.cost_text() == "", timeout=3000)
    pick(qtbot, dlg.row("creation_type").editor, "A new DB system")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    pick(qtbot, dlg.row("protection_mode").editor, "Maximum performance")
    qtbot.waitUntil(lambda: "ASYNC" in dlg.row("transport_type").error_text(), timeout=2000)
    pick(qtbot, dlg.row("protection_mode").editor, "Maximum availability")
    retype(qtbot, dlg.row("display_name").editor, "sales-standby")
    pick(qtbot, dlg.row("vcn_id").editor, "prod-vcn")
    qtbot.waitUntil(lambda: dlg.row("subnet_id").editor.count() > 0, timeout=5000)
    retype(qtbot, dlg.row("hostname").editor, "salesdg")
    retype(qtbot, dlg.row("admin_password").editor, "Wrong_Pass#12XY")
    errs = {n: r.error_text() for n, r in dlg.rows.items() if r.error_text()}
    assert not errs, errs
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "oci db data-guard-association create with-new-db-system" in dlg.cli_view.text()
    click(qtbot, dlg.create_button)
    # the emulator refuses the wrong password: OCI's answer, inline
    qtbot.waitUntil(lambda: "does not match" in dlg.error_text(), timeout=10_000)
    shot(dlg, "dbsys-dataguard-error")
    dlg.reject()
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=5000)

    select_row(qtbot, window, "SALES")
    trigger(window, "Enable Data Guard…")
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("display_name").editor, "sales-standby")
    pick(qtbot, dlg.row("vcn_id").editor, "prod-vcn")
    qtbot.waitUntil(lambda: dlg.row("subnet_id").editor.count() > 0, timeout=5000)
    retype(qtbot, dlg.row("hostname").editor, "salesdg")
    retype(qtbot, dlg.row("admin_password").editor, PASSWORD)
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "Enable Data Guard for SALES")

    open_tree_path(qtbot, window, "Production", "Database", "Data Guard associations")

    def primary_row():
        return next((r for r in window.resources.model.rows if r.role == "PRIMARY" and r.lifecycle_state ==
                     "AVAILABLE" and r.peer_role == "STANDBY"), None)
    refresh_until(qtbot, window, lambda: primary_row() is not None)
    a = primary_row()
    select_row(qtbot, window, a.display_name)
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    picture = related(window)["Roles"][:3]
    assert picture == [f"Primary=● {a.db_unique_name}", "Redo=▼ SYNC (MAXIMUM_AVAILABILITY)",
                       f"Standby=○ {a.peer_db_unique_name}"], picture
    window.detail.tabs.setCurrentWidget(window.detail.related)
    shot(window, "dbsys-dataguard")
    trigger(window, "Switchover…")
    sw = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not sw.busy, timeout=10_000)
    retype(qtbot, sw.row("admin_password").editor, PASSWORD)
    retype(qtbot, sw.row("confirm").editor, a.db_unique_name)  # the wrong one: it stays primary... no, standby
    qtbot.waitUntil(lambda: a.peer_db_unique_name in sw.row("confirm").error_text(), timeout=2000)
    retype(qtbot, sw.row("confirm").editor, a.peer_db_unique_name)
    qtbot.waitUntil(lambda: sw.row("confirm").error_text() == "", timeout=2000)
    shot(sw, "dbsys-switchover")
    qtbot.waitUntil(lambda: sw.review_button.isEnabled(), timeout=3000)
    click(qtbot, sw.review_button)
    assert "oci db data-guard-association switchover" in sw.cli_view.text() and PASSWORD not in sw.cli_view.text()
    click(qtbot, sw.create_button)
    qtbot.waitUntil(lambda: not sw.isVisible(), timeout=10_000)
    wait_op(qtbot, window, f"({a.peer_db_unique_name} becomes primary)")
    # the roles have swapped: the other side's association is the primary now
    refresh_until(qtbot, window, lambda: [next(r for r in window.resources.model.rows if r.id == i).role
                                          for i in (a.id, a.peer_data_guard_association_id)] == ["STANDBY", "PRIMARY"])
    select_row(qtbot, window, a.display_name)
    assert next(x for x in window._kind_actions if x.text() == "Switchover…").isEnabled() is False
    # failover back to this side (now the standby): the other becomes a disabled standby, then is reinstated
    trigger(window, "Failover…")
    fo = dialog(qtbot, CreateDialog, not_this=sw)
    qtbot.waitUntil(lambda: not fo.busy, timeout=10_000)
    retype(qtbot, fo.row("admin_password").editor, PASSWORD)
    retype(qtbot, fo.row("confirm").editor, a.db_unique_name)
    qtbot.waitUntil(lambda: fo.review_button.isEnabled(), timeout=3000)
    click(qtbot, fo.review_button)
    click(qtbot, fo.create_button)
    qtbot.waitUntil(lambda: not fo.isVisible(), timeout=10_000)
    wait_op(qtbot, window, f"({a.db_unique_name} becomes primary)")
    refresh_until(qtbot, window, lambda: [next(r for r in window.resources.model.rows if r.id == i).role
                                          for i in (a.id, a.peer_data_guard_association_id)]
                  == ["PRIMARY", "DISABLED_STANDBY"])
    peer_name = next(r for r in window.resources.model.rows if r.id == a.peer_data_guard_association_id).display_name
    select_row(qtbot, window, peer_name)
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    assert related(window)["Roles"][1] == "Redo=╳ not shipped: reinstate the disabled standby"
    trigger(window, "Reinstate…")
    ri = dialog(qtbot, CreateDialog, not_this=fo)
    qtbot.waitUntil(lambda: not ri.busy, timeout=10_000)
    retype(qtbot, ri.row("admin_password").editor, PASSWORD)
    qtbot.waitUntil(lambda: ri.review_button.isEnabled(), timeout=3000)
    click(qtbot, ri.review_button)
    click(qtbot, ri.create_button)
    qtbot.waitUntil(lambda: not ri.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "Reinstate")
    refresh_until(qtbot, window, lambda: [next(r for r in window.resources.model.rows if r.id == i).role
                                          for i in (a.id, a.peer_data_guard_association_id)] == ["PRIMARY", "STANDBY"])


def test_migration_from_two_connections_evaluated_started_paused_resumed(qtbot, window, gui_emulator):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Production", "Database", "Migration connections")
    # the source, outside OCI
    window.create_action.trigger()
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("display_name").editor, "erp-source")
    pick(qtbot, dlg.row("where").editor, "outside OCI")
    retype(qtbot, dlg.row("connection_string").editor, "erp.example.com 1521 ERPPDB")
    qtbot.waitUntil(lambda: "host:port/service_name" in dlg.row("connection_string").error_text(), timeout=2000)
    retype(qtbot, dlg.row("connection_string").editor, "erp.example.com:1521/ERPPDB")
    retype(qtbot, dlg.row("password").editor, 'bad"quote')
    qtbot.waitUntil(lambda: "double quotes" in dlg.row("password").error_text(), timeout=2000)
    retype(qtbot, dlg.row("password").editor, "Erp#Secret42")
    retype(qtbot, dlg.row("vault_id").editor, "ocid1.vault.oc1.iad.migrationvault")
    retype(qtbot, dlg.row("key_id").editor, "ocid1.key.oc1.iad.migrationkey")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "Erp#Secret42" not in dlg.cli_view.text() and "create-oracle-connection" in dlg.cli_view.text()
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "erp-source")
    # the target: the demo DB system's database
    window.create_action.trigger()
    dlg2 = dialog(qtbot, CreateDialog, not_this=dlg)
    qtbot.waitUntil(lambda: not dlg2.busy, timeout=10_000)
    retype(qtbot, dlg2.row("display_name").editor, "orders-target")
    qtbot.waitUntil(lambda: dlg2.row("database_id").editor.count() > 0, timeout=5000)
    pick(qtbot, dlg2.row("database_id").editor, "ORDERS")
    retype(qtbot, dlg2.row("password").editor, "Target#Pw77")
    retype(qtbot, dlg2.row("vault_id").editor, "ocid1.vault.oc1.iad.migrationvault")
    retype(qtbot, dlg2.row("key_id").editor, "ocid1.key.oc1.iad.migrationkey")
    qtbot.waitUntil(lambda: dlg2.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg2.review_button)
    click(qtbot, dlg2.create_button)
    qtbot.waitUntil(lambda: not dlg2.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "orders-target")

    open_tree_path(qtbot, window, "Production", "Database", "Migrations")
    window.create_action.trigger()
    m = dialog(qtbot, CreateDialog, not_this=dlg2)
    qtbot.waitUntil(lambda: not m.busy, timeout=10_000)
    retype(qtbot, m.row("display_name").editor, "erp-to-oci")
    qtbot.waitUntil(lambda: m.row("source_id").editor.count() >= 2, timeout=5000)
    pick(qtbot, m.row("source_id").editor, "erp-source")
    pick(qtbot, m.row("target_id").editor, "erp-source")
    qtbot.waitUntil(lambda: "another connection" in m.row("target_id").error_text(), timeout=2000)
    pick(qtbot, m.row("target_id").editor, "orders-target")
    shot(m, "migration-create")
    qtbot.waitUntil(lambda: m.review_button.isEnabled(), timeout=3000)
    click(qtbot, m.review_button)
    assert "oci database-migration migration create-oracle-migration" in m.cli_view.text()
    click(qtbot, m.create_button)
    qtbot.waitUntil(lambda: not m.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "erp-to-oci")
    refresh_until(qtbot, window, lambda: state_of(window, "erp-to-oci") == "ACTIVE")

    select_row(qtbot, window, "erp-to-oci")
    trigger(window, "Evaluate")
    later_once_running(qtbot, gui_emulator, 1)  # the job's phases take their time on the emulator's clock
    wait_op(qtbot, window, "Evaluating")
    refresh_until(qtbot, window, lambda: next(r for r in window.resources.model.rows
                                              if r.display_name == "erp-to-oci").lifecycle_details == "VALIDATED")
    select_row(qtbot, window, "erp-to-oci")
    trigger(window, "Start…")
    st = dialog(qtbot, CreateDialog, not_this=m)
    qtbot.waitUntil(lambda: not st.busy, timeout=10_000)
    pick(qtbot, st.row("wait_after").editor, "Initial load: export")
    click(qtbot, st.review_button)
    assert "--wait-after ODMS_INITIAL_LOAD_EXPORT" in st.cli_view.text()
    click(qtbot, st.create_button)
    qtbot.waitUntil(lambda: not st.isVisible(), timeout=10_000)
    later_once_running(qtbot, gui_emulator, 2)
    wait_op(qtbot, window, "Start migration erp-to-oci")
    refresh_until(qtbot, window, lambda: state_of(window, "erp-to-oci") == "WAITING")
    select_row(qtbot, window, "erp-to-oci")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    timeline = related(window)["Job phases"]
    assert timeline[0].startswith("Job=MIGRATION WAITING: ") and "Paused after ODMS_INITIAL_LOAD_EXPORT" in timeline[0]
    assert "Initial load: export=✔ done in 300 s" in timeline and "Initial load: import=· pending" in timeline
    window.detail.tabs.setCurrentWidget(window.detail.related)
    shot(window, "migration-waiting")
    trigger(window, "Resume")
    qtbot.waitUntil(lambda: any(j["lifecycleState"] == "IN_PROGRESS" for j in gui_emulator.core.store.list("odmsjob")),
                    timeout=5000)
    gui_emulator.clock.advance(3600)
    wait_op(qtbot, window, "Resuming")
    refresh_until(qtbot, window, lambda: state_of(window, "erp-to-oci") == "SUCCEEDED")
    select_row(qtbot, window, "erp-to-oci")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    rel = related(window)
    assert rel["Job phases"][-1] == "Clean up=✔ done in 30 s"
    assert any("Job MIGRATION succeeded" in line for line in rel["Job output"])
    window.detail.tabs.setCurrentWidget(window.detail.related)
    shot(window, "migration-done")


def test_database_backup_now_settings_restore_errors(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Production", "Database", "Databases")
    qtbot.waitUntil(lambda: "ORDERS" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "ORDERS")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    info = related(window)["Database"]
    assert "Automatic backups=daily 02:00–04:00 UTC, kept 15 days" in info, info
    assert any(i.startswith("Backup Automatic Backup ") for i in info)
    # back up now: tracked until the backup is ACTIVE
    trigger(window, "Back up now…")
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("display_name").editor, "before-release")
    click(qtbot, dlg.review_button)
    assert "oci db backup create" in dlg.cli_view.text()
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = wait_op(qtbot, window, "Back up ORDERS")
    assert op.detail == "ACTIVE"
    # restore to a time outside the backups: OCI's refusal, inline; a malformed time is refused before sending
    refresh_until(qtbot, window, lambda: state_of(window, "ORDERS") == "AVAILABLE")
    select_row(qtbot, window, "ORDERS")
    trigger(window, "Restore…")
    rs = dialog(qtbot, CreateDialog, not_this=dlg)
    qtbot.waitUntil(lambda: not rs.busy, timeout=10_000)
    pick(qtbot, rs.row("point").editor, "A point in time")
    retype(qtbot, rs.row("timestamp").editor, "yesterday")
    qtbot.waitUntil(lambda: "A date and time" in rs.row("timestamp").error_text(), timeout=2000)
    retype(qtbot, rs.row("timestamp").editor, "2001-01-01T00:00:00Z")
    qtbot.waitUntil(lambda: rs.review_button.isEnabled(), timeout=3000)
    click(qtbot, rs.review_button)
    assert "oci db database restore" in rs.cli_view.text()
    click(qtbot, rs.create_button)
    qtbot.waitUntil(lambda: "between the earliest backup" in rs.error_text(), timeout=10_000)
    shot(rs, "dbsys-restore-error")
    rs.reject()
    qtbot.waitUntil(lambda: not rs.isVisible(), timeout=5000)
    # automatic backups off
    select_row(qtbot, window, "ORDERS")
    trigger(window, "Backup settings…")
    bs = dialog(qtbot, CreateDialog, not_this=rs)
    qtbot.waitUntil(lambda: not bs.busy, timeout=10_000)
    assert bs.row("recovery_window").editor.currentText() == "15 days"
    bs.row("auto_backup").editor.setChecked(False)
    qtbot.waitUntil(lambda: bs.review_button.isEnabled(), timeout=3000)
    click(qtbot, bs.review_button)
    assert "--auto-backup-enabled false" in bs.cli_view.text()
    click(qtbot, bs.create_button)
    qtbot.waitUntil(lambda: not bs.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "Change the backup settings of ORDERS")
    refresh_until(qtbot, window, lambda: not next(r for r in window.resources.model.rows
                                                  if r.db_name == "ORDERS").db_backup_config.auto_backup_enabled)
    # an automatic backup cannot be deleted (it expires): no Delete for it
    open_tree_path(qtbot, window, "Production", "Database", "DB backups")
    qtbot.waitUntil(lambda: "before-release" in table_rows(window.resources), timeout=10_000)
    auto = next(n for n in table_rows(window.resources) if n.startswith("Automatic Backup"))
    select_row(qtbot, window, auto)
    assert not next(x for x in window._kind_actions if x.text() == "Delete").isEnabled()
    select_row(qtbot, window, "before-release")
    assert next(x for x in window._kind_actions if x.text() == "Delete").isEnabled()


def test_db_system_metrics_tab(qtbot, aloop, session):
    from ociconsole import catalog
    from ociconsole.gui import aio
    from ociconsole.gui.detail import DetailPane
    from ociconsole.services import identity as idsvc
    kind = catalog.kind("database.db_system")

    async def find():
        tree = await idsvc.compartment_tree(session)
        for c in [c for cs in tree.values() for c in cs]:
            for s in await kind.list(session, c.id):
                if s.display_name == "orders-db":
                    return s
    task = aio.spawn(find())
    qtbot.waitUntil(task.done, timeout=10_000)
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.resize(900, 900)
    pane.show()
    pane.show_resource(session, kind, task.result())
    pane.show_metrics()
    with qtbot.waitSignal(pane.metrics_panel.refreshed, timeout=10_000):
        pass
    charts = {c.title: c for c in pane.metrics_panel.grid.charts}
    assert list(charts) == ["CPU utilization", "Storage utilization", "Sessions", "Executions and transactions"]
    (t, v), = charts["CPU utilization"].data.values()
    assert 55 <= len(t) <= 61 and 0 < v.mean() < 100  # the last hour, one point a minute, from its DB node
    assert set(charts["Executions and transactions"].data) == {"executions", "transactions"}
    shot(pane, "dbsys-metrics")
