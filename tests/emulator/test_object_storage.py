"""Object Storage through the real SDK: buckets, objects (ranges, conditions, metadata), listing,
multipart uploads (also with UploadManager), versions, pre-authenticated requests, copies,
replication, lifecycle rules, and the bytes on disk."""

from __future__ import annotations

import base64
import datetime
import hashlib
import os
import time

import oci
import pytest
from oci._vendor import requests
from oci.object_storage import UploadManager
from oci.object_storage import models as OM

from tests.conftest import make_emulator

from .helpers import IM, NO_RETRY, signer_for

WAIT = {"max_wait_seconds": 15, "max_interval_seconds": 1}


def os_client(emulator, config, region: str | None = None) -> oci.object_storage.ObjectStorageClient:
    return oci.object_storage.ObjectStorageClient(config, service_endpoint=emulator.endpoint("object_storage", region),
                                                   signer=signer_for(config), **NO_RETRY)


@pytest.fixture
def osc(emulator, oci_config):
    return os_client(emulator, oci_config)


@pytest.fixture
def ns(osc):
    return osc.get_namespace().data


@pytest.fixture
def bucket(osc, ns, oci_config):
    return osc.create_bucket(ns, OM.CreateBucketDetails(name="test-bucket", compartment_id=oci_config["tenancy"])).data


def md5_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def blob_files(emulator) -> list[str]:
    root = emulator.files_dir / "object_storage"
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def err(excinfo) -> tuple[int, str]:
    return excinfo.value.status, excinfo.value.code


# ---------------------------------------------------------------- namespace and buckets

def test_namespace_and_its_metadata(osc, ns, oci_config):
    assert len(ns) == 12 and ns.isalnum() and ns == ns.lower()
    assert osc.get_namespace(compartment_id=oci_config["tenancy"]).data == ns
    meta = osc.get_namespace_metadata(ns).data
    assert meta.namespace == ns and meta.default_s3_compartment_id == oci_config["tenancy"]
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.get_namespace_metadata("not-my-namespace")
    assert err(e) == (404, "NamespaceNotFound")


def test_bucket_create_get_head_list_update(osc, ns, oci_config):
    t = oci_config["tenancy"]
    made = osc.create_bucket(ns, OM.CreateBucketDetails(
        name="archive-1", compartment_id=t, storage_tier="Archive", public_access_type="ObjectReadWithoutList",
        versioning="Enabled", freeform_tags={"team": "data"}, metadata={"purpose": "tests"}))
    b = made.data
    assert (b.name, b.storage_tier, b.public_access_type, b.versioning) == (
        "archive-1", "Archive", "ObjectReadWithoutList", "Enabled")
    assert b.namespace == ns and b.compartment_id == t and b.freeform_tags == {"team": "data"}
    assert b.id.startswith("ocid1.bucket.") and b.etag and made.headers["etag"] == b.etag
    got = osc.get_bucket(ns, "archive-1", fields=["approximateCount", "approximateSize"]).data
    assert got.approximate_count == 0 and got.approximate_size == 0 and got.metadata == {"purpose": "tests"}
    assert osc.head_bucket(ns, "archive-1").headers["etag"] == got.etag
    summaries = osc.list_buckets(ns, t, fields=["tags"]).data
    assert [s.name for s in summaries] == ["archive-1"] and summaries[0].freeform_tags == {"team": "data"}

    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.create_bucket(ns, OM.CreateBucketDetails(name="archive-1", compartment_id=t))
    assert err(e) == (409, "BucketAlreadyExists")
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.create_bucket(ns, OM.CreateBucketDetails(name="bad name!", compartment_id=t))
    assert e.value.status == 400
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.get_bucket(ns, "nope")
    assert err(e) == (404, "BucketNotFound")

    up = osc.update_bucket(ns, "archive-1", OM.UpdateBucketDetails(
        public_access_type="NoPublicAccess", versioning="Suspended", name="archive-2")).data
    assert (up.name, up.public_access_type, up.versioning) == ("archive-2", "NoPublicAccess", "Suspended")
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.update_bucket(ns, "archive-2", OM.UpdateBucketDetails(metadata={"a": "b"}), if_match="stale")
    assert err(e) == (412, "IfMatchFailed")
    osc.delete_bucket(ns, "archive-2")
    assert osc.list_buckets(ns, t).data == []


def test_a_bucket_that_is_not_empty_cannot_be_deleted(osc, ns, bucket):
    osc.put_object(ns, bucket.name, "keep.txt", b"x")
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.delete_bucket(ns, bucket.name)
    assert err(e) == (409, "BucketNotEmpty")
    osc.delete_object(ns, bucket.name, "keep.txt")
    up = osc.create_multipart_upload(ns, bucket.name, OM.CreateMultipartUploadDetails(object="big")).data
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.delete_bucket(ns, bucket.name)
    assert err(e) == (409, "BucketNotEmpty")
    osc.abort_multipart_upload(ns, bucket.name, "big", up.upload_id)
    assert osc.delete_bucket(ns, bucket.name).status == 204


# ---------------------------------------------------------------- objects

def test_put_get_head_with_metadata_md5_and_etag(osc, ns, bucket):
    data = b"hello, object storage\n" * 10
    put = osc.put_object(ns, bucket.name, "docs/hello.txt", data, content_type="text/plain",
                         content_language="en", cache_control="no-cache", opc_meta={"owner": "alice"},
                         content_md5=md5_b64(data))
    assert put.headers["opc-content-md5"] == md5_b64(data) and put.headers["etag"]
    got = osc.get_object(ns, bucket.name, "docs/hello.txt")
    assert got.data.content == data
    h = got.headers
    assert h["content-type"] == "text/plain" and h["content-language"] == "en" and h["cache-control"] == "no-cache"
    assert h["opc-meta-owner"] == "alice" and h["etag"] == put.headers["etag"]
    assert h["opc-content-md5"] == md5_b64(data) and int(h["content-length"]) == len(data)
    head = osc.head_object(ns, bucket.name, "docs/hello.txt")
    assert head.headers["content-length"] == str(len(data)) and head.headers["etag"] == put.headers["etag"]
    assert head.headers["last-modified"].endswith("GMT")

    over = osc.get_object(ns, bucket.name, "docs/hello.txt", http_response_content_type="application/x-test",
                          http_response_content_disposition="attachment; filename=h.txt")
    assert over.headers["content-type"] == "application/x-test"
    assert over.headers["content-disposition"] == "attachment; filename=h.txt"

    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.put_object(ns, bucket.name, "bad-md5", b"abc", content_md5=md5_b64(b"abd"))
    assert e.value.status == 400 and "MD5" in e.value.message
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.get_object(ns, bucket.name, "missing")
    assert err(e) == (404, "ObjectNotFound")
    assert osc.delete_object(ns, bucket.name, "docs/hello.txt").status == 204
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.head_object(ns, bucket.name, "docs/hello.txt")
    assert e.value.status == 404


def test_object_names_keep_slashes_spaces_and_trailing_slashes(osc, ns, bucket):
    names = ["a/b/c.txt", "folder/", "with space/ü ñ.txt", "x//double", "percent%20literal", "q?mark#hash"]
    for i, name in enumerate(names):
        osc.put_object(ns, bucket.name, name, f"content {i}".encode())
    listed = [o.name for o in osc.list_objects(ns, bucket.name).data.objects]
    assert listed == sorted(names)
    for i, name in enumerate(names):
        assert osc.get_object(ns, bucket.name, name).data.content == f"content {i}".encode()
    assert osc.head_object(ns, bucket.name, "folder/").headers["content-length"] == str(len("content 1"))


def test_range_requests(osc, ns, bucket):
    data = bytes(range(256)) * 4
    osc.put_object(ns, bucket.name, "r.bin", data)
    part = osc.get_object(ns, bucket.name, "r.bin", range="bytes=10-19")
    assert part.status == 206 and part.data.content == data[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(data)}" and part.headers["content-length"] == "10"
    tail = osc.get_object(ns, bucket.name, "r.bin", range="bytes=-5")
    assert tail.status == 206 and tail.data.content == data[-5:]
    rest = osc.get_object(ns, bucket.name, "r.bin", range="bytes=1000-")
    assert rest.data.content == data[1000:] and rest.headers["content-range"] == f"bytes 1000-1023/{len(data)}"
    clipped = osc.get_object(ns, bucket.name, "r.bin", range="bytes=1020-5000")
    assert clipped.data.content == data[1020:]
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.get_object(ns, bucket.name, "r.bin", range="bytes=5000-6000")
    assert e.value.status == 416 and e.value.headers["content-range"] == f"bytes */{len(data)}"


def test_if_match_and_if_none_match(osc, ns, bucket):
    first = osc.put_object(ns, bucket.name, "c.txt", b"one", if_none_match="*")
    etag = first.headers["etag"]
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.put_object(ns, bucket.name, "c.txt", b"two", if_none_match="*")  # create-only
    assert err(e) == (412, "IfNoneMatchFailed")
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.put_object(ns, bucket.name, "c.txt", b"two", if_match="not-the-etag")
    assert err(e) == (412, "IfMatchFailed")
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.put_object(ns, bucket.name, "new.txt", b"x", if_match=etag)  # nothing to match
    assert err(e) == (412, "IfMatchFailed")
    second = osc.put_object(ns, bucket.name, "c.txt", b"two", if_match=etag)
    assert second.headers["etag"] != etag
    assert osc.get_object(ns, bucket.name, "c.txt", if_match=second.headers["etag"]).data.content == b"two"
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.get_object(ns, bucket.name, "c.txt", if_match=etag)
    assert err(e) == (412, "IfMatchFailed")
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.get_object(ns, bucket.name, "c.txt", if_none_match=second.headers["etag"])
    assert e.value.status == 304
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.delete_object(ns, bucket.name, "c.txt", if_match=etag)
    assert err(e) == (412, "IfMatchFailed")
    osc.delete_object(ns, bucket.name, "c.txt", if_match=second.headers["etag"])


def test_listing_with_prefix_delimiter_start_and_fields(osc, ns, bucket):
    names = ["a.txt", "logs/2026/01/x.log", "logs/2026/02/y.log", "logs/readme", "photos/p1.jpg", "z.txt"]
    for n in names:
        osc.put_object(ns, bucket.name, n, n.encode())
    top = osc.list_objects(ns, bucket.name, delimiter="/").data
    assert [o.name for o in top.objects] == ["a.txt", "z.txt"] and top.prefixes == ["logs/", "photos/"]
    logs = osc.list_objects(ns, bucket.name, prefix="logs/", delimiter="/").data
    assert [o.name for o in logs.objects] == ["logs/readme"] and logs.prefixes == ["logs/2026/"]
    assert [o.name for o in osc.list_objects(ns, bucket.name, prefix="logs/2026/").data.objects] == names[1:3]
    page1 = osc.list_objects(ns, bucket.name, limit=2).data
    assert [o.name for o in page1.objects] == names[:2] and page1.next_start_with == names[2]
    page2 = osc.list_objects(ns, bucket.name, start=page1.next_start_with, limit=10).data
    assert [o.name for o in page2.objects] == names[2:] and page2.next_start_with is None
    assert [o.name for o in osc.list_objects(ns, bucket.name, start_after="photos/p1.jpg").data.objects] == ["z.txt"]
    assert [o.name for o in osc.list_objects(ns, bucket.name, end="logs").data.objects] == ["a.txt"]
    plain = osc.list_objects(ns, bucket.name).data.objects[0]
    assert plain.size is None and plain.md5 is None  # only the name unless fields asks for more
    full = osc.list_objects(ns, bucket.name, fields="name,size,md5,etag,timeCreated,timeModified,storageTier"
                            ).data.objects[0]
    assert full.size == 5 and full.md5 == md5_b64(b"a.txt") and full.etag and full.storage_tier == "Standard"
    assert full.time_created is not None and full.time_modified is not None
    all_names = [o.name for o in oci.pagination.list_call_get_all_results(
        osc.list_objects, ns, bucket.name, limit=2).data.objects]
    assert all_names == names


def test_rename_and_copy_through_a_work_request(emulator, osc, ns, bucket, oci_config):
    osc.put_object(ns, bucket.name, "orig.txt", b"original", opc_meta={"k": "v"}, content_type="text/plain")
    osc.rename_object(ns, bucket.name, OM.RenameObjectDetails(source_name="orig.txt", new_name="renamed.txt"))
    assert [o.name for o in osc.list_objects(ns, bucket.name).data.objects] == ["renamed.txt"]
    got = osc.get_object(ns, bucket.name, "renamed.txt")
    assert got.data.content == b"original" and got.headers["opc-meta-k"] == "v"
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.rename_object(ns, bucket.name, OM.RenameObjectDetails(source_name="orig.txt", new_name="x"))
    assert e.value.status == 404

    # a copy within the region, and one to another region's bucket
    phx = os_client(emulator, oci_config, "us-phoenix-1")
    phx.create_bucket(ns, OM.CreateBucketDetails(name="far", compartment_id=oci_config["tenancy"]))
    for region, dest in (("us-ashburn-1", bucket.name), ("us-phoenix-1", "far")):
        resp = osc.copy_object(ns, bucket.name, OM.CopyObjectDetails(
            source_object_name="renamed.txt", destination_region=region, destination_namespace=ns,
            destination_bucket=dest, destination_object_name="copy.txt"))
        assert resp.status == 202
        wr_id = resp.headers["opc-work-request-id"]
        wr = oci.wait_until(osc, osc.get_work_request(wr_id), "status", "COMPLETED", **WAIT).data
        assert wr.operation_type == "COPY_OBJECT" and wr.percent_complete == 100.0
        assert {r.action_type for r in wr.resources} == {"READ", "WRITTEN"}
    assert osc.get_object(ns, bucket.name, "copy.txt").data.content == b"original"
    assert phx.get_object(ns, "far", "copy.txt").data.content == b"original"
    wrs = osc.list_work_requests(oci_config["tenancy"]).data
    assert len(wrs) == 2 and {w.status for w in wrs} == {"COMPLETED"}  # both started in the source region
    assert osc.list_work_request_logs(wrs[0].id).data and osc.list_work_request_errors(wrs[0].id).data == []

    # the SDK's composite waits for the copy's work request
    comp = oci.object_storage.ObjectStorageClientCompositeOperations(osc)
    done = comp.copy_object_and_wait_for_state(ns, bucket.name, OM.CopyObjectDetails(
        source_object_name="renamed.txt", destination_region="us-ashburn-1", destination_namespace=ns,
        destination_bucket=bucket.name, destination_object_name="copy2.txt"), wait_for_states=["COMPLETED"])
    assert done.data.status == "COMPLETED"

    # a copy still running can be canceled: its bytes are dropped
    emulator.core.transition_delay = 30
    before = blob_files(emulator)
    resp = osc.copy_object(ns, bucket.name, OM.CopyObjectDetails(
        source_object_name="renamed.txt", destination_region="us-ashburn-1", destination_namespace=ns,
        destination_bucket=bucket.name, destination_object_name="never.txt"))
    wr_id = resp.headers["opc-work-request-id"]
    assert osc.get_work_request(wr_id).data.status == "ACCEPTED"
    osc.cancel_work_request(wr_id)
    emulator.core.transition_delay = 0
    assert oci.wait_until(osc, osc.get_work_request(wr_id), "status", "CANCELED", **WAIT).data
    assert blob_files(emulator) == before
    with pytest.raises(oci.exceptions.ServiceError):
        osc.head_object(ns, bucket.name, "never.txt")


# ---------------------------------------------------------------- multipart

def test_multipart_upload_by_hand(emulator, osc, ns, bucket):
    parts = [os.urandom(1024 * 64), os.urandom(1024 * 64), b"tail"]
    up = osc.create_multipart_upload(ns, bucket.name, OM.CreateMultipartUploadDetails(
        object="mp/file.bin", content_type="application/x-parts", metadata={"opc-meta-kind": "test"})).data
    assert up.bucket == bucket.name and up.object == "mp/file.bin" and up.upload_id
    assert [u.upload_id for u in osc.list_multipart_uploads(ns, bucket.name).data] == [up.upload_id]
    etags = {}
    for i, p in enumerate(parts, start=1):
        r = osc.upload_part(ns, bucket.name, "mp/file.bin", up.upload_id, i, p, content_md5=md5_b64(p))
        assert r.headers["opc-content-md5"] == md5_b64(p)
        etags[i] = r.headers["etag"]
    extra = osc.upload_part(ns, bucket.name, "mp/file.bin", up.upload_id, 7, b"excluded part").headers["etag"]
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.upload_part(ns, bucket.name, "mp/file.bin", up.upload_id, 4, b"x", content_md5=md5_b64(b"y"))
    assert e.value.status == 400
    listed = osc.list_multipart_upload_parts(ns, bucket.name, "mp/file.bin", up.upload_id).data
    assert [(p.part_number, p.size, p.md5) for p in listed] == [
        (1, len(parts[0]), md5_b64(parts[0])), (2, len(parts[1]), md5_b64(parts[1])), (3, 4, md5_b64(b"tail")),
        (7, 13, md5_b64(b"excluded part"))]
    assert extra
    files_before = len(blob_files(emulator))
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.commit_multipart_upload(ns, bucket.name, "mp/file.bin", up.upload_id, OM.CommitMultipartUploadDetails(
            parts_to_commit=[OM.CommitMultipartUploadPartDetails(part_num=1, etag="wrong")]))
    assert e.value.status == 400
    done = osc.commit_multipart_upload(ns, bucket.name, "mp/file.bin", up.upload_id, OM.CommitMultipartUploadDetails(
        parts_to_commit=[OM.CommitMultipartUploadPartDetails(part_num=i, etag=etags[i]) for i in (1, 2, 3)],
        parts_to_exclude=[7]))
    digest = hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).digest()
    expected = base64.b64encode(digest).decode() + "-3"
    assert done.headers["opc-multipart-md5"] == expected
    assert len(blob_files(emulator)) == files_before - 1  # the excluded part's bytes are gone
    got = osc.get_object(ns, bucket.name, "mp/file.bin")
    assert got.data.content == b"".join(parts)
    assert got.headers["opc-multipart-md5"] == expected and got.headers["content-type"] == "application/x-parts"
    assert got.headers["opc-meta-kind"] == "test"
    # a range across the part boundary
    boundary = len(parts[0])
    r = osc.get_object(ns, bucket.name, "mp/file.bin", range=f"bytes={boundary - 3}-{boundary + 2}")
    assert r.data.content == b"".join(parts)[boundary - 3:boundary + 3]
    summary = osc.list_objects(ns, bucket.name, fields="md5,size").data.objects[0]
    assert summary.md5 == expected and summary.size == sum(map(len, parts))
    assert osc.list_multipart_uploads(ns, bucket.name).data == []


def test_abort_leaves_no_garbage(emulator, osc, ns, bucket):
    before = blob_files(emulator)
    up = osc.create_multipart_upload(ns, bucket.name, OM.CreateMultipartUploadDetails(object="gone")).data
    for i in (1, 2, 3):
        osc.upload_part(ns, bucket.name, "gone", up.upload_id, i, os.urandom(1000))
    osc.upload_part(ns, bucket.name, "gone", up.upload_id, 2, os.urandom(10))  # a re-upload replaces the part
    assert len(blob_files(emulator)) == len(before) + 3
    osc.abort_multipart_upload(ns, bucket.name, "gone", up.upload_id)
    assert blob_files(emulator) == before
    assert not list((emulator.files_dir / "spool").glob("*"))
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.list_multipart_upload_parts(ns, bucket.name, "gone", up.upload_id)
    assert err(e) == (404, "NoSuchUpload")


def test_upload_manager_parallel_multipart_and_plain(osc, ns, bucket, tmp_path):
    data = os.urandom(3 * 1024 * 1024 + 12345)
    src = tmp_path / "src.bin"
    src.write_bytes(data)
    um = UploadManager(osc, allow_parallel_uploads=True, parallel_process_count=3)
    resp = um.upload_file(ns, bucket.name, "um/big.bin", str(src), part_size=1024 * 1024,
                          content_type="application/octet-stream", metadata={"src": "um"})
    assert resp.headers["opc-multipart-md5"].endswith("-4")
    got = osc.get_object(ns, bucket.name, "um/big.bin")
    assert got.data.content == data and got.headers["opc-meta-src"] == "um"
    small = um.upload_file(ns, bucket.name, "um/small.bin", str(src), part_size=8 * 1024 * 1024)
    assert small.headers["opc-content-md5"] == md5_b64(data)
    assert osc.head_object(ns, bucket.name, "um/small.bin").headers["content-length"] == str(len(data))
    stream_src = tmp_path / "stream.bin"
    stream_src.write_bytes(data[:200000])
    with open(stream_src, "rb") as f:
        um.upload_stream(ns, bucket.name, "um/stream.bin", f, part_size=64 * 1024)
    assert osc.get_object(ns, bucket.name, "um/stream.bin").data.content == data[:200000]


# ---------------------------------------------------------------- versions

def test_versions_and_delete_markers(osc, ns, oci_config):
    osc.create_bucket(ns, OM.CreateBucketDetails(name="versioned", compartment_id=oci_config["tenancy"],
                                                 versioning="Enabled"))
    v1 = osc.put_object(ns, "versioned", "doc.txt", b"first").headers["version-id"]
    v2 = osc.put_object(ns, "versioned", "doc.txt", b"second").headers["version-id"]
    osc.put_object(ns, "versioned", "other.txt", b"o")
    assert v1 != v2
    assert osc.get_object(ns, "versioned", "doc.txt").data.content == b"second"
    assert osc.get_object(ns, "versioned", "doc.txt", version_id=v1).data.content == b"first"
    versions = osc.list_object_versions(ns, "versioned", prefix="doc").data.items
    assert [(v.name, v.version_id, v.is_delete_marker) for v in versions] == [
        ("doc.txt", v2, False), ("doc.txt", v1, False)]
    gone = osc.delete_object(ns, "versioned", "doc.txt")
    assert gone.headers["is-delete-marker"] == "true"
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.get_object(ns, "versioned", "doc.txt")
    assert err(e) == (404, "ObjectNotFound")
    assert [o.name for o in osc.list_objects(ns, "versioned").data.objects] == ["other.txt"]
    versions = osc.list_object_versions(ns, "versioned").data.items
    assert [(v.name, v.is_delete_marker) for v in versions] == [
        ("doc.txt", True), ("doc.txt", False), ("doc.txt", False), ("other.txt", False)]
    # deleting the delete marker brings the last version back
    osc.delete_object(ns, "versioned", "doc.txt", version_id=versions[0].version_id)
    assert osc.get_object(ns, "versioned", "doc.txt").data.content == b"second"
    osc.delete_object(ns, "versioned", "doc.txt", version_id=v2)
    assert osc.get_object(ns, "versioned", "doc.txt").data.content == b"first"
    paged = oci.pagination.list_call_get_all_results(osc.list_object_versions, ns, "versioned", limit=1).data
    assert [v.version_id for v in paged] == [v1, versions[3].version_id]
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.delete_bucket(ns, "versioned")
    assert err(e) == (409, "BucketNotEmpty")


# ---------------------------------------------------------------- pre-authenticated requests

def _expiry(seconds: float) -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=seconds)


def test_par_serves_without_a_signature_until_it_expires(emulator, osc, ns, bucket):
    osc.put_object(ns, bucket.name, "shared/report.pdf", b"%PDF-1.7 report", content_type="application/pdf")
    par = osc.create_preauthenticated_request(ns, bucket.name, OM.CreatePreauthenticatedRequestDetails(
        name="short", access_type="ObjectRead", object_name="shared/report.pdf", time_expires=_expiry(2))).data
    assert par.access_uri.startswith("/p/") and par.access_uri.endswith(f"/n/{ns}/b/{bucket.name}/o/shared/report.pdf")
    for url in (emulator.base_url + "/object_storage" + par.access_uri, emulator.base_url + par.access_uri,
                par.full_path):
        r = requests.get(url)
        assert r.status_code == 200 and r.content == b"%PDF-1.7 report", url
        assert r.headers["content-type"] == "application/pdf"
    r = requests.get(emulator.base_url + par.access_uri, headers={"range": "bytes=0-3"})
    assert r.status_code == 206 and r.content == b"%PDF"
    assert requests.put(emulator.base_url + par.access_uri, data=b"overwrite").status_code == 404  # read-only
    other = par.access_uri.replace("report.pdf", "other.pdf")
    assert requests.get(emulator.base_url + other).status_code == 404
    assert requests.get(emulator.base_url + "/p/not-a-token/n/x/b/y/o/z").status_code == 404
    assert [p.name for p in osc.list_preauthenticated_requests(ns, bucket.name).data] == ["short"]
    got = osc.get_preauthenticated_request(ns, bucket.name, par.id).data
    assert got.object_name == "shared/report.pdf" and got.access_type == "ObjectRead"
    emulator.clock.advance(max(0.0, par.time_expires.timestamp() - emulator.clock.now()) + 0.1)  # it expires
    r = requests.get(emulator.base_url + par.access_uri)
    assert r.status_code == 404 and r.json()["code"] == "NotAuthorizedOrNotFound"

    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.create_preauthenticated_request(ns, bucket.name, OM.CreatePreauthenticatedRequestDetails(
            name="past", access_type="ObjectRead", object_name="x", time_expires=_expiry(-10)))
    assert e.value.status == 400


def test_write_and_listing_pars(emulator, osc, ns, bucket):
    w = osc.create_preauthenticated_request(ns, bucket.name, OM.CreatePreauthenticatedRequestDetails(
        name="drop", access_type="AnyObjectReadWrite", bucket_listing_action="ListObjects",
        time_expires=_expiry(300))).data
    assert w.access_uri.endswith(f"/b/{bucket.name}/o/")
    base = emulator.base_url + "/object_storage" + w.access_uri
    assert requests.put(base + "inbox/a.txt", data=b"from outside", headers={"content-type": "text/plain"}
                        ).status_code == 200
    assert requests.put(base + "inbox/b.txt", data=b"second").status_code == 200
    assert osc.get_object(ns, bucket.name, "inbox/a.txt").data.content == b"from outside"
    assert requests.get(base + "inbox/b.txt").content == b"second"
    listing = requests.get(base, params={"prefix": "inbox/"}).json()
    assert [o["name"] for o in listing["objects"]] == ["inbox/a.txt", "inbox/b.txt"]
    osc.delete_preauthenticated_request(ns, bucket.name, w.id)
    assert requests.get(base + "inbox/b.txt").status_code == 404

    only_write = osc.create_preauthenticated_request(ns, bucket.name, OM.CreatePreauthenticatedRequestDetails(
        name="upload-only", access_type="ObjectWrite", object_name="upload.bin", time_expires=_expiry(300))).data
    url = emulator.base_url + only_write.access_uri
    assert requests.put(url, data=b"\x00\x01").status_code == 200
    assert requests.get(url).status_code == 404
    assert osc.get_object(ns, bucket.name, "upload.bin").data.content == b"\x00\x01"


# ---------------------------------------------------------------- public buckets

def _unsigned(emulator, method: str, ns: str, bucket: str, name: str | None = None, region: str | None = None,
              **kw):
    prefix = f"/{region}" if region else ""
    path = f"/object_storage/n/{ns}/b/{bucket}/o" + (f"/{name}" if name is not None else "")
    return requests.request(method, emulator.base_url + prefix + path, **kw)


def test_public_buckets_serve_reads_without_a_signature(emulator, osc, ns, oci_config):
    tenancy = oci_config["tenancy"]
    for name, access in (("pub-read", "ObjectRead"), ("pub-nolist", "ObjectReadWithoutList"),
                         ("private", "NoPublicAccess")):
        b = osc.create_bucket(ns, OM.CreateBucketDetails(name=name, compartment_id=tenancy,
                                                         public_access_type=access)).data
        assert b.public_access_type == access
        osc.put_object(ns, name, "site/index.html", b"<h1>hello</h1>", content_type="text/html")

    r = _unsigned(emulator, "GET", ns, "pub-read", "site/index.html")
    assert r.status_code == 200 and r.content == b"<h1>hello</h1>", r.text
    assert r.headers["content-type"] == "text/html" and r.headers["etag"]
    r = _unsigned(emulator, "GET", ns, "pub-read", "site/index.html", headers={"range": "bytes=4-8"})
    assert r.status_code == 206 and r.content == b"hello"
    r = _unsigned(emulator, "HEAD", ns, "pub-read", "site/index.html")
    assert r.status_code == 200 and r.headers["content-length"] == "14"
    listing = _unsigned(emulator, "GET", ns, "pub-read", params={"prefix": "site/"})
    assert listing.status_code == 200 and [o["name"] for o in listing.json()["objects"]] == ["site/index.html"]
    missing = _unsigned(emulator, "GET", ns, "pub-read", "nope.txt")
    assert (missing.status_code, missing.json()["code"]) == (404, "ObjectNotFound")

    # without list: objects yes, the listing no
    assert _unsigned(emulator, "GET", ns, "pub-nolist", "site/index.html").content == b"<h1>hello</h1>"
    assert _unsigned(emulator, "HEAD", ns, "pub-nolist", "site/index.html").status_code == 200
    r = _unsigned(emulator, "GET", ns, "pub-nolist")
    assert (r.status_code, r.json()["code"]) == (401, "NotAuthenticated")

    # private buckets, unknown buckets and namespaces, and every write stay signed
    for args in (("GET", ns, "private", "site/index.html"), ("HEAD", ns, "private", "site/index.html"),
                 ("GET", ns, "private"), ("GET", ns, "no-such-bucket", "x"), ("GET", "wrongns", "pub-read", "x"),
                 ("PUT", ns, "pub-read", "new.txt"), ("DELETE", ns, "pub-read", "site/index.html"),
                 ("GET", ns, "pub-read", None, "us-phoenix-1")):
        r = _unsigned(emulator, *args)
        assert r.status_code == 401, (args, r.status_code, r.text)
        if args[0] != "HEAD":
            assert r.json()["code"] == "NotAuthenticated"
    assert osc.get_object(ns, "pub-read", "site/index.html").status == 200  # still there
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.get_object(ns, "pub-read", "new.txt")
    assert err(e) == (404, "ObjectNotFound")

    # a signature, when given, is still checked
    r = _unsigned(emulator, "GET", ns, "pub-read", "site/index.html", headers={"authorization": "Signature x"})
    assert r.status_code == 401


def test_making_a_bucket_private_again_takes_effect_at_once(emulator, osc, ns, oci_config, raw):
    osc.create_bucket(ns, OM.CreateBucketDetails(name="flip", compartment_id=oci_config["tenancy"],
                                                 public_access_type="ObjectRead"))
    osc.put_object(ns, "flip", "a.txt", b"a")
    assert _unsigned(emulator, "GET", ns, "flip", "a.txt").status_code == 200
    osc.update_bucket(ns, "flip", OM.UpdateBucketDetails(public_access_type="NoPublicAccess"))
    assert _unsigned(emulator, "GET", ns, "flip", "a.txt").status_code == 401
    assert _unsigned(emulator, "GET", ns, "flip").status_code == 401
    osc.update_bucket(ns, "flip", OM.UpdateBucketDetails(public_access_type="ObjectReadWithoutList"))
    assert _unsigned(emulator, "GET", ns, "flip", "a.txt").content == b"a"
    assert _unsigned(emulator, "GET", ns, "flip").status_code == 401
    # a renamed public bucket is public under its new name only
    osc.update_bucket(ns, "flip", OM.UpdateBucketDetails(name="flipped"))
    assert _unsigned(emulator, "GET", ns, "flipped", "a.txt").content == b"a"
    assert _unsigned(emulator, "GET", ns, "flip", "a.txt").status_code == 401
    # an access type OCI does not have is a 400, never a 5xx
    r = raw.post(emulator.endpoint("object_storage") + f"/n/{ns}/b/flipped",
                json={"publicAccessType": "EveryoneWrite"})
    assert r.status_code == 400 and r.json()["code"] in ("InvalidParameter", "InvalidParameterValue"), r.text


def test_demo_public_bucket_serves_its_site(emulator, ns):
    r = _unsigned(emulator, "GET", ns, "app-assets", "index.html")
    assert r.status_code == 200 and b"Welcome to ACME" in r.content
    assert _unsigned(emulator, "GET", ns, "app-assets").status_code == 401  # ObjectReadWithoutList
    assert _unsigned(emulator, "GET", ns, "db-backups", "README.txt").status_code == 401


# ---------------------------------------------------------------- replication

def test_replication_copies_new_objects_to_the_other_region(emulator, osc, ns, bucket, oci_config):
    phx = os_client(emulator, oci_config, "us-phoenix-1")
    phx.create_bucket(ns, OM.CreateBucketDetails(name="replica", compartment_id=oci_config["tenancy"]))
    osc.put_object(ns, bucket.name, "before.txt", b"written before the policy")
    pol = osc.create_replication_policy(ns, bucket.name, OM.CreateReplicationPolicyDetails(
        name="to-phoenix", destination_region_name="us-phoenix-1", destination_bucket_name="replica")).data
    assert pol.status == "ACTIVE" and pol.destination_bucket_name == "replica"
    assert osc.get_bucket(ns, bucket.name).data.replication_enabled is True
    assert phx.get_bucket(ns, "replica").data.is_read_only is True
    osc.put_object(ns, bucket.name, "after.txt", b"replicated", opc_meta={"m": "1"})
    got = phx.get_object(ns, "replica", "after.txt")
    assert got.data.content == b"replicated" and got.headers["opc-meta-m"] == "1"
    assert [o.name for o in phx.list_objects(ns, "replica").data.objects] == ["after.txt"]  # only new objects
    with pytest.raises(oci.exceptions.ServiceError) as e:
        phx.put_object(ns, "replica", "direct.txt", b"x")
    assert e.value.status == 409
    sources = phx.list_replication_sources(ns, "replica").data
    assert [(s.policy_name, s.source_region_name, s.source_bucket_name) for s in sources] == [
        ("to-phoenix", "us-ashburn-1", bucket.name)]
    osc.delete_object(ns, bucket.name, "after.txt")
    assert phx.list_objects(ns, "replica").data.objects == []
    assert [p.name for p in osc.list_replication_policies(ns, bucket.name).data] == ["to-phoenix"]
    assert osc.get_replication_policy(ns, bucket.name, pol.id).data.name == "to-phoenix"
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.create_replication_policy(ns, bucket.name, OM.CreateReplicationPolicyDetails(
            name="bad", destination_region_name="us-phoenix-1", destination_bucket_name="missing"))
    assert e.value.status == 400
    osc.delete_replication_policy(ns, bucket.name, pol.id)
    assert phx.get_bucket(ns, "replica").data.is_read_only is True  # until made writable, as in OCI
    phx.make_bucket_writable(ns, "replica")
    phx.put_object(ns, "replica", "direct.txt", b"x")


# ---------------------------------------------------------------- lifecycle

def _age(emulator, bucket_id: str, name: str, days: float) -> None:
    """Pretend an object was written `days` ago (the emulator applies lifecycle rules on reads)."""
    store = emulator.store
    with store.transaction():
        for d in store.by_field("osobject", "_key", f"{bucket_id}/{name}"):
            t = d["_mtime"] - days * 86400
            store.update("osobject", d["id"], {"_mtime": t})


def test_lifecycle_rules_apply_when_listing(emulator, osc, ns, bucket):
    for n in ("tmp/a", "tmp/b", "logs/old.log", "logs/new.log", "keep.txt"):
        osc.put_object(ns, bucket.name, n, n.encode())
    rules = [
        OM.ObjectLifecycleRule(name="purge-tmp", action="DELETE", time_amount=7, time_unit="DAYS", is_enabled=True,
                               object_name_filter=OM.ObjectNameFilter(inclusion_prefixes=["tmp/"])),
        OM.ObjectLifecycleRule(name="archive-logs", action="ARCHIVE", time_amount=30, time_unit="DAYS",
                               is_enabled=True, object_name_filter=OM.ObjectNameFilter(
                                   inclusion_patterns=["logs/*.log"], exclusion_patterns=["*new*"])),
        OM.ObjectLifecycleRule(name="abort-uploads", action="ABORT", target="multipart-uploads", time_amount=1,
                               time_unit="DAYS", is_enabled=True),
        OM.ObjectLifecycleRule(name="disabled", action="DELETE", time_amount=1, time_unit="DAYS", is_enabled=False),
    ]
    put = osc.put_object_lifecycle_policy(ns, bucket.name, OM.PutObjectLifecyclePolicyDetails(items=rules))
    assert [r.name for r in put.data.items] == [r.name for r in rules] and put.headers["etag"]
    assert osc.get_bucket(ns, bucket.name).data.object_lifecycle_policy_etag == put.headers["etag"]
    assert osc.get_object_lifecycle_policy(ns, bucket.name).data.items[0].object_name_filter.inclusion_prefixes == [
        "tmp/"]
    up = osc.create_multipart_upload(ns, bucket.name, OM.CreateMultipartUploadDetails(object="stale")).data
    osc.upload_part(ns, bucket.name, "stale", up.upload_id, 1, b"stale part")
    with emulator.store.transaction():
        emulator.store.update("osupload", up.upload_id, {"_mtime": time.time() - 2 * 86400})
    _age(emulator, bucket.id, "tmp/a", 8)
    _age(emulator, bucket.id, "tmp/b", 3)
    _age(emulator, bucket.id, "logs/old.log", 40)
    _age(emulator, bucket.id, "logs/new.log", 40)
    _age(emulator, bucket.id, "keep.txt", 400)
    listed = osc.list_objects(ns, bucket.name, fields="name,storageTier,archivalState").data.objects
    assert {o.name: (o.storage_tier, o.archival_state) for o in listed} == {
        "tmp/b": ("Standard", None), "logs/old.log": ("Archive", "Archived"), "logs/new.log": ("Standard", None),
        "keep.txt": ("Standard", None)}
    assert osc.list_multipart_uploads(ns, bucket.name).data == []
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.get_object(ns, bucket.name, "logs/old.log")
    assert err(e) == (409, "NotRestored")
    assert osc.restore_objects(ns, bucket.name, OM.RestoreObjectsDetails(object_name="logs/old.log", hours=2)
                               ).status == 202
    assert osc.get_object(ns, bucket.name, "logs/old.log").data.content == b"logs/old.log"
    osc.update_object_storage_tier(ns, bucket.name, OM.UpdateObjectStorageTierDetails(
        object_name="keep.txt", storage_tier="InfrequentAccess"))
    assert osc.head_object(ns, bucket.name, "keep.txt").headers["storage-tier"] == "InfrequentAccess"

    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.put_object_lifecycle_policy(ns, bucket.name, OM.PutObjectLifecyclePolicyDetails(items=[
            OM.ObjectLifecycleRule(name="bad", action="ABORT", time_amount=1, time_unit="DAYS", is_enabled=True)]))
    assert e.value.status == 400
    osc.delete_object_lifecycle_policy(ns, bucket.name)
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.get_object_lifecycle_policy(ns, bucket.name)
    assert e.value.status == 404


# ---------------------------------------------------------------- bytes on disk

def test_bytes_live_on_disk_and_are_freed(emulator, osc, ns, bucket):
    before = blob_files(emulator)
    osc.put_object(ns, bucket.name, "one", b"1" * 1000)
    osc.put_object(ns, bucket.name, "two", b"2" * 2000)
    made = sorted(set(blob_files(emulator)) - set(before))
    assert sorted(os.path.getsize(p) for p in made) == [1000, 2000]
    osc.put_object(ns, bucket.name, "one", b"1" * 10)  # an overwrite frees the old bytes
    assert len(blob_files(emulator)) == len(before) + 2
    osc.delete_object(ns, bucket.name, "one")
    osc.delete_object(ns, bucket.name, "two")
    assert blob_files(emulator) == before
    osc.delete_bucket(ns, bucket.name)
    assert not list((emulator.files_dir / "spool").glob("*"))


def test_a_failed_upload_leaves_nothing(emulator, osc, ns, bucket):
    before = blob_files(emulator)
    with pytest.raises(oci.exceptions.ServiceError):
        osc.put_object(ns, bucket.name, "x", b"abc", content_md5=md5_b64(b"other"))
    with pytest.raises(oci.exceptions.ServiceError):
        osc.put_object(ns, "no-such-bucket", "x", b"abc")
    assert blob_files(emulator) == before and not list((emulator.files_dir / "spool").glob("*"))


def test_files_of_an_in_memory_emulator_go_with_it(tmp_path):
    emu = make_emulator(tmp_path)
    files = emu.files_dir
    assert files.exists() and any((files / "object_storage").rglob("*"))  # the demo seed's objects
    emu.stop()
    assert not files.exists()


def test_100_mb_streams_through_without_buffering(osc, ns, bucket, tmp_path):
    """Upload and download 100 MB: memory traced during both stays far below the object's size."""
    import tracemalloc
    size = 100 * 1024 * 1024
    src = tmp_path / "big.bin"
    with open(src, "wb") as f:
        chunk = os.urandom(1024 * 1024)
        for _ in range(100):
            f.write(chunk)
    expect = hashlib.md5()
    for _ in range(100):
        expect.update(chunk)
    tracemalloc.start()
    try:
        with open(src, "rb") as f:
            put = osc.put_object(ns, bucket.name, "big.bin", f, content_md5=base64.b64encode(expect.digest()).decode())
        got = osc.get_object(ns, bucket.name, "big.bin")
        h = hashlib.md5()
        n = 0
        for part in got.data.raw.stream(1024 * 1024, decode_content=False):
            h.update(part)
            n += len(part)
        _cur, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert n == size and h.digest() == expect.digest()
    assert put.headers["opc-content-md5"] == base64.b64encode(expect.digest()).decode()
    assert peak < 20 * 1024 * 1024, f"peak traced memory {peak / 1e6:.1f} MB"


# ---------------------------------------------------------------- seed and persistence

def test_demo_seed_has_buckets_with_objects(emulator, osc, ns, oci_config):
    idc = oci.identity.IdentityClient(oci_config, service_endpoint=emulator.endpoint("identity"),
                                      signer=signer_for(oci_config), **NO_RETRY)
    comps = [oci_config["tenancy"]] + [c.id for c in idc.list_compartments(
        oci_config["tenancy"], compartment_id_in_subtree=True).data]
    buckets = {b.name for c in comps for b in osc.list_buckets(ns, c).data}
    assert {"app-assets", "db-backups"} <= buckets
    top = osc.list_objects(ns, "app-assets", delimiter="/").data
    assert "releases/" in top.prefixes and "index.html" in [o.name for o in top.objects]
    assert osc.get_object(ns, "app-assets", "index.html").data.content.startswith(b"<!doctype html>")
    assert osc.get_bucket(ns, "db-backups").data.versioning == "Enabled"
    readme = [v for v in osc.list_object_versions(ns, "db-backups").data.items if v.name == "README.txt"]
    assert len(readme) == 2


def test_objects_and_their_bytes_survive_a_restart(tmp_path):
    state = str(tmp_path / "state.sqlite")
    first = make_emulator(tmp_path, state=state, seed="empty")
    try:
        cfg = first.client_config()
        osc = os_client(first, cfg)
        ns = osc.get_namespace().data
        osc.create_bucket(ns, OM.CreateBucketDetails(name="kept", compartment_id=cfg["tenancy"]))
        osc.put_object(ns, "kept", "a/b.txt", b"survives restarts", opc_meta={"x": "y"})
        up = osc.create_multipart_upload(ns, "kept", OM.CreateMultipartUploadDetails(object="mp")).data
        e1 = osc.upload_part(ns, "kept", "mp", up.upload_id, 1, b"part one ").headers["etag"]
        e2 = osc.upload_part(ns, "kept", "mp", up.upload_id, 2, b"part two").headers["etag"]
        osc.commit_multipart_upload(ns, "kept", "mp", up.upload_id, OM.CommitMultipartUploadDetails(
            parts_to_commit=[OM.CommitMultipartUploadPartDetails(part_num=1, etag=e1),
                             OM.CommitMultipartUploadPartDetails(part_num=2, etag=e2)]))
        assert first.files_dir == tmp_path / "state.sqlite.files"
    finally:
        first.stop()
    # a stray file (as a crash between writing and committing would leave) is collected at start
    stray = tmp_path / "state.sqlite.files" / "object_storage" / "ff" / ("ff" + "0" * 30)
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"orphan")
    second = make_emulator(tmp_path, state=state, seed="empty")
    try:
        osc = os_client(second, cfg)
        got = osc.get_object(ns, "kept", "a/b.txt")
        assert got.data.content == b"survives restarts" and got.headers["opc-meta-x"] == "y"
        assert osc.get_object(ns, "kept", "mp").data.content == b"part one part two"
        assert not stray.exists()
        assert second.core.strict_violations == []
    finally:
        second.stop()


def test_compartment_of_a_bucket_must_exist(osc, ns, oci_config, emulator):
    idc = oci.identity.IdentityClient(oci_config, service_endpoint=emulator.endpoint("identity"),
                                      signer=signer_for(oci_config), **NO_RETRY)
    comp = idc.create_compartment(IM.CreateCompartmentDetails(compartment_id=oci_config["tenancy"], name="os-comp",
                                                               description="d")).data
    osc.create_bucket(ns, OM.CreateBucketDetails(name="in-comp", compartment_id=comp.id))
    assert [b.name for b in osc.list_buckets(ns, comp.id).data] == ["in-comp"]
    with pytest.raises(oci.exceptions.ServiceError) as e:
        osc.create_bucket(ns, OM.CreateBucketDetails(name="nowhere", compartment_id="ocid1.compartment.oc1..nope"))
    assert e.value.status == 404


# ---------------------------------------------------------------- the oci CLI

@pytest.mark.cli
def test_oci_cli_namespace_bucket_put_and_get(emulator, tmp_path):
    from .helpers import run_oci
    cfg = emulator.write_config(tmp_path / "config")
    ep = emulator.endpoint("object_storage")
    ns = run_oci(cfg, ep, "os", "ns", "get")["data"]
    assert ns == os_client(emulator, emulator.client_config()).get_namespace().data
    made = run_oci(cfg, ep, "os", "bucket", "create", "--namespace", ns, "--name", "cli-bucket",
                    "--compartment-id", emulator.tenancy_id, "--versioning", "Enabled")["data"]
    assert made["name"] == "cli-bucket" and made["versioning"] == "Enabled"
    small = tmp_path / "small.txt"
    small.write_bytes(b"hello from the oci CLI\n")
    put = run_oci(cfg, ep, "os", "object", "put", "--namespace", ns, "--bucket-name", "cli-bucket",
                   "--file", str(small), "--name", "docs/small.txt", "--content-type", "text/plain")
    assert put["opc-content-md5"] == md5_b64(small.read_bytes())
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(2 * 1024 * 1024 + 4321))
    put = run_oci(cfg, ep, "os", "object", "put", "--namespace", ns, "--bucket-name", "cli-bucket",
                   "--file", str(big), "--name", "big.bin", "--part-size", "1")
    assert put["opc-multipart-md5"].endswith("-3")
    for name, src in (("docs/small.txt", small), ("big.bin", big)):
        dest = tmp_path / ("got-" + src.name)
        run_oci(cfg, ep, "os", "object", "get", "--namespace", ns, "--bucket-name", "cli-bucket", "--name", name,
                 "--file", str(dest))
        assert dest.read_bytes() == src.read_bytes()
    listed = run_oci(cfg, ep, "os", "object", "list", "--namespace", ns, "--bucket-name", "cli-bucket")["data"]
    assert [o["name"] for o in listed] == ["big.bin", "docs/small.txt"]
