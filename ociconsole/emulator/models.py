"""Validation of JSON documents against the SDK's own models.

Request bodies are checked the way OCI checks them (unknown fields, missing required
fields, wrong types and unknown enum values are a 400 that names the field), and in
strict mode every response body is checked against the model the SDK deserializes it
into, so the emulator cannot drift from the SDK.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
import threading
from dataclasses import dataclass
from datetime import datetime

from .protocol import ApiError

_R_LIST = re.compile(r"^list\[(.+)\]$")
_R_DICT = re.compile(r"^dict\(str, ?(.+)\)$")
_R_ALLOWED_MSG = re.compile(r"one of (\[.*\])")
_R_ALLOWED_SRC = re.compile(r"allowed_values = (\[[^\]]*\])")
PRIMITIVES = {"str", "int", "float", "bool", "datetime", "date", "object"}
# Fields the SDK marks required that OCI itself returns as null (platform images have no compartment).
# A local peering gateway has no peer until it is connected.
NULLABLE_IN_RESPONSES = {("Image", "compartmentId"), ("LocalPeeringGateway", "peerId")}
# A Data Science model outside a model version set, without backup or retention settings; a deployment's
# model state before it has an inference key.
NULLABLE_IN_RESPONSES |= {(m, f) for m in ("Model", "ModelSummary") for f in (
    "modelVersionSetId", "modelVersionSetName", "versionId", "versionLabel", "backupSetting", "retentionSetting",
    "backupOperationDetails", "retentionOperationDetails")} | {("ModelDeploymentModelStateSummary", "inferenceKey")}
# A WAAS work request has not started or finished while it is ACCEPTED or IN_PROGRESS (the SDK marks both required).
NULLABLE_IN_RESPONSES |= {(m, f) for m in ("WorkRequest", "WorkRequestSummary")
                          for f in ("timeStarted", "timeFinished")}
# Enum values the emulator returns although the SDK model does not list them (the SDK reads them as
# UNKNOWN_ENUM_VALUE): OCI tracks a compartment move with a work request whose type the SDK does not enumerate.
UNLISTED_IN_RESPONSES = {("identity", "WorkRequest", "operationType"): {"MOVE_COMPARTMENT"},
                         ("identity", "WorkRequestSummary", "operationType"): {"MOVE_COMPARTMENT"}}


@dataclass
class FieldInfo:
    py: str
    wire: str
    type: str
    required: bool


@dataclass
class ModelInfo:
    cls: type
    name: str
    fields: dict[str, FieldInfo]  # by wire name
    discriminator: str | None


_cache: dict[tuple[str, str], ModelInfo | None] = {}
_cache_lock = threading.Lock()


def _models_module(module: str):
    return importlib.import_module(f"oci.{module}.models")


def model_info(module: str, name: str) -> ModelInfo | None:
    key = (module, name)
    info = _cache.get(key, False)
    if info is not False:
        return info  # type: ignore[return-value]
    with _cache_lock:
        cls = getattr(_models_module(module), name, None)
        if cls is None or not isinstance(cls, type):
            _cache[key] = None
            return None
        obj = cls()
        fields = {}
        for py, t in obj.swagger_types.items():
            wire = obj.attribute_map[py]
            prop = cls.__dict__.get(py)
            if prop is None:
                for base in cls.__mro__:
                    prop = base.__dict__.get(py)
                    if prop is not None:
                        break
            doc = (prop.fget.__doc__ or "") if prop is not None else ""
            fields[wire] = FieldInfo(py, wire, t, "**[Required]**" in doc)
        disc = None
        gs = cls.__dict__.get("get_subtype")
        if gs is not None:
            fn = gs.__func__ if hasattr(gs, "__func__") else gs
            for c in fn.__code__.co_consts:
                if isinstance(c, str) and c in fields:
                    disc = c
                    break
        info = ModelInfo(cls, name, fields, disc)
        _cache[key] = info
        return info


def _enum_problem(info: ModelInfo, f: FieldInfo, value) -> str | None:
    """Let the SDK model's own setter judge an enum value; return allowed values if bad."""
    obj = object.__new__(info.cls)
    try:
        setattr(obj, f.py, value)
    except ValueError as e:
        m = _R_ALLOWED_MSG.search(str(e))
        return m.group(1) if m else "a documented value"
    except Exception:
        return None
    got = getattr(obj, "_" + f.py, value)
    if got == "UNKNOWN_ENUM_VALUE" and value != "UNKNOWN_ENUM_VALUE":
        return _allowed_values(info.cls, f.py) or "a documented value"
    if isinstance(got, list) and isinstance(value, list) and got != value:
        return _allowed_values(info.cls, f.py) or "documented values"
    return None


@functools.cache
def _allowed_values(cls: type, py: str) -> str | None:
    """The `allowed_values` list written in the SDK setter of `cls.py` (setters that coerce, not raise)."""
    prop = next((base.__dict__[py] for base in cls.__mro__ if py in base.__dict__), None)
    try:
        src = inspect.getsource(prop.fset)  # type: ignore[union-attr]
    except (AttributeError, OSError, TypeError):
        return None
    m = _R_ALLOWED_SRC.search(src)
    return m.group(1) if m else None


def parse_datetime(value: str) -> datetime:
    v = value.strip()
    if v.endswith("Z") or v.endswith("z"):
        v = v[:-1] + "+00:00"
    dt = datetime.fromisoformat(v)
    if dt.tzinfo is None:
        raise ValueError("timezone required")
    return dt


def validate(module: str, type_str: str, value, path: str, mode: str = "request"):
    """Check `value` against SDK type `type_str`; raise ApiError(400) naming `path`.

    mode "request": unknown fields and missing required fields are client errors.
    mode "response": the same checks, raised as 500 (a bug in the emulator).
    """
    status = 400 if mode == "request" else 500

    def fail(code: str, msg: str):
        raise ApiError(status, code if mode == "request" else "InternalServerError", msg)

    if value is None:
        return None
    t = type_str.strip()
    if t == "str":
        if not isinstance(value, str):
            fail("InvalidParameter", f"{path}: expected a string, got {_jtype(value)}")
        return value
    if t == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                return int(value)
            fail("InvalidParameter", f"{path}: expected an integer, got {_jtype(value)}")
        return value
    if t == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            fail("InvalidParameter", f"{path}: expected a number, got {_jtype(value)}")
        return value
    if t == "bool":
        if not isinstance(value, bool):
            fail("InvalidParameter", f"{path}: expected true or false, got {_jtype(value)}")
        return value
    if t in ("datetime", "date"):
        if not isinstance(value, str):
            fail("InvalidParameter", f"{path}: expected an RFC 3339 timestamp string, got {_jtype(value)}")
        try:
            if t == "datetime":
                parse_datetime(value)
            else:
                datetime.strptime(value, "%Y-%m-%d")
        except ValueError:
            fail("InvalidParameter", f"{path}: '{_short(value)}' is not a valid RFC 3339 {t}")
        return value
    if t == "object":
        return value
    m = _R_LIST.match(t)
    if m:
        if not isinstance(value, list):
            fail("InvalidParameter", f"{path}: expected a list, got {_jtype(value)}")
        return [validate(module, m.group(1), v, f"{path}[{i}]", mode) for i, v in enumerate(value)]
    m = _R_DICT.match(t)
    if m:
        if not isinstance(value, dict):
            fail("InvalidParameter", f"{path}: expected an object, got {_jtype(value)}")
        return {str(k): validate(module, m.group(1), v, f"{path}.{k}", mode) for k, v in value.items()}
    info = model_info(module, t)
    if info is None:
        return value  # unknown model name: accept as opaque
    return validate_model(module, info, value, path, mode)


def validate_model(module: str, info: ModelInfo, value, path: str, mode: str = "request"):
    status = 400 if mode == "request" else 500

    def fail(code: str, msg: str):
        raise ApiError(status, code if mode == "request" else "InternalServerError", msg)

    if not isinstance(value, dict):
        fail("InvalidParameter", f"{path}: expected an object ({info.name}), got {_jtype(value)}")
    if info.discriminator:
        if value.get(info.discriminator) is None:
            fail("MissingParameter", f"{path}.{info.discriminator} is required")
        sub = info.cls.get_subtype(value)
        if sub != info.name:
            sub_info = model_info(module, sub)
            if sub_info is not None:
                return validate_model(module, sub_info, value, path, mode)
        else:
            disc_field = info.fields[info.discriminator]
            problem = _enum_problem(info, disc_field, value[info.discriminator])
            if problem or len(info.fields) == 1:
                fail("InvalidParameter",
                     f"{path}.{info.discriminator}: unknown value '{_short(value[info.discriminator])}'")
    out = {}
    for k, v in value.items():
        f = info.fields.get(k)
        if f is None:
            fail("InvalidParameter", f"{path}: unknown field '{_short(k)}' for {info.name}")
        if v is None:
            if mode == "response" and f.required:
                fail("MissingParameter", f"{path}.{k} is required")
            continue
        out[k] = validate(module, f.type, v, f"{path}.{k}", mode)
        if f.type in ("str", "list[str]"):
            problem = _enum_problem(info, f, v)
            if problem and mode == "response" and isinstance(v, str) and \
                    v in UNLISTED_IN_RESPONSES.get((module, info.name, k), ()):
                problem = None
            if problem:
                fail("InvalidParameter",
                     f"{path}.{k}: '{_short(v)}' is not allowed; must be one of {problem}")
    for f in info.fields.values():
        if f.required and value.get(f.wire) is None:
            if mode == "response" and (info.name, f.wire) in NULLABLE_IN_RESPONSES:
                continue
            fail("MissingParameter", f"{path}.{f.wire} is required")
    return out


def _jtype(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return type(v).__name__


def _short(v, n: int = 80) -> str:
    s = str(v)
    return s if len(s) <= n else s[: n - 3] + "..."
