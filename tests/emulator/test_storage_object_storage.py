"""Object Storage additions through the real SDK: retention rules (limits, locks, objects they keep
from deletion and overwrite) and CRC32C checksums (put_object, multipart through UploadManager,
returned on get/head, a wrong client checksum refused)."""

from __future__ import annotations

import base64
import datetime

import crc32c
import oci
import pytest
from oci.object_storage import UploadManager
from oci.object_storage import models as OM

from .helpers import NO_RETRY, signer_for


@pytest.fixture
def osc(emulator, oci_config):
    return oci.object_storage.ObjectStorageClient(oci_config, service_endpoint=emulator.endpoint("object_storage"),
                                                  signer=signer_for(oci_config), **NO_RETRY)


@pytest.fixture
def bucket(osc, emulator):
    ns = osc.get_namespace().data
    osc.create_bucket(ns, OM.CreateBucketDetails(name="keep", compartment_id=emulator.tenancy_id))
    return ns, "keep"


def crc_of(data: bytes) -> str:
    return base64.b64encode(crc32c.crc32c(data).to_bytes(4, "big")).decode()


def test_retention_rules(osc, bucket, emulator):
    ns, name = bucket
    osc.put_object(ns, name, "report.pdf", b"v1")
    rule = osc.create_retention_rule(ns, name, OM.CreateRetentionRuleDetails(
        display_name="legal", duration=OM.Duration(time_amount=30, time_unit="DAYS"))).data
    assert rule.duration.time_amount == 30 and rule.etag
    assert osc.get_retention_rule(ns, name, rule.id).data.display_name == "legal"
    assert [r.id for r in osc.list_retention_rules(ns, name).data.items] == [rule.id]
    for call in (lambda: osc.delete_object(ns, name, "report.pdf"),
                 lambda: osc.put_object(ns, name, "report.pdf", b"v2")):
        with pytest.raises(oci.exceptions.ServiceError) as e:
            call()
        assert e.value.status == 409 and "retention rule" in e.value.message
    osc.put_object(ns, name, "new.txt", b"fresh")  # a new object is fine
    with pytest.raises(oci.exceptions.ServiceError) as e:  # the lock is at least 14 days out
        osc.create_retention_rule(ns, name, OM.CreateRetentionRuleDetails(
            duration=OM.Duration(time_amount=1, time_unit="DAYS"),
            time_rule_locked=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2)))
    assert e.value.status == 400
    lock_at = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=15)
    up = osc.update_retention_rule(ns, name, rule.id, OM.UpdateRetentionRuleDetails(
        duration=OM.Duration(time_amount=10, time_unit="DAYS"), time_rule_locked=lock_at)).data
    assert up.duration.time_amount == 10 and up.time_rule_locked is not None
    emulator.clock.advance(16 * 86400)  # locked now; the object's 10 days are over
    osc.delete_object(ns, name, "report.pdf")
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.update_retention_rule(ns, name, rule.id, OM.UpdateRetentionRuleDetails(
            duration=OM.Duration(time_amount=5, time_unit="DAYS")))
    assert e.value.status == 409
    osc.update_retention_rule(ns, name, rule.id, OM.UpdateRetentionRuleDetails(
        duration=OM.Duration(time_amount=1, time_unit="YEARS")))
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.delete_retention_rule(ns, name, rule.id)
    assert e.value.status == 409 and "locked" in e.value.message
    other = osc.create_retention_rule(ns, name, OM.CreateRetentionRuleDetails(display_name="tmp")).data
    osc.delete_retention_rule(ns, name, other.id)
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.get_retention_rule(ns, name, other.id)
    assert e.value.status == 404


def test_crc32c_checksums(osc, bucket, tmp_path):
    ns, name = bucket
    data = b"hello crc" * 1000
    resp = osc.put_object(ns, name, "a.bin", data, opc_checksum_algorithm="CRC32C")
    assert resp.headers["opc-content-crc32c"] == crc_of(data)
    assert osc.head_object(ns, name, "a.bin").headers["opc-content-crc32c"] == crc_of(data)
    got = osc.get_object(ns, name, "a.bin")
    assert got.headers["opc-content-crc32c"] == crc_of(data) and got.data.content == data
    osc.put_object(ns, name, "b.bin", data, opc_checksum_algorithm="CRC32C", opc_content_crc32c=crc_of(data))
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.put_object(ns, name, "c.bin", data, opc_checksum_algorithm="CRC32C", opc_content_crc32c=crc_of(b"x"))
    assert e.value.status == 400 and "CRC32C" in e.value.message
    # multipart through the SDK's UploadManager: parts and the whole object carry CRC32C
    big = bytes(range(256)) * 4096 * 3  # 3 MiB
    um = UploadManager(osc, allow_parallel_uploads=False)
    src = tmp_path / "big.bin"
    src.write_bytes(big)
    done = um.upload_file(ns, name, "big.bin", str(src), part_size=1024 * 1024, opc_checksum_algorithm="CRC32C")
    assert done.status == 200
    head = osc.head_object(ns, name, "big.bin").headers
    assert head["opc-multipart-md5"].endswith("-3") and head["opc-content-crc32c"] == crc_of(big)
