"""The Kubernetes Engine service layer (no Qt), against the emulator: quick create makes a VCN, an internet gateway
and three subnets, then the cluster in them; when the cluster is refused, the network made for it is deleted again
and the error says so. Kubeconfigs are written, or merged into an existing file after a backup; the dialogs'
checks (version skew, CIDR overlap) say what OKE says."""

from __future__ import annotations

import asyncio

import oci
import pytest
import yaml

from ociconsole.core.connection import connection_for_emulator
from ociconsole.core.errors import OciError
from ociconsole.services import container_engine as oke
from ociconsole.services.runtime import Session

CE = oci.container_engine.models


@pytest.fixture
def session(emulator):
    s = Session(connection_for_emulator(emulator.client_config(), emulator.base_url))
    yield s
    s.close()


@pytest.fixture
def comp(emulator):
    cfg = emulator.client_config()
    idc = oci.identity.IdentityClient(cfg, service_endpoint=emulator.endpoint("identity"))
    return next(c for c in idc.list_compartments(cfg["tenancy"]).data if c.name == "Development").id


def vcns(emulator, comp, name):
    vn = oci.core.VirtualNetworkClient(emulator.client_config(), service_endpoint=emulator.endpoint("core"))
    return [v for v in vn.list_vcns(compartment_id=comp).data
            if v.display_name == f"oke-vcn-{name}" and v.lifecycle_state != "TERMINATED"]


def plan(comp, name, version="v1.34.1"):
    return oke.QuickCreatePlan(CE.CreateClusterDetails(
        name=name, compartment_id=comp, kubernetes_version=version, type="BASIC_CLUSTER",
        options=CE.ClusterCreateOptions(kubernetes_network_config=CE.KubernetesNetworkConfig(
            pods_cidr="10.244.0.0/16", services_cidr="10.96.0.0/16"))), vcn_cidr="10.50.0.0/16")


def test_quick_create_makes_the_network_then_the_cluster(emulator, session, comp):
    steps: list[str] = []
    cluster = asyncio.run(oke.quick_create_cluster(session, plan(comp, "qc"), step=steps.append))
    assert cluster.name == "qc" and cluster.lifecycle_state in ("CREATING", "ACTIVE")
    assert "Creating the VCN" in steps and steps[-1] == "Creating the cluster"
    [vcn] = vcns(emulator, comp, "qc")
    assert cluster.vcn_id == vcn.id and cluster.options.service_lb_subnet_ids
    assert cluster.endpoint_config.is_public_ip_enabled


def test_a_refused_cluster_rolls_the_network_back(emulator, session, comp):
    steps: list[str] = []
    with pytest.raises(OciError) as e:
        asyncio.run(oke.quick_create_cluster(session, plan(comp, "bad", version="v1.99.0"), step=steps.append))
    assert "not supported" in e.value.message and "the network created for it was deleted again" in e.value.message
    assert any(s.startswith("Rolling back") for s in steps)
    assert vcns(emulator, comp, "bad") == []


def test_kubeconfig_written_then_merged_after_a_backup(tmp_path):
    text = ("apiVersion: v1\nkind: \"\"\nclusters:\n- name: cluster-a\n  cluster:\n    server: http://x\n"
            "users:\n- name: user-a\n  user: {}\ncontexts:\n- name: context-a\n  context:\n    cluster: cluster-a\n"
            "    user: user-a\ncurrent-context: context-a\n")
    path = tmp_path / "kube" / "config"
    first = oke.merge_kubeconfig(text, str(path))
    assert first.backup is None and not first.merged and first.context == "context-a"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    other = text.replace("-a", "-b")
    second = oke.merge_kubeconfig(other, str(path), now=0)
    assert second.merged and second.backup == f"{path}.bak-19700101T000000Z"
    assert yaml.safe_load(open(second.backup).read())["current-context"] == "context-a"
    cfg = yaml.safe_load(path.read_text())
    assert [c["name"] for c in cfg["clusters"]] == ["cluster-a", "cluster-b"] and cfg["current-context"] == "context-b"
    oke.merge_kubeconfig(other, str(path), now=1)  # the same cluster again: replaced, not doubled
    assert [c["name"] for c in yaml.safe_load(path.read_text())["clusters"]] == ["cluster-a", "cluster-b"]
    path.write_text("- not\n- a mapping\n")
    with pytest.raises(OciError):
        oke.merge_kubeconfig(text, str(path))


def test_the_dialogs_checks():
    assert oke.version_skew_error("v1.33.3", "v1.34.1") is not None
    assert "more than 3 minor" in (oke.version_skew_error("v1.34.1", "v1.30.10") or "")
    assert oke.version_skew_error("v1.34.1", "v1.31.10") is None
    assert oke.cidr_overlap_error("10.0.128.0/17", ["10.0.0.0/16"], "Pods CIDR") is not None
    assert oke.cidr_overlap_error("10.244.0.0/16", ["10.0.0.0/16"], "Pods CIDR") is None
