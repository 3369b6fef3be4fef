"""A connection: who signs (profile or demo key), where requests go (real OCI or the
emulator), which region. The client factory is the one place that decides endpoints.

The SDK's defaults are replaced deliberately: no SDK-level retries (the service layer
retries with its own short, bounded policy) and no circuit breaker shared by every
client (failure state is kept per service by the service layer).
"""

from __future__ import annotations

import importlib
import os
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .config import Profile, check_profile, load_private_key, pass_phrase_in_file
from .errors import OciError

# The one registry of SDK clients: service name -> (SDK module, client class). The client factory builds
# clients from it, catalog.forms writes the Python equivalents from it (with OCI_ENDPOINTS), the PyInstaller
# spec bundles its modules; tests/unit/test_client_registry.py checks that every service the catalog's forms
# and actions call is here. The emulator serves each module under /<module>.
SERVICES: dict[str, tuple[str, str]] = {
    "identity": ("identity", "IdentityClient"),
    "compute": ("core", "ComputeClient"),
    "compute_management": ("core", "ComputeManagementClient"),
    "network": ("core", "VirtualNetworkClient"),
    "blockstorage": ("core", "BlockstorageClient"),
    "work_requests": ("work_requests", "WorkRequestClient"),
    "monitoring": ("monitoring", "MonitoringClient"),
    # PostMetricData has its own endpoint on OCI (telemetry-ingestion.<region>...); the emulator serves both
    "monitoring_ingestion": ("monitoring", "MonitoringClient"),
    "object_storage": ("object_storage", "ObjectStorageClient"),
    "file_storage": ("file_storage", "FileStorageClient"),
    "search": ("resource_search", "ResourceSearchClient"),
    "notifications": ("ons", "NotificationControlPlaneClient"),
    "data_science": ("data_science", "DataScienceClient"),
    "model_deployment": ("model_deployment", "ModelDeploymentClient"),
    "analytics": ("analytics", "AnalyticsClient"),
    "integration": ("integration", "IntegrationInstanceClient"),
    "database": ("database", "DatabaseClient"),
    # PutLogs has its own endpoint on OCI (ingestion.logging.<region>...), the SDK's LoggingClient knows it
    "logging": ("logging", "LoggingManagementClient"),
    "logging_ingestion": ("loggingingestion", "LoggingClient"),
    "logging_search": ("loggingsearch", "LogSearchClient"),
    "audit": ("audit", "AuditClient"),
    "usage_api": ("usage_api", "UsageapiClient"),
    "budget": ("budget", "BudgetClient"),
    "container_engine": ("container_engine", "ContainerEngineClient"),
    "artifacts": ("artifacts", "ArtifactsClient"),
    "functions": ("functions", "FunctionsManagementClient"),
    # invoke_function on OCI goes to the function's own invoke endpoint (the emulator's is /functions)
    "functions_invoke": ("functions", "FunctionsInvokeClient"),
    "load_balancer": ("load_balancer", "LoadBalancerClient"),
    "waf": ("waf", "WafClient"),
    "waas": ("waas", "WaasClient"),
    "database_migration": ("database_migration", "DatabaseMigrationClient"),
}
# where a service's work requests are read: core's services share oci.work_requests; the others answer
# get_work_request themselves (Identity, Analytics, Integration, Data Science...)
WORK_REQUEST_SERVICES = {s: "work_requests" for s in ("compute", "compute_management", "network", "blockstorage",
                                                      "database")}
HOME_REGION_SERVICES = {"identity"}  # IAM writes go to the home region
OCI_ENDPOINTS = {"monitoring_ingestion": "https://telemetry-ingestion.{region}.oraclecloud.com"}  # not the SDK's
# (connect, read) seconds, as the oci SDK and CLI (--connection-timeout 10, --read-timeout 60). The read
# timeout bounds the silence between two reads of the socket, not a whole transfer: a long download that
# keeps receiving is never cut. A silent endpoint is shown by the service layer after a few seconds
# (runtime.STALL_SECONDS), long before these expire; a timed-out attempt is not repeated.
TIMEOUT = (10.0, 60.0)


@dataclass
class Connection:
    label: str  # "Demo sandbox" or the profile name
    config: dict  # SDK config (tenancy, user, region, ...)
    signer: object
    region: str
    home_region: str
    emulator_url: str | None = None
    profile: Profile | None = None
    read_only: bool = False
    regions: list[str] = field(default_factory=list)  # subscribed regions, when known

    @property
    def tenancy_id(self) -> str:
        return self.config["tenancy"]

    @property
    def is_demo(self) -> bool:
        return self.emulator_url is not None

    def with_region(self, region: str) -> Connection:
        cfg = dict(self.config, region=region)
        return replace(self, config=cfg, region=region)

    def endpoint(self, service: str, region: str | None = None) -> str | None:
        """`service_endpoint` for a client, or None to let the SDK use OCI's own endpoint."""
        if self.emulator_url is None:
            return None
        module = SERVICES[service][0]
        region = region or self.region
        if region != self.home_region:
            return f"{self.emulator_url}/{region}/{module}"
        return f"{self.emulator_url}/{module}"

    def describe_endpoint(self) -> str:
        if self.emulator_url and self.profile is None:
            return f"demo sandbox at {self.emulator_url}"
        if self.emulator_url:
            return f"{self.emulator_url} (profile {self.label}, {self.region})"
        return f"OCI {self.region}"

    def object_url(self, namespace: str, bucket: str, name: str) -> str:
        """The (signed-API) URL of an object: OCI's regional Object Storage endpoint or the emulator's."""
        from urllib.parse import quote
        return f"{self.endpoint_host('object_storage').rstrip('/')}/n/{quote(namespace, safe='')}" \
               f"/b/{quote(bucket, safe='')}/o/{quote(name, safe='/')}"

    def par_url(self, access_uri: str) -> str:
        """The full URL of a pre-authenticated request from its `accessUri` (served unsigned): the
        emulator's base URL + accessUri, or https://objectstorage.<region>.oraclecloud.com + accessUri."""
        base = self.emulator_url if self.emulator_url is not None else self.endpoint_host("object_storage")
        return base.rstrip("/") + access_uri

    def endpoint_host(self, service: str) -> str:
        ep = self.endpoint(service)
        if ep:
            return ep
        try:
            from oci.regions import endpoint_for
            mod, _cls = SERVICES[service]
            return endpoint_for(mod if mod != "core" else "compute", self.region)
        except Exception:
            return f"{service}.{self.region}.oraclecloud.com"


def connection_from_profile(profile: Profile, region: str | None = None, passphrase: str | None = None,
                            read_only: bool = False) -> Connection:
    """Build the signer for an API-key or session-token profile. Raises OciError with a fix."""
    import oci

    check_profile(profile, region)
    region = region or profile.region or ""
    if passphrase is None and profile.has_pass_phrase:  # like the oci CLI: a pass_phrase in the config file
        passphrase = pass_phrase_in_file(profile)
    key = load_private_key(profile.key_file or "", passphrase)
    cfg = {"tenancy": profile.tenancy, "region": region, "key_file": os.path.expanduser(profile.key_file or "")}
    if profile.kind == "session_token":
        token = Path(os.path.expanduser(profile.security_token_file or "")).read_text().strip()
        exp = profile.token_expiry()
        import time
        if exp is not None and exp <= time.time():
            raise OciError(f"The session token of profile '{profile.name}' has expired. Run "
                           f"'oci session authenticate --profile-name {profile.name}' (or 'oci session refresh') "
                           "and reconnect.", code="SessionExpired", kind="auth")
        signer = oci.auth.signers.SecurityTokenSigner(token, key)
        cfg["security_token_file"] = profile.security_token_file
        cfg["user"] = profile.user or "session"
        cfg["fingerprint"] = profile.fingerprint or "session"
    else:
        # the key was loaded (and its passphrase checked) above: hand it over decrypted, in memory only
        signer = _signer_with_key(profile, key)
        cfg.update(user=profile.user, fingerprint=profile.fingerprint)
    home = profile.extra.get("home_region") or region
    # `ociconsole_endpoint = http://127.0.0.1:PORT` sends the profile's requests to an emulator
    # (`ociconsole-emulator --config-out` writes it) instead of OCI's regional endpoints.
    endpoint = (profile.extra.get("ociconsole_endpoint") or "").rstrip("/") or None
    read_only = read_only or str(profile.extra.get("ociconsole_read_only", "")).lower() in ("true", "yes", "1")
    return Connection(label=profile.name, config=cfg, signer=signer, region=region, home_region=home,
                      emulator_url=endpoint, profile=profile, read_only=read_only)


def _signer_with_key(profile: Profile, key):
    """The SDK's signer for a key already loaded (and checked) above: handed over as the key object, not
    written back to PEM for the SDK to load and check again (OpenSSL's RSA check is ~50 ms a 2048-bit key,
    on the GUI thread when a profile connects)."""
    return _key_signer(profile.tenancy or "", profile.user or "", profile.fingerprint or "", key)


def _key_signer(tenancy: str, user: str, fingerprint: str, private_key):
    """oci.signer.Signer for a private key object: what its __init__ does after loading a key."""
    import oci

    class KeySigner(oci.signer.Signer):
        def __init__(self):
            self.api_key = f"{tenancy}/{user}/{fingerprint}"
            self.private_key = private_key
            self.create_signers(self.api_key, self.private_key, ["date", "(request-target)", "host"],
                                ["content-length", "content-type", "x-content-sha256"])

    return KeySigner()


def connection_for_emulator(config: dict, base_url: str, label: str = "Demo sandbox",
                            regions: list[str] | None = None) -> Connection:
    signer = _emulator_signer(config)
    return Connection(label=label, config=dict(config), signer=signer, region=config["region"],
                      home_region=config["region"], emulator_url=base_url.rstrip("/"), regions=regions or [])


def _emulator_signer(config: dict):
    """The SDK's request signer for the emulator's admin key. The key is one the emulator generated and wrote
    itself, so OpenSSL's RSA consistency check (~50 ms, in the start-up's critical path) is skipped, as the
    emulator does for its own keys (emulator.auth.load_own_private_pem); the signer is otherwise the SDK's."""
    from cryptography.hazmat.primitives import serialization

    pem = Path(os.path.expanduser(config["key_file"])).read_bytes()
    key = serialization.load_pem_private_key(pem, password=None, unsafe_skip_rsa_key_validation=True)
    return _key_signer(config["tenancy"], config["user"], config["fingerprint"], key)


def _as_received(response_data, _response_type, _allow_control_chars=None):
    """A `deserialize_response_data` that keeps the body as the bytes received."""
    return response_data


class ClientFactory:
    """SDK clients per (service, region), created on first use, shared by the worker threads."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self._clients: dict[tuple[str, str, bool | str], Any] = {}  # (service, region, raw) -> SDK client
        self._lock = threading.Lock()

    def get(self, service: str, region: str | None = None, raw: bool | str = False):
        """The client for `service`; `raw` clients return response bodies undeserialized (lazy lists): as
        parsed JSON, or with raw="bytes" as the bytes received (decoded by the caller)."""
        conn = self.connection
        if service in HOME_REGION_SERVICES and conn.emulator_url is None:
            region = conn.home_region
        region = region or conn.region
        key = (service, region, raw)
        c = self._clients.get(key)
        if c is not None:
            return c
        with self._lock:
            c = self._clients.get(key)
            if c is None:
                c = self._make(service, region, raw)
                self._clients[key] = c
        return c

    def _make(self, service: str, region: str, raw: bool | str = False):
        import oci
        module, cls_name = SERVICES[service]
        cls = getattr(importlib.import_module(f"oci.{module}"), cls_name)
        conn = self.connection
        kwargs = dict(
            signer=conn.signer,
            retry_strategy=oci.retry.NoneRetryStrategy(),
            circuit_breaker_strategy=oci.circuit_breaker.NoCircuitBreakerStrategy(),
            timeout=TIMEOUT,
        )
        if raw:
            kwargs["skip_deserialization"] = True
        ep = conn.endpoint(service, region)
        if ep:
            kwargs["service_endpoint"] = ep
        elif service in OCI_ENDPOINTS:
            kwargs["service_endpoint"] = OCI_ENDPOINTS[service].format(region=region)
        client = cls(dict(conn.config, region=region), **kwargs)
        if raw == "bytes":
            client.base_client.deserialize_response_data = _as_received
        elif raw:  # a large list answer's JSON is decoded element by element (core.lazy.loads: the GIL is let go)
            from .lazy import raw_deserializer
            base = client.base_client
            base.deserialize_response_data = raw_deserializer(base)
        if conn.emulator_url is not None and conn.emulator_url.startswith(("http://127.0.0.1", "http://localhost")):
            # loopback: no proxy applies, and requests would scan the environment for one on every call
            client.base_client.session.trust_env = False
        return client
