"""The command palette (Ctrl+Shift+P, and Ctrl+K which also searches every compartment): one line to type
in, the matching entries below (catalog.palette ranks them), Enter runs the chosen one, Escape closes.

An entry may ask a second question in the same box (`ask`): "Instance: Stop" with no instance selected
lists the instances of the current compartment that can be stopped, and Enter on one stops it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from ..catalog.palette import Entry, rank
from . import aio
from .qt import (
    QDialog,
    QEvent,
    QLabel,
    QLineEdit,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from .widgets import help_colour

RECENT: list[str] = []  # entry keys, most recent first (this process)


class PaletteDialog(QDialog):
    def __init__(self, entries: list[Entry], parent: QWidget | None = None, placeholder: str = "",
                 extra: Callable[[str], list[Entry]] | None = None):
        super().__init__(parent)
        self.setWindowTitle("Command palette")
        self.setModal(True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.entries = entries
        self.extra = extra  # entries that depend on the text typed (Ctrl+K: search for it)
        self._tasks = aio.TaskGroup()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.setSpacing(6)
        self.prompt = QLabel("", self)
        self.prompt.setStyleSheet(f"color: {help_colour(self)};")
        self.prompt.hide()
        lay.addWidget(self.prompt)
        self.input = QLineEdit(self)
        self.input.setObjectName("paletteInput")
        self.input.setAccessibleName("Command palette: type to filter")
        self.input.setPlaceholderText(placeholder or "Type a command, a resource kind, a resource or a compartment")
        self.input.textChanged.connect(self._filter)
        self.input.installEventFilter(self)
        lay.addWidget(self.input)
        self.list = QTreeWidget(self)
        self.list.setObjectName("paletteList")
        self.list.setAccessibleName("Matching commands")
        self.list.setColumnCount(3)
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.itemActivated.connect(lambda item, _c: self._run(item))
        lay.addWidget(self.list, 1)
        self.status = QLabel("", self)
        self.status.setStyleSheet(f"color: {help_colour(self)};")
        lay.addWidget(self.status)
        self.resize(720, 460)
        self.ran: Entry | None = None
        self._filter("")

    # ------------------------------------------------------------ filtering
    def shown(self) -> list[Entry]:
        items = (self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount()))
        return [item.data(0, Qt.ItemDataRole.UserRole) for item in items]

    def _filter(self, text: str) -> None:
        found = rank(text, self.entries, RECENT)
        if self.extra is not None:
            found = self.extra(text) + found
        self.list.clear()
        for e in found:
            item = QTreeWidgetItem([e.category, e.label + (f"   — {e.detail}" if e.detail else ""), e.shortcut])
            item.setData(0, Qt.ItemDataRole.UserRole, e)
            item.setForeground(0, self.palette().placeholderText())
            item.setForeground(2, self.palette().placeholderText())
            self.list.addTopLevelItem(item)
        for c in range(3):
            self.list.resizeColumnToContents(c)
        if found:
            self.list.setCurrentItem(self.list.topLevelItem(0))
        self.status.setText(f"{len(found)} match{'es' if len(found) != 1 else ''}" if text else
                            f"{len(found)} commands — type to filter, Enter to run, Esc to close")

    def eventFilter(self, obj, event) -> bool:
        if obj is self.input and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                n = self.list.topLevelItemCount()
                if n:
                    row = self.list.indexOfTopLevelItem(self.list.currentItem()) if self.list.currentItem() else 0
                    step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10,
                            Qt.Key.Key_PageUp: -10}[key]
                    self.list.setCurrentItem(self.list.topLevelItem(max(0, min(n - 1, row + step))))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.list.currentItem() is not None:
                    self._run(self.list.currentItem())
                return True
        return super().eventFilter(obj, event)

    # ------------------------------------------------------------ running
    def _run(self, item) -> None:
        entry: Entry = item.data(0, Qt.ItemDataRole.UserRole)
        if entry is None:
            return
        self.ran = entry
        if entry.key:
            if entry.key in RECENT:
                RECENT.remove(entry.key)
            RECENT.insert(0, entry.key)
            del RECENT[30:]
        result = entry.run()
        if isinstance(result, _Question):
            self._ask(result)
            return
        self.accept()

    def _ask(self, q: _Question) -> None:
        self.prompt.setText(q.prompt)
        self.prompt.show()
        self.input.clear()
        self.entries, self.extra = [], None
        self.list.clear()
        self.status.setText("Loading…")

        async def load():
            try:
                entries = await q.load()
            except Exception as e:  # the list could not be read: say so, keep the box open
                self.status.setText(f"Could not list them: {getattr(e, 'message', None) or e}")
                return
            self.entries = entries
            self._filter(self.input.text())
            if not entries:
                self.status.setText(q.empty)
        self._tasks.replace("ask", load())

    def done(self, r: int) -> None:
        self._tasks.cancel_all()
        super().done(r)


class _Question:
    """A second question in the palette: a prompt and the entries to choose from (loaded)."""

    def __init__(self, prompt: str, load: Callable[[], Awaitable[list[Entry]]], empty: str):
        self.prompt, self.load, self.empty = prompt, load, empty


def ask(prompt: str, load: Callable[[], Awaitable[list[Entry]]], empty: str) -> _Question:
    """What an entry's `run` returns to ask a second question (pick a resource) in the same box."""
    return _Question(prompt, load, empty)
