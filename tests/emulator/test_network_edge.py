"""Edge connectivity through the real SDK: CPEs and their device shapes and configurations, IPSec
connections and tunnels, FastConnect (cross-connects, virtual circuits, providers), BYOIP ranges and
ASNs, public IP pools, capture filters and VTAPs."""

from __future__ import annotations

import oci
import pytest

from .helpers import M, run_oci, service_error, unique

E = oci.exceptions.ServiceError


def _err(fn, *a, **kw) -> tuple[int, str, str]:
    with pytest.raises(E) as e:
        fn(*a, **kw)
    return e.value.status, e.value.code, e.value.message


def _drg(c, comp: str) -> str:
    return c.network.create_drg(M.CreateDrgDetails(compartment_id=comp, display_name=unique("drg"))).data.id


def _cpe(c, comp: str, ip="203.0.113.10", shape=None) -> M.Cpe:
    return c.network.create_cpe(M.CreateCpeDetails(compartment_id=comp, ip_address=ip, display_name=unique("cpe"),
                                                   cpe_device_shape_id=shape)).data


def _shape_id(c, vendor: str) -> str:
    return next(s.id for s in c.network.list_cpe_device_shapes().data if s.cpe_device_info.vendor == vendor)


# ---------------------------------------------------------------- CPEs and IPSec

def test_cpe_shapes_and_rules(clients, net):
    vn = clients.network
    shapes = vn.list_cpe_device_shapes().data
    vendors = {s.cpe_device_info.vendor for s in shapes}
    assert {"Libreswan", "Cisco", "Fortinet", "Palo Alto", "Juniper", "Check Point"} <= vendors
    detail = vn.get_cpe_device_shape(_shape_id(clients, "Fortinet")).data
    assert [p.key for p in detail.parameters] == ["wan-port", "lan-port"]
    assert _err(vn.get_cpe_device_shape, "ocid1.cpedeviceshape.oc1..nope")[0] == 404
    # a CPE on the Internet needs a public address; private ones are for IPSec over FastConnect
    st, _c, msg = _err(vn.create_cpe, M.CreateCpeDetails(compartment_id=net.compartment_id, ip_address="10.0.0.1"))
    assert st == 400 and "not a public IP" in msg
    assert _err(vn.create_cpe, M.CreateCpeDetails(compartment_id=net.compartment_id, ip_address="300.1.1.1"))[0] == 400
    assert vn.create_cpe(M.CreateCpeDetails(compartment_id=net.compartment_id, ip_address="10.0.0.1",
                                            is_private=True)).data.is_private is True
    assert _err(vn.create_cpe, M.CreateCpeDetails(compartment_id=net.compartment_id, ip_address="198.51.100.1",
                                                  cpe_device_shape_id="ocid1.cpedeviceshape.oc1..x"))[0] == 404
    cpe = _cpe(clients, net.compartment_id, ip="198.51.100.1")
    assert _err(vn.update_cpe, cpe.id, M.UpdateCpeDetails(cpe_device_shape_id="ocid1.cpedeviceshape.oc1..x"))[0] == 404
    shape = _shape_id(clients, "Juniper")
    assert vn.update_cpe(cpe.id, M.UpdateCpeDetails(cpe_device_shape_id=shape)).data.cpe_device_shape_id == shape
    vn.change_cpe_compartment(cpe.id, M.ChangeCpeCompartmentDetails(compartment_id=clients.tenancy))
    assert cpe.id in [c.id for c in vn.list_cpes(clients.tenancy).data]


def test_ipsec_connection_tunnels_and_configuration(clients, net):
    vn, comp = clients.network, net.compartment_id
    drg = _drg(clients, comp)
    cpe = _cpe(clients, comp, shape=_shape_id(clients, "Libreswan"))
    # OCI's rules: static routes are 1-10 CIDR blocks
    for routes, word in ((["10.0.0.0/33"], "not a valid"), (["10.0.0.1/16"], "host bits"),
                         ([f"10.{i}.0.0/16" for i in range(11)], "at most 10")):
        st, _c, msg = _err(vn.create_ip_sec_connection, M.CreateIPSecConnectionDetails(
            compartment_id=comp, drg_id=drg, cpe_id=cpe.id, static_routes=routes))
        assert st == 400 and word in msg, msg
    assert _err(vn.create_ip_sec_connection, M.CreateIPSecConnectionDetails(
        compartment_id=comp, drg_id="ocid1.drg.oc1.iad.nope", cpe_id=cpe.id, static_routes=["10.1.0.0/16"]))[0] == 404
    st, _c, msg = _err(vn.create_ip_sec_connection, M.CreateIPSecConnectionDetails(
        compartment_id=comp, drg_id=drg, cpe_id=cpe.id, static_routes=["10.1.0.0/16"],
        tunnel_configuration=[M.CreateIPSecConnectionTunnelDetails(routing="BGP")]))
    assert st == 400 and "bgpSessionConfig" in msg
    st, _c, msg = _err(vn.create_ip_sec_connection, M.CreateIPSecConnectionDetails(
        compartment_id=comp, drg_id=drg, cpe_id=cpe.id, static_routes=["10.1.0.0/16"],
        tunnel_configuration=[M.CreateIPSecConnectionTunnelDetails(shared_secret="no-dashes!")]))
    assert st == 400 and "shared secret" in msg

    ipsc = vn.create_ip_sec_connection(M.CreateIPSecConnectionDetails(
        compartment_id=comp, drg_id=drg, cpe_id=cpe.id, static_routes=["172.16.0.0/16"], display_name="to-paris",
        tunnel_configuration=[M.CreateIPSecConnectionTunnelDetails(
            display_name="primary", ike_version="V2", shared_secret="abc 123 xyz", routing="BGP",
            bgp_session_config=M.CreateIPSecTunnelBgpSessionDetails(
                customer_bgp_asn="65010", oracle_interface_ip="10.255.255.1/30",
                customer_interface_ip="10.255.255.2/30"))])).data
    assert ipsc.lifecycle_state in ("PROVISIONING", "AVAILABLE")
    got = vn.get_ip_sec_connection(ipsc.id).data
    assert got.lifecycle_state == "AVAILABLE" and got.cpe_local_identifier == cpe.ip_address
    assert got.cpe_local_identifier_type == "IP_ADDRESS" and got.transport_type == "INTERNET"
    assert [i.id for i in vn.list_ip_sec_connections(comp, drg_id=drg).data] == [ipsc.id]
    # one CPE, one connection per DRG
    assert _err(vn.create_ip_sec_connection, M.CreateIPSecConnectionDetails(
        compartment_id=comp, drg_id=drg, cpe_id=cpe.id, static_routes=["10.9.0.0/16"]))[0] == 409

    tunnels = vn.list_ip_sec_connection_tunnels(ipsc.id).data
    assert [t.display_name for t in tunnels] == ["primary", "Tunnel2"]
    t1, t2 = tunnels
    assert t1.routing == "BGP" and t1.ike_version == "V2" and t1.bgp_session_info.oracle_bgp_asn == "31898"
    assert t2.routing == "STATIC" and t2.ike_version == "V1" and t1.status == "DOWN" and t1.cpe_ip == cpe.ip_address
    assert vn.get_ip_sec_connection_tunnel(ipsc.id, t1.id).data.vpn_ip == t1.vpn_ip
    assert vn.get_ip_sec_connection_tunnel_shared_secret(ipsc.id, t1.id).data.shared_secret == "abc 123 xyz"
    assert len(vn.get_ip_sec_connection_tunnel_shared_secret(ipsc.id, t2.id).data.shared_secret) == 64
    assert _err(vn.update_ip_sec_connection_tunnel_shared_secret, ipsc.id, t2.id,
                M.UpdateIPSecConnectionTunnelSharedSecretDetails(shared_secret="x" * 256))[0] == 400
    assert vn.update_ip_sec_connection_tunnel_shared_secret(
        ipsc.id, t2.id, M.UpdateIPSecConnectionTunnelSharedSecretDetails(shared_secret="new secret 2")
    ).data.shared_secret == "new secret 2"
    # tunnel update: routing and BGP checked
    st, _c, msg = _err(vn.update_ip_sec_connection_tunnel, ipsc.id, t2.id, M.UpdateIPSecConnectionTunnelDetails(
        routing="BGP", bgp_session_config=M.UpdateIPSecTunnelBgpSessionDetails(
            customer_bgp_asn="65010", oracle_interface_ip="10.0.0.1/30", customer_interface_ip="10.0.1.2/30")))
    assert st == 400 and "same /30" in msg
    up = vn.update_ip_sec_connection_tunnel(ipsc.id, t2.id, M.UpdateIPSecConnectionTunnelDetails(
        ike_version="V2", display_name="backup")).data
    assert (up.ike_version, up.display_name, up.routing) == ("V2", "backup", "STATIC")
    # status and device config
    status = vn.get_ip_sec_connection_device_status(ipsc.id).data
    assert [t.lifecycle_state for t in status.tunnels] == ["DOWN", "DOWN"]
    cfg = vn.get_ip_sec_connection_device_config(ipsc.id).data
    assert [t.shared_secret for t in cfg.tunnels] == ["abc 123 xyz", "new secret 2"]
    err = vn.get_ip_sec_connection_tunnel_error(ipsc.id, t1.id).data
    assert err.error_code == "IKE_NO_RESPONSE" and cpe.ip_address in err.error_description
    routes = vn.list_ip_sec_connection_tunnel_routes(ipsc.id, t2.id, advertiser="CUSTOMER").data
    assert [r.prefix for r in routes] == ["172.16.0.0/16"]
    assert vn.list_ip_sec_connection_tunnel_routes(ipsc.id, t1.id, advertiser="CUSTOMER").data == []
    sas = vn.list_ip_sec_connection_tunnel_security_associations(ipsc.id, t1.id).data
    assert sas[0].tunnel_sa_status == "INITIATING"
    # tunnel device parameters: keys of the CPE's shape only
    assert _err(vn.update_tunnel_cpe_device_config, ipsc.id, t1.id, M.UpdateTunnelCpeDeviceConfigDetails(
        tunnel_cpe_device_config=[M.CpeDeviceConfigAnswer(key="wan-port", value="port1")]))[0] == 400
    answers = vn.update_tunnel_cpe_device_config(ipsc.id, t1.id, M.UpdateTunnelCpeDeviceConfigDetails(
        tunnel_cpe_device_config=[M.CpeDeviceConfigAnswer(key="outside-interface", value="eth7")])).data
    assert answers.tunnel_cpe_device_config_parameter[0].value == "eth7"
    assert vn.get_tunnel_cpe_device_config(ipsc.id, t1.id).data.tunnel_cpe_device_config_parameter[0].key == \
        "outside-interface"
    text = vn.get_tunnel_cpe_device_config_content(ipsc.id, t1.id).data.content.decode()
    assert "leftinterface=eth7" in text and t1.vpn_ip in text and t2.vpn_ip not in text and "abc 123 xyz" in text
    whole = vn.get_ipsec_cpe_device_config_content(ipsc.id).data.content.decode()
    assert t1.vpn_ip in whole and t2.vpn_ip in whole and "AS 65010" in whole
    assert vn.get_cpe_device_config_content(cpe.id).data.content.decode().count("conn oci-to-paris") == 2
    # a CPE without a device shape has no configuration
    bare = _cpe(clients, comp, ip="198.51.100.77")
    assert _err(vn.get_cpe_device_config_content, bare.id)[0] == 409
    # update the connection; the CPE cannot go while the connection uses it
    assert vn.update_ip_sec_connection(ipsc.id, M.UpdateIPSecConnectionDetails(
        static_routes=["172.16.0.0/16", "172.17.0.0/16"], cpe_local_identifier="vpn.example.com",
        cpe_local_identifier_type="HOSTNAME")).data.static_routes == ["172.16.0.0/16", "172.17.0.0/16"]
    assert _err(vn.update_ip_sec_connection, ipsc.id, M.UpdateIPSecConnectionDetails(
        cpe_local_identifier="not an ip", cpe_local_identifier_type="IP_ADDRESS"))[0] == 400
    st, _c, msg = _err(vn.delete_cpe, cpe.id)
    assert st == 409 and "to-paris" in msg
    vn.change_ip_sec_connection_compartment(ipsc.id, M.ChangeIPSecConnectionCompartmentDetails(
        compartment_id=clients.tenancy))
    vn.delete_ip_sec_connection(ipsc.id)
    assert vn.get_ip_sec_connection(ipsc.id).data.lifecycle_state == "TERMINATED"
    assert {t.lifecycle_state for t in vn.list_ip_sec_connection_tunnels(ipsc.id).data} == {"TERMINATED"}
    vn.delete_cpe(cpe.id)
    assert service_error(pytest.raises(E, vn.get_cpe, cpe.id))[0] == 404


def test_allowed_ike_parameters(clients):
    p = clients.network.get_allowed_ike_ip_sec_parameters().data
    assert "AES_256_GCM" in p.allowed_phase_two_parameters.encryption_algorithms
    assert p.default_phase_one_parameters.default_dh_groups == ["GROUP20"]


def test_cpe_and_ipsec_through_the_cli(clients, net, emulator, tmp_path):
    cfg = emulator.write_config(tmp_path / "config")
    ep = emulator.endpoint("core")
    drg = _drg(clients, net.compartment_id)
    cpe = run_oci(cfg, ep, "network", "cpe", "create", "--compartment-id", net.compartment_id,
                  "--ip-address", "192.0.2.200", "--display-name", "cli-cpe")["data"]
    assert cpe["ip-address"] == "192.0.2.200"
    ipsc = run_oci(cfg, ep, "network", "ip-sec-connection", "create", "--compartment-id", net.compartment_id,
                   "--cpe-id", cpe["id"], "--drg-id", drg, "--static-routes", '["10.20.0.0/16"]',
                   "--wait-for-state", "AVAILABLE")["data"]
    assert ipsc["lifecycle-state"] == "AVAILABLE"
    tunnels = run_oci(cfg, ep, "network", "ip-sec-tunnel", "list", "--ipsc-id", ipsc["id"])["data"]
    assert len(tunnels) == 2
    shapes = run_oci(cfg, ep, "network", "cpe-device-shape", "list", "--all")["data"]
    assert any(s["cpe-device-info"]["vendor"] == "Palo Alto" for s in shapes)


# ---------------------------------------------------------------- FastConnect

def test_fastconnect_cross_connects_and_virtual_circuits(clients, net):
    vn, comp = clients.network, net.compartment_id
    locations = [x.name for x in vn.list_cross_connect_locations(comp).data]
    assert "Equinix DC2, Ashburn, VA" in locations
    assert [s.name for s in vn.list_crossconnect_port_speed_shapes(comp).data][:2] == ["1 Gbps", "10 Gbps"]
    assert {s.name: s.bandwidth_in_mbps for s in vn.list_virtual_circuit_bandwidth_shapes(comp).data}["10 Gbps"] == \
        10000
    group = vn.create_cross_connect_group(M.CreateCrossConnectGroupDetails(
        compartment_id=comp, display_name="fc-group", customer_reference_name="rack 12")).data
    assert vn.get_cross_connect_group(group.id).data.lifecycle_state == "PROVISIONED"
    assert _err(vn.create_cross_connect_group, M.CreateCrossConnectGroupDetails(compartment_id=comp,
                                                                                minimum_links=9))[0] == 400
    assert _err(vn.create_cross_connect, M.CreateCrossConnectDetails(
        compartment_id=comp, location_name="Nowhere", port_speed_shape_name="10 Gbps"))[0] == 400
    cc = vn.create_cross_connect(M.CreateCrossConnectDetails(
        compartment_id=comp, location_name=locations[0], port_speed_shape_name="10 Gbps",
        cross_connect_group_id=group.id, display_name="cc-1")).data
    assert cc.lifecycle_state == "PENDING_CUSTOMER" and cc.port_name
    st, _c, msg = _err(vn.create_cross_connect, M.CreateCrossConnectDetails(
        compartment_id=comp, location_name=locations[0], port_speed_shape_name="100 Gbps",
        cross_connect_group_id=group.id))
    assert st == 400 and "share one location and port speed" in msg
    assert [x.id for x in vn.list_cross_connects(comp, cross_connect_group_id=group.id).data] == [cc.id]
    # letter of authority while waiting for cabling; extend it twice at most
    loa = vn.get_cross_connect_letter_of_authority(cc.id).data
    assert loa.facility_location == locations[0] and loa.circuit_type == "Single_mode_LC"
    ext = vn.update_cross_connect_letter_of_authority(cc.id, M.UpdateCrossConnectLetterOfAuthorityDetails(
        should_extend=True, authorized_agent="Acme Cabling")).data
    assert ext.time_expires > loa.time_expires and ext.authorized_agent == "Acme Cabling"
    vn.update_cross_connect_letter_of_authority(cc.id, M.UpdateCrossConnectLetterOfAuthorityDetails(should_extend=True))
    assert _err(vn.update_cross_connect_letter_of_authority, cc.id,
                M.UpdateCrossConnectLetterOfAuthorityDetails(should_extend=True))[0] == 409
    assert vn.get_cross_connect_status(cc.id).data.light_level_indicator == "NO_LIGHT"
    # cabled: activate
    assert vn.update_cross_connect(cc.id, M.UpdateCrossConnectDetails(is_active=True)).data.lifecycle_state == \
        "PROVISIONED"
    assert vn.get_cross_connect_status(cc.id).data.interface_state == "UP"
    got = vn.get_cross_connect(cc.id).data
    assert (got.lifecycle_state, got.display_name, got.cross_connect_group_id) == ("PROVISIONED", "cc-1", group.id)
    assert _err(vn.get_cross_connect_letter_of_authority, cc.id)[0] == 409
    vn.update_cross_connect_group(group.id, M.UpdateCrossConnectGroupDetails(display_name="fc-group-2"))
    assert [g.display_name for g in vn.list_cross_connect_groups(comp).data] == ["fc-group-2"]
    # a private virtual circuit on it, to a DRG
    drg = _drg(clients, comp)
    assert _err(vn.create_virtual_circuit, M.CreateVirtualCircuitDetails(
        compartment_id=comp, type="PRIVATE", bandwidth_shape_name="3 Gbps"))[0] == 400
    assert _err(vn.create_virtual_circuit, M.CreateVirtualCircuitDetails(
        compartment_id=comp, type="PRIVATE", bandwidth_shape_name="1 Gbps", gateway_id=drg))[0] == 400  # no ASN
    vc = vn.create_virtual_circuit(M.CreateVirtualCircuitDetails(
        compartment_id=comp, type="PRIVATE", bandwidth_shape_name="10 Gbps", gateway_id=drg, customer_asn=65001,
        display_name="vc-private", cross_connect_mappings=[M.CrossConnectMapping(
            cross_connect_or_cross_connect_group_id=group.id, vlan=200,
            customer_bgp_peering_ip="10.0.0.18/31", oracle_bgp_peering_ip="10.0.0.19/31")])).data
    vc = vn.get_virtual_circuit(vc.id).data
    assert vc.lifecycle_state == "PROVISIONED" and vc.service_type == "COLOCATED" and vc.oracle_bgp_asn == 31898
    assert [m.vlan for m in vn.list_cross_connect_mappings(vc.id).data.items] == [200]
    assert vn.list_virtual_circuit_associated_tunnels(vc.id).data == []
    assert [v.id for v in vn.list_virtual_circuits(comp).data] == [vc.id]
    assert vn.update_virtual_circuit(vc.id, M.UpdateVirtualCircuitDetails(
        bandwidth_shape_name="5 Gbps")).data.bandwidth_shape_name == "5 Gbps"
    st, _c, msg = _err(vn.delete_cross_connect_group, group.id)
    assert st == 409
    vn.change_virtual_circuit_compartment(vc.id, M.ChangeVirtualCircuitCompartmentDetails(compartment_id=comp))
    vn.delete_virtual_circuit(vc.id)
    vn.change_cross_connect_compartment(cc.id, M.ChangeCrossConnectCompartmentDetails(compartment_id=clients.tenancy))
    vn.delete_cross_connect(cc.id)
    vn.change_cross_connect_group_compartment(group.id, M.ChangeCrossConnectGroupCompartmentDetails(
        compartment_id=clients.tenancy))
    vn.delete_cross_connect_group(group.id)
    assert vn.get_cross_connect_group(group.id).data.lifecycle_state == "TERMINATED"


def test_fastconnect_providers_and_public_circuits(clients, net):
    vn, comp = clients.network, net.compartment_id
    providers = {p.provider_name: p for p in vn.list_fast_connect_provider_services(comp).data}
    eq, azure, att = providers["Equinix"], providers["Microsoft Azure"], providers["AT&T"]
    assert vn.get_fast_connect_provider_service(eq.id).data.provider_service_key_management == "CUSTOMER_MANAGED"
    assert [s.name for s in vn.list_fast_connect_provider_virtual_circuit_bandwidth_shapes(att.id).data] == \
        ["1 Gbps", "2 Gbps", "5 Gbps"]
    assert [r.provider_region_name for r in vn.list_provider_remote_regions(azure.id).data] == ["East US"]
    key = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    k = vn.get_fast_connect_provider_service_key(eq.id, key).data
    assert k.name == key and k.bandwidth_shape_name in ("1 Gbps", "2 Gbps", "5 Gbps", "10 Gbps")
    assert _err(vn.get_fast_connect_provider_service_key, eq.id, "not-a-key")[0] == 404
    # AT&T offers private circuits only
    assert _err(vn.create_virtual_circuit, M.CreateVirtualCircuitDetails(
        compartment_id=comp, type="PUBLIC", provider_service_id=att.id,
        public_prefixes=[M.CreateVirtualCircuitPublicPrefixDetails(cidr_block="192.0.2.0/24")]))[0] == 400
    assert _err(vn.create_virtual_circuit, M.CreateVirtualCircuitDetails(
        compartment_id=comp, type="PUBLIC", provider_service_id=eq.id,
        public_prefixes=[M.CreateVirtualCircuitPublicPrefixDetails(cidr_block="10.0.0.0/24")]))[0] == 400
    vc = vn.create_virtual_circuit(M.CreateVirtualCircuitDetails(
        compartment_id=comp, type="PUBLIC", provider_service_id=eq.id, bandwidth_shape_name="1 Gbps",
        provider_service_key_name=key,
        public_prefixes=[M.CreateVirtualCircuitPublicPrefixDetails(cidr_block="198.51.100.0/24")])).data
    vc = vn.get_virtual_circuit(vc.id).data
    assert vc.provider_state == "ACTIVE" and vc.provider_name == "Equinix" and vc.public_prefixes == ["198.51.100.0/24"]
    vn.bulk_add_virtual_circuit_public_prefixes(vc.id, M.BulkAddVirtualCircuitPublicPrefixesDetails(
        public_prefixes=[M.CreateVirtualCircuitPublicPrefixDetails(cidr_block="203.0.113.0/25")]))
    states = {p.cidr_block: p.verification_state for p in vn.list_virtual_circuit_public_prefixes(vc.id).data}
    assert states == {"198.51.100.0/24": "COMPLETED", "203.0.113.0/25": "COMPLETED"}
    assert _err(vn.bulk_add_virtual_circuit_public_prefixes, vc.id, M.BulkAddVirtualCircuitPublicPrefixesDetails(
        public_prefixes=[M.CreateVirtualCircuitPublicPrefixDetails(cidr_block="203.0.113.0/25")]))[0] == 409
    vn.bulk_delete_virtual_circuit_public_prefixes(vc.id, M.BulkDeleteVirtualCircuitPublicPrefixesDetails(
        public_prefixes=[M.DeleteVirtualCircuitPublicPrefixDetails(cidr_block="198.51.100.0/24")]))
    assert vn.get_virtual_circuit(vc.id).data.public_prefixes == ["203.0.113.0/25"]
    assert _err(vn.bulk_delete_virtual_circuit_public_prefixes, vc.id, M.BulkDeleteVirtualCircuitPublicPrefixesDetails(
        public_prefixes=[M.DeleteVirtualCircuitPublicPrefixDetails(cidr_block="203.0.113.0/25")]))[0] == 400


# ---------------------------------------------------------------- BYOIP, BYOASN, public IP pools

def test_byoip_range_lifecycle_asn_and_pools(clients, net, emulator):
    vn, comp = clients.network, net.compartment_id
    assert _err(vn.create_byoip_range, M.CreateByoipRangeDetails(compartment_id=comp, cidr_block="10.0.0.0/16"))[0] \
        == 400
    st, _c, msg = _err(vn.create_byoip_range, M.CreateByoipRangeDetails(compartment_id=comp,
                                                                        cidr_block="198.51.100.0/25"))
    assert st == 400 and "/24" in msg
    r = vn.create_byoip_range(M.CreateByoipRangeDetails(compartment_id=comp, cidr_block="198.51.100.0/24",
                                                        display_name="my-range")).data
    assert (r.lifecycle_state, r.lifecycle_details) == ("INACTIVE", "CREATING") and r.validation_token
    assert _err(vn.create_byoip_range, M.CreateByoipRangeDetails(compartment_id=comp,
                                                                 cidr_block="198.51.100.0/23"))[0] == 409
    assert _err(vn.advertise_byoip_range, r.id)[0] == 409
    vn.validate_byoip_range(r.id)
    r = vn.get_byoip_range(r.id).data
    assert (r.lifecycle_state, r.lifecycle_details) == ("ACTIVE", "PROVISIONED") and r.time_validated
    assert [x.id for x in vn.list_byoip_ranges(comp).data.items] == [r.id]
    vn.update_byoip_range(r.id, M.UpdateByoipRangeDetails(display_name="range-2"))
    # a BYOASN: public ASNs only, validated before it can originate the range
    assert _err(vn.create_byoasn, M.CreateByoasnDetails(compartment_id=comp, asn=64600, display_name="p"))[0] == 400
    asn = vn.create_byoasn(M.CreateByoasnDetails(compartment_id=comp, asn=396982, display_name="my-asn")).data
    assert vn.get_byoasn(asn.id).data.lifecycle_state == "ACTIVE"
    assert _err(vn.set_origin_asn, r.id, M.SetOriginAsnDetails(byoasn_id=asn.id))[0] == 409
    vn.validate_byoasn(asn.id)
    assert vn.get_byoasn(asn.id).data.time_validated
    vn.set_origin_asn(r.id, M.SetOriginAsnDetails(byoasn_id=asn.id, as_path_prepend_length=1))
    assert vn.get_byoip_range(r.id).data.origin_asn.asn == 396982
    assert [b.byoip_range_id for b in vn.get_byoasn(asn.id).data.byoip_ranges] == [r.id]
    assert _err(vn.delete_byoasn, asn.id)[0] == 409
    vn.set_origin_asn_to_oracle(r.id)
    assert vn.get_byoip_range(r.id).data.origin_asn is None
    vn.update_byoasn(asn.id, M.UpdateByoasnDetails(display_name="asn-2"))
    assert [a.id for a in vn.list_byoasns(comp).data.items] == [asn.id]
    vn.change_byoasn_compartment(asn.id, M.ChangeByoasnCompartmentDetails(compartment_id=clients.tenancy))
    vn.delete_byoasn(asn.id)
    # a public IP pool with capacity from the range
    pool = vn.create_public_ip_pool(M.CreatePublicIpPoolDetails(compartment_id=comp, display_name="pool")).data
    assert vn.get_public_ip_pool(pool.id).data.lifecycle_state == "ACTIVE"
    assert _err(vn.add_public_ip_pool_capacity, pool.id, M.AddPublicIpPoolCapacityDetails(
        byoip_range_id=r.id, cidr_block="203.0.113.0/28"))[0] == 400
    pool = vn.add_public_ip_pool_capacity(pool.id, M.AddPublicIpPoolCapacityDetails(
        byoip_range_id=r.id, cidr_block="198.51.100.0/28")).data
    assert pool.cidr_blocks == ["198.51.100.0/28"]
    assert _err(vn.add_public_ip_pool_capacity, pool.id, M.AddPublicIpPoolCapacityDetails(
        byoip_range_id=r.id, cidr_block="198.51.100.0/29"))[0] == 409
    assert [a.cidr_block for a in vn.list_byoip_allocated_ranges(r.id).data.items] == ["198.51.100.0/28"]
    assert [p.id for p in vn.list_public_ip_pools(comp, byoip_range_id=r.id).data.items] == [pool.id]
    assert _err(vn.delete_byoip_range, r.id)[0] == 409
    assert _err(vn.delete_public_ip_pool, pool.id)[0] == 409
    vn.update_public_ip_pool(pool.id, M.UpdatePublicIpPoolDetails(display_name="pool-2"))
    vn.change_public_ip_pool_compartment(pool.id, M.ChangePublicIpPoolCompartmentDetails(compartment_id=comp))
    assert vn.remove_public_ip_pool_capacity(pool.id, M.RemovePublicIpPoolCapacityDetails(
        cidr_block="198.51.100.0/28")).data.cidr_blocks == []
    vn.delete_public_ip_pool(pool.id)
    # advertise / withdraw, then delete
    vn.advertise_byoip_range(r.id)
    assert vn.get_byoip_range(r.id).data.lifecycle_details == "ACTIVE"
    assert _err(vn.delete_byoip_range, r.id)[0] == 409
    vn.withdraw_byoip_range(r.id)
    assert vn.get_byoip_range(r.id).data.lifecycle_details == "PROVISIONED"
    vn.change_byoip_range_compartment(r.id, M.ChangeByoipRangeCompartmentDetails(compartment_id=clients.tenancy))
    vn.delete_byoip_range(r.id)
    assert vn.get_byoip_range(r.id).data.lifecycle_state == "DELETED"


# ---------------------------------------------------------------- capture filters and VTAPs

def test_capture_filters_and_vtaps(clients, net):
    vn, comp = clients.network, net.compartment_id
    rule = M.VtapCaptureFilterRuleDetails(traffic_direction="INGRESS", rule_action="INCLUDE",
                                          source_cidr="0.0.0.0/0", protocol="6")
    assert _err(vn.create_capture_filter, M.CreateCaptureFilterDetails(
        compartment_id=comp, filter_type="VTAP", vtap_capture_filter_rules=[rule] * 11))[0] == 400
    assert _err(vn.create_capture_filter, M.CreateCaptureFilterDetails(
        compartment_id=comp, filter_type="VTAP", vtap_capture_filter_rules=[M.VtapCaptureFilterRuleDetails(
            traffic_direction="INGRESS", source_cidr="1.2.3.4/40")]))[0] == 400
    cf = vn.create_capture_filter(M.CreateCaptureFilterDetails(
        compartment_id=comp, filter_type="VTAP", display_name="tcp-in", vtap_capture_filter_rules=[rule])).data
    assert vn.get_capture_filter(cf.id).data.lifecycle_state == "AVAILABLE"
    flow = vn.create_capture_filter(M.CreateCaptureFilterDetails(compartment_id=comp, filter_type="FLOWLOG")).data
    assert [f.id for f in vn.list_capture_filters(comp, filter_type="VTAP").data] == [cf.id]
    vn.update_capture_filter(cf.id, M.UpdateCaptureFilterDetails(display_name="tcp-in-2"))
    # VTAP: a subnet of the VCN mirrored to an IP of the VCN
    st, _c, msg = _err(vn.create_vtap, M.CreateVtapDetails(
        compartment_id=comp, vcn_id=net.vcn_id, source_id=net.subnet_id, target_ip="192.168.0.5",
        capture_filter_id=cf.id))
    assert st == 400 and "targetIp" in msg
    assert _err(vn.create_vtap, M.CreateVtapDetails(
        compartment_id=comp, vcn_id=net.vcn_id, source_id=net.subnet_id, target_ip="10.77.1.9",
        capture_filter_id=flow.id))[0] == 400
    vtap = vn.create_vtap(M.CreateVtapDetails(
        compartment_id=comp, vcn_id=net.vcn_id, source_id=net.subnet_id, target_ip="10.77.1.9",
        capture_filter_id=cf.id, display_name="mirror")).data
    vtap = vn.get_vtap(vtap.id).data
    assert (vtap.source_type, vtap.target_type, vtap.lifecycle_state_details) == ("SUBNET", "IP_ADDRESS", "STOPPED")
    assert vtap.encapsulation_protocol == "VXLAN" and vtap.max_packet_size == 9000
    up = vn.update_vtap(vtap.id, M.UpdateVtapDetails(is_vtap_enabled=True)).data
    assert up.is_vtap_enabled is True
    assert vn.get_vtap(vtap.id).data.lifecycle_state_details == "RUNNING"
    assert [v.id for v in vn.list_vtaps(comp, source=net.subnet_id).data] == [vtap.id]
    assert _err(vn.delete_capture_filter, cf.id)[0] == 409
    vn.change_vtap_compartment(vtap.id, M.ChangeVtapCompartmentDetails(compartment_id=comp))
    vn.delete_vtap(vtap.id)
    vn.change_capture_filter_compartment(cf.id, M.ChangeCaptureFilterCompartmentDetails(compartment_id=comp))
    vn.delete_capture_filter(cf.id)
    assert vn.get_capture_filter(cf.id).data.lifecycle_state == "TERMINATED"
