"""Service gateways and the Oracle Services Network, local and remote peering through the real SDK:
services per region, enabling/disabling services, route rules to a service gateway, one gateway per
VCN; LPG peering (NEW -> PEERED on both, advertised CIDRs, overlap and region rules, REVOKED when the
peer goes); RPCs between subscribed regions."""

from __future__ import annotations

import oci
import pytest

from .helpers import M, service_error, unique, wait_state


def _vcn(c, comp, cidr, name):
    v = c.network.create_vcn(M.CreateVcnDetails(compartment_id=comp, cidr_block=cidr, display_name=name)).data
    return wait_state(c.network, c.network.get_vcn, v.id, "AVAILABLE")


def test_services_and_service_gateway(clients, net):
    c = clients
    services = c.network.list_services().data
    assert {s.cidr_block for s in services} == {"all-iad-services-in-oracle-services-network",
                                                 "oci-iad-objectstorage"}
    all_svc = next(s for s in services if s.name == "All IAD Services In Oracle Services Network")
    obj = next(s for s in services if s.name == "OCI IAD Object Storage")
    assert c.network.get_service(obj.id).data.cidr_block == "oci-iad-objectstorage"
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.get_service("ocid1.service.oc1.iad.nope")
    assert e.value.status == 404

    sgw = c.network.create_service_gateway(M.CreateServiceGatewayDetails(
        compartment_id=net.compartment_id, vcn_id=net.vcn_id, display_name="sgw",
        services=[M.ServiceIdRequestDetails(service_id=obj.id)])).data
    sgw = wait_state(c.network, c.network.get_service_gateway, sgw.id, "AVAILABLE")
    assert [s.service_name for s in sgw.services] == ["OCI IAD Object Storage"] and sgw.block_traffic is False
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.create_service_gateway(M.CreateServiceGatewayDetails(
            compartment_id=net.compartment_id, vcn_id=net.vcn_id, services=[]))
    assert service_error(e) == (409, "Conflict") and "only one service gateway" in e.value.message
    assert [g.id for g in c.network.list_service_gateways(net.compartment_id, vcn_id=net.vcn_id).data] == [sgw.id]

    # a route rule to a service needs the service enabled, and destinationType SERVICE_CIDR_BLOCK
    rule = M.RouteRule(destination=all_svc.cidr_block, destination_type="SERVICE_CIDR_BLOCK",
                       network_entity_id=sgw.id)
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.create_route_table(M.CreateRouteTableDetails(
            compartment_id=net.compartment_id, vcn_id=net.vcn_id, route_rules=[rule]))
    assert e.value.status == 400 and "does not enable All IAD Services" in e.value.message
    sgw = c.network.attach_service_id(sgw.id, M.ServiceIdRequestDetails(service_id=all_svc.id)).data
    assert len(sgw.services) == 2
    sgw = c.network.detach_service_id(sgw.id, M.ServiceIdRequestDetails(service_id=obj.id)).data
    assert [s.service_id for s in sgw.services] == [all_svc.id]
    rt = c.network.create_route_table(M.CreateRouteTableDetails(
        compartment_id=net.compartment_id, vcn_id=net.vcn_id, display_name="to-osn", route_rules=[rule])).data
    assert rt.route_rules[0].destination_type == "SERVICE_CIDR_BLOCK"
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.create_route_table(M.CreateRouteTableDetails(
            compartment_id=net.compartment_id, vcn_id=net.vcn_id, route_rules=[M.RouteRule(
                destination="0.0.0.0/0", destination_type="CIDR_BLOCK", network_entity_id=sgw.id)]))
    assert "SERVICE_CIDR_BLOCK" in e.value.message
    up = c.network.update_service_gateway(sgw.id, M.UpdateServiceGatewayDetails(block_traffic=True)).data
    assert up.block_traffic is True
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.delete_service_gateway(sgw.id)
    assert service_error(e) == (409, "Conflict") and "to-osn" in e.value.message
    c.network.delete_route_table(rt.id)
    comp2 = c.identity.create_compartment(oci.identity.models.CreateCompartmentDetails(
        compartment_id=c.tenancy, name=unique("sgw"), description="x")).data
    c.network.change_service_gateway_compartment(sgw.id, M.ChangeServiceGatewayCompartmentDetails(
        compartment_id=comp2.id))
    c.network.delete_service_gateway(sgw.id)
    assert c.network.get_service_gateway(sgw.id).data.lifecycle_state in ("TERMINATING", "TERMINATED")


def test_local_peering(clients, net):
    c = clients
    other = _vcn(c, net.compartment_id, "10.78.0.0/16", "peer-vcn")
    overlapping = _vcn(c, net.compartment_id, "10.77.128.0/17", "overlap-vcn")

    def lpg(vcn_id, name):
        g = c.network.create_local_peering_gateway(M.CreateLocalPeeringGatewayDetails(
            compartment_id=net.compartment_id, vcn_id=vcn_id, display_name=name)).data
        return wait_state(c.network, c.network.get_local_peering_gateway, g.id, "AVAILABLE")

    a, b, x = lpg(net.vcn_id, "a"), lpg(other.id, "b"), lpg(overlapping.id, "x")
    assert a.peering_status == "NEW" and a.peer_id is None
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.connect_local_peering_gateways(a.id, M.ConnectLocalPeeringGatewaysDetails(peer_id=x.id))
    assert e.value.status == 400 and "overlap" in e.value.message
    c.network.connect_local_peering_gateways(a.id, M.ConnectLocalPeeringGatewaysDetails(peer_id=b.id))
    a, b = c.network.get_local_peering_gateway(a.id).data, c.network.get_local_peering_gateway(b.id).data
    assert (a.peering_status, b.peering_status) == ("PEERED", "PEERED")
    assert a.peer_id == b.id and b.peer_id == a.id
    assert a.peer_advertised_cidr == "10.78.0.0/16" and b.peer_advertised_cidr_details == ["10.77.0.0/16"]
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.connect_local_peering_gateways(a.id, M.ConnectLocalPeeringGatewaysDetails(peer_id=x.id))
    assert service_error(e) == (409, "IncorrectState")
    # a VCN CIDR that would overlap the peer's is refused
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.add_vcn_cidr(net.vcn_id, M.AddVcnCidrDetails(cidr_block="10.78.0.0/16"))
    assert e.value.status == 400 and "overlaps" in e.value.message
    up = c.network.update_local_peering_gateway(a.id, M.UpdateLocalPeeringGatewayDetails(display_name="a2")).data
    assert up.display_name == "a2"
    names = {g.display_name for g in c.network.list_local_peering_gateways(net.compartment_id).data}
    assert names == {"a2", "b", "x"}
    comp2 = c.identity.create_compartment(oci.identity.models.CreateCompartmentDetails(
        compartment_id=c.tenancy, name=unique("lpg"), description="x")).data
    c.network.change_local_peering_gateway_compartment(x.id, M.ChangeLocalPeeringGatewayCompartmentDetails(
        compartment_id=comp2.id))
    c.network.delete_local_peering_gateway(a.id)
    assert c.network.get_local_peering_gateway(b.id).data.peering_status == "REVOKED"
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.delete_vcn(other.id)
    assert "local peering gateway b" in e.value.message


def test_remote_peering(emulator, clients, net):
    c = clients
    regions = [r.name for r in c.network.list_allowed_peer_regions_for_remote_peering().data]
    assert "us-phoenix-1" in regions and "us-ashburn-1" in regions
    phx = oci.core.VirtualNetworkClient(c.config, service_endpoint=emulator.endpoint("core", "us-phoenix-1"),
                                        signer=c.network.base_client.signer,
                                        retry_strategy=oci.retry.NoneRetryStrategy())
    subscribed = [s.region_name for s in c.identity.list_region_subscriptions(c.tenancy).data]
    assert "us-phoenix-1" in subscribed
    drg = c.network.create_drg(M.CreateDrgDetails(compartment_id=net.compartment_id, display_name="iad-drg")).data
    drg2 = phx.create_drg(M.CreateDrgDetails(compartment_id=net.compartment_id, display_name="phx-drg")).data
    r1 = c.network.create_remote_peering_connection(M.CreateRemotePeeringConnectionDetails(
        compartment_id=net.compartment_id, drg_id=drg.id, display_name="to-phx")).data
    r2 = phx.create_remote_peering_connection(M.CreateRemotePeeringConnectionDetails(
        compartment_id=net.compartment_id, drg_id=drg2.id, display_name="to-iad")).data
    assert r1.peering_status == "NEW"
    # an RPC comes with its DRG attachment
    atts = c.network.list_drg_attachments(net.compartment_id, drg_id=drg.id,
                                          attachment_type="REMOTE_PEERING_CONNECTION").data
    assert [a.network_details.id for a in atts] == [r1.id]
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.connect_remote_peering_connections(r1.id, M.ConnectRemotePeeringConnectionsDetails(
            peer_id=r2.id, peer_region_name="eu-frankfurt-1"))
    assert e.value.status == 400
    c.network.connect_remote_peering_connections(r1.id, M.ConnectRemotePeeringConnectionsDetails(
        peer_id=r2.id, peer_region_name="us-phoenix-1"))
    got = c.network.get_remote_peering_connection(r1.id).data
    assert got.peering_status == "PEERED" and got.peer_id == r2.id and got.peer_region_name == "us-phoenix-1"
    assert phx.get_remote_peering_connection(r2.id).data.peering_status == "PEERED"
    assert [r.id for r in c.network.list_remote_peering_connections(net.compartment_id, drg_id=drg.id).data] == [r1.id]
    c.network.update_remote_peering_connection(r1.id, M.UpdateRemotePeeringConnectionDetails(display_name="phx"))
    comp2 = c.identity.create_compartment(oci.identity.models.CreateCompartmentDetails(
        compartment_id=c.tenancy, name=unique("rpc"), description="x")).data
    c.network.change_remote_peering_connection_compartment(
        r1.id, M.ChangeRemotePeeringConnectionCompartmentDetails(compartment_id=comp2.id))
    with pytest.raises(oci.exceptions.ServiceError) as e:
        c.network.delete_drg(drg.id)
    assert service_error(e) == (409, "Conflict")
    c.network.delete_remote_peering_connection(r1.id)
    assert phx.get_remote_peering_connection(r2.id).data.peering_status == "REVOKED"
    c.network.delete_drg(drg.id)
