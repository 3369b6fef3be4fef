"""A scripted session of hundreds of operations through the service layer while the emulator
injects 20% faults (429, 500, 503, connection resets, and responses lost after the change was
committed). Every operation must end — succeeded, or a clear OciError — nothing twice, nothing
hanging, and one failing service must not hold up the others."""

from __future__ import annotations

import asyncio
import collections
import random
import uuid

import oci
import pytest

from ociconsole import catalog
from ociconsole.catalog import execute
from ociconsole.core.connection import connection_for_emulator
from ociconsole.core.errors import OciError
from ociconsole.core.operations import OperationLog
from ociconsole.emulator.faults import FaultConfig
from ociconsole.services import compute as csvc
from ociconsole.services import identity as idsvc
from ociconsole.services import network as nsvc
from ociconsole.services.runtime import Session

from ..conftest import make_emulator

OPS_TIMEOUT = 60.0
M_ID, M_CORE = oci.identity.models, oci.core.models


@pytest.fixture
def faulty(tmp_path):
    emu = make_emulator(tmp_path, strict=False)
    session = Session(connection_for_emulator(emu.client_config(), emu.base_url))
    yield emu, session
    session.close()
    emu.stop()


async def _prepare(session):
    tree = await idsvc.compartment_tree(session)
    comps = {c.name: c for cs in tree.values() for c in cs}
    dev = comps["Development"]
    vcn = next(v for v in await nsvc.list_vcns(session, dev.id) if v.display_name == "dev-vcn")
    subnet = next(s for s in await nsvc.list_subnets(session, dev.id, vcn.id) if s.display_name == "dev-vcn-private")
    ads = await idsvc.list_availability_domains(session)
    images = await csvc.list_images(session, dev.id, shape="VM.Standard.E4.Flex", operating_system="Oracle Linux")
    return comps, dev, subnet, ads[0].name, images[0].id


def _script(rng: random.Random, n: int) -> list[str]:
    weights = {
        "list_tree": 6, "list_instances": 10, "list_vcns": 6, "get_instance": 8, "list_users": 3,
        "list_policies": 3, "create_compartment": 8, "create_vcn": 6, "create_group": 5, "launch": 5,
        "stop_start": 6, "update_compartment": 5, "delete_created": 6, "list_subnets": 4,
    }
    kinds = list(weights)
    return rng.choices(kinds, weights=[weights[k] for k in kinds], k=n)


async def _run_session(session, n_ops: int, seed: int = 7):
    rng = random.Random(seed)
    comps, dev, subnet, ad, image = await _prepare(session)
    comp_list = list(comps.values())
    log = OperationLog()
    created: dict[str, list[str]] = collections.defaultdict(list)  # kind -> names we asked to create
    made_ids: dict[str, list[str]] = collections.defaultdict(list)  # kind -> ids that came back
    outcomes = collections.Counter()
    errors: collections.Counter = collections.Counter()
    unclear: list[str] = []
    instance_kind = catalog.kind("compute.instance")
    inst_ids = [i.id for c in comp_list for i in await csvc.list_instances(session, c.id)
                if i.lifecycle_state == "RUNNING"]

    async def one(i: int, what: str):
        token = str(uuid.uuid4())
        name = f"fs-{what}-{i}"
        if what == "list_tree":
            await idsvc.compartment_tree(session)
        elif what == "list_instances":
            await csvc.list_instances(session, rng.choice(comp_list).id)
        elif what == "list_vcns":
            await nsvc.list_vcns(session, rng.choice(comp_list).id)
        elif what == "list_subnets":
            await nsvc.list_subnets(session, dev.id)
        elif what == "get_instance":
            await csvc.get_instance(session, rng.choice(inst_ids))
        elif what == "list_users":
            await idsvc.list_users(session, session.tenancy_id)
        elif what == "list_policies":
            await idsvc.list_policies(session, session.tenancy_id)
        elif what == "create_compartment":
            created["compartment"].append(name)
            c = await idsvc.create_compartment(session, M_ID.CreateCompartmentDetails(
                compartment_id=dev.id, name=name, description="fault session"), token)
            made_ids["compartment"].append(c.id)
        elif what == "create_vcn":
            created["vcn"].append(name)
            v = await nsvc.create_vcn(session, M_CORE.CreateVcnDetails(
                compartment_id=dev.id, cidr_block=f"172.{16 + i % 16}.0.0/16", display_name=name), token)
            made_ids["vcn"].append(v.id)
        elif what == "create_group":
            created["group"].append(name)
            g = await idsvc.create_group(session, M_ID.CreateGroupDetails(
                compartment_id=session.tenancy_id, name=name, description="fault session"), token)
            made_ids["group"].append(g.id)
        elif what == "launch":
            created["instance"].append(name)
            inst, _wr = await csvc.launch_instance(session, M_CORE.LaunchInstanceDetails(
                compartment_id=dev.id, availability_domain=ad, shape="VM.Standard.E4.Flex", display_name=name,
                shape_config=M_CORE.LaunchInstanceShapeConfigDetails(ocpus=1, memory_in_gbs=8),
                source_details=M_CORE.InstanceSourceViaImageDetails(image_id=image),
                create_vnic_details=M_CORE.CreateVnicDetails(subnet_id=subnet.id, assign_public_ip=False)), token)
            made_ids["instance"].append(inst.id)
        elif what == "stop_start":
            inst = await csvc.get_instance(session, rng.choice(inst_ids))
            action = instance_kind.action("stop" if inst.lifecycle_state == "RUNNING" else "start")
            if action.allowed(inst.lifecycle_state):
                op = await execute.run_action(session, log, instance_kind, action, inst)
                if op.error is not None:
                    raise op.error
        elif what == "update_compartment":
            target = rng.choice(made_ids["compartment"] or [dev.id])
            await session.call("identity", "update_compartment", target,
                               M_ID.UpdateCompartmentDetails(description=f"updated {i}"))
        elif what == "delete_created":
            if made_ids["group"]:
                await idsvc.delete_group(session, made_ids["group"].pop(0))
            else:
                await idsvc.list_groups(session, session.tenancy_id)

    async def guarded(i: int, what: str):
        try:
            await asyncio.wait_for(one(i, what), OPS_TIMEOUT)
            outcomes["succeeded"] += 1
        except asyncio.TimeoutError:
            outcomes["hung"] += 1
        except OciError as e:
            outcomes["failed with a clear error"] += 1
            errors[e.code or "?"] += 1
            if not (e.code and e.message):
                unclear.append(repr(e))
        except Exception as e:  # noqa: BLE001 - anything else is a bug the test must show
            outcomes["unexpected exception"] += 1
            unclear.append(f"{what}: {type(e).__name__}: {e}")

    script = _script(rng, n_ops)
    sem = asyncio.Semaphore(4)

    async def limited(i, what):
        async with sem:
            await guarded(i, what)
    await asyncio.gather(*(limited(i, w) for i, w in enumerate(script)))
    return outcomes, errors, unclear, created


def test_two_hundred_operations_under_twenty_percent_faults(faulty):
    emu, session = faulty
    emu.core.faults.configure(FaultConfig(rate=0.2, seed=42))  # all five kinds, equal weights
    outcomes, errors, unclear, created = asyncio.run(_run_session(session, 240))
    injected = dict(emu.core.faults.counts)
    emu.core.faults.configure(FaultConfig())  # check the result without faults

    cfg = emu.client_config()
    idc = oci.identity.IdentityClient(cfg, service_endpoint=emu.endpoint("identity"))
    vn = oci.core.VirtualNetworkClient(cfg, service_endpoint=emu.endpoint("core"))
    cc = oci.core.ComputeClient(cfg, service_endpoint=emu.endpoint("core"))
    dev = next(c for c in oci.pagination.list_call_get_all_results(
        idc.list_compartments, cfg["tenancy"], compartment_id_in_subtree=True).data if c.name == "Development")
    names = collections.Counter()
    names.update(c.name for c in oci.pagination.list_call_get_all_results(idc.list_compartments, dev.id).data)
    names.update(v.display_name for v in oci.pagination.list_call_get_all_results(vn.list_vcns, dev.id).data)
    names.update(g.name for g in oci.pagination.list_call_get_all_results(idc.list_groups, cfg["tenancy"]).data)
    names.update(i.display_name for i in oci.pagination.list_call_get_all_results(cc.list_instances, dev.id).data)
    asked = [n for ns in created.values() for n in ns]
    duplicates = {n: names[n] for n in asked if names[n] > 1}

    total = sum(outcomes.values())
    print(f"\nfault session: {total} operations, {session.calls} SDK requests, faults injected {injected} "
          f"(total {sum(injected.values())}), outcomes {dict(outcomes)}, error codes {dict(errors)}, "
          f"creates asked {len(asked)}, duplicates {len(duplicates)}, hangs {outcomes['hung']}")
    assert total == 240
    assert sum(injected.values()) >= 40, injected
    assert all(injected[k] > 0 for k in ("429", "500", "503", "reset", "lost")), injected
    assert not unclear, unclear
    assert outcomes["hung"] == 0
    assert outcomes["unexpected exception"] == 0
    assert not duplicates, duplicates
    assert outcomes["succeeded"] >= 0.75 * total, outcomes  # reads and token-carrying creates are retried


def test_a_failing_service_does_not_hold_up_the_others(faulty):
    emu, session = faulty
    emu.core.faults.configure(FaultConfig(rate=1.0, mix={"reset": 1.0}, services=["identity"]))

    async def scenario():
        comp = session.tenancy_id
        results = await asyncio.gather(
            *(idsvc.list_users(session, comp) for _ in range(6)),
            *(csvc.list_shapes(session, comp) for _ in range(6)),
            *(nsvc.list_vcns(session, comp) for _ in range(6)),
            return_exceptions=True)
        return results
    results = asyncio.run(scenario())
    identity, compute_network = results[:6], results[6:]
    assert all(isinstance(r, OciError) and r.kind == "connection" for r in identity), identity
    assert all(isinstance(r, list) for r in compute_network), compute_network
    assert not session.health["identity"].reachable
    assert session.health["compute"].reachable and session.health["network"].reachable
