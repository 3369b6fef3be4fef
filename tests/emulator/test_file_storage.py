"""File Storage through the real SDK: file systems, mount targets (private IP allocated in the
subnet), export sets, exports (unique paths, checked options), snapshots, and the conflicts that
keep a file system, mount target or subnet from being deleted while in use."""

from __future__ import annotations

import ipaddress

import oci
import pytest
from oci.file_storage import models as FM

from .helpers import NO_RETRY, signer_for, unique, wait_state


@pytest.fixture
def fsc(emulator, oci_config):
    return oci.file_storage.FileStorageClient(oci_config, service_endpoint=emulator.endpoint("file_storage"),
                                              signer=signer_for(oci_config), **NO_RETRY)


def make_fs(fsc, net, **kw):
    d = dict(compartment_id=net.compartment_id, availability_domain=net.ad, display_name=unique("fs"))
    d.update(kw)
    fs = fsc.create_file_system(FM.CreateFileSystemDetails(**d)).data
    assert fs.lifecycle_state == "CREATING"
    return wait_state(fsc, fsc.get_file_system, fs.id, "ACTIVE")


def make_mt(fsc, net, **kw):
    d = dict(compartment_id=net.compartment_id, availability_domain=net.ad, subnet_id=net.subnet_id,
             display_name=unique("mt"))
    d.update(kw)
    mt = fsc.create_mount_target(FM.CreateMountTargetDetails(**d)).data
    assert mt.lifecycle_state == "CREATING"
    return wait_state(fsc, fsc.get_mount_target, mt.id, "ACTIVE")


def test_file_system_lifecycle(fsc, net):
    fs = make_fs(fsc, net, display_name="data", freeform_tags={"team": "x"})
    assert fs.availability_domain == net.ad and fs.metered_bytes == 0 and fs.freeform_tags == {"team": "x"}
    listed = fsc.list_file_systems(net.compartment_id, net.ad).data
    assert [f.id for f in listed] == [fs.id]
    assert fsc.list_file_systems(net.compartment_id, net.ad, display_name="nope").data == []
    assert fsc.update_file_system(fs.id, FM.UpdateFileSystemDetails(display_name="data-2")).data.display_name == \
        "data-2"
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.create_file_system(FM.CreateFileSystemDetails(compartment_id=net.compartment_id,
                                                          availability_domain="Uocm:NOWHERE-AD-1"))
    assert e.value.status == 400
    fsc.delete_file_system(fs.id)
    assert wait_state(fsc, fsc.get_file_system, fs.id, "DELETED").lifecycle_state == "DELETED"


def test_mount_target_gets_a_private_ip_in_its_subnet(clients, fsc, net):
    mt = make_mt(fsc, net, hostname_label="files")
    subnet = clients.network.get_subnet(net.subnet_id).data
    assert len(mt.private_ip_ids) == 1 and mt.subnet_id == net.subnet_id and mt.export_set_id
    priv = clients.network.get_private_ip(mt.private_ip_ids[0]).data
    assert ipaddress.ip_address(priv.ip_address) in ipaddress.ip_network(subnet.cidr_block)
    assert priv.subnet_id == net.subnet_id and priv.hostname_label == "files"
    assert priv.id in [p.id for p in clients.network.list_private_ips(subnet_id=net.subnet_id).data]
    # a chosen address, and one already taken
    mt2 = make_mt(fsc, net, ip_address=str(ipaddress.ip_network(subnet.cidr_block).network_address + 50))
    assert clients.network.get_private_ip(mt2.private_ip_ids[0]).data.ip_address.endswith(".50")
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.create_mount_target(FM.CreateMountTargetDetails(
            compartment_id=net.compartment_id, availability_domain=net.ad, subnet_id=net.subnet_id,
            ip_address=priv.ip_address))
    assert e.value.status == 409
    es = fsc.get_export_set(mt.export_set_id).data
    assert es.lifecycle_state == "ACTIVE" and es.vcn_id == net.vcn_id and es.availability_domain == net.ad
    assert mt.export_set_id in [x.id for x in fsc.list_export_sets(net.compartment_id, net.ad).data]
    assert fsc.update_export_set(es.id, FM.UpdateExportSetDetails(display_name="es", max_fs_stat_files=1000)
                                 ).data.max_fs_stat_files == 1000
    assert {m.id for m in fsc.list_mount_targets(net.compartment_id, net.ad).data} == {mt.id, mt2.id}
    assert [m.id for m in fsc.list_mount_targets(net.compartment_id, net.ad, export_set_id=es.id).data] == [mt.id]
    fsc.update_mount_target(mt.id, FM.UpdateMountTargetDetails(display_name="renamed"))
    # the subnet is in use
    with pytest.raises(oci.exceptions.ServiceError) as e:
        clients.network.delete_subnet(net.subnet_id)
    assert e.value.status == 409
    fsc.delete_mount_target(mt.id)
    fsc.delete_mount_target(mt2.id)
    wait_state(fsc, fsc.get_mount_target, mt.id, "DELETED")
    wait_state(fsc, fsc.get_mount_target, mt2.id, "DELETED")
    assert fsc.get_export_set(es.id).data.lifecycle_state == "DELETED"
    assert clients.network.list_private_ips(subnet_id=net.subnet_id).data == []  # the address is free again
    clients.network.delete_subnet(net.subnet_id)


def test_exports_paths_options_and_conflicts(fsc, net):
    fs, other = make_fs(fsc, net), make_fs(fsc, net)
    mt = make_mt(fsc, net)
    ex = fsc.create_export(FM.CreateExportDetails(export_set_id=mt.export_set_id, file_system_id=fs.id,
                                                  path="/data")).data
    assert ex.lifecycle_state == "CREATING" and len(ex.export_options) == 1
    default = ex.export_options[0]
    assert (default.source, default.access, default.identity_squash, default.anonymous_uid) == (
        "0.0.0.0/0", "READ_WRITE", "NONE", 65534)
    wait_state(fsc, fsc.get_export, ex.id, "ACTIVE")
    with pytest.raises(oci.exceptions.ServiceError) as e:  # the same path in the export set
        fsc.create_export(FM.CreateExportDetails(export_set_id=mt.export_set_id, file_system_id=other.id,
                                                 path="/data"))
    assert e.value.status == 409
    for bad in ("data", "/", "/data/", "/a//b", "/a/../b", "/with space"):
        with pytest.raises(oci.exceptions.ServiceError) as e:
            fsc.create_export(FM.CreateExportDetails(export_set_id=mt.export_set_id, file_system_id=other.id,
                                                     path=bad))
        assert e.value.status == 400, bad
    opts = [FM.ClientOptions(source="10.77.1.0/24", access="READ_ONLY", identity_squash="ALL", anonymous_uid=1000,
                             anonymous_gid=1000, require_privileged_source_port=True),
            FM.ClientOptions(source="10.77.2.7")]
    ex2 = fsc.create_export(FM.CreateExportDetails(export_set_id=mt.export_set_id, file_system_id=other.id,
                                                   path="/projects/shared", export_options=opts)).data
    assert [(o.source, o.access, o.identity_squash) for o in ex2.export_options] == [
        ("10.77.1.0/24", "READ_ONLY", "ALL"), ("10.77.2.7", "READ_WRITE", "NONE")]
    for bad_opts in ([FM.ClientOptions(source="10.77.1.1/24")], [FM.ClientOptions(source="not-an-ip")],
                     [FM.ClientOptions(source="10.0.0.0/8", anonymous_uid=-1)],
                     [FM.ClientOptions(source="10.0.0.0/8"), FM.ClientOptions(source="10.0.0.0/8")]):
        with pytest.raises(oci.exceptions.ServiceError) as e:
            fsc.update_export(ex2.id, FM.UpdateExportDetails(export_options=bad_opts))
        assert e.value.status == 400, bad_opts
    up = fsc.update_export(ex2.id, FM.UpdateExportDetails(export_options=[FM.ClientOptions(source="10.0.0.0/8")]))
    assert [o.source for o in up.data.export_options] == ["10.0.0.0/8"]
    assert {e.path for e in fsc.list_exports(export_set_id=mt.export_set_id).data} == {"/data", "/projects/shared"}
    assert [e.id for e in fsc.list_exports(file_system_id=fs.id).data] == [ex.id]
    assert len(fsc.list_exports(compartment_id=net.compartment_id, sort_by="PATH", sort_order="ASC").data) == 2
    # in use: the file system and the mount target cannot go
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.delete_file_system(fs.id)
    assert e.value.status == 409
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.delete_mount_target(mt.id)
    assert e.value.status == 409
    fsc.delete_export(ex.id)
    wait_state(fsc, fsc.get_export, ex.id, "DELETED")
    fsc.delete_file_system(fs.id)
    # the path is free again once the export is deleted
    again = fsc.create_export(FM.CreateExportDetails(export_set_id=mt.export_set_id, file_system_id=make_fs(
        fsc, net).id, path="/data")).data
    assert again.path == "/data"


def test_snapshots_and_clones(fsc, net):
    fs = make_fs(fsc, net)
    snap = fsc.create_snapshot(FM.CreateSnapshotDetails(file_system_id=fs.id, name="nightly-1")).data
    assert snap.lifecycle_state == "CREATING" and snap.snapshot_type == "USER"
    wait_state(fsc, fsc.get_snapshot, snap.id, "ACTIVE")
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.create_snapshot(FM.CreateSnapshotDetails(file_system_id=fs.id, name="nightly-1"))
    assert e.value.status == 409
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.create_snapshot(FM.CreateSnapshotDetails(file_system_id=fs.id, name="bad name"))
    assert e.value.status == 400
    s2 = fsc.create_snapshot(FM.CreateSnapshotDetails(file_system_id=fs.id, name="nightly-2",
                                                      freeform_tags={"k": "v"})).data
    assert [s.name for s in fsc.list_snapshots(file_system_id=fs.id, sort_order="ASC").data] == [
        "nightly-1", "nightly-2"]
    fsc.update_snapshot(s2.id, FM.UpdateSnapshotDetails(freeform_tags={"k": "w"}))
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.delete_file_system(fs.id)
    assert e.value.status == 409
    clone = make_fs(fsc, net, source_snapshot_id=snap.id)
    assert clone.source_details.parent_file_system_id == fs.id
    assert fsc.get_file_system(fs.id).data.is_clone_parent is True
    assert [f.id for f in fsc.list_file_systems(net.compartment_id, net.ad, source_snapshot_id=snap.id).data] == [
        clone.id]
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.delete_snapshot(snap.id)  # a clone's source
    assert e.value.status == 409
    fsc.delete_file_system(clone.id)
    wait_state(fsc, fsc.get_file_system, clone.id, "DELETED")
    for s in (snap, s2):
        fsc.delete_snapshot(s.id)
        wait_state(fsc, fsc.get_snapshot, s.id, "DELETED")
    fsc.delete_file_system(fs.id)


def test_exports_need_the_same_ad(clients, fsc, net):
    ads = [a.name for a in clients.identity.list_availability_domains(clients.tenancy).data]
    fs = make_fs(fsc, net, availability_domain=next(a for a in ads if a != net.ad))
    mt = make_mt(fsc, net)
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.create_export(FM.CreateExportDetails(export_set_id=mt.export_set_id, file_system_id=fs.id, path="/x"))
    assert e.value.status == 400 and "availability domain" in e.value.message


def test_demo_seed_file_storage(clients, fsc):
    comps = {c.name: c.id for c in clients.identity.list_compartments(clients.tenancy,
                                                                      compartment_id_in_subtree=True).data}
    dev = comps["Development"]
    ad = clients.identity.list_availability_domains(clients.tenancy).data[0].name
    fss = fsc.list_file_systems(dev, ad).data
    mts = fsc.list_mount_targets(dev, ad).data
    assert [f.display_name for f in fss] == ["shared-home"] and [m.display_name for m in mts] == ["dev-nfs"]
    exports = fsc.list_exports(export_set_id=mts[0].export_set_id).data
    assert [e.path for e in exports] == ["/shared-home"]
    assert len(fsc.get_export(exports[0].id).data.export_options) == 2
    subnet = clients.network.get_subnet(mts[0].subnet_id).data
    assert subnet.display_name == "dev-vcn-private"
    ip = clients.network.get_private_ip(mts[0].private_ip_ids[0]).data.ip_address
    assert ipaddress.ip_address(ip) in ipaddress.ip_network(subnet.cidr_block)
    assert [s.name for s in fsc.list_snapshots(file_system_id=fss[0].id).data] == ["before-upgrade"]
