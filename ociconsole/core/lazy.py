"""Lazy models: list results kept as the JSON the service sent, read through the SDK model's
own attribute names when (and only when) a cell asks for them.

The SDK's deserializer costs ~0.3 ms per object (~340 ms for a 1,000-instance page, ten times
the request itself). A `LazyModel` parses nothing up front: `inst.shape_config.ocpus` maps the
names through the model's `attribute_map`, converts one value (datetimes, nested models) and
memoizes it. It has `swagger_types` and `attribute_map`, so `oci.util.to_dict` and code that
reads SDK models work on it unchanged; `to_sdk()` builds the real model when one is needed.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import re
import threading
from typing import Any

_R_LIST = re.compile(r"^list\[(.+)\]$")
_R_DICT = re.compile(r"^dict\(str, ?(.+)\)$")
_PRIMITIVE = {"str", "int", "float", "bool", "object"}


class _Info:
    __slots__ = ("cls", "wire", "types")

    def __init__(self, cls):
        proto = cls()
        self.cls = cls
        self.wire: dict[str, str] = dict(proto.attribute_map)
        self.types: dict[str, str] = dict(proto.swagger_types)


_infos: dict[tuple[str, str], _Info | None] = {}
_lock = threading.Lock()


def _info(module: str, name: str) -> _Info | None:
    key = (module, name)
    if key in _infos:
        return _infos[key]
    with _lock:
        if key not in _infos:
            models = importlib.import_module(f"oci.{module}.models")
            cls = getattr(models, name, None)
            try:
                _infos[key] = _Info(cls) if isinstance(cls, type) else None
            except Exception:
                _infos[key] = None
    return _infos[key]


def parse_datetime(value: str) -> _dt.datetime:
    v = value.strip()
    if v.endswith("Z") or v.endswith("z"):
        v = v[:-1] + "+00:00"
    return _dt.datetime.fromisoformat(v)


def convert(value, type_name: str, module: str):
    """A JSON value as the SDK would present it for `type_name`, nested models lazily."""
    if value is None:
        return None
    t = type_name.strip()
    if t in _PRIMITIVE:
        return value
    if t == "datetime":
        try:
            return parse_datetime(value)
        except (TypeError, ValueError):
            return value
    if t == "date":
        try:
            return _dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            return value
    m = _R_LIST.match(t)
    if m:
        inner = m.group(1)
        return [convert(v, inner, module) for v in value] if isinstance(value, list) else value
    m = _R_DICT.match(t)
    if m:
        inner = m.group(1)
        if inner.strip() in _PRIMITIVE or inner.startswith("dict("):
            return value
        return {k: convert(v, inner, module) for k, v in value.items()} if isinstance(value, dict) else value
    if isinstance(value, dict):
        return LazyModel(value, module, t)
    return value


class LazyModel:
    __slots__ = ("_raw", "_module", "_type", "_memo", "_info")

    def __init__(self, raw: dict, module: str, type_name: str):
        info = _info(module, type_name)
        if info is not None and hasattr(info.cls, "get_subtype"):
            try:
                sub = info.cls.get_subtype(raw)
            except (KeyError, TypeError):
                sub = type_name
            if sub != type_name:
                sub_info = _info(module, sub)
                if sub_info is not None:
                    info, type_name = sub_info, sub
        object.__setattr__(self, "_raw", raw)
        object.__setattr__(self, "_module", module)
        object.__setattr__(self, "_type", type_name)
        object.__setattr__(self, "_memo", {})
        object.__setattr__(self, "_info", info)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        memo = self._memo
        if name in memo:
            return memo[name]
        info = self._info
        if info is None or name not in info.types:
            raise AttributeError(f"{self._type} has no attribute {name!r}")
        value = convert(self._raw.get(info.wire[name]), info.types[name], self._module)
        memo[name] = value
        return value

    def __setattr__(self, name, value):
        raise AttributeError("lazy models are read-only")

    # what oci.util.to_dict and SDK-minded code look for
    @property
    def swagger_types(self) -> dict:
        return self._info.types if self._info is not None else {}

    @property
    def attribute_map(self) -> dict:
        return self._info.wire if self._info is not None else {}

    @property
    def raw(self) -> dict:
        """The JSON object as received (camelCase keys)."""
        return self._raw

    @property
    def type_name(self) -> str:
        return self._type

    def to_sdk(self):
        """The real SDK model (full deserialization of this one object)."""
        import json
        client = _deserializers.get(self._module)
        if client is None:
            raise RuntimeError(f"no oci.{self._module} client has been used yet to deserialize with")
        return client.base_client.deserialize_response_data(json.dumps(self._raw).encode(), self._type)

    def __eq__(self, other) -> bool:
        if isinstance(other, LazyModel):
            return self._type == other._type and self._raw == other._raw
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self._type, self._raw.get("id")))

    def __repr__(self) -> str:
        ident = self._raw.get("id") or self._raw.get("identifier") or ""
        name = self._raw.get("displayName") or self._raw.get("name") or ""
        return f"<{self._type} {name} {ident}>".replace("  ", " ")


_deserializers: dict[str, Any] = {}  # SDK module -> a client of it (its deserializer knows the models)


def remember_client(module: str, client) -> None:
    _deserializers.setdefault(module, client)


_R_RETURN = re.compile(r"data of type (list of )?:class:`~oci\.(\w+)\.models\.(\w+)`")
_returns: dict[tuple[type, str], tuple[str, str, bool] | None] = {}


def response_model(client, method: str) -> tuple[str, str, bool] | None:
    """(module, model name, is_list) of what an SDK client method returns, read from its docstring."""
    key = (type(client), method)
    if key not in _returns:
        doc = getattr(getattr(type(client), method, None), "__doc__", "") or ""
        m = _R_RETURN.search(doc)
        _returns[key] = (m.group(2), m.group(3), bool(m.group(1))) if m else None
    return _returns[key]


_WS = re.compile(r"[ \t\n\r]*")
CHUNKED_BYTES = 1 << 16  # a list answer larger than this is decoded one element at a time


def loads(text):
    """json.loads, but a large JSON array is decoded one element at a time: json.loads is one C call that
    holds the GIL throughout (a 1.5 MB metric answer: ~15 ms during which the GUI thread cannot run a line),
    element by element the GUI thread gets its turn between two elements (~1 ms each)."""
    import json
    if len(text) < CHUNKED_BYTES:
        return json.loads(text)
    if isinstance(text, (bytes, bytearray)):
        text = text.decode("utf-8-sig")
    i = _skip(text, 0)
    if text[i:i + 1] != "[":
        return json.loads(text)
    decoder = _decoder()
    out: list = []
    i = _skip(text, i + 1)
    if text[i:i + 1] == "]":
        return out
    while True:
        obj, i = decoder.raw_decode(text, i)
        out.append(obj)
        i = _skip(text, i)
        ch = text[i:i + 1]
        if ch == "]":
            if text[_skip(text, i + 1):]:
                raise ValueError(f"extra data after the JSON array at {i + 1}")
            return out
        if ch != ",":
            raise ValueError(f"expected ',' or ']' at {i} of a JSON array")
        i = _skip(text, i + 1)


def raw_deserializer(base_client):
    """A `deserialize_response_data` for a `skip_deserialization` SDK client (its base_client): as the SDK's
    own (JSON text -> parsed JSON, the text itself when it is not JSON), with a large answer decoded by `loads`."""
    sdk_deserialize = base_client.deserialize_response_data

    def deserialize(response_data, response_type, allow_control_chars=None):
        if not response_data or len(response_data) < CHUNKED_BYTES \
                or base_client.should_allow_control_chars(allow_control_chars):
            return sdk_deserialize(response_data, response_type, allow_control_chars)
        text = response_data.decode("utf8")
        try:
            data = loads(text)
        except ValueError:
            return text
        return data if response_type != "str" or isinstance(data, str) else text
    return deserialize


def _skip(text: str, i: int) -> int:
    """The index of the first character at or after i that is not JSON whitespace."""
    m = _WS.match(text, i)
    return m.end() if m else i


_decoders: list = []


def _decoder():
    if not _decoders:
        import json
        _decoders.append(json.JSONDecoder())
    return _decoders[0]


def wrap(data, module: str, model: str, is_list: bool):
    """JSON text or parsed JSON of a response -> LazyModel(s)."""
    if isinstance(data, (bytes, bytearray, str)):
        data = loads(data) if data else None
    if data is None:
        return [] if is_list else None
    if is_list:
        return [LazyModel(d, module, model) for d in data]
    return LazyModel(data, module, model)
