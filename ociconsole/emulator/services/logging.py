"""Logging: management (`/logging`, LoggingManagementClient), ingestion (`/loggingingestion`, LoggingClient
PutLogs) and search (`/loggingsearch`, LogSearchClient SearchLogs).

Management: log groups (display names unique in their compartment; a group that still holds logs cannot
be deleted, 409), logs under a group (names unique in the group, letters, digits, `-`, `.` and `_` only),
and unified agent configurations (created with a LOGGING service configuration whose destination is a
custom log, listed, read, deleted). Creates, updates, deletes and moves answer with an `opc-work-request-id`
of this service's work-request API (the SDK's `..._and_wait_for_state` composites and the CLI's
`--wait-for-state SUCCEEDED` poll it): CREATING, then ACTIVE; UPDATING, then ACTIVE; DELETING, then gone.
A log is CUSTOM (entries come through PutLogs or an agent) or SERVICE: its `configuration.source` is
`{"sourceType": "OCISERVICE", "service", "resource", "category"}` of a service in the registry
(`list_services`; see emulator/service_logs.py): Object Storage `read`/`write` on a bucket (by name),
VCN flow logs `all` on a subnet (by OCID). One log per source (409 for a second); the resource must exist.
`retentionDuration` is 30 to 180 days in steps of 30 (default 30), as OCI allows.

Ingestion (PutLogs) takes `specversion` "1.0" and one or more batches (`source`, `type`, `entries`,
`defaultlogentrytime`), each entry `data` and `id` and an optional `time`, into an ACTIVE, enabled CUSTOM
log. Limits as OCI's: a request body of at most 10 MB (413, the emulator's JSON body limit is the same),
an entry under 1 MB (the SDK's documented bound), an entry time not older than the log's retention.
An entry's `data` that is a JSON object is searchable by its fields (`data.level`).

Search (SearchLogs) runs the Logging query language (ociconsole/lang/logging_query.py, evaluated by
emulator/logquery.py) between `timeStart` and `timeEnd` (at most 14 days apart); a query that does not parse
is a 400 naming its column. Results are `{"datetime": <epoch ms>, "logContent": {...}}`
rows in time order unless sorted (entries past the log's retention are not found, and are dropped at the next
PutLogs), or the rows of `summarize` / `select`; `limit` (at most 1,000 a page,
default 100) and `page` page them (opc-next-page).
"""

from __future__ import annotations

import re
from datetime import datetime

from .. import engine, logquery, protocol, service_logs
from ..engine import Kind, Lifecycle
from ..protocol import ApiError, conflict, incorrect_state, invalid, not_found, ts
from ..registry import Context, Result, Service
from ..spec import module_specs
from . import workrequests

svc = Service("logging", name="logging")
ingestion = Service("loggingingestion", name="logging-ingestion")
search_api = Service("loggingsearch", name="logging-search")

WR_SERVICE = "logging"
RETENTION = tuple(range(30, 181, 30))  # days
LOG_NAME_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,255}$")
MAX_ENTRY_BYTES = 1024 * 1024  # "Each entry should be less than 1 MB size" (LogEntry)
MAX_SEARCH_SPAN = 14 * 86400.0
SEARCH_LIMIT = (100, 1000)  # default, maximum rows a page
LC = Lifecycle("CREATING", "ACTIVE", "UPDATING", "DELETING", None, failed="FAILED")

# what OCI answers with a work request (the SDK's composites wait on get_work_request for these)
WR_OPS = ("create_log_group", "update_log_group", "delete_log_group", "change_log_group_compartment",
          "create_log", "update_log", "delete_log", "create_unified_agent_configuration",
          "delete_unified_agent_configuration")
for _name in WR_OPS:
    module_specs("logging")[_name].work_request = True


def _check_retention(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in RETENTION:
        raise invalid(f"retentionDuration must be 30 to 180 days in steps of 30 ({', '.join(map(str, RETENTION))}), "
                      f"got {value!r}")
    return value


def _check_group(ctx: Context, body: dict, existing: dict | None) -> dict:
    desc = body.get("description")
    if desc is not None and len(str(desc)) > 400:
        raise invalid("description must be at most 400 characters")
    return {"timeLastModified": ctx.ts()}


def _group_in_use(ctx: Context, doc: dict) -> None:
    logs = [d for d in ctx.store.by_field("log", "logGroupId", doc["id"]) if d.get("lifecycleState") != "DELETING"]
    if logs:
        raise conflict(f"The log group {doc['displayName']} still holds {len(logs)} log(s) "
                       f"({', '.join(d['displayName'] for d in logs[:3])}); delete them first")


LOG_GROUP = svc.resource(Kind(
    "loggroup", "LogGroup", "log group", lifecycle=LC, unique=("displayName",), unique_scope="compartment",
    validate=_check_group, check_delete=_group_in_use))


@svc.op("list_log_groups")
def list_log_groups(ctx: Context):
    """The compartment's log groups, or (isCompartmentIdInSubtree) those of every compartment below it too."""
    comp = ctx.compartment(ctx.query.get("compartmentId"))
    docs = LOG_GROUP.list(ctx)
    if str(ctx.query.get("isCompartmentIdInSubtree")).lower() == "true":
        from .identity import subtree
        seen = {d["id"] for d in docs}
        for c in subtree(ctx, comp["id"]):
            for d in ctx.list("loggroup", c["id"]):
                if d["id"] not in seen and (ctx.query.get("displayName") in (None, d.get("displayName"))):
                    docs.append(LOG_GROUP.public(d))
    return docs


def _check_source(ctx: Context, source, group: dict, exclude: str | None = None) -> tuple[dict, dict]:
    if not isinstance(source, dict):
        raise invalid("configuration.source is required for a SERVICE log")
    if source.get("sourceType") != "OCISERVICE":
        raise invalid(f"configuration.source.sourceType must be OCISERVICE, got {source.get('sourceType')!r}")
    service, resource, category = source.get("service"), source.get("resource"), source.get("category")
    spec = service_logs.SOURCES.get(str(service))
    if spec is None:
        raise invalid(f"configuration.source.service {service!r} is not a service that writes logs "
                      f"({', '.join(service_logs.SOURCES)})")
    if category not in spec.categories:
        raise invalid(f"configuration.source.category {category!r} is not a log category of {service} "
                      f"({', '.join(spec.categories)})")
    target = service_logs.find_resource(ctx.store, ctx.region, service, str(resource or ""))
    if target is None:
        raise ApiError(404, "NotAuthorizedOrNotFound", f"configuration.source.resource: the {spec.what} "
                       f"{str(resource)[:120]!r} does not exist in {ctx.region} or you are not authorized to use it")
    key = service_logs.source_key(service, str(resource), category)
    for other in ctx.store.by_field("log", "_sourceKey", key):
        if other["id"] != exclude and other.get("_region") == ctx.region:
            raise conflict(f"The {category} log of {spec.what} {resource} already exists: {other['displayName']} "
                           f"({other['id']})")
    clean = {"sourceType": "OCISERVICE", "service": service, "resource": str(resource), "category": category,
             "parameters": dict(source.get("parameters") or {})}
    return clean, {"_sourceKey": key, "_resourceId": target.get("id")}


def _check_log(ctx: Context, body: dict, existing: dict | None) -> dict:
    out: dict = {"timeLastModified": ctx.ts()}
    name = body.get("displayName")
    if name is not None and not LOG_NAME_RE.match(str(name)):
        raise invalid(f"displayName '{str(name)[:60]}' may hold only letters, digits, '-', '.' and '_' (no spaces)")
    if body.get("retentionDuration") is not None:
        out["retentionDuration"] = _check_retention(body["retentionDuration"])
    if body.get("isEnabled") is not None and not isinstance(body["isEnabled"], bool):
        raise invalid("isEnabled must be true or false")
    config = body.get("configuration")
    if existing is not None:
        if isinstance(config, dict) and existing.get("configuration"):
            merged = dict(existing.get("configuration") or {})
            if config.get("archiving") is not None:
                merged["archiving"] = {"isEnabled": bool((config["archiving"] or {}).get("isEnabled"))}
            src = config.get("source")
            if src is not None and src != (existing.get("configuration") or {}).get("source"):
                if existing.get("logType") != "SERVICE":
                    raise invalid("a CUSTOM log has no source")
                raise invalid("configuration.source cannot be changed; create another log for another source")
            out["configuration"] = merged
        return out
    # the group is in the path (CreateLog), or in the body when another service creates a log on the user's
    # behalf (a Data Science job run's automatic log)
    group_id = (ctx.path or {}).get("logGroupId") or body.get("logGroupId")
    group = engine.KINDS["loggroup"].find_live(ctx, "loggroup", group_id, "logGroupId")
    log_type = body.get("logType")
    if log_type not in ("CUSTOM", "SERVICE"):
        raise invalid(f"logType must be CUSTOM or SERVICE, got {log_type!r}")
    out.update(compartmentId=group["compartmentId"], tenancyId=ctx.tenancy_id, logType=log_type,
               retentionDuration=out.get("retentionDuration", 30),
               isEnabled=body.get("isEnabled") if body.get("isEnabled") is not None else True)
    config = config if isinstance(config, dict) else {}
    conf: dict = {"compartmentId": config.get("compartmentId") or group["compartmentId"],
                  "archiving": {"isEnabled": bool((config.get("archiving") or {}).get("isEnabled"))}}
    if config.get("compartmentId"):
        ctx.compartment(config["compartmentId"], "configuration.compartmentId")
    if log_type == "SERVICE":
        source, extra = _check_source(ctx, config.get("source"), group)
        conf["source"] = source
        out.update(extra)
        out["configuration"] = conf
    elif config.get("source") is not None:
        raise invalid("a CUSTOM log takes no configuration.source (its entries come through PutLogs or an agent)")
    # a CUSTOM log has no configuration (the model's source is required)
    return out


LOG = svc.resource(Kind(
    "log", "Log", "log", lifecycle=LC, compartment=False, parent=("logGroupId", "loggroup"),
    unique=("displayName",), validate=_check_log, on_delete=lambda ctx, doc: _drop_entries(ctx, doc),
    extra_list_filters={
        "sourceService": lambda d, w: ((d.get("configuration") or {}).get("source") or {}).get("service") == w,
        "sourceResource": lambda d, w: ((d.get("configuration") or {}).get("source") or {}).get("resource") == w}))


def _drop_entries(ctx: Context, log: dict) -> None:
    for e in ctx.store.by_field(service_logs.ENTRY_KIND, "logId", log["id"]):
        ctx.store.delete(service_logs.ENTRY_KIND, e["id"])


def _check_agent(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is not None:
        return {"timeLastModified": ctx.ts()}
    sc = body.get("serviceConfiguration")
    if not isinstance(sc, dict) or sc.get("configurationType") != "LOGGING":
        raise invalid("serviceConfiguration.configurationType must be LOGGING")
    dest = (sc.get("destination") or {}).get("logObjectId")
    log = engine.KINDS["log"].find_live(ctx, "log", dest, "serviceConfiguration.destination.logObjectId")
    if log.get("logType") != "CUSTOM":
        raise invalid("serviceConfiguration.destination.logObjectId: an agent writes to a CUSTOM log, "
                      f"not to the {log.get('logType')} log {log['displayName']}")
    if not isinstance(sc.get("sources"), list) or not sc["sources"]:
        raise invalid("serviceConfiguration.sources: name at least one source (a log file path or a Windows "
                      "event channel)")
    ga = body.get("groupAssociation") or {}
    for i, g in enumerate(ga.get("groupList") or []):
        if ctx.find("dynamicgroup", g) is None and ctx.find("group", g) is None:
            raise ApiError(404, "NotAuthorizedOrNotFound", f"groupAssociation.groupList[{i}]: {g} does not exist")
    return {"isEnabled": body.get("isEnabled") if body.get("isEnabled") is not None else True,
            "configurationType": "LOGGING", "configurationState": "VALID", "timeLastModified": ctx.ts(),
            "serviceConfiguration": sc, "groupAssociation": {"groupList": list(ga.get("groupList") or [])}}


AGENT_CONFIG = svc.resource(Kind(
    "unifiedagentconfiguration", "UnifiedAgentConfiguration", "agent configuration", lifecycle=LC,
    validate=_check_agent, ops={"update": "", "move": ""},
    extra_list_filters={"logId": lambda d, w: ((d.get("serviceConfiguration") or {}).get("destination")
                                               or {}).get("logObjectId") == w}))


def _wr_named(ctx: Context, operation_type: str) -> None:
    """Logging names an agent configuration's work requests CREATE_CONFIGURATION, DELETE_CONFIGURATION."""
    wr = ctx.response_headers.get("opc-work-request-id")
    if wr:
        ctx.update(workrequests.KIND, wr, {"operationType": operation_type})


@svc.op("create_unified_agent_configuration")
def create_unified_agent_configuration(ctx: Context):
    doc = AGENT_CONFIG.create(ctx)
    _wr_named(ctx, "CREATE_CONFIGURATION")
    return doc


@svc.op("delete_unified_agent_configuration")
def delete_unified_agent_configuration(ctx: Context):
    AGENT_CONFIG.delete(ctx)
    _wr_named(ctx, "DELETE_CONFIGURATION")


workrequests.serve(svc, WR_SERVICE)


@svc.op("list_services")
def list_services(ctx: Context):
    return [{"id": s.service, "name": s.service, "tenantId": ctx.tenancy_id, "namespace": s.service,
             "servicePrincipalName": s.service, "endpoint": s.endpoint.format(region=ctx.region),
             "resourceTypes": [{"name": s.resource_type, "categories": [
                 {"name": c, "displayName": label, "parameters": []} for c, label in s.categories.items()]}]}
            for s in service_logs.SOURCES.values()]


# ---------------------------------------------------------------- ingestion

def _parse_time(value, where: str) -> float:
    if not isinstance(value, str):
        raise invalid(f"{where} must be an RFC 3339 date-time")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise invalid(f"{where} '{value[:40]}' is not an RFC 3339 date-time") from None


@ingestion.op("put_logs")
def put_logs(ctx: Context):
    log = ctx.get("log", ctx.path["logId"], "log")
    if log.get("_region") != ctx.region:
        raise not_found("log", log["id"])
    if log.get("lifecycleState") != "ACTIVE":
        raise incorrect_state(f"The log {log['displayName']} is {log.get('lifecycleState')}; it takes entries when "
                              "ACTIVE")
    if log.get("logType") != "CUSTOM":
        raise invalid(f"The log {log['displayName']} is a SERVICE log: only its service writes to it; PutLogs "
                      "writes to CUSTOM logs")
    if not log.get("isEnabled"):
        raise incorrect_state(f"The log {log['displayName']} is disabled; enable it to ingest entries")
    body = ctx.body or {}
    if body.get("specversion") != "1.0":
        raise invalid(f"specversion must be 1.0, got {body.get('specversion')!r}")
    batches = body.get("logEntryBatches")
    if not isinstance(batches, list) or not batches:
        raise invalid("logEntryBatches: give at least one batch of entries")
    oldest = ctx.now - log.get("retentionDuration", 30) * 86400.0
    entries = []
    for i, b in enumerate(batches):
        where = f"logEntryBatches[{i}]"
        for f in ("source", "type"):
            if not isinstance(b.get(f), str) or not b[f]:
                raise invalid(f"{where}.{f} is required")
        default_t = _parse_time(b.get("defaultlogentrytime"), f"{where}.defaultlogentrytime")
        items = b.get("entries")
        if not isinstance(items, list) or not items:
            raise invalid(f"{where}.entries: give at least one entry")
        for j, e in enumerate(items):
            w = f"{where}.entries[{j}]"
            data, ident = e.get("data"), e.get("id")
            if not isinstance(data, str):
                raise invalid(f"{w}.data is required (the entry's content, a string)")
            if not isinstance(ident, str) or not ident:
                raise invalid(f"{w}.id is required (a UUID the sender gives the entry)")
            size = len(data.encode())
            if size >= MAX_ENTRY_BYTES:
                raise invalid(f"{w}.data is {size:,} bytes; an entry must be under 1 MB ({MAX_ENTRY_BYTES:,} bytes)")
            t = _parse_time(e["time"], f"{w}.time") if e.get("time") is not None else default_t
            if t < oldest:
                raise invalid(f"{w}.time {ts(t)} is older than the log's retention of {log['retentionDuration']} days")
            entries.append((data, ident, t, b))
    for old in ctx.store.by_field(service_logs.ENTRY_KIND, "logId", log["id"]):
        if old["_t"] < oldest:  # past the log's retention: gone, as OCI deletes them
            ctx.store.delete(service_logs.ENTRY_KIND, old["id"])
    for data, ident, t, b in entries:
        content = data
        if data.lstrip().startswith("{"):
            try:
                parsed = protocol.loads(data)
                content = parsed if isinstance(parsed, dict) else data
            except ValueError:
                content = data
        ctx.put(service_logs.ENTRY_KIND, service_logs.make_entry(
            ctx.core, log, ctx.now, content, b["type"], b["source"], b.get("subject"), time=t, entry_id=ident))
    return Result(status=200)


# ---------------------------------------------------------------- search

def _resolve(ctx: Context, stream) -> list[dict]:
    """The logs a query's stream names: "<compartment>[/<log group>[/<log>]]", OCIDs or names."""
    comp = ctx.compartment(stream.compartment, "searchQuery")
    groups = [g for g in ctx.store.list("loggroup", comp["id"])
              if g.get("_region") == ctx.region and g.get("lifecycleState") in ("ACTIVE", "UPDATING")]
    if stream.log_group is not None:
        groups = [g for g in groups if stream.log_group in (g["id"], g["displayName"])]
        if not groups:
            raise ApiError(404, "NotAuthorizedOrNotFound",
                           f"searchQuery: no log group {stream.log_group[:120]!r} in that compartment")
    logs = [lg for g in groups for lg in ctx.store.by_field("log", "logGroupId", g["id"])
            if lg.get("lifecycleState") in ("ACTIVE", "UPDATING")]
    if stream.log is not None:
        logs = [lg for lg in logs if stream.log in (lg["id"], lg["displayName"])]
        if not logs:
            raise ApiError(404, "NotAuthorizedOrNotFound",
                           f"searchQuery: no log {stream.log[:120]!r} in log group {stream.log_group}")
    return logs


def parse_query(text) -> logquery.q.Search:
    try:
        return logquery.q.parse(text)
    except logquery.LogQueryError as e:
        caret = ""
        if isinstance(text, str) and len(text) <= 300:
            caret = f" [{text[:e.column - 1]} >>>{text[e.column - 1:]}]"
        raise invalid(f"searchQuery: {e}{caret}") from None


@search_api.op("search_logs")
def search_logs(ctx: Context):
    body = ctx.body or {}
    start = _parse_time(body.get("timeStart"), "timeStart")
    end = _parse_time(body.get("timeEnd"), "timeEnd")
    if end <= start:
        raise invalid("timeEnd must be after timeStart")
    if end - start > MAX_SEARCH_SPAN:
        raise invalid("the time range of a search is at most 14 days")
    query = parse_query(ctx.require(body.get("searchQuery"), "searchQuery"))
    logs: dict[str, dict] = {}
    for stream in query.streams:
        for lg in _resolve(ctx, stream):
            logs[lg["id"]] = lg
    rows = []
    for lg in logs.values():
        oldest = ctx.now - lg.get("retentionDuration", 30) * 86400.0
        for e in ctx.store.by_field(service_logs.ENTRY_KIND, "logId", lg["id"]):
            t = e["_t"]
            if start <= t < end and t >= oldest:
                rows.append({"_raw": True, "_t": t, "_seq": e["_ingested"], "datetime": int(round(t * 1000)),
                             "logContent": e["content"]})
    rows.sort(key=lambda r: (r["_t"], r["_seq"]))
    out = logquery.run(query, rows)
    for r in out:
        r.pop("_t", None)
        r.pop("_seq", None)
    limit = _int_param(ctx.query.get("limit"), SEARCH_LIMIT[0], "limit")
    if not 1 <= limit <= SEARCH_LIMIT[1]:
        raise invalid(f"limit must be 1 to {SEARCH_LIMIT[1]}")
    offset = _int_param(ctx.query.get("page"), 0, "page")
    page = out[offset:offset + limit]
    if offset + limit < len(out):
        ctx.response_headers["opc-next-page"] = str(offset + limit)
    names: dict[str, str] = {}
    for r in page:
        for k, v in _flat(r).items():
            names.setdefault(k, logquery.field_type(v))
    resp = {"results": [{"data": r} for r in page],
            "summary": {"resultCount": len(page), "fieldCount": len(names)}}
    if body.get("isReturnFieldInfo"):
        resp["fields"] = [{"fieldName": k, "fieldType": t} for k, t in names.items()]
    return resp


def _int_param(v, default: int, name: str) -> int:
    if v is None or v == "":
        return default
    try:
        n = int(v)
    except (TypeError, ValueError):
        raise invalid(f"{name} must be a whole number") from None
    if n < 0:
        raise invalid(f"{name} must not be negative")
    return n


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flat(v, key + "."))
        else:
            out[key] = v
    return out
