"""The WAF condition language (ociconsole.lang.waf_condition): OCI's examples parse, faults are placed at their
column, OCI's functions evaluate against a request's document and results read as WAF reads them."""

from __future__ import annotations

import pytest

from ociconsole.lang import waf_condition as wc

# conditions of OCI's "Understanding Conditions" page, and some with OCI's functions
GOOD = [
    "http.request.url.path == '/example/path'",
    "http.request.url.path != '/example/path'",
    "contains(http.request.url.path, 'example')",
    "!contains(http.request.url.path, 'example')",
    "starts_with(http.request.url.path, '/example/path')",
    "ends_with(http.request.url.path, '.png')",
    "contains(['GET', 'POST'], http.request.method)",
    "contains(keys(http.request.headers), 'example-header')",
    "http.request.headers.\"example-header\"[0] == 'specific-value'",
    "i_starts_with(http.request.url.path, '/admin')",
    "address_in_network(connection.source.address, ['203.0.113.0/24', '198.51.100.7'])",
    "i_equals_any(http.request.method, ['get', 'head']) && !i_ends_with(http.request.url.path, '.php')",
]


@pytest.mark.parametrize("text", GOOD)
def test_oci_examples_parse(text):
    assert wc.check(text) is None


@pytest.mark.parametrize("text, column, words", [
    ("i_starts_with(http.request.url.path,", 37, "incomplete"),
    ("http.request.url.path === '/admin'", 25, "unknown token"),
    ("http.request.url.path == '/admin", 26, "unclosed"),
    ("startswith(http.request.url.path, '/a')", 1, "unknown function startswith()"),
    ("true && contains(http.request.url.path)", 9, "contains() takes 2 arguments, not 1"),
    ("a[", 3, "incomplete"),
])
def test_faults_name_their_column(text, column, words):
    err = wc.check(text)
    assert err is not None and err.position == column - 1
    assert f"column {column}" in err.message and words in err.message.lower()


def test_empty_and_too_long():
    assert "empty" in wc.check("   ").message
    long = "http.request.url.path == '" + "a" * 1100 + "'"
    assert "at most 1024" in wc.check(long).message


def test_evaluation_against_a_request():
    doc = wc.request_document("post", "https://Shop.example.com/Admin/users?id=7&id=8",
                              {"User-Agent": "curl/8", "X-Trace": "a"}, source_address="198.51.100.7")
    assert doc["http"]["request"]["method"] == "POST" and doc["http"]["request"]["host"] == "Shop.example.com"
    assert doc["http"]["request"]["url"]["query"] == {"id": ["7", "8"]}
    assert wc.matches("i_starts_with(http.request.url.path, '/admin')", doc)
    assert not wc.matches("starts_with(http.request.url.path, '/admin')", doc)
    assert wc.matches("http.request.headers.\"user-agent\"[0] == 'curl/8'", doc)
    assert wc.matches("address_in_network(connection.source.address, ['198.51.100.0/24'])", doc)
    assert not wc.matches("address_in_network(connection.source.address, ['203.0.113.0/24'])", doc)
    assert wc.matches("address_in_network_address_list(connection.source.address, ['list1'])", doc,
                      address_lists=lambda i: ["198.51.100.7/32"] if i == "list1" else [])
    assert wc.matches("http.request.url.query.id[1] == '8'", doc)
    assert wc.matches("i_contains(keys(http.request.headers), 'X-TRACE')", doc)
    # results read as WAF reads them: empty things and null are false
    assert not wc.matches("http.request.url.query.missing", doc)
    assert not wc.matches("`[]`", doc) and wc.matches("`[0]`", doc)
    # a function given the wrong type at run time does not hold
    assert not wc.matches("i_starts_with(http.request.url.query, 'x')", doc)
    with pytest.raises(wc.ConditionError):
        wc.matches("nope(", doc)
