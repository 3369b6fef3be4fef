"""Data Science calls the catalog needs beyond list/get/create: the model artifact streamed to a file."""

from __future__ import annotations

import asyncio
import os

from .runtime import Session

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
