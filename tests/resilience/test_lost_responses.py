"""A mutation whose answer is lost (the service did it, the connection dropped before the answer)
is retried only where a second request cannot act twice, and ends as what really happened:
actions carry an opc-retry-token, updates without if-match are idempotent, a retried delete that
finds the resource gone (or already going) succeeded. A mutation that cannot be retried says that
it may have been carried out instead of reporting a plain failure."""

from __future__ import annotations

import asyncio
import uuid

import oci
import pytest

from ociconsole import catalog
from ociconsole.catalog import execute
from ociconsole.core.connection import connection_for_emulator
from ociconsole.core.errors import OciError
from ociconsole.core.operations import OperationLog, OpState
from ociconsole.emulator.faults import FaultConfig
from ociconsole.services import compute as csvc
from ociconsole.services import identity as idsvc
from ociconsole.services import network as nsvc
from ociconsole.services.runtime import OutcomeUnknown, Session

from ..conftest import make_emulator

M_ID, M_CORE = oci.identity.models, oci.core.models


def fail_first(emu, session, operation: str, kind: str = "lost", times: int = 1) -> list[str]:
    """The first `times` requests of `operation` get the fault `kind`; later ones are answered."""
    emu.core.faults.configure(FaultConfig(rate=1.0, mix={kind: 1.0}, operations=[operation]))
    seen: list[str] = []

    def hook(_service, method):
        if method == operation:
            seen.append(method)
            if len(seen) == times + 1:
                emu.core.faults.configure(FaultConfig())
    session.on_call(hook)
    return seen


def handled(emu, module: str, operation: str) -> int:
    """How many times the emulator carried out `operation` (retry-token replays are not counted)."""
    return emu.core.op_calls.get((module, operation), 0)


async def _development(session):
    tree = await idsvc.compartment_tree(session)
    return next(c for cs in tree.values() for c in cs if c.name == "Development")


async def _running_instance(session):
    for comp in (await idsvc.compartment_tree(session)).values():
        for c in comp:
            for inst in await csvc.list_instances(session, c.id):
                if inst.lifecycle_state == "RUNNING":
                    return inst
    raise AssertionError("no running instance in the seed")


def test_a_stop_whose_answer_was_lost_is_retried_with_its_token_and_succeeds_once(faulty):
    emu, session = faulty

    async def go():
        inst = await _running_instance(session)
        seen = fail_first(emu, session, "instance_action")
        stopped = await csvc.instance_action(session, inst.id, "STOP")
        return inst, stopped, seen
    inst, stopped, seen = asyncio.run(go())
    assert len(seen) == 2  # lost, then replayed from its retry token
    assert handled(emu, "core", "instance_action") == 1
    assert stopped.id == inst.id and stopped.lifecycle_state in ("STOPPING", "STOPPED")


def test_a_stop_that_never_reached_the_service_fails_as_not_carried_out(faulty):
    """Every attempt's connection reset before the service read it: the outcome is unknown until the
    instance is read again, which shows it still RUNNING. The operation fails saying so, and the error
    names the action's request (a re-check that found nothing done is the action's failure, not a
    tracking failure after the action was accepted)."""
    emu, session = faulty

    async def go():
        inst = await _running_instance(session)
        seen = fail_first(emu, session, "instance_action", kind="reset", times=3)
        kind = catalog.kind("compute.instance")
        op = await execute.run_action(session, OperationLog(), kind, kind.action("stop"), inst)
        return inst, op, seen, await csvc.get_instance(session, inst.id)
    inst, op, seen, after = asyncio.run(go())
    assert len(seen) == 3 and handled(emu, "core", "instance_action") == 0
    assert op.state == OpState.FAILED and after.lifecycle_state == "RUNNING"
    assert "was not carried out" in op.error.message and "still RUNNING" in op.error.message
    assert "may have been carried out" not in op.error.message  # the re-read settled it
    assert (op.error.service, op.error.operation) == ("compute", "instance_action")
    assert not isinstance(op.error, OutcomeUnknown)


def test_an_update_whose_answer_was_lost_is_retried(faulty):
    emu, session = faulty

    async def go():
        dev = await _development(session)
        seen = fail_first(emu, session, "update_compartment")
        resp = await session.call("identity", "update_compartment", dev.id,
                                  M_ID.UpdateCompartmentDetails(description="after a lost answer"))
        return resp.data, seen
    comp, seen = asyncio.run(go())
    assert len(seen) == 2 and comp.description == "after a lost answer"


@pytest.mark.parametrize("what", ["group", "vcn", "instance"])
def test_a_delete_whose_answer_was_lost_succeeds_when_the_retry_finds_it_gone(faulty, what):
    """delete_group: the retry gets 404; delete_vcn: 409 "VCN is TERMINATING"; terminate: accepted."""
    emu, session = faulty
    operation = {"group": "delete_group", "vcn": "delete_vcn", "instance": "terminate_instance"}[what]

    async def go():
        dev = await _development(session)
        if what == "group":
            g = await idsvc.create_group(session, M_ID.CreateGroupDetails(
                compartment_id=session.tenancy_id, name="lost-delete", description="x"), str(uuid.uuid4()))
            seen = fail_first(emu, session, operation)
            await idsvc.delete_group(session, g.id)
            return seen, [x.name for x in await idsvc.list_groups(session, session.tenancy_id)]
        if what == "vcn":
            v = await nsvc.create_vcn(session, M_CORE.CreateVcnDetails(
                compartment_id=dev.id, cidr_block="172.31.0.0/16", display_name="lost-delete"), str(uuid.uuid4()))
            seen = fail_first(emu, session, operation)
            await session.call("network", "delete_vcn", v.id)
            return seen, (await session.data("network", "get_vcn", v.id)).lifecycle_state
        inst = await _running_instance(session)
        seen = fail_first(emu, session, operation)
        await csvc.terminate_instance(session, inst.id)
        return seen, (await csvc.get_instance(session, inst.id)).lifecycle_state
    seen, after = asyncio.run(go())
    assert len(seen) == 2
    done = handled(emu, "identity" if what == "group" else "core", operation)
    assert done == 1, done  # the retry found it gone (404) or going (409, or accepted as a no-op)
    if what == "group":
        assert "lost-delete" not in after
    else:
        assert after in ("TERMINATING", "TERMINATED")


def test_a_retried_delete_of_something_that_never_existed_still_fails(faulty):
    """A 404 settles a retried delete only after an attempt that may have been carried out (not a 429)."""
    emu, session = faulty
    seen = fail_first(emu, session, "delete_group", kind="429")

    async def go():
        await idsvc.delete_group(session, "ocid1.group.oc1..doesnotexist")
    with pytest.raises(OciError) as e:
        asyncio.run(go())
    assert len(seen) == 2 and e.value.status == 404 and not isinstance(e.value, OutcomeUnknown)


def test_a_mutation_that_cannot_be_retried_says_it_may_have_happened(faulty):
    emu, session = faulty

    async def go():
        users = await idsvc.list_users(session, session.tenancy_id)
        g = await idsvc.create_group(session, M_ID.CreateGroupDetails(
            compartment_id=session.tenancy_id, name="lost-add", description="x"), str(uuid.uuid4()))
        emu.core.faults.configure(FaultConfig(rate=1.0, mix={"lost": 1.0}, operations=["add_user_to_group"]))
        details = M_ID.AddUserToGroupDetails(user_id=users[0].id, group_id=g.id)
        with pytest.raises(OutcomeUnknown) as lost:
            await session.call("identity", "add_user_to_group", details)  # no retry token: sent once
        emu.core.faults.configure(FaultConfig(rate=1.0, mix={"503": 1.0}, operations=["add_user_to_group"]))
        with pytest.raises(OciError) as refused:
            await session.call("identity", "add_user_to_group", details)
        emu.core.faults.configure(FaultConfig())
        members = await session.data("identity", "list_user_group_memberships", session.tenancy_id, group_id=g.id)
        return lost.value, refused.value, members
    lost, refused, members = asyncio.run(go())
    assert "may have been carried out" in lost.message and lost.code == "ConnectionError"
    assert len(members) == 1  # it was
    assert refused.status == 503 and not isinstance(refused, OutcomeUnknown)  # 503: nothing was done


def test_a_create_whose_every_answer_was_lost_is_reported_as_may_have_happened(faulty):
    emu, session = faulty

    async def go():
        dev = await _development(session)
        # the first answer is lost (the VCN is created), the retries meet resets (a replay is never lost)
        seen = fail_first(emu, session, "create_vcn")
        session.on_call(lambda _s, m: len(seen) == 2 and emu.core.faults.configure(
            FaultConfig(rate=1.0, mix={"reset": 1.0}, operations=["create_vcn"])))
        with pytest.raises(OutcomeUnknown) as e:
            await nsvc.create_vcn(session, M_CORE.CreateVcnDetails(
                compartment_id=dev.id, cidr_block="172.30.0.0/16", display_name="all-lost"), str(uuid.uuid4()))
        emu.core.faults.configure(FaultConfig())
        return e.value, dev.id
    err, dev_id = asyncio.run(go())
    vn = oci.core.VirtualNetworkClient(emu.client_config(), service_endpoint=emu.endpoint("core"))
    names = [v.display_name for v in vn.list_vcns(dev_id).data]
    assert "may have been carried out" in err.message
    assert names.count("all-lost") == 1  # created once, although three requests were sent


def test_a_refused_connection_is_a_plain_failure(tmp_path):
    """Nothing was sent when the connection is refused: no "may have happened"."""
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nobody listens there
    emu = make_emulator(tmp_path)
    cfg = emu.client_config()
    emu.stop()
    session = Session(connection_for_emulator(cfg, f"http://127.0.0.1:{port}"))
    try:
        with pytest.raises(OciError) as e:
            asyncio.run(session.call("identity", "update_compartment", cfg["tenancy"],
                                     M_ID.UpdateCompartmentDetails(description="x")))
    finally:
        session.close()
    assert e.value.kind == "connection" and not isinstance(e.value, OutcomeUnknown)
