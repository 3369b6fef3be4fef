"""Wire-level conventions of OCI's REST APIs: errors, OCIDs, timestamps, request ids."""

from __future__ import annotations

import base64
import os
import secrets
import time
import uuid
from datetime import datetime, timezone

# OCI's status -> default code.
DEFAULT_CODES = {
    400: "InvalidParameter",
    401: "NotAuthenticated",
    403: "NotAllowed",
    404: "NotAuthorizedOrNotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    412: "NoEtagMatch",
    413: "RequestEntityTooLarge",
    429: "TooManyRequests",
    431: "RequestHeaderFieldsTooLarge",
    500: "InternalServerError",
    501: "MethodNotImplemented",
    503: "ServiceUnavailable",
}


class ApiError(Exception):
    """An OCI error response: HTTP status, OCI error code, message."""

    def __init__(self, status: int, code: str | None = None, message: str = "", headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code or DEFAULT_CODES.get(status, "InternalServerError")
        self.message = message
        self.headers = headers or {}

    def body(self) -> dict:
        return {"code": self.code, "message": self.message}


def not_found(what: str = "resource", ident: str = "") -> ApiError:
    msg = f"Authorization failed or requested resource not found: {what}"
    if ident:
        msg += f" {ident}"
    return ApiError(404, "NotAuthorizedOrNotFound", msg)


def incorrect_state(message: str) -> ApiError:
    return ApiError(409, "IncorrectState", message)


def conflict(message: str) -> ApiError:
    return ApiError(409, "Conflict", message)


def invalid(message: str) -> ApiError:
    return ApiError(400, "InvalidParameter", message)


def missing(message: str) -> ApiError:
    return ApiError(400, "MissingParameter", message)


# ---------------------------------------------------------------- identifiers

_B32 = "abcdefghijklmnopqrstuvwxyz234567"

# Region identifier -> short key used in OCIDs (as OCI does for its oldest regions it is
# the lower-case airport code; newer regions use the full name).
REGION_KEYS = {
    "us-ashburn-1": "iad",
    "us-phoenix-1": "phx",
    "eu-frankfurt-1": "eu-frankfurt-1",
    "uk-london-1": "uk-london-1",
    "ap-tokyo-1": "ap-tokyo-1",
}


def unique_part(rng=None) -> str:
    raw = rng.getrandbits(260).to_bytes(33, "big") if rng is not None else secrets.token_bytes(33)
    s = "".join(_B32[b % 32] for b in raw)
    return "aaaaaaaa" + s[:52]


def new_ocid(rtype: str, region: str | None = None, rng=None) -> str:
    """`ocid1.<type>.oc1.<region>.<unique>`; global resources have an empty region."""
    reg = REGION_KEYS.get(region, region) if region else ""
    return f"ocid1.{rtype}.oc1.{reg}.{unique_part(rng)}"


def ocid_type(ocid: str) -> str | None:
    parts = ocid.split(".") if isinstance(ocid, str) else []
    if len(parts) >= 5 and parts[0] == "ocid1":
        return parts[1]
    return None


def looks_like_ocid(value, rtype: str | None = None) -> bool:
    t = ocid_type(value)
    return t is not None and (rtype is None or t == rtype)


def request_id() -> str:
    return uuid.uuid4().hex.upper() + "/" + uuid.uuid4().hex.upper()[:16]


def new_etag() -> str:
    return base64.b16encode(os.urandom(16)).decode().lower()


# ---------------------------------------------------------------- time

def ts(t: float | None = None) -> str:
    """OCI timestamp: 2026-01-01T10:00:00.000Z."""
    if t is None:
        t = time.time()
    dt = datetime.fromtimestamp(t, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def parse_ts(s: str) -> float:
    v = s.strip()
    if v.endswith("Z"):
        v = v[:-1] + "+00:00"
    return datetime.fromisoformat(v).timestamp()


def http_date(t: float | None = None) -> str:
    from email.utils import formatdate
    return formatdate(t, usegmt=True)
