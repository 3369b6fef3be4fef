"""The async service layer's engine: blocking SDK calls on a bounded thread pool.

- `Session.call(service, method, ...)` awaits an SDK method that runs on a worker thread,
  never on the caller's (GUI) thread.
- Fair sharing of the pool: one service holds at most `pool size - 2` workers at once (its
  further calls wait their turn on the event loop), so a slow or hung service never keeps the
  others from answering. The pool itself stays bounded. (Uploads have their own cap of the same
  size in services.object_storage, so a transfer does not hold up its bucket's listing.)
- Retry policy (replacing the SDK's 8 tries over ~90 s), at most 3 attempts with short backoff
  on 429, 5xx and connection errors (a timed-out attempt is not repeated: it already waited):
  reads (get/list/summarize/head); creates and actions that carry an `opc_retry_token`;
  updates without `if_match` (a PUT of the same values is idempotent); deletes (delete_*,
  terminate_*), where a retry answered 404, or 409 "already deleting", after an attempt whose
  answer was lost counts as done. Nothing else is retried, so no action happens twice.
- A mutation whose request may have been carried out although no answer came (the connection
  dropped after sending, or a 5xx other than 503) and that could not be settled by a retry
  fails with `OutcomeUnknown` (an OciError that says so), never as a plain failure.
- Failure state per service (replacing the SDK's single circuit breaker shared by every
  client): after consecutive connection failures a service is marked unreachable and calls
  to it fail fast for a few seconds; other services are unaffected. One successful call
  clears it. A call pending longer than `STALL_SECONDS` marks its service as waiting
  (`ServiceHealth.waiting_since`, worked out when `waiting()` is asked — the window asks every
  second): an endpoint that accepts connections but does not answer is shown within seconds, not
  after the read timeout. Listeners hear every change (the GUI's
  connection indicator): `on_health` reachability, `on_waiting` the waiting state.
- Read-only connections refuse every mutating call here, whatever the GUI shows.
- Cancelling the awaiting task drops the result (the thread finishes its call; the stale
  result is discarded).
- Logging (what a bug report needs, nothing secret: no bodies, no messages, no credentials): every SDK
  call at DEBUG with its service, operation, HTTP status (or the transport error's class), elapsed ms
  and opc-request-id; each retry, each call that fails fast and each outcome left unknown at WARNING.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ..core.connection import ClientFactory, Connection
from ..core.errors import OciError, from_exception, loggable, requests_connection_error_and_timeout
from ..core.guardrails import Guard
from ..core.lazy import remember_client, response_model, wrap
from ..core.operations import RECORDING

log = logging.getLogger(__name__)

READ_PREFIXES = ("get_", "list_", "summarize_", "head_", "search_", "request_summarized", "retrieve_")
MAX_ATTEMPTS = 3
BACKOFF = (0.3, 1.0)  # seconds before the 2nd and 3rd attempts (+ jitter)
FAIL_THRESHOLD = 2  # consecutive connection failures that mark a service unreachable
FAIL_FAST_SECONDS = 3.0
STALL_SECONDS = 4.0  # a call pending this long marks its service as waiting (not answering)
DELETE_PREFIXES = ("delete_", "terminate_")
# calls that send a request body for as long as it takes: a big upload is not a silent endpoint, and
# transfers are capped on their own (services.object_storage)
STREAMING_UPLOADS = frozenset({"put_object", "upload_part"})


def is_read(method: str) -> bool:
    return method.startswith(READ_PREFIXES)


def retry_class(method: str, kwargs: dict) -> str | None:
    """Why a call may be sent again: "read", "token" (a create or action with an opc_retry_token),
    "update" (a PUT without if-match), "delete"; None: it is sent once."""
    if is_read(method):
        return "read"
    if kwargs.get("opc_retry_token"):
        return "token"
    if method.startswith("update_") and not kwargs.get("if_match"):
        return "update"
    if method.startswith(DELETE_PREFIXES):
        return "delete"
    return None


@dataclass
class OutcomeUnknown(OciError):
    """A mutation that may have been carried out: its request was sent but no answer came back
    (and no retry settled it). The message says so; the person should refresh before retrying."""


@dataclass
class ServiceHealth:
    service: str
    failures: int = 0
    unreachable_until: float = 0.0
    last_error: OciError | None = None
    waiting_since: float | None = None  # monotonic start of a call pending > STALL_SECONDS, if any

    @property
    def reachable(self) -> bool:
        return self.failures < FAIL_THRESHOLD

    @property
    def waiting_seconds(self) -> float:
        return 0.0 if self.waiting_since is None else max(0.0, time.monotonic() - self.waiting_since)


class Session:
    """One connection's clients, worker pool, retry policy and per-service health."""

    def __init__(self, connection: Connection, max_workers: int = 8):
        self.connection = connection
        self.guard = Guard(connection.label)  # production guardrails (core.guardrails), set by the GUI
        self.clients = ClientFactory(connection)
        self.pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="oci-sdk")
        self.per_service = max(1, max_workers - 2)  # workers one service may hold at once
        self._slots: dict[str, tuple[asyncio.AbstractEventLoop, asyncio.Semaphore]] = {}
        self._pending: dict[str, dict[int, float]] = {}  # service -> {call id: monotonic start}
        self._call_ids = itertools.count()
        self.health: dict[str, ServiceHealth] = {}
        self._health_listeners: list[Callable[[ServiceHealth], None]] = []
        self._waiting_listeners: list[Callable[[ServiceHealth], None]] = []
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
        """A session for another region of the same connection (new clients, same pool size, same guardrails)."""
        new = Session(self.connection.with_region(region), self.pool._max_workers)
        new.guard = self.guard
        return new

    @property
    def tenancy_id(self) -> str:
        return self.connection.tenancy_id

    @property
    def read_only(self) -> bool:
        return self.connection.read_only

    def on_health(self, fn: Callable[[ServiceHealth], None]) -> None:
        self._health_listeners.append(fn)

    def on_waiting(self, fn: Callable[[ServiceHealth], None]) -> None:
        """Hear when a service starts or stops keeping a call waiting longer than STALL_SECONDS."""
        self._waiting_listeners.append(fn)

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
        if before != h.reachable:
            if h.reachable:
                log.info("%s answers again", service)
            else:
                log.warning("%s marked unreachable after %d connection failures (%s)", service, h.failures,
                            error.for_log() if error is not None else "-")
        if before != h.reachable or not ok:
            self._notify(h, self._health_listeners)

    @staticmethod
    def _notify(h: ServiceHealth, listeners) -> None:
        for fn in list(listeners):
            try:
                fn(h)
            except Exception:
                log.exception("health listener failed")

    # ------------------------------------------------------------ fairness and stalls
    def _slot(self, service: str) -> asyncio.Semaphore:
        """The semaphore capping `service`'s share of the pool (one per event loop)."""
        loop = asyncio.get_running_loop()
        got = self._slots.get(service)
        if got is None or got[0] is not loop:
            got = self._slots[service] = (loop, asyncio.Semaphore(self.per_service))
        return got[1]

    async def _submit(self, service: str, method: str, args, kwargs, lazy: bool | str, post, watch: bool):
        """Run one SDK call on the pool within `service`'s share. The share (and the waiting watch) is
        given back when the worker thread is done, not when the caller stops waiting: a cancelled call
        to a hung endpoint still holds its thread, and must not let its service take every worker."""
        loop = asyncio.get_running_loop()
        # uploads have their own cap below the pool size (services.object_storage transfer slots): under
        # this one too, a busy transfer would keep the bucket's own listing waiting
        slot = self._slot(service) if watch else None
        if slot is not None:
            await slot.acquire()
        if self.closed:
            if slot is not None:
                slot.release()
            raise asyncio.CancelledError()  # the connection was replaced or the window closed
        with self._lock:
            self.calls += 1
        cid = self._begin(service) if watch else None

        def finished(_f) -> None:
            if slot is not None:
                slot.release()
            if cid is not None:
                self._end(service, cid)

        try:
            cf = self.pool.submit(self._run_sync, service, method, args, kwargs, lazy, post)
        except RuntimeError:  # the pool was shut down meanwhile (session closed)
            finished(None)
            raise asyncio.CancelledError() from None

        def done(f) -> None:  # on the worker thread, or on the loop when cancelled before it started
            try:
                loop.call_soon_threadsafe(finished, f)
            except RuntimeError:  # the loop is closed: nobody is waiting any more
                pass
        cf.add_done_callback(done)
        return await asyncio.wrap_future(cf, loop=loop)

    def _begin(self, service: str) -> int:
        # no loop timer per call: one still pending when its (qasync) loop is closed fires into a deleted
        # object and crashes Qt. waiting() is worked out when asked (the window asks every second)
        cid = next(self._call_ids)
        self._pending.setdefault(service, {})[cid] = time.monotonic()
        return cid

    def _end(self, service: str, cid: int) -> None:
        self._pending.get(service, {}).pop(cid, None)
        if self._health(service).waiting_since is not None:
            self._update_waiting(service)

    def _update_waiting(self, service: str, notify: bool = True) -> None:
        """Set `waiting_since` of `service` from its calls pending longer than STALL_SECONDS."""
        now = time.monotonic()
        stalled = [t for t in self._pending.get(service, {}).values() if now - t >= STALL_SECONDS]
        h = self._health(service)
        since = min(stalled) if stalled and not self.closed else None
        if since != h.waiting_since:
            h.waiting_since = since
            if notify:
                self._notify(h, self._waiting_listeners)

    def waiting(self) -> list[ServiceHealth]:
        """Services with a call pending longer than STALL_SECONDS, the longest waiting first."""
        for service in list(self._pending):
            self._update_waiting(service, notify=False)
        return sorted((h for h in self.health.values() if h.waiting_since is not None),
                      key=lambda h: h.waiting_since or 0.0)  # (never None here)

    # ------------------------------------------------------------ calls
    def _run_sync(self, service: str, method: str, args, kwargs, lazy: bool | str = False, post=None):
        for hook in self._call_hooks:
            hook(service, method)
        client = self.clients.get(service, raw=lazy)
        start = time.monotonic()
        try:
            resp = getattr(client, method)(*args, **kwargs)
        except Exception as exc:
            _log_failed_call(service, method, exc, start)
            raise
        if log.isEnabledFor(logging.DEBUG):
            _log_call(service, method, getattr(resp, "status", None), "", getattr(resp, "request_id", None) or "",
                      start)
        if lazy and lazy != "bytes":
            shape = response_model(client, method)
            if shape is not None:
                remember_client(shape[0], self.clients.get(service))  # a deserializing one, for to_sdk()
                resp.data = wrap(resp.data, *shape)  # parsed here, on the worker thread
        if post is not None:
            resp.data = post(resp.data)
        return resp

    async def call(self, service: str, method: str, *args, lazy: bool | str = False, post=None, **kwargs):
        """Await `clients[service].<method>(*args, **kwargs)` (an oci.response.Response).

        With `lazy`, the data is kept as received and read through `core.lazy.LazyModel`s (no SDK
        deserialization: ten times faster for long lists); with lazy="bytes", as the bytes received.
        `post(data)` runs on the worker thread too and its result replaces `resp.data` (turning a large
        answer into arrays off the GUI thread).
        """
        read = is_read(method)
        if not read and self.read_only:
            raise OciError(f"This profile is read-only: {method.replace('_', ' ')} is not allowed",
                           code="ReadOnlyProfile", operation=method, service=service, kind="readonly")
        if not read:
            recording = RECORDING.get()
            if recording is not None:  # for the activity's "Export as script"
                recording.calls.append((service, method, args,
                                        {k: v for k, v in kwargs.items() if k not in ("opc_retry_token", "if_match")}))
        retry = retry_class(method, kwargs)
        attempts = MAX_ATTEMPTS if retry else 1
        h = self._health(service)
        watch = method not in STREAMING_UPLOADS
        last: OciError | None = None
        maybe_done = False  # an earlier attempt of this mutation may have been carried out
        for attempt in range(attempts):
            if h.unreachable_until > time.monotonic() and attempt == 0 and h.last_error is not None:
                err = h.last_error
                log.debug("%s.%s not sent: %s is marked unreachable (failing fast for %.1f s)", service, method,
                          service, h.unreachable_until - time.monotonic())
                raise OciError(err.message, code=err.code, operation=method, service=service, endpoint=err.endpoint,
                               kind="connection", retriable=True)
            if self.closed:
                raise asyncio.CancelledError()  # the connection was replaced or the window closed
            try:
                result = await self._submit(service, method, args, kwargs, lazy, post, watch)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                err = from_exception(exc, operation=method, service=service,
                                     endpoint=self.connection.endpoint_host(service))
                last = err
                self._set_health(service, err.kind != "connection", err)
                if retry == "delete" and maybe_done and _already_deleted(err):
                    # the earlier attempt, whose answer was lost, did it
                    log.info("%s: the earlier attempt, whose answer was lost, did it", err.for_log())
                    from oci.response import Response
                    return Response(204, dict(getattr(exc, "headers", None) or {}), None, None)
                if _may_have_happened(exc, err):
                    maybe_done = not read
                elif retry == "token" and err.status is not None and err.status not in (429, 503):
                    maybe_done = False  # a definite answer, not a replay: no earlier attempt took effect
                if not (err.retriable and attempt + 1 < attempts) or err.kind == "auth" or _timed_out(exc):
                    # (a timed-out attempt is not repeated: it already waited the whole timeout)
                    if maybe_done:
                        log.warning("outcome unknown: %s (no answer; the request may have been carried out)",
                                    err.for_log(), extra=_fields(err, attempt + 1))
                        raise _outcome_unknown(err) from None
                    raise err from None
                delay = BACKOFF[min(attempt, len(BACKOFF) - 1)] * (1 + random.random() * 0.3)
                retry_after = _retry_after(exc)
                if retry_after is not None:
                    delay = min(max(delay, retry_after), 5.0)
                log.warning("retrying %s (attempt %d of %d failed, %s; again in %.1f s)",
                            err.for_log(), attempt + 1, attempts, retry, delay, extra=_fields(err, attempt + 1))
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
                except Exception:
                    log.debug("prefetch of %s failed", service, exc_info=True)
        await loop.run_in_executor(self.pool, load)
        self.prefetched.update(services)

    def sdk_loaded(self) -> bool:
        """Every service's SDK package is loaded (`prefetch`): a call's first step imports none (0.1-0.5 s of
        Python holding the GIL, which the GUI thread would share while it repaints)."""
        from ..core.connection import SERVICES
        return self.prefetched.issuperset(SERVICES)

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
            data = resp.data
            # a `...Collection` answer (WAF's, compute clusters') holds its page in `items`
            yield list(data) if isinstance(data, list) or not hasattr(data, "items") else list(data.items or [])
            page = resp.headers.get("opc-next-page") if resp.headers else None
            if not page:
                return

    async def list_all(self, service: str, method: str, *args, **kwargs) -> list:
        out: list = []
        async for page in self.pages(service, method, *args, **kwargs):
            out.extend(page)
        return out


def _log_failed_call(service: str, method: str, exc: Exception, start: float) -> None:
    """DEBUG record of an SDK call that raised: its status and opc-request-id when the service answered
    (oci.exceptions.ServiceError), the transport error's class otherwise; never the message."""
    if not log.isEnabledFor(logging.DEBUG):
        return
    status = getattr(exc, "status", None)
    if isinstance(status, int):
        _log_call(service, method, status, str(getattr(exc, "code", None) or ""),
                  str(getattr(exc, "request_id", None) or ""), start)
    else:
        _log_call(service, method, None, loggable(_transport_cause(exc)), "", start)


def _fields(err: OciError, attempt: int) -> dict[str, object]:
    """The fields of a retry's or unknown outcome's WARNING record (as `_log_call`'s)."""
    return {"oci_service": err.service, "oci_operation": err.operation, "oci_status": err.status,
            "oci_code": err.code, "opc_request_id": err.request_id, "attempt": attempt}


def _log_call(service: str, method: str, status: int | None, code: str, request_id: str, start: float) -> None:
    """One SDK call's DEBUG record; its fields are also attributes of the record (`oci_service`,
    `oci_operation`, `oci_status`, `oci_code`, `opc_request_id`, `elapsed_ms`) for whoever collects them."""
    ms = (time.monotonic() - start) * 1000
    answer = f"{status} {code}".strip() if status is not None else f"no answer ({code})"
    log.debug("%s.%s -> %s in %.0f ms opc-request-id=%s", service, method, answer, ms, request_id or "-",
              extra={"oci_service": service, "oci_operation": method, "oci_status": status, "oci_code": code,
                     "opc_request_id": request_id, "elapsed_ms": round(ms, 1)})


def _transport_cause(exc: BaseException) -> BaseException:
    """The requests/urllib3 exception the SDK wrapped (oci.exceptions.RequestException(e))."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
    return inner if inner is not None else exc


def _timed_out(exc: BaseException) -> bool:
    import oci
    _connection_error, timeout = requests_connection_error_and_timeout()
    cause = _transport_cause(exc)
    return isinstance(exc, oci.exceptions.ConnectTimeout) or isinstance(cause, (timeout, TimeoutError))


def _not_sent(exc: BaseException) -> bool:
    """Whether a transport error happened before the request could reach the service."""
    import oci
    cause = _transport_cause(exc)
    if isinstance(exc, oci.exceptions.ConnectTimeout) or isinstance(cause, (oci.exceptions.BaseConnectTimeout,
                                                                          ConnectionRefusedError)):
        return True
    text = str(cause)
    return "Connection refused" in text or "Failed to establish a new connection" in text \
        or "NewConnectionError" in text or "Name or service not known" in text


def _may_have_happened(exc: BaseException, err: OciError) -> bool:
    """Whether a failed mutation may nevertheless have been carried out by the service."""
    if err.kind == "connection":
        return not _not_sent(exc)
    # 429 and 503 say "not now"; other 5xx do not say whether the change was made
    return err.status is not None and err.status >= 500 and err.status != 503


def _already_deleted(err: OciError) -> bool:
    if err.status == 404:
        return True
    if err.status == 409:
        text = f"{err.code} {err.message}".lower()
        return "deleting" in text or "terminating" in text or "terminated" in text or "deleted" in text
    return False


# what an OutcomeUnknown's message adds to the error that left the outcome unknown
UNKNOWN_NOTE = ("The request may have been carried out although no answer came back: refresh to check before "
                "trying again.")


def _outcome_unknown(err: OciError) -> OutcomeUnknown:
    message = f"{err.message.rstrip('.')}. {UNKNOWN_NOTE}"
    return OutcomeUnknown(message, code=err.code, status=err.status, request_id=err.request_id,
                          operation=err.operation, service=err.service, endpoint=err.endpoint, kind=err.kind,
                          retriable=False)


def _retry_after(exc) -> float | None:
    headers = getattr(exc, "headers", None) or {}
    try:
        v = headers.get("retry-after") or headers.get("Retry-After")
        return float(v) if v is not None else None
    except (TypeError, ValueError):
        return None
