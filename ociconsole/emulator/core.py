"""The request pipeline shared by every emulated service.

raw HTTP request -> region/module prefix -> route (from the SDK's operation specs)
-> fault/latency injection -> signature check -> query/header/body validation
-> transaction { advance lifecycles -> retry-token replay -> handler -> filter, sort,
paginate, project to the response model } -> JSON response with opc-request-id.

Operations whose SDK body type is `stream` (object uploads) get their body as a SpooledBody:
the server hands over a reader and the core writes it to a file (size, MD5) before taking the
state lock. A handler may answer with a streamed Result (`stream` + `length`, e.g. an object's
bytes read from disk). Services may also declare unsigned routes (`Service.public`, used by
pre-authenticated requests) that bypass the SDK routes and the signature check, and SDK operations
that an unsigned request may make when the state allows it (`Service.unsigned`: reads of public
buckets): such a request skips the signature check and its service's `allow(ctx)` decides, inside the
transaction, before the handler runs.

A request under /<package> for an operation that package does not have is routed to a package served
by the same OCI endpoint (SAME_ENDPOINT: iaas serves core and work requests), as one `--endpoint`
given to the `oci` CLI is used for every client a command builds.

A handler whose answer is a long read-only computation (metric queries) returns `Result(later=fn)`:
the transaction ends with what it read, and `fn()` computes the answer without the state lock.
Methods other than GET, HEAD, POST, PUT, DELETE and PATCH are answered 405 with an Allow header.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import random
import tempfile
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

from . import engine, models
from .auth import Authenticator, Principal
from .clock import Clock
from .faults import FaultInjector
from .protocol import ApiError, invalid, parse_json, request_id
from .registry import Context, Result, Service, SpooledBody
from .spec import OpSpec, module_specs
from .store import Store

log = logging.getLogger("ociconsole.emulator")

MAX_BODY = 10 * 1024 * 1024
MAX_LIMIT = 1000
# sort keys whose values rank by meaning, not alphabetically: ascending is the least severe first
RANKED_SORTS = {"severity": {"INFO": 0, "WARNING": 1, "ERROR": 2, "CRITICAL": 3}}
DEFAULT_LIMIT = 100
RETRY_TOKEN_TTL = 24 * 3600.0
# successful handler calls per (module, operation) of every emulator of this process: what a test
# suite has exercised (tests/conftest.py fails a whole-suite run that leaves a served operation unused)
PROCESS_OP_CALLS: dict[tuple[str, str], int] = {}
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH")  # any other method is answered 405
# SDK packages whose clients call the same OCI endpoint as another package's: tried, in order, for
# paths the package itself does not route (iaas.<region> serves oci.core and oci.work_requests)
# (the Database service's work requests are read through oci.work_requests too: its clients poll them at /database)
SAME_ENDPOINT: dict[str, tuple[str, ...]] = {"core": ("work_requests",), "database": ("work_requests",)}


@dataclass
class RawRequest:
    method: str
    target: str  # path + "?" + query, as received
    headers: Any  # case-insensitive mapping (http.client.HTTPMessage)
    body: Any  # bytes | None, or a file-like reader for streamed bodies (see EmulatorCore.streams_body)


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    action: str | None = None  # "reset" | "lost": drop the connection instead of answering
    stream: Any = None  # iterable of bytes sent instead of `body` (content-length in headers)


class _Headers:
    """Case-insensitive view over request headers."""

    def __init__(self, src):
        self._d = {k.lower(): v for k, v in (src.items() if src is not None else [])}

    def get(self, name: str, default=None):
        return self._d.get(name.lower(), default)

    def __contains__(self, name: str) -> bool:
        return name.lower() in self._d

    def items(self):
        """(lower-case name, value) pairs, e.g. for opc-meta-* headers."""
        return self._d.items()


# ------------------------------------------------------------------ routing

class Router:
    """A trie over path segments for every operation of one SDK module."""

    def __init__(self, ops: dict[str, OpSpec]):
        self.root: dict = {}
        for key, op in ops.items():
            node = self.root
            segs = [s for s in op.path.split("/") if s]
            for s in segs:
                if s.startswith("{") and s.endswith("}"):
                    node = node.setdefault("*", {})
                else:
                    node = node.setdefault("lit", {}).setdefault(s, {})
            node.setdefault("ops", {}).setdefault(op.method, (key, op, segs))

    def match(self, segments: list[str], method: str, raw_path: str | None = None):
        """Return ((key, op, template), params) or raise 404/405.

        `raw_path` (the path the segments came from) keeps a last parameter exact: an object
        name may hold '/', '//' or end with '/'.
        """
        found = self._walk(self.root, segments, 0)
        if found is None:
            # a greedy last parameter (object names may contain '/')
            found = self._greedy(segments)
            if found is None:
                raise ApiError(404, "NotAuthorizedOrNotFound", "Unknown resource path")
        node = found
        ops = node.get("ops", {})
        entry = ops.get(method)
        if entry is None:
            if method == "HEAD" and "GET" in ops:
                entry = ops["GET"]
            else:
                raise ApiError(405, "MethodNotAllowed", f"{method} is not allowed on this path",
                               headers={"allow": ", ".join(self._methods(node))})
        key, op, template = entry
        params = {}
        n = len(template)
        for i, t in enumerate(template):
            if t.startswith("{"):
                if i == n - 1 and raw_path is not None:
                    raw = _tail(raw_path, i) or segments[i]
                elif i == n - 1 and len(segments) > n:
                    raw = "/".join(segments[i:])
                else:
                    raw = segments[i]
                params[t[1:-1]] = unquote(raw)
        return entry, params

    def methods(self, segments: list[str]) -> list[str] | None:
        """The HTTP methods a path answers, or None if no operation has that path."""
        node = self._walk(self.root, segments, 0) or self._greedy(segments)
        return None if node is None else self._methods(node)

    @staticmethod
    def _methods(node: dict) -> list[str]:
        have = set(node.get("ops", {}))
        if "GET" in have:
            have.add("HEAD")
        return sorted(have)

    def _walk(self, node: dict, segs: list[str], i: int):
        if i == len(segs):
            return node if "ops" in node else None
        lit = node.get("lit", {}).get(segs[i])
        if lit is not None:
            r = self._walk(lit, segs, i + 1)
            if r is not None:
                return r
        star = node.get("*")
        if star is not None:
            return self._walk(star, segs, i + 1)
        return None

    def _greedy(self, segs: list[str]):
        for cut in range(len(segs) - 1, 0, -1):
            node = self._walk(self.root, segs[:cut], 0)
            if node is not None:
                for _m, (_k, _op, template) in node.get("ops", {}).items():
                    if template and template[-1].startswith("{") and len(template) == cut:
                        return node
        return None


def _tail(path: str, skip: int) -> str:
    """What follows the first `skip` non-empty segments of `path` (and the '/' after them), verbatim."""
    pos = 0
    for _ in range(skip):
        while pos < len(path) and path[pos] == "/":
            pos += 1
        pos = path.find("/", pos)
        if pos < 0:
            return ""
    return path[pos + 1:] if path.startswith("/", pos) else path[pos:]


# ------------------------------------------------------------------ query parsing

def _convert_param(p, values: list[str]):
    def one(v: str, t: str):
        if t == "int":
            try:
                return int(v)
            except ValueError:
                raise invalid(f"Query parameter '{p.wire}' must be an integer, got '{v[:40]}'") from None
        if t == "float":
            try:
                return float(v)
            except ValueError:
                raise invalid(f"Query parameter '{p.wire}' must be a number, got '{v[:40]}'") from None
        if t == "bool":
            if v.lower() in ("true", "false"):
                return v.lower() == "true"
            raise invalid(f"Query parameter '{p.wire}' must be true or false, got '{v[:40]}'")
        if t == "datetime":
            try:
                models.parse_datetime(v)
            except ValueError:
                raise invalid(f"Query parameter '{p.wire}' must be an RFC 3339 timestamp, got '{v[:40]}'") from None
        return v

    t = p.type
    if t.startswith("list["):
        inner = t[5:-1]
        items = []
        for v in values:
            items.extend(v.split(",") if p.collection_format == "csv" else [v])
        out = [one(v, inner) for v in items]
        if p.allowed:
            for v in out:
                if v not in p.allowed:
                    raise invalid(f"Query parameter '{p.wire}': '{v[:40]}' is not one of {p.allowed}")
        return out
    v = one(values[-1], t)
    if p.allowed and v not in p.allowed:
        if p.wire == "lifecycleState" and isinstance(v, str) and v.upper() in p.allowed:
            return v.upper()
        raise invalid(f"Query parameter '{p.wire}': '{str(v)[:40]}' is not one of {p.allowed}")
    return v


# ------------------------------------------------------------------ the core

class EmulatorCore:
    """The pipeline over the registered services.

    `services` is either a list of Service objects, or None for the registry in
    `services/__init__.py`, whose modules are imported when a request first needs them.
    """

    def __init__(self, services: list[Service] | None, store: Store, *, transition_delay: float = 2.0,
                 verify_signatures: bool = True, strict: bool = False, home_region: str = "us-ashburn-1"):
        self.store = store
        self.clock: Clock = store.clock
        self.transition_delay = transition_delay
        self.strict = strict
        self.home_region = home_region
        self.faults = FaultInjector()
        self.rng = random.Random()
        self._handlers: dict[str, dict[str, tuple[Service, Any]]] = {}
        self._hooks: dict[str, Any] = dict(engine.HOOKS)
        self._services: dict[str, list[Service]] = {}  # emulator module -> its Service objects
        self._ensured: set[str] = set()  # SDK packages whose service modules are all imported
        self._stream_methods: dict[str, frozenset[str]] = {}  # SDK package -> methods of its stream-body ops
        self._load_lock = threading.RLock()
        # unsigned routes: (module, first segment) -> handler; root segment -> (module, handler)
        self.public_routes: dict[tuple[str, str], Any] = {}
        self.root_routes: dict[str, tuple[str, Any]] = {}
        # SDK operations unsigned requests may make when allowed: (module, operation) -> allow(ctx)
        self.unsigned_ops: dict[tuple[str, str], Any] = {}
        if services is None:
            from .services import EAGER, LAYOUT
            self._layout = dict(LAYOUT)
            for name in EAGER:
                self._load(name)
        else:
            self._layout = {}
            for i, svc in enumerate(services):
                key = f"{svc.name}#{i}"
                self._layout[key] = (svc.sdk_module,)
                self._register(key, [svc])
        self._routers: dict[str, Router] = {}
        self._router_lock = threading.Lock()
        self.auth: Authenticator | None = None
        self.verify_signatures = verify_signatures
        self.tenancy_id = ""
        self.stats = {"requests": 0, "errors": 0, "by_status": {}}
        # successful handler calls per (module, operation): what a test run has exercised
        self.op_calls: dict[tuple[str, str], int] = {}
        self.strict_violations: list[str] = []
        self.admin_handlers: dict[str, Any] = {}
        # where services keep files (object bytes) and streamed bodies are spooled; set by the app
        self.files_dir: Path | None = None

    # ------------------------------------------------------------ services (loaded on demand)
    def _register(self, name: str, services: list[Service]) -> None:
        for svc in services:
            engine.install(svc)
            table = self._handlers.setdefault(svc.sdk_module, {})
            for op_name, fn in svc.handlers.items():
                table[op_name] = (svc, fn)
            for hook_name, fn in svc.hooks.items():
                if hook_name in self._hooks:
                    raise ValueError(f"hook {hook_name} registered twice")
                self._hooks[hook_name] = fn
            for seg, (fn, root) in svc.public_routes.items():
                self.public_routes[(svc.sdk_module, seg)] = fn
                if root:
                    self.root_routes[seg] = (svc.sdk_module, fn)
            for op_name, fn in svc.unsigned_ops.items():
                self.unsigned_ops[(svc.sdk_module, op_name)] = fn
        self._services[name] = services

    def _load(self, name: str) -> None:
        if name in self._services:
            return
        with self._load_lock:
            if name not in self._services:
                from .services import load
                self._register(name, load(name))

    def _ensure(self, sdk_module: str) -> dict[str, tuple[Service, Any]]:
        """The handlers of an SDK package, importing the service modules that serve it."""
        if sdk_module not in self._ensured:  # once per package: this runs on every request
            for name, mods in self._layout.items():
                if sdk_module in mods and name not in self._services:
                    self._load(name)
            self._ensured.add(sdk_module)
        return self._handlers.get(sdk_module, {})

    def load_all(self) -> None:
        for name in self._layout:
            self._load(name)

    @property
    def services(self) -> list[Service]:
        """Every service, in seeding order (imports them all)."""
        self.load_all()
        return [s for name in self._layout for s in self._services.get(name, [])]

    @property
    def handlers(self) -> dict[str, dict[str, tuple[Service, Any]]]:
        self.load_all()
        return self._handlers

    @property
    def hooks(self) -> dict[str, Any]:
        self.load_all()
        return self._hooks

    def hook(self, name: str):
        """A lifecycle hook by name ("<service module>.<hook>"), importing its module if needed."""
        fn = self._hooks.get(name)
        if fn is None and name.partition(".")[0] in self._layout:
            self._load(name.partition(".")[0])
            fn = self._hooks.get(name)
        return fn

    def started_hooks(self) -> list:
        """Hooks named "<service>.on_start" of the services imported at start."""
        return [fn for n, fn in self._hooks.items() if n.endswith(".on_start")]

    @property
    def modules(self) -> list[str]:
        mods = getattr(self, "_module_list", None)
        if mods is None:
            mods = self._module_list = sorted({m for ms in self._layout.values() for m in ms})
        return mods

    def router(self, module: str) -> Router:
        r = self._routers.get(module)
        if r is None:
            self._ensure(module)
            with self._router_lock:
                r = self._routers.get(module)
                if r is None:
                    r = Router(module_specs(module))
                    self._routers[module] = r
        return r

    def regions(self) -> list[str]:
        return list(self.store.meta("subscribed_regions", [self.home_region]))

    # ------------------------------------------------------------ lifecycle
    def schedule(self, kind: str | None, ident: str | None, set_fields: dict | None, steps: float = 1.0,
                 when_state=None, hook: str | None = None, args: dict | None = None) -> float:
        at = self.clock.now() + max(0.0, steps) * self.transition_delay
        if isinstance(when_state, str):
            when_state = [when_state]
        self.store.schedule(at, {"kind": kind, "id": ident, "set": set_fields or {}, "when": when_state,
                                 "hook": hook, "args": args or {}})
        return at

    def advance(self, now: float | None = None) -> int:
        """Apply every lifecycle change that is due (call inside a transaction)."""
        applied = 0
        for payload in self.store.pop_due(now):
            kind, ident = payload.get("kind"), payload.get("id")
            doc = None
            if kind and ident:
                doc = self.store.get(kind, ident)
                if doc is None:
                    continue
                when = payload.get("when")
                if when and doc.get("lifecycleState") not in when:
                    continue
                if payload.get("set"):
                    doc = self.store.update(kind, ident, payload["set"])
            hook = payload.get("hook")
            if hook:
                fn = self.hook(hook)
                if fn is None:
                    log.error("unknown lifecycle hook %s", hook)
                else:
                    fn(self, doc or {}, payload.get("args") or {})
            applied += 1
        return applied

    def check_defined_tags(self, defined: dict) -> None:
        fn = self.hook("identity.check_defined_tags")
        if fn is not None:
            fn(self, {}, {"definedTags": defined})

    # ------------------------------------------------------------ pipeline
    def handle(self, req: RawRequest) -> RawResponse:
        rid = request_id()
        self.stats["requests"] += 1
        try:
            resp = self._handle(req, rid)
        except ApiError as e:
            resp = self._error(e, rid)
        except Exception:
            log.error("emulator bug handling %s %s\n%s", req.method, req.target, traceback.format_exc())
            resp = self._error(ApiError(500, "InternalServerError", "Internal error in the emulator"), rid)
        resp.headers.setdefault("opc-request-id", rid)
        st = resp.status
        self.stats["by_status"][st] = self.stats["by_status"].get(st, 0) + 1
        if st >= 400:
            self.stats["errors"] += 1
        return resp

    def _error(self, e: ApiError, rid: str) -> RawResponse:
        body = json.dumps(e.body()).encode()
        headers = {"content-type": "application/json", "opc-request-id": rid}
        headers.update(e.headers)
        return RawResponse(e.status, headers, body)

    def _handle(self, req: RawRequest, rid: str) -> RawResponse:
        if req.method not in METHODS:  # OPTIONS, TRACE, CONNECT, anything else: 405, never a 5xx
            raise ApiError(405, "MethodNotAllowed", f"The HTTP method '{req.method[:20]}' is not supported",
                           headers={"allow": ", ".join(self.allowed_methods(req.target))})
        path, _, qs = req.target.partition("?")
        segments = [s for s in path.split("/") if s]
        if not segments:
            raise ApiError(404, "NotAuthorizedOrNotFound", "Unknown resource path")
        headers = _Headers(req.headers)
        if segments[0] == "_emulator":
            return self._admin(req, headers, segments[1:], qs)
        if segments[0] in self.root_routes:
            _module, fn = self.root_routes[segments[0]]
            return self._serve_public(req, self.home_region, fn, _tail(path, 1), qs, headers)

        region = self.home_region
        skip = 1
        known = self.modules
        if segments[0] not in known and len(segments) > 1 and segments[1] in known:
            region = segments[0]
            segments = segments[1:]
            skip = 2
            if region not in self.regions():
                raise ApiError(404, "NotAuthorizedOrNotFound", f"The tenancy is not subscribed to region {region}")
        module = segments[0]
        if module not in known:
            raise ApiError(404, "NotAuthorizedOrNotFound", f"Unknown service '{module}'")
        if len(segments) > 1 and (module, segments[1]) in self.public_routes:
            fn = self.public_routes[(module, segments[1])]
            return self._serve_public(req, region, fn, _tail(path, skip + 1), qs, headers)
        (key, op, _template), path_params, module = self._route(module, segments[1:], req.method, _tail(path, skip))

        # latency and faults (outside the state lock)
        self.faults.sleep(self.faults.delay(module, op.name))
        fault = self.faults.choose(module, op.name)
        if fault == "reset":
            return RawResponse(0, action="reset")
        if fault in ("429", "500", "503"):
            code = {"429": "TooManyRequests", "500": "InternalServerError", "503": "ServiceUnavailable"}[fault]
            raise ApiError(int(fault), code, f"Injected fault ({fault})")

        allow = None
        if self.verify_signatures and self.auth is not None and not headers.get("authorization"):
            allow = self.unsigned_ops.get((module, op.name))
        principal = None if allow is not None else self._authenticate(req, headers, op)

        query = self._parse_query(op, qs)
        for p in op.headers:
            if p.required and headers.get(p.wire) is None:
                raise ApiError(400, "MissingParameter", f"Header '{p.wire}' is required")
        body, raw = self._parse_body(op, req.body)

        table = self._ensure(module)
        handler_name = op.name if op.name in table else key
        svc_fn = table.get(handler_name)
        if svc_fn is None:
            raise ApiError(501, "NotImplemented",
                           f"{op.client}.{op.name} is not implemented by the ociconsole emulator")
        _svc, fn = svc_fn
        if op.body_type == "stream":
            # written to disk before taking the state lock: big uploads run in parallel
            raw = self.spool(req.body, headers)
            try:
                return self._run(req, rid, module, op, handler_name, fn, region, principal, path_params, query,
                                 headers, body, raw, fault, allow)
            finally:
                raw.discard()
        return self._run(req, rid, module, op, handler_name, fn, region, principal, path_params, query, headers,
                         body, raw, fault, allow)

    def _route(self, module: str, segments: list[str], method: str, raw_path: str):
        """((key, op, template), path params, module) of a request under /<module>: its own routes first,
        then those of the packages served by the same OCI endpoint (SAME_ENDPOINT)."""
        try:
            entry, params = self.router(module).match(segments, method, raw_path)
            return entry, params, module
        except ApiError as e:
            if e.status != 404:
                raise
            for other in SAME_ENDPOINT.get(module, ()):
                try:
                    entry, params = self.router(other).match(segments, method, raw_path)
                except ApiError:
                    continue
                return entry, params, other
            raise

    def _run(self, req, rid, module, op, handler_name, fn, region, principal, path_params, query, headers, body,
             raw, fault, allow=None) -> RawResponse:
        retry_token = headers.get("opc-retry-token") if op.param("opc-retry-token") else None
        with self.store.transaction():
            self.advance()
            if retry_token:
                replay = self._retry_replay(op, retry_token, req)
                if replay is not None:
                    replay.headers["opc-request-id"] = rid
                    return replay
            ctx = Context(self, op, region, principal, path_params, query, headers, body, raw)
            if allow is not None and not allow(ctx):
                self._authenticate(req, headers, op)  # raises the 401 of a request without a signature
            result = fn(ctx)
            later = result.later if isinstance(result, Result) else None
            if later is None:
                resp = self._render(ctx, result)
                if retry_token and resp.status < 300:
                    self._retry_store(op, retry_token, req, resp)
            calls = (module, handler_name)  # counted under the store lock
            self.op_calls[calls] = self.op_calls.get(calls, 0) + 1
            PROCESS_OP_CALLS[calls] = PROCESS_OP_CALLS.get(calls, 0) + 1
        if later is not None:
            # a long read-only computation over what the handler read: other requests go on meanwhile
            resp = self._render(ctx, later())
            if retry_token and resp.status < 300:
                with self.store.transaction():
                    self._retry_store(op, retry_token, req, resp)
        if fault == "lost":
            resp.action = "lost"
        return resp

    # ------------------------------------------------------------ steps
    def _authenticate(self, req: RawRequest, headers: _Headers, op: OpSpec) -> Principal | None:
        if not self.verify_signatures or self.auth is None:
            return None
        # a streamed body is not read yet: binary uploads are signed without their body (as the SDK does)
        body = req.body if req.body is None or isinstance(req.body, (bytes, bytearray)) else None
        return self.auth.verify(req.method, req.target, headers, body,
                                body_signed_required=(op.body_type not in ("stream", None)))

    def allowed_methods(self, target: str) -> list[str]:
        """The methods a path answers (a 405's Allow header); every method served if the path routes nowhere."""
        segs = [s for s in target.partition("?")[0].split("/") if s]
        known = self.modules
        if len(segs) > 1 and segs[0] not in known and segs[1] in known:
            segs = segs[1:]
        if len(segs) > 1 and segs[0] in known and (segs[0], segs[1]) not in self.public_routes:
            found = self.router(segs[0]).methods(segs[1:])
            if found:
                return found
        return sorted(METHODS)

    # ------------------------------------------------------------ streamed bodies
    def streams_body(self, method: str, target: str) -> bool:
        """Whether the request's body goes to its handler as a stream (the server then does not buffer it)."""
        segs = [s for s in target.partition("?")[0].split("/") if s]
        if segs and segs[0] in self.root_routes:
            return method in ("PUT", "POST")
        known = self.modules
        if len(segs) > 1 and segs[0] not in known and segs[1] in known:
            segs = segs[1:]
        if not segs or segs[0] not in known:
            return False
        if len(segs) > 1 and (segs[0], segs[1]) in self.public_routes:
            return method in ("PUT", "POST")
        if method not in self._streaming_methods(segs[0]):
            return False  # (every GET): no need to route the request twice
        try:
            (_key, op, _template), _params = self.router(segs[0]).match(segs[1:], method)
        except ApiError:
            return False
        return op.body_type == "stream"

    def _streaming_methods(self, module: str) -> frozenset[str]:
        """The HTTP methods of the operations under /<module> (its own and its SAME_ENDPOINT packages')
        whose body is streamed."""
        found = self._stream_methods.get(module)
        if found is None:
            found = frozenset(op.method for m in (module, *SAME_ENDPOINT.get(module, ()))
                              for op in module_specs(m).values() if op.body_type == "stream")
            self._stream_methods[module] = found
        return found

    def spool(self, body, headers) -> SpooledBody:
        """Write a request body (bytes or a reader) to a file under files_dir, with its size and MD5."""
        spool_dir = (self.files_dir / "spool") if self.files_dir is not None else Path(tempfile.gettempdir())
        spool_dir.mkdir(parents=True, exist_ok=True)
        fd, path = tempfile.mkstemp(prefix="body-", dir=str(spool_dir))
        md5 = hashlib.md5()
        size = 0
        try:
            with os.fdopen(fd, "wb") as f:
                if isinstance(body, (bytes, bytearray)):
                    f.write(body)
                    md5.update(body)
                    size = len(body)
                elif body is not None:
                    while True:
                        chunk = body.read(1024 * 1024)
                        if not chunk:
                            break
                        f.write(chunk)
                        md5.update(chunk)
                        size += len(chunk)
        except BaseException:
            os.unlink(path)
            raise
        return SpooledBody(path, size, base64.b64encode(md5.digest()).decode())

    def _serve_public(self, req: RawRequest, region: str, fn, rest: str, qs: str, headers: _Headers) -> RawResponse:
        """An unsigned service route (pre-authenticated requests): no operation spec, no signature."""
        query = {k: v[-1] for k, v in parse_qs(qs, keep_blank_values=True).items()} if qs else {}
        spooled = self.spool(req.body, headers) if req.method in ("PUT", "POST") else None
        try:
            with self.store.transaction():
                self.advance()
                ctx = Context(self, None, region, None, {"rest": rest}, query, headers, None, spooled)  # type: ignore[arg-type]
                ctx.method = req.method  # type: ignore[attr-defined]
                result = fn(ctx, rest)
                if not isinstance(result, Result):
                    result = Result(body=result)
                out_headers = dict(result.headers)
                out_headers.update(ctx.response_headers)
                if result.stream is not None:
                    out_headers["content-type"] = result.content_type or "application/octet-stream"
                    out_headers["content-length"] = str(result.length or 0)
                    return RawResponse(result.status, out_headers, b"", stream=result.stream)
                if result.raw is not None:
                    out_headers["content-type"] = result.content_type or "application/octet-stream"
                    return RawResponse(result.status, out_headers, result.raw)
                if result.body is None:
                    return RawResponse(204 if result.status == 200 else result.status, out_headers, b"")
                out_headers["content-type"] = "application/json"
                return RawResponse(result.status, out_headers,
                                   json.dumps(self._public_doc(result.body), separators=(",", ":")).encode())
        finally:
            if spooled is not None:
                spooled.discard()

    @classmethod
    def _public_doc(cls, doc):
        if isinstance(doc, list):
            return [cls._public_doc(d) for d in doc]
        if isinstance(doc, dict):
            return {k: cls._public_doc(v) for k, v in doc.items() if not k.startswith("_")}
        return doc

    def _parse_query(self, op: OpSpec, qs: str) -> dict[str, Any]:
        raw = parse_qs(qs, keep_blank_values=True) if qs else {}
        out: dict[str, Any] = {}
        for p in op.query:
            vals = raw.get(p.wire)
            if vals is None:
                if p.required:
                    raise ApiError(400, "MissingParameter", f"Query parameter '{p.wire}' is required")
                continue
            out[p.wire] = _convert_param(p, vals)
        if "limit" in out:
            lim = out["limit"]
            if lim < 1:
                raise invalid("Query parameter 'limit' must be at least 1")
        return out

    def _parse_body(self, op: OpSpec, body: bytes | None):
        if op.body_type is None:
            return None, body
        if op.body_type == "stream":
            if op.body_required and body is None:
                raise ApiError(400, "MissingParameter", "A request body is required")
            return None, body or b""
        if not body:
            if op.body_required:
                raise ApiError(400, "MissingParameter", f"The request body ({op.body_type}) is required")
            return None, None
        if len(body) > MAX_BODY:
            raise ApiError(413, "RequestEntityTooLarge", "The request body is too large")
        doc = parse_json(body)
        if doc is None:  # a JSON null is no body at all
            if op.body_required:
                raise ApiError(400, "MissingParameter", f"The request body ({op.body_type}) is required")
            return None, None
        if op.body_type in models.PRIMITIVES or op.body_type.startswith(("list[", "dict(")):
            return models.validate(op.module, op.body_type, doc, "body"), body
        return models.validate(op.module, op.body_type, doc, op.body_type[0].lower() + op.body_type[1:]), body

    def _retry_key(self, op: OpSpec, token: str) -> str:
        return f"{op.module}:{op.name}:{token}"

    def _retry_fingerprint(self, req: RawRequest) -> str:
        h = hashlib.sha256()
        h.update(req.method.encode() + b" " + req.target.encode() + b"\n")
        h.update(req.body if isinstance(req.body, (bytes, bytearray)) else b"")
        return h.hexdigest()

    def _retry_replay(self, op: OpSpec, token: str, req: RawRequest) -> RawResponse | None:
        rec = self.store.get("_retry", self._retry_key(op, token))
        if rec is None or rec["expires"] < self.clock.now():
            return None
        if rec["fingerprint"] != self._retry_fingerprint(req):
            raise ApiError(409, "Conflict",
                           "The opc-retry-token was already used for a different request; use a new token")
        return RawResponse(rec["status"], dict(rec["headers"]), rec["body"].encode("latin-1"))

    def _retry_store(self, op: OpSpec, token: str, req: RawRequest, resp: RawResponse) -> None:
        self.store.put("_retry", {
            "id": self._retry_key(op, token), "fingerprint": self._retry_fingerprint(req),
            "expires": self.clock.now() + RETRY_TOKEN_TTL, "status": resp.status,
            "headers": {k: v for k, v in resp.headers.items() if k != "opc-request-id"},
            "body": resp.body.decode("latin-1"),
        })

    # ------------------------------------------------------------ rendering
    def _render(self, ctx: Context, result: Any) -> RawResponse:
        op = ctx.op
        headers = {"content-type": "application/json"}
        status = 200
        if isinstance(result, Result):
            headers.update(result.headers)
            status = result.status
            if result.stream is not None:
                headers["content-type"] = result.content_type or "application/octet-stream"
                headers.update(ctx.response_headers)
                headers["content-length"] = str(result.length or 0)
                return RawResponse(status, headers, b"", stream=result.stream)
            if result.raw is not None:
                headers["content-type"] = result.content_type or "application/octet-stream"
                headers.update(ctx.response_headers)
                return RawResponse(status, headers, result.raw)
            result = result.body
        headers.update(ctx.response_headers)
        if result is None:
            headers.pop("content-type", None)
            return RawResponse(204 if status == 200 else status, headers, b"")
        rtype = op.response_type
        if isinstance(result, list):
            result = self._list_page(ctx, result, headers)
            if rtype and rtype.startswith("list["):
                inner = rtype[5:-1]
                body = [self._project(op.module, inner, d) for d in result]
            else:
                body = [self._public(d) for d in result]
        elif isinstance(result, dict):
            if "_etag" in result:
                headers["etag"] = result["_etag"]
            if (isinstance(result.get("items"), list) and op.param("page") is not None):
                items = self._list_page(ctx, result["items"], headers)
                inner = None
                info = models.model_info(op.module, rtype) if rtype else None
                if info is not None and "items" in info.fields:
                    t = info.fields["items"].type
                    inner = t[5:-1] if t.startswith("list[") else None
                result = dict(result)
                result["items"] = [self._project(op.module, inner, d) if inner else self._public(d)
                                   for d in items]
            body = self._project(op.module, rtype, result) if rtype else self._public(result)
        else:
            body = result
        if self.strict and rtype and rtype not in ("stream", "str"):
            try:
                models.validate(op.module, rtype, body, f"response of {op.name}", mode="response")
            except ApiError as e:
                self.strict_violations.append(e.message)
                raise
        return RawResponse(status, headers, json.dumps(body, separators=(",", ":")).encode())

    @staticmethod
    def _public(doc):
        if isinstance(doc, dict):
            return {k: v for k, v in doc.items() if not k.startswith("_")}
        return doc

    def _project(self, module: str, type_name: str | None, doc):
        if not isinstance(doc, dict) or not type_name:
            return self._public(doc)
        info = models.model_info(module, type_name)
        if info is None:
            return self._public(doc)
        if info.discriminator and doc.get(info.discriminator) is not None:
            sub = info.cls.get_subtype(doc)
            sub_info = models.model_info(module, sub)
            if sub_info is not None:
                info = sub_info
        f = info.fields
        return {k: v for k, v in doc.items() if k in f and v is not None}

    def _list_page(self, ctx: Context, items: list, headers: dict) -> list:
        q = ctx.query
        op = ctx.op
        # generic filters
        for key in ("displayName", "name", "availabilityDomain"):
            if key in q and op.param(key) is not None and op.param(key).location == "query":
                want = q[key]
                # a filter applies to resources that have the field (shapes have no AD)
                items = [d for d in items if key not in d or d.get(key) == want]
        if "lifecycleState" in q:
            want = q["lifecycleState"]
            wants = {w.upper() for w in want} if isinstance(want, list) else {str(want).upper()}
            items = [d for d in items if str(d.get("lifecycleState", "")).upper() in wants]
        # sort
        sort_by = q.get("sortBy")
        sort_order = q.get("sortOrder")
        if sort_by or sort_order:
            sb = (sort_by or "TIMECREATED")
            key = self._sort_key(items, sb)
            if sort_order is None:
                sort_order = "DESC" if sb.upper() == "TIMECREATED" else "ASC"
            if key:
                rank = RANKED_SORTS.get(key, {})  # values with an order of their own (alarm severities)
                if any(d.get(key) is not None and d.get(key) not in rank for d in items):
                    rank = {}  # another service's values under the same name: alphabetical
                items = sorted(items, key=lambda d: (d.get(key) is None,
                                                     rank.get(d.get(key), len(rank)) if rank else
                                                     d.get(key) if d.get(key) is not None else ""),
                               reverse=(sort_order == "DESC"))
        # paginate
        if op.param("page") is None and op.param("limit") is None:
            return items
        limit = min(int(q.get("limit") or DEFAULT_LIMIT), MAX_LIMIT)
        start = 0
        page = q.get("page")
        if page:
            start = self._decode_page(page, len(items))
        chunk = items[start:start + limit]
        if start + limit < len(items):
            headers["opc-next-page"] = self._encode_page(start + limit)
        return chunk

    @staticmethod
    def _sort_key(items: list, sort_by: str) -> str | None:
        want = sort_by.replace("_", "").lower()
        for d in items[:1]:
            for k in d:
                if k.lower() == want:
                    return k
        return {"timecreated": "timeCreated", "displayname": "displayName", "name": "name"}.get(want)

    @staticmethod
    def _encode_page(offset: int) -> str:
        sig = hashlib.sha1(f"ociemu{offset}".encode()).hexdigest()[:8]
        return f"{offset}.{sig}"

    @staticmethod
    def _decode_page(token: str, total: int) -> int:
        try:
            off_s, sig = token.split(".", 1)
            off = int(off_s)
        except ValueError:
            raise invalid("The page token is not valid") from None
        if off < 0 or sig != hashlib.sha1(f"ociemu{off}".encode()).hexdigest()[:8]:
            raise invalid("The page token is not valid")
        return min(off, total)

    # ------------------------------------------------------------ admin
    def _admin(self, req: RawRequest, headers: _Headers, segments: list[str], qs: str) -> RawResponse:
        if self.verify_signatures and self.auth is not None:
            self.auth.verify(req.method, req.target, headers, req.body, body_signed_required=True)
        name = segments[0] if segments else ""
        fn = self.admin_handlers.get((req.method, name))
        if fn is None:
            raise ApiError(404, "NotAuthorizedOrNotFound", f"Unknown admin path /_emulator/{name}")
        body = None
        if req.body:
            body = parse_json(req.body)
        try:
            out = fn(body, segments[1:])
        except (ValueError, TypeError) as e:
            raise invalid(str(e)) from None
        return RawResponse(200, {"content-type": "application/json"}, json.dumps(out).encode())
