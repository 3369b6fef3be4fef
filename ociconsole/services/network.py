"""Networking: VCNs, subnets, gateways, route tables, security lists, NSGs, DRGs, peering, VNICs."""

from __future__ import annotations

from ..core.sdk import models as sdk_models
from .runtime import Session

models = sdk_models("core")


def _lister(method: str):
    async def list_(session: Session, compartment_id: str, vcn_id: str | None = None) -> list:
        kw = {"vcn_id": vcn_id} if vcn_id and method != "list_vcns" else {}
        return await session.list_all("network", method, compartment_id, **kw)
    list_.__name__ = method
    return list_


list_vcns = _lister("list_vcns")
list_subnets = _lister("list_subnets")
list_internet_gateways = _lister("list_internet_gateways")
list_nat_gateways = _lister("list_nat_gateways")
list_route_tables = _lister("list_route_tables")
list_security_lists = _lister("list_security_lists")


async def get(session: Session, method: str, ocid: str):
    return await session.data("network", method, ocid)


async def get_vcn(session: Session, vcn_id: str):
    return await session.data("network", "get_vcn", vcn_id)


async def get_subnet(session: Session, subnet_id: str):
    return await session.data("network", "get_subnet", subnet_id)


async def get_vnic(session: Session, vnic_id: str):
    return await session.data("network", "get_vnic", vnic_id)


async def create_vcn(session: Session, details, retry_token: str):
    return await session.data("network", "create_vcn", details, opc_retry_token=retry_token)


async def create_subnet(session: Session, details, retry_token: str):
    return await session.data("network", "create_subnet", details, opc_retry_token=retry_token)


async def delete(session: Session, method: str, ocid: str) -> None:
    await session.call("network", method, ocid)


NSG_RULES_PER_CALL = 25  # OCI adds at most 25 security rules per request


async def nsg_rules(session: Session, nsg_id: str) -> list:
    return await session.list_all("network", "list_network_security_group_security_rules", nsg_id)


async def nsg_vnics(session: Session, nsg_id: str) -> list:
    return await session.list_all("network", "list_network_security_group_vnics", nsg_id)


async def list_services(session: Session) -> list:
    return await session.list_all("network", "list_services")


async def list_drg_attachments(session: Session, compartment_id: str, drg_id: str | None = None) -> list:
    kw = {"drg_id": drg_id} if drg_id else {}
    return await session.list_all("network", "list_drg_attachments", compartment_id, **kw)


list_local_peering_gateways = _lister("list_local_peering_gateways")


async def list_network_security_groups(session: Session, compartment_id: str, vcn_id: str | None = None) -> list:
    kw = {"vcn_id": vcn_id} if vcn_id else {}
    return await session.list_all("network", "list_network_security_groups", compartment_id=compartment_id, **kw)
