"""Logging calls the console needs beyond engine-shaped CRUD (no Qt): logs across log groups, the service logs
of one resource, searching (with all pages), the Log Explorer's query builder, histogram, live-tail cursor
and export to JSON / CSV.

A log is read by its group and its OCID (`get_log(group, log)`); `get_log(session, log_id)` finds the group
from what was listed before, else from the tenancy's log groups (isCompartmentIdInSubtree).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import OciError
from ..core.sdk import models as sdk_models
from .runtime import Session

MAX_ROWS = 10_000  # rows a search reads (pages of 1,000)
_GROUP_OF: dict[str, str] = {}  # log OCID -> its log group (what list_logs saw)


def _remember(logs: Iterable) -> list:
    out = list(logs)
    for lg in out:
        _GROUP_OF[lg.id] = lg.log_group_id
    return out


async def list_log_groups(session: Session, compartment_id: str, subtree: bool = False) -> list:
    kw = {"is_compartment_id_in_subtree": True} if subtree else {}
    return await session.list_all("logging", "list_log_groups", compartment_id, lazy=False, **kw)


async def list_logs(session: Session, log_group_id: str, **filters) -> list:
    return _remember(await session.list_all("logging", "list_logs", log_group_id, lazy=False, **filters))


async def list_compartment_logs(session: Session, compartment_id: str) -> list:
    """Every log of the compartment's log groups."""
    out = []
    for g in await list_log_groups(session, compartment_id):
        if g.lifecycle_state in ("ACTIVE", "UPDATING"):
            out.extend(await list_logs(session, g.id))
    return out


async def get_log(session: Session, log_id: str):
    group = _GROUP_OF.get(log_id)
    if group is None:
        for g in await list_log_groups(session, session.connection.tenancy_id, subtree=True):
            if log_id in {lg.id for lg in await list_logs(session, g.id)}:
                group = g.id
                break
    if group is None:
        raise OciError(f"The log {log_id} was not found in the tenancy's log groups", code="NotAuthorizedOrNotFound",
                       status=404, kind="service")
    return await session.data("logging", "get_log", group, log_id)


async def resource_logs(session: Session, service: str, resource: str) -> list:
    """The service logs enabled for one resource (a bucket by name, a subnet by OCID), in any log group."""
    out = []
    for g in await list_log_groups(session, session.connection.tenancy_id, subtree=True):
        out.extend(await list_logs(session, g.id, source_service=service, source_resource=resource))
    return out


# ---------------------------------------------------------------- queries

@dataclass
class Condition:
    """One line of the query builder: `<field> <op> <value>`."""

    field: str
    op: str  # = != > >= < <= like contains
    value: str

    def text(self) -> str:
        f = self.field.strip()
        if self.op == "contains":
            return f"{f} = '*{_esc(self.value)}*'"
        v = self.value.strip()
        if self.op in (">", ">=", "<", "<=") and _is_number(v):
            return f"{f} {self.op} {v}"
        if self.op in ("=", "!=") and _is_number(v) and f != "logContent":
            return f"{f} {self.op} {v}"
        return f"{f} {self.op} '{_esc(v)}'"


def _esc(s: str) -> str:
    return s.replace("'", "''")


def _is_number(s: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", s))


BUILDER_OPS = ("contains", "=", "!=", ">", ">=", "<", "<=", "like")
BUILDER_FIELDS = ("logContent", "type", "source", "subject", "data.message", "data.level",
                  "data.requestAction", "data.objectName", "data.principalName", "data.statusCode")


def name_or_id(res) -> str:
    """How a query names a log group or log: its display name when the name can stand in a stream (no '/',
    no quote, and the service finds groups and logs by name), else its OCID."""
    name = getattr(res, "display_name", None) or ""
    return name if re.fullmatch(r"[A-Za-z0-9_.\- ]{1,255}", name) and name.strip() == name else res.id


def stream(compartment_id: str, log_group: str | None = None, log: str | None = None) -> str:
    return "/".join(p for p in (compartment_id, log_group, log) if p)


def build_query(streams: list[str], conditions: list[Condition] | None = None, match_all: bool = True,
                newest_first: bool = True, summarize_by: str = "") -> str:
    """The query the builder's choices make: search "<streams>" | where … | sort by datetime desc."""
    if not streams:
        raise ValueError("pick at least one log, log group or compartment")
    q = "search " + ", ".join(f'"{s}"' for s in streams)
    conds = [c.text() for c in conditions or [] if c.field.strip() and c.value.strip()]
    if conds:
        q += " | where " + f" {'and' if match_all else 'or'} ".join(conds)
    if summarize_by:
        q += f" | summarize count() by {summarize_by}"
    else:
        q += f" | sort by datetime {'desc' if newest_first else 'asc'}"
    return q


def check_query(text: str) -> str | None:
    """The query's syntax error ("Invalid query at column N: …"), or None (catalog.logging re-exports)."""
    from ..lang import logging_query
    try:
        logging_query.parse(text)
    except logging_query.LogQueryError as e:
        return str(e)
    return None


def _iso(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


async def search(session: Session, query: str, start: dt.datetime, end: dt.datetime,
                 max_rows: int = MAX_ROWS) -> list[dict]:
    """Every result row (`SearchResult.data` dicts) of a query between `start` and `end`, up to `max_rows`."""
    LS = sdk_models("loggingsearch")
    details = LS.SearchLogsDetails(time_start=_iso(start), time_end=_iso(end), search_query=query,
                                   is_return_field_info=False)
    rows: list[dict] = []
    page = None
    while True:
        kw: dict[str, Any] = {"limit": min(1000, max_rows - len(rows))}
        if page:
            kw["page"] = page
        resp = await session.call("logging_search", "search_logs", details, **kw)
        rows.extend(r.data for r in resp.data.results or [])
        page = resp.headers.get("opc-next-page") if resp.headers else None
        if not page or len(rows) >= max_rows:
            return rows


def row_time(row: dict) -> dt.datetime | None:
    ms = row.get("datetime")
    if not isinstance(ms, (int, float)):
        return None
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC)


def row_summary(row: dict) -> dict[str, str]:
    """A result row as the table's columns: time, log, source, type and the message."""
    c = row.get("logContent")
    if not isinstance(c, dict):  # summarize / select rows
        return {k: _cell(v) for k, v in row.items()}
    data = c.get("data")
    if isinstance(data, dict) and data.get("requestAction"):  # an Object Storage access log entry
        msg = (f"{data['requestAction']} {data.get('objectName') or data.get('bucketName') or ''} "
               f"({data.get('statusCode', '')}) by {data.get('principalName') or data.get('authenticationType')}")
    elif isinstance(data, dict):
        msg = data.get("message") or data.get("msg") or json.dumps(data, sort_keys=True)
    else:
        msg = "" if data is None else str(data)
    t = row_time(row)
    return {"time": t.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] if t else "", "source": str(c.get("source") or ""),
            "type": str(c.get("type") or ""), "message": str(msg),
            "log": str((c.get("oracle") or {}).get("logid") or "")}


def _cell(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return json.dumps(v, sort_keys=True) if isinstance(v, (dict, list)) else ("" if v is None else str(v))


def histogram(rows: list[dict], start: dt.datetime, end: dt.datetime, buckets: int = 60) -> list[tuple[float, int]]:
    """Events over time: (bucket start as epoch seconds, count) for `buckets` equal slices of [start, end)."""
    t0, t1 = _iso(start).timestamp(), _iso(end).timestamp()
    width = max((t1 - t0) / max(buckets, 1), 1e-3)
    counts = [0] * buckets
    for r in rows:
        t = row_time(r)
        if t is None:
            continue
        i = math.floor((t.timestamp() - t0) / width)
        if 0 <= i < buckets:
            counts[i] += 1
    return [(t0 + i * width, n) for i, n in enumerate(counts)]


@dataclass
class TailCursor:
    """Live tail: each `poll` returns the entries that arrived since the last one (none twice)."""

    query: str
    since: dt.datetime
    seen: set[str] = field(default_factory=set)
    overlap: float = 5.0  # seconds searched again: entries whose time is a little in the past still arrive

    async def poll(self, session: Session, now: dt.datetime) -> list[dict]:
        start = _iso(self.since) - dt.timedelta(seconds=self.overlap)
        rows = await search(session, self.query, start, _iso(now) + dt.timedelta(seconds=1))
        fresh = []
        for r in rows:
            key = _key(r)
            if key in self.seen:
                continue
            self.seen.add(key)
            fresh.append(r)
        newest = max((t for r in fresh if (t := row_time(r)) is not None), default=None)
        if newest is not None and newest > _iso(self.since):
            self.since = newest
        return fresh


def _key(row: dict) -> str:
    c = row.get("logContent") or {}
    return f"{(c.get('oracle') or {}).get('logid')}|{c.get('id')}|{row.get('datetime')}"


# ---------------------------------------------------------------- export

def export_json(rows: list[dict], path: str) -> int:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(rows, f, indent=2, sort_keys=True, default=str)
    return len(rows)


def export_csv(rows: list[dict], path: str) -> int:
    """One line per row: the log entries' time, log, source, type, subject and data (JSON), or the columns of
    summarize / select rows."""
    raw = bool(rows) and isinstance(rows[0].get("logContent"), dict)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        if raw:
            w.writerow(["time", "log", "source", "type", "subject", "data"])
            for r in rows:
                c = r.get("logContent") or {}
                t = row_time(r)
                data = c.get("data")
                w.writerow([t.isoformat() if t else "", (c.get("oracle") or {}).get("logid", ""), c.get("source", ""),
                            c.get("type", ""), c.get("subject", ""),
                            json.dumps(data, sort_keys=True) if isinstance(data, (dict, list)) else data])
        else:
            cols: list[str] = []
            for r in rows:
                cols.extend(k for k in r if k not in cols)
            w.writerow(cols)
            for r in rows:
                w.writerow([_cell(r.get(k)) for k in cols])
    return len(rows)
