"""Icons by name from resources/icons/<name>.svg (the catalog names icons, the GUI loads them).

Icons are drawn from the SVG at the size and device pixel ratio asked for (crisp at any HiDPI scale), with
the current palette: the greys of a monochrome icon (or of a coloured icon's outlines) are the palette's text
colour blended towards the background as much as the grey was towards white, so a dark grey glyph on light
becomes a light grey glyph on dark; coloured parts and the state dots keep their colours.
"""

from __future__ import annotations

import importlib.resources
import re
from functools import cache, lru_cache
from pathlib import Path

from .qt import QByteArray, QColor, QGuiApplication, QIcon, QImage, QPainter, QPalette, QPixmap, QRect, QSize, Qt
from .qt import QtGui as _QtGui

STATE_COLOURS = {
    "good": QColor("#2e8b45"), "busy": QColor("#c98a00"), "bad": QColor("#b83a2e"), "stopped": QColor("#6b6b6b"),
}
_HEX = re.compile(r'"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})"')


def _grey_level(hex_: str) -> float | None:
    """How dark a grey is (0 white .. 1 black), or None for a colour (or white: kept)."""
    if len(hex_) == 3:
        hex_ = "".join(c * 2 for c in hex_)
    r, g, b = (int(hex_[i:i + 2], 16) for i in (0, 2, 4))
    if max(r, g, b) - min(r, g, b) > 40 or min(r, g, b) >= 0xf0:
        return None
    return 1 - (r + g + b) / 3 / 255


def recolour_svg(svg: str, text: QColor, background: QColor) -> str:
    """The SVG with its greys taken from the palette (see the module's docstring)."""
    def sub(m: re.Match) -> str:
        level = _grey_level(m.group(1))
        if level is None:
            return m.group(0)
        k = min(1.0, level * 1.15)
        c = QColor(round(text.red() * k + background.red() * (1 - k)),
                   round(text.green() * k + background.green() * (1 - k)),
                   round(text.blue() * k + background.blue() * (1 - k)))
        return f'"{c.name()}"'
    return _HEX.sub(sub, svg)


class SvgIconEngine(_QtGui.QIconEngine):
    """Renders one SVG with the current palette at the exact pixel size (size x device pixel ratio)."""

    def __init__(self, path: str, svg: str):
        super().__init__()
        self.path = path
        self.svg = svg
        self._cache: dict[tuple, QPixmap] = {}

    def clone(self):
        return SvgIconEngine(self.path, self.svg)

    def key(self) -> str:
        return "ociconsole-svg"

    def isNull(self) -> bool:
        return False

    def actualSize(self, size: QSize, mode, state) -> QSize:
        s = min(size.width(), size.height())
        return QSize(s, s)

    def _image(self, px: int, mode) -> QImage:
        from PySide6.QtSvg import QSvgRenderer
        pal = QGuiApplication.palette()
        group = QPalette.ColorGroup.Active
        text = pal.color(group, QPalette.ColorRole.WindowText)
        bg = pal.color(group, QPalette.ColorRole.Window)
        img = QImage(px, px, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(Qt.GlobalColor.transparent)
        renderer = QSvgRenderer(QByteArray(recolour_svg(self.svg, text, bg).encode()))
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if mode == QIcon.Mode.Disabled:
            p.setOpacity(0.4)
        renderer.render(p)
        p.end()
        return img

    def scaledPixmap(self, size: QSize, mode, state, scale: float) -> QPixmap:
        s = max(1, min(size.width(), size.height()))
        px = max(1, round(s * scale))
        pal = QGuiApplication.palette()
        k = (px, mode, pal.color(QPalette.ColorRole.WindowText).rgba(), pal.color(QPalette.ColorRole.Window).rgba())
        pm = self._cache.get(k)
        if pm is None:
            if len(self._cache) > 64:
                self._cache.clear()
            pm = self._cache[k] = QPixmap.fromImage(self._image(px, mode))
        out = QPixmap(pm)
        out.setDevicePixelRatio(scale)
        return out

    def pixmap(self, size: QSize, mode, state) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def paint(self, painter: QPainter, rect: QRect, mode, state) -> None:
        scale = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        pm = self.scaledPixmap(rect.size(), mode, state, scale)
        painter.drawPixmap(rect, pm)

    def availableSizes(self, mode=QIcon.Mode.Normal, state=QIcon.State.Off):
        return [QSize(16, 16), QSize(24, 24), QSize(32, 32), QSize(48, 48)]


@lru_cache(maxsize=1)
def resources_dir():
    """resources/ — installed as the package ociconsole.resources, or the source tree's top level."""
    try:
        return importlib.resources.files("ociconsole.resources")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "resources"


@cache
def icon(name: str | None) -> QIcon:
    if not name:
        return QIcon()
    path = resources_dir().joinpath(f"icons/{name}.svg")
    if not path.is_file():
        return QIcon()
    return QIcon(SvgIconEngine(str(path), path.read_text(encoding="utf-8")))


@cache
def dot(colour: str, size: int = 10) -> QIcon:
    """A state dot in its own colour (the same in light and dark), drawn for 1x, 2x and 3x screens."""
    out = QIcon()
    for scale in (1, 2, 3):
        pm = QPixmap(size * scale, size * scale)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(colour))
        p.drawEllipse(scale, scale, (size - 2) * scale, (size - 2) * scale)
        p.end()
        pm.setDevicePixelRatio(scale)
        out.addPixmap(pm)
    return out


def state_tone(state: str | None) -> str:
    from ..catalog.model import BAD, GOOD, STOPPED, TRANSITIONAL
    s = (state or "").upper()
    if s in GOOD:
        return "good"
    if s in TRANSITIONAL:
        return "busy"
    if s in BAD:
        return "bad"
    if s in STOPPED:
        return "stopped"
    return "stopped"


def state_colour(state: str | None) -> QColor:
    return STATE_COLOURS[state_tone(state)]
