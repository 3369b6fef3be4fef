"""The confirmation dialog for destructive actions, driven with keys and clicks; the last
test runs the confirmed action against the emulator."""

from __future__ import annotations

import oci
import pytest

from ociconsole import catalog
from ociconsole.catalog import execute
from ociconsole.core.operations import OpState
from ociconsole.gui import aio
from ociconsole.gui.confirm import ConfirmDialog
from ociconsole.gui.qt import QPoint, Qt
from ociconsole.services import compute as computesvc
from ociconsole.services import identity as idsvc

from .helpers import shot

INSTANCES = catalog.kind("compute.instance")
VCNS = catalog.kind("network.vcn")


def instance(name: str, state: str = "RUNNING"):
    return oci.core.models.Instance(id=f"ocid1.instance.oc1.iad.{name}", display_name=name, lifecycle_state=state)


def make(qtbot, action_id: str, resources, kind=INSTANCES):
    dlg = ConfirmDialog(kind.action(action_id), kind, resources)
    qtbot.addWidget(dlg)
    got = []
    dlg.confirmed.connect(got.append)
    dlg.open()
    qtbot.waitUntil(dlg.isVisible, timeout=2000)
    return dlg, got


def test_name_must_be_typed_exactly(qtbot):
    dlg, got = make(qtbot, "terminate", [instance("web-01")])
    assert dlg.windowTitle() == "Terminate instance"
    assert dlg.ok_button.text() == "Terminate"
    assert "This cannot be undone" in dlg.message.text() and "web-01" in dlg.message.text()
    assert not dlg.ok_button.isEnabled()
    box = dlg.option_boxes["keep_boot_volume"]
    assert box.text() == "Keep the boot volume" and not box.isChecked()
    qtbot.keyClicks(dlg.input, "web-0")
    assert not dlg.ok_button.isEnabled()
    qtbot.keyClick(dlg.input, Qt.Key.Key_Return)  # Enter with a partial name does nothing
    assert dlg.isVisible() and got == []
    qtbot.keyClicks(dlg.input, "1 ")
    assert not dlg.ok_button.isEnabled()  # exactly: no trailing space
    qtbot.keyClick(dlg.input, Qt.Key.Key_Backspace)
    retyped = dlg.input.text()
    assert retyped == "web-01" and dlg.ok_button.isEnabled()
    dlg.input.setText("WEB-01")
    assert not dlg.ok_button.isEnabled()  # case matters
    dlg.input.setText("web-01")
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked()
    shot(dlg, "confirm-terminate")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert got == [{"keep_boot_volume": True}]
    assert not dlg.isVisible()
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)  # no second confirmation
    assert len(got) == 1


def test_enter_confirms_once_the_name_matches(qtbot):
    dlg, got = make(qtbot, "delete", [oci.core.models.Vcn(id="ocid1.vcn.oc1.iad.x", display_name="hub-vcn",
                                                           lifecycle_state="AVAILABLE")], kind=VCNS)
    assert dlg.ok_button.text() == "Delete" and dlg.option_boxes == {}
    qtbot.keyClicks(dlg.input, "hub-vcn")
    qtbot.keyClick(dlg.input, Qt.Key.Key_Return)
    assert got == [{}] and not dlg.isVisible()


def test_bulk_requires_the_count(qtbot):
    res = [instance(f"web-{i:02d}") for i in range(1, 13)]
    dlg, got = make(qtbot, "terminate", res)
    assert dlg.windowTitle() == "Terminate 12 instances"
    assert not dlg.ok_button.isEnabled()
    qtbot.keyClicks(dlg.input, "web-01")  # a name is not the count
    assert not dlg.ok_button.isEnabled()
    dlg.input.clear()
    qtbot.keyClicks(dlg.input, "11")
    assert not dlg.ok_button.isEnabled()
    dlg.input.clear()
    qtbot.keyClicks(dlg.input, "12")
    assert dlg.ok_button.isEnabled()
    shot(dlg, "confirm-bulk")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert got == [{"keep_boot_volume": False}]


def test_simple_confirmation_and_escape(qtbot):
    dlg, got = make(qtbot, "force_stop", [instance("web-01")])
    assert dlg.input is None and dlg.ok_button.isEnabled()
    assert dlg.ok_button.text() == "Force stop"
    shot(dlg, "confirm-simple")
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert not dlg.isVisible() and got == []

    dlg, got = make(qtbot, "force_stop", [instance("web-02")])
    qtbot.mouseClick(dlg.cancel_button, Qt.MouseButton.LeftButton)
    assert got == []
    dlg, got = make(qtbot, "force_stop", [instance("web-03")])
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert got == [{}]


@pytest.mark.parametrize("key", [Qt.Key.Key_Escape, None])
def test_escape_or_close_never_confirms_even_when_typed(qtbot, key):
    dlg, got = make(qtbot, "terminate", [instance("web-01")])
    qtbot.keyClicks(dlg.input, "web-01")
    if key is None:
        dlg.close()
    else:
        qtbot.keyClick(dlg.input, key)
    assert not dlg.isVisible() and got == []


def test_confirmed_options_reach_the_action(qtbot, aloop, session, oplog):
    """Terminate with 'Keep the boot volume' on a real emulator instance."""
    def run(coro):
        t = aio.spawn(coro)
        qtbot.waitUntil(t.done, timeout=10_000)
        return t.result()

    tree = run(idsvc.compartment_tree(session))
    frontend = next(c for cs in tree.values() for c in cs if c.name == "Frontend")
    inst = next(i for i in run(computesvc.list_instances(session, frontend.id)) if i.display_name == "web-02")
    boot = run(computesvc.instance_boot_volumes(session, inst))
    assert len(boot) == 1

    action = INSTANCES.action("terminate")
    dlg, _got = make(qtbot, "terminate", [inst])
    ops = []
    dlg.confirmed.connect(lambda options: ops.append(aio.spawn(
        execute.run_action(session, oplog, INSTANCES, action, inst, options))))
    box = dlg.option_boxes["keep_boot_volume"]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked()
    qtbot.keyClicks(dlg.input, "web-02")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert len(ops) == 1
    qtbot.waitUntil(ops[0].done, timeout=15_000)
    op = ops[0].result()
    assert op.state is OpState.SUCCEEDED, op.error
    bv = run(computesvc.get_boot_volume(session, boot[0].id))
    assert bv.lifecycle_state == "AVAILABLE"  # kept
