"""A resource's details as sections an administrator recognises (no Qt; gui.detail shows them).

Generic over every kind: attributes are grouped by what they are about — General, Shape, Image and boot,
Networking, Storage, Launch options, Oracle Cloud Agent, Security, Metadata… — from their SDK names, nested
models get a section of their own, and a kind may declare its own order (`SECTION_ORDER`). Values are
formatted with their units (GB, TB, Mbps, bytes, dates in local time); OCIDs are shown by name where the
console knows it, with the OCID kept for the hover text, the copy and the link. Unset fields are left out,
as OCI's console does.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable
from dataclasses import dataclass

from ..i18n import N_

HIDDEN = {"freeform_tags", "defined_tags", "system_tags"}
# attribute -> section (the first matching rule wins; nested models not listed get a section of their own)
GROUPS: list[tuple[str, tuple[str, ...]]] = [
    (N_("General"), ("id", "display_name", "name", "description", "compartment_id", "lifecycle_state",
                 "lifecycle_details", "time_created", "time_updated", "availability_domain", "fault_domain",
                 "region", "namespace", "etag", "is_default", "state")),
    (N_("Shape"), ("shape", "shape_config", "ocpus", "memory_in_gbs", "cpu_core_count", "compute_count",
               "compute_model", "capacity", "node_shape", "node_shape_config", "instance_shape_name")),
    (N_("Image and boot"), ("source_details", "image_id", "boot_volume_id", "boot_volume_size_in_gbs", "image")),
    (N_("Networking"), ("vcn_id", "subnet_id", "subnet_ids", "cidr_block", "cidr_blocks", "ipv6_cidr_blocks",
                    "dns_label", "vcn_domain_name", "subnet_domain_name", "nsg_ids", "route_table_id",
                    "security_list_ids", "dhcp_options_id", "private_ip", "public_ip", "ip_addresses",
                    "hostname_label", "prohibit_public_ip_on_vnic", "prohibit_internet_ingress",
                    "virtual_router_ip", "virtual_router_mac", "default_route_table_id",
                    "default_security_list_id", "default_dhcp_options_id", "private_endpoint",
                    "private_endpoint_ip", "whitelisted_ips", "network_endpoint_details", "endpoints")),
    (N_("Storage"), ("size_in_gbs", "size_in_mbs", "vpus_per_gb", "is_auto_tune_enabled", "volume_group_id",
                 "data_storage_size_in_tbs", "data_storage_size_in_gbs", "storage_tier", "metered_bytes",
                 "approximate_size", "approximate_count", "block_storage_size_in_gbs", "storage_size_in_gbs",
                 "versioning", "object_events_enabled", "replication_enabled", "auto_tiering",
                 "public_access_type")),
    (N_("Launch options"), ("launch_options", "launch_mode", "instance_options", "platform_config",
                        "availability_config", "preemptible_instance_config", "capacity_reservation_id",
                        "dedicated_vm_host_id", "instance_configuration_id", "ipxe_script")),
    (N_("Oracle Cloud Agent"), ("agent_config",)),
    (N_("Security"), ("kms_key_id", "is_pv_encryption_in_transit_enabled", "is_read_only", "access_type")),
    (N_("Metadata"), ("metadata", "extended_metadata")),
]
_BY_ATTR = {a: title for title, attrs in GROUPS for a in attrs}
SECTION_ORDER = [t for t, _ in GROUPS]
ACRONYMS = {"id": "ID", "ip": "IP", "ips": "IPs", "vcn": "VCN", "dns": "DNS", "cidr": "CIDR", "vnic": "VNIC",
            "vpus": "VPUs", "ocpus": "OCPUs", "ocpu": "OCPU", "nsg": "NSG", "ipv6": "IPv6", "kms": "KMS",
            "url": "URL", "uri": "URI", "ssh": "SSH", "gbs": "GB", "mbps": "Mbps", "gbps": "Gbps", "tbs": "TB",
            "ecpu": "ECPU", "pv": "PV", "ad": "AD", "db": "DB", "lb": "LB", "oke": "OKE", "api": "API", "gb": "GB",
            "gpus": "GPUs", "vcpus": "vCPUs", "mb": "MB", "tb": "TB", "http": "HTTP", "https": "HTTPS"}
_UNITS = (("_in_gbs", "GB"), ("_in_tbs", "TB"), ("_in_mbs", "MB"), ("_in_mbps", "Mbps"), ("_in_gbps", "Gbps"),
          ("_in_seconds", "s"), ("_in_days", "days"), ("_in_bytes", "bytes"))


def humanize(key: str) -> str:
    """`memory_in_gbs` -> "Memory (GB)", `vcn_id` -> "VCN", `is_auto_tune_enabled` -> "Auto tune enabled"."""
    unit = next((u for suffix, u in _UNITS if key.endswith(suffix)), None)
    if unit:
        key = key[: key.rindex("_in_")]
    if key.startswith("is_") and len(key) > 3:
        key = key[3:]
    if key.endswith("_id") and key != "id":
        key = key[:-3]
    elif key.endswith("_ids"):
        key = key[:-4] + "s"
    words = [ACRONYMS.get(w, w) for w in key.split("_") if w]
    text = " ".join(words)
    text = text[:1].upper() + text[1:]
    return f"{text} ({unit})" if unit else text


def _bytes(n: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(n) < 1024 or unit == "PiB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return str(n)


def text_of(key: str, v) -> str:
    """A value as the console shows it (units, local dates, yes/no)."""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, _dt.datetime):
        return v.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
    if isinstance(v, str) and len(v) >= 19 and v[4:5] == "-" and v[10:11] == "T":
        try:
            return text_of(key, _dt.datetime.fromisoformat(v.replace("Z", "+00:00")))
        except ValueError:
            return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if key in ("metered_bytes", "approximate_size", "size_in_bytes") or key.endswith("_bytes"):
            return _bytes(float(v))
        return f"{v:,}" if isinstance(v, int) and abs(v) >= 10_000 else f"{v:g}"
    if isinstance(v, list):
        return ", ".join(text_of(key, x) for x in v)
    if isinstance(v, dict):
        return ", ".join(f"{k}={x}" for k, x in v.items())
    return str(v)


@dataclass
class Row:
    label: str
    text: str  # what is shown (a name for an OCID the console knows)
    value: str  # the raw text (the OCID itself): hover, copy
    ocid: str | None = None  # a link


def _is_model(v) -> bool:
    return hasattr(v, "swagger_types") and hasattr(v, "attribute_map")


def _empty(v) -> bool:
    return v is None or (isinstance(v, (str, list, dict)) and not v)


def _rows(label: str, key: str, v, name_of: Callable[[str], str | None]) -> list[Row]:
    if _is_model(v):
        out = []
        for k in v.swagger_types:
            x = getattr(v, k, None)
            if not _empty(x):
                out += _rows(f"{label} › {humanize(k)}" if label else humanize(k), k, x, name_of)
        return out
    if isinstance(v, dict) and v:  # a map (metadata, a namespace's tags): one row per key
        return [Row(f"{label} › {k}" if label else str(k), text_of(key, x), text_of(key, x)) for k, x in v.items()]
    if isinstance(v, list) and v and _is_model(v[0]):
        out = []
        for i, x in enumerate(v, 1):
            out += _rows(f"{label} [{i}]", key, x, name_of)
        return out
    raw = text_of(key, v)
    if isinstance(v, str) and v.startswith("ocid1."):
        name = name_of(v) if key != "id" else None
        return [Row(label, name or v, v, v if key != "id" else None)]
    if isinstance(v, list) and v and all(isinstance(x, str) and x.startswith("ocid1.") for x in v):
        names = [name_of(x) or x for x in v]
        return [Row(label, ", ".join(names), ", ".join(v), v[0] if len(v) == 1 else None)]
    return [Row(label, raw, raw)]


def sections(resource, name_of: Callable[[str], str | None] = lambda _o: None) -> list[tuple[str, list[Row]]]:
    """The resource's (section title, rows), in the order an administrator expects."""
    found: dict[str, list[tuple[int, list[Row]]]] = {}
    nested: list[tuple[str, list[Row]]] = []
    position = {a: i for _t, attrs in GROUPS for i, a in enumerate(attrs)}
    keys = list(resource.swagger_types) if _is_model(resource) else \
        [k for k in vars(resource) if not k.startswith("_")]  # a plain object standing for a resource
    for k in keys:
        v = getattr(resource, k, None)
        if k in HIDDEN or _empty(v):
            continue
        title = _BY_ATTR.get(k)
        if title is None and _is_model(v):  # a nested model of its own: its own section
            nested.append((humanize(k), _rows("", k, v, name_of)))
            continue
        rows = _rows(humanize(k), k, v, name_of)
        if title in ("Oracle Cloud Agent", "Launch options", "Metadata", "Image and boot") and \
                (_is_model(v) or isinstance(v, dict)) or title == "Shape" and k.endswith("_config"):
            rows = _rows("", k, v, name_of)  # the section says what they are part of
        found.setdefault(title or "General", []).append((position.get(k, 999), rows))
    order = [t for t in SECTION_ORDER if t in found]
    out = []
    for t in order:
        rows, seen = [], set()
        for _p, group in sorted(found[t], key=lambda x: x[0]):
            for r in group:
                if (r.label, r.value) not in seen:  # the same fact twice (an image and its source's image)
                    seen.add((r.label, r.value))
                    rows.append(r)
        out.append((t, rows))
    return out + [(t, r) for t, r in nested if r]


_NAMES: dict[int, dict[str, str | None]] = {}  # id(session) -> OCID -> name (None: no name to be had)


async def resolve_names(session, ocids: list[str], limit: int = 12) -> dict[str, str]:
    """The names of resources the details link to (an image, a subnet, a VCN), read with their kind's `get`
    (catalog.for_ocid), at most `limit` at once, remembered for the session. OCIDs without a readable name are
    left out."""
    import asyncio

    from . import for_ocid
    cache = _NAMES.setdefault(id(session), {})
    todo = [o for o in dict.fromkeys(ocids) if o not in cache]

    async def one(ocid: str) -> None:
        kind = for_ocid(ocid)
        if kind is None or kind.get is None:
            cache[ocid] = None
            return
        try:
            r = await kind.get(session, ocid)
        except Exception:  # gone, not allowed: the OCID stays as it is
            cache[ocid] = None
            return
        name = kind.name(r)
        cache[ocid] = name if name and name != ocid else None
    for i in range(0, len(todo), limit):
        await asyncio.gather(*(one(o) for o in todo[i:i + limit]))
    return {o: n for o in ocids if (n := cache.get(o))}


def raw_json(resource) -> str:
    """The resource as OCI returns it (the SDK's names), indented."""
    import oci
    data = oci.util.to_dict(resource) if _is_model(resource) else \
        {k: v for k, v in vars(resource).items() if not k.startswith("_")}
    return json.dumps(data, indent=2, sort_keys=True, default=str)
