"""The one place Qt is imported from (qasync picks the binding it finds first: PySide6)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

os.environ.setdefault("QT_API", "pyside6")

from PySide6 import QtCore, QtGui, QtWidgets


def _skip_feature_scan() -> None:
    """PySide6 reads the source of every module imported after it (inspect.getsource), looking for
    `from __feature__ import ...` — ~0.3 s at start-up for the SDK's ~1,400 modules (napari #8584).
    ociconsole uses no __feature__, so every later module is marked "no feature" without reading it."""
    import sys
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and hasattr(feature, "_mod_uses_pyside"):
        feature._mod_uses_pyside = lambda module: False


try:
    _skip_feature_scan()
except Exception:
    pass
# The names the modules import from here, resolved when first imported (PEP 562): PySide6 builds a type's
# Python wrapper when it is first looked up (~0.1 s for all of these, `Qt` alone ~60 ms), so a type that
# start-up does not use is not built at start-up.
_NAMES: dict[str, str] = {
    # QtCore
    "QAbstractItemModel": "QtCore", "QAbstractTableModel": "QtCore", "QByteArray": "QtCore", "QDateTime": "QtCore",
    "QEvent": "QtCore", "QItemSelectionModel": "QtCore", "QMimeData": "QtCore", "QModelIndex": "QtCore",
    "QObject": "QtCore", "QPersistentModelIndex": "QtCore", "QPoint": "QtCore", "QRect": "QtCore",
    "QSettings": "QtCore", "QSize": "QtCore", "QSortFilterProxyModel": "QtCore", "QStandardPaths": "QtCore",
    "Qt": "QtCore", "QTimer": "QtCore", "QUrl": "QtCore", "Signal": "QtCore", "Slot": "QtCore",
    # QtGui
    "QAction": "QtGui", "QBrush": "QtGui", "QClipboard": "QtGui", "QColor": "QtGui", "QDesktopServices": "QtGui",
    "QFont": "QtGui", "QFontMetrics": "QtGui", "QGuiApplication": "QtGui", "QIcon": "QtGui", "QImage": "QtGui",
    "QKeySequence": "QtGui", "QPainter": "QtGui", "QPalette": "QtGui", "QPixmap": "QtGui", "QShortcut": "QtGui",
    "QStandardItem": "QtGui", "QStandardItemModel": "QtGui",
    # QtWidgets
    "QAbstractItemView": "QtWidgets", "QApplication": "QtWidgets", "QButtonGroup": "QtWidgets",
    "QCheckBox": "QtWidgets", "QComboBox": "QtWidgets", "QDateTimeEdit": "QtWidgets", "QDialog": "QtWidgets",
    "QDialogButtonBox": "QtWidgets", "QDockWidget": "QtWidgets", "QDoubleSpinBox": "QtWidgets",
    "QFileDialog": "QtWidgets", "QFormLayout": "QtWidgets", "QFrame": "QtWidgets", "QGraphicsItem": "QtWidgets",
    "QGridLayout": "QtWidgets", "QGroupBox": "QtWidgets", "QHBoxLayout": "QtWidgets", "QHeaderView": "QtWidgets",
    "QLabel": "QtWidgets", "QLineEdit": "QtWidgets", "QListWidget": "QtWidgets", "QListWidgetItem": "QtWidgets",
    "QMainWindow": "QtWidgets", "QMenu": "QtWidgets", "QMessageBox": "QtWidgets", "QPlainTextEdit": "QtWidgets",
    "QProgressBar": "QtWidgets", "QPushButton": "QtWidgets", "QRadioButton": "QtWidgets", "QScrollArea": "QtWidgets",
    "QSizePolicy": "QtWidgets", "QSpinBox": "QtWidgets", "QSplitter": "QtWidgets", "QStackedWidget": "QtWidgets",
    "QStatusBar": "QtWidgets", "QStyle": "QtWidgets", "QStyledItemDelegate": "QtWidgets",
    "QStyleOptionProgressBar": "QtWidgets", "QStyleOptionViewItem": "QtWidgets", "QTableView": "QtWidgets",
    "QTabWidget": "QtWidgets", "QTextBrowser": "QtWidgets", "QToolBar": "QtWidgets", "QToolButton": "QtWidgets",
    "QTreeView": "QtWidgets", "QTreeWidget": "QtWidgets", "QTreeWidgetItem": "QtWidgets", "QVBoxLayout": "QtWidgets",
    "QWidget": "QtWidgets",
}


def __getattr__(name: str):
    module = _NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(globals()[module], name)
    globals()[name] = value
    return value


if TYPE_CHECKING:  # what type checkers see (at run time: __getattr__ above)
    from PySide6.QtCore import (  # noqa: F401
        QAbstractItemModel,
        QAbstractTableModel,
        QByteArray,
        QDateTime,
        QEvent,
        QItemSelectionModel,
        QMimeData,
        QModelIndex,
        QObject,
        QPersistentModelIndex,
        QPoint,
        QRect,
        QSettings,
        QSize,
        QSortFilterProxyModel,
        QStandardPaths,
        Qt,
        QTimer,
        QUrl,
        Signal,
        Slot,
    )
    from PySide6.QtGui import (  # noqa: F401
        QAction,
        QBrush,
        QClipboard,
        QColor,
        QDesktopServices,
        QFont,
        QFontMetrics,
        QGuiApplication,
        QIcon,
        QImage,
        QKeySequence,
        QPainter,
        QPalette,
        QPixmap,
        QShortcut,
        QStandardItem,
        QStandardItemModel,
    )
    from PySide6.QtWidgets import (  # noqa: F401
        QAbstractItemView,
        QApplication,
        QButtonGroup,
        QCheckBox,
        QComboBox,
        QDateTimeEdit,
        QDialog,
        QDialogButtonBox,
        QDockWidget,
        QDoubleSpinBox,
        QFileDialog,
        QFormLayout,
        QFrame,
        QGraphicsItem,
        QGridLayout,
        QGroupBox,
        QHBoxLayout,
        QHeaderView,
        QLabel,
        QLineEdit,
        QListWidget,
        QListWidgetItem,
        QMainWindow,
        QMenu,
        QMessageBox,
        QPlainTextEdit,
        QProgressBar,
        QPushButton,
        QRadioButton,
        QScrollArea,
        QSizePolicy,
        QSpinBox,
        QSplitter,
        QStackedWidget,
        QStatusBar,
        QStyle,
        QStyledItemDelegate,
        QStyleOptionProgressBar,
        QStyleOptionViewItem,
        QTableView,
        QTabWidget,
        QTextBrowser,
        QToolBar,
        QToolButton,
        QTreeView,
        QTreeWidget,
        QTreeWidgetItem,
        QVBoxLayout,
        QWidget,
    )

__all__ = ["QtCore", "QtGui", "QtWidgets"]
