"""Base Database Service calls the catalog needs beyond one list call: databases and DB nodes are listed per DB
system (OCI lists databases per DB home or DB system), and Data Guard associations per database (they live under
their database's path, so the association's getter remembers where it saw each one)."""

from __future__ import annotations

from typing import Any

from .runtime import Session

GONE = ("TERMINATING", "TERMINATED")
# association OCID -> its database's OCID (an association is read under /databases/{id}/dataGuardAssociations)
_ASSOCIATION_DB: dict[str, str] = {}


async def list_db_systems(session: Session, compartment_id: str) -> list:
    return await session.list_all("database", "list_db_systems", compartment_id)


async def get_db_system(session: Session, ocid: str):
    return await session.data("database", "get_db_system", ocid)


async def list_databases(session: Session, compartment_id: str, system_id: str | None = None) -> list:
    systems = [system_id] if system_id else [s.id for s in await list_db_systems(session, compartment_id)
                                             if s.lifecycle_state not in GONE]
    out: list = []
    for sid in systems:
        out += await session.list_all("database", "list_databases", compartment_id=compartment_id, system_id=sid)
    return out


async def list_db_nodes(session: Session, compartment_id: str, system_id: str | None = None) -> list:
    kw = {"db_system_id": system_id} if system_id else {}
    return await session.list_all("database", "list_db_nodes", compartment_id, **kw)


async def list_db_homes(session: Session, compartment_id: str, system_id: str) -> list:
    return await session.list_all("database", "list_db_homes", compartment_id=compartment_id, db_system_id=system_id)


async def list_backups(session: Session, compartment_id: str, database_id: str | None = None) -> list:
    kw: dict[str, Any] = {"database_id": database_id} if database_id else {"compartment_id": compartment_id}
    return await session.list_all("database", "list_backups", **kw)


def _named(assoc, db, peer_db=None):
    """The association with a name a person reads: its database and the peer's (unique names)."""
    peer_name = getattr(peer_db, "db_unique_name", None) or (assoc.peer_database_id or "")[-8:]
    assoc.display_name = f"{db.db_unique_name} ⇄ {peer_name}"
    assoc.db_unique_name = db.db_unique_name
    assoc.peer_db_unique_name = peer_name
    assoc.compartment_id = db.compartment_id
    _ASSOCIATION_DB[assoc.id] = db.id
    return assoc


async def associations_of(session: Session, db) -> list:
    out = []
    for a in await session.data("database", "list_data_guard_associations", db.id):
        peer = None
        if a.peer_database_id:
            try:
                peer = await session.data("database", "get_database", a.peer_database_id)
            except Exception:
                peer = None
        out.append(_named(a, db, peer))
    return out


async def list_associations(session: Session, compartment_id: str) -> list:
    out: list = []
    for db in await list_databases(session, compartment_id):
        if db.lifecycle_state in GONE:
            continue
        out += await associations_of(session, db)
    return out


def remember(assoc):
    """An association answered by a create or a role change: its getter will find it under its database."""
    if assoc is not None and getattr(assoc, "database_id", None):
        _ASSOCIATION_DB[assoc.id] = assoc.database_id
    return assoc


async def get_association(session: Session, ocid: str):
    db_id = _ASSOCIATION_DB.get(ocid)
    if db_id is None:
        from ..core.errors import OciError
        raise OciError(f"Data Guard association {ocid}: list its database's associations first", code="NotFound",
                       kind="input")
    db = await session.data("database", "get_database", db_id)
    a = await session.data("database", "get_data_guard_association", db_id, ocid)
    peer = await session.data("database", "get_database", a.peer_database_id) if a.peer_database_id else None
    return _named(a, db, peer)


def picture(assoc) -> list[tuple[str, str]]:
    """The two databases and their roles, top to bottom: the primary, the redo it ships, the standby."""
    mine = (assoc.role, assoc.db_unique_name)
    theirs = (assoc.peer_role, assoc.peer_db_unique_name)
    top, bottom = (mine, theirs) if assoc.role == "PRIMARY" else (theirs, mine)
    labels = {"PRIMARY": ("Primary", "●"), "STANDBY": ("Standby", "○"), "DISABLED_STANDBY": ("Disabled standby", "✕"),
              "SNAPSHOT_STANDBY": ("Snapshot standby", "◐")}
    rows = [(labels.get(top[0], (top[0], "?"))[0], f"{labels.get(top[0], ('', '?'))[1]} {top[1]}")]
    if bottom[0] == "DISABLED_STANDBY":
        rows.append(("Redo", "╳ not shipped: reinstate the disabled standby"))
    else:
        rows.append(("Redo", f"▼ {assoc.transport_type} ({assoc.protection_mode})"))
    rows.append((labels.get(bottom[0], (bottom[0], "?"))[0], f"{labels.get(bottom[0], ('', '?'))[1]} {bottom[1]}"))
    return rows


# ---------------------------------------------------------------- Database Migration

async def _items(session: Session, method: str, *args, **kw) -> list:
    out: list = []
    page = None
    while True:
        if page:
            kw["page"] = page
        resp = await session.call("database_migration", method, *args, **kw)
        out += list(resp.data.items or [])
        page = (resp.headers or {}).get("opc-next-page")
        if not page:
            return out


async def list_connections(session: Session, compartment_id: str) -> list:
    return await _items(session, "list_connections", compartment_id)


async def list_migrations(session: Session, compartment_id: str) -> list:
    return await _items(session, "list_migrations", compartment_id)


async def list_jobs(session: Session, migration_id: str) -> list:
    return await _items(session, "list_jobs", migration_id=migration_id)


async def job_output(session: Session, job_id: str) -> list[str]:
    return [o.message for o in await _items(session, "list_job_outputs", job_id)]
