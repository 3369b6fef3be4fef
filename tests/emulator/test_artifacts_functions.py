"""Container Registry and Functions through the real SDK, the `oci` CLI and `oras`: repositories and their
naming rules, a real push and pull with oras (an Identity auth token as the password), images with digests,
tags, untag / delete / restore; applications and functions from registry images, invoked for real (the
seeded hello-world FDK function, and one pushed with oras), the FDK's error status, memory limits, and the
oci_faas metrics of those invocations."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from pathlib import Path

import oci
import oras.provider
import pytest
from oci._vendor import requests

from ociconsole.emulator.services.functions import HELLO_YAML

from .helpers import IM, NO_RETRY, make_net, run_oci, signer_for, unique

E = oci.exceptions.ServiceError
A = oci.artifacts.models
F = oci.functions.models


class C:
    def __init__(self, emulator, cfg):
        kw = dict(NO_RETRY, signer=signer_for(cfg))
        self.emu = emulator
        self.cfg = cfg
        self.tenancy = cfg["tenancy"]
        self.art = oci.artifacts.ArtifactsClient(cfg, service_endpoint=emulator.endpoint("artifacts"), **kw)
        self.fn = oci.functions.FunctionsManagementClient(cfg, service_endpoint=emulator.endpoint("functions"), **kw)
        self.identity = oci.identity.IdentityClient(cfg, service_endpoint=emulator.endpoint("identity"), **kw)
        self.mon = oci.monitoring.MonitoringClient(cfg, service_endpoint=emulator.endpoint("monitoring"), **kw)
        self.kw = kw
        self.host = emulator.base_url.split("://", 1)[1]
        self.ns = self.art.get_container_configuration(self.tenancy).data.namespace

    def invoker(self, fn):
        return oci.functions.FunctionsInvokeClient(self.cfg, service_endpoint=fn.invoke_endpoint, **self.kw)


@pytest.fixture
def c(emulator, oci_config):
    return C(emulator, oci_config)


@pytest.fixture
def comp(c):
    return c.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=c.tenancy, name=unique("ocir"), description="registry test")).data.id


def login(c: C, chunked=False) -> oras.provider.Registry:
    """An oras client logged in as OCIR wants: `<namespace>/<user name>` and an auth token."""
    user = c.identity.get_user(c.cfg["user"]).data
    token = c.identity.create_auth_token(IM.CreateAuthTokenDetails(description="oras"), user.id).data.token
    reg = oras.provider.Registry(hostname=c.host, insecure=True)
    reg.auth.set_basic_auth(f"{c.ns}/{user.name}", token)
    return reg


def push(reg, target: str, tmp_path: Path, files: dict[str, str], **kw):
    paths = []
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        paths.append(name)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        return reg.push(target=target, files=paths, **kw)
    finally:
        os.chdir(cwd)


# ---------------------------------------------------------------- repositories

def test_repository_crud_and_naming_rules(c, comp):
    repo = c.art.create_container_repository(A.CreateContainerRepositoryDetails(
        compartment_id=comp, display_name="project01/web-app", is_public=False, is_immutable=True,
        readme=A.ContainerRepositoryReadme(content="# web", format="TEXT_MARKDOWN"))).data
    assert repo.lifecycle_state == "AVAILABLE" and repo.namespace == c.ns and repo.is_immutable
    assert repo.image_count == 0 and repo.readme.content == "# web"
    for bad in ("Project01/web", "web app", "-web", "web/", "a" * 256):
        with pytest.raises(E) as e:
            c.art.create_container_repository(A.CreateContainerRepositoryDetails(compartment_id=comp,
                                                                                 display_name=bad))
        assert e.value.status == 400 and e.value.code == "InvalidParameter", bad
    assert "lower case" in _msg(c, comp, "Project01/web")
    with pytest.raises(E) as e:  # unique in the tenancy's region, whatever the compartment
        c.art.create_container_repository(A.CreateContainerRepositoryDetails(
            compartment_id=c.tenancy, display_name="project01/web-app"))
    assert e.value.status == 409
    with pytest.raises(E) as e:
        c.art.create_container_repository(A.CreateContainerRepositoryDetails(
            compartment_id=comp, display_name="x1", readme=A.ContainerRepositoryReadme(content="x", format="HTML")))
    assert e.value.status == 400

    up = c.art.update_container_repository(repo.id, A.UpdateContainerRepositoryDetails(is_public=True)).data
    assert up.is_public and c.art.get_container_repository(repo.id).data.is_public
    listed = c.art.list_container_repositories(compartment_id=comp).data
    assert [r.display_name for r in listed.items] == ["project01/web-app"] and listed.repository_count == 1
    other = c.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=c.tenancy, name=unique("dest"), description="d")).data.id
    c.art.change_container_repository_compartment(repo.id, A.ChangeContainerRepositoryCompartmentDetails(
        compartment_id=other))
    assert c.art.get_container_repository(repo.id).data.compartment_id == other
    c.art.delete_container_repository(repo.id)
    assert c.art.get_container_repository(repo.id).data.lifecycle_state in ("DELETING", "DELETED")


def _msg(c, comp, name) -> str:
    with pytest.raises(E) as e:
        c.art.create_container_repository(A.CreateContainerRepositoryDetails(compartment_id=comp, display_name=name))
    return e.value.message


# ---------------------------------------------------------------- a real push and pull with oras

def test_oras_push_lists_with_digest_and_pulls_back(c, comp, tmp_path):
    repo = c.art.create_container_repository(A.CreateContainerRepositoryDetails(
        compartment_id=comp, display_name="tools/notes")).data
    reg = login(c)
    target = f"{c.host}/{c.ns}/tools/notes:v1"
    resp = push(reg, target, tmp_path / "src", {"notes.txt": "hello registry\n", "more.md": "# more\n"})
    assert resp.status_code == 201
    digest = resp.headers["Docker-Content-Digest"]

    imgs = c.art.list_container_images(compartment_id=comp, repository_id=repo.id).data.items
    assert [(i.digest, i.version, i.display_name) for i in imgs] == [(digest, "v1", "tools/notes:v1")]
    img = c.art.get_container_image(imgs[0].id).data
    assert img.digest == digest and img.repository_name == "tools/notes"
    assert len(img.layers) == 2 and all(la.digest.startswith("sha256:") for la in img.layers)
    assert img.layers_size_in_bytes == sum(la.size_in_bytes for la in img.layers) > 0
    assert img.manifest_size_in_bytes > 0 and [v.version for v in img.versions] == ["v1"]
    repo = c.art.get_container_repository(repo.id).data
    assert (repo.image_count, repo.layer_count) == (1, 2) and repo.time_last_pushed is not None

    out = tmp_path / "out"
    files = reg.pull(target=target, outdir=str(out))
    assert sorted(Path(f).name for f in files) == ["more.md", "notes.txt"]
    assert (out / "notes.txt").read_text() == "hello registry\n"
    assert c.art.get_container_image(img.id).data.pull_count == 1
    assert reg.get_tags(f"{c.host}/{c.ns}/tools/notes") == ["v1"]
    by_uri = c.art.list_container_images(compartment_id=comp, version="v1", is_versioned=True).data.items
    assert [i.id for i in by_uri] == [img.id]

    # a private repository's images need credentials; a public one's are pulled anonymously
    manifest = f"{c.emu.base_url}/v2/{c.ns}/tools/notes/manifests/v1"
    assert requests.get(manifest).status_code == 401
    c.art.update_container_repository(repo.id, A.UpdateContainerRepositoryDetails(is_public=True))
    assert requests.get(manifest).status_code == 200
    anon = oras.provider.Registry(hostname=c.host, insecure=True)  # no credentials at all
    files = anon.pull(target=target, outdir=str(tmp_path / "anon"))
    assert sorted(Path(f).name for f in files) == ["more.md", "notes.txt"]


def test_chunked_upload_and_first_push_creates_the_repository(c, tmp_path):
    reg = login(c)
    big = "x" * 300_000
    target = f"{c.host}/{c.ns}/auto/created:1.0"
    resp = push(reg, target, tmp_path, {"big.txt": big}, do_chunked=True, chunk_size=65536)
    assert resp.status_code == 201
    repos = c.art.list_container_repositories(compartment_id=c.tenancy, display_name="auto/created").data.items
    assert len(repos) == 1 and repos[0].is_public is False  # created private, in the root compartment
    files = reg.pull(target=target, outdir=str(tmp_path / "o"))
    assert Path(files[0]).read_text() == big

    cfg = c.art.update_container_configuration(c.tenancy, A.UpdateContainerConfigurationDetails(
        is_repository_created_on_first_push=False)).data
    assert cfg.is_repository_created_on_first_push is False
    with pytest.raises(ValueError):
        push(reg, f"{c.host}/{c.ns}/auto/refused:1.0", tmp_path, {"big.txt": "y"})


def test_registry_auth_and_errors(c, tmp_path):
    base = c.emu.base_url
    r = requests.get(f"{base}/v2/")
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer realm=")
    user = c.identity.get_user(c.cfg["user"]).data
    bad = base64.b64encode(f"{c.ns}/{user.name}:not-the-token".encode()).decode()
    assert requests.get(f"{base}/v2/", headers={"authorization": f"Basic {bad}"}).status_code == 401
    token = c.identity.create_auth_token(IM.CreateAuthTokenDetails(description="t"), user.id).data.token
    good = base64.b64encode(f"{c.ns}/{user.name}:{token}".encode()).decode()
    assert requests.get(f"{base}/v2/", headers={"authorization": f"Basic {good}"}).status_code == 200
    # the bearer-token endpoint the challenge names
    t = requests.get(f"{base}/20180419/docker/token", headers={"authorization": f"Basic {good}"}).json()["token"]
    h = {"authorization": f"Bearer {t}"}
    assert requests.get(f"{base}/v2/", headers=h).status_code == 200
    r = requests.get(f"{base}/v2/{c.ns}/Upper/manifests/v1", headers=h)
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "NAME_INVALID"
    r = requests.get(f"{base}/v2/{c.ns}/nothing/manifests/v1", headers=h)
    assert r.status_code == 404 and r.json()["errors"][0]["code"] == "NAME_UNKNOWN"
    # a monolithic POST whose digest does not match
    r = requests.post(f"{base}/v2/{c.ns}/mono/blobs/uploads/?digest=sha256:{'0' * 64}", data=b"abc", headers=h)
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "DIGEST_INVALID"
    # a manifest nested 5,000 levels deep (the parser recursed into it: a 500)
    deep = b'{"a": ' * 5000 + b"1" + b"}" * 5000
    for media in ("application/vnd.oci.image.manifest.v1+json", ""):  # (without a type, its mediaType is read)
        r = requests.put(f"{base}/v2/{c.ns}/deep/manifests/v1", data=deep, headers={**h, "content-type": media})
        assert r.status_code == 400 and r.json()["errors"][0]["code"] == "MANIFEST_INVALID", r.text


def test_untag_delete_restore_and_immutable(c, comp, tmp_path):
    repo = c.art.create_container_repository(A.CreateContainerRepositoryDetails(
        compartment_id=comp, display_name="svc/api")).data
    reg = login(c)
    push(reg, f"{c.host}/{c.ns}/svc/api:v1", tmp_path / "a", {"a.txt": "one"})
    push(reg, f"{c.host}/{c.ns}/svc/api:latest", tmp_path / "a", {"a.txt": "one"})  # same content: same image
    push(reg, f"{c.host}/{c.ns}/svc/api:v2", tmp_path / "b", {"a.txt": "two"})
    imgs = {i.version: i for i in c.art.list_container_images(compartment_id=comp, repository_id=repo.id).data.items}
    assert set(imgs) == {"latest", "v2"}
    one = c.art.get_container_image(imgs["latest"].id).data
    assert sorted(v.version for v in one.versions) == ["latest", "v1"]

    untagged = c.art.remove_container_version(one.id, A.RemoveContainerVersionDetails(version="latest")).data
    assert [v.version for v in untagged.versions] == ["v1"]
    c.art.remove_container_version(one.id, A.RemoveContainerVersionDetails(version="v1"))
    none = c.art.list_container_images(compartment_id=comp, repository_id=repo.id, is_versioned=False).data.items
    assert [i.id for i in none] == [one.id]
    assert none[0].display_name.startswith("svc/api:v1@sha256:")

    c.art.delete_container_image(one.id)
    assert c.art.get_container_image(one.id).data.lifecycle_state == "DELETED"
    assert c.art.get_container_repository(repo.id).data.image_count == 1
    back = c.art.restore_container_image(one.id, A.RestoreContainerImageDetails(version="restored")).data
    assert back.lifecycle_state == "AVAILABLE" and back.version == "restored"

    imm = c.art.create_container_repository(A.CreateContainerRepositoryDetails(
        compartment_id=comp, display_name="svc/frozen", is_immutable=True)).data
    push(reg, f"{c.host}/{c.ns}/svc/frozen:v1", tmp_path / "a", {"a.txt": "one"})
    with pytest.raises(ValueError):  # the tag exists: an immutable repository refuses to move it
        push(reg, f"{c.host}/{c.ns}/svc/frozen:v1", tmp_path / "b", {"a.txt": "two"})
    img = c.art.list_container_images(compartment_id=comp, repository_id=imm.id).data.items[0]
    with pytest.raises(E) as e:
        c.art.remove_container_version(img.id, A.RemoveContainerVersionDetails(version="v1"))
    assert e.value.status == 409


# ---------------------------------------------------------------- functions

def _demo(c):
    dev = next(x for x in c.identity.list_compartments(c.tenancy).data if x.name == "Development")
    app = next(a for a in c.fn.list_applications(dev.id).data if a.display_name == "demo-app")
    fn = next(f for f in c.fn.list_functions(app.id).data if f.display_name == "hello-world")
    return dev, app, fn


def test_seeded_function_answers_with_its_real_output(c):
    dev, app, fn = _demo(c)
    fn = c.fn.get_function(fn.id).data
    assert fn.source_details.image.endswith(f"/{c.ns}/hello-world:0.0.1")
    img = c.art.list_container_images(compartment_id=dev.id, repository_name="hello-world").data.items[0]
    assert fn.source_details.image_digest == img.digest
    inv = c.invoker(fn)
    r = inv.invoke_function(fn.id, invoke_function_body=json.dumps({"name": "Ada"}))
    assert r.status == 200 and json.loads(r.data.content) == {"message": "Hello, Ada!"}
    assert r.headers["content-type"] == "application/json" and r.headers["fn-fdk-version"].startswith("fdk-python/")
    # the application's config is the handler's environment (ctx.Config())
    c.fn.update_application(app.id, F.UpdateApplicationDetails(config={"GREETING": "Bonjour"}))
    r = inv.invoke_function(fn.id, invoke_function_body=json.dumps({"name": "Ada"}))
    assert json.loads(r.data.content) == {"message": "Bonjour, Ada!"}
    # a name that is not text makes the handler raise: the FDK's 502
    with pytest.raises(E) as e:
        inv.invoke_function(fn.id, invoke_function_body=json.dumps({"name": 42}))
    assert e.value.status == 502 and e.value.code == "FunctionInvokeExecutionFailed"
    assert "can only concatenate str" in e.value.message
    assert inv.invoke_function(fn.id, invoke_function_body="{}", is_dry_run=True).status == 200

    now = dt.datetime.now(dt.UTC)
    for metric, want in (("FunctionInvocationCount[1m].sum()", 3), ("FunctionResponseCount[1m]{responseType = "
                                                                    "\"Error\"}.sum()", 1)):
        res = c.mon.summarize_metrics_data(dev.id, oci.monitoring.models.SummarizeMetricsDataDetails(
            namespace="oci_faas", query=metric, start_time=now - dt.timedelta(hours=1),
            end_time=now + dt.timedelta(minutes=2))).data
        assert sum(p.value for s in res for p in s.aggregated_datapoints) == want, metric
    res = c.mon.summarize_metrics_data(dev.id, oci.monitoring.models.SummarizeMetricsDataDetails(
        namespace="oci_faas", query="FunctionExecutionDuration[1m].mean()",
        start_time=now - dt.timedelta(hours=1), end_time=now + dt.timedelta(minutes=2))).data
    assert all(p.value > 0 for s in res for p in s.aggregated_datapoints) and res


ECHO = '''import io, json, os, time
from fdk import response


def shout(ctx, data: io.BytesIO = None):
    body = json.loads(data.getvalue() or b"{}")
    if body.get("sleep"):
        time.sleep(body["sleep"])
    if body.get("allocate"):
        blob = bytearray(body["allocate"] * 1024 * 1024)
        return len(blob)
    return response.Response(ctx, response_data=json.dumps({
        "text": body.get("text", "").upper(), "env": os.environ.get("LEVEL"), "fn": ctx.FnName()}),
        headers={"Content-Type": "application/json", "X-Echo": "yes"})
'''


def test_function_from_an_oras_pushed_image(c, clients, tmp_path):
    net = make_net(clients)
    reg = login(c)
    yaml = HELLO_YAML.replace("hello-world", "echo").replace("func.py handler", "func.py shout")
    push(reg, f"{c.host}/{c.ns}/fns/echo:1", tmp_path, {"fn/func.py": ECHO, "fn/func.yaml": yaml})
    push(reg, f"{c.host}/{c.ns}/fns/plain:1", tmp_path, {"readme.txt": "not a function"})
    app = c.fn.create_application(F.CreateApplicationDetails(
        compartment_id=net.compartment_id, display_name="tools", subnet_ids=[net.subnet_id],
        shape="GENERIC_ARM", config={"LEVEL": "app"})).data
    assert app.lifecycle_state == "ACTIVE" and app.shape == "GENERIC_ARM"
    image = f"{c.host}/{c.ns}/fns/echo:1"

    def create(name, **kw):
        d = dict(display_name=name, application_id=app.id, memory_in_mbs=256, source_details=(
            F.CreateContainerImageFunctionSourceDetails(image=image)))
        d.update(kw)
        return c.fn.create_function(F.CreateFunctionDetails(**d)).data

    for mem in (64, 4096):
        with pytest.raises(E) as e:
            create("bad", memory_in_mbs=mem)
        assert e.value.status == 400 and "memoryInMBs" in e.value.message
    with pytest.raises(E) as e:
        create("bad", source_details=F.CreateContainerImageFunctionSourceDetails(image=f"{c.host}/{c.ns}/fns/echo:9"))
    assert e.value.status == 404
    with pytest.raises(E) as e:
        create("bad", config={"1BAD": "x"})
    assert e.value.status == 400

    fn = create("echo", config={"LEVEL": "function"}, timeout_in_seconds=20,
                provisioned_concurrency_config=F.ConstantProvisionedConcurrencyConfig(count=40))
    assert fn.shape == "GENERIC_ARM" and fn.source_details.image_digest.startswith("sha256:")
    assert fn.provisioned_concurrency_config.count == 40
    with pytest.raises(E) as e:
        create("echo")
    assert e.value.status == 409
    r = c.invoker(fn).invoke_function(fn.id, invoke_function_body=json.dumps({"text": "hi"}))
    assert json.loads(r.data.content) == {"text": "HI", "env": "function", "fn": "echo"}
    assert r.headers["x-echo"] == "yes"
    # the function's memory is the sandbox's limit
    with pytest.raises(E) as e:
        c.invoker(fn).invoke_function(fn.id, invoke_function_body=json.dumps({"allocate": 600}))
    assert e.value.status == 502
    c.fn.update_function(fn.id, F.UpdateFunctionDetails(memory_in_mbs=1024))
    assert c.fn.get_function(fn.id).data.memory_in_mbs == 1024
    assert c.invoker(fn).invoke_function(fn.id, invoke_function_body=json.dumps({"allocate": 600})).data.content == \
        b"629145600"

    # the function's timeout bounds the handler (5 s, the least OCI allows)
    c.fn.update_function(fn.id, F.UpdateFunctionDetails(timeout_in_seconds=5))
    with pytest.raises(E) as e:
        c.invoker(fn).invoke_function(fn.id, invoke_function_body=json.dumps({"sleep": 30}))
    assert e.value.status == 504 and e.value.code == "FunctionInvokeTimeout"
    with pytest.raises(E) as e:
        c.fn.update_function(fn.id, F.UpdateFunctionDetails(timeout_in_seconds=301))
    assert e.value.status == 400

    plain = create("plain", source_details=F.CreateContainerImageFunctionSourceDetails(
        image=f"{c.host}/{c.ns}/fns/plain:1"))
    with pytest.raises(E) as e:
        c.invoker(plain).invoke_function(plain.id, invoke_function_body="{}")
    assert e.value.status == 502 and e.value.code == "FunctionInvokeImageNotAvailable"
    assert "sandbox cannot run" in e.value.message

    assert {f.display_name for f in c.fn.list_functions(app.id).data} == {"echo", "plain"}
    with pytest.raises(E) as e:
        c.fn.delete_application(app.id)
    assert e.value.status == 409
    c.fn.delete_function(fn.id)
    c.fn.delete_function(plain.id)
    c.fn.change_application_compartment(app.id, F.ChangeApplicationCompartmentDetails(compartment_id=c.tenancy))
    assert c.fn.get_application(app.id).data.compartment_id == c.tenancy
    c.fn.delete_application(app.id)
    assert c.fn.get_application(app.id).data.lifecycle_state in ("DELETING", "DELETED")


# ---------------------------------------------------------------- the oci CLI

@pytest.mark.cli
def test_cli_repository_application_invoke(c, clients, tmp_path):
    net = make_net(clients)
    cfg = tmp_path / "config"
    c.emu.write_config(cfg)
    repo = run_oci(cfg, c.emu.endpoint("artifacts"), "artifacts", "container", "repository", "create",
                   "--compartment-id", net.compartment_id, "--display-name", "cli/repo", "--is-public", "true")["data"]
    assert repo["display-name"] == "cli/repo" and repo["is-public"] is True
    ep = c.emu.endpoint("functions")
    app = run_oci(cfg, ep, "fn", "application", "create", "--compartment-id", net.compartment_id,
                  "--display-name", "cli-app", "--subnet-ids", json.dumps([net.subnet_id]))["data"]
    assert app["lifecycle-state"] == "ACTIVE"
    _dev, _app, fn = _demo(c)
    out = run_oci(cfg, ep, "fn", "function", "invoke", "--function-id", fn.id, "--file", "-",
                  "--body", json.dumps({"name": "CLI"}))  # the body goes to stdout
    assert out == {"message": "Hello, CLI!"}
