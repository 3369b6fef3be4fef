"""`python -m ociconsole.emulator` runs the emulator (same as `ociconsole-emulator`)."""

import sys

from .cli import main

sys.exit(main())
