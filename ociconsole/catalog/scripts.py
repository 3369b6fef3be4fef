"""The activity panel's session as a runnable script: bash with `oci` CLI commands, or Python with the SDK calls,
in the order they were made, each followed by a wait for what the console waited for.

Built from what the operations recorded (core.operations.Operation: the CLI command a create dialog showed, and
every changing SDK call made on the operation's behalf, with its arguments). A call the CLI cannot be named for
generically (an update with a details body) is left as a comment in the bash script pointing to the Python one,
which has every call.
"""

from __future__ import annotations

import re
import time

from ..core.connection import SERVICES, WORK_REQUEST_SERVICES
from ..core.operations import Operation, OpState
from . import forms

_STATE = re.compile(r"^[A-Z][A-Z_]+$")


def _kind(op: Operation):
    from . import kind
    try:
        return kind(op.kind_id) if op.kind_id else None
    except KeyError:
        return None


def _reached(op: Operation) -> str | None:
    """The lifecycle state the operation waited for and reached (its detail), if any."""
    return op.detail if op.state is OpState.SUCCEEDED and _STATE.match(op.detail or "") else None


def _steps(ops: list[Operation]) -> list[Operation]:
    return [o for o in ops if o.calls or o.cli]


def _client_var(service: str) -> str:
    return service + "_client"


def python_script(ops: list[Operation]) -> str:
    """Python with the SDK calls of `ops` in order, each waited for as the console waited."""
    steps = _steps(ops)
    services = sorted({c[0] for o in steps for c in o.calls} | {WORK_REQUEST_SERVICES.get(c[0], c[0])
                                                                  for o in steps for c in o.calls})
    lines = ["#!/usr/bin/env python3", f"# The console session of {time.strftime('%Y-%m-%d %H:%M')}, as SDK calls.",
             "# Runs against the tenancy of ~/.oci/config (DEFAULT profile); edit the OCIDs to replay elsewhere.",
             "import oci", "", "config = oci.config.from_file()"]
    for s in services:
        if s in SERVICES:
            lines.append(f"{_client_var(s)} = {forms.client_class(s)}(config"
                         f"{', ' + forms.client_args(s) if forms.client_args(s) else ''})")
    made: dict[str, str] = {}  # OCID created earlier in the session -> the variable holding it
    for n, op in enumerate(steps, 1):
        lines += ["", f"# {n}. {op.title} — {op.state.value}{f' ({op.detail})' if op.detail else ''}"]
        if not op.calls:
            lines.append("# (made by a workflow of the console: see the bash script's command)")
            continue
        kind = _kind(op)
        for service, method, args, kwargs in op.calls:
            call_args = [forms._py_value(a, 0) for a in args] + \
                [f"{k}={forms._py_value(v, 0)}" for k, v in kwargs.items()]
            prefix = "" if op.state is OpState.SUCCEEDED else "# "
            text = f"{prefix}response = {_client_var(service)}.{method}({', '.join(call_args)})"
            for ocid, var in made.items():
                text = text.replace(repr(ocid), var)
            lines.append(text)
        if op.state is not OpState.SUCCEEDED:
            lines.append(f"# it ended {op.state.value.lower()}: {op.error.summary() if op.error else ''}".rstrip())
            continue
        service = op.calls[-1][0]
        state, ref = _reached(op), getattr(kind, "sdk", None)
        created = op.kind == "create" and bool(op.resource_id)
        if created:  # later steps use the new resource's id, not the one made when the console ran
            made[op.resource_id] = _var(op.resource_label, set(made.values()))
            lines.append(f"{made[op.resource_id]} = response.data.id")
        if state and ref is not None and ref.service == service:
            rid = made.get(op.resource_id) or (repr(op.resource_id) if op.resource_id else "response.data.id")
            for ocid, var in made.items():
                rid = rid.replace(repr(ocid), var)
            lines.append(f"oci.wait_until({_client_var(service)}, {_client_var(service)}.get_{ref.noun}({rid}), "
                         f"'lifecycle_state', {state!r}, max_wait_seconds=3600)")
        elif op.work_request_id:
            wr = WORK_REQUEST_SERVICES.get(service, service)
            lines.append(f"oci.wait_until({_client_var(wr)}, {_client_var(wr)}.get_work_request("
                         "response.headers['opc-work-request-id']), 'status', 'SUCCEEDED', max_wait_seconds=3600)")
    return "\n".join(lines) + "\n"


def _var(label: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", (label or "resource").lower()).strip("_") or "resource"
    base = base if base[0].isalpha() else "r_" + base
    name, n = f"{base}_id", 2
    while name in taken:
        name, n = f"{base}_{n}_id", n + 1
    return name


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def cli_for_call(kind, service: str, method: str, args: tuple, kwargs: dict, state: str | None) -> str | None:
    """The `oci` command of one recorded call, where it can be named from the kind's CLI words, else None."""
    ref = getattr(kind, "sdk", None)
    if ref is None or not ref.cli or not args or not isinstance(args[0], str):
        return None
    words, id_flag = ref.cli, ref.cli_id_flag
    wait = [("--wait-for-state", state)] if state else []
    if method == f"delete_{ref.noun}":
        return forms.cli_command(f"{words} delete", [(id_flag, args[0]), *wait]) + " \\\n    --force"
    if method == "instance_action" and len(args) > 1:
        return forms.cli_command(f"{words} action", [(id_flag, args[0]), ("--action", args[1])] + wait)
    if method == f"change_{ref.noun}_compartment" and len(args) > 1:
        dest = getattr(args[1], "compartment_id", None)
        return forms.cli_command(f"{words} change-compartment", [(id_flag, args[0]), ("--compartment-id", dest)])
    m = re.fullmatch(rf"([a-z]+)_{ref.noun}", method)
    if m and len(args) == 1 and not kwargs:  # start_x, stop_x, activate_x...
        return forms.cli_command(f"{words} {m.group(1)}", [(id_flag, args[0])] + wait)
    return None


def bash_script(ops: list[Operation]) -> str:
    """Bash with the `oci` CLI commands of `ops` in order (creates wait with --wait-for-state as the console did)."""
    lines = ["#!/usr/bin/env bash", f"# The console session of {time.strftime('%Y-%m-%d %H:%M')}, as oci CLI commands.",
             "# Runs against the tenancy of ~/.oci/config; edit the OCIDs to replay elsewhere.", "set -euo pipefail"]
    made: dict[str, str] = {}  # OCID created earlier in the session -> the shell variable holding it

    def subst(text: str) -> str:
        for ocid, var in made.items():
            text = text.replace(ocid, f'"${var}"')
        return text
    for n, op in enumerate(_steps(ops), 1):
        lines += ["", f"# {n}. {op.title} — {op.state.value}{f' ({op.detail})' if op.detail else ''}"]
        prefix = "" if op.state is OpState.SUCCEEDED else "# "
        if op.cli:
            cmd = subst(op.cli)
            if op.kind == "create" and op.resource_id and op.state is OpState.SUCCEEDED:
                var = _var(op.resource_label, set(made.values())).upper()
                made[op.resource_id] = var
                cmd = f"{var}=$({cmd} \\\n    --query 'data.id' --raw-output)"
            lines += [prefix + line for line in cmd.splitlines()]
            continue
        kind = _kind(op)
        for service, method, args, kwargs in op.calls:
            named = cli_for_call(kind, service, method, args, kwargs, _reached(op))
            if named is None:
                lines.append(f"# {service}.{method}: no CLI command to name here; the Python script has the call")
            else:
                lines += [prefix + line for line in subst(named).splitlines()]
    return "\n".join(lines) + "\n"


def write(path: str, ops: list[Operation]) -> str:
    """Write the script `path` asks for (.py: Python, else bash), executable; returns the kind written."""
    import os
    python = path.endswith(".py")
    with open(path, "w", encoding="utf-8") as f:
        f.write(python_script(ops) if python else bash_script(ops))
    os.chmod(path, 0o755)
    return "Python" if python else "bash"

