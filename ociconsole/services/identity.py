"""Identity: compartments, users, groups, policies, regions and availability domains."""

from __future__ import annotations

from ..core.sdk import models as sdk_models
from .runtime import Session

models = sdk_models("identity")


async def compartment_tree(session: Session) -> dict[str, list]:
    """Every ACTIVE compartment under the tenancy, grouped by parent id — one paged subtree call."""
    comps = await session.list_all("identity", "list_compartments", session.tenancy_id,
                                   compartment_id_in_subtree=True, access_level="ACCESSIBLE",
                                   lifecycle_state="ACTIVE")
    tree: dict[str, list] = {}
    for c in comps:
        tree.setdefault(c.compartment_id, []).append(c)
    for children in tree.values():
        children.sort(key=lambda c: c.name.lower())
    return tree


async def list_compartments(session: Session, parent_id: str) -> list:
    comps = await session.list_all("identity", "list_compartments", parent_id, lifecycle_state="ACTIVE")
    return sorted(comps, key=lambda c: c.name.lower())


async def get_compartment(session: Session, compartment_id: str):
    return await session.data("identity", "get_compartment", compartment_id)


async def get_tenancy(session: Session):
    return await session.data("identity", "get_tenancy", session.tenancy_id)


async def list_region_subscriptions(session: Session) -> list:
    return await session.data("identity", "list_region_subscriptions", session.tenancy_id)


async def list_availability_domains(session: Session) -> list:
    return await session.data("identity", "list_availability_domains", session.tenancy_id)


async def list_fault_domains(session: Session, availability_domain: str) -> list:
    return await session.data("identity", "list_fault_domains", session.tenancy_id,
                              availability_domain=availability_domain)


async def create_compartment(session: Session, details, retry_token: str):
    return await session.data("identity", "create_compartment", details, opc_retry_token=retry_token)


async def delete_compartment(session: Session, compartment_id: str) -> str:
    resp = await session.call("identity", "delete_compartment", compartment_id)
    return resp.headers.get("opc-work-request-id", "")


async def get_identity_work_request(session: Session, work_request_id: str):
    return await session.data("identity", "get_work_request", work_request_id)


async def list_users(session: Session, compartment_id: str) -> list:
    if compartment_id != session.tenancy_id:
        return []
    return await session.list_all("identity", "list_users", compartment_id)


async def list_groups(session: Session, compartment_id: str) -> list:
    if compartment_id != session.tenancy_id:
        return []
    return await session.list_all("identity", "list_groups", compartment_id)


async def list_policies(session: Session, compartment_id: str) -> list:
    return await session.list_all("identity", "list_policies", compartment_id)


async def get_user(session: Session, user_id: str):
    return await session.data("identity", "get_user", user_id)


async def get_group(session: Session, group_id: str):
    return await session.data("identity", "get_group", group_id)


async def get_policy(session: Session, policy_id: str):
    return await session.data("identity", "get_policy", policy_id)


async def create_group(session: Session, details, retry_token: str):
    return await session.data("identity", "create_group", details, opc_retry_token=retry_token)


async def create_policy(session: Session, details, retry_token: str):
    return await session.data("identity", "create_policy", details, opc_retry_token=retry_token)


async def delete_group(session: Session, group_id: str) -> None:
    await session.call("identity", "delete_group", group_id)


async def delete_policy(session: Session, policy_id: str) -> None:
    await session.call("identity", "delete_policy", policy_id)


async def delete_user(session: Session, user_id: str) -> None:
    await session.call("identity", "delete_user", user_id)


async def user_groups(session: Session, user_id: str) -> list:
    ms = await session.list_all("identity", "list_user_group_memberships", session.tenancy_id, user_id=user_id)
    out = []
    for m in ms:
        out.append(await get_group(session, m.group_id))
    return out


async def group_members(session: Session, group_id: str) -> list:
    ms = await session.list_all("identity", "list_user_group_memberships", session.tenancy_id, group_id=group_id)
    return [await get_user(session, m.user_id) for m in ms]
