"""Syntax check of IAM policy statements, as OCI checks them on create/update.

    Allow <subject> to <verb> <resource-type> in <location> [where <conditions>]
    Allow <subject> to {PERMISSION, ...} in <location> [where ...]
    Define tenancy|group|dynamic-group <alias> as <ocid>
    Endorse|Admit <subject> to ... in tenancy <alias> ...

subject: group <name>[, group <name>...] | group id <ocid> | dynamic-group <name> |
         any-user | any-group | service <name>[, <name>...]
location: tenancy | compartment <name or path a:b:c> | compartment id <ocid>
"""

from __future__ import annotations

import re

VERBS = {"inspect", "read", "use", "manage"}

RESOURCE_TYPES = {
    "all-resources",
    # families
    "instance-family", "compute-management-family", "virtual-network-family", "volume-family",
    "object-family", "file-family", "database-family", "autonomous-database-family",
    "cluster-family", "dns", "load-balancers", "functions-family", "repos", "analytics-instances",
    "data-science-family", "integration-instances", "metrics", "alarms", "log-groups", "log-content",
    "logging-family", "usage-budgets", "optimizer-api-family", "waas-family", "web-app-firewall",
    "waf-family", "vaults", "keys", "secret-family", "tag-namespaces", "tag-defaults",
    "dynamic-groups", "users", "groups", "policies", "compartments", "tenancies", "api-keys",
    "auth-tokens", "identity-providers", "network-sources", "domains", "ons-family", "ons-topics",
    "cloudevents-rules", "stream-family", "mysql-family", "nosql-family", "cloud-guard-family",
    "bastion-family", "database-migration-family", "dr-protection-groups", "disaster-recovery-family",
    "work-requests", "audit-events", "buckets", "objects", "instances", "instance-images",
    "instance-console-connection", "volumes", "volume-attachments", "volume-backups",
    "boot-volume-backups", "vcns", "subnets", "route-tables", "security-lists", "internet-gateways",
    "nat-gateways", "service-gateways", "network-security-groups", "vnics", "vnic-attachments",
    "private-ips", "public-ips", "drgs", "file-systems", "mount-targets", "export-sets",
    "autonomous-databases", "db-systems", "clusters", "cluster-node-pools", "fn-app", "fn-function",
    "metric-namespaces", "budgets", "quota", "quotas", "tag-namespace",
}

_SUBJECT = re.compile(
    r"^(?:"
    r"any-user|any-group"
    r"|(?:group|dynamic-group)\s+id\s+ocid1\.[\w.-]+(?:\s*,\s*(?:group|dynamic-group)\s+id\s+ocid1\.[\w.-]+)*"
    r"|(?:group|dynamic-group)\s+(?:'[^']+'|[\w.@/+-]+)(?:\s*,\s*(?:(?:group|dynamic-group)\s+)?(?:'[^']+'|[\w.@/+-]+))*"
    r"|service\s+[\w.-]+(?:\s*,\s*[\w.-]+)*"
    r"|resource\s+[\w.-]+\s+[\w.-]+"
    r")$", re.I)

_LOCATION = re.compile(
    r"^(?:tenancy(?:\s+[\w-]+)?|compartment\s+id\s+ocid1\.[\w.-]+|compartment\s+[\w.:-]+)$", re.I)


class PolicyError(ValueError):
    pass


def parse_statement(stmt: str) -> dict:
    """Return the parsed parts of one statement or raise PolicyError naming the problem."""
    s = " ".join(stmt.split())
    if not s:
        raise PolicyError("empty statement")
    low = s.lower()
    if low.startswith("define "):
        m = re.match(r"^define\s+(tenancy|group|dynamic-group)\s+([\w-]+)\s+as\s+(ocid1\.[\w.-]+)$", s, re.I)
        if not m:
            raise PolicyError("expected 'Define tenancy|group|dynamic-group <alias> as <ocid>'")
        return {"kind": "define"}
    subject_re = _SUBJECT.pattern.lstrip("^").rstrip("$")
    m = re.match(rf"^(allow|endorse|admit|deny)\s+({subject_re})\s+to\s+(.+)$", s, re.I)
    if not m:
        rough = re.match(r"^(allow|endorse|admit|deny)\s+(.+?)\s+to\s+(.+)$", s, re.I)
        if not rough:
            raise PolicyError("expected 'Allow <subject> to <verb> <resource-type> in <location>'")
        raise PolicyError(f"unrecognised subject '{rough.group(2)}' (expected group <name>, dynamic-group <name>, "
                          "any-user, any-group or service <name>)")
    action, subject, rest = m.group(1).lower(), m.group(2), m.group(m.lastindex)
    where = None
    wm = re.search(r"\s+where\s+(.+)$", rest, re.I)
    if wm:
        where = wm.group(1)
        rest = rest[: wm.start()]
    im = re.match(r"^(.+?)\s+in\s+(.+)$", rest, re.I)
    if not im:
        raise PolicyError("missing 'in tenancy' or 'in compartment <name>'")
    what, location = im.group(1).strip(), im.group(2).strip()
    if what.startswith("{"):
        if not re.match(r"^\{\s*[A-Z][A-Z0-9_]*(\s*,\s*[A-Z][A-Z0-9_]*)*\s*\}$", what):
            raise PolicyError("permissions must be written {PERMISSION_NAME, ...} in capitals")
        verb, rtype = None, None
    else:
        parts = what.split()
        if len(parts) != 2:
            raise PolicyError(f"expected '<verb> <resource-type>', got '{what}'")
        verb, rtype = parts[0].lower(), parts[1].lower()
        if verb not in VERBS:
            raise PolicyError(f"unknown verb '{parts[0]}' (expected inspect, read, use or manage)")
        if rtype not in RESOURCE_TYPES:
            raise PolicyError(f"unknown resource type '{parts[1]}'")
    if action in ("endorse", "admit"):
        if not re.match(r"^(tenancy|compartment)\b", location, re.I):
            raise PolicyError(f"unrecognised location '{location}'")
    elif not _LOCATION.match(location):
        raise PolicyError(f"unrecognised location '{location}' (expected tenancy, compartment <name> "
                          "or compartment id <ocid>)")
    if where is not None:
        if not re.match(r"^(?:any\s*\{.+\}|all\s*\{.+\}|[\w.\-]+\s*(?:=|!=|in|before|after|between)\s*.+)$",
                        where, re.I):
            raise PolicyError(f"unrecognised condition '{where}'")
    groups = []
    if subject.lower().startswith("group ") and " id " not in f" {subject.lower()} ":
        for g in re.split(r"\s*,\s*", subject[6:]):
            g = re.sub(r"^group\s+", "", g, flags=re.I).strip().strip("'")
            groups.append(g)
    comp = None
    lm = re.match(r"^compartment\s+(?!id\s)([\w.:-]+)$", location, re.I)
    if lm:
        comp = lm.group(1)
    return {"kind": action, "verb": verb, "resource_type": rtype, "groups": groups,
            "compartment_path": comp, "where": where}
