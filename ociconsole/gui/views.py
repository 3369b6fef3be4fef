"""Extension points of the main window, so that a service's special views plug in without
editing the window:

- `register_view(name, factory)`: a central view a resource kind opens instead of the
  generic table (catalog `ResourceKind.browser = "<name>"`, e.g. a bucket's object browser).
  `factory(window, session, kind, resource) -> QWidget`; the window shows it with a way back
  to the list.
- `register_extension(install)`: `install(window)` runs once per main window (menus, status
  bar badges, docks). Modules listed in `EXTENSIONS` are imported when the first window is
  built. A view that needs no menu is named in `VIEW_MODULES` instead: its module is imported
  when the view is first opened.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

_VIEWS: dict[str, Callable] = {}
_EXTENSIONS: list[Callable] = []
EXTENSIONS: list[str] = [  # "ociconsole.gui.<module>" — each registers itself on import
    "ociconsole.gui.monitoring_ui",
    "ociconsole.gui.storage_ui",
    "ociconsole.gui.logging_ui",
    "ociconsole.gui.cost_ui",
]
# views whose module registers them when it is imported, on the first `view(name)` (not at start-up)
VIEW_MODULES: dict[str, str] = {"load_balancer": "ociconsole.gui.load_balancer_view"}
_loaded = False


def register_view(name: str, factory: Callable) -> None:
    _VIEWS[name] = factory


def view(name: str) -> Callable | None:
    load_extensions()
    if name not in _VIEWS and name in VIEW_MODULES:
        importlib.import_module(VIEW_MODULES[name])
    return _VIEWS.get(name)


def register_extension(install: Callable) -> None:
    if install not in _EXTENSIONS:
        _EXTENSIONS.append(install)


def load_extensions() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        for mod in EXTENSIONS:
            importlib.import_module(mod)


def install_all(window) -> None:
    load_extensions()
    for install in list(_EXTENSIONS):
        install(window)
