"""The one place Qt is imported from (qasync picks the binding it finds first: PySide6)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_API", "pyside6")

from PySide6 import QtCore, QtGui, QtWidgets  # noqa: E402
from PySide6.QtCore import (  # noqa: E402,F401
    QAbstractItemModel, QAbstractTableModel, QByteArray, QEvent, QItemSelectionModel, QModelIndex, QObject,
    QPersistentModelIndex, QPoint, QRect, QSettings, QSize, QSortFilterProxyModel, QStandardPaths, Qt, QTimer,
    QUrl, Signal, Slot,
)
from PySide6.QtGui import (  # noqa: E402,F401
    QAction, QBrush, QClipboard, QColor, QDesktopServices, QFont, QFontMetrics, QGuiApplication, QIcon, QImage,
    QKeySequence, QPainter, QPalette, QPixmap, QShortcut, QStandardItem, QStandardItemModel,
)
from PySide6.QtWidgets import (  # noqa: E402,F401
    QAbstractItemView, QApplication, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDockWidget,
    QDoubleSpinBox, QFileDialog, QFormLayout, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QMainWindow, QMenu, QMessageBox, QPlainTextEdit, QProgressBar,
    QPushButton, QRadioButton, QScrollArea, QSizePolicy, QSpinBox, QSplitter, QStackedWidget, QStatusBar,
    QStyle, QStyledItemDelegate, QStyleOptionProgressBar, QStyleOptionViewItem, QTableView, QTabWidget,
    QTextBrowser, QToolBar, QToolButton, QTreeView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

__all__ = ["QtCore", "QtGui", "QtWidgets"]
