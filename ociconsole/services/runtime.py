"""The async service layer's engine: blocking SDK calls on a bounded thread pool.

- `Session.call(service, method, ...)` awaits an SDK method that runs on a worker thread,
  never on the caller's (GUI) thread.
- Retry policy (replacing the SDK's 8 tries over ~90 s): reads (get/list/summarize/head)
  and creates that carry an `opc_retry_token` are retried on 429, 5xx and connection errors,
  at most 3 attempts with short backoff; nothing else is retried, so no action happens twice.
- Failure state per service (replacing the SDK's single circuit breaker shared by every
  client): after consecutive connection failures a service is marked unreachable and calls
  to it fail fast for a few seconds; other services are unaffected. One successful call
  clears it. Listeners hear every change (the GUI's connection indicator).
- Read-only connections refuse every mutating call here, whatever the GUI shows.
- Cancelling the awaiting task drops the result (the thread finishes its call; the stale
  result is discarded).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ..core.connection import ClientFactory, Connection
from ..core.errors import OciError, from_exception
from ..core.lazy import remember_client, response_model, wrap

log = logging.getLogger(__name__)

READ_PREFIXES = ("get_", "list_", "summarize_", "head_", "search_", "request_summarized", "retrieve_")
MAX_ATTEMPTS = 3
BACKOFF = (0.3, 1.0)  # seconds before the 2nd and 3rd attempts (+ jitter)
FAIL_THRESHOLD = 2  # consecutive connection failures that mark a service unreachable
FAIL_FAST_SECONDS = 3.0


def is_read(method: str) -> bool:
    return method.startswith(READ_PREFIXES)


@dataclass
class ServiceHealth:
    service: str
    failures: int = 0
    unreachable_until: float = 0.0
    last_error: OciError | None = None

    @property
    def reachable(self) -> bool:
        return self.failures < FAIL_THRESHOLD


class Session:
    """One connection's clients, worker pool, retry policy and per-service health."""

    def __init__(self, connection: Connection, max_workers: int = 8):
        self.connection = connection
        self.clients = ClientFactory(connection)
        self.pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="oci-sdk")
        self.health: dict[str, ServiceHealth] = {}
        self._health_listeners: list[Callable[[ServiceHealth], None]] = []
        self._call_hooks: list[Callable[[str, str], None]] = []  # (service, method) on the worker thread
        self.calls = 0
        self.prefetched: set[str] = set()  # services whose SDK package and clients are loaded
        self.closed = False  # a closed session's pending work ends as cancelled, not as an error
        self._lock = threading.Lock()

    # ------------------------------------------------------------ lifecycle
    def close(self) -> None:
        self.closed = True
        self.pool.shutdown(wait=False, cancel_futures=True)

    def with_region(self, region: str) -> Session:
        """A session for another region of the same connection (new clients, same pool size)."""
        return Session(self.connection.with_region(region), self.pool._max_workers)  # noqa: SLF001

    @property
    def tenancy_id(self) -> str:
        return self.connection.tenancy_id

    @property
    def read_only(self) -> bool:
        return self.connection.read_only

    def on_health(self, fn: Callable[[ServiceHealth], None]) -> None:
        self._health_listeners.append(fn)

    def on_call(self, fn: Callable[[str, str], None]) -> None:
        """Observe every SDK call as it starts on its worker thread (diagnostics, tests)."""
        self._call_hooks.append(fn)

    def _health(self, service: str) -> ServiceHealth:
        h = self.health.get(service)
        if h is None:
            h = self.health[service] = ServiceHealth(service)
        return h

    def _set_health(self, service: str, ok: bool, error: OciError | None = None) -> None:
        h = self._health(service)
        before = h.reachable
        if ok:
            h.failures, h.unreachable_until, h.last_error = 0, 0.0, None
        else:
            h.failures += 1
            h.last_error = error
            if h.failures >= FAIL_THRESHOLD:
                h.unreachable_until = time.monotonic() + FAIL_FAST_SECONDS
        if before != h.reachable or not ok:
            for fn in list(self._health_listeners):
                try:
                    fn(h)
                except Exception:  # noqa: BLE001 - a listener must not break calls
                    log.exception("health listener failed")

    # ------------------------------------------------------------ calls
    def _run_sync(self, service: str, method: str, args, kwargs, lazy: bool = False, post=None):
        for hook in self._call_hooks:
            hook(service, method)
        client = self.clients.get(service, raw=lazy)
        resp = getattr(client, method)(*args, **kwargs)
        if lazy:
            shape = response_model(client, method)
            if shape is not None:
                remember_client(shape[0], self.clients.get(service))  # a deserializing one, for to_sdk()
                resp.data = wrap(resp.data, *shape)  # parsed here, on the worker thread
        if post is not None:
            resp.data = post(resp.data)
        return resp

    async def call(self, service: str, method: str, *args, lazy: bool = False, post=None, **kwargs):
        """Await `clients[service].<method>(*args, **kwargs)` (an oci.response.Response).

        With `lazy`, the data is kept as received and read through `core.lazy.LazyModel`s (no SDK
        deserialization: ten times faster for long lists). `post(data)` runs on the worker thread too
        and its result replaces `resp.data` (turning a large answer into arrays off the GUI thread).
        """
        read = is_read(method)
        if not read and self.read_only:
            raise OciError(f"This profile is read-only: {method.replace('_', ' ')} is not allowed",
                           code="ReadOnlyProfile", operation=method, service=service, kind="readonly")
        retriable = read or bool(kwargs.get("opc_retry_token"))
        attempts = MAX_ATTEMPTS if retriable else 1
        loop = asyncio.get_running_loop()
        h = self._health(service)
        last: OciError | None = None
        for attempt in range(attempts):
            if h.unreachable_until > time.monotonic() and attempt == 0 and h.last_error is not None:
                err = h.last_error
                raise OciError(err.message, code=err.code, operation=method, service=service, endpoint=err.endpoint,
                               kind="connection", retriable=True)
            if self.closed:
                raise asyncio.CancelledError()  # the connection was replaced or the window closed
            with self._lock:
                self.calls += 1
            fut = loop.run_in_executor(self.pool, functools.partial(self._run_sync, service, method, args, kwargs,
                                                                    lazy, post))
            try:
                result = await fut
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - translated below
                try:
                    err = from_exception(exc, operation=method, service=service,
                                         endpoint=self.connection.endpoint_host(service))
                except Exception:
                    raise
                last = err
                if err.kind == "connection":
                    self._set_health(service, False, err)
                else:
                    self._set_health(service, True)
                if not (err.retriable and attempt + 1 < attempts) or err.kind == "auth":
                    raise err from None
                delay = BACKOFF[min(attempt, len(BACKOFF) - 1)] * (1 + random.random() * 0.3)
                retry_after = _retry_after(exc)
                if retry_after is not None:
                    delay = min(max(delay, retry_after), 5.0)
                await asyncio.sleep(delay)
                continue
            self._set_health(service, True)
            return result
        assert last is not None
        raise last

    async def prefetch(self, services) -> None:
        """Import the SDK packages and build the clients of `services` on a worker thread (each
        `oci.<package>` costs 0.1-0.5 s the first time), so that the first click does not wait."""
        if self.closed:
            raise asyncio.CancelledError()
        loop = asyncio.get_running_loop()

        def load():
            for service in services:
                try:
                    self.clients.get(service)
                    self.clients.get(service, raw=True)
                except Exception:  # noqa: BLE001 - a service this SDK lacks: its calls will say so
                    log.debug("prefetch of %s failed", service, exc_info=True)
        await loop.run_in_executor(self.pool, load)
        self.prefetched.update(services)

    async def data(self, service: str, method: str, *args, **kwargs):
        return (await self.call(service, method, *args, **kwargs)).data

    async def pages(self, service: str, method: str, *args, limit: int = 1000, lazy: bool = True,
                    **kwargs) -> AsyncIterator[list]:
        """Yield each page of a list call as it arrives (first rows sooner), as lazy models by default."""
        page = None
        while True:
            kw = dict(kwargs, limit=limit)
            if page:
                kw["page"] = page
            resp = await self.call(service, method, *args, lazy=lazy, **kw)
            yield list(resp.data)
            page = resp.headers.get("opc-next-page") if resp.headers else None
            if not page:
                return

    async def list_all(self, service: str, method: str, *args, **kwargs) -> list:
        out: list = []
        async for page in self.pages(service, method, *args, **kwargs):
            out.extend(page)
        return out


def _retry_after(exc) -> float | None:
    headers = getattr(exc, "headers", None) or {}
    try:
        v = headers.get("retry-after") or headers.get("Retry-After")
        return float(v) if v is not None else None
    except (TypeError, ValueError):
        return None
