"""Help › About: versions, the connection and the folders ociconsole uses, in one
copyable block for bug reports. The layout comes from ui/about.ui (gui/forms/ui_about.py).
"""

from __future__ import annotations

import platform
import sys
from importlib import metadata

from . import paths
from .forms.ui_about import Ui_AboutDialog
from .icons import icon
from .qt import QDesktopServices, QDialog, QFont, QGuiApplication, QtCore, QUrl, QWidget

APP = "ociconsole"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def details(session=None) -> list[tuple[str, str]]:
    """(label, value) lines describing this installation and, when connected, the connection."""
    import PySide6

    rows = [
        ("ociconsole", _version(APP)),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        ("Qt", f"{QtCore.qVersion()} (PySide6 {PySide6.__version__})"),
        ("OCI Python SDK", _version("oci")),
        ("Operating system", platform.platform()),
    ]
    conn = getattr(session, "connection", None)
    if conn is not None:
        prof = conn.profile
        rows += [
            ("Connection", conn.describe_endpoint()),
            ("Profile", f"{prof.name} in {prof.path}" if prof is not None else conn.label),
            ("Region", conn.region + (f" (home {conn.home_region})" if conn.home_region != conn.region else "")),
            ("Tenancy", conn.tenancy_id),
            ("Mode", "read-only" if conn.read_only else "read-write"),
        ]
    settings_file = paths.settings_file()
    rows += [
        ("Log folder", str(paths.log_dir())),
        ("Settings", str(settings_file) if settings_file else "the platform's settings store"),
        ("Data folder", str(paths.data_dir())),
    ]
    return rows


class AboutDialog(QDialog):
    """Open with `open()` (never `exec()`: it would stall the qasync loop)."""

    def __init__(self, session=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_AboutDialog()
        self.ui.setupUi(self)
        self.ui.iconLabel.setPixmap(icon("app").pixmap(64, 64))
        f = QFont(self.ui.titleLabel.font())
        f.setBold(True)
        f.setPointSizeF((f.pointSizeF() if f.pointSizeF() > 0 else 10) * 1.5)
        self.ui.titleLabel.setFont(f)
        self.ui.versionLabel.setText(f"Version {_version(APP)}")
        self.rows = details(session)
        width = max(len(label) for label, _ in self.rows)
        self.text = "\n".join(f"{label + ':':<{width + 1}} {value}" for label, value in self.rows)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.ui.detailsEdit.setFont(mono)
        self.ui.detailsEdit.setPlainText(self.text)
        self.ui.copyButton.clicked.connect(self.copy_details)
        self.ui.openLogsButton.clicked.connect(self.open_log_folder)
        self.ui.buttonBox.setFocus()

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.text)
        self.ui.copyButton.setText("Copied")

    def open_log_folder(self) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.log_dir())))
