"""OCI config files and profiles, read the way the `oci` CLI reads them.

File: `--config-file` > `OCI_CLI_CONFIG_FILE` > `~/.oci/config`.
Profile: `--profile` > `OCI_CLI_PROFILE` > `DEFAULT`. Region: `--region` > profile.
At start-up (`choose_start`): `--demo` > the flags > the variables > the connection remembered from last time.
"""

from __future__ import annotations

import ast
import base64
import configparser
import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes

from .errors import OciError

DEFAULT_CONFIG = "~/.oci/config"
DEFAULT_PROFILE = "DEFAULT"


def _sdk_regions() -> list[tuple[str, str]]:
    """Every region the installed `oci` SDK knows (`oci.regions`): (identifier, what to show). The SDK holds
    identifiers, short keys and realms but no display names, so the identifier is shown with its key and, outside
    the commercial realm (oc1), its realm. Commercial regions first, then by identifier."""
    from oci import regions as sdk_regions
    keys = {rid: key.upper() for key, rid in sdk_regions.REGIONS_SHORT_NAMES.items()}
    ids = set(sdk_regions.REGIONS) | set(sdk_regions.REGION_REALMS)
    out = []
    for rid in ids:
        realm = sdk_regions.REGION_REALMS.get(rid, "")
        extra = ", ".join(x for x in (keys.get(rid, ""), realm if realm != "oc1" else "") if x)
        out.append((rid, f"{rid} ({extra})" if extra else rid, realm))
    out.sort(key=lambda r: (r[2] != "oc1", r[2], r[0]))
    return [(rid, label) for rid, label, _realm in out]


# Regions offered when creating a profile (identifier, label): the SDK's own list, not a hand-written one.
# REGIONS and REGION_IDS are read from the SDK when first used (PEP 562): `import oci` takes ~0.2 s, and the
# demo sandbox's start-up imports it off the GUI thread (gui.app.start_emulator_early).
REGIONS: list[tuple[str, str]]
REGION_IDS: set[str]


def __getattr__(name: str) -> Any:
    if name == "REGIONS":
        value: object = _sdk_regions()
    elif name == "REGION_IDS":
        value = {r for r, _ in __getattr__("REGIONS")}
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


@dataclass
class Profile:
    name: str
    path: str
    user: str | None
    tenancy: str | None
    region: str | None
    fingerprint: str | None
    key_file: str | None
    security_token_file: str | None
    has_pass_phrase: bool
    extra: dict

    @property
    def kind(self) -> str:
        return "session_token" if self.security_token_file else "api_key"

    def token_expiry(self) -> float | None:
        """Expiry (epoch seconds) of the session token, None if not a session profile or unreadable."""
        if not self.security_token_file:
            return None
        try:
            token = Path(os.path.expanduser(self.security_token_file)).read_text().strip()
            return jwt_claims(token).get("exp")
        except (OSError, ValueError):
            return None

    def describe(self) -> str:
        kind = "session token" if self.kind == "session_token" else "API key"
        return f"{self.name} — {self.region or 'no region'} ({kind})"


def jwt_claims(token: str) -> dict[str, Any]:
    """Claims of a JWT, unverified (only used to show expiry)."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("not a JWT")
    pad = "=" * (-len(parts[1]) % 4)
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(parts[1] + pad))
    return claims


def resolve_config_path(cli_value: str | None = None, env: Mapping[str, str] | None = None) -> Path:
    """`--config-file` > `OCI_CLI_CONFIG_FILE` > `~/.oci/config`.

    Like the SDK, `OCI_CONFIG_FILE` is consulted only when `~/.oci/config` does not exist.
    """
    env = os.environ if env is None else env
    raw = cli_value or env.get("OCI_CLI_CONFIG_FILE")
    if not raw:
        default = Path(os.path.expanduser(DEFAULT_CONFIG))
        sdk_env = env.get("OCI_CONFIG_FILE")
        raw = sdk_env if sdk_env and not default.exists() else DEFAULT_CONFIG
    return Path(os.path.expanduser(raw))


def resolve_profile_name(cli_value: str | None = None, env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    return cli_value or env.get("OCI_CLI_PROFILE") or DEFAULT_PROFILE


@dataclass(frozen=True)
class StartChoice:
    """What the console connects to when it starts."""
    kind: str  # "demo", "profile", or "first_run" (no config file where one was looked for)
    config_path: Path | None = None
    profile: str | None = None


def choose_start(*, demo: bool = False, config_file: str | None = None, profile: str | None = None,
                 last: str = "", env: Mapping[str, str] | None = None) -> StartChoice:
    """The connection to open at start-up.

    `--demo` wins; then the explicit choices, the command line (`--config-file`, `--profile`) before the
    environment (`OCI_CLI_CONFIG_FILE`, `OCI_CLI_PROFILE`); then the connection remembered from last time
    (`last`: "demo" or "CONFIG_PATH|PROFILE"); then `~/.oci/config`'s DEFAULT profile like the oci CLI.
    A remembered profile is used only with the same config file and when no profile was named.
    """
    env = os.environ if env is None else env
    if demo:
        return StartChoice("demo")
    named_file = config_file or env.get("OCI_CLI_CONFIG_FILE")
    named_profile = profile or env.get("OCI_CLI_PROFILE")
    if last == "demo" and not (named_file or named_profile):
        return StartChoice("demo")
    path = resolve_config_path(config_file, env)
    if not path.exists():
        return StartChoice("first_run", path)
    name = resolve_profile_name(profile, env)
    remembered = last[len(f"{path}|"):] if last.startswith(f"{path}|") else ""
    if not named_profile and remembered:
        name = remembered  # the profile used last time with this file
    return StartChoice("profile", path, name)


def _parser() -> configparser.ConfigParser:
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str  # type: ignore[assignment]
    return cp


def read_profiles(path: str | os.PathLike) -> list[Profile]:
    """Every profile in a config file (DEFAULT first when present)."""
    path = Path(path)
    cp = _parser()
    try:
        with open(path, encoding="utf-8") as f:
            cp.read_file(f)
    except FileNotFoundError:
        raise OciError(f"Config file not found: {path}", code="ConfigFileNotFound", kind="config") from None
    except IsADirectoryError:
        raise OciError(f"{path} is a directory, not a config file", code="InvalidConfig", kind="config") from None
    except PermissionError:
        raise OciError(f"Config file {path} cannot be read: permission denied", code="InvalidConfig",
                       kind="config") from None
    except UnicodeDecodeError:
        raise OciError(f"Config file {path} is not a text file (expected UTF-8)", code="InvalidConfig",
                       kind="config") from None
    except configparser.Error as e:
        raise OciError(f"Config file {path} cannot be parsed: {_parse_problem(e)}", code="InvalidConfig",
                       kind="config") from None
    names = ([DEFAULT_PROFILE] if cp.defaults() else []) + cp.sections()
    out = []
    for n in names:
        sect = cp.defaults() if n == DEFAULT_PROFILE else cp[n]
        d = dict(sect)
        known = {"user", "tenancy", "region", "fingerprint", "key_file", "security_token_file", "pass_phrase"}
        out.append(Profile(n, str(path), d.get("user"), d.get("tenancy"), d.get("region"), d.get("fingerprint"),
                           d.get("key_file"), d.get("security_token_file"), bool(d.get("pass_phrase")),
                           {k: v for k, v in d.items() if k not in known}))
    return out


def _parse_problem(e: configparser.Error) -> str:
    """One line saying where and what, instead of configparser's multi-line repr."""
    if isinstance(e, configparser.MissingSectionHeaderError):
        return f"line {e.lineno}: expected a [PROFILE] header before {e.line.strip()!r}"
    if isinstance(e, configparser.DuplicateSectionError):
        return f"line {e.lineno}: profile [{e.section}] appears twice"
    if isinstance(e, configparser.DuplicateOptionError):
        return f"line {e.lineno}: '{e.option}' appears twice in [{e.section}]"
    if isinstance(e, configparser.ParsingError):
        errors = getattr(e, "errors", [])
        if errors:
            lineno, line = errors[0]
            if len(line) >= 2 and line[0] in "'\"" and line[-1] == line[0]:  # Python < 3.12 stores repr(line)
                try:
                    line = ast.literal_eval(line)
                except (ValueError, SyntaxError):
                    pass
            return f"line {lineno}: cannot read {line.strip()!r} (expected 'key = value')"
    return str(e).splitlines()[0]


def pass_phrase_in_file(p: Profile) -> str | None:
    """The `pass_phrase` the oci CLI allows in a config file (read on demand: Profile does not carry it)."""
    if not p.has_pass_phrase:
        return None
    cp = _parser()
    try:
        with open(p.path, encoding="utf-8") as f:
            cp.read_file(f)
    except (OSError, UnicodeDecodeError, configparser.Error):
        return None
    sect = cp.defaults() if p.name == DEFAULT_PROFILE else (cp[p.name] if cp.has_section(p.name) else {})
    return sect.get("pass_phrase") or None


def find_profile(path: str | os.PathLike, name: str) -> Profile:
    for p in read_profiles(path):
        if p.name == name:
            return p
    raise OciError(f"Profile '{name}' not found in {path}", code="ProfileNotFound", kind="config")


def check_profile(p: Profile, region: str | None = None) -> None:
    """The problems the SDK would hit, as one clear message."""
    missing = [k for k in ("tenancy", "key_file") if not getattr(p, k)]
    if p.kind == "api_key":
        missing += [k for k in ("user", "fingerprint") if not getattr(p, k)]
    if not (region or p.region):
        missing.append("region")
    if missing:
        raise OciError(f"Profile '{p.name}' in {p.path} lacks: {', '.join(missing)}", code="InvalidConfig",
                       kind="config")
    key = Path(os.path.expanduser(p.key_file or ""))
    if not key.is_file():
        raise OciError(f"Profile '{p.name}': key file {key} does not exist", code="InvalidKeyFilePath", kind="config")
    if p.kind == "session_token":
        tok = Path(os.path.expanduser(p.security_token_file or ""))
        if not tok.is_file():
            raise OciError(f"Profile '{p.name}': security token file {tok} does not exist", code="InvalidConfig",
                           kind="config")


# ---------------------------------------------------------------- keys

def _read_key(key_file: str) -> bytes:
    path = Path(os.path.expanduser(key_file or ""))
    if not key_file or not path.is_file():
        raise OciError(f"Key file {path} does not exist", code="InvalidKeyFilePath", kind="config")
    try:
        return path.read_bytes()
    except OSError as e:
        raise OciError(f"Key file {path} cannot be read: {e.strerror or e}", code="InvalidKeyFilePath",
                       kind="config") from None


def _pem_is_encrypted(data: bytes) -> bool:
    # PKCS#8 "BEGIN ENCRYPTED PRIVATE KEY" or traditional OpenSSL "Proc-Type: 4,ENCRYPTED"
    return b"ENCRYPTED" in data


def key_needs_passphrase(key_file: str) -> bool:
    data = _read_key(key_file)
    try:
        serialization.load_pem_private_key(data, password=None)
        return False
    except TypeError:
        return True
    except ValueError:
        raise OciError(f"{key_file} is not a PEM private key", code="InvalidPrivateKey", kind="auth") from None


def load_private_key(key_file: str, passphrase: str | None = None) -> PrivateKeyTypes:
    """The private key, decrypted. A passphrase given for an unencrypted key is ignored."""
    data = _read_key(key_file)
    password = passphrase.encode() if passphrase else None
    try:
        return serialization.load_pem_private_key(data, password=password)
    except TypeError:
        if password is not None:  # "Password was given but private key is not encrypted"
            return load_private_key(key_file, None)
        raise OciError(f"The key {key_file} is encrypted: a passphrase is required", code="MissingPassphrase",
                       kind="auth") from None
    except ValueError:
        if password is not None and _pem_is_encrypted(data):
            raise OciError(f"Wrong passphrase for {key_file}", code="WrongPassphrase", kind="auth") from None
        raise OciError(f"{key_file} is not a valid PEM private key", code="InvalidPrivateKey", kind="auth") from None


def fingerprint_of_key(private_or_public: PrivateKeyTypes | PublicKeyTypes) -> str:
    pub = private_or_public.public_key() if hasattr(private_or_public, "public_key") else private_or_public
    der = pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    h = hashlib.md5(der).hexdigest()
    return ":".join(h[i:i + 2] for i in range(0, 32, 2))


def public_pem_of(private_key: PrivateKeyTypes) -> str:
    return private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def generate_key_pair(directory: str | os.PathLike, name: str = "oci_api_key",
                      passphrase: str | None = None) -> tuple[Path, Path, str]:
    """Write `<name>.pem` (0600) and `<name>_public.pem`; return (private, public, fingerprint)."""
    d = Path(os.path.expanduser(directory))
    d.mkdir(parents=True, exist_ok=True)
    priv, pub = d / f"{name}.pem", d / f"{name}_public.pem"
    if priv.exists():
        raise OciError(f"{priv} already exists; choose another name", code="FileExists", kind="input")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    enc = (serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption())
    fd = os.open(str(priv), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc))
    pub.write_text(public_pem_of(key))
    return priv, pub, fingerprint_of_key(key)


def write_api_key_profile(path: str | os.PathLike, name: str, *, user: str, tenancy: str, region: str,
                          key_file: str, fingerprint: str | None = None, passphrase: str | None = None) -> Profile:
    """Add (or replace) an API-key profile. The fingerprint is computed from the key when not given.

    A passphrase is never written here: it belongs in the OS keyring.
    """
    for field, value, prefix in (("user", user, "ocid1.user."), ("tenancy", tenancy, "ocid1.tenancy.")):
        if not value or not value.startswith(prefix):
            raise OciError(f"{field} must be an OCID starting with {prefix}", code="InvalidParameter", kind="input")
    if not region:
        raise OciError("region is required", code="InvalidParameter", kind="input")
    key = load_private_key(key_file, passphrase)
    fp = fingerprint_of_key(key)
    if fingerprint and fingerprint.lower() != fp:
        raise OciError(f"The fingerprint {fingerprint} does not match the key ({fp})", code="InvalidParameter",
                       kind="input")
    if not name or any(c in name for c in "[]\n\r") or name != name.strip():
        raise OciError(f"Invalid profile name {name!r}", code="InvalidParameter", kind="input")
    path = Path(os.path.expanduser(path))
    cp = _parser()
    if path.exists():
        read_profiles(path)  # a clear OciError for a file we could not parse, before touching it
        with open(path, encoding="utf-8") as f:
            cp.read_file(f)
    path.parent.mkdir(parents=True, exist_ok=True)
    values = {"user": user, "fingerprint": fp, "tenancy": tenancy, "region": region,
              "key_file": str(Path(os.path.expanduser(key_file)).resolve())}
    if name == DEFAULT_PROFILE:
        sect = cp["DEFAULT"]
        for stale in ("security_token_file", "pass_phrase"):  # they would turn it into another kind of profile
            sect.pop(stale, None)
    else:
        if cp.has_section(name):  # replace: keys of the old profile (a token file, a passphrase) must not linger
            cp.remove_section(name)
        cp.add_section(name)
        sect = cp[name]
    for k, v in values.items():
        sect[k] = v
    tmp = path.with_suffix(".tmp")
    fd = os.open(str(tmp), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        cp.write(f)
    os.replace(tmp, path)
    return find_profile(path, name)


def token_expiry_text(expiry: float | None, now: float | None = None) -> str:
    if expiry is None:
        return "unknown expiry"
    left = expiry - (time.time() if now is None else now)
    if left <= 0:
        return "expired"
    if left < 3600:
        return f"expires in {int(left // 60)} min"
    return f"expires in {left / 3600:.1f} h"


def explain_auth_failure(profile: Profile | None, passphrase: str | None = None) -> str:
    """What a 401 most likely means for a profile, named by what to check (key, fingerprint, user or
    session token): the fingerprint is compared with the key file here; the rest only OCI knows."""
    if profile is None:
        return "the credentials were refused: check the profile's user, fingerprint and key"
    if profile.kind == "session_token":
        return f"the session token was refused or has expired: run oci session refresh --profile {profile.name}"
    fp = (profile.fingerprint or "").lower()
    try:
        key = load_private_key(profile.key_file or "", passphrase) if profile.key_file else None
    except Exception:
        key = None
    if key is not None and fp and fingerprint_of_key(key) != fp:
        return (f"the fingerprint {fp} in profile {profile.name} does not belong to its key file "
                f"({fingerprint_of_key(key)})")
    user = profile.user or "?"
    return (f"user …{user[-6:]} has no API key with fingerprint …{fp[-14:] or '?'}: upload the key, or fix the "
            f"user / key of profile {profile.name}")
