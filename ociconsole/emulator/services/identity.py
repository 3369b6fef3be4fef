"""Identity (`/identity`): tenancy, regions, ADs and fault domains, compartments, users,
groups and memberships, policies, API keys, tag namespaces and tags."""

from __future__ import annotations

import re

from ..auth import fingerprint_of, load_public_pem
from ..policy import PolicyError, parse_statement
from ..protocol import ApiError, conflict, incorrect_state, invalid, not_found, ts
from ..registry import Context, Result, Service
from . import workrequests

svc = Service("identity")
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
    for kind, docs in ctx.store._docs.items():  # noqa: SLF001 - generic scan over every kind
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


@svc.op("get_user")
def get_user(ctx: Context):
    return ctx.get("user", ctx.path["userId"], "user")


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
    ctx.delete("user", doc["id"])
    return None


@svc.op("create_group")
def create_group(ctx: Context):
    return _create_principal(ctx, "group", "Group")


@svc.op("list_groups")
def list_groups(ctx: Context):
    return _list_tenancy_level(ctx, "group")


@svc.op("get_group")
def get_group(ctx: Context):
    return ctx.get("group", ctx.path["groupId"], "group")


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


@svc.op("get_user_group_membership")
def get_user_group_membership(ctx: Context):
    return ctx.get("membership", ctx.path["userGroupMembershipId"], "membership")


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
        raise invalid("key must be an RSA public key in PEM format (-----BEGIN PUBLIC KEY-----)")
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
    for i, s in enumerate(statements):
        try:
            parsed = parse_statement(s)
        except PolicyError as e:
            raise invalid(f"statements[{i}]: {e}")
        for g in parsed.get("groups", []):
            if "/" not in g and g.lower() not in groups:
                raise invalid(f"statements[{i}]: group '{g}' does not exist")
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


@svc.op("get_policy")
def get_policy(ctx: Context):
    return ctx.get("policy", ctx.path["policyId"], "policy")


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


@svc.op("get_tag_namespace")
def get_tag_namespace(ctx: Context):
    return ctx.get("tagnamespace", ctx.path["tagNamespaceId"], "tag namespace")


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
