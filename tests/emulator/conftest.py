"""Fixtures of the emulator suite (the `emulator` and `oci_config` fixtures live in tests/conftest.py)."""

from __future__ import annotations

import pytest

from .helpers import Clients, make_net, signed_session


@pytest.fixture
def clients(emulator, oci_config) -> Clients:
    return Clients(emulator, oci_config)


@pytest.fixture
def raw(oci_config):
    """A signed `requests` session, for requests the SDK would not send (malformed bodies, bad enums)."""
    s = signed_session(oci_config)
    yield s
    s.close()


@pytest.fixture
def net(clients):
    """A fresh compartment with an AVAILABLE VCN, a public subnet, and launchable images."""
    return make_net(clients)
