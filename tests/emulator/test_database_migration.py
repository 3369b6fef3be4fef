"""Database Migration through the real SDK: connections to a DB system's database and to a database outside OCI
(credentials checked for shape, the passwords never in the state file nor in an answer), offline and online
migrations evaluated and started, their jobs moving through OCI's phases over the emulator's clock, paused
after a phase and resumed, aborted, failing where the database cannot be reached, and their output log."""

from __future__ import annotations

import sqlite3

import oci
import pytest

from tests.conftest import make_emulator

from .helpers import NO_RETRY, signer_for

E = oci.exceptions.ServiceError
DM = oci.database_migration.models
D = oci.database.models
SRC_PASSWORD = "OnPrem#Secret42"
TGT_PASSWORD = "Target_Pw#77x"
VAULT = "ocid1.vault.oc1.iad.amaaaaaamigrationvault"
KEY = "ocid1.key.oc1.iad.amaaaaaamigrationkey"


class MigClients:
    def __init__(self, emulator, cfg):
        kw = dict(NO_RETRY, signer=signer_for(cfg))
        self.dm = oci.database_migration.DatabaseMigrationClient(
            cfg, service_endpoint=emulator.endpoint("database_migration"), **kw)
        self.db = oci.database.DatabaseClient(cfg, service_endpoint=emulator.endpoint("database"), **kw)
        self.identity = oci.identity.IdentityClient(cfg, service_endpoint=emulator.endpoint("identity"), **kw)
        self.tenancy = cfg["tenancy"]
        self.emulator = emulator
        prod = next(c for c in self.identity.list_compartments(self.tenancy).data if c.name == "Production")
        self.comp = prod.id
        system = self.db.list_db_systems(prod.id).data[0]  # the demo's orders-db
        self.target_db = self.db.list_databases(compartment_id=prod.id, system_id=system.id).data[0]

    def later(self, seconds: float = 3600) -> None:
        self.emulator.clock.advance(seconds)


@pytest.fixture
def c(emulator, oci_config):
    return MigClients(emulator, oci_config)


def source_details(c, **over):
    d = dict(connection_type="ORACLE", technology_type="ORACLE_DATABASE", display_name="onprem-erp",
             compartment_id=c.comp, vault_id=VAULT, key_id=KEY, username="SYSTEM", password=SRC_PASSWORD,
             connection_string="erp.corp.example.com:1521/ERPPDB")
    d.update(over)
    return DM.CreateOracleConnectionDetails(**d)


def target_details(c, **over):
    d = dict(connection_type="ORACLE", technology_type="ORACLE_DATABASE", display_name="orders-target",
             compartment_id=c.comp, vault_id=VAULT, key_id=KEY, username="SYSTEM", password=TGT_PASSWORD,
             database_id=c.target_db.id)
    d.update(over)
    return DM.CreateOracleConnectionDetails(**d)


def active(c, conn):
    c.later(10)
    got = c.dm.get_connection(conn.id).data
    assert got.lifecycle_state == "ACTIVE"
    return got


def connections(c):
    return active(c, c.dm.create_connection(source_details(c)).data), \
        active(c, c.dm.create_connection(target_details(c)).data)


def migration(c, src, tgt, mtype="OFFLINE", **over):
    d = dict(compartment_id=c.comp, database_combination="ORACLE", type=mtype, display_name=f"erp-{mtype.lower()}",
             source_database_connection_id=src.id, target_database_connection_id=tgt.id,
             data_transfer_medium_details=DM.CreateOracleObjectStorageDataTransferMediumDetails(
                 object_storage_bucket=DM.CreateObjectStoreBucket(namespace_name="demo", bucket_name="migration")),
             initial_load_settings=DM.CreateOracleInitialLoadSettings(job_mode="SCHEMA"))
    d.update(over)
    m = c.dm.create_migration(DM.CreateOracleMigrationDetails(**d)).data
    c.later(10)
    m = c.dm.get_migration(m.id).data
    assert (m.lifecycle_state, m.lifecycle_details) == ("ACTIVE", "READY")
    return m


def start(c, m, **details):
    return c.dm.start_migration(m.id, start_migration_details=DM.StartMigrationDetails(**details)).data


def phases(job):
    return [(p.name, p.status) for p in job.progress.phases]


def test_connections_and_their_checks(c):
    src, tgt = connections(c)
    assert src.technology_type == "ORACLE_DATABASE" and src.connection_string == "erp.corp.example.com:1521/ERPPDB"
    assert tgt.database_id == c.target_db.id and tgt.connection_string.startswith("orcl-prod.")
    assert tgt.secret_id.startswith("ocid1.vaultsecret.") and tgt.password is None and src.password is None
    listed = c.dm.list_connections(c.comp).data.items
    wrs = c.dm.list_work_requests(c.comp).data.items
    assert {w.operation_type for w in wrs} == {"CREATE_CONNECTION"} and {w.status for w in wrs} == {"SUCCEEDED"}
    assert c.dm.get_work_request(wrs[0].id).data.resources[0].identifier in (src.id, tgt.id)
    assert {x.display_name for x in listed} >= {"onprem-erp", "orders-target"}
    for over, words in [
        (dict(password=None), "password is required"),
        (dict(password="x" * 31), "1 to 30 characters"),
        (dict(password='has"quote'), "double quote"),
        (dict(username="1system"), "Oracle user name"),
        (dict(vault_id="vault-1"), "OCID of a vault"),
        (dict(connection_string="not a connect string"), "EZConnect"),
        (dict(connection_string=None), "connectionString is required"),
        (dict(technology_type="MYSQL_SERVER"), "technologyType"),
    ]:
        with pytest.raises(E) as e:
            c.dm.create_connection(source_details(c, **over))
        assert e.value.status == 400 and words in e.value.message, (over, e.value.message)
    with pytest.raises(E) as e:
        c.dm.create_connection(target_details(c, database_id="ocid1.database.oc1.iad.nosuchdatabase"))
    assert e.value.status == 404
    with pytest.raises(E) as e:  # an ADB connection names its Autonomous Database
        c.dm.create_connection(target_details(c, technology_type="OCI_AUTONOMOUS_DATABASE", database_id=None))
    assert e.value.status == 400 and "databaseId is required" in e.value.message


def test_passwords_never_reach_the_state_file(tmp_path):
    state = tmp_path / "state.sqlite"
    emu = make_emulator(tmp_path, state=str(state))
    try:
        c = MigClients(emu, emu.client_config())
        src, tgt = connections(c)
        assert src.id and tgt.id
    finally:
        emu.stop()
    raw = state.read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("state.sqlite*") if p.is_file())
    assert b"ERPPDB" in raw or sqlite3.connect(state).execute("select count(*) from sqlite_master").fetchone()
    assert SRC_PASSWORD.encode() not in raw and TGT_PASSWORD.encode() not in raw
    assert b"pbkdf2-sha256$" in raw


def test_offline_migration_evaluated_started_paused_resumed(c):
    src, tgt = connections(c)
    m = migration(c, src, tgt)
    assert m.data_transfer_medium_details.type == "OBJECT_STORAGE" and m.initial_load_settings.job_mode == "SCHEMA"
    supported = [p.name for p in c.dm.retrieve_supported_phases(m.id).data.items]
    assert supported[0] == "ODMS_VALIDATE_TGT" and supported[-1] == "ODMS_CLEANUP"
    job = c.dm.evaluate_migration(m.id).data
    assert job.type == "EVALUATION" and job.lifecycle_state == "IN_PROGRESS"
    assert phases(job)[0] == ("ODMS_VALIDATE_TGT", "PENDING")
    assert c.dm.get_migration(m.id).data.lifecycle_details == "VALIDATING"
    with pytest.raises(E) as e:  # one job at a time
        c.dm.start_migration(m.id, start_migration_details=DM.StartMigrationDetails())
    assert e.value.status == 409
    c.later(60)
    mid = c.dm.get_job(job.id).data
    assert mid.progress.phases[0].status == "COMPLETED" and mid.progress.current_phase == "ODMS_VALIDATE_SRC"
    assert 0 < mid.progress.phases[1].progress < 100
    c.later(3600)
    job = c.dm.get_job(job.id).data
    assert job.lifecycle_state == "SUCCEEDED" and {s for _n, s in phases(job)} == {"COMPLETED"}
    assert "ODMS_INITIAL_LOAD_EXPORT" not in [n for n, _s in phases(job)]  # an evaluation only validates
    m = c.dm.get_migration(m.id).data
    assert (m.lifecycle_state, m.lifecycle_details) == ("ACTIVE", "VALIDATED")

    with pytest.raises(E) as e:
        start(c, m, wait_after="ODMS_SWITCHOVER")  # not an offline phase
    assert e.value.status == 400
    run = start(c, m, wait_after="ODMS_INITIAL_LOAD_EXPORT")
    assert run.type == "MIGRATION"
    c.later(3600)
    run = c.dm.get_job(run.id).data
    assert run.lifecycle_state == "WAITING"
    done = dict(phases(run))
    assert done["ODMS_INITIAL_LOAD_EXPORT"] == "COMPLETED" and done["ODMS_INITIAL_LOAD_IMPORT"] == "PENDING"
    assert c.dm.get_migration(m.id).data.lifecycle_state == "WAITING"
    c.later(3600)  # waiting stays waiting
    assert c.dm.get_job(run.id).data.lifecycle_state == "WAITING"
    r = c.dm.resume_job(run.id, resume_job_details=DM.ResumeJobDetails()).data
    assert r.lifecycle_state == "IN_PROGRESS"
    with pytest.raises(E) as e:
        c.dm.resume_job(run.id, resume_job_details=DM.ResumeJobDetails())
    assert e.value.status == 409
    c.later(3600)
    run = c.dm.get_job(run.id).data
    assert run.lifecycle_state == "SUCCEEDED" and phases(run)[-1] == ("ODMS_CLEANUP", "COMPLETED")
    m = c.dm.get_migration(m.id).data
    assert (m.lifecycle_state, m.lifecycle_details) == ("SUCCEEDED", "DONE") and m.time_last_migration
    jobs = c.dm.list_jobs(m.id).data.items
    assert [j.type for j in jobs] == ["MIGRATION", "EVALUATION"]
    lines = [o.message for o in c.dm.list_job_outputs(run.id).data.items]
    assert any("ODMS_INITIAL_LOAD_IMPORT completed" in x for x in lines)
    assert any("paused after ODMS_INITIAL_LOAD_EXPORT" in x for x in lines) and any("resumed" in x for x in lines)
    text = c.dm.get_job_output_content(run.id).data.content.decode()
    assert text.count("\n") == len(lines) and "Job MIGRATION succeeded" in text
    assert SRC_PASSWORD not in text


def test_online_migration_reaches_switchover_and_abort(c):
    src, tgt = connections(c)
    with pytest.raises(E) as e:
        migration(c, src, tgt, "ONLINE", ggs_details=DM.CreateOracleGgsDeploymentDetails(acceptable_lag=90))
    assert e.value.status == 400 and "acceptableLag" in e.value.message
    with pytest.raises(E) as e:  # the target is an OCI database
        migration(c, tgt, src)
    assert e.value.status == 400 and "target must be an OCI database" in e.value.message
    m = migration(c, src, tgt, "ONLINE", ggs_details=DM.CreateOracleGgsDeploymentDetails(acceptable_lag=10))
    run = start(c, m, wait_after="ODMS_MONITOR_REPLICATION_LAG")
    names = [n for n, _s in phases(run)]
    assert "ODMS_VALIDATE_GG_HUB" in names and names.index("ODMS_SWITCHOVER") == len(names) - 2
    c.later(7200)
    run = c.dm.get_job(run.id).data
    assert run.lifecycle_state == "WAITING" and dict(phases(run))["ODMS_SWITCHOVER"] == "PENDING"
    aborted = c.dm.abort_job(run.id).data
    assert aborted.lifecycle_state == "TERMINATED"
    assert c.dm.get_migration(m.id).data.lifecycle_state == "ACTIVE"
    with pytest.raises(E) as e:
        c.dm.abort_job(run.id)
    assert e.value.status == 409


def test_validation_fails_when_the_target_is_down_and_deletes(c):
    src, tgt = connections(c)
    m = migration(c, src, tgt)
    node = c.db.list_db_nodes(c.comp, db_system_id=c.target_db.db_system_id).data[0]
    c.db.db_node_action(node.id, "STOP")
    c.later(600)
    assert c.db.get_db_node(node.id).data.lifecycle_state == "STOPPED"
    job = c.dm.evaluate_migration(m.id).data
    c.later(3600)
    job = c.dm.get_job(job.id).data
    assert job.lifecycle_state == "FAILED" and phases(job)[0] == ("ODMS_VALIDATE_TGT", "FAILED")
    assert "no DB node" in job.progress.phases[0].issue
    assert c.dm.get_migration(m.id).data.lifecycle_state == "NEEDS_ATTENTION"
    with pytest.raises(E) as e:  # a connection in use stays
        c.dm.delete_connection(src.id)
    assert e.value.status == 409
    listed = c.dm.list_migrations(c.comp).data.items
    assert m.id in {x.id for x in listed}
    c.dm.delete_migration(m.id)
    c.later(10)
    assert c.dm.get_migration(m.id).data.lifecycle_state == "DELETED"
    c.dm.delete_connection(src.id)
    c.later(10)
    assert c.dm.get_connection(src.id).data.lifecycle_state == "DELETED"


def test_migration_from_a_db_system_to_an_autonomous_database(c):
    adb = next(a for a in c.db.list_autonomous_databases(c.comp).data if a.display_name == "orders-atp")
    target = active(c, c.dm.create_connection(target_details(
        c, technology_type="OCI_AUTONOMOUS_DATABASE", database_id=adb.id, username="ADMIN",
        display_name="orders-adb")).data)
    assert target.connection_string.startswith("adb.us-ashburn-1.oraclecloud.com:1522/")
    assert target.connection_string.endswith("_ordersdb_high.adb.oraclecloud.com")
    source = active(c, c.dm.create_connection(target_details(c, display_name="orders-dbsystem")).data)
    m = migration(c, source, target, "ONLINE")
    job = c.dm.evaluate_migration(m.id).data
    c.later()
    assert c.dm.get_job(job.id).data.lifecycle_state == "SUCCEEDED"
    run = start(c, m)
    c.later(7200)
    run = c.dm.get_job(run.id).data
    assert run.lifecycle_state == "SUCCEEDED" and ("ODMS_SWITCHOVER", "COMPLETED") in phases(run)
    assert c.dm.get_migration(m.id).data.lifecycle_state == "SUCCEEDED"
    # the target goes down: a new evaluation fails at ODMS_VALIDATE_TGT
    c.db.stop_autonomous_database(adb.id)
    c.later(600)
    job = c.dm.evaluate_migration(m.id).data
    c.later()
    job = c.dm.get_job(job.id).data
    assert job.lifecycle_state == "FAILED" and "STOPPED" in job.progress.phases[0].issue


def test_cli_creates_a_connection_and_waits_for_its_work_request(c, emulator, tmp_path):
    from .helpers import run_oci
    cfg = emulator.write_config(tmp_path / "config")
    out = run_oci(cfg, emulator.endpoint("database_migration"), "database-migration", "connection",
                  "create-oracle-connection", "--compartment-id", c.comp, "--display-name", "cli-source",
                  "--technology-type", "ORACLE_DATABASE", "--connection-string", "erp.example.com:1521/ERP",
                  "--username", "SYSTEM", "--password", SRC_PASSWORD, "--vault-id", VAULT, "--key-id", KEY,
                  "--wait-for-state", "SUCCEEDED", "--wait-interval-seconds", "1")
    assert out["data"]["status"] == "SUCCEEDED" and out["data"]["operation-type"] == "CREATE_CONNECTION"
    conn = c.dm.get_connection(out["data"]["resources"][0]["identifier"]).data
    assert conn.lifecycle_state == "ACTIVE" and conn.display_name == "cli-source"
