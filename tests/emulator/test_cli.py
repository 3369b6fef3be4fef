"""The `ociconsole-emulator` console script, driven by the real `oci` CLI in subprocesses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import oci
import pytest

from .helpers import NO_RETRY, oci_cli, start_emulator_process, subprocess_env
from .helpers import run_oci_process as run_oci

pytestmark = pytest.mark.cli

DEMO_COMPARTMENTS = 17


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One emulator process for the module: `--port 0 --config-out DIR/config`, instant transitions."""
    d = tmp_path_factory.mktemp("cli")
    cfg = d / "config"
    proc = start_emulator_process(["--port", "0", "--config-out", str(cfg), "--transition-delay", "0"],
                                  d / "emulator.log")
    print(f"\nociconsole-emulator printed its URL after {proc.startup_seconds:.2f} s")
    yield proc, cfg
    proc.stop()
    assert proc.proc.returncode == 0, (d / "emulator.log").read_text()


def test_startup_prints_url_and_writes_a_config(served):
    proc, cfg = served
    assert proc.startup_seconds < 10
    assert proc.url.startswith("http://127.0.0.1:")
    parsed = oci.config.from_file(str(cfg))
    oci.config.validate_config(parsed)
    assert Path(parsed["key_file"]).stat().st_mode & 0o777 == 0o600
    assert cfg.stat().st_mode & 0o777 == 0o600
    idc = oci.identity.IdentityClient(parsed, service_endpoint=proc.endpoint("identity"), **NO_RETRY)
    assert idc.get_tenancy(parsed["tenancy"]).data.name == "acme-corp"


def test_cli_lists_the_demo_compartments(served):
    proc, cfg = served
    out = run_oci(cfg, proc.endpoint("identity"), "iam", "compartment", "list", "--all",
                   "--compartment-id-in-subtree", "true")
    names = [c["name"] for c in out["data"]]
    assert len(names) == DEMO_COMPARTMENTS
    assert {"Production", "Development", "Network", "Security", "alice", "bob"} <= set(names)


def test_cli_launches_an_instance_and_lists_it(served):
    proc, cfg = served
    parsed = oci.config.from_file(str(cfg))
    idc = oci.identity.IdentityClient(parsed, service_endpoint=proc.endpoint("identity"), **NO_RETRY)
    vn = oci.core.VirtualNetworkClient(parsed, service_endpoint=proc.endpoint("core"), **NO_RETRY)
    comps = {c.name: c.id for c in idc.list_compartments(parsed["tenancy"], compartment_id_in_subtree=True).data}
    subnet = next(s for s in vn.list_subnets(comps["Development"]).data if s.display_name == "dev-vcn-public")
    images = run_oci(cfg, proc.endpoint("core"), "compute", "image", "list", "--compartment-id", comps["bob"],
                      "--operating-system", "Oracle Linux", "--shape", "VM.Standard.E4.Flex")
    image = images["data"][0]
    assert image["operating-system"] == "Oracle Linux"

    launched = run_oci(
        cfg, proc.endpoint("core"), "compute", "instance", "launch", "--compartment-id", comps["bob"],
        "--availability-domain", subnet.availability_domain or "Uocm:US-ASHBURN-AD-1",
        "--shape", "VM.Standard.E4.Flex", "--shape-config", '{"ocpus": 2, "memoryInGBs": 32}',
        "--image-id", image["id"], "--subnet-id", subnet.id, "--display-name", "cli-launched",
        "--wait-for-state", "RUNNING", "--wait-interval-seconds", "1")
    inst = launched["data"]
    assert inst["lifecycle-state"] == "RUNNING" and inst["display-name"] == "cli-launched"
    assert inst["shape-config"]["ocpus"] == 2 and inst["shape-config"]["memory-in-gbs"] == 32

    listed = run_oci(cfg, proc.endpoint("core"), "compute", "instance", "list", "--compartment-id", comps["bob"])
    by_name = {i["display-name"]: i for i in listed["data"]}
    assert by_name["cli-launched"]["id"] == inst["id"]
    assert by_name["cli-launched"]["lifecycle-state"] == "RUNNING"
    assert "bob-win-test" in by_name


def test_cli_reports_service_errors(served):
    proc, cfg = served
    exe = oci_cli()
    if exe is None:
        pytest.skip("the oci CLI is not installed")
    env = subprocess_env()
    env["SUPPRESS_LABEL_WARNING"] = "True"
    done = subprocess.run([exe, "--config-file", str(cfg), "--endpoint", proc.endpoint("core"), "compute",
                           "instance", "get", "--instance-id", "ocid1.instance.oc1.iad.missing"],
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode != 0
    assert "NotAuthorizedOrNotFound" in done.stderr and '"status": 404' in done.stderr


def test_bad_arguments_and_unwritable_config_exit_with_status_2(tmp_path):
    for args in (["--fault-mix", "418=1"], ["--fault-rate", "2"], ["--seed", "galaxy"]):
        done = subprocess.run([sys.executable, "-m", "ociconsole.emulator", *args], capture_output=True, text=True,
                              timeout=60, env=subprocess_env(), cwd=tmp_path)
        assert done.returncode == 2, (args, done.stderr)
        assert "error" in done.stderr
    (tmp_path / "a-file").write_text("not a directory")
    done = subprocess.run([sys.executable, "-m", "ociconsole.emulator", "--port", "0", "--config-out",
                           str(tmp_path / "a-file" / "config")], capture_output=True, text=True, timeout=60,
                          env=subprocess_env(), cwd=tmp_path)
    assert done.returncode == 2 and "cannot write" in done.stderr
    assert done.stdout == "", "no URL is announced when the config cannot be written"
