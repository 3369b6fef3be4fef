"""Checks generated Terraform as Oracle's provider would take it, without Terraform or network: the HCL parses
(python-hcl2), every resource type, argument and nested block exists in the provider, every required
argument is present, and each value has the right shape (a nested block is a block, an argument is not).

The provider's arguments are `tests/data/terraform-oci-arguments.json.gz`: a copy of
`../shared/terraform-oci/arguments.json` (read from oracle/terraform-provider-oci, release in its `source`)."""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path

import hcl2

DATA = Path(__file__).parent / "data" / "terraform-oci-arguments.json.gz"


@functools.cache
def provider() -> dict:
    shared = Path(__file__).resolve().parents[2] / "shared" / "terraform-oci" / "arguments.json"
    if shared.exists():
        return json.loads(shared.read_text())["resources"]
    return json.loads(gzip.decompress(DATA.read_bytes()))["resources"]


def _unquote(s: str) -> str:
    return s[1:-1] if len(s) >= 2 and s[0] == s[-1] == '"' else s


def _check_body(body: dict, args: dict, where: str, problems: list[str]) -> None:
    for name, value in body.items():
        if name == "__is_block__":
            continue
        spec = args.get(name)
        if spec is None:
            problems.append(f"{where}: {name} is not an argument of the provider")
            continue
        is_block = isinstance(value, list) and value and all(isinstance(v, dict) and v.get("__is_block__")
                                                            for v in value)
        if "block" in spec:
            if not is_block:
                problems.append(f"{where}: {name} must be a nested block")
                continue
            for i, b in enumerate(value):
                _check_body(b, spec["block"], f"{where}.{name}[{i}]", problems)
        elif is_block:
            problems.append(f"{where}: {name} is an argument, not a block")
    for name, spec in args.items():
        if spec.get("required") and name not in body:
            problems.append(f"{where}: required argument {name} is missing")


def check(text: str) -> list[str]:
    """What is wrong with `text` as configuration for Oracle's provider (empty: nothing)."""
    try:
        doc = hcl2.loads(text)
    except Exception as e:
        return [f"HCL does not parse: {e}"]
    problems: list[str] = []
    known = provider()
    for group in doc.get("resource", []):
        for rtype, named in group.items():
            rtype = _unquote(rtype)
            if rtype not in known:
                problems.append(f"{rtype}: not a resource of the provider")
                continue
            for label, body in named.items():
                _check_body(body, known[rtype], f"{rtype}.{_unquote(label)}", problems)
    for imp in doc.get("import", []):
        if "to" not in imp or "id" not in imp:
            problems.append(f"import block without to/id: {imp}")
    return problems


def resources(text: str) -> list[str]:
    """The addresses (`type.name`) of the resource blocks in `text`."""
    out = []
    for group in hcl2.loads(text).get("resource", []):
        for rtype, named in group.items():
            out += [f"{_unquote(rtype)}.{_unquote(label)}" for label in named]
    return out
