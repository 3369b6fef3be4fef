"""Autonomous Database through the real SDK and the `oci` CLI: create (workloads, ECPU / OCPU, storage, ACLs,
private endpoints, free tier) -> AVAILABLE -> scale ECPU and storage -> stop -> start -> restart -> backup ->
restore -> clone -> delete, the wallet zip (tnsnames, PKCS#12, JKS), connection strings, metrics, and OCI's
errors (password rules, ECPU bounds, storage shrink below used, name clashes, actions in the wrong state)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile

import oci
import pytest
from cryptography.hazmat.primitives.serialization import pkcs12

from .helpers import (
    IM,
    NO_RETRY,
    WAIT,
    Clients,
    make_net,
    oci_cli,
    run_oci,
    signer_for,
    subprocess_env,
    unique,
    wait_state,
)

E = oci.exceptions.ServiceError
D = oci.database.models
PW = "Welcome_2026#x"


class C:
    def __init__(self, emulator, cfg):
        kw = dict(NO_RETRY, signer=signer_for(cfg))
        self.db = oci.database.DatabaseClient(cfg, service_endpoint=emulator.endpoint("database"), **kw)
        self.wr = oci.work_requests.WorkRequestClient(cfg, service_endpoint=emulator.endpoint("work_requests"), **kw)
        self.identity = oci.identity.IdentityClient(cfg, service_endpoint=emulator.endpoint("identity"), **kw)
        self.mon = oci.monitoring.MonitoringClient(cfg, service_endpoint=emulator.endpoint("monitoring"), **kw)
        self.tenancy = cfg["tenancy"]
        self.region = cfg["region"]


@pytest.fixture
def c(emulator, oci_config):
    return C(emulator, oci_config)


@pytest.fixture
def comp(c):
    return c.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=c.tenancy, name=unique("adb"), description="adb test")).data.id


def details(comp, name, **kw):
    d = dict(compartment_id=comp, db_name=name, display_name=name.lower(), admin_password=PW, db_workload="OLTP",
             compute_model="ECPU", compute_count=2, data_storage_size_in_tbs=1)
    d.update(kw)
    if d.get("source") == "DATABASE":
        d.pop("source")
        return D.CreateAutonomousDatabaseCloneDetails(**d)
    return D.CreateAutonomousDatabaseDetails(**d)


def wait_wr(c, resp):
    wr = resp.headers["opc-work-request-id"]
    return oci.wait_until(c.wr, c.wr.get_work_request(wr), "status", "SUCCEEDED", **WAIT).data


def get(c, ident):
    return c.db.get_autonomous_database(ident).data


def create_available(c, comp, name, **kw):
    resp = c.db.create_autonomous_database(details(comp, name, **kw))
    assert resp.data.lifecycle_state == "PROVISIONING"
    assert wait_wr(c, resp).operation_type == "CREATE_AUTONOMOUS_DATABASE"
    return wait_state(c.db, c.db.get_autonomous_database, resp.data.id, "AVAILABLE")


def test_lifecycle_scale_stop_start_backup_restore_clone_delete(c, comp, emulator):
    adb = create_available(c, comp, "ORDERS1", is_auto_scaling_enabled=True, whitelisted_ips=["203.0.113.0/24"])
    assert (adb.compute_model, adb.compute_count, adb.data_storage_size_in_tbs) == ("ECPU", 2.0, 1)
    assert adb.is_access_control_enabled and adb.whitelisted_ips == ["203.0.113.0/24"]
    assert adb.db_version and adb.used_data_storage_size_in_gbs >= 1
    cs = adb.connection_strings
    assert set(cs.all_connection_strings) == {"HIGH", "MEDIUM", "LOW", "TP", "TPURGENT"}
    assert cs.high.startswith(f"adb.{c.region}.oraclecloud.com:1522/") and cs.high.endswith(
        "_orders1_high.adb.oraclecloud.com")
    assert adb.connection_urls.sql_dev_web_url.endswith("/ords/sql-developer") and adb.connection_urls.mongo_db_url

    # scale ECPU and storage: SCALE_IN_PROGRESS, then AVAILABLE with the new sizes
    resp = c.db.update_autonomous_database(adb.id, D.UpdateAutonomousDatabaseDetails(
        compute_count=6, data_storage_size_in_tbs=3))
    assert resp.data.lifecycle_state == "SCALE_IN_PROGRESS"
    wait_wr(c, resp)
    adb = wait_state(c.db, c.db.get_autonomous_database, adb.id, "AVAILABLE")
    assert (adb.compute_count, adb.data_storage_size_in_tbs) == (6.0, 3)

    # stop / start / restart
    resp = c.db.stop_autonomous_database(adb.id)
    assert resp.data.lifecycle_state == "STOPPING"
    wait_wr(c, resp)
    assert get(c, adb.id).lifecycle_state == "STOPPED"
    with pytest.raises(E) as ei:
        c.db.stop_autonomous_database(adb.id)
    assert (ei.value.status, ei.value.code) == (409, "IncorrectState")
    with pytest.raises(E) as ei:
        c.db.update_autonomous_database(adb.id, D.UpdateAutonomousDatabaseDetails(compute_count=8))
    assert ei.value.status == 409
    resp = c.db.start_autonomous_database(adb.id)
    assert resp.data.lifecycle_state == "STARTING"
    wait_wr(c, resp)
    resp = c.db.restart_autonomous_database(adb.id)
    assert resp.data.lifecycle_state == "RESTARTING"
    wait_wr(c, resp)
    assert get(c, adb.id).lifecycle_state == "AVAILABLE"

    # a manual backup; a day later the automatic ones are listed too
    resp = c.db.create_autonomous_database_backup(D.CreateAutonomousDatabaseBackupDetails(
        autonomous_database_id=adb.id, display_name="before-release"))
    assert resp.data.lifecycle_state == "CREATING" and get(c, adb.id).lifecycle_state in ("BACKUP_IN_PROGRESS",
                                                                                          "AVAILABLE")
    wait_wr(c, resp)
    backup = c.db.get_autonomous_database_backup(resp.data.id).data
    assert (backup.lifecycle_state, backup.type, backup.is_automatic) == ("ACTIVE", "FULL", False)
    emulator.clock.advance(3 * 86400)
    backups = c.db.list_autonomous_database_backups(autonomous_database_id=adb.id).data
    auto = [b for b in backups if b.is_automatic]
    assert len(auto) >= 2 and {b.type for b in auto} <= {"FULL", "INCREMENTAL"}
    assert any(b.id == backup.id for b in c.db.list_autonomous_database_backups(compartment_id=comp).data)

    # long-term backup: deletable; the others are not
    lt = c.db.create_autonomous_database_backup(D.CreateAutonomousDatabaseBackupDetails(
        autonomous_database_id=adb.id, display_name="yearly", is_long_term_backup=True, retention_period_in_days=365))
    wait_wr(c, lt)
    with pytest.raises(E) as ei:
        c.db.delete_autonomous_database_backup(backup.id)
    assert ei.value.status == 400
    wait_wr(c, c.db.delete_autonomous_database_backup(lt.data.id))
    assert c.db.get_autonomous_database_backup(lt.data.id).data.lifecycle_state == "DELETED"

    # restore to a point in time: the data as it was then
    before = get(c, adb.id).used_data_storage_size_in_gbs
    when = dt.datetime.fromtimestamp(emulator.clock.now() - 2 * 86400, tz=dt.UTC)
    resp = c.db.restore_autonomous_database(adb.id, D.RestoreAutonomousDatabaseDetails(timestamp=when))
    assert resp.data.lifecycle_state == "RESTORE_IN_PROGRESS"
    wait_wr(c, resp)
    after = get(c, adb.id)
    assert after.lifecycle_state == "AVAILABLE" and after.used_data_storage_size_in_gbs <= before
    with pytest.raises(E) as ei:
        c.db.restore_autonomous_database(adb.id, D.RestoreAutonomousDatabaseDetails(
            timestamp=dt.datetime.fromtimestamp(emulator.clock.now() - 30 * 86400, tz=dt.UTC)))
    assert ei.value.status == 400 and "earliest" in ei.value.message

    # clones: full and metadata
    full = create_available(c, comp, "ORDERSCLONE", source="DATABASE", source_id=adb.id, clone_type="FULL")
    assert (full.source_id, full.clone_type) == (adb.id, "FULL")
    meta = create_available(c, comp, "ORDERSMETA", source="DATABASE", source_id=adb.id, clone_type="METADATA",
                            db_workload="OLTP")
    assert meta.clone_type == "METADATA"
    assert {d.id for d in c.db.list_autonomous_databases(comp).data} >= {adb.id, full.id, meta.id}

    # move, then delete
    other = c.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=c.tenancy, name=unique("adb2"), description="moved")).data.id
    wait_wr(c, c.db.change_autonomous_database_compartment(
        D.ChangeCompartmentDetails(compartment_id=other), meta.id))
    assert get(c, meta.id).compartment_id == other
    for ident in (adb.id, full.id, meta.id):
        resp = c.db.delete_autonomous_database(ident)
        wait_wr(c, resp)
        assert get(c, ident).lifecycle_state == "TERMINATED"
    assert [b for b in c.db.list_autonomous_database_backups(autonomous_database_id=adb.id).data
            if b.lifecycle_state == "ACTIVE"] == []


def test_workloads_connection_levels_and_compute_models(c, comp):
    dw = create_available(c, comp, "WAREHOUSE1", db_workload="DW", compute_count=4, data_storage_size_in_tbs=2)
    assert set(dw.connection_strings.all_connection_strings) == {"HIGH", "MEDIUM", "LOW"}
    assert dw.connection_urls.mongo_db_url is None
    ajd = create_available(c, comp, "JSONDB1", db_workload="AJD", data_storage_size_in_tbs=None,
                           data_storage_size_in_gbs=50)
    assert ajd.data_storage_size_in_gbs == 50 and "TPURGENT" in ajd.connection_strings.all_connection_strings
    apex = create_available(c, comp, "APEXAPP1", db_workload="APEX", license_model="BRING_YOUR_OWN_LICENSE")
    assert apex.license_model == "BRING_YOUR_OWN_LICENSE"
    ocpu = create_available(c, comp, "LEGACY1", compute_model=None, compute_count=None, cpu_core_count=2)
    assert (ocpu.compute_model, ocpu.cpu_core_count, ocpu.compute_count) == ("OCPU", 2, 2.0)
    found = c.db.list_autonomous_databases(comp, db_workload="DW").data
    assert [d.db_name for d in found] == ["WAREHOUSE1"]


def test_private_endpoint_and_free_tier(c, emulator, oci_config):
    net = make_net(Clients(emulator, oci_config))
    core = oci.core.VirtualNetworkClient(oci_config, service_endpoint=emulator.endpoint("core"),
                                         signer=signer_for(oci_config), **NO_RETRY)
    nsg = core.create_network_security_group(oci.core.models.CreateNetworkSecurityGroupDetails(
        compartment_id=net.compartment_id, vcn_id=net.vcn_id)).data
    adb = create_available(c, net.compartment_id, "PRIVDB1", subnet_id=net.subnet_id, nsg_ids=[nsg.id],
                           private_endpoint_label="privdb")
    assert adb.private_endpoint == f"privdb.adb.{c.region}.oraclecloud.com"
    assert adb.private_endpoint_ip.startswith("10.77.1.") and adb.nsg_ids == [nsg.id]
    assert adb.connection_strings.high.startswith("privdb.adb.")
    second = create_available(c, net.compartment_id, "PRIVDB2", subnet_id=net.subnet_id)
    assert second.private_endpoint_ip != adb.private_endpoint_ip

    free = create_available(c, net.compartment_id, "FREEDB1", is_free_tier=True, compute_count=None,
                            data_storage_size_in_tbs=None)
    assert free.is_free_tier and free.data_storage_size_in_gbs == 20
    assert free.time_reclamation_of_free_autonomous_database
    with pytest.raises(E) as ei:
        c.db.create_autonomous_database(details(net.compartment_id, "FREEDB2", is_free_tier=True,
                                                is_auto_scaling_enabled=True))
    assert ei.value.status == 400 and "auto scaling" in ei.value.message
    create_available(c, net.compartment_id, "FREEDB2", is_free_tier=True)
    with pytest.raises(E) as ei:
        c.db.create_autonomous_database(details(net.compartment_id, "FREEDB3", is_free_tier=True))
    assert (ei.value.status, ei.value.code) == (400, "LimitExceeded")
    with pytest.raises(E) as ei:
        c.db.update_autonomous_database(free.id, D.UpdateAutonomousDatabaseDetails(compute_count=4))
    assert ei.value.status == 400 and "cannot be scaled" in ei.value.message
    with pytest.raises(E) as ei:
        c.db.create_autonomous_database(details(net.compartment_id, "BADNSG", nsg_ids=[nsg.id]))
    assert ei.value.status == 400


@pytest.mark.parametrize("pw,why", [
    ("Short1Aa", "between 12 and 30"), ("alllowercase123", "uppercase"), ("ALLUPPERCASE123", "lowercase"),
    ("NoDigitsHereAtAll", "numeric"), ('Quote"Inside123', "double quote"), ("MyAdminPass1234", "admin"),
])
def test_password_rules(c, comp, pw, why):
    with pytest.raises(E) as ei:
        c.db.create_autonomous_database(details(comp, "PWTEST", admin_password=pw))
    assert (ei.value.status, ei.value.code) == (400, "InvalidParameter") and why in ei.value.message


def test_errors_bounds_names_shrink_and_states(c, comp, emulator):
    for kw, field in ((dict(compute_count=1), "computeCount"), (dict(compute_count=513), "computeCount"),
                      (dict(compute_count=2.5), "whole"), (dict(data_storage_size_in_tbs=385), "dataStorageSizeInTBs"),
                      (dict(db_workload="DW", data_storage_size_in_tbs=None, data_storage_size_in_gbs=100),
                       "dataStorageSizeInGBs"),
                      (dict(compute_model="OCPU", compute_count=129), "computeCount")):
        with pytest.raises(E) as ei:
            c.db.create_autonomous_database(details(comp, "BOUNDS", **kw))
        assert ei.value.status == 400 and field in ei.value.message, (kw, ei.value.message)
    for bad in ("1STARTSWITHDIGIT", "HAS_UNDERSCORE", "X" * 31):
        with pytest.raises(E) as ei:
            c.db.create_autonomous_database(details(comp, bad))
        assert ei.value.status == 400
    adb = create_available(c, comp, "UNIQUE1")
    with pytest.raises(E) as ei:
        c.db.create_autonomous_database(details(comp, "unique1"))
    assert (ei.value.status, ei.value.code) == (409, "Conflict")

    # the demo's ORDERSDB holds about 1.4 TB: a full clone needs 2 TB, and cannot shrink to 1 TB
    seeded = next(d for d in c.db.list_autonomous_databases(
        next(x.id for x in c.identity.list_compartments(c.tenancy).data if x.name == "Production")).data
        if d.db_name == "ORDERSDB")
    assert seeded.used_data_storage_size_in_gbs > 1024 and seeded.actual_used_data_storage_size_in_tbs > 1
    with pytest.raises(E) as ei:
        c.db.create_autonomous_database(details(comp, "TOOSMALL", source="DATABASE", source_id=seeded.id,
                                                clone_type="FULL"))
    assert ei.value.status == 400
    big = create_available(c, comp, "BIGCLONE", source="DATABASE", source_id=seeded.id, clone_type="FULL",
                           data_storage_size_in_tbs=2)
    with pytest.raises(E) as ei:
        c.db.update_autonomous_database(big.id, D.UpdateAutonomousDatabaseDetails(data_storage_size_in_tbs=1))
    assert ei.value.status == 400 and "below the used storage" in ei.value.message
    with pytest.raises(E) as ei:
        c.db.update_autonomous_database(big.id, D.UpdateAutonomousDatabaseDetails(compute_count=600))
    assert ei.value.status == 400

    # wrong states
    with pytest.raises(E) as ei:
        c.db.start_autonomous_database(adb.id)
    assert (ei.value.status, ei.value.code) == (409, "IncorrectState")
    wait_wr(c, c.db.stop_autonomous_database(adb.id))
    for call in (lambda: c.db.restart_autonomous_database(adb.id),
                 lambda: c.db.create_autonomous_database_backup(D.CreateAutonomousDatabaseBackupDetails(
                     autonomous_database_id=adb.id)),
                 lambda: c.db.create_autonomous_database(details(comp, "FROMSTOPPED", source="DATABASE",
                                                                 source_id=adb.id, clone_type="FULL"))):
        with pytest.raises(E) as ei:
            call()
        assert ei.value.status == 409
    # an update that is not scaling is allowed while stopped (and the name is checked)
    resp = c.db.update_autonomous_database(adb.id, D.UpdateAutonomousDatabaseDetails(
        display_name="renamed", whitelisted_ips=["198.51.100.0/24"]))
    wait_wr(c, resp)
    got = get(c, adb.id)
    assert (got.display_name, got.lifecycle_state, got.whitelisted_ips) == ("renamed", "STOPPED", ["198.51.100.0/24"])
    with pytest.raises(E) as ei:
        c.db.update_autonomous_database(adb.id, D.UpdateAutonomousDatabaseDetails(whitelisted_ips=["not-an-ip"]))
    assert ei.value.status == 400


def test_wallet_zip_parses(c, comp, tmp_path):
    adb = create_available(c, comp, "WALLETDB", db_workload="OLTP")
    with pytest.raises(E) as ei:
        c.db.generate_autonomous_database_wallet(adb.id, D.GenerateAutonomousDatabaseWalletDetails(password="short"))
    assert ei.value.status == 400 and "at least 8" in ei.value.message
    resp = c.db.generate_autonomous_database_wallet(
        adb.id, D.GenerateAutonomousDatabaseWalletDetails(password="Wallet#2026", generate_type="SINGLE"))
    data = resp.data.content
    z = zipfile.ZipFile(io.BytesIO(data))
    names = set(z.namelist())
    assert {"tnsnames.ora", "sqlnet.ora", "ojdbc.properties", "ewallet.p12", "ewallet.pem", "keystore.jks",
            "truststore.jks", "README"} <= names
    tns = z.read("tnsnames.ora").decode()
    entries = dict(re.findall(r"^(\w+)\s*=\s*(\(description=.*\))\s*$", tns, re.M))
    assert set(entries) == {f"walletdb_{lvl}" for lvl in ("high", "medium", "low", "tp", "tpurgent")}
    for alias, desc in entries.items():
        assert desc.count("(") == desc.count(")")
        service = re.search(r"service_name=([^)]+)", desc).group(1)
        assert service.endswith(f"_{alias}.adb.oraclecloud.com")
        assert service.split("/")[-1] == adb.connection_strings.all_connection_strings[
            alias.split("_", 1)[1].upper()].split("/")[-1]
        assert "(protocol=tcps)(port=1522)" in desc
    assert "WALLET_LOCATION" in z.read("sqlnet.ora").decode()
    assert "oracle.net.wallet_location" in z.read("ojdbc.properties").decode()
    key, cert, extra = pkcs12.load_key_and_certificates(z.read("ewallet.p12"), b"Wallet#2026")
    assert key is not None and cert is not None and len(extra) == 1
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(z.read("ewallet.p12"), b"wrong-password1")
    jks = z.read("keystore.jks")
    assert jks[:4] == b"\xfe\xed\xfe\xed"
    keytool = shutil.which("keytool")
    if keytool:
        z.extractall(tmp_path)
        for store, entry in (("keystore.jks", "PrivateKeyEntry"), ("truststore.jks", "trustedCertEntry")):
            out = subprocess.run([keytool, "-list", "-keystore", str(tmp_path / store), "-storepass", "Wallet#2026"],
                                 capture_output=True, text=True, timeout=60)
            assert out.returncode == 0 and entry in out.stdout, out.stdout + out.stderr


def test_metrics_follow_state_and_scaling(c, comp, emulator):
    adb = create_available(c, comp, "METRICS1", compute_count=2)
    emulator.clock.advance(3 * 3600)
    wait_wr(c, c.db.update_autonomous_database(adb.id, D.UpdateAutonomousDatabaseDetails(compute_count=16)))
    emulator.clock.advance(3 * 3600)
    wait_wr(c, c.db.stop_autonomous_database(adb.id))
    emulator.clock.advance(3 * 3600)
    now = emulator.clock.now()
    M = oci.monitoring.models

    def series(metric):
        res = c.mon.summarize_metrics_data(comp, M.SummarizeMetricsDataDetails(
            namespace="oci_autonomous_database", query=f'{metric}[5m]{{resourceId = "{adb.id}"}}.mean()',
            start_time=dt.datetime.fromtimestamp(now - 9 * 3600, tz=dt.UTC),
            end_time=dt.datetime.fromtimestamp(now, tz=dt.UTC))).data
        assert len(res) == 1
        return [(p.timestamp.timestamp(), p.value) for p in res[0].aggregated_datapoints]

    cpu = series("CpuUtilization")
    t0 = now - 9 * 3600
    before = [v for t, v in cpu if t < t0 + 3 * 3600 - 600]
    after = [v for t, v in cpu if t0 + 3 * 3600 + 600 < t < t0 + 6 * 3600 - 600]
    assert before and after and all(0 <= v <= 100 for _, v in cpu)
    assert sum(after) / len(after) < sum(before) / len(before)  # 8x the ECPUs: the same work uses less of them
    assert not [t for t, _ in cpu if t > t0 + 6 * 3600 + 600]  # stopped: no data
    assert all(0 < v < 100 for _, v in series("StorageUtilization"))
    names = {m.name for m in c.mon.list_metrics(comp, M.ListMetricsDetails(namespace="oci_autonomous_database")).data}
    assert {"CpuUtilization", "StorageUtilization", "Sessions", "ExecuteCount"} <= names


def test_cli_create_scale_stop_start_backup_clone_delete(c, comp, emulator, tmp_path):
    cfg = tmp_path / "config"
    emulator.write_config(cfg)
    ep = emulator.endpoint("database")
    adb = run_oci(cfg, ep, "db", "autonomous-database", "create", "--compartment-id", comp, "--db-name", "CLIDB",
                  "--admin-password", PW, "--compute-model", "ECPU", "--compute-count", "2",
                  "--data-storage-size-in-tbs", "1", "--db-workload", "OLTP", "--wait-for-state", "AVAILABLE")
    ident = adb["data"]["id"]
    assert adb["data"]["lifecycle-state"] == "AVAILABLE"
    run_oci(cfg, ep, "db", "autonomous-database", "update", "--autonomous-database-id", ident, "--compute-count",
            "4", "--data-storage-size-in-tbs", "2", "--force", "--wait-for-state", "AVAILABLE")
    assert (get(c, ident).compute_count, get(c, ident).data_storage_size_in_tbs) == (4.0, 2)
    run_oci(cfg, ep, "db", "autonomous-database", "stop", "--autonomous-database-id", ident,
            "--wait-for-state", "STOPPED")
    run_oci(cfg, ep, "db", "autonomous-database", "start", "--autonomous-database-id", ident,
            "--wait-for-state", "AVAILABLE")
    bk = run_oci(cfg, ep, "db", "autonomous-database-backup", "create", "--autonomous-database-id", ident,
                 "--display-name", "cli-backup", "--wait-for-state", "ACTIVE")
    assert bk["data"]["lifecycle-state"] == "ACTIVE"
    clone = run_oci(cfg, ep, "db", "autonomous-database", "create-from-clone", "--compartment-id", comp,
                    "--db-name", "CLICLONE", "--admin-password", PW, "--source-id", ident, "--clone-type", "FULL",
                    "--compute-model", "ECPU", "--compute-count", "2", "--data-storage-size-in-tbs", "1",
                    "--wait-for-state", "AVAILABLE")
    assert clone["data"]["source-id"] == ident
    wallet = tmp_path / "wallet.zip"
    done = subprocess.run([oci_cli(), "--config-file", str(cfg), "--endpoint", ep, "db", "autonomous-database",
                           "generate-wallet", "--autonomous-database-id", ident, "--password", "Wallet#2026",
                           "--file", str(wallet)], capture_output=True, text=True, timeout=60, env=subprocess_env())
    assert done.returncode == 0, done.stderr
    assert "tnsnames.ora" in zipfile.ZipFile(wallet).namelist()
    for i in (clone["data"]["id"], ident):
        run_oci(cfg, ep, "db", "autonomous-database", "delete", "--autonomous-database-id", i, "--force",
                "--wait-for-state", "SUCCEEDED")
        assert get(c, i).lifecycle_state == "TERMINATED"
