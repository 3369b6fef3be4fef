"""Resource Search: structured queries and free text across every declared kind."""

from __future__ import annotations

import oci
import pytest

M = oci.resource_search.models


@pytest.fixture
def sc(emulator, oci_config):
    return oci.resource_search.ResourceSearchClient(oci_config, service_endpoint=emulator.endpoint("resource_search"))


def q(sc, query, **kw):
    return oci.pagination.list_call_get_all_results(sc.search_resources, M.StructuredSearchDetails(query=query),
                                                    **kw).data


def test_running_instances_across_the_tenancy_in_pages(sc):
    running = q(sc, "query instance resources where lifeCycleState = 'RUNNING'", limit=4)
    assert len(running) == 11
    assert all(r.resource_type == "Instance" and r.lifecycle_state == "RUNNING" for r in running)
    assert {"api-01", "web-01", "bastion"} <= {r.display_name for r in running}
    assert "api-02" not in {r.display_name for r in running}
    assert all(r.identifier.startswith("ocid1.instance.") and r.compartment_id for r in running)


def test_operators_and_sorting(sc):
    names = [r.display_name for r in q(sc, "query instance resources where displayName =~ 'WEB' "
                                           "&& lifeCycleState != 'terminated' sorted by displayName desc")]
    assert names == sorted(names, reverse=True) and set(names) == {"web-01", "web-02", "stg-web-01", "stg-web-02"}
    either = {r.display_name for r in q(sc, "query instance resources where (displayName = 'api-01' || "
                                            "displayName = 'jenkins') && lifeCycleState = 'RUNNING'")}
    assert either == {"api-01", "jenkins"}
    tagged = {r.display_name for r in q(sc, "query instance resources where freeformTags.key = 'app' && "
                                            "definedTags.Operations.Environment = 'dev'")}
    assert {"alice-dev", "jenkins", "bastion"} <= tagged and "web-01" not in tagged
    several = {r.resource_type for r in q(sc, "query vcn, subnet, compartment resources")}
    assert several == {"Vcn", "Subnet", "Compartment"}


def test_free_text(sc):
    found = sc.search_resources(M.FreeTextSearchDetails(text="prod-vcn-db")).data.items
    assert [r.resource_type for r in found] == ["Subnet"]


@pytest.mark.parametrize("query, where", [
    ("instance resources", "expected 'query'"),
    ("query instance", "expected 'resources'"),
    ("query instance resources where displayName = ", "expected a value"),
    ("query instance resources where displayName 'x'", "operator"),
    ("query widget resources", "Unknown resource type"),
    ("query instance resources where (displayName = 'x'", "expected ')'"),
])
def test_bad_queries_point_at_the_problem(sc, query, where):
    with pytest.raises(oci.exceptions.ServiceError) as e:
        sc.search_resources(M.StructuredSearchDetails(query=query))
    assert e.value.status == 400 and where in e.value.message


def test_search_is_regional(emulator, oci_config):
    phx = oci.resource_search.ResourceSearchClient(
        dict(oci_config, region="us-phoenix-1"), service_endpoint=emulator.endpoint("resource_search", "us-phoenix-1"))
    names = {r.display_name for r in q(phx, "query instance resources")}
    assert names == {"dr-web-01"}
