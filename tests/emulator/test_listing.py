"""List operations: pagination (limit/page/opc-next-page), sorting and the usual filters."""

from __future__ import annotations

import oci
import pytest

DEMO_COMPARTMENTS = 17


def _compartments_by_name(clients) -> dict:
    """The demo compartments by name (two are called "Web": do not look those up here)."""
    comps = clients.identity.list_compartments(clients.tenancy, compartment_id_in_subtree=True, limit=1000).data
    return {c.name: c for c in comps}


def _pages(list_fn, *args, **kwargs) -> list[list]:
    pages, page = [], None
    while True:
        resp = list_fn(*args, page=page, **kwargs) if page else list_fn(*args, **kwargs)
        pages.append(resp.data)
        page = resp.headers.get("opc-next-page")
        if not page:
            return pages
        assert resp.has_next_page


def test_pagination_walks_every_page_without_gaps_or_duplicates(clients):
    full = clients.identity.list_compartments(clients.tenancy, compartment_id_in_subtree=True, limit=1000)
    assert "opc-next-page" not in full.headers
    assert len(full.data) == DEMO_COMPARTMENTS

    pages = _pages(clients.identity.list_compartments, clients.tenancy, compartment_id_in_subtree=True, limit=5)
    assert [len(p) for p in pages] == [5, 5, 5, 2]
    ids = [c.id for p in pages for c in p]
    assert len(set(ids)) == len(ids) == DEMO_COMPARTMENTS
    assert ids == [c.id for c in full.data]

    # the SDK's own paginator follows opc-next-page the same way
    all_ = oci.pagination.list_call_get_all_results(
        clients.identity.list_compartments, clients.tenancy, compartment_id_in_subtree=True, limit=2).data
    assert [c.id for c in all_] == ids


def test_pagination_of_instances_and_images(clients):
    comps = _compartments_by_name(clients)
    tools = comps["Shared-Tools"].id
    pages = _pages(clients.compute.list_instances, tools, limit=1)
    assert len(pages) == 3 and all(len(p) == 1 for p in pages)
    assert {p[0].display_name for p in pages} == {"jenkins", "bastion", "old-build-agent"}

    images = _pages(clients.compute.list_images, clients.tenancy, limit=3)
    assert [len(p) for p in images] == [3, 3, 3, 1]


def test_limit_larger_than_the_list_has_no_next_page(clients):
    resp = clients.identity.list_compartments(clients.tenancy, limit=1000)
    assert resp.data and resp.headers.get("opc-next-page") is None and not resp.has_next_page


@pytest.mark.parametrize("token", ["garbage", "5.deadbeef", "-1.00000000", ""])
def test_bad_page_token_is_400(clients, raw, emulator, token):
    if token:
        with pytest.raises(oci.exceptions.ServiceError) as ei:
            clients.identity.list_compartments(clients.tenancy, limit=2, page=token)
        assert (ei.value.status, ei.value.code) == (400, "InvalidParameter")
        assert "page" in ei.value.message.lower()
    # an empty page parameter means the first page
    r = raw.get(f"{emulator.base_url}/identity/20160918/compartments",
                params={"compartmentId": clients.tenancy, "limit": "2", "page": token})
    if token:
        assert r.status_code == 400 and r.json()["code"] == "InvalidParameter"
    else:
        assert r.status_code == 200 and len(r.json()) == 2


def test_sort_by_name_both_orders_and_across_pages(clients):
    t = clients.tenancy
    asc = clients.identity.list_compartments(t, compartment_id_in_subtree=True, sort_by="NAME",
                                             sort_order="ASC").data
    names = [c.name for c in asc]
    assert names == sorted(names) and len(names) == DEMO_COMPARTMENTS
    desc = clients.identity.list_compartments(t, compartment_id_in_subtree=True, sort_by="NAME",
                                              sort_order="DESC").data
    assert [c.name for c in desc] == sorted(names, reverse=True)
    # sorting happens before paging: the pages concatenate to the sorted list
    paged = _pages(clients.identity.list_compartments, t, compartment_id_in_subtree=True, sort_by="NAME",
                   sort_order="ASC", limit=4)
    assert [c.name for p in paged for c in p] == names


def test_sort_by_time_created(clients):
    t = clients.tenancy
    default = clients.identity.list_compartments(t, compartment_id_in_subtree=True, sort_by="TIMECREATED").data
    times = [c.time_created for c in default]
    assert times == sorted(times, reverse=True), "TIMECREATED defaults to newest first"
    asc = clients.identity.list_compartments(t, compartment_id_in_subtree=True, sort_by="TIMECREATED",
                                             sort_order="ASC").data
    assert [c.time_created for c in asc] == sorted(times)


def test_sort_instances_by_display_name(clients):
    tools = _compartments_by_name(clients)["Shared-Tools"].id
    asc = [i.display_name for i in clients.compute.list_instances(tools, sort_by="DISPLAYNAME", sort_order="ASC").data]
    assert asc == ["bastion", "jenkins", "old-build-agent"]
    desc = [i.display_name for i in clients.compute.list_instances(tools, sort_by="DISPLAYNAME",
                                                                   sort_order="DESC").data]
    assert desc == list(reversed(asc))


def test_filter_by_display_name(clients):
    comps = _compartments_by_name(clients)
    got = clients.compute.list_instances(comps["Frontend"].id, display_name="web-01").data
    assert [i.display_name for i in got] == ["web-01"]
    assert clients.compute.list_instances(comps["Frontend"].id, display_name="nope").data == []
    vcns = clients.network.list_vcns(comps["Production"].id, display_name="prod-vcn").data
    assert [v.display_name for v in vcns] == ["prod-vcn"]
    named = clients.identity.list_compartments(clients.tenancy, name="Production").data
    assert [c.name for c in named] == ["Production"]


def test_filter_by_lifecycle_state(clients):
    comps = _compartments_by_name(clients)
    stopped = clients.compute.list_instances(comps["API"].id, lifecycle_state="STOPPED").data
    assert [(i.display_name, i.lifecycle_state) for i in stopped] == [("api-02", "STOPPED")]
    running = clients.compute.list_instances(comps["API"].id, lifecycle_state="RUNNING").data
    assert [i.display_name for i in running] == ["api-01"]
    gone = clients.compute.list_instances(comps["Shared-Tools"].id, lifecycle_state="TERMINATED").data
    assert [i.display_name for i in gone] == ["old-build-agent"]
    assert clients.identity.list_compartments(clients.tenancy, compartment_id_in_subtree=True,
                                              lifecycle_state="DELETED").data == []


def test_filter_by_availability_domain(clients):
    frontend = _compartments_by_name(clients)["Frontend"].id
    ads = [a.name for a in clients.identity.list_availability_domains(clients.tenancy).data]
    assert len(ads) == 3
    by_ad = {ad: [i.display_name for i in clients.compute.list_instances(frontend, availability_domain=ad).data]
             for ad in ads}
    assert by_ad == {ads[0]: ["web-01"], ads[1]: ["web-02"], ads[2]: []}


def test_filters_apply_before_pagination(clients):
    pages = _pages(clients.compute.list_images, clients.tenancy, operating_system="Oracle Linux", limit=3)
    names = [i.display_name for p in pages for i in p]
    assert [len(p) for p in pages] == [3, 1]
    assert len(names) == 4 and all(n.startswith("Oracle-Linux") for n in names)


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """A `large` seed, kept small: 30 compartments and 150 instances, all in the first compartment."""
    from tests.conftest import make_emulator

    from .helpers import Clients
    emu = make_emulator(tmp_path_factory.mktemp("large"), seed="large",
                        seed_options={"compartments": 30, "instances": 150})
    yield emu, Clients(emu)
    violations = list(emu.core.strict_violations)
    emu.stop()
    assert not violations, violations


def test_large_lists_page_sort_and_filter_together(large):
    _emu, c = large
    comps = oci.pagination.list_call_get_all_results(
        c.identity.list_compartments, c.tenancy, compartment_id_in_subtree=True, limit=7).data
    assert len(comps) == 30 and len({x.id for x in comps}) == 30
    first = next(x for x in comps if x.name == "c0001").id

    pages = _pages(c.compute.list_instances, first, limit=40, sort_by="DISPLAYNAME", sort_order="DESC")
    assert [len(p) for p in pages] == [40, 40, 40, 30]
    names = [i.display_name for p in pages for i in p]
    assert names == sorted((f"i-{n:05d}" for n in range(150)), reverse=True)

    gone = _pages(c.compute.list_instances, first, limit=4, lifecycle_state="TERMINATED")
    assert [len(p) for p in gone] == [4, 4, 4, 3]
    assert all(i.lifecycle_state == "TERMINATED" for p in gone for i in p)
