"""Integration kinds."""

from __future__ import annotations

from .model import ResourceKind

KINDS: list[ResourceKind] = []
