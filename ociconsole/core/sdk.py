"""The SDK's model packages, imported when first used (`import oci.core` alone takes ~0.5 s;
the window should not wait for it).

    M = models("core")        # nothing imported yet
    M.LaunchInstanceDetails(...)   # oci.core.models is imported now
"""

from __future__ import annotations

import importlib
from types import ModuleType


class _LazyModels:
    __slots__ = ("_module", "_mod")

    def __init__(self, module: str):
        self._module = module
        self._mod: ModuleType | None = None

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        mod = self._mod
        if mod is None:
            mod = importlib.import_module(f"oci.{self._module}.models")
            self._mod = mod
        return getattr(mod, name)

    def __repr__(self) -> str:
        return f"<oci.{self._module}.models (imported on first use)>"


def models(module: str) -> _LazyModels:
    return _LazyModels(module)


def to_dict(obj):
    """oci.util.to_dict, imported on first use."""
    from oci.util import to_dict as _to_dict
    return _to_dict(obj)
