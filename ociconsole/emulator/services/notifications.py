"""Notifications control plane (`/ons`, NotificationControlPlaneClient): topics.

A topic is created CREATING and becomes ACTIVE after one transition; deleting it makes it
DELETING, then it is gone (404), as in OCI. Names are 1-256 letters, digits, hyphens or
underscores, unique across the tenancy (case-sensitive; 409 otherwise); the name cannot change.
A topic's OCID is `topicId` in the API (no `id`), and its `etag` is in the body as well.

Monitoring checks alarm destinations here (`check_destinations`): a topic OCID that does not
exist in the alarm's region, or is being deleted, is a 404. The demo seed has "ops-alerts" (the
tenancy's operations topic, what the seeded alarms notify) and "dev-notifications" in Development.
Subscriptions and publishing (the data plane) are not emulated. What other services would deliver (a budget
alert's e-mail) is recorded by `record_message` as the message OCI sends, kept (the newest MESSAGES_KEPT) for
`GET /_emulator/messages`.
"""

from __future__ import annotations

import re
import secrets

from ..engine import ACTIVE_GONE, Kind
from ..protocol import ApiError, invalid, looks_like_ocid, ts
from ..registry import Context, Service

svc = Service("ons", name="notifications")

KIND = "onstopic"
NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
DESCRIPTION_MAX = 1024
_SHORT = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    """OCI's rules for a topic's name (create only: it cannot change) and description."""
    text = body.get("description")
    if text is not None and len(text) > DESCRIPTION_MAX:
        raise invalid(f"description must be at most {DESCRIPTION_MAX:,} characters, got {len(text):,}")
    if existing is not None:
        return {}
    name = body.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise invalid(f"name '{str(name)[:60]}' is not valid: use 1-256 letters, digits, hyphens (-) or "
                      "underscores (_)")
    return {"shortTopicId": "".join(secrets.choice(_SHORT) for _ in range(10)),
            "apiEndpoint": f"https://cell1.notification.{ctx.region}.oci.oraclecloud.com"}


TOPIC = svc.resource(Kind(
    KIND, "NotificationTopic", "topic", noun="topic", lifecycle=ACTIVE_GONE, id_field="topicId",
    name_field="name", unique=("name",), unique_scope="tenancy", validate=_checks, newest_first=True))


def new_topic(target, *, region: str, comp: str, name: str, description: str | None, ocid, now: float,
              state: str = "CREATING", tags: dict | None = None, short_id: str = "") -> dict:
    """A topic document written directly (the seed)."""
    ident = ocid("onstopic")
    doc = {"id": ident, "topicId": ident, "_region": region, "compartmentId": comp, "name": name,
           "description": description, "lifecycleState": state, "timeCreated": ts(now),
           "shortTopicId": short_id or "".join(secrets.choice(_SHORT) for _ in range(10)),
           "apiEndpoint": f"https://cell1.notification.{region}.oci.oraclecloud.com",
           "freeformTags": {}, "definedTags": {}}
    doc.update(tags or {})
    return target.store.put(KIND, doc)


# ---------------------------------------------------------------- used by other services

MESSAGE_KIND = "_onsmessage"
MESSAGES_KEPT = 1000


def record_message(store, *, source: str, title: str, body: str, recipients: list[str], now: float,
                   region: str | None = None, about: dict | None = None) -> dict:
    """Record a notification as OCI delivers it (title, body, its recipients or topic, when, what it is about)."""
    import uuid
    doc = {"id": f"{now:017.6f}-{uuid.uuid4().hex[:8]}", "messageId": str(uuid.uuid4()), "source": source,
           "title": title, "body": body, "recipients": list(recipients), "timestamp": ts(now), "_at": now,
           "region": region, "about": dict(about or {})}
    store.put(MESSAGE_KIND, doc)
    old = sorted(store.list(MESSAGE_KIND), key=lambda d: d["_at"])
    for d in old[:-MESSAGES_KEPT]:
        store.delete(MESSAGE_KIND, d["id"])
    return doc


def messages(store) -> list[dict]:
    """The recorded notifications, oldest first (internal fields left out)."""
    return [{k: v for k, v in d.items() if not k.startswith("_")}
            for d in sorted(store.list(MESSAGE_KIND), key=lambda d: d["_at"])]


def check_destinations(ctx: Context, destinations, where: str = "destinations") -> None:
    """Every topic OCID among `destinations` names a topic of this region that is not being deleted
    (404 otherwise). Streams are not emulated: their OCIDs are only checked for shape elsewhere."""
    for i, d in enumerate(destinations or []):
        if not looks_like_ocid(d, KIND):
            continue
        t = ctx.find(KIND, d)
        if t is None or t["lifecycleState"] == "DELETING":
            raise ApiError(404, "NotAuthorizedOrNotFound",
                           f"{where}[{i}]: the Notifications topic {d} does not exist in {ctx.region} "
                           "(or is being deleted), or you are not authorized to publish to it")


def topic_named(store, name: str) -> dict | None:
    """The topic called `name` (names are unique in a tenancy), or None."""
    found = store.by_field(KIND, "name", name)
    return found[0] if found else None


# ---------------------------------------------------------------- seed

@svc.seeder
def seed_notifications(seed) -> None:
    if seed.profile != "demo":
        return
    home = seed.core.home_region
    dev = next((c["id"] for c in seed.store.list("compartment") if c["name"] == "Development"),
               seed.core.tenancy_id)
    for comp, name, description, days in (
            (seed.core.tenancy_id, "ops-alerts", "Alarms for the operations team (email and PagerDuty)", 300),
            (dev, "dev-notifications", "Build and test notifications for the developers", 120)):
        doc = new_topic(seed, region=home, comp=comp, name=name, description=description, ocid=seed.ocid,
                        now=seed.t(days, days - 5), state="ACTIVE",
                        short_id="".join(seed.rng.choice(_SHORT) for _ in range(10)))
        seed.store.update(KIND, doc["id"], {"freeformTags": {"team": "sre" if name == "ops-alerts" else "dev"}})

