"""Web Application Firewall (`/waf`, WafClient): web app firewall policies, web app firewalls on load balancers,
the protection capabilities a policy can use, and WAF's own work requests.

A policy holds named `actions` (ALLOW, CHECK, RETURN_HTTP_RESPONSE with a code of 200-599, headers and a
static or dynamic body) and modules of rules: request access control (a default action, ALLOW or
RETURN_HTTP_RESPONSE, and rules), request rate limiting (rules with period/limit/action-duration
configurations), request protection (rules with protection capabilities, body inspection limits), response
access control and response protection. Every rule has a unique name in its module, the type of its module
(ACCESS_CONTROL, REQUEST_RATE_LIMITING, PROTECTION), an action named in `actions` and an optional condition
in the language JMESPATH: checked with the real JMESPath parser and OCI's functions (ociconsole.lang.
waf_condition) and refused as 400 InvalidParameter naming the rule and the column (at most 1,024
characters). A protection capability is one this service lists (key and version, its action named in
`actions`); a collaborative capability's weights name its own sub-capabilities.

A web app firewall (`backendType` LOAD_BALANCER) attaches one policy to one live load balancer (the
Load Balancer service's `load_balancer` kind): both must exist and be live in the region, and a load balancer
has at most one firewall (409). A policy in use by a firewall cannot be deleted (409).

Creates, updates, deletes and compartment moves answer with an `opc-work-request-id` of this service's own
work-request API (`get_work_request`, `list_work_requests` and their errors/logs), what the CLI's
`--wait-for-state SUCCEEDED` polls; the resources go CREATING -> ACTIVE, UPDATING -> ACTIVE and
DELETING -> DELETED (listed an hour) as their work request finishes.

`decide(core, load_balancer_id, request)` is the firewall as traffic sees it: the decision of the policy
attached to a load balancer for a request document (`waf_condition.request_document`), through OCI's request
modules in order (`evaluate`): access control (a matching CHECK goes on, ALLOW skips the rest of the module,
RETURN_HTTP_RESPONSE answers with its code; then the default action), rate limiting (the client address's
requests counted per rule at the emulator's time) and protection (the limiting capabilities - methods,
argument and header limits - are evaluated; the attack-detection groups are reported as not evaluated). The
emulator does not invent traffic: tests and callers ask.
"""

from __future__ import annotations

import weakref
from typing import Any

from ...lang import waf_condition
from ..engine import ACTIVE, Kind
from ..protocol import ApiError, conflict, invalid
from ..registry import Context, Service
from . import load_balancer as _load_balancer  # its kind says whether a load balancer is live
from . import workrequests

svc = Service("waf", name="waf")
WR_SERVICE = "waf"
POLICY_KIND = "webappfirewallpolicy"
FIREWALL_KIND = "webappfirewall"
LOAD_BALANCER_KIND = _load_balancer.KIND  # the Load Balancer service's kind

ACTION_TYPES = ("ALLOW", "CHECK", "RETURN_HTTP_RESPONSE")
# policy module -> (rule type, what the module is called in messages, terminating default action types)
MODULES = {
    "requestAccessControl": "ACCESS_CONTROL",
    "requestRateLimiting": "REQUEST_RATE_LIMITING",
    "requestProtection": "PROTECTION",
    "responseAccessControl": "ACCESS_CONTROL",
    "responseProtection": "PROTECTION",
}
MAX_ACTIONS = 100
MAX_RULES = 100

# The protection capabilities this emulated region offers (a subset of OCI's catalogue): key ->
# (display name, description, group tags, type, collaborative threshold and weights or None)
_REQ = "REQUEST_PROTECTION_CAPABILITY"
_RESP = "RESPONSE_PROTECTION_CAPABILITY"
CAPABILITIES: dict[str, dict[str, Any]] = {
    "9300000": {"displayName": "Local File Inclusion (LFI) Collaborative Group",
                "description": "Blocks requests that try to read local files (path traversal, OS files)",
                "groupTags": ["Recommended", "OWASP", "OWASP-2017", "A5", "LFI", "Collaborative"], "type": _REQ,
                "threshold": 4, "weights": [("9301000", "LFI Filter Categories", 2),
                                            ("9301100", "LFI OS Files", 2), ("9301200", "Path Traversal", 2)]},
    "9320000": {"displayName": "Remote Code Execution (RCE) Collaborative Group",
                "description": "Blocks Unix and Windows command injection and shell code in requests",
                "groupTags": ["Recommended", "OWASP", "OWASP-2017", "A1", "RCE", "Collaborative"], "type": _REQ,
                "threshold": 4, "weights": [("9320001", "Unix Command Injection", 2),
                                            ("9320002", "Windows Command Injection", 2)]},
    "9410000": {"displayName": "Cross-Site Scripting (XSS) Collaborative Group",
                "description": "Blocks script injection into request arguments, headers and cookies",
                "groupTags": ["Recommended", "OWASP", "OWASP-2017", "A7", "XSS", "Collaborative"], "type": _REQ,
                "threshold": 4, "weights": [("9411000", "XSS Filters - Categories", 2),
                                            ("9411100", "XSS Attack Detected via libinjection", 2)]},
    "9420000": {"displayName": "SQL Injection (SQLi) Collaborative Group",
                "description": "Blocks SQL injection in request arguments, headers and cookies",
                "groupTags": ["Recommended", "OWASP", "OWASP-2017", "A1", "SQLi", "Collaborative"], "type": _REQ,
                "threshold": 4, "weights": [("9421000", "SQL Injection Filters Categories", 2),
                                            ("9421100", "SQL Injection Attack Detected via libinjection", 2)]},
    "920380": {"displayName": "Number of Arguments Limits",
               "description": "Blocks requests with more arguments than maxNumberOfArguments",
               "groupTags": ["Protocol", "Limits"], "type": _REQ, "threshold": None, "weights": []},
    "920370": {"displayName": "Limit Argument Value Length",
               "description": "Blocks requests with an argument longer than maxSingleArgumentLength",
               "groupTags": ["Protocol", "Limits"], "type": _REQ, "threshold": None, "weights": []},
    "920390": {"displayName": "Limit Arguments Total Length",
               "description": "Blocks requests whose arguments together are longer than maxTotalArgumentLength",
               "groupTags": ["Protocol", "Limits"], "type": _REQ, "threshold": None, "weights": []},
    "9200014": {"displayName": "Limit Number of Request Headers",
                "description": "Blocks requests with more headers than maxHttpRequestHeaders",
                "groupTags": ["Protocol", "Limits"], "type": _REQ, "threshold": None, "weights": []},
    "9200024": {"displayName": "Limit Length of Request Header Size",
                "description": "Blocks requests with a header longer than maxHttpRequestHeaderLength",
                "groupTags": ["Protocol", "Limits"], "type": _REQ, "threshold": None, "weights": []},
    "911100": {"displayName": "Restrict HTTP Request Methods",
               "description": "Blocks requests whose method is not among allowedHttpMethods",
               "groupTags": ["Recommended", "Protocol", "HTTP"], "type": _REQ, "threshold": None, "weights": []},
    "950100": {"displayName": "HTTP Status 500 Errors - Application Error Disclosure",
               "description": "Blocks responses that disclose application errors",
               "groupTags": ["OWASP", "OWASP-2017", "A3", "Data Leakage"], "type": _RESP, "threshold": None,
               "weights": []},
}
CAPABILITY_VERSION = 1


# ---------------------------------------------------------------- checks

def _actions(body_actions) -> dict[str, dict]:
    if body_actions is None:
        return {}
    if not isinstance(body_actions, list):
        raise invalid("actions must be a list")
    if len(body_actions) > MAX_ACTIONS:
        raise invalid(f"actions: a policy has at most {MAX_ACTIONS} actions")
    out: dict[str, dict] = {}
    for i, a in enumerate(body_actions):
        where = f"actions[{i}]"
        name = (a or {}).get("name")
        if not isinstance(name, str) or not name.strip():
            raise ApiError(400, "MissingParameter", f"{where}.name is required")
        if name in out:
            raise invalid(f"{where}.name: an action named '{name}' is defined twice")
        t = a.get("type")
        if t not in ACTION_TYPES:
            raise invalid(f"{where}.type must be one of {', '.join(ACTION_TYPES)}, got {t!r}")
        if t == "RETURN_HTTP_RESPONSE":
            code = a.get("code")
            if not isinstance(code, int) or isinstance(code, bool) or not 200 <= code <= 599:
                raise invalid(f"{where}.code: a RETURN_HTTP_RESPONSE action needs an HTTP response code "
                              f"200-599, got {code!r}")
            for j, h in enumerate(a.get("headers") or []):
                if not (h or {}).get("name"):
                    raise invalid(f"{where}.headers[{j}].name is required")
            body = a.get("body")
            if body is not None:
                bt = body.get("type")
                if bt == "STATIC_TEXT" and not isinstance(body.get("text"), str):
                    raise invalid(f"{where}.body.text is required for a STATIC_TEXT body")
                if bt == "DYNAMIC" and not isinstance(body.get("template"), str):
                    raise invalid(f"{where}.body.template is required for a DYNAMIC body")
                if bt not in ("STATIC_TEXT", "DYNAMIC"):
                    raise invalid(f"{where}.body.type must be STATIC_TEXT or DYNAMIC, got {bt!r}")
        out[name] = a
    return out


def check_condition(condition, where: str) -> None:
    err = waf_condition.check(condition)
    if err is not None:
        raise invalid(f"{where}.condition: {err.message}")


def _rule_common(rule: dict, where: str, want_type: str, actions: dict[str, dict], names: set) -> None:
    if not isinstance(rule, dict):
        raise invalid(f"{where} must be an object")
    name = rule.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, "MissingParameter", f"{where}.name is required")
    if name in names:
        raise invalid(f"{where}.name: a rule named '{name}' is defined twice in this module")
    names.add(name)
    if rule.get("type") != want_type:
        raise invalid(f"{where}.type must be {want_type} in this module, got {rule.get('type')!r}")
    lang = rule.get("conditionLanguage")
    if lang not in (None, waf_condition.LANGUAGE):
        raise invalid(f"{where}.conditionLanguage must be JMESPATH, got {lang!r}")
    if rule.get("condition") is not None:
        check_condition(rule["condition"], where)
    action = rule.get("actionName")
    if not action:
        raise ApiError(400, "MissingParameter", f"{where}.actionName is required")
    if action not in actions:
        raise invalid(f"{where}.actionName: no action named '{action}' is defined in the policy's actions")


def _capabilities(caps, where: str, actions: dict[str, dict], want_type: str) -> list[dict]:
    if not caps:
        raise ApiError(400, "MissingParameter", f"{where}.protectionCapabilities: a protection rule needs at "
                                                "least one protection capability")
    out = []
    for j, c in enumerate(caps):
        w = f"{where}.protectionCapabilities[{j}]"
        key = (c or {}).get("key")
        cap = CAPABILITIES.get(str(key))
        if cap is None:
            raise invalid(f"{w}.key: '{key}' is not a protection capability (list_protection_capabilities)")
        if cap["type"] != want_type:
            raise invalid(f"{w}.key: {key} is a {cap['type']}; this module takes {want_type}")
        if c.get("version") != CAPABILITY_VERSION:
            raise invalid(f"{w}.version: capability {key} has version {CAPABILITY_VERSION}, not {c.get('version')}")
        if c.get("actionName") is not None and c["actionName"] not in actions:
            raise invalid(f"{w}.actionName: no action named '{c['actionName']}' is defined in the policy's actions")
        thr = c.get("collaborativeActionThreshold")
        if thr is not None and (cap["threshold"] is None or not isinstance(thr, int) or thr < 0):
            raise invalid(f"{w}.collaborativeActionThreshold: " + (
                f"{key} is not a collaborative capability" if cap["threshold"] is None else "must be 0 or more"))
        allowed = {k for k, _n, _w in cap["weights"]}
        for k, wt in enumerate(c.get("collaborativeWeights") or []):
            if wt.get("key") not in allowed:
                raise invalid(f"{w}.collaborativeWeights[{k}].key: '{wt.get('key')}' is not a part of {key}")
        out.append(c)
    return out


def _module(policy: dict, module: str, actions: dict[str, dict]) -> None:
    m = policy.get(module)
    if m is None:
        return
    want = MODULES[module]
    rules = m.get("rules") or []
    if len(rules) > MAX_RULES:
        raise invalid(f"{module}.rules: a module has at most {MAX_RULES} rules")
    names: set[str] = set()
    for i, r in enumerate(rules):
        where = f"{module}.rules[{i}]"
        _rule_common(r, where, want, actions, names)
        if module == "requestRateLimiting":
            confs = r.get("configurations")
            if not confs:
                raise ApiError(400, "MissingParameter", f"{where}.configurations: a rate limiting rule needs at "
                                                        "least one configuration")
            for j, c in enumerate(confs):
                cw = f"{where}.configurations[{j}]"
                for f in ("periodInSeconds", "requestsLimit"):
                    v = (c or {}).get(f)
                    if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                        raise invalid(f"{cw}.{f} must be a whole number of 1 or more, got {v!r}")
                d = c.get("actionDurationInSeconds")
                if d is not None and (not isinstance(d, int) or d < 0):
                    raise invalid(f"{cw}.actionDurationInSeconds must be 0 or more")
        if want == "PROTECTION":
            _capabilities(r.get("protectionCapabilities"), where, actions,
                          _REQ if module == "requestProtection" else _RESP)
            s = r.get("protectionCapabilitySettings") or {}
            for f in ("maxNumberOfArguments", "maxSingleArgumentLength", "maxTotalArgumentLength",
                      "maxHttpRequestHeaders", "maxHttpRequestHeaderLength"):
                if s.get(f) is not None and (not isinstance(s[f], int) or s[f] < 1):
                    raise invalid(f"{where}.protectionCapabilitySettings.{f} must be 1 or more")
    if module == "requestAccessControl":
        default = m.get("defaultActionName")
        if not default:
            raise ApiError(400, "MissingParameter", "requestAccessControl.defaultActionName is required")
        if default not in actions:
            raise invalid(f"requestAccessControl.defaultActionName: no action named '{default}' is defined")
        if actions[default].get("type") not in ("ALLOW", "RETURN_HTTP_RESPONSE"):
            raise invalid(f"requestAccessControl.defaultActionName: the default action '{default}' must be of "
                          f"type ALLOW or RETURN_HTTP_RESPONSE, not {actions[default].get('type')}")
    if module == "requestProtection":
        lim = m.get("bodyInspectionSizeLimitInBytes")
        if lim is not None and (not isinstance(lim, int) or not 0 <= lim <= 8192):
            raise invalid("requestProtection.bodyInspectionSizeLimitInBytes must be 0-8192")
        act = m.get("bodyInspectionSizeLimitExceededActionName")
        if act is not None and act not in actions:
            raise invalid(f"requestProtection.bodyInspectionSizeLimitExceededActionName: no action named '{act}'")


def _policy_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    merged = dict(existing or {})
    merged.update({k: v for k, v in body.items() if v is not None})
    actions = _actions(merged.get("actions"))
    for module in MODULES:
        _module(merged, module, actions)
    # rules without a language get JMESPATH, as OCI answers them
    out: dict[str, Any] = {"timeUpdated": ctx.ts(), "systemTags": {}}
    for module in MODULES:
        if body.get(module) is not None:
            m = dict(body[module])
            m["rules"] = [dict(r, conditionLanguage=r.get("conditionLanguage") or waf_condition.LANGUAGE)
                          for r in m.get("rules") or []]
            out[module] = m
    return out


def _policy_in_use(ctx: Context, doc: dict) -> None:
    users = [f for f in ctx.store.by_field(FIREWALL_KIND, "webAppFirewallPolicyId", doc["id"])
             if FIREWALL.is_live(f)]
    if users:
        raise conflict(f"The web app firewall policy is used by the web app firewall {users[0]['id']}; "
                       "delete the firewall or give it another policy first")


def _firewall_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is None:
        if body.get("backendType") != "LOAD_BALANCER":
            raise invalid(f"backendType must be LOAD_BALANCER, got {body.get('backendType')!r}")
        lb_id = ctx.require(body.get("loadBalancerId"), "loadBalancerId")
        lb = FIREWALL.find_live(ctx, LOAD_BALANCER_KIND, lb_id, "loadBalancerId")
        for other in ctx.store.by_field(FIREWALL_KIND, "loadBalancerId", lb["id"]):
            if FIREWALL.is_live(other):
                raise conflict(f"The load balancer {lb['id']} already has the web app firewall {other['id']}; "
                               "a load balancer takes one firewall")
        ctx.require(body.get("webAppFirewallPolicyId"), "webAppFirewallPolicyId")
    return {"timeUpdated": ctx.ts(), "systemTags": {}}


POLICY = svc.resource(Kind(
    POLICY_KIND, "WebAppFirewallPolicy", "web app firewall policy", lifecycle=ACTIVE,
    validate=_policy_checks, check_delete=_policy_in_use, wr_type="WAF_POLICY", search="WebAppFirewallPolicy",
    default_name="webappfirewallpolicy"))
FIREWALL = svc.resource(Kind(
    FIREWALL_KIND, "WebAppFirewallLoadBalancer", "web app firewall", noun="web_app_firewall", lifecycle=ACTIVE,
    refs={"webAppFirewallPolicyId": POLICY_KIND}, validate=_firewall_checks, search="WebAppFirewall",
    wr_type="WEB_APP_FIREWALL", default_name="webappfirewall"))

# this service's own work-request API
workrequests.serve(svc, WR_SERVICE, newest_first=True)


# ---------------------------------------------------------------- protection capabilities

def _capability_docs(ctx: Context) -> list[dict]:
    out = []
    for key, c in CAPABILITIES.items():
        d = {"key": key, "displayName": c["displayName"], "description": c["description"],
             "version": CAPABILITY_VERSION, "isLatestVersion": True, "groupTags": list(c["groupTags"]),
             "type": c["type"]}
        if c["threshold"] is not None:
            d["collaborativeActionThreshold"] = c["threshold"]
            d["collaborativeWeights"] = [{"key": k, "displayName": n, "weight": w} for k, n, w in c["weights"]]
        out.append(d)
    return out


@svc.op("list_protection_capabilities")
def list_protection_capabilities(ctx: Context):
    ctx.compartment(ctx.query.get("compartmentId"))
    q = ctx.query
    docs = _capability_docs(ctx)
    if q.get("key"):
        docs = [d for d in docs if d["key"] == q["key"]]
    if q.get("type"):
        docs = [d for d in docs if d["type"] == q["type"]]
    tags = q.get("groupTag")
    for tag in tags if isinstance(tags, list) else [tags] if tags else []:  # every tag asked for
        docs = [d for d in docs if tag in d["groupTags"]]
    latest = q.get("isLatestVersion")
    if latest is not None and False in (latest if isinstance(latest, list) else [latest]) and \
            True not in (latest if isinstance(latest, list) else [latest]):
        docs = []  # every capability listed is at its latest version
    return {"items": docs}


@svc.op("list_protection_capability_group_tags")
def list_protection_capability_group_tags(ctx: Context):
    ctx.compartment(ctx.query.get("compartmentId"))
    q = ctx.query
    tags: list[str] = []
    for d in _capability_docs(ctx):
        if q.get("type") and d["type"] != q["type"]:
            continue
        tags += [t for t in d["groupTags"] if t not in tags]
    return {"items": [{"name": t} for t in sorted(tags)]}


# ---------------------------------------------------------------- the firewall's decision

# the limits a limiting capability checks when its rule's protectionCapabilitySettings leave them out (WAAS's
# documented defaults for the same limits; header limits are not enforced unless set)
SETTING_DEFAULTS = {"maxNumberOfArguments": 255, "maxSingleArgumentLength": 400, "maxTotalArgumentLength": 64000,
                    "allowedHttpMethods": ["OPTIONS", "GET", "HEAD", "POST"]}


def _arguments(request: dict) -> list[tuple[str, str]]:
    query = (((request.get("http") or {}).get("request") or {}).get("url") or {}).get("query") or {}
    return [(k, v) for k, vals in query.items() for v in (vals if isinstance(vals, list) else [vals])]


def capability_triggers(key: str, settings: dict | None, request: dict) -> bool | None:
    """Whether the limiting capability `key` finds the request at fault (None: a capability the emulator does
    not evaluate - the attack-detection groups need the traffic's content, which it does not invent)."""
    st = dict(SETTING_DEFAULTS, **{k: v for k, v in (settings or {}).items() if v is not None})
    req = (request.get("http") or {}).get("request") or {}
    args = _arguments(request)
    headers = req.get("headers") or {}
    if key == "911100":
        return str(req.get("method") or "").upper() not in [m.upper() for m in st["allowedHttpMethods"]]
    if key == "920380":
        return len(args) > st["maxNumberOfArguments"]
    if key == "920370":
        return any(len(v) > st["maxSingleArgumentLength"] for _k, v in args)
    if key == "920390":
        return sum(len(k) + len(v) for k, v in args) > st["maxTotalArgumentLength"]
    if key == "9200014":
        limit = st.get("maxHttpRequestHeaders")
        return limit is not None and sum(len(v) for v in headers.values()) > limit
    if key == "9200024":
        limit = st.get("maxHttpRequestHeaderLength")
        return limit is not None and any(len(k) + len(x) > limit for k, vs in headers.items() for x in vs)
    return None


def firewall_of(core, load_balancer_id: str) -> dict | None:
    """The live web app firewall attached to the load balancer, if any."""
    for f in core.store.by_field(FIREWALL_KIND, "loadBalancerId", load_balancer_id):
        if FIREWALL.is_live(f):
            return f
    return None


def _outcome(action: dict | None, module: str | None, rule: str | None, log: list, unevaluated: list) -> dict:
    t = (action or {}).get("type", "ALLOW")
    return {"action": (action or {}).get("name"), "type": t, "module": module, "rule": rule,
            "code": action.get("code") if action and t == "RETURN_HTTP_RESPONSE" else None,
            "checked": log, "unevaluated": unevaluated}


def evaluate(policy: dict, request: dict, now: float | None = None, rate_state: dict | None = None) -> dict:
    """What `policy` (a WebAppFirewallPolicy document) does with `request` (waf_condition.request_document), its
    request modules in OCI's order: access control, rate limiting, protection. In each, rules run in order when
    their condition holds: a CHECK action is noted (`checked`) and the rules go on, ALLOW skips the rest of the
    module, RETURN_HTTP_RESPONSE answers (`code`) and ends. Access control's default action runs when no rule
    allowed or answered. Rate limiting counts the client address's requests per rule and configuration in
    `rate_state` at time `now` (when given): beyond `requestsLimit` in `periodInSeconds`, the rule's action
    runs, for `actionDurationInSeconds`. Protection rules run their limiting capabilities (methods, argument and
    header limits); the attack-detection groups are listed in `unevaluated`.

    -> {"action", "type", "code", "module", "rule", "checked": ["module/rule", ...], "unevaluated": [keys]}"""
    actions = {a["name"]: a for a in policy.get("actions") or []}
    log: list[str] = []
    unevaluated: list[str] = []

    def holds(rule: dict) -> bool:
        cond = rule.get("condition")
        return not cond or waf_condition.matches(cond, request)

    def run(module: str, rule: dict, action_name: str | None = None) -> str:
        """'stop' (answered), 'skip' (allowed: rest of the module skipped) or 'go'."""
        action = actions.get(action_name or rule.get("actionName") or "", {})
        t = action.get("type")
        if t == "RETURN_HTTP_RESPONSE":
            return "stop"
        if t == "ALLOW":
            return "skip"
        log.append(f"{module}/{rule['name']}")
        return "go"

    # request access control
    rac = policy.get("requestAccessControl") or {}
    allowed = False
    for rule in rac.get("rules") or []:
        if not holds(rule):
            continue
        step = run("requestAccessControl", rule)
        if step == "stop":
            return _outcome(actions.get(rule["actionName"]), "requestAccessControl", rule["name"], log, unevaluated)
        if step == "skip":
            allowed = True
            break
    default = actions.get(rac.get("defaultActionName") or "")
    if not allowed and default is not None and default.get("type") == "RETURN_HTTP_RESPONSE":
        return _outcome(default, "requestAccessControl", None, log, unevaluated)

    # request rate limiting
    if rate_state is not None and now is not None:
        address = ((request.get("connection") or {}).get("source") or {}).get("address")
        for rule in (policy.get("requestRateLimiting") or {}).get("rules") or []:
            if not holds(rule):
                continue
            limited = False
            for i, conf in enumerate(rule.get("configurations") or []):
                key = (policy.get("id"), rule["name"], i, address)
                seen = rate_state.setdefault(key, {"times": [], "until": 0.0})
                period = conf["periodInSeconds"]
                seen["times"] = [t for t in seen["times"] if t > now - period] + [now]
                if now < seen["until"] or len(seen["times"]) > conf["requestsLimit"]:
                    if now >= seen["until"]:
                        seen["until"] = now + (conf.get("actionDurationInSeconds") or 0)
                    limited = True
            if limited:
                step = run("requestRateLimiting", rule)
                if step == "stop":
                    return _outcome(actions.get(rule["actionName"]), "requestRateLimiting", rule["name"], log,
                                    unevaluated)
                if step == "skip":
                    break

    # request protection
    for rule in (policy.get("requestProtection") or {}).get("rules") or []:
        if not holds(rule):
            continue
        step = "go"
        for cap in rule.get("protectionCapabilities") or []:
            hit = capability_triggers(str(cap.get("key")), rule.get("protectionCapabilitySettings"), request)
            if hit is None:
                unevaluated.append(str(cap.get("key")))
                continue
            if hit:
                step = run("requestProtection", rule, cap.get("actionName"))
                if step == "stop":
                    return _outcome(actions.get(cap.get("actionName") or rule["actionName"]), "requestProtection",
                                    rule["name"], log, unevaluated)
                if step == "skip":
                    break
        if step == "skip":
            break
    return _outcome(None, None, None, log, unevaluated)


_RATE_STATE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # core -> rate-limiting counters


def decide(core, load_balancer_id: str, request: dict) -> dict:
    """The decision of the firewall on `load_balancer_id` for `request` at the emulator's time (ALLOW when the load
    balancer has no firewall); each call counts as one request for rate limiting."""
    fw = firewall_of(core, load_balancer_id)
    if fw is None:
        return dict(_outcome(None, None, None, [], []), firewall=None)
    policy = core.store.get(POLICY_KIND, fw["webAppFirewallPolicyId"]) or {}
    state = _RATE_STATE.setdefault(core, {})
    return dict(evaluate(policy, request, core.clock.now(), state), firewall=fw["id"])
