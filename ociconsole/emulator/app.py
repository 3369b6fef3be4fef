"""The embedded OCI emulator: start, stop, base URL, client config.

    emu = Emulator(seed="demo")            # in memory
    emu.start()
    cfg = emu.client_config()              # an `oci` config dict for the admin user
    client = oci.core.ComputeClient(cfg, service_endpoint=emu.endpoint("core"))
    emu.stop()
"""

from __future__ import annotations

import configparser
import logging
import math
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from . import auth as authmod
from .core import EmulatorCore
from .server import HttpServer
from .store import Store

log = logging.getLogger("ociconsole.emulator")

DEFAULT_PROFILE = "DEFAULT"
MAX_TRANSITION_DELAY = 3600.0  # seconds per lifecycle step (admin settings)
MAX_SESSION_TTL = 24 * 3600.0  # OCI session tokens can be refreshed for at most 24 hours


def _fields(body, known: tuple[str, ...]) -> None:
    """An admin request body: a JSON object with only `known` fields (ValueError -> 400)."""
    if not isinstance(body, dict):
        raise ValueError("expected a JSON object")
    unknown = sorted(set(body) - set(known))
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(k[:40] for k in unknown)} (known: {', '.join(known)})")


def _number(v, name: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise ValueError(f"{name} must be a number, got {str(v)[:40]!r}")
    return float(v)


@dataclass
class EmulatorOptions:
    seed: str = "demo"  # demo | empty | large
    state: str | None = None  # SQLite file; None = in memory
    transition_delay: float = 2.0
    verify_signatures: bool = True
    strict: bool = False  # validate every response against its SDK model (tests)
    host: str = "127.0.0.1"
    port: int = 0
    home_region: str = "us-ashburn-1"
    seed_options: dict = field(default_factory=dict)  # e.g. {"compartments": 500, "instances": 10000}
    key_dir: str | None = None  # where the admin key is written (default: next to state, else temp)


class Emulator:
    def __init__(self, options: EmulatorOptions | None = None, **kwargs):
        if options is None:
            options = EmulatorOptions(**kwargs)
        elif kwargs:
            raise TypeError("pass either options or keyword arguments")
        self.options = options
        self.store = Store(options.state)
        self.core = EmulatorCore(None, self.store, transition_delay=options.transition_delay,
                                 verify_signatures=options.verify_signatures, strict=options.strict,
                                 home_region=options.home_region)
        self._server: HttpServer | None = None
        self._tmpdir: tempfile.TemporaryDirectory | None = None
        self._lock = threading.Lock()
        # files the services keep (object bytes): next to the state file, or a temp dir removed at stop
        if options.state:
            state = Path(options.state).resolve()
            self.files_dir = state.with_name(state.name + ".files")
            self._files_temp = False
        else:
            self.files_dir = Path(tempfile.mkdtemp(prefix="ociemu-files-"))
            self._files_temp = True
        self.files_dir.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.files_dir / "spool", ignore_errors=True)  # bodies of requests a crash cut short
        self.core.files_dir = self.files_dir
        self._prepare()

    # ------------------------------------------------------------ state
    def _prepare(self) -> None:
        from .seed import seed_state
        if self.store.is_empty():
            with self.store.transaction():
                seed_state(self.core, self.options.seed, self.options.seed_options)
        self.core.tenancy_id = self.store.meta("tenancy_id")
        # hooks named "<service>.on_start" reconcile a service's files with the state (after a crash)
        with self.store.transaction():
            for fn in self.core.started_hooks():
                fn(self.core, {}, {})
        self._install_auth()
        self._install_admin()
        self._write_admin_key()

    def _install_auth(self) -> None:
        token_pem = self.store.meta("token_signing_key")
        token_key = authmod.load_own_private_pem(token_pem)
        store = self.store

        def lookup_key(tenancy: str, user: str, fingerprint: str):
            if tenancy != self.core.tenancy_id:
                return None
            doc = store.get("apikey", f"{tenancy}/{user}/{fingerprint}")
            if doc is None or doc.get("lifecycleState") != "ACTIVE":
                return None
            u = store.get("user", user)
            if u is None or u.get("lifecycleState") != "ACTIVE":
                return None
            return doc["keyValue"]

        def session_known(jti: str) -> bool:
            s = store.get("_session", jti)
            return s is not None and not s.get("revoked")

        self.core.auth = authmod.Authenticator(lookup_key, session_known, token_key, self.core.tenancy_id)

    # ------------------------------------------------------------ keys & config
    @property
    def key_dir(self) -> Path:
        if self.options.key_dir:
            return Path(self.options.key_dir)
        if self.options.state:
            return Path(self.options.state).resolve().parent
        if self._tmpdir is None:
            self._tmpdir = tempfile.TemporaryDirectory(prefix="ociemu-")
        return Path(self._tmpdir.name)

    @property
    def admin_key_file(self) -> Path:
        stem = Path(self.options.state).name if self.options.state else "emulator"
        return self.key_dir / f"{stem}.admin_key.pem"

    def _write_admin_key(self) -> None:
        path = self.admin_key_file
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = self.store.meta("admin_private_key")
        fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(pem)
        os.chmod(path, 0o600)

    @property
    def tenancy_id(self) -> str:
        return self.core.tenancy_id

    @property
    def clock(self):
        """The emulator's clock: `emu.clock.advance(s)` makes `s` seconds pass at once."""
        return self.core.clock

    def regions(self) -> list[str]:
        """The tenancy's subscribed regions (home region first)."""
        return self.core.regions()

    @property
    def admin_user_id(self) -> str:
        return self.store.meta("admin_user_id")

    @property
    def admin_fingerprint(self) -> str:
        return self.store.meta("admin_fingerprint")

    def client_config(self, region: str | None = None) -> dict:
        """An `oci` SDK config dict for the emulator's admin user."""
        return {
            "user": self.admin_user_id,
            "fingerprint": self.admin_fingerprint,
            "tenancy": self.tenancy_id,
            "region": region or self.options.home_region,
            "key_file": str(self.admin_key_file),
        }

    def write_config(self, path: str | os.PathLike, profile: str = DEFAULT_PROFILE) -> Path:
        """Write (or update) an OCI config file with a profile for the admin user."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        cp = configparser.ConfigParser(interpolation=None)
        cp.optionxform = str  # type: ignore[assignment]
        if path.exists():
            cp.read(path)
        if profile != DEFAULT_PROFILE and not cp.has_section(profile):
            cp.add_section(profile)
        sect = cp[profile] if profile != DEFAULT_PROFILE else cp["DEFAULT"]
        for k, v in self.client_config().items():
            sect[k] = v
        if self._server is not None:
            # read by ociconsole (ignored by the SDK and the CLI): send this profile's requests here
            sect["ociconsole_endpoint"] = self.base_url
        fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            cp.write(f)
        return path

    def issue_session_token(self, public_key_pem: str, user_id: str | None = None, ttl: float = 3600.0) -> str:
        """Issue a session token (as `oci session authenticate` would obtain) for a key pair."""
        pub = authmod.load_public_pem(public_key_pem)
        uid = user_id or self.admin_user_id
        jti, token = self.core.auth.issue_session_token(uid, pub, ttl)  # type: ignore[union-attr]
        with self.store.transaction():
            self.store.put("_session", {"id": jti, "userId": uid, "expires": self.core.clock.now() + ttl})
        return token

    # ------------------------------------------------------------ admin API
    def _install_admin(self) -> None:
        core = self.core

        def info(_body, _rest):
            return {
                "tenancyId": self.tenancy_id, "adminUserId": self.admin_user_id,
                "homeRegion": self.options.home_region, "regions": core.regions(),
                "modules": core.modules, "transitionDelay": core.transition_delay,
                "stats": core.stats, "persistent": self.store.persistent,
            }

        def get_faults(_body, _rest):
            return core.faults.as_dict()

        def put_faults(body, _rest):
            if not isinstance(body, dict):
                raise ValueError("expected a JSON object of fault settings")
            core.faults.update(body)
            return core.faults.as_dict()

        def put_settings(body, _rest):
            _fields(body, ("transitionDelay",))
            if "transitionDelay" in body:
                v = _number(body["transitionDelay"], "transitionDelay")
                if not 0 <= v <= MAX_TRANSITION_DELAY:
                    raise ValueError(f"transitionDelay must be >= 0 and at most {MAX_TRANSITION_DELAY:g} seconds")
                core.transition_delay = v
            return info(None, None)

        def reset(body, _rest):
            from .seed import PROFILES
            _fields({} if body is None else body, ("seed",))
            seed = (body or {}).get("seed", self.options.seed)
            if seed not in PROFILES:  # checked before anything is dropped
                raise ValueError(f"seed must be one of {', '.join(PROFILES)}, got {str(seed)[:40]!r}")
            self.reset(seed)
            return info(None, None)

        def session(body, _rest):
            if not isinstance(body, dict) or "publicKey" not in body:
                raise ValueError("expected {\"publicKey\": PEM, \"ttl\": seconds}")
            _fields(body, ("publicKey", "userId", "ttl"))
            if not isinstance(body["publicKey"], str):
                raise ValueError("publicKey must be a PEM string")
            user = body.get("userId")
            if user is not None and not isinstance(user, str):
                raise ValueError("userId must be a user OCID")
            ttl = _number(body.get("ttl", 3600), "ttl")
            if not 0 < ttl <= MAX_SESSION_TTL:
                raise ValueError(f"ttl must be more than 0 and at most {MAX_SESSION_TTL:g} seconds")
            return {"token": self.issue_session_token(body["publicKey"], user, ttl)}

        def clock(body, _rest):
            if body is not None:
                _fields(body, ("advance",))
                if "advance" in body:
                    core.clock.advance(_number(body["advance"], "advance"))
            return {"now": core.clock.now(), "offset": core.clock.offset}

        def messages(_body, _rest):
            from .services import notifications
            return {"items": notifications.messages(core.store)}

        core.admin_handlers.update({
            ("GET", "messages"): messages,
            ("GET", ""): info, ("GET", "info"): info,
            ("GET", "clock"): clock, ("POST", "clock"): clock,
            ("GET", "faults"): get_faults, ("PUT", "faults"): put_faults,
            ("PUT", "settings"): put_settings,
            ("POST", "reset"): reset, ("POST", "session-tokens"): session,
        })

    def reset(self, seed: str | None = None) -> None:
        """Drop all state and seed again (the admin key stays valid: it is re-registered)."""
        from .seed import seed_state
        keep = {k: self.store.meta(k) for k in ("admin_private_key", "token_signing_key")}
        with self.store.lock:
            self.store.clear()
            for child in self.files_dir.iterdir():
                if child.is_dir() and child.name != "spool":
                    shutil.rmtree(child, ignore_errors=True)
                elif not child.is_dir():
                    child.unlink()
            with self.store.transaction():
                for k, v in keep.items():
                    self.store.set_meta(k, v)
                seed_state(self.core, seed or self.options.seed, self.options.seed_options)
            self.core.tenancy_id = self.store.meta("tenancy_id")
            self._install_auth()
        self._write_admin_key()

    # ------------------------------------------------------------ run
    def start(self) -> str:
        with self._lock:
            if self._server is None:
                self._server = HttpServer(self.core, self.options.host, self.options.port)
                self._server.start()
        return self.base_url

    def stop(self) -> None:
        with self._lock:
            if self._server is not None:
                self._server.stop()
                self._server = None
            self.store.close()
            if self._files_temp:
                shutil.rmtree(self.files_dir, ignore_errors=True)
            if self._tmpdir is not None:
                self._tmpdir.cleanup()
                self._tmpdir = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the emulator is not running")
        return self._server.base_url

    def endpoint(self, module: str, region: str | None = None) -> str:
        """`service_endpoint` for an SDK client of `oci.<module>`."""
        if region and region != self.options.home_region:
            return f"{self.base_url}/{region}/{module}"
        return f"{self.base_url}/{module}"

    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
