"""Chart widgets on their own: the legend names the series under the plot in columns that fit its width (or
gives way when it would take most of the chart's height), every series of a chart has a pen of its own, and
a grid's cells are laid out before its charts are made."""

from __future__ import annotations

import time

import numpy as np


def _series(n: int, points: int = 360):
    t1 = time.time()
    times = np.arange(t1 - points * 60, t1, 60.0)
    return [(f"web-{j:02d}", times, 50 + 30 * np.sin(times / 3000 + j)) for j in range(n)], (times[0], t1)


def _grid(qtbot, columns: int, size):
    from ociconsole.gui.charts import ChartGrid
    grid = ChartGrid(columns=columns)
    qtbot.addWidget(grid)
    grid.resize(*size)
    grid.show()
    qtbot.waitExposed(grid)
    return grid


def test_legend_in_columns_that_fit_and_none_when_it_would_cover_the_plot(qtbot):
    grid = _grid(qtbot, 1, (1100, 300))
    wide_low = grid.add_chart("CPU", "%", (0, 100))
    series, window = _series(12)
    wide_low.set_series(series, window)
    qtbot.waitUntil(lambda: wide_low.legend.isVisible())
    assert wide_low.legend_labels() == [label for label, _t, _v in series]  # all twelve named
    assert wide_low._legend_columns > 1  # side by side under the plot: the data area keeps its height
    assert wide_low.legend.boundingRect().height() < wide_low.plot.getViewBox().height()

    grid4 = _grid(qtbot, 4, (1000, 300))
    grid4.reserve(4)  # four charts side by side
    narrow = grid4.add_chart("CPU", "%", (0, 100))
    narrow.set_series(_series(15)[0], window)
    qtbot.wait(50)
    assert not narrow.legend.isVisible() and narrow.legend_labels() == []  # the read-out names them

    grid1 = _grid(qtbot, 1, (600, 300))
    one = grid1.add_chart("CPU", "%", (0, 100))
    one.set_series(_series(1)[0], window)
    assert not one.legend.isVisible()  # the title says what it is


def test_every_series_of_a_chart_has_a_pen_of_its_own(qtbot):
    grid = _grid(qtbot, 1, (800, 400))
    chart = grid.add_chart("CPU", "%", (0, 100))
    series, window = _series(40)
    chart.set_series(series, window)
    pens = {(c.opts["pen"].color().name(), c.opts["pen"].style()) for c in chart.curves.values()}
    assert len(pens) == 40


def test_reserved_cells_keep_the_layout_while_charts_arrive(qtbot):
    grid = _grid(qtbot, 2, (800, 600))
    grid.reserve(4)
    first = grid.add_chart("a", "%", (0, 100))
    qtbot.wait(20)
    size = first.plot.size()
    for name in "bcd":
        grid.add_chart(name, "%", (0, 100))
    qtbot.wait(20)
    assert first.plot.size().width() == size.width()  # the second column was already there
    assert len(grid.charts) == 4 and not grid._cells



def columns_without_the_curve(grid, chart, series: int = 0) -> list[int]:
    """The pixel columns of `chart`'s data area in which its `series`-th curve's colour is nowhere: a gap a
    person sees in the line (a grid line crossing the curve blends the colours a little)."""
    from ociconsole.gui.charts import PALETTE
    from ociconsole.gui.qt import QColor
    colour = QColor(PALETTE[series])
    image = grid.view.grab().toImage()
    ratio = image.devicePixelRatio()
    rect = grid.view.mapFromScene(chart.plot.getViewBox().sceneBoundingRect()).boundingRect()

    def near(c) -> bool:
        return abs(c.red() - colour.red()) + abs(c.green() - colour.green()) + abs(c.blue() - colour.blue()) < 60
    rows = range(rect.top(), rect.bottom())
    return [x for x in range(rect.left() + 3, rect.right() - 3)
            if not any(near(image.pixelColor(int(x * ratio), int(y * ratio))) for y in rows)]


def test_a_dense_series_keeps_its_spikes(qtbot):
    """A day at 1 minute (1,440 points) in a chart a quarter of a screen wide is drawn as each pixel column's
    minimum and maximum: one minute's spike keeps its height, and the line has no gap."""
    grid = _grid(qtbot, 1, (260, 220))
    chart = grid.add_chart("Memory", "%", (0, 100))
    t1 = time.time()
    times = np.arange(t1 - 1440 * 60, t1, 60.0)
    values = 50 + 8 * np.sin(times / 9000) + np.random.default_rng(7).normal(0, 0.6, len(times))
    values[700] = 90  # one minute's spike
    chart.set_series([("web-01", times, values)], (times[0], times[-1]))
    qtbot.wait(50)
    curve = chart.curves["web-01"]
    assert len(curve.xData) < len(times) and curve.yData.max() == 90  # fewer points, the spike among them
    assert not columns_without_the_curve(grid, chart)


def test_a_chart_made_narrower_is_downsampled_again(qtbot):
    """Drawn for a wide data area, then given a quarter of it (a window made smaller, or a chart drawn before
    the grid's layout gave it its cell): the curve is downsampled again for its new width, no dotted line."""
    grid = _grid(qtbot, 1, (1040, 220))
    chart = grid.add_chart("Memory", "%", (0, 100))
    qtbot.wait(50)
    t1 = time.time()
    times = np.arange(t1 - 1440 * 60, t1, 60.0)
    values = 50 + 8 * np.sin(times / 9000) + np.random.default_rng(7).normal(0, 0.6, len(times))
    chart.set_series([("web-01", times, values)], (times[0], times[-1]))
    wide = len(chart.curves["web-01"].xData)
    grid.resize(260, 220)
    qtbot.waitUntil(lambda: chart.plot.getViewBox().width() < 260)
    qtbot.wait(50)
    assert len(chart.curves["web-01"].xData) < wide / 3
    assert not columns_without_the_curve(grid, chart)


def test_a_smooth_line_has_no_gap_at_any_width(qtbot):
    """A day at 1 minute of a slowly changing value (memory) at widths where a whole number of minutes per pixel
    column does not fit: buckets are at least a pixel wide, so no flat segment is shorter than a pixel (Qt draws
    such a segment of a 1 px pen as nothing: a dashboard's memory chart had a one-column gap). Rounding the
    bucket down instead left gaps at 4 of these widths (161-185 px data areas), and the last minutes, fewer than a
    bucket, were not drawn."""
    grid = _grid(qtbot, 1, (237, 200))
    chart = grid.add_chart("Memory", "%", (0, 100))
    t1 = 1796659740.0
    times = np.arange(t1 - 1440 * 60 + 60, t1 + 60, 60.0)
    values = 45 + 4 * np.sin(times / 7000) + np.random.default_rng(3).normal(0, 0.3, len(times))
    values[-1] = 90  # the latest minute: drawn, though it does not fill a bucket
    gaps = {}
    for width in range(235, 262, 2):
        grid.resize(width, 200)
        qtbot.waitUntil(lambda w=width: grid.width() == w)
        qtbot.wait(10)
        chart.set_series([("web-01", times, values)], (times[0], times[-1] + 60))
        qtbot.wait(10)
        missing = columns_without_the_curve(grid, chart)
        if missing:
            gaps[chart.plot.getViewBox().width()] = missing
        assert chart.curves["web-01"].yData.max() == 90
    assert not gaps
