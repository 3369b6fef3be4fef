"""Every emulated service: one module each, registered here by name.

Modules are imported when a request first reaches one of the SDK packages they serve (so
the embedded emulator starts fast), all of them when seeding or searching. LAYOUT is also the
seeding order (identity first: the others need its tenancy).

Adding a service: write `services/<name>.py` with a `Service(...)`, its handlers, hooks
(named "<name>.<hook>") and seeder, and list it in LAYOUT with the SDK packages it serves.
"""

from __future__ import annotations

import importlib

from ..registry import Service

# emulator module -> the SDK packages (`oci.<package>`, served under /<package>) it answers
LAYOUT: dict[str, tuple[str, ...]] = {
    "identity": ("identity",),
    "workrequests": ("work_requests", "identity"),
    "network": ("core",),
    "network_edge": ("core",),  # CPEs, IPSec, FastConnect, BYOIP, capture filters and VTAPs
    "compute": ("core",),
    "compute_management": ("core",),  # instance configurations and pools, cluster networks
    "compute_hosts": ("core",),  # dedicated VM hosts, capacity reservations, clusters, app catalog
    "blockstorage": ("core",),
    "object_storage": ("object_storage",),
    "file_storage": ("file_storage",),
    "search": ("resource_search",),
    "notifications": ("ons",),  # before monitoring: the seeded alarms notify its topics
    "monitoring": ("monitoring",),
    "data_science": ("data_science", "model_deployment"),  # projects, notebooks, models, deployments (predict), jobs
    "analytics": ("analytics",),  # Analytics Cloud instances
    "integration": ("integration",),  # Integration instances
    "database_autonomous": ("database",),  # Autonomous Databases, their backups and wallets
    "database_systems": ("database",),  # DB systems, nodes, homes, databases, backups, Data Guard
    "database_migration": ("database_migration",),  # migrations, their connections and jobs
    "logging": ("logging", "loggingingestion", "loggingsearch"),  # log groups, logs, PutLogs, SearchLogs
    "audit": ("audit",),  # every request served, as audit events (recorded by the core)
    "usage": ("usage_api",),  # costs of what the sandbox runs, from ociconsole/lang/prices.json
    "budget": ("budget",),  # budgets and alert rules over those costs
    "container_engine": ("container_engine",),  # Kubernetes Engine (OKE): clusters, node pools, a Kubernetes API
    "artifacts": ("artifacts",),  # Container Registry: repositories, images; the registry at /v2/
    "functions": ("functions",),  # applications, functions, invocation (FDK handlers in a subprocess)
    "load_balancer": ("load_balancer",),  # load balancers, their parts, health and work requests
    "waf": ("waf",),  # web app firewall policies (JMESPath conditions) and firewalls on load balancers
    "waas": ("waas",),  # WAAS policies (edge WAF) and their certificates
}
# imported at start: they keep files to reconcile, or serve unsigned root paths (/p/...)
EAGER = ("identity", "workrequests", "object_storage", "artifacts")


def load(name: str) -> list[Service]:
    """The Service objects a service module defines, in definition order."""
    module = importlib.import_module(f"{__name__}.{name}")
    return [v for v in vars(module).values() if isinstance(v, Service)]


def all_services() -> list[Service]:
    return [s for name in LAYOUT for s in load(name)]
