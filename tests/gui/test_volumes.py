"""Block volumes through the window against the real emulator: attach to an instance of the same
availability domain from the dialog (tracked until ATTACHED, then listed in the instance's
related volumes), detach, resize (up only), back up now, and the create form's performance
levels and bounds."""

from __future__ import annotations

import oci

from ociconsole.core.operations import OpState
from ociconsole.gui.qt import QApplication

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


def volumes_of(qtbot, window, *path):
    open_tree_path(qtbot, window, *path, "Storage", "Block volumes")
    qtbot.waitUntil(lambda: window.resources.model.rowCount() > 0, timeout=10_000)
    return table_rows(window.resources)


def test_attach_from_the_dialog_then_detach(qtbot, window, gui_emulator):
    from ociconsole.gui.confirm import ConfirmDialog
    from ociconsole.gui.form_dialog import CreateDialog
    assert volumes_of(qtbot, window, "Development", "Shared-Tools") == ["scratch"]
    size_col = [c.title for c in window.resources.kind.columns].index("Performance")
    assert window.resources.proxy.index(0, size_col).data() == "Lower cost (0 VPUs/GB)"
    select_row(qtbot, window, "scratch")
    trigger(window, "Attach to instance…")
    dlg = dialog(qtbot, CreateDialog)
    assert dlg.create_button.text() == "Attach" and dlg.windowTitle() == "Attach volume scratch"
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    # only running or stopped instances of the volume's AD (AD-1): jenkins, not bastion (AD-2)
    combo = dlg.row("instance_id").editor
    assert [combo.itemText(i).split(" (")[0] for i in range(combo.count())] == ["jenkins"]
    pick(qtbot, dlg.row("attachment_type").editor, "iSCSI")
    dlg.row("is_read_only").editor.setChecked(True)
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci compute volume-attachment attach" in cli and "--type iscsi" in cli and "--is-read-only true" in cli
    assert "--wait-for-state ATTACHED" in cli
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    assert op.title == "Attach volume scratch"
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED and op.detail == "ATTACHED", (op.detail, op.error)
    # the instance's related volumes, and the volume's related instance
    open_tree_path(qtbot, window, "Development", "Shared-Tools", "Compute", "Instances")
    qtbot.waitUntil(lambda: "jenkins" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "jenkins")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=5000)
    vols = related(window)["Block volumes"]
    assert len(vols) == 1 and vols[0].startswith("Volume scratch=50 GB, iscsi") and "read-only, ATTACHED" in vols[0]

    volumes_of(qtbot, window, "Development", "Shared-Tools")
    select_row(qtbot, window, "scratch")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=5000)
    assert related(window)["Attached to"][0].startswith("Instance jenkins=iscsi")

    # detach from the volume
    trigger(window, "Detach")
    conf = dialog(qtbot, ConfirmDialog)
    click(qtbot, conf.ok_button)
    op = window.oplog.operations[-1]
    assert op.title == "Detaching volume scratch"
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED and op.detail == "DETACHED", (op.detail, op.error)
    cfg = gui_emulator.client_config()
    cc = oci.core.ComputeClient(cfg, service_endpoint=gui_emulator.endpoint("core"))
    atts = cc.list_volume_attachments(op_compartment(window), volume_id=window.detail.resource.id).data
    assert [a.lifecycle_state for a in atts] == ["DETACHED"]


def op_compartment(window) -> str:
    return window.current_compartment.id


def test_create_form_resize_up_only_and_backup_now(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    volumes_of(qtbot, window, "Production", "Web", "API")
    window.create_action.trigger()
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    perf = dlg.row("vpus_per_gb").editor
    labels = [perf.itemText(i) for i in range(perf.count())]
    assert labels[:3] == ["Lower cost (0 VPUs/GB)", "Balanced (10 VPUs/GB)", "Higher performance (20 VPUs/GB)"]
    assert labels[3] == "Ultra high performance (30 VPUs/GB)" and labels[-1] == "Ultra high performance (120 VPUs/GB)"
    assert perf.currentText() == "Balanced (10 VPUs/GB)"
    policies = dlg.row("backup_policy_id").editor
    assert [policies.itemText(i) for i in range(policies.count())][:4] == [
        "None — no scheduled backups", "Bronze (Oracle-defined)", "Gold (Oracle-defined)", "Silver (Oracle-defined)"]
    size = dlg.row("size_in_gbs").editor
    retype(qtbot, size, "40")
    qtbot.waitUntil(lambda: dlg.row("size_in_gbs").error_text() != "", timeout=2000)
    assert not dlg.review_button.isEnabled()
    retype(qtbot, size, "100")
    retype(qtbot, dlg.row("display_name").editor, "api-logs")
    pick(qtbot, perf, "Higher performance")
    pick(qtbot, policies, "Silver")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "oci bv volume create" in dlg.cli_view.text() and "--vpus-per-gb 20" in dlg.cli_view.text()
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED and op.detail == "AVAILABLE", op.error
    qtbot.waitUntil(lambda: "api-logs" in table_rows(window.resources), timeout=5000)

    # resize: never smaller
    select_row(qtbot, window, "api-logs")
    trigger(window, "Resize…")
    rd = dialog(qtbot, CreateDialog, not_this=dlg)
    qtbot.waitUntil(lambda: not rd.busy, timeout=5000)
    assert rd.create_button.text() == "Resize"
    retype(qtbot, rd.row("size_in_gbs").editor, "60")
    qtbot.waitUntil(lambda: "only grow" in rd.row("size_in_gbs").error_text(), timeout=2000)
    assert not rd.review_button.isEnabled()
    retype(qtbot, rd.row("size_in_gbs").editor, "250")
    qtbot.waitUntil(lambda: rd.review_button.isEnabled(), timeout=2000)
    click(qtbot, rd.review_button)
    assert "oci bv volume update" in rd.cli_view.text() and "--size-in-gbs 250" in rd.cli_view.text()
    click(qtbot, rd.create_button)
    qtbot.waitUntil(lambda: not rd.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    assert op.title == "Resize volume api-logs to 250 GB"
    qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
    assert op.state is OpState.SUCCEEDED, op.error
    col = [c.title for c in window.resources.kind.columns].index("Size (GB)")
    row = table_rows(window.resources).index("api-logs")
    qtbot.waitUntil(lambda: window.resources.proxy.index(row, col).data() == "250", timeout=5000)

    # back up now (full), tracked until AVAILABLE
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    trigger(window, "Back up now…")
    bd = dialog(qtbot, CreateDialog, not_this=rd)
    qtbot.waitUntil(lambda: not bd.busy, timeout=5000)
    pick(qtbot, bd.row("type").editor, "Full")
    click(qtbot, bd.review_button)
    assert "oci bv backup create" in bd.cli_view.text() and "--type FULL" in bd.cli_view.text()
    click(qtbot, bd.create_button)
    qtbot.waitUntil(lambda: not bd.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    assert op.title == "Back up volume api-logs (full)"
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED and op.detail == "AVAILABLE", op.error
    open_tree_path(qtbot, window, "Production", "Web", "API", "Storage", "Volume backups")
    qtbot.waitUntil(lambda: any(n.startswith("api-logs-") for n in table_rows(window.resources)), timeout=10_000)


def test_backup_policy_form_with_schedules(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Production", "Storage", "Backup policies")
    qtbot.waitUntil(lambda: "prod-daily-dr" in table_rows(window.resources), timeout=10_000)
    window.create_action.trigger()
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("display_name").editor, "nightly-and-weekly")
    assert not dlg.row("s2_type").shown and not dlg.row("s1_weekday").shown
    pick(qtbot, dlg.row("s2_period").editor, "Weekly")
    assert dlg.row("s2_weekday").shown and dlg.row("s2_hour").shown and dlg.row("s3_period").shown
    retype(qtbot, dlg.row("s2_retention").editor, "3")
    qtbot.waitUntil(lambda: "at least 7 days" in dlg.row("s2_retention").error_text(), timeout=2000)
    retype(qtbot, dlg.row("s2_retention").editor, "60")
    pick(qtbot, dlg.row("destination_region").editor, "us-phoenix-1")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci bv volume-backup-policy create" in cli and "--destination-region us-phoenix-1" in cli
    assert '"period":"ONE_WEEK"' in cli and '"dayOfWeek":"SUNDAY"' in cli
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
    assert op.state is OpState.SUCCEEDED, op.error
    qtbot.waitUntil(lambda: "nightly-and-weekly" in table_rows(window.resources), timeout=5000)
    row = table_rows(window.resources).index("nightly-and-weekly")
    assert window.resources.proxy.index(row, 1).data() == "Daily incremental; Weekly full"
