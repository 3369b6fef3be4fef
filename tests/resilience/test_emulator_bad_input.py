"""Bad input to the emulator, property-based and hand-picked: always a 4xx in OCI's error shape,
never a 5xx, and nothing changes. Every single-field mutation of a valid signed request is refused."""

from __future__ import annotations

import base64
import email.utils
import hashlib
import http.client
import json
import re
from urllib.parse import urlparse

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ociconsole.emulator.server import HttpServer

from ..conftest import make_emulator

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


class Raw:
    """Signs and sends requests byte by byte (so that any part can be broken on purpose)."""

    def __init__(self, emu):
        self.emu = emu
        cfg = emu.client_config()
        self.key_id = f"{cfg['tenancy']}/{cfg['user']}/{cfg['fingerprint']}"
        with open(cfg["key_file"], "rb") as f:
            self.key = serialization.load_pem_private_key(f.read(), password=None)
        u = urlparse(emu.base_url)
        self.host, self.port = u.hostname, u.port
        self.tenancy = cfg["tenancy"]

    def sign(self, method: str, path: str, body: bytes | None = None, extra: dict | None = None) -> dict:
        headers = {"date": email.utils.formatdate(usegmt=True), "host": f"{self.host}:{self.port}"}
        names = ["date", "(request-target)", "host"]
        if method in ("POST", "PUT", "PATCH"):
            body = body or b""
            headers["content-type"] = "application/json"
            headers["content-length"] = str(len(body))
            headers["x-content-sha256"] = base64.b64encode(hashlib.sha256(body).digest()).decode()
            names += ["content-length", "content-type", "x-content-sha256"]
        headers.update(extra or {})
        lines = [f"(request-target): {method.lower()} {path}" if n == "(request-target)" else f"{n}: {headers[n]}"
                 for n in names]
        sig = base64.b64encode(self.key.sign("\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())).decode()
        headers["authorization"] = (f'Signature version="1",keyId="{self.key_id}",algorithm="rsa-sha256",'
                                    f'headers="{" ".join(names)}",signature="{sig}"')
        return headers

    def send(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        c = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for k, v in (headers or {}).items():
                c.putheader(k, v)
            c.endheaders(body)
            r = c.getresponse()
            return r.status, r.read()
        finally:
            c.close()

    def signed(self, method: str, path: str, body: bytes | None = None):
        return self.send(method, path, body, self.sign(method, path, body))


@pytest.fixture(scope="module")
def emu(tmp_path_factory):
    e = make_emulator(tmp_path_factory.mktemp("badinput"), strict=True)
    yield e
    e.stop()


@pytest.fixture(scope="module")
def raw(emu):
    return Raw(emu)


def state_size(emu) -> int:
    return sum(len(v) for k, v in emu.store._docs.items() if not k.startswith("_"))  # noqa: SLF001


def assert_oci_4xx(status: int, body: bytes) -> dict:
    assert 400 <= status < 500, (status, body[:300])
    doc = json.loads(body)
    assert isinstance(doc.get("code"), str) and doc["code"] and isinstance(doc.get("message"), str), doc
    return doc


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12)


# ---------------------------------------------------------------- bodies

@SETTINGS
@given(st.dictionaries(st.text(max_size=15), json_values, max_size=6))
def test_random_json_bodies_for_creates(emu, raw, body):
    before = state_size(emu)
    for path in ("/core/20160918/vcns", "/identity/20160918/compartments", "/core/20160918/instances"):
        status, data = raw.signed("POST", path, json.dumps(body).encode())
        assert_oci_4xx(status, data)
    assert state_size(emu) == before


@SETTINGS
@given(st.binary(min_size=1, max_size=200))
def test_random_bytes_are_not_json(emu, raw, blob):
    before = state_size(emu)
    status, data = raw.signed("POST", "/core/20160918/vcns", blob)
    doc = assert_oci_4xx(status, data)
    assert status == 400
    assert state_size(emu) == before
    _ = doc


FIELD_VALUES = {"compartmentId": st.one_of(st.integers(), st.booleans(), st.lists(st.text(max_size=3), max_size=2)),
                "cidrBlock": st.one_of(st.integers(), st.floats(allow_nan=False), st.dictionaries(st.text(), st.text(),
                                                                                                   max_size=1)),
                "displayName": st.one_of(st.integers(), st.lists(st.integers(), max_size=2)),
                "freeformTags": st.one_of(st.text(), st.integers(), st.lists(st.text(), min_size=1, max_size=2)),
                "dnsLabel": st.one_of(st.integers(), st.booleans())}


@SETTINGS
@given(st.sampled_from(sorted(FIELD_VALUES)), st.data())
def test_wrong_types_name_the_field(emu, raw, field, data):
    body = {"compartmentId": raw.tenancy, "cidrBlock": "10.99.0.0/16", "displayName": "typed"}
    body[field] = data.draw(FIELD_VALUES[field])
    before = state_size(emu)
    status, resp = raw.signed("POST", "/core/20160918/vcns", json.dumps(body).encode())
    doc = assert_oci_4xx(status, resp)
    assert status == 400 and field in doc["message"], doc
    assert state_size(emu) == before


def test_missing_and_unknown_fields(emu, raw):
    before = state_size(emu)
    status, resp = raw.signed("POST", "/core/20160918/vcns", json.dumps({"cidrBlock": "10.9.0.0/16"}).encode())
    doc = assert_oci_4xx(status, resp)
    assert doc["code"] == "MissingParameter" and "compartmentId" in doc["message"]
    status, resp = raw.signed("POST", "/core/20160918/vcns", json.dumps(
        {"compartmentId": raw.tenancy, "cidrBlock": "10.9.0.0/16", "colour": "blue"}).encode())
    doc = assert_oci_4xx(status, resp)
    assert "colour" in doc["message"]
    assert state_size(emu) == before


def test_huge_bodies_and_headers(emu, raw):
    before = state_size(emu)
    big = b'{"compartmentId": "' + b"x" * (11 * 1024 * 1024) + b'"}'
    status, resp = raw.signed("POST", "/core/20160918/vcns", big)
    assert_oci_4xx(status, resp)
    headers = raw.sign("GET", "/core/20160918/vcns?compartmentId=" + raw.tenancy)
    headers["x-huge"] = "y" * 70_000
    status, resp = raw.send("GET", "/core/20160918/vcns?compartmentId=" + raw.tenancy, None, headers)
    assert_oci_4xx(status, resp)
    many = raw.sign("GET", "/core/20160918/vcns?compartmentId=" + raw.tenancy)
    many.update({f"x-h{i}": "v" for i in range(150)})
    status, resp = raw.send("GET", "/core/20160918/vcns?compartmentId=" + raw.tenancy, None, many)
    assert_oci_4xx(status, resp)
    assert state_size(emu) == before


# ---------------------------------------------------------------- identifiers, paths, pages

@SETTINGS
@given(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters="/?#%"),
               min_size=1, max_size=80))
def test_bad_ocids_in_paths(emu, raw, ident):
    before = state_size(emu)
    for path in (f"/core/20160918/vcns/{ident}", f"/core/20160918/instances/{ident}",
                 f"/identity/20160918/compartments/{ident}"):
        status, resp = raw.signed("GET", path)
        assert_oci_4xx(status, resp)
        status, resp = raw.signed("DELETE", path)
        assert_oci_4xx(status, resp)
    assert state_size(emu) == before


@pytest.mark.parametrize("path", ["/core/20160918/../../identity/20160918/compartments",
                                  "/core/20160918/vcns/..%2F..%2Fetc%2Fpasswd",
                                  "/../../etc/passwd", "/core/%2e%2e/%2e%2e/x", "/identity//20160918//users"])
def test_path_traversal(emu, raw, path):
    status, resp = raw.signed("GET", path)
    assert_oci_4xx(status, resp)


@SETTINGS
@given(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters="&#%+"),
               min_size=1, max_size=40))
def test_bad_page_tokens(emu, raw, token):
    status, resp = raw.signed("GET", f"/identity/20160918/compartments?compartmentId={raw.tenancy}&limit=2&page={token}")
    if status == 200:  # a token that happens to be a real one
        assert re.fullmatch(r"\d+\.[0-9a-f]{8}", token)
    else:
        assert status == 400 and assert_oci_4xx(status, resp)["code"] == "InvalidParameter"


# ---------------------------------------------------------------- signatures

def _mutations(raw):
    """(label, method, path, headers, body) for every single-field mutation of one valid signed POST."""
    path = "/identity/20160918/compartments"
    body = json.dumps({"compartmentId": raw.tenancy, "name": "tampered", "description": "t"}).encode()
    good = raw.sign("POST", path, body)
    out = []
    def changed(v: str) -> str:
        if v.isdigit():
            return str(int(v) - 1)  # a longer length would only make the server wait for more bytes
        return ("y" if v[0] != "y" else "z") + v[1:]

    for h in ("date", "host", "content-type", "content-length", "x-content-sha256"):
        hs = dict(good)
        hs[h] = changed(hs[h]) if h != "date" else email.utils.formatdate(0, usegmt=True)
        out.append((f"header {h}", "POST", path, hs, body))
        hs = dict(good)
        del hs[h]
        out.append((f"missing {h}", "POST", path, hs, body))
    out.append(("method", "PUT", path, good, body))
    out.append(("path", "POST", path + "x", good, body))
    out.append(("query", "POST", path + "?limit=1", good, body))
    out.append(("body byte", "POST", path, good, body[:-2] + b"X}"))
    params = dict(re.findall(r'(\w+)="([^"]*)"', good["authorization"]))
    for p in ("keyId", "algorithm", "headers", "signature", "version"):
        for variant in ("", ("x" if params[p][0] != "x" else "y") + params[p][1:], params[p] + "A"):
            if variant == params[p]:
                continue
            q = dict(params, **{p: variant})
            hs = dict(good, authorization="Signature " + ",".join(f'{k}="{v}"' for k, v in q.items()))
            out.append((f"auth {p}={variant[:12]!r}", "POST", path, hs, body))
    out.append(("no authorization", "POST", path, {k: v for k, v in good.items() if k != "authorization"}, body))
    out.append(("scheme", "POST", path, dict(good, authorization=good["authorization"].replace("Signature", "Basic")),
                body))
    return out


def test_every_single_field_mutation_of_a_signed_request_is_refused(emu, raw):
    before = state_size(emu)
    mutations = _mutations(raw)
    accepted = []
    for label, method, path, headers, body in mutations:
        status, resp = raw.send(method, path, body, headers)
        if status < 400:
            accepted.append(label)
            continue
        doc = assert_oci_4xx(status, resp)
        if label not in ("method", "path", "query"):
            assert status in (400, 401), (label, status, doc)
    print(f"\nsignature mutations tried: {len(mutations)}, accepted: {accepted}")
    assert not accepted, accepted
    assert state_size(emu) == before
    # and the unmutated request still works
    path = "/identity/20160918/compartments"
    body = json.dumps({"compartmentId": raw.tenancy, "name": "untampered", "description": "t"}).encode()
    status, _ = raw.signed("POST", path, body)
    assert status == 200


def test_loopback_only(emu):
    with pytest.raises(ValueError):
        HttpServer(emu.core, host="0.0.0.0")
    assert urlparse(emu.base_url).hostname == "127.0.0.1"


@pytest.mark.parametrize("name", ["../../../../tmp/ociconsole-escape", "..", "a/../../b", "%2e%2e/%2e%2e/x",
                                  "/leading/slash", "dir//double", "C:\\windows\\system32", "name\x7f"])
def test_object_names_are_names_not_paths(emu, name, tmp_path):
    import oci
    cfg = emu.client_config()
    osc = oci.object_storage.ObjectStorageClient(cfg, service_endpoint=emu.endpoint("object_storage"))
    ns = osc.get_namespace().data
    bucket = "traversal"
    try:
        osc.create_bucket(ns, oci.object_storage.models.CreateBucketDetails(name=bucket,
                                                                            compartment_id=cfg["tenancy"]))
    except oci.exceptions.ServiceError as e:
        assert e.status == 409  # made by an earlier parameter
    files_before = {p for p in emu.files_dir.rglob("*")} if emu.files_dir else set()
    outside = list(tmp_path.parent.parent.glob("ociconsole-escape*"))
    try:
        osc.put_object(ns, bucket, name, b"payload")
    except oci.exceptions.ServiceError as e:
        assert 400 <= e.status < 500  # refused is fine; escaping is not
        return
    assert osc.get_object(ns, bucket, name).data.content == b"payload"
    assert name in [o.name for o in osc.list_objects(ns, bucket).data.objects]
    new = {p for p in emu.files_dir.rglob("*")} - files_before
    assert all(emu.files_dir in p.parents for p in new)
    assert list(tmp_path.parent.parent.glob("ociconsole-escape*")) == outside
    assert not __import__("pathlib").Path("/tmp/ociconsole-escape").exists()
    osc.delete_object(ns, bucket, name)
