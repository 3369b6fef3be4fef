"""The resource engine: a resource kind is declared once, and the engine serves it.

A service module declares each kind it emulates with `Kind(...)` and registers it with
`svc.resource(kind)`. From the declaration and the installed SDK the engine serves, for every
operation the SDK has and the module did not write by hand:

- `create_<kind>`: the body's fields that the resource model also has are kept; the compartment,
  the parent (`parent=("vcnId", "vcn")`) and every reference (`refs={"drgId": "drg"}`) must exist,
  be live and be in the request's region; `unique` fields are unique among live siblings; a default
  display name when none is given; tags checked (OCI's limits, defined tags exist); the lifecycle's
  creating state, then its ready state after one transition.
- `get_<kind>`, `list_<kinds>` (compartment, parent and every query parameter that names a field of
  the resource filter the list; the core then filters by name/state, sorts and paginates).
- `update_<kind>`: exactly the fields the SDK's Update...Details model has (that is what OCI lets you
  change), `if-match` checked, only in the ready state (or `update_states`).
- `delete_<kind>`: `check_delete` may refuse (409 while in use); deleting state, then deleted (kept
  listed for an hour, as OCI does) or gone.
- `change_<kind>_compartment`: to an existing compartment, in the ready state.

Whether OCI answers an operation with an `opc-work-request-id` is read from the SDK too: its
composite operations offer `<operation>_and_wait_for_work_request` exactly for those (spec.OpSpec.
work_request). The engine then starts a work request in the service's work-request API (core's for
`oci.core`, identity's for `oci.identity`, the service's own otherwise) and finishes it when the
resource settles, so the CLI's `--wait-for-state SUCCEEDED` works.

Hand-written handlers stay for behaviour that is really the service's own; they can still use the
engine's pieces (`kind.create(ctx)`, `kind.check_refs(...)`, `default_name(...)`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from . import models
from .protocol import ApiError, conflict, incorrect_state, invalid, not_found
from .spec import OpSpec, module_specs

if TYPE_CHECKING:
    from .registry import Context, Service

# every declared kind, by store kind (hooks find their kind here)
KINDS: dict[str, Kind] = {}
# SDK package -> the work-request service its long operations report to (workrequests.start)
WORK_REQUEST_SERVICE = {"core": "iaas", "identity": "identity", "work_requests": "iaas", "database": "iaas"}
DELETED_KEPT = 3600.0  # seconds a deleted resource stays listed (OCI shows TERMINATED ones a while)


@dataclass(frozen=True)
class Lifecycle:
    """The states a kind goes through. `None` for a transitional state skips it."""

    creating: str | None = "PROVISIONING"
    ready: str = "AVAILABLE"
    updating: str | None = None
    deleting: str | None = "TERMINATING"
    deleted: str | None = "TERMINATED"  # None: the resource is gone (404) once deleted
    failed: str | None = None
    also_live: tuple[str, ...] = ()  # further states of a live resource (a cross-connect once PROVISIONED)

    @property
    def gone_states(self) -> tuple[str, ...]:
        return tuple(s for s in (self.deleting, self.deleted) if s)


# the lifecycles OCI uses most
NETWORK = Lifecycle()  # PROVISIONING -> AVAILABLE -> TERMINATING -> TERMINATED
ACTIVE = Lifecycle("CREATING", "ACTIVE", "UPDATING", "DELETING", "DELETED")
ACTIVE_GONE = Lifecycle("CREATING", "ACTIVE", None, "DELETING", None)
IDENTITY = Lifecycle("CREATING", "ACTIVE", None, "DELETING", "DELETED")
AVAILABLE = Lifecycle("CREATING", "AVAILABLE", None, "TERMINATING", "TERMINATED")
IMMEDIATE = Lifecycle(None, "AVAILABLE", None, None, None)  # models without a lifecycleState

Check = Callable[["Context", dict, "dict | None"], "dict | None"]


@dataclass
class Kind:
    """One resource kind. Only `name`, `model` and `what` are required."""

    name: str  # store kind, e.g. "networksecuritygroup"
    model: str  # SDK model of the resource, e.g. "NetworkSecurityGroup"
    what: str  # for messages: "network security group"
    ocid: str | None = None  # OCID resource type (default: `name`)
    lifecycle: Lifecycle = NETWORK
    id_field: str = "id"  # a model whose OCID is not `id` (topics: "topicId") has it as well
    name_field: str | None = "displayName"
    default_name: str | None = None  # prefix of the generated display name (default: `name`)
    compartment: bool = True
    parent: tuple[str, str] | None = None  # (field, kind): required, live, same region
    refs: dict[str, str | tuple[str, ...]] = field(default_factory=dict)  # optional references: field -> kind(s)
    unique: tuple[str, ...] = ()  # fields unique among live resources of the same parent (or compartment)
    unique_scope: str = "parent"  # "parent" | "compartment" | "tenancy"
    update_states: tuple[str, ...] | None = None  # states an update is allowed in (default: ready)
    live: tuple[str, ...] | None = None  # states the resource counts as live in (default: creating, ready, updating)
    validate: Check | None = None  # (ctx, body, existing or None) -> fields to set; raises ApiError
    on_create: Callable[[Context, dict], Any] | None = None
    on_ready: Callable[[Any, dict], Any] | None = None  # (core, doc) once the creating state is over
    check_delete: Callable[[Context, dict], Any] | None = None  # raises (409) while in use
    on_delete: Callable[[Context, dict], Any] | None = None
    on_read: Callable[[Context], Any] | None = None  # before a get or list (catch up on lazy work: due backups)
    search: str | None = None  # OCI Resource Search type ("NetworkSecurityGroup")
    defaults: dict[str, Any] = field(default_factory=dict)  # fields set at create when the body has none
    noun: str | None = None  # in the SDK's operation names (default: the model's, snake_case): "topic"
    newest_first: bool = False  # lists without sortBy come newest first (Notifications' topics)
    ops: dict[str, str] = field(default_factory=dict)  # override derived names: {"list": "list_x"}
    regional: bool = True
    extra_list_filters: dict[str, Callable[[dict, Any], bool]] = field(default_factory=dict)
    module: str = ""  # set by Service.resource
    resolved: dict[str, str] = field(default_factory=dict)  # verb -> operation name (set at install)

    def __post_init__(self) -> None:
        self.ocid = self.ocid or self.name
        self.default_name = self.default_name if self.default_name is not None else self.name

    # ------------------------------------------------------------ building blocks
    @property
    def live_states(self) -> tuple[str, ...]:
        if self.live is not None:  # a kind with more resting states (an instance is STOPPED too)
            return self.live
        lc = self.lifecycle
        return tuple(s for s in (lc.creating, lc.ready, lc.updating) if s) + lc.also_live

    def is_live(self, doc: dict) -> bool:
        return doc.get("lifecycleState") in self.live_states

    def public(self, doc: dict) -> dict:
        """The document as the API shows it (its etag in the body where the model has one)."""
        info = models.model_info(self.module, self.model)
        if info is not None and "etag" in info.fields and doc.get("_etag"):
            doc = dict(doc)
            doc["etag"] = doc["_etag"]
        return doc

    def find_live(self, ctx: Context, kinds: str | tuple[str, ...], ident: Any, field_name: str) -> dict:
        """The live resource `ident` of one of `kinds` in this region, or a 400 naming the field."""
        for k in (kinds,) if isinstance(kinds, str) else kinds:
            doc = ctx.find(k, ident) if isinstance(ident, str) else None
            if doc is not None:
                other = KINDS.get(k)
                if other is not None and not other.is_live(doc):
                    raise invalid(f"{field_name}: the {other.what} {ident} is {doc.get('lifecycleState')}")
                return doc
        raise ApiError(404, "NotAuthorizedOrNotFound",
                       f"{field_name}: {str(ident)[:120]} does not exist in {ctx.region} or you are not "
                       "authorized to use it")

    def check_unique(self, ctx: Context, doc: dict, exclude: str | None = None) -> None:
        for f in self.unique:
            v = doc.get(f)
            if v is None:
                continue
            for other in ctx.store.by_field(self.name, f, v):
                # a name stays taken until the resource is gone (while it is being deleted too)
                if other["id"] == exclude or (self.lifecycle.deleted and
                                              other.get("lifecycleState") == self.lifecycle.deleted):
                    continue
                if self.unique_scope != "tenancy" and other.get("_region") != doc.get("_region"):
                    continue
                if self.unique_scope == "parent" and self.parent and \
                        other.get(self.parent[0]) != doc.get(self.parent[0]):
                    continue
                if self.unique_scope == "compartment" and other.get("compartmentId") != doc.get("compartmentId"):
                    continue
                where = {"tenancy": "in the tenancy", "compartment": "in this compartment"}.get(
                    self.unique_scope, f"in this {KINDS[self.parent[1]].what}" if self.parent and
                    self.parent[1] in KINDS else "here")
                raise conflict(f"A {self.what} with {f} '{v}' already exists {where}")

    def fields_from(self, body: dict, model: str | None) -> dict:
        """The body's non-null fields that the resource model has too."""
        info = models.model_info(self.module, self.model)
        have = info.fields if info is not None else {}
        skip = {"freeformTags", "definedTags", "systemTags", "id", "lifecycleState", "timeCreated"}
        return {k: v for k, v in (body or {}).items() if v is not None and k in have and k not in skip}

    # ------------------------------------------------------------ operations
    def create(self, ctx: Context, body: dict | None = None, extra: dict | None = None) -> dict:
        """Create from the request body (or `body`): checks, defaults, lifecycle, work request."""
        b = ctx.body if body is None else body
        b = b or {}
        doc: dict[str, Any] = dict(self.defaults)
        doc.update(self.fields_from(b, None))
        if self.compartment:
            doc["compartmentId"] = ctx.compartment(b.get("compartmentId"))["id"]
        if self.parent:
            pf, pk = self.parent
            # the parent is in the body, or in the path (/users/{userId}/authTokens)
            pval = b.get(pf) if b.get(pf) is not None else (ctx.path or {}).get(pf)
            ctx.require(pval, pf)
            parent = self.find_live(ctx, pk, pval, pf)
            doc[pf] = parent["id"]
        for f, kinds in self.refs.items():
            if b.get(f) is not None:
                vals = b[f] if isinstance(b[f], list) else [b[f]]
                for i, v in enumerate(vals):
                    self.find_live(ctx, kinds, v, f if len(vals) == 1 and not isinstance(b[f], list) else f"{f}[{i}]")
        if self.name_field and not doc.get(self.name_field):
            doc[self.name_field] = default_name(ctx, self.default_name or self.name)
        elif self.name_field == "displayName":  # other name fields have their service's own rules
            check_name(doc[self.name_field], self.name_field)
        if extra:
            doc.update(extra)
        if self.validate is not None:
            doc.update(self.validate(ctx, b, None) or {})
        ident = doc.get("id") or ctx.new_id(self.ocid or self.name, regional=self.regional)
        doc["id"] = ident
        if self.id_field != "id":
            doc[self.id_field] = ident
        doc["_region"] = ctx.region if self.regional else None
        doc.setdefault("timeCreated", ctx.ts())
        doc["freeformTags"], doc["definedTags"] = {}, {}
        doc.update(ctx.tags(b))
        lc = self.lifecycle
        doc["lifecycleState"] = lc.creating or lc.ready
        self.check_unique(ctx, doc)
        doc = ctx.put(self.name, doc)
        wr = self._work_request(ctx, "create", "CREATED", doc)
        if lc.creating:
            ctx.schedule(self.name, ident, {"lifecycleState": lc.ready}, steps=1, when_state=lc.creating,
                         hook="engine.settled", args={"kind": self.name, "wr": wr, "event": "created"})
        elif wr:
            ctx.schedule(None, None, {}, steps=1, hook="engine.settled",
                         args={"kind": self.name, "wr": wr, "event": "created", "id": ident})
        if self.on_create is not None:
            self.on_create(ctx, doc)
            doc = ctx.store.get(self.name, ident) or doc
        return self.public(doc)

    def get(self, ctx: Context, ident: str | None = None) -> dict:
        if self.on_read is not None:
            self.on_read(ctx)
        return self.public(self.in_path(ctx, ctx.get(self.name, ident or self._path_id(ctx, "get"), self.what)))

    def in_path(self, ctx: Context, doc: dict) -> dict:
        """A sub-resource addressed under its parent (/users/{userId}/authTokens/{id}) is found only there."""
        if self.parent and ctx.path and ctx.path.get(self.parent[0]) not in (None, doc.get(self.parent[0])):
            raise not_found(self.what, doc["id"])
        return doc

    def list(self, ctx: Context) -> list[dict]:
        if self.on_read is not None:
            self.on_read(ctx)
        q = ctx.query
        op = ctx.op
        if self.compartment and "compartmentId" in q:
            docs = ctx.list(self.name, ctx.compartment(q["compartmentId"])["id"])
        else:
            docs = ctx.list(self.name)
        for p in op.path_params() if op is not None else ():
            v = ctx.path.get(p.wire)
            if self.parent and p.wire == self.parent[0]:
                ctx.get(self.parent[1], v, KINDS[self.parent[1]].what if self.parent[1] in KINDS else None)
            docs = [d for d in docs if d.get(p.wire) == v]
        info = models.model_info(self.module, self.model)
        have = info.fields if info is not None else {}
        generic = {"compartmentId", "limit", "page", "sortBy", "sortOrder", "lifecycleState", "displayName",
                   "name", "availabilityDomain"}
        for key, want in q.items():
            if key in self.extra_list_filters:
                docs = [d for d in docs if self.extra_list_filters[key](d, want)]
            elif key not in generic and key in have and not isinstance(want, list):
                docs = [d for d in docs if d.get(key) == want]
        if self.newest_first:  # the service's documented default order; otherwise the order they were made in
            docs.sort(key=lambda d: d.get("timeCreated") or "", reverse=True)
        return [self.public(d) for d in docs]

    def update(self, ctx: Context, ident: str | None = None, body: dict | None = None) -> dict:
        doc = self.in_path(ctx, ctx.get_for_write(self.name, ident or self._path_id(ctx, "update"), self.what))
        allowed = self.update_states or (self.lifecycle.ready,)
        if doc.get("lifecycleState") not in allowed:
            raise incorrect_state(f"The {self.what} is {doc.get('lifecycleState')}; it can be updated when "
                                  + " or ".join(allowed))
        b = ctx.body if body is None else body
        b = b or {}
        changes = self.fields_from(b, None)
        changes.pop("compartmentId", None)
        if self.parent:
            changes.pop(self.parent[0], None)
        if self.name_field == "displayName" and self.name_field in changes:
            check_name(changes[self.name_field], self.name_field)
        for f, kinds in self.refs.items():
            if changes.get(f) is not None:
                vals = changes[f] if isinstance(changes[f], list) else [changes[f]]
                for v in vals:
                    self.find_live(ctx, kinds, v, f)
        if self.validate is not None:
            changes.update(self.validate(ctx, b, doc) or {})
        changes.update(ctx.tags(b))
        candidate = dict(doc)
        candidate.update(changes)
        self.check_unique(ctx, candidate, exclude=doc["id"])
        lc = self.lifecycle
        wr_needed = ctx.op is not None and ctx.op.work_request
        if lc.updating:
            changes["lifecycleState"] = lc.updating
        new = ctx.update(self.name, doc["id"], changes)
        wr = self._work_request(ctx, "update", "UPDATED", new) if wr_needed else None
        if lc.updating:
            ctx.schedule(self.name, doc["id"], {"lifecycleState": lc.ready}, steps=1, when_state=lc.updating,
                         hook="engine.settled", args={"kind": self.name, "wr": wr, "event": "updated"})
        elif wr:
            ctx.schedule(None, None, {}, steps=1, hook="engine.settled",
                         args={"kind": self.name, "wr": wr, "event": "updated", "id": doc["id"]})
        return self.public(new)

    def delete(self, ctx: Context, ident: str | None = None) -> None:
        doc = self.in_path(ctx, ctx.get_for_write(self.name, ident or self._path_id(ctx, "delete"), self.what))
        lc = self.lifecycle
        if doc.get("lifecycleState") in lc.gone_states:
            raise incorrect_state(f"The {self.what} is already {doc['lifecycleState']}")
        if self.check_delete is not None:
            self.check_delete(ctx, doc)
        if self.on_delete is not None:
            self.on_delete(ctx, doc)
        wr = self._work_request(ctx, "delete", "DELETED", doc)
        if lc.deleting:
            ctx.update(self.name, doc["id"], {"lifecycleState": lc.deleting})
            ctx.schedule(self.name, doc["id"], {"lifecycleState": lc.deleted} if lc.deleted else {}, steps=1,
                         when_state=lc.deleting, hook="engine.settled",
                         args={"kind": self.name, "wr": wr, "event": "deleted"})
        else:
            settle_deleted(ctx.core, self, ctx.store.get(self.name, doc["id"]) or doc, wr)
        return None

    def move(self, ctx: Context, ident: str | None = None) -> None:
        doc = ctx.get_for_write(self.name, ident or self._path_id(ctx, "move"), self.what)
        if not self.is_live(doc):
            raise incorrect_state(f"The {self.what} is {doc.get('lifecycleState')}; it cannot be moved")
        comp = ctx.compartment((ctx.body or {}).get("compartmentId"))
        ctx.update(self.name, doc["id"], {"compartmentId": comp["id"]})
        wr = self._work_request(ctx, "move", "UPDATED", doc, compartment=comp["id"])
        if wr:
            ctx.schedule(None, None, {}, steps=1, hook="engine.settled",
                         args={"kind": self.name, "wr": wr, "event": "moved", "id": doc["id"]})
        return None

    # ------------------------------------------------------------ internals
    def _path_id(self, ctx: Context, verb: str) -> str:
        """The resource's OCID from the request path (the operation's last path parameter)."""
        params = ctx.op.path_params() if ctx.op is not None else []
        if not params:
            raise not_found(self.what, "")
        return ctx.path[params[-1].wire]

    def _work_request(self, ctx: Context, verb: str, action: str, doc: dict,
                      compartment: str | None = None) -> str | None:
        op = ctx.op
        if op is None or not op.work_request:
            return None
        from .services import workrequests
        service = WORK_REQUEST_SERVICE.get(self.module, self.module)
        op_type = {"create": "CREATE", "update": "UPDATE", "delete": "DELETE", "move": "MOVE"}[verb]
        op_type = f"{op_type}_{re.sub(r'(?<!^)(?=[A-Z])', '_', self.model).upper()}"
        wr = workrequests.start(ctx, service, op_type, compartment or doc.get("compartmentId") or ctx.tenancy_id,
                                [{"entityType": self.name, "actionType": action if verb != "delete" else "DELETED",
                                  "identifier": doc["id"], "entityUri": op.path}])
        return wr["id"]


# ---------------------------------------------------------------- shared helpers

_NAME_MAX = 255


def default_name(ctx: Context, prefix: str) -> str:
    """OCI's generated display name: the prefix and the creation time, `vcn20260101123456`."""
    return prefix + datetime.fromtimestamp(ctx.now, tz=UTC).strftime("%Y%m%d%H%M%S")


def named(ctx: Context, body: dict | None, prefix: str, field_name: str = "displayName") -> str:
    """The body's name (checked) if it has one, else the default name with `prefix`."""
    name = (body or {}).get(field_name)
    return default_name(ctx, prefix) if name is None else check_name(name, field_name)


def transition(ctx: Context, kind: Kind, doc: dict, via: str | None, to: str | None, wr: str | None = None,
               event: str = "updated", extra: dict | None = None) -> None:
    """A service's own action through a kind's lifecycle (start, stop, scale): `via` now, then `to` (and
    `extra`) one transition later, when the work request `wr` finishes too. Without states, only the work
    request finishes a transition later."""
    if via:
        now = {"timeUpdated": ctx.ts()} if "timeUpdated" in doc else {}
        ctx.update(kind.name, doc["id"], dict(now, lifecycleState=via))
    if to:
        ctx.schedule(kind.name, doc["id"], dict(extra or {}, lifecycleState=to), steps=1, when_state=via,
                     hook="engine.settled", args={"kind": kind.name, "wr": wr, "event": event})
    else:
        ctx.schedule(None, None, {}, steps=1, hook="engine.settled",
                     args={"kind": kind.name, "wr": wr, "event": event, "id": doc["id"]})


def check_name(name: Any, field_name: str = "displayName") -> str:
    if not isinstance(name, str) or not name.strip() or len(name) > _NAME_MAX:
        raise invalid(f"{field_name} must be 1-{_NAME_MAX} characters")
    return name


def settle_deleted(core, kind: Kind, doc: dict | None, wr: str | None) -> None:
    if doc is not None:
        if kind.lifecycle.deleted is None:
            core.store.delete(kind.name, doc["id"])
        else:
            if doc.get("lifecycleState") != kind.lifecycle.deleted:
                core.store.update(kind.name, doc["id"], {"lifecycleState": kind.lifecycle.deleted})
            core.schedule(None, None, {}, steps=0, hook="engine.purge",
                          args={"kind": kind.name, "id": doc["id"], "at": core.clock.now() + DELETED_KEPT})
    if wr:
        _finish_wr(core, wr)


def _finish_wr(core, wr: str | None, ok: bool = True, message: str | None = None) -> None:
    if wr:
        from .services import workrequests
        workrequests.finish(core, wr, ok, message)


def _settled(core, doc: dict, args: dict) -> None:
    kind = KINDS.get(args.get("kind", ""))
    event = args.get("event")
    if kind is not None and event == "deleted":
        settle_deleted(core, kind, doc or None, None)
    elif kind is not None and event == "created" and doc and kind.on_ready is not None:
        kind.on_ready(core, doc)
    _finish_wr(core, args.get("wr"))


def _purge(core, _doc: dict, args: dict) -> None:
    if core.clock.now() < args.get("at", 0):  # not yet: look again when it is due
        core.store.schedule(args["at"], {"kind": None, "id": None, "set": {}, "when": None,
                                         "hook": "engine.purge", "args": dict(args, at=0)})
        return
    doc = core.store.get(args["kind"], args["id"])
    kind = KINDS.get(args["kind"])
    if doc is not None and kind is not None and doc.get("lifecycleState") == kind.lifecycle.deleted:
        core.store.delete(args["kind"], args["id"])


HOOKS = {"engine.settled": _settled, "engine.purge": _purge}


# ---------------------------------------------------------------- installing handlers

def snake(model: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model).lower()


def plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def candidates(kind: Kind) -> dict[str, list[str]]:
    s = kind.noun or snake(kind.model)
    return {"create": [f"create_{s}"], "get": [f"get_{s}"], "list": [f"list_{plural(s)}", f"list_{s}"],
            "update": [f"update_{s}"], "delete": [f"delete_{s}"], "move": [f"change_{s}_compartment"]}


def resolve(kind: Kind, specs: dict[str, OpSpec]) -> dict[str, str]:
    """verb -> SDK operation name, for the verbs the SDK has."""
    out = {}
    for verb, names in candidates(kind).items():
        if verb in kind.ops:
            name = kind.ops[verb]
            if name and name not in specs:
                raise ValueError(f"{kind.name}: operation {name} is not in oci.{kind.module}")
            if name:
                out[verb] = name
            continue
        for n in names:
            if n in specs:
                out[verb] = n
                break
    return out


def install(svc: Service) -> None:
    """Serve every declared kind's engine operations that `svc` did not write by hand."""
    if not svc.kinds:
        return
    specs = module_specs(svc.sdk_module)
    for kind in svc.kinds:
        info = models.model_info(kind.module, kind.model)
        if info is None:
            raise ValueError(f"{kind.name}: oci.{kind.module}.models has no {kind.model}")
        if "lifecycleState" not in info.fields:
            # OCI keeps no state for it (a CPE): it exists at once and is gone once deleted
            kind.lifecycle = IMMEDIATE
        kind.resolved = resolve(kind, specs)
        for verb, op_name in kind.resolved.items():
            if op_name in svc.handlers:
                continue
            svc.handlers[op_name] = _handler(kind, verb)


def _handler(kind: Kind, verb: str):
    if verb == "create":
        def create(ctx):
            return kind.create(ctx)
        return create
    if verb == "get":
        def get(ctx):
            return kind.get(ctx)
        return get
    if verb == "list":
        def list_(ctx):
            return as_collection(ctx, kind.list(ctx))
        return list_
    if verb == "update":
        def update(ctx):
            return kind.update(ctx)
        return update
    if verb == "delete":
        def delete(ctx):
            return kind.delete(ctx)
        return delete

    def move(ctx):
        return kind.move(ctx)
    return move


def as_collection(ctx: Context, docs: list[dict]) -> list[dict] | dict:
    """`docs` as the operation answers them: a list, or `{"items": [...]}` where the SDK's response is a
    `...Collection` model (list_compute_clusters); the core pages either."""
    rtype = ctx.op.response_type if ctx.op is not None else None
    return {"items": docs} if rtype and not rtype.startswith("list[") else docs


def declared_ops(kinds: Iterable[Kind]) -> set[str]:
    return {op for k in kinds for op in k.resolved.values()}
