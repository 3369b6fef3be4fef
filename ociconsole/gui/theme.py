"""Light and dark appearance: the one place the GUI's colours come from.

The scheme follows the system (Qt's colour scheme, `QStyleHints.colorScheme()`) unless the View menu's
Appearance override (settings "appearance/scheme": system / light / dark) says otherwise. The Fusion style
is used everywhere so that the palette applies on every platform; the dark palette is built here (some
platforms, and the offscreen one, give none), and `QStyleHints.setColorScheme` passes the override on to the
platform where it can (window decorations).

Everything that draws its own colours (charts, icons, banners, labels) asks `colour(role)` /
`is_dark()` and, when it keeps them, listens to `notifier().changed`.
"""

from __future__ import annotations

import re
import weakref

from .qt import QApplication, QColor, QGuiApplication, QMenu, QObject, QPalette, Qt, QtCore, QtGui, Signal

QActionGroup = QtGui.QActionGroup
QCoreApplication = QtCore.QCoreApplication
QT_TRANSLATE_NOOP = QtCore.QT_TRANSLATE_NOOP

SCHEMES = ("system", "light", "dark")

# role -> (light, dark). Semantic colours used across the GUI; palette-derived ones are computed below
COLOURS: dict[str, tuple[str, str]] = {
    "error": ("#c62828", "#ff8a80"),
    "warning": ("#a15c00", "#ffb74d"),
    "good": ("#2e8b45", "#4cc26b"),
    "busy": ("#c98a00", "#e0a526"),
    "bad": ("#b83a2e", "#ff6b5e"),
    "stopped": ("#6b6b6b", "#9a9a9a"),
    "link": ("#1f5fa8", "#8ab4f8"),
    "production": ("#c42b1c", "#c42b1c"),  # the production frame and banner (white text on it)
    "accent": ("#1f6fb2", "#5aa3e0"),  # a single-series chart (histograms)
    "chart_bg": ("#ffffff", "#1e1f22"),
    "chart_fg": ("#333333", "#d0d0d0"),
    "chart_grid": ("#999999", "#7a7a7a"),
    "chart_readout_bg": ("#ffffffdc", "#2b2d30e6"),
    "chart_readout_fg": ("#222222", "#e6e6e6"),
    "chart_readout_border": ("#bbbbbb", "#555555"),
    "chart_empty": ("#888888", "#999999"),
    "badge": ("#c42b1c", "#c42b1c"),
    "badge_hover": ("#d64545", "#d64545"),
    "destructive": ("#b3261e", "#c62828"),  # a destructive button (white text on it), its hover and border
    "destructive_hover": ("#c9342b", "#d84040"),
    "destructive_border": ("#8c1d17", "#e57373"),
    "connecting": ("#9e9e9e", "#9e9e9e"),  # the status bar's connection dot (same in both: a dot)
    "waiting": ("#d08a00", "#d08a00"),
}

# banners: kind -> (background, border, text) in light and dark
BANNERS: dict[str, tuple[tuple[str, str, str], tuple[str, str, str]]] = {
    "error": (("#fdecea", "#e0a09a", "#8e1b12"), ("#4a1f1f", "#a84a4a", "#ffd9d6")),
    "info": (("#eaf2fb", "#9cbde3", "#17406b"), ("#1f3347", "#4a7ab0", "#d6e8ff")),
    "warning": (("#fff3cd", "#d68a00", "#6b3e00"), ("#5a3a00", "#dfa52a", "#ffe1a6")),
    "good": (("#e8f5e9", "#2e8b45", "#1b5e20"), ("#1e3a24", "#4cc26b", "#c8f0d0")),
}


def ambiguous() -> list[tuple[str, str, str]]:
    """Colours a switch could not tell apart (_restyle swaps by value): (role, other role, colour); keep empty."""
    out = []
    for o, n in ((0, 1), (1, 0)):
        seen: dict[str, tuple[str, str]] = {}
        pairs = [(k, v[o].lower(), v[n].lower()) for k, v in COLOURS.items()]
        pairs += [(f"{k}[{i}]", b[o][i].lower(), b[n][i].lower()) for k, b in BANNERS.items() for i in range(3)]
        for role, old, new in pairs:
            if old in seen and seen[old][1] != new:
                out.append((role, seen[old][0], old))
            seen.setdefault(old, (role, new))
    return out


class _Notifier(QObject):
    changed = Signal(bool)  # dark


_notifier: _Notifier | None = None
_choice = "system"


def notifier() -> _Notifier:
    global _notifier
    if _notifier is None:
        _notifier = _Notifier()
    return _notifier


class _Follower(QObject):
    """A child of the widget that follows the scheme: the connection goes when the widget does."""

    def __init__(self, parent: QObject, fn):
        super().__init__(parent)
        # held weakly: a follower must not keep its widget's Python side alive (pyqtgraph's views own their scene
        # from Python; kept past the widget's deletion, the scene's posted updates meet deleted items)
        self.fn = weakref.WeakMethod(fn) if hasattr(fn, "__self__") else (lambda: fn)
        notifier().changed.connect(self._changed)

    def _changed(self, dark: bool) -> None:
        fn = self.fn()
        if fn is not None:
            fn(dark)


def follow(widget: QObject, fn) -> None:
    """Call fn(dark) whenever the scheme changes, for as long as `widget` lives."""
    _Follower(widget, fn).setObjectName("schemeFollower")


def is_dark(palette: QPalette | None = None) -> bool:
    pal = palette if palette is not None else QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def colour(role: str, palette: QPalette | None = None) -> str:
    light, dark = COLOURS[role]
    return dark if is_dark(palette) else light


def qcolour(role: str, palette: QPalette | None = None) -> QColor:
    c = colour(role, palette)
    if len(c) == 9:  # #rrggbbaa
        q = QColor(c[:7])
        q.setAlpha(int(c[7:], 16))
        return q
    return QColor(c)


def banner(kind: str, palette: QPalette | None = None) -> tuple[str, str, str]:
    light, dark = BANNERS[kind]
    return dark if is_dark(palette) else light


def mix(fg: QColor, bg: QColor, k: float) -> QColor:
    """fg blended towards bg: k=1 is fg, k=0 is bg."""
    return QColor(round(fg.red() * k + bg.red() * (1 - k)), round(fg.green() * k + bg.green() * (1 - k)),
                  round(fg.blue() * k + bg.blue() * (1 - k)))


def dark_palette() -> QPalette:
    R, G = QPalette.ColorRole, QPalette.ColorGroup
    pal = QPalette()
    window, base, alt, text = QColor("#2b2d30"), QColor("#1e1f22"), QColor("#26282b"), QColor("#e6e6e6")
    button, highlight, link = QColor("#3a3c40"), QColor("#2f65ca"), QColor(COLOURS["link"][1])
    for group in (G.Active, G.Inactive):
        pal.setColor(group, R.Window, window)
        pal.setColor(group, R.WindowText, text)
        pal.setColor(group, R.Base, base)
        pal.setColor(group, R.AlternateBase, alt)
        pal.setColor(group, R.ToolTipBase, QColor("#3c3f41"))
        pal.setColor(group, R.ToolTipText, text)
        pal.setColor(group, R.PlaceholderText, QColor("#8c8c8c"))
        pal.setColor(group, R.Text, text)
        pal.setColor(group, R.Button, button)
        pal.setColor(group, R.ButtonText, text)
        pal.setColor(group, R.BrightText, QColor("#ff6b5e"))
        pal.setColor(group, R.Highlight, highlight if group == G.Active else QColor("#3d4a63"))
        pal.setColor(group, R.HighlightedText, QColor("#ffffff"))
        pal.setColor(group, R.Link, link)
        pal.setColor(group, R.LinkVisited, QColor("#c58af9"))
        pal.setColor(group, R.Light, QColor("#4a4d52"))
        pal.setColor(group, R.Midlight, QColor("#3e4145"))
        pal.setColor(group, R.Mid, QColor("#8a8d91"))
        pal.setColor(group, R.Dark, QColor("#18191b"))
        pal.setColor(group, R.Shadow, QColor("#000000"))
    for role, c in ((R.WindowText, "#7f7f7f"), (R.Text, "#7f7f7f"), (R.ButtonText, "#7f7f7f"),
                    (R.Base, "#26282b"), (R.Window, "#2b2d30"), (R.Button, "#323438"),
                    (R.Highlight, "#3d4a63"), (R.HighlightedText, "#bdbdbd"), (R.Link, "#6f8fb8"),
                    (R.PlaceholderText, "#666666"), (R.Mid, "#5a5d61")):
        pal.setColor(G.Disabled, role, QColor(c))
    return pal


def light_palette() -> QPalette:
    style = QApplication.style()
    pal = QPalette(style.standardPalette()) if style is not None else QPalette()
    pal.setColor(QPalette.ColorRole.Link, QColor(COLOURS["link"][0]))
    return pal


def choice() -> str:
    return _choice


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark


def apply(scheme: str | None = None, *, save: bool = False) -> bool:
    """Apply 'system', 'light' or 'dark' (None: the saved choice) to the application; returns dark."""
    global _choice
    from . import settings
    if scheme is None:
        scheme = settings.get("appearance/scheme")
    if scheme not in SCHEMES:
        scheme = "system"
    if save:
        settings.set("appearance/scheme", scheme)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return False
    first = _notifier is None or not getattr(app, "_ociconsole_themed", False)
    if first:
        app.setStyle("Fusion")
        app._ociconsole_themed = True  # type: ignore[attr-defined]
    _choice = scheme
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "setColorScheme"):  # Qt >= 6.8: tell the platform (title bars); Unknown = follow it
        want = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(scheme, Qt.ColorScheme.Unknown)
        if hints.colorScheme() != want or scheme == "system":
            hints.setColorScheme(want)
    if first:
        hints.colorSchemeChanged.connect(_system_changed)
    dark = scheme == "dark" or (scheme == "system" and system_is_dark())
    _set_palette(app, dark, force=first)
    return dark


def _system_changed(_scheme) -> None:
    app = QApplication.instance()
    if _choice == "system" and isinstance(app, QApplication):
        _set_palette(app, system_is_dark())


def help_colour(palette: QPalette | None = None) -> str:
    """Secondary text: the text colour blended towards the background."""
    pal = palette if palette is not None else QGuiApplication.palette()
    return mix(pal.color(QPalette.ColorRole.WindowText), pal.color(QPalette.ColorRole.Window), 0.58).name()


def _set_palette(app: QApplication, dark: bool, force: bool = False) -> None:
    old = QPalette(app.palette())
    was_dark = is_dark(old)
    app.setPalette(dark_palette() if dark else light_palette())
    if was_dark != dark or force:
        _restyle(app, old, app.palette())
        notifier().changed.emit(dark)


def swaps(old: QPalette, new: QPalette) -> dict[str, str]:
    """Each colour of the old scheme (in lower case) -> the same role's colour in the new one."""
    o, n = int(is_dark(old)), int(is_dark(new))
    out: dict[str, str] = {}
    if o == n:
        return out
    for pair in COLOURS.values():
        if pair[o] != pair[n]:
            out.setdefault(pair[o].lower(), pair[n])
    for pair3 in BANNERS.values():
        for a, b in zip(pair3[o], pair3[n], strict=True):
            out.setdefault(a.lower(), b)
    out[help_colour(old).lower()] = help_colour(new)
    return out


_TOKEN = re.compile(r"#[0-9a-fA-F]{8}\b|#[0-9a-fA-F]{6}\b")


def restyle_sheet(sheet: str, table: dict[str, str]) -> str:
    return _TOKEN.sub(lambda m: table.get(m.group(0).lower(), m.group(0)), sheet)


def _restyle(app: QApplication, old: QPalette, new: QPalette) -> None:
    """Style sheets made with the old scheme's colours (help, error, warning and banner labels: widgets.py
    and every view using its helpers) take the new scheme's, so a switch needs no restart."""
    table = swaps(old, new)
    if not table:
        return
    for w in app.allWidgets():
        sheet = w.styleSheet()
        if sheet and "#" in sheet:
            new_sheet = restyle_sheet(sheet, table)
            if new_sheet != sheet:
                w.setStyleSheet(new_sheet)


def appearance_menu(parent) -> QMenu:
    """View > Appearance: System / Light / Dark, checked as saved; choosing one applies and keeps it."""
    from . import settings
    menu = parent.addMenu(QCoreApplication.translate("MainWindow", "&Appearance"))
    menu.setObjectName("appearanceMenu")
    group = QActionGroup(menu)
    group.setExclusive(True)
    saved = settings.get("appearance/scheme")
    labels = {"system": QT_TRANSLATE_NOOP("MainWindow", "Follow the &system"),
              "light": QT_TRANSLATE_NOOP("MainWindow", "&Light"),
              "dark": QT_TRANSLATE_NOOP("MainWindow", "&Dark")}
    for scheme in SCHEMES:
        action = menu.addAction(QCoreApplication.translate("MainWindow", labels[scheme]))
        action.setObjectName(f"appearance-{scheme}")
        action.setData(scheme)
        action.setCheckable(True)
        action.setChecked(scheme == saved)
        group.addAction(action)
        action.triggered.connect(lambda _on=False, s=scheme: apply(s, save=True))
    return menu
