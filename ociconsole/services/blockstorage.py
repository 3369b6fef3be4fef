"""Block Volume: volumes, their attachments to instances, volume backups, backup policies and
their assignments. (Boot volumes live in services/compute.py.)"""

from __future__ import annotations

import asyncio
import logging

from ..core.errors import OciError, loggable
from ..core.sdk import models as sdk_models
from .runtime import Session

log = logging.getLogger(__name__)

models = sdk_models("core")
LIVE_ATTACHMENT = ("ATTACHING", "ATTACHED")


# ---------------------------------------------------------------- volumes

async def list_volumes(session: Session, compartment_id: str) -> list:
    return await session.list_all("blockstorage", "list_volumes", compartment_id=compartment_id)


async def get_volume(session: Session, volume_id: str):
    return await session.data("blockstorage", "get_volume", volume_id)


async def delete_volume(session: Session, volume_id: str) -> None:
    await session.call("blockstorage", "delete_volume", volume_id)


# ---------------------------------------------------------------- attachments

async def volume_attachments(session: Session, compartment_id: str, volume_id: str | None = None,
                             instance_id: str | None = None, live: bool = True) -> list:
    kw = {k: v for k, v in (("volume_id", volume_id), ("instance_id", instance_id)) if v}
    atts = await session.list_all("compute", "list_volume_attachments", compartment_id, **kw)
    return [a for a in atts if a.lifecycle_state in LIVE_ATTACHMENT] if live else atts


async def get_volume_attachment(session: Session, attachment_id: str):
    return await session.data("compute", "get_volume_attachment", attachment_id)


async def detach(session: Session, attachment_id: str) -> None:
    await session.call("compute", "detach_volume", attachment_id)


async def instance_volumes(session: Session, instance) -> list[tuple]:
    """[(attachment, volume)] attached (or attaching) to an instance, volumes fetched in parallel."""
    atts = await volume_attachments(session, instance.compartment_id, instance_id=instance.id)

    async def vol(a):
        try:
            return await get_volume(session, a.volume_id)
        except OciError as e:
            log.debug("volume %s not read: %s", a.volume_id, loggable(e))
            return None
    return list(zip(atts, await asyncio.gather(*(vol(a) for a in atts)), strict=True))


# ---------------------------------------------------------------- backups

async def list_volume_backups(session: Session, compartment_id: str, volume_id: str | None = None) -> list:
    kw = {"volume_id": volume_id} if volume_id else {}
    return await session.list_all("blockstorage", "list_volume_backups", compartment_id, **kw)


async def get_volume_backup(session: Session, backup_id: str):
    return await session.data("blockstorage", "get_volume_backup", backup_id)


async def delete_volume_backup(session: Session, backup_id: str) -> None:
    await session.call("blockstorage", "delete_volume_backup", backup_id)


# ---------------------------------------------------------------- backup policies

async def list_backup_policies(session: Session, compartment_id: str | None = None) -> list:
    """Custom policies of a compartment, or Oracle's (gold, silver, bronze) without one."""
    kw = {"compartment_id": compartment_id} if compartment_id else {}
    return await session.list_all("blockstorage", "list_volume_backup_policies", **kw)


async def get_backup_policy(session: Session, policy_id: str):
    return await session.data("blockstorage", "get_volume_backup_policy", policy_id)


async def delete_backup_policy(session: Session, policy_id: str) -> None:
    await session.call("blockstorage", "delete_volume_backup_policy", policy_id)


async def policy_of(session: Session, asset_id: str):
    """The backup policy assigned to a volume (None when it has none)."""
    assignments = await session.data("blockstorage", "get_volume_backup_policy_asset_assignment", asset_id)
    if not assignments:
        return None
    try:
        return await get_backup_policy(session, assignments[0].policy_id)
    except OciError as e:
        log.debug("backup policy of %s not read: %s", asset_id, loggable(e))
        return None


# ---------------------------------------------------------------- volume groups

async def list_volume_groups(session: Session, compartment_id: str, availability_domain: str | None = None) -> list:
    kw = {"availability_domain": availability_domain} if availability_domain else {}
    return await session.list_all("blockstorage", "list_volume_groups", compartment_id, **kw)


async def get_volume_group(session: Session, group_id: str):
    return await session.data("blockstorage", "get_volume_group", group_id)


async def group_members(session: Session, group) -> list:
    """The group's volumes (block and boot volumes), fetched in parallel, in the group's order; a member
    that cannot be read is left out."""
    async def one(vid: str):
        method = "get_boot_volume" if vid.startswith("ocid1.bootvolume.") else "get_volume"
        try:
            return await session.data("blockstorage", method, vid)
        except OciError as e:
            log.debug("volume %s of a group not read: %s", vid, loggable(e))
            return None
    found = await asyncio.gather(*(one(v) for v in group.volume_ids or []))
    return [v for v in found if v is not None]


async def list_volume_group_backups(session: Session, compartment_id: str,
                                    volume_group_id: str | None = None) -> list:
    kw = {"volume_group_id": volume_group_id} if volume_group_id else {}
    return await session.list_all("blockstorage", "list_volume_group_backups", compartment_id, **kw)
