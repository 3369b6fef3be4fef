"""Object Storage (`/object_storage`, ObjectStorageClient): namespace, buckets, objects with
versions, multipart uploads, pre-authenticated requests, replication, lifecycle policies and
the work requests of object copies.

Object bytes live on disk under the emulator's files directory (next to the state file, or a
temp dir), never in memory: uploads arrive as a `SpooledBody` (written to disk by the pipeline
before the state lock is taken) and are adopted by a rename; downloads stream from the files.
An object is a list of segments `[[blob, size], ...]`: one for a simple upload, one per part
for a committed multipart upload (a commit concatenates nothing). Files are removed only once
the transaction that dropped them is committed, and files written by a request that fails are
removed on rollback.

Layout of the documents: `osbucket` (one per bucket; `_key` = "<region>/<name>"), `osobject`
(one per object version; `_bucket`, `_key` = "<bucket id>/<name>", `_latest`), `osupload` and
`ospart` (multipart uploads and their parts), `ospar` (pre-authenticated requests; `_token`),
`osreplication` (replication policies), `oswr` (work requests), `_osgone` (per bucket: the lifetimes of
removed object versions, so its StoredBytes/ObjectCount metrics have a history; see `usage_events`).

Buckets whose publicAccessType is ObjectRead serve GetObject, HeadObject and ListObjects to unsigned
callers (ObjectReadWithoutList: GetObject and HeadObject), declared with `svc.unsigned`.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import os
import re
import secrets
import shutil
import uuid
from pathlib import Path
from urllib.parse import unquote

import crc32c

from .. import service_logs
from ..protocol import ApiError, conflict, http_date, invalid, parse_ts, ts
from ..registry import Context, Result, Service

svc = Service("object_storage")

CHUNK = 1024 * 1024
MAX_OBJECT_NAME = 1024
MAX_LIST = 1000
_BUCKET_RE = re.compile(r"^[A-Za-z0-9._-]{1,256}$")
_CONTENT_HEADERS = (("contentType", "content-type"), ("contentLanguage", "content-language"),
                    ("contentEncoding", "content-encoding"), ("contentDisposition", "content-disposition"),
                    ("cacheControl", "cache-control"))
READ_ACCESS = {"ObjectRead", "ObjectReadWrite", "AnyObjectRead", "AnyObjectReadWrite"}
WRITE_ACCESS = {"ObjectWrite", "ObjectReadWrite", "AnyObjectWrite", "AnyObjectReadWrite"}
DAY = 86400.0
HOUR = 3600.0
GONE_KIND = "_osgone"
GONE_MAX = 500  # lifetimes of removed versions kept per bucket (then merged by hour, by day, dropped)
GONE_KEEP = 90 * DAY  # metrics reach back 90 days: older removals no longer show anywhere


# ---------------------------------------------------------------- errors (OCI's codes)

def _bucket_not_found(name: str) -> ApiError:
    return ApiError(404, "BucketNotFound", f"Either the bucket named '{name}' does not exist in the namespace "
                    "or you are not authorized to access it")


def _object_not_found(bucket: str, name: str) -> ApiError:
    return ApiError(404, "ObjectNotFound", f"The object '{name}' was not found in the bucket '{bucket}'")


def _if_match_failed(what: str = "object") -> ApiError:
    return ApiError(412, "IfMatchFailed", f"The If-Match header does not match the ETag of the {what}")


def _if_none_match_failed(what: str = "object") -> ApiError:
    return ApiError(412, "IfNoneMatchFailed", f"The If-None-Match header matches the ETag of the {what}: "
                    "it already exists")


# ---------------------------------------------------------------- namespace

def namespace_of(tenancy_id: str) -> str:
    """The tenancy's Object Storage namespace: 12 lower-case letters and digits, stable per tenancy."""
    digest = hashlib.sha256(("ns:" + tenancy_id).encode()).digest()
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "ax" + "".join(alphabet[b % 36] for b in digest[:10])


def _check_ns(ctx: Context) -> str:
    ns = namespace_of(ctx.tenancy_id)
    if ctx.path.get("namespaceName") != ns:
        raise ApiError(404, "NamespaceNotFound", f"You do not have authorization to perform this request, or the "
                       f"namespace '{ctx.path.get('namespaceName')}' does not exist")
    return ns


# ---------------------------------------------------------------- files

def blob_dir(core) -> Path:
    if core.files_dir is None:
        raise RuntimeError("the emulator has no files directory")
    return Path(core.files_dir) / "object_storage"


def blob_path(core, blob: str) -> Path:
    return blob_dir(core) / blob[:2] / blob


def _new_blob_path(core) -> tuple[str, Path]:
    blob = uuid.uuid4().hex
    path = blob_path(core, blob)
    path.parent.mkdir(parents=True, exist_ok=True)
    return blob, path


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def adopt(ctx_or_core, spooled) -> str:
    """Keep an uploaded body as a new blob (removed again if the request fails)."""
    core = getattr(ctx_or_core, "core", ctx_or_core)
    blob, path = _new_blob_path(core)
    spooled.adopt(str(path))
    core.store.on_rollback(lambda: _unlink(path))
    return blob


def write_blob(core, data: bytes) -> str:
    """A new blob holding `data` (seeds)."""
    blob, path = _new_blob_path(core)
    path.write_bytes(data)
    core.store.on_rollback(lambda: _unlink(path))
    return blob


def _clone_blob(core, blob: str) -> str:
    """An independent copy of a blob (a hard link where the filesystem allows)."""
    new, path = _new_blob_path(core)
    src = blob_path(core, blob)
    try:
        os.link(src, path)
    except OSError:
        shutil.copyfile(src, path)
    core.store.on_rollback(lambda: _unlink(path))
    return new


def _free(core, segments) -> None:
    """Remove blobs once the transaction that dropped them commits."""
    paths = [blob_path(core, b) for b, _size in segments or []]
    if paths:
        core.store.after_commit(lambda: [_unlink(p) for p in paths])


class BlobStream:
    """Bytes `start..start+length` of an object's segments, read in chunks; files are opened lazily
    except the first one (opened now, so a concurrent delete cannot pull it away)."""

    def __init__(self, core, segments, start: int, length: int):
        self._core = core
        self._plan = []
        off = start
        for blob, size in segments:
            if off >= size:
                off -= size
                continue
            self._plan.append((blob, off, size - off))
            off = 0
        self._left = length
        self._first = open(blob_path(core, self._plan[0][0]), "rb") if self._plan and length > 0 else None

    def __iter__(self):
        try:
            for i, (blob, off, avail) in enumerate(self._plan):
                if self._left <= 0:
                    break
                f = self._first if i == 0 else open(blob_path(self._core, blob), "rb")
                try:
                    f.seek(off)
                    take = min(avail, self._left)
                    while take > 0:
                        chunk = f.read(min(CHUNK, take))
                        if not chunk:
                            return
                        take -= len(chunk)
                        self._left -= len(chunk)
                        yield chunk
                finally:
                    f.close()
        finally:
            self.close()

    def close(self) -> None:
        if self._first is not None:
            self._first.close()
            self._first = None


# ---------------------------------------------------------------- buckets

def _bucket(ctx: Context, name: str | None = None, region: str | None = None) -> dict:
    _check_ns(ctx)
    name = name if name is not None else ctx.path["bucketName"]
    docs = ctx.store.by_field("osbucket", "_key", f"{region or ctx.region}/{name}")
    if not docs:
        raise _bucket_not_found(name)
    return docs[0]


def find_bucket(store, region: str, name: str) -> dict | None:
    docs = store.by_field("osbucket", "_key", f"{region}/{name}")
    return docs[0] if docs else None


def _bucket_view(ctx: Context, b: dict, fields=()) -> dict:
    d = {k: v for k, v in b.items() if not k.startswith("_")}
    d["etag"] = d["_etag"] = b["_etag"]
    if b.get("_lifecycle"):
        d["objectLifecyclePolicyEtag"] = b["_lifecycle"]["etag"]
    fields = set(_fields(fields))
    if fields & {"approximateCount", "approximateSize"}:
        live = [o for o in _versions(ctx.store, b) if not o.get("isDeleteMarker")]
        d["approximateCount"] = len(live)
        d["approximateSize"] = sum(o.get("size") or 0 for o in live)
    return d


def _check_bucket_name(name: str) -> str:
    if not isinstance(name, str) or not _BUCKET_RE.match(name):
        raise invalid(f"Invalid bucket name '{str(name)[:60]}': 1-256 letters, digits, '-', '_' or '.'")
    return name


def _check_bucket_if(ctx: Context, b: dict) -> None:
    want = ctx.headers.get("if-match")
    if want and want != "*" and want != b["_etag"]:
        raise _if_match_failed("bucket")


def _not_modified(ctx: Context, etag: str) -> bool:
    none = ctx.headers.get("if-none-match")
    return bool(none) and (none == "*" or none == etag)


@svc.op("get_namespace")
def get_namespace(ctx: Context):
    if ctx.query.get("compartmentId"):
        ctx.compartment(ctx.query["compartmentId"])
    return namespace_of(ctx.tenancy_id)


def _ns_meta(ctx: Context) -> dict:
    m = ctx.store.meta("object_storage_namespace") or {}
    return {"namespace": namespace_of(ctx.tenancy_id),
            "defaultS3CompartmentId": m.get("defaultS3CompartmentId", ctx.tenancy_id),
            "defaultSwiftCompartmentId": m.get("defaultSwiftCompartmentId", ctx.tenancy_id)}


@svc.op("get_namespace_metadata")
def get_namespace_metadata(ctx: Context):
    _check_ns(ctx)
    return _ns_meta(ctx)


@svc.op("update_namespace_metadata")
def update_namespace_metadata(ctx: Context):
    _check_ns(ctx)
    m = dict(ctx.store.meta("object_storage_namespace") or {})
    for k in ("defaultS3CompartmentId", "defaultSwiftCompartmentId"):
        if (ctx.body or {}).get(k):
            m[k] = ctx.compartment(ctx.body[k], k)["id"]
    ctx.store.set_meta("object_storage_namespace", m)
    return _ns_meta(ctx)


def new_bucket(target, *, region: str, namespace: str, name: str, compartment_id: str, created_by: str, now: float,
               ocid, storage_tier: str = "Standard", public_access: str = "NoPublicAccess",
               versioning: str = "Disabled", metadata: dict | None = None, tags: dict | None = None,
               events: bool = False, auto_tiering: str = "Disabled") -> dict:
    doc = {"id": ocid("bucket"), "_region": region, "_key": f"{region}/{name}", "namespace": namespace,
           "name": name, "compartmentId": compartment_id, "metadata": dict(metadata or {}), "createdBy": created_by,
           "timeCreated": ts(now), "publicAccessType": public_access, "storageTier": storage_tier,
           "objectEventsEnabled": events, "freeformTags": {}, "definedTags": {}, "versioning": versioning,
           "autoTiering": auto_tiering, "replicationEnabled": False, "isReadOnly": False}
    doc.update(tags or {})
    return target.store.put("osbucket", doc)


@svc.op("create_bucket")
def create_bucket(ctx: Context):
    ns = _check_ns(ctx)
    b = ctx.body
    name = _check_bucket_name(b["name"])
    comp = ctx.compartment(b["compartmentId"])
    if find_bucket(ctx.store, ctx.region, name) is not None:
        raise ApiError(409, "BucketAlreadyExists", f"Either the bucket '{name}' in namespace '{ns}' already exists "
                       "or you are not authorized to create it")
    tier = b.get("storageTier") or "Standard"
    if tier not in ("Standard", "Archive"):
        raise invalid(f"storageTier '{tier}' must be Standard or Archive")
    versioning = b.get("versioning") or "Disabled"
    if versioning not in ("Enabled", "Disabled"):
        raise invalid(f"versioning '{versioning}' must be Enabled or Disabled when a bucket is created")
    if tier == "Archive" and b.get("autoTiering") == "InfrequentAccess":
        raise invalid("Auto-tiering is not available for Archive buckets")
    who = ctx.principal.user_id if ctx.principal else ctx.store.meta("admin_user_id", ctx.tenancy_id)
    doc = new_bucket(ctx, region=ctx.region, namespace=ns, name=name, compartment_id=comp["id"], created_by=who,
                     now=ctx.now, ocid=ctx.new_id, storage_tier=tier,
                     public_access=b.get("publicAccessType") or "NoPublicAccess", versioning=versioning,
                     metadata=b.get("metadata"), tags=ctx.tags(b), events=bool(b.get("objectEventsEnabled")),
                     auto_tiering=b.get("autoTiering") or "Disabled")
    ctx.response_headers["location"] = f"/n/{ns}/b/{name}"
    return _bucket_view(ctx, doc)


@svc.op("get_bucket")
def get_bucket(ctx: Context):
    b = _bucket(ctx)
    _check_bucket_if(ctx, b)
    if _not_modified(ctx, b["_etag"]):
        return Result(status=304, headers={"etag": b["_etag"]}, raw=b"")
    return _bucket_view(ctx, b, ctx.query.get("fields"))


@svc.op("head_bucket")
def head_bucket(ctx: Context):
    b = _bucket(ctx)
    _check_bucket_if(ctx, b)
    status = 304 if _not_modified(ctx, b["_etag"]) else 200
    return Result(status=status, headers={"etag": b["_etag"]}, raw=b"")


@svc.op("list_buckets")
def list_buckets(ctx: Context):
    _check_ns(ctx)
    comp = ctx.compartment(ctx.query["compartmentId"])
    with_tags = "tags" in _fields(ctx.query.get("fields"))
    out = []
    for b in sorted(ctx.list("osbucket", comp["id"]), key=lambda d: d["name"]):
        d = _bucket_view(ctx, b)
        if not with_tags:
            d.pop("freeformTags", None)
            d.pop("definedTags", None)
        out.append(d)
    return out


@svc.op("update_bucket")
def update_bucket(ctx: Context):
    b = _bucket(ctx)
    _check_bucket_if(ctx, b)
    body = ctx.body or {}
    changes: dict = {}
    if body.get("namespace") not in (None, b["namespace"]):
        raise invalid("namespace cannot be changed")
    if body.get("name") not in (None, b["name"]):
        name = _check_bucket_name(body["name"])
        if find_bucket(ctx.store, ctx.region, name) is not None:
            raise ApiError(409, "BucketAlreadyExists", f"A bucket named '{name}' already exists")
        changes.update(name=name, _key=f"{ctx.region}/{name}")
    if body.get("compartmentId") is not None:
        changes["compartmentId"] = ctx.compartment(body["compartmentId"])["id"]
    if body.get("metadata") is not None:
        changes["metadata"] = dict(body["metadata"])
    for k in ("publicAccessType", "objectEventsEnabled", "autoTiering", "kmsKeyId"):
        if body.get(k) is not None:
            changes[k] = body[k]
    if body.get("versioning") is not None:
        if body["versioning"] not in ("Enabled", "Suspended"):
            raise invalid("versioning can be changed to Enabled or Suspended")
        if b["versioning"] == "Disabled" and body["versioning"] == "Suspended":
            raise invalid("versioning cannot be suspended on a bucket where it was never enabled")
        if body["versioning"] == "Enabled" and _replication_policies(ctx.store, b):
            raise conflict("Versioning cannot be enabled on a bucket that has a replication policy")
        changes["versioning"] = body["versioning"]
    changes.update(ctx.tags(body))
    return _bucket_view(ctx, ctx.update("osbucket", b["id"], changes))


@svc.op("delete_bucket")
def delete_bucket(ctx: Context):
    b = _bucket(ctx)
    _check_bucket_if(ctx, b)
    _apply_lifecycle(ctx.core, b)
    if _versions(ctx.store, b) or ctx.store.by_field("osupload", "_bucket", b["id"]):
        raise ApiError(409, "BucketNotEmpty", f"Bucket named '{b['name']}' is not empty. Delete all objects, "
                       "object versions and uncommitted multipart uploads first")
    if _replication_policies(ctx.store, b):
        raise conflict(f"Bucket named '{b['name']}' has a replication policy; delete it first")
    for par in ctx.store.by_field("ospar", "_bucket", b["id"]):
        ctx.delete("ospar", par["id"])
    ctx.delete(GONE_KIND, b["id"])
    ctx.delete("osbucket", b["id"])
    return None


@svc.op("make_bucket_writable")
def make_bucket_writable(ctx: Context):
    b = _bucket(ctx)
    if any(p["destinationBucketName"] == b["name"] and p["destinationRegionName"] == ctx.region
           for p in ctx.store.list("osreplication")):
        raise conflict("The bucket is the destination of a replication policy; delete the policy first")
    ctx.update("osbucket", b["id"], {"isReadOnly": False})
    return None


# ---------------------------------------------------------------- objects: helpers

def _versions(store, bucket: dict) -> list[dict]:
    return store.by_field("osobject", "_bucket", bucket["id"])


def _latest(store, bucket: dict, name: str) -> dict | None:
    for d in store.by_field("osobject", "_key", f"{bucket['id']}/{name}"):
        if d.get("_latest"):
            return d
    return None


def _object(ctx: Context, bucket: dict, name: str, version_id: str | None = None) -> dict:
    if version_id:
        d = ctx.store.get("osobject", version_id)
        if d is None or d["_bucket"] != bucket["id"] or d["name"] != name:
            raise ApiError(404, "ObjectNotFound", f"The version '{version_id}' of object '{name}' was not found")
        if d.get("isDeleteMarker"):
            raise ApiError(404, "ObjectNotFound", f"The version '{version_id}' of object '{name}' is a delete marker")
        return d
    d = _latest(ctx.store, bucket, name)
    if d is None or d.get("isDeleteMarker"):
        raise _object_not_found(bucket["name"], name)
    return d


def _check_object_name(name: str) -> str:
    if not name or len(name.encode()) > MAX_OBJECT_NAME or "\x00" in name:
        raise invalid("An object name must be 1-1024 bytes (UTF-8) without NUL characters")
    return name


def _check_conditions(ctx: Context, existing: dict | None, if_match: str | None = None,
                      if_none_match: str | None = None) -> None:
    """if-match / if-none-match for writes: 412 IfMatchFailed / IfNoneMatchFailed."""
    if_match = if_match if if_match is not None else ctx.headers.get("if-match")
    if_none_match = if_none_match if if_none_match is not None else ctx.headers.get("if-none-match")
    live = existing if existing is not None and not existing.get("isDeleteMarker") else None
    if if_match and (live is None or (if_match != "*" and if_match != live["etag"])):
        raise _if_match_failed()
    if if_none_match:
        if if_none_match != "*":
            raise invalid("The only value supported for If-None-Match on a write is '*'")
        if live is not None:
            raise _if_none_match_failed()


def _check_writable(bucket: dict) -> None:
    if bucket.get("isReadOnly"):
        raise conflict(f"The bucket '{bucket['name']}' is read-only (the destination of a replication policy)")


def _object_headers(d: dict) -> dict:
    h = {"etag": d["etag"], "last-modified": http_date(d["_mtime"]), "accept-ranges": "bytes",
         "storage-tier": d.get("storageTier", "Standard")}
    if d.get("_multipart"):
        h["opc-multipart-md5"] = d["md5"]
    else:
        h["opc-content-md5"] = d["md5"]
    if d.get("_crc32c"):
        h["opc-content-crc32c"] = d["_crc32c"]
    if d.get("archivalState"):
        h["archival-state"] = d["archivalState"]
    if d.get("_versioned"):
        h["version-id"] = d["id"]
    for key, header in _CONTENT_HEADERS:
        if d.get(key) and key != "contentType":
            h[header] = d[key]
    for k, v in (d.get("_meta") or {}).items():
        h[f"opc-meta-{k}"] = v
    return h


def _meta_from_headers(ctx: Context) -> dict:
    return {k[len("opc-meta-"):]: v for k, v in ctx.headers.items() if k.startswith("opc-meta-")}


def store_object(core, bucket: dict, name: str, segments: list, *, md5: str, multipart: bool = False,
                 content: dict | None = None, meta: dict | None = None, tier: str | None = None,
                 now: float, replicate: bool = True) -> dict:
    """Make `segments` the latest version of `name` in `bucket` (the bytes are owned by the new version).

    Without versioning the previous version and its bytes go; with it the previous one stays.
    """
    store = core.store
    old = _latest(store, bucket, name)
    versioned = bucket.get("versioning") == "Enabled"
    if old is not None:
        if versioned or (old.get("_versioned") and bucket.get("versioning") == "Suspended"):
            store.update("osobject", old["id"], {"_latest": False})
        else:
            _drop_version(core, old, now)
    tier = tier or bucket.get("storageTier", "Standard")
    doc = {"id": str(uuid.uuid4()), "_bucket": bucket["id"], "_key": f"{bucket['id']}/{name}", "name": name,
           "size": sum(s for _b, s in segments), "md5": md5, "etag": str(uuid.uuid4()), "timeCreated": ts(now),
           "timeModified": ts(now), "_mtime": now, "storageTier": tier, "_parts": [list(s) for s in segments],
           "_latest": True, "isDeleteMarker": False, "_multipart": multipart, "_versioned": versioned,
           "_meta": dict(meta or {}), "contentType": "application/octet-stream"}
    if tier == "Archive":
        doc["archivalState"] = "Archived"
    for key, _header in _CONTENT_HEADERS:
        if content and content.get(key):
            doc[key] = content[key]
    doc = store.put("osobject", doc)
    if replicate:
        _replicate_put(core, bucket, doc)
    return doc


def _remove_object(core, bucket: dict, name: str, now: float, replicate: bool = True) -> dict | None:
    """Delete the latest version of `name` (a delete marker when versioning is on). Returns the marker."""
    store = core.store
    old = _latest(store, bucket, name)
    if old is None or old.get("isDeleteMarker"):
        return None
    marker = None
    if bucket.get("versioning") == "Enabled":
        store.update("osobject", old["id"], {"_latest": False})
        marker = store.put("osobject", {
            "id": str(uuid.uuid4()), "_bucket": bucket["id"], "_key": f"{bucket['id']}/{name}", "name": name,
            "timeCreated": ts(now), "timeModified": ts(now), "_mtime": now, "_parts": [], "_latest": True,
            "isDeleteMarker": True, "_versioned": True, "etag": str(uuid.uuid4())})
    else:
        _drop_version(core, old, now)
    if replicate:
        _replicate_delete(core, bucket, name, now)
    return marker


def _delete_version(core, bucket: dict, doc: dict) -> None:
    store = core.store
    _drop_version(core, doc, core.clock.now())
    if doc.get("_latest"):
        rest = sorted(store.by_field("osobject", "_key", doc["_key"]), key=lambda d: d["_mtime"])
        if rest:
            store.update("osobject", rest[-1]["id"], {"_latest": True})


def _drop_version(core, doc: dict, now: float) -> None:
    """Delete an object version and (once committed) its bytes; remember its lifetime for the metrics."""
    _free(core, doc.get("_parts"))
    core.store.delete("osobject", doc["id"])
    if not doc.get("isDeleteMarker"):
        rec = core.store.get(GONE_KIND, doc["_bucket"])
        gone = [g for g in (rec or {}).get("gone", []) if g[1] > now - GONE_KEEP]
        gone.append([doc["_mtime"], now, doc.get("size") or 0, 1])
        core.store.put(GONE_KIND, {"id": doc["_bucket"], "gone": _compact_gone(gone)})


def _compact_gone(gone: list) -> list:
    """At most GONE_MAX [created, removed, bytes, objects] records: merged to the hour, then to the day
    (what lived less than that disappears), then the oldest removals dropped."""
    for step in (HOUR, DAY):
        if len(gone) <= GONE_MAX:
            return gone
        merged: dict = {}
        for created, removed, size, n in gone:
            key = (round(created / step) * step, round(removed / step) * step)
            if key[1] > key[0]:
                acc = merged.setdefault(key, [key[0], key[1], 0, 0])
                acc[2] += size
                acc[3] += n
        gone = sorted(merged.values(), key=lambda g: g[1])
    return gone[-GONE_MAX:]


def usage_events(store, bucket: dict) -> list[tuple[float, int, int]]:
    """(time, bytes, objects) changes of a bucket's contents over its life, from the documents alone: its
    object versions (delete markers hold nothing; parts of uncommitted multipart uploads do not count,
    as in OCI's StoredBytes/ObjectCount) and the versions removed since. The sums are `_bucket_view`'s
    approximateSize and approximateCount."""
    events = [(d["_mtime"], d.get("size") or 0, 1) for d in _versions(store, bucket) if not d.get("isDeleteMarker")]
    for created, removed, size, n in (store.get(GONE_KIND, bucket["id"]) or {}).get("gone", []):
        events.append((created, size, n))
        events.append((removed, -size, -n))
    return events


def _parse_range(value: str, size: int) -> tuple[int, int] | None:
    """(start, end inclusive) for a single `bytes=` range; None if the header is to be ignored."""
    m = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", value or "")
    if not m or (not m.group(1) and not m.group(2)):
        return None
    if m.group(1):
        start = int(m.group(1))
        end = int(m.group(2)) if m.group(2) else size - 1
        if m.group(2) and end < start:
            return None
        end = min(end, size - 1)
    else:
        n = int(m.group(2))
        if n == 0:
            raise ApiError(416, "InvalidRange", "The requested range is not satisfiable",
                           headers={"content-range": f"bytes */{size}"})
        start, end = max(0, size - n), size - 1
    if start >= size:
        raise ApiError(416, "InvalidRange", "The requested range is not satisfiable",
                       headers={"content-range": f"bytes */{size}"})
    return start, end


def serve_object(ctx: Context, d: dict, head: bool = False, overrides: dict | None = None) -> Result:
    """GET/HEAD of an object version: conditions, range, headers, streamed bytes."""
    headers = _object_headers(d)
    want = ctx.headers.get("if-match")
    if want and want != "*" and want != d["etag"]:
        raise _if_match_failed()
    if _not_modified(ctx, d["etag"]):
        return Result(status=304, headers=headers, raw=b"")
    if d.get("archivalState") in ("Archived", "Restoring") and not head:
        raise ApiError(409, "NotRestored", f"The object '{d['name']}' is archived; restore it before reading it")
    ctype = d.get("contentType") or "application/octet-stream"
    for q, key in (overrides or {}).items():
        if ctx.query.get(q):
            if key == "content-type":
                ctype = ctx.query[q]
            else:
                headers[key] = ctx.query[q]
    size = d["size"]
    start, end, status = 0, size - 1, 200
    rng = ctx.headers.get("range")
    if rng and size > 0:
        got = _parse_range(rng, size)
        if got is not None:
            start, end = got
            status = 206
            headers["content-range"] = f"bytes {start}-{end}/{size}"
    length = max(0, end - start + 1)
    if head:
        headers["content-length"] = str(size)
        return Result(status=200, headers=headers, raw=b"", content_type=ctype)
    return Result(status=status, headers=headers, content_type=ctype,
                  stream=BlobStream(ctx.core, d["_parts"], start, length), length=length)


_GET_OVERRIDES = {"httpResponseContentType": "content-type", "httpResponseContentDisposition": "content-disposition",
                  "httpResponseCacheControl": "cache-control", "httpResponseContentLanguage": "content-language",
                  "httpResponseContentEncoding": "content-encoding", "httpResponseExpires": "expires"}


def put_from_body(ctx: Context, bucket: dict, name: str) -> dict:
    """put_object's meaning (also used by write PARs): check, adopt the spooled body, store."""
    _check_object_name(name)
    _check_writable(bucket)
    body = ctx.raw_body
    declared = ctx.headers.get("content-md5")
    if declared and declared != body.md5:
        raise ApiError(400, "InvalidParameter", f"The computed MD5 of the request body ({body.md5}) does not match "
                       f"the Content-MD5 header ({declared})")
    tier = ctx.headers.get("storage-tier")
    if tier is not None and tier not in ("Standard", "InfrequentAccess", "Archive"):
        raise invalid(f"storage-tier '{tier}' must be Standard, InfrequentAccess or Archive")
    latest = _latest(ctx.store, bucket, name)
    _check_conditions(ctx, latest)
    check_retention(ctx.core, bucket, latest, "overwritten")
    crc = body_crc32c(ctx)
    content = {key: ctx.headers.get(header) for key, header in _CONTENT_HEADERS}
    blob = adopt(ctx, body)
    d = store_object(ctx.core, bucket, name, [[blob, body.size]], md5=body.md5, content=content,
                     meta=_meta_from_headers(ctx), tier=tier, now=ctx.now)
    if crc:
        d = ctx.store.update("osobject", d["id"], {"_crc32c": crc})
    return d


def _write_headers(d: dict) -> dict:
    h = {"etag": d["etag"], "last-modified": http_date(d["_mtime"])}
    h["opc-multipart-md5" if d.get("_multipart") else "opc-content-md5"] = d["md5"]
    if d.get("_crc32c"):
        h["opc-content-crc32c"] = d["_crc32c"]
    if d.get("_versioned"):
        h["version-id"] = d["id"]
    return h


# ---------------------------------------------------------------- public buckets

def _public_bucket(ctx: Context) -> dict | None:
    """The bucket of an unsigned request's path, if it exists (in this namespace and region)."""
    if ctx.path.get("namespaceName") != namespace_of(ctx.tenancy_id):
        return None
    return find_bucket(ctx.store, ctx.region, ctx.path.get("bucketName") or "")


@svc.unsigned("get_object", "head_object")
def _public_object_read(ctx: Context) -> bool:
    b = _public_bucket(ctx)
    return b is not None and b.get("publicAccessType") in ("ObjectRead", "ObjectReadWithoutList")


@svc.unsigned("list_objects")
def _public_listing(ctx: Context) -> bool:
    b = _public_bucket(ctx)
    return b is not None and b.get("publicAccessType") == "ObjectRead"


# ---------------------------------------------------------------- objects: operations

def _access_log(ctx: Context, b: dict, category: str, action: str, op: str, name: str, status: int,
                etag: str | None = None, par: bool = False) -> None:
    """The request into the bucket's enabled read or write log, if it has one (emulator/service_logs.py)."""
    if not service_logs.enabled_logs(ctx.store, ctx.region, "objectstorage", b["name"], category):
        return
    ns = namespace_of(ctx.tenancy_id)
    data = dict(service_logs.principal_of(ctx), apiType="native", bucketId=b["id"], bucketName=b["name"],
                compartmentId=b["compartmentId"], namespaceName=ns, objectName=name, region=ctx.region,
                requestAction=action, requestResourcePath=f"/n/{ns}/b/{b['name']}/o/{name}", statusCode=status,
                opcRequestId=ctx.headers.get("opc-request-id"), userAgent=ctx.headers.get("user-agent"),
                isPar=par, startTime=ctx.ts(), endTime=ctx.ts())
    if etag:
        data["eTag"] = etag
    service_logs.record(ctx.core, ctx.region, "objectstorage", b["name"], category,
                        f"com.oraclecloud.objectstorage.{op}", {k: v for k, v in data.items() if v is not None},
                        subject=name, resource_id=b["id"])


@svc.op("put_object")
def put_object(ctx: Context):
    b = _bucket(ctx)
    d = put_from_body(ctx, b, ctx.path["objectName"])
    _access_log(ctx, b, "write", "PUT", "putobject", d["name"], 200, d.get("etag"))
    return Result(status=200, headers=_write_headers(d), raw=b"")


@svc.op("get_object")
def get_object(ctx: Context):
    b = _bucket(ctx)
    _apply_lifecycle(ctx.core, b)
    d = _object(ctx, b, ctx.path["objectName"], ctx.query.get("versionId"))
    res = serve_object(ctx, d, overrides=_GET_OVERRIDES)
    _access_log(ctx, b, "read", "GET", "getobject", d["name"], res.status, d.get("etag"))
    return res


@svc.op("head_object")
def head_object(ctx: Context):
    b = _bucket(ctx)
    _apply_lifecycle(ctx.core, b)
    d = _object(ctx, b, ctx.path["objectName"], ctx.query.get("versionId"))
    res = serve_object(ctx, d, head=True)
    _access_log(ctx, b, "read", "HEAD", "headobject", d["name"], res.status, d.get("etag"))
    return res


@svc.op("delete_object")
def delete_object(ctx: Context):
    b = _bucket(ctx)
    _check_writable(b)
    name = ctx.path["objectName"]
    vid = ctx.query.get("versionId")
    headers = {"last-modified": http_date(ctx.now)}
    if vid:
        d = ctx.store.get("osobject", vid)
        if d is None or d["_bucket"] != b["id"] or d["name"] != name:
            raise ApiError(404, "ObjectNotFound", f"The version '{vid}' of object '{name}' was not found")
        want = ctx.headers.get("if-match")
        if want and want != "*" and want != d.get("etag"):
            raise _if_match_failed()
        check_retention(ctx.core, b, d, "deleted")
        _delete_version(ctx.core, b, d)
        headers.update({"version-id": vid, "is-delete-marker": "true" if d.get("isDeleteMarker") else "false"})
        return Result(status=204, headers=headers)
    latest = _latest(ctx.store, b, name)
    if latest is None or latest.get("isDeleteMarker"):
        raise _object_not_found(b["name"], name)
    _check_conditions(ctx, latest, if_none_match="")
    check_retention(ctx.core, b, latest, "deleted")
    marker = _remove_object(ctx.core, b, name, ctx.now)
    if marker is not None:
        headers.update({"version-id": marker["id"], "is-delete-marker": "true"})
    _access_log(ctx, b, "write", "DELETE", "deleteobject", name, 204)
    return Result(status=204, headers=headers)


def _name_filter(d: dict, q: dict) -> bool:
    name = d["name"]
    if q.get("prefix") and not name.startswith(q["prefix"]):
        return False
    if q.get("start") and name < q["start"]:
        return False
    if q.get("startAfter") and name <= q["startAfter"]:
        return False
    if q.get("end") and name >= q["end"]:
        return False
    return True


def _group(names_docs: list[dict], q: dict) -> tuple[list[dict], list[str]]:
    """Split by delimiter: documents directly under the prefix, and the sub-prefixes."""
    delim = q.get("delimiter")
    if not delim:
        return names_docs, []
    if delim != "/":
        raise invalid("Only '/' is supported as a delimiter")
    prefix = q.get("prefix") or ""
    out, prefixes = [], []
    seen = set()
    for d in names_docs:
        rest = d["name"][len(prefix):]
        cut = rest.find(delim)
        if cut >= 0:
            p = prefix + rest[:cut + 1]
            if p not in seen:
                seen.add(p)
                prefixes.append(p)
        else:
            out.append(d)
    return out, prefixes


_SUMMARY_FIELDS = ("name", "size", "etag", "md5", "timeCreated", "timeModified", "storageTier", "archivalState")


def _fields(value) -> list[str]:
    """The `fields` query parameter: a list, or a comma-separated string."""
    if not value:
        return []
    items = value.split(",") if isinstance(value, str) else value
    return [f.strip() for f in items if f.strip()]


def _user_meta(meta: dict | None) -> dict:
    """User metadata from a request body, whose keys carry the opc-meta- prefix (as the headers do)."""
    out = {}
    for k, v in (meta or {}).items():
        if not k.lower().startswith("opc-meta-"):
            raise invalid(f"metadata key '{k[:60]}' must start with 'opc-meta-'")
        out[k[len("opc-meta-"):].lower()] = v
    return out


def object_summary(d: dict, fields) -> dict:
    want = set(_fields(fields) or ("name",)) | {"name"}
    return {k: d[k] for k in _SUMMARY_FIELDS if k in want and d.get(k) is not None}


def list_names(store, bucket: dict, q: dict) -> dict:
    docs = sorted((d for d in _versions(store, bucket) if d.get("_latest") and not d.get("isDeleteMarker")
                   and _name_filter(d, q)), key=lambda d: d["name"])
    limit = min(int(q.get("limit") or MAX_LIST), MAX_LIST)
    objects, prefixes = [], []
    delim = q.get("delimiter")
    prefix = q.get("prefix") or ""
    seen = set()
    next_start = None
    count = 0
    for d in docs:
        rest = d["name"][len(prefix):]
        cut = rest.find(delim) if delim else -1
        if cut >= 0:
            p = prefix + rest[:cut + 1]
            if p in seen:
                continue
            if count >= limit:
                next_start = d["name"]
                break
            seen.add(p)
            prefixes.append(p)
        else:
            if count >= limit:
                next_start = d["name"]
                break
            objects.append(d)
        count += 1
    out = {"objects": [object_summary(d, q.get("fields")) for d in objects]}
    if delim:
        out["prefixes"] = prefixes
    if next_start is not None:
        out["nextStartWith"] = next_start
    return out


@svc.op("list_objects")
def list_objects(ctx: Context):
    b = _bucket(ctx)
    if ctx.query.get("delimiter") not in (None, "/"):
        raise invalid("Only '/' is supported as a delimiter")
    _apply_lifecycle(ctx.core, b)
    return list_names(ctx.store, b, ctx.query)


@svc.op("list_object_versions")
def list_object_versions(ctx: Context):
    b = _bucket(ctx)
    _apply_lifecycle(ctx.core, b)
    q = ctx.query
    docs = [d for d in _versions(ctx.store, b) if _name_filter(d, q)]
    docs.sort(key=lambda d: (d["name"], -d["_mtime"]))
    docs, prefixes = _group(docs, q)
    want = set(_fields(q.get("fields")) or _SUMMARY_FIELDS) | {"name", "versionId", "isDeleteMarker", "timeModified"}
    items = []
    for d in docs:
        v = {k: d[k] for k in _SUMMARY_FIELDS if k in want and d.get(k) is not None}
        v.update(versionId=d["id"], isDeleteMarker=bool(d.get("isDeleteMarker")), timeModified=d["timeModified"])
        items.append(v)
    out = {"items": items}
    if q.get("delimiter"):
        out["prefixes"] = prefixes
    return out


@svc.op("rename_object")
def rename_object(ctx: Context):
    b = _bucket(ctx)
    _check_writable(b)
    body = ctx.body
    src_name, new_name = body["sourceName"], _check_object_name(body["newName"])
    src = _object(ctx, b, src_name)
    if body.get("srcObjIfMatchETag") and body["srcObjIfMatchETag"] != src["etag"]:
        raise _if_match_failed("source object")
    _check_conditions(ctx, _latest(ctx.store, b, new_name), body.get("newObjIfMatchETag") or "",
                      body.get("newObjIfNoneMatchETag") or "")
    if new_name == src_name:
        return None
    check_retention(ctx.core, b, src, "renamed")
    check_retention(ctx.core, b, _latest(ctx.store, b, new_name), "overwritten")
    parts = [[_clone_blob(ctx.core, blob), size] for blob, size in src["_parts"]]
    content = {k: src.get(k) for k, _h in _CONTENT_HEADERS}
    store_object(ctx.core, b, new_name, parts, md5=src["md5"], multipart=src.get("_multipart", False),
                 content=content, meta=src.get("_meta"), tier=src.get("storageTier"), now=ctx.now)
    _remove_object(ctx.core, b, src_name, ctx.now)
    return None


@svc.op("restore_objects")
def restore_objects(ctx: Context):
    b = _bucket(ctx)
    body = ctx.body
    d = _object(ctx, b, body["objectName"], body.get("versionId"))
    if d.get("archivalState") != "Archived":
        if d.get("archivalState") in ("Restoring", "Restored"):
            return Result(status=202)
        raise invalid(f"The object '{d['name']}' is not archived")
    hours = body.get("hours") or 24
    if not 1 <= hours <= 240:
        raise invalid("hours must be between 1 and 240")
    ctx.update("osobject", d["id"], {"archivalState": "Restoring"})
    ctx.schedule("osobject", d["id"], {"archivalState": "Restored"}, steps=2, when_state=None)
    return Result(status=202)


@svc.op("update_object_storage_tier")
def update_object_storage_tier(ctx: Context):
    b = _bucket(ctx)
    body = ctx.body
    d = _object(ctx, b, body["objectName"], body.get("versionId"))
    tier = body["storageTier"]
    if tier not in ("Standard", "InfrequentAccess", "Archive"):
        raise invalid("storageTier must be Standard, InfrequentAccess or Archive")
    changes = {"storageTier": tier, "archivalState": "Archived" if tier == "Archive" else None}
    ctx.update("osobject", d["id"], changes)
    return None


# ---------------------------------------------------------------- copy (a work request)

@svc.op("copy_object")
def copy_object(ctx: Context):
    b = _bucket(ctx)
    body = ctx.body
    src = _object(ctx, b, body["sourceObjectName"], body.get("sourceVersionId"))
    if body.get("sourceObjectIfMatchETag") and body["sourceObjectIfMatchETag"] != src["etag"]:
        raise _if_match_failed("source object")
    dest_region = body["destinationRegion"]
    if dest_region not in ctx.core.regions():
        raise invalid(f"destinationRegion '{dest_region}' is not a region the tenancy is subscribed to")
    if body["destinationNamespace"] != namespace_of(ctx.tenancy_id):
        raise ApiError(404, "NamespaceNotFound", f"The namespace '{body['destinationNamespace']}' does not exist")
    dest = find_bucket(ctx.store, dest_region, body["destinationBucket"])
    if dest is None:
        raise _bucket_not_found(body["destinationBucket"])
    _check_writable(dest)
    name = _check_object_name(body["destinationObjectName"])
    _check_conditions(ctx, _latest(ctx.store, dest, name), body.get("destinationObjectIfMatchETag") or "",
                      body.get("destinationObjectIfNoneMatchETag") or "")
    tier = body.get("destinationObjectStorageTier")
    # the bytes are taken now; the destination object appears when the work request completes
    parts = [[_clone_blob(ctx.core, blob), size] for blob, size in src["_parts"]]
    meta = (_user_meta(body["destinationObjectMetadata"]) if body.get("destinationObjectMetadata") is not None
            else src.get("_meta"))
    wr = _start_wr(ctx, "COPY_OBJECT", b["compartmentId"], [
        {"actionType": "READ", "entityType": "object", "identifier": src["name"],
         "entityUri": f"/n/{b['namespace']}/b/{b['name']}/o/{src['name']}",
         "metadata": {"REGION": ctx.region, "NAMESPACE": b["namespace"], "BUCKET": b["name"]}},
        {"actionType": "WRITTEN", "entityType": "object", "identifier": name,
         "entityUri": f"/n/{dest['namespace']}/b/{dest['name']}/o/{name}",
         "metadata": {"REGION": dest_region, "NAMESPACE": dest["namespace"], "BUCKET": dest["name"]}}],
        {"bucket": dest["id"], "name": name, "parts": parts, "md5": src["md5"],
         "multipart": src.get("_multipart", False), "content": {k: src.get(k) for k, _h in _CONTENT_HEADERS},
         "meta": meta, "tier": tier})
    ctx.schedule("oswr", wr["id"], {}, steps=1, hook="object_storage.copy_done")
    return Result(status=202, headers={"opc-work-request-id": wr["id"]})


def _start_wr(ctx: Context, op_type: str, comp: str, resources: list[dict], pending: dict | None = None) -> dict:
    return ctx.put("oswr", {"id": ctx.new_id("objectstorageworkrequest"), "_region": ctx.region,
                            "operationType": op_type, "status": "ACCEPTED", "compartmentId": comp,
                            "resources": resources, "percentComplete": 0.0, "timeAccepted": ctx.ts(),
                            "_pending": pending, "_logs": [{"message": f"{op_type} accepted", "timestamp": ctx.ts()}],
                            "_errors": []})


@svc.hook("object_storage.copy_done")
def _copy_done(core, wr: dict, _args: dict) -> None:
    if not wr or not wr.get("_pending"):
        return
    now = core.clock.now()
    if wr["status"] == "CANCELING":
        _free(core, wr["_pending"]["parts"])
        core.store.update("oswr", wr["id"], {"_pending": None, "status": "CANCELED", "timeFinished": ts(now)})
        return
    p = wr["_pending"]
    dest = core.store.get("osbucket", p["bucket"])
    if dest is None:
        _free(core, p["parts"])
        core.store.update("oswr", wr["id"], {
            "status": "FAILED", "timeFinished": ts(now), "_pending": None,
            "_errors": [{"code": "BucketNotFound", "message": "The destination bucket was deleted",
                         "timestamp": ts(now)}]})
        return
    store_object(core, dest, p["name"], p["parts"], md5=p["md5"], multipart=p["multipart"], content=p["content"],
                 meta=p["meta"], tier=p["tier"], now=now)
    core.store.update("oswr", wr["id"], {
        "status": "COMPLETED", "percentComplete": 100.0, "timeFinished": ts(now), "_pending": None,
        "timeStarted": wr.get("timeStarted") or ts(now),
        "_logs": wr["_logs"] + [{"message": f"Copied to {dest['name']}/{p['name']}", "timestamp": ts(now)}]})




def _wr(ctx: Context) -> dict:
    d = ctx.find("oswr", ctx.path["workRequestId"])
    if d is None:
        raise ApiError(404, "NotAuthorizedOrNotFound", f"Work request {ctx.path['workRequestId']} not found")
    return d


@svc.op("get_work_request")
def get_work_request(ctx: Context):
    d = _wr(ctx)
    ctx.response_headers["retry-after"] = "1"
    return d


@svc.op("list_work_requests")
def list_work_requests(ctx: Context):
    comp = ctx.compartment(ctx.query["compartmentId"])
    return sorted(ctx.list("oswr", comp["id"]), key=lambda d: d["timeAccepted"], reverse=True)


@svc.op("list_work_request_errors")
def list_work_request_errors(ctx: Context):
    return list(_wr(ctx)["_errors"])


@svc.op("list_work_request_logs")
def list_work_request_logs(ctx: Context):
    return list(_wr(ctx)["_logs"])


@svc.op("cancel_work_request")
def cancel_work_request(ctx: Context):
    d = _wr(ctx)
    if d["status"] in ("COMPLETED", "FAILED", "CANCELED"):
        raise conflict(f"The work request is {d['status']} and cannot be canceled")
    ctx.update("oswr", d["id"], {"status": "CANCELING"})
    ctx.schedule("oswr", d["id"], {}, steps=0, hook="object_storage.copy_done")
    return Result(status=202)


# ---------------------------------------------------------------- multipart uploads

def _upload(ctx: Context, bucket: dict, name: str) -> dict:
    up = ctx.store.get("osupload", ctx.query.get("uploadId") or "")
    if up is None or up["_bucket"] != bucket["id"] or up["object"] != name:
        raise ApiError(404, "NoSuchUpload", f"The multipart upload '{ctx.query.get('uploadId')}' for object "
                       f"'{name}' was not found")
    return up


def _parts(store, upload_id: str) -> list[dict]:
    return sorted(store.by_field("ospart", "_upload", upload_id), key=lambda p: p["partNumber"])


def _drop_upload(core, up: dict, keep: set | None = None) -> None:
    """Delete an upload and its parts; free the bytes of the parts not in `keep` (part numbers)."""
    store = core.store
    for p in _parts(store, up["id"]):
        if not keep or p["partNumber"] not in keep:
            _free(core, [[p["_blob"], p["size"]]])
        store.delete("ospart", p["id"])
    store.delete("osupload", up["id"])


@svc.op("create_multipart_upload")
def create_multipart_upload(ctx: Context):
    b = _bucket(ctx)
    _check_writable(b)
    body = ctx.body
    name = _check_object_name(body["object"])
    _check_conditions(ctx, _latest(ctx.store, b, name))
    tier = body.get("storageTier") or b.get("storageTier", "Standard")
    up = ctx.put("osupload", {
        "id": str(uuid.uuid4()), "_bucket": b["id"], "namespace": b["namespace"], "bucket": b["name"],
        "object": name, "timeCreated": ctx.ts(), "_mtime": ctx.now, "storageTier": tier,
        "_content": {k: body.get(k) for k, _h in _CONTENT_HEADERS}, "_meta": _user_meta(body.get("metadata")),
        "_ifMatch": ctx.headers.get("if-match"), "_ifNoneMatch": ctx.headers.get("if-none-match")})
    view = dict(up, uploadId=up["id"])
    ctx.response_headers["location"] = f"/n/{b['namespace']}/b/{b['name']}/u/{name}?uploadId={up['id']}"
    return view


@svc.op("upload_part")
def upload_part(ctx: Context):
    b = _bucket(ctx)
    name = ctx.path["objectName"]
    up = _upload(ctx, b, name)
    num = ctx.query["uploadPartNum"]
    if not 1 <= num <= 10000:
        raise invalid("uploadPartNum must be between 1 and 10000")
    body = ctx.raw_body
    declared = ctx.headers.get("content-md5")
    if declared and declared != body.md5:
        raise ApiError(400, "InvalidParameter", f"The computed MD5 of the request body ({body.md5}) does not match "
                       f"the Content-MD5 header ({declared})")
    pid = f"{up['id']}:{num:05d}"
    old = ctx.store.get("ospart", pid)
    if ctx.headers.get("if-none-match") == "*" and old is not None:
        raise _if_none_match_failed("part")
    if ctx.headers.get("if-match") and (old is None or old["etag"] != ctx.headers.get("if-match")):
        raise _if_match_failed("part")
    if old is not None:
        _free(ctx.core, [[old["_blob"], old["size"]]])
    crc = body_crc32c(ctx)
    blob = adopt(ctx, body)
    part = ctx.put("ospart", {"id": pid, "_upload": up["id"], "partNumber": num, "size": body.size,
                              "md5": body.md5, "etag": str(uuid.uuid4()), "_blob": blob, "_crc32c": crc})
    headers = {"etag": part["etag"], "opc-content-md5": body.md5}
    if crc:
        headers["opc-content-crc32c"] = crc
    return Result(status=200, headers=headers, raw=b"")


@svc.op("list_multipart_upload_parts")
def list_multipart_upload_parts(ctx: Context):
    b = _bucket(ctx)
    up = _upload(ctx, b, ctx.path["objectName"])
    return _parts(ctx.store, up["id"])


@svc.op("list_multipart_uploads")
def list_multipart_uploads(ctx: Context):
    b = _bucket(ctx)
    _apply_lifecycle(ctx.core, b)
    ups = sorted(ctx.store.by_field("osupload", "_bucket", b["id"]), key=lambda u: (u["object"], u["timeCreated"]))
    return [dict(u, uploadId=u["id"]) for u in ups]


def multipart_md5(part_md5s: list[str]) -> str:
    """OCI's multipart checksum: base64 MD5 of the concatenated binary part MD5s, then '-<part count>'."""
    h = hashlib.md5()
    for m in part_md5s:
        h.update(base64.b64decode(m))
    return f"{base64.b64encode(h.digest()).decode()}-{len(part_md5s)}"


@svc.op("commit_multipart_upload")
def commit_multipart_upload(ctx: Context):
    b = _bucket(ctx)
    _check_writable(b)
    name = ctx.path["objectName"]
    up = _upload(ctx, b, name)
    body = ctx.body
    have = {p["partNumber"]: p for p in _parts(ctx.store, up["id"])}
    wanted = body["partsToCommit"]
    if not wanted:
        raise invalid("partsToCommit must name at least one part")
    nums = [p["partNum"] for p in wanted]
    if len(set(nums)) != len(nums):
        raise invalid("partsToCommit names a part more than once")
    excluded = set(body.get("partsToExclude") or [])
    if excluded & set(nums):
        raise invalid("A part cannot be both committed and excluded")
    chosen = []
    for p in sorted(wanted, key=lambda x: x["partNum"]):
        got = have.get(p["partNum"])
        if got is None:
            raise invalid(f"Part {p['partNum']} was not uploaded")
        if got["etag"] != p["etag"]:
            raise invalid(f"The ETag of part {p['partNum']} does not match the uploaded part")
        chosen.append(got)
    _check_conditions(ctx, _latest(ctx.store, b, name), ctx.headers.get("if-match") or up.get("_ifMatch") or "",
                      ctx.headers.get("if-none-match") or up.get("_ifNoneMatch") or "")
    check_retention(ctx.core, b, _latest(ctx.store, b, name), "overwritten")
    md5 = multipart_md5([p["md5"] for p in chosen])
    segments = [[p["_blob"], p["size"]] for p in chosen]
    # the whole object's CRC32C when its parts were sent with one (or the commit asks for it)
    crc = _crc_of_files(ctx.core, segments) if (_wanted_algorithm(ctx) or all(
        p.get("_crc32c") for p in chosen)) else None
    _drop_upload(ctx.core, up, keep={p["partNumber"] for p in chosen})
    d = store_object(ctx.core, b, name, segments, md5=md5, multipart=True, content=up.get("_content"),
                     meta=up.get("_meta"), tier=up.get("storageTier"), now=ctx.now)
    if crc:
        d = ctx.store.update("osobject", d["id"], {"_crc32c": crc})
    return Result(status=200, headers=_write_headers(d), raw=b"")


@svc.op("abort_multipart_upload")
def abort_multipart_upload(ctx: Context):
    b = _bucket(ctx)
    up = _upload(ctx, b, ctx.path["objectName"])
    _drop_upload(ctx.core, up)
    return None


# ---------------------------------------------------------------- pre-authenticated requests

def _par_view(d: dict) -> dict:
    return {k: v for k, v in d.items() if not k.startswith("_")}


@svc.op("create_preauthenticated_request")
def create_preauthenticated_request(ctx: Context):
    b = _bucket(ctx)
    body = ctx.body
    access = body["accessType"]
    obj = body.get("objectName")
    if access.startswith("Object") and not obj:
        raise invalid(f"objectName is required for accessType {access}")
    if access.startswith("AnyObject") and obj:
        raise invalid(f"objectName must not be given for accessType {access}")
    listing = body.get("bucketListingAction")
    if listing not in (None, "Deny", "ListObjects"):
        raise invalid("bucketListingAction must be Deny or ListObjects")
    if listing == "ListObjects" and not access.startswith("AnyObject"):
        raise invalid("bucketListingAction ListObjects needs an AnyObject* accessType")
    expires = parse_ts(body["timeExpires"])
    if expires <= ctx.now:
        raise invalid("timeExpires must be in the future")
    token = secrets.token_urlsafe(48)
    uri = f"/p/{token}/n/{b['namespace']}/b/{b['name']}/o/{obj or ''}"
    prefix = "" if ctx.region == ctx.core.home_region else f"/{ctx.region}"
    host = ctx.headers.get("host") or "127.0.0.1"
    doc = {"id": secrets.token_urlsafe(24).replace("-", "A").replace("_", "B"), "_region": ctx.region,
           "_bucket": b["id"], "_token": token, "name": body["name"], "accessType": access,
           "timeExpires": ts(expires), "_expires": expires, "timeCreated": ctx.ts()}
    if obj:
        doc["objectName"] = obj
    if listing:
        doc["bucketListingAction"] = listing
    doc = ctx.put("ospar", doc)
    out = _par_view(doc)
    out.update(accessUri=uri, fullPath=f"http://{host}{prefix}/object_storage{uri}")
    return out


def _par(ctx: Context, b: dict) -> dict:
    d = ctx.find("ospar", ctx.path["parId"])
    if d is None or d["_bucket"] != b["id"]:
        raise ApiError(404, "NotAuthorizedOrNotFound", f"Pre-authenticated request {ctx.path['parId']} not found")
    return d


@svc.op("get_preauthenticated_request")
def get_preauthenticated_request(ctx: Context):
    return _par_view(_par(ctx, _bucket(ctx)))


@svc.op("list_preauthenticated_requests")
def list_preauthenticated_requests(ctx: Context):
    b = _bucket(ctx)
    pre = ctx.query.get("objectNamePrefix")
    docs = [d for d in ctx.store.by_field("ospar", "_bucket", b["id"])
            if not pre or (d.get("objectName") or "").startswith(pre)]
    return [_par_view(d) for d in sorted(docs, key=lambda d: d["timeCreated"])]


@svc.op("delete_preauthenticated_request")
def delete_preauthenticated_request(ctx: Context):
    d = _par(ctx, _bucket(ctx))
    ctx.delete("ospar", d["id"])
    return None


def _par_refused() -> ApiError:
    return ApiError(404, "NotAuthorizedOrNotFound", "The pre-authenticated request does not exist or has expired")


@svc.public("p", root=True)
def serve_par(ctx: Context, rest: str):
    """`/p/<token>/n/<ns>/b/<bucket>/o/<object>`: the object (or the bucket listing) without a signature."""
    token, _, tail = rest.partition("/")
    pars = ctx.store.by_field("ospar", "_token", token) if token else []
    if not pars:
        raise _par_refused()
    par = pars[0]
    if par["_expires"] <= ctx.now:
        raise _par_refused()
    bucket = ctx.store.get("osbucket", par["_bucket"])
    if bucket is None:
        raise _par_refused()
    ctx.region = par["_region"]
    m = re.match(r"^n/([^/]+)/b/([^/]+)/o(?:/(.*))?$", tail, re.S)
    if not m or unquote(m.group(1)) != bucket["namespace"] or unquote(m.group(2)) != bucket["name"]:
        raise _par_refused()
    name = unquote(m.group(3) or "")
    access = par["accessType"]
    method = ctx.method  # type: ignore[attr-defined]
    if not name:
        if method != "GET" or par.get("bucketListingAction") != "ListObjects":
            raise _par_refused()
        q = {k: ctx.query[k] for k in ("prefix", "start", "end", "delimiter", "startAfter") if ctx.query.get(k)}
        if ctx.query.get("limit"):
            q["limit"] = int(ctx.query["limit"])
        if ctx.query.get("fields"):
            q["fields"] = ctx.query["fields"]
        _apply_lifecycle(ctx.core, bucket)
        return Result(body=list_names(ctx.store, bucket, q))
    if par.get("objectName") is not None and par["objectName"] != name:
        raise _par_refused()
    if method in ("GET", "HEAD"):
        if access not in READ_ACCESS:
            raise _par_refused()
        _apply_lifecycle(ctx.core, bucket)
        d = _latest(ctx.store, bucket, name)
        if d is None or d.get("isDeleteMarker"):
            raise _object_not_found(bucket["name"], name)
        res = serve_object(ctx, d, head=(method == "HEAD"))
        _access_log(ctx, bucket, "read", method, "getobject" if method == "GET" else "headobject", name,
                    res.status, d.get("etag"), par=True)
        return res
    if method == "PUT":
        if access not in WRITE_ACCESS:
            raise _par_refused()
        d = put_from_body(ctx, bucket, name)
        _access_log(ctx, bucket, "write", "PUT", "putobject", name, 200, d.get("etag"), par=True)
        return Result(status=200, headers=_write_headers(d), raw=b"")
    raise ApiError(405, "MethodNotAllowed", f"{method} is not allowed with a pre-authenticated request")


# ---------------------------------------------------------------- replication

def _replication_policies(store, bucket: dict) -> list[dict]:
    return store.by_field("osreplication", "_bucket", bucket["id"])


def _replicate_put(core, bucket: dict, doc: dict) -> None:
    for pol in _replication_policies(core.store, bucket):
        dest = find_bucket(core.store, pol["destinationRegionName"], pol["destinationBucketName"])
        if dest is None:
            core.store.update("osreplication", pol["id"], {
                "status": "CLIENT_ERROR", "statusMessage": "The destination bucket does not exist"})
            continue
        parts = [[_clone_blob(core, blob), size] for blob, size in doc["_parts"]]
        store_object(core, dest, doc["name"], parts, md5=doc["md5"], multipart=doc.get("_multipart", False),
                     content={k: doc.get(k) for k, _h in _CONTENT_HEADERS}, meta=doc.get("_meta"),
                     tier=doc.get("storageTier"), now=doc["_mtime"], replicate=False)
        core.store.update("osreplication", pol["id"], {"timeLastSync": doc["timeModified"], "status": "ACTIVE",
                                                       "statusMessage": "Replicating"})


def _replicate_delete(core, bucket: dict, name: str, now: float) -> None:
    for pol in _replication_policies(core.store, bucket):
        dest = find_bucket(core.store, pol["destinationRegionName"], pol["destinationBucketName"])
        if dest is not None:
            _remove_object(core, dest, name, now, replicate=False)
            core.store.update("osreplication", pol["id"], {"timeLastSync": ts(now)})


@svc.op("create_replication_policy")
def create_replication_policy(ctx: Context):
    b = _bucket(ctx)
    body = ctx.body
    region, dest_name = body["destinationRegionName"], body["destinationBucketName"]
    if region not in ctx.core.regions():
        raise invalid(f"destinationRegionName '{region}' is not a region the tenancy is subscribed to")
    dest = find_bucket(ctx.store, region, dest_name)
    if dest is None:
        raise invalid(f"The destination bucket '{dest_name}' does not exist in {region}")
    if dest["id"] == b["id"]:
        raise invalid("A bucket cannot replicate to itself")
    if b.get("versioning") == "Enabled" or dest.get("versioning") == "Enabled":
        raise conflict("Replication needs versioning disabled on the source and destination buckets")
    if dest.get("isReadOnly") or any(p for p in ctx.store.list("osreplication")
                                     if p["destinationBucketName"] == dest_name
                                     and p["destinationRegionName"] == region):
        raise conflict(f"The bucket '{dest_name}' is already the destination of a replication policy")
    if _replication_policies(ctx.store, b):
        raise conflict("A bucket can have one replication policy")
    if not re.match(r"^[A-Za-z0-9._ -]{1,255}$", body["name"]):
        raise invalid("name must be 1-255 letters, digits, spaces, '.', '_' or '-'")
    doc = ctx.put("osreplication", {
        "id": str(uuid.uuid4()), "_bucket": b["id"], "_region": ctx.region, "name": body["name"],
        "destinationRegionName": region, "destinationBucketName": dest_name, "timeCreated": ctx.ts(),
        "timeLastSync": ctx.ts(), "status": "ACTIVE", "statusMessage": "Replicating"})
    ctx.update("osbucket", b["id"], {"replicationEnabled": True})
    ctx.store.update("osbucket", dest["id"], {"isReadOnly": True})
    return doc


def _replication(ctx: Context, b: dict) -> dict:
    d = ctx.store.get("osreplication", ctx.path["replicationId"])
    if d is None or d["_bucket"] != b["id"]:
        raise ApiError(404, "NotAuthorizedOrNotFound", f"Replication policy {ctx.path['replicationId']} not found")
    return d


@svc.op("get_replication_policy")
def get_replication_policy(ctx: Context):
    return _replication(ctx, _bucket(ctx))


@svc.op("list_replication_policies")
def list_replication_policies(ctx: Context):
    return _replication_policies(ctx.store, _bucket(ctx))


@svc.op("delete_replication_policy")
def delete_replication_policy(ctx: Context):
    b = _bucket(ctx)
    d = _replication(ctx, b)
    ctx.delete("osreplication", d["id"])
    if not _replication_policies(ctx.store, b):
        ctx.update("osbucket", b["id"], {"replicationEnabled": False})
    return None  # the destination stays read-only until make_bucket_writable, as in OCI


@svc.op("list_replication_sources")
def list_replication_sources(ctx: Context):
    b = _bucket(ctx)
    out = []
    for p in ctx.store.list("osreplication"):
        if p["destinationBucketName"] == b["name"] and p["destinationRegionName"] == ctx.region:
            src = ctx.store.get("osbucket", p["_bucket"])
            if src is not None:
                out.append({"policyName": p["name"], "sourceRegionName": p["_region"],
                            "sourceBucketName": src["name"]})
    return out


# ---------------------------------------------------------------- lifecycle policies

_ACTIONS = {"objects": {"ARCHIVE", "DELETE", "INFREQUENT_ACCESS"},
            "previous-object-versions": {"ARCHIVE", "DELETE", "INFREQUENT_ACCESS"},
            "multipart-uploads": {"ABORT"}}


@svc.op("put_object_lifecycle_policy")
def put_object_lifecycle_policy(ctx: Context):
    b = _bucket(ctx)
    cur = b.get("_lifecycle")
    want = ctx.headers.get("if-match")
    if want and (cur is None or want != cur["etag"]):
        raise _if_match_failed("lifecycle policy")
    if ctx.headers.get("if-none-match") == "*" and cur is not None:
        raise _if_none_match_failed("lifecycle policy")
    items = (ctx.body or {}).get("items") or []
    names = set()
    for i, r in enumerate(items):
        target = r.get("target") or "objects"
        if target not in _ACTIONS:
            raise invalid(f"items[{i}].target '{target}' must be objects, previous-object-versions or "
                          "multipart-uploads")
        if r["action"] not in _ACTIONS[target]:
            raise invalid(f"items[{i}].action {r['action']} is not valid for target {target} "
                          f"(allowed: {', '.join(sorted(_ACTIONS[target]))})")
        if r["timeAmount"] < 1:
            raise invalid(f"items[{i}].timeAmount must be at least 1")
        if r["name"] in names:
            raise invalid(f"items[{i}].name '{r['name']}' is used twice")
        names.add(r["name"])
        if target == "multipart-uploads" and r.get("objectNameFilter"):
            raise invalid(f"items[{i}]: a multipart-uploads rule takes no objectNameFilter")
        if target == "previous-object-versions" and b.get("versioning") != "Enabled":
            raise invalid(f"items[{i}]: previous-object-versions rules need versioning on the bucket")
    policy = {"timeCreated": ctx.ts(), "items": [dict(r, target=r.get("target") or "objects") for r in items],
              "etag": str(uuid.uuid4())}
    ctx.update("osbucket", b["id"], {"_lifecycle": policy})
    return {"timeCreated": policy["timeCreated"], "items": policy["items"], "_etag": policy["etag"]}


@svc.op("get_object_lifecycle_policy")
def get_object_lifecycle_policy(ctx: Context):
    b = _bucket(ctx)
    pol = b.get("_lifecycle")
    if pol is None:
        raise ApiError(404, "LifecyclePolicyNotFound", f"The bucket '{b['name']}' has no lifecycle policy")
    return {"timeCreated": pol["timeCreated"], "items": pol["items"], "_etag": pol["etag"]}


@svc.op("delete_object_lifecycle_policy")
def delete_object_lifecycle_policy(ctx: Context):
    b = _bucket(ctx)
    pol = b.get("_lifecycle")
    want = ctx.headers.get("if-match")
    if want and (pol is None or want != pol["etag"]):
        raise _if_match_failed("lifecycle policy")
    ctx.update("osbucket", b["id"], {"_lifecycle": None})
    return None


def _matches(rule: dict, name: str) -> bool:
    f = rule.get("objectNameFilter") or {}
    if f.get("inclusionPrefixes") and not any(name.startswith(p) for p in f["inclusionPrefixes"]):
        return False
    if f.get("inclusionPatterns") and not any(fnmatch.fnmatchcase(name, p) for p in f["inclusionPatterns"]):
        return False
    if f.get("exclusionPatterns") and any(fnmatch.fnmatchcase(name, p) for p in f["exclusionPatterns"]):
        return False
    return True


def _apply_lifecycle(core, bucket: dict) -> int:
    """Carry out the bucket's lifecycle rules now (OCI runs them in the background; here reads do)."""
    pol = bucket.get("_lifecycle")
    if not pol:
        return 0
    store = core.store
    now = core.clock.now()
    done = 0
    for rule in pol["items"]:
        if not rule.get("isEnabled"):
            continue
        age = rule["timeAmount"] * (DAY if rule["timeUnit"] == "DAYS" else 365 * DAY)
        cutoff = now - age
        target = rule.get("target") or "objects"
        if target == "multipart-uploads":
            for up in list(store.by_field("osupload", "_bucket", bucket["id"])):
                if up["_mtime"] <= cutoff:
                    _drop_upload(core, up)
                    done += 1
            continue
        for d in list(_versions(store, bucket)):
            if store.get("osobject", d["id"]) is None or d.get("isDeleteMarker") or d["_mtime"] > cutoff:
                continue
            if (target == "objects") != bool(d.get("_latest")) or not _matches(rule, d["name"]):
                continue
            action = rule["action"]
            if action == "DELETE":
                if target == "objects":
                    _remove_object(core, bucket, d["name"], now)
                else:
                    _delete_version(core, bucket, d)
                done += 1
            elif action == "ARCHIVE" and d.get("storageTier") != "Archive":
                store.update("osobject", d["id"], {"storageTier": "Archive", "archivalState": "Archived"})
                done += 1
            elif action == "INFREQUENT_ACCESS" and d.get("storageTier") == "Standard":
                store.update("osobject", d["id"], {"storageTier": "InfrequentAccess"})
                done += 1
    return done


# ---------------------------------------------------------------- retention rules

RULE_KIND = "osretention"
MAX_RULES = 100  # retention rules per bucket
LOCK_DELAY = 14 * DAY  # a rule's lock takes effect at least 14 days after it is set


def _rules(store, bucket: dict) -> list[dict]:
    return store.by_field(RULE_KIND, "_bucket", bucket["id"])


def _duration_seconds(d: dict | None) -> float | None:
    """A rule's duration in seconds; None for a rule without one (indefinite)."""
    if d is None:
        return None
    amount, unit = d.get("timeAmount"), d.get("timeUnit")
    if not isinstance(amount, int) or amount < 1 or unit not in ("DAYS", "YEARS"):
        raise invalid("duration needs a timeAmount of at least 1 and a timeUnit of DAYS or YEARS")
    return amount * (365 * DAY if unit == "YEARS" else DAY)


def _rule_locked(rule: dict, now: float) -> bool:
    return bool(rule.get("timeRuleLocked")) and parse_ts(rule["timeRuleLocked"]) <= now


def check_retention(core, bucket: dict, doc: dict | None, action: str) -> None:
    """Objects under an active retention rule can be neither deleted nor overwritten (409)."""
    if doc is None or doc.get("isDeleteMarker"):
        return
    now = core.clock.now()
    for r in _rules(core.store, bucket):
        secs = _duration_seconds(r.get("duration"))
        if secs is None or doc["_mtime"] + secs > now:
            until = "indefinitely" if secs is None else f"until {ts(doc['_mtime'] + secs)}"
            raise ApiError(409, "Conflict", f"The object '{doc['name']}' cannot be {action}: the retention rule "
                           f"'{r['displayName']}' of bucket '{bucket['name']}' retains it {until}")


def _rule_view(r: dict) -> dict:
    return {k: v for k, v in r.items() if not k.startswith("_")}


def _check_lock_time(ctx: Context, value) -> str | None:
    if value is None:
        return None
    t = parse_ts(value) if isinstance(value, str) else None
    if t is None:
        raise invalid(f"timeRuleLocked '{value}' is not an RFC 3339 time")
    if t < ctx.now + LOCK_DELAY:
        raise invalid("timeRuleLocked must be at least 14 days in the future")
    return ts(t)


def _rule_name(ctx: Context, name) -> str:
    if name is None:
        return "retention-rule-" + ctx.ts()[:19].replace("-", "").replace(":", "").replace("T", "")
    if not isinstance(name, str) or not name.strip() or len(name) > 256:
        raise invalid("displayName must be 1-256 characters")
    return name


@svc.op("create_retention_rule")
def create_retention_rule(ctx: Context):
    b = _bucket(ctx)
    body = ctx.body or {}
    if b.get("versioning") in ("Enabled", "Suspended"):
        raise conflict(f"The bucket '{b['name']}' has object versioning; retention rules need a bucket without it")
    rules = _rules(ctx.store, b)
    if len(rules) >= MAX_RULES:
        raise conflict(f"A bucket has at most {MAX_RULES} retention rules")
    _duration_seconds(body.get("duration"))
    lock = _check_lock_time(ctx, body.get("timeRuleLocked"))
    if lock and body.get("duration") is None:
        raise invalid("An indefinite rule (without duration) cannot be locked")
    name = _rule_name(ctx, body.get("displayName"))
    if any(r["displayName"] == name for r in rules):
        raise conflict(f"A retention rule named '{name}' already exists in bucket '{b['name']}'")
    doc = {"id": str(uuid.uuid4()), "_bucket": b["id"], "displayName": name, "etag": str(uuid.uuid4()),
           "timeCreated": ctx.ts(), "timeModified": ctx.ts()}
    if body.get("duration") is not None:
        doc["duration"] = {"timeAmount": body["duration"]["timeAmount"], "timeUnit": body["duration"]["timeUnit"]}
    if lock:
        doc["timeRuleLocked"] = lock
    doc = ctx.put(RULE_KIND, doc)
    return Result(body=_rule_view(doc), headers={"etag": doc["etag"]})


def _rule_doc(ctx: Context, b: dict) -> dict:
    r = ctx.store.get(RULE_KIND, ctx.path["retentionRuleId"])
    if r is None or r["_bucket"] != b["id"]:
        raise ApiError(404, "NotFound", f"The retention rule '{ctx.path['retentionRuleId']}' does not exist in "
                       f"bucket '{b['name']}'")
    want = ctx.headers.get("if-match")
    if want and want != "*" and want != r["etag"]:
        raise _if_match_failed("retention rule")
    return r


@svc.op("get_retention_rule")
def get_retention_rule(ctx: Context):
    r = _rule_doc(ctx, _bucket(ctx))
    return Result(body=_rule_view(r), headers={"etag": r["etag"]})


@svc.op("list_retention_rules")
def list_retention_rules(ctx: Context):
    b = _bucket(ctx)
    rules = sorted(_rules(ctx.store, b), key=lambda r: r["timeCreated"])
    return {"items": [_rule_view(r) for r in rules]}


@svc.op("update_retention_rule")
def update_retention_rule(ctx: Context):
    b = _bucket(ctx)
    r = _rule_doc(ctx, b)
    body = ctx.body or {}
    changes: dict = {}
    locked = _rule_locked(r, ctx.now)
    if body.get("displayName") is not None:
        changes["displayName"] = _rule_name(ctx, body["displayName"])
    if body.get("duration") is not None:
        new = _duration_seconds(body["duration"])
        old = _duration_seconds(r.get("duration"))
        if locked and old is not None and new < old:
            raise conflict(f"The retention rule '{r['displayName']}' is locked: its duration can only grow")
        changes["duration"] = {"timeAmount": body["duration"]["timeAmount"], "timeUnit": body["duration"]["timeUnit"]}
    if body.get("timeRuleLocked") is not None:
        if locked:
            raise conflict(f"The retention rule '{r['displayName']}' is locked; its lock time cannot change")
        changes["timeRuleLocked"] = _check_lock_time(ctx, body["timeRuleLocked"])
    changes.update(etag=str(uuid.uuid4()), timeModified=ctx.ts())
    r = ctx.update(RULE_KIND, r["id"], changes)
    return Result(body=_rule_view(r), headers={"etag": r["etag"]})


@svc.op("delete_retention_rule")
def delete_retention_rule(ctx: Context):
    b = _bucket(ctx)
    r = _rule_doc(ctx, b)
    if _rule_locked(r, ctx.now):
        raise conflict(f"The retention rule '{r['displayName']}' is locked (since {r['timeRuleLocked']}) and cannot "
                       "be deleted")
    ctx.delete(RULE_KIND, r["id"])
    return None


# ---------------------------------------------------------------- CRC32C checksums

def _crc_b64(value: int) -> str:
    return base64.b64encode(value.to_bytes(4, "big")).decode()


def _crc_of_files(core, segments) -> str:
    value = 0
    for blob, _size in segments:
        with open(blob_path(core, blob), "rb") as f:
            while chunk := f.read(CHUNK):
                value = crc32c.crc32c(chunk, value)
    return _crc_b64(value)


def _wanted_algorithm(ctx: Context) -> str | None:
    algo = ctx.headers.get("opc-checksum-algorithm")
    if algo is None:
        return "CRC32C" if ctx.headers.get("opc-content-crc32c") else None
    if algo.upper() not in ("CRC32C", "SHA256", "SHA384"):
        raise invalid(f"opc-checksum-algorithm '{algo}' must be CRC32C, SHA256 or SHA384")
    if algo.upper() != "CRC32C":
        raise invalid(f"opc-checksum-algorithm {algo.upper()} is not supported by this emulator; use CRC32C")
    return "CRC32C"


def body_crc32c(ctx: Context) -> str | None:
    """The CRC32C of the spooled request body when the request asks for one; checks a given
    opc-content-crc32c (400 when it does not match, with OCI's message)."""
    if _wanted_algorithm(ctx) is None:
        return None
    value = 0
    with ctx.raw_body.open() as f:
        while chunk := f.read(CHUNK):
            value = crc32c.crc32c(chunk, value)
    got = _crc_b64(value)
    declared = ctx.headers.get("opc-content-crc32c")
    if declared and declared != got:
        raise ApiError(400, "UnmatchedContentCRC32C", f"The computed CRC32C of the request body ({got}) does not "
                       f"match the opc-content-crc32c header ({declared})")
    return got


# ---------------------------------------------------------------- start-up and seed

@svc.hook("object_storage.on_start")
def _on_start(core, _doc: dict, _args: dict) -> None:
    """Remove blob files no document owns (a crash between writing a file and committing)."""
    root = blob_dir(core) if core.files_dir is not None else None
    if root is None or not root.exists():
        return
    owned = set()
    for d in core.store.list("osobject"):
        owned.update(b for b, _s in d.get("_parts") or [])
    for p in core.store.list("ospart"):
        owned.add(p["_blob"])
    for w in core.store.list("oswr"):
        if w.get("_pending"):
            owned.update(b for b, _s in w["_pending"]["parts"])
    for sub in root.iterdir():
        if sub.is_dir():
            for f in sub.iterdir():
                if f.name not in owned:
                    _unlink(f)


SEED_OBJECTS = {
    # bucket: [(name, content type, text)]
    "app-assets": [
        ("index.html", "text/html", "<!doctype html><title>acme</title><h1>Welcome to ACME</h1>\n"),
        ("css/site.css", "text/css", "body { font-family: sans-serif; }\n"),
        ("img/logo.svg", "image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg' width='8' height='8'/>\n"),
        ("releases/2026/01/app-1.4.0.tar.gz", "application/gzip", "not really a tarball, v1.4.0\n"),
        ("releases/2026/02/app-1.5.0.tar.gz", "application/gzip", "not really a tarball, v1.5.0\n"),
        ("releases/2026/02/CHANGELOG.md", "text/markdown", "# 1.5.0\n- faster\n"),
    ],
    "db-backups": [
        ("postgres/2026-01-30.dump", "application/octet-stream", "pg_dump 2026-01-30\n" * 40),
        ("postgres/2026-01-31.dump", "application/octet-stream", "pg_dump 2026-01-31\n" * 40),
        ("README.txt", "text/plain", "Nightly database dumps. Versioned.\n"),
    ],
}


@svc.seeder
def seed_object_storage(seed) -> None:
    if seed.profile != "demo":
        return
    core = seed.core
    if core.files_dir is None:
        return
    comps = {c["name"]: c["id"] for c in seed.store.list("compartment")}
    ns = namespace_of(core.tenancy_id)
    admin = seed.store.meta("admin_user_id") or core.tenancy_id
    home = core.home_region
    plan = [("app-assets", comps.get("Frontend", core.tenancy_id), "Disabled", "ObjectReadWithoutList"),
            ("db-backups", comps.get("Warehouse", core.tenancy_id), "Enabled", "NoPublicAccess")]
    for name, comp, versioning, access in plan:
        b = new_bucket(seed, region=home, namespace=ns, name=name, compartment_id=comp, created_by=admin,
                       now=seed.t(200, 100), ocid=lambda t: seed.ocid(t, home), versioning=versioning,
                       public_access=access, tags={"freeformTags": {"managed-by": "terraform"}, "definedTags": {}})
        for i, (oname, ctype, text) in enumerate(SEED_OBJECTS[name]):
            data = text.encode()
            md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
            store_object(core, b, oname, [[write_blob(core, data), len(data)]], md5=md5,
                         content={"contentType": ctype}, now=seed.t(90 - i, 80 - i))
        if name == "db-backups":  # a second version of the README, so the bucket shows versions
            data = b"Nightly database dumps. Versioned; kept 30 days.\n"
            md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
            store_object(core, b, "README.txt", [[write_blob(core, data), len(data)]], md5=md5,
                         content={"contentType": "text/plain"}, now=seed.t(10, 5))
    # an empty bucket in the disaster-recovery region
    if len(seed.regions) > 1:
        dr = seed.regions[1]
        new_bucket(seed, region=dr, namespace=ns, name="dr-archive", compartment_id=comps.get(
            "Production", core.tenancy_id), created_by=admin, now=seed.t(150, 100),
            ocid=lambda t: seed.ocid(t, dr), storage_tier="Archive")
