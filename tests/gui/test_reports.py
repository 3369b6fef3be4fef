"""The underutilized resources report against the emulator's demo: the idle instances (alice-dev,
bastion) are listed with their shape and a suggestion, the hot one (api-01) is not; one query for
the whole tenancy; CSV export; a row opens its instance."""

from __future__ import annotations

import csv
import types

import pytest

from ociconsole.gui.main_window import MainWindow
from ociconsole.gui.reports import UnderutilizedView, suggest

from .helpers import click, click_index, pick


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


def test_underutilized_instances_of_the_tenancy(qtbot, window, session, tmp_path):
    calls: list[str] = []
    session.on_call(lambda service, method: method == "summarize_metrics_data" and calls.append(method))
    window.monitoring.report_action.trigger()
    view = window.centre.currentWidget()
    assert isinstance(view, UnderutilizedView)
    qtbot.waitUntil(lambda: view.compartment_box.count() > 1, timeout=10_000)
    assert view.compartment_box.currentText() == "acme-corp" and view.subtree.isChecked()
    assert view.threshold.value() == 10 and view.period.currentData() == 7 * 86400
    with qtbot.waitSignal(view.finished, timeout=15_000):
        click(qtbot, view.run_button)
    names = view.row_names()
    assert {"alice-dev", "bastion"} <= set(names) and "api-01" not in names
    assert len(calls) == 1  # ONE groupBy(resourceId) query for every instance of the tenancy
    assert names[:2] == ["alice-dev", "bastion"] or names[:2] == ["bastion", "alice-dev"]  # the idlest first
    alice = next(f for f in view.findings if f.name == "alice-dev")
    assert alice.mean < 5 and alice.instance.shape == "VM.Standard.E2.1.Micro" and alice.hours >= 24 * 6
    assert alice.suggestion == "Stop it (idle)"
    row = names.index("alice-dev")
    cells = [view.table.item(row, c).text() for c in range(view.table.columnCount())]
    assert cells[1:5] == ["alice", "VM.Standard.E2.1.Micro", "1", "1"] and cells[-1] == "Stop it (idle)"
    assert "1 query" in view.status.text()
    # CSV
    out = tmp_path / "report.csv"
    assert view.export_csv(str(out))
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    assert {r["instance"] for r in rows} == set(names)
    a = next(r for r in rows if r["instance"] == "alice-dev")
    assert a["shape"] == "VM.Standard.E2.1.Micro" and float(a["mean_cpu_percent"]) < 5
    assert a["instance_id"].startswith("ocid1.instance.") and a["suggested_action"] == "Stop it (idle)"
    # a lower threshold for one compartment's subtree: fewer rows
    pick(qtbot, view.compartment_box, "Shared-Tools")
    view.threshold.setValue(3)
    with qtbot.waitSignal(view.finished, timeout=15_000):
        click(qtbot, view.run_button)
    assert view.row_names() == ["bastion"]
    # double-click opens the instance in its compartment
    click_index(qtbot, view.table, view.table.model().index(0, 0), double=True)
    qtbot.waitUntil(lambda: window.current_kind is not None and window.current_kind.id == "compute.instance"
                    and window.current_compartment.name == "Shared-Tools", timeout=10_000)
    qtbot.waitUntil(lambda: window.detail.name.text() == "bastion", timeout=10_000)
    assert window.splitter.sizes()[2] > 0  # back to the list: the details pane is back


def _inst(shape, ocpus, mem):
    return types.SimpleNamespace(shape=shape, shape_config=types.SimpleNamespace(ocpus=ocpus, memory_in_gbs=mem))


def test_suggestions():
    assert suggest(_inst("VM.Standard.E4.Flex", 8, 128), 6.0, 20.0) == \
        "Downsize to 3 OCPU / 48 GB (from 8 OCPU / 128 GB)"
    assert suggest(_inst("VM.Standard.E4.Flex", 4, 64), 1.0, 3.0) == \
        "Stop it (idle), or downsize to 1 OCPU / 16 GB (from 4 OCPU / 64 GB)"
    assert suggest(_inst("VM.Standard2.8", 8, 120), 5.0, 30.0) == "Move to VM.Standard2.4 (from 8 OCPU)"
    assert suggest(_inst("BM.Standard.E4.128", 128, 2048), 4.0, 9.0).startswith(
        "Move to a VM shape such as VM.Standard.E4.Flex with 17 OCPU")
    assert suggest(_inst("VM.Standard.E4.Flex", 1, 16), 8.0, 60.0) == \
        "Keep the size (peaks at 60 %); stop it when unused"


def test_longer_periods_keep_hourly_peaks(qtbot, aloop, session):
    """14 and 30 days are read hour by hour too (a query per week): the busiest hour over a longer
    period is at least the week's, so suggestions never get bolder with a longer period."""
    from ociconsole.gui.reports import underutilized

    def run(days):
        task = aloop.create_task(underutilized(session, session.tenancy_id, True, 50.0, days * 86400))
        qtbot.waitUntil(task.done, timeout=20_000)
        return task.result()

    week, week_stats = run(7)
    month, month_stats = run(30)
    assert week_stats["queries"] == 1 and month_stats["queries"] == 5  # 30 days: five windows of at most 7
    by_name = {f.name: f for f in month}
    assert week and all(f.name in by_name for f in week)
    for f in week:
        m = by_name[f.name]
        assert m.peak >= f.peak - 1e-9 and m.hours > f.hours
        assert 24 * 28 <= m.hours <= 24 * 30 + 1
