"""Tracked operations: every action and create the person starts, from queued to done.

A plain-Python evented container; the GUI's activity panel is a thin Qt adapter over it.

Long-running work such as a file transfer can report bytes (`OperationLog.bytes`: done and
total, which also sets the percentage) and offer a way to stop it (`Operation.cancel`, a
callable set by whoever runs the work; `OperationLog.request_cancel` calls it). Whoever runs
the work still ends the operation (`cancel()` once it has really stopped and cleaned up).
"""

from __future__ import annotations

import contextvars
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from .errors import OciError


class OpState(str, Enum):
    QUEUED = "Queued"
    RUNNING = "In progress"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"
    CANCELLED = "Cancelled"

    @property
    def done(self) -> bool:
        return self in (OpState.SUCCEEDED, OpState.FAILED, OpState.CANCELLED)


_ids = itertools.count(1)
# the operation whose work is running in this task: Session.call records its changing calls into it
RECORDING: contextvars.ContextVar[Operation | None] = contextvars.ContextVar("ociconsole_recording", default=None)


@dataclass
class Operation:
    title: str  # "Stop instance web-01"
    kind: str = "action"  # action | create | delete | transfer
    resource_id: str = ""
    resource_label: str = ""
    state: OpState = OpState.QUEUED
    detail: str = ""  # lifecycle state or work request status
    progress: float | None = None  # 0..100 when known
    work_request_id: str = ""
    error: OciError | None = None
    result: object = None
    bytes_done: int | None = None  # transfers: bytes moved so far
    bytes_total: int | None = None  # transfers: bytes to move (None while unknown)
    cancel: Callable[[], None] | None = field(default=None, repr=False, compare=False)  # stops the work
    started: float = field(default_factory=time.time)
    finished: float | None = None
    id: int = field(default_factory=lambda: next(_ids))
    # what it sent, for "Export as script": the catalog kind, the CLI command the dialog showed, and every
    # changing SDK call made on its behalf (service, method, args, kwargs), recorded by services.runtime
    kind_id: str = ""
    cli: str = field(default="", repr=False)
    calls: list = field(default_factory=list, repr=False, compare=False)

    @property
    def elapsed(self) -> float:
        return (self.finished or time.time()) - self.started

    @property
    def cancellable(self) -> bool:
        return self.cancel is not None and not self.state.done

    def as_dict(self) -> dict:
        d = {"id": self.id, "title": self.title, "kind": self.kind, "resource": self.resource_label,
             "resourceId": self.resource_id, "state": self.state.value, "detail": self.detail,
             "progress": self.progress, "workRequestId": self.work_request_id,
             "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(self.started)),
             "elapsedSeconds": round(self.elapsed, 1)}
        if self.bytes_total is not None or self.bytes_done is not None:
            d["bytes"] = {"done": self.bytes_done, "total": self.bytes_total}
        if self.error is not None:
            d["error"] = {"code": self.error.code, "message": self.error.message, "status": self.error.status,
                          "opcRequestId": self.error.request_id}
        return d


Listener = Callable[[Operation, str], None]  # (operation, "added" | "changed")


class OperationLog:
    def __init__(self):
        self.operations: list[Operation] = []
        self._listeners: list[Listener] = []

    def subscribe(self, fn: Listener) -> None:
        self._listeners.append(fn)

    def unsubscribe(self, fn: Listener) -> None:
        if fn in self._listeners:
            self._listeners.remove(fn)

    def _emit(self, op: Operation, event: str) -> None:
        for fn in list(self._listeners):
            fn(op, event)

    def start(self, title: str, **kw) -> Operation:
        op = Operation(title=title, **kw)
        self.operations.append(op)
        self._emit(op, "added")
        return op

    def update(self, op: Operation, **changes) -> None:
        for k, v in changes.items():
            setattr(op, k, v)
        if op.state.done and op.finished is None:
            op.finished = time.time()
        self._emit(op, "changed")

    def running(self, op: Operation, detail: str = "", progress: float | None = None) -> None:
        self.update(op, state=OpState.RUNNING, detail=detail or op.detail,
                    progress=progress if progress is not None else op.progress)

    def succeed(self, op: Operation, detail: str = "", result: object = None) -> None:
        self.update(op, state=OpState.SUCCEEDED, detail=detail or op.detail, progress=100.0, result=result)

    def fail(self, op: Operation, error: OciError) -> None:
        self.update(op, state=OpState.FAILED, error=error, detail=error.summary())

    def cancel(self, op: Operation) -> None:
        self.update(op, state=OpState.CANCELLED, detail="Cancelled")

    def bytes(self, op: Operation, done: int, total: int | None = None, detail: str = "") -> None:
        """Bytes progress of a running operation (the percentage follows when the total is known)."""
        total = op.bytes_total if total is None else total
        progress = min(100.0, 100.0 * done / total) if total else (100.0 if total == 0 else None)
        self.update(op, state=OpState.RUNNING, bytes_done=done, bytes_total=total,
                    progress=progress if progress is not None else op.progress, detail=detail or op.detail)

    def request_cancel(self, op: Operation) -> bool:
        """Ask the work behind `op` to stop (it ends the operation itself). False when it cannot."""
        cancel = op.cancel
        if cancel is None or not op.cancellable:
            return False
        cancel()
        return True

    @property
    def active(self) -> list[Operation]:
        return [o for o in self.operations if not o.state.done]

    def export_json(self) -> str:
        """The log as JSON for support: titles, states, errors and request ids — no credentials."""
        return json.dumps([o.as_dict() for o in self.operations], indent=2)
