"""Storage below the GUI: transfers in the service layer (multipart in parallel, aborted on failure
and on cancel, streamed downloads that leave no partial file), part plans, object and PAR URLs,
bytes progress and cancellation of operations, forms without retry tokens, and the storage metric
namespaces the emulator declares."""

from __future__ import annotations

import asyncio
import datetime as dt
import os

import oci
import pytest

from ociconsole.catalog import forms
from ociconsole.core.connection import Connection, connection_for_emulator
from ociconsole.core.errors import OciError
from ociconsole.core.operations import OperationLog, OpState
from ociconsole.emulator.faults import FaultConfig
from ociconsole.services import file_storage as fssvc
from ociconsole.services import object_storage as oss
from ociconsole.services.runtime import Session

MiB = 1024 * 1024


@pytest.fixture
def session(emulator):
    s = Session(connection_for_emulator(emulator.client_config(), emulator.base_url))
    yield s
    s.close()


@pytest.fixture
def bucket(emulator):
    cfg = emulator.client_config()
    osc = oci.object_storage.ObjectStorageClient(cfg, service_endpoint=emulator.endpoint("object_storage"))
    ns = osc.get_namespace().data
    osc.create_bucket(ns, oci.object_storage.models.CreateBucketDetails(name="unit", compartment_id=cfg["tenancy"]))
    return osc, ns, "unit"


def test_part_plan_covers_the_file_and_grows_past_ten_thousand_parts():
    plan = oss.part_plan(5 * MiB + 3, MiB)
    assert [(n, off, ln) for n, off, ln in plan][-1] == (6, 5 * MiB, 3)
    assert sum(ln for _n, _o, ln in plan) == 5 * MiB + 3
    big = oss.part_plan(100_000 * MiB, MiB)
    assert len(big) <= oss.MAX_PARTS and sum(ln for *_x, ln in big) == 100_000 * MiB
    assert oss.part_plan(0) == []


def test_upload_multipart_and_download_back(session, bucket, tmp_path):
    osc, ns, name = bucket
    work = tmp_path / "work"
    work.mkdir()
    src = work / "f.bin"
    data = os.urandom(3 * MiB + 7)
    src.write_bytes(data)
    seen = []

    async def run():
        t = oss.Transfer(len(data), lambda d, total: seen.append(d))
        h = await oss.upload_file(session, name, "a/f.bin", str(src), t, part_size=MiB, threshold=MiB)
        d = oss.Transfer(0)
        await oss.download_object(session, name, "a/f.bin", str(work / "g.bin"), d)
        return t, h, d
    t, headers, d = asyncio.run(run())
    assert t.parts == 4 and t.done == len(data) and seen[-1] == len(data)
    assert headers["opc-multipart-md5"].endswith("-4")
    assert (work / "g.bin").read_bytes() == data and d.total == d.done == len(data)
    assert sorted(os.listdir(work)) == ["f.bin", "g.bin"]  # no temporary file left
    assert osc.list_multipart_uploads(ns, name).data == []


def test_failed_part_aborts_the_upload(session, bucket, emulator, tmp_path):
    osc, ns, name = bucket
    src = tmp_path / "f.bin"
    src.write_bytes(os.urandom(3 * MiB))
    # every upload_part fails with a 500 (retried, then given up): nothing may stay behind
    emulator.core.faults.configure(FaultConfig(rate=1.0, mix={"500": 1.0}, operations=["upload_part"]))

    async def run():
        await oss.upload_file(session, name, "f.bin", str(src), oss.Transfer(3 * MiB), part_size=MiB,
                              threshold=MiB)
    with pytest.raises(OciError) as e:
        asyncio.run(run())
    emulator.core.faults.configure(FaultConfig())
    assert e.value.status == 500
    assert osc.list_multipart_uploads(ns, name).data == []
    assert osc.list_objects(ns, name).data.objects == []


def test_cancelled_upload_and_download(session, bucket, emulator, tmp_path):
    osc, ns, name = bucket
    src = tmp_path / "f.bin"
    src.write_bytes(os.urandom(4 * MiB))

    async def upload():
        t = oss.Transfer(4 * MiB)
        task = asyncio.ensure_future(oss.upload_file(session, name, "f.bin", str(src), t, part_size=MiB,
                                                     threshold=MiB, parallel=1))
        while t.done == 0:
            await asyncio.sleep(0.01)
        t.cancel()
        task.cancel()
        with pytest.raises((asyncio.CancelledError, OciError)):
            await task
    emulator.core.faults.configure(FaultConfig(latency_ms=200))
    asyncio.run(upload())
    emulator.core.faults.configure(FaultConfig())
    assert osc.list_multipart_uploads(ns, name).data == []
    assert osc.list_objects(ns, name).data.objects == []

    osc.put_object(ns, name, "g.bin", open(src, "rb"))
    out = tmp_path / "out"
    out.mkdir()

    async def download():
        t = oss.Transfer(0)
        t.cancel()  # cancelled before the first byte is written
        await oss.download_object(session, name, "g.bin", str(out / "g.bin"), t)
    with pytest.raises(OciError) as e:
        asyncio.run(download())
    assert e.value.kind == "cancelled" and os.listdir(out) == []


def test_urls_come_from_the_connection():
    oci_conn = Connection(label="p", config={"tenancy": "t", "region": "eu-frankfurt-1"}, signer=None,
                          region="eu-frankfurt-1", home_region="eu-frankfurt-1")
    assert oci_conn.par_url("/p/tok/n/ns/b/b1/o/a.txt") == \
        "https://objectstorage.eu-frankfurt-1.oraclecloud.com/p/tok/n/ns/b/b1/o/a.txt"
    assert oci_conn.object_url("ns", "b1", "dir/a b.txt") == \
        "https://objectstorage.eu-frankfurt-1.oraclecloud.com/n/ns/b/b1/o/dir/a%20b.txt"
    emu = Connection(label="d", config={"tenancy": "t", "region": "us-ashburn-1"}, signer=None,
                     region="us-ashburn-1", home_region="us-ashburn-1", emulator_url="http://127.0.0.1:9")
    assert emu.par_url("/p/x/n/ns/b/b/o/o") == "http://127.0.0.1:9/p/x/n/ns/b/b/o/o"
    assert emu.object_url("ns", "b", "o") == "http://127.0.0.1:9/object_storage/n/ns/b/b/o/o"
    assert fssvc.mount_command("10.0.1.5", "/team/") == "sudo mount -t nfs 10.0.1.5:/team /mnt/team"


def test_operations_report_bytes_and_can_be_cancelled():
    log = OperationLog()
    asked = []
    op = log.start("Upload x", kind="transfer", cancel=lambda: asked.append(1))
    log.bytes(op, 25, 100, detail="25 B of 100 B")
    assert op.state is OpState.RUNNING and op.progress == 25.0 and op.bytes_total == 100
    assert op.as_dict()["bytes"] == {"done": 25, "total": 100}
    assert op.cancellable and log.request_cancel(op) and asked == [1]
    log.cancel(op)
    assert not op.cancellable and not log.request_cancel(op) and asked == [1]


def test_requests_without_retry_tokens():
    req = forms.Request("object_storage", "create_bucket", None, args=("ns",), retry_token=False)
    assert "opc_retry_token" not in forms.python_code(req)
    assert "opc_retry_token" in forms.python_code(forms.Request("blockstorage", "create_volume"))


@pytest.mark.parametrize("namespace,metric,dimension", [
    ("oci_blockstore", "VolumeReadThroughput", "resourceId"),
    ("oci_blockstore", "VolumeWriteOps", "resourceId"),
    ("oci_objectstorage", "StoredBytes", "resourceID"),
    ("oci_objectstorage", "ObjectCount", "resourceID"),
])
def test_storage_metric_namespaces(emulator, namespace, metric, dimension):
    cfg = emulator.client_config()
    mon = oci.monitoring.MonitoringClient(cfg, service_endpoint=emulator.endpoint("monitoring"))
    now = dt.datetime.now(dt.UTC)
    data = mon.summarize_metrics_data(cfg["tenancy"], oci.monitoring.models.SummarizeMetricsDataDetails(
        namespace=namespace, query=f"{metric}[5m].mean()", start_time=now - dt.timedelta(hours=2), end_time=now),
        compartment_id_in_subtree=True).data
    names = {m.dimensions["resourceDisplayName"] for m in data}
    expected = {"oci_blockstore": {"etl-data", "api-cache", "scratch"},
                "oci_objectstorage": {"app-assets", "db-backups"}}[namespace]
    assert names == expected
    assert all(dimension in m.dimensions and m.aggregated_datapoints for m in data)
    assert all(p.value >= 0 for m in data for p in m.aggregated_datapoints)


@pytest.mark.parametrize("path, problem", [
    ("/shared", None), ("/a/b-c_d.e", None), ("shared", "starts with"), ("/", "below"), ("/a/", "at the end"),
    ("/a//b", "empty"), ("/a/../b", "'..'"), ("/a b", "Spaces"), ("/caf\u00e9", "ASCII"), ("/" + "a" * 1024, "1024"),
])
def test_export_path_rules_match_the_emulators(path, problem):
    from ociconsole.catalog.file_storage import check_export_path
    from ociconsole.emulator.protocol import ApiError
    from ociconsole.emulator.services.file_storage import check_export_path as emulator_check
    message = check_export_path(path)
    if problem is None:
        assert message is None
        emulator_check(path)
    else:
        assert problem in message
        with pytest.raises(ApiError):
            emulator_check(path)
