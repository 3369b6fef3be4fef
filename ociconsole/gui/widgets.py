"""Small shared widgets for dialogs: a number box that may be empty and shows its bounds,
an indenting delegate for tree-shaped combo boxes, a message banner, a read-only code view
with a Copy button, and the colours/fonts they share (help in grey, errors in red,
code in monospace) chosen from the palette so they read in light and dark themes."""

from __future__ import annotations

import math

from . import theme, translations  # noqa: F401 - translations: catalog texts through Qt's translate
from .qt import (
    QFont,
    QFrame,
    QGuiApplication,
    QHBoxLayout,
    QLabel,
    QPalette,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    Qt,
    QtGui,
    QTimer,
    QtWidgets,
    QVBoxLayout,
    QWidget,
    Signal,
)

DEPTH_ROLE = Qt.ItemDataRole.UserRole + 7  # indentation level of a combo item


# ---------------------------------------------------------------- colours and fonts

def _palette(widget: QWidget | None) -> QPalette:
    return widget.palette() if widget is not None else QGuiApplication.palette()


def _dark(widget: QWidget | None = None) -> bool:
    return theme.is_dark(_palette(widget))


def error_colour(widget: QWidget | None = None) -> str:
    return theme.colour("error", _palette(widget))


def help_colour(widget: QWidget | None = None) -> str:
    """Secondary text: the text colour blended towards the background (reads in any theme)."""
    return theme.help_colour(_palette(widget))


def monospace_font() -> QFont:
    f = QGuiApplication.font()
    mono = QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont)
    mono.setPointSizeF(max(f.pointSizeF() - 0.5, 8.0) if f.pointSizeF() > 0 else mono.pointSizeF())
    return mono


def small_font(delta: float = 1.0) -> QFont:
    f = QFont(QGuiApplication.font())
    if f.pointSizeF() > 0:
        f.setPointSizeF(max(f.pointSizeF() - delta, 7.0))
    return f


def help_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """Grey, slightly smaller, wrapping text under a field."""
    lab = QLabel(text, parent)
    lab.setWordWrap(True)
    lab.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    lab.setFont(small_font())
    lab.setStyleSheet(f"color: {help_colour(parent)};")
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    lab.setVisible(bool(text))
    return lab


def error_label(parent: QWidget | None = None) -> QLabel:
    """Red wrapping text under a field; hidden while empty."""
    lab = QLabel("", parent)
    lab.setWordWrap(True)
    lab.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    lab.setFont(small_font())
    lab.setStyleSheet(f"color: {error_colour(parent)};")
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    lab.setVisible(False)
    return lab


def warning_label(parent: QWidget | None = None) -> QLabel:
    """A loud, boxed warning under a field (a value that is allowed but dangerous); hidden while empty."""
    lab = QLabel("", parent)
    lab.setObjectName("fieldWarning")
    lab.setWordWrap(True)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    bg, border, fg = theme.banner("warning", _palette(parent))
    lab.setStyleSheet(f"QLabel#fieldWarning {{ background: {bg}; border: 1px solid {border}; border-left: 5px solid "
                      f"{border}; border-radius: 3px; color: {fg}; padding: 6px 8px; font-weight: bold; }}")
    lab.setVisible(False)
    return lab


PRODUCTION_RED = theme.COLOURS["production"][0]


def production_label(text: str, parent: QWidget | None = None) -> QLabel:
    """The red banner of a production connection (core.guardrails): on the main window and in every dialog
    that can change something there."""
    lab = QLabel(text, parent)
    lab.setObjectName("productionBanner")
    lab.setWordWrap(True)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    lab.setStyleSheet(f"QLabel#productionBanner {{ background: {PRODUCTION_RED}; color: white; font-weight: bold;"
                      " padding: 5px 10px; border-radius: 2px; }")
    lab.setAccessibleName("Production connection")
    return lab


def set_message(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setVisible(bool(text))


# ---------------------------------------------------------------- number box

class NumberEdit(QtWidgets.QAbstractSpinBox):
    """A spin box whose value may be empty (None) and may be typed outside its bounds.

    Bounds (min, max, step) drive the arrows and the grey hint next to it, but typing is
    not clamped: the form's validation says what is wrong instead of silently changing the
    number. `valueEdited` fires on every change by the person (typing, arrows, wheel).
    """

    valueEdited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._bounds: tuple[float, float, float] | None = None
        self.setButtonSymbols(QtWidgets.QAbstractSpinBox.ButtonSymbols.UpDownArrows)
        self.setCorrectionMode(QtWidgets.QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.setKeyboardTracking(True)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.lineEdit().textEdited.connect(lambda _t: self.valueEdited.emit())

    # value
    def value(self) -> int | float | None:
        t = self.lineEdit().text().strip().replace(",", ".")
        if not t or t in ("-", ".", "-."):
            return None
        try:
            v = float(t)
        except ValueError:
            return None
        if not math.isfinite(v):
            return None
        whole = self._bounds is None or self._bounds[2] >= 1
        return int(v) if whole and v == int(v) else v

    def setValue(self, v) -> None:
        if v is None or v == "":
            self.lineEdit().setText("")
        else:
            self.lineEdit().setText(f"{v:g}" if isinstance(v, float) else str(v))

    # bounds
    def bounds(self) -> tuple[float, float, float] | None:
        return self._bounds

    def setBounds(self, b: tuple[float, float, float] | None) -> None:
        self._bounds = tuple(b) if b is not None else None  # type: ignore[assignment]
        self.update()

    # QAbstractSpinBox protocol
    def validate(self, text: str, pos: int):
        s = text.strip().replace(",", ".")
        ok = s == "" or all(ch.isdigit() or ch in ".-" for ch in s) and s.count(".") <= 1 and \
            s.count("-") <= 1 and (("-" not in s) or s.startswith("-"))
        State = QtGui.QValidator.State
        return (State.Acceptable if ok else State.Invalid, text, pos)

    def fixup(self, text: str) -> str:
        return text

    def stepEnabled(self):
        F = QtWidgets.QAbstractSpinBox.StepEnabledFlag
        if self.isReadOnly():
            return F.StepNone
        flags = F.StepNone
        v = self.value()
        lo, hi = (self._bounds[0], self._bounds[1]) if self._bounds else (-math.inf, math.inf)
        if v is None or v < hi:
            flags |= F.StepUpEnabled
        if v is None or v > lo:
            flags |= F.StepDownEnabled
        return flags

    def stepBy(self, steps: int) -> None:
        lo, hi, step = self._bounds if self._bounds else (0, math.inf, 1)
        step = step or 1
        v = self.value()
        if v is None:
            new = lo if steps > 0 else hi if math.isfinite(hi) else lo
        else:
            new = min(max(v + steps * step, lo), hi)
        if step >= 1:
            new = int(round(new))
        self.setValue(new)
        self.lineEdit().selectAll()
        self.valueEdited.emit()

    def sizeHint(self):
        s = super().sizeHint()
        fm = self.fontMetrics()
        s.setWidth(max(s.width(), fm.horizontalAdvance("0" * 8) + 40))
        return s

    def minimumSizeHint(self):
        return self.sizeHint()


# ---------------------------------------------------------------- combo indentation

class IndentDelegate(QStyledItemDelegate):
    """Indents combo-box popup items by their DEPTH_ROLE (compartment trees); the selection
    highlight still spans the whole row."""

    STEP = 16
    PAD = 6

    def paint(self, painter, option, index) -> None:
        opt = QtWidgets.QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QtWidgets.QApplication.style()
        opt.showDecorationSelected = True
        style.drawPrimitive(QtWidgets.QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)
        opt.rect.adjust((index.data(DEPTH_ROLE) or 0) * self.STEP + self.PAD, 0, 0, 0)
        State = QtWidgets.QStyle.StateFlag
        if opt.state & State.State_Selected:  # the highlight is drawn once, full width, above
            opt.state &= ~State.State_Selected
            opt.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(QPalette.ColorRole.HighlightedText))
        opt.state &= ~State.State_HasFocus
        opt.backgroundBrush = QtGui.QBrush()
        style.drawControl(QtWidgets.QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

    def sizeHint(self, option, index):
        s = super().sizeHint(option, index)
        s.setWidth(s.width() + (index.data(DEPTH_ROLE) or 0) * self.STEP + 2 * self.PAD)
        s.setHeight(max(s.height(), option.fontMetrics.height() + 8))
        return s


# ---------------------------------------------------------------- banner

class Banner(QFrame):
    """A message strip (error or info) with a bold heading and selectable details."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        lay.setSpacing(2)
        self.heading = QLabel(self)
        f = QFont(self.heading.font())
        f.setBold(True)
        self.heading.setFont(f)
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.body = QLabel(self)
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.heading)
        lay.addWidget(self.body)
        self.setVisible(False)

    _WIDTHS = {"error": 1, "info": 1, "warning": 2}  # the border's width (colours: theme.BANNERS)

    def _show(self, tone: str, heading: str, body: str) -> None:
        width = self._WIDTHS[tone]
        bg, border, fg = theme.banner(tone, _palette(self))
        self.setStyleSheet(f"QFrame#banner {{ background: {bg}; border: {width}px solid {border}; "
                           f"border-radius: 4px; }}"
                           f"QFrame#banner QLabel {{ color: {fg}; background: transparent; border: none; }}")
        self.heading.setText(heading)
        self.body.setText(body)
        self.body.setVisible(bool(body))
        self.setVisible(True)

    def show_error(self, heading: str, body: str = "") -> None:
        self._show("error", heading, body)

    def show_info(self, heading: str, body: str = "") -> None:
        self._show("info", heading, body)

    def show_warning(self, heading: str, body: str = "") -> None:
        self._show("warning", heading, body)

    def clear(self) -> None:
        self.heading.setText("")
        self.body.setText("")
        self.setVisible(False)

    def text(self) -> str:
        return "\n".join(t for t in (self.heading.text(), self.body.text()) if t)


# ---------------------------------------------------------------- code view

class CodeView(QWidget):
    """Read-only monospace text with a Copy button (the clipboard gets the exact text)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 0)
        lay.setSpacing(4)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setReadOnly(True)
        self.text_edit.setFont(monospace_font())
        self.text_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text_edit.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse |
                                               Qt.TextInteractionFlag.TextSelectableByKeyboard)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        self.note = help_label("", self)
        bar.addWidget(self.note, 1)
        self.copy_button = QPushButton("Copy", self)
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy)
        bar.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignRight)
        lay.addWidget(self.text_edit, 1)
        lay.addLayout(bar)

    def setText(self, text: str) -> None:
        self.text_edit.setPlainText(text)

    def text(self) -> str:
        return self.text_edit.toPlainText()

    def setNote(self, text: str) -> None:
        set_message(self.note, text)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
        self.copy_button.setText("Copied")
        QTimer.singleShot(1500, self.copy_button, lambda: self.copy_button.setText("Copy"))
