"""`ociconsole --demo` where Qt cannot open a window: no abort (SIGABRT), but the offscreen platform
when none is needed, or one line saying what to install."""

from __future__ import annotations

import os
import subprocess
import sys

from ociconsole.gui.qt import QImage

_DISPLAY_VARS = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE", "OCICONSOLE_TEST_MISSING_LIBS")


def _run(args, home, timeout=90, **extra):
    env = {k: v for k, v in os.environ.items() if k not in _DISPLAY_VARS}
    env.update(OCICONSOLE_HOME=str(home), **extra)
    return subprocess.run([sys.executable, "-m", "ociconsole", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_missing_xcb_libraries_exit_1_with_one_line_naming_the_packages(tmp_path):
    # an X display is set, the platform would be xcb, and two of its libraries cannot be loaded
    r = _run(["--demo"], tmp_path / "home", timeout=60, DISPLAY=":97",
             OCICONSOLE_TEST_MISSING_LIBS="libxcb-icccm.so.4,libxcb-keysyms.so.1")
    assert r.returncode == 1, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    line = lines[0]
    assert "libxcb-icccm.so.4" in line and "libxcb-keysyms.so.1" in line
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in line
    assert "sudo dnf install xcb-util-wm xcb-util-keysyms" in line
    assert "sudo zypper install libxcb-icccm4 libxcb-keysyms1" in line
    assert r.stdout == ""


def test_xcb_check_skipped_when_another_platform_is_asked_for(tmp_path):
    shot = tmp_path / "shot.png"
    r = _run(["--demo", "--screenshot", str(shot)], tmp_path / "home", DISPLAY=":97", QT_QPA_PLATFORM="offscreen",
             OCICONSOLE_TEST_MISSING_LIBS="libxcb-icccm.so.4")
    assert r.returncode == 0, r.stderr
    assert shot.is_file()


def test_screenshot_without_any_display_renders_offscreen(tmp_path):
    shot = tmp_path / "main.png"
    r = _run(["--demo", "--screenshot", str(shot)], tmp_path / "home")
    assert r.returncode == 0, (r.returncode, r.stderr)
    img = QImage(str(shot))
    assert not img.isNull() and img.width() >= 800 and img.height() >= 500


def test_a_window_without_any_display_exits_1_with_one_line(tmp_path):
    r = _run(["--demo"], tmp_path / "home", timeout=60)
    assert r.returncode == 1, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0] and "--screenshot" in lines[0], r.stderr
