"""Data Science calls the catalog needs beyond list/get/create: a model or a job created with its artifact (two
calls, rolled back when the upload fails) and the model artifact streamed to a file."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import uuid
from collections.abc import Callable
from typing import Any

from ..core.errors import OciError, loggable
from .runtime import Session

logger = logging.getLogger(__name__)
MAX_ARTIFACT = 2 * 1024 ** 3  # OCI uploads an artifact of up to 6 GB in one call; the console keeps to less

CHUNK = 1024 * 1024


def _write(resp, dest: str) -> int:
    """Stream the artifact's bytes to `dest` (written to a temporary name, then renamed). Returns the size."""
    tmp = f"{dest}.part"
    size = 0
    try:
        raw = getattr(resp.data, "raw", None)
        chunks = raw.stream(CHUNK, decode_content=True) if raw is not None else resp.data.iter_content(CHUNK)
        with open(tmp, "wb") as f:
            for chunk in chunks:
                f.write(chunk)
                size += len(chunk)
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return size


async def download_model_artifact(session: Session, model_id: str, dest: str) -> int:
    """Download a model's artifact zip to the file `dest` (streamed to disk on a worker thread). Returns its size."""
    resp = await session.call("data_science", "get_model_artifact_content", model_id)
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(session.pool, _write, resp, dest)


def _read(path: str) -> bytes:
    with open(os.path.expanduser(path), "rb") as f:
        data = f.read(MAX_ARTIFACT + 1)
    if len(data) > MAX_ARTIFACT:
        raise OciError(f"{path} is larger than {MAX_ARTIFACT // 1024 ** 3} GB", code="ArtifactTooLarge",
                       kind="input")
    return data


async def create_model_with_artifact(session: Session, details, artifact_path: str, retry_token: str = "",
                                     step: Callable[[str], None] | None = None):
    """Create a model (`details`: CreateModelDetails), then upload the zip at `artifact_path` as its artifact.
    If the upload fails, the model just created is deleted: nothing half-made is left, and the upload's error
    is raised (saying so). Returns the model."""
    name = f"{details.display_name or 'model'}.zip".replace('"', "")
    return await _create_with_artifact(session, "model", details, artifact_path, name, retry_token, step)


async def create_job_with_artifact(session: Session, details, script_path: str, retry_token: str = "",
                                   step: Callable[[str], None] | None = None):
    """Create a job (`details`: CreateJobDetails), then upload the Python script at `script_path` as its
    artifact (create_job_artifact, named as the file). If the upload fails, the job just created is deleted and
    the upload's error raised (saying so). Returns the job."""
    name = os.path.basename(os.path.expanduser(script_path)).replace('"', "")
    return await _create_with_artifact(session, "job", details, script_path, name, retry_token, step)


async def _create_with_artifact(session: Session, noun: str, details, artifact_path: str, filename: str,
                                retry_token: str, step: Callable[[str], None] | None):
    """create_<noun>, then create_<noun>_artifact; delete_<noun> if the upload fails."""
    step = step or (lambda _text: None)
    loop = asyncio.get_running_loop()
    try:
        data = await loop.run_in_executor(session.pool, _read, artifact_path)
    except OSError as e:
        raise OciError(f"Cannot read {artifact_path}: {e.strerror or e}", code="ArtifactUnreadable",
                       kind="input") from None
    step(f"Creating {noun}")
    kw: dict[str, Any] = {"opc_retry_token": retry_token} if retry_token else {}
    res = (await session.call("data_science", f"create_{noun}", details, **kw)).data
    if retry_token:  # the token's earlier answer may name one rolled back since: then create it anew
        again = (await session.call("data_science", f"get_{noun}", res.id)).data
        if again.lifecycle_state in ("DELETED", "DELETING"):
            res = (await session.call("data_science", f"create_{noun}", details,
                                      opc_retry_token=str(uuid.uuid4()))).data
    step("Uploading artifact")
    try:
        await session.call("data_science", f"create_{noun}_artifact", res.id, data, content_length=len(data),
                           content_disposition=f'attachment; filename="{filename}"')
    except BaseException as e:
        step(f"Upload failed: deleting the {noun}")
        try:
            await session.call("data_science", f"delete_{noun}", res.id)
            left = f"the {noun} {res.display_name} just created was deleted"
        except OciError as de:
            logger.warning("rolling back %s %s failed: %s", noun, res.id, loggable(de))
            left = f"the {noun} {res.display_name} ({res.id}) could not be deleted ({de.summary()}): delete it"
        if isinstance(e, OciError):
            raise dataclasses.replace(e, message=f"Uploading the artifact failed: {e.message}; {left}") from None
        raise
    return (await session.call("data_science", f"get_{noun}", res.id)).data
