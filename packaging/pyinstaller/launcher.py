"""Entry script of the frozen build: the same as the `ociconsole` console script."""

import sys

from ociconsole.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
