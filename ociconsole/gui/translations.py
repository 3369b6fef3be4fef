"""Qt's translation for the whole console: the catalog's marked texts (ociconsole.i18n) go through
QCoreApplication.translate once this module is imported, and `load_translator()` installs the system
locale's catalogue, resources/translations/ociconsole_<locale>.qm, when there is one (none ships yet;
README "Translations" says how to make one)."""

from __future__ import annotations

import logging

from .. import i18n
from .icons import resources_dir
from .qt import QtCore

log = logging.getLogger(__name__)

i18n.install(QtCore.QCoreApplication.translate)

_installed: list[QtCore.QTranslator] = []


class EnglishPlurals(QtCore.QTranslator):
    """The source language's plural forms: "%n item(s)" reads "1 item", "2 items" with no catalogue loaded.
    Installed first, so a real translation (installed later) is asked before it."""

    def translate(self, context, source_text, disambiguation=None, n=-1):
        if n is not None and n >= 0 and source_text and "(s)" in source_text:
            return source_text.replace("(s)", "" if n == 1 else "s")
        return None

    def isEmpty(self) -> bool:
        return False


_english: EnglishPlurals | None = None


def ensure() -> None:
    """Install the English plural forms on the application (once); widgets with counts call this."""
    global _english
    app = QtCore.QCoreApplication.instance()
    if app is None or (_english is not None and _english.parent() is app):
        return
    _english = EnglishPlurals(app)
    app.installTranslator(_english)


def translations_dir() -> str:
    return str(resources_dir().joinpath("translations"))


def load_translator(app, locale: QtCore.QLocale | None = None) -> QtCore.QTranslator | None:
    """Install ociconsole_<locale>.qm for `locale` (default: the system's) if it exists; returns it."""
    ensure()
    locale = locale or QtCore.QLocale.system()
    translator = QtCore.QTranslator(app)
    # tries ociconsole_de_CH.qm, ociconsole_de.qm, ... for the locale's UI languages
    if not translator.load(locale, "ociconsole", "_", translations_dir()):
        log.debug("no translation for %s in %s", locale.name(), translations_dir())
        return None
    app.installTranslator(translator)
    _installed.append(translator)
    log.info("translation %s loaded", translator.filePath())
    return translator
