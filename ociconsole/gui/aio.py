"""Running coroutines from Qt code (qasync: asyncio on the Qt event loop).

`spawn(coro)` keeps a reference to the task (an unreferenced task can be collected
mid-flight) and reports unexpected exceptions to the crash handler. `TaskGroup` owns the
tasks of one view so that moving on cancels what is stale.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine

log = logging.getLogger(__name__)
_live: set[asyncio.Task] = set()


def _report(task: asyncio.Task) -> None:
    _live.discard(task)
    if task.cancelled():
        return
    exc = task.exception()
    if exc is not None:
        loop = task.get_loop()
        loop.call_exception_handler({"message": f"Unhandled error in {task.get_name()}", "exception": exc,
                                     "task": task})


def spawn(coro: Coroutine, name: str | None = None) -> asyncio.Task:
    loop = asyncio.get_event_loop()
    task = loop.create_task(coro, name=name)
    _live.add(task)
    task.add_done_callback(_report)
    return task


def live_tasks() -> int:
    return len(_live)


class TaskGroup:
    """Tasks of one owner; `replace(key, coro)` cancels the previous task under that key."""

    def __init__(self):
        self._tasks: dict[str, asyncio.Task] = {}

    def replace(self, key: str, coro: Coroutine) -> asyncio.Task:
        old = self._tasks.get(key)
        if old is not None and not old.done():
            old.cancel()
        t = spawn(coro, name=key)
        self._tasks[key] = t
        return t

    def running(self, key: str) -> bool:
        t = self._tasks.get(key)
        return t is not None and not t.done()

    def cancel_all(self) -> None:
        for t in self._tasks.values():
            if not t.done():
                t.cancel()
        self._tasks.clear()
