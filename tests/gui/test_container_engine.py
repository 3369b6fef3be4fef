"""Kubernetes Engine through the window against the real emulator: a cluster quick-created (a new VCN and subnets
made by the service layer's workflow) after the dialog refused a pods CIDR overlapping that VCN; a node pool of 3
after the dialog refused a version newer than the control plane; its nodes' health in its details; Scale… to 1;
Upgrade… of the control plane; Access cluster… merging the kubeconfig into an existing file after a backup."""

from __future__ import annotations

import yaml

from ociconsole.core.operations import OpState

from .helpers import (
    click,
    create_dialog,
    dialog,
    open_tree_path,
    pick,
    related,
    related_loaded,
    retype,
    select_row,
    shot,
    table_rows,
    trigger,
)


def submit(qtbot, window, dlg, state="ACTIVE", timeout=30_000):
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=timeout)
    assert op.state is OpState.SUCCEEDED and op.detail == state, (op.detail, op.error)


def action_form(qtbot, window, label):
    from ociconsole.gui.form_dialog import CreateDialog
    trigger(window, label)
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    return dlg


def test_quick_create_cluster_node_pool_scale_upgrade_and_access(qtbot, window, tmp_path):
    open_tree_path(qtbot, window, "Development", "Developer Services", "Kubernetes Clusters")
    dlg = create_dialog(qtbot, window)
    retype(qtbot, dlg.row("name").editor, "web")
    versions = dlg.row("kubernetes_version").editor
    qtbot.waitUntil(lambda: versions.count() > 1, timeout=5000)
    assert "(newest)" in versions.itemText(0)
    pick(qtbot, versions, "v1.33.3")
    # an enhanced cluster's control plane costs $0.10 an hour; a basic one nothing
    qtbot.waitUntil(lambda: "$74.40 per month" in dlg.cost_text(), timeout=3000)
    pick(qtbot, dlg.row("type").editor, "Basic")
    qtbot.waitUntil(lambda: dlg.cost_text() == "", timeout=3000)
    pick(qtbot, dlg.row("type").editor, "Enhanced")
    retype(qtbot, dlg.row("vcn_cidr").editor, "10.40.0.0/16")
    retype(qtbot, dlg.row("pods_cidr").editor, "10.40.0.0/18")  # inside the new VCN: OKE refuses it
    qtbot.waitUntil(lambda: "overlaps the VCN's CIDR block 10.40.0.0/16" in dlg.row("pods_cidr").error_text(),
                    timeout=3000)
    assert not dlg.review_button.isEnabled()
    retype(qtbot, dlg.row("pods_cidr").editor, "10.244.0.0/16")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci ce cluster create" in cli and "--pods-cidr 10.244.0.0/16" in cli and "subnet create" in cli
    shot(dlg, "i14-oke-cluster-review")
    submit(qtbot, window, dlg)
    qtbot.waitUntil(lambda: "web" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "web")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=5000)
    rel = related(window)["Cluster"]
    assert "Kubernetes version=v1.33.3" in rel and "Available upgrades=v1.34.1" in rel
    assert any(r.startswith("Public endpoint=https://") for r in rel) and "Pods CIDR=10.244.0.0/16" in rel
    shot(window, "i14-oke-cluster")

    # a node pool of 3; a version newer than the control plane is refused in the dialog
    open_tree_path(qtbot, window, "Development", "Developer Services", "Node Pools")
    dlg = create_dialog(qtbot, window)
    retype(qtbot, dlg.row("name").editor, "web-pool")
    clusters = dlg.row("cluster_id").editor
    qtbot.waitUntil(lambda: clusters.count() > 0 and "web" in clusters.currentText() or clusters.count() > 1,
                    timeout=5000)
    pick(qtbot, clusters, "web (v1.33.3)")
    pool_versions = dlg.row("kubernetes_version").editor
    qtbot.waitUntil(lambda: pool_versions.count() > 1, timeout=5000)
    pick(qtbot, pool_versions, "v1.34.1")
    qtbot.waitUntil(lambda: "newer than the control plane" in dlg.row("kubernetes_version").error_text(),
                    timeout=3000)
    assert not dlg.review_button.isEnabled()
    pick(qtbot, pool_versions, "v1.33.3")
    images = dlg.row("image_id").editor
    qtbot.waitUntil(lambda: images.count() > 0, timeout=5000)
    pick(qtbot, images, "Oracle-Linux-9")
    subnets = dlg.row("subnet_id").editor
    qtbot.waitUntil(lambda: subnets.count() > 0, timeout=5000)
    pick(qtbot, subnets, "oke-nodes-web")
    retype(qtbot, dlg.row("size").editor, "3")
    # three E4 nodes of 1 OCPU / 16 GB with their boot volumes, at list price
    qtbot.waitUntil(lambda: "$115.74 per month" in dlg.cost_text(), timeout=3000)
    dlg.row("labels").editor.setPlainText("team=web")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "oci ce node-pool create" in dlg.cli_view.text()
    submit(qtbot, window, dlg)
    qtbot.waitUntil(lambda: "web-pool" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "web-pool")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=5000)
    nodes = related(window)["Nodes"]
    assert len(nodes) == 3 and all("=Ready — 10.40.10." in n and "instance RUNNING" in n for n in nodes), nodes
    shot(window, "i14-oke-node-pool")

    dlg = action_form(qtbot, window, "Scale…")
    retype(qtbot, dlg.row("size").editor, "1")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "--size 1" in dlg.cli_view.text()
    submit(qtbot, window, dlg)
    window.refresh_action.trigger()  # the details read the pool again
    qtbot.waitUntil(lambda: "web-pool" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "web-pool")
    qtbot.waitUntil(lambda: related_loaded(window) and len(related(window).get("Nodes", [])) == 1, timeout=10_000)

    # the node pool cannot pass its control plane: refused in the Upgrade… dialog
    dlg = action_form(qtbot, window, "Upgrade…")
    up = dlg.row("kubernetes_version").editor
    qtbot.waitUntil(lambda: up.count() > 1, timeout=5000)
    pick(qtbot, up, "v1.34.1")
    qtbot.waitUntil(lambda: "newer than the control plane" in dlg.row("kubernetes_version").error_text(),
                    timeout=3000)
    assert not dlg.review_button.isEnabled()
    shot(dlg, "i14-oke-pool-upgrade-skew")
    click(qtbot, dlg.cancel_button)

    # the control plane upgraded, then the kubeconfig merged into an existing file
    open_tree_path(qtbot, window, "Development", "Developer Services", "Kubernetes Clusters")
    qtbot.waitUntil(lambda: "web" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "web")
    dlg = action_form(qtbot, window, "Upgrade…")
    assert dlg.row("kubernetes_version").editor.currentText() == "v1.34.1"
    click(qtbot, dlg.review_button)
    submit(qtbot, window, dlg)

    kube = tmp_path / "kube" / "config"
    kube.parent.mkdir()
    kube.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "Config", "current-context": "other",
                                    "clusters": [{"name": "other", "cluster": {"server": "https://x"}}],
                                    "users": [], "contexts": [{"name": "other", "context": {"cluster": "other"}}]}))
    select_row(qtbot, window, "web")
    dlg = action_form(qtbot, window, "Access cluster…")
    retype(qtbot, dlg.row("path").editor, str(kube))
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "oci ce cluster create-kubeconfig" in dlg.cli_view.text() and str(kube) in dlg.cli_view.text()
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: bool(dlg.revealed()), timeout=15_000)
    shown = dict(dlg.revealed())
    assert shown["Kubeconfig"] == str(kube) and shown["Backup"].startswith(f"{kube}.bak-")
    shot(dlg, "i14-oke-access")
    merged = yaml.safe_load(kube.read_text())
    assert [c["name"] for c in merged["clusters"]][0] == "other" and len(merged["clusters"]) == 2
    assert merged["current-context"] == shown["Context"]
    assert merged["users"][0]["user"]["exec"]["args"][:3] == ["ce", "cluster", "generate-token"]
    assert "other" in yaml.safe_load(open(shown["Backup"]).read())["current-context"]


def test_custom_create_checks_the_chosen_vcn(qtbot, window):
    open_tree_path(qtbot, window, "Development", "Developer Services", "Kubernetes Clusters")
    dlg = create_dialog(qtbot, window)
    pick(qtbot, dlg.row("mode").editor, "Custom create")
    retype(qtbot, dlg.row("name").editor, "custom")
    vcns = dlg.row("vcn_id").editor
    qtbot.waitUntil(lambda: any("dev-vcn" in vcns.itemText(i) for i in range(vcns.count())), timeout=5000)
    pick(qtbot, vcns, "dev-vcn")
    subnets = dlg.row("endpoint_subnet_id").editor
    qtbot.waitUntil(lambda: any("dev-vcn-private" in subnets.itemText(i) for i in range(subnets.count())),
                    timeout=5000)
    pick(qtbot, subnets, "dev-vcn-private")
    qtbot.waitUntil(lambda: "private" in dlg.row("endpoint_subnet_id").error_text(), timeout=3000)
    pick(qtbot, subnets, "dev-vcn-public")
    lbs = dlg.row("lb_subnet_id").editor
    qtbot.waitUntil(lambda: any("dev-vcn-public" in lbs.itemText(i) for i in range(lbs.count())), timeout=5000)
    pick(qtbot, lbs, "dev-vcn-public")
    retype(qtbot, dlg.row("services_cidr").editor, "10.30.200.0/24")
    qtbot.waitUntil(lambda: "overlaps the VCN's CIDR block 10.30.0.0/16" in dlg.row("services_cidr").error_text(),
                    timeout=3000)
    assert not dlg.review_button.isEnabled()
    shot(dlg, "i14-oke-custom-errors")
    retype(qtbot, dlg.row("services_cidr").editor, "10.96.0.0/16")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "--endpoint-subnet-id ocid1.subnet." in dlg.cli_view.text()
    submit(qtbot, window, dlg)
    qtbot.waitUntil(lambda: "custom" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "custom")
    from ociconsole.gui.confirm import ConfirmDialog
    trigger(window, "Delete")
    conf = dialog(qtbot, ConfirmDialog)
    retype(qtbot, conf.input, "custom")  # the typed-name confirmation
    click(qtbot, conf.ok_button)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=20_000)
    assert op.state is OpState.SUCCEEDED, (op.title, op.detail, op.error)
