"""Running declared actions and creates as tracked operations (no Qt).

An operation is QUEUED when asked for, RUNNING while the request is sent and while the
resource moves through its lifecycle (polled with backoff, work-request progress when
there is one), then SUCCEEDED or FAILED with OCI's error. `on_resource` hears every fresh
copy of the resource seen while tracking (the table updates its row from it).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from ..core.connection import WORK_REQUEST_SERVICES
from ..core.errors import OciError, loggable
from ..core.operations import RECORDING, Operation, OperationLog
from ..services.runtime import UNKNOWN_NOTE, OutcomeUnknown
from . import forms, terraform
from .generic import in_sentence
from .model import BAD, TRANSITIONAL, Action, Done, Gone, ResourceKind

logger = logging.getLogger(__name__)  # (`log` is the OperationLog here)

POLL_FIRST = 0.5
POLL_MAX = 5.0
TRACK_TIMEOUT = 3600.0

ResourceListener = Callable[[ResourceKind, object], None]


async def track(session, log: OperationLog, op: Operation, kind: ResourceKind, resource_id: str,
                targets: frozenset[str], gone_ok: bool = False, work_request_id: str = "",
                on_resource: ResourceListener | None = None, timeout: float = TRACK_TIMEOUT,
                work_request_service: str = "work_requests") -> object:
    """Poll until the resource reaches one of `targets`; returns the last copy (None if gone). The progress is
    read from the work request `work_request_id` of `work_request_service` (core's, or the service's own)."""
    get = kind.get
    if get is None:
        raise TypeError(f"{kind.id} declares no get: it cannot be tracked")
    delay = POLL_FIRST
    deadline = time.monotonic() + timeout
    seen_moving = False
    settled_elsewhere = 0

    while True:
        progress = None
        if work_request_id:
            try:
                wr = await session.data(work_request_service, "get_work_request", work_request_id)
                pct = getattr(wr, "percent_complete", None)  # (Load Balancer's work requests have none)
                progress = float(pct) if pct is not None else None
            except (OciError, AttributeError) as e:  # AttributeError: a client without get_work_request
                logger.debug("progress of work request %s not read: %s", work_request_id, loggable(e))
                progress = None
        try:
            res = await get(session, resource_id)
        except OciError as e:
            if _lost(e) and time.monotonic() < deadline:
                # the endpoint went away while the work goes on over there: the outcome is unknown, not a
                # failure. Keep asking (the session fails fast meanwhile) and end as what really happened.
                log.running(op, detail=f"Outcome unknown: {e.endpoint or 'the service'} is not answering; "
                                       "checking again when it is back")
                await asyncio.sleep(delay)
                delay = min(POLL_MAX, delay * 1.5)
                continue
            if e.status == 404 and gone_ok:
                log.succeed(op, detail="Gone")
                if on_resource is not None:
                    on_resource(kind, Gone(resource_id))
                return None
            raise
        state = kind.state(res) or ""
        if on_resource is not None:
            on_resource(kind, res)
        log.running(op, detail=state, progress=progress)
        if state in targets:
            log.succeed(op, detail=state, result=res)
            return res
        if state in BAD and state not in targets:
            raise OciError(f"{kind.singular} went to {state}", code="UnexpectedState", kind="service")
        if state in TRANSITIONAL:
            seen_moving = True
        else:
            # a settled state that is not the target: someone else changed the resource meanwhile
            # (or the request did nothing); do not wait forever for a state that will not come
            settled_elsewhere += 1
            if seen_moving or settled_elsewhere >= 3:
                raise OciError(f"{kind.singular} is {state} instead of {'/'.join(sorted(targets))}; "
                               "another operation may have changed it", code="UnexpectedState", kind="service")
        if time.monotonic() > deadline:
            raise OciError(f"Gave up waiting for {in_sentence(kind.singular)} to become {'/'.join(sorted(targets))}",
                           code="Timeout", kind="service")
        await asyncio.sleep(delay)
        delay = min(POLL_MAX, delay * 1.5)


def _lost(e: OciError) -> bool:
    """No answer from the endpoint (unreachable, connection dropped, 502/503/504): nothing known yet."""
    return e.kind == "connection" or e.status in (502, 503, 504)


async def _recheck(session, log: OperationLog, op: Operation, kind: ResourceKind, action: Action, resource,
                   error: OciError, on_resource: ResourceListener | None) -> None:
    """An action whose request may or may not have been carried out (`OutcomeUnknown`): once the service
    answers again, look at the resource; tracked to its target if the action took effect, failed with what
    is known otherwise."""
    get = kind.get
    if get is None:
        raise TypeError(f"{kind.id} declares no get: the outcome cannot be checked")
    log.running(op, detail="Outcome unknown: checking when the service answers again")
    before = kind.state(resource) or ""
    delay = POLL_FIRST
    deadline = time.monotonic() + TRACK_TIMEOUT
    while True:
        try:
            res = await get(session, resource.id)
            break
        except OciError as e:
            if e.status == 404 and action.gone_ok:
                log.succeed(op, detail="Gone")
                if on_resource is not None:
                    on_resource(kind, Gone(resource.id))
                return
            if not _lost(e) or time.monotonic() > deadline:
                raise error from None
        await asyncio.sleep(delay)
        delay = min(POLL_MAX, delay * 1.5)
    state = kind.state(res) or ""
    if on_resource is not None:
        on_resource(kind, res)
    if state in action.target_states or state in TRANSITIONAL or state != before:
        await track(session, log, op, kind, resource.id, action.target_states, action.gone_ok,
                    on_resource=on_resource)
        return
    # (the re-read settled what the request's error left open: its "may have been carried out" is not repeated)
    cause = error.message.removesuffix(f" {UNKNOWN_NOTE}").rstrip(".")
    raise OciError(f"{action.label} was not carried out: {in_sentence(kind.singular)} {kind.name(res)} "
                   f"is still {state} (the request got no answer: {cause})", code=error.code or "NotCarriedOut",
                   status=error.status, request_id=error.request_id, operation=error.operation,
                   service=error.service, endpoint=error.endpoint, kind="service")


def queue_action(log: OperationLog, kind: ResourceKind, action: Action, resource) -> Operation:
    """The QUEUED activity entry for an action, shown at once while the request is prepared."""
    name = kind.name(resource)
    return log.start(f"{action.verb or action.label} {in_sentence(kind.singular)} {name}",
                     kind="delete" if action.destructive else "action", resource_id=resource.id,
                     resource_label=name)


async def run_action(session, log: OperationLog, kind: ResourceKind, action: Action, resource,
                     options: dict | None = None, on_resource: ResourceListener | None = None,
                     op: Operation | None = None) -> Operation:
    """Run one declared action on one resource as a tracked operation. Never raises OciError."""
    op = op or queue_action(log, kind, action, resource)
    op.kind_id = kind.id
    recording = RECORDING.set(op)
    try:
        log.running(op, detail="Requesting")
        try:
            result = await action.run(session, resource, options or {})
        except OutcomeUnknown as e:
            if not action.target_states or kind.get is None or action.tracks:
                raise
            await _recheck(session, log, op, kind, action, resource, e, on_resource)
            return op
        if isinstance(result, Done):  # an action that makes nothing to track (an export): what it did
            log.succeed(op, detail=result.detail)
            return op
        if isinstance(result, Gone):  # deleted at once (a resource without lifecycle states)
            log.succeed(op, detail="Deleted")
            if on_resource is not None:
                on_resource(kind, result)
            return op
        if action.tracks:  # the action's outcome is another resource (a detach: the attachment)
            from . import kind as kind_of
            tracked = kind_of(action.tracks)
            if result is not None and on_resource is not None:
                on_resource(tracked, result)
            if action.target_states and tracked.get is not None and getattr(result, "id", None):
                await track(session, log, op, tracked, result.id, action.target_states, action.gone_ok,
                            on_resource=on_resource)
            else:
                log.succeed(op, detail="Done")
            return op
        if result is not None and on_resource is not None and hasattr(result, "lifecycle_state"):
            on_resource(kind, result)
        if action.target_states and kind.get is not None:
            await track(session, log, op, kind, resource.id, action.target_states, action.gone_ok,
                        on_resource=on_resource)
        else:
            log.succeed(op, detail="Done")
    except OciError as e:
        log.fail(op, e)
    except asyncio.CancelledError:
        log.cancel(op)
        raise
    finally:
        RECORDING.reset(recording)
    return op


def start_create(log: OperationLog, kind: ResourceKind, spec: forms.FormSpec, values: dict) -> Operation:
    """The QUEUED activity entry of a form's request ("Create bucket logs", or the form's own title)."""
    label = spec.describe(values) or kind.singular
    title = spec.op_title(values) if spec.op_title is not None else f"Create {in_sentence(kind.singular)} {label}"
    return log.start(title, kind="create" if spec.submit_label == "Create" else "action", resource_label=label)


WR_DONE = frozenset({"SUCCEEDED", "FAILED", "CANCELED", "CANCELLED"})


async def follow_work_request(session, log: OperationLog, op: Operation, kind: ResourceKind, service: str,
                              work_request_id: str, on_resource: ResourceListener | None = None,
                              timeout: float = TRACK_TIMEOUT) -> object:
    """Follow an answer that is only a work request (no body: Analytics, Integration, Data Science...) to its
    end, through the work-request API of the service that made it; then the resource it names is read and
    tracked to ready. Returns the resource (None when the work request names none the kind can read)."""
    wr_service = WORK_REQUEST_SERVICES.get(service, service)
    delay = POLL_FIRST
    deadline = time.monotonic() + timeout
    while True:
        wr = await session.data(wr_service, "get_work_request", work_request_id)
        # (Load Balancer's work requests say `lifecycle_state` and name their load balancer, errors inline)
        status = str(getattr(wr, "status", None) or getattr(wr, "lifecycle_state", "") or "").upper()
        progress = getattr(wr, "percent_complete", None)
        log.running(op, detail=status.replace("_", " ").capitalize() or "Accepted",
                    progress=float(progress) if progress is not None else None)
        if status in WR_DONE:
            break
        if time.monotonic() > deadline:
            raise OciError(f"Gave up waiting for work request {work_request_id}", code="Timeout", kind="service")
        await asyncio.sleep(delay)
        delay = min(POLL_MAX, delay * 1.5)
    if status != "SUCCEEDED":
        errors = list(getattr(wr, "error_details", None) or [])
        try:
            errors = errors or await session.list_all(wr_service, "list_work_request_errors", work_request_id)
        except OciError:
            errors = []
        message = "; ".join(str(getattr(e, "message", "") or "") for e in errors if getattr(e, "message", None))
        raise OciError(message or f"The work request ended {status}", code=f"WorkRequest{status.capitalize()}",
                       kind="service")
    named = [r.identifier for r in (getattr(wr, "resources", None) or [])] + \
        [v for v in [getattr(wr, "load_balancer_id", None)] if v]
    ident = next((r for r in named
                  if r and kind.get is not None and str(r).split(".")[1:2] and str(r).split(".")[1] in kind.ocid_types),
                 None)
    if ident is None:
        log.succeed(op, detail="Succeeded")
        return None
    log.update(op, resource_id=ident)
    return await track(session, log, op, kind, ident, kind.ready_states, on_resource=on_resource)


async def run_create(session, log: OperationLog, kind: ResourceKind, spec: forms.FormSpec, values: dict,
                     request: forms.Request, retry_token: str, on_resource: ResourceListener | None = None,
                     op: Operation | None = None, raise_on_submit_error: bool = False,
                     cli: str = "") -> Operation:
    """Submit a create (with its retry token) and track the new resource until it is ready.

    With `raise_on_submit_error`, a refused request (the resource was not created) raises the
    OciError after marking the operation failed, so a dialog can stay open and keep the input.
    """
    op = op or start_create(log, kind, spec, values)
    op.kind_id, op.cli = kind.id, cli
    recording = RECORDING.set(op)
    try:
        log.running(op, detail="Submitting")
        try:
            res, wr_id = await forms.submit(session, request, retry_token,
                                            step=lambda text: log.running(op, detail=text))
        except OciError as e:
            log.fail(op, e)
            if raise_on_submit_error:
                raise
            return op
        log.update(op, resource_id=getattr(res, "id", "") or "", work_request_id=wr_id)
        terraform.remember(session, request, getattr(res, "id", None), spec.describe(values))
        if on_resource is not None and res is not None:
            on_resource(kind, res)
        state = kind.state(res) or ""
        if res is None and wr_id and request.service != "work_requests":
            # accepted with only a work request (OCI's answer for many services): follow it to its end
            await follow_work_request(session, log, op, kind, request.service, wr_id, on_resource=on_resource)
        elif kind.get is not None and state and state not in kind.ready_states:  # stateless resources are ready
            await track(session, log, op, kind, res.id, kind.ready_states, work_request_id=wr_id,
                        work_request_service=WORK_REQUEST_SERVICES.get(request.service, request.service),
                        on_resource=on_resource)
        else:
            log.succeed(op, detail=state or ("Created" if spec.submit_label == "Create" else "Done"), result=res)
    except OciError as e:
        log.fail(op, e)
    except asyncio.CancelledError:
        log.cancel(op)
        raise
    finally:
        RECORDING.reset(recording)
    return op
