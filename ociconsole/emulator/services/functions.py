"""Functions (`/functions`: FunctionsManagementClient, and FunctionsInvokeClient on a function's invoke endpoint).

What OCI does and the emulator does too:

- Applications: 1 to 3 subnets (AVAILABLE, in the region), network security groups, shape GENERIC_X86
  (default), GENERIC_ARM or GENERIC_X86_ARM, a config of environment variables (names are letters, digits and
  `_`, not starting with a digit; at most 4 KB of keys and values together), a display name unique in the
  compartment. ACTIVE at once; an application that still holds functions cannot be deleted (409).
- Functions: a container image that must exist in the (emulated) Container Registry
  (`<host>/<namespace>/<repository>:<tag>`, or `@sha256:...`; the image's digest is kept as `imageDigest`),
  memory 128 to 3,072 MB, timeout 5 to 300 s, config as the application's, provisioned concurrency NONE or
  CONSTANT with a count, a name unique in the application. The function's shape is its application's.
  `invokeEndpoint` is the emulator's own `/functions` endpoint, which the SDK's FunctionsInvokeClient and the
  CLI's `oci fn function invoke` call.
- Invocation is real. When the image holds a Python function for Oracle's FDK (a layer with `func.py` and
  `func.yaml`, whose entrypoint names the handler: `handler(ctx, data)`), the emulator unpacks it and runs it
  in a subprocess through the FDK's own request handling (`fdk.runner.handle_request`, as the FDK's HTTP
  server does in the container), with the function's memory as the address-space limit (setrlimit) and its
  timeout, the application's and the function's config as the environment (what `ctx.Config()` reads), and
  answers with the FDK's body, headers and status: 200, or 502 (the handler raised: OCI's
  FunctionInvokeExecutionFailed) or 504 (it ran out of time: FunctionInvokeTimeout). An image that is not
  such a function is answered 502 FunctionInvokeImageNotAvailable, saying that the sandbox cannot run it.
  `is-dry-run: true` answers without running. Detached invocations (`fn-invoke-type: detached`) run and
  answer 202 at once.
- Metrics `oci_faas` come from the real invocations, counted per minute: FunctionInvocationCount,
  FunctionExecutionDuration (mean milliseconds) and FunctionResponseCount, each per function and
  `responseType` (Success, Error, Timeout).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import threading
import time

import numpy as np

from .. import service_logs
from ..engine import Kind, Lifecycle
from ..metrics import MINUTE, Gen, Metric, MetricSource, declare
from ..protocol import ApiError, conflict, incorrect_state, invalid, new_ocid, ts
from ..registry import Context, Result, Service
from . import artifacts
from .object_storage import namespace_of

svc = Service("functions", name="functions")

APP = "fnapp"
FUNC = "fnfunc"
STREAM = "_fnstream"  # per (function, responseType): invocation counts per minute (the metrics read them)
SHAPES = ("GENERIC_X86", "GENERIC_ARM", "GENERIC_X86_ARM")
MEMORY_MIN, MEMORY_MAX = 128, 3072
TIMEOUT_MIN, TIMEOUT_MAX = 5, 300
MAX_SUBNETS = 3
CONFIG_MAX_BYTES = 4096
MAX_PAYLOAD = 6 * 1024 * 1024
KEEP_MINUTES = 14 * 24 * 60
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
IMAGE_RE = re.compile(r"(?P<host>[^/]+)/(?P<ns>[a-z0-9]+)/(?P<repo>[^:@]+)(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]*))?"
                      r"(?:@(?P<digest>sha256:[a-f0-9]{64}))?")


# ---------------------------------------------------------------- applications

def _config(config, field: str = "config") -> dict:
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise invalid(f"{field} must be a map of strings")
    size = 0
    for k, v in config.items():
        if not ENV_NAME.fullmatch(k):
            raise invalid(f"{field}: key '{k[:40]}' must be letters, digits and '_', not starting with a digit")
        if not isinstance(v, str):
            raise invalid(f"{field}: the value of '{k[:40]}' must be a string")
        size += len(k.encode()) + len(v.encode())
    if size > CONFIG_MAX_BYTES:
        raise invalid(f"{field}: keys and values hold {size:,} bytes; at most {CONFIG_MAX_BYTES:,} are allowed")
    return config


def _unique_in(ctx: Context, kind: str, field: str, value: str, name: str, where: str, exclude: str | None) -> None:
    for other in ctx.store.by_field(kind, "displayName", name):
        if other["id"] != exclude and other.get(field) == value and other.get("_region") == ctx.region \
                and other.get("lifecycleState") not in ("DELETING", "DELETED"):
            raise conflict(f"An {'application' if kind == APP else 'function'} named '{name}' already exists "
                           f"in this {where}")


def _app_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    out: dict = {}
    if "config" in body:
        out["config"] = _config(body.get("config"))
    if existing is None:
        shape = body.get("shape") or "GENERIC_X86"
        if shape not in SHAPES:
            raise invalid(f"shape must be one of {', '.join(SHAPES)}")
        subnets = body.get("subnetIds") or []
        if not subnets:
            raise ApiError(400, "MissingParameter", "subnetIds: an application needs at least one subnet")
        if len(subnets) > MAX_SUBNETS:
            raise invalid(f"subnetIds: an application has at most {MAX_SUBNETS} subnets")
        name = ctx.require(body.get("displayName"), "displayName")
        _unique_in(ctx, APP, "compartmentId", ctx.compartment(body.get("compartmentId"))["id"], name,
                   "compartment", None)
        out.update(shape=shape, config=out.get("config", {}), timeUpdated=ctx.ts())
    else:
        out["timeUpdated"] = ctx.ts()
    return out


def _app_in_use(ctx: Context, doc: dict) -> None:
    live = [f for f in ctx.store.by_field(FUNC, "applicationId", doc["id"])
            if f.get("lifecycleState") not in ("DELETING", "DELETED")]
    if live:
        raise conflict(f"The application still holds {len(live)} function(s); delete them first")


APPLICATION = svc.resource(Kind(
    APP, "Application", "application", ocid="fnapp",
    lifecycle=Lifecycle(None, "ACTIVE", None, "DELETING", "DELETED", "FAILED"),
    refs={"subnetIds": "subnet", "networkSecurityGroupIds": "networksecuritygroup"},
    validate=_app_checks, check_delete=_app_in_use, search="FunctionsApplication",
    defaults={"networkSecurityGroupIds": [], "config": {}}))


# ---------------------------------------------------------------- functions

def resolve_image(ctx: Context, image) -> tuple[dict, dict]:
    """(repository, image document) of an image reference in the emulated registry, or a 400/404."""
    if not isinstance(image, str) or not image:
        raise ApiError(400, "MissingParameter", "sourceDetails.image is required")
    m = IMAGE_RE.fullmatch(image)
    if m is None or (not m["tag"] and not m["digest"]):
        raise invalid(f"sourceDetails.image '{image[:120]}' must be <registry>/<namespace>/<repository>:<tag> "
                      "(or @sha256:<digest>)")
    if m["ns"] != namespace_of(ctx.tenancy_id):
        raise ApiError(404, "NotAuthorizedOrNotFound", f"sourceDetails.image: the namespace '{m['ns']}' is not "
                                                       "this tenancy's")
    repo = artifacts.find_repository(ctx.store, ctx.region, m["repo"])
    if repo is None:
        raise ApiError(404, "NotAuthorizedOrNotFound", f"sourceDetails.image: the repository '{m['repo']}' does "
                                                       f"not exist in {ctx.region}")
    for img in ctx.store.by_field(artifacts.IMAGE, "repositoryId", repo["id"]):
        if img["lifecycleState"] != "AVAILABLE":
            continue
        if img["digest"] == m["digest"] if m["digest"] else artifacts._has_version(img, m["tag"]):
            return repo, img
    raise ApiError(404, "NotAuthorizedOrNotFound", f"sourceDetails.image: {image[:160]} is not in the registry")


def _invoke_endpoint(ctx: Context) -> str:
    host = ctx.headers.get("host") or "127.0.0.1"
    prefix = "" if ctx.region == ctx.core.home_region else f"/{ctx.region}"
    return f"http://{host}{prefix}/functions"


def _source(ctx: Context, sd) -> dict:
    if not isinstance(sd, dict):
        raise ApiError(400, "MissingParameter", "sourceDetails is required")
    if sd.get("sourceType") != "CONTAINER_IMAGE":
        raise invalid(f"sourceDetails.sourceType {str(sd.get('sourceType'))[:40]}: the emulator runs functions "
                      "from container images (CONTAINER_IMAGE)")
    _repo, img = resolve_image(ctx, sd.get("image"))
    if sd.get("imageDigest") and sd["imageDigest"] != img["digest"]:
        raise invalid(f"sourceDetails.imageDigest {sd['imageDigest'][:80]} is not the digest of {sd['image']} "
                      f"({img['digest']})")
    return {"sourceType": "CONTAINER_IMAGE", "image": sd["image"], "imageDigest": img["digest"]}


def _fn_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    out: dict = {"timeUpdated": ctx.ts()}
    mem = body.get("memoryInMBs")
    if mem is not None or existing is None:
        mem = ctx.require(mem, "memoryInMBs")
        if not isinstance(mem, int) or not MEMORY_MIN <= mem <= MEMORY_MAX:
            raise invalid(f"memoryInMBs must be between {MEMORY_MIN} and {MEMORY_MAX:,} MB, got {mem}")
    t = body.get("timeoutInSeconds")
    if t is not None and (not isinstance(t, int) or not TIMEOUT_MIN <= t <= TIMEOUT_MAX):
        raise invalid(f"timeoutInSeconds must be between {TIMEOUT_MIN} and {TIMEOUT_MAX} seconds, got {t}")
    if "config" in body:
        out["config"] = _config(body.get("config"))
    pc = body.get("provisionedConcurrencyConfig")
    if pc is not None:
        strategy = pc.get("strategy")
        if strategy not in ("NONE", "CONSTANT"):
            raise invalid("provisionedConcurrencyConfig.strategy must be NONE or CONSTANT")
        if strategy == "CONSTANT":
            count = pc.get("count")
            if not isinstance(count, int) or count < 1:
                raise invalid("provisionedConcurrencyConfig.count must be a positive number of units")
    if body.get("sourceDetails") is not None or existing is None:
        out["sourceDetails"] = _source(ctx, body.get("sourceDetails"))
    if existing is None:
        app = ctx.get(APP, body["applicationId"], "application")
        if app["lifecycleState"] != "ACTIVE":
            raise incorrect_state(f"The application is {app['lifecycleState']}")
        name = ctx.require(body.get("displayName"), "displayName")
        _unique_in(ctx, FUNC, "applicationId", app["id"], name, "application", None)
        out.update(compartmentId=app["compartmentId"], shape=app["shape"], invokeEndpoint=_invoke_endpoint(ctx),
                   config=out.get("config", {}), timeoutInSeconds=t or 30,
                   provisionedConcurrencyConfig=pc or {"strategy": "NONE"})
    return out


def _endpoints(ctx: Context) -> None:
    """A function's invoke endpoint is this emulator's own address (a restarted emulator has another port)."""
    want = _invoke_endpoint(ctx)
    for fn in ctx.list(FUNC):
        if fn.get("invokeEndpoint") != want:
            ctx.update(FUNC, fn["id"], {"invokeEndpoint": want})


FUNCTION = svc.resource(Kind(
    FUNC, "Function", "function", ocid="fnfunc", compartment=False, parent=("applicationId", APP),
    lifecycle=Lifecycle(None, "ACTIVE", None, "DELETING", "DELETED", "FAILED"), validate=_fn_checks,
    search="FunctionsFunction", ops={"move": ""}, on_read=_endpoints))


# ---------------------------------------------------------------- finding the FDK function in an image

def _layers(core, img: dict) -> list[tuple[str | None, bytes]]:
    """(title annotation, bytes) of each layer of an image's manifest."""
    manifest = (artifacts.Path(core.files_dir, "ocir", "manifests") / img["digest"].split(":", 1)[1]).read_bytes()
    m = json.loads(manifest)
    out = []
    for la in m.get("layers") or []:
        data = artifacts.read_blob(core, la["digest"])
        if data is not None:
            out.append(((la.get("annotations") or {}).get("org.opencontainers.image.title"), data))
    return out


def _fdk_files(layers: list[tuple[str | None, bytes]]) -> tuple[dict[str, bytes], str] | None:
    """The files of the folder that holds func.py and func.yaml, and the handler's name; None if none does.
    A layer is a (gzipped) tar of files, as `docker build` / `fn build` make them, or one file named by its
    title annotation, as `oras push` makes them."""
    files: dict[str, bytes] = {}
    for title, data in layers:
        try:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
                for member in tar.getmembers():
                    if member.isfile() and member.size < 20 * 1024 * 1024:
                        f = tar.extractfile(member)
                        if f is not None:
                            files[member.name.lstrip("./")] = f.read()
        except (tarfile.TarError, OSError, EOFError):
            if title:
                files[title.lstrip("./")] = data
    func = next((n for n in sorted(files) if n.rsplit("/", 1)[-1] == "func.py"), None)
    if func is None:
        return None
    folder = func.rsplit("/", 1)[0] + "/" if "/" in func else ""
    yaml = files.get(folder + "func.yaml")
    if yaml is None:
        return None
    handler = "handler"
    for line in yaml.decode(errors="replace").splitlines():
        if line.strip().startswith("entrypoint:"):
            parts = line.split(":", 1)[1].strip().strip("'\"").split()
            if parts and parts[-1].isidentifier():
                handler = parts[-1]
    chosen = {n[len(folder):]: v for n, v in files.items() if n.startswith(folder)}
    return chosen, handler


_RUNNER = r'''
import asyncio, base64, io, json, os, resource, sys
mem, timeout, handler, out_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
def done(**kw):
    with open(out_path, "w") as f:
        json.dump(kw, f)
    sys.exit(0)
try:
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    resource.setrlimit(resource.RLIMIT_CPU, (timeout + 1, timeout + 1))
except (ValueError, OSError):
    pass
sys.path.insert(0, os.getcwd())
try:
    from fdk import constants, customer_code, runner
except ModuleNotFoundError as e:
    done(kind="nofdk", name=e.name)
with open(".fn-request.json") as f:
    req = json.load(f)
fn = customer_code.Function(os.path.join(os.getcwd(), "func.py"), entrypoint=handler)
try:
    resp = asyncio.run(runner.handle_request(fn, constants.HTTPSTREAM, headers=req["headers"],
                                             data=io.BytesIO(base64.b64decode(req["body"]))))
except MemoryError:
    done(kind="memory")
status = resp.status()
if status not in constants.FN_ENFORCED_RESPONSE_CODES:
    status = constants.FN_DEFAULT_RESPONSE_CODE
headers = {k: (v if isinstance(v, str) else ",".join(map(str, v)) if isinstance(v, list) else str(v))
           for k, v in resp.context().GetResponseHeaders().items()}
done(kind="ok", status=status, headers=headers, body=base64.b64encode(resp.body_bytes()).decode())
'''


def run_fdk(files: dict[str, bytes], handler: str, payload: bytes, headers: dict, env: dict, memory_mb: int,
            timeout: int) -> dict:
    """Run an FDK function in a subprocess: {"kind": "ok", "status", "headers", "body"} or {"kind": "timeout"} /
    {"kind": "nofdk"} / {"kind": "memory"} / {"kind": "crash", "error"}."""
    with tempfile.TemporaryDirectory(prefix="ociconsole-fn-") as tmp:
        for name, data in files.items():
            path = os.path.normpath(os.path.join(tmp, name))
            if not path.startswith(tmp + os.sep):
                continue
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        with open(os.path.join(tmp, ".fn-request.json"), "w") as f:
            json.dump({"headers": headers, "body": base64.b64encode(payload).decode()}, f)
        out = os.path.join(tmp, ".fn-result.json")
        base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}
        base.update(env)
        try:
            proc = subprocess.run([sys.executable, "-c", _RUNNER, str(memory_mb * 1024 * 1024), str(timeout),
                                   handler, out], cwd=tmp, env=base, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"kind": "timeout"}
        try:
            with open(out) as f:
                return json.load(f)
        except (OSError, ValueError):
            err = proc.stderr.decode(errors="replace").strip().splitlines()
            if any("MemoryError" in line for line in err[-3:]):
                return {"kind": "memory"}
            return {"kind": "crash", "error": f"exit code {proc.returncode}" + (f": {err[-1][:300]}" if err else "")}


# ---------------------------------------------------------------- invoke

_lock = threading.Lock()


def _log_invocation(core, region: str, fn: dict, call_id: str, res: dict, response_type: str, ms: float) -> None:
    """The invocation in its application's function log, when one is enabled (service_logs: category invoke)."""
    status = res.get("status") if res.get("kind") == "ok" else {"timeout": 504}.get(res.get("kind") or "", 502)
    message = f"{fn['displayName']} answered {status} in {ms:.0f} ms"
    if res.get("kind") not in ("ok", None):
        message = f"{fn['displayName']} failed ({res.get('kind')}): {res.get('error') or ''}".rstrip(": ")
    with core.store.transaction():
        service_logs.record(core, region, "functions", fn["applicationId"], "invoke",
                            "com.oraclecloud.functions.application.functioninvoke",
                            {"message": message, "functionId": fn["id"], "functionName": fn["displayName"],
                             "opcRequestId": call_id, "status": status, "responseType": response_type,
                             "durationMs": round(ms, 1)},
                            subject=fn["displayName"], resource_id=fn["id"])


def record(core, fn: dict, response_type: str, ms: float) -> None:
    """Count one real invocation in its minute, per (function, responseType)."""
    minute = str(int(core.clock.now() // MINUTE) * MINUTE)
    sid = f"{fn['id']}/{response_type}"
    with core.store.transaction():
        doc = core.store.get(STREAM, sid)
        minutes = dict(doc["minutes"]) if doc else {}
        c = list(minutes.get(minute) or [0, 0.0])
        c[0] += 1
        c[1] += float(ms)
        minutes[minute] = c
        if len(minutes) > KEEP_MINUTES:
            for k in sorted(minutes, key=float)[:len(minutes) - KEEP_MINUTES]:
                del minutes[k]
        if doc is None:
            core.store.put(STREAM, {"id": sid, "functionId": fn["id"], "responseType": response_type,
                                    "compartmentId": fn["compartmentId"], "_region": fn.get("_region"),
                                    "displayName": fn["displayName"], "lifecycleState": "ACTIVE",
                                    "timeCreated": ts(float(minute)), "minutes": minutes})
        else:
            core.store.update(STREAM, sid, {"minutes": minutes})


@svc.op("invoke_function")
def invoke_function(ctx: Context):
    fn = ctx.get(FUNC, ctx.path["functionId"], "function")
    if fn["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"The function is {fn['lifecycleState']}")
    app = ctx.get(APP, fn["applicationId"], "application")
    raw = ctx.raw_body
    payload = raw if isinstance(raw, bytes) else raw.read() if raw is not None else b""
    if len(payload) > MAX_PAYLOAD:
        raise ApiError(413, "PayloadTooLarge", "The invocation body is larger than 6 MB")
    if (ctx.headers.get("is-dry-run") or "").lower() == "true":
        return Result(raw=b"", status=200)
    img = next((i for i in ctx.store.by_field(artifacts.IMAGE, "digest", fn["sourceDetails"]["imageDigest"])
                if i["lifecycleState"] == "AVAILABLE"), None)
    if img is None:
        raise ApiError(502, "FunctionInvokeImageNotAvailable",
                       f"The function's image {fn['sourceDetails']['image']} is no longer in the registry")
    found = _fdk_files(_layers(ctx.core, img))
    if found is None:
        raise ApiError(502, "FunctionInvokeImageNotAvailable",
                       f"The ociconsole emulator's sandbox cannot run the image {fn['sourceDetails']['image']}: it "
                       "runs "
                       "only Python functions for Oracle's FDK (a layer holding func.py with handler(ctx, data) and "
                       "func.yaml); on OCI the image runs in its own container")
    files, handler = found
    env = dict(app.get("config") or {})
    env.update(fn.get("config") or {})
    env.update({"FN_APP_ID": app["id"], "FN_FN_ID": fn["id"], "FN_APP_NAME": app["displayName"],
                "FN_FN_NAME": fn["displayName"], "FN_FORMAT": "http-stream", "FN_MEMORY": str(fn["memoryInMBs"]),
                "FN_TYPE": "sync", "OCI_RESOURCE_PRINCIPAL_REGION": ctx.region})
    timeout = int(fn.get("timeoutInSeconds") or 30)
    call_id = new_ocid("fnfunccall", ctx.region).rsplit(".", 1)[-1][:26].upper()
    headers = {"fn-call-id": call_id, "fn-deadline": ts(time.time() + timeout),
               "content-type": ctx.headers.get("content-type") or "application/octet-stream",
               "fn-intent": ctx.headers.get("fn-intent") or "", "fn-invoke-type": "sync"}
    headers = {k: v for k, v in headers.items() if v}
    detached = (ctx.headers.get("fn-invoke-type") or "").lower() == "detached"
    core = ctx.core
    fn_doc = dict(fn)
    memory = int(fn["memoryInMBs"])

    region = ctx.region

    def run() -> dict:
        t0 = time.monotonic()
        res = run_fdk(files, handler, payload, headers, env, memory, timeout)
        kind = res["kind"]
        rtype = "Success" if kind == "ok" and res["status"] == 200 else (
            "Timeout" if kind == "timeout" or (kind == "ok" and res["status"] == 504) else "Error")
        ms = (time.monotonic() - t0) * 1000.0
        record(core, fn_doc, rtype, ms)
        _log_invocation(core, region, fn_doc, call_id, res, rtype, ms)
        return res

    if detached:
        t = threading.Thread(target=run, name="fn-detached", daemon=True)
        t.start()
        return Result(raw=b"", status=202, headers={"fn-call-id": call_id})

    def later():
        res = run()
        kind = res["kind"]
        if kind == "timeout":
            raise ApiError(504, "FunctionInvokeTimeout", f"The function did not answer within its timeout "
                                                         f"({timeout} s)")
        if kind == "nofdk":
            raise ApiError(502, "FunctionInvokeImageNotAvailable",
                           "The sandbox cannot run this function: the Python package 'fdk' is not installed next to "
                           "the emulator (pip install fdk)")
        if kind == "memory":
            raise ApiError(502, "FunctionInvokeExecutionFailed", f"function failed: the function ran out of its "
                                                                 f"{memory} MB of memory")
        if kind == "crash":
            raise ApiError(502, "FunctionInvokeExecutionFailed", f"function failed: {res['error']}")
        body = base64.b64decode(res["body"])
        out = {k: v for k, v in res["headers"].items() if k not in ("content-length", "content-type")}
        out["fn-call-id"] = call_id
        status = res["status"]
        if status == 502:
            raise ApiError(502, "FunctionInvokeExecutionFailed",
                           f"function failed: {body.decode(errors='replace')[:500]}", headers=out)
        if status == 504:
            raise ApiError(504, "FunctionInvokeTimeout", f"function timed out: {body.decode(errors='replace')[:500]}",
                           headers=out)
        return Result(raw=body, headers=out,
                      content_type=res["headers"].get("content-type") or "application/octet-stream")
    return Result(later=later)


# ---------------------------------------------------------------- metrics (oci_faas)

def _facts(store, doc: dict, _now: float):
    if not doc.get("minutes"):
        return None
    rows = sorted((float(k), v[0], v[1]) for k, v in doc["minutes"].items())
    return np.array(rows, dtype=np.float64).reshape(-1, 3)


def _per_minute(g: Gen, column: int) -> np.ndarray:
    key = ("fn", column)
    if key not in g._cache:
        out = np.zeros(g.shape)
        starts = (g.t[0] // MINUTE) * MINUTE
        for r, facts in enumerate(g.facts):
            if facts is None:
                continue
            i = np.minimum(np.searchsorted(facts[:, 0], starts), len(facts) - 1)
            out[r] = np.where(facts[i, 0] == starts, facts[i, column], 0.0)
        g._cache[key] = out
    return g._cache[key]


def _duration(g: Gen) -> np.ndarray:
    n = _per_minute(g, 1)
    return np.where(n > 0, _per_minute(g, 2) / np.maximum(n, 1), 0.0)


FAAS_METRICS = declare(MetricSource(
    namespace="oci_faas",
    kind=STREAM,
    reports_in={"ACTIVE"},
    dimensions=lambda doc: {"resourceId": doc["functionId"], "resourceName": doc["displayName"],
                            "responseType": doc["responseType"]},
    facts=_facts,
    metrics=[
        Metric("FunctionInvocationCount", "count", lambda g: _per_minute(g, 1), "Invocations"),
        Metric("FunctionExecutionDuration", "milliseconds", _duration, "Execution Duration"),
        Metric("FunctionResponseCount", "count", lambda g: _per_minute(g, 1), "Responses"),
    ],
))


# ---------------------------------------------------------------- the demo: a hello-world image and function

HELLO_FUNC = '''import io
import json
import logging

from fdk import response


def handler(ctx, data: io.BytesIO = None):
    name = "World"
    try:
        body = json.loads(data.getvalue())
        name = body.get("name", name)
    except (ValueError, AttributeError) as ex:
        logging.getLogger().info("not a JSON object: " + str(ex))
    greeting = ctx.Config().get("GREETING", "Hello")
    # a name that is not text (a number) makes this raise: the FDK answers 502
    message = greeting + ", " + name + "!"
    return response.Response(ctx, response_data=json.dumps({"message": message}),
                             headers={"Content-Type": "application/json"})
'''
HELLO_YAML = '''schema_version: 20180708
name: hello-world
version: 0.0.1
runtime: python
build_image: fnproject/python:3.11-dev
run_image: fnproject/python:3.11
entrypoint: /python/bin/fdk /function/func.py handler
memory: 256
'''


def _tar_gz(files: dict[str, bytes]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    return raw.getvalue()


def fdk_image(files: dict[str, bytes], entrypoint: str = "handler") -> tuple[bytes, list[bytes]]:
    """An OCI image manifest (and its blobs: config, then the layer) for an FDK function in /function."""
    tar = _tar_gz({f"function/{n}": d for n, d in files.items()})
    layer = gzip.compress(tar, mtime=0)
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": {"Entrypoint": ["/python/bin/fdk", "/function/func.py", entrypoint], "WorkingDir": "/function",
                   "Env": ["PYTHONPATH=/function:/python"]},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(tar).hexdigest()]}},
        separators=(",", ":")).encode()
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": len(config),
                   "digest": "sha256:" + hashlib.sha256(config).hexdigest()},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": len(layer),
                    "digest": "sha256:" + hashlib.sha256(layer).hexdigest()}]}, separators=(",", ":")).encode()
    return manifest, [config, layer]


@svc.seeder
def seed_functions(seed) -> None:
    if seed.profile != "demo":
        return
    from ..protocol import REGION_KEYS
    core, store = seed.core, seed.store
    region = core.home_region
    dev = next((c["id"] for c in store.list("compartment") if c["name"] == "Development"), core.tenancy_id)
    subnet = next((s for s in store.list("subnet") if s.get("_region") == region and s.get("compartmentId") == dev),
                  None) or next((s for s in store.list("subnet") if s.get("_region") == region), None)
    ns = namespace_of(core.tenancy_id)
    admin = store.meta("admin_user_id") or core.tenancy_id
    created = seed.now - 20 * 86400
    repo = store.put(artifacts.REPO, {
        "id": seed.ocid(artifacts.REPO, region), "_region": region, "compartmentId": dev,
        "displayName": "hello-world", "namespace": ns, "createdBy": admin, "isPublic": False, "isImmutable": False,
        "imageCount": 0, "layerCount": 0, "layersSizeInBytes": 0, "billableSizeInGBs": 0,
        "lifecycleState": "AVAILABLE", "timeCreated": ts(created),
        "readme": {"format": "TEXT_MARKDOWN", "content": "# hello-world\nA Python function for Oracle's FDK: "
                   "send `{\"name\": \"Ada\"}`, get `{\"message\": \"Hello, Ada!\"}`."},
        "freeformTags": {}, "definedTags": {}, "systemTags": {}})
    manifest, blobs = fdk_image({"func.py": HELLO_FUNC.encode(), "func.yaml": HELLO_YAML.encode(),
                                 "requirements.txt": b"fdk>=0.1.128\n"})
    for b in blobs:
        artifacts.put_blob(core, b)
    img = artifacts.push_manifest(core, region, repo, manifest, "application/vnd.oci.image.manifest.v1+json",
                                  "0.0.1", admin, created + 3600)
    if subnet is None:
        return
    app = store.put(APP, {
        "id": seed.ocid("fnapp", region), "_region": region, "compartmentId": dev, "displayName": "demo-app",
        "lifecycleState": "ACTIVE", "config": {"GREETING": "Hello"}, "subnetIds": [subnet["id"]],
        "networkSecurityGroupIds": [], "shape": "GENERIC_X86", "timeCreated": ts(created + 7200),
        "timeUpdated": ts(created + 7200), "freeformTags": {}, "definedTags": {}})
    key = REGION_KEYS.get(region, region).lower()
    store.put(FUNC, {
        "id": seed.ocid("fnfunc", region), "_region": region, "compartmentId": dev, "applicationId": app["id"],
        "displayName": "hello-world", "lifecycleState": "ACTIVE", "memoryInMBs": 256, "timeoutInSeconds": 30,
        "config": {}, "shape": "GENERIC_X86", "provisionedConcurrencyConfig": {"strategy": "NONE"},
        "sourceDetails": {"sourceType": "CONTAINER_IMAGE", "image": f"{key}.ocir.io/{ns}/hello-world:0.0.1",
                          "imageDigest": img["digest"]},
        "invokeEndpoint": None, "timeCreated": ts(created + 7300), "timeUpdated": ts(created + 7300),
        "freeformTags": {}, "definedTags": {}})
