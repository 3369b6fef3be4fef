"""Operation specs read from the installed `oci` SDK.

The emulator does not hand-copy OCI's API: every SDK client method already states its
HTTP method, path, query/header/path parameters (with types and allowed values), body
model and response type. This module extracts that from the client sources once and
caches it on disk per SDK version, so the emulator routes and validates exactly what the
SDK sends and expects.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

SPEC_CACHE_VERSION = 4


@dataclass
class Param:
    wire: str  # name on the wire (camelCase query key, header name, path placeholder)
    py: str  # SDK keyword name
    location: str  # "path" | "query" | "header"
    type: str  # SDK docstring type: str, int, bool, datetime, list[str], ...
    required: bool = False
    allowed: list[str] | None = None
    collection_format: str | None = None


@dataclass
class OpSpec:
    name: str  # SDK operation name, e.g. "launch_instance"
    client: str  # client class, e.g. "ComputeClient"
    module: str  # SDK package, e.g. "core"
    method: str
    path: str  # client base path + resource path, e.g. "/20160918/instances/{instanceId}"
    response_type: str | None
    body_type: str | None  # model name ("LaunchInstanceDetails") or primitive ("stream")
    body_required: bool = False
    params: list[Param] = field(default_factory=list)
    # OCI answers with an `opc-work-request-id` header: the SDK's composite operations offer
    # `<name>_and_wait_for_work_request` exactly for these (and the CLI's --wait-for-state waits on it)
    work_request: bool = False

    def param(self, wire: str) -> Param | None:
        for p in self.params:
            if p.wire == wire:
                return p
        return None

    def path_params(self) -> list[Param]:
        return [p for p in self.params if p.location == "path"]

    @property
    def query(self) -> list[Param]:
        return [p for p in self.params if p.location == "query"]

    @property
    def headers(self) -> list[Param]:
        return [p for p in self.params if p.location == "header"]

    def to_json(self) -> dict:
        d = dict(self.__dict__)
        d["params"] = [p.__dict__ for p in self.params]
        return d

    @classmethod
    def from_json(cls, d: dict) -> OpSpec:
        d = dict(d)
        d["params"] = [Param(**p) for p in d["params"]]
        return cls(**d)


_R_OP = re.compile(
    r'resource_path = "([^"]*)"\n\s+method = "(\w+)"\n\s+operation_name = "(\w+)"'
)
_R_BASE = re.compile(r"'base_path': '([^']*)'")
_R_RESP = re.compile(r'response_type="([^"]+)"')
_R_BODY = re.compile(r"\n\s+body=(\w+),")
_R_PARAMDOC = re.compile(r":param ([\w.\[\](), ]+?) (\w+): \((required|optional)\)")
_R_ALLOWED = re.compile(r"(\w+)_allowed_values = \[(.*?)\]")
_R_BLOCK = {
    kind: re.compile(kind + r"_params = \{\n(.*?)\n\s+\}", re.S)
    for kind in ("path", "query", "header")
}
_R_ENTRY = re.compile(r'"([\w-]+)": (.*)')
_R_KWGET = re.compile(r'kwargs\.get\("(\w+)"')
_R_COLL = re.compile(r"generate_collection_format_param\((?:kwargs\.get\(\"(\w+)\", missing\)|(\w+)), '(\w+)'\)")
_R_CLIENT_CLASS = re.compile(r"\nclass (\w+Client)\(object\):")


def _parse_client_source(module: str, src: str) -> dict[str, OpSpec]:
    cls_m = _R_CLIENT_CLASS.search(src)
    client = cls_m.group(1) if cls_m else "?"
    base_m = _R_BASE.search(src)
    base = (base_m.group(1) if base_m else "").rstrip("/")
    ops: dict[str, OpSpec] = {}
    for chunk in src.split("\n    def ")[1:]:
        m = _R_OP.search(chunk)
        if not m:
            continue
        rpath, method, name = m.groups()
        doc_types = {}
        doc_req = set()
        for t, n, req in _R_PARAMDOC.findall(chunk):
            doc_types[n] = t.strip()
            if req == "required":
                doc_req.add(n)
        allowed = {}
        for n, vals in _R_ALLOWED.findall(chunk):
            allowed[n] = re.findall(r'"([^"]*)"', vals)
        params: list[Param] = []
        for loc, rx in _R_BLOCK.items():
            bm = rx.search(chunk)
            if not bm:
                continue
            for line in bm.group(1).splitlines():
                em = _R_ENTRY.search(line.strip())
                if not em:
                    continue
                wire, expr = em.groups()
                coll = None
                cm = _R_COLL.search(expr)
                if cm:
                    py = cm.group(1) or cm.group(2)
                    coll = cm.group(3)
                else:
                    km = _R_KWGET.search(expr)
                    if km:
                        py = km.group(1)
                    else:
                        bare = expr.strip().rstrip(",").strip()
                        if bare.startswith('"'):
                            continue  # constant header such as accept/content-type
                        py = bare
                params.append(Param(
                    wire=wire, py=py, location=loc,
                    type=doc_types.get(py, "str"),
                    required=(loc == "path") or py in doc_req,
                    allowed=allowed.get(py),
                    collection_format=coll,
                ))
        body_m = _R_BODY.search(chunk)
        body_type = None
        body_required = False
        if body_m:
            bt = doc_types.get(body_m.group(1), "object")
            body_type = bt.rsplit(".", 1)[-1]
            body_required = body_m.group(1) in doc_req
        rt = _R_RESP.search(chunk)
        ops[name] = OpSpec(
            name=name, client=client, module=module, method=method,
            path=base + rpath, response_type=rt.group(1) if rt else None,
            body_type=body_type, body_required=body_required, params=params,
        )
    return ops


_R_WR_OP = re.compile(r"\n    def (\w+)_and_wait_for_work_request\(")


def _work_request_ops(client_file: Path) -> set[str]:
    """Operations of a client whose composite operations wait on a work request."""
    comp = client_file.with_name(client_file.stem + "_composite_operations.py")
    try:
        return set(_R_WR_OP.findall(comp.read_text()))
    except OSError:
        return set()


def _client_files(module: str) -> list[Path]:
    spec = importlib.util.find_spec("oci")
    assert spec and spec.submodule_search_locations
    root = Path(list(spec.submodule_search_locations)[0]) / module
    return sorted(p for p in root.glob("*_client.py") if not p.name.endswith("_composite_operations.py"))


def _oci_version() -> str:
    spec = importlib.util.find_spec("oci")
    assert spec and spec.submodule_search_locations
    vfile = Path(list(spec.submodule_search_locations)[0]) / "version.py"
    m = re.search(r'__version__ = "([^"]+)"', vfile.read_text())
    return m.group(1) if m else "unknown"


def _cache_dir() -> Path:
    env = os.environ.get("OCICONSOLE_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ociconsole"


# Bodies the SDK types otherwise than OCI takes them: (package, operation) -> body type. A model deployment's
# predict takes any JSON document; the SDK types it as a string it sends as it is. Optional bodies sent as
# `body=kwargs.get(...)` (WAAS's update_certificate, OKE's create_kubeconfig, Database Migration's start_migration
# and resume_job) are not seen by the source reader.
BODY_TYPES: dict[tuple[str, str], str] = {("model_deployment", "predict"): "object",
                                          ("container_engine", "create_kubeconfig"):
                                          "CreateClusterKubeconfigContentDetails",
                                          ("waas", "update_certificate"): "UpdateCertificateDetails",
                                          ("database_migration", "start_migration"): "StartMigrationDetails",
                                          ("database_migration", "resume_job"): "ResumeJobDetails"}
# Operations OCI answers with an `opc-work-request-id` whose SDK offers no `_and_wait_for_work_request` composite
# (its composites wait for a state); the CLI's --wait-for-state waits on the work request all the same
WORK_REQUEST_OPS: dict[str, tuple[str, ...]] = {
    "waf": tuple(f"{verb}_{noun}" for noun in ("web_app_firewall_policy", "web_app_firewall")
                 for verb in ("create", "update", "delete")) + (
        "change_web_app_firewall_policy_compartment", "change_web_app_firewall_compartment"),
    "waas": ("create_waas_policy", "update_waas_policy", "delete_waas_policy", "update_waf_config",
             "update_access_rules", "update_protection_settings", "update_policy_config"),
}

_lock = threading.Lock()
_memo: dict[str, dict[str, OpSpec]] = {}


def module_specs(module: str) -> dict[str, OpSpec]:
    """All operations of every client in `oci.<module>`, keyed by operation name.

    Where two clients of one module share an operation name (rare), the later client
    in alphabetical file order is kept under ``Client.operation``.
    """
    with _lock:
        if module in _memo:
            return _memo[module]
        cache = _cache_dir() / f"opspec-{_oci_version()}-v{SPEC_CACHE_VERSION}-{module}.json"
        ops: dict[str, OpSpec] | None = None
        try:
            raw = json.loads(cache.read_text())
            ops = {k: OpSpec.from_json(v) for k, v in raw.items()}
        except (OSError, ValueError, TypeError):
            ops = None
        if ops is None:
            ops = {}
            for f in _client_files(module):
                wr_ops = _work_request_ops(f)
                for name, op in _parse_client_source(module, f.read_text()).items():
                    op.work_request = name in wr_ops
                    key = name if name not in ops else f"{op.client}.{name}"
                    ops[key] = op
            try:
                cache.parent.mkdir(parents=True, exist_ok=True)
                tmp = cache.with_suffix(f".tmp{os.getpid()}")
                tmp.write_text(json.dumps({k: v.to_json() for k, v in ops.items()}))
                os.replace(tmp, cache)
            except OSError:
                pass
        for name in WORK_REQUEST_OPS.get(module, ()):
            ops[name].work_request = True
        for (mod, name), body_type in BODY_TYPES.items():
            if mod == module and name in ops:
                ops[name].body_type = body_type
        _memo[module] = ops
        return ops
