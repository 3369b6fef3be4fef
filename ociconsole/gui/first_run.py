"""The first-run dialog, shown when no OCI config file is found.

Three ways to start, one page each:

- "Try the demo sandbox": the embedded emulator, no account needed.
- "Use an existing OCI config file…": pick a file (non-modal file dialog), then one of
  its profiles (API key or session token, with the token's expiry and any problem
  `check_profile` finds).
- "Create an API-key profile": OCIDs (checked as you type), region, and a key — an
  existing private key, or a new pair generated next to the config file whose PUBLIC key
  is shown with the instructions to add it in the OCI Console. The fingerprint is always
  computed from the key. Save writes the profile with `write_api_key_profile` (never the
  passphrase; that can go to the system keyring) — the config file is not touched before.

The outcome is the signal `chosen(FirstRunChoice)`; then the dialog accepts. Errors are
shown next to what caused them and nothing typed is lost. Open it with `open()`.
"""

from __future__ import annotations

import html
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core import secrets
from ..core.config import (
    DEFAULT_PROFILE,
    REGIONS,
    Profile,
    check_profile,
    fingerprint_of_key,
    generate_key_pair,
    key_needs_passphrase,
    load_private_key,
    public_pem_of,
    read_profiles,
    resolve_config_path,
    resolve_profile_name,
    token_expiry_text,
    write_api_key_profile,
)
from ..core.errors import OciError
from . import widgets
from .forms.ui_first_run import Ui_FirstRunDialog
from .qt import (
    QApplication,
    QColor,
    QDialog,
    QFileDialog,
    QFont,
    QFontMetrics,
    QIcon,
    QLabel,
    QListWidgetItem,
    QPalette,
    QRect,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QtCore,
    QTimer,
    QWidget,
    Signal,
)

log = logging.getLogger(__name__)

PROFILE_ROLE = Qt.ItemDataRole.UserRole + 1
LINES_ROLE = Qt.ItemDataRole.UserRole + 2  # [(text, "title" | "detail" | "problem")]


@dataclass(frozen=True)
class FirstRunChoice:
    """What the person chose: the demo sandbox, or a profile of a config file.

    `passphrase` is set (in memory only) when a profile was just created with a
    passphrase-protected key, so the app need not ask for it again at once.
    """

    kind: str  # "demo" | "profile"
    config_path: str | None = None
    profile: str | None = None
    passphrase: str | None = field(default=None, repr=False, compare=False)


def first_run_needed(config_path: str | os.PathLike | None = None) -> bool:
    """True when there is no config file (where the oci CLI would look) or it holds no profile."""
    path = Path(config_path) if config_path else resolve_config_path()
    if not path.is_file():
        return True
    try:
        return not read_profiles(path)
    except OciError:
        return False  # a broken file is reported where it is used, not silently replaced


# ---------------------------------------------------------------- OCIDs

_OCID_REST = re.compile(r"[a-z0-9-]+\.[a-z0-9-]*(\.[a-z0-9-]+)*\.[a-z0-9]{10,}")


def ocid_problem(text: str, kind: str, *, final: bool) -> str | None:
    """Why `text` is not a `kind` OCID ("user", "tenancy"), or None.

    While typing (`final=False`) an unfinished prefix or OCID is not an error yet.
    """
    t = text.strip()
    prefix = f"ocid1.{kind}."
    if not t:
        return f"Required: the {kind} OCID (it starts with {prefix})" if final else None
    if not final and (prefix.startswith(t) or t.startswith(prefix)):
        return None
    if not t.startswith(prefix):
        m = re.match(r"ocid1\.([a-z]+)\.", t)
        if m:
            return f"This is a {m.group(1)} OCID; a {kind} OCID starts with {prefix}"
        return f"A {kind} OCID starts with {prefix}"
    if any(c.isspace() for c in t):
        return "An OCID contains no spaces"
    if not _OCID_REST.fullmatch(t[len(prefix):]):
        return f"This {kind} OCID looks incomplete; copy it again from the OCI Console"
    return None


# ---------------------------------------------------------------- small helpers

def _icon(name: str) -> QIcon:
    try:
        from .icons import icon
        return icon(name)
    except Exception:
        return QIcon()






def _tilde(path: str | os.PathLike) -> str:
    """~/… for paths under the home directory (shorter to read)."""
    p = str(path)
    home = os.path.expanduser("~")
    if home and home != "/" and (p == home or p.startswith(home + os.sep)):
        return "~" + p[len(home):]
    return p


class _ProfileDelegate(QStyledItemDelegate):
    """A profile as two or three lines: name and region (bold), details (grey), a problem (red)."""

    PAD_X, PAD_Y, GAP = 10, 7, 2

    def _fonts(self, base: QFont) -> dict[str, QFont]:
        title = QFont(base)
        title.setBold(True)
        small = QFont(base)
        if small.pointSizeF() > 0:
            small.setPointSizeF(max(small.pointSizeF() - 1, 7.0))
        return {"title": title, "detail": small, "problem": small}

    def sizeHint(self, option, index):
        fonts = self._fonts(option.font)
        lines = index.data(LINES_ROLE) or []
        h = sum(QFontMetrics(fonts[k]).height() + self.GAP for _t, k in lines) - self.GAP + 2 * self.PAD_Y
        return QSize(200, max(h, 24))

    def paint(self, painter, option, index):
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        pal = opt.palette
        colours = {
            "title": pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text),
            "detail": pal.color(QPalette.ColorRole.HighlightedText) if selected
            else QColor(widgets.help_colour(widget)),
            "problem": pal.color(QPalette.ColorRole.HighlightedText) if selected
            else QColor(widgets.error_colour(widget)),
        }
        fonts = self._fonts(opt.font)
        rect = opt.rect.adjusted(self.PAD_X, self.PAD_Y, -self.PAD_X, -self.PAD_Y)
        y = rect.top()
        painter.save()
        for text, kind in index.data(LINES_ROLE) or []:
            fm = QFontMetrics(fonts[kind])
            painter.setFont(fonts[kind])
            painter.setPen(colours[kind])
            line = fm.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
            painter.drawText(QRect(rect.left(), y, rect.width(), fm.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), line)
            y += fm.height() + self.GAP
        painter.restore()


@dataclass
class _Key:
    """A private key the profile will use."""

    path: str
    passphrase: str | None = field(repr=False)
    fingerprint: str = ""
    public_pem: str = ""


# ---------------------------------------------------------------- the form's looks


def _bold(lab: QLabel, scale: float) -> None:
    f = QFont(lab.font())
    f.setBold(True)
    if f.pointSizeF() > 0:
        f.setPointSizeF(f.pointSizeF() * scale)
    lab.setFont(f)


def _as_help(lab: QLabel, visible: bool) -> None:
    """Grey, slightly smaller text (widgets.help_label's look)."""
    lab.setFont(widgets.small_font())
    lab.setStyleSheet(f"color: {widgets.help_colour(lab)};")
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    lab.setVisible(visible)


def _as_error(lab: QLabel) -> None:
    """Red text, hidden while empty (widgets.error_label's look)."""
    lab.setFont(widgets.small_font())
    lab.setStyleSheet(f"color: {widgets.error_colour(lab)};")
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    lab.setVisible(False)


# ---------------------------------------------------------------- the dialog

class FirstRunDialog(QDialog):
    """Choose how to start. Emits `chosen(FirstRunChoice)` and accepts; Cancel rejects.

    The layout comes from ui/first_run.ui (gui/forms/ui_first_run.py); the form's widgets keep
    the names of the attributes below."""

    chosen = Signal(object)

    PAGE_WELCOME, PAGE_PROFILES, PAGE_CREATE = range(3)

    def __init__(self, parent: QWidget | None = None, *, config_path: str | os.PathLike | None = None):
        super().__init__(parent)
        self.ui = Ui_FirstRunDialog()
        self.ui.setupUi(self)
        self.config_path = Path(config_path) if config_path else resolve_config_path()
        self.file_dialog: QFileDialog | None = None
        self.profiles_path: Path | None = None
        self.generated: _Key | None = None  # the pair made by "Generate", kept while the person stays
        self.existing: _Key | None = None  # the key file chosen, once it has been read
        self.keyring_available = secrets.available()
        self._adopt_form()
        self._connect()

        self._key_timer = QTimer(self)
        self._key_timer.setSingleShot(True)
        self._key_timer.setInterval(300)
        self._key_timer.timeout.connect(self.refresh_existing_key)
        self._key_mode_changed()
        self.show_page(self.PAGE_WELCOME)

    # ============================================================ the form (ui/first_run.ui)
    def _adopt_form(self) -> None:
        u = self.ui
        self.pages = u.pages
        # welcome
        self.welcome_text = u.welcomeText
        self.welcome_text.setText(
            f"No OCI configuration was found at <b>{html.escape(_tilde(self.config_path))}</b>. How would you like "
            "to start? You can add and switch profiles later.")
        self.demo_button, self.existing_button, self.create_button = u.demoButton, u.existingButton, u.createButton
        for b, name in ((self.demo_button, "app"), (self.existing_button, "tenancy"), (self.create_button, "user")):
            b.setIcon(_icon(name))
            f = QFont(b.font())
            if f.pointSizeF() > 0:
                f.setPointSizeF(f.pointSizeF() * 1.12)
            b.setFont(f)
            b.setIconSize(QSize(32, 32))
            b.setMinimumHeight(70)
            b.setObjectName("choiceCard")
        self.setStyleSheet(
            "QCommandLinkButton#choiceCard { border: 1px solid palette(mid); border-radius: 6px; padding: 10px; }"
            "QCommandLinkButton#choiceCard:hover, QCommandLinkButton#choiceCard:focus "
            "{ border: 1px solid palette(highlight); }")
        # profiles
        self.profiles_path_label, self.profiles_error = u.profilesPathLabel, u.profilesError
        self.profiles_path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.profile_list, self.profile_problem, self.use_button = u.profileList, u.profileProblem, u.useButton
        self.profile_list.setItemDelegate(_ProfileDelegate(self.profile_list))
        self.profile_list.setUniformItemSizes(False)
        # create
        self.user_edit, self.user_error = u.userEdit, u.userError
        self.tenancy_edit, self.tenancy_error = u.tenancyEdit, u.tenancyError
        self.region_combo = u.regionCombo
        for rid, name in REGIONS:
            self.region_combo.addItem(name, rid)  # the SDK gives no display names: the identifier (key, realm)
        self.region_combo.setCurrentIndex(max(0, self.region_combo.findData("us-ashburn-1")))  # as before: IAD first
        self.generate_radio, self.existing_radio = u.generateRadio, u.existingRadio
        self.generate_panel, self.existing_panel = u.generatePanel, u.existingPanel
        self.new_passphrase_edit, self.confirm_passphrase_edit = u.newPassphraseEdit, u.confirmPassphraseEdit
        self.confirm_error, self.generate_button, self.generate_note = u.confirmError, u.generateButton, u.generateNote
        self.generate_button.setIcon(_icon("create"))
        self.key_edit, self.key_passphrase_edit = u.keyEdit, u.keyPassphraseEdit
        self.fingerprint_edit, self.key_error = u.fingerprintEdit, u.keyError
        self.fingerprint_edit.setFont(widgets.monospace_font())
        self.remember_check, self.remember_note = u.rememberCheck, u.rememberNote
        self.public_panel, self.public_instructions = u.publicPanel, u.publicInstructions
        self.public_key_view = u.publicKeyView
        self.public_key_view.text_edit.setMinimumHeight(120)
        self.public_key_view.text_edit.setMaximumHeight(170)
        self.public_panel.setVisible(False)
        self.name_edit, self.name_error, self.name_note = u.nameEdit, u.nameError, u.nameNote
        self.name_edit.setText(DEFAULT_PROFILE)
        self.config_edit, self.config_error = u.configEdit, u.configError
        self.config_edit.setText(_tilde(self.config_path))
        self.save_error, self.save_button = u.saveError, u.saveButton
        # the looks the widgets module gives headings, help and error text
        for lab, scale in ((u.welcomeHeading, 1.6), (u.profilesHeading, 1.35), (u.createHeading, 1.35)):
            _bold(lab, scale)
        for lab in (self.welcome_text, u.createIntro, self.public_instructions):
            lab.setTextFormat(Qt.TextFormat.RichText)
            lab.setOpenExternalLinks(True)
        for lab in (u.envHelp, self.generate_note, self.name_note, self.remember_note):
            _as_help(lab, bool(lab.text()))
        for lab in (self.profiles_error, self.profile_problem, self.user_error, self.tenancy_error, self.confirm_error,
                    u.keyPathError, self.key_error, self.name_error, self.config_error, self.save_error):
            _as_error(lab)
        if not self.keyring_available:
            self.remember_check.setEnabled(False)
            widgets.set_message(self.remember_note, "No system keyring is available: you will be asked for the "
                                                    "passphrase each session.")

    def _connect(self) -> None:
        u = self.ui
        for b in (u.welcomeCancelButton, u.profilesCancelButton, u.createCancelButton):
            b.clicked.connect(self.reject)
        for b in (u.profilesBackButton, u.createBackButton):
            b.setIcon(_icon("back"))
            b.clicked.connect(lambda: self.show_page(self.PAGE_WELCOME))
        self.demo_button.clicked.connect(self.choose_demo)
        self.existing_button.clicked.connect(self.browse_config_file)
        self.create_button.clicked.connect(self.start_create)
        u.otherFileButton.clicked.connect(self.browse_config_file)
        self.profile_list.currentItemChanged.connect(lambda *_: self._profile_selected())
        self.profile_list.itemDoubleClicked.connect(lambda _i: self.use_profile())
        self.use_button.clicked.connect(self.use_profile)
        for edit, err, kind in ((self.user_edit, self.user_error, "user"),
                                (self.tenancy_edit, self.tenancy_error, "tenancy")):
            edit.textChanged.connect(lambda t, e=err, k=kind: widgets.set_message(e, ocid_problem(t, k, final=False)))
            edit.editingFinished.connect(
                lambda ed=edit, e=err, k=kind: ed.text().strip() and widgets.set_message(
                    e, ocid_problem(ed.text(), k, final=True)))
        self.generate_button.clicked.connect(self.generate_keys)
        u.browseKeyButton.clicked.connect(self.browse_key_file)
        self.key_edit.textChanged.connect(lambda _t: self._key_timer.start())
        self.key_edit.editingFinished.connect(self.refresh_existing_key)
        self.key_passphrase_edit.textChanged.connect(lambda _t: self._key_timer.start())
        self.key_passphrase_edit.editingFinished.connect(self.refresh_existing_key)
        self.generate_radio.toggled.connect(lambda _on: self._key_mode_changed())
        u.browseConfigButton.clicked.connect(self.browse_save_path)
        self.name_edit.textChanged.connect(lambda _t: self._check_profile_name())
        self.config_edit.textChanged.connect(lambda _t: self._check_profile_name())
        self.config_edit.textChanged.connect(lambda _t: self._update_generate_note())
        for edit in (self.user_edit, self.tenancy_edit, self.name_edit, self.config_edit, self.key_edit,
                     self.key_passphrase_edit, self.new_passphrase_edit, self.confirm_passphrase_edit):
            edit.textEdited.connect(lambda _t: widgets.set_message(self.save_error, None))
        self.generate_radio.toggled.connect(lambda _on: widgets.set_message(self.save_error, None))
        self.confirm_passphrase_edit.textEdited.connect(lambda _t: widgets.set_message(self.confirm_error, None))
        self.save_button.clicked.connect(self.save)

    # ============================================================ pages
    def show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        titles = {self.PAGE_WELCOME: "Welcome to OCI Console", self.PAGE_PROFILES: "Choose a profile",
                  self.PAGE_CREATE: "Create an API-key profile"}
        self.setWindowTitle(titles[page])
        focus = {self.PAGE_WELCOME: self.demo_button, self.PAGE_PROFILES: self.profile_list,
                 self.PAGE_CREATE: self.user_edit}[page]
        focus.setFocus()
        for b in (self.use_button, self.save_button):
            b.setDefault(False)
        if page == self.PAGE_PROFILES:
            self.use_button.setDefault(True)
        elif page == self.PAGE_CREATE:
            self.save_button.setDefault(True)


    # ------------------------------------------------------------ welcome
    def choose_demo(self) -> None:
        self._finish(FirstRunChoice("demo"))

    def _finish(self, choice: FirstRunChoice) -> None:
        log.info("first run: %s", choice)
        self.chosen.emit(choice)
        self.accept()

    # ------------------------------------------------------------ existing config file
    def _start_dir(self) -> str:
        for d in (self.config_path.parent, Path.home() / ".oci", Path.home()):
            if d.is_dir():
                return str(d)
        return str(Path.home())

    def browse_config_file(self) -> None:
        """A non-modal file dialog; `fileSelected` loads the file's profiles."""
        fd = QFileDialog(self, "Choose an OCI config file", self._start_dir())
        fd.setFileMode(QFileDialog.FileMode.ExistingFile)
        fd.setNameFilters(["All files (*)"])
        fd.setFilter(fd.filter() | QtCore.QDir.Filter.Hidden)  # ~/.oci is a hidden directory
        fd.fileSelected.connect(self.load_config_file)
        fd.finished.connect(fd.deleteLater)
        self.file_dialog = fd
        fd.open()


    def load_config_file(self, path: str | os.PathLike) -> bool:
        """Show the profiles of `path` (or what is wrong with it). True when it has profiles."""
        path = Path(path)
        self.profiles_path = path
        self.profiles_path_label.setText(f"Profiles in <b>{html.escape(_tilde(path))}</b>")
        self.profile_list.clear()
        widgets.set_message(self.profile_problem, None)
        self.show_page(self.PAGE_PROFILES)
        try:
            profiles = read_profiles(path)
        except OciError as e:
            widgets.set_message(self.profiles_error, f"{e.message}\nChoose another file, or fix this one and "
                                                     "choose it again.")
            self.profile_list.setVisible(False)
            self._profile_selected()
            return False
        if not profiles:
            widgets.set_message(self.profiles_error, "This file has no profiles. Choose another file, or go back "
                                                     "and create a profile.")
            self.profile_list.setVisible(False)
            self._profile_selected()
            return False
        widgets.set_message(self.profiles_error, None)
        self.profile_list.setVisible(True)
        wanted = resolve_profile_name()
        current: QListWidgetItem | None = None
        for p in profiles:
            details, problem = self.profile_details(p)
            item = QListWidgetItem(p.describe(), self.profile_list)
            item.setData(PROFILE_ROLE, p)
            item.setData(LINES_ROLE, [(p.describe(), "title"), (details, "detail")] +
                         ([(problem, "problem")] if problem else []))
            item.setToolTip("\n".join(x for x in (details, problem) if x))
            if current is None or p.name == wanted:
                current = item
        self.profile_list.setCurrentItem(current)
        self.profile_list.setFocus()
        return True

    @staticmethod
    def profile_details(p: Profile) -> tuple[str, str | None]:
        """(details line, problem or None) for a profile in the list."""
        bits = []
        if p.kind == "session_token":
            bits.append("session token, " + token_expiry_text(p.token_expiry()))
        else:
            bits.append(f"API key {p.fingerprint}" if p.fingerprint else "API key")
        if p.tenancy:
            bits.append(f"tenancy \u2026{p.tenancy[-8:]}")
        problem = None
        try:
            check_profile(p)
        except OciError as e:
            problem = e.message
        if problem is None and p.kind == "session_token" and token_expiry_text(p.token_expiry()) == "expired":
            problem = (f"The session token has expired: run 'oci session refresh --profile {p.name}' "
                       f"(or 'oci session authenticate') first.")
        return " \u00b7 ".join(bits), problem

    def selected_profile(self) -> Profile | None:
        item = self.profile_list.currentItem()
        return item.data(PROFILE_ROLE) if item is not None else None

    def _profile_selected(self) -> None:
        p = self.selected_profile()
        problem = self.profile_details(p)[1] if p else None
        widgets.set_message(self.profile_problem, None)
        self.use_button.setEnabled(p is not None and problem is None)
        if problem:
            widgets.set_message(self.profile_problem, f"\u201c{p.name}\u201d cannot be used yet: {problem}")

    def use_profile(self) -> None:
        p = self.selected_profile()
        if p is None or not self.use_button.isEnabled():
            return
        self._finish(FirstRunChoice("profile", p.path, p.name))

    # ------------------------------------------------------------ create a profile
    def start_create(self) -> None:
        self.show_page(self.PAGE_CREATE)
        self._check_profile_name()


    # -- key handling
    def _config_dir(self) -> Path:
        raw = self.config_edit.text().strip() or str(self.config_path)
        return Path(os.path.expanduser(raw)).parent

    def _free_key_name(self, directory: Path) -> str:
        n = 1
        while True:
            name = "oci_api_key" if n == 1 else f"oci_api_key_{n}"
            if not (directory / f"{name}.pem").exists() and not (directory / f"{name}_public.pem").exists():
                return name
            n += 1

    def _update_generate_note(self) -> None:
        if self.generated is not None:
            return
        d = self._config_dir()
        name = self._free_key_name(d)
        widgets.set_message(self.generate_note, f"Writes {_tilde(d / (name + '.pem'))} and its public key.")

    def current_key(self) -> _Key | None:
        return self.generated if self.generate_radio.isChecked() else self.existing

    def _key_mode_changed(self) -> None:
        gen = self.generate_radio.isChecked()
        self.generate_panel.setEnabled(gen)
        self.existing_panel.setEnabled(not gen)
        if gen:
            self._update_generate_note()
            widgets.set_message(self.key_error, None)
        else:
            self.refresh_existing_key()
        self._show_key()

    def _show_key(self) -> None:
        key = self.current_key()
        self.fingerprint_edit.setText(key.fingerprint if key else "")
        self.public_panel.setVisible(key is not None)
        self.public_key_view.setText(key.public_pem if key else "")
        has_pass = bool(key and key.passphrase)
        self.remember_check.setVisible(has_pass)
        self.remember_note.setVisible(has_pass and not self.keyring_available)
        if key is not None:
            widgets.set_message(self.key_error, None)

    def generate_keys(self) -> None:
        pw, again = self.new_passphrase_edit.text(), self.confirm_passphrase_edit.text()
        if pw != again:
            widgets.set_message(self.confirm_error, "The passphrases do not match.")
            self.confirm_passphrase_edit.setFocus()
            return
        widgets.set_message(self.confirm_error, None)
        directory = self._config_dir()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            priv, _pub, fp = generate_key_pair(directory, self._free_key_name(directory), pw or None)
            pem = public_pem_of(load_private_key(str(priv), pw or None))
        except OciError as e:
            widgets.set_message(self.key_error, e.message)
            return
        except OSError as e:
            widgets.set_message(self.key_error, f"Cannot write the key pair in {directory}: {e.strerror or e}")
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.generated = _Key(str(priv), pw or None, fp, pem)
        self.generate_button.setText("Generate another key pair")
        widgets.set_message(self.generate_note, f"Private key: {_tilde(priv)}" +
                            (" (protected by the passphrase)" if pw else ""))
        self.key_edit.setText(str(priv))  # shown if the person switches to "existing"
        self.key_passphrase_edit.setText(pw)
        self._key_timer.stop()
        self.existing = self.generated
        self._show_key()
        self.public_key_view.text_edit.setFocus()

    def refresh_existing_key(self) -> None:
        """Read the chosen key file: fingerprint and public key, or what is wrong with it."""
        self._key_timer.stop()
        if self.generate_radio.isChecked():
            return
        raw = self.key_edit.text().strip()
        self.existing = None
        if not raw:
            widgets.set_message(self.key_error, None)
            self._show_key()
            return
        path = os.path.expanduser(raw)
        error = None
        self.key_passphrase_edit.setEnabled(True)
        try:
            needs = key_needs_passphrase(path)
            self.key_passphrase_edit.setEnabled(needs)
            pw = self.key_passphrase_edit.text() if needs else None
            if needs and not pw:
                error = "This key is protected by a passphrase: enter it to read the fingerprint."
            else:
                key = load_private_key(path, pw)
                self.existing = _Key(path, pw, fingerprint_of_key(key), public_pem_of(key))
        except OciError as e:
            if e.code == "WrongPassphrase":
                error = "Wrong passphrase for this key."
            elif e.code == "InvalidPrivateKey" and _looks_public(path):
                error = "This is a public key: choose the private key (the .pem file without \u201c_public\u201d)."
            elif e.code == "InvalidPrivateKey":
                error = "This file is not a PEM private key."
            else:
                error = e.message
        self._show_key()
        widgets.set_message(self.key_error, error)

    def browse_key_file(self) -> None:
        start = self.key_edit.text().strip() or str(self._config_dir())
        fd = QFileDialog(self, "Choose your API private key", os.path.expanduser(start))
        fd.setFileMode(QFileDialog.FileMode.ExistingFile)
        fd.setNameFilters(["PEM keys (*.pem)", "All files (*)"])
        fd.setFilter(fd.filter() | QtCore.QDir.Filter.Hidden)
        fd.fileSelected.connect(lambda p: (self.key_edit.setText(p), self.refresh_existing_key()))
        fd.finished.connect(fd.deleteLater)
        self.file_dialog = fd
        fd.open()

    def browse_save_path(self) -> None:
        fd = QFileDialog(self, "Save the profile in", os.path.expanduser(self.config_edit.text().strip() or "~"))
        fd.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        fd.setOption(QFileDialog.Option.DontConfirmOverwrite)  # profiles are added to a file, not replacing it
        fd.setFilter(fd.filter() | QtCore.QDir.Filter.Hidden)
        fd.fileSelected.connect(self.config_edit.setText)
        fd.finished.connect(fd.deleteLater)
        self.file_dialog = fd
        fd.open()

    # -- the profile's name and file
    def _check_profile_name(self) -> bool:
        """Inline checks of the name and file; True when Save may write."""
        name = self.name_edit.text().strip()
        ok = True
        widgets.set_message(self.name_note, None)
        if not name:
            widgets.set_message(self.name_error, "Required (the oci CLI uses DEFAULT unless told otherwise).")
            ok = False
        elif any(c in name for c in "[]"):
            widgets.set_message(self.name_error, "A profile name cannot contain [ or ].")
            ok = False
        else:
            widgets.set_message(self.name_error, None)
        raw = self.config_edit.text().strip()
        widgets.set_message(self.config_error, None)
        if not raw:
            widgets.set_message(self.config_error, "Required.")
            return False
        path = Path(os.path.expanduser(raw))
        if path.is_dir():
            widgets.set_message(self.config_error, "This is a directory; name a file (e.g. ~/.oci/config).")
            return False
        if path.exists():
            try:
                names = [p.name for p in read_profiles(path)]
            except OciError as e:
                widgets.set_message(self.config_error, f"{e.message}. Fix it or choose another file: it is not "
                                                       "changed while it cannot be read.")
                return False
            if ok and name in names:
                widgets.set_message(self.name_note, f"{_tilde(path)} already has a profile \u201c{name}\u201d: "
                                                    "saving replaces it.")
        return ok

    # -- save
    def save(self) -> bool:
        """Validate everything, write the profile, emit `chosen`. False (with inline errors) otherwise."""
        widgets.set_message(self.save_error, None)
        first_bad: QWidget | None = None
        problems = {}
        for edit, err, kind in ((self.user_edit, self.user_error, "user"),
                                (self.tenancy_edit, self.tenancy_error, "tenancy")):
            problems[kind] = ocid_problem(edit.text(), kind, final=True)
            widgets.set_message(err, problems[kind])
            if problems[kind] and first_bad is None:
                first_bad = edit
        key = self.current_key()
        if key is None:
            if self.generate_radio.isChecked():
                widgets.set_message(self.key_error, "Generate a key pair, or choose an existing private key.")
            elif not self.key_error.text():
                widgets.set_message(self.key_error, "Choose the private key file.")
            if first_bad is None:
                first_bad = self.generate_button if self.generate_radio.isChecked() else self.key_edit
        if not self._check_profile_name() and first_bad is None:
            first_bad = self.name_edit if self.name_error.text() else self.config_edit
        if first_bad is not None:
            widgets.set_message(self.save_error, "Fix the fields marked in red, then save again.")
            first_bad.setFocus()
            return False
        assert key is not None
        name = self.name_edit.text().strip()
        path = os.path.expanduser(self.config_edit.text().strip())
        try:
            profile = write_api_key_profile(
                path, name, user=self.user_edit.text().strip(), tenancy=self.tenancy_edit.text().strip(),
                region=self.region_combo.currentData(), key_file=key.path, fingerprint=key.fingerprint,
                passphrase=key.passphrase)
        except OciError as e:
            widgets.set_message(self.save_error, f"Not saved: {e.message}")
            return False
        except OSError as e:
            widgets.set_message(self.save_error, f"Not saved: cannot write {path}: {e.strerror or e}")
            return False
        if key.passphrase and self.remember_check.isEnabled() and self.remember_check.isChecked():
            if not secrets.set_passphrase(profile.path, profile.name, key.passphrase):
                log.warning("the passphrase of profile %s could not be stored in the keyring", profile.name)
        self._finish(FirstRunChoice("profile", profile.path, profile.name, passphrase=key.passphrase))
        return True


def _looks_public(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    return b"PUBLIC KEY" in head or head.startswith(b"ssh-")
