"""One registry of SDK clients: `core.connection.SERVICES` (service -> SDK module, client class).

The client factory builds clients from it and the Python equivalent shown in create and action
dialogs (catalog.forms.python_code) names the client from it. This walks every resource kind the
catalog registers, and for each create form and each action (its `run` and its `form`) follows
the code they reach (catalog, services, ... any ociconsole function, through module globals and
closures) to every SDK call it names: `Request("<service>", ...)` and the session's calls
(`session.call("<service>", ...)`, `.data`, `.pages`, `.list_all`: every Session method whose
first parameter is `service`). Each service named must be registered, and the Python written for
it must name a real SDK client class, never a `<... client>` placeholder.

The walk is static (the source's syntax tree), so no form values, resources or endpoint are
needed, and a new catalog module, kind, action or service function is covered as soon as it is
declared.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import importlib
import inspect
import sys
import types

import pytest

from ociconsole import catalog
from ociconsole.catalog import forms
from ociconsole.core.connection import SERVICES
from ociconsole.services.runtime import Session

# Session methods that take the service first: call, data, pages, list_all, ...
SESSION_METHODS = frozenset(
    name for name, fn in inspect.getmembers(Session, inspect.isfunction)
    if list(inspect.signature(fn).parameters)[1:2] == ["service"])
# receivers that are not sessions although they have a method of the same name (FormContext.data)
NOT_SESSIONS = frozenset({"ctx", "context"})


# ---------------------------------------------------------------- the walk

@functools.cache
def _module_index(module_name: str) -> dict[tuple[str, int], list[ast.AST]]:
    """A module's functions by (name, first line) and its lambdas by ("<lambda>", line): walked once, not once
    per function looked up (that walk was most of this file's time)."""
    index: dict[tuple[str, int], list[ast.AST]] = {}
    for node in ast.walk(ast.parse(inspect.getsource(sys.modules[module_name]))):
        if isinstance(node, ast.Lambda):
            index.setdefault(("<lambda>", node.lineno), []).append(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            index.setdefault((node.name, first), []).append(node)
    return index


def _nodes_of(fn: types.FunctionType) -> list[ast.AST]:
    """The syntax nodes of `fn`: its def, or every lambda on its first line (a lambda has no name)."""
    try:
        index = _module_index(fn.__module__)
    except (OSError, TypeError, KeyError):
        return []
    return index.get((fn.__code__.co_name, fn.__code__.co_firstlineno), [])


def _ours(obj) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module.startswith("ociconsole.") or module == __name__


def _callables(obj, root: bool = False) -> list[types.FunctionType]:
    """The plain functions behind `obj` (a function, a partial, a bound method, a form, a field);
    beyond the roots, only ociconsole's own (not the SDK's, not the standard library's)."""
    if isinstance(obj, functools.partial):
        return _callables(obj.func, root) + [f for a in obj.args for f in _callables(a, root)]
    if isinstance(obj, types.MethodType):
        return _callables(obj.__func__, root)
    if isinstance(obj, types.FunctionType):
        return [obj] if root or _ours(obj) else []
    if isinstance(obj, forms.FormSpec):  # the request, the CLI, and every field's option loader, check...
        parts = [obj.build, obj.cli, obj.op_title, *obj.fields]
        return [f for p in parts for f in _callables(p, root)]
    if isinstance(obj, forms.Field):
        parts = [obj.options, obj.validate, obj.bounds, obj.visible, obj.default_from, obj.warning]
        return [f for p in parts for f in _callables(p, root)]
    return []


def _resolve(fn: types.FunctionType, node: ast.AST):
    """The object a Name or dotted Attribute of `fn`'s body refers to (globals, closure), or None."""
    if isinstance(node, ast.Name):
        free = fn.__code__.co_freevars
        if node.id in free and fn.__closure__:
            try:
                return fn.__closure__[free.index(node.id)].cell_contents
            except ValueError:  # an empty cell
                return None
        return fn.__globals__.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _resolve(fn, node.value)
        if isinstance(base, types.ModuleType) or _ours(base if isinstance(base, type) else type(base)):
            return getattr(base, node.attr, None)
    return None


def _service_of(fn: types.FunctionType, node: ast.AST) -> str | None:
    """The service an argument names: a literal, or a name or attribute that holds a string where the
    function lives (`ref.service` of a closure over a kind's SDK names)."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    value = _resolve(fn, node)
    return value if isinstance(value, str) else None


def services_named(*roots) -> set[str]:
    """Every service named by an SDK call in the code reached from `roots` (a root that is a string
    is a service named by a declaration)."""
    seen: set = set()
    todo = [f for r in roots for f in _callables(r, root=True)]
    found: set[str] = {r for r in roots if isinstance(r, str)}
    while todo:
        fn = todo.pop()
        if fn.__code__ in seen:
            continue
        seen.add(fn.__code__)
        for top in _nodes_of(fn):
            for node in ast.walk(top):
                if isinstance(node, ast.Call):
                    callee = node.func
                    name = callee.id if isinstance(callee, ast.Name) else (
                        callee.attr if isinstance(callee, ast.Attribute) else "")
                    on_session = (isinstance(callee, ast.Attribute) and name in SESSION_METHODS
                                  and not (isinstance(callee.value, ast.Name) and callee.value.id in NOT_SESSIONS))
                    if name == "Request" or on_session:
                        service = _service_of(fn, node.args[0]) if node.args else None
                        service = service or next(
                            (_service_of(fn, k.value) for k in node.keywords if k.arg == "service"), None)
                        if service is not None:
                            found.add(service)
                if isinstance(node, (ast.Name, ast.Attribute)):
                    todo.extend(_callables(_resolve(fn, node)))
    return found


# ---------------------------------------------------------------- what the catalog declares

class _Resource:
    """A resource as an action's form reads it when the form is built: an id, a compartment, and
    None for anything else."""

    id = "ocid1.stub.oc1..aaaaaaaastub"
    compartment_id = "ocid1.compartment.oc1..aaaaaaaastub"

    def __getattr__(self, name):
        return None


def _built_form(action) -> forms.FormSpec | None:
    """The action's form built for a resource (its closures then hold what it names), if it builds
    without a real resource; the static walk of `action.form` covers it either way."""
    try:
        spec = action.form(_Resource())
    except Exception:
        return None
    return spec if isinstance(spec, forms.FormSpec) else None


def _declarations():
    """(id, roots) of every create form and every action of every registered kind, and of its reads
    (list, get, and the service of its SDK names when it declares them)."""
    out = []
    for k in catalog.kinds():
        sdk_service = getattr(getattr(k, "sdk", None), "service", None)
        reads = tuple(r for r in (k.list, k.get, sdk_service) if r is not None)
        out.append((f"{k.id}:read", reads))
        if k.create is not None:
            out.append((f"{k.id}:create", (k.create,)))
        for a in k.actions:
            roots = [a.run]
            if a.form is not None:
                roots += [a.form, _built_form(a)]
            out.append((f"{k.id}:{a.id}", tuple(r for r in roots if r is not None)))
    return out


DECLARATIONS = _declarations()


def test_the_walk_sees_the_catalog():
    # more than a handful of kinds, forms and actions: the walk is not vacuous
    assert len(catalog.kinds()) >= 10
    assert sum(1 for i, _ in DECLARATIONS if i.endswith(":create")) >= 10
    assert sum(1 for i, _ in DECLARATIONS if not i.endswith((":create", ":read"))) >= 30
    assert {"call", "data", "pages", "list_all"} <= SESSION_METHODS


@pytest.mark.parametrize("what,roots", DECLARATIONS, ids=[i for i, _ in DECLARATIONS])
def test_every_service_named_is_registered(what, roots):
    named = services_named(*roots)
    if what.endswith(":create") or any(isinstance(r, forms.FormSpec) for r in roots[1:]):
        assert named, f"{what}: no SDK call found (its request names no service?)"
    unknown = sorted(named - set(SERVICES))
    assert not unknown, f"{what} names services missing from core.connection.SERVICES: {unknown}"
    for service in named:
        code = forms.python_code(forms.Request(service, "some_operation"), retry_token="token")
        assert "<" not in code, code
        module, cls = SERVICES[service]
        assert f"client = oci.{module}.{cls}(config" in code


def _does_nothing(fn) -> bool:
    """A placeholder `run` (`lambda *_: None`, a body of `pass`): the GUI does the work elsewhere."""
    nodes = [n for f in _callables(fn, root=True) for n in _nodes_of(f)]
    return bool(nodes) and all(
        isinstance(n, ast.Lambda) and isinstance(n.body, ast.Constant)
        or isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
        and all(isinstance(b, ast.Pass) or isinstance(b, ast.Expr) and isinstance(b.value, ast.Constant)
                for b in n.body)
        for n in nodes)


def test_every_action_that_does_something_reaches_an_sdk_call():
    # the walk follows every action that does work to the SDK call it makes (else it misses a pattern)
    # (the generic "Export as Terraform" reads through the kinds' own list/get, walked as their ":read")
    silent = [i for i, roots in DECLARATIONS
              if not i.endswith((":create", ":read", ":export_terraform")) and not services_named(*roots)
              and not all(_does_nothing(r) for r in roots)]
    assert not silent, f"actions whose code names no service (the walk misses a pattern?): {silent}"


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_registered_service_is_a_real_sdk_client(service):
    module, cls = SERVICES[service]
    assert isinstance(getattr(importlib.import_module(f"oci.{module}"), cls), type)
    code = forms.python_code(forms.Request(service, "list_things", args=("ocid1.x",)), retry_token="token")
    assert "<" not in code and f"oci.{module}.{cls}(config" in code
    compile(code, f"<python for {service}>", "exec")


def _forgotten(session, resource, options):
    return session.call("forgotten_service", "do_it", resource.id)


def _forgotten_form(resource):
    def build(values, ctx):
        return forms.Request("another_forgotten", "create_thing", None)
    return forms.FormSpec("t", "k", [], build, lambda v, c, r: "")


@dataclasses.dataclass(frozen=True)
class _Names:
    service: str


def _declared_action(names: _Names):
    async def run(session, res, _options):
        await session.call(names.service, "delete_thing", res.id)
    return run


def _helper(session):
    return session.list_all("listed_service", "list_things")


def _forgotten_with_a_helper(session, resource, options):
    return _helper(session)


def test_the_walk_finds_a_service_missing_from_the_registry():
    # through a partial, a module-level helper, a closure built by a form, a declaration's names
    assert services_named(functools.partial(_forgotten, None)) == {"forgotten_service"}
    assert services_named(_forgotten_with_a_helper) == {"listed_service"}
    assert services_named(_forgotten_form) == {"another_forgotten"}
    assert services_named(_declared_action(_Names("declared_service"))) == {"declared_service"}
    assert not {"forgotten_service", "listed_service", "another_forgotten", "declared_service"} & set(SERVICES)


def test_a_service_not_registered_is_refused_not_written_as_a_placeholder():
    with pytest.raises(KeyError):
        forms.python_code(forms.Request("no_such_service", "get_thing"))


def test_the_ingestion_endpoint_is_written_from_the_registry():
    code = forms.python_code(forms.Request("monitoring_ingestion", "post_metric_data"), retry_token="token")
    assert ('service_endpoint=f"https://telemetry-ingestion.{config[\'region\']}.oraclecloud.com"') in code
