"""Resource Search: find resources across the whole tenancy in one call (OCI's search service)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from ..core.sdk import models as sdk_models
from .runtime import Session

models = sdk_models("resource_search")


def details(text: str):
    """A structured query when the text is one (`query ... resources ...`), else a free-text search."""
    t = text.strip()
    if t.lower().startswith("query "):
        return models.StructuredSearchDetails(query=t, type="Structured")
    return models.FreeTextSearchDetails(text=t, type="FreeText")


async def search_pages(session: Session, text: str, limit: int = 1000) -> AsyncIterator[list]:
    """Pages of ResourceSummary as they arrive."""
    d = details(text)
    page = None
    while True:
        kw = {"limit": limit}
        if page:
            kw["page"] = page
        resp = await session.call("search", "search_resources", d, lazy=True, **kw)
        yield list(resp.data.items or [])
        page = (resp.headers or {}).get("opc-next-page")
        if not page:
            return


async def search(session: Session, text: str) -> list:
    out: list = []
    async for page in search_pages(session, text):
        out.extend(page)
    return out


def running_instances_query() -> str:
    return "query instance resources where lifeCycleState = 'RUNNING'"
