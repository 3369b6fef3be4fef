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

    def for_log(self) -> str:
        """What a log record may say about it: the operation, status, code and opc-request-id, never the
        message (it can quote names and values the person typed)."""
        what = f"{self.service}.{self.operation}" if self.service and self.operation else self.operation or self.kind
        status = self.status if self.status is not None else self.kind
        rid = f" opc-request-id={self.request_id}" if self.request_id else ""
        return f"{what}: {status} {self.code or '-'}{rid}"


def loggable(exc: BaseException) -> str:
    """An exception as a log record may show it: `OciError.for_log()`, or only the class of anything else."""
    return exc.for_log() if isinstance(exc, OciError) else type(exc).__name__


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


def requests_connection_error_and_timeout() -> tuple[type[Exception], type[Exception]]:
    """The SDK's (vendored) `requests.exceptions.ConnectionError` and `Timeout`.

    `oci.exceptions` re-exports only `RequestException` (as `BaseRequestException`) and `ConnectTimeout`
    (`BaseConnectTimeout`) of its vendored requests, not these two: so they come from `oci._vendor`, here
    only. (RequestException would be too broad: it also covers a bad URL, too many redirects, ...)."""
    from oci._vendor.requests import exceptions as rex
    return rex.ConnectionError, rex.Timeout


def _is_transport(exc: BaseException) -> bool:
    connection_error, timeout = requests_connection_error_and_timeout()
    return isinstance(exc, (connection_error, timeout, ConnectionError, TimeoutError))


def _short(exc: BaseException) -> str:
    s = str(exc)
    if "Connection refused" in s:
        return "connection refused"
    if "Read timed out" in s or "timed out" in s:
        return "timed out"
    if "Connection aborted" in s or "RemoteDisconnected" in s or "reset" in s.lower():
        return "the connection was closed before a response"
    return s[:200]
