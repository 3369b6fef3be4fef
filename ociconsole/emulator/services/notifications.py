"""Notifications control plane (`/ons`, NotificationControlPlaneClient): topics.

A topic is created CREATING and becomes ACTIVE after one transition; deleting it makes it
DELETING, then it is gone (404), as in OCI. Names are 1-256 letters, digits, hyphens or
underscores, unique across the tenancy (case-sensitive; 409 otherwise); the name cannot change.
A topic's OCID is `topicId` in the API (no `id`), and its `etag` is in the body as well.

Monitoring checks alarm destinations here (`check_destinations`): a topic OCID that does not
exist in the alarm's region, or is being deleted, is a 404. The demo seed has "ops-alerts" (the
tenancy's operations topic, what the seeded alarms notify) and "dev-notifications" in Development.
Subscriptions and publishing (the data plane) are not emulated.
"""

from __future__ import annotations

import re
import secrets

from ..protocol import ApiError, conflict, incorrect_state, invalid, looks_like_ocid, ts
from ..registry import Context, Service

svc = Service("ons", name="notifications")

KIND = "onstopic"
NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
DESCRIPTION_MAX = 1024
_SHORT = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _public(doc: dict) -> dict:
    """The topic as the API shows it: its etag in the body too (NotificationTopic.etag)."""
    out = dict(doc)
    out["etag"] = doc.get("_etag")
    return out


def _check_name(ctx: Context, name) -> str:
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise invalid(f"name '{str(name)[:60]}' is not valid: use 1-256 letters, digits, hyphens (-) or "
                      "underscores (_)")
    if ctx.store.by_field(KIND, "name", name):
        raise conflict(f"A topic named '{name}' already exists in this tenancy; topic names are unique")
    return name


def _check_description(text) -> str | None:
    if text is not None and len(text) > DESCRIPTION_MAX:
        raise invalid(f"description must be at most {DESCRIPTION_MAX:,} characters, got {len(text):,}")
    return text


def new_topic(target, *, region: str, comp: str, name: str, description: str | None, ocid, now: float,
              state: str = "CREATING", tags: dict | None = None, short_id: str = "") -> dict:
    """A topic document (`target`: a Context or the seed)."""
    ident = ocid("onstopic")
    doc = {"id": ident, "topicId": ident, "_region": region, "compartmentId": comp, "name": name,
           "description": description, "lifecycleState": state, "timeCreated": ts(now),
           "shortTopicId": short_id or "".join(secrets.choice(_SHORT) for _ in range(10)),
           "apiEndpoint": f"https://cell1.notification.{region}.oci.oraclecloud.com",
           "freeformTags": {}, "definedTags": {}}
    doc.update(tags or {})
    return target.store.put(KIND, doc)


def _topic(ctx: Context, write: bool = False) -> dict:
    ident = ctx.path["topicId"]
    return (ctx.get_for_write if write else ctx.get)(KIND, ident, "topic")


@svc.op("create_topic")
def create_topic(ctx: Context):
    b = ctx.body
    comp = ctx.compartment(b["compartmentId"])
    name = _check_name(ctx, b["name"])
    doc = new_topic(ctx, region=ctx.region, comp=comp["id"], name=name,
                    description=_check_description(b.get("description")), ocid=ctx.new_id, now=ctx.now,
                    tags=ctx.tags(b))
    ctx.schedule(KIND, doc["id"], {"lifecycleState": "ACTIVE"}, steps=1, when_state="CREATING")
    return _public(doc)


@svc.op("get_topic")
def get_topic(ctx: Context):
    return _public(_topic(ctx))


@svc.op("list_topics")
def list_topics(ctx: Context):
    q = ctx.query
    docs = ctx.list(KIND, ctx.compartment(q["compartmentId"])["id"])
    if q.get("id"):
        docs = [d for d in docs if d["id"] == q["id"]]
    docs.sort(key=lambda d: d["timeCreated"], reverse=True)  # OCI's default order: newest first
    return [_public(d) for d in docs]


@svc.op("update_topic")
def update_topic(ctx: Context):
    doc = _topic(ctx, write=True)
    if doc["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"The topic is {doc['lifecycleState']}; it can be updated when ACTIVE")
    b = ctx.body or {}
    changes = {}
    if "description" in b:
        changes["description"] = _check_description(b["description"])
    changes.update(ctx.tags(b))
    return _public(ctx.update(KIND, doc["id"], changes))


@svc.op("change_topic_compartment")
def change_topic_compartment(ctx: Context):
    doc = _topic(ctx, write=True)
    if doc["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"The topic is {doc['lifecycleState']}; it can be moved when ACTIVE")
    comp = ctx.compartment(ctx.body["compartmentId"])
    ctx.update(KIND, doc["id"], {"compartmentId": comp["id"]})
    return None


@svc.op("delete_topic")
def delete_topic(ctx: Context):
    doc = _topic(ctx, write=True)
    if doc["lifecycleState"] == "DELETING":
        raise incorrect_state("The topic is already being deleted")
    ctx.update(KIND, doc["id"], {"lifecycleState": "DELETING"})
    ctx.schedule(KIND, doc["id"], {}, steps=1, when_state="DELETING", hook="notifications.topic_deleted")
    return None


@svc.hook("notifications.topic_deleted")
def _topic_deleted(core, doc: dict, _args: dict) -> None:
    """Deleted topics are not listed (OCI has no DELETED state for them)."""
    core.store.delete(KIND, doc["id"])


# ---------------------------------------------------------------- used by other services

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

