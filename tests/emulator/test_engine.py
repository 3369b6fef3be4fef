"""The resource engine through the real SDK: a kind declared once is served (create, get, list with
filters and pages, update of exactly the SDK's updatable fields, if-match, delete with its states,
change-compartment), work requests where the SDK's composite operations expect them, one injectable
clock, and the coverage report."""

from __future__ import annotations

import oci
import pytest

from ociconsole.emulator import Emulator
from ociconsole.emulator.cli import main as emulator_main
from ociconsole.emulator.coverage import coverage
from ociconsole.emulator.engine import KINDS, NETWORK, Kind, default_name, resolve
from ociconsole.emulator.registry import Service
from ociconsole.emulator.spec import module_specs

from .helpers import NO_RETRY, M, make_net, signer_for

# a kind declared only for this test, served under its own name (its model is the SDK's Cpe)
TEST_SVC = Service("core", name="engine-test")


def _in_use(ctx, doc):
    if (doc.get("freeformTags") or {}).get("locked") == "yes":
        from ociconsole.emulator.protocol import conflict
        raise conflict("The CPE is locked")


TEST_KIND = TEST_SVC.resource(Kind("enginetestcpe", "Cpe", "CPE", ocid="cpe", unique=("ipAddress",),
                                   unique_scope="compartment", check_delete=_in_use, default_name="cpe"))


@pytest.fixture
def engine_emu(tmp_path):
    from ociconsole.emulator.core import EmulatorCore

    emu = Emulator(seed="demo", transition_delay=0, state=None)
    # serve the test kind beside the real services: register its Service on this core only
    core: EmulatorCore = emu.core
    core._layout["engine-test"] = ("core",)
    core._register("engine-test", [TEST_SVC])
    emu.start()
    yield emu
    emu.stop()


def vn_client(emu, cfg=None):
    cfg = cfg or emu.client_config()
    return oci.core.VirtualNetworkClient(cfg, service_endpoint=emu.endpoint("core"), signer=signer_for(cfg),
                                         **NO_RETRY)


def test_a_declared_kind_gets_every_operation_the_sdk_has(engine_emu):
    assert TEST_KIND.resolved == {"create": "create_cpe", "get": "get_cpe", "list": "list_cpes",
                                  "update": "update_cpe", "delete": "delete_cpe", "move": "change_cpe_compartment"}
    vn = vn_client(engine_emu)
    t = engine_emu.tenancy_id
    cpe = vn.create_cpe(M.CreateCpeDetails(compartment_id=t, ip_address="203.0.113.5",
                                           freeform_tags={"site": "paris"})).data
    assert cpe.id.startswith("ocid1.cpe.oc1.iad.") and cpe.ip_address == "203.0.113.5"
    assert cpe.display_name.startswith("cpe") and len(cpe.display_name) == 17  # cpe + yyyymmddhhmmss
    assert cpe.freeform_tags == {"site": "paris"}
    got = vn.get_cpe(cpe.id)
    assert got.data.ip_address == "203.0.113.5" and got.headers["etag"]
    # unique in the compartment: 409
    with pytest.raises(oci.exceptions.ServiceError) as e:
        vn.create_cpe(M.CreateCpeDetails(compartment_id=t, ip_address="203.0.113.5"))
    assert e.value.status == 409 and "already exists" in e.value.message
    # update: only what UpdateCpeDetails has; if-match checked
    with pytest.raises(oci.exceptions.ServiceError) as e:
        vn.update_cpe(cpe.id, M.UpdateCpeDetails(display_name="x"), if_match="nope")
    assert e.value.status == 412
    up = vn.update_cpe(cpe.id, M.UpdateCpeDetails(display_name="paris-edge"), if_match=got.headers["etag"]).data
    assert up.display_name == "paris-edge" and up.ip_address == "203.0.113.5"
    # list: filters from the query, in the order made (or sorted as asked), pages
    for i in range(3):
        vn.create_cpe(M.CreateCpeDetails(compartment_id=t, ip_address=f"198.51.100.{i + 1}", display_name=f"c{i}"))
    names = [c.display_name for c in oci.pagination.list_call_get_all_results(vn.list_cpes, t, limit=2).data]
    assert names == ["paris-edge", "c0", "c1", "c2"]
    # move: to an existing compartment only
    dev = next(c.id for c in oci.identity.IdentityClient(
        engine_emu.client_config(), service_endpoint=engine_emu.endpoint("identity")).list_compartments(t).data
        if c.name == "Development")
    with pytest.raises(oci.exceptions.ServiceError) as e:
        vn.change_cpe_compartment(cpe.id, M.ChangeCpeCompartmentDetails(compartment_id="ocid1.compartment.oc1..x"))
    assert e.value.status == 404
    vn.change_cpe_compartment(cpe.id, M.ChangeCpeCompartmentDetails(compartment_id=dev))
    assert [c.id for c in vn.list_cpes(dev).data] == [cpe.id]
    # delete: refused while in use, then gone
    vn.update_cpe(cpe.id, M.UpdateCpeDetails(freeform_tags={"locked": "yes"}))
    with pytest.raises(oci.exceptions.ServiceError) as e:
        vn.delete_cpe(cpe.id)
    assert (e.value.status, e.value.message) == (409, "The CPE is locked")
    vn.update_cpe(cpe.id, M.UpdateCpeDetails(freeform_tags={}))
    vn.delete_cpe(cpe.id)  # a CPE has no lifecycle state in OCI: gone at once
    with pytest.raises(oci.exceptions.ServiceError) as e:
        vn.get_cpe(cpe.id)
    assert e.value.status == 404


def test_the_clock_moves_lifecycles_without_sleeping(tmp_path):
    emu = Emulator(seed="demo", transition_delay=3600)  # an hour per transition
    emu.start()
    try:
        vn = vn_client(emu)
        t = emu.tenancy_id
        vcn = vn.create_vcn(M.CreateVcnDetails(compartment_id=t, cidr_block="10.99.0.0/16")).data
        assert vn.get_vcn(vcn.id).data.lifecycle_state == "PROVISIONING"
        assert vcn.display_name == default_name_at(vcn.time_created)
        emu.clock.advance(3601)
        assert vn.get_vcn(vcn.id).data.lifecycle_state == "AVAILABLE"
        vn.delete_vcn(vcn.id)
        emu.clock.advance(3601)
        assert vn.get_vcn(vcn.id).data.lifecycle_state == "TERMINATED"
        # terminated resources stay listed an hour, then are gone
        assert vcn.id in [v.id for v in vn.list_vcns(t).data]
        emu.clock.advance(3601)
        assert vcn.id not in [v.id for v in vn.list_vcns(t).data]
        # the admin API moves it too, and never backwards
        from oci._vendor import requests
        s = requests.Session()
        s.auth = signer_for(emu.client_config())
        before = s.get(emu.base_url + "/_emulator/clock").json()
        after = s.post(emu.base_url + "/_emulator/clock", json={"advance": 60}).json()
        assert after["offset"] == before["offset"] + 60
        assert s.post(emu.base_url + "/_emulator/clock", json={"advance": -5}).status_code == 400
    finally:
        emu.stop()


def default_name_at(created) -> str:
    return "vcn" + created.strftime("%Y%m%d%H%M%S")


def test_work_requests_where_the_sdk_waits_for_them(emulator):
    """change_vcn_compartment has change_vcn_compartment_and_wait_for_work_request: a work request it is."""
    assert module_specs("core")["change_vcn_compartment"].work_request
    assert not module_specs("core")["create_vcn"].work_request
    cfg = emulator.client_config()
    vn = vn_client(emulator)
    from .helpers import Clients
    c = Clients(emulator)
    net = make_net(c)
    composite = oci.core.VirtualNetworkClientCompositeOperations(vn, work_request_client=c.work_requests)
    done = composite.change_vcn_compartment_and_wait_for_work_request(
        net.vcn_id, M.ChangeVcnCompartmentDetails(compartment_id=cfg["tenancy"]),
        waiter_kwargs={"max_wait_seconds": 15, "max_interval_seconds": 1})
    assert done.data.status == "SUCCEEDED" and done.data.operation_type == "MOVE_VCN"
    assert [r.identifier for r in done.data.resources] == [net.vcn_id]
    assert vn.get_vcn(net.vcn_id).data.compartment_id == cfg["tenancy"]


def test_coverage_counts_engine_and_hand_written_operations(emulator, capsys):
    rows = {c.client: c for c in coverage(emulator.core)}
    vn = rows["VirtualNetworkClient"]
    assert "change_vcn_compartment" in vn.implemented and "create_vcn" in vn.implemented
    assert rows["NotificationControlPlaneClient"].percent == 100.0
    assert emulator_main(["--coverage", "VirtualNetworkClient"]) == 0
    out = capsys.readouterr().out
    assert "oci.core.VirtualNetworkClient" in out and "missing in oci.core.VirtualNetworkClient" in out
    assert emulator_main(["--coverage", "NoSuchClient"]) == 2


def test_every_declared_kind_names_real_sdk_operations(emulator):
    emulator.core.load_all()
    for kind in KINDS.values():
        specs = module_specs(kind.module)
        resolved = resolve(kind, specs)
        assert resolved, f"{kind.name}: no SDK operation found for {kind.model}"
        for verb, op in resolved.items():
            assert op in specs, (kind.name, verb, op)
        for state in (kind.lifecycle.creating, kind.lifecycle.ready, kind.lifecycle.updating,
                      kind.lifecycle.deleting, kind.lifecycle.deleted):
            if state:
                from ociconsole.emulator import models
                info = models.model_info(kind.module, kind.model)
                assert info is not None, kind.model
                allowed = models._allowed_values(info.cls, "lifecycle_state")
                assert allowed is None or f'"{state}"' in allowed, (kind.name, state, allowed)


def test_default_names_are_one_definition():
    class Ctx:
        now = 1767225600.0  # 2026-01-01T00:00:00Z
    assert default_name(Ctx(), "nsg") == "nsg20260101000000"
    assert NETWORK.ready == "AVAILABLE"


def test_every_network_kind_moves_and_dhcp_options_are_served(clients):
    """The hand-written network kinds get change_*_compartment from their declarations; DHCP options the rest."""
    c = clients
    net = make_net(c)
    vn = c.network
    dest = c.identity.create_compartment(oci.identity.models.CreateCompartmentDetails(
        compartment_id=c.tenancy, name="engine-dest", description="moves land here")).data.id
    vcn = vn.get_vcn(net.vcn_id).data
    dhcp = vn.create_dhcp_options(M.CreateDhcpDetails(
        compartment_id=net.compartment_id, vcn_id=net.vcn_id, display_name="corp-dns",
        options=[M.DhcpDnsOption(server_type="CustomDnsServer", custom_dns_servers=["10.77.0.10"])])).data
    assert dhcp.lifecycle_state == "PROVISIONING" and dhcp.options[0].custom_dns_servers == ["10.77.0.10"]
    assert vn.get_dhcp_options(dhcp.id).data.lifecycle_state == "AVAILABLE"  # a transition later
    dhcp = vn.update_dhcp_options(dhcp.id, M.UpdateDhcpDetails(display_name="corp-dns-2")).data
    assert dhcp.display_name == "corp-dns-2" and dhcp.vcn_id == net.vcn_id
    ig = vn.create_internet_gateway(M.CreateInternetGatewayDetails(
        compartment_id=net.compartment_id, vcn_id=net.vcn_id, is_enabled=True)).data
    nat = vn.create_nat_gateway(M.CreateNatGatewayDetails(compartment_id=net.compartment_id, vcn_id=net.vcn_id)).data
    moves = [(vn.change_subnet_compartment, net.subnet_id, M.ChangeSubnetCompartmentDetails, vn.get_subnet),
             (vn.change_internet_gateway_compartment, ig.id, M.ChangeInternetGatewayCompartmentDetails,
              vn.get_internet_gateway),
             (vn.change_nat_gateway_compartment, nat.id, M.ChangeNatGatewayCompartmentDetails, vn.get_nat_gateway),
             (vn.change_route_table_compartment, vcn.default_route_table_id, M.ChangeRouteTableCompartmentDetails,
              vn.get_route_table),
             (vn.change_security_list_compartment, vcn.default_security_list_id,
              M.ChangeSecurityListCompartmentDetails, vn.get_security_list),
             (vn.change_dhcp_options_compartment, dhcp.id, M.ChangeDhcpOptionsCompartmentDetails,
              vn.get_dhcp_options),
             (vn.change_vcn_compartment, net.vcn_id, M.ChangeVcnCompartmentDetails, vn.get_vcn)]
    for change, ident, details, get in moves:
        change(ident, details(compartment_id=dest))
        assert get(ident).data.compartment_id == dest, change.__name__
    vn.delete_dhcp_options(dhcp.id)
    assert vn.get_dhcp_options(dhcp.id).data.lifecycle_state == "TERMINATED"
