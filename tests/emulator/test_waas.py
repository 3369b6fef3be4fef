"""WAAS through the unmodified SDK and the `oci` CLI: certificates from PEM (a key that does not match, a
self-signed certificate without trust verification disabled and an expired one refused), policies with a
domain, origins, policy config and WAF config (access rules, protection settings with OCI's defaults) going
CREATING -> ACTIVE and UPDATING -> ACTIVE on their work requests, and OCI's errors."""

from __future__ import annotations

import datetime as dt
import json

import oci
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from .helpers import IM, NO_RETRY, WAIT, run_oci, unique

E = oci.exceptions.ServiceError
A = oci.waas.models


def make_cert(cn: str = "shop.example.com", days: int = 365, issuer_key=None, issuer_cn: str | None = None,
              key=None, start_days_ago: int = 1):
    """(certificate PEM, private key PEM): self-signed, or signed by `issuer_key` as `issuer_cn`."""
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Shop")])
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_cn)]) if issuer_cn else subject
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
            .serial_number(0x1234ABCD).not_valid_before(now - dt.timedelta(days=start_days_ago))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(cn)]), critical=False)
            .sign(issuer_key or key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption()).decode()
    return cert.public_bytes(serialization.Encoding.PEM).decode(), key_pem


@pytest.fixture
def waas(emulator, oci_config):
    return oci.waas.WaasClient(oci_config, service_endpoint=emulator.endpoint("waas"), **NO_RETRY)


@pytest.fixture
def comp(clients):
    return clients.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=clients.tenancy, name=unique("waas"), description="waas test")).data.id


def wait_wr(client, resp):
    wr = resp.headers["opc-work-request-id"]
    return oci.wait_until(client, client.get_work_request(wr), "status", "SUCCEEDED", **WAIT).data


def test_certificates_are_read_from_pem_and_bad_ones_refused(waas, comp):
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem, key = make_cert(issuer_key=ca_key, issuer_cn="Example Issuing CA")
    cert = waas.create_certificate(A.CreateCertificateDetails(
        compartment_id=comp, display_name="shop-cert", certificate_data=pem, private_key_data=key)).data
    assert cert.lifecycle_state in ("CREATING", "ACTIVE")
    got = waas.get_certificate(cert.id).data
    assert got.lifecycle_state == "ACTIVE" and got.issued_by == "Example Issuing CA"
    assert got.subject_name.common_name == "shop.example.com" and got.subject_name.organization == "Example Shop"
    assert got.serial_number == "1234ABCD" and got.version == 3 and got.signature_algorithm == "sha256WithRSAEncryption"
    assert (got.public_key_info.algorithm, got.public_key_info.key_size, got.public_key_info.exponent) == \
        ("RSA", 2048, 65537)
    assert got.extensions[0].name == "subjectAltName" and got.time_not_valid_after > got.time_not_valid_before
    assert not hasattr(got, "private_key_data")
    assert [c.id for c in waas.list_certificates(comp).data] == [cert.id]
    upd = waas.update_certificate(cert.id, update_certificate_details=A.UpdateCertificateDetails(
        display_name="shop-cert-2")).data
    assert upd.display_name == "shop-cert-2"

    def refused(pem, key, **kw):
        with pytest.raises(E) as e:
            waas.create_certificate(A.CreateCertificateDetails(
                compartment_id=comp, certificate_data=pem, private_key_data=key, **kw))
        assert (e.value.status, e.value.code) == (400, "InvalidParameter")
        return e.value.message

    other_key = make_cert()[1]
    assert "does not match" in refused(pem, other_key)
    self_pem, self_key = make_cert()
    assert "self-signed" in refused(self_pem, self_key)
    ok = waas.create_certificate(A.CreateCertificateDetails(
        compartment_id=comp, certificate_data=self_pem, private_key_data=self_key,
        is_trust_verification_disabled=True)).data
    assert waas.get_certificate(ok.id).data.is_trust_verification_disabled is True
    assert "expired" in refused(*make_cert(days=-1, start_days_ago=30), is_trust_verification_disabled=True)
    assert "not a PEM certificate" in refused("hello", self_key)
    ec_pem, ec_key = make_cert(key=ec.generate_private_key(ec.SECP256R1()))
    ec_cert = waas.create_certificate(A.CreateCertificateDetails(
        compartment_id=comp, certificate_data=ec_pem, private_key_data=ec_key,
        is_trust_verification_disabled=True)).data
    assert waas.get_certificate(ec_cert.id).data.public_key_info.algorithm == "EC"

    waas.delete_certificate(ec_cert.id)
    assert waas.get_certificate(ec_cert.id).data.lifecycle_state == "DELETED"


def policy_details(comp, cert_id=None, domain="www.shop-example.com", **kw):
    d = dict(
        compartment_id=comp, display_name="shop-edge", domain=domain, additional_domains=["shop-example.com"],
        origins={"primary": A.Origin(uri="203.0.113.20", http_port=80, https_port=443,
                                     custom_headers=[A.Header(name="x-origin-key", value="s3cret")])},
        policy_config=A.PolicyConfig(is_https_enabled=cert_id is not None, certificate_id=cert_id,
                                     tls_protocols=["TLS_V1_2", "TLS_V1_3"]),
        waf_config=A.WafConfigDetails(
            access_rules=[A.AccessRule(name="block-admin", action="BLOCK", block_response_code=403, criteria=[
                A.AccessRuleCriteria(condition="URL_STARTS_WITH", value="/admin")])],
            address_rate_limiting=A.AddressRateLimiting(is_enabled=True, allowed_rate_per_address=10),
            protection_settings=A.ProtectionSettings(max_argument_count=100)))
    d.update(kw)
    return A.CreateWaasPolicyDetails(**d)


def test_sdk_waas_policy_lifecycle_with_waf_config(waas, comp):
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem, key = make_cert(cn="www.shop-example.com", issuer_key=ca_key, issuer_cn="Example CA")
    cert = waas.create_certificate(A.CreateCertificateDetails(
        compartment_id=comp, certificate_data=pem, private_key_data=key)).data

    resp = waas.create_waas_policy(policy_details(comp, cert.id))
    assert resp.status == 202 and resp.data is None
    wr = wait_wr(waas, resp)
    assert wr.operation_type == "CREATE_WAAS_POLICY" and wr.percent_complete == 100 and wr.logs
    pid = wr.resources[0].identifier
    pol = waas.get_waas_policy(pid).data
    assert pol.lifecycle_state == "ACTIVE" and pol.cname == "www-shop-example-com.o.waas.oci.oraclecloud.net"
    assert pol.additional_domains == ["shop-example.com"] and pol.origins["primary"].https_port == 443
    assert pol.policy_config.is_https_enabled and pol.policy_config.certificate_id == cert.id
    assert pol.policy_config.load_balancing_method.method == "ROUND_ROBIN"
    assert pol.waf_config.origin == "primary"
    ps = waas.get_protection_settings(pid).data
    assert (ps.max_argument_count, ps.max_name_length_per_argument, ps.block_response_code) == (100, 400, 403)
    assert ps.allowed_http_methods == ["OPTIONS", "GET", "HEAD", "POST"]
    assert pol.waf_config.address_rate_limiting.block_response_code == 503
    rules = waas.list_access_rules(pid).data
    assert [(r.name, r.action, r.block_action, r.criteria[0].condition) for r in rules] == [
        ("block-admin", "BLOCK", "SET_RESPONSE_CODE", "URL_STARTS_WITH")]
    assert [p.id for p in waas.list_waas_policies(comp).data] == [pid]
    assert waas.get_waf_config(pid).data.access_rules[0].name == "block-admin"
    assert waas.get_policy_config(pid).data.tls_protocols == ["TLS_V1_2", "TLS_V1_3"]

    # the certificate is in use
    with pytest.raises(E) as e:
        waas.delete_certificate(cert.id)
    assert e.value.status == 409

    # access rules: UPDATING, then ACTIVE with the new rules
    up = waas.update_access_rules(pid, [
        A.AccessRule(name="block-admin", action="BLOCK", criteria=[
            A.AccessRuleCriteria(condition="URL_STARTS_WITH", value="/admin")]),
        A.AccessRule(name="only-eu", action="REDIRECT", redirect_url="https://eu.shop-example.com", criteria=[
            A.AccessRuleCriteria(condition="COUNTRY_IS_NOT", value="DE FR")])])
    assert waas.get_waas_policy(pid).data.lifecycle_state in ("UPDATING", "ACTIVE")
    assert wait_wr(waas, up).operation_type == "UPDATE_WAAS_POLICY"
    rules = waas.list_access_rules(pid).data
    assert [r.name for r in rules] == ["block-admin", "only-eu"] and rules[1].redirect_response_code == \
        "MOVED_PERMANENTLY"
    wait_wr(waas, waas.update_protection_settings(pid, A.ProtectionSettings(
        block_response_code=401, allowed_http_methods=["GET", "POST", "PUT"])))
    assert waas.get_protection_settings(pid).data.allowed_http_methods == ["GET", "POST", "PUT"]
    wait_wr(waas, waas.update_policy_config(pid, A.PolicyConfig(
        is_https_enabled=True, certificate_id=cert.id, is_https_forced=True)))
    assert waas.get_policy_config(pid).data.is_https_forced is True
    wait_wr(waas, waas.update_waf_config(pid, A.WafConfig(origin="primary", access_rules=[])))
    assert waas.list_access_rules(pid).data == []
    upd = waas.update_waas_policy(pid, A.UpdateWaasPolicyDetails(display_name="shop-edge-2",
                                                                  additional_domains=["m.shop-example.com"]))
    wait_wr(waas, upd)
    got = waas.get_waas_policy(pid).data
    assert got.display_name == "shop-edge-2" and got.additional_domains == ["m.shop-example.com"]
    wrs = waas.list_work_requests(pid, comp).data
    assert len(wrs) == 6 and {w.status for w in wrs} == {"SUCCEEDED"}

    # errors as OCI answers them
    def refused(**kw):
        with pytest.raises(E) as e:
            waas.create_waas_policy(policy_details(comp, **kw))
        return e.value.status, e.value.message

    assert refused(domain="www.shop-example.com")[0] == 409  # the domain is protected already
    assert "not a fully qualified domain name" in refused(domain="not a domain")[1]
    assert "certificateId is required" in refused(domain="a.example.org", policy_config=A.PolicyConfig(
        is_https_enabled=True))[1]
    bad_rule = A.WafConfigDetails(access_rules=[A.AccessRule(name="r", action="BLOCK", criteria=[
        A.AccessRuleCriteria(condition="URL_REGEX", value="/admin(")])])
    assert "not a regular expression" in refused(domain="b.example.org", waf_config=bad_rule)[1]
    bad_code = A.WafConfigDetails(access_rules=[A.AccessRule(name="r", action="BLOCK", block_response_code=418,
                                                             criteria=[A.AccessRuleCriteria(condition="URL_IS",
                                                                                            value="/")])])
    assert "418 is not one of" in refused(domain="c.example.org", waf_config=bad_code)[1]
    assert "not a host name" in refused(domain="d.example.org", origins={"o": A.Origin(uri="bad host!")})[1]

    wait_wr(waas, waas.delete_waas_policy(pid))
    assert waas.get_waas_policy(pid).data.lifecycle_state == "DELETED"
    waas.delete_certificate(cert.id)  # no longer in use


def test_moves_to_another_compartment(waas, comp, clients):
    other = clients.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=clients.tenancy, name=unique("waas2"), description="moved")).data.id
    pem, key = make_cert()
    cert = waas.create_certificate(A.CreateCertificateDetails(
        compartment_id=comp, certificate_data=pem, private_key_data=key, is_trust_verification_disabled=True)).data
    waas.change_certificate_compartment(cert.id, A.ChangeCertificateCompartmentDetails(compartment_id=other))
    assert waas.get_certificate(cert.id).data.compartment_id == other
    resp = waas.create_waas_policy(policy_details(comp, domain="move.example.org"))
    pid = wait_wr(waas, resp).resources[0].identifier
    waas.change_waas_policy_compartment(pid, A.ChangeWaasPolicyCompartmentDetails(compartment_id=other))
    assert waas.get_waas_policy(pid).data.compartment_id == other


def test_cli_creates_a_waas_policy_and_waits_for_it(emulator, comp, tmp_path):
    cfg = tmp_path / "config"
    emulator.write_config(cfg)
    ep = emulator.endpoint("waas")
    origins = {"primary": {"uri": "origin.example.net", "httpPort": 80}}
    waf = {"accessRules": [{"name": "block-admin", "action": "BLOCK", "criteria": [
        {"condition": "URL_STARTS_WITH", "value": "/admin"}]}]}
    out = run_oci(cfg, ep, "waas", "waas-policy", "create", "--compartment-id", comp, "--domain", "cli.example.org",
                  "--origins", json.dumps(origins), "--waf-config", json.dumps(waf),
                  "--wait-for-state", "SUCCEEDED")
    assert out["data"]["status"] == "SUCCEEDED" and out["data"]["operation-type"] == "CREATE_WAAS_POLICY"
    got = run_oci(cfg, ep, "waas", "waas-policy", "list", "--compartment-id", comp)
    assert [(p["domain"], p["lifecycle-state"]) for p in got["data"]] == [("cli.example.org", "ACTIVE")]
    pid = got["data"][0]["id"]
    rules = run_oci(cfg, ep, "waas", "access-rule", "list", "--waas-policy-id", pid)
    assert rules["data"][0]["name"] == "block-admin" and rules["data"][0]["block-response-code"] == 403
