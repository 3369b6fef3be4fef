"""Data Science through the window against the real emulator: a project and a notebook session created with
the dialogs (cost shown, block storage checked), the session deactivated; the demo model deployment's
Predict… with a JSON payload, whose prediction (computed by the demo model's score.py) and latency show on the
dialog's result page; renders of the deployment page and the prediction. A model created with its artifact zip
(a two-step workflow: the model, then its artifact; a failed upload deletes the model), deployed and asked for a
prediction; a non-zip refused at the field; the artifact downloaded to a chosen file."""

from __future__ import annotations

import json
import os
import zipfile

import pytest

from ociconsole.core.operations import OpState

from .helpers import click, create_dialog, open_tree_path, pick, retype, shot, table_rows
from .test_volumes import dialog, related, related_loaded, select_row, trigger


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
    shot(dlg, "data-science-notebook-review")
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
    shot(window, "data-science-deployment")

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
    # an answer to read, not a secret shown once
    assert "3 Result" in dlg.steps.text() and dlg.reveal_banner.heading.text() == "Done"
    shot(dlg, "data-science-predict")
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





SCORE = '''import json
import os


def load_model():
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "model.json")) as f:
        return json.load(f)


def predict(data, model=load_model()):
    rows = data.get("data", data) if isinstance(data, dict) else data
    w = model["coefficients"]
    return {"prediction": [round(model["intercept"] + sum(c * float(x) for c, x in zip(w, r)), 2) for r in rows]}
'''


def write_artifact(path, score=SCORE, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A linear model (price = 1,000 + 2 * a + 3 * b) as a model artifact zip; returns its bytes."""
    with zipfile.ZipFile(path, "w", compression) as z:
        z.writestr("score.py", score)
        z.writestr("model.json", json.dumps({"intercept": 1000.0, "coefficients": [2.0, 3.0]}))
        z.writestr("runtime.yaml", "MODEL_ARTIFACT_VERSION: '3.0'\n")
    return path.read_bytes()


def create_model(qtbot, window, name, path, metadata="owner=ml-team"):
    """The Create model dialog, filled in and reviewed (not yet submitted)."""
    open_tree_path(qtbot, window, "Development", "Analytics & AI", "Models")
    qtbot.waitUntil(lambda: "house-price-linear" in table_rows(window.resources), timeout=10_000)
    dlg = create_dialog(qtbot, window)
    retype(qtbot, dlg.row("display_name").editor, name)
    projects = dlg.row("project_id").editor
    qtbot.waitUntil(lambda: projects.count() > 0 and dlg.row("project_id").value() is not None, timeout=5000)
    pick(qtbot, projects, "house-prices")
    retype(qtbot, dlg.row("artifact_path").editor, str(path))
    retype(qtbot, dlg.row("custom_metadata").editor, metadata)
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    return dlg


def test_create_model_deploy_and_predict(qtbot, window, tmp_path):
    from ociconsole.gui.form_dialog import CreateDialog
    path = tmp_path / "linear.zip"
    write_artifact(path)
    dlg = create_model(qtbot, window, "linear-two", path)
    cli = dlg.cli_view.text()
    assert "oci data-science model create" in cli and "--custom-metadata-list" in cli
    assert "oci data-science model create-model-artifact" in cli and '--model-id "$MODEL_ID"' in cli
    assert f"--model-artifact-file {path}" in cli
    py = dlg.python_view.text()
    assert "client.create_model(details" in py and "client.create_model_artifact(response.data.id" in py
    shot(dlg, "ds-model-create")
    finish(qtbot, window, dlg)
    qtbot.waitUntil(lambda: "linear-two" in table_rows(window.resources), timeout=5000)
    select_row(qtbot, window, "linear-two")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=5000)
    rel = related(window)["Metadata"]
    assert "owner (other)=ml-team" in rel and "Artifact=linear-two.zip " + f"({path.stat().st_size:,} bytes)" in rel

    open_tree_path(qtbot, window, "Development", "Analytics & AI", "Model deployments")
    qtbot.waitUntil(lambda: "house-price-api" in table_rows(window.resources), timeout=10_000)
    dlg = create_dialog(qtbot, window)
    retype(qtbot, dlg.row("display_name").editor, "linear-two-api")
    projects = dlg.row("project_id").editor
    qtbot.waitUntil(lambda: projects.count() > 0 and dlg.row("project_id").value() is not None, timeout=5000)
    pick(qtbot, projects, "house-prices")
    models = dlg.row("model_id").editor
    qtbot.waitUntil(lambda: any(models.itemText(i) == "linear-two" for i in range(models.count())), timeout=5000)
    pick(qtbot, models, "linear-two")
    shapes = dlg.row("shape").editor
    qtbot.waitUntil(lambda: shapes.count() > 0, timeout=5000)
    pick(qtbot, shapes, "VM.Standard.E4.Flex")
    retype(qtbot, dlg.row("instance_count").editor, "1")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=60_000)
    assert op.state is OpState.SUCCEEDED and op.detail == "ACTIVE", (op.detail, op.error)
    qtbot.waitUntil(lambda: "linear-two-api" in table_rows(window.resources), timeout=5000)
    select_row(qtbot, window, "linear-two-api")
    qtbot.waitUntil(lambda: window.detail.name.text() == "linear-two-api", timeout=5000)
    qtbot.waitUntil(lambda: next(a for a in window._kind_actions if a.text() == "Predict…").isEnabled(),
                    timeout=10_000)

    trigger(window, "Predict…")
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("payload").editor, json.dumps({"data": [[10, 100], [0, 1]]}))
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: bool(dlg.revealed()), timeout=20_000)
    assert json.loads(dict(dlg.revealed())["Prediction"]) == {"prediction": [1000 + 20 + 300.0, 1003.0]}
    dlg.close()


def test_create_model_refuses_a_non_zip_at_the_field(qtbot, window, tmp_path):
    open_tree_path(qtbot, window, "Development", "Analytics & AI", "Models")
    dlg = create_dialog(qtbot, window)
    row = dlg.row("artifact_path")
    text = tmp_path / "model.txt"
    text.write_text("not a zip")
    retype(qtbot, row.editor, str(text))
    qtbot.waitUntil(lambda: "Not a zip archive" in row.error_text(), timeout=2000)
    assert not dlg.review_button.isEnabled()
    retype(qtbot, row.editor, str(tmp_path / "missing.zip"))
    qtbot.waitUntil(lambda: "No such file" in row.error_text(), timeout=2000)
    no_score = tmp_path / "no-score.zip"
    with zipfile.ZipFile(no_score, "w") as z:
        z.writestr("model.json", "{}")
    retype(qtbot, row.editor, str(no_score))
    qtbot.waitUntil(lambda: "no score.py" in row.error_text(), timeout=2000)
    assert not dlg.review_button.isEnabled()
    dlg.close()


def test_failed_upload_deletes_the_new_model(qtbot, window, session, tmp_path, aloop):
    # a zip whose listing reads well but whose data fails its CRC: the service refuses the upload
    path = tmp_path / "damaged.zip"
    data = bytearray(write_artifact(path, score=SCORE + "# " + "x" * 200 + "\n", compression=zipfile.ZIP_STORED))
    at = data.index(b"x" * 200)
    data[at:at + 10] = b"y" * 10
    path.write_bytes(bytes(data))
    dlg = create_model(qtbot, window, "half-made", path)
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: "was deleted" in dlg.error_text(), timeout=10_000)
    assert dlg.isVisible() and "CRC" in dlg.error_text()
    op = window.oplog.operations[-1]
    assert op.state is OpState.FAILED
    comp = window.form_context().compartment_id

    async def live():
        models = await session.list_all("data_science", "list_models", comp)
        return [m.lifecycle_state for m in models if m.display_name == "half-made"]
    task = aloop.create_task(live())
    qtbot.waitUntil(task.done, timeout=5000)
    states = task.result()
    assert set(states) <= {"DELETED"}, states
    dlg.close()


def test_download_artifact_to_a_chosen_file(qtbot, window, tmp_path):
    from ociconsole.gui.form_dialog import CreateDialog
    path = tmp_path / "linear.zip"
    uploaded = write_artifact(path)
    dlg = create_model(qtbot, window, "linear-dl", path)
    finish(qtbot, window, dlg)
    qtbot.waitUntil(lambda: "linear-dl" in table_rows(window.resources), timeout=5000)
    select_row(qtbot, window, "linear-dl")
    trigger(window, "Download artifact…")
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    row = dlg.row("path")
    assert row.value().endswith(f"{os.sep}linear-dl.zip")
    retype(qtbot, row.editor, str(tmp_path / "nowhere" / "out.zip"))
    qtbot.waitUntil(lambda: "No such folder" in row.error_text(), timeout=2000)
    assert not dlg.review_button.isEnabled()
    dest = tmp_path / "out.zip"
    retype(qtbot, row.editor, str(dest))
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "oci data-science model get-artifact-content" in dlg.cli_view.text()
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: bool(dlg.revealed()), timeout=10_000)
    assert dict(dlg.revealed())["Saved to"] == str(dest)
    assert dest.read_bytes() == uploaded
    dlg.close()


# ---------------------------------------------------------------- jobs

TRAIN = '''import os
import sys

print("epoch 1 loss 0.50")
print("epoch 2 loss 0.25", os.environ.get("MODE"), os.environ.get("WHO"), *sys.argv[1:])
print("almost out of memory", file=sys.stderr)
'''


def job_logs(gui_emulator):
    """A log group with a custom log for the runs, and another group's log (not to be picked)."""
    from .test_logging import Sdk
    sdk = Sdk(gui_emulator)
    comp = sdk.compartment("Development")
    sdk.custom_log(comp, "job-logs", "runs")
    sdk.custom_log(comp, "other-logs", "elsewhere")
    return sdk


def test_create_job_from_script_run_it_and_read_its_log(qtbot, window, gui_emulator, tmp_path):
    from ociconsole.gui.detail import BROWSE_LABELS, LINK_ROLE
    from ociconsole.gui.form_dialog import CreateDialog
    from ociconsole.gui.log_explorer import LogExplorer
    assert BROWSE_LABELS["logs"] == "Open in Log Explorer"
    job_logs(gui_emulator)
    (tmp_path / "notes.txt").write_text("not a script\n")
    script = tmp_path / "train.py"
    script.write_text(TRAIN)

    open_tree_path(qtbot, window, "Development", "Analytics & AI", "Jobs")
    dlg = create_dialog(qtbot, window)
    retype(qtbot, dlg.row("display_name").editor, "train")
    projects = dlg.row("project_id").editor
    qtbot.waitUntil(lambda: projects.count() > 0 and dlg.row("project_id").value() is not None, timeout=5000)
    pick(qtbot, projects, "house-prices")
    # the inline checks: a script that is not .py, a runtime out of bounds, a log of another group
    retype(qtbot, dlg.row("script_path").editor, str(tmp_path / "notes.txt"))
    qtbot.waitUntil(lambda: "Not a Python script" in dlg.row("script_path").error_text(), timeout=2000)
    retype(qtbot, dlg.row("script_path").editor, str(script))
    retype(qtbot, dlg.row("max_runtime").editor, "50000")
    qtbot.waitUntil(lambda: "43200" in dlg.row("max_runtime").error_text().replace(",", ""), timeout=2000)
    assert not dlg.review_button.isEnabled()
    retype(qtbot, dlg.row("max_runtime").editor, "30")
    shapes = dlg.row("shape").editor
    qtbot.waitUntil(lambda: shapes.count() > 0, timeout=5000)
    pick(qtbot, shapes, "VM.Standard.E4.Flex")
    qtbot.waitUntil(lambda: dlg.row("ocpus").editor.isVisible(), timeout=3000)
    retype(qtbot, dlg.row("ocpus").editor, "2")
    retype(qtbot, dlg.row("memory_in_gbs").editor, "32")
    retype(qtbot, dlg.row("environment").editor, "MODE=fast")
    retype(qtbot, dlg.row("arguments").editor, "--epochs 2")
    groups = dlg.row("log_group_id").editor
    qtbot.waitUntil(lambda: groups.count() > 2, timeout=5000)
    pick(qtbot, groups, "job-logs")
    logs = dlg.row("log_id").editor
    qtbot.waitUntil(lambda: logs.isVisible() and logs.count() > 2, timeout=5000)
    pick(qtbot, logs, "elsewhere (in other-logs)")
    qtbot.waitUntil(lambda: "not in the chosen log group" in dlg.row("log_id").error_text(), timeout=2000)
    assert not dlg.review_button.isEnabled()
    pick(qtbot, logs, "runs (in job-logs)")
    # 2 OCPU × $0.025 + 32 GB × $0.0015 + 50 GB block storage (($0.0255 + $0.017) / 744 h)
    expected = f"${2 * 0.025 + 32 * 0.0015 + 50 * (0.0255 + 0.017) / 744:,.2f} per hour"
    qtbot.waitUntil(lambda: expected in dlg.cost_label.text(), timeout=3000)
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    dlg.resize(dlg.width(), 1150)
    shot(dlg, "i15-job-create")
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci data-science job create" in cli and "--log-configuration-details" in cli
    assert '"maximumRuntimeInMinutes":30' in cli and '"commandLineArguments":"--epochs 2"' in cli
    assert "oci data-science job create-job-artifact" in cli and f"--job-artifact-file {script}" in cli
    assert "client.create_job_artifact(response.data.id" in dlg.python_view.text()
    shot(dlg, "i15-job-review")
    finish(qtbot, window, dlg)
    qtbot.waitUntil(lambda: "train" in table_rows(window.resources), timeout=5000)

    select_row(qtbot, window, "train")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=5000)
    rel = related(window)
    assert "Log group=job-logs" in rel["Job"] and "Log=runs" in rel["Job"] and "Arguments=--epochs 2" in rel["Job"]
    assert rel["Runs"] == ["Runs=none yet: Actions > Start job run…"]

    trigger(window, "Start job run…")
    run = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not run.busy, timeout=10_000)
    retype(qtbot, run.row("display_name").editor, "first")
    retype(qtbot, run.row("environment").editor, "WHO=console")
    qtbot.waitUntil(lambda: run.review_button.isEnabled(), timeout=3000)
    click(qtbot, run.review_button)
    assert "oci data-science job-run create" in run.cli_view.text()
    finish(qtbot, window, run, state="SUCCEEDED")

    window.detail.show_resource(window.session, window.resources.kind, window.detail.resource, reload_related=True)
    qtbot.waitUntil(lambda: related_loaded(window) and "Runs" in related(window)
                    and related(window)["Runs"][0].startswith("first=SUCCEEDED"), timeout=10_000)
    runs = related(window)["Runs"]
    assert "Job run succeeded (exit code 0)" in runs[0] and "first log=runs" in runs
    shot(window, "i15-job-runs")

    # the run's log, followed from its link, shown in the Log Explorer with the script's lines
    sec = next(window.detail.related.topLevelItem(i) for i in range(window.detail.related.topLevelItemCount())
               if window.detail.related.topLevelItem(i).text(0) == "Runs")
    link = next(sec.child(j) for j in range(sec.childCount()) if sec.child(j).text(0) == "first log")
    log_id = link.data(0, LINK_ROLE)
    window.detail._follow(link)
    qtbot.waitUntil(lambda: window.detail.name.text() == "runs", timeout=5000)
    window.detail.go_back()
    window.detail.browse(log_id)  # the link's menu: Open in Log Explorer
    qtbot.waitUntil(lambda: isinstance(window.centre.currentWidget(), LogExplorer), timeout=5000)
    ex = window.centre.currentWidget()
    qtbot.waitUntil(lambda: ex.results.topLevelItemCount() >= 3, timeout=10_000)
    shown = ex.shown_messages()  # newest first
    assert shown == ["almost out of memory", "epoch 2 loss 0.25 fast console --epochs 2", "epoch 1 loss 0.50"], shown
    assert ex.results.topLevelItem(0).text(2) == "com.oraclecloud.datascience.jobrun.stderr"
    assert ex.results.topLevelItem(1).text(2) == "com.oraclecloud.datascience.jobrun.stdout"
    shot(window, "i15-job-log")

    # the run among the job runs: its state, details, times and log
    open_tree_path(qtbot, window, "Development", "Analytics & AI", "Job runs")
    qtbot.waitUntil(lambda: "first" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "first")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=5000)
    rel = related(window)["Run"]
    assert "Job=train" in rel and "State=SUCCEEDED" in rel and "Log=runs" in rel, rel
    assert any(r.startswith("Query=search \"") and r.endswith('"') for r in rel)
    assert not next(a for a in window._kind_actions if a.text() == "Cancel run").isEnabled()
    shot(window, "i15-job-run")


def test_failed_script_upload_deletes_the_new_job(session, aloop, qtbot, tmp_path):
    """The workflow under the Create job dialog: an artifact the service refuses (not a script) deletes the job."""
    import oci

    from ociconsole.core.errors import OciError
    from ociconsole.services import data_science as dssvc
    DS = oci.data_science.models
    notes = tmp_path / "notes.txt"
    notes.write_text("not a script\n")

    async def attempt():
        comp = next(c.id for c in await session.list_all("identity", "list_compartments",
                                                         session.connection.tenancy_id, compartment_id_in_subtree=True)
                    if c.name == "Development")
        proj = next(p for p in await session.list_all("data_science", "list_projects", comp)
                    if p.display_name == "house-prices")
        details = DS.CreateJobDetails(
            compartment_id=comp, project_id=proj.id, display_name="half-made-job",
            job_configuration_details=DS.DefaultJobConfigurationDetails(job_type="DEFAULT"),
            job_infrastructure_configuration_details=DS.ManagedEgressStandaloneJobInfrastructureConfigurationDetails(
                job_infrastructure_type="ME_STANDALONE", shape_name="VM.Standard2.1", block_storage_size_in_gbs=50))
        steps: list[str] = []
        try:
            await dssvc.create_job_with_artifact(session, details, str(notes), step=steps.append)
            error = None
        except OciError as e:
            error = e
        jobs = await session.list_all("data_science", "list_jobs", comp)
        return error, steps, [j.lifecycle_state for j in jobs if j.display_name == "half-made-job"]
    task = aloop.create_task(attempt())
    qtbot.waitUntil(task.done, timeout=10_000)
    error, steps, states = task.result()
    assert error is not None and error.status == 400 and "was deleted" in error.message, error
    assert steps == ["Creating job", "Uploading artifact", "Upload failed: deleting the job"]
    assert states and set(states) <= {"DELETING", "DELETED"}, states


def test_failing_run_with_a_log_made_for_it(qtbot, window, gui_emulator, tmp_path):
    """Automatic log creation: the run gets a log named after it; a script that exits 3 ends the run FAILED."""
    from ociconsole.gui.form_dialog import CreateDialog
    job_logs(gui_emulator)
    script = tmp_path / "broken.py"
    script.write_text("import sys\nprint('giving up')\nsys.exit(3)\n")
    open_tree_path(qtbot, window, "Development", "Analytics & AI", "Jobs")
    dlg = create_dialog(qtbot, window)
    retype(qtbot, dlg.row("display_name").editor, "broken")
    projects = dlg.row("project_id").editor
    qtbot.waitUntil(lambda: projects.count() > 0 and dlg.row("project_id").value() is not None, timeout=5000)
    retype(qtbot, dlg.row("script_path").editor, str(script))
    shapes = dlg.row("shape").editor
    qtbot.waitUntil(lambda: shapes.count() > 0, timeout=5000)
    pick(qtbot, shapes, "VM.Standard2.1 (1 OCPU, 15 GB)")
    groups = dlg.row("log_group_id").editor
    qtbot.waitUntil(lambda: groups.count() > 2, timeout=5000)
    pick(qtbot, groups, "job-logs")
    logs = dlg.row("log_id").editor
    qtbot.waitUntil(lambda: logs.isVisible() and logs.count() > 2, timeout=5000)
    pick(qtbot, logs, "Create a log for each run (automatic log creation)")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert '"enableAutoLogCreation":true' in dlg.cli_view.text()
    finish(qtbot, window, dlg)
    qtbot.waitUntil(lambda: "broken" in table_rows(window.resources), timeout=5000)
    select_row(qtbot, window, "broken")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=5000)
    assert "Log=a new log for each run (automatic log creation)" in related(window)["Job"]

    trigger(window, "Start job run…")
    run = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not run.busy, timeout=10_000)
    retype(qtbot, run.row("display_name").editor, "attempt-1")
    qtbot.waitUntil(lambda: run.review_button.isEnabled(), timeout=3000)
    click(qtbot, run.review_button)
    click(qtbot, run.create_button)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.FAILED and "FAILED" in op.detail, (op.state, op.detail)

    window.detail.show_resource(window.session, window.resources.kind, window.detail.resource, reload_related=True)
    qtbot.waitUntil(lambda: related_loaded(window) and "Runs" in related(window)
                    and related(window)["Runs"][0].startswith("attempt-1=FAILED"), timeout=10_000)
    runs = related(window)["Runs"]
    assert "exit code 3" in runs[0] and "attempt-1 log=attempt-1" in runs, runs
