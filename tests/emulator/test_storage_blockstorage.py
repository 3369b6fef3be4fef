"""Block Volume additions through the real SDK (and the CLI): volume groups (from volumes of one AD,
clone of a group, restore of a group backup; membership; delete keeps the volumes), volume group
backups (member backups, retention lock, copy to another region), boot volume clones and restores,
boot volume backup copies (work request), changes of compartment, Vault keys, and the work requests
of attach_volume and copy_volume_backup."""

from __future__ import annotations

import oci
import pytest

from .helpers import NO_RETRY, M, launch_running, run_oci, signer_for, unique, wait_state

KEY = "ocid1.key.oc1.iad.bbpkxq3taaeug.abuwcljsexampleuniquekeyid"


def make_volume(clients, net, ad=None, size=50):
    bs = clients.blockstorage
    v = bs.create_volume(M.CreateVolumeDetails(compartment_id=net.compartment_id, availability_domain=ad or net.ad,
                                               display_name=unique("vol"), size_in_gbs=size)).data
    return wait_state(bs, bs.get_volume, v.id, "AVAILABLE")


def region_client(clients, region):
    return oci.core.BlockstorageClient(clients.config, service_endpoint=clients.blockstorage.base_client.endpoint
                                       .replace("/core", f"/{region}/core"), signer=signer_for(clients.config),
                                       **NO_RETRY)


def wr_succeeded(clients, wr_id):
    wr = oci.wait_until(clients.work_requests, clients.work_requests.get_work_request(wr_id), "status",
                        "SUCCEEDED", max_wait_seconds=15, max_interval_seconds=1).data
    return wr


def err(excinfo):
    return excinfo.value.status, excinfo.value.code


def test_volume_groups_from_volumes_clone_and_membership(clients, net):
    bs = clients.blockstorage
    a, b, c = (make_volume(clients, net, size=s) for s in (50, 60, 70))
    g = bs.create_volume_group(M.CreateVolumeGroupDetails(
        compartment_id=net.compartment_id, availability_domain=net.ad, display_name="db-group",
        source_details=M.VolumeGroupSourceFromVolumesDetails(volume_ids=[a.id, b.id]))).data
    g = wait_state(bs, bs.get_volume_group, g.id, "AVAILABLE")
    assert sorted(g.volume_ids) == sorted([a.id, b.id]) and g.size_in_gbs == 110
    assert bs.get_volume(a.id).data.volume_group_id == g.id
    assert [x.id for x in bs.list_volume_groups(net.compartment_id).data] == [g.id]
    # a volume belongs to one group only; a group member cannot be deleted
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.create_volume_group(M.CreateVolumeGroupDetails(
            compartment_id=net.compartment_id, availability_domain=net.ad,
            source_details=M.VolumeGroupSourceFromVolumesDetails(volume_ids=[a.id, c.id])))
    assert err(e)[0] == 409 and "already belongs" in e.value.message
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.delete_volume(a.id)
    assert err(e)[0] == 409
    # every volume in the group's AD
    other_ad = clients.identity.list_availability_domains(clients.tenancy).data[1].name
    far = make_volume(clients, net, ad=other_ad)
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.create_volume_group(M.CreateVolumeGroupDetails(
            compartment_id=net.compartment_id, availability_domain=net.ad,
            source_details=M.VolumeGroupSourceFromVolumesDetails(volume_ids=[c.id, far.id])))
    assert err(e)[0] == 400 and "availability domain" in e.value.message
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.create_volume_group(M.CreateVolumeGroupDetails(
            compartment_id=net.compartment_id, availability_domain=net.ad,
            source_details=M.VolumeGroupSourceFromVolumesDetails(volume_ids=["ocid1.volume.oc1.iad.nope"])))
    assert err(e)[0] == 404
    # membership: b leaves, c joins
    up = bs.update_volume_group(g.id, M.UpdateVolumeGroupDetails(volume_ids=[a.id, c.id], display_name="db2")).data
    assert sorted(up.volume_ids) == sorted([a.id, c.id]) and up.size_in_gbs == 120 and up.display_name == "db2"
    assert bs.get_volume(b.id).data.volume_group_id is None
    assert bs.get_volume(c.id).data.volume_group_id == g.id
    # a clone of the group: new volumes in the same AD
    clone = bs.create_volume_group(M.CreateVolumeGroupDetails(
        compartment_id=net.compartment_id, availability_domain=net.ad,
        source_details=M.VolumeGroupSourceFromVolumeGroupDetails(volume_group_id=g.id))).data
    clone = wait_state(bs, bs.get_volume_group, clone.id, "AVAILABLE")
    assert len(clone.volume_ids) == 2 and not set(clone.volume_ids) & {a.id, c.id} and clone.size_in_gbs == 120
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.create_volume_group(M.CreateVolumeGroupDetails(
            compartment_id=net.compartment_id, availability_domain=other_ad,
            source_details=M.VolumeGroupSourceFromVolumeGroupDetails(volume_group_id=g.id)))
    assert err(e)[0] == 400
    # move, then delete: the volumes stay, outside any group
    dest = clients.identity.create_compartment(oci.identity.models.CreateCompartmentDetails(
        compartment_id=clients.tenancy, name=unique("vg-dest"), description="d")).data
    bs.change_volume_group_compartment(g.id, M.ChangeVolumeGroupCompartmentDetails(compartment_id=dest.id))
    assert bs.get_volume_group(g.id).data.compartment_id == dest.id
    bs.delete_volume_group(g.id)
    wait_state(bs, bs.get_volume_group, g.id, "TERMINATED")
    assert bs.get_volume(a.id).data.volume_group_id is None
    bs.delete_volume(a.id)


def test_volume_group_backups_restore_copy_and_retention(clients, net):
    bs = clients.blockstorage
    a, b = make_volume(clients, net), make_volume(clients, net, size=80)
    g = bs.create_volume_group(M.CreateVolumeGroupDetails(
        compartment_id=net.compartment_id, availability_domain=net.ad,
        source_details=M.VolumeGroupSourceFromVolumesDetails(volume_ids=[a.id, b.id]))).data
    wait_state(bs, bs.get_volume_group, g.id, "AVAILABLE")
    bk = bs.create_volume_group_backup(M.CreateVolumeGroupBackupDetails(
        volume_group_id=g.id, compartment_id=net.compartment_id, display_name="nightly", type="FULL",
        is_retention_lock_enabled=True,
        retention_period=M.RetentionDuration(retention_time_amount=7, retention_time_unit="DAYS"))).data
    bk = wait_state(bs, bs.get_volume_group_backup, bk.id, "AVAILABLE")
    assert len(bk.volume_backup_ids) == 2 and bk.size_in_gbs == 130 and bk.type == "FULL"
    assert bk.time_retention_expires_at is not None
    member = bs.get_volume_backup(bk.volume_backup_ids[0]).data
    assert member.volume_id in (a.id, b.id)
    assert [x.id for x in bs.list_volume_group_backups(net.compartment_id, volume_group_id=g.id).data] == [bk.id]
    up = bs.update_volume_group_backup(bk.id, M.UpdateVolumeGroupBackupDetails(display_name="weekly")).data
    assert up.display_name == "weekly"
    with pytest.raises(oci.exceptions.ServiceError) as e:  # a locked retention cannot shrink
        bs.update_volume_group_backup(bk.id, M.UpdateVolumeGroupBackupDetails(
            retention_period=M.RetentionDuration(retention_time_amount=1, retention_time_unit="DAYS")))
    assert err(e)[0] == 409
    # restore the group from its backup
    restored = bs.create_volume_group(M.CreateVolumeGroupDetails(
        compartment_id=net.compartment_id, availability_domain=net.ad,
        source_details=M.VolumeGroupSourceFromVolumeGroupBackupDetails(volume_group_backup_id=bk.id))).data
    restored = wait_state(bs, bs.get_volume_group, restored.id, "AVAILABLE")
    assert len(restored.volume_ids) == 2 and restored.size_in_gbs == 130
    # copy to another region
    copy = bs.copy_volume_group_backup(bk.id, M.CopyVolumeGroupBackupDetails(
        destination_region="us-phoenix-1", display_name="dr-copy")).data
    phx = region_client(clients, "us-phoenix-1")
    got = wait_state(phx, phx.get_volume_group_backup, copy.id, "AVAILABLE")
    assert got.source_volume_group_backup_id == bk.id and len(got.volume_backup_ids) == 2
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.copy_volume_group_backup(bk.id, M.CopyVolumeGroupBackupDetails(destination_region="us-ashburn-1"))
    assert err(e)[0] == 400
    # move, and the retention lock refuses the delete
    dest = clients.identity.create_compartment(oci.identity.models.CreateCompartmentDetails(
        compartment_id=clients.tenancy, name=unique("vgb-dest"), description="d")).data
    bs.change_volume_group_backup_compartment(bk.id, M.ChangeVolumeGroupBackupCompartmentDetails(
        compartment_id=dest.id))
    assert bs.get_volume_group_backup(bk.id).data.compartment_id == dest.id
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.delete_volume_group_backup(bk.id)
    assert err(e)[0] == 409 and "retention-locked" in e.value.message
    # an unlocked one goes, with its volume backups
    plain = bs.create_volume_group_backup(M.CreateVolumeGroupBackupDetails(
        volume_group_id=g.id, compartment_id=net.compartment_id)).data
    plain = wait_state(bs, bs.get_volume_group_backup, plain.id, "AVAILABLE")
    bs.delete_volume_group_backup(plain.id)
    wait_state(bs, bs.get_volume_group_backup, plain.id, "TERMINATED")
    assert bs.get_volume_backup(plain.volume_backup_ids[0]).data.lifecycle_state == "TERMINATED"


def test_boot_volume_clone_restore_copy_and_moves(clients, net):
    bs = clients.blockstorage
    inst = launch_running(clients, net)
    bva = clients.compute.list_boot_volume_attachments(net.ad, net.compartment_id, instance_id=inst.id).data[0]
    src = bs.get_boot_volume(bva.boot_volume_id).data
    clone = bs.create_boot_volume(M.CreateBootVolumeDetails(
        compartment_id=net.compartment_id, display_name="boot-clone", size_in_gbs=src.size_in_gbs + 50,
        source_details=M.BootVolumeSourceFromBootVolumeDetails(id=src.id))).data
    clone = wait_state(bs, bs.get_boot_volume, clone.id, "AVAILABLE")
    assert clone.availability_domain == src.availability_domain and clone.image_id == src.image_id
    assert clone.source_details.id == src.id and clone.size_in_gbs == src.size_in_gbs + 50
    other_ad = clients.identity.list_availability_domains(clients.tenancy).data[1].name
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.create_boot_volume(M.CreateBootVolumeDetails(
            compartment_id=net.compartment_id, availability_domain=other_ad,
            source_details=M.BootVolumeSourceFromBootVolumeDetails(id=src.id)))
    assert err(e)[0] == 400
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.create_boot_volume(M.CreateBootVolumeDetails(
            compartment_id=net.compartment_id, size_in_gbs=10,
            source_details=M.BootVolumeSourceFromBootVolumeDetails(id=src.id)))
    assert err(e)[0] == 400
    bk = bs.create_boot_volume_backup(M.CreateBootVolumeBackupDetails(boot_volume_id=src.id, type="FULL")).data
    bk = wait_state(bs, bs.get_boot_volume_backup, bk.id, "AVAILABLE")
    restored = bs.create_boot_volume(M.CreateBootVolumeDetails(
        compartment_id=net.compartment_id, availability_domain=other_ad,
        source_details=M.BootVolumeSourceFromBootVolumeBackupDetails(id=bk.id))).data
    assert wait_state(bs, bs.get_boot_volume, restored.id, "AVAILABLE").availability_domain == other_ad
    with pytest.raises(oci.exceptions.ServiceError) as e:  # a backup restore needs its AD
        bs.create_boot_volume(M.CreateBootVolumeDetails(
            compartment_id=net.compartment_id,
            source_details=M.BootVolumeSourceFromBootVolumeBackupDetails(id=bk.id)))
    assert err(e) == (400, "MissingParameter")
    # copy to another region: a work request
    resp = bs.copy_boot_volume_backup(bk.id, M.CopyBootVolumeBackupDetails(destination_region="us-phoenix-1",
                                                                           kms_key_id=KEY))
    wr_succeeded(clients, resp.headers["opc-work-request-id"])
    phx = region_client(clients, "us-phoenix-1")
    copied = phx.get_boot_volume_backup(resp.data.id).data
    assert copied.lifecycle_state == "AVAILABLE" and copied.source_boot_volume_backup_id == bk.id
    assert copied.kms_key_id == KEY
    # moves served by the engine
    dest = clients.identity.create_compartment(oci.identity.models.CreateCompartmentDetails(
        compartment_id=clients.tenancy, name=unique("bv-dest"), description="d")).data
    bs.change_boot_volume_compartment(clone.id, M.ChangeBootVolumeCompartmentDetails(compartment_id=dest.id))
    assert bs.get_boot_volume(clone.id).data.compartment_id == dest.id
    bs.change_boot_volume_backup_compartment(bk.id, M.ChangeBootVolumeBackupCompartmentDetails(
        compartment_id=dest.id))
    assert bs.get_boot_volume_backup(bk.id).data.compartment_id == dest.id
    vol = make_volume(clients, net)
    bs.change_volume_compartment(vol.id, M.ChangeVolumeCompartmentDetails(compartment_id=dest.id))
    assert bs.get_volume(vol.id).data.compartment_id == dest.id
    vb = bs.create_volume_backup(M.CreateVolumeBackupDetails(volume_id=vol.id)).data
    wait_state(bs, bs.get_volume_backup, vb.id, "AVAILABLE")
    bs.change_volume_backup_compartment(vb.id, M.ChangeVolumeBackupCompartmentDetails(
        compartment_id=net.compartment_id))
    assert bs.get_volume_backup(vb.id).data.compartment_id == net.compartment_id
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.change_volume_compartment(vol.id, M.ChangeVolumeCompartmentDetails(
            compartment_id="ocid1.compartment.oc1..nope"))
    assert err(e)[0] == 404


def test_vault_keys_of_volumes_and_boot_volumes(clients, net):
    bs = clients.blockstorage
    vol = make_volume(clients, net)
    assert bs.get_volume_kms_key(vol.id).data.kms_key_id is None
    assert bs.update_volume_kms_key(vol.id, M.UpdateVolumeKmsKeyDetails(kms_key_id=KEY)).data.kms_key_id == KEY
    assert bs.get_volume(vol.id).data.kms_key_id == KEY
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.update_volume_kms_key(vol.id, M.UpdateVolumeKmsKeyDetails(kms_key_id="not-a-key"))
    assert err(e)[0] == 400
    bs.delete_volume_kms_key(vol.id)
    assert bs.get_volume_kms_key(vol.id).data.kms_key_id is None
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.delete_volume_kms_key(vol.id)
    assert err(e)[0] == 404
    inst = launch_running(clients, net)
    bv_id = clients.compute.list_boot_volume_attachments(net.ad, net.compartment_id,
                                                         instance_id=inst.id).data[0].boot_volume_id
    bs.update_boot_volume_kms_key(bv_id, M.UpdateBootVolumeKmsKeyDetails(kms_key_id=KEY))
    assert bs.get_boot_volume_kms_key(bv_id).data.kms_key_id == KEY
    bs.delete_boot_volume_kms_key(bv_id)
    assert bs.get_boot_volume(bv_id).data.kms_key_id is None


def test_attach_volume_and_copy_volume_backup_report_work_requests(clients, net):
    bs, cc = clients.blockstorage, clients.compute
    inst = launch_running(clients, net)
    vol = make_volume(clients, net)
    resp = cc.attach_volume(M.AttachParavirtualizedVolumeDetails(instance_id=inst.id, volume_id=vol.id))
    wr = wr_succeeded(clients, resp.headers["opc-work-request-id"])
    assert wr.resources[0].identifier == resp.data.id
    assert cc.get_volume_attachment(resp.data.id).data.lifecycle_state == "ATTACHED"
    # the SDK's composite operation waits on it
    cc.detach_volume(resp.data.id)
    wait_state(cc, cc.get_volume_attachment, resp.data.id, "DETACHED")
    comp = oci.core.ComputeClientCompositeOperations(cc, work_request_client=clients.work_requests)
    done = comp.attach_volume_and_wait_for_work_request(
        M.AttachParavirtualizedVolumeDetails(instance_id=inst.id, volume_id=vol.id),
        waiter_kwargs={"max_wait_seconds": 15, "max_interval_seconds": 1})
    assert done.data.status == "SUCCEEDED"
    vb = bs.create_volume_backup(M.CreateVolumeBackupDetails(volume_id=vol.id)).data
    wait_state(bs, bs.get_volume_backup, vb.id, "AVAILABLE")
    resp = bs.copy_volume_backup(vb.id, M.CopyVolumeBackupDetails(destination_region="us-phoenix-1"))
    wr_succeeded(clients, resp.headers["opc-work-request-id"])
    with pytest.raises(oci.exceptions.ServiceError) as e:
        bs.copy_volume_backup(vb.id, M.CopyVolumeBackupDetails(destination_region="mars-1"))
    assert err(e)[0] == 400


@pytest.mark.cli
def test_cli_creates_a_volume_group_and_waits(clients, net, emulator, oci_config, tmp_path):
    a, b = make_volume(clients, net), make_volume(clients, net)
    cfg = emulator.write_config(tmp_path / "config")
    out = run_oci(cfg, emulator.endpoint("core"), "bv", "volume-group", "create", "--compartment-id",
                  net.compartment_id, "--availability-domain", net.ad, "--display-name", "cli-group",
                  "--source-details", f'{{"type":"volumeIds","volumeIds":["{a.id}","{b.id}"]}}',
                  "--wait-for-state", "AVAILABLE")
    assert out["data"]["lifecycle-state"] == "AVAILABLE"
    assert sorted(out["data"]["volume-ids"]) == sorted([a.id, b.id])
    listed = run_oci(cfg, emulator.endpoint("core"), "bv", "volume-group", "list", "--compartment-id",
                     net.compartment_id)
    assert [g["display-name"] for g in listed["data"]] == ["cli-group"]
