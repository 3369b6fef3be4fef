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


# ---------------------------------------------------------------- every served operation is exercised
# A run of the whole suite fails when an operation the emulator serves (hand-written or from a declared
# resource kind) was never answered successfully by any test. Each process counts its calls
# (emulator.core.PROCESS_OP_CALLS); pytest-xdist workers write theirs to a folder the controller merges.
# OCICONSOLE_CHECK_OPS=<sdk module>[,...] makes any partial run check the operations of those modules.

_OPCALLS_ENV = "OCICONSOLE_TEST_OPCALLS_DIR"
_CHECK_OPS_ENV = "OCICONSOLE_CHECK_OPS"


def pytest_xdist_auto_num_workers(config):
    """`-n auto` (pyproject's addopts): two workers more than the cores this process may use. Much of the suite's
    time is spent waiting (lifecycles on the sandbox, the console's polls, outages being noticed), so one worker
    per core leaves the cores idle that long: on 2 cores, 2 workers took 319 s (428 s of CPU), 3 workers 231 s
    (397 s of CPU), measured the same hour. Later, in interleaved runs: in a working tree, 4 workers took 205,
    207 and 205 s against 222 and 223 s for 3 (~15 s more CPU), and 5 workers 216 s (~35 s more CPU than 4); in
    a clean clone's CI environment, 4 workers took 228 and 230 s against 229 and 242 s for 3 (~40 s more CPU)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # (not on Linux)
        cores = os.cpu_count() or 1
    return cores + 2


def pytest_configure(config):
    if not hasattr(config, "workerinput") and _OPCALLS_ENV not in os.environ:
        os.environ[_OPCALLS_ENV] = tempfile.mkdtemp(prefix="opcalls-", dir=_ISOLATED)
    if not hasattr(config, "workerinput"):
        _cache_rewritten_test_modules(config)


def _cache_rewritten_test_modules(config) -> None:
    """Write pytest's cache of assertion-rewritten test modules even where PYTHONDONTWRITEBYTECODE is set.

    That variable also stops pytest from caching the test modules it rewrites, so every xdist worker parsed and
    rewrote all of them at every run (about 10 s of CPU each). The controller fills the cache before the workers
    start, once per changed file, exactly as pytest would without the variable. Only pytest reads these files
    (tests/**/__pycache__/*-pytest-*.pyc); the bytecode of the package itself is still never written."""
    import sys
    from pathlib import Path

    if not sys.dont_write_bytecode:
        return  # pytest caches them itself
    try:
        from _pytest.assertion.rewrite import (
            PYC_TAIL,
            _read_pyc,
            _rewrite_test,
            _write_pyc,
            assertstate_key,
            get_cache_dir,
        )
        state = config.stash[assertstate_key]
    except (ImportError, KeyError):  # another pytest, or --assert=plain
        return
    for fn in sorted(Path(__file__).parent.rglob("*.py")):
        if not (fn.name.startswith("test_") or fn.name == "conftest.py"):
            continue
        cache_dir = get_cache_dir(fn)
        pyc = cache_dir / (fn.name[:-3] + PYC_TAIL)
        if _read_pyc(fn, pyc, state.trace) is not None:
            continue
        try:
            cache_dir.mkdir(exist_ok=True)
            source_stat, co = _rewrite_test(fn, config)
        except (OSError, SyntaxError):  # pytest reports it when it imports the module
            continue
        _write_pyc(state, co, source_stat, pyc)


def _whole_suite(session) -> bool:
    opt = session.config.option
    if getattr(opt, "collectonly", False) or getattr(opt, "keyword", "") or getattr(opt, "markexpr", "") \
            or getattr(opt, "lf", False) \
            or getattr(opt, "deselect", None) or session.testsfailed or session.shouldfail:
        return False
    root = session.config.rootpath
    args = [a.split("::")[0].rstrip("/") for a in session.config.args] or ["tests"]
    return all(os.path.abspath(os.path.join(str(session.config.invocation_params.dir), a)) ==
               str(root / "tests") for a in args)


def unexercised_operations(calls: dict) -> list[str]:
    from ociconsole.emulator.core import EmulatorCore
    from ociconsole.emulator.store import Store
    registered = {(m, n) for m, table in EmulatorCore(None, Store()).handlers.items() for n in table}
    return sorted(f"{m}.{n}" for m, n in registered if not calls.get(f"{m}.{n}"))


def pytest_sessionfinish(session, exitstatus):
    import json

    from ociconsole.emulator.core import PROCESS_OP_CALLS
    folder = os.environ.get(_OPCALLS_ENV)
    mine = {f"{m}.{n}": c for (m, n), c in PROCESS_OP_CALLS.items()}
    worker = getattr(session.config, "workerinput", None)
    if worker is not None:
        if folder:
            with open(os.path.join(folder, f"{worker['workerid']}.json"), "w") as f:
                json.dump(mine, f)
        return
    only = [m for m in os.environ.get(_CHECK_OPS_ENV, "").split(",") if m]
    if exitstatus != 0 or not (only or _whole_suite(session)):
        return
    if folder:
        for name in os.listdir(folder):
            with open(os.path.join(folder, name)) as f:
                for k, v in json.load(f).items():
                    mine[k] = mine.get(k, 0) + v
    missing = unexercised_operations(mine)
    if only:  # a partial run checks the SDK modules it names (OCICONSOLE_CHECK_OPS=load_balancer,waf)
        missing = [op for op in missing if op.split(".")[0] in only]
    if missing:
        rep = session.config.pluginmanager.get_plugin("terminalreporter")
        text = (f"{len(missing)} operation(s) the emulator serves were never answered successfully by any test: "
                + ", ".join(missing))
        if rep is not None:
            rep.write_sep("=", "unexercised emulator operations", red=True)
            rep.write_line(text)
        else:
            print(text)
        session.exitstatus = 1
