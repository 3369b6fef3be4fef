"""Dedicated VM hosts and capacity reservations through the window against the real emulator: the create
forms (shapes of the chosen AD, fault domain, flexible sizes), their review with the `oci` CLI command,
the tracked create, and the new resource listed with its capacity."""

from __future__ import annotations

from ociconsole.core.operations import OpState

from .helpers import click, create_dialog, open_tree_path, pick, retype, shot, table_rows


def finish(qtbot, window, dlg):
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED and op.detail == "ACTIVE", (op.detail, op.error)


def test_create_a_dedicated_vm_host(qtbot, window):
    open_tree_path(qtbot, window, "Development", "Compute", "Dedicated VM hosts")
    dlg = create_dialog(qtbot, window)
    shapes = dlg.row("dedicated_vm_host_shape").editor
    qtbot.waitUntil(lambda: shapes.count() > 0, timeout=5000)
    labels = [shapes.itemText(i) for i in range(shapes.count())]
    assert "DVH.Standard.E4.128 (128 OCPUs, 2048 GB; VM.Standard.E4.Flex)" in labels
    retype(qtbot, dlg.row("display_name").editor, "tenant-a-host")
    pick(qtbot, shapes, "DVH.Standard.E4.128")
    pick(qtbot, dlg.row("fault_domain").editor, "FAULT-DOMAIN-2")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci compute dedicated-vm-host create" in cli and "--dedicated-vm-host-shape DVH.Standard.E4.128" in cli
    assert "--fault-domain FAULT-DOMAIN-2" in cli and "--wait-for-state ACTIVE" in cli
    finish(qtbot, window, dlg)
    qtbot.waitUntil(lambda: "tenant-a-host" in table_rows(window.resources), timeout=5000)
    col = [c.title for c in window.resources.kind.columns].index("OCPUs used")
    row = table_rows(window.resources).index("tenant-a-host")
    assert window.resources.proxy.index(row, col).data() == "0 of 128"
    shot(window, "compute_hosts")


def test_create_a_capacity_reservation(qtbot, window):
    open_tree_path(qtbot, window, "Development", "Compute", "Capacity reservations")
    dlg = create_dialog(qtbot, window)
    shapes = dlg.row("instance_shape").editor
    qtbot.waitUntil(lambda: shapes.count() > 0, timeout=5000)
    retype(qtbot, dlg.row("display_name").editor, "batch-capacity")
    pick(qtbot, shapes, "VM.Standard.E4.Flex")
    qtbot.waitUntil(lambda: dlg.row("ocpus").editor.isVisible(), timeout=3000)
    retype(qtbot, dlg.row("ocpus").editor, "4")
    retype(qtbot, dlg.row("memory_in_gbs").editor, "1000")
    qtbot.waitUntil(lambda: "per OCPU" in dlg.row("memory_in_gbs").error_text(), timeout=2000)
    assert not dlg.review_button.isEnabled()
    retype(qtbot, dlg.row("memory_in_gbs").editor, "64")
    retype(qtbot, dlg.row("reserved_count").editor, "3")
    pick(qtbot, dlg.row("fault_domain").editor, "FAULT-DOMAIN-1")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci compute capacity-reservation create" in cli and "--instance-reservation-configs" in cli
    assert '"reservedCount":3' in cli and '"ocpus":4.0' in cli
    finish(qtbot, window, dlg)
    qtbot.waitUntil(lambda: "batch-capacity" in table_rows(window.resources), timeout=5000)
    col = [c.title for c in window.resources.kind.columns].index("Used")
    row = table_rows(window.resources).index("batch-capacity")
    assert window.resources.proxy.index(row, col).data() == "0 of 3"
