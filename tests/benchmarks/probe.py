"""One benchmark run inside a fresh console process (run by tests/benchmarks/__main__.py).

    python -m tests.benchmarks.probe large --config CFG --profile DEFAULT --compartment c0001 --out OUT.json
    python -m tests.benchmarks.probe charts --out OUT.json

`large`: the real main window against an external emulator holding a large tenancy: the whole
compartment tree, a 1,000-instance list, every RUNNING instance found through Resource Search,
five compartments walked, all 10,000 instances listed (peak RSS), a live 16-chart dashboard
refreshed (one groupBy query per chart, 1,440 points per series), with a 5 ms GUI heartbeat
recording the longest stall of each phase.
`huge`: the larger tenancy of `--large` (2,000 compartments, 50,000 instances): the whole tree, a
1,000-instance list and all instances through Resource Search, with stalls and peak RSS.
`dashboard`: only the live dashboard of `large` (to study its stalls).
`charts`: a 16-chart dashboard (one ChartGrid) refreshed with 1,440 points per series.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class Heartbeat:
    """A 5 ms timer on the GUI thread; the longest gap between ticks is the worst freeze felt."""

    def __init__(self, period_ms: int = 5):
        from ociconsole.gui.qt import QTimer
        self.timer = QTimer()
        self.timer.setInterval(period_ms)
        self.timer.timeout.connect(self._tick)
        self.last = None
        self.max_gap = 0.0

    def _tick(self):
        now = time.perf_counter()
        if self.last is not None:
            self.max_gap = max(self.max_gap, now - self.last)
        self.last = now

    def start(self):
        self.last, self.max_gap = None, 0.0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return self.max_gap * 1000.0


async def wait_for(cond, timeout: float = 120.0) -> None:
    end = time.perf_counter() + timeout
    while not cond():
        if time.perf_counter() > end:
            raise TimeoutError("benchmark step timed out")
        await asyncio.sleep(0.001)


async def large(args) -> dict:
    from ociconsole import catalog
    from ociconsole.core.config import find_profile
    from ociconsole.core.connection import connection_from_profile
    from ociconsole.gui.main_window import MainWindow
    from ociconsole.services.runtime import Session

    out: dict = {}
    hb = Heartbeat()
    profile = find_profile(args.config, args.profile)
    session = Session(connection_from_profile(profile))
    w = MainWindow()
    w.resize(1400, 900)
    w.show()

    # the identity client exists before the first request, as it does once the console has started
    await session.prefetch(["identity"])

    # 1. the whole compartment tree (one subtree request, paged)
    hb.start()
    calls = session.calls
    t = time.perf_counter()
    w.set_session(session, "bench")
    await wait_for(lambda: w.tree_model.subtree_loaded)
    out["tree_s"] = time.perf_counter() - t
    out["tree_requests"] = session.calls - calls - 1  # the tenancy record itself is one
    out["tree_compartments"] = len(w.tree_model.all_compartments()) - 1
    await wait_for(lambda: not w._restoring)
    out["tree_stall_ms"] = hb.stop()

    loads: list[tuple[str, int]] = []
    w.resources.loaded.connect(lambda k, n: loads.append((w.resources.compartment.id, n)))

    def loaded(comp_id: str, since: int) -> bool:
        return any(c == comp_id for c, _n in loads[since:])

    # the console loads the SDK packages of the other services in the background once the tree is
    # shown; a person's first click comes after that (measured, and waited for here)
    t = time.perf_counter()
    await wait_for(lambda: "compute" in session.prefetched, 60)
    out["sdk_prefetch_wait_s"] = time.perf_counter() - t

    # 2. the instance list of the compartment holding 1,000 instances
    target = next(c for c, _d in w.tree_model.all_compartments() if c.name == args.compartment)
    kind = catalog.kind("compute.instance")
    hb.start()
    calls = session.calls
    mark = len(loads)
    t = time.perf_counter()
    w.select(target.id, kind.id)
    await wait_for(lambda: w.resources.kind is kind and w.resources.compartment is not None
                   and w.resources.compartment.id == target.id and w.resources.model.rowCount() > 0)
    out["list_first_rows_s"] = time.perf_counter() - t
    await wait_for(lambda: loaded(target.id, mark))
    out["list_s"] = time.perf_counter() - t
    out["list_rows"] = w.resources.model.rowCount()
    out["list_requests"] = session.calls - calls
    w.resources.table.viewport().repaint()
    out["list_stall_ms"] = hb.stop()

    # 3. every RUNNING instance across the tenancy: one Resource Search query, paged
    hb.start()
    calls = session.calls
    t = time.perf_counter()
    done = []
    w.search.finished.connect(lambda n: done.append(n))
    w.search.search("query instance resources where lifeCycleState = 'RUNNING'")
    await wait_for(lambda: bool(done), 300)
    out["running_s"] = time.perf_counter() - t
    out["running_found"] = done[-1]
    out["running_requests"] = session.calls - calls
    out["running_stall_ms"] = hb.stop()

    # 4. walking five compartments' instance lists in the window
    names = [f"c{i:04d}" for i in range(2, 7)]
    comps = {c.name: c for c, _d in w.tree_model.all_compartments()}
    hb.start()
    t = time.perf_counter()
    for n in names:
        c = comps[n]
        mark = len(loads)
        w.select(c.id, kind.id)
        await wait_for(lambda c=c, mark=mark: loaded(c.id, mark))
    out["walk5_s"] = time.perf_counter() - t
    out["walk5_stall_ms"] = hb.stop()

    # 5. all 10,000 instances listed (search results table), then peak RSS
    done.clear()
    hb.start()
    t = time.perf_counter()
    w.search.search("query instance resources")
    await wait_for(lambda: bool(done), 300)
    out["all_instances_s"] = time.perf_counter() - t
    out["all_instances"] = done[-1]
    out["all_stall_ms"] = hb.stop()
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0

    # 6. a live 16-chart dashboard refreshed against the emulator: the compute agent's 8 metrics,
    # mean and max, one series per instance of a compartment, 24 h at the Auto interval (5 minutes,
    # as the OCI Console), then at 1 minute (1,440 points per series)
    out.update(await live_dashboard(session, w, comps[args.dashboard_compartment].id, hb))
    w.shutdown()
    session.close()
    return out


async def huge(args) -> dict:
    """The larger tenancy (`--large`: 2,000 compartments, 50,000 instances): the whole tree, a
    1,000-instance list and every instance listed through Resource Search; stalls and peak RSS."""
    from ociconsole import catalog
    from ociconsole.core.config import find_profile
    from ociconsole.core.connection import connection_from_profile
    from ociconsole.gui.main_window import MainWindow
    from ociconsole.services.runtime import Session

    out: dict = {}
    hb = Heartbeat()
    session = Session(connection_from_profile(find_profile(args.config, args.profile)))
    w = MainWindow()
    w.resize(1400, 900)
    w.show()
    await session.prefetch(["identity"])

    hb.start()
    calls = session.calls
    t = time.perf_counter()
    w.set_session(session, "bench")
    await wait_for(lambda: w.tree_model.subtree_loaded)
    out["tree_s"] = time.perf_counter() - t
    out["tree_requests"] = session.calls - calls - 1  # the tenancy record itself is one
    out["tree_compartments"] = len(w.tree_model.all_compartments()) - 1
    await wait_for(lambda: not w._restoring)
    out["tree_stall_ms"] = hb.stop()
    await wait_for(lambda: "compute" in session.prefetched, 60)

    loads: list[str] = []
    w.resources.loaded.connect(lambda k, n: loads.append(w.resources.compartment.id))
    target = next(c for c, _d in w.tree_model.all_compartments() if c.name == args.compartment)
    kind = catalog.kind("compute.instance")
    hb.start()
    t = time.perf_counter()
    w.select(target.id, kind.id)
    await wait_for(lambda: target.id in loads)
    out["list_s"] = time.perf_counter() - t
    out["list_rows"] = w.resources.model.rowCount()
    w.resources.table.viewport().repaint()
    out["list_stall_ms"] = hb.stop()

    done: list[int] = []
    w.search.finished.connect(lambda n: done.append(n))
    hb.start()
    t = time.perf_counter()
    w.search.search("query instance resources")
    await wait_for(lambda: bool(done), 600)
    out["all_instances_s"] = time.perf_counter() - t
    out["all_instances"] = done[-1]
    out["all_stall_ms"] = hb.stop()
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    w.shutdown()
    session.close()
    return out


AGENT_METRICS = ("CpuUtilization", "MemoryUtilization", "LoadAverage", "NetworksBytesIn", "NetworksBytesOut",
                 "DiskBytesRead", "DiskBytesWritten", "DiskIopsRead")


async def live_dashboard(session, window, compartment_id: str, hb: Heartbeat) -> dict:
    import dataclasses
    import tempfile
    from pathlib import Path

    from ociconsole.gui.dashboard import ChartQuery, Dashboard, DashboardStore, DashboardView

    charts_ = [ChartQuery(title=f"{m} {stat}", namespace="oci_computeagent", compartment_id=compartment_id,
                          metric=m, statistic=stat, group_by="resourceId")
               for m in AGENT_METRICS for stat in ("mean", "max")]
    with tempfile.TemporaryDirectory() as tmp:
        view = DashboardView(session, window, store=DashboardStore(Path(tmp)))
        view.resize(1400, 900)
        view.show()
        done: list[int] = []
        view.refreshed.connect(done.append)
        hb.start()
        t = time.perf_counter()
        view.set_dashboard(Dashboard("bench", charts_, range_seconds=86400, columns=4))  # makes the charts, loads
        await wait_for(lambda: bool(done), 120)
        open_seconds = time.perf_counter() - t
        view.grid.view.viewport().repaint()
        open_stall = hb.stop()
        await asyncio.sleep(0.5)
        done.clear()
        hb.start()
        t = time.perf_counter()
        view.refresh()  # the Refresh button (or auto-refresh) on the open dashboard
        await wait_for(lambda: bool(done), 120)
        seconds = time.perf_counter() - t
        drawn = done[-1]
        view.grid.view.viewport().repaint()
        stall = hb.stop()
        points = max((len(s[1]) for d in view.data if d is not None for s in d.series), default=0)
        errors = [d.error for d in view.data if d is not None and d.error]
        # the worst case: every chart at a 1-minute interval (1,440 points per series), opened and refreshed
        fine = [dataclasses.replace(c, interval="1m") for c in charts_]
        done.clear()
        view.set_dashboard(Dashboard("bench-1m", fine, range_seconds=86400, columns=4))
        await wait_for(lambda: bool(done), 120)
        await asyncio.sleep(0.5)
        done.clear()
        hb.start()
        t = time.perf_counter()
        view.refresh()
        await wait_for(lambda: bool(done), 120)
        fine_seconds = time.perf_counter() - t
        view.grid.view.viewport().repaint()
        fine_stall = hb.stop()
        fine_points = max((len(s[1]) for d in view.data if d is not None for s in d.series), default=0)
        errors += [d.error for d in view.data if d is not None and d.error]
        view.close()
    if errors:
        raise RuntimeError(f"dashboard charts failed: {errors[0]}")
    return {"dashboard_s": seconds, "dashboard_series": drawn, "dashboard_points": points,
            "dashboard_stall_ms": stall, "dashboard_open_s": open_seconds, "dashboard_open_stall_ms": open_stall,
            "dashboard_1m_s": fine_seconds, "dashboard_1m_stall_ms": fine_stall, "dashboard_1m_points": fine_points}


async def dashboard(args) -> dict:
    """Only the live 16-chart dashboard of `large` (its open and refreshes, with their stalls)."""
    from ociconsole.core.config import find_profile
    from ociconsole.core.connection import connection_from_profile
    from ociconsole.gui.main_window import MainWindow
    from ociconsole.services.runtime import Session

    session = Session(connection_from_profile(find_profile(args.config, args.profile)))
    w = MainWindow()
    w.resize(1400, 900)
    w.show()
    comps = await session.list_all("identity", "list_compartments", session.tenancy_id,
                                   compartment_id_in_subtree=True)
    target = next(c.id for c in comps if c.name == args.dashboard_compartment)
    await session.prefetch(["monitoring"])
    out = await live_dashboard(session, w, target, Heartbeat())
    w.shutdown()
    session.close()
    return out


async def charts(args) -> dict:
    import numpy as np

    from ociconsole.gui.charts import ChartGrid
    from ociconsole.gui.qt import QApplication

    grid = ChartGrid(columns=4)
    grid.resize(1600, 1000)
    grid.show()
    charts_ = [grid.add_chart(f"chart {i}", "%", (0, 100)) for i in range(16)]
    end = time.time()
    t0 = end - 86400
    times = np.arange(t0, end, 60.0)[:1440]
    rng = np.random.default_rng(1)
    series_per_chart = args.series
    QApplication.processEvents()
    samples = []
    for run in range(args.runs):
        data = [[(f"s{j}", times, 50 + 30 * np.sin(times / 5000 + j + run) + rng.random(len(times)) * 5)
                 for j in range(series_per_chart)] for _ in charts_]
        t = time.perf_counter()
        for chart, series in zip(charts_, data, strict=False):
            chart.set_series(series, (t0, end))
        grid.view.viewport().repaint()  # draw now, as the screen would
        samples.append((time.perf_counter() - t) * 1000.0)
    return {"refresh_ms": samples, "points_per_series": len(times), "series_per_chart": series_per_chart}


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("scenario", choices=["large", "huge", "dashboard", "charts"])
    p.add_argument("--config")
    p.add_argument("--profile", default="DEFAULT")
    p.add_argument("--compartment", default="c0001")
    p.add_argument("--dashboard-compartment", default="c0002")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--series", type=int, default=1)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    import qasync

    from ociconsole.gui.qt import QApplication
    app = QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    fn = {"large": large, "huge": huge, "dashboard": dashboard, "charts": charts}[args.scenario]
    with loop:
        result = loop.run_until_complete(fn(args))
    with open(args.out, "w") as f:
        json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
