"""Start-up: arguments, logging and crash handling, the qasync loop, and the choice of
connection (the embedded demo sandbox, an OCI config profile, or the first-run dialog).

    ociconsole --demo                 the embedded emulator, sandbox kept in the data dir
    ociconsole --demo --demo-reset    ... starting from a fresh sandbox
    ociconsole [--config-file F] [--profile P] [--region R]   real OCI, read like the oci CLI
    ociconsole --demo --screenshot FILE   render the main window headless and exit

Before Qt starts (core.platform_check): with no display, --screenshot renders offscreen; when Qt's
xcb plugin could not load its system libraries, one line names the packages to install (exit 1)
instead of Qt's abort.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import logging
import os
import sys
import threading
from pathlib import Path

log = logging.getLogger("ociconsole")
READY_TIMEOUT_S = 60  # --exit-when-ready gives up (exit 1) when the tree has not loaded by then
# the garbage collector held for start-up (core.heap.hold) runs again by then at the latest, when no
# connection has been shown (a first-run dialog, a passphrase asked, a connection that failed)
HEAP_HOLD_S = 10


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ociconsole", description="Desktop administration console for OCI.")
    p.add_argument("--demo", action="store_true", help="use the embedded demo sandbox (no OCI account needed)")
    p.add_argument("--demo-reset", action="store_true", help="with --demo: start from a fresh sandbox")
    p.add_argument("--config-file", help="OCI config file (default: $OCI_CLI_CONFIG_FILE or ~/.oci/config)")
    p.add_argument("--profile", help="profile in the config file (default: $OCI_CLI_PROFILE or DEFAULT)")
    p.add_argument("--region", help="region to use instead of the profile's")
    p.add_argument("--read-only", action="store_true", help="refuse every change (browse only)")
    p.add_argument("--screenshot", metavar="FILE", help="save the main window to FILE once loaded, then exit")
    p.add_argument("--log-level", default="INFO", help="log level for the log file (default INFO)")
    p.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)  # start-up benchmark
    return p


class Console:
    """Owns the window, the session and (in demo mode) the embedded emulator."""

    def __init__(self, app, args, early_emulator: concurrent.futures.Future | None = None):
        from ..core.operations import OperationLog
        from .main_window import MainWindow

        self.app = app
        self.args = args
        self.emulator = None
        self._early_emulator = early_emulator  # --demo: the sandbox already starting (start_emulator_early)
        self.session = None
        self.oplog = OperationLog()
        self.window = MainWindow(self.oplog)
        self.window.profileSwitchRequested.connect(self.switch)
        self.window.authFailed.connect(lambda e: self._connection_failed(e, self._config_path))
        self.window.fixProfileRequested.connect(self.first_run)
        self.window.session_factory = self.open_session  # View > Add to the tree… (gui.tenancies)
        self._config_path: str | None = None
        self._dialogs: list = []
        self.exit_code = 0

    # ------------------------------------------------------------ choosing a connection
    def start(self) -> None:
        from ..core.config import choose_start
        from . import aio, settings

        self.window.show()
        # --demo > --config-file/--profile > OCI_CLI_CONFIG_FILE/OCI_CLI_PROFILE > the connection used last time
        choice = choose_start(demo=self.args.demo, config_file=self.args.config_file, profile=self.args.profile,
                              last=settings.get("connection/last"))
        if choice.kind == "demo":
            aio.spawn(self.connect_demo(reset=self.args.demo_reset), name="connect-demo")
        elif choice.kind == "profile":
            path, profile = str(choice.config_path), choice.profile
            self.connect_profile(path, profile, self.args.region or self.last_region(f"{path}|{profile}"))
        else:
            self.first_run()

    @staticmethod
    def last_region(key: str) -> str | None:
        from . import settings
        saved_key, _, region = settings.get("connection/region").rpartition("|")
        return region if saved_key == key and region else None

    def profile_entries(self, config_path: str | None) -> list[tuple[str, str]]:
        from ..core.config import read_profiles, resolve_config_path
        from ..core.errors import OciError, loggable
        entries = [("demo", "Demo sandbox")]
        path = config_path or str(resolve_config_path(self.args.config_file))
        try:
            for p in read_profiles(path):
                entries.append((f"{path}|{p.name}", p.describe()))
        except OciError as e:
            log.debug("profiles of %s not read: %s", path, loggable(e))
            pass
        return entries

    def switch(self, key: str) -> None:
        from . import aio
        if key == "demo":
            aio.spawn(self.connect_demo(), name="connect-demo")
        else:
            path, _, profile = key.partition("|")
            self.connect_profile(path, profile, None)

    async def connect_demo(self, reset: bool = False) -> None:
        from ..core.connection import connection_for_emulator
        from . import paths, settings

        if self.emulator is None:
            loop = asyncio.get_running_loop()
            early, self._early_emulator = self._early_emulator, None
            try:
                if early is not None:
                    self.emulator = await asyncio.wrap_future(early)
                else:
                    self.emulator = await loop.run_in_executor(None, _start_demo_emulator, reset)
            except Exception as e:
                log.exception("demo sandbox failed to start")
                self.window.show_error(f"The demo sandbox could not start: {e}")
                return
        emu = self.emulator
        regions = emu.regions()
        conn = connection_for_emulator(emu.client_config(), emu.base_url, regions=regions)
        region = self.last_region("demo")
        if region in regions and region != conn.region:
            conn = conn.with_region(region)
        if self.args.read_only:
            conn.read_only = True
        self._use(conn, "demo", None)
        settings.set("connection/last", "demo")
        _ = paths

    def connect_profile(self, config_path: str, profile_name: str, region: str | None) -> None:
        from ..core.config import find_profile, key_needs_passphrase
        from ..core.errors import OciError

        try:
            profile = find_profile(config_path, profile_name)
            needs = bool(profile.key_file) and key_needs_passphrase(profile.key_file)
        except OciError as e:
            self._connection_failed(e, config_path)
            return
        except OSError as e:
            self._connection_failed(OciError(str(e), code="InvalidKeyFilePath", kind="config"), config_path)
            return
        if needs:
            from .passphrase import PassphraseDialog, resolve_passphrase
            stored = resolve_passphrase(profile)
            if stored is not None:
                self._finish_profile(profile, region, stored)
                return
            dlg = PassphraseDialog(profile, self.window)
            dlg.accepted_passphrase.connect(lambda pp: self._finish_profile(profile, region, pp))
            dlg.open()
            self._dialogs.append(dlg)
            return
        self._finish_profile(profile, region, None)

    def _finish_profile(self, profile, region: str | None, passphrase: str | None) -> None:
        from ..core.connection import connection_from_profile
        from ..core.errors import OciError
        from . import crash, settings
        crash.register_secret(passphrase)
        if profile.kind == "session_token":
            try:
                crash.register_secret(Path(os.path.expanduser(profile.security_token_file)).read_text().strip())
            except OSError:
                pass
        try:
            conn = connection_from_profile(profile, region or None, passphrase, read_only=self.args.read_only)
        except OciError as e:
            self._connection_failed(e, profile.path)
            return
        key = f"{profile.path}|{profile.name}"
        if region is None:
            remembered = self.last_region(key)
            if remembered:
                conn = conn.with_region(remembered)
        self._use(conn, key, profile.path)
        settings.set("connection/last", key)

    def _use(self, conn, key: str, config_path: str | None) -> None:
        from ..services.runtime import Session
        self._config_path = config_path
        session = Session(conn)
        self.session = session
        self.window.set_profiles(self.profile_entries(config_path), key)
        self.window.setWindowTitle(f"OCI Console — {conn.label}")
        self.window.set_session(session, key)

    def open_session(self, key: str, region: str | None):
        """A session for another root of the tree: the demo sandbox, or a config profile whose key needs no
        pass phrase or has it stored (else switch to the profile first, where its pass phrase is asked)."""
        from ..core.config import find_profile, key_needs_passphrase
        from ..core.connection import connection_for_emulator, connection_from_profile
        from ..core.errors import OciError
        from ..services.runtime import Session
        if key == "demo":
            emu = self.emulator
            if emu is None:
                raise OciError("The demo sandbox is not running", code="NotAvailable", kind="config")
            conn = connection_for_emulator(emu.client_config(), emu.base_url, regions=emu.regions())
        else:
            path, _, name = key.partition("|")
            profile = find_profile(path, name)
            passphrase = None
            try:
                needs = bool(profile.key_file) and key_needs_passphrase(profile.key_file)
            except OSError as e:
                raise OciError(str(e), code="InvalidKeyFilePath", kind="config") from e
            if needs:
                from .passphrase import resolve_passphrase
                passphrase = resolve_passphrase(profile)
                if passphrase is None:
                    raise OciError(f"The key of {profile.name} needs its pass phrase: switch to the profile once "
                                   "to give it", code="PassphraseRequired", kind="config")
            conn = connection_from_profile(profile, None, passphrase, read_only=self.args.read_only)
        if region and region != conn.region:
            conn = conn.with_region(region)
        if self.args.read_only:
            conn.read_only = True
        return Session(conn)

    def _connection_failed(self, error, config_path: str | None) -> None:
        if not (getattr(error, "status", None) == 401 and self.window.session is not None):
            self.window.show_error(error.summary(), error)  # a refused sign-in has its own status (and fix button)
        self.window.set_profiles(self.profile_entries(config_path), "")
        from .qt import QMessageBox
        box = QMessageBox(QMessageBox.Icon.Warning, "Cannot connect", error.summary(), parent=self.window)
        profile = getattr(getattr(self.session, "connection", None), "profile", None)
        box.setInformativeText(_how_to_fix(error, profile))
        box.setDetailedText(error.details())
        demo = box.addButton("Use the demo sandbox", QMessageBox.ButtonRole.AcceptRole)
        setup = box.addButton("Set up a profile…", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)

        def clicked(b):
            if b is demo:
                self.switch("demo")
            elif b is setup:
                self.first_run()
        box.buttonClicked.connect(clicked)
        box.open()
        self._dialogs.append(box)

    def first_run(self) -> None:
        from .first_run import FirstRunDialog
        dlg = FirstRunDialog(self.window)
        dlg.chosen.connect(self._first_run_chosen)
        dlg.open()
        self._dialogs.append(dlg)

    def _first_run_chosen(self, choice) -> None:
        if choice.kind == "demo":
            self.switch("demo")
        elif getattr(choice, "passphrase", None):
            # a profile just created with a protected key: the dialog already has its passphrase
            from ..core.config import find_profile
            from ..core.errors import OciError
            try:
                profile = find_profile(choice.config_path, choice.profile)
            except OciError as e:
                self._connection_failed(e, choice.config_path)
                return
            self._finish_profile(profile, self.args.region, choice.passphrase)
        else:
            self.connect_profile(choice.config_path, choice.profile, self.args.region)

    # ------------------------------------------------------------ screenshot
    async def screenshot(self, path: str) -> None:
        """Load the tree, open the first compartment with instances, its list and first instance; save."""
        from .. import catalog
        from ..core.errors import OciError
        from .qt import QApplication
        try:
            await _wait(lambda: self.window.tree_model.subtree_loaded, 30)
            kind = catalog.kind("compute.instance")
            target = None
            for comp, _depth in self.window.tree_model.all_compartments():
                rows = await kind.list(self.window.session, comp.id)
                if rows:
                    target = comp
                    break
            if target is None:
                raise RuntimeError("no compartment has instances")
            self.window.select(target.id, kind.id)
            await _wait(lambda: self.window.resources.kind is kind and self.window.resources.model.rowCount() > 0, 30)
            self.window.resources.table.setFocus()
            self.window.resources.select_row(0)
            await _wait(lambda: self.window.detail.resource is not None, 30)
            await _wait(lambda: all("loading" not in self.window.detail.related.topLevelItem(i).text(1)
                                    for i in range(self.window.detail.related.topLevelItemCount())), 30)
            QApplication.processEvents()
            await asyncio.sleep(0.2)
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            if not self.window.grab().save(path):
                raise RuntimeError(f"could not write {path}")
            log.info("screenshot saved to %s", path)
            print(path)
        except (OciError, RuntimeError, TimeoutError) as e:
            print(f"ociconsole: screenshot failed: {e}", file=sys.stderr)
            self.exit_code = 1
        self.app.exit(self.exit_code)

    def shutdown(self) -> None:
        self.window.shutdown()
        if self.session is not None:
            self.session.close()
        early, self._early_emulator = self._early_emulator, None
        if early is not None and self.emulator is None:  # started early but never connected to: stop it too
            try:  # (a start that hangs does not hold the exit: its thread is a daemon)
                self.emulator = early.result(timeout=30)
            except Exception:
                log.debug("the sandbox started early did not start", exc_info=True)
        if self.emulator is not None:
            self.emulator.stop()
            self.emulator = None


def _how_to_fix(error, profile=None) -> str:
    code = getattr(error, "code", "")
    token = profile is not None and getattr(profile, "kind", "") == "session_token"
    if code == "SessionExpired" or (token and getattr(error, "status", None) == 401):
        # a session token that expired (or was revoked) during the session is refused with a plain 401
        name = f" --profile {profile.name}" if token and getattr(profile, "name", None) else ""
        return (f"The session token has expired or was refused: refresh it (oci session refresh{name}, or oci "
                "session authenticate if it can no longer be refreshed) and reconnect.")
    if code in ("WrongPassphrase", "MissingPassphrase"):
        return "Enter the key's passphrase again, or choose another profile."
    if getattr(error, "status", None) == 401 or getattr(error, "kind", "") == "auth":
        return ("OCI refused the profile's credentials. Check the user and tenancy OCIDs and the fingerprint in the "
                "config file, and that the key's public half is uploaded under User settings › API keys "
                "(a deleted or deactivated key is refused). Then reconnect, choose another profile in the "
                "toolbar, or set up a new profile.")
    return "Fix the profile (see the message), choose another profile in the toolbar, or try the demo sandbox."


async def _wait(cond, timeout: float) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not cond():
        if loop.time() > end:
            raise TimeoutError("timed out while loading")
        await asyncio.sleep(0.02)


def _start_demo_emulator(reset: bool):
    from ..emulator import Emulator, EmulatorOptions
    from . import paths
    d = paths.demo_dir()
    state = d / "sandbox.sqlite"
    if reset:
        for suffix in ("", "-wal", "-shm"):
            p = Path(str(state) + suffix)
            if p.exists():
                p.unlink()
    emu = Emulator(EmulatorOptions(seed="demo", state=str(state), transition_delay=2.0, key_dir=str(d)))
    emu.start()
    return emu


def start_emulator_early(reset: bool) -> concurrent.futures.Future:
    """`--demo`: start the sandbox in a thread before the window is built, so that its start overlaps Qt's
    (Qt's C++ work releases the GIL: the two run on two cores); `connect_demo` awaits it. Its result is the
    running Emulator (or the exception that stopped it).

    The modules the window and the sandbox need are imported first, here: compiling and running Python holds
    the GIL, so imports in two threads at once would only take turns (and each would count the other's time
    in `python -X importtime`)."""
    from .. import emulator  # noqa: F401
    from . import main_window, views  # noqa: F401
    views.load_extensions()
    fut: concurrent.futures.Future = concurrent.futures.Future()

    def run() -> None:
        try:
            emu = _start_demo_emulator(reset)
        except BaseException as e:  # handed to connect_demo, which shows it
            fut.set_exception(e)
            return
        try:  # what the connection (its signer) and the tree's first request need, off the GUI thread too
            import oci.identity  # noqa: F401
        except Exception:
            log.debug("oci not imported ahead", exc_info=True)
        fut.set_result(emu)

    threading.Thread(target=run, name="demo-sandbox-start", daemon=True).start()
    return fut


def _prepare_platform(args) -> str | None:
    """Before the QApplication: choose the offscreen platform when there is no display and none is
    needed (--screenshot), and check that Qt's xcb plugin can load its system libraries.
    Returns a one-line message when Qt could not start (it would abort), else None."""
    from ..core import platform_check

    if "PySide6.QtWidgets" in sys.modules:
        from .qt import QApplication
        if QApplication.instance() is not None:
            return None  # Qt is already running (started in-process)
    platform = platform_check.choose_platform(headless_ok=bool(args.screenshot or args.exit_when_ready))
    if platform:
        os.environ["QT_QPA_PLATFORM"] = platform
        return None
    problem = platform_check.no_display_problem()
    if problem or not platform_check.xcb_would_be_used():
        return problem
    from .qt import QtCore
    qt_libs = QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.LibraryPath.LibrariesPath)
    return platform_check.xcb_problem(bundled_dirs=[qt_libs])


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.demo_reset and not args.demo:
        args.demo = True
    os.environ.setdefault("QT_API", "pyside6")
    problem = _prepare_platform(args)
    if problem:  # Qt would abort: say what is wrong in one line instead
        print(problem, file=sys.stderr, flush=True)
        return 1
    import qasync

    from . import crash
    from .icons import icon
    from .qt import QApplication, QTimer  # PySide6 first, then qasync

    log_path = crash.setup_logging(args.log_level)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ociconsole")
    app.setOrganizationName("ociconsole")
    app.setApplicationDisplayName("OCI Console")
    app.setDesktopFileName("io.github.ociconsole.OciConsole")  # packaging/linux: the icon on Wayland docks
    app.setWindowIcon(icon("app"))
    from . import theme, translations
    theme.apply()  # the saved scheme (System / Light / Dark), Fusion style
    translations.load_translator(app)
    early = start_emulator_early(args.demo_reset) if args.demo else None
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    crash.install(app, loop)
    log.info("starting; log file %s", log_path)

    from ..core import heap
    QTimer.singleShot(HEAP_HOLD_S * 1000, heap.release)  # (before the start: it may ask for a passphrase)
    console = Console(app, args) if early is None else Console(app, args, early_emulator=early)
    console.start()
    if args.screenshot:
        from . import aio
        console.window.ready.connect(lambda: aio.spawn(console.screenshot(args.screenshot), name="screenshot"))
    if args.exit_when_ready:
        def _ready():
            print("ready", flush=True)
            app.exit(0)
        console.window.firstLevelShown.connect(_ready)

        def _give_up():
            print(f"not ready after {READY_TIMEOUT_S} s: see {log_path}", file=sys.stderr, flush=True)
            console.exit_code = 1
            app.exit(1)
        QTimer.singleShot(READY_TIMEOUT_S * 1000, _give_up)
    try:
        with loop:
            loop.run_forever()
    finally:
        console.shutdown()
    return console.exit_code


if __name__ == "__main__":
    sys.exit(main())
