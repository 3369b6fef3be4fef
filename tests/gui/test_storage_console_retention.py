"""Retention rules of a bucket through the window against the real emulator: "Add retention rule…"
(duration or indefinite, an optional lock at least 14 days ahead with its loud warning), the review's
`oci os retention-rule create` command, the rule listed in the bucket's related "Retention rules"; then
"Delete retention rule…", which refuses a locked rule inline with OCI's reason and deletes an unlocked
one."""

from __future__ import annotations

import time

import oci
import pytest

from ociconsole.core.operations import OpState
from ociconsole.gui.main_window import MainWindow
from ociconsole.services import object_storage as oss

from .helpers import click, click_index, dialog, open_tree_path, pick, retype, shot, table_rows, trigger

DAY = 86400


@pytest.fixture
def window(qtbot, aloop, session):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=15_000):
        w.set_session(session, "demo")
    yield w
    w.transfers.cancel_all()
    w.close()


@pytest.fixture
def records(gui_emulator):
    """A private bucket without versioning, with one object, in Production/Web/Frontend."""
    cfg = gui_emulator.client_config()
    idc = oci.identity.IdentityClient(cfg, service_endpoint=gui_emulator.endpoint("identity"))
    osc = oci.object_storage.ObjectStorageClient(cfg, service_endpoint=gui_emulator.endpoint("object_storage"))
    comp = next(c for c in idc.list_compartments(cfg["tenancy"], compartment_id_in_subtree=True).data
                if c.name == "Frontend")
    ns = osc.get_namespace().data
    osc.create_bucket(ns, oci.object_storage.models.CreateBucketDetails(name="records", compartment_id=comp.id))
    osc.put_object(ns, "records", "invoice-001.pdf", b"%PDF-1.4 invoice")
    return osc, ns


def section(window, label):
    rel = window.detail.related
    for i in range(rel.topLevelItemCount()):
        s = rel.topLevelItem(i)
        if s.text(0) == label and s.text(1) != "loading…":
            return [f"{s.child(j).text(0)}={s.child(j).text(1)}" for j in range(s.childCount())]
    return None


def select_bucket(qtbot, window, name):
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Storage", "Buckets")
    qtbot.waitUntil(lambda: name in table_rows(window.resources), timeout=10_000)
    row = table_rows(window.resources).index(name)
    click_index(qtbot, window.resources.table, window.resources.proxy.index(row, 0))
    qtbot.waitUntil(lambda: window.detail.name.text() == name, timeout=5000)


def submit(qtbot, window, dlg):
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
    assert op.state is OpState.SUCCEEDED, op.error
    return op


def test_add_locked_rule_then_delete_refuses_it_and_deletes_an_unlocked_one(qtbot, window, records, gui_emulator,
                                                                            monkeypatch):
    from ociconsole.gui.form_dialog import CreateDialog
    osc, ns = records
    select_bucket(qtbot, window, "records")
    qtbot.waitUntil(lambda: section(window, "Retention rules") is not None, timeout=5000)
    assert section(window, "Retention rules") == []

    # a rule keeping each object 7 days, locked after 20 days
    trigger(window, "Add retention rule…")
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=5000)
    assert dlg.windowTitle() == "Add retention rule to bucket records" and dlg.create_button.text() == "Add rule"
    retype(qtbot, dlg.row("display_name").editor, "invoices-7d")
    retype(qtbot, dlg.row("time_amount").editor, "7")
    assert not dlg.row("lock_days").shown
    dlg.row("lock").editor.setChecked(True)
    qtbot.waitUntil(lambda: dlg.row("lock_days").shown, timeout=2000)
    retype(qtbot, dlg.row("lock_days").editor, "10")
    qtbot.waitUntil(lambda: dlg.row("lock_days").error_text() != "", timeout=2000)
    assert not dlg.review_button.isEnabled()
    retype(qtbot, dlg.row("lock_days").editor, "20")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=2000)
    assert "this rule is LOCKED" in dlg.row("lock_days").warning.text()
    qtbot.wait(100)
    shot(dlg, "storage-console-retention-rule-form")
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert cli.startswith("oci os retention-rule create") and "--bucket-name records" in cli
    assert "--display-name invoices-7d" in cli and "--time-amount 7" in cli and "--time-unit DAYS" in cli
    assert "--time-rule-locked 20" in cli and "T00:00:00Z" in cli
    qtbot.wait(100)
    shot(dlg, "storage-console-retention-rule-review")
    op = submit(qtbot, window, dlg)
    assert op.title == "Add retention rule invoices-7d to bucket records"

    # an indefinite rule (a legal hold): no duration, no lock offered
    trigger(window, "Add retention rule…")
    d2 = dialog(qtbot, CreateDialog, not_this=dlg)
    qtbot.waitUntil(lambda: not d2.busy, timeout=5000)
    retype(qtbot, d2.row("display_name").editor, "legal-hold")
    pick(qtbot, d2.row("mode").editor, "Indefinitely")
    assert not d2.row("time_amount").shown and not d2.row("lock").shown
    click(qtbot, d2.review_button)
    cli = d2.cli_view.text()
    assert "--display-name legal-hold" in cli and "--time-amount" not in cli and "--time-rule-locked" not in cli
    submit(qtbot, window, d2)

    rules = {r.display_name: r for r in osc.list_retention_rules(ns, "records").data.items}
    assert rules["invoices-7d"].duration.time_amount == 7 and rules["invoices-7d"].time_rule_locked is not None
    assert rules["legal-hold"].duration is None
    window.refresh()
    qtbot.waitUntil(lambda: bool(section(window, "Retention rules")), timeout=5000)
    listed = section(window, "Retention rules")
    assert listed[0].startswith("Rule invoices-7d=7 days, locks on 20") and len(listed[0]) == len(
        "Rule invoices-7d=7 days, locks on 2026-12-28")
    assert listed[1] == "Rule legal-hold=indefinitely, not locked"
    window.detail.tabs.setCurrentWidget(window.detail.related)
    qtbot.wait(100)
    shot(window, "storage-console-retention-rules-related")

    # 21 days later the first rule is locked (the service's clock and the console's move together)
    gui_emulator.clock.advance(21 * DAY)
    monkeypatch.setattr(oss, "now", lambda: time.time() + 21 * DAY)
    trigger(window, "Delete retention rule…")
    dd = dialog(qtbot, CreateDialog, not_this=d2)
    qtbot.waitUntil(lambda: not dd.busy, timeout=5000)
    assert dd.create_button.text() == "Delete rule"
    combo = dd.row("rule_id").editor
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels[0].startswith("invoices-7d — 7 days, locked since ") and labels[1] == \
        "legal-hold — indefinitely, not locked"
    pick(qtbot, combo, "invoices-7d")
    qtbot.waitUntil(lambda: "is locked" in dd.row("rule_id").error_text(), timeout=2000)
    assert "cannot be deleted" in dd.row("rule_id").error_text() and not dd.review_button.isEnabled()
    qtbot.wait(100)
    shot(dd, "storage-console-retention-rule-delete")
    pick(qtbot, combo, "legal-hold")
    # what is deleted is confirmed by typing its name
    qtbot.waitUntil(lambda: not dd.review_button.isEnabled(), timeout=2000)
    retype(qtbot, dd.row("confirm").editor, "legal-hol")
    qtbot.waitUntil(lambda: "Type 'legal-hold'" in dd.row("confirm").error_text(), timeout=2000)
    retype(qtbot, dd.row("confirm").editor, "legal-hold")
    qtbot.waitUntil(lambda: dd.review_button.isEnabled(), timeout=2000)
    click(qtbot, dd.review_button)
    cli = dd.cli_view.text()
    assert cli.startswith("oci os retention-rule delete") and f"--retention-rule-id {rules['legal-hold'].id}" in cli
    assert cli.endswith("--force")
    submit(qtbot, window, dd)
    assert [r.display_name for r in osc.list_retention_rules(ns, "records").data.items] == ["invoices-7d"]
    window.refresh()
    qtbot.waitUntil(lambda: section(window, "Retention rules") is not None and
                    len(section(window, "Retention rules")) == 1, timeout=5000)
    assert "locked since" in section(window, "Retention rules")[0]


def test_versioned_bucket_is_refused_inline(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Production", "Data", "Warehouse", "Storage", "Buckets")
    qtbot.waitUntil(lambda: "db-backups" in table_rows(window.resources), timeout=10_000)
    click_index(qtbot, window.resources.table, window.resources.proxy.index(0, 0))
    qtbot.waitUntil(lambda: window.detail.name.text() == "db-backups", timeout=5000)
    trigger(window, "Add retention rule…")
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=5000)
    qtbot.waitUntil(lambda: "keeps object versions" in dlg.row("display_name").error_text(), timeout=2000)
    assert not dlg.review_button.isEnabled()
    dlg.reject()
