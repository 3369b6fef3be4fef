"""The monitoring emulator through the real SDK: generated service metrics, ListMetrics, PostMetricData
rules, OCI's limits, alarms (CRUD, status, history, suppressions, firing and clearing on posted data),
persistence, query speed, and the `oci` CLI."""

from __future__ import annotations

import datetime as dt
import json
import math
import time

import numpy as np
import oci
import pytest

from tests.conftest import make_emulator

from .helpers import (
    NO_RETRY,
    Clients,
    launch_running,
    run_oci,
    signed_session,
    signer_for,
    unique,
    wait_state,
)

MM = oci.monitoring.models
CA = "oci_computeagent"
TOPIC = "ocid1.onstopic.oc1.iad.aaaaaaaaexampletopic"  # well-formed, but no such topic (format checks)
AGENT_DIMS = {"resourceId", "resourceDisplayName", "availabilityDomain", "faultDomain", "shape", "imageId", "region"}


def mon_client(emu, region: str | None = None) -> oci.monitoring.MonitoringClient:
    cfg = emu.client_config()
    return oci.monitoring.MonitoringClient(cfg, service_endpoint=emu.endpoint("monitoring", region),
                                           signer=signer_for(cfg), **NO_RETRY)


def ops_alerts(emu) -> list[str]:
    """Destinations for a test alarm: the demo's "ops-alerts" topic (they must be topics that exist)."""
    cfg = emu.client_config()
    ons = oci.ons.NotificationControlPlaneClient(cfg, service_endpoint=emu.endpoint("ons"), signer=signer_for(cfg),
                                                 **NO_RETRY)
    return [ons.list_topics(emu.tenancy_id, name="ops-alerts").data[0].topic_id]


def utc(t: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(t, dt.UTC)


def minute(t: float) -> float:
    return math.floor(t / 60) * 60


def summarize(mon, comp, query, start, end, namespace=CA, resolution=None, subtree=None, **kw):
    return mon.summarize_metrics_data(comp, MM.SummarizeMetricsDataDetails(
        namespace=namespace, query=query, start_time=utc(start), end_time=utc(end), resolution=resolution, **kw),
        compartment_id_in_subtree=subtree).data


def by_name(data) -> dict[str, dict[float, float]]:
    return {md.dimensions.get("resourceDisplayName", json.dumps(md.dimensions, sort_keys=True)):
            {p.timestamp.timestamp(): p.value for p in md.aggregated_datapoints} for md in data}


def error(fn, *args, **kw) -> oci.exceptions.ServiceError:
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fn(*args, **kw)
    return e.value


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One demo emulator for the tests that only read."""
    emu = make_emulator(tmp_path_factory.mktemp("mon"))
    yield emu, mon_client(emu)
    violations = list(emu.core.strict_violations)
    emu.stop()
    assert not violations, violations


@pytest.fixture
def mon(emulator):
    return mon_client(emulator)


# ---------------------------------------------------------------- generated service metrics

def test_compute_agent_metrics_dimensions_and_units(demo):
    emu, mon = demo
    t = emu.tenancy_id
    names = {m.name for m in mon.list_metrics(t, MM.ListMetricsDetails(namespace=CA, group_by=["name"]),
                                              compartment_id_in_subtree=True).data}
    assert names == {"CpuUtilization", "MemoryUtilization", "LoadAverage", "DiskBytesRead", "DiskBytesWritten",
                     "DiskIopsRead", "DiskIopsWritten", "NetworksBytesIn", "NetworksBytesOut"}
    now = time.time()
    c = Clients(emu)
    api01 = next(i for comp in [x.id for x in c.identity.list_compartments(t, compartment_id_in_subtree=True).data]
                 for i in c.compute.list_instances(comp).data if i.display_name == "api-01")
    units = {"CpuUtilization": "percent", "MemoryUtilization": "percent", "DiskBytesRead": "bytes",
             "NetworksBytesOut": "bytes", "DiskIopsWritten": "operations", "LoadAverage": "count"}
    for metric, unit in units.items():
        data = summarize(mon, t, f'{metric}[1m]{{resourceDisplayName = "api-01"}}.mean()', now - 3600, now,
                         subtree=True)
        assert len(data) == 1
        md = data[0]
        assert md.metadata["unit"] == unit and md.compartment_id == api01.compartment_id
        assert set(md.dimensions) == AGENT_DIMS
        assert md.dimensions == {"resourceId": api01.id, "resourceDisplayName": "api-01",
                                 "availabilityDomain": api01.availability_domain, "faultDomain": api01.fault_domain,
                                 "shape": api01.shape, "imageId": api01.image_id, "region": "us-ashburn-1"}
        values = [p.value for p in md.aggregated_datapoints]
        assert len(values) >= 59 and all(v >= 0 for v in values)
        if unit == "percent":
            assert max(values) <= 100


def test_values_are_deterministic_and_coarser_intervals_aggregate_the_minutes(demo):
    emu, mon = demo
    t = emu.tenancy_id
    end = minute(time.time()) - 600
    start = end - 3600
    q = '{resourceDisplayName = "web-02"}'
    ones = by_name(summarize(mon, t, f"CpuUtilization[1m]{q}.mean()", start, end, subtree=True))["web-02"]
    again = by_name(summarize(mon, t, f"CpuUtilization[1m]{q}.mean()", start - 1800, end - 600, subtree=True))["web-02"]
    assert len(ones) == 60
    shared = set(ones) & set(again)
    assert len(shared) == 50 and all(ones[k] == again[k] for k in shared)  # the same time, the same value
    for stat, fn in (("mean", np.mean), ("max", np.max), ("min", np.min), ("sum", np.sum)):
        fives = by_name(summarize(mon, t, f"CpuUtilization[5m]{q}.{stat}()", start, end, subtree=True))["web-02"]
        assert len(fives) == 12
        for ts_, v in fives.items():
            window = [ones[ts_ - 60 * k] for k in range(5) if ts_ - 60 * k in ones]
            if len(window) == 5:  # the first 5-minute window reaches before the 1-minute query
                assert v == pytest.approx(fn(window), rel=1e-9)
    # the same stream queried alone or in a group gives the same numbers
    grouped = by_name(summarize(mon, t, "CpuUtilization[1m].groupBy(resourceDisplayName).mean()", start, end,
                                subtree=True))
    assert grouped["web-02"] == pytest.approx(ones)


def test_hot_and_idle_instances(demo):
    emu, mon = demo
    now = time.time()
    data = summarize(mon, emu.tenancy_id, "CpuUtilization[1m].groupBy(resourceDisplayName).mean()", now - 86400, now,
                     subtree=True)
    cpu = {name: np.array(list(v.values())) for name, v in by_name(data).items()}
    assert len(cpu["api-01"]) >= 1438
    assert 85 <= cpu["api-01"].mean() <= 95 and np.percentile(cpu["api-01"], 5) >= 82
    for idle in ("alice-dev", "bastion"):
        assert cpu[idle].mean() <= 3 and cpu[idle].max() <= 5
    busy = [n for n, v in cpu.items() if v.mean() > 80]
    assert busy == ["api-01"]
    # a day has a shape: neither flat nor pure noise
    assert cpu["web-02"].max() - cpu["web-02"].min() > 10


def test_only_running_instances_report(demo):
    emu, mon = demo
    t = emu.tenancy_id
    now = time.time()
    c = Clients(emu)
    comps = [t] + [x.id for x in c.identity.list_compartments(t, compartment_id_in_subtree=True).data]
    states = {i.display_name: i.lifecycle_state for comp in comps for i in c.compute.list_instances(comp).data}
    recent = by_name(summarize(mon, t, "CpuUtilization[5m].groupBy(resourceDisplayName).max()", now - 6 * 3600, now,
                               subtree=True))
    assert set(recent) == {n for n, s in states.items() if s == "RUNNING"}
    assert {"api-02", "stg-web-02", "bob-win-test", "old-build-agent"} & set(recent) == set()
    # api-02 and old-build-agent ran until a day or more ago (the demo seed gives them a state history)
    week = by_name(summarize(mon, t, "CpuUtilization[1h].groupBy(resourceDisplayName).max()", now - 20 * 86400, now,
                             subtree=True))
    for gone in ("api-02", "old-build-agent"):
        assert len(week[gone]) > 12 and max(week[gone]) <= now - 86400 + 3600
    assert len(week["api-01"]) >= 20 * 24 - 1 and max(week["api-01"]) >= now - 3600
    # the DR instance in Phoenix stopped six hours ago; it is only seen there
    phx = mon_client(emu, "us-phoenix-1")
    dr = by_name(summarize(phx, t, "CpuUtilization[1h].groupBy(resourceDisplayName).max()", now - 86400, now,
                           subtree=True))
    assert set(dr) == {"dr-web-01"} and max(dr["dr-web-01"]) <= now - 6 * 3600 + 3600
    assert "dr-web-01" not in week


def test_no_data_before_launch_nor_after_stop(emulator, mon, net):
    c = Clients(emulator)
    inst = launch_running(c, net, display_name="fresh")
    created = inst.time_created.timestamp()
    now = time.time()
    q = f'CpuUtilization[1m]{{resourceId = "{inst.id}"}}.mean()'
    data = summarize(mon, net.compartment_id, q, now - 3 * 3600, now + 120)
    points = [p.timestamp.timestamp() for md in data for p in md.aggregated_datapoints]
    assert len(points) <= 1 and all(p >= created for p in points)
    # a stopped instance is still listed (it reported in the last two weeks) but adds no new data
    c.compute.instance_action(inst.id, "STOP")
    wait_state(c.compute, c.compute.get_instance, inst.id, "STOPPED")
    later = summarize(mon, net.compartment_id, q, time.time() + 1, time.time() + 7200)
    assert later == []


def _usage_points(mon, comp: str, bucket: str, start: float, end: float) -> dict[str, list[tuple[float, float]]]:
    out = {}
    for metric in ("StoredBytes", "ObjectCount"):
        data = summarize(mon, comp, f'{metric}[1m]{{resourceDisplayName = "{bucket}"}}.max()', start, end,
                         namespace="oci_objectstorage", resolution="1m")
        assert len(data) <= 1
        out[metric] = [(p.timestamp.timestamp(), p.value) for md in data for p in md.aggregated_datapoints]
    return out


def test_bucket_metrics_are_its_contents(emulator, mon):
    from ociconsole.emulator.protocol import ts

    t = emulator.tenancy_id
    cfg = emulator.client_config()
    osc = oci.object_storage.ObjectStorageClient(cfg, service_endpoint=emulator.endpoint("object_storage"),
                                                 signer=signer_for(cfg), **NO_RETRY)
    OM = oci.object_storage.models
    ns = osc.get_namespace().data
    bucket = osc.create_bucket(ns, OM.CreateBucketDetails(name="metered", compartment_id=t)).data
    now = time.time()
    created = minute(now) - 3 * 3600 + 30
    store = emulator.store
    with store.transaction():  # pretend the bucket is three hours old
        store.update("osbucket", bucket.id, {"timeCreated": ts(created)})
    empty = _usage_points(mon, t, "metered", now - 4 * 3600, now + 120)
    assert empty["StoredBytes"] and all(v == 0 for _t, v in empty["StoredBytes"] + empty["ObjectCount"])
    assert min(ts_ for ts_, _v in empty["StoredBytes"]) >= created  # nothing before the bucket existed

    osc.put_object(ns, "metered", "a.bin", b"a" * 100)
    with store.transaction():  # ... and a.bin two hours old
        for d in store.by_field("osobject", "_bucket", bucket.id):
            store.update("osobject", d["id"], {"_mtime": minute(now) - 2 * 3600 + 10})
    osc.put_object(ns, "metered", "b.bin", b"b" * 250)
    osc.put_object(ns, "metered", "gone.bin", b"g" * 50)
    osc.delete_object(ns, "metered", "gone.bin")
    osc.put_object(ns, "metered", "a.bin", b"A" * 120)  # overwritten: the 100 bytes were there until now
    up = osc.create_multipart_upload(ns, "metered", OM.CreateMultipartUploadDetails(object="big.bin")).data
    osc.upload_part(ns, "metered", "big.bin", up.upload_id, 1, b"p" * 4096)  # uncommitted: not counted

    got = osc.get_bucket(ns, "metered", fields=["approximateCount", "approximateSize"]).data
    assert (got.approximate_count, got.approximate_size) == (2, 370)
    end = time.time()
    pts = _usage_points(mon, t, "metered", end - 4 * 3600, end + 120)
    stored, count = dict(pts["StoredBytes"]), dict(pts["ObjectCount"])
    assert pts["StoredBytes"][-1][1] == got.approximate_size
    assert pts["ObjectCount"][-1][1] == got.approximate_count
    assert min(stored) >= created
    added = minute(now) - 2 * 3600  # the minute a.bin was written in
    before = [v for at, v in stored.items() if at < added]
    during = [v for at, v in stored.items() if added <= at < minute(now) - 60]
    assert before and set(before) == {0.0}
    assert during and set(during) == {100.0}
    assert {v for at, v in count.items() if added <= at < minute(now) - 60} == {1.0}
    # the same question gives the same answer
    assert _usage_points(mon, t, "metered", end - 4 * 3600, end + 120)["StoredBytes"][:-1] == pts["StoredBytes"][:-1]

    osc.abort_multipart_upload(ns, "metered", "big.bin", up.upload_id)
    for name in ("a.bin", "b.bin"):
        osc.delete_object(ns, "metered", name)
    end = time.time()
    pts = _usage_points(mon, t, "metered", end - 4 * 3600, end + 120)
    assert pts["StoredBytes"][-1][1] == 0 and pts["ObjectCount"][-1][1] == 0
    assert {v for at, v in pts["StoredBytes"] if added <= at < minute(now) - 60} == {100.0}  # history kept
    osc.delete_bucket(ns, "metered")
    assert _usage_points(mon, t, "metered", end - 4 * 3600, end + 120) == {"StoredBytes": [], "ObjectCount": []}


def test_demo_bucket_metrics_match_their_contents(demo):
    emu, mon = demo
    cfg = emu.client_config()
    osc = oci.object_storage.ObjectStorageClient(cfg, service_endpoint=emu.endpoint("object_storage"),
                                                 signer=signer_for(cfg), **NO_RETRY)
    ns = osc.get_namespace().data
    now = time.time()
    for name in ("app-assets", "db-backups"):
        b = osc.get_bucket(ns, name, fields=["approximateCount", "approximateSize"]).data
        data = summarize(mon, b.compartment_id, f'StoredBytes[1d]{{resourceDisplayName = "{name}"}}.max()',
                         now - 89 * 86400, now, namespace="oci_objectstorage", resolution="1d")
        values = [p.value for p in data[0].aggregated_datapoints]
        assert values[-1] == b.approximate_size and max(values) == b.approximate_size  # only ever grew
        assert values == sorted(values)
        if name == "db-backups":  # its README got a second version 5-10 days ago: a step up
            assert values[0] < values[-1]
        counts = summarize(mon, b.compartment_id, f'ObjectCount[1m]{{resourceDisplayName = "{name}"}}.max()',
                           now - 600, now, namespace="oci_objectstorage", resolution="1m")
        assert counts[0].aggregated_datapoints[-1].value == b.approximate_count


def test_gone_versions_are_compacted():
    from ociconsole.emulator.services import object_storage as objs

    hour = 3600.0
    gone = [[i * 60.0, i * 60.0 + 2 * hour, 10, 1] for i in range(objs.GONE_MAX + 100)]
    kept = objs._compact_gone(gone)
    assert len(kept) <= objs.GONE_MAX
    assert sum(g[2] for g in kept) == 10 * len(gone) and sum(g[3] for g in kept) == len(gone)
    assert objs._compact_gone(gone[:10]) == gone[:10]


def test_compartment_scope(demo):
    emu, mon = demo
    t = emu.tenancy_id
    c = Clients(emu)
    api = next(x.id for x in c.identity.list_compartments(t, compartment_id_in_subtree=True).data if x.name == "API")
    now = time.time()
    q = "CpuUtilization[5m].groupBy(resourceDisplayName).mean()"
    assert set(by_name(summarize(mon, api, q, now - 3600, now))) == {"api-01"}
    assert summarize(mon, t, q, now - 3600, now) == []  # nothing runs in the root compartment itself
    assert len(summarize(mon, t, q, now - 3600, now, subtree=True)) == 11
    e = error(summarize, mon, api, q, now - 3600, now, subtree=True)
    assert e.status == 400 and "compartmentIdInSubtree can only be true" in e.message


# ---------------------------------------------------------------- limits

def test_limits(demo):
    emu, mon = demo
    t = emu.tenancy_id
    now = time.time()
    # 11 running instances x 7 days of minutes > 100,000 datapoints
    e = error(summarize, mon, t, "CpuUtilization[1m].groupBy(resourceId).mean()", now - 7 * 86400, now, subtree=True)
    assert e.status == 400 and e.code == "InvalidParameter" and "more than 100,000 datapoints" in e.message
    # ... while one aggregated stream fits
    assert len(summarize(mon, t, "CpuUtilization[1m].grouping().mean()", now - 7 * 86400, now, subtree=True)) == 1
    # one-minute data reaches back 7 days, five-minute data 30 days
    data = summarize(mon, t, 'CpuUtilization[1m]{resourceDisplayName = "api-01"}.mean()', now - 10 * 86400,
                     now - 6 * 86400, subtree=True)
    first = data[0].aggregated_datapoints[0].timestamp.timestamp()
    assert now - 7 * 86400 - 120 <= first <= now - 7 * 86400 + 120
    data = summarize(mon, t, 'CpuUtilization[5m]{resourceDisplayName = "api-01"}.mean()', now - 40 * 86400,
                     now - 29 * 86400, subtree=True)
    first = data[0].aggregated_datapoints[0].timestamp.timestamp()
    assert now - 30 * 86400 - 600 <= first <= now - 30 * 86400 + 600


def test_stream_limit(emulator, mon):
    t = emulator.tenancy_id
    now = time.time()
    for batch in range(41):  # 2,050 streams, 50 per call
        mon.post_metric_data(MM.PostMetricDataDetails(metric_data=[MM.MetricDataDetails(
            namespace="many", compartment_id=t, name="Gauge", dimensions={"n": str(batch * 50 + i)},
            datapoints=[MM.Datapoint(timestamp=utc(now - 30), value=1.0)]) for i in range(50)]))
    e = error(summarize, mon, t, "Gauge[1m].mean()", now - 600, now + 60, namespace="many")
    assert e.status == 400 and "2050 metric streams; the maximum is 2000" in e.message
    got = summarize(mon, t, "Gauge[1m].grouping().count()", now - 600, now + 60, namespace="many")
    assert [p.value for p in got[0].aggregated_datapoints] == [2050.0]


# ---------------------------------------------------------------- ListMetrics

def test_list_metrics(demo):
    emu, mon = demo
    t = emu.tenancy_id

    def listed(comp=t, subtree=True, **details):
        return oci.pagination.list_call_get_all_results(
            mon.list_metrics, comp, MM.ListMetricsDetails(**details), compartment_id_in_subtree=subtree).data

    everything = listed()
    # (the storage and model deployment namespaces are declared too: their catalog kinds chart them)
    assert {m.namespace for m in everything} == {CA, "custom_app", "oci_blockstore", "oci_objectstorage",
                                                 "oci_datascience_modeldeploy", "oci_autonomous_database",
                                                 "oci_lbaas", "oci_database"}  # (web-lb, orders-db)
    # 11 running instances, and api-02, stg-web-02 and old-build-agent that ran within the last two weeks
    instances = {m.dimensions["resourceDisplayName"] for m in everything if m.namespace == CA}
    assert len(instances) == 14 and {"api-02", "stg-web-02", "old-build-agent"} <= instances
    assert "bob-win-test" not in instances  # stopped 20 days ago
    assert len([m for m in everything if m.namespace == CA]) == 9 * 14
    none = {"name": None, "resource_group": None, "compartment_id": None, "dimensions": None}
    assert [oci.util.to_dict(m) for m in listed(group_by=["namespace"], sort_by="NAMESPACE")] == [
        dict(none, namespace=ns)
        for ns in ("custom_app", "oci_autonomous_database", "oci_blockstore", CA, "oci_database",
                   "oci_datascience_modeldeploy", "oci_lbaas", "oci_objectstorage")]
    assert [m.namespace for m in listed(group_by=["namespace"], sort_by="NAMESPACE", sort_order="DESC")] == [
        "oci_objectstorage", "oci_lbaas", "oci_datascience_modeldeploy", "oci_database", CA, "oci_blockstore",
        "oci_autonomous_database", "custom_app"]
    assert {m.name for m in listed(namespace="custom_app", group_by=["name"])} == {"RequestLatency", "RequestCount"}
    cpu = listed(namespace=CA, name="CpuUtilization")
    assert len(cpu) == 14 and all(set(m.dimensions) == AGENT_DIMS for m in cpu)
    one = listed(namespace=CA, dimension_filters={"resourceDisplayName": "api-01"})
    assert len(one) == 9 and {m.dimensions["resourceDisplayName"] for m in one} == {"api-01"}
    # paging
    page = mon.list_metrics(t, MM.ListMetricsDetails(namespace=CA), compartment_id_in_subtree=True, limit=10)
    assert len(page.data) == 10 and page.has_next_page
    nxt = mon.list_metrics(t, MM.ListMetricsDetails(namespace=CA), compartment_id_in_subtree=True, limit=10,
                           page=page.next_page).data
    assert {(m.name, m.dimensions["resourceId"]) for m in page.data}.isdisjoint(
        {(m.name, m.dimensions["resourceId"]) for m in nxt})
    # scope: the root compartment alone holds nothing; a subtree is only for the tenancy
    assert listed(subtree=False) == []
    api = next(x.id for x in Clients(emu).identity.list_compartments(t, compartment_id_in_subtree=True).data
               if x.name == "API")
    assert {m.dimensions.get("service") for m in listed(api, subtree=False, namespace="custom_app")} == \
        {"checkout", "search", "catalog"}
    e = error(mon.list_metrics, t, MM.ListMetricsDetails(group_by=["dimensions"]))
    assert e.status == 400 and "groupBy" in e.message


# ---------------------------------------------------------------- PostMetricData

def _metric(comp: str, **over) -> dict:
    now = time.time()
    d = dict(namespace="shop", compartment_id=comp, name="orders.count", dimensions={"region": "eu", "env": "prod"},
             metadata={"unit": "count"},
             datapoints=[MM.Datapoint(timestamp=utc(now - 60), value=3.0, count=2),
                         MM.Datapoint(timestamp=utc(now - 5), value=4.0)])
    d.update(over)
    return d


def _points(n: int, value: float = 1.0, ago: float = 5) -> list:
    return [MM.Datapoint(timestamp=utc(time.time() - ago), value=value) for _ in range(n)]


BAD = [
    ({"namespace": "oci_shop"}, "reserved prefix"),
    ({"namespace": "oracle_shop"}, "reserved prefix"),
    ({"namespace": "1shop"}, "not a valid namespace"),
    ({"namespace": "shop-x"}, "not a valid namespace"),
    ({"name": "9orders"}, "not a valid metric name"),
    ({"name": "orders count"}, "not a valid metric name"),
    ({"resource_group": "-fleet"}, "not a valid resource group"),
    ({"compartment_id": "ocid1.compartment.oc1..nope"}, "does not exist"),
    ({"dimensions": {}}, "needs 1 to 20 dimensions, got 0"),
    ({"dimensions": {f"d{i}": "v" for i in range(21)}}, "needs 1 to 20 dimensions, got 21"),
    ({"dimensions": {"a key": "v"}}, "the key 'a key' is not valid"),
    ({"dimensions": {"k" * 257: "v"}}, "is not valid: 1-256 printable ASCII"),
    ({"dimensions": {"k": ""}}, "dimensions.k: the value must be 1-512 characters"),
    ({"dimensions": {"k": "v" * 513}}, "dimensions.k: the value must be 1-512 characters"),
    ({"metadata": {f"m{i}": "v" for i in range(11)}}, "at most 10 entries"),
    ({"metadata": {"unit": "x" * 257}}, "metadata.unit: the value must be at most 256"),
    ({"datapoints": []}, "at least one datapoint is required"),
    ({"datapoints": "many"}, "at most 1,000 datapoints per metric object, got 1,001"),
    ({"datapoints": "old"}, "more than 2 hours in the past"),
    ({"datapoints": "future"}, "more than 10 minutes in the future"),
    ({"datapoints": "zero-count"}, "count must be greater than zero"),
]


@pytest.mark.parametrize("override,message", BAD, ids=[m for _o, m in BAD])
def test_post_metric_data_rules(emulator, mon, override, message):
    t = emulator.tenancy_id
    dp = override.get("datapoints")
    if dp == "many":
        override = {"datapoints": _points(1001)}
    elif dp == "old":
        override = {"datapoints": _points(1, ago=2 * 3600 + 60)}
    elif dp == "future":
        override = {"datapoints": _points(1, ago=-11 * 60)}
    elif dp == "zero-count":
        override = {"datapoints": [MM.Datapoint(timestamp=utc(time.time()), value=1.0, count=0)]}
    good = MM.MetricDataDetails(**_metric(t))
    bad = MM.MetricDataDetails(**_metric(t, **override))
    # NON_ATOMIC (the default): the good metric object is stored, the bad one reported
    r = mon.post_metric_data(MM.PostMetricDataDetails(metric_data=[good, bad])).data
    assert r.failed_metrics_count == 1 and message in r.failed_metrics[0].message, r.failed_metrics[0].message
    assert r.failed_metrics[0].metric_data.name == bad.name
    # ATOMIC: nothing is stored
    e = error(mon.post_metric_data, MM.PostMetricDataDetails(metric_data=[good, bad], batch_atomicity="ATOMIC"))
    assert e.status == 400 and "metricData[1]" in e.message and message in e.message and "ATOMIC" in e.message
    # NON_ATOMIC with nothing valid is refused too
    e = error(mon.post_metric_data, MM.PostMetricDataDetails(metric_data=[bad]))
    assert e.status == 400 and message in e.message


def test_posted_data_shows_up_and_atomic_stores_nothing(emulator, mon):
    t = emulator.tenancy_id
    now = time.time()
    r = mon.post_metric_data(MM.PostMetricDataDetails(metric_data=[
        MM.MetricDataDetails(**_metric(t)),
        MM.MetricDataDetails(**_metric(t, name="bad name"))], batch_atomicity="NON_ATOMIC")).data
    assert r.failed_metrics_count == 1
    data = summarize(mon, t, "orders.count[1h].sum()", now - 7200, minute(now) + 120, namespace="shop",
                     resolution="1m")
    assert len(data) == 1 and data[0].dimensions == {"region": "eu", "env": "prod"}
    assert data[0].metadata == {"unit": "count"}
    assert data[0].aggregated_datapoints[-1].value == 3 * 2 + 4  # value x count
    listed = mon.list_metrics(t, MM.ListMetricsDetails(namespace="shop")).data
    assert [(m.name, m.dimensions) for m in listed] == [("orders.count", {"region": "eu", "env": "prod"})]
    # an ATOMIC call with one bad object stores none of them
    error(mon.post_metric_data, MM.PostMetricDataDetails(batch_atomicity="ATOMIC", metric_data=[
        MM.MetricDataDetails(**_metric(t, name="other")), MM.MetricDataDetails(**_metric(t, namespace="oci_x"))]))
    assert [m.name for m in mon.list_metrics(t, MM.ListMetricsDetails(namespace="shop")).data] == ["orders.count"]
    # at most 50 streams per call
    e = error(mon.post_metric_data, MM.PostMetricDataDetails(metric_data=[
        MM.MetricDataDetails(**_metric(t, dimensions={"n": str(i)})) for i in range(51)]))
    assert e.status == 400 and "51 unique metric streams; at most 50" in e.message
    # resource groups: a stream with one is found when asked for
    mon.post_metric_data(MM.PostMetricDataDetails(metric_data=[
        MM.MetricDataDetails(**_metric(t, resource_group="fleet-a", dimensions={"n": "1"}))]))
    rg = summarize(mon, t, "orders.count[1h].sum()", now - 7200, now + 3600, namespace="shop", resolution="1m",
                   resource_group="fleet-a")
    assert [(md.resource_group, md.dimensions) for md in rg] == [("fleet-a", {"n": "1"})]
    assert {m.resource_group for m in mon.list_metrics(t, MM.ListMetricsDetails(namespace="shop")).data} == \
        {None, "fleet-a"}


def test_posted_data_survives_a_restart(tmp_path):
    state = str(tmp_path / "state.sqlite")
    emu = make_emulator(tmp_path, state=state)
    now = time.time()
    try:
        mon = mon_client(emu)
        t = emu.tenancy_id
        mon.post_metric_data(MM.PostMetricDataDetails(metric_data=[MM.MetricDataDetails(**_metric(t))]))
        alarm = mon.create_alarm(_alarm_details(t, query="orders.count[1m].max() > 1000", namespace="shop",
                                                    destinations=ops_alerts(emu))).data
        before = summarize(mon, t, "orders.count[1m].sum()", now - 600, now + 60, namespace="shop")
        assert before
    finally:
        emu.stop()
    again = make_emulator(tmp_path, state=state)
    try:
        mon = mon_client(again)
        after = summarize(mon, again.tenancy_id, "orders.count[1m].sum()", now - 600, now + 60, namespace="shop")
        assert [oci.util.to_dict(md) for md in after] == [oci.util.to_dict(md) for md in before]
        assert mon.get_alarm(alarm.id).data.display_name == alarm.display_name
        assert again.core.strict_violations == []
    finally:
        again.stop()


# ---------------------------------------------------------------- alarms

def _alarm_details(comp: str, **over) -> MM.CreateAlarmDetails:
    d = dict(display_name=unique("alarm"), compartment_id=comp, metric_compartment_id=comp, namespace="lab",
             query='Temp[1m]{room = "lab"}.max() > 50', severity="CRITICAL", destinations=[TOPIC], is_enabled=True)
    d.update(over)
    return MM.CreateAlarmDetails(**d)


ALARM_ERRORS = [
    ({"query": "Temp[1m].max()"}, "an alarm query needs a trigger rule"),
    ({"query": "Temp[1m].max( > 5"}, "query: Invalid query at column 15"),
    ({"pending_duration": "PT30S"}, "pendingDuration: PT30S is out of range; it must be between PT1M and PT1H"),
    ({"pending_duration": "PT2H"}, "must be between PT1M and PT1H"),
    ({"pending_duration": "5 minutes"}, "is not an ISO 8601 duration"),
    ({"body": "x" * 1001}, "body must be at most 1,000 characters"),
    ({"destinations": []}, "at least one destination"),
    ({"destinations": ["ocid1.instance.oc1.iad.aaaa"]}, "is not the OCID of a Notifications topic"),
    ({"destinations": [TOPIC, "ocid1.onstopic.oc1.iad.aaaaaaaaother"]}, "only one destination per service"),
    ({"resolution": "5m"}, "the only value is 1m"),
    ({"metric_compartment_id_in_subtree": True}, "metricCompartmentIdInSubtree can only be true"),
    ({"namespace": "bad-ns"}, "not a valid namespace"),
    ({"display_name": " "}, "displayName must be 1-255 characters"),
    ({"repeat_notification_duration": "P31D"}, "between PT1M and P30D"),
    ({"notification_version": "2"}, "notificationVersion must be"),
    ({"overrides": [MM.AlarmOverride(rule_name="BASE", query="Temp[1m].max() > 1")]}, "is used twice"),
    ({"overrides": [MM.AlarmOverride(rule_name="hot", query="Temp[1m].max()")]}, "overrides[0].query"),
]


@pytest.mark.parametrize("override,message", ALARM_ERRORS, ids=[m for _o, m in ALARM_ERRORS])
def test_alarm_validation(emulator, mon, net, override, message):
    if override.get("metric_compartment_id_in_subtree"):
        override = dict(override, metric_compartment_id=net.compartment_id)
    e = error(mon.create_alarm, _alarm_details(net.compartment_id, **override))
    assert e.status == 400 and message in e.message, e.message


def test_alarm_severity_must_be_known(emulator, mon, raw):
    body = {"displayName": "x", "compartmentId": emulator.tenancy_id, "metricCompartmentId": emulator.tenancy_id,
            "namespace": "lab", "query": "Temp[1m].max() > 1", "severity": "SEVERE", "destinations": [TOPIC],
            "isEnabled": True}
    r = raw.post(emulator.endpoint("monitoring") + "/20180401/alarms", json=body)
    assert r.status_code == 400 and "severity" in r.json()["message"]


def test_alarm_crud(emulator, mon, net):
    comp = net.compartment_id
    a = mon.create_alarm(_alarm_details(comp, display_name="lab temperature", freeform_tags={"k": "v"},
                                        destinations=ops_alerts(emulator))).data
    assert (a.lifecycle_state, a.pending_duration, a.resolution, a.rule_name, a.message_format) == \
        ("ACTIVE", "PT1M", "1m", "BASE", "RAW")
    got = mon.get_alarm(a.id)
    assert got.data.query == 'Temp[1m]{room = "lab"}.max() > 50' and got.data.freeform_tags == {"k": "v"}
    b = mon.create_alarm(_alarm_details(comp, display_name="another", severity="INFO",
                                        destinations=ops_alerts(emulator))).data
    assert {x.id for x in mon.list_alarms(comp).data} == {a.id, b.id}
    assert [x.id for x in mon.list_alarms(comp, display_name="another").data] == [b.id]
    assert [x.display_name for x in mon.list_alarms(comp, sort_by="displayName", sort_order="ASC").data] == [
        "another", "lab temperature"]
    up = mon.update_alarm(a.id, MM.UpdateAlarmDetails(severity="WARNING", pending_duration="PT5M",
                                                      body="runbook: open the window"), if_match=got.headers["etag"])
    assert (up.data.severity, up.data.pending_duration, up.data.query) == ("WARNING", "PT5M", a.query)
    e = error(mon.update_alarm, a.id, MM.UpdateAlarmDetails(severity="INFO"), if_match=got.headers["etag"])
    assert e.status == 412
    e = error(mon.update_alarm, a.id, MM.UpdateAlarmDetails(query="Temp[1m].max()"))
    assert e.status == 400 and "trigger rule" in e.message
    mon.change_alarm_compartment(b.id, MM.ChangeAlarmCompartmentDetails(compartment_id=emulator.tenancy_id))
    assert [x.id for x in mon.list_alarms(comp).data] == [a.id]
    mon.delete_alarm(a.id)
    assert wait_state(mon, mon.get_alarm, a.id, "DELETED").lifecycle_state == "DELETED"
    assert mon.list_alarms(comp).data == []
    assert [x.id for x in mon.list_alarms(comp, lifecycle_state="DELETED").data] == [a.id]
    e = error(mon.delete_alarm, a.id)
    assert e.status == 409
    assert error(mon.get_alarm, "ocid1.alarm.oc1.iad.nope").status == 404


def _post_temp(mon, comp: str, value: float, at: float) -> None:
    r = mon.post_metric_data(MM.PostMetricDataDetails(metric_data=[MM.MetricDataDetails(
        namespace="lab", compartment_id=comp, name="Temp", dimensions={"room": "lab"},
        datapoints=[MM.Datapoint(timestamp=utc(at), value=value)])])).data
    assert r.failed_metrics_count == 0


def _status(mon, comp: str, alarm_id: str):
    return next(s for s in mon.list_alarms_status(comp).data if s.id == alarm_id)


def test_alarm_fires_when_posted_data_crosses_the_threshold_and_clears_after(emulator, mon, net):
    comp = net.compartment_id
    alarm = mon.create_alarm(_alarm_details(comp, display_name="lab too hot", destinations=ops_alerts(emulator))).data
    slow = mon.create_alarm(_alarm_details(comp, display_name="lab too hot for 5 minutes",
                                           pending_duration="PT5M", destinations=ops_alerts(emulator))).data
    assert _status(mon, comp, alarm.id).status == "OK"
    hot_at = time.time() - 57  # inside the 1-minute window now, out of it three seconds later
    _post_temp(mon, comp, 80.0, hot_at)
    firing = _status(mon, comp, alarm.id)
    assert firing.status == "FIRING" and firing.severity == "CRITICAL"
    assert '"lab too hot" is in a "FIRING" state; because 1 metrics meet the trigger rule' in firing.alarm_summary
    assert _status(mon, comp, slow.id).status == "OK"  # breaching, but not yet for five minutes
    assert [s.id for s in mon.list_alarms_status(comp, status="FIRING").data] == [alarm.id]
    dims = mon.retrieve_dimension_states(alarm.id).data
    assert [(i.dimensions, i.status) for i in dims.items] == [({"room": "lab"}, "FIRING")]
    assert mon.retrieve_dimension_states(
        alarm.id, retrieve_dimension_states_details=MM.RetrieveDimensionStatesDetails(status="OK")).data.items == []

    emulator.clock.advance(max(0.0, hot_at + 60.5 - emulator.clock.now()))  # the hot minute has passed
    _post_temp(mon, comp, 20.0, emulator.clock.now() - 1)
    cleared = _status(mon, comp, alarm.id)
    assert cleared.status == "OK"
    transitions = mon.get_alarm_history(alarm.id, alarm_historytype="STATE_TRANSITION_HISTORY").data
    assert [e.summary for e in transitions.entries] == ["State transitioned from Firing to OK",
                                                       "State transitioned from OK to Firing"]
    assert all(e.timestamp_triggered is not None for e in transitions.entries)
    states = mon.get_alarm_history(alarm.id, alarm_historytype="STATE_HISTORY").data.entries
    assert [e.summary for e in states] == ["The alarm state is OK", "The alarm state is FIRING",
                                           "The alarm state is OK"]
    assert len(mon.get_alarm_history(alarm.id).data.entries) == 5
    page = mon.get_alarm_history(alarm.id, limit=2)
    assert len(page.data.entries) == 2 and page.next_page
    rest = mon.get_alarm_history(alarm.id, limit=2, page=page.next_page).data.entries
    assert [e.summary for e in rest] == ["The alarm state is FIRING", "State transitioned from OK to Firing"]
    fired_at = transitions.entries[1].timestamp
    since = mon.get_alarm_history(alarm.id, timestamp_greater_than_or_equal_to=fired_at,
                                  alarm_historytype="STATE_TRANSITION_HISTORY").data.entries
    assert len(since) == 2
    assert mon.retrieve_dimension_states(alarm.id).data.items[0].status == "OK"


def test_seeded_alarms(demo):
    emu, mon = demo
    t = emu.tenancy_id
    status = {s.display_name: s for s in mon.list_alarms_status(t, compartment_id_in_subtree=True).data}
    assert {n: s.status for n, s in status.items()} == {
        "High CPU on production": "FIRING", "Checkout latency p95": "OK", "Bastion heartbeat": "OK",
        "Memory pressure": "OK"}
    high = status["High CPU on production"]
    firing = [i for i in mon.retrieve_dimension_states(high.id).data.items if i.status == "FIRING"]
    assert [i.dimensions["resourceDisplayName"] for i in firing] == ["api-01"]
    api01 = firing[0].dimensions["resourceId"]
    assert [s.display_name for s in mon.list_alarms_status(t, compartment_id_in_subtree=True,
                                                           resource_id=api01).data] == ["High CPU on production"]
    assert [s.display_name for s in mon.list_alarms_status(t, compartment_id_in_subtree=True, status="FIRING").data] \
        == ["High CPU on production"]
    assert len(mon.list_alarms_status(t, compartment_id_in_subtree=True, service_name="computeagent").data) == 3
    # severities sort by how severe, not alphabetically
    by_severity = mon.list_alarms_status(t, compartment_id_in_subtree=True, sort_by="severity", sort_order="DESC").data
    assert [s.severity for s in by_severity] == ["CRITICAL", "ERROR", "WARNING", "INFO"]
    assert [a.severity for a in mon.list_alarms(t, compartment_id_in_subtree=True, sort_by="severity",
                                                sort_order="ASC").data] == ["INFO", "WARNING", "ERROR", "CRITICAL"]
    history = mon.get_alarm_history(high.id, alarm_historytype="STATE_TRANSITION_HISTORY").data.entries
    assert history[0].summary == "State transitioned from OK to Firing"
    # the five-minute pending duration: it fired five minutes into the evaluated period
    assert high.timestamp_triggered == history[0].timestamp_triggered
    alarms = {a.display_name: a for a in mon.list_alarms(t, compartment_id_in_subtree=True).data}
    assert alarms["Memory pressure"].is_enabled is False
    assert len(alarms) == 4


def test_suppressions(emulator, mon):
    t = emulator.tenancy_id
    high = next(a for a in mon.list_alarms(t, compartment_id_in_subtree=True).data
                if a.display_name == "High CPU on production")
    comp = high.compartment_id
    now = time.time()

    def status():
        return _status(mon, comp, high.id)

    assert status().status == "FIRING"
    # the alarm's own suppression
    sup = MM.Suppression(description="maintenance", time_suppress_from=utc(now - 60),
                         time_suppress_until=utc(now + 3600))
    mon.update_alarm(high.id, MM.UpdateAlarmDetails(suppression=sup))
    s = status()
    assert s.status == "SUSPENDED" and s.suppression.description == "maintenance"
    e = error(mon.update_alarm, high.id, MM.UpdateAlarmDetails(suppression=MM.Suppression(
        time_suppress_from=utc(now), time_suppress_until=utc(now - 60))))
    assert e.status == 400 and "timeSuppressUntil must be after timeSuppressFrom" in e.message
    mon.remove_alarm_suppression(high.id)
    assert mon.get_alarm(high.id).data.suppression is None and status().status == "FIRING"

    # alarm suppressions as resources: the seeded one is in the future
    seeded = mon.list_alarm_suppressions(alarm_id=high.id).data.items
    assert [x.display_name for x in seeded] == ["Monthly patching"]
    alarm_level = mon.create_alarm_suppression(MM.CreateAlarmSuppressionDetails(
        alarm_suppression_target=MM.AlarmSuppressionAlarmTarget(alarm_id=high.id), level="ALARM",
        display_name="now", time_suppress_from=utc(now - 60), time_suppress_until=utc(now + 600))).data
    assert alarm_level.compartment_id == comp and alarm_level.lifecycle_state == "ACTIVE"
    assert status().status == "SUSPENDED"
    whole_tenancy = mon.create_alarm_suppression(MM.CreateAlarmSuppressionDetails(
        alarm_suppression_target=MM.AlarmSuppressionCompartmentTarget(compartment_id=t,
                                                                      compartment_id_in_subtree=True),
        level="DIMENSION", dimensions={"resourceDisplayName": "api-01"}, display_name="api-01 nightly",
        time_suppress_from=utc(now), time_suppress_until=utc(now + 30 * 86400),
        suppression_conditions=[MM.Recurrence(suppression_recurrence="FREQ=WEEKLY;BYDAY=SA,SU;BYHOUR=2",
                                              suppression_duration="PT2H")])).data
    assert {x.id for x in mon.list_alarm_suppressions(alarm_id=high.id).data.items} == {seeded[0].id, alarm_level.id}
    assert {x.id for x in mon.list_alarm_suppressions(alarm_id=high.id, is_all_suppressions=True).data.items} == \
        {seeded[0].id, alarm_level.id, whole_tenancy.id}
    assert [x.id for x in mon.list_alarm_suppressions(compartment_id=t, target_type="COMPARTMENT").data.items] == \
        [whole_tenancy.id]
    assert [x.id for x in mon.list_alarm_suppressions(alarm_id=high.id, level="ALARM", sort_by="timeSuppressFrom",
                                                      sort_order="ASC").data.items] == [alarm_level.id, seeded[0].id]
    history = mon.summarize_alarm_suppression_history(high.id).data.items
    assert {h.suppression_id for h in history} == {seeded[0].id, alarm_level.id, whole_tenancy.id}
    only_dims = mon.summarize_alarm_suppression_history(high.id, summarize_alarm_suppression_history_details=
                                                        MM.SummarizeAlarmSuppressionHistoryDetails(
                                                            dimensions={"resourceDisplayName": "api-01"})).data.items
    assert [h.suppression_id for h in only_dims] == [whole_tenancy.id]
    mon.delete_alarm_suppression(alarm_level.id)
    assert mon.get_alarm_suppression(alarm_level.id).data.lifecycle_state == "DELETED"
    assert status().status == "FIRING"
    assert [x.id for x in mon.list_alarm_suppressions(alarm_id=high.id, lifecycle_state="DELETED").data.items] == \
        [alarm_level.id]
    assert error(mon.delete_alarm_suppression, alarm_level.id).status == 404
    # validation
    target = MM.AlarmSuppressionAlarmTarget(alarm_id=high.id)
    for kw, message in [
        ({"level": "DIMENSION"}, "dimensions are required for a DIMENSION-level suppression"),
        ({"level": "ALARM", "time_suppress_until": utc(now - 3600)}, "timeSuppressUntil must be after"),
        ({"level": "ALARM", "suppression_conditions": [MM.Recurrence(
            suppression_recurrence="FREQ=HOURLY", suppression_duration="PT1H")]}, "FREQ must be DAILY or WEEKLY"),
        ({"level": "ALARM", "suppression_conditions": [MM.Recurrence(
            suppression_recurrence="FREQ=DAILY", suppression_duration="PT25H")]}, "between PT1M and PT24H"),
    ]:
        details = dict(alarm_suppression_target=target, display_name="bad", time_suppress_from=utc(now),
                       time_suppress_until=utc(now + 60))
        details.update(kw)
        e = error(mon.create_alarm_suppression, MM.CreateAlarmSuppressionDetails(**details))
        assert e.status == 400 and message in e.message, e.message
    e = error(mon.create_alarm_suppression, MM.CreateAlarmSuppressionDetails(
        alarm_suppression_target=MM.AlarmSuppressionAlarmTarget(alarm_id="ocid1.alarm.oc1.iad.nope"), level="ALARM",
        display_name="x", time_suppress_from=utc(now), time_suppress_until=utc(now + 60)))
    assert e.status == 404
    assert error(mon.list_alarm_suppressions).status == 400


def test_absence_alarm(emulator, mon, net):
    comp = net.compartment_id
    alarm = mon.create_alarm(_alarm_details(comp, query='Temp[1m]{room = "lab"}.groupBy(room).absent(5m)',
                                            destinations=ops_alerts(emulator))).data
    _post_temp(mon, comp, 20.0, time.time() - 30)
    assert _status(mon, comp, alarm.id).status == "OK"  # data in the last minute: absent() is 0
    now = time.time()
    data = summarize(mon, comp, 'Temp[1m]{room = "lab"}.groupBy(room).absent(5m)', minute(now) - 300,
                     minute(now) + 600, namespace="lab")
    points = {p.timestamp.timestamp(): p.value for p in data[0].aggregated_datapoints}
    assert points[min(points)] == 0 and set(points.values()) <= {0.0, 1.0}
    assert all(v == 0.0 for t, v in points.items() if t > now)  # no absence in windows still open


# ---------------------------------------------------------------- a whole tenancy's day
# (how long such queries take is measured by `python -m tests.benchmarks`, not asserted here)

def test_a_day_of_minutes_for_every_instance_of_the_tenancy(demo):
    emu, mon = demo
    now = (time.time() // 60 - 1) * 60  # a closed minute: both answers end with the same data
    q = "CpuUtilization[1m].groupBy(resourceId).mean()"
    s = signed_session(emu.client_config())
    url = (f"{emu.endpoint('monitoring')}/20180401/metrics/actions/summarizeMetricsData?compartmentId="
           f"{emu.tenancy_id}&compartmentIdInSubtree=true")
    r = s.post(url, json={"namespace": CA, "query": q, "startTime": utc(now - 86400).isoformat(),
                          "endTime": utc(now).isoformat()})
    assert r.status_code == 200
    raw = {md["dimensions"]["resourceId"]: len(md["aggregatedDatapoints"]) for md in r.json()}
    assert sum(raw.values()) > 15000  # every running instance's day, a point a minute while it ran
    sdk = summarize(mon, emu.tenancy_id, q, now - 86400, now, subtree=True)
    assert {md.dimensions["resourceId"]: len(md.aggregated_datapoints) for md in sdk} == raw


# ---------------------------------------------------------------- the oci CLI

@pytest.mark.cli
def test_oci_cli_posts_and_summarizes(emulator, tmp_path):
    cfg = emulator.write_config(tmp_path / "config")
    now = time.time()

    def run(*args):
        return run_oci(cfg, emulator.endpoint("monitoring"), *args)

    metric = [{"namespace": "cli_app", "compartmentId": emulator.tenancy_id, "name": "Jobs",
               "dimensions": {"queue": "q1"},
               "datapoints": [{"timestamp": utc(now - 40).isoformat(), "value": 7},
                              {"timestamp": utc(now - 20).isoformat(), "value": 5}]}]
    posted = run("monitoring", "metric-data", "post", "--metric-data", json.dumps(metric))
    assert posted["data"]["failed-metrics-count"] == 0
    got = run("monitoring", "metric-data", "summarize-metrics-data", "--compartment-id", emulator.tenancy_id,
              "--namespace", "cli_app", "--query-text", "Jobs[1h].sum()", "--resolution", "1m",
              "--start-time", utc(now - 3600).isoformat(), "--end-time", utc(now + 120).isoformat())
    assert got["data"][0]["dimensions"] == {"queue": "q1"}
    assert got["data"][0]["aggregated-datapoints"][-1]["value"] == 12


def test_demo_application_metrics_never_go_stale(emulator, mon):
    """The demo's custom_app points are filled in up to now when the emulator starts again (a sandbox
    kept for days still has its latency chart and alarm data)."""
    from ociconsole.emulator import metrics as em
    from ociconsole.emulator.services import monitoring as msvc
    store = emulator.core.store
    where = store.meta(msvc.DEMO_APP_META)
    assert where and where["region"] == emulator.core.home_region
    now = time.time()
    cut = now - 3 * 3600
    with store.transaction():  # as if the emulator had been stopped three hours ago
        for sdoc in [d for d in store.list(em.STREAM_KIND) if d["namespace"] == "custom_app"]:
            for b in [b for b in store.list(em.POINTS_KIND) if b["stream"] == sdoc["id"]]:
                kept = [p for p in b["points"] if p[0] < cut]
                store.put(em.POINTS_KIND, dict(b, points=kept)) if kept else store.delete(em.POINTS_KIND, b["id"])
            store.update(em.STREAM_KIND, sdoc["id"], {"last": cut - 60})
    comp = where["compartmentId"]
    q = 'RequestCount[1m]{service = "checkout"}.sum()'
    assert not summarize(mon, comp, q, now - 3600, now, namespace="custom_app")
    with store.transaction():
        msvc._demo_app_posts_on(emulator.core, {}, {})
    (md,) = summarize(mon, comp, q, now - 3600, now, namespace="custom_app")
    assert 58 <= len(md.aggregated_datapoints) <= 61 and all(p.value >= 1 for p in md.aggregated_datapoints)
    # the points from before the stop are kept as they were
    before = {p.timestamp: p.value for p in summarize(mon, comp, q, cut - 7200, cut - 3600,
                                                      namespace="custom_app")[0].aggregated_datapoints}
    assert len(before) >= 58
