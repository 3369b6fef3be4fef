"""A scripted session of hundreds of operations through the service layer while the emulator
injects 20% faults (429, 500, 503, connection resets, and responses lost after the change was
committed). Every operation must end — succeeded, or a clear OciError — nothing twice, nothing
hanging, and one failing or slow service must not hold up the others. Every mutation's outcome
is checked against the emulator's final state: a success took effect (creates exactly once), a
failure did not, unless it was reported as OutcomeUnknown ("may have been carried out")."""

from __future__ import annotations

import asyncio
import collections
import random
import time
import uuid

import oci

from ociconsole import catalog
from ociconsole.catalog import execute
from ociconsole.core.errors import OciError
from ociconsole.core.operations import OperationLog
from ociconsole.emulator.faults import FaultConfig
from ociconsole.services import compute as csvc
from ociconsole.services import identity as idsvc
from ociconsole.services import network as nsvc
from ociconsole.services.runtime import OutcomeUnknown

OPS_TIMEOUT = 60.0
M_ID, M_CORE = oci.identity.models, oci.core.models


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
    mutations: list[dict] = []  # what each mutation asked for and how it was reported
    instance_kind = catalog.kind("compute.instance")
    inst_ids = [i.id for c in comp_list for i in await csvc.list_instances(session, c.id)
                if i.lifecycle_state == "RUNNING"]
    inst_locks = {i: asyncio.Lock() for i in inst_ids}  # one action at a time per instance: outcomes attributable

    async def mutate(record: dict, coro):
        """Await a mutation and record how it was reported: succeeded, failed, or unknown."""
        try:
            result = await coro
        except OutcomeUnknown:
            record["outcome"] = "unknown"
            raise
        except OciError:
            record["outcome"] = "failed"
            raise
        finally:
            mutations.append(record)
        record["outcome"] = "succeeded"
        return result

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
            c = await mutate({"what": "create", "name": name}, idsvc.create_compartment(
                session, M_ID.CreateCompartmentDetails(compartment_id=dev.id, name=name,
                                                       description="fault session"), token))
            made_ids["compartment"].append(c.id)
        elif what == "create_vcn":
            created["vcn"].append(name)
            v = await mutate({"what": "create", "name": name}, nsvc.create_vcn(session, M_CORE.CreateVcnDetails(
                compartment_id=dev.id, cidr_block=f"172.{16 + i % 16}.0.0/16", display_name=name), token))
            made_ids["vcn"].append(v.id)
        elif what == "create_group":
            created["group"].append(name)
            g = await mutate({"what": "create", "name": name}, idsvc.create_group(session, M_ID.CreateGroupDetails(
                compartment_id=session.tenancy_id, name=name, description="fault session"), token))
            made_ids["group"].append((g.id, name))
        elif what == "launch":
            created["instance"].append(name)
            inst, _wr = await mutate({"what": "create", "name": name}, csvc.launch_instance(
                session, M_CORE.LaunchInstanceDetails(
                    compartment_id=dev.id, availability_domain=ad, shape="VM.Standard.E4.Flex", display_name=name,
                    shape_config=M_CORE.LaunchInstanceShapeConfigDetails(ocpus=1, memory_in_gbs=8),
                    source_details=M_CORE.InstanceSourceViaImageDetails(image_id=image),
                    create_vnic_details=M_CORE.CreateVnicDetails(subnet_id=subnet.id, assign_public_ip=False)),
                token))
            made_ids["instance"].append(inst.id)
        elif what == "stop_start":
            inst_id = rng.choice(inst_ids)
            async with inst_locks[inst_id]:
                inst = await csvc.get_instance(session, inst_id)
                stop = inst.lifecycle_state == "RUNNING"
                action = instance_kind.action("stop" if stop else "start")
                if action.allowed(inst.lifecycle_state):
                    record = {"what": "action", "id": inst_id, "t0": time.time(),
                              "enters": {"STOPPING", "STOPPED"} if stop else {"STARTING", "RUNNING"}}
                    op = await execute.run_action(session, log, instance_kind, action, inst)
                    record["t1"] = time.time()
                    e = op.error
                    if e is None:
                        record["outcome"] = "succeeded"
                    elif e.operation != "instance_action":
                        record["outcome"] = "succeeded"  # the request was accepted; following it failed
                        record["tracking_failed"] = True
                    else:
                        record["outcome"] = "unknown" if isinstance(e, OutcomeUnknown) else "failed"
                    mutations.append(record)
                    if e is not None:
                        raise e
        elif what == "update_compartment":
            target = rng.choice(made_ids["compartment"] or [dev.id])
            await mutate({"what": "update", "id": target, "description": f"updated {i}"},
                         session.call("identity", "update_compartment", target,
                                      M_ID.UpdateCompartmentDetails(description=f"updated {i}")))
        elif what == "delete_created":
            if made_ids["group"]:
                gid, gname = made_ids["group"].pop(0)
                await mutate({"what": "delete", "id": gid, "name": gname}, idsvc.delete_group(session, gid))
            else:
                await idsvc.list_groups(session, session.tenancy_id)

    async def guarded(i: int, what: str):
        try:
            await asyncio.wait_for(one(i, what), OPS_TIMEOUT)
            outcomes["succeeded"] += 1
        except TimeoutError:
            outcomes["hung"] += 1
        except OutcomeUnknown as e:
            outcomes["failed, reported as may have happened"] += 1
            errors[e.code or "?"] += 1
            if not (e.code and "may have been carried out" in e.message):
                unclear.append(repr(e))
        except OciError as e:
            outcomes["failed with a clear error"] += 1
            errors[e.code or "?"] += 1
            if not (e.code and e.message):
                unclear.append(repr(e))
        except Exception as e:
            outcomes["unexpected exception"] += 1
            unclear.append(f"{what}: {type(e).__name__}: {e}")

    script = _script(rng, n_ops)
    sem = asyncio.Semaphore(4)

    async def limited(i, what):
        async with sem:
            await guarded(i, what)
    await asyncio.gather(*(limited(i, w) for i, w in enumerate(script)))
    return outcomes, errors, unclear, created, mutations


def verify(emu, names: collections.Counter, descriptions: dict[str, str], mutations: list[dict]):
    """Check each mutation's report against the final state. Returns (counts, violations)."""
    counts: collections.Counter = collections.Counter()
    violations: list[str] = []
    deleted = {m["name"]: m["outcome"] for m in mutations if m["what"] == "delete"}
    failed_updates = collections.defaultdict(set)
    # an action's window: from its request to half a second after its outcome (a request the service carried
    # out late), cut at the next action on the same instance (actions on one instance are serialized)
    until: dict[int, float] = {}
    actions = sorted((m for m in mutations if m["what"] == "action"), key=lambda m: (m["id"], m["t0"]))
    for m, after in zip(actions, actions[1:] + [None], strict=True):
        nxt = after["t0"] if after is not None and after["id"] == m["id"] else float("inf")
        until[id(m)] = min(m["t1"] + 0.5, nxt)
    for m in mutations:
        if m["what"] == "update" and m["outcome"] == "failed":
            failed_updates[m["id"]].add(m["description"])
    for m in mutations:
        outcome = m["outcome"]
        if m["what"] == "create":
            n = names[m["name"]]
            gone = deleted.get(m["name"])  # a created group deleted later in the session
            if outcome == "succeeded":
                ok = n == 1 if gone in (None, "failed") else (n == 0 if gone == "succeeded" else n <= 1)
                happened = True
            else:
                ok = n == 0 if outcome == "failed" else n <= 1
                happened = n > 0
        elif m["what"] == "delete":
            n = names[m["name"]]
            happened = n == 0
            ok = happened if outcome == "succeeded" else (not happened if outcome == "failed" else True)
        elif m["what"] == "action":
            doc = emu.core.store.get("instance", m["id"])
            history = (doc or {}).get("_stateHistory") or []
            happened = any(t is not None and m["t0"] <= t < until[id(m)] and st in m["enters"]
                           for t, st in history)
            ok = happened if outcome == "succeeded" else (not happened if outcome == "failed" else True)
        else:  # update: a failed one's description never became the compartment's
            happened = descriptions.get(m["id"]) == m["description"]
            ok = not (outcome == "failed" and happened)
        if outcome == "succeeded":
            counts["succeeded, verified done" if ok else "succeeded, NOT done"] += 1
        elif outcome == "failed":
            counts["failed, verified not done" if ok else "failed, but DONE"] += 1
        else:
            counts["reported may have happened"] += 1
            counts["  of which happened"] += int(happened)
        if m.get("tracking_failed"):
            counts["action accepted, tracking failed"] += 1
        if not ok:
            violations.append(f"{m['what']} {m.get('name') or m.get('id')}: reported {outcome}, "
                              f"{'took effect' if happened else 'did not take effect'}")
    return counts, violations


def test_two_hundred_operations_under_twenty_percent_faults(faulty):
    emu, session = faulty
    emu.core.faults.configure(FaultConfig(rate=0.2, seed=42))  # all five kinds, equal weights
    outcomes, errors, unclear, created, mutations = asyncio.run(_run_session(session, 240))
    injected = dict(emu.core.faults.counts)
    emu.core.faults.configure(FaultConfig())  # check the result without faults

    cfg = emu.client_config()
    idc = oci.identity.IdentityClient(cfg, service_endpoint=emu.endpoint("identity"))
    vn = oci.core.VirtualNetworkClient(cfg, service_endpoint=emu.endpoint("core"))
    cc = oci.core.ComputeClient(cfg, service_endpoint=emu.endpoint("core"))
    comps = oci.pagination.list_call_get_all_results(idc.list_compartments, cfg["tenancy"],
                                                     compartment_id_in_subtree=True).data
    dev = next(c for c in comps if c.name == "Development")
    descriptions = {c.id: c.description for c in comps}
    names = collections.Counter()
    names.update(c.name for c in oci.pagination.list_call_get_all_results(idc.list_compartments, dev.id).data)
    names.update(v.display_name for v in oci.pagination.list_call_get_all_results(vn.list_vcns, dev.id).data)
    names.update(g.name for g in oci.pagination.list_call_get_all_results(idc.list_groups, cfg["tenancy"]).data)
    names.update(i.display_name for i in oci.pagination.list_call_get_all_results(cc.list_instances, dev.id).data)
    asked = [n for ns in created.values() for n in ns]
    duplicates = {n: names[n] for n in asked if names[n] > 1}
    checked, violations = verify(emu, names, descriptions, mutations)

    total = sum(outcomes.values())
    print(f"\nfault session: {total} operations, {session.calls} SDK requests, faults injected {injected} "
          f"(total {sum(injected.values())}), outcomes {dict(outcomes)}, error codes {dict(errors)}, "
          f"creates asked {len(asked)}, duplicates {len(duplicates)}, hangs {outcomes['hung']}; "
          f"{len(mutations)} mutations checked against the final state: {dict(checked)}")
    assert total == 240
    assert sum(injected.values()) >= 40, injected
    assert all(injected[k] > 0 for k in ("429", "500", "503", "reset", "lost")), injected
    assert not unclear, unclear
    assert outcomes["hung"] == 0
    assert outcomes["unexpected exception"] == 0
    assert not duplicates, duplicates
    assert not violations, violations
    assert len(mutations) >= 60, len(mutations)
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


def test_a_slow_service_does_not_hold_up_the_others(faulty):
    """Identity answers only after seconds (the emulator's latency for that service alone) while ten
    of its calls are in flight, more than the pool has workers: compute and network still answer at once."""
    emu, session = faulty
    slow = 3.0
    emu.core.faults.update({"latency_ms": slow * 1000, "latency_services": ["identity"]})

    async def timed(coro):
        t = time.monotonic()
        result = await coro
        return result, time.monotonic() - t

    async def scenario():
        comp = session.tenancy_id
        await session.prefetch(["compute", "network"])  # SDK imports are not what is measured
        users = [asyncio.ensure_future(timed(idsvc.list_users(session, comp))) for _ in range(10)]
        await asyncio.sleep(0.2)  # identity's calls now hold every worker it may have
        others = await asyncio.gather(timed(csvc.list_shapes(session, comp)), timed(nsvc.list_vcns(session, comp)))
        return others, await asyncio.gather(*users)
    others, users = asyncio.run(scenario())
    waits = [round(t, 2) for _r, t in others]
    print(f"\nslow service: identity {slow:g} s per call, 10 in flight ({session.per_service} may run at once "
          f"of {session.pool._max_workers} workers); list_shapes and list_vcns answered in {waits} s; "
          f"identity calls took {min(t for _r, t in users):.1f}-{max(t for _r, t in users):.1f} s")
    assert all(isinstance(r, list) for r, _t in others) and others[0][0]  # shapes listed
    assert max(waits) < 1.0, waits
    assert all(isinstance(r, list) for r, _t in users)
    assert session.per_service < session.pool._max_workers
