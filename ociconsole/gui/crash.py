"""Logging, crash and error handling (the qutebrowser model).

- `setup_logging(level)`: the root logger writes to a rotating `ociconsole.log` in
  `paths.log_dir()` (and to stderr from WARNING up). Every record passes `RedactingFilter`
  first, so private keys, passphrases, signatures and session tokens never reach a log
  or a crash report.
- `install(app, loop=None)`: unexpected exceptions — `sys.excepthook` (Qt slots and virtual
  overrides end there), `threading.excepthook` (worker threads) and, with a loop, asyncio's
  exception handler (`gui.aio.spawn` reports failed tasks there) — are logged with their
  traceback, written to a redacted crash report `crash-YYYYmmdd-HHMMSS.txt`, and shown in
  a non-modal "Something went wrong" dialog; the app keeps running. Errors from other
  threads are marshalled to the GUI thread with a queued signal. Qt's own warnings and
  criticals are routed into the same log (`qInstallMessageHandler`).
- Hard crashes (a segfault or abort in Qt) cannot be caught: `faulthandler` writes them to
  `fatal.log`, which the next `install()` turns into a crash report.
- `pending_crash_reports()` lists reports the person has not seen (written while no dialog
  could show them, or by a hard crash), so the main window can tell them at the next start;
  `mark_crash_reports_seen()` acknowledges them.

User-facing errors (`core.errors.OciError`) never come here: they end in the activity panel
or the dialog that caused them. This module is for bugs.
"""

from __future__ import annotations

import asyncio
import faulthandler
import logging
import logging.handlers
import os
import platform
import re
import sys
import threading
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .qt import (
    QApplication,
    QDesktopServices,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QObject,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    Qt,
    QtCore,
    QtGui,
    QToolButton,
    QUrl,
    QVBoxLayout,
    Signal,
)

LOG_FILE = "ociconsole.log"
FATAL_LOG = "fatal.log"
SEEN_FILE = "seen-crash-reports.txt"
REPORT_PREFIX = "crash-"
MAX_LOG_BYTES = 2_000_000
LOG_BACKUPS = 3
MAX_REPORTS = 20
REDACTED = "[REDACTED]"

log = logging.getLogger("ociconsole.crash")
qt_log = logging.getLogger("qt")

# ---------------------------------------------------------------------------------------- redaction

_SECRET_NAMES = (r"(?:[a-z0-9]+[_-])*(?:pass_?phrase|password|passwd|secret|auth_token|security_token|"
                 r"session_token|key_content|api_key)")
_REDACTED_PEM = r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY----- \[REDACTED\] -----END [A-Z0-9 ]*PRIVATE KEY-----"
_KEPT_VALUES = ("None", "null", "''", '""', f"'{REDACTED}'", f'"{REDACTED}"', REDACTED)
_PATTERNS: list[tuple[re.Pattern, object]] = [
    # PEM private keys (also when truncated: everything after BEGIN goes)
    (re.compile(r"-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\Z)", re.S),
     lambda m: f"-----BEGIN {m.group(1)}----- {REDACTED} -----END {m.group(1)}-----"),
    # Authorization header values: quoted (dict reprs, JSON) or to the end of the line
    (re.compile(r"""(?i)(\bauthorization['"]?\s*[:=]\s*)'[^']*'"""), rf"\1'{REDACTED}'"),
    (re.compile(r"""(?i)(\bauthorization['"]?\s*[:=]\s*)"(?:[^"\\]|\\.)*\""""), rf'\1"{REDACTED}"'),
    (re.compile(r"""(?i)(\bauthorization\s*:\s*)(?!['"]?\[REDACTED)[^\r\n]+"""), rf"\1{REDACTED}"),
    # HTTP signature parts seen anywhere, bearer tokens
    (re.compile(r"""(?i)(\bsignature\s*=\s*\\?")[^"\\]*(\\?")"""), rf"\1{REDACTED}\2"),
    (re.compile(r"(?i)(\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}"), rf"\1{REDACTED}"),
    # name=value / name: value / 'name': 'value' for secret-looking names (None, empty and values
    # already redacted are kept). A bracketed value is one value: `[REDACTED]` from an earlier pass
    # (a known secret, a log line redacted again in a crash report) stays `[REDACTED]`, not `[REDACTED]]`.
    (re.compile(rf"""(?i)(['"]?\b{_SECRET_NAMES}['"]?\s*[:=]\s*)({_REDACTED_PEM}|"[^"]*"|'[^']*'|"""
                r"""\[[^\]\s]*\]|\([^)\s]*\)|[^\s,;)}\]]+)"""),
     lambda m: m.group(0) if m.group(2) in _KEPT_VALUES or m.group(2).startswith("-----BEGIN ")
     else f"{m.group(1)}{REDACTED}"),
    # OCI session tokens and JWTs (three base64url segments; JWT headers start with eyJ)
    (re.compile(r"ST\$[A-Za-z0-9._~+/=-]+"), f"ST${REDACTED}"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"), REDACTED),
    (re.compile(r"\b[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}"), REDACTED),
]


_KNOWN_SECRETS: set[str] = set()
_known_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """A secret the app holds (a passphrase, a session token): redacted verbatim wherever it appears."""
    if value and len(value) >= 4:
        with _known_lock:
            _KNOWN_SECRETS.add(value)


def redact(text: str) -> str:
    """`text` with private keys, passphrases, signatures and tokens replaced by [REDACTED]."""
    if not text:
        return text
    with _known_lock:
        known = sorted(_KNOWN_SECRETS, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, REDACTED)
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


class RedactingFilter(logging.Filter):
    """Redacts the message, the formatted exception and the stack of every record it sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            msg = record.getMessage()
        except Exception:  # a bad format string: leave it to the handler's own error path
            return True
        record.msg, record.args = redact(msg), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


# ---------------------------------------------------------------------------------------- logging

_FORMAT = "%(asctime)s %(levelname)-8s %(name)s [%(threadName)s] %(message)s"
_previous_root_level: int | None = None


def log_path() -> Path:
    return paths.log_dir() / LOG_FILE


def _our_handlers() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if getattr(h, "_ociconsole", False)]


def setup_logging(level: int | str = logging.INFO) -> Path:
    """Root logger -> rotating `ociconsole.log` (at `level`) and stderr (WARNING+), both redacted.

    Idempotent: calling again replaces the handlers it added before. Returns the log file path.
    """
    global _previous_root_level
    root = logging.getLogger()
    teardown_logging(restore_level=False)
    if _previous_root_level is None:
        _previous_root_level = root.level
    path = log_path()
    redactor = RedactingFilter()
    fmt = logging.Formatter(_FORMAT)
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS,
                                                        encoding="utf-8")
    file_handler.setLevel(level)
    err_handler = logging.StreamHandler(sys.stderr)
    err_handler.setLevel(logging.WARNING)
    for h in (file_handler, err_handler):
        h.setFormatter(fmt)
        h.addFilter(redactor)
        h._ociconsole = True  # type: ignore[attr-defined]
        root.addHandler(h)
    root.setLevel(level)
    return path


def teardown_logging(restore_level: bool = True) -> None:
    """Remove the handlers `setup_logging` added (and restore the root level)."""
    global _previous_root_level
    root = logging.getLogger()
    for h in _our_handlers():
        root.removeHandler(h)
        h.close()
    if restore_level and _previous_root_level is not None:
        root.setLevel(_previous_root_level)
        _previous_root_level = None


# ---------------------------------------------------------------------------------------- crash reports

_reports_lock = threading.Lock()


def environment() -> str:
    """One line naming the versions that matter for a bug report."""
    from importlib import metadata

    def ver(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "?"
    return (f"ociconsole {ver('ociconsole')} · Python {platform.python_version()} · "
            f"PySide6 {QtCore.__version__} (Qt {QtCore.qVersion()}) · oci {ver('oci')} · {platform.platform()}")


def _tail(path: Path, lines: int = 40) -> str:
    try:
        with path.open("rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 16384))
            data = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(data.splitlines()[-lines:])


def write_crash_report(details: str, context: str = "Unhandled exception", when: float | None = None) -> Path:
    """Write a redacted crash report into the log directory and return its path."""
    when = time.time() if when is None else when
    d = paths.log_dir()
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(when))
    body = "\n".join([
        "ociconsole crash report",
        f"Time: {time.strftime('%Y-%m-%d %H:%M:%S %Z', time.localtime(when))}",
        f"What: {context}",
        f"Versions: {environment()}",
        "",
        details.rstrip(),
        "",
        f"Recent log ({LOG_FILE}):",
        _tail(d / LOG_FILE),
        "",
    ])
    body = redact(body)
    with _reports_lock:
        same = [_report_key(p)[2] for p in _all_reports(d) if p.name.startswith(f"{REPORT_PREFIX}{stamp}")]
        n = max(same, default=0) + 1
        while True:
            path = d / f"{REPORT_PREFIX}{stamp}{'' if n == 1 else f'-{n}'}.txt"
            try:
                with path.open("x", encoding="utf-8") as f:
                    f.write(body)
                break
            except FileExistsError:
                n += 1
        _prune_reports(d)
    return path


_REPORT_NAME = re.compile(rf"{REPORT_PREFIX}(\d{{8}})-(\d{{6}})(?:-(\d+))?\.txt")


def _report_key(p: Path) -> tuple:
    m = _REPORT_NAME.fullmatch(p.name)
    return (m.group(1), m.group(2), int(m.group(3) or 1)) if m else ("", "", 0)


def _all_reports(d: Path | None = None) -> list[Path]:
    """Every crash report (crash-YYYYmmdd-HHMMSS[-n].txt), oldest first."""
    found = (d or paths.log_dir()).glob(f"{REPORT_PREFIX}*.txt")
    return sorted((p for p in found if _REPORT_NAME.fullmatch(p.name)), key=_report_key)


def _seen(d: Path) -> set[str]:
    try:
        return set((d / SEEN_FILE).read_text(encoding="utf-8").split())
    except OSError:
        return set()


def _prune_reports(d: Path) -> None:
    reports = _all_reports(d)
    for p in reports[:-MAX_REPORTS]:
        try:
            p.unlink()
        except OSError:
            pass


def pending_crash_reports() -> list[Path]:
    """Crash reports not yet shown to the person, oldest first."""
    d = paths.log_dir()
    with _reports_lock:
        seen = _seen(d)
        return [p for p in _all_reports(d) if p.name not in seen]


def mark_crash_reports_seen(reports: Iterable[Path] | None = None) -> None:
    """Acknowledge `reports` (all current ones when None): they are no longer pending."""
    d = paths.log_dir()
    with _reports_lock:
        existing = {p.name for p in _all_reports(d)}
        names = existing if reports is None else {Path(r).name for r in reports}
        seen = (_seen(d) | names) & existing  # forget names of pruned reports
        (d / SEEN_FILE).write_text("".join(f"{n}\n" for n in sorted(seen)), encoding="utf-8")


# ---------------------------------------------------------------------------------------- the dialog

@dataclass
class ErrorInfo:
    summary: str  # "ZeroDivisionError: division by zero" (redacted)
    details: str  # the traceback (redacted)
    context: str = "Unhandled exception"
    report: Path | None = None
    when: float = field(default_factory=time.time)

    def text(self) -> str:
        head = time.strftime("%H:%M:%S", time.localtime(self.when))
        return f"[{head}] {self.context}\n{self.details.rstrip()}"


class ErrorDialog(QDialog):
    """"Something went wrong": what happened, a collapsible traceback, Copy details, where the
    log is. Non-modal; further errors while it is open are added to it instead of piling up."""

    def __init__(self, log_file: Path, parent=None):
        super().__init__(parent)
        self.log_file = Path(log_file)
        self.errors: list[ErrorInfo] = []
        self.setWindowTitle("Something went wrong")
        self.setModal(False)
        self.setObjectName("errorDialog")
        self.setSizeGripEnabled(True)

        outer = QVBoxLayout(self)
        outer.setSpacing(10)
        top = QHBoxLayout()
        top.setSpacing(14)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)

        text = QVBoxLayout()
        text.setSpacing(6)
        self.headline = QLabel("Something went wrong")
        f = self.headline.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.25)
        self.headline.setFont(f)
        self.explanation = QLabel("An unexpected error occurred in the console. It is still running; the last thing "
                                  "you did may not have finished. You can carry on, or restart the console if "
                                  "something looks wrong.")
        self.explanation.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        sf = self.summary.font()
        sf.setBold(True)
        self.summary.setFont(sf)
        self.count_label = QLabel()
        self.count_label.setVisible(False)
        for w in (self.headline, self.explanation, self.summary, self.count_label):
            text.addWidget(w)
        top.addLayout(text, 1)
        outer.addLayout(top)

        self.toggle = QToolButton()
        self.toggle.setText("Details")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        self.toggle.toggled.connect(self.set_details_visible)
        outer.addWidget(self.toggle)

        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setFont(QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont))
        self.details.setMinimumHeight(220)
        self.details.setVisible(False)
        self.details.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        outer.addWidget(self.details, 1)

        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setTextFormat(Qt.TextFormat.RichText)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.where.setOpenExternalLinks(True)
        pal = self.where.palette()
        pal.setColor(self.where.foregroundRole(), pal.color(QtGui.QPalette.ColorRole.PlaceholderText))
        self.where.setPalette(pal)
        outer.addWidget(self.where)

        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("Copy details")
        self.copy_button.setToolTip("Copy the error, versions and traceback (secrets are removed) for a bug report")
        self.copy_button.clicked.connect(self.copy_details)
        self.open_folder_button = QPushButton("Open log folder")
        self.open_folder_button.clicked.connect(self.open_log_folder)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.open_folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        self.close_button.setDefault(True)
        outer.addWidget(buttons)
        self.setMinimumWidth(560)
        self.resize(560, 200)

    def add(self, info: ErrorInfo) -> None:
        self.errors.append(info)
        self.summary.setText(info.summary)
        n = len(self.errors)
        self.count_label.setText(f"This happened {n} times (all are in the details)." if n > 1 else "")
        self.count_label.setVisible(n > 1)
        sep = "\n\n" + "─" * 60 + "\n\n"
        self.details.setPlainText(sep.join(e.text() for e in reversed(self.errors)))
        log_url = QUrl.fromLocalFile(str(self.log_file)).toString()
        where = f'Details were written to <a href="{log_url}">{_html(str(self.log_file))}</a>'
        if info.report is not None:
            rep_url = QUrl.fromLocalFile(str(info.report)).toString()
            where += f' and the crash report <a href="{rep_url}">{_html(info.report.name)}</a>'
        self.where.setText(where + ".")
        if not self.isVisible():
            self.fit()

    def fit(self) -> None:
        """Height for the current width (word-wrapped labels make sizeHint() guess a narrow width)."""
        w = max(self.width(), self.minimumWidth())
        lay = self.layout()
        h = lay.totalHeightForWidth(w) if lay.hasHeightForWidth() else self.sizeHint().height()
        if self.details.isVisible():
            h = max(h, 500)
        self.resize(w, h)

    def set_details_visible(self, on: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        if self.toggle.isChecked() != on:
            self.toggle.setChecked(on)
        self.details.setVisible(on)
        self.fit()

    def details_text(self) -> str:
        parts = [self.summary.text(), environment(), f"Log: {self.log_file}"]
        if self.errors and self.errors[-1].report is not None:
            parts.append(f"Crash report: {self.errors[-1].report}")
        return "\n".join(parts) + "\n\n" + self.details.toPlainText()

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details_text())

    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_file.parent)))


def _html(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------------------------- the handler

_QT_LEVELS = {
    QtCore.QtMsgType.QtDebugMsg: logging.DEBUG,
    QtCore.QtMsgType.QtInfoMsg: logging.INFO,
    QtCore.QtMsgType.QtWarningMsg: logging.WARNING,
    QtCore.QtMsgType.QtCriticalMsg: logging.ERROR,
    QtCore.QtMsgType.QtFatalMsg: logging.CRITICAL,
}


class CrashHandler(QObject):
    """Receives unexpected exceptions from every source and shows them on the GUI thread."""

    errorShown = Signal(object)  # ErrorInfo, once it is in the dialog
    _deliver = Signal(object)  # ErrorInfo, from any thread

    def __init__(self, app, loop: asyncio.AbstractEventLoop | None = None):
        super().__init__()
        self.app = app
        self.loop = loop
        self.dialog: ErrorDialog | None = None
        self.handled = 0
        self._busy = threading.local()
        self._deliver.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._prev_excepthook = None
        self._prev_threading_hook = None
        self._prev_qt_handler = None
        self._prev_loop_handler = None
        self._fatal_file = None
        self._faulthandler_was_enabled = False

    # ------------------------------------------------------------ sources
    def excepthook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, (KeyboardInterrupt, SystemExit)):
            (self._prev_excepthook or sys.__excepthook__)(exc_type, exc, tb)
            return
        self.handle(exc_type, exc, tb, "Unhandled exception")

    def threading_excepthook(self, args) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        self.handle(args.exc_type, args.exc_value, args.exc_traceback, f'Unhandled exception in thread "{name}"')

    def asyncio_handler(self, loop, context: dict) -> None:
        exc = context.get("exception")
        message = context.get("message") or "Unhandled exception in an asyncio callback"
        if exc is None or isinstance(exc, asyncio.CancelledError):
            extra = {k: v for k, v in context.items() if k not in ("message", "exception")}
            log.error("%s %s", message, extra or "")
            return
        self.handle(type(exc), exc, exc.__traceback__, message)

    def qt_message_handler(self, mode, context, message: str) -> None:
        try:
            level = _QT_LEVELS.get(mode, logging.WARNING)
            where = ""
            if context is not None and context.file:
                where = f" ({context.file}:{context.line})"
            category = context.category if context is not None and context.category not in (None, "default") else ""
            qt_log.log(level, "%s%s%s", f"{category}: " if category else "", message, where)
        except Exception:  # never raise into Qt
            pass

    # ------------------------------------------------------------ handling
    def handle(self, exc_type, exc, tb, context: str = "Unhandled exception") -> ErrorInfo | None:
        """Log, write a crash report and (on the GUI thread, soon) show the error. Any thread."""
        if getattr(self._busy, "on", False):  # an error while handling an error: do not loop
            sys.__excepthook__(exc_type, exc, tb)
            return None
        self._busy.on = True
        try:
            self.handled += 1
            details = "".join(traceback.format_exception(exc_type, exc, tb))
            log.error("%s", context, exc_info=(exc_type, exc, tb))
            try:
                report = write_crash_report(details, context)
            except Exception:  # the dialog matters more than the report
                log.exception("Could not write a crash report")
                report = None
            summary = "".join(traceback.format_exception_only(exc_type, exc)).strip()
            info = ErrorInfo(summary=redact(summary), details=redact(details), context=context, report=report)
            self._deliver.emit(info)
            return info
        except Exception:
            sys.__excepthook__(exc_type, exc, tb)
            return None
        finally:
            self._busy.on = False

    def _show(self, info: ErrorInfo) -> None:
        if self.dialog is None:
            self.dialog = ErrorDialog(log_path(), _main_window(self.app))
            self.dialog.finished.connect(self._dialog_closed)
        self.dialog.add(info)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        if info.report is not None:
            mark_crash_reports_seen([info.report])
        self.errorShown.emit(info)

    def _dialog_closed(self, _result=0) -> None:
        dlg, self.dialog = self.dialog, None
        if dlg is not None:
            dlg.deleteLater()

    # ------------------------------------------------------------ install / uninstall
    def _install(self, fatal_log: bool) -> None:
        if not _our_handlers():
            setup_logging()
        self._prev_excepthook = sys.excepthook
        sys.excepthook = self.excepthook
        self._prev_threading_hook = threading.excepthook
        threading.excepthook = self.threading_excepthook
        self._prev_qt_handler = QtCore.qInstallMessageHandler(self.qt_message_handler)
        if self.loop is not None:
            self._prev_loop_handler = self.loop.get_exception_handler()
            self.loop.set_exception_handler(self.asyncio_handler)
        if fatal_log:
            self._install_faulthandler()

    def _install_faulthandler(self) -> None:
        path = paths.log_dir() / FATAL_LOG
        try:
            if path.exists() and path.stat().st_size > 0:
                text = path.read_text(encoding="utf-8", errors="replace")
                write_crash_report(text, "The console stopped unexpectedly (fatal error in the previous run)",
                                   when=path.stat().st_mtime)
            self._fatal_file = path.open("w", encoding="utf-8")
        except OSError:
            log.warning("Cannot keep a fatal-error log at %s", path, exc_info=True)
            return
        self._faulthandler_was_enabled = faulthandler.is_enabled()
        faulthandler.enable(file=self._fatal_file, all_threads=True)

    def uninstall(self) -> None:
        if sys.excepthook == self.excepthook:
            sys.excepthook = self._prev_excepthook or sys.__excepthook__
        if threading.excepthook == self.threading_excepthook:
            threading.excepthook = self._prev_threading_hook or threading.__excepthook__
        QtCore.qInstallMessageHandler(self._prev_qt_handler)
        if self.loop is not None and not self.loop.is_closed():
            self.loop.set_exception_handler(self._prev_loop_handler)
        if self._fatal_file is not None:
            faulthandler.disable()
            if self._faulthandler_was_enabled:
                faulthandler.enable(file=sys.__stderr__ or sys.stderr, all_threads=True)
            name = self._fatal_file.name
            self._fatal_file.close()
            self._fatal_file = None
            try:  # a clean exit leaves no fatal log behind
                if os.path.getsize(name) == 0:
                    os.unlink(name)
            except OSError:
                pass
        if self.dialog is not None:
            self.dialog.close()


def _main_window(app):
    """The visible main window, as the dialog's parent (centred over it, above it)."""
    app = app or QApplication.instance()
    if app is None:
        return None
    for w in app.topLevelWidgets():
        if isinstance(w, QMainWindow) and w.isVisible():
            return w
    return None


_handler: CrashHandler | None = None


def install(app=None, loop: asyncio.AbstractEventLoop | None = None, *, fatal_log: bool = True) -> CrashHandler:
    """Route every unexpected exception to the log, a crash report and the error dialog.

    `app`: the QApplication (default: the running one). `loop`: the qasync loop, whose
    exception handler then reports failed tasks. `fatal_log`: keep a faulthandler log for hard
    crashes (turned into a crash report at the next install). Installing again replaces the
    previous handler. Returns the handler (its `dialog` is the open error dialog, if any).
    """
    global _handler
    uninstall()
    h = CrashHandler(app or QApplication.instance(), loop)
    h._install(fatal_log)
    _handler = h
    return h


def uninstall() -> None:
    """Restore the hooks `install` replaced (tests; shutdown)."""
    global _handler
    h, _handler = _handler, None
    if h is not None:
        h.uninstall()


def current() -> CrashHandler | None:
    return _handler
