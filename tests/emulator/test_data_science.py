"""Data Science through the real SDK and the `oci` CLI: projects, notebook sessions (activate / deactivate on
work requests, OCI's limits), models with metadata, provenance and a zip artifact, deployments whose demo
model really predicts (score.py run in a subprocess), their metrics from the real predict calls, and jobs
whose Python script runs with its environment variables."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
import zipfile

import oci
import pytest

from .helpers import IM, NO_RETRY, WAIT, run_oci, signed_session, signer_for, unique, wait_state

E = oci.exceptions.ServiceError
DS = oci.data_science.models


class DS_Clients:
    def __init__(self, emulator, cfg):
        kw = dict(NO_RETRY, signer=signer_for(cfg))
        self.ds = oci.data_science.DataScienceClient(cfg, service_endpoint=emulator.endpoint("data_science"), **kw)
        self.md = oci.model_deployment.ModelDeploymentClient(
            cfg, service_endpoint=emulator.endpoint("model_deployment"), **kw)
        self.identity = oci.identity.IdentityClient(cfg, service_endpoint=emulator.endpoint("identity"), **kw)
        self.tenancy = cfg["tenancy"]


@pytest.fixture
def c(emulator, oci_config):
    return DS_Clients(emulator, oci_config)


@pytest.fixture
def comp(c):
    return c.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=c.tenancy, name=unique("ds"), description="data science test")).data.id


def wait_wr(c, resp):
    wr = resp.headers["opc-work-request-id"]
    return oci.wait_until(c.ds, c.ds.get_work_request(wr), "status", "SUCCEEDED", **WAIT).data


def zip_of(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()


SCORE = '''
def load_model():
    return {"w": 3.0, "b": 1.0}

def predict(data, model=load_model()):
    return {"prediction": [model["w"] * x + model["b"] for x in data["data"]]}
'''


def new_project(c, comp, name="proj"):
    return c.ds.create_project(DS.CreateProjectDetails(compartment_id=comp, display_name=name)).data


def notebook_details(comp, project_id, **cfg):
    conf = dict(shape="VM.Standard.E4.Flex", block_storage_size_in_gbs=100,
                notebook_session_shape_config_details=DS.NotebookSessionShapeConfigDetails(ocpus=2, memory_in_gbs=32))
    conf.update(cfg)
    return DS.CreateNotebookSessionDetails(
        compartment_id=comp, project_id=project_id, display_name="nb",
        notebook_session_config_details=DS.NotebookSessionConfigDetails(**conf),
        notebook_session_runtime_config_details=DS.NotebookSessionRuntimeConfigDetails(
            custom_environment_variables={"STAGE": "test"},
            notebook_session_git_config_details=DS.NotebookSessionGitConfigDetails(
                notebook_session_git_repo_config_collection=[
                    DS.NotebookSessionGitRepoConfigDetails(url="https://github.com/example/repo")])))


def new_model(c, comp, project_id, artifact: bytes | None = None, **kw):
    m = c.ds.create_model(DS.CreateModelDetails(compartment_id=comp, project_id=project_id,
                                                display_name=kw.pop("name", "m"), **kw)).data
    if artifact is not None:
        c.ds.create_model_artifact(m.id, artifact, content_disposition='attachment; filename="m.zip"')
    return m


def deployment_details(comp, project_id, model_id, count=1, bandwidth=10, shape="VM.Standard.E4.Flex"):
    return DS.CreateModelDeploymentDetails(
        compartment_id=comp, project_id=project_id, display_name="md",
        model_deployment_configuration_details=DS.SingleModelDeploymentConfigurationDetails(
            deployment_type="SINGLE_MODEL", model_configuration_details=DS.ModelConfigurationDetails(
                model_id=model_id, bandwidth_mbps=bandwidth,
                scaling_policy=DS.FixedSizeScalingPolicy(policy_type="FIXED_SIZE", instance_count=count),
                instance_configuration=DS.InstanceConfiguration(
                    instance_shape_name=shape,
                    model_deployment_instance_shape_config_details=DS.ModelDeploymentInstanceShapeConfigDetails(
                        ocpus=1, memory_in_gbs=16)))))


# ---------------------------------------------------------------- projects and notebook sessions

def test_notebook_session_lifecycle_on_work_requests(c, net):
    comp = net.compartment_id
    proj = new_project(c, comp)
    assert proj.lifecycle_state == "ACTIVE"
    assert c.ds.get_project(proj.id).data.display_name == "proj"
    c.ds.update_project(proj.id, DS.UpdateProjectDetails(description="renamed"))
    assert [p.id for p in c.ds.list_projects(comp).data] == [proj.id]

    resp = c.ds.create_notebook_session(notebook_details(comp, proj.id))
    nb = resp.data
    assert nb.lifecycle_state == "CREATING"
    assert nb.notebook_session_url.startswith("https://notebook.") and nb.id in nb.notebook_session_url
    wr = wait_wr(c, resp)
    assert wr.operation_type == "NOTEBOOK_SESSION_CREATE" and wr.resources[0].identifier == nb.id
    nb = c.ds.get_notebook_session(nb.id).data
    assert nb.lifecycle_state == "ACTIVE"
    assert nb.notebook_session_config_details.notebook_session_shape_config_details.ocpus == 2
    rt = nb.notebook_session_runtime_config_details
    assert rt.custom_environment_variables == {"STAGE": "test"}
    assert rt.notebook_session_git_config_details.notebook_session_git_repo_config_collection[0].url.endswith("repo")
    assert [n.id for n in c.ds.list_notebook_sessions(comp, project_id=proj.id).data] == [nb.id]

    # an ACTIVE session keeps its shape: it changes while INACTIVE
    with pytest.raises(E) as e:
        c.ds.update_notebook_session(nb.id, DS.UpdateNotebookSessionDetails(
            notebook_session_configuration_details=DS.NotebookSessionConfigurationDetails(
                shape="VM.Standard2.2", block_storage_size_in_gbs=100, subnet_id=net.subnet_id)))
    assert e.value.status == 409
    with pytest.raises(E) as e:
        c.ds.activate_notebook_session(nb.id)
    assert e.value.status == 409 and "INACTIVE" in e.value.message

    resp = c.ds.deactivate_notebook_session(nb.id)
    assert c.ds.get_notebook_session(nb.id).data.lifecycle_state in ("UPDATING", "INACTIVE")
    assert wait_wr(c, resp).operation_type == "NOTEBOOK_SESSION_DEACTIVATE"
    nb = c.ds.get_notebook_session(nb.id).data
    assert nb.lifecycle_state == "INACTIVE" and "block volume is kept" in nb.lifecycle_details
    assert nb.notebook_session_config_details.block_storage_size_in_gbs == 100
    nb = c.ds.update_notebook_session(nb.id, DS.UpdateNotebookSessionDetails(
        display_name="nb-2", notebook_session_configuration_details=DS.NotebookSessionConfigurationDetails(
            shape="VM.Standard2.2", block_storage_size_in_gbs=200, subnet_id=net.subnet_id))).data
    assert nb.notebook_session_config_details.shape == "VM.Standard2.2" and nb.display_name == "nb-2"
    assert nb.notebook_session_configuration_details.subnet_id == net.subnet_id

    resp = c.ds.activate_notebook_session(nb.id)
    assert wait_wr(c, resp).operation_type == "NOTEBOOK_SESSION_ACTIVATE"
    assert c.ds.get_notebook_session(nb.id).data.lifecycle_state == "ACTIVE"
    logs = c.ds.list_work_request_logs(resp.headers["opc-work-request-id"]).data
    assert logs and logs[-1].message == "Notebook session activated"
    assert c.ds.list_work_request_errors(resp.headers["opc-work-request-id"]).data == []
    ops = {w.operation_type for w in c.ds.list_work_requests(comp).data}
    assert {"NOTEBOOK_SESSION_CREATE", "NOTEBOOK_SESSION_ACTIVATE", "NOTEBOOK_SESSION_DEACTIVATE"} <= ops

    # a project with a live session cannot be deleted
    with pytest.raises(E) as e:
        c.ds.delete_project(proj.id)
    assert e.value.status == 409
    wait_wr(c, c.ds.delete_notebook_session(nb.id))
    assert c.ds.get_notebook_session(nb.id).data.lifecycle_state == "DELETED"
    wait_wr(c, c.ds.delete_project(proj.id))
    assert c.ds.get_project(proj.id).data.lifecycle_state == "DELETED"


def test_notebook_session_limits(c, comp):
    proj = new_project(c, comp)
    with pytest.raises(E) as e:
        c.ds.create_notebook_session(notebook_details(comp, proj.id, block_storage_size_in_gbs=20))
    assert e.value.status == 400 and "50" in e.value.message
    with pytest.raises(E) as e:
        c.ds.create_notebook_session(notebook_details(
            comp, proj.id, notebook_session_shape_config_details=DS.NotebookSessionShapeConfigDetails(
                ocpus=2, memory_in_gbs=500)))
    assert e.value.status == 400 and "memory" in e.value.message
    with pytest.raises(E) as e:
        c.ds.create_notebook_session(notebook_details(comp, proj.id, shape="VM.Nope.1"))
    assert e.value.status == 400
    with pytest.raises(E) as e:
        c.ds.create_notebook_session(notebook_details(comp, proj.id, subnet_id="ocid1.subnet.oc1..nope"))
    assert e.value.status == 404
    shapes = c.ds.list_notebook_session_shapes(comp).data
    assert "VM.Standard.E4.Flex" in {s.name for s in shapes}


# ---------------------------------------------------------------- models, deployments, predict

def test_model_artifact_deploy_and_predict(emulator, c, comp):
    proj = new_project(c, comp)
    model = new_model(
        c, comp, proj.id, name="linear",
        custom_metadata_list=[DS.Metadata(key="R2", value="0.9", category="Performance")],
        defined_metadata_list=[DS.Metadata(key="UseCaseType", value="regression")],
        input_schema=json.dumps({"schema": [{"name": "x", "dtype": "float64"}]}))
    assert model.lifecycle_state == "ACTIVE" and model.custom_metadata_list[0].key == "R2"
    prov = c.ds.create_model_provenance(model.id, DS.CreateModelProvenanceDetails(
        repository_url="https://github.com/example/m", git_branch="main")).data
    assert prov.git_branch == "main"
    c.ds.update_model_provenance(model.id, DS.UpdateModelProvenanceDetails(git_commit="abc123"))
    assert c.ds.get_model_provenance(model.id).data.git_commit == "abc123"

    # no artifact yet: cannot deploy
    with pytest.raises(E) as e:
        c.ds.create_model_deployment(deployment_details(comp, proj.id, model.id))
    assert e.value.status == 400 and "artifact" in e.value.message
    with pytest.raises(E) as e:
        c.ds.create_model_artifact(model.id, b"this is not a zip")
    assert e.value.status == 400 and "zip" in e.value.message
    art = zip_of({"score.py": SCORE, "runtime.yaml": "MODEL_ARTIFACT_VERSION: '3.0'\n"})
    c.ds.create_model_artifact(model.id, art, content_disposition='attachment; filename="linear.zip"')
    with pytest.raises(E) as e:
        c.ds.create_model_artifact(model.id, art)
    assert e.value.status == 409
    head = c.ds.head_model_artifact(model.id)
    assert int(head.headers["content-length"]) == len(art) and "linear.zip" in head.headers["content-disposition"]
    got = c.ds.get_model_artifact_content(model.id).data.content
    assert got == art

    c.ds.update_model(model.id, DS.UpdateModelDetails(description="fixed coefficients"))
    assert {m.id for m in c.ds.list_models(comp, project_id=proj.id).data} == {model.id}

    # deployment limits
    for kw in ({"count": 0}, {"bandwidth": 5}, {"shape": "VM.Bogus"}):
        with pytest.raises(E) as e:
            c.ds.create_model_deployment(deployment_details(comp, proj.id, model.id, **kw))
        assert e.value.status == 400
    resp = c.ds.create_model_deployment(deployment_details(comp, proj.id, model.id, count=2, bandwidth=20))
    md = resp.data
    assert md.lifecycle_state == "CREATING" and md.model_deployment_url.endswith(md.id)
    assert wait_wr(c, resp).operation_type == "MODEL_DEPLOYMENT_CREATE"
    md = c.ds.get_model_deployment(md.id).data
    assert md.lifecycle_state == "ACTIVE"
    mc = md.model_deployment_configuration_details.model_configuration_details
    assert mc.scaling_policy.instance_count == 2 and mc.bandwidth_mbps == 20
    assert [d.id for d in c.ds.list_model_deployments(comp).data] == [md.id]
    assert c.ds.list_model_deployment_model_states(md.id, comp).data[0].state == "SUCCESS"
    assert c.ds.list_model_deployment_shapes(comp).data

    # (metrics: a resource reports from the first whole minute after its creation)
    emulator.core.clock.advance(120)
    # the real prediction, computed by score.py in a subprocess
    out = c.md.predict(md.id, {"data": [1, 2, 10]})
    assert json.loads(out.data) == {"prediction": [4.0, 7.0, 31.0]}

    # a payload that is not JSON
    s = signed_session(emulator.client_config())
    r = s.post(f"{emulator.endpoint('model_deployment')}/{md.id}/predict", data=b"{not json",
               headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["code"] == "InvalidParameter"

    # the model is in use
    with pytest.raises(E) as e:
        c.ds.delete_model(model.id)
    assert e.value.status == 409
    with pytest.raises(E) as e:
        c.ds.deactivate_model(model.id)
    assert e.value.status == 409

    # update, deactivate (no predictions), activate
    wait_wr(c, c.ds.update_model_deployment(md.id, DS.UpdateModelDeploymentDetails(
        display_name="md-2", model_deployment_configuration_details=DS.UpdateSingleModelDeploymentConfigurationDetails(
            model_configuration_details=DS.UpdateModelConfigurationDetails(
                model_id=model.id, scaling_policy=DS.FixedSizeScalingPolicy(instance_count=3))))))
    md = c.ds.get_model_deployment(md.id).data
    assert md.display_name == "md-2"
    assert md.model_deployment_configuration_details.model_configuration_details.scaling_policy.instance_count == 3
    wait_wr(c, c.ds.deactivate_model_deployment(md.id))
    with pytest.raises(E) as e:
        c.md.predict(md.id, {"data": [1]})
    assert e.value.status == 409
    with pytest.raises(E) as e:
        c.ds.deactivate_model_deployment(md.id)
    assert e.value.status == 409
    wait_wr(c, c.ds.activate_model_deployment(md.id))
    assert json.loads(c.md.predict(md.id, {"data": [0]}).data) == {"prediction": [1.0]}

    # the metrics count the real calls
    mon = oci.monitoring.MonitoringClient(emulator.client_config(), service_endpoint=emulator.endpoint("monitoring"),
                                          signer=signer_for(emulator.client_config()), **NO_RETRY)
    now = dt.datetime.fromtimestamp(emulator.core.clock.now(), dt.UTC)
    res = mon.summarize_metrics_data(comp, oci.monitoring.models.SummarizeMetricsDataDetails(
        namespace="oci_datascience_modeldeploy", query="PredictRequestCount[1m].sum()",
        start_time=now - dt.timedelta(hours=1), end_time=now + dt.timedelta(minutes=2))).data
    assert sum(p.value for s in res for p in s.aggregated_datapoints) == 2
    res = mon.summarize_metrics_data(comp, oci.monitoring.models.SummarizeMetricsDataDetails(
        namespace="oci_datascience_modeldeploy", query="PredictResponse[1m].sum()",
        start_time=now - dt.timedelta(hours=1), end_time=now + dt.timedelta(minutes=2))).data
    assert sum(p.value for s in res for p in s.aggregated_datapoints) == 2

    wait_wr(c, c.ds.delete_model_deployment(md.id))
    c.ds.deactivate_model(model.id)
    with pytest.raises(E) as e:
        c.ds.deactivate_model(model.id)
    assert e.value.status == 409
    assert c.ds.activate_model(model.id).data.lifecycle_state == "ACTIVE"
    c.ds.delete_model(model.id)
    assert c.ds.get_model(model.id).data.lifecycle_state == "DELETED"


def test_models_the_sandbox_cannot_run_say_so(c, comp):
    proj = new_project(c, comp)
    sk = zip_of({"score.py": "import sklearn\n\ndef load_model():\n    return None\n\n"
                             "def predict(data, model=None):\n    return {}\n"})
    boom = zip_of({"score.py": "def predict(data, model=None):\n    raise ValueError('bad row')\n"})
    none = zip_of({"model.onnx": "binary"})
    answers = {}
    for name, art in (("sk", sk), ("boom", boom), ("none", none)):
        m = new_model(c, comp, proj.id, art, name=name)
        resp = c.ds.create_model_deployment(deployment_details(comp, proj.id, m.id))
        wait_wr(c, resp)
        with pytest.raises(E) as e:
            c.md.predict(resp.data.id, {"data": [1]})
        answers[name] = (e.value.status, e.value.message)
    assert answers["sk"][0] == 501 and "sklearn" in answers["sk"][1]
    assert answers["boom"][0] == 500 and "ValueError: bad row" in answers["boom"][1]
    assert answers["none"][0] == 501 and "score.py" in answers["none"][1]


def test_model_metadata_is_checked(c, comp):
    proj = new_project(c, comp)
    for kw in ({"defined_metadata_list": [DS.Metadata(key="UseCaseType", value="astrology")]},
               {"defined_metadata_list": [DS.Metadata(key="Colour", value="red")]},
               {"custom_metadata_list": [DS.Metadata(key="a", value="1"), DS.Metadata(key="a", value="2")]},
               {"input_schema": "{not json"}):
        with pytest.raises(E) as e:
            new_model(c, comp, proj.id, **kw)
        assert e.value.status == 400


def test_demo_deployment_predicts(emulator, c):
    md = next(d for d in c.ds.list_model_deployments(
        next(x.id for x in c.identity.list_compartments(c.tenancy).data if x.name == "Development")).data
        if d.display_name == "house-price-api")
    out = json.loads(c.md.predict(md.id, {"data": [[100, 3, 10]]}).data)
    assert out == {"prediction": [50000 + 12000 + 24000 - 9000.0]}


# ---------------------------------------------------------------- jobs

def test_job_runs_its_script_with_its_environment(emulator, c, comp):
    proj = new_project(c, comp)
    job = c.ds.create_job(DS.CreateJobDetails(
        compartment_id=comp, project_id=proj.id, display_name="job",
        job_configuration_details=DS.DefaultJobConfigurationDetails(
            environment_variables={"GREETING": "hello"}, command_line_arguments="a b", maximum_runtime_in_minutes=5),
        job_infrastructure_configuration_details=DS.ManagedEgressStandaloneJobInfrastructureConfigurationDetails(
            job_infrastructure_type="ME_STANDALONE", shape_name="VM.Standard2.1", block_storage_size_in_gbs=50))).data
    job = wait_state(c.ds, c.ds.get_job, job.id, "ACTIVE")
    script = b"import os, sys\nprint(os.environ['GREETING'], os.environ['WHO'], *sys.argv[1:])\n" \
             b"print('warn', file=sys.stderr)\n"
    c.ds.create_job_artifact(job.id, script, content_disposition='attachment; filename="hello.py"')
    assert c.ds.get_job_artifact_content(job.id).data.content == script
    assert c.ds.head_job_artifact(job.id).headers["content-length"] == str(len(script))
    c.ds.update_job(job.id, DS.UpdateJobDetails(description="says hello"))
    assert [j.id for j in c.ds.list_jobs(comp).data] == [job.id]

    run = c.ds.create_job_run(DS.CreateJobRunDetails(
        compartment_id=comp, project_id=proj.id, job_id=job.id, display_name="run",
        job_configuration_override_details=DS.DefaultJobConfigurationDetails(
            environment_variables={"WHO": "world"}))).data
    deadline = time.monotonic() + 15
    while c.ds.get_job_run(run.id).data.lifecycle_state not in ("SUCCEEDED", "FAILED"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    run = c.ds.get_job_run(run.id).data
    assert run.lifecycle_state == "SUCCEEDED" and run.time_finished is not None
    from ociconsole.emulator.services.data_science import job_run_logs
    assert job_run_logs(emulator.core.store, run.id) == ["hello world a b", "warn"]
    c.ds.update_job_run(run.id, DS.UpdateJobRunDetails(display_name="run-1"))
    assert [r.display_name for r in c.ds.list_job_runs(comp, job_id=job.id).data] == ["run-1"]
    assert c.ds.list_job_shapes(comp).data
    with pytest.raises(E) as e:
        c.ds.cancel_job_run(run.id)
    assert e.value.status == 409
    c.ds.delete_job_run(run.id)
    wait_wr(c, c.ds.delete_job(job.id))


def test_job_run_cancel(c, comp):
    proj = new_project(c, comp)
    job = c.ds.create_job(DS.CreateJobDetails(
        compartment_id=comp, project_id=proj.id,
        job_configuration_details=DS.DefaultJobConfigurationDetails(),
        job_infrastructure_configuration_details=DS.ManagedEgressStandaloneJobInfrastructureConfigurationDetails(
            job_infrastructure_type="ME_STANDALONE", shape_name="VM.Standard2.1", block_storage_size_in_gbs=50))).data
    c.ds.create_job_artifact(job.id, b"import time\ntime.sleep(3)\n",
                             content_disposition='attachment; filename="slow.py"')
    run = c.ds.create_job_run(DS.CreateJobRunDetails(compartment_id=comp, project_id=proj.id, job_id=job.id)).data
    c.ds.cancel_job_run(run.id)
    assert wait_state(c.ds, c.ds.get_job_run, run.id, "CANCELED").lifecycle_state == "CANCELED"


LM = oci.logging.models
LS = oci.loggingsearch.models


class Logs:
    """Logging's clients, for a job run's log."""

    def __init__(self, emulator, cfg):
        kw = dict(NO_RETRY, signer=signer_for(cfg))
        self.log = oci.logging.LoggingManagementClient(cfg, service_endpoint=emulator.endpoint("logging"), **kw)
        self.search = oci.loggingsearch.LogSearchClient(cfg, service_endpoint=emulator.endpoint("loggingsearch"),
                                                        **kw)
        self.emulator = emulator

    def wait(self, resp) -> str:
        wr = resp.headers["opc-work-request-id"]
        done = oci.wait_until(self.log, self.log.get_work_request(wr), "status", "SUCCEEDED", **WAIT).data
        return done.resources[0].identifier

    def find(self, query: str) -> list[dict]:
        end = dt.datetime.fromtimestamp(self.emulator.core.clock.now(), dt.UTC) + dt.timedelta(seconds=1)
        out = self.search.search_logs(LS.SearchLogsDetails(time_start=end - dt.timedelta(hours=1), time_end=end,
                                                           search_query=query)).data
        return [r.data["logContent"] for r in out.results]


def logging_job(c, comp, proj, log_cfg, script=b"print('one')\nprint('two')\nimport sys; print('oops', "
                                                   b"file=sys.stderr)\n"):
    job = c.ds.create_job(DS.CreateJobDetails(
        compartment_id=comp, project_id=proj.id, display_name="logged",
        job_configuration_details=DS.DefaultJobConfigurationDetails(),
        job_infrastructure_configuration_details=DS.ManagedEgressStandaloneJobInfrastructureConfigurationDetails(
            job_infrastructure_type="ME_STANDALONE", shape_name="VM.Standard2.1", block_storage_size_in_gbs=50),
        job_log_configuration_details=log_cfg)).data
    c.ds.create_job_artifact(job.id, script, content_disposition='attachment; filename="logged.py"')
    return job


def finished(c, run_id):
    deadline = time.monotonic() + 15
    while c.ds.get_job_run(run_id).data.lifecycle_state not in ("SUCCEEDED", "FAILED"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    return c.ds.get_job_run(run_id).data


def test_job_run_output_goes_to_its_log(emulator, oci_config, c, comp, tmp_path):
    lg = Logs(emulator, oci_config)
    proj = new_project(c, comp)
    gid = lg.wait(lg.log.create_log_group(LM.CreateLogGroupDetails(compartment_id=comp, display_name="jobs")))
    lid = lg.wait(lg.log.create_log(gid, LM.CreateLogDetails(display_name="runs", log_type="CUSTOM")))
    job = logging_job(c, comp, proj, DS.JobLogConfigurationDetails(enable_logging=True, log_group_id=gid, log_id=lid))
    assert c.ds.get_job(job.id).data.job_log_configuration_details.log_id == lid
    run = c.ds.create_job_run(DS.CreateJobRunDetails(compartment_id=comp, project_id=proj.id, job_id=job.id,
                                                     display_name="nightly")).data
    assert run.log_details.log_group_id == gid and run.log_details.log_id == lid
    assert finished(c, run.id).lifecycle_state == "SUCCEEDED"
    found = lg.find(f'search "{comp}/jobs/runs"')
    assert [(e["data"]["message"], e["type"]) for e in found] == [
        ("one", "com.oraclecloud.datascience.jobrun.stdout"), ("two", "com.oraclecloud.datascience.jobrun.stdout"),
        ("oops", "com.oraclecloud.datascience.jobrun.stderr")]
    assert {(e["source"], e["subject"], e["oracle"]["resourceid"]) for e in found} == {(run.id, run.id, run.id)}
    assert [e["data"]["message"] for e in lg.find(
        f"search \"{comp}/jobs/runs\" | where type = 'com.oraclecloud.datascience.jobrun.stderr'")] == ["oops"]

    # a run of a job without logging may ask for a log of its own, created in the group and named after it
    plain = logging_job(c, comp, proj, None, script=b"print('auto')\n")
    run2 = c.ds.create_job_run(DS.CreateJobRunDetails(
        compartment_id=comp, project_id=proj.id, job_id=plain.id, display_name="run two",
        job_log_configuration_override_details=DS.JobLogConfigurationDetails(
            enable_logging=True, enable_auto_log_creation=True, log_group_id=gid))).data
    auto = wait_state(lg.log, lambda i: lg.log.get_log(gid, i), run2.log_details.log_id, "ACTIVE")
    assert (auto.display_name, auto.log_type, auto.log_group_id) == ("run_two", "CUSTOM", gid)
    assert finished(c, run2.id).lifecycle_state == "SUCCEEDED"
    assert [e["data"]["message"] for e in lg.find(f'search "{comp}/jobs/run_two"')] == ["auto"]
    assert c.ds.get_job_run(run2.id).data.job_log_configuration_override_details.enable_auto_log_creation

    # the CLI sees the same: the run's log, and its lines by the log's name
    cfg = tmp_path / "config"
    emulator.write_config(cfg)
    got = run_oci(cfg, emulator.endpoint("data_science"), "data-science", "job-run", "get", "--job-run-id", run.id)
    assert got["data"]["log-details"] == {"log-group-id": gid, "log-id": lid}
    end = dt.datetime.fromtimestamp(emulator.core.clock.now(), dt.UTC) + dt.timedelta(seconds=1)
    out = run_oci(cfg, emulator.endpoint("loggingsearch"), "logging-search", "search-logs",
                  "--search-query", f'search "{comp}/jobs/runs" | where data.message = \'two\'',
                  "--time-start", (end - dt.timedelta(hours=1)).isoformat(), "--time-end", end.isoformat())
    assert [r["data"]["logContent"]["subject"] for r in out["data"]["results"]] == [run.id]


def test_job_log_configuration_is_checked(emulator, oci_config, c, comp):
    lg = Logs(emulator, oci_config)
    proj = new_project(c, comp)
    gid = lg.wait(lg.log.create_log_group(LM.CreateLogGroupDetails(compartment_id=comp, display_name="g1")))
    other = lg.wait(lg.log.create_log_group(LM.CreateLogGroupDetails(compartment_id=comp, display_name="g2")))
    elsewhere = lg.wait(lg.log.create_log(other, LM.CreateLogDetails(display_name="x", log_type="CUSTOM")))
    cases = [
        (DS.JobLogConfigurationDetails(enable_logging=True, log_group_id=gid, log_id=elsewhere), 400, "not in the log"),
        (DS.JobLogConfigurationDetails(enable_logging=True, log_group_id=gid), 400, "enableAutoLogCreation"),
        (DS.JobLogConfigurationDetails(enable_logging=True, enable_auto_log_creation=True,
                                       log_group_id="ocid1.loggroup.oc1..nope"), 404, "does not exist"),
        (DS.JobLogConfigurationDetails(enable_logging=False, log_group_id=gid), 400, "enableLogging"),
    ]
    for cfg, status, text in cases:
        with pytest.raises(E) as e:
            logging_job(c, comp, proj, cfg)
        assert e.value.status == status and text in e.value.message, (cfg, e.value.message)


def test_every_data_science_kind_moves(c, comp):
    """change_*_compartment for projects, notebook sessions, models, deployments, jobs and job runs."""
    dev = next(x.id for x in c.identity.list_compartments(c.tenancy).data if x.name == "Development")
    dest = c.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=c.tenancy, name=unique("ds-dest"), description="moves land here")).data.id
    proj = next(p for p in c.ds.list_projects(dev).data if p.display_name == "house-prices")
    nb = next(n for n in c.ds.list_notebook_sessions(dev).data if n.display_name == "explore-prices")
    model = next(m for m in c.ds.list_models(dev).data if m.display_name == "house-price-linear")
    md = next(d for d in c.ds.list_model_deployments(dev).data if d.display_name == "house-price-api")
    job = c.ds.create_job(DS.CreateJobDetails(
        compartment_id=comp, project_id=proj.id,
        job_configuration_details=DS.DefaultJobConfigurationDetails(),
        job_infrastructure_configuration_details=DS.ManagedEgressStandaloneJobInfrastructureConfigurationDetails(
            job_infrastructure_type="ME_STANDALONE", shape_name="VM.Standard2.1", block_storage_size_in_gbs=50))).data
    c.ds.create_job_artifact(job.id, b"print('moved')\n", content_disposition='attachment; filename="m.py"')
    run = c.ds.create_job_run(DS.CreateJobRunDetails(compartment_id=comp, project_id=proj.id, job_id=job.id)).data
    wait_state(c.ds, c.ds.get_job_run, run.id, "SUCCEEDED")
    moves = [(c.ds.change_notebook_session_compartment, nb.id, DS.ChangeNotebookSessionCompartmentDetails,
              c.ds.get_notebook_session),
             (c.ds.change_model_compartment, model.id, DS.ChangeModelCompartmentDetails, c.ds.get_model),
             (c.ds.change_model_deployment_compartment, md.id, DS.ChangeModelDeploymentCompartmentDetails,
              c.ds.get_model_deployment),
             (c.ds.change_job_compartment, job.id, DS.ChangeJobCompartmentDetails, c.ds.get_job),
             (c.ds.change_job_run_compartment, run.id, DS.ChangeJobRunCompartmentDetails, c.ds.get_job_run),
             (c.ds.change_project_compartment, proj.id, DS.ChangeProjectCompartmentDetails, c.ds.get_project)]
    for change, ident, details, get in moves:
        resp = change(ident, details(compartment_id=dest))
        if "opc-work-request-id" in resp.headers:
            wait_wr(c, resp)
        assert get(ident).data.compartment_id == dest, change.__name__
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.ds.change_project_compartment(proj.id, DS.ChangeProjectCompartmentDetails(
            compartment_id="ocid1.compartment.oc1..nowhere"))
    assert e.value.status == 404


# ---------------------------------------------------------------- the oci CLI

def test_cli_project_notebook_model_deployment(emulator, comp, tmp_path):
    cfg = tmp_path / "config"
    emulator.write_config(cfg)
    ep = emulator.endpoint("data_science")
    proj = run_oci(cfg, ep, "data-science", "project", "create", "--compartment-id", comp,
                   "--display-name", "cli-proj", "--wait-for-state", "ACTIVE")["data"]
    nb = run_oci(cfg, ep, "data-science", "notebook-session", "create", "--compartment-id", comp,
                 "--project-id", proj["id"], "--display-name", "cli-nb", "--config-details", json.dumps({
                     "shape": "VM.Standard2.1", "blockStorageSizeInGBs": 50}), "--wait-for-state", "SUCCEEDED")
    nb_id = nb["data"]["resources"][0]["identifier"]
    run_oci(cfg, ep, "data-science", "notebook-session", "deactivate", "--notebook-session-id", nb_id,
            "--wait-for-state", "SUCCEEDED")
    got = run_oci(cfg, ep, "data-science", "notebook-session", "get", "--notebook-session-id", nb_id)["data"]
    assert got["lifecycle-state"] == "INACTIVE"
    run_oci(cfg, ep, "data-science", "notebook-session", "activate", "--notebook-session-id", nb_id,
            "--wait-for-state", "SUCCEEDED")

    model = run_oci(cfg, ep, "data-science", "model", "create", "--compartment-id", comp, "--project-id",
                    proj["id"], "--display-name", "cli-model")["data"]
    art = tmp_path / "m.zip"
    art.write_bytes(zip_of({"score.py": SCORE}))
    run_oci(cfg, ep, "data-science", "model", "create-model-artifact", "--model-id", model["id"],
            "--model-artifact-file", str(art), "--content-disposition", 'attachment; filename="m.zip"')
    md = run_oci(cfg, ep, "data-science", "model-deployment", "create", "--compartment-id", comp,
                 "--project-id", proj["id"], "--display-name", "cli-md",
                 "--model-deployment-configuration-details", json.dumps({
                     "deploymentType": "SINGLE_MODEL", "modelConfigurationDetails": {
                         "modelId": model["id"], "instanceConfiguration": {"instanceShapeName": "VM.Standard2.1"},
                         "scalingPolicy": {"policyType": "FIXED_SIZE", "instanceCount": 1}, "bandwidthMbps": 10}}),
                 "--wait-for-state", "SUCCEEDED")
    md_id = md["data"]["resources"][0]["identifier"]
    out = run_oci(cfg, emulator.endpoint("model_deployment"), "model-deployment", "inference-result", "predict",
                  "--model-deployment-id", md_id, "--request-body", json.dumps({"data": [2]}))
    assert out["data"] == {"prediction": [7.0]} or json.loads(out["data"]) == {"prediction": [7.0]}
