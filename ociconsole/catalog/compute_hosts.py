"""Compute host kinds: dedicated VM hosts, capacity reservations, compute clusters."""

from __future__ import annotations

from .model import ResourceKind

KINDS: list[ResourceKind] = []
