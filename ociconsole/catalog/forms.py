"""Create forms as data: typed fields with validation and dependencies, the SDK request
they build, and the equivalent `oci` CLI command and Python code. The GUI renders any
`FormSpec` with one generic dialog.

Field types: text, textarea, password, number, bool, enum, choice (options loaded from the
service, may depend on other fields), compartment, cidr, sshkey, tags, statements, mql (a
Monitoring query, multi-line monospace; validators.mql checks its syntax: catalog/mql.py), rules (a
table of rows with Add/Remove buttons, the NSG security rules editor: `options` are the columns,
`Option(key, header, data)` with `data` a list of choices for a drop-down cell or None for a text
cell; the value is a list of {key: text} dicts, empty rows left out; the field's `validate` checks it),
file (a local file to read, typed or picked with Browse…: it must exist), savefile (a local file to write: its
folder must exist); `Field.file_filter` is the Browse dialog's name filter ("Zip archives (*.zip)").

A request may be a workflow of the service layer instead of one SDK call (`Request.run`: a create, then an upload,
rolled back if the upload fails); `Request.python_after` adds its later steps to the Python equivalent.

A form whose answer holds a secret shown only once (`FormSpec.reveal`, `secret_attrs`) ends on a last page
that shows it with Copy buttons; `take_secrets` reads it and clears it from the answer.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import shlex
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from ..core.connection import OCI_ENDPOINTS, SERVICES
from ..i18n import N_
from . import validators

OptionsFn = Callable[["FormContext", dict], Awaitable[list["Option"]]]


@dataclass
class Option:
    value: Any
    label: str
    data: Any = None  # the SDK model behind the option (a shape, an image, a subnet...)
    depth: int = 0  # indentation (compartment trees)


@dataclass
class Field:
    name: str
    label: str
    type: str = "text"
    required: bool = False
    default: Any = None
    help: str = ""
    placeholder: str = ""
    options: list[Option] | OptionsFn | None = None
    depends_on: tuple[str, ...] = ()
    validate: Callable[[Any, dict, FormContext], str | None] | None = None
    bounds: Callable[[dict, FormContext], tuple[float, float, float] | None] | None = None  # (min, max, step)
    visible: Callable[[dict, FormContext], bool] | None = None
    default_from: Callable[[dict, FormContext], Any] | None = None  # recomputed when dependencies change
    # a value that is allowed but deserves a loud warning (a public bucket): shown under the field and
    # on the review page; never blocks
    warning: Callable[[Any, dict, FormContext], str | None] | None = None
    # an empty choice is no dead end: the kind whose create dialog makes the missing options ("network.vcn"),
    # and/or a sentence on where options exist (async (ctx, values) -> str: "Metrics exist in Production")
    create_kind: str | None = None
    empty_hint: Callable[[FormContext, dict], Awaitable[str]] | None = None
    file_filter: str = ""  # file / savefile: the Browse dialog's name filter ("Zip archives (*.zip)")

    def warn(self, value, values: dict, ctx: FormContext) -> str | None:
        """The field's warning for `value`, or None. Never raises."""
        if self.warning is None:
            return None
        try:
            if self.visible is not None and not self.visible(values, ctx):
                return None
            return self.warning(value, values, ctx)
        except Exception:
            return None

    def check(self, value, values: dict, ctx: FormContext) -> str | None:
        """The field's error for `value`, or None. Never raises."""
        try:
            if self.visible is not None and not self.visible(values, ctx):
                return None
            empty = value is None or (isinstance(value, str) and not value.strip())
            if empty:
                return f"{self.label} is required" if self.required else None
            builtin = {
                "cidr": lambda v: validators.cidr(v),
                "sshkey": lambda v: validators.ssh_public_keys(v),
                "tags": validators.tags,
                "statements": validators.policy_statements,
                "mql": validators.mql,
                "file": _existing_file,
                "savefile": _writable_path,
            }.get(self.type)
            if builtin is not None:
                err = builtin(value)
                if err:
                    return err
            if self.type == "number" and self.bounds is not None:
                b = self.bounds(values, ctx)
                if b is not None:
                    err = validators.number_in(value, b[0], b[1], self.label, whole=b[2] >= 1)
                    if err:
                        return err
            if self.validate is not None:
                return self.validate(value, values, ctx)
            return None
        except Exception as e:
            return f"Cannot check this value ({type(e).__name__})"


def _existing_file(v: str) -> str | None:
    path = os.path.expanduser(v.strip())
    if not os.path.exists(path):
        return f"No such file: {path}"
    return None if os.path.isfile(path) else f"Not a file: {path}"


def _writable_path(v: str) -> str | None:
    path = os.path.expanduser(v.strip())
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        return f"No such folder: {folder}"
    return f"{path} is a folder: give a file name" if os.path.isdir(path) else None


@dataclass
class Request:
    """An SDK call: `<client of service>.<method>(*args, <details>, **kwargs)`."""

    service: str
    method: str
    details: Any = None
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    retry_token: bool = True  # the method takes an opc-retry-token (Object Storage's mostly do not)
    # the keyword the method takes `details` by, where it is not the last positional argument (Load Balancer's
    # create_backend_set(create_backend_set_details, load_balancer_id)): every argument is then a keyword
    details_kw: str = ""
    # the answer's data as the kind's resource (a model whose OCID is not `id`, such as a topic's
    # `topic_id`, wrapped so that `.id` reads it); None: the data as it is
    wrap: Callable[[Any], Any] | None = None
    # attributes of `details` that hold a secret (an IDCS token, a password) -> the environment variable the
    # Python equivalent reads it from: the secret itself is never written into the code shown
    secret_env: dict[str, str] = field(default_factory=dict)
    # a workflow of the service layer sent instead of the single call above (which the equivalents still show):
    # `await run(session, retry_token, step)` returns the resource; `step(text)` reports progress to the activity
    run: Callable[[Any, str, Callable[[str], None]], Awaitable[Any]] | None = None
    python_after: str = ""  # the workflow's later steps in the Python equivalent (after `response = ...`)
    # the SDK method takes the details before the other arguments (the Database client's
    # change_<noun>_compartment(change_compartment_details, <noun>_id))
    details_first: bool = False


@dataclass
class FormSpec:
    title: str
    kind_id: str  # the catalog kind the request creates
    fields: list[Field]
    build: Callable[[dict, FormContext], Request]
    cli: Callable[[dict, FormContext, Request], str]
    describe: Callable[[dict], str] = lambda v: v.get("display_name") or v.get("name") or ""
    submit_label: str = N_("Create")  # the button that sends the request ("Attach", "Resize"...)
    op_title: Callable[[dict], str] | None = None  # activity title; default "Create <kind> <describe>"
    # what the configuration costs at list price (catalog.pricing.Cost), shown before Create; None: no price
    cost: Callable[[dict, FormContext], Any] | None = None
    # a secret OCI shows only in the create's answer (an auth token, a secret key, an SMTP password): the
    # (label, value) pairs the dialog's last page shows once, with Copy buttons. `secret_attrs` name the
    # attributes of the answer that hold the secret: `take_secrets` clears them once read, so that the
    # operation's result, the listeners and any log never see it
    reveal: Callable[[Any], list[tuple[str, Any]]] | None = None
    secret_attrs: tuple[str, ...] = ()

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def errors(self, values: dict, ctx: FormContext) -> dict[str, str]:
        out = {}
        for f in self.fields:
            err = f.check(values.get(f.name), values, ctx)
            if err:
                out[f.name] = err
        return out

    def warnings(self, values: dict, ctx: FormContext) -> dict[str, str]:
        out = {}
        for f in self.fields:
            w = f.warn(values.get(f.name), values, ctx)
            if w:
                out[f.name] = w
        return out


class FormContext:
    """What option loaders and validators may use: the session and the place of creation."""

    def __init__(self, session, compartment_id: str, compartments: list[Option] | None = None):
        self.session = session
        self.compartment_id = compartment_id
        self.compartments = compartments or []
        self.option_data: dict[str, dict[Any, Any]] = {}  # field -> value -> Option.data

    @property
    def tenancy_id(self) -> str:
        return self.session.tenancy_id

    def remember(self, field_name: str, options: list[Option]) -> None:
        self.option_data[field_name] = {o.value: o.data for o in options}

    def data(self, field_name: str, value) -> Any:
        return self.option_data.get(field_name, {}).get(value)


def confirm_field(chosen: Callable[[dict, FormContext], str | None], what: str, depends_on: tuple[str, ...]) -> Field:
    """The typed confirmation of a deleting action that picks what it deletes in its form
    (`Action(confirm="form")`): the person types `chosen(values, ctx)`, the name of what was picked."""
    def check(v, values, ctx):
        want = chosen(values, ctx)
        if want is not None and (v or "").strip() != want:
            return f"Type '{want}' ({what}) to confirm"
        return None
    return Field("confirm", f"Type {what} to confirm", "text", required=True, validate=check, depends_on=depends_on)


async def submit(session, request: Request, retry_token: str, step: Callable[[str], None] | None = None):
    """Send the request (retried safely: it carries the retry token). Returns (data, work request id)."""
    if request.run is not None:  # a workflow: its steps are the service layer's
        data = await request.run(session, retry_token, step or (lambda _text: None))
        return (request.wrap(data) if request.wrap is not None and data is not None else data), ""
    args = request.args if request.details is None else \
        (request.details, *request.args) if request.details_first else (*request.args, request.details)
    kw = dict(request.kwargs, opc_retry_token=retry_token) if request.retry_token else dict(request.kwargs)
    if request.details_kw:  # an SDK method that takes the details by name
        args, kw[request.details_kw] = request.args, request.details
    resp = await session.call(request.service, request.method, *args, **kw)
    data = request.wrap(resp.data) if request.wrap is not None and resp.data is not None else resp.data
    return data, (resp.headers or {}).get("opc-work-request-id", "")


def take_secrets(spec: FormSpec, data) -> tuple[list[tuple[str, str]], list[str]]:
    """What `spec.reveal` shows of the created `data` ((label, text) pairs) and the secret values among them;
    the data's `spec.secret_attrs` are then cleared (set to None) so the secret lives only in the caller's hands."""
    if spec.reveal is None or data is None:
        return [], []
    pairs = [(label, "" if v is None else str(v)) for label, v in spec.reveal(data)]
    secrets = [str(getattr(data, a)) for a in spec.secret_attrs if getattr(data, a, None)]
    for a in spec.secret_attrs:
        if hasattr(data, a):
            setattr(data, a, None)
    return pairs, secrets


# ---------------------------------------------------------------- equivalents

def client_class(service: str) -> str:
    """The SDK client class of `service` as Python names it ("oci.core.ComputeClient"), from the one
    registry of SDK clients (core.connection.SERVICES); KeyError for a service not registered."""
    module, cls = SERVICES[service]
    return f"oci.{module}.{cls}"


def client_args(service: str) -> str:
    """Constructor arguments beyond the config: the endpoint of services whose OCI endpoint is not
    the SDK's default (core.connection.OCI_ENDPOINTS), as an f-string over the config's region."""
    endpoint = OCI_ENDPOINTS.get(service)
    if endpoint is None:
        return ""
    return "service_endpoint=f\"" + endpoint.replace("{region}", "{config['region']}") + "\""


def _py_value(v, indent: int, secret_env: dict[str, str] | None = None) -> str:
    pad = " " * indent
    if hasattr(v, "swagger_types") and hasattr(v, "attribute_map"):
        mod = type(v).__module__.rsplit(".", 1)[0]  # oci.core.models
        items = []
        for py in v.swagger_types:
            val = getattr(v, py)
            if val is None:
                continue
            if secret_env and py in secret_env:
                items.append(f"{pad}    {py}=os.environ[{secret_env[py]!r}]")
                continue
            items.append(f"{pad}    {py}={_py_value(val, indent + 4, secret_env)}")
        if not items:
            return f"{mod}.{type(v).__name__}()"
        return f"{mod}.{type(v).__name__}(\n" + ",\n".join(items) + ")"
    if isinstance(v, list):
        if not v:
            return "[]"
        return "[\n" + ",\n".join(f"{pad}    {_py_value(x, indent + 4, secret_env)}" for x in v) + "]"
    if isinstance(v, dict):  # (a map of models, Load Balancer's listeners and backend sets: each as code)
        if not any(hasattr(x, "swagger_types") for x in v.values()):
            return repr(v)
        return "{\n" + ",\n".join(f"{pad}    {k!r}: {_py_value(x, indent + 4, secret_env)}" for k, x in v.items()) \
            + "}"
    return repr(v)


def python_code(request: Request, retry_token: str = "<token>") -> str:
    """Runnable Python SDK code equivalent to `request`."""
    extra = client_args(request.service)
    lines = ["import oci", "", "config = oci.config.from_file()  # ~/.oci/config, DEFAULT profile",
             f"client = {client_class(request.service)}(config{', ' + extra if extra else ''})", ""]
    if request.secret_env:  # secrets come from the environment, never written here
        lines[0:1] = ["import os", "", "import oci"]
    args = [repr(a) for a in request.args]
    if request.details is not None:
        lines.append(f"details = {_py_value(request.details, 0, request.secret_env)}")
        if request.details_kw:
            args.append(f"{request.details_kw}=details")
        elif request.details_first:
            args.insert(0, "details")
        else:
            args.append("details")
    kw = [f"{k}={v!r}" for k, v in request.kwargs.items()]
    if request.retry_token:
        kw.append(f"opc_retry_token={retry_token!r}")
    lines.append(f"response = client.{request.method}({', '.join(args + kw)})")
    if request.python_after:
        lines.append(request.python_after.rstrip("\n"))
    lines.append("print(response.data)")
    return "\n".join(lines)


def to_json(v) -> str:
    """Compact JSON of an SDK model/dict/list as the CLI expects (camelCase keys)."""
    import oci

    def conv(x):
        if hasattr(x, "swagger_types"):
            out = {}
            for py in x.swagger_types:
                val = getattr(x, py)
                if val is not None:
                    out[x.attribute_map[py]] = conv(val)
            return out
        if isinstance(x, list):
            return [conv(i) for i in x]
        if isinstance(x, dict):
            return {k: conv(i) for k, i in x.items()}
        if isinstance(x, _dt.datetime):  # RFC 3339, as the service and the CLI take it
            return x.isoformat().replace("+00:00", "Z")
        return x
    _ = oci
    return json.dumps(conv(v), separators=(",", ":"))


def cli_command(words: str, flags: list[tuple[str, Any]]) -> str:
    """`oci <words> --flag value ...` with shell quoting; None values are left out."""
    parts = ["oci", *words.split()]
    for flag, value in flags:
        if value is None or (isinstance(value, (str, dict, list)) and not value):
            continue
        if isinstance(value, bool):
            parts += [flag, "true" if value else "false"]
        elif isinstance(value, (dict, list)) or hasattr(value, "swagger_types"):
            parts += [flag, shlex.quote(to_json(value))]
        else:
            parts += [flag, shlex.quote(str(value))]
    out, line = [], ""
    for p in parts:
        if p.startswith("--") and line:
            out.append(line)
            line = "    " + p
        else:
            line = f"{line} {p}".strip() if not line.startswith("    ") else f"{line} {p}"
    out.append(line)
    return " \\\n".join(out)
