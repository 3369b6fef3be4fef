"""Latency and fault injection: OCI errors that change nothing, resets, and lost responses that do."""

from __future__ import annotations

import time

import oci
import pytest
from oci._vendor import requests

from ociconsole.emulator.faults import FaultConfig

from .helpers import IM, Clients, launch_details, unique

# what the SDK raises when the connection drops without a response
CONNECTION_ERRORS = (oci.exceptions.RequestException, requests.exceptions.ConnectionError)


def _create(clients, name: str, **kw):
    return clients.identity.create_compartment(
        IM.CreateCompartmentDetails(compartment_id=clients.tenancy, name=name, description="d"), **kw)


def _names(clients) -> set[str]:
    return {c.name for c in clients.identity.list_compartments(clients.tenancy).data}


def _only(emulator, kind: str, operations=("create_compartment",), **kw) -> None:
    emulator.core.faults.configure(FaultConfig(rate=1.0, mix={kind: 1.0}, operations=list(operations), **kw))


@pytest.mark.parametrize("kind, code", [("429", "TooManyRequests"), ("500", "InternalServerError"),
                                        ("503", "ServiceUnavailable")])
def test_error_faults_answer_like_oci_and_change_nothing(emulator, clients, kind, code):
    _only(emulator, kind)
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        _create(clients, f"fault-{kind}")
    assert (ei.value.status, ei.value.code) == (int(kind), code)
    assert ei.value.request_id
    assert emulator.core.faults.counts[kind] == 1
    emulator.core.faults.configure(FaultConfig())
    assert f"fault-{kind}" not in _names(clients)


def test_reset_drops_the_connection_before_anything_happens(emulator, clients):
    _only(emulator, "reset")
    with pytest.raises(CONNECTION_ERRORS):
        _create(clients, "reset-victim", opc_retry_token="reset-token")
    emulator.core.faults.configure(FaultConfig())
    assert "reset-victim" not in _names(clients)
    # nothing was recorded for the token either: the retry creates it now
    created = _create(clients, "reset-victim", opc_retry_token="reset-token").data
    assert created.name == "reset-victim"


def test_lost_response_commits_and_the_retry_token_recovers_it(emulator, clients):
    _only(emulator, "lost")
    with pytest.raises(CONNECTION_ERRORS):
        _create(clients, "lost-but-made", opc_retry_token="lost-token")
    emulator.core.faults.configure(FaultConfig())
    made = [c for c in clients.identity.list_compartments(clients.tenancy).data if c.name == "lost-but-made"]
    assert len(made) == 1, "a lost response still commits the change"
    retried = _create(clients, "lost-but-made", opc_retry_token="lost-token")
    assert retried.status == 200 and retried.data.id == made[0].id
    assert [c.name for c in clients.identity.list_compartments(clients.tenancy).data].count("lost-but-made") == 1


def test_lost_launch_with_retry_token_yields_one_instance(emulator, clients, net):
    details = launch_details(net, display_name="lost-launch")
    _only(emulator, "lost", operations=["launch_instance"])
    with pytest.raises(CONNECTION_ERRORS):
        clients.compute.launch_instance(details, opc_retry_token="lost-launch-token")
    emulator.core.faults.configure(FaultConfig())
    inst = clients.compute.launch_instance(details, opc_retry_token="lost-launch-token").data
    listed = clients.compute.list_instances(net.compartment_id, display_name="lost-launch").data
    assert [i.id for i in listed] == [inst.id]


def test_faults_are_limited_to_services_and_operations(emulator, clients, net):
    emulator.core.faults.configure(FaultConfig(rate=1.0, mix={"503": 1.0}, services=["core"]))
    assert _create(clients, unique("identity-unaffected")).status == 200
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.network.get_vcn(net.vcn_id)
    assert ei.value.status == 503
    emulator.core.faults.configure(FaultConfig(rate=1.0, mix={"503": 1.0}, operations=["list_vcns"]))
    assert clients.network.get_vcn(net.vcn_id).data.id == net.vcn_id
    with pytest.raises(oci.exceptions.ServiceError):
        clients.network.list_vcns(net.compartment_id)


def test_fault_rate_is_a_share_of_requests(emulator, clients):
    emulator.core.faults.configure(FaultConfig(rate=0.5, mix={"503": 1.0}, seed=7))
    outcomes = []
    for _ in range(60):
        try:
            clients.identity.list_regions()
            outcomes.append(200)
        except oci.exceptions.ServiceError as e:
            outcomes.append(e.status)
    assert set(outcomes) == {200, 503}
    assert 10 <= outcomes.count(503) <= 50
    assert emulator.core.faults.counts["503"] == outcomes.count(503)


def test_sdk_retry_strategy_rides_over_transient_faults(emulator, oci_config):
    """With its retry strategy the SDK sees through 503s and resets (the emulator is a fair test double)."""
    emulator.core.faults.configure(FaultConfig(rate=0.5, mix={"503": 1.0, "reset": 1.0}, seed=3,
                                               operations=["list_regions"]))
    strategy = oci.retry.RetryStrategyBuilder(max_attempts=10, retry_max_wait_between_calls_seconds=0.01,
                                              retry_base_sleep_time_seconds=0.001).get_retry_strategy()
    c = Clients(emulator, oci_config, retry_strategy=strategy)
    for _ in range(5):
        assert c.identity.list_regions().status == 200
    assert emulator.core.faults.counts["503"] + emulator.core.faults.counts["reset"] > 0


def test_latency_is_added_and_configurable(emulator, clients):
    faults = emulator.core.faults
    faults.configure(FaultConfig(latency_ms=150, jitter_ms=0))
    assert faults.as_dict()["latency_ms"] == 150
    t0 = time.monotonic()
    clients.identity.list_regions()
    assert time.monotonic() - t0 >= 0.14
    faults.configure(FaultConfig(latency_ms=100, jitter_ms=50, seed=1))
    assert all(0.05 <= faults.delay("identity", "list_regions") <= 0.15 for _ in range(50))
    faults.configure(FaultConfig())
    assert faults.delay("identity", "list_regions") == 0.0


def test_fault_config_is_validated():
    with pytest.raises(ValueError):
        FaultConfig(rate=1.5).validate()
    with pytest.raises(ValueError):
        FaultConfig(mix={"404": 1.0}).validate()
    with pytest.raises(ValueError):
        FaultConfig(latency_ms=-1).validate()


def test_faults_through_the_signed_admin_api(emulator, clients, raw):
    url = emulator.base_url + "/_emulator/faults"
    settings = {"rate": 1.0, "mix": {"503": 1.0}, "operations": ["list_vcns"], "latency_ms": 5, "seed": 11}
    put = raw.put(url, json=settings)
    assert put.status_code == 200, put.text
    got = raw.get(url).json()
    assert {k: got[k] for k in settings} == settings
    assert got["injected"]["503"] == 0
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.network.list_vcns(clients.tenancy)
    assert ei.value.status == 503
    assert raw.get(url).json()["injected"]["503"] == 1
    # bad settings are a 400 and change nothing
    bad = raw.put(url, json={"rate": 2})
    assert bad.status_code == 400 and bad.json()["code"] == "InvalidParameter"
    bad = raw.put(url, json={"flakiness": 1})
    assert bad.status_code == 400 and "flakiness" in bad.json()["message"]
    assert raw.get(url).json()["rate"] == 1.0
    assert raw.put(url, json={"rate": 0}).json()["rate"] == 0
    assert clients.network.list_vcns(clients.tenancy).data == []
    # the admin API itself is never faulted
    raw.put(url, json={"rate": 1.0, "mix": {"reset": 1.0}, "operations": None})
    assert raw.get(url).status_code == 200
    raw.put(url, json={"rate": 0})


def test_faults_come_before_authentication(emulator, clients, net):
    """Faults are decided before authentication, as a load balancer in front of OCI would fail."""
    _only(emulator, "429", operations=["get_vcn"])
    bogus = Clients(emulator, dict(clients.config, fingerprint="00:" * 15 + "00"))
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        bogus.network.get_vcn(net.vcn_id)
    assert ei.value.status == 429
    emulator.core.faults.configure(FaultConfig())
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        bogus.network.get_vcn(net.vcn_id)
    assert ei.value.status == 401
    assert clients.network.get_vcn(net.vcn_id).data.lifecycle_state == "AVAILABLE"
