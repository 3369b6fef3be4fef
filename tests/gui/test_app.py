"""The application as a person starts it: `ociconsole --demo [--screenshot FILE]`."""

from __future__ import annotations

import os
import subprocess
import sys

from ociconsole.gui.qt import QImage


def _run(args, home, timeout=90):
    env = dict(os.environ, OCICONSOLE_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "ociconsole", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_demo_screenshot_headless(tmp_path):
    home = tmp_path / "home"
    shot = tmp_path / "main.png"
    r = _run(["--demo", "--screenshot", str(shot)], home)
    assert r.returncode == 0, r.stderr
    img = QImage(str(shot))
    assert not img.isNull() and img.width() >= 800 and img.height() >= 500
    colours = {img.pixel(x, y) for x in range(0, img.width(), 37) for y in range(0, img.height(), 29)}
    assert len(colours) > 20  # a real window, not a blank picture
    # the sandbox is kept in the data directory for next time
    state = home / "data" / "demo" / "sandbox.sqlite"
    assert state.is_file() and state.stat().st_size > 0
    # and a log file was written
    assert any((home / "logs").glob("ociconsole.log*"))
    # --demo-reset starts from a fresh sandbox and still works
    r2 = _run(["--demo-reset", "--screenshot", str(tmp_path / "again.png")], home)
    assert r2.returncode == 0, r2.stderr
    assert (tmp_path / "again.png").is_file()


def test_bad_arguments_exit_2(tmp_path):
    r = _run(["--no-such-flag"], tmp_path)
    assert r.returncode == 2
    assert "usage: ociconsole" in r.stderr
