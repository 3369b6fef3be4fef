"""Terraform equivalents of the console's requests, and export of what exists as Terraform.

Generic over the catalog: a create or update request (`forms.Request`) becomes the `resource "oci_…"` block
Oracle's provider would need for it, and any resource or compartment can be exported as a directory
(`main.tf`, `variables.tf`, `provider.tf`, `import {}` blocks so that `terraform plan` on the existing tenancy
has nothing to do). Nothing here is written per service:

- the resource type comes from the SDK call: the SDK package's Terraform product (`core` -> `oci_core_`,
  `object_storage` -> `oci_objectstorage_`) and the call's noun (`create_vcn` -> `oci_core_vcn`), with a short
  table for the calls OCI names differently (`create_topic` -> `oci_ons_notification_topic`);
- the arguments are the SDK model's attributes under the provider's names, checked against the provider's
  own argument list (`data/terraform_arguments.json.gz`, read from Oracle's provider, release in its
  `source`): nested models become nested blocks, lists of models repeated blocks, defined tags the
  provider's flat `"namespace.key"` map; what the provider does not take is left out and named in a comment;
- an OCID made earlier in the same session becomes a reference (`oci_core_vcn.prod_vcn.id`) instead of a
  pasted OCID (`Refs`), as does the exported compartment (`var.compartment_ocid`).
"""

from __future__ import annotations

import datetime as _dt
import functools
import gzip
import inspect
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..core.connection import SERVICES

# SDK package -> the provider's product prefix (oci_<product>_<noun>)
TF_PRODUCT = {
    "core": "core", "identity": "identity", "object_storage": "objectstorage", "file_storage": "file_storage",
    "monitoring": "monitoring", "ons": "ons", "data_science": "datascience", "model_deployment": "datascience",
    "analytics": "analytics", "integration": "integration", "database": "database",
    "database_migration": "database_migration", "load_balancer": "load_balancer", "waf": "waf", "waas": "waas",
    "container_engine": "containerengine", "artifacts": "artifacts", "functions": "functions",
    "logging": "logging", "budget": "budget", "audit": "audit",
}
# calls whose resource OCI's provider names otherwise than `<product>_<noun of the call>`; None: the call makes
# no Terraform resource (an action, a read, a metric post)
TYPE_OF: dict[tuple[str, str], str | None] = {
    ("compute", "attach_volume"): "oci_core_volume_attachment",
    ("notifications", "create_topic"): "oci_ons_notification_topic",
    ("network", "create_ip_sec_connection"): "oci_core_ipsec",
    ("network", "add_network_security_group_security_rules"): "oci_core_network_security_group_security_rule",
    ("object_storage", "create_preauthenticated_request"): "oci_objectstorage_preauthrequest",
    ("object_storage", "create_retention_rule"): None,  # a block of oci_objectstorage_bucket
    ("identity", "create_or_reset_ui_password"): "oci_identity_ui_password",
    ("identity", "move_compartment"): None,
    ("analytics", "scale_analytics_instance"): None,
    ("monitoring_ingestion", "post_metric_data"): None,
    ("model_deployment", "predict"): None,
}
# an SDK attribute the provider spells otherwise, where the plain name is not one of its arguments
RENAMES = {"image_id": "source_id", "boot_volume_id": "source_id", "namespace_name": "namespace",
           "bucket_name": "bucket", "cidr_block_ipv6": "ipv6cidr_block", "shape_name": "shape",
           "initial_data_storage_size_in_gb": "data_storage_size_in_gb"}
# path parameters of a call that are not arguments of the resource (they name its parent for the API only)
_SKIP_PARAMS = {"opc_retry_token", "opc_request_id", "if_match"}


# Slips in the argument list as it was read from the provider (../shared/terraform-oci/arguments.json), corrected
# from the provider's documentation: (resource type, dotted path of the argument, what it is: {"required": bool}, or
# None where it is no argument at all). data/terraform_arguments.json.gz holds the list with these applied
# (`slim(fix_provider_data(...))`), and the tests check against the shared list with the same corrections.
PROVIDER_DATA_FIXES: list[tuple[str, str, dict | None]] = [
    ("oci_load_balancer_load_balancer", "name", None),  # the `name` of its ssl_cipher_suites, read at the top
    ("oci_database_db_system", "db_home.database.admin_password", {"required": True}),  # an argument, not a block
    ("oci_database_db_system", "db_home.database.db_name", {"required": False}),
    ("oci_database_db_system", "db_home.db_version", {"required": False}),
    ("oci_waas_waas_policy", "origins.label", {"required": True}),  # the key naming each origin block
]


def fix_provider_data(resources: dict) -> dict:
    """`resources` (the shared list's form: name -> {"required", "updatable", "block"}) with the corrections."""
    for rtype, path, spec in PROVIDER_DATA_FIXES:
        args = resources.get(rtype)
        if args is None:
            continue
        *outer, last = path.split(".")
        for name in outer:
            args = args.setdefault(name, {"required": False}).setdefault("block", {})
        if spec is None:
            args.pop(last, None)
        else:
            args[last] = dict(spec)
    return resources


def slim(resources: dict) -> dict:
    """The shared list's form -> the packaged one ({"r": required, "u": updatable, "b": nested block})."""
    out = {}
    for k, v in resources.items():
        e: dict = {}
        if v.get("required"):
            e["r"] = 1
        if v.get("updatable"):
            e["u"] = 1
        if "block" in v:
            e["b"] = slim(v["block"])
        out[k] = e
    return out


@functools.cache
def _data() -> dict:
    raw = resources.files(__package__).joinpath("data/terraform_arguments.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw))


def provider_release() -> str:
    """Where the argument list was read from (the provider's commit and release)."""
    return str(_data()["source"])


def schema(tf_type: str) -> dict | None:
    """The provider's arguments of `tf_type`: name -> {"r": required, "u": updatable, "b": nested block}."""
    return _data()["resources"].get(tf_type)


def resource_type(service: str, method: str) -> str | None:
    """The provider's resource type made by `<service client>.<method>`, or None when the call makes none."""
    if (service, method) in TYPE_OF:
        return TYPE_OF[(service, method)]
    module = SERVICES.get(service, ("", ""))[0]
    product = TF_PRODUCT.get(module)
    if product is None:
        return None
    noun = re.sub(r"^(create|launch|update|put)_", "", method)
    if noun == method:
        return None
    t = f"oci_{product}_{noun}"
    return t if schema(t) is not None else None


# kinds declared without SDK names (catalog.generic.SdkRef), and kinds left out of an export: those OCI makes
# as part of another resource (an instance's boot volume) or that Terraform cannot create from what OCI returns
KIND_TYPES: dict[str, str | None] = {
    "identity.compartment": "oci_identity_compartment", "identity.user": "oci_identity_user",
    "identity.group": "oci_identity_group", "identity.dynamic_group": "oci_identity_dynamic_group",
    "identity.policy": "oci_identity_policy", "identity.network_source": "oci_identity_network_source",
    "identity.tag_default": "oci_identity_tag_default", "objectstorage.bucket": "oci_objectstorage_bucket",
    "blockstorage.backup_policy": "oci_core_volume_backup_policy", "filestorage.export": "oci_file_storage_export",
    "compute.boot_volume": None, "compute.image": None, "compute.console_connection": None,
    "data_science.job": None,
}


def type_of_kind(kind) -> str | None:
    """The resource type of a catalog kind: declared above, or from its SDK names (catalog.generic.SdkRef)."""
    if kind.id in KIND_TYPES:
        return KIND_TYPES[kind.id]
    ref = getattr(kind, "sdk", None)
    if ref is None:
        return None
    return resource_type(ref.service, f"create_{ref.noun}")


# ---------------------------------------------------------------- HCL values

class Expr(str):
    """A Terraform expression written as it is (a reference, a variable), not as a string."""


def _label(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9_]+", "_", (text or "").lower()).strip("_") or "resource"
    if not base[0].isalpha():
        base = "r_" + base
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def _string(s: str) -> str:
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return '"' + s.replace("${", "$${").replace("%{", "%%{") + '"'


def _value(v: Any, indent: int) -> str:
    pad = "  " * indent
    if isinstance(v, Expr):
        return str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, _dt.datetime):
        return _string(v.isoformat().replace("+00:00", "Z"))
    if isinstance(v, dict):
        if not v:
            return "{}"
        body = "".join(f"{pad}  {_string(str(k))} = {_value(x, indent + 1)}\n" for k, x in v.items())
        return "{\n" + body + pad + "}"
    if isinstance(v, (list, tuple)):
        if not v:
            return "[]"
        items = [_value(x, indent + 1) for x in v]
        if sum(len(i) for i in items) < 60 and all("\n" not in i for i in items):
            return "[" + ", ".join(items) + "]"
        return "[\n" + "".join(f"{pad}  {i},\n" for i in items) + pad + "]"
    return _string(str(v))


@dataclass
class Block:
    """A block: `type "label" … { arguments; nested blocks }` (attributes keep their order)."""

    head: str
    items: list[tuple[str, Any]] = field(default_factory=list)  # (name, value or Block)
    comments: list[str] = field(default_factory=list)

    def render(self, indent: int = 0) -> str:
        pad = "  " * indent
        out = [f"{pad}# {c}\n" for c in self.comments]
        out.append(f"{pad}{self.head} {{\n")
        width = max((len(k) for k, v in self.items if not isinstance(v, Block)), default=0)
        for name, v in self.items:
            if isinstance(v, Block):
                out.append(v.render(indent + 1))
            else:
                out.append(f"{pad}  {name.ljust(width)} = {_value(v, indent + 1)}\n")
        out.append(f"{pad}}}\n")
        return "".join(out)


# ---------------------------------------------------------------- SDK model -> arguments

def _is_model(v) -> bool:
    return hasattr(v, "swagger_types") and hasattr(v, "attribute_map")


def _provider_name(name: str, args: dict) -> str | None:
    if name in args:
        return name
    for cand in (RENAMES.get(name), re.sub(r"(\d)_", r"\1", name), re.sub(r"_(\d)", r"\1", name),
                 re.sub(r"_in_gbs$", "_in_gbs", name.replace("_ipv6_", "_ipv6"))):
        if cand and cand in args:
            return cand
    return None


def _flat_defined_tags(v: dict) -> dict:
    out = {}
    for ns, kv in v.items():
        if isinstance(kv, dict):
            for k, x in kv.items():
                out[f"{ns}.{k}"] = x
        else:
            out[ns] = kv
    return out


class Refs:
    """OCIDs the session made or the export holds -> the Terraform expression that names them."""

    def __init__(self) -> None:
        self.by_ocid: dict[str, str] = {}
        self.labels: set[str] = set()

    def address(self, tf_type: str, name: str) -> str:
        return f"{tf_type}.{_label(name, self.labels)}"

    def add(self, ocid: str, expression: str) -> None:
        if ocid:
            self.by_ocid[ocid] = expression

    def expr(self, value: Any) -> Any:
        if isinstance(value, str) and value in self.by_ocid:
            return Expr(self.by_ocid[value])
        if isinstance(value, list):
            return [self.expr(x) for x in value]
        return value


# an argument the provider keeps for old configurations beside its successor: (old, successor). When both
# are set the old one is left out, as the provider's documentation asks
_TWINS = (("cidr_block", "cidr_blocks"), ("cidr_block", "destination"), ("ipv4cidr_blocks", "cidr_block"))


def _drop_twins(items: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    names = {k for k, _ in items}
    gone = {old for old, new in _TWINS if old in names and new in names}
    if "cidr_block" in gone and "ipv4cidr_blocks" in gone:
        gone.discard("cidr_block")
    return [(k, v) for k, v in items if k not in gone]


def arguments(model, args: dict, refs: Refs | None = None, skipped: list[str] | None = None,
              prefix: str = "") -> list[tuple[str, Any]]:
    """The provider's (argument, value or Block) pairs for an SDK model, against `args` (the provider's
    arguments of the resource or block). Attributes the provider does not take go to `skipped`."""
    out: list[tuple[str, Any]] = []
    refs = refs or Refs()
    for py in model.swagger_types:
        v = getattr(model, py, None)
        if v is None or (isinstance(v, (list, dict)) and not v):
            continue
        name = _provider_name(py, args)
        if name is None:
            if skipped is not None:
                skipped.append(prefix + py)
            continue
        spec = args[name]
        nested = spec.get("b")
        if nested is not None:
            items = v if isinstance(v, list) else [v]
            for item in items:
                if _is_model(item):
                    inner = arguments(item, nested, refs, skipped, prefix + name + ".")
                    missing = [a for a, sp in nested.items() if sp.get("r") and a not in {k for k, _ in inner}]
                    if missing:  # the provider would refuse the block: leave it out, and say so
                        if skipped is not None:
                            skipped.append(f"{prefix}{py} (the provider's block needs {', '.join(missing)})")
                        continue
                    out.append((name, Block(name, inner)))
                elif isinstance(item, dict) and item and all(_is_model(x) for x in item.values()) \
                        and "label" in nested:  # a map of models: one block each, its key as `label` (WAAS origins)
                    for key, x in item.items():
                        inner = [("label", key)] + arguments(x, nested, refs, skipped, prefix + name + ".")
                        out.append((name, Block(name, inner)))
                elif isinstance(item, dict):  # a map the provider takes as a block
                    out.append((name, Block(name, [(k, refs.expr(x)) for k, x in item.items() if k in nested])))
            continue
        if _is_model(v) or (isinstance(v, list) and v and _is_model(v[0])):
            if skipped is not None:
                skipped.append(prefix + py)
            continue
        if name == "defined_tags" and isinstance(v, dict):
            v = _flat_defined_tags(v)
        out.append((name, refs.expr(v)))
    return _drop_twins(out)


def _path_arguments(service: str, method: str, positional: Iterable[Any], args: dict) -> list[tuple[str, Any]]:
    """The call's leading path parameters that the resource takes as arguments (a bucket's namespace)."""
    module, cls = SERVICES[service]
    import importlib
    client = getattr(importlib.import_module(f"oci.{module}"), cls)
    params = [p for p in inspect.signature(getattr(client, method)).parameters if p != "self"]
    out = []
    for pname, value in zip(params, positional, strict=False):
        name = _provider_name(pname, args)
        if name is not None and pname not in _SKIP_PARAMS and isinstance(value, (str, int)):
            out.append((name, value))
    return out


@dataclass
class Terraform:
    """The Terraform of one request: its text, the resource type, what the provider has no argument for."""

    text: str
    tf_type: str | None
    address: str | None = None
    skipped: list[str] = field(default_factory=list)


def for_request(request, name: str = "", refs: Refs | None = None, update_of: str | None = None) -> Terraform:
    """The `resource` block equivalent to a create `request` (forms.Request). For an update (`update_of`: the
    OCID of the resource updated) the block holds the arguments the update sets, with an `import` block for
    the existing resource: those are the lines to change in its configuration."""
    tf_type = resource_type(request.service, request.method)
    if tf_type is None:
        return Terraform(f"# {request.service}.{request.method}: Oracle's Terraform provider has no resource "
                         "for this call (it is an action on a resource, not a resource)\n", None)
    args = schema(tf_type) or {}
    refs = refs or Refs()
    skipped: list[str] = []
    body = _path_arguments(request.service, request.method, request.args, args)
    if request.details is not None and _is_model(request.details):
        secret = set(request.secret_env or {})
        for k, v in arguments(request.details, args, refs, skipped):
            if k in secret:
                var = re.sub(r"[^a-z0-9_]", "_", k.lower())
                body.append((k, Expr(f"var.{var}")))
            else:
                body.append((k, v))
    seen: set[str] = set()
    items = []
    for k, v in body:
        if isinstance(v, Block) or k not in seen:
            items.append((k, v))
            seen.add(k)
    label = _label(name or _guess_name(items), set(refs.labels))
    # a required argument the request does not carry (a workflow makes it first: a quick create's new VCN) is
    # a variable to fill, declared below, rather than a configuration Terraform refuses
    missing: list[str] = [] if update_of else fill_required(items, args)
    block = Block(f'resource "{tf_type}" "{label}"', items)
    if skipped:
        block.comments.append("not an argument of the provider, left out: " + ", ".join(sorted(set(skipped))))
    text = block.render()
    if update_of:
        block.comments.insert(0, "the arguments this change sets")
        text = f'import {{\n  to = {tf_type}.{label}\n  id = {_string(update_of)}\n}}\n\n' + block.render()
    text += _variables(missing, "not part of this request: give it")
    for k in sorted(request.secret_env or {}):
        var = re.sub(r"[^a-z0-9_]", "_", k.lower())
        text += f'\nvariable "{var}" {{\n  type      = string\n  sensitive = true\n}}\n'
    return Terraform(text, tf_type, f"{tf_type}.{label}", skipped)


def fill_required(items: list[tuple[str, Any]], args: dict, prefix: str = "") -> list[str]:
    """Add to `items` what the provider requires and they lack, as variables to fill (a quick create's new VCN, a
    DB system's DB home made at launch): an argument becomes `var.<name>`, a block its required arguments so.
    Returns the variables' names."""
    have = {k for k, _ in items}
    out: list[str] = []
    for a, spec in args.items():
        if not spec.get("r") or a in have:
            continue
        var = f"{prefix}{a}"
        if "b" in spec:
            inner: list[tuple[str, Any]] = []
            out += fill_required(inner, spec["b"], f"{var}_")
            items.append((a, Block(a, inner)))
        else:
            items.append((a, Expr(f"var.{var}")))
            out.append(var)
    return out


def _variables(names: list[str], why: str) -> str:
    return "".join(f'\nvariable "{n}" {{\n  type        = string\n  description = "{why}"\n}}\n' for n in names)


def _guess_name(items: list[tuple[str, Any]]) -> str:
    for key in ("display_name", "name", "db_name", "description"):
        for k, v in items:
            if k == key and isinstance(v, str):
                return v
    return "this"


# ---------------------------------------------------------------- what the session made

_SESSION_REFS: dict[int, Refs] = {}


def session_refs(session) -> Refs:
    """The references of one session (the OCIDs its creates made), kept while the session lives."""
    return _SESSION_REFS.setdefault(id(session), Refs())


def remember(session, request, created_id: str | None, name: str = "") -> None:
    """Note that `request` made `created_id`, so that later Terraform of the session refers to it."""
    tf_type = resource_type(request.service, request.method)
    if tf_type is None or not created_id or not request.method.startswith(("create_", "launch_")):
        return
    refs = session_refs(session)
    tf = for_request(request, name, Refs())
    label = (tf.address or "").split(".", 1)[-1]
    refs.labels.add(label)
    refs.add(created_id, f"{tf_type}.{label}.id")


# ---------------------------------------------------------------- export

# how the provider imports a type whose import ID is not the OCID
_IMPORT_ID = {"oci_objectstorage_bucket": lambda r: f"n/{r.namespace}/b/{r.name}"}
_GONE = {"TERMINATED", "DELETED", "TERMINATING", "DELETING", "FAILED"}


@dataclass
class Exported:
    folder: str
    resources: list[tuple[str, str]]  # (address, OCID)
    left_out: list[str]  # kinds or resources not exported, with why


def export_blocks(items: list[tuple[Any, Any]], compartment_id: str | None, refs: Refs | None = None,
                  ) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """(kind, resource) pairs -> (HCL chunks, (address, ocid) pairs, what was left out). References between
    the exported resources are expressions; the exported compartment is `var.compartment_ocid`."""
    refs = refs or Refs()
    if compartment_id:
        refs.add(compartment_id, "var.compartment_ocid")
    planned = []
    left: list[str] = []
    for kind, r in items:
        tf_type = type_of_kind(kind)
        if tf_type is None:
            left.append(f"{kind.label}: no Terraform resource")
            continue
        if (getattr(r, "lifecycle_state", None) or "") in _GONE:
            continue
        address = refs.address(tf_type, kind.name(r))
        ocid = getattr(r, "id", None) or ""
        refs.add(ocid, address + ".id")
        planned.append((kind, r, tf_type, address, ocid))
    chunks, done = [], []
    for _kind, r, tf_type, address, ocid in planned:
        args = schema(tf_type) or {}
        skipped: list[str] = []
        items_ = [(k, v) for k, v in arguments(r, args, refs, skipped) if k != "state"]
        label = address.split(".", 1)[1]
        wanted = fill_required(items_, args, f"{label}_")  # made at creation, not readable back (a DB home)
        block = Block(f'resource "{tf_type}" "{label}"', items_)
        import_id = _IMPORT_ID.get(tf_type, lambda x: x.id)(r)
        chunks.append(f'import {{\n  to = {address}\n  id = {_string(import_id)}\n}}\n\n' + block.render()
                      + _variables(wanted, f"{address}: set at creation, not readable from OCI: give it"))
        done.append((address, ocid))
    return chunks, done, left


PROVIDER_TF = """terraform {
  required_providers {
    oci = {
      source = "oracle/oci"
    }
  }
}

provider "oci" {
  region = var.region
}
"""


def write_directory(folder: str, chunks: list[str], region: str, compartment_id: str | None,
                    tenancy_id: str) -> None:
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "main.tf"), "w") as f:
        f.write(f"# Exported by ociconsole; arguments checked against {provider_release()}\n\n")
        f.write("\n".join(chunks))
    with open(os.path.join(folder, "variables.tf"), "w") as f:
        f.write(f'variable "region" {{\n  type    = string\n  default = {_string(region)}\n}}\n\n')
        f.write(f'variable "tenancy_ocid" {{\n  type    = string\n  default = {_string(tenancy_id)}\n}}\n')
        if compartment_id:
            f.write(f'\nvariable "compartment_ocid" {{\n  type    = string\n'
                    f'  default = {_string(compartment_id)}\n}}\n')
    with open(os.path.join(folder, "provider.tf"), "w") as f:
        f.write(PROVIDER_TF)


async def export(session, folder: str, compartment_id: str | None = None, ocids: Iterable[str] = (),
                 step=lambda _text: None) -> Exported:
    """Export a compartment's resources (every kind of the catalog that has a Terraform resource), or the
    resources `ocids` and the resources they refer to, as a Terraform directory in `folder`."""
    from . import for_ocid, kinds
    items: list[tuple[Any, Any]] = []
    left: list[str] = []
    seen: set[str] = set()
    compartments = [compartment_id] if compartment_id else []
    comp_kind = next(k for k in kinds() if k.id == "identity.compartment")
    while compartments:  # the compartment and its subtree
        cid = compartments.pop(0)
        for kind in kinds():
            if kind.scope != "compartment" or type_of_kind(kind) is None:
                continue
            step(f"Listing {kind.label}")
            try:
                found = await kind.list(session, cid)
            except Exception as e:  # one kind that cannot be listed does not stop the export
                left.append(f"{kind.label}: {getattr(e, 'message', None) or e}")
                continue
            if kind is comp_kind:
                compartments += [c.id for c in found if (c.lifecycle_state or "") == "ACTIVE"]
            for r in found:
                rid = getattr(r, "id", None) or ""
                if rid in seen:
                    continue
                seen.add(rid)
                if kind.get is not None and rid:
                    try:
                        r = await kind.get(session, rid)
                    except Exception as e:
                        left.append(f"{kind.name(r)}: {getattr(e, 'message', None) or e}")
                        continue
                items.append((kind, r))
    queue = list(ocids)
    while queue:
        ocid = queue.pop(0)
        if ocid in seen:
            continue
        seen.add(ocid)
        found_kind = for_ocid(ocid)
        if found_kind is None or found_kind.get is None or type_of_kind(found_kind) is None:
            continue
        step(f"Reading {ocid}")
        r = await found_kind.get(session, ocid)
        items.append((found_kind, r))
        for py in r.swagger_types:  # what it refers to comes too (its VCN, its subnet...)
            v = getattr(r, py, None)
            for x in (v if isinstance(v, list) else [v]):
                if isinstance(x, str) and x.startswith("ocid1.") and py != "compartment_id" and x not in seen:
                    queue.append(x)
    order = {id(k): i for i, k in enumerate(kinds())}
    items.sort(key=lambda kr: order.get(id(kr[0]), 0))
    chunks, done, more = export_blocks(items, compartment_id)
    write_directory(folder, chunks, session.connection.region, compartment_id, session.tenancy_id)
    return Exported(folder, done, left + sorted(set(more)))


def default_folder(name: str, now: _dt.datetime | None = None) -> str:
    """Where "Export as Terraform" writes: ~/ociconsole-terraform/<name>-<UTC time>."""
    stamp = (now or _dt.datetime.now(_dt.UTC)).strftime("%Y%m%d-%H%M%S")
    base = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "export"
    return os.path.join(os.path.expanduser("~"), "ociconsole-terraform", f"{base}-{stamp}")


def export_action(kind):
    """"Export as Terraform" on a resource (it and what it refers to) or a compartment (its subtree)."""
    from .model import Action, Done

    async def run(session, resource, _options):
        folder = default_folder(kind.name(resource))
        if kind.id == "identity.compartment":
            result = await export(session, folder, compartment_id=resource.id)
        else:
            result = await export(session, folder, ocids=[resource.id])
        more = f"; not exported: {'; '.join(result.left_out)}" if result.left_out else ""
        n = len(result.resources)
        return Done(f"Wrote {n} resource{'s' if n != 1 else ''} to {result.folder}{more}")
    return Action("export_terraform", "Export as Terraform", run, icon="download", verb="Exporting", mutates=False)
