"""File Storage additions through the real SDK: resource locks (FULL/DELETE, isLockOverride) on every
lockable kind, changes of compartment, snapshot policies (schedules, pause/unpause, in use), LDAP
outbound connectors, replications and their targets (estimate, delete either end), quota rules
(toggle), and detaching a clone."""

from __future__ import annotations

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
    return wait_state(fsc, fsc.get_file_system, fs.id, "ACTIVE")


def err(e):
    return e.value.status, e.value.code


def new_comp(clients, name):
    return clients.identity.create_compartment(oci.identity.models.CreateCompartmentDetails(
        compartment_id=clients.tenancy, name=unique(name), description="d")).data


def schedule(**kw):
    d = dict(period="DAILY", time_zone="UTC", hour_of_day=2, retention_duration_in_seconds=7 * 86400,
             schedule_prefix="daily")
    d.update(kw)
    return FM.SnapshotSchedule(**d)


def make_policy(fsc, net, **kw):
    d = dict(compartment_id=net.compartment_id, availability_domain=net.ad, display_name=unique("pol"),
             policy_prefix="nightly", schedules=[schedule()])
    d.update(kw)
    p = fsc.create_filesystem_snapshot_policy(FM.CreateFilesystemSnapshotPolicyDetails(**d)).data
    return wait_state(fsc, fsc.get_filesystem_snapshot_policy, p.id, "ACTIVE")


def make_connector(fsc, net):
    c = fsc.create_outbound_connector(FM.CreateLdapBindAccountDetails(
        compartment_id=net.compartment_id, availability_domain=net.ad, display_name=unique("ldap"),
        endpoints=[FM.Endpoint(hostname="ldap.example.com", port=636)],
        bind_distinguished_name="cn=nfs,dc=example,dc=com",
        password_secret_id="ocid1.vaultsecret.oc1.iad.amaaaaaaexamplesecret")).data
    return wait_state(fsc, fsc.get_outbound_connector, c.id, "ACTIVE")


def test_locks_refuse_updates_and_deletes_unless_overridden(clients, fsc, net):
    fs = make_fs(fsc, net)
    got = fsc.add_file_system_lock(fs.id, FM.ResourceLock(type="DELETE", message="prod data")).data
    assert [(lk.type, lk.message) for lk in got.locks] == [("DELETE", "prod data")]
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.add_file_system_lock(fs.id, FM.ResourceLock(type="DELETE"))
    assert err(e)[0] == 409
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.add_file_system_lock(fs.id, FM.ResourceLock(type="PARTIAL"))
    assert err(e)[0] == 400
    fsc.update_file_system(fs.id, FM.UpdateFileSystemDetails(display_name="renamed"))  # DELETE allows updates
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.delete_file_system(fs.id)
    assert err(e)[0] == 409 and "isLockOverride" in e.value.message
    fsc.add_file_system_lock(fs.id, FM.ResourceLock(type="FULL"))
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.update_file_system(fs.id, FM.UpdateFileSystemDetails(display_name="again"))
    assert err(e)[0] == 409
    fsc.update_file_system(fs.id, FM.UpdateFileSystemDetails(display_name="again"), is_lock_override=True)
    got = fsc.remove_file_system_lock(fs.id, FM.ResourceLock(type="FULL")).data
    assert [lk.type for lk in got.locks] == ["DELETE"]
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.remove_file_system_lock(fs.id, FM.ResourceLock(type="FULL"))
    assert err(e)[0] == 404
    fsc.delete_file_system(fs.id, is_lock_override=True)
    # every other lockable kind
    fs2 = make_fs(fsc, net)
    mt = fsc.create_mount_target(FM.CreateMountTargetDetails(
        compartment_id=net.compartment_id, availability_domain=net.ad, subnet_id=net.subnet_id)).data
    mt = wait_state(fsc, fsc.get_mount_target, mt.id, "ACTIVE")
    ex = fsc.create_export(FM.CreateExportDetails(export_set_id=mt.export_set_id, file_system_id=fs2.id,
                                                  path="/locked")).data
    snap = fsc.create_snapshot(FM.CreateSnapshotDetails(file_system_id=fs2.id, name="s1")).data
    pol = make_policy(fsc, net)
    con = make_connector(fsc, net)
    target = make_fs(fsc, net)
    rep = fsc.create_replication(FM.CreateReplicationDetails(compartment_id=net.compartment_id,
                                                             source_id=fs2.id, target_id=target.id)).data
    for name, ident, delete in (("mount_target", mt.id, fsc.delete_mount_target),
                                ("export", ex.id, fsc.delete_export), ("snapshot", snap.id, fsc.delete_snapshot),
                                ("filesystem_snapshot_policy", pol.id, fsc.delete_filesystem_snapshot_policy),
                                ("outbound_connector", con.id, fsc.delete_outbound_connector),
                                ("replication", rep.id, fsc.delete_replication)):
        added = getattr(fsc, f"add_{name}_lock")(ident, FM.ResourceLock(type="DELETE")).data
        assert [lk.type for lk in added.locks] == ["DELETE"], name
        with pytest.raises(oci.exceptions.ServiceError) as e:
            delete(ident)
        assert err(e)[0] == 409, name
        removed = getattr(fsc, f"remove_{name}_lock")(ident, FM.ResourceLock(type="DELETE")).data
        assert removed.locks == [], name


def test_changes_of_compartment(clients, fsc, net):
    dest = new_comp(clients, "fs-dest")
    fs = make_fs(fsc, net)
    fsc.change_file_system_compartment(fs.id, FM.ChangeFileSystemCompartmentDetails(compartment_id=dest.id))
    assert fsc.get_file_system(fs.id).data.compartment_id == dest.id
    mt = fsc.create_mount_target(FM.CreateMountTargetDetails(
        compartment_id=net.compartment_id, availability_domain=net.ad, subnet_id=net.subnet_id)).data
    wait_state(fsc, fsc.get_mount_target, mt.id, "ACTIVE")
    fsc.change_mount_target_compartment(mt.id, FM.ChangeMountTargetCompartmentDetails(compartment_id=dest.id))
    assert fsc.get_mount_target(mt.id).data.compartment_id == dest.id
    pol = make_policy(fsc, net)
    fsc.change_filesystem_snapshot_policy_compartment(pol.id, FM.ChangeFilesystemSnapshotPolicyCompartmentDetails(
        compartment_id=dest.id))
    con = make_connector(fsc, net)
    fsc.change_outbound_connector_compartment(con.id, FM.ChangeOutboundConnectorCompartmentDetails(
        compartment_id=dest.id))
    assert fsc.get_outbound_connector(con.id).data.compartment_id == dest.id
    rep = fsc.create_replication(FM.CreateReplicationDetails(compartment_id=net.compartment_id, source_id=fs.id,
                                                             target_id=make_fs(fsc, net).id)).data
    wait_state(fsc, fsc.get_replication, rep.id, "ACTIVE")
    fsc.change_replication_compartment(rep.id, FM.ChangeReplicationCompartmentDetails(compartment_id=dest.id))
    assert fsc.get_replication(rep.id).data.compartment_id == dest.id
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.change_file_system_compartment(fs.id, FM.ChangeFileSystemCompartmentDetails(
            compartment_id="ocid1.compartment.oc1..missing"))
    assert err(e)[0] == 404


def test_snapshot_policies(fsc, net):
    pol = make_policy(fsc, net, schedules=[schedule(), schedule(period="WEEKLY", day_of_week="SUNDAY",
                                                                schedule_prefix="weekly")])
    assert pol.policy_prefix == "nightly" and len(pol.schedules) == 2
    listed = fsc.list_filesystem_snapshot_policies(net.compartment_id, net.ad).data
    assert [p.id for p in listed] == [pol.id]
    for bad in (schedule(period="DAILY", day_of_week="MONDAY"), schedule(hour_of_day=25),
                schedule(retention_duration_in_seconds=60)):
        with pytest.raises(oci.exceptions.ServiceError) as e:
            make_policy(fsc, net, schedules=[bad])
        assert err(e)[0] == 400
    up = fsc.update_filesystem_snapshot_policy(pol.id, FM.UpdateFilesystemSnapshotPolicyDetails(
        display_name="renamed", schedules=[schedule(period="HOURLY", hour_of_day=None)])).data
    assert up.display_name == "renamed" and up.schedules[0].period == "HOURLY"
    assert fsc.pause_filesystem_snapshot_policy(pol.id).data.lifecycle_state == "INACTIVE"
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.pause_filesystem_snapshot_policy(pol.id)
    assert err(e)[0] == 409
    assert fsc.unpause_filesystem_snapshot_policy(pol.id).data.lifecycle_state == "ACTIVE"
    fs = make_fs(fsc, net)
    fsc.update_file_system(fs.id, FM.UpdateFileSystemDetails(filesystem_snapshot_policy_id=pol.id))
    assert fsc.get_file_system(fs.id).data.filesystem_snapshot_policy_id == pol.id
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.delete_filesystem_snapshot_policy(pol.id)
    assert err(e)[0] == 409 and "used by" in e.value.message
    fsc.delete_file_system(fs.id)
    wait_state(fsc, fsc.get_file_system, fs.id, "DELETED")
    fsc.delete_filesystem_snapshot_policy(pol.id)
    wait_state(fsc, fsc.get_filesystem_snapshot_policy, pol.id, "DELETED")


def test_outbound_connectors(fsc, net):
    con = make_connector(fsc, net)
    assert con.connector_type == "LDAPBIND" and con.endpoints[0].port == 636
    assert [c.id for c in fsc.list_outbound_connectors(net.compartment_id, net.ad).data] == [con.id]
    up = fsc.update_outbound_connector(con.id, FM.UpdateOutboundConnectorDetails(display_name="corp-ldap")).data
    assert up.display_name == "corp-ldap"
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.create_outbound_connector(FM.CreateLdapBindAccountDetails(
            compartment_id=net.compartment_id, availability_domain=net.ad, endpoints=[],
            bind_distinguished_name="cn=x,dc=y"))
    assert err(e)[0] == 400
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.create_outbound_connector(FM.CreateLdapBindAccountDetails(
            compartment_id=net.compartment_id, availability_domain=net.ad,
            endpoints=[FM.Endpoint(hostname="ldap", port=70000)], bind_distinguished_name="cn=x,dc=y"))
    assert err(e)[0] == 400
    fsc.delete_outbound_connector(con.id)
    wait_state(fsc, fsc.get_outbound_connector, con.id, "DELETED")


def test_replications_and_targets(fsc, net):
    src, tgt = make_fs(fsc, net), make_fs(fsc, net)
    est = fsc.estimate_replication(src.id, change_rate_in_m_bps=10).data
    assert est.is_replication_supported and est.minimum_supported_interval_in_minutes >= 15
    assert est.estimated_base_copy_time_in_minutes >= 1
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.create_replication(FM.CreateReplicationDetails(compartment_id=net.compartment_id, source_id=src.id,
                                                           target_id=tgt.id, replication_interval=5))
    assert err(e)[0] == 400
    rep = fsc.create_replication(FM.CreateReplicationDetails(compartment_id=net.compartment_id, source_id=src.id,
                                                             target_id=tgt.id, display_name="dr")).data
    rep = wait_state(fsc, fsc.get_replication, rep.id, "ACTIVE")
    assert rep.replication_interval == 60 and rep.delta_status == "IDLE"
    rt = fsc.get_replication_target(rep.replication_target_id).data
    assert rt.replication_id == rep.id and rt.target_id == tgt.id and rt.lifecycle_state == "ACTIVE"
    assert [r.id for r in fsc.list_replications(net.compartment_id, net.ad).data] == [rep.id]
    assert [r.id for r in fsc.list_replication_targets(net.compartment_id, net.ad).data] == [rt.id]
    assert fsc.get_file_system(tgt.id).data.replication_target_id == rt.id
    assert fsc.get_file_system(src.id).data.replication_source_count == 1
    with pytest.raises(oci.exceptions.ServiceError) as e:  # already a target
        fsc.create_replication(FM.CreateReplicationDetails(compartment_id=net.compartment_id,
                                                           source_id=make_fs(fsc, net).id, target_id=tgt.id))
    assert err(e)[0] == 409
    with pytest.raises(oci.exceptions.ServiceError) as e:  # in use
        fsc.delete_file_system(src.id)
    assert err(e)[0] == 409
    up = fsc.update_replication(rep.id, FM.UpdateReplicationDetails(replication_interval=30)).data
    assert up.replication_interval == 30
    fsc.delete_replication(rep.id)
    wait_state(fsc, fsc.get_replication, rep.id, "DELETED")
    assert fsc.get_replication_target(rt.id).data.lifecycle_state in ("DELETING", "DELETED")
    assert fsc.get_file_system(tgt.id).data.replication_target_id is None
    # deleting the target end ends the replication
    rep2 = fsc.create_replication(FM.CreateReplicationDetails(compartment_id=net.compartment_id, source_id=src.id,
                                                              target_id=tgt.id)).data
    rep2 = wait_state(fsc, fsc.get_replication, rep2.id, "ACTIVE")
    fsc.delete_replication_target(rep2.replication_target_id)
    assert fsc.get_replication(rep2.id).data.lifecycle_state in ("DELETING", "DELETED")
    assert fsc.get_file_system(src.id).data.replication_source_count == 0


def test_quota_rules_and_detach_clone(fsc, net):
    fs = make_fs(fsc, net)
    fsc.toggle_quota_rules(fs.id, FM.ToggleQuotaRulesDetails(are_quota_rules_enabled=True))
    got = fsc.get_file_system(fs.id).data
    assert got.are_quota_rules_enabled and got.quota_enforcement_state == "ENABLED"
    r = fsc.create_quota_rule(create_quota_rule_details=FM.CreateQuotaRuleDetails(
        principal_type="INDIVIDUAL_USER", principal_id=1001, is_hard_quota=True, quota_limit_in_gigabytes=50,
        display_name="alice"), file_system_id=fs.id).data
    assert r.principal_id == 1001 and r.file_system_id == fs.id
    fsc.create_quota_rule(create_quota_rule_details=FM.CreateQuotaRuleDetails(
        principal_type="INDIVIDUAL_USER", principal_id=1001, is_hard_quota=False, quota_limit_in_gigabytes=40),
        file_system_id=fs.id)
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.create_quota_rule(create_quota_rule_details=FM.CreateQuotaRuleDetails(
            principal_type="INDIVIDUAL_USER", principal_id=1001, is_hard_quota=True, quota_limit_in_gigabytes=10),
            file_system_id=fs.id)
    assert err(e)[0] == 409
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.create_quota_rule(create_quota_rule_details=FM.CreateQuotaRuleDetails(
            principal_type="INDIVIDUAL_GROUP", is_hard_quota=True, quota_limit_in_gigabytes=10), file_system_id=fs.id)
    assert err(e)[0] == 400
    assert len(fsc.list_quota_rules(fs.id, "INDIVIDUAL_USER").data) == 2
    assert fsc.list_quota_rules(fs.id, "DEFAULT_USER").data == []
    assert fsc.get_quota_rule(fs.id, r.id).data.display_name == "alice"
    up = fsc.update_quota_rule(FM.UpdateQuotaRuleDetails(quota_limit_in_gigabytes=80), fs.id, r.id).data
    assert up.quota_limit_in_gigabytes == 80
    fsc.delete_quota_rule(fs.id, r.id)
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.get_quota_rule(fs.id, r.id)
    assert err(e)[0] == 404
    # a clone detaches from its parent
    snap = fsc.create_snapshot(FM.CreateSnapshotDetails(file_system_id=fs.id, name="base")).data
    wait_state(fsc, fsc.get_snapshot, snap.id, "ACTIVE")
    clone = make_fs(fsc, net, source_snapshot_id=snap.id)
    assert fsc.get_file_system(fs.id).data.clone_count == 1
    fsc.detach_clone(clone.id)
    assert fsc.get_file_system(clone.id).data.clone_attach_status == "DETACHED"
    assert fsc.get_file_system(fs.id).data.clone_count == 0
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fsc.detach_clone(fs.id)
    assert err(e)[0] == 409
