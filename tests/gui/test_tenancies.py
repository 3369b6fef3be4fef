"""Several connections side by side in the tree (gui.tenancies): the demo sandbox in its home region and in a
second subscribed region, each its own root; search across both; the active root decides what every view shows."""

from __future__ import annotations

import oci

from ociconsole.gui import settings
from ociconsole.gui.qt import Qt
from ociconsole.gui.tenancies import AddRootDialog

from .helpers import click, click_index, find_child, pick, shot, table_rows


def trigger(window, label: str) -> None:
    """Choose View > `label` as the menu does."""
    action = next(a for a in window.menu("&View").actions() if a.text() == label)
    assert action.isEnabled()
    action.trigger()


def _open_path(qtbot, root, *labels: str):
    """Click through one root's tree as a person does (expand with Right, select the last)."""
    view, model = root.view, root.model
    idx = model.index(0, 0)
    for label in labels:
        click_index(qtbot, view, idx)
        qtbot.keyClick(view, Qt.Key.Key_Right)
        qtbot.waitUntil(lambda i=idx, lab=label: find_child(model, i, lab).isValid(), timeout=10_000)
        idx = find_child(model, idx, label)
    click_index(qtbot, view, idx)
    return idx


def _vcn(session, compartment_id: str, name: str, cidr: str) -> str:
    """A VCN made straight through the SDK in the session's region (not through the console)."""
    client = session.clients.get("network")
    return client.create_vcn(oci.core.models.CreateVcnDetails(
        compartment_id=compartment_id, display_name=name, cidr_blocks=[cidr])).data.id


def _add_second_region(qtbot, window, region: str):
    trigger(window, "Add to the tree…")
    dlg = window._last_dialog
    assert isinstance(dlg, AddRootDialog)
    assert dlg.profile_combo.currentText() == "Demo sandbox"
    qtbot.waitUntil(lambda: dlg.region_combo.count() > 0, timeout=10_000)
    pick(qtbot, dlg.region_combo, region)
    click(qtbot, dlg.ok)
    qtbot.waitUntil(lambda: len(window.roots) == 2 and window.roots[1].tenancy is not None, timeout=10_000)
    root = window.roots[1]
    # its first level loaded: the tenancy's row no longer says "(loading…)"
    qtbot.waitUntil(lambda: root.model.rowCount() > 0 and root.model.index(0, 0).internalPointer().loaded,
                    timeout=10_000)
    return root


def test_two_regions_side_by_side_search_and_removal(qtbot, window, gui_emulator, session):
    home, second = gui_emulator.regions()[:2]
    assert session.connection.region == home
    first = window.roots[0]
    assert not first.header.isVisible()  # one root: no "profile · region" bar
    assert window.resources.title.text().endswith(" in demo-tenancy") or " — " not in window.resources.title.text()

    # the dialog offers the profile's subscribed regions, as Identity lists them (home first)
    trigger(window, "Add to the tree…")
    dlg = window._last_dialog
    qtbot.waitUntil(lambda: dlg.region_combo.count() == len(gui_emulator.regions()), timeout=10_000)
    assert dlg.region_combo.itemData(0) == home and "(home)" in dlg.region_combo.itemText(0)
    dlg.reject()

    root2 = _add_second_region(qtbot, window, second)
    assert root2.session is not session and root2.session.connection.region == second
    assert root2.session.tenancy_id == session.tenancy_id  # the same tenancy, another region
    assert [r.title.text() for r in window.roots] == [f"Demo sandbox · {home}", f"Demo sandbox · {second}"]
    assert first.header.isVisible() and root2.header.isVisible()
    assert root2.model.index(0, 0).data() == first.model.index(0, 0).data()  # the tenancy's name in both
    # loaded lazily: the tenancy's compartments are shown, theirs only when expanded
    subs = root2.model.root_node.compartment_children
    assert subs and not any(c.loaded for c in subs)

    # a VCN made in the second region only shows under that root; one made in each shows under each
    dev = next(c for c, _d in window.tree_model.all_compartments() if c.name == "Development")
    _vcn(root2.session, dev.id, "phoenix-only-vcn", "10.201.0.0/16")
    _vcn(root2.session, dev.id, "twin-vcn", "10.202.0.0/16")
    _vcn(session, dev.id, "twin-vcn", "10.203.0.0/16")

    _open_path(qtbot, root2, "Development", "Networking", "VCNs")
    assert window.active_root is root2 and window.session is root2.session and window.tree_model is root2.model
    qtbot.waitUntil(lambda: "phoenix-only-vcn" in table_rows(window.resources), timeout=10_000)
    assert "twin-vcn" in table_rows(window.resources)
    assert window.resources.title.text() == f"VCNs in Development — Demo sandbox · {second}"
    qtbot.waitUntil(lambda: window.region_combo.currentData() == second, timeout=10_000)  # the root's regions
    assert not first.view.currentIndex().isValid()  # the other root's selection is left

    _open_path(qtbot, first, "Development", "Networking", "VCNs")
    assert window.active_root is first and window.session is session
    qtbot.waitUntil(lambda: "twin-vcn" in table_rows(window.resources), timeout=10_000)
    assert "phoenix-only-vcn" not in table_rows(window.resources)
    assert window.resources.title.text() == f"VCNs in Development — Demo sandbox · {home}"
    assert not root2.view.currentIndex().isValid()

    # search runs in both roots at once, each result labelled with its profile and region
    with qtbot.waitSignal(window.search.finished, timeout=10_000) as blocker:
        window.search.search("query vcn resources where displayName = 'twin-vcn'")
    assert blocker.args == [2]
    where_col = [c.title for c in window.search.kind.columns].index("Where")
    assert not window.search.table.isColumnHidden(where_col)
    found = sorted(window.search.proxy.index(r, where_col).data() for r in range(window.search.proxy.rowCount()))
    assert found == sorted([f"Demo sandbox · {home}", f"Demo sandbox · {second}"])
    assert f"1 in Demo sandbox · {second}" in window.search.status.text()
    with qtbot.waitSignal(window.search.finished, timeout=10_000):
        window.search.search("query vcn resources where displayName = 'phoenix-only-vcn'")
    assert table_rows(window.search) == ["phoenix-only-vcn"]
    assert window.search.proxy.index(0, where_col).data() == f"Demo sandbox · {second}"
    comp_col = [c.title for c in window.search.kind.columns].index("Compartment")
    assert window.search.proxy.index(0, comp_col).data() == "Development"

    # opening a result activates its root; the details say which profile and region they show
    click_index(qtbot, window.search.table, window.search.proxy.index(0, 0), double=True)
    qtbot.waitUntil(lambda: window.detail.name.text() == "phoenix-only-vcn", timeout=10_000)
    assert window.active_root is root2 and window.session is root2.session
    assert window.detail.subtitle.text().endswith(f" — Demo sandbox · {second}")
    assert window.resources.current_resource().display_name == "phoenix-only-vcn"
    assert window.resources.title.text() == f"VCNs in Development — Demo sandbox · {second}"

    # removing a root closes its session (its thread pool); the other root becomes the active one
    closing = root2.session
    click(qtbot, root2.remove_button)
    assert closing.closed
    assert window.roots == [first] and window.active_root is first and window.session is session
    assert not first.header.isVisible()
    assert window.search.roots == [("", session, first.model.name_of)]
    assert window.search.table.isColumnHidden(where_col)
    assert not session.closed
    qtbot.waitUntil(lambda: window.resources.kind is not None, timeout=10_000)
    assert " — " not in window.resources.title.text()


def test_adding_the_shown_region_again_activates_its_root(qtbot, window, gui_emulator, session):
    home = session.connection.region
    root = window.add_root("demo", home)
    assert root is window.roots[0] and len(window.roots) == 1
    second = gui_emulator.regions()[1]
    root2 = window.add_root("demo", second)
    qtbot.waitUntil(lambda: root2.tenancy is not None, timeout=10_000)
    assert window.add_root("demo", second) is root2 and len(window.roots) == 2
    # the region switcher moves the active root to another region (its title follows, its old session closes)
    _open_path(qtbot, root2, "Development")
    assert window.active_root is root2
    qtbot.waitUntil(lambda: window.region_combo.currentData() == second, timeout=10_000)
    old = root2.session
    third = window.region_combo.findData(session.connection.region)
    window.region_combo.setCurrentIndex(third)
    window.region_combo.activated.emit(third)
    assert old.closed and root2.session is window.session and root2.session.connection.region == home
    assert root2.title.text() == f"Demo sandbox · {home}"
    assert settings.get("connection/region") == ""  # only the first root's region is remembered for next time
    root2 = window.roots[1]
    window.remove_root(root2)
    window.remove_root(window.roots[0])  # the last root stays
    assert settings.get("tree/roots") == ""
    assert len(window.roots) == 1 and not session.closed


def test_two_roots_share_the_tree_column(qtbot, window, gui_emulator, session):
    root2 = window.add_root("demo", gui_emulator.regions()[1])
    qtbot.waitUntil(lambda: root2.tenancy is not None, timeout=10_000)
    _open_path(qtbot, root2, "Development")
    assert window.tree_panes.count() == 2
    heights = window.tree_panes.sizes()
    assert all(h > 100 for h in heights)  # both roots visible, one above the other
    assert root2.remove_button.accessibleName() == f"Remove Demo sandbox · {gui_emulator.regions()[1]} from the tree"
    shot(window, "i17-tenancies-two-roots")
    assert settings.get("tree/roots") == f"demo|{gui_emulator.regions()[1]}"
    window.shutdown()  # the window going away closes the sessions of the roots it added
    assert root2.session.closed and not window.roots[0].session.closed

    # the next start shows the added root again, beside the first
    from ociconsole.gui.main_window import MainWindow
    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    with qtbot.waitSignal(again.ready, timeout=15_000):
        again.set_session(session, "demo")
    assert [r.where for r in again.roots] == [f"Demo sandbox · {r}" for r in gui_emulator.regions()[:2]]
    assert again.active_root is again.roots[0]
    qtbot.waitUntil(lambda: again.roots[1].tenancy is not None, timeout=10_000)
    restored = again.roots[1].session
    again.close()
    assert restored.closed and not session.closed


def test_the_application_adds_profiles_and_says_why_one_cannot_be(qtbot, aloop, tmp_path, monkeypatch):
    from ociconsole.core import config as C
    from ociconsole.gui.app import Console, build_parser
    from ociconsole.gui.qt import QApplication
    monkeypatch.setenv("HOME", str(tmp_path / "userhome"))
    key, _pub, _fp = C.generate_key_pair(tmp_path, "locked", passphrase="open sesame")
    cfg = tmp_path / "config"
    C.write_api_key_profile(cfg, "LOCKED", user="ocid1.user.oc1..aaaa", tenancy="ocid1.tenancy.oc1..aaaa",
                            region="eu-frankfurt-1", key_file=str(key), passphrase="open sesame")
    console = Console(QApplication.instance(), build_parser().parse_args(["--demo", "--config-file", str(cfg)]))
    qtbot.addWidget(console.window)
    w = console.window
    try:
        with qtbot.waitSignal(w.ready, timeout=30_000):
            console.start()
        home = w.session.connection.region
        other = next(r for r in console.emulator.regions() if r != home)
        # a session for the demo in another region, as the tree asks the application for one
        s = console.open_session("demo", other)
        assert s.connection.is_demo and s.connection.region == other
        s.close()

        trigger(w, "Add to the tree…")
        dlg = w._last_dialog
        assert [dlg.profile_combo.itemData(i) for i in range(dlg.profile_combo.count())] == ["demo", f"{cfg}|LOCKED"]
        pick(qtbot, dlg.profile_combo, "LOCKED")
        qtbot.waitUntil(lambda: "pass phrase" in dlg.message.text(), timeout=10_000)
        assert "Cannot read the region subscriptions" in dlg.message.text()
        assert not dlg.ok.isEnabled() and dlg.region_combo.count() == 0
        pick(qtbot, dlg.profile_combo, "Demo sandbox")
        qtbot.waitUntil(lambda: dlg.region_combo.count() == len(console.emulator.regions()), timeout=10_000)
        pick(qtbot, dlg.region_combo, other)
        click(qtbot, dlg.ok)
        assert len(w.roots) == 2
        root2 = w.roots[1]
        qtbot.waitUntil(lambda: root2.tenancy is not None, timeout=10_000)
        assert root2.title.text() == f"Demo sandbox · {other}"
        assert root2.session.guard is w.roots[0].session.guard  # the same profile: the same production guard
    finally:
        console.shutdown()
    assert root2.session.closed
