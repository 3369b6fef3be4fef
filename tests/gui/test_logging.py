"""Logging through the window against the real emulator: a log group and a custom log created with the dialogs
(a retention outside 30-180 days refused inline), a bucket's write log enabled from the bucket ("Enable log…"),
and the Log Explorer: a log explored with a typed query, a query that does not parse shown inline at its column,
live tail picking up an entry ingested meanwhile, the histogram above the results, and export to JSON and CSV."""

from __future__ import annotations

import csv
import json

from .helpers import (
    click,
    click_index,
    dialog,
    open_tree_path,
    pick,
    related,
    related_loaded,
    retype,
    select_row,
    shot,
    table_rows,
    trigger,
    wait_op,
)


def create_group(qtbot, window, name: str) -> None:
    from ociconsole.gui.form_dialog import CreateDialog
    window.create_action.trigger()
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("display_name").editor, name)
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "oci logging log-group create" in dlg.cli_view.text()
    click(qtbot, dlg.create_button)
    wait_op(qtbot, window, name)
    qtbot.waitUntil(lambda: name in table_rows(window.resources), timeout=10_000)


def test_log_group_custom_log_and_bucket_write_log(qtbot, window):
    from ociconsole.gui.form_dialog import CreateDialog
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Observability", "Log groups")
    create_group(qtbot, window, "web-logs")
    select_row(qtbot, window, "web-logs")
    trigger(window, "Create custom log…")
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    retype(qtbot, dlg.row("display_name").editor, "frontend-app")
    retype(qtbot, dlg.row("retention").editor, "45")
    qtbot.waitUntil(lambda: "30 to 180 days in steps of 30" in dlg.row("retention").error_text(), timeout=3000)
    assert not dlg.review_button.isEnabled()
    retype(qtbot, dlg.row("retention").editor, "90")
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert "oci logging log create" in dlg.cli_view.text() and "--retention-duration 90" in dlg.cli_view.text()
    click(qtbot, dlg.create_button)
    wait_op(qtbot, window, "frontend-app")
    window.detail.show_resource(window.session, window.resources.kind, window.detail.resource, reload_related=True)
    qtbot.waitUntil(lambda: related_loaded(window), timeout=5000)
    assert "frontend-app=CUSTOM" in related(window)["Logs"]

    # the bucket's write log, enabled from the bucket
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Storage", "Buckets")
    qtbot.waitUntil(lambda: "app-assets" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "app-assets")
    trigger(window, "Enable log…")
    dlg = dialog(qtbot, CreateDialog)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=10_000)
    groups = dlg.row("log_group_id").editor
    qtbot.waitUntil(lambda: groups.count() > 0, timeout=5000)
    pick(qtbot, groups, "web-logs")
    assert dlg.row("display_name").editor.text() == "app-assets_write"
    qtbot.waitUntil(lambda: dlg.review_button.isEnabled(), timeout=3000)
    click(qtbot, dlg.review_button)
    assert '"service": "objectstorage"' in dlg.cli_view.text() or '"service":"objectstorage"' in dlg.cli_view.text()
    shot(dlg, "i16-logging-enable-log")
    click(qtbot, dlg.create_button)
    wait_op(qtbot, window, "Enable the write log of app-assets")

    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Observability", "Logs")
    qtbot.waitUntil(lambda: {"frontend-app", "app-assets_write"} <= set(table_rows(window.resources)),
                    timeout=10_000)
    select_row(qtbot, window, "app-assets_write")
    qtbot.waitUntil(lambda: related_loaded(window), timeout=5000)
    assert "Source=objectstorage: app-assets (write)" in related(window)["Log"]
    shot(window, "i16-logging-logs")
    # opening the log shows it in the Log Explorer, picked and searched
    from ociconsole.gui.log_explorer import LogExplorer
    row = table_rows(window.resources).index("app-assets_write")
    click_index(qtbot, window.resources.table, window.resources.proxy.index(row, 0), double=True)
    qtbot.waitUntil(lambda: isinstance(window.centre.currentWidget(), LogExplorer), timeout=3000)
    ex = window.centre.currentWidget()
    qtbot.waitUntil(lambda: ex.query.toPlainText().endswith('/web-logs/app-assets_write" | sort by datetime desc')
                    and "No entries" in ex.status.text(), timeout=10_000)


# ---------------------------------------------------------------- the Log Explorer

class Sdk:
    """The emulator's SDK clients, to make logs and ingest entries beside the window."""

    def __init__(self, emu):
        import oci

        from ..emulator.helpers import NO_RETRY, signer_for
        cfg = emu.client_config()
        kw = dict(NO_RETRY, signer=signer_for(cfg))
        self.emu = emu
        self.log = oci.logging.LoggingManagementClient(cfg, service_endpoint=emu.endpoint("logging"), **kw)
        self.ingest = oci.loggingingestion.LoggingClient(cfg, service_endpoint=emu.endpoint("loggingingestion"),
                                                         **kw)
        self.identity = oci.identity.IdentityClient(cfg, service_endpoint=emu.endpoint("identity"), **kw)
        self.os = oci.object_storage.ObjectStorageClient(cfg, service_endpoint=emu.endpoint("object_storage"), **kw)
        self.tenancy = cfg["tenancy"]

    def compartment(self, name: str) -> str:
        return next(c.id for c in self.identity.list_compartments(self.tenancy, compartment_id_in_subtree=True).data
                    if c.name == name)

    def settled(self, resp) -> str:
        """The resource a work request made, once it is done (the emulator's clock moved on, no waiting)."""
        wr_id = resp.headers["opc-work-request-id"]
        self.emu.core.clock.advance(2)
        wr = self.log.get_work_request(wr_id).data
        assert wr.status == "SUCCEEDED", wr.status
        return wr.resources[0].identifier

    def custom_log(self, comp: str, group: str, name: str) -> str:
        import oci
        LM = oci.logging.models
        gid = self.settled(self.log.create_log_group(LM.CreateLogGroupDetails(compartment_id=comp,
                                                                               display_name=group)))
        return self.settled(self.log.create_log(gid, LM.CreateLogDetails(display_name=name, log_type="CUSTOM")))

    def put(self, log_id: str, *messages: dict, source: str = "checkout") -> None:
        import datetime as dt
        import uuid

        import oci
        LI = oci.loggingingestion.models
        now = dt.datetime.now(dt.UTC)  # the console's clock: what its time range is measured in
        self.ingest.put_logs(log_id, LI.PutLogsDetails(specversion="1.0", log_entry_batches=[LI.LogEntryBatch(
            source=source, type="app.event", defaultlogentrytime=now, entries=[
                LI.LogEntry(data=json.dumps(m), id=str(uuid.uuid4()), time=now) for m in messages])]))


def open_explorer(qtbot, window, compartment_id: str):
    from ociconsole.gui.log_explorer import LogExplorer
    ext = next(a for a in window.menu("&Logging").actions() if "Explorer" in a.text())
    assert ext.isEnabled()
    ext.trigger()
    qtbot.waitUntil(lambda: isinstance(window.centre.currentWidget(), LogExplorer), timeout=3000)
    ex = window.centre.currentWidget()
    with qtbot.waitSignal(ex.loaded, timeout=10_000):
        ex.load(compartment_id)
    return ex


def run_and_wait(qtbot, ex) -> int:
    with qtbot.waitSignal(ex.searched, timeout=10_000) as sig:
        ex.run_button.click()
    return sig.args[0]


def test_explore_live_tail_and_export(qtbot, window, gui_emulator, tmp_path):
    sdk = Sdk(gui_emulator)
    comp = sdk.compartment("Development")
    lid = sdk.custom_log(comp, "shop", "checkout")
    sdk.put(lid, {"level": "INFO", "message": "order 17 placed"}, {"level": "ERROR", "message": "payment declined"},
            {"level": "INFO", "message": "order 18 placed"})
    ex = open_explorer(qtbot, window, comp)
    ex.pick("checkout")
    assert ex.query.toPlainText() == f'search "{comp}/shop/checkout" | sort by datetime desc'
    # the builder: a condition
    ex.field.setCurrentText("data.level")
    pick(qtbot, ex.op, "=")
    retype(qtbot, ex.value, "ERROR")
    assert "| where data.level = 'ERROR' |" in ex.query.toPlainText()
    assert run_and_wait(qtbot, ex) == 1
    assert ex.shown_messages() == ["payment declined"]
    # a typed query, with a count by
    ex.set_query(f'search "{comp}/shop/checkout" | where data.message = \'*placed*\' | summarize count() by source')
    assert not ex.error.isVisible()
    assert run_and_wait(qtbot, ex) == 1
    assert ex.results.topLevelItem(0).text(0) == "checkout" and ex.results.topLevelItem(0).text(1) == "2"
    # the whole log, newest first, its histogram above (three events in the range)
    ex.value.clear()
    assert run_and_wait(qtbot, ex) == 3
    assert sum(n for _t, n in ex.bins) == 3 and ex.plot is not None
    item = ex.results.topLevelItem(0)
    assert item.childCount() > 3 and any(f'"message": "{item.text(3)}"' in item.child(i).text(3)
                                         for i in range(item.childCount()))
    shot(window, "i16-logging-explorer")

    # live tail: a new entry appears on top
    ex.tail_button.click()
    assert ex.tail_button.text() == "Pause" and ex.timer.isActive()
    sdk.put(lid, {"level": "WARN", "message": "stock low for item 9"})
    with qtbot.waitSignal(ex.tailed, timeout=10_000) as sig:
        ex.tail_tick()
    assert sig.args == [1]
    assert ex.shown_messages()[0] == "stock low for item 9" and len(ex.shown_messages()) == 4
    with qtbot.waitSignal(ex.tailed, timeout=10_000) as sig:  # nothing new: nothing twice
        ex.tail_tick()
    assert sig.args == [0] and len(ex.shown_messages()) == 4
    ex.tail_button.click()
    assert ex.tail_button.text() == "Live tail" and not ex.timer.isActive()

    # export what is shown
    for fmt in ("json", "csv"):
        dlg = ex.export(fmt)
        target = tmp_path / f"out.{fmt}"
        with qtbot.waitSignal(ex.exported, timeout=5000):
            dlg.selectFile(str(target))
            dlg.accept()
    rows = json.loads((tmp_path / "out.json").read_text())
    assert sorted(r["logContent"]["data"]["message"] for r in rows) == [
        "order 17 placed", "order 18 placed", "payment declined", "stock low for item 9"]
    lines = list(csv.reader((tmp_path / "out.csv").open()))
    assert lines[0] == ["time", "log", "source", "type", "subject", "data"] and len(lines) == 5
    assert all(line[1] == lid and line[2] == "checkout" for line in lines[1:])


def test_query_error_inline_at_its_column(qtbot, window, gui_emulator):
    sdk = Sdk(gui_emulator)
    comp = sdk.compartment("Development")
    sdk.custom_log(comp, "errs", "app")
    ex = open_explorer(qtbot, window, comp)
    bad = f'search "{comp}/errs/app" | where data.level = '
    ex.set_query(bad)
    qtbot.waitUntil(lambda: ex.error.isVisible(), timeout=2000)
    assert f"column {len(bad) + 1}" in ex.error.text() and not ex.run_button.isEnabled()
    ex.set_query(f'search "{comp}/errs/app" | sort datetime')
    assert "expected 'by' after 'sort'" in ex.error.text()
    shot(window, "i16-logging-error")
    # what parses but the service refuses (no such log group) is shown too
    ex.set_query(f'search "{comp}/nosuchgroup"')
    assert not ex.error.isVisible()
    assert run_and_wait(qtbot, ex) == -1
    assert "nosuchgroup" in ex.status.text()


def test_bucket_logs_tab_shows_its_write_log(qtbot, window, gui_emulator):
    import oci
    sdk = Sdk(gui_emulator)
    comp = sdk.compartment("Frontend")
    LM = oci.logging.models
    gid = sdk.settled(sdk.log.create_log_group(LM.CreateLogGroupDetails(compartment_id=comp,
                                                                         display_name="assets-logs")))
    open_tree_path(qtbot, window, "Production", "Web", "Frontend", "Storage", "Buckets")
    qtbot.waitUntil(lambda: "app-assets" in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, "app-assets")
    window.detail.show_logs()
    qtbot.waitUntil(lambda: window.detail.logs_panel is not None and "No log is enabled"
                    in window.detail.logs_panel.status.text(), timeout=10_000)
    sdk.settled(sdk.log.create_log(gid, LM.CreateLogDetails(
        display_name="assets-writes", log_type="SERVICE", configuration=LM.Configuration(source=LM.OciService(
            source_type="OCISERVICE", service="objectstorage", resource="app-assets", category="write")))))
    ns = sdk.os.get_namespace().data
    sdk.os.put_object(ns, "app-assets", "logo-v2.svg", b"<svg/>")
    window.detail.tabs.setCurrentIndex(0)
    window.detail.show_resource(window.session, window.resources.kind, window.detail.resource, reload_related=True)
    window.detail.show_logs()
    panel = window.detail.logs_panel
    qtbot.waitUntil(lambda: panel.results.topLevelItemCount() > 0, timeout=10_000)
    assert panel.results.topLevelItem(0).text(2) == "com.oraclecloud.objectstorage.putobject"
    assert panel.results.topLevelItem(0).text(3).startswith("PUT logo-v2.svg (200) by ")
    assert panel.compartment.currentText().strip() == "Frontend"
    assert '/assets-logs/assets-writes"' in panel.query.toPlainText()
    shot(window, "i16-logging-bucket-tab")


def test_subnet_flow_log_empty_and_said_why(qtbot, window, gui_emulator):
    import oci
    sdk = Sdk(gui_emulator)
    net = oci.core.VirtualNetworkClient(sdk.emu.client_config(), service_endpoint=sdk.emu.endpoint("core"),
                                        signer=sdk.ingest.base_client.signer)
    comp = sdk.compartment("Development")
    subnet = next(s for s in net.list_subnets(comp).data if s.lifecycle_state == "AVAILABLE")
    LM = oci.logging.models
    gid = sdk.settled(sdk.log.create_log_group(LM.CreateLogGroupDetails(compartment_id=comp,
                                                                         display_name="net-logs")))
    sdk.settled(sdk.log.create_log(gid, LM.CreateLogDetails(
        display_name="flows", log_type="SERVICE", configuration=LM.Configuration(source=LM.OciService(
            source_type="OCISERVICE", service="flowlogs", resource=subnet.id, category="all")))))
    open_tree_path(qtbot, window, "Development", "Networking", "Subnets")
    qtbot.waitUntil(lambda: subnet.display_name in table_rows(window.resources), timeout=10_000)
    select_row(qtbot, window, subnet.display_name)
    assert any(a.text() == "Enable flow log…" for a in window._kind_actions)
    window.detail.show_logs()
    qtbot.waitUntil(lambda: window.detail.logs_panel is not None
                    and "Flow logs record the traffic" in window.detail.logs_panel.status.text(), timeout=10_000)
    assert window.detail.logs_panel.results.topLevelItemCount() == 0
