"""Where the app keeps its files: settings, the demo sandbox, logs, crash reports.

`OCICONSOLE_HOME` puts everything under one directory (tests, portable use); otherwise the
platform's conventions are followed (XDG on Linux, ~/Library on macOS, %LOCALAPPDATA% on
Windows).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "ociconsole"


def _home_override() -> Path | None:
    v = os.environ.get("OCICONSOLE_HOME")
    return Path(v) if v else None


def data_dir() -> Path:
    o = _home_override()
    if o:
        p = o / "data"
    elif sys.platform == "darwin":
        p = Path.home() / "Library" / "Application Support" / APP
    elif os.name == "nt":
        p = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / APP
    else:
        p = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / APP
    p.mkdir(parents=True, exist_ok=True)
    return p


def log_dir() -> Path:
    o = _home_override()
    if o:
        p = o / "logs"
    elif sys.platform == "darwin":
        p = Path.home() / "Library" / "Logs" / APP
    elif os.name == "nt":
        p = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / APP / "Logs"
    else:
        p = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / APP / "log"
    p.mkdir(parents=True, exist_ok=True)
    return p


def settings_file() -> Path | None:
    """An INI file under OCICONSOLE_HOME, or None for the platform's native settings store."""
    o = _home_override()
    if o:
        o.mkdir(parents=True, exist_ok=True)
        return o / "settings.ini"
    return None


def demo_dir() -> Path:
    p = data_dir() / "demo"
    p.mkdir(parents=True, exist_ok=True)
    return p
