"""The Logging query language (ociconsole.lang.logging_query) as the console and the emulator read it, the
emulator's evaluation of it over log entries, and the Log Explorer's service-layer helpers (builder,
histogram, export) — no network, no Qt."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest

from ociconsole.emulator import logquery
from ociconsole.lang import logging_query as q
from ociconsole.services import logging as logsvc


def rows(*contents, t0=1_700_000_000_000):
    return [{"_raw": True, "datetime": t0 + i * 1000, "logContent": c} for i, c in enumerate(contents)]


ENTRIES = rows({"type": "a", "source": "web-1", "data": {"level": "ERROR", "ms": 340, "msg": "Payment declined"}},
               {"type": "a", "source": "web-2", "data": {"level": "INFO", "ms": 12, "msg": "order placed"}},
               {"type": "b", "source": "web-1", "data": {"level": "ERROR", "ms": 5000, "msg": "timeout: stock"}},
               {"type": "b", "source": "web-2", "data": "plain text"})


def run(text):
    return logquery.run(q.parse(text), ENTRIES)


def test_grammar_pieces():
    s = q.parse('SEARCH "c/g/l", "c2" | WHERE data."first name" = \'O\'\'Neil\' AND NOT x IN (1, 2) '
                '| Sort By datetime DESC, type | summarize count() as n, avg(data.ms) by source as src | limit 5')
    assert [str(st) for st in s.streams] == ["c/g/l", "c2"]
    where = s.commands[0].expr
    assert where.op == "and" and where.args[0].left.path == ("data", "first name")
    assert where.args[0].right.value == "O'Neil" and where.args[1].op == "not"
    assert s.commands[1].keys[0][1] is True and s.commands[2].by[0][1] == "src"
    assert s.commands[3].n == 5 and s.aggregated


@pytest.mark.parametrize("text, column, words", [
    ("", 1, "empty"),
    ('search "c" | where', 19, "needs a condition"),
    ('search "c" | where a =', 23, "expected a value"),
    ('search "c" | where a = \'x', 24, "not closed"),
    ('search "c" | where lower(a, b) = 1', 20, "takes 1 argument"),
    ('search "c/g/l/x"', 8, "log stream"),
    ('search "c" | summarize median(a)', 24, "aggregate function"),
    ('search "c" | sort by', 21, "field name"),
    ('search "c" | limit 0', 20, "at least 1"),
    ('search "c" where a = 1', 12, "expected '|'"),
])
def test_errors_name_their_column(text, column, words):
    with pytest.raises(q.LogQueryError) as e:
        q.parse(text)
    assert e.value.column == column and words in e.value.message, (e.value.column, e.value.message)
    assert e.value.caret().splitlines()[1] == " " * (column - 1) + "^"


def test_where_operators_functions_and_wildcards():
    def msgs(text):
        return [r["logContent"]["data"]["msg"] if isinstance(r["logContent"]["data"], dict)
                else r["logContent"]["data"] for r in run(text)]
    assert msgs('search "c" | where data.level = \'ERROR\' and data.ms >= 1000') == ["timeout: stock"]
    assert msgs('search "c" | where data.ms < 100 or source = \'web-1\'') == [
        "Payment declined", "order placed", "timeout: stock"]
    assert msgs('search "c" | where lower(data.msg) like \'%payment%\'') == ["Payment declined"]
    assert msgs('search "c" | where data.msg not like \'%o%\'') == ["Payment declined"]
    assert msgs('search "c" | where contains(data.msg, \'stock\')') == ["timeout: stock"]
    assert msgs('search "c" | where logContent = \'*PLAIN*\'') == ["plain text"]
    assert msgs('search "c" | where data.level in (\'INFO\', \'WARN\')') == ["order placed"]
    assert msgs('search "c" | where data.ms = \'12\'') == ["order placed"]  # numbers compare as numbers
    assert msgs('search "c" | where data.nothing != \'x\'') == []  # a missing field compares false


def test_sort_summarize_select_limit():
    out = run('search "c" | sort by data.ms desc | limit 2')
    assert [r["logContent"]["data"]["ms"] for r in out] == [5000, 340]
    out = run('search "c" | summarize count() as n, max(data.ms) as worst by source | sort by n desc, source')
    assert out == [{"source": "web-1", "n": 2, "worst": 5000.0}, {"source": "web-2", "n": 2, "worst": 12.0}]
    assert run('search "c" | count') == [{"count": 4}]
    assert run('search "c" | where type = \'b\' | select source, data.ms as ms') == [
        {"source": "web-1", "ms": 5000}, {"source": "web-2", "ms": None}]


def test_builder_histogram_and_export(tmp_path):
    text = logsvc.build_query(["c/g/l"], [logsvc.Condition("data.msg", "contains", "it's"),
                                          logsvc.Condition("data.ms", ">", "100")])
    assert text == "search \"c/g/l\" | where data.msg = '*it''s*' and data.ms > 100 | sort by datetime desc"
    assert logsvc.check_query(text) is None
    assert logsvc.build_query(["c"], summarize_by="source") == 'search "c" | summarize count() by source'
    assert "column" in logsvc.check_query('search "c" | wher x')
    result = [{k: v for k, v in r.items() if k != "_raw"} for r in ENTRIES]
    start = dt.datetime.fromtimestamp(1_700_000_000, dt.UTC)
    bins = logsvc.histogram(result, start, start + dt.timedelta(seconds=4), buckets=2)
    assert [n for _t, n in bins] == [2, 2]
    logsvc.export_json(result, str(tmp_path / "a.json"))
    assert json.loads((tmp_path / "a.json").read_text())[3]["logContent"]["data"] == "plain text"
    logsvc.export_csv(result, str(tmp_path / "a.csv"))
    lines = list(csv.reader((tmp_path / "a.csv").open()))
    assert lines[0] == ["time", "log", "source", "type", "subject", "data"] and len(lines) == 5
    logsvc.export_csv([{"source": "web-1", "n": 2.0}], str(tmp_path / "b.csv"))
    assert list(csv.reader((tmp_path / "b.csv").open())) == [["source", "n"], ["web-1", "2"]]
