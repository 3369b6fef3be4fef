"""Dashboards against the emulator's monitoring service: built in the chart builder (one series
per instance, by display name), raw MQL with its errors inline (client-side and the service's),
saved and reopened in a new window, exported, refreshed programmatically (the benchmark's API)."""

from __future__ import annotations

import csv
import json

import pytest

from ociconsole.gui.dashboard import ChartDialog, ChartQuery, Dashboard, DashboardStore, DashboardView
from ociconsole.gui.main_window import MainWindow
from ociconsole.gui.qt import QImage
from ociconsole.services import monitoring as mon

from .helpers import click, open_tree_path, pick, retype

PRODUCTION_INSTANCES = ["analytics-bm", "api-01", "etl-01", "web-01", "web-02"]  # running, in its subtree


@pytest.fixture
def window(qtbot, aloop, session):
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=15_000):
        w.set_session(session, "demo")
    yield w
    w.close()


def summarize_calls(session) -> list[str]:
    calls: list[str] = []
    session.on_call(lambda service, method: method == "summarize_metrics_data" and calls.append(method))
    return calls


def chart_dialog(qtbot, view: DashboardView) -> ChartDialog:
    qtbot.waitUntil(lambda: isinstance(view._dialog, ChartDialog) and view._dialog.isVisible(), timeout=10_000)
    dlg = view._dialog
    qtbot.waitUntil(lambda: not dlg.busy and dlg.metric_box.count() > 0, timeout=10_000)
    return dlg


def test_cpu_of_every_instance_of_a_compartment_built_in_the_builder(qtbot, window, session):
    open_tree_path(qtbot, window, "Production")
    window.monitoring.dashboards_action.trigger()
    view = window.centre.currentWidget()
    assert isinstance(view, DashboardView) and view.isVisible()
    assert window.splitter.sizes()[2] == 0  # a wide view: the details pane makes room
    view.new_dashboard("Production CPU")
    click(qtbot, view.add_button)
    dlg = chart_dialog(qtbot, view)
    assert dlg.compartment_box.currentText() == "Production" and dlg.subtree.isChecked()
    pick(qtbot, dlg.namespace_box, "oci_computeagent")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    pick(qtbot, dlg.metric_box, "CpuUtilization")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    # dimension filters: keys and values come from the metric's streams
    row = dlg.add_filter_row()
    keys = [row.key.itemText(i) for i in range(row.key.count())]
    assert {"resourceId", "resourceDisplayName", "availabilityDomain", "shape"} <= set(keys)
    pick(qtbot, row.key, "shape")
    values = [row.value.itemText(i) for i in range(row.value.count())]
    assert "VM.Standard.E4.Flex" in values
    click(qtbot, row.remove)
    assert dlg.filter_rows == []
    pick(qtbot, dlg.group_by, "Resource (resourceId)")
    dlg.threshold_on.setChecked(True)
    retype(qtbot, dlg.threshold, "80")
    retype(qtbot, dlg.title, "CPU of Production")
    assert dlg.generated.text() == "CpuUtilization[1m].groupBy(resourceId).mean()"
    calls = summarize_calls(session)
    with qtbot.waitSignal(view.refreshed, timeout=15_000):
        click(qtbot, dlg.ok_button)
    # one series per instance, named by display name; one query per compartment that has instances
    assert view.series_labels(0) == PRODUCTION_INSTANCES
    assert 1 <= len(calls) <= 3 < len(PRODUCTION_INSTANCES)
    chart = view.grid.charts[0]
    assert chart.title == "CPU of Production" and chart.threshold is not None and chart.threshold.value() == 80
    t, v = chart.data["api-01"]
    assert 55 <= len(t) <= 61 and v.mean() > 70  # the last hour, per minute: api-01 runs hot
    saved = json.loads(view.dashboard.path.read_text())
    assert saved["charts"][0]["group_by"] == "resourceId" and saved["charts"][0]["threshold"] == 80.0
    # the whole tenancy: ONE query for all of its instances
    view.edit_chart(0)
    dlg = chart_dialog(qtbot, view)
    assert dlg.ok_button.text() == "Save chart" and dlg.group_by.currentData() == "resourceId"
    pick(qtbot, dlg.compartment_box, "acme-corp")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    calls.clear()
    with qtbot.waitSignal(view.refreshed, timeout=15_000):
        click(qtbot, dlg.ok_button)
    assert len(calls) == 1
    assert {"alice-dev", "bastion", "api-01", "jenkins"} <= set(view.series_labels(0))


def test_raw_mql_errors_are_shown_inline(qtbot, window, session):
    window.monitoring.dashboards_action.trigger()
    view = window.centre.currentWidget()
    view.new_dashboard("MQL")
    view.range_combo.setCurrentIndex(view.range_combo.findData(7 * 86400))
    click(qtbot, view.add_button)
    dlg = chart_dialog(qtbot, view)
    pick(qtbot, dlg.compartment_box, "acme-corp")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    dlg.mode_mql.setChecked(True)
    assert dlg.mql.toPlainText() == "CpuUtilization[1h].groupBy(resourceId).mean()"  # the builder's, to start from
    # a syntax error: shown as you type, at its column, with a caret; the chart cannot be added
    retype(qtbot, dlg.mql, 'CpuUtilization[1m]{shape = "VM.Standard.E4.Flex"}.groupBy(resourceId).meen()')
    assert "column 71: unknown function 'meen'" in dlg.error_text()
    assert dlg.caret.text().splitlines()[1] == " " * 70 + "^"
    assert not dlg.ok_button.isEnabled() and not dlg.preview_button.isEnabled()
    # well formed, but the service refuses it (a week at one minute for every instance: over 100,000 points)
    retype(qtbot, dlg.mql, "CpuUtilization[1m].mean()")
    assert dlg.error_text() == "" and dlg.ok_button.isEnabled()
    with qtbot.waitSignal(dlg.previewed, timeout=15_000) as sig:
        click(qtbot, dlg.preview_button)
    assert sig.args[0].error and "100,000 datapoints" in sig.args[0].error
    assert "100,000 datapoints" in dlg.error_text()
    # the same error shows on the chart itself when added anyway
    with qtbot.waitSignal(view.refreshed, timeout=15_000):
        click(qtbot, dlg.ok_button)
    assert "100,000 datapoints" in view.chart_error(0)
    assert "100,000" in view.grid.charts[0].empty.toPlainText().replace("\n", " ")
    assert view.chart_list.item(0).toolTip().startswith("CpuUtilization[1m].mean()")
    # a query the service accepts
    view.edit_chart(0)
    dlg = chart_dialog(qtbot, view)
    assert dlg.mode_mql.isChecked()
    retype(qtbot, dlg.mql, 'CpuUtilization[1h]{resourceDisplayName =~ "web-*"}.groupBy(resourceId).max()')
    with qtbot.waitSignal(view.refreshed, timeout=15_000):
        click(qtbot, dlg.ok_button)
    assert view.chart_error(0) is None and view.series_labels(0) == ["web-01", "web-02"]


def test_saved_dashboard_reopens_in_a_new_window(qtbot, window, session, tmp_path):
    open_tree_path(qtbot, window, "Production")
    # Monitoring > "CPU across all instances of Production": a new dashboard in two clicks
    window.monitoring.menu.aboutToShow.emit()
    assert window.monitoring.template_action.text() == "CPU across all instances of Production"
    window.monitoring.template_action.trigger()
    view = window.centre.currentWidget()
    qtbot.waitUntil(lambda: view.last_refresh_seconds is not None, timeout=15_000)
    assert view.dashboard.name == "CPU across instances of Production"
    assert view.series_labels(0) == PRODUCTION_INSTANCES
    view.range_combo.setCurrentIndex(view.range_combo.findData(24 * 3600))
    view.columns.setValue(2)
    view.move_chart(1, -1)
    titles = [c.title for c in view.dashboard.charts]
    assert titles[0].startswith("Memory utilization")
    # a second dashboard, renamed; the list offers both
    view.new_dashboard()
    assert view.rename("Scratch") and view.store.names() == ["CPU across instances of Production", "Scratch"]
    assert not view.rename("CPU across instances of Production")  # taken
    with qtbot.waitSignal(view.refreshed, timeout=15_000):  # the remaining one opens
        view.delete()
    assert view.store.names() == ["CPU across instances of Production"]
    assert view.dashboard.name == "CPU across instances of Production"
    # PNG of the dashboard: not blank
    png = tmp_path / "d.png"
    assert view.export("png", str(png))
    img = QImage(str(png))
    assert img.width() > 600 and img.height() > 200
    colours = {img.pixel(x, y) for x in range(0, img.width(), 7) for y in range(0, img.height(), 7)}
    assert len(colours) > 20
    csv_path = tmp_path / "d.csv"
    assert view.export("csv", str(csv_path))
    rows = list(csv.reader(open(csv_path, encoding="utf-8")))
    # two charts of every instance, 24 hours at the Auto interval (5 minutes)
    assert len(rows) > 2 * len(PRODUCTION_INSTANCES) * 280 and {r[1] for r in rows[1:]} == set(PRODUCTION_INSTANCES)
    window.close()

    w2 = MainWindow()
    qtbot.addWidget(w2)
    w2.show()
    with qtbot.waitSignal(w2.ready, timeout=15_000):
        w2.set_session(session, "demo")
    w2.monitoring.dashboards_action.trigger()
    v2 = w2.centre.currentWidget()
    assert isinstance(v2, DashboardView) and v2 is not view
    assert v2.dashboard.name == "CPU across instances of Production"
    assert [c.title for c in v2.dashboard.charts] == titles
    assert v2.range_combo.currentData() == 24 * 3600 and v2.columns.value() == 2
    qtbot.waitUntil(lambda: v2.last_refresh_seconds is not None, timeout=15_000)
    assert v2.series_labels(1) == PRODUCTION_INSTANCES
    t, _v = v2.grid.charts[1].data["web-01"]
    assert 286 <= len(t) <= 289  # 24 hours at the Auto interval, 5 minutes as in the OCI Console
    assert [v2.chooser.itemText(i) for i in range(v2.chooser.count())] == ["CPU across instances of Production"]
    w2.close()


def test_sixteen_charts_refreshed_programmatically(qtbot, aloop, session, tmp_path):
    """The benchmark's path: a 16-chart dashboard, 24 hours per minute, refreshed through the API."""
    from ociconsole.gui import aio
    from ociconsole.services import identity as idsvc
    task = aio.spawn(idsvc.compartment_tree(session))
    qtbot.waitUntil(task.done, timeout=10_000)
    frontend = next(c.id for cs in task.result().values() for c in cs if c.name == "Frontend")  # web-01, web-02
    metrics = ["CpuUtilization", "MemoryUtilization", "LoadAverage", "NetworksBytesIn"]
    charts = [ChartQuery(title=f"{m} {i}", namespace="oci_computeagent", compartment_id=frontend,
                         metric=m, group_by="resourceId", interval="1m") for i in range(4) for m in metrics]
    view = DashboardView(session, store=DashboardStore(tmp_path / "dashboards"))
    qtbot.addWidget(view)
    view.resize(1200, 900)
    view.show()
    calls = summarize_calls(session)
    aio.spawn(_raise_pacer_rate(session))  # the 10/s pacing is tested below; here the refresh itself
    view.set_dashboard(Dashboard("bench", charts, range_seconds=24 * 3600, columns=4))
    qtbot.waitUntil(lambda: view.last_refresh_seconds is not None, timeout=30_000)
    first = view.last_refresh_seconds
    calls.clear()
    refresh = view.refresh()
    with qtbot.waitSignal(view.refreshed, timeout=30_000) as sig:
        pass
    assert refresh.done() and refresh.result() == sig.args[0] == 16 * 2
    assert len(calls) == 16  # one query per chart; the display names are cached
    assert mon.pacer(session).peak <= mon.MAX_CONCURRENT_QUERIES
    for chart in view.grid.charts:
        assert sorted(chart.data) == ["web-01", "web-02"]
        assert all(1430 <= len(t) <= 1441 for t, _v in chart.data.values())
    assert view.last_refresh_seconds < 30 and first < 30
    # a day at 1 minute in a quarter-width chart is a continuous line, not a dotted one
    from .test_charts import columns_without_the_curve
    memory = view.grid.charts[1]
    # the first series alone: where the other crosses it, drawn after it, it covers the first one's pixels
    for label, curve in memory.curves.items():
        curve.setVisible(label == "web-01")
    assert memory.title == "MemoryUtilization 0" and not columns_without_the_curve(view.grid, memory)
    view.shutdown()


async def _raise_pacer_rate(session) -> None:
    mon.pacer(session).per_second = 1000


def test_query_pacer_keeps_to_a_few_in_flight_and_the_rate_limit():
    import asyncio
    import time

    async def main():
        pacer = mon.QueryPacer(concurrent=4, per_second=20)
        starts = []

        async def query():
            async with pacer:
                starts.append(time.monotonic())
                await asyncio.sleep(0.01)
        t0 = time.monotonic()
        await asyncio.gather(*(query() for _ in range(30)))
        return pacer.peak, time.monotonic() - t0, starts
    peak, took, starts = asyncio.run(main())
    assert peak == 4
    assert took >= 0.99  # 30 queries at 20 per second: the last ten wait for the first second to pass
    assert all(sum(1 for t in starts if s <= t < s + 1.0) <= 20 for s in starts)
