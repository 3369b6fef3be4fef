"""The activity panel over a real OperationLog, and end to end against the emulator."""

from __future__ import annotations

import json
import threading
import time

import pytest

from ociconsole import catalog
from ociconsole.catalog.execute import run_action
from ociconsole.core.errors import OciError
from ociconsole.core.operations import OpState
from ociconsole.gui import aio
from ociconsole.gui.activity import (
    COL_DETAIL,
    COL_ELAPSED,
    COL_PROGRESS,
    COL_STARTED,
    COL_STATUS,
    COL_TITLE,
    COLUMNS,
    ActivityDock,
    OperationDetailsDialog,
    OperationRole,
    ProgressRole,
    format_elapsed,
)
from ociconsole.gui.qt import QApplication, QFileDialog, Qt
from ociconsole.services import identity

LIMIT = OciError("You have reached the limit of instances", code="LimitExceeded", status=400,
                 request_id="A1B2C3D4E5/F6G7H8", operation="launch_instance")


@pytest.fixture
def dock(qtbot, oplog):
    d = ActivityDock(oplog)
    qtbot.addWidget(d)
    d.resize(900, 300)
    return d


def cell(dock, row, col, role=Qt.ItemDataRole.DisplayRole):
    return dock.model.index(row, col).data(role)


def row_text(dock, row):
    return [cell(dock, row, c) for c in range(len(COLUMNS))]


def test_model_follows_the_log_through_the_lifecycle(dock, oplog, qtbot):
    counts = []
    dock.activeCountChanged.connect(counts.append)
    m = dock.model
    assert m.rowCount() == 0 and dock.count_label.text() == "Nothing running"

    a = oplog.start("Stop instance web-01", resource_id="ocid1.instance.oc1..web01", resource_label="web-01")
    assert m.rowCount() == 1
    assert row_text(dock, 0)[:4] == ["Stop instance web-01", "Queued", "Waiting", "Waiting…"]
    assert cell(dock, 0, 0, OperationRole) is a

    with qtbot.waitSignal(m.dataChanged):
        oplog.running(a, detail="STOPPING")
    assert row_text(dock, 0)[1:4] == ["In progress", "STOPPING", "Working…"]
    assert cell(dock, 0, COL_PROGRESS, ProgressRole) is None  # busy text, no bar
    assert not cell(dock, 0, COL_STATUS, Qt.ItemDataRole.DecorationRole).isNull()

    b = oplog.start("Create instance api-03", kind="create")
    oplog.running(b, detail="PROVISIONING", progress=40)
    assert m.rowCount() == 2
    assert cell(dock, 0, COL_TITLE) == "Create instance api-03"  # newest on top
    assert cell(dock, 0, COL_PROGRESS, ProgressRole) == 40.0
    assert cell(dock, 0, COL_PROGRESS) == "40%"
    assert dock.count_label.text() == "2 running"

    oplog.succeed(a, detail="STOPPED")
    assert row_text(dock, 1)[1:4] == ["Succeeded", "STOPPED", ""]
    assert cell(dock, 1, COL_PROGRESS, ProgressRole) is None

    oplog.fail(b, LIMIT)
    assert cell(dock, 0, COL_STATUS) == "Failed"
    assert cell(dock, 0, COL_DETAIL) == "LimitExceeded: You have reached the limit of instances"
    assert cell(dock, 0, COL_STATUS, Qt.ItemDataRole.ForegroundRole).name() in ("#b83a2e", "#ff6b5e")  # theme "bad"

    c = oplog.start("Terminate instance tmp")
    oplog.cancel(c)
    assert cell(dock, 0, COL_STATUS) == "Cancelled"

    assert counts == [1, 2, 1, 0, 1, 0]
    assert dock.count_label.text() == "Nothing running"
    assert dock.active_count == 0 and not m.ticking
    assert [cell(dock, r, COL_STARTED) for r in range(3)] == [time.strftime("%H:%M:%S",
                                                                             time.localtime(o.started))
                                                              for o in (c, b, a)]


def test_failed_row_tooltip_has_the_oci_details(dock, oplog):
    op = oplog.start("Launch instance api-03", kind="create")
    oplog.fail(op, LIMIT)
    for col in range(len(COLUMNS)):
        tip = cell(dock, 0, col, Qt.ItemDataRole.ToolTipRole)
        assert "opc-request-id: A1B2C3D4E5/F6G7H8" in tip
        assert "LimitExceeded" in tip and "HTTP status: 400" in tip


def test_elapsed_ticks_while_active_and_stops_after(dock, oplog, qtbot):
    op = oplog.start("Reboot instance bastion", started=time.time() - 65.5)
    done = oplog.start("Stop instance old", started=time.time() - 10)
    oplog.succeed(done)
    frozen = cell(dock, 0, COL_ELAPSED)
    assert cell(dock, 1, COL_ELAPSED) == "1:05"
    assert dock.model.ticking
    with qtbot.waitSignal(dock.model.dataChanged, timeout=2500) as tick:
        pass
    top_left, bottom_right = tick.args[:2]  # the one timer repaints just the active rows' Elapsed
    assert (top_left.row(), top_left.column(), bottom_right.row(), bottom_right.column()) == (1, COL_ELAPSED,
                                                                                              1, COL_ELAPSED)
    assert cell(dock, 1, COL_ELAPSED) in ("1:06", "1:07")
    oplog.succeed(op)
    assert not dock.model.ticking
    assert cell(dock, 0, COL_ELAPSED) == frozen
    assert format_elapsed(3725) == "1:02:05"


def test_events_from_another_thread_are_applied_on_the_gui_thread(dock, oplog, qtbot):
    def worker():
        op = oplog.start("Upload object big.iso", kind="transfer")
        oplog.running(op, detail="Uploading", progress=10)
    t = threading.Thread(target=worker)
    t.start()
    t.join()
    qtbot.waitUntil(lambda: dock.model.rowCount() == 1 and cell(dock, 0, COL_PROGRESS) == "10%")
    assert dock.count_label.text() == "1 running"


def test_details_window_is_non_modal_and_copies(dock, oplog, qtbot):
    ok = oplog.start("Stop instance web-01")
    oplog.succeed(ok, "STOPPED")
    bad = oplog.start("Launch instance api-03", kind="create", resource_label="api-03")
    oplog.fail(bad, LIMIT)
    dock.show()
    qtbot.waitExposed(dock)
    rect = dock.view.visualRect(dock.model.index(0, COL_TITLE))
    qtbot.mouseClick(dock.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # item views want
    qtbot.mouseDClick(dock.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # the press first
    qtbot.mouseRelease(dock.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # (QTest leaves it down)
    dialogs = dock.details_dialogs()
    assert len(dialogs) == 1
    dlg = dialogs[0]
    assert isinstance(dlg, OperationDetailsDialog) and dlg.op is bad
    qtbot.waitExposed(dlg)
    assert not dlg.isModal() and dlg.windowModality() == Qt.WindowModality.NonModal
    assert "opc-request-id: A1B2C3D4E5/F6G7H8" in dlg.text.toPlainText()
    dlg.copy_button.click()
    copied = QApplication.clipboard().text()
    assert "Launch instance api-03" in copied and "A1B2C3D4E5/F6G7H8" in copied and "api-03" in copied

    # the Details… action on the same row raises the same window instead of opening another
    dock.view.setCurrentIndex(dock.model.index(0, 0))
    dock.details_action.trigger()
    assert dock.details_dialogs() == [dlg]
    dock.copy_request_id()
    assert QApplication.clipboard().text() == "A1B2C3D4E5/F6G7H8"
    dlg.close()
    qtbot.waitUntil(lambda: dock.details_dialogs() == [])


def test_details_window_follows_a_running_operation(dock, oplog):
    op = oplog.start("Start instance web-02")
    dlg = dock.show_details(op)
    oplog.running(op, detail="STARTING")
    assert "STARTING" in dlg._fields["Status"].text()
    oplog.succeed(op, detail="RUNNING")
    assert dlg._fields["Status"].text() == "Succeeded — RUNNING"
    dlg.close()


def test_clear_finished_keeps_what_is_running(dock, oplog):
    a = oplog.start("Stop instance a")
    b = oplog.start("Stop instance b")
    oplog.succeed(a)
    c = oplog.start("Stop instance c")
    oplog.fail(c, LIMIT)
    assert dock.clear_action.isEnabled()
    dock.clear_action.trigger()
    assert oplog.operations == [b]
    assert dock.model.rowCount() == 1 and cell(dock, 0, COL_TITLE) == "Stop instance b"
    assert not dock.clear_action.isEnabled()
    oplog.succeed(b)  # rows still map to the right operations after the reset
    assert cell(dock, 0, COL_STATUS) == "Succeeded"
    d = oplog.start("Stop instance d")
    assert [cell(dock, r, COL_TITLE) for r in range(2)] == ["Stop instance d", "Stop instance b"]
    assert d in oplog.active


def test_export_writes_the_log_as_json(dock, oplog, qtbot, tmp_path):
    ok = oplog.start("Stop instance web-01", resource_id="ocid1.instance.oc1..web01")
    oplog.succeed(ok, "STOPPED")
    bad = oplog.start("Launch instance api-03", kind="create")
    oplog.fail(bad, LIMIT)
    dlg = dock.export()
    assert isinstance(dlg, QFileDialog) and dlg.isVisible()
    target = tmp_path / "activity.json"
    with qtbot.waitSignal(dock.exported) as sig:
        dlg.selectFile(str(target))
        dlg.accept()
    assert sig.args == [str(target)]
    data = json.loads(target.read_text())
    by_title = {d["title"]: d for d in data}
    assert by_title["Stop instance web-01"]["state"] == "Succeeded"
    assert by_title["Launch instance api-03"]["state"] == "Failed"
    assert by_title["Launch instance api-03"]["error"]["opcRequestId"] == "A1B2C3D4E5/F6G7H8"
    qtbot.waitUntil(lambda: dock._export_dialog is None)


def test_export_failure_is_told_not_raised(dock, oplog, tmp_path):
    oplog.start("Stop instance web-01")
    assert dock.export_to(str(tmp_path / "missing-dir" / "x.json")) is False
    assert dock._message is not None and "Could not write" in dock._message.text()
    dock._message.close()


def test_thousands_of_operations_stay_cheap(dock, oplog, qtbot):
    # (how fast is for the benchmarks to say, not a timed assertion: this checks the work stays batched)
    dock.show()
    ops = [oplog.start(f"Stop instance vm-{i:05d}") for i in range(5000)]
    for op in ops[::2]:
        oplog.succeed(op)
    QApplication.processEvents()
    assert dock.model.rowCount() == 5000
    assert cell(dock, 0, COL_TITLE) == "Stop instance vm-04999"
    assert cell(dock, 4999, COL_STATUS) == "Succeeded"
    assert dock.count_label.text() == "2500 running"
    changed = []
    dock.model.dataChanged.connect(lambda *a: changed.append(a))
    dock.model._tick()  # one tick over 2500 active rows is a single dataChanged
    assert len(changed) == 1


def test_export_as_script_follows_the_operations_that_made_calls(dock, oplog):
    quiet = [oplog.start(f"Upload file-{i}") for i in range(3)]  # no SDK call recorded, no command
    assert not dock.script_action.isEnabled()
    stop = oplog.start("Stop instance web-1")
    stop.calls.append(("compute", "instance_action", ("ocid1.instance.oc1..x", "SOFTSTOP"), {}))
    assert not dock.script_action.isEnabled()  # (known once the operation reports)
    oplog.succeed(stop)
    assert dock.script_action.isEnabled()
    for op in quiet:
        oplog.succeed(op)
    assert dock.script_action.isEnabled()
    dock.clear_finished()  # the only operation with a call is gone
    assert not dock.script_action.isEnabled()


def test_a_deleted_dock_stops_listening(qtbot, oplog):
    d = ActivityDock(oplog)
    d.deleteLater()
    qtbot.waitUntil(lambda: _deleted(d))
    oplog.start("Stop instance after")  # must not raise
    assert oplog._listeners == []


def _deleted(obj) -> bool:
    try:
        obj.objectName()
    except RuntimeError:
        return True
    return False


# ------------------------------------------------------------------------ end to end (emulator)

def run(qtbot, coro, timeout=15000):
    task = aio.spawn(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


async def find_instance(session, state: str):
    kind = catalog.kind("compute.instance")
    tree = await identity.compartment_tree(session)
    for cid in [session.tenancy_id] + [c.id for children in tree.values() for c in children]:
        for inst in await kind.list(session, cid):
            if inst.lifecycle_state == state:
                return inst
    raise AssertionError(f"no {state} instance in the demo")


def test_stop_an_instance_end_to_end(qtbot, aloop, session, oplog, dock):
    kind = catalog.kind("compute.instance")
    inst = run(qtbot, find_instance(session, "RUNNING"))
    seen = []
    dock.model.dataChanged.connect(lambda *_: seen.append((cell(dock, 0, COL_STATUS), cell(dock, 0, COL_DETAIL))))

    task = aio.spawn(run_action(session, oplog, kind, kind.action("stop"), inst))
    qtbot.waitUntil(lambda: dock.model.rowCount() == 1 and cell(dock, 0, COL_STATUS) == "In progress", timeout=5000)
    assert cell(dock, 0, COL_TITLE) == f"Stopping instance {inst.display_name}"
    assert dock.count_label.text() == "1 running"
    qtbot.waitUntil(lambda: cell(dock, 0, COL_STATUS) == "Succeeded", timeout=10000)
    assert task.done() and task.result().state is OpState.SUCCEEDED
    assert cell(dock, 0, COL_DETAIL) == "STOPPED"
    assert ("In progress", "STOPPING") in seen
    assert dock.count_label.text() == "Nothing running"


def test_a_refused_action_shows_failed_with_the_oci_code(qtbot, aloop, session, oplog, dock):
    kind = catalog.kind("compute.instance")
    gone = run(qtbot, find_instance(session, "TERMINATED"))
    aio.spawn(run_action(session, oplog, kind, kind.action("start"), gone))
    qtbot.waitUntil(lambda: dock.model.rowCount() == 1 and cell(dock, 0, COL_STATUS) == "Failed", timeout=10000)
    op = oplog.operations[0]
    assert op.error is not None and op.error.code == "IncorrectState" and op.error.request_id
    assert cell(dock, 0, COL_DETAIL).startswith("IncorrectState: ")
    tip = cell(dock, 0, COL_STATUS, Qt.ItemDataRole.ToolTipRole)
    assert f"opc-request-id: {op.error.request_id}" in tip and "HTTP status: 409" in tip
