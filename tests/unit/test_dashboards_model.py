"""The dashboard model below the GUI (services/dashboards.py, no Qt): charts and their MQL, the JSON
files of the store (save, load, rename, delete, a template never duplicated), time ranges and the
"Auto" interval, and the query planner against the emulator's monitoring service."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest

from ociconsole.core.connection import connection_for_emulator
from ociconsole.services import dashboards as dsvc
from ociconsole.services import identity as idsvc
from ociconsole.services.dashboards import ChartQuery, Dashboard, DashboardStore, cpu_template
from ociconsole.services.monitoring import auto_interval
from ociconsole.services.runtime import Session

T = "ocid1.tenancy.oc1..t"


def test_the_model_imports_no_qt_and_the_gui_reads_the_same_names():
    from ociconsole.gui import dashboard as gui_dashboard
    assert gui_dashboard.ChartQuery is ChartQuery and gui_dashboard.DashboardStore is DashboardStore
    code = ("import sys, ociconsole.services.dashboards; "
            "print(any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- MQL of builder-made charts

def test_builder_mql_interval_filters_grouping_and_statistic():
    c = ChartQuery("cpu", "oci_computeagent", T, metric="CpuUtilization", group_by="resourceId")
    assert c.mql("1m") == "CpuUtilization[1m].groupBy(resourceId).mean()"
    assert c.mql("5m") == "CpuUtilization[5m].groupBy(resourceId).mean()"  # "auto" follows the range
    c.interval = "1h"  # a chosen interval wins over the range's
    assert c.mql("1m") == "CpuUtilization[1h].groupBy(resourceId).mean()"
    c = ChartQuery("m", "oci_computeagent", T, metric="MemoryUtilization", statistic="p95", group_by="*",
                   dimensions={"shape": "VM.Standard.E4.Flex", "name": 'say "hi" \\ there'})
    assert c.mql("1m") == ('MemoryUtilization[1m]{shape = "VM.Standard.E4.Flex", name = "say \\"hi\\" \\\\ there"}'
                           '.grouping().percentile(0.95)')
    assert dsvc.check_query(c.mql("1m")) is None
    c = ChartQuery("n", "ns", T, metric="NetworksBytesIn", statistic="")
    assert c.mql("1m") == "NetworksBytesIn[1m].mean()"  # no grouping: one series per stream


def test_raw_mql_is_used_as_typed_and_read_for_metrics_and_grouping():
    c = ChartQuery("q", "ns", T, metric="Ignored", query="  CpuUtilization[1m].groupBy(resourceId).max()  ")
    assert c.is_raw and c.mql("1h") == "CpuUtilization[1m].groupBy(resourceId).max()"
    assert c.metric_names() == ["CpuUtilization"] and c.groups_by_resource()
    both = ChartQuery("q", "ns", T, query="B[1m].mean() || A[1m].grouping().mean()")
    assert both.metric_names() == ["A", "B"] and not both.groups_by_resource()
    bad = ChartQuery("q", "ns", T, query="CpuUtilization[1m].meen()")
    assert bad.metric_names() == [] and not bad.groups_by_resource()
    err = dsvc.check_query(bad.query)
    assert err is not None and err.column == 20 and "unknown function 'meen'" in str(err)
    assert dsvc.check_query(None) is not None  # never raises


def test_units_follow_the_metric_unless_set():
    assert ChartQuery("c", "n", T, metric="CpuUtilization").unit_and_range() == ("%", (0.0, 100.0))
    assert ChartQuery("c", "n", T, metric="NetworksBytesIn").unit_and_range() == ("B/min", None)
    assert ChartQuery("c", "n", T, metric="CpuUtilization", statistic="count").unit_and_range() == ("", None)
    assert ChartQuery("c", "n", T, metric="DiskIops", unit="%").unit_and_range() == ("%", None)
    assert ChartQuery("c", "n", T, metric="CpuUtilization", unit="ms").unit_and_range() == ("ms", None)


# ---------------------------------------------------------------- time ranges and "Auto"

def test_time_ranges_end_now_and_auto_intervals_keep_the_points_few():
    assert dsvc.time_window(3600, now=10_000.0) == (6400.0, 10_000.0)
    start, end = dsvc.time_window(6 * 3600)
    assert end - start == 6 * 3600
    assert dsvc.time_window(None, now=5000.0) == (1400.0, 5000.0)
    autos = {label: auto_interval(secs) for label, secs in dsvc.RANGES}
    assert autos == {"Last hour": "1m", "Last 6 hours": "1m", "Last 24 hours": "5m", "Last 7 days": "1h"}
    assert [v for _l, v in dsvc.INTERVALS] == ["auto", "1m", "5m", "1h", "1d"]
    c = ChartQuery("cpu", "n", T, metric="CpuUtilization")
    assert c.mql(auto_interval(7 * 86400)) == "CpuUtilization[1h].mean()"


# ---------------------------------------------------------------- the JSON files

def test_json_round_trip_and_defaults():
    d = cpu_template("ocid1.compartment.oc1..p", "Production")
    assert d.name == "CPU across instances of Production" and d.columns == 1 and d.range_seconds == 6 * 3600
    assert [c.metric for c in d.charts] == ["CpuUtilization", "MemoryUtilization"]
    assert d.charts[0].threshold == 80.0 and d.charts[0].group_by == "resourceId" and d.charts[0].in_subtree
    again = Dashboard.from_json(json.loads(json.dumps(d.to_json())))
    assert again.to_json() == d.to_json() and again.charts == d.charts
    saved = d.to_json()["charts"][1]
    assert "threshold" not in saved and "query" not in saved and saved["title"]  # empty fields left out
    old = Dashboard.from_json({"name": "x", "columns": 9, "charts": [{"title": "t", "namespace": "n",
                                                                      "compartment_id": T, "threshold": "5",
                                                                      "dimensions": {"a": 1}, "unknown": 1}]})
    assert old.columns == 4 and old.auto_refresh == 60 and old.range_seconds == 3600
    assert old.charts[0].threshold == 5.0 and old.charts[0].dimensions == {"a": "1"}
    assert Dashboard.from_json({"name": "off", "autoRefresh": 0}).auto_refresh == 0
    with pytest.raises(ValueError):
        Dashboard.from_json({"charts": "nope"})
    with pytest.raises(ValueError):
        Dashboard.from_json(["not", "a", "dict"])


def test_store_saves_lists_renames_and_deletes(tmp_path):
    store = DashboardStore(tmp_path / "dashboards")
    assert store.list() == [] and store.names() == []  # the directory is made on the first save
    a = Dashboard("Web / API: latency", [ChartQuery("c", "n", T, metric="CpuUtilization")])
    path = store.save(a)
    assert path == tmp_path / "dashboards" / "web-api-latency.json" and a.path == path
    assert not list(path.parent.glob("*.tmp"))  # written atomically
    b = Dashboard(store.unique_name("Web / API: latency"))
    assert b.name == "Web / API: latency (2)"
    store.save(b)
    assert b.path.name == "web-api-latency-2.json"  # same stem: its own file
    assert store.names() == ["Web / API: latency", "Web / API: latency (2)"]
    (path.parent / "broken.json").write_text("{not json")
    (path.parent / "notes.txt").write_text("ignored")
    assert len(store.list()) == 2  # unreadable files are left out

    loaded = store.open("Web / API: latency")
    assert loaded is not None and loaded.charts == a.charts and loaded.path == path
    assert store.open("nothing") is None

    store.rename(a, "  Latency  ")
    assert a.name == "Latency" and a.path.name == "latency.json" and not path.exists()
    assert store.load(a.path).name == "Latency"
    with pytest.raises(ValueError, match="already exists"):
        store.rename(a, "Web / API: latency (2)")
    with pytest.raises(ValueError, match="needs a name"):
        store.rename(a, "   ")
    store.rename(a, "Latency")  # its own name: kept
    assert a.path.exists()

    store.delete(a)
    assert a.path is None and store.names() == ["Web / API: latency (2)"]
    store.delete(a)  # twice: nothing to do
    store.delete(Dashboard("never saved"))


def test_the_cpu_template_is_not_duplicated(tmp_path):
    store = DashboardStore(tmp_path)
    first, made = store.ensure(cpu_template("ocid1.compartment.oc1..p", "Production"))
    assert made and first.path is not None
    first.range_seconds = 86400
    store.save(first)
    again, made = store.ensure(cpu_template("ocid1.compartment.oc1..p", "Production"))
    assert not made and again.path == first.path and again.range_seconds == 86400  # the one made before
    assert store.names() == ["CPU across instances of Production"]
    other, made = store.ensure(cpu_template(T, "the tenancy"))
    assert made and len(store.names()) == 2


# ---------------------------------------------------------------- the query planner, against the emulator

@pytest.fixture
def session(emulator):
    s = Session(connection_for_emulator(emulator.client_config(), emulator.base_url))
    yield s
    s.close()


def test_fetch_chart_one_query_per_compartment_and_series_by_display_name(session):
    calls: list[tuple[str, str]] = []
    session.on_call(lambda service, method: calls.append((service, method)))

    async def run():
        tree = await idsvc.compartment_tree(session)
        prod = next(c for cs in tree.values() for c in cs if c.name == "Production")
        qctx = dsvc.QueryContext(session)
        pairs = await dsvc.compartment_pairs(session)
        start, end = dsvc.time_window(3600)
        sub = await dsvc.fetch_chart(qctx, cpu_template(prod.id, "Production").charts[0], start, end)
        summaries = [m for _s, m in calls if m == "summarize_metrics_data"]
        calls.clear()
        root = await dsvc.fetch_chart(qctx, cpu_template(session.tenancy_id, "the tenancy").charts[0], start, end)
        root_summaries = [m for _s, m in calls if m == "summarize_metrics_data"]
        bad = await dsvc.fetch_chart(qctx, ChartQuery("x", "oci_computeagent", prod.id, query="Cpu[1m].meen()"),
                                     start, end)
        no_ns = await dsvc.fetch_chart(qctx, ChartQuery("x", "", prod.id, metric="CpuUtilization"), start, end)
        return prod, pairs, sub, summaries, root, root_summaries, bad, no_ns

    prod, pairs, sub, summaries, root, root_summaries, bad, no_ns = asyncio.run(run())
    assert pairs[0] == (pairs[0][0], 0) and pairs[0][0].id == session.tenancy_id
    assert any(c.id == prod.id for c, depth in pairs if depth >= 1)
    assert sub.error is None and sub.query == "CpuUtilization[1m].groupBy(resourceId).mean()"
    labels = [label for label, _t, _v in sub.series]
    assert labels == sorted(labels, key=str.lower) and "api-01" in labels
    assert not any(label.startswith("ocid1.") or label.startswith("…") for label in labels)  # display names
    assert 1 <= len(summaries) < len(labels)  # one query per compartment holding instances, never per instance
    assert root.error is None and len(root_summaries) == 1  # the tenancy: one query for its whole subtree
    assert set(labels) <= {label for label, _t, _v in root.series}
    assert bad.error and bad.error_column == 9 and bad.series == []  # refused before any call
    assert no_ns.error == "Choose a metric namespace"
