"""File Storage: file systems, mount targets (and their export sets and private IPs), exports,
snapshots."""

from __future__ import annotations

import asyncio

from ..core.errors import OciError
from ..core.sdk import models as sdk_models
from . import identity
from .runtime import Session

models = sdk_models("file_storage")
GONE = ("DELETING", "DELETED")


async def _per_ad(session: Session, method: str, compartment_id: str, **kw) -> list:
    """File Storage lists are per availability domain: every AD of the region, in parallel."""
    ads = await identity.list_availability_domains(session)
    lists = await asyncio.gather(*(session.list_all("file_storage", method, compartment_id, ad.name, **kw)
                                   for ad in ads))
    return [x for lst in lists for x in lst]


async def list_file_systems(session: Session, compartment_id: str) -> list:
    return await _per_ad(session, "list_file_systems", compartment_id)


async def get_file_system(session: Session, fs_id: str):
    return await session.data("file_storage", "get_file_system", fs_id)


async def delete_file_system(session: Session, fs_id: str) -> None:
    await session.call("file_storage", "delete_file_system", fs_id)


async def list_mount_targets(session: Session, compartment_id: str, availability_domain: str | None = None) -> list:
    if availability_domain:
        return await session.list_all("file_storage", "list_mount_targets", compartment_id, availability_domain)
    return await _per_ad(session, "list_mount_targets", compartment_id)


async def get_mount_target(session: Session, mt_id: str):
    return await session.data("file_storage", "get_mount_target", mt_id)


async def delete_mount_target(session: Session, mt_id: str) -> None:
    await session.call("file_storage", "delete_mount_target", mt_id)


async def mount_target_ip(session: Session, mt) -> str | None:
    """The private IP address of a mount target (what NFS clients mount from)."""
    for pid in mt.private_ip_ids or []:
        try:
            return (await session.data("network", "get_private_ip", pid)).ip_address
        except OciError:
            continue
    return None


async def list_exports(session: Session, file_system_id: str | None = None, export_set_id: str | None = None,
                       compartment_id: str | None = None) -> list:
    kw = {k: v for k, v in (("file_system_id", file_system_id), ("export_set_id", export_set_id),
                            ("compartment_id", compartment_id)) if v}
    out = await session.list_all("file_storage", "list_exports", **kw)
    return [e for e in out if e.lifecycle_state not in GONE]


async def get_export(session: Session, export_id: str):
    return await session.data("file_storage", "get_export", export_id)


async def delete_export(session: Session, export_id: str) -> None:
    await session.call("file_storage", "delete_export", export_id)


async def list_snapshots(session: Session, file_system_id: str) -> list:
    out = await session.list_all("file_storage", "list_snapshots", file_system_id=file_system_id)
    return [s for s in out if s.lifecycle_state not in GONE]


def mount_command(ip: str, path: str) -> str:
    """`sudo mount -t nfs <ip>:/<path> /mnt/<path>` for an export path."""
    p = "/" + path.strip("/")
    return f"sudo mount -t nfs {ip}:{p} /mnt{p}"
