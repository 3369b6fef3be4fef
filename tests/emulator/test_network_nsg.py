"""Network security groups through the real SDK and CLI: create/get/list/update/move/delete, security
rules (add up to 25 at a time, at most 120, list by direction, update, remove; CIDR, service and NSG
sources), VNICs put in an NSG with update_vnic (listed by list_network_security_group_vnics, and an
NSG holding VNICs cannot be deleted)."""

from __future__ import annotations

import oci
import pytest

from .helpers import M, launch_running, run_oci, service_error, unique, wait_state


def _nsg(c, net, name="web-nsg"):
    nsg = c.network.create_network_security_group(M.CreateNetworkSecurityGroupDetails(
        compartment_id=net.compartment_id, vcn_id=net.vcn_id, display_name=name)).data
    return wait_state(c.network, c.network.get_network_security_group, nsg.id, "AVAILABLE")


def _tcp_in(port, source="0.0.0.0/0", **kw):
    return M.AddSecurityRuleDetails(
        direction="INGRESS", protocol="6", source=source, source_type="CIDR_BLOCK",
        tcp_options=M.TcpOptions(destination_port_range=M.PortRange(min=port, max=port)), **kw)


def test_nsg_lifecycle_and_rules(clients, net):
    c = clients
    nsg = _nsg(c, net)
    assert nsg.vcn_id == net.vcn_id and nsg.lifecycle_state == "AVAILABLE"
    listed = c.network.list_network_security_groups(compartment_id=net.compartment_id, vcn_id=net.vcn_id).data
    assert [n.id for n in listed] == [nsg.id]
    up = c.network.update_network_security_group(nsg.id, M.UpdateNetworkSecurityGroupDetails(
        display_name="web", freeform_tags={"tier": "web"})).data
    assert up.display_name == "web" and up.freeform_tags == {"tier": "web"}

    other = _nsg(c, net, "lb-nsg")
    services = c.network.list_services().data
    all_svc = next(s for s in services if s.name.startswith("All "))
    added = c.network.add_network_security_group_security_rules(nsg.id, M.AddNetworkSecurityGroupSecurityRulesDetails(
        security_rules=[
            _tcp_in(443, description="https from anywhere"),
            M.AddSecurityRuleDetails(direction="INGRESS", protocol="6", source=other.id,
                                     source_type="NETWORK_SECURITY_GROUP",
                                     tcp_options=M.TcpOptions(destination_port_range=M.PortRange(min=8080, max=8090))),
            M.AddSecurityRuleDetails(direction="INGRESS", protocol="1", source="10.0.0.0/8",
                                     icmp_options=M.IcmpOptions(type=3, code=4)),
            M.AddSecurityRuleDetails(direction="EGRESS", protocol="all", destination=all_svc.cidr_block,
                                     destination_type="SERVICE_CIDR_BLOCK", is_stateless=True),
            M.AddSecurityRuleDetails(direction="EGRESS", protocol="17", destination="0.0.0.0/0",
                                     udp_options=M.UdpOptions(destination_port_range=M.PortRange(min=53, max=53))),
        ])).data.security_rules
    assert len(added) == 5 and all(len(r.id) == 6 and r.is_valid for r in added)
    assert added[0].source_type == "CIDR_BLOCK" and added[0].tcp_options.destination_port_range.min == 443
    assert added[3].destination == "all-iad-services-in-oracle-services-network" and added[3].is_stateless
    rules = c.network.list_network_security_group_security_rules(nsg.id).data
    assert len(rules) == 5
    egress = c.network.list_network_security_group_security_rules(nsg.id, direction="EGRESS").data
    assert {r.protocol for r in egress} == {"all", "17"}
    # update one rule in place: same id
    upd = c.network.update_network_security_group_security_rules(
        nsg.id, M.UpdateNetworkSecurityGroupSecurityRulesDetails(security_rules=[M.UpdateSecurityRuleDetails(
            id=added[0].id, direction="INGRESS", protocol="6", source="192.0.2.0/24",
            tcp_options=M.TcpOptions(destination_port_range=M.PortRange(min=443, max=443)))])).data.security_rules
    assert upd[0].id == added[0].id and upd[0].source == "192.0.2.0/24"
    c.network.remove_network_security_group_security_rules(
        nsg.id, M.RemoveNetworkSecurityGroupSecurityRulesDetails(security_rule_ids=[added[1].id, added[4].id]))
    left = {r.id for r in c.network.list_network_security_group_security_rules(nsg.id).data}
    assert left == {added[0].id, added[2].id, added[3].id}

    # move, then delete
    comp2 = c.identity.create_compartment(oci.identity.models.CreateCompartmentDetails(
        compartment_id=c.tenancy, name=unique("nsgmove"), description="moved")).data
    c.network.change_network_security_group_compartment(
        nsg.id, M.ChangeNetworkSecurityGroupCompartmentDetails(compartment_id=comp2.id))
    assert c.network.get_network_security_group(nsg.id).data.compartment_id == comp2.id
    c.network.delete_network_security_group(other.id)
    assert c.network.get_network_security_group(other.id).data.lifecycle_state in ("TERMINATING", "TERMINATED")


def test_bad_rules_are_refused(clients, net):
    c = clients
    nsg = _nsg(c, net)

    def add(*rules):
        with pytest.raises(oci.exceptions.ServiceError) as e:
            c.network.add_network_security_group_security_rules(
                nsg.id, M.AddNetworkSecurityGroupSecurityRulesDetails(security_rules=list(rules)))
        return e

    e = add(M.AddSecurityRuleDetails(direction="INGRESS", protocol="6", source="10.0.0.1/8"))
    assert service_error(e) == (400, "InvalidParameter") and "host bits" in e.value.message
    e = add(M.AddSecurityRuleDetails(direction="INGRESS", protocol="17", source="0.0.0.0/0",
                                     tcp_options=M.TcpOptions()))
    assert "tcpOptions is only allowed with protocol 6" in e.value.message
    e = add(M.AddSecurityRuleDetails(direction="EGRESS", protocol="6", source="0.0.0.0/0"))
    assert "EGRESS rule has a destination" in e.value.message
    e = add(M.AddSecurityRuleDetails(direction="INGRESS", protocol="6", source="no-such-service",
                                     source_type="SERVICE_CIDR_BLOCK"))
    assert "not a service CIDR label" in e.value.message
    e = add(M.AddSecurityRuleDetails(direction="INGRESS", protocol="tcp", source="0.0.0.0/0"))
    assert "IANA protocol number" in e.value.message
    e = add(_tcp_in(0))
    assert "1 <= min <= max <= 65535" in e.value.message
    # an NSG of another VCN as the source
    vcn2 = c.network.create_vcn(M.CreateVcnDetails(compartment_id=net.compartment_id, cidr_block="10.99.0.0/16")).data
    foreign = c.network.create_network_security_group(M.CreateNetworkSecurityGroupDetails(
        compartment_id=net.compartment_id, vcn_id=vcn2.id)).data
    e = add(M.AddSecurityRuleDetails(direction="INGRESS", protocol="all", source=foreign.id,
                                     source_type="NETWORK_SECURITY_GROUP"))
    assert "in another VCN" in e.value.message
    # 25 per request, 120 per NSG
    e = add(*[_tcp_in(1000 + i) for i in range(26)])
    assert "at most 25 rules" in e.value.message
    for k in range(4):
        c.network.add_network_security_group_security_rules(nsg.id, M.AddNetworkSecurityGroupSecurityRulesDetails(
            security_rules=[_tcp_in(2000 + 25 * k + i) for i in range(25)]))
    c.network.add_network_security_group_security_rules(nsg.id, M.AddNetworkSecurityGroupSecurityRulesDetails(
        security_rules=[_tcp_in(3000 + i) for i in range(20)]))
    e = add(_tcp_in(4000))
    assert service_error(e) == (400, "LimitExceeded") and "at most 120" in e.value.message
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.remove_network_security_group_security_rules(
            nsg.id, M.RemoveNetworkSecurityGroupSecurityRulesDetails(security_rule_ids=["ZZZZZZ"]))
    assert e.value.status == 400 and "ZZZZZZ" in e.value.message
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.get_network_security_group("ocid1.networksecuritygroup.oc1.iad.nope")
    assert e.value.status == 404


def test_vnics_in_an_nsg(clients, net):
    c = clients
    nsg, nsg2 = _nsg(c, net), _nsg(c, net, "db-nsg")
    inst = launch_running(c, net)
    att = c.compute.list_vnic_attachments(net.compartment_id, instance_id=inst.id).data[0]
    vnic = c.network.update_vnic(att.vnic_id, M.UpdateVnicDetails(
        nsg_ids=[nsg.id, nsg2.id], skip_source_dest_check=True, hostname_label="web-1", display_name="web-vnic")).data
    assert vnic.nsg_ids == [nsg.id, nsg2.id] and vnic.skip_source_dest_check and vnic.hostname_label == "web-1"
    members = c.network.list_network_security_group_vnics(nsg.id).data
    assert [(m.vnic_id, m.resource_id) for m in members] == [(vnic.id, inst.id)]
    assert members[0].time_associated is not None
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.delete_network_security_group(nsg.id)
    assert service_error(e) == (409, "Conflict") and "still has 1 VNIC" in e.value.message
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.update_vnic(vnic.id, M.UpdateVnicDetails(nsg_ids=[_nsg(c, net, f"n{i}").id for i in range(6)]))
    assert "at most 5 network security groups" in e.value.message
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.update_vnic(vnic.id, M.UpdateVnicDetails(hostname_label="-bad-"))
    assert e.value.status == 400 and "RFC 952" in e.value.message
    c.network.update_vnic(vnic.id, M.UpdateVnicDetails(nsg_ids=[nsg2.id]))
    assert c.network.list_network_security_group_vnics(nsg.id).data == []
    c.network.delete_network_security_group(nsg.id)


def write_cli_config(emulator, path):
    """An `oci` CLI config file for the in-process emulator (keys from its client config)."""
    cfg = emulator.client_config()
    path.write_text("[DEFAULT]\n" + "".join(f"{k}={cfg[k]}\n" for k in
                                              ("user", "fingerprint", "key_file", "tenancy", "region")))
    path.chmod(0o600)
    return path


@pytest.mark.cli
def test_cli_creates_an_nsg_and_adds_rules(emulator, clients, net, tmp_path):
    cfg = write_cli_config(emulator, tmp_path / "config")
    core = emulator.endpoint("core")
    nsg = run_oci(cfg, core, "network", "nsg", "create", "--compartment-id", net.compartment_id, "--vcn-id",
                  net.vcn_id, "--display-name", "cli-nsg", "--wait-for-state", "AVAILABLE")["data"]
    assert nsg["lifecycle-state"] == "AVAILABLE" and nsg["display-name"] == "cli-nsg"
    rules = ('[{"direction": "INGRESS", "protocol": "6", "source": "0.0.0.0/0", "sourceType": "CIDR_BLOCK", '
             '"tcpOptions": {"destinationPortRange": {"min": 22, "max": 22}}, "description": "ssh"}, '
             '{"direction": "EGRESS", "protocol": "all", "destination": "0.0.0.0/0"}]')
    out = run_oci(cfg, core, "network", "nsg", "rules", "add", "--nsg-id", nsg["id"], "--security-rules", rules)
    assert [r["direction"] for r in out["data"]["security-rules"]] == ["INGRESS", "EGRESS"]
    listed = run_oci(cfg, core, "network", "nsg", "rules", "list", "--nsg-id", nsg["id"])["data"]
    assert {r["description"] for r in listed} == {"ssh", None}
    assert clients.network.get_network_security_group(nsg["id"]).data.display_name == "cli-nsg"
