"""Appearance: light and dark (View > Appearance, remembered), icons and charts that follow the scheme,
and translations through Qt (a translator shows translated labels and Qt's plural forms)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from ociconsole.gui import settings, theme, translations
from ociconsole.gui.icons import dot, icon
from ociconsole.gui.qt import QApplication, QColor, QPalette, QtCore

from .helpers import open_tree_path


@pytest.fixture
def restore_appearance(qapp):
    """Whatever a test switches to, the next test gets the application's style and palette back."""
    style, palette = qapp.style().name(), QPalette(qapp.palette())
    yield
    theme.apply("light")
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp._ociconsole_themed = False


def _menu_action(window, scheme):
    return next(a for a in window.appearance_menu.actions() if a.objectName() == f"appearance-{scheme}")


def _ink(qicon, size=32, scale=1.0) -> QColor:
    """The average colour of an icon's opaque pixels."""
    img = qicon.pixmap(QtCore.QSize(size, size), scale).toImage()
    r = g = b = n = 0
    for y in range(img.height()):
        for x in range(img.width()):
            c = img.pixelColor(x, y)
            if c.alpha() > 200:
                r, g, b, n = r + c.red(), g + c.green(), b + c.blue(), n + 1
    assert n, "the icon drew nothing"
    return QColor(r // n, g // n, b // n)


def _chart_colours(grid):
    chart = grid.charts[0]
    return (grid.view.backgroundBrush().color().name(), chart.plot.getAxis("left").textPen().color().name(),
            chart.plot.getAxis("bottom").pen().color().name())


def test_dark_mode_and_back_from_the_view_menu(qtbot, window, restore_appearance):
    from ociconsole.gui.charts import ChartGrid
    from ociconsole.gui.widgets import Banner, warning_label

    theme.apply("light")
    grid = ChartGrid(columns=1)
    qtbot.addWidget(grid)
    grid.add_chart("CPU", "%", (0, 100))
    banner = Banner()
    qtbot.addWidget(banner)
    banner.show_error("Could not load", "details")
    warn = warning_label()
    qtbot.addWidget(warn)
    glyph = icon("refresh")  # a monochrome glyph (#555 on light)
    assert _ink(glyph).lightness() < 110
    assert _chart_colours(grid) == ("#ffffff", "#333333", "#333333")
    good_dot = _ink(dot("#2e8b45")).name()
    assert not theme.is_dark()

    _menu_action(window, "dark").trigger()
    assert settings.get("appearance/scheme") == "dark"
    pal = QApplication.palette()
    assert pal.color(QPalette.ColorRole.Window).lightness() < 80
    assert pal.color(QPalette.ColorRole.WindowText).lightness() > 200
    assert QApplication.style().name().lower() == "fusion"
    assert _ink(glyph).lightness() > 150  # the same QIcon: light ink on dark
    blue = _ink(icon("instance"))  # a coloured icon keeps its colours
    assert blue.blue() > blue.red() + 60
    assert _ink(dot("#2e8b45")).name() == good_dot  # state dots keep their colour
    bg, text, axis = _chart_colours(grid)
    assert QColor(bg).lightness() < 60 and QColor(text).lightness() > 180 and QColor(axis).lightness() > 180
    # banners and warning labels made in light take the dark colours
    assert theme.BANNERS["error"][1][0] in banner.styleSheet()
    assert theme.BANNERS["warning"][1][0] in warn.styleSheet()
    assert _menu_action(window, "dark").isChecked() and not _menu_action(window, "light").isChecked()

    # the production banner keeps its red (a value no other role has, so a switch leaves it alone)
    window.production_action.setChecked(True)
    assert theme.COLOURS["production"][0] in window.production_banner.styleSheet()
    _menu_action(window, "light").trigger()
    assert theme.COLOURS["production"][0] in window.production_banner.styleSheet()
    _menu_action(window, "dark").trigger()
    assert theme.COLOURS["production"][0] in window.production_banner.styleSheet()
    window.production_action.setChecked(False)

    _menu_action(window, "light").trigger()
    assert settings.get("appearance/scheme") == "light"
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 200
    assert _ink(glyph).lightness() < 110
    assert _chart_colours(grid) == ("#ffffff", "#333333", "#333333")
    assert theme.BANNERS["error"][0][0] in banner.styleSheet()
    assert theme.BANNERS["warning"][0][0] in warn.styleSheet()

    _menu_action(window, "system").trigger()  # the offscreen platform has no scheme: light
    assert settings.get("appearance/scheme") == "system" and not theme.is_dark()


def test_the_override_is_remembered(qtbot, aloop, restore_appearance):
    from ociconsole.gui.main_window import MainWindow
    settings.set("appearance/scheme", "dark")
    assert theme.apply() is True  # app.main applies the saved choice
    w = MainWindow()
    qtbot.addWidget(w)
    assert _menu_action(w, "dark").isChecked()
    assert theme.is_dark()


def test_icons_are_drawn_at_the_device_pixel_ratio(qapp):
    """HiDPI (QT_SCALE_FACTOR=2): the SVG is rendered at 2x, not a 1x pixmap scaled up."""
    pm = icon("refresh").pixmap(QtCore.QSize(16, 16), 2.0)
    assert (pm.width(), pm.height(), pm.devicePixelRatio()) == (32, 32, 2.0)
    img = pm.toImage()
    # crisp: an anti-aliased 32 px drawing has many partly covered pixels along a 1.7 px stroke, but most of
    # the stroke is solid; a 16 px pixmap stretched to 32 would have 2x2 blocks of equal pixels everywhere
    blocks = sum(1 for y in range(0, 32, 2) for x in range(0, 32, 2)
                 if img.pixelColor(x, y).alpha() > 0
                 and len({img.pixel(x + dx, y + dy) for dx in (0, 1) for dy in (0, 1)}) > 1)
    assert blocks > 10


class _German(QtCore.QTranslator):
    """A translator made in the test: a few of the console's texts, with German plural forms."""

    TEXTS = {"Instances": "Instanzen", "Compute": "Rechenleistung", "&View": "&Ansicht",
             "{kinds} in {compartment}": "{kinds} im Compartment {compartment}", "Stop": "Stoppen",
             "Create {what}": "{what} erstellen", "Instance": "Instanz", "Refresh": "Aktualisieren",
             "Follow the &system": "Wie das &System", "Shape": "Ausprägung", "Details": "Einzelheiten",
             "Nothing running": "Nichts läuft"}

    def translate(self, context, source, disambiguation=None, n=-1):
        if source == "%n item(s)":
            return "%n Element" if n == 1 else "%n Elemente"
        return self.TEXTS.get(source)

    def isEmpty(self) -> bool:
        return False


@pytest.fixture
def german(qapp):
    translations.ensure()
    tr = _German(qapp)
    qapp.installTranslator(tr)
    yield tr
    qapp.removeTranslator(tr)


def test_a_translator_translates_the_main_window_and_the_catalog(qtbot, aloop, session, german):
    from ociconsole.gui.main_window import MainWindow
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=15_000):
        w.set_session(session, "demo")
    menus = [a.text() for a in w.menuBar().actions()]
    assert "&Ansicht" in menus and "&View" not in menus
    assert w.refresh_action.text() == "Aktualisieren"
    assert [a.text() for a in w.appearance_menu.actions()][0] == "Wie das &System"
    assert w.activity.count_label.text() == "Nichts läuft"
    # the catalog's labels (N_ markers) are translated where they are shown: tree, title, toolbar, details
    open_tree_path(qtbot, w, "Production", "Web", "Frontend", "Rechenleistung", "Instanzen")
    qtbot.waitUntil(lambda: w.resources.model.rowCount() == 2, timeout=10_000)
    assert w.resources.title.text() == "Instanzen im Compartment Frontend"
    assert w.create_action.text() == "instanz erstellen"  # in_sentence() lowers a word that is no acronym
    assert "Stoppen" in [a.text() for a in w._kind_actions]
    # Qt's plural forms: "%n item(s)" with n
    assert w.resources.count.text() == "2 Elemente"
    from .helpers import click_index
    click_index(qtbot, w.resources.table, w.resources.proxy.index(0, 0))
    qtbot.waitUntil(lambda: w.detail.resource is not None, timeout=5000)
    sections = [w.detail.fields.topLevelItem(i).text(0) for i in range(w.detail.fields.topLevelItemCount())]
    assert "Ausprägung" in sections and "Shape" not in sections
    assert w.detail.tabs.tabText(0) == "Einzelheiten"
    w.close()


def test_english_plurals_without_a_catalogue(qtbot, window):
    """No translation installed: "%n item(s)" still reads "1 item" / "2 items"."""
    from ociconsole.gui.resource_view import ResourceView
    view = ResourceView()
    qtbot.addWidget(view)
    assert view.tr("%n item(s)", "", 1) == "1 item" and view.tr("%n item(s)", "", 2) == "2 items"


@pytest.mark.skipif(shutil.which("pyside6-lrelease") is None, reason="pyside6-lrelease not installed")
def test_a_qm_file_for_the_locale_is_loaded(qapp, tmp_path, monkeypatch):
    """resources/translations/ociconsole_<locale>.qm, made with pyside6-lrelease, is found and installed."""
    ts = tmp_path / "ociconsole_de.ts"
    ts.write_text("""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS><TS version="2.1" language="de_DE">
<context><name>ResourceView</name>
<message numerus="yes"><source>%n item(s)</source>
<translation><numerusform>%n Element</numerusform><numerusform>%n Elemente</numerusform></translation></message>
</context>
<context><name></name>
<message><source>Instances</source><translation>Instanzen</translation></message>
</context></TS>
""", encoding="utf-8")
    subprocess.run(["pyside6-lrelease", str(ts), "-qm", str(tmp_path / "ociconsole_de.qm")], check=True,
                   capture_output=True)
    monkeypatch.setattr(translations, "translations_dir", lambda: str(tmp_path))
    assert translations.load_translator(qapp, QtCore.QLocale("fr_FR")) is None  # none for French
    tr = translations.load_translator(qapp, QtCore.QLocale("de_DE"))
    try:
        assert tr is not None
        from ociconsole import i18n
        assert i18n.t("Instances") == "Instanzen"
        translate = QtCore.QCoreApplication.translate
        assert translate("ResourceView", "%n item(s)", None, 1) == "1 Element"
        assert translate("ResourceView", "%n item(s)", None, 5) == "5 Elemente"
    finally:
        qapp.removeTranslator(tr)


def test_system_scheme_is_followed_live(qtbot, qapp, restore_appearance, monkeypatch):
    """"System": the palette follows the platform's colour scheme when it changes, an override does not."""
    from ociconsole.gui.qt import QGuiApplication, Qt
    system = {"dark": False}
    monkeypatch.setattr(theme, "system_is_dark", lambda: system["dark"])
    changes = []
    theme.notifier().changed.connect(changes.append)
    try:
        assert theme.apply("system") is False and not theme.is_dark()
        system["dark"] = True  # the desktop switches to dark: Qt says so with colorSchemeChanged
        QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert theme.is_dark() and changes[-1] is True
        theme.apply("light")  # an override ignores the desktop
        QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert not theme.is_dark()
    finally:
        theme.notifier().changed.disconnect(changes.append)


def test_a_histogram_follows_the_scheme(qtbot, restore_appearance):
    """pyqtgraph plots outside a ChartGrid (the Log Explorer's histogram) follow through charts.follow_scheme."""
    import pyqtgraph as pg

    from ociconsole.gui import charts
    theme.apply("light")
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    charts.follow_scheme(plot, lambda: charts.style_plot(plot.getPlotItem()))
    assert plot.backgroundBrush().color().name() == "#ffffff"
    theme.apply("dark")
    assert plot.backgroundBrush().color().name() == theme.COLOURS["chart_bg"][1]
    assert plot.getPlotItem().getAxis("left").textPen().color().name() == theme.COLOURS["chart_fg"][1]


def test_every_colour_says_which_role_it_plays():
    """A switch swaps style-sheet colours by value: no colour may be two roles going different ways."""
    assert theme.ambiguous() == []


def test_detail_links_follow_a_switch(qtbot, window, restore_appearance):
    from ociconsole.gui.detail import LINK_ROLE

    from .helpers import click_index
    theme.apply("light")
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Compute", "Instances")
    qtbot.waitUntil(lambda: window.resources.model.rowCount() == 2, timeout=10_000)
    click_index(qtbot, window.resources.table, window.resources.proxy.index(0, 0))
    qtbot.waitUntil(lambda: window.detail.resource is not None, timeout=5000)
    tree = window.detail.fields

    def link_colours():
        out = set()
        for i in range(tree.topLevelItemCount()):
            sec = tree.topLevelItem(i)
            for j in range(sec.childCount()):
                if sec.child(j).data(0, LINK_ROLE):
                    out.add(sec.child(j).foreground(1).color().name())
        return out
    assert link_colours() == {theme.COLOURS["link"][0]}
    _menu_action(window, "dark").trigger()
    assert link_colours() == {theme.COLOURS["link"][1]}  # light blue on dark
