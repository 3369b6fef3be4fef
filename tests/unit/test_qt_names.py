"""gui.qt lists its Qt names twice: `_NAMES` (what `from .qt import X` resolves at run time, PEP 562) and the
imports under TYPE_CHECKING (what type checkers and editors see). They must be the same names, each from the
module `_NAMES` says, and each must exist there."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from ociconsole.gui import qt


def _type_checking_imports() -> dict[str, str]:
    tree = ast.parse(Path(qt.__file__).read_text())
    block = next(n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING")
    out: dict[str, str] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("PySide6.")
        for alias in node.names:
            out[alias.name] = node.module.split(".", 1)[1]
    return out


def test_runtime_and_type_checking_names_agree():
    assert _type_checking_imports() == qt._NAMES


def test_every_name_resolves_from_its_module():
    for name, module in qt._NAMES.items():
        assert getattr(qt, name) is getattr(importlib.import_module(f"PySide6.{module}"), name), name
