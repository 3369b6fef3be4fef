"""Terraform for every create form of the catalog and for exported compartments, checked as Oracle's provider
takes it (tests/terraform_check.py: the HCL parses; every type, argument and block exists; required ones are
there). The forms are filled as a person would leave them: defaults, the first option offered by the demo
sandbox (through the real SDK), and a plausible value where a required field starts empty."""

from __future__ import annotations

import asyncio
import os

import oci
import pytest

from ociconsole import catalog
from ociconsole.__main__ import main as ociconsole_main
from ociconsole.catalog import terraform
from ociconsole.catalog.forms import FormContext, Option
from ociconsole.core.connection import connection_for_emulator
from ociconsole.services.runtime import Session
from tests.terraform_check import check, resources

SSH_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZ0cmFmb3JtLWNoZWNrLWtleS1mb3ItdGVzdHMtb25seQ tf@check")
CREATE_KINDS = [k.id for k in catalog.kinds() if k.create is not None]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from tests.conftest import make_emulator
    emu = make_emulator(tmp_path_factory.mktemp("tf"))
    session = Session(connection_for_emulator(emu.client_config(), emu.base_url))
    cfg = emu.client_config()
    idc = oci.identity.IdentityClient(cfg, service_endpoint=emu.endpoint("identity"))
    prod = next(c for c in idc.list_compartments(cfg["tenancy"]).data if c.name == "Production")
    yield emu, session, prod.id
    session.close()
    emu.stop()


def _plain(field, ctx, tmp_path):
    """A value a person would type into an empty required field."""
    name = field.name
    return {
        "text": "tfcheck" if "name" in name and "display" not in name else "tf-check",
        "textarea": "Made by the Terraform check",
        "password": "Tf#Check-Passw0rd",
        "cidr": "10.99.0.0/24",
        "sshkey": SSH_KEY,
        "number": 1,
        "bool": False,
        "compartment": ctx.compartment_id,
        "statements": "Allow group Administrators to manage all-resources in tenancy",
        "mql": "CpuUtilization[1m].mean() > 80",
        "file": str(_file(tmp_path)),
        "savefile": str(tmp_path / "out.bin"),
        "tags": {},
    }.get(field.type, "tf-check")


def _file(tmp_path):
    import zipfile
    p = tmp_path / "artifact.zip"
    if not p.exists():
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("score.py", "def predict(data):\n    return data\n")
    return p


async def fill(spec, ctx, tmp_path) -> dict:
    values: dict = {}
    for _ in range(2):  # twice: options and defaults that depend on later fields
        for f in spec.fields:
            v = values.get(f.name, f.default)
            if f.default_from is not None:
                try:
                    v = f.default_from(values, ctx) if v is None else v
                except Exception:
                    pass
            opts = f.options
            if callable(opts):
                try:
                    opts = await opts(ctx, values)
                except Exception:
                    opts = []
                ctx.remember(f.name, opts)
            if v is None and opts and f.type not in ("rules",):
                first = next((o for o in opts if isinstance(o, Option) and o.value not in (None, "")), None)
                v = first.value if first is not None else None
            if v is None and f.required:
                v = _plain(f, ctx, tmp_path)
            values[f.name] = v
    return values


@pytest.mark.parametrize("kind_id", CREATE_KINDS)
def test_every_create_form_has_terraform_the_provider_takes(demo, kind_id, tmp_path):
    emu, session, prod = demo
    kind = catalog.kind(kind_id)
    spec = kind.create

    async def go():
        ctx = FormContext(session, prod)
        values = await fill(spec, ctx, tmp_path)
        return spec.build(values, ctx), values
    req, values = asyncio.run(go())
    tf = terraform.for_request(req, spec.describe(values))
    if tf.tf_type is None:  # an SDK call that makes no Terraform resource: declared so, and said so
        assert terraform.TYPE_OF.get((req.service, req.method), "") is None, (req.service, req.method)
        assert "no resource" in tf.text
        return
    assert check(tf.text) == [], tf.text
    assert resources(tf.text) == [tf.address]


def test_session_references_replace_pasted_ocids(demo):
    emu, session, prod = demo
    from ociconsole.catalog.forms import Request
    m = oci.core.models
    vcn = Request("network", "create_vcn", m.CreateVcnDetails(compartment_id=prod, cidr_blocks=["10.42.0.0/16"],
                                                               display_name="tf-vcn"))
    terraform.remember(session, vcn, "ocid1.vcn.oc1.iad.made", "tf-vcn")
    subnet = Request("network", "create_subnet", m.CreateSubnetDetails(
        compartment_id=prod, vcn_id="ocid1.vcn.oc1.iad.made", cidr_block="10.42.1.0/24", display_name="tf-sub"))
    tf = terraform.for_request(subnet, "tf-sub", terraform.session_refs(session))
    assert "vcn_id         = oci_core_vcn.tf_vcn.id" in tf.text
    assert check(tf.text) == []


def test_an_update_is_the_arguments_it_changes_with_an_import(demo):
    from ociconsole.catalog.forms import Request
    req = Request("blockstorage", "update_volume", oci.core.models.UpdateVolumeDetails(size_in_gbs=200),
                  args=("ocid1.volume.oc1.iad.x",))
    tf = terraform.for_request(req, "data", update_of="ocid1.volume.oc1.iad.x")
    assert 'id = "ocid1.volume.oc1.iad.x"' in tf.text and "size_in_gbs = 200" in tf.text
    assert "# the arguments this change sets" in tf.text


def test_export_terraform_command_writes_a_directory_the_provider_takes(demo, tmp_path):
    emu, _session, prod = demo
    cfg = emu.write_config(tmp_path / "config")
    out = tmp_path / "tf"
    assert ociconsole_main(["export-terraform", "--config-file", str(cfg), "--compartment", prod, str(out)]) == 0
    assert sorted(os.listdir(out)) == ["main.tf", "provider.tf", "variables.tf"]
    main_tf = (out / "main.tf").read_text()
    for name in ("main.tf", "provider.tf", "variables.tf"):
        assert check((out / name).read_text()) == [], name
    found = resources(main_tf)
    # the compartment's subtree: its VCN, the instances of its subcompartments, their compartments
    assert "oci_core_vcn.prod_vcn" in found and "oci_core_instance.web_01" in found
    assert any(a.startswith("oci_identity_compartment.") for a in found)
    assert main_tf.count("import {") == len(found)
    assert "vcn_id" in main_tf and "= oci_core_vcn.prod_vcn.id" in main_tf  # references, not pasted OCIDs
    assert "compartment_id = var.compartment_ocid" in main_tf.replace("  ", " ").replace("  ", " ") or \
        "var.compartment_ocid" in main_tf


def test_export_of_one_resource_brings_what_it_refers_to(demo, tmp_path):
    emu, session, prod = demo
    cfg = emu.client_config()
    cc = oci.core.ComputeClient(cfg, service_endpoint=emu.endpoint("core"))
    idc = oci.identity.IdentityClient(cfg, service_endpoint=emu.endpoint("identity"))
    comps = {c.id for c in idc.list_compartments(cfg["tenancy"], compartment_id_in_subtree=True).data}
    web = next(i for c in comps for i in cc.list_instances(c).data if i.display_name == "web-01")
    vnic = cc.list_vnic_attachments(web.compartment_id, instance_id=web.id).data[0]
    res = asyncio.run(terraform.export(session, str(tmp_path / "one"), ocids=[web.id, vnic.subnet_id]))
    main_tf = (tmp_path / "one" / "main.tf").read_text()
    assert check(main_tf) == []
    addresses = [a for a, _ in res.resources]
    assert "oci_core_instance.web_01" in addresses
    assert any(a.startswith("oci_core_subnet.") for a in addresses)
    assert any(a.startswith("oci_core_vcn.") for a in addresses)  # the subnet's VCN came with it
