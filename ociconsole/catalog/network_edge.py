"""Edge networking kinds: CPEs, IPSec connections, FastConnect, BYOIP, public IP pools."""

from __future__ import annotations

from .model import ResourceKind

KINDS: list[ResourceKind] = []
