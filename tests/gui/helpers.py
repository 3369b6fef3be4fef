"""Driving the real widgets the way a person does."""

from __future__ import annotations

import os

from ociconsole.gui.qt import QApplication, QModelIndex, Qt


def click_index(qtbot, view, index: QModelIndex, double: bool = False) -> None:
    assert index.isValid(), "nothing to click"
    view.scrollTo(index)
    rect = view.visualRect(index)
    if double:  # a press first: item views only act on a double click where the press happened
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        # and the button comes up, as a finger's does: QTest's double click leaves it down (Qt 6.11), and every later
        # pointer move of the process would then go to this view
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
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


def trigger(window, label):
    """Trigger the selected kind's action labelled `label` (it must be enabled), as its menu does."""
    action = next(a for a in window._kind_actions if a.text() == label)
    assert action.isEnabled(), label
    action.trigger()


def dialog(qtbot, cls, not_this=None):
    """The visible top-level `cls` dialog once it shows (another than `not_this`)."""
    qtbot.waitUntil(lambda: top_level(cls) is not None and top_level(cls) is not not_this, timeout=5000)
    return top_level(cls)


def select_row(qtbot, window, name):
    """Click the list's row named `name` and wait until the details show it."""
    row = table_rows(window.resources).index(name)
    click_index(qtbot, window.resources.table, window.resources.proxy.index(row, 0))
    qtbot.waitUntil(lambda: window.detail.name.text() == name, timeout=5000)


def related(window) -> dict[str, list[str]]:
    """The details' Related tab: section -> ["label=value", ...]."""
    rel = window.detail.related
    out = {}
    for i in range(rel.topLevelItemCount()):
        sec = rel.topLevelItem(i)
        out[sec.text(0)] = [f"{sec.child(j).text(0)}={sec.child(j).text(1)}" for j in range(sec.childCount())]
    return out


def related_loaded(window) -> bool:
    """Whether every Related section has loaded."""
    rel = window.detail.related
    return rel.topLevelItemCount() > 0 and all(rel.topLevelItem(i).text(1) != "loading…"
                                               for i in range(rel.topLevelItemCount()))


def answer_confirm(qtbot, typed: str | None = None):
    """Accept the confirmation dialog that an action opened (typing `typed` first, when it asks for it)."""
    from ociconsole.gui.confirm import ConfirmDialog
    qtbot.waitUntil(lambda: top_level(ConfirmDialog) is not None, timeout=5000)
    dlg = top_level(ConfirmDialog)
    if typed is not None:
        assert dlg.input is not None
        qtbot.keyClicks(dlg.input, typed)
    click(qtbot, dlg.ok_button)
    return dlg


def create_dialog(qtbot, window):
    """The create dialog the window's Create action opens, once its options have loaded."""
    from ociconsole.gui.form_dialog import CreateDialog
    window.create_action.trigger()
    qtbot.waitUntil(lambda: top_level(CreateDialog) is not None, timeout=5000)
    dlg = top_level(CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    return dlg


def state_of(window, name: str) -> str:
    """The lifecycle state the resource list shows for the row named `name` ("" when not listed)."""
    res = next((r for r in window.resources.model.rows if window.resources.kind.name(r) == name), None)
    return getattr(res, "lifecycle_state", "") if res is not None else ""


def wait_op(qtbot, window, title_part: str, detail: str | None = None, timeout: int = 20_000):
    """The last activity operation whose title holds `title_part`, once it ended: it must have SUCCEEDED (and
    ended with `detail`, when given)."""
    from ociconsole.core.operations import OpState
    qtbot.waitUntil(lambda: any(title_part in o.title for o in window.oplog.operations), timeout=5000)
    op = [o for o in window.oplog.operations if title_part in o.title][-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=timeout)
    assert op.state is OpState.SUCCEEDED, (op.title, op.detail, op.error)
    if detail is not None:
        assert op.detail == detail, (op.title, op.detail)
    return op


def shot(widget, name: str) -> None:
    """Render `widget` (a paint that raises fails the test); with OCICONSOLE_SHOTS=<dir>, save it there as
    <name>.png, to look at what a test drove."""
    QApplication.processEvents()
    picture = widget.grab()
    where = os.environ.get("OCICONSOLE_SHOTS")
    if where:
        os.makedirs(where, exist_ok=True)
        picture.save(os.path.join(where, f"{name}.png"))


def settled(emu, read, state: str, seconds: float = 10.0):
    """Move the emulator's clock past a resource's transitions (instead of waiting for them in real time)
    and read it again: it is in `state`. `read` is an SDK call's partial, e.g. lambda: client.get_x(ident)."""
    emu.clock.advance(seconds)
    res = read().data
    assert res.lifecycle_state == state, (res.lifecycle_state, state)
    return res
