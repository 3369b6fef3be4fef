"""Request authentication as OCI does it: draft-cavage HTTP signatures (RSA-SHA256).

keyId is `<tenancy>/<user>/<fingerprint>` for API keys, or `ST$<jwt>` for session tokens
that this emulator issued. The signing string is rebuilt from the headers the client
declares it signed; `date`, `(request-target)` and `host` must be among them, and for
requests with a JSON body also `content-length`, `content-type` and `x-content-sha256`
(checked against the body). Binary uploads (object bodies) are signed without the body,
as the SDK does.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import time
import uuid
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from .protocol import ApiError

MAX_CLOCK_SKEW = 300.0
_R_PARAM = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class Principal:
    tenancy_id: str
    user_id: str
    key_id: str
    session: bool = False


def fingerprint_of(public_key) -> str:
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    digest = hashlib.md5(der).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, 32, 2))


def load_public_pem(pem: str):
    key = serialization.load_pem_public_key(pem.encode())
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("only RSA keys are supported")
    return key


def public_pem(public_key) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def generate_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def load_own_private_pem(pem: str):
    """Load a private key the emulator generated and stored itself.

    Skips OpenSSL's RSA consistency check (about 60 ms per key): these keys never came from outside.
    """
    return serialization.load_pem_private_key(pem.encode(), password=None, unsafe_skip_rsa_key_validation=True)


def private_pem(key, passphrase: str | None = None) -> bytes:
    enc = (serialization.BestAvailableEncryption(passphrase.encode()) if passphrase
           else serialization.NoEncryption())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, enc)


def _unauth(msg: str) -> ApiError:
    return ApiError(401, "NotAuthenticated", msg)


def _b64url_int(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _b64url_to_int(s: str) -> int:
    pad = "=" * (-len(s) % 4)
    return int.from_bytes(base64.urlsafe_b64decode(s + pad), "big")


class Authenticator:
    """Verifies request signatures against the emulator's registered API keys.

    `lookup_key(tenancy, user, fingerprint)` returns the key's PEM if the key exists and
    is ACTIVE (the identity service owns the keys); `session_known(jti)` says whether a
    session token id was issued here and not revoked.
    """

    def __init__(self, lookup_key, session_known, token_key: rsa.RSAPrivateKey, tenancy_id: str):
        self._lookup_key = lookup_key
        self._session_known = session_known
        self._token_key = token_key
        self._tenancy_id = tenancy_id
        self._parsed: dict[str, object] = {}
        self._dates: dict[str, float] = {}  # date header -> its time (the skew is checked every time)
        self._lock = threading.Lock()
        self.enabled = True

    def _public(self, pem: str):
        k = self._parsed.get(pem)
        if k is None:
            k = load_public_pem(pem)
            with self._lock:
                self._parsed[pem] = k
        return k

    # ------------------------------------------------------------ session tokens
    def issue_session_token(self, user_id: str, public_key, ttl: float = 3600.0) -> tuple[str, str]:
        """Return (jti, token) for a session whose requests are signed by `public_key`."""
        import jwt  # PyJWT, a dependency of the oci SDK
        nums = public_key.public_numbers()
        now = int(time.time())
        jti = uuid.uuid4().hex
        claims = {
            "iss": "authService.oracle.com", "aud": "oci", "sub": user_id, "tenant": self._tenancy_id,
            "ptype": "user", "iat": now, "exp": now + int(ttl), "sess_exp": now + int(ttl), "jti": jti,
            "jwk": {"kid": "session", "kty": "RSA", "alg": "RS256", "use": "sig",
                    "n": _b64url_int(nums.n), "e": _b64url_int(nums.e)},
        }
        token = jwt.encode(claims, self._token_key, algorithm="RS256")
        return jti, token

    def _session_principal(self, token: str):
        import jwt
        try:
            claims = jwt.decode(token, self._token_key.public_key(), algorithms=["RS256"], audience="oci",
                                leeway=0)
        except jwt.ExpiredSignatureError:
            raise _unauth("The session token has expired; authenticate again (oci session authenticate)") from None
        except jwt.PyJWTError:
            raise _unauth("The session token is not valid") from None
        if not self._session_known(claims.get("jti", "")):
            raise _unauth("The session token is not valid (unknown or revoked)")
        jwk = claims.get("jwk") or {}
        try:
            pub = rsa.RSAPublicNumbers(_b64url_to_int(jwk["e"]), _b64url_to_int(jwk["n"])).public_key()
        except (KeyError, ValueError):
            raise _unauth("The session token carries no usable key") from None
        return Principal(claims.get("tenant", self._tenancy_id), claims["sub"], "ST$", True), pub

    # ------------------------------------------------------------ verification
    def verify(self, method: str, target: str, headers, body: bytes | None, body_signed_required: bool) -> Principal:
        """Raise ApiError(401) unless the request carries a valid signature.

        `headers` is a case-insensitive mapping; `target` the path with query string.
        """
        auth = headers.get("authorization")
        if not auth:
            raise _unauth("The required information to complete authentication was not provided")
        if not auth.startswith("Signature "):
            raise _unauth("Unsupported authorization scheme")
        params = dict(_R_PARAM.findall(auth))
        for p in ("keyId", "signature", "headers"):
            if p not in params:
                raise _unauth(f"The signature is missing its '{p}' parameter")
        if params.get("version", "1") != "1":
            raise _unauth(f"Unsupported signature version '{params['version'][:10]}'")
        algorithm = params.get("algorithm", "rsa-sha256")
        if algorithm != "rsa-sha256":
            raise _unauth(f"Unsupported signature algorithm '{algorithm}'")
        signed = params["headers"].lower().split()
        if "(request-target)" not in signed or "host" not in signed or not (
                "date" in signed or "x-date" in signed):
            raise _unauth("The signature must cover date, (request-target) and host")

        # freshness
        date_value = headers.get("x-date") if "x-date" in signed else headers.get("date")
        if not date_value:
            raise _unauth("The date header is missing")
        when = self._dates.get(date_value)  # the SDK's dates have 1 s resolution: parsed once each
        if when is None:
            try:
                when = parsedate_to_datetime(date_value).timestamp()
            except (TypeError, ValueError):
                raise _unauth("The date header is not a valid HTTP date") from None
            if len(self._dates) >= 64:
                self._dates.clear()
            self._dates[date_value] = when
        if abs(time.time() - when) > MAX_CLOCK_SKEW:
            raise _unauth("The request date is not within 5 minutes of the server's clock")

        # body
        if body:
            if "x-content-sha256" in signed:
                expected = base64.b64encode(hashlib.sha256(body).digest()).decode()
                if headers.get("x-content-sha256") != expected:
                    raise _unauth("x-content-sha256 does not match the request body")
                if "content-length" in signed and headers.get("content-length") != str(len(body)):
                    raise _unauth("content-length does not match the request body")
            elif body_signed_required:
                raise _unauth("The signature must cover content-length, content-type and x-content-sha256")

        # key
        key_id = params["keyId"]
        if key_id.startswith("ST$"):
            principal, pub = self._session_principal(key_id[3:])
        else:
            parts = key_id.split("/")
            if len(parts) != 3:
                raise _unauth("keyId must be <tenancy>/<user>/<fingerprint>")
            tenancy, user, fp = parts
            pem = self._lookup_key(tenancy, user, fp)
            if pem is None:
                raise _unauth("The API key is unknown or no longer active")
            pub = self._public(pem)
            principal = Principal(tenancy, user, key_id)

        lines = []
        for h in signed:
            if h == "(request-target)":
                lines.append(f"(request-target): {method.lower()} {target}")
            else:
                v = headers.get(h)
                if v is None:
                    raise _unauth(f"The signed header '{h}' is missing from the request")
                lines.append(f"{h}: {v}")
        try:
            sig = base64.b64decode(params["signature"], validate=True)
        except ValueError:
            raise _unauth("The signature is not valid base64") from None
        try:
            pub.verify(sig, "\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise _unauth("The request signature does not match") from None
        return principal
