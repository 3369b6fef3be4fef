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


# ---------------------------------------------------------------- dynamic groups, network sources, credentials

async def list_dynamic_groups(session: Session, compartment_id: str) -> list:
    if compartment_id != session.tenancy_id:
        return []
    return await session.list_all("identity", "list_dynamic_groups", compartment_id)


async def get_dynamic_group(session: Session, dynamic_group_id: str):
    return await session.data("identity", "get_dynamic_group", dynamic_group_id)


async def delete_dynamic_group(session: Session, dynamic_group_id: str) -> None:
    await session.call("identity", "delete_dynamic_group", dynamic_group_id)


async def list_network_sources(session: Session, compartment_id: str) -> list:
    if compartment_id != session.tenancy_id:
        return []
    return await session.list_all("identity", "list_network_sources", compartment_id)


async def get_network_source(session: Session, network_source_id: str):
    return await session.data("identity", "get_network_source", network_source_id)


async def delete_network_source(session: Session, network_source_id: str) -> None:
    await session.call("identity", "delete_network_source", network_source_id)


async def user_credentials(session: Session, user_id: str) -> list[tuple[str, str, str]]:
    """(kind, name, OCID) of every credential of a user: API keys, auth tokens, secret keys, SMTP, OAuth 2.0,
    DB credentials and MFA devices."""
    out: list[tuple[str, str, str]] = []
    for k in await session.data("identity", "list_api_keys", user_id):
        out.append(("API key", k.fingerprint, ""))
    for t in await session.data("identity", "list_auth_tokens", user_id):
        out.append(("Auth token", t.description or "", t.id))
    for s in await session.data("identity", "list_customer_secret_keys", user_id):
        out.append(("Customer secret key", s.display_name or "", s.id))
    for s in await session.data("identity", "list_smtp_credentials", user_id):
        out.append(("SMTP credential", s.username or "", s.id))
    for o in await session.data("identity", "list_o_auth_client_credentials", user_id):
        out.append(("OAuth 2.0 client credential", o.name or "", o.id))
    for d in await session.data("identity", "list_db_credentials", user_id):
        out.append(("DB credential", d.description or "", d.id))
    for m in await session.data("identity", "list_mfa_totp_devices", user_id):
        out.append(("MFA TOTP device", "activated" if m.is_activated else "not activated", m.id))
    return out


# ---------------------------------------------------------------- secret credentials (shown once at create)

# OCI's limits per user (https://docs.oracle.com/iaas/Content/Identity/Concepts/managingcredentials.htm)
MAX_AUTH_TOKENS = 2
MAX_CUSTOMER_SECRET_KEYS = 2
MAX_SMTP_CREDENTIALS = 2


def _active(items) -> list:
    return [i for i in items if getattr(i, "lifecycle_state", "ACTIVE") == "ACTIVE"]


async def list_auth_tokens(session: Session, user_id: str) -> list:
    """The user's ACTIVE auth tokens (the token string itself is never listed: OCI shows it once)."""
    return _active(await session.data("identity", "list_auth_tokens", user_id))


async def list_customer_secret_keys(session: Session, user_id: str) -> list:
    return _active(await session.data("identity", "list_customer_secret_keys", user_id))


async def list_smtp_credentials(session: Session, user_id: str) -> list:
    return _active(await session.data("identity", "list_smtp_credentials", user_id))


async def list_api_keys(session: Session, user_id: str) -> list:
    return _active(await session.data("identity", "list_api_keys", user_id))


# ---------------------------------------------------------------- tags: namespaces, definitions, defaults

async def list_tag_namespaces(session: Session) -> list:
    """Every ACTIVE tag namespace of the tenancy (in any compartment), by name."""
    nss = await session.list_all("identity", "list_tag_namespaces", session.tenancy_id,
                                 include_subcompartments=True)
    return sorted((n for n in nss if n.lifecycle_state == "ACTIVE" and not n.is_retired), key=lambda n: n.name.lower())


async def list_tags(session: Session, tag_namespace_id: str) -> list:
    """The ACTIVE, not retired tag definitions of a namespace, by name."""
    tags = await session.list_all("identity", "list_tags", tag_namespace_id)
    return sorted((t for t in tags if t.lifecycle_state == "ACTIVE" and not t.is_retired), key=lambda t: t.name.lower())


async def get_tag(session: Session, tag_namespace_id: str, tag_name: str):
    return await session.data("identity", "get_tag", tag_namespace_id, tag_name)


async def list_tag_defaults(session: Session, compartment_id: str) -> list:
    return await session.list_all("identity", "list_tag_defaults", compartment_id=compartment_id)


async def get_tag_default(session: Session, tag_default_id: str):
    return await session.data("identity", "get_tag_default", tag_default_id)


async def delete_tag_default(session: Session, tag_default_id: str) -> None:
    await session.call("identity", "delete_tag_default", tag_default_id)
