"""Persistent settings, declared once (key, type, default) and isolated in tests.

Only layout and preferences live here — never secrets (passphrases go to the keyring).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from ..core import guardrails
from . import paths
from .qt import QSettings

log = logging.getLogger(__name__)


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


def _where() -> str | None:
    f = paths.settings_file()
    return str(f) if f is not None else None


def _open(where: str | None) -> QSettings:
    if where is not None:
        return QSettings(where, QSettings.Format.IniFormat)
    return QSettings("ociconsole", "ociconsole")


def qsettings() -> QSettings:
    return _open(_where())


# Writes go to disk on a thread of their own: a QSettings sync costs 10-25 ms (a lock file, a temporary file,
# a rename), and selecting a compartment writes the place to come back to. Until written, `get` reads the
# value from here. The thread is not a daemon: what is pending is written before the process ends.
_MISSING = object()
_pending: dict[tuple[str | None, str], Any] = {}  # (settings file, key) -> value not written yet
_lock = threading.Lock()
_writer: threading.Thread | None = None
_idle = threading.Condition(_lock)


def get(key: str):
    s = SCHEMA[key]
    with _lock:  # (no QSettings of this thread while the writer has one: see _write)
        v = _pending.get((_where(), key), _MISSING)
        if v is _MISSING:
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
    global _writer
    if key not in SCHEMA:
        raise KeyError(key)
    with _lock:
        _pending[(_where(), key)] = value
        if _writer is None:
            _writer = threading.Thread(target=_write, name="settings-writer")
            _writer.start()


def flush() -> None:
    """Wait until every setting set so far is on disk."""
    with _idle:
        while _writer is not None:
            _idle.wait(5.0)


def _write() -> None:
    """The writer thread. It holds `_lock` while it has a QSettings, and `get` reads under it too: inside Qt, a
    QSettings holds Qt's settings mutex and, to drop a value that wraps a Python object, waits for the GIL; a
    QSettings made meanwhile on the GUI thread (holding the GIL) would wait for that mutex, a deadlock (seen in a
    full test run). A thread blocked on `_lock` lets go of the GIL."""
    global _writer
    while True:
        with _lock:
            if not _pending:
                _writer = None
                _idle.notify_all()
                return
            batch = dict(_pending)
            files: dict[str | None, list[tuple[str, Any]]] = {}
            for (where, key), value in batch.items():
                files.setdefault(where, []).append((key, value))
            for where, items in files.items():
                try:
                    q = _open(where)
                    changed = False
                    for key, value in items:
                        if not (q.contains(key) and q.value(key) == value):  # unchanged: nothing to write
                            q.setValue(key, value)
                            changed = True
                    if changed:
                        q.sync()
                    del q
                except Exception:  # never lose the writer thread (the next set starts another)
                    log.exception("settings not written to %s", where or "the platform's store")
            for k, v in batch.items():
                if _pending.get(k, _MISSING) is v:
                    del _pending[k]
