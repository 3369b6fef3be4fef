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


def started(coro: Coroutine) -> Coroutine:
    """`coro` run now, up to the first time it waits, and the rest of it as the coroutine returned (for
    `spawn`), as Python 3.12's eager tasks do. A task's first step waits for the event loop's next turn,
    after the paints already asked for: a list's request went out ~30 ms after the click, once the window
    had repainted; run now, it is on the wire while the window repaints."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return coro
    try:
        waiting = coro.send(None)
    except StopIteration as e:
        return _value(e.value)
    except BaseException as e:  # raised before its first wait: raised by the task, as it would have been
        return _raise(e)

    async def rest():
        nonlocal waiting
        while True:
            error: BaseException | None = None
            if waiting is not None:  # taken over, as a task takes a future yielded to it
                waiting._asyncio_future_blocking = False
            try:
                await (waiting if waiting is not None else asyncio.sleep(0))
            except BaseException as e:
                if waiting is None or not waiting.done():  # this task was cancelled while the future waits
                    error = e
                # else: the coroutine reads the future's outcome (its exception) when resumed
            try:
                waiting = coro.send(None) if error is None else coro.throw(error)
            except StopIteration as e:
                return e.value
    return rest()


async def _value(value):
    return value


async def _raise(exc: BaseException):
    raise exc


def live_tasks() -> int:
    return len(_live)


class TaskGroup:
    """Tasks of one owner; `replace(key, coro)` cancels the previous task under that key."""

    def __init__(self):
        self._tasks: dict[str, asyncio.Task] = {}

    def replace(self, key: str, coro: Coroutine, now: bool = False) -> asyncio.Task:
        """With `now`, the coroutine starts at once (`started`): its first request goes out before the
        event loop's next turn."""
        old = self._tasks.get(key)
        if old is not None and not old.done():
            old.cancel()
        t = spawn(started(coro) if now else coro, name=key)
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
