"""Kubernetes Engine kinds (tree group "Developer Services"): Kubernetes clusters and their node pools.

A cluster lists with its Kubernetes version, type and endpoint; its details show the versions it can be upgraded
to, its endpoints, network (VCN, subnets, pod and service CIDRs) and its node pools (links). Create: *quick*
(a new VCN with an internet gateway and three subnets, made by the service layer's workflow and deleted again if
a step fails) or *custom* (an existing VCN and subnets); the pods and services CIDRs are checked against the VCN's
CIDR blocks as OKE checks them. Actions: Upgrade… (one minor version at a time), Access cluster… (writes or merges
the kubeconfig into a file — `~/.kube/config` by default — after a backup, and shows the `oci ce cluster
create-kubeconfig` command), Delete.

A node pool lists with its cluster, version, shape and size; its details list its nodes with their health (the
node's and its instance's state; a link to the instance). Create (shape, OCPUs and memory, image, size, subnet,
labels, SSH key), Scale…, Upgrade… (never newer than the control plane, at most three minor versions older: OKE's
version skew rule, checked in the dialog) and Delete.
"""

from __future__ import annotations

import os

from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..services import container_engine as svc
from ..services import network as netsvc
from . import pricing, validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command, to_json
from .generic import SdkRef, delete_action, getter, lister
from .model import Action, Column, Related, RelatedItem, ResourceKind, attr, no_run

CE = sdk_models("container_engine")
GROUP = "Developer Services"
CLUSTER_REF = SdkRef("container_engine", "cluster", cli="ce cluster")
POOL_REF = SdkRef("container_engine", "node_pool", cli="ce node-pool")
ACTIVE = frozenset({"ACTIVE"})
TYPES = {"BASIC_CLUSTER": "Basic", "ENHANCED_CLUSTER": "Enhanced"}
CNI = {"FLANNEL_OVERLAY": "Flannel overlay", "OCI_VCN_IP_NATIVE": "VCN-native pod networking"}
NODE_SHAPES = {"VM.Standard.E4.Flex": (1, 64, 1, 1024), "VM.Standard.E5.Flex": (1, 94, 1, 1049),
               "VM.Standard.A1.Flex": (1, 80, 1, 512), "VM.Standard3.Flex": (1, 32, 1, 512)}


def _endpoint(c) -> str:
    e = c.endpoints
    if e is None:
        return ""
    return e.public_endpoint or e.private_endpoint or e.kubernetes or ""


# ---------------------------------------------------------------- cluster create

async def _versions(ctx: FormContext, _values) -> list[Option]:
    versions = list(reversed(await svc.cluster_versions(ctx.session)))
    return [Option(v, v + (" (newest)" if i == 0 else ""), v) for i, v in enumerate(versions)]


async def _vcns(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    return [Option(v.id, f"{v.display_name} ({', '.join(v.cidr_blocks or [v.cidr_block])})", v)
            for v in await netsvc.list_vcns(ctx.session, comp) if v.lifecycle_state == "AVAILABLE"]


async def _subnets(ctx: FormContext, values) -> list[Option]:
    if not values.get("vcn_id"):
        return []
    comp = values.get("compartment_id") or ctx.compartment_id
    return [Option(s.id, f"{s.display_name} ({s.cidr_block}{', private' if s.prohibit_public_ip_on_vnic else ''})",
                   s) for s in await netsvc.list_subnets(ctx.session, comp, values["vcn_id"])
            if s.lifecycle_state == "AVAILABLE"]


def _quick(v, _ctx=None) -> bool:
    return v.get("mode") != "CUSTOM"


def _vcn_cidrs(values: dict, ctx: FormContext) -> list[str]:
    if _quick(values):
        return [str(values.get("vcn_cidr") or "")]
    vcn = ctx.data("vcn_id", values.get("vcn_id"))
    return list(getattr(vcn, "cidr_blocks", None) or [getattr(vcn, "cidr_block", None) or ""]) if vcn else []


def _cidr_check(what: str):
    def check(v, values: dict, ctx: FormContext) -> str | None:
        err = svc.cidr_overlap_error(v, _vcn_cidrs(values, ctx), what)
        if err:
            return err + "; OKE refuses it"
        other = values.get("services_cidr" if what == "Pods CIDR" else "pods_cidr")
        return svc.cidr_overlap_error(v, [other] if other else [], what)
    return check


def _endpoint_subnet_check(v, values: dict, ctx: FormContext) -> str | None:
    sub = ctx.data("endpoint_subnet_id", v)
    if sub is not None and values.get("public_endpoint") and sub.prohibit_public_ip_on_vnic:
        return "This subnet is private: a public endpoint needs a public subnet"
    return None


def _cluster_details(v: dict):
    cni = v.get("cni") or "FLANNEL_OVERLAY"
    return CE.CreateClusterDetails(
        name=v["name"].strip(), compartment_id=v["compartment_id"], kubernetes_version=v["kubernetes_version"],
        type=v.get("type") or "ENHANCED_CLUSTER", vcn_id=None if _quick(v) else v["vcn_id"],
        endpoint_config=None if _quick(v) else CE.CreateClusterEndpointConfigDetails(
            subnet_id=v["endpoint_subnet_id"], is_public_ip_enabled=bool(v.get("public_endpoint"))),
        cluster_pod_network_options=[CE.FlannelOverlayClusterPodNetworkOptionDetails() if cni == "FLANNEL_OVERLAY"
                                     else CE.OciVcnIpNativeClusterPodNetworkOptionDetails()],
        options=CE.ClusterCreateOptions(
            service_lb_subnet_ids=None if _quick(v) else [v["lb_subnet_id"]],
            kubernetes_network_config=CE.KubernetesNetworkConfig(
                pods_cidr=(v.get("pods_cidr") or None) if cni == "FLANNEL_OVERLAY" else None,
                services_cidr=v.get("services_cidr") or None)))


def _cluster_request(v: dict, ctx: FormContext) -> Request:
    details = _cluster_details(v)
    if not _quick(v):
        return Request("container_engine", "create_cluster", details)
    plan = svc.QuickCreatePlan(details, vcn_cidr=v["vcn_cidr"].strip(), public_endpoint=bool(v.get("public_endpoint")))

    async def run(session, token, step):
        return await svc.quick_create_cluster(session, plan, token, step)
    return Request("container_engine", "create_cluster", details, run=run,
                   python_after="# quick create: the VCN, internet gateway and subnets are created first "
                                "(ociconsole.services.container_engine.quick_create_cluster)")


def _cluster_cli(v: dict, ctx: FormContext, req: Request) -> str:
    d = req.details
    knc = d.options.kubernetes_network_config
    cmd = cli_command("ce cluster create", [
        ("--compartment-id", d.compartment_id), ("--name", d.name), ("--kubernetes-version", d.kubernetes_version),
        ("--type", d.type), ("--vcn-id", d.vcn_id or "NEW_VCN_OCID"),
        ("--endpoint-subnet-id", d.endpoint_config.subnet_id if d.endpoint_config else "NEW_ENDPOINT_SUBNET_OCID"),
        ("--endpoint-public-ip-enabled", str(bool(v.get("public_endpoint"))).lower()),
        ("--service-lb-subnet-ids", to_json(d.options.service_lb_subnet_ids or ["NEW_LB_SUBNET_OCID"])),
        ("--pods-cidr", knc.pods_cidr), ("--services-cidr", knc.services_cidr),
        ("--cluster-pod-network-options", to_json([{"cniType": v.get("cni") or "FLANNEL_OVERLAY"}])),
        ("--wait-for-state", "SUCCEEDED")])
    if _quick(v):
        return "# first: oci network vcn create, internet-gateway create, route-table update, subnet create ×3\n" \
               + cmd
    return cmd


CLUSTER_FORM = FormSpec(
    title=N_("Create Kubernetes cluster"), kind_id="oke.cluster",
    fields=[
        Field("mode", N_("Create"), "enum", required=True, default="QUICK",
              options=[Option("QUICK", N_("Quick create: a new VCN, internet gateway and subnets")),
                       Option("CUSTOM", N_("Custom create: an existing VCN and subnets"))]),
        Field("name", N_("Name"), "text", required=True, placeholder=N_("cluster1"),
              validate=lambda v, *_: None if len(v.strip()) <= 255 else "At most 255 characters"),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("kubernetes_version", N_("Kubernetes version"), "choice", required=True, options=_versions,
              help=N_("The newest is first; a control plane is upgraded one minor version at a time")),
        Field("type", N_("Cluster type"), "enum", required=True, default="ENHANCED_CLUSTER",
              options=[Option("ENHANCED_CLUSTER", N_("Enhanced (add-ons, virtual nodes, SLA)")),
                       Option("BASIC_CLUSTER", N_("Basic"))]),
        Field("public_endpoint", N_("Public API endpoint"), "bool", default=True,
              help=N_("A public IP for the Kubernetes API endpoint; otherwise it is reachable only inside the VCN")),
        Field("vcn_cidr", N_("VCN CIDR block"), "cidr", required=True, default="10.0.0.0/16", depends_on=("mode",),
              visible=_quick, help=N_("Three /24 subnets are made in it: API endpoint, worker nodes, load balancers")),
        Field("vcn_id", N_("VCN"), "choice", required=True, options=_vcns, depends_on=("compartment_id", "mode"),
              visible=lambda v, _c: not _quick(v), create_kind="network.vcn"),
        Field("endpoint_subnet_id", N_("API endpoint subnet"), "choice", required=True, options=_subnets,
              depends_on=("vcn_id", "public_endpoint"), visible=lambda v, _c: not _quick(v),
              validate=_endpoint_subnet_check),
        Field("lb_subnet_id", N_("Load balancer subnet"), "choice", required=True, options=_subnets,
              depends_on=("vcn_id",), visible=lambda v, _c: not _quick(v)),
        Field("cni", N_("Pod networking"), "enum", required=True, default="FLANNEL_OVERLAY",
              options=[Option(k, label) for k, label in CNI.items()]),
        Field("pods_cidr", N_("Pods CIDR"), "cidr", default="10.244.0.0/16",
              depends_on=("vcn_cidr", "vcn_id", "mode", "services_cidr", "cni"),
              visible=lambda v, _c: (v.get("cni") or "FLANNEL_OVERLAY") == "FLANNEL_OVERLAY",
              validate=_cidr_check("Pods CIDR"), help=N_("Addresses of the pods; must not overlap the VCN")),
        Field("services_cidr", N_("Services CIDR"), "cidr", default="10.96.0.0/16",
              depends_on=("vcn_cidr", "vcn_id", "mode", "pods_cidr"), validate=_cidr_check("Services CIDR"),
              help=N_("Cluster IPs of Kubernetes services; must not overlap the VCN")),
    ],
    build=_cluster_request, cli=_cluster_cli, describe=lambda v: (v.get("name") or "").strip(),
    cost=lambda v, _ctx: pricing.monthly_cost(
        [("cluster", {"type": v.get("type") or "ENHANCED_CLUSTER"}, "ACTIVE")],
        note="the enhanced cluster's control plane; its node pools' nodes bill as compute"))


# ---------------------------------------------------------------- cluster actions

def upgrade_cluster_form(c) -> FormSpec:
    def build(v: dict, ctx: FormContext) -> Request:
        return Request("container_engine", "update_cluster", CE.UpdateClusterDetails(
            kubernetes_version=v["kubernetes_version"]), args=(c.id,), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        return cli_command("ce cluster update", [("--cluster-id", c.id),
                                                 ("--kubernetes-version", v["kubernetes_version"]),
                                                 ("--wait-for-state", "SUCCEEDED")])

    ups = list(c.available_kubernetes_upgrades or [])
    return FormSpec(
        title=f"Upgrade {c.name}", kind_id="oke.cluster",
        fields=[Field("kubernetes_version", N_("Kubernetes version"), "enum", required=True,
                      default=ups[0] if ups else None, options=[Option(u, u) for u in ups],
                      help=f"Now {c.kubernetes_version}. The control plane moves one minor version at a time, "
                           "without downtime; upgrade the node pools afterwards")],
        build=build, cli=cli, describe=lambda _v: c.name, submit_label=N_("Upgrade"),
        op_title=lambda v: f"Upgrade cluster {c.name} to {v.get('kubernetes_version')}")


def access_form(c) -> FormSpec:
    endpoints = c.endpoints
    choices = [(k, label) for k, label, have in (
        ("PUBLIC_ENDPOINT", "Public endpoint", endpoints and endpoints.public_endpoint),
        ("PRIVATE_ENDPOINT", "Private endpoint (from inside the VCN)", endpoints and endpoints.private_endpoint),
        ("LEGACY_KUBERNETES", "Kubernetes endpoint", endpoints and endpoints.kubernetes)) if have]

    def build(v: dict, ctx: FormContext) -> Request:
        path = os.path.expanduser(v["path"].strip())

        async def run(session, _token, step):
            step(f"Writing {path}")
            return await svc.write_kubeconfig(session, c.id, path, v["endpoint"])
        return Request("container_engine", "create_kubeconfig", args=(c.id,), retry_token=False, run=run,
                       kwargs={"create_cluster_kubeconfig_content_details": CE.CreateClusterKubeconfigContentDetails(
                           token_version="2.0.0", endpoint=v["endpoint"])},
                       python_after=f"with open({path!r}, \"w\") as f:\n    f.write(response.data.text)")

    def cli(v, ctx, req: Request) -> str:
        return cli_command("ce cluster create-kubeconfig", [
            ("--cluster-id", c.id), ("--file", os.path.expanduser(v["path"].strip())),
            ("--region", getattr(getattr(ctx.session, "connection", None), "region", None)),
            ("--token-version", "2.0.0"), ("--kube-endpoint", v["endpoint"])])

    def exists(v, _values, _ctx) -> str | None:
        path = os.path.expanduser(str(v).strip())
        return f"{path} exists: the cluster is merged into it, after a backup" if os.path.isfile(path) else None

    def shown(w: svc.KubeconfigWritten) -> list[tuple[str, str]]:
        out = [("Kubeconfig", w.path), ("Context", w.context)]
        out.append(("Backup", w.backup or "none (the file is new)"))
        out.append(("Same with the oci CLI", cli_command("ce cluster create-kubeconfig", [
            ("--cluster-id", c.id), ("--file", w.path), ("--token-version", "2.0.0"),
            ("--kube-endpoint", w.endpoint)]).replace(" \\\n    ", " ")))
        return out

    return FormSpec(
        title=f"Access cluster {c.name}", kind_id="oke.kubeconfig",
        fields=[Field("endpoint", N_("Endpoint"), "enum", required=True, default=choices[0][0] if choices else None,
                      options=[Option(k, label) for k, label in choices]),
                Field("path", N_("Kubeconfig file"), "savefile", required=True, warning=exists,
                      default=os.path.join(os.path.expanduser("~"), ".kube", "config"),
                      help=N_("Written, or merged into (a copy of the old file is kept as <file>.bak-<time>); "
                           "kubectl reads ~/.kube/config. Its credentials come from `oci ce cluster "
                           "generate-token`, which needs the oci CLI and your OCI config"))],
        build=build, cli=cli, describe=lambda _v: c.name, submit_label=N_("Write kubeconfig"),
        op_title=lambda v: f"Write the kubeconfig of {c.name}", reveal=shown)


# ---------------------------------------------------------------- cluster related

async def _cluster_related(session, c) -> list[RelatedItem]:
    out = [RelatedItem("Kubernetes version", c.kubernetes_version or ""),
           RelatedItem("Available upgrades", ", ".join(c.available_kubernetes_upgrades or []) or "none"),
           RelatedItem("Type", TYPES.get(c.type, c.type or ""))]
    e = c.endpoints
    if e is not None:
        for label, value in (("Public endpoint", e.public_endpoint), ("Private endpoint", e.private_endpoint),
                             ("Kubernetes endpoint", e.kubernetes), ("VCN hostname endpoint", e.vcn_hostname_endpoint)):
            if value:
                out.append(RelatedItem(label, f"https://{value}"))
    out.append(RelatedItem("VCN", c.vcn_id or "", c.vcn_id))
    if c.endpoint_config is not None:
        out.append(RelatedItem("API endpoint subnet", c.endpoint_config.subnet_id, c.endpoint_config.subnet_id))
    opts = c.options
    if opts is not None:
        for s in opts.service_lb_subnet_ids or []:
            out.append(RelatedItem("Load balancer subnet", s, s))
        knc = opts.kubernetes_network_config
        if knc is not None:
            out.append(RelatedItem("Pods CIDR", knc.pods_cidr or "(VCN-native: pods take VCN addresses)"))
            out.append(RelatedItem("Services CIDR", knc.services_cidr or ""))
    cni = (c.cluster_pod_network_options or [None])[0]
    if cni is not None:
        out.append(RelatedItem("Pod networking", CNI.get(cni.cni_type, cni.cni_type)))
    return out


async def _cluster_pools(session, c) -> list[RelatedItem]:
    pools = await svc.node_pools(session, c.compartment_id, c.id)
    if not pools:
        return [RelatedItem("Node pools", "none yet: create one under Node Pools")]
    out = []
    for p in pools:
        size = p.node_config_details.size if p.node_config_details else 0
        out.append(RelatedItem(p.name, f"{size} × {p.node_shape}, {p.kubernetes_version}, {p.lifecycle_state}", p.id))
    return out


CLUSTERS = ResourceKind(
    id="oke.cluster", label=N_("Kubernetes Clusters"), singular=N_("OKE cluster"), group=GROUP, icon="cluster",
    list=lister(CLUSTER_REF), get=getter(CLUSTER_REF), ocid_types=("cluster",), name_attr="name", order=10,
    columns=[
        Column(N_("Name"), attr("name"), width=170),
        Column(N_("State"), attr("lifecycle_state"), "state", width=90),
        Column(N_("Version"), attr("kubernetes_version"), width=80),
        Column(N_("Type"), lambda c: TYPES.get(c.type, c.type or ""), width=80),
        Column(N_("Endpoint"), _endpoint, width=170),
        Column(N_("Created"), attr("metadata.time_created"), "datetime"),
    ],
    related=[Related(N_("Cluster"), _cluster_related), Related(N_("Node pools"), _cluster_pools)],
    actions=[
        Action("access", N_("Access cluster…"), no_run, frozenset({"ACTIVE", "UPDATING"}), form=access_form,
               icon="link", verb=N_("Writing kubeconfig")),
        Action("upgrade", N_("Upgrade…"), no_run, ACTIVE, form=upgrade_cluster_form, target_states=ACTIVE,
               icon="up", verb=N_("Upgrading"), when=lambda c: bool(c.available_kubernetes_upgrades)),
        delete_action(CLUSTER_REF, frozenset({"ACTIVE", "FAILED"})),
    ],
    create=CLUSTER_FORM, ready_states=ACTIVE, sdk=CLUSTER_REF, movable=False,
)

KUBECONFIGS = ResourceKind(
    id="oke.kubeconfig", label=N_("Kubeconfigs"), singular=N_("Kubeconfig"), group=GROUP, icon="file", scope="hidden",
    list=lambda *_a: _none(), get=None, columns=[Column(N_("File"), attr("path"))], movable=False)


async def _none() -> list:
    return []


# ---------------------------------------------------------------- node pools

async def _clusters(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    items = await ctx.session.list_all("container_engine", "list_clusters", comp)
    return [Option(c.id, f"{c.name} ({c.kubernetes_version})", c) for c in items if c.lifecycle_state == "ACTIVE"]


async def _pool_versions(ctx: FormContext, values) -> list[Option]:
    versions = await svc.cluster_versions(ctx.session)
    return [Option(v, v, v) for v in versions]


def _skew_check(v, values: dict, ctx: FormContext) -> str | None:
    cluster = ctx.data("cluster_id", values.get("cluster_id"))
    if cluster is None or not v:
        return None
    return svc.version_skew_error(cluster.kubernetes_version, v)


async def _images(ctx: FormContext, values) -> list[Option]:
    comp = values.get("compartment_id") or ctx.compartment_id
    arm = "A1" in str(values.get("node_shape") or "")
    items = await ctx.session.list_all("compute", "list_images", comp)
    return [Option(i.id, i.display_name, i) for i in items
            if i.operating_system in ("Oracle Linux", "Canonical Ubuntu")
            and ("aarch64" in i.display_name) == arm]


async def _pool_subnets(ctx: FormContext, values) -> list[Option]:
    cluster = ctx.data("cluster_id", values.get("cluster_id"))
    if cluster is None:
        return []
    comp = values.get("compartment_id") or ctx.compartment_id
    ctx.option_data["availability_domains"] = {"all": await _ads(ctx.session)}
    return [Option(s.id, f"{s.display_name} ({s.cidr_block})", s)
            for s in await netsvc.list_subnets(ctx.session, comp, cluster.vcn_id) if s.lifecycle_state == "AVAILABLE"]


def _labels(text) -> list:
    pairs, _err = validators.parse_tags(text)
    return [CE.KeyValue(key=k, value=v) for k, v in (pairs or {}).items()]


async def _ads(session) -> list[str]:
    from ..services import identity
    return [a.name for a in await identity.list_availability_domains(session)]


def _pool_request(v: dict, ctx: FormContext) -> Request:
    sub = ctx.data("subnet_id", v["subnet_id"])
    ads = ctx.data("availability_domains", "all") or []
    placements = [CE.NodePoolPlacementConfigDetails(availability_domain=ad, subnet_id=v["subnet_id"])
                  for ad in ([sub.availability_domain] if sub is not None and sub.availability_domain else ads)]
    details = CE.CreateNodePoolDetails(
        compartment_id=v["compartment_id"], cluster_id=v["cluster_id"], name=v["name"].strip(),
        kubernetes_version=v["kubernetes_version"], node_shape=v["node_shape"],
        node_shape_config=CE.CreateNodeShapeConfigDetails(ocpus=float(v["ocpus"]), memory_in_gbs=float(v["memory"])),
        node_source_details=CE.NodeSourceViaImageDetails(image_id=v["image_id"]),
        initial_node_labels=_labels(v.get("labels")) or None, ssh_public_key=(v.get("ssh_key") or "").strip() or None,
        node_config_details=CE.CreateNodePoolNodeConfigDetails(size=int(v["size"]), placement_configs=placements))
    return Request("container_engine", "create_node_pool", details)


def _pool_cli(v: dict, ctx: FormContext, req: Request) -> str:
    d = req.details
    return cli_command("ce node-pool create", [
        ("--compartment-id", d.compartment_id), ("--cluster-id", d.cluster_id), ("--name", d.name),
        ("--kubernetes-version", d.kubernetes_version), ("--node-shape", d.node_shape),
        ("--node-shape-config", d.node_shape_config), ("--node-image-id", d.node_source_details.image_id),
        ("--size", d.node_config_details.size), ("--placement-configs", d.node_config_details.placement_configs),
        ("--initial-node-labels", d.initial_node_labels), ("--ssh-public-key", d.ssh_public_key),
        ("--wait-for-state", "SUCCEEDED")])


def _shape_bounds(kind: str):
    def bounds(values, _ctx):
        b = NODE_SHAPES.get(values.get("node_shape") or "")
        if b is None:
            return None
        return (b[0], b[1], 1) if kind == "ocpus" else (b[2], b[3], 1)
    return bounds


POOL_FORM = FormSpec(
    title=N_("Create node pool"), kind_id="oke.node_pool",
    fields=[
        Field("name", N_("Name"), "text", required=True, placeholder=N_("pool1")),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("cluster_id", N_("Cluster"), "choice", required=True, options=_clusters, depends_on=("compartment_id",),
              create_kind="oke.cluster"),
        Field("kubernetes_version", N_("Kubernetes version"), "choice", required=True, options=_pool_versions,
              depends_on=("cluster_id",), validate=_skew_check,
              default_from=lambda v, ctx: getattr(ctx.data("cluster_id", v.get("cluster_id")), "kubernetes_version",
                                                  None),
              help=N_("Not newer than the cluster's control plane, at most three minor versions older")),
        Field("node_shape", N_("Shape"), "enum", required=True, default="VM.Standard.E4.Flex",
              options=[Option(s, s) for s in NODE_SHAPES]),
        Field("ocpus", N_("OCPUs"), "number", required=True, default=1, depends_on=("node_shape",),
              bounds=_shape_bounds("ocpus")),
        Field("memory", N_("Memory (GB)"), "number", required=True, default=16, depends_on=("node_shape",),
              bounds=_shape_bounds("memory")),
        Field("image_id", N_("Node image"), "choice", required=True, options=_images,
              depends_on=("compartment_id", "node_shape")),
        Field("size", N_("Number of nodes"), "number", required=True, default=3, bounds=lambda *_: (0, 1000, 1)),
        Field("subnet_id", N_("Worker node subnet"), "choice", required=True, options=_pool_subnets,
              depends_on=("cluster_id",),
              help=N_("A regional subnet spreads the nodes over every availability domain (and fault domain)")),
        Field("labels", N_("Initial node labels"), "tags", help=N_("One key=value per line: labels of every node")),
        Field("ssh_key", N_("SSH public key"), "sshkey", help=N_("To log in to the nodes as opc (optional)")),
    ],
    build=_pool_request, cli=_pool_cli, describe=lambda v: (v.get("name") or "").strip(),
    cost=lambda v, ctx: _pool_cost(v))


def _pool_cost(v: dict):
    """The nodes running (each an instance of the shape, with its 50 GB boot volume), per month at list price;
    OKE's basic cluster itself is free (an enhanced one bills per cluster hour, not priced here)."""
    n = int(v.get("size") or 0)
    if not n or not v.get("node_shape") or v.get("ocpus") is None or v.get("memory") is None:
        return None
    cost = pricing.monthly_cost([
        ("instance", {"shape": v["node_shape"], "shapeConfig": {"ocpus": float(v["ocpus"]),
                                                                 "memoryInGBs": float(v["memory"])}}, "RUNNING"),
        ("bootvolume", {"sizeInGBs": 50, "vpusPerGB": 10}, "AVAILABLE")])
    if cost is None:
        return None
    return pricing.Cost(cost.amount * n, "month", [f"{n} node(s), each:"] + cost.lines,
                        note="while the nodes run; each node is a compute instance billed as one")


def scale_form(p) -> FormSpec:
    current = p.node_config_details.size if p.node_config_details else 0

    def build(v: dict, ctx: FormContext) -> Request:
        return Request("container_engine", "update_node_pool", CE.UpdateNodePoolDetails(
            node_config_details=CE.UpdateNodePoolNodeConfigDetails(size=int(v["size"]))), args=(p.id,),
            retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        return cli_command("ce node-pool update", [("--node-pool-id", p.id), ("--size", int(v["size"])),
                                                   ("--force", True), ("--wait-for-state", "SUCCEEDED")])

    return FormSpec(
        title=f"Scale {p.name}", kind_id="oke.node_pool",
        fields=[Field("size", N_("Number of nodes"), "number", required=True, default=current,
                      bounds=lambda *_: (0, 1000, 1),
                      validate=lambda v, *_: f"The pool has {current} nodes already" if int(v) == current else None,
                      help=f"Now {current}. New nodes are new instances; when shrinking, the newest nodes are "
                           "terminated")],
        build=build, cli=cli, describe=lambda _v: p.name, submit_label=N_("Scale"),
        op_title=lambda v: f"Scale node pool {p.name} to {v.get('size')}")


def upgrade_pool_form(p) -> FormSpec:
    def build(v: dict, ctx: FormContext) -> Request:
        return Request("container_engine", "update_node_pool", CE.UpdateNodePoolDetails(
            kubernetes_version=v["kubernetes_version"], node_pool_cycling_details=CE.NodePoolCyclingDetails(
                is_node_cycling_enabled=bool(v.get("cycle")))), args=(p.id,), retry_token=False)

    def cli(v, ctx, req: Request) -> str:
        return cli_command("ce node-pool update", [
            ("--node-pool-id", p.id), ("--kubernetes-version", v["kubernetes_version"]),
            ("--node-pool-cycling-details", to_json({"isNodeCyclingEnabled": bool(v.get("cycle"))})),
            ("--force", True), ("--wait-for-state", "SUCCEEDED")])

    async def versions(ctx: FormContext, _values) -> list[Option]:
        cluster = await svc.get_cluster(ctx.session, p.cluster_id)
        ctx.option_data.setdefault("cluster", {})["it"] = cluster
        return [Option(v, v, cluster) for v in await svc.cluster_versions(ctx.session) if v != p.kubernetes_version]

    def skew(v, values, ctx: FormContext) -> str | None:
        cluster = ctx.data("cluster", "it")
        return svc.version_skew_error(cluster.kubernetes_version, v) if cluster is not None and v else None

    return FormSpec(
        title=f"Upgrade {p.name}", kind_id="oke.node_pool",
        fields=[Field("kubernetes_version", N_("Kubernetes version"), "choice", required=True, options=versions,
                      validate=skew, help=f"Now {p.kubernetes_version}. Never newer than the control plane"),
                Field("cycle", N_("Replace the nodes now"), "bool", default=True,
                      help=N_("New nodes with the new version replace the old ones; otherwise only new nodes get it"))],
        build=build, cli=cli, describe=lambda _v: p.name, submit_label=N_("Upgrade"),
        op_title=lambda v: f"Upgrade node pool {p.name} to {v.get('kubernetes_version')}")


async def _nodes(session, p) -> list[RelatedItem]:
    nodes = await svc.node_health(session, p)
    if not nodes:
        return [RelatedItem("Nodes", "none")]
    return [RelatedItem(n.name, n.text(), n.node_id) for n in nodes]


async def _pool_related(session, p) -> list[RelatedItem]:
    out = [RelatedItem("Cluster", p.cluster_id, p.cluster_id),
           RelatedItem("Kubernetes version", p.kubernetes_version or ""),
           RelatedItem("Shape", p.node_shape + (f" ({p.node_shape_config.ocpus:g} OCPUs, "
                                                f"{p.node_shape_config.memory_in_gbs:g} GB)"
                                                if p.node_shape_config else "")),
           RelatedItem("Image", p.node_image_name or "", p.node_image_id)]
    ncd = p.node_config_details
    if ncd is not None:
        out.append(RelatedItem("Size", str(ncd.size)))
        for pc in ncd.placement_configs or []:
            out.append(RelatedItem(f"Placement {pc.availability_domain}", pc.subnet_id, pc.subnet_id))
    for kv in p.initial_node_labels or []:
        out.append(RelatedItem(f"Label {kv.key}", kv.value or ""))
    return out


async def _list_pools(session, compartment_id: str) -> list:
    return await session.list_all("container_engine", "list_node_pools", compartment_id)


NODE_POOLS = ResourceKind(
    id="oke.node_pool", label=N_("Node Pools"), singular=N_("Node pool"), group=GROUP, icon="nodepool",
    list=_list_pools, get=getter(POOL_REF), ocid_types=("nodepool",), name_attr="name", order=11,
    columns=[
        Column(N_("Name"), attr("name"), width=150),
        Column(N_("State"), attr("lifecycle_state"), "state", width=90),
        Column(N_("Version"), attr("kubernetes_version"), width=80),
        Column(N_("Shape"), attr("node_shape"), width=150),
        Column(N_("Size"), attr("node_config_details.size"), "number", width=50),
        Column(N_("Cluster"), attr("cluster_id"), "ocid", width=200),
    ],
    related=[Related(N_("Nodes"), _nodes), Related(N_("Node pool"), _pool_related)],
    actions=[
        Action("scale", N_("Scale…"), no_run, ACTIVE, form=scale_form, target_states=ACTIVE, icon="resize",
               verb=N_("Scaling")),
        Action("upgrade", N_("Upgrade…"), no_run, ACTIVE, form=upgrade_pool_form, target_states=ACTIVE, icon="up",
               verb=N_("Upgrading")),
        delete_action(POOL_REF, frozenset({"ACTIVE", "FAILED", "NEEDS_ATTENTION"})),
    ],
    create=POOL_FORM, ready_states=ACTIVE, sdk=POOL_REF, movable=False,
)

KINDS = [CLUSTERS, NODE_POOLS, KUBECONFIGS]
