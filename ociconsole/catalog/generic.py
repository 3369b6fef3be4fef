"""What every SDK-shaped resource kind gets from its SDK names alone.

A kind that declares `sdk=SdkRef("network", "network_security_group", cli="network nsg")` gets, without
code of its own:

- `lister(ref)` / `getter(ref)`: `list_<plural>` (all pages, optional parent filter) and `get_<noun>`;
- `delete_action(ref)`: Delete with the typed-name confirmation, tracked until the resource is gone;
- "Move to compartment…" (added to every declared kind when the catalog loads, unless `movable=False`):
  a form with a compartment picker that calls `change_<noun>_compartment` and shows the `oci` CLI's
  `change-compartment` command and the Python SDK code, like every other form.

The emulator's resource engine serves the same operations from one declaration there, so a new simple
kind costs one declaration on each side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..i18n import N_, t
from . import terraform
from .forms import Field, FormContext, FormSpec, Request, cli_command
from .model import Action, ResourceKind

GONE_STATES = frozenset({"TERMINATED", "DELETED"})


def plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


@dataclass(frozen=True)
class SdkRef:
    """A kind's names in the SDK and the CLI."""

    service: str  # key of core.connection.SERVICES ("network", "compute", ...)
    noun: str  # snake_case noun of the SDK's operations: get_<noun>, list_<plural>, change_<noun>_compartment
    cli: str | None = None  # the `oci` CLI's command group for the kind: "network nsg"
    id_flag: str | None = None  # the CLI's id option (default: --<last word of cli>-id)
    plural: str | None = None  # when the list operation is not list_<noun>s
    model: str | None = None  # the SDK model of the resource (default: CamelCase of noun)
    move_model: str | None = None  # when the move's details model is not Change<Model>CompartmentDetails

    @property
    def list_method(self) -> str:
        return f"list_{self.plural or plural(self.noun)}"

    @property
    def get_method(self) -> str:
        return f"get_{self.noun}"

    @property
    def delete_method(self) -> str:
        return f"delete_{self.noun}"

    @property
    def move_method(self) -> str:
        return f"change_{self.noun}_compartment"

    @property
    def move_details(self) -> str:
        """The SDK model the move takes: Change<Model>CompartmentDetails."""
        return self.move_model or f"Change{self.model or camel(self.noun)}CompartmentDetails"

    @property
    def cli_id_flag(self) -> str | None:
        if self.id_flag:
            return self.id_flag
        return f"--{self.cli.split()[-1]}-id" if self.cli else None


def camel(noun: str) -> str:
    return "".join(p.capitalize() for p in noun.split("_"))


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def lister(ref: SdkRef, parent: str | None = None):
    """`list(session, compartment_id, parent_id=None)` over every page of `list_<plural>`."""
    async def list_(session, compartment_id: str, parent_id: str | None = None) -> list:
        kw = {parent: parent_id} if parent and parent_id else {}
        return await session.list_all(ref.service, ref.list_method, compartment_id, **kw)
    list_.__name__ = ref.list_method
    return list_


def getter(ref: SdkRef):
    async def get(session, ocid: str):
        return await session.data(ref.service, ref.get_method, ocid)
    get.__name__ = ref.get_method
    return get


def delete_action(ref: SdkRef, states: frozenset[str] | None = frozenset({"AVAILABLE"}),
                  gone: frozenset[str] = GONE_STATES) -> Action:
    async def run(session, res, _options):
        await session.call(ref.service, ref.delete_method, res.id)
    return Action("delete", N_("Delete"), run, states, destructive=True, confirm="name", target_states=gone,
                  gone_ok=True, shortcut="Delete", icon="delete", verb=N_("Deleting"))


def in_sentence(singular: str) -> str:
    """A kind's singular inside a sentence: "Move volume x", but "Move VCN x", "NAT gateway", "IPSec connection"."""
    return " ".join(w if w[:2].isupper() or (len(w) > 1 and w[1:].lower() != w[1:]) else w.lower()
                    for w in singular.split())


def move_form(kind: ResourceKind, res: Any) -> FormSpec:
    ref: SdkRef | None = kind.sdk
    from ..core.connection import SERVICES
    from ..core.sdk import models as sdk_models
    name = kind.name(res)

    def check(v, _values, _ctx):
        return f"{name} is already in this compartment" if v == getattr(res, "compartment_id", None) else None

    def build(v: dict, ctx: FormContext) -> Request:
        if kind.move is not None:  # OCI moves it by another call (a bucket's update, MoveCompartment)
            return kind.move(res, v["compartment_id"])[0]
        assert ref is not None
        models = sdk_models(SERVICES[ref.service][0])
        details = getattr(models, ref.move_details)(compartment_id=v["compartment_id"])
        return Request(ref.service, ref.move_method, details, args=(res.id,), details_first=details_first(ref))

    def cli(v, ctx, req: Request) -> str:
        if kind.move is not None:
            return kind.move(res, v["compartment_id"])[1]
        if ref is None:
            return ""
        id_flag = ref.cli_id_flag
        if not ref.cli or id_flag is None:  # (id_flag is None only without cli)
            return ""
        return cli_command(f"{ref.cli} change-compartment", [
            (id_flag, res.id), ("--compartment-id", req.details.compartment_id)])

    return FormSpec(
        title=t(N_("Move {what} {name}")).format(what=in_sentence(t(kind.singular)), name=name), kind_id=kind.id,
        fields=[Field("compartment_id", N_("Destination compartment"), "compartment", required=True, validate=check,
                      help=N_("Policies of the destination compartment apply from then on; the OCID stays the same"))],
        build=build, cli=cli, describe=lambda _v: name, submit_label=N_("Move"),
        op_title=lambda _v: f"Moving {in_sentence(kind.singular)} {name}")


def details_first(ref: SdkRef) -> bool:
    """Whether the SDK's change_<noun>_compartment takes its details before the OCID (the Database client's do)."""
    import importlib
    import inspect

    from ..core.connection import SERVICES
    module, cls = SERVICES[ref.service]
    method = getattr(getattr(importlib.import_module(f"oci.{module}"), cls), ref.move_method, None)
    if method is None:
        return False
    params = [p for p in inspect.signature(method).parameters if p not in ("self", "kwargs")]
    return bool(params) and params[0].endswith("_details")


def move_action(kind: ResourceKind) -> Action:
    async def _unused(*_a):
        return None
    ready = frozenset(kind.ready_states) | {""}  # ("": a kind OCI keeps no state for, a bucket)
    return Action("move", N_("Move to compartment…"), _unused, ready, form=lambda res: move_form(kind, res),
                  icon="move", verb=N_("Moving"), target_states=ready)


def add_generic_actions(kinds: list[ResourceKind]) -> None:
    """Give every kind with SDK names the actions its names imply (called once when the catalog loads)."""
    for k in kinds:
        if (k.sdk is not None or k.move is not None) and k.movable and k.scope != "hidden" \
                and k.action("move") is None:
            k.actions.append(move_action(k))
        if k.scope != "hidden" and k.get is not None and k.action("export_terraform") is None \
                and _has_terraform_type(k):
            k.actions.append(terraform.export_action(k))


def _has_terraform_type(kind: ResourceKind) -> bool:
    """Whether Terraform can make the kind: catalog.index says so for a declared kind (reading the provider's
    arguments to find out costs ~15-50 ms when a kind's module is first imported), else catalog.terraform."""
    from .index import BY_ID, EXPORTABLE
    if kind.id in BY_ID:
        return kind.id in EXPORTABLE
    return terraform.type_of_kind(kind) is not None
