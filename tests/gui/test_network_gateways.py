"""Networking kinds through the window against the real emulator: create a network security group and
add rules in the rules table (review shows `oci network nsg rules add`), create a DRG and attach a VCN,
create a service gateway picking a service, create two local peering gateways and connect them."""

from __future__ import annotations

import oci
import pytest

from ociconsole.core.operations import OpState

from .helpers import click, click_index, open_tree_path, pick, retype, settled, shot, table_rows, top_level, trigger


@pytest.fixture
def vn(gui_emulator):
    cfg = gui_emulator.client_config()
    return oci.core.VirtualNetworkClient(cfg, service_endpoint=gui_emulator.endpoint("core"))


def open_kind(qtbot, window, label):
    open_tree_path(qtbot, window, "Development", "Networking", label)
    qtbot.waitUntil(lambda: window.resources.kind is not None and window.resources.kind.label == label,
                    timeout=10_000)


def dialog(qtbot, not_this=None):
    from ociconsole.gui.form_dialog import CreateDialog
    qtbot.waitUntil(lambda: top_level(CreateDialog) not in (None, not_this), timeout=5000)
    dlg = top_level(CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    return dlg


def create(qtbot, window, label):
    window.create_action.trigger()
    return dialog(qtbot)


def submit(qtbot, window, dlg, cli_words):
    click(qtbot, dlg.review_button)
    assert cli_words in dlg.cli_view.text(), dlg.cli_view.text()
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED, (op.detail, op.error)
    return op


def select(qtbot, window, name):
    qtbot.waitUntil(lambda: name in table_rows(window.resources), timeout=10_000)
    row = table_rows(window.resources).index(name)
    click_index(qtbot, window.resources.table, window.resources.proxy.index(row, 0))
    qtbot.waitUntil(lambda: window.detail.name.text() == name, timeout=5000)
    return window.detail.resource


def fill_common(qtbot, dlg, name):
    retype(qtbot, dlg.row("display_name").editor, name)
    qtbot.waitUntil(lambda: dlg.row("vcn_id").editor.count() > 0 and bool(dlg.row("vcn_id").value()), timeout=10_000)
    pick(qtbot, dlg.row("vcn_id").editor, "dev-vcn")


def test_nsg_and_its_rules_table(qtbot, window, vn):
    open_kind(qtbot, window, "Network security groups")
    dlg = create(qtbot, window, "Network security groups")
    fill_common(qtbot, dlg, "web-nsg")
    submit(qtbot, window, dlg, "oci network nsg create")
    nsg = select(qtbot, window, "web-nsg")
    trigger(window, "Add security rules…")
    dlg2 = dialog(qtbot, dlg)
    row = dlg2.row("rules")
    table = row.editor
    click(qtbot, row.add_button)
    click(qtbot, row.add_button)
    click(qtbot, row.add_button)
    assert table.rowCount() == 3
    table.set_cell(0, "protocol", "TCP")
    table.set_cell(0, "address", "0.0.0.0/0")
    table.set_cell(0, "ports", "443")
    table.set_cell(0, "description", "https")
    table.set_cell(1, "protocol", "UDP")
    table.set_cell(1, "address", "10.0.0.0/8")
    table.set_cell(1, "ports", "99999")
    qtbot.waitUntil(lambda: "ports must be" in dlg2.errors().get("rules", ""), timeout=3000)
    assert not dlg2.create_button.isEnabled() or not dlg2.review_button.isEnabled()
    table.set_cell(1, "ports", "53")
    table.set_cell(2, "direction", "EGRESS")
    table.set_cell(2, "address", "0.0.0.0/0")
    table.selectRow(2)
    click(qtbot, row.remove_button)
    assert table.rowCount() == 2
    qtbot.waitUntil(lambda: "rules" not in dlg2.errors(), timeout=3000)
    shot(window, "network")
    shot(dlg2, "network_rules")
    op = submit(qtbot, window, dlg2, "oci network nsg rules add")
    assert op.title == "Add 2 security rule(s) to web-nsg"
    assert f"--nsg-id {nsg.id}" in dlg2.cli_view.text()
    rules = vn.list_network_security_group_security_rules(nsg.id).data
    assert sorted((r.protocol, r.source) for r in rules) == [("17", "10.0.0.0/8"), ("6", "0.0.0.0/0")]


def test_drg_and_vcn_attachment(qtbot, window, vn):
    open_kind(qtbot, window, "Dynamic routing gateways")
    dlg = create(qtbot, window, "Dynamic routing gateways")
    retype(qtbot, dlg.row("display_name").editor, "dev-drg")
    submit(qtbot, window, dlg, "oci network drg create")
    drg = select(qtbot, window, "dev-drg")
    trigger(window, "Attach VCN…")
    dlg2 = dialog(qtbot, dlg)
    qtbot.waitUntil(lambda: dlg2.row("vcn_id").editor.count() > 0 and bool(dlg2.row("vcn_id").value()), timeout=10_000)
    pick(qtbot, dlg2.row("vcn_id").editor, "dev-vcn")
    submit(qtbot, window, dlg2, "oci network drg-attachment create")
    atts = vn.list_drg_attachments(drg.compartment_id, drg_id=drg.id).data
    assert len(atts) == 1 and atts[0].lifecycle_state in ("ATTACHING", "ATTACHED")
    open_kind(qtbot, window, "DRG attachments")
    qtbot.waitUntil(lambda: atts[0].display_name in table_rows(window.resources), timeout=10_000)


def test_service_gateway_form(qtbot, window, vn):
    open_kind(qtbot, window, "Service gateways")
    dlg = create(qtbot, window, "Service gateways")
    fill_common(qtbot, dlg, "dev-sgw")
    qtbot.waitUntil(lambda: dlg.row("service_id").editor.count() == 2, timeout=10_000)
    pick(qtbot, dlg.row("service_id").editor, "OCI IAD Object Storage (oci-iad-objectstorage)")
    submit(qtbot, window, dlg, "oci network service-gateway create")
    g = select(qtbot, window, "dev-sgw")
    assert [s.service_name for s in g.services] == ["OCI IAD Object Storage"]


def test_lpgs_connect_from_the_dialog(qtbot, window, vn, gui_emulator):
    comp = None
    open_kind(qtbot, window, "Local peering gateways")
    dlg = create(qtbot, window, "Local peering gateways")
    fill_common(qtbot, dlg, "dev-lpg")
    submit(qtbot, window, dlg, "oci network local-peering-gateway create")
    lpg = select(qtbot, window, "dev-lpg")
    comp = lpg.compartment_id
    # a peer in another VCN of the same compartment (made through the SDK)
    other = vn.create_vcn(oci.core.models.CreateVcnDetails(compartment_id=comp, cidr_block="172.31.0.0/16",
                                                           display_name="peer-vcn")).data
    peer = vn.create_local_peering_gateway(oci.core.models.CreateLocalPeeringGatewayDetails(
        compartment_id=comp, vcn_id=other.id, display_name="peer-lpg")).data
    settled(gui_emulator, lambda: vn.get_local_peering_gateway(peer.id), "AVAILABLE")
    trigger(window, "Connect to peer…")
    dlg2 = dialog(qtbot, dlg)
    qtbot.waitUntil(lambda: dlg2.row("peer_id").editor.count() > 0 and bool(dlg2.row("peer_id").value()),
                    timeout=10_000)
    assert dlg2.row("peer_id").value() == peer.id
    op = submit(qtbot, window, dlg2, "oci network local-peering-gateway connect")
    assert op.title == "Connect local peering gateway dev-lpg"
    got = vn.get_local_peering_gateway(lpg.id).data
    assert got.peering_status == "PEERED" and got.peer_advertised_cidr == "172.31.0.0/16"
