"""Identity (`/identity`): tenancy, regions, ADs and fault domains, compartments, users,
groups and memberships, policies, API keys, tag namespaces and tags."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import random
import re
import secrets
import string
import struct
from xml.etree import ElementTree

from ...lang import matching_rules
from ..auth import fingerprint_of, load_public_pem
from ..engine import ACTIVE_GONE, IDENTITY, Kind, Lifecycle
from ..policy import PolicyError, parse_statement
from ..protocol import ApiError, conflict, incorrect_state, invalid, looks_like_ocid, new_ocid, not_found, ts
from ..registry import Context, Result, Service
from . import workrequests

svc = Service("identity")
# written by hand below but for get: the engine serves get_user, get_group, get_policy, ...
_GET_ONLY = {"create": "", "list": "", "update": "", "delete": "", "move": ""}
for _k, _model, _what, _lc in (("user", "User", "user", IDENTITY), ("group", "Group", "group", IDENTITY),
                               ("membership", "UserGroupMembership", "membership", IDENTITY),
                               ("policy", "Policy", "policy", IDENTITY),  # a tag namespace is never CREATING
                               ("tagnamespace", "TagNamespace", "tag namespace",
                                Lifecycle(None, "ACTIVE", None, "DELETING", "DELETED"))):
    svc.resource(Kind(_k, _model, _what, lifecycle=_lc, regional=False, ops=dict(_GET_ONLY),
                      live=("CREATING", "ACTIVE", "INACTIVE")))
for _t, _k in (("Compartment", "compartment"), ("User", "user"), ("Group", "group"), ("Policy", "policy"),
               ("TagNamespace", "tagnamespace")):
    svc.search(_t, _k, "name")

# Regions this emulator knows: identifier -> (key, AD prefix)
REGIONS = {
    "us-ashburn-1": ("IAD", "US-ASHBURN"),
    "us-phoenix-1": ("PHX", "PHX"),
    "eu-frankfurt-1": ("FRA", "EU-FRANKFURT-1"),
    "uk-london-1": ("LHR", "UK-LONDON-1"),
    "ap-tokyo-1": ("NRT", "AP-TOKYO-1"),
    "ca-toronto-1": ("YYZ", "CA-TORONTO-1"),
    "sa-saopaulo-1": ("GRU", "SA-SAOPAULO-1"),
    "ap-sydney-1": ("SYD", "AP-SYDNEY-1"),
    "eu-amsterdam-1": ("AMS", "EU-AMSTERDAM-1"),
    "us-sanjose-1": ("SJC", "US-SANJOSE-1"),
}
AD_TENANT_PREFIX = "Uocm"
TERMINAL = {"TERMINATED", "DELETED", "DETACHED", "FAILED", "INACTIVE"}
_NAME_RE = re.compile(r"^[A-Za-z0-9._+@-]{1,100}$")


def ad_names(region: str) -> list[str]:
    key = REGIONS.get(region, (region.upper(), region.upper()))[1]
    n = 3 if region in ("us-ashburn-1", "us-phoenix-1", "eu-frankfurt-1", "uk-london-1") else 1
    return [f"{AD_TENANT_PREFIX}:{key}-AD-{i}" for i in range(1, n + 1)]


def fault_domains() -> list[str]:
    return [f"FAULT-DOMAIN-{i}" for i in (1, 2, 3)]


# ---------------------------------------------------------------- helpers

def _tenancy(ctx: Context) -> dict:
    return ctx.store.get("compartment", ctx.tenancy_id)


def _view_compartment(doc: dict) -> dict:
    if doc.get("_root"):
        d = dict(doc)
        d["compartmentId"] = doc["id"]
        return d
    return doc


def _require_tenancy_compartment(ctx: Context, comp_id: str, what: str) -> None:
    ctx.require(comp_id, "compartmentId")
    if comp_id != ctx.tenancy_id:
        raise invalid(f"{what} can only be created in the root compartment (the tenancy)")


def _check_name(name: str, what: str) -> str:
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise invalid(f"{what} name must be 1-100 characters of letters, digits, '.', '_', '+', '@' or '-'")
    return name


def _unique(ctx: Context, kind: str, name: str, what: str, scope: str | None = None, exclude: str | None = None):
    for d in ctx.store.list(kind, scope):
        if d.get("name", "").lower() == name.lower() and d["id"] != exclude and \
                d.get("lifecycleState") not in ("DELETED", "DELETING"):
            raise ApiError(409, "Conflict", f"{what} with name '{name}' already exists")


def subtree(ctx_or_store, root: str) -> list[dict]:
    store = getattr(ctx_or_store, "store", ctx_or_store)
    out, stack = [], [root]
    while stack:
        cid = stack.pop()
        for d in store.list("compartment", cid):
            if d["id"] == cid:
                continue
            out.append(d)
            stack.append(d["id"])
    return out


def _description(body: dict, what: str) -> str:
    d = body.get("description")
    if d is None:
        raise ApiError(400, "MissingParameter", f"{what}.description is required")
    if len(d) > 400:
        raise invalid(f"{what}.description must be at most 400 characters")
    return d


def _state_changes(final: str = "ACTIVE") -> dict:
    return {"lifecycleState": final}


# ---------------------------------------------------------------- tenancy, regions, ADs

@svc.op("get_tenancy")
def get_tenancy(ctx: Context):
    if ctx.path["tenancyId"] != ctx.tenancy_id:
        raise not_found("tenancy", ctx.path["tenancyId"])
    t = _tenancy(ctx)
    return {"id": t["id"], "name": t["name"], "description": t["description"],
            "homeRegionKey": REGIONS[ctx.core.home_region][0],
            "freeformTags": t.get("freeformTags", {}), "definedTags": t.get("definedTags", {})}


@svc.op("list_regions")
def list_regions(ctx: Context):
    return [{"key": k, "name": name} for name, (k, _ad) in REGIONS.items()]


@svc.op("list_region_subscriptions")
def list_region_subscriptions(ctx: Context):
    if ctx.path["tenancyId"] != ctx.tenancy_id:
        raise not_found("tenancy", ctx.path["tenancyId"])
    home = ctx.core.home_region
    return [{"regionKey": REGIONS[r][0], "regionName": r, "status": "READY", "isHomeRegion": r == home}
            for r in ctx.core.regions()]


@svc.op("create_region_subscription")
def create_region_subscription(ctx: Context):
    if ctx.path["tenancyId"] != ctx.tenancy_id:
        raise not_found("tenancy", ctx.path["tenancyId"])
    key = ctx.body["regionKey"]
    name = next((n for n, (k, _a) in REGIONS.items() if k == key.upper()), None)
    if name is None:
        raise invalid(f"Unknown region key '{key}'")
    regs = ctx.core.regions()
    if name not in regs:
        ctx.store.set_meta("subscribed_regions", regs + [name])
    return {"regionKey": key.upper(), "regionName": name, "status": "READY", "isHomeRegion": False}


@svc.op("list_availability_domains")
def list_availability_domains(ctx: Context):
    comp = ctx.compartment(ctx.query["compartmentId"])
    return [{"name": n, "id": f"ocid1.availabilitydomain.oc1..{n.split(':')[1].lower().replace('-', '')}",
             "compartmentId": ctx.tenancy_id if comp else ctx.tenancy_id} for n in ad_names(ctx.region)]


@svc.op("list_fault_domains")
def list_fault_domains(ctx: Context):
    ctx.compartment(ctx.query["compartmentId"])
    ad = ctx.query["availabilityDomain"]
    if ad not in ad_names(ctx.region):
        raise invalid(f"Unknown availability domain '{ad}' in region {ctx.region}")
    return [{"name": fd, "id": f"ocid1.faultdomain.oc1..{ad.split(':')[1].lower()}{fd.lower()}",
             "compartmentId": ctx.tenancy_id, "availabilityDomain": ad} for fd in fault_domains()]


# ---------------------------------------------------------------- compartments

@svc.op("list_compartments")
def list_compartments(ctx: Context):
    parent = ctx.query["compartmentId"]
    ctx.compartment(parent)
    if ctx.query.get("compartmentIdInSubtree"):
        if parent != ctx.tenancy_id:
            raise invalid("compartmentIdInSubtree can only be used with the tenancy's OCID")
        docs = subtree(ctx, parent)
    else:
        docs = [d for d in ctx.store.list("compartment", parent) if d["id"] != parent]
    # OCI lists ACTIVE (and recently deleted) compartments; accessLevel=ACCESSIBLE adds the
    # authorization filter, which is "all" for the emulator's administrators.
    return docs


@svc.op("get_compartment")
def get_compartment(ctx: Context):
    doc = ctx.store.get("compartment", ctx.path["compartmentId"])
    if doc is None:
        raise not_found("compartment", ctx.path["compartmentId"])
    return _view_compartment(doc)


def _compartment_name_ok(ctx: Context, parent: str, name: str, exclude: str | None = None) -> None:
    if not isinstance(name, str) or not re.match(r"^[A-Za-z0-9._-]{1,100}$", name):
        raise invalid("Compartment name must be 1-100 characters of letters, digits, '.', '_' or '-'")
    for d in ctx.store.list("compartment", parent):
        if d["id"] != parent and d["id"] != exclude and d["name"].lower() == name.lower() and \
                d["lifecycleState"] in ("ACTIVE", "CREATING", "DELETING"):
            raise ApiError(409, "Conflict", f"A compartment named '{name}' already exists in this compartment")


def _depth(ctx: Context, comp_id: str) -> int:
    depth = 0
    cur = ctx.store.get("compartment", comp_id)
    while cur is not None and not cur.get("_root"):
        depth += 1
        cur = ctx.store.get("compartment", cur["compartmentId"])
    return depth


@svc.op("create_compartment")
def create_compartment(ctx: Context):
    b = ctx.body
    parent = ctx.compartment(b["compartmentId"])
    _compartment_name_ok(ctx, parent["id"], b["name"])
    if _depth(ctx, parent["id"]) >= 6:
        raise invalid("Compartments can be nested at most six levels deep")
    doc = {
        "id": ctx.new_id("compartment", regional=False), "compartmentId": parent["id"], "name": b["name"],
        "description": _description(b, "createCompartmentDetails"), "timeCreated": ctx.ts(),
        "lifecycleState": "ACTIVE", "isAccessible": True, "freeformTags": {}, "definedTags": {},
    }
    doc.update(ctx.tags(b))
    return ctx.put("compartment", doc)


@svc.op("update_compartment")
def update_compartment(ctx: Context):
    doc = ctx.get_for_write("compartment", ctx.path["compartmentId"], "compartment")
    if doc.get("_root"):
        raise invalid("The root compartment (tenancy) cannot be updated through this operation")
    if doc["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"Compartment is {doc['lifecycleState']}")
    b = ctx.body or {}
    changes = {}
    if b.get("name") is not None:
        _compartment_name_ok(ctx, doc["compartmentId"], b["name"], exclude=doc["id"])
        changes["name"] = b["name"]
    if b.get("description") is not None:
        changes["description"] = _description(b, "updateCompartmentDetails")
    changes.update(ctx.tags(b))
    return ctx.update("compartment", doc["id"], changes)


def _compartment_contents(ctx: Context, comp_id: str) -> list[str]:
    """Live resources in a compartment (what keeps it from being deleted)."""
    found = []
    for kind in list(ctx.store._docs):
        if kind.startswith("_") or kind in ("workrequest",):
            continue
        for d in ctx.store.list(kind, comp_id):
            if d["id"] == comp_id:
                continue
            if kind == "compartment" and d["lifecycleState"] in ("DELETED",):
                continue
            if str(d.get("lifecycleState", "")).upper() in TERMINAL:
                continue
            found.append(f"{kind} {d.get('displayName') or d.get('name') or d['id']}")
            if len(found) >= 5:
                return found
    return found


@svc.op("delete_compartment")
def delete_compartment(ctx: Context):
    doc = ctx.get_for_write("compartment", ctx.path["compartmentId"], "compartment")
    if doc.get("_root"):
        raise invalid("The root compartment (tenancy) cannot be deleted")
    if doc["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"Compartment is {doc['lifecycleState']}")
    contents = _compartment_contents(ctx, doc["id"])
    if contents:
        raise ApiError(409, "CompartmentNotEmpty",
                       f"Compartment '{doc['name']}' is not empty; it still contains: " + ", ".join(contents))
    ctx.update("compartment", doc["id"], {"lifecycleState": "DELETING"})
    wr = workrequests.start(ctx, "identity", "DELETE_COMPARTMENT", doc["compartmentId"],
                            [{"entityType": "compartment", "actionType": "DELETED", "identifier": doc["id"],
                              "entityUri": f"/20160918/compartments/{doc['id']}"}])
    ctx.schedule("compartment", doc["id"], {"lifecycleState": "DELETED"}, steps=2, when_state="DELETING",
                 hook="identity.wr_done", args={"wr": wr["id"]})
    return Result(status=202)  # accepted: the work request completes it


@svc.op("recover_compartment")
def recover_compartment(ctx: Context):
    doc = ctx.get_for_write("compartment", ctx.path["compartmentId"], "compartment")
    if doc["lifecycleState"] != "DELETED":
        raise incorrect_state("Only a DELETED compartment can be recovered")
    return ctx.update("compartment", doc["id"], {"lifecycleState": "ACTIVE"})


@svc.op("move_compartment")
def move_compartment(ctx: Context):
    doc = ctx.get_for_write("compartment", ctx.path["compartmentId"], "compartment")
    if doc.get("_root"):
        raise invalid("The root compartment cannot be moved")
    target = ctx.compartment(ctx.body["targetCompartmentId"], "targetCompartmentId")
    if target["id"] == doc["id"] or any(d["id"] == target["id"] for d in subtree(ctx, doc["id"])):
        raise invalid("A compartment cannot be moved into itself or one of its descendants")
    if target["id"] == doc["compartmentId"]:
        raise invalid("The compartment is already in the target compartment")
    _compartment_name_ok(ctx, target["id"], doc["name"], exclude=doc["id"])
    wr = workrequests.start(ctx, "identity", "MOVE_COMPARTMENT", doc["compartmentId"],
                            [{"entityType": "compartment", "actionType": "UPDATED", "identifier": doc["id"],
                              "entityUri": f"/20160918/compartments/{doc['id']}"}])
    ctx.schedule("compartment", doc["id"], {"compartmentId": target["id"]}, steps=1,
                 hook="identity.wr_done", args={"wr": wr["id"]})
    return None


@svc.hook("identity.wr_done")
def _wr_done(core, doc: dict, args: dict) -> None:
    workrequests.finish(core, args["wr"], True)


# ---------------------------------------------------------------- users, groups, memberships

def _create_principal(ctx: Context, kind: str, what: str, extra: dict | None = None) -> dict:
    b = ctx.body
    _require_tenancy_compartment(ctx, b["compartmentId"], what)
    _check_name(b["name"], what)
    _unique(ctx, kind, b["name"], what)
    if kind == "group":  # groups and dynamic groups share one namespace
        _unique(ctx, "dynamicgroup", b["name"], "Dynamic group")
    doc = {"id": ctx.new_id(kind, regional=False), "compartmentId": ctx.tenancy_id, "name": b["name"],
           "description": _description(b, f"create{what}Details"), "timeCreated": ctx.ts(),
           "lifecycleState": "ACTIVE", "freeformTags": {}, "definedTags": {}}
    doc.update(extra or {})
    doc.update(ctx.tags(b))
    return ctx.put(kind, doc)


def _list_tenancy_level(ctx: Context, kind: str) -> list[dict]:
    comp = ctx.query["compartmentId"]
    if comp != ctx.tenancy_id:
        ctx.compartment(comp)
        return []
    return ctx.store.list(kind, comp)


def _update_simple(ctx: Context, kind: str, ident: str, what: str, fields=("description",)) -> dict:
    doc = ctx.get_for_write(kind, ident, what)
    b = ctx.body or {}
    changes = {}
    for f in fields:
        if b.get(f) is not None:
            changes[f] = b[f]
    if "description" in changes and len(changes["description"]) > 400:
        raise invalid("description must be at most 400 characters")
    changes.update(ctx.tags(b))
    return ctx.update(kind, doc["id"], changes)


@svc.op("create_user")
def create_user(ctx: Context):
    email = ctx.body.get("email")
    if email is not None and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        raise invalid("email is not a valid e-mail address")
    extra = {"emailVerified": False, "isMfaActivated": False}
    if email:
        extra["email"] = email
    return _create_principal(ctx, "user", "User", extra)


@svc.op("list_users")
def list_users(ctx: Context):
    return _list_tenancy_level(ctx, "user")


@svc.op("update_user")
def update_user(ctx: Context):
    return _update_simple(ctx, "user", ctx.path["userId"], "user", ("description", "email"))


@svc.op("update_user_state")
def update_user_state(ctx: Context):
    doc = ctx.get_for_write("user", ctx.path["userId"], "user")
    blocked = ctx.body.get("blocked")
    return ctx.update("user", doc["id"], {"lifecycleState": "INACTIVE" if blocked else "ACTIVE",
                                          "inactiveStatus": 4 if blocked else None})


@svc.op("delete_user")
def delete_user(ctx: Context):
    doc = ctx.get_for_write("user", ctx.path["userId"], "user")
    if doc["id"] == ctx.store.meta("admin_user_id"):
        raise conflict("The emulator's administrator cannot be deleted")
    members = [m for m in ctx.store.list("membership", ctx.tenancy_id) if m["userId"] == doc["id"]]
    if members:
        raise conflict(f"User '{doc['name']}' is still a member of {len(members)} group(s); remove it first")
    for k in [k for k in ctx.store.list("apikey") if k["userId"] == doc["id"]]:
        ctx.delete("apikey", k["id"])
    for kind in ("authtoken", "customersecretkey", "smtpcredential", "swiftpassword", "oauth2clientcredential",
                 "dbcredential", "mfatotpdevice"):  # a user's credentials go with it
        for c in list(ctx.store.by_field(kind, "userId", doc["id"])):
            ctx.delete(kind, c["id"])
    ctx.delete("user", doc["id"])
    return None


@svc.op("create_group")
def create_group(ctx: Context):
    return _create_principal(ctx, "group", "Group")


@svc.op("list_groups")
def list_groups(ctx: Context):
    return _list_tenancy_level(ctx, "group")


@svc.op("update_group")
def update_group(ctx: Context):
    return _update_simple(ctx, "group", ctx.path["groupId"], "group")


@svc.op("delete_group")
def delete_group(ctx: Context):
    doc = ctx.get_for_write("group", ctx.path["groupId"], "group")
    members = [m for m in ctx.store.list("membership", ctx.tenancy_id) if m["groupId"] == doc["id"]]
    if members:
        raise conflict(f"Group '{doc['name']}' still has {len(members)} member(s); remove them first")
    ctx.delete("group", doc["id"])
    return None


@svc.op("add_user_to_group")
def add_user_to_group(ctx: Context):
    user = ctx.get("user", ctx.body["userId"], "user")
    group = ctx.get("group", ctx.body["groupId"], "group")
    for m in ctx.store.list("membership", ctx.tenancy_id):
        if m["userId"] == user["id"] and m["groupId"] == group["id"]:
            raise conflict(f"User '{user['name']}' is already a member of group '{group['name']}'")
    doc = {"id": ctx.new_id("groupmembership", regional=False), "compartmentId": ctx.tenancy_id,
           "groupId": group["id"], "userId": user["id"], "timeCreated": ctx.ts(), "lifecycleState": "ACTIVE"}
    return ctx.put("membership", doc)


@svc.op("list_user_group_memberships")
def list_user_group_memberships(ctx: Context):
    docs = _list_tenancy_level(ctx, "membership")
    uid, gid = ctx.query.get("userId"), ctx.query.get("groupId")
    return [m for m in docs if (uid is None or m["userId"] == uid) and (gid is None or m["groupId"] == gid)]


@svc.op("remove_user_from_group")
def remove_user_from_group(ctx: Context):
    doc = ctx.get_for_write("membership", ctx.path["userGroupMembershipId"], "membership")
    ctx.delete("membership", doc["id"])
    return None


# ---------------------------------------------------------------- API keys

MAX_API_KEYS = 3


def _apikey_view(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "id"}


@svc.op("upload_api_key")
def upload_api_key(ctx: Context):
    user = ctx.get("user", ctx.path["userId"], "user")
    try:
        pub = load_public_pem(ctx.body["key"].strip() + "\n")
    except (ValueError, TypeError):
        raise invalid("key must be an RSA public key in PEM format (-----BEGIN PUBLIC KEY-----)") from None
    if pub.key_size < 2048:
        raise invalid("The API key must be an RSA key of at least 2048 bits")
    fp = fingerprint_of(pub)
    keys = [k for k in ctx.store.list("apikey") if k["userId"] == user["id"]]
    if any(k["fingerprint"] == fp for k in keys):
        raise conflict("This public key is already registered for the user")
    if len(keys) >= MAX_API_KEYS:
        raise ApiError(409, "LimitExceeded", f"A user can have at most {MAX_API_KEYS} API keys")
    key_id = f"{ctx.tenancy_id}/{user['id']}/{fp}"
    doc = {"id": key_id, "keyId": key_id, "keyValue": ctx.body["key"].strip(), "fingerprint": fp,
           "userId": user["id"], "timeCreated": ctx.ts(), "lifecycleState": "ACTIVE"}
    return _apikey_view(ctx.put("apikey", doc))


@svc.op("list_api_keys")
def list_api_keys(ctx: Context):
    user = ctx.get("user", ctx.path["userId"], "user")
    return [_apikey_view(k) for k in ctx.store.list("apikey") if k["userId"] == user["id"]]


@svc.op("delete_api_key")
def delete_api_key(ctx: Context):
    user = ctx.get("user", ctx.path["userId"], "user")
    key_id = f"{ctx.tenancy_id}/{user['id']}/{ctx.path['fingerprint']}"
    doc = ctx.get_for_write("apikey", key_id, "API key")
    ctx.delete("apikey", doc["id"])
    return None


# ---------------------------------------------------------------- policies

def _check_statements(ctx: Context, statements: list[str], comp_id: str) -> None:
    if not statements:
        raise invalid("A policy needs at least one statement")
    if len(statements) > 50:
        raise invalid("A policy can have at most 50 statements")
    groups = {g["name"].lower() for g in ctx.store.list("group", ctx.tenancy_id)}
    dynamic = {g["name"].lower() for g in ctx.store.list("dynamicgroup") if DYNAMIC_GROUP.is_live(g)}
    for i, s in enumerate(statements):
        try:
            parsed = parse_statement(s)
        except PolicyError as e:
            raise invalid(f"statements[{i}]: {e}") from e
        for kind, g in _policy_subjects(s):  # 'group a, dynamic-group b': each must exist
            known = dynamic if kind == "dynamic-group" else groups
            if "/" not in g and g.lower() not in known:
                raise invalid(f"statements[{i}]: {kind.replace('-', ' ')} '{g}' does not exist")
        path = parsed.get("compartment_path")
        if path:
            cur = comp_id
            for name in path.split(":"):
                nxt = next((d for d in ctx.store.list("compartment", cur)
                            if d["id"] != cur and d["name"].lower() == name.lower()
                            and d["lifecycleState"] == "ACTIVE"), None)
                if nxt is None:
                    raise invalid(f"statements[{i}]: compartment '{path}' not found under the policy's compartment")
                cur = nxt["id"]


@svc.op("create_policy")
def create_policy(ctx: Context):
    b = ctx.body
    comp = ctx.compartment(b["compartmentId"])
    _check_name(b["name"], "Policy")
    _unique(ctx, "policy", b["name"], "Policy", scope=comp["id"])
    _check_statements(ctx, b["statements"], comp["id"])
    doc = {"id": ctx.new_id("policy", regional=False), "compartmentId": comp["id"], "name": b["name"],
           "statements": list(b["statements"]), "description": _description(b, "createPolicyDetails"),
           "timeCreated": ctx.ts(), "lifecycleState": "ACTIVE", "freeformTags": {}, "definedTags": {}}
    if b.get("versionDate"):
        doc["versionDate"] = b["versionDate"]
    doc.update(ctx.tags(b))
    return ctx.put("policy", doc)


@svc.op("list_policies")
def list_policies(ctx: Context):
    comp = ctx.compartment(ctx.query["compartmentId"])
    return ctx.store.list("policy", comp["id"])


@svc.op("update_policy")
def update_policy(ctx: Context):
    doc = ctx.get_for_write("policy", ctx.path["policyId"], "policy")
    b = ctx.body or {}
    changes = {}
    if b.get("statements") is not None:
        _check_statements(ctx, b["statements"], doc["compartmentId"])
        changes["statements"] = list(b["statements"])
    if b.get("description") is not None:
        changes["description"] = _description(b, "updatePolicyDetails")
    if b.get("versionDate") is not None:
        changes["versionDate"] = b["versionDate"]
    changes.update(ctx.tags(b))
    return ctx.update("policy", doc["id"], changes)


@svc.op("delete_policy")
def delete_policy(ctx: Context):
    doc = ctx.get_for_write("policy", ctx.path["policyId"], "policy")
    ctx.delete("policy", doc["id"])
    return None


# ---------------------------------------------------------------- tags

@svc.op("create_tag_namespace")
def create_tag_namespace(ctx: Context):
    b = ctx.body
    comp = ctx.compartment(b["compartmentId"])
    name = b["name"]
    if not re.match(r"^[A-Za-z0-9_-]{1,100}$", name) or name.lower().startswith("oci"):
        raise invalid("Tag namespace name must be 1-100 letters, digits, '_' or '-' and not start with 'oci'")
    for d in ctx.store.list("tagnamespace"):
        if d["name"].lower() == name.lower():
            raise conflict(f"A tag namespace named '{name}' already exists in the tenancy")
    doc = {"id": ctx.new_id("tagnamespace", regional=False), "compartmentId": comp["id"], "name": name,
           "description": _description(b, "createTagNamespaceDetails"), "isRetired": False,
           "lifecycleState": "ACTIVE", "timeCreated": ctx.ts(), "freeformTags": {}, "definedTags": {}}
    doc.update(ctx.tags(b))
    return ctx.put("tagnamespace", doc)


@svc.op("list_tag_namespaces")
def list_tag_namespaces(ctx: Context):
    comp = ctx.compartment(ctx.query["compartmentId"])
    if ctx.query.get("includeSubcompartments"):
        ids = {comp["id"]} | {d["id"] for d in subtree(ctx, comp["id"])}
        return [d for d in ctx.store.list("tagnamespace") if d["compartmentId"] in ids]
    return ctx.store.list("tagnamespace", comp["id"])


@svc.op("update_tag_namespace")
def update_tag_namespace(ctx: Context):
    doc = ctx.get("tagnamespace", ctx.path["tagNamespaceId"], "tag namespace")
    b = ctx.body or {}
    changes = {}
    if b.get("description") is not None:
        changes["description"] = b["description"]
    if b.get("isRetired") is not None:
        changes["isRetired"] = b["isRetired"]
        changes["lifecycleState"] = "INACTIVE" if b["isRetired"] else "ACTIVE"
    changes.update(ctx.tags(b))
    return ctx.update("tagnamespace", doc["id"], changes)


@svc.op("delete_tag_namespace")
def delete_tag_namespace(ctx: Context):
    doc = ctx.get_for_write("tagnamespace", ctx.path["tagNamespaceId"], "tag namespace")
    if not doc["isRetired"]:
        raise incorrect_state("A tag namespace must be retired before it is deleted")
    if any(t["tagNamespaceId"] == doc["id"] for t in ctx.store.list("tag")):
        raise conflict("The tag namespace still has tag definitions; delete them first")
    ctx.delete("tagnamespace", doc["id"])
    return None


def _tag(ctx: Context, ns_id: str, name: str) -> dict:
    for t in ctx.store.list("tag"):
        if t["tagNamespaceId"] == ns_id and t["name"].lower() == name.lower():
            return t
    raise not_found("tag", name)


def _check_validator(v: dict | None) -> dict | None:
    if v is None:
        return None
    if v.get("validatorType") == "ENUM":
        vals = v.get("values") or []
        if not vals or len(vals) > 100 or any(not isinstance(x, str) or not x for x in vals):
            raise invalid("An ENUM validator needs 1-100 non-empty string values")
    return v


@svc.op("create_tag")
def create_tag(ctx: Context):
    ns = ctx.get("tagnamespace", ctx.path["tagNamespaceId"], "tag namespace")
    if ns["isRetired"]:
        raise incorrect_state("Tags cannot be added to a retired namespace")
    b = ctx.body
    name = b["name"]
    if not re.match(r"^[A-Za-z0-9_.-]{1,100}$", name):
        raise invalid("Tag name must be 1-100 letters, digits, '_', '.' or '-'")
    if any(t["tagNamespaceId"] == ns["id"] and t["name"].lower() == name.lower() for t in ctx.store.list("tag")):
        raise conflict(f"Tag '{name}' already exists in namespace '{ns['name']}'")
    doc = {"id": ctx.new_id("tagdefinition", regional=False), "compartmentId": ns["compartmentId"],
           "tagNamespaceId": ns["id"], "tagNamespaceName": ns["name"], "name": name,
           "description": _description(b, "createTagDetails"), "isRetired": False, "lifecycleState": "ACTIVE",
           "timeCreated": ctx.ts(), "isCostTracking": bool(b.get("isCostTracking", False)),
           "freeformTags": {}, "definedTags": {}}
    if b.get("validator") is not None:
        doc["validator"] = _check_validator(b["validator"])
    doc.update(ctx.tags(b))
    return ctx.put("tag", doc)


@svc.op("list_tags")
def list_tags(ctx: Context):
    ns = ctx.get("tagnamespace", ctx.path["tagNamespaceId"], "tag namespace")
    return [t for t in ctx.store.list("tag") if t["tagNamespaceId"] == ns["id"]]


@svc.op("get_tag")
def get_tag(ctx: Context):
    ns = ctx.get("tagnamespace", ctx.path["tagNamespaceId"], "tag namespace")
    return _tag(ctx, ns["id"], ctx.path["tagName"])


@svc.op("update_tag")
def update_tag(ctx: Context):
    ns = ctx.get("tagnamespace", ctx.path["tagNamespaceId"], "tag namespace")
    t = _tag(ctx, ns["id"], ctx.path["tagName"])
    ctx.check_if_match(t)
    b = ctx.body or {}
    changes = {}
    for f in ("description", "isCostTracking"):
        if b.get(f) is not None:
            changes[f] = b[f]
    if b.get("isRetired") is not None:
        changes["isRetired"] = b["isRetired"]
        changes["lifecycleState"] = "INACTIVE" if b["isRetired"] else "ACTIVE"
    if "validator" in b:
        changes["validator"] = _check_validator(b["validator"])
    changes.update(ctx.tags(b))
    return ctx.update("tag", t["id"], changes)


@svc.op("delete_tag")
def delete_tag(ctx: Context):
    ns = ctx.get("tagnamespace", ctx.path["tagNamespaceId"], "tag namespace")
    t = _tag(ctx, ns["id"], ctx.path["tagName"])
    ctx.check_if_match(t)
    ctx.delete("tag", t["id"])
    return None


@svc.hook("identity.check_defined_tags")
def check_defined_tags(core, _doc: dict, args: dict) -> None:
    defined = args["definedTags"]
    namespaces = {d["name"].lower(): d for d in core.store.list("tagnamespace")}
    tags = core.store.list("tag")
    for ns_name, kv in defined.items():
        ns = namespaces.get(ns_name.lower())
        if ns is None:
            raise invalid(f"definedTags: tag namespace '{ns_name}' does not exist")
        if ns["isRetired"]:
            raise invalid(f"definedTags: tag namespace '{ns_name}' is retired")
        if not isinstance(kv, dict):
            raise invalid(f"definedTags.{ns_name}: expected an object of tag values")
        for key, value in kv.items():
            t = next((t for t in tags if t["tagNamespaceId"] == ns["id"] and t["name"].lower() == key.lower()), None)
            if t is None:
                raise invalid(f"definedTags: tag '{ns_name}.{key}' does not exist")
            if t["isRetired"]:
                raise invalid(f"definedTags: tag '{ns_name}.{key}' is retired")
            v = t.get("validator")
            if v and v.get("validatorType") == "ENUM" and value not in v.get("values", []):
                raise invalid(f"definedTags: '{value}' is not an allowed value for {ns_name}.{key} "
                              f"(allowed: {', '.join(v['values'])})")


# ---------------------------------------------------------------- dynamic groups

IAM_NOW = Lifecycle(None, "ACTIVE", None, None, None)  # ACTIVE when created, gone (404) once deleted
_DG_SUBJECT = re.compile(r"^\s*(?:allow|endorse|admit|deny)\s+(.+?)\s+to\s+", re.I)


def _check_matching_rule(rule) -> None:
    ctx_rule = rule if isinstance(rule, str) else None
    if ctx_rule is None or not ctx_rule.strip():
        raise ApiError(400, "MissingParameter", "matchingRule is required")
    try:
        matching_rules.parse(ctx_rule)
    except matching_rules.RuleError as e:
        raise invalid(f"matchingRule: {e}") from e


def _dynamic_group_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is None or body.get("matchingRule") is not None:
        _check_matching_rule(body.get("matchingRule"))
    if body.get("description") is not None and len(body["description"]) > 400:
        raise invalid("description must be at most 400 characters")
    if existing is not None:
        return {}
    _require_tenancy_compartment(ctx, body.get("compartmentId"), "Dynamic groups")
    name = _check_name(body.get("name"), "Dynamic group")
    _description(body, "createDynamicGroupDetails")
    # one namespace for groups and dynamic groups: a policy names either
    _unique(ctx, "dynamicgroup", name, "Dynamic group")
    _unique(ctx, "group", name, "Group")
    return {}


DYNAMIC_GROUP = svc.resource(Kind(
    "dynamicgroup", "DynamicGroup", "dynamic group", lifecycle=IDENTITY, name_field="name", regional=False,
    validate=_dynamic_group_checks))


def _policy_subjects(statement: str) -> list[tuple[str, str]]:
    """(kind, name) of the groups and dynamic groups a statement names (not those given by OCID)."""
    m = _DG_SUBJECT.match(" ".join(statement.split()))
    if not m:
        return []
    out, kind = [], None
    for part in re.split(r"\s*,\s*", m.group(1)):
        pm = re.match(r"^(group|dynamic-group)\s+(.+)$", part, re.I)
        if pm:
            kind, name = pm.group(1).lower(), pm.group(2)
        elif kind is not None:
            name = part
        else:
            continue
        if name.lower().startswith("id "):
            continue
        out.append((kind, name.strip().strip("'")))
    return out


# ---------------------------------------------------------------- per-user credentials

# OCI's limits per user (IAM "Service Limits": auth tokens, customer secret keys, SMTP credentials)
MAX_AUTH_TOKENS = 2
MAX_SECRET_KEYS = 2
MAX_SMTP = 2
MAX_SWIFT = 2
MAX_OAUTH = 10
_ALNUM = string.ascii_letters + string.digits
_TOKEN_CHARS = _ALNUM + "+-_:;.()<>[]{}#"


def _secret(n: int, chars: str = _TOKEN_CHARS) -> str:
    return "".join(secrets.choice(chars) for _ in range(n))


def _path_user(ctx: Context) -> dict:
    return ctx.get("user", ctx.path["userId"], "user")


def _capable(user: dict, capability: str, what: str) -> None:
    if (user.get("capabilities") or {}).get(capability) is False:
        raise invalid(f"User '{user['name']}' cannot use {what}s (its capability {capability} is off)")


def _credential_checks(kind: str, limit: int, what: str, capability: str, text_field: str = "description"):
    def check(ctx: Context, body: dict, existing: dict | None) -> dict:
        text = body.get(text_field)
        if text is not None and len(text) > 400:
            raise invalid(f"{text_field} must be at most 400 characters")
        if existing is not None:
            return {}
        user = _path_user(ctx)
        if user["lifecycleState"] != "ACTIVE":
            raise incorrect_state(f"User '{user['name']}' is {user['lifecycleState']}")
        _capable(user, capability, what)
        if text_field == "description":
            ctx.require(text, "description")
        have = [d for d in ctx.store.by_field(kind, "userId", user["id"]) if d.get("lifecycleState") == "ACTIVE"]
        if len(have) >= limit:
            raise ApiError(409, "LimitExceeded", f"User '{user['name']}' already has {len(have)} {what}s, the most "
                           f"OCI allows ({limit}); delete one first")
        return {}
    return check


def _credential(name: str, model: str, what: str, limit: int, capability: str, **kw) -> Kind:
    return svc.resource(Kind(
        name, model, what, ocid=kw.pop("ocid", "credential"), lifecycle=IAM_NOW, parent=("userId", "user"),
        compartment=False, name_field=kw.pop("name_field", None), regional=False,
        validate=_credential_checks(name, limit, what, capability, kw.pop("text_field", "description")), **kw))


AUTH_TOKEN = _credential("authtoken", "AuthToken", "auth token", MAX_AUTH_TOKENS, "canUseAuthTokens")
SECRET_KEY = _credential("customersecretkey", "CustomerSecretKey", "customer secret key", MAX_SECRET_KEYS,
                         "canUseCustomerSecretKeys", name_field="displayName", text_field="displayName")
SMTP = _credential("smtpcredential", "SmtpCredential", "SMTP credential", MAX_SMTP, "canUseSmtpCredentials")
SWIFT = _credential("swiftpassword", "SwiftPassword", "Swift password", MAX_SWIFT, "canUseAuthTokens")
OAUTH = _credential("oauth2clientcredential", "OAuth2ClientCredential", "OAuth 2.0 client credential", MAX_OAUTH,
                    "canUseOAuth2ClientCredentials", ocid="oauth2clientcredential", name_field="name",
                    noun="o_auth_client_credential")
DB_CREDENTIAL = _credential("dbcredential", "DbCredential", "DB credential", 10**6, "canUseDbCredentials",
                            ocid="dbcredential")


@svc.op("create_auth_token")
def create_auth_token(ctx: Context):
    token = _secret(20)
    # only a hash is kept: the Container Registry (artifacts.py) checks a password against it
    doc = AUTH_TOKEN.create(ctx, extra={"_tokenHash": hashlib.sha256(token.encode()).hexdigest()})
    return dict(doc, token=token)  # shown once: OCI keeps only a hash


@svc.op("create_customer_secret_key")
def create_customer_secret_key(ctx: Context):
    # the key's OCID is its access key (40 hex digits); the secret key is shown once
    doc = SECRET_KEY.create(ctx, extra={"id": secrets.token_hex(20)})
    return dict(doc, key=base64.b64encode(secrets.token_bytes(30)).decode())


@svc.op("create_smtp_credential")
def create_smtp_credential(ctx: Context):
    user = _path_user(ctx)
    suffix = _secret(2, string.ascii_lowercase)
    doc = SMTP.create(ctx, extra={"username": f"{user['id']}@{ctx.tenancy_id}.{suffix}.com"})
    return dict(doc, password=_secret(20))


@svc.op("create_swift_password")
def create_swift_password(ctx: Context):
    doc = SWIFT.create(ctx)
    return dict(doc, password=_secret(20))


def _check_scopes(scopes) -> list[dict]:
    if not isinstance(scopes, list) or not scopes:
        raise invalid("scopes: an OAuth 2.0 client credential needs at least one scope")
    for i, s in enumerate(scopes):
        if not isinstance(s, dict) or not s.get("audience") or not s.get("scope"):
            raise invalid(f"scopes[{i}]: audience and scope are both required")
    return scopes


@svc.op("create_o_auth_client_credential")
def create_o_auth_client_credential(ctx: Context):
    b = ctx.body or {}
    _check_name(b.get("name"), "OAuth 2.0 client credential")
    _description(b, "createOAuth2ClientCredentialDetails")
    _check_scopes(b.get("scopes"))
    doc = OAUTH.create(ctx, extra={"compartmentId": ctx.tenancy_id})
    return dict(doc, password=_secret(32, _ALNUM))


@svc.op("update_o_auth_client_credential")
def update_o_auth_client_credential(ctx: Context):
    b = ctx.body or {}
    if b.get("scopes") is not None:
        _check_scopes(b["scopes"])
    doc = OAUTH.update(ctx)
    return dict(doc, password=_secret(32, _ALNUM)) if b.get("isResetPassword") else doc


def check_db_password(password, user_name: str = "") -> None:
    """OCI's rules for an IAM database password: 14-32 characters, an upper- and a lowercase letter, a digit
    and a special character; no double quote, no space, not the user's name."""
    if not isinstance(password, str) or not 14 <= len(password) <= 32:
        raise invalid("password must be 14 to 32 characters long")
    if '"' in password or " " in password:
        raise invalid("password must not contain double quotes or spaces")
    rules = ((str.isupper, "an uppercase letter"), (str.islower, "a lowercase letter"), (str.isdigit, "a digit"),
             (lambda c: not c.isalnum() and c not in '" ', "a special character"))
    for test, what in rules:
        if not any(test(c) for c in password):
            raise invalid(f"password must contain at least {what}")
    if user_name and user_name.split("@")[0].lower() in password.lower():
        raise invalid("password must not contain the user's name")


@svc.op("create_db_credential")
def create_db_credential(ctx: Context):
    b = ctx.body or {}
    user = _path_user(ctx)
    check_db_password(b.get("password"), user["name"])
    ctx.require(b.get("description"), "description")
    doc = DB_CREDENTIAL.create(ctx, extra={"description": b["description"]})
    return {k: v for k, v in doc.items() if k != "description"}


# ---------------------------------------------------------------- console password, capabilities, MFA

@svc.op("create_or_reset_ui_password")
def create_or_reset_ui_password(ctx: Context):
    user = ctx.get_for_write("user", ctx.path["userId"], "user")
    _capable(user, "canUseConsolePassword", "console password")
    password = generate_password(_auth_policy(ctx)["passwordPolicy"], user["name"])
    ctx.update("user", user["id"], {"_uiPassword": ctx.ts()})
    return {"password": password, "userId": user["id"], "timeCreated": ctx.ts(), "lifecycleState": "ACTIVE"}


@svc.op("get_user_ui_password_information")
def get_user_ui_password_information(ctx: Context):
    user = _path_user(ctx)
    if not user.get("_uiPassword"):
        raise not_found("console password of user", user["id"])
    return {"userId": user["id"], "timeCreated": user["_uiPassword"], "lifecycleState": "ACTIVE"}


_CAPABILITIES = {"canUseConsolePassword": "canUseConsolePassword", "canUseApiKeys": "canUseApiKeys",
                 "canUseAuthTokens": "canUseAuthTokens", "canUseSmtpCredentials": "canUseSmtpCredentials",
                 "canUseDBCredentials": "canUseDbCredentials", "canUseCustomerSecretKeys": "canUseCustomerSecretKeys",
                 "canUseOAuth2ClientCredentials": "canUseOAuth2ClientCredentials"}


@svc.op("update_user_capabilities")
def update_user_capabilities(ctx: Context):
    user = ctx.get_for_write("user", ctx.path["userId"], "user")
    caps = dict(user.get("capabilities") or {v: True for v in _CAPABILITIES.values()})
    for wire, field_name in _CAPABILITIES.items():
        if (ctx.body or {}).get(wire) is not None:
            caps[field_name] = bool(ctx.body[wire])
    return ctx.update("user", user["id"], {"capabilities": caps})


MFA = svc.resource(Kind(
    "mfatotpdevice", "MfaTotpDevice", "MFA TOTP device", ocid="mfatotpdevice", lifecycle=IAM_NOW,
    parent=("userId", "user"), compartment=False, name_field=None, regional=False,
    on_delete=lambda ctx, doc: ctx.update("user", doc["userId"], {"isMfaActivated": False})
    if doc.get("isActivated") and ctx.store.get("user", doc["userId"]) else None))
TOTP_STEP = 30


def totp(seed: str, at: float, digits: int = 6) -> str:
    """RFC 6238 (HMAC-SHA1, 30-second steps) for a base32 seed."""
    key = base64.b32decode(seed + "=" * (-len(seed) % 8), casefold=True)
    mac = hmac.new(key, struct.pack(">Q", int(at // TOTP_STEP)), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 10 ** digits
    return str(code).zfill(digits)


def _new_seed() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _mfa_device(ctx: Context) -> dict:
    _path_user(ctx)
    return MFA.in_path(ctx, ctx.get_for_write("mfatotpdevice", ctx.path["mfaTotpDeviceId"], "MFA TOTP device"))


def _mfa_view(doc: dict, seed: bool = False) -> dict:
    d = {k: v for k, v in doc.items() if not k.startswith("_")}
    if seed:
        d["seed"] = doc["_seed"]
    return d


@svc.op("create_mfa_totp_device")
def create_mfa_totp_device(ctx: Context):
    user = _path_user(ctx)
    if any(d for d in ctx.store.by_field("mfatotpdevice", "userId", user["id"])):
        raise ApiError(409, "LimitExceeded", f"User '{user['name']}' already has an MFA TOTP device; delete it first")
    doc = MFA.create(ctx, extra={"_seed": _new_seed(), "isActivated": False})
    doc = ctx.update("mfatotpdevice", doc["id"], {"lifecycleState": "INACTIVE"})  # until activated with a code
    return _mfa_view(doc, seed=True)


@svc.op("generate_totp_seed")
def generate_totp_seed(ctx: Context):
    doc = _mfa_device(ctx)
    if doc.get("isActivated"):
        raise conflict("The MFA TOTP device is already activated; delete it to register a new one")
    return _mfa_view(ctx.update("mfatotpdevice", doc["id"], {"_seed": _new_seed()}), seed=True)


@svc.op("activate_mfa_totp_device")
def activate_mfa_totp_device(ctx: Context):
    doc = _mfa_device(ctx)
    if doc.get("isActivated"):
        raise conflict("The MFA TOTP device is already activated")
    code = str((ctx.body or {}).get("totpToken") or "")
    if not re.fullmatch(r"\d{6}", code):
        raise invalid("totpToken must be the 6-digit code of the authenticator app")
    if code not in {totp(doc["_seed"], ctx.now + d * TOTP_STEP) for d in (-1, 0, 1)}:
        raise ApiError(401, "NotAuthenticated", "The TOTP code is not valid for this device")
    ctx.update("user", doc["userId"], {"isMfaActivated": True})
    return _mfa_view(ctx.update("mfatotpdevice", doc["id"], {"isActivated": True, "lifecycleState": "ACTIVE"}))


# ---------------------------------------------------------------- authentication policy

PASSWORD_LENGTH = (12, 100)  # OCI's bounds for minimumPasswordLength
DEFAULT_PASSWORD_POLICY = {"minimumPasswordLength": 12, "isUppercaseCharactersRequired": True,
                           "isLowercaseCharactersRequired": True, "isNumericCharactersRequired": True,
                           "isSpecialCharactersRequired": True, "isUsernameContainmentAllowed": False}


def _auth_policy(ctx: Context) -> dict:
    stored = ctx.store.meta("authentication_policy") or {}
    return {"compartmentId": ctx.tenancy_id,
            "passwordPolicy": dict(DEFAULT_PASSWORD_POLICY, **(stored.get("passwordPolicy") or {})),
            "networkPolicy": {"networkSourceIds": list((stored.get("networkPolicy") or {}).get("networkSourceIds")
                                                       or [])}}


def _tenancy_path(ctx: Context) -> None:
    if ctx.path["compartmentId"] != ctx.tenancy_id:
        raise not_found("authentication policy of", ctx.path["compartmentId"])


def generate_password(policy: dict, user_name: str) -> str:
    """A one-time console password that satisfies the tenancy's password policy."""
    n = max(policy["minimumPasswordLength"], 16)
    while True:
        pw = _secret(n, _ALNUM + "#$%&*+-_=")
        if all(any(t(c) for c in pw) for t in (str.isupper, str.islower, str.isdigit)) and \
                any(not c.isalnum() for c in pw) and user_name.lower() not in pw.lower():
            return pw


@svc.op("get_authentication_policy")
def get_authentication_policy(ctx: Context):
    _tenancy_path(ctx)
    return _auth_policy(ctx)


@svc.op("update_authentication_policy")
def update_authentication_policy(ctx: Context):
    _tenancy_path(ctx)
    b = ctx.body or {}
    cur = _auth_policy(ctx)
    pp = b.get("passwordPolicy")
    if pp is not None:
        merged = dict(cur["passwordPolicy"])
        merged.update({k: v for k, v in pp.items() if v is not None})
        n = merged["minimumPasswordLength"]
        lo, hi = PASSWORD_LENGTH
        if not isinstance(n, int) or not lo <= n <= hi:
            raise invalid(f"passwordPolicy.minimumPasswordLength must be between {lo} and {hi}, got {n}")
        cur["passwordPolicy"] = merged
    np_ = b.get("networkPolicy")
    if np_ is not None:
        ids = np_.get("networkSourceIds") or []
        for i, ns_id in enumerate(ids):
            doc = ctx.store.get("networksource", ns_id)
            if doc is None:
                raise ApiError(404, "NotAuthorizedOrNotFound",
                               f"networkPolicy.networkSourceIds[{i}]: network source {ns_id} does not exist")
        cur["networkPolicy"] = {"networkSourceIds": list(ids)}
    ctx.store.set_meta("authentication_policy", {"passwordPolicy": cur["passwordPolicy"],
                                                 "networkPolicy": cur["networkPolicy"]})
    return cur


# ---------------------------------------------------------------- network sources

MAX_SOURCES = 200  # public CIDRs plus virtual-source entries in one network source
# private (RFC 1918, RFC 4193), shared (RFC 6598), loopback, link-local and multicast ranges: a VCN's or a
# host's own addresses, never a public source
_NOT_PUBLIC = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "224.0.0.0/4", "0.0.0.0/8", "fc00::/7", "fe80::/10", "::1/128", "ff00::/8"))


def _ip_range(value, field_name: str, public: bool) -> None:
    try:
        net = ipaddress.ip_network(value, strict=True) if isinstance(value, str) else None
    except ValueError:
        net = None
    if net is None:
        raise invalid(f"{field_name}: '{str(value)[:60]}' is not an IP address or CIDR block (203.0.113.0/24)")
    if public and any(net.version == r.version and net.overlaps(r) for r in _NOT_PUBLIC):
        raise invalid(f"{field_name}: {net} is not a public range; list VCN addresses under virtualSourceList")


def _network_source_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is None:
        _require_tenancy_compartment(ctx, body.get("compartmentId"), "Network sources")
        name = _check_name(body.get("name"), "Network source")
        _description(body, "createNetworkSourceDetails")
        _unique(ctx, "networksource", name, "Network source")
    elif body.get("description") is not None and len(body["description"]) > 400:
        raise invalid("description must be at most 400 characters")
    public = body.get("publicSourceList")
    virtual = body.get("virtualSourceList")
    for i, cidr in enumerate(public or []):
        _ip_range(cidr, f"publicSourceList[{i}]", True)
    for i, v in enumerate(virtual or []):
        vcn = v.get("vcnId") if isinstance(v, dict) else None
        if not looks_like_ocid(vcn, "vcn"):
            raise invalid(f"virtualSourceList[{i}].vcnId must be a VCN's OCID")
        doc = ctx.store.get("vcn", vcn)
        if doc is None or doc.get("lifecycleState") in ("TERMINATING", "TERMINATED"):
            raise ApiError(404, "NotAuthorizedOrNotFound", f"virtualSourceList[{i}].vcnId: VCN {vcn} does not exist")
        if not v.get("ipRanges"):
            raise invalid(f"virtualSourceList[{i}].ipRanges needs at least one range (0.0.0.0/0 for the whole VCN)")
        for j, r in enumerate(v["ipRanges"]):
            _ip_range(r, f"virtualSourceList[{i}].ipRanges[{j}]", False)
    after = {**(existing or {}), **{k: v for k, v in body.items() if v is not None}}
    total = len(after.get("publicSourceList") or []) + sum(len(v.get("ipRanges") or [])
                                                            for v in after.get("virtualSourceList") or [])
    if total > MAX_SOURCES:
        raise invalid(f"A network source holds at most {MAX_SOURCES} addresses and ranges, got {total}")
    if existing is None and not public and not virtual:
        raise invalid("A network source needs publicSourceList or virtualSourceList")
    services = body.get("services")
    if services is not None and any(s not in ("all", "none") for s in services):
        raise invalid("services must be [\"all\"] or [\"none\"]")
    return {} if existing is not None else {"services": services if services is not None else ["all"]}


def _network_source_in_use(ctx: Context, doc: dict) -> None:
    if doc["id"] in _auth_policy(ctx)["networkPolicy"]["networkSourceIds"]:
        raise conflict(f"Network source '{doc['name']}' is used by the tenancy's authentication policy "
                       "(networkPolicy); remove it there first")


NETWORK_SOURCE = svc.resource(Kind(
    "networksource", "NetworkSources", "network source", noun="network_source", ocid="networksource",
    lifecycle=IAM_NOW, name_field="name", regional=False, validate=_network_source_checks,
    check_delete=_network_source_in_use))


# ---------------------------------------------------------------- identity providers (SAML 2.0)

_MD = "urn:oasis:names:tc:SAML:2.0:metadata"
_DS = "http://www.w3.org/2000/09/xmldsig#"


def parse_saml_metadata(xml: str) -> dict:
    """The IdP's sign-in URL and signing certificate from SAML 2.0 metadata, or a 400 saying what is missing."""
    if not isinstance(xml, str) or not xml.strip():
        raise invalid("metadata is required: the IdP's SAML 2.0 metadata XML")
    if "<!DOCTYPE" in xml or "<!ENTITY" in xml:
        raise invalid("metadata must not contain a DOCTYPE or entity declarations")
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as e:
        raise invalid(f"metadata is not well-formed XML: {e}") from e
    if root.tag != f"{{{_MD}}}EntityDescriptor":
        raise invalid("metadata: the root element must be md:EntityDescriptor (urn:oasis:names:tc:SAML:2.0:metadata)")
    if not root.get("entityID"):
        raise invalid("metadata: EntityDescriptor needs an entityID")
    idp = root.find(f"{{{_MD}}}IDPSSODescriptor")
    if idp is None:
        raise invalid("metadata: no IDPSSODescriptor (is this a service provider's metadata?)")
    sso = [e for e in idp.findall(f"{{{_MD}}}SingleSignOnService") if e.get("Location")]
    if not sso:
        raise invalid("metadata: IDPSSODescriptor has no SingleSignOnService with a Location")
    cert = None
    for kd in idp.findall(f"{{{_MD}}}KeyDescriptor"):
        if kd.get("use") in (None, "signing"):
            c = kd.find(f".//{{{_DS}}}X509Certificate")
            if c is not None and (c.text or "").strip():
                cert = "".join(c.text.split())
                break
    if cert is None:
        raise invalid("metadata: no signing certificate (KeyDescriptor use=\"signing\" with ds:X509Certificate)")
    try:
        base64.b64decode(cert, validate=True)
    except ValueError as e:
        raise invalid("metadata: the X509Certificate is not base64") from e
    return {"redirectUrl": sso[0].get("Location"), "signingCertificate": cert}


def _idp_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    out = {}
    if existing is None:
        _require_tenancy_compartment(ctx, body.get("compartmentId"), "Identity providers")
        name = _check_name(body.get("name"), "Identity provider")
        _description(body, "createIdentityProviderDetails")
        _unique(ctx, "identityprovider", name, "Identity provider")
        if body.get("protocol") != "SAML2":
            raise invalid("protocol must be SAML2")
        if body.get("productType") not in ("IDCS", "ADFS"):
            raise invalid("productType must be IDCS or ADFS")
        ctx.require(body.get("metadataUrl"), "metadataUrl")
    if body.get("metadataUrl") is not None and not re.match(r"^https://\S+$", body["metadataUrl"]):
        raise invalid("metadataUrl must be an https:// URL")
    if existing is None or body.get("metadata") is not None:
        out.update(parse_saml_metadata(body.get("metadata")))
    return out


def _idp_in_use(ctx: Context, doc: dict) -> None:
    maps = [m for m in ctx.store.by_field("idpgroupmapping", "idpId", doc["id"])]
    if maps:
        raise conflict(f"Identity provider '{doc['name']}' still has {len(maps)} group mapping(s); delete them first")


IDENTITY_PROVIDER = svc.resource(Kind(
    "identityprovider", "Saml2IdentityProvider", "identity provider", noun="identity_provider",
    lifecycle=IAM_NOW, name_field="name", regional=False, validate=_idp_checks, check_delete=_idp_in_use))


def _mapping_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    name = body.get("idpGroupName")
    if existing is None or name is not None:
        if not isinstance(name, str) or not name.strip() or len(name) > 100:
            raise invalid("idpGroupName must be the IdP group's name, 1-100 characters")
    gid = body.get("groupId")
    if gid is not None or existing is None:
        ctx.get("group", ctx.require(gid, "groupId"), "group")
    idp_id = existing["idpId"] if existing else ctx.path["identityProviderId"]
    cand = {"idpGroupName": name or (existing or {}).get("idpGroupName"),
            "groupId": gid or (existing or {}).get("groupId")}
    for m in ctx.store.by_field("idpgroupmapping", "idpId", idp_id):
        if m["id"] != (existing or {}).get("id") and m["idpGroupName"] == cand["idpGroupName"] and \
                m["groupId"] == cand["groupId"]:
            raise conflict(f"IdP group '{cand['idpGroupName']}' is already mapped to this group")
    return {}


IDP_MAPPING = svc.resource(Kind(
    "idpgroupmapping", "IdpGroupMapping", "IdP group mapping", lifecycle=IAM_NOW, compartment=False,
    name_field=None, regional=False, validate=_mapping_checks, ops={"list": "", "create": ""}))


def _idp(ctx: Context) -> dict:
    return ctx.get("identityprovider", ctx.path["identityProviderId"], "identity provider")


@svc.op("create_idp_group_mapping")
def create_idp_group_mapping(ctx: Context):
    idp = _idp(ctx)
    return IDP_MAPPING.create(ctx, extra={"idpId": idp["id"], "compartmentId": ctx.tenancy_id})


@svc.op("list_idp_group_mappings")
def list_idp_group_mappings(ctx: Context):
    idp = _idp(ctx)
    return sorted(ctx.store.by_field("idpgroupmapping", "idpId", idp["id"]), key=lambda d: d["timeCreated"])


@svc.op("list_identity_provider_groups")
def list_identity_provider_groups(ctx: Context):
    """The IdP's groups the tenancy knows: those its mappings name (OCI learns them from the IdP)."""
    idp = _idp(ctx)
    seen: dict[str, dict] = {}
    for m in sorted(ctx.store.by_field("idpgroupmapping", "idpId", idp["id"]), key=lambda d: d["timeCreated"]):
        name = m["idpGroupName"]
        if name not in seen:
            seen[name] = {"id": "idpgroup-" + hashlib.sha1(f"{idp['id']}/{name}".encode()).hexdigest()[:24],
                          "identityProviderId": idp["id"], "displayName": name, "name": name,
                          "externalIdentifier": name, "timeCreated": m["timeCreated"],
                          "timeModified": m["timeCreated"]}
    want = ctx.query.get("name")
    return [g for g in seen.values() if want is None or g["name"] == want]


@svc.op("reset_idp_scim_client")
def reset_idp_scim_client(ctx: Context):
    idp = _idp(ctx)
    if idp.get("productType") != "IDCS":
        raise invalid("Only an IDCS identity provider has a SCIM client")
    client_id = hashlib.sha1(idp["id"].encode()).hexdigest()[:32]
    return {"clientId": client_id, "clientSecret": _secret(36, _ALNUM)}


# ---------------------------------------------------------------- tag defaults, cost tracking, namespace moves

def _tag_value_ok(tag: dict, value, where: str) -> None:
    v = tag.get("validator")
    if v and v.get("validatorType") == "ENUM" and value not in v.get("values", []):
        raise invalid(f"{where}: '{value}' is not an allowed value for {tag['tagNamespaceName']}.{tag['name']} "
                      f"(allowed: {', '.join(v['values'])})")


def _tag_default_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    out: dict = {}
    if existing is None:
        tag = ctx.get("tag", ctx.require(body.get("tagDefinitionId"), "tagDefinitionId"), "tag definition")
        if tag.get("isRetired"):
            raise invalid(f"tagDefinitionId: tag {tag['tagNamespaceName']}.{tag['name']} is retired")
        comp = body.get("compartmentId")
        for d in ctx.store.by_field("tagdefault", "tagDefinitionId", tag["id"]):
            if d.get("compartmentId") == comp:
                raise conflict(f"Compartment already has a tag default for {tag['tagNamespaceName']}.{tag['name']}")
        out = {"tagNamespaceId": tag["tagNamespaceId"], "tagDefinitionName": tag["name"],
               "isRequired": bool(body.get("isRequired", False)), "locks": []}
    else:
        tag = ctx.store.get("tag", existing["tagDefinitionId"]) or {}
    required = body.get("isRequired") if body.get("isRequired") is not None else (existing or {}).get("isRequired")
    value = body.get("value") if body.get("value") is not None else (existing or {}).get("value")
    if value is None:
        raise ApiError(400, "MissingParameter", "value is required")
    if len(value) > 256:
        raise invalid("value must be at most 256 characters")
    if not required and value == "":
        raise invalid("value must not be empty unless isRequired is true (the user then supplies it)")
    if value != "" and tag:
        _tag_value_ok(tag, value, "value")
    return out


TAG_DEFAULT = svc.resource(Kind(
    "tagdefault", "TagDefault", "tag default", ocid="tagdefault", lifecycle=IAM_NOW, name_field=None,
    regional=False, validate=_tag_default_checks))


@svc.op("list_cost_tracking_tags")
def list_cost_tracking_tags(ctx: Context):
    ctx.compartment(ctx.query["compartmentId"])
    if ctx.query["compartmentId"] != ctx.tenancy_id:
        raise invalid("compartmentId must be the tenancy's OCID: cost-tracking tags are listed for the tenancy")
    return [t for t in ctx.store.list("tag") if t.get("isCostTracking") and t.get("lifecycleState") == "ACTIVE"]


@svc.op("change_tag_namespace_compartment")
def change_tag_namespace_compartment(ctx: Context):
    ns = ctx.get_for_write("tagnamespace", ctx.path["tagNamespaceId"], "tag namespace")
    comp = ctx.compartment((ctx.body or {}).get("compartmentId"))
    if ns.get("lifecycleState") not in ("ACTIVE", "INACTIVE"):
        raise incorrect_state(f"Tag namespace '{ns['name']}' is {ns['lifecycleState']}")
    ctx.update("tagnamespace", ns["id"], {"compartmentId": comp["id"]})
    for t in ctx.store.by_field("tag", "tagNamespaceId", ns["id"]):
        ctx.update("tag", t["id"], {"compartmentId": comp["id"]})
    return None


@svc.op("cascade_delete_tag_namespace")
def cascade_delete_tag_namespace(ctx: Context):
    """Deletes the namespace with its tag definitions and tag defaults, through a tagging work request."""
    ns = ctx.get_for_write("tagnamespace", ctx.path["tagNamespaceId"], "tag namespace")
    if ns.get("lifecycleState") in ("DELETING", "DELETED"):
        raise incorrect_state(f"Tag namespace '{ns['name']}' is already {ns['lifecycleState']}")
    tags = ctx.store.by_field("tag", "tagNamespaceId", ns["id"])
    res = [{"entityType": "tagnamespace", "actionType": "DELETED", "identifier": ns["id"],
            "entityUri": f"/20160918/tagNamespaces/{ns['id']}"}]
    wr = workrequests.start(ctx, "tagging", "DELETE_NON_EMPTY_TAG_NAMESPACE", ns["compartmentId"], res)
    ctx.update("tagnamespace", ns["id"], {"lifecycleState": "DELETING"})
    for t in tags:
        ctx.update("tag", t["id"], {"lifecycleState": "DELETING"})
    ctx.schedule("tagnamespace", ns["id"], {}, steps=1, when_state="DELETING", hook="identity.namespace_gone",
                 args={"wr": wr["id"]})
    return Result(status=202)


@svc.hook("identity.namespace_gone")
def _namespace_gone(core, doc: dict, args: dict) -> None:
    if doc:
        for t in core.store.by_field("tag", "tagNamespaceId", doc["id"]):
            for d in core.store.by_field("tagdefault", "tagDefinitionId", t["id"]):
                core.store.delete("tagdefault", d["id"])
            core.store.delete("tag", t["id"])
        core.store.delete("tagnamespace", doc["id"])
    workrequests.finish(core, args["wr"], True, "Tag namespace and its tag definitions deleted")


# ---------------------------------------------------------------- identity domains

LICENSE_TYPES = {  # licenseType -> (name, description)
    "free": ("Free", "The free tier of identity domains: core IAM for OCI resources"),
    "premium": ("Premium", "All identity domain features, for applications in and outside OCI"),
    "oracle-apps": ("Oracle Apps", "For Oracle SaaS and on-premises Oracle applications"),
    "oracle-apps-premium": ("Oracle Apps Premium", "Oracle Apps with the premium features"),
    "external-user": ("External User", "For non-employee users of customer-facing applications"),
}
# what a domain of one license type can change to (upgrades, and between the app types)
LICENSE_CHANGES = {
    "free": ("premium", "oracle-apps", "oracle-apps-premium", "external-user"),
    "oracle-apps": ("oracle-apps-premium", "premium"),
    "external-user": ("premium",),
    "oracle-apps-premium": ("premium",),
    "premium": (),
}
DOMAIN = svc.resource(Kind(
    "domain", "Domain", "identity domain", lifecycle=ACTIVE_GONE, regional=False, search="Domain",
    ops={v: "" for v in ("create", "update", "delete", "move")}))


def _domain_url() -> str:
    return f"https://idcs-{secrets.token_hex(16)}.identity.oraclecloud.com:443"


def new_domain(target, *, comp: str, name: str, description: str, home: str, dtype: str, license_type: str,
               ocid, now: float, state: str = "ACTIVE") -> dict:
    url = _domain_url()
    return target.store.put("domain", {
        "id": ocid("domain", regional=False), "_region": None, "compartmentId": comp, "displayName": name,
        "description": description, "url": url, "homeRegionUrl": url, "homeRegion": home, "replicaRegions": [],
        "type": dtype, "licenseType": license_type, "isHiddenOnLogin": False, "timeCreated": ts(now),
        "lifecycleState": state, "freeformTags": {}, "definedTags": {}})


def _domain_name_free(ctx: Context, name, exclude: str | None = None) -> str:
    if not isinstance(name, str) or not re.match(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$", name):
        raise invalid("displayName must be 1-100 letters, digits, spaces, '.', '_' or '-', starting with a letter "
                      "or digit")
    for d in ctx.store.list("domain"):
        if d["id"] != exclude and d["displayName"].lower() == name.lower():
            raise conflict(f"An identity domain named '{name}' already exists in the tenancy")
    return name


def _iam_wr(ctx: Context, op: str, doc: dict, action: str) -> dict:
    return workrequests.start(ctx, "iam", op, doc["compartmentId"], [
        {"entityType": "domain", "actionType": action, "identifier": doc["id"],
         "entityUri": f"/20160918/domains/{doc['id']}"}])


def _domain_for(ctx: Context, states: tuple[str, ...], doing: str) -> dict:
    doc = ctx.get_for_write("domain", ctx.path["domainId"], "identity domain")
    if doc["lifecycleState"] not in states or doc.get("lifecycleDetails"):
        raise incorrect_state(f"Identity domain '{doc['displayName']}' is {doc['lifecycleState']}"
                              f"{' (' + doc['lifecycleDetails'] + ')' if doc.get('lifecycleDetails') else ''}; "
                              f"it can be {doing} when {' or '.join(states)}")
    return doc


def _settle_domain(ctx: Context, doc: dict, wr: dict, changes: dict, when: str | None = None) -> None:
    ctx.schedule("domain", doc["id"], dict(changes, lifecycleDetails=None), steps=1, when_state=when,
                 hook="identity.wr_done", args={"wr": wr["id"]})


@svc.op("list_allowed_domain_license_types")
def list_allowed_domain_license_types(ctx: Context):
    cur = ctx.query.get("currentLicenseTypeName")
    if cur is not None and cur not in LICENSE_TYPES:
        raise invalid(f"currentLicenseTypeName '{cur}' is not a license type ({', '.join(LICENSE_TYPES)})")
    keys = LICENSE_CHANGES[cur] if cur else tuple(LICENSE_TYPES)
    return [{"name": LICENSE_TYPES[k][0], "licenseType": k, "description": LICENSE_TYPES[k][1]} for k in keys]


@svc.op("create_domain")
def create_domain(ctx: Context):
    b = ctx.body or {}
    comp = ctx.compartment(b.get("compartmentId"))
    name = _domain_name_free(ctx, b.get("displayName"))
    _description(b, "createDomainDetails")
    if b.get("homeRegion") not in ctx.core.regions():
        raise invalid(f"homeRegion '{b.get('homeRegion')}' is not a region the tenancy subscribes to")
    lt = b.get("licenseType")
    if lt not in LICENSE_TYPES:
        raise invalid(f"licenseType must be one of {', '.join(LICENSE_TYPES)}")
    email = b.get("adminEmail")
    if email is not None and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        raise invalid("adminEmail is not a valid e-mail address")
    if b.get("adminUserName") and not (b.get("adminEmail") and b.get("adminLastName")):
        raise invalid("adminEmail and adminLastName are required with adminUserName")
    doc = new_domain(ctx, comp=comp["id"], name=name, description=b["description"], home=b["homeRegion"],
                     dtype="SECONDARY", license_type=lt, ocid=lambda t, regional: ctx.new_id(t, regional),
                     now=ctx.now, state="CREATING")
    changes = {"isHiddenOnLogin": bool(b.get("isHiddenOnLogin", False))}
    changes.update(ctx.tags(b))
    ctx.update("domain", doc["id"], changes)
    wr = _iam_wr(ctx, "CREATE_DOMAIN", doc, "CREATED")
    _settle_domain(ctx, doc, wr, {"lifecycleState": "ACTIVE"}, when="CREATING")
    return Result(status=202)


@svc.op("update_domain")
def update_domain(ctx: Context):
    doc = _domain_for(ctx, ("ACTIVE",), "updated")
    b = ctx.body or {}
    changes: dict = {}
    if b.get("displayName") is not None:
        changes["displayName"] = _domain_name_free(ctx, b["displayName"], exclude=doc["id"])
    if b.get("description") is not None:
        changes["description"] = _description(b, "updateDomainDetails")
    if b.get("isHiddenOnLogin") is not None:
        if b["isHiddenOnLogin"] and doc["type"] == "DEFAULT":
            raise invalid("The tenancy's Default domain cannot be hidden on the sign-in page")
        changes["isHiddenOnLogin"] = bool(b["isHiddenOnLogin"])
    changes.update(ctx.tags(b))
    ctx.update("domain", doc["id"], dict(changes, lifecycleDetails="UPDATING"))
    _settle_domain(ctx, doc, _iam_wr(ctx, "UPDATE_DOMAIN", doc, "UPDATED"), {})
    return Result(status=202)


def _not_default(doc: dict, doing: str) -> None:
    if doc["type"] == "DEFAULT":
        raise invalid(f"The tenancy's Default domain cannot be {doing}")


@svc.op("deactivate_domain")
def deactivate_domain(ctx: Context):
    doc = _domain_for(ctx, ("ACTIVE",), "deactivated")
    _not_default(doc, "deactivated")
    ctx.update("domain", doc["id"], {"lifecycleDetails": "DEACTIVATING"})
    _settle_domain(ctx, doc, _iam_wr(ctx, "DEACTIVATE_DOMAIN", doc, "UPDATED"), {"lifecycleState": "INACTIVE"})
    return Result(status=202)


@svc.op("activate_domain")
def activate_domain(ctx: Context):
    doc = _domain_for(ctx, ("INACTIVE",), "activated")
    ctx.update("domain", doc["id"], {"lifecycleDetails": "ACTIVATING"})
    _settle_domain(ctx, doc, _iam_wr(ctx, "ACTIVATE_DOMAIN", doc, "UPDATED"), {"lifecycleState": "ACTIVE"})
    return Result(status=202)


@svc.op("delete_domain")
def delete_domain(ctx: Context):
    doc = _domain_for(ctx, ("INACTIVE",), "deleted (deactivate it first)")
    _not_default(doc, "deleted")
    ctx.update("domain", doc["id"], {"lifecycleState": "DELETING"})
    wr = _iam_wr(ctx, "DELETE_DOMAIN", doc, "DELETED")
    ctx.schedule("domain", doc["id"], {}, steps=1, when_state="DELETING", hook="identity.domain_gone",
                 args={"wr": wr["id"]})
    return Result(status=202)


@svc.hook("identity.domain_gone")
def _domain_gone(core, doc: dict, args: dict) -> None:
    if doc:
        core.store.delete("domain", doc["id"])
    workrequests.finish(core, args["wr"], True, "Identity domain deleted")


@svc.op("change_domain_compartment")
def change_domain_compartment(ctx: Context):
    doc = _domain_for(ctx, ("ACTIVE", "INACTIVE"), "moved")
    comp = ctx.compartment((ctx.body or {}).get("compartmentId"))
    if comp["id"] == doc["compartmentId"]:
        raise invalid("The identity domain is already in that compartment")
    ctx.update("domain", doc["id"], {"lifecycleDetails": "UPDATING"})
    wr = _iam_wr(ctx, "CHANGE_COMPARTMENT_FOR_DOMAIN", doc, "UPDATED")
    _settle_domain(ctx, doc, wr, {"compartmentId": comp["id"]})
    return Result(status=202)


@svc.op("change_domain_license_type")
def change_domain_license_type(ctx: Context):
    doc = _domain_for(ctx, ("ACTIVE",), "changed")
    lt = (ctx.body or {}).get("licenseType")
    if lt not in LICENSE_TYPES:
        raise invalid(f"licenseType must be one of {', '.join(LICENSE_TYPES)}")
    if lt not in LICENSE_CHANGES[doc["licenseType"]]:
        allowed = ", ".join(LICENSE_CHANGES[doc["licenseType"]]) or "none"
        raise invalid(f"A {doc['licenseType']} domain cannot change to {lt} (allowed: {allowed})")
    ctx.update("domain", doc["id"], {"lifecycleDetails": "UPDATING"})
    _settle_domain(ctx, doc, _iam_wr(ctx, "CHANGE_LICENSE_TYPE_FOR_DOMAIN", doc, "UPDATED"), {"licenseType": lt})
    return Result(status=202)


@svc.op("enable_replication_to_region")
def enable_replication_to_region(ctx: Context):
    doc = _domain_for(ctx, ("ACTIVE",), "replicated")
    region = (ctx.body or {}).get("replicaRegion")
    if region not in ctx.core.regions():
        raise invalid(f"replicaRegion '{region}' is not a region the tenancy subscribes to")
    if region == doc["homeRegion"] or any(r["region"] == region for r in doc["replicaRegions"]):
        raise conflict(f"The identity domain is already in {region}")
    regional = doc["url"].replace(".identity.", f".{region}.identity.")
    replicas = doc["replicaRegions"] + [{"region": region, "url": doc["url"], "regionalUrl": regional,
                                         "state": "ENABLING_REPLICATION"}]
    ctx.update("domain", doc["id"], {"replicaRegions": replicas, "lifecycleDetails": "UPDATING"})
    done = [dict(r, state="REPLICATION_ENABLED") if r["region"] == region else r for r in replicas]
    _settle_domain(ctx, doc, _iam_wr(ctx, "REPLICATE_DOMAIN_TO_REGION", doc, "UPDATED"), {"replicaRegions": done})
    return Result(status=202)


# ---------------------------------------------------------------- seed

@svc.seeder
def seed_identity(seed) -> None:
    """Tenancy, admin user and key, regions, then the compartment tree for the profile."""
    store = seed.store
    tenancy_id = seed.ocid("tenancy", regional=False)
    store.set_meta("tenancy_id", tenancy_id)
    seed.core.tenancy_id = tenancy_id
    store.set_meta("subscribed_regions", seed.regions)
    name = seed.options.get("tenancy_name", "acme-corp" if seed.profile != "empty" else "sandbox")
    store.put("compartment", {
        "id": tenancy_id, "_root": True, "name": name, "description": f"{name} tenancy",
        "timeCreated": ts(seed.t(400)), "lifecycleState": "ACTIVE", "isAccessible": True,
        "freeformTags": {}, "definedTags": {}})

    # administrator with an API key (the key pair is kept in meta so restarts reuse it)
    admin = seed.principal("user", "admin@example.com", "Tenancy administrator (emulator)",
                           email="admin@example.com")
    admins = seed.principal("group", "Administrators", "Tenancy administrators")
    seed.membership(admin, admins)
    seed.register_admin_key(admin)
    store.put("policy", {
        "id": seed.ocid("policy", regional=False), "compartmentId": tenancy_id, "name": "Tenant Admin Policy",
        "statements": ["ALLOW GROUP Administrators to manage all-resources IN TENANCY"],
        "description": "Tenant Admin Policy", "timeCreated": ts(seed.t(400)), "lifecycleState": "ACTIVE",
        "freeformTags": {}, "definedTags": {}})

    # its own random source: the rest of the seeded tenancy (creation times, OCIDs) stays as it was
    own = random.Random(f"default-domain:{seed.options.get('rng_seed', 20260101)}")
    new_domain(seed, comp=tenancy_id, name="Default", description="The tenancy's default identity domain",
               home=seed.core.home_region, dtype="DEFAULT", license_type="free",
               ocid=lambda rtype, regional=True: new_ocid(rtype, None, own),
               now=seed.now - own.uniform(0, 400) * 86400)

    if seed.profile == "demo":
        _seed_demo_identity(seed, tenancy_id, admin)
    elif seed.profile == "large":
        _seed_large_tree(seed, tenancy_id)


def _seed_demo_identity(seed, tenancy_id: str, admin: dict) -> None:
    tree = {
        "Production": {"Web": {"Frontend": {}, "API": {}}, "Data": {"Warehouse": {}}},
        "Staging": {"Web": {}, "QA": {}},
        "Development": {"Sandbox": {"alice": {}, "bob": {}}, "Shared-Tools": {}},
        "Network": {},
        "Security": {"Audit": {}},
    }
    descriptions = {
        "Production": "Production workloads", "Staging": "Pre-production", "Development": "Developer resources",
        "Network": "Shared networking (hub VCNs, gateways)", "Security": "Security tooling and audit",
    }

    def walk(parent: str, node: dict, depth: int) -> None:
        for name, children in node.items():
            c = seed.compartment(parent, name, descriptions.get(name, f"{name} compartment"))
            walk(c["id"], children, depth + 1)

    walk(tenancy_id, tree, 1)

    people = [("alice@example.com", "Alice Martin - platform engineer"), ("bob@example.com", "Bob Chen - DBA"),
              ("carol@example.com", "Carol Diaz - network admin"), ("dave@example.com", "Dave Kim - auditor"),
              ("erin@example.com", "Erin Novak - developer")]
    groups = {
        "NetworkAdmins": "Manage VCNs and gateways", "DBAdmins": "Database administrators",
        "Developers": "Application developers", "Auditors": "Read-only access for audit",
    }
    gdocs = {n: seed.principal("group", n, d) for n, d in groups.items()}
    udocs = [seed.principal("user", n, d, email=n) for n, d in people]
    seed.membership(udocs[0], gdocs["Developers"])
    seed.membership(udocs[1], gdocs["DBAdmins"])
    seed.membership(udocs[2], gdocs["NetworkAdmins"])
    seed.membership(udocs[3], gdocs["Auditors"])
    seed.membership(udocs[4], gdocs["Developers"])
    policies = [
        (tenancy_id, "NetworkAdmins-policy", ["Allow group NetworkAdmins to manage virtual-network-family in tenancy"]),
        (tenancy_id, "Auditors-policy", ["Allow group Auditors to inspect all-resources in tenancy",
                                         "Allow group Auditors to read audit-events in tenancy"]),
        (tenancy_id, "Developers-policy", [
            "Allow group Developers to manage instance-family in compartment Development",
            "Allow group Developers to use virtual-network-family in compartment Development",
            "Allow group Developers to read instance-family in compartment Staging"]),
        (tenancy_id, "DBAdmins-policy", ["Allow group DBAdmins to manage database-family in compartment Production"]),
    ]
    for comp, name, stmts in policies:
        seed.store.put("policy", {
            "id": seed.ocid("policy", regional=False), "compartmentId": comp, "name": name, "statements": stmts,
            "description": f"{name.split('-')[0]} access", "timeCreated": ts(seed.t(300)),
            "lifecycleState": "ACTIVE", "freeformTags": {}, "definedTags": {}})
    ns = {"id": seed.ocid("tagnamespace", regional=False), "compartmentId": tenancy_id, "name": "Operations",
          "description": "Operational tags", "isRetired": False, "lifecycleState": "ACTIVE",
          "timeCreated": ts(seed.t(350)), "freeformTags": {}, "definedTags": {}}
    seed.store.put("tagnamespace", ns)
    for tname, desc, validator in [("CostCenter", "Cost center code", None),
                                   ("Environment", "Deployment environment",
                                    {"validatorType": "ENUM", "values": ["prod", "staging", "dev"]}),
                                   ("Owner", "Owner e-mail", None)]:
        tag = {"id": seed.ocid("tagdefinition", regional=False), "compartmentId": tenancy_id,
               "tagNamespaceId": ns["id"], "tagNamespaceName": "Operations", "name": tname, "description": desc,
               "isRetired": False, "lifecycleState": "ACTIVE", "timeCreated": ts(seed.t(350)),
               "isCostTracking": tname == "CostCenter", "freeformTags": {}, "definedTags": {}}
        if validator:
            tag["validator"] = validator
        seed.store.put("tag", tag)


def _seed_large_tree(seed, tenancy_id: str) -> None:
    """`compartments` compartments several levels deep (breadth-first, up to 5 levels)."""
    total = int(seed.options.get("compartments", 500))
    fanout = int(seed.options.get("fanout", 8))
    queue = [(tenancy_id, 0)]
    made = 0
    i = 0
    while made < total and i < len(queue):
        parent, depth = queue[i]
        i += 1
        for _k in range(fanout):
            if made >= total:
                break
            made += 1
            c = seed.compartment(parent, f"c{made:04d}", f"Generated compartment {made}")
            if depth + 1 < 5:
                queue.append((c["id"], depth + 1))
