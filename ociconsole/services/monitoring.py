"""Monitoring: metric queries (MQL), metric listing and posting, alarms."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.sdk import models as sdk_models
from .runtime import Session

if TYPE_CHECKING:  # numpy itself is imported where the arrays are made (not at start-up)
    import numpy as np
    import numpy.typing as npt

models = sdk_models("monitoring")

# OCI's query intervals and how much history each may span in one query
INTERVALS = ["1m", "5m", "1h", "1d"]
STATISTICS = ["mean", "max", "min", "sum", "count", "rate", "p50", "p90", "p95", "p99"]


@dataclass
class Series:
    """One stream of a query result: a label and numpy arrays of epoch seconds and values."""

    name: str
    dimensions: dict
    times: npt.NDArray[np.float64]  # epoch seconds
    values: npt.NDArray[np.float64]

    @property
    def label(self) -> str:
        d = self.dimensions
        return d.get("resourceDisplayName") or d.get("resourceId") or ", ".join(f"{k}={v}" for k, v in d.items()) \
            or self.name


def auto_interval(span: float) -> str:
    """The interval for a time range, as the OCI Console's "Auto": 1 minute up to 6 hours, 5 minutes
    below 36 hours (288 points for a day), 1 hour beyond (168 points for a week)."""
    if span <= 6 * 3600:
        return "1m"
    if span < 36 * 3600:
        return "5m"
    return "1h"


def statistic_call(statistic: str) -> str:
    """`mean()` / `percentile(0.95)` from a short statistic name."""
    if statistic.startswith("p") and statistic[1:].isdigit():
        return f"percentile(0.{statistic[1:]})"
    return f"{statistic}()"


def mql(metric: str, interval: str, statistic: str, dimensions: dict | None = None,
        group_by: list[str] | None = None, predicate: str = "") -> str:
    """Build an MQL query: Metric[interval]{dim = "v", ...}.groupBy(...).statistic() <predicate>."""
    q = f"{metric}[{interval}]"
    if dimensions:
        parts = []
        for k, v in dimensions.items():
            if isinstance(v, (list, tuple)):
                parts.append(f'{k} =~ "{"|".join(str(x) for x in v)}"')
            else:
                parts.append(f'{k} = "{v}"')
        q += "{" + ", ".join(parts) + "}"
    if group_by:
        q += f".groupBy({', '.join(group_by)})"
    q += "." + statistic_call(statistic)
    if predicate:
        q += f" {predicate}"
    return q


def _utc(t) -> _dt.datetime:
    if isinstance(t, (int, float)):
        return _dt.datetime.fromtimestamp(t, tz=_dt.UTC)
    return t


async def summarize(session: Session, compartment_id: str, namespace: str, query: str, start, end,
                    resolution: str | None = None, in_subtree: bool = False) -> list[Series]:
    details = models.SummarizeMetricsDataDetails(namespace=namespace, query=query, start_time=_utc(start),
                                                 end_time=_utc(end), resolution=resolution)
    resp = await session.call("monitoring", "summarize_metrics_data", compartment_id, details,
                              compartment_id_in_subtree=in_subtree, lazy="bytes", post=_to_series)
    return resp.data


def _to_series(raw: bytes) -> list[Series]:
    """The answer's streams as numpy arrays, made on the worker thread and, for a large answer, in the
    offload helper process (core.offload): 16 charts of 15 streams of 1,440 points took 300 ms of the GUI
    thread when converted there, and ~20 ms of the GIL each on a worker thread."""
    from ..core import offload
    return [Series(*s) for s in offload.run("ociconsole.services.metric_decode:series", raw)]


async def list_metrics(session: Session, compartment_id: str, namespace: str | None = None, name: str | None = None,
                       group_by: list[str] | None = None, dimension_filters: dict | None = None,
                       in_subtree: bool = False) -> list:
    details = models.ListMetricsDetails(namespace=namespace, name=name, group_by=group_by,
                                        dimension_filters=dimension_filters)
    return await session.list_all("monitoring", "list_metrics", compartment_id, details,
                                  compartment_id_in_subtree=in_subtree)


async def post_metric_data(session: Session, metric_data: list, atomic: bool = True):
    details = models.PostMetricDataDetails(metric_data=metric_data,
                                           batch_atomicity="ATOMIC" if atomic else "NON_ATOMIC")
    return await session.data("monitoring", "post_metric_data", details)


async def list_alarms(session: Session, compartment_id: str, in_subtree: bool = False) -> list:
    return await session.list_all("monitoring", "list_alarms", compartment_id, compartment_id_in_subtree=in_subtree)


async def list_alarms_status(session: Session, compartment_id: str, in_subtree: bool = False) -> list:
    return await session.list_all("monitoring", "list_alarms_status", compartment_id,
                                  compartment_id_in_subtree=in_subtree)


async def get_alarm(session: Session, alarm_id: str):
    return await session.data("monitoring", "get_alarm", alarm_id)


async def delete_alarm(session: Session, alarm_id: str) -> None:
    await session.call("monitoring", "delete_alarm", alarm_id)


async def update_alarm(session: Session, alarm_id: str, details):
    return await session.data("monitoring", "update_alarm", alarm_id, details)


async def alarm_history(session: Session, alarm_id: str, transitions_only: bool = True) -> list:
    kind = "STATE_TRANSITION_HISTORY" if transitions_only else "STATE_HISTORY"
    coll = await session.data("monitoring", "get_alarm_history", alarm_id, alarm_historytype=kind)
    return list(coll.entries or [])


async def suppress_alarm(session: Session, alarm, until: _dt.datetime, description: str = ""):
    """Suppress an alarm's notifications until `until` (OCI: an alarm-level suppression)."""
    details = models.UpdateAlarmDetails(suppression=models.Suppression(
        description=description or "Suppressed from ociconsole", time_suppress_from=_dt.datetime.now(_dt.UTC),
        time_suppress_until=until))
    return await session.data("monitoring", "update_alarm", alarm.id, details)


async def remove_suppression(session: Session, alarm_id: str) -> None:
    await session.call("monitoring", "remove_alarm_suppression", alarm_id)


# ---------------------------------------------------------------- pacing (dashboards, reports)

MAX_CONCURRENT_QUERIES = 4  # metric queries in flight at once, per tenancy
QUERIES_PER_SECOND = 10  # OCI: SummarizeMetricsData is limited to 10 requests per second per tenancy


class QueryPacer:
    """At most `concurrent` metric queries in flight and `per_second` started in any second.

    One per tenancy (and event loop): every dashboard, report and alarm check of a window shares it,
    so a 16-chart refresh never floods the service (OCI answers 429 beyond 10 queries/s)."""

    def __init__(self, concurrent: int = MAX_CONCURRENT_QUERIES, per_second: int = QUERIES_PER_SECOND):
        import asyncio
        from collections import deque
        self.concurrent, self.per_second = concurrent, per_second
        self._sem = asyncio.Semaphore(concurrent)
        self._starts: deque[float] = deque()
        self.in_flight = 0
        self.peak = 0  # the most queries seen in flight at once (diagnostics, tests)

    async def __aenter__(self):
        import asyncio
        import time
        await self._sem.acquire()
        try:
            while True:
                now = time.monotonic()
                while self._starts and now - self._starts[0] >= 1.0:
                    self._starts.popleft()
                if len(self._starts) < self.per_second:
                    break
                await asyncio.sleep(1.0 - (now - self._starts[0]) + 0.002)
            self._starts.append(time.monotonic())
        except BaseException:
            self._sem.release()
            raise
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        return self

    async def __aexit__(self, *_exc):
        self.in_flight -= 1
        self._sem.release()


_pacers: dict[tuple[str, int], QueryPacer] = {}


def pacer(session: Session) -> QueryPacer:
    """The query pacer of `session`'s tenancy on the running event loop."""
    import asyncio
    key = (session.tenancy_id, id(asyncio.get_running_loop()))
    p = _pacers.get(key)
    if p is None:
        if len(_pacers) > 32:  # loops come and go in tests: forget the old ones
            _pacers.clear()
        p = _pacers[key] = QueryPacer()
    return p


async def summarize_paced(session: Session, compartment_id: str, namespace: str, query: str, start, end,
                          resolution: str | None = None, in_subtree: bool = False) -> list[Series]:
    """`summarize` through the tenancy's QueryPacer."""
    async with pacer(session):
        return await summarize(session, compartment_id, namespace, query, start, end, resolution, in_subtree)


async def list_metrics_paced(session: Session, compartment_id: str, **kwargs) -> list:
    async with pacer(session):
        return await list_metrics(session, compartment_id, **kwargs)


async def namespaces(session: Session, compartment_id: str, in_subtree: bool = False) -> list[str]:
    """The metric namespaces with data in the compartment (ListMetrics grouped by namespace)."""
    ms = await list_metrics_paced(session, compartment_id, group_by=["namespace"], in_subtree=in_subtree)
    return sorted({m.namespace for m in ms if m.namespace})


async def metric_names(session: Session, compartment_id: str, namespace: str, in_subtree: bool = False) -> list[str]:
    ms = await list_metrics_paced(session, compartment_id, namespace=namespace, group_by=["name"],
                                  in_subtree=in_subtree)
    return sorted({m.name for m in ms if m.name})


async def metric_streams(session: Session, compartment_id: str, namespace: str, name: str | None = None,
                         in_subtree: bool = False) -> list:
    """Every stream of a metric (ListMetrics): its compartment and dimensions."""
    return await list_metrics_paced(session, compartment_id, namespace=namespace, name=name, in_subtree=in_subtree)


# ---------------------------------------------------------------- alarms (console)

async def create_alarm(session: Session, details, retry_token: str):
    return await session.data("monitoring", "create_alarm", details, opc_retry_token=retry_token)


async def set_alarm_enabled(session: Session, alarm_id: str, enabled: bool):
    return await update_alarm(session, alarm_id, models.UpdateAlarmDetails(is_enabled=enabled))


async def dimension_states(session: Session, alarm_id: str) -> list:
    data = await session.data("monitoring", "retrieve_dimension_states", alarm_id)
    return list(data.items or [])


async def firing_alarms(session: Session) -> list:
    """Alarm statuses FIRING anywhere in the tenancy (one call; the status bar's badge)."""
    return await session.list_all("monitoring", "list_alarms_status", session.tenancy_id,
                                  compartment_id_in_subtree=True, status="FIRING")
