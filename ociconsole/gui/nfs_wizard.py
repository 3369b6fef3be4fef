"""The NFS share wizard (the view `nfs_wizard`: creating a file system opens it).

What an administrator wants in one go: a file system (name, compartment, availability domain),
a mount target to reach it (a new one in a chosen subnet, or an existing one of that AD) and an
export path; the review shows the three equivalent `oci` CLI commands. Creating runs the three
creates as tracked operations (the activity panel shows them; the file system and a new mount
target in parallel, then the export), each waiting for ACTIVE, and ends with the mount command
(`sudo mount -t nfs <private ip>:/<path> /mnt/<path>`) ready to copy. A failed step can be
retried: the steps that succeeded are not repeated and a retried create reuses its retry token,
so nothing is created twice.
"""

from __future__ import annotations

import asyncio
import time
import uuid

from .. import catalog
from ..catalog import execute
from ..catalog import file_storage as fscat
from ..core.errors import OciError
from ..core.operations import OpState
from ..services import file_storage as fssvc
from ..services import identity as idsvc
from ..services import network as netsvc
from . import aio
from .activity import status_icon
from .icons import icon
from .qt import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFont,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGuiApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    Qt,
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
    error_label,
    help_colour,
    help_label,
    monospace_font,
    set_message,
)

STEPS = ("File system", "Mount target", "Export", "Review", "Create")
P_FS, P_MT, P_EXPORT, P_REVIEW, P_RUN = range(len(STEPS))


def _combo(min_len: int = 34) -> QComboBox:
    c = QComboBox()
    c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    c.setMinimumContentsLength(min_len)
    return c


class NfsWizard(QDialog):
    """File system + mount target + export, created together. Show it with open()."""

    finishedCreating = Signal(str)  # the mount command

    def __init__(self, window, session, parent=None):
        super().__init__(parent or window)
        self.window_, self.session = window, session
        self.ctx = window.form_context()
        self.oplog = window.oplog
        self._tasks = aio.TaskGroup()
        self._alive = True
        self.tokens = {"fs": str(uuid.uuid4()), "mt": str(uuid.uuid4()), "export": str(uuid.uuid4())}
        self.created: dict[str, object] = {}  # step -> resource (kept across a retry)
        self.mount_command = ""
        self.run_task: asyncio.Task | None = None
        self.setWindowTitle("Create an NFS share")
        self.setModal(True)
        self.setSizeGripEnabled(True)
        self.resize(820, 560)
        self._build()
        self.finished.connect(self._closed)
        self._set_page(P_FS)
        self._tasks.replace("ads", self._load_ads())
        self._load_compartments()

    # ------------------------------------------------------------ layout
    def _build(self) -> None:
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        side = QFrame()
        side.setObjectName("wizardSide")
        side.setStyleSheet("QFrame#wizardSide { background: palette(alternate-base); border-right: 1px solid "
                           "palette(mid); }")
        sl = QVBoxLayout(side)
        sl.setContentsMargins(16, 18, 16, 16)
        head = QHBoxLayout()
        ic = QLabel()
        ic.setPixmap(icon("filesystem").pixmap(28, 28))
        head.addWidget(ic)
        t = QLabel("NFS share")
        f = QFont(t.font())
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.25)
        t.setFont(f)
        head.addWidget(t)
        head.addStretch(1)
        sl.addLayout(head)
        sl.addSpacing(12)
        self.step_labels: list[QLabel] = []
        for i, s in enumerate(STEPS):
            lab = QLabel(f"{i + 1}  {s}")
            lab.setContentsMargins(4, 4, 4, 4)
            sl.addWidget(lab)
            self.step_labels.append(lab)
        sl.addStretch(1)
        sl.addWidget(help_label("A file system, a mount target in your VCN and an export path: everything a client "
                                "needs to mount it over NFS.", side))
        side.setFixedWidth(210)
        outer.addWidget(side)

        main = QVBoxLayout()
        main.setContentsMargins(18, 16, 18, 12)
        main.setSpacing(10)
        self.heading = QLabel("")
        hf = QFont(self.heading.font())
        hf.setBold(True)
        hf.setPointSizeF(hf.pointSizeF() * 1.2)
        self.heading.setFont(hf)
        main.addWidget(self.heading)
        self.banner = Banner(self)
        main.addWidget(self.banner)
        self.pages = QStackedWidget()
        main.addWidget(self.pages, 1)
        self.pages.addWidget(self._fs_page())
        self.pages.addWidget(self._mt_page())
        self.pages.addWidget(self._export_page())
        self.pages.addWidget(self._review_page())
        self.pages.addWidget(self._run_page())
        bar = QHBoxLayout()
        self.status = QLabel("")
        self.status.setStyleSheet(f"color: {help_colour(self)};")
        bar.addWidget(self.status, 1)
        self.cancel_button = QPushButton("Cancel")
        self.back_button = QPushButton("< Back")
        self.next_button = QPushButton("Next >")
        self.create_button = QPushButton("Create")
        self.close_button = QPushButton("Close")
        for b in (self.cancel_button, self.back_button, self.next_button, self.create_button, self.close_button):
            b.setAutoDefault(False)
            bar.addWidget(b)
        self.cancel_button.clicked.connect(self.reject)
        self.back_button.clicked.connect(lambda: self._set_page(self.pages.currentIndex() - 1))
        self.next_button.clicked.connect(self.next_page)
        self.create_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.accept)
        main.addLayout(bar)
        outer.addLayout(main, 1)

    def _grid(self, page: QWidget) -> QGridLayout:
        g = QGridLayout(page)
        g.setContentsMargins(0, 0, 0, 0)
        g.setHorizontalSpacing(12)
        g.setVerticalSpacing(8)
        g.setColumnStretch(1, 1)
        return g

    def _row(self, g: QGridLayout, r: int, label: str, widget, help_text: str = "") -> QLabel:
        lab = QLabel(label)
        lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        g.addWidget(lab, r, 0)
        if isinstance(widget, QWidget):
            g.addWidget(widget, r, 1)
        else:
            g.addLayout(widget, r, 1)
        err = error_label(self)
        g.addWidget(err, r + 1, 1)
        if help_text:
            g.addWidget(help_label(help_text, self), r + 2, 1)
        return err

    def _fs_page(self) -> QWidget:
        p = QWidget()
        g = self._grid(p)
        self.fs_name = QLineEdit(time.strftime("share-%Y%m%d-%H%M"))
        self.fs_name.setObjectName("fsName")
        self.fs_name.textChanged.connect(self._name_changed)
        self.fs_name_error = self._row(g, 0, "Name:", self.fs_name)
        self.compartment = _combo()
        self.compartment.setItemDelegate(IndentDelegate(self.compartment))
        self.compartment.currentIndexChanged.connect(lambda *_: self._compartment_changed())
        self._row(g, 3, "Compartment:", self.compartment)
        self.ad = _combo()
        self.ad.currentIndexChanged.connect(lambda *_: self._ad_changed())
        self._row(g, 6, "Availability domain:", self.ad,
                  "The mount target and the clients' subnet must be reachable from this availability domain")
        g.setRowStretch(9, 1)
        return p

    def _mt_page(self) -> QWidget:
        p = QWidget()
        g = self._grid(p)
        self.mt_group = QButtonGroup(self)
        self.mt_new = QRadioButton("Create a new mount target")
        self.mt_existing = QRadioButton("Use an existing mount target")
        self.mt_group.addButton(self.mt_new)
        self.mt_group.addButton(self.mt_existing)
        self.mt_new.setChecked(True)
        self.mt_new.toggled.connect(lambda *_: self._mt_mode())
        g.addWidget(self.mt_new, 0, 0, 1, 2)
        self.mt_name = QLineEdit(time.strftime("nfs-%Y%m%d-%H%M"))
        self.mt_name.setObjectName("mtName")
        self.mt_name_label = QLabel("Name:")
        self.vcn = _combo()
        self.vcn.currentIndexChanged.connect(lambda *_: self._vcn_changed())
        self.subnet = _combo()
        self.subnet.currentIndexChanged.connect(lambda *_: self._refresh())
        self.new_box = QWidget()
        nb = QFormLayout(self.new_box)
        nb.setContentsMargins(24, 0, 0, 0)
        nb.addRow("Name:", self.mt_name)
        nb.addRow("VCN:", self.vcn)
        nb.addRow("Subnet:", self.subnet)
        nb.addRow("", help_label("The mount target takes a private IP address in this subnet; clients mount from it. "
                                 "Its security list must allow NFS (TCP 111, 2048-2050 and UDP 111, 2048).", self))
        g.addWidget(self.new_box, 1, 0, 1, 2)
        g.addWidget(self.mt_existing, 2, 0, 1, 2)
        self.existing = _combo()
        self.existing_box = QWidget()
        eb = QFormLayout(self.existing_box)
        eb.setContentsMargins(24, 0, 0, 0)
        eb.addRow("Mount target:", self.existing)
        self.existing.currentIndexChanged.connect(lambda *_: self._refresh())
        g.addWidget(self.existing_box, 3, 0, 1, 2)
        self.mt_error = error_label(self)
        g.addWidget(self.mt_error, 4, 0, 1, 2)
        g.setRowStretch(5, 1)
        return p

    def _export_page(self) -> QWidget:
        p = QWidget()
        g = self._grid(p)
        self.path = QLineEdit("/" + self.fs_name.text())
        self.path.setObjectName("exportPath")
        self.path.setFont(monospace_font())
        self.path.textChanged.connect(lambda *_: self._refresh())
        self._path_edited = False
        self.path.textEdited.connect(lambda *_: setattr(self, "_path_edited", True))
        self.path_error = self._row(g, 0, "Export path:", self.path,
                                    "Clients mount <mount target IP>:<path>. Unique among the mount target's exports.")
        self.mount_preview = QLabel("")
        self.mount_preview.setFont(monospace_font())
        self.mount_preview.setStyleSheet(f"color: {help_colour(self)};")
        self._row(g, 3, "Clients will run:", self.mount_preview)
        g.addWidget(help_label("Every client in the VCN may mount it read-write (OCI's default export options); "
                               "change them later on the export if needed.", self), 6, 1)
        g.setRowStretch(7, 1)
        return p

    def _review_page(self) -> QWidget:
        p = QWidget()
        lay = QVBoxLayout(p)
        lay.setContentsMargins(0, 0, 0, 0)
        self.summary = QFormLayout()
        self.summary.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setLayout(self.summary)
        lay.addWidget(box)
        self.cli_view = CodeView()
        self.cli_view.setNote("The same three requests with the oci CLI (run in order)")
        lay.addWidget(self.cli_view, 1)
        return p

    def _run_page(self) -> QWidget:
        p = QWidget()
        lay = QVBoxLayout(p)
        lay.setContentsMargins(0, 0, 0, 0)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        self.step_rows: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        for r, (key, text) in enumerate((("fs", "File system"), ("mt", "Mount target"), ("export", "Export"))):
            ic, lab, det = QLabel(), QLabel(text), QLabel("Waiting")
            det.setStyleSheet(f"color: {help_colour(self)};")
            grid.addWidget(ic, r, 0)
            grid.addWidget(lab, r, 1)
            grid.addWidget(det, r, 2)
            self.step_rows[key] = (ic, lab, det)
        grid.setColumnStretch(2, 1)
        lay.addLayout(grid)
        lay.addSpacing(8)
        self.result_box = QFrame()
        self.result_box.setObjectName("mountBox")
        self.result_box.setStyleSheet("QFrame#mountBox { border: 1px solid #2e8b45; border-radius: 4px; "
                                      "background: palette(base); }")
        rl = QVBoxLayout(self.result_box)
        self.result_title = QLabel("<b>Your NFS share is ready.</b> On a client in the VCN, run:")
        rl.addWidget(self.result_title)
        row = QHBoxLayout()
        self.mount_view = QLabel("")
        self.mount_view.setObjectName("mountCommand")
        self.mount_view.setFont(monospace_font())
        self.mount_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.mount_view, 1)
        self.copy_button = QPushButton(icon("copy"), "Copy")
        self.copy_button.clicked.connect(self.copy)
        row.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignTop)
        rl.addLayout(row)
        self.result_box.hide()
        lay.addWidget(self.result_box)
        self.retry_button = QPushButton("Retry the failed step")
        self.retry_button.hide()
        self.retry_button.clicked.connect(self.start)
        lay.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addStretch(1)
        return p

    # ------------------------------------------------------------ pages
    def _set_page(self, i: int) -> None:
        i = max(P_FS, min(i, P_RUN))
        self.pages.setCurrentIndex(i)
        self.heading.setText({P_FS: "The file system", P_MT: "Where clients reach it", P_EXPORT: "The export path",
                              P_REVIEW: "Review", P_RUN: "Creating your NFS share"}[i])
        for j, lab in enumerate(self.step_labels):
            lab.setStyleSheet("font-weight: bold; background: palette(highlight); color: palette(highlighted-text); "
                              "border-radius: 3px;" if j == i else ("" if j < i else f"color: {help_colour(self)};"))
        if i == P_REVIEW:
            self._fill_review()
        self._refresh()

    def next_page(self) -> None:
        i = self.pages.currentIndex()
        if not self.page_errors(i):
            if i == P_FS and self.mt_existing.isChecked():
                self._tasks.replace("existing", self._load_existing())
            self._set_page(i + 1)

    def _refresh(self) -> None:
        if not self._alive:
            return
        i = self.pages.currentIndex()
        running = self.run_task is not None and not self.run_task.done()
        finished = bool(self.mount_command)
        errs = self.page_errors(i) if i < P_REVIEW else {}
        set_message(self.fs_name_error, errs.get("name") if self.fs_name.text() or i > P_FS else None)
        set_message(self.mt_error, errs.get("mt"))
        set_message(self.path_error, errs.get("path"))
        self.back_button.setVisible(P_FS < i <= P_REVIEW)
        self.next_button.setVisible(i < P_REVIEW)
        self.next_button.setEnabled(not errs and not self.busy)
        self.next_button.setDefault(i < P_REVIEW)
        self.create_button.setVisible(i == P_REVIEW)
        self.create_button.setDefault(i == P_REVIEW)
        self.cancel_button.setVisible(i < P_RUN)
        self.close_button.setVisible(i == P_RUN)
        self.close_button.setEnabled(not running)
        self.close_button.setDefault(finished)
        self.status.setText("Loading…" if self.busy else "")
        self.mount_preview.setText(fssvc.mount_command("<mount target IP>", self.path.text() or "/"))
        self.mt_name.setEnabled(self.mt_new.isChecked())
        self.new_box.setEnabled(self.mt_new.isChecked())
        self.existing_box.setEnabled(self.mt_existing.isChecked())

    @property
    def busy(self) -> bool:
        return bool(getattr(self, "_loading", set()))

    def page_errors(self, i: int) -> dict[str, str]:
        errs = {}
        if i >= P_FS:
            name = self.fs_name.text().strip()
            if not name:
                errs["name"] = "A name is required"
            elif len(name) > 255:
                errs["name"] = "At most 255 characters"
            if self.compartment.currentData() is None or self.ad.currentData() is None:
                errs["ad"] = "Choose a compartment and an availability domain"
        if i >= P_MT:
            if self.mt_new.isChecked():
                if not self.mt_name.text().strip():
                    errs["mt"] = "The new mount target needs a name"
                elif self.subnet.currentData() is None:
                    errs["mt"] = f"Choose a subnet usable from {self.ad.currentData() or 'the availability domain'}"
            elif self.existing.currentData() is None:
                errs["mt"] = f"There is no active mount target in {self.ad.currentData()}: create a new one"
        if i >= P_EXPORT:
            err = fscat.check_export_path(self.path.text())
            if err:
                errs["path"] = err
        return errs

    # ------------------------------------------------------------ loading choices
    def _loading_add(self, what: str) -> None:
        self._loading = getattr(self, "_loading", set()) | {what}
        self._refresh()

    def _loading_done(self, what: str) -> None:
        self._loading = getattr(self, "_loading", set()) - {what}
        self._refresh()

    def _load_compartments(self) -> None:
        self.compartment.blockSignals(True)
        self.compartment.clear()
        for o in self.ctx.compartments:
            self.compartment.addItem(o.label, o.value)
            self.compartment.setItemData(self.compartment.count() - 1, o.depth, DEPTH_ROLE)
        i = self.compartment.findData(self.ctx.compartment_id)
        self.compartment.setCurrentIndex(max(i, 0))
        self.compartment.blockSignals(False)
        self._compartment_changed()

    async def _load_ads(self) -> None:
        self._loading_add("ads")
        try:
            ads = await idsvc.list_availability_domains(self.session)
        except OciError as e:
            self.banner.show_error("Could not load the availability domains", e.summary())
            ads = []
        finally:
            self._loading_done("ads")
        self.ad.clear()
        for a in ads:
            self.ad.addItem(a.name, a.name)

    def _compartment_changed(self) -> None:
        self._tasks.replace("vcns", self._load_vcns())
        self._tasks.replace("existing", self._load_existing())

    def _ad_changed(self) -> None:
        self._vcn_changed()
        self._tasks.replace("existing", self._load_existing())

    async def _load_vcns(self) -> None:
        comp = self.compartment.currentData()
        if comp is None:
            return
        self._loading_add("vcns")
        try:
            vcns = [v for v in await netsvc.list_vcns(self.session, comp) if v.lifecycle_state == "AVAILABLE"]
        except OciError as e:
            self.banner.show_error("Could not load the VCNs", e.summary())
            vcns = []
        finally:
            self._loading_done("vcns")
        self.vcn.blockSignals(True)
        self.vcn.clear()
        for v in vcns:
            self.vcn.addItem(f"{v.display_name} ({v.cidr_block})", v.id)
        self.vcn.blockSignals(False)
        if not vcns:
            self.vcn.addItem("No VCN in this compartment", None)
        self._vcn_changed()

    def _vcn_changed(self) -> None:
        self._tasks.replace("subnets", self._load_subnets())

    async def _load_subnets(self) -> None:
        comp, vcn, ad = self.compartment.currentData(), self.vcn.currentData(), self.ad.currentData()
        self.subnet.clear()
        if not comp or not vcn:
            self._refresh()
            return
        self._loading_add("subnets")
        try:
            options = await fscat.subnet_options(self.session, comp, vcn, ad)
        except OciError as e:
            self.banner.show_error("Could not load the subnets", e.summary())
            options = []
        finally:
            self._loading_done("subnets")
        self.subnet.clear()
        # private subnets first: a file server rarely belongs in a public one
        options.sort(key=lambda o: (not o.data.prohibit_public_ip_on_vnic, o.label))
        for o in options:
            self.subnet.addItem(o.label, o.value)
        self.subnet_data = {o.value: o.data for o in options}
        self._refresh()

    async def _load_existing(self) -> None:
        comp, ad = self.compartment.currentData(), self.ad.currentData()
        self.existing.clear()
        if not comp or not ad:
            return
        self._loading_add("existing")
        try:
            mts = [m for m in await fssvc.list_mount_targets(self.session, comp, ad) if m.lifecycle_state == "ACTIVE"]
            ips = await asyncio.gather(*(fssvc.mount_target_ip(self.session, m) for m in mts))
        except OciError as e:
            self.banner.show_error("Could not load the mount targets", e.summary())
            mts, ips = [], []
        finally:
            self._loading_done("existing")
        self.existing.clear()
        self.existing_data = {}
        for m, ip in zip(mts, ips, strict=True):
            self.existing.addItem(f"{m.display_name} ({ip or 'no IP'})", m.id)
            self.existing_data[m.id] = (m, ip)
        self.mt_existing.setText(f"Use an existing mount target in {ad}"
                                 + ("" if mts else " (there is none)"))
        self.mt_existing.setEnabled(bool(mts))
        if not mts and self.mt_existing.isChecked():
            self.mt_new.setChecked(True)
        self._refresh()

    def _mt_mode(self) -> None:
        self._refresh()

    def _name_changed(self, text: str) -> None:
        if not self._path_edited:
            self.path.setText("/" + text.strip().strip("/").replace(" ", "-"))
        self._refresh()

    # ------------------------------------------------------------ review
    def _fs_details(self):
        return fscat.M.CreateFileSystemDetails(compartment_id=self.compartment.currentData(),
                                               availability_domain=self.ad.currentData(),
                                               display_name=self.fs_name.text().strip())

    def _mt_details(self):
        return fscat.M.CreateMountTargetDetails(compartment_id=self.compartment.currentData(),
                                                availability_domain=self.ad.currentData(),
                                                subnet_id=self.subnet.currentData(),
                                                display_name=self.mt_name.text().strip())

    def cli_text(self) -> str:
        lines = ["# 1. the file system", fscat.fs_cli(self._fs_details()), ""]
        if self.mt_new.isChecked():
            lines += ["# 2. the mount target (note its exportSetId and privateIpIds)", fscat.mt_cli(self._mt_details()),
                      ""]
            es = "<export-set-id of the new mount target>"
        else:
            m, _ip = self.existing_data.get(self.existing.currentData(), (None, None))
            lines += [f"# 2. the existing mount target {m.display_name if m else ''}: its export set", ""]
            es = m.export_set_id if m else "<export-set-id>"
        lines += ["# 3. the export", fscat.export_cli(es, "<id of the new file system>", self.path.text().strip())]
        return "\n".join(lines)

    def _fill_review(self) -> None:
        while self.summary.rowCount():
            self.summary.removeRow(0)
        comp = self.compartment.currentText().strip()
        rows = [("File system", f"{self.fs_name.text().strip()} in {comp}, {self.ad.currentData()}")]
        if self.mt_new.isChecked():
            rows.append(("Mount target", f"new: {self.mt_name.text().strip()} in {self.subnet.currentText()}"))
        else:
            rows.append(("Mount target", f"existing: {self.existing.currentText()}"))
        rows.append(("Export path", self.path.text().strip()))
        for k, v in rows:
            lab = QLabel(f"{k}:")
            lab.setStyleSheet(f"color: {help_colour(self)};")
            val = QLabel(v)
            val.setWordWrap(True)
            self.summary.addRow(lab, val)
        self.cli_view.setText(self.cli_text())

    # ------------------------------------------------------------ creating
    def start(self) -> None:
        if self.run_task is not None and not self.run_task.done():
            return
        self.banner.clear()
        self.retry_button.hide()
        self._set_page(P_RUN)
        self.run_task = aio.spawn(self._run(), name="nfs-wizard")
        self.run_task.add_done_callback(lambda _t: self._refresh())
        self._refresh()

    def _step(self, key: str, state: str, detail: str) -> None:
        ic, _lab, det = self.step_rows[key]
        st = {"wait": OpState.QUEUED, "run": OpState.RUNNING, "ok": OpState.SUCCEEDED, "fail": OpState.FAILED}[state]
        ic.setPixmap(status_icon(st, 16).pixmap(16, 16))
        det.setText(detail)

    async def _create(self, key: str, kind_id: str, request, title: str, label: str):
        """One create as a tracked operation; returns the ACTIVE resource (raises OciError on failure)."""
        if key in self.created:
            return self.created[key]
        kind = catalog.kind(kind_id)
        op = self.oplog.start(title, kind="create", resource_label=label)
        self._step(key, "run", "Submitting…")

        def follow(_op, _event, op=op):
            if _op is op and self._alive and not op.state.done:
                self._step(key, "run", op.detail or "Working…")
        self.oplog.subscribe(follow)
        try:
            spec = kind.create or fscat.FILE_SYSTEM_FORM
            await execute.run_create(self.session, self.oplog, kind, spec, {}, request, self.tokens[key], op=op,
                                     on_resource=self.window_._resource_changed)
        finally:
            self.oplog.unsubscribe(follow)
        if op.state is not OpState.SUCCEEDED or op.result is None:
            err = op.error or OciError(f"{kind.singular} was not created", code="Failed")
            self._step(key, "fail", err.summary())
            raise err
        self.created[key] = op.result
        self._step(key, "ok", f"{op.result.lifecycle_state}")
        return op.result

    async def _run(self) -> None:
        name = self.fs_name.text().strip()
        path = self.path.text().strip()
        for k in ("fs", "mt", "export"):
            if k not in self.created:
                self._step(k, "wait", "Waiting")
        try:
            fs_req = fscat.Request("file_storage", "create_file_system", self._fs_details())
            jobs = [self._create("fs", "filestorage.file_system", fs_req, f"Create file system {name}", name)]
            if self.mt_new.isChecked():
                mt_name = self.mt_name.text().strip()
                mt_req = fscat.Request("file_storage", "create_mount_target", self._mt_details())
                jobs.append(self._create("mt", "filestorage.mount_target", mt_req, f"Create mount target {mt_name}",
                                         mt_name))
            else:
                m, _ip = self.existing_data[self.existing.currentData()]
                self.created["mt"] = m
                self._step("mt", "ok", f"Using {m.display_name}")
            results = await asyncio.gather(*jobs, return_exceptions=True)
            for r in results:
                if isinstance(r, BaseException):
                    raise r
            fs, mt = self.created["fs"], self.created["mt"]
            exp_req = fscat.export_request(mt.export_set_id, fs.id, path)
            await self._create("export", "filestorage.export", exp_req, f"Export {name} as {path}", path)
            ip = await fssvc.mount_target_ip(self.session, mt)
        except OciError as e:
            self.banner.show_error(f"Not finished — {e.code or 'Error'}", e.message
                                   + (f"\nopc-request-id: {e.request_id}" if e.request_id else "")
                                   + "\nWhat was created is kept; Retry continues from the failed step.")
            self.retry_button.show()
            self._refresh()
            return
        self.mount_command = fssvc.mount_command(ip or "<mount target IP>", path)
        mkdir = f"sudo mkdir -p /mnt/{path.strip('/')}"
        self.mount_view.setText(f"{mkdir}\n{self.mount_command}")
        self.result_box.show()
        self._refresh()
        self.finishedCreating.emit(self.mount_command)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.mount_view.text())
        self.copy_button.setText("Copied")
        QTimer.singleShot(1500, self.copy_button, lambda: self.copy_button.setText("Copy"))

    # ------------------------------------------------------------ closing
    def reject(self) -> None:
        if self.run_task is not None and not self.run_task.done():
            return  # the creates are under way: they finish in the activity panel; Close when done
        super().reject()

    def _closed(self, *_):
        self._alive = False
        self._tasks.cancel_all()
