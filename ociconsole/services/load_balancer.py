"""Load Balancer: one load balancer as a person works in it — listeners, the backend sets they send to and the
backends of each set, every backend's health and the reason for it — and the instances of its VCN that can be
backends (their private IPs).

`overview(session, lb)` reads the health of every backend set and backend in parallel and names the instance
behind each backend's address (when it is an instance of the load balancer's VCN), so that a CRITICAL backend
says why: "web-02 is STOPPED", "nothing in the VCN has 10.0.0.9", "marked offline".
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from ..core.errors import OciError
from ..core.sdk import models as sdk_models
from .runtime import Session

models = sdk_models("load_balancer")
STATUSES = ("OK", "WARNING", "CRITICAL", "UNKNOWN")
CHECKS = {
    "OK": "Health check passed",
    "CONNECT_FAILED": "The health check cannot connect",
    "TIMED_OUT": "The health check timed out",
    "INVALID_STATUS_CODE": "The health check got another status code",
    "REGEX_MISMATCH": "The response body does not match",
    "IO_ERROR": "Input/output error during the health check",
    "OFFLINE": "Marked offline: it receives no traffic",
    "UNKNOWN": "Not checked (the load balancer is not active)",
}


@dataclass
class VcnInstance:
    """An instance with a VNIC in the load balancer's VCN: what "Add backends…" offers."""

    id: str
    name: str
    ip: str
    state: str
    subnet_id: str


@dataclass
class BackendView:
    name: str
    ip: str
    port: int
    weight: int
    backup: bool
    drain: bool
    offline: bool
    status: str  # OK | WARNING | CRITICAL | UNKNOWN
    check: str  # the health check's result: OK, CONNECT_FAILED, OFFLINE...
    reason: str
    instance: VcnInstance | None = None


@dataclass
class BackendSetView:
    name: str
    policy: str
    status: str
    health_checker: str
    backends: list[BackendView] = field(default_factory=list)


@dataclass
class ListenerView:
    name: str
    protocol: str  # as the console says it: HTTPS for HTTP with SSL
    port: int
    backend_set: str
    idle_timeout: int | None
    certificate: str | None


@dataclass
class Overview:
    status: str
    listeners: list[ListenerView]
    backend_sets: list[BackendSetView]
    certificates: list[str]

    def backends(self) -> list[tuple[BackendSetView, BackendView]]:
        return [(bs, b) for bs in self.backend_sets for b in bs.backends]


async def get_load_balancer(session: Session, lb_id: str):
    return await session.data("load_balancer", "get_load_balancer", lb_id)


async def vcn_instances(session: Session, lb) -> list[VcnInstance]:
    """Instances (of the load balancer's compartment and its subnet's) with a VNIC in the load balancer's VCN."""
    if not lb.subnet_ids:
        return []
    subnet = await session.data("network", "get_subnet", lb.subnet_ids[0])
    vcn_id = subnet.vcn_id
    comps = list(dict.fromkeys([lb.compartment_id, subnet.compartment_id]))
    subnets: dict[str, object] = {subnet.id: subnet}
    out: list[VcnInstance] = []
    seen: set[str] = set()
    for comp in comps:
        insts, atts = await asyncio.gather(session.list_all("compute", "list_instances", comp),
                                           session.list_all("compute", "list_vnic_attachments", comp))
        by_id = {i.id: i for i in insts if i.lifecycle_state not in ("TERMINATING", "TERMINATED")}
        live = [a for a in atts if a.lifecycle_state == "ATTACHED" and a.instance_id in by_id]
        vnics = await asyncio.gather(*(session.data("network", "get_vnic", a.vnic_id) for a in live))
        for att, vnic in zip(live, vnics, strict=False):
            if vnic.subnet_id not in subnets:
                try:
                    subnets[vnic.subnet_id] = await session.data("network", "get_subnet", vnic.subnet_id)
                except OciError:
                    continue
            if getattr(subnets[vnic.subnet_id], "vcn_id", None) != vcn_id or vnic.id in seen:
                continue
            seen.add(vnic.id)
            inst = by_id[att.instance_id]
            out.append(VcnInstance(inst.id, inst.display_name, vnic.private_ip, inst.lifecycle_state, vnic.subnet_id))
    return sorted(out, key=lambda i: i.name)


def reason(check: str, backend, instance: VcnInstance | None) -> str:
    """Why a backend has its health, in words."""
    where = f"{backend.ip_address}:{backend.port}"
    if check == "OK":
        return f"{instance.name} answers on {where}" if instance else f"{where} answers the health check"
    if check == "CONNECT_FAILED":
        if instance is None:
            return f"No instance of the VCN has {backend.ip_address}: nothing answers on {where}"
        return f"{instance.name} is {instance.state}: nothing answers on {where}"
    return CHECKS.get(check, check)


def protocol(li) -> str:
    if li.protocol == "HTTP" and li.ssl_configuration is not None:
        return "HTTPS"
    return li.protocol


async def overview(session: Session, lb, instances: list[VcnInstance] | None = None) -> Overview:
    """Listeners, backend sets and backends of `lb` with their health, read in parallel."""
    sets = list((lb.backend_sets or {}).values())
    if instances is None:
        try:
            instances = await vcn_instances(session, lb)
        except OciError:
            instances = []
    by_ip = {i.ip: i for i in instances}

    async def set_health(bs):
        return await session.data("load_balancer", "get_backend_set_health", lb.id, bs.name)

    async def backend_health(bs, b):
        return await session.data("load_balancer", "get_backend_health", lb.id, bs.name, b.name)

    lb_health, set_healths, be_healths = await asyncio.gather(
        session.data("load_balancer", "get_load_balancer_health", lb.id),
        asyncio.gather(*(set_health(bs) for bs in sets)),
        asyncio.gather(*(backend_health(bs, b) for bs in sets for b in bs.backends)))
    views: list[BackendSetView] = []
    i = 0
    for bs, sh in zip(sets, set_healths, strict=False):
        hc = bs.health_checker
        checker = f"{hc.protocol} {hc.url_path or ''} port {hc.port or 'of each backend'}".replace("  ", " ")
        v = BackendSetView(bs.name, bs.policy, sh.status, checker)
        for b in bs.backends:
            h = be_healths[i]
            i += 1
            check = h.health_check_results[0].health_check_status if h.health_check_results else "UNKNOWN"
            inst = by_ip.get(b.ip_address)
            v.backends.append(BackendView(b.name, b.ip_address, b.port, b.weight, bool(b.backup), bool(b.drain),
                                          bool(b.offline), h.status, check, reason(check, b, inst), inst))
        views.append(v)
    listeners = [ListenerView(li.name, protocol(li), li.port, li.default_backend_set_name,
                              getattr(li.connection_configuration, "idle_timeout", None),
                              getattr(li.ssl_configuration, "certificate_name", None))
                 for li in sorted((lb.listeners or {}).values(), key=lambda x: x.port)]
    return Overview(lb_health.status, listeners, views, sorted(lb.certificates or {}))


async def wait_work_request(session: Session, wr_id: str, timeout: float = 600.0):
    """Poll one of the service's work requests until it ends; an OciError if it FAILED."""
    import time
    delay, deadline = 0.3, time.monotonic() + timeout
    while True:
        wr = await session.data("load_balancer", "get_work_request", wr_id)
        if wr.lifecycle_state == "SUCCEEDED":
            return wr
        if wr.lifecycle_state == "FAILED":
            msg = "; ".join(e.message for e in wr.error_details or [] if e.message) or wr.message
            raise OciError(msg or "The work request failed", code="WorkRequestFailed", kind="service")
        if time.monotonic() > deadline:
            raise OciError(f"Gave up waiting for work request {wr_id}", code="Timeout", kind="service")
        await asyncio.sleep(delay)
        delay = min(5.0, delay * 1.5)


async def add_backends(session: Session, lb_id: str, backend_set: str, backends: list[tuple[str, int, int, str]],
                       step=lambda _text: None):
    """Add backends (ip, port, weight, label) to a backend set one after the other, each waited for (OCI applies a
    load balancer's changes in order); returns the load balancer as it is then."""
    for ip, port, weight, label in backends:
        step(f"Adding {label} ({ip}:{port})")
        resp = await session.call("load_balancer", "create_backend", create_backend_details=models.CreateBackendDetails(
            ip_address=ip, port=port, weight=weight), load_balancer_id=lb_id, backend_set_name=backend_set)
        wr = (resp.headers or {}).get("opc-work-request-id")
        if wr:
            await wait_work_request(session, wr)
    return await get_load_balancer(session, lb_id)


def read_pem(path: str) -> str:
    """A PEM file's text (a certificate or a key picked in a form)."""
    with open(path, encoding="utf-8") as f:
        return f.read()
