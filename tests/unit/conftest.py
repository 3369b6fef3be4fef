"""Unit-test fixtures: no Qt; the environment and keyring are isolated from the developer's."""

from __future__ import annotations

import pytest
from keyring.backends import fail

from .keyrings import MemoryKeyring, using_keyring


@pytest.fixture(autouse=True)
def clean_oci_env(monkeypatch, tmp_path):
    """No OCI_* variable of the developer's leaks in; ~ is a temp dir."""
    for var in ("OCI_CLI_CONFIG_FILE", "OCI_CONFIG_FILE", "OCI_CLI_PROFILE", "OCI_CLI_REGION"):
        monkeypatch.delenv(var, raising=False)
    home = tmp_path / "userhome"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def memory_keyring():
    with using_keyring(MemoryKeyring()) as kr:
        yield kr


@pytest.fixture
def no_keyring():
    with using_keyring(fail.Keyring()) as kr:
        yield kr
