"""Every icon the catalog and the window name exists (installed or from the source tree)."""

from ociconsole import catalog
from ociconsole.catalog.model import group_icon
from ociconsole.gui.icons import icon


def test_every_named_icon_loads(qapp):
    names = {"app", "refresh", "create", "copy", "back", "tenancy", "compartment"}
    for k in catalog.kinds():
        names.add(k.icon)
        names.add(group_icon(k.group))
        names.update(a.icon for a in k.actions if a.icon)
    missing = [n for n in sorted(names) if icon(n).isNull()]
    assert not missing, missing
