"""Issue 18, item 13: with no working connection, Create (toolbar and list) is off and comes back with
the connection; block volumes list their attachment ("Attached to"), loaded with one request for the
compartment, and "Attach to instance…" is off for a volume that is attached."""

from __future__ import annotations

from urllib.parse import urlparse

import oci

from ociconsole.core.connection import connection_for_emulator
from ociconsole.gui.main_window import MainWindow
from ociconsole.gui.qt import Qt
from ociconsole.services.runtime import Session

from ..conftest import make_emulator
from .helpers import click_index, open_tree_path, shot, table_rows


def _window(qtbot, emu):
    session = Session(connection_for_emulator(emu.client_config(), emu.base_url))
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=15_000):
        w.set_session(session, "demo")
    return w, session


def _select(qtbot, w, name):
    row = table_rows(w.resources).index(name)
    click_index(qtbot, w.resources.table, w.resources.proxy.index(row, 0))
    qtbot.waitUntil(lambda: w.detail.name.text() == name, timeout=5000)


def _action(w, label):
    return next(a for a in w._kind_actions if a.text() == label)


def test_create_is_off_while_unreachable(qtbot, aloop, tmp_path):
    state = str(tmp_path / "sandbox.sqlite")
    emu = make_emulator(tmp_path, state=state, transition_delay=0.3)
    port = urlparse(emu.base_url).port
    w, session = _window(qtbot, emu)
    try:
        open_tree_path(qtbot, w, "Development", "Networking", "VCNs")
        qtbot.waitUntil(lambda: w.resources.model.rowCount() > 0, timeout=10_000)
        assert w.create_action.isEnabled() and w.resources.create_button.isEnabled()
        emu.stop()
        qtbot.keyClick(w.tree, Qt.Key.Key_F5)
        qtbot.waitUntil(lambda: "Cannot reach" in w.endpoint_label.text(), timeout=10_000)
        assert not w.create_action.isEnabled()
        assert not w.resources.create_button.isEnabled()
        shot(w, "newcomer-13-offline")
        emu = make_emulator(tmp_path, state=state, port=port, transition_delay=0.3)
        qtbot.waitUntil(lambda: "Cannot reach" not in w.endpoint_label.text(), timeout=15_000)
        qtbot.waitUntil(lambda: w.create_action.isEnabled() and w.resources.create_button.isEnabled(), timeout=5000)
    finally:
        w.shutdown()
        session.close()
        emu.stop()


def test_volumes_show_attachment_and_attach_is_off_when_attached(qtbot, aloop, gui_emulator, session):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=15_000):
        w.set_session(session, "demo")
    calls: list[str] = []
    session.on_call(lambda service, method: calls.append(method))
    open_tree_path(qtbot, w, "Development", "Shared-Tools", "Storage", "Block volumes")
    qtbot.waitUntil(lambda: "scratch" in table_rows(w.resources), timeout=10_000)
    col = [c.title for c in w.resources.kind.columns].index("Attached to")
    row = table_rows(w.resources).index("scratch")
    assert w.resources.proxy.index(row, col).data() == "—"
    assert calls.count("list_volume_attachments") == 1, calls
    _select(qtbot, w, "scratch")
    assert _action(w, "Attach to instance…").isEnabled()
    vol_id = w.detail.resource.id

    # attached (elsewhere) to jenkins; F5 shows it
    cfg = gui_emulator.client_config()
    cc = oci.core.ComputeClient(cfg, service_endpoint=gui_emulator.endpoint("core"))
    comp = w.current_compartment.id
    jenkins = next(i for i in cc.list_instances(comp).data if i.display_name == "jenkins")
    cc.attach_volume(oci.core.models.AttachParavirtualizedVolumeDetails(instance_id=jenkins.id, volume_id=vol_id))
    qtbot.keyClick(w.resources.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "jenkins" in (w.resources.proxy.index(table_rows(w.resources).index("scratch"), col)
                                          .data() or ""), timeout=10_000)
    _select(qtbot, w, "scratch")
    qtbot.waitUntil(lambda: not _action(w, "Attach to instance…").isEnabled(), timeout=5000)
    assert _action(w, "Detach").isEnabled()
    shot(w, "newcomer-13")
    w.close()
