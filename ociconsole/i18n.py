"""Translatable strings without Qt: markers for the catalog's declarations, and the hook the GUI installs.

The catalog's labels (kind labels and singular names, column titles, action labels, field labels, help and
placeholders, form titles) are written `N_("Instances")`: a no-op at run time that `pyside6-lupdate` collects
(`-tr-function-alias QT_TR_NOOP+=N_`, see README "Translations"). lupdate files such module-level markers
under the unnamed context, so they are looked up with CONTEXT (""). The GUI translates them where it shows
them, with `t(text)` (or `tn(text, n)` for a plural with `%n`), once `install()` has been given
`QCoreApplication.translate`; without it (headless commands, tests below the GUI) the text is returned as is.
"""

from __future__ import annotations

from collections.abc import Callable

CONTEXT = ""  # the context lupdate gives N_ markers outside a class

_translate: Callable[[str, str, str | None, int], str] | None = None


def N_(text: str) -> str:
    """Mark a declaration's text for extraction; translated later, where it is shown."""
    return text


def install(translate: Callable[[str, str, str | None, int], str] | None) -> None:
    """translate(context, text, disambiguation, n): QCoreApplication.translate (None: no translation)."""
    global _translate
    _translate = translate


def translate(context: str, text: str, n: int = -1) -> str:
    if not text or _translate is None:
        return text.replace("%n", str(n)) if n >= 0 and text else text
    return _translate(context, text, None, n)


def t(text: str) -> str:
    """A catalog declaration's text in the user's language."""
    return translate(CONTEXT, text)


def tn(text: str, n: int) -> str:
    """A catalog text with a count: Qt's plural forms, `%n` replaced by n."""
    return translate(CONTEXT, text, n)
