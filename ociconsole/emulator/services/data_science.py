"""Data Science (`/data_science`, DataScienceClient; `/model_deployment`, ModelDeploymentClient.predict):
projects, notebook sessions, models and their artifacts, model deployments with a predict endpoint,
jobs and job runs, and the service's own work requests.

What OCI does and the emulator does too:

- Projects are ACTIVE at once; deleting one that still holds live notebook sessions, models, deployments
  or jobs is a 409. Deleting a project answers with an `opc-work-request-id`.
- Notebook sessions: a shape (flexible shapes need OCPUs and memory within the shape's limits), a block
  volume of 50 to 10,240 GB (kept while the session is INACTIVE), a subnet or default networking, and a
  runtime configuration (environment variables, up to 3 Git repositories). create, activate, deactivate
  and delete answer with a work request (NOTEBOOK_SESSION_CREATE/ACTIVATE/DEACTIVATE/DELETE) as OCI's
  do: ACTIVE -> UPDATING -> INACTIVE and back; any other state is a 409. The shape, block volume and
  subnet may change only while INACTIVE. `notebookSessionUrl` is
  `https://notebook.<region>.oci.oraclecloud.com/notebooks/<id>/`.
- Models are ACTIVE at once, with custom and defined metadata (OCI's keys, categories and limits), input
  and output schemas (JSON, up to 32,000 characters) and provenance. The artifact is a zip uploaded once
  (a second upload is a 409, a body that is not a zip a 400), downloaded with its content-disposition,
  MD5 and length (HEAD too). A model a live deployment uses cannot be deleted or deactivated (409).
- Model deployments: shape, instance count (1-10), load balancer bandwidth (10-8,000 Mbps), an ACTIVE
  model that has an artifact. Create, update, activate, deactivate and delete answer with a work request.
  `predict` runs the model's `score.py` (OCI's convention: `load_model()` and `predict(data, model=...)`)
  in a SUBPROCESS with a timeout, never in the emulator's process, outside the state lock; a score.py
  that imports what the sandbox has not (scikit-learn...) is a 501 that says so. Every real predict is
  counted per minute; the `oci_datascience_modeldeploy` metrics (PredictRequestCount, PredictResponse:
  the successful (2XX) responses, PredictLatency: mean milliseconds) read those counts. OCI also splits
  PredictResponse by statusCode: the emulator has one stream per deployment (resourceId).
- Jobs hold a Python script artifact; a job run executes it in a subprocess (on a worker thread, outside
  the state lock) with the job's and the run's environment variables and command-line arguments, bounded
  by maximumRuntimeInMinutes and a sandbox cap of 60 s; its state follows the script (SUCCEEDED on exit
  code 0, FAILED otherwise, with the exit code in lifecycleDetails). A job's `jobLogConfigurationDetails` (or
  a run's `jobLogConfigurationOverrideDetails`) is checked at create: with enableLogging, `logGroupId` a live
  log group of the region and `logId` a live CUSTOM log of that group, unless enableAutoLogCreation (then each
  run gets a CUSTOM log of its own in the group, named after the run, created through Logging's own kind and
  checks); the IDs are 404 when gone, a log of another group or a SERVICE log a 400. The run's `logDetails`
  names its log; when the script ends, its stdout and stderr lines become entries of that log (types
  `com.oraclecloud.datascience.jobrun.stdout` / `.stderr`, the run's OCID as source, subject and resource,
  `data.message` the line), found by SearchLogs and the Log Explorer. The lines are also kept in the run's
  document (`job_run_logs(store, run_id)`).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from datetime import UTC, datetime

import numpy as np

from .. import service_logs
from ..engine import KINDS, Kind, Lifecycle
from ..metrics import MINUTE, Gen, Metric, MetricSource, declare
from ..protocol import ApiError, conflict, incorrect_state, invalid, parse_json, ts
from ..registry import Context, Result, Service
from . import workrequests

svc = Service("data_science", name="data_science")
predict_svc = Service("model_deployment", name="model_deployment")

WR_SERVICE = "datascience"  # work requests: ocid1.datascienceworkrequest...
ARTIFACT_KIND = "_dsartifact"  # a model's or job's artifact: {id: owner OCID, data: base64, ...}
PREDICT_KIND = "_dspredict"  # per deployment: predict counts per minute
BLOCK_MIN, BLOCK_MAX = 50, 10240
MAX_GIT_REPOS = 3
MAX_ENV_VARS = 100
MAX_ARTIFACT = 50 * 1024 * 1024  # the emulator keeps artifacts in its store (OCI takes up to 6 GB)
MAX_UNZIPPED = 200 * 1024 * 1024
SCHEMA_MAX = 32000
METADATA_MAX = 50
PREDICT_TIMEOUT = 10.0  # seconds a score.py may take (OCI cuts a predict call at 60 s)
JOB_TIMEOUT_CAP = 60.0  # seconds the sandbox lets a job run, whatever maximumRuntimeInMinutes says
MAX_LOG_LINES = 1000
KEEP_PREDICT_MINUTES = 14 * 24 * 60

# ---------------------------------------------------------------- shapes

# name -> (OCPUs or None for flex, memory GB, series, flex limits (min ocpu, max ocpu, GB per OCPU max, max GB))
SHAPES = {
    "VM.Standard2.1": (1, 15, "INTEL_SKYLAKE", None),
    "VM.Standard2.2": (2, 30, "INTEL_SKYLAKE", None),
    "VM.Standard2.4": (4, 60, "INTEL_SKYLAKE", None),
    "VM.Standard2.8": (8, 120, "INTEL_SKYLAKE", None),
    "VM.Standard2.16": (16, 240, "INTEL_SKYLAKE", None),
    "VM.Standard.E3.Flex": (None, None, "AMD_ROME", (1, 64, 64, 1024)),
    "VM.Standard.E4.Flex": (None, None, "AMD_ROME", (1, 64, 64, 1024)),
    "VM.Standard3.Flex": (None, None, "INTEL_SKYLAKE", (1, 32, 64, 512)),
    "VM.Optimized3.Flex": (None, None, "INTEL_SKYLAKE", (1, 18, 64, 256)),
    "VM.Standard.A1.Flex": (None, None, "ARM", (1, 80, 64, 512)),
    "VM.GPU2.1": (12, 72, "NVIDIA_GPU", None),
    "VM.GPU3.1": (6, 90, "NVIDIA_GPU", None),
}


def _shape_summaries(ctx: Context) -> list[dict]:
    ctx.compartment(ctx.query.get("compartmentId"))
    out = []
    for name, (ocpus, mem, series, flex) in SHAPES.items():
        out.append({"name": name, "coreCount": ocpus if ocpus is not None else flex[1],
                    "memoryInGBs": mem if mem is not None else flex[3], "shapeSeries": series})
    return out


def check_shape(shape, cfg: dict | None, where: str) -> dict | None:
    """The shape config OCI keeps for `shape` (None for a fixed shape), or a 400."""
    if shape not in SHAPES:
        raise invalid(f"{where}.shape '{str(shape)[:60]}' is not a Data Science shape (known: {', '.join(SHAPES)})")
    ocpus, _mem, _series, flex = SHAPES[shape]
    cfg = cfg or {}
    if flex is None:
        if cfg.get("ocpus") not in (None, ocpus):
            raise invalid(f"{where}: {shape} is a fixed shape; its OCPUs cannot be chosen")
        return None
    lo, hi, per, max_mem = flex
    o = cfg.get("ocpus")
    m = cfg.get("memoryInGBs")
    if o is None:
        raise invalid(f"{where}: {shape} is a flexible shape; shape config ocpus is required")
    if not lo <= float(o) <= hi:
        raise invalid(f"{where}: {shape} takes {lo} to {hi} OCPUs, got {o:g}")
    if m is None:
        m = min(max_mem, float(o) * 16)
    if not 1 <= float(m) <= min(max_mem, float(o) * per):
        raise invalid(f"{where}: {shape} with {float(o):g} OCPUs takes 1 to {min(max_mem, float(o) * per):g} GB of "
                      f"memory, got {float(m):g}")
    return {"ocpus": float(o), "memoryInGBs": float(m)}


# ---------------------------------------------------------------- work requests

def start_wr(ctx: Context, op_type: str, doc: dict, action: str) -> str:
    entity = {"datascienceproject": "project", "datasciencenotebooksession": "notebooksession",
              "datasciencemodeldeployment": "modeldeployment", "datasciencejob": "job"}.get(doc.get("_kind", ""), "")
    wr = workrequests.start(ctx, WR_SERVICE, op_type, doc.get("compartmentId") or ctx.tenancy_id, [
        {"entityType": entity or op_type.split("_")[0].lower(), "actionType": action, "identifier": doc["id"],
         "entityUri": ctx.op.path if ctx.op is not None else ""}])
    return wr["id"]


@svc.hook("data_science.wr_done")
def _wr_done(core, doc: dict, args: dict) -> None:
    kind = KINDS.get(args.get("kind", ""))
    if kind is not None and doc and doc.get("lifecycleState") in ("CREATING", "UPDATING", "DELETING"):
        # not settled yet (another change came first): look again after one more transition
        core.schedule(kind.name, doc["id"], {}, steps=1, hook="data_science.wr_done", args=args)
        return
    workrequests.finish(core, args["wr"], True, args.get("message"))


def with_wr(ctx: Context, kind: Kind, doc: dict, op_type: str, action: str, message: str) -> None:
    wr = start_wr(ctx, op_type, dict(doc, _kind=kind.name), action)
    ctx.schedule(kind.name, doc["id"], {}, steps=1, hook="data_science.wr_done",
                 args={"wr": wr, "kind": kind.name, "message": message})


# this service's own work-request API (get_work_request, list_work_requests, their errors and logs)
workrequests.serve(svc, WR_SERVICE, newest_first=True)


# ---------------------------------------------------------------- projects

def _in_project(ctx: Context, project_id: str) -> list[tuple[str, dict]]:
    out = []
    for kind in ("datasciencenotebooksession", "datasciencemodel", "datasciencemodeldeployment", "datasciencejob"):
        k = KINDS[kind]
        for d in ctx.store.by_field(kind, "projectId", project_id):
            if k.is_live(d):
                out.append((k.what, d))
    return out


def _project_in_use(ctx: Context, doc: dict) -> None:
    used = _in_project(ctx, doc["id"])
    if used:
        names = ", ".join(f"{what} {d.get('displayName')}" for what, d in used[:5])
        raise conflict(f"The project {doc['displayName']} still holds {len(used)} resource(s) ({names}"
                       f"{', ...' if len(used) > 5 else ''}); delete them before deleting the project")


def _project_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    d = body.get("description")
    if d is not None and len(d) > 400:
        raise invalid(f"description must be at most 400 characters, got {len(d)}")
    return {} if existing is not None else {"createdBy": _creator(ctx)}


def _creator(ctx: Context) -> str:
    p = ctx.principal
    return getattr(p, "user_id", None) or getattr(p, "id", None) or ctx.tenancy_id


PROJECT = svc.resource(Kind(
    "datascienceproject", "Project", "project", lifecycle=Lifecycle(None, "ACTIVE", None, "DELETING", "DELETED"),
    default_name="project", validate=_project_checks, check_delete=_project_in_use, search="DataScienceProject"))


@svc.op("delete_project")
def delete_project(ctx: Context):
    doc = ctx.get("datascienceproject", ctx.path["projectId"], "project")
    PROJECT.delete(ctx)
    with_wr(ctx, PROJECT, doc, "PROJECT_DELETE", "DELETED", "Project deleted")


# ---------------------------------------------------------------- notebook sessions

def _config(ctx: Context, cfg: dict | None, where: str, required: bool) -> dict | None:
    if not cfg:
        if required:
            raise ApiError(400, "MissingParameter", f"{where}.shape is required")
        return None
    shape = ctx.require(cfg.get("shape"), f"{where}.shape")
    size = cfg.get("blockStorageSizeInGBs")
    size = 100 if size is None else size
    if not isinstance(size, int) or isinstance(size, bool) or not BLOCK_MIN <= size <= BLOCK_MAX:
        raise invalid(f"{where}.blockStorageSizeInGBs must be {BLOCK_MIN} to {BLOCK_MAX:,} GB, got {size}")
    sub = cfg.get("subnetId")
    if sub is not None:
        s = ctx.find("subnet", sub)
        if s is None or s.get("lifecycleState") != "AVAILABLE":
            raise ApiError(404, "NotAuthorizedOrNotFound",
                           f"{where}.subnetId: the subnet {sub} does not exist in {ctx.region} or is not AVAILABLE")
    out = {"shape": shape, "blockStorageSizeInGBs": size}
    if sub is not None:
        out["subnetId"] = sub
    sc = check_shape(shape, cfg.get("notebookSessionShapeConfigDetails"), where)
    if sc is not None:
        out["notebookSessionShapeConfigDetails"] = sc
    return out


def _runtime(rt: dict | None) -> dict | None:
    if not rt:
        return None
    env = rt.get("customEnvironmentVariables") or {}
    if len(env) > MAX_ENV_VARS:
        raise invalid(f"customEnvironmentVariables: at most {MAX_ENV_VARS} variables, got {len(env)}")
    for k, v in env.items():
        if not k or not (k[0].isalpha() or k[0] == "_") or not all(c.isalnum() or c == "_" for c in k):
            raise invalid(f"customEnvironmentVariables: '{k[:40]}' is not a valid variable name (letters, digits and "
                          "underscores, not starting with a digit)")
        if not isinstance(v, str):
            raise invalid(f"customEnvironmentVariables: the value of {k} must be a string")
    git = (rt.get("notebookSessionGitConfigDetails") or {}).get("notebookSessionGitRepoConfigCollection") or []
    if len(git) > MAX_GIT_REPOS:
        raise invalid(f"notebookSessionGitRepoConfigCollection: at most {MAX_GIT_REPOS} Git repositories, "
                      f"got {len(git)}")
    for i, r in enumerate(git):
        url = (r or {}).get("url") or ""
        if not url.startswith(("https://", "http://")) or len(url) > 512:
            raise invalid(f"notebookSessionGitRepoConfigCollection[{i}].url '{url[:60]}' is not an http(s) URL")
    return {"customEnvironmentVariables": dict(env),
            "notebookSessionGitConfigDetails": {"notebookSessionGitRepoConfigCollection":
                                                [{"url": r["url"]} for r in git]}}


def _both_configs(c: dict) -> dict:
    """The session's configuration under both names the API has: the legacy notebookSessionConfigurationDetails
    (which always names a subnet) only when the session has one; notebookSessionConfigDetails always."""
    return {"notebookSessionConfigDetails": c, "notebookSessionConfigurationDetails": c if c.get("subnetId") else None}


def _notebook_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    cfg = body.get("notebookSessionConfigDetails") or body.get("notebookSessionConfigurationDetails")
    out: dict = {}
    if existing is None:
        c = _config(ctx, cfg, "notebookSessionConfigDetails", required=True)
        out.update(_both_configs(c))
        out["createdBy"] = _creator(ctx)
        out["lifecycleDetails"] = "Provisioning the notebook session"
    elif cfg:
        if existing["lifecycleState"] != "INACTIVE":
            raise incorrect_state(f"The notebook session is {existing['lifecycleState']}; its shape, block storage "
                                  "and networking can change only while it is INACTIVE")
        c = _config(ctx, cfg, "notebookSessionConfigurationDetails", required=True)
        old = (existing.get("notebookSessionConfigDetails") or {}).get("blockStorageSizeInGBs") or 0
        if c["blockStorageSizeInGBs"] < old:
            raise invalid(f"blockStorageSizeInGBs: a block volume can grow but not shrink ({old} GB now)")
        out.update(_both_configs(c))
    if body.get("notebookSessionRuntimeConfigDetails") is not None:
        out["notebookSessionRuntimeConfigDetails"] = _runtime(body["notebookSessionRuntimeConfigDetails"])
    if body.get("notebookSessionStorageMountConfigurationDetailsList"):
        raise invalid("notebookSessionStorageMountConfigurationDetailsList: storage mounts are not emulated")
    return out


def _notebook_created(ctx: Context, doc: dict) -> None:
    ctx.update("datasciencenotebooksession", doc["id"], {
        "notebookSessionUrl": f"https://notebook.{ctx.region}.oci.oraclecloud.com/notebooks/{doc['id']}/"})


NOTEBOOK = svc.resource(Kind(
    "datasciencenotebooksession", "NotebookSession", "notebook session",
    lifecycle=Lifecycle("CREATING", "ACTIVE", None, "DELETING", "DELETED", "FAILED"),
    live=("CREATING", "ACTIVE", "UPDATING", "INACTIVE"), update_states=("ACTIVE", "INACTIVE"),
    parent=("projectId", "datascienceproject"), default_name="notebooksession", validate=_notebook_checks,
    on_create=_notebook_created, on_ready=lambda core, doc: core.store.update(
        "datasciencenotebooksession", doc["id"], {"lifecycleDetails": None}),
    search="DataScienceNotebookSession"))


@svc.op("create_notebook_session")
def create_notebook_session(ctx: Context):
    doc = NOTEBOOK.create(ctx)
    with_wr(ctx, NOTEBOOK, doc, "NOTEBOOK_SESSION_CREATE", "CREATED", "Notebook session is active")
    return NOTEBOOK.get(ctx, doc["id"])


@svc.op("delete_notebook_session")
def delete_notebook_session(ctx: Context):
    doc = ctx.get("datasciencenotebooksession", ctx.path["notebookSessionId"], "notebook session")
    if doc["lifecycleState"] == "UPDATING":
        raise incorrect_state("The notebook session is UPDATING (activating or deactivating); delete it once it "
                              "is ACTIVE or INACTIVE")
    NOTEBOOK.delete(ctx)
    with_wr(ctx, NOTEBOOK, doc, "NOTEBOOK_SESSION_DELETE", "DELETED", "Notebook session and its block volume deleted")


def _switch(ctx: Context, kind: Kind, ident: str, frm: str, to: str, op_type: str, message: str,
            details: str | None = None) -> None:
    doc = ctx.get_for_write(kind.name, ident, kind.what)
    if doc["lifecycleState"] != frm:
        verb = "activated" if to == "ACTIVE" else "deactivated"
        raise incorrect_state(f"The {kind.what} is {doc['lifecycleState']}; it can be {verb} only when it is {frm}")
    ctx.update(kind.name, doc["id"], {"lifecycleState": "UPDATING", "lifecycleDetails": None})
    ctx.schedule(kind.name, doc["id"], {"lifecycleState": to, "lifecycleDetails": details}, steps=1,
                 when_state="UPDATING")
    with_wr(ctx, kind, doc, op_type, "UPDATED", message)


@svc.op("activate_notebook_session")
def activate_notebook_session(ctx: Context):
    _switch(ctx, NOTEBOOK, ctx.path["notebookSessionId"], "INACTIVE", "ACTIVE", "NOTEBOOK_SESSION_ACTIVATE",
            "Notebook session activated")


@svc.op("deactivate_notebook_session")
def deactivate_notebook_session(ctx: Context):
    doc = ctx.get("datasciencenotebooksession", ctx.path["notebookSessionId"], "notebook session")
    size = (doc.get("notebookSessionConfigDetails") or {}).get("blockStorageSizeInGBs")
    _switch(ctx, NOTEBOOK, doc["id"], "ACTIVE", "INACTIVE", "NOTEBOOK_SESSION_DEACTIVATE",
            "Notebook session deactivated", f"Deactivated: the {size} GB block volume is kept (compute is not billed)")


@svc.op("list_notebook_session_shapes")
def list_notebook_session_shapes(ctx: Context):
    return _shape_summaries(ctx)


# ---------------------------------------------------------------- models

USE_CASES = ("binary_classification", "regression", "multinomial_classification", "clustering", "recommender",
             "dimensionality_reduction/representation", "time_series_forecasting", "anomaly_detection",
             "topic_modeling", "ner", "sentiment_analysis", "image_classification", "object_localization", "other")
FRAMEWORKS = ("scikit-learn", "xgboost", "tensorflow", "pytorch", "mxnet", "keras", "lightGBM", "pymc3", "pyOD",
              "spacy", "prophet", "sktime", "statsmodels", "cuml", "oracle_automl", "h2o", "transformers", "nltk",
              "emcee", "pystan", "bert", "gensim", "flair", "word2vec", "ensemble", "other")
DEFINED_KEYS = ("UseCaseType", "Framework", "FrameworkVersion", "Algorithm", "Hyperparameters", "ArtifactTestResults")
CUSTOM_CATEGORIES = ("Performance", "Training Profile", "Training and Validation Datasets", "Training Environment",
                     "other")


def _metadata(items, where: str, defined: bool) -> list[dict] | None:
    if items is None:
        return None
    if len(items) > METADATA_MAX:
        raise invalid(f"{where}: at most {METADATA_MAX} items, got {len(items)}")
    seen = set()
    out = []
    for i, m in enumerate(items):
        key = (m or {}).get("key")
        if not isinstance(key, str) or not key.strip() or len(key) > 255:
            raise invalid(f"{where}[{i}].key is required (1-255 characters)")
        if key in seen:
            raise invalid(f"{where}[{i}].key '{key}' appears twice")
        seen.add(key)
        value = m.get("value")
        if value is not None and len(str(value)) > 255:
            raise invalid(f"{where}[{i}].value must be at most 255 characters")
        if defined:
            if key not in DEFINED_KEYS:
                raise invalid(f"{where}[{i}].key '{key}' is not a defined metadata key "
                              f"(known: {', '.join(DEFINED_KEYS)})")
            if key == "UseCaseType" and value is not None and value not in USE_CASES:
                raise invalid(f"{where}[{i}]: UseCaseType '{value}' is not one of {', '.join(USE_CASES)}")
            if key == "Framework" and value is not None and value not in FRAMEWORKS:
                raise invalid(f"{where}[{i}]: Framework '{value}' is not one of {', '.join(FRAMEWORKS)}")
        elif m.get("category") is not None and m["category"] not in CUSTOM_CATEGORIES:
            raise invalid(f"{where}[{i}].category '{m['category']}' is not one of {', '.join(CUSTOM_CATEGORIES)}")
        out.append({k: v for k, v in m.items() if v is not None})
    return out


def _schema(text, where: str):
    if text is None:
        return None
    if len(text) > SCHEMA_MAX:
        raise invalid(f"{where} must be at most {SCHEMA_MAX:,} characters, got {len(text):,}")
    parse_json(text, where)
    return text


def _model_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    out: dict = {}
    for f, defined in (("customMetadataList", False), ("definedMetadataList", True)):
        if body.get(f) is not None:
            out[f] = _metadata(body[f], f, defined)
    if existing is None:
        for f in ("inputSchema", "outputSchema"):
            if body.get(f) is not None:
                out[f] = _schema(body[f], f)
        out.update(createdBy=_creator(ctx), category="USER", isModelByReference=False, lifecycleDetails="Active")
    d = body.get("description")
    if d is not None and len(d) > 400:
        raise invalid(f"description must be at most 400 characters, got {len(d)}")
    return out




def _deployments_of(ctx: Context, model_id: str) -> list[dict]:
    k = KINDS["datasciencemodeldeployment"]
    return [d for d in ctx.store.by_field("datasciencemodeldeployment", "_modelId", model_id) if k.is_live(d)]


def _model_in_use(ctx: Context, doc: dict) -> None:
    used = _deployments_of(ctx, doc["id"])
    if used:
        raise conflict(f"The model {doc['displayName']} is used by the model deployment {used[0]['displayName']}; "
                       "delete the deployment first")


def _model_deleted(ctx: Context, doc: dict) -> None:
    ctx.store.delete(ARTIFACT_KIND, doc["id"])


MODEL = svc.resource(Kind(
    "datasciencemodel", "Model", "model", lifecycle=Lifecycle(None, "ACTIVE", None, None, "DELETED", "FAILED"),
    live=("ACTIVE", "INACTIVE"), update_states=("ACTIVE", "INACTIVE"), parent=("projectId", "datascienceproject"),
    default_name="model", validate=_model_checks, check_delete=_model_in_use, on_delete=_model_deleted,
    search="DataScienceModel"))


@svc.op("activate_model")
def activate_model(ctx: Context):
    doc = ctx.get_for_write("datasciencemodel", ctx.path["modelId"], "model")
    if doc["lifecycleState"] != "INACTIVE":
        raise incorrect_state(f"The model is {doc['lifecycleState']}; only an INACTIVE model can be activated")
    return MODEL.public(ctx.update("datasciencemodel", doc["id"], {"lifecycleState": "ACTIVE",
                                                                    "lifecycleDetails": "Active"}))


@svc.op("deactivate_model")
def deactivate_model(ctx: Context):
    doc = ctx.get_for_write("datasciencemodel", ctx.path["modelId"], "model")
    if doc["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"The model is {doc['lifecycleState']}; only an ACTIVE model can be deactivated")
    _model_in_use(ctx, doc)
    return MODEL.public(ctx.update("datasciencemodel", doc["id"], {"lifecycleState": "INACTIVE",
                                                                    "lifecycleDetails": "Inactive"}))


# -- artifacts (models and jobs)

def _artifact_name(ctx: Context, default: str) -> str:
    cd = ctx.headers.get("content-disposition") or ""
    for part in cd.split(";"):
        k, _, v = part.strip().partition("=")
        if k.lower() == "filename" and v:
            return v.strip('"')[:255]
    return default


def _store_artifact(ctx: Context, owner: dict, data: bytes, name: str) -> None:
    ctx.put(ARTIFACT_KIND, {"id": owner["id"], "_region": owner.get("_region"), "name": name, "size": len(data),
                            "md5": base64.b64encode(hashlib.md5(data).digest()).decode(),
                            "timeCreated": ctx.ts(), "data": base64.b64encode(data).decode()})


def _body_bytes(ctx: Context) -> bytes:
    raw = ctx.raw_body
    data = raw.read() if hasattr(raw, "read") else (raw or b"")
    if not data:
        raise ApiError(400, "MissingParameter", "The artifact (the request body) is required")
    if len(data) > MAX_ARTIFACT:
        raise ApiError(413, "RequestEntityTooLarge", f"The emulator keeps artifacts up to {MAX_ARTIFACT // 2**20} MB")
    return data


@svc.op("create_model_artifact")
def create_model_artifact(ctx: Context):
    model = ctx.get_for_write("datasciencemodel", ctx.path["modelId"], "model")
    if model["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"The model is {model['lifecycleState']}; an artifact can be added to an ACTIVE model")
    if ctx.store.get(ARTIFACT_KIND, model["id"]) is not None:
        raise conflict("The model already has an artifact: a model's artifact cannot be replaced; create a new "
                       "model (a new version) instead")
    data = _body_bytes(ctx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            bad = z.testzip()
    except zipfile.BadZipFile:
        raise invalid("The model artifact must be a zip archive (score.py, runtime.yaml and the model's files); "
                      "the body is not a zip file") from None
    if bad is not None:
        raise invalid(f"The model artifact zip is damaged: {bad} fails its CRC check")
    _store_artifact(ctx, model, data, _artifact_name(ctx, "artifact.zip"))
    return None


def _artifact(ctx: Context, owner_kind: str, ident: str, what: str) -> dict:
    ctx.get(owner_kind, ident, what)
    art = ctx.store.get(ARTIFACT_KIND, ident)
    if art is None:
        raise ApiError(404, "NotAuthorizedOrNotFound", f"The {what} {ident} has no artifact")
    return art


def _artifact_headers(art: dict) -> dict:
    modified = datetime.fromisoformat(art["timeCreated"].replace("Z", "+00:00")).astimezone(UTC)
    return {"content-disposition": f'attachment; filename="{art["name"]}"', "content-md5": art["md5"],
            "content-length": str(art["size"]), "last-modified": modified.strftime("%a, %d %b %Y %H:%M:%S GMT"),
            "etag": art["md5"]}


def _artifact_result(art: dict, head: bool) -> Result:
    headers = _artifact_headers(art)
    if head:
        return Result(None, 200, headers, raw=b"")
    data = base64.b64decode(art["data"])
    return Result(None, 200, headers, raw=data, content_type="application/octet-stream")


@svc.op("get_model_artifact_content")
def get_model_artifact_content(ctx: Context):
    return _artifact_result(_artifact(ctx, "datasciencemodel", ctx.path["modelId"], "model"), False)


@svc.op("head_model_artifact")
def head_model_artifact(ctx: Context):
    return _artifact_result(_artifact(ctx, "datasciencemodel", ctx.path["modelId"], "model"), True)


# -- provenance

PROVENANCE_FIELDS = ("repositoryUrl", "gitBranch", "gitCommit", "scriptDir", "trainingScript", "trainingId")


def _provenance(body: dict) -> dict:
    out = {}
    for f in PROVENANCE_FIELDS:
        v = (body or {}).get(f)
        if v is not None:
            if len(str(v)) > 255:
                raise invalid(f"{f} must be at most 255 characters")
            out[f] = v
    return out


@svc.op("create_model_provenance")
def create_model_provenance(ctx: Context):
    model = ctx.get_for_write("datasciencemodel", ctx.path["modelId"], "model")
    if model.get("_provenance") is not None:
        raise conflict("The model already has provenance; update it instead")
    prov = _provenance(ctx.body)
    ctx.update("datasciencemodel", model["id"], {"_provenance": prov})
    return prov


@svc.op("get_model_provenance")
def get_model_provenance(ctx: Context):
    model = ctx.get("datasciencemodel", ctx.path["modelId"], "model")
    if model.get("_provenance") is None:
        raise ApiError(404, "NotAuthorizedOrNotFound", f"The model {model['id']} has no provenance")
    return model["_provenance"]


@svc.op("update_model_provenance")
def update_model_provenance(ctx: Context):
    model = ctx.get_for_write("datasciencemodel", ctx.path["modelId"], "model")
    prov = dict(model.get("_provenance") or {})
    prov.update(_provenance(ctx.body))
    ctx.update("datasciencemodel", model["id"], {"_provenance": prov})
    return prov


# ---------------------------------------------------------------- model deployments

def _deployment_config(ctx: Context, cfg: dict | None) -> tuple[dict, dict]:
    """(the configuration OCI keeps, the model) of a create body's modelDeploymentConfigurationDetails."""
    if not cfg:
        raise ApiError(400, "MissingParameter", "modelDeploymentConfigurationDetails is required")
    dtype = cfg.get("deploymentType") or "SINGLE_MODEL"
    if dtype != "SINGLE_MODEL":
        raise invalid(f"deploymentType {dtype}: the emulator deploys single models (SINGLE_MODEL)")
    mc = cfg.get("modelConfigurationDetails") or {}
    where = "modelConfigurationDetails"
    model_id = ctx.require(mc.get("modelId"), f"{where}.modelId")
    model = ctx.find("datasciencemodel", model_id)
    if model is None:
        raise ApiError(404, "NotAuthorizedOrNotFound", f"{where}.modelId: the model {model_id} does not exist")
    if model["lifecycleState"] != "ACTIVE":
        raise invalid(f"{where}.modelId: the model is {model['lifecycleState']}; only an ACTIVE model can be deployed")
    if ctx.store.get(ARTIFACT_KIND, model["id"]) is None:
        raise invalid(f"{where}.modelId: the model {model['displayName']} has no artifact; upload its artifact "
                      "before deploying it")
    ic = mc.get("instanceConfiguration") or {}
    shape = ctx.require(ic.get("instanceShapeName"), f"{where}.instanceConfiguration.instanceShapeName")
    sc = check_shape(shape, ic.get("modelDeploymentInstanceShapeConfigDetails"), f"{where}.instanceConfiguration")
    sub = ic.get("subnetId")
    if sub is not None and ctx.find("subnet", sub) is None:
        raise ApiError(404, "NotAuthorizedOrNotFound", f"{where}.instanceConfiguration.subnetId: the subnet {sub} "
                                                       "does not exist")
    sp = mc.get("scalingPolicy") or {"policyType": "FIXED_SIZE", "instanceCount": 1}
    if sp.get("policyType", "FIXED_SIZE") != "FIXED_SIZE":
        raise invalid(f"{where}.scalingPolicy: the emulator scales deployments to a fixed size (FIXED_SIZE)")
    count = sp.get("instanceCount")
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 10:
        raise invalid(f"{where}.scalingPolicy.instanceCount must be 1 to 10, got {count}")
    bw = mc.get("bandwidthMbps")
    bw = 10 if bw is None else bw
    if not isinstance(bw, int) or isinstance(bw, bool) or not 10 <= bw <= 8000:
        raise invalid(f"{where}.bandwidthMbps: the load balancer bandwidth must be 10 to 8,000 Mbps, got {bw}")
    ic_out = {"instanceShapeName": shape, "subnetId": sub,
              "networkAccessType": "CUSTOM_NETWORKING" if sub else "MANAGED_NETWORKING_INTERNET_ACCESS"}
    if sc is not None:
        ic_out["modelDeploymentInstanceShapeConfigDetails"] = sc
    out = {"deploymentType": "SINGLE_MODEL", "modelConfigurationDetails": {
        "modelId": model["id"], "instanceConfiguration": ic_out,
        "scalingPolicy": {"policyType": "FIXED_SIZE", "instanceCount": count}, "bandwidthMbps": bw}}
    if cfg.get("environmentConfigurationDetails"):
        out["environmentConfigurationDetails"] = cfg["environmentConfigurationDetails"]
    return out, model


def _deployment_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is not None:
        return {}
    cfg, model = _deployment_config(ctx, body.get("modelDeploymentConfigurationDetails"))
    return {"modelDeploymentConfigurationDetails": cfg, "_modelId": model["id"], "createdBy": _creator(ctx),
            "modelDeploymentSystemData": {"systemInfraType": "INSTANCE_POOL",
                                          "currentInstanceCount": cfg["modelConfigurationDetails"]["scalingPolicy"][
                                              "instanceCount"]}}


def _deployment_created(ctx: Context, doc: dict) -> None:
    ctx.update("datasciencemodeldeployment", doc["id"], {
        "modelDeploymentUrl": f"https://modeldeployment.{ctx.region}.oci.customer-oci.com/{doc['id']}"})


DEPLOYMENT = svc.resource(Kind(
    "datasciencemodeldeployment", "ModelDeployment", "model deployment",
    lifecycle=Lifecycle("CREATING", "ACTIVE", None, "DELETING", "DELETED", "FAILED"),
    live=("CREATING", "ACTIVE", "UPDATING", "INACTIVE", "NEEDS_ATTENTION"), update_states=("ACTIVE", "INACTIVE"),
    parent=("projectId", "datascienceproject"), default_name="modeldeployment", validate=_deployment_checks,
    on_create=_deployment_created, search="DataScienceModelDeployment"))


@svc.op("create_model_deployment")
def create_model_deployment(ctx: Context):
    doc = DEPLOYMENT.create(ctx)
    with_wr(ctx, DEPLOYMENT, doc, "MODEL_DEPLOYMENT_CREATE", "CREATED", "Model deployment is active")
    return DEPLOYMENT.get(ctx, doc["id"])


@svc.op("update_model_deployment")
def update_model_deployment(ctx: Context):
    doc = ctx.get_for_write("datasciencemodeldeployment", ctx.path["modelDeploymentId"], "model deployment")
    if doc["lifecycleState"] not in ("ACTIVE", "INACTIVE"):
        raise incorrect_state(f"The model deployment is {doc['lifecycleState']}; it can be updated when ACTIVE or "
                              "INACTIVE")
    body = dict(ctx.body or {})
    upd = body.pop("modelDeploymentConfigurationDetails", None)
    changes: dict = {}
    if upd:
        cfg = json.loads(json.dumps(doc["modelDeploymentConfigurationDetails"]))
        mc = cfg["modelConfigurationDetails"]
        umc = upd.get("modelConfigurationDetails") or {}
        if umc.get("modelId") and umc["modelId"] != mc["modelId"]:
            new, model = _deployment_config(ctx, {"modelConfigurationDetails": dict(mc, modelId=umc["modelId"])})
            mc["modelId"] = model["id"]
            changes["_modelId"] = model["id"]
        sp = umc.get("scalingPolicy")
        if sp:
            count = sp.get("instanceCount")
            if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 10:
                raise invalid(f"scalingPolicy.instanceCount must be 1 to 10, got {count}")
            mc["scalingPolicy"] = {"policyType": "FIXED_SIZE", "instanceCount": count}
        if umc.get("bandwidthMbps") is not None:
            bw = umc["bandwidthMbps"]
            if not isinstance(bw, int) or isinstance(bw, bool) or not 10 <= bw <= 8000:
                raise invalid(f"bandwidthMbps must be 10 to 8,000 Mbps, got {bw}")
            mc["bandwidthMbps"] = bw
        changes["modelDeploymentConfigurationDetails"] = cfg
    DEPLOYMENT.update(ctx, doc["id"], body)
    if changes:
        ctx.update("datasciencemodeldeployment", doc["id"], changes)
    new = ctx.store.get("datasciencemodeldeployment", doc["id"])
    with_wr(ctx, DEPLOYMENT, new, "MODEL_DEPLOYMENT_UPDATE", "UPDATED", "Model deployment updated")


@svc.op("activate_model_deployment")
def activate_model_deployment(ctx: Context):
    _switch(ctx, DEPLOYMENT, ctx.path["modelDeploymentId"], "INACTIVE", "ACTIVE", "MODEL_DEPLOYMENT_ACTIVATE",
            "Model deployment activated")


@svc.op("deactivate_model_deployment")
def deactivate_model_deployment(ctx: Context):
    _switch(ctx, DEPLOYMENT, ctx.path["modelDeploymentId"], "ACTIVE", "INACTIVE", "MODEL_DEPLOYMENT_DEACTIVATE",
            "Model deployment deactivated")


@svc.op("delete_model_deployment")
def delete_model_deployment(ctx: Context):
    doc = ctx.get("datasciencemodeldeployment", ctx.path["modelDeploymentId"], "model deployment")
    if doc["lifecycleState"] == "UPDATING":
        raise incorrect_state("The model deployment is UPDATING; delete it once it is ACTIVE or INACTIVE")
    DEPLOYMENT.delete(ctx)
    with_wr(ctx, DEPLOYMENT, doc, "MODEL_DEPLOYMENT_DELETE", "DELETED", "Model deployment deleted")


@svc.op("list_model_deployment_shapes")
def list_model_deployment_shapes(ctx: Context):
    return _shape_summaries(ctx)


@svc.op("list_model_deployment_model_states")
def list_model_deployment_model_states(ctx: Context):
    doc = ctx.get("datasciencemodeldeployment", ctx.path["modelDeploymentId"], "model deployment")
    model = ctx.store.get("datasciencemodel", doc["_modelId"]) or {}
    state = {"ACTIVE": "SUCCESS", "CREATING": "CREATING", "UPDATING": "UPDATING", "INACTIVE": "INACTIVE"}.get(
        doc["lifecycleState"], "FAILED")
    return [{"modelId": doc["_modelId"], "projectId": model.get("projectId"),
             "displayName": model.get("displayName"), "state": state,
             "freeformTags": model.get("freeformTags") or {}, "definedTags": model.get("definedTags") or {}}]


# ---------------------------------------------------------------- running Python in a sandbox

_RUNNER = r'''
import importlib.util, json, os, sys
out_path = sys.argv[1]
sys.path.insert(0, os.getcwd())
def done(**kw):
    with open(out_path, "w") as f:
        json.dump(kw, f)
    sys.exit(0)
try:
    spec = importlib.util.spec_from_file_location("score", "score.py")
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
except ModuleNotFoundError as e:
    done(kind="missing", name=e.name)
except Exception as e:
    done(kind="error", error=f"importing score.py raised {type(e).__name__}: {e}")
data = json.loads(sys.stdin.read())
try:
    model = m.load_model() if hasattr(m, "load_model") else None
    result = m.predict(data, model=model)
except ModuleNotFoundError as e:
    done(kind="missing", name=e.name)
except Exception as e:
    done(kind="error", error=f"predict() raised {type(e).__name__}: {e}")
try:
    json.dumps(result)
except (TypeError, ValueError) as e:
    done(kind="error", error=f"predict() returned a value that is not JSON ({e})")
done(kind="ok", result=result)
'''


def _extract(data: bytes, dest: str) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if sum(i.file_size for i in z.infolist()) > MAX_UNZIPPED:
            raise invalid("The artifact unzips to more than the sandbox takes")
        for info in z.infolist():
            name = os.path.normpath(info.filename)
            if name.startswith(("..", "/")) or os.path.isabs(name):
                raise invalid(f"The artifact holds a path outside its folder: {info.filename[:80]}")
        z.extractall(dest)


def _sandbox_env(extra: dict | None = None) -> dict:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}
    env.update(extra or {})
    return env


def run_score(artifact: bytes, payload, timeout: float = PREDICT_TIMEOUT) -> dict:
    """Run the artifact's score.py on `payload` in a subprocess: {"kind": "ok", "result": ...} or
    {"kind": "missing", "name": module} / {"kind": "error", "error": text} / {"kind": "noscore"} /
    {"kind": "timeout"}."""
    with tempfile.TemporaryDirectory(prefix="ociconsole-score-") as tmp:
        _extract(artifact, tmp)
        if not os.path.isfile(os.path.join(tmp, "score.py")):
            return {"kind": "noscore"}
        out = os.path.join(tmp, ".result.json")
        try:
            proc = subprocess.run([sys.executable, "-I", "-c", _RUNNER, out], input=json.dumps(payload).encode(),
                                  cwd=tmp, env=_sandbox_env(), capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"kind": "timeout"}
        try:
            with open(out) as f:
                return json.load(f)
        except (OSError, ValueError):
            err = proc.stderr.decode(errors="replace").strip().splitlines()
            return {"kind": "error", "error": f"score.py ended with exit code {proc.returncode}"
                                              + (f": {err[-1][:300]}" if err else "")}


# ---------------------------------------------------------------- predict (/model_deployment)

_predict_lock = threading.Lock()


def record_predict(core, md_id: str, ok: bool, latency_ms: float) -> None:
    """Count one real predict call in its minute (what the metrics read)."""
    minute = str(int(core.clock.now() // MINUTE) * MINUTE)
    with core.store.transaction():
        doc = core.store.get(PREDICT_KIND, md_id)
        minutes = dict(doc["minutes"]) if doc else {}
        c = list(minutes.get(minute) or [0, 0, 0.0])
        c[0] += 1
        c[1] += 1 if ok else 0
        c[2] += float(latency_ms)
        minutes[minute] = c
        if len(minutes) > KEEP_PREDICT_MINUTES:
            for k in sorted(minutes, key=float)[:len(minutes) - KEEP_PREDICT_MINUTES]:
                del minutes[k]
        if doc is None:
            core.store.put(PREDICT_KIND, {"id": md_id, "minutes": minutes})
        else:
            core.store.update(PREDICT_KIND, md_id, {"minutes": minutes})


def _cannot_run(kind: str, name: str | None = None) -> ApiError:
    if kind == "noscore":
        return ApiError(501, "NotImplemented", "The ociconsole emulator cannot run this model: its artifact has no "
                                               "score.py at the top of the zip")
    return ApiError(501, "NotImplemented",
                    f"The ociconsole emulator cannot run this model: its score.py needs the Python package "
                    f"'{name}', which the sandbox does not have (the sandbox runs score.py files that use only the "
                    "Python standard library); on OCI the deployment's conda environment provides it")


@predict_svc.op("predict")
def predict(ctx: Context):
    md = ctx.get("datasciencemodeldeployment", ctx.path["modelDeploymentId"], "model deployment")
    if md["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"The model deployment is {md['lifecycleState']}; predictions are served only while "
                              "it is ACTIVE")
    art = ctx.store.get(ARTIFACT_KIND, md["_modelId"])
    if art is None:
        raise ApiError(404, "NotAuthorizedOrNotFound", "The deployed model's artifact is gone")
    payload = ctx.body
    data = base64.b64decode(art["data"])
    core = ctx.core
    md_id = md["id"]

    def later():
        t0 = time.monotonic()
        ok = False
        try:
            res = run_score(data, payload)
            if res["kind"] == "ok":
                ok = True
                return Result(raw=json.dumps(res["result"]).encode(), content_type="application/json")
            if res["kind"] in ("missing", "noscore"):
                raise _cannot_run(res["kind"], res.get("name"))
            if res["kind"] == "timeout":
                raise ApiError(500, "InternalServerError", f"score.py did not answer within {PREDICT_TIMEOUT:g} s")
            raise ApiError(500, "InternalServerError", f"The model's score.py failed: {res['error']}")
        finally:
            record_predict(core, md_id, ok, (time.monotonic() - t0) * 1000.0)
    return Result(later=later)


# ---------------------------------------------------------------- metrics (oci_datascience_modeldeploy)

def _predict_facts(store, doc: dict, _now: float):
    p = store.get(PREDICT_KIND, doc["id"])
    if not p or not p.get("minutes"):
        return None
    rows = sorted((float(k), v[0], v[1], v[2]) for k, v in p["minutes"].items())
    return np.array(rows, dtype=np.float64).reshape(-1, 4)


def _per_minute(g: Gen, column: int) -> np.ndarray:
    key = ("predict", column)
    if key not in g._cache:
        out = np.zeros(g.shape)
        starts = (g.t[0] // MINUTE) * MINUTE
        for r, facts in enumerate(g.facts):
            if facts is None:
                continue
            i = np.searchsorted(facts[:, 0], starts)
            hit = (i < len(facts)) & (facts[np.minimum(i, len(facts) - 1), 0] == starts)
            out[r] = np.where(hit, facts[np.minimum(i, len(facts) - 1), column], 0.0)
        g._cache[key] = out
    return g._cache[key]


def _latency(g: Gen) -> np.ndarray:
    n = _per_minute(g, 1)
    return np.where(n > 0, _per_minute(g, 3) / np.maximum(n, 1), 0.0)


MODEL_DEPLOY_METRICS = declare(MetricSource(
    namespace="oci_datascience_modeldeploy",
    kind="datasciencemodeldeployment",
    reports_in={"ACTIVE", "UPDATING", "INACTIVE"},
    dimensions=lambda doc: {"resourceId": doc["id"], "resourceName": doc.get("displayName") or doc["id"]},
    facts=_predict_facts,
    metrics=[
        Metric("PredictRequestCount", "count", lambda g: _per_minute(g, 1), "Predict Request Count"),
        Metric("PredictResponse", "count", lambda g: _per_minute(g, 2), "Predict Response (2XX)"),
        Metric("PredictLatency", "milliseconds", _latency, "Predict Latency"),
    ],
))


# ---------------------------------------------------------------- jobs and job runs

def _log_config(ctx: Context, cfg, where: str) -> dict | None:
    """A job's (or a run's override) JobLogConfigurationDetails, checked as OCI checks it: with logging enabled,
    a live log group of this region, and a live CUSTOM log of that group unless enableAutoLogCreation (then
    each run gets a log of its own, created in the group)."""
    if cfg is None:
        return None
    if not isinstance(cfg, dict):
        raise invalid(f"{where} must be an object")
    enabled, auto = cfg.get("enableLogging"), cfg.get("enableAutoLogCreation")
    for name, v in (("enableLogging", enabled), ("enableAutoLogCreation", auto)):
        if v is not None and not isinstance(v, bool):
            raise invalid(f"{where}.{name} must be true or false")
    if not enabled:
        if cfg.get("logGroupId") or cfg.get("logId") or auto:
            raise invalid(f"{where}: set enableLogging to name a log group or a log")
        return {"enableLogging": False, "enableAutoLogCreation": False}
    group_id = ctx.require(cfg.get("logGroupId"), f"{where}.logGroupId")
    group = KINDS["loggroup"].find_live(ctx, "loggroup", group_id, f"{where}.logGroupId")
    out = {"enableLogging": True, "enableAutoLogCreation": bool(auto), "logGroupId": group["id"]}
    if cfg.get("logId"):
        log = KINDS["log"].find_live(ctx, "log", cfg["logId"], f"{where}.logId")
        if log.get("logGroupId") != group["id"]:
            raise invalid(f"{where}.logId: the log {log['displayName']} is not in the log group "
                          f"{group['displayName']}")
        if log.get("logType") != "CUSTOM":
            raise invalid(f"{where}.logId: job runs write to a CUSTOM log, not to the {log.get('logType')} log "
                          f"{log['displayName']}")
        out["logId"] = log["id"]
    elif not auto:
        raise invalid(f"{where}.logId is required unless enableAutoLogCreation is true")
    return out


def _run_log(ctx: Context, cfg: dict | None, run_name: str) -> dict | None:
    """The run's `logDetails`: its configured log, or a CUSTOM log created in the group, named after the run
    (through the Logging service's own kind: its checks, its CREATING -> ACTIVE)."""
    if not cfg or not cfg.get("enableLogging"):
        return None
    cfg = _log_config(ctx, cfg, "jobLogConfigurationDetails")  # the group and the log may be gone since
    assert cfg is not None
    if cfg.get("logId"):
        return {"logGroupId": cfg["logGroupId"], "logId": cfg["logId"]}
    name = re.sub(r"[^A-Za-z0-9_.\-]", "_", run_name)[:240] or "jobrun"
    taken = {d.get("displayName") for d in ctx.store.by_field("log", "logGroupId", cfg["logGroupId"])}
    if name in taken:
        name = f"{name}-{uuid.uuid4().hex[:8]}"
    log = KINDS["log"].create(ctx, body={"logGroupId": cfg["logGroupId"], "displayName": name, "logType": "CUSTOM",
                                         "isEnabled": True})
    return {"logGroupId": cfg["logGroupId"], "logId": log["id"]}


def _job_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is not None:
        return {}
    logs = _log_config(ctx, body.get("jobLogConfigurationDetails"), "jobLogConfigurationDetails")
    jc = body.get("jobConfigurationDetails") or {}
    if jc.get("jobType", "DEFAULT") != "DEFAULT":
        raise invalid(f"jobConfigurationDetails.jobType {jc.get('jobType')}: the emulator runs DEFAULT jobs")
    env = jc.get("environmentVariables") or {}
    _runtime({"customEnvironmentVariables": env})
    mx = jc.get("maximumRuntimeInMinutes")
    if mx is not None and (not isinstance(mx, int) or mx < 1 or mx > 30 * 24 * 60):
        raise invalid("jobConfigurationDetails.maximumRuntimeInMinutes must be 1 to 43,200 minutes")
    infra = body.get("jobInfrastructureConfigurationDetails") or {}
    itype = infra.get("jobInfrastructureType") or "ME_STANDALONE"
    if infra:
        shape = ctx.require(infra.get("shapeName"), "jobInfrastructureConfigurationDetails.shapeName")
        check_shape(shape, infra.get("jobShapeConfigDetails"), "jobInfrastructureConfigurationDetails")
        size = infra.get("blockStorageSizeInGBs", 50)
        if not isinstance(size, int) or not BLOCK_MIN <= size <= BLOCK_MAX:
            raise invalid(f"jobInfrastructureConfigurationDetails.blockStorageSizeInGBs must be {BLOCK_MIN} to "
                          f"{BLOCK_MAX:,} GB, got {size}")
    return {"createdBy": _creator(ctx), "jobLogConfigurationDetails": logs, "jobConfigurationDetails": {
        "jobType": "DEFAULT", "environmentVariables": env, "commandLineArguments": jc.get("commandLineArguments"),
        "maximumRuntimeInMinutes": mx},
        "jobInfrastructureConfigurationDetails": dict(infra, jobInfrastructureType=itype) if infra else {
            "jobInfrastructureType": "ME_STANDALONE", "shapeName": "VM.Standard2.1", "blockStorageSizeInGBs": 50}}


JOB = svc.resource(Kind(
    "datasciencejob", "Job", "job", lifecycle=Lifecycle("CREATING", "ACTIVE", None, "DELETING", "DELETED", "FAILED"),
    parent=("projectId", "datascienceproject"), default_name="job", validate=_job_checks,
    on_delete=lambda ctx, doc: ctx.store.delete(ARTIFACT_KIND, doc["id"]), search="DataScienceJob"))


@svc.op("delete_job")
def delete_job(ctx: Context):
    doc = ctx.get("datasciencejob", ctx.path["jobId"], "job")
    running = [r for r in ctx.store.by_field("datasciencejobrun", "jobId", doc["id"])
               if r["lifecycleState"] in ("ACCEPTED", "IN_PROGRESS")]
    if running and not ctx.query.get("deleteRelatedJobRuns"):
        raise conflict(f"The job has {len(running)} run(s) in progress; cancel them first")
    JOB.delete(ctx)
    with_wr(ctx, JOB, doc, "JOB_DELETE", "DELETED", "Job deleted")


@svc.op("create_job_artifact")
def create_job_artifact(ctx: Context):
    job = ctx.get_for_write("datasciencejob", ctx.path["jobId"], "job")
    if ctx.store.get(ARTIFACT_KIND, job["id"]) is not None:
        raise conflict("The job already has an artifact; a job's artifact cannot be replaced")
    data = _body_bytes(ctx)
    name = _artifact_name(ctx, "job.py")
    if not (name.endswith((".py", ".sh", ".zip", ".tar.gz", ".tgz"))):
        raise invalid(f"The job artifact '{name}' must be a Python (.py) or shell (.sh) script, or a zip/tar.gz "
                      "archive")
    _store_artifact(ctx, job, data, name)
    return None


@svc.op("get_job_artifact_content")
def get_job_artifact_content(ctx: Context):
    return _artifact_result(_artifact(ctx, "datasciencejob", ctx.path["jobId"], "job"), False)


@svc.op("head_job_artifact")
def head_job_artifact(ctx: Context):
    return _artifact_result(_artifact(ctx, "datasciencejob", ctx.path["jobId"], "job"), True)


def _run_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is not None:
        return {}
    job = ctx.store.get("datasciencejob", body.get("jobId"))
    if job is None or job["lifecycleState"] != "ACTIVE":
        raise invalid("jobId: the job does not exist or is not ACTIVE")
    if ctx.store.get(ARTIFACT_KIND, job["id"]) is None:
        raise invalid(f"jobId: the job {job['displayName']} has no artifact; upload its script first")
    if body.get("projectId") != job["projectId"]:
        raise invalid("projectId: a job run belongs to its job's project")
    over = body.get("jobConfigurationOverrideDetails") or {}
    _runtime({"customEnvironmentVariables": over.get("environmentVariables") or {}})
    logs = _log_config(ctx, body.get("jobLogConfigurationOverrideDetails"), "jobLogConfigurationOverrideDetails")
    return {"createdBy": _creator(ctx), "timeAccepted": ctx.ts(), "jobLogConfigurationOverrideDetails": logs,
            "jobInfrastructureConfigurationDetails": job.get("jobInfrastructureConfigurationDetails"),
            "jobConfigurationOverrideDetails": dict(over, jobType="DEFAULT")}


JOB_RUN = svc.resource(Kind(
    "datasciencejobrun", "JobRun", "job run",
    lifecycle=Lifecycle("ACCEPTED", "IN_PROGRESS", None, None, "DELETED", "FAILED",
                        also_live=("SUCCEEDED", "FAILED", "CANCELING", "CANCELED", "NEEDS_ATTENTION")),
    live=("ACCEPTED", "IN_PROGRESS", "SUCCEEDED", "FAILED", "CANCELING", "CANCELED", "NEEDS_ATTENTION"),
    update_states=("ACCEPTED", "IN_PROGRESS", "SUCCEEDED", "FAILED", "CANCELED"),
    parent=("jobId", "datasciencejob"), default_name="jobrun", validate=_run_checks, search="DataScienceJobRun"))


def run_script(artifact: bytes, name: str, env: dict, args: list[str], timeout: float
               ) -> tuple[int | None, list[str], list[str]]:
    """Run a job's Python script in a subprocess: (exit code or None on timeout, stdout lines, stderr lines)."""
    if not name.endswith(".py"):
        return 127, [], [f"The ociconsole emulator runs Python (.py) job artifacts; {name} cannot run in the sandbox"]
    with tempfile.TemporaryDirectory(prefix="ociconsole-job-") as tmp:
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(artifact)
        try:
            proc = subprocess.run([sys.executable, "-I", path, *args], cwd=tmp, env=_sandbox_env(env),
                                  capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode(errors="replace").splitlines()
            err = (e.stderr or b"").decode(errors="replace").splitlines()
            return None, out[-MAX_LOG_LINES:], (err + [f"The job run exceeded its maximum runtime ({timeout:g} s) "
                                                       "and was stopped"])[-MAX_LOG_LINES:]
        out = proc.stdout.decode(errors="replace").splitlines()
        err = proc.stderr.decode(errors="replace").splitlines()
        return proc.returncode, out[-MAX_LOG_LINES:], err[-MAX_LOG_LINES:]


def _ship_logs(core, run: dict, out: list[str], err: list[str]) -> None:
    """The run's stdout and stderr lines as entries of its log (`logDetails`), as OCI ships them: types
    com.oraclecloud.datascience.jobrun.stdout / .stderr, the run's OCID as source, subject and resource.
    Call it inside the store's transaction."""
    details = run.get("logDetails") or {}
    log = core.store.get(service_logs.LOG_KIND, details.get("logId"))
    if log is None or log.get("lifecycleState") not in ("CREATING", "ACTIVE", "UPDATING"):
        return
    now = core.clock.now()
    lines = [("stdout", line) for line in out] + [("stderr", line) for line in err]
    for i, (stream, line) in enumerate(lines):  # a millisecond apart, in the order they were written
        core.store.put(service_logs.ENTRY_KIND, service_logs.make_entry(
            core, log, now, {"message": line}, f"com.oraclecloud.datascience.jobrun.{stream}", run["id"],
            run["id"], time=now - (len(lines) - 1 - i) / 1000.0, resource_id=run["id"]))


_runner_threads: list[threading.Thread] = []


def _start_run(core, run: dict, job: dict, art: dict) -> None:
    """Run the job's script on a worker thread (outside the state lock); the run's state follows it."""
    cfg = job.get("jobConfigurationDetails") or {}
    over = run.get("jobConfigurationOverrideDetails") or {}
    env = dict(cfg.get("environmentVariables") or {})
    env.update(over.get("environmentVariables") or {})
    env.update(JOB_RUN_OCID=run["id"], JOB_OCID=job["id"], PROJECT_OCID=job["projectId"])
    args_text = over.get("commandLineArguments") or cfg.get("commandLineArguments") or ""
    mx = over.get("maximumRuntimeInMinutes") or cfg.get("maximumRuntimeInMinutes")
    timeout = min(JOB_TIMEOUT_CAP, mx * 60.0) if mx else JOB_TIMEOUT_CAP
    data = base64.b64decode(art["data"])

    def work():
        code, out, err = run_script(data, art["name"], env, args_text.split(), timeout)
        lines = out + err
        with core.store.transaction():
            doc = core.store.get("datasciencejobrun", run["id"])
            if doc is None or doc["lifecycleState"] not in ("ACCEPTED", "IN_PROGRESS", "CANCELING"):
                return
            now = ts(core.clock.now())
            if doc["lifecycleState"] == "CANCELING":
                state, details = "CANCELED", "Canceled"
            elif code == 0:
                state, details = "SUCCEEDED", "Job run succeeded (exit code 0)"
            elif code is None:
                state, details = "FAILED", f"Job run timed out after {timeout:g} s"
            else:
                state, details = "FAILED", f"Job run failed with exit code {code}"
            core.store.update("datasciencejobrun", run["id"], {
                "lifecycleState": state, "lifecycleDetails": details, "timeFinished": now,
                "timeStarted": doc.get("timeStarted") or now, "_logLines": lines})
            _ship_logs(core, doc, out, err)

    t = threading.Thread(target=work, name=f"jobrun-{run['id'][-8:]}", daemon=True)
    _runner_threads[:] = [x for x in _runner_threads if x.is_alive()] + [t]
    t.start()


@svc.op("create_job_run")
def create_job_run(ctx: Context):
    doc = JOB_RUN.create(ctx)
    job = ctx.store.get("datasciencejob", doc["jobId"])
    art = ctx.store.get(ARTIFACT_KIND, job["id"])
    cfg = doc.get("jobLogConfigurationOverrideDetails") or job.get("jobLogConfigurationDetails")
    log = _run_log(ctx, cfg, doc["displayName"])
    doc = ctx.update("datasciencejobrun", doc["id"], {"timeStarted": ctx.ts(), "lifecycleDetails": "Running",
                                                      **({"logDetails": log} if log else {})})
    _start_run(ctx.core, dict(doc), job, art)
    return JOB_RUN.get(ctx, doc["id"])


@svc.op("cancel_job_run")
def cancel_job_run(ctx: Context):
    doc = ctx.get_for_write("datasciencejobrun", ctx.path["jobRunId"], "job run")
    if doc["lifecycleState"] not in ("ACCEPTED", "IN_PROGRESS"):
        raise incorrect_state(f"The job run is {doc['lifecycleState']}; only a run in progress can be canceled")
    ctx.update("datasciencejobrun", doc["id"], {"lifecycleState": "CANCELING"})
    ctx.schedule("datasciencejobrun", doc["id"], {"lifecycleState": "CANCELED", "timeFinished": ctx.ts()},
                 steps=1, when_state="CANCELING")


@svc.op("delete_job_run")
def delete_job_run(ctx: Context):
    doc = ctx.get_for_write("datasciencejobrun", ctx.path["jobRunId"], "job run")
    if doc["lifecycleState"] in ("ACCEPTED", "IN_PROGRESS", "CANCELING"):
        raise incorrect_state(f"The job run is {doc['lifecycleState']}; cancel it before deleting it")
    ctx.update("datasciencejobrun", doc["id"], {"lifecycleState": "DELETED"})


@svc.op("list_job_shapes")
def list_job_shapes(ctx: Context):
    return _shape_summaries(ctx)


def job_run_logs(store, run_id: str) -> list[str]:
    """The run's output lines (stdout, then stderr): what OCI would send to the run's log."""
    doc = store.get("datasciencejobrun", run_id)
    return list((doc or {}).get("_logLines") or [])


# ---------------------------------------------------------------- the demo seed

DEMO_SCORE = '''"""A linear model with fixed coefficients: price = 50,000 + 120 * area + 8,000 * rooms - 900 * age."""
import json
import os


def load_model():
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "model.json")) as f:
        return json.load(f)


def predict(data, model=load_model()):
    rows = data.get("data", data) if isinstance(data, dict) else data
    if rows and not isinstance(rows[0], (list, tuple)):
        rows = [rows]
    w = model["coefficients"]
    out = [round(model["intercept"] + sum(c * float(x) for c, x in zip(w, row)), 2) for row in rows]
    return {"prediction": out}
'''
DEMO_MODEL = {"intercept": 50000.0, "coefficients": [120.0, 8000.0, -900.0], "features": ["area", "rooms", "age"]}
DEMO_RUNTIME = """MODEL_ARTIFACT_VERSION: '3.0'
MODEL_DEPLOYMENT:
  INFERENCE_CONDA_ENV:
    INFERENCE_ENV_SLUG: generalml_p311_cpu_x86_64_v1
    INFERENCE_ENV_TYPE: data_science
    INFERENCE_PYTHON_VERSION: '3.11'
"""


def demo_artifact() -> bytes:
    """The demo model's artifact zip (the same bytes every time)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (("score.py", DEMO_SCORE), ("runtime.yaml", DEMO_RUNTIME),
                           ("model.json", json.dumps(DEMO_MODEL, indent=2))):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
    return buf.getvalue()


@svc.seeder
def seed_data_science(seed) -> None:
    if seed.profile != "demo":
        return
    rng = random.Random(f"data_science/{seed.options.get('rng_seed', 20260101)}")
    region = seed.core.home_region
    dev = next((c["id"] for c in seed.store.list("compartment") if c["name"] == "Development"), seed.core.tenancy_id)
    creator = seed.core.tenancy_id

    def when(max_days: float, min_days: float) -> float:
        return seed.now - rng.uniform(min_days, max_days) * 86400

    def put(kind: str, doc: dict) -> dict:
        doc.setdefault("freeformTags", {})
        doc.setdefault("definedTags", {})
        doc.update(_region=region, compartmentId=dev, createdBy=creator)
        return seed.store.put(kind, doc)

    project = put("datascienceproject", {
        "id": seed.ocid("datascienceproject", region), "displayName": "house-prices",
        "description": "Predicting house prices from area, rooms and age", "lifecycleState": "ACTIVE",
        "timeCreated": ts(when(90, 80)), "freeformTags": {"team": "ml"}})
    model = put("datasciencemodel", {
        "id": seed.ocid("datasciencemodel", region), "projectId": project["id"], "displayName": "house-price-linear",
        "description": "A linear model with fixed coefficients (the emulator runs its score.py)",
        "lifecycleState": "ACTIVE", "lifecycleDetails": "Active", "timeCreated": ts(when(60, 50)),
        "category": "USER", "isModelByReference": False,
        "customMetadataList": [
            {"key": "R2", "value": "0.87", "category": "Performance", "description": "R² on the validation set"},
            {"key": "TrainingRows", "value": "21613", "category": "Training Profile"}],
        "definedMetadataList": [{"key": "UseCaseType", "value": "regression"},
                                {"key": "Framework", "value": "other"},
                                {"key": "Algorithm", "value": "linear regression"}],
        "inputSchema": json.dumps({"schema": [{"name": n, "dtype": "float64", "order": i}
                                              for i, n in enumerate(DEMO_MODEL["features"])]}),
        "outputSchema": json.dumps({"schema": [{"name": "prediction", "dtype": "float64", "order": 0}]}),
        "_provenance": {"repositoryUrl": "https://github.com/example/house-prices", "gitBranch": "main",
                        "gitCommit": "4f1c2a9", "trainingScript": "train.py"}})
    art = demo_artifact()
    seed.store.put(ARTIFACT_KIND, {"id": model["id"], "_region": region, "name": "house-price-linear.zip",
                                   "size": len(art), "md5": base64.b64encode(hashlib.md5(art).digest()).decode(),
                                   "timeCreated": model["timeCreated"], "data": base64.b64encode(art).decode()})
    md_id = seed.ocid("datasciencemodeldeployment", region)
    put("datasciencemodeldeployment", {
        "id": md_id, "projectId": project["id"], "displayName": "house-price-api",
        "description": "The house price model behind an HTTPS endpoint", "lifecycleState": "ACTIVE",
        "timeCreated": ts(when(40, 30)), "_modelId": model["id"],
        "modelDeploymentUrl": f"https://modeldeployment.{region}.oci.customer-oci.com/{md_id}",
        "modelDeploymentConfigurationDetails": {"deploymentType": "SINGLE_MODEL", "modelConfigurationDetails": {
            "modelId": model["id"], "instanceConfiguration": {
                "instanceShapeName": "VM.Standard.E4.Flex", "networkAccessType": "MANAGED_NETWORKING_INTERNET_ACCESS",
                "modelDeploymentInstanceShapeConfigDetails": {"ocpus": 1.0, "memoryInGBs": 16.0}},
            "scalingPolicy": {"policyType": "FIXED_SIZE", "instanceCount": 1}, "bandwidthMbps": 10}},
        "modelDeploymentSystemData": {"systemInfraType": "INSTANCE_POOL", "currentInstanceCount": 1}})
    nb_id = seed.ocid("datasciencenotebooksession", region)
    cfg = {"shape": "VM.Standard.E4.Flex", "blockStorageSizeInGBs": 100,
           "notebookSessionShapeConfigDetails": {"ocpus": 2.0, "memoryInGBs": 32.0}}
    put("datasciencenotebooksession", {
        "id": nb_id, "projectId": project["id"], "displayName": "explore-prices", "lifecycleState": "ACTIVE",
        "timeCreated": ts(when(30, 20)), "notebookSessionConfigDetails": cfg,
        "notebookSessionRuntimeConfigDetails": {
            "customEnvironmentVariables": {"DATA_BUCKET": "house-prices-raw"},
            "notebookSessionGitConfigDetails": {"notebookSessionGitRepoConfigCollection": [
                {"url": "https://github.com/example/house-prices"}]}},
        "notebookSessionUrl": f"https://notebook.{region}.oci.oraclecloud.com/notebooks/{nb_id}/"})
