"""The emulator goes away in the middle of a GUI session, then comes back; or its port keeps
accepting connections but nothing answers (a hung endpoint), then it answers again."""

from __future__ import annotations

import re
import socket
import threading
import time
from urllib.parse import urlparse

import pytest

from ociconsole.core.connection import connection_for_emulator
from ociconsole.gui.main_window import MainWindow
from ociconsole.gui.qt import QTimer
from ociconsole.services.runtime import Session

from ..conftest import make_emulator
from ..gui.helpers import open_tree_path, table_rows


@pytest.fixture
def sandbox(tmp_path):
    state = tmp_path / "sandbox.sqlite"
    emu = make_emulator(tmp_path, state=str(state), transition_delay=0.3)
    box = {"emu": emu, "state": str(state), "port": urlparse(emu.base_url).port, "tmp": tmp_path}
    yield box
    box["emu"].stop()


def _window_on_instances(qtbot, emu):
    """The main window on a session to `emu`, showing the instances of Production/Web/Frontend."""
    session = Session(connection_for_emulator(emu.client_config(), emu.base_url))
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=15_000):
        w.set_session(session, "demo")
    open_tree_path(qtbot, w, "Production", "Web", "Frontend", "Compute", "Instances")
    qtbot.waitUntil(lambda: table_rows(w.resources) == ["web-01", "web-02"], timeout=10_000)
    return w, session


def test_outage_is_shown_without_a_retry_storm_and_recovers(qtbot, aloop, sandbox):
    emu = sandbox["emu"]
    w, session = _window_on_instances(qtbot, emu)

    url = emu.base_url
    emu.stop()  # the endpoint goes away
    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(20)
    heartbeat.timeout.connect(lambda: ticks.append(time.monotonic()))
    heartbeat.start()
    started = time.monotonic()
    w.refresh()
    qtbot.waitUntil(lambda: "Cannot reach" in w.endpoint_label.text(), timeout=10_000)
    shown_after = time.monotonic() - started
    assert url in w.endpoint_label.text()
    calls_at_outage = session.calls
    qtbot.wait(6000)  # the person keeps using the window for a while
    calls_during = session.calls - calls_at_outage
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    print(f"\noutage: shown after {shown_after:.2f} s; {calls_during} requests attempted in 6 s of outage; "
          f"longest GUI stall {max(gaps) * 1000:.0f} ms over {len(ticks)} heartbeats")
    assert shown_after < 8
    assert calls_during <= 12, "no retry storm while the endpoint is down"
    assert max(gaps) < 1.5, "the window stays responsive"
    assert w.tree.isEnabled() and w.resources.table.isEnabled()

    # the endpoint comes back on the same port with the same sandbox
    sandbox["emu"] = make_emulator(sandbox["tmp"], state=sandbox["state"], port=sandbox["port"],
                                   transition_delay=0.3)
    qtbot.waitUntil(lambda: "Cannot reach" not in w.endpoint_label.text(), timeout=15_000)
    qtbot.waitUntil(lambda: table_rows(w.resources) == ["web-01", "web-02"] and not w.resources.banner.isVisible(),
                    timeout=10_000)
    heartbeat.stop()
    w.shutdown()
    session.close()


class HungServer:
    """Accepts connections on `port` and never answers (a hung process, a black-holing proxy)."""

    def __init__(self, port: int):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(64)
        self.conns: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, name="hung-server", daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)  # read nothing, answer nothing

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        except OSError:
            pass
        self.sock.close()
        self.thread.join(5)
        for c in self.conns:
            c.close()


def test_an_endpoint_that_never_answers_is_shown_within_seconds_and_recovers(qtbot, aloop, sandbox):
    emu = sandbox["emu"]
    w, session = _window_on_instances(qtbot, emu)

    url = emu.base_url
    emu.stop()
    hung = HungServer(sandbox["port"])  # the port accepts connections; nothing ever answers
    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(20)
    heartbeat.timeout.connect(lambda: ticks.append(time.monotonic()))
    heartbeat.start()
    try:
        started = time.monotonic()
        w.refresh()
        qtbot.waitUntil(lambda: "is not answering" in w.endpoint_label.text(), timeout=15_000)
        shown_after = time.monotonic() - started
        first = w.endpoint_label.text()
        assert first.startswith(url), first
        qtbot.wait(2500)  # the person keeps using the window; the seconds count on
        later = w.endpoint_label.text()
        seconds = [int(re.search(r"\((\d+) s\)", t).group(1)) for t in (first, later)]
        gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
        print(f"\nhung endpoint: shown after {shown_after:.2f} s ({first!r}, then {later!r}); "
              f"{len(hung.conns)} connections accepted; longest GUI stall {max(gaps) * 1000:.0f} ms")
        assert shown_after < 8
        assert seconds[1] >= seconds[0] + 2, (first, later)
        assert max(gaps) < 1.5, "the window stays responsive"
        assert w.tree.isEnabled() and w.resources.table.isEnabled()
    finally:
        hung.close()

    # the endpoint answers again (the same sandbox on the same port)
    sandbox["emu"] = make_emulator(sandbox["tmp"], state=sandbox["state"], port=sandbox["port"],
                                   transition_delay=0.3)
    qtbot.waitUntil(lambda: "not answering" not in w.endpoint_label.text()
                    and "Cannot reach" not in w.endpoint_label.text(), timeout=20_000)
    qtbot.waitUntil(lambda: table_rows(w.resources) == ["web-01", "web-02"] and not w.resources.banner.isVisible(),
                    timeout=15_000)
    assert not session.waiting()
    heartbeat.stop()
    w.shutdown()
    session.close()
