"""Bad credentials end in one clear message with a way to fix the profile — no retries, no
crash — and no passphrase, private key or token is ever written anywhere."""

from __future__ import annotations

import configparser
import json
import time
from pathlib import Path

import keyring
import keyring.backends.fail
import oci
import pytest

from ociconsole.core import config as ocfg
from ociconsole.gui import crash, paths
from ociconsole.gui.app import Console, build_parser
from ociconsole.gui.passphrase import PassphraseDialog
from ociconsole.gui.qt import QApplication, QMessageBox, QTimer

from ..conftest import make_emulator
from ..gui.helpers import open_tree_path, table_rows, top_level

PASSPHRASE = "correct horse battery staple 42"


@pytest.fixture
def no_keyring():
    before = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(before)


@pytest.fixture
def tenancy(tmp_path):
    """An emulator, and a config file with profiles pointing at it: good (encrypted key), wrong key,
    a key that will be revoked, a valid session token and an expired one."""
    emu = make_emulator(tmp_path, transition_delay=0.3)
    cfg = emu.client_config()
    idc = oci.identity.IdentityClient(cfg, service_endpoint=emu.endpoint("identity"))
    keys = tmp_path / "keys"
    good, good_pub, _ = ocfg.generate_key_pair(keys, "good", passphrase=PASSPHRASE)
    wrong, _wpub, _ = ocfg.generate_key_pair(keys, "wrong")
    revoke, revoke_pub, revoke_fp = ocfg.generate_key_pair(keys, "revoke")
    sess, sess_pub, _ = ocfg.generate_key_pair(keys, "session")
    for pub in (good_pub, revoke_pub):
        idc.upload_api_key(cfg["user"], oci.identity.models.CreateApiKeyDetails(key=pub.read_text()))
    token = emu.issue_session_token(sess_pub.read_text(), ttl=3600)
    expired = emu.issue_session_token(sess_pub.read_text(), ttl=1)
    (tmp_path / "token").write_text(token)
    (tmp_path / "expired-token").write_text(expired)
    cp = configparser.ConfigParser(interpolation=None)
    base = {"user": cfg["user"], "tenancy": cfg["tenancy"], "region": cfg["region"],
            "ociconsole_endpoint": emu.base_url}
    fps = {"good": ocfg.fingerprint_of_key(ocfg.load_private_key(str(good), PASSPHRASE)),
           "wrong": ocfg.fingerprint_of_key(ocfg.load_private_key(str(wrong))), "revoke": revoke_fp}
    cp["GOOD"] = dict(base, key_file=str(good), fingerprint=fps["good"])
    cp["WRONGKEY"] = dict(base, key_file=str(wrong), fingerprint=fps["wrong"])
    cp["REVOKED"] = dict(base, key_file=str(revoke), fingerprint=fps["revoke"])
    cp["SESSION"] = dict(base, key_file=str(sess), security_token_file=str(tmp_path / "token"))
    cp["EXPIRED"] = dict(base, key_file=str(sess), security_token_file=str(tmp_path / "expired-token"))
    path = tmp_path / "config"
    with open(path, "w") as f:
        cp.write(f)
    time.sleep(1.1)  # the short-lived token is now expired
    yield {"emu": emu, "config": str(path), "token": token, "expired": expired, "idc": idc, "cfg": cfg,
           "revoke_fp": revoke_fp, "keys": keys}
    emu.stop()


def start(qtbot, tenancy, profile, wait_ready=False):
    args = build_parser().parse_args(["--config-file", tenancy["config"], "--profile", profile])
    console = Console(QApplication.instance(), args)
    qtbot.addWidget(console.window)
    if wait_ready:
        with qtbot.waitSignal(console.window.ready, timeout=15_000):
            console.start()
    else:
        console.start()
    return console


def visible_box():
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QMessageBox) and w.isVisible():
            return w
    return None


def requests(tenancy) -> int:
    return tenancy["emu"].core.stats["requests"]


def close(console):
    box = visible_box()
    if box is not None:
        box.close()
    console.window.shutdown()
    console.shutdown()


def test_wrong_key_one_clear_message_no_retries(qtbot, aloop, tenancy, no_keyring):
    console = start(qtbot, tenancy, "WRONGKEY")
    qtbot.waitUntil(lambda: visible_box() is not None, timeout=10_000)
    box = visible_box()
    assert "NotAuthenticated" in box.text()
    assert "API keys" in box.informativeText() and "fingerprint" in box.informativeText()
    assert {b.text() for b in box.buttons()} >= {"Set up a profile…", "Use the demo sandbox"}
    n = requests(tenancy)
    qtbot.wait(4000)
    assert requests(tenancy) == n, "an authentication failure is not retried"
    close(console)


def test_revoked_key_mid_session(qtbot, aloop, tenancy, no_keyring):
    console = start(qtbot, tenancy, "REVOKED", wait_ready=True)
    w = console.window
    open_tree_path(qtbot, w, "Production", "Web", "Frontend", "Compute", "Instances")
    qtbot.waitUntil(lambda: table_rows(w.resources) == ["web-01", "web-02"], timeout=10_000)
    # an administrator deletes the key
    tenancy["idc"].delete_api_key(tenancy["cfg"]["user"], tenancy["revoke_fp"])
    n = requests(tenancy)
    w.refresh()
    qtbot.waitUntil(lambda: visible_box() is not None, timeout=10_000)
    assert "NotAuthenticated" in visible_box().text()
    assert "NotAuthenticated" in w.resources.banner_text.text()
    used = requests(tenancy) - n
    qtbot.wait(3000)
    assert requests(tenancy) - n == used <= 2, "no retries after a 401"
    assert len([x for x in QApplication.topLevelWidgets() if isinstance(x, QMessageBox) and x.isVisible()]) == 1
    close(console)


def test_wrong_then_right_passphrase(qtbot, aloop, tenancy, no_keyring):
    console = start(qtbot, tenancy, "GOOD")
    qtbot.waitUntil(lambda: top_level(PassphraseDialog) is not None, timeout=5000)
    dlg = top_level(PassphraseDialog)
    assert not dlg.remember_check.isEnabled()  # no keyring backend here: asked each session
    qtbot.keyClicks(dlg.passphrase_edit, "not it")
    dlg.unlock_button.click()
    assert dlg.isVisible() and "Wrong passphrase" in dlg.error_label.text()
    assert requests(tenancy) == 0 or console.session is None
    dlg.passphrase_edit.clear()
    qtbot.keyClicks(dlg.passphrase_edit, PASSPHRASE)
    with qtbot.waitSignal(console.window.ready, timeout=15_000):
        dlg.unlock_button.click()
    assert console.session.connection.profile.name == "GOOD"
    close(console)


def test_expired_session_token_refused_before_any_request(qtbot, aloop, tenancy, no_keyring):
    n = requests(tenancy)
    console = start(qtbot, tenancy, "EXPIRED")
    qtbot.waitUntil(lambda: visible_box() is not None, timeout=5000)
    box = visible_box()
    assert "SessionExpired" in box.text() or "expired" in box.text()
    assert "oci session" in box.informativeText() + box.text()
    assert requests(tenancy) == n
    close(console)


def test_no_secret_is_written_anywhere(qtbot, aloop, tenancy, no_keyring, isolated_home, tmp_path):
    crash.setup_logging("DEBUG")
    handler = crash.install(QApplication.instance(), aloop, fatal_log=False)
    try:
        # a session with the passphrase-protected key
        console = start(qtbot, tenancy, "GOOD")
        qtbot.waitUntil(lambda: top_level(PassphraseDialog) is not None, timeout=5000)
        dlg = top_level(PassphraseDialog)
        qtbot.keyClicks(dlg.passphrase_edit, PASSPHRASE)
        with qtbot.waitSignal(console.window.ready, timeout=15_000):
            dlg.unlock_button.click()
        w = console.window
        open_tree_path(qtbot, w, "Development", "Shared-Tools", "Compute", "Instances")
        qtbot.waitUntil(lambda: "jenkins" in table_rows(w.resources), timeout=10_000)
        # then switch to the session-token profile and act
        with qtbot.waitSignal(w.ready, timeout=15_000):
            console.switch(f"{tenancy['config']}|SESSION")
        assert console.session.connection.profile.name == "SESSION"
        open_tree_path(qtbot, w, "Development", "Shared-Tools", "Compute", "Instances")
        qtbot.waitUntil(lambda: "jenkins" in table_rows(w.resources), timeout=10_000)
        row = table_rows(w.resources).index("jenkins")
        w.resources.select_row(row)
        next(a for a in w._kind_actions if a.text() == "Stop").trigger()
        op = w.oplog.operations[-1]
        qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
        # an unexpected error whose text carries the secrets (as careless code might produce)
        QTimer.singleShot(0, lambda: (_ for _ in ()).throw(
            RuntimeError(f"boom pass_phrase={PASSPHRASE} token={tenancy['token']} raw {PASSPHRASE}")))
        # the report is written at once; the error dialog may already have acknowledged it
        qtbot.waitUntil(lambda: any(paths.log_dir().glob("crash-*")), timeout=5000)
        export = tmp_path / "activity.json"
        w.activity.export_to(str(export))
        w.save_layout()
        close(console)
    finally:
        crash.uninstall()
        crash.teardown_logging()
        _ = handler

    key_bodies = []
    for pem in Path(tenancy["keys"]).glob("*.pem"):
        text = pem.read_text()
        if "PRIVATE KEY" in text:
            key_bodies += [ln for ln in text.splitlines() if ln and not ln.startswith("-----")][1:4]
    secrets_ = {"passphrase": PASSPHRASE, "session token": tenancy["token"],
                "token payload": tenancy["token"].split(".")[1]}
    files = [p for p in Path(isolated_home).rglob("*") if p.is_file() and p.suffix != ".sqlite"] + [export]
    assert any(p.name.startswith("crash-") for p in files), "a crash report was written"
    assert any(p.name.startswith("ociconsole.log") for p in files)
    leaks = []
    for p in files:
        data = p.read_bytes().decode("utf-8", "replace")
        for what, value in secrets_.items():
            if value in data:
                leaks.append(f"{what} in {p.name}")
        for line in key_bodies:
            if line in data:
                leaks.append(f"private key in {p.name}")
    print(f"\nsecret scan: {len(files)} files ({', '.join(sorted({p.name for p in files}))})")
    assert not leaks, leaks
    assert json.loads(export.read_text())  # the export itself is usable
