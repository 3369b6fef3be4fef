"""Load Balancer through the unmodified SDK and the `oci` CLI: a load balancer with a backend set, backends and a
listener (each waiting on its work request), computed health following the backends' instances, OCI's checks
(shapes, subnets, overlapping ports, unknown backend sets, certificates whose key does not match), the parts
kept by name (hostnames, path route sets, rule sets, certificates), oci_lbaas metrics and the demo seed."""

from __future__ import annotations

import datetime

import oci
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from .helpers import NO_RETRY, WAIT, M, launch_running, run_oci, wait_state

E = oci.exceptions.ServiceError
LM = oci.load_balancer.models


@pytest.fixture
def lbc(emulator, oci_config):
    return oci.load_balancer.LoadBalancerClient(oci_config, service_endpoint=emulator.endpoint("load_balancer"),
                                                **NO_RETRY)


@pytest.fixture
def composite(lbc):
    return oci.load_balancer.LoadBalancerClientCompositeOperations(lbc)


def wait_wr(lbc, resp):
    wr = resp.headers["opc-work-request-id"]
    return oci.wait_until(lbc, lbc.get_work_request(wr), "lifecycle_state", "SUCCEEDED", **WAIT).data


def hc(**kw):
    d = dict(protocol="HTTP", url_path="/health", port=80, return_code=200, retries=3, interval_in_millis=10000,
             timeout_in_millis=3000)
    d.update(kw)
    return LM.HealthCheckerDetails(**d)


def self_signed(cn: str = "www.example.com"):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    pem_key = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    return cert.public_bytes(serialization.Encoding.PEM).decode(), pem_key


def create_lb(composite, net, **kw):
    d = dict(compartment_id=net.compartment_id, display_name="web-lb-test", shape_name="flexible",
             shape_details=LM.ShapeDetails(minimum_bandwidth_in_mbps=10, maximum_bandwidth_in_mbps=100),
             subnet_ids=[net.subnet_id], is_private=False)
    d.update(kw)
    return composite.create_load_balancer_and_wait_for_state(LM.CreateLoadBalancerDetails(**d), ["SUCCEEDED"],
                                                             waiter_kwargs=WAIT).data


def private_ip(clients, inst) -> str:
    att = clients.compute.list_vnic_attachments(inst.compartment_id, instance_id=inst.id).data[0]
    return clients.network.get_vnic(att.vnic_id).data.private_ip


def test_sdk_builds_a_load_balancer_and_reads_health_following_the_instances(clients, net, lbc, composite):
    web1, web2 = launch_running(clients, net), launch_running(clients, net)
    ip1, ip2 = private_ip(clients, web1), private_ip(clients, web2)
    lb = create_lb(composite, net)
    assert lb.lifecycle_state == "ACTIVE" and lb.shape_name == "flexible"
    assert lb.shape_details.maximum_bandwidth_in_mbps == 100 and lb.ip_addresses[0].is_public
    assert lbc.get_load_balancer_health(lb.id).data.status == "UNKNOWN"  # no backend sets yet
    composite.create_backend_set_and_wait_for_state(LM.CreateBackendSetDetails(
        name="web", policy="ROUND_ROBIN", health_checker=hc(),
        session_persistence_configuration=LM.SessionPersistenceConfigurationDetails(cookie_name="JSESSIONID")),
        lb.id, ["SUCCEEDED"], waiter_kwargs=WAIT)
    assert lbc.get_backend_set_health(lb.id, "web").data.status == "UNKNOWN"  # no backends
    for ip in (ip1, ip2):
        composite.create_backend_and_wait_for_state(LM.CreateBackendDetails(ip_address=ip, port=80, weight=2),
                                                    lb.id, "web", ["SUCCEEDED"], waiter_kwargs=WAIT)
    composite.create_listener_and_wait_for_state(LM.CreateListenerDetails(
        name="http", default_backend_set_name="web", port=80, protocol="HTTP",
        connection_configuration=LM.ConnectionConfiguration(idle_timeout=120)), lb.id, ["SUCCEEDED"],
        waiter_kwargs=WAIT)
    got = lbc.get_load_balancer(lb.id).data
    assert got.listeners["http"].connection_configuration.idle_timeout == 120
    assert sorted(b.name for b in got.backend_sets["web"].backends) == sorted([f"{ip1}:80", f"{ip2}:80"])
    assert [b.weight for b in lbc.list_backends(lb.id, "web").data] == [2, 2]
    assert lbc.get_backend(lb.id, "web", f"{ip1}:80").data.port == 80
    assert lbc.get_backend_set(lb.id, "web").data.session_persistence_configuration.cookie_name == "JSESSIONID"
    assert [b.name for b in lbc.list_backend_sets(lb.id).data] == ["web"]
    h = lbc.get_backend_health(lb.id, "web", f"{ip1}:80").data
    assert h.status == "OK" and h.health_check_results[0].health_check_status == "OK"
    assert lbc.get_backend_set_health(lb.id, "web").data.status == "OK"
    assert lbc.get_load_balancer_health(lb.id).data.status == "OK"

    # one backend's instance stops: CRITICAL for it, WARNING for the set and the load balancer
    clients.compute.instance_action(web2.id, "STOP")
    wait_state(clients.compute, clients.compute.get_instance, web2.id, "STOPPED")
    h = lbc.get_backend_health(lb.id, "web", f"{ip2}:80").data
    assert h.status == "CRITICAL" and h.health_check_results[0].health_check_status == "CONNECT_FAILED"
    bsh = lbc.get_backend_set_health(lb.id, "web").data
    assert bsh.status == "WARNING" and bsh.critical_state_backend_names == [f"{ip2}:80"]
    assert bsh.total_backend_count == 2
    lbh = lbc.get_load_balancer_health(lb.id).data
    assert lbh.status == "WARNING" and lbh.warning_state_backend_set_names == ["web"]
    summary = lbc.list_load_balancer_healths(net.compartment_id).data
    assert [(s.load_balancer_id, s.status) for s in summary] == [(lb.id, "WARNING")]
    # and the other is taken offline: fewer than half OK
    composite.update_backend_and_wait_for_state(LM.UpdateBackendDetails(weight=1, backup=False, drain=False,
                                                                        offline=True), lb.id, "web",
                                                f"{ip1}:80", ["SUCCEEDED"], waiter_kwargs=WAIT)
    assert lbc.get_backend_health(lb.id, "web", f"{ip1}:80").data.health_check_results[0].health_check_status \
        == "OFFLINE"
    assert lbc.get_backend_set_health(lb.id, "web").data.status == "CRITICAL"
    assert lbc.get_load_balancer_health(lb.id).data.status == "CRITICAL"
    # the work requests of the load balancer, newest first
    wrs = lbc.list_work_requests(lb.id).data
    assert wrs[0].type == "UpdateBackend" and wrs[-1].type == "CreateLoadBalancer"
    assert all(w.lifecycle_state == "SUCCEEDED" for w in wrs)


def test_oci_refusals(clients, net, lbc, composite):
    lb = create_lb(composite, net)
    composite.create_backend_set_and_wait_for_state(LM.CreateBackendSetDetails(
        name="web", policy="LEAST_CONNECTIONS", health_checker=hc(protocol="TCP", url_path=None)),
        lb.id, ["SUCCEEDED"], waiter_kwargs=WAIT)
    composite.create_listener_and_wait_for_state(LM.CreateListenerDetails(
        name="http", default_backend_set_name="web", port=80, protocol="HTTP"), lb.id, ["SUCCEEDED"],
        waiter_kwargs=WAIT)
    # a second listener on the same port
    with pytest.raises(E) as e:
        lbc.create_listener(LM.CreateListenerDetails(name="http2", default_backend_set_name="web", port=80,
                                                     protocol="TCP"), lb.id)
    assert e.value.status == 400 and "already used by the listener 'http'" in e.value.message
    # an unknown backend set
    with pytest.raises(E) as e:
        lbc.create_listener(LM.CreateListenerDetails(name="tcp", default_backend_set_name="nope", port=8080,
                                                     protocol="TCP"), lb.id)
    assert e.value.status == 400 and "no backend set 'nope'" in e.value.message
    with pytest.raises(E) as e:
        lbc.create_backend(LM.CreateBackendDetails(ip_address="10.77.1.9", port=80), lb.id, "nope")
    assert e.value.status == 404
    # a certificate whose key is another one's
    pub, _key = self_signed()
    _pub2, other_key = self_signed("other.example.com")
    with pytest.raises(E) as e:
        lbc.create_certificate(LM.CreateCertificateDetails(certificate_name="www", public_certificate=pub,
                                                           private_key=other_key), lb.id)
    assert e.value.status == 400 and "does not match" in e.value.message
    with pytest.raises(E) as e:
        lbc.create_certificate(LM.CreateCertificateDetails(certificate_name="www", public_certificate="garbage",
                                                           private_key=other_key), lb.id)
    assert e.value.status == 400 and "not a PEM" in e.value.message
    # the same backend twice, bad shapes, bad subnets
    lbc.create_backend(LM.CreateBackendDetails(ip_address="10.77.1.9", port=80), lb.id, "web")
    with pytest.raises(E) as e:
        lbc.create_backend(LM.CreateBackendDetails(ip_address="10.77.1.9", port=80), lb.id, "web")
    assert e.value.status == 409
    for details in ({"minimum_bandwidth_in_mbps": 5, "maximum_bandwidth_in_mbps": 100},
                    {"minimum_bandwidth_in_mbps": 100, "maximum_bandwidth_in_mbps": 9000},
                    {"minimum_bandwidth_in_mbps": 200, "maximum_bandwidth_in_mbps": 100}):
        with pytest.raises(E) as e:
            lbc.create_load_balancer(LM.CreateLoadBalancerDetails(
                compartment_id=net.compartment_id, display_name="x", shape_name="flexible",
                shape_details=LM.ShapeDetails(**details), subnet_ids=[net.subnet_id]))
        assert e.value.status == 400 and "shapeDetails" in e.value.message
    with pytest.raises(E) as e:
        lbc.create_load_balancer(LM.CreateLoadBalancerDetails(
            compartment_id=net.compartment_id, display_name="x", shape_name="flexible",
            shape_details=LM.ShapeDetails(minimum_bandwidth_in_mbps=10, maximum_bandwidth_in_mbps=10),
            subnet_ids=["ocid1.subnet.oc1.iad.aaaanope"]))
    assert e.value.status == 404
    # the backend set in use cannot go; the listener first
    with pytest.raises(E) as e:
        lbc.delete_backend_set(lb.id, "web")
    assert e.value.status == 409
    wait_wr(lbc, lbc.delete_listener(lb.id, "http"))
    wait_wr(lbc, lbc.delete_backend_set(lb.id, "web"))
    assert lbc.list_backend_sets(lb.id).data == []


def test_certificates_https_hostnames_routes_rule_sets_and_shapes(clients, net, lbc, composite):
    pub, key = self_signed()
    lb = create_lb(composite, net, backend_sets={"api": LM.BackendSetDetails(
        policy="IP_HASH", health_checker=hc(), backends=[LM.BackendDetails(ip_address="10.77.1.50", port=8080)])},
        certificates={"www": LM.CertificateDetails(certificate_name="www", public_certificate=pub, private_key=key)})
    assert lb.backend_sets["api"].backends[0].name == "10.77.1.50:8080"
    assert lbc.get_backend_set_health(lb.id, "api").data.status == "CRITICAL"  # nobody owns 10.77.1.50
    pub2, key2 = self_signed("static.example.com")
    wait_wr(lbc, lbc.create_certificate(LM.CreateCertificateDetails(
        certificate_name="static", public_certificate=pub2, private_key=key2), lb.id))
    assert sorted(c.certificate_name for c in lbc.list_certificates(lb.id).data) == ["static", "www"]
    wait_wr(lbc, lbc.create_hostname(LM.CreateHostnameDetails(name="www", hostname="www.example.com"), lb.id))
    assert lbc.get_hostname(lb.id, "www").data.hostname == "www.example.com"
    assert [h.name for h in lbc.list_hostnames(lb.id).data] == ["www"]
    wait_wr(lbc, lbc.create_path_route_set(LM.CreatePathRouteSetDetails(name="routes", path_routes=[LM.PathRoute(
        path="/api", path_match_type=LM.PathMatchType(match_type="PREFIX_MATCH"), backend_set_name="api")]),
        lb.id))
    assert lbc.get_path_route_set(lb.id, "routes").data.path_routes[0].backend_set_name == "api"
    assert [p.name for p in lbc.list_path_route_sets(lb.id).data] == ["routes"]
    wait_wr(lbc, lbc.create_rule_set(lb.id, LM.CreateRuleSetDetails(name="hdr", items=[LM.AddHttpRequestHeaderRule(
        header="X-From", value="lb")])))
    assert lbc.get_rule_set(lb.id, "hdr").data.items[0].header == "X-From"
    assert [r.name for r in lbc.list_rule_sets(lb.id).data] == ["hdr"]
    wait_wr(lbc, lbc.create_listener(LM.CreateListenerDetails(
        name="https", default_backend_set_name="api", port=443, protocol="HTTP", hostname_names=["www"],
        path_route_set_name="routes", rule_set_names=["hdr"],
        ssl_configuration=LM.SSLConfigurationDetails(certificate_name="www")), lb.id))
    wait_wr(lbc, lbc.update_listener(LM.UpdateListenerDetails(
        default_backend_set_name="api", port=8443, protocol="HTTP2", hostname_names=["www"], rule_set_names=[],
        ssl_configuration=LM.SSLConfigurationDetails(certificate_name="www")), lb.id, "https"))
    li = lbc.get_load_balancer(lb.id).data.listeners["https"]
    assert li.port == 8443 and li.protocol == "HTTP2" and li.ssl_configuration.certificate_name == "www"
    # in use: refused; once unused, gone
    for call in (lambda: lbc.delete_certificate(lb.id, "www"), lambda: lbc.delete_hostname(lb.id, "www")):
        with pytest.raises(E) as e:
            call()
        assert e.value.status == 409
    with pytest.raises(E) as e:  # a backup backend under IP_HASH
        lbc.create_backend(LM.CreateBackendDetails(ip_address="10.77.1.51", port=8080, backup=True), lb.id, "api")
    assert e.value.status == 400
    wait_wr(lbc, lbc.delete_listener(lb.id, "https"))
    for call in (lambda: lbc.delete_certificate(lb.id, "static"), lambda: lbc.delete_hostname(lb.id, "www"),
                 lambda: lbc.delete_path_route_set(lb.id, "routes"), lambda: lbc.delete_rule_set(lb.id, "hdr"),
                 lambda: lbc.delete_backend(lb.id, "api", "10.77.1.50:8080")):
        wait_wr(lbc, call())
    got = lbc.get_load_balancer(lb.id).data
    assert list(got.certificates) == ["www"] and not got.hostnames and not got.path_route_sets and not got.rule_sets
    assert got.backend_sets["api"].backends == []
    # backend set and health checker updates
    wait_wr(lbc, lbc.update_backend_set(LM.UpdateBackendSetDetails(
        policy="ROUND_ROBIN", backends=[LM.BackendDetails(ip_address="10.77.1.60", port=80)],
        health_checker=hc()), lb.id, "api"))
    wait_wr(lbc, lbc.update_health_checker(LM.UpdateHealthCheckerDetails(
        protocol="HTTP", url_path="/ready", port=80, return_code=204, retries=2, timeout_in_millis=2000,
        interval_in_millis=5000, response_body_regex="^ok"), lb.id, "api"))
    checker = lbc.get_health_checker(lb.id, "api").data
    assert checker.url_path == "/ready" and checker.return_code == 204
    assert lbc.get_backend_set(lb.id, "api").data.policy == "ROUND_ROBIN"
    # shape, NSGs, name, compartment
    assert "flexible" in [s.name for s in lbc.list_shapes(net.compartment_id).data]
    assert [p.name for p in lbc.list_policies(net.compartment_id).data] == ["ROUND_ROBIN", "LEAST_CONNECTIONS",
                                                                           "IP_HASH"]
    assert "HTTP2" in [p.name for p in lbc.list_protocols(net.compartment_id).data]
    composite.update_load_balancer_shape_and_wait_for_state(lb.id, LM.UpdateLoadBalancerShapeDetails(
        shape_name="flexible", shape_details=LM.ShapeDetails(minimum_bandwidth_in_mbps=50,
                                                             maximum_bandwidth_in_mbps=500)),
        ["SUCCEEDED"], waiter_kwargs=WAIT)
    nsg = clients.network.create_network_security_group(M.CreateNetworkSecurityGroupDetails(
        compartment_id=net.compartment_id, vcn_id=net.vcn_id, display_name="lb-nsg")).data
    wait_state(clients.network, clients.network.get_network_security_group, nsg.id, "AVAILABLE")
    wait_wr(lbc, lbc.update_network_security_groups(LM.UpdateNetworkSecurityGroupsDetails(
        network_security_group_ids=[nsg.id]), lb.id))
    wait_wr(lbc, lbc.update_load_balancer(LM.UpdateLoadBalancerDetails(display_name="renamed"), lb.id))
    got = lbc.get_load_balancer(lb.id).data
    assert got.display_name == "renamed" and got.shape_details.minimum_bandwidth_in_mbps == 50
    assert got.network_security_group_ids == [nsg.id]
    tenancy = clients.tenancy
    wait_wr(lbc, lbc.change_load_balancer_compartment(lb.id, LM.ChangeLoadBalancerCompartmentDetails(
        compartment_id=tenancy)))
    assert lb.id in [x.id for x in lbc.list_load_balancers(tenancy).data]
    composite.delete_load_balancer_and_wait_for_state(lb.id, ["SUCCEEDED"], waiter_kwargs=WAIT)
    assert lbc.get_load_balancer(lb.id).data.lifecycle_state == "DELETED"


def test_demo_seed_and_metrics(emulator, oci_config, lbc, clients):
    mon = oci.monitoring.MonitoringClient(oci_config, service_endpoint=emulator.endpoint("monitoring"), **NO_RETRY)
    tenancy = oci_config["tenancy"]
    ident = oci.identity.IdentityClient(oci_config, service_endpoint=emulator.endpoint("identity"), **NO_RETRY)
    comps = ident.list_compartments(tenancy, compartment_id_in_subtree=True).data
    frontend = next(c for c in comps if c.name == "Frontend")
    lb = next(x for x in lbc.list_load_balancers(frontend.id).data if x.display_name == "web-lb")
    assert lbc.get_load_balancer_health(lb.id).data.status == "OK"
    now = datetime.datetime.now(datetime.UTC)
    q = oci.monitoring.models.SummarizeMetricsDataDetails(
        namespace="oci_lbaas", query="UnHealthyBackendServers[1m].max()", start_time=now - datetime.timedelta(hours=1),
        end_time=now)
    data = mon.summarize_metrics_data(frontend.id, q).data
    assert data and data[0].dimensions["resourceId"] == lb.id
    assert {p.value for p in data[0].aggregated_datapoints} == {0.0}
    q.query = "BackendServers[1m].max()"
    assert {p.value for p in mon.summarize_metrics_data(frontend.id, q).data[0].aggregated_datapoints} == {2.0}
    # one of two backends down: about half the requests end in 5xx (mostly 502)
    web02 = next(i for i in clients.compute.list_instances(frontend.id).data if i.display_name == "web-02")
    clients.compute.instance_action(web02.id, "STOP")
    wait_state(clients.compute, clients.compute.get_instance, web02.id, "STOPPED")
    q.query = "UnHealthyBackendServers[1m].max()"
    assert mon.summarize_metrics_data(frontend.id, q).data[0].aggregated_datapoints[-1].value == 1.0

    def total(metric):
        q.query = f"{metric}[1h].sum()"
        return sum(p.value for p in mon.summarize_metrics_data(frontend.id, q).data[0].aggregated_datapoints)
    req, r5xx, r502 = total("HttpRequests"), total("HttpResponses5xx"), total("HttpResponses502")
    assert 0.4 * req < r5xx < 0.6 * req and 0.7 * r5xx < r502 <= r5xx


def test_cli_creates_a_load_balancer_and_a_backend(emulator, clients, net, tmp_path, lbc):
    cfg = tmp_path / "config"
    emulator.write_config(cfg)
    ep = emulator.endpoint("load_balancer")
    out = run_oci(cfg, ep, "lb", "load-balancer", "create", "--compartment-id", net.compartment_id,
                  "--display-name", "cli-lb", "--shape-name", "flexible",
                  "--shape-details", '{"minimumBandwidthInMbps": 10, "maximumBandwidthInMbps": 50}',
                  "--subnet-ids", f'["{net.subnet_id}"]', "--wait-for-state", "SUCCEEDED")
    assert out["data"]["lifecycle-state"] == "ACTIVE"  # the CLI reads the load balancer once its request succeeded
    lb_id = out["data"]["id"]
    run_oci(cfg, ep, "lb", "backend-set", "create", "--load-balancer-id", lb_id, "--name", "web",
            "--policy", "ROUND_ROBIN", "--health-checker-protocol", "HTTP", "--health-checker-url-path", "/",
            "--wait-for-state", "SUCCEEDED")
    out = run_oci(cfg, ep, "lb", "backend", "create", "--load-balancer-id", lb_id, "--backend-set-name", "web",
                  "--ip-address", "10.77.1.7", "--port", "80", "--wait-for-state", "SUCCEEDED")
    assert out["data"]["lifecycle-state"] == "SUCCEEDED"
    got = run_oci(cfg, ep, "lb", "backend", "list", "--load-balancer-id", lb_id, "--backend-set-name", "web")
    assert [b["name"] for b in got["data"]] == ["10.77.1.7:80"]
    assert lbc.get_load_balancer(lb_id).data.display_name == "cli-lb"


def test_routing_policies_cipher_suites_and_updates_of_named_parts(net, lbc, composite):
    lb = create_lb(composite, net, backend_sets={
        "api": LM.BackendSetDetails(policy="ROUND_ROBIN", health_checker=hc(), backends=[]),
        "static": LM.BackendSetDetails(policy="ROUND_ROBIN", health_checker=hc(), backends=[])},
        hostnames={"www": LM.HostnameDetails(name="www", hostname="www.example.com")})
    rule = LM.RoutingRule(name="api_rule", condition="any(http.request.url.path sw (i '/api'), "
                          "http.request.headers[(i 'x-api')] eq 'yes')",
                          actions=[LM.ForwardToBackendSet(name="FORWARD_TO_BACKENDSET", backend_set_name="api")])
    wait_wr(lbc, lbc.create_routing_policy(LM.CreateRoutingPolicyDetails(
        name="by_path", condition_language_version="V1", rules=[rule]), lb.id))
    assert lbc.get_routing_policy(lb.id, "by_path").data.rules[0].actions[0].backend_set_name == "api"
    for bad in ("any(http.request.url.path sw (i '/api')", "any(http.request.nope eq 'x')",
                "all(any(all(http.request.url.path eq 'x')))", "http.request.url.path matches 'x'"):
        with pytest.raises(E) as e:
            lbc.create_routing_policy(LM.CreateRoutingPolicyDetails(name="bad", condition_language_version="V1",
                                                                    rules=[LM.RoutingRule(
                                                                        name="r", condition=bad,
                                                                        actions=rule.actions)]), lb.id)
        assert e.value.status == 400 and "does not parse" in e.value.message, bad
    wait_wr(lbc, lbc.update_routing_policy(LM.UpdateRoutingPolicyDetails(
        condition_language_version="V1", rules=[rule, LM.RoutingRule(
            name="hdr", condition="all('x-static' in (http.request.headers))", actions=[LM.ForwardToBackendSet(
                name="FORWARD_TO_BACKENDSET", backend_set_name="static")])]), lb.id, "by_path"))
    assert [p.name for p in lbc.list_routing_policies(lb.id).data] == ["by_path"]
    # cipher suites
    wait_wr(lbc, lbc.create_ssl_cipher_suite(LM.SSLCipherSuiteDetails(
        name="strict", ciphers=["ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384"]), lb.id))
    with pytest.raises(E) as e:
        lbc.create_ssl_cipher_suite(LM.SSLCipherSuiteDetails(name="oci-mine", ciphers=["AES128-SHA"]), lb.id)
    assert e.value.status == 400
    wait_wr(lbc, lbc.update_ssl_cipher_suite(LM.UpdateSSLCipherSuiteDetails(ciphers=["AES256-GCM-SHA384"]),
                                             lb.id, "strict"))
    assert lbc.get_ssl_cipher_suite(lb.id, "strict").data.ciphers == ["AES256-GCM-SHA384"]
    assert [c.name for c in lbc.list_ssl_cipher_suites(lb.id).data] == ["strict"]
    # a listener with the routing policy and a rule set; its rules listed
    wait_wr(lbc, lbc.create_rule_set(lb.id, LM.CreateRuleSetDetails(name="hdr", items=[LM.AddHttpRequestHeaderRule(
        header="X-From", value="lb")])))
    wait_wr(lbc, lbc.create_listener(LM.CreateListenerDetails(
        name="http", default_backend_set_name="static", port=80, protocol="HTTP", routing_policy_name="by_path",
        rule_set_names=["hdr"], hostname_names=["www"]), lb.id))
    rules = lbc.list_listener_rules(lb.id, "http").data
    assert [(r.rule_set_name, r.rule.header) for r in rules] == [("hdr", "X-From")]
    with pytest.raises(E) as e:
        lbc.delete_routing_policy(lb.id, "by_path")
    assert e.value.status == 409
    # updates of the parts kept by name
    wait_wr(lbc, lbc.update_rule_set(lb.id, "hdr", LM.UpdateRuleSetDetails(items=[LM.AddHttpRequestHeaderRule(
        header="X-Via", value="lb")])))
    assert lbc.list_listener_rules(lb.id, "http").data[0].rule.header == "X-Via"
    wait_wr(lbc, lbc.update_hostname(LM.UpdateHostnameDetails(hostname="*.example.com"), lb.id, "www"))
    assert lbc.get_hostname(lb.id, "www").data.hostname == "*.example.com"
    wait_wr(lbc, lbc.create_path_route_set(LM.CreatePathRouteSetDetails(name="routes", path_routes=[LM.PathRoute(
        path="/img", path_match_type=LM.PathMatchType(match_type="PREFIX_MATCH"), backend_set_name="static")]),
        lb.id))
    wait_wr(lbc, lbc.update_path_route_set(LM.UpdatePathRouteSetDetails(path_routes=[LM.PathRoute(
        path="/api", path_match_type=LM.PathMatchType(match_type="EXACT_MATCH"), backend_set_name="api")]),
        lb.id, "routes"))
    assert lbc.get_path_route_set(lb.id, "routes").data.path_routes[0].path == "/api"
    wait_wr(lbc, lbc.delete_listener(lb.id, "http"))
    wait_wr(lbc, lbc.delete_routing_policy(lb.id, "by_path"))
    wait_wr(lbc, lbc.delete_ssl_cipher_suite(lb.id, "strict"))
    got = lbc.get_load_balancer(lb.id).data
    assert not got.routing_policies and not got.ssl_cipher_suites
