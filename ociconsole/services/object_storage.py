"""Object Storage: namespace, buckets, objects (listing by prefix, metadata, rename, delete),
pre-authenticated requests, replication and lifecycle policies, and file transfers.

What a bucket browser does with a selection lives here too: folders expanded to the objects under
them (`expand_folders`), a download planned into local paths that never leave the chosen folder
(`plan_download`), and many objects deleted a few at a time, reporting what failed (`bulk_delete`).

Transfers stream: an upload reads its file in slices on the worker threads (inside the SDK
call that sends it) and a download writes the response body to disk on a worker thread, so
neither the GUI thread nor memory ever holds a whole file. Files of `MULTIPART_THRESHOLD`
bytes or more are uploaded in parts (create_multipart_upload, parts in parallel — bounded per
transfer and per session so transfers never take every worker of the pool — then commit); a
cancelled or failed multipart upload is aborted so no uncommitted parts are left behind. A
download is written to a temporary file next to its destination and renamed when complete;
a cancelled or failed one leaves no file. `Transfer` carries the byte counts and the
cancellation flag between the event loop and the worker threads.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from ..core.errors import OciError
from ..core.sdk import models as sdk_models
from .runtime import Session

models = sdk_models("object_storage")

MiB = 1024 * 1024
MULTIPART_THRESHOLD = 8 * MiB  # files this large or larger go in parts
PART_SIZE = 8 * MiB
MAX_PARTS = 10_000  # OCI's limit: the part size grows for very large files
PART_ATTEMPTS = 3  # a part is idempotent (same number overwrites): retried on retriable errors
CHUNK = 256 * 1024  # read/write granularity of transfers (also how often cancellation is noticed)
PROGRESS_INTERVAL = 0.1  # seconds between progress notifications of one transfer
LIST_FIELDS = "name,size,timeCreated,timeModified,storageTier,archivalState,etag,md5"

_namespaces: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # session -> namespace
_bucket_names: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # session -> {bucket ocid: name}
_slots: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # session -> semaphore for transfer calls


# ---------------------------------------------------------------- namespace and buckets

async def namespace(session: Session) -> str:
    ns = _namespaces.get(session)
    if ns is None:
        ns = await session.data("object_storage", "get_namespace")
        _namespaces[session] = ns
    return ns


def _remember(session: Session, buckets) -> None:
    names = _bucket_names.setdefault(session, {})
    for b in buckets:
        if getattr(b, "id", None):
            names[b.id] = b.name


async def get_bucket(session: Session, name: str, with_size: bool = True):
    ns = await namespace(session)
    kw = {"fields": ["approximateCount", "approximateSize"]} if with_size else {}
    b = await session.data("object_storage", "get_bucket", ns, name, **kw)
    _remember(session, [b])
    return b


async def get_bucket_by_id(session: Session, bucket_id: str):
    """A bucket by OCID (Object Storage addresses buckets by name: the ones seen in lists are known)."""
    name = _bucket_names.get(session, {}).get(bucket_id)
    if name is None:
        raise OciError(f"Bucket {bucket_id} is not known here: open its compartment's bucket list first",
                       code="NotFound", status=404, service="object_storage", operation="get_bucket")
    return await get_bucket(session, name)


async def list_buckets(session: Session, compartment_id: str) -> list:
    """Every bucket of the compartment with its settings and approximate size and count (one get each,
    in parallel: list_buckets returns summaries without tier, visibility or versioning)."""
    ns = await namespace(session)
    summaries = await session.list_all("object_storage", "list_buckets", ns, compartment_id)
    _remember(session, summaries)

    async def full(s):
        try:
            return await get_bucket(session, s.name)
        except OciError as e:
            if e.status == 404:
                return None  # deleted meanwhile
            return s
    out = await asyncio.gather(*(full(s) for s in summaries))
    return [b for b in out if b is not None]


async def delete_bucket(session: Session, name: str) -> None:
    await session.call("object_storage", "delete_bucket", await namespace(session), name)


def is_public(bucket) -> bool:
    return (getattr(bucket, "public_access_type", None) or "NoPublicAccess") != "NoPublicAccess"


# ---------------------------------------------------------------- objects

@dataclass
class Listing:
    prefixes: list[str]
    objects: list  # ObjectSummary (the object named like the prefix itself — a "folder" marker — left out)


async def list_objects(session: Session, bucket: str, prefix: str = "", delimiter: str | None = "/",
                       on_page: Callable[[Listing], None] | None = None, keep_marker: bool = False) -> Listing:
    """Objects and sub-prefixes ("folders") directly under `prefix`, every page (`on_page` hears each);
    the object named like the prefix itself (a folder marker) only with `keep_marker`."""
    ns = await namespace(session)
    out = Listing([], [])
    start = None
    while True:
        kw = {"prefix": prefix or None, "fields": LIST_FIELDS, "limit": 1000}
        if delimiter:
            kw["delimiter"] = delimiter
        if start:
            kw["start"] = start
        data = await session.data("object_storage", "list_objects", ns, bucket,
                                  **{k: v for k, v in kw.items() if v is not None})
        page = Listing(list(data.prefixes or []),
                       [o for o in data.objects or [] if keep_marker or o.name != prefix])
        out.prefixes += page.prefixes
        out.objects += page.objects
        if on_page is not None:
            on_page(page)
        start = data.next_start_with
        if not start:
            return out


async def list_all_under(session: Session, bucket: str, prefix: str) -> list:
    """Every object whose name starts with `prefix` (a folder's whole content)."""
    return (await list_objects(session, bucket, prefix, delimiter=None)).objects


def _unique(objects) -> list:
    seen: set[str] = set()
    out = []
    for o in objects:
        if o.name not in seen:
            seen.add(o.name)
            out.append(o)
    return out


async def expand_folders(session: Session, bucket: str, prefixes, objects=(), markers: bool = False) -> list:
    """The objects chosen and everything under each folder prefix (nested folders included, listed in
    parallel), each object once, in that order. With `markers` a folder's own marker object ("a/") is
    included too (deleting a folder removes it; a download skips it)."""
    listings = await asyncio.gather(*(list_objects(session, bucket, p, delimiter=None, keep_marker=markers)
                                      for p in prefixes))
    return _unique([*objects, *(o for listing in listings for o in listing.objects)])


@dataclass
class DownloadPlan:
    """Where each object of a download goes: `files` (object, local path) and `refused` (name, why)."""

    directory: str
    files: list = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)

    def directories(self) -> list[str]:
        """The local folders the files need, parents first."""
        return sorted({os.path.dirname(path) for _o, path in self.files})


def _inside(path: str, directory: str) -> bool:
    d = os.path.abspath(directory)
    p = os.path.abspath(path)
    return p != d and os.path.commonpath([d, p]) == d


def plan_download(objects, folder_prefix: str, dest_dir: str) -> DownloadPlan:
    """Local paths for `objects` (with `.name`) downloaded into `dest_dir`, keeping the folders below
    `folder_prefix` (the folder being browsed). Folder markers ("a/") are skipped. Object names are
    anyone's text, so a name is refused when a part of it is "." or ".." or holds a path separator of
    this system or a NUL, or when its path would land outside `dest_dir` (a drive, an absolute path);
    empty parts (a leading "/", "a//b") are dropped. A name whose path another takes already, or that
    is a folder of another's path, is refused too (nothing is overwritten by a later object)."""
    plan = DownloadPlan(dest_dir)
    seps = {s for s in (os.sep, os.altsep) if s and s != "/"}
    taken: dict[str, str] = {}
    for o in objects:
        name = o.name
        if name.endswith("/"):
            continue  # a folder marker
        rel = name[len(folder_prefix):] if folder_prefix and name.startswith(folder_prefix) else name
        parts = [p for p in rel.split("/") if p]
        why = None
        if not parts:
            why = "the name is empty below the folder"
        elif any(p in (".", "..") for p in parts):
            why = "a part of the name is '.' or '..'"
        elif any("\0" in p or any(sep in p for sep in seps) for p in parts):
            why = "the name holds a character this system's paths cannot"
        path = os.path.join(dest_dir, *parts) if why is None else ""
        if why is None and not _inside(path, dest_dir):
            why = "the path would be outside the destination folder"
        if why is None:
            key = os.path.normcase(os.path.abspath(path))
            if key in taken:
                why = f"the object {taken[key]} is saved to the same file"
        if why is not None:
            plan.refused.append((name, why))
            continue
        taken[key] = name
        plan.files.append((o, path))
    folders = {os.path.normcase(os.path.abspath(d)) for d in plan.directories()}
    kept = []
    for o, path in plan.files:  # an object "a" beside objects "a/b": the folder wins
        if os.path.normcase(os.path.abspath(path)) in folders:
            plan.refused.append((o.name, "other objects need a folder of that name"))
        else:
            kept.append((o, path))
    plan.files = kept
    return plan


def make_download_dirs(plan: DownloadPlan) -> None:
    """Create the folders a plan's files need (blocking: run it on the worker threads)."""
    for d in plan.directories():
        os.makedirs(d, exist_ok=True)


async def bulk_delete(session: Session, bucket: str, names: list[str], concurrency: int = 4,
                      on_progress: Callable[[int, int], None] | None = None) -> list[tuple[str, OciError]]:
    """Delete `names` (at most `concurrency` calls at once; `on_progress(done, total)` after each).
    An object already gone (404) counts as deleted. Returns what failed: (name, error), in order."""
    sem = asyncio.Semaphore(max(1, concurrency))
    done = 0
    failed: dict[str, OciError] = {}

    async def one(n: str) -> None:
        nonlocal done
        async with sem:
            try:
                await delete_object(session, bucket, n)
            except OciError as e:
                if e.status != 404:
                    failed[n] = e
            done += 1
            if on_progress is not None:
                on_progress(done, len(names))
    await asyncio.gather(*(one(n) for n in names))
    return [(n, failed[n]) for n in names if n in failed]


async def head_object(session: Session, bucket: str, name: str) -> dict:
    resp = await session.call("object_storage", "head_object", await namespace(session), bucket, name)
    return dict(resp.headers or {})


async def delete_object(session: Session, bucket: str, name: str) -> None:
    await session.call("object_storage", "delete_object", await namespace(session), bucket, name)


async def rename_object(session: Session, bucket: str, old: str, new: str) -> None:
    details = models.RenameObjectDetails(source_name=old, new_name=new)
    await session.call("object_storage", "rename_object", await namespace(session), bucket, details)


async def put_empty(session: Session, bucket: str, name: str) -> None:
    """A zero-byte object (a folder marker when `name` ends with '/')."""
    await session.call("object_storage", "put_object", await namespace(session), bucket, name, b"",
                       content_length=0)


async def list_multipart_uploads(session: Session, bucket: str) -> list:
    return await session.list_all("object_storage", "list_multipart_uploads", await namespace(session), bucket)


async def object_url(session: Session, bucket: str, name: str) -> str:
    return session.connection.object_url(await namespace(session), bucket, name)


# ---------------------------------------------------------------- pre-authenticated requests

async def create_par(session: Session, bucket: str, name: str, access_type: str, expires,
                     object_name: str | None = None, listing: str | None = None):
    """Create a PAR; returns (par, full URL). The URL can only be seen now (OCI never shows it again)."""
    details = models.CreatePreauthenticatedRequestDetails(
        name=name, access_type=access_type, time_expires=expires, object_name=object_name or None,
        bucket_listing_action=listing)
    par = await session.data("object_storage", "create_preauthenticated_request", await namespace(session),
                             bucket, details)
    return par, session.connection.par_url(par.access_uri)


async def list_pars(session: Session, bucket: str) -> list:
    return await session.list_all("object_storage", "list_preauthenticated_requests", await namespace(session),
                                  bucket)


async def delete_par(session: Session, bucket: str, par_id: str) -> None:
    await session.call("object_storage", "delete_preauthenticated_request", await namespace(session), bucket,
                       par_id)


# ---------------------------------------------------------------- replication and lifecycle

async def list_replication_policies(session: Session, bucket: str) -> list:
    return await session.list_all("object_storage", "list_replication_policies", await namespace(session), bucket)


async def get_lifecycle_policy(session: Session, bucket: str):
    """The bucket's lifecycle policy, or None when it has none."""
    try:
        return await session.data("object_storage", "get_object_lifecycle_policy", await namespace(session), bucket)
    except OciError as e:
        if e.status == 404:
            return None
        raise


# ---------------------------------------------------------------- retention rules

async def list_retention_rules(session: Session, bucket: str) -> list:
    """The bucket's retention rules, oldest first, then by name (every page: the answer is a collection, not a
    list)."""
    ns = await namespace(session)
    out: list = []
    page = None
    while True:
        kw: dict[str, Any] = {"page": page} if page else {}
        resp = await session.call("object_storage", "list_retention_rules", ns, bucket, **kw)
        out.extend(resp.data.items or [])
        page = resp.headers.get("opc-next-page") if resp.headers else None
        if not page:
            return sorted(out, key=lambda r: (r.time_created is None, r.time_created, r.display_name or ""))


def now() -> float:
    """The time a rule's lock is compared with (one place, so tests can move it with the service's clock)."""
    return time.time()


def rule_locked(rule, at: float | None = None) -> bool:
    """Whether the rule's lock has taken effect (a locked rule cannot be deleted, nor shortened)."""
    t = getattr(rule, "time_rule_locked", None)
    return t is not None and t.timestamp() <= (now() if at is None else at)


# ---------------------------------------------------------------- transfers

class TransferCancelled(OciError):
    def __init__(self):
        super().__init__("The transfer was cancelled", code="Cancelled", kind="cancelled")


class Transfer:
    """Byte counts and cancellation of one upload or download, shared by the event loop and the worker
    threads that move the bytes. `on_progress(done, total)` is called on the event loop's thread, at
    most every PROGRESS_INTERVAL seconds (and once more by `flush()`)."""

    def __init__(self, total: int = 0, on_progress: Callable[[int, int], None] | None = None):
        self.total = total
        self.done = 0
        self.on_progress = on_progress
        self.parts = 0  # parts of a multipart upload (0: one request)
        self._lock = threading.Lock()
        self._cancelled = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._last = 0.0
        self._pending = False

    def bind(self) -> None:
        self._loop = asyncio.get_running_loop()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        """Stop moving bytes: the worker threads notice at their next chunk."""
        self._cancelled.set()

    def check(self) -> None:
        if self._cancelled.is_set():
            raise TransferCancelled()

    def add(self, n: int) -> None:
        """`n` more bytes moved (negative: a failed part's bytes will be sent again). Any thread."""
        with self._lock:
            self.done += n
            now = time.monotonic()
            due = now - self._last >= PROGRESS_INTERVAL and not self._pending
            if due:
                self._last = now
                self._pending = True
        if due and self.on_progress is not None and self._loop is not None:
            try:
                self._loop.call_soon_threadsafe(self._notify)
            except RuntimeError:  # the loop is closed: nobody is listening any more
                pass

    def _notify(self) -> None:
        with self._lock:
            self._pending = False
            done, total = self.done, self.total
        if self.on_progress is not None:
            self.on_progress(done, total)

    def flush(self) -> None:
        """Report the current counts now (on the loop's thread)."""
        if self.on_progress is not None:
            self.on_progress(self.done, self.total)


class _FileSlice:
    """A file-like view of `length` bytes of `path` from `offset`, read by the SDK on a worker thread;
    counts what was read and stops (raises) as soon as the transfer is cancelled."""

    def __init__(self, path: str, offset: int, length: int, transfer: Transfer):
        self.path, self.offset, self.length, self.transfer = path, offset, length, transfer
        self.sent = 0
        self._f: BinaryIO | None = None

    def __len__(self) -> int:
        return self.length

    def read(self, n: int = -1) -> bytes:
        self.transfer.check()
        if self._f is None:
            self._f = open(self.path, "rb")
            self._f.seek(self.offset)
        left = self.length - self.sent
        if left <= 0:
            self.close()
            return b""
        want = left if n is None or n < 0 else min(n, left)
        data = self._f.read(want)
        if not data:
            self.close()
            raise OSError(f"{self.path} is shorter than expected: it changed during the upload")
        self.sent += len(data)
        self.transfer.add(len(data))
        return data

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None


def _slots_for(session: Session) -> asyncio.Semaphore:
    """At most pool size - 2 transfer calls at once per session, so listing and other calls always
    find a free worker."""
    sem = _slots.get(session)
    if sem is None:
        sem = asyncio.Semaphore(max(1, session.pool._max_workers - 2))
        _slots[session] = sem
    return sem


def part_plan(size: int, part_size: int = PART_SIZE) -> list[tuple[int, int, int]]:
    """[(part number, offset, length)] covering `size` bytes, growing the part size past MAX_PARTS."""
    part_size = max(part_size, -(-size // MAX_PARTS))
    out, off, n = [], 0, 1
    while off < size:
        ln = min(part_size, size - off)
        out.append((n, off, ln))
        off += ln
        n += 1
    return out


async def upload_file(session: Session, bucket: str, name: str, path: str, transfer: Transfer,
                      content_type: str | None = None, part_size: int = PART_SIZE,
                      threshold: int = MULTIPART_THRESHOLD, parallel: int = 4) -> dict:
    """Upload `path` as object `name` (transfer.total must be its size). Multipart at `threshold`
    bytes and more, `parallel` parts at a time; aborted on cancellation or failure. Returns the
    response headers (etag, opc-content-md5 or opc-multipart-md5)."""
    ns = await namespace(session)
    transfer.bind()
    size = transfer.total
    slots = _slots_for(session)
    if size < threshold:
        body = _FileSlice(path, 0, size, transfer)
        try:
            async with slots:
                transfer.check()
                resp = await session.call("object_storage", "put_object", ns, bucket, name, body,
                                          content_length=size, content_type=content_type)
        finally:
            body.close()
        transfer.flush()
        return dict(resp.headers or {})

    plan = part_plan(size, part_size)
    transfer.parts = len(plan)
    upload = await session.data("object_storage", "create_multipart_upload", ns, bucket,
                                models.CreateMultipartUploadDetails(object=name, content_type=content_type))
    per_transfer = asyncio.Semaphore(max(1, parallel))

    async def send(num: int, offset: int, length: int):
        async with per_transfer, slots:
            for attempt in range(PART_ATTEMPTS):
                transfer.check()
                body = _FileSlice(path, offset, length, transfer)
                try:
                    resp = await session.call("object_storage", "upload_part", ns, bucket, name, upload.upload_id,
                                              num, body, content_length=length)
                    return models.CommitMultipartUploadPartDetails(part_num=num, etag=resp.headers["etag"])
                except OciError as e:
                    transfer.add(-body.sent)
                    if not e.retriable or attempt + 1 == PART_ATTEMPTS:
                        raise
                finally:
                    body.close()
                await asyncio.sleep(0.4 * (attempt + 1))
        raise AssertionError("unreachable")

    tasks = [asyncio.ensure_future(send(*p)) for p in plan]
    try:
        try:
            parts = await asyncio.gather(*tasks)
        except BaseException:
            for t in tasks:
                t.cancel()
            raise
        transfer.check()
        resp = await session.call("object_storage", "commit_multipart_upload", ns, bucket, name, upload.upload_id,
                                  models.CommitMultipartUploadDetails(parts_to_commit=list(parts)))
    except BaseException:
        transfer.cancel()  # parts still being read stop at their next chunk
        await asyncio.shield(_abort(session, ns, bucket, name, upload.upload_id))
        raise
    transfer.flush()
    return dict(resp.headers or {})


async def _abort(session: Session, ns: str, bucket: str, name: str, upload_id: str) -> None:
    """Abort a multipart upload (its parts are dropped); retried briefly, never raises."""
    for attempt in range(3):
        try:
            await session.call("object_storage", "abort_multipart_upload", ns, bucket, name, upload_id)
            return
        except OciError as e:
            if e.status == 404:
                return
            if attempt == 2:
                import logging
                logging.getLogger(__name__).warning("could not abort multipart upload %s of %s: %s", upload_id,
                                                    name, e.summary())
                return
        await asyncio.sleep(0.3 * (attempt + 1))


def _write_body(resp, dest: str, transfer: Transfer) -> None:
    """Stream a get_object response to `dest` (worker thread): a temporary file renamed when complete,
    removed when anything goes wrong or the transfer is cancelled."""
    directory = os.path.dirname(os.path.abspath(dest))
    tmp = os.path.join(directory, f".{os.path.basename(dest)}.{uuid.uuid4().hex[:8]}.part")
    stream = resp.data
    try:
        with open(tmp, "wb") as f:
            raw = getattr(stream, "raw", None)
            chunks = raw.stream(CHUNK, decode_content=True) if raw is not None else stream.iter_content(CHUNK)
            for chunk in chunks:
                transfer.check()
                f.write(chunk)
                transfer.add(len(chunk))
        transfer.check()
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    finally:
        try:
            stream.close()
        except Exception:
            pass


async def download_object(session: Session, bucket: str, name: str, dest: str, transfer: Transfer) -> str:
    """Download object `name` to the file `dest` (streamed to disk on a worker thread). Returns dest."""
    ns = await namespace(session)
    transfer.bind()
    async with _slots_for(session):
        transfer.check()
        resp = await session.call("object_storage", "get_object", ns, bucket, name)
        try:
            transfer.total = int((resp.headers or {}).get("content-length") or transfer.total or 0)
        except ValueError:
            pass
        loop = asyncio.get_running_loop()
        cf = session.pool.submit(_write_body, resp, dest, transfer)
        try:
            await asyncio.wrap_future(cf, loop=loop)
        except asyncio.CancelledError:
            transfer.cancel()  # the thread stops at its next chunk and removes the temporary file
            try:
                await asyncio.wrap_future(cf, loop=loop)
            except BaseException:
                pass
            raise
        except OSError as e:
            raise OciError(f"Cannot write {dest}: {e.strerror or e}", code="LocalFileError", kind="input") from None
        except Exception as exc:
            from ..core.errors import from_exception
            raise from_exception(exc, operation="get_object", service="object_storage") from None
    transfer.flush()
    return dest
