"""The forms generated from ui/*.ui are committed; they must match their Designer files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_ui_file_has_an_up_to_date_generated_form():
    ui_files = sorted((ROOT / "ui").glob("*.ui"))
    assert ui_files, "ui/ holds the Designer files"
    for ui in ui_files:
        assert (ROOT / "ociconsole" / "gui" / "forms" / f"ui_{ui.stem}.py").exists(), ui.name
    out = subprocess.run([sys.executable, str(ROOT / "ui" / "compile.py"), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
