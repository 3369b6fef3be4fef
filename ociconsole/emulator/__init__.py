"""Embedded OCI emulator: a local server speaking OCI's REST protocol for the `oci` SDK and CLI.

Public entry points: `Emulator` (start/stop in-process), `EmulatorOptions`, and the
`ociconsole-emulator` console script (`ociconsole.emulator.cli:main`; `python -m
ociconsole.emulator` runs it uninstalled). Nothing in here imports the rest of ociconsole or Qt.
"""

from .app import Emulator, EmulatorOptions

__all__ = ["Emulator", "EmulatorOptions"]
