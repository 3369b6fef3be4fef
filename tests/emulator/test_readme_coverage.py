"""The README's coverage table is what `ociconsole-emulator --coverage markdown` prints today (regenerate it
with that command when the emulator serves more)."""

from __future__ import annotations

from pathlib import Path

from ociconsole.emulator.core import EmulatorCore
from ociconsole.emulator.coverage import coverage, markdown
from ociconsole.emulator.store import Store


def test_readme_carries_the_current_coverage_table():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = markdown(coverage(EmulatorCore(None, Store())))
    assert table in readme, "README.md's coverage table is stale: paste `ociconsole-emulator --coverage markdown`"
