"""core.platform_check: the display platform chosen before Qt starts, and the xcb library probe."""

from __future__ import annotations

from ociconsole.core import platform_check as pc


def test_no_display_and_a_screenshot_renders_offscreen():
    assert pc.choose_platform({}, headless_ok=True, unix_with_x=True) == "offscreen"
    assert pc.choose_platform({}, headless_ok=False, unix_with_x=True) is None
    assert pc.choose_platform({"DISPLAY": ":0"}, headless_ok=True, unix_with_x=True) is None
    assert pc.choose_platform({"WAYLAND_DISPLAY": "wayland-0"}, headless_ok=True, unix_with_x=True) is None
    assert pc.choose_platform({"QT_QPA_PLATFORM": "vnc"}, headless_ok=True, unix_with_x=True) is None
    assert pc.choose_platform({}, headless_ok=True, unix_with_x=False) is None  # macOS / Windows: Qt knows


def test_no_display_for_a_window_is_one_line():
    msg = pc.no_display_problem({}, unix_with_x=True)
    assert msg and "\n" not in msg and "--screenshot" in msg
    assert pc.no_display_problem({"DISPLAY": ":0"}, unix_with_x=True) is None
    assert pc.no_display_problem({"QT_QPA_PLATFORM": "offscreen"}, unix_with_x=True) is None


def test_when_xcb_would_be_used():
    assert pc.xcb_would_be_used({"DISPLAY": ":0"}, unix_with_x=True)
    assert pc.xcb_would_be_used({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, unix_with_x=True)
    assert pc.xcb_would_be_used({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb;wayland"}, unix_with_x=True)
    assert not pc.xcb_would_be_used({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, unix_with_x=True)
    assert not pc.xcb_would_be_used({"DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland;xcb"}, unix_with_x=True)
    assert not pc.xcb_would_be_used({}, unix_with_x=True)
    assert not pc.xcb_would_be_used({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0",
                                     "XDG_SESSION_TYPE": "wayland"}, unix_with_x=True)
    assert not pc.xcb_would_be_used({"DISPLAY": ":0"}, unix_with_x=False)


def test_missing_libraries_named_with_packages_for_apt_dnf_zypper():
    absent = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}
    msg = pc.xcb_problem({"DISPLAY": ":0"}, loader=lambda s: s not in absent, unix_with_x=True)
    assert msg is not None and "\n" not in msg
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1 " in msg
    assert "sudo dnf install xcb-util-wm xcb-util-keysyms " in msg
    assert "sudo zypper install libxcb-icccm4 libxcb-keysyms1 " in msg
    assert "xcb-cursor" not in msg  # not blamed when it is there
    assert pc.xcb_problem({"DISPLAY": ":0"}, loader=lambda s: True, unix_with_x=True) is None
    # not using xcb: nothing probed
    assert pc.xcb_problem({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, loader=lambda s: False,
                          unix_with_x=True) is None


def test_a_bundled_copy_counts_and_the_test_hook_fakes_a_missing_one(tmp_path):
    (tmp_path / "libxcb-cursor.so.0").write_bytes(b"")
    assert pc.missing_libraries(["libxcb-cursor.so.0"], bundled_dirs=[tmp_path], loader=lambda s: False, env={}) == []
    env = {pc.FAKE_MISSING_ENV: "libxcb-image.so.0"}
    assert pc.missing_libraries(loader=lambda s: True, env=env) == ["libxcb-image.so.0"]


def test_the_real_loader_finds_libc_and_not_a_made_up_library():
    assert pc.missing_libraries(["libc.so.6", "libno-such-thing.so.42"], env={}) == ["libno-such-thing.so.42"]


def test_readme_names_the_debian_packages():
    from pathlib import Path
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    line = next(ln for ln in readme.splitlines() if ln.startswith("sudo apt-get install libxcb"))
    assert sorted(line.split()[3:]) == sorted(pc.DEBIAN_XCB_PACKAGES)
    # every package the probe can ask apt for is in that line
    assert {apt for apt, _dnf, _zypper in pc.XCB_LIBRARIES.values()} - set(line.split()) <= {
        "libxcb1", "libx11-6", "libx11-xcb1", "libxcb-render0", "libxcb-shm0", "libxcb-sync1", "libxcb-util1",
        "libxcb-xfixes0", "libxkbcommon0"}  # pulled in by the ones listed
