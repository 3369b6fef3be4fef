"""State files: what was acknowledged survives a restart, and a SIGKILL."""

from __future__ import annotations

import signal
import threading

import oci
import pytest

from tests.conftest import make_emulator

from .helpers import IM, NO_RETRY, Clients, M, start_emulator_process, wait_state


def test_state_survives_a_restart_with_the_same_admin_key(tmp_path):
    state = str(tmp_path / "state.sqlite")
    # no pre-made keys: the admin key is generated here and must come back from the state file
    first = make_emulator(tmp_path, state=state, seed_options={"keys": {}})
    try:
        cfg = first.client_config()
        key_pem = open(cfg["key_file"]).read()
        c = Clients(first, cfg)
        comp = c.identity.create_compartment(IM.CreateCompartmentDetails(
            compartment_id=c.tenancy, name="kept", description="survives restarts"),
            opc_retry_token="persisted-token").data
        vcn = c.network.create_vcn(M.CreateVcnDetails(compartment_id=comp.id, cidr_block="10.9.0.0/16",
                                                      display_name="kept-vcn")).data
        assert vcn.lifecycle_state == "PROVISIONING"  # its AVAILABLE transition is still pending
        etag = c.identity.get_compartment(comp.id).headers["etag"]
        tenancy, fingerprint = first.tenancy_id, first.admin_fingerprint
        assert first.core.strict_violations == []
    finally:
        first.stop()

    second = make_emulator(tmp_path, state=state, seed_options={"keys": {}})
    try:
        assert (second.tenancy_id, second.admin_fingerprint) == (tenancy, fingerprint)
        assert open(second.client_config()["key_file"]).read() == key_pem
        c2 = Clients(second, cfg)  # the first run's config: same user, fingerprint and key
        got = c2.identity.get_compartment(comp.id)
        assert got.data.name == "kept" and got.data.description == "survives restarts"
        assert got.headers["etag"] == etag
        assert wait_state(c2.network, c2.network.get_vcn, vcn.id, "AVAILABLE").display_name == "kept-vcn"
        # retry tokens are state too
        again = c2.identity.create_compartment(IM.CreateCompartmentDetails(
            compartment_id=c2.tenancy, name="kept", description="survives restarts"),
            opc_retry_token="persisted-token").data
        assert again.id == comp.id
        # the demo seed was not applied a second time
        names = [x.name for x in c2.identity.list_compartments(c2.tenancy).data]
        assert names.count("Production") == 1 and names.count("kept") == 1
        assert second.core.strict_violations == []
    finally:
        second.stop()


def test_failed_request_leaves_no_trace_in_the_state_file(tmp_path):
    state = str(tmp_path / "state.sqlite")
    emu = make_emulator(tmp_path, state=state)
    try:
        c = Clients(emu)
        with pytest.raises(oci.exceptions.ServiceError):
            c.identity.create_compartment(IM.CreateCompartmentDetails(
                compartment_id=c.tenancy, name="Production", description="duplicate"))
        count = len(c.identity.list_compartments(c.tenancy, compartment_id_in_subtree=True).data)
    finally:
        emu.stop()
    again = make_emulator(tmp_path, state=state)
    try:
        c = Clients(again)
        assert len(c.identity.list_compartments(c.tenancy, compartment_id_in_subtree=True).data) == count
    finally:
        again.stop()


def test_acknowledged_creates_survive_sigkill(tmp_path):
    state = tmp_path / "durable.sqlite"
    cfg_path = tmp_path / "config"
    args = ["--state", str(state), "--port", "0", "--transition-delay", "0", "--config-out", str(cfg_path)]
    first = start_emulator_process(args, tmp_path / "first.log")
    acknowledged: list[str] = []
    lock = threading.Lock()
    enough = threading.Event()
    stop = threading.Event()
    try:
        cfg = oci.config.from_file(str(cfg_path))  # written before the URL line
    except Exception:
        first.stop()
        raise

    def worker(n: int) -> None:
        idc = oci.identity.IdentityClient(cfg, service_endpoint=first.endpoint("identity"), timeout=(2, 5),
                                          **NO_RETRY)
        i = 0
        while not stop.is_set():
            name = f"durable-{n}-{i}"
            i += 1
            try:
                resp = idc.create_compartment(IM.CreateCompartmentDetails(
                    compartment_id=cfg["tenancy"], name=name, description="d"))
            except Exception:
                return
            if resp.status == 200:
                with lock:
                    acknowledged.append(name)
                    if len(acknowledged) >= 60:
                        enough.set()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(6)]
    try:
        for t in threads:
            t.start()
        assert enough.wait(30), "the emulator did not acknowledge creates"
        first.proc.send_signal(signal.SIGKILL)  # mid-way: the workers are still sending
        first.proc.wait(10)
        stop.set()
        for t in threads:
            t.join(10)
    finally:
        stop.set()
        first.stop()
    with lock:
        acked = set(acknowledged)
    assert len(acked) >= 60

    second = start_emulator_process(["--state", str(state), "--port", "0", "--transition-delay", "0"],
                                    tmp_path / "second.log")
    try:
        idc = oci.identity.IdentityClient(cfg, service_endpoint=second.endpoint("identity"), **NO_RETRY)
        names = {c.name for c in oci.pagination.list_call_get_all_results(
            idc.list_compartments, cfg["tenancy"], limit=1000).data}
        missing = acked - names
        assert not missing, f"{len(missing)} acknowledged creates were lost: {sorted(missing)[:5]}"
        print(f"\n{len(acked)} acknowledged creates before SIGKILL, all present after restart "
              f"({len([n for n in names if n.startswith('durable-')]) - len(acked)} more were committed "
              f"but not acknowledged)")
    finally:
        second.stop()
