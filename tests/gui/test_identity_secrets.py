"""A user's secret credentials through the window against the real emulator: an auth token and a customer
secret key created from the user's actions, each shown once on the dialog's last page (Copy puts it on the
clipboard, Ctrl+C copies the focused value, Esc / Close close), never in the activity panel, the operation's
result or the log file; OCI's limit of two per user refused at the field; a credential deleted with its
description typed as the confirmation."""

from __future__ import annotations

import logging

import oci
import pytest

from ociconsole.core.operations import OpState
from ociconsole.gui import crash
from ociconsole.gui.activity import describe
from ociconsole.gui.main_window import MainWindow
from ociconsole.gui.qt import QApplication, Qt

from .helpers import click, click_index, open_tree_path, pick, retype, shot, table_rows, top_level

USER = "alice@example.com"


@pytest.fixture
def log_file(isolated_home):
    path = crash.setup_logging(logging.DEBUG)  # everything the app logs, in the test's own home
    yield path
    crash.teardown_logging()


@pytest.fixture
def window(qtbot, aloop, session, log_file):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=15_000):
        w.set_session(session, "demo")
    yield w
    w.close()


def _select_user(qtbot, window, name=USER):
    open_tree_path(qtbot, window, "Identity", "Users")
    qtbot.waitUntil(lambda: name in table_rows(window.resources), timeout=10_000)
    row = table_rows(window.resources).index(name)
    click_index(qtbot, window.resources.table, window.resources.proxy.index(row, 0))
    qtbot.waitUntil(lambda: window.detail.name.text() == name, timeout=5000)


def _open(qtbot, window, label):
    from ociconsole.gui.form_dialog import CreateDialog
    action = next(a for a in window._kind_actions if a.text() == label)
    assert action.isEnabled(), label
    action.trigger()
    qtbot.waitUntil(lambda: top_level(CreateDialog) is not None, timeout=5000)
    dlg = top_level(CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    return dlg


def _activity_text(window) -> str:
    """Everything the activity panel can show or export: cells, tooltips, details, the JSON export."""
    m = window.activity.model
    out = []
    for r in range(m.rowCount()):
        for c in range(m.columnCount()):
            idx = m.index(r, c)
            out += [str(idx.data() or ""), str(idx.data(Qt.ItemDataRole.ToolTipRole) or "")]
    out += [describe(op) + repr(op.result) for op in window.oplog.operations]
    out.append(window.oplog.export_json())
    return "\n".join(out)


def _create(qtbot, window, label, text, cli_words):
    dlg = _open(qtbot, window, label)
    retype(qtbot, dlg.row("text").editor, text)
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert cli.startswith(f"oci {cli_words}") and "--user-id ocid1.user." in cli and text in cli, cli
    assert "client.create_" in dlg.python_view.text()
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: dlg.pages.currentIndex() == 2, timeout=10_000)
    assert dlg.isVisible() and dlg.close_button.isVisible() and not dlg.create_button.isVisible()
    assert "shown only once" in dlg.reveal_banner.text()
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
    assert op.state is OpState.SUCCEEDED, op.error
    return dlg, op


def _assert_secret_nowhere(window, log_file, secret):
    assert secret not in _activity_text(window)
    logging.getLogger("ociconsole.test").info("after the reveal")  # the file exists and is flushed
    for h in logging.getLogger().handlers:
        h.flush()
    assert secret not in log_file.read_text(encoding="utf-8")
    assert crash.redact(f"token {secret}") == f"token {crash.REDACTED}"  # any later report is redacted


def _too_many(qtbot, window, label, message):
    dlg = _open(qtbot, window, label)
    row = dlg.row("text")
    qtbot.waitUntil(lambda: message in row.warning.text(), timeout=3000)  # said at once, before typing
    retype(qtbot, row.editor, "one more")
    qtbot.waitUntil(lambda: message in row.error_text(), timeout=3000)
    assert not dlg.review_button.isEnabled()
    dlg.reject()


def test_auth_token_shown_once_and_limited_to_two(qtbot, window, gui_emulator, log_file):
    _select_user(qtbot, window)
    dlg, op = _create(qtbot, window, "Create auth token…", "docker login", "iam auth-token create")
    (label, token), = dlg.revealed()
    assert "3 Copy" in dlg.steps.text() and "shown only once" in dlg.reveal_banner.heading.text()
    assert label == "Auth token" and len(token) == 20
    QApplication.clipboard().clear()
    click(qtbot, dlg.reveal_copy_buttons()[0])
    assert QApplication.clipboard().text() == token
    QApplication.clipboard().clear()
    field = dlg.reveal_values[0]
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)  # the focused value, whole
    assert QApplication.clipboard().text() == token
    shot(dlg, "identity-secret")
    assert op.result is not None and op.result.token is None and op.result.description == "docker login"
    _assert_secret_nowhere(window, log_file, token)
    qtbot.keyClick(field, Qt.Key.Key_Escape)  # Esc closes, nothing more asked
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)
    assert field.text() == ""  # the secret left the widgets with the dialog

    _create(qtbot, window, "Create auth token…", "ci pipeline", "iam auth-token create")[0].close_button.click()
    _too_many(qtbot, window, "Create auth token…", "This user already has 2 auth tokens (the limit): delete one first")

    # the emulator holds both, without their token strings
    cfg = gui_emulator.client_config()
    ic = oci.identity.IdentityClient(cfg, service_endpoint=gui_emulator.endpoint("identity"))
    toks = ic.list_auth_tokens(window.detail.resource.id).data
    assert sorted(t.description for t in toks) == ["ci pipeline", "docker login"] and all(not t.token for t in toks)


def test_customer_secret_key_shown_once_then_deleted(qtbot, window, gui_emulator, log_file):
    _select_user(qtbot, window)
    dlg, op = _create(qtbot, window, "Create customer secret key…", "backup-s3", "iam customer-secret-key create")
    pairs = dict(dlg.revealed())
    assert set(pairs) == {"Access key", "Secret key"}
    access, secret = pairs["Access key"], pairs["Secret key"]
    assert len(access) == 40 and secret
    click(qtbot, dlg.reveal_copy_buttons()[1])
    assert QApplication.clipboard().text() == secret
    click(qtbot, dlg.reveal_copy_buttons()[0])
    assert QApplication.clipboard().text() == access
    assert op.result.key is None and op.result.id == access
    _assert_secret_nowhere(window, log_file, secret)
    click(qtbot, dlg.close_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)

    _create(qtbot, window, "Create customer secret key…", "etl", "iam customer-secret-key create")[0].accept()
    _too_many(qtbot, window, "Create customer secret key…",
              "This user already has 2 customer secret keys (the limit): delete one first")

    # delete one: pick it, type its name
    dlg = _open(qtbot, window, "Delete credential…")
    pick(qtbot, dlg.row("credential").editor, "Customer secret key — etl")
    retype(qtbot, dlg.row("confirm").editor, "et")
    qtbot.waitUntil(lambda: "Type 'etl'" in dlg.row("confirm").error_text(), timeout=3000)
    retype(qtbot, dlg.row("confirm").editor, "etl")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "oci iam customer-secret-key delete" in dlg.cli_view.text() and "--force" in dlg.cli_view.text()
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
    assert op.state is OpState.SUCCEEDED, op.error
    cfg = gui_emulator.client_config()
    ic = oci.identity.IdentityClient(cfg, service_endpoint=gui_emulator.endpoint("identity"))
    keys = [k for k in ic.list_customer_secret_keys(window.detail.resource.id).data if k.lifecycle_state == "ACTIVE"]
    assert [k.display_name for k in keys] == ["backup-s3"]


def test_smtp_credentials_show_username_and_password(qtbot, window, log_file):
    _select_user(qtbot, window, "bob@example.com")
    dlg, _op = _create(qtbot, window, "Create SMTP credentials…", "mailer", "iam smtp-credential create")
    pairs = dict(dlg.revealed())
    assert pairs["Username"].startswith("ocid1.user.") and len(pairs["Password"]) == 20
    _assert_secret_nowhere(window, log_file, pairs["Password"])
    dlg.accept()


def test_tag_default_with_an_enum_value(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Identity", "Tag defaults")
    window.create_action.trigger()
    qtbot.waitUntil(lambda: top_level(CreateDialog) is not None, timeout=5000)
    dlg = top_level(CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    assert dlg.row("tag_namespace_id").editor.currentText() == "Operations"
    pick(qtbot, dlg.row("tag_definition_id").editor, "Environment")
    qtbot.waitUntil(lambda: not dlg.busy and dlg.row("enum_value").shown, timeout=5000)
    combo = dlg.row("enum_value").editor
    assert [combo.itemText(i) for i in range(combo.count())] == ["prod", "staging", "dev"]
    assert not dlg.row("value").shown
    pick(qtbot, combo, "staging")
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert cli.startswith("oci iam tag-default create") and "--value staging" in cli, cli
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
    assert op.state is OpState.SUCCEEDED, op.error
    qtbot.waitUntil(lambda: "Environment" in table_rows(window.resources), timeout=10_000)

    # the same tag again: refused at the field; a free-text tag whose value users supply
    window.create_action.trigger()
    qtbot.waitUntil(lambda: top_level(CreateDialog) not in (None, dlg), timeout=5000)
    dlg = top_level(CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    pick(qtbot, dlg.row("tag_definition_id").editor, "Environment")
    qtbot.waitUntil(lambda: "already has a tag default for Environment" in dlg.row("tag_definition_id").error_text(),
                    timeout=5000)
    pick(qtbot, dlg.row("tag_definition_id").editor, "Owner")
    qtbot.waitUntil(lambda: not dlg.busy and dlg.row("value").shown, timeout=5000)
    dlg.row("is_required").editor.setChecked(True)
    qtbot.waitUntil(lambda: not dlg.row("value").shown and dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "--is-required true" in dlg.cli_view.text() and "--value ''" in dlg.cli_view.text()
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
    assert op.state is OpState.SUCCEEDED, op.error
    qtbot.waitUntil(lambda: "Owner" in table_rows(window.resources), timeout=10_000)


@pytest.mark.cli
def test_the_forms_cli_commands_run_against_the_emulator(gui_emulator, tmp_path):
    """The CLI tab's commands, as shown, create the credentials with the real `oci` CLI."""
    import shlex
    from types import SimpleNamespace

    from ociconsole.catalog import identity
    from ociconsole.catalog.forms import FormContext

    from ..emulator.helpers import run_oci
    cfg = gui_emulator.client_config()
    ic = oci.identity.IdentityClient(cfg, service_endpoint=gui_emulator.endpoint("identity"))
    user = next(u for u in ic.list_users(gui_emulator.tenancy_id).data if u.name == USER)
    path = gui_emulator.write_config(tmp_path / "config")
    ctx = FormContext(SimpleNamespace(tenancy_id=gui_emulator.tenancy_id), gui_emulator.tenancy_id)
    for form, secret in [(identity.auth_token_form, "token"), (identity.secret_key_form, "key"),
                         (identity.smtp_credential_form, "password")]:
        spec, values = form(user), {"text": "from the CLI"}
        words = shlex.split(spec.cli(values, ctx, spec.build(values, ctx)).replace("\\\n", " "))
        out = run_oci(path, gui_emulator.endpoint("identity"), *words[1:])["data"]
        assert out[secret] and out["user-id"] == user.id
