"""Compute hosts and capacity (`/core`, ComputeClient): dedicated VM hosts, capacity reservations,
compute clusters, capacity reports and topologies, image capability schemas, the app catalog.
"""

from __future__ import annotations

from ..registry import Service

svc = Service("core", name="compute_hosts")
