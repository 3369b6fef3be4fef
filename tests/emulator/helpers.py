"""Helpers for the emulator suite: real SDK clients, a signed raw HTTP session, waits, a network.

Everything here talks to the emulator over HTTP through the unmodified `oci` SDK (or its
signer on a plain `requests` session for requests the SDK would refuse to send).
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import select
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import oci
import pytest
from oci._vendor import requests

M = oci.core.models
IM = oci.identity.models

# No retries and no circuit breaker: a test sees exactly what the emulator answered, and an
# injected fault in one test cannot open the SDK's shared breaker for the next one.
NO_RETRY = {
    "retry_strategy": oci.retry.NoneRetryStrategy(),
    "circuit_breaker_strategy": oci.circuit_breaker.NoCircuitBreakerStrategy(),
}

WAIT = {"max_wait_seconds": 15, "max_interval_seconds": 1}


class Clients:
    """One SDK client per emulated API, all pointed at one emulator."""

    def __init__(self, emulator, config: dict | None = None, signer=None, **kwargs):
        cfg = config if config is not None else emulator.client_config()
        kw = dict(NO_RETRY)
        kw.update(kwargs)
        # one signer for all clients: each would otherwise load (and check) the private key again
        kw["signer"] = signer if signer is not None else signer_for(cfg)
        self.config = cfg
        self.tenancy = cfg.get("tenancy") or emulator.tenancy_id
        self.identity = oci.identity.IdentityClient(cfg, service_endpoint=emulator.endpoint("identity"), **kw)
        self.compute = oci.core.ComputeClient(cfg, service_endpoint=emulator.endpoint("core"), **kw)
        self.network = oci.core.VirtualNetworkClient(cfg, service_endpoint=emulator.endpoint("core"), **kw)
        self.blockstorage = oci.core.BlockstorageClient(cfg, service_endpoint=emulator.endpoint("core"), **kw)
        self.work_requests = oci.work_requests.WorkRequestClient(
            cfg, service_endpoint=emulator.endpoint("work_requests"), **kw)


def signer_for(config: dict) -> oci.signer.Signer:
    """The SDK's signer for a config's key. Every test's emulator has the same key (conftest.fast_keys) and the
    SDK checks a private key as it loads it (~20 ms): one signer per key and identity for the whole session."""
    pem = Path(os.path.expanduser(config["key_file"])).read_bytes()
    return _signer(config["tenancy"], config["user"], config["fingerprint"], pem)


@functools.cache
def _signer(tenancy: str, user: str, fingerprint: str, pem: bytes) -> oci.signer.Signer:
    return oci.signer.Signer(tenancy, user, fingerprint, None, private_key_content=pem.decode())


def signed_session(config: dict) -> requests.Session:
    """A `requests` session that signs every request the way the SDK does."""
    s = requests.Session()
    s.auth = signer_for(config)
    return s


def wait_state(client, get_fn, ident: str, state, **kw):
    """`oci.wait_until` on `get_fn(ident)` reaching `state` (transition_delay=0: usually the first read)."""
    opts = dict(WAIT)
    opts.update(kw)
    return oci.wait_until(client, get_fn(ident), "lifecycle_state", state, **opts).data


def service_error(excinfo) -> tuple[int, str]:
    e = excinfo.value
    return e.status, e.code


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@dataclass
class Net:
    compartment_id: str
    vcn_id: str
    subnet_id: str
    ad: str
    image_id: str  # Oracle Linux 9, x86_64
    arm_image_id: str  # Oracle Linux 9, aarch64


def make_net(c: Clients, name: str | None = None, cidr: str = "10.77.0.0/16") -> Net:
    """A fresh compartment with an AVAILABLE VCN and public subnet, and the images to launch."""
    comp = c.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=c.tenancy, name=name or unique("net"), description="test network")).data
    vcn = c.network.create_vcn(M.CreateVcnDetails(
        compartment_id=comp.id, cidr_block=cidr, display_name="test-vcn", dns_label="testvcn")).data
    wait_state(c.network, c.network.get_vcn, vcn.id, "AVAILABLE")
    subnet_cidr = cidr.split("/")[0].rsplit(".", 2)[0] + ".1.0/24"
    sub = c.network.create_subnet(M.CreateSubnetDetails(
        compartment_id=comp.id, vcn_id=vcn.id, cidr_block=subnet_cidr, display_name="test-subnet",
        dns_label="pub")).data
    wait_state(c.network, c.network.get_subnet, sub.id, "AVAILABLE")
    ad = c.identity.list_availability_domains(c.tenancy).data[0].name
    images = c.compute.list_images(comp.id, operating_system="Oracle Linux", operating_system_version="9").data
    x86 = next(i for i in images if "aarch64" not in i.display_name)
    arm = next(i for i in images if "aarch64" in i.display_name)
    return Net(comp.id, vcn.id, sub.id, ad, x86.id, arm.id)


def launch_details(net: Net, **overrides) -> M.LaunchInstanceDetails:
    d = dict(compartment_id=net.compartment_id, availability_domain=net.ad, shape="VM.Standard.E4.Flex",
             shape_config=M.LaunchInstanceShapeConfigDetails(ocpus=1, memory_in_gbs=16),
             source_details=M.InstanceSourceViaImageDetails(image_id=net.image_id),
             create_vnic_details=M.CreateVnicDetails(subnet_id=net.subnet_id), display_name=unique("vm"))
    d.update(overrides)
    return M.LaunchInstanceDetails(**d)


def launch_running(c: Clients, net: Net, **overrides):
    inst = c.compute.launch_instance(launch_details(net, **overrides)).data
    return wait_state(c.compute, c.compute.get_instance, inst.id, "RUNNING")


# ---------------------------------------------------------------- the emulator as a process

REPO = Path(__file__).resolve().parents[2]


def emulator_command() -> list[str]:
    """`ociconsole-emulator` next to this interpreter if installed, else `python -m ociconsole.emulator`."""
    script = Path(sys.executable).parent / "ociconsole-emulator"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "ociconsole.emulator"]


def subprocess_env() -> dict:
    env = dict(os.environ)
    # the code under test, even if an older ociconsole is installed
    env["PYTHONPATH"] = os.pathsep.join([str(REPO)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING"] = "True"
    return env


@dataclass
class EmulatorProcess:
    proc: subprocess.Popen
    url: str
    startup_seconds: float

    def endpoint(self, module: str) -> str:
        return f"{self.url}/{module}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def _die_with_parent() -> None:
    """In the child: get SIGTERM if the test process dies, so no emulator outlives a crashed run (Linux)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_emulator_process(args: list[str], log_path: Path, timeout: float = 10.0) -> EmulatorProcess:
    """Run the emulator's console script; return once it printed its URL (the first stdout line)."""
    t0 = time.monotonic()
    log = open(log_path, "ab")
    proc = subprocess.Popen(emulator_command() + args, stdout=subprocess.PIPE, stderr=log, env=subprocess_env(),
                            cwd=str(log_path.parent), preexec_fn=_die_with_parent)
    log.close()
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready:
        proc.kill()
        proc.wait()
        raise AssertionError(f"the emulator printed nothing within {timeout} s; log: {log_path.read_text()}")
    url = proc.stdout.readline().decode().strip()  # type: ignore[union-attr]
    elapsed = time.monotonic() - t0
    if not url.startswith("http://127.0.0.1:"):
        proc.kill()
        proc.wait()
        raise AssertionError(f"unexpected first line {url!r}; log: {log_path.read_text()}")
    return EmulatorProcess(proc, url, elapsed)


def oci_cli() -> str | None:
    """The `oci` CLI next to this Python, or on PATH."""
    local = Path(sys.executable).parent / "oci"
    return str(local) if local.exists() else shutil.which("oci")


def run_oci_process(cfg: Path, endpoint: str, *args: str, timeout: float = 60) -> dict:
    """Run one `oci` CLI command in its own process, the `oci` executable itself (skips without the CLI)."""
    exe = oci_cli()
    if exe is None:
        pytest.skip("the oci CLI is not installed")
    env = subprocess_env()
    env["SUPPRESS_LABEL_WARNING"] = "True"
    done = subprocess.run([exe, "--config-file", str(cfg), "--endpoint", endpoint, *args], capture_output=True,
                          text=True, timeout=timeout, env=env)
    assert done.returncode == 0, f"{' '.join(args)}\nstdout: {done.stdout}\nstderr: {done.stderr}"
    return json.loads(done.stdout) if done.stdout.strip() else {}


class OciCliRunner:
    """The real `oci` CLI in a subprocess kept warm (tests/emulator/oci_cli_runner.py): one command per request.

    The CLI's start (about a second) is paid once per test process and prelude instead of once per command."""

    _running: dict[str, OciCliRunner] = {}

    def __init__(self, prelude: str = ""):
        env = subprocess_env()
        if prelude:
            env["OCI_CLI_RUNNER_PRELUDE"] = prelude
        self.proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("oci_cli_runner.py"))],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True,
                                     preexec_fn=_die_with_parent)
        self._answer(60)

    @classmethod
    def get(cls, prelude: str = "") -> OciCliRunner:
        runner = cls._running.get(prelude)
        if runner is None or runner.proc.poll() is not None:
            runner = cls._running[prelude] = cls(prelude)
        return runner

    def _answer(self, timeout: float) -> dict:
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ""  # type: ignore[union-attr]
        if not line:
            self.stop()
            raise AssertionError(f"the oci CLI runner did not answer within {timeout} s" if not ready
                                 else f"the oci CLI runner exited with {self.proc.returncode} (its stderr is above)")
        return json.loads(line)

    def run(self, args: list[str], env: dict, timeout: float) -> dict:
        self.proc.stdin.write(json.dumps({"args": args, "env": env}) + "\n")  # type: ignore[union-attr]
        self.proc.stdin.flush()  # type: ignore[union-attr]
        return self._answer(timeout)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)

    @classmethod
    def stop_all(cls) -> None:
        for runner in cls._running.values():
            runner.stop()
        cls._running.clear()


atexit.register(OciCliRunner.stop_all)


def run_oci(cfg: Path, endpoint: str, *args: str, timeout: float = 60, prelude: str = "") -> dict:
    """Run one `oci` CLI command against the emulator (skips without the CLI); its JSON output ({} if none).

    The command runs in the warm CLI runner (OciCliRunner): the real CLI, without its start-up each time."""
    if oci_cli() is None:
        pytest.skip("the oci CLI is not installed")
    env = subprocess_env()
    env["SUPPRESS_LABEL_WARNING"] = "True"
    done = OciCliRunner.get(prelude).run(["--config-file", str(cfg), "--endpoint", endpoint, *args], env, timeout)
    assert done["rc"] == 0, f"{' '.join(args)}\nstdout: {done['stdout']}\nstderr: {done['stderr']}"
    return json.loads(done["stdout"]) if done["stdout"].strip() else {}
