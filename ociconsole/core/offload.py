"""Decoding large answers in a helper process, so that it does not hold this process's GIL.

Decoding one chart's metric answer (1.5 MB of JSON: 15 streams of 1,440 points) costs a worker thread
~20 ms of Python, all of it holding the GIL; a 16-chart dashboard refresh is ~0.3 s of it, in four
threads at once, and the GUI thread waits its turn for the GIL between them (profiled: gaps of 70-140 ms
in its 5 ms heartbeat, of which it ran 10-45 ms). In a process of its own the decoding holds no lock of
ours: the worker thread writes the bytes to a pipe and reads the arrays back, waiting with the GIL let go.

`run("ociconsole.pkg.module:function", payload)` returns `function(payload)`, computed in the helper
(one per console process, started for the first large payload, which waits ~0.2 s for it to import
numpy; it exits when its pipe closes, with this process). Only functions of `ociconsole` modules can be
named; their results come back pickled. The helper is used for payloads of OFFLOAD_BYTES or more; smaller
ones, a frozen build (no interpreter to start) and a helper that failed are served in this process, with
the same result.
"""

from __future__ import annotations

import importlib
import logging
import os
import pickle
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

OFFLOAD_BYTES = 1 << 16  # smaller payloads cost more to send than to decode here
_HEAD = struct.Struct(">IQ")  # request: length of the function's name, length of the payload
_REPLY = struct.Struct(">BQ")  # reply: 0 = pickled result / 1 = error message, its length
_CHILD = "import ociconsole.core.offload as o; o.serve()"


def _function(name: str):
    module, _, attr = name.partition(":")
    if not module.startswith("ociconsole.") or not attr:
        raise ValueError(f"not an ociconsole function: {name!r}")
    return getattr(importlib.import_module(module), attr)


class Helper:
    """The helper process and the pipe to it (one request at a time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self.failed: str | None = None  # why the helper is not used (then every call runs here)
        self.served = 0  # calls answered by the helper (diagnostics, tests)

    def available(self) -> bool:
        return self.failed is None and not getattr(sys, "frozen", False)

    def _start(self) -> subprocess.Popen:
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[2])  # the directory holding the ociconsole package
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        proc = subprocess.Popen([sys.executable, "-c", _CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env=env, close_fds=True,
                                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        log.debug("offload helper started (pid %s)", proc.pid)
        return proc

    def _ensure(self) -> subprocess.Popen:
        if self._proc is not None and self._proc.poll() is not None:
            log.warning("The offload helper process had ended (exit code %s); starting another",
                        self._proc.returncode)
            self._proc = None
        if self._proc is None:
            self._proc = self._start()
        return self._proc

    def call(self, name: str, payload: bytes) -> Any:
        with self._lock:
            try:
                proc = self._ensure()
            except OSError as e:
                self.failed = f"the helper process did not start ({e})"
                raise
            assert proc.stdin is not None and proc.stdout is not None
            fn = name.encode()
            try:
                proc.stdin.write(_HEAD.pack(len(fn), len(payload)) + fn)
                proc.stdin.write(payload)
                proc.stdin.flush()
                status, size = _REPLY.unpack(_read(proc.stdout, _REPLY.size))
                body = _read(proc.stdout, size)
            except (OSError, EOFError, struct.error) as e:
                self.failed = f"the helper process stopped ({e or type(e).__name__})"
                self.close_locked()
                raise
            self.served += 1
        if status:
            raise ValueError(body.decode("utf-8", "replace"))
        return pickle.loads(body)

    def close(self) -> None:
        with self._lock:
            self.close_locked()

    def close_locked(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for f in (proc.stdin, proc.stdout):
            try:
                if f is not None:
                    f.close()
            except OSError:
                pass
        try:
            proc.wait(2)
        except subprocess.TimeoutExpired:
            proc.kill()


def _read(f, n: int) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise EOFError("the helper process closed its pipe")
    return data


helper = Helper()


def run(name: str, payload: bytes) -> Any:
    """`name`'s function ("ociconsole.module:function") applied to `payload`, in the helper process
    when the payload is large (see the module's docstring), else here."""
    if len(payload) >= OFFLOAD_BYTES and helper.available():
        try:
            return helper.call(name, payload)
        except (OSError, EOFError, struct.error) as e:
            log.warning("Decoding in this process from now on: %s", helper.failed or e)
    return _function(name)(payload)


def serve(stdin=None, stdout=None) -> None:
    """The helper's loop: a request from the pipe, its answer back, until the pipe closes."""
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    functions: dict[str, Any] = {}
    while True:
        head = stdin.read(_HEAD.size)
        if len(head) < _HEAD.size:
            return
        name_len, size = _HEAD.unpack(head)
        name = stdin.read(name_len).decode()
        payload = stdin.read(size)
        try:
            fn = functions.get(name) or functions.setdefault(name, _function(name))
            out, status = pickle.dumps(fn(payload), protocol=pickle.HIGHEST_PROTOCOL), 0
        except Exception as e:  # the caller's own error (bad JSON...), reported as such
            out, status = f"{type(e).__name__}: {e}".encode(), 1
        stdout.write(_REPLY.pack(status, len(out)) + out)
        stdout.flush()
