"""Instance configurations and instance pools through the real SDK: configurations from details or
from an instance, launched; pools of real instances over placements, scaled, acted on, instances
attached and detached, load balancers recorded, pre-termination waits, moved and terminated."""

from __future__ import annotations

import oci
import pytest

from .helpers import NO_RETRY, WAIT, M, launch_running, wait_state

LB = "ocid1.loadbalancer.oc1.iad.aaaaaaaaexampleexampleexample"


@pytest.fixture
def cm(emulator, oci_config):
    return oci.core.ComputeManagementClient(oci_config, service_endpoint=emulator.endpoint("core"), **NO_RETRY)


def wr_done(c, resp):
    wr_id = resp.headers["opc-work-request-id"]
    return oci.wait_until(c.work_requests, c.work_requests.get_work_request(wr_id), "status", "SUCCEEDED",
                          **WAIT).data


def config_details(net, **kw):
    ld = M.InstanceConfigurationLaunchInstanceDetails(
        compartment_id=net.compartment_id, shape="VM.Standard.E4.Flex",
        shape_config=M.InstanceConfigurationLaunchInstanceShapeConfigDetails(ocpus=1, memory_in_gbs=16),
        source_details=M.InstanceConfigurationInstanceSourceViaImageDetails(image_id=net.image_id),
        create_vnic_details=M.InstanceConfigurationCreateVnicDetails(assign_public_ip=False), **kw)
    return M.CreateInstanceConfigurationDetails(compartment_id=net.compartment_id, display_name="web-config",
                                                instance_details=M.ComputeInstanceDetails(launch_details=ld))


def test_instance_configurations(clients, net, cm):
    c = clients
    cfg = cm.create_instance_configuration(config_details(net)).data
    assert cfg.instance_details.launch_details.shape == "VM.Standard.E4.Flex"
    assert [x.id for x in cm.list_instance_configurations(net.compartment_id).data] == [cfg.id]
    assert cm.get_instance_configuration(cfg.id).data.display_name == "web-config"
    up = cm.update_instance_configuration(cfg.id, M.UpdateInstanceConfigurationDetails(display_name="web-2")).data
    assert up.display_name == "web-2"
    # launch it (the AD comes from the request): a real instance with its work request
    resp = cm.launch_instance_configuration(cfg.id, M.ComputeInstanceDetails(
        launch_details=M.InstanceConfigurationLaunchInstanceDetails(
            availability_domain=net.ad, display_name="from-config",
            create_vnic_details=M.InstanceConfigurationCreateVnicDetails(subnet_id=net.subnet_id))))
    assert wr_done(c, resp).operation_type == "LaunchInstance"
    inst = wait_state(c.compute, c.compute.get_instance, resp.data.id, "RUNNING")
    assert inst.display_name == "from-config" and inst.shape == "VM.Standard.E4.Flex"
    # from an instance
    src = launch_running(c, net)
    cfg2 = cm.create_instance_configuration(M.CreateInstanceConfigurationFromInstanceDetails(
        compartment_id=net.compartment_id, instance_id=src.id)).data
    assert cfg2.source == "INSTANCE" and cfg2.instance_details.launch_details.source_details.image_id == net.image_id
    assert cfg2.instance_details.launch_details.create_vnic_details.subnet_id == net.subnet_id
    # bad input
    with pytest.raises(oci.exceptions.ServiceError) as e:
        cm.create_instance_configuration(config_details(net, availability_domain="nowhere-AD-9"))
    assert e.value.status == 400
    bad = config_details(net)
    bad.instance_details.launch_details.source_details.image_id = "ocid1.image.oc1.iad.nope"
    with pytest.raises(oci.exceptions.ServiceError) as e:
        cm.create_instance_configuration(bad)
    assert e.value.status == 404
    dest = c.identity.create_compartment(oci.identity.models.CreateCompartmentDetails(
        compartment_id=c.tenancy, name="cfg-dest", description="d")).data
    cm.change_instance_configuration_compartment(cfg2.id, M.ChangeInstanceConfigurationCompartmentDetails(
        compartment_id=dest.id))
    assert cm.get_instance_configuration(cfg2.id).data.compartment_id == dest.id
    cm.delete_instance_configuration(cfg2.id)
    with pytest.raises(oci.exceptions.ServiceError) as e:
        cm.get_instance_configuration(cfg2.id)
    assert e.value.status == 404


def members(cm, net, pool_id):
    return cm.list_instance_pool_instances(net.compartment_id, pool_id).data


def test_instance_pool_lifecycle(clients, net, cm):
    c = clients
    cfg = cm.create_instance_configuration(config_details(net)).data
    with pytest.raises(oci.exceptions.ServiceError) as e:
        cm.create_instance_pool(M.CreateInstancePoolDetails(
            compartment_id=net.compartment_id, instance_configuration_id=cfg.id, size=2, placement_configurations=[]))
    assert e.value.status == 400
    pool = cm.create_instance_pool(M.CreateInstancePoolDetails(
        compartment_id=net.compartment_id, instance_configuration_id=cfg.id, size=2, display_name="web-pool",
        placement_configurations=[M.CreateInstancePoolPlacementConfigurationDetails(
            availability_domain=net.ad, primary_subnet_id=net.subnet_id,
            fault_domains=["FAULT-DOMAIN-1", "FAULT-DOMAIN-2"])],
        load_balancers=[M.AttachLoadBalancerDetails(load_balancer_id=LB, backend_set_name="web", port=80,
                                                    vnic_selection="PrimaryVnic")])).data
    assert pool.lifecycle_state == "PROVISIONING" and pool.size == 2
    pool = wait_state(cm, cm.get_instance_pool, pool.id, "RUNNING")
    assert pool.current_size == 2 and pool.load_balancers[0].lifecycle_state == "ATTACHED"
    ms = members(cm, net, pool.id)
    assert len(ms) == 2 and {m.fault_domain for m in ms} == {"FAULT-DOMAIN-1", "FAULT-DOMAIN-2"}
    assert all(m.display_name.startswith("inst-") and m.display_name.endswith("-web-pool") for m in ms)
    for m in ms:
        assert wait_state(c.compute, c.compute.get_instance, m.id, "RUNNING").shape == "VM.Standard.E4.Flex"
    pm = cm.get_instance_pool_instance(pool.id, ms[0].id).data
    assert pm.lifecycle_state == "ACTIVE" and pm.load_balancer_backends[0].backend_set_name == "web"
    lba = cm.get_instance_pool_load_balancer_attachment(pool.id, pool.load_balancers[0].id).data
    assert lba.port == 80
    assert [p.id for p in cm.list_instance_pools(net.compartment_id).data] == [pool.id]
    # the configuration is in use
    with pytest.raises(oci.exceptions.ServiceError) as e:
        cm.delete_instance_configuration(cfg.id)
    assert e.value.status == 409
    # scale out and in
    pool = cm.update_instance_pool(pool.id, M.UpdateInstancePoolDetails(size=3)).data
    assert pool.lifecycle_state == "SCALING"
    pool = wait_state(cm, cm.get_instance_pool, pool.id, "RUNNING")
    assert pool.size == 3 and len(members(cm, net, pool.id)) == 3
    newest = members(cm, net, pool.id)[0]
    cm.update_instance_pool(pool.id, M.UpdateInstancePoolDetails(size=1))
    wait_state(cm, cm.get_instance_pool, pool.id, "RUNNING")
    assert len(members(cm, net, pool.id)) == 1
    assert wait_state(c.compute, c.compute.get_instance, newest.id, "TERMINATED")
    # actions
    cm.stop_instance_pool(pool.id)
    wait_state(cm, cm.get_instance_pool, pool.id, "STOPPED")
    m = members(cm, net, pool.id)[0]
    assert c.compute.get_instance(m.id).data.lifecycle_state == "STOPPED"
    with pytest.raises(oci.exceptions.ServiceError) as e:
        cm.reset_instance_pool(pool.id)
    assert e.value.status == 409
    cm.start_instance_pool(pool.id)
    wait_state(cm, cm.get_instance_pool, pool.id, "RUNNING")
    wait_state(c.compute, c.compute.get_instance, m.id, "RUNNING")
    for fn in (cm.reset_instance_pool, cm.softreset_instance_pool):
        fn(pool.id)
        wait_state(cm, cm.get_instance_pool, pool.id, "RUNNING")
    cm.softstop_instance_pool(pool.id)
    wait_state(cm, cm.get_instance_pool, pool.id, "STOPPED")
    cm.start_instance_pool(pool.id)
    wait_state(cm, cm.get_instance_pool, pool.id, "RUNNING")
    # attach an instance, detach one (keeping the size: a replacement is launched)
    other = launch_running(c, net)
    resp = cm.attach_instance_pool_instance(pool.id, M.AttachInstancePoolInstanceDetails(instance_id=other.id))
    assert resp.data.lifecycle_state == "ATTACHING" and wr_done(c, resp).status == "SUCCEEDED"
    assert wait_state(cm, cm.get_instance_pool, pool.id, "RUNNING").size == 2
    with pytest.raises(oci.exceptions.ServiceError) as e:
        cm.attach_instance_pool_instance(pool.id, M.AttachInstancePoolInstanceDetails(instance_id=other.id))
    assert e.value.status == 409
    resp = cm.detach_instance_pool_instance(pool.id, M.DetachInstancePoolInstanceDetails(
        instance_id=other.id, is_decrement_size=False, is_auto_terminate=False))
    assert wr_done(c, resp).status == "SUCCEEDED"
    ids = [x.id for x in members(cm, net, pool.id)]
    assert other.id not in ids and len(ids) == 2
    assert c.compute.get_instance(other.id).data.lifecycle_state == "RUNNING"
    # load balancers
    pool = cm.attach_load_balancer(pool.id, M.AttachLoadBalancerDetails(
        load_balancer_id=LB, backend_set_name="api", port=8080, vnic_selection="PrimaryVnic")).data
    assert len(pool.load_balancers) == 2
    with pytest.raises(oci.exceptions.ServiceError) as e:
        cm.attach_load_balancer(pool.id, M.AttachLoadBalancerDetails(
            load_balancer_id=LB, backend_set_name="api", port=8080, vnic_selection="PrimaryVnic"))
    assert e.value.status == 409
    cm.detach_load_balancer(pool.id, M.DetachLoadBalancerDetails(load_balancer_id=LB, backend_set_name="api"))
    assert [lb.backend_set_name for lb in cm.get_instance_pool(pool.id).data.load_balancers] == ["web"]
    # move, then terminate: its instances go too
    dest = c.identity.create_compartment(oci.identity.models.CreateCompartmentDetails(
        compartment_id=c.tenancy, name="pool-dest", description="d")).data
    cm.change_instance_pool_compartment(pool.id, M.ChangeInstancePoolCompartmentDetails(compartment_id=dest.id))
    assert cm.get_instance_pool(pool.id).data.compartment_id == dest.id
    cm.terminate_instance_pool(pool.id)
    assert wait_state(cm, cm.get_instance_pool, pool.id, "TERMINATED")
    for i in ids:
        assert wait_state(c.compute, c.compute.get_instance, i, "TERMINATED")


def test_pre_termination_wait_and_proceed(clients, net, cm):
    cfg = cm.create_instance_configuration(config_details(net)).data
    pool = cm.create_instance_pool(M.CreateInstancePoolDetails(
        compartment_id=net.compartment_id, instance_configuration_id=cfg.id, size=1,
        placement_configurations=[M.CreateInstancePoolPlacementConfigurationDetails(
            availability_domain=net.ad, primary_subnet_id=net.subnet_id)],
        lifecycle_management=M.InstancePoolLifecycleManagementDetails(
            lifecycle_actions=M.InstancePoolLifecycleActionsDetails(
                pre_termination=M.InstancePoolPreTerminationActionDetails(
                    is_enabled=True, timeout=7200,
                    on_timeout=M.InstancePoolPreTerminationActionHandleTimeoutDetails(
                        preserve_block_volume_mode="PRESERVE_ALWAYS",
                        preserve_boot_volume_mode="DELETE_ALWAYS")))))).data
    wait_state(cm, cm.get_instance_pool, pool.id, "RUNNING")
    inst_id = members(cm, net, pool.id)[0].id
    with pytest.raises(oci.exceptions.ServiceError) as e:
        cm.termination_proceed_instance_pool_instance(pool.id, M.TerminationProceedInstancePoolInstanceDetails(
            instance_id=inst_id))
    assert e.value.status == 409
    cm.update_instance_pool(pool.id, M.UpdateInstancePoolDetails(size=0))
    assert cm.get_instance_pool_instance(pool.id, inst_id).data.lifecycle_state == "TERMINATION_AWAIT"
    assert clients.compute.get_instance(inst_id).data.lifecycle_state == "RUNNING"
    cm.termination_proceed_instance_pool_instance(pool.id, M.TerminationProceedInstancePoolInstanceDetails(
        instance_id=inst_id))
    assert wait_state(clients.compute, clients.compute.get_instance, inst_id, "TERMINATED")
    assert members(cm, net, pool.id) == []
