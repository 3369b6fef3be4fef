"""Identity kinds: compartments, users (with their credentials), groups, dynamic groups, policies,
network sources."""

from __future__ import annotations

import ipaddress

from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..lang import matching_rules
from ..services import identity as svc
from . import validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command, confirm_field
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
    title=N_("Create compartment"), kind_id="identity.compartment",
    fields=[
        Field("name", N_("Name"), "text", required=True, validate=_unique_child_name, depends_on=("compartment_id",)),
        Field("description", N_("Description"), "text", required=True,
              validate=lambda v, *_: validators.description(v)),
        Field("compartment_id", N_("Parent compartment"), "compartment", required=True),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_compartment_request, cli=_compartment_cli, describe=lambda v: v.get("name", ""))


async def _delete_compartment(session, comp, _options):
    await svc.delete_compartment(session, comp.id)


async def _children(session, comp) -> list[RelatedItem]:
    return [RelatedItem("Compartment", c.name, c.id) for c in await svc.list_compartments(session, comp.id)]


COMPARTMENTS = ResourceKind(
    id="identity.compartment", label=N_("Compartments"), singular=N_("Compartment"), group=N_("Identity"),
                            icon="compartment",
    order=1, name_attr="name", list=svc.list_compartments, get=svc.get_compartment,
    ocid_types=("compartment", "tenancy"),
    columns=[Column(N_("Name"), attr("name"), width=200), Column(N_("Description"), attr("description"), width=260),
             Column(N_("State"), attr("lifecycle_state"), "state"), Column(N_("Created"), attr("time_created"),
                                                                           "datetime")],
    related=[Related(N_("Child compartments"), _children)],
    actions=[Action("delete", N_("Delete"), _delete_compartment, frozenset({"ACTIVE"}), destructive=True,
                    confirm="name",
                    target_states=GONE, gone_ok=True, shortcut="Delete", icon="delete", verb=N_("Deleting"))],
    create=COMPARTMENT_FORM, ready_states=frozenset({"ACTIVE"}), move=lambda c, dest: _move_compartment(c, dest))


def _move_compartment(comp, dest: str):
    """OCI moves a compartment with MoveCompartment (a work request): `oci iam compartment move`."""
    req = Request("identity", "move_compartment", M.MoveCompartmentDetails(target_compartment_id=dest),
                  args=(comp.id,))
    return req, cli_command("iam compartment move", [("--compartment-id", comp.id),
                                                     ("--target-compartment-id", dest)])


# ---------------------------------------------------------------- users, groups, policies

async def _user_credentials(session, user) -> list[RelatedItem]:
    return [RelatedItem(kind, name) for kind, name, _ocid in await svc.user_credentials(session, user.id)]


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
    title=N_("Create group"), kind_id="identity.group",
    fields=[
        Field("name", N_("Name"), "text", required=True, validate=lambda v, *_: validators.iam_name(v)),
        Field("description", N_("Description"), "text", required=True, validate=lambda v,
              *_: validators.description(v)),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
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
    title=N_("Create policy"), kind_id="identity.policy",
    fields=[
        Field("name", N_("Name"), "text", required=True, validate=lambda v, *_: validators.iam_name(v)),
        Field("description", N_("Description"), "text", required=True, validate=lambda v,
              *_: validators.description(v)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("statements", N_("Statements"), "statements", required=True,
              placeholder=N_("Allow group Developers to manage instance-family in compartment Development"),
              help=N_("One statement per line")),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_policy_request, cli=_policy_cli, describe=lambda v: v.get("name", ""))

_IAM_COLUMNS = [Column(N_("Name"), attr("name"), width=200), Column(N_("Description"), attr("description"), width=260),
                Column(N_("State"), attr("lifecycle_state"), "state"), Column(N_("Created"), attr("time_created"),
                                                                              "datetime")]


def _iam_delete(fn) -> Action:
    return Action("delete", N_("Delete"), _delete(fn), frozenset({"ACTIVE", "INACTIVE"}), destructive=True,
                  confirm="name", target_states=GONE, gone_ok=True, shortcut="Delete", icon="delete",
                  verb=N_("Deleting"))


# ---------------------------------------------------------------- a user's secret credentials

def _limit_field(what: str, limit: int, lister) -> Field:
    """A hidden field holding the user's current credentials of one kind (loaded when the dialog opens): the
    form's text field checks OCI's limit against it (`_at_limit`)."""
    async def existing(ctx: FormContext, _values) -> list[Option]:
        have = await lister(ctx)
        return [Option("existing", f"{len(have)} {what}s", have)]
    return Field("existing", f"Existing {what}s", "choice", required=True, options=existing,
                 visible=lambda v, c: False)


def _at_limit(ctx: FormContext, what: str, limit: int) -> str | None:
    have = ctx.data("existing", "existing")
    if have is not None and len(have) >= limit:
        return f"This user already has {len(have)} {what}s (the limit): delete one first"
    return None


def _text_checked(what: str, limit: int, required: bool = True):
    """(validate, warning) of the text field: its own rules and OCI's limit; the limit shows as a warning at
    once (before anything is typed), then as the field's error."""
    def validate(v, _values, ctx):
        return validators.description(v, required=required) or _at_limit(ctx, what, limit)

    def warning(v, _values, ctx):
        return _at_limit(ctx, what, limit) if not (v or "").strip() else None
    return validate, warning


def _user_form(user, *, what: str, title: str, method: str, model: str, text: str, text_label: str, limit: int,
               lister, cli_words: str, reveal, secret_attrs: tuple[str, ...], credential_kind: str,
               help: str = "") -> FormSpec:
    validate, warning = _text_checked(what, limit)

    def build(v: dict, ctx: FormContext) -> Request:
        # the SDK takes the details first, then the user: user_id goes by name
        return Request("identity", method, getattr(M, model)(**{text: v["text"].strip()}),
                       kwargs={"user_id": user.id})

    def cli(v, ctx, req: Request) -> str:
        return cli_command(cli_words, [("--user-id", user.id), (f"--{text.replace('_', '-')}", v["text"].strip())])

    return FormSpec(
        title=f"{title} for {user.name}", kind_id=credential_kind,
        fields=[
            Field("text", text_label, "text", required=True, validate=validate, warning=warning,
                  depends_on=("existing",), help=help or f"Up to 400 characters; at most {limit} {what}s per user"),
            _limit_field(what, limit, lister),
        ],
        build=build, cli=cli, describe=lambda v: (v.get("text") or "").strip(), submit_label=N_("Create"),
        op_title=lambda v: f"{title} {(v.get('text') or '').strip()} for user {user.name}",
        reveal=reveal, secret_attrs=secret_attrs)


def auth_token_form(user) -> FormSpec:
    return _user_form(
        user, what="auth token", title="Create auth token", method="create_auth_token",
        model="CreateAuthTokenDetails", text="description", text_label="Description", limit=svc.MAX_AUTH_TOKENS,
        lister=lambda ctx: svc.list_auth_tokens(ctx.session, user.id), cli_words="iam auth-token create",
        reveal=lambda t: [("Auth token", t.token)], secret_attrs=("token",), credential_kind="identity.auth_token",
        help="What it is for (\"docker login to OCIR\"); up to 400 characters. A user has at most "
             f"{svc.MAX_AUTH_TOKENS} auth tokens")


def secret_key_form(user) -> FormSpec:
    return _user_form(
        user, what="customer secret key", title="Create customer secret key",
        method="create_customer_secret_key", model="CreateCustomerSecretKeyDetails", text="display_name",
        text_label="Name", limit=svc.MAX_CUSTOMER_SECRET_KEYS,
        lister=lambda ctx: svc.list_customer_secret_keys(ctx.session, user.id),
        cli_words="iam customer-secret-key create",
        reveal=lambda k: [("Access key", k.id), ("Secret key", k.key)], secret_attrs=("key",),
        credential_kind="identity.customer_secret_key",
        help="An S3-compatible access key and secret for Object Storage; up to 400 characters. A user has at "
             f"most {svc.MAX_CUSTOMER_SECRET_KEYS} secret keys")


def smtp_credential_form(user) -> FormSpec:
    return _user_form(
        user, what="SMTP credential", title="Create SMTP credentials", method="create_smtp_credential",
        model="CreateSmtpCredentialDetails", text="description", text_label="Description",
        limit=svc.MAX_SMTP_CREDENTIALS, lister=lambda ctx: svc.list_smtp_credentials(ctx.session, user.id),
        cli_words="iam smtp-credential create",
        reveal=lambda c: [("Username", c.username), ("Password", c.password)], secret_attrs=("password",),
        credential_kind="identity.smtp_credential",
        help="For sending e-mail through OCI Email Delivery; up to 400 characters. A user has at most "
             f"{svc.MAX_SMTP_CREDENTIALS} SMTP credentials")


# a credential of a user as the delete form lists it: (kind, its name, OCID or fingerprint, SDK delete method, CLI)
_DELETABLE = [
    ("auth_token", "Auth token", svc.list_auth_tokens, lambda c: c.description or "", lambda c: c.id,
     "delete_auth_token", "iam auth-token delete", "--auth-token-id"),
    ("secret_key", "Customer secret key", svc.list_customer_secret_keys, lambda c: c.display_name or "",
     lambda c: c.id, "delete_customer_secret_key", "iam customer-secret-key delete", "--customer-secret-key-id"),
    ("smtp", "SMTP credential", svc.list_smtp_credentials, lambda c: c.description or "", lambda c: c.id,
     "delete_smtp_credential", "iam smtp-credential delete", "--smtp-credential-id"),
    ("api_key", "API key", svc.list_api_keys, lambda c: c.fingerprint or "", lambda c: c.fingerprint,
     "delete_api_key", "iam user api-key delete", "--fingerprint"),
]


def delete_credential_form(user) -> FormSpec:
    by_kind = {d[0]: d for d in _DELETABLE}

    async def credentials(ctx: FormContext, _values) -> list[Option]:
        out = []
        for key, label, lister, name, ref, *_ in _DELETABLE:
            for c in await lister(ctx.session, user.id):
                out.append(Option(f"{key}:{ref(c)}", f"{label} — {name(c) or '(no description)'}", (key, name(c))))
        return out

    def chosen(values, ctx):
        return ctx.data("credential", values.get("credential"))

    def parts(v: dict):
        key, _, ref = v["credential"].partition(":")
        return by_kind[key], ref

    def build(v: dict, ctx: FormContext) -> Request:
        d, ref = parts(v)
        return Request("identity", d[5], args=(user.id, ref), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        d, ref = parts(v)
        return cli_command(d[6], [("--user-id", user.id), (d[7], ref)]) + " \\\n    --force"

    def describe(v: dict) -> str:
        key, _, _ref = (v.get("credential") or "").partition(":")
        return by_kind[key][1].lower() if key in by_kind else "credential"

    return FormSpec(
        title=f"Delete a credential of {user.name}", kind_id="identity.credential",
        fields=[
            Field("credential", N_("Credential"), "choice", required=True, options=credentials,
                  help=N_("Whatever signs in with it stops working at once")),
            confirm_field(lambda values, ctx: (chosen(values, ctx) or (None, None))[1], "the credential's description",
                          ("credential",)),
        ],
        build=build, cli=cli, describe=describe, submit_label=N_("Delete"),
        op_title=lambda v: f"Delete {describe(v)} {(v.get('confirm') or '').strip()} of user {user.name}")


async def _unused(*_args):
    return None


USERS = ResourceKind(
    id="identity.user", label=N_("Users"), singular=N_("User"), group=N_("Identity"), icon="user", order=2,
                     scope="tenancy",
    name_attr="name", list=svc.list_users, get=svc.get_user, ocid_types=("user",),
    columns=[Column(N_("Name"), attr("name"), width=200), Column(N_("E-mail"), attr("email"), width=200),
             *_IAM_COLUMNS[1:]],
    related=[Related(N_("Groups"), _user_groups), Related(N_("Credentials"), _user_credentials)],
    actions=[
        Action("auth_token", N_("Create auth token…"), _unused, frozenset({"ACTIVE"}), form=auth_token_form,
               icon="create", verb=N_("Creating an auth token for")),
        Action("secret_key", N_("Create customer secret key…"), _unused, frozenset({"ACTIVE"}), form=secret_key_form,
               icon="create", verb=N_("Creating a customer secret key for")),
        Action("smtp_credential", N_("Create SMTP credentials…"), _unused, frozenset({"ACTIVE"}),
               form=smtp_credential_form, icon="create", verb=N_("Creating SMTP credentials for")),
        _iam_delete(svc.delete_user),  # first of the destructive ones: the Delete key deletes the user
        # destructive, confirmed in its own form (the credential's description typed), not by the user's name
        Action("delete_credential", N_("Delete credential…"), _unused, frozenset({"ACTIVE", "INACTIVE"}),
               destructive=True, confirm="form", form=delete_credential_form, icon="delete",
               verb=N_("Deleting a credential of"))],
    ready_states=frozenset({"ACTIVE"}))


async def _no_list(_session, _compartment_id) -> list:
    return []


def _credential_kind(kind_id: str, label: str, singular: str, name_attr: str) -> ResourceKind:
    """A user's credential as the forms above create it (hidden: listed under its user's Credentials)."""
    return ResourceKind(
        id=kind_id, label=label, singular=singular, group=N_("Identity"), icon="security", scope="hidden",
        list=_no_list, get=None, name_attr=name_attr, movable=False,
        columns=[Column(N_("Name"), attr(name_attr)), Column(N_("State"), attr("lifecycle_state"), "state"),
                 Column(N_("Created"), attr("time_created"), "datetime")],
        ready_states=frozenset({"ACTIVE"}))


AUTH_TOKENS = _credential_kind("identity.auth_token", "Auth tokens", "Auth token", "description")
SECRET_KEYS = _credential_kind("identity.customer_secret_key", "Customer secret keys", "Customer secret key",
                               "display_name")
SMTP_CREDENTIALS = _credential_kind("identity.smtp_credential", "SMTP credentials", "SMTP credential",
                                    "description")
CREDENTIALS = _credential_kind("identity.credential", "Credentials", "Credential", "description")

GROUPS = ResourceKind(
    id="identity.group", label=N_("Groups"), singular=N_("Group"), group=N_("Identity"), icon="group", order=3,
                      scope="tenancy",
    name_attr="name", list=svc.list_groups, get=svc.get_group, ocid_types=("group",), columns=_IAM_COLUMNS,
    related=[Related(N_("Members"), _group_members)], actions=[_iam_delete(svc.delete_group)], create=GROUP_FORM,
    ready_states=frozenset({"ACTIVE"}))

POLICIES = ResourceKind(
    id="identity.policy", label=N_("Policies"), singular=N_("Policy"), group=N_("Identity"), icon="policy", order=5,
    name_attr="name", list=svc.list_policies, get=svc.get_policy, ocid_types=("policy",),
    columns=[*_IAM_COLUMNS[:2], Column(N_("Statements"), lambda p: len(p.statements or []), "number"),
             *_IAM_COLUMNS[2:]],
    related=[Related(N_("Statements"), _policy_statements)], actions=[_iam_delete(svc.delete_policy)],
    create=POLICY_FORM, ready_states=frozenset({"ACTIVE"}))



# ---------------------------------------------------------------- dynamic groups

def _rule_text(v: str) -> str:
    """The form's lines joined the way the Console joins several rules: ANY {rule, rule}."""
    lines = [ln.strip() for ln in (v or "").splitlines() if ln.strip()]
    return lines[0] if len(lines) == 1 else "ANY {" + ", ".join(lines) + "}"


def _check_rules(v, _values, _ctx):
    lines = [ln.strip() for ln in (v or "").splitlines() if ln.strip()]
    for i, line in enumerate(lines, 1):
        err = matching_rules.check(line)
        if err:
            return f"Rule {i}: {err}" if len(lines) > 1 else err
    return None


def _dynamic_group_request(v: dict, ctx: FormContext) -> Request:
    return Request("identity", "create_dynamic_group", M.CreateDynamicGroupDetails(
        compartment_id=ctx.tenancy_id, name=v["name"], description=v["description"],
        matching_rule=_rule_text(v["matching_rule"]), freeform_tags=_tags(v)))


def _dynamic_group_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("iam dynamic-group create", [
        ("--compartment-id", d.compartment_id), ("--name", d.name), ("--description", d.description),
        ("--matching-rule", d.matching_rule), ("--freeform-tags", d.freeform_tags), ("--wait-for-state", "ACTIVE")])


DYNAMIC_GROUP_FORM = FormSpec(
    title=N_("Create dynamic group"), kind_id="identity.dynamic_group",
    fields=[
        Field("name", N_("Name"), "text", required=True, validate=lambda v, *_: validators.iam_name(v)),
        Field("description", N_("Description"), "text", required=True, validate=lambda v,
              *_: validators.description(v)),
        Field("matching_rule", N_("Matching rules"), "textarea", required=True, validate=_check_rules,
              placeholder=N_("ALL {instance.compartment.id = 'ocid1.compartment.oc1..…'}"),
              help=N_("One rule per line; a resource matching any line is a member. Variables: instance.id, "
                   "instance.compartment.id, resource.id, resource.type, resource.compartment.id, "
                   "tag.<namespace>.<key>.value")),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_dynamic_group_request, cli=_dynamic_group_cli, describe=lambda v: v.get("name", ""))


async def _matching_rule(session, dg) -> list[RelatedItem]:
    try:
        node = matching_rules.parse(dg.matching_rule or "")
    except matching_rules.RuleError:
        return [RelatedItem("Rule", dg.matching_rule or "")]
    mode = node.mode if isinstance(node, matching_rules.Group) else "ALL"
    return [RelatedItem(f"{mode} of" if i == 0 else "", f"{c.variable} {c.op or ''} {c.value or ''}".strip())
            for i, c in enumerate(matching_rules.conditions(node))]


DYNAMIC_GROUPS = ResourceKind(
    id="identity.dynamic_group", label=N_("Dynamic groups"), singular=N_("Dynamic group"), group=N_("Identity"),
                              icon="group",
    order=4, scope="tenancy", name_attr="name", list=svc.list_dynamic_groups, get=svc.get_dynamic_group,
    ocid_types=("dynamicgroup",),
    columns=[*_IAM_COLUMNS[:2], Column(N_("Matching rule"), attr("matching_rule"), width=320), *_IAM_COLUMNS[2:]],
    related=[Related(N_("Matching rule"), _matching_rule)], actions=[_iam_delete(svc.delete_dynamic_group)],
    create=DYNAMIC_GROUP_FORM, ready_states=frozenset({"ACTIVE"}))


# ---------------------------------------------------------------- network sources

_NOT_PUBLIC = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "224.0.0.0/4", "0.0.0.0/8", "fc00::/7", "fe80::/10", "::1/128", "ff00::/8"))


def _lines(v) -> list[str]:
    return [ln.strip() for ln in (v or "").replace(",", "\n").splitlines() if ln.strip()]


def _check_public(v, _values, _ctx):
    for item in _lines(v):
        try:
            net = ipaddress.ip_network(item, strict=True)
        except ValueError:
            return f"'{item}' is not an IP address or CIDR block (203.0.113.0/24)"
        if any(net.version == r.version and net.overlaps(r) for r in _NOT_PUBLIC):
            return f"{net} is not a public range (VCN addresses go under a virtual source)"
    return None


def _check_virtual(v, _values, _ctx):
    for line in _lines(v):
        parts = line.split()
        if len(parts) < 2 or not parts[0].startswith("ocid1.vcn."):
            return f"'{line[:40]}': write a VCN OCID then its ranges, e.g. ocid1.vcn.oc1… 10.0.0.0/16"
        for r in parts[1:]:
            try:
                ipaddress.ip_network(r, strict=True)
            except ValueError:
                return f"'{r}' is not an IP address or CIDR block"
    return None


def _network_source_request(v: dict, ctx: FormContext) -> Request:
    virtual = [M.NetworkSourcesVirtualSourceList(vcn_id=ln.split()[0], ip_ranges=ln.split()[1:])
               for ln in _lines(v.get("virtual_sources"))]
    return Request("identity", "create_network_source", M.CreateNetworkSourceDetails(
        compartment_id=ctx.tenancy_id, name=v["name"], description=v["description"],
        public_source_list=_lines(v.get("public_sources")) or None, virtual_source_list=virtual or None,
        freeform_tags=_tags(v)))


def _network_source_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("iam network-sources create", [
        ("--compartment-id", d.compartment_id), ("--name", d.name), ("--description", d.description),
        ("--public-source-list", d.public_source_list), ("--virtual-source-list", d.virtual_source_list),
        ("--freeform-tags", d.freeform_tags)])


def _some_source(v, values, _ctx):
    if not _lines(v) and not _lines(values.get("virtual_sources")):
        return "Give public addresses or a virtual source (a VCN and its ranges)"
    return _check_public(v, values, _ctx)


NETWORK_SOURCE_FORM = FormSpec(
    title=N_("Create network source"), kind_id="identity.network_source",
    fields=[
        Field("name", N_("Name"), "text", required=True, validate=lambda v, *_: validators.iam_name(v)),
        Field("description", N_("Description"), "text", required=True, validate=lambda v,
              *_: validators.description(v)),
        Field("virtual_sources", N_("Virtual sources"), "textarea", validate=_check_virtual,
              placeholder=N_("ocid1.vcn.oc1… 10.0.0.0/16"), help=N_("One VCN per line: its OCID, then its IP ranges")),
        Field("public_sources", N_("Public IP addresses"), "textarea", validate=_some_source,
              depends_on=("virtual_sources",), placeholder=N_("203.0.113.0/24"),
              help=N_("One address or CIDR block per line")),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_network_source_request, cli=_network_source_cli, describe=lambda v: v.get("name", ""))


async def _sources(session, ns) -> list[RelatedItem]:
    out = [RelatedItem("Public", cidr) for cidr in ns.public_source_list or []]
    for v in ns.virtual_source_list or []:
        out.append(RelatedItem("VCN", ", ".join(v.ip_ranges or []), v.vcn_id))
    return out


NETWORK_SOURCES = ResourceKind(
    id="identity.network_source", label=N_("Network sources"), singular=N_("Network source"), group=N_("Identity"),
    icon="security", order=6, scope="tenancy", name_attr="name", list=svc.list_network_sources,
    get=svc.get_network_source, ocid_types=("networksource",),
    columns=[*_IAM_COLUMNS[:2], Column(N_("Public ranges"), lambda n: len(n.public_source_list or []), "number"),
             Column(N_("VCNs"), lambda n: len(n.virtual_source_list or []), "number"), *_IAM_COLUMNS[2:]],
    related=[Related(N_("Sources"), _sources)], actions=[_iam_delete(svc.delete_network_source)],
    create=NETWORK_SOURCE_FORM, ready_states=frozenset({"ACTIVE"}))

# ---------------------------------------------------------------- tag defaults

def _enum_values(tag) -> list[str]:
    v = getattr(tag, "validator", None)
    return list(getattr(v, "values", None) or []) if getattr(v, "validator_type", None) == "ENUM" else []


async def _tag_namespaces(ctx: FormContext, _values) -> list[Option]:
    return [Option(n.id, n.name, n) for n in await svc.list_tag_namespaces(ctx.session)]


async def _tag_definitions(ctx: FormContext, values) -> list[Option]:
    if not values.get("tag_namespace_id"):
        return []
    return [Option(t.id, t.name + (f" — {t.description}" if t.description else ""), t)
            for t in await svc.list_tags(ctx.session, values["tag_namespace_id"])]


async def _tag_enum_values(ctx: FormContext, values) -> list[Option]:
    """The allowed values of an enum tag (the definition's list does not say: its full copy does)."""
    ns, tag = values.get("tag_namespace_id"), ctx.data("tag_definition_id", values.get("tag_definition_id"))
    if not ns or tag is None:
        return []
    full = await svc.get_tag(ctx.session, ns, tag.name)
    return [Option(v, v, full) for v in _enum_values(full)]


def _is_enum(_values, ctx: FormContext) -> bool:
    return bool(ctx.option_data.get("enum_value"))


def _tag_value(v: dict, ctx: FormContext) -> str:
    """The default's value: none when users supply it (a required tag), else the enum's choice or the text."""
    if v.get("is_required"):
        return ""
    if _is_enum(v, ctx):
        return v.get("enum_value") or ""
    return (v.get("value") or "").strip()


def _tag_already_defaulted(v, values, ctx: FormContext):
    tag = ctx.data("tag_definition_id", v)
    if tag is not None and tag.id in (ctx.data("existing", "existing") or set()):
        return f"This compartment already has a tag default for {tag.name}"
    return None


async def _existing_defaults(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    return [Option("existing", "", {d.tag_definition_id for d in await svc.list_tag_defaults(ctx.session, comp)})]


def _tag_default_request(v: dict, ctx: FormContext) -> Request:
    return Request("identity", "create_tag_default", M.CreateTagDefaultDetails(
        compartment_id=v["compartment_id"], tag_definition_id=v["tag_definition_id"], value=_tag_value(v, ctx),
        is_required=bool(v.get("is_required"))))


def _tag_default_cli(v, ctx, req: Request) -> str:
    d = req.details
    cmd = cli_command("iam tag-default create", [
        ("--compartment-id", d.compartment_id), ("--tag-definition-id", d.tag_definition_id), ("--value", d.value),
        ("--is-required", d.is_required)])
    return cmd if d.value else cmd + " \\\n    --value ''"  # required even when users supply it


TAG_DEFAULT_FORM = FormSpec(
    title=N_("Create tag default"), kind_id="identity.tag_default",
    fields=[
        Field("compartment_id", N_("Compartment"), "compartment", required=True,
              help=N_("Resources created in it and in its subcompartments get the tag")),
        Field("tag_namespace_id", N_("Tag namespace"), "choice", required=True, options=_tag_namespaces),
        Field("tag_definition_id", N_("Tag"), "choice", required=True, options=_tag_definitions,
              depends_on=("tag_namespace_id",), validate=_tag_already_defaulted),
        Field("is_required", N_("Users supply the value (required tag)"), "bool", default=False,
              help=N_("No default value: creating a resource in the compartment fails unless a value is given")),
        Field("enum_value", N_("Value"), "choice", required=True, options=_tag_enum_values,
              depends_on=("tag_namespace_id", "tag_definition_id"),
              visible=lambda v, c: _is_enum(v, c) and not v.get("is_required"), help=N_("The tag's allowed values")),
        Field("value", N_("Value"), "text", required=True, visible=lambda v, c: not _is_enum(v, c) and not v.get(
            "is_required"), validate=lambda v, *_: "At most 256 characters" if len(v) > 256 else None,
              help=N_("Up to 256 characters")),
        Field("existing", N_("Existing tag defaults"), "choice", required=True, options=_existing_defaults,
              depends_on=("compartment_id",), visible=lambda v, c: False),
    ],
    build=_tag_default_request, cli=_tag_default_cli,
    describe=lambda v: "", op_title=lambda v: "Create tag default")


TAG_DEFAULTS = ResourceKind(
    id="identity.tag_default", label=N_("Tag defaults"), singular=N_("Tag default"), group=N_("Identity"),
                            icon="policy",
    order=7, name_attr="tag_definition_name", list=svc.list_tag_defaults, get=svc.get_tag_default,
    ocid_types=("tagdefault",), movable=False,
    columns=[Column(N_("Tag"), attr("tag_definition_name"), width=180),
             Column(N_("Value"), lambda d: d.value if d.value else "(user supplies it)", width=180),
             Column(N_("Required"), lambda d: "Yes" if d.is_required else "No", width=80),
             Column(N_("State"), attr("lifecycle_state"), "state"), Column(N_("Created"), attr("time_created"),
                                                                           "datetime")],
    actions=[Action("delete", N_("Delete"), _delete(svc.delete_tag_default), frozenset({"ACTIVE"}), destructive=True,
                    confirm="name", target_states=GONE, gone_ok=True, shortcut="Delete", icon="delete",
                    verb=N_("Deleting"))],
    create=TAG_DEFAULT_FORM, ready_states=frozenset({"ACTIVE"}))

KINDS = [COMPARTMENTS, USERS, GROUPS, DYNAMIC_GROUPS, POLICIES, NETWORK_SOURCES, AUTH_TOKENS, SECRET_KEYS,
         SMTP_CREDENTIALS, CREDENTIALS, TAG_DEFAULTS]
