"""The load balancer's create form with an HTTPS listener (no emulator needed): the certificate read from PEM files
goes into the request, never into the CLI or the Python shown; the cost at list price; the key checked."""

from __future__ import annotations

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ociconsole.catalog import load_balancer as lb
from ociconsole.catalog.forms import FormContext, python_code


def _pair(tmp_path, name):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    c, k = tmp_path / f"{name}.crt", tmp_path / f"{name}.key"
    c.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    k.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    return str(c), str(k)


def test_https_create_carries_the_certificate_but_shows_no_key(tmp_path):
    cert, key = _pair(tmp_path, "www")
    v = dict(display_name="shop", compartment_id="ocid1.compartment.oc1..a", minimum_mbps=10, maximum_mbps=50,
             subnet_id="ocid1.subnet.oc1..s", backend_set_name="web", policy="IP_HASH", health_protocol="TCP",
             listener_name="https", protocol="HTTPS", port=443, idle_timeout=120, certificate_name="www",
             certificate_file=cert, private_key_file=key, is_private=False, network_compartment_id="ocid1.c",
             vcn_id="ocid1.vcn.oc1..v")
    ctx = FormContext(None, "ocid1.compartment.oc1..a")
    assert lb.CREATE_FORM.errors(v, ctx) == {}
    req = lb._create_build(v, ctx)
    d = req.details
    assert d.certificates["www"].private_key.startswith("-----BEGIN PRIVATE KEY")
    li = d.listeners["https"]
    assert li.protocol == "HTTP" and li.ssl_configuration.certificate_name == "www" and li.port == 443
    assert d.backend_sets["web"].health_checker.protocol == "TCP" and d.backend_sets["web"].policy == "IP_HASH"
    code = python_code(req)
    assert "BEGIN PRIVATE KEY" not in code and "os.environ['LB_PRIVATE_KEY']" in code
    compile(code, "equivalent", "exec")
    cli = lb._create_cli(v, ctx, req)
    assert "BEGIN" not in cli and "--certificates file://certificates.json" in cli and key in cli
    assert lb.cost(10, 50).amount == 0.0113 + 10 * 0.0001


def test_a_key_of_another_certificate_is_refused_inline(tmp_path):
    cert, _key = _pair(tmp_path, "www")
    _other, other_key = _pair(tmp_path, "other")
    form = lb.certificate_form(type("LB", (), {"display_name": "x", "id": "ocid1.loadbalancer.oc1..x",
                                               "certificates": {}})())
    ctx = FormContext(None, "ocid1.compartment.oc1..a")
    errors = form.errors({"certificate_name": "www", "certificate_file": cert, "private_key_file": other_key}, ctx)
    assert errors == {"private_key_file": "This private key does not belong to the certificate"}
