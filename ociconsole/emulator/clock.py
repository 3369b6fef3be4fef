"""The emulator's one clock.

Every time the emulator reads (lifecycle timers, `timeCreated`, retry-token expiry, metric
windows, work-request times) comes from `core.clock.now()`, so a test can move time forward
instead of sleeping: `emu.clock.advance(3600)` (or a signed `POST /_emulator/clock
{"advance": 3600}`) makes an hour pass at once, and the next request applies every lifecycle
change that fell due meanwhile. Request signatures are still checked against the real time
(a client signs with its own wall clock).
"""

from __future__ import annotations

import threading
import time


class Clock:
    """Wall-clock time plus an offset that only moves forward."""

    def __init__(self, offset: float = 0.0):
        self._offset = float(offset)
        self._lock = threading.Lock()

    def now(self) -> float:
        return time.time() + self._offset

    @property
    def offset(self) -> float:
        return self._offset

    def advance(self, seconds: float) -> float:
        """Move the clock `seconds` forward (never back); returns the new now()."""
        if not isinstance(seconds, (int, float)) or seconds != seconds or seconds < 0 or seconds > 10 * 365 * 86400:
            raise ValueError("advance must be a number of seconds between 0 and ten years")
        with self._lock:
            self._offset += float(seconds)
        return self.now()
