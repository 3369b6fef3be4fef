"""Analytics Cloud and Integration instances through the unmodified SDK and the `oci` CLI: create, stop,
start and scale (each waiting on its work request or state), OCI's bounds and errors, URLs, moves, deletes,
the services' own work-request APIs and the demo seed."""

from __future__ import annotations

import oci
import pytest

from .helpers import IM, NO_RETRY, WAIT, make_net, run_oci, unique, wait_state

E = oci.exceptions.ServiceError
AM = oci.analytics.models
NM = oci.integration.models


@pytest.fixture
def oac(emulator, oci_config):
    return oci.analytics.AnalyticsClient(oci_config, service_endpoint=emulator.endpoint("analytics"), **NO_RETRY)


@pytest.fixture
def oic(emulator, oci_config):
    return oci.integration.IntegrationInstanceClient(oci_config, service_endpoint=emulator.endpoint("integration"),
                                                     **NO_RETRY)


@pytest.fixture
def comp(clients):
    return clients.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=clients.tenancy, name=unique("oac"), description="analytics test")).data.id


def wait_wr(client, resp):
    wr = resp.headers["opc-work-request-id"]
    return oci.wait_until(client, client.get_work_request(wr), "status", "SUCCEEDED", **WAIT).data


def oac_details(comp, **kw):
    d = dict(name=unique("oac").replace("-", ""), compartment_id=comp, feature_set="ENTERPRISE_ANALYTICS",
             license_type="LICENSE_INCLUDED", idcs_access_token="eyJhbGciOi.test.token",
             capacity=AM.Capacity(capacity_type="OLPU_COUNT", capacity_value=2))
    d.update(kw)
    return AM.CreateAnalyticsInstanceDetails(**d)


def oic_details(comp, **kw):
    d = dict(display_name=unique("oic"), compartment_id=comp, integration_instance_type="ENTERPRISEX",
             is_byol=False, message_packs=1, idcs_at="eyJhbGciOi.test.token")
    d.update(kw)
    return NM.CreateIntegrationInstanceDetails(**d)


# ---------------------------------------------------------------- Analytics Cloud

def test_sdk_creates_stops_starts_and_scales_an_analytics_instance(emulator, oac, comp):
    resp = oac.create_analytics_instance(oac_details(comp, name="salesdash", description="dashboards"))
    inst = resp.data
    assert inst.lifecycle_state == "CREATING" and inst.capacity.capacity_value == 2
    wr = wait_wr(oac, resp)
    assert wr.operation_type == "CREATE_ANALYTICS_INSTANCE" and wr.percent_complete == 100
    assert wr.resources[0].identifier == inst.id and wr.resources[0].action_result == "CREATED"
    got = oac.get_analytics_instance(inst.id).data
    assert got.lifecycle_state == "ACTIVE" and got.network_endpoint_details.network_endpoint_type == "PUBLIC"
    assert got.service_url.startswith("https://salesdash-") and got.service_url.endswith(
        "-ia.analytics.ocp.oraclecloud.com")

    comp_ops = oci.analytics.AnalyticsClientCompositeOperations(oac)
    done = comp_ops.stop_analytics_instance_and_wait_for_state(inst.id, ["SUCCEEDED"], waiter_kwargs=WAIT).data
    assert done.operation_type == "STOP_ANALYTICS_INSTANCE"
    assert oac.get_analytics_instance(inst.id).data.lifecycle_state == "INACTIVE"
    with pytest.raises(E) as e:  # stopping a stopped instance
        oac.stop_analytics_instance(inst.id)
    assert (e.value.status, e.value.code) == (409, "IncorrectState")
    with pytest.raises(E) as e:  # scaling needs it running
        oac.scale_analytics_instance(inst.id, AM.ScaleAnalyticsInstanceDetails(
            capacity=AM.Capacity(capacity_type="OLPU_COUNT", capacity_value=4)))
    assert e.value.status == 409

    comp_ops.start_analytics_instance_and_wait_for_state(inst.id, ["SUCCEEDED"], waiter_kwargs=WAIT)
    assert oac.get_analytics_instance(inst.id).data.lifecycle_state == "ACTIVE"
    with pytest.raises(E) as e:
        oac.start_analytics_instance(inst.id)
    assert e.value.status == 409

    resp = oac.scale_analytics_instance(inst.id, AM.ScaleAnalyticsInstanceDetails(
        capacity=AM.Capacity(capacity_type="OLPU_COUNT", capacity_value=6)))
    assert oac.get_work_request(resp.headers["opc-work-request-id"]).data.operation_type == \
        "SCALE_ANALYTICS_INSTANCE"
    wait_wr(oac, resp)
    got = wait_state(oac, oac.get_analytics_instance, inst.id, "ACTIVE")
    assert got.capacity.capacity_value == 6

    # the license changes in place
    got = oac.update_analytics_instance(inst.id, AM.UpdateAnalyticsInstanceDetails(
        license_type="BRING_YOUR_OWN_LICENSE", email_notification="bi@example.com")).data
    assert got.license_type == "BRING_YOUR_OWN_LICENSE" and got.email_notification == "bi@example.com"

    listed = oac.list_analytics_instances(comp, capacity_type="OLPU_COUNT").data
    assert [i.name for i in listed] == ["salesdash"]
    assert oac.list_analytics_instances(comp, capacity_type="USER_COUNT").data == []
    wrs = oac.list_work_requests(comp, resource_id=inst.id).data
    assert {w.operation_type for w in wrs} >= {"CREATE_ANALYTICS_INSTANCE", "STOP_ANALYTICS_INSTANCE",
                                               "START_ANALYTICS_INSTANCE", "SCALE_ANALYTICS_INSTANCE"}
    assert oac.list_work_request_logs(wrs[0].id).data
    assert oac.list_work_request_errors(wrs[0].id).data == []

    resp = oac.delete_analytics_instance(inst.id)
    wait_wr(oac, resp)
    assert oac.get_analytics_instance(inst.id).data.lifecycle_state == "DELETED"


def test_analytics_refuses_what_oci_refuses(oac, comp, clients):
    with pytest.raises(E) as e:  # no IDCS access token
        oac.create_analytics_instance(oac_details(comp, idcs_access_token=None))
    assert e.value.status == 400 and "idcsAccessToken" in e.value.message
    for bad in (3, 0, 60):
        with pytest.raises(E) as e:
            oac.create_analytics_instance(oac_details(comp, capacity=AM.Capacity(
                capacity_type="OLPU_COUNT", capacity_value=bad)))
        assert e.value.status == 400 and "OCPUs" in e.value.message
    with pytest.raises(E) as e:
        oac.create_analytics_instance(oac_details(comp, capacity=AM.Capacity(
            capacity_type="USER_COUNT", capacity_value=5)))
    assert e.value.status == 400 and "users" in e.value.message
    with pytest.raises(E) as e:  # Professional OCPUs: the default service limit is 4
        oac.create_analytics_instance(oac_details(comp, feature_set="SELF_SERVICE_ANALYTICS", capacity=AM.Capacity(
            capacity_type="OLPU_COUNT", capacity_value=8)))
    assert (e.value.status, e.value.code) == (400, "LimitExceeded")
    with pytest.raises(E) as e:
        oac.create_analytics_instance(oac_details(comp, name="1-bad-name"))
    assert e.value.status == 400
    with pytest.raises(E) as e:  # a private endpoint needs a subnet that exists
        oac.create_analytics_instance(oac_details(comp, network_endpoint_details=AM.PrivateEndpointDetails(
            vcn_id="ocid1.vcn.oc1.iad.aaaaaaaanope", subnet_id="ocid1.subnet.oc1.iad.aaaaaaaanope")))
    assert e.value.status == 404

    inst = oac.create_analytics_instance(oac_details(comp, name="users", capacity=AM.Capacity(
        capacity_type="USER_COUNT", capacity_value=20))).data
    wait_state(oac, oac.get_analytics_instance, inst.id, "ACTIVE")
    with pytest.raises(E) as e:  # same name in the region
        oac.create_analytics_instance(oac_details(comp, name="users"))
    assert e.value.status == 409
    with pytest.raises(E) as e:  # the capacity type stays
        oac.scale_analytics_instance(inst.id, AM.ScaleAnalyticsInstanceDetails(
            capacity=AM.Capacity(capacity_type="OLPU_COUNT", capacity_value=2)))
    assert e.value.status == 400


def test_analytics_private_endpoint_network_change_and_move(oac, clients):
    net = make_net(clients, cidr="10.88.0.0/16")
    resp = oac.create_analytics_instance(oac_details(net.compartment_id, name="private1",
                                                     network_endpoint_details=AM.PrivateEndpointDetails(
                                                         vcn_id=net.vcn_id, subnet_id=net.subnet_id)))
    wait_wr(oac, resp)
    got = oac.get_analytics_instance(resp.data.id).data
    assert got.network_endpoint_details.subnet_id == net.subnet_id
    change = AM.ChangeAnalyticsInstanceNetworkEndpointDetails
    resp2 = oac.change_analytics_instance_network_endpoint(resp.data.id, change(
        network_endpoint_details=AM.PublicEndpointDetails(
            whitelisted_ips=["192.0.2.0/24"], whitelisted_vcns=[AM.VirtualCloudNetwork(
                id=net.vcn_id, whitelisted_ips=["10.88.1.0/24"])])))
    wait_wr(oac, resp2)
    got = wait_state(oac, oac.get_analytics_instance, resp.data.id, "ACTIVE")
    assert got.network_endpoint_details.whitelisted_ips == ["192.0.2.0/24"]
    other = clients.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=clients.tenancy, name=unique("oac2"), description="moved here")).data.id
    resp3 = oac.change_analytics_instance_compartment(resp.data.id, AM.ChangeCompartmentDetails(compartment_id=other))
    assert wait_wr(oac, resp3).operation_type == "CHANGE_ANALYTICS_INSTANCE_COMPARTMENT"
    assert oac.get_analytics_instance(resp.data.id).data.compartment_id == other


# ---------------------------------------------------------------- Integration

def test_sdk_creates_stops_starts_and_scales_an_integration_instance(oic, comp):
    resp = oic.create_integration_instance(oic_details(comp, display_name="orders", is_file_server_enabled=True,
                                                       network_endpoint_details=NM.PublicEndpointDetails(
                                                           allowlisted_http_ips=["198.51.100.7"])))
    assert resp.data is None and resp.status == 202
    wr = wait_wr(oic, resp)
    assert wr.operation_type == "CREATE_INTEGRATION_INSTANCE" and wr.resources[0].action_type == "CREATED"
    inst_id = wr.resources[0].identifier
    inst = oic.get_integration_instance(inst_id).data
    assert inst.lifecycle_state == "ACTIVE" and inst.message_packs == 1 and inst.is_file_server_enabled
    assert inst.instance_url.startswith("https://orders-") and ".integration.us-ashburn-1." in inst.instance_url
    assert inst.network_endpoint_details.allowlisted_http_ips == ["198.51.100.7"]

    ops = oci.integration.IntegrationInstanceClientCompositeOperations(oic)
    ops.stop_integration_instance_and_wait_for_state(inst_id, ["SUCCEEDED"], waiter_kwargs=WAIT)
    assert oic.get_integration_instance(inst_id).data.lifecycle_state == "INACTIVE"
    with pytest.raises(E) as e:
        oic.stop_integration_instance(inst_id)
    assert (e.value.status, e.value.code) == (409, "IncorrectState")
    ops.start_integration_instance_and_wait_for_state(inst_id, ["SUCCEEDED"], waiter_kwargs=WAIT)
    assert oic.get_integration_instance(inst_id).data.lifecycle_state == "ACTIVE"

    done = ops.update_integration_instance_and_wait_for_state(inst_id, NM.UpdateIntegrationInstanceDetails(
        message_packs=5, is_visual_builder_enabled=True), ["SUCCEEDED"], waiter_kwargs=WAIT).data
    assert done.operation_type == "UPDATE_INTEGRATION_INSTANCE"
    inst = oic.get_integration_instance(inst_id).data
    assert (inst.message_packs, inst.is_visual_builder_enabled, inst.lifecycle_state) == (5, True, "ACTIVE")

    assert [i.display_name for i in oic.list_integration_instances(comp).data] == ["orders"]
    wrs = oic.list_work_requests(comp, integration_instance_id=inst_id).data
    assert len(wrs) == 4
    assert oic.list_work_request_logs(work_request_id=wrs[0].id, compartment_id=comp).data
    assert oic.list_work_request_errors(work_request_id=wrs[0].id, compartment_id=comp).data == []

    oic.change_integration_instance_network_endpoint(inst_id, NM.ChangeIntegrationInstanceNetworkEndpointDetails(
        network_endpoint_details=NM.PublicEndpointDetails(allowlisted_http_ips=["203.0.113.0/24"])))
    inst = wait_state(oic, oic.get_integration_instance, inst_id, "ACTIVE")
    assert inst.network_endpoint_details.allowlisted_http_ips == ["203.0.113.0/24"]


def test_integration_refuses_what_oci_refuses(oic, comp, clients):
    with pytest.raises(E) as e:
        oic.create_integration_instance(oic_details(comp, idcs_at=None))
    assert e.value.status == 400 and "idcsAt" in e.value.message
    for kw in (dict(message_packs=0), dict(message_packs=101), dict(integration_instance_type="STANDARD",
                                                                    message_packs=13),
               dict(integration_instance_type="ENTERPRISE", is_byol=True, message_packs=4),
               dict(integration_instance_type="HEALTHCARE", is_byol=True)):
        with pytest.raises(E) as e:
            oic.create_integration_instance(oic_details(comp, **kw))
        assert e.value.status == 400, kw
    resp = oic.create_integration_instance(oic_details(comp, integration_instance_type="STANDARD", is_byol=True,
                                                       message_packs=3))
    inst_id = wait_wr(oic, resp).resources[0].identifier
    inst = oic.get_integration_instance(inst_id).data
    assert inst.instance_url.endswith(".integration.ocp.oraclecloud.com/ic/home")
    with pytest.raises(E) as e:  # BYOL Generation 2: at most 3 packs
        oic.update_integration_instance(inst_id, NM.UpdateIntegrationInstanceDetails(message_packs=4))
    assert e.value.status == 400
    other = clients.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=clients.tenancy, name=unique("oic2"), description="moved here")).data.id
    resp = oic.change_integration_instance_compartment(inst_id, NM.ChangeIntegrationInstanceCompartmentDetails(
        compartment_id=other))
    wait_wr(oic, resp)
    assert oic.get_integration_instance(inst_id).data.compartment_id == other
    wait_wr(oic, oic.delete_integration_instance(inst_id))
    assert oic.get_integration_instance(inst_id).data.lifecycle_state == "DELETED"
    with pytest.raises(E) as e:
        oic.get_integration_instance("ocid1.integrationinstance.oc1.iad.aaaaaaaanope")
    assert e.value.status == 404


# ---------------------------------------------------------------- the oci CLI

def test_cli_creates_stops_starts_and_scales_both(emulator, comp, tmp_path):
    cfg = tmp_path / "config"
    emulator.write_config(cfg)
    token = tmp_path / "idcs-token"
    token.write_text("eyJhbGciOi.test.token")
    a = emulator.endpoint("analytics")
    out = run_oci(cfg, a, "analytics", "analytics-instance", "create", "--compartment-id", comp,
                  "--name", "clioac", "--feature-set", "SELF_SERVICE_ANALYTICS", "--license-type", "LICENSE_INCLUDED",
                  "--capacity-type", "OLPU_COUNT", "--capacity-value", "2",
                  "--idcs-access-token-file", str(token), "--wait-for-state", "SUCCEEDED")
    assert out["data"]["status"] == "SUCCEEDED"
    oac_id = out["data"]["resources"][0]["identifier"]
    for verb in ("stop", "start"):
        out = run_oci(cfg, a, "analytics", "analytics-instance", verb, "--analytics-instance-id", oac_id,
                      "--wait-for-state", "SUCCEEDED")
        assert out["data"]["status"] == "SUCCEEDED"
    run_oci(cfg, a, "analytics", "analytics-instance", "scale", "--analytics-instance-id", oac_id,
            "--capacity", '{"capacityType": "OLPU_COUNT", "capacityValue": 4}', "--wait-for-state", "SUCCEEDED")
    got = run_oci(cfg, a, "analytics", "analytics-instance", "get", "--analytics-instance-id", oac_id)["data"]
    assert got["lifecycle-state"] == "ACTIVE" and got["capacity"]["capacity-value"] == 4

    i = emulator.endpoint("integration")
    out = run_oci(cfg, i, "integration", "integration-instance", "create", "--compartment-id", comp,
                  "--display-name", "clioic", "--type", "STANDARDX", "--is-byol", "false", "--message-packs", "1",
                  "--idcs-at", "eyJhbGciOi.test.token", "--wait-for-state", "SUCCEEDED")
    oic_id = out["data"]["resources"][0]["identifier"]
    for verb in ("stop", "start"):
        run_oci(cfg, i, "integration", "integration-instance", verb, "--id", oic_id, "--wait-for-state", "SUCCEEDED")
    run_oci(cfg, i, "integration", "integration-instance", "update", "--id", oic_id, "--message-packs", "3",
            "--force", "--wait-for-state", "SUCCEEDED")
    got = run_oci(cfg, i, "integration", "integration-instance", "get", "--id", oic_id)["data"]
    assert got["lifecycle-state"] == "ACTIVE" and got["message-packs"] == 3


# ---------------------------------------------------------------- the demo seed

def test_demo_seed_has_an_analytics_and_an_integration_instance(oac, oic, clients):
    dev = next(c for c in clients.identity.list_compartments(clients.tenancy).data if c.name == "Development")
    [a] = oac.list_analytics_instances(dev.id).data
    [i] = oic.list_integration_instances(dev.id).data
    assert a.lifecycle_state == "ACTIVE" and a.service_url.startswith("https://salesinsights-")
    assert i.lifecycle_state == "ACTIVE" and i.instance_url



