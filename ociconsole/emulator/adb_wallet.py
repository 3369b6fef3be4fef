"""An Autonomous Database client wallet, as `generate_autonomous_database_wallet` returns it: a zip of

- tnsnames.ora: one entry per service level of the database (`<dbname>_high`, `_medium`, `_low`, and
  `_tp`, `_tpurgent` for transaction processing, JSON and APEX workloads), TCPS on port 1522;
- sqlnet.ora (WALLET_LOCATION, SSL_SERVER_DN_MATCH) and ojdbc.properties (the JDBC wallet location);
- ewallet.p12: a PKCS#12 key store, encrypted with the wallet password, holding the client's key and
  certificate and the CA chain; ewallet.pem: the same key (encrypted PEM) and certificates for thin drivers;
- keystore.jks (the client key entry) and truststore.jks (the CA as a trusted certificate): Java key
  stores in the JKS format (magic 0xFEEDFEED, version 2, Sun's key protection, SHA-1 integrity digest),
  readable by `keytool` with the wallet password;
- README: what the files are and when the wallet's certificates expire.

Oracle's auto-login wallet (cwallet.sso) is a proprietary obfuscated format and is not produced.
Certificates are made with `cryptography` (RSA 2048, SHA-256), the server DN names the region's host.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import struct
import zipfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

CERT_DAYS = 5 * 365  # OCI wallets' client certificates are valid for about five years


def _name(cn: str, ou: str = "Oracle ADB") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                      x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "California"),
                      x509.NameAttribute(NameOID.LOCALITY_NAME, "Redwood City"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Oracle Corporation"),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(subject: x509.Name, issuer: x509.Name, key, signer, now: dt.datetime, ca: bool) -> x509.Certificate:
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
         .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
         .not_valid_after(now + dt.timedelta(days=CERT_DAYS))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    return b.sign(signer, hashes.SHA256())


# ---------------------------------------------------------------- JKS

def _utf(s: str) -> bytes:
    data = s.encode("utf-8")
    return struct.pack(">H", len(data)) + data


def _der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def _der(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _der_len(len(body)) + body


# Sun's proprietary key protection algorithm (JKS private key entries)
_SUN_JKS_KEY_OID = bytes.fromhex("060a2b060104012a02110101")  # 1.3.6.1.4.1.42.2.17.1.1


def _jks_protect(pkcs8: bytes, password: str) -> bytes:
    pw = password.encode("utf-16-be")
    salt = os.urandom(20)
    stream = b""
    digest = salt
    while len(stream) < len(pkcs8):
        digest = hashlib.sha1(pw + digest).digest()
        stream += digest
    encrypted = bytes(a ^ b for a, b in zip(pkcs8, stream, strict=False))
    check = hashlib.sha1(pw + pkcs8).digest()
    algorithm = _der(0x30, _SUN_JKS_KEY_OID + b"\x05\x00")
    return _der(0x30, algorithm + _der(0x04, salt + encrypted + check))


def jks(password: str, keys: list[tuple[str, bytes, list[bytes]]], trusted: list[tuple[str, bytes]],
        when_ms: int) -> bytes:
    """A JKS key store: private key entries (alias, PKCS#8 DER, certificate chain DERs) and trusted
    certificates (alias, DER)."""
    out = struct.pack(">III", 0xFEEDFEED, 2, len(keys) + len(trusted))
    for alias, pkcs8, chain in keys:
        protected = _jks_protect(pkcs8, password)
        out += struct.pack(">I", 1) + _utf(alias) + struct.pack(">Q", when_ms)
        out += struct.pack(">I", len(protected)) + protected + struct.pack(">I", len(chain))
        for der in chain:
            out += _utf("X.509") + struct.pack(">I", len(der)) + der
    for alias, der in trusted:
        out += struct.pack(">I", 2) + _utf(alias) + struct.pack(">Q", when_ms)
        out += _utf("X.509") + struct.pack(">I", len(der)) + der
    digest = hashlib.sha1(password.encode("utf-16-be") + b"Mighty Aphrodite" + out).digest()
    return out + digest


# ---------------------------------------------------------------- the wallet

def tns_entry(host: str, port: int, service: str, retries: bool = True) -> str:
    retry = "(retry_count=20)(retry_delay=3)" if retries else ""
    return (f"(description= {retry}(address=(protocol=tcps)(port={port})(host={host}))"
            f"(connect_data=(service_name={service}))(security=(ssl_server_dn_match=yes)))")


def build(db_name: str, services: dict[str, str], host: str, password: str, now: float,
          port: int = 1522) -> bytes:
    """The wallet zip for a database whose service levels are `services` (level -> service name)."""
    when = dt.datetime.fromtimestamp(now, tz=dt.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("Oracle ADB CA", "Oracle BMCS US")
    ca = _cert(ca_name, ca_name, ca_key, ca_key, when, ca=True)
    client_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    client = _cert(_name(f"{db_name.lower()}-client"), ca_name, client_key, ca_key, when, ca=False)
    pw = password.encode()

    p12 = pkcs12.serialize_key_and_certificates(
        b"orakey", client_key, client, [ca], serialization.BestAvailableEncryption(pw))
    pem = (client_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.BestAvailableEncryption(pw))
           + client.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM))
    pkcs8 = client_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
    client_der = client.public_bytes(serialization.Encoding.DER)
    ca_der = ca.public_bytes(serialization.Encoding.DER)
    when_ms = int(now * 1000)
    keystore = jks(password, [("orakey", pkcs8, [client_der, ca_der])], [], when_ms)
    truststore = jks(password, [], [("oraca", ca_der)], when_ms)

    tns = "".join(f"{db_name.lower()}_{level} = {tns_entry(host, port, svc)}\n\n" for level, svc in services.items())
    sqlnet = ('WALLET_LOCATION = (SOURCE = (METHOD = file) (METHOD_DATA = (DIRECTORY="?/network/admin")))\n'
              "SSL_SERVER_DN_MATCH=yes\n")
    ojdbc = ("# Connection property while using Oracle wallets.\n"
             "oracle.net.wallet_location=(source=(method=file)(method_data=(directory=${TNS_ADMIN})))\n"
             "# FOLLOW THESE STEPS FOR USING JKS\n"
             "# (1) Uncomment the following properties to use JKS.\n"
             "# (2) Comment out the oracle.net.wallet_location property above\n"
             "# (3) Set the correct password for both trustStorePassword and keyStorePassword.\n"
             "#javax.net.ssl.trustStore=${TNS_ADMIN}/truststore.jks\n"
             "#javax.net.ssl.trustStorePassword=<password_from_console>\n"
             "#javax.net.ssl.keyStore=${TNS_ADMIN}/keystore.jks\n"
             "#javax.net.ssl.keyStorePassword=<password_from_console>\n")
    expires = (when + dt.timedelta(days=CERT_DAYS)).strftime("%Y-%m-%d %H:%M:%S UTC")
    readme = ("Wallet Expiry Date\n-----------------------\n"
              f"This wallet was downloaded on {when.strftime('%Y-%m-%d %H:%M:%S UTC')}.\n"
              f"The SSL certificates provided in this wallet will expire on {expires}.\n"
              "In order to avoid any service interruptions due to an expired SSL certificate, you must re-download "
              "the wallet before this date.\n\n"
              "Files: tnsnames.ora (connect descriptors), sqlnet.ora, ojdbc.properties, ewallet.p12 (PKCS#12), "
              "ewallet.pem, keystore.jks and truststore.jks (Java key stores). The key stores are protected by "
              "the wallet password given when the wallet was downloaded.\n")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("README", readme.encode()), ("tnsnames.ora", tns.encode()),
                           ("sqlnet.ora", sqlnet.encode()), ("ojdbc.properties", ojdbc.encode()),
                           ("ewallet.p12", p12), ("ewallet.pem", pem), ("keystore.jks", keystore),
                           ("truststore.jks", truststore)):
            z.writestr(name, data)
    return buf.getvalue()
