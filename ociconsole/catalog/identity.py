"""Identity kinds: compartments, users, groups, policies."""

from __future__ import annotations

from ..core.sdk import models as sdk_models
from ..services import identity as svc
from . import validators
from .forms import Field, FormContext, FormSpec, Request, cli_command
from .model import Action, Column, Related, RelatedItem, ResourceKind, attr

M = sdk_models("identity")
GONE = frozenset({"DELETED"})


def _tags(v):
    return validators.parse_tags(v.get("freeform_tags"))[0] or None


def _delete(fn):
    async def run(session, res, _options):
        await fn(session, res.id)
    return run


# ---------------------------------------------------------------- compartments

def _compartment_request(v: dict, ctx: FormContext) -> Request:
    return Request("identity", "create_compartment", M.CreateCompartmentDetails(
        compartment_id=v["compartment_id"], name=v["name"], description=v["description"], freeform_tags=_tags(v)))


def _compartment_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("iam compartment create", [
        ("--compartment-id", d.compartment_id), ("--name", d.name), ("--description", d.description),
        ("--freeform-tags", d.freeform_tags), ("--wait-for-state", "ACTIVE")])


def _unique_child_name(v, values, ctx):
    err = validators.compartment_name(v)
    if err:
        return err
    parent = values.get("compartment_id")
    for o in ctx.compartments:
        data = o.data
        if data is not None and getattr(data, "compartment_id", None) == parent and \
                getattr(data, "name", "").lower() == v.lower() and data.id != parent:
            return f"A compartment named '{v}' already exists there"
    return None


COMPARTMENT_FORM = FormSpec(
    title="Create compartment", kind_id="identity.compartment",
    fields=[
        Field("name", "Name", "text", required=True, validate=_unique_child_name, depends_on=("compartment_id",)),
        Field("description", "Description", "text", required=True,
              validate=lambda v, *_: validators.description(v)),
        Field("compartment_id", "Parent compartment", "compartment", required=True),
        Field("freeform_tags", "Tags", "tags", help="One key=value per line"),
    ],
    build=_compartment_request, cli=_compartment_cli, describe=lambda v: v.get("name", ""))


async def _delete_compartment(session, comp, _options):
    await svc.delete_compartment(session, comp.id)


async def _children(session, comp) -> list[RelatedItem]:
    return [RelatedItem("Compartment", c.name, c.id) for c in await svc.list_compartments(session, comp.id)]


COMPARTMENTS = ResourceKind(
    id="identity.compartment", label="Compartments", singular="Compartment", group="Identity", icon="compartment",
    order=1, name_attr="name", list=svc.list_compartments, get=svc.get_compartment,
    ocid_types=("compartment", "tenancy"),
    columns=[Column("Name", attr("name"), width=200), Column("Description", attr("description"), width=260),
             Column("State", attr("lifecycle_state"), "state"), Column("Created", attr("time_created"), "datetime")],
    related=[Related("Child compartments", _children)],
    actions=[Action("delete", "Delete", _delete_compartment, frozenset({"ACTIVE"}), destructive=True, confirm="name",
                    target_states=GONE, gone_ok=True, shortcut="Delete", icon="delete", verb="Deleting")],
    create=COMPARTMENT_FORM, ready_states=frozenset({"ACTIVE"}))


# ---------------------------------------------------------------- users, groups, policies

async def _user_groups(session, user) -> list[RelatedItem]:
    return [RelatedItem("Group", g.name, g.id) for g in await svc.user_groups(session, user.id)]


async def _group_members(session, group) -> list[RelatedItem]:
    return [RelatedItem("Member", u.name, u.id) for u in await svc.group_members(session, group.id)]


async def _policy_statements(session, policy) -> list[RelatedItem]:
    return [RelatedItem(f"Statement {i}", s) for i, s in enumerate(policy.statements or [], 1)]


def _group_request(v: dict, ctx: FormContext) -> Request:
    return Request("identity", "create_group", M.CreateGroupDetails(
        compartment_id=ctx.tenancy_id, name=v["name"], description=v["description"], freeform_tags=_tags(v)))


def _group_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("iam group create", [("--compartment-id", d.compartment_id), ("--name", d.name),
                                            ("--description", d.description), ("--freeform-tags", d.freeform_tags)])


GROUP_FORM = FormSpec(
    title="Create group", kind_id="identity.group",
    fields=[
        Field("name", "Name", "text", required=True, validate=lambda v, *_: validators.iam_name(v)),
        Field("description", "Description", "text", required=True, validate=lambda v, *_: validators.description(v)),
        Field("freeform_tags", "Tags", "tags", help="One key=value per line"),
    ],
    build=_group_request, cli=_group_cli, describe=lambda v: v.get("name", ""))


def _policy_request(v: dict, ctx: FormContext) -> Request:
    stmts = [s.strip() for s in (v.get("statements") or "").splitlines() if s.strip()]
    return Request("identity", "create_policy", M.CreatePolicyDetails(
        compartment_id=v["compartment_id"], name=v["name"], description=v["description"], statements=stmts,
        freeform_tags=_tags(v)))


def _policy_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("iam policy create", [("--compartment-id", d.compartment_id), ("--name", d.name),
                                             ("--description", d.description), ("--statements", d.statements),
                                             ("--freeform-tags", d.freeform_tags)])


POLICY_FORM = FormSpec(
    title="Create policy", kind_id="identity.policy",
    fields=[
        Field("name", "Name", "text", required=True, validate=lambda v, *_: validators.iam_name(v)),
        Field("description", "Description", "text", required=True, validate=lambda v, *_: validators.description(v)),
        Field("compartment_id", "Compartment", "compartment", required=True),
        Field("statements", "Statements", "statements", required=True,
              placeholder="Allow group Developers to manage instance-family in compartment Development",
              help="One statement per line"),
        Field("freeform_tags", "Tags", "tags", help="One key=value per line"),
    ],
    build=_policy_request, cli=_policy_cli, describe=lambda v: v.get("name", ""))

_IAM_COLUMNS = [Column("Name", attr("name"), width=200), Column("Description", attr("description"), width=260),
                Column("State", attr("lifecycle_state"), "state"), Column("Created", attr("time_created"), "datetime")]


def _iam_delete(fn) -> Action:
    return Action("delete", "Delete", _delete(fn), frozenset({"ACTIVE", "INACTIVE"}), destructive=True,
                  confirm="name", target_states=GONE, gone_ok=True, shortcut="Delete", icon="delete",
                  verb="Deleting")


USERS = ResourceKind(
    id="identity.user", label="Users", singular="User", group="Identity", icon="user", order=2, scope="tenancy",
    name_attr="name", list=svc.list_users, get=svc.get_user, ocid_types=("user",),
    columns=[Column("Name", attr("name"), width=200), Column("E-mail", attr("email"), width=200),
             *_IAM_COLUMNS[1:]],
    related=[Related("Groups", _user_groups)], actions=[_iam_delete(svc.delete_user)],
    ready_states=frozenset({"ACTIVE"}))

GROUPS = ResourceKind(
    id="identity.group", label="Groups", singular="Group", group="Identity", icon="group", order=3, scope="tenancy",
    name_attr="name", list=svc.list_groups, get=svc.get_group, ocid_types=("group",), columns=_IAM_COLUMNS,
    related=[Related("Members", _group_members)], actions=[_iam_delete(svc.delete_group)], create=GROUP_FORM,
    ready_states=frozenset({"ACTIVE"}))

POLICIES = ResourceKind(
    id="identity.policy", label="Policies", singular="Policy", group="Identity", icon="policy", order=4,
    name_attr="name", list=svc.list_policies, get=svc.get_policy, ocid_types=("policy",),
    columns=[*_IAM_COLUMNS[:2], Column("Statements", lambda p: len(p.statements or []), "number"),
             *_IAM_COLUMNS[2:]],
    related=[Related("Statements", _policy_statements)], actions=[_iam_delete(svc.delete_policy)],
    create=POLICY_FORM, ready_states=frozenset({"ACTIVE"}))

KINDS = [COMPARTMENTS, USERS, GROUPS, POLICIES]
