"""User-facing errors: what failed, OCI's code and message, and the opc-request-id.

Everything the service layer raises to the GUI is an `OciError`. Bugs stay ordinary
exceptions and reach the crash handler instead.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class OciError(Exception):
    message: str
    code: str = ""
    status: int | None = None
    request_id: str = ""
    operation: str = ""
    service: str = ""
    endpoint: str = ""
    kind: str = "service"  # service | connection | auth | config | input | cancelled | readonly
    retriable: bool = False

    def __str__(self) -> str:
        return self.summary()

    def summary(self) -> str:
        head = f"{self.code}: " if self.code else ""
        return f"{head}{self.message}"

    def details(self) -> str:
        lines = [self.summary()]
        if self.status:
            lines.append(f"HTTP status: {self.status}")
        if self.operation:
            lines.append(f"Operation: {self.operation}")
        if self.request_id:
            lines.append(f"opc-request-id: {self.request_id}")
        if self.endpoint:
            lines.append(f"Endpoint: {self.endpoint}")
        return "\n".join(lines)


RETRIABLE_STATUS = {429, 500, 502, 503, 504}


def from_exception(exc: BaseException, operation: str = "", service: str = "", endpoint: str = "") -> OciError:
    """Translate SDK/transport exceptions into an OciError (other exceptions are re-raised)."""
    import oci

    if isinstance(exc, OciError):
        return exc
    if isinstance(exc, oci.exceptions.ServiceError):
        kind = "auth" if exc.status == 401 else "service"
        msg = exc.message or "(no message)"
        if exc.status == 401:
            msg = (f"{msg} — the request was not authenticated. Check the profile's user, fingerprint and key "
                   "(or refresh the session token).")
        return OciError(msg, code=str(exc.code or ""), status=exc.status,
                        request_id=str(exc.request_id or exc.headers.get("opc-request-id", "") if exc.headers else ""),
                        operation=operation or (exc.operation_name or ""), service=service, endpoint=endpoint,
                        kind=kind, retriable=exc.status in RETRIABLE_STATUS)
    if isinstance(exc, (oci.exceptions.RequestException, oci.exceptions.ConnectTimeout)) or _is_transport(exc):
        where = endpoint or "the service"
        return OciError(f"Cannot reach {where}: {_short(exc)}", code="ConnectionError", operation=operation,
                        service=service, endpoint=endpoint, kind="connection", retriable=True)
    if isinstance(exc, (oci.exceptions.InvalidPrivateKey, oci.exceptions.MissingPrivateKeyPassphrase)):
        return OciError(str(exc), code="InvalidPrivateKey", operation=operation, service=service, kind="auth")
    if isinstance(exc, (oci.exceptions.ConfigFileNotFound, oci.exceptions.InvalidConfig,
                        oci.exceptions.ProfileNotFound, oci.exceptions.InvalidKeyFilePath)):
        return OciError(str(exc), code="InvalidConfig", operation=operation, service=service, kind="config")
    raise exc


def _is_transport(exc: BaseException) -> bool:
    from oci._vendor.requests import exceptions as rex
    return isinstance(exc, (rex.ConnectionError, rex.Timeout, ConnectionError, TimeoutError))


def _short(exc: BaseException) -> str:
    s = str(exc)
    if "Connection refused" in s:
        return "connection refused"
    if "Read timed out" in s or "timed out" in s:
        return "timed out"
    if "Connection aborted" in s or "RemoteDisconnected" in s or "reset" in s.lower():
        return "the connection was closed before a response"
    return s[:200]
