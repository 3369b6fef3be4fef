"""Issue 18, item 7: a wrong key is not an outage. After the 401 the status bar says what is wrong
(which part of the profile to check) instead of "Cannot reach … retrying", offers to fix the profile
(the profile set-up dialog opens), and the tree shows the error instead of "Loading…"."""

from __future__ import annotations

from ociconsole.gui.first_run import FirstRunDialog
from ociconsole.gui.qt import QMessageBox, Qt

from ..gui.helpers import click, top_level
from ..resilience.test_credentials import close, start, tenancy, visible_box  # noqa: F401 - fixture
from .helpers import shot


def test_wrong_key_says_what_is_wrong_and_offers_to_fix(qtbot, aloop, tenancy):  # noqa: F811
    console = start(qtbot, tenancy, "WRONGKEY")
    w = console.window
    qtbot.waitUntil(lambda: visible_box() is not None, timeout=10_000)
    box = visible_box()
    box.close()
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=2000)
    qtbot.wait(3500)  # a probe every 3 s would have run by now
    text = w.endpoint_label.text()
    assert "Cannot reach" not in text and "retrying" not in text, text
    assert "401" in text and "fingerprint" in text and "user" in text, text
    assert w.endpoint_label.isVisible()
    assert not w._probe.isActive()
    root = w.tree_model.index(0, 0)
    assert "Loading" not in root.data() and "fix the profile" in root.data(), root.data()
    shot(w, "newcomer-7")
    # the way out: the profile set-up
    assert w.fix_profile_button.isVisible()
    click(qtbot, w.fix_profile_button)
    qtbot.waitUntil(lambda: top_level(FirstRunDialog) is not None, timeout=5000)
    dlg = top_level(FirstRunDialog)
    dlg.close()
    assert not any(isinstance(x, QMessageBox) and x.isVisible() for x in [visible_box()])
    _ = Qt
    close(console)
