"""The garbage collector and the console's long-lived data.

Rows shown in a view live as long as the view shows them, and each one brings dozens of objects the
collector tracks (an SDK answer's dicts and lists). A heap that grows by a quarter sets off a full
collection, which walks every tracked object: while 50,000 search results arrived, six full collections of
15-50 ms each ran (collecting nothing), on the GUI thread and on the workers (holding the GIL), measured
with `gc.callbacks`. Frozen objects (`gc.freeze`) are out of the collector's sight; they are still freed
when nothing refers to them any more. What freezing costs: a reference cycle that is already garbage when
it is frozen is never reclaimed, so the young generations are collected first (cheap: ~1 ms).
"""

from __future__ import annotations

import gc

SETTLE_ROWS = 500  # an answer of this many rows or more is settled once it is shown


def freeze() -> None:
    """Everything alive now out of the collector's sight (start-up: modules, SDK classes, the tree)."""
    gc.freeze()


def settle(rows: int = SETTLE_ROWS) -> None:
    """After `rows` rows of an answer are in a view: when there are SETTLE_ROWS or more, collect the young
    generations and freeze what is alive (see the module's docstring)."""
    if rows >= SETTLE_ROWS:
        gc.collect(1)
        gc.freeze()
