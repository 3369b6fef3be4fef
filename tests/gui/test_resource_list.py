"""The resource list's header: the item count follows the rows (a create adds one at once), and a long
title is elided with "…" and kept whole in its tooltip."""

from __future__ import annotations

import pytest

from ociconsole.gui import settings
from ociconsole.gui.form_dialog import CreateDialog
from ociconsole.gui.main_window import MainWindow
from ociconsole.gui.qt import QFontMetrics
from ociconsole.gui.resource_view import ElidedLabel

from .helpers import click, open_tree_path, retype, table_rows, top_level


@pytest.fixture
def window(qtbot, aloop, session):
    settings.set("table/refresh_seconds", 600)  # no self-refresh: only the create itself may update the list
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1400, 800)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=15_000):
        w.set_session(session, "demo")
    yield w
    w.close()


def test_item_count_follows_a_create_through_the_dialog(qtbot, window):
    view = window.resources
    open_tree_path(qtbot, window, "Staging", "Networking", "VCNs")
    qtbot.waitUntil(lambda: "staging-vcn" in table_rows(view), timeout=10_000)
    n = view.model.rowCount()
    qtbot.waitUntil(lambda: view.count.text() != "", timeout=5000)
    assert view.count.text() == f"{n} item{'s' if n != 1 else ''}"

    window.create_action.trigger()
    qtbot.waitUntil(lambda: top_level(CreateDialog) is not None, timeout=5000)
    dlg = top_level(CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("display_name").editor, "count-vcn")
    retype(qtbot, dlg.row("cidr_block").editor, "10.41.0.0/16")
    retype(qtbot, dlg.row("dns_label").editor, "countvcn")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=2000)
    click(qtbot, dlg.review_button)
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: "count-vcn" in table_rows(view), timeout=10_000)
    assert view.model.rowCount() == n + 1
    assert view.count.text() == f"{n + 1} items"
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
    assert op.state.value == "Succeeded", op.error
    assert view.count.text() == f"{view.model.rowCount()} items" == f"{n + 1} items"


def test_count_is_blank_while_a_new_list_loads(qtbot, window):
    view = window.resources
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Compute", "Instances")
    qtbot.waitUntil(lambda: view.count.text() == "2 items", timeout=10_000)
    open_tree_path(qtbot, window, "Staging", "Networking", "VCNs")
    assert view.count.text() in ("", f"{view.model.rowCount()} items")  # never the old list's count
    qtbot.waitUntil(lambda: "staging-vcn" in table_rows(view), timeout=10_000)
    assert view.count.text() == f"{view.model.rowCount()} item{'s' if view.model.rowCount() != 1 else ''}"


def test_long_list_title_is_elided_with_an_ellipsis_and_whole_in_the_tooltip(qtbot, window):
    view = window.resources
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Compute", "Instances")
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)
    full = "Instances in Frontend"
    assert view.title.text() == full and view.title.toolTip() == full
    assert view.title.elided_text() == full  # wide enough: whole

    # narrow the centre (splitter) until the title no longer fits, as a person dragging the handles does
    need = QFontMetrics(view.title.font()).horizontalAdvance(full)
    sizes = window.splitter.sizes()
    total = sum(sizes)
    centre = sizes[1]
    while view.title.contentsRect().width() >= need - 20 and centre > 50:
        centre -= 10
        window.splitter.setSizes([(total - centre) // 2, centre, total - centre - (total - centre) // 2])
        qtbot.wait(1)
    assert 0 < view.title.contentsRect().width() < need
    shown = view.title.elided_text()
    assert shown != full and shown.endswith("…"), shown
    assert full.startswith(shown[:-1])
    assert QFontMetrics(view.title.font()).horizontalAdvance(shown) <= view.title.contentsRect().width()
    assert view.title.toolTip() == full and view.title.text() == full


def test_elided_label_alone(qtbot):
    label = ElidedLabel("Instances in Frontend-and-a-very-long-compartment-name")
    qtbot.addWidget(label)
    label.resize(80, 30)
    label.show()
    assert label.elided_text().endswith("…")
    assert label.toolTip() == label.text() == "Instances in Frontend-and-a-very-long-compartment-name"
    label.setText("Short")
    label.resize(400, 30)
    assert label.elided_text() == "Short" and label.toolTip() == "Short"
    assert label.minimumSizeHint().width() < 40  # a long title does not widen the layout
    img = label.grab()  # paints
    assert not img.isNull()


def test_a_resource_made_while_the_list_loads_is_not_lost(qtbot, window, gui_emulator, monkeypatch):
    """A list answered before a create ended comes back without it: the row the create's tracking added
    stays (the late list used to replace the rows and drop it)."""
    import asyncio

    import oci
    view = window.resources
    open_tree_path(qtbot, window, "Staging", "Networking", "VCNs")
    qtbot.waitUntil(lambda: "staging-vcn" in table_rows(view), timeout=10_000)
    vn = oci.core.VirtualNetworkClient(gui_emulator.client_config(), service_endpoint=gui_emulator.endpoint("core"))
    real = view.kind.list
    answered = []

    async def slow_to_arrive(session, comp):  # the emulator answers now; the answer reaches the view later
        rows = await real(session, comp)
        answered.append(len(rows))
        await asyncio.sleep(0.6)
        return rows

    monkeypatch.setattr(view.kind, "list", slow_to_arrive)
    view.reload()
    qtbot.waitUntil(lambda: bool(answered), timeout=5000)  # the list is answered (without the new VCN)...
    made = vn.create_vcn(oci.core.models.CreateVcnDetails(
        compartment_id=view.compartment.id, cidr_block="10.88.0.0/16", display_name="made-meanwhile")).data
    view.resource_changed(view.kind, made)  # ...when the create's tracking reports the new VCN
    assert "made-meanwhile" in table_rows(view)
    qtbot.waitUntil(lambda: not view._tasks.running("load"), timeout=10_000)
    assert "made-meanwhile" in table_rows(view) and "staging-vcn" in table_rows(view)


def test_a_list_s_request_goes_out_at_the_click(qtbot, window, session):
    """Once the SDK packages are loaded, the request for a list leaves as the compartment is chosen, before the
    event loop's next turn (it no longer waits for the window's repaint); before, it leaves a turn later."""
    from ociconsole import catalog
    view = window.resources
    qtbot.waitUntil(session.sdk_loaded, timeout=30_000)
    qtbot.waitUntil(lambda: any(c.name == "Frontend" for c, _d in window.tree_model.all_compartments()),
                    timeout=10_000)
    frontend = next(c for c, _d in window.tree_model.all_compartments() if c.name == "Frontend")
    before = session.calls
    assert window.select(frontend.id, "compute.instance")
    assert session.calls == before + 1  # sent, with no event processed since
    qtbot.waitUntil(lambda: view.count.text() == "2 items", timeout=10_000)
    assert view.kind is catalog.kind("compute.instance") and len(table_rows(view)) == 2
