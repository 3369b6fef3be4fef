"""Property-based, through the real creation dialogs: whatever invalid value a person types or
pastes into a field, pressing Create (or Review, or Enter) leaves the dialog open on the form,
shows a message right under THAT field, and sends nothing — no request reaches the emulator,
the session makes no call and no operation is started.

One dialog per form (opened against the emulator once); every example first puts the field it
broke last back to a valid value and checks the form is ready, so the refusal seen is caused by
the generated value alone. The validators themselves are tested in test_validators_property.py;
here it is the wiring from widget to message to (no) request.
"""

from __future__ import annotations

import base64
import ipaddress
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ociconsole.gui.form_dialog import load_compartment_options
from ociconsole.gui.qt import QGuiApplication, Qt

from ..gui.conftest import gui_emulator, oplog, session  # noqa: F401 - fixtures
from ..gui.helpers import pick, retype
from ..gui.test_form_dialog import WAIT, open_dialog, public_key, run
from .request_log import RequestLog
from .test_validators_property import mql_queries

GUI = settings(max_examples=25, deadline=None, database=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                      HealthCheck.filter_too_much])
TOPIC = "ocid1.onstopic.oc1.iad.aaaaaaaaexampletopic"


# ---------------------------------------------------------------- the harness

class Form:
    """One open dialog, the valid value of each field it breaks, and what would show a request."""

    def __init__(self, qtbot, dlg, valid: dict, emu, sess, ops):
        self.qtbot, self.dlg, self.valid = qtbot, dlg, valid
        self.log = RequestLog(emu)
        self.session, self.oplog = sess, ops
        self.dirty: str | None = None
        self.examples = 0
        for name, value in valid.items():
            retype(qtbot, dlg.row(name).editor, value)
        assert dlg.ready, dlg.errors()

    def sent(self) -> tuple:
        return len(self.log), self.session.calls, len(self.oplog.operations)

    def refuses(self, name: str, value: str, paste: bool = False) -> None:
        qtbot, dlg = self.qtbot, self.dlg
        self.examples += 1
        if self.dirty is not None:  # the previous example's field back to a valid value
            retype(qtbot, dlg.row(self.dirty).editor, self.valid[self.dirty])
        assert dlg.ready and dlg.pages.currentIndex() == 0, dlg.errors()
        row = dlg.row(name)
        before = self.sent()
        self.dirty = name
        enter(qtbot, row.editor, value, paste)
        # what was typed is what the field holds (the test is about this value, not a mangled one)
        held = row.editor.toPlainText() if hasattr(row.editor, "toPlainText") else (
            row.editor.lineEdit().text() if hasattr(row.editor, "lineEdit") else row.editor.text())
        assert held == value, (held, value)

        # every way forward: the buttons (mouse), Enter on the dialog, and the slots themselves
        for button in (dlg.create_button, dlg.review_button):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.keyClick(dlg, Qt.Key.Key_Return)
        dlg.show_review()
        dlg.submit()
        qtbot.wait(20)  # a wrongly started submission would have sent by now (it starts at once)

        assert dlg.isVisible() and dlg.pages.currentIndex() == 0, "the dialog stays on the form"
        assert not dlg.create_button.isEnabled() and not dlg.review_button.isEnabled()
        message = row.error_text()
        assert message.strip(), f"no message for {name}={value!r}"
        assert row.error.isVisible() and row.error.text().strip()
        # next to the field: in the field's own row, right under its editor
        assert row.error.parentWidget() is row.editor.parentWidget() is row.container
        assert row.error.geometry().top() >= row.editor.geometry().bottom()
        assert name in dlg.errors()
        assert self.sent() == before, f"{name}={value!r} reached the API: {self.log.snapshot()[before[0]:]}"
        assert not self.log.mutating()


def enter(qtbot, editor, value: str, paste: bool) -> None:
    """Type `value` over the field's content, or paste it (long text, control characters)."""
    if not paste:  # QTest types no newline: Return between the lines, as a person does
        lines = value.split("\n")
        retype(qtbot, editor, lines[0])
        for line in lines[1:]:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
            if line:
                qtbot.keyClicks(editor, line)
        return
    QGuiApplication.clipboard().setText(value)
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


@pytest.fixture
def forms(qtbot, aloop, session, oplog, gui_emulator):  # noqa: F811 - fixtures imported above
    """`forms(kind_id, compartment, valid, prepare=None)`: the test's dialog, opened at its first
    example (hypothesis runs every example with the same fixture values) and reused after."""
    options = run(qtbot, load_compartment_options(session))
    ids = {o.label: o.value for o in options}
    opened: list[Form] = []

    def form(kind_id: str, compartment: str, valid: dict, prepare=None) -> Form:
        if not opened:
            dlg = open_dialog(qtbot, session, oplog, kind_id, ids[compartment], options)
            if prepare is not None:
                prepare(dlg)
                qtbot.waitUntil(lambda: not dlg.busy, timeout=WAIT)
            opened.append(Form(qtbot, dlg, valid, gui_emulator, session, oplog))
        return opened[0]
    yield form
    assert opened and opened[0].examples > 0
    opened[0].log.close()
    assert not opened[0].log.mutating() and oplog.operations == []
    opened[0].dlg.reject()


# ---------------------------------------------------------------- invalid values (independent of the validators)

printable = st.characters(min_codepoint=32, max_codepoint=126)
letters = st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=12)

blank_names = st.text(alphabet=" ", min_size=1, max_size=6).map(lambda s: (s, False))
long_names = st.text(alphabet=string.ascii_letters + " -", min_size=256, max_size=300).filter(
    lambda s: s.strip()).map(lambda s: (s, True))
ctrl_names = st.tuples(letters, st.sampled_from(["\x01", "\x07", "\x1b", "\x7f", "\x00"]), letters).map(
    lambda t: ("".join(t), True))
bad_display_names = st.one_of(blank_names, long_names, ctrl_names)

# IAM names: a character outside [A-Za-z0-9._+@-] somewhere, or over 100 characters
bad_iam_names = st.one_of(
    st.tuples(letters, st.sampled_from(list(" !#$%&'()*,/:;<=>?[\\]^`{|}~\"")), letters).map(
        lambda t: ("".join(t), False)),
    st.text(alphabet=string.ascii_letters, min_size=101, max_size=130).map(lambda s: (s, True)))

# tags: a non-blank line without '='
bad_tags = st.lists(st.text(alphabet=string.ascii_letters + string.digits + " _-:", min_size=1, max_size=20)
                    .filter(lambda s: s.strip()), min_size=1, max_size=3).map(lambda ls: ("\n".join(ls), False))


def _net(addr: int, prefix: int) -> str:
    return str(ipaddress.IPv4Network((addr, prefix), strict=False))


bad_cidrs = st.one_of(
    # a network whose size OCI refuses (/16 to /30 only)
    st.builds(_net, st.integers(0, 2**32 - 1), st.one_of(st.integers(0, 15), st.integers(31, 32))),
    # host bits set
    st.tuples(st.integers(0, 2**32 - 1), st.integers(16, 30)).filter(
        lambda t: int(ipaddress.IPv4Network(t, strict=False).network_address) != t[0]).map(
        lambda t: f"{ipaddress.IPv4Address(t[0])}/{t[1]}"),
    # not a CIDR at all
    st.text(alphabet="abcxyz0123456789./: ", min_size=1, max_size=20).filter(
        lambda s: s.strip() and "/" not in s.strip()),
).map(lambda s: (s, False))

bad_dns_labels = st.text(alphabet=string.ascii_letters + string.digits + "-_.", min_size=1, max_size=20).filter(
    lambda s: not (s[0].isalpha() and len(s) <= 15 and s.isalnum())).map(lambda s: (s, False))


def _truncated_key(cut: int) -> str:
    kind, data = public_key().split()[:2]
    return f"{kind} {base64.b64encode(base64.b64decode(data)[:cut]).decode()}"


bad_ssh_keys = st.one_of(
    st.text(alphabet=printable, min_size=1, max_size=60).filter(
        lambda s: s.strip() and not s.strip().startswith(("ssh-", "ecdsa-", "sk-", "#", "-----BEGIN"))),
    st.integers(4, 40).map(_truncated_key),
).map(lambda s: (s, len(s) > 40))

bad_ocpus = st.one_of(st.integers(65, 100_000), st.integers(-1000, 0)).map(lambda n: (str(n), False))
bad_memory = st.one_of(st.integers(129, 100_000), st.integers(-1000, 1)).map(lambda n: (str(n), False))

verbs = st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=10).filter(
    lambda s: s not in ("inspect", "read", "use", "manage"))
bad_statements = st.one_of(
    st.tuples(letters, verbs).map(lambda t: f"Allow group {t[0]} to {t[1]} instance-family in tenancy"),
    letters.map(lambda g: f"Allow group {g} to read all-resources"),  # no location
    st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=40).filter(
        lambda s: s.strip() and s.split()[0].lower() not in ("allow", "define", "endorse", "admit")),
).map(lambda s: (s, len(s) > 40))

# well-formed MQL with a piece that makes it wrong
bad_mql = st.tuples(mql_queries(), st.sampled_from([" >", " &&", " ||", ")", "[", ".mean(", "{", " > > 1",
                                                   ".bogus()", " in (", " > abc"])).map(
    lambda t: (t[0] + t[1], True))


# ---------------------------------------------------------------- the forms

@GUI
@given(st.one_of(bad_display_names.map(lambda v: ("display_name", v)), bad_ocpus.map(lambda v: ("ocpus", v)),
                 bad_memory.map(lambda v: ("memory_in_gbs", v)),
                 bad_ssh_keys.map(lambda v: ("ssh_authorized_keys", v)),
                 bad_tags.map(lambda v: ("freeform_tags", v))))
def test_instance_form_refuses_inline_and_sends_nothing(qtbot, forms, case):
    form = forms(
        "compute.instance", "Development",
        {"display_name": "web-01", "ocpus": "2", "memory_in_gbs": "32", "ssh_authorized_keys": public_key(),
         "freeform_tags": "team=web"},
        prepare=lambda dlg: pick(qtbot, dlg.row("shape").editor, "VM.Standard.E4.Flex"))
    name, (value, paste) = case
    form.refuses(name, value, paste)


@GUI
@given(st.one_of(bad_cidrs.map(lambda v: ("cidr_block", v)), bad_dns_labels.map(lambda v: ("dns_label", v)),
                 bad_display_names.map(lambda v: ("display_name", v)), bad_tags.map(lambda v: ("freeform_tags", v))))
def test_vcn_form_refuses_inline_and_sends_nothing(forms, case):
    form = forms(
        "network.vcn", "Development",
        {"display_name": "app-vcn", "cidr_block": "10.50.0.0/16", "dns_label": "app", "freeform_tags": "a=b"})
    name, (value, paste) = case
    form.refuses(name, value, paste)


outside_dev_vcn = st.tuples(st.integers(0, 2**32 - 1), st.integers(16, 30)).map(lambda t: _net(*t)).filter(
    lambda n: not ipaddress.IPv4Network(n).overlaps(ipaddress.IPv4Network("10.30.0.0/16")))
over_public_subnet = st.tuples(st.integers(0, 255), st.integers(24, 28)).map(
    lambda t: _net(int(ipaddress.IPv4Address("10.30.0.0")) + t[0], t[1]))  # inside dev-vcn-public 10.30.0.0/24


@GUI
@given(st.one_of(outside_dev_vcn, over_public_subnet))
def test_subnet_cidr_outside_or_overlapping_is_refused_inline(forms, cidr):
    form = forms(
        "network.subnet", "Development", {"display_name": "apps", "cidr_block": "10.30.200.0/24"})
    assert "dev-vcn" in form.dlg.row("vcn_id").editor.currentText()
    form.refuses("cidr_block", cidr)


@GUI
@given(st.one_of(bad_iam_names.map(lambda v: ("name", v)), bad_statements.map(lambda v: ("statements", v))))
def test_policy_form_refuses_inline_and_sends_nothing(forms, case):
    form = forms(
        "identity.policy", "acme-corp",
        {"name": "dev-policy", "description": "Developers manage instances",
         "statements": "Allow group Developers to manage instance-family in tenancy"})
    name, (value, paste) = case
    form.refuses(name, value, paste)


@GUI
@given(bad_mql)
def test_alarm_query_refused_inline_and_sends_nothing(forms, case):
    form = forms(
        "monitoring.alarm", "Frontend",
        {"display_name": "cpu-high", "destinations": TOPIC, "query": "CpuUtilization[1m].mean() > 80"})
    value, paste = case
    form.refuses("query", value, paste)

