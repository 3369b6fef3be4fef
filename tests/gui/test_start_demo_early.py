"""`ociconsole --demo` starts the sandbox in a thread before the window is built (gui.app.start_emulator_early):
the window connects to that sandbox, and one that was started but never connected to is stopped at exit."""

from __future__ import annotations

import gc
import urllib.request

import pytest

from ociconsole.core import heap
from ociconsole.gui.app import Console, build_parser, start_emulator_early
from ociconsole.gui.qt import QApplication


def test_the_window_uses_the_sandbox_started_early(qtbot, aloop):
    heap.hold()  # as `ociconsole` starts: no garbage collections until the window shows its connection
    early = start_emulator_early(reset=False)
    console = Console(QApplication.instance(), build_parser().parse_args(["--demo"]), early_emulator=early)
    qtbot.addWidget(console.window)
    try:
        with qtbot.waitSignal(console.window.firstLevelShown, timeout=60_000):
            console.start()
        assert console.emulator is early.result()  # the same sandbox, not a second one
        assert console.session.connection.is_demo
        assert console.window.tree_model.root_node.compartment_children  # the tenancy's compartments are shown
        assert gc.isenabled()  # the collector runs again
    finally:
        gc.enable()
        console.window.shutdown()
        console.shutdown()
    assert console.emulator is None


def test_a_sandbox_started_early_is_stopped_when_never_used(qtbot, aloop):
    early = start_emulator_early(reset=False)
    console = Console(QApplication.instance(), build_parser().parse_args(["--demo"]), early_emulator=early)
    qtbot.addWidget(console.window)
    emu = early.result(timeout=60)
    url = emu.base_url
    console.window.shutdown()
    console.shutdown()
    assert console.emulator is None
    with pytest.raises(RuntimeError):
        emu.base_url  # noqa: B018 - stopped
    with pytest.raises(OSError):  # nothing answers at its address any more
        urllib.request.urlopen(url, timeout=5)
