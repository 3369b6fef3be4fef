"""Compile every Qt Designer file in ui/ into ociconsole/gui/forms/ui_<name>.py.

    python ui/compile.py           # regenerate the forms after editing a .ui file
    python ui/compile.py --check   # exit 1 when a generated form is missing or out of date

The generated modules are committed (the app never needs pyside6-uic at run time) and are
not edited by hand: tests/unit/test_ui_forms.py fails when one differs from its .ui file.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

UI_DIR = Path(__file__).resolve().parent
FORMS_DIR = UI_DIR.parent / "ociconsole" / "gui" / "forms"


def uic() -> list[str]:
    exe = shutil.which("pyside6-uic") or str(Path(sys.executable).with_name("pyside6-uic"))
    if not Path(exe).exists():
        raise SystemExit("pyside6-uic not found: install PySide6 (pip install PySide6-Essentials)")
    return [exe]


def compile_ui(ui_file: Path) -> str:
    """The Python source pyside6-uic generates for `ui_file`."""
    out = subprocess.run([*uic(), "--from-imports", str(ui_file)], capture_output=True, text=True, check=True)
    return out.stdout


def comparable(source: str) -> str:
    """Generated source without the banner lines (they carry the uic version)."""
    return "\n".join(ln for ln in source.splitlines() if not ln.startswith("## Created by"))


def targets() -> list[tuple[Path, Path]]:
    return [(ui, FORMS_DIR / f"ui_{ui.stem}.py") for ui in sorted(UI_DIR.glob("*.ui"))]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="only check that the generated forms are up to date")
    args = p.parse_args(argv)
    stale = []
    for ui, py in targets():
        source = compile_ui(ui)
        if args.check:
            if not py.exists() or comparable(py.read_text(encoding="utf-8")) != comparable(source):
                stale.append(py)
        else:
            py.write_text(source, encoding="utf-8")
            print(f"{ui.relative_to(UI_DIR.parent)} -> {py.relative_to(UI_DIR.parent)}")
    for py in stale:
        print(f"out of date: {py.relative_to(UI_DIR.parent)} (run python ui/compile.py)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
