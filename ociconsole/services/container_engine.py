"""Kubernetes Engine (OKE): clusters, node pools and their nodes' health, kubeconfigs written or merged into a
local file (a backup first), and the quick-create workflow (a new VCN with an internet gateway, a route to it and
three subnets — API endpoint, worker nodes, load balancers — then the cluster; everything made is deleted again
if a step fails)."""

from __future__ import annotations

import asyncio
import ipaddress
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml  # type: ignore[import-untyped]

from ..core.errors import OciError
from ..core.sdk import models as sdk_models
from .runtime import Session

CE = sdk_models("container_engine")
CORE = sdk_models("core")
WR_DONE = ("SUCCEEDED", "FAILED", "CANCELED")
POLL = 0.3


async def get_cluster(session: Session, cluster_id: str):
    return await session.data("container_engine", "get_cluster", cluster_id)


async def cluster_versions(session: Session, cluster_id: str | None = None) -> list[str]:
    """The Kubernetes versions OKE offers ("all"), or those a cluster runs and can be upgraded to."""
    return list((await session.data("container_engine", "get_cluster_options", cluster_id or "all"))
                .kubernetes_versions or [])


async def node_pools(session: Session, compartment_id: str, cluster_id: str) -> list:
    pools = await session.list_all("container_engine", "list_node_pools", compartment_id, cluster_id=cluster_id)
    return [p for p in pools if p.lifecycle_state not in ("DELETED",)]


@dataclass
class NodeHealth:
    name: str
    node_id: str
    private_ip: str
    state: str  # the node's (OKE) state
    instance_state: str  # the compute instance's
    kubernetes_version: str

    @property
    def healthy(self) -> bool:
        return self.state == "ACTIVE" and self.instance_state == "RUNNING"

    def text(self) -> str:
        health = "Ready" if self.healthy else "Not ready"
        return f"{health} — {self.private_ip or 'no IP yet'}, node {self.state}, instance {self.instance_state}, " \
               f"{self.kubernetes_version}"


async def node_health(session: Session, pool) -> list[NodeHealth]:
    """The nodes of a node pool with their health: the node's state and its instance's."""
    async def one(n) -> NodeHealth:
        try:
            inst = (await session.data("compute", "get_instance", n.id)).lifecycle_state
        except OciError:
            inst = "UNKNOWN"
        return NodeHealth(n.name, n.id, n.private_ip or "", n.lifecycle_state, inst, n.kubernetes_version or "")
    return list(await asyncio.gather(*(one(n) for n in pool.nodes or [])))


def version_skew_error(cluster_version: str, pool_version: str, max_skew: int = 3) -> str | None:
    """OKE's rule between a control plane and a node pool: never newer, at most `max_skew` minor versions older."""
    def minor(v: str) -> tuple[int, int]:
        a, b = v.lstrip("v").split(".")[:2]
        return int(a), int(b)
    try:
        cm, pm = minor(cluster_version), minor(pool_version)
    except (ValueError, AttributeError):
        return None
    if pm > cm:
        return f"{pool_version} is newer than the control plane ({cluster_version}): a node pool cannot be newer"
    if cm[1] - pm[1] > max_skew:
        return f"{pool_version} is more than {max_skew} minor versions older than the control plane ({cluster_version})"
    return None


def cidr_overlap_error(cidr: str | None, vcn_cidrs: list[str], what: str) -> str | None:
    """Why a pods or services CIDR cannot be used with these VCN CIDR blocks (None: it can)."""
    try:
        net = ipaddress.ip_network(str(cidr or "").strip(), strict=True)
    except ValueError:
        return None  # the field's own CIDR check says why
    for c in vcn_cidrs:
        try:
            if net.overlaps(ipaddress.ip_network(c)):
                return f"{what} {net} overlaps the VCN's CIDR block {c}"
        except ValueError:
            continue
    return None


# ---------------------------------------------------------------- kubeconfig

async def kubeconfig(session: Session, cluster_id: str, endpoint: str = "PUBLIC_ENDPOINT") -> str:
    resp = await session.call("container_engine", "create_kubeconfig", cluster_id,
                              create_cluster_kubeconfig_content_details=CE.CreateClusterKubeconfigContentDetails(
                                  token_version="2.0.0", endpoint=endpoint),
                              post=lambda data: data.text if hasattr(data, "text") else str(data))
    return str(resp.data)


@dataclass
class KubeconfigWritten:
    id: str  # the cluster's
    path: str
    backup: str | None
    context: str
    merged: bool
    endpoint: str = ""


def merge_kubeconfig(text: str, path: str, now: float | None = None) -> KubeconfigWritten:
    """Write the kubeconfig `text` to `path`, merged into what is there (its clusters, users and contexts of the
    same names replaced, the others kept; the new context current), after copying the existing file to
    `<path>.bak-<UTC time>`, as `oci ce cluster create-kubeconfig` merges."""
    new = yaml.safe_load(text) or {}
    path = os.path.expanduser(path)
    existing: dict[str, Any] = {}
    backup = None
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            loaded = yaml.safe_load(f)
        if loaded is not None and not isinstance(loaded, dict):
            raise OciError(f"{path} is not a kubeconfig file (a YAML mapping)", code="NotAKubeconfig", kind="input")
        existing = loaded or {}
        backup = f"{path}.bak-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime(time.time() if now is None else now))}"
        shutil.copy2(path, backup)
    out: dict[str, Any] = dict(existing) if existing else {"apiVersion": "v1", "kind": "Config", "preferences": {}}
    for section in ("clusters", "users", "contexts"):
        mine = new.get(section) or []
        names = {e.get("name") for e in mine}
        out[section] = [e for e in (existing.get(section) or []) if e.get("name") not in names] + mine
    out["current-context"] = new.get("current-context")
    out.setdefault("apiVersion", "v1")
    if not out.get("kind"):
        out["kind"] = "Config"
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it names how to get credentials
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        yaml.safe_dump(out, f, default_flow_style=False, sort_keys=False)
    os.replace(tmp, path)
    cluster = ""
    for ctx in new.get("contexts") or []:
        cluster = ctx.get("name", "")
    return KubeconfigWritten("", path, backup, cluster, bool(existing))


async def write_kubeconfig(session: Session, cluster_id: str, path: str, endpoint: str) -> KubeconfigWritten:
    text = await kubeconfig(session, cluster_id, endpoint)
    loop = asyncio.get_running_loop()
    written = await loop.run_in_executor(session.pool, merge_kubeconfig, text, path)
    written.id = cluster_id
    written.endpoint = endpoint
    return written


# ---------------------------------------------------------------- work requests

async def wait_work_request(session: Session, wr_id: str, step: Callable[[str], None] | None = None,
                            timeout: float = 600.0):
    deadline = time.monotonic() + timeout
    while True:
        wr = await session.data("container_engine", "get_work_request", wr_id)
        if wr.status in WR_DONE:
            break
        if step is not None:
            step(f"{wr.operation_type.replace('_', ' ').capitalize()}: {wr.status.replace('_', ' ').lower()}")
        if time.monotonic() > deadline:
            raise OciError(f"Gave up waiting for work request {wr_id}", code="Timeout", kind="service")
        await asyncio.sleep(POLL)
    if wr.status != "SUCCEEDED":
        errs = await session.list_all("container_engine", "list_work_request_errors", wr.compartment_id, wr_id)
        raise OciError("; ".join(e.message for e in errs) or f"The work request ended {wr.status}",
                       code="WorkRequestFailed", kind="service")
    return wr


# ---------------------------------------------------------------- quick create

@dataclass
class QuickCreatePlan:
    """A cluster with a new VCN: `cluster` is CreateClusterDetails without vcn_id/endpoint_config/LB subnets."""

    cluster: Any
    vcn_cidr: str = "10.0.0.0/16"
    public_endpoint: bool = True
    made: list[tuple[str, str, str]] = field(default_factory=list)  # (service, delete method, OCID), in order

    def subnet_cidrs(self) -> dict[str, str]:
        net = ipaddress.ip_network(self.vcn_cidr)
        subs = list(net.subnets(new_prefix=max(net.prefixlen, 24)))
        return {"endpoint": str(subs[0]), "nodes": str(subs[10 % len(subs)]), "lb": str(subs[20 % len(subs)])}


async def _wait_available(session: Session, service: str, get: str, ident: str, ready: str = "AVAILABLE"):
    for _ in range(600):
        res = await session.data(service, get, ident)
        if res.lifecycle_state == ready:
            return res
        await asyncio.sleep(POLL)
    raise OciError(f"{ident} did not become {ready}", code="Timeout", kind="service")


async def quick_create_cluster(session: Session, plan: QuickCreatePlan, retry_token: str = "",
                               step: Callable[[str], None] | None = None):
    """Create the network, then the cluster in it; on any failure delete what was made (newest first) and
    raise the error saying so. Returns the cluster (CREATING: the caller follows it to ACTIVE)."""
    step = step or (lambda _t: None)
    c = plan.cluster
    comp = c.compartment_id
    name = c.name
    cidrs = plan.subnet_cidrs()
    try:
        step("Creating the VCN")
        vcn = (await session.call("network", "create_vcn", CORE.CreateVcnDetails(
            compartment_id=comp, cidr_blocks=[plan.vcn_cidr], display_name=f"oke-vcn-{name}",
            dns_label=("oke" + "".join(ch for ch in name.lower() if ch.isalnum()))[:15]))).data
        plan.made.append(("network", "delete_vcn", vcn.id))
        vcn = await _wait_available(session, "network", "get_vcn", vcn.id)
        step("Creating the internet gateway")
        igw = (await session.call("network", "create_internet_gateway", CORE.CreateInternetGatewayDetails(
            compartment_id=comp, vcn_id=vcn.id, is_enabled=True, display_name=f"oke-igw-{name}"))).data
        plan.made.append(("network", "delete_internet_gateway", igw.id))
        await _wait_available(session, "network", "get_internet_gateway", igw.id)
        await session.call("network", "update_route_table", vcn.default_route_table_id, CORE.UpdateRouteTableDetails(
            route_rules=[CORE.RouteRule(destination="0.0.0.0/0", destination_type="CIDR_BLOCK",
                                        network_entity_id=igw.id)]))
        plan.made.append(("network", "clear_route_table", vcn.default_route_table_id))  # before the gateway goes
        subnets = {}
        for role, label in (("endpoint", "Kubernetes API endpoint"), ("nodes", "worker nodes"),
                            ("lb", "load balancers")):
            step(f"Creating the subnet for the {label}")
            sub = (await session.call("network", "create_subnet", CORE.CreateSubnetDetails(
                compartment_id=comp, vcn_id=vcn.id, cidr_block=cidrs[role], display_name=f"oke-{role}-{name}",
                dns_label=role[:15], prohibit_public_ip_on_vnic=(role == "endpoint" and not plan.public_endpoint),
                route_table_id=vcn.default_route_table_id))).data
            plan.made.append(("network", "delete_subnet", sub.id))
            subnets[role] = await _wait_available(session, "network", "get_subnet", sub.id)
        step("Creating the cluster")
        c.vcn_id = vcn.id
        c.endpoint_config = CE.CreateClusterEndpointConfigDetails(subnet_id=subnets["endpoint"].id,
                                                                  is_public_ip_enabled=plan.public_endpoint)
        opts = c.options or CE.ClusterCreateOptions()
        opts.service_lb_subnet_ids = [subnets["lb"].id]
        c.options = opts
        kw: dict[str, Any] = {"opc_retry_token": retry_token} if retry_token else {}
        resp = await session.call("container_engine", "create_cluster", c, **kw)
        wr_id = resp.headers.get("opc-work-request-id")
        wr = await session.data("container_engine", "get_work_request", wr_id)
        cid = next(r.identifier for r in wr.resources if r.entity_type == "cluster")
        return await get_cluster(session, cid)
    except BaseException as e:
        left = await rollback(session, plan, step)
        if isinstance(e, OciError):
            import dataclasses
            raise dataclasses.replace(e, message=f"{e.message}; {left}") from None
        raise


async def rollback(session: Session, plan: QuickCreatePlan, step: Callable[[str], None]) -> str:
    """Delete what the plan made, newest first; says what happened."""
    failed = []
    for service, method, ident in reversed(plan.made):
        step(f"Rolling back: {method.replace('_', ' ')}")
        try:
            if method == "clear_route_table":  # a gateway a route rule names cannot be deleted
                await session.call(service, "update_route_table", ident, CORE.UpdateRouteTableDetails(route_rules=[]))
                continue
            await session.call(service, method, ident)
            get = "get_" + method.removeprefix("delete_")
            for _ in range(200):  # a VCN is deleted once its subnets and gateway are gone
                try:
                    res = await session.data(service, get, ident)
                except OciError:
                    break
                if res.lifecycle_state in ("TERMINATED",):
                    break
                await asyncio.sleep(POLL)
        except OciError as de:
            failed.append(f"{ident} ({de.summary()})")
    plan.made.clear()
    if failed:
        return "could not delete " + ", ".join(failed) + ": delete them"
    return "the network created for it was deleted again"
