"""Every emulated service, in seeding order (identity first: the others need its tenancy).

Adding a service: write `services/<name>.py` with a `Service(...)`, its handlers, hooks and
seeder, and list it here.
"""

from __future__ import annotations

from ..registry import Service


def all_services() -> list[Service]:
    from . import (blockstorage, compute, file_storage, identity, monitoring, network, object_storage, search,
                   workrequests)

    return [identity.svc, workrequests.identity_ops, workrequests.svc, network.svc, compute.svc, blockstorage.svc,
            object_storage.svc, file_storage.svc, search.svc, monitoring.svc]
