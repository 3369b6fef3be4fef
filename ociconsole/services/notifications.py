"""Notifications (ONS control plane): topics, the destinations of alarms.

A topic's OCID is `topic_id` in the SDK's models (they have no `id`); the catalog wraps them.
"""

from __future__ import annotations

import asyncio

from ..core.errors import OciError
from ..core.sdk import models as sdk_models
from .runtime import Session

models = sdk_models("ons")
LIVE = ("ACTIVE", "CREATING")


async def list_topics(session: Session, compartment_id: str) -> list:
    """The compartment's topics, newest first (ListTopics)."""
    return await session.list_all("notifications", "list_topics", compartment_id)


async def get_topic(session: Session, topic_id: str):
    return await session.data("notifications", "get_topic", topic_id)


async def delete_topic(session: Session, topic_id: str) -> None:
    await session.call("notifications", "delete_topic", topic_id)


async def topics_for(session: Session, compartment_ids: list[str]) -> list:
    """The live topics of several compartments (in parallel, each listed once, in that order); a
    compartment that cannot be listed (not authorized) is skipped unless none can be."""
    ids = list(dict.fromkeys(c for c in compartment_ids if c))
    results = await asyncio.gather(*(list_topics(session, c) for c in ids), return_exceptions=True)
    errors = [r for r in results if isinstance(r, OciError)]
    for r in results:
        if isinstance(r, BaseException) and not isinstance(r, OciError):
            raise r
    if errors and len(errors) == len(results):
        raise errors[0]
    out, seen = [], set()
    for r in results:
        if isinstance(r, BaseException):
            continue
        for t in r:
            if t.topic_id not in seen and t.lifecycle_state in LIVE:
                seen.add(t.topic_id)
                out.append(t)
    return out
