"""File Storage through the window against the real emulator: the NFS share wizard creates a file
system, a mount target and an export as tracked operations, waits for ACTIVE and shows the mount
command with the mount target's IP; the review shows the three CLI commands."""

from __future__ import annotations

import oci
import pytest

from ociconsole.core.operations import OpState
from ociconsole.gui.main_window import MainWindow

from .helpers import click, open_tree_path, pick, retype, table_rows, top_level


@pytest.fixture
def window(qtbot, aloop, session):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=15_000):
        w.set_session(session, "demo")
    yield w
    w.close()


@pytest.fixture
def clients(gui_emulator):
    cfg = gui_emulator.client_config()
    return (oci.file_storage.FileStorageClient(cfg, service_endpoint=gui_emulator.endpoint("file_storage")),
            oci.core.VirtualNetworkClient(cfg, service_endpoint=gui_emulator.endpoint("core")))


def open_wizard(qtbot, window):
    from ociconsole.gui.nfs_wizard import NfsWizard
    open_tree_path(qtbot, window, "Development", "Storage", "File systems")
    qtbot.waitUntil(lambda: "shared-home" in table_rows(window.resources), timeout=10_000)
    assert window.create_action.text() == "Create file system"
    window.create_action.trigger()
    qtbot.waitUntil(lambda: top_level(NfsWizard) is not None, timeout=5000)
    wiz = top_level(NfsWizard)
    qtbot.waitUntil(lambda: not wiz.busy and wiz.ad.count() > 0, timeout=10_000)
    assert wiz.compartment.currentText() == "Development"
    return wiz


def test_wizard_creates_a_share_and_shows_the_mount_command(qtbot, window, clients):
    fsc, vn = clients
    wiz = open_wizard(qtbot, window)
    retype(qtbot, wiz.fs_name, "team-share")
    assert wiz.path.text() == "/team-share"  # follows the name until edited
    click(qtbot, wiz.next_button)
    # a new mount target in the dev VCN's private subnet
    assert wiz.pages.currentIndex() == 1
    qtbot.waitUntil(lambda: not wiz.busy and wiz.subnet.count() > 0, timeout=10_000)
    assert wiz.vcn.currentText().startswith("dev-vcn")
    assert "private" in wiz.subnet.currentText()  # private subnets first
    pick(qtbot, wiz.subnet, "dev-vcn-private")
    assert wiz.mt_existing.isEnabled() and "AD-1" in wiz.mt_existing.text()  # dev-nfs is there too
    retype(qtbot, wiz.mt_name, "team-nfs")
    click(qtbot, wiz.next_button)
    retype(qtbot, wiz.path, "team")
    assert "starts with '/'" in wiz.path_error.text() and not wiz.next_button.isEnabled()
    retype(qtbot, wiz.path, "/team-share")
    assert wiz.mount_preview.text() == "sudo mount -t nfs <mount target IP>:/team-share /mnt/team-share"
    click(qtbot, wiz.next_button)
    # review: the three CLI commands
    cli = wiz.cli_view.text()
    assert cli.count("oci fs ") == 3
    assert "oci fs file-system create" in cli and "oci fs mount-target create" in cli and "oci fs export create" in cli
    assert "--display-name team-share" in cli and "--path /team-share" in cli
    n = len(window.oplog.operations)
    click(qtbot, wiz.create_button)
    qtbot.waitUntil(lambda: bool(wiz.mount_command) or wiz.retry_button.isVisible(), timeout=20_000)
    assert wiz.mount_command, wiz.banner.text()
    # three tracked creates in the activity panel, each waited for until ACTIVE
    ops = window.oplog.operations[n:]
    assert [o.title for o in ops] == ["Create file system team-share", "Create mount target team-nfs",
                                      "Export team-share as /team-share"]
    assert all(o.state is OpState.SUCCEEDED and o.detail == "ACTIVE" for o in ops), [(o.detail, o.error) for o in ops]
    # the mount command carries the new mount target's private IP
    mt = fsc.get_mount_target(ops[1].resource_id).data
    ip = vn.get_private_ip(mt.private_ip_ids[0]).data.ip_address
    assert wiz.mount_command == f"sudo mount -t nfs {ip}:/team-share /mnt/team-share"
    assert wiz.mount_command in wiz.mount_view.text() and wiz.result_box.isVisible()
    exports = fsc.list_exports(file_system_id=ops[0].resource_id).data
    assert [(e.path, e.export_set_id, e.lifecycle_state) for e in exports] == [("/team-share", mt.export_set_id,
                                                                                 "ACTIVE")]
    click(qtbot, wiz.copy_button)
    from ociconsole.gui.qt import QGuiApplication
    assert wiz.mount_command in QGuiApplication.clipboard().text()
    click(qtbot, wiz.close_button)
    qtbot.waitUntil(lambda: not wiz.isVisible(), timeout=3000)
    qtbot.waitUntil(lambda: "team-share" in table_rows(window.resources), timeout=5000)


def test_wizard_with_an_existing_mount_target(qtbot, window, clients):
    fsc, vn = clients
    wiz = open_wizard(qtbot, window)
    retype(qtbot, wiz.fs_name, "scratch-share")
    click(qtbot, wiz.next_button)
    qtbot.waitUntil(lambda: not wiz.busy and wiz.existing.count() > 0, timeout=10_000)
    click(qtbot, wiz.mt_existing)
    assert wiz.existing.currentText().startswith("dev-nfs (10.")
    click(qtbot, wiz.next_button)
    click(qtbot, wiz.next_button)
    assert "oci fs mount-target create" not in wiz.cli_view.text()
    n = len(window.oplog.operations)
    click(qtbot, wiz.create_button)
    qtbot.waitUntil(lambda: bool(wiz.mount_command) or wiz.retry_button.isVisible(), timeout=20_000)
    assert wiz.mount_command, wiz.banner.text()
    ops = window.oplog.operations[n:]
    assert [o.title for o in ops] == ["Create file system scratch-share", "Export scratch-share as /scratch-share"]
    ip = wiz.existing.currentText().split("(")[1].rstrip(")")
    assert wiz.mount_command == f"sudo mount -t nfs {ip}:/scratch-share /mnt/scratch-share"
