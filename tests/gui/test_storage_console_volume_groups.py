"""Volume groups through the window against the real emulator: the create form picks the group's
volumes one choice after another (AVAILABLE volumes of the chosen availability domain; a volume of
another domain is refused inline with OCI's reason), the review shows the `oci bv volume-group create`
command, the group is created, listed and shows its member volumes (linked by OCID); then "Back up
now…" makes a volume group backup, listed under Volume group backups."""

from __future__ import annotations

import oci
import pytest

from ociconsole import catalog
from ociconsole.catalog.forms import FormContext
from ociconsole.core.operations import OpState
from ociconsole.gui.qt import QApplication

from .helpers import (
    click,
    dialog,
    open_tree_path,
    pick,
    related_loaded,
    select_row,
    settled,
    shot,
    table_rows,
    trigger,
)


@pytest.fixture
def volumes(gui_emulator):
    """Three new volumes in Development/Shared-Tools (beside the demo's `scratch` in AD-1): db-data and
    db-logs in the first availability domain, far-away in the second. Returns the AD names."""
    cfg = gui_emulator.client_config()
    idc = oci.identity.IdentityClient(cfg, service_endpoint=gui_emulator.endpoint("identity"))
    bs = oci.core.BlockstorageClient(cfg, service_endpoint=gui_emulator.endpoint("core"))
    comp = next(c for c in idc.list_compartments(cfg["tenancy"], compartment_id_in_subtree=True).data
                if c.name == "Shared-Tools")
    ads = [a.name for a in idc.list_availability_domains(cfg["tenancy"]).data]
    made = [bs.create_volume(oci.core.models.CreateVolumeDetails(
        compartment_id=comp.id, availability_domain=ad, display_name=name, size_in_gbs=size)).data.id
        for name, ad, size in (("db-data", ads[0], 100), ("db-logs", ads[0], 60), ("far-away", ads[1], 50))]
    for v in made:  # (the emulator's clock moved past their provisioning, not waited for)
        settled(gui_emulator, lambda v=v: bs.get_volume(v), "AVAILABLE")
    return ads


def related(window) -> dict[str, list[tuple[str, str, str]]]:
    from ociconsole.gui.detail import LINK_ROLE
    rel = window.detail.related
    out = {}
    for i in range(rel.topLevelItemCount()):
        sec = rel.topLevelItem(i)
        out[sec.text(0)] = [(sec.child(j).text(0), sec.child(j).text(1),
                             sec.child(j).data(0, LINK_ROLE) or "") for j in range(sec.childCount())]
    return out


def test_create_volume_group_pick_volumes_then_back_it_up(qtbot, window, volumes, gui_emulator):
    from ociconsole.gui.form_dialog import CreateDialog
    ad1, ad2 = volumes[0], volumes[1]
    open_tree_path(qtbot, window, "Development", "Shared-Tools", "Storage", "Volume groups")
    qtbot.waitUntil(lambda: window.resources.kind is not None and window.resources.kind.id ==
                    "blockstorage.volume_group", timeout=10_000)
    assert [c.title for c in window.resources.kind.columns][:5] == [
        "Name", "State", "Availability domain", "Size (GB)", "Volumes"]
    window.create_action.trigger()
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    ad_combo = dlg.row("availability_domain").editor
    ad_labels = [ad_combo.itemText(i) for i in range(ad_combo.count())]
    assert ad_labels[0] == f"{ad1}  (3 volumes can join)" and ad_labels[1] == f"{ad2}  (1 volume can join)"
    pick(qtbot, ad_combo, ad1)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    first = dlg.row("volume_1").editor
    labels = [first.itemText(i) for i in range(first.count())]
    # the AD's volumes by name, then the other AD's, listed but marked
    assert labels == ["db-data  (100 GB)", "db-logs  (60 GB)", "scratch  (50 GB)",
                      f"far-away  (50 GB) — in {ad2}, cannot join"]
    # the first volume is chosen (a group needs one); the next choice appears, empty; no third yet
    assert first.currentText() == "db-data  (100 GB)"
    assert dlg.row("volume_2").shown and dlg.row("volume_2").editor.currentText() == "None"
    assert not dlg.row("volume_3").shown
    # a volume of another availability domain is refused where it is picked
    pick(qtbot, dlg.row("volume_2").editor, "far-away")
    qtbot.waitUntil(lambda: "every volume of a volume group must be in" in dlg.row("volume_2").error_text(),
                    timeout=2000)
    assert f"far-away is in {ad2}" in dlg.row("volume_2").error_text()
    assert not dlg.review_button.isEnabled()
    # and the same volume twice
    pick(qtbot, dlg.row("volume_2").editor, "db-data")
    qtbot.waitUntil(lambda: "Already chosen as volume 1" in dlg.row("volume_2").error_text(), timeout=2000)
    pick(qtbot, dlg.row("volume_2").editor, "db-logs")
    qtbot.waitUntil(lambda: dlg.row("volume_3").shown and dlg.review_button.isEnabled(), timeout=2000)
    dlg.row("display_name").editor.setText("db-consistent")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=2000)
    qtbot.wait(200)  # the layout settles (the refused volume's error line is gone)
    shot(dlg, "storage-console-volume-group-form")
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert cli.startswith("oci bv volume-group create") and f"--availability-domain {ad1}" in cli
    assert "--display-name db-consistent" in cli and "--wait-for-state AVAILABLE" in cli
    assert '--source-details \'{"type":"volumeIds","volumeIds":["ocid1.volume.' in cli
    summary = dlg.summary_text()
    assert "Volume 1: db-data  (100 GB)" in summary and "Volume 2: db-logs  (60 GB)" in summary
    assert "Volume 3" not in summary
    shot(dlg, "storage-console-volume-group-review")
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    assert op.title == "Create volume group db-consistent"
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED and op.detail == "AVAILABLE", (op.detail, op.error)
    qtbot.waitUntil(lambda: "db-consistent" in table_rows(window.resources), timeout=5000)
    row = table_rows(window.resources).index("db-consistent")
    cols = [c.title for c in window.resources.kind.columns]
    qtbot.waitUntil(lambda: window.resources.proxy.index(row, cols.index("State")).data() == "AVAILABLE",
                    timeout=5000)
    assert window.resources.proxy.index(row, cols.index("Volumes")).data() == "2"
    assert window.resources.proxy.index(row, cols.index("Size (GB)")).data() == "160"
    assert window.resources.proxy.index(row, cols.index("Availability domain")).data() == ad1

    # the details: its member volumes, linked by OCID
    select_row(qtbot, window, "db-consistent")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=5000)
    members = related(window)["Volumes"]
    assert [m[0] for m in members] == ["db-data", "db-logs"]
    assert members[0][1] == "100 GB, Balanced (10 VPUs/GB), AVAILABLE"
    group = window.detail.resource
    assert [m[2] for m in members] == list(group.volume_ids)
    assert {a.text() for a in window._kind_actions} >= {"Back up now…", "Delete", "Move to compartment…"}
    window.detail.tabs.setCurrentWidget(window.detail.related)
    qtbot.wait(100)
    shot(window, "storage-console-volume-group-details")

    # back up now (full)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    trigger(window, "Back up now…")
    bd = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not bd.busy, timeout=5000)
    assert bd.create_button.text() == "Back up"
    pick(qtbot, bd.row("type").editor, "Full")
    bd.row("display_name").editor.setText("db-consistent-full")
    qtbot.waitUntil(lambda: bd.review_button.isEnabled(), timeout=2000)
    click(qtbot, bd.review_button)
    cli = bd.cli_view.text()
    assert cli.startswith("oci bv volume-group-backup create") and f"--volume-group-id {group.id}" in cli
    assert "--type FULL" in cli and "--wait-for-state AVAILABLE" in cli
    click(qtbot, bd.create_button)
    qtbot.waitUntil(lambda: not bd.isVisible() or window.oplog.operations[-1].state.done, timeout=10_000)
    assert not bd.isVisible(), (window.oplog.operations[-1].error, window.oplog.operations[-1].title)
    op = window.oplog.operations[-1]
    assert op.title == "Back up volume group db-consistent (full)"
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED and op.detail == "AVAILABLE", (op.detail, op.error)
    open_tree_path(qtbot, window, "Development", "Shared-Tools", "Storage", "Volume group backups")
    qtbot.waitUntil(lambda: "db-consistent-full" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "db-consistent-full")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=5000)
    src = related(window)["Source"]
    assert src[0][:2] == ("Volume group", "db-consistent (AVAILABLE)") and src[0][2] == group.id
    assert src[1][:2] == ("Volume backups", "2 (one per volume of the group)")


def test_volume_group_kind_is_declared_with_its_cli_names():
    k = catalog.kind("blockstorage.volume_group")
    assert k.group == "Storage" and k.label == "Volume groups" and k.sdk.cli_id_flag == "--volume-group-id"
    move = k.action("move")
    assert move is not None and k.action("delete") is not None and k.action("backup") is not None
    b = catalog.kind("blockstorage.volume_group_backup")
    assert b.sdk.cli_id_flag == "--volume-group-backup-id" and b.action("delete") is not None
    # the form refuses nothing when no volume is chosen yet but requires the first one
    spec = k.create
    errs = spec.errors({"display_name": "g", "compartment_id": "ocid1.compartment.x",
                        "availability_domain": "AD-1"}, FormContext(None, "ocid1.compartment.x"))
    assert set(errs) == {"volume_1"}
