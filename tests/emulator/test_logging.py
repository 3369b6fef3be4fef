"""Logging through the real SDK and the `oci` CLI: log groups and logs on work requests, PutLogs with OCI's
limits, SearchLogs with the Logging query language (errors at their column), and service logs written by
what really happens: a bucket's write and read logs record the object requests made through the API."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import oci
import pytest
from oci._vendor import requests

from .helpers import IM, NO_RETRY, WAIT, run_oci, signer_for, unique

E = oci.exceptions.ServiceError
LM = oci.logging.models
LI = oci.loggingingestion.models
LS = oci.loggingsearch.models


class Clients:
    def __init__(self, emulator, cfg):
        kw = dict(NO_RETRY, signer=signer_for(cfg))
        self.log = oci.logging.LoggingManagementClient(cfg, service_endpoint=emulator.endpoint("logging"), **kw)
        self.ingest = oci.loggingingestion.LoggingClient(
            cfg, service_endpoint=emulator.endpoint("loggingingestion"), **kw)
        self.search = oci.loggingsearch.LogSearchClient(cfg, service_endpoint=emulator.endpoint("loggingsearch"),
                                                        **kw)
        self.identity = oci.identity.IdentityClient(cfg, service_endpoint=emulator.endpoint("identity"), **kw)
        self.os = oci.object_storage.ObjectStorageClient(cfg, service_endpoint=emulator.endpoint("object_storage"),
                                                         **kw)
        self.net = oci.core.VirtualNetworkClient(cfg, service_endpoint=emulator.endpoint("core"), **kw)
        self.tenancy = cfg["tenancy"]
        self.emulator = emulator

    def now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.emulator.core.clock.now(), dt.UTC)

    def wait(self, resp) -> LM.WorkRequest:
        wr = resp.headers["opc-work-request-id"]
        return oci.wait_until(self.log, self.log.get_work_request(wr), "status", "SUCCEEDED", **WAIT).data

    def group(self, comp: str, name: str) -> str:
        wr = self.wait(self.log.create_log_group(LM.CreateLogGroupDetails(
            compartment_id=comp, display_name=name, description="test group")))
        return wr.resources[0].identifier

    def custom_log(self, group: str, name: str, **kw) -> str:
        wr = self.wait(self.log.create_log(group, LM.CreateLogDetails(display_name=name, log_type="CUSTOM", **kw)))
        return wr.resources[0].identifier

    def put(self, log_id: str, *messages, source="app-1", type_="app.event", when=None):
        when = when or self.now()
        return self.ingest.put_logs(log_id, LI.PutLogsDetails(specversion="1.0", log_entry_batches=[
            LI.LogEntryBatch(source=source, type=type_, defaultlogentrytime=when, entries=[
                LI.LogEntry(data=m if isinstance(m, str) else json.dumps(m), id=str(uuid.uuid4()))
                for m in messages])]))

    def find(self, query: str, minutes: float = 60, **kw):
        end = self.now() + dt.timedelta(seconds=1)
        return self.search.search_logs(LS.SearchLogsDetails(
            time_start=end - dt.timedelta(minutes=minutes), time_end=end, search_query=query,
            is_return_field_info=True), **kw).data


@pytest.fixture
def c(emulator, oci_config):
    return Clients(emulator, oci_config)


@pytest.fixture
def comp(c):
    return c.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=c.tenancy, name=unique("logs"), description="logging test")).data.id


def test_log_group_custom_log_ingest_and_search(c, comp):
    gid = c.group(comp, "app-logs")
    group = c.log.get_log_group(gid).data
    assert (group.display_name, group.lifecycle_state, group.compartment_id) == ("app-logs", "ACTIVE", comp)
    assert [g.id for g in c.log.list_log_groups(comp).data] == [gid]
    assert gid not in [g.id for g in c.log.list_log_groups(c.tenancy).data]
    assert gid in [g.id for g in c.log.list_log_groups(c.tenancy, is_compartment_id_in_subtree=True).data]
    lid = c.custom_log(gid, "orders", retention_duration=60)
    log = c.log.get_log(gid, lid).data
    assert (log.log_type, log.is_enabled, log.retention_duration, log.compartment_id) == ("CUSTOM", True, 60, comp)
    assert [lg.display_name for lg in c.log.list_logs(gid).data] == ["orders"]

    c.put(lid, {"level": "INFO", "msg": "order 1 placed", "ms": 12},
          {"level": "ERROR", "msg": "payment declined", "ms": 340}, "plain text line")
    c.emulator.core.clock.advance(30)
    c.put(lid, {"level": "ERROR", "msg": "stock service timeout", "ms": 5000}, source="app-2")

    # the whole log, newest first
    res = c.find(f'search "{comp}/app-logs/orders" | sort by datetime desc')
    assert res.summary.result_count == 4
    first = res.results[0].data
    assert first["logContent"]["data"]["msg"] == "stock service timeout"
    assert first["logContent"]["oracle"]["logid"] == lid and first["logContent"]["source"] == "app-2"
    assert {"fieldName": "logContent.data.level", "fieldType": "STRING"} in [
        {"fieldName": f.field_name, "fieldType": f.field_type} for f in res.fields]
    # where with comparisons, logical operators and string functions; by name or OCID
    res = c.find(f'search "{comp}/{gid}/{lid}" | where data.level = \'ERROR\' and data.ms > 1000')
    assert [r.data["logContent"]["data"]["msg"] for r in res.results] == ["stock service timeout"]
    res = c.find(f'search "{comp}/app-logs" | where lower(data.msg) like \'%PAYMENT%\' or source = \'app-2\' '
                 '| sort by datetime asc')
    assert [r.data["logContent"]["data"]["msg"] for r in res.results] == ["payment declined", "stock service timeout"]
    res = c.find(f'search "{comp}" | where logContent = \'*plain text*\'')
    assert [r.data["logContent"]["data"] for r in res.results] == ["plain text line"]
    res = c.find(f'search "{comp}/app-logs/orders" | where data.level in (\'ERROR\', \'WARN\') '
                 '| summarize count() as n, max(data.ms) as worst by source | sort by source')
    assert [r.data for r in res.results] == [{"source": "app-1", "n": 1, "worst": 340.0},
                                              {"source": "app-2", "n": 1, "worst": 5000.0}]
    # the time range bounds the search; limit and page
    assert c.find(f'search "{comp}/app-logs/orders"', minutes=0.25).summary.result_count == 1
    page = c.find(f'search "{comp}/app-logs/orders"', limit=3)
    assert len(page.results) == 3
    # the SDK pages on with opc-next-page
    end = c.now() + dt.timedelta(seconds=1)
    resp = c.search.search_logs(LS.SearchLogsDetails(time_start=end - dt.timedelta(hours=1), time_end=end,
                                                     search_query=f'search "{comp}/app-logs/orders"'), limit=3)
    nxt = c.search.search_logs(LS.SearchLogsDetails(time_start=end - dt.timedelta(hours=1), time_end=end,
                                                    search_query=f'search "{comp}/app-logs/orders"'),
                               limit=3, page=resp.headers["opc-next-page"])
    assert len(nxt.data.results) == 1


def test_query_errors_name_their_column(c, comp):
    c.group(comp, "g1")
    with pytest.raises(E) as e:
        c.find(f'search "{comp}/g1" | where data.level = ')
    assert e.value.status == 400
    col = len(f'search "{comp}/g1" | where data.level = ') + 1
    assert f"column {col}" in e.value.message
    with pytest.raises(E) as e:
        c.find(f'search "{comp}/g1" | sort datetime')
    assert e.value.status == 400 and "expected 'by' after 'sort'" in e.value.message
    with pytest.raises(E) as e:
        c.find(f'search "{comp}/nosuchgroup"')
    assert e.value.status == 404
    with pytest.raises(E) as e:
        end = c.now()
        c.search.search_logs(LS.SearchLogsDetails(time_start=end - dt.timedelta(days=20), time_end=end,
                                                  search_query=f'search "{comp}"'))
    assert e.value.status == 400 and "14 days" in e.value.message


def test_retention_and_names_are_checked(c, comp):
    gid = c.group(comp, "g2")
    for bad in (7, 45, 210):
        with pytest.raises(E) as e:
            c.log.create_log(gid, LM.CreateLogDetails(display_name=f"r{bad}", log_type="CUSTOM",
                                                      retention_duration=bad))
        assert e.value.status == 400 and "30 to 180 days in steps of 30" in e.value.message
    with pytest.raises(E) as e:
        c.log.create_log(gid, LM.CreateLogDetails(display_name="has space", log_type="CUSTOM"))
    assert e.value.status == 400
    lid = c.custom_log(gid, "ok")
    assert c.log.get_log(gid, lid).data.retention_duration == 30
    with pytest.raises(E) as e:
        c.log.create_log(gid, LM.CreateLogDetails(display_name="ok", log_type="CUSTOM"))
    assert e.value.status == 409
    with pytest.raises(E) as e:
        c.log.update_log(gid, lid, LM.UpdateLogDetails(retention_duration=365))
    assert e.value.status == 400
    c.wait(c.log.update_log(gid, lid, LM.UpdateLogDetails(retention_duration=180, is_enabled=False)))
    log = c.log.get_log(gid, lid).data
    assert (log.retention_duration, log.is_enabled) == (180, False)
    # a disabled log takes no entries
    with pytest.raises(E) as e:
        c.put(lid, "x")
    assert e.value.status == 409
    # a group with logs cannot go; its logs first
    with pytest.raises(E) as e:
        c.log.delete_log_group(gid)
    assert e.value.status == 409
    c.wait(c.log.delete_log(gid, lid))
    c.wait(c.log.update_log_group(gid, LM.UpdateLogGroupDetails(description="renamed", display_name="g2b")))
    assert c.log.get_log_group(gid).data.display_name == "g2b"
    other = c.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=c.tenancy, name=unique("logs2"), description="moved here")).data.id
    c.wait(c.log.change_log_group_compartment(gid, LM.ChangeLogGroupCompartmentDetails(compartment_id=other)))
    assert c.log.get_log_group(gid).data.compartment_id == other
    wr = c.wait(c.log.delete_log_group(gid))
    assert wr.operation_type == "DELETE_LOG_GROUP"
    with pytest.raises(E) as e:
        c.log.get_log_group(gid)
    assert e.value.status == 404
    # the service's work-request API
    wrs = c.log.list_work_requests(other).data
    assert {w.operation_type for w in wrs} >= {"DELETE_LOG_GROUP", "MOVE_LOG_GROUP"}
    assert c.log.list_work_request_logs(wr.id).data and c.log.list_work_request_errors(wr.id).data == []


def test_put_logs_limits(c, comp):
    gid = c.group(comp, "g3")
    lid = c.custom_log(gid, "limits")
    big = "x" * (1024 * 1024)
    with pytest.raises(E) as e:
        c.put(lid, big)
    assert e.value.status == 400 and "under 1 MB" in e.value.message
    # a request over 10 MB (eleven entries just under 1 MB each) is refused whole
    with pytest.raises(E) as e:
        c.put(lid, *["y" * (1000 * 1000)] * 11)
    assert e.value.status == 413
    with pytest.raises(E) as e:
        c.put(lid, "too old", when=c.now() - dt.timedelta(days=31))
    assert e.value.status == 400 and "retention" in e.value.message
    with pytest.raises(E) as e:
        c.ingest.put_logs(lid, LI.PutLogsDetails(specversion="1.0", log_entry_batches=[]))
    assert e.value.status == 400
    assert c.find(f'search "{comp}/g3/limits"').summary.result_count == 0
    c.put(lid, "fine")
    assert c.find(f'search "{comp}/g3/limits"').summary.result_count == 1


def test_an_entry_of_deeply_nested_json_is_kept_as_text(c, comp):
    # (its data was parsed to search its fields: 5,000 levels made the parser raise RecursionError, a 500)
    lid = c.custom_log(c.group(comp, "g4"), "deep")
    deep = '{"a": ' * 5000 + "1" + "}" * 5000
    c.put(lid, deep, {"shallow": {"level": 2}})
    results = c.find(f'search "{comp}/g4/deep"').results
    data = sorted((r.data["logContent"]["data"] for r in results), key=str)
    assert data == sorted([deep, {"shallow": {"level": 2}}], key=str)


def test_bucket_write_and_read_logs_record_real_requests(c, comp):
    ns = c.os.get_namespace().data
    c.os.create_bucket(ns, oci.object_storage.models.CreateBucketDetails(name=unique("logged"),
                                                                          compartment_id=comp))
    bucket = c.os.list_buckets(ns, comp).data[0].name
    gid = c.group(comp, "bucket-logs")
    services = {s.name: s for s in c.log.list_services().data}
    assert [cat.name for cat in services["objectstorage"].resource_types[0].categories] == ["read", "write"]
    wr = c.wait(c.log.create_log(gid, LM.CreateLogDetails(
        display_name="writes", log_type="SERVICE", configuration=LM.Configuration(source=LM.OciService(
            source_type="OCISERVICE", service="objectstorage", resource=bucket, category="write")))))
    write_log = wr.resources[0].identifier
    assert [lg.id for lg in c.log.list_logs(gid, source_service="objectstorage", source_resource=bucket).data] \
        == [write_log]
    # one log per source; the resource must exist
    with pytest.raises(E) as e:
        c.log.create_log(gid, LM.CreateLogDetails(display_name="again", log_type="SERVICE", configuration=(
            LM.Configuration(source=LM.OciService(source_type="OCISERVICE", service="objectstorage",
                                                  resource=bucket, category="write")))))
    assert e.value.status == 409
    with pytest.raises(E) as e:
        c.log.create_log(gid, LM.CreateLogDetails(display_name="nobucket", log_type="SERVICE", configuration=(
            LM.Configuration(source=LM.OciService(source_type="OCISERVICE", service="objectstorage",
                                                  resource="no-such-bucket", category="write")))))
    assert e.value.status == 404
    # PutLogs does not write into a service log
    with pytest.raises(E) as e:
        c.put(write_log, "forged")
    assert e.value.status == 400

    c.os.put_object(ns, bucket, "reports/q1.csv", b"a,b\n1,2\n")
    c.os.get_object(ns, bucket, "reports/q1.csv")  # a read: no read log is enabled, nothing recorded
    c.os.delete_object(ns, bucket, "reports/q1.csv")
    res = c.find(f'search "{comp}/bucket-logs/writes" | sort by datetime asc')
    rows = [r.data["logContent"] for r in res.results]
    assert [(r["type"], r["data"]["requestAction"], r["data"]["objectName"]) for r in rows] == [
        ("com.oraclecloud.objectstorage.putobject", "PUT", "reports/q1.csv"),
        ("com.oraclecloud.objectstorage.deleteobject", "DELETE", "reports/q1.csv")]
    assert rows[0]["data"]["principalId"] == c.emulator.admin_user_id
    assert rows[0]["data"]["statusCode"] == 200 and rows[0]["data"]["bucketName"] == bucket
    res = c.find(f'search "{comp}/bucket-logs/writes" | where type = \'com.oraclecloud.objectstorage.putobject\'')
    assert res.summary.result_count == 1
    # a write through a pre-authenticated request is logged too, without a principal
    OS = oci.object_storage.models
    par = c.os.create_preauthenticated_request(ns, bucket, OS.CreatePreauthenticatedRequestDetails(
        name="upload", access_type="ObjectWrite", object_name="drop/in.txt",
        time_expires=c.now() + dt.timedelta(hours=1))).data
    url = c.emulator.base_url + par.access_uri
    assert requests.put(url, data=b"dropped").status_code == 200
    res = c.find(f'search "{comp}/bucket-logs/writes" | where data.isPar = true')
    assert [(r.data["logContent"]["data"]["objectName"], r.data["logContent"]["data"]["authenticationType"])
            for r in res.results] == [("drop/in.txt", "none")]

    # a read log, enabled now, records the reads from now on
    c.wait(c.log.create_log(gid, LM.CreateLogDetails(
        display_name="reads", log_type="SERVICE", configuration=LM.Configuration(source=LM.OciService(
            source_type="OCISERVICE", service="objectstorage", resource=bucket, category="read")))))
    c.os.put_object(ns, bucket, "a.txt", b"hello")
    c.os.head_object(ns, bucket, "a.txt")
    c.os.get_object(ns, bucket, "a.txt")
    res = c.find(f'search "{comp}/bucket-logs/reads" | summarize count() by data.requestAction '
                 '| sort by data.requestAction')
    assert [r.data for r in res.results] == [{"data.requestAction": "GET", "count": 1},
                                              {"data.requestAction": "HEAD", "count": 1}]


def test_flow_log_on_subnet_holds_only_known_traffic(c, comp):
    vcn = c.net.create_vcn(oci.core.models.CreateVcnDetails(compartment_id=comp, cidr_blocks=["10.0.0.0/16"])).data
    subnet = c.net.create_subnet(oci.core.models.CreateSubnetDetails(
        compartment_id=comp, vcn_id=vcn.id, cidr_block="10.0.1.0/24")).data
    oci.wait_until(c.net, c.net.get_subnet(subnet.id), "lifecycle_state", "AVAILABLE", **WAIT)
    gid = c.group(comp, "net-logs")
    with pytest.raises(E) as e:
        c.log.create_log(gid, LM.CreateLogDetails(display_name="flows", log_type="SERVICE", configuration=(
            LM.Configuration(source=LM.OciService(source_type="OCISERVICE", service="flowlogs",
                                                  resource=subnet.id, category="write")))))
    assert e.value.status == 400 and "category" in e.value.message
    c.wait(c.log.create_log(gid, LM.CreateLogDetails(display_name="flows", log_type="SERVICE", configuration=(
        LM.Configuration(source=LM.OciService(source_type="OCISERVICE", service="flowlogs",
                                              resource=subnet.id, category="all"))))))
    # the emulator carried no traffic through this subnet: the flow log is empty, nothing is invented
    assert c.find(f'search "{comp}/net-logs/flows"').summary.result_count == 0


def test_unified_agent_configuration(c, comp):
    gid = c.group(comp, "agents")
    lid = c.custom_log(gid, "syslog")
    details = LM.CreateUnifiedAgentConfigurationDetails(
        compartment_id=comp, display_name="hosts-syslog", is_enabled=True, description="syslog of the hosts",
        service_configuration=LM.UnifiedAgentLoggingConfiguration(
            configuration_type="LOGGING",
            sources=[LM.UnifiedAgentTailLogSource(source_type="LOG_TAIL", name="syslog", paths=["/var/log/messages"])],
            destination=LM.UnifiedAgentLoggingDestination(log_object_id=lid)))
    wr = c.wait(c.log.create_unified_agent_configuration(details))
    uac = wr.resources[0].identifier
    got = c.log.get_unified_agent_configuration(uac).data
    assert (got.display_name, got.lifecycle_state, got.configuration_state) == ("hosts-syslog", "ACTIVE", "VALID")
    listed = c.log.list_unified_agent_configurations(comp, log_id=lid).data.items
    assert [(u.id, u.configuration_type) for u in listed] == [(uac, "LOGGING")]
    bad = LM.CreateUnifiedAgentConfigurationDetails(
        compartment_id=comp, display_name="bad", is_enabled=True, description="to nowhere",
        service_configuration=LM.UnifiedAgentLoggingConfiguration(
            configuration_type="LOGGING", sources=[LM.UnifiedAgentTailLogSource(
                source_type="LOG_TAIL", name="x", paths=["/x"])],
            destination=LM.UnifiedAgentLoggingDestination(log_object_id="ocid1.log.oc1..nowhere")))
    with pytest.raises(E) as e:
        c.log.create_unified_agent_configuration(bad)
    assert e.value.status == 404
    c.wait(c.log.delete_unified_agent_configuration(uac))
    assert c.log.list_unified_agent_configurations(comp).data.items == []


def test_cli_log_group_create_and_search(emulator, c, comp, tmp_path):
    cfg = tmp_path / "config"
    emulator.write_config(cfg)
    wr = run_oci(cfg, emulator.endpoint("logging"), "logging", "log-group", "create", "--compartment-id", comp,
                 "--display-name", "cli-group", "--wait-for-state", "SUCCEEDED")
    gid = wr["data"]["resources"][0]["identifier"]
    lid = c.custom_log(gid, "cli-log")
    c.put(lid, {"msg": "from the cli test"})
    end = c.now() + dt.timedelta(seconds=1)
    out = run_oci(cfg, emulator.endpoint("loggingsearch"), "logging-search", "search-logs",
                  "--search-query", f'search "{comp}/cli-group/cli-log" | where data.msg = \'*cli*\'',
                  "--time-start", (end - dt.timedelta(hours=1)).isoformat(), "--time-end", end.isoformat())
    assert [r["data"]["logContent"]["data"]["msg"] for r in out["data"]["results"]] == ["from the cli test"]


def test_function_invocation_log_and_an_honestly_empty_load_balancer_log(c, oci_config):
    """A function log (on its application) gets one entry per real invocation; a load balancer's access log can be
    enabled and stays empty, since no HTTP traffic passes through the sandbox's load balancers."""
    kw = dict(NO_RETRY, signer=signer_for(oci_config))
    fns = oci.functions.FunctionsManagementClient(oci_config, service_endpoint=c.emulator.endpoint("functions"),
                                                  **kw)
    lbs = oci.load_balancer.LoadBalancerClient(oci_config, service_endpoint=c.emulator.endpoint("load_balancer"),
                                               **kw)
    comps = c.identity.list_compartments(c.tenancy, compartment_id_in_subtree=True).data
    app = next(a for comp in comps for a in fns.list_applications(comp.id).data if a.display_name == "demo-app")
    fn = next(f for f in fns.list_functions(app.id).data if f.display_name == "hello-world")
    gid = c.group(app.compartment_id, "fn-logs")
    services = {s.name: s for s in c.log.list_services().data}
    assert [cat.name for cat in services["functions"].resource_types[0].categories] == ["invoke"]
    c.wait(c.log.create_log(gid, LM.CreateLogDetails(
        display_name="invocations", log_type="SERVICE", configuration=LM.Configuration(source=LM.OciService(
            source_type="OCISERVICE", service="functions", resource=app.id, category="invoke")))))
    inv = oci.functions.FunctionsInvokeClient(oci_config, service_endpoint=fn.invoke_endpoint, **kw)
    assert inv.invoke_function(fn.id, invoke_function_body='{"name": "logs"}').status == 200
    with pytest.raises(E) as e:
        inv.invoke_function(fn.id, invoke_function_body='{"name": 42}')  # the demo handler raises on a number
    assert e.value.status == 502
    rows = [r.data["logContent"] for r in c.find(
        f'search "{app.compartment_id}/fn-logs/invocations" | sort by datetime asc').results]
    assert [(r["data"]["functionName"], r["data"]["status"], r["data"]["responseType"]) for r in rows] == [
        ("hello-world", 200, "Success"), ("hello-world", 502, "Error")]
    assert rows[0]["type"] == "com.oraclecloud.functions.application.functioninvoke"

    lb = next(b for comp in comps for b in lbs.list_load_balancers(comp.id).data if b.display_name == "web-lb")
    lgid = c.group(lb.compartment_id, "lb-logs")
    c.wait(c.log.create_log(lgid, LM.CreateLogDetails(
        display_name="access", log_type="SERVICE", configuration=LM.Configuration(source=LM.OciService(
            source_type="OCISERVICE", service="loadbalancer", resource=lb.id, category="access")))))
    assert c.find(f'search "{lb.compartment_id}/lb-logs/access"').summary.result_count == 0
