"""core.config: config files and profiles read like the oci CLI, keys, profile writing, token expiry."""

from __future__ import annotations

import base64
import configparser
import hashlib
import json
import stat
import subprocess
import textwrap
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ociconsole.core import config as C
from ociconsole.core.errors import OciError

USER = "ocid1.user.oc1..aaaaaaaauser"
TENANCY = "ocid1.tenancy.oc1..aaaaaaaatenancy"

_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def write_key(path: Path, passphrase: str | None = None, key=_KEY) -> Path:
    enc = serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc))
    return path


def write_config(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip())
    return path


def fake_jwt(claims: dict) -> str:
    def b64(d):
        return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()
    return f"{b64({'alg': 'RS256'})}.{b64(claims)}.c2ln"


# ------------------------------------------------------------------ resolution order

def test_config_path_order_cli_env_default(clean_oci_env):
    default = clean_oci_env / ".oci" / "config"
    assert C.resolve_config_path(None, env={}) == default
    assert C.resolve_config_path(None, env={"OCI_CLI_CONFIG_FILE": "/env/cfg"}) == Path("/env/cfg")
    assert C.resolve_config_path("/cli/cfg", env={"OCI_CLI_CONFIG_FILE": "/env/cfg"}) == Path("/cli/cfg")
    assert C.resolve_config_path("~/mine", env={}) == clean_oci_env / "mine"


def test_config_path_reads_process_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("OCI_CLI_CONFIG_FILE", str(tmp_path / "x"))
    assert C.resolve_config_path() == tmp_path / "x"


def test_sdk_config_env_only_when_default_file_missing(clean_oci_env):
    env = {"OCI_CONFIG_FILE": "/sdk/cfg"}
    assert C.resolve_config_path(None, env=env) == Path("/sdk/cfg")
    default = clean_oci_env / ".oci" / "config"
    default.parent.mkdir()
    default.write_text("[DEFAULT]\n")
    assert C.resolve_config_path(None, env=env) == default
    assert C.resolve_config_path(None, env=dict(env, OCI_CLI_CONFIG_FILE="/cli/env")) == Path("/cli/env")


def test_profile_name_order():
    assert C.resolve_profile_name(None, env={}) == "DEFAULT"
    assert C.resolve_profile_name(None, env={"OCI_CLI_PROFILE": "ENV"}) == "ENV"
    assert C.resolve_profile_name("CLI", env={"OCI_CLI_PROFILE": "ENV"}) == "CLI"


def test_profiles_inherit_default_keys(tmp_path):
    cfg = write_config(tmp_path / "config", f"""
        [DEFAULT]
        tenancy = {TENANCY}
        region = us-phoenix-1
        key_file = ~/.oci/key.pem

        [WORK]
        user = {USER}
        fingerprint = aa:bb
        region = eu-frankfurt-1

        [SESSION]
        security_token_file = ~/.oci/token
        """)
    profiles = C.read_profiles(cfg)
    assert [p.name for p in profiles] == ["DEFAULT", "WORK", "SESSION"]
    work = C.find_profile(cfg, "WORK")
    assert (work.tenancy, work.region, work.key_file, work.user) == (TENANCY, "eu-frankfurt-1", "~/.oci/key.pem", USER)
    assert work.kind == "api_key"
    assert work.path == str(cfg)
    session = C.find_profile(cfg, "SESSION")
    assert session.kind == "session_token" and session.region == "us-phoenix-1" and session.tenancy == TENANCY
    assert "SESSION" in session.describe() and "session token" in session.describe()
    assert work.describe() == "WORK — eu-frankfurt-1 (API key)"


def test_extra_keys_and_pass_phrase_flag(tmp_path):
    cfg = write_config(tmp_path / "config", f"""
        [P]
        user = {USER}
        pass_phrase = hunter2
        home_region = us-ashburn-1
        """)
    (p,) = C.read_profiles(cfg)
    assert p.has_pass_phrase and p.extra == {"home_region": "us-ashburn-1"}


def test_profile_not_found(tmp_path):
    cfg = write_config(tmp_path / "config", "[A]\nregion = x\n")
    with pytest.raises(OciError) as e:
        C.find_profile(cfg, "B")
    assert e.value.code == "ProfileNotFound" and "'B'" in e.value.message


# ------------------------------------------------------------------ malformed files

@pytest.mark.parametrize("text, expected", [
    ("user = x\n[DEFAULT]\n", "line 1: expected a [PROFILE] header before 'user = x'"),
    ("[A]\nregion = a\n[A]\nregion = b\n", "line 3: profile [A] appears twice"),
    ("[A]\nregion = a\nregion = b\n", "line 3: 'region' appears twice in [A]"),
    ("[A]\nregion = a\n  this is not a key\n= nothing\n", "line 4: cannot read '= nothing'"),
])
def test_malformed_file_is_a_clear_oci_error(tmp_path, text, expected):
    cfg = tmp_path / "config"
    cfg.write_text(text)
    with pytest.raises(OciError) as e:
        C.read_profiles(cfg)
    err = e.value
    assert err.code == "InvalidConfig" and err.kind == "config"
    assert str(cfg) in err.message and expected in err.message
    assert "\n" not in err.message


def test_missing_binary_and_directory_config(tmp_path):
    with pytest.raises(OciError) as e:
        C.read_profiles(tmp_path / "nope")
    assert e.value.code == "ConfigFileNotFound" and "nope" in e.value.message
    binary = tmp_path / "bin"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(OciError, match="not a text file"):
        C.read_profiles(binary)
    with pytest.raises(OciError, match="is a directory"):
        C.read_profiles(tmp_path)


# ------------------------------------------------------------------ check_profile

def _profile(**kw) -> C.Profile:
    base = dict(name="P", path="/cfg", user=USER, tenancy=TENANCY, region="us-ashburn-1", fingerprint="aa",
                key_file=None, security_token_file=None, has_pass_phrase=False, extra={})
    base.update(kw)
    return C.Profile(**base)


def test_check_profile_lists_every_missing_field(tmp_path):
    with pytest.raises(OciError) as e:
        C.check_profile(_profile(user=None, fingerprint=None, region=None, key_file=None))
    assert e.value.code == "InvalidConfig"
    assert "lacks: key_file, user, fingerprint, region" in e.value.message


def test_check_profile_region_override_and_key_presence(tmp_path):
    key = write_key(tmp_path / "k.pem")
    C.check_profile(_profile(region=None, key_file=str(key)), region="eu-paris-1")
    with pytest.raises(OciError) as e:
        C.check_profile(_profile(key_file=str(tmp_path / "missing.pem")))
    assert e.value.code == "InvalidKeyFilePath" and "missing.pem" in e.value.message


def test_check_profile_session_token(tmp_path):
    key = write_key(tmp_path / "k.pem")
    p = _profile(user=None, fingerprint=None, key_file=str(key), security_token_file=str(tmp_path / "token"))
    with pytest.raises(OciError, match="security token file"):
        C.check_profile(p)
    (tmp_path / "token").write_text("x.y.z")
    C.check_profile(p)  # user and fingerprint are not needed with a session token


# ------------------------------------------------------------------ keys

def test_key_needs_passphrase(tmp_path):
    assert C.key_needs_passphrase(str(write_key(tmp_path / "plain.pem"))) is False
    assert C.key_needs_passphrase(str(write_key(tmp_path / "enc.pem", "pw"))) is True
    (tmp_path / "junk.pem").write_text("not a key")
    with pytest.raises(OciError) as e:
        C.key_needs_passphrase(str(tmp_path / "junk.pem"))
    assert e.value.code == "InvalidPrivateKey"
    with pytest.raises(OciError) as e:
        C.key_needs_passphrase(str(tmp_path / "absent.pem"))
    assert e.value.code == "InvalidKeyFilePath"


def test_load_private_key_passphrases(tmp_path):
    enc = str(write_key(tmp_path / "enc.pem", "correct horse"))
    assert C.fingerprint_of_key(C.load_private_key(enc, "correct horse")) == C.fingerprint_of_key(_KEY)
    with pytest.raises(OciError) as e:
        C.load_private_key(enc, "wrong")
    assert (e.value.code, e.value.kind) == ("WrongPassphrase", "auth")
    for missing in (None, ""):
        with pytest.raises(OciError) as e:
            C.load_private_key(enc, missing)
        assert e.value.code == "MissingPassphrase"


def test_load_private_key_plain_key_ignores_passphrase_and_junk_is_invalid(tmp_path):
    plain = str(write_key(tmp_path / "plain.pem"))
    assert C.load_private_key(plain, "not needed") is not None
    (tmp_path / "junk.pem").write_text("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n")
    for pw in (None, "pw"):
        with pytest.raises(OciError) as e:
            C.load_private_key(str(tmp_path / "junk.pem"), pw)
        assert e.value.code == "InvalidPrivateKey"  # never "wrong passphrase" for something that is no key
    with pytest.raises(OciError) as e:
        C.load_private_key(str(tmp_path / "absent.pem"))
    assert e.value.code == "InvalidKeyFilePath"


def test_generate_key_pair(tmp_path):
    priv, pub, fp = C.generate_key_pair(tmp_path / "keys")
    assert priv.name == "oci_api_key.pem" and pub.name == "oci_api_key_public.pem"
    assert stat.S_IMODE(priv.stat().st_mode) == 0o600
    assert pub.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    # OCI's fingerprint: lowercase colon-hex MD5 of the DER public key
    der = serialization.load_pem_public_key(pub.read_bytes()).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    md5 = hashlib.md5(der).hexdigest()
    assert fp == ":".join(md5[i:i + 2] for i in range(0, 32, 2))
    assert fp == C.fingerprint_of_key(C.load_private_key(str(priv)))
    assert C.public_pem_of(C.load_private_key(str(priv))) == pub.read_text()
    with pytest.raises(OciError) as e:
        C.generate_key_pair(tmp_path / "keys")
    assert e.value.code == "FileExists"


def test_generate_key_pair_fingerprint_matches_openssl(tmp_path):
    """The documented recipe: openssl rsa -pubout -outform DER -in key.pem | openssl md5 -c"""
    priv, _pub, fp = C.generate_key_pair(tmp_path, name="k", passphrase="pw")
    assert C.key_needs_passphrase(str(priv))
    der = subprocess.run(["openssl", "rsa", "-pubout", "-outform", "DER", "-in", str(priv), "-passin", "pass:pw"],
                         capture_output=True, check=True).stdout
    md5 = subprocess.run(["openssl", "md5", "-c"], input=der, capture_output=True, check=True).stdout.decode()
    assert md5.strip().split()[-1] == fp


# ------------------------------------------------------------------ write_api_key_profile

def test_write_api_key_profile_round_trip(tmp_path):
    key = write_key(tmp_path / "k.pem")
    cfg = tmp_path / "sub" / "config"
    p = C.write_api_key_profile(cfg, "DEFAULT", user=USER, tenancy=TENANCY, region="eu-zurich-1", key_file=str(key))
    assert stat.S_IMODE(cfg.stat().st_mode) == 0o600
    assert (p.name, p.user, p.tenancy, p.region) == ("DEFAULT", USER, TENANCY, "eu-zurich-1")
    assert p.fingerprint == C.fingerprint_of_key(_KEY) and p.key_file == str(key.resolve())
    C.check_profile(p)
    # a second profile next to it, given the (uppercase) fingerprint explicitly
    C.write_api_key_profile(cfg, "OTHER", user=USER, tenancy=TENANCY, region="us-phoenix-1", key_file=str(key),
                            fingerprint=p.fingerprint.upper())
    assert [x.name for x in C.read_profiles(cfg)] == ["DEFAULT", "OTHER"]
    # what the SDK itself reads
    import oci
    sdk = oci.config.from_file(str(cfg), "OTHER")
    oci.config.validate_config(sdk)
    assert sdk["region"] == "us-phoenix-1" and sdk["fingerprint"] == p.fingerprint


def test_write_api_key_profile_never_writes_the_passphrase(tmp_path):
    key = write_key(tmp_path / "k.pem", "s3cret-pass")
    cfg = tmp_path / "config"
    p = C.write_api_key_profile(cfg, "ENC", user=USER, tenancy=TENANCY, region="us-ashburn-1", key_file=str(key),
                                passphrase="s3cret-pass")
    assert "s3cret-pass" not in cfg.read_text() and "pass_phrase" not in cfg.read_text()
    assert not p.has_pass_phrase
    with pytest.raises(OciError) as e:
        C.write_api_key_profile(cfg, "ENC2", user=USER, tenancy=TENANCY, region="us-ashburn-1",
                                key_file=str(key), passphrase="nope")
    assert e.value.code == "WrongPassphrase"


def test_write_api_key_profile_refuses_a_mismatched_fingerprint(tmp_path):
    key = write_key(tmp_path / "k.pem")
    cfg = tmp_path / "config"
    with pytest.raises(OciError) as e:
        C.write_api_key_profile(cfg, "X", user=USER, tenancy=TENANCY, region="us-ashburn-1", key_file=str(key),
                                fingerprint="00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff")
    assert e.value.code == "InvalidParameter" and "does not match" in e.value.message
    assert not cfg.exists()


@pytest.mark.parametrize("kw, field", [
    (dict(user="ocid1.group.oc1..x"), "user"), (dict(tenancy=USER), "tenancy"), (dict(user=""), "user"),
    (dict(region=""), "region"), (dict(name="A]B"), "profile name"), (dict(name=""), "profile name"),
])
def test_write_api_key_profile_validates_input(tmp_path, kw, field):
    key = write_key(tmp_path / "k.pem")
    args = dict(name="P", user=USER, tenancy=TENANCY, region="us-ashburn-1", key_file=str(key))
    args.update(kw)
    name = args.pop("name")
    with pytest.raises(OciError) as e:
        C.write_api_key_profile(tmp_path / "config", name, **args)
    assert e.value.kind == "input" and field in e.value.message.lower()
    assert not (tmp_path / "config").exists()


def test_write_api_key_profile_replaces_without_stale_keys_and_keeps_others(tmp_path):
    key = write_key(tmp_path / "k.pem")
    cfg = write_config(tmp_path / "config", f"""
        [DEFAULT]
        region = us-phoenix-1

        [KEEP]
        user = {USER}
        custom = kept

        [P]
        security_token_file = /tmp/token
        pass_phrase = old-secret
        """)
    p = C.write_api_key_profile(cfg, "P", user=USER, tenancy=TENANCY, region="eu-madrid-1", key_file=str(key))
    assert p.kind == "api_key" and not p.has_pass_phrase and p.region == "eu-madrid-1"
    assert "old-secret" not in cfg.read_text()
    keep = C.find_profile(cfg, "KEEP")
    assert keep.extra == {"custom": "kept"} and keep.region == "us-phoenix-1"


def test_write_api_key_profile_refuses_to_touch_a_malformed_file(tmp_path):
    key = write_key(tmp_path / "k.pem")
    cfg = tmp_path / "config"
    cfg.write_text("garbage before any header\n")
    with pytest.raises(OciError) as e:
        C.write_api_key_profile(cfg, "P", user=USER, tenancy=TENANCY, region="us-ashburn-1", key_file=str(key))
    assert e.value.code == "InvalidConfig"
    assert cfg.read_text() == "garbage before any header\n"


def test_written_file_is_plain_ini(tmp_path):
    key = write_key(tmp_path / "k.pem")
    cfg = tmp_path / "config"
    C.write_api_key_profile(cfg, "P", user=USER, tenancy=TENANCY, region="us-ashburn-1", key_file=str(key))
    cp = configparser.ConfigParser(interpolation=None)
    cp.read(cfg)
    assert set(cp["P"]) == {"user", "fingerprint", "tenancy", "region", "key_file"}
    assert not list(tmp_path.glob("*.tmp"))


# ------------------------------------------------------------------ session tokens

def test_session_token_expiry(tmp_path):
    exp = int(time.time()) + 7200
    (tmp_path / "token").write_text(fake_jwt({"exp": exp, "sub": "u"}) + "\n")
    p = _profile(security_token_file=str(tmp_path / "token"))
    assert p.kind == "session_token" and p.token_expiry() == exp
    assert C.jwt_claims(fake_jwt({"exp": 5}))["exp"] == 5
    (tmp_path / "token").write_text("not a jwt")
    assert p.token_expiry() is None
    assert _profile(security_token_file=str(tmp_path / "absent")).token_expiry() is None
    assert _profile().token_expiry() is None


@pytest.mark.parametrize("left, text", [
    (None, "unknown expiry"), (-1, "expired"), (0, "expired"), (59 * 60 + 30, "expires in 59 min"),
    (90, "expires in 1 min"), (5400, "expires in 1.5 h"),
])
def test_token_expiry_text(left, text):
    now = 1_000_000.0
    assert C.token_expiry_text(None if left is None else now + left, now=now) == text


def test_token_expiry_text_now_zero_is_honoured():
    assert C.token_expiry_text(10.0, now=0.0) == "expires in 0 min"


def test_regions_come_from_the_sdk_region_list():
    import oci.regions
    ids = [r for r, _ in C.REGIONS]
    assert set(ids) == set(oci.regions.REGIONS) | set(oci.regions.REGION_REALMS)  # every SDK region, no other
    assert len(ids) == len(set(ids))
    assert C.REGION_IDS == set(ids)
    labels = dict(C.REGIONS)
    assert labels["us-ashburn-1"] == "us-ashburn-1 (IAD)"  # the SDK has no display names: identifier and key
    for rid, label in C.REGIONS:
        assert label.startswith(rid)
        realm = oci.regions.REGION_REALMS.get(rid, "oc1")
        assert (realm in label) == (realm != "oc1")
    # commercial (oc1) regions are offered first
    realms = [oci.regions.REGION_REALMS.get(r, "") for r in ids]
    assert realms[:realms.count("oc1")] == ["oc1"] * realms.count("oc1")
