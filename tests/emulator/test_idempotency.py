"""opc-retry-token idempotency and etag / if-match optimistic concurrency."""

from __future__ import annotations

import oci
import pytest

from .helpers import IM, M, launch_details, launch_running, unique, wait_state


def _compartments_named(clients, name: str) -> list:
    return [c for c in clients.identity.list_compartments(clients.tenancy).data if c.name == name]


# ---------------------------------------------------------------- retry tokens

def test_same_retry_token_and_body_returns_the_same_resource(clients):
    details = IM.CreateCompartmentDetails(compartment_id=clients.tenancy, name="once", description="d")
    first = clients.identity.create_compartment(details, opc_retry_token="token-once-1")
    second = clients.identity.create_compartment(details, opc_retry_token="token-once-1")
    assert first.data.id == second.data.id
    assert second.status == first.status == 200
    assert second.request_id != first.request_id, "a replay is still a new request"
    assert len(_compartments_named(clients, "once")) == 1


def test_same_retry_token_with_another_body_is_409(clients):
    t = clients.tenancy
    clients.identity.create_compartment(IM.CreateCompartmentDetails(compartment_id=t, name="first", description="d"),
                                        opc_retry_token="token-reused")
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.identity.create_compartment(
            IM.CreateCompartmentDetails(compartment_id=t, name="second", description="d"),
            opc_retry_token="token-reused")
    assert (ei.value.status, ei.value.code) == (409, "Conflict")
    assert "retry-token" in ei.value.message
    assert _compartments_named(clients, "second") == []


def test_retry_tokens_are_scoped_to_the_operation(clients, net):
    a = clients.identity.create_compartment(
        IM.CreateCompartmentDetails(compartment_id=clients.tenancy, name=unique("scoped"), description="d"),
        opc_retry_token="token-shared")
    b = clients.network.create_internet_gateway(
        M.CreateInternetGatewayDetails(compartment_id=net.compartment_id, vcn_id=net.vcn_id, is_enabled=True),
        opc_retry_token="token-shared")
    assert a.data.id != b.data.id and b.data.id.startswith("ocid1.internetgateway.")


def test_without_a_retry_token_each_create_is_new(clients):
    details = IM.CreateCompartmentDetails(compartment_id=clients.tenancy, name="dup", description="d")
    clients.identity.create_compartment(details)
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.identity.create_compartment(details)
    assert ei.value.status == 409  # the name is taken: a second compartment was attempted


def test_retried_launch_creates_one_instance(clients, net):
    details = launch_details(net, display_name="launched-once")
    first = clients.compute.launch_instance(details, opc_retry_token="launch-token-1")
    again = clients.compute.launch_instance(details, opc_retry_token="launch-token-1")
    assert first.data.id == again.data.id
    assert first.headers["opc-work-request-id"] == again.headers["opc-work-request-id"]
    named = clients.compute.list_instances(net.compartment_id, display_name="launched-once").data
    assert [i.id for i in named] == [first.data.id]
    vnics = clients.compute.list_vnic_attachments(net.compartment_id, instance_id=first.data.id).data
    assert len(vnics) == 1


def test_failed_request_does_not_consume_the_retry_token(clients):
    t = clients.tenancy
    bad = IM.CreateCompartmentDetails(compartment_id="ocid1.compartment.oc1..nope", name="later", description="d")
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.identity.create_compartment(bad, opc_retry_token="token-after-failure")
    assert ei.value.status == 404
    good = IM.CreateCompartmentDetails(compartment_id=t, name="later", description="d")
    created = clients.identity.create_compartment(good, opc_retry_token="token-after-failure").data
    assert created.name == "later"


# ---------------------------------------------------------------- etags

def test_get_returns_an_etag_that_changes_on_update(clients, net):
    r = clients.network.get_vcn(net.vcn_id)
    etag = r.headers.get("etag")
    assert etag
    assert clients.network.get_vcn(net.vcn_id).headers["etag"] == etag, "reads do not change the etag"
    upd = clients.network.update_vcn(net.vcn_id, M.UpdateVcnDetails(display_name="renamed"), if_match=etag)
    assert upd.data.display_name == "renamed"
    assert upd.headers["etag"] != etag
    assert clients.network.get_vcn(net.vcn_id).headers["etag"] == upd.headers["etag"]


def test_if_match_on_update(clients):
    comp = clients.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=clients.tenancy, name="etagged", description="v1"))
    etag = comp.headers["etag"]
    clients.identity.update_compartment(comp.data.id, IM.UpdateCompartmentDetails(description="v2"), if_match=etag)
    with pytest.raises(oci.exceptions.ServiceError) as ei:  # the v1 etag is stale now
        clients.identity.update_compartment(comp.data.id, IM.UpdateCompartmentDetails(description="v3"),
                                            if_match=etag)
    assert (ei.value.status, ei.value.code) == (412, "NoEtagMatch")
    assert clients.identity.get_compartment(comp.data.id).data.description == "v2"
    # "*" matches any etag
    clients.identity.update_compartment(comp.data.id, IM.UpdateCompartmentDetails(description="v4"), if_match="*")
    assert clients.identity.get_compartment(comp.data.id).data.description == "v4"


def test_if_match_on_delete(clients, net):
    igw = clients.network.create_internet_gateway(M.CreateInternetGatewayDetails(
        compartment_id=net.compartment_id, vcn_id=net.vcn_id, is_enabled=True)).data
    current = clients.network.get_internet_gateway(igw.id)
    etag = current.headers["etag"]
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.network.delete_internet_gateway(igw.id, if_match="0" * 32)
    assert (ei.value.status, ei.value.code) == (412, "NoEtagMatch")
    assert clients.network.get_internet_gateway(igw.id).data.lifecycle_state == "AVAILABLE"
    clients.network.delete_internet_gateway(igw.id, if_match=etag)
    gone = wait_state(clients.network, clients.network.get_internet_gateway, igw.id, "TERMINATED")
    assert gone.lifecycle_state == "TERMINATED"


def test_if_match_on_instance_action_and_terminate(clients, net):
    inst = launch_running(clients, net)
    etag = clients.compute.get_instance(inst.id).headers["etag"]
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.compute.instance_action(inst.id, "STOP", if_match="stale")
    assert ei.value.status == 412
    stopped = clients.compute.instance_action(inst.id, "STOP", if_match=etag)
    assert stopped.data.lifecycle_state == "STOPPING"
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.compute.terminate_instance(inst.id, if_match=etag)
    assert ei.value.status == 412
    clients.compute.terminate_instance(inst.id, if_match=clients.compute.get_instance(inst.id).headers["etag"])
    assert wait_state(clients.compute, clients.compute.get_instance, inst.id, "TERMINATED")
