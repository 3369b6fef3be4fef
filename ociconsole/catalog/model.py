"""What a resource kind declares. The tree, table, detail pane, menus, toolbar, activity
tracking and create dialog are generic over these declarations (no Qt here: icons are
named, not loaded)."""

from __future__ import annotations

import builtins
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

TRANSITIONAL = frozenset({
    "PROVISIONING", "STARTING", "STOPPING", "TERMINATING", "CREATING", "DELETING", "UPDATING", "MOVING",
    "ATTACHING", "DETACHING", "RESTORING", "SCALING", "CREATING_IMAGE", "INACTIVATING", "ACTIVATING",
    "SCALE_IN_PROGRESS", "RESTARTING", "BACKUP_IN_PROGRESS", "RESTORE_IN_PROGRESS",
    "ACCEPTED", "IN_PROGRESS", "CANCELING",  # a migration's or a Data Science job run's while it runs
})
GOOD = frozenset({"RUNNING", "AVAILABLE", "ACTIVE", "ATTACHED", "SUCCEEDED", "ASSIGNED"})
BAD = frozenset({"TERMINATED", "DELETED", "FAILED", "DETACHED", "INACTIVE"})
STOPPED = frozenset({"STOPPED"})


def attr(path: str) -> Callable[[Any], Any]:
    """Getter for a dotted attribute path on an SDK model ("shape_config.ocpus")."""
    parts = path.split(".")

    def get(obj):
        for p in parts:
            if obj is None:
                return None
            obj = obj.get(p) if isinstance(obj, dict) else getattr(obj, p, None)
        return obj
    return get


@dataclass
class Column:
    title: str
    get: Callable[[Any], Any]
    kind: str = "text"  # text | state | datetime | number | bytes | ocid
    width: int | None = None
    tone: Callable[[Any], str | None] | None = None  # value -> "bad" | "busy" | "good": a warning colour


@dataclass
class ActionOption:
    name: str
    label: str
    default: bool = False


async def no_run(*_: Any) -> None:
    """`Action.run` of an action that `run` does not carry out: one whose form is its request (`Action.form`,
    submitted by the form dialog) or one a view of its own performs (the bucket browser deletes objects)."""


@dataclass
class Action:
    id: str
    label: str
    run: Callable[..., Awaitable[Any]]  # (session, resource, options: dict) -> Any
    allowed_states: frozenset[str] | None = None  # None = any state
    destructive: bool = False
    # None | "simple" | "name" (type the resource's name) | "form": an action whose form picks what it deletes
    # asks to type that thing's name in its own "confirm" field (forms.confirm_field)
    confirm: str | None = None
    target_states: frozenset[str] = frozenset()  # tracking ends when one is reached
    gone_ok: bool = False  # a 404 while tracking means done (deletions)
    options: list[ActionOption] = field(default_factory=list)
    shortcut: str | None = None
    icon: str | None = None
    verb: str = ""  # "Stopping" for activity titles; defaults to label
    # an action that asks for input first: the GUI opens the generic form dialog with the FormSpec built
    # for the resource (`form(resource)`); its request is the action, tracked like a create (`run` unused)
    form: Callable[[Any], Any] | None = None
    tracks: str | None = None  # kind id of what `run` returns, tracked to target_states (detach -> attachment)
    # beyond the state: whether the resource allows it now (an attached volume cannot be attached again)
    when: Callable[[Any], bool] | None = None
    mutates: bool = True  # False: it only reads or opens (a download, an export): no production guardrail

    def allowed(self, state: str | None) -> bool:
        return self.allowed_states is None or (state or "") in self.allowed_states

    def allowed_for(self, resource) -> bool:
        """`allowed` for the resource's state, and its `when` (if any) for the resource itself."""
        state = getattr(resource, "lifecycle_state", None)
        return self.allowed(state) and (self.when is None or bool(self.when(resource)))


@dataclass(frozen=True)
class Gone:
    """A resource that no longer exists (a 404 while tracking its deletion)."""

    id: str


@dataclass(frozen=True)
class Done:
    """What an action that makes no resource did, said in the activity panel ("Wrote 12 resources to …")."""

    detail: str


@dataclass
class RelatedItem:
    label: str
    value: str
    ocid: str | None = None  # makes the item a link


@dataclass
class Related:
    label: str
    fetch: Callable[..., Awaitable[list[RelatedItem]]]  # (session, resource) -> items
    # asked for only once the Related tab is looked at (costly reads: a compartment's cost by day, its audit
    # trail), not on every selection
    when_shown: bool = False


@dataclass
class ChartSpec:
    """One chart of a resource's Metrics tab: one or more metrics of its namespace."""

    title: str
    metrics: list[str]
    unit: str = ""  # "%", "bytes", "ops", ...
    statistic: str = "mean"  # the default statistic
    y_range: tuple[float, float] | None = None  # fixed axis (percentages)
    labels: dict[str, str] = field(default_factory=dict)  # metric -> legend label


@dataclass
class MetricsSpec:
    """Where a kind's metrics live: namespace, the dimension naming the resource, the charts."""

    namespace: str
    charts: list[ChartSpec]
    dimension: str = "resourceId"


def group_icon(group: str) -> str:
    """The icon of a tree group: "Analytics & AI" -> "group-analytics-ai"."""
    return "group-" + "-".join(re.findall(r"[a-z0-9]+", group.lower()))


@dataclass
class ResourceKind:
    id: str  # "compute.instance"
    label: str  # "Instances"
    singular: str  # "Instance"
    group: str  # tree group: "Compute"
    icon: str
    list: Callable[..., Awaitable[builtins.list[Any]]]  # (session, compartment_id) -> resources
    get: Callable[..., Awaitable[Any]] | None  # (session, ocid) -> resource
    columns: builtins.list[Column]  # builtins: the field `list` above shadows the name here
    ocid_types: tuple[str, ...] = ()
    scope: str = "compartment"  # compartment | tenancy (listed under the root only)
    name_attr: str = "display_name"
    related: builtins.list[Related] = field(default_factory=builtins.list)
    actions: builtins.list[Action] = field(default_factory=builtins.list)
    create: Any = None  # catalog.forms.FormSpec
    ready_states: frozenset[str] = frozenset({"RUNNING", "AVAILABLE", "ACTIVE"})
    metrics: MetricsSpec | None = None
    browser: str | None = None  # a GUI view that opening a resource shows instead of details (gui.views)
    create_view: str | None = None  # a GUI dialog (gui.views) that creating opens instead of the generic form
    order: int = 100
    # the kind's SDK and CLI names (catalog.generic.SdkRef): what gives it "Move to compartment…"
    sdk: Any = None
    movable: bool = True  # False where OCI cannot move the kind (it follows its parent)
    # a kind OCI moves by another call than change_<noun>_compartment (a bucket's update, MoveCompartment):
    # (resource, destination compartment OCID) -> (catalog.forms.Request, the oci CLI command)
    move: Callable[[Any, str], tuple[Any, str]] | None = None

    def name(self, resource) -> str:
        v = getattr(resource, self.name_attr, None)
        return str(v) if v else getattr(resource, "id", "")

    @staticmethod
    def state(resource) -> str | None:
        return getattr(resource, "lifecycle_state", None)

    def is_transitional(self, resource) -> bool:
        return (self.state(resource) or "") in TRANSITIONAL

    def action(self, action_id: str) -> Action | None:
        return next((a for a in self.actions if a.id == action_id), None)
