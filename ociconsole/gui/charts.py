"""Time-series charts on pyqtgraph, following its own performance advice: one
GraphicsLayoutWidget for many plots, `setData` with numpy arrays, explicit X ranges, no
antialiasing, downsampling and clip-to-view set on each PlotItem. Time axes are in local time.
Charts redraw when data arrives, never on a timer.

pyqtgraph is imported with this module, which the GUI imports only when the first chart
is shown (it costs ~0.4 s).
"""

from __future__ import annotations

import csv
import datetime as _dt
import math
import weakref

import numpy as np
import pyqtgraph as pg

from . import theme
from .qt import QColor, QFont, QFontMetrics, QGraphicsItem, QSizePolicy, Qt, QVBoxLayout, QWidget, Signal


def _configure(_dark: bool = False) -> None:
    """pyqtgraph's defaults for what is made from now on (made charts restyle themselves: follow_scheme)."""
    pg.setConfigOptions(antialias=False, useOpenGL=False, background=theme.colour("chart_bg"),
                        foreground=theme.colour("chart_fg"))


_configure()
theme.notifier().changed.connect(_configure)


def style_plot(plot: pg.PlotItem | None) -> None:
    """Axes, their labels and the title in the current scheme's chart colours (theme.py)."""
    if plot is None:  # a PlotWidget closed (pyqtgraph lets its plot go before the widget is deleted)
        return
    fg = theme.qcolour("chart_fg")
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(fg))
        axis.setTextPen(pg.mkPen(fg))
        if axis.label is not None:
            axis.label.setDefaultTextColor(fg)
        axis.picture = None  # redrawn (with the grid) in the new colours
        axis.update()
    if plot.titleLabel is not None and plot.titleLabel.text:
        plot.titleLabel.setText(plot.titleLabel.text, color=fg)


def follow_scheme(view, restyle) -> None:
    """Re-colour a pyqtgraph view when the scheme changes (and now): `restyle()` after its background."""
    view_ref = weakref.ref(view)  # weakly: the follower must not keep the view (and its scene) alive
    restyle_ref = weakref.WeakMethod(restyle) if hasattr(restyle, "__self__") else (lambda: restyle)

    def apply(_dark: bool = False) -> None:
        v, r = view_ref(), restyle_ref()
        if v is None or r is None:
            return
        v.setBackground(theme.colour("chart_bg"))
        r()
    theme.follow(view, apply)
    apply()

# 20 distinguishable colours (strong, then light, as in Tableau's 20); past 20 series the colours
# come round again dashed, so no two of the first 40 curves look the same
PALETTE = ["#1f6fb2", "#d9822b", "#2e9a4b", "#b83a2e", "#7a5bb5", "#8c6d31", "#d95f8c", "#4d9ba6",
           "#6b6b6b", "#a6a03c", "#7fb2dc", "#f2b36f", "#86c98c", "#e8857c", "#b7a3d9", "#c4a27a",
           "#f0a3c2", "#8fd0da", "#a8a8a8", "#d6d27e"]
LEGEND_ROW_PX = 23  # height of one legend entry (8 pt text beside a 20 px sample)
LEGEND_SAMPLE_PX = 36  # an entry's width besides its text: the 20 px sample, spacing and the label's margins
LEGEND_MAX_SHARE = 0.5  # the legend takes at most this share of a chart's height (else none: the read-out names them)


def series_pen(i: int):
    """The pen of the i-th series of a chart: 1 px (Qt's fast path; wider pens cost ~3x per refresh)."""
    style = Qt.PenStyle.SolidLine if (i // len(PALETTE)) % 2 == 0 else Qt.PenStyle.DashLine
    return pg.mkPen(PALETTE[i % len(PALETTE)], width=1, style=style)


def human(value: float, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "%":
        return f"{value:.1f} %"
    if unit in ("bytes", "B") or unit.startswith("B/"):
        per = unit[1:] if unit.startswith("B/") else ""
        for u in ("B", "kB", "MB", "GB", "TB"):
            if abs(value) < 1000 or u == "TB":
                return (f"{value:.1f} {u}" if u != "B" else f"{value:.0f} B") + per
            value /= 1000
    if abs(value) >= 1e6:
        return f"{value / 1e6:.2f} M{(' ' + unit) if unit else ''}"
    if abs(value) >= 1e3:
        return f"{value / 1e3:.2f} k{(' ' + unit) if unit else ''}"
    return f"{value:.3g}{(' ' + unit) if unit else ''}"


def _peak(t: np.ndarray, v: np.ndarray, width: float, factor: int = 1):
    """Peak downsampling: a series of more points than `factor` times the plot's width in pixels is drawn as
    each bucket's minimum and maximum, at most a bucket per pixel column. Denser, a 1 px line of several segments
    per pixel loses pixels (Qt draws a sub-pixel segment of an aliased pen as nothing: a day at 1 minute in a
    quarter-width chart came out dotted at pyqtgraph's factor of 5); the pixels a column can show are its
    minimum and maximum, and half as many points are drawn. The last points, fewer than a bucket, are a bucket
    of their own (the latest minutes are drawn)."""
    n = len(t)
    # buckets at least a pixel wide (rounded up): narrower ones put two points in some columns, and a flat line's
    # segment shorter than a pixel is drawn as nothing (a day at 1 minute in 183 px: 0.89 px buckets, one gap)
    ds = math.ceil(n / (max(width, 1.0) * factor)) if width > 0 else 1
    if ds < 2 or n < 2 * ds:
        return t, v
    m = -(-n // ds)  # the last bucket may be short
    pad = m * ds - n
    vv = np.concatenate([v, np.full(pad, v[-1])]) if pad else v
    vv = vv.reshape(m, ds)
    tt = np.repeat(t[::ds], 2)
    out = np.empty((m, 2), dtype=np.float64)
    out[:, 0] = vv.min(axis=1)
    out[:, 1] = vv.max(axis=1)
    return tt, out.reshape(m * 2)


def _label_axis(left, unit: str) -> None:
    if unit in ("bytes", "B") or unit.startswith("B/"):
        left.setLabel(units="B" if unit == "bytes" else unit)  # kB, MB, GB... chosen by the axis
    elif unit and unit != "%":
        left.setLabel(units=unit)
    else:
        left.setLabel(text=unit or None)


class Chart:
    """One plot in a ChartGrid: its series, threshold, crosshair and read-out."""

    def __init__(self, plot: pg.PlotItem, title: str, unit: str = "", y_range=None, legend_limit: int = 40):
        self.plot = plot
        self.title = title
        self.unit = unit
        # the legend names the series (2..legend_limit of them) under the time axis, in as many columns as
        # the plot's width holds, unless it would take most of the chart's height (the crosshair read-out
        # names them anyway). Entries are made only then: one costs more than its curve (15 series: 17 of 35 ms)
        self.legend_limit = legend_limit
        self._legend_labels: list[str] = []
        self._legend_columns = 1
        self._legend_height = 0
        self._text_px: dict[str, int] = {}
        self.curves: dict[str, pg.PlotCurveItem] = {}
        self.data: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.threshold: pg.InfiniteLine | None = None
        plot.setTitle(title, size="10pt")
        plot.showGrid(x=True, y=True, alpha=0.15)
        # axes (with their grid) and titles change only with the ranges: keep them as pixmaps
        # instead of replaying their drawing on every refresh (~5x faster refreshes)
        for item in (plot.getAxis("left"), plot.getAxis("bottom"), plot.titleLabel):
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        plot.setClipToView(True)
        plot.setDownsampling(auto=True, mode="peak")
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.getViewBox().setMouseEnabled(x=False, y=False)
        self.y_range = None
        self._apply_y_range(y_range)
        # a row of the plot's own layout under the time axis, not a box over the curves: the layout takes its
        # height from the data area, so it never covers a point. A fixed size: pyqtgraph's own sizing would
        # move it to the plot's corner; the plot's layout places it and _update_legend sets its height
        self.legend = pg.LegendItem(size=(0, 0), labelTextSize="8pt", frame=False, verSpacing=0)
        self.legend.layout.setContentsMargins(0, 0, 0, 0)
        self.legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.legend.setMinimumWidth(0)
        self.legend.setPreferredWidth(0)
        self.legend.setFixedHeight(0)
        self.legend.setVisible(False)
        plot.layout.addItem(self.legend, 4, 1)
        plot.getViewBox().sigResized.connect(self._update_legend)
        plot.getViewBox().sigResized.connect(self._repeak)
        self._peak_width = 0.0  # the data area's width the curves were downsampled for
        self.vline = pg.InfiniteLine(angle=90, movable=False)
        self.vline.setVisible(False)
        plot.addItem(self.vline, ignoreBounds=True)
        self.readout = pg.TextItem(anchor=(0, 0))
        self.readout.setVisible(False)
        self.readout.setZValue(1000)
        plot.addItem(self.readout, ignoreBounds=True)
        self.empty = pg.TextItem("", anchor=(0.5, 0.5))
        plot.addItem(self.empty, ignoreBounds=True)
        self.restyle()

    def restyle(self) -> None:
        """The chart's own colours from the current scheme (theme.py): axes, title, legend, read-out."""
        style_plot(self.plot)
        fg = theme.qcolour("chart_fg")
        self.vline.setPen(pg.mkPen(theme.colour("chart_grid"), width=1, style=Qt.PenStyle.DashLine))
        self.readout.fill = pg.mkBrush(theme.qcolour("chart_readout_bg"))
        self.readout.border = pg.mkPen(theme.colour("chart_readout_border"))
        self.readout.setColor(theme.qcolour("chart_readout_fg"))
        self.empty.setColor(theme.qcolour("chart_empty"))
        self.legend.setLabelTextColor(fg)
        for _sample, label in self.legend.items:
            label.setText(label.text, color=fg)
        if self.threshold is not None:
            self.threshold.setPen(pg.mkPen(theme.colour("bad"), width=1, style=Qt.PenStyle.DashLine))

    def set_series(self, series: list[tuple[str, np.ndarray, np.ndarray]], x_range: tuple[float, float],
                   empty_text: str = "No data in this period") -> None:
        """Replace the chart's curves with (label, times, values) triples; same labels reuse their curve."""
        wanted = {label for label, _t, _v in series}
        for label in list(self.curves):
            if label not in wanted:
                self.plot.removeItem(self.curves.pop(label))
                self.data.pop(label, None)
        width = self._peak_width = self.plot.getViewBox().width()
        for label, t, v in series:
            curve = self.curves.get(label)
            if curve is None:
                # a bare curve, not a PlotDataItem (a curve and a scatter plot, 4x the cost to make: 15 series
                # took 24 ms): the X range is the data's, so clip-to-view has nothing to clip, and the peak
                # downsampling is done here
                curve = pg.PlotCurveItem(pen=series_pen(len(self.curves)), skipFiniteCheck=True)
                self.plot.addItem(curve)
                self.curves[label] = curve
            curve.setData(*_peak(t, v, width), skipFiniteCheck=True)
            self.data[label] = (t, v)
        self.plot.setXRange(*x_range, padding=0)
        self._update_legend()
        has_points = any(len(t) for t, _v in self.data.values())
        self.empty.setText("" if has_points else empty_text)
        if not has_points:
            y0, y1 = self.plot.getViewBox().viewRange()[1]
            self.empty.setPos((x_range[0] + x_range[1]) / 2, (y0 + y1) / 2)

    def _repeak(self, *_resized) -> None:
        """Downsample the curves again for the data area's new width: drawn for a wider area than they get (a
        chart drawn before the grid's layout gave it its cell), a line has more points than pixel columns and
        comes out dotted."""
        width = self.plot.getViewBox().width()
        if int(width) == int(self._peak_width) or not self.data:
            return
        self._peak_width = width
        for label, (t, v) in self.data.items():
            self.curves[label].setData(*_peak(t, v, width), skipFiniteCheck=True)

    def _apply_y_range(self, y_range) -> None:
        self.y_range = y_range
        vb = self.plot.getViewBox()
        if y_range is not None:
            self.plot.setYRange(*y_range, padding=0.02)
            vb.enableAutoRange(axis="y", enable=False)
        else:
            vb.enableAutoRange(axis="y", enable=True)

    def set_scale(self, unit: str, y_range=None) -> None:
        """Another unit and Y range (e.g. a count or a rate of a percentage: no fixed 0-100 scale)."""
        if (unit, y_range) == (self.unit, self.y_range):
            return
        self.unit = unit
        _label_axis(self.plot.getAxis("left"), unit)
        self._apply_y_range(y_range)

    @staticmethod
    def _short(label: str) -> str:
        return label if len(label) <= 28 else label[:27] + "…"

    def _label_px(self, label: str) -> int:
        px = self._text_px.get(label)
        if px is None:
            if not Chart._metrics:
                font = QFont()
                font.setPointSizeF(8)
                Chart._metrics.append(QFontMetrics(font))
            px = self._text_px[label] = Chart._metrics[0].horizontalAdvance(self._short(label))
        return px

    _metrics: list = []  # the legend's font metrics (8 pt), made once

    def _update_legend(self, *_resized) -> None:
        """One series: the title says what it is. Several: a legend under the time axis, in as many columns
        as the plot's width holds; none when it would take more than LEGEND_MAX_SHARE of the chart's height
        (the data area's and the legend's). Rebuilt only on change."""
        labels = list(self.curves) if 1 < len(self.curves) <= self.legend_limit else []
        columns = 1
        if labels:
            vb = self.plot.getViewBox()
            width, height = vb.width(), vb.height() + self._legend_height  # the room they share
            if width > 0 and vb.height() > 0:  # laid out (else: decided again when it is)
                col_px = LEGEND_SAMPLE_PX + max(self._label_px(label) for label in labels)
                columns = max(1, min(len(labels), int(width // col_px)))
                rows = -(-len(labels) // columns)
                if rows * LEGEND_ROW_PX > LEGEND_MAX_SHARE * height:
                    labels, columns = [], 1
        if labels != self._legend_labels or columns != self._legend_columns:
            self.legend.clear()
            self.legend.setColumnCount(columns)
            for label in labels:
                self.legend.addItem(self.curves[label], self._short(label))
            self._legend_labels, self._legend_columns = labels, columns
            self._legend_height = -(-len(labels) // columns) * LEGEND_ROW_PX if labels else 0
            self.legend.setFixedHeight(self._legend_height)  # the data area gives (or takes back) the room
        self.legend.setVisible(bool(labels))

    def legend_labels(self) -> list[str]:
        """The series named in the visible legend box."""
        return list(self._legend_labels) if self.legend.isVisible() else []

    def set_threshold(self, value: float | None) -> None:
        if value is None:
            if self.threshold is not None:
                self.plot.removeItem(self.threshold)
                self.threshold = None
            return
        if self.threshold is None:
            self.threshold = pg.InfiniteLine(angle=0, movable=False, pen=pg.mkPen(theme.colour("bad"), width=1,
                                                                                   style=Qt.PenStyle.DashLine))
            self.plot.addItem(self.threshold)
        self.threshold.setValue(value)

    def point_at(self, x: float) -> list[tuple[str, float, float]]:
        """The nearest point of every series to time x: (label, time, value)."""
        out = []
        for label, (t, v) in self.data.items():
            if len(t) == 0:
                continue
            i = int(np.clip(np.searchsorted(t, x), 0, len(t) - 1))
            if i > 0 and abs(t[i - 1] - x) < abs(t[i] - x):
                i -= 1
            out.append((label, float(t[i]), float(v[i])))
        return out

    def show_crosshair(self, x: float | None) -> str:
        if x is None:
            self.vline.setVisible(False)
            self.readout.setVisible(False)
            return ""
        pts = self.point_at(x)
        if not pts:
            self.vline.setVisible(False)
            self.readout.setVisible(False)
            return ""
        t = pts[0][1]
        when = _dt.datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M")
        text = when + "".join(f"\n{label}: {human(val, self.unit)}" for label, _t, val in pts)
        self.vline.setPos(t)
        self.vline.setVisible(True)
        (x0, x1), (y0, y1) = self.plot.getViewBox().viewRange()
        self.readout.setText(text)
        self.readout.setPos(t if t < (x0 + x1) / 2 else t - (x1 - x0) * 0.28, y1)
        self.readout.setVisible(True)
        return text


class ChartGrid(QWidget):
    """Many charts in one GraphicsLayoutWidget, laid out in `columns` columns."""

    hovered = Signal(str)  # the read-out text under the mouse

    def __init__(self, columns: int = 2, parent=None):
        super().__init__(parent)
        self.columns = columns
        self.view = pg.GraphicsLayoutWidget()
        self.view.ci.setSpacing(6)
        self.charts: list[Chart] = []
        self._cells: list = []  # empty cells reserved for charts not made yet (reserve())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.view)
        self.view.scene().sigMouseMoved.connect(self._mouse_moved)
        follow_scheme(self.view, self._restyle)

    def _restyle(self) -> None:
        for chart in getattr(self, "charts", []):
            chart.restyle()

    def clear(self) -> None:
        self.view.clear()
        self.charts = []
        self._cells = []

    def reserve(self, count: int) -> None:
        """Lay out empty cells for `count` charts now, so that charts added one at a time afterwards
        (each costs ~10 ms to make) take their final size at once: those already drawn neither move
        nor repaint while the others arrive."""
        for n in range(len(self.charts) + len(self._cells), count):
            cell = pg.GraphicsWidget()
            self._same_cell(cell)
            self.view.addItem(cell, row=n // self.columns, col=n % self.columns)
            self._cells.append(cell)
        lay = self.view.ci.layout
        for c in range(min(self.columns, max(1, count))):
            lay.setColumnStretchFactor(c, 1)
        for r in range(-(-count // max(1, self.columns))):
            lay.setRowStretchFactor(r, 1)

    @staticmethod
    def _same_cell(item) -> None:
        """Every cell asks for the same size, so the layout shares the room equally whatever is in it
        (a plot's own size hints depend on its axes' labels)."""
        item.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        item.setMinimumSize(120, 90)
        item.setPreferredSize(120, 90)

    def _drop_cell(self, cell) -> None:
        """Take a reserved (empty) cell out for the chart made in its place. pyqtgraph's removeItem ends with an
        update of the whole layout: every chart drawn so far was painted again for each chart made (15-30 ms a
        time); the chart that takes the cell paints its own area."""
        ci = self.view.ci
        ci.update = lambda *_a: None  # shadows the method for this one call
        try:
            ci.removeItem(cell)
        finally:
            del ci.update

    def add_chart(self, title: str, unit: str = "", y_range=None, legend_limit: int = 40) -> Chart:
        return self.place(self.prepare_chart(title, unit, y_range, legend_limit))

    def prepare_chart(self, title: str, unit: str = "", y_range=None, legend_limit: int = 40) -> Chart:
        """A chart made but not yet in the grid (`place` puts it there). Making one costs ~10 ms and its
        first paint as much again: a caller making charts a turn at a time makes one in a turn and places
        it (then painted) in the next, so that the two do not add up in one freeze."""
        axis = pg.DateAxisItem(orientation="bottom")
        # no context menus (charts have their own actions): pyqtgraph builds one per plot otherwise
        plot = pg.PlotItem(axisItems={"bottom": axis}, enableMenu=False)
        self._same_cell(plot)
        plot.getAxis("left").setWidth(56)
        _label_axis(plot.getAxis("left"), unit)
        return Chart(plot, title, unit, y_range, legend_limit)

    def place(self, chart: Chart) -> Chart:
        """Put a chart of `prepare_chart` in the next cell."""
        n = len(self.charts)
        if self._cells:
            self._drop_cell(self._cells.pop(0))
        self.view.addItem(chart.plot, row=n // self.columns, col=n % self.columns)
        self.charts.append(chart)
        return chart

    def _mouse_moved(self, pos) -> None:
        text = ""
        for chart in self.charts:
            vb = chart.plot.getViewBox()
            if chart.plot.sceneBoundingRect().contains(pos):
                x = vb.mapSceneToView(pos).x()
                text = chart.show_crosshair(x)
                for other in self.charts:  # the same moment on every chart
                    if other is not chart:
                        other.show_crosshair(x if other.data else None)
                break
        else:
            for chart in self.charts:
                chart.show_crosshair(None)
        self.hovered.emit(text)

    # ------------------------------------------------------------ export
    def export_png(self, path: str) -> bool:
        return self.view.grab().save(path, "PNG")

    def export_csv(self, path: str) -> int:
        """Every point of every series: chart, series, ISO time (UTC), epoch seconds, value. Returns rows."""
        rows = 0
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["chart", "series", "time_utc", "epoch_seconds", "value", "unit"])
            for chart in self.charts:
                for label, (t, v) in chart.data.items():
                    for ti, vi in zip(t, v, strict=False):
                        w.writerow([chart.title, label,
                                    _dt.datetime.fromtimestamp(ti, tz=_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                    f"{ti:.0f}", repr(float(vi)), chart.unit])
                        rows += 1
        return rows


_ = QColor
