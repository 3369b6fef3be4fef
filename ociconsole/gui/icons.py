"""Icons by name from resources/icons/<name>.svg (the catalog names icons, the GUI loads them)."""

from __future__ import annotations

import importlib.resources
from functools import cache, lru_cache
from pathlib import Path

from .qt import QColor, QIcon, QPainter, QPixmap, Qt

STATE_COLOURS = {
    "good": QColor("#2e8b45"), "busy": QColor("#c98a00"), "bad": QColor("#b83a2e"), "stopped": QColor("#6b6b6b"),
}


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
    return QIcon(str(path))


@cache
def dot(colour: str, size: int = 10) -> QIcon:
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(colour))
    p.drawEllipse(1, 1, size - 2, size - 2)
    p.end()
    return QIcon(pm)


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
