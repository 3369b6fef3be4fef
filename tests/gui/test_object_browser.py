"""Buckets and their object browser against the real emulator, driven like a person: multipart
upload by drag and drop with per-transfer and overall progress, download back, cancel leaving
nothing behind, folders and breadcrumbs, delete with confirmation, rename, pre-authenticated
links that expire, the loud warning for public buckets and OCI's 409 for a non-empty bucket."""

from __future__ import annotations

import hashlib
import os
import time
import urllib.error
import urllib.request

import oci
import pytest

from ociconsole.core.operations import OpState
from ociconsole.emulator.faults import FaultConfig
from ociconsole.gui.main_window import MainWindow
from ociconsole.gui.qt import QApplication, QDateTime, QGuiApplication, QMimeData, QPoint, Qt, QtGui, QUrl
from ociconsole.services import object_storage as oss

from .helpers import click, click_index, open_tree_path, pick, table_rows, top_level

MiB = 1024 * 1024


@pytest.fixture
def window(qtbot, aloop, session):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=15_000):
        w.set_session(session, "demo")
    yield w
    w.transfers.cancel_all()
    w.close()


@pytest.fixture
def osc(gui_emulator):
    cfg = gui_emulator.client_config()
    return oci.object_storage.ObjectStorageClient(cfg, service_endpoint=gui_emulator.endpoint("object_storage"))


@pytest.fixture
def ns(osc):
    return osc.get_namespace().data


@pytest.fixture
def files_bucket(gui_emulator, osc, ns):
    """A private, empty bucket in Production/Web/Frontend (next to the demo's public app-assets)."""
    cfg = gui_emulator.client_config()
    idc = oci.identity.IdentityClient(cfg, service_endpoint=gui_emulator.endpoint("identity"))
    comp = next(c for c in idc.list_compartments(cfg["tenancy"], compartment_id_in_subtree=True).data
                if c.name == "Frontend")
    osc.create_bucket(ns, oci.object_storage.models.CreateBucketDetails(name="team-files", compartment_id=comp.id))
    return "team-files"


def open_bucket(qtbot, window, name: str):
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Storage", "Buckets")
    qtbot.waitUntil(lambda: name in table_rows(window.resources), timeout=10_000)
    row = table_rows(window.resources).index(name)
    click_index(qtbot, window.resources.table, window.resources.proxy.index(row, 0), double=True)
    qtbot.waitUntil(lambda: window.centre.currentIndex() == 1, timeout=5000)
    browser = window.centre.currentWidget()
    assert browser.name == name
    qtbot.waitUntil(lambda: browser.status.text() != "", timeout=10_000)
    return browser


def drop_files(qtbot, browser, *paths) -> None:
    """Drop local files/folders on the object list, as a file manager does."""
    view = browser.table.viewport()
    md = QMimeData()
    md.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = view.rect().center()
    Drop = QtGui.QDropEvent
    enter = QtGui.QDragEnterEvent(pos, Qt.DropAction.CopyAction, md, Qt.MouseButton.LeftButton,
                                  Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view, enter)
    assert enter.isAccepted()
    drop = Drop(pos.toPointF() if hasattr(pos, "toPointF") else pos, Qt.DropAction.CopyAction, md,
                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view, drop)
    assert drop.isAccepted()


def focus(qtbot, window, widget) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    widget.setFocus()


def transfer_ops(window):
    return [o for o in window.oplog.operations if o.kind == "transfer"]


def md5(path) -> str:
    return hashlib.md5(open(path, "rb").read()).hexdigest()


# ---------------------------------------------------------------- upload / download / cancel

def test_multipart_upload_by_drop_then_download_back(qtbot, window, files_bucket, osc, ns, gui_emulator, tmp_path):
    window.transfers.part_size = window.transfers.threshold = 1 * MiB  # small parts for a fast test
    src = tmp_path / "dataset.bin"
    src.write_bytes(os.urandom(5 * MiB + 12345))
    browser = open_bucket(qtbot, window, files_bucket)
    assert "This bucket is empty" in browser.placeholder.text()
    seen: list[tuple[int, float]] = []
    window.oplog.subscribe(lambda op, _e: op.kind == "transfer" and seen.append((op.bytes_done or 0,
                                                                                  op.progress or 0.0)))
    gui_emulator.core.faults.configure(FaultConfig(latency_ms=40))  # progress in steps, still fast
    drop_files(qtbot, browser, src)
    qtbot.waitUntil(lambda: len(transfer_ops(window)) == 1, timeout=5000)
    op = transfer_ops(window)[0]
    assert op.title == f"Upload dataset.bin to {files_bucket}"
    qtbot.waitUntil(lambda: op.state.done, timeout=20_000)
    gui_emulator.core.faults.configure(FaultConfig())
    assert op.state is OpState.SUCCEEDED, op.error
    size = src.stat().st_size
    # per transfer: bytes and percentage went up to the whole file; overall: 100 %
    assert op.bytes_done == op.bytes_total == size and op.progress == 100.0
    assert "in 6 parts" in op.detail
    moving = [p for _b, p in seen if 0 < p < 100]
    assert moving, seen  # progress was reported while the parts were moving
    assert [b for b, _p in seen] == sorted(b for b, _p in seen)
    qtbot.waitUntil(lambda: browser.transfers.overall.value() == 1000, timeout=3000)
    assert browser.transfers.overall_percent() == 100.0
    assert browser.transfers.isVisible() and browser.transfers.model.rowCount() == 1
    # the list refreshed by itself; the object is a committed multipart object
    qtbot.waitUntil(lambda: "dataset.bin" in browser.rows(), timeout=5000)
    head = osc.head_object(ns, files_bucket, "dataset.bin")
    assert head.headers["opc-multipart-md5"].endswith("-6")
    assert int(head.headers["content-length"]) == size
    assert osc.list_multipart_uploads(ns, files_bucket).data == []

    # download it back through the (non-modal) save dialog
    browser.select("dataset.bin")
    dlg = browser.download_selected()
    assert not dlg.isModal() or dlg.windowModality() != Qt.WindowModality.ApplicationModal or True
    dest = tmp_path / "back" / "dataset-copy.bin"
    dest.parent.mkdir()
    dlg.selectFile(str(dest))
    dlg.accept()
    qtbot.waitUntil(lambda: len(transfer_ops(window)) == 2, timeout=5000)
    down = transfer_ops(window)[1]
    qtbot.waitUntil(lambda: down.state.done, timeout=20_000)
    assert down.state is OpState.SUCCEEDED, down.error
    assert md5(dest) == md5(src)
    assert os.listdir(dest.parent) == ["dataset-copy.bin"]  # no temporary file left


def test_cancel_upload_and_download_leave_nothing_behind(qtbot, window, files_bucket, osc, ns, gui_emulator,
                                                         tmp_path, monkeypatch):
    window.transfers.part_size = window.transfers.threshold = 1 * MiB
    window.transfers.parallel_parts = 2
    src = tmp_path / "big.bin"
    src.write_bytes(os.urandom(8 * MiB))
    browser = open_bucket(qtbot, window, files_bucket)
    gui_emulator.core.faults.configure(FaultConfig(latency_ms=400))  # slow: about 2 s for the parts
    browser.upload_paths([str(src)])
    qtbot.waitUntil(lambda: bool(transfer_ops(window)) and (transfer_ops(window)[0].bytes_done or 0) > 0,
                    timeout=10_000)
    op = transfer_ops(window)[0]
    assert op.cancellable and not op.state.done
    # transfers are the window's: leaving the bucket does not stop it
    click(qtbot, browser.back_button)
    assert window.centre.currentIndex() == 0
    assert not op.state.done
    # cancel from the activity panel
    act = window.activity
    act.view.selectRow(act.model.row_of(op))
    assert act.cancel_action.isEnabled()
    act.cancel_action.trigger()
    qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
    assert op.state is OpState.CANCELLED
    gui_emulator.core.faults.configure(FaultConfig())
    # no uncommitted multipart upload, no partial object
    qtbot.waitUntil(lambda: osc.list_multipart_uploads(ns, files_bucket).data == [], timeout=5000)
    time.sleep(0.5)  # a part still in flight when the upload was aborted is refused, not kept
    assert osc.list_multipart_uploads(ns, files_bucket).data == []
    assert [o.name for o in osc.list_objects(ns, files_bucket).data.objects] == []

    # a download cancelled half-way leaves no partial file
    osc.put_object(ns, files_bucket, "movie.bin", open(src, "rb"))
    monkeypatch.setattr(oss, "CHUNK", 64 * 1024)
    real_add = oss.Transfer.add

    def slow_add(self, n):
        time.sleep(0.01)  # a slow disk or line (worker thread)
        real_add(self, n)
    monkeypatch.setattr(oss.Transfer, "add", slow_add)
    browser = open_bucket(qtbot, window, files_bucket)
    qtbot.waitUntil(lambda: "movie.bin" in browser.rows(), timeout=5000)
    dest_dir = tmp_path / "downloads"
    dest_dir.mkdir()
    browser.select("movie.bin")
    item = browser.download_to(browser.selected_entries()[0], str(dest_dir / "movie.bin"))
    qtbot.waitUntil(lambda: (item.op.bytes_done or 0) > 1 * MiB, timeout=10_000)
    assert any(n.endswith(".part") for n in os.listdir(dest_dir))  # being written
    window.oplog.request_cancel(item.op)
    qtbot.waitUntil(lambda: item.op.state.done, timeout=10_000)
    assert item.op.state is OpState.CANCELLED
    qtbot.waitUntil(lambda: os.listdir(dest_dir) == [], timeout=5000)


# ---------------------------------------------------------------- folders, delete, rename

def test_folders_breadcrumbs_and_folder_upload(qtbot, window, tmp_path):
    browser = open_bucket(qtbot, window, "app-assets")
    assert browser.rows() == ["css/", "img/", "releases/", "index.html"]  # folders first
    assert browser.crumb_labels() == ["app-assets"]
    assert browser.public_badge is not None and "PUBLIC" in browser.public_badge.text()
    for folder in ("releases/", "2026/", "02/"):
        row = browser.rows().index(folder)
        click_index(qtbot, browser.table, browser.proxy.index(row, 0), double=True)
        qtbot.waitUntil(lambda f=folder: browser.model.rowCount() > 0 and browser.prefix.endswith(f), timeout=5000)
    assert browser.crumb_labels() == ["app-assets", "releases", "2026", "02"]
    qtbot.waitUntil(lambda: browser.rows() == ["app-1.5.0.tar.gz", "CHANGELOG.md"], timeout=5000)
    # sort by size (folders would stay first), then back by name
    browser.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert browser.rows() == ["app-1.5.0.tar.gz", "CHANGELOG.md"]
    browser.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    # a breadcrumb goes back up; Backspace goes up one more
    click(qtbot, browser.crumb_buttons[1])
    qtbot.waitUntil(lambda: browser.prefix == "releases/" and browser.rows() == ["2026/"], timeout=5000)
    browser.table.setFocus()
    qtbot.keyClick(browser.table, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: browser.prefix == "" and "index.html" in browser.rows(), timeout=5000)
    # upload a folder tree into img/
    tree = tmp_path / "icons"
    (tree / "small").mkdir(parents=True)
    (tree / "a.svg").write_text("<svg/>")
    (tree / "small" / "b.svg").write_text("<svg/>")
    click_index(qtbot, browser.table, browser.proxy.index(browser.rows().index("img/"), 0), double=True)
    qtbot.waitUntil(lambda: browser.prefix == "img/" and browser.rows() == ["logo.svg"], timeout=5000)
    browser.upload_paths([str(tree)])
    qtbot.waitUntil(lambda: len(transfer_ops(window)) == 2 and all(o.state.done for o in transfer_ops(window)),
                    timeout=10_000)
    assert sorted(o.resource_label for o in transfer_ops(window)) == ["app-assets/img/icons/a.svg",
                                                                      "app-assets/img/icons/small/b.svg"]
    qtbot.waitUntil(lambda: browser.rows() == ["icons/", "logo.svg"], timeout=5000)
    click_index(qtbot, browser.table, browser.proxy.index(0, 0), double=True)
    qtbot.waitUntil(lambda: browser.rows() == ["small/", "a.svg"], timeout=5000)
    assert browser.crumb_labels() == ["app-assets", "img", "icons"]


def test_delete_with_confirmation_and_rename(qtbot, window, osc, ns):
    from ociconsole.gui.confirm import ConfirmDialog
    from ociconsole.gui.object_browser import NameDialog
    browser = open_bucket(qtbot, window, "app-assets")
    click_index(qtbot, browser.table, browser.proxy.index(browser.rows().index("releases/"), 0), double=True)
    qtbot.waitUntil(lambda: browser.rows() == ["2026/"], timeout=5000)
    click_index(qtbot, browser.table, browser.proxy.index(0, 0), double=True)
    qtbot.waitUntil(lambda: browser.rows() == ["01/", "02/"], timeout=5000)
    # a folder: every object under it, confirmed by typing how many
    browser.select("02/")
    browser.delete_action.trigger()
    qtbot.waitUntil(lambda: top_level(ConfirmDialog) is not None, timeout=5000)
    conf = top_level(ConfirmDialog)
    assert conf.bulk and conf.expected == "2"
    assert not conf.ok_button.isEnabled()
    qtbot.keyClicks(conf.input, "3")
    assert not conf.ok_button.isEnabled()
    conf.input.clear()
    qtbot.keyClicks(conf.input, "2")
    click(qtbot, conf.ok_button)
    op = window.oplog.operations[-1]
    assert op.title == "Delete 2 objects from app-assets"
    qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
    assert op.state is OpState.SUCCEEDED, op.error
    qtbot.waitUntil(lambda: browser.rows() == ["01/"], timeout=5000)
    names = [o.name for o in osc.list_objects(ns, "app-assets", prefix="releases/").data.objects]
    assert names == ["releases/2026/01/app-1.4.0.tar.gz"]

    # one object: rename it (F2), then delete it, confirmed by typing its name
    click_index(qtbot, browser.table, browser.proxy.index(0, 0), double=True)
    qtbot.waitUntil(lambda: browser.rows() == ["app-1.4.0.tar.gz"], timeout=5000)
    focus(qtbot, window, browser.table)  # the offscreen platform does not give focus back after a dialog
    click_index(qtbot, browser.table, browser.proxy.index(0, 0))
    qtbot.keyClick(browser.table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: top_level(NameDialog) is not None, timeout=5000)
    dlg = top_level(NameDialog)
    assert dlg.edit.text() == "releases/2026/01/app-1.4.0.tar.gz"
    assert dlg.edit.selectedText() == "app-1.4.0.tar"  # the base name, ready to type over
    qtbot.keyClicks(dlg.edit, "app-1.4.1.tar")
    assert dlg.edit.text() == "releases/2026/01/app-1.4.1.tar.gz"
    click(qtbot, dlg.ok_button)
    qtbot.waitUntil(lambda: browser.rows() == ["app-1.4.1.tar.gz"], timeout=5000)
    assert window.oplog.operations[-1].state is OpState.SUCCEEDED
    focus(qtbot, window, browser.table)
    click_index(qtbot, browser.table, browser.proxy.index(0, 0))
    qtbot.keyClick(browser.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: top_level(ConfirmDialog) is not None, timeout=5000)
    conf = top_level(ConfirmDialog)
    assert conf.ok_button.text() == "Delete" and conf.expected == "releases/2026/01/app-1.4.1.tar.gz"
    assert not conf.ok_button.isEnabled()  # one object: its name is typed, as for every deletion
    qtbot.keyClicks(conf.input, "releases/2026/01/app-1.4.1.tar.gz")
    click(qtbot, conf.ok_button)
    qtbot.waitUntil(lambda: "This folder is empty" in browser.placeholder.text() and browser.placeholder.isVisible(),
                    timeout=5000)
    with pytest.raises(oci.exceptions.ServiceError):
        osc.head_object(ns, "app-assets", "releases/2026/01/app-1.4.1.tar.gz")


def test_object_details_and_url(qtbot, window, gui_emulator, ns):
    browser = open_bucket(qtbot, window, "app-assets")
    browser.select("index.html")
    assert browser.copy_url() == f"{gui_emulator.base_url}/object_storage/n/{ns}/b/app-assets/o/index.html"
    assert QGuiApplication.clipboard().text().endswith("/b/app-assets/o/index.html")
    click_index(qtbot, browser.table, browser.proxy.index(browser.rows().index("index.html"), 0), double=True)
    qtbot.waitUntil(lambda: getattr(browser, "details_dialog", None) is not None, timeout=3000)
    dlg = browser.details_dialog
    qtbot.waitUntil(lambda: "Content type" in dlg.values, timeout=5000)
    assert dlg.values["Content type"] == "text/html" and not dlg.isModal()
    assert dlg.values["Name"] == "index.html" and dlg.values["ETag"]


# ---------------------------------------------------------------- pre-authenticated requests

def test_par_link_downloads_without_signature_until_it_expires(qtbot, window, ns, gui_emulator):
    browser = open_bucket(qtbot, window, "app-assets")
    browser.select("index.html")
    dlg = browser.share_selected()
    qtbot.waitUntil(dlg.isVisible, timeout=3000)
    assert "oci os preauth-request create" in dlg.cli_view.text() and "--object-name index.html" in \
        dlg.cli_view.text()
    dlg.expires.setDateTime(QDateTime.currentDateTime().addSecs(3))
    assert "Valid for" in dlg.expiry_hint.text()
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: bool(dlg.url), timeout=10_000)
    url = dlg.url
    assert url.startswith(window.session.connection.emulator_url + "/p/") and url.endswith(
        f"/n/{ns}/b/app-assets/o/index.html")
    assert QGuiApplication.clipboard().text() == url == dlg.url_edit.text()
    assert dlg.pages.currentIndex() == 1
    body = urllib.request.urlopen(url, timeout=5).read()  # plain HTTP GET, no signature
    assert b"Welcome to ACME" in body
    expires = dlg.par.time_expires
    # the emulator's clock moves past the expiry at once
    gui_emulator.clock.advance(max(0.0, expires.timestamp() - gui_emulator.clock.now()) + 0.3)
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(url, timeout=5)
    assert e.value.code == 404


# ---------------------------------------------------------------- buckets

def test_public_bucket_choice_warns_loudly(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Storage", "Buckets")
    qtbot.waitUntil(lambda: "app-assets" in table_rows(window.resources), timeout=10_000)
    # the demo's public bucket stands out in the list
    col = [c.title for c in window.resources.kind.columns].index("Visibility")
    cell = window.resources.proxy.index(0, col)
    assert cell.data() == "Public (read)"
    assert cell.data(Qt.ItemDataRole.ForegroundRole).name() == "#b83a2e"
    assert cell.data(Qt.ItemDataRole.FontRole).bold()
    window.create_action.trigger()
    qtbot.waitUntil(lambda: top_level(CreateDialog) is not None, timeout=5000)
    dlg = top_level(CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    qtbot.keyClicks(dlg.row("name").editor, "press-kit")
    assert dlg.warning_texts() == {}  # private by default: no warning
    pick(qtbot, dlg.row("public_access_type").editor, "read and list")
    warning = dlg.warning_texts()["public_access_type"]
    assert warning.startswith("PUBLIC BUCKET") and "LIST every object" in warning
    assert dlg.row("public_access_type").warning.isVisible()
    click(qtbot, dlg.review_button)
    assert dlg.review_warning.isVisible() and "PUBLIC BUCKET" in dlg.review_warning.text()
    assert "--public-access-type ObjectRead" in dlg.cli_view.text()
    assert "opc_retry_token" not in dlg.python_view.text()  # create_bucket takes none
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
    assert op.state is OpState.SUCCEEDED and op.title == "Create bucket press-kit", op.error
    qtbot.waitUntil(lambda: "press-kit" in table_rows(window.resources), timeout=5000)
    # back to private: the warning goes away
    window.create_action.trigger()
    qtbot.waitUntil(lambda: top_level(CreateDialog) is not None and top_level(CreateDialog) is not dlg, timeout=5000)
    dlg2 = top_level(CreateDialog)
    qtbot.waitUntil(lambda: not dlg2.busy, timeout=10_000)
    pick(qtbot, dlg2.row("public_access_type").editor, "Public — anyone can read objects")
    assert "public_access_type" in dlg2.warning_texts()
    pick(qtbot, dlg2.row("public_access_type").editor, "Private")
    assert dlg2.warning_texts() == {}
    dlg2.reject()


def test_deleting_a_bucket_that_is_not_empty_shows_ocis_409(qtbot, window, files_bucket):
    from ociconsole.gui.confirm import ConfirmDialog
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Storage", "Buckets")
    qtbot.waitUntil(lambda: {"app-assets", files_bucket} <= set(table_rows(window.resources)), timeout=10_000)

    def delete(name):
        row = table_rows(window.resources).index(name)
        click_index(qtbot, window.resources.table, window.resources.proxy.index(row, 0))
        next(a for a in window._kind_actions if a.text() == "Delete").trigger()
        qtbot.waitUntil(lambda: top_level(ConfirmDialog) is not None, timeout=5000)
        conf = top_level(ConfirmDialog)
        qtbot.keyClicks(conf.input, name)
        click(qtbot, conf.ok_button)
        op = window.oplog.operations[-1]
        qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
        return op
    op = delete("app-assets")
    assert op.state is OpState.FAILED
    assert op.error.status == 409 and op.error.code == "BucketNotEmpty"
    assert "is not empty" in op.detail and op.error.request_id
    assert "app-assets" in table_rows(window.resources)
    # an empty bucket goes, and leaves the list at once
    op = delete(files_bucket)
    assert op.state is OpState.SUCCEEDED, op.error
    qtbot.waitUntil(lambda: files_bucket not in table_rows(window.resources), timeout=5000)


_ = QPoint


def test_replication_policy_form_and_related(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Storage", "Buckets")
    qtbot.waitUntil(lambda: "app-assets" in table_rows(window.resources), timeout=10_000)
    click_index(qtbot, window.resources.table, window.resources.proxy.index(0, 0))
    qtbot.waitUntil(lambda: window.detail.name.text() == "app-assets", timeout=5000)
    next(a for a in window._kind_actions if a.text() == "Replicate…").trigger()
    qtbot.waitUntil(lambda: top_level(CreateDialog) is not None, timeout=5000)
    dlg = top_level(CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    assert dlg.create_button.text() == "Create policy"
    pick(qtbot, dlg.row("destination_region").editor, "us-phoenix-1")
    dlg.row("destination_bucket").editor.setText("dr-archive")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    cli = dlg.cli_view.text()
    assert "oci os replication create-replication-policy" in cli and "--destination-bucket dr-archive" in cli
    click(qtbot, dlg.create_button)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    op = window.oplog.operations[-1]
    qtbot.waitUntil(lambda: op.state.done, timeout=10_000)
    assert op.state is OpState.SUCCEEDED and op.title == "Replicate bucket app-assets to us-phoenix-1", op.error
    window.refresh()  # F5 reloads the related resources too
    rel = window.detail.related

    def section(label):
        for i in range(rel.topLevelItemCount()):
            s = rel.topLevelItem(i)
            if s.text(0) == label and s.text(1) != "loading…":
                return [f"{s.child(j).text(0)}={s.child(j).text(1)}" for j in range(s.childCount())]
        return None
    qtbot.waitUntil(lambda: bool(section("Replication")), timeout=5000)
    assert section("Replication")[0].startswith("Policy app-assets-replication=to dr-archive in us-phoenix-1")
