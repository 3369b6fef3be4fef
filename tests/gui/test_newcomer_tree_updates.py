"""Issue 18, item 4: the compartment tree follows what is done in the console (a compartment created
through the Identity create dialog appears under its parent, a deleted one leaves) and F5 on a tree
node asks again for its child compartments (one created elsewhere shows up)."""

from __future__ import annotations

import oci

from ociconsole.core.operations import OpState
from ociconsole.gui.qt import Qt

from .helpers import click, click_index, find_child, open_tree_path, retype, shot, table_rows, top_level


def children_of(window, index) -> list[str]:
    m = window.tree_model
    return [m.index(r, 0, index).data() for r in range(m.rowCount(index))
            if m.index(r, 0, index).data(Qt.ItemDataRole.UserRole + 1).type == "compartment"]


def test_created_compartment_appears_and_deleted_one_leaves(qtbot, window):
    from ociconsole.gui.confirm import ConfirmDialog
    from ociconsole.gui.form_dialog import CreateDialog
    dev = open_tree_path(qtbot, window, "Development")
    window.tree.expand(dev)
    assert "Sandbox-Newcomer" not in children_of(window, dev)
    assert window.create_action.isEnabled()
    qtbot.keyClick(window.tree, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: top_level(CreateDialog) is not None, timeout=5000)
    dlg = top_level(CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("name").editor, "Sandbox-Newcomer")
    retype(qtbot, dlg.row("description").editor, "made in the console")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED, op.error
    # under its parent, without F5
    qtbot.waitUntil(lambda: "Sandbox-Newcomer" in children_of(window, dev), timeout=5000)
    shot(window, "newcomer-4")

    # delete it from the list of Development's compartments: it leaves the tree
    click_index(qtbot, window.tree, dev)
    qtbot.waitUntil(lambda: "Sandbox-Newcomer" in table_rows(window.resources), timeout=10_000)
    row = table_rows(window.resources).index("Sandbox-Newcomer")
    click_index(qtbot, window.resources.table, window.resources.proxy.index(row, 0))
    qtbot.waitUntil(lambda: window.detail.name.text() == "Sandbox-Newcomer", timeout=5000)
    action = next(a for a in window._kind_actions if a.text() == "Delete")
    action.trigger()
    qtbot.waitUntil(lambda: top_level(ConfirmDialog) is not None, timeout=5000)
    conf = top_level(ConfirmDialog)
    if conf.input is not None:
        qtbot.keyClicks(conf.input, "Sandbox-Newcomer")
    click(qtbot, conf.ok_button)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED, op.error
    qtbot.waitUntil(lambda: "Sandbox-Newcomer" not in children_of(window, dev), timeout=5000)


def test_f5_on_a_tree_node_reloads_its_children(qtbot, window, gui_emulator):
    dev = open_tree_path(qtbot, window, "Development")
    window.tree.expand(dev)
    before = children_of(window, dev)
    ident = oci.identity.IdentityClient(gui_emulator.client_config(),
                                        service_endpoint=gui_emulator.endpoint("identity"))
    dev_id = dev.data(Qt.ItemDataRole.UserRole + 1).compartment_id
    ident.create_compartment(oci.identity.models.CreateCompartmentDetails(
        compartment_id=dev_id, name="Made-Elsewhere", description="by the CLI"))
    qtbot.waitUntil(lambda: True, timeout=100)
    click_index(qtbot, window.tree, dev)
    qtbot.keyClick(window.tree, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "Made-Elsewhere" in children_of(window, dev), timeout=10_000)
    assert set(before) < set(children_of(window, dev))
    assert find_child(window.tree_model, dev, "Made-Elsewhere").isValid()
