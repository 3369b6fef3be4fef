"""Private and public IPs, VLANs, VCN and subnet CIDR changes, DHCP options and the subnet IP inventory
through the real SDK: secondary private IPs (inside the subnet, free, at most 31, the primary stays),
bulk operations with their work request, reserved and ephemeral public IPs assigned and moved, VLAN
tags and CIDRs, CIDR blocks added/modified/removed only where nothing is in use, DHCP option rules."""

from __future__ import annotations

import oci
import pytest

from .helpers import WAIT, M, launch_running, service_error, unique, wait_state


def _vnic(c, net):
    inst = launch_running(c, net)
    att = c.compute.list_vnic_attachments(net.compartment_id, instance_id=inst.id).data[0]
    return c.network.get_vnic(att.vnic_id).data


def _wr(c, resp):
    return oci.wait_until(c.work_requests, c.work_requests.get_work_request(resp.headers["opc-work-request-id"]),
                          "status", "SUCCEEDED", **WAIT).data


def test_private_and_public_ips(clients, net):
    c = clients
    vnic = _vnic(c, net)
    p = c.network.create_private_ip(M.CreatePrivateIpDetails(vnic_id=vnic.id, ip_address="10.77.1.50",
                                                             hostname_label="app", display_name="vip")).data
    assert p.ip_address == "10.77.1.50" and not p.is_primary and p.hostname_label == "app"
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.create_private_ip(M.CreatePrivateIpDetails(vnic_id=vnic.id, ip_address="10.77.1.50"))
    assert service_error(e) == (409, "Conflict")
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.create_private_ip(M.CreatePrivateIpDetails(vnic_id=vnic.id, ip_address="10.77.9.9"))
    assert e.value.status == 400 and "not an assignable address" in e.value.message
    p = c.network.update_private_ip(p.id, M.UpdatePrivateIpDetails(display_name="vip2", lifetime="RESERVED")).data
    assert p.display_name == "vip2" and p.lifetime == "RESERVED"
    primary = next(x for x in c.network.list_private_ips(vnic_id=vnic.id).data if x.is_primary)
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.delete_private_ip(primary.id)
    assert e.value.status == 400 and "primary" in e.value.message

    # reserved public IP: created AVAILABLE, assigned to the secondary IP, moved to the primary one
    pub = c.network.create_public_ip(M.CreatePublicIpDetails(compartment_id=net.compartment_id,
                                                             lifetime="RESERVED", display_name="res")).data
    pub = wait_state(c.network, c.network.get_public_ip, pub.id, "AVAILABLE")
    assert pub.scope == "REGION" and pub.ip_address.startswith("129.146.")
    pub = c.network.update_public_ip(pub.id, M.UpdatePublicIpDetails(private_ip_id=p.id)).data
    pub = wait_state(c.network, c.network.get_public_ip, pub.id, "ASSIGNED")
    assert pub.private_ip_id == p.id and pub.assigned_entity_type == "PRIVATE_IP"
    assert c.network.get_public_ip_by_private_ip_id(M.GetPublicIpByPrivateIpIdDetails(private_ip_id=p.id)).data.id \
        == pub.id
    # the primary IP has the instance's ephemeral public IP already: a reserved one cannot go there too
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.update_public_ip(pub.id, M.UpdatePublicIpDetails(private_ip_id=primary.id))
    assert service_error(e) == (409, "Conflict") and vnic.public_ip in e.value.message
    p2 = c.network.create_private_ip(M.CreatePrivateIpDetails(vnic_id=vnic.id)).data
    c.network.update_public_ip(pub.id, M.UpdatePublicIpDetails(private_ip_id=p2.id))
    assert wait_state(c.network, c.network.get_public_ip, pub.id, "ASSIGNED").private_ip_id == p2.id
    # ephemeral: only for an assigned private IP, cannot move, one public IP per private IP
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.create_public_ip(M.CreatePublicIpDetails(compartment_id=net.compartment_id, lifetime="EPHEMERAL",
                                                           private_ip_id=primary.id))
    assert service_error(e) == (409, "Conflict")
    eph = c.network.create_public_ip(M.CreatePublicIpDetails(compartment_id=net.compartment_id, lifetime="EPHEMERAL",
                                                             private_ip_id=p.id)).data
    assert eph.scope == "AVAILABILITY_DOMAIN" and eph.availability_domain == net.ad
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.update_public_ip(eph.id, M.UpdatePublicIpDetails(private_ip_id=primary.id))
    assert "ephemeral" in e.value.message
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.change_public_ip_compartment(eph.id, M.ChangePublicIpCompartmentDetails(compartment_id=c.tenancy))
    assert e.value.status == 400
    comp2 = c.identity.create_compartment(oci.identity.models.CreateCompartmentDetails(
        compartment_id=c.tenancy, name=unique("pip"), description="x")).data
    c.network.change_public_ip_compartment(pub.id, M.ChangePublicIpCompartmentDetails(compartment_id=comp2.id))
    assert c.network.get_public_ip(pub.id).data.compartment_id == comp2.id
    # unassign the reserved one (back to AVAILABLE); delete the secondary IP: its ephemeral public IP goes
    c.network.update_public_ip(pub.id, M.UpdatePublicIpDetails(private_ip_id=""))
    assert wait_state(c.network, c.network.get_public_ip, pub.id, "AVAILABLE").private_ip_id is None
    assert c.network.get_vnic(vnic.id).data.public_ip == vnic.public_ip
    c.network.delete_private_ip(p.id)
    assert c.network.get_public_ip(eph.id).data.lifecycle_state in ("TERMINATING", "TERMINATED")
    c.network.delete_public_ip(pub.id)
    assert c.network.get_public_ip(pub.id).data.lifecycle_state in ("TERMINATING", "TERMINATED")


def test_bulk_private_ips_and_detach(clients, net):
    c = clients
    vnic = _vnic(c, net)
    resp = c.network.bulk_create_private_ips(M.BulkCreatePrivateIpsDetails(
        vnic_id=vnic.id, bulk_create_private_ip_item=[
        M.BulkCreatePrivateIpItem(display_name=f"b{i}") for i in range(3)] + [
        M.BulkCreatePrivateIpItem(ip_address="10.77.1.200", lifetime="RESERVED")]))
    assert _wr(c, resp).operation_type == "BULK_CREATE_PRIVATE_IPS"
    ips = [x for x in c.network.list_private_ips(vnic_id=vnic.id).data if not x.is_primary]
    assert len(ips) == 4
    resp = c.network.bulk_update_private_ips(M.BulkUpdatePrivateIpsDetails(
        vnic_id=vnic.id, bulk_update_private_ip_item=[
        M.BulkUpdatePrivateIpItem(private_ip_id=ips[0].id, display_name="renamed")]))
    _wr(c, resp)
    assert c.network.get_private_ip(ips[0].id).data.display_name == "renamed"
    reserved = next(x for x in ips if x.ip_address == "10.77.1.200")
    detached = c.network.private_ip_vnic_detach(reserved.id).data
    assert detached.vnic_id is None and detached.ip_state == "AVAILABLE"
    others = [x.id for x in ips if x.id != reserved.id]
    resp = c.network.bulk_delete_private_ips(M.BulkDeletePrivateIpsDetails(bulk_delete_private_ip_item=[
        M.BulkDeletePrivateIpItem(private_ip_id=i) for i in others]))
    _wr(c, resp)
    assert [x.is_primary for x in c.network.list_private_ips(vnic_id=vnic.id).data] == [True]
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.bulk_delete_private_ips(M.BulkDeletePrivateIpsDetails(bulk_delete_private_ip_item=[
            M.BulkDeletePrivateIpItem(private_ip_id="ocid1.privateip.oc1.iad.nope")]))
    assert e.value.status == 404
    inv = c.network.get_subnet_ip_inventory(net.subnet_id).data
    assert inv.count == 2 and {s.ip_address for s in inv.ip_inventory_subnet_resource_summary} >= {"10.77.1.200"}
    util = c.network.get_subnet_cidr_utilization(net.subnet_id).data.ip_inventory_cidr_utilization_summary
    assert util[0].cidr == "10.77.1.0/24" and util[0].utilization == pytest.approx(100 * 2 / 253, abs=0.01)


def test_vlans(clients, net):
    c = clients
    nsg = c.network.create_network_security_group(M.CreateNetworkSecurityGroupDetails(
        compartment_id=net.compartment_id, vcn_id=net.vcn_id)).data
    vlan = c.network.create_vlan(M.CreateVlanDetails(compartment_id=net.compartment_id, vcn_id=net.vcn_id,
                                                     cidr_block="10.77.8.0/24", availability_domain=net.ad,
                                                     display_name="ocvs", nsg_ids=[nsg.id])).data
    vlan = wait_state(c.network, c.network.get_vlan, vlan.id, "AVAILABLE")
    assert vlan.vlan_tag == 100 and vlan.nsg_ids == [nsg.id] and vlan.route_table_id
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.create_vlan(M.CreateVlanDetails(compartment_id=net.compartment_id, vcn_id=net.vcn_id,
                                                  cidr_block="10.77.8.128/25", vlan_tag=200))
    assert e.value.status == 400 and "overlaps with VLAN ocvs" in e.value.message
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.create_vlan(M.CreateVlanDetails(compartment_id=net.compartment_id, vcn_id=net.vcn_id,
                                                  cidr_block="10.77.9.0/24", vlan_tag=100))
    assert service_error(e) == (409, "Conflict")
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.create_subnet(M.CreateSubnetDetails(compartment_id=net.compartment_id, vcn_id=net.vcn_id,
                                                      cidr_block="10.77.8.0/25"))
    assert "overlaps with VLAN" in e.value.message
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.delete_network_security_group(nsg.id)
    assert "used by VLAN" in e.value.message
    up = c.network.update_vlan(vlan.id, M.UpdateVlanDetails(display_name="ocvs2", nsg_ids=[],
                                                            cidr_block="10.77.8.0/23")).data
    assert up.cidr_block == "10.77.8.0/23"
    up = wait_state(c.network, c.network.get_vlan, vlan.id, "AVAILABLE")
    assert up.display_name == "ocvs2" and up.nsg_ids == []
    assert [v.id for v in c.network.list_vlans(net.compartment_id, vcn_id=net.vcn_id).data] == [vlan.id]
    comp2 = c.identity.create_compartment(oci.identity.models.CreateCompartmentDetails(
        compartment_id=c.tenancy, name=unique("vlan"), description="x")).data
    _wr(c, c.network.change_vlan_compartment(vlan.id, M.ChangeVlanCompartmentDetails(compartment_id=comp2.id)))
    c.network.delete_vlan(vlan.id)
    assert c.network.get_vlan(vlan.id).data.lifecycle_state in ("TERMINATING", "TERMINATED")


def test_vcn_and_subnet_cidrs(clients, net):
    c = clients
    _wr(c, c.network.add_vcn_cidr(net.vcn_id, M.AddVcnCidrDetails(cidr_block="172.16.0.0/16")))
    vcn = wait_state(c.network, c.network.get_vcn, net.vcn_id, "AVAILABLE")
    assert vcn.cidr_blocks == ["10.77.0.0/16", "172.16.0.0/16"]
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.add_vcn_cidr(net.vcn_id, M.AddVcnCidrDetails(cidr_block="172.16.128.0/17"))
    assert e.value.status == 400 and "overlaps" in e.value.message
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.remove_vcn_cidr(net.vcn_id, M.RemoveVcnCidrDetails(cidr_block="10.77.0.0/16"))
    assert service_error(e) == (409, "Conflict") and "test-subnet" in e.value.message
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.modify_vcn_cidr(net.vcn_id, M.ModifyVcnCidrDetails(original_cidr_block="10.77.0.0/16",
                                                                    new_cidr_block="10.77.128.0/17"))
    assert "does not contain subnet test-subnet" in e.value.message
    _wr(c, c.network.modify_vcn_cidr(net.vcn_id, M.ModifyVcnCidrDetails(original_cidr_block="172.16.0.0/16",
                                                                       new_cidr_block="172.16.0.0/20")))
    wait_state(c.network, c.network.get_vcn, net.vcn_id, "AVAILABLE")
    # subnet CIDR blocks
    _wr(c, c.network.add_ipv4_subnet_cidr(net.subnet_id, M.AddIpv4SubnetCidrDetails(ipv4_cidr_block="172.16.1.0/24")))
    sub = wait_state(c.network, c.network.get_subnet, net.subnet_id, "AVAILABLE")
    assert sub.ipv4_cidr_blocks == ["10.77.1.0/24", "172.16.1.0/24"]
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.remove_vcn_cidr(net.vcn_id, M.RemoveVcnCidrDetails(cidr_block="172.16.0.0/20"))
    assert e.value.status == 409
    _wr(c, c.network.modify_ipv4_subnet_cidr(net.subnet_id, M.ModifyIpv4SubnetCidrDetails(
        ipv4_cidr_block="172.16.1.0/24", updated_ipv4_cidr_block="172.16.2.0/24")))
    wait_state(c.network, c.network.get_subnet, net.subnet_id, "AVAILABLE")
    _wr(c, c.network.remove_ipv4_subnet_cidr(net.subnet_id, M.RemoveIpv4SubnetCidrDetails(
        ipv4_cidr_block="172.16.2.0/24")))
    wait_state(c.network, c.network.get_subnet, net.subnet_id, "AVAILABLE")
    _wr(c, c.network.remove_vcn_cidr(net.vcn_id, M.RemoveVcnCidrDetails(cidr_block="172.16.0.0/20")))
    assert wait_state(c.network, c.network.get_vcn, net.vcn_id, "AVAILABLE").cidr_blocks == ["10.77.0.0/16"]


def test_dhcp_options_rules(clients, net):
    c = clients

    def create(*options):
        return c.network.create_dhcp_options(M.CreateDhcpDetails(
            compartment_id=net.compartment_id, vcn_id=net.vcn_id, options=list(options), display_name="dns"))

    d = create(M.DhcpDnsOption(server_type="CustomDnsServer", custom_dns_servers=["10.0.0.2", "10.0.0.3"]),
               M.DhcpSearchDomainOption(search_domain_names=["corp.example.com"])).data
    d = wait_state(c.network, c.network.get_dhcp_options, d.id, "AVAILABLE")
    assert d.options[0].custom_dns_servers == ["10.0.0.2", "10.0.0.3"]
    for opts, msg in (
            ((M.DhcpDnsOption(server_type="CustomDnsServer", custom_dns_servers=[]),), "needs 1-3"),
            ((M.DhcpDnsOption(server_type="CustomDnsServer", custom_dns_servers=["1.1.1.1"] * 4),), "needs 1-3"),
            ((M.DhcpDnsOption(server_type="CustomDnsServer", custom_dns_servers=["dns.example"]),), "IPv4"),
            ((M.DhcpDnsOption(server_type="VcnLocalPlusInternet", custom_dns_servers=["1.1.1.1"]),), "only allowed"),
            ((M.DhcpSearchDomainOption(search_domain_names=["a.example"]),), "must include a DomainNameServer"),
            ((M.DhcpDnsOption(server_type="VcnLocal"), M.DhcpSearchDomainOption(search_domain_names=["a", "b"])),
             "exactly one"),
            ((M.DhcpDnsOption(server_type="VcnLocal"), M.DhcpDnsOption(server_type="VcnLocal")), "only one")):
        with pytest.raises(oci.exceptions.ServiceError) as e:
            create(*opts)
        assert e.value.status == 400 and msg in e.value.message, (msg, e.value.message)
    up = c.network.update_dhcp_options(d.id, M.UpdateDhcpDetails(options=[
        M.DhcpDnsOption(server_type="VcnLocalPlusInternet")])).data
    assert [o.server_type for o in up.options] == ["VcnLocalPlusInternet"]
    c.network.update_subnet(net.subnet_id, M.UpdateSubnetDetails(dhcp_options_id=d.id))
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.delete_dhcp_options(d.id)
    assert service_error(e) == (409, "Conflict") and "test-subnet" in e.value.message
    vcn = c.network.get_vcn(net.vcn_id).data
    c.network.update_subnet(net.subnet_id, M.UpdateSubnetDetails(dhcp_options_id=vcn.default_dhcp_options_id))
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.delete_dhcp_options(vcn.default_dhcp_options_id)
    assert "default DHCP options" in e.value.message
    c.network.delete_dhcp_options(d.id)
