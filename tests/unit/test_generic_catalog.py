"""What the catalog derives from a kind's SDK names is real: every "Move to compartment…" calls an
operation the SDK client has with a details model it has, shows an `oci` CLI command that exists with
the id option it names, and every kind whose SDK client can move it offers the move."""

from __future__ import annotations

import importlib

import click
import pytest

from ociconsole import catalog
from ociconsole.catalog.forms import FormContext, python_code
from ociconsole.catalog.generic import SdkRef, in_sentence, plural
from ociconsole.core.connection import SERVICES


def _client(service: str):
    module, cls = SERVICES[service]
    return getattr(importlib.import_module(f"oci.{module}"), cls), importlib.import_module(f"oci.{module}.models")


def _cli_command(words: str):
    from oci_cli import dynamic_loader
    from oci_cli.cli_root import cli
    dynamic_loader.load_service_from_command(words.split()[:1])
    cmd = cli
    for w in words.split():
        cmd = cmd.commands.get(w) if isinstance(cmd, click.Group) else None
        if cmd is None:
            return None
    return cmd


def sdk_kinds():
    return [k for k in catalog.kinds() if k.sdk is not None]


def test_plural_and_sentence_case():
    assert [plural(w) for w in ("vcn", "policy", "gateway", "address", "dhcp_options"[:-1])] == \
        ["vcns", "policies", "gateways", "addresses", "dhcp_options"]
    assert in_sentence("Internet gateway") == "internet gateway" and in_sentence("NAT gateway") == "NAT gateway"


@pytest.mark.parametrize("kind", sdk_kinds(), ids=lambda k: k.id)
def test_every_move_is_a_real_sdk_call_and_cli_command(kind):
    ref: SdkRef = kind.sdk
    client, models = _client(ref.service)
    move = kind.action("move")
    can_move = hasattr(client, ref.move_method)
    if not kind.movable or kind.scope == "hidden":
        assert move is None
        return
    assert can_move, f"{kind.id}: {client.__name__} has no {ref.move_method}; declare movable=False"
    assert move is not None and move.form is not None
    assert hasattr(models, ref.move_details), f"{kind.id}: no oci model {ref.move_details}"
    assert ref.cli, f"{kind.id}: SdkRef needs the CLI group for the change-compartment command"
    cmd = _cli_command(f"{ref.cli} change-compartment")
    assert cmd is not None, f"{kind.id}: no `oci {ref.cli} change-compartment`"
    opts = {o for p in cmd.params for o in p.opts}
    assert ref.cli_id_flag in opts and "--compartment-id" in opts, (kind.id, sorted(opts))
    # the form builds the request and its equivalents without a session
    res = type("R", (), {"id": "ocid1.x.oc1..aaaa", "compartment_id": "ocid1.compartment.oc1..a",
                         kind.name_attr: "thing", "lifecycle_state": "AVAILABLE"})()
    form = move.form(res)
    values = {"compartment_id": "ocid1.compartment.oc1..b"}
    ctx = FormContext(None, "ocid1.compartment.oc1..a")
    assert form.errors(values, ctx) == {}
    assert form.errors({"compartment_id": res.compartment_id}, ctx)  # already there
    req = form.build(values, ctx)
    assert (req.service, req.method, req.args) == (ref.service, ref.move_method, (res.id,))
    code = python_code(req)
    call = f"details, '{res.id}'" if req.details_first else f"'{res.id}', details"  # the SDK's argument order
    assert f"client.{ref.move_method}({call}" in code and "<" not in code.split("\n")[3]
    assert f"oci {ref.cli} change-compartment" in form.cli(values, ctx, req)


@pytest.mark.parametrize("kind", sdk_kinds(), ids=lambda k: k.id)
def test_list_and_get_names_exist(kind):
    client, _models = _client(kind.sdk.service)
    assert hasattr(client, kind.sdk.get_method), (kind.id, kind.sdk.get_method)
    assert hasattr(client, kind.sdk.list_method), (kind.id, kind.sdk.list_method)


def test_a_secret_in_a_request_never_reaches_the_python_shown():
    import oci

    from ociconsole.catalog.forms import Request
    details = oci.analytics.models.CreateAnalyticsInstanceDetails(name="x", idcs_access_token="eyJ-secret-token")
    code = python_code(Request("analytics", "create_analytics_instance", details,
                               secret_env={"idcs_access_token": "IDCS_TOKEN"}))
    assert "eyJ-secret-token" not in code and "idcs_access_token=os.environ['IDCS_TOKEN']" in code
    assert code.startswith("import os\n")
    compile(code, "<equivalent>", "exec")
