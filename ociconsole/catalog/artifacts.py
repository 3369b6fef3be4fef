"""Container Registry kinds ("Developer Services"): container repositories, with their images as related items
(tags, digest, size, age), the pull command to copy, and "Delete untagged images…" confirmed by typing how many.
A repository's name follows OCI's rules (lower case, `/` separated), checked as you type."""

from __future__ import annotations

import datetime as dt
import re

from ..core.sdk import models as sdk_models
from ..i18n import N_
from ..services import artifacts as svc
from . import validators
from .forms import Field, FormContext, FormSpec, Option, Request, cli_command, confirm_field
from .generic import SdkRef, delete_action, getter
from .model import Action, Column, Related, RelatedItem, ResourceKind, attr, no_run

M = sdk_models("artifacts")
AVAILABLE = frozenset({"AVAILABLE"})
GONE = frozenset({"DELETED"})
IMAGE_REF = SdkRef("artifacts", "container_image", cli="artifacts container image", id_flag="--image-id")
REPO_REF = SdkRef("artifacts", "container_repository", cli="artifacts container repository",
                  id_flag="--repository-id", plural="container_repositories")
NAME_MAX = 255
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
NAME_RE = re.compile(rf"{_COMPONENT}(?:/{_COMPONENT})*")


def repository_name(v) -> str | None:
    """OCI's rule for a repository name (what the service answers 400 to), as a sentence."""
    if not isinstance(v, str) or not v.strip():
        return "A name is required"
    if len(v) > NAME_MAX:
        return f"At most {NAME_MAX} characters"
    if v != v.lower():
        return "A repository name must be lower case"
    if not NAME_RE.fullmatch(v):
        return ("Lower-case letters and digits, separated by '.', '_', '-' or '/', starting and ending with a "
                "letter or digit (project01/web-app)")
    return None


def size(n) -> str:
    n = float(n or 0)
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} GB"


def age(t) -> str:
    if t is None:
        return ""
    secs = (dt.datetime.now(dt.UTC) - t).total_seconds()
    for unit, s in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if secs >= s:
            k = int(secs // s)
            return f"{k} {unit}{'s' if k > 1 else ''} ago"
    return "just now"


def _tags(v):
    return validators.parse_tags(v.get("freeform_tags"))[0] or None


# ---------------------------------------------------------------- create

def _readme(v):
    text = (v.get("readme") or "").strip()
    return M.ContainerRepositoryReadme(content=text, format="TEXT_MARKDOWN") if text else None


def _request(v: dict, ctx: FormContext) -> Request:
    return Request("artifacts", "create_container_repository", M.CreateContainerRepositoryDetails(
        compartment_id=v["compartment_id"], display_name=v["display_name"].strip(),
        is_public=bool(v.get("is_public")), is_immutable=bool(v.get("is_immutable")), readme=_readme(v),
        freeform_tags=_tags(v)))


def _cli(v, ctx, req: Request) -> str:
    d = req.details
    return cli_command("artifacts container repository create", [
        ("--compartment-id", d.compartment_id), ("--display-name", d.display_name),
        ("--is-public", "true" if d.is_public else None), ("--is-immutable", "true" if d.is_immutable else None),
        ("--readme", {"content": d.readme.content, "format": d.readme.format} if d.readme else None),
        ("--freeform-tags", d.freeform_tags), ("--wait-for-state", "AVAILABLE")])


REPOSITORY_FORM = FormSpec(
    title=N_("Create container repository"), kind_id="artifacts.container_repository",
    fields=[
        Field("display_name", N_("Name"), "text", required=True, placeholder=N_("project01/web-app"),
              validate=lambda v, *_: repository_name(v),
              help=N_("Unique in the tenancy's region; images are pushed as "
                      "<region>.ocir.io/<namespace>/<name>:<tag>")),
        Field("compartment_id", N_("Compartment"), "compartment", required=True),
        Field("is_public", N_("Public (anyone can pull without signing in)"), "bool", default=False,
              warning=lambda v, *_: "Anyone on the internet can pull its images" if v else None),
        Field("is_immutable", N_("Immutable (a pushed tag cannot be overwritten or removed)"), "bool", default=False),
        Field("readme", N_("Readme (Markdown)"), "textarea",
              validate=lambda v, *_: "At most 10,000 characters" if v and len(v) > 10000 else None),
        Field("freeform_tags", N_("Tags"), "tags", help=N_("One key=value per line")),
    ],
    build=_request, cli=_cli)


# ---------------------------------------------------------------- images (related items)

async def _images(session, repo) -> list[RelatedItem]:
    images = await svc.image_details(session, await svc.list_images(session, repo))
    out = []
    for i in images:
        tags = ", ".join(v.version for v in i.versions or []) or "untagged"
        out.append(RelatedItem(tags, f"{i.digest[:19]}…  {size(i.layers_size_in_bytes)}  {age(i.time_created)}"
                               f"  ({i.pull_count or 0} pulls)", i.id))
    return out or [RelatedItem("Images", "none pushed yet")]


async def _repo_info(session, repo) -> list[RelatedItem]:
    repo = await session.data("artifacts", "get_container_repository", repo.id)  # the summary has no readme
    host = svc.registry_host(session)
    out = [RelatedItem("Path", f"{host}/{repo.namespace}/{repo.display_name}"),
           RelatedItem("Access", "Public" if repo.is_public else "Private"),
           RelatedItem("Immutable", "Yes" if repo.is_immutable else "No"),
           RelatedItem("Images", str(repo.image_count or 0)),
           RelatedItem("Layers", f"{repo.layer_count or 0} ({size(repo.layers_size_in_bytes)})")]
    if repo.readme is not None and repo.readme.content:
        out.append(RelatedItem("Readme", repo.readme.content.splitlines()[0][:120]))
    return out


# ---------------------------------------------------------------- pull command

def pull_form(repo) -> FormSpec:
    async def images(ctx: FormContext, _values) -> list[Option]:
        host = svc.registry_host(ctx.session)
        return [Option(svc.pull_command(host, repo.namespace, repo.display_name, i),
                       f"{i.version or 'untagged'}  {i.digest[:19]}…", i)
                for i in await svc.list_images(ctx.session, repo)]

    def build(v: dict, ctx: FormContext) -> Request:
        img = ctx.data("image", v["image"])
        return Request("artifacts", "get_container_image", args=(img.id,), retry_token=False,
                       wrap=lambda _data: _Pull(f"{img.id}#pull", v["image"]))

    return FormSpec(
        title=f"Pull command for {repo.display_name}", kind_id="artifacts.pull_command",
        fields=[Field("image", N_("Image"), "choice", required=True, options=images,
                      help=N_("docker (or podman) pulls it after 'docker login' with <namespace>/<user name> and an "
                           "auth token"))],
        build=build, cli=lambda v, ctx, req: cli_command("artifacts container image get", [
            ("--image-id", ctx.data("image", v["image"]).id)]),
        describe=lambda v: repo.display_name, submit_label=N_("Show command"),
        op_title=lambda v: f"Pull command for {repo.display_name}",
        reveal=lambda r: [("Pull command", r.command)])


class _Pull:
    def __init__(self, ident: str, command: str):
        self.id = ident
        self.command = command


# ---------------------------------------------------------------- delete untagged images

def untagged_form(repo) -> FormSpec:
    async def count(ctx: FormContext, _values) -> list[Option]:
        found = svc.untagged(await svc.list_images(ctx.session, repo))
        total = sum(getattr(i, "layers_size_in_bytes", 0) or 0 for i in await svc.image_details(ctx.session, found))
        return [Option(len(found), f"{len(found)} untagged image{'s' if len(found) != 1 else ''} "
                                   f"({size(total)})", found)]

    def chosen(values, ctx) -> str | None:
        n = values.get("count")
        return None if n is None else str(n)

    def build(v: dict, ctx: FormContext) -> Request:
        n = int(v["count"])

        async def run(session, _token, step):
            return await svc.delete_untagged(session, repo, n, step)
        return Request("artifacts", "delete_container_image", args=("<image id>",), retry_token=False, run=run)

    def cli(v, ctx, req: Request) -> str:
        imgs = ctx.data("count", v.get("count")) or []
        return "\n".join(cli_command("artifacts container image delete", [("--image-id", i.id)]) + " --force"
                         for i in imgs) or "# no untagged images"

    return FormSpec(
        title=f"Delete untagged images of {repo.display_name}", kind_id="artifacts.untagged_deletion",
        fields=[Field("count", N_("Untagged images"), "choice", required=True, options=count,
                      validate=lambda v, *_: "There are no untagged images" if v == 0 else None,
                      help=N_("Images no tag names any more (a newer push took their tag); pulls by digest fail "
                           "once they are deleted")),
                confirm_field(chosen, "how many images", ("count",))],
        build=build, cli=cli, describe=lambda v: repo.display_name, submit_label=N_("Delete"),
        op_title=lambda v: f"Delete {v.get('count')} untagged images of {repo.display_name}",
        reveal=lambda r: [("Deleted", f"{r.count} image(s)")])


REPOSITORIES = ResourceKind(
    id="artifacts.container_repository", label=N_("Container Registry"), singular=N_("Container repository"),
    group=N_("Developer Services"), icon="package", order=20, list=svc.list_repositories, get=getter(REPO_REF),
    ocid_types=("containerrepo", "containerrepository"),
    columns=[
        Column(N_("Name"), attr("display_name"), width=220),
        Column(N_("State"), attr("lifecycle_state"), "state"),
        Column(N_("Access"), lambda r: "Public" if r.is_public else "Private", width=80),
        Column(N_("Images"), attr("image_count"), "number"),
        Column(N_("Size"), attr("layers_size_in_bytes"), "bytes"),
        Column(N_("Created"), attr("time_created"), "datetime"),
    ],
    related=[Related(N_("Repository"), _repo_info), Related(N_("Images"), _images)],
    actions=[
        Action("pull", N_("Copy pull command…"), no_run, AVAILABLE, form=pull_form, icon="copy",
               verb=N_("Pull command for")),
        Action("delete_untagged", N_("Delete untagged images…"), no_run, AVAILABLE, destructive=True, confirm="form",
               form=untagged_form, icon="delete", verb=N_("Deleting untagged images of")),
        delete_action(REPO_REF, AVAILABLE, GONE),
    ],
    create=REPOSITORY_FORM, ready_states=AVAILABLE, sdk=REPO_REF)


async def _no_list(*_a, **_k) -> list:
    return []


# ---------------------------------------------------------------- an image (opened from its repository's Images)

async def _image_related(session, img) -> list[RelatedItem]:
    img = await session.data("artifacts", "get_container_image", img.id)
    out = [RelatedItem("Repository", img.repository_name, img.repository_id),
           RelatedItem("Digest", img.digest), RelatedItem("Size", size(img.layers_size_in_bytes)),
           RelatedItem("Pulls", str(img.pull_count or 0))]
    for v in img.versions or []:
        out.append(RelatedItem(f"Tag {v.version}", f"pushed {age(v.time_created)}"))
    for n, la in enumerate(img.layers or [], 1):
        out.append(RelatedItem(f"Layer {n}", f"{la.digest[:19]}…  {size(la.size_in_bytes)}"))
    return out


def untag_form(img) -> FormSpec:
    tags = [Option(v.version, v.version) for v in (img.versions or [])] or (
        [Option(img.version, img.version)] if getattr(img, "version", None) else [])
    return FormSpec(
        title=f"Remove a tag of {img.display_name}", kind_id="artifacts.container_image",
        fields=[Field("version", N_("Tag"), "choice", required=True, options=tags,
                      help=N_("The image stays (pullable by digest); an image with no tag left is untagged"))],
        build=lambda v, ctx: Request("artifacts", "remove_container_version", M.RemoveContainerVersionDetails(
            version=v["version"]), args=(img.id,)),
        cli=lambda v, ctx, req: cli_command("artifacts container image remove-version", [
            ("--image-id", img.id), ("--image-version", v["version"])]),
        describe=lambda v: img.display_name, submit_label=N_("Remove tag"),
        op_title=lambda v: f"Remove tag {v.get('version')} of {img.display_name}")


IMAGES = ResourceKind(
    id="artifacts.container_image", label=N_("Container images"), singular=N_("Container image"),
    group=N_("Developer Services"), icon="image", scope="hidden", list=_no_list, get=getter(IMAGE_REF),
    ocid_types=("containerimage",),
    columns=[Column(N_("Name"), attr("display_name"), width=240), Column(N_("State"), attr("lifecycle_state"), "state"),
             Column(N_("Digest"), attr("digest"), width=200), Column(N_("Created"), attr("time_created"), "datetime")],
    related=[Related(N_("Image"), _image_related)],
    actions=[
        Action("untag", N_("Remove tag…"), no_run, AVAILABLE, form=untag_form, icon="delete", verb=N_("Untagging"),
               when=lambda i: bool(getattr(i, "versions", None))),
        delete_action(IMAGE_REF, AVAILABLE, GONE),
    ],
    ready_states=AVAILABLE, sdk=IMAGE_REF, movable=False)


PULL_COMMANDS = ResourceKind(
    id="artifacts.pull_command", label=N_("Pull commands"), singular=N_("Pull command"), group=N_("Developer Services"),
    icon="copy", scope="hidden", list=_no_list, get=None, columns=[Column(N_("Command"), attr("command"))],
    movable=False)
UNTAGGED_DELETIONS = ResourceKind(
    id="artifacts.untagged_deletion", label=N_("Untagged image deletions"), singular=N_("Untagged image deletion"),
    group=N_("Developer Services"), icon="delete", scope="hidden", list=_no_list, get=None,
    columns=[Column(N_("Deleted"), attr("count"))], movable=False)

KINDS: list[ResourceKind] = [REPOSITORIES, IMAGES, PULL_COMMANDS, UNTAGGED_DELETIONS]
