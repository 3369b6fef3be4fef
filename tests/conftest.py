"""Shared fixtures: an isolated environment and an embedded emulator reached through the real SDK."""

from __future__ import annotations

import os
import tempfile

# Headless by default and isolated from the developer's own settings and caches.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
_ISOLATED = tempfile.mkdtemp(prefix="ociconsole-tests-")
os.environ.setdefault("OCICONSOLE_CACHE_DIR", os.path.join(_ISOLATED, "cache"))

import pytest  # noqa: E402

from ociconsole.emulator import Emulator, EmulatorOptions  # noqa: E402
from ociconsole.emulator import auth as emu_auth  # noqa: E402

_KEYS: dict[str, str] = {}


def fast_keys() -> dict:
    """Key material generated once per test session (RSA generation is the slow part of a start)."""
    if not _KEYS:
        _KEYS["admin_private_key"] = emu_auth.private_pem(emu_auth.generate_private_key()).decode()
        _KEYS["token_signing_key"] = emu_auth.private_pem(emu_auth.generate_private_key()).decode()
    return dict(_KEYS)


def make_emulator(tmp_path=None, **kw) -> Emulator:
    seed_options = dict(kw.pop("seed_options", {}) or {})
    seed_options.setdefault("keys", fast_keys())
    kw.setdefault("transition_delay", 0.0)
    kw.setdefault("strict", True)
    if tmp_path is not None:
        kw.setdefault("key_dir", str(tmp_path))
    emu = Emulator(EmulatorOptions(seed_options=seed_options, **kw))
    emu.start()
    return emu


@pytest.fixture
def emulator(tmp_path):
    """A fresh demo-seeded emulator, lifecycles instant, every response checked against the SDK models."""
    emu = make_emulator(tmp_path)
    yield emu
    violations = list(emu.core.strict_violations)
    emu.stop()
    assert not violations, violations


@pytest.fixture
def oci_config(emulator):
    return emulator.client_config()
