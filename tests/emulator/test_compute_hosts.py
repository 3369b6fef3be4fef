"""Compute hosts and capacity through the real SDK: dedicated VM hosts (capacity left by the instances
placed on them, no delete while in use), capacity reservations (used counts, no reserving below use),
capacity reports, capacity topologies with their islands, blocks and hosts, host groups and firmware,
compute clusters, image capability schemas, the app catalog and maintenance events."""

from __future__ import annotations

import datetime as dt

import oci
import pytest

from .helpers import IM, WAIT, M, launch_running, run_oci, unique, wait_state

E = oci.exceptions.ServiceError


def place(emulator, inst_id: str, **fields) -> None:
    """What launch_instance records when it places an instance on a host or in a reservation."""
    with emulator.core.store.transaction():
        emulator.core.store.update("instance", inst_id, fields)


def wait_wr(c, resp):
    wr = resp.headers["opc-work-request-id"]
    return oci.wait_until(c.work_requests, c.work_requests.get_work_request(wr), "status", "SUCCEEDED", **WAIT).data


def new_compartment(c, name=None):
    return c.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=c.tenancy, name=name or unique("hosts"), description="compute hosts test")).data.id


# ---------------------------------------------------------------- dedicated VM hosts

def test_dedicated_vm_host_capacity_follows_its_instances(emulator, clients, net):
    cc = clients.compute
    shapes = cc.list_dedicated_vm_host_shapes(net.compartment_id, availability_domain=net.ad).data
    assert "DVH.Standard.E4.128" in [s.dedicated_vm_host_shape for s in shapes]
    e4 = cc.list_dedicated_vm_host_shapes(net.compartment_id, instance_shape_name="VM.Standard.E4.Flex").data
    assert {s.dedicated_vm_host_shape for s in e4} == {"DVH.Standard.E4.128"}
    inst_shapes = cc.list_dedicated_vm_host_instance_shapes(net.compartment_id,
                                                            dedicated_vm_host_shape="DVH.Standard2.52").data
    assert "VM.Standard2.4" in {s.instance_shape_name for s in inst_shapes}

    resp = cc.create_dedicated_vm_host(M.CreateDedicatedVmHostDetails(
        compartment_id=net.compartment_id, availability_domain=net.ad, dedicated_vm_host_shape="DVH.Standard.E4.128",
        display_name="dvh-a", fault_domain="FAULT-DOMAIN-2"))
    host = resp.data
    assert host.lifecycle_state == "CREATING" and host.total_ocpus == 128 and host.total_memory_in_gbs == 2048
    wait_wr(clients, resp)
    host = wait_state(cc, cc.get_dedicated_vm_host, host.id, "ACTIVE")
    assert host.remaining_ocpus == 128

    inst = launch_running(clients, net, fault_domain="FAULT-DOMAIN-2")
    place(emulator, inst.id, dedicatedVmHostId=host.id)
    got = cc.get_dedicated_vm_host(host.id).data
    assert (got.remaining_ocpus, got.remaining_memory_in_gbs) == (127, 2032)
    placed = cc.list_dedicated_vm_host_instances(net.compartment_id, host.id).data
    assert [p.instance_id for p in placed] == [inst.id] and placed[0].shape == "VM.Standard.E4.Flex"
    listed = cc.list_dedicated_vm_hosts(net.compartment_id, remaining_ocpus_greater_than_or_equal_to=127).data
    assert [h.display_name for h in listed] == ["dvh-a"]
    assert cc.list_dedicated_vm_hosts(net.compartment_id, remaining_ocpus_greater_than_or_equal_to=128).data == []
    assert cc.list_dedicated_vm_hosts(net.compartment_id, instance_shape_name="VM.Standard3.Flex").data == []

    up = cc.update_dedicated_vm_host(host.id, M.UpdateDedicatedVmHostDetails(display_name="dvh-b")).data
    assert up.display_name == "dvh-b" and up.remaining_ocpus == 127
    wait_state(cc, cc.get_dedicated_vm_host, host.id, "ACTIVE")
    with pytest.raises(E) as e:
        cc.delete_dedicated_vm_host(host.id)
    assert e.value.status == 409 and "instance" in e.value.message

    other = new_compartment(clients)
    wait_wr(clients, cc.change_dedicated_vm_host_compartment(
        host.id, M.ChangeDedicatedVmHostCompartmentDetails(compartment_id=other)))
    assert cc.get_dedicated_vm_host(host.id).data.compartment_id == other

    cc.terminate_instance(inst.id)
    wait_state(cc, cc.get_instance, inst.id, "TERMINATED")
    wait_wr(clients, cc.delete_dedicated_vm_host(host.id))
    assert cc.get_dedicated_vm_host(host.id).data.lifecycle_state == "DELETED"


def test_dedicated_vm_host_bad_input(clients, net):
    cc = clients.compute
    for details, status, text in (
            (dict(dedicated_vm_host_shape="DVH.Nope.1"), 400, "not available"),
            (dict(dedicated_vm_host_shape="DVH.Standard2.52", is_memory_encryption_enabled=True), 400, "encryption"),
            (dict(dedicated_vm_host_shape="DVH.Standard2.52", fault_domain="FAULT-DOMAIN-9"), 400, "faultDomain"),
            (dict(dedicated_vm_host_shape="DVH.Standard2.52", availability_domain="nope:AD-9"), 400, "does not exist")):
        kw = dict(compartment_id=net.compartment_id, availability_domain=net.ad)
        kw.update(details)
        with pytest.raises(E) as e:
            cc.create_dedicated_vm_host(M.CreateDedicatedVmHostDetails(**kw))
        assert e.value.status == status and text in e.value.message, e.value.message
    with pytest.raises(E) as e:
        cc.get_dedicated_vm_host("ocid1.dedicatedvmhost.oc1.iad.nope")
    assert e.value.status == 404


# ---------------------------------------------------------------- capacity reservations and reports

def test_capacity_reservation_used_counts_and_reports(emulator, clients, net):
    cc = clients.compute
    assert {"availability_domain": net.ad, "instance_shape": "VM.Standard.E4.Flex"} in [
        {"availability_domain": s.availability_domain, "instance_shape": s.instance_shape}
        for s in cc.list_compute_capacity_reservation_instance_shapes(net.compartment_id).data]

    def report():
        return cc.create_compute_capacity_report(M.CreateComputeCapacityReportDetails(
            compartment_id=net.compartment_id, availability_domain=net.ad, shape_availabilities=[
                M.CreateCapacityReportShapeAvailabilityDetails(
                    instance_shape="VM.Standard.E4.Flex", fault_domain="FAULT-DOMAIN-1",
                    instance_shape_config=M.CapacityReportInstanceShapeConfig(ocpus=64, memory_in_gbs=512)),
                M.CreateCapacityReportShapeAvailabilityDetails(instance_shape="BM.GPU.Nope.8")])).data
    before = report()
    assert 0 < before.shape_availabilities[0].available_count <= 32  # 2048 OCPUs per fault domain, less the demo's
    assert before.shape_availabilities[0].availability_status == "AVAILABLE"
    assert before.shape_availabilities[1].availability_status == "HARDWARE_NOT_SUPPORTED"

    cfg = M.InstanceReservationConfigDetails(
        instance_shape="VM.Standard.E4.Flex", fault_domain="FAULT-DOMAIN-1", reserved_count=4,
        instance_shape_config=M.InstanceReservationShapeConfigDetails(ocpus=64, memory_in_gbs=512))
    resp = cc.create_compute_capacity_reservation(M.CreateComputeCapacityReservationDetails(
        compartment_id=net.compartment_id, availability_domain=net.ad, display_name="batch",
        is_default_reservation=True, instance_reservation_configs=[cfg]))
    wait_wr(clients, resp)
    res = wait_state(cc, cc.get_compute_capacity_reservation, resp.data.id, "ACTIVE")
    assert res.reserved_instance_count == 4 and res.used_instance_count == 0
    # the reservation holds 4 x 64 OCPUs
    assert report().shape_availabilities[0].available_count == before.shape_availabilities[0].available_count - 4

    inst = launch_running(clients, net, fault_domain="FAULT-DOMAIN-1")
    place(emulator, inst.id, capacityReservationId=res.id)
    got = cc.get_compute_capacity_reservation(res.id).data
    assert got.used_instance_count == 1 and got.instance_reservation_configs[0].used_count == 1
    listed = cc.list_compute_capacity_reservation_instances(res.id).data
    assert [i.id for i in listed] == [inst.id] and listed[0].fault_domain == "FAULT-DOMAIN-1"
    assert [r.display_name for r in cc.list_compute_capacity_reservations(net.compartment_id).data] == ["batch"]

    # one default per compartment and AD
    with pytest.raises(E) as e:
        cc.create_compute_capacity_reservation(M.CreateComputeCapacityReservationDetails(
            compartment_id=net.compartment_id, availability_domain=net.ad, is_default_reservation=True,
            instance_reservation_configs=[cfg]))
    assert e.value.status == 409
    # not below what is used; then fewer, and a second shape
    with pytest.raises(E) as e:
        cc.update_compute_capacity_reservation(res.id, M.UpdateComputeCapacityReservationDetails(
            instance_reservation_configs=[M.InstanceReservationConfigDetails(
                instance_shape="VM.Standard2.1", reserved_count=2)]))
    assert e.value.status == 400 and "cannot reserve fewer" in e.value.message
    cfg.reserved_count = 2
    wait_wr(clients, cc.update_compute_capacity_reservation(res.id, M.UpdateComputeCapacityReservationDetails(
        display_name="batch-2", instance_reservation_configs=[cfg, M.InstanceReservationConfigDetails(
            instance_shape="VM.Standard2.1", reserved_count=3)])))
    got = wait_state(cc, cc.get_compute_capacity_reservation, res.id, "ACTIVE")
    assert got.display_name == "batch-2" and got.reserved_instance_count == 5
    with pytest.raises(E) as e:
        cc.delete_compute_capacity_reservation(res.id)
    assert e.value.status == 409
    other = new_compartment(clients)
    wait_wr(clients, cc.change_compute_capacity_reservation_compartment(
        res.id, M.ChangeComputeCapacityReservationCompartmentDetails(compartment_id=other)))
    cc.terminate_instance(inst.id)
    wait_state(cc, cc.get_instance, inst.id, "TERMINATED")
    wait_wr(clients, cc.delete_compute_capacity_reservation(res.id))
    assert cc.get_compute_capacity_reservation(res.id).data.lifecycle_state == "DELETED"


def test_capacity_reservation_bad_input(clients, net):
    cc = clients.compute
    for configs, text in (
            ([], "instanceReservationConfigs is required"),
            ([M.InstanceReservationConfigDetails(instance_shape="VM.Nope", reserved_count=1)], "cannot be reserved"),
            ([M.InstanceReservationConfigDetails(instance_shape="VM.Standard.E4.Flex", reserved_count=1)], "ocpus"),
            ([M.InstanceReservationConfigDetails(instance_shape="VM.Standard2.1", reserved_count=-1)], "reservedCount"),
            ([M.InstanceReservationConfigDetails(instance_shape="VM.Standard2.1", reserved_count=1)] * 2, "once")):
        with pytest.raises(E) as e:
            cc.create_compute_capacity_reservation(M.CreateComputeCapacityReservationDetails(
                compartment_id=net.compartment_id, availability_domain=net.ad, instance_reservation_configs=configs))
        assert e.value.status == 400 and text in e.value.message, e.value.message


# ---------------------------------------------------------------- topologies, hosts, host groups, firmware

def test_capacity_topology_hosts_and_host_groups(clients, net):
    cc = clients.compute
    hosts_comp = new_compartment(clients)
    resp = cc.create_compute_capacity_topology(M.CreateComputeCapacityTopologyDetails(
        compartment_id=net.compartment_id, availability_domain=net.ad, display_name="hpc",
        capacity_source=M.CreateDedicatedCapacitySourceDetails(capacity_type="DEDICATED", compartment_id=hosts_comp)))
    wait_wr(clients, resp)
    topo = wait_state(cc, cc.get_compute_capacity_topology, resp.data.id, "ACTIVE")
    assert topo.capacity_source.compartment_id == hosts_comp
    islands = cc.list_compute_capacity_topology_compute_hpc_islands(topo.id).data.items
    blocks = cc.list_compute_capacity_topology_compute_network_blocks(topo.id, compute_hpc_island_id=islands[0].id)
    blocks = blocks.data.items
    bms = cc.list_compute_capacity_topology_compute_bare_metal_hosts(topo.id).data.items
    assert len(islands) == 1 and islands[0].total_compute_bare_metal_host_count == len(bms) == 8
    assert sum(b.total_compute_bare_metal_host_count for b in blocks) == 8
    in_block = cc.list_compute_capacity_topology_compute_bare_metal_hosts(
        topo.id, compute_network_block_id=blocks[0].id).data.items
    assert len(in_block) == blocks[0].total_compute_bare_metal_host_count
    assert [t.display_name for t in cc.list_compute_capacity_topologies(net.compartment_id).data.items] == ["hpc"]
    wait_wr(clients, cc.update_compute_capacity_topology(topo.id, M.UpdateComputeCapacityTopologyDetails(
        display_name="hpc-1")))
    wait_state(cc, cc.get_compute_capacity_topology, topo.id, "ACTIVE")

    hosts = cc.list_compute_hosts(hosts_comp, network_resource_id=blocks[0].id).data.items
    assert len(hosts) == 4 and all(h.lifecycle_state == "AVAILABLE" and h.health == "HEALTHY" for h in hosts)
    host = cc.get_compute_host(hosts[0].id).data
    bundles = cc.list_firmware_bundles(platform=host.platform, compartment_id=hosts_comp).data.items
    latest = cc.get_firmware_bundle(bundles[-1].id).data
    assert host.firmware_bundle_id == bundles[0].id and latest.id in bundles[0].allowable_transitions.upgrades
    assert [b.id for b in cc.list_firmware_bundles(platform=host.platform, is_default_bundle=True).data.items] == [
        latest.id]

    gresp = cc.create_compute_host_group(M.CreateComputeHostGroupDetails(
        compartment_id=hosts_comp, availability_domain=net.ad, display_name="gpu-group",
        is_targeted_placement_required=False,
        configurations=[M.HostGroupConfiguration(target="*", firmware_bundle_id=latest.id,
                                                 recycle_level="FULL_RECYCLE")]))
    wait_wr(clients, gresp)
    group = cc.get_compute_host_group(gresp.data.id).data
    assert group.lifecycle_state == "ACTIVE" and group.configurations[0].state == "VALID"
    wait_wr(clients, cc.update_compute_host_group(group.id, M.UpdateComputeHostGroupDetails(display_name="gpus")))
    assert [g.display_name for g in cc.list_compute_host_groups(hosts_comp).data.items] == ["gpus"]
    with pytest.raises(E) as e:
        cc.check_host_configuration(host.id)
    assert e.value.status == 409

    attach = cc.attach_compute_host_group_host(host.id, M.AttachComputeHostGroupHostDetails(
        compute_host_group_id=group.id))
    wait_wr(clients, attach)
    assert attach.data.compute_host_group_id == group.id and attach.data.recycle_details.recycle_level == "FULL_RECYCLE"
    with pytest.raises(E) as e:
        cc.attach_compute_host_group_host(host.id, M.AttachComputeHostGroupHostDetails(compute_host_group_id=group.id))
    assert e.value.status == 409
    assert [h.id for h in cc.list_compute_hosts(hosts_comp, compute_host_group_id=group.id).data.items] == [host.id]
    checked = cc.check_host_configuration(host.id).data
    assert checked.configuration_state == "NON_CONFORMANT"
    assert checked.configuration_data.check_details.firmware_bundle_id == latest.id
    applied = cc.apply_host_configuration(host.id)
    assert applied.data.configuration_state == "APPLYING"
    wait_wr(clients, applied)
    got = cc.get_compute_host(host.id).data
    assert got.configuration_state == "CONFORMANT" and got.firmware_bundle_id == latest.id
    with pytest.raises(E) as e:
        cc.delete_compute_host_group(group.id)
    assert e.value.status == 409

    wait_wr(clients, cc.update_compute_host(host.id, M.UpdateComputeHostDetails(display_name="rack-1-u7")))
    assert cc.get_compute_host(host.id).data.display_name == "rack-1-u7"
    wait_wr(clients, cc.detach_compute_host_group_host(host.id, M.DetachComputeHostGroupHostDetails(
        compute_host_group_id=group.id)))
    cc.delete_compute_host_group(group.id)
    assert cc.get_compute_host_group(group.id).data.lifecycle_state == "DELETED"
    wait_wr(clients, cc.change_compute_host_compartment(
        host.id, M.ChangeComputeHostCompartmentDetails(compartment_id=net.compartment_id)))
    assert cc.get_compute_host(host.id).data.compartment_id == net.compartment_id

    other = new_compartment(clients)
    wait_wr(clients, cc.change_compute_capacity_topology_compartment(
        topo.id, M.ChangeComputeCapacityTopologyCompartmentDetails(compartment_id=other)))
    wait_wr(clients, cc.delete_compute_capacity_topology(topo.id))
    with pytest.raises(E) as e:
        cc.get_compute_host(host.id)
    assert e.value.status == 404


def test_host_group_move_and_bad_input(clients, net):
    cc = clients.compute
    with pytest.raises(E) as e:
        cc.create_compute_host_group(M.CreateComputeHostGroupDetails(
            compartment_id=net.compartment_id, availability_domain=net.ad, display_name="g",
            is_targeted_placement_required=False,
            configurations=[M.HostGroupConfiguration(target="*", firmware_bundle_id="ocid1.firmwarebundle.oc1..nope")]))
    assert e.value.status == 404 and "firmware bundle" in e.value.message
    assert cc.list_firmware_bundles(platform="BM.Nope").data.items == []
    g = cc.create_compute_host_group(M.CreateComputeHostGroupDetails(
        compartment_id=net.compartment_id, availability_domain=net.ad, display_name="g",
        is_targeted_placement_required=True)).data
    other = new_compartment(clients)
    wait_wr(clients, cc.change_compute_host_group_compartment(
        g.id, M.ChangeComputeHostGroupCompartmentDetails(compartment_id=other)))
    assert cc.get_compute_host_group(g.id).data.compartment_id == other


# ---------------------------------------------------------------- compute clusters

def test_compute_clusters(emulator, clients, net):
    cc = clients.compute
    cl = cc.create_compute_cluster(M.CreateComputeClusterDetails(
        compartment_id=net.compartment_id, availability_domain=net.ad, display_name="rdma")).data
    assert cl.lifecycle_state == "ACTIVE"
    assert [c.display_name for c in cc.list_compute_clusters(net.compartment_id).data.items] == ["rdma"]
    assert cc.update_compute_cluster(cl.id, M.UpdateComputeClusterDetails(display_name="rdma-1")).data.display_name \
        == "rdma-1"
    other = new_compartment(clients)
    cc.change_compute_cluster_compartment(cl.id, M.ChangeComputeClusterCompartmentDetails(compartment_id=other))
    assert cc.get_compute_cluster(cl.id).data.compartment_id == other
    inst = launch_running(clients, net)
    place(emulator, inst.id, computeClusterId=cl.id)
    with pytest.raises(E) as e:
        cc.delete_compute_cluster(cl.id)
    assert e.value.status == 409
    place(emulator, inst.id, computeClusterId=None)
    cc.delete_compute_cluster(cl.id)
    assert cc.get_compute_cluster(cl.id).data.lifecycle_state == "DELETED"
    with pytest.raises(E) as e:
        cc.create_compute_cluster(M.CreateComputeClusterDetails(compartment_id=net.compartment_id,
                                                                availability_domain="x:AD-7"))
    assert e.value.status == 400


# ---------------------------------------------------------------- image capability schemas

def test_image_capability_schemas(clients, net):
    cc = clients.compute
    glob = cc.list_compute_global_image_capability_schemas(compartment_id=net.compartment_id).data[0]
    assert cc.get_compute_global_image_capability_schema(glob.id).data.current_version_name == "2024-08-29"
    versions = cc.list_compute_global_image_capability_schema_versions(glob.id).data
    assert [v.name for v in versions] == ["2020-05-05", "2024-08-29"]
    v = cc.get_compute_global_image_capability_schema_version(glob.id, "2024-08-29").data
    assert v.schema_data["Compute.Firmware"].values == ["BIOS", "UEFI_64"]
    assert v.schema_data["Storage.ParaVirtualization.AttachmentVersion"].descriptor_type == "enuminteger"

    inst = launch_running(clients, net)
    img = cc.create_image(M.CreateImageDetails(compartment_id=net.compartment_id, instance_id=inst.id,
                                               display_name="golden")).data
    img = oci.wait_until(cc, cc.get_image(img.id), "lifecycle_state", "AVAILABLE", **WAIT).data
    data = {"Compute.Firmware": M.EnumStringImageCapabilitySchemaDescriptor(
        source="IMAGE", values=["UEFI_64"], default_value="UEFI_64")}
    with pytest.raises(E) as e:
        cc.create_compute_image_capability_schema(M.CreateComputeImageCapabilitySchemaDetails(
            compartment_id=net.compartment_id, image_id=net.image_id, schema_data=data,
            compute_global_image_capability_schema_version_name="2024-08-29"))
    assert e.value.status == 400 and "custom images" in e.value.message
    with pytest.raises(E) as e:
        cc.create_compute_image_capability_schema(M.CreateComputeImageCapabilitySchemaDetails(
            compartment_id=net.compartment_id, image_id=img.id,
            compute_global_image_capability_schema_version_name="2024-08-29",
            schema_data={"Compute.Firmware": M.EnumStringImageCapabilitySchemaDescriptor(
                source="IMAGE", values=["PXE"], default_value="PXE")}))
    assert e.value.status == 400 and "subset" in e.value.message
    s = cc.create_compute_image_capability_schema(M.CreateComputeImageCapabilitySchemaDetails(
        compartment_id=net.compartment_id, image_id=img.id, display_name="golden-caps", schema_data=data,
        compute_global_image_capability_schema_version_name="2024-08-29")).data
    s = oci.wait_until(cc, cc.get_compute_image_capability_schema(s.id), "lifecycle_state", "ACTIVE", **WAIT).data
    assert list(s.schema_data) == ["Compute.Firmware"]
    merged = cc.get_compute_image_capability_schema(s.id, is_merge_enabled=True).data.schema_data
    assert merged["Compute.Firmware"].source == "IMAGE" and merged["Compute.SecureBoot"].source == "GLOBAL"
    assert [x.id for x in cc.list_compute_image_capability_schemas(image_id=img.id).data] == [s.id]
    up = cc.update_compute_image_capability_schema(s.id, M.UpdateComputeImageCapabilitySchemaDetails(
        display_name="caps", schema_data={"Compute.SecureBoot": M.BooleanImageCapabilitySchemaDescriptor(
            source="IMAGE", default_value=True)})).data
    assert up.display_name == "caps" and list(up.schema_data) == ["Compute.SecureBoot"]
    other = new_compartment(clients)
    cc.change_compute_image_capability_schema_compartment(
        s.id, M.ChangeComputeImageCapabilitySchemaCompartmentDetails(compartment_id=other))
    cc.delete_compute_image_capability_schema(s.id)
    assert cc.get_compute_image_capability_schema(s.id).data.lifecycle_state == "DELETED"


# ---------------------------------------------------------------- app catalog

def test_app_catalog_subscription_needs_the_signed_agreements(emulator, clients, net):
    cc = clients.compute
    listings = cc.list_app_catalog_listings(publisher_type="PARTNER").data
    gitlab = next(x for x in listings if x.display_name == "GitLab Enterprise Edition")
    assert cc.get_app_catalog_listing(gitlab.listing_id).data.publisher_name == "GitLab Inc."
    versions = cc.list_app_catalog_listing_resource_versions(gitlab.listing_id).data
    assert [v.listing_resource_version for v in versions] == ["17.8.2", "17.4.1"]
    ver = cc.get_app_catalog_listing_resource_version(gitlab.listing_id, "17.8.2").data
    assert "VM.Standard.E4.Flex" in ver.compatible_shapes and 443 in ver.accessible_ports
    agr = cc.get_app_catalog_listing_agreements(gitlab.listing_id, "17.8.2").data
    assert agr.eula_link.startswith("https://") and agr.signature

    def subscribe(signature=agr.signature, when=agr.time_retrieved):
        return cc.create_app_catalog_subscription(M.CreateAppCatalogSubscriptionDetails(
            compartment_id=net.compartment_id, listing_id=gitlab.listing_id, listing_resource_version="17.8.2",
            oracle_terms_of_use_link=agr.oracle_terms_of_use_link, eula_link=agr.eula_link,
            time_retrieved=when, signature=signature)).data
    with pytest.raises(E) as e:
        subscribe(signature="0" * 64)
    assert e.value.status == 400 and "signature" in e.value.message
    sub = subscribe()
    assert sub.listing_resource_id == ver.listing_resource_id and sub.publisher_name == "GitLab Inc."
    subs = cc.list_app_catalog_subscriptions(net.compartment_id, listing_id=gitlab.listing_id).data
    assert [s.listing_resource_version for s in subs] == ["17.8.2"]
    cc.delete_app_catalog_subscription(gitlab.listing_id, net.compartment_id, "17.8.2")
    assert cc.list_app_catalog_subscriptions(net.compartment_id).data == []
    with pytest.raises(E) as e:
        cc.delete_app_catalog_subscription(gitlab.listing_id, net.compartment_id, "17.8.2")
    assert e.value.status == 404
    emulator.clock.advance(3700)
    with pytest.raises(E) as e:
        subscribe()
    assert e.value.status == 400 and "hour" in e.value.message


# ---------------------------------------------------------------- maintenance events

def test_maintenance_events_of_the_demo_instances(clients):
    cc = clients.compute
    events = []
    for comp in [clients.tenancy] + [c.id for c in clients.identity.list_compartments(
            clients.tenancy, compartment_id_in_subtree=True).data]:
        events += cc.list_instance_maintenance_events(comp).data
    scheduled = next(e for e in events if e.lifecycle_state == "SCHEDULED")
    assert any(e.lifecycle_state == "SUCCEEDED" for e in events)
    ev = cc.get_instance_maintenance_event(scheduled.id).data
    assert ev.can_reschedule and ev.instance_action == "REBOOT_MIGRATION"
    reboot = cc.get_instance_maintenance_reboot(ev.instance_id).data
    assert reboot.time_maintenance_reboot_due_max == ev.time_hard_due_date

    later = ev.time_window_start + dt.timedelta(days=2)
    resp = cc.update_instance_maintenance_event(ev.id, M.UpdateInstanceMaintenanceEventDetails(
        time_window_start=later, alternative_resolution_action="TERMINATE"))
    wait_wr(clients, resp)
    got = cc.get_instance_maintenance_event(ev.id).data
    assert got.time_window_start == later and got.instance_action == "TERMINATE"
    with pytest.raises(E) as e:  # no reboot migration scheduled any more
        cc.get_instance_maintenance_reboot(ev.instance_id)
    assert e.value.status == 404
    listed = cc.list_instance_maintenance_events(ev.compartment_id, instance_id=ev.instance_id,
                                                 lifecycle_state="SCHEDULED").data
    assert [e.id for e in listed] == [ev.id]
    with pytest.raises(E) as e:
        cc.update_instance_maintenance_event(ev.id, M.UpdateInstanceMaintenanceEventDetails(
            time_window_start=ev.time_hard_due_date + dt.timedelta(days=1)))
    assert e.value.status == 400 and "hard due date" in e.value.message


# ---------------------------------------------------------------- the oci CLI

def test_cli_creates_a_dedicated_vm_host_and_waits(emulator, clients, net, tmp_path):
    cfg = tmp_path / "config"
    emulator.write_config(cfg)
    out = run_oci(cfg, emulator.endpoint("core"), "compute", "dedicated-vm-host", "create",
                  "--compartment-id", net.compartment_id, "--availability-domain", net.ad,
                  "--dedicated-vm-host-shape", "DVH.Standard3.64", "--display-name", "cli-dvh",
                  "--wait-for-state", "ACTIVE")
    assert out["data"]["lifecycle-state"] == "ACTIVE" and out["data"]["total-ocpus"] == 64
    hosts = run_oci(cfg, emulator.endpoint("core"), "compute", "dedicated-vm-host", "list",
                    "--compartment-id", net.compartment_id)
    assert [h["display-name"] for h in hosts["data"]] == ["cli-dvh"]
    assert hosts["data"][0]["remaining-ocpus"] == 64
