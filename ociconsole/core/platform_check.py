"""Before Qt starts: which display platform to use, and whether Qt's xcb plugin can load.

Qt aborts (SIGABRT) when its platform plugin cannot start: with no display at all, or when
the xcb plugin's system libraries are missing — a bare Debian lacks `libxcb-icccm4`,
`libxcb-keysyms1`, ... and Qt's message then blames `xcb-cursor0`. The start-up code asks
this module first and, instead of an abort, exits with one line naming what to install.

No Qt here (core stays Qt-free): the caller passes Qt's own library directory, if it knows it.

`OCICONSOLE_TEST_MISSING_LIBS` (comma-separated sonames) makes the probe treat those libraries
as missing: the tests use it to take the real start-up path on machines that have them all.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

FAKE_MISSING_ENV = "OCICONSOLE_TEST_MISSING_LIBS"

# The shared libraries Qt 6's xcb platform plugin (libqxcb.so, libQt6XcbQpa.so.6) loads,
# each with the package that provides it on Debian/Ubuntu (apt), Fedora/RHEL (dnf) and openSUSE (zypper).
XCB_LIBRARIES: dict[str, tuple[str, str, str]] = {
    "libxcb.so.1": ("libxcb1", "libxcb", "libxcb1"),
    "libX11.so.6": ("libx11-6", "libX11", "libX11-6"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libX11-xcb1"),
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "libxcb-cursor0"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "libxcb-icccm4"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "libxcb-image0"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "libxcb-keysyms1"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb-randr0"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb", "libxcb-render0"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil", "libxcb-render-util0"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb-shape0"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb", "libxcb-shm0"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb", "libxcb-sync1"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "libxcb-util1"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb", "libxcb-xfixes0"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb-xkb1"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon0"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11-0"),
}

# Everything the xcb plugin may need on Debian/Ubuntu, for the README and for `apt-get install` advice.
DEBIAN_XCB_PACKAGES = ("libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0",
                       "libxcb-render-util0", "libxcb-shape0", "libxcb-xinerama0", "libxcb-xkb1",
                       "libxkbcommon-x11-0")

_UNIX_WITH_X = sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd", "dragonfly", "sunos"))


def _first_platform(env: Mapping[str, str]) -> str:
    """The platform QT_QPA_PLATFORM asks for first ("wayland;xcb" -> "wayland", "xcb:opt" -> "xcb")."""
    raw = env.get("QT_QPA_PLATFORM", "").strip()
    return raw.split(";")[0].split(":")[0].strip().lower()


def has_display(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def choose_platform(env: Mapping[str, str] | None = None, *, headless_ok: bool = False,
                    unix_with_x: bool = _UNIX_WITH_X) -> str | None:
    """The platform to set in QT_QPA_PLATFORM before Qt starts, or None to leave Qt's choice alone.

    With no display at all (no DISPLAY, no WAYLAND_DISPLAY, no QT_QPA_PLATFORM) on X11/Wayland
    systems, a run that needs no screen (`--screenshot`, `headless_ok`) renders offscreen.
    """
    env = os.environ if env is None else env
    if not unix_with_x or env.get("QT_QPA_PLATFORM"):
        return None
    if not has_display(env) and headless_ok:
        return "offscreen"
    return None


def no_display_problem(env: Mapping[str, str] | None = None, *, unix_with_x: bool = _UNIX_WITH_X) -> str | None:
    """One line explaining that there is no display to open a window on, or None."""
    env = os.environ if env is None else env
    if not unix_with_x or env.get("QT_QPA_PLATFORM") or has_display(env):
        return None
    return ("ociconsole: no display (DISPLAY and WAYLAND_DISPLAY are not set): run it in a desktop session, "
            "or render headless with --screenshot FILE")


def xcb_would_be_used(env: Mapping[str, str] | None = None, *, unix_with_x: bool = _UNIX_WITH_X) -> bool:
    """Would Qt start the xcb plugin? (DISPLAY set and QT_QPA_PLATFORM unset or xcb, not a Wayland session
    where Qt tries its wayland plugin first.)"""
    env = os.environ if env is None else env
    if not unix_with_x or not env.get("DISPLAY"):
        return False
    first = _first_platform(env)
    if first:
        return first == "xcb"
    wayland_session = env.get("XDG_SESSION_TYPE", "").lower() == "wayland" and bool(env.get("WAYLAND_DISPLAY"))
    return not wayland_session


def _can_load(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_libraries(sonames: Iterable[str] = XCB_LIBRARIES, *, bundled_dirs: Iterable[str | os.PathLike] = (),
                      loader: Callable[[str], bool] = _can_load, env: Mapping[str, str] | None = None) -> list[str]:
    """The sonames that cannot be loaded (a copy bundled in one of `bundled_dirs` counts as present)."""
    env = os.environ if env is None else env
    fake = {s.strip() for s in env.get(FAKE_MISSING_ENV, "").split(",") if s.strip()}
    dirs = [Path(d) for d in bundled_dirs]
    missing = []
    for soname in sonames:
        if soname in fake:
            missing.append(soname)
        elif any((d / soname).exists() for d in dirs):
            continue
        elif not loader(soname):
            missing.append(soname)
    return missing


def _packages(missing: Iterable[str], which: int) -> list[str]:
    out: list[str] = []
    for soname in missing:
        names = XCB_LIBRARIES.get(soname)
        name = names[which] if names else soname
        if name not in out:
            out.append(name)
    return out


def missing_libraries_message(missing: list[str]) -> str:
    """ONE line: what is missing and how to install it with apt, dnf and zypper."""
    apt, dnf, zypper = (" ".join(_packages(missing, i)) for i in range(3))
    return (f"ociconsole: Qt's X11 (xcb) display plugin cannot load {', '.join(missing)}; install the missing "
            f"system packages — Debian/Ubuntu: sudo apt-get install {apt} | Fedora/RHEL: sudo dnf install {dnf} "
            f"| openSUSE: sudo zypper install {zypper} (or render headless: QT_QPA_PLATFORM=offscreen "
            "ociconsole --demo --screenshot FILE)")


def xcb_problem(env: Mapping[str, str] | None = None, *, bundled_dirs: Iterable[str | os.PathLike] = (),
                loader: Callable[[str], bool] = _can_load, unix_with_x: bool = _UNIX_WITH_X) -> str | None:
    """The one-line message when Qt would start xcb and some of its libraries are missing, else None."""
    env = os.environ if env is None else env
    if not xcb_would_be_used(env, unix_with_x=unix_with_x):
        return None
    missing = missing_libraries(bundled_dirs=bundled_dirs, loader=loader, env=env)
    return missing_libraries_message(missing) if missing else None
