"""Issue 18, the layout a newcomer saw move under them: panes that change size when a dashboard is opened
or a row is selected, a window that grows for good, a list with a horizontal scroll bar for three columns,
chart legends drawn over the curves. Each test looks at what a person sees: pane widths, the window's
width, the scroll bar, where the legend is drawn.

Set LAYOUT_PNG_TAG (e.g. "after") to save what the window looked like: /tmp/layout-<A|B|C>-<tag>.png.
"""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

from ociconsole.gui.main_window import MainWindow

from .helpers import click_index, find_child, open_tree_path, shot


def snap(widget, item: str) -> None:
    tag = os.environ.get("LAYOUT_PNG_TAG")
    if tag:
        shot(widget, f"layout-{item}-{tag}")


@pytest.fixture
def window(qtbot, aloop, session):
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1400, 860)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=15_000):
        w.set_session(session, "demo")
    qtbot.wait(50)  # the restored layout settles
    yield w
    w.close()


def show_instance(qtbot, window, row: int = 0) -> None:
    """Production > Web > Frontend > Compute > Instances, and a click on a row: its details show."""
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Compute", "Instances")
    qtbot.waitUntil(lambda: window.resources.model.rowCount() >= 2, timeout=10_000)
    qtbot.wait(50)
    view = window.resources
    name = view.proxy.index(row, 0).data()
    click_index(qtbot, view.table, view.proxy.index(row, 0))
    qtbot.waitUntil(lambda: window.detail.name.text() == name, timeout=5000)
    qtbot.wait(50)  # layout requests are processed


def test_dashboards_leave_the_window_and_the_panes_as_they_were(qtbot, window):
    show_instance(qtbot, window)  # the details pane shows an instance: its name and OCID
    width, sizes = window.width(), window.splitter.sizes()
    window.monitoring.dashboards_action.trigger()  # Monitoring > Dashboards… (Ctrl+Shift+D)
    view = window.centre.currentWidget()
    qtbot.waitUntil(lambda: view.isVisible(), timeout=5000)
    qtbot.wait(100)
    snap(window, "A-dashboard")
    assert window.width() == width  # the window does not grow to make room for the dashboard
    assert window.splitter.sizes()[0] == sizes[0]  # the tree keeps its width
    assert window.splitter.sizes()[2] == 0  # a wide view: the details pane makes room
    # leave the dashboards: the person picks another node of the tree
    model = window.tree_model
    compute = window.tree.currentIndex().parent()
    boot_volumes = find_child(model, compute, "Boot volumes")
    click_index(qtbot, window.tree, boot_volumes)
    qtbot.waitUntil(lambda: window.centre.currentWidget() is window.resources, timeout=5000)
    qtbot.wait(100)
    snap(window, "A")
    assert window.width() == width  # not widened for good
    assert window.splitter.sizes() == sizes  # tree, list and details as they were
    # and once more: a dashboard shown a second time does not move them either
    window.monitoring.dashboards_action.trigger()
    qtbot.wait(50)
    click_index(qtbot, window.tree, find_child(model, compute, "Instances"))
    qtbot.waitUntil(lambda: window.centre.currentWidget() is window.resources, timeout=5000)
    qtbot.wait(100)
    assert (window.width(), window.splitter.sizes()) == (width, sizes)


def content_width(table, column: int) -> int:
    return max(table.horizontalHeader().sectionSizeHint(column), table.sizeHintForColumn(column))


def test_selecting_a_row_moves_no_pane_and_the_columns_fit_their_content(qtbot, window):
    window.resize(1600, 860)
    qtbot.wait(50)
    window.splitter.setSizes([230, 1000, 370])  # a list wide enough for the instances' columns
    qtbot.wait(50)
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Compute", "Instances")
    qtbot.waitUntil(lambda: window.resources.model.rowCount() >= 2, timeout=10_000)
    qtbot.wait(100)
    snap(window, "B-list")
    table = window.resources.table
    columns = window.resources.model.columnCount()
    widths = [table.columnWidth(c) for c in range(columns)]
    wanted = [content_width(table, c) for c in range(columns)]
    assert sum(wanted) <= table.viewport().width()  # the content fits the pane here...
    assert not table.horizontalScrollBar().isVisible()  # ...so there is nothing to scroll to
    assert all(w >= want for w, want in zip(widths, wanted, strict=True))  # no column cuts its title or values
    assert all(w <= want + 2 for w, want in zip(widths[:-1], wanted[:-1], strict=True))  # nor is wider than them
    assert sum(widths) == table.viewport().width()  # the last column takes the rest
    sizes, width = window.splitter.sizes(), window.width()
    for row in (0, 1, 0):  # selecting rows (an instance's OCID in the details) moves no pane
        name = window.resources.proxy.index(row, 0).data()
        click_index(qtbot, table, window.resources.proxy.index(row, 0))
        qtbot.waitUntil(lambda n=name: window.detail.name.text() == n, timeout=5000)
        qtbot.wait(50)
        snap(window, "B")
        assert (window.splitter.sizes(), window.width()) == (sizes, width)
    # the details pane's own text elides or wraps within the pane, it does not ask for more room
    detail = window.detail
    assert detail.minimumSizeHint().width() < sizes[2]
    ocid = detail.resource.id
    assert ocid in detail.subtitle.text() and detail.subtitle.toolTip() == detail.subtitle.text()


def test_the_legend_is_drawn_beside_the_curves_not_over_them(qtbot):
    from ociconsole.gui.charts import ChartGrid
    grid = ChartGrid(columns=2)  # as a dashboard shows them: two charts a row, two rows
    qtbot.addWidget(grid)
    grid.resize(930, 560)
    grid.show()
    qtbot.waitExposed(grid)
    grid.reserve(4)
    t1 = time.time()
    times = np.arange(t1 - 360 * 60, t1, 60.0)
    series = [(f"web-{j:02d}", times, 50 + 45 * np.sin(times / 3000 + j)) for j in range(12)]
    charts = [grid.add_chart(name, "%", (0, 100)) for name in ("CPU", "Memory", "Disk", "Network")]
    for chart in charts:
        chart.set_series(series, (times[0], t1))
    qtbot.waitUntil(lambda: all(c.legend.isVisible() for c in charts), timeout=2000)
    qtbot.wait(50)
    snap(grid, "C")
    for chart in charts:
        assert chart.legend_labels() == [label for label, _t, _v in series]  # every series named
        data_area = chart.plot.getViewBox().sceneBoundingRect()
        legend = chart.legend.sceneBoundingRect()
        assert legend.height() > 0 and not legend.intersects(data_area)  # nothing of the data is covered
        assert chart.plot.sceneBoundingRect().contains(legend)  # within its chart
        for _sample, label in chart.legend.items:  # and every entry within the legend's room: readable
            assert legend.adjusted(-1, -1, 1, 1).contains(label.sceneBoundingRect()), label.text
        assert data_area.height() > chart.plot.sceneBoundingRect().height() / 2  # the curves keep most room
