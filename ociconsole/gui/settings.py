"""Persistent settings, declared once (key, type, default) and isolated in tests.

Only layout and preferences live here — never secrets (passphrases go to the keyring).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core import guardrails
from . import paths
from .qt import QSettings


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    doc: str


SCHEMA = {s.key: s for s in [
    Setting("window/geometry", bytes, b"", "main window geometry"),
    Setting("window/state", bytes, b"", "toolbars and docks"),
    Setting("window/splitter", bytes, b"", "tree | table | details sizes"),
    Setting("connection/last", str, "", "'demo' or '<config path>|<profile>'"),
    Setting("connection/region", str, "", "'<connection key>|<region>': the region last used with it"),
    Setting("tree/roots", str, "", "roots added beside the first, '<connection key>|<region>' one per line"),
    Setting("browse/compartment", str, "", "last selected compartment OCID"),
    Setting("browse/kind", str, "compute.instance", "last selected resource kind"),
    Setting("table/refresh_seconds", int, 3, "auto-refresh period while a row is changing state"),
    Setting("guardrails/production_pattern", str, guardrails.DEFAULT_PATTERN,
            "a profile whose name matches this regular expression is production"),
    Setting("guardrails/production_marked", str, "", "connection keys marked as production, one per line"),
    Setting("guardrails/read_only_production", bool, False, "production refuses changes until unlocked"),
    Setting("guardrails/confirm_stop_reboot", bool, True,
            "Stop and Reboot of a running instance ask first (always on production)"),
    Setting("appearance/scheme", str, "system", "'system' (follow the desktop's colour scheme), 'light' or 'dark'"),
]}


def qsettings() -> QSettings:
    f = paths.settings_file()
    if f is not None:
        return QSettings(str(f), QSettings.Format.IniFormat)
    return QSettings("ociconsole", "ociconsole")


def get(key: str):
    s = SCHEMA[key]
    v = qsettings().value(key)
    if v is None:
        return s.default
    try:
        if s.type is bytes:
            return bytes(v)
        if s.type is bool:  # an ini file gives "true" / "false"
            return v if isinstance(v, bool) else str(v).strip().lower() in ("true", "1", "yes")
        if s.type is int:
            return int(v)
        return s.type(v)
    except (TypeError, ValueError):
        return s.default


def set(key: str, value) -> None:
    if key not in SCHEMA:
        raise KeyError(key)
    q = qsettings()
    if q.contains(key) and q.value(key) == value:
        return  # unchanged: no write (a sync to disk costs 10-25 ms of the GUI thread; selecting writes two)
    q.setValue(key, value)
    q.sync()
