"""Load balancers through the window against the real emulator: create one in the console (bandwidth with its
cost, subnet, first backend set and listener; the CLI), open its page, add backends picked among the VCN's
instances, see a backend turn red when its instance stops (and the reason on the Health tab), and the inline
errors of the dialogs (bandwidth, a port already used, a certificate whose key does not match)."""

from __future__ import annotations

import datetime

import oci
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ociconsole.gui.qt import QPoint, Qt

from .helpers import click, dialog, open_tree_path, pick, retype, select_row, settled, shot, table_rows, wait_op

FRONTEND_LBS = ("Production", "Web", "Frontend", "Networking", "Load balancers")




def open_page(qtbot, window, name: str):
    from ociconsole.gui.load_balancer_view import LoadBalancerPage
    select_row(qtbot, window, name)
    res = next(r for r in window.resources.model.rows if r.display_name == name)
    with qtbot.waitSignal(window.centre.currentChanged, timeout=5000, raising=False):
        assert window.open_browser(window.resources.kind, res)
    page = window.centre.currentWidget()
    assert isinstance(page, LoadBalancerPage)
    qtbot.waitUntil(lambda: page.overview is not None, timeout=10_000)
    return page


def reload(qtbot, page):
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.reload()


def submit(qtbot, dlg):
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=5000)
    click(qtbot, dlg.review_button)
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible() or bool(dlg.error_text()), timeout=10_000)
    assert not dlg.isVisible(), dlg.error_text()


def stop_instance(emu, name: str) -> None:
    cfg = emu.client_config()
    compute = oci.core.ComputeClient(cfg, service_endpoint=emu.endpoint("core"))
    ident = oci.identity.IdentityClient(cfg, service_endpoint=emu.endpoint("identity"))
    comps = ident.list_compartments(cfg["tenancy"], compartment_id_in_subtree=True).data
    inst = next(i for c in comps for i in compute.list_instances(c.id).data if i.display_name == name)
    compute.instance_action(inst.id, "STOP")
    settled(emu, lambda: compute.get_instance(inst.id), "STOPPED")


def test_demo_load_balancer_page_shows_a_backend_turn_red_when_its_instance_stops(qtbot, window, gui_emulator):
    open_tree_path(qtbot, window, *FRONTEND_LBS)
    qtbot.waitUntil(lambda: "web-lb" in table_rows(window.resources), timeout=10_000)
    page = open_page(qtbot, window, "web-lb")
    ov = page.overview
    assert ov.status == "OK" and [li.name for li in ov.listeners] == ["http"]
    backends = {b.instance.name: b for _bs, b in ov.backends()}
    assert sorted(backends) == ["web-01", "web-02"]
    assert all(page.chips[f"backend:web-servers/{b.name}"].health == "OK" for b in backends.values())
    assert page.chips["set:web-servers"].health == "OK"
    shot(page, "i13-lb-page-ok")

    stop_instance(gui_emulator, "web-02")
    reload(qtbot, page)
    red = page.chips[f"backend:web-servers/{backends['web-02'].name}"]
    assert red.health == "CRITICAL" and "web-02 is STOPPED" in red.toolTip()
    assert page.chips[f"backend:web-servers/{backends['web-01'].name}"].health == "OK"
    assert page.chips["set:web-servers"].health == "WARNING"
    assert page.overview.status == "WARNING" and "WARNING" in page.health_badge.text()
    page.tabs.setCurrentIndex(1)
    rows = [[page.health.topLevelItem(i).text(c) for c in range(5)] for i in range(page.health.topLevelItemCount())]
    assert ["web-servers", backends["web-02"].name, "web-02", "CRITICAL"] == rows[1][:4]
    assert "web-02 is STOPPED" in rows[1][4] and rows[0][3] == "OK"
    shot(page, "i13-lb-health")
    page.tabs.setCurrentIndex(0)
    shot(window, "i13-lb-window")

    # the Metrics tab (oci_lbaas) follows the health: one unhealthy backend of two
    pane = window.detail
    pane.show_metrics()
    with qtbot.waitSignal(pane.metrics_panel.refreshed, timeout=10_000):
        pass
    charts = {c.title: c for c in pane.metrics_panel.grid.charts}
    assert list(charts) == ["HTTP requests", "Responses", "Backends", "Active connections", "Traffic"]
    backends_chart = {label: v for label, (_t, v) in charts["Backends"].data.items()}
    assert backends_chart["backends"].max() == 2 and backends_chart["unhealthy"][-1] == 1
    assert set(charts["Responses"].data) == {"2xx", "4xx", "5xx"}

    # a dashboard of the load balancer, from its page
    from ociconsole.gui.dashboard import DashboardView
    click(qtbot, page.dashboard_button)
    view = window.centre.currentWidget()
    assert isinstance(view, DashboardView) and view.dashboard.name == "Load balancer web-lb"
    assert [c.metric for c in view.dashboard.charts] == ["HttpRequests", "HttpResponses5xx",
                                                         "UnHealthyBackendServers", "ActiveConnections"]
    assert all(c.namespace == "oci_lbaas" and c.dimensions == {"resourceId": page.lb.id}
               for c in view.dashboard.charts)

    # Add backends… from the toolbar: the form is made once the VCN's instances are read (both are backends)
    from ociconsole.gui.form_dialog import CreateDialog

    from .helpers import trigger
    trigger(window, "Add backends…")
    add = dialog(qtbot, CreateDialog)
    choices = add.row("backends").editor.columns[0].data
    assert any(c.startswith("web-01 — ") for c in choices) and any("web-02 — " in c and "stopped" in c
                                                                   for c in choices)
    assert add.row("backends").value() is None and not add.review_button.isEnabled()
    add.reject()


def test_create_a_load_balancer_add_backends_and_a_listener_in_the_console(qtbot, window, gui_emulator):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, *FRONTEND_LBS)
    qtbot.waitUntil(lambda: "web-lb" in table_rows(window.resources), timeout=10_000)
    window.create_action.trigger()
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("display_name").editor, "shop-lb")
    pick(qtbot, dlg.row("network_compartment_id").editor, "Production")
    qtbot.waitUntil(lambda: dlg.row("vcn_id").editor.count() > 0 and "prod-vcn" in dlg.row("vcn_id").editor.itemText(0)
                    or any("prod-vcn" in dlg.row("vcn_id").editor.itemText(i)
                           for i in range(dlg.row("vcn_id").editor.count())), timeout=10_000)
    pick(qtbot, dlg.row("vcn_id").editor, "prod-vcn")
    qtbot.waitUntil(lambda: any("prod-vcn-public" in dlg.row("subnet_id").editor.itemText(i)
                                for i in range(dlg.row("subnet_id").editor.count())), timeout=10_000)
    pick(qtbot, dlg.row("subnet_id").editor, "prod-vcn-private")
    qtbot.waitUntil(lambda: "private subnet" in dlg.row("subnet_id").error_text(), timeout=3000)
    pick(qtbot, dlg.row("subnet_id").editor, "prod-vcn-public")
    qtbot.waitUntil(lambda: dlg.row("subnet_id").error_text() == "", timeout=3000)
    # the bandwidth: bounds, minimum above maximum, and the cost following the minimum
    qtbot.waitUntil(lambda: dlg.cost_text().startswith("Estimated cost: $0.01 per hour"), timeout=3000)
    retype(qtbot, dlg.row("minimum_mbps").editor, "200")
    qtbot.waitUntil(lambda: "less than the minimum" in dlg.row("maximum_mbps").error_text(), timeout=3000)
    retype(qtbot, dlg.row("maximum_mbps").editor, "9000")
    qtbot.waitUntil(lambda: "8000" in dlg.row("maximum_mbps").error_text(), timeout=3000)
    assert not dlg.review_button.isEnabled()
    retype(qtbot, dlg.row("maximum_mbps").editor, "400")
    qtbot.waitUntil(lambda: "$0.03 per hour" in dlg.cost_text(), timeout=3000)  # 0.0113 + 200 × 0.0001
    assert "Load Balancer Bandwidth" in dlg.cost_detail.text()
    retype(qtbot, dlg.row("health_path").editor, "/health")
    shot(dlg, "i13-lb-create")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci lb load-balancer create" in cli and "--shape-name flexible" in cli and "--listeners" in cli
    assert '"minimumBandwidthInMbps":200' in cli and "--wait-for-state SUCCEEDED" in cli
    assert "create_load_balancer" in dlg.python_view.text()
    shot(dlg, "i13-lb-review")
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "shop-lb", "ACTIVE")
    window.refresh()
    qtbot.waitUntil(lambda: "shop-lb" in table_rows(window.resources), timeout=10_000)

    page = open_page(qtbot, window, "shop-lb")
    assert page.chips["set:web-servers"].health == "UNKNOWN"  # no backends yet
    assert "listener:http" in page.chips
    # Add backends: the VCN's running instances, their private IPs filled in
    page.add_backends("web-servers")
    add = dialog(qtbot, CreateDialog, not_this=dlg)
    table = add.row("backends").editor
    rows = table.rows()
    assert sorted(r["instance"].split(" — ")[0] for r in rows) == ["web-01", "web-02"], rows
    shot(add, "i13-lb-add-backends")
    submit(qtbot, add)
    wait_op(qtbot, window, "Add backends to web-servers")
    qtbot.waitUntil(lambda: len(page.overview.backends()) == 2, timeout=10_000)
    assert page.chips["set:web-servers"].health == "OK"

    # a second listener on port 80: refused inline, before anything is sent
    from ociconsole import catalog
    kind = catalog.kind("load_balancer.load_balancer")
    window.request_action(kind, kind.action("add_listener"), [page.lb])
    li = dialog(qtbot, CreateDialog, not_this=add)
    retype(qtbot, li.row("name").editor, "http-again")
    qtbot.waitUntil(lambda: "already used by the listener http" in li.row("port").error_text(), timeout=3000)
    assert not li.review_button.isEnabled()
    retype(qtbot, li.row("port").editor, "8080")
    qtbot.waitUntil(lambda: li.row("port").error_text() == "", timeout=3000)
    submit(qtbot, li)
    wait_op(qtbot, window, "Add listener http-again")
    qtbot.waitUntil(lambda: "listener:http-again" in page.chips, timeout=10_000)

    stop_instance(gui_emulator, "web-01")
    reload(qtbot, page)
    bad = [n for n, c in page.chips.items() if n.startswith("backend:") and c.health == "CRITICAL"]
    assert len(bad) == 1 and page.chips["set:web-servers"].health == "WARNING"
    shot(page, "i13-lb-shop")

    # a backend edited in place: taken offline, it is CRITICAL with that reason
    good = next(b for _bs, b in page.overview.backends() if b.status == "OK")
    page._edit_backend("web-servers", good.name)
    edit = dialog(qtbot, CreateDialog, not_this=li)
    box = edit.row("offline").editor  # its box, at the left of the label
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert edit.row("offline").value() is True
    submit(qtbot, edit)
    wait_op(qtbot, window, f"Update backend {good.name}")
    qtbot.waitUntil(lambda: page.chips[f"backend:web-servers/{good.name}"].health == "CRITICAL", timeout=10_000)
    assert "offline" in page.chips[f"backend:web-servers/{good.name}"].toolTip()
    assert page.chips["set:web-servers"].health == "CRITICAL"
    # the second listener and the set's health check changed in place
    from ociconsole.catalog.load_balancer import edit_listener_form
    page._open(edit_listener_form(page.lb, "http-again"))
    ed = dialog(qtbot, CreateDialog, not_this=edit)
    retype(qtbot, ed.row("port").editor, "80")
    qtbot.waitUntil(lambda: "already used by the listener http" in ed.row("port").error_text(), timeout=3000)
    retype(qtbot, ed.row("port").editor, "8081")
    retype(qtbot, ed.row("idle_timeout").editor, "300")
    submit(qtbot, ed)
    wait_op(qtbot, window, "Update listener http-again")
    qtbot.waitUntil(lambda: "HTTP :8081" in page.chips["listener:http-again"].text(), timeout=10_000)
    from ociconsole.catalog import load_balancer as lbc
    page._open(lbc.health_checker_form(page.lb, "web-servers"))
    hc = dialog(qtbot, CreateDialog, not_this=ed)
    assert hc.row("health_path").editor.text() == "/health"
    retype(qtbot, hc.row("health_path").editor, "/ready")
    submit(qtbot, hc)
    wait_op(qtbot, window, "Update the health check of web-servers")
    qtbot.waitUntil(lambda: page.lb.backend_sets["web-servers"].health_checker.url_path == "/ready", timeout=10_000)
    edit = hc
    # the second listener deleted from its chip's form, its name typed
    from ociconsole.catalog import load_balancer as lbcat
    page._open(lbcat.delete_part_form(page.lb, "listener", "http-again"))
    gone = dialog(qtbot, CreateDialog, not_this=edit)
    retype(qtbot, gone.row("confirm").editor, "http-again")
    submit(qtbot, gone)
    wait_op(qtbot, window, "Delete listener http-again")
    qtbot.waitUntil(lambda: "listener:http-again" not in page.chips, timeout=10_000)


def _pem_pair(tmp_path, name: str):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name}.example.com")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    c, k = tmp_path / f"{name}.crt", tmp_path / f"{name}.key"
    c.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    k.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    return c, k


def test_certificate_from_pem_files_and_its_key_checked(qtbot, window, tmp_path):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, *FRONTEND_LBS)
    qtbot.waitUntil(lambda: "web-lb" in table_rows(window.resources), timeout=10_000)
    page = open_page(qtbot, window, "web-lb")
    cert, key = _pem_pair(tmp_path, "www")
    _other_cert, other_key = _pem_pair(tmp_path, "other")
    click(qtbot, page.buttons["add_certificate"])
    dlg = dialog(qtbot, CreateDialog)
    retype(qtbot, dlg.row("certificate_name").editor, "www")
    retype(qtbot, dlg.row("certificate_file").editor, str(other_key))
    qtbot.waitUntil(lambda: "not a PEM certificate" in dlg.row("certificate_file").error_text(), timeout=3000)
    retype(qtbot, dlg.row("certificate_file").editor, str(cert))
    retype(qtbot, dlg.row("private_key_file").editor, str(other_key))
    qtbot.waitUntil(lambda: "does not belong" in dlg.row("private_key_file").error_text(), timeout=3000)
    assert not dlg.review_button.isEnabled()
    shot(dlg, "i13-lb-cert-error")
    retype(qtbot, dlg.row("private_key_file").editor, str(key))
    qtbot.waitUntil(lambda: dlg.row("private_key_file").error_text() == "", timeout=3000)
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "--private-key-file" in dlg.cli_view.text() and "BEGIN PRIVATE KEY" not in dlg.python_view.text()
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "Add certificate www")
    qtbot.waitUntil(lambda: page.overview is not None and page.overview.certificates == ["www"], timeout=10_000)

    # a backend set that speaks SSL to its backends with that certificate, an HTTPS listener in front of it
    click(qtbot, page.buttons["add_backend_set"])
    bs = dialog(qtbot, CreateDialog, not_this=dlg)
    retype(qtbot, bs.row("name").editor, "web-servers")
    qtbot.waitUntil(lambda: "already has a backend set" in bs.row("name").error_text(), timeout=3000)
    retype(qtbot, bs.row("name").editor, "secure")
    pick(qtbot, bs.row("policy").editor, "Least connections")
    retype(qtbot, bs.row("cookie_name").editor, "JSESSIONID")
    pick(qtbot, bs.row("ssl_certificate").editor, "www")
    qtbot.waitUntil(lambda: bs.review_button.isEnabled(), timeout=3000)
    click(qtbot, bs.review_button)
    cli = bs.cli_view.text()
    assert "oci lb backend-set create" in cli and "--ssl-certificate-name www" in cli and "LEAST_CONNECTIONS" in cli
    assert "create_backend_set_details=details" in bs.python_view.text()
    click(qtbot, bs.create_button)
    qtbot.waitUntil(lambda: not bs.isVisible(), timeout=10_000)
    wait_op(qtbot, window, "Add backend set secure")
    qtbot.waitUntil(lambda: "set:secure" in page.chips, timeout=10_000)

    click(qtbot, page.buttons["add_listener"])
    li = dialog(qtbot, CreateDialog, not_this=bs)
    retype(qtbot, li.row("name").editor, "https")
    pick(qtbot, li.row("protocol").editor, "HTTPS")
    qtbot.waitUntil(lambda: li.row("port").value() == 443, timeout=3000)
    pick(qtbot, li.row("backend_set").editor, "secure")
    pick(qtbot, li.row("certificate").editor, "www")
    submit(qtbot, li)
    wait_op(qtbot, window, "Add listener https")
    qtbot.waitUntil(lambda: "listener:https" in page.chips, timeout=10_000)
    assert "HTTPS :443" in page.chips["listener:https"].text()
    assert "certificate www" in page.chips["listener:https"].toolTip()

    # the bandwidth changed, its cost following
    click(qtbot, page.buttons["bandwidth"])
    bw = dialog(qtbot, CreateDialog, not_this=li)
    retype(qtbot, bw.row("minimum_mbps").editor, "150")
    qtbot.waitUntil(lambda: "less than the minimum" in bw.row("maximum_mbps").error_text(), timeout=3000)
    retype(qtbot, bw.row("minimum_mbps").editor, "50")
    qtbot.waitUntil(lambda: "$0.02 per hour" in bw.cost_text(), timeout=3000)  # 0.0113 + 50 × 0.0001
    submit(qtbot, bw)
    wait_op(qtbot, window, "Change the bandwidth of web-lb")
    qtbot.waitUntil(lambda: "Flexible 50-100 Mbps" in page.facts.text(), timeout=10_000)
    shot(page, "i13-lb-https")
