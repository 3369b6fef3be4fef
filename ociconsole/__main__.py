"""`python -m ociconsole` and the `ociconsole` console script."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from .gui.app import main as gui_main
    return gui_main(argv)


if __name__ == "__main__":
    sys.exit(main())
