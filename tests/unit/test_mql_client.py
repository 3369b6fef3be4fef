"""The console's client-side MQL check (catalog/mql.py) against the emulator's parser: the same
queries are refused with the same message at the same column, the same are accepted."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ociconsole.catalog import mql as client
from ociconsole.catalog import validators
from ociconsole.emulator import mql as server

# the cases of tests/emulator/test_mql.py::test_query_errors_point_at_the_problem
ERRORS = [
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
]

VALID = [
    "CpuUtilization[1m].mean()",
    'CpuUtilization[1m]{resourceDisplayName =~ "web-*|api-*"}.mean() > 80',
    "CpuUtilization[5m]{availabilityDomain = AD1}.groupBy(resourceId).max()",
    'CpuUtilization[1m]{resourceDisplayName = "bastion"}.groupBy(resourceId).absent(10m)',
    "MemoryUtilization[5m].max() > 95",
    'RequestLatency[5m]{service = "checkout"}.percentile(0.95) > 1500',
    "Latency[1h].grouping().sum().groupBy(env) in (1, 2)",
    "(A[1m].mean() > 5 && B[1m].max() < 3) || C[1d].count() not in (0, 1)",
    'Latency{env != "dev"}[1m].rate()',
    'X[1m]{k = "a \\" quote"}.avg() >= -1.5e3',
]


@pytest.mark.parametrize("query,column,words", ERRORS)
def test_errors_match_the_emulator(query, column, words):
    err = client.check(query)
    assert err is not None
    assert err.column == column and words in err.message, (err.column, err.message)
    with pytest.raises(server.MqlError) as e:
        server.parse(query)
    assert str(err) == str(e.value)
    # the validator behind forms shows it with the column, and a caret line under it
    msg = validators.mql(query)
    if query.strip():
        assert msg.startswith(f"Column {column}: ") and words in msg
    else:
        assert msg.startswith("A query is required")
    assert err.caret().splitlines()[1] == " " * (column - 1) + "^"


@pytest.mark.parametrize("query", VALID)
def test_valid_queries_pass_both(query):
    server.parse(query)
    assert client.check(query) is None
    assert validators.mql(query) is None


def test_alarm_queries_need_a_trigger_rule():
    assert client.check_alarm("CpuUtilization[1m].mean() > 80") is None
    assert client.check_alarm('X[1m]{a = "b"}.groupBy(resourceId).absent(10m)') is None
    err = client.check_alarm("CpuUtilization[1m].mean()")
    assert "needs a trigger rule" in err.message and err.column == len("CpuUtilization[1m].mean()") + 1
    assert "needs a trigger rule" in validators.mql("A[1m].max() > 1 && B[1m].min()", alarm=True)
    assert validators.mql("CpuUtilization[1m].mean(", alarm=True).startswith("Column 25: ")


def test_parse_gives_the_parts_and_the_query_without_its_predicate():
    leaf, = client.parse('CpuUtilization[5m]{resourceDisplayName = "web-01"}.groupBy(resourceId).max() > 80')
    assert (leaf.metric, leaf.interval, leaf.interval_text, leaf.stat) == ("CpuUtilization", 300, "5m", "max")
    assert [(f.key, f.op, f.value) for f in leaf.filters] == [("resourceDisplayName", "=", "web-01")]
    assert leaf.pre_group == ("resourceId",) and leaf.predicate == (">", 80.0)
    assert client.without_predicates("A[1m].mean() > 5 && (B[1m]{x = y}.max() not in (1, 2))") == \
        ["A[1m].mean()", "B[1m]{x = y}.max()"]
    assert client.without_predicates("A[1m].absent()") == ["A[1m].absent()"]


# every string over MQL's alphabet: the same verdict, message and column as the emulator
_TOKENS = st.sampled_from(["Cpu", "Latency", "[", "]", "1m", "5m", "61m", "1d", "{", "}", "host", "=", "=~", "!=",
                           '"', '"a"', ",", ".", "mean", "max", "percentile", "absent", "groupBy", "grouping",
                           "(", ")", "0.9", "10m", ">", ">=", "==", "in", "not", "80", "&&", "||", " ", "x", "-"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(_TOKENS, max_size=14).map("".join), st.text(max_size=30)))
def test_same_verdict_as_the_emulator_on_any_input(text):
    try:
        server.parse(text)
        expected = None
    except server.MqlError as e:
        expected = str(e)
    got = client.check(text)
    assert (None if got is None else str(got)) == expected


@pytest.mark.parametrize("hours, interval", [(1, "1m"), (6, "1m"), (6.01, "5m"), (24, "5m"), (35.9, "5m"),
                                             (36, "1h"), (24 * 7, "1h"), (24 * 30, "1h")])
def test_auto_interval_as_the_oci_console(hours, interval):
    from ociconsole.services.monitoring import auto_interval
    assert auto_interval(hours * 3600) == interval
