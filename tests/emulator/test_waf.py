"""Web Application Firewall through the unmodified SDK and the `oci` CLI: policies with actions, access control
rules whose JMESPath conditions are checked (a bad one refused naming its column), rate limiting and
protection rules with the listed capabilities, WAF's own work requests, and the policy's decision for a
request (a rule that blocks a path answers 403)."""

from __future__ import annotations

import json

import oci
import pytest

from ociconsole.emulator.services import waf as waf_service
from ociconsole.lang import waf_condition

from .helpers import IM, NO_RETRY, WAIT, run_oci, unique

E = oci.exceptions.ServiceError
W = oci.waf.models


@pytest.fixture
def waf(emulator, oci_config):
    return oci.waf.WafClient(oci_config, service_endpoint=emulator.endpoint("waf"), **NO_RETRY)


@pytest.fixture
def comp(clients):
    return clients.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=clients.tenancy, name=unique("waf"), description="waf test")).data.id


def wait_wr(client, resp):
    wr = resp.headers["opc-work-request-id"]
    return oci.wait_until(client, client.get_work_request(wr), "status", "SUCCEEDED", **WAIT).data


def block_admin_policy(comp, condition="i_starts_with(http.request.url.path, '/admin')", **kw):
    d = dict(
        compartment_id=comp, display_name=unique("shop-waf"),
        actions=[W.AllowAction(name="allow"), W.CheckAction(name="check"),
                 W.ReturnHttpResponseAction(name="block-403", code=403,
                                            headers=[W.ResponseHeader(name="x-blocked-by", value="waf")],
                                            body=W.StaticTextHttpResponseBody(text="Forbidden"))],
        request_access_control=W.RequestAccessControl(default_action_name="allow", rules=[
            W.AccessControlRule(name="log-api", condition="starts_with(http.request.url.path, '/api')",
                                action_name="check"),
            W.AccessControlRule(name="block-admin", condition=condition, action_name="block-403")]))
    d.update(kw)
    return W.CreateWebAppFirewallPolicyDetails(**d)


def test_sdk_creates_a_policy_that_blocks_a_path_and_waits_on_its_work_request(emulator, waf, comp):
    resp = waf.create_web_app_firewall_policy(block_admin_policy(comp))
    pol = resp.data
    assert pol.lifecycle_state == "CREATING"
    wr = wait_wr(waf, resp)
    assert wr.operation_type == "CREATE_WAF_POLICY" and wr.percent_complete == 100
    assert wr.resources[0].identifier == pol.id and wr.resources[0].action_type == "CREATED"
    got = waf.get_web_app_firewall_policy(pol.id).data
    assert got.lifecycle_state == "ACTIVE"
    rule = got.request_access_control.rules[1]
    assert (rule.name, rule.condition_language, rule.action_name) == ("block-admin", "JMESPATH", "block-403")
    assert isinstance(got.actions[2], W.ReturnHttpResponseAction) and got.actions[2].code == 403
    assert got.actions[2].body.text == "Forbidden"
    listed = waf.list_web_app_firewall_policies(comp).data.items
    assert [p.id for p in listed] == [pol.id]
    logs = waf.list_work_request_logs(wr.id).data.items
    assert logs and logs[-1].message
    assert waf.list_work_request_errors(wr.id).data.items == []
    assert wr.id in [w.id for w in waf.list_work_requests(comp).data.items]

    # the policy's decision, as WAF evaluates it for requests
    stored = emulator.core.store.get(waf_service.POLICY_KIND, pol.id)
    blocked = waf_service.evaluate(stored, waf_condition.request_document("GET", "https://shop.example.com/Admin/x"))
    assert (blocked["type"], blocked["code"], blocked["rule"]) == ("RETURN_HTTP_RESPONSE", 403, "block-admin")
    api = waf_service.evaluate(stored, waf_condition.request_document("POST", "https://shop.example.com/api/cart"))
    assert (api["type"], api["code"], api["checked"]) == ("ALLOW", None, ["requestAccessControl/log-api"])

    # update: the rule now blocks /private as well (UPDATING, then ACTIVE with its work request)
    upd = waf.update_web_app_firewall_policy(pol.id, W.UpdateWebAppFirewallPolicyDetails(
        display_name="shop-waf-2", request_access_control=W.RequestAccessControl(
            default_action_name="allow", rules=[W.AccessControlRule(
                name="block-admin", action_name="block-403",
                condition="i_starts_with(http.request.url.path, '/admin') || "
                          "i_starts_with(http.request.url.path, '/private')")])))
    assert wait_wr(waf, upd).operation_type == "UPDATE_WAF_POLICY"
    got = waf.get_web_app_firewall_policy(pol.id).data
    assert got.display_name == "shop-waf-2" and got.lifecycle_state == "ACTIVE"
    stored = emulator.core.store.get(waf_service.POLICY_KIND, pol.id)
    assert waf_service.evaluate(stored, waf_condition.request_document("GET", "http://h/private/a"))["code"] == 403

    other = clients_comp(waf, comp, emulator)
    mv = waf.change_web_app_firewall_policy_compartment(pol.id, W.ChangeWebAppFirewallPolicyCompartmentDetails(
        compartment_id=other))
    assert wait_wr(waf, mv).operation_type == "MOVE_WAF_POLICY"
    assert waf.get_web_app_firewall_policy(pol.id).data.compartment_id == other

    dl = waf.delete_web_app_firewall_policy(pol.id)
    assert wait_wr(waf, dl).operation_type == "DELETE_WAF_POLICY"
    assert waf.get_web_app_firewall_policy(pol.id).data.lifecycle_state == "DELETED"


def clients_comp(waf, comp, emulator) -> str:
    ident = oci.identity.IdentityClient(emulator.client_config(), service_endpoint=emulator.endpoint("identity"),
                                        **NO_RETRY)
    return ident.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=emulator.client_config()["tenancy"], name=unique("waf2"), description="moved")).data.id


@pytest.mark.parametrize("condition, column", [
    ("i_starts_with(http.request.url.path, ", 38),
    ("http.request.url.path === '/admin'", 25),
    ("startswith(http.request.url.path, '/admin')", 1),
    ("contains(http.request.url.path)", 1),
    ("http.request.url.path == '/admin", 26),
])
def test_a_condition_that_does_not_parse_is_refused_naming_its_column(waf, comp, condition, column):
    with pytest.raises(E) as e:
        waf.create_web_app_firewall_policy(block_admin_policy(comp, condition=condition))
    assert (e.value.status, e.value.code) == (400, "InvalidParameter")
    assert "requestAccessControl.rules[1].condition" in e.value.message
    assert f"column {column}" in e.value.message
    assert waf.list_web_app_firewall_policies(comp).data.items == []


def test_policy_rules_are_checked_as_oci_checks_them(waf, comp):
    def refused(**kw):
        with pytest.raises(E) as e:
            waf.create_web_app_firewall_policy(block_admin_policy(comp, **kw))
        assert e.value.status == 400
        return e.value.message

    assert "no action named 'nope'" in refused(request_access_control=W.RequestAccessControl(
        default_action_name="allow", rules=[W.AccessControlRule(name="r", action_name="nope", condition="true")]))
    assert "must be of type ALLOW or RETURN_HTTP_RESPONSE" in refused(
        request_access_control=W.RequestAccessControl(default_action_name="check"))
    assert "200-599" in refused(actions=[W.ReturnHttpResponseAction(name="bad", code=99)],
                                request_access_control=None)
    assert "defined twice" in refused(actions=[W.AllowAction(name="a"), W.CheckAction(name="a")],
                                      request_access_control=None)
    assert "periodInSeconds" in refused(request_rate_limiting=W.RequestRateLimiting(rules=[
        W.RequestRateLimitingRule(name="rl", action_name="block-403", configurations=[
            W.RequestRateLimitingConfiguration(period_in_seconds=0, requests_limit=10)])]))
    assert "not a protection capability" in refused(request_protection=W.RequestProtection(rules=[
        W.ProtectionRule(name="p", action_name="block-403", protection_capabilities=[
            W.ProtectionCapability(key="123", version=1)])]))


def test_rate_limiting_and_protection_with_listed_capabilities(emulator, waf, comp):
    caps = waf.list_protection_capabilities(comp).data.items
    keys = {c.key: c for c in caps}
    assert "9300000" in keys and keys["9300000"].collaborative_action_threshold == 4
    sqli = waf.list_protection_capabilities(comp, group_tag=["SQLi"]).data.items
    assert [c.key for c in sqli] == ["9420000"]
    assert {c.type for c in waf.list_protection_capabilities(
        comp, type="RESPONSE_PROTECTION_CAPABILITY").data.items} == {"RESPONSE_PROTECTION_CAPABILITY"}
    tags = [t.name for t in waf.list_protection_capability_group_tags(comp).data.items]
    assert "Recommended" in tags and "OWASP" in tags and tags == sorted(tags)

    lfi = keys["9300000"]
    resp = waf.create_web_app_firewall_policy(block_admin_policy(
        comp, request_rate_limiting=W.RequestRateLimiting(rules=[W.RequestRateLimitingRule(
            name="login-limit", action_name="block-403",
            condition="http.request.url.path == '/login'", configurations=[
                W.RequestRateLimitingConfiguration(period_in_seconds=60, requests_limit=10,
                                                   action_duration_in_seconds=300)])]),
        request_protection=W.RequestProtection(body_inspection_size_limit_in_bytes=8192, rules=[W.ProtectionRule(
            name="owasp", action_name="block-403", is_body_inspection_enabled=True, protection_capabilities=[
                W.ProtectionCapability(key=lfi.key, version=lfi.version, collaborative_action_threshold=4,
                                       collaborative_weights=[W.CollaborativeCapabilityWeightOverride(
                                           key=lfi.collaborative_weights[0].key, weight=3)],
                                       exclusions=W.ProtectionCapabilityExclusions(args=["q"])),
                W.ProtectionCapability(key="911100", version=1)],
            protection_capability_settings=W.ProtectionCapabilitySettings(
                max_number_of_arguments=255, allowed_http_methods=["GET", "POST"]))])))
    wait_wr(waf, resp)
    got = waf.get_web_app_firewall_policy(resp.data.id).data
    # what the policy does: /login more than 10 times a minute from one address answers 403 for 5 minutes
    doc = emulator.core.store.get(waf_service.POLICY_KIND, got.id)
    state: dict = {}
    login = waf_condition.request_document("POST", "https://shop/login", source_address="198.51.100.9")
    other = waf_condition.request_document("POST", "https://shop/login", source_address="198.51.100.10")
    assert [waf_service.evaluate(doc, login, 1000.0 + i, state)["code"] for i in range(11)] == [None] * 10 + [403]
    limited = waf_service.evaluate(doc, login, 1020.0, state)
    assert (limited["module"], limited["rule"], limited["code"]) == ("requestRateLimiting", "login-limit", 403)
    assert waf_service.evaluate(doc, other, 1020.0, state)["code"] is None  # another client
    assert waf_service.evaluate(doc, login, 1010.0 + 301, state)["code"] is None  # the 300 s are over
    # protection: only GET and POST, at most 255 arguments; the attack groups are not evaluated here
    put = waf_service.evaluate(doc, waf_condition.request_document("PUT", "https://shop/cart"))
    assert (put["module"], put["rule"], put["code"]) == ("requestProtection", "owasp", 403)
    many = waf_service.evaluate(doc, waf_condition.request_document("GET", "https://shop/?" + "&".join(
        f"a{i}=1" for i in range(256))))
    assert many["code"] is None and many["unevaluated"] == [lfi.key]  # 920380 is not among this rule's
    rl = got.request_rate_limiting.rules[0]
    assert rl.configurations[0].requests_limit == 10 and rl.configurations[0].action_duration_in_seconds == 300
    pr = got.request_protection.rules[0]
    assert pr.protection_capabilities[0].collaborative_weights[0].weight == 3
    assert pr.protection_capability_settings.allowed_http_methods == ["GET", "POST"]


def test_cli_creates_a_policy_and_refuses_a_bad_condition(emulator, comp, tmp_path):
    cfg = tmp_path / "config"
    emulator.write_config(cfg)
    actions = [{"type": "ALLOW", "name": "allow"}, {"type": "RETURN_HTTP_RESPONSE", "name": "deny", "code": 403}]
    rac = {"defaultActionName": "allow", "rules": [{
        "type": "ACCESS_CONTROL", "name": "block-admin", "actionName": "deny", "conditionLanguage": "JMESPATH",
        "condition": "i_starts_with(http.request.url.path, '/admin')"}]}
    out = run_oci(cfg, emulator.endpoint("waf"), "waf", "web-app-firewall-policy", "create",
                  "--compartment-id", comp, "--display-name", "cli-waf", "--actions", json.dumps(actions),
                  "--request-access-control", json.dumps(rac), "--wait-for-state", "SUCCEEDED")
    assert out["data"]["status"] == "SUCCEEDED" and out["data"]["operation-type"] == "CREATE_WAF_POLICY"
    got = run_oci(cfg, emulator.endpoint("waf"), "waf", "web-app-firewall-policy", "list", "--compartment-id", comp)
    assert [p["display-name"] for p in got["data"]["items"]] == ["cli-waf"]
    assert got["data"]["items"][0]["lifecycle-state"] == "ACTIVE"

    rac["rules"][0]["condition"] = "i_starts_with(http.request.url.path, '/admin'"
    with pytest.raises(AssertionError) as e:
        run_oci(cfg, emulator.endpoint("waf"), "waf", "web-app-firewall-policy", "create",
                "--compartment-id", comp, "--actions", json.dumps(actions),
                "--request-access-control", json.dumps(rac))
    assert "InvalidParameter" in str(e.value) and "column" in str(e.value)


# ---------------------------------------------------------------- web app firewalls on load balancers

@pytest.fixture
def lb(emulator, oci_config, net):
    lbc = oci.load_balancer.LoadBalancerClient(oci_config, service_endpoint=emulator.endpoint("load_balancer"),
                                               **NO_RETRY)
    LM = oci.load_balancer.models
    return oci.load_balancer.LoadBalancerClientCompositeOperations(lbc).create_load_balancer_and_wait_for_state(
        LM.CreateLoadBalancerDetails(
            compartment_id=net.compartment_id, display_name="shop-lb", shape_name="flexible",
            shape_details=LM.ShapeDetails(minimum_bandwidth_in_mbps=10, maximum_bandwidth_in_mbps=10),
            subnet_ids=[net.subnet_id], is_private=False), ["SUCCEEDED"], waiter_kwargs=WAIT).data


def test_a_firewall_attaches_a_policy_to_a_load_balancer_and_blocks_the_path(emulator, waf, net, lb):
    comp = net.compartment_id
    pol_resp = waf.create_web_app_firewall_policy(block_admin_policy(comp))
    wait_wr(waf, pol_resp)
    pol = pol_resp.data
    resp = waf.create_web_app_firewall(W.CreateWebAppFirewallLoadBalancerDetails(
        compartment_id=comp, display_name="shop-waf", backend_type="LOAD_BALANCER", load_balancer_id=lb.id,
        web_app_firewall_policy_id=pol.id))
    fw = resp.data
    assert isinstance(fw, W.WebAppFirewallLoadBalancer) and fw.lifecycle_state == "CREATING"
    assert wait_wr(waf, resp).operation_type == "CREATE_WEB_APP_FIREWALL"
    got = waf.get_web_app_firewall(fw.id).data
    assert (got.lifecycle_state, got.load_balancer_id, got.web_app_firewall_policy_id) == ("ACTIVE", lb.id, pol.id)
    assert [f.id for f in waf.list_web_app_firewalls(comp, web_app_firewall_policy_id=pol.id).data.items] == [fw.id]

    # the load balancer's traffic meets the policy: /admin answers 403, the rest goes through
    core = emulator.core
    admin = waf_service.decide(core, lb.id, waf_condition.request_document("GET", "http://shop/admin"))
    assert (admin["code"], admin["rule"], admin["firewall"]) == (403, "block-admin", fw.id)
    assert waf_service.decide(core, lb.id, waf_condition.request_document("GET", "http://shop/"))["type"] == "ALLOW"

    # one firewall per load balancer; the load balancer and the policy must exist; a used policy stays
    with pytest.raises(E) as e:
        waf.create_web_app_firewall(W.CreateWebAppFirewallLoadBalancerDetails(
            compartment_id=comp, backend_type="LOAD_BALANCER", load_balancer_id=lb.id,
            web_app_firewall_policy_id=pol.id))
    assert (e.value.status, e.value.code) == (409, "Conflict")
    with pytest.raises(E) as e:
        waf.create_web_app_firewall(W.CreateWebAppFirewallLoadBalancerDetails(
            compartment_id=comp, backend_type="LOAD_BALANCER", web_app_firewall_policy_id=pol.id,
            load_balancer_id="ocid1.loadbalancer.oc1.iad.aaaaaaaanope"))
    assert e.value.status == 404 and "loadBalancerId" in e.value.message
    with pytest.raises(E) as e:
        waf.delete_web_app_firewall_policy(pol.id)
    assert e.value.status == 409

    # another policy (allow everything) through an update; a move; then the firewall is deleted
    open_resp = waf.create_web_app_firewall_policy(W.CreateWebAppFirewallPolicyDetails(
        compartment_id=comp, display_name="open", actions=[W.AllowAction(name="allow")],
        request_access_control=W.RequestAccessControl(default_action_name="allow")))
    wait_wr(waf, open_resp)
    upd = waf.update_web_app_firewall(fw.id, W.UpdateWebAppFirewallDetails(
        web_app_firewall_policy_id=open_resp.data.id, display_name="shop-waf-open"))
    assert wait_wr(waf, upd).operation_type == "UPDATE_WEB_APP_FIREWALL"
    assert waf_service.decide(core, lb.id, waf_condition.request_document("GET", "http://shop/admin"))["code"] is None
    other = clients_comp(waf, comp, emulator)
    mv = waf.change_web_app_firewall_compartment(fw.id, W.ChangeWebAppFirewallCompartmentDetails(
        compartment_id=other))
    assert wait_wr(waf, mv).operation_type == "MOVE_WEB_APP_FIREWALL"
    assert waf.get_web_app_firewall(fw.id).data.compartment_id == other
    wait_wr(waf, waf.delete_web_app_firewall(fw.id))
    assert waf.get_web_app_firewall(fw.id).data.lifecycle_state == "DELETED"
    assert waf_service.decide(core, lb.id, waf_condition.request_document("GET", "http://x/admin"))["firewall"] is None
    wait_wr(waf, waf.delete_web_app_firewall_policy(pol.id))  # no longer in use


def test_cli_attaches_a_policy_to_a_load_balancer(emulator, waf, net, lb, tmp_path):
    cfg = tmp_path / "config"
    emulator.write_config(cfg)
    pol = waf.create_web_app_firewall_policy(block_admin_policy(net.compartment_id))
    wait_wr(waf, pol)
    out = run_oci(cfg, emulator.endpoint("waf"), "waf", "web-app-firewall", "create-for-load-balancer",
                  "--compartment-id", net.compartment_id, "--load-balancer-id", lb.id,
                  "--web-app-firewall-policy-id", pol.data.id, "--wait-for-state", "SUCCEEDED")
    assert out["data"]["status"] == "SUCCEEDED" and out["data"]["operation-type"] == "CREATE_WEB_APP_FIREWALL"
    fws = waf.list_web_app_firewalls(net.compartment_id).data.items
    assert [(f.lifecycle_state, f.backend_type) for f in fws] == [("ACTIVE", "LOAD_BALANCER")]
