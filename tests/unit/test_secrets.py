"""core.secrets: passphrases in the keyring (an in-memory backend here), and no keyring at all."""

from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend

from ociconsole.core import secrets

from .keyrings import MemoryKeyring, using_keyring


def test_set_get_forget(memory_keyring):
    assert secrets.available()
    assert secrets.get_passphrase("/cfg", "P") is None
    assert secrets.set_passphrase("/cfg", "P", "s3cret") is True
    assert secrets.get_passphrase("/cfg", "P") == "s3cret"
    assert secrets.get_passphrase("/cfg", "OTHER") is None
    assert secrets.get_passphrase("/other-cfg", "P") is None
    assert memory_keyring.passwords == {(secrets.SERVICE, "passphrase:/cfg:P"): "s3cret"}
    secrets.forget_passphrase("/cfg", "P")
    assert secrets.get_passphrase("/cfg", "P") is None
    secrets.forget_passphrase("/cfg", "P")  # forgetting twice is fine


def test_fixture_restores_the_previous_keyring():
    before = keyring.get_keyring()
    with using_keyring(MemoryKeyring()) as kr:
        assert keyring.get_keyring() is kr
    assert keyring.get_keyring() is before


def test_fail_keyring_is_not_available(no_keyring):
    assert secrets.available() is False
    assert secrets.set_passphrase("/cfg", "P", "x") is False
    assert secrets.get_passphrase("/cfg", "P") is None
    secrets.forget_passphrase("/cfg", "P")


class _Broken(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service, username):
        raise RuntimeError("locked")

    def set_password(self, service, username, password):
        raise RuntimeError("locked")

    def delete_password(self, service, username):
        raise RuntimeError("locked")


def test_a_failing_backend_degrades_quietly(caplog):
    with using_keyring(_Broken()):
        assert secrets.available()
        assert secrets.set_passphrase("/cfg", "P", "never-logged") is False
        assert secrets.get_passphrase("/cfg", "P") is None
        secrets.forget_passphrase("/cfg", "P")
    assert "never-logged" not in caplog.text
    assert "keyring write failed" in caplog.text


@pytest.mark.parametrize("priority, expected", [(0, False), (-1, False), (0.5, True)])
def test_priority_decides_availability(priority, expected):
    class Backend(MemoryKeyring):
        pass
    Backend.priority = priority  # type: ignore[assignment]
    with using_keyring(Backend()):
        assert secrets.available() is expected
