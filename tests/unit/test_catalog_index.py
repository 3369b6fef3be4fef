"""catalog.index (what the tree reads at start-up instead of importing every kind module) matches the catalog,
and a kind loaded on its own (its module only) is the same as with the whole catalog loaded."""

from __future__ import annotations

import json
import subprocess
import sys

from ociconsole import catalog
from ociconsole.catalog import __main__ as gen
from ociconsole.catalog import index


def test_index_is_up_to_date():
    entries, logged, exportable = gen.entries_from_catalog(), gen.logged_kinds(), gen.exportable()
    assert list(index.ENTRIES) == entries and index.LOGGED_KINDS == frozenset(logged) \
        and index.EXPORTABLE == frozenset(exportable), \
        "catalog/index.py is out of date: run `python -m ociconsole.catalog`"


def test_tree_groups_come_from_the_index_in_the_catalog_order():
    for at_root in (True, False):
        full = [k.id for k in catalog.kinds() if k.scope == "compartment" or (k.scope == "tenancy" and at_root)]
        order = {kid: i for i, kid in enumerate(full)}
        got = [e.id for _g, es in catalog.groups(at_root) for e in es]
        assert sorted(got) == sorted(full)
        kinds = {k.id: k for k in catalog.kinds()}
        assert got == sorted(got, key=lambda i: (catalog.GROUP_ORDER.index(kinds[i].group)
                                                 if kinds[i].group in catalog.GROUP_ORDER else 99,
                                                 kinds[i].order, order[i]))


_SHAPES = """
import importlib, json, sys


def fresh():  # the catalog as a new process has it: no kind module imported yet
    for name in [n for n in sys.modules if n == "ociconsole.catalog" or n.startswith("ociconsole.catalog.")]:
        del sys.modules[name]
    return importlib.import_module("ociconsole.catalog")


def shape(ks):
    return {k.id: [[a.id for a in k.actions], [r.label for r in k.related]] for k in ks}


out = {}
for module in fresh()._MODULES:
    cat = fresh()
    out[module] = shape([cat.kind(e.id) for e in cat.index.ENTRIES if e.module == module])
out["*"] = shape(fresh().kinds())
print(json.dumps(out))
"""


def test_a_module_loaded_alone_gives_its_kinds_every_action():
    """Another module may add actions to a kind ("Enable log…" from catalog.logging): loading a kind's module on
    first use must give the kind the same actions and related lists as loading the whole catalog."""
    out = subprocess.run([sys.executable, "-c", _SHAPES], capture_output=True, text=True, check=True)
    shapes = json.loads(out.stdout)
    full = shapes.pop("*")
    for module, alone in shapes.items():
        assert alone == {i: full[i] for i in alone}, module
    assert sum(len(a) for a in shapes.values()) == len(full)
