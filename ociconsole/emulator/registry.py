"""The service registry: one `Service` per emulated service module.

A service module declares which SDK package it serves (`Service("core")` answers under
`/core`, for every client of `oci.core`), registers handlers by SDK operation name
(`@svc.op("launch_instance")`), lifecycle hooks by name (`@svc.hook("instance.running")`),
and seeders (`@svc.seeder`). The HTTP layer does routing, authentication, parameter and
body validation, retry tokens, filtering, sorting and pagination, so a handler only
implements the operation's meaning.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .protocol import ApiError, invalid, new_ocid, not_found, ts

# OCI's tag limits per resource (Tagging: "Tag limits")
MAX_FREEFORM_TAGS = 10
MAX_DEFINED_TAGS = 64
MAX_TAG_BYTES = 5 * 1024  # free-form and defined tags together, as JSON

if TYPE_CHECKING:
    from .app import EmulatorCore
    from .auth import Principal
    from .engine import Kind
    from .spec import OpSpec


@dataclass
class Result:
    """A handler's answer when the default (200 + JSON of the returned value) is not enough."""

    body: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # non-JSON body (object content)
    content_type: str | None = None
    # a streamed non-JSON body: chunks written as they come (the server closes the iterable after)
    stream: Iterable[bytes] | None = None
    length: int | None = None  # content-length of `stream`
    # a long read-only computation (metric queries): called after the transaction, without the state
    # lock, over what the handler took from the store under it; returns the answer (a body or a Result).
    # The handler must not change state that should be rolled back if `later` raises.
    later: Callable[[], Any] | None = None


class SpooledBody:
    """The body of a request whose SDK body type is `stream` (object uploads): written to a file
    in chunks before the handler runs (outside the state lock), with its size and MD5.

    A handler keeps the bytes with `adopt(dest)` (a rename on the same filesystem); otherwise the
    file is removed after the request.
    """

    def __init__(self, path: str, size: int, md5_b64: str):
        self.path = path
        self.size = size
        self.md5 = md5_b64  # base64 of the MD5 digest, as Content-MD5 / opc-content-md5
        self.adopted = False

    def open(self):
        return open(self.path, "rb")

    def read(self) -> bytes:
        with self.open() as f:
            return f.read()

    def adopt(self, dest: str) -> None:
        os.replace(self.path, dest)
        self.adopted = True

    def discard(self) -> None:
        if not self.adopted:
            try:
                os.unlink(self.path)
            except OSError:
                pass


Handler = Callable[["Context"], Any]
Hook = Callable[["EmulatorCore", dict, dict], None]


class Service:
    def __init__(self, sdk_module: str, name: str | None = None):
        self.sdk_module = sdk_module
        self.name = name or sdk_module
        self.handlers: dict[str, Handler] = {}
        self.hooks: dict[str, Hook] = {}
        self.seeders: list[Callable] = []
        # unauthenticated routes outside the SDK's operations (pre-authenticated requests):
        # first path segment under /<module> -> (handler(ctx, rest_segments), also served at the root)
        self.public_routes: dict[str, tuple[Callable, bool]] = {}
        # SDK operations a caller may also make without a signature when allow(ctx) says so (public
        # buckets): operation name -> allow
        self.unsigned_ops: dict[str, Callable[[Context], bool]] = {}
        # resources the Resource Search service finds: OCI resource type -> (store kind, name field)
        self.searchable: dict[str, tuple[str, str]] = {}
        # resource kinds served by the engine (engine.install fills in their operations at registration)
        self.kinds: list[Kind] = []

    def resource(self, kind: Kind) -> Kind:
        """Declare a resource kind: the engine serves its get/list/create/update/delete/move operations
        that this service does not write by hand (see engine.py)."""
        from . import engine
        if kind.name in engine.KINDS and engine.KINDS[kind.name] is not kind:
            raise ValueError(f"resource kind {kind.name} declared twice")
        kind.module = self.sdk_module
        engine.KINDS[kind.name] = kind
        if kind.ocid and kind.ocid != kind.name:
            engine.OCID_KINDS.setdefault(kind.ocid, kind.name)
        self.kinds.append(kind)
        if kind.search:
            self.search(kind.search, kind.name, kind.name_field or "displayName")
        return kind

    def op(self, *names: str):
        def deco(fn: Handler) -> Handler:
            for n in names:
                if n in self.handlers:
                    raise ValueError(f"{self.name}: operation {n} registered twice")
                self.handlers[n] = fn
            return fn
        return deco

    def hook(self, name: str):
        def deco(fn: Hook) -> Hook:
            self.hooks[name] = fn
            return fn
        return deco

    def seeder(self, fn: Callable) -> Callable:
        self.seeders.append(fn)
        return fn

    def search(self, resource_type: str, kind: str, name_field: str = "displayName") -> None:
        """Declare that OCI's Resource Search finds `kind` documents as `resource_type` ("Instance")."""
        self.searchable[resource_type] = (kind, name_field)

    def public(self, segment: str, root: bool = False):
        """An unsigned route `/<module>/<segment>/...` (and `/<segment>/...` if `root`).

        The handler gets a Context (no operation, no principal; `ctx.path["rest"]` is the raw
        remainder of the path, `ctx.raw_body` a SpooledBody for PUT/POST) and returns a Result.
        """
        def deco(fn: Callable) -> Callable:
            self.public_routes[segment] = (fn, root)
            return fn
        return deco

    def unsigned(self, *names: str):
        """Let requests without an Authorization header make the SDK operations `names` when the
        decorated `allow(ctx) -> bool` says so, e.g. GetObject on a public bucket.

        `allow` runs in the request's transaction, just before the handler (so it sees the state the
        handler sees), with `ctx.principal` None; when it says no, the request gets the 401 an
        unsigned request always gets. A request that carries a signature is verified as usual.
        """
        def deco(fn: Callable[[Context], bool]) -> Callable[[Context], bool]:
            for n in names:
                if n in self.unsigned_ops:
                    raise ValueError(f"{self.name}: unsigned access to {n} declared twice")
                self.unsigned_ops[n] = fn
            return fn
        return deco


class Context:
    """Everything a handler needs about one request, plus helpers over the store."""

    def __init__(self, core: EmulatorCore, op: OpSpec, region: str, principal: Principal | None,
                 path: dict[str, str], query: dict[str, Any], headers, body: Any, raw_body: bytes | None):
        self.core = core
        self.store = core.store
        self.op = op
        self.region = region
        self.principal = principal
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.raw_body = raw_body
        self.response_headers: dict[str, str] = {}
        self.now = core.clock.now()

    # ------------------------------------------------------------ ids and time
    @property
    def tenancy_id(self) -> str:
        return self.core.tenancy_id

    def new_id(self, rtype: str, regional: bool = True) -> str:
        return new_ocid(rtype, self.region if regional else None)

    def ts(self, t: float | None = None) -> str:
        return ts(self.now if t is None else t)

    # ------------------------------------------------------------ documents
    def find(self, kind: str, ident: str) -> dict | None:
        doc = self.store.get(kind, ident) if isinstance(ident, str) else None
        if doc is not None and doc.get("_region") not in (None, self.region):
            return None
        return doc

    def get(self, kind: str, ident: str, what: str | None = None) -> dict:
        doc = self.find(kind, ident)
        if doc is None:
            raise not_found(what or kind, ident)
        return doc

    def get_for_write(self, kind: str, ident: str, what: str | None = None) -> dict:
        """`get` plus the `if-match` check OCI applies to updates, actions and deletes."""
        doc = self.get(kind, ident, what)
        self.check_if_match(doc)
        return doc

    def check_if_match(self, doc: dict) -> None:
        want = self.headers.get("if-match")
        if want and want != "*" and want != doc.get("_etag"):
            raise ApiError(412, "NoEtagMatch",
                           f"The resource's etag does not match the if-match value '{want}'")

    def put(self, kind: str, doc: dict) -> dict:
        return self.store.put(kind, doc)

    def update(self, kind: str, ident: str, changes: dict) -> dict:
        return self.store.update(kind, ident, changes)

    def delete(self, kind: str, ident: str) -> None:
        self.store.delete(kind, ident)

    def list(self, kind: str, compartment_id: str | None = None) -> list[dict]:
        docs = self.store.list(kind, compartment_id)
        return [d for d in docs if d.get("_region") in (None, self.region)]

    # ------------------------------------------------------------ lifecycle
    def schedule(self, kind: str, ident: str, set_fields: dict, steps: float = 1.0,
                 when_state: str | list[str] | None = None, hook: str | None = None,
                 args: dict | None = None) -> float:
        """Change `set_fields` on a document after `steps` transition delays.

        `when_state` guards the change (skipped if the state moved on meanwhile);
        `hook` names a registered hook run after the change. Returns the due time.
        """
        return self.core.schedule(kind, ident, set_fields, steps, when_state, hook, args)

    # ------------------------------------------------------------ common checks
    def require(self, value, name: str):
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ApiError(400, "MissingParameter", f"{name} is required")
        return value

    def compartment(self, comp_id: str, name: str = "compartmentId") -> dict:
        """The ACTIVE compartment (or the tenancy) `comp_id`, or a 404."""
        self.require(comp_id, name)
        doc = self.store.get("compartment", comp_id)
        if doc is None or doc.get("lifecycleState") != "ACTIVE":
            raise not_found("compartment", comp_id)
        return doc

    def tags(self, body: dict | None) -> dict:
        """Validated freeformTags/definedTags from a create/update body (defined tags must exist)."""
        body = body or {}
        out = {}
        if "freeformTags" in body and body["freeformTags"] is not None:
            ff = body["freeformTags"]
            if len(ff) > MAX_FREEFORM_TAGS:
                raise invalid(f"freeformTags: a resource can have at most {MAX_FREEFORM_TAGS} free-form tags, "
                              f"got {len(ff)}")
            for k, v in ff.items():
                if not k or len(k) > 100 or len(str(v)) > 256:
                    raise invalid(f"freeformTags: key '{k[:40]}' must be 1-100 characters, value at most 256")
                if "." in k or any(c.isspace() for c in k):
                    raise invalid(f"freeformTags: key '{k[:40]}' must not contain periods or spaces")
            out["freeformTags"] = ff
        if "definedTags" in body and body["definedTags"] is not None:
            dt = body["definedTags"]
            n = sum(len(kv) if isinstance(kv, dict) else 1 for kv in dt.values())
            if n > MAX_DEFINED_TAGS:
                raise invalid(f"definedTags: a resource can have at most {MAX_DEFINED_TAGS} defined tags, got {n}")
            self.core.check_defined_tags(dt)
            out["definedTags"] = dt
        size = len(json.dumps(out, separators=(",", ":"), ensure_ascii=False).encode())
        if size > MAX_TAG_BYTES:
            raise invalid(f"freeformTags and definedTags hold {size:,} bytes of JSON; at most {MAX_TAG_BYTES:,} "
                          "are allowed per resource")
        return out
