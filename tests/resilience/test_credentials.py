"""Bad credentials end in one clear message with a way to fix the profile — no retries, no
crash — and no passphrase, private key or token is ever written anywhere."""

from __future__ import annotations

import base64
import configparser
import json
import time
from pathlib import Path

import keyring
import keyring.backends.fail
import oci
import pytest
from cryptography.hazmat.primitives import serialization

from ociconsole.core import config as ocfg
from ociconsole.gui import crash, paths
from ociconsole.gui.app import Console, build_parser
from ociconsole.gui.passphrase import PassphraseDialog
from ociconsole.gui.qt import QApplication, QMessageBox, QTimer

from ..conftest import make_emulator
from ..gui.helpers import answer_confirm, open_tree_path, table_rows, top_level
from .request_log import RequestLog, count_invocations

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
    a key that will be revoked, a valid session token, a one-second one (EXPIRED, once that second is over),
    and SHORT whose token file (`short-token`) a test fills with a token of its own lifetime."""
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
    (tmp_path / "short-token").write_text(expired)
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
    cp["SHORT"] = dict(base, key_file=str(sess), security_token_file=str(tmp_path / "short-token"))
    path = tmp_path / "config"
    with open(path, "w") as f:
        cp.write(f)
    yield {"emu": emu, "config": str(path), "token": token, "expired": expired, "idc": idc, "cfg": cfg,
           "revoke_fp": revoke_fp, "keys": keys, "session_pub": sess_pub, "short": tmp_path / "short-token"}
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


def boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def count_auth_failures(console) -> list:
    seen: list = []
    console.window.authFailed.connect(seen.append)
    return seen


def close(console):
    box = visible_box()
    if box is not None:
        box.close()
    console.window.shutdown()
    console.shutdown()


# the first loads of a new session that run side by side before the tenancy is known (the tenancy
# itself, the compartment tree, the list and the detail of the root, and the root's Related cost and audit
# trail): each may meet the 401 once
FIRST_LOADS = 6


def test_wrong_key_one_clear_message_no_retries(qtbot, aloop, tenancy, no_keyring, monkeypatch):
    log = RequestLog(tenancy["emu"])  # from the very start: everything the app sends
    invoked = count_invocations(monkeypatch)
    console = start(qtbot, tenancy, "WRONGKEY")
    failures = count_auth_failures(console)
    qtbot.waitUntil(lambda: visible_box() is not None, timeout=10_000)
    box = visible_box()
    assert "NotAuthenticated" in box.text()
    assert "API keys" in box.informativeText() and "fingerprint" in box.informativeText()
    assert {b.text() for b in box.buttons()} >= {"Set up a profile…", "Use the demo sandbox"}
    qtbot.wait(3000)  # long enough for any retry (the backoff is 0.3 s, then 1 s)
    sent = log.snapshot()
    refused = log.with_status(401)
    assert sent and refused == sent, "every request was refused, nothing else was sent"
    assert console.session.calls == len(invoked) == len(refused), \
        f"each call went out once, a 401 is never retried: {invoked} -> {sent}"
    assert len(refused) <= FIRST_LOADS, sent
    assert len(boxes()) == 1 and len([d for d in console._dialogs if isinstance(d, QMessageBox)]) == 1
    assert len(failures) == 1  # the window reports the refused profile once (the box above)
    log.close()
    close(console)


def test_session_token_expiring_mid_session(qtbot, aloop, tenancy, no_keyring, monkeypatch):
    """Valid at start (the tree and a list load), then it expires: the next action is refused (401)
    and ends in one clear message that says how to refresh the token and offers to set up a profile;
    no request is retried, nothing crashes. (The emulator issues tokens of any lifetime in seconds.)"""
    handler = crash.install(QApplication.instance(), aloop, fatal_log=False)
    try:
        ttl = 6
        token = tenancy["emu"].issue_session_token(tenancy["session_pub"].read_text(), ttl=ttl)
        expires = ocfg.jwt_claims(token)["exp"]
        tenancy["short"].write_text(token)
        log = RequestLog(tenancy["emu"])
        invoked = count_invocations(monkeypatch)
        console = start(qtbot, tenancy, "SHORT", wait_ready=True)
        failures = count_auth_failures(console)
        w = console.window
        open_tree_path(qtbot, w, "Production", "Web", "Frontend", "Compute", "Instances")
        qtbot.waitUntil(lambda: table_rows(w.resources) == ["web-01", "web-02"], timeout=10_000)
        assert time.time() < expires, "the session was used while its token was valid"
        assert log.snapshot() and not log.with_status(401) and visible_box() is None
        assert "Session token expires" in w.expiry_label.text()

        qtbot.waitUntil(lambda: time.time() > expires + 0.2, timeout=(ttl + 2) * 1000)
        n, calls, asked = len(log), console.session.calls, len(invoked)
        w.refresh()
        qtbot.waitUntil(lambda: visible_box() is not None, timeout=10_000)
        box = visible_box()
        text = f"{box.text()}\n{box.informativeText()}"
        assert "expired" in box.text() and "oci session refresh --profile SHORT" in box.informativeText(), text
        assert "Set up a profile…" in {b.text() for b in box.buttons()}
        assert "expired" in w.resources.banner_text.text()
        qtbot.wait(2500)  # any retry would have been sent by now
        after = log.snapshot()[n:]
        assert after and all(e.status == 401 for e in after), after
        assert console.session.calls - calls == len(invoked) - asked == len(after), "a 401 is not retried"
        assert len(boxes()) == 1 and len(failures) == 1
        # no crash: nothing reached the crash handler, the window still works
        assert handler.dialog is None and not list(paths.log_dir().glob("crash-*"))
        assert w.isVisible() and w.tree_model.rowCount() > 0
        log.close()
        close(console)
    finally:
        crash.uninstall()


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
    # the one-second token has expired (a JWT's `exp` is wall-clock time, not the emulator's clock)
    expires = ocfg.jwt_claims(tenancy["expired"])["exp"]
    qtbot.waitUntil(lambda: time.time() > expires, timeout=5000)
    n = requests(tenancy)
    console = start(qtbot, tenancy, "EXPIRED")
    qtbot.waitUntil(lambda: visible_box() is not None, timeout=5000)
    box = visible_box()
    assert "SessionExpired" in box.text() or "expired" in box.text()
    assert "oci session" in box.informativeText() + box.text()
    assert requests(tenancy) == n
    close(console)


def _b64_forms(der: bytes) -> list[bytes]:
    """The base64 of `der` as one run and as its 64-character PEM lines, and base64url."""
    b64 = base64.b64encode(der)
    return [b64, base64.urlsafe_b64encode(der).rstrip(b"=")] + [b64[i:i + 64] for i in range(0, len(b64), 64)
                                                              if len(b64[i:i + 64]) >= 24]


def key_material(keys: Path) -> dict[str, list[bytes]]:
    """Every private key of the test in each form it could leak in: the file's own PEM body (one run
    and line by line), unencrypted PKCS#8 and traditional (PKCS#1) DER, raw and in base64, and the
    private exponent in hex and decimal."""
    out: dict[str, list[bytes]] = {}
    for pem in sorted(keys.glob("*.pem")):
        text = pem.read_bytes()
        if b"PRIVATE KEY" not in text:
            continue
        body = [ln for ln in text.splitlines() if ln and not ln.startswith(b"-----")]
        key = ocfg.load_private_key(str(pem), PASSPHRASE if b"ENCRYPTED" in text else None)
        forms = [b"".join(body)] + [ln for ln in body if len(ln) >= 24]
        for fmt in (serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL):
            der = key.private_bytes(serialization.Encoding.DER, fmt, serialization.NoEncryption())
            forms += [der] + _b64_forms(der)
        d = key.private_numbers().d
        forms += [format(d, "x").encode(), str(d).encode()]
        out[pem.name] = forms
    return out


def test_no_secret_is_written_anywhere(qtbot, aloop, tenancy, no_keyring, isolated_home, tmp_path):
    session_pem = (Path(tenancy["keys"]) / "session.pem").read_text()
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
        answer_confirm(qtbot)
        op = w.oplog.operations[-1]
        qtbot.waitUntil(lambda: op.state.done, timeout=15_000)
        # an unexpected error whose text carries the secrets (as careless code might produce)
        QTimer.singleShot(0, lambda: (_ for _ in ()).throw(
            RuntimeError(f"boom pass_phrase={PASSPHRASE} token={tenancy['token']} raw {PASSPHRASE} "
                         f"key_content={session_pem}")))
        # the report is written at once; the error dialog may already have acknowledged it
        qtbot.waitUntil(lambda: any(paths.log_dir().glob("crash-*")), timeout=5000)
        export = tmp_path / "activity.json"
        w.activity.export_to(str(export))
        w.save_layout()
        # last, the demo sandbox: its state is a sqlite database under the app's home, scanned too
        with qtbot.waitSignal(w.ready, timeout=30_000):
            console.switch("demo")
        close(console)
    finally:
        crash.uninstall()
        crash.teardown_logging()
        _ = handler

    token = tenancy["token"]
    secrets_: dict[str, list[bytes]] = {
        "passphrase": [PASSPHRASE.encode(), PASSPHRASE.encode("utf-16-le"), base64.b64encode(PASSPHRASE.encode())],
        "session token": [token.encode()] + [part.encode() for part in token.split(".")[1:]],
    }
    for name, forms in key_material(Path(tenancy["keys"])).items():
        secrets_[f"private key {name}"] = forms
    files = [p for p in Path(isolated_home).rglob("*") if p.is_file()] + [export]
    names = {p.name for p in files}
    assert any(n.startswith("crash-") for n in names), "a crash report was written"
    assert any(n.startswith("ociconsole.log") for n in names) and "settings.ini" in names
    assert any(n.endswith(".sqlite") for n in names), "the demo sandbox's database is among the files"
    leaks = []
    for p in files:
        data = p.read_bytes()
        for what, forms in secrets_.items():
            if any(f in data for f in forms):
                leaks.append(f"{what} in {p.relative_to(isolated_home) if p != export else p.name}")
    print(f"\nsecret scan: {len(files)} files, {sum(p.stat().st_size for p in files)} bytes "
          f"({', '.join(sorted(names))})")
    assert not leaks, leaks
    assert json.loads(export.read_text())  # the export itself is usable
