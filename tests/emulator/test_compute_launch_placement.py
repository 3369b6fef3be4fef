"""launch_instance places what its details ask for, through the real SDK: the primary VNIC in network
security groups (listed by the NSG), on a dedicated VM host (its capacity checked), in a capacity
reservation (AD, shape and size must match; used counts follow; a full one is a 409), in a compute cluster."""

from __future__ import annotations

import oci
import pytest

from .helpers import M, launch_details, launch_running, service_error, wait_state

E = oci.exceptions.ServiceError


def _nsg(c, net, vcn_id=None, name="web"):
    nsg = c.network.create_network_security_group(M.CreateNetworkSecurityGroupDetails(
        compartment_id=net.compartment_id, vcn_id=vcn_id or net.vcn_id, display_name=name)).data
    return wait_state(c.network, c.network.get_network_security_group, nsg.id, "AVAILABLE")


def test_launch_into_network_security_groups(clients, net):
    c = clients
    web, db = _nsg(c, net, name="web"), _nsg(c, net, name="db")
    inst = launch_running(c, net, create_vnic_details=M.CreateVnicDetails(
        subnet_id=net.subnet_id, nsg_ids=[web.id, db.id]))
    att = c.compute.list_vnic_attachments(net.compartment_id, instance_id=inst.id).data[0]
    vnic = c.network.get_vnic(att.vnic_id).data
    assert vnic.nsg_ids == [web.id, db.id]
    listed = c.network.list_network_security_group_vnics(web.id).data
    assert [(v.vnic_id, v.resource_id) for v in listed] == [(vnic.id, inst.id)]
    # an NSG in use cannot be deleted
    with pytest.raises(E) as e:
        c.network.delete_network_security_group(web.id)
    assert e.value.status == 409

    other_vcn = c.network.create_vcn(M.CreateVcnDetails(compartment_id=net.compartment_id,
                                                        cidr_block="10.99.0.0/16")).data
    wait_state(c.network, c.network.get_vcn, other_vcn.id, "AVAILABLE")
    elsewhere = _nsg(c, net, vcn_id=other_vcn.id, name="elsewhere")
    before = len(c.compute.list_instances(net.compartment_id).data)
    for ids, status, text in (([elsewhere.id], 400, "another VCN"),
                              (["ocid1.networksecuritygroup.oc1.phx.nope"], 404, "does not exist"),
                              ([web.id] * 1 + [_nsg(c, net, name=f"n{i}").id for i in range(5)], 400, "at most 5")):
        with pytest.raises(E) as e:
            c.compute.launch_instance(launch_details(net, create_vnic_details=M.CreateVnicDetails(
                subnet_id=net.subnet_id, nsg_ids=ids)))
        assert e.value.status == status and text in e.value.message, e.value.message
    assert len(c.compute.list_instances(net.compartment_id).data) == before  # nothing half-launched


def test_launch_on_a_dedicated_vm_host(clients, net):
    c = clients
    host = c.compute.create_dedicated_vm_host(M.CreateDedicatedVmHostDetails(
        compartment_id=net.compartment_id, availability_domain=net.ad,
        dedicated_vm_host_shape="DVH.Standard.E4.128", display_name="dvh")).data
    host = wait_state(c.compute, c.compute.get_dedicated_vm_host, host.id, "ACTIVE")
    big = M.LaunchInstanceShapeConfigDetails(ocpus=64, memory_in_gbs=1024)
    a = launch_running(c, net, dedicated_vm_host_id=host.id, shape_config=big)
    assert a.dedicated_vm_host_id == host.id and a.fault_domain == host.fault_domain
    got = c.compute.get_dedicated_vm_host(host.id).data
    assert (got.remaining_ocpus, got.remaining_memory_in_gbs) == (64, 1024)
    assert [i.instance_id for i in c.compute.list_dedicated_vm_host_instances(net.compartment_id, host.id).data] \
        == [a.id]
    launch_running(c, net, dedicated_vm_host_id=host.id, shape_config=big)
    assert c.compute.get_dedicated_vm_host(host.id).data.remaining_ocpus == 0
    for kw, status, text in (
            (dict(shape_config=M.LaunchInstanceShapeConfigDetails(ocpus=1, memory_in_gbs=16)), 400, "left"),
            (dict(shape="VM.Standard3.Flex"), 400, "cannot be placed"),
            (dict(dedicated_vm_host_id="ocid1.dedicatedvmhost.oc1.phx.nope"), 404, "does not exist")):
        kw = dict(dict(dedicated_vm_host_id=host.id), **kw)
        with pytest.raises(E) as e:
            c.compute.launch_instance(launch_details(net, **kw))
        assert e.value.status == status and text in e.value.message, e.value.message
    other_fd = next(f for f in ("FAULT-DOMAIN-1", "FAULT-DOMAIN-2", "FAULT-DOMAIN-3") if f != host.fault_domain)
    c.compute.terminate_instance(a.id)
    wait_state(c.compute, c.compute.get_instance, a.id, "TERMINATED")
    with pytest.raises(E) as e:
        c.compute.launch_instance(launch_details(net, dedicated_vm_host_id=host.id, fault_domain=other_fd))
    assert service_error(e)[0] == 400 and host.fault_domain in e.value.message


def test_launch_into_a_capacity_reservation(clients, net):
    c = clients
    cfg = M.InstanceReservationConfigDetails(
        instance_shape="VM.Standard.E4.Flex", fault_domain="FAULT-DOMAIN-2", reserved_count=2,
        instance_shape_config=M.InstanceReservationShapeConfigDetails(ocpus=2, memory_in_gbs=32))
    res = c.compute.create_compute_capacity_reservation(M.CreateComputeCapacityReservationDetails(
        compartment_id=net.compartment_id, availability_domain=net.ad, display_name="batch",
        instance_reservation_configs=[cfg])).data
    res = wait_state(c.compute, c.compute.get_compute_capacity_reservation, res.id, "ACTIVE")
    size = M.LaunchInstanceShapeConfigDetails(ocpus=2, memory_in_gbs=32)
    a = launch_running(c, net, capacity_reservation_id=res.id, shape_config=size)
    assert a.capacity_reservation_id == res.id and a.fault_domain == "FAULT-DOMAIN-2"
    got = c.compute.get_compute_capacity_reservation(res.id).data
    assert got.used_instance_count == 1 and got.instance_reservation_configs[0].used_count == 1
    launch_running(c, net, capacity_reservation_id=res.id, shape_config=size)
    assert c.compute.get_compute_capacity_reservation(res.id).data.used_instance_count == 2
    listed = c.compute.list_compute_capacity_reservation_instances(res.id).data
    assert a.id in [i.id for i in listed] and len(listed) == 2
    for kw, status, text in (
            (dict(shape_config=size), 409, "no VM.Standard.E4.Flex capacity left"),
            (dict(shape_config=M.LaunchInstanceShapeConfigDetails(ocpus=1, memory_in_gbs=16)), 400, "not 1 OCPUs"),
            (dict(shape="VM.Standard3.Flex", shape_config=size), 400, "reserves no VM.Standard3.Flex"),
            (dict(shape_config=size, fault_domain="FAULT-DOMAIN-1"), 400, "in FAULT-DOMAIN-1")):
        with pytest.raises(E) as e:
            c.compute.launch_instance(launch_details(net, capacity_reservation_id=res.id, **kw))
        assert e.value.status == status and text in e.value.message, e.value.message
    c.compute.terminate_instance(a.id)
    wait_state(c.compute, c.compute.get_instance, a.id, "TERMINATED")
    assert c.compute.get_compute_capacity_reservation(res.id).data.used_instance_count == 1
    b = launch_running(c, net, capacity_reservation_id=res.id, shape_config=size)  # room again
    assert b.capacity_reservation_id == res.id


def test_launch_into_a_compute_cluster(emulator, clients, net):
    c = clients
    cluster = c.compute.create_compute_cluster(M.CreateComputeClusterDetails(
        compartment_id=net.compartment_id, availability_domain=net.ad, display_name="hpc")).data
    cluster = wait_state(c.compute, c.compute.get_compute_cluster, cluster.id, "ACTIVE")
    with pytest.raises(E) as e:
        c.compute.launch_instance(launch_details(net, compute_cluster_id=cluster.id))
    assert e.value.status == 400 and "bare metal" in e.value.message
    inst = launch_running(c, net, compute_cluster_id=cluster.id, shape="BM.Standard.E4.128", shape_config=None)
    assert emulator.core.store.get("instance", inst.id)["computeClusterId"] == cluster.id
    with pytest.raises(E) as e:
        c.compute.delete_compute_cluster(cluster.id)
    assert e.value.status == 409
