"""Monitoring Query Language (MQL): the evaluator of the monitoring emulator. The syntax (tokens,
parser, tree, errors with columns) is `ociconsole.lang.mql`, shared with the console's client-side
check (this module only gives the tree's filters and predicates their evaluation).

Intervals (and resolutions): 1m-60m, 1h-24h, 1d; the grammar is in lang/mql.py. `=~` matches
wildcards: `*` is any text and `|` separates alternatives (`"web-*|api-01"`); `!~` is its negation.
A filter on a dimension that none of the metric's streams has filters nothing (OCI: "if the
dimension doesn't exist, data isn't filtered"). `compartmentId` may be used as a dimension. The
parser bounds nesting and terms (MAX_NESTING, MAX_TERMS), so the recursive evaluator never meets
a query deeper than that.

Semantics (every returned timestamp `t` is the END of its aggregation window):

- a datapoint at `t` aggregates the raw points with timestamps in `(t - interval, t]`;
  the caller chooses the timestamps (SummarizeMetricsData: multiples of the resolution in
  `[startTime, endTime)`), so the interval is the window and the resolution the spacing.
- mean/avg = sum(value*count)/sum(count); sum = sum(value*count); count = sum(count);
  max, min; percentile(p) = linear interpolation between closest ranks over the window's
  values (each repeated `count` times; numpy's default method), 0 < p < 1.
- increment() = the last value in the window minus the last value of the previous window
  (or, if the previous window is empty, minus the first value of this window); rate() = that
  difference divided by the seconds between the two points (per second). A window with a single
  point and nothing before it has no value.
- absent([period]) = 0 when the window has data, 1 when it has none but the stream had data
  within `period` (default 2h, 1m-3d) before `t`, no value afterwards.
- groupBy(dims)/grouping() BEFORE the statistic aggregate the raw points of every stream in
  the group (rate/increment: the sum of the members' values); AFTER it, they combine the
  members' results with the same statistic (sum, count, rate, increment: sum; absent: max).
- a predicate keeps the datapoints that satisfy it (values unchanged); `in (a, b)` is the
  inclusive range, `not in` its complement.
- `A && B`: the streams present on both sides (matched by dimensions), at the timestamps where
  both have a datapoint, with A's values. `A || B`: every stream of either side; A's value where
  A has one, else B's.
- alarms read a non-zero datapoint as "the condition is met" (OCI: zero is false).

`parse(text)` raises `MqlError` (message and 1-based column); `evaluate(node, source, times,
step)` computes every output stream over the given timestamps, vectorized with numpy over
streams; a `DataSource` (see metrics.py) supplies the streams and their raw points.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from ..lang import mql as _syntax
from ..lang.mql import (  # noqa: F401 - the syntax, read by the emulator's services from here
    DAY,
    DEFAULT_ABSENCE_PERIOD,
    GROUPINGS,
    HOUR,
    MAX_NESTING,
    MAX_TERMS,
    MINUTE,
    STATISTICS,
    Join,
    MqlError,
    Node,
    Query,
    interval_seconds,
    leaves,
    period_seconds,
)


class MqlLimit(ValueError):
    """The query's result would exceed one of OCI's limits (streams, datapoints)."""


# ---------------------------------------------------------------- the syntax tree's evaluable parts

@dataclass
class DimFilter(_syntax.Filter):
    """A dimension filter that matches values: `=~` wildcards (`*` any text, `|` alternatives)."""

    def __post_init__(self):
        self._rx: re.Pattern | None = None
        if self.op in ("=~", "!~"):
            alts = [a.strip() for a in self.value.split("|")]
            self._rx = re.compile("|".join("(?:" + ".*".join(re.escape(p) for p in a.split("*")) + ")"
                                           for a in alts) + r"\Z", re.S)

    def matches(self, value: str | None) -> bool:
        if self.op == "=":
            return value == self.value
        if self.op == "!=":
            return value != self.value
        hit = value is not None and self._rx.match(value) is not None  # type: ignore[union-attr]
        return hit if self.op == "=~" else not hit


class Predicate(_syntax.Predicate):
    """A predicate that keeps the datapoints of an array satisfying it."""

    def keep(self, v: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            if self.op == ">":
                return v > self.a
            if self.op == ">=":
                return v >= self.a
            if self.op == "<":
                return v < self.a
            if self.op == "<=":
                return v <= self.a
            if self.op == "==":
                return v == self.a
            if self.op == "!=":
                return v != self.a
            inside = (v >= self.a) & (v <= self.b)
            return inside if self.op == "in" else (~inside & ~np.isnan(v))


class _Parser(_syntax.Parser):
    def make_filter(self, key: str, op: str, value: str, column: int) -> DimFilter:
        return DimFilter(key, op, value, column)

    def make_predicate(self, op: str, a: float, b: float | None = None) -> Predicate:
        return Predicate(op, a, b)


def parse(text: str) -> Node:
    """The syntax tree of an MQL expression (filters and predicates ready to evaluate), or MqlError
    pointing at the problem."""
    return _Parser(text).parse()


# ---------------------------------------------------------------- data interface

@dataclass
class Stream:
    """One metric stream a DataSource offers: identity, descriptive fields, and a loader handle."""

    name: str
    dims: dict[str, str]
    compartment_id: str
    resource_group: str | None
    metadata: dict[str, str]
    span: tuple[float, float]  # first and last time it may have raw points
    loader: Any  # object with load(streams, t0, t1) -> Iterator[Block]
    ref: Any = None  # the loader's own handle (resource document, stored stream...)

    def dim(self, key: str) -> str | None:
        v = self.dims.get(key)
        if v is None and key == "compartmentId":
            return self.compartment_id
        return v


@dataclass
class Block:
    """Raw points of `streams` on shared timestamps `t` (seconds, ascending): `v`/`c` are
    (len(streams), len(t)) values and counts; a count of 0 (value NaN) means no point."""

    streams: list[Stream]
    t: np.ndarray
    v: np.ndarray
    c: np.ndarray


class DataSource(Protocol):
    def streams(self, metric: str) -> list[Stream]: ...


@dataclass
class Series:
    """One output stream: values aligned with the evaluated timestamps (NaN: no datapoint)."""

    name: str
    dims: dict[str, str]
    compartment_id: str
    resource_group: str | None
    metadata: dict[str, str]
    values: np.ndarray
    members: int = 1

    @property
    def key(self) -> tuple:
        return tuple(sorted(self.dims.items()))


# ---------------------------------------------------------------- evaluation

def evaluate(node: Node, source: DataSource, times: np.ndarray, step: int, *, compartment_id: str = "",
             max_streams: int | None = None, max_points: int | None = None) -> list[Series]:
    """Every output stream of `node` at `times` (ascending, spaced `step` seconds apart).

    Raises MqlLimit when more than `max_streams` streams or (an upper bound of) more than
    `max_points` datapoints would be returned.
    """
    times = np.asarray(times, dtype=np.float64)
    if times.size == 0:
        return []
    budget = {"points": max_points}
    out = _eval(node, source, times, int(step), compartment_id, max_streams, budget)
    if max_streams is not None and len(out) > max_streams:
        raise MqlLimit(f"The query returns {len(out)} metric streams; the maximum is {max_streams}")
    return out


def _eval(node: Node, source, times, step, comp, max_streams, budget) -> list[Series]:
    if isinstance(node, Query):
        return _eval_query(node, source, times, step, comp, max_streams, budget)
    left = _eval(node.left, source, times, step, comp, max_streams, budget)
    right = _eval(node.right, source, times, step, comp, max_streams, budget)
    rmap = {s.key: s for s in right}
    out = []
    if node.op == "&&":
        for s in left:
            r = rmap.get(s.key)
            if r is None:
                continue
            both = ~np.isnan(s.values) & ~np.isnan(r.values)
            out.append(_replace(s, np.where(both, s.values, np.nan)))
        return out
    seen = set()
    for s in left:
        r = rmap.get(s.key)
        seen.add(s.key)
        out.append(s if r is None else _replace(s, np.where(np.isnan(s.values), r.values, s.values)))
    out.extend(r for r in right if r.key not in seen)
    return out


def _replace(s: Series, values: np.ndarray) -> Series:
    return Series(s.name, s.dims, s.compartment_id, s.resource_group, s.metadata, values, s.members)


def _lookback(q: Query) -> float:
    if q.stat in ("rate", "increment"):
        return 2 * q.interval
    if q.stat == "absent":
        return q.interval + float(q.stat_arg or DEFAULT_ABSENCE_PERIOD)
    return q.interval


def _group_key(s: Stream, dims: tuple[str, ...]) -> tuple:
    return tuple(s.dim(d) for d in dims)


def _eval_query(q: Query, source, times, step, comp, max_streams, budget) -> list[Series]:
    streams = source.streams(q.metric)
    # dimension filters (a dimension no stream has filters nothing)
    present = set()
    for s in streams:
        present.update(s.dims)
    for f in q.filters:
        if f.key in present or f.key == "compartmentId":
            streams = [s for s in streams if f.matches(s.dim(f.key))]
    t0, t1 = float(times[0]) - _lookback(q), float(times[-1])
    streams = [s for s in streams if s.span[1] > t0 and s.span[0] <= t1]

    # groups before the statistic
    if q.pre_group is None:
        groups: list[tuple[dict, list[Stream]]] = [(s.dims, [s]) for s in streams]
    else:
        by: dict[tuple, list[Stream]] = {}
        for s in streams:
            by.setdefault(_group_key(s, q.pre_group), []).append(s)
        groups = [({d: v for d, v in zip(q.pre_group, k, strict=True) if v is not None}, members)
                  for k, members in by.items()]
    # groups after it
    post: list[list[int]] | None = None
    post_dims: list[dict] = []
    if q.post_group is not None:
        pby: dict[tuple, list[int]] = {}
        for gi, (dims, _m) in enumerate(groups):
            pby.setdefault(tuple(dims.get(d) for d in q.post_group), []).append(gi)
        post = list(pby.values())
        post_dims = [{d: v for d, v in zip(q.post_group, k, strict=True) if v is not None} for k in pby]
    n_out = len(post) if post is not None else len(groups)
    if max_streams is not None and n_out > max_streams:
        raise MqlLimit(f"The query returns {n_out} metric streams; the maximum is {max_streams}. "
                       "Narrow it with dimension filters or aggregate with groupBy() or grouping()")
    _check_points(q, groups, post, times, budget)

    values = _compute(q, groups, times, step)
    now = getattr(source, "now", None)
    if q.stat == "absent" and now is not None and len(values):
        # a window still open has no absence yet (data already in it still says 0)
        values = np.where((times[None, :] > now) & (values == 1.0), np.nan, values)
    if post is not None:
        values = _combine_after(q, values, post)
        members_of = [[s for gi in idx for s in groups[gi][1]] for idx in post]
        dims_of = post_dims
    else:
        members_of = [m for _d, m in groups]
        dims_of = [d for d, _m in groups]
    if q.predicate is not None and len(values):
        values = np.where(q.predicate.keep(values), values, np.nan)
    out = []
    for i, members in enumerate(members_of):
        comps = {s.compartment_id for s in members}
        first = members[0]
        out.append(Series(q.metric, dict(dims_of[i]), comps.pop() if len(comps) == 1 else comp,
                          first.resource_group, dict(first.metadata), values[i], len(members)))
    return out


def _check_points(q: Query, groups, post, times, budget) -> None:
    """Upper bound of the datapoints (timestamps whose window may hold data), against the budget."""
    if budget.get("points") is None:
        return
    extra = q.interval if q.stat != "absent" else q.interval + float(q.stat_arg or DEFAULT_ABSENCE_PERIOD)
    spans = []
    for _dims, members in groups:
        spans.append((min(s.span[0] for s in members), max(s.span[1] for s in members)))
    if post is not None:
        spans = [(min(spans[i][0] for i in idx), max(spans[i][1] for i in idx)) for idx in post]
    total = 0
    for a, b in spans:
        lo = np.searchsorted(times, a, side="left")
        hi = np.searchsorted(times, b + extra, side="right")
        total += max(0, int(hi - lo))
    budget["points"] -= total
    if budget["points"] < 0:
        limit = budget["points"] + total
        raise MqlLimit(f"The query would return more than {limit:,} datapoints. Use a coarser resolution, "
                       "a shorter time range, or fewer metric streams (dimension filters, groupBy, grouping)")


# -------------------------------------------------------- cells: raw points binned on the window grid

@dataclass
class _Cells:
    cnt: np.ndarray  # (rows, K) summed counts
    sum: np.ndarray  # summed value*count
    mx: np.ndarray  # max (NaN: empty)
    mn: np.ndarray
    first: np.ndarray | None = None  # value of the first / last raw point in the cell
    last: np.ndarray | None = None
    tfirst: np.ndarray | None = None
    tlast: np.ndarray | None = None


def _bin(block: Block, base: float, g: int, K: int, order: bool) -> _Cells:
    """Aggregate a block's raw points into K cells of g seconds: cell k holds (base+k*g, base+(k+1)*g]."""
    S = block.v.shape[0]
    cnt = np.zeros((S, K))
    sm = np.zeros((S, K))
    mx = np.full((S, K), np.nan)
    mn = np.full((S, K), np.nan)
    cells = _Cells(cnt, sm, mx, mn)
    if order:
        cells.first = np.full((S, K), np.nan)
        cells.last = np.full((S, K), np.nan)
        cells.tfirst = np.full((S, K), np.nan)
        cells.tlast = np.full((S, K), np.nan)
    t = block.t
    if t.size == 0:
        return cells
    k = np.ceil((t - base) / g).astype(np.int64) - 1
    keep = (k >= 0) & (k < K)
    if not keep.any():
        return cells
    t, k = t[keep], k[keep]
    v, c = block.v[:, keep], block.c[:, keep]
    has = c > 0
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    ub = k[starts]
    vz = np.where(has, v, 0.0)
    vn = np.where(has, v, np.nan)
    if len(starts) == len(k):  # one raw point per cell (minute data in minute cells): no reduction
        cnt[:, ub] = c
        sm[:, ub] = vz * c
        mx[:, ub] = vn
        mn[:, ub] = vn
    else:
        cnt[:, ub] = np.add.reduceat(c, starts, axis=1)
        sm[:, ub] = np.add.reduceat(vz * c, starts, axis=1)
        mx[:, ub] = np.fmax.reduceat(vn, starts, axis=1)
        mn[:, ub] = np.fmin.reduceat(vn, starts, axis=1)
    if order:
        n = t.size
        pos = np.arange(n)
        fi = np.minimum.reduceat(np.where(has, pos, n), starts, axis=1)
        li = np.maximum.reduceat(np.where(has, pos, -1), starts, axis=1)
        okf, okl = fi < n, li >= 0
        fi, li = np.clip(fi, 0, n - 1), np.clip(li, 0, n - 1)
        cells.first[:, ub] = np.where(okf, np.take_along_axis(v, fi, axis=1), np.nan)
        cells.last[:, ub] = np.where(okl, np.take_along_axis(v, li, axis=1), np.nan)
        cells.tfirst[:, ub] = np.where(okf, t[fi], np.nan)
        cells.tlast[:, ub] = np.where(okl, t[li], np.nan)
    return cells


def _by_group(gidx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row order sorting `gidx`, the start of each group's run in that order, and the groups."""
    order = np.argsort(gidx, kind="stable")
    sg = gidx[order]
    starts = np.flatnonzero(np.r_[True, sg[1:] != sg[:-1]])
    return order, starts, sg[starts]


def _merge_cells(acc: _Cells | None, rows: _Cells, gidx: np.ndarray, G: int) -> _Cells:
    """Fold `rows` into per-group accumulators (row i belongs to group gidx[i])."""
    K = rows.cnt.shape[1]
    if acc is None:
        acc = _Cells(np.zeros((G, K)), np.zeros((G, K)), np.full((G, K), np.nan), np.full((G, K), np.nan),
                     tlast=np.full((G, K), np.nan))
    order, starts, ug = _by_group(gidx)
    acc.cnt[ug] += np.add.reduceat(rows.cnt[order], starts, axis=0)
    acc.sum[ug] += np.add.reduceat(rows.sum[order], starts, axis=0)
    acc.mx[ug] = np.fmax(acc.mx[ug], np.fmax.reduceat(rows.mx[order], starts, axis=0))
    acc.mn[ug] = np.fmin(acc.mn[ug], np.fmin.reduceat(rows.mn[order], starts, axis=0))
    if rows.tlast is not None:
        acc.tlast[ug] = np.fmax(acc.tlast[ug], np.fmax.reduceat(rows.tlast[order], starts, axis=0))
    return acc


def _windows(times: np.ndarray, base: float, g: int, w: int, K: int) -> tuple[np.ndarray, np.ndarray]:
    hi = np.rint((times - base) / g).astype(np.int64)
    hi = np.clip(hi, 0, K)
    lo = np.clip(hi - w, 0, K)
    return lo, hi


def _stat_from_cells(q: Query, cells: _Cells, times: np.ndarray, base: float, g: int, K: int) -> np.ndarray:
    w = q.interval // g
    lo, hi = _windows(times, base, g, w, K)
    rows = cells.cnt.shape[0]
    idx = np.empty(2 * len(times), dtype=np.int64)
    idx[0::2], idx[1::2] = lo, hi
    pad = np.zeros((rows, 1))

    def window(fn, src: np.ndarray, fill: float) -> np.ndarray:
        """fn over each window's cells: reduceat on (lo, hi) pairs, the odd slots dropped. Exact: a
        window always adds the same cells in the same order, whatever the query's time range."""
        return fn.reduceat(np.concatenate([src, pad + fill], axis=1), idx, axis=1)[:, 0::2]

    count = window(np.add, cells.cnt, 0.0)
    has = (count > 0) & (hi > lo)[None, :]
    stat = q.stat
    with np.errstate(invalid="ignore", divide="ignore"):
        if stat == "count":
            return np.where(has, count, np.nan)
        if stat in ("sum", "mean"):
            total = window(np.add, cells.sum, 0.0)
            return np.where(has, total if stat == "sum" else total / np.where(has, count, 1), np.nan)
        if stat in ("max", "min"):
            red = window(np.fmax if stat == "max" else np.fmin, cells.mx if stat == "max" else cells.mn, np.nan)
            return np.where(has, red, np.nan)
        nonempty = cells.cnt > 0
        ar = np.arange(K)  # K >= 1: the cells always cover the lookback
        ffi = np.maximum.accumulate(np.where(nonempty, ar, -1), axis=1)  # last non-empty cell at or before k
        last_i = np.where(hi[None, :] > 0, ffi[:, np.clip(hi - 1, 0, K - 1)], -1)
        if stat == "absent":
            t_any = _take(cells.tlast, last_i)
            recent = (last_i >= 0) & ((times[None, :] - t_any) <= float(q.stat_arg or DEFAULT_ABSENCE_PERIOD))
            return np.where(has, 0.0, np.where(recent, 1.0, np.nan))
        # increment / rate
        valid_last = last_i >= lo[None, :]
        prev_i = np.where(lo[None, :] > 0, ffi[:, np.clip(lo - 1, 0, K - 1)], -1)
        valid_prev = (prev_i >= 0) & (prev_i >= (lo - w)[None, :])
        bfi = np.minimum.accumulate(np.where(nonempty, ar, K)[:, ::-1], axis=1)[:, ::-1]  # first non-empty >= k
        first_i = bfi[:, np.clip(lo, 0, K - 1)]
        valid_first = (first_i < hi[None, :]) & (lo[None, :] < K)
        v_last, t_last = _take(cells.last, last_i), _take(cells.tlast, last_i)
        v_base = np.where(valid_prev, _take(cells.last, prev_i), _take(cells.first, first_i))
        t_base = np.where(valid_prev, _take(cells.tlast, prev_i), _take(cells.tfirst, first_i))
        ok = valid_last & (valid_prev | valid_first) & (t_base < t_last)
        inc = v_last - v_base
        if stat == "increment":
            return np.where(ok, inc, np.nan)
        return np.where(ok, inc / np.where(ok, t_last - t_base, 1.0), np.nan)


def _take(arr: np.ndarray, idx: np.ndarray) -> np.ndarray:
    return np.take_along_axis(arr, np.clip(idx, 0, arr.shape[1] - 1), axis=1)


def _load(streams: Sequence[Stream], t0: float, t1: float) -> Iterator[Block]:
    by_loader: dict[int, tuple[Any, list[Stream]]] = {}
    for s in streams:
        by_loader.setdefault(id(s.loader), (s.loader, []))[1].append(s)
    for loader, members in by_loader.values():
        yield from loader.load(members, t0, t1)


def _compute(q: Query, groups, times: np.ndarray, step: int) -> np.ndarray:
    """(groups x times) values of the statistic (before any post-statistic grouping and predicate)."""
    G, T = len(groups), len(times)
    out = np.full((G, T), np.nan)
    if G == 0:
        return out
    g = math.gcd(q.interval, step) if step else q.interval
    g = max(MINUTE, g)
    back = _lookback(q)
    K = int(math.ceil((times[-1] - times[0] + back) / g))
    base = float(times[-1]) - K * g
    group_of: dict[int, int] = {}
    streams: list[Stream] = []
    for gi, (_dims, members) in enumerate(groups):
        for s in members:
            group_of[id(s)] = gi
            streams.append(s)
    singles = q.pre_group is None
    need_order = q.stat in ("rate", "increment", "absent")
    if q.stat == "percentile":
        return _percentiles(q, groups, streams, group_of, times, base, step)
    acc = None
    summed = q.stat in ("rate", "increment") and not singles
    filled = np.zeros((G, T), dtype=bool)
    for block in _load(streams, base, float(times[-1])):
        cells = _bin(block, base, g, K, need_order)
        gidx = np.array([group_of[id(s)] for s in block.streams], dtype=np.int64)
        if singles:
            out[gidx] = _stat_from_cells(q, cells, times, base, g, K)
        elif summed:
            vals = _stat_from_cells(q, cells, times, base, g, K)
            ok = ~np.isnan(vals)
            rows, starts, ug = _by_group(gidx)
            out[ug] = np.where(filled[ug], out[ug], 0.0) + np.add.reduceat(np.where(ok, vals, 0.0)[rows], starts, 0)
            filled[ug] |= np.logical_or.reduceat(ok[rows], starts, axis=0)
        else:
            acc = _merge_cells(acc, cells, gidx, G)
    if summed:
        out[~filled] = np.nan
    elif not singles and acc is not None:
        out = _stat_from_cells(q, acc, times, base, g, K)
    return out


def _percentiles(q: Query, groups, streams, group_of, times, base, step: int) -> np.ndarray:
    G, T = len(groups), len(times)
    out = np.full((G, T), np.nan)
    p = 100.0 * float(q.stat_arg or 0.5)
    t1 = float(times[-1])
    if q.pre_group is None:
        for block in _load(streams, base, t1):
            rows = np.array([group_of[id(s)] for s in block.streams], dtype=np.int64)
            out[rows] = _pct_rows(block.t, block.v, block.c, times, q.interval, p)
        return out
    raw: dict[int, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
    for block in _load(streams, base, t1):
        for r, s in enumerate(block.streams):
            m = block.c[r] > 0
            raw.setdefault(group_of[id(s)], []).append((block.t[m], block.v[r, m], block.c[r, m]))
    for gi, parts in raw.items():
        t = np.concatenate([a for a, _b, _c in parts])
        v = np.concatenate([b for _a, b, _c in parts])
        c = np.concatenate([c for _a, _b, c in parts])
        if q.interval == step and np.all(c == 1):
            out[gi] = _pct_partition(t, v, times, q.interval, p)
        else:
            o = np.argsort(t, kind="stable")
            out[gi] = _pct_rows(t[o], v[o][None, :], c[o][None, :], times, q.interval, p)[0]
    return out


def _pct_partition(t: np.ndarray, v: np.ndarray, times: np.ndarray, interval: int, p: float) -> np.ndarray:
    """Percentiles when the windows partition time (interval == spacing of `times`), all counts 1:
    one sort by (window, value), then numpy's linear interpolation per window, vectorized."""
    res = np.full(len(times), np.nan)
    j = np.searchsorted(times, t, side="left")
    ok = (j < len(times)) & (t > times[np.minimum(j, len(times) - 1)] - interval)
    j, v = j[ok], v[ok]
    if not len(v):
        return res
    order = np.lexsort((v, j))
    j, v = j[order], v[order]
    n = np.bincount(j, minlength=len(times))
    start = np.concatenate([[0], np.cumsum(n)[:-1]])
    has = n > 0
    rank = (p / 100.0) * (n[has] - 1)
    lo = np.floor(rank).astype(np.int64)
    hi = np.minimum(lo + 1, n[has] - 1)
    a, b = v[start[has] + lo], v[start[has] + hi]
    res[has] = a + (b - a) * (rank - lo)
    return res


def _pct_rows(t: np.ndarray, v: np.ndarray, c: np.ndarray, times: np.ndarray, interval: int, p: float) -> np.ndarray:
    rows = v.shape[0]
    res = np.full((rows, len(times)), np.nan)
    lo = np.searchsorted(t, times - interval, side="right")
    hi = np.searchsorted(t, times, side="right")
    unit = bool(np.all((c == 0) | (c == 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for j in range(len(times)):
            a, b = lo[j], hi[j]
            if a >= b:
                continue
            vv, cc = v[:, a:b], c[:, a:b]
            if unit:
                res[:, j] = np.nanpercentile(np.where(cc > 0, vv, np.nan), p, axis=1)
            else:
                for r in range(rows):
                    m = cc[r] > 0
                    if m.any():
                        res[r, j] = np.percentile(np.repeat(vv[r, m], cc[r, m].astype(np.int64)), p)
    return res


_COMBINE = {"mean": np.nanmean, "sum": np.nansum, "count": np.nansum, "max": np.nanmax, "min": np.nanmin,
            "rate": np.nansum, "increment": np.nansum, "absent": np.nanmax}


def _combine_after(q: Query, values: np.ndarray, post: list[list[int]]) -> np.ndarray:
    out = np.full((len(post), values.shape[1]), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for i, idx in enumerate(post):
            sub = values[idx]
            present = ~np.all(np.isnan(sub), axis=0)
            if q.stat == "percentile":
                comb = np.nanpercentile(sub, 100.0 * float(q.stat_arg or 0.5), axis=0)
            else:
                comb = _COMBINE[q.stat](sub, axis=0)
            out[i] = np.where(present, comb, np.nan)
    return out


def grid(start: float, end: float, step: int, max_points: int | None = None) -> np.ndarray:
    """Multiples of `step` (epoch-aligned) in [start, end); MqlLimit if there would be more than
    `max_points` of them (counted before anything is allocated)."""
    first = math.ceil(start / step) * step
    if first >= end:
        return np.zeros(0)
    n = int(math.ceil((end - first) / step))
    if max_points is not None and n > max_points:
        raise MqlLimit(f"The time range holds {n:,} timestamps at a resolution of {step:,} seconds; "
                       f"the maximum is {max_points:,}. Use a coarser resolution or a shorter time range")
    ts = first + step * np.arange(n, dtype=np.float64)
    return ts[ts < end]
