"""Security through the window against the real emulator: a WAF policy that blocks a path created in the rules
table (a condition that does not parse is refused inline with its column, and the service's own check says the
same), its rules edited, the policy's page; a WAAS certificate from PEM files and a WAAS policy that uses it."""

from __future__ import annotations

import datetime as dt

from ociconsole.core.operations import OpState
from ociconsole.lang import waf_condition

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
    settled,
    shot,
    table_rows,
    trigger,
)


def finish(qtbot, window, dlg, state="ACTIVE"):
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=20_000)
    assert op.state is OpState.SUCCEEDED and op.detail == state, (op.title, op.detail, op.error)
    return op


def create_block_admin_policy(qtbot, window, name="shop-waf", where=("Development",)):
    open_tree_path(qtbot, window, *where, "Security", "WAF policies")
    dlg = create_dialog(qtbot, window)
    retype(qtbot, dlg.row("display_name").editor, name)
    table = dlg.row("rules").editor
    assert table.rowCount() == 1  # the example rule: block /admin with 403
    # a condition that does not parse is refused inline, with its column
    table.set_cell(0, "condition", "http.request.url.path === '/admin'")
    qtbot.waitUntil(lambda: "column 25" in dlg.errors().get("rules", ""), timeout=3000)
    assert "Rule 1 (block-admin)" in dlg.errors()["rules"] and not dlg.review_button.isEnabled()
    shot(dlg, "security-waf-bad-condition")
    table.set_cell(0, "condition", "i_starts_with(http.request.url.path, '/admin')")
    click(qtbot, dlg.row("rules").add_button)
    table.set_cell(1, "name", "log-api")
    table.set_cell(1, "condition", "starts_with(http.request.url.path, '/api')")
    table.set_cell(1, "action", "Check")
    qtbot.waitUntil(lambda: "rules" not in dlg.errors(), timeout=3000)
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    shot(dlg, "security-waf-create")
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci waf web-app-firewall-policy create" in cli and "--request-access-control" in cli
    assert "Pre-configured 403 Response Code Action" in cli
    assert "create_web_app_firewall_policy" in dlg.python_view.text()
    finish(qtbot, window, dlg)
    qtbot.waitUntil(lambda: name in table_rows(window.resources), timeout=10_000)
    return dlg


def test_waf_policy_that_blocks_a_path(qtbot, window, gui_emulator):
    dlg = create_block_admin_policy(qtbot, window)
    select_row(qtbot, window, "shop-waf")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    rel = related(window)["Rules and firewalls"]
    assert "Access rule=block-admin: if i_starts_with(http.request.url.path, '/admin') then " \
           "Pre-configured 403 Response Code Action" in rel, rel
    assert "Default action=Pre-configured Allow Action" in rel
    shot(window, "security-waf-policy")

    # what the service does with requests: /admin answers 403, the rest goes on
    from ociconsole.emulator.services import waf as waf_service
    store = gui_emulator.core.store
    pol = next(p for p in store.list(waf_service.POLICY_KIND) if p["displayName"] == "shop-waf")
    assert waf_service.evaluate(pol, waf_condition.request_document("GET", "https://shop/admin/users"))["code"] == 403
    assert waf_service.evaluate(pol, waf_condition.request_document("GET", "https://shop/cart"))["type"] == "ALLOW"

    # edit the rules: /private blocked too, and a client that gets no rule match gets 401
    trigger(window, "Edit access rules…")
    from ociconsole.gui.form_dialog import CreateDialog
    edit = dialog(qtbot, CreateDialog, not_this=dlg)
    qtbot.waitUntil(lambda: not edit.busy, timeout=10_000)
    table = edit.row("rules").editor
    assert table.rowCount() == 2
    table.set_cell(0, "condition", "i_starts_with(http.request.url.path, '/admin') || "
                                   "i_starts_with(http.request.url.path, '/private'")
    qtbot.waitUntil(lambda: "rules" in edit.errors(), timeout=3000)
    table.set_cell(0, "condition", "i_starts_with(http.request.url.path, '/admin') || "
                                   "i_starts_with(http.request.url.path, '/private')")
    pick(qtbot, edit.row("default_action").editor, "Return 401")
    qtbot.waitUntil(lambda: edit.review_button.isEnabled(), timeout=3000)
    click(qtbot, edit.review_button)
    assert "oci waf web-app-firewall-policy update" in edit.cli_view.text()
    op = finish(qtbot, window, edit)
    assert op.title == "Update the access rules of shop-waf"
    pol = store.get(waf_service.POLICY_KIND, pol["id"])
    assert waf_service.evaluate(pol, waf_condition.request_document("GET", "https://shop/private/x"))["code"] == 403
    assert waf_service.evaluate(pol, waf_condition.request_document("GET", "https://shop/api/x"))["code"] == 401


def test_waf_policy_that_blocks_a_path_attached_to_a_load_balancer(qtbot, window, gui_emulator):
    from ociconsole.emulator.services import waf as waf_service
    from ociconsole.gui.form_dialog import CreateDialog
    dlg = create_block_admin_policy(qtbot, window, "web-waf", ("Production", "Web", "Frontend"))
    select_row(qtbot, window, "web-waf")
    trigger(window, "Attach to a load balancer…")
    attach = dialog(qtbot, CreateDialog, not_this=dlg)
    qtbot.waitUntil(lambda: not attach.busy, timeout=10_000)
    retype(qtbot, attach.row("display_name").editor, "web-lb-waf")
    lbs = attach.row("load_balancer_id").editor
    qtbot.waitUntil(lambda: lbs.count() > 0 and "web-lb" in lbs.currentText(), timeout=10_000)
    pick(qtbot, lbs, "web-lb")
    qtbot.waitUntil(lambda: attach.review_button.isEnabled(), timeout=3000)
    shot(attach, "security-waf-attach")
    click(qtbot, attach.review_button)
    cli = attach.cli_view.text()
    assert "oci waf web-app-firewall create-for-load-balancer" in cli and "--load-balancer-id" in cli
    op = finish(qtbot, window, attach)
    assert op.title == "Attach web-waf to a load balancer"

    # the firewall is listed with its policy and load balancer, and the load balancer now blocks /admin
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Security", "Web app firewalls")
    qtbot.waitUntil(lambda: "web-lb-waf" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "web-lb-waf")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    rel = related(window)["Attached"]
    lb = next(d for d in gui_emulator.core.store.list("load_balancer") if d["displayName"] == "web-lb")
    assert f"Load balancer={lb['id']}" in rel, rel
    shot(window, "security-waf-firewall")
    core = gui_emulator.core
    blocked = waf_service.decide(core, lb["id"], waf_condition.request_document("GET", "http://shop/admin/x"))
    assert (blocked["code"], blocked["rule"]) == (403, "block-admin")
    assert waf_service.decide(core, lb["id"], waf_condition.request_document("GET", "http://shop/"))["code"] is None

    # the policy's page names the firewall using it
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Security", "WAF policies")
    qtbot.waitUntil(lambda: "web-waf" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "web-waf")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    assert any(r.startswith("Firewall=web-lb-waf (ACTIVE)") for r in related(window)["Rules and firewalls"])

    # a policy in use is not deleted (the service's 409, shown in the activity); once its firewall is gone, it is
    delete(qtbot, window, "web-waf")
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
    assert op.state is OpState.FAILED and "used by the web app firewall" in str(op.error), (op.state, op.error)
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Security", "Web app firewalls")
    qtbot.waitUntil(lambda: "web-lb-waf" in table_rows(window.resources), timeout=10_000)
    delete(qtbot, window, "web-lb-waf")
    wait_done(qtbot, window)
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Security", "WAF policies")
    qtbot.waitUntil(lambda: "web-waf" in table_rows(window.resources), timeout=10_000)
    delete(qtbot, window, "web-waf")
    wait_done(qtbot, window)
    assert waf_service.decide(core, lb["id"], waf_condition.request_document("GET", "http://shop/admin"))["firewall"] \
        is None


def delete(qtbot, window, name):
    from ociconsole.gui.confirm import ConfirmDialog
    select_row(qtbot, window, name)
    trigger(window, "Delete")
    conf = dialog(qtbot, ConfirmDialog)
    retype(qtbot, conf.input, name)
    click(qtbot, conf.ok_button)


def wait_done(qtbot, window):
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED, (op.title, op.detail, op.error)


def _pem_files(tmp_path, cn="www.shop-example.com"):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(7).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=90))
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "shop.crt", tmp_path / "shop.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_waas_certificate_and_policy(qtbot, window, tmp_path, gui_emulator):
    cert_path, key_path = _pem_files(tmp_path)
    open_tree_path(qtbot, window, "Development", "Security", "WAAS certificates")
    dlg = create_dialog(qtbot, window)
    retype(qtbot, dlg.row("display_name").editor, "shop-cert")
    retype(qtbot, dlg.row("certificate_file").editor, str(key_path))  # the key is not a certificate
    qtbot.waitUntil(lambda: "Not a PEM file" in dlg.errors().get("certificate_file", ""), timeout=3000)
    retype(qtbot, dlg.row("certificate_file").editor, str(cert_path))
    retype(qtbot, dlg.row("key_file").editor, str(key_path))
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    click(qtbot, dlg.create_button)  # self-signed without saying so: the service refuses it, the dialog stays
    qtbot.waitUntil(lambda: "self-signed" in dlg.error_text(), timeout=10_000)
    click(qtbot, dlg.back_button)
    dlg.row("self_signed").editor.setChecked(True)
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "BEGIN PRIVATE KEY" not in dlg.python_view.text() and "WAAS_PRIVATE_KEY" in dlg.python_view.text()
    finish(qtbot, window, dlg)
    qtbot.waitUntil(lambda: "shop-cert" in table_rows(window.resources), timeout=10_000)

    open_tree_path(qtbot, window, "Development", "Security", "WAAS policies")
    dlg = create_dialog(qtbot, window)
    retype(qtbot, dlg.row("display_name").editor, "shop-edge")
    retype(qtbot, dlg.row("domain").editor, "not a domain")
    qtbot.waitUntil(lambda: "fully qualified" in dlg.errors().get("domain", ""), timeout=3000)
    retype(qtbot, dlg.row("domain").editor, "www.shop-example.com")
    retype(qtbot, dlg.row("additional_domains").editor, "shop-example.com")
    retype(qtbot, dlg.row("origin").editor, "203.0.113.20")
    dlg.row("https").editor.setChecked(True)
    certs = dlg.row("certificate_id").editor
    qtbot.waitUntil(lambda: certs.count() > 0 and "shop-cert" in certs.currentText(), timeout=5000)
    row = dlg.row("rules")
    click(qtbot, row.add_button)
    row.editor.set_cell(0, "name", "block-admin")
    row.editor.set_cell(0, "condition", "URL_REGEX")
    row.editor.set_cell(0, "value", "^/admin(")
    qtbot.waitUntil(lambda: "not a regular expression" in dlg.errors().get("rules", ""), timeout=3000)
    row.editor.set_cell(0, "condition", "URL_STARTS_WITH")
    row.editor.set_cell(0, "value", "/admin")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    shot(dlg, "security-waas-create")
    click(qtbot, dlg.review_button)
    assert "oci waas waas-policy create" in dlg.cli_view.text() and "URL_STARTS_WITH" in dlg.cli_view.text()
    finish(qtbot, window, dlg)  # followed through WAAS's work request: CREATING, then ACTIVE
    qtbot.waitUntil(lambda: (window.refresh() or True) and "shop-edge" in table_rows(window.resources),
                    timeout=10_000)
    select_row(qtbot, window, "shop-edge")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    rel = related(window)["Domains, origins and rules"]
    assert "CNAME=www-shop-example-com.o.waas.oci.oraclecloud.net" in rel and "HTTPS=on" in rel, rel
    assert "Access rule=block-admin: URL_STARTS_WITH /admin then BLOCK" in rel
    shot(window, "security-waas-policy")

    # its access rules edited (UPDATING, then ACTIVE on WAAS's work request), then its protection settings
    from ociconsole.gui.form_dialog import CreateDialog
    trigger(window, "Edit access rules…")
    edit = dialog(qtbot, CreateDialog, not_this=dlg)
    qtbot.waitUntil(lambda: not edit.busy, timeout=10_000)
    row = edit.row("rules")
    assert row.editor.rowCount() == 1
    click(qtbot, row.add_button)
    row.editor.set_cell(1, "name", "eu-only")
    row.editor.set_cell(1, "condition", "COUNTRY_IS_NOT")
    row.editor.set_cell(1, "value", "DE FR")
    qtbot.waitUntil(lambda: edit.review_button.isEnabled(), timeout=3000)
    click(qtbot, edit.review_button)
    assert "oci waas access-rule update" in edit.cli_view.text()
    assert finish(qtbot, window, edit).title == "Update the access rules of shop-edge"
    trigger(window, "Protection settings…")
    prot = dialog(qtbot, CreateDialog, not_this=edit)
    qtbot.waitUntil(lambda: not prot.busy, timeout=10_000)
    assert prot.row("allowed_http_methods").value() == "OPTIONS GET HEAD POST"
    retype(qtbot, prot.row("allowed_http_methods").editor, "GET POST FETCH")
    qtbot.waitUntil(lambda: "FETCH" in prot.errors().get("allowed_http_methods", ""), timeout=3000)
    retype(qtbot, prot.row("allowed_http_methods").editor, "GET POST")
    pick(qtbot, prot.row("block_response_code").editor, "401")
    qtbot.waitUntil(lambda: prot.review_button.isEnabled(), timeout=3000)
    click(qtbot, prot.review_button)
    assert "oci waas protection-settings update" in prot.cli_view.text()
    finish(qtbot, window, prot)
    import oci
    waas = oci.waas.WaasClient(gui_emulator.client_config(), service_endpoint=gui_emulator.endpoint("waas"))
    pid = next(d["id"] for d in gui_emulator.core.store.list("waaspolicy") if d["displayName"] == "shop-edge")
    assert [(r.name, r.criteria[0].value) for r in waas.list_access_rules(pid).data] == [
        ("block-admin", "/admin"), ("eu-only", "DE FR")]
    ps = waas.get_protection_settings(pid).data
    assert (ps.block_response_code, ps.allowed_http_methods, ps.max_argument_count) == (401, ["GET", "POST"], 255)


def test_attach_a_waf_policy_from_a_load_balancer(qtbot, window, gui_emulator):
    """The form a load balancer's page opens ("Attach WAF policy…"): the policy is picked, the load balancer is
    the page's."""
    import oci

    from ociconsole import catalog
    from ociconsole.catalog import security
    from ociconsole.emulator.services import waf as waf_service
    from ociconsole.gui.form_dialog import CreateDialog
    cfg = gui_emulator.client_config()
    lbc = oci.load_balancer.LoadBalancerClient(cfg, service_endpoint=gui_emulator.endpoint("load_balancer"))
    waf = oci.waf.WafClient(cfg, service_endpoint=gui_emulator.endpoint("waf"))
    lb = next(x for x in gui_emulator.core.store.list("load_balancer") if x["displayName"] == "web-lb")
    web_lb = lbc.get_load_balancer(lb["id"]).data
    W = oci.waf.models
    pol = waf.create_web_app_firewall_policy(W.CreateWebAppFirewallPolicyDetails(
        compartment_id=web_lb.compartment_id, display_name="no-php", actions=[
            W.AllowAction(name="allow"), W.ReturnHttpResponseAction(name="deny", code=404)],
        request_access_control=W.RequestAccessControl(default_action_name="allow", rules=[W.AccessControlRule(
            name="no-php", action_name="deny", condition="i_ends_with(http.request.url.path, '.php')")]))).data
    settled(gui_emulator, lambda: waf.get_web_app_firewall_policy(pol.id), "ACTIVE")

    spec = security.attach_form(load_balancer=web_lb)
    assert spec.title == "Attach a WAF policy to web-lb" and "load_balancer_id" not in [f.name for f in spec.fields]
    dlg = CreateDialog(spec, window.form_context(), window.session, window.oplog,
                       catalog.kind("security.web_app_firewall"), window)
    qtbot.addWidget(dlg)
    dlg.open()
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    policies = dlg.row("policy_id").editor
    qtbot.waitUntil(lambda: policies.count() > 0 and "no-php" in policies.currentText(), timeout=10_000)
    qtbot.waitUntil(lambda: "$5.00 per month" in dlg.cost_text(), timeout=3000)  # at list price (the first is free)
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert f"--load-balancer-id {web_lb.id}" in dlg.cli_view.text()
    op = finish(qtbot, window, dlg)
    assert op.title == "Attach a WAF policy to web-lb"
    core = gui_emulator.core
    assert waf_service.decide(core, lb["id"], waf_condition.request_document("GET", "http://x/a.PHP"))["code"] == 404
    assert waf_service.decide(core, lb["id"], waf_condition.request_document("GET", "http://x/a.html"))["code"] is None
