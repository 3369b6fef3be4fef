"""Lifecycles through `oci.wait_until`: instances, work requests, compartments and networking."""

from __future__ import annotations

import time

import oci
import pytest

from .helpers import IM, WAIT, M, launch_details, launch_running, wait_state


def _wait_wr(client, wr_id: str, status: str = "SUCCEEDED"):
    return oci.wait_until(client, client.get_work_request(wr_id), "status", status, **WAIT).data


# ---------------------------------------------------------------- instances

def test_launch_reaches_running_and_its_work_request_succeeds(clients, net):
    resp = clients.compute.launch_instance(launch_details(net, display_name="web-test"))
    assert resp.data.lifecycle_state == "PROVISIONING"
    wr_id = resp.headers["opc-work-request-id"]
    inst = wait_state(clients.compute, clients.compute.get_instance, resp.data.id, "RUNNING")
    assert inst.display_name == "web-test" and inst.shape == "VM.Standard.E4.Flex"
    assert inst.shape_config.ocpus == 1 and inst.shape_config.memory_in_gbs == 16
    assert inst.region == "iad" and inst.availability_domain == net.ad

    wrc = clients.work_requests
    wr = _wait_wr(wrc, wr_id)
    assert wr.operation_type == "LaunchInstance" and wr.percent_complete == 100.0
    assert wr.time_finished is not None and wr.time_started is not None
    assert [(r.entity_type, r.action_type, r.identifier) for r in wr.resources] == [
        ("instance", "CREATED", inst.id)]
    logs = [log.message for log in wrc.list_work_request_logs(wr_id).data]
    assert logs[0].endswith("accepted") and logs[-1] == "Instance is running"
    assert wrc.list_work_request_errors(wr_id).data == []
    listed = wrc.list_work_requests(net.compartment_id, resource_id=inst.id).data
    assert [w.id for w in listed] == [wr_id]

    # what OCI creates with an instance is settled with it
    atts = clients.compute.list_vnic_attachments(net.compartment_id, instance_id=inst.id).data
    assert [a.lifecycle_state for a in atts] == ["ATTACHED"]
    vnic = clients.network.get_vnic(atts[0].vnic_id).data
    assert vnic.lifecycle_state == "AVAILABLE" and vnic.private_ip.startswith("10.77.1.") and vnic.public_ip
    bvas = clients.compute.list_boot_volume_attachments(net.ad, net.compartment_id, instance_id=inst.id).data
    assert [a.lifecycle_state for a in bvas] == ["ATTACHED"]
    bv = clients.blockstorage.get_boot_volume(bvas[0].boot_volume_id).data
    assert bv.lifecycle_state == "AVAILABLE" and bv.size_in_gbs == 50 and bv.image_id == net.image_id


def test_transitions_take_time_when_the_delay_is_not_zero(emulator, clients, net, raw):
    r = raw.put(emulator.base_url + "/_emulator/settings", json={"transitionDelay": 0.5})
    assert r.status_code == 200 and r.json()["transitionDelay"] == 0.5
    t0 = time.monotonic()
    inst = clients.compute.launch_instance(launch_details(net)).data
    assert clients.compute.get_instance(inst.id).data.lifecycle_state == "PROVISIONING"  # RUNNING after 0.75 s
    wait_state(clients.compute, clients.compute.get_instance, inst.id, "RUNNING")
    assert time.monotonic() - t0 >= 0.7


def test_stop_start_and_resets(clients, net):
    c = clients.compute
    inst = launch_running(clients, net)
    assert c.instance_action(inst.id, "STOP").data.lifecycle_state == "STOPPING"
    assert wait_state(c, c.get_instance, inst.id, "STOPPED").lifecycle_state == "STOPPED"
    assert c.instance_action(inst.id, "START").data.lifecycle_state == "STARTING"
    wait_state(c, c.get_instance, inst.id, "RUNNING")
    for action in ("SOFTRESET", "RESET"):
        assert c.instance_action(inst.id, action).data.lifecycle_state == "STOPPING"
        wait_state(c, c.get_instance, inst.id, "RUNNING")
    assert c.instance_action(inst.id, "SOFTSTOP").data.lifecycle_state == "STOPPING"
    wait_state(c, c.get_instance, inst.id, "STOPPED")


def test_update_instance_renames_and_reshapes(clients, net):
    c = clients.compute
    inst = launch_running(clients, net)
    upd = c.update_instance(inst.id, M.UpdateInstanceDetails(
        display_name="bigger", shape_config=M.UpdateInstanceShapeConfigDetails(ocpus=2, memory_in_gbs=32))).data
    assert upd.display_name == "bigger"
    running = wait_state(c, c.get_instance, inst.id, "RUNNING")
    assert running.shape_config.ocpus == 2 and running.shape_config.memory_in_gbs == 32
    assert running.shape_config.vcpus == 4


def test_terminate_deletes_the_boot_volume(clients, net):
    c = clients.compute
    inst = launch_running(clients, net)
    bv_id = c.list_boot_volume_attachments(net.ad, net.compartment_id, instance_id=inst.id).data[0].boot_volume_id
    assert c.terminate_instance(inst.id).status == 204
    assert c.get_instance(inst.id).data.lifecycle_state in ("TERMINATING", "TERMINATED")
    wait_state(c, c.get_instance, inst.id, "TERMINATED")
    assert clients.blockstorage.get_boot_volume(bv_id).data.lifecycle_state == "TERMINATED"
    atts = c.list_vnic_attachments(net.compartment_id, instance_id=inst.id).data
    assert [a.lifecycle_state for a in atts] == ["DETACHED"]
    # the subnet is free again, and once the network is gone the compartment is empty
    clients.network.delete_subnet(net.subnet_id)
    wait_state(clients.network, clients.network.get_subnet, net.subnet_id, "TERMINATED")
    clients.network.delete_vcn(net.vcn_id)
    wait_state(clients.network, clients.network.get_vcn, net.vcn_id, "TERMINATED")
    _wait_wr(clients.identity, clients.identity.delete_compartment(net.compartment_id).headers["opc-work-request-id"])


def test_terminate_preserving_the_boot_volume_and_relaunch_from_it(clients, net):
    c, bs = clients.compute, clients.blockstorage
    inst = launch_running(clients, net)
    bv_id = c.list_boot_volume_attachments(net.ad, net.compartment_id, instance_id=inst.id).data[0].boot_volume_id
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        bs.delete_boot_volume(bv_id)
    assert ei.value.status == 409  # still attached
    c.terminate_instance(inst.id, preserve_boot_volume=True)
    wait_state(c, c.get_instance, inst.id, "TERMINATED")
    assert bs.get_boot_volume(bv_id).data.lifecycle_state == "AVAILABLE"

    again = c.launch_instance(launch_details(
        net, source_details=M.InstanceSourceViaBootVolumeDetails(boot_volume_id=bv_id))).data
    again = wait_state(c, c.get_instance, again.id, "RUNNING")
    assert again.source_details.source_type == "bootVolume" and again.source_details.boot_volume_id == bv_id
    c.terminate_instance(again.id, preserve_boot_volume=True)
    wait_state(c, c.get_instance, again.id, "TERMINATED")
    bs.delete_boot_volume(bv_id)
    assert wait_state(bs, bs.get_boot_volume, bv_id, "TERMINATED").lifecycle_state == "TERMINATED"


# ---------------------------------------------------------------- compartments

def test_compartment_delete_through_a_work_request(clients):
    idc = clients.identity
    comp = idc.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=clients.tenancy, name="short-lived", description="d")).data
    assert comp.lifecycle_state == "ACTIVE"
    resp = idc.delete_compartment(comp.id)
    wr_id = resp.headers["opc-work-request-id"]
    wr = _wait_wr(idc, wr_id)
    assert wr.operation_type == "DELETE_COMPARTMENT" and wr.percent_complete == 100.0
    assert [r.identifier for r in wr.resources] == [comp.id]
    assert idc.get_compartment(comp.id).data.lifecycle_state == "DELETED"
    deleted = idc.list_compartments(clients.tenancy, lifecycle_state="DELETED").data
    assert [d.id for d in deleted] == [comp.id]
    assert wr_id in {w.id for w in idc.list_work_requests(clients.tenancy).data}
    # a deleted compartment can be recovered
    assert idc.recover_compartment(comp.id).data.lifecycle_state == "ACTIVE"


def test_non_empty_compartment_cannot_be_deleted_until_emptied(clients):
    idc = clients.identity
    parent = idc.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=clients.tenancy, name="parent", description="d")).data
    child = idc.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=parent.id, name="child", description="d")).data
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        idc.delete_compartment(parent.id)
    assert ei.value.status == 409 and "child" in ei.value.message
    _wait_wr(idc, idc.delete_compartment(child.id).headers["opc-work-request-id"])
    _wait_wr(idc, idc.delete_compartment(parent.id).headers["opc-work-request-id"])
    assert idc.get_compartment(parent.id).data.lifecycle_state == "DELETED"


def test_move_compartment(clients):
    idc = clients.identity
    a = idc.create_compartment(IM.CreateCompartmentDetails(compartment_id=clients.tenancy, name="a",
                                                           description="d")).data
    b = idc.create_compartment(IM.CreateCompartmentDetails(compartment_id=clients.tenancy, name="b",
                                                           description="d")).data
    resp = idc.move_compartment(b.id, IM.MoveCompartmentDetails(target_compartment_id=a.id))
    _wait_wr(idc, resp.headers["opc-work-request-id"])
    assert idc.get_compartment(b.id).data.compartment_id == a.id
    assert [c.id for c in idc.list_compartments(a.id).data] == [b.id]
    with pytest.raises(oci.exceptions.ServiceError) as ei:  # into its own subtree
        idc.move_compartment(a.id, IM.MoveCompartmentDetails(target_compartment_id=b.id))
    assert (ei.value.status, ei.value.code) == (400, "InvalidParameter")


# ---------------------------------------------------------------- networking

def test_network_resources_create_list_get_delete(clients, net):
    vn = clients.network
    comp, vcn_id = net.compartment_id, net.vcn_id
    vcn = vn.get_vcn(vcn_id).data
    assert vcn.cidr_blocks == ["10.77.0.0/16"] and vcn.vcn_domain_name == "testvcn.oraclevcn.com"
    # the VCN comes with its defaults
    assert vn.get_route_table(vcn.default_route_table_id).data.lifecycle_state == "AVAILABLE"
    assert vn.get_security_list(vcn.default_security_list_id).data.lifecycle_state == "AVAILABLE"
    assert vn.get_dhcp_options(vcn.default_dhcp_options_id).data.lifecycle_state == "AVAILABLE"

    igw = vn.create_internet_gateway(M.CreateInternetGatewayDetails(
        compartment_id=comp, vcn_id=vcn_id, is_enabled=True, display_name="igw")).data
    nat = vn.create_nat_gateway(M.CreateNatGatewayDetails(compartment_id=comp, vcn_id=vcn_id,
                                                          display_name="nat")).data
    igw = wait_state(vn, vn.get_internet_gateway, igw.id, "AVAILABLE")
    nat = wait_state(vn, vn.get_nat_gateway, nat.id, "AVAILABLE")
    assert nat.nat_ip
    rt = vn.create_route_table(M.CreateRouteTableDetails(
        compartment_id=comp, vcn_id=vcn_id, display_name="private-rt",
        route_rules=[M.RouteRule(destination="0.0.0.0/0", destination_type="CIDR_BLOCK",
                                 network_entity_id=nat.id)])).data
    sl = vn.create_security_list(M.CreateSecurityListDetails(
        compartment_id=comp, vcn_id=vcn_id, display_name="web-sl",
        egress_security_rules=[M.EgressSecurityRule(destination="0.0.0.0/0", protocol="all")],
        ingress_security_rules=[M.IngressSecurityRule(source="0.0.0.0/0", protocol="6", tcp_options=M.TcpOptions(
            destination_port_range=M.PortRange(min=443, max=443)))])).data
    rt = wait_state(vn, vn.get_route_table, rt.id, "AVAILABLE")
    sl = wait_state(vn, vn.get_security_list, sl.id, "AVAILABLE")
    assert rt.route_rules[0].network_entity_id == nat.id
    assert sl.ingress_security_rules[0].tcp_options.destination_port_range.max == 443
    priv = vn.create_subnet(M.CreateSubnetDetails(
        compartment_id=comp, vcn_id=vcn_id, cidr_block="10.77.2.0/24", display_name="private",
        prohibit_public_ip_on_vnic=True, route_table_id=rt.id, security_list_ids=[sl.id])).data
    wait_state(vn, vn.get_subnet, priv.id, "AVAILABLE")

    assert {g.id for g in vn.list_internet_gateways(comp, vcn_id=vcn_id).data} == {igw.id}
    assert {g.id for g in vn.list_nat_gateways(comp, vcn_id=vcn_id).data} == {nat.id}
    assert {r.id for r in vn.list_route_tables(comp, vcn_id=vcn_id).data} == {rt.id, vcn.default_route_table_id}
    assert {s.id for s in vn.list_security_lists(comp, vcn_id=vcn_id).data} == {
        sl.id, vcn.default_security_list_id}
    assert {s.display_name for s in vn.list_subnets(comp, vcn_id=vcn_id).data} == {"test-subnet", "private"}
    assert [v.id for v in vn.list_vcns(comp).data] == [vcn_id]

    # in-use parts cannot go first
    for call in (lambda: vn.delete_nat_gateway(nat.id), lambda: vn.delete_route_table(rt.id),
                 lambda: vn.delete_security_list(sl.id), lambda: vn.delete_vcn(vcn_id),
                 lambda: vn.delete_route_table(vcn.default_route_table_id)):
        with pytest.raises(oci.exceptions.ServiceError) as ei:
            call()
        assert (ei.value.status, ei.value.code) == (409, "Conflict")

    # tear down in dependency order; each delete is observable as TERMINATED
    for sid in (priv.id, net.subnet_id):
        vn.delete_subnet(sid)
        wait_state(vn, vn.get_subnet, sid, "TERMINATED")
    vn.delete_route_table(rt.id)
    vn.delete_security_list(sl.id)
    wait_state(vn, vn.get_route_table, rt.id, "TERMINATED")
    wait_state(vn, vn.get_security_list, sl.id, "TERMINATED")
    vn.delete_nat_gateway(nat.id)
    vn.delete_internet_gateway(igw.id)
    wait_state(vn, vn.get_nat_gateway, nat.id, "TERMINATED")
    wait_state(vn, vn.get_internet_gateway, igw.id, "TERMINATED")
    vn.delete_vcn(vcn_id)
    assert wait_state(vn, vn.get_vcn, vcn_id, "TERMINATED").lifecycle_state == "TERMINATED"
    assert vn.get_route_table(vcn.default_route_table_id).data.lifecycle_state == "TERMINATED"
    # and now the compartment is empty
    _wait_wr(clients.identity, clients.identity.delete_compartment(comp).headers["opc-work-request-id"])


@pytest.mark.parametrize("cidr, why", [
    ("10.78.0.0/24", "not within"),  # outside the VCN
    ("10.77.1.128/25", "overlaps"),  # inside the existing subnet
    ("10.77.0.0/16", "overlaps"),  # the whole VCN
    ("10.77.3.0/31", "/30"),  # too small
])
def test_subnet_cidr_must_fit_the_vcn_without_overlap(clients, net, cidr, why):
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.network.create_subnet(M.CreateSubnetDetails(
            compartment_id=net.compartment_id, vcn_id=net.vcn_id, cidr_block=cidr))
    assert (ei.value.status, ei.value.code) == (400, "InvalidParameter")
    assert why in ei.value.message
    subnets = clients.network.list_subnets(net.compartment_id, vcn_id=net.vcn_id).data
    assert [s.cidr_block for s in subnets] == ["10.77.1.0/24"]


def test_vcn_with_subnets_cannot_be_deleted(clients, net):
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.network.delete_vcn(net.vcn_id)
    assert (ei.value.status, ei.value.code) == (409, "Conflict")
    assert clients.network.get_vcn(net.vcn_id).data.lifecycle_state == "AVAILABLE"


def test_a_subnet_s_virtual_router_is_its_first_host(clients, net):
    import ipaddress
    vn, comp = clients.network, net.compartment_id
    seeded = [s for c in clients.identity.list_compartments(clients.tenancy, compartment_id_in_subtree=True).data
              for s in vn.list_subnets(c.id).data]
    wide = vn.create_vcn(M.CreateVcnDetails(compartment_id=comp, cidr_block="172.21.0.0/16",
                                            display_name="wide")).data
    made = vn.create_subnet(M.CreateSubnetDetails(compartment_id=comp, vcn_id=wide.id, cidr_block="172.21.0.0/16",
                                                  display_name="big")).data
    assert len(seeded) >= 3
    for s in [*seeded, made]:
        first = ipaddress.ip_network(s.cidr_block).network_address + 1
        assert s.virtual_router_ip == str(first), (s.display_name, s.cidr_block, s.virtual_router_ip)
