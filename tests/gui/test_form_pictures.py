"""The NFS share wizard's pages and the first-run dialog's pages, walked through and (when
OCICONSOLE_SHOTS names a folder) saved as PNGs for a person to look at. Each page shows its
own inputs and nothing of the others."""

from __future__ import annotations

from ociconsole.gui.first_run import FirstRunDialog

from .helpers import click, open_tree_path, pick, retype, shot, table_rows, top_level


def test_nfs_wizard_pages(qtbot, window):
    from ociconsole.gui.nfs_wizard import NfsWizard
    open_tree_path(qtbot, window, "Development", "Storage", "File systems")
    qtbot.waitUntil(lambda: "shared-home" in table_rows(window.resources), timeout=10_000)
    window.create_action.trigger()
    qtbot.waitUntil(lambda: top_level(NfsWizard) is not None, timeout=5000)
    wiz = top_level(NfsWizard)
    qtbot.waitUntil(lambda: not wiz.busy and wiz.ad.count() > 0, timeout=10_000)
    retype(qtbot, wiz.fs_name, "picture-share")
    assert wiz.fs_name.isVisible() and not wiz.subnet.isVisible()
    shot(wiz, "nfs-wizard-1-file-system")
    click(qtbot, wiz.next_button)
    qtbot.waitUntil(lambda: not wiz.busy and wiz.subnet.count() > 0, timeout=10_000)
    pick(qtbot, wiz.subnet, "dev-vcn-private")
    assert wiz.subnet.isVisible() and not wiz.fs_name.isVisible()
    shot(wiz, "nfs-wizard-2-mount-target")
    click(qtbot, wiz.next_button)
    assert wiz.path.isVisible() and wiz.path.text() == "/picture-share"
    shot(wiz, "nfs-wizard-3-export")
    click(qtbot, wiz.next_button)
    assert wiz.cli_view.isVisible() and wiz.create_button.isVisible()
    shot(wiz, "nfs-wizard-4-review")
    click(qtbot, wiz.create_button)
    qtbot.waitUntil(lambda: bool(wiz.mount_command) or wiz.retry_button.isVisible(), timeout=20_000)
    assert wiz.mount_command and wiz.result_box.isVisible() and wiz.close_button.isVisible()
    shot(wiz, "nfs-wizard-5-done")
    click(qtbot, wiz.close_button)
    qtbot.waitUntil(lambda: not wiz.isVisible(), timeout=3000)


def test_first_run_pages(qtbot, tmp_path):
    dlg = FirstRunDialog(config_path=tmp_path / "config")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.demo_button.isVisible()
    shot(dlg, "first-run-1-welcome")
    cfg = tmp_path / "config"
    cfg.write_text("[DEFAULT]\nregion = eu-frankfurt-1\ntenancy = ocid1.tenancy.oc1..aaaaaaaa3333333333333333\n")
    dlg.load_config_file(cfg)
    assert dlg.profile_list.isVisible() and dlg.profile_list.count() == 1
    shot(dlg, "first-run-2-profiles")
    dlg.show_page(dlg.PAGE_WELCOME)
    dlg.start_create()
    assert dlg.user_edit.isVisible() and dlg.save_button.isVisible()
    shot(dlg, "first-run-3-create")
    dlg.reject()
