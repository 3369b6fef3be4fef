"""Data Science kinds ("Analytics & AI"): projects, notebook sessions (open, activate, deactivate, cost while
active), models (created with their artifact zip in one workflow of the service layer, rolled back if the upload
fails; metadata, provenance, artifact download to a chosen file), model deployments (Predict… with a JSON payload:
the prediction and its latency on the dialog's result page), jobs (created with their Python script in one
workflow, rolled back if the upload fails; shape, storage, environment, arguments, maximum runtime and logging to
a custom log or a log created for each run; Start job run… tracked to SUCCEEDED or FAILED) and job runs (state,
details, times and their log, a link to it). Each kind lists in its compartment with its project as a column."""

from __future__ import annotations

import json
import os
import time
import webbrowser
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..services import data_science as svc
from ..services import logging as logsvc
from . import validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command, to_json
from .generic import SdkRef, delete_action, getter, lister
from .model import Action, Column, Related, RelatedItem, ResourceKind, attr, no_run
from .pricing import HOURS_PER_MONTH, PRICES, Cost, Price

M = sdk_models("data_science")
ACTIVE = frozenset({"ACTIVE"})
DELETED = frozenset({"DELETED"})

PROJECT_REF = SdkRef("data_science", "project", cli="data-science project")
NOTEBOOK_REF = SdkRef("data_science", "notebook_session", cli="data-science notebook-session")
MODEL_REF = SdkRef("data_science", "model", cli="data-science model")
DEPLOYMENT_REF = SdkRef("data_science", "model_deployment", cli="data-science model-deployment")
JOB_REF = SdkRef("data_science", "job", cli="data-science job")

BLOCK_MIN, BLOCK_MAX = 50, 10240

# Data Science bills the compute shape and block storage it uses at their list price (Data Science itself
# adds nothing): https://www.oracle.com/cloud/price-list/ (Compute, Block Storage), checked 2026-01
_SRC = "https://www.oracle.com/cloud/price-list/#compute and #storage"
PRICES.update({
    "ds.E4.ocpu": Price("Compute - Standard - E4 - OCPU (B93113)", 0.025, "OCPU hour", _SRC),
    "ds.E4.mem": Price("Compute - Standard - E4 - Memory (B93114)", 0.0015, "GB hour", _SRC),
    "ds.E3.ocpu": Price("Compute - Standard - E3 - OCPU (B92306)", 0.025, "OCPU hour", _SRC),
    "ds.E3.mem": Price("Compute - Standard - E3 - Memory (B92307)", 0.0015, "GB hour", _SRC),
    "ds.S3.ocpu": Price("Compute - Standard - X9 - OCPU (B94176)", 0.04, "OCPU hour", _SRC),
    "ds.S3.mem": Price("Compute - Standard - X9 - Memory (B94177)", 0.0015, "GB hour", _SRC),
    "ds.O3.ocpu": Price("Compute - Optimized - X9 - OCPU (B93311)", 0.054, "OCPU hour", _SRC),
    "ds.O3.mem": Price("Compute - Optimized - X9 - Memory (B93312)", 0.0015, "GB hour", _SRC),
    "ds.A1.ocpu": Price("Compute - Standard - A1 - OCPU (B93297)", 0.01, "OCPU hour", _SRC),
    "ds.A1.mem": Price("Compute - Standard - A1 - Memory (B93298)", 0.0015, "GB hour", _SRC),
    "ds.X7.ocpu": Price("Compute - Standard - X7 (B88514)", 0.0638, "OCPU hour", _SRC),
    "ds.block.storage": Price("Block Volume - Storage (B91961)", 0.0255, "GB month", _SRC),
    "ds.block.vpu": Price("Block Volume - Performance Units (B91962), 10 VPUs per GB (Balanced)", 0.017,
                          "GB month", _SRC),
})
# shape -> (OCPU price key, memory price key or None: the memory is in the OCPU price), fixed (OCPUs, GB)
SHAPE_PRICES = {
    "VM.Standard.E4.Flex": ("ds.E4.ocpu", "ds.E4.mem", None),
    "VM.Standard.E3.Flex": ("ds.E3.ocpu", "ds.E3.mem", None),
    "VM.Standard3.Flex": ("ds.S3.ocpu", "ds.S3.mem", None),
    "VM.Optimized3.Flex": ("ds.O3.ocpu", "ds.O3.mem", None),
    "VM.Standard.A1.Flex": ("ds.A1.ocpu", "ds.A1.mem", None),
    "VM.Standard2.1": ("ds.X7.ocpu", None, (1, 15)),
    "VM.Standard2.2": ("ds.X7.ocpu", None, (2, 30)),
    "VM.Standard2.4": ("ds.X7.ocpu", None, (4, 60)),
    "VM.Standard2.8": ("ds.X7.ocpu", None, (8, 120)),
    "VM.Standard2.16": ("ds.X7.ocpu", None, (16, 240)),
}
FLEX_LIMITS = {"VM.Standard.E4.Flex": (64, 1024), "VM.Standard.E3.Flex": (64, 1024), "VM.Standard3.Flex": (32, 512),
               "VM.Optimized3.Flex": (18, 256), "VM.Standard.A1.Flex": (80, 512)}


def _flex(values) -> bool:
    return str(values.get("shape") or "").endswith(".Flex")


def compute_cost(shape: str, ocpus: float, memory: float, block_gb: float, count: int = 1) -> Cost | None:
    """What `count` instances of the shape cost per hour at list price, with their block storage."""
    p = SHAPE_PRICES.get(shape)
    if p is None:
        return None
    ocpu_key, mem_key, fixed = p
    if fixed is not None:
        ocpus, memory = fixed
    lines, total = [], 0.0
    po = PRICES[ocpu_key]
    total += count * ocpus * po.usd
    lines.append(f"{count * ocpus:g} OCPU × ${po.usd:g} per {po.unit} ({po.part})")
    if mem_key is not None:
        pm = PRICES[mem_key]
        total += count * memory * pm.usd
        lines.append(f"{count * memory:g} GB memory × ${pm.usd:g} per {pm.unit} ({pm.part})")
    if block_gb:
        for key in ("ds.block.storage", "ds.block.vpu"):
            pb = PRICES[key]
            total += block_gb * pb.usd / HOURS_PER_MONTH
            lines.append(f"{block_gb:g} GB × ${pb.usd:g} per {pb.unit} ({pb.part})")
    return Cost(total, "hour", lines, note="compute while ACTIVE; the block volume is billed while INACTIVE too")


def _tags(v):
    return validators.parse_tags(v.get("freeform_tags"))[0] or None


async def _projects(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    items = await ctx.session.list_all("data_science", "list_projects", comp, lifecycle_state="ACTIVE")
    return [Option(p.id, p.display_name, p) for p in items]


async def _notebook_shapes(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    items = await ctx.session.list_all("data_science", "list_notebook_session_shapes", comp)
    return [Option(s.name, s.name + ("" if s.name.endswith(".Flex") else f" ({s.core_count} OCPU, "
                                      f"{s.memory_in_gbs:g} GB)"), s) for s in items if s.name in SHAPE_PRICES]


async def _subnets(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    subs = await ctx.session.list_all("network", "list_subnets", comp)
    return [Option("", N_("Default networking (managed by Data Science)"))] + [
        Option(s.id, f"{s.display_name} ({s.cidr_block})", s) for s in subs if s.lifecycle_state == "AVAILABLE"]


async def _project_name(session, res) -> list[RelatedItem]:
    try:
        p = await session.data("data_science", "get_project", res.project_id)
        return [RelatedItem("Project", p.display_name, p.id)]
    except Exception:
        return [RelatedItem("Project", res.project_id, res.project_id)]


def _memory_check(v, values, _ctx) -> str | None:
    if not _flex(values) or v in (None, ""):
        return None
    ocpus = float(values.get("ocpus") or 1)
    cap = FLEX_LIMITS.get(values.get("shape"), (64, 1024))[1]
    hi = min(cap, ocpus * 64)
    if not 1 <= float(v) <= hi:
        return f"1 to {hi:g} GB for {ocpus:g} OCPUs"
    return None


# ---------------------------------------------------------------- projects

def _project_request(v: dict, ctx: FormContext) -> Request:
    return Request("data_science", "create_project", M.CreateProjectDetails(
        compartment_id=v["compartment_id"], display_name=v["display_name"],
        description=(v.get("description") or "").strip() or None, freeform_tags=_tags(v)))


def _project_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("data-science project create", [
        ("--compartment-id", d.compartment_id), ("--display-name", d.display_name), ("--description", d.description),
        ("--freeform-tags", d.freeform_tags), ("--wait-for-state", "ACTIVE")])


PROJECT_FORM = FormSpec(
    title=N_("Create Data Science project"), kind_id="data_science.project",
    fields=[
        Field("display_name", N_("Name"), "text", required=True,
              default_from=lambda *_: time.strftime("project-%Y%m%d"),
              validate=lambda v, *_: validators.display_name(v, True)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("description", N_("Description"), "textarea",
              validate=lambda v, *_: "At most 400 characters" if v and len(v) > 400 else None),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_project_request, cli=_project_cli)


async def _project_contents(session, p) -> list[RelatedItem]:
    out = []
    for what, method in (("Notebook session", "list_notebook_sessions"), ("Model", "list_models"),
                         ("Model deployment", "list_model_deployments"), ("Job", "list_jobs")):
        for r in await session.list_all("data_science", method, p.compartment_id, project_id=p.id):
            if r.lifecycle_state not in ("DELETED", "DELETING"):
                out.append(RelatedItem(what, f"{r.display_name} ({r.lifecycle_state})", r.id))
    return out


PROJECTS = ResourceKind(
    id="data_science.project", label=N_("Data Science projects"), singular=N_("Data Science project"),
    group=N_("Analytics & AI"), icon="folder", order=10, list=lister(PROJECT_REF), get=getter(PROJECT_REF),
    ocid_types=("datascienceproject",),
    columns=[
        Column(N_("Name"), attr("display_name"), width=200),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Description"), attr("description"), width=260),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Contents"), _project_contents)],
    actions=[delete_action(PROJECT_REF, ACTIVE, DELETED)],
    create=PROJECT_FORM, ready_states=ACTIVE, sdk=PROJECT_REF)


# ---------------------------------------------------------------- notebook sessions

def _notebook_cost(v: dict, ctx: FormContext) -> Cost | None:
    try:
        return compute_cost(v.get("shape") or "", float(v.get("ocpus") or 0), float(v.get("memory_in_gbs") or 0),
                            float(v.get("block_storage_size_in_gbs") or 0))
    except (TypeError, ValueError):
        return None


def _notebook_request(v: dict, ctx: FormContext) -> Request:
    sc = None
    if _flex(v):
        sc = M.NotebookSessionShapeConfigDetails(ocpus=float(v["ocpus"]), memory_in_gbs=float(v["memory_in_gbs"]))
    env = validators.parse_tags(v.get("environment"))[0] or None
    repos = [u.strip() for u in (v.get("git_repos") or "").splitlines() if u.strip()]
    rt = None
    if env or repos:
        rt = M.NotebookSessionRuntimeConfigDetails(
            custom_environment_variables=env,
            notebook_session_git_config_details=M.NotebookSessionGitConfigDetails(
                notebook_session_git_repo_config_collection=[M.NotebookSessionGitRepoConfigDetails(url=u)
                                                             for u in repos]) if repos else None)
    return Request("data_science", "create_notebook_session", M.CreateNotebookSessionDetails(
        compartment_id=v["compartment_id"], project_id=v["project_id"], display_name=v["display_name"],
        notebook_session_config_details=M.NotebookSessionConfigDetails(
            shape=v["shape"], block_storage_size_in_gbs=int(v["block_storage_size_in_gbs"]),
            subnet_id=v.get("subnet_id") or None, notebook_session_shape_config_details=sc),
        notebook_session_runtime_config_details=rt, freeform_tags=_tags(v)))


def _notebook_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("data-science notebook-session create", [
        ("--compartment-id", d.compartment_id), ("--project-id", d.project_id), ("--display-name", d.display_name),
        ("--config-details", d.notebook_session_config_details),
        ("--runtime-config-details", d.notebook_session_runtime_config_details),
        ("--freeform-tags", d.freeform_tags), ("--wait-for-state", "SUCCEEDED")])


def _git_check(v, _values, _ctx) -> str | None:
    repos = [u.strip() for u in (v or "").splitlines() if u.strip()]
    if len(repos) > 3:
        return "At most 3 Git repositories"
    bad = [u for u in repos if not u.startswith(("https://", "http://"))]
    return f"Not an http(s) URL: {bad[0]}" if bad else None


NOTEBOOK_FORM = FormSpec(
    title=N_("Create notebook session"), kind_id="data_science.notebook_session",
    fields=[
        Field("display_name", N_("Name"), "text", required=True,
              default_from=lambda *_: time.strftime("notebook-%Y%m%d"),
              validate=lambda v, *_: validators.display_name(v, True)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("project_id", N_("Project"), "choice", required=True, options=_projects, depends_on=("compartment_id",),
              create_kind="data_science.project"),
        Field("shape", N_("Shape"), "choice", required=True, options=_notebook_shapes, default="VM.Standard.E4.Flex",
              depends_on=("compartment_id",),
              help=N_("The notebook's virtual machine: billed while the session is ACTIVE")),
        Field("ocpus", N_("OCPUs"), "number", default=1,
              bounds=lambda v, c: (1, FLEX_LIMITS.get(v.get("shape") or "", (64, 0))[0], 1),
              visible=lambda v, c: _flex(v), depends_on=("shape",)),
        Field("memory_in_gbs", N_("Memory (GB)"), "number", default=16, bounds=lambda v, c: (1, 1024, 1),
              visible=lambda v, c: _flex(v), validate=_memory_check, depends_on=("shape", "ocpus")),
        Field("block_storage_size_in_gbs", N_("Block storage (GB)"), "number", required=True, default=100,
              bounds=lambda v, c: (BLOCK_MIN, BLOCK_MAX, 1),
              help=f"{BLOCK_MIN} to {BLOCK_MAX:,} GB, mounted at /home/datascience; kept while the session is "
                   "INACTIVE"),
        Field("subnet_id", N_("Networking"), "choice", default="", options=_subnets, depends_on=("compartment_id",),
              help=N_("Default networking gives the notebook internet access; a subnet of your VCN keeps it private")),
        Field("environment", N_("Environment variables"), "tags", help=N_("One NAME=value per line")),
        Field("git_repos", N_("Git repositories"), "textarea", validate=_git_check,
              help=N_("Up to 3 repository URLs, one per line, cloned into the session")),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_notebook_request, cli=_notebook_cli, cost=_notebook_cost)


def _nb_cfg(nb):
    return nb.notebook_session_config_details or nb.notebook_session_configuration_details


def _nb_shape(nb) -> str:
    c = _nb_cfg(nb)
    if c is None:
        return ""
    sc = c.notebook_session_shape_config_details
    return c.shape + (f" ({sc.ocpus:g} OCPU, {sc.memory_in_gbs:g} GB)" if sc and sc.ocpus else "")


async def _notebook_related(session, nb) -> list[RelatedItem]:
    out = await _project_name(session, nb)
    c = _nb_cfg(nb)
    if c is not None:
        out.append(RelatedItem("Shape", _nb_shape(nb)))
        out.append(RelatedItem("Block storage", f"{c.block_storage_size_in_gbs} GB"))
        out.append(RelatedItem("Networking", "Subnet" if c.subnet_id else "Default networking", c.subnet_id))
        sc = c.notebook_session_shape_config_details
        cost = compute_cost(c.shape, sc.ocpus if sc else 0, sc.memory_in_gbs if sc else 0,
                            c.block_storage_size_in_gbs or 0)
        if cost is not None:
            out.append(RelatedItem("Cost while active", cost.text()))
    out.append(RelatedItem("Notebook URL", nb.notebook_session_url or ""))
    rt = nb.notebook_session_runtime_config_details
    if rt is not None:
        for k, val in (rt.custom_environment_variables or {}).items():
            out.append(RelatedItem("Environment", f"{k}={val}"))
        git = rt.notebook_session_git_config_details
        for r in (git.notebook_session_git_repo_config_collection if git else None) or []:
            out.append(RelatedItem("Git repository", r.url))
    return out


def _switch_action(action_id: str, label: str, method: str, frm: str, to: str, verb: str, icon: str,
                   destructive: bool = False) -> Action:
    async def run(session, res, _options):
        await session.call("data_science", method, res.id)
    return Action(action_id, label, run, frozenset({frm}), target_states=frozenset({to}), icon=icon, verb=verb,
                  destructive=destructive, confirm="simple" if destructive else None)


async def _open_url(session, res, _options):
    nb = await session.data("data_science", "get_notebook_session", res.id)  # its URL as OCI gives it now
    if nb.notebook_session_url:
        webbrowser.open(nb.notebook_session_url)


def notebook_url_form(nb) -> FormSpec:
    """The notebook's URL on the dialog's result page, with a Copy button (read with get_notebook_session)."""
    return FormSpec(
        title=f"Notebook URL of {nb.display_name}", kind_id="data_science.notebook_session", fields=[],
        build=lambda v, ctx: Request("data_science", "get_notebook_session", args=(nb.id,), retry_token=False),
        cli=lambda v, ctx, req: cli_command("data-science notebook-session get", [
            ("--notebook-session-id", nb.id), ("--query", 'data."notebook-session-url"')]),
        describe=lambda v: nb.display_name, submit_label=N_("Show URL"),
        op_title=lambda v: f"Read the notebook URL of {nb.display_name}",
        reveal=lambda r: [("Notebook URL", r.notebook_session_url)])


NOTEBOOK_SESSIONS = ResourceKind(
    id="data_science.notebook_session", label=N_("Notebook sessions"), singular=N_("Notebook session"),
    group=N_("Analytics & AI"), icon="file", order=11, list=lister(NOTEBOOK_REF), get=getter(NOTEBOOK_REF),
    ocid_types=("datasciencenotebooksession",),
    columns=[
        Column(N_("Name"), attr("display_name"), width=200),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Shape"), _nb_shape, width=220),
        Column(N_("Project"), attr("project_id"), "ocid", width=160),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Configuration"), _notebook_related)],
    actions=[
        Action("open", N_("Open notebook"), _open_url, ACTIVE, icon="link", verb=N_("Opening"), mutates=False),
        Action("notebook_url", N_("Copy notebook URL…"), no_run, ACTIVE, form=notebook_url_form, icon="copy",
               verb=N_("Reading URL of"), mutates=False),
        _switch_action("activate", "Activate", "activate_notebook_session", "INACTIVE", "ACTIVE", "Activating",
                       "start"),
        _switch_action("deactivate", "Deactivate", "deactivate_notebook_session", "ACTIVE", "INACTIVE",
                       "Deactivating", "stop"),
        delete_action(NOTEBOOK_REF, frozenset({"ACTIVE", "INACTIVE", "FAILED"}), DELETED),
    ],
    create=NOTEBOOK_FORM, ready_states=ACTIVE, sdk=NOTEBOOK_REF)


# ---------------------------------------------------------------- models

async def _model_related(session, m) -> list[RelatedItem]:
    m = await session.data("data_science", "get_model", m.id)  # the list's summaries have no metadata
    out = await _project_name(session, m)
    for md in m.defined_metadata_list or []:
        if md.value:
            out.append(RelatedItem(md.key, md.value))
    for md in m.custom_metadata_list or []:
        out.append(RelatedItem(f"{md.key} ({md.category or 'custom'})", md.value or ""))
    for label, schema in (("Input schema", m.input_schema), ("Output schema", m.output_schema)):
        if schema:
            try:
                cols = [c.get("name") for c in json.loads(schema).get("schema", [])]
                out.append(RelatedItem(label, ", ".join(str(c) for c in cols)))
            except (ValueError, AttributeError):
                out.append(RelatedItem(label, schema[:80]))
    try:
        prov = await session.data("data_science", "get_model_provenance", m.id)
        if prov.repository_url:
            out.append(RelatedItem("Source", f"{prov.repository_url} {prov.git_branch or ''} {prov.git_commit or ''}"
                                   .strip()))
    except Exception:
        pass
    try:
        head = await session.call("data_science", "head_model_artifact", m.id)
        h = head.headers or {}
        name = h.get("content-disposition", "").partition("filename=")[2].strip('"')
        out.append(RelatedItem("Artifact", f"{name} ({int(h.get('content-length') or 0):,} bytes)"))
    except Exception:
        out.append(RelatedItem("Artifact", "none uploaded"))
    return out


def download_dir() -> Path:
    d = Path(os.path.expanduser("~")) / "Downloads"
    return d if d.is_dir() else Path(os.path.expanduser("~"))


def _artifact_check(v, _values, _ctx) -> str | None:
    """The artifact must be a zip with score.py at its top level (the file itself exists: the field's type)."""
    path = os.path.expanduser(str(v).strip())
    if not zipfile.is_zipfile(path):
        return f"Not a zip archive: {path}"
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
    except (OSError, zipfile.BadZipFile) as e:
        return f"Cannot read the zip: {e}"
    if "score.py" not in names:
        return "The zip has no score.py at its top level (the model's load_model() and predict())"
    return None


def _metadata(v) -> list | None:
    pairs = validators.parse_tags(v.get("custom_metadata"))[0]
    return [M.Metadata(key=k, value=val, category="other") for k, val in pairs.items()] or None


def _model_details(v: dict):
    return M.CreateModelDetails(
        compartment_id=v["compartment_id"], project_id=v["project_id"], display_name=v["display_name"],
        description=(v.get("description") or "").strip() or None, custom_metadata_list=_metadata(v),
        freeform_tags=_tags(v))


def _artifact_name(d) -> str:
    return f"{d.display_name}.zip".replace('"', "")


def _model_request(v: dict, ctx: FormContext) -> Request:
    d = _model_details(v)
    path = os.path.expanduser(v["artifact_path"].strip())

    def run(session, token, step):
        return svc.create_model_with_artifact(session, d, path, token, step)
    disposition = 'attachment; filename="' + _artifact_name(d) + '"'
    after = (f"with open({path!r}, \"rb\") as f:  # the artifact, uploaded to the new model\n"
             f"    client.create_model_artifact(response.data.id, f, content_disposition={disposition!r})")
    return Request("data_science", "create_model", d, run=run, python_after=after)


def _model_cli(v, ctx, req: Request) -> str:
    d = req.details
    create = cli_command("data-science model create", [
        ("--compartment-id", d.compartment_id), ("--project-id", d.project_id), ("--display-name", d.display_name),
        ("--description", d.description), ("--custom-metadata-list", d.custom_metadata_list),
        ("--freeform-tags", d.freeform_tags), ("--query", "data.id"), ("--raw-output", True)])
    upload = cli_command("data-science model create-model-artifact", [
        ("--model-id", "@MODEL_ID@"), ("--model-artifact-file", os.path.expanduser(v["artifact_path"].strip())),
        ("--content-disposition", f'attachment; filename="{_artifact_name(d)}"')])
    create = create.replace("--raw-output true", "--raw-output")
    return ("# the new model's id\nMODEL_ID=$(" + create + ")\n\n"
            + upload.replace("@MODEL_ID@", '"$MODEL_ID"'))


MODEL_FORM = FormSpec(
    title=N_("Create model"), kind_id="data_science.model",
    fields=[
        Field("display_name", N_("Name"), "text", required=True, default_from=lambda *_: time.strftime("model-%Y%m%d"),
              validate=lambda v, *_: validators.display_name(v, True)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("project_id", N_("Project"), "choice", required=True, options=_projects, depends_on=("compartment_id",),
              create_kind="data_science.project"),
        Field("description", N_("Description"), "textarea",
              validate=lambda v, *_: "At most 400 characters" if v and len(v) > 400 else None),
        Field("artifact_path", N_("Artifact (.zip)"), "file", required=True, validate=_artifact_check,
              file_filter="Zip archives (*.zip);;All files (*)", placeholder=N_("A zip with score.py at its top level"),
              help=N_("The model's files: score.py (load_model() and predict()), runtime.yaml and the serialized "
                   "model. Uploaded after the model is created; if the upload fails the model is deleted")),
        Field("custom_metadata", N_("Custom metadata"), "tags", help=N_("One key=value per line")),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_model_request, cli=_model_cli)


@dataclass
class ArtifactDownload:
    """A model artifact saved to a local file."""

    id: str
    path: str
    size: int


def download_form(m) -> FormSpec:
    def build(v: dict, ctx: FormContext) -> Request:
        dest = os.path.expanduser(v["path"].strip())

        async def run(session, _token, step):
            step(f"Saving to {dest}")
            return ArtifactDownload(m.id, dest, await svc.download_model_artifact(session, m.id, dest))
        return Request("data_science", "get_model_artifact_content", args=(m.id,), retry_token=False, run=run,
                       python_after=f"with open({dest!r}, \"wb\") as f:\n"
                                    f"    for chunk in response.data.raw.stream(1024 * 1024, decode_content=True):\n"
                                    f"        f.write(chunk)")

    def cli(v, ctx, req: Request) -> str:
        return cli_command("data-science model get-artifact-content", [
            ("--model-id", m.id), ("--file", os.path.expanduser(v["path"].strip()))])

    def exists(v, _values, _ctx) -> str | None:
        path = os.path.expanduser(str(v).strip())
        return f"{path} exists: it will be replaced" if os.path.isfile(path) else None

    return FormSpec(
        title=f"Download artifact of {m.display_name}", kind_id="data_science.artifact_download",
        fields=[Field("path", N_("Save as"), "savefile", required=True, warning=exists,
                      default=str(download_dir() / f"{m.display_name}.zip"),
                      file_filter="Zip archives (*.zip);;All files (*)",
                      help=N_("The artifact zip is streamed to this file; its folder must exist"))],
        build=build, cli=cli, describe=lambda v: m.display_name, submit_label=N_("Download"),
        op_title=lambda v: f"Download artifact of model {m.display_name}",
        reveal=lambda r: [("Saved to", r.path), ("Size", f"{r.size:,} bytes")])


MODELS = ResourceKind(
    id="data_science.model", label=N_("Models"), singular=N_("Model"), group=N_("Analytics & AI"), icon="report",
                      order=12,
    list=lister(MODEL_REF), get=getter(MODEL_REF), ocid_types=("datasciencemodel",),
    columns=[
        Column(N_("Name"), attr("display_name"), width=200),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Project"), attr("project_id"), "ocid", width=160),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Metadata"), _model_related)],
    actions=[
        Action("download", N_("Download artifact…"), no_run, frozenset({"ACTIVE", "INACTIVE"}), form=download_form,
               icon="download", verb=N_("Downloading artifact of"), mutates=False),
        _switch_action("activate", "Activate", "activate_model", "INACTIVE", "ACTIVE", "Activating", "start"),
        _switch_action("deactivate", "Deactivate", "deactivate_model", "ACTIVE", "INACTIVE", "Deactivating", "stop"),
        delete_action(MODEL_REF, frozenset({"ACTIVE", "INACTIVE", "FAILED"}), DELETED),
    ],
    create=MODEL_FORM, ready_states=frozenset({"ACTIVE", "INACTIVE"}), sdk=MODEL_REF)


# ---------------------------------------------------------------- model deployments

async def _models(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    kw = {"project_id": values["project_id"]} if values.get("project_id") else {}
    items = await ctx.session.list_all("data_science", "list_models", comp, lifecycle_state="ACTIVE", **kw)
    return [Option(m.id, m.display_name, m) for m in items]


def _deployment_request(v: dict, ctx: FormContext) -> Request:
    sc = None
    if _flex(v):
        sc = M.ModelDeploymentInstanceShapeConfigDetails(ocpus=float(v["ocpus"]),
                                                         memory_in_gbs=float(v["memory_in_gbs"]))
    return Request("data_science", "create_model_deployment", M.CreateModelDeploymentDetails(
        compartment_id=v["compartment_id"], project_id=v["project_id"], display_name=v["display_name"],
        model_deployment_configuration_details=M.SingleModelDeploymentConfigurationDetails(
            deployment_type="SINGLE_MODEL", model_configuration_details=M.ModelConfigurationDetails(
                model_id=v["model_id"], bandwidth_mbps=int(v["bandwidth_mbps"]),
                scaling_policy=M.FixedSizeScalingPolicy(policy_type="FIXED_SIZE",
                                                        instance_count=int(v["instance_count"])),
                instance_configuration=M.InstanceConfiguration(
                    instance_shape_name=v["shape"], model_deployment_instance_shape_config_details=sc))),
        freeform_tags=_tags(v)))


def _deployment_cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("data-science model-deployment create", [
        ("--compartment-id", d.compartment_id), ("--project-id", d.project_id), ("--display-name", d.display_name),
        ("--model-deployment-configuration-details", d.model_deployment_configuration_details),
        ("--freeform-tags", d.freeform_tags), ("--wait-for-state", "SUCCEEDED")])


def _deployment_cost(v: dict, ctx: FormContext) -> Cost | None:
    try:
        return compute_cost(v.get("shape") or "", float(v.get("ocpus") or 0), float(v.get("memory_in_gbs") or 0), 0,
                            int(v.get("instance_count") or 1))
    except (TypeError, ValueError):
        return None


DEPLOYMENT_FORM = FormSpec(
    title=N_("Create model deployment"), kind_id="data_science.model_deployment",
    fields=[
        Field("display_name", N_("Name"), "text", required=True, default_from=lambda *_: time.strftime("deploy-%Y%m%d"),
              validate=lambda v, *_: validators.display_name(v, True)),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("project_id", N_("Project"), "choice", required=True, options=_projects, depends_on=("compartment_id",),
              create_kind="data_science.project"),
        Field("model_id", N_("Model"), "choice", required=True, options=_models, depends_on=("project_id",),
              help=N_("An ACTIVE model with its artifact uploaded")),
        Field("shape", N_("Shape"), "choice", required=True, options=_notebook_shapes, default="VM.Standard.E4.Flex",
              depends_on=("compartment_id",)),
        Field("ocpus", N_("OCPUs per instance"), "number", default=1, bounds=lambda v, c: (1, 64, 1),
              visible=lambda v, c: _flex(v), depends_on=("shape",)),
        Field("memory_in_gbs", N_("Memory per instance (GB)"), "number", default=16, bounds=lambda v, c: (1, 1024, 1),
              visible=lambda v, c: _flex(v), validate=_memory_check, depends_on=("shape", "ocpus")),
        Field("instance_count", N_("Instances"), "number", required=True, default=1, bounds=lambda v, c: (1, 10, 1)),
        Field("bandwidth_mbps", N_("Load balancer bandwidth (Mbps)"), "number", required=True, default=10,
              bounds=lambda v, c: (10, 8000, 1)),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_deployment_request, cli=_deployment_cli, cost=_deployment_cost)


@dataclass
class Prediction:
    """A predict call's answer: the JSON the model returned and the round trip in milliseconds."""

    id: str
    text: str
    latency_ms: float


def _payload_check(v, _values, _ctx) -> str | None:
    try:
        json.loads(v)
    except ValueError as e:
        return f"Not JSON: {e}"
    return None


def predict_form(md) -> FormSpec:
    started = {"t": 0.0}

    def build(v: dict, ctx: FormContext) -> Request:
        started["t"] = time.monotonic()  # built again at the moment it is sent

        def wrap(data):
            text = data if isinstance(data, str) else json.dumps(data)
            return Prediction(md.id, text, (time.monotonic() - started["t"]) * 1000.0)
        return Request("model_deployment", "predict", v["payload"].strip(), args=(md.id,), retry_token=False,
                       wrap=wrap)

    def cli(v, ctx, req: Request) -> str:
        return cli_command("model-deployment inference-result predict", [
            ("--model-deployment-id", md.id), ("--request-body", to_json(json.loads(v["payload"])))])

    def shown(p: Prediction) -> list[tuple[str, str]]:
        try:
            pretty = json.dumps(json.loads(p.text), indent=None)
        except ValueError:
            pretty = p.text
        return [("Prediction", pretty), ("Latency", f"{p.latency_ms:,.0f} ms")]

    return FormSpec(
        title=f"Predict with {md.display_name}", kind_id="data_science.prediction",
        fields=[Field("payload", N_("Payload (JSON)"), "textarea", required=True, default='{"data": [[100, 3, 10]]}',
                      validate=_payload_check, help=N_("Sent as it is to the model's predict(); the model's input "
                                                     "schema says what it takes"))],
        build=build, cli=cli, describe=lambda v: md.display_name, submit_label=N_("Predict"),
        op_title=lambda v: f"Predict with {md.display_name}", reveal=shown)


async def _deployment_related(session, md) -> list[RelatedItem]:
    out = await _project_name(session, md)
    mc = md.model_deployment_configuration_details.model_configuration_details \
        if md.model_deployment_configuration_details else None
    if mc is not None:
        try:
            m = await session.data("data_science", "get_model", mc.model_id)
            out.append(RelatedItem("Model", m.display_name, m.id))
        except Exception:
            out.append(RelatedItem("Model", mc.model_id, mc.model_id))
        ic = mc.instance_configuration
        sc = ic.model_deployment_instance_shape_config_details
        out.append(RelatedItem("Shape", ic.instance_shape_name + (f" ({sc.ocpus:g} OCPU, {sc.memory_in_gbs:g} GB)"
                                                                  if sc and sc.ocpus else "")))
        out.append(RelatedItem("Instances", str(mc.scaling_policy.instance_count if mc.scaling_policy else 1)))
        out.append(RelatedItem("Load balancer bandwidth", f"{mc.bandwidth_mbps} Mbps"))
    out.append(RelatedItem("Endpoint", f"{md.model_deployment_url}/predict"))
    return out


def _instances(md) -> str:
    mc = md.model_deployment_configuration_details.model_configuration_details \
        if md.model_deployment_configuration_details else None
    if mc is None:
        return ""
    count = mc.scaling_policy.instance_count if mc.scaling_policy else 1
    return f"{count} × {mc.instance_configuration.instance_shape_name}"


MODEL_DEPLOYMENTS = ResourceKind(
    id="data_science.model_deployment", label=N_("Model deployments"), singular=N_("Model deployment"),
    group=N_("Analytics & AI"), icon="upload", order=13, list=lister(DEPLOYMENT_REF), get=getter(DEPLOYMENT_REF),
    ocid_types=("datasciencemodeldeployment",),
    columns=[
        Column(N_("Name"), attr("display_name"), width=200),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Instances"), _instances, width=200),
        Column(N_("Project"), attr("project_id"), "ocid", width=160),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Deployment"), _deployment_related)],
    actions=[
        Action("predict", N_("Predict…"), no_run, ACTIVE, form=predict_form, icon="start",
               verb=N_("Predicting with"), mutates=False),
        _switch_action("activate", "Activate", "activate_model_deployment", "INACTIVE", "ACTIVE", "Activating",
                       "start"),
        _switch_action("deactivate", "Deactivate", "deactivate_model_deployment", "ACTIVE", "INACTIVE",
                       "Deactivating", "stop"),
        delete_action(DEPLOYMENT_REF, frozenset({"ACTIVE", "INACTIVE", "FAILED", "NEEDS_ATTENTION"}), DELETED),
    ],
    create=DEPLOYMENT_FORM, ready_states=ACTIVE, sdk=DEPLOYMENT_REF)


async def _no_list(*_a, **_k) -> list:
    return []


PREDICTIONS = ResourceKind(
    id="data_science.prediction", label=N_("Predictions"), singular=N_("Prediction"), group=N_("Analytics & AI"),
                           icon="report",
    scope="hidden", list=_no_list, get=None, columns=[Column(N_("Prediction"), attr("text"))], movable=False)


# ---------------------------------------------------------------- jobs

JOB_RUN_REF = SdkRef("data_science", "job_run", cli="data-science job-run")
MAX_RUNTIME = 30 * 24 * 60  # minutes: OCI's bound on maximumRuntimeInMinutes (30 days)
RUN_DONE = frozenset({"SUCCEEDED", "FAILED", "CANCELED", "DELETED", "NEEDS_ATTENTION"})
# log OCID -> its log group, as the Log choice last listed them (the field's check reads it)
_LOG_GROUP_OF: dict[str, tuple[str, str]] = {}


async def _job_shapes(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    items = await ctx.session.list_all("data_science", "list_job_shapes", comp)
    return [Option(s.name, s.name + ("" if s.name.endswith(".Flex") else f" ({s.core_count} OCPU, "
                                      f"{s.memory_in_gbs:g} GB)"), s) for s in items]


async def _log_groups(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    groups = await logsvc.list_log_groups(ctx.session, comp)
    return [Option("", "No logging")] + [Option(g.id, g.display_name, g) for g in groups
                                         if g.lifecycle_state == "ACTIVE"]


async def _custom_logs(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    groups = {g.id: g.display_name for g in await logsvc.list_log_groups(ctx.session, comp)}
    logs = [lg for lg in await logsvc.list_compartment_logs(ctx.session, comp)
            if lg.log_type == "CUSTOM" and lg.lifecycle_state == "ACTIVE"]
    for lg in logs:
        _LOG_GROUP_OF[lg.id] = (lg.log_group_id, lg.display_name)
    return [Option("", "Create a log for each run (automatic log creation)")] + [
        Option(lg.id, f"{lg.display_name} (in {groups.get(lg.log_group_id, lg.log_group_id)})", lg) for lg in logs]


def _log_in_group(v, values, _ctx) -> str | None:
    if not v or not values.get("log_group_id"):
        return None
    group, name = _LOG_GROUP_OF.get(v, (None, v))
    if group is not None and group != values["log_group_id"]:
        return f"The log {name} is not in the chosen log group: pick one of its logs, or automatic log creation"
    return None


def _script_check(v, _values, _ctx) -> str | None:
    path = os.path.expanduser(str(v).strip())
    if not path.endswith(".py"):
        return f"Not a Python script (.py): {os.path.basename(path)}"
    return None


def _job_details(v: dict):
    sc = None
    if _flex(v):
        sc = M.JobShapeConfigDetails(ocpus=float(v["ocpus"]), memory_in_gbs=float(v["memory_in_gbs"]))
    env = validators.parse_tags(v.get("environment"))[0] or None
    logs = None
    if v.get("log_group_id"):
        logs = M.JobLogConfigurationDetails(enable_logging=True, enable_auto_log_creation=not v.get("log_id"),
                                            log_group_id=v["log_group_id"], log_id=v.get("log_id") or None)
    return M.CreateJobDetails(
        compartment_id=v["compartment_id"], project_id=v["project_id"], display_name=v["display_name"],
        description=(v.get("description") or "").strip() or None,
        job_configuration_details=M.DefaultJobConfigurationDetails(
            job_type="DEFAULT", environment_variables=env,
            command_line_arguments=(v.get("arguments") or "").strip() or None,
            maximum_runtime_in_minutes=int(v["max_runtime"]) if v.get("max_runtime") not in (None, "") else None),
        job_infrastructure_configuration_details=M.ManagedEgressStandaloneJobInfrastructureConfigurationDetails(
            job_infrastructure_type="ME_STANDALONE", shape_name=v["shape"],
            block_storage_size_in_gbs=int(v["block_storage_size_in_gbs"]), job_shape_config_details=sc),
        job_log_configuration_details=logs, freeform_tags=_tags(v))


def _job_request(v: dict, ctx: FormContext) -> Request:
    d = _job_details(v)
    path = os.path.expanduser(v["script_path"].strip())
    name = os.path.basename(path).replace('"', "")

    def run(session, token, step):
        return svc.create_job_with_artifact(session, d, path, token, step)
    disposition = 'attachment; filename="' + name + '"'
    after = (f"with open({path!r}, \"rb\") as f:  # the job's script, uploaded to the new job\n"
             f"    client.create_job_artifact(response.data.id, f, content_disposition={disposition!r})")
    return Request("data_science", "create_job", d, run=run, python_after=after)


def _job_cli(v, ctx, req: Request) -> str:
    d = req.details
    create = cli_command("data-science job create", [
        ("--compartment-id", d.compartment_id), ("--project-id", d.project_id), ("--display-name", d.display_name),
        ("--description", d.description), ("--configuration-details", d.job_configuration_details),
        ("--infrastructure-configuration-details", d.job_infrastructure_configuration_details),
        ("--log-configuration-details", d.job_log_configuration_details),
        ("--freeform-tags", d.freeform_tags), ("--query", "data.id"), ("--raw-output", True)])
    path = os.path.expanduser(v["script_path"].strip())
    upload = cli_command("data-science job create-job-artifact", [
        ("--job-id", "@JOB_ID@"), ("--job-artifact-file", path),
        ("--content-disposition", f'attachment; filename="{os.path.basename(path)}"')])
    create = create.replace("--raw-output true", "--raw-output")
    return "# the new job's id\nJOB_ID=$(" + create + ")\n\n" + upload.replace("@JOB_ID@", '"$JOB_ID"')


def _job_cost(v: dict, ctx: FormContext) -> Cost | None:
    try:
        cost = compute_cost(v.get("shape") or "", float(v.get("ocpus") or 0), float(v.get("memory_in_gbs") or 0),
                            float(v.get("block_storage_size_in_gbs") or 0))
    except (TypeError, ValueError):
        return None
    if cost is not None:
        cost.note = "per hour while a run is in progress (the infrastructure is made for each run, then removed)"
    return cost


JOB_FORM = FormSpec(
    title="Create job", kind_id="data_science.job",
    fields=[
        Field("display_name", "Name", "text", required=True, default_from=lambda *_: time.strftime("job-%Y%m%d"),
              validate=lambda v, *_: validators.display_name(v, True)),
        Field("compartment_id", "Compartment", "compartment", required=True),
        Field("project_id", "Project", "choice", required=True, options=_projects, depends_on=("compartment_id",),
              create_kind="data_science.project"),
        Field("description", "Description", "textarea",
              validate=lambda v, *_: "At most 400 characters" if v and len(v) > 400 else None),
        Field("script_path", "Script (.py)", "file", required=True, validate=_script_check,
              file_filter="Python scripts (*.py);;All files (*)", placeholder="The Python script each run executes",
              help="Uploaded as the job's artifact after the job is created; if the upload fails the job is deleted"),
        Field("shape", "Shape", "choice", required=True, options=_job_shapes, default="VM.Standard.E4.Flex",
              depends_on=("compartment_id",), help="The virtual machine each run gets, billed while the run runs"),
        Field("ocpus", "OCPUs", "number", default=1,
              bounds=lambda v, c: (1, FLEX_LIMITS.get(v.get("shape") or "", (64, 0))[0], 1),
              visible=lambda v, c: _flex(v), depends_on=("shape",)),
        Field("memory_in_gbs", "Memory (GB)", "number", default=16, bounds=lambda v, c: (1, 1024, 1),
              visible=lambda v, c: _flex(v), validate=_memory_check, depends_on=("shape", "ocpus")),
        Field("block_storage_size_in_gbs", "Block storage (GB)", "number", required=True, default=50,
              bounds=lambda v, c: (BLOCK_MIN, BLOCK_MAX, 1), help=f"{BLOCK_MIN} to {BLOCK_MAX:,} GB for each run"),
        Field("environment", "Environment variables", "tags", help="One NAME=value per line"),
        Field("arguments", "Command-line arguments", "text", placeholder="--epochs 10",
              help="Passed to the script (sys.argv); a run may override them"),
        Field("max_runtime", "Maximum runtime (minutes)", "number", default=60,
              bounds=lambda v, c: (1, MAX_RUNTIME, 1),
              help=f"A run still going after this is stopped: 1 to {MAX_RUNTIME:,} minutes (30 days)"),
        Field("log_group_id", "Log group", "choice", default="", options=_log_groups, depends_on=("compartment_id",),
              create_kind="logging.log_group",
              help="The runs' stdout and stderr go to a log of this group (Logging); none: no logs"),
        Field("log_id", "Log", "choice", default="", options=_custom_logs, validate=_log_in_group,
              visible=lambda v, c: bool(v.get("log_group_id")), depends_on=("compartment_id", "log_group_id"),
              help="A custom log of the group that every run writes to, or a new log for each run, named after it"),
        Field("freeform_tags", "Tags", "tags", help="One key=value per line"),
    ],
    build=_job_request, cli=_job_cli, cost=_job_cost)


def run_form(job) -> FormSpec:
    """Start a run of `job` (Actions > Start job run…): a name, environment and argument overrides."""
    def build(v: dict, ctx: FormContext) -> Request:
        env = validators.parse_tags(v.get("environment"))[0] or None
        args = (v.get("arguments") or "").strip() or None
        over = M.DefaultJobConfigurationDetails(job_type="DEFAULT", environment_variables=env,
                                                command_line_arguments=args) if env or args else None
        return Request("data_science", "create_job_run", M.CreateJobRunDetails(
            compartment_id=job.compartment_id, project_id=job.project_id, job_id=job.id,
            display_name=v["display_name"].strip(), job_configuration_override_details=over))

    def cli(v, ctx, req: Request) -> str:
        d = req.details
        return cli_command("data-science job-run create", [
            ("--compartment-id", d.compartment_id), ("--project-id", d.project_id), ("--job-id", d.job_id),
            ("--display-name", d.display_name),
            ("--configuration-override-details", d.job_configuration_override_details),
            ("--wait-for-state", "SUCCEEDED"), ("--wait-for-state", "FAILED")])

    return FormSpec(
        title=f"Start a run of {job.display_name}", kind_id="data_science.job_run",
        fields=[Field("display_name", "Run name", "text", required=True,
                      default_from=lambda *_: time.strftime("jobrun%Y%m%d%H%M%S"),
                      validate=lambda v, *_: validators.display_name(v, True)),
                Field("environment", "Environment variables", "tags",
                      help="One NAME=value per line: added to the job's, or replacing them"),
                Field("arguments", "Command-line arguments", "text",
                      help="Instead of the job's arguments (empty: the job's)")],
        build=build, cli=cli, describe=lambda v: v.get("display_name") or "", submit_label="Start run",
        op_title=lambda v: f"Run job {job.display_name} ({v.get('display_name')})")


def _when(t) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S") if t else "–"


def _run_text(r) -> str:
    parts = [r.lifecycle_state]
    if r.lifecycle_details:
        parts.append(r.lifecycle_details)
    parts.append(f"started {_when(r.time_started)}, finished {_when(r.time_finished)}")
    return " · ".join(parts)


async def _log_item(session, log_id: str | None, label: str = "Log") -> list[RelatedItem]:
    """The log as a link (following it shows the log; opening that shows it in the Log Explorer)."""
    if not log_id:
        return []
    try:
        name = (await logsvc.get_log(session, log_id)).display_name
    except Exception:
        name = log_id
    return [RelatedItem(label, name, log_id)]


async def _job_runs(session, job) -> list[RelatedItem]:
    runs = await session.list_all("data_science", "list_job_runs", job.compartment_id, job_id=job.id)
    runs = sorted((r for r in runs if r.lifecycle_state != "DELETED"), key=lambda r: r.time_accepted,
                  reverse=True)[:10]
    out: list[RelatedItem] = []
    for r in runs:
        out.append(RelatedItem(r.display_name, _run_text(r), r.id))
        full = await session.data("data_science", "get_job_run", r.id)  # the summaries carry no logDetails
        out += await _log_item(session, full.log_details.log_id if full.log_details else None,
                               f"{r.display_name} log")
    return out or [RelatedItem("Runs", "none yet: Actions > Start job run…")]


async def _job_related(session, job) -> list[RelatedItem]:
    job = await session.data("data_science", "get_job", job.id)  # the summaries carry no configuration
    out = await _project_name(session, job)
    infra = job.job_infrastructure_configuration_details
    if infra is not None:
        sc = getattr(infra, "job_shape_config_details", None)
        out.append(RelatedItem("Shape", infra.shape_name + (f" ({sc.ocpus:g} OCPU, {sc.memory_in_gbs:g} GB)"
                                                            if sc and sc.ocpus else "")))
        out.append(RelatedItem("Block storage", f"{infra.block_storage_size_in_gbs} GB"))
    cfg = job.job_configuration_details
    if cfg is not None:
        for k, val in (cfg.environment_variables or {}).items():
            out.append(RelatedItem("Environment", f"{k}={val}"))
        if cfg.command_line_arguments:
            out.append(RelatedItem("Arguments", cfg.command_line_arguments))
        if cfg.maximum_runtime_in_minutes:
            out.append(RelatedItem("Maximum runtime", f"{cfg.maximum_runtime_in_minutes:,} minutes"))
    lc = job.job_log_configuration_details
    if lc is not None and lc.enable_logging:
        try:
            group = (await session.data("logging", "get_log_group", lc.log_group_id)).display_name
        except Exception:
            group = lc.log_group_id
        out.append(RelatedItem("Log group", group, lc.log_group_id))
        if lc.log_id:
            out += await _log_item(session, lc.log_id)
        else:
            out.append(RelatedItem("Log", "a new log for each run (automatic log creation)"))
    else:
        out.append(RelatedItem("Logging", "off"))
    return out


JOBS = ResourceKind(
    id="data_science.job", label=N_("Jobs"), singular=N_("Job"), group=N_("Analytics & AI"), icon="reboot", order=14,
    list=lister(JOB_REF), get=getter(JOB_REF), ocid_types=("datasciencejob",),
    columns=[
        Column(N_("Name"), attr("display_name"), width=200),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Project"), attr("project_id"), "ocid", width=160),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related("Job", _job_related), Related("Runs", _job_runs)],
    actions=[
        Action("start_run", "Start job run…", no_run, ACTIVE, form=run_form, icon="start", verb="Starting a run of",
               mutates=False),
        delete_action(JOB_REF, ACTIVE, DELETED),
    ],
    create=JOB_FORM, ready_states=ACTIVE, sdk=JOB_REF)


async def _run_related(session, run) -> list[RelatedItem]:
    run = await session.data("data_science", "get_job_run", run.id)
    out = []
    try:
        job = await session.data("data_science", "get_job", run.job_id)
        out.append(RelatedItem("Job", job.display_name, job.id))
    except Exception:
        out.append(RelatedItem("Job", run.job_id, run.job_id))
    out.append(RelatedItem("State", run.lifecycle_state))
    if run.lifecycle_details:
        out.append(RelatedItem("Details", run.lifecycle_details))
    for label, t in (("Accepted", run.time_accepted), ("Started", run.time_started), ("Finished", run.time_finished)):
        out.append(RelatedItem(label, _when(t)))
    ld = run.log_details
    if ld is not None and ld.log_id:
        out += await _log_item(session, ld.log_id)
        out.append(RelatedItem("Query", f'search "{run.compartment_id}/{ld.log_group_id}/{ld.log_id}"'))
    else:
        out.append(RelatedItem("Log", "none: the job has no logging"))
    return out


async def _cancel_run(session, run, _options) -> None:
    await session.call("data_science", "cancel_job_run", run.id)


JOB_RUNS = ResourceKind(
    id="data_science.job_run", label="Job runs", singular="Job run", group="Analytics & AI", icon="start", order=15,
    list=lister(JOB_RUN_REF), get=getter(JOB_RUN_REF), ocid_types=("datasciencejobrun",),
    columns=[
        Column("Name", attr("display_name"), width=180),
        Column("State", attr("lifecycle_state"), "state"),
        Column("Details", attr("lifecycle_details"), width=220),
        Column("Job", attr("job_id"), "ocid", width=160),
        Column("Started", attr("time_started"), "datetime"),
        Column("Finished", attr("time_finished"), "datetime"),
    ],
    related=[Related("Run", _run_related)],
    actions=[
        Action("cancel", "Cancel run", _cancel_run, frozenset({"ACCEPTED", "IN_PROGRESS"}),
               target_states=frozenset({"CANCELED"}), icon="stop", verb="Canceling", destructive=True,
               confirm="name"),  # a canceled run cannot be resumed: its name is typed, as for a delete
        delete_action(JOB_RUN_REF, frozenset({"SUCCEEDED", "FAILED", "CANCELED", "NEEDS_ATTENTION"}), DELETED),
    ],
    ready_states=frozenset({"SUCCEEDED"}), sdk=JOB_RUN_REF)

ARTIFACT_DOWNLOADS = ResourceKind(
    id="data_science.artifact_download", label=N_("Artifact downloads"), singular=N_("Artifact download"),
    group=N_("Analytics & AI"), icon="download", scope="hidden", list=_no_list, get=None,
    columns=[Column(N_("Saved to"), attr("path"))], movable=False)

KINDS: list[ResourceKind] = [PROJECTS, NOTEBOOK_SESSIONS, MODELS, MODEL_DEPLOYMENTS, PREDICTIONS, ARTIFACT_DOWNLOADS,
                             JOBS, JOB_RUNS]
