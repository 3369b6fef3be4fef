"""Kubernetes Engine (`/container_engine`, ContainerEngineClient): clusters, node pools, kubeconfigs, and a small
read-only Kubernetes API per cluster.

- Cluster options: the Kubernetes versions OKE offers and its two pod networks (VCN-native, flannel overlay).
- Clusters (BASIC_CLUSTER or ENHANCED_CLUSTER) in a VCN: the API endpoint in a subnet of that VCN (VCN-native,
  with a private IP and, when asked and the subnet allows it, a public one), service load balancer subnets of the
  VCN, pod and service CIDRs that must not overlap the VCN's CIDR blocks nor each other (a 400 as OKE gives).
  CREATING -> ACTIVE, UPDATING -> ACTIVE, DELETING -> DELETED, each tracked by a Kubernetes Engine work request
  (what `create_cluster_and_wait_for_state` and the CLI's `--wait-for-state SUCCEEDED` poll). A control plane is
  upgraded one minor version at a time, and never so far that a node pool falls more than three minor versions
  behind (Kubernetes' kubelet skew policy, which OKE follows).
- Node pools: shape and shape config, an image, size and placement over availability domains, subnets and fault
  domains, initial node labels and an SSH key. Their nodes are real compute instances (they are listed as
  Instances, have metrics, and are terminated when the pool shrinks or goes). A node pool may not run a newer
  Kubernetes version than its control plane, nor one more than three minor versions older.
- `create_kubeconfig` returns the kubeconfig OKE returns (token version 2.0.0: an exec credential running
  `oci ce cluster generate-token`), whose server is this emulator's Kubernetes API of the cluster:
  `<emulator>/container_engine/_k8s/<cluster id>` (see `_k8s` below for exactly what it serves). Its bearer
  token is the one `oci ce cluster generate-token` makes: a base64url request URL for
  `/cluster_request/<cluster id>` signed with the caller's API key, verified here like any OCI request.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import time
from urllib.parse import parse_qs, urlsplit

from ..engine import KINDS, Kind, Lifecycle, check_name, settle_deleted
from ..protocol import ApiError, conflict, incorrect_state, invalid
from ..registry import Context, Result, Service
from . import compute, network, workrequests
from .identity import ad_names, fault_domains

svc = Service("container_engine")
WR_SERVICE = "containerengine"

# the versions OKE offers (oldest first); a control plane moves one minor version at a time
KUBERNETES_VERSIONS = ("v1.30.10", "v1.31.10", "v1.32.7", "v1.33.3", "v1.34.1")
MAX_KUBELET_SKEW = 3  # a node pool may be at most this many minor versions older than its control plane
POD_NETWORKS = ("OCI_VCN_IP_NATIVE", "FLANNEL_OVERLAY")
DEFAULT_PODS_CIDR = "10.244.0.0/16"
DEFAULT_SERVICES_CIDR = "10.96.0.0/16"
NODE_POOL_SIZE_MAX = 1000
CLUSTER_LIVE = ("CREATING", "ACTIVE", "UPDATING")
POOL_LIVE = ("CREATING", "ACTIVE", "UPDATING", "NEEDS_ATTENTION")

CLUSTER = svc.resource(Kind("cluster", "Cluster", "cluster", name_field="name",
                            lifecycle=Lifecycle("CREATING", "ACTIVE", "UPDATING", "DELETING", "DELETED", "FAILED"),
                            ops={"create": "", "update": "", "delete": ""}))
NODE_POOL = svc.resource(Kind("nodepool", "NodePool", "node pool", name_field="name",
                              lifecycle=Lifecycle("CREATING", "ACTIVE", "UPDATING", "DELETING", "DELETED", "FAILED"),
                              live=POOL_LIVE, ops={"create": "", "update": "", "delete": "", "get": ""}))


# ---------------------------------------------------------------- versions

def _minor(version: str) -> tuple[int, int]:
    major, minor = version.lstrip("v").split(".")[:2]
    return int(major), int(minor)


def _check_version(version, field: str = "kubernetesVersion") -> str:
    if version not in KUBERNETES_VERSIONS:
        raise invalid(f"{field}: Kubernetes version '{str(version)[:40]}' is not supported; supported versions: "
                      f"{', '.join(KUBERNETES_VERSIONS)}")
    return version


def _upgrades(version: str) -> list[str]:
    """The versions a control plane at `version` can be upgraded to: newer ones, at most one minor ahead."""
    major, minor = _minor(version)
    return [v for v in KUBERNETES_VERSIONS
            if _minor(v)[0] == major and minor <= _minor(v)[1] <= minor + 1 and v != version
            and KUBERNETES_VERSIONS.index(v) > KUBERNETES_VERSIONS.index(version)]


def check_skew(cluster_version: str, pool_version: str, field: str = "kubernetesVersion") -> None:
    """OKE's (Kubernetes') rule between a control plane and a node pool's kubelets."""
    cm, pm = _minor(cluster_version), _minor(pool_version)
    if pm > cm:
        raise invalid(f"{field}: node pool version {pool_version} is newer than the cluster's control plane version "
                      f"{cluster_version}; a node pool cannot run a newer Kubernetes version than its control plane")
    if cm[1] - pm[1] > MAX_KUBELET_SKEW:
        raise invalid(f"{field}: node pool version {pool_version} is more than {MAX_KUBELET_SKEW} minor versions "
                      f"older than the cluster's control plane version {cluster_version}")


@svc.op("get_cluster_options")
def get_cluster_options(ctx: Context):
    oid = ctx.path["clusterOptionId"]
    if ctx.query.get("compartmentId"):
        ctx.compartment(ctx.query["compartmentId"])
    if oid == "all":
        versions = list(KUBERNETES_VERSIONS)
    else:
        cluster = ctx.get("cluster", oid, "cluster options")
        versions = [cluster["kubernetesVersion"]] + _upgrades(cluster["kubernetesVersion"])
    return {"kubernetesVersions": versions, "clusterPodNetworkOptions": [{"cniType": c} for c in POD_NETWORKS]}


# ---------------------------------------------------------------- work requests

def _wr(ctx: Context, op_type: str, comp: str, entity: str, ident: str, cluster_id: str) -> str:
    uri = {"cluster": f"/clusters/{ident}", "nodepool": f"/nodePools/{ident}"}[entity]
    wr = workrequests.start(ctx, WR_SERVICE, op_type, comp, [
        {"entityType": entity, "actionType": "IN_PROGRESS", "identifier": ident, "entityUri": uri}])
    ctx.update("workrequest", wr["id"], {"_clusterId": cluster_id})
    return wr["id"]


def _finish_wr(core, wr_id: str | None, action: str, ok: bool = True, message: str | None = None) -> None:
    if not wr_id:
        return
    wr = core.store.get("workrequest", wr_id)
    if wr is not None:
        core.store.update("workrequest", wr_id, {"resources": [dict(r, actionType=action if ok else "FAILED")
                                                               for r in wr["resources"]]})
    workrequests.finish(core, wr_id, ok, message)


@svc.op("get_work_request")
def get_work_request(ctx: Context):
    return workrequests._visible(ctx, WR_SERVICE, ctx.path["workRequestId"])


@svc.op("list_work_requests")
def list_work_requests(ctx: Context):
    q = ctx.query
    ctx.compartment(q.get("compartmentId"))
    out = []
    for d in ctx.store.list(workrequests.KIND, q["compartmentId"]):
        if d.get("_service") != WR_SERVICE or d.get("_region") not in (None, ctx.region):
            continue
        if q.get("clusterId") and d.get("_clusterId") != q["clusterId"]:
            continue
        if q.get("resourceId") and not any(r["identifier"] == q["resourceId"] for r in d["resources"]):
            continue
        if q.get("resourceType") and not any(r["entityType"] == q["resourceType"].lower() for r in d["resources"]):
            continue
        status = q.get("status")
        if status and d["status"] not in (status if isinstance(status, list) else [status]):
            continue
        out.append(d)
    out.sort(key=lambda d: d.get("timeAccepted") or "", reverse=q.get("sortOrder") != "ASC")
    return out


@svc.op("list_work_request_errors")
def list_work_request_errors(ctx: Context):
    return list(workrequests._visible(ctx, WR_SERVICE, ctx.path["workRequestId"])["_errors"])


@svc.op("list_work_request_logs")
def list_work_request_logs(ctx: Context):
    return list(workrequests._visible(ctx, WR_SERVICE, ctx.path["workRequestId"])["_logs"])


# ---------------------------------------------------------------- clusters

def _subnet_of(ctx: Context, sid, vcn: dict, field: str) -> dict:
    sub = CLUSTER.find_live(ctx, "subnet", ctx.require(sid, field), field)
    if sub["vcnId"] != vcn["id"]:
        raise invalid(f"{field}: subnet {sub['displayName']} is not in the cluster's VCN {vcn['displayName']}")
    return sub


def _check_cidrs(vcn: dict, pods: str | None, services: str, cni: str) -> dict:
    """Pods and services CIDRs: valid IPv4 blocks, not overlapping each other nor any of the VCN's CIDR blocks."""
    nets = {"servicesCidr": network.parse_cidr(services, "options.kubernetesNetworkConfig.servicesCidr")}
    if cni == "FLANNEL_OVERLAY" and pods is not None:
        nets["podsCidr"] = network.parse_cidr(pods, "options.kubernetesNetworkConfig.podsCidr")
    for f, net in nets.items():
        for c in vcn.get("cidrBlocks") or [vcn.get("cidrBlock")]:
            if c and net.overlaps(ipaddress.ip_network(c)):
                what = "Pods" if f == "podsCidr" else "Services"
                raise invalid(f"options.kubernetesNetworkConfig.{f}: {what} CIDR block {net} overlaps with the "
                              f"VCN CIDR block {c}; choose a block outside the VCN's CIDR blocks")
    if "podsCidr" in nets and nets["podsCidr"].overlaps(nets["servicesCidr"]):
        raise invalid(f"options.kubernetesNetworkConfig: the pods CIDR block {nets['podsCidr']} overlaps the services "
                      f"CIDR block {nets['servicesCidr']}")
    if "podsCidr" in nets and nets["podsCidr"].prefixlen > 24:
        raise invalid("options.kubernetesNetworkConfig.podsCidr: the pods CIDR block must be /24 or larger")
    return {k: str(v) for k, v in nets.items()}


def _endpoint_ip(ctx: Context, subnet: dict) -> str:
    taken = {c.get("_endpointIp") for c in ctx.store.by_field("cluster", "_endpointSubnet", subnet["id"])
             if c.get("lifecycleState") in CLUSTER_LIVE}
    net = ipaddress.ip_network(subnet["cidrBlock"])
    ip = network.allocate_private_ip(ctx, subnet)
    while ip in taken:
        ip = str(ipaddress.ip_address(ip) + 1)
        if ipaddress.ip_address(ip) not in net:
            raise ApiError(409, "LimitExceeded", f"Subnet {subnet['displayName']} has no free address left")
    return ip


@svc.op("create_cluster")
def create_cluster(ctx: Context):
    b = ctx.body or {}
    comp = ctx.compartment(b.get("compartmentId"))
    name = check_name(ctx.require(b.get("name"), "name"), "name")
    vcn = CLUSTER.find_live(ctx, "vcn", ctx.require(b.get("vcnId"), "vcnId"), "vcnId")
    version = _check_version(ctx.require(b.get("kubernetesVersion"), "kubernetesVersion"))
    ctype = b.get("type") or "BASIC_CLUSTER"
    opts = dict(b.get("options") or {})
    cni_opts = b.get("clusterPodNetworkOptions") or [{"cniType": "FLANNEL_OVERLAY"}]
    if len(cni_opts) != 1:
        raise invalid("clusterPodNetworkOptions: give exactly one pod network option")
    cni = cni_opts[0]["cniType"]
    knc = opts.get("kubernetesNetworkConfig") or {}
    cidrs = _check_cidrs(vcn, knc.get("podsCidr") or DEFAULT_PODS_CIDR,
                         knc.get("servicesCidr") or DEFAULT_SERVICES_CIDR, cni)
    lb_subnets = [_subnet_of(ctx, s, vcn, f"options.serviceLbSubnetIds[{i}]")["id"]
                  for i, s in enumerate(opts.get("serviceLbSubnetIds") or [])]
    ident = ctx.new_id("cluster")
    host = ident[-11:]
    endpoints: dict = {}
    extra: dict = {}
    ec = b.get("endpointConfig")
    if ec is not None:
        sub = _subnet_of(ctx, ec.get("subnetId"), vcn, "endpointConfig.subnetId")
        public = bool(ec.get("isPublicIpEnabled", False))
        if public and sub.get("prohibitPublicIpOnVnic"):
            raise invalid(f"endpointConfig.isPublicIpEnabled: subnet {sub['displayName']} is private (it prohibits "
                          "public IPs); use a public subnet or a private endpoint")
        nsgs = network.check_nsg_ids(ctx, ec.get("nsgIds"), vcn["id"], "endpointConfig.nsgIds")
        ip = _endpoint_ip(ctx, sub)
        endpoints["privateEndpoint"] = f"{ip}:6443"
        if public:
            endpoints["publicEndpoint"] = f"{network.allocate_public_address(ctx)}:6443"
        if sub.get("dnsLabel") and vcn.get("dnsLabel"):
            endpoints["vcnHostnameEndpoint"] = f"{host}.{sub['dnsLabel']}.{vcn['dnsLabel']}.oraclevcn.com:6443"
        ec = {"subnetId": sub["id"], "isPublicIpEnabled": public, "nsgIds": nsgs}
        extra = {"_endpointSubnet": sub["id"], "_endpointIp": ip}
    else:
        endpoints["kubernetes"] = f"{host}.{ctx.region}.clusters.oci.oraclecloud.com:6443"
    options = {"serviceLbSubnetIds": lb_subnets,
               "kubernetesNetworkConfig": {"podsCidr": cidrs.get("podsCidr"), "servicesCidr": cidrs["servicesCidr"]},
               "addOns": opts.get("addOns") or {"isKubernetesDashboardEnabled": False, "isTillerEnabled": False},
               "admissionControllerOptions": opts.get("admissionControllerOptions") or
               {"isPodSecurityPolicyEnabled": False},
               "ipFamilies": opts.get("ipFamilies") or ["IPv4"]}
    for k in ("persistentVolumeConfig", "serviceLbConfig"):
        if opts.get(k):
            options[k] = opts[k]
    for c in ctx.list("cluster", comp["id"]):
        if c["name"] == name and c["lifecycleState"] in CLUSTER_LIVE:
            raise conflict(f"A cluster named '{name}' already exists in this compartment")
    wr = _wr(ctx, "CLUSTER_CREATE", comp["id"], "cluster", ident, ident)
    user = ctx.principal.user_id if ctx.principal is not None else None
    doc = dict(extra, id=ident, name=name, compartmentId=comp["id"], vcnId=vcn["id"], kubernetesVersion=version,
               type=ctype, options=options, endpoints=endpoints, clusterPodNetworkOptions=[{"cniType": cni}],
               availableKubernetesUpgrades=_upgrades(version), lifecycleState="CREATING",
               lifecycleDetails="Creating the control plane", _region=ctx.region, timeCreated=ctx.ts(),
               imagePolicyConfig={"isPolicyEnabled": False, "keyDetails": []},
               metadata={"timeCreated": ctx.ts(), "createdByUserId": user, "createdByWorkRequestId": wr},
               freeformTags={}, definedTags={})
    if b.get("kmsKeyId"):
        doc["kmsKeyId"] = b["kmsKeyId"]
    if ec is not None:
        doc["endpointConfig"] = ec
    doc.update(ctx.tags(b))
    ctx.put("cluster", doc)
    ctx.schedule("cluster", ident, {"lifecycleState": "ACTIVE", "lifecycleDetails": None}, steps=2,
                 when_state="CREATING", hook="oke.settled", args={"wr": wr, "action": "CREATED"})
    return None


@svc.hook("oke.settled")
def _settled(core, _doc: dict, args: dict) -> None:
    _finish_wr(core, args.get("wr"), args.get("action", "UPDATED"))


def _cluster_for_write(ctx: Context, states=("ACTIVE",)) -> dict:
    cluster = ctx.get_for_write("cluster", ctx.path["clusterId"], "cluster")
    if cluster["lifecycleState"] not in states:
        raise incorrect_state(f"Cluster {cluster['name']} is {cluster['lifecycleState']}; this needs it "
                              f"{' or '.join(states)}")
    return cluster


def _pools(store, cluster_id: str) -> list[dict]:
    return [p for p in store.by_field("nodepool", "clusterId", cluster_id) if p["lifecycleState"] in POOL_LIVE]


@svc.op("update_cluster")
def update_cluster(ctx: Context):
    cluster = _cluster_for_write(ctx)
    b = ctx.body or {}
    changes: dict = {}
    if b.get("name") is not None:
        changes["name"] = check_name(b["name"], "name")
    if b.get("kubernetesVersion") is not None and b["kubernetesVersion"] != cluster["kubernetesVersion"]:
        v = _check_version(b["kubernetesVersion"])
        if _minor(v) < _minor(cluster["kubernetesVersion"]) or \
                KUBERNETES_VERSIONS.index(v) < KUBERNETES_VERSIONS.index(cluster["kubernetesVersion"]):
            raise invalid(f"kubernetesVersion: a control plane cannot be downgraded from "
                          f"{cluster['kubernetesVersion']} to {v}")
        if v not in _upgrades(cluster["kubernetesVersion"]):
            to = ", ".join(_upgrades(cluster["kubernetesVersion"])) or "nothing newer"
            raise invalid(f"kubernetesVersion: cluster {cluster['name']} runs {cluster['kubernetesVersion']} and can "
                          f"be upgraded one minor version at a time (to {to})")
        for p in _pools(ctx.store, cluster["id"]):
            try:
                check_skew(v, p["kubernetesVersion"])
            except ApiError:
                raise invalid(f"kubernetesVersion: upgrading the control plane to {v} would leave node pool "
                              f"{p['name']} ({p['kubernetesVersion']}) more than {MAX_KUBELET_SKEW} minor versions "
                              "behind; upgrade the node pool first") from None
        changes["kubernetesVersion"] = v
        changes["availableKubernetesUpgrades"] = _upgrades(v)
    if b.get("type") is not None and b["type"] != cluster["type"]:
        if b["type"] == "BASIC_CLUSTER":
            raise invalid("type: an enhanced cluster cannot be changed back to a basic cluster")
        changes["type"] = b["type"]
    opts = b.get("options") or {}
    if opts:
        merged = dict(cluster["options"])
        for k in ("admissionControllerOptions", "persistentVolumeConfig", "serviceLbConfig"):
            if opts.get(k) is not None:
                merged[k] = opts[k]
        changes["options"] = merged
    changes.update(ctx.tags(b))
    wr = _wr(ctx, "CLUSTER_UPDATE", cluster["compartmentId"], "cluster", cluster["id"], cluster["id"])
    md = dict(cluster.get("metadata") or {}, timeUpdated=ctx.ts(), updatedByWorkRequestId=wr,
              updatedByUserId=ctx.principal.user_id if ctx.principal is not None else None)
    final = {k: changes.pop(k) for k in ("kubernetesVersion", "availableKubernetesUpgrades") if k in changes}
    ctx.update("cluster", cluster["id"], dict(changes, metadata=md, lifecycleState="UPDATING",
                                              lifecycleDetails="Updating the control plane" if final else None))
    ctx.schedule("cluster", cluster["id"], dict(final, lifecycleState="ACTIVE", lifecycleDetails=None), steps=2,
                 when_state="UPDATING", hook="oke.settled", args={"wr": wr, "action": "UPDATED"})
    return None


@svc.op("delete_cluster")
def delete_cluster(ctx: Context):
    cluster = _cluster_for_write(ctx, ("ACTIVE", "FAILED", "UPDATING", "CREATING"))
    wr = _wr(ctx, "CLUSTER_DELETE", cluster["compartmentId"], "cluster", cluster["id"], cluster["id"])
    for p in _pools(ctx.store, cluster["id"]):
        _terminate_nodes(ctx, _nodes(ctx.store, p["id"]))
        ctx.update("nodepool", p["id"], {"lifecycleState": "DELETING"})
        ctx.schedule("nodepool", p["id"], {"lifecycleState": "DELETED"}, steps=2, when_state="DELETING",
                     hook="oke.deleted", args={"kind": "nodepool"})
    ctx.update("cluster", cluster["id"], {"lifecycleState": "DELETING", "lifecycleDetails": "Deleting the cluster"})
    ctx.schedule("cluster", cluster["id"], {"lifecycleState": "DELETED", "lifecycleDetails": None}, steps=2,
                 when_state="DELETING", hook="oke.deleted", args={"kind": "cluster", "wr": wr})
    return None


@svc.hook("oke.deleted")
def _deleted(core, doc: dict, args: dict) -> None:
    settle_deleted(core, KINDS[args["kind"]], doc or None, None)
    _finish_wr(core, args.get("wr"), "DELETED")


# ---------------------------------------------------------------- kubeconfig

def k8s_server(ctx: Context, cluster: dict) -> str:
    """The URL of the cluster's Kubernetes API on this emulator (where its endpoints lead)."""
    host = ctx.headers.get("host") or "127.0.0.1"
    prefix = "" if ctx.region == ctx.core.home_region else f"/{ctx.region}"
    return f"http://{host}{prefix}/container_engine/_k8s/{cluster['id']}"


@svc.op("create_kubeconfig")
def create_kubeconfig(ctx: Context):
    cluster = ctx.get("cluster", ctx.path["clusterId"], "cluster")
    if cluster["lifecycleState"] not in ("ACTIVE", "UPDATING"):
        raise incorrect_state(f"Cluster {cluster['name']} is {cluster['lifecycleState']}; a kubeconfig is available "
                              "once it is ACTIVE")
    b = ctx.body or {}
    token_version = b.get("tokenVersion") or "2.0.0"
    if token_version != "2.0.0":
        raise invalid(f"tokenVersion: '{str(token_version)[:20]}' is not supported; use 2.0.0")
    endpoints = cluster.get("endpoints") or {}
    want = b.get("endpoint") or ("LEGACY_KUBERNETES" if "kubernetes" in endpoints else
                                 "PUBLIC_ENDPOINT" if "publicEndpoint" in endpoints else "PRIVATE_ENDPOINT")
    key = {"LEGACY_KUBERNETES": "kubernetes", "PUBLIC_ENDPOINT": "publicEndpoint",
           "PRIVATE_ENDPOINT": "privateEndpoint", "VCN_HOSTNAME": "vcnHostnameEndpoint"}[want]
    if key not in endpoints:
        raise invalid(f"endpoint: cluster {cluster['name']} has no {want} endpoint "
                      f"(it has {', '.join(sorted(endpoints)) or 'none'})")
    suffix = cluster["id"][-11:]
    text = "\n".join([
        "---", "apiVersion: v1", 'kind: ""', "clusters:", f"- name: cluster-{suffix}", "  cluster:",
        f"    server: {k8s_server(ctx, cluster)}", "users:", f"- name: user-{suffix}", "  user:", "    exec:",
        "      apiVersion: client.authentication.k8s.io/v1beta1", "      args:", "      - ce", "      - cluster",
        "      - generate-token", "      - --cluster-id", f"      - {cluster['id']}", "      - --region",
        f"      - {ctx.region}", "      command: oci", "      env: []", "contexts:", f"- name: context-{suffix}",
        "  context:", f"    cluster: cluster-{suffix}", f"    user: user-{suffix}",
        f"current-context: context-{suffix}", "preferences: {}", ""])
    return Result(raw=text.encode(), content_type="application/octet-stream")


# ---------------------------------------------------------------- node pools

def _nodes(store, pool_id: str, states=("PROVISIONING", "STARTING", "RUNNING", "STOPPING", "STOPPED")) -> list[dict]:
    insts = [i for i in store.by_field("instance", "_nodePool", pool_id) if i["lifecycleState"] in states]
    return sorted(insts, key=lambda i: (i["timeCreated"], i.get("_nodeIndex", 0)))


def _vnic(store, inst: dict) -> dict:
    for a in store.by_field("vnicattachment", "instanceId", inst["id"]):
        if a.get("nicIndex", 0) == 0:
            return store.get("vnic", a["vnicId"]) or {}
    return {}


NODE_STATE = {"PROVISIONING": "CREATING", "STARTING": "UPDATING", "RUNNING": "ACTIVE", "STOPPING": "UPDATING",
              "STOPPED": "INACTIVE", "TERMINATING": "DELETING", "TERMINATED": "DELETED"}


def node_view(store, inst: dict) -> dict:
    v = _vnic(store, inst)
    node = {"id": inst["id"], "name": inst["displayName"], "kubernetesVersion": inst.get("_k8sVersion"),
            "availabilityDomain": inst["availabilityDomain"], "subnetId": v.get("subnetId"),
            "nodePoolId": inst["_nodePool"], "faultDomain": inst.get("faultDomain"), "privateIp": v.get("privateIp"),
            "lifecycleState": NODE_STATE.get(inst["lifecycleState"], "ACTIVE"),
            "lifecycleDetails": {"RUNNING": "Node is ready", "PROVISIONING": "Launching the instance"}.get(
                inst["lifecycleState"], f"Instance is {inst['lifecycleState']}"),
            "freeformTags": inst.get("freeformTags") or {}, "definedTags": inst.get("definedTags") or {}}
    if v.get("publicIp"):
        node["publicIp"] = v["publicIp"]
    return node


def _pool_view(store, pool: dict) -> dict:
    nodes = _nodes(store, pool["id"], ("PROVISIONING", "STARTING", "RUNNING", "STOPPING", "STOPPED", "TERMINATING"))
    return dict(pool, nodes=[node_view(store, i) for i in nodes])


@svc.op("get_node_pool")
def get_node_pool(ctx: Context):
    return _pool_view(ctx.store, ctx.get("nodepool", ctx.path["nodePoolId"], "node pool"))


def _check_placements(ctx: Context, vcn: dict, placements, where: str) -> list[dict]:
    if not placements:
        raise ApiError(400, "MissingParameter", f"{where} is required (at least one availability domain and subnet)")
    out = []
    for i, p in enumerate(placements):
        ad = ctx.require(p.get("availabilityDomain"), f"{where}[{i}].availabilityDomain")
        if ad not in ad_names(ctx.region):
            raise invalid(f"{where}[{i}].availabilityDomain '{ad}' does not exist in {ctx.region}")
        sub = _subnet_of(ctx, p.get("subnetId"), vcn, f"{where}[{i}].subnetId")
        if sub.get("availabilityDomain") and sub["availabilityDomain"] != ad:
            raise invalid(f"{where}[{i}]: subnet {sub['displayName']} is in {sub['availabilityDomain']}, not {ad}")
        q = {"availabilityDomain": ad, "subnetId": sub["id"]}
        for fd in p.get("faultDomains") or []:
            if fd not in fault_domains():
                raise invalid(f"{where}[{i}].faultDomains: '{fd}' is not a fault domain (FAULT-DOMAIN-1, -2 or -3)")
        if p.get("faultDomains"):
            q["faultDomains"] = list(p["faultDomains"])
        out.append(q)
    return out


def _check_size(size, field: str = "nodeConfigDetails.size") -> int:
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= NODE_POOL_SIZE_MAX:
        raise invalid(f"{field} must be a whole number from 0 to {NODE_POOL_SIZE_MAX}, got {size}")
    return size


def _node_template(ctx: Context, b: dict, base: dict | None = None) -> dict:
    """The shape, shape config and image of new nodes, checked against each other."""
    base = base or {}
    shape_name = b.get("nodeShape") or base.get("nodeShape")
    shape = compute.SHAPES.get(ctx.require(shape_name, "nodeShape"))
    if shape is None:
        raise invalid(f"nodeShape: {shape_name} is not a shape of {ctx.region}")
    if shape["shape"].startswith("BM.") and shape["shape"].endswith("Micro"):
        raise invalid(f"nodeShape: {shape_name} cannot run Kubernetes nodes")
    cfg_in = b.get("nodeShapeConfig") if b.get("nodeShapeConfig") is not None else base.get("nodeShapeConfig")
    if shape["isFlexible"] and not cfg_in:
        raise invalid(f"nodeShapeConfig: {shape_name} is a flexible shape; give ocpus (and memoryInGBs)")
    cfg = compute.resolve_shape_config(shape, cfg_in)
    src = b.get("nodeSourceDetails") or base.get("nodeSourceDetails")
    if src is None and b.get("nodeImageName"):
        img = next((i for i in ctx.list("image") if i["displayName"] == b["nodeImageName"]), None)
        if img is None:
            raise invalid(f"nodeImageName: no image named {b['nodeImageName']}")
        src = {"sourceType": "IMAGE", "imageId": img["id"]}
    if src is None:
        raise ApiError(400, "MissingParameter", "nodeSourceDetails is required (the image of the nodes)")
    if src.get("sourceType") != "IMAGE":
        raise invalid("nodeSourceDetails.sourceType must be IMAGE")
    img = compute._image(ctx, ctx.require(src.get("imageId"), "nodeSourceDetails.imageId"),
                         "nodeSourceDetails.imageId")
    if img.get("_family", "linux") != "linux":
        raise invalid(f"nodeSourceDetails.imageId: {img['displayName']} is not a Linux image; Kubernetes nodes run "
                      "Oracle Linux or Ubuntu")
    if not compute.image_compatible(img, shape):
        raise invalid(f"nodeSourceDetails.imageId: image {img['displayName']} is not compatible with shape "
                      f"{shape['shape']}")
    boot = src.get("bootVolumeSizeInGBs")
    if boot is not None and not 50 <= boot <= 32768:
        raise invalid("nodeSourceDetails.bootVolumeSizeInGBs must be between 50 and 32768")
    out = {"nodeShape": shape["shape"], "nodeImageId": img["id"], "nodeImageName": img["displayName"],
           "nodeSource": {"sourceType": "IMAGE", "sourceName": img["displayName"], "imageId": img["id"]},
           "nodeSourceDetails": {k: v for k, v in {"sourceType": "IMAGE", "imageId": img["id"],
                                                   "bootVolumeSizeInGBs": boot}.items() if v is not None}}
    if shape["isFlexible"]:
        out["nodeShapeConfig"] = {"ocpus": cfg["ocpus"], "memoryInGBs": cfg["memoryInGBs"]}
    return out


def _labels(b: dict) -> list[dict] | None:
    labels = b.get("initialNodeLabels")
    if labels is None:
        return None
    for i, kv in enumerate(labels):
        k = kv.get("key") or ""
        name = k.split("/")[-1]
        if not name or len(name) > 63 or len(k) > 253 or not all(c.isalnum() or c in "-_./" for c in k):
            raise invalid(f"initialNodeLabels[{i}].key '{k[:60]}' is not a valid Kubernetes label key")
        if len(kv.get("value") or "") > 63 or not all(c.isalnum() or c in "-_." for c in kv.get("value") or ""):
            raise invalid(f"initialNodeLabels[{i}].value is not a valid Kubernetes label value")
    return [{"key": kv["key"], "value": kv.get("value") or ""} for kv in labels]


def _launch_node(ctx: Context, pool: dict, cluster: dict) -> dict:
    members = _nodes(ctx.store, pool["id"])
    placements = pool["nodeConfigDetails"]["placementConfigs"]
    place = min(placements, key=lambda p: (sum(1 for m in members if m["availabilityDomain"] ==
                                               p["availabilityDomain"]), placements.index(p)))
    fds = place.get("faultDomains") or fault_domains()
    fd = min(fds, key=lambda f: (sum(1 for m in members if m["availabilityDomain"] == place["availabilityDomain"]
                                     and m.get("faultDomain") == f), fds.index(f)))
    n = pool.get("_launched", 0)
    metadata = dict(pool.get("nodeMetadata") or {})
    metadata.update({"oke-cluster-id": cluster["id"], "oke-pool-id": pool["id"],
                     "oke-k8version": pool["kubernetesVersion"]})
    if pool.get("sshPublicKey"):
        metadata["ssh_authorized_keys"] = pool["sshPublicKey"]
    src = {"sourceType": "image", "imageId": pool["nodeImageId"]}
    if pool["nodeSourceDetails"].get("bootVolumeSizeInGBs"):
        src["bootVolumeSizeInGBs"] = pool["nodeSourceDetails"]["bootVolumeSizeInGBs"]
    body = {"compartmentId": pool["compartmentId"], "availabilityDomain": place["availabilityDomain"],
            "faultDomain": fd, "shape": pool["nodeShape"], "sourceDetails": src, "metadata": metadata,
            "displayName": f"oke-{cluster['id'][-11:]}-{pool['id'][-11:]}-{n}",
            "createVnicDetails": {"subnetId": place["subnetId"],
                                  "nsgIds": pool["nodeConfigDetails"].get("nsgIds") or None}}
    if pool.get("nodeShapeConfig"):
        body["shapeConfig"] = pool["nodeShapeConfig"]
    inst = compute.launch(ctx, body, work_request=False, extra={
        "_nodePool": pool["id"], "_cluster": cluster["id"], "_k8sVersion": pool["kubernetesVersion"],
        "_labels": pool.get("initialNodeLabels") or [], "_nodeIndex": n})
    ctx.store.update("nodepool", pool["id"], {"_launched": n + 1})
    return inst


def _terminate_nodes(ctx: Context, insts: list[dict]) -> None:
    for inst in insts:
        if inst["lifecycleState"] in ("TERMINATING", "TERMINATED"):
            continue
        ctx.update("instance", inst["id"], {"lifecycleState": "TERMINATING"})
        ctx.schedule("instance", inst["id"], {"lifecycleState": "TERMINATED"}, steps=1.5, when_state="TERMINATING",
                     hook="compute.terminated", args={"preserve": False})


def _resize(ctx: Context, pool: dict, cluster: dict, size: int) -> None:
    members = _nodes(ctx.store, pool["id"])
    for _ in range(size - len(members)):
        _launch_node(ctx, ctx.store.get("nodepool", pool["id"]), cluster)
    if size < len(members):  # the newest nodes go first
        _terminate_nodes(ctx, list(reversed(members))[:len(members) - size])


def _placements_from(ctx: Context, vcn: dict, b: dict) -> tuple[dict, int]:
    ncd = b.get("nodeConfigDetails")
    if ncd is not None:
        placements = _check_placements(ctx, vcn, ncd.get("placementConfigs"), "nodeConfigDetails.placementConfigs")
        size = _check_size(ncd.get("size"))
        nsgs = network.check_nsg_ids(ctx, ncd.get("nsgIds"), vcn["id"], "nodeConfigDetails.nsgIds")
        cni = (ncd.get("nodePoolPodNetworkOptionDetails") or {}).get("cniType")
        details = {"size": size, "placementConfigs": placements, "nsgIds": nsgs,
                   "isPvEncryptionInTransitEnabled": bool(ncd.get("isPvEncryptionInTransitEnabled", False))}
        if cni:
            details["nodePoolPodNetworkOptionDetails"] = {"cniType": cni}
        return details, size
    subnets = b.get("subnetIds")
    if not subnets:
        raise ApiError(400, "MissingParameter", "nodeConfigDetails (size and placement configurations) is required")
    per = _check_size(b.get("quantityPerSubnet") or 0, "quantityPerSubnet")
    ads = ad_names(ctx.region)
    placements = []
    for i, s in enumerate(subnets):
        sub = _subnet_of(ctx, s, vcn, f"subnetIds[{i}]")
        placements.append({"availabilityDomain": sub.get("availabilityDomain") or ads[i % len(ads)],
                           "subnetId": sub["id"]})
    return {"size": per * len(subnets), "placementConfigs": placements, "nsgIds": [],
            "isPvEncryptionInTransitEnabled": False}, per * len(subnets)


@svc.op("create_node_pool")
def create_node_pool(ctx: Context):
    b = ctx.body or {}
    comp = ctx.compartment(b.get("compartmentId"))
    cluster = CLUSTER.find_live(ctx, "cluster", ctx.require(b.get("clusterId"), "clusterId"), "clusterId")
    if cluster["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"Cluster {cluster['name']} is {cluster['lifecycleState']}; node pools are added to an "
                              "ACTIVE cluster")
    name = check_name(ctx.require(b.get("name"), "name"), "name")
    version = _check_version(b.get("kubernetesVersion") or cluster["kubernetesVersion"])
    check_skew(cluster["kubernetesVersion"], version)
    vcn = ctx.get("vcn", cluster["vcnId"], "vcn")
    template = _node_template(ctx, b)
    details, size = _placements_from(ctx, vcn, b)
    if b.get("sshPublicKey"):
        compute.check_ssh_keys(b["sshPublicKey"])
    ident = ctx.new_id("nodepool")
    wr = _wr(ctx, "NODEPOOL_CREATE", comp["id"], "nodepool", ident, cluster["id"])
    doc = dict(template, id=ident, compartmentId=comp["id"], clusterId=cluster["id"], name=name,
               kubernetesVersion=version, initialNodeLabels=_labels(b) or [], sshPublicKey=b.get("sshPublicKey"),
               quantityPerSubnet=b.get("quantityPerSubnet") or 0, subnetIds=[p["subnetId"] for p in
                                                                            details["placementConfigs"]],
               nodeConfigDetails=details, nodeMetadata=b.get("nodeMetadata") or None, lifecycleState="CREATING",
               lifecycleDetails="Launching the nodes", _region=ctx.region, timeCreated=ctx.ts(),
               freeformTags={}, definedTags={})
    doc.update(ctx.tags(b))
    pool = ctx.put("nodepool", {k: v for k, v in doc.items() if v is not None})
    for _ in range(size):
        _launch_node(ctx, ctx.store.get("nodepool", pool["id"]), cluster)
    # the instances run after 1.5 transitions; the pool is ACTIVE once they have joined
    ctx.schedule("nodepool", ident, {"lifecycleState": "ACTIVE", "lifecycleDetails": None}, steps=2,
                 when_state="CREATING", hook="oke.settled", args={"wr": wr, "action": "CREATED"})
    return None


def _pool_for_write(ctx: Context) -> tuple[dict, dict]:
    pool = ctx.get_for_write("nodepool", ctx.path["nodePoolId"], "node pool")
    if pool["lifecycleState"] not in ("ACTIVE", "NEEDS_ATTENTION"):
        raise incorrect_state(f"Node pool {pool['name']} is {pool['lifecycleState']}; it can be changed when ACTIVE")
    cluster = ctx.get("cluster", pool["clusterId"], "cluster")
    return pool, cluster


@svc.op("update_node_pool")
def update_node_pool(ctx: Context):
    pool, cluster = _pool_for_write(ctx)
    b = ctx.body or {}
    vcn = ctx.get("vcn", cluster["vcnId"], "vcn")
    changes: dict = {}
    if b.get("name") is not None:
        changes["name"] = check_name(b["name"], "name")
    if b.get("kubernetesVersion") is not None and b["kubernetesVersion"] != pool["kubernetesVersion"]:
        v = _check_version(b["kubernetesVersion"])
        check_skew(cluster["kubernetesVersion"], v)
        changes["kubernetesVersion"] = v
    if any(b.get(k) is not None for k in ("nodeShape", "nodeShapeConfig", "nodeSourceDetails")):
        changes.update(_node_template(ctx, b, pool))
    if b.get("initialNodeLabels") is not None:
        changes["initialNodeLabels"] = _labels(b)
    if b.get("sshPublicKey") is not None:
        compute.check_ssh_keys(b["sshPublicKey"])
        changes["sshPublicKey"] = b["sshPublicKey"]
    if b.get("nodeMetadata") is not None:
        changes["nodeMetadata"] = b["nodeMetadata"]
    size = pool["nodeConfigDetails"]["size"]
    ncd = b.get("nodeConfigDetails")
    if ncd is not None or b.get("subnetIds") is not None:
        merged = dict(pool["nodeConfigDetails"])
        if ncd is not None and ncd.get("placementConfigs") is not None:
            merged["placementConfigs"] = _check_placements(ctx, vcn, ncd["placementConfigs"],
                                                           "nodeConfigDetails.placementConfigs")
        if ncd is not None and ncd.get("nsgIds") is not None:
            merged["nsgIds"] = network.check_nsg_ids(ctx, ncd["nsgIds"], vcn["id"], "nodeConfigDetails.nsgIds")
        if ncd is not None and ncd.get("size") is not None:
            merged["size"] = size = _check_size(ncd["size"])
        if ncd is None:
            legacy, size = _placements_from(ctx, vcn, b)
            merged.update(legacy)
        changes["nodeConfigDetails"] = merged
        changes["subnetIds"] = [p["subnetId"] for p in merged["placementConfigs"]]
    changes.update(ctx.tags(b))
    cycling = b.get("nodePoolCyclingDetails") or {}
    wr = _wr(ctx, "NODEPOOL_UPDATE", pool["compartmentId"], "nodepool", pool["id"], cluster["id"])
    if cycling:
        changes["nodePoolCyclingDetails"] = cycling
    pool = ctx.update("nodepool", pool["id"], dict(changes, lifecycleState="UPDATING"))
    old = _nodes(ctx.store, pool["id"])
    if cycling.get("isNodeCyclingEnabled") and any(
            k in changes for k in ("kubernetesVersion", "nodeImageId", "nodeShape", "nodeShapeConfig")):
        # node cycling: new nodes with the new settings replace the old ones
        for _ in range(size):
            _launch_node(ctx, ctx.store.get("nodepool", pool["id"]), cluster)
        _terminate_nodes(ctx, old)
    else:
        _resize(ctx, pool, cluster, size)
    ctx.schedule("nodepool", pool["id"], {"lifecycleState": "ACTIVE"}, steps=2, when_state="UPDATING",
                 hook="oke.settled", args={"wr": wr, "action": "UPDATED"})
    return None


@svc.op("delete_node_pool")
def delete_node_pool(ctx: Context):
    pool = ctx.get_for_write("nodepool", ctx.path["nodePoolId"], "node pool")
    if pool["lifecycleState"] in ("DELETING", "DELETED"):
        raise incorrect_state(f"Node pool {pool['name']} is already {pool['lifecycleState']}")
    wr = _wr(ctx, "NODEPOOL_DELETE", pool["compartmentId"], "nodepool", pool["id"], pool["clusterId"])
    _terminate_nodes(ctx, _nodes(ctx.store, pool["id"]))
    ctx.update("nodepool", pool["id"], {"lifecycleState": "DELETING"})
    ctx.schedule("nodepool", pool["id"], {"lifecycleState": "DELETED"}, steps=2, when_state="DELETING",
                 hook="oke.deleted", args={"kind": "nodepool", "wr": wr})
    return None


# ---------------------------------------------------------------- the Kubernetes API of a cluster
# Served unsigned (Kubernetes clients authenticate with a bearer token) under
# /container_engine/_k8s/<cluster id>/: GET only, of
#   /version, /api, /api/v1, /apis,
#   /api/v1/nodes[/<name>], /api/v1/namespaces[/<name>],
#   /api/v1/pods and /api/v1/namespaces/<ns>/pods[/<name>] (the system pods OKE runs in kube-system),
# with `labelSelector` (k=v, k!=v, k, comma-separated) on lists. Nodes are the node pools' instances that have
# booted (Ready while RUNNING); the system pods follow the nodes. Anything else is a Kubernetes Status 404 (405
# for writes): it is a view of what OKE runs, not a place to deploy workloads.

NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")


def _k8s_time(t: float | str | None) -> str | None:
    if t is None:
        return None
    if isinstance(t, str):
        return t.split(".")[0].rstrip("Z") + "Z"
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def _status(code: int, reason: str, message: str) -> Result:
    return Result(body={"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                        "message": message, "reason": reason, "code": code}, status=code)


def _authenticate(ctx: Context, cluster: dict) -> Result | None:
    """None if the request carries a token `oci ce cluster generate-token` made for this cluster with a known
    key, else the 401 Kubernetes answers."""
    auth = ctx.headers.get("authorization") or ""
    if not auth.startswith("Bearer "):
        return _status(401, "Unauthorized", "Unauthorized: a bearer token is required "
                       "(oci ce cluster generate-token)")
    token = auth[7:].strip()
    try:
        url = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        parts = urlsplit(url)
        q = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    except (ValueError, UnicodeDecodeError):
        return _status(401, "Unauthorized", "Unauthorized: the token is not an OKE token")
    if parts.path != f"/cluster_request/{cluster['id']}" or "authorization" not in q or "date" not in q:
        return _status(401, "Unauthorized", "Unauthorized: the token was not made for this cluster")
    core = ctx.core
    if core.verify_signatures and core.auth is not None:
        try:
            principal = core.auth.verify("GET", parts.path, {"authorization": q["authorization"], "date": q["date"],
                                                             "host": parts.netloc}, None, False)
        except ApiError as e:
            return _status(401, "Unauthorized", f"Unauthorized: {e.message}")
        if principal.tenancy_id != core.tenancy_id:
            return _status(401, "Unauthorized", "Unauthorized: the token's key belongs to another tenancy")
    return None


def _short(ident: str, n: int = 5) -> str:
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    h = int(hashlib.sha256(ident.encode()).hexdigest(), 16)
    out = ""
    for _ in range(n):
        h, r = divmod(h, len(alphabet))
        out += alphabet[r]
    return out


def _cluster_nodes(store, cluster: dict) -> list[dict]:
    """The node pools' instances that have registered as nodes (booted and not being terminated)."""
    out = []
    for p in store.by_field("nodepool", "clusterId", cluster["id"]):
        out.extend(_nodes(store, p["id"], ("RUNNING", "STARTING", "STOPPING", "STOPPED")))
    return out


def _node_obj(store, cluster: dict, inst: dict, now: float) -> dict:
    v = _vnic(store, inst)
    pool = store.get("nodepool", inst["_nodePool"]) or {}
    shape = compute.SHAPES.get(inst["shape"], {})
    arch = "arm64" if shape.get("_arch") == "aarch64" else "amd64"
    ready = inst["lifecycleState"] == "RUNNING"
    sc = inst.get("shapeConfig") or {}
    cpus = int(sc.get("vcpus") or max(1, int((sc.get("ocpus") or 1) * (1 if arch == "arm64" else 2))))
    mem_ki = int(float(sc.get("memoryInGBs") or 1) * 1024 * 1024)
    name = v.get("privateIp") or inst["id"][-12:]
    zone = inst["availabilityDomain"].split(":")[-1]
    labels = {"beta.kubernetes.io/arch": arch, "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": arch,
              "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "node.kubernetes.io/instance-type":
              inst["shape"], "topology.kubernetes.io/region": cluster.get("_region") or "",
              "topology.kubernetes.io/zone": zone, "failure-domain.beta.kubernetes.io/zone": zone,
              "oci.oraclecloud.com/fault-domain": inst.get("faultDomain") or "",
              "name": pool.get("name") or "", "node.info.ds_proxymux_client": "true"}
    labels.update({kv["key"]: kv["value"] for kv in inst.get("_labels") or []})
    ts_created = _k8s_time(inst["timeCreated"])
    cond = {"True": "KubeletReady", "Unknown": "NodeStatusUnknown"}
    status = "True" if ready else "Unknown"
    conditions = [
        {"type": t, "status": "False", "reason": f"KubeletHas{r}", "message": m, "lastHeartbeatTime": _k8s_time(now),
         "lastTransitionTime": ts_created}
        for t, r, m in (("MemoryPressure", "SufficientMemory", "kubelet has sufficient memory available"),
                        ("DiskPressure", "NoDiskPressure", "kubelet has no disk pressure"),
                        ("PIDPressure", "SufficientPID", "kubelet has sufficient PID available"))]
    conditions.append({"type": "Ready", "status": status, "reason": cond[status],
                       "message": "kubelet is posting ready status" if ready else
                       f"Kubelet stopped posting node status (instance {inst['lifecycleState']})",
                       "lastHeartbeatTime": _k8s_time(now), "lastTransitionTime": ts_created})
    addresses = [{"type": "InternalIP", "address": name}, {"type": "Hostname", "address": name}]
    if v.get("publicIp"):
        addresses.insert(1, {"type": "ExternalIP", "address": v["publicIp"]})
    version = inst.get("_k8sVersion") or cluster["kubernetesVersion"]
    spec: dict = {"providerID": f"oci://{inst['id']}"}
    if not ready:
        spec["taints"] = [{"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"}]
    return {
        "kind": "Node", "apiVersion": "v1",
        "metadata": {"name": name, "uid": _uid(inst["id"]), "resourceVersion": str(int(now)),
                     "creationTimestamp": ts_created, "labels": labels,
                     "annotations": {"oci.oraclecloud.com/compartment-id": inst["compartmentId"],
                                     "node.alpha.kubernetes.io/ttl": "0"}},
        "spec": spec,
        "status": {
            "capacity": {"cpu": str(cpus), "memory": f"{mem_ki}Ki", "pods": "110", "ephemeral-storage": "37206272Ki"},
            "allocatable": {"cpu": f"{cpus * 1000 - 140}m", "memory": f"{max(0, mem_ki - 1_200_000)}Ki",
                            "pods": "110", "ephemeral-storage": "34289849337"},
            "conditions": conditions, "addresses": addresses,
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {"machineID": _short(inst["id"], 32), "systemUUID": _uid(inst["id"] + "/sys"),
                         "bootID": _uid(inst["id"] + "/boot"), "kernelVersion": "5.15.0-310.184.5.2.el8uek.x86_64"
                         if arch == "amd64" else "5.15.0-310.184.5.2.el8uek.aarch64",
                         "osImage": "Oracle Linux Server 8.10", "containerRuntimeVersion":
                         f"cri-o://{version.lstrip('v')}-1.el8", "kubeletVersion": version,
                         "kubeProxyVersion": version, "operatingSystem": "linux", "architecture": arch}}}


def _uid(seed: str) -> str:
    h = hashlib.sha256(seed.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _pod(cluster: dict, name: str, app: str, owner: tuple[str, str], node: dict | None, image: str,
         now: float, host_network: bool, pod_ip: str | None, extra_labels: dict | None = None) -> dict:
    ready = node is not None and node["status"]["conditions"][-1]["status"] == "True"
    phase = "Running" if ready else ("Pending" if node is None else "Unknown")
    created = node["metadata"]["creationTimestamp"] if node else _k8s_time(now)
    spec: dict = {"containers": [{"name": app, "image": image, "imagePullPolicy": "IfNotPresent"}],
                  "restartPolicy": "Always", "serviceAccountName": app, "priorityClassName": "system-node-critical",
                  "hostNetwork": host_network}
    if node is not None:
        spec["nodeName"] = node["metadata"]["name"]
    status: dict = {"phase": phase, "qosClass": "Burstable",
                    "conditions": [{"type": "Ready", "status": "True" if ready else "False",
                                    "lastTransitionTime": created}]}
    if node is not None:
        status.update(hostIP=node["metadata"]["name"], podIP=node["metadata"]["name"] if host_network else pod_ip,
                      startTime=created)
        status["containerStatuses"] = [{"name": app, "image": image, "imageID": image, "ready": ready,
                                        "restartCount": 0, "started": ready,
                                        "state": {"running": {"startedAt": created}} if ready else
                                        {"waiting": {"reason": "NodeNotReady"}}}]
    return {"kind": "Pod", "apiVersion": "v1",
            "metadata": {"name": name, "namespace": "kube-system", "uid": _uid(cluster["id"] + name),
                         "creationTimestamp": created, "resourceVersion": str(int(now)),
                         "labels": dict({"k8s-app": app}, **(extra_labels or {})),
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": owner[0], "name": owner[1],
                                              "uid": _uid(cluster["id"] + owner[1]), "controller": True}]},
            "spec": spec, "status": status}


def _system_pods(cluster: dict, nodes: list[dict], now: float) -> list[dict]:
    """The pods OKE runs in kube-system: per-node DaemonSets and the cluster's DNS, as the nodes allow."""
    version = cluster["kubernetesVersion"]
    repo = f"ocir.{cluster.get('_region')}.oci.oraclecloud.com/axoxdievda5j"
    cni = (cluster.get("clusterPodNetworkOptions") or [{"cniType": "FLANNEL_OVERLAY"}])[0]["cniType"]
    daemonsets = [("kube-proxy", f"{repo}/oke-public-kube-proxy:{version}", True),
                  ("csi-oci-node", f"{repo}/oke-public-cloud-provider-oci:{version}", True),
                  ("proxymux-client", f"{repo}/oke-public-proxymux-cli:1.0.4", True),
                  ("kube-flannel-ds" if cni == "FLANNEL_OVERLAY" else "vcn-native-ip-cni",
                   f"{repo}/oke-public-flannel:v0.26.4" if cni == "FLANNEL_OVERLAY" else
                   f"{repo}/oke-public-oci-cni:1.3.0", True)]
    pods_net = ipaddress.ip_network((cluster.get("options") or {}).get("kubernetesNetworkConfig", {}).get(
        "podsCidr") or DEFAULT_PODS_CIDR)
    pods = []
    for node in nodes:
        for app, image, host in daemonsets:
            pods.append(_pod(cluster, f"{app}-{_short(node['metadata']['uid'] + app)}", app, ("DaemonSet", app),
                             node, image, now, host, None))
    ready = [n for n in nodes if n["status"]["conditions"][-1]["status"] == "True"]
    deployments = [("coredns", f"{repo}/oke-public-coredns:v1.11.3", 2 if len(nodes) > 1 else 1),
                   ("kube-dns-autoscaler", f"{repo}/oke-public-cluster-proportional-autoscaler:v1.8.11", 1)]
    k = 0
    for app, image, replicas in deployments:
        rs = f"{app}-{_short(cluster['id'] + app, 10)}"
        for r in range(replicas):
            node = ready[k % len(ready)] if ready else None
            ip = None
            if node is not None:
                idx = next(j for j, n in enumerate(nodes) if n is node)
                ip = str(pods_net.network_address + (idx * 256 + 2 + r + k) % max(1, pods_net.num_addresses - 2))
            pods.append(_pod(cluster, f"{rs}-{_short(rs + str(r))}", app, ("ReplicaSet", rs), node, image, now,
                             False, ip))
            k += 1
    return pods


def _selector(query: dict):
    sel = query.get("labelSelector")
    if not sel:
        return lambda labels: True
    terms = []
    for part in sel.split(","):
        part = part.strip()
        if "!=" in part:
            k, v = part.split("!=", 1)
            terms.append((k.strip(), "!=", v.strip()))
        elif "=" in part:
            k, v = part.split("=", 1)
            terms.append((k.strip(), "=", v.strip().lstrip("=")))
        elif part.startswith("!"):
            terms.append((part[1:], "!", ""))
        elif part:
            terms.append((part, "exists", ""))

    def match(labels: dict) -> bool:
        for k, op, v in terms:
            if op == "=" and labels.get(k) != v:
                return False
            if op == "!=" and labels.get(k) == v:
                return False
            if op == "exists" and k not in labels:
                return False
            if op == "!" and k in labels:
                return False
        return True
    return match


def _list(kind: str, items: list[dict], query: dict, now: float) -> dict:
    match = _selector(query)
    return {"kind": f"{kind}List", "apiVersion": "v1", "metadata": {"resourceVersion": str(int(now))},
            "items": [i for i in items if match(i["metadata"].get("labels") or {})]}


def _namespace(name: str, cluster: dict) -> dict:
    return {"kind": "Namespace", "apiVersion": "v1",
            "metadata": {"name": name, "uid": _uid(cluster["id"] + "/ns/" + name),
                         "creationTimestamp": _k8s_time(cluster.get("timeCreated")),
                         "labels": {"kubernetes.io/metadata.name": name}},
            "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}


_RESOURCES = [("nodes", "Node", False, ["get", "list"]), ("namespaces", "Namespace", False, ["get", "list"]),
              ("pods", "Pod", True, ["get", "list"])]


@svc.public("_k8s")
def kubernetes_api(ctx: Context, rest: str) -> Result:
    segs = [s for s in rest.split("/") if s]
    if not segs:
        return _status(404, "NotFound", "the server could not find the requested resource")
    cluster = ctx.find("cluster", segs[0])
    if cluster is None or cluster["lifecycleState"] in ("DELETED", "DELETING"):
        return _status(404, "NotFound", f"cluster {segs[0][:120]} does not exist")
    if cluster["lifecycleState"] == "CREATING":
        return _status(503, "ServiceUnavailable", "the cluster's control plane is still being created")
    denied = _authenticate(ctx, cluster)
    if denied is not None:
        return denied
    method = getattr(ctx, "method", "GET")
    path = segs[1:]
    if method != "GET":
        return _status(405, "MethodNotAllowed", "this emulated Kubernetes API is read-only")
    now = ctx.core.clock.now()
    version = cluster["kubernetesVersion"]
    if path == ["version"]:
        major, minor = _minor(version)
        return Result(body={"major": str(major), "minor": str(minor), "gitVersion": version,
                            "gitCommit": hashlib.sha1(version.encode()).hexdigest(), "gitTreeState": "clean",
                            "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.24.4", "compiler": "gc",
                            "platform": "linux/amd64"})
    if path == ["api"]:
        return Result(body={"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [
            {"clientCIDR": "0.0.0.0/0", "serverAddress": (cluster.get("endpoints") or {}).get(
                "privateEndpoint") or (cluster.get("endpoints") or {}).get("kubernetes", "")}]})
    if path == ["apis"]:
        return Result(body={"kind": "APIGroupList", "apiVersion": "v1", "groups": []})
    if path == ["api", "v1"]:
        return Result(body={"kind": "APIResourceList", "groupVersion": "v1", "resources": [
            {"name": n, "singularName": k.lower(), "namespaced": ns, "kind": k, "verbs": verbs}
            for n, k, ns, verbs in _RESOURCES]})
    if len(path) < 3 or path[:2] != ["api", "v1"]:
        return _status(404, "NotFound", "the server could not find the requested resource")
    res = path[2:]
    store = ctx.store
    nodes = [_node_obj(store, cluster, i, now) for i in _cluster_nodes(store, cluster)]
    if res[0] == "nodes":
        if len(res) == 1:
            return Result(body=_list("Node", nodes, ctx.query, now))
        found = next((n for n in nodes if n["metadata"]["name"] == res[1]), None) if len(res) == 2 else None
        return Result(body=found) if found else _status(404, "NotFound", f'nodes "{res[-1]}" not found')
    if res[0] == "pods" and len(res) == 1:
        return Result(body=_list("Pod", _system_pods(cluster, nodes, now), ctx.query, now))
    if res[0] == "namespaces":
        if len(res) == 1:
            return Result(body=_list("Namespace", [_namespace(n, cluster) for n in NAMESPACES], ctx.query, now))
        if res[1] not in NAMESPACES:
            return _status(404, "NotFound", f'namespaces "{res[1]}" not found')
        if len(res) == 2:
            return Result(body=_namespace(res[1], cluster))
        if res[2] == "pods":
            pods = _system_pods(cluster, nodes, now) if res[1] == "kube-system" else []
            if len(res) == 3:
                return Result(body=_list("Pod", pods, ctx.query, now))
            found = next((p for p in pods if p["metadata"]["name"] == res[3]), None) if len(res) == 4 else None
            return Result(body=found) if found else _status(404, "NotFound", f'pods "{res[-1]}" not found')
    return _status(404, "NotFound", "the server could not find the requested resource")
