"""File Storage through the window against the real emulator: the NFS share wizard creates a file
system, a mount target and an export as tracked operations, waits for ACTIVE and shows the mount
command with the mount target's IP; the review shows the CLI commands and a Python program that
runs. An export path the chosen mount target already has is refused on the Export page; a step that
fails midway keeps what was made, lets the person go back and change the input, and names (or
deletes) what remains."""

from __future__ import annotations

import oci
import pytest

from ociconsole.core.operations import OpState
from ociconsole.gui.qt import Qt

from .helpers import click, open_tree_path, pick, retype, settled, shot, table_rows, top_level


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
    py = wiz.python_view.text()
    assert py.count("oci.file_storage.models.Create") == 3 and "display_name='team-share'" in py
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
    qtbot.waitUntil(lambda: not wiz.busy, timeout=10_000)  # the export set's paths, for the path check
    click(qtbot, wiz.next_button)
    qtbot.waitUntil(lambda: not wiz.busy, timeout=10_000)
    click(qtbot, wiz.next_button)
    assert "oci fs mount-target create" not in wiz.cli_view.text()
    assert "CreateMountTargetDetails" not in wiz.python_view.text()
    assert f"export_set_id={wiz.existing_data[wiz.existing.currentData()][0].export_set_id!r}" in \
        wiz.python_view.text()
    n = len(window.oplog.operations)
    click(qtbot, wiz.create_button)
    qtbot.waitUntil(lambda: bool(wiz.mount_command) or wiz.retry_button.isVisible(), timeout=20_000)
    assert wiz.mount_command, wiz.banner.text()
    ops = window.oplog.operations[n:]
    assert [o.title for o in ops] == ["Create file system scratch-share", "Export scratch-share as /scratch-share"]
    ip = wiz.existing.currentText().split("(")[1].rstrip(")")
    assert wiz.mount_command == f"sudo mount -t nfs {ip}:/scratch-share /mnt/scratch-share"


# ---------------------------------------------------------------- duplicate paths, failures, the Python program

def to_export_page_with_existing(qtbot, wiz, name: str) -> None:
    retype(qtbot, wiz.fs_name, name)
    click(qtbot, wiz.next_button)
    qtbot.waitUntil(lambda: not wiz.busy and wiz.existing.count() > 0, timeout=10_000)
    click(qtbot, wiz.mt_existing)
    assert wiz.existing.currentText().startswith("dev-nfs (10.")
    qtbot.waitUntil(lambda: not wiz.busy, timeout=10_000)
    click(qtbot, wiz.next_button)
    assert wiz.pages.currentIndex() == 2
    qtbot.waitUntil(lambda: not wiz.busy, timeout=10_000)


def to_review_with_a_new_mount_target(qtbot, wiz, name: str, mt_name: str) -> None:
    retype(qtbot, wiz.fs_name, name)
    click(qtbot, wiz.next_button)
    qtbot.waitUntil(lambda: not wiz.busy and wiz.subnet.count() > 0, timeout=10_000)
    pick(qtbot, wiz.subnet, "dev-vcn-private")
    retype(qtbot, wiz.mt_name, mt_name)
    click(qtbot, wiz.next_button)
    click(qtbot, wiz.next_button)
    assert wiz.pages.currentIndex() == 3


def file_systems_named(fsc, mt, name: str) -> list:
    fss = fsc.list_file_systems(mt.compartment_id, mt.availability_domain, display_name=name).data
    return [f for f in fss if f.lifecycle_state != "DELETED"]


def test_a_path_the_existing_mount_target_already_exports_is_refused_next_to_the_field(qtbot, window):
    wiz = open_wizard(qtbot, window)
    to_export_page_with_existing(qtbot, wiz, "dup-share")
    assert wiz.path_error.text() == "" and wiz.next_button.isEnabled()
    retype(qtbot, wiz.path, "/shared-home")  # the seed's shared-home is exported there as /shared-home
    qtbot.waitUntil(lambda: "already exported through dev-nfs" in wiz.path_error.text(), timeout=3000)
    assert wiz.path_error.isVisible() and not wiz.next_button.isEnabled()
    shot(wiz, "nfs-wizard-duplicate-path")
    retype(qtbot, wiz.path, "/shared-home2")
    assert wiz.path_error.text() == "" and wiz.next_button.isEnabled()
    click(qtbot, wiz.cancel_button)  # nothing was created: closes at once
    qtbot.waitUntil(lambda: not wiz.isVisible(), timeout=3000)


def test_an_export_refused_midway_goes_back_to_the_path_and_finishes_with_one_file_system(qtbot, window, clients,
                                                                                            gui_emulator):
    fsc, _vn = clients
    wiz = open_wizard(qtbot, window)
    to_export_page_with_existing(qtbot, wiz, "mid-share")
    assert wiz.path.text() == "/mid-share" and wiz.next_button.isEnabled()
    mt = wiz.existing_data[wiz.existing.currentData()][0]
    click(qtbot, wiz.next_button)
    # after the page was validated, someone else exports another file system as /mid-share there
    other = fsc.create_file_system(oci.file_storage.models.CreateFileSystemDetails(
        compartment_id=mt.compartment_id, availability_domain=mt.availability_domain, display_name="other-fs")).data
    settled(gui_emulator, lambda: fsc.get_file_system(other.id), "ACTIVE")
    fsc.create_export(oci.file_storage.models.CreateExportDetails(export_set_id=mt.export_set_id,
                                                                  file_system_id=other.id, path="/mid-share"))
    n = len(window.oplog.operations)
    click(qtbot, wiz.create_button)
    qtbot.waitUntil(lambda: wiz.retry_button.isVisible(), timeout=20_000)
    assert not wiz.mount_command
    fs = wiz.created["fs"]
    text = wiz.banner.text()
    assert "already exists" in text and f"File system mid-share: {fs.id}" in text, text
    assert wiz.back_button.isVisible() and wiz.back_button.text() == "< Change the export path"
    assert wiz.delete_button.isVisible() and wiz.close_button.text() == "Close and keep them"
    shot(wiz, "nfs-wizard-error")
    # back to the path: the duplicate is refused next to the field, the file system is kept and locked
    click(qtbot, wiz.back_button)
    assert wiz.pages.currentIndex() == 2
    qtbot.waitUntil(lambda: not wiz.busy and "already exported through dev-nfs" in wiz.path_error.text(),
                    timeout=10_000)
    assert not wiz.next_button.isEnabled()
    assert "mid-share" in wiz.kept_note.text() and not wiz.fs_name.isEnabled()
    retype(qtbot, wiz.path, "/mid-share-2")
    click(qtbot, wiz.next_button)
    assert f"created earlier ({fs.id})" in wiz.cli_view.text()
    assert "oci fs file-system create" not in wiz.cli_view.text() and f"--file-system-id {fs.id}" in wiz.cli_view.text()
    assert "CreateFileSystemDetails" not in wiz.python_view.text() and repr(fs.id) in wiz.python_view.text()
    assert wiz.create_button.text() == "Continue"
    click(qtbot, wiz.create_button)
    qtbot.waitUntil(lambda: bool(wiz.mount_command) or wiz.retry_button.isVisible(), timeout=20_000)
    assert wiz.mount_command.endswith(":/mid-share-2 /mnt/mid-share-2"), wiz.banner.text()
    # exactly one file system, created once; the export went through with the new path
    assert [f.id for f in file_systems_named(fsc, mt, "mid-share")] == [fs.id]
    titles = [o.title for o in window.oplog.operations[n:]]
    assert titles == ["Create file system mid-share", "Export mid-share as /mid-share",
                      "Export mid-share as /mid-share-2"], titles
    assert [e.path for e in fsc.list_exports(file_system_id=fs.id).data] == ["/mid-share-2"]
    assert wiz.close_button.text() == "Close"
    click(qtbot, wiz.close_button)
    qtbot.waitUntil(lambda: not wiz.isVisible(), timeout=3000)


def test_a_failed_export_names_what_remains_and_deletes_it_on_request(qtbot, window, clients, gui_emulator):
    fsc, _vn = clients
    wiz = open_wizard(qtbot, window)
    to_review_with_a_new_mount_target(qtbot, wiz, "flaky-share", "flaky-nfs")
    gui_emulator.core.faults.update({"rate": 1.0, "operations": ["create_export"], "mix": {"503": 1.0}})
    try:
        click(qtbot, wiz.create_button)
        qtbot.waitUntil(lambda: wiz.retry_button.isVisible(), timeout=30_000)
    finally:
        gui_emulator.core.faults.update({"rate": 0.0})
    fs, mt = wiz.created["fs"], wiz.created["mt"]
    text = wiz.banner.text()
    assert f"File system flaky-share: {fs.id}" in text and f"Mount target flaky-nfs: {mt.id}" in text, text
    # closing first says what stays (no modal box), and keeps the dialog open once
    qtbot.keyClick(wiz, Qt.Key.Key_Escape)
    assert wiz.isVisible() and "Close and keep what was created?" in wiz.banner.text()
    assert fs.id in wiz.banner.text() and mt.id in wiz.banner.text()
    click(qtbot, wiz.delete_button)
    qtbot.waitUntil(lambda: "Deleted: nothing this wizard created remains" in wiz.banner.text(), timeout=20_000)
    assert fsc.get_file_system(fs.id).data.lifecycle_state == "DELETED"
    assert fsc.get_mount_target(mt.id).data.lifecycle_state == "DELETED"
    qtbot.waitUntil(lambda: not wiz.made and not wiz.created and wiz.close_button.text() == "Close", timeout=5000)
    # going back and creating again makes new ones (fresh retry tokens: not the deleted ones again)
    click(qtbot, wiz.back_button)
    assert wiz.pages.currentIndex() == 2 and wiz.fs_name.isEnabled()
    click(qtbot, wiz.next_button)
    assert wiz.create_button.text() == "Create"
    click(qtbot, wiz.create_button)
    qtbot.waitUntil(lambda: bool(wiz.mount_command) or wiz.retry_button.isVisible(), timeout=20_000)
    assert wiz.mount_command, wiz.banner.text()
    assert wiz.created["fs"].id != fs.id and wiz.created["mt"].id != mt.id
    assert [f.id for f in file_systems_named(fsc, mt, "flaky-share")] == [wiz.created["fs"].id]


def test_the_review_shows_a_python_program_that_runs_against_the_sdk(qtbot, window, clients, gui_emulator):
    fsc, vn = clients
    wiz = open_wizard(qtbot, window)
    to_review_with_a_new_mount_target(qtbot, wiz, "py-share", "py-nfs")
    assert [wiz.code_tabs.tabText(i) for i in range(wiz.code_tabs.count())] == ["oci CLI", "Python SDK"]
    wiz.code_tabs.setCurrentIndex(1)
    shot(wiz, "nfs-wizard-review")
    code = wiz.python_view.text()
    for text in ("oci.file_storage.FileStorageClient(config)", "oci.file_storage.models.CreateFileSystemDetails(",
                 "oci.file_storage.models.CreateMountTargetDetails(", "oci.file_storage.models.CreateExportDetails(",
                 "client.create_file_system(details, opc_retry_token=", "export_set_id=mt.export_set_id",
                 "file_system_id=fs.id", "path='/py-share'"):
        assert text in code, (text, code)
    # run it as shown, only pointed at the emulator instead of ~/.oci/config
    assert code.count("oci.config.from_file()") == 1
    program = code.replace("oci.config.from_file()", "CONFIG").replace(
        "FileStorageClient(config)", "FileStorageClient(config, service_endpoint=ENDPOINT)")
    scope = {"CONFIG": gui_emulator.client_config(), "ENDPOINT": gui_emulator.endpoint("file_storage")}
    exec(compile(program, "nfs-wizard-review.py", "exec"), scope)
    fs, mt, export = scope["fs"], scope["mt"], scope["export"]
    assert (fs.display_name, fs.lifecycle_state, mt.display_name) == ("py-share", "ACTIVE", "py-nfs")
    assert (export.path, export.file_system_id, export.export_set_id, export.lifecycle_state) == (
        "/py-share", fs.id, mt.export_set_id, "ACTIVE")
    click(qtbot, wiz.cancel_button)
    qtbot.waitUntil(lambda: not wiz.isVisible(), timeout=3000)
