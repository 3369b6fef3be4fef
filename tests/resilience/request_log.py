"""Every request an emulator answers, recorded from the test side (the emulator keeps only counts),
and every service-layer call the app makes.

    log = RequestLog(emu)          # from now on: (method, path, status) per request
    log.mutating()                 # the ones that could change something
    log.close()                    # stop recording
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

READ_METHODS = ("GET", "HEAD")
# OCI reads sent as POST end in an action of these verbs (.../actions/summarizeMetricsData, listMetrics,
# retrieveDimensionStates, requestSummarizedUsages, ...)
READ_POST_VERBS = ("list", "summarize", "retrieve", "search", "request")
READ_POSTS = ("/usage_api/20200107/usage",)


@dataclass(frozen=True)
class Entry:
    method: str
    path: str
    status: int

    @property
    def mutating(self) -> bool:
        if self.method in READ_METHODS:
            return False
        last = self.path.rstrip("/").rpartition("/")[2]
        # a query sent as a POST: summarize/search verbs, and the Usage API's RequestSummarizedUsages (POST /usage)
        return not (self.method == "POST" and (last.startswith(READ_POST_VERBS) or self.path.endswith(READ_POSTS)))


class RequestLog:
    """Wraps `emu.core.handle` (the one entry point of the HTTP server) on this emulator only."""

    def __init__(self, emu):
        self._core = emu.core
        self._lock = threading.Lock()
        self.entries: list[Entry] = []
        inner = emu.core.handle

        def handle(req):
            resp = inner(req)
            with self._lock:
                self.entries.append(Entry(req.method, req.target.partition("?")[0], resp.status))
            return resp
        emu.core.handle = handle  # an instance attribute: the class method stays untouched

    def __len__(self) -> int:
        with self._lock:
            return len(self.entries)

    def snapshot(self) -> list[Entry]:
        with self._lock:
            return list(self.entries)

    def mutating(self) -> list[Entry]:
        return [e for e in self.snapshot() if e.mutating]

    def with_status(self, status: int) -> list[Entry]:
        return [e for e in self.snapshot() if e.status == status]

    def close(self) -> None:
        self._core.__dict__.pop("handle", None)


def count_invocations(monkeypatch) -> list[str]:
    """The methods every `Session.call` was asked for (once per call, whatever its attempts), while
    `Session.calls` counts attempts: more attempts than invocations means something was retried."""
    from ociconsole.services.runtime import Session

    invoked: list[str] = []
    inner = Session.call

    async def call(self, service, method, *args, **kwargs):
        invoked.append(method)
        return await inner(self, service, method, *args, **kwargs)
    monkeypatch.setattr(Session, "call", call)
    return invoked
