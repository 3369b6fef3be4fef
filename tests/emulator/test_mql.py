"""MQL through SummarizeMetricsData, against hand-computed results on posted data.

The data set (namespace `mqltest`, posted once for the module, times in seconds after a base B
that is a multiple of 10 minutes about an hour ago; every window is `(t - interval, t]`):

    Latency {host=a, env=prod, tier=web}: +10: 1, +30: 3, +60: 5, +90: 10, +150: 4 (count 2), +300: 6
    Latency {host=b, env=prod, tier=db}:  +20: 2, +80: 8, +140: 6, +200: 20
    Latency {host=c, env=dev,  tier=web}: +40: 100, +100: 50
"""

from __future__ import annotations

import datetime as dt
import math
import time

import oci
import pytest

from tests.conftest import make_emulator

from .helpers import NO_RETRY, signer_for

MM = oci.monitoring.models
NS = "mqltest"
A = {"host": "a", "env": "prod", "tier": "web"}
B_ = {"host": "b", "env": "prod", "tier": "db"}
C = {"host": "c", "env": "dev", "tier": "web"}
POINTS = {
    "a": [(10, 1, 1), (30, 3, 1), (60, 5, 1), (90, 10, 1), (150, 4, 2), (300, 6, 1)],
    "b": [(20, 2, 1), (80, 8, 1), (140, 6, 1), (200, 20, 1)],
    "c": [(40, 100, 1), (100, 50, 1)],
}


def _at(t: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(t, dt.UTC)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    emu = make_emulator(tmp_path_factory.mktemp("mql"))
    cfg = emu.client_config()
    mon = oci.monitoring.MonitoringClient(cfg, service_endpoint=emu.endpoint("monitoring"), signer=signer_for(cfg),
                                          **NO_RETRY)
    base = math.floor((time.time() - 3600) / 600) * 600
    data = []
    for host, dims in (("a", A), ("b", B_), ("c", C)):
        data.append(MM.MetricDataDetails(
            namespace=NS, compartment_id=emu.tenancy_id, name="Latency", dimensions=dims,
            metadata={"unit": "ms"},
            datapoints=[MM.Datapoint(timestamp=_at(base + o), value=v, count=c) for o, v, c in POINTS[host]]))
    r = mon.post_metric_data(MM.PostMetricDataDetails(metric_data=data, batch_atomicity="ATOMIC"))
    assert r.data.failed_metrics_count == 0
    yield emu, mon, base
    violations = list(emu.core.strict_violations)
    emu.stop()
    assert not violations, violations


def run(env, query, start=0, end=360, resolution=None, namespace=NS):
    """{dimension values joined by '/': {offset from B: value}} of a query over [B+start, B+end)."""
    emu, mon, base = env
    data = mon.summarize_metrics_data(emu.tenancy_id, MM.SummarizeMetricsDataDetails(
        namespace=namespace, query=query, start_time=_at(base + start), end_time=_at(base + end),
        resolution=resolution)).data
    out = {}
    for md in data:
        key = "/".join(f"{k}={v}" for k, v in sorted(md.dimensions.items()))
        out[key] = {round(p.timestamp.timestamp() - base): round(p.value, 9) for p in md.aggregated_datapoints}
    return out


def one(env, query, **kw):
    out = run(env, query, **kw)
    assert len(out) == 1, out
    return next(iter(out.values()))


HOST_A = 'Latency[1m]{host = "a"}'


@pytest.mark.parametrize("stat,expected", [
    ("mean()", {60: 3, 120: 10, 180: 4, 300: 6}),
    ("avg()", {60: 3, 120: 10, 180: 4, 300: 6}),
    ("sum()", {60: 9, 120: 10, 180: 8, 300: 6}),
    ("count()", {60: 3, 120: 1, 180: 2, 300: 1}),
    ("max()", {60: 5, 120: 10, 180: 4, 300: 6}),
    ("min()", {60: 1, 120: 10, 180: 4, 300: 6}),
    ("percentile(0.5)", {60: 3, 120: 10, 180: 4, 300: 6}),
    ("percentile(0.9)", {60: 4.6, 120: 10, 180: 4, 300: 6}),
    # last minus the previous window's last (or this window's first): (5-1), (10-5), (4-10); +300 is alone
    ("increment()", {60: 4, 120: 5, 180: -6}),
    # ... per second between those two points: 4/50, 5/30, -6/60
    ("rate()", {60: 0.08, 120: round(5 / 30, 9), 180: -0.1}),
    # 0 with data; 1 at +240 (no data, last point 90 s earlier, within 5 minutes)
    ("absent(5m)", {60: 0, 120: 0, 180: 0, 240: 1, 300: 0}),
    ("absent(1m)", {60: 0, 120: 0, 180: 0, 300: 0}),
])
def test_statistics_on_one_stream(env, stat, expected):
    assert one(env, f"{HOST_A}.{stat}") == expected


def test_interval_versus_resolution_start_inclusive_end_exclusive(env):
    # 2-minute windows every minute: (t-120, t]
    got = one(env, 'Latency[2m]{host = "a"}.sum()', start=60, end=360, resolution="1m")
    assert got == {60: 9, 120: 19, 180: 18, 240: 8, 300: 6}  # B+60 included, B+360 excluded
    # the default resolution is the interval: one 2-minute window every 2 minutes
    assert one(env, 'Latency[2m]{host = "a"}.sum()', start=0, end=360) == {120: 19, 240: 8}
    # start between grid points: the first timestamp is the next multiple of the resolution
    assert one(env, f"{HOST_A}.sum()", start=61, end=181) == {120: 10, 180: 8}
    # a coarser resolution than the interval is refused
    with pytest.raises(oci.exceptions.ServiceError) as e:
        run(env, f"{HOST_A}.sum()", resolution="5m")
    assert e.value.status == 400 and "resolution (5m) must not be greater than the query's interval (1m)" in \
        e.value.message
    with pytest.raises(oci.exceptions.ServiceError) as e:
        run(env, f"{HOST_A}.sum()", resolution="90s")
    assert e.value.status == 400 and "resolution" in e.value.message
    with pytest.raises(oci.exceptions.ServiceError) as e:
        run(env, f"{HOST_A}.sum()", start=300, end=300)
    assert e.value.status == 400 and "startTime must be before endTime" in e.value.message


def test_grouping_before_and_after_the_statistic(env):
    q = "Latency[1m]"
    assert run(env, f"{q}.groupBy(env).sum()", end=240) == {
        "env=prod": {60: 11, 120: 18, 180: 14}, "env=dev": {60: 100, 120: 50}}
    # before the statistic: the mean of the group's raw points; after it: the mean of the streams' means
    assert run(env, f"{q}.groupBy(env).mean()", end=120)["env=prod"] == {60: 2.75}
    assert run(env, f"{q}.mean().groupBy(env)", end=120)["env=prod"] == {60: 2.5}
    assert one(env, f"{q}.grouping().max()", end=240) == {60: 100, 120: 50, 180: 6}
    assert one(env, f"{q}.groupBy(host).mean().grouping()", end=120) == {60: 35}
    assert one(env, f"{q}.grouping().count()", end=240) == {60: 5, 120: 3, 180: 3}
    # grouped increment: the sum of the members' increments (a: 4, b: no previous point and one in its window)
    assert run(env, f"{q}.groupBy(env).increment()", end=120) == {"env=prod": {60: 4}}


def test_dimension_filters(env):
    def hosts(filters):
        return sorted(k.split("host=")[1].split("/")[0] for k in run(env, f"Latency[1m]{filters}.max()"))

    assert hosts('{host = "a"}') == ["a"]
    assert hosts("{host = a}") == ["a"]  # quotes are optional without spaces
    assert hosts('{host =~ "a|c"}') == ["a", "c"]
    assert hosts('{tier =~ "w*"}') == ["a", "c"]
    assert hosts('{host =~ "*"}') == ["a", "b", "c"]
    assert hosts('{host != "a"}') == ["b", "c"]
    assert hosts('{host !~ "a|b"}') == ["c"]
    assert hosts('{env = "prod", tier = "db"}') == ["b"]
    assert hosts('{nosuch = "x"}') == ["a", "b", "c"]  # a dimension no stream has filters nothing
    assert hosts('{host = "zzz"}') == []
    assert hosts("{}") == ["a", "b", "c"]
    # the dimension block may also come before the interval
    assert sorted(run(env, 'Latency{host = "b"}[1m].max()')) == ["env=prod/host=b/tier=db"]


@pytest.mark.parametrize("predicate,expected", [
    ("> 3", {120: 10, 180: 4, 300: 6}),
    (">= 3", {60: 3, 120: 10, 180: 4, 300: 6}),
    ("< 4", {60: 3}),
    ("<= 4", {60: 3, 180: 4}),
    ("== 4", {180: 4}),
    ("!= 4", {60: 3, 120: 10, 300: 6}),
    ("in (4, 6)", {180: 4, 300: 6}),
    ("not in (4, 6)", {60: 3, 120: 10}),
    ("> 100", None),
])
def test_predicates(env, predicate, expected):
    got = run(env, f"{HOST_A}.mean() {predicate}")
    assert got == ({} if expected is None else {"env=prod/host=a/tier=web": expected})


def test_and_or(env):
    # same stream on both sides: timestamps where both hold, the left side's value
    assert one(env, f"{HOST_A}.max() > 4 && {HOST_A}.min() < 5") == {60: 5}
    # matched by dimensions; || takes the left value where there is one, else the right one
    got = run(env, "Latency[1m].groupBy(env).sum() > 50 || Latency[1m].groupBy(env).count() > 3")
    assert got == {"env=dev": {60: 100}, "env=prod": {60: 4}}
    got = run(env, "Latency[1m].groupBy(env).sum() > 10 && Latency[1m].groupBy(env).max() > 9", end=240)
    assert got == {"env=prod": {120: 18}, "env=dev": {60: 100, 120: 50}}
    assert one(env, f"({HOST_A}.max() > 9 || {HOST_A}.max() < 2) && {HOST_A}.count() > 0") == {120: 10}


def test_response_shape(env):
    emu, mon, base = env
    data = mon.summarize_metrics_data(emu.tenancy_id, MM.SummarizeMetricsDataDetails(
        namespace=NS, query=f"{HOST_A}.mean()", start_time=_at(base), end_time=_at(base + 120),
        resolution="1m")).data
    md = data[0]
    assert (md.namespace, md.name, md.compartment_id, md.resolution) == (NS, "Latency", emu.tenancy_id, "1m")
    assert md.dimensions == A and md.metadata == {"unit": "ms"} and md.resource_group is None
    assert [(p.timestamp, p.value) for p in md.aggregated_datapoints] == [(_at(base + 60), 3.0)]


@pytest.mark.parametrize("query,column,words", [
    ("", 1, "the query is empty"),
    ("   ", 4, "the query is empty"),
    ("[1m].mean()", 1, "expected a metric name"),
    ("Latency.mean()", 13, "expected '[' and an interval such as [1m] after the metric name"),
    ("Latency[1x].mean()", 9, "the interval '1x' is not valid; use 1m-60m, 1h-24h or 1d"),
    ("Latency[61m].mean()", 9, "the interval '61m' is not valid"),
    ("Latency[2d].mean()", 9, "the interval '2d' is not valid"),
    ("Latency[].mean()", 9, "expected an interval such as 1m"),
    ("Latency[1m", 11, "expected ']' after the interval, found the end of the query"),
    ("Latency[1m][5m].mean()", 12, "the interval is given twice"),
    ("Latency[1m]", 12, "expected a statistic after the interval and dimensions"),
    ("Latency[1m].meen()", 13, "unknown function 'meen'"),
    ("Latency[1m].mean", 17, "expected '(' after 'mean'"),
    ("Latency[1m].mean(", 18, "expected an argument"),
    ("Latency[1m].mean(5)", 18, "mean() takes no arguments"),
    ("Latency[1m].mean().max()", 20, "the query already has the statistic mean(); found a second: max()"),
    ("Latency[1m].groupBy(env)", 25, "expected a statistic"),
    ("Latency[1m].groupBy().mean()", 13, "groupBy() needs at least one dimension name"),
    ("Latency[1m].grouping(env).mean()", 22, "grouping() takes no arguments"),
    ("Latency[1m].grouping().groupBy(env).mean()", 24, "only one grouping function may come before the statistic"),
    ("Latency[1m].percentile()", 13, "percentile() takes one argument"),
    ("Latency[1m].percentile(90)", 24, "percentile(): 90 is out of range"),
    ("Latency[1m].percentile(x)", 24, "'x' is not a number"),
    ("Latency[1m].absent(4d)", 20, "'4d' is not a valid absence detection period; use 1m to 3d"),
    ("Latency[1m]{host}.mean()", 17, "expected '=', '=~', '!=' or '!~' after the dimension 'host'"),
    ("Latency[1m]{host = }.mean()", 20, "expected a dimension value"),
    ('Latency[1m]{host = "a}.mean()', 20, "the quoted dimension value is not closed"),
    ('Latency[1m]{host = "a" env = "b"}.mean()', 24, "expected '}' or ',' after the dimension value"),
    ("Latency[1m]{host == a}.mean()", 19, "'==' is for predicates"),
    ("Latency[1m].mean() = 5", 20, "use '==' to compare for equality"),
    ("Latency[1m].mean() >", 21, "expected a number after '>', found the end of the query"),
    ("Latency[1m].mean() > x", 22, "expected a number after '>', found 'x'"),
    ("Latency[1m].mean() in (80, 60)", 20, "the range (80, 60) is empty"),
    ("Latency[1m].mean() in 80", 23, "expected '(' to start the range"),
    ("Latency[1m].mean() not 80", 24, "expected 'in' after 'not'"),
    ("Latency[1m].mean() > 5 &&", 26, "expected a metric name"),
    ("Latency[1m].mean() > 5 5", 24, "expected '&&', '||' or the end of the query, found '5'"),
    ("(Latency[1m].mean() > 5", 24, "expected ')' to close the parenthesis"),
])
def test_query_errors_point_at_the_problem(env, query, column, words):
    with pytest.raises(oci.exceptions.ServiceError) as e:
        run(env, query)
    assert e.value.status == 400 and e.value.code == "InvalidParameter"
    assert f"column {column}:" in e.value.message and words in e.value.message, e.value.message


def test_other_request_errors(env):
    emu, mon, base = env
    with pytest.raises(oci.exceptions.ServiceError) as e:
        run(env, f"{HOST_A}.mean()", namespace="1bad")
    assert e.value.status == 400 and "not a valid namespace" in e.value.message
    with pytest.raises(oci.exceptions.ServiceError) as e:
        mon.summarize_metrics_data("ocid1.compartment.oc1..nope", MM.SummarizeMetricsDataDetails(
            namespace=NS, query=f"{HOST_A}.mean()"))
    assert e.value.status == 404
    # an unknown namespace or metric is not an error: there is just no data
    assert run(env, f"{HOST_A}.mean()", namespace="nothing_here") == {}
    assert run(env, "Nothing[1m].mean()") == {}
    # resource groups: none given matches only streams without one
    assert run(env, f"{HOST_A}.mean()", namespace=NS) != {}
    data = mon.summarize_metrics_data(emu.tenancy_id, MM.SummarizeMetricsDataDetails(
        namespace=NS, query=f"{HOST_A}.mean()", resource_group="fleet-1", start_time=_at(base),
        end_time=_at(base + 360))).data
    assert data == []
