"""Container Registry (`/artifacts`, ArtifactsClient; the registry itself on the OCI Distribution API at `/v2/`).

What OCI does and the emulator does too:

- Container repositories: `displayName` is the repository's name, lower case (components of letters and digits
  joined by `.`, `_`, `__` or dashes, separated by `/`, at most 255 characters: `project01/hello-world`), unique in
  the tenancy's region; public or private, immutable or not, a readme (TEXT_PLAIN or TEXT_MARKDOWN, at most
  10,000 characters). They are AVAILABLE at once; deleting one deletes its images. An image is addressed as
  `<region>.ocir.io/<tenancy namespace>/<repository>:<tag>`; the emulator's registry host is its own
  `127.0.0.1:<port>`, the namespace the tenancy's Object Storage namespace.
- The registry answers the OCI Distribution API under `/v2/` (no signature): a client logs in with the user
  name `<namespace>/<user name>` (or `<namespace>/oracleidentitycloudservice/<user name>`) and one of the
  user's ACTIVE Identity auth tokens as the password, either as Basic credentials on every request or through
  the bearer-token endpoint `/20180419/docker/token` that the 401's `WWW-Authenticate` names, as OCIR does.
  Blobs upload monolithically (POST ...?digest=, or POST then PUT) or in chunks (POST, PATCH with
  Content-Range, PUT ?digest=); the digest is checked. Manifests are PUT and read (GET/HEAD) by tag or digest;
  `tags/list` lists a repository's tags. Pushing to a repository that does not exist creates it (private, in the
  root compartment) while the tenancy's container configuration says `isRepositoryCreatedOnFirstPush`.
  Pushing a tag that exists to an immutable repository is refused (409 TAG_INVALID). A public repository's
  images are pulled without credentials.
- Every pushed manifest is a container image (ocid1.containerimage) with its digest, layers (digest, size),
  manifest size, versions (tags) and pull count; `list_container_images` filters by repository, version,
  `isVersioned`; `remove_container_version` untags; `delete_container_image` marks it DELETED (its tags are
  gone; it stays listed a while), `restore_container_image` brings a DELETED image back (with `version` as
  its tag).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import secrets
import uuid
from pathlib import Path

from .. import protocol
from ..engine import Kind, Lifecycle
from ..protocol import ApiError, conflict, incorrect_state, invalid
from ..registry import Context, Result, Service
from .object_storage import namespace_of

svc = Service("artifacts", name="artifacts")

REPO = "containerrepository"
IMAGE = "containerimage"
UPLOAD = "_ocirupload"  # a blob upload in progress: {id, repositoryPath, size}
TOKEN = "_ocirtoken"  # a registry bearer token: {id: sha256 of the token, userId, expires}
CONFIG = "_ocirconfig"  # per tenancy: {id: tenancy, isRepositoryCreatedOnFirstPush}
TOKEN_TTL = 300.0
NAME_MAX = 255
README_MAX = 10000
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
NAME_RE = re.compile(rf"{_COMPONENT}(?:/{_COMPONENT})*")
TAG_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
DIGEST_RE = re.compile(r"sha256:[a-f0-9]{64}")
MANIFEST_TYPES = ("application/vnd.oci.image.manifest.v1+json",
                  "application/vnd.docker.distribution.manifest.v2+json",
                  "application/vnd.oci.image.index.v1+json",
                  "application/vnd.docker.distribution.manifest.list.v2+json")
MAX_MANIFEST = 4 * 1024 * 1024


# ---------------------------------------------------------------- repositories

def check_repository_name(name) -> str:
    if not isinstance(name, str) or not name:
        raise ApiError(400, "MissingParameter", "displayName is required")
    if len(name) > NAME_MAX:
        raise invalid(f"displayName: a repository name is at most {NAME_MAX} characters")
    if name != name.lower():
        raise invalid(f"displayName '{name[:80]}': a repository name must be lower case")
    if not NAME_RE.fullmatch(name):
        raise invalid(f"displayName '{name[:80]}': a repository name is lower-case letters and digits, separated by "
                      "'.', '_', '-' or '/', starting and ending with a letter or digit")
    return name


def _readme(readme) -> None:
    if readme is None:
        return
    fmt = readme.get("format")
    if fmt not in ("TEXT_MARKDOWN", "TEXT_PLAIN"):
        raise invalid("readme.format must be TEXT_MARKDOWN or TEXT_PLAIN")
    if not isinstance(readme.get("content"), str) or len(readme["content"]) > README_MAX:
        raise invalid(f"readme.content must be at most {README_MAX:,} characters")


def _creator(ctx: Context) -> str:
    return getattr(ctx.principal, "user_id", None) or ctx.tenancy_id


def _repo_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    _readme(body.get("readme"))
    if existing is not None:
        return {}
    name = check_repository_name(body.get("displayName"))
    _unique_name(ctx.store, ctx.region, name)
    return {"namespace": namespace_of(ctx.tenancy_id), "createdBy": _creator(ctx), "systemTags": {}}


def _unique_name(store, region: str, name: str) -> None:
    for other in store.by_field(REPO, "displayName", name):
        if other.get("_region") == region and other.get("lifecycleState") != "DELETED":
            raise conflict(f"A container repository named '{name}' already exists in this tenancy")


def _repo_deleted(ctx: Context, doc: dict) -> None:
    for img in ctx.store.by_field(IMAGE, "repositoryId", doc["id"]):
        if img.get("lifecycleState") != "DELETED":
            ctx.update(IMAGE, img["id"], {"lifecycleState": "DELETED", "versions": [], "version": None})


REPOSITORY = svc.resource(Kind(
    REPO, "ContainerRepository", "container repository",
    lifecycle=Lifecycle(None, "AVAILABLE", None, "DELETING", "DELETED"), validate=_repo_checks,
    defaults={"isPublic": False, "isImmutable": False, "imageCount": 0, "layerCount": 0, "layersSizeInBytes": 0,
              "billableSizeInGBs": 0, "systemTags": {}},
    on_delete=_repo_deleted, search="ContainerRepository"))


def _repo_totals(store, repo_id: str) -> dict:
    images = [i for i in store.by_field(IMAGE, "repositoryId", repo_id) if i.get("lifecycleState") == "AVAILABLE"]
    layers: dict[str, int] = {}
    for i in images:
        for la in i.get("layers") or []:
            layers[la["digest"]] = la["sizeInBytes"]
    size = sum(layers.values())
    return {"imageCount": len(images), "layerCount": len(layers), "layersSizeInBytes": size,
            "billableSizeInGBs": -(-size // (1024 ** 3))}


@svc.op("list_container_repositories")
def list_container_repositories(ctx: Context):
    docs = REPOSITORY.list(ctx)
    if "isPublic" in ctx.query:
        docs = [d for d in docs if bool(d.get("isPublic")) == ctx.query["isPublic"]]
    if ctx.query.get("repositoryId"):
        docs = [d for d in docs if d["id"] == ctx.query["repositoryId"]]
    live = [d for d in docs if d.get("lifecycleState") == "AVAILABLE"]
    return {"items": docs, "repositoryCount": len(live), "imageCount": sum(d.get("imageCount") or 0 for d in live),
            "layerCount": sum(d.get("layerCount") or 0 for d in live),
            "layersSizeInBytes": sum(d.get("layersSizeInBytes") or 0 for d in live), "remainingItemsCount": 0}


# ---------------------------------------------------------------- images

def _is_versioned(doc: dict, want) -> bool:
    return bool(doc.get("versions")) == (str(want).lower() == "true")


def _has_version(doc: dict, want) -> bool:
    return any(v["version"] == want for v in doc.get("versions") or [])


IMAGE_KIND = svc.resource(Kind(
    IMAGE, "ContainerImage", "container image", lifecycle=Lifecycle(None, "AVAILABLE", None, "DELETING", "DELETED"),
    ops={"create": "", "update": "", "move": "", "delete": ""},
    extra_list_filters={"isVersioned": _is_versioned, "version": _has_version,
                        "imageId": lambda d, want: d["id"] == want}))


def _display(repo_name: str, versions: list[dict], digest: str, last: str | None) -> str:
    if versions:
        return f"{repo_name}:{versions[-1]['version']}"
    return f"{repo_name}:{last or 'unknown'}@{digest}"


def _set_versions(ctx_or_core, img: dict, versions: list[dict], last: str | None = None) -> dict:
    store = ctx_or_core.store
    version = versions[-1]["version"] if versions else None
    return store.update(IMAGE, img["id"], {
        "versions": versions, "version": version,
        "displayName": _display(img["repositoryName"], versions, img["digest"], version or last or img.get("version"))})


@svc.op("delete_container_image")
def delete_container_image(ctx: Context):
    img = ctx.get_for_write(IMAGE, ctx.path["imageId"], "container image")
    if img["lifecycleState"] != "AVAILABLE":
        raise incorrect_state(f"The container image is already {img['lifecycleState']}")
    repo = ctx.store.get(REPO, img["repositoryId"])
    if repo and repo.get("isImmutable") and img.get("versions"):
        raise ApiError(409, "Conflict", "The repository is immutable: a tagged image cannot be deleted")
    last = img.get("version")
    ctx.update(IMAGE, img["id"], {"lifecycleState": "DELETED", "versions": [], "version": last,
                                  "displayName": _display(img["repositoryName"], [], img["digest"], last)})
    if repo:
        ctx.update(REPO, repo["id"], _repo_totals(ctx.store, repo["id"]))
    return None


@svc.op("remove_container_version")
def remove_container_version(ctx: Context):
    img = ctx.get_for_write(IMAGE, ctx.path["imageId"], "container image")
    version = ctx.require((ctx.body or {}).get("version"), "version")
    if img["lifecycleState"] != "AVAILABLE":
        raise incorrect_state(f"The container image is {img['lifecycleState']}")
    repo = ctx.store.get(REPO, img["repositoryId"])
    if repo and repo.get("isImmutable"):
        raise ApiError(409, "Conflict", "The repository is immutable: its tags cannot be removed")
    versions = [v for v in img.get("versions") or [] if v["version"] != version]
    if len(versions) == len(img.get("versions") or []):
        raise ApiError(404, "NotAuthorizedOrNotFound", f"The image has no version '{version[:128]}'")
    return IMAGE_KIND.public(_set_versions(ctx, img, versions, last=version))


@svc.op("restore_container_image")
def restore_container_image(ctx: Context):
    img = ctx.get_for_write(IMAGE, ctx.path["imageId"], "container image")
    if img["lifecycleState"] != "DELETED":
        raise incorrect_state(f"The container image is {img['lifecycleState']}; only a DELETED image is restored")
    repo = ctx.store.get(REPO, img["repositoryId"])
    if repo is None or repo.get("lifecycleState") != "AVAILABLE":
        raise incorrect_state("The image's repository is gone")
    version = (ctx.body or {}).get("version")
    versions = []
    if version:
        if not TAG_RE.fullmatch(version):
            raise invalid(f"version '{version[:80]}' is not a valid tag")
        _untag_others(ctx, repo, version, img["id"])
        versions = [{"version": version, "createdBy": _creator(ctx), "timeCreated": ctx.ts()}]
    ctx.update(IMAGE, img["id"], {"lifecycleState": "AVAILABLE"})
    doc = _set_versions(ctx, ctx.store.get(IMAGE, img["id"]), versions)
    ctx.update(REPO, repo["id"], _repo_totals(ctx.store, repo["id"]))
    return IMAGE_KIND.public(doc)


def _untag_others(ctx, repo: dict, tag: str, keep: str) -> None:
    """A tag names one image of a repository: moving it takes it from the image that had it."""
    for other in ctx.store.by_field(IMAGE, "repositoryId", repo["id"]):
        if other["id"] != keep and _has_version(other, tag):
            if repo.get("isImmutable"):
                raise ApiError(409, "TAG_INVALID", f"The repository {repo['displayName']} is immutable: tag "
                                                   f"'{tag}' already exists")
            _set_versions(ctx, other, [v for v in other["versions"] if v["version"] != tag], last=tag)


@svc.op("list_container_images")
def list_container_images(ctx: Context):
    return {"items": IMAGE_KIND.list(ctx), "remainingItemsCount": 0}


# ---------------------------------------------------------------- configuration

def _config(store, tenancy: str) -> dict:
    return store.get(CONFIG, tenancy) or {"id": tenancy, "isRepositoryCreatedOnFirstPush": True}


@svc.op("get_container_configuration")
def get_container_configuration(ctx: Context):
    ctx.compartment(ctx.query.get("compartmentId"))
    c = _config(ctx.store, ctx.tenancy_id)
    return {"isRepositoryCreatedOnFirstPush": c["isRepositoryCreatedOnFirstPush"],
            "namespace": namespace_of(ctx.tenancy_id)}


@svc.op("update_container_configuration")
def update_container_configuration(ctx: Context):
    comp = ctx.compartment(ctx.query.get("compartmentId"))
    if comp["id"] != ctx.tenancy_id:
        raise invalid("compartmentId: the container configuration is the tenancy's (its root compartment)")
    v = (ctx.body or {}).get("isRepositoryCreatedOnFirstPush")
    c = _config(ctx.store, ctx.tenancy_id)
    if v is not None:
        c = dict(c, isRepositoryCreatedOnFirstPush=bool(v))
        if ctx.store.get(CONFIG, ctx.tenancy_id):
            ctx.update(CONFIG, ctx.tenancy_id, c)
        else:
            ctx.put(CONFIG, c)
    return {"isRepositoryCreatedOnFirstPush": c["isRepositoryCreatedOnFirstPush"],
            "namespace": namespace_of(ctx.tenancy_id)}


# ---------------------------------------------------------------- blobs on disk

def _dir(core, *parts: str) -> Path:
    if core.files_dir is None:
        raise ApiError(500, "InternalServerError", "The emulator keeps no files")
    d = Path(core.files_dir, "ocir", *parts)
    d.mkdir(parents=True, exist_ok=True)
    return d


def blob_path(core, digest: str) -> Path:
    return _dir(core, "blobs") / digest.split(":", 1)[1]


def read_blob(core, digest: str) -> bytes | None:
    p = blob_path(core, digest)
    return p.read_bytes() if p.exists() else None


def put_blob(core, data: bytes) -> str:
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    p = blob_path(core, digest)
    if not p.exists():
        tmp = p.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, p)
    return digest


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


# ---------------------------------------------------------------- pushing a manifest (also used by the seeder)

def find_repository(store, region: str, name: str) -> dict | None:
    for r in store.by_field(REPO, "displayName", name):
        if r.get("_region") == region and r.get("lifecycleState") == "AVAILABLE":
            return r
    return None


def push_manifest(core, region: str, repo: dict, manifest: bytes, media_type: str, tag: str | None,
                  user_id: str, now: float, ctx=None) -> dict:
    """Store `manifest` as an image of `repo` (tagged `tag`): the image document."""
    from ..protocol import new_ocid, ts
    store = core.store
    digest = "sha256:" + hashlib.sha256(manifest).hexdigest()
    try:
        m = protocol.loads(manifest)
    except ValueError:
        raise _reg_error(400, "MANIFEST_INVALID", "The manifest is not JSON") from None
    if not isinstance(m, dict):
        raise _reg_error(400, "MANIFEST_INVALID", "The manifest is not a JSON object")
    refs = [m.get("config")] if isinstance(m.get("config"), dict) else []
    layers = [la for la in m.get("layers") or [] if isinstance(la, dict)]
    for blob in refs + layers:
        d = blob.get("digest")
        if not isinstance(d, str) or not DIGEST_RE.fullmatch(d) or not blob_path(core, d).exists():
            raise _reg_error(400, "MANIFEST_BLOB_UNKNOWN", f"The manifest refers to a blob the registry does not have: "
                                                           f"{str(d)[:80]}")
    stamp = ts(now)
    layer_docs = [{"digest": la["digest"], "timeCreated": stamp,
                   "sizeInBytes": int(la.get("size") or blob_path(core, la["digest"]).stat().st_size)}
                  for la in layers]
    _dir(core, "manifests")
    (Path(core.files_dir, "ocir", "manifests") / digest.split(":", 1)[1]).write_bytes(manifest)
    img = next((i for i in store.by_field(IMAGE, "repositoryId", repo["id"]) if i["digest"] == digest), None)
    if tag is not None:
        holder = ctx if ctx is not None else core
        for other in store.by_field(IMAGE, "repositoryId", repo["id"]):
            if other["digest"] != digest and _has_version(other, tag):
                if repo.get("isImmutable"):
                    raise _reg_error(409, "TAG_INVALID", f"The repository {repo['displayName']} is immutable: tag "
                                                         f"'{tag}' already exists")
                _set_versions(holder, other, [v for v in other["versions"] if v["version"] != tag], last=tag)
    if img is None:
        img = store.put(IMAGE, {
            "id": new_ocid("containerimage", region), "_region": region, "compartmentId": repo["compartmentId"],
            "createdBy": user_id, "digest": digest, "layers": layer_docs,
            "layersSizeInBytes": sum(la["sizeInBytes"] for la in layer_docs),
            "manifestSizeInBytes": len(manifest), "lifecycleState": "AVAILABLE", "pullCount": 0,
            "repositoryId": repo["id"], "repositoryName": repo["displayName"], "timeCreated": stamp,
            "timeLastPulled": None, "version": None, "versions": [], "freeformTags": {}, "definedTags": {},
            "systemTags": {}, "_mediaType": media_type,
            "displayName": _display(repo["displayName"], [], digest, None)})
    elif img["lifecycleState"] != "AVAILABLE":
        img = store.update(IMAGE, img["id"], {"lifecycleState": "AVAILABLE"})
    if tag is not None and not _has_version(img, tag):
        versions = list(img.get("versions") or []) + [{"version": tag, "createdBy": user_id, "timeCreated": stamp}]
        img = _set_versions(core, img, versions)
    totals = _repo_totals(store, repo["id"])
    store.update(REPO, repo["id"], dict(totals, timeLastPushed=stamp))
    return img


# ---------------------------------------------------------------- the registry (/v2/)

def _reg_error(status: int, code: str, message: str, headers: dict | None = None) -> ApiError:
    e = ApiError(status, code, message, headers=headers)
    e.registry = True  # type: ignore[attr-defined]
    return e


def _reg_result(e: ApiError) -> Result:
    body = json.dumps({"errors": [{"code": e.code, "message": e.message, "detail": None}]}).encode()
    return Result(status=e.status, headers=dict(e.headers), raw=body, content_type="application/json")


def _host(ctx: Context) -> str:
    return ctx.headers.get("host") or "127.0.0.1"


def _challenge(ctx: Context, scope: str | None) -> dict:
    realm = f"http://{_host(ctx)}/20180419/docker/token"
    extra = f',scope="{scope}"' if scope else ""
    return {"www-authenticate": f'Bearer realm="{realm}",service="{_host(ctx)}"{extra}'}


def _basic_user(ctx: Context, value: str) -> dict | None:
    """The ACTIVE user whose `<namespace>/<user>` and auth token these Basic credentials are."""
    try:
        user_part, _, password = base64.b64decode(value, validate=True).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    ns, _, name = user_part.partition("/")
    if ns != namespace_of(ctx.tenancy_id) or not name or not password:
        return None
    if name.startswith("oracleidentitycloudservice/"):
        name = name.split("/", 1)[1]
    user = next((u for u in ctx.store.by_field("user", "name", name) if u.get("lifecycleState") == "ACTIVE"), None)
    if user is None:
        return None
    want = hashlib.sha256(password.encode()).hexdigest()
    for tok in ctx.store.by_field("authtoken", "userId", user["id"]):
        if tok.get("lifecycleState") == "ACTIVE" and secrets.compare_digest(tok.get("_tokenHash") or "", want):
            return user
    return None


def _authenticate(ctx: Context, scope: str | None) -> dict:
    auth = ctx.headers.get("authorization") or ""
    scheme, _, value = auth.partition(" ")
    user = None
    if scheme.lower() == "basic":
        user = _basic_user(ctx, value.strip())
    elif scheme.lower() == "bearer":
        tok = ctx.store.get(TOKEN, hashlib.sha256(value.strip().encode()).hexdigest())
        if tok is not None and tok["expires"] > ctx.now:
            u = ctx.store.get("user", tok["userId"])
            user = u if u is not None and u.get("lifecycleState") == "ACTIVE" else None
    if user is None:
        raise _reg_error(401, "UNAUTHORIZED", "authentication required", headers=_challenge(ctx, scope))
    return user


@svc.public("20180419", root=True)
def docker_token(ctx: Context, rest: str):
    """`/20180419/docker/token`: a bearer token for Basic credentials (user name and auth token)."""
    if rest.strip("/") != "docker/token" or getattr(ctx, "method", "GET") != "GET":
        return _reg_result(_reg_error(404, "NOT_FOUND", "Unknown path"))
    auth = ctx.headers.get("authorization") or ""
    scheme, _, value = auth.partition(" ")
    user = _basic_user(ctx, value.strip()) if scheme.lower() == "basic" else None
    if user is None:
        return _reg_result(_reg_error(401, "UNAUTHORIZED", "The user name or auth token is not valid",
                                      headers={"www-authenticate": 'Basic realm="ocir"'}))
    token = secrets.token_urlsafe(32)
    ctx.store.put(TOKEN, {"id": hashlib.sha256(token.encode()).hexdigest(), "userId": user["id"],
                          "expires": ctx.now + TOKEN_TTL})
    for old in ctx.store.list(TOKEN):
        if old["expires"] <= ctx.now:
            ctx.store.delete(TOKEN, old["id"])
    return Result(body={"token": token, "access_token": token, "expires_in": int(TOKEN_TTL)})


_ROUTE = re.compile(r"/?(?P<name>.+?)/(?P<what>manifests|blobs/uploads|blobs|tags)(?:/(?P<ref>[^/]*))?/?$")


@svc.public("v2", root=True)
def registry(ctx: Context, rest: str):
    try:
        return _registry(ctx, rest)
    except ApiError as e:
        if getattr(e, "registry", False):
            return _reg_result(e)
        raise


def _registry(ctx: Context, rest: str):
    method = getattr(ctx, "method", "GET")
    path = "/" + rest.split("?", 1)[0].strip("/")
    if path == "/":
        _authenticate(ctx, None)
        return Result(raw=b"{}", content_type="application/json",
                      headers={"docker-distribution-api-version": "registry/2.0"})
    m = _ROUTE.fullmatch(path + ("/" if path.endswith("/uploads") else ""))
    if m is None:
        raise _reg_error(404, "NAME_UNKNOWN", "Unknown registry path")
    full, what, ref = m["name"].strip("/"), m["what"], m["ref"]
    pull = method in ("GET", "HEAD")
    scope = f"repository:{full}:{'pull' if pull else 'pull,push'}"
    ns, _, name = full.partition("/")
    public = find_repository(ctx.store, ctx.region, name) if pull and ns == namespace_of(ctx.tenancy_id) else None
    # a public repository's images are pulled without signing in, as OCIR's are
    user = {"id": None} if public is not None and public.get("isPublic") and \
        not ctx.headers.get("authorization") else _authenticate(ctx, scope)
    if ns != namespace_of(ctx.tenancy_id) or not name:
        raise _reg_error(404, "NAME_UNKNOWN", f"The repository path must be <namespace>/<repository>, with the "
                                              f"tenancy's namespace {namespace_of(ctx.tenancy_id)}")
    if name != name.lower() or not NAME_RE.fullmatch(name):
        raise _reg_error(400, "NAME_INVALID", f"Invalid repository name '{name[:80]}': lower case only")
    repo = find_repository(ctx.store, ctx.region, name)
    hdr = {"docker-distribution-api-version": "registry/2.0"}
    if what == "tags":
        if ref != "list" or not pull:
            raise _reg_error(404, "NAME_UNKNOWN", "Unknown registry path")
        if repo is None:
            raise _reg_error(404, "NAME_UNKNOWN", f"Repository {name} not found")
        tags = sorted(v["version"] for i in ctx.store.by_field(IMAGE, "repositoryId", repo["id"])
                      if i["lifecycleState"] == "AVAILABLE" for v in i.get("versions") or [])
        return Result(raw=json.dumps({"name": full, "tags": tags}).encode(), content_type="application/json",
                      headers=hdr)
    if what == "blobs":
        if not pull:
            raise _reg_error(405, "UNSUPPORTED", "Blobs are deleted with their images")
        if not ref or not DIGEST_RE.fullmatch(ref):
            raise _reg_error(400, "DIGEST_INVALID", "A blob is addressed by its sha256 digest")
        p = blob_path(ctx.core, ref)
        if repo is None or not p.exists():
            raise _reg_error(404, "BLOB_UNKNOWN", f"Blob {ref} unknown to the registry")
        data = b"" if method == "HEAD" else p.read_bytes()
        return Result(raw=data, content_type="application/octet-stream",
                      headers=dict(hdr, **{"docker-content-digest": ref, "content-length": str(p.stat().st_size)}))
    if what == "blobs/uploads":
        return _upload(ctx, full, name, repo, ref, method, user, hdr)
    return _manifest(ctx, full, name, repo, ref or "", method, user, hdr)


def _repo_for_push(ctx: Context, name: str, repo: dict | None, user: dict) -> dict:
    if repo is not None:
        return repo
    if not _config(ctx.store, ctx.tenancy_id)["isRepositoryCreatedOnFirstPush"]:
        raise _reg_error(404, "NAME_UNKNOWN", f"Repository {name} does not exist and the tenancy does not create "
                                              "repositories on first push")
    from ..protocol import new_ocid
    return ctx.put(REPO, {
        "id": new_ocid(REPO, ctx.region), "_region": ctx.region, "compartmentId": ctx.tenancy_id,
        "displayName": name, "namespace": namespace_of(ctx.tenancy_id), "createdBy": user["id"],
        "isPublic": False, "isImmutable": False, "imageCount": 0, "layerCount": 0, "layersSizeInBytes": 0,
        "billableSizeInGBs": 0, "lifecycleState": "AVAILABLE", "timeCreated": ctx.ts(), "readme": None,
        "freeformTags": {}, "definedTags": {}, "systemTags": {}})


def _upload(ctx: Context, full: str, name: str, repo, ref, method: str, user: dict, hdr: dict):
    repo = _repo_for_push(ctx, name, repo, user)
    digest = ctx.query.get("digest")
    body = ctx.raw_body
    updir = _dir(ctx.core, "uploads")
    if method == "POST" and not ref:
        if digest:  # monolithic: POST ...?digest= with the blob as body
            return _finish(ctx, full, body.read() if body else b"", digest, hdr)
        uid = str(uuid.uuid4())
        (updir / uid).write_bytes(b"")
        ctx.put(UPLOAD, {"id": uid, "repositoryId": repo["id"], "size": 0})
        return Result(status=202, raw=b"", headers=dict(hdr, **{
            "location": f"/v2/{full}/blobs/uploads/{uid}", "docker-upload-uuid": uid, "range": "0-0"}))
    up = ctx.store.get(UPLOAD, ref or "")
    if up is None or up["repositoryId"] != repo["id"]:
        raise _reg_error(404, "BLOB_UPLOAD_UNKNOWN", "Unknown blob upload")
    path = updir / up["id"]
    if method == "DELETE":
        path.unlink(missing_ok=True)
        ctx.delete(UPLOAD, up["id"])
        return Result(status=204)
    if method == "GET":
        return Result(status=204, raw=b"", headers=dict(hdr, range=f"0-{max(up['size'] - 1, 0)}",
                                                        **{"docker-upload-uuid": up["id"]}))
    chunk = body.read() if body else b""
    if method == "PATCH":
        crange = ctx.headers.get("content-range")
        if crange:
            start = int(crange.split("-", 1)[0]) if crange.split("-", 1)[0].isdigit() else -1
            if start != up["size"]:
                raise _reg_error(416, "BLOB_UPLOAD_INVALID",
                                 f"The chunk starts at {start}, the upload holds {up['size']} bytes",
                                 headers={"range": f"0-{up['size'] - 1}"})
        with open(path, "ab") as f:
            f.write(chunk)
        size = up["size"] + len(chunk)
        ctx.update(UPLOAD, up["id"], {"size": size})
        return Result(status=202, raw=b"", headers=dict(hdr, **{
            "location": f"/v2/{full}/blobs/uploads/{up['id']}", "docker-upload-uuid": up["id"],
            "range": f"0-{max(size - 1, 0)}"}))
    if method == "PUT":
        if not digest:
            raise _reg_error(400, "DIGEST_INVALID", "digest is required to complete an upload")
        data = path.read_bytes() + chunk
        path.unlink(missing_ok=True)
        ctx.delete(UPLOAD, up["id"])
        return _finish(ctx, full, data, digest, hdr)
    raise _reg_error(405, "UNSUPPORTED", f"{method} is not supported on an upload")


def _finish(ctx: Context, full: str, data: bytes, digest: str, hdr: dict) -> Result:
    if not DIGEST_RE.fullmatch(digest):
        raise _reg_error(400, "DIGEST_INVALID", "Only sha256 digests are supported")
    got = "sha256:" + hashlib.sha256(data).hexdigest()
    if got != digest:
        raise _reg_error(400, "DIGEST_INVALID", f"The uploaded content's digest is {got}, not {digest}")
    put_blob(ctx.core, data)
    return Result(status=201, raw=b"", headers=dict(hdr, **{"location": f"/v2/{full}/blobs/{digest}",
                                                            "docker-content-digest": digest}))


def _manifest(ctx: Context, full: str, name: str, repo, ref: str, method: str, user: dict, hdr: dict):
    by_digest = bool(DIGEST_RE.fullmatch(ref))
    if not by_digest and not TAG_RE.fullmatch(ref):
        raise _reg_error(400, "TAG_INVALID", f"Invalid tag '{ref[:80]}'")
    if method == "PUT":
        repo = _repo_for_push(ctx, name, repo, user)
        data = ctx.raw_body.read() if ctx.raw_body else b""
        if len(data) > MAX_MANIFEST:
            raise _reg_error(413, "SIZE_INVALID", "The manifest is larger than 4 MB")
        mtype = (ctx.headers.get("content-type") or "").split(";")[0].strip()
        if not mtype:
            try:
                mtype = protocol.loads(data).get("mediaType") or MANIFEST_TYPES[0]
            except (ValueError, AttributeError):
                mtype = MANIFEST_TYPES[0]
        if mtype not in MANIFEST_TYPES:
            raise _reg_error(400, "MANIFEST_INVALID", f"Unsupported manifest media type '{mtype[:80]}'")
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        if by_digest and ref != digest:
            raise _reg_error(400, "DIGEST_INVALID", f"The manifest's digest is {digest}, not {ref}")
        push_manifest(ctx.core, ctx.region, repo, data, mtype, None if by_digest else ref, user["id"], ctx.now, ctx)
        return Result(status=201, raw=b"", headers=dict(hdr, **{"location": f"/v2/{full}/manifests/{digest}",
                                                                "docker-content-digest": digest}))
    if method not in ("GET", "HEAD", "DELETE"):
        raise _reg_error(405, "UNSUPPORTED", f"{method} is not supported on a manifest")
    if repo is None:
        raise _reg_error(404, "NAME_UNKNOWN", f"Repository {name} not found")
    imgs = [i for i in ctx.store.by_field(IMAGE, "repositoryId", repo["id"]) if i["lifecycleState"] == "AVAILABLE"]
    img = next((i for i in imgs if (i["digest"] == ref if by_digest else _has_version(i, ref))), None)
    if img is None:
        raise _reg_error(404, "MANIFEST_UNKNOWN", f"Manifest {ref[:80]} unknown in {name}")
    if method == "DELETE":
        if repo.get("isImmutable"):
            raise _reg_error(405, "UNSUPPORTED", "The repository is immutable")
        ctx.update(IMAGE, img["id"], {"lifecycleState": "DELETED", "versions": [],
                                      "displayName": _display(name, [], img["digest"], img.get("version"))})
        ctx.update(REPO, repo["id"], _repo_totals(ctx.store, repo["id"]))
        return Result(status=202, raw=b"", headers=hdr)
    data = (Path(ctx.core.files_dir, "ocir", "manifests") / img["digest"].split(":", 1)[1]).read_bytes()
    if method == "GET":
        ctx.update(IMAGE, img["id"], {"pullCount": int(img.get("pullCount") or 0) + 1,
                                      "timeLastPulled": ctx.ts()})
    return Result(raw=data if method == "GET" else b"", content_type=img.get("_mediaType") or MANIFEST_TYPES[0],
                  headers=dict(hdr, **{"docker-content-digest": img["digest"], "content-length": str(len(data))}))
