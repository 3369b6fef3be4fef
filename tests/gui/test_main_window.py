"""The main window against a real emulator, driven like a person: tree, table, details,
actions, keyboard, remembered layout — and no SDK call on the GUI thread."""

from __future__ import annotations

import threading

import oci

from ociconsole.gui import settings
from ociconsole.gui.main_window import MainWindow
from ociconsole.gui.qt import QApplication, QGuiApplication, Qt

from .helpers import answer_confirm, click_index, open_tree_path, settled, table_rows


def instances_of(qtbot, window, *path):
    open_tree_path(qtbot, window, *path, "Compute", "Instances")
    qtbot.waitUntil(lambda: window.resources.model.rowCount() > 0, timeout=10_000)
    return table_rows(window.resources)


def test_tree_table_and_details(qtbot, window):
    model = window.tree_model
    root = model.index(0, 0)
    assert root.data() == "acme-corp"
    names = instances_of(qtbot, window, "Production", "Web", "Frontend")
    assert names == ["web-01", "web-02"]
    assert window.resources.title.text() == "Instances in Frontend"
    # state column is coloured
    state_idx = window.resources.proxy.index(0, 1)
    assert state_idx.data() == "RUNNING"
    assert state_idx.data(Qt.ItemDataRole.ForegroundRole).name() == "#2e8b45"
    # details of the clicked row
    click_index(qtbot, window.resources.table, window.resources.proxy.index(1, 0))
    qtbot.waitUntil(lambda: window.detail.name.text() == "web-02", timeout=5000)
    fields = window.detail.field_values()
    assert fields["Shape"] == "VM.Standard.E4.Flex"
    assert fields["OCPUs"] == "2" and fields["Memory (GB)"].isdigit()  # the Shape section, with units
    assert fields["ID"].startswith("ocid1.instance.")
    sections = [window.detail.fields.topLevelItem(i).text(0) for i in range(window.detail.fields.topLevelItemCount())]
    assert sections[:4] == ["General", "Shape", "Image and boot", "Networking"] or sections[:3] == [
        "General", "Shape", "Image and boot"], sections
    assert fields["Compartment"] == "Frontend"  # a name, not an OCID (the OCID on hover and in the copy)
    # the image it was launched from: its name once read (the link keeps the OCID)
    qtbot.waitUntil(lambda: not window.detail.field_values()["Image"].startswith("ocid1."), timeout=5000)
    import json
    assert json.loads(window.detail.json_view.toPlainText())["display_name"] == "web-02"
    # related resources: VNIC with its IPs, subnet, boot volume, image
    rel = window.detail.related

    def related_text():
        out = []
        for i in range(rel.topLevelItemCount()):
            sec = rel.topLevelItem(i)
            out += [f"{sec.child(j).text(0)}={sec.child(j).text(1)}" for j in range(sec.childCount())]
        return out
    qtbot.waitUntil(lambda: rel.topLevelItemCount() == 4 and all(
        rel.topLevelItem(i).text(1) != "loading…" for i in range(4)), timeout=5000)
    texts = related_text()
    assert any(t.startswith("VNIC web-02") and "private 10.10.0." in t for t in texts), texts
    assert any(t.startswith("Subnet=prod-vcn-public") for t in texts), texts
    assert any(t.startswith("Image=Oracle-Linux-9") for t in texts), texts
    # tags tab
    tags = [window.detail.tags.topLevelItem(i).text(0) for i in range(window.detail.tags.topLevelItemCount())]
    assert "Operations.Environment" in tags


def test_related_link_navigates_and_back(qtbot, window):
    instances_of(qtbot, window, "Production", "Web", "Frontend")
    click_index(qtbot, window.resources.table, window.resources.proxy.index(0, 0))
    rel = window.detail.related
    qtbot.waitUntil(lambda: rel.topLevelItemCount() > 0 and rel.topLevelItem(0).childCount() >= 2, timeout=5000)
    subnet_item = next(rel.topLevelItem(0).child(j) for j in range(rel.topLevelItem(0).childCount())
                       if rel.topLevelItem(0).child(j).text(0) == "Subnet")
    rect = rel.visualItemRect(subnet_item)
    rect.moveLeft(rel.header().sectionPosition(1) + 4)
    qtbot.mouseClick(rel.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.detail.name.text() == "prod-vcn-public", timeout=5000)
    assert window.detail.back.isVisible()
    qtbot.mouseClick(window.detail.back, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.detail.name.text() == "web-01", timeout=5000)


def test_filter_refresh_and_copy_shortcuts(qtbot, window):
    instances_of(qtbot, window, "Development", "Shared-Tools")
    assert sorted(table_rows(window.resources)) == ["bastion", "jenkins", "old-build-agent"]
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.resources.filter.hasFocus()
    qtbot.keyClicks(window.resources.filter, "jenk")
    assert table_rows(window.resources) == ["jenkins"]
    click_index(qtbot, window.resources.table, window.resources.proxy.index(0, 0))
    qtbot.keyClick(window.resources.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text().startswith("ocid1.instance.")
    # F5 reloads (a new generation is started and completes)
    gen = window.resources.generation
    qtbot.keyClick(window.resources.table, Qt.Key.Key_F5)
    assert window.resources.generation == gen + 1
    qtbot.waitUntil(lambda: window.resources.model.rowCount() == 3, timeout=5000)


def test_action_buttons_follow_state(qtbot, window):
    instances_of(qtbot, window, "Staging", "Web")
    rows = table_rows(window.resources)
    stopped = rows.index("stg-web-02")
    click_index(qtbot, window.resources.table, window.resources.proxy.index(stopped, 0))
    buttons = {a.text(): a.isEnabled() for a in window._kind_actions}
    assert buttons["Start"] and not buttons["Stop"] and buttons["Terminate"]
    running = rows.index("stg-web-01")
    click_index(qtbot, window.resources.table, window.resources.proxy.index(running, 0))
    buttons = {a.text(): a.isEnabled() for a in window._kind_actions}
    assert not buttons["Start"] and buttons["Stop"] and buttons["Reboot"]


def test_stop_and_start_from_toolbar_tracked_in_activity(qtbot, window, session):
    instances_of(qtbot, window, "Development", "Shared-Tools")
    row = table_rows(window.resources).index("jenkins")
    click_index(qtbot, window.resources.table, window.resources.proxy.index(row, 0))
    stop = next(a for a in window._kind_actions if a.text() == "Stop")
    n = len(window.oplog.operations)
    stop.trigger()
    dlg = answer_confirm(qtbot)  # Stop asks first, as Force stop does
    assert dlg.windowTitle() == "Stop instance" and dlg.expected is None
    assert len(window.oplog.operations) == n + 1
    op = window.oplog.operations[-1]
    assert op.title == "Stopping instance jenkins"
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state.value == "Succeeded" and op.detail == "STOPPED"
    # the table row followed the lifecycle without a manual refresh
    qtbot.waitUntil(lambda: window.resources.proxy.index(row, 1).data() == "STOPPED", timeout=5000)
    start = next(a for a in window._kind_actions if a.text() == "Start")
    assert start.isEnabled()
    start.trigger()
    op2 = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op2.state.done, timeout=15_000)
    assert op2.detail == "RUNNING"


def test_failed_action_shows_its_error(qtbot, window, gui_emulator):
    instances_of(qtbot, window, "Development", "Shared-Tools")
    row = table_rows(window.resources).index("bastion")
    click_index(qtbot, window.resources.table, window.resources.proxy.index(row, 0))
    inst = window.resources.current_resource()
    # someone else stops it meanwhile: our STOP-able row is stale, OCI refuses the reboot
    cfg = gui_emulator.client_config()
    cc = oci.core.ComputeClient(cfg, service_endpoint=gui_emulator.endpoint("core"))
    cc.instance_action(inst.id, "STOP")
    settled(gui_emulator, lambda: cc.get_instance(inst.id), "STOPPED")
    reboot = next(a for a in window._kind_actions if a.text() == "Reboot")
    assert reboot.isEnabled()  # the table still shows RUNNING
    reboot.trigger()
    answer_confirm(qtbot)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
    assert op.state.value == "Failed"
    assert op.error.code == "IncorrectState" and op.error.status == 409
    assert op.error.request_id
    assert "IncorrectState" in op.detail


def test_no_sdk_call_runs_on_the_gui_thread(qtbot, window, monkeypatch, session):
    seen: list[threading.Thread] = []
    real = oci.base_client.BaseClient.call_api

    def spy(self, *a, **kw):
        seen.append(threading.current_thread())
        return real(self, *a, **kw)
    monkeypatch.setattr(oci.base_client.BaseClient, "call_api", spy)
    instances_of(qtbot, window, "Production", "Data", "Warehouse")
    click_index(qtbot, window.resources.table, window.resources.proxy.index(0, 0))
    qtbot.waitUntil(lambda: window.detail.related.topLevelItemCount() > 0
                    and window.detail.related.topLevelItem(0).text(1) != "loading…", timeout=5000)
    window.refresh()
    qtbot.waitUntil(lambda: window.resources.model.rowCount() > 0, timeout=5000)
    assert len(seen) >= 5
    main = threading.main_thread()
    assert all(t is not main for t in seen), [t.name for t in seen]
    assert all(t.name.startswith("oci-sdk") for t in seen)


def test_layout_and_place_are_remembered(qtbot, aloop, session, window):
    instances_of(qtbot, window, "Staging", "QA")
    qa = window.current_compartment.id
    window.resize(780, 560)  # inside the offscreen platform's small virtual screen
    QApplication.processEvents()
    window.splitter.setSizes([300, 250, 200])
    saved = window.splitter.sizes()
    window.close()
    assert settings.get("browse/compartment") == qa
    assert settings.get("browse/kind") == "compute.instance"
    w2 = MainWindow()
    qtbot.addWidget(w2)
    w2.show()
    QApplication.processEvents()
    # the layout comes back as it was left
    assert w2.size() == window.size()
    assert all(abs(a - b) <= 8 for a, b in zip(w2.splitter.sizes(), saved, strict=False)), (w2.splitter.sizes(), saved)
    # and so does the place, once connected
    w2.set_session(session, "demo")
    qtbot.waitUntil(lambda: w2.current_compartment is not None and w2.current_compartment.id == qa, timeout=10_000)
    qtbot.waitUntil(lambda: table_rows(w2.resources) == ["qa-runner-arm"], timeout=10_000)
    w2.close()


# ---------------------------------------------------------------- create and destroy, end to end

def _dialog(cls):
    from .helpers import top_level
    return top_level(cls)


def test_launch_stop_terminate_instance_through_the_window(qtbot, window, session):
    from ociconsole.gui.confirm import ConfirmDialog
    from ociconsole.gui.form_dialog import CreateDialog

    from .helpers import click, pick, retype
    instances_of(qtbot, window, "Development", "Shared-Tools")
    before = set(table_rows(window.resources))
    qtbot.keyClick(window.resources.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _dialog(CreateDialog) is not None, timeout=5000)
    dlg = _dialog(CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    assert dlg.row("compartment_id").editor.currentText().strip() == "Shared-Tools"
    retype(qtbot, dlg.row("display_name").editor, "build-02")
    pick(qtbot, dlg.row("shape").editor, "VM.Standard.E4.Flex")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("ocpus").editor, "2")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    pick(qtbot, dlg.row("image_id").editor, "Oracle-Linux-9")
    pick(qtbot, dlg.row("network_compartment_id").editor, "Development")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    pick(qtbot, dlg.row("vcn_id").editor, "dev-vcn")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    pick(qtbot, dlg.row("subnet_id").editor, "dev-vcn-private")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    assert dlg.row("assign_public_ip").editor.isChecked() is False  # private subnet: no public IP
    click(qtbot, dlg.review_button)
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    assert op.title == "Create instance build-02"
    # the new row appears at once and follows PROVISIONING -> RUNNING in the table
    qtbot.waitUntil(lambda: "build-02" in table_rows(window.resources), timeout=10_000)
    qtbot.waitUntil(lambda: op.state.done, timeout=20_000)
    assert op.state.value == "Succeeded" and op.detail == "RUNNING", (op.detail, op.error)
    assert set(table_rows(window.resources)) == before | {"build-02"}
    row = table_rows(window.resources).index("build-02")
    qtbot.waitUntil(lambda: window.resources.proxy.index(row, 1).data() == "RUNNING", timeout=5000)

    # stop it
    click_index(qtbot, window.resources.table, window.resources.proxy.index(row, 0))
    next(a for a in window._kind_actions if a.text() == "Stop").trigger()
    answer_confirm(qtbot)
    stop_op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: stop_op.state.done, timeout=20_000)
    assert stop_op.detail == "STOPPED"

    # terminate with the Delete key: the name must be typed, the boot volume kept
    click_index(qtbot, window.resources.table, window.resources.proxy.index(row, 0))
    window.activateWindow()  # the offscreen platform does not give focus back after a dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    window.resources.table.setFocus()
    qtbot.keyClick(window.resources.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: _dialog(ConfirmDialog) is not None, timeout=5000)
    conf = _dialog(ConfirmDialog)
    assert not conf.ok_button.isEnabled()
    qtbot.keyClicks(conf.input, "build-02")
    assert conf.ok_button.isEnabled()
    conf.option_boxes["keep_boot_volume"].setChecked(True)
    click(qtbot, conf.ok_button)
    term = window.oplog.operations[-1]
    assert term.title == "Terminating instance build-02"
    qtbot.waitUntil(lambda: term.state.done, timeout=20_000)
    assert term.state.value == "Succeeded", term.error
    qtbot.waitUntil(lambda: window.resources.proxy.index(row, 1).data() == "TERMINATED", timeout=10_000)
    kept = [b for b in window.resources.model.rows if b.display_name == "build-02"]
    assert kept
    # the boot volume was kept
    open_tree_path(qtbot, window, "Development", "Shared-Tools", "Compute", "Boot volumes")
    qtbot.waitUntil(lambda: "build-02 (Boot Volume)" in table_rows(window.resources), timeout=10_000)


def test_create_compartment_and_vcn_through_the_window(qtbot, window, session):
    from ociconsole.gui.form_dialog import CreateDialog

    from .helpers import click, retype
    # a compartment: select a compartment node, its table lists child compartments
    open_tree_path(qtbot, window, "Staging")
    qtbot.waitUntil(lambda: window.resources.kind is not None
                    and window.resources.kind.id == "identity.compartment", timeout=5000)
    qtbot.waitUntil(lambda: set(table_rows(window.resources)) == {"QA", "Web"}, timeout=5000)
    window.create_action.trigger()
    qtbot.waitUntil(lambda: _dialog(CreateDialog) is not None, timeout=5000)
    dlg = _dialog(CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("name").editor, "Perf")
    retype(qtbot, dlg.row("description").editor, "Performance tests")
    click(qtbot, dlg.review_button)
    assert "oci iam compartment create" in dlg.cli_view.text() and "--name Perf" in dlg.cli_view.text()
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
    assert op.state.value == "Succeeded", op.error
    qtbot.waitUntil(lambda: "Perf" in table_rows(window.resources), timeout=5000)

    # a VCN in it
    open_tree_path(qtbot, window, "Staging", "Networking", "VCNs")
    qtbot.waitUntil(lambda: "staging-vcn" in table_rows(window.resources), timeout=5000)
    window.create_action.trigger()
    qtbot.waitUntil(lambda: _dialog(CreateDialog) is not None, timeout=5000)
    dlg = _dialog(CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("display_name").editor, "perf-vcn")
    retype(qtbot, dlg.row("cidr_block").editor, "10.40.0.0/33")
    qtbot.waitUntil(lambda: dlg.row("cidr_block").error_text() != "", timeout=2000)
    assert not dlg.review_button.isEnabled()
    retype(qtbot, dlg.row("cidr_block").editor, "10.40.0.0/16")
    retype(qtbot, dlg.row("dns_label").editor, "perf")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=2000)
    click(qtbot, dlg.review_button)
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
    assert op.state.value == "Succeeded" and op.detail == "AVAILABLE", (op.detail, op.error)
    assert "perf-vcn" in table_rows(window.resources)


def test_multi_select_runs_the_action_on_each(qtbot, window):
    instances_of(qtbot, window, "Production", "Web", "Frontend")
    table = window.resources.table
    click_index(qtbot, table, window.resources.proxy.index(0, 0))
    rect = table.visualRect(window.resources.proxy.index(1, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     rect.center())
    assert [r.display_name for r in window.resources.selected_resources()] == ["web-01", "web-02"]
    n = len(window.oplog.operations)
    next(a for a in window._kind_actions if a.text() == "Stop").trigger()
    answer_confirm(qtbot)
    ops = window.oplog.operations[n:]
    assert sorted(o.title for o in ops) == ["Stopping instance web-01", "Stopping instance web-02"]
    qtbot.waitUntil(lambda: all(o.state.done for o in ops), timeout=20_000)
    assert [o.detail for o in ops] == ["STOPPED", "STOPPED"]


def test_last_connection_and_region_are_used_at_start(qtbot, aloop, tmp_path, monkeypatch):
    from ociconsole.gui.app import Console, build_parser
    # nothing named (an OCI_CLI_CONFIG_FILE would be an explicit choice that wins over the remembered one)
    monkeypatch.delenv("OCI_CLI_CONFIG_FILE", raising=False)
    monkeypatch.delenv("OCI_CONFIG_FILE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "userhome"))
    settings.set("connection/last", "demo")
    settings.set("connection/region", "demo|us-phoenix-1")
    console = Console(QApplication.instance(), build_parser().parse_args([]))
    qtbot.addWidget(console.window)
    try:
        with qtbot.waitSignal(console.window.ready, timeout=30_000):
            console.start()
        assert console.session.connection.is_demo
        assert console.session.connection.region == "us-phoenix-1"
        qtbot.waitUntil(lambda: console.window.region_combo.currentData() == "us-phoenix-1", timeout=10_000)
    finally:
        console.window.shutdown()
        console.shutdown()


def test_search_the_tenancy_and_open_a_result(qtbot, window):
    window.search_field.setFocus()
    qtbot.keyClicks(window.search_field, "query instance resources where lifeCycleState = 'RUNNING'")
    with qtbot.waitSignal(window.search.finished, timeout=10_000) as blocker:
        qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert blocker.args == [11]
    names = table_rows(window.search)
    assert "api-01" in names and "api-02" not in names  # api-02 is stopped
    comp_col = [c.title for c in window.search.kind.columns].index("Compartment")
    row = names.index("api-01")
    assert window.search.proxy.index(row, comp_col).data() == "API"  # names, not OCIDs
    click_index(qtbot, window.search.table, window.search.proxy.index(row, 0), double=True)
    qtbot.waitUntil(lambda: window.detail.name.text() == "api-01", timeout=10_000)
    assert window.resources.title.text() == "Instances in API"
    assert window.resources.current_resource().display_name == "api-01"
    # free text finds by name across kinds; a broken query says where it is wrong
    window.search.search("prod-vcn")
    qtbot.waitUntil(lambda: "found" in window.search.status.text(), timeout=10_000)
    assert "prod-vcn" in table_rows(window.search)
    window.search.search("query instance resources where displayName = ")
    qtbot.waitUntil(lambda: "failed" in window.search.status.text(), timeout=10_000)
    assert "position" in window.search.status.text()


def test_the_session_exports_as_a_runnable_script(qtbot, window, session, tmp_path):
    """A create and a Stop made in the window come back as bash (CLI, with waits) and Python (SDK calls)."""
    from ociconsole.gui.form_dialog import CreateDialog

    from .helpers import click, retype, top_level
    instances_of(qtbot, window, "Development", "Shared-Tools")
    row = table_rows(window.resources).index("jenkins")
    click_index(qtbot, window.resources.table, window.resources.proxy.index(row, 0))
    jenkins = window.resources.selected_resources()[0].id
    next(a for a in window._kind_actions if a.text() == "Stop").trigger()
    answer_confirm(qtbot)
    qtbot.waitUntil(lambda: window.oplog.operations[-1].state.done, timeout=15_000)
    open_tree_path(qtbot, window, "Development", "Networking", "VCNs")
    window.create_action.trigger()
    qtbot.waitUntil(lambda: top_level(CreateDialog) is not None and not top_level(CreateDialog).busy, timeout=10_000)
    c = top_level(CreateDialog)
    qtbot.keyClicks(c.row("display_name").editor, "script-vcn")
    retype(qtbot, c.row("cidr_block").editor, "10.91.0.0/16")
    click(qtbot, c.review_button)
    with qtbot.waitSignal(c.submitted, timeout=10_000) as sig:
        click(qtbot, c.create_button)
    qtbot.waitUntil(lambda: sig.args[0].state.done, timeout=10_000)
    assert window.activity.script_action.isEnabled()

    sh, py = tmp_path / "session.sh", tmp_path / "session.py"
    assert window.activity.export_script_to(str(sh)) and window.activity.export_script_to(str(py))
    bash = sh.read_text()
    stop = bash.index(f"oci compute instance action \\\n    --instance-id {jenkins} \\\n    --action SOFTSTOP")
    assert "--wait-for-state STOPPED" in bash[stop:]
    create = bash.index("oci network vcn create")
    assert stop < create and "--display-name script-vcn" in bash and "--wait-for-state AVAILABLE" in bash
    assert bash.startswith("#!/usr/bin/env bash") and (sh.stat().st_mode & 0o111)
    python = py.read_text()
    compile(python, str(py), "exec")
    assert f"response = compute_client.instance_action('{jenkins}', 'SOFTSTOP')" in python
    assert f"compute_client.get_instance('{jenkins}'), 'lifecycle_state', 'STOPPED'" in python
    assert "network_client.create_vcn(oci.core.models.CreateVcnDetails(" in python
    assert "display_name='script-vcn'" in python
    # a replay waits for the VCN it makes, not the one made when the console ran
    assert "script_vcn_id = response.data.id" in python
    assert "network_client.get_vcn(script_vcn_id), 'lifecycle_state', 'AVAILABLE'" in python
    assert "SCRIPT_VCN_ID=$(oci network vcn create" in bash and "--query 'data.id' --raw-output)" in bash
