"""Edge connectivity of the Virtual Network API (`/core`): CPEs, IPSec connections, FastConnect
(cross-connects, virtual circuits), BYOIP ranges and ASNs, public IP pools, capture filters and VTAPs.
"""

from __future__ import annotations

from ..registry import Service

svc = Service("core", name="network_edge")
