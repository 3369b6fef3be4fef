"""Block Volume through the real SDK: volumes (size and performance bounds, resize up only),
attachments (lifecycle, one per non-shareable volume, same AD, instance state), backups and
restore, boot volume backups, backup policies (Oracle-defined and custom) with assignments, and
scheduled backups copied to the policy's destination region."""

from __future__ import annotations

import oci
import pytest

from .helpers import NO_RETRY, M, launch_running, signer_for, unique, wait_state


def vol_details(net, **kw) -> M.CreateVolumeDetails:
    d = dict(compartment_id=net.compartment_id, availability_domain=net.ad, display_name=unique("vol"),
             size_in_gbs=50)
    d.update(kw)
    return M.CreateVolumeDetails(**d)


def make_volume(clients, net, **kw):
    v = clients.blockstorage.create_volume(vol_details(net, **kw)).data
    return wait_state(clients.blockstorage, clients.blockstorage.get_volume, v.id, "AVAILABLE")


def attach(clients, inst, vol, kind="paravirtualized", **kw):
    cls = M.AttachIScsiVolumeDetails if kind == "iscsi" else M.AttachParavirtualizedVolumeDetails
    return clients.compute.attach_volume(cls(type=kind, instance_id=inst.id, volume_id=vol.id, **kw)).data


def status(excinfo) -> tuple[int, str]:
    return excinfo.value.status, excinfo.value.code


def test_volume_size_and_performance_bounds(clients, net):
    bs = clients.blockstorage
    for kw in ({"size_in_gbs": 49}, {"size_in_gbs": 32769}, {"vpus_per_gb": 5}, {"vpus_per_gb": 130},
               {"vpus_per_gb": -10}):
        with pytest.raises(oci.exceptions.ServiceError) as e:
            bs.create_volume(vol_details(net, **kw))
        assert e.value.status == 400, kw
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.create_volume(vol_details(net, availability_domain="Uocm:NOWHERE-AD-9"))
    assert e.value.status == 400
    made = {}
    for vpus, label in ((0, "Lower Cost"), (10, "Balanced"), (20, "Higher Performance"), (120, "Ultra High")):
        v = bs.create_volume(vol_details(net, vpus_per_gb=vpus, display_name=label)).data
        assert v.lifecycle_state == "PROVISIONING" and v.vpus_per_gb == vpus
        made[label] = v
    big = make_volume(clients, net, size_in_gbs=32768)
    assert big.size_in_gbs == 32768 and big.size_in_mbs == 32768 * 1024
    default = make_volume(clients, net, size_in_gbs=None)
    assert default.size_in_gbs == 1024 and default.vpus_per_gb == 10
    assert {v.display_name for v in bs.list_volumes(compartment_id=net.compartment_id).data} >= set(made)
    assert [v.id for v in bs.list_volumes(compartment_id=net.compartment_id, display_name="Balanced").data] == [
        made["Balanced"].id]


def test_resize_up_only_and_change_performance(clients, net):
    bs = clients.blockstorage
    v = make_volume(clients, net, size_in_gbs=100)
    grown = bs.update_volume(v.id, M.UpdateVolumeDetails(size_in_gbs=200, vpus_per_gb=30, display_name="grown")).data
    assert (grown.size_in_gbs, grown.size_in_mbs, grown.vpus_per_gb, grown.display_name) == (
        200, 200 * 1024, 30, "grown")
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.update_volume(v.id, M.UpdateVolumeDetails(size_in_gbs=150))
    assert e.value.status == 400 and "only grow" in e.value.message
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.update_volume(v.id, M.UpdateVolumeDetails(size_in_gbs=40000))
    assert e.value.status == 400
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.update_volume(v.id, M.UpdateVolumeDetails(display_name="x"), if_match="stale")
    assert e.value.status == 412
    bs.delete_volume(v.id)
    wait_state(bs, bs.get_volume, v.id, "TERMINATED")


def test_attach_detach_lifecycle_and_rules(emulator, clients, net):
    cc, bs = clients.compute, clients.blockstorage
    inst = launch_running(clients, net)
    other = launch_running(clients, net)
    vol = make_volume(clients, net)
    emulator.core.transition_delay = 2  # see the intermediate states
    try:
        att = attach(clients, inst, vol, display_name="data")
        assert att.lifecycle_state == "ATTACHING" and att.attachment_type == "paravirtualized"
        assert att.device == "/dev/oracleoci/oraclevdb" and att.is_shareable is False
        with pytest.raises(oci.exceptions.ServiceError) as e:
            cc.detach_volume(att.id)
        assert e.value.status == 409
    finally:
        emulator.core.transition_delay = 0
    att = wait_state(cc, cc.get_volume_attachment, att.id, "ATTACHED")
    # one attachment per non-shareable volume
    with pytest.raises(oci.exceptions.ServiceError) as e:
        attach(clients, other, vol)
    assert e.value.status == 409
    with pytest.raises(oci.exceptions.ServiceError) as e:
        attach(clients, inst, vol)
    assert e.value.status == 409
    # an attached volume cannot be deleted
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.delete_volume(vol.id)
    assert e.value.status == 409
    listed = cc.list_volume_attachments(net.compartment_id, instance_id=inst.id).data
    assert [a.id for a in listed] == [att.id]
    assert [a.id for a in cc.list_volume_attachments(net.compartment_id, volume_id=vol.id).data] == [att.id]
    assert cc.list_volume_attachments(net.compartment_id, instance_id=other.id).data == []
    emulator.core.transition_delay = 2
    try:
        cc.detach_volume(att.id)
        assert cc.get_volume_attachment(att.id).data.lifecycle_state == "DETACHING"
    finally:
        emulator.core.transition_delay = 0
    wait_state(cc, cc.get_volume_attachment, att.id, "DETACHED")
    with pytest.raises(oci.exceptions.ServiceError) as e:
        cc.detach_volume(att.id)
    assert e.value.status == 409
    # now the other instance may have it, as iSCSI with CHAP, read-only
    isc = attach(clients, other, vol, kind="iscsi", use_chap=True, is_read_only=True)
    assert isc.attachment_type == "iscsi" and isc.port == 3260 and isc.iqn.startswith("iqn.2015-12.com.oracleiaas:")
    assert isc.ipv4.startswith("169.254.") and isc.chap_secret and isc.chap_username and isc.is_read_only
    wait_state(cc, cc.get_volume_attachment, isc.id, "ATTACHED")
    assert cc.update_volume_attachment(isc.id, M.UpdateVolumeAttachmentDetails(
        iscsi_login_state="LOGIN_SUCCEEDED")).data.iscsi_login_state == "LOGIN_SUCCEEDED"
    # terminating the instance detaches its volumes
    cc.terminate_instance(other.id)
    wait_state(cc, cc.get_instance, other.id, "TERMINATED")
    assert cc.get_volume_attachment(isc.id).data.lifecycle_state == "DETACHED"
    bs.delete_volume(vol.id)


def test_detach_is_tracked_by_a_work_request(emulator, clients, net):
    cc, wrc = clients.compute, clients.work_requests
    inst = launch_running(clients, net)
    vol = make_volume(clients, net)
    att = wait_state(cc, cc.get_volume_attachment, attach(clients, inst, vol).id, "ATTACHED")
    emulator.core.transition_delay = 2  # see it in progress
    try:
        resp = cc.detach_volume(att.id)
        assert resp.status == 204
        wr_id = resp.headers["opc-work-request-id"]
        wr = wrc.get_work_request(wr_id).data
        assert wr.operation_type == "DetachVolume" and wr.status in ("ACCEPTED", "IN_PROGRESS")
        assert wr.compartment_id == att.compartment_id
        assert [(r.entity_type, r.identifier) for r in wr.resources] == [("volumeattachment", att.id)]
        assert cc.get_volume_attachment(att.id).data.lifecycle_state == "DETACHING"
    finally:
        emulator.core.transition_delay = 0
    done = oci.wait_until(wrc, wrc.get_work_request(wr_id), "status", "SUCCEEDED", max_wait_seconds=15,
                          max_interval_seconds=1).data
    assert done.percent_complete == 100.0 and done.time_finished is not None
    assert cc.get_volume_attachment(att.id).data.lifecycle_state == "DETACHED"
    assert [w.id for w in wrc.list_work_requests(net.compartment_id, resource_id=att.id).data
            if w.operation_type == "DetachVolume"] == [wr_id]  # (the attachment has its AttachVolume one too)
    assert wrc.list_work_request_errors(wr_id).data == []
    assert any("detached" in log.message.lower() for log in wrc.list_work_request_logs(wr_id).data)
    # the same work request through the core endpoint, as the oci CLI asks for it
    cfg = clients.config
    via_core = oci.work_requests.WorkRequestClient(cfg, service_endpoint=emulator.endpoint("core"),
                                                   signer=signer_for(cfg), **NO_RETRY)
    assert via_core.get_work_request(wr_id).data.status == "SUCCEEDED"
    with pytest.raises(oci.exceptions.ServiceError) as e:
        via_core.get_work_request("ocid1.workrequest.oc1.iad.nope")
    assert e.value.status == 404


def test_detach_work_request_succeeds_when_the_instance_terminates_meanwhile(emulator, clients, net):
    cc, wrc = clients.compute, clients.work_requests
    inst = launch_running(clients, net)
    att = wait_state(cc, cc.get_volume_attachment, attach(clients, inst, make_volume(clients, net)).id, "ATTACHED")
    emulator.core.transition_delay = 2
    try:
        wr_id = cc.detach_volume(att.id).headers["opc-work-request-id"]
        cc.terminate_instance(inst.id)  # takes its attachments with it
    finally:
        emulator.core.transition_delay = 0
    done = oci.wait_until(wrc, wrc.get_work_request(wr_id), "status", "SUCCEEDED", max_wait_seconds=15,
                          max_interval_seconds=1).data
    assert done.status == "SUCCEEDED"
    assert cc.get_volume_attachment(att.id).data.lifecycle_state == "DETACHED"


def test_shareable_volumes_attach_to_several_instances(clients, net):
    cc = clients.compute
    a, b = launch_running(clients, net), launch_running(clients, net)
    vol = make_volume(clients, net)
    first = attach(clients, a, vol, is_shareable=True)
    second = attach(clients, b, vol, is_shareable=True)
    for att in (first, second):
        assert wait_state(cc, cc.get_volume_attachment, att.id, "ATTACHED").is_shareable
    assert len(cc.list_volume_attachments(net.compartment_id, volume_id=vol.id).data) == 2


def test_attach_needs_the_same_ad_and_a_running_or_stopped_instance(emulator, clients, net):
    cc, bs = clients.compute, clients.blockstorage
    inst = launch_running(clients, net)
    ads = [a.name for a in clients.identity.list_availability_domains(clients.tenancy).data]
    elsewhere = make_volume(clients, net, availability_domain=next(a for a in ads if a != net.ad))
    with pytest.raises(oci.exceptions.ServiceError) as e:
        attach(clients, inst, elsewhere)
    assert e.value.status == 400 and "availability domain" in e.value.message
    vol = make_volume(clients, net)
    cc.instance_action(inst.id, "STOP")
    wait_state(cc, cc.get_instance, inst.id, "STOPPED")
    att = attach(clients, inst, vol)  # a stopped instance is fine
    wait_state(cc, cc.get_volume_attachment, att.id, "ATTACHED")
    emulator.core.transition_delay = 2
    try:
        cc.instance_action(inst.id, "START")  # STARTING
        vol2 = bs.create_volume(vol_details(net)).data  # still PROVISIONING
        with pytest.raises(oci.exceptions.ServiceError) as e:
            attach(clients, inst, vol)
        assert e.value.status == 409
    finally:
        emulator.core.transition_delay = 0
    wait_state(bs, bs.get_volume, vol2.id, "AVAILABLE")
    with pytest.raises(oci.exceptions.ServiceError) as e:
        cc.attach_volume(M.AttachParavirtualizedVolumeDetails(type="paravirtualized", instance_id="ocid1.instance.oc1"
                                                              ".iad.nope", volume_id=vol2.id))
    assert e.value.status == 404


def test_backups_and_restore(clients, net):
    bs = clients.blockstorage
    vol = make_volume(clients, net, size_in_gbs=60)
    full = bs.create_volume_backup(M.CreateVolumeBackupDetails(volume_id=vol.id, type="FULL",
                                                               display_name="full-1")).data
    assert full.lifecycle_state == "CREATING" and full.source_type == "MANUAL" and full.size_in_gbs == 60
    full = wait_state(bs, bs.get_volume_backup, full.id, "AVAILABLE")
    inc = bs.create_volume_backup(M.CreateVolumeBackupDetails(volume_id=vol.id)).data
    assert inc.type == "INCREMENTAL"
    wait_state(bs, bs.get_volume_backup, inc.id, "AVAILABLE")
    listed = bs.list_volume_backups(net.compartment_id, volume_id=vol.id).data
    assert {b.id for b in listed} == {full.id, inc.id}
    assert bs.update_volume_backup(full.id, M.UpdateVolumeBackupDetails(display_name="renamed")
                                   ).data.display_name == "renamed"
    restored = bs.create_volume(vol_details(net, size_in_gbs=None, source_details=M.VolumeSourceFromVolumeBackupDetails(
        type="volumeBackup", id=full.id))).data
    assert restored.source_details.id == full.id and restored.size_in_gbs == 60
    restored = wait_state(bs, bs.get_volume, restored.id, "AVAILABLE")
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.create_volume(vol_details(net, size_in_gbs=50, source_details=M.VolumeSourceFromVolumeBackupDetails(
            type="volumeBackup", id=full.id)))
    assert e.value.status == 400  # smaller than the backup
    clone = bs.create_volume(vol_details(net, source_details=M.VolumeSourceFromVolumeDetails(
        type="volume", id=vol.id), size_in_gbs=None)).data
    assert clone.size_in_gbs == 60
    bs.delete_volume_backup(inc.id)
    wait_state(bs, bs.get_volume_backup, inc.id, "TERMINATED")
    # a manual copy to another region
    copied = bs.copy_volume_backup(full.id, M.CopyVolumeBackupDetails(destination_region="us-phoenix-1")).data
    phx = oci.core.BlockstorageClient(clients.config, service_endpoint=clients.compute.base_client.endpoint.replace(
        "/core", "/us-phoenix-1/core"), signer=signer_for(clients.config), **NO_RETRY)
    got = wait_state(phx, phx.get_volume_backup, copied.id, "AVAILABLE")
    assert got.source_volume_backup_id == full.id
    with pytest.raises(oci.exceptions.ServiceError):
        bs.get_volume_backup(copied.id)  # it lives in the other region


def test_boot_volume_backups(clients, net):
    bs, cc = clients.blockstorage, clients.compute
    inst = launch_running(clients, net)
    bva = cc.list_boot_volume_attachments(net.ad, net.compartment_id, instance_id=inst.id).data[0]
    bk = bs.create_boot_volume_backup(M.CreateBootVolumeBackupDetails(boot_volume_id=bva.boot_volume_id,
                                                                      display_name="boot-1", type="FULL")).data
    assert bk.boot_volume_id == bva.boot_volume_id and bk.image_id == net.image_id
    wait_state(bs, bs.get_boot_volume_backup, bk.id, "AVAILABLE")
    assert [b.id for b in bs.list_boot_volume_backups(net.compartment_id, boot_volume_id=bva.boot_volume_id
                                                      ).data] == [bk.id]
    bs.update_boot_volume_backup(bk.id, M.UpdateBootVolumeBackupDetails(display_name="boot-renamed"))
    bs.delete_boot_volume_backup(bk.id)
    assert wait_state(bs, bs.get_boot_volume_backup, bk.id, "TERMINATED").display_name == "boot-renamed"


def test_oracle_defined_and_custom_policies(clients, net):
    bs = clients.blockstorage
    oracle = bs.list_volume_backup_policies().data
    assert [p.display_name for p in oracle] == ["bronze", "gold", "silver"]
    assert all(p.compartment_id is None for p in oracle)
    gold = next(p for p in oracle if p.display_name == "gold")
    assert {(s.backup_type, s.period) for s in gold.schedules} >= {("INCREMENTAL", "ONE_DAY"), ("FULL", "ONE_YEAR")}
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.delete_volume_backup_policy(gold.id)
    assert e.value.status == 400
    sched = [M.VolumeBackupSchedule(backup_type="INCREMENTAL", period="ONE_DAY", hour_of_day=3,
                                    retention_seconds=7 * 86400),
             M.VolumeBackupSchedule(backup_type="FULL", period="ONE_WEEK", day_of_week="SUNDAY",
                                    retention_seconds=30 * 86400)]
    pol = bs.create_volume_backup_policy(M.CreateVolumeBackupPolicyDetails(
        compartment_id=net.compartment_id, display_name="custom", schedules=sched,
        destination_region="us-phoenix-1")).data
    assert pol.destination_region == "us-phoenix-1" and len(pol.schedules) == 2
    assert [p.id for p in bs.list_volume_backup_policies(compartment_id=net.compartment_id).data] == [pol.id]
    for bad in (M.VolumeBackupSchedule(backup_type="FULL", period="ONE_DAY", retention_seconds=60),
                M.VolumeBackupSchedule(backup_type="FULL", period="ONE_DAY", hour_of_day=25,
                                       retention_seconds=86400),
                M.VolumeBackupSchedule(backup_type="FULL", period="ONE_DAY", day_of_week="MONDAY",
                                       retention_seconds=86400)):
        with pytest.raises(oci.exceptions.ServiceError) as e:
            bs.create_volume_backup_policy(M.CreateVolumeBackupPolicyDetails(
                compartment_id=net.compartment_id, schedules=[bad]))
        assert e.value.status == 400
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.create_volume_backup_policy(M.CreateVolumeBackupPolicyDetails(
            compartment_id=net.compartment_id, destination_region="us-ashburn-1"))
    assert e.value.status == 400
    up = bs.update_volume_backup_policy(pol.id, M.UpdateVolumeBackupPolicyDetails(display_name="custom-2")).data
    assert up.display_name == "custom-2"
    assert bs.get_volume_backup_policy(pol.id).data.display_name == "custom-2"

    vol = make_volume(clients, net)
    a = bs.create_volume_backup_policy_assignment(M.CreateVolumeBackupPolicyAssignmentDetails(
        asset_id=vol.id, policy_id=pol.id)).data
    assert bs.get_volume_backup_policy_assignment(a.id).data.policy_id == pol.id
    assert [x.id for x in bs.get_volume_backup_policy_asset_assignment(vol.id).data] == [a.id]
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.create_volume_backup_policy_assignment(M.CreateVolumeBackupPolicyAssignmentDetails(
            asset_id=vol.id, policy_id=gold.id))
    assert e.value.status == 409
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.delete_volume_backup_policy(pol.id)
    assert e.value.status == 409
    bs.delete_volume_backup_policy_assignment(a.id)
    assert bs.get_volume_backup_policy_asset_assignment(vol.id).data == []
    bs.delete_volume_backup_policy(pol.id)
    # a policy given at creation is assigned
    v2 = make_volume(clients, net, backup_policy_id=gold.id)
    assert bs.get_volume_backup_policy_asset_assignment(v2.id).data[0].policy_id == gold.id


def test_a_scheduled_backup_is_copied_to_the_destination_region(emulator, clients, net):
    bs = clients.blockstorage
    pol = bs.create_volume_backup_policy(M.CreateVolumeBackupPolicyDetails(
        compartment_id=net.compartment_id, display_name="dr", destination_region="us-phoenix-1",
        schedules=[M.VolumeBackupSchedule(backup_type="INCREMENTAL", period="ONE_HOUR",
                                          retention_seconds=2 * 86400)])).data
    vol = make_volume(clients, net, backup_policy_id=pol.id)
    assert bs.list_volume_backups(net.compartment_id, volume_id=vol.id).data == []  # nothing due yet
    # two hours later (the assignment was made then): the hourly schedule came due once
    store = emulator.store
    with store.transaction():
        a = store.by_field("volumebackuppolicyassignment", "assetId", vol.id)[0]
        store.update("volumebackuppolicyassignment", a["id"], {"_since": a["_since"] - 2 * 3600})
    backups = bs.list_volume_backups(net.compartment_id, volume_id=vol.id).data
    assert len(backups) == 1
    b = wait_state(bs, bs.get_volume_backup, backups[0].id, "AVAILABLE")
    assert b.source_type == "SCHEDULED" and b.type == "INCREMENTAL" and "via policy: dr" in b.display_name
    assert b.expiration_time is not None
    assert len(bs.list_volume_backups(net.compartment_id, volume_id=vol.id).data) == 1  # not again
    phx = oci.core.BlockstorageClient(clients.config, service_endpoint=emulator.endpoint("core", "us-phoenix-1"),
                                      signer=signer_for(clients.config), **NO_RETRY)
    copies = phx.list_volume_backups(net.compartment_id, source_volume_backup_id=b.id).data
    assert len(copies) == 1 and copies[0].volume_id == vol.id
    assert wait_state(phx, phx.get_volume_backup, copies[0].id, "AVAILABLE").source_type == "SCHEDULED"
    # past its retention, the scheduled backup goes
    with store.transaction():
        for kind in ("volumebackup",):
            for d in store.list(kind):
                if d.get("_expires"):
                    store.update(kind, d["id"], {"_expires": 1.0})
    assert bs.get_volume_backup(b.id).data.lifecycle_state == "TERMINATED"


def test_demo_seed_volumes(emulator, clients):
    t = clients.tenancy
    comps = [t] + [c.id for c in clients.identity.list_compartments(t, compartment_id_in_subtree=True).data]
    vols = {v.display_name: v for c in comps for v in clients.blockstorage.list_volumes(compartment_id=c).data}
    assert {"etl-data", "api-cache", "scratch"} <= set(vols)
    etl = vols["etl-data"]
    atts = clients.compute.list_volume_attachments(etl.compartment_id, volume_id=etl.id).data
    assert [a.lifecycle_state for a in atts] == ["ATTACHED"]
    assert clients.compute.get_instance(atts[0].instance_id).data.lifecycle_state == "RUNNING"
    assert clients.compute.list_volume_attachments(vols["scratch"].compartment_id, volume_id=vols["scratch"].id
                                                   ).data == []
    custom = [p for c in comps for p in clients.blockstorage.list_volume_backup_policies(compartment_id=c).data]
    assert any(p.destination_region == "us-phoenix-1" for p in custom)


@pytest.mark.cli
def test_oci_cli_volume_create_and_attach(emulator, clients, net, tmp_path):
    from .helpers import run_oci
    inst = launch_running(clients, net)
    cfg = emulator.write_config(tmp_path / "config")
    ep = emulator.endpoint("core")
    vol = run_oci(cfg, ep, "bv", "volume", "create", "--compartment-id", net.compartment_id,
                   "--availability-domain", net.ad, "--size-in-gbs", "60", "--vpus-per-gb", "20",
                   "--display-name", "cli-vol", "--wait-for-state", "AVAILABLE", "--wait-interval-seconds", "1")["data"]
    assert vol["lifecycle-state"] == "AVAILABLE" and vol["size-in-gbs"] == 60 and vol["vpus-per-gb"] == 20
    att = run_oci(cfg, ep, "compute", "volume-attachment", "attach", "--instance-id", inst.id,
                   "--volume-id", vol["id"], "--type", "paravirtualized", "--wait-for-state", "ATTACHED",
                   "--wait-interval-seconds", "1")["data"]
    assert att["lifecycle-state"] == "ATTACHED" and att["volume-id"] == vol["id"]
    assert clients.compute.get_volume_attachment(att["id"]).data.instance_id == inst.id
    # detach waits on its work request (the CLI asks the --endpoint given for core for it)
    wr = run_oci(cfg, ep, "compute", "volume-attachment", "detach", "--volume-attachment-id", att["id"], "--force",
                  "--wait-for-state", "SUCCEEDED", "--wait-interval-seconds", "1", "--max-wait-seconds", "30")["data"]
    assert wr["status"] == "SUCCEEDED" and wr["operation-type"] == "DetachVolume"
    assert [r["identifier"] for r in wr["resources"]] == [att["id"]]
    assert clients.compute.get_volume_attachment(att["id"]).data.lifecycle_state == "DETACHED"
