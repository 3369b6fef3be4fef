"""The first-run dialog, driven like a person would: its three ways to start."""

from __future__ import annotations

import configparser
import stat
from pathlib import Path

import pytest

from ociconsole.core import config as C
from ociconsole.core import secrets
from ociconsole.gui.first_run import PROFILE_ROLE, FirstRunChoice, FirstRunDialog, first_run_needed, ocid_problem
from ociconsole.gui.qt import QApplication, QDialog, QFileDialog, QPoint, Qt

from ..unit.keyrings import MemoryKeyring, using_keyring

USER = "ocid1.user.oc1..aaaaaaaa2222222222222222"
TENANCY = "ocid1.tenancy.oc1..aaaaaaaa3333333333333333"


@pytest.fixture(autouse=True)
def memory_keyring():
    with using_keyring(MemoryKeyring()) as kr:
        yield kr


@pytest.fixture
def dialog(qtbot):
    dlg = FirstRunDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def _visible_error(label) -> str:
    return label.text() if label.isVisibleTo(label.window()) else ""


def _type(qtbot, edit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def _pick_file(qtbot, dlg, path: Path) -> None:
    """The non-modal file dialog the dialog opened: select a file and accept, as a person would."""
    fd = dlg.file_dialog
    assert isinstance(fd, QFileDialog) and fd.isVisible()
    assert fd.windowModality() == Qt.WindowModality.WindowModal  # open(), not exec(): the event loop runs on
    fd.selectFile(str(path))
    fd.accept()


# ------------------------------------------------------------------ demo

def test_no_config_file_needs_first_run(tmp_path):
    assert first_run_needed(tmp_path / "absent")
    (tmp_path / "empty").write_text("")
    assert first_run_needed(tmp_path / "empty")
    (tmp_path / "one").write_text("[P]\nregion = x\n")
    assert not first_run_needed(tmp_path / "one")


def test_demo_sandbox(qtbot, dialog):
    assert dialog.pages.currentIndex() == dialog.PAGE_WELCOME
    assert "no-oci-config" in dialog.welcome_text.text()  # where the oci CLI would have looked
    with qtbot.waitSignal(dialog.chosen, timeout=2000) as sig:
        qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert sig.args[0] == FirstRunChoice("demo")
    assert sig.args[0].config_path is None and sig.args[0].profile is None
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_cancel_chooses_nothing(qtbot, dialog):
    with qtbot.assertNotEmitted(dialog.chosen):
        dialog.reject()
    assert dialog.result() == QDialog.DialogCode.Rejected


# ------------------------------------------------------------------ existing config file

def _session_config(emu, tmp_path: Path, cfg: Path) -> None:
    """Append a valid and an expired session-token profile to `cfg`."""
    priv, pub, _fp = C.generate_key_pair(tmp_path / "session")
    for name, ttl in (("SESSION", 3600), ("EXPIRED", -60)):
        token = tmp_path / "session" / f"{name}.token"
        token.write_text(emu.issue_session_token(pub.read_text(), ttl=ttl))
        with open(cfg, "a") as f:
            f.write(f"\n[{name}]\ntenancy = {emu.tenancy_id}\nkey_file = {priv}\nsecurity_token_file = {token}\n")


def test_existing_config_file(qtbot, dialog, gui_emulator, tmp_path):
    cfg = tmp_path / "oci" / "config"
    gui_emulator.write_config(cfg)
    gui_emulator.write_config(cfg, "SECOND")
    _session_config(gui_emulator, tmp_path, cfg)

    qtbot.mouseClick(dialog.existing_button, Qt.MouseButton.LeftButton)
    _pick_file(qtbot, dialog, cfg)
    assert dialog.pages.currentIndex() == dialog.PAGE_PROFILES
    assert dialog.profile_list.isVisibleTo(dialog)
    items = [dialog.profile_list.item(i) for i in range(dialog.profile_list.count())]
    profiles = [it.data(PROFILE_ROLE) for it in items]
    assert [p.name for p in profiles] == ["DEFAULT", "SECOND", "SESSION", "EXPIRED"]
    assert [it.text() for it in items] == [p.describe() for p in profiles]
    assert dialog.selected_profile().name == "DEFAULT"  # OCI_CLI_PROFILE is unset: DEFAULT, like the CLI

    session_lines = dict((k, t) for t, k in items[2].data(Qt.ItemDataRole.UserRole + 2))
    assert "session token, expires in" in session_lines["detail"] and "problem" not in session_lines
    dialog.profile_list.setCurrentRow(3)  # an expired token: shown, but cannot be used
    assert not dialog.use_button.isEnabled()
    assert "expired" in _visible_error(dialog.profile_problem) and "oci session" in dialog.profile_problem.text()

    dialog.profile_list.setCurrentRow(1)
    assert dialog.use_button.isEnabled() and not _visible_error(dialog.profile_problem)
    with qtbot.waitSignal(dialog.chosen, timeout=2000) as sig:
        qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    assert sig.args[0] == FirstRunChoice("profile", str(cfg), "SECOND")
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_unreadable_config_file_then_another(qtbot, dialog, gui_emulator, tmp_path):
    bad = tmp_path / "bad-config"
    bad.write_text("user = ocid1.user.oc1..x\n[DEFAULT]\n")
    qtbot.mouseClick(dialog.existing_button, Qt.MouseButton.LeftButton)
    _pick_file(qtbot, dialog, bad)
    err = _visible_error(dialog.profiles_error)
    assert "line 1: expected a [PROFILE] header" in err and str(bad) in err
    assert not dialog.use_button.isEnabled() and not dialog.profile_list.isVisibleTo(dialog)

    good = gui_emulator.write_config(tmp_path / "good-config")
    dialog.load_config_file(good)  # what "Choose another file…" ends in
    assert not _visible_error(dialog.profiles_error) and dialog.profile_list.count() == 1
    with qtbot.waitSignal(dialog.chosen, timeout=2000) as sig:
        dialog.profile_list.itemDoubleClicked.emit(dialog.profile_list.item(0))
    assert sig.args[0] == FirstRunChoice("profile", str(good), "DEFAULT")


def test_profile_with_a_missing_key_cannot_be_used(qtbot, dialog, tmp_path):
    cfg = tmp_path / "config"
    cfg.write_text(f"[P]\nuser = {USER}\ntenancy = {TENANCY}\nfingerprint = aa\nregion = us-ashburn-1\n"
                   f"key_file = {tmp_path / 'gone.pem'}\n")
    dialog.load_config_file(cfg)
    assert not dialog.use_button.isEnabled()
    assert "gone.pem" in _visible_error(dialog.profile_problem)


def test_back_returns_to_the_choices(qtbot, dialog, tmp_path):
    dialog.load_config_file(tmp_path / "absent")
    assert "not found" in _visible_error(dialog.profiles_error)
    dialog.show_page(dialog.PAGE_WELCOME)
    assert dialog.pages.currentIndex() == dialog.PAGE_WELCOME


# ------------------------------------------------------------------ create a profile

def test_ocid_checks():
    assert ocid_problem("ocid1.us", "user", final=False) is None  # still typing
    assert ocid_problem(USER, "user", final=True) is None
    assert "tenancy OCID" in ocid_problem(TENANCY, "user", final=False)
    assert "starts with ocid1.user." in ocid_problem("hello", "user", final=False)
    assert "Required" in ocid_problem("  ", "tenancy", final=True)
    assert "incomplete" in ocid_problem("ocid1.user.oc1..", "user", final=True)
    assert "spaces" in ocid_problem("ocid1.user.oc1..aaaa aaaa", "user", final=True)


def test_create_profile_with_a_generated_key(qtbot, dialog, memory_keyring, tmp_path):
    cfg = tmp_path / "oci" / "config"
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == dialog.PAGE_CREATE
    assert dialog.name_edit.text() == "DEFAULT"
    _type(qtbot, dialog.config_edit, str(cfg))

    # a tenancy OCID in the user field is caught as it is typed
    _type(qtbot, dialog.user_edit, TENANCY)
    assert "tenancy OCID" in _visible_error(dialog.user_error)
    _type(qtbot, dialog.user_edit, USER)
    assert not _visible_error(dialog.user_error)
    _type(qtbot, dialog.tenancy_edit, TENANCY)
    assert not _visible_error(dialog.tenancy_error)
    dialog.region_combo.setCurrentIndex(dialog.region_combo.findData("eu-frankfurt-1"))
    assert dialog.region_combo.currentText() == "eu-frankfurt-1 (FRA)"  # the SDK's identifier and key

    # nothing to save yet: no key
    assert dialog.save() is False
    assert "Generate a key pair" in _visible_error(dialog.key_error)
    assert not cfg.exists()

    # mismatched confirmation, then a passphrase-protected pair
    assert dialog.generate_radio.isChecked()
    _type(qtbot, dialog.new_passphrase_edit, "correct horse")
    _type(qtbot, dialog.confirm_passphrase_edit, "correct hose")
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert "do not match" in _visible_error(dialog.confirm_error)
    assert not (cfg.parent / "oci_api_key.pem").exists()
    _type(qtbot, dialog.confirm_passphrase_edit, "correct horse")
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)

    priv, pub = cfg.parent / "oci_api_key.pem", cfg.parent / "oci_api_key_public.pem"
    assert priv.is_file() and stat.S_IMODE(priv.stat().st_mode) == 0o600
    assert C.key_needs_passphrase(str(priv))
    key = C.load_private_key(str(priv), "correct horse")
    assert dialog.fingerprint_edit.isReadOnly()
    assert dialog.fingerprint_edit.text() == C.fingerprint_of_key(key)
    shown = dialog.public_key_view.text()
    assert shown == pub.read_text() and shown.startswith("-----BEGIN PUBLIC KEY-----")
    assert "PRIVATE" not in shown
    assert dialog.public_panel.isVisibleTo(dialog)
    assert "API keys" in dialog.public_instructions.text() and "User settings" in dialog.public_instructions.text()
    qtbot.mouseClick(dialog.public_key_view.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == shown
    assert not cfg.exists()  # nothing written to the config before Save

    assert dialog.remember_check.isVisibleTo(dialog) and dialog.remember_check.isEnabled()
    dialog.remember_check.setChecked(True)
    _type(qtbot, dialog.name_edit, "WORK")
    with qtbot.waitSignal(dialog.chosen, timeout=2000) as sig:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    choice = sig.args[0]
    assert (choice.kind, choice.config_path, choice.profile) == ("profile", str(cfg), "WORK")
    assert choice.passphrase == "correct horse" and "correct horse" not in repr(choice)
    assert dialog.result() == QDialog.DialogCode.Accepted

    text = cfg.read_text()
    assert "correct horse" not in text and "pass_phrase" not in text
    cp = configparser.ConfigParser(interpolation=None)
    cp.read(cfg)
    assert dict(cp["WORK"]) == {"user": USER, "fingerprint": C.fingerprint_of_key(key), "tenancy": TENANCY,
                                "region": "eu-frankfurt-1", "key_file": str(priv.resolve())}
    C.check_profile(C.find_profile(cfg, "WORK"))
    assert secrets.get_passphrase(str(cfg), "WORK") == "correct horse"


def test_create_profile_refuses_bad_input_and_keeps_it(qtbot, dialog, tmp_path):
    dialog.start_create()
    cfg = tmp_path / "config"
    dialog.config_edit.setText(str(cfg))
    _type(qtbot, dialog.user_edit, "ocid1.user.oc1..")
    qtbot.keyClick(dialog.user_edit, Qt.Key.Key_Tab)  # leaving the field checks the whole OCID
    assert "incomplete" in _visible_error(dialog.user_error)
    dialog.generate_keys()  # an unprotected pair
    assert dialog.fingerprint_edit.text()
    assert not dialog.remember_check.isVisibleTo(dialog)  # nothing to remember
    assert dialog.save() is False
    assert "Required" in _visible_error(dialog.tenancy_error)
    assert "marked in red" in _visible_error(dialog.save_error)
    assert not cfg.exists()
    assert dialog.user_edit.text() == "ocid1.user.oc1.."  # nothing typed is lost
    _type(qtbot, dialog.user_edit, USER)
    _type(qtbot, dialog.tenancy_edit, TENANCY)
    assert not _visible_error(dialog.save_error)
    with qtbot.waitSignal(dialog.chosen, timeout=2000) as sig:
        assert dialog.save() is True
    assert sig.args[0] == FirstRunChoice("profile", str(cfg), "DEFAULT")
    assert sig.args[0].passphrase is None
    assert C.find_profile(cfg, "DEFAULT").region == "us-ashburn-1"


def test_existing_key_file_fingerprint_and_errors(qtbot, dialog, tmp_path):
    dialog.start_create()
    priv, pub, fp = C.generate_key_pair(tmp_path / "keys", passphrase="pw")
    plain, _p, plain_fp = C.generate_key_pair(tmp_path / "keys", name="plain")
    (tmp_path / "junk.pem").write_text("hello")
    radio = dialog.existing_radio
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))  # on its indicator
    assert dialog.existing_radio.isChecked() and not dialog.generate_panel.isEnabled()

    def choose(path) -> str:
        _type(qtbot, dialog.key_edit, str(path))
        dialog.refresh_existing_key()  # what editingFinished / the short typing pause trigger
        return _visible_error(dialog.key_error)

    assert "does not exist" in choose(tmp_path / "nope.pem")
    assert "not a PEM private key" in choose(tmp_path / "junk.pem")
    assert "public key" in choose(pub)
    assert "protected by a passphrase" in choose(priv) and not dialog.fingerprint_edit.text()
    _type(qtbot, dialog.key_passphrase_edit, "wrong")
    dialog.refresh_existing_key()
    assert "Wrong passphrase" in _visible_error(dialog.key_error)
    _type(qtbot, dialog.key_passphrase_edit, "pw")
    qtbot.waitUntil(lambda: dialog.fingerprint_edit.text() == fp, timeout=2000)  # after the typing pause
    assert not _visible_error(dialog.key_error) and dialog.public_key_view.text() == pub.read_text()
    assert choose(plain) == "" and dialog.fingerprint_edit.text() == plain_fp
    assert not dialog.key_passphrase_edit.isEnabled()


def test_existing_profile_name_is_flagged_and_broken_file_untouched(qtbot, dialog, tmp_path):
    dialog.start_create()
    cfg = tmp_path / "config"
    cfg.write_text(f"[WORK]\nuser = {USER}\n")
    _type(qtbot, dialog.config_edit, str(cfg))
    _type(qtbot, dialog.name_edit, "WORK")
    assert "saving replaces it" in dialog.name_note.text() and dialog.name_note.isVisibleTo(dialog)
    _type(qtbot, dialog.name_edit, "[bad]")
    assert "[ or ]" in _visible_error(dialog.name_error)

    broken = tmp_path / "broken"
    broken.write_text("no header\n")
    _type(qtbot, dialog.config_edit, str(broken))
    assert "cannot be parsed" in _visible_error(dialog.config_error)
    _type(qtbot, dialog.name_edit, "OK")
    _type(qtbot, dialog.user_edit, USER)
    _type(qtbot, dialog.tenancy_edit, TENANCY)
    dialog.generate_keys()
    assert dialog.save() is False
    assert broken.read_text() == "no header\n"
