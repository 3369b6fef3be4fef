"""Error paths: OCI's status and code for each, and a message that says what is wrong.

Malformed requests are sent raw on a signed `requests` session (the SDK would refuse to build
them); semantic errors go through the SDK, which must surface them as `ServiceError`.
"""

from __future__ import annotations

import oci
import pytest

from .helpers import IM, M, launch_details, launch_running, wait_state

COMPARTMENTS = "/identity/20160918/compartments"
SECURITY_LISTS = "/core/20160918/securityLists"
INSTANCES = "/core/20160918/instances"


def _err(resp, status: int, code: str) -> str:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["code"] == code, body
    assert resp.headers.get("opc-request-id"), "every response carries opc-request-id"
    return body["message"]


def _sdk_err(excinfo, status: int, code: str) -> str:
    e = excinfo.value
    assert (e.status, e.code) == (status, code), e
    assert e.request_id
    return e.message


# ---------------------------------------------------------------- 400 InvalidParameter

def test_malformed_json_is_400(emulator, raw):
    r = raw.post(emulator.base_url + COMPARTMENTS, data=b'{"name": ', headers={"content-type": "application/json"})
    assert "JSON" in _err(r, 400, "InvalidParameter")


def test_json_null_body_is_missing_not_a_crash(emulator, raw):
    r = raw.post(emulator.base_url + COMPARTMENTS, data=b"null", headers={"content-type": "application/json"})
    _err(r, 400, "MissingParameter")


def test_body_of_the_wrong_shape_is_400(emulator, raw, oci_config):
    r = raw.post(emulator.base_url + COMPARTMENTS, json=[oci_config["tenancy"]])
    assert "expected an object" in _err(r, 400, "InvalidParameter")


@pytest.mark.parametrize("field, value, expect", [
    ("name", 42, "createCompartmentDetails.name: expected a string"),
    ("description", ["x"], "createCompartmentDetails.description: expected a string"),
    ("freeformTags", "a=b", "createCompartmentDetails.freeformTags: expected an object"),
    ("freeformTags", {"k": 1}, "createCompartmentDetails.freeformTags.k: expected a string"),
])
def test_wrong_types_name_the_field(emulator, raw, oci_config, field, value, expect):
    body = {"compartmentId": oci_config["tenancy"], "name": "typed", "description": "d", field: value}
    assert expect in _err(raw.post(emulator.base_url + COMPARTMENTS, json=body), 400, "InvalidParameter")


def test_wrong_nested_types_name_the_path(emulator, raw, oci_config):
    body = {"compartmentId": oci_config["tenancy"], "availabilityDomain": "Uocm:US-ASHBURN-AD-1",
            "shape": "VM.Standard.E4.Flex", "shapeConfig": {"ocpus": "two"}}
    msg = _err(raw.post(emulator.base_url + INSTANCES, json=body), 400, "InvalidParameter")
    assert "launchInstanceDetails.shapeConfig.ocpus: expected a number" in msg
    body["shapeConfig"] = {"ocpus": True}
    msg = _err(raw.post(emulator.base_url + INSTANCES, json=body), 400, "InvalidParameter")
    assert "shapeConfig.ocpus" in msg and "boolean" in msg


def test_unknown_enum_in_body_names_the_field_and_allowed_values(emulator, raw, oci_config):
    body = {"compartmentId": oci_config["tenancy"], "vcnId": "ocid1.vcn.oc1.iad.x",
            "egressSecurityRules": [{"destination": "0.0.0.0/0", "protocol": "all", "destinationType": "EVERYWHERE"}],
            "ingressSecurityRules": []}
    msg = _err(raw.post(emulator.base_url + SECURITY_LISTS, json=body), 400, "InvalidParameter")
    assert "egressSecurityRules[0].destinationType" in msg
    assert "EVERYWHERE" in msg and "CIDR_BLOCK" in msg


def test_unknown_enum_in_nested_model_of_launch(emulator, raw, oci_config):
    body = {"compartmentId": oci_config["tenancy"], "availabilityDomain": "Uocm:US-ASHBURN-AD-1",
            "shape": "VM.Standard.E4.Flex", "launchOptions": {"firmware": "COREBOOT"}}
    msg = _err(raw.post(emulator.base_url + INSTANCES, json=body), 400, "InvalidParameter")
    assert "launchInstanceDetails.launchOptions.firmware" in msg and "COREBOOT" in msg


@pytest.mark.parametrize("param, value", [("sortBy", "SIZE"), ("sortOrder", "UP"), ("lifecycleState", "ZOMBIE")])
def test_unknown_enum_in_query_names_the_parameter(emulator, raw, oci_config, param, value):
    r = raw.get(emulator.base_url + COMPARTMENTS, params={"compartmentId": oci_config["tenancy"], param: value})
    msg = _err(r, 400, "InvalidParameter")
    assert param in msg and value in msg


@pytest.mark.parametrize("value", ["ten", "1.5", "0", "-3"])
def test_bad_limit_is_400(emulator, raw, oci_config, value):
    r = raw.get(emulator.base_url + COMPARTMENTS, params={"compartmentId": oci_config["tenancy"], "limit": value})
    assert "limit" in _err(r, 400, "InvalidParameter")


def test_bad_boolean_query_is_400(emulator, raw, oci_config):
    r = raw.get(emulator.base_url + COMPARTMENTS,
                params={"compartmentId": oci_config["tenancy"], "compartmentIdInSubtree": "yes"})
    assert "compartmentIdInSubtree" in _err(r, 400, "InvalidParameter")


def test_unknown_fields_are_named(emulator, raw, oci_config):
    body = {"compartmentId": oci_config["tenancy"], "name": "x", "description": "d", "colour": "blue"}
    msg = _err(raw.post(emulator.base_url + COMPARTMENTS, json=body), 400, "InvalidParameter")
    assert "unknown field 'colour'" in msg
    # snake_case is the SDK's Python name, not the wire name: OCI rejects it
    body = {"compartment_id": oci_config["tenancy"], "name": "x", "description": "d"}
    msg = _err(raw.post(emulator.base_url + COMPARTMENTS, json=body), 400, "InvalidParameter")
    assert "compartment_id" in msg
    nested = {"compartmentId": oci_config["tenancy"], "availabilityDomain": "Uocm:US-ASHBURN-AD-1",
              "shape": "VM.Standard.E4.Flex", "shapeConfig": {"ocpus": 1, "turbo": True}}
    msg = _err(raw.post(emulator.base_url + INSTANCES, json=nested), 400, "InvalidParameter")
    assert "launchInstanceDetails.shapeConfig" in msg and "'turbo'" in msg


def test_semantic_validation_names_the_field(clients, net):
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.network.create_vcn(M.CreateVcnDetails(compartment_id=net.compartment_id, cidr_block="10.0.0.1/16"))
    assert "host bits" in _sdk_err(ei, 400, "InvalidParameter")
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.compute.launch_instance(launch_details(net, availability_domain="Uocm:MARS-AD-1"))
    assert "availabilityDomain" in _sdk_err(ei, 400, "InvalidParameter")


# ---------------------------------------------------------------- 400 MissingParameter

def test_missing_required_body_field(emulator, raw, oci_config):
    r = raw.post(emulator.base_url + COMPARTMENTS, json={"compartmentId": oci_config["tenancy"], "description": "d"})
    assert "createCompartmentDetails.name" in _err(r, 400, "MissingParameter")


def test_missing_body(emulator, raw):
    r = raw.post(emulator.base_url + COMPARTMENTS)
    assert "CreateCompartmentDetails" in _err(r, 400, "MissingParameter")


def test_missing_required_query_parameter(emulator, raw):
    r = raw.get(emulator.base_url + COMPARTMENTS)
    assert "compartmentId" in _err(r, 400, "MissingParameter")


def test_missing_required_nested_field(emulator, raw, oci_config):
    body = {"compartmentId": oci_config["tenancy"], "availabilityDomain": "Uocm:US-ASHBURN-AD-1",
            "shape": "VM.Standard.E4.Flex", "sourceDetails": {"sourceType": "image"}}
    msg = _err(raw.post(emulator.base_url + INSTANCES, json=body), 400, "MissingParameter")
    assert "sourceDetails.imageId" in msg


# ---------------------------------------------------------------- 401, 404, 405

def test_unsigned_is_401(emulator, oci_config):
    from oci._vendor import requests
    r = requests.get(emulator.base_url + COMPARTMENTS, params={"compartmentId": oci_config["tenancy"]})
    _err(r, 401, "NotAuthenticated")


def test_unknown_ocid_is_404_through_the_sdk(clients):
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.compute.get_instance("ocid1.instance.oc1.iad.doesnotexist")
    assert "ocid1.instance.oc1.iad.doesnotexist" in _sdk_err(ei, 404, "NotAuthorizedOrNotFound")
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.network.delete_vcn("ocid1.vcn.oc1.iad.doesnotexist")
    _sdk_err(ei, 404, "NotAuthorizedOrNotFound")
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.identity.list_compartments("ocid1.compartment.oc1..doesnotexist")
    _sdk_err(ei, 404, "NotAuthorizedOrNotFound")


def test_unknown_paths_and_services_are_404(emulator, raw):
    _err(raw.get(emulator.base_url + "/core/20160918/teapots"), 404, "NotAuthorizedOrNotFound")
    _err(raw.get(emulator.base_url + "/nosuchservice/20160918/things"), 404, "NotAuthorizedOrNotFound")
    # a region the tenancy is not subscribed to
    _err(raw.get(emulator.base_url + "/ap-tokyo-1/core/20160918/vcns"), 404, "NotAuthorizedOrNotFound")


def test_resource_of_another_region_is_404(emulator, clients, oci_config):
    phx = oci.core.ComputeClient(oci_config, service_endpoint=emulator.endpoint("core", "us-phoenix-1"),
                                 signer=clients.compute.base_client.signer)
    prod = next(c for c in clients.identity.list_compartments(clients.tenancy).data if c.name == "Production")
    dr = phx.list_instances(prod.id).data
    assert [i.display_name for i in dr] == ["dr-web-01"]
    assert phx.get_instance(dr[0].id).data.region == "phx"
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.compute.get_instance(dr[0].id)
    _sdk_err(ei, 404, "NotAuthorizedOrNotFound")


def test_wrong_method_is_405(emulator, raw):
    r = raw.patch(emulator.base_url + COMPARTMENTS, json={})
    _err(r, 405, "MethodNotAllowed")


# ---------------------------------------------------------------- 409

def test_delete_vcn_with_subnets_is_409(clients, net):
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.network.delete_vcn(net.vcn_id)
    assert "test-subnet" in _sdk_err(ei, 409, "Conflict")
    assert clients.network.get_vcn(net.vcn_id).data.lifecycle_state == "AVAILABLE"


def test_delete_non_empty_compartment_is_409(clients, net):
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.identity.delete_compartment(net.compartment_id)
    e = ei.value
    assert e.status == 409 and e.code in ("CompartmentNotEmpty", "Conflict")
    assert "vcn" in e.message
    assert clients.identity.get_compartment(net.compartment_id).data.lifecycle_state == "ACTIVE"


def test_instance_actions_in_the_wrong_state(clients, net):
    inst = launch_running(clients, net)
    # START on a RUNNING instance is accepted and changes nothing (idempotent)
    assert clients.compute.instance_action(inst.id, "START").data.lifecycle_state == "RUNNING"
    clients.compute.instance_action(inst.id, "STOP")
    wait_state(clients.compute, clients.compute.get_instance, inst.id, "STOPPED")
    # STOP and SOFTSTOP on a STOPPED instance are idempotent too
    for action in ("STOP", "SOFTSTOP"):
        r = clients.compute.instance_action(inst.id, action)
        assert r.status == 200 and r.data.lifecycle_state == "STOPPED"
    # resets need a RUNNING instance
    for action in ("RESET", "SOFTRESET"):
        with pytest.raises(oci.exceptions.ServiceError) as ei:
            clients.compute.instance_action(inst.id, action)
        assert "STOPPED" in _sdk_err(ei, 409, "IncorrectState")
    clients.compute.terminate_instance(inst.id)
    wait_state(clients.compute, clients.compute.get_instance, inst.id, "TERMINATED")
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.compute.instance_action(inst.id, "START")
    assert "TERMINATED" in _sdk_err(ei, 409, "IncorrectState")
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.compute.update_instance(inst.id, M.UpdateInstanceDetails(display_name="zombie"))
    _sdk_err(ei, 409, "IncorrectState")


def test_unknown_instance_action_is_400(clients, net):
    inst = launch_running(clients, net)
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.compute.instance_action(inst.id, "LEVITATE")
    assert "LEVITATE" in _sdk_err(ei, 400, "InvalidParameter")


def test_duplicate_names_are_409(clients):
    t = clients.tenancy
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.identity.create_compartment(IM.CreateCompartmentDetails(compartment_id=t, name="Production",
                                                                        description="again"))
    assert "Production" in _sdk_err(ei, 409, "Conflict")
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.identity.create_group(IM.CreateGroupDetails(compartment_id=t, name="Developers", description="x"))
    _sdk_err(ei, 409, "Conflict")


# ---------------------------------------------------------------- 412

def test_if_match_mismatch_is_412_on_update_and_delete(clients, net):
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.network.update_vcn(net.vcn_id, M.UpdateVcnDetails(display_name="renamed"), if_match="stale")
    assert "stale" in _sdk_err(ei, 412, "NoEtagMatch")
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.network.delete_subnet(net.subnet_id, if_match="stale")
    _sdk_err(ei, 412, "NoEtagMatch")
    assert clients.network.get_vcn(net.vcn_id).data.display_name == "test-vcn"
    assert clients.network.get_subnet(net.subnet_id).data.lifecycle_state == "AVAILABLE"


def test_sdk_operation_the_emulator_lacks_is_501_naming_it(clients):
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.blockstorage.list_block_volume_replicas(compartment_id=clients.tenancy)
    assert ei.value.status == 501
    assert "BlockstorageClient.list_block_volume_replicas" in ei.value.message


def test_a_bug_before_the_core_answers_500_not_a_dropped_connection(emulator, raw, monkeypatch):
    # e.g. the SDK's client sources missing from a frozen build: the operation table cannot load
    def broken(method, target):
        raise FileNotFoundError("oci/version.py")
    monkeypatch.setattr(emulator.core, "streams_body", broken)  # asked before a request's body is read
    msg = _err(raw.post(emulator.base_url + "/core/20160918/vcns", data=b"{}"), 500, "InternalServerError")
    assert "emulator" in msg
    monkeypatch.undo()
    assert raw.get(emulator.base_url + "/core/20160918/teapots").status_code == 404  # the server lives on
