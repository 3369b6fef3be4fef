"""A user's credentials through the real SDK, with OCI's limits: auth tokens, customer secret keys, SMTP
credentials and Swift passwords (two each, the secret shown once), OAuth 2.0 client credentials (scopes),
DB credentials (password rules), the console password, capabilities, and MFA TOTP devices activated with
a real RFC 6238 code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct

import oci
import pytest

from .helpers import IM, unique


@pytest.fixture
def user(clients):
    return clients.identity.create_user(IM.CreateUserDetails(
        compartment_id=clients.tenancy, name=unique("cred-user"), description="credentials test",
        email="cred@example.com")).data


def _error(fn, *a) -> oci.exceptions.ServiceError:
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fn(*a)
    return e.value


def test_auth_tokens_limit_and_token_shown_once(clients, user):
    idc = clients.identity
    t1 = idc.create_auth_token(IM.CreateAuthTokenDetails(description="docker"), user.id).data
    assert t1.token and len(t1.token) == 20 and t1.lifecycle_state == "ACTIVE" and t1.user_id == user.id
    t2 = idc.create_auth_token(IM.CreateAuthTokenDetails(description="git"), user.id).data
    e = _error(idc.create_auth_token, IM.CreateAuthTokenDetails(description="third"), user.id)
    assert (e.status, e.code) == (409, "LimitExceeded") and "(2)" in e.message
    listed = idc.list_auth_tokens(user.id).data
    assert {t.id for t in listed} == {t1.id, t2.id} and all(t.token is None for t in listed)
    assert idc.update_auth_token(user.id, t1.id, IM.UpdateAuthTokenDetails(description="registry")).data \
        .description == "registry"
    other = idc.list_users(clients.tenancy).data[0]
    assert _error(idc.update_auth_token, other.id, t1.id, IM.UpdateAuthTokenDetails(description="x")).status == 404
    idc.delete_auth_token(user.id, t2.id)
    assert [t.id for t in idc.list_auth_tokens(user.id).data] == [t1.id]
    assert idc.create_auth_token(IM.CreateAuthTokenDetails(description="again"), user.id).data.token
    assert _error(idc.create_auth_token, IM.CreateAuthTokenDetails(description="x"), "ocid1.user.oc1..nope").status \
        == 404


def test_customer_secret_keys(clients, user):
    idc = clients.identity
    k = idc.create_customer_secret_key(IM.CreateCustomerSecretKeyDetails(display_name="s3-sync"), user.id).data
    assert len(k.id) == 40 and k.key and k.display_name == "s3-sync"
    idc.create_customer_secret_key(IM.CreateCustomerSecretKeyDetails(display_name="backup"), user.id)
    assert _error(idc.create_customer_secret_key, IM.CreateCustomerSecretKeyDetails(display_name="3"),
                  user.id).status == 409
    assert len(idc.list_customer_secret_keys(user.id).data) == 2
    upd = idc.update_customer_secret_key(user.id, k.id, IM.UpdateCustomerSecretKeyDetails(display_name="s3")).data
    assert upd.display_name == "s3"
    idc.delete_customer_secret_key(user.id, k.id)
    assert k.id not in [x.id for x in idc.list_customer_secret_keys(user.id).data]


def test_smtp_credentials_and_swift_passwords(clients, user):
    idc = clients.identity
    s = idc.create_smtp_credential(IM.CreateSmtpCredentialDetails(description="mailer"), user.id).data
    assert s.username.startswith(user.id + "@") and s.password
    assert [x.username for x in idc.list_smtp_credentials(user.id).data] == [s.username]
    assert idc.update_smtp_credential(user.id, s.id, IM.UpdateSmtpCredentialDetails(description="m2")).data \
        .description == "m2"
    idc.create_smtp_credential(IM.CreateSmtpCredentialDetails(description="2"), user.id)
    assert _error(idc.create_smtp_credential, IM.CreateSmtpCredentialDetails(description="3"), user.id).status == 409
    idc.delete_smtp_credential(user.id, s.id)

    w = idc.create_swift_password(IM.CreateSwiftPasswordDetails(description="swift"), user.id).data
    assert w.password and [x.id for x in idc.list_swift_passwords(user.id).data] == [w.id]
    assert idc.update_swift_password(user.id, w.id, IM.UpdateSwiftPasswordDetails(description="sw")).data \
        .description == "sw"
    idc.delete_swift_password(user.id, w.id)
    assert idc.list_swift_passwords(user.id).data == []


def test_oauth_client_credentials(clients, user):
    idc = clients.identity
    scope = IM.FullyQualifiedScope(audience="https://objectstorage.example", scope="urn:opc:resource:consumer::all")
    cred = idc.create_o_auth_client_credential(user.id, IM.CreateOAuth2ClientCredentialDetails(
        name="ci-client", description="CI", scopes=[scope])).data
    assert cred.password and cred.scopes[0].audience == "https://objectstorage.example"
    assert cred.compartment_id == clients.tenancy
    listed = idc.list_o_auth_client_credentials(user.id).data
    assert [c.name for c in listed] == ["ci-client"]
    same = idc.update_o_auth_client_credential(user.id, cred.id, IM.UpdateOAuth2ClientCredentialDetails(
        description="CI pipeline", scopes=[scope], is_reset_password=False)).data
    assert same.description == "CI pipeline" and same.password is None
    reset = idc.update_o_auth_client_credential(user.id, cred.id, IM.UpdateOAuth2ClientCredentialDetails(
        description="CI pipeline", scopes=[scope], is_reset_password=True)).data
    assert reset.password and reset.password != cred.password
    e = _error(idc.create_o_auth_client_credential, user.id, IM.CreateOAuth2ClientCredentialDetails(
        name="bad", description="x", scopes=[]))
    assert e.status == 400 and "scope" in e.message
    idc.delete_o_auth_client_credential(user.id, cred.id)
    assert idc.list_o_auth_client_credentials(user.id).data == []


@pytest.mark.parametrize("password, words", [
    ("Short1#", "14 to 32"), ("alllowercase123#xyz", "uppercase"), ("NoDigitsHere#Abcdef", "digit"),
    ("NoSpecial1234Abcd", "special"), ("Has\"Quote1234Abcd", "double quotes"),
])
def test_db_credential_password_rules(clients, user, password, words):
    e = _error(clients.identity.create_db_credential,
               IM.CreateDbCredentialDetails(password=password, description="db"), user.id)
    assert e.status == 400 and words in e.message


def test_db_credentials(clients, user):
    idc = clients.identity
    d = idc.create_db_credential(IM.CreateDbCredentialDetails(password="Str0ng#Password!", description="adb"),
                                 user.id).data
    assert d.lifecycle_state == "ACTIVE"
    assert [(x.id, x.description) for x in idc.list_db_credentials(user.id).data] == [(d.id, "adb")]
    idc.delete_db_credential(user.id, d.id)
    assert idc.list_db_credentials(user.id).data == []


def test_console_password_and_capabilities(clients, user):
    idc = clients.identity
    assert _error(idc.get_user_ui_password_information, user.id).status == 404
    pw = idc.create_or_reset_ui_password(user.id).data
    assert len(pw.password) >= 16 and pw.lifecycle_state == "ACTIVE"
    assert any(c.isupper() for c in pw.password) and any(c.isdigit() for c in pw.password)
    info = idc.get_user_ui_password_information(user.id).data
    assert info.user_id == user.id and info.lifecycle_state == "ACTIVE"

    u = idc.update_user_capabilities(user.id, IM.UpdateUserCapabilitiesDetails(
        can_use_auth_tokens=False, can_use_db_credentials=False)).data
    assert u.capabilities.can_use_auth_tokens is False and u.capabilities.can_use_db_credentials is False
    assert u.capabilities.can_use_api_keys is True
    e = _error(idc.create_auth_token, IM.CreateAuthTokenDetails(description="x"), user.id)
    assert e.status == 400 and "canUseAuthTokens" in e.message
    e = _error(idc.create_db_credential, IM.CreateDbCredentialDetails(password="Str0ng#Password!", description="x"),
               user.id)
    assert e.status == 400 and "canUseDbCredentials" in e.message


def _totp(seed: str, at: float) -> str:
    key = base64.b32decode(seed + "=" * (-len(seed) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(at // 30)), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    return str((struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1_000_000).zfill(6)


def test_mfa_totp_device(emulator, clients, user):
    idc = clients.identity
    dev = idc.create_mfa_totp_device(user.id).data
    assert dev.seed and dev.is_activated is False and dev.lifecycle_state == "INACTIVE"
    assert _error(idc.create_mfa_totp_device, user.id).status == 409  # one device per user
    seed = idc.generate_totp_seed(user.id, dev.id).data.seed
    assert seed != dev.seed
    now = emulator.core.clock.now()
    e = _error(idc.activate_mfa_totp_device, user.id, dev.id, IM.MfaTotpToken(totp_token=_totp(dev.seed, now - 600)))
    assert e.status == 401
    assert _error(idc.activate_mfa_totp_device, user.id, dev.id, IM.MfaTotpToken(totp_token="12ab")).status == 400
    act = idc.activate_mfa_totp_device(user.id, dev.id, IM.MfaTotpToken(totp_token=_totp(seed, now))).data
    assert act.is_activated and act.lifecycle_state == "ACTIVE"
    assert idc.get_user(user.id).data.is_mfa_activated is True
    got = idc.get_mfa_totp_device(user.id, dev.id).data
    assert got.is_activated and [d.id for d in idc.list_mfa_totp_devices(user.id).data] == [dev.id]
    assert _error(idc.generate_totp_seed, user.id, dev.id).status == 409
    idc.delete_mfa_totp_device(user.id, dev.id)
    assert idc.get_user(user.id).data.is_mfa_activated is False
    assert idc.list_mfa_totp_devices(user.id).data == []


def test_deleting_a_user_deletes_its_credentials(clients, user):
    idc = clients.identity
    idc.create_auth_token(IM.CreateAuthTokenDetails(description="t"), user.id)
    idc.delete_user(user.id)
    assert _error(idc.list_auth_tokens, user.id).status == 404
