"""Container Registry calls the catalog needs beyond engine-shaped CRUD: the collections OCI pages as
`{items: [...]}`, a repository's images, deleting its untagged images, and where `docker pull` finds them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .runtime import Session


async def _collect(session: Session, method: str, **kwargs) -> list:
    out: list = []
    page = None
    while True:
        kw = dict(kwargs, limit=1000)
        if page:
            kw["page"] = page
        resp = await session.call("artifacts", method, **kw)
        out.extend(resp.data.items or [])
        page = (resp.headers or {}).get("opc-next-page")
        if not page:
            return out


async def list_repositories(session: Session, compartment_id: str, parent_id: str | None = None) -> list:
    return await _collect(session, "list_container_repositories", compartment_id=compartment_id)


async def list_images(session: Session, repo) -> list:
    """The repository's images (AVAILABLE ones), newest first."""
    items = await _collect(session, "list_container_images", compartment_id=repo.compartment_id,
                           repository_id=repo.id)
    live = [i for i in items if i.lifecycle_state == "AVAILABLE"]
    return sorted(live, key=lambda i: i.time_created, reverse=True)


async def image_details(session: Session, images: list) -> list:
    """The full images (layers, size, versions) of `images` (summaries)."""
    return [await session.data("artifacts", "get_container_image", i.id) for i in images]


def untagged(images: list) -> list:
    return [i for i in images if not getattr(i, "version", None) and not getattr(i, "versions", None)]


@dataclass
class Deleted:
    """What "Delete untagged images" did: the repository and how many images went."""

    id: str  # "<repository OCID>#untagged" (not the repository's: the window must not show it as one)
    count: int
    names: list[str]


async def delete_untagged(session: Session, repo, expected: int, step=None) -> Deleted:
    """Delete the repository's untagged images, if there are still exactly `expected` of them (what the person
    confirmed); otherwise nothing is deleted and the count found is said."""
    from ..core.errors import OciError
    step = step or (lambda _t: None)
    images = untagged(await list_images(session, repo))
    if len(images) != expected:
        raise OciError(f"The repository now has {len(images)} untagged images, not the {expected} you confirmed; "
                       "nothing was deleted", code="CountChanged", kind="input")
    for n, img in enumerate(images, 1):
        step(f"Deleting image {n} of {len(images)}")
        await session.call("artifacts", "delete_container_image", img.id)
    return Deleted(f"{repo.id}#untagged", len(images), [i.digest for i in images])


def registry_host(session: Session) -> str:
    """Where `docker pull` reaches the region's registry: `<region key>.ocir.io`, or the emulator's host."""
    conn = session.connection
    if conn.emulator_url:
        return conn.emulator_url.split("://", 1)[-1].rstrip("/")
    try:
        import oci
        short = {v: k for k, v in oci.regions.REGIONS_SHORT_NAMES.items()}
        key = short.get(conn.region, conn.region)
    except Exception:
        key = conn.region
    return f"{key}.ocir.io"


def pull_command(host: str, namespace: str, repo_name: str, image: Any) -> str:
    """`docker pull host/namespace/repo:tag` (or @digest for an untagged image)."""
    ref = f":{image.version}" if getattr(image, "version", None) else f"@{image.digest}"
    return f"docker pull {host}/{namespace}/{repo_name}{ref}"
