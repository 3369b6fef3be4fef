"""Request authentication: draft-cavage signatures over API keys, and emulator-issued session tokens."""

from __future__ import annotations

import base64
import json
import time
from email.utils import formatdate

import oci
import pytest
from oci._vendor import requests

from ociconsole.emulator import auth as emu_auth

from .helpers import IM, NO_RETRY, Clients, signer_for

COMPARTMENTS = "/identity/20160918/compartments"


def _unauthenticated(resp) -> str:
    assert resp.status_code == 401, resp.text
    assert resp.json()["code"] == "NotAuthenticated"
    return resp.json()["message"]


def _list(emulator, oci_config, **kw):
    return requests.get(emulator.base_url + COMPARTMENTS, params={"compartmentId": oci_config["tenancy"]}, **kw)


def _new_key(tmp_path, name: str):
    key = emu_auth.generate_private_key()
    path = tmp_path / f"{name}.pem"
    path.write_bytes(emu_auth.private_pem(key))
    return key, str(path)


def test_signed_request_is_accepted(emulator, oci_config):
    r = _list(emulator, oci_config, auth=signer_for(oci_config))
    assert r.status_code == 200 and len(r.json()) == 5


def test_unsigned_request_is_401(emulator, oci_config):
    assert "authentication" in _unauthenticated(_list(emulator, oci_config))
    r = _list(emulator, oci_config, headers={"authorization": "Bearer abc"})
    assert "scheme" in _unauthenticated(r)


def test_unknown_key_id_is_401(emulator, oci_config, tmp_path):
    _key, path = _new_key(tmp_path, "stranger")
    stranger = oci.signer.Signer(oci_config["tenancy"], oci_config["user"],
                                 "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff", path)
    assert "unknown" in _unauthenticated(_list(emulator, oci_config, auth=stranger))
    # the admin's real fingerprint, but signed with another key
    impostor = oci.signer.Signer(oci_config["tenancy"], oci_config["user"], oci_config["fingerprint"], path)
    assert "signature" in _unauthenticated(_list(emulator, oci_config, auth=impostor))
    # the right key, another tenancy
    other = oci.signer.Signer("ocid1.tenancy.oc1..other", oci_config["user"], oci_config["fingerprint"],
                              oci_config["key_file"])
    _unauthenticated(_list(emulator, oci_config, auth=other))


def test_tampered_body_is_401_and_changes_nothing(emulator, oci_config, raw, clients):
    body = {"compartmentId": oci_config["tenancy"], "name": "honest", "description": "d"}
    prepared = raw.prepare_request(requests.Request("POST", emulator.base_url + COMPARTMENTS, json=body))
    prepared.body = prepared.body.replace(b"honest", b"forged")  # same length, other content
    assert "x-content-sha256" in _unauthenticated(raw.send(prepared))
    names = {c.name for c in clients.identity.list_compartments(clients.tenancy).data}
    assert "forged" not in names and "honest" not in names


def test_tampered_signature_is_401(emulator, oci_config, raw):
    prepared = raw.prepare_request(requests.Request("GET", emulator.base_url + COMPARTMENTS,
                                                    params={"compartmentId": oci_config["tenancy"]}))
    auth = prepared.headers["authorization"]
    sig = auth.split('signature="')[1].split('"')[0]
    flipped = base64.b64encode(bytes([base64.b64decode(sig)[0] ^ 1]) + base64.b64decode(sig)[1:]).decode()
    prepared.headers["authorization"] = auth.replace(sig, flipped)
    assert "signature" in _unauthenticated(raw.send(prepared))


def test_tampered_target_is_401(emulator, oci_config, raw):
    """A signature covers the request target: replaying it on another URL fails."""
    prepared = raw.prepare_request(requests.Request("GET", emulator.base_url + COMPARTMENTS,
                                                    params={"compartmentId": oci_config["tenancy"]}))
    prepared.url = prepared.url + "&limit=1"
    _unauthenticated(raw.send(prepared))


@pytest.mark.parametrize("skew", [-600, 600])
def test_stale_or_future_date_is_401(emulator, oci_config, raw, skew):
    """The signer signs whatever date header it is given; the emulator allows 5 minutes of skew."""
    stale = formatdate(time.time() + skew, usegmt=True)
    r = raw.get(emulator.base_url + COMPARTMENTS, params={"compartmentId": oci_config["tenancy"]},
                headers={"date": stale})
    assert "5 minutes" in _unauthenticated(r)
    ok = raw.get(emulator.base_url + COMPARTMENTS, params={"compartmentId": oci_config["tenancy"]},
                 headers={"date": formatdate(time.time() - 120, usegmt=True)})
    assert ok.status_code == 200


def test_deleted_api_key_stops_working(emulator, oci_config, clients, tmp_path):
    key, path = _new_key(tmp_path, "second")
    uploaded = clients.identity.upload_api_key(
        oci_config["user"], IM.CreateApiKeyDetails(key=emu_auth.public_pem(key.public_key()))).data
    assert uploaded.lifecycle_state == "ACTIVE"
    assert uploaded.fingerprint == emu_auth.fingerprint_of(key.public_key())
    second = oci.signer.Signer(oci_config["tenancy"], oci_config["user"], uploaded.fingerprint, path)
    via_second = Clients(emulator, oci_config, signer=second)
    assert via_second.identity.get_user(oci_config["user"]).data.id == oci_config["user"]

    clients.identity.delete_api_key(oci_config["user"], uploaded.fingerprint)
    assert uploaded.fingerprint not in {k.fingerprint for k in clients.identity.list_api_keys(oci_config["user"]).data}
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        via_second.identity.get_user(oci_config["user"])
    assert (ei.value.status, ei.value.code) == (401, "NotAuthenticated")
    # the admin key is unaffected
    assert clients.identity.get_user(oci_config["user"]).data.id == oci_config["user"]


def test_blocked_user_keys_stop_working(emulator, oci_config, clients, tmp_path):
    user = clients.identity.create_user(IM.CreateUserDetails(
        compartment_id=clients.tenancy, name="robot", description="automation")).data
    key, path = _new_key(tmp_path, "robot")
    up = clients.identity.upload_api_key(user.id, IM.CreateApiKeyDetails(key=emu_auth.public_pem(key.public_key())))
    robot_cfg = dict(oci_config, user=user.id, fingerprint=up.data.fingerprint, key_file=path)
    robot = Clients(emulator, robot_cfg)
    assert robot.identity.get_user(user.id).data.name == "robot"
    clients.identity.update_user_state(user.id, IM.UpdateStateDetails(blocked=True))
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        robot.identity.get_user(user.id)
    assert ei.value.status == 401


def _token_clients(emulator, token: str, key_path: str) -> Clients:
    signer = oci.auth.signers.SecurityTokenSigner(token, oci.signer.load_private_key_from_file(key_path))
    return Clients(emulator, {"region": "us-ashburn-1", "tenancy": emulator.tenancy_id}, signer=signer)


def test_session_token_works_with_security_token_signer(emulator, tmp_path):
    key, path = _new_key(tmp_path, "session")
    token = emulator.issue_session_token(emu_auth.public_pem(key.public_key()))
    c = _token_clients(emulator, token, path)
    comps = c.identity.list_compartments(emulator.tenancy_id).data
    assert {x.name for x in comps} >= {"Production", "Development"}
    created = c.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=emulator.tenancy_id, name="via-session", description="d")).data
    assert created.lifecycle_state == "ACTIVE"


def test_session_token_through_the_admin_api(emulator, oci_config, raw, tmp_path):
    key, path = _new_key(tmp_path, "admin-session")
    r = raw.post(emulator.base_url + "/_emulator/session-tokens",
                 json={"publicKey": emu_auth.public_pem(key.public_key()), "ttl": 600})
    assert r.status_code == 200, r.text
    c = _token_clients(emulator, r.json()["token"], path)
    assert c.identity.get_tenancy(emulator.tenancy_id).data.id == emulator.tenancy_id


def test_expired_session_token_is_401(emulator, tmp_path):
    key, path = _new_key(tmp_path, "expired")
    token = emulator.issue_session_token(emu_auth.public_pem(key.public_key()), ttl=-60)
    c = _token_clients(emulator, token, path)
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        c.identity.list_compartments(emulator.tenancy_id)
    assert (ei.value.status, ei.value.code) == (401, "NotAuthenticated")
    assert "expired" in ei.value.message


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def test_tampered_session_token_is_401(emulator, tmp_path):
    key, path = _new_key(tmp_path, "tampered")
    token = emulator.issue_session_token(emu_auth.public_pem(key.public_key()), ttl=-60)
    header, payload, sig = token.split(".")
    claims = json.loads(_unb64url(payload))
    claims["exp"] = claims["sess_exp"] = int(time.time()) + 3600  # extend the expired token
    forged = ".".join([header, _b64url(json.dumps(claims).encode()), sig])
    c = _token_clients(emulator, forged, path)
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        c.identity.list_compartments(emulator.tenancy_id)
    assert (ei.value.status, ei.value.code) == (401, "NotAuthenticated")
    assert "not valid" in ei.value.message


def test_session_token_signed_with_another_key_is_401(emulator, tmp_path):
    key, _path = _new_key(tmp_path, "holder")
    _other, other_path = _new_key(tmp_path, "thief")
    token = emulator.issue_session_token(emu_auth.public_pem(key.public_key()))
    c = _token_clients(emulator, token, other_path)  # a stolen token without its private key
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        c.identity.list_compartments(emulator.tenancy_id)
    assert ei.value.status == 401


def test_admin_api_requires_a_signature(emulator, raw):
    assert requests.get(emulator.base_url + "/_emulator/info").status_code == 401
    info = raw.get(emulator.base_url + "/_emulator/info")
    assert info.status_code == 200 and info.json()["tenancyId"] == emulator.tenancy_id


def test_verification_can_be_turned_off(tmp_path):
    from tests.conftest import make_emulator
    emu = make_emulator(tmp_path, verify_signatures=False)
    try:
        r = requests.get(emu.base_url + COMPARTMENTS, params={"compartmentId": emu.tenancy_id})
        assert r.status_code == 200 and len(r.json()) == 5
        # and the SDK's signed requests still work
        c = oci.identity.IdentityClient(emu.client_config(), service_endpoint=emu.endpoint("identity"), **NO_RETRY)
        assert len(c.list_compartments(emu.tenancy_id).data) == 5
    finally:
        emu.stop()
