"""Analytics Cloud (`/analytics`): Oracle Analytics Cloud instances.
"""

from __future__ import annotations

from ..registry import Service

svc = Service("analytics", name="analytics")
