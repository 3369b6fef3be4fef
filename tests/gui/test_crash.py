"""Crash and error handling: every source of an unexpected exception ends in the log file, a
crash report and a visible (non-modal) dialog, and the app keeps running; secrets never reach
a log line or a report."""

from __future__ import annotations

import asyncio
import faulthandler
import logging
import sys
import threading

import pytest

from ociconsole.gui import aio, crash, paths
from ociconsole.gui.qt import QApplication, QtCore, QTimer

from ..conftest import fast_keys

PASSPHRASE = "c0rrect-h0rse-battery"
JWT = ("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."
       "eyJzdWIiOiJvY2lkMS51c2VyLm9jMS4uYWFhYSIsImlzcyI6ImF1dGhTZXJ2aWNlLm9yYWNsZS5jb20ifQ."
       "Zm9vYmFyYmF6cXV4cXV1eHNpZ25hdHVyZWJ5dGVzX2hlcmVfYW5kX21vcmVfYnl0ZXM")
SIGNATURE = "kT9s0mBq3V1Yy2QhY0Qm8p+Zl1ZsW1s3d0l8w1P0b3Q4T2k9Zz0="


@pytest.fixture
def pem():
    return fast_keys()["admin_private_key"]


@pytest.fixture
def handler(qapp):
    h = crash.install(qapp, fatal_log=False)
    yield h
    crash.uninstall()
    crash.teardown_logging()
    qapp.processEvents()


def log_text() -> str:
    for h in logging.getLogger().handlers:
        h.flush()
    return crash.log_path().read_text(encoding="utf-8")


def wait_for_dialog(qtbot, h, text: str):
    qtbot.waitUntil(lambda: h.dialog is not None and h.dialog.isVisible()
                    and any(text in e.summary for e in h.dialog.errors), timeout=3000)
    return h.dialog


def assert_still_running(qtbot):
    fired = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: bool(fired), timeout=1000)
    assert not QApplication.closingDown()


# ------------------------------------------------------------------------ redaction

def test_redact_removes_key_passphrase_and_tokens(pem):
    line = (f"loading profile {{'key_content': {pem!r}, 'pass_phrase': '{PASSPHRASE}', "
            f"'region': 'us-ashburn-1'}} pass_phrase={PASSPHRASE} token=ST${JWT} "
            f"security_token_file=/home/x/.oci/sessions/DEFAULT/token raw={JWT}")
    out = crash.redact(line)
    body = pem.splitlines()[1]
    assert body not in out and PASSPHRASE not in out and JWT not in out
    assert JWT.split(".")[1] not in out
    assert "'key_content': [REDACTED]" in out and "ST$[REDACTED]" in out
    assert crash.redact(f"read {pem}done") == ("read -----BEGIN RSA PRIVATE KEY----- [REDACTED] "
                                               "-----END RSA PRIVATE KEY-----\ndone")
    # ordinary context survives
    assert "'region': 'us-ashburn-1'" in out
    assert "security_token_file=/home/x/.oci/sessions/DEFAULT/token" in out


def test_redact_handles_signatures_and_truncated_keys(pem):
    header = (f'Signature version="1",keyId="ocid1.tenancy.oc1..aaaa/ocid1.user.oc1..bbbb/aa:bb:cc",'
              f'algorithm="rsa-sha256",headers="date (request-target) host",signature="{SIGNATURE}"')
    for line in (f"{{'authorization': '{header}', 'date': 'Tue'}}",
                 f"send: Authorization: {header}\nHost: iaas.us-ashburn-1.oraclecloud.com",
                 f'{{"Authorization": "{header}"}}',
                 f"bad header {header}",
                 "Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789"):
        out = crash.redact(line)
        assert SIGNATURE not in out and "abcdefghijklmnopqrstuvwxyz" not in out, out
    assert "Host: iaas.us-ashburn-1.oraclecloud.com" in crash.redact(
        f"Authorization: {header}\nHost: iaas.us-ashburn-1.oraclecloud.com")
    truncated = pem[: len(pem) // 2]  # a key cut off in the middle still goes entirely
    assert pem.splitlines()[2] not in crash.redact(f"key: {truncated}")


def test_redact_leaves_ordinary_lines_alone():
    lines = ["GET https://iaas.us-ashburn-1.oraclecloud.com/20160918/instances/ocid1.instance.oc1.iad."
             "anuwcljt3example4xyzabcdefghijklmnopqrstuvwxyz",
             "ociconsole.services.runtime: list_instances took 0.12 s",
             "pass_phrase=None (the key is not encrypted)",
             "opc-request-id: 64E39FCFADD845B58C75CC6E3306D7D5/55BD8BE883ED4673"]
    for line in lines:
        assert crash.redact(line) == line


def test_logging_filter_redacts_file_and_exceptions(pem):
    path = crash.setup_logging(logging.DEBUG)
    try:
        assert path == paths.log_dir() / "ociconsole.log"
        lg = logging.getLogger("ociconsole.test")
        lg.info("key %s with pass_phrase=%s and token ST$%s", pem, PASSPHRASE, JWT)
        try:
            raise ValueError(f"could not decrypt with passphrase: {PASSPHRASE}")
        except ValueError:
            lg.exception("loading the key failed")
        text = log_text()
        assert "loading the key failed" in text and "ValueError" in text
        assert pem.splitlines()[1] not in text and PASSPHRASE not in text and JWT not in text
        assert text.count("[REDACTED]") >= 4
    finally:
        crash.teardown_logging()
    assert not [h for h in logging.getLogger().handlers if getattr(h, "_ociconsole", False)]


# ------------------------------------------------------------------------ the sources of errors

def test_exception_in_a_qt_slot(qtbot, handler):
    def slot():
        raise ZeroDivisionError("boom in a slot")
    QTimer.singleShot(0, slot)
    dlg = wait_for_dialog(qtbot, handler, "boom in a slot")
    assert not dlg.isModal()
    assert "ZeroDivisionError: boom in a slot" in dlg.summary.text()
    assert "in slot" in dlg.details.toPlainText() and 'raise ZeroDivisionError("boom in a slot")' in \
        dlg.details.toPlainText()
    assert str(crash.log_path()) in dlg.where.text()
    text = log_text()
    assert "Unhandled exception" in text and "ZeroDivisionError: boom in a slot" in text
    assert_still_running(qtbot)


def test_sys_excepthook(qtbot, handler):
    try:
        raise KeyError("from the hook")
    except KeyError:
        sys.excepthook(*sys.exc_info())
    wait_for_dialog(qtbot, handler, "from the hook")
    assert "KeyError: 'from the hook'" in log_text()
    assert_still_running(qtbot)


def test_exception_in_a_worker_thread_is_shown_on_the_gui_thread(qtbot, handler, qapp):
    shown_on = []
    handler.errorShown.connect(lambda info: shown_on.append(QtCore.QThread.currentThread() is qapp.thread()))

    def work():
        raise RuntimeError("worker failed")
    t = threading.Thread(target=work, name="refresh-worker")
    t.start()
    t.join()
    dlg = wait_for_dialog(qtbot, handler, "worker failed")
    assert shown_on == [True]
    assert dlg.errors[-1].context == 'Unhandled exception in thread "refresh-worker"'
    assert 'Unhandled exception in thread "refresh-worker"' in log_text()
    assert_still_running(qtbot)


def test_exception_in_an_asyncio_task(qtbot, aloop, qapp):
    h = crash.install(qapp, loop=aloop, fatal_log=False)
    try:
        async def failing():
            await asyncio.sleep(0)
            raise LookupError("task went wrong")
        aio.spawn(failing(), name="load-instances")
        wait_for_dialog(qtbot, h, "task went wrong")
        assert "Unhandled error in load-instances" in log_text()
        assert "LookupError: task went wrong" in log_text()

        async def fine():
            await asyncio.sleep(0.01)
            return 42
        task = aio.spawn(fine())  # the loop keeps going
        qtbot.waitUntil(task.done)
        assert task.result() == 42
    finally:
        crash.uninstall()
        crash.teardown_logging()
    assert aloop.get_exception_handler() is None


def test_qt_warnings_go_to_the_same_log(handler):
    QtCore.qWarning("qt says: something odd")
    text = log_text()
    assert "WARNING  qt" in text and "qt says: something odd" in text


def test_secrets_in_an_exception_reach_neither_log_report_dialog_nor_clipboard(qtbot, handler, pem):
    def slot():
        raise ValueError(f"bad key {pem} pass_phrase={PASSPHRASE}")
    QTimer.singleShot(0, slot)
    dlg = wait_for_dialog(qtbot, handler, "bad key")
    dlg.copy_button.click()
    report = dlg.errors[-1].report
    for text in (log_text(), report.read_text(), dlg.summary.text(), dlg.details.toPlainText(),
                 QApplication.clipboard().text()):
        assert PASSPHRASE not in text and pem.splitlines()[1] not in text
    copied = QApplication.clipboard().text()
    assert "ValueError" in copied and str(crash.log_path()) in copied and "Python" in copied


def test_more_errors_join_the_open_dialog(qtbot, handler):
    for i in range(3):
        QTimer.singleShot(0, lambda i=i: (_ for _ in ()).throw(RuntimeError(f"error {i}")))
    qtbot.waitUntil(lambda: handler.dialog is not None and len(handler.dialog.errors) == 3)
    dlg = handler.dialog
    assert dlg.count_label.isVisible() and "3 times" in dlg.count_label.text()
    assert all(f"error {i}" in dlg.details.toPlainText() for i in range(3))
    assert [w for w in QApplication.topLevelWidgets() if isinstance(w, crash.ErrorDialog) and w.isVisible()] == [dlg]
    assert not dlg.details.isVisible()
    dlg.toggle.click()
    assert dlg.details.isVisible()
    dlg.close()
    qtbot.waitUntil(lambda: handler.dialog is None)


def test_an_error_while_handling_does_not_loop(qtbot, handler, monkeypatch):
    def broken(*a, **k):
        raise TypeError("a bug in the report writer")
    monkeypatch.setattr(crash, "write_crash_report", broken)
    try:
        raise RuntimeError("original")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    dlg = wait_for_dialog(qtbot, handler, "original")  # shown without a report
    assert dlg.errors[-1].report is None
    assert "Could not write a crash report" in log_text()


# ------------------------------------------------------------------------ crash reports

def test_crash_reports_are_written_listed_and_acknowledged():
    assert crash.pending_crash_reports() == []
    a = crash.write_crash_report(f"Traceback ...\nValueError: pass_phrase={PASSPHRASE}", "Unhandled exception")
    b = crash.write_crash_report("Traceback ...\nKeyError: 'x'", "Unhandled exception")
    assert a.parent == paths.log_dir() and a.name.startswith("crash-") and a.suffix == ".txt"
    assert a != b
    assert crash.pending_crash_reports() == [a, b]
    text = a.read_text()
    assert "ociconsole crash report" in text and "Versions: ociconsole" in text and PASSPHRASE not in text
    crash.mark_crash_reports_seen([a])
    assert crash.pending_crash_reports() == [b]
    crash.mark_crash_reports_seen()
    assert crash.pending_crash_reports() == []


def test_reports_are_pruned(monkeypatch):
    monkeypatch.setattr(crash, "MAX_REPORTS", 3)
    made = [crash.write_crash_report(f"error {i}") for i in range(5)]
    left = crash.pending_crash_reports()
    assert left == made[-3:]


def test_a_shown_error_is_not_pending_at_the_next_start(qtbot, handler):
    QTimer.singleShot(0, lambda: {}["missing"])
    dlg = wait_for_dialog(qtbot, handler, "missing")
    assert dlg.errors[-1].report.exists()
    assert crash.pending_crash_reports() == []


def test_an_unshown_error_is_pending(qapp):
    """An error in a thread that ends the process before the dialog can show stays pending."""
    h = crash.CrashHandler(qapp)
    try:
        raise RuntimeError("at shutdown")
    except RuntimeError:
        info = h.handle(*sys.exc_info(), context="Unhandled exception")
    assert crash.pending_crash_reports() == [info.report]
    QtCore.QCoreApplication.removePostedEvents(h)  # the process "ended" before the dialog could show
    h.deleteLater()
    qapp.processEvents()
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, crash.ErrorDialog)]


def test_a_hard_crash_in_the_previous_run_becomes_a_pending_report(qapp):
    fatal = paths.log_dir() / crash.FATAL_LOG
    fatal.write_text("Fatal Python error: none_dealloc\n\nCurrent thread 0x00007f (most recent call first):\n"
                     '  File "chart.py", line 12 in paintEvent\n')
    was_enabled = faulthandler.is_enabled()
    crash.install(qapp)
    try:
        assert faulthandler.is_enabled()
        pending = crash.pending_crash_reports()
        assert len(pending) == 1
        text = pending[0].read_text()
        assert "stopped unexpectedly" in text and "none_dealloc" in text
        assert fatal.exists() and fatal.stat().st_size == 0  # ready for this run
    finally:
        crash.uninstall()
        crash.teardown_logging()
    assert not fatal.exists()  # a clean exit leaves none
    assert faulthandler.is_enabled() == was_enabled


def test_uninstall_restores_the_hooks(qapp):
    before = (sys.excepthook, threading.excepthook)
    crash.install(qapp, fatal_log=False)
    assert sys.excepthook != before[0] and threading.excepthook != before[1]
    crash.install(qapp, fatal_log=False)  # installing again replaces, does not stack
    crash.uninstall()
    crash.teardown_logging()
    assert (sys.excepthook, threading.excepthook) == before
    assert crash.current() is None
