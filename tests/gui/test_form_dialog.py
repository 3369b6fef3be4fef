"""The generic create dialog, driven like a person (typing, picking combo items, clicking)
against the real emulator through the SDK. Set OCICONSOLE_SHOTS=<dir> to save PNGs."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from ociconsole import catalog
from ociconsole.catalog.forms import FormContext
from ociconsole.core.operations import OpState
from ociconsole.gui import aio
from ociconsole.gui.form_dialog import CreateDialog, load_compartment_options
from ociconsole.gui.qt import QFileDialog, QGuiApplication, QPoint, Qt
from ociconsole.services import compute as computesvc
from ociconsole.services import identity as idsvc
from ociconsole.services import network as netsvc

from .helpers import click, pick, retype, shot

WAIT = 10_000


# ---------------------------------------------------------------- helpers

def run(qtbot, coro, timeout=WAIT):
    """Await a coroutine on the qasync loop from a test."""
    task = aio.spawn(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


def public_key(comment: str = "alice@laptop") -> str:
    key = ed25519.Ed25519PrivateKey.generate().public_key()
    raw = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    return f"{raw} {comment}"


def editor(dlg, name):
    return dlg.row(name).editor


@pytest.fixture
def comps(qtbot, aloop, session):
    """Compartment picker options and ids by name (one load per test)."""
    options = run(qtbot, load_compartment_options(session))
    return options, {o.label: o.value for o in options}


def open_dialog(qtbot, session, oplog, kind_id, compartment_id, compartments=()):
    kind = catalog.kind(kind_id)
    ctx = FormContext(session, compartment_id, list(compartments))
    dlg = CreateDialog(kind.create, ctx, session, oplog, kind)
    qtbot.addWidget(dlg)
    dlg.open()
    qtbot.waitUntil(lambda: dlg.isVisible() and not dlg.busy, timeout=WAIT)
    return dlg


# ---------------------------------------------------------------- launch an instance

def test_create_instance_like_a_person(qtbot, aloop, session, oplog, comps):
    options, ids = comps
    dev = ids["Development"]
    dlg = open_dialog(qtbot, session, oplog, "compute.instance", dev, options)
    shot(dlg, "instance-form-initial")
    assert dlg.row("compartment_id").editor.currentText() == "Development"
    assert "acme-corp / Development" in dlg.row("compartment_id").help.text()
    token = dlg.retry_token

    retype(qtbot, editor(dlg, "display_name"), "web-01")
    pick(qtbot, editor(dlg, "availability_domain"), "AD-2")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=WAIT)

    # a flexible shape shows OCPUs and memory, with the shape's bounds
    pick(qtbot, editor(dlg, "shape"), "VM.Standard.E4.Flex")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=WAIT)
    ocpus, mem = editor(dlg, "ocpus"), editor(dlg, "memory_in_gbs")
    assert ocpus.isVisible() and mem.isVisible()
    assert ocpus.bounds()[:2] == (1, 64)
    assert mem.bounds()[:2] == (1, 64) and mem.value() == 16  # 16 GB per OCPU by default
    retype(qtbot, ocpus, "2")
    assert mem.bounds()[:2] == (2, 128) and mem.value() == 32  # the default follows until edited
    assert dlg.row("memory_in_gbs").hint.text() == "2 – 128"
    # what it costs at list price, as the shape changes: 2 OCPU and 32 GB of E4 and a 50 GB boot volume
    # ((2 × 0.025 + 32 × 0.0015) × 744 + 50 × 0.0255 + 500 × 0.0017 = $75.04 per month)
    qtbot.waitUntil(lambda: "$75.04 per month" in dlg.cost_text(), timeout=3000)  # recomputed as values change

    # the Arm shape: other bounds, only aarch64 images
    pick(qtbot, editor(dlg, "shape"), "VM.Standard.A1.Flex")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=WAIT)
    assert ocpus.bounds()[:2] == (1, 80)
    assert mem.value() == 12  # 6 GB per OCPU on A1
    images = [editor(dlg, "image_id").itemText(i) for i in range(editor(dlg, "image_id").count())]
    assert images and all("aarch64" in t for t in images), images

    # out-of-range memory: inline error, no way forward
    retype(qtbot, mem, "999")
    assert "between 2 and 128" in dlg.row("memory_in_gbs").error_text()
    assert dlg.row("memory_in_gbs").error.isVisible()
    assert not dlg.review_button.isEnabled() and not dlg.create_button.isEnabled()
    shot(dlg, "instance-form-memory-error")
    retype(qtbot, mem, "24")
    assert dlg.row("memory_in_gbs").error_text() == ""
    retype(qtbot, ocpus, "1")
    assert mem.value() == 24  # edited by the person: no longer follows the OCPUs
    assert dlg.row("memory_in_gbs").hint.text() == "1 – 64"
    retype(qtbot, ocpus, "2")

    pick(qtbot, editor(dlg, "image_id"), "Oracle-Linux-9.4-aarch64")
    pick(qtbot, editor(dlg, "vcn_id"), "dev-vcn")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=WAIT)
    pick(qtbot, editor(dlg, "subnet_id"), "dev-vcn-private")
    # a private subnet: the public IP box follows the subnet
    assert not editor(dlg, "assign_public_ip").isChecked()
    pick(qtbot, editor(dlg, "subnet_id"), "dev-vcn-public")
    assert editor(dlg, "assign_public_ip").isChecked()

    # an invalid SSH key, then a valid one
    keys = editor(dlg, "ssh_authorized_keys")
    keys.setFocus()
    qtbot.keyClicks(keys, "ssh-rsa not-a-key")
    assert "not an OpenSSH public key" in dlg.row("ssh_authorized_keys").error_text()
    assert not dlg.review_button.isEnabled()
    shot(dlg, "instance-form-ssh-error")
    keys.clear()
    QGuiApplication.clipboard().setText(public_key())
    keys.setFocus()
    qtbot.keyClick(keys, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)  # paste
    assert keys.toPlainText().startswith("ssh-ed25519 ")
    assert dlg.row("ssh_authorized_keys").error_text() == ""
    assert dlg.errors() == {}
    assert dlg.values()["ocpus"] == 2 and dlg.values()["memory_in_gbs"] == 24
    shot(dlg, "instance-form-filled")

    # review: summary with labels, the CLI command and the Python code
    click(qtbot, dlg.review_button)
    assert dlg.pages.currentIndex() == 1
    summary = dlg.summary_text()
    assert "Shape: VM.Standard.A1.Flex" in summary
    assert "Image: Oracle-Linux-9.4-aarch64" in summary
    assert "Subnet: dev-vcn-public" in summary
    assert "ocid1.image" not in summary  # option labels, not ids
    cli = dlg.cli_view.text()
    assert cli.startswith("oci compute instance launch")
    assert "--shape VM.Standard.A1.Flex" in cli and '"ocpus":2.0' in cli
    py = dlg.python_view.text()
    assert "LaunchInstanceDetails" in py and token in py
    click(qtbot, dlg.python_view.copy_button)
    assert QGuiApplication.clipboard().text() == py
    dlg.code_tabs.setCurrentIndex(0)
    shot(dlg, "instance-review")

    # create: the dialog closes at once, tracking goes on in the activity log
    with qtbot.waitSignal(dlg.submitted, timeout=WAIT) as sig:
        click(qtbot, dlg.create_button)
        assert dlg.status.text() == "Submitting…"
        assert not dlg.create_button.isEnabled() and not dlg.cancel_button.isEnabled()
    op = sig.args[0]
    assert not dlg.isVisible()
    assert oplog.operations == [op] and op.kind == "create"
    assert op.resource_id.startswith("ocid1.instance")
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED, op.error
    assert op.result.lifecycle_state == "RUNNING"
    inst = run(qtbot, computesvc.get_instance(session, op.resource_id))
    assert inst.display_name == "web-01" and inst.shape == "VM.Standard.A1.Flex"
    assert (inst.shape_config.ocpus, inst.shape_config.memory_in_gbs) == (2, 24)
    assert inst.availability_domain.endswith("AD-2")
    assert inst.metadata["ssh_authorized_keys"].startswith("ssh-ed25519 ")


def test_ssh_key_loaded_from_a_file(qtbot, aloop, session, oplog, comps, tmp_path):
    options, ids = comps
    dlg = open_dialog(qtbot, session, oplog, "compute.instance", ids["Development"], options)
    key = public_key("bob@desktop")
    path = tmp_path / "id_ed25519.pub"
    path.write_text(key + "\n")
    row = dlg.row("ssh_authorized_keys")
    click(qtbot, row.load_button)
    fd = row.file_dialog
    qtbot.waitUntil(fd.isVisible, timeout=2000)
    assert isinstance(fd, QFileDialog) and fd.isVisible()
    fd.selectFile(str(path))
    fd.accept()
    assert row.editor.toPlainText() == key
    assert row.error_text() == ""
    row.load_key_file(str(tmp_path / "missing.pub"))
    assert "Cannot read" in row.error_text()


def test_failed_option_load_shows_inline_error_and_retry(qtbot, aloop, session, oplog, comps, gui_emulator):
    options, ids = comps
    gui_emulator.core.faults.update({"rate": 1.0, "operations": ["list_vcns"], "mix": {"503": 1.0}})
    dlg = open_dialog(qtbot, session, oplog, "compute.instance", ids["Development"], options)
    row = dlg.row("vcn_id")
    assert "Could not load VCN" in row.error_text() and "503" in row.error_text()
    assert "Retry" in row.error.text()
    assert dlg.values()["vcn_id"] is None
    assert not dlg.review_button.isEnabled()
    shot(dlg, "instance-form-load-error")
    gui_emulator.core.faults.update({"rate": 0.0})
    row.error.linkActivated.emit("retry")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=WAIT)
    assert row.error_text() == ""
    assert "dev-vcn" in row.editor.currentText()
    assert "dev-vcn" in editor(dlg, "subnet_id").currentText()


def test_stale_option_loads_are_dropped(qtbot, aloop, session, oplog, comps, gui_emulator):
    """Switching shapes while images are still loading: only the last shape's images count."""
    options, ids = comps
    dlg = open_dialog(qtbot, session, oplog, "compute.instance", ids["Development"], options)
    calls = []
    session.on_call(lambda service, method: calls.append(method))
    gui_emulator.core.faults.update({"latency_ms": 150.0})
    pick(qtbot, editor(dlg, "shape"), "VM.Standard.E4.Flex")
    assert dlg.busy and editor(dlg, "image_id").currentText() == "Loading…"
    assert "Loading image" in dlg.status.text()
    assert not dlg.review_button.isEnabled()
    pick(qtbot, editor(dlg, "shape"), "VM.Standard.A1.Flex")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=WAIT)
    images = [editor(dlg, "image_id").itemText(i) for i in range(editor(dlg, "image_id").count())]
    assert images and all("aarch64" in t for t in images), images
    assert 1 <= calls.count("list_images") <= 2  # the stale load was cancelled (before or after sending)
    assert dlg.review_button.isEnabled()


def test_compartments_loaded_by_the_dialog_when_not_given(qtbot, aloop, session, oplog, comps):
    _options, ids = comps
    dlg = open_dialog(qtbot, session, oplog, "network.vcn", ids["Network"])
    combo = editor(dlg, "compartment_id")
    assert combo.currentText() == "Network"
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels[0] == "acme-corp" and "Frontend" in labels
    assert dlg.ctx.compartments  # remembered for the next dialog


def test_instance_form_loads_both_compartment_pickers(qtbot, aloop, session, oplog, comps):
    """Without a compartment list (or one that lacks the current compartment) the dialog
    loads it; the network compartment follows the compartment, then VCNs and subnets load."""
    options, ids = comps
    root_only = [o for o in options if o.depth == 0]
    dlg = open_dialog(qtbot, session, oplog, "compute.instance", ids["Development"], root_only)
    assert editor(dlg, "compartment_id").currentText() == "Development"
    assert editor(dlg, "network_compartment_id").currentText() == "Development"
    assert "dev-vcn" in editor(dlg, "vcn_id").currentText()
    assert "dev-vcn" in editor(dlg, "subnet_id").currentText()
    # the network compartment follows the compartment until the person picks one
    pick(qtbot, editor(dlg, "compartment_id"), "Network")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=WAIT)
    assert editor(dlg, "network_compartment_id").currentText() == "Network"
    assert "hub-vcn" in editor(dlg, "vcn_id").currentText()
    pick(qtbot, editor(dlg, "network_compartment_id"), "Development")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=WAIT)
    pick(qtbot, editor(dlg, "compartment_id"), "Staging")
    qtbot.waitUntil(lambda: not dlg.busy, timeout=WAIT)
    assert editor(dlg, "network_compartment_id").currentText() == "Development"
    assert "dev-vcn" in editor(dlg, "vcn_id").currentText()
    assert all(row.error_text() == "" for row in dlg.rows.values())


# ---------------------------------------------------------------- VCN and subnet

def test_create_vcn_inline_validation_and_double_click(qtbot, aloop, session, oplog, comps):
    options, ids = comps
    calls = []
    session.on_call(lambda service, method: calls.append(method))
    dlg = open_dialog(qtbot, session, oplog, "network.vcn", ids["Development"], options)
    assert not dlg.review_button.isEnabled()
    assert "Required: Name" in dlg.status.text()
    assert dlg.row("display_name").error_text() == ""  # untouched: no red yet
    qtbot.keyClicks(editor(dlg, "display_name"), "app-vcn")
    retype(qtbot, editor(dlg, "cidr_block"), "10.50.0.1/16")
    assert "did you mean 10.50.0.0/16" in dlg.row("cidr_block").error_text()
    qtbot.keyClicks(editor(dlg, "dns_label"), "1app")
    assert "Start with a letter" in dlg.row("dns_label").error_text()
    assert not dlg.create_button.isEnabled()
    shot(dlg, "vcn-form-errors")
    retype(qtbot, editor(dlg, "cidr_block"), "10.50.0.0/16")
    retype(qtbot, editor(dlg, "dns_label"), "app")
    editor(dlg, "freeform_tags").setFocus()
    qtbot.keyClicks(editor(dlg, "freeform_tags"), "team=web")
    assert dlg.errors() == {}
    assert "create_vcn" not in calls

    click(qtbot, dlg.review_button)
    assert dlg.cli_view.text().startswith("oci network vcn create")
    assert "--cidr-block 10.50.0.0/16" in dlg.cli_view.text()
    assert "CreateVcnDetails" in dlg.python_view.text()
    shot(dlg, "vcn-review")
    qtbot.mouseDClick(dlg.create_button, Qt.MouseButton.LeftButton)  # an impatient double click
    qtbot.mouseClick(dlg.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: oplog.operations and oplog.operations[-1].state.done, timeout=WAIT)
    assert len(oplog.operations) == 1 and oplog.operations[0].state is OpState.SUCCEEDED
    assert calls.count("create_vcn") == 1
    vcns = run(qtbot, netsvc.list_vcns(session, ids["Development"]))
    mine = [v for v in vcns if v.display_name == "app-vcn"]
    assert len(mine) == 1 and mine[0].freeform_tags == {"team": "web"} and mine[0].dns_label == "app"


def test_create_subnet_cidr_outside_vcn_is_refused_inline(qtbot, aloop, session, oplog, comps):
    options, ids = comps
    calls = []
    session.on_call(lambda service, method: calls.append(method))
    dlg = open_dialog(qtbot, session, oplog, "network.subnet", ids["Development"], options)
    assert "dev-vcn" in editor(dlg, "vcn_id").currentText()
    qtbot.keyClicks(editor(dlg, "display_name"), "dev-vcn-apps")
    cidr = editor(dlg, "cidr_block")
    qtbot.keyClicks(cidr, "10.99.0.0/24")
    assert "inside the VCN's CIDR (10.30.0.0/16)" in dlg.row("cidr_block").error_text()
    assert not dlg.review_button.isEnabled() and not dlg.create_button.isEnabled()
    shot(dlg, "subnet-form-outside")
    retype(qtbot, cidr, "10.30.0.0/24")
    assert "Overlaps subnet dev-vcn-public" in dlg.row("cidr_block").error_text()
    retype(qtbot, cidr, "10.30.5.0/24")
    assert dlg.row("cidr_block").error_text() == ""
    pick(qtbot, editor(dlg, "availability_domain"), "Regional")
    box = editor(dlg, "public")
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert dlg.values()["public"] is True
    assert "create_subnet" not in calls  # refused before any request
    click(qtbot, dlg.review_button)
    assert "Availability domain: Regional" in dlg.summary_text()
    assert "--prohibit-public-ip-on-vnic false" in dlg.cli_view.text()
    with qtbot.waitSignal(dlg.submitted, timeout=WAIT) as sig:
        qtbot.keyClick(dlg, Qt.Key.Key_Return)  # Enter on the review page creates
    op = sig.args[0]
    qtbot.waitUntil(lambda: op.state.done, timeout=WAIT)
    assert op.state is OpState.SUCCEEDED, op.error
    assert op.result.cidr_block == "10.30.5.0/24" and not op.result.prohibit_public_ip_on_vnic


# ---------------------------------------------------------------- refusals

def test_policy_with_bad_statement_is_refused_inline(qtbot, aloop, session, oplog, comps):
    options, _ids = comps
    dlg = open_dialog(qtbot, session, oplog, "identity.policy", session.tenancy_id, options)
    qtbot.keyClicks(editor(dlg, "name"), "dev-policy")
    qtbot.keyClicks(editor(dlg, "description"), "Developers manage instances")
    stm = editor(dlg, "statements")
    stm.setFocus()
    qtbot.keyClicks(stm, "Allow group Developers to destroy instances in tenancy")
    assert "Unknown verb 'destroy'" in dlg.row("statements").error_text()
    assert not dlg.review_button.isEnabled() and not dlg.create_button.isEnabled()
    shot(dlg, "policy-form-error")
    assert oplog.operations == []


def test_refused_create_keeps_values_and_token_until_changed(qtbot, aloop, session, oplog, comps):
    """A statement naming a group that does not exist passes the client-side syntax check
    but the service refuses it (400): the dialog stays, then a fixed request succeeds once."""
    options, _ids = comps
    dlg = open_dialog(qtbot, session, oplog, "identity.policy", session.tenancy_id, options)
    qtbot.keyClicks(editor(dlg, "name"), "ghost-policy")
    qtbot.keyClicks(editor(dlg, "description"), "For a group that is not there")
    stm = editor(dlg, "statements")
    stm.setFocus()
    qtbot.keyClicks(stm, "Allow group Ghosts to read all-resources in tenancy")
    click(qtbot, dlg.review_button)
    token = dlg.retry_token
    assert token in dlg.python_view.text()

    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: dlg.error_text() != "", timeout=WAIT)
    assert dlg.isVisible() and dlg.pages.currentIndex() == 1
    err = dlg.error_text()
    assert "InvalidParameter" in err and "HTTP 400" in err and "group 'Ghosts' does not exist" in err
    assert "opc-request-id: " in err
    assert oplog.operations[-1].state is OpState.FAILED
    assert dlg.create_button.isEnabled() and dlg.back_button.isEnabled()
    shot(dlg, "policy-refused")

    # unchanged: the same token again (safe, nothing was created)
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: len(oplog.operations) == 2 and oplog.operations[-1].state.done, timeout=WAIT)
    assert dlg.isVisible() and dlg.retry_token == token and "Ghosts" in dlg.error_text()

    # back, fix, create: a new token, one policy
    click(qtbot, dlg.back_button)
    assert editor(dlg, "name").text() == "ghost-policy"
    assert "Ghosts" in stm.toPlainText()
    retype(qtbot, stm, "Allow group Developers to read all-resources in tenancy")
    click(qtbot, dlg.review_button)
    assert dlg.retry_token != token and dlg.retry_token in dlg.python_view.text()
    with qtbot.waitSignal(dlg.submitted, timeout=WAIT) as sig:
        click(qtbot, dlg.create_button)
    op = sig.args[0]
    qtbot.waitUntil(lambda: op.state.done, timeout=WAIT)
    assert op.state is OpState.SUCCEEDED, op.error
    policies = run(qtbot, idsvc.list_policies(session, session.tenancy_id))
    assert [p.statements for p in policies if p.name == "ghost-policy"] == [
        ["Allow group Developers to read all-resources in tenancy"]]


def test_compartment_name_taken_meanwhile_is_a_conflict(qtbot, aloop, session, oplog, comps):
    options, ids = comps
    dev = ids["Development"]
    dlg = open_dialog(qtbot, session, oplog, "identity.compartment", dev, options)
    qtbot.keyClicks(editor(dlg, "name"), "Tools")
    qtbot.keyClicks(editor(dlg, "description"), "Shared tools")
    assert dlg.errors() == {}
    # someone else creates the same name after the dialog loaded its compartments
    details = idsvc.models.CreateCompartmentDetails(compartment_id=dev, name="Tools", description="theirs")
    run(qtbot, idsvc.create_compartment(session, details, "other-console-token"))

    click(qtbot, dlg.create_button)  # straight from the form
    qtbot.waitUntil(lambda: dlg.error_text() != "", timeout=WAIT)
    assert "Conflict" in dlg.error_text() and "HTTP 409" in dlg.error_text()
    assert dlg.isVisible() and dlg.pages.currentIndex() == 1  # the review shows what was sent
    click(qtbot, dlg.back_button)
    retype(qtbot, editor(dlg, "name"), "Tools-2")
    with qtbot.waitSignal(dlg.submitted, timeout=WAIT) as sig:
        click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: sig.args[0].state.done, timeout=WAIT)
    assert sig.args[0].state is OpState.SUCCEEDED, sig.args[0].error
    names = [c.name for c in run(qtbot, idsvc.list_compartments(session, dev))]
    assert names.count("Tools") == 1 and names.count("Tools-2") == 1


def test_cancel_and_escape_close_without_request(qtbot, aloop, session, oplog, comps):
    options, ids = comps
    calls = []
    session.on_call(lambda service, method: calls.append(method))
    dlg = open_dialog(qtbot, session, oplog, "identity.group", session.tenancy_id, options)
    qtbot.keyClicks(editor(dlg, "name"), "Operators")
    qtbot.keyClicks(editor(dlg, "description"), "On call")
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert not dlg.isVisible()
    assert "create_group" not in calls and oplog.operations == []


# ---------------------------------------------------------------- Terraform beside the CLI and Python

def test_terraform_tab_refers_to_what_the_session_created(qtbot, aloop, session, oplog, comps):
    from tests.terraform_check import check

    options, ids = comps
    dlg = open_dialog(qtbot, session, oplog, "network.vcn", ids["Development"], options)
    qtbot.keyClicks(editor(dlg, "display_name"), "tf-vcn")
    retype(qtbot, editor(dlg, "cidr_block"), "10.61.0.0/16")
    click(qtbot, dlg.review_button)
    assert [dlg.code_tabs.tabText(i) for i in range(dlg.code_tabs.count())] == ["oci CLI", "Python SDK", "Terraform"]
    dlg.code_tabs.setCurrentIndex(2)
    vcn_tf = dlg.terraform_view.text()
    assert vcn_tf.startswith('resource "oci_core_vcn" "tf_vcn" {') and check(vcn_tf) == []
    shot(dlg, "vcn-review-terraform")
    with qtbot.waitSignal(dlg.submitted, timeout=WAIT) as sig:
        click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: sig.args[0].state.done, timeout=WAIT)
    assert sig.args[0].state is OpState.SUCCEEDED

    sub = open_dialog(qtbot, session, oplog, "network.subnet", ids["Development"], options)
    pick(qtbot, editor(sub, "vcn_id"), "tf-vcn")
    qtbot.keyClicks(editor(sub, "display_name"), "tf-subnet")
    qtbot.keyClicks(editor(sub, "cidr_block"), "10.61.1.0/24")
    click(qtbot, sub.review_button)
    text = sub.terraform_view.text()
    assert "= oci_core_vcn.tf_vcn.id" in text  # the VCN made in this session, not its pasted OCID
    assert sig.args[0].resource_id not in text
    assert check(text) == []
