"""Seeding: each service's `@svc.seeder` fills its part of a profile.

Profiles: "demo" (a believable tenancy), "empty" (tenancy, admin, regions only) and
"large" (sizes from options: compartments, instances) for benchmarks. Seeds are
deterministic for a given `rng_seed` option, except for key material.
"""

from __future__ import annotations

import gc
import random

from . import auth as authmod
from .protocol import new_ocid, ts

PROFILES = ("demo", "empty", "large")


class SeedContext:
    def __init__(self, core, profile: str, options: dict):
        if profile not in PROFILES:
            raise ValueError(f"unknown seed '{profile}' (known: {', '.join(PROFILES)})")
        self.core = core
        self.store = core.store
        self.profile = profile
        self.options = dict(options or {})
        self.rng = random.Random(self.options.get("rng_seed", 20260101))
        self.now = core.clock.now()
        home = core.home_region
        regions = self.options.get("regions")
        if regions is None:
            regions = [home] if profile == "empty" else [home, "us-phoenix-1" if home != "us-phoenix-1"
                                                         else "us-ashburn-1"]
        self.regions = list(regions)

    # ------------------------------------------------------------ helpers
    def ocid(self, rtype: str, region: str | None = None, regional: bool = True) -> str:
        return new_ocid(rtype, (region or self.core.home_region) if regional else None, self.rng)

    def t(self, max_days_ago: float, min_days_ago: float = 0.0) -> float:
        """A creation time between `max_days_ago` and `min_days_ago` in the past."""
        return self.now - self.rng.uniform(min_days_ago, max_days_ago) * 86400

    def compartment(self, parent: str, name: str, description: str) -> dict:
        return self.store.put("compartment", {
            "id": self.ocid("compartment", regional=False), "compartmentId": parent, "name": name,
            "description": description, "timeCreated": ts(self.t(380, 30)), "lifecycleState": "ACTIVE",
            "isAccessible": True, "freeformTags": {}, "definedTags": {}})

    def principal(self, kind: str, name: str, description: str, **extra) -> dict:
        doc = {"id": self.ocid(kind, regional=False), "compartmentId": self.core.tenancy_id, "name": name,
               "description": description, "timeCreated": ts(self.t(390, 10)), "lifecycleState": "ACTIVE",
               "freeformTags": {}, "definedTags": {}}
        if kind == "user":
            doc.update(emailVerified=True, isMfaActivated=False)
        doc.update(extra)
        return self.store.put(kind, doc)

    def membership(self, user: dict, group: dict) -> dict:
        return self.store.put("membership", {
            "id": self.ocid("groupmembership", regional=False), "compartmentId": self.core.tenancy_id,
            "groupId": group["id"], "userId": user["id"], "timeCreated": ts(self.t(300, 5)),
            "lifecycleState": "ACTIVE"})

    def register_admin_key(self, user: dict) -> None:
        """Generate (or reuse after a reset) the admin's key pair and register its public key."""
        given = self.options.get("keys") or {}
        for k in ("admin_private_key", "token_signing_key"):
            if given.get(k) and self.store.meta(k) is None:
                self.store.set_meta(k, given[k])
        pem = self.store.meta("admin_private_key")
        if pem is None:
            key = authmod.generate_private_key()
            pem = authmod.private_pem(key).decode()
            self.store.set_meta("admin_private_key", pem)
        key = authmod.load_own_private_pem(pem)
        pub = key.public_key()
        fp = authmod.fingerprint_of(pub)
        tenancy = self.core.tenancy_id
        key_id = f"{tenancy}/{user['id']}/{fp}"
        self.store.put("apikey", {"id": key_id, "keyId": key_id, "keyValue": authmod.public_pem(pub).strip(),
                                  "fingerprint": fp, "userId": user["id"], "timeCreated": ts(self.t(200)),
                                  "lifecycleState": "ACTIVE"})
        self.store.set_meta("admin_user_id", user["id"])
        self.store.set_meta("admin_fingerprint", fp)
        if self.store.meta("token_signing_key") is None:
            tk = authmod.generate_private_key()
            self.store.set_meta("token_signing_key", authmod.private_pem(tk).decode())


def seed_state(core, profile: str, options: dict | None = None) -> None:
    seed = SeedContext(core, profile, options or {})
    # Seeding only adds documents that live on (no cycles to find): without the cyclic collector, which
    # otherwise walks the growing store ~3,000 times, the large seed (50,000 instances) takes a quarter less.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for svc in core.services:
            for fn in svc.seeders:
                fn(seed)
    finally:
        if collecting:
            gc.enable()
