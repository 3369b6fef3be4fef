"""The Storage extension of the main window (listed in gui.views.EXTENSIONS).

- the `objects` view: a bucket opens as its object browser (gui.object_browser);
- the `nfs_wizard` view: creating a file system opens the NFS share wizard (gui.nfs_wizard);
- the window's transfer manager (`window.transfers`) and its status bar badge;
- a Storage menu: new NFS share, the transfers in the activity panel.
"""

from __future__ import annotations

from . import views
from .qt import QAction


def _open_objects(window, session, kind, bucket):
    from .object_browser import BucketBrowser
    return BucketBrowser(window, session, kind, bucket)


def _open_nfs_wizard(window, session, kind, _resource):
    from .nfs_wizard import NfsWizard
    return NfsWizard(window, session)


def _show_activity(window) -> None:
    window.activity.show()
    window.activity.raise_()


def install(window) -> None:
    from .transfers import TransferStatus, manager_of
    manager = manager_of(window)
    badge = TransferStatus(manager, window)
    badge.clicked.connect(lambda: _show_activity(window))
    window.add_status_widget(badge)
    window.transfer_status = badge
    menu = window.menu("&Storage")
    nfs = QAction("New NFS share…", window)
    nfs.setToolTip("A file system, a mount target and an export in one go")
    nfs.triggered.connect(lambda: _new_nfs_share(window))
    menu.addAction(nfs)
    transfers = QAction("Transfers", window)
    transfers.triggered.connect(lambda: _show_activity(window))
    menu.addAction(transfers)
    cancel = QAction("Cancel all transfers", window)
    cancel.triggered.connect(lambda: manager.cancel_all())
    menu.addAction(cancel)


def _new_nfs_share(window) -> None:
    from .. import catalog
    if window.session is None:
        return
    window.open_create(catalog.kind("filestorage.file_system"))


views.register_view("objects", _open_objects)
views.register_view("nfs_wizard", _open_nfs_wizard)
views.register_extension(install)
