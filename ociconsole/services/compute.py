"""Compute: instances and their actions, shapes, images, VNICs, boot volumes."""

from __future__ import annotations

import asyncio
import uuid

from ..core.sdk import models as sdk_models
from .runtime import Session

models = sdk_models("core")


async def list_instances(session: Session, compartment_id: str) -> list:
    return await session.list_all("compute", "list_instances", compartment_id)


async def get_instance(session: Session, instance_id: str):
    return await session.data("compute", "get_instance", instance_id)


async def launch_instance(session: Session, details, retry_token: str):
    """Returns (instance, work request id)."""
    resp = await session.call("compute", "launch_instance", details, opc_retry_token=retry_token)
    return resp.data, resp.headers.get("opc-work-request-id", "")


async def instance_action(session: Session, instance_id: str, action: str, retry_token: str | None = None):
    """Start/stop/reset an instance. One opc-retry-token per action: an attempt whose answer was lost is
    retried safely (OCI replays the first answer instead of acting twice)."""
    return await session.data("compute", "instance_action", instance_id, action,
                              opc_retry_token=retry_token or str(uuid.uuid4()))


async def terminate_instance(session: Session, instance_id: str, preserve_boot_volume: bool = False) -> None:
    await session.call("compute", "terminate_instance", instance_id, preserve_boot_volume=preserve_boot_volume)


async def list_shapes(session: Session, compartment_id: str, availability_domain: str | None = None,
                      image_id: str | None = None) -> list:
    kw = {}
    if availability_domain:
        kw["availability_domain"] = availability_domain
    if image_id:
        kw["image_id"] = image_id
    return await session.list_all("compute", "list_shapes", compartment_id, **kw)


async def list_images(session: Session, compartment_id: str, shape: str | None = None,
                      operating_system: str | None = None) -> list:
    kw = {"lifecycle_state": "AVAILABLE"}
    if shape:
        kw["shape"] = shape
    if operating_system:
        kw["operating_system"] = operating_system
    return await session.list_all("compute", "list_images", compartment_id, **kw)


async def list_custom_images(session: Session, compartment_id: str) -> list:
    """The compartment's own images (platform images are in no compartment), newest first."""
    imgs = await session.list_all("compute", "list_images", compartment_id)
    return [i for i in imgs if i.compartment_id == compartment_id and i.lifecycle_state != "DELETED"]


async def get_image(session: Session, image_id: str):
    return await session.data("compute", "get_image", image_id)


async def instance_vnics(session: Session, instance) -> list[tuple]:
    """[(vnic attachment, vnic or None)] of an instance, VNICs fetched in parallel."""
    atts = await session.list_all("compute", "list_vnic_attachments", instance.compartment_id,
                                  instance_id=instance.id)
    live = [a for a in atts if a.lifecycle_state in ("ATTACHING", "ATTACHED")]
    vnics = await asyncio.gather(*(session.data("network", "get_vnic", a.vnic_id) for a in live))
    return list(zip(live, vnics, strict=False))


async def instance_boot_volumes(session: Session, instance) -> list:
    atts = await session.list_all("compute", "list_boot_volume_attachments", instance.availability_domain,
                                  instance.compartment_id, instance_id=instance.id)
    live = [a for a in atts if a.lifecycle_state in ("ATTACHING", "ATTACHED")]
    return list(await asyncio.gather(*(get_boot_volume(session, a.boot_volume_id) for a in live)))


async def list_boot_volumes(session: Session, compartment_id: str) -> list:
    return await session.list_all("blockstorage", "list_boot_volumes", compartment_id=compartment_id)


async def get_boot_volume(session: Session, boot_volume_id: str):
    return await session.data("blockstorage", "get_boot_volume", boot_volume_id)


async def delete_boot_volume(session: Session, boot_volume_id: str) -> None:
    await session.call("blockstorage", "delete_boot_volume", boot_volume_id)


async def get_work_request(session: Session, work_request_id: str):
    return await session.data("work_requests", "get_work_request", work_request_id)


# ---------------------------------------------------------------- instance pools and configurations

POOL_ACTIONS = {"START": "start_instance_pool", "STOP": "stop_instance_pool", "SOFTSTOP": "softstop_instance_pool",
                "RESET": "reset_instance_pool", "SOFTRESET": "softreset_instance_pool"}


async def instance_pool_action(session: Session, pool_id: str, action: str, retry_token: str | None = None):
    """Start/stop/reset every instance of a pool (one retry token per press, as instance actions)."""
    return await session.data("compute_management", POOL_ACTIONS[action], pool_id,
                              opc_retry_token=retry_token or str(uuid.uuid4()))


async def terminate_instance_pool(session: Session, pool_id: str) -> None:
    await session.call("compute_management", "terminate_instance_pool", pool_id)


async def instance_pool_instances(session: Session, pool) -> list:
    """The pool's instances (InstanceSummary: name, state, AD, fault domain)."""
    return await session.list_all("compute_management", "list_instance_pool_instances", pool.compartment_id, pool.id)


async def list_instance_configurations(session: Session, compartment_id: str) -> list:
    return await session.list_all("compute_management", "list_instance_configurations", compartment_id)


async def get_instance_configuration(session: Session, ocid: str):
    return await session.data("compute_management", "get_instance_configuration", ocid)


# ---------------------------------------------------------------- console connections

async def console_connections(session: Session, instance) -> list:
    """The instance's live console connections (ACTIVE or CREATING), with their SSH connection strings."""
    conns = await session.list_all("compute", "list_instance_console_connections", instance.compartment_id,
                                   instance_id=instance.id)
    return [c for c in conns if c.lifecycle_state in ("CREATING", "ACTIVE")]
