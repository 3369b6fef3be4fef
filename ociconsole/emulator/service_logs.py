"""Service logs: what other services write into OCI Logging when something loggable really happens.

A SERVICE log (services/logging.py) is enabled for one resource of one service and one category:
its `configuration.source` is `{"sourceType": "OCISERVICE", "service": "objectstorage", "resource":
"<bucket name>", "category": "write"}`. The services that produce such logs are declared here in SOURCES
(what Logging's service registry, `list_services`, lists and what `create_log` checks a source against),
and a service calls `record(...)` where the event happens:

    service_logs.record(ctx.core, ctx.region, "objectstorage", bucket["name"], "write",
                        "com.oraclecloud.objectstorage.putobject", {...}, compartment_id=..., resource_id=...)

`record` costs one index lookup when no log is enabled for that resource. Nothing is invented: a log gets
the events its service really served. Declared: Object Storage access logs (read: GetObject and HeadObject,
write: PutObject and DeleteObject, recorded by services/object_storage.py) and VCN flow logs on a subnet
(category `all`); the emulator carries no packets of its own, so a flow log holds only what a service
that does carry traffic records into it (a load balancer to its backends, with OCI's flow-log record
fields: `action`, `bytesOut`, `destinationAddress`, `destinationPort`, `packets`, `protocol`,
`sourceAddress`, `sourcePort`, `startTime`, `endTime`, `status`, `version`) and is empty until then.
A load balancer's (access, error) or a function's (invoke) logs are one entry in SOURCES and one
`record` call in their service, for example::

    LogSource("loadbalancer", "Load Balancer", "loadbalancers", {"access": "Access Logs", "error": "Error Logs"},
              "load balancer", "loadbalancer")
    service_logs.record(ctx.core, ctx.region, "loadbalancer", lb["id"], "access",
                        "com.oraclecloud.loadbalancer.access", {...the request's fields...}, resource_id=lb["id"])

plus the kind's line in the console's catalog.logging.LOG_SOURCES (its "Enable log…" and Logs tab).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from .protocol import ts

LOG_KIND = "log"
ENTRY_KIND = "logentry"


@dataclass(frozen=True)
class LogSource:
    service: str  # Logging's name of the service ("objectstorage")
    display: str  # "Object Storage"
    resource_type: str  # "buckets"
    categories: dict[str, str]  # name -> display name
    what: str  # the resource, for messages: "bucket"
    store_kind: str  # where the emulator keeps the resource
    by_name: bool = False  # the resource is named (a bucket), not an OCID
    endpoint: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


SOURCES: dict[str, LogSource] = {s.service: s for s in (
    LogSource("objectstorage", "Object Storage", "buckets", {"read": "Read Access Events",
                                                            "write": "Write Access Events"},
              "bucket", "osbucket", by_name=True, endpoint="objectstorage.{region}.oraclecloud.com"),
    LogSource("flowlogs", "Virtual Cloud Network", "subnets", {"all": "All records"}, "subnet", "subnet",
              endpoint="iaas.{region}.oraclecloud.com"),
    # a function's invocations, enabled on its application (services/functions.py records each real one)
    LogSource("functions", "Functions", "applications", {"invoke": "Function Invocation Logs"}, "application",
              "fnapp", endpoint="functions.{region}.oci.oraclecloud.com"),
    # a load balancer's access and error logs: the requests it served. The emulator carries no HTTP traffic
    # through its load balancers, so these logs can be enabled and stay empty: nothing is invented
    LogSource("loadbalancer", "Load Balancer", "loadbalancers", {"access": "Access Logs", "error": "Error Logs"},
              "load balancer", "load_balancer", endpoint="iaas.{region}.oraclecloud.com"),
)}


def source_key(service: str, resource: str, category: str) -> str:
    return f"{service}|{resource}|{category}"


def find_resource(store, region: str, service: str, resource: str) -> dict | None:
    """The live resource a service log's source names (a bucket by name, a subnet by OCID), or None."""
    src = SOURCES.get(service)
    if src is None or not resource:
        return None
    if src.by_name:
        docs = store.by_field(src.store_kind, "_key", f"{region}/{resource}")
        return docs[0] if docs else None
    doc = store.get(src.store_kind, resource)
    if doc is None or doc.get("_region") not in (None, region):
        return None
    if doc.get("lifecycleState") in ("TERMINATING", "TERMINATED", "DELETING", "DELETED"):
        return None
    return doc


def enabled_logs(store, region: str, service: str, resource: str, category: str) -> list[dict]:
    return [d for d in store.by_field(LOG_KIND, "_sourceKey", source_key(service, resource, category))
            if d.get("isEnabled") and d.get("lifecycleState") == "ACTIVE" and d.get("_region") == region]


def make_entry(core, log: dict, now: float, data: Any, type_: str, source: str, subject: str | None,
               time: float | None = None, entry_id: str | None = None, resource_id: str | None = None) -> dict:
    """One stored log entry: what SearchLogs shows as `logContent` (OCI's envelope), kept under the log."""
    t = now if time is None else time
    oracle = {"compartmentid": log.get("compartmentId"), "ingestedtime": ts(now), "loggroupid": log["logGroupId"],
              "logid": log["id"], "tenantid": core.tenancy_id}
    if resource_id:
        oracle["resourceid"] = resource_id
    content: dict[str, Any] = {"data": data, "id": entry_id or str(uuid.uuid4()), "oracle": oracle,
                               "source": source, "specversion": "1.0", "time": ts(t), "type": type_}
    if subject:
        content["subject"] = subject
    return {"id": f"{log['id']}#{uuid.uuid4().hex}", "logId": log["id"], "_t": float(t), "_ingested": float(now),
            "_region": log.get("_region"), "content": content, "_size": len(json.dumps(content))}


def record(core, region: str, service: str, resource: str, category: str, type_: str, data: dict,
           subject: str | None = None, resource_id: str | None = None) -> int:
    """Append an event to every enabled service log of (service, resource, category); how many got it.
    Call it inside the request's transaction (a handler), where the event happened."""
    logs = enabled_logs(core.store, region, service, resource, category)
    now = core.clock.now()
    for log in logs:
        core.store.put(ENTRY_KIND, make_entry(core, log, now, data, type_, resource, subject,
                                              resource_id=resource_id))
    return len(logs)


def principal_of(ctx) -> dict:
    """Who signed the request, as service logs name them (principalId, principalName)."""
    p = ctx.principal
    if p is None:
        return {"authenticationType": "none"}
    user = ctx.store.get("user", p.user_id) or {}
    return {"authenticationType": "iam", "principalId": p.user_id, "principalName": user.get("name") or p.user_id,
            "tenantId": p.tenancy_id}
