"""Metric answers decoded in the offload helper process equal the SDK's own reading of them, and a helper
that fails, a bad answer or a function from elsewhere end as they would in this process."""

from __future__ import annotations

import asyncio
import logging
import time

import numpy as np
import oci
import pytest

from ociconsole.core import offload
from ociconsole.core.connection import connection_for_emulator
from ociconsole.services import monitoring as mon
from ociconsole.services.metric_decode import series
from ociconsole.services.runtime import Session

from ..conftest import make_emulator

DECODE = "ociconsole.services.metric_decode:series"
DAY = 86400


@pytest.fixture
def helper(monkeypatch):
    """A helper of the test's own (the module's is shared by everything in this process)."""
    h = offload.Helper()
    monkeypatch.setattr(offload, "helper", h)
    yield h
    h.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    emu = make_emulator(tmp_path_factory.mktemp("offload"))
    s = Session(connection_for_emulator(emu.client_config(), emu.base_url))
    yield emu, s
    s.close()
    emu.stop()


QUERY = "CpuUtilization[1m].groupBy(resourceId).mean()"


def _answer(emu, end_s: float | None = None) -> tuple[list, bytes]:
    """A day of the demo tenancy's CPU at 1 minute up to `end_s` (the last whole minute), one stream per
    instance: as the SDK deserializes it, and as the bytes the service sent."""
    import datetime as dt
    cfg = emu.client_config()
    end = dt.datetime.fromtimestamp(time.time() // 60 * 60 if end_s is None else end_s, dt.UTC)
    details = oci.monitoring.models.SummarizeMetricsDataDetails(
        namespace="oci_computeagent", query=QUERY, start_time=end - dt.timedelta(days=1), end_time=end)
    kw = {"service_endpoint": f"{emu.base_url}/monitoring"}
    sdk = oci.monitoring.MonitoringClient(cfg, **kw).summarize_metrics_data(
        emu.tenancy_id, details, compartment_id_in_subtree=True).data
    raw = oci.monitoring.MonitoringClient(cfg, skip_deserialization=True, **kw)
    raw.base_client.deserialize_response_data = lambda data, *_a, **_k: data
    body = raw.summarize_metrics_data(emu.tenancy_id, details, compartment_id_in_subtree=True).data
    return sdk, body


def test_a_large_answer_is_decoded_in_the_helper_as_the_sdk_reads_it(demo, helper):
    emu, _s = demo
    sdk, body = _answer(emu)
    assert len(body) >= offload.OFFLOAD_BYTES and len(sdk) >= 2
    got = offload.run(DECODE, body)
    assert helper.served == 1 and helper.failed is None
    assert [(n, d) for n, d, _t, _v in got] == [(m.name, m.dimensions) for m in sdk]
    for (_n, _d, times, values), m in zip(got, sdk, strict=True):
        assert times.tolist() == [p.timestamp.timestamp() for p in m.aggregated_datapoints]
        assert values.tolist() == [p.value for p in m.aggregated_datapoints]
    here = series(body)  # the same function in this process
    assert all(np.array_equal(a[2], b[2]) and np.array_equal(a[3], b[3]) for a, b in zip(got, here, strict=True))


def test_the_console_s_query_goes_through_the_helper(demo, helper):
    emu, session = demo
    end = time.time() // 60 * 60  # one window for both (a minute that ends between them shifts every point)
    sdk, _body = _answer(emu, end)
    got = asyncio.run(mon.summarize(session, emu.tenancy_id, "oci_computeagent", QUERY, end - DAY, end,
                                    in_subtree=True))
    assert helper.served == 1
    assert [s.dimensions["resourceId"] for s in got] == [m.dimensions["resourceId"] for m in sdk]
    assert got[0].values.tolist() == [p.value for p in sdk[0].aggregated_datapoints]


def test_a_small_answer_stays_in_this_process(demo, helper):
    emu, session = demo
    end = time.time() // 60 * 60
    got = asyncio.run(mon.summarize(session, emu.tenancy_id, "oci_computeagent",
                                    'CpuUtilization[1m]{resourceDisplayName = "api-01"}.mean()', end - 3600, end,
                                    in_subtree=True))
    assert len(got) == 1 and len(got[0].values) == 60
    assert helper.served == 0


def test_bad_json_is_the_decoder_s_error_and_the_helper_goes_on(demo, helper):
    emu, _s = demo
    _sdk, body = _answer(emu)
    with pytest.raises(ValueError, match="JSONDecodeError"):
        offload.run(DECODE, body[:-200])  # cut short
    assert helper.failed is None
    assert len(offload.run(DECODE, body)) >= 2 and helper.served == 2


def test_only_console_functions_can_be_named(helper):
    payload = b"x" * offload.OFFLOAD_BYTES
    with pytest.raises(ValueError, match="not an ociconsole function"):
        offload.run("os:system", payload)  # asked of the helper
    with pytest.raises(ValueError, match="not an ociconsole function"):
        offload.run("os:system", b"x")  # small: in this process
    assert helper.failed is None


def test_a_helper_that_ended_between_calls_is_started_again(demo, helper, caplog):
    emu, _s = demo
    _sdk, body = _answer(emu)
    first = offload.run(DECODE, body)
    helper._proc.kill()
    helper._proc.wait()
    with caplog.at_level(logging.WARNING, logger="ociconsole.core.offload"):
        again = offload.run(DECODE, body)
    assert "had ended" in caplog.text and helper.failed is None and helper.served == 2
    assert [g[3].tolist() for g in again] == [f[3].tolist() for f in first]


def test_a_helper_that_fails_during_a_call_leaves_the_work_to_this_process(demo, helper, caplog, monkeypatch):
    emu, _s = demo
    _sdk, body = _answer(emu)
    expected = series(body)
    # a helper that reads the start of a request and exits without an answer
    monkeypatch.setattr(offload, "_CHILD", "import sys; sys.stdin.buffer.read(4); sys.exit(3)")
    with caplog.at_level(logging.WARNING, logger="ociconsole.core.offload"):
        got = offload.run(DECODE, body)
    assert [g[3].tolist() for g in got] == [e[3].tolist() for e in expected]
    assert helper.failed and "Decoding in this process from now on" in caplog.text
    assert helper.served == 0 and helper._proc is None
    offload.run(DECODE, body)  # no other attempt
    assert helper._proc is None
