"""File transfers (Object Storage uploads and downloads) as operations of the activity panel.

`TransferManager` belongs to the main window (`window.transfers`, installed by gui.storage_ui),
not to any browser: a transfer keeps running when the person opens another bucket or goes
back to the list, and a browser opened later shows it again. Each transfer is an `Operation`
of kind "transfer" with bytes progress and a cancel hook (the activity panel's Cancel);
at most `MAX_RUNNING` run at once, the others wait (QUEUED). The bytes move on worker
threads (services.object_storage), progress arrives on the GUI thread at most ten times a
second per transfer.

`TransferTable` (the browser's transfer list: a progress bar and a cancel button per row, and
an overall bar) and `TransferStatus` (the status bar badge) are views over the manager.
"""

from __future__ import annotations

import asyncio
import mimetypes
import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..core.errors import OciError
from ..core.operations import Operation, OperationLog, OpState
from . import aio
from .activity import ProgressDelegate, ProgressRole, status_icon
from .icons import icon
from .qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QModelIndex,
    QObject,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .resource_view import human_size

MAX_RUNNING = 3
SPEED_WINDOW = 3.0  # seconds of history for the transfer rate


if TYPE_CHECKING:
    from ..services import object_storage as oss


def _oss():
    """services.object_storage, imported when the first transfer starts (the status badge is built at start-up)."""
    from ..services import object_storage
    return object_storage


@dataclass
class TransferItem:
    direction: str  # "upload" | "download"
    bucket: str
    name: str  # the object name
    path: str  # the local file
    size: int
    op: Operation
    transfer: oss.Transfer
    task: asyncio.Task | None = None
    samples: list[tuple[float, int]] = field(default_factory=list)

    @property
    def state(self) -> OpState:
        return self.op.state

    @property
    def done(self) -> bool:
        return self.op.state.done

    @property
    def moved(self) -> int:
        return self.size if self.op.state is OpState.SUCCEEDED else self.transfer.done

    @property
    def speed(self) -> float | None:
        """Bytes per second over the last few seconds (None until known)."""
        if len(self.samples) < 2 or self.done:
            return None
        (t0, b0), (t1, b1) = self.samples[0], self.samples[-1]
        return (b1 - b0) / (t1 - t0) if t1 > t0 else None

    def describe_progress(self) -> str:
        text = f"{human_size(self.moved)} of {human_size(self.size)}"
        sp = self.speed
        if sp:
            text += f" · {human_size(sp)}/s"
        return text


class TransferManager(QObject):
    """Every transfer of one window: start, progress, cancel; survives the views that show it."""

    added = Signal(object)  # TransferItem
    changed = Signal(object)  # TransferItem (progress or state)
    finished = Signal(object)  # TransferItem (succeeded, failed or cancelled)

    def __init__(self, oplog: OperationLog, parent=None):
        super().__init__(parent)
        self.oplog = oplog
        self.items: list[TransferItem] = []
        self.part_size: int | None = None  # the service layer's defaults (object_storage.PART_SIZE, ...)
        self.threshold: int | None = None
        self.parallel_parts = 4
        self._sem: asyncio.Semaphore | None = None
        self._sem_loop = None

    # ------------------------------------------------------------ starting
    def upload(self, session, bucket: str, name: str, path: str, size: int) -> TransferItem:
        return self._start(session, "upload", bucket, name, path, size)

    def download(self, session, bucket: str, name: str, dest: str, size: int = 0) -> TransferItem:
        return self._start(session, "download", bucket, name, dest, size)

    def _start(self, session, direction: str, bucket: str, name: str, path: str, size: int) -> TransferItem:
        short = name.rstrip("/").rsplit("/", 1)[-1] or name
        title = f"Upload {short} to {bucket}" if direction == "upload" else f"Download {short} from {bucket}"
        op = self.oplog.start(title, kind="transfer", resource_label=f"{bucket}/{name}")
        item = TransferItem(direction, bucket, name, path, int(size or 0), op, _oss().Transfer(int(size or 0)))
        item.transfer.on_progress = lambda done, total, it=item: self._progress(it, done, total)
        op.cancel = lambda it=item: self.cancel(it)
        self.oplog.update(op, bytes_done=0, bytes_total=item.size, detail="Waiting")
        self.items.append(item)
        item.task = aio.spawn(self._run(session, item), name=f"transfer:{direction}:{name}")
        self.added.emit(item)
        return item

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._sem is None or self._sem_loop is not loop:
            self._sem, self._sem_loop = asyncio.Semaphore(MAX_RUNNING), loop
        return self._sem

    async def _run(self, session, item: TransferItem) -> None:
        op = item.op
        try:
            async with self._semaphore():
                item.transfer.check()
                item.samples = [(time.monotonic(), 0)]
                self.oplog.bytes(op, 0, item.size, detail="Starting")
                self.changed.emit(item)
                svc = _oss()
                if item.direction == "upload":
                    ctype = mimetypes.guess_type(item.path)[0]
                    await svc.upload_file(session, item.bucket, item.name, item.path, item.transfer,
                                          content_type=ctype, part_size=self.part_size or svc.PART_SIZE,
                                          threshold=self.threshold or svc.MULTIPART_THRESHOLD,
                                          parallel=self.parallel_parts)
                else:
                    await svc.download_object(session, item.bucket, item.name, item.path, item.transfer)
                    item.size = item.transfer.total
            verb = "Uploaded" if item.direction == "upload" else "Downloaded"
            parts = f" in {item.transfer.parts} parts" if item.transfer.parts else ""
            self.oplog.update(op, bytes_done=item.size, bytes_total=item.size)
            self.oplog.succeed(op, detail=f"{verb} {human_size(item.size)}{parts}")
        except asyncio.CancelledError:
            self.oplog.cancel(op)
        except OciError as e:
            if e.kind == "cancelled" or item.transfer.cancelled:
                self.oplog.cancel(op)
            else:
                self.oplog.fail(op, e)
        except OSError as e:  # the local file could not be read
            self.oplog.fail(op, OciError(f"Cannot read {item.path}: {e.strerror or e}", code="LocalFileError",
                                         kind="input"))
        finally:
            op.cancel = None
            self.changed.emit(item)
            self.finished.emit(item)

    # ------------------------------------------------------------ progress and control
    def _progress(self, item: TransferItem, done: int, total: int) -> None:
        if item.done:
            return
        now = time.monotonic()
        item.samples.append((now, done))
        while len(item.samples) > 2 and now - item.samples[0][0] > SPEED_WINDOW:
            item.samples.pop(0)
        if total and total != item.size:
            item.size = total
        self.oplog.bytes(item.op, done, item.size or None, detail=item.describe_progress())
        self.changed.emit(item)

    def cancel(self, item: TransferItem) -> None:
        """Stop a transfer: the bytes stop moving at once, a multipart upload is aborted, a partial
        download is removed; the operation ends Cancelled."""
        if item.done:
            return
        item.transfer.cancel()
        if item.task is not None and not item.task.done():
            item.task.cancel()

    def cancel_all(self, bucket: str | None = None) -> None:
        for it in list(self.items):
            if bucket is None or it.bucket == bucket:
                self.cancel(it)

    def active(self, bucket: str | None = None) -> list[TransferItem]:
        return [i for i in self.items if not i.done and (bucket is None or i.bucket == bucket)]

    def for_bucket(self, bucket: str) -> list[TransferItem]:
        return [i for i in self.items if i.bucket == bucket]

    def clear_finished(self, bucket: str | None = None) -> None:
        self.items = [i for i in self.items if not i.done or (bucket is not None and i.bucket != bucket)]
        self.changed.emit(None)

    @staticmethod
    def overall(items: list[TransferItem]) -> tuple[int, int]:
        """(bytes moved, bytes to move) over transfers that did not fail or get cancelled."""
        counted = [i for i in items if i.state not in (OpState.FAILED, OpState.CANCELLED)]
        return sum(i.moved for i in counted), sum(i.size for i in counted)


def manager_of(window) -> TransferManager:
    """The window's transfer manager (created on first use)."""
    m = getattr(window, "transfers", None)
    if m is None:
        m = TransferManager(window.oplog, window)
        window.transfers = m
    return m


# ---------------------------------------------------------------- the browser's transfer list

COLS = ("Name", "Progress", "Transferred", "Status", "")
C_NAME, C_PROGRESS, C_BYTES, C_STATUS, C_CANCEL = range(len(COLS))


class TransferModel(QAbstractTableModel):
    """The transfers of one bucket, newest first, cells read from the items."""

    def __init__(self, manager: TransferManager, bucket: str, parent=None):
        super().__init__(parent)
        self.manager, self.bucket = manager, bucket
        self.rows: list[TransferItem] = []
        self.refresh()

    def refresh(self) -> None:
        rows = list(reversed(self.manager.for_bucket(self.bucket)))
        if [id(r) for r in rows] != [id(r) for r in self.rows]:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()
        elif rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(COLS) - 1))

    def item_changed(self, item) -> None:
        if item is None or item not in self.rows:
            self.refresh()
            return
        r = self.rows.index(item)
        self.dataChanged.emit(self.index(r, 0), self.index(r, len(COLS) - 1))

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        it = self.rows[index.row()]
        c = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if c == C_NAME:
                return it.name
            if c == C_PROGRESS:
                return "" if it.state is OpState.RUNNING else ("Waiting…" if it.state is OpState.QUEUED else "")
            if c == C_BYTES:
                return it.describe_progress() if not it.done else human_size(it.size)
            if c == C_STATUS:
                if it.state is OpState.FAILED and it.op.error is not None:
                    return it.op.error.summary()
                return {"upload": "Uploading", "download": "Downloading"}[it.direction] \
                    if it.state is OpState.RUNNING else it.state.value
        if role == ProgressRole and c == C_PROGRESS and it.state is OpState.RUNNING:
            return float(it.op.progress or 0.0)
        if role == Qt.ItemDataRole.DecorationRole:
            if c == C_NAME:
                return icon("upload" if it.direction == "upload" else "download")
            if c == C_STATUS:
                return status_icon(it.state)
            if c == C_CANCEL and not it.done:
                return icon("cancel")
        if role == Qt.ItemDataRole.ToolTipRole:
            if c == C_CANCEL and not it.done:
                return "Cancel this transfer"
            if c == C_NAME:
                return f"{it.bucket}/{it.name}\n{it.path}"
            if c == C_STATUS and it.op.error is not None:
                return it.op.error.details()
        return None

    def item(self, row: int) -> TransferItem | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None


class TransferTable(QWidget):
    """A bucket's transfers: overall progress, one row per transfer with its bar and a cancel button."""

    def __init__(self, manager: TransferManager, bucket: str, parent=None):
        super().__init__(parent)
        self.manager, self.bucket = manager, bucket
        self.model = TransferModel(manager, bucket, self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.setSpacing(4)
        head = QHBoxLayout()
        self.title = QLabel("<b>Transfers</b>")
        self.summary = QLabel("")
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.overall = QProgressBar()
        self.overall.setObjectName("overallProgress")
        self.overall.setRange(0, 1000)
        self.overall.setTextVisible(True)
        self.overall.setMaximumHeight(16)
        self.overall.setMinimumWidth(100)
        self.overall.setMaximumWidth(220)
        self.cancel_all_button = QPushButton(icon("cancel"), "Cancel all")
        self.cancel_all_button.clicked.connect(lambda: manager.cancel_all(bucket))
        self.clear_button = QPushButton("Clear finished")
        self.clear_button.clicked.connect(lambda: manager.clear_finished(bucket))
        head.addWidget(self.title)
        head.addWidget(self.summary, 1)
        head.addWidget(self.overall)
        head.addWidget(self.cancel_all_button)
        head.addWidget(self.clear_button)
        lay.addLayout(head)
        self.view = QTableView()
        self.view.setObjectName("transferTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        hh = self.view.horizontalHeader()
        hh.setSectionResizeMode(C_NAME, QHeaderView.ResizeMode.Stretch)
        for c, w in ((C_PROGRESS, 170), (C_BYTES, 200), (C_STATUS, 130), (C_CANCEL, 28)):
            mode = QHeaderView.ResizeMode.Fixed if c == C_CANCEL else QHeaderView.ResizeMode.Interactive
            hh.setSectionResizeMode(c, mode)
            self.view.setColumnWidth(c, w)
        hh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.view.setItemDelegateForColumn(C_PROGRESS, ProgressDelegate(self.view))
        self.view.clicked.connect(self._clicked)
        lay.addWidget(self.view)
        self.setMaximumHeight(200)
        manager.changed.connect(self._changed)  # bound methods: disconnected when this widget goes
        manager.added.connect(self._added)
        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.setInterval(100)
        self._throttle.timeout.connect(self._update_summary)
        self._changed(None)

    def _added(self, _item) -> None:
        self._changed(None)

    def _clicked(self, index) -> None:
        if index.column() == C_CANCEL:
            it = self.model.item(index.row())
            if it is not None:
                self.manager.cancel(it)

    def _changed(self, item) -> None:
        if item is not None and item.bucket != self.bucket:
            return
        self.model.item_changed(item)
        if not self._throttle.isActive():
            self._throttle.start()

    def _update_summary(self) -> None:
        items = self.manager.for_bucket(self.bucket)
        self.setVisible(bool(items))
        active = [i for i in items if not i.done]
        done, total = TransferManager.overall(items)
        failed = sum(1 for i in items if i.state is OpState.FAILED)
        finished = sum(1 for i in items if i.state is OpState.SUCCEEDED)
        parts = [f"{finished} of {len(items)} done"]
        if active:
            parts.append(f"{len(active)} in progress")
        if failed:
            parts.append(f"{failed} failed")
        self.summary.setText(" · ".join(parts) + f" · {human_size(done)} of {human_size(total)}")
        self.overall.setValue(int(1000 * done / total) if total else (1000 if items else 0))
        self.overall.setFormat(f"{100 * done / total:.0f}%" if total else "")
        self.cancel_all_button.setEnabled(bool(active))
        self.clear_button.setEnabled(len(active) < len(items))

    def overall_percent(self) -> float:
        done, total = TransferManager.overall(self.manager.for_bucket(self.bucket))
        return 100.0 * done / total if total else 0.0


class TransferStatus(QWidget):
    """Status bar badge while transfers run: '⇅ 2 transfers — 45%' with a small bar; click shows the activity."""

    clicked = Signal()

    def __init__(self, manager: TransferManager, parent=None):
        super().__init__(parent)
        self.manager = manager
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 0, 4, 0)
        lay.setSpacing(6)
        self.label = QLabel("")
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setFixedSize(90, 10)
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.refresh)
        manager.changed.connect(self._soon)
        manager.added.connect(self._soon)
        self.setToolTip("Transfers in progress (click to show the activity panel)")
        self.refresh()

    def _soon(self, *_) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def refresh(self) -> None:
        active = self.manager.active()
        self.setVisible(bool(active))
        if not active:
            return
        done, total = TransferManager.overall(active)
        pct = 100 * done / total if total else 0
        self.label.setText(f"⇅ {len(active)} transfer{'s' if len(active) != 1 else ''} — {pct:.0f}%")
        self.bar.setValue(int(10 * pct))

    def mousePressEvent(self, event) -> None:
        self.clicked.emit()
        super().mousePressEvent(event)


def scan_paths(paths: list[str], prefix: str) -> list[tuple[str, str, int]]:
    """[(local file, object name, size)] for files and folders dropped or chosen (runs on a worker thread:
    folders may be large). A folder keeps its own name and its tree under `prefix`."""
    out = []
    for p in paths:
        p = os.path.abspath(p)
        if os.path.isdir(p):
            base = os.path.basename(p.rstrip(os.sep)) or "folder"
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    full = os.path.join(root, f)
                    rel = os.path.relpath(full, p).replace(os.sep, "/")
                    try:
                        out.append((full, f"{prefix}{base}/{rel}", os.path.getsize(full)))
                    except OSError:
                        continue
        elif os.path.isfile(p):
            out.append((p, prefix + os.path.basename(p), os.path.getsize(p)))
    return out
