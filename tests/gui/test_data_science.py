"""Data Science through the window against the real emulator: a project and a notebook session created with
the dialogs (cost shown, block storage checked), the session deactivated; the demo model deployment's
Predict… with a JSON payload, whose prediction (computed by the demo model's score.py) and latency show on the
dialog's result page; renders of the deployment page and the prediction."""

from __future__ import annotations

import json

import pytest

from ociconsole.core.operations import OpState
from ociconsole.gui.main_window import MainWindow

from .helpers import click, open_tree_path, pick, retype, table_rows, top_level
from .test_volumes import dialog, related, related_loaded, select_row, trigger


@pytest.fixture
def window(qtbot, aloop, session):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=15_000):
        w.set_session(session, "demo")
    yield w
    w.close()


def create_dialog(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    window.create_action.trigger()
    qtbot.waitUntil(lambda: top_level(CreateDialog) is not None, timeout=5000)
    dlg = top_level(CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    return dlg


def finish(qtbot, window, dlg, state="ACTIVE"):
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED and op.detail == state, (op.detail, op.error)


def test_create_project_and_notebook_then_deactivate(qtbot, window):
    open_tree_path(qtbot, window, "Development", "Analytics & AI", "Data Science projects")
    dlg = create_dialog(qtbot, window)
    retype(qtbot, dlg.row("display_name").editor, "churn")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "oci data-science project create" in dlg.cli_view.text()
    finish(qtbot, window, dlg)
    qtbot.waitUntil(lambda: "churn" in table_rows(window.resources), timeout=5000)

    open_tree_path(qtbot, window, "Development", "Analytics & AI", "Notebook sessions")
    qtbot.waitUntil(lambda: "explore-prices" in table_rows(window.resources), timeout=10_000)
    dlg = create_dialog(qtbot, window)
    retype(qtbot, dlg.row("display_name").editor, "churn-notebook")
    projects = dlg.row("project_id").editor
    qtbot.waitUntil(lambda: projects.count() > 1, timeout=5000)
    pick(qtbot, projects, "churn")
    shapes = dlg.row("shape").editor
    qtbot.waitUntil(lambda: shapes.count() > 0, timeout=5000)
    pick(qtbot, shapes, "VM.Standard.E4.Flex")
    qtbot.waitUntil(lambda: dlg.row("ocpus").editor.isVisible(), timeout=3000)
    retype(qtbot, dlg.row("ocpus").editor, "2")
    retype(qtbot, dlg.row("memory_in_gbs").editor, "32")
    retype(qtbot, dlg.row("block_storage_size_in_gbs").editor, "20")
    qtbot.waitUntil(lambda: "50" in dlg.row("block_storage_size_in_gbs").error_text(), timeout=2000)
    assert not dlg.review_button.isEnabled()
    retype(qtbot, dlg.row("block_storage_size_in_gbs").editor, "100")
    # 2 OCPU × $0.025 + 32 GB × $0.0015 + 100 GB block storage (($0.0255 + $0.017) / 744 h)
    expected = f"${2 * 0.025 + 32 * 0.0015 + 100 * (0.0255 + 0.017) / 744:,.2f} per hour"
    qtbot.waitUntil(lambda: expected in dlg.cost_label.text(), timeout=3000)
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci data-science notebook-session create" in cli and "--config-details" in cli
    assert '"blockStorageSizeInGBs":100' in cli and "--wait-for-state SUCCEEDED" in cli
    dlg.grab().save("/tmp/data-science-notebook-review.png")
    finish(qtbot, window, dlg)
    qtbot.waitUntil(lambda: "churn-notebook" in table_rows(window.resources), timeout=5000)

    select_row(qtbot, window, "churn-notebook")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=5000)
    rel = related(window)["Configuration"]
    assert "Block storage=100 GB" in rel and "Networking=Default networking" in rel
    assert any(r.startswith("Cost while active=$") for r in rel)
    trigger(window, "Deactivate")
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED and op.detail == "INACTIVE", (op.detail, op.error)


def test_predict_with_the_demo_deployment(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Development", "Analytics & AI", "Model deployments")
    qtbot.waitUntil(lambda: "house-price-api" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "house-price-api")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=5000)
    rel = related(window)["Deployment"]
    assert "Model=house-price-linear" in rel and "Instances=1" in rel
    window.grab().save("/tmp/data-science-deployment.png")

    trigger(window, "Predict…")
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    payload = dlg.row("payload").editor
    retype(qtbot, payload, "{not json")
    qtbot.waitUntil(lambda: "Not JSON" in dlg.row("payload").error_text(), timeout=2000)
    assert not dlg.review_button.isEnabled()
    retype(qtbot, payload, json.dumps({"data": [[120, 4, 5], [80, 2, 30]]}))
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "oci model-deployment inference-result predict" in dlg.cli_view.text()
    assert dlg.create_button.text() == "Predict"
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: bool(dlg.revealed()), timeout=15_000)
    shown = dict(dlg.revealed())
    # price = 50,000 + 120 * area + 8,000 * rooms - 900 * age
    assert json.loads(shown["Prediction"]) == {"prediction": [50000 + 14400 + 32000 - 4500.0,
                                                              50000 + 9600 + 16000 - 27000.0]}
    assert shown["Latency"].endswith(" ms")
    dlg.grab().save("/tmp/data-science-predict.png")
    dlg.close()


@pytest.mark.parametrize("kind", ["Models", "Jobs"])
def test_other_kinds_list(qtbot, window, kind):
    open_tree_path(qtbot, window, "Development", "Analytics & AI", kind)
    if kind == "Models":
        qtbot.waitUntil(lambda: "house-price-linear" in table_rows(window.resources), timeout=10_000)
        select_row(qtbot, window, "house-price-linear")
        qtbot.waitUntil(lambda: related_loaded(window), timeout=5000)
        rel = related(window)["Metadata"]
        assert "UseCaseType=regression" in rel and any(r.startswith("Artifact=house-price-linear.zip") for r in rel)



