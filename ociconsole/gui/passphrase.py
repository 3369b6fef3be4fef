"""Unlocking a profile's passphrase-protected API key.

`PassphraseDialog` asks for the passphrase (masked), checks it against the key file
itself, says "Wrong passphrase" inline and lets the person try again as often as they
like. On success it emits `accepted_passphrase(str)` and, when asked to, remembers the
passphrase in the system keyring (never in settings or files).

`resolve_passphrase(profile)` finds a passphrase without asking: one remembered in the
keyring (forgotten again if it no longer opens the key), else a `pass_phrase` written in
the config file by the oci CLI.

Open the dialog with `open()` (never `exec()`: it would stall the qasync loop).
"""

from __future__ import annotations

import logging

from ..core import secrets
from ..core.config import Profile, key_needs_passphrase, load_private_key, pass_phrase_in_file
from ..core.errors import OciError, loggable
from . import widgets
from .qt import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFont,
    QFormLayout,
    QLabel,
    QLineEdit,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

log = logging.getLogger(__name__)

NO_KEYRING = "No system keyring is available: you will be asked each session."
WRONG = "Wrong passphrase. Try again (is Caps Lock on?)"


def resolve_passphrase(profile: Profile) -> str | None:
    """A passphrase that opens the profile's key without asking, or None.

    The keyring comes first; a remembered passphrase that no longer opens the key (the key
    was replaced or re-encrypted) is forgotten. Then a `pass_phrase` in the config file.
    """
    if not profile.key_file:
        return None
    try:
        if not key_needs_passphrase(profile.key_file):
            secrets.forget_passphrase(profile.path, profile.name)  # stale: the key is not encrypted (any more)
            return None
    except OciError as e:
        log.debug("key file not checked for a passphrase: %s", loggable(e))
        return None  # missing or unreadable key: the connection reports that, the keyring stays as it is
    stored = secrets.get_passphrase(profile.path, profile.name)
    if stored:
        if _opens(profile.key_file, stored):
            return stored
        log.info("forgetting the remembered passphrase of profile %s: it no longer opens the key", profile.name)
        secrets.forget_passphrase(profile.path, profile.name)
    in_file = pass_phrase_in_file(profile)
    if in_file and _opens(profile.key_file, in_file):
        return in_file
    return None


def _opens(key_file: str, passphrase: str) -> bool:
    try:
        load_private_key(key_file, passphrase)
        return True
    except OciError:
        return False


class PassphraseDialog(QDialog):
    """Ask for the passphrase of `profile`'s key. Emits `accepted_passphrase(str)` once it opens the key."""

    accepted_passphrase = Signal(str)

    def __init__(self, profile: Profile, parent: QWidget | None = None):
        super().__init__(parent)
        self.profile = profile
        self.attempts = 0
        self.setWindowTitle("Unlock API key")
        self.setMinimumWidth(460)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 18, 20, 14)
        lay.setSpacing(10)

        self.heading = heading = QLabel(f"Passphrase for profile \u201c{profile.name}\u201d", self)
        f = QFont(heading.font())
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.2 if f.pointSizeF() > 0 else 12)
        heading.setFont(f)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(heading)

        intro = QLabel("The API signing key of this profile is protected by a passphrase. Enter it to connect.",
                       self)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.key_label = widgets.help_label(f"Key file: {profile.key_file}", self)
        self.key_label.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.key_label)

        form = QFormLayout()
        form.setContentsMargins(0, 6, 0, 0)
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setPlaceholderText("Passphrase")
        self.passphrase_edit.setAccessibleName("Passphrase")
        self.passphrase_edit.textEdited.connect(lambda _t: widgets.set_message(self.error_label, None))
        field = QVBoxLayout()
        field.setSpacing(3)
        field.addWidget(self.passphrase_edit)
        self.error_label = widgets.error_label(self)
        field.addWidget(self.error_label)
        form.addRow("Passphrase:", field)
        lay.addLayout(form)

        self.remember_check = QCheckBox("Remember in the system keyring", self)
        self.keyring_note = widgets.help_label("", self)
        if secrets.available():
            self.remember_check.setToolTip("Stored in the operating system's keyring, never in a file; "
                                           "you will not be asked again on this computer.")
        else:
            self.remember_check.setEnabled(False)
            widgets.set_message(self.keyring_note, NO_KEYRING)
        lay.addWidget(self.remember_check)
        lay.addWidget(self.keyring_note)
        lay.addStretch(1)

        self.buttons = QDialogButtonBox(self)
        self.unlock_button = self.buttons.addButton("Unlock", QDialogButtonBox.ButtonRole.AcceptRole)
        self.unlock_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_unlock)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.passphrase_edit.setFocus()

    # ------------------------------------------------------------ the check
    def try_unlock(self) -> bool:
        """Check the typed passphrase against the key; True (and the dialog accepted) when it opens it."""
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self._fail("Enter the passphrase.")
            return False
        self.attempts += 1
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            load_private_key(self.profile.key_file or "", passphrase)
        except OciError as e:
            self._fail(WRONG if e.code == "WrongPassphrase" else e.message)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        if self.remember_check.isEnabled() and self.remember_check.isChecked():
            if not secrets.set_passphrase(self.profile.path, self.profile.name, passphrase):
                log.warning("the passphrase of profile %s could not be stored in the keyring", self.profile.name)
        self.passphrase_edit.clear()  # the widget does not keep the secret once it is handed over
        widgets.set_message(self.error_label, None)
        self.accepted_passphrase.emit(passphrase)
        self.accept()
        return True

    def _fail(self, message: str) -> None:
        widgets.set_message(self.error_label, message)
        self.passphrase_edit.selectAll()
        self.passphrase_edit.setFocus()
