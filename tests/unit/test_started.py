"""gui.aio.started: a coroutine runs at once up to its first wait, and the rest of it behaves as a task's."""

from __future__ import annotations

import asyncio

import pytest

from ociconsole.gui.aio import started


def test_it_runs_now_up_to_its_first_wait_then_finishes_as_a_task():
    seen = []

    async def job(fut):
        seen.append("sent")  # e.g. the request handed to a worker thread
        v = await fut
        await asyncio.sleep(0)  # a bare yield
        seen.append("done")
        return v + 1

    async def main():
        fut = asyncio.get_running_loop().create_future()
        task = asyncio.ensure_future(started(job(fut)))
        assert seen == ["sent"]  # before the event loop's next turn
        fut.set_result(41)
        assert await task == 42
        assert seen == ["sent", "done"]
    asyncio.run(main())


def test_errors_reach_the_coroutine_and_the_task():
    async def early():
        raise ValueError("before any wait")

    async def later(fut):
        try:
            await fut
        except KeyError as e:
            return f"handled {e}"

    async def main():
        with pytest.raises(ValueError, match="before any wait"):
            await asyncio.ensure_future(started(early()))
        fut = asyncio.get_running_loop().create_future()
        task = asyncio.ensure_future(started(later(fut)))
        fut.set_exception(KeyError("gone"))
        assert await task == "handled 'gone'"
    asyncio.run(main())


def test_cancelling_the_task_cancels_the_coroutine_where_it_waits():
    cleaned = []

    async def job(fut):
        try:
            await fut
        finally:
            cleaned.append(fut.cancelled())

    async def main():
        fut = asyncio.get_running_loop().create_future()
        task = asyncio.ensure_future(started(job(fut)))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert cleaned == [True] and task.cancelled()
    asyncio.run(main())


def test_without_a_running_loop_the_coroutine_is_left_as_it_is():
    async def job():
        return 1
    coro = job()
    assert started(coro) is coro
    assert asyncio.run(coro) == 1
