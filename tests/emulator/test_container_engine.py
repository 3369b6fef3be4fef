"""Kubernetes Engine (OKE) through the real SDK, the `oci` CLI, and the `kubernetes` Python client: a
cluster and a node pool of 3 on work requests, its nodes as real instances (with metrics), the kubeconfig OKE
returns (its exec credential runs `oci ce cluster generate-token`), the cluster's Kubernetes API listing 3 Ready
nodes and the system pods, scaling to 1, and what OKE refuses (pod CIDRs overlapping the VCN, version skew)."""

from __future__ import annotations

import base64
import json
import subprocess
from urllib.parse import parse_qs, urlsplit

import oci
import pytest
from oci._vendor import requests

from .helpers import NO_RETRY, WAIT, Clients, M, make_net, run_oci, signer_for, subprocess_env

CE = oci.container_engine.models
E = oci.exceptions.ServiceError
KC = CE.CreateClusterKubeconfigContentDetails
V_OLD, V_PREV, V_CUR = "v1.31.10", "v1.32.7", "v1.33.3"


@pytest.fixture
def c(emulator, oci_config):
    cl = Clients(emulator, oci_config)
    kw = dict(NO_RETRY, signer=signer_for(oci_config))
    cl.ce = oci.container_engine.ContainerEngineClient(oci_config, service_endpoint=emulator.endpoint(
        "container_engine"), **kw)
    cl.ce_ops = oci.container_engine.ContainerEngineClientCompositeOperations(cl.ce)
    cl.monitoring = oci.monitoring.MonitoringClient(oci_config, service_endpoint=emulator.endpoint("monitoring"),
                                                    **kw)
    return cl


@pytest.fixture
def net(c):
    return make_net(c)


def cluster_details(net, name="oke1", version=V_CUR, public=True, **options):
    return CE.CreateClusterDetails(
        name=name, compartment_id=net.compartment_id, vcn_id=net.vcn_id, kubernetes_version=version,
        type="ENHANCED_CLUSTER",
        endpoint_config=CE.CreateClusterEndpointConfigDetails(subnet_id=net.subnet_id, is_public_ip_enabled=public),
        cluster_pod_network_options=[CE.FlannelOverlayClusterPodNetworkOptionDetails()],
        options=CE.ClusterCreateOptions(service_lb_subnet_ids=[net.subnet_id], kubernetes_network_config=(
            CE.KubernetesNetworkConfig(pods_cidr=options.get("pods", "10.244.0.0/16"),
                                       services_cidr=options.get("services", "10.96.0.0/16")))))


def create_cluster(c, net, **kw) -> str:
    wr = c.ce_ops.create_cluster_and_wait_for_state(cluster_details(net, **kw), wait_for_states=["SUCCEEDED"],
                                                    waiter_kwargs=WAIT).data
    assert wr.operation_type == "CLUSTER_CREATE" and wr.status == "SUCCEEDED"
    return next(r.identifier for r in wr.resources if r.entity_type == "cluster")


def pool_details(c, net, cluster_id, size=3, version=V_CUR, name="pool1"):
    ads = [a.name for a in c.identity.list_availability_domains(c.tenancy).data]
    return CE.CreateNodePoolDetails(
        compartment_id=net.compartment_id, cluster_id=cluster_id, name=name, kubernetes_version=version,
        node_shape="VM.Standard.E4.Flex", node_shape_config=CE.CreateNodeShapeConfigDetails(ocpus=2, memory_in_gbs=16),
        node_source_details=CE.NodeSourceViaImageDetails(image_id=net.image_id, boot_volume_size_in_gbs=60),
        initial_node_labels=[CE.KeyValue(key="team", value="web")],
        ssh_public_key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEmulatorTestKeyOnlyForTestsXXXXXXXXXXXXXXXX test",
        node_config_details=CE.CreateNodePoolNodeConfigDetails(size=size, placement_configs=[
            CE.NodePoolPlacementConfigDetails(availability_domain=ad, subnet_id=net.subnet_id) for ad in ads]))


def create_pool(c, net, cluster_id, **kw) -> str:
    wr = c.ce_ops.create_node_pool_and_wait_for_state(pool_details(c, net, cluster_id, **kw),
                                                      wait_for_states=["SUCCEEDED"], waiter_kwargs=WAIT).data
    return next(r.identifier for r in wr.resources if r.entity_type == "nodepool")


def kube_client(path):
    from kubernetes import client, config
    cfg = client.Configuration()
    config.load_kube_config(config_file=str(path), client_configuration=cfg)
    return client.CoreV1Api(client.ApiClient(cfg)), client.VersionApi(client.ApiClient(cfg))


def ready(node) -> bool:
    return next(x.status for x in node.status.conditions if x.type == "Ready") == "True"


def test_cluster_pool_of_three_kubeconfig_and_scale(emulator, c, net, tmp_path, monkeypatch):
    opts = c.ce.get_cluster_options("all").data
    assert V_CUR in opts.kubernetes_versions and {o.cni_type for o in opts.cluster_pod_network_options} == {
        "OCI_VCN_IP_NATIVE", "FLANNEL_OVERLAY"}
    cid = create_cluster(c, net)
    cluster = c.ce.get_cluster(cid).data
    assert cluster.lifecycle_state == "ACTIVE" and cluster.type == "ENHANCED_CLUSTER"
    assert cluster.endpoints.public_endpoint.endswith(":6443")
    assert cluster.endpoints.private_endpoint.startswith("10.77.1.")
    assert cluster.endpoint_config.subnet_id == net.subnet_id
    assert cluster.options.service_lb_subnet_ids == [net.subnet_id]
    assert V_CUR not in cluster.available_kubernetes_upgrades and "v1.34.1" in cluster.available_kubernetes_upgrades
    assert [x.id for x in c.ce.list_clusters(net.compartment_id).data] == [cid]
    assert c.ce.get_cluster_options(cid).data.kubernetes_versions == [V_CUR, "v1.34.1"]

    pid = create_pool(c, net, cid)
    pool = c.ce.get_node_pool(pid).data
    assert pool.lifecycle_state == "ACTIVE" and len(pool.nodes) == 3
    assert {n.lifecycle_state for n in pool.nodes} == {"ACTIVE"}
    assert len({n.availability_domain for n in pool.nodes}) == 3  # spread over the placements
    assert [p.id for p in c.ce.list_node_pools(net.compartment_id, cluster_id=cid).data] == [pid]
    # the nodes are real instances: listed, running, with the pool's shape, image and SSH key
    insts = {i.id: i for i in c.compute.list_instances(net.compartment_id).data}
    for n in pool.nodes:
        inst = insts[n.id]
        assert inst.lifecycle_state == "RUNNING" and inst.shape == "VM.Standard.E4.Flex"
        assert inst.shape_config.ocpus == 2 and inst.image_id == net.image_id
        assert inst.metadata["ssh_authorized_keys"].startswith("ssh-ed25519")
        assert inst.metadata["oke-cluster-id"] == cid
    # ... with metrics, as every running instance
    emulator.clock.advance(600)
    metrics = c.monitoring.list_metrics(net.compartment_id, oci.monitoring.models.ListMetricsDetails(
        namespace="oci_computeagent", name="CpuUtilization", dimension_filters={"resourceId": pool.nodes[0].id})).data
    assert len(metrics) == 1

    wrs = c.ce.list_work_requests(net.compartment_id, cluster_id=cid).data
    assert {w.operation_type for w in wrs} == {"CLUSTER_CREATE", "NODEPOOL_CREATE"}
    assert all(w.status == "SUCCEEDED" for w in wrs)
    assert c.ce.list_work_request_logs(net.compartment_id, wrs[0].id).data
    assert c.ce.list_work_request_errors(net.compartment_id, wrs[0].id).data == []

    # the kubeconfig OKE returns: an exec credential running `oci ce cluster generate-token`
    text = c.ce.create_kubeconfig(cid, create_cluster_kubeconfig_content_details=KC(
        token_version="2.0.0", endpoint="PUBLIC_ENDPOINT")).data.text
    assert "command: oci" in text and f"- {cid}" in text and "- generate-token" in text
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(text)
    cfg_file = emulator.write_config(tmp_path / "oci-config")
    monkeypatch.setenv("OCI_CLI_CONFIG_FILE", str(cfg_file))
    monkeypatch.setenv("OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING", "True")
    # (each call runs `oci ce cluster generate-token`: the client refreshes a token that expires within 5 minutes,
    # and the CLI's expire in 4)
    core, _version = kube_client(kubeconfig)
    nodes = core.list_node().items
    assert len(nodes) == 3 and all(ready(n) for n in nodes)
    assert {n.metadata.name for n in nodes} == {n.private_ip for n in pool.nodes}
    assert {n.spec.provider_id for n in nodes} == {f"oci://{n.id}" for n in pool.nodes}
    assert all(n.metadata.labels["team"] == "web" and n.status.node_info.kubelet_version == V_CUR for n in nodes)
    pods = core.list_namespaced_pod("kube-system").items
    assert sum(p.metadata.name.startswith("kube-proxy-") for p in pods) == 3
    assert all(p.status.phase == "Running" for p in pods)

    # scale to 1: two nodes' instances terminate
    before = {n.id for n in pool.nodes}
    wr = c.ce_ops.update_node_pool_and_wait_for_state(pid, CE.UpdateNodePoolDetails(
        node_config_details=CE.UpdateNodePoolNodeConfigDetails(size=1)), wait_for_states=["SUCCEEDED"],
        waiter_kwargs=WAIT).data
    assert wr.operation_type == "NODEPOOL_UPDATE"
    pool = c.ce.get_node_pool(pid).data
    assert pool.node_config_details.size == 1 and len(pool.nodes) == 1
    states = {i: c.compute.get_instance(i).data.lifecycle_state for i in before}
    assert sorted(states.values()) == ["RUNNING", "TERMINATED", "TERMINATED"]
    assert [n.metadata.name for n in core.list_node().items] == [pool.nodes[0].private_ip]
    assert sum(p.metadata.name.startswith("kube-proxy-") for p in core.list_namespaced_pod("kube-system").items) == 1


def test_kubernetes_api_wants_an_oke_token_for_the_cluster(emulator, c, net, tmp_path):
    cid = create_cluster(c, net, public=False)
    other = create_cluster(c, net, name="oke2", public=False)
    base = f"{emulator.base_url}/container_engine/_k8s/{cid}"
    assert requests.get(f"{base}/api/v1/nodes").status_code == 401

    cfg = emulator.client_config()

    def token(cluster_id: str) -> str:  # what `oci ce cluster generate-token` makes
        url = f"https://containerengine.{cfg['region']}.oraclecloud.com/cluster_request/{cluster_id}"
        signed = signer_for(cfg).do_request_sign(requests.Request("GET", url).prepare())
        q = requests.Request("GET", url, params={"authorization": signed.headers["authorization"],
                                                 "date": signed.headers["date"]}).prepare()
        return base64.urlsafe_b64encode(q.url.encode()).decode()

    ok = requests.get(f"{base}/api/v1/namespaces", headers={"Authorization": f"Bearer {token(cid)}"})
    assert ok.status_code == 200 and ok.json()["kind"] == "NamespaceList"
    assert ok.json()["items"][0]["metadata"]["name"] == "default"
    wrong = requests.get(f"{base}/api/v1/nodes", headers={"Authorization": f"Bearer {token(other)}"})
    assert wrong.status_code == 401 and wrong.json()["reason"] == "Unauthorized"
    # a token whose signature was altered
    url = base64.urlsafe_b64decode(token(cid)).decode()
    parts = urlsplit(url)
    q = {k: v[0] for k, v in parse_qs(parts.query).items()}
    q["authorization"] = q["authorization"].replace('signature="', 'signature="AAAA')
    bad = requests.Request("GET", url.split("?")[0], params=q).prepare().url
    forged = base64.urlsafe_b64encode(bad.encode()).decode()
    assert requests.get(f"{base}/api/v1/nodes", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    # read-only, and what it does not serve is a Kubernetes 404
    auth = {"Authorization": f"Bearer {token(cid)}"}
    assert requests.post(f"{base}/api/v1/namespaces", headers=auth, json={}).status_code == 405
    missing = requests.get(f"{base}/apis/apps/v1/deployments", headers=auth)
    assert missing.status_code == 404 and missing.json()["kind"] == "Status"
    assert requests.get(f"{base}/api/v1/nodes", headers=auth).json()["items"] == []  # no node pool yet
    assert requests.get(f"{base}/version", headers=auth).json()["gitVersion"] == V_CUR
    create_pool(c, net, cid, size=2)
    got = requests.get(f"{base}/api/v1/nodes", headers=auth, params={"labelSelector": "team=web"}).json()
    assert len(got["items"]) == 2 and got["kind"] == "NodeList"
    one = got["items"][0]["metadata"]["name"]
    assert requests.get(f"{base}/api/v1/nodes/{one}", headers=auth).json()["metadata"]["name"] == one
    assert requests.get(f"{base}/api/v1/nodes", headers=auth, params={"labelSelector": "team!=web"}).json()[
        "items"] == []
    pods = requests.get(f"{base}/api/v1/namespaces/kube-system/pods", headers=auth).json()["items"]
    assert sum(p["metadata"]["name"].startswith("coredns-") for p in pods) == 2
    assert requests.get(f"{base}/api/v1/namespaces/default/pods", headers=auth).json()["items"] == []
    assert requests.get(f"{base}/api/v1/namespaces/nope", headers=auth).status_code == 404
    # a private cluster has no public endpoint to write a kubeconfig for
    with pytest.raises(E) as e:
        c.ce.create_kubeconfig(cid, create_cluster_kubeconfig_content_details=KC(endpoint="PUBLIC_ENDPOINT"))
    assert e.value.status == 400
    assert "server: " in c.ce.create_kubeconfig(cid, create_cluster_kubeconfig_content_details=KC(
        endpoint="PRIVATE_ENDPOINT")).data.text


def test_pod_and_service_cidrs_must_not_overlap_the_vcn(c, net):
    with pytest.raises(E) as e:
        c.ce.create_cluster(cluster_details(net, pods="10.77.0.0/16"))
    assert e.value.status == 400 and "overlaps with the VCN CIDR block 10.77.0.0/16" in e.value.message
    with pytest.raises(E) as e:
        c.ce.create_cluster(cluster_details(net, services="10.77.128.0/20"))
    assert e.value.status == 400 and "Services CIDR block" in e.value.message
    with pytest.raises(E) as e:
        c.ce.create_cluster(cluster_details(net, pods="10.244.0.0/16", services="10.244.10.0/24"))
    assert e.value.status == 400 and "overlaps the services" in e.value.message
    with pytest.raises(E) as e:
        c.ce.create_cluster(cluster_details(net, version="v1.20.0"))
    assert e.value.status == 400 and "not supported" in e.value.message
    # a public endpoint in a private subnet
    priv = c.network.create_subnet(M.CreateSubnetDetails(
        compartment_id=net.compartment_id, vcn_id=net.vcn_id, cidr_block="10.77.2.0/24", display_name="priv",
        prohibit_public_ip_on_vnic=True)).data
    d = cluster_details(net)
    d.endpoint_config.subnet_id = priv.id
    with pytest.raises(E) as e:
        c.ce.create_cluster(d)
    assert e.value.status == 400 and "private" in e.value.message
    assert c.ce.list_clusters(net.compartment_id).data == []


def test_version_skew_rules(c, net):
    cid = create_cluster(c, net, version=V_PREV)
    with pytest.raises(E) as e:  # a node pool newer than its control plane
        c.ce.create_node_pool(pool_details(c, net, cid, version=V_CUR))
    assert e.value.status == 400 and "newer" in e.value.message
    pid = create_pool(c, net, cid, version=V_OLD, size=1)
    with pytest.raises(E) as e:  # control planes move one minor version at a time
        c.ce.update_cluster(cid, CE.UpdateClusterDetails(kubernetes_version="v1.34.1"))
    assert e.value.status == 400 and "one minor version at a time" in e.value.message
    with pytest.raises(E) as e:  # the node pool cannot pass its control plane
        c.ce.update_node_pool(pid, CE.UpdateNodePoolDetails(kubernetes_version=V_CUR))
    assert e.value.status == 400 and "newer" in e.value.message
    c.ce_ops.update_cluster_and_wait_for_state(cid, CE.UpdateClusterDetails(kubernetes_version=V_CUR),
                                               wait_for_states=["SUCCEEDED"], waiter_kwargs=WAIT)
    cluster = c.ce.get_cluster(cid).data
    assert cluster.kubernetes_version == V_CUR and cluster.available_kubernetes_upgrades == ["v1.34.1"]
    c.ce_ops.update_cluster_and_wait_for_state(cid, CE.UpdateClusterDetails(kubernetes_version="v1.34.1"),
                                               wait_for_states=["SUCCEEDED"], waiter_kwargs=WAIT)
    # the pool (v1.31) is now 3 minor versions behind: allowed, but not a fourth
    c.ce_ops.update_node_pool_and_wait_for_state(pid, CE.UpdateNodePoolDetails(
        kubernetes_version=V_CUR, node_pool_cycling_details=CE.NodePoolCyclingDetails(is_node_cycling_enabled=True)),
        wait_for_states=["SUCCEEDED"], waiter_kwargs=WAIT)
    pool = c.ce.get_node_pool(pid).data
    assert pool.kubernetes_version == V_CUR and [n.kubernetes_version for n in pool.nodes] == [V_CUR]
    with pytest.raises(E) as e:
        c.ce.create_node_pool(pool_details(c, net, cid, version="v1.30.10", size=1, name="old"))
    assert e.value.status == 400 and "more than 3 minor versions older" in e.value.message


def test_delete_pool_and_cluster_terminate_the_nodes(c, net):
    cid = create_cluster(c, net)
    pid = create_pool(c, net, cid, size=2)
    nodes = [n.id for n in c.ce.get_node_pool(pid).data.nodes]
    c.ce_ops.update_cluster_and_wait_for_state(cid, CE.UpdateClusterDetails(name="renamed"),
                                               wait_for_states=["SUCCEEDED"], waiter_kwargs=WAIT)
    assert c.ce.get_cluster(cid).data.name == "renamed"
    c.ce_ops.delete_node_pool_and_wait_for_state(pid, wait_for_states=["SUCCEEDED"], waiter_kwargs=WAIT)
    assert c.ce.get_node_pool(pid).data.lifecycle_state == "DELETED"
    assert {c.compute.get_instance(i).data.lifecycle_state for i in nodes} == {"TERMINATED"}
    pid2 = create_pool(c, net, cid, size=1, name="p2")
    node = c.ce.get_node_pool(pid2).data.nodes[0].id
    c.ce_ops.delete_cluster_and_wait_for_state(cid, wait_for_states=["SUCCEEDED"], waiter_kwargs=WAIT)
    assert c.ce.get_cluster(cid).data.lifecycle_state == "DELETED"
    assert c.compute.get_instance(node).data.lifecycle_state == "TERMINATED"
    assert c.ce.get_node_pool(pid2).data.lifecycle_state == "DELETED"


# ---------------------------------------------------------------- the oci CLI

@pytest.mark.cli
def test_cli_cluster_node_pool_kubeconfig(emulator, c, net, tmp_path):
    cfg = tmp_path / "config"
    emulator.write_config(cfg)
    ep = emulator.endpoint("container_engine")
    wr = run_oci(cfg, ep, "ce", "cluster", "create", "--compartment-id", net.compartment_id, "--name", "cli-oke",
                 "--vcn-id", net.vcn_id, "--kubernetes-version", V_CUR, "--endpoint-subnet-id", net.subnet_id,
                 "--endpoint-public-ip-enabled", "true", "--service-lb-subnet-ids", json.dumps([net.subnet_id]),
                 "--pods-cidr", "10.244.0.0/16", "--services-cidr", "10.96.0.0/16",
                 "--wait-for-state", "SUCCEEDED")["data"]
    cid = wr["resources"][0]["identifier"]
    ad = c.identity.list_availability_domains(c.tenancy).data[0].name
    wr = run_oci(cfg, ep, "ce", "node-pool", "create", "--compartment-id", net.compartment_id, "--cluster-id", cid,
                 "--name", "cli-pool", "--kubernetes-version", V_CUR, "--node-shape", "VM.Standard.E4.Flex",
                 "--node-shape-config", json.dumps({"ocpus": 1, "memoryInGBs": 8}), "--node-image-id", net.image_id,
                 "--size", "2", "--placement-configs", json.dumps([{"availabilityDomain": ad,
                                                                    "subnetId": net.subnet_id}]),
                 "--wait-for-state", "SUCCEEDED")["data"]
    pid = wr["resources"][0]["identifier"]
    assert len(c.ce.get_node_pool(pid).data.nodes) == 2
    kc = tmp_path / "kube" / "config"
    wrote = subprocess.run(["oci", "--config-file", str(cfg), "--endpoint", ep, "ce", "cluster", "create-kubeconfig",
                            "--cluster-id", cid, "--file", str(kc), "--token-version", "2.0.0", "--kube-endpoint",
                            "PUBLIC_ENDPOINT"], capture_output=True, text=True, timeout=60, env=subprocess_env())
    assert wrote.returncode == 0 and "New config written" in wrote.stdout, wrote.stderr
    assert cid in kc.read_text()
    # generate-token makes the token the cluster's API accepts
    done = subprocess.run(["oci", "--config-file", str(cfg), "ce", "cluster", "generate-token", "--cluster-id", cid,
                           "--region", emulator.client_config()["region"]], capture_output=True, text=True,
                          timeout=60, env=subprocess_env())
    token = json.loads(done.stdout)["status"]["token"]
    got = requests.get(f"{emulator.base_url}/container_engine/_k8s/{cid}/api/v1/nodes",
                       headers={"Authorization": f"Bearer {token}"})
    assert got.status_code == 200 and len(got.json()["items"]) == 2
    run_oci(cfg, ep, "ce", "node-pool", "update", "--node-pool-id", pid, "--size", "1", "--force",
            "--wait-for-state", "SUCCEEDED")
    assert len(c.ce.get_node_pool(pid).data.nodes) == 1
    run_oci(cfg, ep, "ce", "cluster", "delete", "--cluster-id", cid, "--force", "--wait-for-state", "SUCCEEDED")


def test_an_enhanced_cluster_bills_its_control_plane_a_basic_one_nothing(emulator, c, net, oci_config):
    import datetime as dt
    UM = oci.usage_api.models
    usage = oci.usage_api.UsageapiClient(oci_config, service_endpoint=emulator.endpoint("usage_api"),
                                         **dict(NO_RETRY, signer=signer_for(oci_config)))
    enhanced = create_cluster(c, net)
    basic_details = cluster_details(net, name="oke-basic")
    basic_details.type = "BASIC_CLUSTER"
    wr = c.ce_ops.create_cluster_and_wait_for_state(basic_details, wait_for_states=["SUCCEEDED"],
                                                    waiter_kwargs=WAIT).data
    basic = next(r.identifier for r in wr.resources if r.entity_type == "cluster")
    emulator.clock.advance(10 * 3600)
    now = dt.datetime.fromtimestamp(emulator.clock.now(), tz=dt.UTC).replace(minute=0, second=0, microsecond=0)
    items = oci.pagination.list_call_get_all_results(usage.request_summarized_usages, UM.RequestSummarizedUsagesDetails(
        tenant_id=c.tenancy, time_usage_started=now - dt.timedelta(hours=24), time_usage_ended=now,
        granularity="HOURLY", query_type="COST", group_by=["resourceId", "skuPartNumber"], is_aggregate_by_time=True,
        filter=UM.Filter(operator="AND", dimensions=[
            UM.Dimension(key="compartmentId", value=net.compartment_id)]))).data
    billed = {(i.resource_id, i.sku_part_number): i.computed_amount for i in items}
    assert billed[(enhanced, "B96545")] == pytest.approx(10 * 0.1, rel=0.1)  # $0.10 per cluster hour
    assert not [k for k in billed if k[0] == basic]
