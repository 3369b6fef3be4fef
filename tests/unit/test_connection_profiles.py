"""End to end, no Qt: profiles written by core.config sign real SDK calls against a fresh emulator.

API key (plain and passphrase-protected) uploaded for the emulator's admin user through the SDK,
and a session-token profile (token issued by the emulator), each through connection_from_profile.
"""

from __future__ import annotations

import dataclasses
import time

import oci
import pytest

from ociconsole.core import config as C
from ociconsole.core.connection import ClientFactory, connection_from_profile
from ociconsole.core.errors import OciError


def _admin_identity(emu):
    return oci.identity.IdentityClient(emu.client_config(), service_endpoint=emu.endpoint("identity"),
                                       retry_strategy=oci.retry.NoneRetryStrategy())


def _upload(emu, public_pem: str) -> str:
    key = _admin_identity(emu).upload_api_key(emu.admin_user_id, oci.identity.models.CreateApiKeyDetails(
        key=public_pem)).data
    return key.fingerprint


def _identity(conn, emu):
    """The console's own client factory, pointed at the emulator."""
    return ClientFactory(dataclasses.replace(conn, emulator_url=emu.base_url)).get("identity")


def test_api_key_profile_signs_sdk_calls(emulator, tmp_path):
    priv, pub, fp = C.generate_key_pair(tmp_path / "keys")
    assert _upload(emulator, pub.read_text()) == fp
    cfg = tmp_path / "config"
    C.write_api_key_profile(cfg, "E2E", user=emulator.admin_user_id, tenancy=emulator.tenancy_id,
                            region="us-ashburn-1", key_file=str(priv))
    conn = connection_from_profile(C.find_profile(cfg, "E2E"))
    assert conn.label == "E2E" and conn.region == "us-ashburn-1" and not conn.is_demo
    user = _identity(conn, emulator).get_user(emulator.admin_user_id).data
    assert user.id == emulator.admin_user_id


def test_a_profile_s_key_is_loaded_and_checked_once(emulator, tmp_path, monkeypatch):
    """Connecting loads the key file once (OpenSSL's RSA check, ~50 ms a 2048-bit key, on the GUI thread): the
    SDK's signer gets the key object, not a PEM to load and check again. It still signs what OCI accepts."""
    from cryptography.hazmat.primitives import serialization
    priv, pub, _fp = C.generate_key_pair(tmp_path / "keys")
    _upload(emulator, pub.read_text())
    cfg = tmp_path / "config"
    C.write_api_key_profile(cfg, "ONCE", user=emulator.admin_user_id, tenancy=emulator.tenancy_id,
                            region="us-ashburn-1", key_file=str(priv))
    profile = C.find_profile(cfg, "ONCE")
    loads = []
    real = serialization.load_pem_private_key

    def counted(*a, **kw):
        loads.append(kw.get("unsafe_skip_rsa_key_validation", False))
        return real(*a, **kw)
    monkeypatch.setattr(serialization, "load_pem_private_key", counted)
    conn = connection_from_profile(profile)
    assert loads == [False]  # once, checked
    monkeypatch.undo()
    assert _identity(conn, emulator).get_user(emulator.admin_user_id).data.id == emulator.admin_user_id


def test_a_key_not_uploaded_is_refused(emulator, tmp_path):
    priv, _pub, _fp = C.generate_key_pair(tmp_path / "keys")
    cfg = tmp_path / "config"
    C.write_api_key_profile(cfg, "STRANGER", user=emulator.admin_user_id, tenancy=emulator.tenancy_id,
                            region="us-ashburn-1", key_file=str(priv))
    conn = connection_from_profile(C.find_profile(cfg, "STRANGER"))
    with pytest.raises(oci.exceptions.ServiceError) as e:
        _identity(conn, emulator).get_user(emulator.admin_user_id)
    assert e.value.status == 401


def test_encrypted_key_needs_the_right_passphrase(emulator, tmp_path):
    priv, pub, _fp = C.generate_key_pair(tmp_path / "keys", passphrase="open sesame")
    _upload(emulator, pub.read_text())
    cfg = tmp_path / "config"
    C.write_api_key_profile(cfg, "ENC", user=emulator.admin_user_id, tenancy=emulator.tenancy_id,
                            region="us-ashburn-1", key_file=str(priv), passphrase="open sesame")
    profile = C.find_profile(cfg, "ENC")
    assert C.key_needs_passphrase(profile.key_file)
    for wrong, code in ((None, "MissingPassphrase"), ("open says me", "WrongPassphrase")):
        with pytest.raises(OciError) as e:
            connection_from_profile(profile, passphrase=wrong)
        assert (e.value.code, e.value.kind) == (code, "auth")
    conn = connection_from_profile(profile, passphrase="open sesame")
    comps = _identity(conn, emulator).list_compartments(emulator.tenancy_id).data
    assert isinstance(comps, list)


def _session_profile(emu, tmp_path, ttl: float) -> C.Profile:
    priv, pub, _fp = C.generate_key_pair(tmp_path / "session", name=f"key{int(ttl)}")
    token = emu.issue_session_token(pub.read_text(), ttl=ttl)
    token_file = tmp_path / "session" / f"token{int(ttl)}"
    token_file.write_text(token)
    cfg = tmp_path / "config"
    cfg.write_text(f"[DEFAULT]\nregion = us-ashburn-1\n\n[SESSION]\ntenancy = {emu.tenancy_id}\n"
                   f"key_file = {priv}\nsecurity_token_file = {token_file}\n")
    return C.find_profile(cfg, "SESSION")


def test_session_token_profile_signs_sdk_calls(emulator, tmp_path):
    profile = _session_profile(emulator, tmp_path, ttl=3600)
    assert profile.kind == "session_token" and profile.region == "us-ashburn-1"  # region inherited from DEFAULT
    exp = profile.token_expiry()
    assert exp is not None and C.token_expiry_text(exp).startswith("expires in")
    conn = connection_from_profile(profile)
    tenancy = _identity(conn, emulator).get_tenancy(emulator.tenancy_id).data
    assert tenancy.id == emulator.tenancy_id


def test_expired_session_token_fails_before_any_request(emulator, tmp_path):
    profile = _session_profile(emulator, tmp_path, ttl=-60)
    assert profile.token_expiry() < time.time()
    assert C.token_expiry_text(profile.token_expiry()) == "expired"
    before = emulator.core.stats["requests"]
    with pytest.raises(OciError) as e:
        connection_from_profile(profile)
    assert (e.value.kind, e.value.code) == ("auth", "SessionExpired")
    assert "oci session" in e.value.message and "SESSION" in e.value.message
    assert emulator.core.stats["requests"] == before


def test_pass_phrase_in_the_config_file_is_used_like_the_cli(emulator, tmp_path):
    priv, pub, _fp = C.generate_key_pair(tmp_path / "keys", passphrase="in the file")
    _upload(emulator, pub.read_text())
    cfg = tmp_path / "config"
    C.write_api_key_profile(cfg, "CLI", user=emulator.admin_user_id, tenancy=emulator.tenancy_id,
                            region="us-ashburn-1", key_file=str(priv), passphrase="in the file")
    cfg.write_text(cfg.read_text().replace("[CLI]", "[CLI]\npass_phrase = in the file"))
    profile = C.find_profile(cfg, "CLI")
    assert profile.has_pass_phrase and C.pass_phrase_in_file(profile) == "in the file"
    conn = connection_from_profile(profile)
    assert _identity(conn, emulator).get_user(emulator.admin_user_id).data.id == emulator.admin_user_id
