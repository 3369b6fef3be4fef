"""Integration (`/integration`): Oracle Integration instances.
"""

from __future__ import annotations

from ..registry import Service

svc = Service("integration", name="integration")
