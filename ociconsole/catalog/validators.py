"""Input validators behind the creation dialogs.

Each returns None when the value is acceptable, or a message a person can act on. They
never raise, whatever the input (property-tested).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

_CTRL = re.compile(r"[\x00-\x1f\x7f]")


def display_name(v, required: bool = False) -> str | None:
    if not isinstance(v, str) or not v.strip():
        return "A name is required" if required else None
    if len(v) > 255:
        return "At most 255 characters"
    if _CTRL.search(v):
        return "Control characters are not allowed"
    return None


def iam_name(v, what: str = "Name") -> str | None:
    if not isinstance(v, str) or not v:
        return f"{what} is required"
    if len(v) > 100:
        return f"{what}: at most 100 characters"
    if not re.fullmatch(r"[A-Za-z0-9._+@-]+", v):
        return f"{what}: only letters, digits and . _ + @ - are allowed"
    return None


def compartment_name(v) -> str | None:
    if not isinstance(v, str) or not v:
        return "Name is required"
    if len(v) > 100:
        return "At most 100 characters"
    if not re.fullmatch(r"[A-Za-z0-9._-]+", v):
        return "Only letters, digits, '.', '_' and '-' are allowed"
    return None


def description(v, required: bool = True) -> str | None:
    if not isinstance(v, str) or not v.strip():
        return "A description is required" if required else None
    if len(v) > 400:
        return "At most 400 characters"
    return None


def dns_label(v, required: bool = False) -> str | None:
    if v is None or v == "":
        return "A DNS label is required" if required else None
    if not isinstance(v, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,14}", v):
        return "Start with a letter; 1-15 letters or digits"
    return None


def parse_cidr(v) -> tuple[ipaddress.IPv4Network | None, str | None]:
    if not isinstance(v, str) or not v.strip():
        return None, "A CIDR block is required, e.g. 10.0.0.0/16"
    s = v.strip()
    if not re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}/\d{1,2}", s):
        return None, "Write an IPv4 CIDR block as a.b.c.d/n, e.g. 10.0.0.0/16"
    try:
        net = ipaddress.IPv4Network(s, strict=True)
    except ValueError as e:
        if "host bits" in str(e):
            try:
                fixed = ipaddress.IPv4Network(s, strict=False)
            except ValueError:
                return None, "Not a valid IPv4 CIDR block"
            return None, f"Host bits are set; did you mean {fixed}?"
        return None, "Not a valid IPv4 CIDR block"
    return net, None


# what OCI refuses in a VCN or subnet: "this network", loopback, link-local, Classes D and E
RESERVED_CIDRS = tuple(ipaddress.IPv4Network(n) for n in (
    "0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4"))


def parse_ips(text) -> tuple[list[str], str | None]:
    """An allow-list: IP addresses or CIDR blocks separated by spaces, commas or lines."""
    out = []
    for part in re.split(r"[\s,]+", (text or "").strip()):
        if not part:
            continue
        try:
            ipaddress.ip_network(part, strict=False)
        except ValueError:
            return [], f"'{part}' is not an IP address or CIDR block"
        out.append(part)
    return out, None


def cidr(v, min_prefix: int = 16, max_prefix: int = 30) -> str | None:
    """A VCN or subnet CIDR block."""
    net, err = parse_cidr(v)
    if err:
        return err
    assert net is not None
    if not min_prefix <= net.prefixlen <= max_prefix:
        return f"The prefix must be between /{min_prefix} and /{max_prefix}"
    for r in RESERVED_CIDRS:
        if net.overlaps(r):
            return f"Overlaps {r}, a reserved range; use a private range such as 10.0.0.0/16"
    return None


def subnet_cidr(v, vcn_cidrs: Iterable[str], existing: Iterable[tuple[str, str]] = ()) -> str | None:
    """A subnet CIDR inside one of the VCN's blocks, overlapping none of `existing` (name, cidr)."""
    err = cidr(v, 16, 30)
    if err:
        return err
    net = ipaddress.IPv4Network(v.strip())
    parents = []
    for c in vcn_cidrs:
        try:
            parents.append(ipaddress.IPv4Network(c))
        except ValueError:
            continue
    if parents and not any(net.subnet_of(p) for p in parents):
        return f"Must be inside the VCN's CIDR ({', '.join(str(p) for p in parents)})"
    for name, other in existing:
        try:
            if net.overlaps(ipaddress.IPv4Network(other)):
                return f"Overlaps subnet {name} ({other})"
        except ValueError:
            continue
    return None


def number_in(v, lo: float, hi: float, what: str = "Value", whole: bool = True) -> str | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v:  # NaN
        return f"{what} must be a number"
    if v in (float("inf"), float("-inf")):
        return f"{what} must be between {lo:g} and {hi:g}"
    if whole and v != int(v):
        return f"{what} must be a whole number"
    if not lo <= v <= hi:
        return f"{what} must be between {lo:g} and {hi:g}"
    return None


def flex_memory(mem, ocpus, memory_options: dict | None) -> str | None:
    """Memory for a flexible shape: within the shape's total and per-OCPU bounds."""
    if not memory_options:
        return None
    err = number_in(mem, memory_options.get("min_in_g_bs", 1), memory_options.get("max_in_g_bs", 1e9), "Memory")
    if err:
        return err
    if isinstance(ocpus, (int, float)) and not isinstance(ocpus, bool) and ocpus > 0:
        lo = ocpus * memory_options.get("min_per_ocpu_in_gbs", 0)
        hi = ocpus * memory_options.get("max_per_ocpu_in_gbs", 1e9)
        if not lo <= mem <= hi:
            return f"For {ocpus:g} OCPUs, memory must be between {lo:g} and {hi:g} GB"
    return None


SSH_KEY = re.compile(r"(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|"
                     r"sk-ecdsa-sha2-nistp256@openssh\.com)\s+([A-Za-z0-9+/]+={0,3})(\s+\S.*)?")


def ssh_public_keys(text, required: bool = False) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return "At least one SSH public key is required" if required else None
    import base64
    for i, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if s.startswith("-----BEGIN"):
            return f"Line {i}: this is a PEM key; paste the OpenSSH public key (ssh-rsa/ssh-ed25519 ...)"
        m = SSH_KEY.fullmatch(s)
        if not m:
            return f"Line {i} is not an OpenSSH public key (expected e.g. 'ssh-ed25519 AAAA... user@host')"
        try:
            blob = base64.b64decode(m.group(4), validate=True)
        except ValueError:
            return f"Line {i}: the key data is not valid base64"
        if len(blob) < 4 or int.from_bytes(blob[:4], "big") > len(blob) - 4:
            return f"Line {i}: the key data is truncated"
        kind = blob[4:4 + int.from_bytes(blob[:4], "big")].decode("latin-1")
        if kind != m.group(1):
            return f"Line {i}: the key says {m.group(1)} but its data is a {kind or 'different'} key"
        if not kind.startswith("sk-"):  # security-key types are not parsed by cryptography
            from cryptography.exceptions import UnsupportedAlgorithm
            from cryptography.hazmat.primitives.serialization import load_ssh_public_key
            try:
                load_ssh_public_key(f"{kind} {m.group(4)}".encode())
            except (ValueError, UnsupportedAlgorithm):
                return f"Line {i}: the {kind} key data is incomplete or damaged"
    return None


MAX_FREEFORM_TAGS = 10


def parse_tags(text) -> tuple[dict[str, str], str | None]:
    """Freeform tags written one per line as key=value."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return {}, None
    if not isinstance(text, str):
        return {}, "Tags must be text"
    out: dict[str, str] = {}
    for i, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s:
            continue
        if "=" not in s:
            return {}, f"Line {i}: write tags as key=value"
        k, v = s.split("=", 1)
        k, v = k.strip(), v.strip()
        if not k:
            return {}, f"Line {i}: the tag key is empty"
        if len(k) > 100:
            return {}, f"Line {i}: tag keys are at most 100 characters"
        if "." in k or any(c.isspace() for c in k):
            return {}, f"Line {i}: tag keys cannot contain periods or spaces"
        if len(v) > 256:
            return {}, f"Line {i}: tag values are at most 256 characters"
        if _CTRL.search(k) or _CTRL.search(v):
            return {}, f"Line {i}: control characters are not allowed"
        if k in out:
            return {}, f"Line {i}: the key '{k}' appears twice"
        out[k] = v
    if len(out) > MAX_FREEFORM_TAGS:
        return {}, f"At most {MAX_FREEFORM_TAGS} tags (OCI's limit of free-form tags per resource)"
    return out, None


def tags(text) -> str | None:
    return parse_tags(text)[1]


# ---------------------------------------------------------------- IAM policy statements

_VERBS = ("inspect", "read", "use", "manage")
_SUBJECT = re.compile(
    r"(any-user|any-group"
    r"|(?:group|dynamic-group)\s+id\s+ocid1\.[\w.-]+(?:\s*,\s*(?:group|dynamic-group)\s+id\s+ocid1\.[\w.-]+)*"
    r"|(?:group|dynamic-group)\s+(?:'[^']+'|[\w.@/+-]+)(?:\s*,\s*(?:(?:group|dynamic-group)\s+)?(?:'[^']+'|[\w.@/+-]+))*"
    r"|service\s+[\w.-]+(?:\s*,\s*[\w.-]+)*)", re.I)
_LOCATION = re.compile(r"(tenancy|compartment\s+id\s+ocid1\.[\w.-]+|compartment\s+[\w.:-]+)", re.I)
_RESOURCE = re.compile(r"[a-z][a-z0-9-]*", re.I)


def policy_statement(s) -> str | None:
    """Syntax of one statement: Allow <subject> to <verb> <resource-type> in <location> [where ...]."""
    if not isinstance(s, str) or not s.strip():
        return "The statement is empty"
    text = " ".join(s.split())
    low = text.lower()
    if low.startswith("define "):
        if re.fullmatch(r"define\s+(tenancy|group|dynamic-group)\s+[\w-]+\s+as\s+ocid1\.[\w.-]+", text, re.I):
            return None
        return "Write: Define tenancy <alias> as <ocid>"
    m = re.fullmatch(rf"(allow|endorse|admit)\s+({_SUBJECT.pattern})\s+to\s+(.+)", text, re.I)
    if not m:
        rough = re.fullmatch(r"(allow|endorse|admit)\s+(.+?)\s+to\s+(.+)", text, re.I)
        if not rough:
            return "Start with 'Allow <subject> to ...'"
        return (f"Unknown subject '{rough.group(2)}': use group <name>, dynamic-group <name>, any-user "
                "or service <name>")
    rest = m.group(m.re.groups)  # the last group (.+): what follows "to"
    rest = re.split(r"\s+where\s+", rest, maxsplit=1, flags=re.I)
    cond = rest[1] if len(rest) > 1 else None
    im = re.fullmatch(r"(.+?)\s+in\s+(.+)", rest[0], re.I)
    if not im:
        return "Missing 'in tenancy' or 'in compartment <name>'"
    what, where = im.group(1).strip(), im.group(2).strip()
    if what.startswith("{"):
        if not re.fullmatch(r"\{\s*[A-Z][A-Z0-9_]*(\s*,\s*[A-Z][A-Z0-9_]*)*\s*\}", what):
            return "Permissions are written {PERMISSION_NAME, ...} in capitals"
    else:
        parts = what.split()
        if len(parts) != 2:
            return f"Expected '<verb> <resource-type>' but got '{what}'"
        if parts[0].lower() not in _VERBS:
            return f"Unknown verb '{parts[0]}': use inspect, read, use or manage"
        if not _RESOURCE.fullmatch(parts[1]):
            return f"'{parts[1]}' is not a resource type (e.g. instance-family, all-resources)"
    if not _LOCATION.fullmatch(where):
        return f"Unknown location '{where}': use tenancy, compartment <name> or compartment id <ocid>"
    if cond is not None and not cond.strip():
        return "The where-condition is empty"
    return None


def policy_statements(text) -> str | None:
    if not isinstance(text, str):
        return "Statements must be text"
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return "At least one statement is required"
    if len(lines) > 50:
        return "At most 50 statements per policy"
    for i, ln in enumerate(lines, 1):
        err = policy_statement(ln)
        if err:
            return f"Statement {i}: {err}"
    return None


# ---------------------------------------------------------------- monitoring

def mql(text, alarm: bool = False) -> str | None:
    """A Monitoring Query Language query, checked client-side ("Column 17: expected ..."); alarm
    queries also need a trigger rule (a predicate or absent())."""
    from . import mql as _mql
    if not isinstance(text, str) or not text.strip():
        return "A query is required, e.g. CpuUtilization[1m].mean()"
    err = _mql.check_alarm(text) if alarm else _mql.check(text)
    return None if err is None else f"Column {err.column}: {err.message}"


_METRIC_NS = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_METRIC_NAME = re.compile(r"[A-Za-z][A-Za-z0-9._$-]*")
_DIM_KEY = re.compile(r"[\x21-\x7e]+")
RESERVED_NAMESPACE_PREFIXES = ("oci_", "oracle_", "oraclecloud")
MAX_DIMENSIONS = 20


def metric_namespace(v, custom: bool = True) -> str | None:
    """A metric namespace; custom ones (posted) may not use OCI's reserved prefixes."""
    if not isinstance(v, str) or not v:
        return "A namespace is required"
    if len(v) > 255:
        return "At most 255 characters"
    if not _METRIC_NS.fullmatch(v):
        return "Start with a letter; then only letters, digits and '_'"
    if custom and v.lower().startswith(RESERVED_NAMESPACE_PREFIXES):
        return "Custom namespaces cannot start with 'oci_', 'oracle_' or 'oraclecloud' (reserved for OCI)"
    return None


def metric_name(v, what: str = "A metric name") -> str | None:
    if not isinstance(v, str) or not v:
        return f"{what} is required"
    if len(v) > 255:
        return "At most 255 characters"
    if not _METRIC_NAME.fullmatch(v):
        return "Start with a letter; then only letters, digits, '.', '_', '-' and '$'"
    return None


def parse_dimensions(text) -> tuple[dict[str, str], str | None]:
    """Metric dimensions from key=value lines: (dimensions, first problem or None). OCI: 1-20
    dimensions, keys 1-256 printable ASCII characters without spaces, values 1-512 characters."""
    if not isinstance(text, str):
        return {}, "Dimensions are required: one key=value per line"
    out: dict[str, str] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if "=" not in line:
            return out, f"Line {n}: write key=value"
        k, val = (p.strip() for p in line.split("=", 1))
        if not k or len(k) > 256 or not _DIM_KEY.fullmatch(k):
            return out, f"Line {n}: the key must be 1-256 printable ASCII characters without spaces"
        if not val or len(val) > 512:
            return out, f"Line {n}: the value of {k} must be 1-512 characters"
        if _CTRL.search(val):
            return out, f"Line {n}: control characters are not allowed"
        if k in out:
            return out, f"Line {n}: {k} is given twice"
        out[k] = val
    if not out:
        return out, "At least one dimension is required (one key=value per line)"
    if len(out) > MAX_DIMENSIONS:
        return out, f"At most {MAX_DIMENSIONS} dimensions"
    return out, None


def metric_dimensions(text) -> str | None:
    return parse_dimensions(text)[1]


def iso_duration(v) -> int | None:
    """Seconds of an ISO 8601 duration such as PT5M, PT1H or P1D (None if it is not one)."""
    if not isinstance(v, str):
        return None
    m = re.fullmatch(r"P(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", v.strip())
    if not m or not any(m.groups()):
        return None
    d, h, mi, s = (int(x) if x else 0 for x in m.groups())
    return d * 86400 + h * 3600 + mi * 60 + s


def alarm_destinations(text) -> str | None:
    """Notification topic / stream OCIDs, one per line (OCI: at least one, one per service)."""
    if not isinstance(text, str) or not text.strip():
        return "At least one destination is required: a Notifications topic OCID (ocid1.onstopic...)"
    seen = set()
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        parts = line.split(".")
        if len(parts) < 4 or parts[0] != "ocid1" or parts[1] not in ("onstopic", "stream") or \
                not re.fullmatch(r"[a-z0-9._-]+", line):
            return f"Line {n}: not the OCID of a Notifications topic (ocid1.onstopic...) or a stream (ocid1.stream...)"
        if parts[1] in seen:
            return "One destination per service: one topic and/or one stream"
        seen.add(parts[1])
    return None
