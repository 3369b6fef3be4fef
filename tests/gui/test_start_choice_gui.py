"""Console.start: an OCI_CLI_CONFIG_FILE / OCI_CLI_PROFILE in the environment wins over the connection
remembered from last time (the demo sandbox), and the command line wins over both."""

from __future__ import annotations

from ociconsole.gui import settings
from ociconsole.gui.app import Console, build_parser
from ociconsole.gui.qt import QApplication


def _start(qtbot, monkeypatch, args):
    seen = []
    monkeypatch.setattr(Console, "connect_demo", lambda self, reset=False: seen.append(("demo",)) or _noop())
    monkeypatch.setattr(Console, "connect_profile", lambda self, path, profile, region: seen.append(
        ("profile", path, profile)))
    monkeypatch.setattr(Console, "first_run", lambda self: seen.append(("first_run",)))
    console = Console(QApplication.instance(), build_parser().parse_args(args))
    qtbot.addWidget(console.window)
    console.start()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    console.window.shutdown()
    return seen[0]


async def _noop():
    return None


def _config(path, *profiles):
    path.write_text("".join(f"[{p}]\nregion = us-ashburn-1\n\n" for p in profiles))
    return path


def test_environment_wins_over_the_remembered_demo(qtbot, aloop, monkeypatch, tmp_path):
    settings.set("connection/last", "demo")
    cfg = _config(tmp_path / "config", "DEFAULT", "WORK")
    monkeypatch.setenv("OCI_CLI_CONFIG_FILE", str(cfg))
    assert _start(qtbot, monkeypatch, []) == ("profile", str(cfg), "DEFAULT")
    monkeypatch.setenv("OCI_CLI_PROFILE", "WORK")
    assert _start(qtbot, monkeypatch, []) == ("profile", str(cfg), "WORK")
    # the flags win over the environment
    other = _config(tmp_path / "other", "DEFAULT", "CLI")
    assert _start(qtbot, monkeypatch, ["--config-file", str(other), "--profile", "CLI"]) == \
        ("profile", str(other), "CLI")
    assert _start(qtbot, monkeypatch, ["--demo"]) == ("demo",)


def test_remembered_demo_without_any_choice(qtbot, aloop, monkeypatch, tmp_path):
    settings.set("connection/last", "demo")
    monkeypatch.delenv("OCI_CLI_CONFIG_FILE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "userhome"))
    assert _start(qtbot, monkeypatch, []) == ("demo",)
