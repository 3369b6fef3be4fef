"""The one generic create dialog: renders any catalog `FormSpec` (no per-form widgets).

Page 1 is the form: one row per field, typed widgets, options loaded from the service
(cancelled when stale), dependent fields reloading/recomputing as their inputs change,
inline validation (`FormSpec.errors`) under each field. Page 2 is the review: a summary of
what will be created and the equivalent `oci` CLI command and Python SDK code.

Submitting runs `execute.run_create` as a background task that outlives the dialog: as
soon as the service accepts the request the dialog closes (`submitted(op)` is emitted) and
tracking continues in the activity log. A refused request keeps the dialog open with the
error and every value. The request carries a retry token made when the dialog opens;
resubmitting an unchanged request reuses it (never a duplicate), a changed request gets a
new one (a reused token with a different body is refused by OCI with 409).

A form whose answer holds a secret OCI shows only once (`FormSpec.reveal`: an auth token, a secret key)
does not close when accepted: page 3 shows the values, read-only, each with a Copy button (Ctrl+C copies
the focused one whole), and a Close button (Esc closes too). The secret is cleared from the answer before
the operation records it (`forms.take_secrets`), registered with the crash reporter's redaction so that no
log line or report can carry it, and wiped from the page when the dialog closes.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from ..catalog import execute, forms, terraform
from ..catalog.forms import Field, FormContext, FormSpec, Option
from ..catalog.model import ResourceKind
from ..core.errors import OciError
from ..core.operations import OperationLog
from ..i18n import t as ct
from ..services import identity as idsvc
from . import aio
from . import qt as _qt
from .crash import register_secret
from .qt import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFont,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    Qt,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .widgets import (
    DEPTH_ROLE,
    Banner,
    CodeView,
    IndentDelegate,
    NumberEdit,
    error_label,
    help_colour,
    help_label,
    monospace_font,
    production_label,
    set_message,
    warning_label,
)

translate = _qt.QtCore.QCoreApplication.translate  # FieldRow is no QObject: CreateDialog's context

log = logging.getLogger(__name__)
QTableWidget, QTableWidgetItem = _qt.QtWidgets.QTableWidget, _qt.QtWidgets.QTableWidgetItem

TEXT_TYPES = ("text", "password", "cidr")
MULTILINE_TYPES = ("textarea", "statements", "tags", "sshkey", "mql")
CHOICE_TYPES = ("enum", "choice")
MONO_TYPES = ("cidr", "statements", "sshkey", "tags", "mql")
MAX_KEY_FILE = 64 * 1024


# ---------------------------------------------------------------- compartments for pickers

def compartment_options(pairs) -> list[Option]:
    """Options for compartment pickers from (compartment, depth) pairs, root first (tree order)."""
    return [Option(c.id, c.name, c, depth) for c, depth in pairs]


async def load_compartment_options(session) -> list[Option]:
    """Every active compartment as picker options: the tenancy, then its subtree depth-first."""
    root, tree = await asyncio.gather(idsvc.get_compartment(session, session.tenancy_id),
                                      idsvc.compartment_tree(session))
    out = [Option(root.id, root.name, root, 0)]

    def walk(parent: str, depth: int) -> None:
        for c in tree.get(parent, []):
            out.append(Option(c.id, c.name, c, depth))
            walk(c.id, depth + 1)
    walk(root.id, 1)
    return out


def _paths(options: list[Option]) -> list[str]:
    """'root / a / b' for each option of a depth-ordered tree list."""
    out, stack = [], []
    for o in options:
        del stack[o.depth:]
        stack.append(o.label)
        out.append(" / ".join(stack))
    return out


def _short_key(line: str) -> str:
    parts = line.split()
    if len(parts) >= 2 and len(parts[1]) > 24:
        parts[1] = f"{parts[1][:12]}…{parts[1][-8:]}"
    return " ".join(parts)


# ---------------------------------------------------------------- one field

class RulesTable(QTableWidget):
    """The editor of a "rules" field: one row per rule, one column per `Field.options` entry
    (`Option(key, header, data)`: `data` a list of choices makes the cell a drop-down, None a text cell).
    Its value is a list of {key: text} dicts, rows with no text left out."""

    changed = Signal()

    def __init__(self, field: Field, parent: QWidget):
        self.columns: list[Option] = list(field.options or [])  # type: ignore[arg-type]
        super().__init__(0, len(self.columns), parent)
        self.setHorizontalHeaderLabels([c.label for c in self.columns])
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if self.columns:  # the last column takes the room left (long text there is not pushed out of sight)
            self.horizontalHeader().setSectionResizeMode(len(self.columns) - 1, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 8)
        self.itemChanged.connect(lambda _i: self.changed.emit())

    def add_row(self, values: dict | None = None) -> int:
        values = values or {}
        r = self.rowCount()
        self.blockSignals(True)
        self.insertRow(r)
        for c, col in enumerate(self.columns):
            v = values.get(col.value)
            if isinstance(col.data, list):
                combo = QComboBox(self)
                combo.addItems([str(x) for x in col.data])
                if v is not None and str(v) in col.data:
                    combo.setCurrentText(str(v))
                combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
                self.setCellWidget(r, c, combo)
            else:
                self.setItem(r, c, QTableWidgetItem("" if v is None else str(v)))
        self.blockSignals(False)
        self.changed.emit()
        return r

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.selectedIndexes()} or ({self.currentRow()} - {-1}), reverse=True)
        for r in rows:
            self.removeRow(r)
        self.changed.emit()

    def cell_text(self, r: int, c: int) -> str:
        w = self.cellWidget(r, c)
        if isinstance(w, QComboBox):
            return w.currentText()
        item = self.item(r, c)
        return item.text().strip() if item is not None else ""

    def set_cell(self, r: int, key: str, text: str) -> None:
        c = next(i for i, col in enumerate(self.columns) if col.value == key)
        w = self.cellWidget(r, c)
        if isinstance(w, QComboBox):
            w.setCurrentText(text)
        else:
            self.item(r, c).setText(text)

    def rows(self) -> list[dict]:
        out = []
        for r in range(self.rowCount()):
            row = {col.value: self.cell_text(r, c) for c, col in enumerate(self.columns)}
            if any(row[col.value] for col in self.columns if not isinstance(col.data, list)):
                out.append(row)
        return out

    def set_rows(self, rows: list[dict]) -> None:
        self.setRowCount(0)
        for row in rows:
            self.add_row(row)

    @staticmethod
    def describe(field: Field, rows) -> str:
        cols = list(field.options or [])  # type: ignore[arg-type]
        return "\n".join("  ".join(str(r.get(c.value) or "-") for c in cols) for r in rows or [])


class SecretValue(QLineEdit):
    """A value of the "shown once" page: read-only, monospace; Ctrl+C copies all of it (no selection needed)."""

    def __init__(self, text: str, parent: QWidget):
        super().__init__(text, parent)
        self.setReadOnly(True)
        self.setFont(monospace_font())
        self.setCursorPosition(0)

    def copy_all(self) -> None:
        QApplication.clipboard().setText(self.text())

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_all()
            event.accept()
            return
        super().keyPressEvent(event)


class FieldRow:
    """The widgets of one field (label, editor, help, error) and its value as Python data."""

    def __init__(self, field: Field, dialog: CreateDialog, parent: QWidget):
        self.field = field
        self.dialog = dialog
        self.options: list[Option] = []
        self.paths: list[str] = []
        self.placeholder: str | None = None  # a choice with no real options shows this text
        self.load_error: str | None = None
        self.wanted = None  # value to select when options arrive
        self._setting = False
        t = field.type

        label = "" if t == "bool" else translate("CreateDialog", "{label}:").format(label=ct(field.label))
        self.label = QLabel(label, parent)
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.container = QWidget(parent)
        lay = QVBoxLayout(self.container)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(3)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(8)
        self.hint: QLabel | None = None
        self.load_button: QPushButton | None = None

        if t in CHOICE_TYPES or t == "compartment":
            ed = QComboBox(self.container)
            ed.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            ed.setMinimumContentsLength(28)
            ed.setMaxVisibleItems(18)
            ed.view().setTextElideMode(Qt.TextElideMode.ElideNone)
            if t == "compartment":
                ed.setItemDelegate(IndentDelegate(ed))
            ed.currentIndexChanged.connect(lambda _i: self._user_changed())
            top.addWidget(ed, 1)
        elif t == "number":
            ed = NumberEdit(self.container)
            ed.setFixedWidth(max(ed.sizeHint().width(), 120))
            ed.valueEdited.connect(self._user_changed)
            top.addWidget(ed)
            self.hint = QLabel("", self.container)
            self.hint.setStyleSheet(f"color: {help_colour(parent)};")
            top.addWidget(self.hint)
            top.addStretch(1)
        elif t == "bool":
            ed = QCheckBox(ct(field.label), self.container)
            ed.toggled.connect(lambda _b: self._user_changed())
            top.addWidget(ed, 1)
        elif t == "rules":
            ed = RulesTable(field, self.container)
            ed.changed.connect(self._user_changed)
            col = QVBoxLayout()
            col.setContentsMargins(0, 0, 0, 0)
            self.add_button = QPushButton(translate("CreateDialog", "Add rule"), self.container)
            self.remove_button = QPushButton(translate("CreateDialog", "Remove rule"), self.container)
            for b in (self.add_button, self.remove_button):
                b.setAutoDefault(False)
                col.addWidget(b)
            self.add_button.clicked.connect(lambda: ed.add_row())
            self.remove_button.clicked.connect(ed.remove_selected)
            col.addStretch(1)
            top.addWidget(ed, 1)
            top.addLayout(col)
        elif t in MULTILINE_TYPES:
            ed = QPlainTextEdit(self.container)
            ed.setTabChangesFocus(True)
            ed.setPlaceholderText(_placeholder(field))
            lines = 5 if t == "statements" else 3
            fm = ed.fontMetrics()
            ed.setFixedHeight(fm.lineSpacing() * lines + 14)
            if t in ("sshkey", "statements"):
                ed.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            ed.textChanged.connect(self._user_changed)
            if t == "sshkey":
                col = QVBoxLayout()
                col.setContentsMargins(0, 0, 0, 0)
                self.load_button = QPushButton(translate("CreateDialog", "Load file…"), self.container)
                self.load_button.setAutoDefault(False)
                self.load_button.clicked.connect(self.choose_key_file)
                col.addWidget(self.load_button)
                col.addStretch(1)
                top.addWidget(ed, 1)
                top.addLayout(col)
            else:
                top.addWidget(ed, 1)
        elif t in ("file", "savefile"):  # a local path, typed or picked
            ed = QLineEdit(self.container)
            ed.setPlaceholderText(_placeholder(field))
            ed.textChanged.connect(lambda _s: self._user_changed())
            self.load_button = QPushButton(translate("CreateDialog", "Browse…"), self.container)
            self.load_button.setAutoDefault(False)
            self.load_button.clicked.connect(self.choose_path)
            top.addWidget(ed, 1)
            top.addWidget(self.load_button)
        else:  # text, password, cidr and anything unknown: a line edit
            ed = QLineEdit(self.container)
            if t == "password":
                ed.setEchoMode(QLineEdit.EchoMode.Password)
            ed.setPlaceholderText(_placeholder(field))
            ed.textChanged.connect(lambda _s: self._user_changed())
            top.addWidget(ed, 1)
        if t in MONO_TYPES:
            ed.setFont(monospace_font())
        ed.setObjectName(f"field_{field.name}")
        ed.setAccessibleName(ct(field.label))
        if field.help:
            ed.setToolTip(ct(field.help))
        self.editor = ed
        self.label.setBuddy(ed)
        # the label's text lines up with the editor's (first) line
        self.label.setMinimumHeight(ed.sizeHint().height() if t not in MULTILINE_TYPES else _line_height())
        lay.addLayout(top)
        self.help = help_label(ct(field.help), self.container)
        self.error = error_label(self.container)
        self.warning = warning_label(self.container)  # Field.warning: allowed, but said loudly
        self.error.setTextFormat(Qt.TextFormat.RichText)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.error_message = ""
        self.error.linkActivated.connect(lambda _l: self.dialog._retry_load(self.field))
        lay.addWidget(self.help)
        lay.addWidget(self.error)
        lay.addWidget(self.warning)

    # ------------------------------------------------------------ value
    @property
    def is_choice(self) -> bool:
        return self.field.type in CHOICE_TYPES or self.field.type == "compartment"

    def value(self):
        t, ed = self.field.type, self.editor
        if self.is_choice:
            i = ed.currentIndex()
            if self.placeholder is not None or not 0 <= i < len(self.options):
                return None
            return self.options[i].value
        if t == "number":
            return ed.value()
        if t == "bool":
            return ed.isChecked()
        if t == "rules":
            return ed.rows() or None
        text = ed.toPlainText() if t in MULTILINE_TYPES else ed.text()
        return text if text.strip() else None

    def set_value(self, v) -> None:
        self._setting = True
        try:
            t, ed = self.field.type, self.editor
            if self.is_choice:
                i = self.index_of(v)
                if i >= 0 and self.placeholder is None:
                    ed.setCurrentIndex(i)
                else:
                    self.wanted = v
            elif t == "number":
                ed.setValue(v)
            elif t == "bool":
                ed.setChecked(bool(v))
            elif t == "rules":
                ed.set_rows(v or [])
            elif t in MULTILINE_TYPES:
                ed.setPlainText("" if v is None else str(v))
            else:
                ed.setText("" if v is None else str(v))
        finally:
            self._setting = False
        self._update_path()

    def display(self) -> str:
        """The value as a person reads it (option labels, not ids)."""
        v = self.value()
        t = self.field.type
        if v is None or v == "" and not self.is_choice:
            return ""
        if t == "compartment":
            i = self.editor.currentIndex()
            return self.paths[i] if 0 <= i < len(self.paths) else str(v)
        if self.is_choice:
            return self.editor.currentText()
        if t == "bool":
            return translate("CreateDialog", "Yes") if v else translate("CreateDialog", "No")
        if t == "password":
            return "•" * 8
        if t == "number":
            return f"{v:g}"
        if t == "sshkey":
            return "\n".join(_short_key(ln.strip()) for ln in str(v).splitlines() if ln.strip())
        if t == "rules":
            return RulesTable.describe(self.field, v)
        return str(v).strip()

    # ------------------------------------------------------------ options
    def index_of(self, v) -> int:
        return next((i for i, o in enumerate(self.options) if o.value == v), -1)

    def set_placeholder(self, text: str) -> None:
        self._setting = True
        try:
            self.placeholder = text
            self.editor.clear()
            self.editor.addItem(text)
            self.editor.setEnabled(False)
        finally:
            self._setting = False
        self._update_path()

    def set_options(self, options: list[Option], empty_text: str = "") -> None:
        """Fill the combo; select the wanted value, else keep the current one, else the default/first."""
        f = self.field
        keep = self.wanted if self.wanted is not None else self.value()
        self.wanted = None
        opts = list(options)
        if opts and not f.required and f.default is None and not any(o.value in (None, "") for o in opts):
            opts.insert(0, Option(None, translate("CreateDialog", "None")))
        self._setting = True
        try:
            self.editor.clear()
            self.options = opts
            self.paths = _paths(opts) if f.type == "compartment" else []
            if not opts:
                self.placeholder = empty_text or translate("CreateDialog", "No {what} to choose from").format(
                    what=_lower(ct(f.label)))
                self.editor.addItem(self.placeholder)
                self.editor.setEnabled(False)
                self.show_way_out(not empty_text)
                return
            self.show_way_out(False)
            self.placeholder = None
            for i, o in enumerate(opts):
                self.editor.addItem(ct(o.label))
                if o.depth:
                    self.editor.setItemData(i, o.depth, DEPTH_ROLE)
                if self.paths:
                    self.editor.setItemData(i, self.paths[i], Qt.ItemDataRole.ToolTipRole)
            self.editor.setEnabled(True)
            i = self.index_of(keep) if keep is not None else -1
            if i < 0 and f.default is not None:
                i = self.index_of(f.default)
            self.editor.setCurrentIndex(max(i, 0))
            view = self.editor.view()
            view.setMinimumWidth(min(max(view.sizeHintForColumn(0) + 24, self.editor.width()), 900))
        finally:
            self._setting = False
            self._update_path()

    def show_way_out(self, empty: bool) -> None:
        """An empty choice is no dead end: a line with the ways out (pick another compartment, create the
        missing thing here, where such things exist), links handled by the dialog (CreateDialog._way_out)."""
        label = getattr(self, "way_out", None)
        rows = self.dialog.rows if hasattr(self.dialog, "rows") else {}
        if any(rows[d].placeholder is not None and rows[d].field.type != "compartment"
               for d in self.field.depends_on if d in rows):
            empty = False  # empty because what it depends on is: that field says what to do
        if not empty:
            if label is not None:
                set_message(label, None)
            return
        if label is None:
            label = self.way_out = QLabel(self.container)
            label.setObjectName(f"wayout_{self.field.name}")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
            label.linkActivated.connect(lambda link: self.dialog._way_out(self.field, link))
            self.container.layout().addWidget(label)
        set_message(label, self.dialog._way_out_html(self.field))
        if self.field.empty_hint is not None:
            self.dialog._load_empty_hint(self.field)

    def _update_path(self) -> None:
        if self.field.type != "compartment":
            return
        i = self.editor.currentIndex()
        path = self.paths[i] if self.placeholder is None and 0 <= i < len(self.paths) else ""
        set_message(self.help, path or ct(self.field.help))

    # ------------------------------------------------------------ bounds, messages, visibility
    def set_visible(self, visible: bool) -> None:
        """Show or hide the whole row (label and field)."""
        if self.container.isHidden() == visible:
            self.label.setVisible(visible)
            self.container.setVisible(visible)

    @property
    def shown(self) -> bool:
        return not self.container.isHidden()

    def set_bounds(self, b) -> None:
        if self.field.type != "number":
            return
        self.editor.setBounds(b)
        if self.hint is not None:
            self.hint.setText(f"{b[0]:g} – {b[1]:g}" if b else "")

    def set_warning(self, text: str | None) -> None:
        set_message(self.warning, text)

    def set_error(self, text: str | None, link: bool = False) -> None:
        self.error_message = text or ""
        html = _escape(text).replace("\n", "<br>") if text else ""
        if text and link:
            html += " <a href='retry'>Retry</a>"
        set_message(self.error, html)

    def error_text(self) -> str:
        """The message shown under the field ("" when none)."""
        return self.error_message

    # ------------------------------------------------------------ edits
    def _user_changed(self) -> None:
        self._update_path()
        if not self._setting:
            self.dialog._field_changed(self.field.name, by_user=True)

    def choose_key_file(self) -> None:
        """Pick a public key file without blocking the loop (open() + fileSelected)."""
        import os
        dlg = QFileDialog(self.container, "Load SSH public key", os.path.expanduser("~/.ssh"),
                          "Public keys (*.pub);;All files (*)")
        dlg.setFileMode(QFileDialog.FileMode.ExistingFile)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.fileSelected.connect(self.load_key_file)
        dlg.open()
        self.file_dialog = dlg

    def choose_path(self) -> None:
        """Pick the file of a file / savefile field without blocking the loop (open() + fileSelected)."""
        import os
        save = self.field.type == "savefile"
        current = os.path.expanduser((self.editor.text() or "").strip())
        start = current if current and os.path.isdir(os.path.dirname(current) or ".") else os.path.expanduser("~")
        dlg = QFileDialog(self.container, self.field.label, start, self.field.file_filter or "All files (*)")
        dlg.setFileMode(QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile)
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.fileSelected.connect(self.editor.setText)
        dlg.open()
        self.file_dialog = dlg

    def load_key_file(self, path: str) -> None:
        """Append the keys in `path` (an OpenSSH .pub file) to the box."""
        try:
            with open(path, "rb") as fh:
                data = fh.read(MAX_KEY_FILE + 1)
        except OSError as e:
            self.dialog._set_row_problem(self, f"Cannot read {path}: {e.strerror or e}")
            return
        if len(data) > MAX_KEY_FILE:
            self.dialog._set_row_problem(self, f"{path} is too large for a public key file")
            return
        text = data.decode("utf-8", "replace").strip()
        if not text:
            self.dialog._set_row_problem(self, f"{path} is empty")
            return
        current = self.editor.toPlainText().rstrip("\n")
        self.editor.setPlainText(f"{current}\n{text}" if current.strip() else text)
        self.dialog._touched.add(self.field.name)


def _line_height() -> int:
    probe = QLineEdit()  # never shown, owned by Python: gone when this returns
    return probe.sizeHint().height()


def _placeholder(field: Field) -> str:
    return ct(field.placeholder) or (translate("CreateDialog", "Optional") if not field.required else "")


def _lower(label: str) -> str:
    """'Shape' -> 'shape' but 'VCN' stays 'VCN'."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------- the dialog

class _Submission:
    """One press of Create. Holds the dialog only until the service answers, so the
    tracking that follows (in the activity log) never touches a closed dialog."""

    def __init__(self, dialog: CreateDialog, on_resource):
        self.dialog: CreateDialog | None = dialog
        self.on_resource = on_resource
        self.op = None
        self.spec: FormSpec | None = None

    def resource(self, kind, res) -> None:
        d, self.dialog = self.dialog, None
        revealed = None
        if self.spec is not None and self.spec.reveal is not None:
            try:  # read the secret, then clear it from the answer before anyone else sees it
                pairs, secrets = forms.take_secrets(self.spec, res)
                for secret in secrets:
                    register_secret(secret)
                revealed = pairs
            except Exception as e:
                log.error("reading the secret of %s failed (%s)", self.spec.title, type(e).__name__)
                revealed = [("Error", f"Cannot show the secret ({type(e).__name__})")]
        if d is not None:
            try:
                if revealed is not None:
                    d._reveal(self.op, revealed)
                else:
                    d._accepted(self.op)
            except Exception:
                log.exception("closing the create dialog failed")
        if self.on_resource is not None:
            self.on_resource(kind, res)

    async def run(self, session, oplog, kind, spec, values, request, token):
        self.spec = spec
        try:
            cli = self.dialog.cli_view.text() if self.dialog is not None else ""
            op = await execute.run_create(session, oplog, kind, spec, values, request, token,
                                          on_resource=self.resource, op=self.op, raise_on_submit_error=True,
                                          cli=cli)
        except OciError as e:
            d, self.dialog = self.dialog, None
            if d is not None:
                d._refused(e)
            return self.op
        except BaseException as e:
            d, self.dialog = self.dialog, None
            if d is not None:
                d._refused(None if isinstance(e, asyncio.CancelledError) else e)
            raise
        d, self.dialog = self.dialog, None
        if d is not None:  # finished without a resource: accepted unless it failed
            if op.error is not None:
                d._refused(op.error)
            else:
                d._accepted(op)
        return op


class CreateDialog(QDialog):
    """Create a resource from a catalog FormSpec. Show it with open(); `submitted(op)` fires
    when the service accepted the request (then the dialog closes)."""

    submitted = Signal(object)  # core.operations.Operation

    def __init__(self, spec: FormSpec, ctx: FormContext, session, oplog: OperationLog, kind: ResourceKind,
                 parent: QWidget | None = None, on_resource=None, guarded: bool = True):
        super().__init__(parent)
        self.spec, self.ctx, self.session, self.oplog, self.kind = spec, ctx, session, oplog, kind
        # on production (core.guardrails) a change is sent only once the connection's name is typed
        guard = getattr(session, "guard", None)
        self.production_typed: str | None = guard.typed_for_change() if guard is not None and guarded else None
        self.production_banner_text = guard.banner(session.connection.region) if self.production_typed else ""
        self.on_resource = on_resource
        self.retry_token = str(uuid.uuid4())
        self._token_signature: str | None = None  # the request last sent with retry_token
        self._tasks = aio.TaskGroup()
        self._loading: set[str] = set()
        self._waiting: set[str] = set()
        self._gen: dict[str, int] = {}
        self._edited: set[str] = set()  # changed by the person (default_from leaves them alone)
        self._touched: set[str] = set()  # show "required" messages only once touched
        self._errors: dict[str, str] = {}
        self._submitting = False
        self._revealed = False  # on the "shown once" page (FormSpec.reveal)
        self.reveal_values: list[SecretValue] = []
        self._started = False
        self._alive = True
        self._comp_lock: asyncio.Lock | None = None
        self._need_compartments = not ctx.compartments or \
            ctx.compartment_id not in {o.value for o in ctx.compartments}
        self.submit_task: asyncio.Task | None = None
        self.request: forms.Request | None = None
        self.setWindowTitle(ct(spec.title))
        self.setModal(True)
        self.setSizeGripEnabled(True)
        self._build()
        self._init_values()
        self.finished.connect(self._on_finished)
        tasks = self._tasks
        self.destroyed.connect(lambda *_: tasks.cancel_all())  # must not touch the deleted dialog

    # ------------------------------------------------------------ layout
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 14, 16, 12)
        outer.setSpacing(10)

        head = QHBoxLayout()
        self.title_label = QLabel(ct(self.spec.title), self)
        f = QFont(self.title_label.font())
        f.setPointSizeF(f.pointSizeF() * 1.3 if f.pointSizeF() > 0 else 13)
        f.setBold(True)
        self.title_label.setFont(f)
        head.addWidget(self.title_label)
        head.addStretch(1)
        self.steps = QLabel(self)
        head.addWidget(self.steps)
        outer.addLayout(head)

        if self.production_typed:
            outer.addWidget(production_label(self.production_banner_text, self))
        self.banner = Banner(self)
        outer.addWidget(self.banner)

        self.pages = QStackedWidget(self)
        outer.addWidget(self.pages, 1)

        # page 1: the form
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.form = QGridLayout(body)
        self.form.setContentsMargins(0, 0, 8, 0)
        self.form.setHorizontalSpacing(12)
        self.form.setVerticalSpacing(10)
        self.form.setColumnStretch(1, 1)
        self.rows: dict[str, FieldRow] = {}
        top = Qt.AlignmentFlag.AlignTop
        for r, fld in enumerate(self.spec.fields):
            row = FieldRow(fld, self, body)
            self.rows[fld.name] = row
            self.form.addWidget(row.label, r, 0, Qt.AlignmentFlag.AlignRight | top)
            self.form.addWidget(row.container, r, 1, top)
        # what the configuration costs at list price (FormSpec.cost), under the fields
        self.cost_label, self.cost_detail = self._cost_labels(body)
        cost_box = QVBoxLayout()
        cost_box.setSpacing(2)
        cost_box.addWidget(self.cost_label)
        cost_box.addWidget(self.cost_detail)
        self.form.addLayout(cost_box, len(self.spec.fields), 1, top)
        self.form.setRowStretch(len(self.spec.fields) + 1, 1)
        self.body = body
        self.scroll.setWidget(body)
        self.pages.addWidget(self.scroll)

        # page 2: review
        review = QWidget()
        rl = QVBoxLayout(review)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.setSpacing(10)
        self.summary_scroll = QScrollArea(review)
        self.summary_scroll.setWidgetResizable(True)
        self.summary_scroll.setFrameShape(QFrame.Shape.StyledPanel)
        self.summary = QWidget()
        self.summary_form = QFormLayout(self.summary)
        self.summary_form.setContentsMargins(12, 10, 12, 10)
        self.summary_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.summary_form.setHorizontalSpacing(14)
        self.summary_form.setVerticalSpacing(6)
        self.summary_scroll.setWidget(self.summary)
        self.review_warning = Banner(review)  # the form's warnings again, above the summary
        rl.addWidget(self.review_warning, 0)
        rl.addWidget(self.summary_scroll, 0)
        self.review_cost, self.review_cost_detail = self._cost_labels(review)
        rl.addWidget(self.review_cost, 0)
        rl.addWidget(self.review_cost_detail, 0)
        self.code_tabs = QTabWidget(review)
        self.cli_view = CodeView()
        self.cli_view.setNote(self.tr("Runs the same request with the oci CLI"))
        self.python_view = CodeView()
        self.python_view.setNote(self.tr("The same request with the OCI Python SDK (retry token included)"))
        self.terraform_view = CodeView()
        self.terraform_view.setNote(self.tr("The same resource for Oracle's Terraform provider (oracle/oci); "
                                            "what this session created is referred to, not pasted"))
        self.code_tabs.addTab(self.cli_view, "oci CLI")
        self.code_tabs.addTab(self.python_view, "Python SDK")
        self.code_tabs.addTab(self.terraform_view, "Terraform")
        rl.addWidget(self.code_tabs, 1)
        self.production_input: QLineEdit | None = None
        if self.production_typed:
            prompt = QLabel(self.tr("This changes <b>{name}</b>, a production connection. "
                                    "Type <b>{name}</b> to confirm:").format(name=_escape(self.production_typed)),
                            review)
            prompt.setWordWrap(True)
            prompt.setTextFormat(Qt.TextFormat.RichText)
            rl.addWidget(prompt, 0)
            self.production_input = QLineEdit(review)
            self.production_input.setObjectName("production_confirm")
            self.production_input.setAccessibleName(self.tr("Type the production connection's name to confirm"))
            self.production_input.setPlaceholderText(self.production_typed)
            self.production_input.textChanged.connect(lambda _t: self._update_buttons())
            rl.addWidget(self.production_input, 0)
        self.pages.addWidget(review)

        # page 3 (FormSpec.reveal): the secret, shown once; filled by _reveal
        self.reveal_page = QWidget()
        vl = QVBoxLayout(self.reveal_page)
        vl.setContentsMargins(0, 0, 0, 0)
        vl.setSpacing(10)
        self.reveal_banner = Banner(self.reveal_page)
        vl.addWidget(self.reveal_banner)
        self.reveal_grid = QGridLayout()
        self.reveal_grid.setHorizontalSpacing(10)
        self.reveal_grid.setVerticalSpacing(8)
        self.reveal_grid.setColumnStretch(1, 1)
        vl.addLayout(self.reveal_grid)
        vl.addStretch(1)
        self.pages.addWidget(self.reveal_page)

        # buttons
        bar = QHBoxLayout()
        bar.setSpacing(8)
        self.status = QLabel(self)
        self.status.setStyleSheet(f"color: {help_colour(self)};")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar.addWidget(self.status, 1)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.back_button = QPushButton(self.tr("< Back"), self)
        self.review_button = QPushButton(self.tr("Review >"), self)
        self.create_button = QPushButton(ct(self.spec.submit_label), self)
        self.close_button = QPushButton(self.tr("Close"), self)  # the "shown once" page's only way on
        for b in (self.cancel_button, self.back_button, self.review_button, self.create_button, self.close_button):
            b.setAutoDefault(False)
            bar.addWidget(b)
        self.close_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        self.back_button.clicked.connect(self.show_form)
        self.review_button.clicked.connect(self.show_review)
        self.create_button.clicked.connect(self.submit)
        outer.addLayout(bar)
        self.cost = None  # the last catalog.pricing.Cost shown
        self._cost_timer = QTimer(self)  # recomputed a moment after the values stop changing
        self._cost_timer.setSingleShot(True)
        self._cost_timer.setInterval(150)
        self._cost_timer.timeout.connect(self._update_cost)
        self._set_page(0)
        self._initial_size()

    def _initial_size(self) -> None:
        """Wide enough for OCIDs and long option labels, tall enough for the form (up to most
        of the screen; the form scrolls beyond that)."""
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        max_h = int(screen.height() * 0.85) if screen is not None and screen.height() > 0 else 760
        want = self.body.sizeHint().height() + 130
        # a table of rules needs room for its columns (NSG rules, WAF access rules)
        width = 940 if any(f.type == "rules" for f in self.spec.fields) else 720
        if screen is not None and screen.width() > 0:
            width = min(width, int(screen.width() * 0.9))
        self.resize(width, max(420, min(want, max_h, 780)))

    def _set_page(self, i: int) -> None:
        self.pages.setCurrentIndex(i)
        self.back_button.setVisible(i == 1)
        self.review_button.setVisible(i == 0)
        self.review_button.setDefault(i == 0)
        self.create_button.setDefault(i == 1)
        self.create_button.setVisible(i != 2)
        self.cancel_button.setVisible(i != 2)
        self.close_button.setVisible(i == 2)
        self.close_button.setDefault(i == 2)
        on = "<b>{}</b>"
        off = f"<span style='color:{help_colour(self)}'>{{}}</span>"
        steps = f"{(on if i == 0 else off).format('1 Details')}  ›  {(on if i == 1 else off).format('2 Review')}"
        if self.spec.reveal is not None:
            steps += f"  ›  {(on if i == 2 else off).format('3 Copy' if self.spec.secret_attrs else '3 Result')}"
        self.steps.setText(steps)
        self._update_buttons()

    # ------------------------------------------------------------ values
    def values(self) -> dict:
        """field name -> Python value (str, int/float, bool, option value; empty -> None)."""
        return {name: row.value() for name, row in self.rows.items()}

    def row(self, name: str) -> FieldRow:
        return self.rows[name]

    def _loader(self, f: Field):
        if f.type == "compartment":
            return self._load_compartments if self._need_compartments else None
        return f.options if callable(f.options) else None

    async def _load_compartments(self, ctx: FormContext, _values) -> list[Option]:
        """The compartment list, when the caller had none (or not yet the current one)."""
        if self._comp_lock is None:
            self._comp_lock = asyncio.Lock()
        async with self._comp_lock:
            if self._need_compartments:
                ctx.compartments = await load_compartment_options(ctx.session)
                self._need_compartments = False
        return ctx.compartments

    def _init_values(self) -> None:
        values: dict = {}
        for f in self.spec.fields:
            row = self.rows[f.name]
            try:
                v = f.default_from(values, self.ctx) if f.default_from is not None else f.default
            except Exception:
                log.exception("default_from of %s failed", f.name)
                v = f.default
            if f.type == "compartment" and v is None:
                v = self.ctx.compartment_id
            if row.is_choice:
                if self._loader(f) is not None:
                    row.wanted = v
                    row.set_placeholder("Loading…")
                else:
                    static = self.ctx.compartments if f.type == "compartment" else list(f.options or [])
                    row.wanted = v
                    row.set_options(static)
                    self.ctx.remember(f.name, row.options)
            else:
                row.set_value(v)
            values[f.name] = row.value()
        self._refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._started:
            self._started = True
            self.start()
            self.focus_first_field()

    def focus_first_field(self) -> None:
        """The keyboard starts in the first field the person can type in (then Tab follows the form)."""
        for row in self.rows.values():
            if row.shown and row.editor.isEnabled() and row.editor.focusPolicy() != Qt.FocusPolicy.NoFocus:
                row.editor.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def start(self) -> None:
        """Begin loading the options (called when first shown)."""
        self._started = True
        for f in self.spec.fields:
            if self._loader(f) is not None:
                self._request_options(f)
        self._refresh()

    # ------------------------------------------------------------ dependencies
    def _dependents(self, name: str) -> list[Field]:
        return [f for f in self.spec.fields if name in f.depends_on]

    def _field_changed(self, name: str, by_user: bool) -> None:
        if by_user:
            self._edited.add(name)
            self._touched.add(name)
        for f in self._dependents(name):
            row = self.rows[f.name]
            if f.default_from is not None and f.name not in self._edited:
                try:
                    v = f.default_from(self.values(), self.ctx)
                except Exception:
                    log.exception("default_from of %s failed", f.name)
                    v = None
                if row.is_choice and self._loader(f) is not None:
                    row.wanted = v
                elif v != row.value():
                    row.set_value(v)
                    if not row.is_choice or row.placeholder is None:
                        self._field_changed(f.name, by_user=False)
            if self._loader(f) is not None:
                self._request_options(f)
        self._refresh()

    def _request_options(self, f: Field) -> None:
        """(Re)load the options of `f`; wait first if a field it depends on is still loading."""
        row = self.rows[f.name]
        if row.placeholder is None and row.wanted is None:
            row.wanted = row.value()
        row.load_error = None
        self._gen[f.name] = gen = self._gen.get(f.name, 0) + 1  # a load in flight is now stale
        if any(d in self._loading or d in self._waiting for d in f.depends_on):
            self._waiting.add(f.name)
            self._loading.discard(f.name)
            row.set_placeholder("Loading…")
            return
        self._waiting.discard(f.name)
        loader = self._loader(f)
        if loader is None:  # static options (e.g. compartments that have just arrived)
            self._loading.discard(f.name)
            row.set_options(self.ctx.compartments if f.type == "compartment" else list(f.options or []))
            self.ctx.remember(f.name, row.options)
            self._after_load(f.name)
            return
        self._loading.add(f.name)
        row.set_placeholder("Loading…")
        self._tasks.replace(f"options:{f.name}", self._load_options(f, loader, gen))

    # ------------------------------------------------------------ an empty choice's ways out
    def _compartment_row_for(self, f: Field) -> FieldRow | None:
        """The compartment field the choice depends on (else the form's first one)."""
        for name in f.depends_on:
            r = self.rows.get(name)
            if r is not None and r.field.type == "compartment":
                return r
        return next((r for r in self.rows.values() if r.field.type == "compartment" and r.field is not f), None)

    def _way_out_html(self, f: Field, hint: str = "") -> str:
        from .. import catalog
        from ..catalog.generic import in_sentence
        kind = catalog.kind(f.create_kind) if f.create_kind else None
        what = in_sentence(ct(kind.singular)) if kind is not None else _lower(ct(f.label))
        comp = self._compartment_row_for(f)
        where = comp.editor.currentText().strip() if comp is not None and comp.placeholder is None else ""
        text = (self.tr("No {what} in {where}.").format(what=what, where=where) if where
                else self.tr("No {what} to choose from.").format(what=what))
        links = []
        if comp is not None:
            links.append("<a href='compartment'>" + self.tr("Pick another compartment") + "</a>")
        if kind is not None and kind.create is not None:
            article = "an" if what[:1].lower() in "aeio" else "a"
            links.append(f"<a href='create'>Create {article} {_escape(what)} here…</a>")
        html = _escape(text)
        if hint:
            html += " " + _escape(hint)
        return html + (" " + " · ".join(links) if links else "")

    def _load_empty_hint(self, f: Field) -> None:
        async def load():
            try:
                hint = await f.empty_hint(self.ctx, self.values())
            except Exception:
                return
            row = self.rows.get(f.name)
            if self._alive and row is not None and row.placeholder is not None and hint:
                set_message(row.way_out, self._way_out_html(f, hint))
        self._tasks.replace(f"hint:{f.name}", load())

    def _way_out(self, f: Field, link: str) -> None:
        if link == "compartment":
            comp = self._compartment_row_for(f)
            if comp is not None:
                comp.editor.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if link == "create" and f.create_kind:
            from .. import catalog
            kind = catalog.kind(f.create_kind)
            comp = self._compartment_row_for(f)
            comp_id = (comp.value() if comp is not None else None) or self.ctx.compartment_id
            outer = self.on_resource

            def created(k, res) -> None:  # the new one becomes an option, and the one chosen
                if outer is not None:
                    outer(k, res)
                if k is kind and (k.state(res) or "") in k.ready_states and self._alive:
                    self.rows[f.name].wanted = getattr(res, "id", None)
                    self._retry_load(f)
            dlg = CreateDialog(kind.create, FormContext(self.session, comp_id, self.ctx.compartments), self.session,
                               self.oplog, kind, self, on_resource=created)
            dlg.open()
            self.create_dialog = dlg

    def _retry_load(self, f: Field) -> None:
        if self._alive:
            self._request_options(f)
            self._refresh()

    async def _load_options(self, f: Field, loader, gen: int) -> None:
        error = None
        options: list[Option] = []
        try:
            options = list(await loader(self.ctx, self.values()))
        except asyncio.CancelledError:
            raise
        except OciError as e:
            error = f"Could not load {_lower(f.label)}: {e.summary()}"
            if e.request_id:
                error += f" (opc-request-id {e.request_id})"
        except Exception as e:
            log.exception("loading options of %s failed", f.name)
            error = f"Could not load {_lower(f.label)} ({type(e).__name__}: {e})"
        if not self._alive or self._gen.get(f.name) != gen:
            return
        self._loading.discard(f.name)
        row = self.rows[f.name]
        if error is not None:
            row.load_error = error
            row.set_options([], empty_text="Not available")
            self.ctx.remember(f.name, [])
        else:
            row.set_options(options)
            self.ctx.remember(f.name, row.options)
        self._after_load(f.name)

    def _after_load(self, name: str) -> None:
        # The value may or may not have changed: dependents recompute either way (their own
        # loads keep a still-valid selection), and the ones waiting for this field start now.
        self._field_changed(name, by_user=False)
        for dep in self._dependents(name):
            if dep.name in self._waiting and dep.name not in self._loading:
                self._request_options(dep)
        self._refresh()

    # ------------------------------------------------------------ validation and state
    def _refresh(self) -> None:
        if not self._alive:
            return
        values = self.values()
        for f in self.spec.fields:
            row = self.rows[f.name]
            if f.visible is not None:
                try:
                    vis = bool(f.visible(values, self.ctx))
                except Exception:
                    vis = True
                row.set_visible(vis)
            if f.bounds is not None and f.type == "number":
                try:
                    row.set_bounds(f.bounds(values, self.ctx))
                except Exception:
                    row.set_bounds(None)
        self._errors = self.spec.errors(values, self.ctx)
        self._warnings = self.spec.warnings(values, self.ctx)
        for name, row in self.rows.items():
            row.set_warning(self._warnings.get(name) if row.shown else None)
        for name, row in self.rows.items():
            if row.load_error:
                row.set_error(row.load_error, link=True)
                continue
            if name in self._loading or name in self._waiting:
                row.set_error(None)
                continue
            err = self._errors.get(name)
            v = values.get(name)
            shown = name in self._touched or (v not in (None, "", False))
            row.set_error(err if shown else None)
        self._update_buttons()
        if self.spec.cost is not None:
            self._cost_timer.start()

    def errors(self) -> dict[str, str]:
        return dict(self._errors)

    # ------------------------------------------------------------ cost at list price
    def _cost_labels(self, parent: QWidget) -> tuple[QLabel, QLabel]:
        main = QLabel(parent)
        main.setWordWrap(True)
        main.setTextFormat(Qt.TextFormat.PlainText)
        main.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        f = QFont(main.font())
        f.setBold(True)
        main.setFont(f)
        small = QLabel(parent)
        small.setWordWrap(True)
        small.setTextFormat(Qt.TextFormat.PlainText)
        small.setStyleSheet(f"color: {help_colour(self)};")
        sf = QFont(small.font())
        if sf.pointSizeF() > 0:
            sf.setPointSizeF(sf.pointSizeF() * 0.9)
        small.setFont(sf)
        main.hide()
        small.hide()
        return main, small

    def _update_cost(self) -> None:
        """Show `FormSpec.cost` for the current values (nothing when it has no answer or fails)."""
        if not self._alive or self.spec.cost is None:
            return
        cost, text, lines = None, "", []
        try:
            cost = self.spec.cost(self.values(), self.ctx)
            if cost is not None:
                text = self.tr("Estimated cost: {cost}").format(cost=cost.text())
                lines = [str(x) for x in cost.lines] + ([cost.note] if cost.note else [])
        except Exception as e:
            log.debug("cost of %s failed: %s: %s", self.spec.title, type(e).__name__, e)
            cost, text, lines = None, "", []
        self.cost = cost if text else None
        for main, small in ((self.cost_label, self.cost_detail), (self.review_cost, self.review_cost_detail)):
            main.setText(text)
            main.setToolTip("\n".join(lines))
            main.setVisible(bool(text))
            small.setText(" · ".join(lines) if text else "")
            small.setVisible(bool(text and lines))

    def cost_text(self) -> str:
        """The cost line shown under the fields ("" when none)."""
        return self.cost_label.text()

    @property
    def busy(self) -> bool:
        return bool(self._loading or self._waiting)

    @property
    def production_confirmed(self) -> bool:
        """Not production, or its name typed on the review page."""
        return self.production_input is None or self.production_input.text() == self.production_typed

    @property
    def ready(self) -> bool:
        return not self._errors and not self.busy and not self._submitting

    def _update_buttons(self) -> None:
        if not hasattr(self, "rows"):
            return
        if self._revealed:  # done: only Close remains
            self.status.setText("")
            return
        ready = self.ready
        self.review_button.setEnabled(ready)
        self.create_button.setEnabled(ready and self.production_confirmed)
        self.back_button.setEnabled(not self._submitting)
        self.cancel_button.setEnabled(not self._submitting)
        if self._submitting:
            text = self.tr("Submitting…")
        elif self.busy:
            labels = [ct(self.spec.field(n).label) for n in self.rows if n in self._loading or n in self._waiting]
            text = self.tr("Loading {what}…").format(what=", ".join(_lower(x) for x in labels))
        elif self._errors:
            missing, fix = [], []
            for n in self._errors:
                f = self.spec.field(n)
                (missing if f.required and self.rows[n].value() in (None, "") else fix).append(ct(f.label))
            parts = []
            if missing:
                parts.append(self.tr("Required: {fields}").format(fields=", ".join(missing)))
            if fix:
                parts.append(self.tr("To fix: {fields}").format(fields=", ".join(fix)))
            text = "; ".join(parts)
        else:
            text = ""
        self.status.setText(text)

    def _set_row_problem(self, row: FieldRow, text: str) -> None:
        row.set_error(text)

    # ------------------------------------------------------------ review
    def _build_request(self) -> forms.Request | None:
        try:
            return self.spec.build(self.values(), self.ctx)
        except Exception as e:
            log.exception("building the request of %s failed", self.spec.title)
            self.banner.show_error("Cannot build the request", f"{type(e).__name__}: {e}")
            return None

    @staticmethod
    def _signature(req: forms.Request) -> str:
        details = forms.to_json(req.details) if req.details is not None else ""
        return f"{req.service}.{req.method}|{req.args!r}|{sorted(req.kwargs.items())!r}|{details}"

    def _token_for(self, req: forms.Request) -> str:
        """The retry token for `req`: the same while the request is unchanged since it was last
        sent, a new one as soon as it differs (OCI refuses a reused token with another body)."""
        if self._token_signature is not None and self._signature(req) != self._token_signature:
            self.retry_token = str(uuid.uuid4())
            self._token_signature = None
        return self.retry_token

    def show_review(self) -> None:
        if not self.ready:
            return
        req = self._build_request()
        if req is None:
            return
        self.request = req
        token = self._token_for(req)
        self._fill_summary()
        warnings = [w for n, w in self.spec.warnings(self.values(), self.ctx).items() if self.rows[n].shown]
        if warnings:
            self.review_warning.show_warning("⚠  Check before you continue", "\n\n".join(warnings))
        else:
            self.review_warning.clear()
        values = self.values()
        try:
            cli = self.spec.cli(values, self.ctx, req)
        except Exception as e:
            log.exception("cli of %s failed", self.spec.title)
            cli = f"# cannot show the CLI command ({type(e).__name__}: {e})"
        self.cli_view.setText(cli)
        self.python_view.setText(forms.python_code(req, token))
        self.terraform_view.setText(self.terraform_text(req, values))
        self._update_cost()
        self._set_page(1)
        self.create_button.setFocus()

    def terraform_text(self, req: forms.Request, values: dict) -> str:
        """The Terraform of the request: a create's resource block, or an update's changed arguments."""
        update_of = req.args[0] if req.method.startswith("update_") and req.args and \
            isinstance(req.args[0], str) else None
        try:
            return terraform.for_request(req, self.spec.describe(values), terraform.session_refs(self.session),
                                         update_of=update_of).text
        except Exception as e:
            log.exception("terraform of %s failed", self.spec.title)
            return f"# cannot show the Terraform ({type(e).__name__}: {e})"

    def show_form(self) -> None:
        if self._submitting:
            return
        self._set_page(0)

    def _fill_summary(self) -> None:
        while self.summary_form.rowCount():
            self.summary_form.removeRow(0)
        values = self.values()
        for f in self.spec.fields:
            row = self.rows[f.name]
            if f.visible is not None:
                try:
                    if not f.visible(values, self.ctx):
                        continue
                except Exception:
                    pass
            text = row.display()
            if not text:
                continue
            name = QLabel(f"{f.label}:")
            name.setStyleSheet(f"color: {help_colour(self)};")
            val = QLabel(text)
            val.setWordWrap(True)
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            val.setTextFormat(Qt.TextFormat.PlainText)
            if f.type in MONO_TYPES:
                val.setFont(monospace_font())
            self.summary_form.addRow(name, val)
        width = max(self.pages.width() - 4, 300)
        lay = self.summary_form
        content = lay.totalHeightForWidth(width) if lay.hasHeightForWidth() else lay.totalSizeHint().height()
        # (at most 2/5 of the page: a long form's summary leaves room for the cost and the code below it)
        self.summary_scroll.setFixedHeight(min(content + 4, max(160, self.pages.height() * 2 // 5)))

    def summary_text(self) -> str:
        out = []
        for i in range(self.summary_form.rowCount()):
            lab = self.summary_form.itemAt(i, QFormLayout.ItemRole.LabelRole)
            fld = self.summary_form.itemAt(i, QFormLayout.ItemRole.FieldRole)
            if lab and fld:
                out.append(f"{lab.widget().text()} {fld.widget().text()}")
        return "\n".join(out)

    # ------------------------------------------------------------ submit
    def submit(self) -> None:
        """Send the create (Create button / Enter on the review page). Never twice at once."""
        if self._submitting or not self.ready:
            return
        if not self.production_confirmed:  # production: the name first
            if self.production_input is not None:
                self.production_input.setFocus()
            return
        req = self._build_request()
        if req is None:
            return
        values = self.values()
        token = self._token_for(req)
        self._token_signature = self._signature(req)
        self.request = req
        self._submitting = True
        self.banner.clear()
        self._update_buttons()
        sub = _Submission(self, self.on_resource)
        sub.op = execute.start_create(self.oplog, self.kind, self.spec, values)
        self.submit_task = aio.spawn(sub.run(self.session, self.oplog, self.kind, self.spec, values, req, token),
                                     name=f"create:{self.kind.id}")

    def _accepted(self, op) -> None:
        self._submitting = False
        if not self._alive:
            return
        self.submitted.emit(op)
        self.accept()

    def _reveal(self, op, pairs: list[tuple[str, str]]) -> None:
        """Accepted, with a secret shown only once: the last page shows it (the dialog stays open)."""
        self._submitting = False
        if not self._alive:
            return
        self._revealed = True
        self.banner.clear()
        if self.spec.secret_attrs:
            self.reveal_banner.show_warning(
                "Copy it now: this secret is shown only once",
                "OCI keeps no copy it can show again. Store it somewhere safe (a password manager); if it is "
                "lost, delete it and create a new one.")
        else:  # an answer to read (a prediction), not a secret
            self.reveal_banner.show_info("Done", "The service answered:")
        for r, (label, value) in enumerate(pairs):
            name = QLabel(f"{label}:", self.reveal_page)
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            field = SecretValue(value, self.reveal_page)
            field.setObjectName(f"reveal_{r}")
            field.setAccessibleName(label)
            name.setBuddy(field)
            copy = QPushButton("Copy", self.reveal_page)
            copy.setAutoDefault(False)
            copy.setToolTip(f"Copy the {_lower(label)} to the clipboard")
            copy.clicked.connect(field.copy_all)
            self.reveal_grid.addWidget(name, r, 0)
            self.reveal_grid.addWidget(field, r, 1)
            self.reveal_grid.addWidget(copy, r, 2)
            self.reveal_values.append(field)
        self.submitted.emit(op)
        self._set_page(2)
        if self.reveal_values:
            self.reveal_values[0].setFocus()

    def revealed(self) -> list[tuple[str, str]]:
        """(label, value) of the "shown once" page ([] before it is shown or once closed)."""
        out = []
        for i, field in enumerate(self.reveal_values):
            label = self.reveal_grid.itemAtPosition(i, 0).widget().text().rstrip(":")
            out.append((label, field.text()))
        return out

    def reveal_copy_buttons(self) -> list[QPushButton]:
        return [self.reveal_grid.itemAtPosition(i, 2).widget() for i in range(len(self.reveal_values))]

    def _refused(self, error) -> None:
        self._submitting = False
        if not self._alive:
            return
        if isinstance(error, OciError):
            head = f"{self._not_done()} — {error.code or 'Error'}"
            if error.status:
                head += f" (HTTP {error.status})"
            lines = [error.message]
            if error.request_id:
                lines.append(f"opc-request-id: {error.request_id}")
            lines.append(self.tr("Nothing was created. Your values are kept: fix them and press Create again."))
            self.banner.show_error(head, "\n".join(lines))
        elif error is not None:
            self.banner.show_error(f"{self._not_done()} — unexpected error",
                                   f"{type(error).__name__}: {error}")
        else:
            self.banner.show_error(f"{self.kind.singular}: submission cancelled")
        if self.pages.currentIndex() == 0 and self.ready:
            self.show_review()
        self._update_buttons()

    def _not_done(self) -> str:
        if self.spec.submit_label == "Create":
            return f"{self.kind.singular} not created"
        return f"{self.spec.title}: not done"

    def warning_texts(self) -> dict[str, str]:
        """The warnings shown under the fields (field name -> text)."""
        return {n: r.warning.text() for n, r in self.rows.items() if not r.warning.isHidden() and r.warning.text()}

    def error_text(self) -> str:
        return self.banner.text() if self.banner.isVisible() else ""

    # ------------------------------------------------------------ closing
    def reject(self) -> None:
        if self._submitting:  # the answer is on its way: wait for it (buttons are disabled)
            return
        super().reject()

    def closeEvent(self, event) -> None:
        if self._submitting:
            event.ignore()
            return
        super().closeEvent(event)

    def _on_finished(self, _result: int) -> None:
        self._alive = False
        self._tasks.cancel_all()
        for field in self.reveal_values:  # the secret leaves the widgets with the dialog
            field.clear()
