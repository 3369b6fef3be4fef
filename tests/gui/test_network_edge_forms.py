"""Edge networking create forms in the generic dialog against the emulator: a CPE (IP checked as OCI
does, device shape from the emulator's catalogue) and an IPSec connection to a DRG and that CPE with
static routes; the review shows the CLI; the details list the two tunnels with their status."""

from __future__ import annotations

from ociconsole import catalog
from ociconsole.catalog.forms import FormContext
from ociconsole.core.operations import OpState
from ociconsole.gui import aio
from ociconsole.gui.form_dialog import CreateDialog, load_compartment_options
from ociconsole.gui.qt import QApplication

from .helpers import click, pick, retype, shot

WAIT = 10_000


def run(qtbot, coro, timeout=WAIT):
    task = aio.spawn(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


def open_dialog(qtbot, session, oplog, kind_id, compartment_id, compartments):
    kind = catalog.kind(kind_id)
    dlg = CreateDialog(kind.create, FormContext(session, compartment_id, list(compartments)), session, oplog, kind)
    qtbot.addWidget(dlg)
    dlg.open()
    qtbot.waitUntil(lambda: dlg.isVisible() and not dlg.busy, timeout=WAIT)
    return dlg


def submit(qtbot, dlg):
    with qtbot.waitSignal(dlg.submitted, timeout=WAIT) as sig:
        click(qtbot, dlg.create_button)
    op = sig.args[0]
    qtbot.waitUntil(lambda: op.state.done, timeout=WAIT)
    assert op.state is OpState.SUCCEEDED, op.error
    return op


def test_create_cpe_then_ipsec_connection(qtbot, aloop, session, oplog):
    options = run(qtbot, load_compartment_options(session))
    ids = {o.label.strip(): o.value for o in options}
    comp = ids["Network"]
    # CPE: a private address is refused inline unless the CPE is private
    dlg = open_dialog(qtbot, session, oplog, "network.cpe", comp, options)
    qtbot.keyClicks(dlg.row("display_name").editor, "paris-office")
    qtbot.keyClicks(dlg.row("ip_address").editor, "10.1.2.3")
    assert "not a public address" in dlg.row("ip_address").error_text()
    assert not dlg.review_button.isEnabled()
    retype(qtbot, dlg.row("ip_address").editor, "203.0.113.44")
    pick(qtbot, dlg.row("cpe_device_shape_id").editor, "Libreswan")
    assert dlg.errors() == {}
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert cli.startswith("oci network cpe create") and "--ip-address 203.0.113.44" in cli
    assert "--cpe-device-shape-id ocid1.cpedeviceshape" in cli
    op = submit(qtbot, dlg)
    cpe = op.result
    cpes = run(qtbot, session.list_all("network", "list_cpes", comp))
    assert [c.display_name for c in cpes if c.id == cpe.id] == ["paris-office"]

    # IPSec connection: DRG and CPE chosen, static routes checked
    dlg = open_dialog(qtbot, session, oplog, "network.ipsec_connection", comp, options)
    qtbot.keyClicks(dlg.row("display_name").editor, "paris-vpn")
    pick(qtbot, dlg.row("cpe_id").editor, "paris-office")
    assert dlg.row("drg_id").editor.count() >= 1
    routes = dlg.row("static_routes").editor
    routes.setFocus()
    qtbot.keyClicks(routes, "172.16.0.1/16")
    assert "Host bits" in dlg.row("static_routes").error_text()
    routes.clear()
    qtbot.keyClicks(routes, "172.16.0.0/16, 172.17.0.0/16")
    assert dlg.errors() == {}
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert cli.startswith("oci network ip-sec-connection create")
    assert "--static-routes '[\"172.16.0.0/16\",\"172.17.0.0/16\"]'" in cli and "--cpe-id " + cpe.id in cli
    QApplication.processEvents()
    shot(dlg, "network_edge")
    op = submit(qtbot, dlg)
    ipsc = op.result
    listed = run(qtbot, session.list_all("network", "list_ip_sec_connections", comp))
    assert [c.static_routes for c in listed if c.id == ipsc.id] == [["172.16.0.0/16", "172.17.0.0/16"]]
    # the details' Tunnels section: two tunnels, DOWN until a CPE answers
    kind = catalog.kind("network.ipsec_connection")
    tunnels = run(qtbot, kind.related[0].fetch(session, ipsc))
    assert [t.label for t in tunnels] == ["Tunnel1", "Tunnel2"]
    assert all(t.value.startswith("DOWN — Oracle ") for t in tunnels)
    conn = run(qtbot, kind.related[1].fetch(session, ipsc))
    assert [i.label for i in conn][:2] == ["DRG", "CPE"]
