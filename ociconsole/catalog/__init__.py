"""The catalog: one declaration per resource kind (see model.ResourceKind).

Adding a service to the console is declaring its kinds in `catalog/<service>.py` and
listing the module in `_MODULES`; the tree, table, detail pane, actions and dialogs pick
them up.
"""

from __future__ import annotations

import importlib

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
_loaded = False


def _load() -> None:
    global _loaded
    if _loaded:
        return
    for m in _MODULES:
        mod = importlib.import_module(f"{__name__}.{m}")
        for k in mod.KINDS:
            if k.id in _KINDS:
                raise ValueError(f"resource kind {k.id} declared twice")
            _KINDS[k.id] = k
    from .generic import add_generic_actions
    add_generic_actions(list(_KINDS.values()))
    from .cost import add_audit_related
    add_audit_related(list(_KINDS.values()))
    _loaded = True


def kinds() -> list[ResourceKind]:
    _load()
    return list(_KINDS.values())


def kind(kind_id: str) -> ResourceKind:
    _load()
    return _KINDS[kind_id]


def tree_kinds(at_root: bool) -> list[ResourceKind]:
    """Kinds shown as categories under a compartment (tenancy-scoped kinds only at the root)."""
    out = [k for k in kinds() if k.scope == "compartment" or (k.scope == "tenancy" and at_root)]
    return sorted(out, key=lambda k: (GROUP_ORDER.index(k.group) if k.group in GROUP_ORDER else 99, k.order))


def groups(at_root: bool) -> list[tuple[str, list[ResourceKind]]]:
    out: dict[str, list[ResourceKind]] = {}
    for k in tree_kinds(at_root):
        out.setdefault(k.group, []).append(k)
    return list(out.items())


def for_ocid(ocid: str) -> ResourceKind | None:
    """The kind that can `get` a resource by its OCID (ocid1.<type>....)."""
    parts = ocid.split(".") if isinstance(ocid, str) else []
    if len(parts) < 2:
        return None
    for k in kinds():
        if parts[1] in k.ocid_types and k.get is not None:
            return k
    return None
