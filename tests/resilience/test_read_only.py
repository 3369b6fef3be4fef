"""A read-only profile: every mutating action is disabled in the window and refused in the
service layer too (no request leaves the app) — whether the profile is marked read-only in the
config file (`ociconsole_read_only = true`), on the command line (`--read-only`) or in code."""

from __future__ import annotations

import asyncio
import configparser

import oci
import pytest

from ociconsole.core import config as ocfg
from ociconsole.core.connection import connection_for_emulator, connection_from_profile
from ociconsole.core.errors import OciError
from ociconsole.gui import aio, crash
from ociconsole.gui import app as app_mod
from ociconsole.gui.confirm import ConfirmDialog
from ociconsole.gui.form_dialog import CreateDialog
from ociconsole.gui.main_window import MainWindow
from ociconsole.gui.qt import QApplication, QMenu, Qt, QTimer
from ociconsole.services import compute as csvc
from ociconsole.services import identity as idsvc
from ociconsole.services.runtime import Session

from ..conftest import make_emulator
from ..gui.helpers import click_index, open_tree_path, table_rows, top_level
from ..gui.test_object_browser import drop_files, open_bucket
from .request_log import RequestLog


@pytest.fixture
def ro(tmp_path):
    emu = make_emulator(tmp_path)
    conn = connection_for_emulator(emu.client_config(), emu.base_url)
    conn.read_only = True
    session = Session(conn)
    yield emu, session
    session.close()
    emu.stop()


@pytest.fixture
def ro_window(qtbot, aloop, ro):
    """The main window on the read-only session, connected."""
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=15_000):
        w.set_session(ro[1], "demo")
    yield w
    w.transfers.cancel_all()
    w.close()


async def _attempt_mutations(emu, session) -> tuple[list[OciError], int]:
    """Five mutations of different services and kinds; returns what was refused and how many
    requests reached the emulator meanwhile."""
    tree = await idsvc.compartment_tree(session)
    insts = []
    for c in [c for cs in tree.values() for c in cs]:
        insts += await csvc.list_instances(session, c.id)
    some = insts[0]
    before = emu.core.stats["requests"]
    refused = []
    for call in (csvc.instance_action(session, some.id, "STOP"),
                 csvc.terminate_instance(session, some.id),
                 idsvc.create_compartment(session, oci.identity.models.CreateCompartmentDetails(
                     compartment_id=session.tenancy_id, name="nope", description="x"), "tok"),
                 idsvc.delete_policy(session, "ocid1.policy.oc1..x"),
                 session.call("identity", "update_compartment", some.compartment_id,
                              oci.identity.models.UpdateCompartmentDetails(description="x"))):
        try:
            await call
        except OciError as e:
            refused.append(e)
    return refused, emu.core.stats["requests"] - before


def _all_refused(refused: list[OciError], sent: int) -> None:
    assert len(refused) == 5 and all(e.kind == "readonly" and e.code == "ReadOnlyProfile" for e in refused)
    assert "read-only" in refused[0].message
    assert sent == 0


def test_service_layer_refuses_every_mutation(ro):
    emu, session = ro
    _all_refused(*asyncio.run(_attempt_mutations(emu, session)))


# ---------------------------------------------------------------- marked in the config file

def write_config(path, emu, **profiles) -> str:
    """An OCI config file with one profile per keyword (name=extra keys) for the emulator's admin."""
    cfg = emu.client_config()
    cp = configparser.ConfigParser(interpolation=None)
    for name, extra in profiles.items():
        cp[name] = dict({k: cfg[k] for k in ("user", "fingerprint", "tenancy", "region", "key_file")},
                        ociconsole_endpoint=emu.base_url, **extra)
    with open(path, "w") as f:
        cp.write(f)
    return str(path)


@pytest.fixture
def emu(tmp_path):
    e = make_emulator(tmp_path)
    yield e
    e.stop()


def test_config_file_key_makes_the_session_read_only(emu, tmp_path):
    path = write_config(tmp_path / "config", emu, RW={}, RO={"ociconsole_read_only": "true"},
                        RO_YES={"ociconsole_read_only": "yes"}, RO_ONE={"ociconsole_read_only": "1"},
                        NOT_RO={"ociconsole_read_only": "false"})
    modes = {p.name: connection_from_profile(p).read_only for p in ocfg.read_profiles(path)}
    assert modes == {"RW": False, "RO": True, "RO_YES": True, "RO_ONE": True, "NOT_RO": False}
    session = Session(connection_from_profile(ocfg.find_profile(path, "RO")))
    log = RequestLog(emu)
    try:
        refused, sent = asyncio.run(_attempt_mutations(emu, session))
    finally:
        session.close()
    _all_refused(refused, sent)
    assert not log.mutating()
    log.close()


def _console(qtbot, args):
    console = app_mod.Console(QApplication.instance(), app_mod.build_parser().parse_args(args))
    qtbot.addWidget(console.window)
    with qtbot.waitSignal(console.window.ready, timeout=15_000):
        console.start()
    return console


def _window_refuses(qtbot, w, log) -> None:
    """The read-only window: create disabled, actions on a selected instance disabled, and asking
    anyway (Delete key, the window's own entry points) sends nothing."""
    assert "read-only" in w.expiry_label.text()
    open_tree_path(qtbot, w, "Development", "Shared-Tools", "Compute", "Instances")
    qtbot.waitUntil(lambda: "jenkins" in table_rows(w.resources), timeout=10_000)
    click_index(qtbot, w.resources.table, w.resources.proxy.index(table_rows(w.resources).index("jenkins"), 0))
    # every action that changes something is off; reading (Export as Terraform) stays
    changes = [a for a in w._kind_actions if a.text() != "Export as Terraform"]
    assert changes and not any(a.isEnabled() for a in changes)
    assert not w.create_action.isEnabled()
    n = len(w.oplog.operations)
    qtbot.keyClick(w.resources.table, Qt.Key.Key_Delete)
    w.request_action(w.resources.kind, w.resources.kind.action("stop"), w.resources.selected_resources())
    w.open_create(w.resources.kind)
    qtbot.wait(100)
    assert len(w.oplog.operations) == n and top_level(ConfirmDialog) is None and top_level(CreateDialog) is None
    assert not log.mutating()


def test_config_file_read_only_profile_in_the_app(qtbot, aloop, emu, tmp_path):
    path = write_config(tmp_path / "config", emu, RO={"ociconsole_read_only": "true"})
    log = RequestLog(emu)
    console = _console(qtbot, ["--config-file", path, "--profile", "RO"])
    assert console.session.read_only and console.session.connection.profile.name == "RO"
    _window_refuses(qtbot, console.window, log)
    log.close()
    console.window.shutdown()
    console.shutdown()


# ---------------------------------------------------------------- --read-only on the command line

def test_read_only_flag_through_the_entry_point(qapp, emu, tmp_path, monkeypatch):
    """`ociconsole --config-file F --profile RW --read-only`, run by `gui.app.main` itself (its
    parser, its qasync loop): the profile is an ordinary read-write one, the flag alone makes the
    session refuse every mutation, the window disable creating, and nothing mutating is sent."""
    path = write_config(tmp_path / "config", emu, RW={})
    log = RequestLog(emu)
    seen: dict = {}

    class Probe(app_mod.Console):
        def __init__(self, app, args):
            super().__init__(app, args)
            seen["console"] = self
            self.window.ready.connect(lambda: aio.spawn(self._probe(), name="probe"))
            # never hang the suite; stopped when main returns: left pending, it would fire during a later test's
            # wait and its exit() would end every Qt event loop started after it (Qt's quitNow)
            guard = seen["guard"] = QTimer()
            guard.setSingleShot(True)
            guard.timeout.connect(lambda: app.exit(3))
            guard.start(30_000)

        async def _probe(self):
            w = self.window
            seen["read_only"] = self.session.read_only
            seen["label"] = w.expiry_label.text()
            seen["create_enabled"] = w.create_action.isEnabled()
            try:
                await idsvc.create_compartment(self.session, oci.identity.models.CreateCompartmentDetails(
                    compartment_id=self.session.tenancy_id, name="nope", description="x"), "tok")
            except OciError as e:
                seen["refused"] = e
            w.shutdown()  # its loads end while the loop still runs (main closes the loop on exit)
            for _ in range(50):
                if len(asyncio.all_tasks()) <= 1:
                    break
                await asyncio.sleep(0.02)
            self.app.exit(0)

    monkeypatch.setattr(app_mod, "Console", Probe)
    names = (qapp.applicationName(), qapp.organizationName(), qapp.applicationDisplayName())
    try:
        code = app_mod.main(["--config-file", path, "--profile", "RW", "--read-only", "--log-level", "WARNING"])
    finally:
        if "guard" in seen:
            seen["guard"].stop()
        crash.uninstall()
        crash.teardown_logging()
        asyncio.set_event_loop(None)
        qapp.setApplicationName(names[0])
        qapp.setOrganizationName(names[1])
        qapp.setApplicationDisplayName(names[2])
    assert code == 0
    assert seen["console"].args.read_only and seen["read_only"] is True
    assert "read-only" in seen["label"] and seen["create_enabled"] is False
    assert seen["refused"].code == "ReadOnlyProfile"
    assert log.snapshot() and not log.mutating(), "it browsed, and changed nothing"
    log.close()
    # without the flag the same profile may change things (the flag is what made it read-only)
    assert not connection_from_profile(ocfg.find_profile(path, "RW")).read_only


def test_window_disables_every_mutating_action(qtbot, aloop, ro, ro_window):
    emu, _session = ro
    log = RequestLog(emu)
    _window_refuses(qtbot, ro_window, log)
    reads = {a.label for a in ro_window.resources.kind.actions if not a.mutates}  # Export as Terraform
    assert not any(a.isEnabled() for a in ro_window.detail.actions_menu.actions() if a.text() not in reads)
    assert "read-only" in ro_window.statusBar().currentMessage()
    log.close()


# ---------------------------------------------------------------- the object browser and the alarms view

def test_object_browser_read_only(qtbot, ro, ro_window, tmp_path):
    emu, session = ro
    w = ro_window
    log = RequestLog(emu)
    browser = open_bucket(qtbot, w, "app-assets")
    row = browser.rows().index("index.html")
    click_index(qtbot, browser.table, browser.proxy.index(row, 0))
    qtbot.waitUntil(lambda: [e.name for e in browser.selected_entries()] == ["index.html"], timeout=5000)
    changes = {"upload": browser.upload_action, "upload folder": browser.upload_folder_action,
               "new folder": browser.new_folder_action, "delete": browser.delete_action,
               "rename": browser.rename_action, "share": browser.share_action}
    reads = {"download": browser.download_action, "copy URL": browser.copy_url_action,
             "details": browser.details_action}
    assert [n for n, a in changes.items() if a.isEnabled()] == []
    assert [n for n, a in reads.items() if not a.isEnabled()] == []
    # asking anyway: the actions, their keys, a drop of files on the list
    n = len(w.oplog.operations)
    for a in changes.values():
        a.trigger()
    for key in (Qt.Key.Key_Delete, Qt.Key.Key_F2):
        qtbot.keyClick(browser.table, key)
    local = tmp_path / "new.txt"
    local.write_text("x")
    drop_files(qtbot, browser, local)
    qtbot.wait(200)
    assert len(w.oplog.operations) == n and not w.transfers.active()
    assert not [x for x in QApplication.topLevelWidgets() if x.isVisible() and x is not w and x.isModal()]
    assert not log.mutating(), log.mutating()
    assert browser.rows() == ["css/", "img/", "releases/", "index.html"]
    # the same selection in a read-write session: the very same actions are enabled
    session.connection.read_only = False
    browser._update_actions()
    assert [n for n, a in changes.items() if not a.isEnabled()] == []
    session.connection.read_only = True
    log.close()


ALARM_CHANGES = ("Edit", "Suppress", "Remove suppression", "Disable", "Enable", "Delete")


def _menu_actions(menu: QMenu) -> dict[str, bool]:
    return {a.text().rstrip("…"): a.isEnabled() for a in menu.actions() if a.text()}


def test_alarms_view_read_only(qtbot, ro, ro_window):
    emu, session = ro
    w = ro_window
    log = RequestLog(emu)
    open_tree_path(qtbot, w, "Production", "Observability", "Alarms")
    qtbot.waitUntil(lambda: w.resources.kind is not None and w.resources.kind.id == "monitoring.alarm"
                    and "Memory pressure" in table_rows(w.resources), timeout=10_000)
    row = table_rows(w.resources).index("Memory pressure")
    click_index(qtbot, w.resources.table, w.resources.proxy.index(row, 0))
    qtbot.waitUntil(lambda: w.detail.name.text() == "Memory pressure", timeout=5000)

    def enabled() -> dict[str, dict[str, bool]]:
        toolbar = {a.text(): a.isEnabled() for a in w._kind_actions}
        detail = _menu_actions(w.detail.actions_menu)
        w.resources._context_menu(w.resources.table.visualRect(w.resources.proxy.index(row, 0)).center())
        menu = next(m for m in QApplication.topLevelWidgets() if isinstance(m, QMenu) and m.isVisible())
        context = _menu_actions(menu)
        menu.close()
        return {"toolbar": {k: v for k, v in toolbar.items() if k in ALARM_CHANGES},
                "detail": {k: v for k, v in detail.items() if k in ALARM_CHANGES},
                "context": {k: v for k, v in context.items() if k in ALARM_CHANGES + ("Create alarm",)},
                "create": {"Create alarm": w.create_action.isEnabled()}}

    got = enabled()
    for where, actions in got.items():
        assert set(actions) >= ({"Create alarm"} if where == "create" else set(ALARM_CHANGES)), (where, actions)
        assert not any(actions.values()), (where, actions)
    # asking anyway: the toolbar actions, the Delete key, the window's entry points
    n = len(w.oplog.operations)
    for a in w._kind_actions:
        if a.text() != "Export as Terraform":  # it only reads: offered read-only too
            a.trigger()
    qtbot.keyClick(w.resources.table, Qt.Key.Key_Delete)
    for action in w.resources.kind.actions:
        if action.mutates:
            w.request_action(w.resources.kind, action, w.resources.selected_resources())
    w.open_create(w.resources.kind)
    qtbot.wait(100)
    assert len(w.oplog.operations) == n
    assert top_level(CreateDialog) is None and top_level(ConfirmDialog) is None
    assert "read-only" in w.statusBar().currentMessage()
    assert not log.mutating(), log.mutating()
    # the control: read-write, the same alarm's edit, suppress and delete are offered
    session.connection.read_only = False
    w._update_action_buttons()
    w.detail._fill_actions()
    rw = enabled()
    assert all(rw["toolbar"][k] and rw["detail"][k] and rw["context"][k] for k in ("Edit", "Suppress", "Delete"))
    assert rw["create"]["Create alarm"] and rw["context"]["Create alarm"]
    session.connection.read_only = True
    log.close()
