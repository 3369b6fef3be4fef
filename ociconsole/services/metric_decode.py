"""A SummarizeMetricsData answer, as the JSON bytes the service sent, turned into numpy arrays.

Runs in the offload helper process for large answers (core.offload; monitoring.summarize names it), so
it imports little more than json and numpy.
"""

from __future__ import annotations

import json


def series(raw: bytes) -> list[tuple[str, dict, object, object]]:
    """(name, dimensions, epoch seconds, values) of each stream of the answer. Streams at the same
    timestamps (all of one groupBy query, as a rule) share one array of times: parsing the timestamps
    was two thirds of the work (1,440 per stream)."""
    import numpy as np
    out: list[tuple[str, dict, object, object]] = []
    stamps_before: list[str] | None = None
    times = None
    for md in json.loads(raw):
        pts = md.get("aggregatedDatapoints") or []
        stamps = [p["timestamp"] for p in pts]
        if stamps != stamps_before:
            times, stamps_before = epoch_seconds(stamps), stamps
        values = np.fromiter((p["value"] for p in pts), dtype=np.float64, count=len(pts))
        out.append((md.get("name") or "", dict(md.get("dimensions") or {}), times, values))
    return out


def epoch_seconds(stamps: list[str]):
    """ISO-8601 UTC timestamps ("...Z") to epoch seconds, vectorized."""
    import numpy as np
    if not stamps:
        return np.empty(0, dtype=np.float64)
    try:
        arr = np.array([s[:-1] if s.endswith("Z") else s for s in stamps], dtype="datetime64[ms]")
        return arr.astype("int64").astype(np.float64) / 1000.0
    except ValueError:  # offsets other than Z: the slow, general way
        from ..core.lazy import parse_datetime
        return np.array([parse_datetime(s).timestamp() for s in stamps], dtype=np.float64)
