"""Autonomous Database calls the catalog needs beyond list/get/create: the client wallet saved to a file.

`download_wallet` asks OCI for the wallet zip (`generate_autonomous_database_wallet`, its keys encrypted
with the password given) and writes it to `dest` readable by its owner only (mode 0600: the zip holds the
client's private key), through a temporary file renamed into place.
"""

from __future__ import annotations

import asyncio
import os

from ..core.sdk import models as sdk_models
from .runtime import Session

CHUNK = 1024 * 1024


def _write_private(resp, dest: str) -> int:
    tmp = f"{dest}.part"
    size = 0
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # also when the temporary file existed with other permissions
        with os.fdopen(fd, "wb") as f:
            raw = getattr(resp.data, "raw", None)
            chunks = raw.stream(CHUNK, decode_content=True) if raw is not None else [resp.data.content]
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


async def download_wallet(session: Session, adb_id: str, password: str, dest: str) -> int:
    """Save the database's client wallet zip to `dest` (mode 0600). Returns its size in bytes."""
    models = sdk_models("database")
    details = models.GenerateAutonomousDatabaseWalletDetails(password=password, generate_type="SINGLE")
    resp = await session.call("database", "generate_autonomous_database_wallet", adb_id, details)
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(session.pool, _write_private, resp, os.path.expanduser(dest))
