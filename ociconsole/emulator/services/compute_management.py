"""Compute management (`/core`, ComputeManagementClient): instance configurations, instance pools,
cluster networks.
"""

from __future__ import annotations

from ..registry import Service

svc = Service("core", name="compute_management")
