"""Driving the real widgets the way a person does."""

from __future__ import annotations

from ociconsole.gui.qt import QApplication, QModelIndex, Qt


def click_index(qtbot, view, index: QModelIndex, double: bool = False) -> None:
    assert index.isValid(), "nothing to click"
    view.scrollTo(index)
    rect = view.visualRect(index)
    if double:  # a press first: item views only act on a double click where the press happened
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    else:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def find_child(model, parent: QModelIndex, text: str) -> QModelIndex:
    for r in range(model.rowCount(parent)):
        idx = model.index(r, 0, parent)
        if idx.data() == text:
            return idx
    return QModelIndex()


def open_tree_path(qtbot, window, *labels: str) -> QModelIndex:
    """Click through the tree: each label is expanded (Right arrow) then the last one is selected."""
    tree, model = window.tree, window.tree_model
    idx = model.index(0, 0)
    for label in labels:
        click_index(qtbot, tree, idx)
        qtbot.keyClick(tree, Qt.Key.Key_Right)
        qtbot.waitUntil(lambda i=idx, lab=label: find_child(model, i, lab).isValid(), timeout=10_000)
        idx = find_child(model, idx, label)
    click_index(qtbot, tree, idx)
    return idx


def table_rows(view) -> list[str]:
    m = view.proxy
    return [m.index(r, 0).data() for r in range(m.rowCount())]


def top_level(cls):
    for w in QApplication.topLevelWidgets():
        if isinstance(w, cls) and w.isVisible():
            return w
    return None


def pick(qtbot, combo, text: str) -> None:
    """Open the combo's popup and click the first item containing `text`."""
    items = [combo.itemText(i) for i in range(combo.count())]
    matches = [i for i, t in enumerate(items) if text in t]
    assert matches, f"{text!r} not among {items}"
    combo.showPopup()
    view = combo.view()
    index = view.model().index(matches[0], 0)
    view.scrollTo(index)
    qtbot.waitUntil(lambda: view.isVisible(), timeout=2000)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=2000)
    assert combo.currentIndex() == matches[0], (combo.currentText(), items[matches[0]])


def retype(qtbot, widget, text: str) -> None:
    """Select everything in a line edit / spin box / text box and type over it."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(widget, text)
    else:
        qtbot.keyClick(widget, Qt.Key.Key_Delete)


def click(qtbot, button) -> None:
    assert button.isEnabled(), f"{button.text()} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
