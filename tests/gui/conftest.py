"""GUI test fixtures: a qasync loop that pytest-qt's waits drive, an isolated app home, and
a session on a fresh emulator."""

from __future__ import annotations

import asyncio

import pytest
import qasync

from ociconsole.core.connection import connection_for_emulator
from ociconsole.core.operations import OperationLog
from ociconsole.services.runtime import Session

from ..conftest import make_emulator


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Settings, logs and the demo sandbox live in a temp dir, never the developer's."""
    home = tmp_path / "home"
    monkeypatch.setenv("OCICONSOLE_HOME", str(home))
    monkeypatch.setenv("OCI_CLI_CONFIG_FILE", str(tmp_path / "no-oci-config"))
    monkeypatch.delenv("OCI_CLI_PROFILE", raising=False)
    return home


@pytest.fixture(autouse=True)
def quick_tracking(monkeypatch):
    """The console asks for a changing resource after 0.5 s, then ever less often up to every 5 s
    (catalog.execute): right against OCI, but most of what a GUI test would wait for on a sandbox whose
    transitions take 0.3 s. Here it asks every 0.1 s at first, at most every 0.5 s."""
    from ociconsole.catalog import execute
    monkeypatch.setattr(execute, "POLL_FIRST", 0.1)
    monkeypatch.setattr(execute, "POLL_MAX", 0.5)


@pytest.fixture(autouse=True)
def no_post_remembered(monkeypatch):
    """Post custom metric… starts from the last post's fields in the same tenancy, and every test's sandbox is
    the same tenancy (the demo seed's OCIDs are fixed): without this, a post of an earlier test on the same
    worker would choose the compartment of the next test's first post."""
    from ociconsole.catalog import monitoring
    monkeypatch.setattr(monitoring, "LAST_POST", {})


@pytest.fixture(autouse=True)
def no_popup_left_open(qapp):
    """A popup (a menu, a combo box's list) or a mouse grab left by a test would take the pointer's events of
    every later test on the same worker: closed and released after each test."""
    yield
    from ociconsole.gui.qt import QApplication, QWidget
    for _ in range(10):
        popup = QApplication.activePopupWidget()
        if popup is None:
            break
        popup.close()
    grabber = QWidget.mouseGrabber()
    if grabber is not None:
        grabber.releaseMouse()


@pytest.fixture
def aloop(qapp):
    """asyncio on the Qt loop (qasync) for the duration of one test.

    `already_running=True` makes coroutines run whenever Qt processes events, so
    qtbot.waitUntil / waitSignal drive them.
    """
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    import time
    for t in asyncio.all_tasks(loop):
        t.cancel()
    deadline = time.monotonic() + 2.0
    while any(not t.done() for t in asyncio.all_tasks(loop)) and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.005)
    loop._QEventLoop__is_running = False
    asyncio.events._set_running_loop(None)
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def gui_emulator(tmp_path):
    emu = make_emulator(tmp_path, transition_delay=0.3)
    yield emu
    emu.stop()


@pytest.fixture
def session(gui_emulator):
    s = Session(connection_for_emulator(gui_emulator.client_config(), gui_emulator.base_url))
    yield s
    s.close()


@pytest.fixture
def oplog():
    return OperationLog()


@pytest.fixture
def window(qtbot, aloop, session):
    """The main window on the demo session, shown and ready (a test module may define its own)."""
    from ociconsole.gui.main_window import MainWindow
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=15_000):
        w.set_session(session, "demo")
    yield w
    w.close()
