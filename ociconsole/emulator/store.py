"""The emulator's state: documents by kind, in memory, optionally persisted to SQLite.

Rules for callers (service modules):
- documents returned by `get`/`list` are shared: never mutate them in place; use
  `update` (shallow field changes) or `put` a new dict.
- every request runs inside `transaction()`: all changes are committed to the state file
  before the response is sent (so an acknowledged create survives a SIGKILL), or rolled
  back in memory if the handler raised (so a failed request changes nothing).

Keys starting with "_" are internal (etag, region, pending lifecycle...) and never
serialized to clients. `put` keeps each document's `_stateHistory`: a bounded list of
`[time, lifecycleState]` entries, one per change of `lifecycleState` (the first entry is
`[None, initial state]`, "since timeCreated"), so services can tell what state a resource
was in at a past time (the monitoring emulator reports metrics only while RUNNING, the Usage API bills
the hours in each state).

The journal (`journal_append`, `journal`) is a bounded, append-only record of every request served (the Audit
service lists it): appended outside transactions (a refused request is audited too), kept in memory, and with
a state file written in batches of JOURNAL_BATCH rows with the next commit (as OCI, whose audit events appear
after a delay) and at close.
"""

from __future__ import annotations

import collections
import heapq
import itertools
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .clock import Clock
from .protocol import new_etag

_MISSING = object()
STATE_HISTORY_MAX = 100  # lifecycle changes kept per document
JOURNAL_MAX = 50_000  # requests kept in the journal (the oldest go first)
JOURNAL_BATCH = 200  # journal rows written to the state file at once
GONE = "_gone"  # tombstones of deleted billable resources (their hours stay billed: see `delete`)
GONE_KEEP = 400 * 86400.0  # tombstones older than that are dropped (the Usage API answers a year back)


class Store:
    def __init__(self, path: str | None = None):
        self.path = path
        self.clock = Clock()  # the emulator core replaces it with its own
        self.lock = threading.RLock()
        self._docs: dict[str, dict[str, dict]] = {}
        self._by_comp: dict[str, dict[str, dict[str, dict]]] = {}
        self._field_idx: dict[tuple[str, str], dict[object, dict[str, dict]]] = {}
        self._fields_by_kind: dict[str, list[str]] = {}
        self._meta: dict[str, object] = {}
        self._timers: list[tuple[float, int, dict]] = []
        self._seq = itertools.count(1)
        self._undo: list[tuple] | None = None
        self._dirty_docs: dict[tuple[str, str], dict | None] = {}
        self._dirty_meta: dict[str, object] = {}
        self._timer_adds: list[tuple[float, int, dict]] = []
        self._timer_dels: list[int] = []
        self._after_commit: list = []
        self._on_rollback: list = []
        self._journal: collections.deque[tuple] = collections.deque(maxlen=JOURNAL_MAX)
        self._journal_pending: collections.deque[tuple] = collections.deque()
        self._db: sqlite3.Connection | None = None
        if path:
            self._open(path)

    # ------------------------------------------------------------ persistence
    def _open(self, path: str) -> None:
        db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # durable against process death
        db.execute("CREATE TABLE IF NOT EXISTS docs (kind TEXT, id TEXT, doc TEXT, PRIMARY KEY (kind, id))")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("CREATE TABLE IF NOT EXISTS timers (seq INTEGER PRIMARY KEY, at REAL, payload TEXT)")
        db.execute("CREATE TABLE IF NOT EXISTS journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, rec TEXT)")
        self._db = db
        rows = db.execute("SELECT rec FROM journal ORDER BY seq DESC LIMIT ?", (JOURNAL_MAX,)).fetchall()
        self._journal.extend(tuple(json.loads(r)) for (r,) in reversed(rows))
        for kind, _id, raw in db.execute("SELECT kind, id, doc FROM docs ORDER BY rowid"):
            self._index_put(kind, json.loads(raw))
        for key, raw in db.execute("SELECT key, value FROM meta"):
            self._meta[key] = json.loads(raw)
        top = 0
        for seq, at, raw in db.execute("SELECT seq, at, payload FROM timers"):
            self._timers.append((at, seq, json.loads(raw)))
            top = max(top, seq)
        heapq.heapify(self._timers)
        self._seq = itertools.count(top + 1)

    @property
    def persistent(self) -> bool:
        return self._db is not None

    def is_empty(self) -> bool:
        return not any(self._docs.values())

    def close(self) -> None:
        with self.lock:
            if self._db is not None:
                if self._journal_pending:
                    self._db.execute("BEGIN")
                    self._flush_journal(self._db)
                    self._db.execute("COMMIT")
                self._db.close()
                self._db = None

    # ------------------------------------------------------------ transactions
    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.lock:
            if self._undo is not None:  # nested: the outer one commits
                yield
                return
            self._undo = []
            try:
                yield
            except BaseException:
                self._rollback()
                self._run(self._on_rollback)
                raise
            else:
                self._commit()
                self._run(self._after_commit)
            finally:
                self._undo = None
                self._after_commit = []
                self._on_rollback = []

    def after_commit(self, fn) -> None:
        """Run `fn()` once the current transaction is committed (e.g. free a file a deleted doc owned)."""
        self._require_txn()
        self._after_commit.append(fn)

    def on_rollback(self, fn) -> None:
        """Run `fn()` if the current transaction is rolled back (e.g. remove a file a failed create wrote)."""
        self._require_txn()
        self._on_rollback.append(fn)

    @staticmethod
    def _run(callbacks: list) -> None:
        for fn in callbacks:
            try:
                fn()
            except Exception:
                import logging
                logging.getLogger("ociconsole.emulator").exception("transaction callback failed")

    def _rollback(self) -> None:
        assert self._undo is not None
        for entry in reversed(self._undo):
            what = entry[0]
            if what == "doc":
                _, kind, ident, old = entry
                cur = self._docs.get(kind, {}).get(ident)
                if cur is not None:
                    self._index_del(kind, cur)
                if old is not None:
                    self._index_put(kind, old)
            elif what == "meta":
                _, key, old = entry
                if old is _MISSING:
                    self._meta.pop(key, None)
                else:
                    self._meta[key] = old
            elif what == "timer_add":
                item = entry[1]
                try:
                    self._timers.remove(item)
                    heapq.heapify(self._timers)
                except ValueError:
                    pass
            elif what == "timer_pop":
                heapq.heappush(self._timers, entry[1])
        self._dirty_docs.clear()
        self._dirty_meta.clear()
        self._timer_adds.clear()
        self._timer_dels.clear()

    def _commit(self) -> None:
        db = self._db
        if db is not None and (self._dirty_docs or self._dirty_meta or self._timer_adds or self._timer_dels
                               or len(self._journal_pending) >= JOURNAL_BATCH):
            db.execute("BEGIN")
            try:
                self._flush_journal(db)
                ups = [(k, i, json.dumps(d, separators=(",", ":")))
                       for (k, i), d in self._dirty_docs.items() if d is not None]
                dels = [(k, i) for (k, i), d in self._dirty_docs.items() if d is None]
                if ups:
                    db.executemany(
                        "INSERT INTO docs (kind, id, doc) VALUES (?, ?, ?) "
                        "ON CONFLICT(kind, id) DO UPDATE SET doc = excluded.doc", ups)
                if dels:
                    db.executemany("DELETE FROM docs WHERE kind = ? AND id = ?", dels)
                for key, val in self._dirty_meta.items():
                    if val is _MISSING:
                        db.execute("DELETE FROM meta WHERE key = ?", (key,))
                    else:
                        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                   (key, json.dumps(val)))
                if self._timer_adds:
                    db.executemany("INSERT INTO timers (seq, at, payload) VALUES (?, ?, ?)",
                                   [(s, a, json.dumps(p)) for a, s, p in self._timer_adds])
                if self._timer_dels:
                    db.executemany("DELETE FROM timers WHERE seq = ?", [(s,) for s in self._timer_dels])
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        self._dirty_docs.clear()
        self._dirty_meta.clear()
        self._timer_adds.clear()
        self._timer_dels.clear()

    def _require_txn(self) -> None:
        if self._undo is None:
            raise RuntimeError("store mutation outside a transaction")

    # ------------------------------------------------------------ documents
    def _index_put(self, kind: str, doc: dict) -> None:
        self._docs.setdefault(kind, {})[doc["id"]] = doc
        comp = doc.get("compartmentId")
        if comp is not None:
            self._by_comp.setdefault(kind, {}).setdefault(comp, {})[doc["id"]] = doc
        for f in self._fields_by_kind.get(kind, ()):
            v = doc.get(f)
            if v is not None:
                self._field_idx[(kind, f)].setdefault(v, {})[doc["id"]] = doc

    def _index_del(self, kind: str, doc: dict) -> None:
        self._docs.get(kind, {}).pop(doc["id"], None)
        comp = doc.get("compartmentId")
        if comp is not None:
            bucket = self._by_comp.get(kind, {}).get(comp)
            if bucket is not None:
                bucket.pop(doc["id"], None)
        for f in self._fields_by_kind.get(kind, ()):
            v = doc.get(f)
            if v is not None:
                b = self._field_idx[(kind, f)].get(v)
                if b is not None:
                    b.pop(doc["id"], None)

    def get(self, kind: str, ident: str) -> dict | None:
        return self._docs.get(kind, {}).get(ident)

    def list(self, kind: str, compartment_id: str | None = None) -> list[dict]:
        if compartment_id is not None:
            return list(self._by_comp.get(kind, {}).get(compartment_id, {}).values())
        return list(self._docs.get(kind, {}).values())

    def by_field(self, kind: str, field: str, value) -> list[dict]:
        """Documents of `kind` whose `field` equals `value` (an index built on first use)."""
        key = (kind, field)
        idx = self._field_idx.get(key)
        if idx is None:
            with self.lock:
                idx = {}
                for d in self._docs.get(kind, {}).values():
                    v = d.get(field)
                    if v is not None:
                        idx.setdefault(v, {})[d["id"]] = d
                self._field_idx[key] = idx
                self._fields_by_kind.setdefault(kind, []).append(field)
        return list(idx.get(value, {}).values())

    def count_by_field(self, kind: str, field: str, value) -> int:
        """How many documents of `kind` have `field` == `value` (the by_field index, without copying a list)."""
        idx = self._field_idx.get((kind, field))
        if idx is None:
            self.by_field(kind, field, value)  # builds the index
            idx = self._field_idx[(kind, field)]
        return len(idx.get(value, ()))

    def count(self, kind: str) -> int:
        return len(self._docs.get(kind, {}))

    def put(self, kind: str, doc: dict) -> dict:
        """Insert or replace a whole document (a fresh etag is assigned)."""
        self._require_txn()
        doc = dict(doc)
        doc["_etag"] = new_etag()
        old = self._docs.get(kind, {}).get(doc["id"])
        if old is not None:
            _record_state_change(old, doc, self.clock.now())
        self._undo.append(("doc", kind, doc["id"], old))  # type: ignore[union-attr]
        if old is not None:
            self._index_del(kind, old)
        self._index_put(kind, doc)
        if self._db is not None:  # (in memory, nothing is written: seeding 50,000 instances keeps no copy)
            self._dirty_docs[(kind, doc["id"])] = doc
        return doc

    def update(self, kind: str, ident: str, changes: dict) -> dict:
        old = self._docs.get(kind, {}).get(ident)
        if old is None:
            raise KeyError(ident)
        new = dict(old)
        new.update(changes)
        return self.put(kind, new)

    def delete(self, kind: str, ident: str) -> None:
        """Remove a document. A resource that is billed (a kind priced in ociconsole/lang/prices.json) leaves
        a tombstone in `_gone` with its fields and state history, so the hours it ran stay in the usage."""
        self._require_txn()
        old = self._docs.get(kind, {}).get(ident)
        if old is None:
            return
        if kind in _billed_kinds():
            now = self.clock.now()
            tomb = {k: v for k, v in old.items() if not k.startswith("_") or k in ("_stateHistory", "_region")}
            tomb.update(id=f"{kind}:{ident}", _kind=kind, _goneAt=now, _id=ident)
            tomb.pop("compartmentId", None)  # not listed with the compartment's live resources
            tomb["_compartmentId"] = old.get("compartmentId")
            self.put(GONE, tomb)
            for t in list(itertools.islice(self._docs.get(GONE, {}).values(), 4)):  # the oldest, a few per delete
                if t.get("_goneAt", now) < now - GONE_KEEP:
                    self.delete(GONE, t["id"])
        self._undo.append(("doc", kind, ident, old))  # type: ignore[union-attr]
        self._index_del(kind, old)
        if self._db is not None:
            self._dirty_docs[(kind, ident)] = None

    # ------------------------------------------------------------ meta
    def meta(self, key: str, default=None):
        return self._meta.get(key, default)

    def set_meta(self, key: str, value) -> None:
        self._require_txn()
        self._undo.append(("meta", key, self._meta.get(key, _MISSING)))  # type: ignore[union-attr]
        self._meta[key] = value
        self._dirty_meta[key] = value

    def del_meta(self, key: str) -> None:
        self._require_txn()
        if key in self._meta:
            self._undo.append(("meta", key, self._meta[key]))  # type: ignore[union-attr]
            del self._meta[key]
            self._dirty_meta[key] = _MISSING

    # ------------------------------------------------------------ timers
    def schedule(self, at: float, payload: dict) -> None:
        self._require_txn()
        item = (at, next(self._seq), payload)
        heapq.heappush(self._timers, item)
        self._undo.append(("timer_add", item))  # type: ignore[union-attr]
        self._timer_adds.append(item)

    def pop_due(self, now: float | None = None, limit: int = 10_000) -> list[dict]:
        """Remove and return the payloads of timers due at `now` (inside a transaction)."""
        self._require_txn()
        if now is None:
            now = self.clock.now()
        out = []
        while self._timers and self._timers[0][0] <= now and len(out) < limit:
            item = heapq.heappop(self._timers)
            self._undo.append(("timer_pop", item))  # type: ignore[union-attr]
            if item in self._timer_adds:
                self._timer_adds.remove(item)
            else:
                self._timer_dels.append(item[1])
            out.append(item[2])
        return out

    def next_timer_at(self) -> float | None:
        return self._timers[0][0] if self._timers else None

    def pending_timers(self) -> int:
        return len(self._timers)

    # ------------------------------------------------------------ journal
    def journal_append(self, rec: tuple) -> None:
        """Record one served request (thread-safe without the lock: deque appends are atomic)."""
        self._journal.append(rec)
        if self._db is not None:
            self._journal_pending.append(rec)

    def journal(self) -> list[tuple]:
        """The recorded requests, oldest first."""
        return list(self._journal)

    def _flush_journal(self, db: sqlite3.Connection) -> None:
        rows = []
        pending = self._journal_pending
        while pending:
            rows.append((json.dumps(pending.popleft(), separators=(",", ":")),))
        if rows:
            db.executemany("INSERT INTO journal (rec) VALUES (?)", rows)
            db.execute("DELETE FROM journal WHERE seq <= (SELECT MAX(seq) FROM journal) - ?", (JOURNAL_MAX,))

    # ------------------------------------------------------------ reset
    def clear(self) -> None:
        with self.lock:
            self._journal.clear()
            self._journal_pending.clear()
            self._docs.clear()
            self._by_comp.clear()
            self._field_idx.clear()
            self._fields_by_kind.clear()
            self._meta.clear()
            self._timers.clear()
            if self._db is not None:
                self._db.execute("BEGIN")
                self._db.execute("DELETE FROM docs")
                self._db.execute("DELETE FROM meta")
                self._db.execute("DELETE FROM timers")
                self._db.execute("DELETE FROM journal")
                self._db.execute("COMMIT")


def _billed_kinds() -> frozenset[str]:
    global _BILLED
    if _BILLED is None:
        from ..lang import prices
        _BILLED = frozenset(prices.all_rules())
    return _BILLED


_BILLED: frozenset[str] | None = None


def _record_state_change(old: dict, new: dict, now: float) -> None:
    """Carry `_stateHistory` over to the new version and append a changed `lifecycleState`."""
    hist = old.get("_stateHistory")
    before, after = old.get("lifecycleState"), new.get("lifecycleState")
    if before is not None and after is not None and before != after:
        hist = list(hist or [[None, before]])
        hist.append([now, after])
        new["_stateHistory"] = hist[-STATE_HISTORY_MAX:]
    elif hist is not None and "_stateHistory" not in new:
        new["_stateHistory"] = hist
