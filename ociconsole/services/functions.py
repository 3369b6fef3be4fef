"""Functions calls the catalog needs beyond engine-shaped CRUD: the functions of a compartment (listed per
application, as OCI lists them), and invocation on the function's own invoke endpoint, with its answer, status
and duration kept in a short history per function."""

from __future__ import annotations

import asyncio
import collections
import time
from dataclasses import dataclass, field

from ..core.errors import OciError
from .runtime import Session

HISTORY = 10  # invocations remembered per function (in this window's session only)
_history: dict[str, collections.deque] = {}


@dataclass
class Invocation:
    """One invocation's answer: the HTTP status, the body (text), headers, duration in milliseconds."""

    id: str  # "<function OCID>#<time>": the answer is no function (the window must not show it as one)
    function_id: str
    status: int
    body: str
    duration_ms: float
    headers: dict = field(default_factory=dict)
    code: str = ""  # OCI's error code when the invocation failed (FunctionInvokeExecutionFailed...)
    payload: str = ""
    at: float = 0.0

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


FULL_READS = 100  # lists of at most this many are read in full (config is not in the summaries)


async def _full(session: Session, method: str, items: list) -> list:
    if len(items) > FULL_READS:
        return items
    return list(await asyncio.gather(*(session.data("functions", method, i.id) for i in items)))


async def list_applications(session: Session, compartment_id: str, parent_id: str | None = None) -> list:
    """The compartment's applications, read in full (with their config) when there are few."""
    return await _full(session, "get_application", await session.list_all("functions", "list_applications",
                                                                          compartment_id))


async def list_functions(session: Session, compartment_id: str, parent_id: str | None = None) -> list:
    """The functions of the compartment's applications (of one application with `parent_id`), read in full
    (config, image) when there are few."""
    if parent_id:
        apps = [parent_id]
    else:
        apps = [a.id for a in await session.list_all("functions", "list_applications", compartment_id)
                if a.lifecycle_state not in ("DELETED", "DELETING")]
    out: list = []
    for app in apps:
        out.extend(await session.list_all("functions", "list_functions", app))
    return await _full(session, "get_function", out)


def _read(resp):
    content = getattr(resp, "content", None)
    if content is None and hasattr(resp, "read"):
        content = resp.read()
    return content or b""


def _use_endpoint(session: Session, endpoint: str | None) -> None:
    """OCI serves invoke_function on each function's own invoke endpoint (its `invoke_endpoint`): the invoke
    client is pointed there (as the `oci` CLI does with the endpoint it reads from get_function)."""
    if not endpoint:
        return
    for raw in (False, True):
        client = session.clients.get("functions_invoke", raw=raw)
        if client.base_client.endpoint.rstrip("/") != endpoint.rstrip("/") + client.base_client._base_path:
            client.base_client.endpoint = endpoint.rstrip("/")


async def invoke(session: Session, fn, payload: str) -> Invocation:
    """Invoke the function (on its invoke endpoint) with `payload`; a failed invocation (the handler raised:
    502, timed out: 504) is an answer too, with OCI's code and message. Kept in the function's history."""
    _use_endpoint(session, getattr(fn, "invoke_endpoint", None))
    t0 = time.monotonic()
    try:
        resp = await session.call("functions_invoke", "invoke_function", fn.id, invoke_function_body=payload,
                                  post=_read)
        body = resp.data.decode("utf-8", errors="replace")
        inv = Invocation(f"{fn.id}#{time.time()}", fn.id, resp.status, body, (time.monotonic() - t0) * 1000.0,
                         {k.lower(): v for k, v in (resp.headers or {}).items()})
    except OciError as e:
        if e.status is None or e.status < 500:
            raise
        inv = Invocation(f"{fn.id}#{time.time()}", fn.id, e.status, e.message, (time.monotonic() - t0) * 1000.0,
                         code=e.code or "")
    inv.payload, inv.at = payload, time.time()
    _history.setdefault(fn.id, collections.deque(maxlen=HISTORY)).appendleft(inv)
    return inv


def history(fn_id: str) -> list[Invocation]:
    """The last invocations of the function made from this console, newest first."""
    return list(_history.get(fn_id, ()))


async def update_config(session: Session, fn_id: str, config: dict, application: bool = False):
    """Replace a function's (or an application's) config; returns the resource as it is now (OCI's update
    answers with no body)."""
    import oci
    if application:
        await session.call("functions", "update_application", fn_id,
                           oci.functions.models.UpdateApplicationDetails(config=config))
        return await session.data("functions", "get_application", fn_id)
    await session.call("functions", "update_function", fn_id, oci.functions.models.UpdateFunctionDetails(config=config))
    return await session.data("functions", "get_function", fn_id)
