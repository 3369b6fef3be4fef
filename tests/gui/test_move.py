""""Move to compartment…": every catalog kind with SDK names gets it, and it works end to end through the
window (dialog with a compartment picker, review with the `oci … change-compartment` command and the Python
SDK code, the operation tracked, the resource listed in its new compartment)."""

from __future__ import annotations

import oci

from ociconsole.core.operations import OpState

from .helpers import click, click_index, open_tree_path, pick, table_rows, top_level


def test_move_a_vcn_to_another_compartment(qtbot, window, gui_emulator):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Development", "Networking", "VCNs")
    qtbot.waitUntil(lambda: "dev-vcn" in table_rows(window.resources), timeout=10_000)
    row = table_rows(window.resources).index("dev-vcn")
    click_index(qtbot, window.resources.table, window.resources.proxy.index(row, 0))
    qtbot.waitUntil(lambda: window.detail.name.text() == "dev-vcn", timeout=5000)
    vcn_id = window.detail.resource.id
    dev_id = window.detail.resource.compartment_id

    action = next(a for a in window._kind_actions if a.text() == "Move to compartment…")
    assert action.isEnabled()
    action.trigger()
    qtbot.waitUntil(lambda: top_level(CreateDialog) is not None, timeout=5000)
    dlg = top_level(CreateDialog)
    assert dlg.windowTitle() == "Move VCN dev-vcn" and dlg.create_button.text() == "Move"
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    combo = dlg.row("compartment_id").editor
    # the compartment it is in is refused at the field
    pick(qtbot, combo, "Development")
    qtbot.waitUntil(lambda: "already in this compartment" in dlg.row("compartment_id").error_text(), timeout=3000)
    pick(qtbot, combo, "Staging")
    qtbot.waitUntil(lambda: dlg.row("compartment_id").error_text() == "", timeout=3000)
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci network vcn change-compartment" in cli and f"--vcn-id {vcn_id}" in cli and "--compartment-id" in cli
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    assert op.title == "Moving VCN dev-vcn"
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED, (op.detail, op.error)

    cfg = gui_emulator.client_config()
    vn = oci.core.VirtualNetworkClient(cfg, service_endpoint=gui_emulator.endpoint("core"))
    moved = vn.get_vcn(vcn_id).data
    assert moved.compartment_id != dev_id
    ident = oci.identity.IdentityClient(cfg, service_endpoint=gui_emulator.endpoint("identity"))
    assert ident.get_compartment(moved.compartment_id).data.name == "Staging"


def _move_through_dialog(qtbot, window, title: str, pick_text: str, cli_words: str):
    from ociconsole.gui.form_dialog import CreateDialog
    action = next(a for a in window._kind_actions if a.text() == "Move to compartment…")
    assert action.isEnabled()
    action.trigger()
    qtbot.waitUntil(lambda: top_level(CreateDialog) is not None, timeout=5000)
    dlg = top_level(CreateDialog)
    assert dlg.windowTitle() == title
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    pick(qtbot, dlg.row("compartment_id").editor, pick_text)
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert dlg.cli_view.text().startswith(cli_words)
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED, (op.detail, op.error)


def test_a_bucket_moves_by_its_update_and_a_compartment_by_move_compartment(qtbot, window, gui_emulator):
    cfg = gui_emulator.client_config()
    ident = oci.identity.IdentityClient(cfg, service_endpoint=gui_emulator.endpoint("identity"))
    osc = oci.object_storage.ObjectStorageClient(cfg, service_endpoint=gui_emulator.endpoint("object_storage"))
    ns = osc.get_namespace().data
    open_tree_path(qtbot, window, "Production", "Data", "Warehouse", "Storage", "Buckets")
    qtbot.waitUntil(lambda: "db-backups" in table_rows(window.resources), timeout=10_000)
    row = table_rows(window.resources).index("db-backups")
    click_index(qtbot, window.resources.table, window.resources.proxy.index(row, 0))
    qtbot.waitUntil(lambda: window.detail.name.text() == "db-backups", timeout=5000)
    _move_through_dialog(qtbot, window, "Move bucket db-backups", "Staging", "oci os bucket update")
    moved = osc.get_bucket(ns, "db-backups").data
    assert ident.get_compartment(moved.compartment_id).data.name == "Staging"

    # a compartment (Sandbox, under Development) moves under Staging with MoveCompartment
    open_tree_path(qtbot, window, "Development")
    qtbot.waitUntil(lambda: "Sandbox" in table_rows(window.resources), timeout=10_000)
    row = table_rows(window.resources).index("Sandbox")
    click_index(qtbot, window.resources.table, window.resources.proxy.index(row, 0))
    qtbot.waitUntil(lambda: window.detail.name.text() == "Sandbox", timeout=5000)
    sandbox = window.detail.resource.id
    _move_through_dialog(qtbot, window, "Move compartment Sandbox", "Staging", "oci iam compartment move")
    staging = next(c.id for c in ident.list_compartments(cfg["tenancy"]).data if c.name == "Staging")
    assert ident.get_compartment(sandbox).data.compartment_id == staging


def test_export_a_vcn_as_terraform_from_its_menu(qtbot, window, monkeypatch, tmp_path):
    from tests.terraform_check import check, resources
    monkeypatch.setenv("HOME", str(tmp_path))
    open_tree_path(qtbot, window, "Development", "Networking", "VCNs")
    qtbot.waitUntil(lambda: "dev-vcn" in table_rows(window.resources), timeout=10_000)
    row = table_rows(window.resources).index("dev-vcn")
    click_index(qtbot, window.resources.table, window.resources.proxy.index(row, 0))
    qtbot.waitUntil(lambda: window.detail.name.text() == "dev-vcn", timeout=5000)
    action = next(a for a in window._kind_actions if a.text() == "Export as Terraform")
    action.trigger()
    qtbot.waitUntil(lambda: window.oplog.operations and window.oplog.operations[-1].state.done, timeout=15_000)
    op = window.oplog.operations[-1]
    assert op.state is OpState.SUCCEEDED, op.error
    folder = op.detail.split(" to ", 1)[1].split(";")[0]
    assert folder.startswith(str(tmp_path / "ociconsole-terraform" / "dev-vcn-"))
    main_tf = open(f"{folder}/main.tf").read()
    found = resources(main_tf)
    assert check(main_tf) == [] and found[0] == "oci_core_vcn.dev_vcn"
    # what the VCN refers to comes with it (its default route table and security list)
    assert "oci_core_route_table.default_route_table_for_dev_vcn" in found
    assert "default_route_table_id" not in main_tf or "= oci_core_route_table." in main_tf
    assert op.detail.startswith(f"Wrote {len(found)} resources to ")
