"""The catalog: one declaration per resource kind (see model.ResourceKind).

Adding a service to the console is declaring its kinds in `catalog/<service>.py` and
listing the module in `_MODULES`; the tree, table, detail pane, actions and dialogs pick
them up. Then regenerate `catalog/index.py` (`python -m ociconsole.catalog`; a unit
test fails while it is out of date): the tree's categories are read from it at start-up, and a
kind's module is imported only when the kind is first asked for (`kind(id)`), or all of them
by `kinds()` (search, palette, export) — compiling every kind module costs ~0.2 s of start-up.
"""

from __future__ import annotations

import importlib
import threading

from . import index
from .model import Action, ActionOption, Column, Related, RelatedItem, ResourceKind, attr

__all__ = ["Action", "ActionOption", "Column", "Related", "RelatedItem", "ResourceKind", "attr",
           "kinds", "kind", "groups", "for_ocid", "tree_kinds"]

_MODULES = ["compute", "compute_hosts", "network", "network_edge", "identity", "monitoring", "notifications",
            "object_storage", "block_volume", "file_storage", "data_science", "analytics", "integration",
            "autonomous_database", "db_system", "database_migration", "logging", "cost", "container_engine",
            "artifacts", "functions", "load_balancer", "security"]
GROUP_ORDER = ["Compute", "Storage", "Networking", "Database", "Analytics & AI", "Application Integration",
               "Developer Services", "Identity", "Security", "Observability"]
_KINDS: dict[str, ResourceKind] = {}
_BY_MODULE: dict[str, list[ResourceKind]] = {}  # the kinds of each module loaded so far
_loaded = False
_lock = threading.RLock()
# modules that give other modules' kinds actions when imported, and those kinds: loaded with them
_AUGMENTERS: dict[str, frozenset[str]] = {"logging": index.LOGGED_KINDS}  # "Enable log…"


def _load_module(m: str) -> None:
    """Import one kind module and register its kinds (with the generic actions their SDK names imply)."""
    if m in _BY_MODULE:
        return
    with _lock:
        if m in _BY_MODULE:
            return
        mod = importlib.import_module(f"{__name__}.{m}")
        new = list(mod.KINDS)
        seen: set[str] = set()
        for k in new:
            if k.id in _KINDS or k.id in seen:
                raise ValueError(f"resource kind {k.id} declared twice")
            seen.add(k.id)
        from .generic import add_generic_actions
        add_generic_actions(new)
        from .cost import add_audit_related
        add_audit_related(new)
        for k in new:
            _KINDS[k.id] = k
        _BY_MODULE[m] = new
        for other, ids in _AUGMENTERS.items():
            if other != m and any(k.id in ids for k in new):
                _load_module(other)


def _load() -> None:
    global _loaded
    if _loaded:
        return
    with _lock:
        for m in _MODULES:
            _load_module(m)
        _loaded = True


def kinds() -> list[ResourceKind]:
    """Every kind, in the order the modules declare them (imports every kind module)."""
    _load()
    return [k for m in _MODULES for k in _BY_MODULE[m]]


def kind(kind_id: str) -> ResourceKind:
    """One kind: imports only the module that declares it (catalog.index says which)."""
    k = _KINDS.get(kind_id)
    if k is not None:
        return k
    entry = index.BY_ID.get(kind_id)
    if entry is not None:
        _load_module(entry.module)
    if kind_id not in _KINDS:
        _load()
    return _KINDS[kind_id]


def tree_kinds(at_root: bool) -> list[index.KindEntry]:
    """Kinds shown as categories under a compartment (tenancy-scoped kinds only at the root), read from the
    index: no kind module is imported (a category's `kind(entry.id)` is, when it is opened)."""
    out = [e for e in index.ENTRIES if e.scope == "compartment" or (e.scope == "tenancy" and at_root)]
    return sorted(out, key=lambda k: (GROUP_ORDER.index(k.group) if k.group in GROUP_ORDER else 99, k.order))


def groups(at_root: bool) -> list[tuple[str, list[index.KindEntry]]]:
    out: dict[str, list[index.KindEntry]] = {}
    for k in tree_kinds(at_root):
        out.setdefault(k.group, []).append(k)
    return list(out.items())


def for_ocid(ocid: str) -> ResourceKind | None:
    """The kind that can `get` a resource by its OCID (ocid1.<type>....)."""
    parts = ocid.split(".") if isinstance(ocid, str) else []
    if len(parts) < 2:
        return None
    if not _loaded:  # the index says which kind it is: import only that kind's module
        entry = next((e for e in index.ENTRIES if parts[1] in e.ocid_types and e.gets), None)
        if entry is not None:
            k = kind(entry.id)
            if parts[1] in k.ocid_types and k.get is not None:
                return k
    for k in kinds():
        if parts[1] in k.ocid_types and k.get is not None:
            return k
    return None
