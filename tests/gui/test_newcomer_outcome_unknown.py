"""Issue 18, item 6: an instance action whose endpoint went away mid-way (the emulator stops during a
Stop) is not "Failed — ConnectionError": its outcome is unknown, it is checked again when the service
comes back, and it ends as what really happened (Succeeded, STOPPED)."""

from __future__ import annotations

from urllib.parse import urlparse

from ociconsole.core.connection import connection_for_emulator
from ociconsole.core.operations import OpState
from ociconsole.gui.main_window import MainWindow
from ociconsole.services.runtime import Session

from ..conftest import make_emulator
from .helpers import answer_confirm, click_index, open_tree_path, shot, table_rows


def test_stop_survives_an_outage_and_ends_as_what_happened(qtbot, aloop, tmp_path):
    state = str(tmp_path / "sandbox.sqlite")
    emu = make_emulator(tmp_path, state=state, transition_delay=2.0)
    port = urlparse(emu.base_url).port
    session = Session(connection_for_emulator(emu.client_config(), emu.base_url))
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    try:
        with qtbot.waitSignal(w.ready, timeout=15_000):
            w.set_session(session, "demo")
        open_tree_path(qtbot, w, "Production", "Web", "Frontend", "Compute", "Instances")
        qtbot.waitUntil(lambda: table_rows(w.resources) == ["web-01", "web-02"], timeout=10_000)
        click_index(qtbot, w.resources.table, w.resources.proxy.index(0, 0))
        qtbot.waitUntil(lambda: w.detail.name.text() == "web-01", timeout=5000)
        action = next(a for a in w._kind_actions if a.text() == "Stop")
        action.trigger()
        answer_confirm(qtbot)
        op = w.oplog.operations[-1]
        qtbot.waitUntil(lambda: op.detail == "STOPPING", timeout=10_000)

        emu.stop()  # the endpoint goes away while the instance is stopping
        qtbot.wait(4000)  # the tracking polls meet connection errors meanwhile
        assert not op.state.done, (op.state, op.detail)
        assert "unknown" in op.detail.lower(), op.detail
        shot(w, "newcomer-6-outage")

        emu = make_emulator(tmp_path, state=state, port=port, transition_delay=2.0)  # it comes back
        qtbot.waitUntil(lambda: op.state.done, timeout=30_000)
        assert op.state is OpState.SUCCEEDED and op.detail == "STOPPED", (op.state, op.detail, op.error)
        qtbot.waitUntil(lambda: w.detail.resource.lifecycle_state == "STOPPED", timeout=5000)
        shot(w, "newcomer-6")
    finally:
        w.shutdown()
        session.close()
        emu.stop()
