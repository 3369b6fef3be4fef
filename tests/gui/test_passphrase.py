"""The passphrase dialog and resolve_passphrase, with an in-memory keyring (or none at all)."""

from __future__ import annotations

import pytest
from keyring.backends import fail

from ociconsole.core import config as C
from ociconsole.core import secrets
from ociconsole.gui.passphrase import NO_KEYRING, PassphraseDialog, resolve_passphrase
from ociconsole.gui.qt import QDialog, Qt

from ..unit.keyrings import MemoryKeyring, using_keyring

USER = "ocid1.user.oc1..aaaaaaaa2222222222222222"
TENANCY = "ocid1.tenancy.oc1..aaaaaaaa3333333333333333"


@pytest.fixture
def memory_keyring():
    with using_keyring(MemoryKeyring()) as kr:
        yield kr


@pytest.fixture
def profile(tmp_path):
    """A profile whose key is protected by the passphrase 'right one'."""
    priv, _pub, _fp = C.generate_key_pair(tmp_path / "keys", passphrase="right one")
    return C.write_api_key_profile(tmp_path / "config", "ENC", user=USER, tenancy=TENANCY, region="us-ashburn-1",
                                   key_file=str(priv), passphrase="right one")


def _dialog(qtbot, profile) -> PassphraseDialog:
    dlg = PassphraseDialog(profile)
    qtbot.addWidget(dlg)
    dlg.open()
    qtbot.waitExposed(dlg)
    return dlg


def _submit(qtbot, dlg, text: str) -> None:
    dlg.passphrase_edit.clear()
    qtbot.keyClicks(dlg.passphrase_edit, text)
    qtbot.keyClick(dlg.passphrase_edit, Qt.Key.Key_Return)  # Unlock is the default button


def test_wrong_then_right_passphrase_remembered(qtbot, memory_keyring, profile):
    dlg = _dialog(qtbot, profile)
    assert dlg.passphrase_edit.echoMode() == dlg.passphrase_edit.EchoMode.Password
    assert dlg.remember_check.isEnabled() and not dlg.keyring_note.isVisibleTo(dlg)
    assert profile.key_file in dlg.key_label.text() and "\u201cENC\u201d" in dlg.heading.text()

    with qtbot.assertNotEmitted(dlg.accepted_passphrase):
        for attempt in ("wrong", "still wrong", "Right One"):  # no limit on retries
            _submit(qtbot, dlg, attempt)
            assert dlg.isVisible()
            assert dlg.error_label.isVisibleTo(dlg) and dlg.error_label.text().startswith("Wrong passphrase")
            assert dlg.passphrase_edit.selectedText() == attempt  # ready to be typed over
        _submit(qtbot, dlg, "")
        assert "Enter the passphrase" in dlg.error_label.text()
    assert dlg.attempts == 3

    qtbot.mouseClick(dlg.remember_check, Qt.MouseButton.LeftButton)
    assert dlg.remember_check.isChecked()
    with qtbot.waitSignal(dlg.accepted_passphrase, timeout=2000) as sig:
        _submit(qtbot, dlg, "right one")
    assert sig.args == ["right one"]
    assert dlg.result() == QDialog.DialogCode.Accepted and not dlg.isVisible()
    assert dlg.passphrase_edit.text() == ""
    assert secrets.get_passphrase(profile.path, "ENC") == "right one"
    assert list(memory_keyring.passwords.values()) == ["right one"]


def test_not_remembered_unless_asked(qtbot, memory_keyring, profile):
    dlg = _dialog(qtbot, profile)
    with qtbot.waitSignal(dlg.accepted_passphrase, timeout=2000):
        _submit(qtbot, dlg, "right one")
    assert memory_keyring.passwords == {}


def test_without_a_keyring_the_dialog_says_so(qtbot, profile):
    with using_keyring(fail.Keyring()):
        assert not secrets.available()
        dlg = _dialog(qtbot, profile)
        assert not dlg.remember_check.isEnabled()
        assert dlg.keyring_note.isVisibleTo(dlg)
        assert dlg.keyring_note.text() == NO_KEYRING
        assert NO_KEYRING == "No system keyring is available: you will be asked each session."
        with qtbot.waitSignal(dlg.accepted_passphrase, timeout=2000) as sig:
            _submit(qtbot, dlg, "right one")
        assert sig.args == ["right one"]


def test_cancel(qtbot, memory_keyring, profile):
    dlg = _dialog(qtbot, profile)
    with qtbot.assertNotEmitted(dlg.accepted_passphrase):
        qtbot.keyClick(dlg.passphrase_edit, Qt.Key.Key_Escape)
    assert dlg.result() == QDialog.DialogCode.Rejected


def test_a_missing_key_file_is_said_inline(qtbot, memory_keyring, profile, tmp_path):
    gone = C.Profile(**{**profile.__dict__, "key_file": str(tmp_path / "gone.pem")})
    dlg = _dialog(qtbot, gone)
    _submit(qtbot, dlg, "anything")
    assert dlg.isVisible() and "does not exist" in dlg.error_label.text()


# ------------------------------------------------------------------ resolve_passphrase

def test_resolve_uses_a_remembered_passphrase(memory_keyring, profile):
    assert resolve_passphrase(profile) is None
    secrets.set_passphrase(profile.path, profile.name, "right one")
    assert resolve_passphrase(profile) == "right one"


def test_resolve_forgets_a_passphrase_that_no_longer_opens_the_key(memory_keyring, profile):
    secrets.set_passphrase(profile.path, profile.name, "the old one")
    assert resolve_passphrase(profile) is None
    assert secrets.get_passphrase(profile.path, profile.name) is None


def test_resolve_keeps_it_while_the_key_file_is_missing(memory_keyring, profile, tmp_path):
    secrets.set_passphrase(profile.path, profile.name, "right one")
    gone = C.Profile(**{**profile.__dict__, "key_file": str(tmp_path / "gone.pem")})
    assert resolve_passphrase(gone) is None
    assert secrets.get_passphrase(profile.path, profile.name) == "right one"


def test_resolve_reads_a_pass_phrase_in_the_config_file(memory_keyring, profile, tmp_path):
    cfg = tmp_path / "config"
    cfg.write_text(cfg.read_text().replace("[ENC]", "[ENC]\npass_phrase = right one"))
    p = C.find_profile(cfg, "ENC")
    assert p.has_pass_phrase
    assert resolve_passphrase(p) == "right one"


def test_resolve_is_none_for_an_unprotected_key(memory_keyring, tmp_path):
    priv, _pub, _fp = C.generate_key_pair(tmp_path / "keys")
    p = C.write_api_key_profile(tmp_path / "config", "PLAIN", user=USER, tenancy=TENANCY, region="us-ashburn-1",
                                key_file=str(priv))
    secrets.set_passphrase(p.path, p.name, "stale")
    assert resolve_passphrase(p) is None
    assert memory_keyring.passwords == {}


def test_resolve_without_a_keyring(profile):
    with using_keyring(fail.Keyring()):
        assert resolve_passphrase(profile) is None
