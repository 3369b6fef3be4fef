"""Confirmation before an action that cannot be undone (or that the catalog asks to confirm).

- confirm="name" on one resource: the person types the resource's name exactly;
- on N resources (a bulk action) the person types the number N instead;
- confirm="simple": OK / Cancel only;
- the action's options (ActionOption) are checkboxes, returned with `confirmed(options)`.

The OK button carries the action's label ("Terminate") and is red for destructive
actions. Escape, Cancel and closing the window never confirm. Show it with open().
"""

from __future__ import annotations

from ..catalog.model import Action, ResourceKind
from ..i18n import t as ct
from . import theme
from .qt import (
    QCheckBox,
    QDialog,
    QFont,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import help_label, monospace_font, production_label

MAX_LISTED = 8


def _esc(s: str) -> str:
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _destructive_style(widget: QWidget) -> str:
    pal = widget.palette()
    bg, hover, border = (theme.colour(r, pal) for r in ("destructive", "destructive_hover", "destructive_border"))
    return (f"QPushButton {{ background: {bg}; color: white; border: 1px solid {border}; border-radius: 4px;"
            f" padding: 5px 16px; font-weight: bold; }}"
            f"QPushButton:hover {{ background: {hover}; }}"
            f"QPushButton:disabled {{ background: palette(button); color: palette(mid);"
            f" border: 1px solid palette(mid); font-weight: normal; }}")


class ConfirmDialog(QDialog):
    """Ask before running `action` on `resources` (resources of `kind`)."""

    confirmed = Signal(dict)  # option name -> bool

    def __init__(self, action: Action, kind: ResourceKind, resources: list, parent: QWidget | None = None,
                 mode: str | None = "", production: str = ""):
        """`mode` overrides the action's own confirmation ("name", "simple"; the guardrails decide it on
        production); `production` is the banner naming the production connection, shown above the question."""
        super().__init__(parent)
        self.action, self.kind, self.resources = action, kind, list(resources)
        confirm = action.confirm if mode == "" else mode
        self._done = False
        n = len(self.resources)
        self.bulk = n > 1
        self.names = [kind.name(r) for r in self.resources]
        # what must be typed: the name (one resource), the count (several), nothing (simple)
        if confirm == "simple" and not (self.bulk and action.destructive):
            self.expected: str | None = None
        elif self.bulk:
            self.expected = str(n)
        else:
            self.expected = self.names[0] if self.names else ""

        label, singular, kinds = ct(action.label), ct(kind.singular).lower(), ct(kind.label).lower()
        what = singular if not self.bulk else f"{n} {kinds}"
        self.setWindowTitle(self.tr("{action} {what}").format(action=label, what=what))
        self.setModal(True)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 16, 18, 14)
        lay.setSpacing(10)
        self.production_banner: QLabel | None = None
        if production:
            self.production_banner = production_label(production, self)
            lay.addWidget(self.production_banner)
        head = QLabel(self.tr("{action} {what}?").format(action=label, what=what), self)
        f = QFont(head.font())
        f.setBold(True)
        if f.pointSizeF() > 0:
            f.setPointSizeF(f.pointSizeF() * 1.2)
        head.setFont(f)
        head.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(head)

        self.message = QLabel(self._message(), self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.message)

        if not self.bulk and self.resources:
            ocid = getattr(self.resources[0], "id", "") or ""
            if ocid:
                lab = help_label(ocid, self)
                lab.setFont(monospace_font())
                lay.addWidget(lab)
        elif self.bulk:
            listed = "\n".join(f"•  {nm}" for nm in self.names[:MAX_LISTED])
            if n > MAX_LISTED:
                listed += "\n" + self.tr("…and %n more", "", n - MAX_LISTED)
            lst = QLabel(listed, self)
            lst.setTextFormat(Qt.TextFormat.PlainText)
            lst.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            lst.setContentsMargins(8, 0, 0, 0)
            lay.addWidget(lst)

        self.option_boxes: dict[str, QCheckBox] = {}
        for opt in action.options:
            box = QCheckBox(ct(opt.label), self)
            box.setChecked(bool(opt.default))
            box.setObjectName(f"option_{opt.name}")
            self.option_boxes[opt.name] = box
            lay.addWidget(box)

        self.input: QLineEdit | None = None
        if self.expected is not None:
            if self.bulk:
                prompt = self.tr("Type <b>{n}</b> to confirm that you want to {action} {n} {kinds}:").format(
                    n=n, action=label.lower(), kinds=_esc(kinds))
            else:
                prompt = self.tr("Type the {what} name <b>{name}</b> to confirm:").format(
                    what=_esc(singular), name=_esc(self.expected))
            p = QLabel(prompt, self)
            p.setWordWrap(True)
            p.setTextFormat(Qt.TextFormat.RichText)
            lay.addSpacing(4)
            lay.addWidget(p)
            self.input = QLineEdit(self)
            self.input.setObjectName("confirm_input")
            self.input.setPlaceholderText(self.expected)
            if not self.bulk:
                self.input.setFont(monospace_font())
            self.input.textChanged.connect(self._update)
            lay.addWidget(self.input)

        lay.addSpacing(6)
        bar = QHBoxLayout()
        bar.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.ok_button = QPushButton(label, self)
        if action.destructive:
            self.ok_button.setStyleSheet(_destructive_style(self))
        self.cancel_button.clicked.connect(self.reject)
        self.ok_button.clicked.connect(self.accept)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.ok_button)
        lay.addLayout(bar)

        # Enter confirms only once the typed text matches; a plain destructive question
        # defaults to Cancel so a stray Enter does not destroy anything.
        self.cancel_button.setAutoDefault(False)
        self.ok_button.setAutoDefault(False)
        if self.expected is None and action.destructive:
            self.cancel_button.setDefault(True)
        else:
            self.ok_button.setDefault(True)
        self.setMinimumWidth(460)
        self._update()
        if self.input is not None:
            self.input.setFocus()
        else:
            (self.cancel_button if action.destructive else self.ok_button).setFocus()

    def _message(self) -> str:
        a, k = self.action, self.kind
        verb = ct(a.label).lower()
        if self.bulk:
            text = self.tr("You are about to {action} {n} {kinds}.").format(
                action=verb, n=len(self.resources), kinds=_esc(ct(k.label).lower()))
        else:
            name = _esc(self.names[0]) if self.names else ""
            state = k.state(self.resources[0]) if self.resources else None
            what = _esc(ct(k.singular).lower())
            text = (self.tr("You are about to {action} the {what} <b>{name}</b> (now {state}).").format(
                action=verb, what=what, name=name, state=_esc(state)) if state else
                self.tr("You are about to {action} the {what} <b>{name}</b>.").format(action=verb, what=what,
                                                                                      name=name))
        if a.destructive:
            text += " " + self.tr("<b>This cannot be undone.</b>")
        return text

    # ------------------------------------------------------------ state
    def matches(self) -> bool:
        if self.expected is None:
            return True
        return self.input is not None and self.input.text() == self.expected

    def _update(self) -> None:
        self.ok_button.setEnabled(self.matches())

    def options(self) -> dict:
        return {name: box.isChecked() for name, box in self.option_boxes.items()}

    def accept(self) -> None:
        """Confirm (the OK button): only when the typed text matches, and only once."""
        if self._done or not self.matches():
            return
        self._done = True
        opts = self.options()
        super().accept()
        self.confirmed.emit(opts)

    def showEvent(self, event) -> None:
        self._done = False
        super().showEvent(event)

    def reject(self) -> None:
        self._done = True
        super().reject()
