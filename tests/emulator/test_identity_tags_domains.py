"""Tag defaults, cost-tracking tags, moving and cascade-deleting a tag namespace (a tagging work request),
identity domains (the tenancy's Default domain, create/update/deactivate/activate/delete, license types,
compartment moves, replication) and the IAM work requests they create, through the real SDK."""

from __future__ import annotations

import oci
import pytest

from .helpers import IM, unique


def _ops(c):
    ns = next(n for n in c.identity.list_tag_namespaces(c.tenancy).data if n.name == "Operations")
    tags = {t.name: t for t in c.identity.list_tags(ns.id).data}
    return ns, tags


def _error(fn, *a, **kw) -> oci.exceptions.ServiceError:
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fn(*a, **kw)
    return e.value


def test_tag_defaults(clients):
    c = clients
    ns, tags = _ops(c)
    comp = c.identity.list_compartments(c.tenancy).data[0]
    td = c.identity.create_tag_default(IM.CreateTagDefaultDetails(
        compartment_id=comp.id, tag_definition_id=tags["Environment"].id, value="prod")).data
    assert td.tag_namespace_id == ns.id and td.tag_definition_name == "Environment" and td.is_required is False
    assert td.lifecycle_state == "ACTIVE"
    assert c.identity.get_tag_default(td.id).data.value == "prod"
    assert [d.id for d in c.identity.list_tag_defaults(compartment_id=comp.id).data] == [td.id]
    assert c.identity.list_tag_defaults(tag_definition_id=tags["Owner"].id).data == []
    upd = c.identity.update_tag_default(td.id, IM.UpdateTagDefaultDetails(value="staging", is_required=True)).data
    assert upd.value == "staging" and upd.is_required is True
    # OCI's rules: one default per tag and compartment, values within the tag's list
    e = _error(c.identity.create_tag_default, IM.CreateTagDefaultDetails(
        compartment_id=comp.id, tag_definition_id=tags["Environment"].id, value="dev"))
    assert e.status == 409
    e = _error(c.identity.update_tag_default, td.id, IM.UpdateTagDefaultDetails(value="qa"))
    assert e.status == 400 and "allowed" in e.message
    e = _error(c.identity.create_tag_default, IM.CreateTagDefaultDetails(
        compartment_id=c.tenancy, tag_definition_id="ocid1.tagdefinition.oc1..nope", value="x"))
    assert e.status == 404
    c.identity.delete_tag_default(td.id)
    assert _error(c.identity.get_tag_default, td.id).status == 404


def test_cost_tracking_tags(clients):
    c = clients
    names = [t.name for t in c.identity.list_cost_tracking_tags(c.tenancy).data]
    assert names == ["CostCenter"]
    ns, tags = _ops(c)
    c.identity.update_tag(ns.id, "Owner", IM.UpdateTagDetails(is_cost_tracking=True))
    assert sorted(t.name for t in c.identity.list_cost_tracking_tags(c.tenancy).data) == ["CostCenter", "Owner"]


def test_move_and_cascade_delete_a_tag_namespace(clients):
    c = clients
    ns = c.identity.create_tag_namespace(IM.CreateTagNamespaceDetails(
        compartment_id=c.tenancy, name=unique("ns"), description="to delete")).data
    tag = c.identity.create_tag(ns.id, IM.CreateTagDetails(name="Team", description="team")).data
    comp = c.identity.list_compartments(c.tenancy).data[0]
    td = c.identity.create_tag_default(IM.CreateTagDefaultDetails(
        compartment_id=comp.id, tag_definition_id=tag.id, value="core")).data
    c.identity.change_tag_namespace_compartment(ns.id, IM.ChangeTagNamespaceCompartmentDetail(compartment_id=comp.id))
    assert c.identity.get_tag_namespace(ns.id).data.compartment_id == comp.id
    assert c.identity.get_tag(ns.id, "Team").data.compartment_id == comp.id

    resp = c.identity.cascade_delete_tag_namespace(ns.id)
    wr_id = resp.headers["opc-work-request-id"]
    wr = oci.wait_until(c.identity, c.identity.get_tagging_work_request(wr_id), "status", "SUCCEEDED").data
    assert wr.operation_type == "DELETE_NON_EMPTY_TAG_NAMESPACE" and wr.resources[0].identifier == ns.id
    assert wr_id in [w.id for w in c.identity.list_tagging_work_requests(comp.id).data]
    logs = c.identity.list_tagging_work_request_logs(wr_id).data
    assert logs and logs[-1].message == "Tag namespace and its tag definitions deleted"
    assert c.identity.list_tagging_work_request_errors(wr_id).data == []
    assert _error(c.identity.get_tag_namespace, ns.id).status == 404
    assert _error(c.identity.get_tag_default, td.id).status == 404
    assert _error(c.identity.get_tagging_work_request, "ocid1.taggingworkrequest.oc1..nope").status == 404


def test_default_domain_and_license_types(clients):
    c = clients
    domains = c.identity.list_domains(c.tenancy).data
    assert [(d.display_name, d.type, d.license_type) for d in domains] == [("Default", "DEFAULT", "free")]
    d = c.identity.get_domain(domains[0].id).data
    assert d.url.startswith("https://idcs-") and d.home_region == "us-ashburn-1"
    types = {t.license_type for t in c.identity.list_allowed_domain_license_types().data}
    assert {"free", "premium", "oracle-apps", "oracle-apps-premium", "external-user"} == types
    assert [t.license_type for t in c.identity.list_allowed_domain_license_types(
        current_license_type_name="external-user").data] == ["premium"]
    assert _error(c.identity.deactivate_domain, d.id).status == 400  # the Default domain stays


def _wait_wr(c, resp):
    wr_id = resp.headers["opc-work-request-id"]
    return oci.wait_until(c.identity, c.identity.get_iam_work_request(wr_id), "status", "SUCCEEDED").data


def test_secondary_domain_lifecycle_and_iam_work_requests(clients):
    c = clients
    comp = c.identity.list_compartments(c.tenancy).data[0]
    details = IM.CreateDomainDetails(
        compartment_id=c.tenancy, display_name="partners", description="Partner portal users",
        home_region="us-ashburn-1", license_type="external-user", admin_first_name="Pat", admin_last_name="Lee",
        admin_user_name="pat", admin_email="pat@example.com")
    wr = _wait_wr(c, c.identity.create_domain(details))
    assert wr.operation_type == "CREATE_DOMAIN"
    dom_id = wr.resources[0].identifier
    dom = c.identity.get_domain(dom_id).data
    assert dom.lifecycle_state == "ACTIVE" and dom.type == "SECONDARY" and dom.license_type == "external-user"
    assert wr.id in [w.id for w in c.identity.list_iam_work_requests(c.tenancy).data]
    assert c.identity.list_iam_work_request_logs(wr.id).data
    assert c.identity.list_iam_work_request_errors(wr.id).data == []
    assert _error(c.identity.create_domain, details).status == 409  # names are unique in the tenancy
    assert _error(c.identity.create_domain, IM.CreateDomainDetails(
        compartment_id=c.tenancy, display_name="x", description="x", home_region="eu-nowhere-1",
        license_type="free")).status == 400

    _wait_wr(c, c.identity.update_domain(dom_id, IM.UpdateDomainDetails(description="Partners",
                                                                        is_hidden_on_login=True)))
    dom = c.identity.get_domain(dom_id).data
    assert dom.description == "Partners" and dom.is_hidden_on_login is True and dom.lifecycle_details is None
    _wait_wr(c, c.identity.change_domain_license_type(dom_id, IM.ChangeDomainLicenseTypeDetails(
        license_type="premium")))
    assert c.identity.get_domain(dom_id).data.license_type == "premium"
    e = _error(c.identity.change_domain_license_type, dom_id, IM.ChangeDomainLicenseTypeDetails(license_type="free"))
    assert e.status == 400 and "cannot change" in e.message
    _wait_wr(c, c.identity.change_domain_compartment(dom_id, IM.ChangeDomainCompartmentDetails(
        compartment_id=comp.id)))
    assert c.identity.get_domain(dom_id).data.compartment_id == comp.id
    c.identity.create_region_subscription(IM.CreateRegionSubscriptionDetails(region_key="PHX"), c.tenancy)
    _wait_wr(c, c.identity.enable_replication_to_region(dom_id, IM.EnableReplicationToRegionDetails(
        replica_region="us-phoenix-1")))
    reps = c.identity.get_domain(dom_id).data.replica_regions
    assert [(r.region, r.state) for r in reps] == [("us-phoenix-1", "REPLICATION_ENABLED")]

    assert _error(c.identity.delete_domain, dom_id).status == 409  # still ACTIVE
    _wait_wr(c, c.identity.deactivate_domain(dom_id))
    assert c.identity.get_domain(dom_id).data.lifecycle_state == "INACTIVE"
    _wait_wr(c, c.identity.activate_domain(dom_id))
    assert c.identity.get_domain(dom_id).data.lifecycle_state == "ACTIVE"
    _wait_wr(c, c.identity.deactivate_domain(dom_id))
    wr = _wait_wr(c, c.identity.delete_domain(dom_id))
    assert wr.operation_type == "DELETE_DOMAIN"
    assert _error(c.identity.get_domain, dom_id).status == 404
    assert _error(c.identity.get_iam_work_request, "ocid1.iamworkrequest.oc1..nope").status == 404
