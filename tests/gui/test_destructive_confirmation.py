"""Every action of the catalog that deletes or terminates is destructive and confirmed by typing:
the resource's name for one resource, the number of resources for several. Walks every action of
every kind, so a new kind cannot slip in a one-click deletion."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ociconsole import catalog
from ociconsole.gui.confirm import ConfirmDialog

DELETING = ("delete", "terminate")


def _deletes(action) -> bool:
    return action.id.startswith(DELETING) or action.label.lower().startswith(DELETING)


ALL = [(k, a) for k in catalog.kinds() for a in k.actions]
# actions whose form picks what they delete confirm in that form (a typed "confirm" field); a role change
# (Data Guard switchover, failover) confirms by typing what becomes primary (tests/gui/test_db_system.py)
ROLE_CHANGES = ("switchover", "failover")
IN_FORM = [(k, a) for k, a in ALL if (a.destructive or _deletes(a)) and a.form is not None]
PICKING = [(k, a) for k, a in IN_FORM if a.id not in ROLE_CHANGES]
DESTRUCTIVE = [(k, a) for k, a in ALL if (a.destructive or _deletes(a)) and a.form is None]


def test_every_deleting_action_is_destructive_and_asks_for_the_name():
    deleting = [(k.id, a.id) for k, a in ALL if _deletes(a)]
    assert len(deleting) >= 10, deleting  # the walk sees the catalog
    wrong = [(k.id, a.id, a.destructive, a.confirm) for k, a in DESTRUCTIVE
             if not (a.destructive and a.confirm == "name")]
    wrong += [(k.id, a.id, a.destructive, a.confirm) for k, a in IN_FORM
              if not (a.destructive and a.confirm == "form")]
    assert not wrong, f"deleting actions without a typed-name confirmation: {wrong}"


@pytest.mark.parametrize("kind,action", PICKING, ids=[f"{k.id}.{a.id}" for k, a in PICKING])
def test_a_deleting_form_asks_to_type_the_name_of_what_it_deletes(kind, action):
    from ociconsole.catalog.forms import FormContext
    form = action.form(_resource(kind, 1, None))
    field = form.field("confirm")
    assert field.required and field.type == "text" and field.depends_on
    ctx = FormContext(None, "ocid1.compartment.oc1..a")
    if "how many" in field.label:  # several at once (untagged images): the count is typed, as in a bulk delete
        picked = form.fields[0]
        assert "to confirm" in (field.check("2", {picked.name: 3, "confirm": "2"}, ctx) or "")
        assert field.check("3", {picked.name: 3, "confirm": "3"}, ctx) is None
        return
    picked = form.fields[0]
    ctx.option_data[picked.name] = {"x": SimpleNamespace(display_name="thing-1", name="thing-1")}
    values = {picked.name: "x", "confirm": "not it"}
    if picked.name == "credential":  # (kind, description) pairs
        ctx.option_data[picked.name] = {"x": ("auth_token", "thing-1")}
    assert "to confirm" in (field.check("not it", values, ctx) or "")
    assert field.check("thing-1", dict(values, confirm="thing-1"), ctx) is None


def _resource(kind, i: int, state: str | None):
    r = SimpleNamespace(id=f"ocid1.{kind.id.split('.')[-1]}.oc1..res{i}", lifecycle_state=state)
    setattr(r, kind.name_attr, f"{kind.singular.lower().replace(' ', '-')}-{i}")
    return r


@pytest.mark.parametrize("kind,action", DESTRUCTIVE, ids=[f"{k.id}.{a.id}" for k, a in DESTRUCTIVE])
def test_one_resource_types_its_name_and_several_type_the_count(qtbot, kind, action):
    state = next(iter(sorted(action.allowed_states))) if action.allowed_states else None
    one = _resource(kind, 1, state)
    dlg = ConfirmDialog(action, kind, [one])
    qtbot.addWidget(dlg)
    assert not dlg.bulk and dlg.input is not None and dlg.expected == kind.name(one)
    assert not dlg.ok_button.isEnabled()
    qtbot.keyClicks(dlg.input, kind.name(one)[:-1])
    assert not dlg.ok_button.isEnabled()
    qtbot.keyClicks(dlg.input, kind.name(one)[-1])
    assert dlg.ok_button.isEnabled()

    several = [_resource(kind, i, state) for i in range(3)]
    bulk = ConfirmDialog(action, kind, several)
    qtbot.addWidget(bulk)
    assert bulk.bulk and bulk.input is not None and bulk.expected == "3"
    assert not bulk.ok_button.isEnabled()
    qtbot.keyClicks(bulk.input, kind.name(several[0]))
    assert not bulk.ok_button.isEnabled()
    bulk.input.clear()
    qtbot.keyClicks(bulk.input, "3")
    assert bulk.ok_button.isEnabled()
