"""`python -m ociconsole` and the `ociconsole` console script: the window, or a headless command
(`ociconsole export-terraform ...`, see ociconsole.commands)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and not args[0].startswith("-"):
        from .commands import COMMANDS
        if args[0] in COMMANDS:
            return COMMANDS[args[0]](args[1:])
    from .core import heap
    heap.hold()  # no garbage collections while the window starts (core.heap): released when it shows
    try:
        from .gui.app import main as gui_main
        return gui_main(argv)
    finally:
        heap.release()


if __name__ == "__main__":
    sys.exit(main())
