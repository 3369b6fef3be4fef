"""Container Registry and Functions through the window against the real emulator: the registry page (images
with tags, digest, size and age; the pull command to copy), a repository created with its name checked as
typed, untagged images deleted after typing how many; an application and a function created from an image
picked in the registry (memory bounds inline), the demo function invoked with a JSON payload (its real answer,
status and duration; a payload that makes the handler raise shows the FDK's 502), its history, its config
edited, and renders of those pages."""

from __future__ import annotations

import json
import os

import oci
import oras.provider

from ociconsole.core.operations import OpState

from .helpers import (
    click,
    create_dialog,
    dialog,
    open_tree_path,
    pick,
    related,
    related_loaded,
    retype,
    select_row,
    shot,
    table_rows,
    trigger,
)


def action_dialog(qtbot, window, label):
    from ociconsole.gui.form_dialog import CreateDialog
    trigger(window, label)
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    return dlg


def finish(qtbot, window, dlg, state):
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED and op.detail == state, (op.detail, op.error)


def submit_and_reveal(qtbot, dlg) -> dict:
    click(qtbot, dlg.review_button)
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: bool(dlg.revealed()), timeout=20_000)
    return dict(dlg.revealed())


def test_registry_page_and_pull_command(qtbot, window, gui_emulator):
    open_tree_path(qtbot, window, "Development", "Developer Services", "Container Registry")
    qtbot.waitUntil(lambda: "hello-world" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "hello-world")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    rel = related(window)
    images = rel["Images"]
    assert len(images) == 1 and images[0].startswith("0.0.1=sha256:") and " ago" in images[0]
    assert "KB" in images[0] or "bytes" in images[0]
    host = gui_emulator.base_url.split("://", 1)[1]
    assert any(r.startswith(f"Path={host}/") and r.endswith("/hello-world") for r in rel["Repository"])
    shot(window, "ocir-fn-registry")

    dlg = action_dialog(qtbot, window, "Copy pull command…")
    images = dlg.row("image").editor
    qtbot.waitUntil(lambda: images.count() > 0, timeout=5000)
    shown = submit_and_reveal(qtbot, dlg)
    assert shown["Pull command"].startswith(f"docker pull {host}/") and shown["Pull command"].endswith(
        "/hello-world:0.0.1")
    dlg.close()


def test_create_repository_with_inline_name_check(qtbot, window):
    open_tree_path(qtbot, window, "Development", "Developer Services", "Container Registry")
    qtbot.waitUntil(lambda: "hello-world" in table_rows(window.resources), timeout=10_000)
    dlg = create_dialog(qtbot, window)
    name = dlg.row("display_name").editor
    retype(qtbot, name, "Project01/Web-App")
    qtbot.waitUntil(lambda: "lower case" in dlg.row("display_name").error_text(), timeout=2000)
    assert not dlg.review_button.isEnabled()
    shot(dlg, "ocir-fn-create-repo-error")
    retype(qtbot, name, "project01/web-app/")
    qtbot.waitUntil(lambda: "starting and ending" in dlg.row("display_name").error_text(), timeout=2000)
    retype(qtbot, name, "project01/web-app")
    dlg.row("is_immutable").editor.setChecked(True)
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    shot(dlg, "ocir-fn-create-repo")
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci artifacts container repository create" in cli and "--is-immutable true" in cli
    finish(qtbot, window, dlg, "AVAILABLE")
    qtbot.waitUntil(lambda: "project01/web-app" in table_rows(window.resources), timeout=5000)


def _push(emu, tmp_path, tag: str, text: str) -> None:
    cfg = emu.client_config()
    ident = oci.identity.IdentityClient(cfg, service_endpoint=emu.endpoint("identity"))
    art = oci.artifacts.ArtifactsClient(cfg, service_endpoint=emu.endpoint("artifacts"))
    ns = art.get_container_configuration(cfg["tenancy"]).data.namespace
    user = ident.get_user(cfg["user"]).data
    token = ident.create_auth_token(oci.identity.models.CreateAuthTokenDetails(description="t"), user.id).data.token
    host = emu.base_url.split("://", 1)[1]
    reg = oras.provider.Registry(hostname=host, insecure=True)
    reg.auth.set_basic_auth(f"{ns}/{user.name}", token)
    (tmp_path / "a.txt").write_text(text)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert reg.push(target=f"{host}/{ns}/hello-world:{tag}", files=["a.txt"]).status_code == 201
    finally:
        os.chdir(cwd)
    ident.delete_auth_token(user.id, ident.list_auth_tokens(user.id).data[0].id)


def test_delete_untagged_images_after_typing_how_many(qtbot, window, gui_emulator, tmp_path):
    # two pushes of one tag: the first image loses it (untagged)
    _push(gui_emulator, tmp_path, "dev", "one")
    _push(gui_emulator, tmp_path, "dev", "two")
    open_tree_path(qtbot, window, "Development", "Developer Services", "Container Registry")
    qtbot.waitUntil(lambda: "hello-world" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "hello-world")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    assert sum(r.startswith("untagged=") for r in related(window)["Images"]) == 1

    dlg = action_dialog(qtbot, window, "Delete untagged images…")
    qtbot.waitUntil(lambda: dlg.row("count").editor.count() > 0, timeout=5000)
    assert dlg.row("count").editor.currentText().startswith("1 untagged image")
    retype(qtbot, dlg.row("confirm").editor, "2")
    qtbot.waitUntil(lambda: "Type '1'" in dlg.row("confirm").error_text(), timeout=2000)
    assert not dlg.review_button.isEnabled()
    retype(qtbot, dlg.row("confirm").editor, "1")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    shown = submit_and_reveal(qtbot, dlg)
    assert shown["Deleted"] == "1 image(s)"
    dlg.close()
    select_row(qtbot, window, "hello-world")
    qtbot.waitUntil(lambda: related_loaded(window) and not any(
        r.startswith("untagged=") for r in related(window)["Images"]), timeout=10_000)


def test_create_application_and_function_from_the_registry(qtbot, window):
    open_tree_path(qtbot, window, "Development", "Developer Services", "Applications")
    qtbot.waitUntil(lambda: "demo-app" in table_rows(window.resources), timeout=10_000)
    dlg = create_dialog(qtbot, window)
    retype(qtbot, dlg.row("display_name").editor, "orders")
    subnets = dlg.row("subnet_id").editor
    qtbot.waitUntil(lambda: subnets.count() > 0, timeout=5000)
    retype(qtbot, dlg.row("config").editor, "1BAD=x")
    qtbot.waitUntil(lambda: "not a variable name" in dlg.row("config").error_text(), timeout=2000)
    retype(qtbot, dlg.row("config").editor, "DB_HOST=db.internal")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "oci fn application create" in dlg.cli_view.text()
    finish(qtbot, window, dlg, "ACTIVE")
    qtbot.waitUntil(lambda: "orders" in table_rows(window.resources), timeout=5000)

    open_tree_path(qtbot, window, "Development", "Developer Services", "Functions")
    qtbot.waitUntil(lambda: "hello-world" in table_rows(window.resources), timeout=10_000)
    dlg = create_dialog(qtbot, window)
    retype(qtbot, dlg.row("display_name").editor, "greeter")
    apps = dlg.row("application_id").editor
    qtbot.waitUntil(lambda: apps.count() > 1, timeout=5000)
    pick(qtbot, apps, "orders")
    images = dlg.row("image").editor
    qtbot.waitUntil(lambda: images.count() > 0, timeout=10_000)
    pick(qtbot, images, "hello-world:0.0.1")
    for bad in ("64", "4096"):
        retype(qtbot, dlg.row("memory_in_mbs").editor, bad)
        qtbot.waitUntil(lambda: "between 128 and 3,072" in dlg.row("memory_in_mbs").error_text(), timeout=2000)
        assert not dlg.review_button.isEnabled()
    retype(qtbot, dlg.row("memory_in_mbs").editor, "512")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    shot(dlg, "ocir-fn-create-function")
    click(qtbot, dlg.review_button)
    assert "oci fn function create container-function" in dlg.cli_view.text()
    finish(qtbot, window, dlg, "ACTIVE")
    qtbot.waitUntil(lambda: "greeter" in table_rows(window.resources), timeout=5000)


def test_invoke_the_demo_function(qtbot, window):
    open_tree_path(qtbot, window, "Development", "Developer Services", "Functions")
    qtbot.waitUntil(lambda: "hello-world" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "hello-world")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    rel = related(window)["Function"]
    assert "Application=demo-app" in rel and "Memory=256 MB" in rel

    dlg = action_dialog(qtbot, window, "Invoke…")
    payload = dlg.row("payload").editor
    retype(qtbot, payload, '{"name": ')
    qtbot.waitUntil(lambda: "Not JSON" in dlg.row("payload").error_text(), timeout=2000)
    assert not dlg.review_button.isEnabled()
    retype(qtbot, payload, json.dumps({"name": "Grace"}))
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "oci fn function invoke" in dlg.cli_view.text()
    assert dlg.create_button.text() == "Invoke"
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: bool(dlg.revealed()), timeout=20_000)
    shown = dict(dlg.revealed())
    assert json.loads(shown["Response"]) == {"message": "Hello, Grace!"}
    assert shown["Status"] == "200 OK" and shown["Duration"].endswith(" ms")
    shot(dlg, "ocir-fn-invoke")
    dlg.close()

    dlg = action_dialog(qtbot, window, "Invoke…")
    retype(qtbot, dlg.row("payload").editor, json.dumps({"name": 7}))
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    shown = submit_and_reveal(qtbot, dlg)
    assert shown["Status"] == "502 FunctionInvokeExecutionFailed"
    assert "can only concatenate str" in shown["Response"]
    dlg.close()

    select_row(qtbot, window, "hello-world")
    qtbot.waitUntil(lambda: related_loaded(window) and len(related(window)["Last invocations"]) == 2,
                    timeout=10_000)
    last = related(window)["Last invocations"]
    assert " 502=" in last[0] and " 200=" in last[1]
    shot(window, "ocir-fn-function")


def test_edit_function_config(qtbot, window):
    open_tree_path(qtbot, window, "Development", "Developer Services", "Functions")
    qtbot.waitUntil(lambda: "hello-world" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "hello-world")
    dlg = action_dialog(qtbot, window, "Edit configuration…")
    retype(qtbot, dlg.row("config").editor, "GREETING")
    qtbot.waitUntil(lambda: "KEY=value" in dlg.row("config").error_text(), timeout=2000)
    retype(qtbot, dlg.row("config").editor, "GREETING=Hi")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "oci fn function update" in dlg.cli_view.text()
    finish(qtbot, window, dlg, "ACTIVE")
    dlg = action_dialog(qtbot, window, "Invoke…")
    retype(qtbot, dlg.row("payload").editor, json.dumps({"name": "Ada"}))
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    shown = submit_and_reveal(qtbot, dlg)
    assert json.loads(shown["Response"]) == {"message": "Hi, Ada!"}
    dlg.close()


def test_metrics_tab_counts_real_invocations(qtbot, aloop, session):
    from ociconsole import catalog
    from ociconsole.gui import aio
    from ociconsole.gui.detail import DetailPane
    from ociconsole.services import functions as fsvc
    from ociconsole.services import identity as idsvc

    def run(coro):
        task = aio.spawn(coro)
        qtbot.waitUntil(task.done, timeout=20_000)
        return task.result()

    kind = catalog.kind("functions.function")

    async def demo_function():
        tree = await idsvc.compartment_tree(session)
        dev = next(c for cs in tree.values() for c in cs if c.name == "Development")
        fn = next(f for f in await kind.list(session, dev.id) if f.display_name == "hello-world")
        for payload in ('{"name": "a"}', '{"name": "b"}', '{"name": 3}'):
            await fsvc.invoke(session, fn, payload)
        return fn
    fn = run(demo_function())
    assert [i.status for i in fsvc.history(fn.id)][:3] == [502, 200, 200]

    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.resize(900, 900)
    pane.show()
    pane.show_resource(session, kind, fn)
    pane.show_metrics()
    with qtbot.waitSignal(pane.metrics_panel.refreshed, timeout=15_000):
        pass
    charts = {c.title: c for c in pane.metrics_panel.grid.charts}
    assert list(charts) == ["Invocations", "Execution duration", "Responses"]
    # one series per responseType: the handler's 502 is an Error
    got = {label: float(v.sum()) for label, (_t, v) in charts["Invocations"].data.items()}
    assert got == {"Invocations (Success)": 2, "Invocations (Error)": 1}, got
    shot(pane, "ocir-fn-metrics")


def test_open_an_image_from_its_repository_and_remove_a_tag(qtbot, window, gui_emulator, tmp_path):
    from ociconsole.gui.detail import LINK_ROLE
    from ociconsole.gui.form_dialog import CreateDialog
    _push(gui_emulator, tmp_path, "dev", "one")
    open_tree_path(qtbot, window, "Development", "Developer Services", "Container Registry")
    qtbot.waitUntil(lambda: "hello-world" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "hello-world")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    rel = window.detail.related
    sec = next(rel.topLevelItem(i) for i in range(rel.topLevelItemCount()) if rel.topLevelItem(i).text(0) == "Images")
    item = next(sec.child(j) for j in range(sec.childCount()) if sec.child(j).text(0) == "dev")
    window.detail.navigate(item.data(0, LINK_ROLE))  # as a double-click on the link does
    qtbot.waitUntil(lambda: window.detail.name.text() == "hello-world:dev", timeout=10_000)
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    image = related(window)["Image"]
    assert any(r.startswith("Digest=sha256:") for r in image) and "Tag dev=pushed just now" in image
    assert any(r.startswith("Layer 1=sha256:") for r in image)
    shot(window, "ocir-fn-image")

    act = next(a for a in window.detail.actions_menu.actions() if a.text() == "Remove tag…")
    assert act.isEnabled()
    act.trigger()
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy and dlg.row("version").editor.count() == 1, timeout=10_000)
    click(qtbot, dlg.review_button)
    assert "oci artifacts container image remove-version" in dlg.cli_view.text()
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
    assert op.state is OpState.SUCCEEDED, op.error
    qtbot.waitUntil(lambda: window.detail.name.text().startswith("hello-world:dev@sha256:"), timeout=10_000)


def test_application_page_and_its_config(qtbot, window):
    open_tree_path(qtbot, window, "Development", "Developer Services", "Applications")
    qtbot.waitUntil(lambda: "demo-app" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "demo-app")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    rel = related(window)["Functions"]
    assert "hello-world=256 MB, 30 s (ACTIVE)" in rel and "Config GREETING=Hello" in rel
    dlg = action_dialog(qtbot, window, "Edit configuration…")
    assert dlg.row("config").value() == "GREETING=Hello"
    dlg.row("config").editor.setPlainText("GREETING=Howdy\nREGION_NAME=ashburn")  # (keyClicks types no newline)
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "oci fn application update" in dlg.cli_view.text()
    finish(qtbot, window, dlg, "ACTIVE")
    open_tree_path(qtbot, window, "Development", "Developer Services", "Functions")
    open_tree_path(qtbot, window, "Development", "Developer Services", "Applications")
    qtbot.waitUntil(lambda: "demo-app" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "demo-app")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=10_000)
    rel = related(window)["Functions"]
    assert "Config GREETING=Howdy" in rel and "Config REGION_NAME=ashburn" in rel
