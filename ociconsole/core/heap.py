"""The garbage collector and the console's long-lived data.

Rows shown in a view live as long as the view shows them, and each one brings dozens of objects the
collector tracks (an SDK answer's dicts and lists). A heap that grows by a quarter sets off a full
collection, which walks every tracked object: while 50,000 search results arrived, six full collections of
15-50 ms each ran (collecting nothing), on the GUI thread and on the workers (holding the GIL), measured
with `gc.callbacks`. Frozen objects (`gc.freeze`) are out of the collector's sight; they are still freed
when nothing refers to them any more. What freezing costs: a reference cycle that is already garbage when
it is frozen is never reclaimed, so the young generations are collected first (cheap: ~1 ms).

Start-up builds ~100,000 long-lived objects (modules, classes, Qt wrappers, the SDK's models) and almost no
garbage: the collector ran ~200 times during a demo start (57 ms in all, one full collection of 17 ms) and
found ~700 objects. `hold()` keeps it from running until the first `freeze()`, when the console shows its
first connection (or `release()`, when start-up ends some other way).
"""

from __future__ import annotations

import gc

SETTLE_ROWS = 500  # an answer of this many rows or more is settled once it is shown
_held = False  # the collector was disabled by hold() and is enabled again by release()


def hold() -> None:
    """Start-up: no collections until `freeze()` or `release()` (see the module's docstring). Does nothing
    when the collector is already disabled (the caller's choice stays)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """The collector runs again, if `hold()` stopped it."""
    global _held
    if _held:
        _held = False
        gc.enable()


def freeze() -> None:
    """Everything alive now out of the collector's sight (start-up: modules, SDK classes, the tree); a
    collector held for start-up runs again from here."""
    gc.freeze()
    release()


def settle(rows: int = SETTLE_ROWS) -> None:
    """After `rows` rows of an answer are in a view: when there are SETTLE_ROWS or more, collect the young
    generations and freeze what is alive (see the module's docstring)."""
    if rows >= SETTLE_ROWS:
        gc.collect(1)
        gc.freeze()
