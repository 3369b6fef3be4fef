"""Notifications kinds: topics (list, create, delete), the destinations alarms publish to.

The OCI console has them under Developer Services > Application Integration; here they sit next
to the alarms (Observability), which is where a person looks for them when making one. A topic's
OCID is `topic_id` in the SDK (its models have no `id`): rows wrap the model (`TopicRow`).
"""

from __future__ import annotations

import re

from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..services import notifications as svc
from .forms import Field, FormContext, FormSpec, Request, cli_command
from .generic import SdkRef
from .model import Action, Column, ResourceKind, attr

M = sdk_models("ons")
NAME_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
DESCRIPTION_MAX = 1024


class TopicRow:
    """A topic model read like any resource: `.id` is its `topic_id`; every field of the model."""

    def __init__(self, topic):
        object.__setattr__(self, "_topic", topic)

    def __getattr__(self, name):
        return getattr(object.__getattribute__(self, "_topic"), name)

    @property
    def id(self) -> str:
        return self._topic.topic_id

    @property
    def swagger_types(self) -> dict:
        return self._topic.swagger_types

    @property
    def attribute_map(self) -> dict:
        return self._topic.attribute_map

    def __repr__(self) -> str:
        return f"TopicRow({self._topic.name!r}, {self._topic.lifecycle_state})"


def wrap(topic) -> TopicRow:
    return topic if isinstance(topic, TopicRow) else TopicRow(topic)


async def list_topics(session, compartment_id: str) -> list[TopicRow]:
    return [wrap(t) for t in await svc.list_topics(session, compartment_id)]


async def get_topic(session, topic_id: str) -> TopicRow:
    return wrap(await svc.get_topic(session, topic_id))


async def _delete(session, topic, _options):
    await svc.delete_topic(session, topic.id)


def check_name(v, *_a) -> str | None:
    if not isinstance(v, str) or not NAME_RE.fullmatch(v.strip()):
        return "1-256 letters, digits, hyphens (-) or underscores (_); unique in the tenancy"
    return None


def _build(v: dict, ctx: FormContext) -> Request:
    details = M.CreateTopicDetails(name=v["name"].strip(), compartment_id=v["compartment_id"],
                                   description=(v.get("description") or "").strip() or None)
    return Request("notifications", "create_topic", details, wrap=wrap)


def _cli(v: dict, ctx: FormContext, req: Request) -> str:
    d = req.details
    return cli_command("ons topic create", [("--compartment-id", d.compartment_id), ("--name", d.name),
                                            ("--description", d.description)])


TOPIC_FORM = FormSpec(
    title=N_("Create notification topic"), kind_id="notifications.topic",
    fields=[
        Field("name", N_("Name"), "text", required=True, placeholder=N_("ops-alerts"), validate=check_name,
              help=N_("Letters, digits, '-' and '_'; unique in the tenancy (it cannot be changed later)")),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("description", N_("Description"), "textarea",
              validate=lambda v, *_: f"At most {DESCRIPTION_MAX:,} characters" if v and len(v) > DESCRIPTION_MAX
              else None),
    ],
    build=_build, cli=_cli, describe=lambda v: (v.get("name") or "").strip())


TOPICS = ResourceKind(
    id="notifications.topic", label=N_("Notification topics"), singular=N_("Topic"), group=N_("Observability"),
                      icon="link",
    list=list_topics, get=get_topic, ocid_types=("onstopic",), name_attr="name", order=2,
    columns=[
        Column(N_("Name"), attr("name"), width=200),
        Column(N_("State"), attr("lifecycle_state"), "state", width=90),
        Column(N_("Description"), attr("description"), width=320),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    actions=[
        Action("delete", N_("Delete"), _delete, frozenset({"ACTIVE"}), destructive=True, confirm="name",
               target_states=frozenset({"DELETED"}), gone_ok=True, shortcut="Delete", icon="delete",
               verb=N_("Deleting")),
    ],
    create=TOPIC_FORM,
    ready_states=frozenset({"ACTIVE"}),
    sdk=SdkRef("notifications", "topic", cli="ons topic", move_model="ChangeCompartmentDetails"),
)

KINDS = [TOPICS]
