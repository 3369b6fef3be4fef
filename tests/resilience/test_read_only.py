"""A read-only profile: every mutating action is disabled in the window and refused in the
service layer too (no request leaves the app)."""

from __future__ import annotations

import asyncio

import oci
import pytest

from ociconsole.core.connection import connection_for_emulator
from ociconsole.core.errors import OciError
from ociconsole.gui.main_window import MainWindow
from ociconsole.services import compute as csvc
from ociconsole.services import identity as idsvc
from ociconsole.services.runtime import Session

from ..conftest import make_emulator
from ..gui.helpers import click_index, open_tree_path, table_rows


@pytest.fixture
def ro(tmp_path):
    emu = make_emulator(tmp_path)
    conn = connection_for_emulator(emu.client_config(), emu.base_url)
    conn.read_only = True
    session = Session(conn)
    yield emu, session
    session.close()
    emu.stop()


def test_service_layer_refuses_every_mutation(ro):
    emu, session = ro

    async def scenario():
        tree = await idsvc.compartment_tree(session)
        insts = []
        for c in [c for cs in tree.values() for c in cs]:
            insts += await csvc.list_instances(session, c.id)
        some = insts[0]
        before = emu.core.stats["requests"]
        refused = []
        for call in (csvc.instance_action(session, some.id, "STOP"),
                     csvc.terminate_instance(session, some.id),
                     idsvc.create_compartment(session, oci.identity.models.CreateCompartmentDetails(
                         compartment_id=session.tenancy_id, name="nope", description="x"), "tok"),
                     idsvc.delete_policy(session, "ocid1.policy.oc1..x"),
                     session.call("identity", "update_compartment", some.compartment_id,
                                  oci.identity.models.UpdateCompartmentDetails(description="x"))):
            try:
                await call
            except OciError as e:
                refused.append(e)
        return insts, refused, emu.core.stats["requests"] - before
    _insts, refused, sent = asyncio.run(scenario())
    assert len(refused) == 5 and all(e.kind == "readonly" and e.code == "ReadOnlyProfile" for e in refused)
    assert "read-only" in refused[0].message
    assert sent == 0


def test_window_disables_every_mutating_action(qtbot, aloop, ro):
    _emu, session = ro
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=15_000):
        w.set_session(session, "demo")
    open_tree_path(qtbot, w, "Development", "Shared-Tools", "Compute", "Instances")
    qtbot.waitUntil(lambda: "jenkins" in table_rows(w.resources), timeout=10_000)
    click_index(qtbot, w.resources.table, w.resources.proxy.index(table_rows(w.resources).index("jenkins"), 0))
    assert w._kind_actions and not any(a.isEnabled() for a in w._kind_actions)
    assert not w.create_action.isEnabled()
    assert not any(a.isEnabled() for a in w.detail.actions_menu.actions())
    assert "read-only" in w.expiry_label.text()
    n = len(w.oplog.operations)
    w.request_action(w.resources.kind, w.resources.kind.action("stop"), w.resources.selected_resources())
    w.open_create(w.resources.kind)
    assert len(w.oplog.operations) == n
    assert "read-only" in w.statusBar().currentMessage()
    w.shutdown()
