"""core.heap: a large answer shown is frozen out of the collector's sight, after the young garbage is
collected (a cycle that is already garbage is reclaimed, not kept forever)."""

from __future__ import annotations

import gc
import weakref

from ociconsole.core import heap


class _Node:
    pass


def test_a_small_answer_is_left_to_the_collector():
    before = gc.get_freeze_count()
    heap.settle(heap.SETTLE_ROWS - 1)
    assert gc.get_freeze_count() == before


def test_a_large_answer_is_frozen_and_cyclic_garbage_is_collected_first():
    garbage = _Node()
    garbage.me = garbage  # a reference cycle: only the collector can reclaim it
    gone = weakref.ref(garbage)
    del garbage
    rows = [_Node() for _ in range(heap.SETTLE_ROWS)]
    before = gc.get_freeze_count()
    heap.settle(len(rows))
    assert gone() is None  # collected, not frozen
    assert gc.get_freeze_count() >= before + len(rows)  # the rows are out of the collector's sight
    kept = weakref.ref(rows[0])
    del rows
    assert kept() is None  # a frozen object is still freed once nothing refers to it


def test_start_up_holds_the_collector_until_the_first_freeze():
    assert gc.isenabled()
    try:
        heap.hold()
        assert not gc.isenabled()
        heap.freeze()  # the first connection is shown
        assert gc.isenabled()
        heap.release()  # the start-up timer's release later changes nothing
        assert gc.isenabled()
    finally:
        gc.enable()


def test_a_collector_disabled_by_the_caller_stays_disabled():
    gc.disable()
    try:
        heap.hold()
        heap.freeze()
        heap.release()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_ociconsole_starts_its_window_with_the_collector_held(monkeypatch):
    import ociconsole.__main__ as entry
    import ociconsole.gui.app as gui_app
    seen = []
    monkeypatch.setattr(gui_app, "main", lambda argv=None: seen.append(gc.isenabled()) or 0)
    assert entry.main([]) == 0
    assert seen == [False]  # held while the window starts
    assert gc.isenabled()  # and released when main returns, whatever happened
