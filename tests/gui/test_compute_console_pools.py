"""Instance pools, instance configurations and console connections through the window against the real
emulator: the pool create form (its empty configuration choice says how to make one), a configuration
made from an instance, the pool created (tracked until RUNNING, its instances and placement listed),
scaled, stopped and terminated; a console connection whose SSH connection string is listed with the
instance (Related › Networking). Renders the pool's details and its create dialog to /tmp/compute-console-*.png."""

from __future__ import annotations

import pytest

from ociconsole.core.operations import OpState
from ociconsole.gui.main_window import MainWindow

from .helpers import click, open_tree_path, pick, retype, shot, table_rows
from .test_volumes import dialog, related, related_loaded, select_row, trigger

SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl admin@workstation"
PLACE = ("Development", "Shared-Tools", "Compute")


@pytest.fixture
def window(qtbot, aloop, session):
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=15_000):
        w.set_session(session, "demo")
    yield w
    w.close()


def _done(qtbot, window, title: str, detail: str, timeout: int = 20_000):
    op = window.oplog.operations[-1]
    assert op.title == title
    qtbot.waitUntil(lambda: op.state.done, timeout=timeout)
    assert op.state is OpState.SUCCEEDED and op.detail == detail, (op.detail, op.error)
    return op


def _dollars(text: str) -> float:
    """The monthly amount of a form's cost line ("$46.72 per month …"), 0 when none."""
    import re
    m = re.search(r"\$([\d,]+\.\d\d) per month", text)
    return float(m.group(1).replace(",", "")) if m else 0.0


def _instances(qtbot, window):
    open_tree_path(qtbot, window, *PLACE, "Instances")
    qtbot.waitUntil(lambda: "jenkins" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "jenkins")


def _confirm(qtbot, typed: str | None = None):
    from ociconsole.gui.confirm import ConfirmDialog
    conf = dialog(qtbot, ConfirmDialog)
    if typed is not None:
        retype(qtbot, conf.input, typed)
    click(qtbot, conf.ok_button)


def test_instance_pool_from_a_configuration_scaled_stopped_terminated(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    # the pool form first: no configuration yet, and the choice says how to make one
    open_tree_path(qtbot, window, *PLACE, "Instance pools")
    qtbot.waitUntil(lambda: window.create_action.text() == "Create instance pool", timeout=5000)
    window.create_action.trigger()
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    row = dlg.row("instance_configuration_id")
    qtbot.waitUntil(lambda: getattr(row, "way_out", None) is not None and "Create instance configuration…"
                    in row.way_out.text(), timeout=10_000)
    text = row.way_out.text()
    assert "No instance configuration in" in text and "Create an instance configuration here…" in text
    shot(dlg, "compute-console-pool-create-empty")
    dlg.reject()
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)

    # a configuration from jenkins
    _instances(qtbot, window)
    trigger(window, "Create instance configuration…")
    cd = dialog(qtbot, CreateDialog, not_this=dlg)
    qtbot.waitUntil(lambda: not cd.busy, timeout=10_000)
    retype(qtbot, cd.row("display_name").editor, "jenkins-template")
    qtbot.waitUntil(lambda: cd.review_button.isEnabled(), timeout=3000)
    click(qtbot, cd.review_button)
    cli = cd.cli_view.text()
    assert "oci compute-management instance-configuration create-from-instance" in cli
    assert "--display-name jenkins-template" in cli and "--instance-id ocid1.instance." in cli
    click(qtbot, cd.create_button)
    qtbot.waitUntil(lambda: not cd.isVisible(), timeout=10_000)
    _done(qtbot, window, "Create instance configuration jenkins-template from jenkins", "Created")
    open_tree_path(qtbot, window, *PLACE, "Instance configurations")
    qtbot.waitUntil(lambda: "jenkins-template" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "jenkins-template")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=5000)
    assert related(window)["Template"][0].startswith("Shape=VM.Standard")

    # the pool: 2 instances from it, in AD-1 on the app subnet
    open_tree_path(qtbot, window, *PLACE, "Instance pools")
    window.create_action.trigger()
    pd = dialog(qtbot, CreateDialog, not_this=cd)
    qtbot.waitUntil(lambda: not pd.busy, timeout=10_000)
    assert pd.row("instance_configuration_id").editor.currentText() == "jenkins-template"
    retype(qtbot, pd.row("display_name").editor, "build-agents")
    # what the pool's instances cost at list price, from the configuration's shape: two cost twice one
    qtbot.waitUntil(lambda: "per month" in pd.cost_text(), timeout=5000)
    one = _dollars(pd.cost_text())
    assert one > 0
    retype(qtbot, pd.row("size").editor, "2")
    qtbot.waitUntil(lambda: _dollars(pd.cost_text()) == pytest.approx(2 * one, abs=0.011), timeout=3000)
    pick(qtbot, pd.row("availability_domain").editor, "AD-1")
    pick(qtbot, pd.row("network_compartment_id").editor, "Development")
    qtbot.waitUntil(lambda: not pd.busy, timeout=10_000)
    subnets = pd.row("subnet_id").editor
    labels = [subnets.itemText(i) for i in range(subnets.count())]
    pick(qtbot, subnets, next(t for t in labels if "regional" in t or "AD-1" in t))
    qtbot.waitUntil(lambda: pd.review_button.isEnabled(), timeout=5000)
    shot(pd, "compute-console-pool-create")
    click(qtbot, pd.review_button)
    cli = pd.cli_view.text()
    assert "oci compute-management instance-pool create" in cli and "--size 2" in cli
    assert "--placement-configurations" in cli and "primarySubnetId" in cli and "--wait-for-state RUNNING" in cli
    shot(pd, "compute-console-pool-review")
    click(qtbot, pd.create_button)
    qtbot.waitUntil(lambda: not pd.isVisible(), timeout=10_000)
    _done(qtbot, window, "Create instance pool build-agents", "RUNNING")
    qtbot.waitUntil(lambda: "build-agents" in table_rows(window.resources), timeout=10_000)
    cols = [c.title for c in window.resources.kind.columns]
    r = table_rows(window.resources).index("build-agents")
    assert window.resources.proxy.index(r, cols.index("Configuration")).data() == "jenkins-template"
    select_row(qtbot, window, "build-agents")
    qtbot.waitUntil(lambda: related_loaded(window) and len(related(window).get("Instances", [])) == 2,
                    timeout=10_000)
    rel = related(window)
    assert all(i.startswith("inst-") and "-build-agents=" in i for i in rel["Instances"]), rel
    assert rel["Placement"][0] == "Instance configuration=jenkins-template"
    assert "AD-1=subnet" in rel["Placement"][1], rel
    # the instances link to their OCIDs
    inst_item = window.detail.related.topLevelItem(0).child(0)
    assert inst_item is not None
    shot(window, "compute-console-pool-details")
    window.detail.tabs.setCurrentWidget(window.detail.related)
    window.detail.related.expandAll()
    shot(window, "compute-console-pool-related")

    # scale to 3: tracked until RUNNING again
    trigger(window, "Scale…")
    sd = dialog(qtbot, CreateDialog, not_this=pd)
    qtbot.waitUntil(lambda: not sd.busy, timeout=5000)
    assert sd.create_button.text() == "Scale"
    qtbot.waitUntil(lambda: "already has 2" in sd.row("size").error_text(), timeout=3000)
    retype(qtbot, sd.row("size").editor, "1001")
    qtbot.waitUntil(lambda: "1000" in sd.row("size").error_text(), timeout=3000)
    assert not sd.review_button.isEnabled()
    retype(qtbot, sd.row("size").editor, "3")
    qtbot.waitUntil(lambda: sd.review_button.isEnabled(), timeout=3000)
    click(qtbot, sd.review_button)
    assert "oci compute-management instance-pool update" in sd.cli_view.text() and "--size 3" in sd.cli_view.text()
    click(qtbot, sd.create_button)
    qtbot.waitUntil(lambda: not sd.isVisible(), timeout=10_000)
    _done(qtbot, window, "Scale instance pool build-agents to 3", "RUNNING")
    # the details keep their related items while the same pool is shown: Refresh (F5) lists the new one
    window.refresh()
    qtbot.waitUntil(lambda: related_loaded(window) and len(related(window).get("Instances", [])) == 3,
                    timeout=10_000)

    # stop (confirmed), then terminate (typed name)
    trigger(window, "Stop")
    _confirm(qtbot)
    _done(qtbot, window, "Stopping instance pool build-agents", "STOPPED")
    trigger(window, "Terminate")
    _confirm(qtbot, "build-agents")
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=20_000)
    assert op.state is OpState.SUCCEEDED, op.error


def test_console_connection_string_listed_under_the_instance(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    _instances(qtbot, window)
    trigger(window, "Create console connection…")
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=5000)
    key = dlg.row("public_key").editor
    retype(qtbot, key, "not a key")
    qtbot.waitUntil(lambda: dlg.row("public_key").error_text() != "", timeout=3000)
    assert not dlg.review_button.isEnabled()
    retype(qtbot, key, SSH_KEY)
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci compute instance-console-connection create" in cli and "--ssh-public-key-file console-key.pub" in cli
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    _done(qtbot, window, "Create console connection to jenkins", "ACTIVE")
    select_row(qtbot, window, "jenkins")
    qtbot.waitUntil(lambda: related_loaded(window) and any(
        i.startswith("Console (SSH)=ssh ") for i in related(window).get("Networking", [])),
        timeout=10_000)
    conns = [i for i in related(window)["Networking"] if i.startswith("Console")]
    window.detail.tabs.setCurrentWidget(window.detail.related)
    shot(window, "compute-console-connection")
    assert any("ProxyCommand" in c for c in conns) and any(c.startswith("Console (VNC)=") for c in conns), conns
    # one at a time: delete it, and it leaves the list (after Refresh)
    trigger(window, "Delete console connection")
    _confirm(qtbot, "jenkins")  # destructive: the instance's name is typed
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
    assert op.state is OpState.SUCCEEDED, op.error
    window.refresh()
    qtbot.waitUntil(lambda: related_loaded(window) and not any(
        i.startswith("Console") for i in related(window).get("Networking", [])), timeout=10_000)
