"""Bad input to the emulator, property-based and hand-picked: always a 4xx in OCI's error shape,
never a 5xx, and nothing changes (a digest of every document, etags included, is compared). Every
single-field mutation of a valid signed GET, POST, PUT and DELETE is refused."""

from __future__ import annotations

import base64
import email.utils
import hashlib
import http.client
import json
import pickle
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


def state_digest(emu) -> str:
    """A digest of every resource document (etags included: any write changes it), after the
    lifecycle changes already due are applied (with instant transitions they are due at once)."""
    store = emu.store
    with store.transaction():
        for _ in range(100):
            if not emu.core.advance():
                break
    h = hashlib.sha256()
    with store.lock:
        for kind in sorted(k for k in store._docs if not k.startswith("_")):
            for ident, doc in sorted(store._docs[kind].items()):
                h.update(f"{kind}\0{ident}\0".encode())
                h.update(pickle.dumps(doc, 5))  # (a third of json.dumps's time; any change shows as well)
    return h.hexdigest()


def assert_oci_4xx(status: int, body: bytes) -> dict:
    assert 400 <= status < 500, (status, body[:300])
    doc = json.loads(body)
    assert isinstance(doc.get("code"), str) and doc["code"] and isinstance(doc.get("message"), str), doc
    return doc


# numbers JSON cannot hold (NaN, ±Infinity: json.dumps writes them anyway) and ones out of range
numbers = st.one_of(st.integers(), st.integers(min_value=2**62, max_value=2**200), st.floats(),
                    st.sampled_from([float("nan"), float("inf"), float("-inf"), 1e308, -0.0, 2**63, -2**63 - 1]))
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=20), st.text(min_size=300, max_size=5000))
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12)


def nested(depth: int, kind: str, leaf: str = "1") -> str:
    """JSON text `depth` arrays or objects deep."""
    if kind == "list":
        return "[" * depth + leaf + "]" * depth
    return '{"a":' * depth + leaf + "}" * depth


# ---------------------------------------------------------------- bodies

@SETTINGS
@given(st.dictionaries(st.text(max_size=15), json_values, max_size=6))
def test_random_json_bodies_for_creates(emu, raw, body):
    before = state_digest(emu)
    for path in ("/core/20160918/vcns", "/identity/20160918/compartments", "/core/20160918/instances"):
        status, data = raw.signed("POST", path, json.dumps(body).encode())
        assert_oci_4xx(status, data)
    assert state_digest(emu) == before


@SETTINGS
@given(st.binary(min_size=1, max_size=200))
def test_random_bytes_are_not_json(emu, raw, blob):
    before = state_digest(emu)
    status, data = raw.signed("POST", "/core/20160918/vcns", blob)
    doc = assert_oci_4xx(status, data)
    assert status == 400
    assert state_digest(emu) == before
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
    before = state_digest(emu)
    status, resp = raw.signed("POST", "/core/20160918/vcns", json.dumps(body).encode())
    doc = assert_oci_4xx(status, resp)
    assert status == 400 and field in doc["message"], doc
    assert state_digest(emu) == before


def test_missing_and_unknown_fields(emu, raw):
    before = state_digest(emu)
    status, resp = raw.signed("POST", "/core/20160918/vcns", json.dumps({"cidrBlock": "10.9.0.0/16"}).encode())
    doc = assert_oci_4xx(status, resp)
    assert doc["code"] == "MissingParameter" and "compartmentId" in doc["message"]
    status, resp = raw.signed("POST", "/core/20160918/vcns", json.dumps(
        {"compartmentId": raw.tenancy, "cidrBlock": "10.9.0.0/16", "colour": "blue"}).encode())
    doc = assert_oci_4xx(status, resp)
    assert "colour" in doc["message"]
    assert state_digest(emu) == before


def test_huge_bodies_and_headers(emu, raw):
    before = state_digest(emu)
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
    assert state_digest(emu) == before


# ---------------------------------------------------------------- identifiers, paths, pages

@SETTINGS
@given(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters="/?#%"),
               min_size=1, max_size=80))
def test_bad_ocids_in_paths(emu, raw, ident):
    before = state_digest(emu)
    for path in (f"/core/20160918/vcns/{ident}", f"/core/20160918/instances/{ident}",
                 f"/identity/20160918/compartments/{ident}"):
        status, resp = raw.signed("GET", path)
        assert_oci_4xx(status, resp)
        status, resp = raw.signed("DELETE", path)
        assert_oci_4xx(status, resp)
    assert state_digest(emu) == before


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
    status, resp = raw.signed(
        "GET", f"/identity/20160918/compartments?compartmentId={raw.tenancy}&limit=2&page={token}")
    if status == 200:  # a token that happens to be a real one
        assert re.fullmatch(r"\d+\.[0-9a-f]{8}", token)
    else:
        assert status == 400 and assert_oci_4xx(status, resp)["code"] == "InvalidParameter"


# ---------------------------------------------------------------- signatures

def _mutations(raw, method: str, path: str, body: bytes | None = None):
    """(label, method, path, headers, body) for every single-field mutation of one valid signed request."""
    good = raw.sign(method, path, body)
    out = []

    def changed(v: str) -> str:
        if v.isdigit():
            return str(int(v) - 1)  # a longer length would only make the server wait for more bytes
        return ("y" if v[0] != "y" else "z") + v[1:]

    signed = [h for h in ("date", "host", "content-type", "content-length", "x-content-sha256") if h in good]
    for h in signed:
        hs = dict(good)
        hs[h] = changed(hs[h]) if h != "date" else email.utils.formatdate(0, usegmt=True)
        out.append((f"header {h}", method, path, hs, body))
        hs = dict(good)
        del hs[h]
        out.append((f"missing {h}", method, path, hs, body))
    # a date two seconds later: still fresh, but not the signed one
    later = email.utils.formatdate(email.utils.parsedate_to_datetime(good["date"]).timestamp() + 2, usegmt=True)
    out.append(("date +2 s", method, path, dict(good, date=later), body))
    out.append(("method", {"GET": "DELETE", "DELETE": "GET", "POST": "PUT", "PUT": "POST"}[method], path, good, body))
    out.append(("path", method, path + "x", good, body))
    out.append(("query", method, path + ("&" if "?" in path else "?") + "limit=1", good, body))
    if body:
        out.append(("body byte", method, path, good, body[:-2] + b"X}"))
    params = dict(re.findall(r'(\w+)="([^"]*)"', good["authorization"]))
    for p in ("keyId", "algorithm", "headers", "signature", "version"):
        for variant in ("", ("x" if params[p][0] != "x" else "y") + params[p][1:], params[p] + "A"):
            if variant == params[p]:
                continue
            q = dict(params, **{p: variant})
            hs = dict(good, authorization="Signature " + ",".join(f'{k}="{v}"' for k, v in q.items()))
            out.append((f"auth {p}={variant[:12]!r}", method, path, hs, body))
    out.append(("no authorization", method, path, {k: v for k, v in good.items() if k != "authorization"}, body))
    out.append(("scheme", method, path, dict(good, authorization=good["authorization"].replace("Signature", "Basic")),
                body))
    return out


def _all_refused(emu, raw, mutations) -> None:
    before = state_digest(emu)
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
    assert state_digest(emu) == before


def test_every_single_field_mutation_of_a_signed_post_is_refused(emu, raw):
    path = "/identity/20160918/compartments"
    body = json.dumps({"compartmentId": raw.tenancy, "name": "tampered", "description": "t"}).encode()
    _all_refused(emu, raw, _mutations(raw, "POST", path, body))
    # and the unmutated request still works
    body = json.dumps({"compartmentId": raw.tenancy, "name": "untampered", "description": "t"}).encode()
    status, _ = raw.signed("POST", path, body)
    assert status == 200


def test_every_single_field_mutation_of_a_signed_get_put_and_delete_is_refused(emu, raw):
    status, resp = raw.signed("POST", "/core/20160918/vcns", json.dumps(
        {"compartmentId": raw.tenancy, "cidrBlock": "10.251.0.0/16", "displayName": "mutations"}).encode())
    assert status == 200, resp
    vcn = json.loads(resp)["id"]
    path = f"/core/20160918/vcns/{vcn}"
    _all_refused(emu, raw, _mutations(raw, "GET", path))
    put = json.dumps({"displayName": "tampered"}).encode()
    _all_refused(emu, raw, _mutations(raw, "PUT", path, put))
    _all_refused(emu, raw, _mutations(raw, "DELETE", path))
    # the unmutated requests still work
    assert raw.signed("GET", path)[0] == 200
    status, resp = raw.signed("PUT", path, put)
    assert status == 200 and json.loads(resp)["displayName"] == "tampered"
    assert raw.signed("DELETE", path)[0] == 204


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


# ---------------------------------------------------------------- JSON the parser must refuse

@pytest.fixture(scope="module")
def flex(emu):
    """A RUNNING flexible-shape instance of the seed, and the pieces of a valid launch like it."""
    inst = next(d for d in emu.store.list("instance")
                if d["shape"].endswith(".Flex") and d["lifecycleState"] == "RUNNING")
    subnet = next(v["subnetId"] for v in emu.store.list("vnic") if v.get("subnetId"))
    launch = {"compartmentId": inst["compartmentId"], "availabilityDomain": inst["availabilityDomain"],
              "shape": inst["shape"], "sourceDetails": {"sourceType": "image", "imageId": inst["imageId"]},
              "createVnicDetails": {"subnetId": subnet}, "displayName": "numbers"}
    return inst, launch


@SETTINGS
@given(st.integers(90, 20_000), st.sampled_from(["list", "dict"]), st.sampled_from(["top", "freeformTags", "value"]))
def test_deeply_nested_bodies(emu, raw, depth, kind, where):
    inner = nested(depth, kind)
    text = {"top": inner, "freeformTags": f'{{"compartmentId": "{raw.tenancy}", "freeformTags": {{"k": {inner}}}}}',
            "value": f'{{"compartmentId": "{raw.tenancy}", "cidrBlock": {inner}}}'}[where]
    before = state_digest(emu)
    status, data = raw.signed("POST", "/core/20160918/vcns", text.encode())
    assert_oci_4xx(status, data)
    assert state_digest(emu) == before


@pytest.mark.parametrize("text", ["[" * 100_000, "{\"a\":" * 50_000, "[" * 101 + "]" * 101])
def test_nesting_beyond_the_limit_is_malformed_json(emu, raw, text):
    status, data = raw.signed("POST", "/core/20160918/vcns", text.encode())
    doc = assert_oci_4xx(status, data)
    assert status == 400 and doc["code"] == "InvalidParameter" and "nested" in doc["message"], doc


@pytest.mark.parametrize("name", ["[" * 150, "{" * 80 + '"' + "[" * 80, "\\" + "[" * 150, "\u005b" + "[" * 150])
def test_brackets_inside_strings_are_not_nesting(emu, raw, name):
    # (nesting is checked on the raw text before parsing: strings, escaped quotes and backslashes are skipped)
    body = json.dumps({"compartmentId": raw.tenancy, "cidrBlock": "10.77.0.0/16", "displayName": name})
    status, data = raw.signed("POST", "/core/20160918/vcns", body.encode())
    assert status == 200, data
    assert json.loads(data)["displayName"] == name


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400", "123456789012345678901234567890"])
@pytest.mark.parametrize("op", ["launch", "update"])
def test_numbers_json_cannot_hold_are_refused(emu, raw, flex, value, op):
    inst, launch = flex
    if op == "launch":
        body = json.dumps(dict(launch, shapeConfig={"ocpus": 1})).replace('"ocpus": 1', f'"ocpus": {value}')
        method, path = "POST", "/core/20160918/instances"
    else:
        body = f'{{"shapeConfig": {{"ocpus": {value}}}}}'
        method, path = "PUT", f"/core/20160918/instances/{inst['id']}"
    before = state_digest(emu)
    status, data = raw.signed(method, path, body.encode())
    doc = assert_oci_4xx(status, data)
    assert status == 400 and "not valid JSON" in doc["message"], doc
    assert state_digest(emu) == before


@SETTINGS
@given(numbers)
def test_any_number_for_ocpus_is_an_answer_not_a_crash(emu, raw, flex, x):
    inst, _launch = flex
    before = state_digest(emu)
    status, data = raw.signed("PUT", f"/core/20160918/instances/{inst['id']}",
                              json.dumps({"shapeConfig": {"ocpus": x}}).encode())
    if status >= 300:
        assert_oci_4xx(status, data)
        assert state_digest(emu) == before


# ---------------------------------------------------------------- MQL

@pytest.mark.parametrize("query", ["(" * 3000 + "CpuUtilization[1m].mean()" + ")" * 3000,
                                   " && ".join(["CpuUtilization[1m].mean()"] * 5000)])
def test_mql_nesting_and_length_are_bounded(emu, raw, query):
    before = state_digest(emu)
    status, data = raw.signed("POST", f"/monitoring/20180401/metrics/actions/summarizeMetricsData"
                                      f"?compartmentId={raw.tenancy}",
                              json.dumps({"namespace": "oci_computeagent", "query": query}).encode())
    doc = assert_oci_4xx(status, data)
    assert status == 400 and "column" in doc["message"], doc
    alarm = {"compartmentId": raw.tenancy, "metricCompartmentId": raw.tenancy, "displayName": "deep",
             "namespace": "oci_computeagent", "query": query, "severity": "CRITICAL", "isEnabled": True,
             "destinations": []}
    status, data = raw.signed("POST", "/monitoring/20180401/alarms", json.dumps(alarm).encode())
    assert_oci_4xx(status, data)
    assert state_digest(emu) == before


# ---------------------------------------------------------------- SummarizeMetricsData time ranges

def _summarize(raw, start: str | None, end: str | None, query="CpuUtilization[1m].grouping().mean()",
               resolution=None):
    body = {"namespace": "oci_computeagent", "query": query}
    if start:
        body["startTime"] = start
    if end:
        body["endTime"] = end
    if resolution:
        body["resolution"] = resolution
    return raw.signed("POST", f"/monitoring/20180401/metrics/actions/summarizeMetricsData"
                              f"?compartmentId={raw.tenancy}&compartmentIdInSubtree=true", json.dumps(body).encode())


@pytest.mark.parametrize("start,end", [("-3h", "+365d"), ("-7d", "2200-01-01T00:00:00Z"),
                                       ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"), ("+1d", "+2d")])
def test_summarize_with_a_far_end_time_is_cheap(emu, raw, monkeypatch, start, end):
    import datetime as dt

    from ociconsole.emulator import mql
    now = dt.datetime.now(dt.UTC)

    def when(v):
        if not v.startswith(("+", "-")):
            return v
        delta = dt.timedelta(days=int(v[:-1])) if v.endswith("d") else dt.timedelta(hours=int(v[:-1]))
        return (now + delta).strftime("%Y-%m-%dT%H:%M:%SZ")

    grids = []
    real = mql.evaluate
    monkeypatch.setattr(mql, "evaluate", lambda node, src, times, *a, **kw: (grids.append(len(times)),
                                                                          real(node, src, times, *a, **kw))[1])
    status, data = _summarize(raw, when(start), when(end), resolution="1m")
    assert status == 200, data[:300]
    # the time grid is clamped to the 1m retention (7 days) and to now (+10 min for posted points)
    assert all(n <= 7 * 1440 + 12 for n in grids), grids
    stamps = [p["timestamp"] for s in json.loads(data) for p in s["aggregatedDatapoints"]]
    horizon = (now + dt.timedelta(minutes=12)).strftime("%Y-%m-%dT%H:%M:%S")
    assert all(t[:19] <= horizon for t in stamps)


def test_summarize_time_grid_is_bounded_before_it_is_allocated():
    from ociconsole.emulator import mql
    with pytest.raises(mql.MqlLimit):
        mql.grid(0, 1e18, 60, max_points=100_000)  # 1.7e16 timestamps: refused, not allocated
    assert mql.grid(0, 600, 60, max_points=10).size == 10


def test_summarize_evaluates_without_the_state_lock(emu, raw, monkeypatch):
    import threading

    from ociconsole.emulator import mql
    real = mql.evaluate
    free = []

    def spy(*a, **kw):
        got = []

        def probe():
            ok = emu.store.lock.acquire(timeout=1)
            if ok:
                emu.store.lock.release()
            got.append(ok)

        t = threading.Thread(target=probe)
        t.start()
        t.join()
        free.append(got[0])
        return real(*a, **kw)

    monkeypatch.setattr(mql, "evaluate", spy)
    status, data = _summarize(raw, None, None)
    assert status == 200, data[:300]
    assert free == [True]  # another request could take the lock while this one computed


# ---------------------------------------------------------------- the admin API

@pytest.mark.parametrize("path,method,body", [
    ("faults", "PUT", {"mix": None}), ("faults", "PUT", {"mix": "x"}), ("faults", "PUT", {"mix": {"503": "x"}}),
    ("faults", "PUT", {"seed": "x"}), ("faults", "PUT", {"seed": 1.5}), ("faults", "PUT", {"rate": "0.5"}),
    ("faults", "PUT", {"rate": True}), ("faults", "PUT", {"latency_ms": "5"}),
    ("faults", "PUT", {"latency_ms": 1e12}), ("faults", "PUT", {"services": "core"}),
    ("faults", "PUT", {"operations": [1]}), ("faults", "PUT", [1]),
    ("settings", "PUT", {"transitionDelay": True}), ("settings", "PUT", {"transitionDelay": "1"}),
    ("settings", "PUT", {"transitionDelay": 1e12}), ("settings", "PUT", {"bogus": 1}),
    ("reset", "POST", {"seed": "x"}), ("reset", "POST", {"seed": 5}), ("reset", "POST", {"wipe": True}),
    ("session-tokens", "POST", {"publicKey": 5}), ("session-tokens", "POST", {"publicKey": "k", "ttl": "x"}),
    ("session-tokens", "POST", {"publicKey": "k", "ttl": -1}),
])
def test_admin_fields_are_validated(emu, raw, path, method, body):
    faults = dict(emu.core.faults.as_dict())
    delay = emu.core.transition_delay
    before = state_digest(emu)
    status, data = raw.signed(method, f"/_emulator/{path}", json.dumps(body).encode())
    doc = assert_oci_4xx(status, data)
    assert status == 400 and doc["code"] == "InvalidParameter", doc
    assert emu.core.faults.as_dict() == faults and emu.core.transition_delay == delay
    assert state_digest(emu) == before  # a refused reset drops nothing


# ---------------------------------------------------------------- HTTP methods

@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "FOO", "CONNECT", "PROPFIND"])
def test_other_http_methods_are_405_in_oci_shape(emu, raw, method):
    for path in ("/core/20160918/vcns", "/nowhere", "*" if method == "OPTIONS" else "/"):
        c = http.client.HTTPConnection(raw.host, raw.port, timeout=10)
        try:
            c.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            c.putheader("host", f"{raw.host}:{raw.port}")
            c.endheaders()
            r = c.getresponse()
            doc = assert_oci_4xx(r.status, r.read())
            assert r.status == 405 and doc["code"] == "MethodNotAllowed", (path, doc)
            assert r.getheader("content-type") == "application/json" and r.getheader("allow")
            if path == "/core/20160918/vcns":
                assert r.getheader("allow") == "GET, HEAD, POST"
        finally:
            c.close()


def test_a_known_method_on_the_wrong_path_names_the_allowed_ones(emu, raw):
    status, data = raw.signed("DELETE", "/core/20160918/vcns")
    assert status == 405 and assert_oci_4xx(status, data)["code"] == "MethodNotAllowed"
    c = http.client.HTTPConnection(raw.host, raw.port, timeout=10)
    c.request("PATCH", "/core/20160918/vcns")
    r = c.getresponse()
    assert r.status == 405 and r.getheader("allow") == "GET, HEAD, POST"
    r.read()
    c.close()


# ---------------------------------------------------------------- loopback

@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.com", "", None, "127.0.0.1 "])
def test_only_loopback_hosts(emu, host):
    with pytest.raises(ValueError, match="loopback"):
        HttpServer(emu.core, host=host)


def test_ipv6_loopback(emu):
    import socket
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError as e:
        pytest.skip(f"no IPv6 loopback on this machine: {e}")
    srv = HttpServer(emu.core, host="::1")
    srv.start()
    try:
        assert srv.base_url.startswith("http://[::1]:")
        assert srv.httpd.socket.family == socket.AF_INET6
        c = http.client.HTTPConnection("::1", srv.port, timeout=10)
        c.request("GET", "/core/20160918/vcns")
        r = c.getresponse()
        assert_oci_4xx(r.status, r.read())
        c.close()
    finally:
        srv.stop()


# ---------------------------------------------------------------- oversized bodies

@pytest.fixture
def small_drain(monkeypatch):
    """Bodies over 1 MB are answered before they are read (as over 64 MB are, without the patch)."""
    from ociconsole.emulator import server
    monkeypatch.setattr(server, "MAX_DRAIN", 1024 * 1024)


def test_an_oversized_body_answers_413_the_client_can_read(emu, raw, small_drain):
    from oci._vendor import requests
    before = state_digest(emu)
    body = b'{"compartmentId": "' + b"x" * (12 * 1024 * 1024) + b'"}'
    url = emu.base_url + "/core/20160918/vcns"
    r = requests.post(url, data=body, headers={"content-type": "application/json"}, timeout=30)
    assert r.status_code == 413 and r.json()["code"] == "RequestEntityTooLarge", r.text[:200]
    assert r.headers.get("connection") == "close"
    status, data = raw.send("POST", "/core/20160918/vcns", body, {"content-type": "application/json",
                                                                   "content-length": str(len(body))})
    assert status == 413 and assert_oci_4xx(status, data)["code"] == "RequestEntityTooLarge"
    assert state_digest(emu) == before


def test_a_refused_upload_answers_what_the_client_can_read(emu, raw):
    from oci._vendor import requests
    before = state_digest(emu)
    url = emu.base_url + "/object_storage/n/nosuchnamespace/b/nosuchbucket/o/big"
    r = requests.put(url, data=b"x" * (40 * 1024 * 1024), timeout=60)  # unsigned: refused before reading
    assert 400 <= r.status_code < 500 and r.json()["code"], r.text[:200]
    assert state_digest(emu) == before


# ---------------------------------------------------------------- tags and CIDR blocks

@pytest.mark.parametrize("tags", [{f"k{i}": "v" for i in range(11)}, {f"k{i}": "v" for i in range(10_000)},
                                  {"a.b": "v"}, {"a b": "v"}, {"k": "v" * 257}, {"k" * 101: "v"}])
def test_freeform_tags_within_oci_limits(emu, raw, tags):
    before = state_digest(emu)
    status, data = raw.signed("POST", "/core/20160918/vcns", json.dumps(
        {"compartmentId": raw.tenancy, "cidrBlock": "10.252.0.0/16", "freeformTags": tags}).encode())
    doc = assert_oci_4xx(status, data)
    assert status == 400 and "freeformTags" in doc["message"], doc
    assert state_digest(emu) == before


def test_defined_tags_within_oci_limits(emu, raw):
    before = state_digest(emu)
    status, data = raw.signed("POST", "/core/20160918/vcns", json.dumps(
        {"compartmentId": raw.tenancy, "cidrBlock": "10.252.0.0/16",
         "definedTags": {"Operations": {f"k{i}": "v" for i in range(65)}}}).encode())
    doc = assert_oci_4xx(status, data)
    assert status == 400 and "at most 64 defined tags" in doc["message"], doc
    assert state_digest(emu) == before


@pytest.mark.parametrize("cidr", ["224.0.0.0/16", "239.255.0.0/16", "240.0.0.0/16", "127.0.0.0/16", "0.0.0.0/16",
                                  "169.254.0.0/16"])
def test_reserved_ranges_are_not_vcn_cidrs(emu, raw, cidr):
    before = state_digest(emu)
    status, data = raw.signed("POST", "/core/20160918/vcns", json.dumps(
        {"compartmentId": raw.tenancy, "cidrBlock": cidr}).encode())
    doc = assert_oci_4xx(status, data)
    assert status == 400 and "reserved" in doc["message"], doc
    assert state_digest(emu) == before


@pytest.mark.parametrize("cond", ["(" * 3000 + "displayName = 'a'" + ")" * 3000,
                                  " && ".join(["displayName = 'a'"] * 5000)])
def test_search_query_nesting_and_length_are_bounded(emu, raw, cond):
    body = {"type": "Structured", "query": f"query instance resources where {cond}"}
    status, data = raw.signed("POST", "/resource_search/20180409/resources", json.dumps(body).encode())
    doc = assert_oci_4xx(status, data)
    assert status == 400 and "position" in doc["message"] and len(doc["message"]) < 400, doc
