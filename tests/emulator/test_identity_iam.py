"""Identity through the real SDK: dynamic groups (matching rules checked as OCI's rule language, names shared
with groups, policies naming them), network sources, the authentication policy, SAML identity providers with
their group mappings, and the `oci iam dynamic-group` CLI."""

from __future__ import annotations

import oci
import pytest

from ociconsole.lang import matching_rules

from .helpers import IM, make_net, run_oci, service_error, start_emulator_process, unique

RULE = "ALL {{instance.compartment.id = '{comp}', tag.Operations.Environment.value = 'prod'}}"

METADATA = """<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data><ds:X509Certificate>MIIBszCCAVmgAwIBAgIUQ2VydA==</ds:X509Certificate></ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
                            Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""


@pytest.fixture(scope="module")
def cli_served(tmp_path_factory):
    """An emulator process for the `oci` CLI tests of this module."""
    d = tmp_path_factory.mktemp("idcli")
    cfg = d / "config"
    proc = start_emulator_process(["--port", "0", "--config-out", str(cfg), "--transition-delay", "0"],
                                  d / "emulator.log", timeout=60)
    yield proc, cfg
    proc.stop()


def _dg(c, name=None, rule=None, **kw):
    return c.identity.create_dynamic_group(IM.CreateDynamicGroupDetails(
        compartment_id=c.tenancy, name=name or unique("dg"), description=kw.pop("description", "instances"),
        matching_rule=rule or RULE.format(comp=c.tenancy), **kw)).data


# ---------------------------------------------------------------- matching rules (the shared parser)

@pytest.mark.parametrize("rule", [
    "instance.compartment.id = 'ocid1.compartment.oc1..aaaa'",
    "resource.type = 'fnfunc'",
    "ANY {resource.type = 'fnfunc', resource.compartment.id = 'ocid1.compartment.oc1..aaaa'}",
    "all {instance.id != 'ocid1.instance.oc1.iad.abc', tag.Ops.Owner.value}",
    "Any {All {instance.compartment.id = 'ocid1.tenancy.oc1..aaaa'}, resource.id = 'ocid1.fnfunc.oc1.iad.x'}",
])
def test_valid_matching_rules(rule):
    assert matching_rules.check(rule) is None


@pytest.mark.parametrize("rule, position, words", [
    ("", 1, "empty"),
    ("ALL {instance.compartment.id = 'ocid1.compartment.oc1..a'", 58, "ends too early"),
    ("ALL {instance.compartment.id = ocid1}", 32, "must be quoted"),
    ("ANY {foo.bar = 'x'}", 6, "unknown variable"),
    ("ALL {instance.id = 'oops", 20, "unterminated"),
    ("ANY {}", 6, "at least one"),
    ("instance.id = 'i-123'", 15, "takes an OCID"),
    ("resource.type = 'fnfunc' extra", 26, "after the end"),
    ("ALL {resource.type = 'fnfunc' resource.id = 'x'}", 31, "expected ','"),
])
def test_bad_matching_rules_name_the_position(rule, position, words):
    with pytest.raises(matching_rules.RuleError) as e:
        matching_rules.parse(rule)
    assert e.value.position == position and words in str(e.value)


# ---------------------------------------------------------------- dynamic groups

def test_dynamic_group_lifecycle(clients):
    c = clients
    dg = _dg(c, name="build-runners")
    assert dg.lifecycle_state in ("CREATING", "ACTIVE") and dg.compartment_id == c.tenancy
    got = oci.wait_until(c.identity, c.identity.get_dynamic_group(dg.id), "lifecycle_state", "ACTIVE").data
    assert got.matching_rule.startswith("ALL {instance.compartment.id")
    assert dg.id in [d.id for d in c.identity.list_dynamic_groups(c.tenancy).data]
    new_rule = "ANY {resource.type = 'fnfunc', resource.type = 'apigateway'}"
    upd = c.identity.update_dynamic_group(dg.id, IM.UpdateDynamicGroupDetails(
        matching_rule=new_rule, description="functions and gateways")).data
    assert upd.matching_rule == new_rule and upd.description == "functions and gateways"
    c.identity.delete_dynamic_group(dg.id)
    gone = oci.wait_until(c.identity, c.identity.get_dynamic_group(dg.id), "lifecycle_state", "DELETED").data
    assert gone.lifecycle_state == "DELETED"


def test_dynamic_group_bad_input(clients):
    c = clients
    with pytest.raises(oci.exceptions.ServiceError) as e:
        _dg(c, rule="ALL {instance.compartment.id = ocid1.compartment.oc1..aaaa}")
    assert service_error(e) == (400, "InvalidParameter")
    assert "matchingRule" in e.value.message and "position 32" in e.value.message
    comp = c.identity.list_compartments(c.tenancy).data[0]
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.identity.create_dynamic_group(IM.CreateDynamicGroupDetails(
            compartment_id=comp.id, name=unique("dg"), description="x", matching_rule="resource.type = 'fnfunc'"))
    assert e.value.status == 400 and "root compartment" in e.value.message
    _dg(c, name="dup-dg")
    with pytest.raises(oci.exceptions.ServiceError) as e:
        _dg(c, name="DUP-dg")
    assert e.value.status == 409
    # groups and dynamic groups share names: a group cannot take it either, nor the other way round
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.identity.create_group(IM.CreateGroupDetails(compartment_id=c.tenancy, name="dup-dg", description="x"))
    assert e.value.status == 409
    with pytest.raises(oci.exceptions.ServiceError) as e:
        _dg(c, name="Developers")
    assert e.value.status == 409
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.identity.get_dynamic_group("ocid1.dynamicgroup.oc1..nope")
    assert e.value.status == 404


def test_policies_name_existing_dynamic_groups(clients):
    c = clients
    dg = _dg(c, name="fn-callers", rule="resource.type = 'fnfunc'")
    oci.wait_until(c.identity, c.identity.get_dynamic_group(dg.id), "lifecycle_state", "ACTIVE")
    p = c.identity.create_policy(IM.CreatePolicyDetails(
        compartment_id=c.tenancy, name=unique("dgpol"), description="functions read buckets",
        statements=["Allow dynamic-group fn-callers to read buckets in tenancy",
                    "Allow group Developers, dynamic-group fn-callers to read objects in tenancy"])).data
    assert len(p.statements) == 2
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.identity.create_policy(IM.CreatePolicyDetails(
            compartment_id=c.tenancy, name=unique("dgpol"), description="x",
            statements=["Allow dynamic-group no-such-dg to read buckets in tenancy"]))
    assert e.value.status == 400 and "dynamic group 'no-such-dg' does not exist" in e.value.message


@pytest.mark.cli
def test_cli_dynamic_group_and_domains(cli_served):
    proc, cfg = cli_served
    tenancy = oci.config.from_file(str(cfg))["tenancy"]
    out = run_oci(cfg, proc.endpoint("identity"), "iam", "dynamic-group", "create", "--name", "cli-dg",
                  "--description", "from the CLI", "--compartment-id", tenancy,
                  "--matching-rule", "ANY {resource.type = 'fnfunc'}", "--wait-for-state", "ACTIVE",
                  "--wait-interval-seconds", "1")
    assert out["data"]["lifecycle-state"] == "ACTIVE" and out["data"]["name"] == "cli-dg"
    listed = run_oci(cfg, proc.endpoint("identity"), "iam", "dynamic-group", "list", "--compartment-id", tenancy)
    assert "cli-dg" in [d["name"] for d in listed["data"]]
    with pytest.raises(AssertionError, match="position"):
        run_oci(cfg, proc.endpoint("identity"), "iam", "dynamic-group", "create", "--name", "cli-bad",
                "--description", "x", "--compartment-id", tenancy, "--matching-rule", "ANY {resource.type = fnfunc}")
    domains = run_oci(cfg, proc.endpoint("identity"), "iam", "domain", "list", "--compartment-id", tenancy)
    assert [(d["display-name"], d["type"]) for d in domains["data"]] == [("Default", "DEFAULT")]


# ---------------------------------------------------------------- network sources and the authentication policy

def test_network_sources_and_authentication_policy(clients):
    c = clients
    net = make_net(c)
    ns = c.identity.create_network_source(IM.CreateNetworkSourceDetails(
        compartment_id=c.tenancy, name="office", description="office and VPN",
        public_source_list=["203.0.113.0/24", "198.51.100.7"],
        virtual_source_list=[IM.NetworkSourcesVirtualSourceList(vcn_id=net.vcn_id, ip_ranges=["10.77.1.0/24"])])).data
    assert ns.lifecycle_state == "ACTIVE" and ns.services == ["all"]
    assert c.identity.get_network_source(ns.id).data.virtual_source_list[0].vcn_id == net.vcn_id
    assert "office" in [n.name for n in c.identity.list_network_sources(c.tenancy).data]
    upd = c.identity.update_network_source(ns.id, IM.UpdateNetworkSourceDetails(
        public_source_list=["203.0.113.0/25"])).data
    assert upd.public_source_list == ["203.0.113.0/25"]

    for bad, words in ((dict(public_source_list=["10.0.0.0/8"]), "not a public range"),
                       (dict(public_source_list=["203.0.113.1/24"]), "not an IP address or CIDR"),
                       (dict(virtual_source_list=[IM.NetworkSourcesVirtualSourceList(
                           vcn_id=net.vcn_id, ip_ranges=["10.0.0.0/33"])]), "not an IP address")):
        with pytest.raises(oci.exceptions.ServiceError) as e:
            c.identity.create_network_source(IM.CreateNetworkSourceDetails(
                compartment_id=c.tenancy, name=unique("ns"), description="bad", **bad))
        assert e.value.status == 400 and words in e.value.message
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.identity.create_network_source(IM.CreateNetworkSourceDetails(
            compartment_id=c.tenancy, name="office", description="again", public_source_list=["192.0.2.0/24"]))
    assert e.value.status == 409

    pol = c.identity.get_authentication_policy(c.tenancy).data
    assert pol.password_policy.minimum_password_length == 12 and pol.network_policy.network_source_ids == []
    pol = c.identity.update_authentication_policy(c.tenancy, IM.UpdateAuthenticationPolicyDetails(
        password_policy=IM.PasswordPolicy(minimum_password_length=16, is_special_characters_required=False),
        network_policy=IM.NetworkPolicy(network_source_ids=[ns.id]))).data
    assert pol.password_policy.minimum_password_length == 16
    assert pol.password_policy.is_special_characters_required is False
    assert pol.password_policy.is_uppercase_characters_required is True
    assert c.identity.get_authentication_policy(c.tenancy).data.network_policy.network_source_ids == [ns.id]
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.identity.update_authentication_policy(c.tenancy, IM.UpdateAuthenticationPolicyDetails(
            password_policy=IM.PasswordPolicy(minimum_password_length=6)))
    assert e.value.status == 400 and "between 12 and 100" in e.value.message
    # in use by the policy: the delete is refused until the policy lets go
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.identity.delete_network_source(ns.id)
    assert e.value.status == 409
    c.identity.update_authentication_policy(c.tenancy, IM.UpdateAuthenticationPolicyDetails(
        network_policy=IM.NetworkPolicy(network_source_ids=[])))
    c.identity.delete_network_source(ns.id)
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.identity.get_network_source(ns.id)
    assert e.value.status == 404


# ---------------------------------------------------------------- identity providers

def test_saml_identity_provider_and_group_mappings(clients):
    c = clients
    idp = c.identity.create_identity_provider(IM.CreateSaml2IdentityProviderDetails(
        compartment_id=c.tenancy, name="corp-adfs", description="Corporate ADFS", product_type="ADFS",
        protocol="SAML2", metadata_url="https://idp.example.com/metadata", metadata=METADATA)).data
    assert idp.redirect_url == "https://idp.example.com/sso" and idp.signing_certificate.startswith("MIIB")
    assert c.identity.get_identity_provider(idp.id).data.name == "corp-adfs"
    assert idp.id in [i.id for i in c.identity.list_identity_providers("SAML2", c.tenancy).data]
    upd = c.identity.update_identity_provider(idp.id, IM.UpdateSaml2IdentityProviderDetails(
        description="ADFS (primary)")).data
    assert upd.description == "ADFS (primary)"

    group = next(g for g in c.identity.list_groups(c.tenancy).data if g.name == "Developers")
    admins = next(g for g in c.identity.list_groups(c.tenancy).data if g.name == "Administrators")
    m = c.identity.create_idp_group_mapping(IM.CreateIdpGroupMappingDetails(
        idp_group_name="eng-all", group_id=group.id), idp.id).data
    assert m.idp_id == idp.id and m.lifecycle_state == "ACTIVE"
    assert c.identity.get_idp_group_mapping(idp.id, m.id).data.group_id == group.id
    assert [x.id for x in c.identity.list_idp_group_mappings(idp.id).data] == [m.id]
    m2 = c.identity.update_idp_group_mapping(idp.id, m.id, IM.UpdateIdpGroupMappingDetails(group_id=admins.id)).data
    assert m2.group_id == admins.id
    groups = c.identity.list_identity_provider_groups(idp.id).data
    assert [g.name for g in groups] == ["eng-all"]
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.identity.create_idp_group_mapping(IM.CreateIdpGroupMappingDetails(
            idp_group_name="eng-all", group_id=admins.id), idp.id)
    assert e.value.status == 409
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.identity.reset_idp_scim_client(idp.id)
    assert e.value.status == 400  # only IDCS providers have a SCIM client
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.identity.delete_identity_provider(idp.id)
    assert e.value.status == 409
    c.identity.delete_idp_group_mapping(idp.id, m.id)
    c.identity.delete_identity_provider(idp.id)
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.identity.get_identity_provider(idp.id)
    assert e.value.status == 404

    idcs = c.identity.create_identity_provider(IM.CreateSaml2IdentityProviderDetails(
        compartment_id=c.tenancy, name="idcs", description="IDCS", product_type="IDCS", protocol="SAML2",
        metadata_url="https://idcs.example.com/metadata", metadata=METADATA)).data
    creds = c.identity.reset_idp_scim_client(idcs.id).data
    assert creds.client_id and len(creds.client_secret) == 36


@pytest.mark.parametrize("metadata, words", [
    ("<notxml", "well-formed"),
    ('<EntityDescriptor entityID="x"/>', "root element"),
    (METADATA.replace("IDPSSODescriptor", "SPSSODescriptor"), "no IDPSSODescriptor"),
    (METADATA.replace('use="signing"', 'use="encryption"'), "no signing certificate"),
])
def test_identity_provider_metadata_is_checked(clients, metadata, words):
    c = clients
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.identity.create_identity_provider(IM.CreateSaml2IdentityProviderDetails(
            compartment_id=c.tenancy, name=unique("idp"), description="x", product_type="ADFS", protocol="SAML2",
            metadata_url="https://idp.example.com/metadata", metadata=metadata))
    assert e.value.status == 400 and words in e.value.message
