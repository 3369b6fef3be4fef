"""Property-based tests for every validator behind the creation dialogs: invalid input is
refused with a message, valid input is accepted, and nothing ever raises."""

from __future__ import annotations

import base64
import ipaddress

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ociconsole import catalog
from ociconsole.catalog import validators as v
from ociconsole.catalog.forms import FormContext

anything = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(),
                     st.binary(max_size=20), st.lists(st.text(max_size=5), max_size=3),
                     st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def msg_or_none(r):
    assert r is None or (isinstance(r, str) and r.strip()), r
    return r


# ---------------------------------------------------------------- never raises, whatever the input

@SETTINGS
@given(anything)
def test_no_validator_raises(value):
    for fn in (v.display_name, v.iam_name, v.compartment_name, v.description, v.dns_label, v.cidr,
               v.ssh_public_keys, v.tags, v.policy_statement, v.policy_statements):
        msg_or_none(fn(value))
    msg_or_none(v.subnet_cidr(value, ["10.0.0.0/16"], [("a", "10.0.1.0/24")]))
    msg_or_none(v.number_in(value, 1, 64, "OCPUs"))
    msg_or_none(v.flex_memory(value, 2, {"min_in_g_bs": 1, "max_in_g_bs": 1024, "min_per_ocpu_in_gbs": 1,
                                         "max_per_ocpu_in_gbs": 64}))


# values that have broken validators somewhere: every one goes into every field of every create form
AWKWARD = [None, True, False, 0, -1, 1, 2**63, -(2**63), 1.5, float("nan"), float("inf"), -float("inf"), "", " ",
           "\n", "0", "-1", "1e309", "nan", "x" * 10_000, "\x00", "é🙂", "10.0.0.0/33", "a,b", "=", "${x}",
           b"", b"\xff", [], [""], [None], ["a", 1], {}, {"": ""}, {"a": None}, {"a": {"b": []}}, object()]


def _create_forms():
    return [(k, k.create) for k in catalog.kinds() if k.create is not None]


def test_every_form_field_check_never_raises_on_awkward_values():
    """Field.check over every field of every declared create form, with each awkward value in that field and
    the other fields holding the next awkward values in turn."""
    ctx = FormContext(session=None, compartment_id="ocid1.compartment.oc1..x")
    checked = 0
    for _kind, form in _create_forms():
        names = [f.name for f in form.fields]
        for f in form.fields:
            for i, value in enumerate(AWKWARD):
                values = {n: AWKWARD[(i + j + 1) % len(AWKWARD)] for j, n in enumerate(names)}
                values[f.name] = value
                msg_or_none(f.check(value, values, ctx))
                checked += 1
    assert checked > 1000


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_form_field_check_never_raises(data):
    """Field.check over every field of every declared create form, with arbitrary values drawn together (30
    examples: a draw over every form costs ~0.25 s; the awkward values above cover each field alone)."""
    ctx = FormContext(session=None, compartment_id="ocid1.compartment.oc1..x")
    for k, form in _create_forms():
        # one draw per form (a draw of st.data() costs more than the value it draws)
        values = data.draw(st.fixed_dictionaries({f.name: anything for f in form.fields}), label=k.name)
        for f in form.fields:
            msg_or_none(f.check(values[f.name], values, ctx))


# ---------------------------------------------------------------- names

@SETTINGS
@given(st.from_regex(r"[A-Za-z0-9._+@-]{1,100}", fullmatch=True))
def test_iam_names_accepted(name):
    assert v.iam_name(name) is None


@SETTINGS
@given(st.text(min_size=1, max_size=120))
def test_iam_names_with_other_characters_refused(name):
    assume(any(not (c.isascii() and (c.isalnum() or c in "._+@-")) for c in name) or len(name) > 100)
    assert msg_or_none(v.iam_name(name))


@SETTINGS
@given(st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,14}", fullmatch=True))
def test_dns_labels_accepted(label):
    assert v.dns_label(label) is None


@SETTINGS
@given(st.text(min_size=1, max_size=30))
def test_dns_labels_refused_unless_well_formed(label):
    ok = label[:1].isascii() and label[:1].isalpha() and len(label) <= 15 and all(
        c.isascii() and c.isalnum() for c in label)
    assert (v.dns_label(label) is None) == ok


@SETTINGS
@given(st.text(max_size=300))
def test_display_names(name):
    r = v.display_name(name, required=True)
    if not name.strip() or len(name) > 255 or any(ord(c) < 32 or ord(c) == 127 for c in name):
        assert msg_or_none(r)
    else:
        assert r is None


# ---------------------------------------------------------------- CIDRs

networks = st.builds(lambda addr, prefix: ipaddress.IPv4Network((addr, prefix), strict=False),
                     st.integers(0, 2**32 - 1), st.integers(0, 32))


@SETTINGS
@given(networks)
def test_cidr_prefix_bounds(net):
    r = v.cidr(str(net))
    reserved = any(net.overlaps(ipaddress.IPv4Network(n)) for n in
                   ("0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4"))
    assert (r is None) == (16 <= net.prefixlen <= 30 and not reserved)


@pytest.mark.parametrize("text", ["224.0.0.0/16", "127.0.0.0/16", "0.0.0.0/16", "169.254.0.0/16", "240.1.0.0/16"])
def test_reserved_cidrs_refused(text):
    assert "reserved" in v.cidr(text)


@SETTINGS
@given(st.integers(0, 2**32 - 1), st.integers(16, 30))
def test_cidr_with_host_bits_suggests_the_network(addr, prefix):
    net = ipaddress.IPv4Network((addr, prefix), strict=False)
    assume(int(net.network_address) != addr)
    text = f"{ipaddress.IPv4Address(addr)}/{prefix}"
    assert str(net) in v.cidr(text)


@SETTINGS
@given(st.integers(0, 255), st.integers(0, 255), st.integers(17, 28))
def test_subnet_inside_vcn_without_overlap(a, b, prefix):
    vcn = "10.0.0.0/16"
    sub = ipaddress.IPv4Network((f"10.0.{a}.{b}", prefix), strict=False)
    existing = [("taken", "10.0.200.0/24")]
    r = v.subnet_cidr(str(sub), [vcn], existing)
    overlaps = sub.overlaps(ipaddress.IPv4Network("10.0.200.0/24"))
    assert (r is None) == (not overlaps)
    outside = ipaddress.IPv4Network((f"10.1.{a}.{b}", prefix), strict=False)
    assert "inside the VCN" in v.subnet_cidr(str(outside), [vcn], existing)


# ---------------------------------------------------------------- OCPUs and memory

MEM = {"min_in_g_bs": 1, "max_in_g_bs": 1024, "min_per_ocpu_in_gbs": 1, "max_per_ocpu_in_gbs": 64}


@SETTINGS
@given(st.integers(-5, 100), st.floats(-10, 5000, allow_nan=False))
def test_flex_ocpu_and_memory_bounds(ocpus, mem):
    ocpu_err = v.number_in(ocpus, 1, 64, "OCPUs")
    assert (ocpu_err is None) == (1 <= ocpus <= 64)
    err = v.flex_memory(mem, ocpus, MEM)
    within = mem == int(mem) and 1 <= mem <= 1024 and (ocpus <= 0 or ocpus * 1 <= mem <= ocpus * 64)
    assert (err is None) == within, (ocpus, mem, err)


# ---------------------------------------------------------------- SSH keys

def _ed25519() -> str:
    k = ed25519.Ed25519PrivateKey.generate().public_key()
    return k.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key().public_bytes(
    serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=20))
def test_real_ssh_keys_accepted(comment):
    keys = [_ed25519() + (f" {comment}" if comment else ""), RSA_KEY + " admin@host"]
    assert v.ssh_public_keys("\n".join(keys)) is None


@SETTINGS
@given(st.text(max_size=200))
def test_garbage_is_not_an_ssh_key(text):
    assume(text.strip() and not text.strip().startswith("#"))
    assume(not any(line.strip().startswith(("ssh-", "ecdsa-", "sk-")) for line in text.splitlines()))
    assert msg_or_none(v.ssh_public_keys(text))


@SETTINGS
@given(st.integers(min_value=4, max_value=60))
def test_truncated_ssh_key_refused(cut):
    kind, data = _ed25519().split()[:2]
    blob = base64.b64decode(data)[:cut]
    assume(len(blob) < len(base64.b64decode(data)))
    r = v.ssh_public_keys(f"{kind} {base64.b64encode(blob).decode()}")
    assert msg_or_none(r)


# ---------------------------------------------------------------- policy statements

verbs = st.sampled_from(["inspect", "read", "use", "manage"])
rtypes = st.sampled_from(["all-resources", "instance-family", "virtual-network-family", "object-family",
                          "volume-family", "database-family"])
groups = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,20}", fullmatch=True)
places = st.one_of(st.just("tenancy"), st.from_regex(
                   r"compartment [A-Za-z][A-Za-z0-9_-]{0,15}(:[A-Za-z][A-Za-z0-9]{0,8}){0,2}",
                                                     fullmatch=True))


@SETTINGS
@given(groups, verbs, rtypes, places)
def test_well_formed_statements_accepted(group, verb, rtype, place):
    assert v.policy_statement(f"Allow group {group} to {verb} {rtype} in {place}") is None


@SETTINGS
@given(groups, st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=10), rtypes, places)
def test_unknown_verbs_refused(group, verb, rtype, place):
    assume(verb not in ("inspect", "read", "use", "manage"))
    assert "verb" in v.policy_statement(f"Allow group {group} to {verb} {rtype} in {place}")


@SETTINGS
@given(st.text(max_size=120))
def test_arbitrary_statements_never_raise(text):
    msg_or_none(v.policy_statement(text))
    msg_or_none(v.policy_statements(text))


# ---------------------------------------------------------------- tags

keys = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters="=."), min_size=1,
               max_size=30)
values = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40).map(str.strip)


@SETTINGS
@given(st.dictionaries(keys, values, max_size=10))
def test_tags_round_trip(tags):
    text = "\n".join(f"{k}={val}" for k, val in tags.items())
    parsed, err = v.parse_tags(text)
    assert err is None and parsed == tags


@SETTINGS
@given(st.lists(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters="="),
                        min_size=1, max_size=10), min_size=1, max_size=5))
def test_tag_lines_without_equals_refused(lines):
    assert "key=value" in v.tags("\n".join(lines))


# ---------------------------------------------------------------- monitoring: MQL, custom metrics, alarms

@SETTINGS
@given(anything)
def test_monitoring_validators_never_raise(value):
    for fn in (v.mql, lambda x: v.mql(x, alarm=True), v.metric_namespace, v.metric_name, v.metric_dimensions,
               v.alarm_destinations):
        msg_or_none(fn(value))
    assert v.iso_duration(value) is None or isinstance(v.iso_duration(value), int)


metric_names = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,20}", fullmatch=True)
dim_values = st.from_regex(r"[A-Za-z0-9 _.:/*|-]{1,20}", fullmatch=True).filter(lambda s: '"' not in s)


@st.composite
def mql_queries(draw):
    """Well-formed MQL: metric, interval, filters, groupings, a statistic, maybe a predicate; joined."""
    def one():
        q = draw(metric_names) + f"[{draw(st.sampled_from(['1m', '5m', '60m', '1h', '24h', '1d']))}]"
        dims = draw(st.dictionaries(metric_names, dim_values, max_size=3))
        if dims:
            ops = [draw(st.sampled_from(["=", "=~", "!=", "!~"])) for _ in dims]
            q += "{" + ", ".join(f'{k} {op} "{val}"' for (k, val), op in zip(dims.items(), ops, strict=False)) + "}"
        if draw(st.booleans()):
            q += draw(st.sampled_from([".grouping()", ".groupBy(resourceId)", ".groupBy(a, b)"]))
        q += "." + draw(st.sampled_from(["mean()", "max()", "min()", "sum()", "count()", "rate()", "avg()",
                                         "increment()", "percentile(0.9)", "absent()", "absent(20m)"]))
        pred = draw(st.sampled_from(["", " > 80", " >= 1.5", " < -2", " == 0", " != 3e2", " in (1, 2)",
                                     " not in (0, 10)"]))
        return q + pred
    q = one()
    for _ in range(draw(st.integers(0, 2))):
        q = f"({q}) {draw(st.sampled_from(['&&', '||']))} {one()}"
    return q


@SETTINGS
@given(mql_queries())
def test_well_formed_mql_accepted(query):
    assert v.mql(query) is None


@SETTINGS
@given(mql_queries(), st.data())
def test_truncated_mql_refused_with_a_column(query, data):
    cut = data.draw(st.integers(1, len(query) - 1))
    head = query[:cut]
    from ociconsole.catalog import mql as cmql
    err = cmql.check(head)
    if err is not None:  # some prefixes are complete queries ("A[1m].mean() > 8" of "> 80")
        assert 1 <= err.column <= len(head) + 1
        assert v.mql(head).startswith(f"Column {err.column}: ")


@SETTINGS
@given(metric_names.filter(lambda s: not s.lower().startswith(("oci_", "oracle_", "oraclecloud"))))
def test_custom_namespaces_accepted(ns):
    assert v.metric_namespace(ns) is None


@SETTINGS
@given(st.sampled_from(["oci_", "OCI_", "oracle_", "oraclecloud"]),
       st.from_regex(r"[A-Za-z0-9_]{0,10}", fullmatch=True))
def test_reserved_namespaces_refused(prefix, rest):
    assert "reserved" in v.metric_namespace(prefix + rest)


@SETTINGS
@given(st.dictionaries(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters="="),
                               min_size=1, max_size=20), dim_values.map(str.strip).filter(bool), min_size=1,
                       max_size=20))
def test_dimensions_round_trip(dims):
    parsed, err = v.parse_dimensions("\n".join(f"{k}={val}" for k, val in dims.items()))
    assert err is None and parsed == dims
