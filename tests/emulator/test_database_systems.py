"""Base Database Service through the real SDK and the `oci` CLI: DB systems launched (OCI's shapes, versions and
password rules), their DB nodes stopped, started and reset, DB homes and databases, backups on demand and the
automatic ones the backup configuration makes over the emulator's clock, restore, and Data Guard associations
switched over, failed over and reinstated, with the `oci_database` metrics following the nodes."""

from __future__ import annotations

import datetime as dt
import json

import oci
import pytest

from .helpers import NO_RETRY, WAIT, Clients, make_net, run_oci, signer_for

E = oci.exceptions.ServiceError
D = oci.database.models
MM = oci.monitoring.models
PASSWORD = "Ab1_Cd2_Ef3#"
SSH = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKRXW0cLGq+v1Ba2w+1j9fNlVNx79nyRyZmgesiTN1eu test@example"


class DbClients(Clients):
    def __init__(self, emulator, cfg):
        super().__init__(emulator, cfg)
        kw = dict(NO_RETRY, signer=signer_for(cfg))
        self.db = oci.database.DatabaseClient(cfg, service_endpoint=emulator.endpoint("database"), **kw)
        self.monitoring = oci.monitoring.MonitoringClient(cfg, service_endpoint=emulator.endpoint("monitoring"), **kw)
        self.usage = oci.usage_api.UsageapiClient(cfg, service_endpoint=emulator.endpoint("usage_api"), **kw)


@pytest.fixture
def c(emulator, oci_config):
    clients = DbClients(emulator, oci_config)
    clients.emulator = emulator
    return clients


def settle(c, seconds: float = 600) -> None:
    c.emulator.clock.advance(seconds)


@pytest.fixture
def net(c):
    made = make_net(c)
    # from here transitions take a minute of the emulator's clock, so the states in between can be seen;
    # `settle` moves the clock on
    c.emulator.core.transition_delay = 60
    return made


def launch_details(net, **over) -> D.LaunchDbSystemDetails:
    database = over.pop("database", None) or D.CreateDatabaseDetails(
        db_name="SALES", pdb_name="SALESPDB", admin_password=PASSWORD, character_set="AL32UTF8",
        ncharacter_set="AL16UTF16", db_backup_config=D.DbBackupConfig(
            auto_backup_enabled=True, recovery_window_in_days=7, auto_backup_window="SLOT_THREE"))
    d = dict(compartment_id=net.compartment_id, availability_domain=net.ad, subnet_id=net.subnet_id,
             shape="VM.Standard.E4.Flex", cpu_core_count=2, hostname="salesdb", display_name="sales-db",
             database_edition="ENTERPRISE_EDITION_HIGH_PERFORMANCE", ssh_public_keys=[SSH], node_count=1,
             initial_data_storage_size_in_gb=256, db_system_options=D.DbSystemOptions(storage_management="LVM"),
             db_home=D.CreateDbHomeDetails(db_version="19.0.0.0", database=database))
    d.update(over)
    return D.LaunchDbSystemDetails(**d)


def launch(c, net, **over):
    resp = c.db.launch_db_system(launch_details(net, **over))
    assert resp.data.lifecycle_state == "PROVISIONING"
    assert c.db.get_db_system(resp.data.id).data.lifecycle_state == "PROVISIONING"
    settle(c)
    wr = oci.wait_until(c.work_requests, c.work_requests.get_work_request(resp.headers["opc-work-request-id"]),
                        "status", "SUCCEEDED", **WAIT).data
    assert wr.operation_type == "CREATE_DB_SYSTEM"
    return c.db.get_db_system(resp.data.id).data


def database_of(c, system):
    return c.db.list_databases(compartment_id=system.compartment_id, system_id=system.id).data[0]


def wait_db(c, db_id, state="AVAILABLE"):
    settle(c)
    return oci.wait_until(c.db, c.db.get_database(db_id), "lifecycle_state", state, **WAIT).data


def test_shapes_and_versions_as_oci_lists_them(c, net):
    shapes = {s.name: s for s in c.db.list_db_system_shapes(net.compartment_id).data}
    assert {"VM.Standard2.1", "VM.Standard2.4", "VM.Standard.E4.Flex"} <= set(shapes)
    assert shapes["VM.Standard2.4"].available_core_count == 4 and shapes["VM.Standard2.4"].shape_family == \
        "VIRTUALMACHINE"
    flex = shapes["VM.Standard.E4.Flex"]
    assert flex.minimum_core_count == 1 and flex.maximum_node_count == 2
    versions = [v.version for v in c.db.list_db_versions(net.compartment_id, db_system_shape="VM.Standard2.2").data]
    assert any(v.startswith("19.") for v in versions) and any(v.startswith("23.") for v in versions)
    lvm = [v.version for v in c.db.list_db_versions(net.compartment_id, storage_management="LVM").data]
    assert not any(v.startswith("21.") for v in lvm)


def test_launch_makes_system_home_database_and_nodes(c, net):
    system = launch(c, net)
    assert system.lifecycle_state == "AVAILABLE" and system.cpu_core_count == 2 and system.node_count == 1
    assert system.db_system_options.storage_management == "LVM" and system.data_storage_size_in_gbs == 256
    assert system.domain.endswith(".oraclevcn.com") and system.version.startswith("19.")
    assert [s.display_name for s in c.db.list_db_systems(net.compartment_id).data] == ["sales-db"]
    with pytest.raises(E) as e:  # databases are listed per DB home or DB system
        c.db.list_databases(compartment_id=net.compartment_id)
    assert e.value.status == 400
    homes = c.db.list_db_homes(compartment_id=net.compartment_id, db_system_id=system.id).data
    assert len(homes) == 1 and homes[0].lifecycle_state == "AVAILABLE"
    home = c.db.get_db_home(homes[0].id).data
    assert home.db_home_location.startswith("/u01/app/oracle/product/19")
    db = database_of(c, system)
    assert (db.db_name, db.pdb_name, db.character_set, db.ncharacter_set) == ("SALES", "SALESPDB", "AL32UTF8",
                                                                            "AL16UTF16")
    full = c.db.get_database(db.id).data
    assert full.db_backup_config.auto_backup_enabled and full.db_backup_config.recovery_window_in_days == 7
    assert full.db_backup_config.auto_backup_window == "SLOT_THREE"
    assert "salesdb." in full.connection_strings.cdb_default and full.db_unique_name.startswith("sales_")
    nodes = c.db.list_db_nodes(net.compartment_id, db_system_id=system.id).data
    assert [n.lifecycle_state for n in nodes] == ["AVAILABLE"] and nodes[0].hostname == "salesdb"
    assert c.db.get_db_node(nodes[0].id).data.cpu_core_count == 2
    # the password is never shown, and never kept in clear
    raw = json.dumps(c.db.get_database(db.id).data.__dict__, default=str)
    assert PASSWORD not in raw


@pytest.mark.parametrize("password, words", [
    ("short1_A", "9 to 30"), ("abcdefgh1_#", "two uppercase"), ("ABcdefgh1_#X", "two digits"),
    ("ABcd12efgh", "two of the special"), ("ABoracle12_#", "oracle"), ("ABsys1234_#x", "sys"),
])
def test_admin_password_rules(c, net, password, words):
    db = D.CreateDatabaseDetails(db_name="SALES", admin_password=password)
    with pytest.raises(E) as e:
        c.db.launch_db_system(launch_details(net, database=db))
    assert e.value.status == 400 and words in e.value.message


@pytest.mark.parametrize("over, words", [
    (dict(shape="VM.Standard9.1"), "not a DB system shape"),
    (dict(cpu_core_count=None), "cpuCoreCount is required"),
    (dict(shape="VM.Standard2.2", cpu_core_count=4), "has 2 cores"),
    (dict(node_count=2), "ENTERPRISE_EDITION_EXTREME_PERFORMANCE"),
    (dict(node_count=2, database_edition="ENTERPRISE_EDITION_EXTREME_PERFORMANCE"), "needs storageManagement ASM"),
    (dict(database_edition="STANDARD_EDITION", cpu_core_count=16), "at most 8 cores"),
    (dict(initial_data_storage_size_in_gb=300), "not offered"),
    (dict(hostname="9lives"), "hostname"),
    (dict(ssh_public_keys=["not a key"]), "OpenSSH"),
    (dict(database=D.CreateDatabaseDetails(db_name="TOOLONGNAME", admin_password=PASSWORD)), "dbName"),
    (dict(database=D.CreateDatabaseDetails(db_name="A1", pdb_name="a1", admin_password=PASSWORD)), "pdbName"),
    (dict(database=D.CreateDatabaseDetails(db_name="A1", admin_password=PASSWORD, character_set="KLINGON")),
     "characterSet"),
    (dict(database=D.CreateDatabaseDetails(db_name="A1", admin_password=PASSWORD, db_backup_config=D.DbBackupConfig(
        auto_backup_enabled=True, recovery_window_in_days=10))), "recoveryWindowInDays"),
])
def test_launch_refuses_what_oci_refuses(c, net, over, words):
    with pytest.raises(E) as e:
        c.db.launch_db_system(launch_details(net, **over))
    assert e.value.status == 400 and words in e.value.message, e.value.message


def test_rac_two_nodes_on_asm(c, net):
    system = launch(c, net, node_count=2, database_edition="ENTERPRISE_EDITION_EXTREME_PERFORMANCE",
                    db_system_options=D.DbSystemOptions(storage_management="ASM"), hostname="rac",
                    initial_data_storage_size_in_gb=1024)
    nodes = c.db.list_db_nodes(net.compartment_id, db_system_id=system.id).data
    assert sorted(n.hostname for n in nodes) == ["rac1", "rac2"] and system.cpu_core_count == 4
    assert system.cluster_name and system.reco_storage_size_in_gb == 256


def test_node_stop_start_reset_and_wrong_states(c, net, emulator):
    system = launch(c, net)
    node = c.db.list_db_nodes(net.compartment_id, db_system_id=system.id).data[0]
    with pytest.raises(E) as e:
        c.db.db_node_action(node.id, "START")
    assert e.value.status == 409 and e.value.code == "IncorrectState"
    r = c.db.db_node_action(node.id, "STOP")
    assert r.data.lifecycle_state == "STOPPING" and "opc-work-request-id" in r.headers
    settle(c)
    n = oci.wait_until(c.db, c.db.get_db_node(node.id), "lifecycle_state", "STOPPED", **WAIT).data
    assert n.lifecycle_state == "STOPPED"
    for action in ("STOP", "SOFTRESET", "RESET"):
        with pytest.raises(E) as e:
            c.db.db_node_action(node.id, action)
        assert e.value.status == 409
    assert c.db.db_node_action(node.id, "START").data.lifecycle_state == "STARTING"
    settle(c)
    oci.wait_until(c.db, c.db.get_db_node(node.id), "lifecycle_state", "AVAILABLE", **WAIT)
    seen = [c.db.db_node_action(node.id, "SOFTRESET").data.lifecycle_state]
    settle(c, 60)
    seen.append(c.db.get_db_node(node.id).data.lifecycle_state)
    settle(c, 60)
    seen.append(c.db.get_db_node(node.id).data.lifecycle_state)
    assert seen == ["STOPPING", "STARTING", "AVAILABLE"]
    c.db.db_node_action(node.id, "RESET")
    settle(c)
    oci.wait_until(c.db, c.db.get_db_node(node.id), "lifecycle_state", "AVAILABLE", **WAIT)


def test_metrics_follow_the_node(c, net, emulator):
    system = launch(c, net)
    node = c.db.list_db_nodes(net.compartment_id, db_system_id=system.id).data[0]
    emulator.clock.advance(3 * 3600)

    def cpu_points(minutes_back: int) -> int:
        now = dt.datetime.fromtimestamp(emulator.clock.now(), tz=dt.UTC)
        data = c.monitoring.summarize_metrics_data(net.compartment_id, MM.SummarizeMetricsDataDetails(
            namespace="oci_database", query=f'CpuUtilization[1m]{{resourceId = "{system.id}"}}.mean()',
            start_time=now - dt.timedelta(minutes=minutes_back), end_time=now)).data
        return sum(len(d.aggregated_datapoints) for d in data)

    assert cpu_points(60) >= 55
    names = {m.name for m in c.monitoring.list_metrics(net.compartment_id, oci.monitoring.models.ListMetricsDetails(
        namespace="oci_database")).data}
    assert {"CpuUtilization", "StorageUtilization", "CurrentLogons"} <= names
    c.db.db_node_action(node.id, "STOP")
    settle(c)
    oci.wait_until(c.db, c.db.get_db_node(node.id), "lifecycle_state", "STOPPED", **WAIT)
    emulator.clock.advance(3600)
    assert cpu_points(50) == 0  # a stopped node reports no CPU


def test_backups_on_demand_automatic_delete_and_restore(c, net, emulator):
    system = launch(c, net)
    db = database_of(c, system)
    with pytest.raises(E) as e:
        c.db.restore_database(db.id, D.RestoreDatabaseDetails(latest=True))
    assert e.value.status == 409 and "no backup" in e.value.message
    resp = c.db.create_backup(D.CreateBackupDetails(database_id=db.id, display_name="before-upgrade"))
    assert resp.data.lifecycle_state == "CREATING" and resp.data.type == "FULL"
    assert c.db.get_database(db.id).data.lifecycle_state == "BACKUP_IN_PROGRESS"
    with pytest.raises(E) as e:  # one at a time: the database is busy
        c.db.create_backup(D.CreateBackupDetails(database_id=db.id, display_name="again"))
    assert e.value.status == 409
    settle(c)
    backup = oci.wait_until(c.db, c.db.get_backup(resp.data.id), "lifecycle_state", "ACTIVE", **WAIT).data
    assert backup.time_ended is not None and backup.database_size_in_gbs > 0
    assert wait_db(c, db.id).last_backup_timestamp is not None
    # three days later: the automatic backups the configuration asks for (daily, in SLOT_THREE)
    emulator.clock.advance(3 * 86400)
    autos = [b for b in c.db.list_backups(database_id=db.id).data if b.display_name.startswith("Automatic")]
    assert len(autos) in (2, 3, 4) and {b.type for b in autos} <= {"FULL", "INCREMENTAL"}
    assert all(b.lifecycle_state == "ACTIVE" and 4 <= b.time_started.hour < 6 for b in autos)
    with pytest.raises(E) as e:
        c.db.delete_backup(autos[0].id)
    assert e.value.status == 409 and "Automatic" in e.value.message
    # and after the recovery window (7 days) the old ones are gone
    emulator.clock.advance(10 * 86400)
    left = [b for b in c.db.list_backups(database_id=db.id).data if b.display_name.startswith("Automatic")]
    assert 6 <= len(left) <= 8 and autos[0].id not in {b.id for b in left}
    # turn automatic backups off (update_database), then no new ones come
    upd = c.db.update_database(db.id, D.UpdateDatabaseDetails(db_backup_config=D.DbBackupConfig(
        auto_backup_enabled=False)))
    assert upd.data.lifecycle_state == "UPDATING"
    assert not wait_db(c, db.id).db_backup_config.auto_backup_enabled
    before = len(c.db.list_backups(database_id=db.id).data)
    emulator.clock.advance(2 * 86400)
    assert len(c.db.list_backups(database_id=db.id).data) == before
    with pytest.raises(E) as e:
        c.db.update_database(db.id, D.UpdateDatabaseDetails(db_backup_config=D.DbBackupConfig(
            auto_backup_enabled=True, auto_backup_window="SLOT_THIRTEEN")))
    assert e.value.status == 400
    # restore to a time inside the backups' span, then to latest
    when = dt.datetime.fromtimestamp(emulator.clock.now() - 86400, tz=dt.UTC)
    r = c.db.restore_database(db.id, D.RestoreDatabaseDetails(timestamp=when))
    assert r.data.lifecycle_state == "UPDATING" and "Restoring" in r.data.lifecycle_details
    wait_db(c, db.id)
    with pytest.raises(E) as e:
        c.db.restore_database(db.id, D.RestoreDatabaseDetails(timestamp=dt.datetime(2001, 1, 1, tzinfo=dt.UTC)))
    assert e.value.status == 400
    c.db.restore_database(db.id, D.RestoreDatabaseDetails(latest=True))
    wait_db(c, db.id)
    # the on-demand backup is deleted
    c.db.delete_backup(backup.id)
    settle(c)
    oci.wait_until(c.db, c.db.get_backup(backup.id), "lifecycle_state", "DELETED", **WAIT)


def test_terminate_db_system(c, net):
    system = launch(c, net)
    resp = c.db.terminate_db_system(system.id)
    assert c.db.get_db_system(system.id).data.lifecycle_state == "TERMINATING"
    settle(c)
    oci.wait_until(c.work_requests, c.work_requests.get_work_request(resp.headers["opc-work-request-id"]),
                   "status", "SUCCEEDED", **WAIT)
    assert c.db.get_db_system(system.id).data.lifecycle_state == "TERMINATED"
    assert {n.lifecycle_state for n in c.db.list_db_nodes(net.compartment_id, db_system_id=system.id).data} == \
        {"TERMINATED"}


def costs_by_part(c, comp: str) -> dict[str, float]:
    """USD per part number billed so far to the compartment (Usage API, daily, over the last two days)."""
    now = dt.datetime.fromtimestamp(c.emulator.clock.now(), tz=dt.UTC)
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    items = oci.pagination.list_call_get_all_results(
        c.usage.request_summarized_usages, oci.usage_api.models.RequestSummarizedUsagesDetails(
            tenant_id=c.tenancy, time_usage_started=day - dt.timedelta(days=2),
            time_usage_ended=day + dt.timedelta(days=1), granularity="DAILY", query_type="COST",
            group_by=["skuPartNumber"], filter=oci.usage_api.models.Filter(operator="AND", dimensions=[
                oci.usage_api.models.Dimension(key="compartmentId", value=comp)]))).data
    out: dict[str, float] = {}
    for i in items:
        out[i.sku_part_number] = out.get(i.sku_part_number, 0.0) + i.computed_amount
    return out


def test_a_db_system_bills_ocpus_while_its_node_runs_and_storage_always(c, net):
    system = launch(c, net, license_model="LICENSE_INCLUDED")  # 2 OCPUs of High Performance, 256 GB data
    storage_gb = system.data_storage_size_in_gbs + system.reco_storage_size_in_gb
    before = costs_by_part(c, net.compartment_id)
    settle(c, 10 * 3600)
    ran = costs_by_part(c, net.compartment_id)
    assert ran["B90571"] - before.get("B90571", 0) == pytest.approx(10 * 2 * 0.8871, rel=0.01)
    storage_hourly = storage_gb * 0.0255 / 744
    assert ran["B91961"] - before.get("B91961", 0) == pytest.approx(10 * storage_hourly, rel=0.01)
    assert ran["B91962"] - before.get("B91962", 0) == pytest.approx(10 * storage_gb * 10 * 0.0017 / 744, rel=0.01)
    node = c.db.list_db_nodes(net.compartment_id, db_system_id=system.id).data[0]
    c.db.db_node_action(node.id, "STOP")
    settle(c)
    oci.wait_until(c.db, c.db.get_db_node(node.id), "lifecycle_state", "STOPPED", **WAIT)
    stopped = costs_by_part(c, net.compartment_id)
    settle(c, 10 * 3600)
    later = costs_by_part(c, net.compartment_id)
    assert later["B90571"] == pytest.approx(stopped["B90571"])  # no OCPUs while the node is stopped
    assert later["B91961"] - stopped["B91961"] == pytest.approx(10 * storage_hourly, rel=0.01)  # the storage bills


def test_byol_bills_one_price_for_every_edition(c, net):
    system = launch(c, net, license_model="BRING_YOUR_OWN_LICENSE", cpu_core_count=4)
    before = costs_by_part(c, net.compartment_id)
    settle(c, 5 * 3600)
    after = costs_by_part(c, net.compartment_id)
    assert after["B90573"] - before.get("B90573", 0) == pytest.approx(5 * 4 * 0.1935, rel=0.01)
    assert "B90571" not in after and system.license_model == "BRING_YOUR_OWN_LICENSE"


def roles(c, db_id):
    a = c.db.list_data_guard_associations(db_id).data
    assert len(a) == 1
    return a[0]


def wait_assoc(c, db_id, assoc_id):
    settle(c)
    return oci.wait_until(c.db, c.db.get_data_guard_association(db_id, assoc_id), "lifecycle_state", "AVAILABLE",
                          **WAIT).data


def test_data_guard_new_system_switchover_failover_reinstate(c, net):
    system = launch(c, net)
    primary_db = database_of(c, system)
    with pytest.raises(E) as e:
        c.db.create_data_guard_association(primary_db.id, D.CreateDataGuardAssociationWithNewDbSystemDetails(
            database_admin_password=PASSWORD, protection_mode="MAXIMUM_AVAILABILITY", transport_type="ASYNC",
            availability_domain=net.ad, subnet_id=net.subnet_id, hostname="salesdg"))
    assert e.value.status == 400 and "ASYNC cannot be used with MAXIMUM_AVAILABILITY" in e.value.message
    with pytest.raises(E) as e:
        c.db.create_data_guard_association(primary_db.id, D.CreateDataGuardAssociationWithNewDbSystemDetails(
            database_admin_password="Wrong_Pass12XY", protection_mode="MAXIMUM_AVAILABILITY", transport_type="SYNC",
            availability_domain=net.ad, subnet_id=net.subnet_id, hostname="salesdg"))
    assert e.value.status == 400 and "does not match" in e.value.message
    resp = c.db.create_data_guard_association(primary_db.id, D.CreateDataGuardAssociationWithNewDbSystemDetails(
        database_admin_password=PASSWORD, protection_mode="MAXIMUM_AVAILABILITY", transport_type="SYNC",
        availability_domain=net.ad, subnet_id=net.subnet_id, hostname="salesdg", display_name="sales-dg"))
    a = resp.data
    assert (a.role, a.peer_role, a.lifecycle_state) == ("PRIMARY", "STANDBY", "PROVISIONING")
    settle(c)
    oci.wait_until(c.work_requests, c.work_requests.get_work_request(resp.headers["opc-work-request-id"]),
                   "status", "SUCCEEDED", **WAIT)
    a = wait_assoc(c, primary_db.id, a.id)
    peer_system = c.db.get_db_system(a.peer_db_system_id).data
    assert peer_system.lifecycle_state == "AVAILABLE" and peer_system.display_name == "sales-dg"
    standby = roles(c, a.peer_database_id)
    assert (standby.role, standby.peer_role, standby.peer_data_guard_association_id) == ("STANDBY", "PRIMARY", a.id)
    assert standby.protection_mode == "MAXIMUM_AVAILABILITY" and standby.transport_type == "SYNC"
    with pytest.raises(E) as e:  # one association per database
        c.db.create_data_guard_association(primary_db.id, D.CreateDataGuardAssociationToExistingDbSystemDetails(
            database_admin_password=PASSWORD, protection_mode="MAXIMUM_PERFORMANCE", transport_type="ASYNC",
            peer_db_system_id=peer_system.id))
    assert e.value.status == 409
    # switchover is made from the primary's side, not the standby's
    with pytest.raises(E) as e:
        c.db.switchover_data_guard_association(standby.database_id, standby.id,
                                               D.SwitchoverDataGuardAssociationDetails(database_admin_password=PASSWORD))
    assert e.value.status == 409 and "primary" in e.value.message
    r = c.db.switchover_data_guard_association(primary_db.id, a.id, D.SwitchoverDataGuardAssociationDetails(
        database_admin_password=PASSWORD))
    assert r.data.lifecycle_state == "UPDATING"
    with pytest.raises(E) as e:  # refused while the peer is not AVAILABLE
        c.db.failover_data_guard_association(standby.database_id, standby.id, D.FailoverDataGuardAssociationDetails(
            database_admin_password=PASSWORD))
    assert e.value.status == 409 and "AVAILABLE" in e.value.message
    a = wait_assoc(c, primary_db.id, a.id)
    assert (a.role, a.peer_role) == ("STANDBY", "PRIMARY")
    assert roles(c, a.peer_database_id).role == "PRIMARY"
    # failover to the old primary (now the standby): the other side becomes DISABLED_STANDBY
    r = c.db.failover_data_guard_association(primary_db.id, a.id, D.FailoverDataGuardAssociationDetails(
        database_admin_password=PASSWORD))
    a = wait_assoc(c, primary_db.id, a.id)
    assert (a.role, a.peer_role) == ("PRIMARY", "DISABLED_STANDBY")
    other = roles(c, a.peer_database_id)
    with pytest.raises(E) as e:  # only a disabled standby is reinstated
        c.db.reinstate_data_guard_association(primary_db.id, a.id, D.ReinstateDataGuardAssociationDetails(
            database_admin_password=PASSWORD))
    assert e.value.status == 409 and "DISABLED_STANDBY" in e.value.message
    c.db.reinstate_data_guard_association(other.database_id, other.id, D.ReinstateDataGuardAssociationDetails(
        database_admin_password=PASSWORD))
    other = wait_assoc(c, other.database_id, other.id)
    assert (other.role, other.peer_role) == ("STANDBY", "PRIMARY")
    # the primary cannot go while it has a standby
    with pytest.raises(E) as e:
        c.db.terminate_db_system(system.id)
    assert e.value.status == 409


def test_data_guard_to_existing_system(c, net):
    primary = launch(c, net)
    peer = launch(c, net, hostname="peerdb", display_name="peer-db")
    small = launch(c, net, hostname="sedb", display_name="se-db", database_edition="STANDARD_EDITION")
    db = database_of(c, primary)
    with pytest.raises(E) as e:
        c.db.create_data_guard_association(db.id, D.CreateDataGuardAssociationToExistingDbSystemDetails(
            database_admin_password=PASSWORD, protection_mode="MAXIMUM_PERFORMANCE", transport_type="ASYNC",
            peer_db_system_id=small.id))
    assert e.value.status == 400 and "same edition" in e.value.message
    a = c.db.create_data_guard_association(db.id, D.CreateDataGuardAssociationToExistingDbSystemDetails(
        database_admin_password=PASSWORD, protection_mode="MAXIMUM_PERFORMANCE", transport_type="ASYNC",
        peer_db_system_id=peer.id)).data
    assert c.db.get_db_system(peer.id).data.lifecycle_state == "UPDATING"
    a = wait_assoc(c, db.id, a.id)
    assert a.peer_db_system_id == peer.id and a.transport_type == "ASYNC"
    assert len(c.db.list_db_homes(compartment_id=net.compartment_id, db_system_id=peer.id).data) == 2
    assert c.db.get_db_system(peer.id).data.lifecycle_state == "AVAILABLE"


def test_cli_launch_waits_for_available(c, net, emulator, tmp_path):
    emulator.core.transition_delay = 0.2  # the CLI polls in real time
    cfg = emulator.write_config(tmp_path / "config")
    keyfile = tmp_path / "key.pub"
    keyfile.write_text(SSH + "\n")
    out = run_oci(cfg, emulator.endpoint("database"), "db", "system", "launch", "--compartment-id",
                  net.compartment_id, "--availability-domain", net.ad, "--subnet-id", net.subnet_id,
                  "--shape", "VM.Standard2.2", "--hostname", "clidb", "--display-name", "cli-db",
                  "--database-edition", "ENTERPRISE_EDITION", "--admin-password", PASSWORD, "--db-name", "CLIDB",
                  "--db-version", "19.0.0.0", "--pdb-name", "CLIPDB", "--ssh-authorized-keys-file", str(keyfile),
                  "--storage-management", "ASM", "--initial-data-storage-size-in-gb", "256",
                  "--auto-backup-enabled", "true", "--recovery-window-in-days", "15",
                  "--wait-for-state", "AVAILABLE", "--wait-interval-seconds", "1")
    assert out["data"]["lifecycle-state"] == "AVAILABLE" and out["data"]["cpu-core-count"] == 2
    listed = run_oci(cfg, emulator.endpoint("database"), "db", "database", "list", "--compartment-id",
                     net.compartment_id, "--db-system-id", out["data"]["id"])
    assert [d["db-name"] for d in listed["data"]] == ["CLIDB"]
    # a Data Guard standby on a new DB system, then a switchover, with the CLI
    db_id = listed["data"][0]["id"]
    dg = run_oci(cfg, emulator.endpoint("database"), "db", "data-guard-association", "create", "with-new-db-system",
                 "--database-id", db_id, "--database-admin-password", PASSWORD, "--protection-mode",
                 "MAXIMUM_PERFORMANCE", "--transport-type", "ASYNC", "--creation-type", "NewDbSystem",
                 "--availability-domain", net.ad, "--subnet-id", net.subnet_id, "--hostname", "clidg",
                 "--display-name", "cli-dg")  # (this command has no --wait-for-state)
    assert (dg["data"]["role"], dg["data"]["peer-role"], dg["data"]["lifecycle-state"]) == \
        ("PRIMARY", "STANDBY", "PROVISIONING")
    oci.wait_until(c.db, c.db.get_data_guard_association(db_id, dg["data"]["id"]), "lifecycle_state", "AVAILABLE",
                   **WAIT)
    sw = run_oci(cfg, emulator.endpoint("database"), "db", "data-guard-association", "switchover",
                 "--database-id", db_id, "--data-guard-association-id", dg["data"]["id"],
                 "--database-admin-password", PASSWORD, "--wait-for-state", "AVAILABLE", "--wait-interval-seconds", "1")
    assert (sw["data"]["role"], sw["data"]["peer-role"]) == ("STANDBY", "PRIMARY")
