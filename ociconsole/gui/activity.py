"""The activity panel: every tracked operation, newest on top (a thin Qt adapter over
`core.operations.OperationLog`).

- `ActivityModel` is a table model *over* `oplog.operations`: it keeps a row count and an
  id -> position index, and builds every cell on demand from the `Operation` itself (no
  copied state), so thousands of operations cost nothing until they are drawn.
- Log events may arrive from any thread; they are relayed to the model's thread through a
  signal (queued when needed), and applied in order.
- One `QTimer` ticks the Elapsed column once per second while something is active; it stops
  when nothing is.
- `ActivityDock` adds the toolbar (Details…, Clear finished, Export…, "2 running"), the
  non-modal operation details window and `activeCountChanged(int)` for the status bar.
"""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path

from ..core.operations import Operation, OperationLog, OpState
from . import theme, translations
from .qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QAction,
    QApplication,
    QColor,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QFont,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QIcon,
    QKeySequence,
    QLabel,
    QMenu,
    QMessageBox,
    QModelIndex,
    QPainter,
    QPalette,
    QPixmap,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStandardPaths,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    Qt,
    QTableView,
    QtCore,
    QtGui,
    QTimer,
    QToolBar,
    QVBoxLayout,
    QWidget,
    Signal,
)

QT_TRANSLATE_NOOP = QtCore.QT_TRANSLATE_NOOP
COLUMNS = (QT_TRANSLATE_NOOP("ActivityModel", "Operation"), QT_TRANSLATE_NOOP("ActivityModel", "Status"),
           QT_TRANSLATE_NOOP("ActivityModel", "Detail"), QT_TRANSLATE_NOOP("ActivityModel", "Progress"),
           QT_TRANSLATE_NOOP("ActivityModel", "Elapsed"), QT_TRANSLATE_NOOP("ActivityModel", "Started"))
# the operation states (core.operations.OpState's values), as the table shows them
STATE_TEXTS = (QT_TRANSLATE_NOOP("ActivityModel", "Queued"), QT_TRANSLATE_NOOP("ActivityModel", "In progress"),
               QT_TRANSLATE_NOOP("ActivityModel", "Succeeded"), QT_TRANSLATE_NOOP("ActivityModel", "Failed"),
               QT_TRANSLATE_NOOP("ActivityModel", "Cancelled"))


translate = QtCore.QCoreApplication.translate  # (context, text): lupdate finds the literal calls


def _tr(text: str) -> str:
    """A text marked with QT_TRANSLATE_NOOP("ActivityModel", …) above (a column, a state)."""
    return translate("ActivityModel", text)


COL_TITLE, COL_STATUS, COL_DETAIL, COL_PROGRESS, COL_ELAPSED, COL_STARTED = range(len(COLUMNS))

OperationRole = Qt.ItemDataRole.UserRole + 1  # the Operation of the row
ProgressRole = Qt.ItemDataRole.UserRole + 2  # float 0..100 while progress is known, else None

ICON_SIZE = 14

# The same tones as the resource tables' lifecycle states; text uses lighter variants on dark palettes.
_TONE_ROLES = {OpState.QUEUED: "stopped", OpState.RUNNING: "busy", OpState.SUCCEEDED: "good",
               OpState.FAILED: "bad", OpState.CANCELLED: "stopped"}
TONES = {state: theme.COLOURS[role][0] for state, role in _TONE_ROLES.items()}
TONES_ON_DARK = {state: theme.COLOURS[role][1] for state, role in _TONE_ROLES.items()}


def text_tone(state: OpState) -> QColor:
    dark = theme.is_dark(QApplication.palette())
    return QColor((TONES_ON_DARK if dark else TONES)[state])


def format_elapsed(seconds: float) -> str:
    """m:ss (h:mm:ss past an hour)."""
    s = max(0, int(seconds))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def format_started(ts: float, now: float | None = None) -> str:
    """Local time of day; the date too when it was not today."""
    lt = time.localtime(ts)
    today = time.localtime(now if now is not None else time.time())
    if (lt.tm_year, lt.tm_yday) == (today.tm_year, today.tm_yday):
        return time.strftime("%H:%M:%S", lt)
    return time.strftime("%d %b %H:%M", lt)


@cache
def status_icon(state: OpState, size: int = ICON_SIZE) -> QIcon:
    """A coloured disc with a glyph (queued: ring, running: dots, succeeded: tick, failed: cross,
    cancelled: bar), drawn at 2x for high-density screens."""
    scale = 2
    px = size * scale
    pm = QPixmap(px, px)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(TONES[state])
    r = QtCore.QRectF(1.5 * scale, 1.5 * scale, px - 3 * scale, px - 3 * scale)
    if state is OpState.QUEUED:
        pen = _pen(colour, 1.6 * scale)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(r)
    else:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawEllipse(r)
        white = _pen(QColor("white"), 1.7 * scale)
        p.setPen(white)
        c = r.center()
        u = r.width() / 2
        if state is OpState.SUCCEEDED:
            p.drawPolyline([QtCore.QPointF(c.x() - 0.45 * u, c.y() + 0.02 * u),
                            QtCore.QPointF(c.x() - 0.12 * u, c.y() + 0.35 * u),
                            QtCore.QPointF(c.x() + 0.47 * u, c.y() - 0.33 * u)])
        elif state is OpState.FAILED:
            d = 0.36 * u
            p.drawLine(QtCore.QPointF(c.x() - d, c.y() - d), QtCore.QPointF(c.x() + d, c.y() + d))
            p.drawLine(QtCore.QPointF(c.x() - d, c.y() + d), QtCore.QPointF(c.x() + d, c.y() - d))
        elif state is OpState.CANCELLED:
            p.drawLine(QtCore.QPointF(c.x() - 0.45 * u, c.y()), QtCore.QPointF(c.x() + 0.45 * u, c.y()))
        else:  # running: three dots
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("white"))
            for dx in (-0.45, 0.0, 0.45):
                p.drawEllipse(QtCore.QPointF(c.x() + dx * u, c.y()), 0.13 * u, 0.13 * u)
    p.end()
    pm.setDevicePixelRatio(scale)
    return QIcon(pm)


def _pen(colour: QColor, width: float) -> QtGui.QPen:
    pen = QtGui.QPen(colour, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def describe(op: Operation) -> str:
    """Everything known about one operation as plain text (details window, Copy, support)."""
    lines = [op.title, "", f"Status: {op.state.value}"]
    if op.detail and op.state is not OpState.FAILED:
        lines.append(f"Detail: {op.detail}")
    if op.resource_label:
        lines.append(f"Resource: {op.resource_label}")
    if op.resource_id:
        lines.append(f"Resource OCID: {op.resource_id}")
    if op.work_request_id:
        lines.append(f"Work request: {op.work_request_id}")
    if op.progress is not None and not op.state.done:
        lines.append(f"Progress: {op.progress:.0f}%")
    lines.append("Started: " + time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(op.started)))
    lines.append(f"Elapsed: {format_elapsed(op.elapsed)}")
    if op.error is not None:
        lines += ["", "Error:", op.error.details()]
    return "\n".join(lines)


class ActivityModel(QAbstractTableModel):
    """Rows of `oplog.operations`, newest first, cells built on demand."""

    activeCountChanged = Signal(int)
    operationChanged = Signal(object)  # Operation, after its row was updated
    _relay = Signal(object, str)  # (Operation, event) from the log's listener, possibly another thread

    def __init__(self, oplog: OperationLog, parent=None):
        super().__init__(parent)
        self.oplog = oplog
        self._rows = 0  # operations[0:_rows] are shown
        self._pos: dict[int, int] = {}  # op.id -> index in oplog.operations
        self._active: set[int] = set()
        self.scriptable = False  # some operation made a call or has a command (see _track)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self._rebuild()
        self._relay.connect(self._apply)  # AutoConnection: direct on our thread, queued from others
        self._listener = self._relay_event
        oplog.subscribe(self._listener)
        self._update_timer()

    # ------------------------------------------------------------ log -> model
    def detach(self) -> None:
        """Stop listening to the log (done automatically when the model is destroyed)."""
        self.oplog.unsubscribe(self._listener)
        self._timer.stop()

    def _relay_event(self, op: Operation, event: str) -> None:
        try:
            self._relay.emit(op, event)
        except RuntimeError:  # the C++ model is gone: stop listening
            self.oplog.unsubscribe(self._listener)

    def _rebuild(self) -> None:
        ops = self.oplog.operations
        self._rows = len(ops)
        self._pos = {o.id: i for i, o in enumerate(ops)}
        self._active = {o.id for o in ops if not o.state.done}
        self.scriptable = any(o.calls or o.cli for o in ops)

    def _apply(self, op: Operation, event: str) -> None:
        before = len(self._active)
        if event == "added" and op.id not in self._pos:
            ops = self.oplog.operations
            i = self._rows
            if i < len(ops) and ops[i] is op:
                self.beginInsertRows(QModelIndex(), 0, 0)
                self._rows += 1
                self._pos[op.id] = i
                self._track(op)
                self.endInsertRows()
            else:  # the list was changed behind our back: start over
                self.reset()
                return
        else:
            i = self._pos.get(op.id)
            if i is None:
                return  # cleared meanwhile
            self._track(op)
            row = self._rows - 1 - i
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            self.operationChanged.emit(op)
        if len(self._active) != before:
            self.activeCountChanged.emit(len(self._active))
        self._update_timer()

    def _track(self, op: Operation) -> None:
        # some operation made a call or has a command ("Export as script…"): kept up to date here, as each
        # operation comes and changes, not by a scan of the whole log at every change (5,000 operations: 4 s)
        if not self.scriptable and (op.calls or op.cli):
            self.scriptable = True
        if op.state.done:
            self._active.discard(op.id)
        else:
            self._active.add(op.id)

    def reset(self) -> None:
        before = len(self._active)
        self.beginResetModel()
        self._rebuild()
        self.endResetModel()
        if len(self._active) != before:
            self.activeCountChanged.emit(len(self._active))
        self._update_timer()

    def clear_finished(self) -> int:
        """Drop finished operations from the log (active ones stay); returns how many went."""
        ops = self.oplog.operations
        keep = [o for o in ops if not o.state.done]
        removed = len(ops) - len(keep)
        if removed:
            self.beginResetModel()
            ops[:] = keep
            self._rebuild()
            self.endResetModel()
        return removed

    # ------------------------------------------------------------ elapsed ticking
    @property
    def active_count(self) -> int:
        return len(self._active)

    @property
    def ticking(self) -> bool:
        return self._timer.isActive()

    def _update_timer(self) -> None:
        if self._active and not self._timer.isActive():
            self._timer.start()
        elif not self._active and self._timer.isActive():
            self._timer.stop()

    def _tick(self) -> None:
        rows = [self._rows - 1 - self._pos[i] for i in self._active if i in self._pos]
        if rows:
            self.dataChanged.emit(self.index(min(rows), COL_ELAPSED), self.index(max(rows), COL_ELAPSED),
                                  [Qt.ItemDataRole.DisplayRole])

    # ------------------------------------------------------------ Qt model API
    def operation(self, row: int) -> Operation | None:
        if 0 <= row < self._rows:
            return self.oplog.operations[self._rows - 1 - row]
        return None

    def row_of(self, op: Operation) -> int:
        i = self._pos.get(op.id)
        return -1 if i is None else self._rows - 1 - i

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return _tr(COLUMNS[section])
            if role == Qt.ItemDataRole.TextAlignmentRole and section == COL_ELAPSED:
                return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def flags(self, index):
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        op = self.operation(index.row())
        if op is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(op, col)
        if role == OperationRole:
            return op
        if role == ProgressRole:
            if col == COL_PROGRESS and op.state is OpState.RUNNING and op.progress is not None:
                return float(op.progress)
            return None
        if role == Qt.ItemDataRole.DecorationRole and col == COL_STATUS:
            return status_icon(op.state)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == COL_STATUS and op.state in (OpState.SUCCEEDED, OpState.FAILED, OpState.RUNNING):
                return text_tone(op.state)
            if col == COL_DETAIL and op.state is OpState.FAILED:
                return text_tone(OpState.FAILED)
            if col == COL_PROGRESS:
                return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_ELAPSED:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(op, col)
        return None

    @staticmethod
    def _display(op: Operation, col: int) -> str:
        if col == COL_TITLE:
            return op.title
        if col == COL_STATUS:
            return _tr(op.state.value)
        if col == COL_DETAIL:
            if op.error is not None:
                return op.error.summary()
            return op.detail or (translate("ActivityModel", "Waiting") if op.state is OpState.QUEUED else "")
        if col == COL_PROGRESS:
            if op.state is OpState.RUNNING:
                return f"{op.progress:.0f}%" if op.progress is not None else translate("ActivityModel", "Working…")
            if op.state is OpState.QUEUED:
                return translate("ActivityModel", "Waiting…")
            return ""
        if col == COL_ELAPSED:
            return format_elapsed(op.elapsed)
        if col == COL_STARTED:
            return format_started(op.started)
        return ""

    @staticmethod
    def _tooltip(op: Operation, col: int) -> str:
        if op.error is not None:
            return op.error.details()
        if col == COL_STARTED:
            return time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(op.started))
        lines = [op.title]
        if op.resource_id:
            lines.append(op.resource_id)
        if op.work_request_id:
            lines.append(translate("ActivityModel", "Work request: {id}").format(id=op.work_request_id))
        return "\n".join(lines)


class ActivityDelegate(QStyledItemDelegate):
    """Status colours, except on a selected row (where the selection's text colour reads best)."""

    def initStyleOption(self, option, index):
        super().initStyleOption(option, index)
        if option.state & QStyle.StateFlag.State_Selected and option.widget is not None:
            c = option.widget.palette().color(QPalette.ColorRole.HighlightedText)
            option.palette.setColor(QPalette.ColorRole.Text, c)
            option.palette.setColor(QPalette.ColorRole.HighlightedText, c)


class ProgressDelegate(ActivityDelegate):
    """Draws a progress bar when the row's progress is known; the cell's text otherwise."""

    def paint(self, painter, option, index):
        value = index.data(ProgressRole)
        if value is None:
            super().paint(painter, option, index)
            return
        # background / selection as for any cell, then the bar inset in it
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(4, 3, -4, -3)
        bar.minimum, bar.maximum = 0, 100
        bar.progress = int(round(value))
        bar.text = f"{value:.0f}%"
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        bar.palette = option.palette
        bar.fontMetrics = option.fontMetrics
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, opt.widget)


class OperationDetailsDialog(QDialog):
    """Everything about one operation, with Copy; non-modal and kept current while it runs."""

    def __init__(self, op: Operation, parent=None):
        super().__init__(parent)
        self.op = op
        self.setWindowTitle(self.tr("Operation — {title}").format(title=op.title))
        self.setModal(False)
        self.resize(560, 360)
        lay = QVBoxLayout(self)

        head = QHBoxLayout()
        self._icon = QLabel()
        self._headline = QLabel()
        f = self._headline.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.15)
        self._headline.setFont(f)
        self._headline.setWordWrap(True)
        self._headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self._headline, 1)
        lay.addLayout(head)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._fields: dict[str, QLabel] = {}
        names = {"Status": self.tr("Status:"), "Resource": self.tr("Resource:"), "OCID": self.tr("OCID:"),
                 "Work request": self.tr("Work request:"), "Started": self.tr("Started:"),
                 "Elapsed": self.tr("Elapsed:")}
        for name, label in names.items():
            lab = QLabel()
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            lab.setWordWrap(True)
            self._fields[name] = lab
            form.addRow(label, lab)
        lay.addLayout(form)

        self._error_label = QLabel(self.tr("Error"))
        self._error_label.setFont(self._headline.font())
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(_fixed_font())
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        lay.addWidget(self._error_label)
        lay.addWidget(self.text, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy everything about this operation (for a support request)"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.close)
        lay.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        op = self.op
        self._icon.setPixmap(status_icon(op.state, 22).pixmap(22, 22))
        self._headline.setText(op.title)
        status = op.state.value + (f" — {op.detail}" if op.detail and op.state is not OpState.FAILED else "")
        values = {"Status": status, "Resource": op.resource_label, "OCID": op.resource_id,
                  "Work request": op.work_request_id,
                  "Started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(op.started)),
                  "Elapsed": format_elapsed(op.elapsed)}
        for k, v in values.items():
            self._fields[k].setText(v or "—")
        failed = op.error is not None
        self._error_label.setVisible(failed)
        self.text.setVisible(failed)
        if failed and self.text.toPlainText() != op.error.details():
            self.text.setPlainText(op.error.details())
        if not failed:
            self.adjustSize()

    def full_text(self) -> str:
        return describe(self.op)

    def copy(self) -> None:
        QApplication.clipboard().setText(self.full_text())


def _fixed_font() -> QFont:
    return QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont)


class ActivityDock(QDockWidget):
    """The "Activity" dock: toolbar, the operations table, details windows, export."""

    activeCountChanged = Signal(int)
    exported = Signal(str)  # path written

    def __init__(self, oplog: OperationLog, parent=None):
        super().__init__(self.tr("Activity"), parent)
        translations.ensure()
        self.setObjectName("activityDock")
        self.oplog = oplog
        self.model = ActivityModel(oplog, self)
        self.model.activeCountChanged.connect(self._on_active_count)
        self.model.operationChanged.connect(self._on_operation_changed)
        self._dialogs: dict[int, OperationDetailsDialog] = {}
        self._export_dialog: QFileDialog | None = None
        self._message: QMessageBox | None = None

        body = QWidget(self)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)

        self.toolbar = QToolBar(self.tr("Activity"), body)
        self.toolbar.setIconSize(QtCore.QSize(16, 16))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        st = self.style()
        self.details_action = QAction(st.standardIcon(QStyle.StandardPixmap.SP_FileDialogInfoView), self.tr("Details…"),
                                      self)
        self.details_action.setToolTip(self.tr("Show everything about the selected operation (double-click a row)"))
        self.details_action.triggered.connect(self.show_current_details)
        self.clear_action = QAction(st.standardIcon(QStyle.StandardPixmap.SP_DialogResetButton),
                                    self.tr("Clear finished"), self)
        self.clear_action.setToolTip(self.tr("Remove succeeded, failed and cancelled operations from the list"))
        self.clear_action.triggered.connect(self.clear_finished)
        self.export_action = QAction(st.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton), self.tr("Export…"),
                                     self)
        self.export_action.setToolTip(
            self.tr("Save the activity (titles, states, errors, request ids) as JSON for support"))
        self.export_action.triggered.connect(self.export)
        self.script_action = QAction(st.standardIcon(QStyle.StandardPixmap.SP_FileIcon), self.tr("Export as script…"),
                                     self)
        self.script_action.setToolTip(self.tr("Save what this session did as a runnable script: bash with the oci"
                                              " CLI commands (.sh) or Python with the SDK calls (.py), in order,"
                                              " with waits"))
        self.script_action.triggered.connect(self.export_script)
        self.copy_action = QAction(self.tr("Copy"), self)
        self.copy_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action.triggered.connect(self.copy_selected)
        self.copy_request_id_action = QAction(self.tr("Copy opc-request-id"), self)
        self.copy_request_id_action.triggered.connect(self.copy_request_id)
        # operations that can be stopped (transfers) offer Cancel
        self.cancel_action = QAction(st.standardIcon(QStyle.StandardPixmap.SP_BrowserStop), self.tr("Cancel"), self)
        self.cancel_action.setToolTip(self.tr("Stop the selected operations that can be stopped (transfers)"))
        self.cancel_action.triggered.connect(self.cancel_selected)
        for a in (self.details_action, self.cancel_action, self.clear_action, self.export_action, self.script_action):
            self.toolbar.addAction(a)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.count_label = QLabel()
        self.count_label.setContentsMargins(6, 0, 8, 0)
        self.toolbar.addWidget(self.count_label)
        lay.addWidget(self.toolbar)

        self.view = QTableView(body)
        self.view.setModel(self.model)
        self.view.setObjectName("activityTable")
        self.view.setIconSize(QtCore.QSize(ICON_SIZE, ICON_SIZE))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setFrameShape(QTableView.Shape.NoFrame)
        vh = self.view.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: O(1) layout for 1000s of rows
        vh.setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        hh = self.view.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        hh.setStretchLastSection(False)
        fm = self.view.fontMetrics()
        pad = 2 * self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 16

        def fit(*samples: str, extra: int = 0) -> int:
            return max(fm.horizontalAdvance(t) for t in samples) + pad + extra
        widths = {COL_TITLE: fit("Terminating instance build-agent-0042"),
                  COL_STATUS: fit("In progress", "Succeeded", "Cancelled", extra=ICON_SIZE + 6),
                  COL_DETAIL: fit("PROVISIONING"), COL_PROGRESS: fit("Working…", "100%", extra=12),
                  COL_ELAPSED: fit("88:88", _tr(COLUMNS[COL_ELAPSED])),
                  COL_STARTED: fit(format_started(0.0), "88:88:88", _tr(COLUMNS[COL_STARTED]))}
        for col, w in widths.items():
            hh.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.view.setColumnWidth(col, w)
        hh.setSectionResizeMode(COL_DETAIL, QHeaderView.ResizeMode.Stretch)
        self.view.setItemDelegate(ActivityDelegate(self.view))
        self.view.setItemDelegateForColumn(COL_PROGRESS, ProgressDelegate(self.view))
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.addAction(self.copy_action)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())
        self.model.modelReset.connect(self._update_actions)
        self.model.rowsInserted.connect(self._update_actions)
        lay.addWidget(self.view)

        self.setWidget(body)
        self._on_active_count(self.model.active_count)
        self._update_actions()

    # ------------------------------------------------------------ state
    @property
    def active_count(self) -> int:
        return self.model.active_count

    def _on_active_count(self, n: int) -> None:
        self.count_label.setText(self.tr("%n running", "", n) if n else self.tr("Nothing running"))
        self.activeCountChanged.emit(n)
        self._update_actions()

    def _on_operation_changed(self, op: Operation) -> None:
        dlg = self._dialogs.get(op.id)
        if dlg is not None:
            dlg.refresh()
        self._update_actions()

    def current_operation(self) -> Operation | None:
        idx = self.view.currentIndex()
        return self.model.operation(idx.row()) if idx.isValid() else None

    def _update_actions(self, *_) -> None:
        op = self.current_operation()
        self.details_action.setEnabled(op is not None)
        chosen = self.selected_operations() or ([op] if op is not None else [])
        self.cancel_action.setEnabled(any(o.cancellable for o in chosen))
        self.copy_request_id_action.setEnabled(op is not None and op.error is not None
                                               and bool(op.error.request_id))
        self.clear_action.setEnabled(self.model.rowCount() > self.model.active_count)
        self.export_action.setEnabled(self.model.rowCount() > 0)
        self.script_action.setEnabled(self.model.scriptable)

    # ------------------------------------------------------------ details
    def _on_double_clicked(self, index) -> None:
        op = self.model.operation(index.row())
        if op is not None:
            self.show_details(op)

    def show_current_details(self) -> None:
        op = self.current_operation()
        if op is None and self.model.rowCount():
            op = self.model.operation(0)
        if op is not None:
            self.show_details(op)

    def show_details(self, op: Operation) -> OperationDetailsDialog:
        """Open (or raise) the non-modal details window of one operation."""
        dlg = self._dialogs.get(op.id)
        if dlg is None:
            dlg = OperationDetailsDialog(op, self)
            self._dialogs[op.id] = dlg
            dlg.finished.connect(lambda _r, i=op.id: self._forget_dialog(i))
        dlg.show()
        dlg.raise_()
        dlg.activateWindow()
        return dlg

    def _forget_dialog(self, op_id: int) -> None:
        dlg = self._dialogs.pop(op_id, None)
        if dlg is not None:
            dlg.deleteLater()

    def details_dialogs(self) -> list[OperationDetailsDialog]:
        return list(self._dialogs.values())

    # ------------------------------------------------------------ context menu / copy
    def _context_menu(self, pos) -> None:
        idx = self.view.indexAt(pos)
        if idx.isValid():
            self.view.setCurrentIndex(idx)
        self._update_actions()
        menu = QMenu(self.view)
        menu.addAction(self.details_action)
        menu.addAction(self.cancel_action)
        menu.addAction(self.copy_action)
        menu.addAction(self.copy_request_id_action)
        menu.addSeparator()
        menu.addAction(self.clear_action)
        menu.addAction(self.export_action)
        menu.addAction(self.script_action)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def selected_operations(self) -> list[Operation]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        ops = [self.model.operation(r) for r in rows]
        return [o for o in ops if o is not None]

    def copy_selected(self) -> None:
        ops = self.selected_operations() or ([self.current_operation()] if self.current_operation() else [])
        if ops:
            QApplication.clipboard().setText("\n\n".join(describe(o) for o in ops))

    def cancel_selected(self) -> int:
        """Ask the selected (or current) operations to stop; returns how many were asked."""
        ops = self.selected_operations() or ([self.current_operation()] if self.current_operation() else [])
        n = sum(1 for o in ops if self.oplog.request_cancel(o))
        self._update_actions()
        return n

    def copy_request_id(self) -> None:
        op = self.current_operation()
        if op is not None and op.error is not None and op.error.request_id:
            QApplication.clipboard().setText(op.error.request_id)

    # ------------------------------------------------------------ toolbar
    def clear_finished(self) -> int:
        for op_id in [i for i, d in self._dialogs.items() if d.op.state.done]:
            self._dialogs[op_id].close()
        n = self.model.clear_finished()
        self._update_actions()
        return n

    def export(self) -> QFileDialog:
        """Ask where to save (non-modal file dialog); writes on fileSelected."""
        if self._export_dialog is not None:
            self._export_dialog.raise_()
            return self._export_dialog
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        name = time.strftime("ociconsole-activity-%Y%m%d-%H%M%S.json")
        dlg = QFileDialog(self, "Export activity", str(Path(docs) / name), "JSON files (*.json);;All files (*)")
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.setFileMode(QFileDialog.FileMode.AnyFile)
        dlg.setDefaultSuffix("json")
        dlg.setOption(QFileDialog.Option.DontUseNativeDialog, QApplication.platformName() == "offscreen")
        dlg.fileSelected.connect(self.export_to)
        dlg.finished.connect(self._export_closed)
        self._export_dialog = dlg
        dlg.open()
        return dlg

    def export_script(self) -> QFileDialog:
        """Ask where to save the session as a script (non-modal); .sh is bash with the CLI, .py Python."""
        if self._export_dialog is not None:
            self._export_dialog.raise_()
            return self._export_dialog
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        name = time.strftime("ociconsole-session-%Y%m%d-%H%M%S.sh")
        dlg = QFileDialog(self, self.tr("Export session as script"), str(Path(docs) / name),
                          self.tr("Bash script with the oci CLI (*.sh);;Python script with the OCI SDK (*.py)"))
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.setFileMode(QFileDialog.FileMode.AnyFile)
        dlg.setDefaultSuffix("sh")
        dlg.setOption(QFileDialog.Option.DontUseNativeDialog, QApplication.platformName() == "offscreen")
        dlg.filterSelected.connect(lambda f: dlg.setDefaultSuffix("py" if "*.py" in f else "sh"))
        dlg.fileSelected.connect(self.export_script_to)
        dlg.finished.connect(self._export_closed)
        self._export_dialog = dlg
        dlg.open()
        return dlg

    def export_script_to(self, path: str) -> bool:
        from ..catalog import scripts
        try:
            scripts.write(path, sorted(self.oplog.operations, key=lambda o: o.id))  # in the order started
        except OSError as e:
            self._show_message(QMessageBox.Icon.Warning, self.tr("Export failed"),
                               self.tr("Could not write the script to {path}:").format(path=path)
                               + f"\n{e.strerror or e}")
            return False
        self.exported.emit(str(path))
        return True

    def _export_closed(self, _result=0) -> None:
        dlg, self._export_dialog = self._export_dialog, None
        if dlg is not None:
            dlg.deleteLater()

    def export_to(self, path: str) -> bool:
        try:
            Path(path).write_text(self.oplog.export_json() + "\n", encoding="utf-8")
        except OSError as e:
            self._show_message(QMessageBox.Icon.Warning, self.tr("Export failed"),
                               self.tr("Could not write the activity to {path}:").format(path=path)
                               + f"\n{e.strerror or e}")
            return False
        self.exported.emit(str(path))
        return True

    def _show_message(self, icon, title: str, text: str) -> None:
        if self._message is not None:
            self._message.close()
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda *_: setattr(self, "_message", None))
        self._message = box
        box.open()
