"""Audit, Usage and Budgets through the real SDK and the `oci` CLI: every request is an audit event with the
principal that signed it; RequestSummarizedUsages bills what the sandbox runs (hours in each state times the
price list), stopped instances stop costing compute; budgets show that spend and their alert rules fire as
the emulator's clock advances."""

from __future__ import annotations

import datetime as dt

import oci
import pytest

from .helpers import Clients, launch_running, make_net, run_oci, signed_session, signer_for, unique, wait_state

E = oci.exceptions.ServiceError
UM = oci.usage_api.models
BM = oci.budget.models
UTC = dt.UTC
E4_HOURLY = 1 * 0.025 + 16 * 0.0015  # VM.Standard.E4.Flex, 1 OCPU and 16 GB (launch_details' default)
BOOT_HOURLY = 50 * (0.0255 + 10 * 0.0017) / 744  # a 50 GB boot volume at 10 VPUs/GB


class CostClients(Clients):
    def __init__(self, emulator, cfg):
        super().__init__(emulator, cfg)
        kw = {"signer": signer_for(cfg), "retry_strategy": oci.retry.NoneRetryStrategy()}
        self.objects = oci.object_storage.ObjectStorageClient(cfg, service_endpoint=emulator.endpoint("object_storage"),
                                                              **kw)
        self.audit = oci.audit.AuditClient(cfg, service_endpoint=emulator.endpoint("audit"), **kw)
        self.usage = oci.usage_api.UsageapiClient(cfg, service_endpoint=emulator.endpoint("usage_api"), **kw)
        self.budget = oci.budget.BudgetClient(cfg, service_endpoint=emulator.endpoint("budget"), **kw)


@pytest.fixture
def c(emulator, oci_config):
    return CostClients(emulator, oci_config)


def now(emulator) -> dt.datetime:
    return dt.datetime.fromtimestamp(emulator.clock.now(), tz=UTC)


def to_next_month(emulator) -> None:
    """Move the clock to 01:00 on the 2nd of next month: a budget period with room for the hours below."""
    n = now(emulator)
    first = (n.replace(day=1, hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=32)).replace(day=1)
    emulator.clock.advance((first + dt.timedelta(days=1, hours=1) - n).total_seconds())


def costs_by_service(c, comp: str, emulator, granularity: str = "DAILY") -> dict[str, float]:
    day = now(emulator).replace(hour=0, minute=0, second=0, microsecond=0)
    details = UM.RequestSummarizedUsagesDetails(
        tenant_id=c.tenancy, time_usage_started=day - dt.timedelta(days=2), time_usage_ended=day + dt.timedelta(days=1),
        granularity=granularity, query_type="COST", group_by=["service"],
        filter=UM.Filter(operator="AND", dimensions=[UM.Dimension(key="compartmentId", value=comp)]))
    items = oci.pagination.list_call_get_all_results(c.usage.request_summarized_usages, details).data
    out: dict[str, float] = {}
    for i in items:
        assert i.currency == "USD"
        out[i.service] = out.get(i.service, 0.0) + i.computed_amount
    return out


# ---------------------------------------------------------------- audit

def test_an_upload_is_audited_with_the_principal_that_signed(c, emulator, oci_config):
    ns = c.objects.get_namespace().data
    comp = c.identity.create_compartment(oci.identity.models.CreateCompartmentDetails(
        compartment_id=c.tenancy, name=unique("aud"), description="audit")).data.id
    start = now(emulator) - dt.timedelta(seconds=1)
    c.objects.create_bucket(ns, oci.object_storage.models.CreateBucketDetails(name="audited", compartment_id=comp))
    c.objects.put_object(ns, "audited", "report.csv", b"a,b\n1,2\n")
    with pytest.raises(E):
        c.objects.get_object(ns, "audited", "missing.csv")
    events = c.audit.list_events(comp, start, now(emulator) + dt.timedelta(seconds=1)).data
    names = [e.data.event_name for e in events]
    assert names == ["CreateBucket", "PutObject", "GetObject"]
    put = events[1]
    user = c.identity.get_user(oci_config["user"]).data
    assert put.data.identity.principal_id == user.id
    assert put.data.identity.principal_name == user.name
    assert put.data.identity.tenant_id == c.tenancy
    assert put.data.identity.ip_address == "127.0.0.1"
    assert put.data.identity.user_agent.startswith("Oracle-PythonSDK")
    assert put.data.resource_name == "report.csv"
    assert put.data.resource_id == events[0].data.resource_id  # the bucket's OCID
    assert put.data.compartment_id == comp
    assert put.data.request.action == "PUT" and put.data.response.status == "200"
    assert put.source == "ObjectStorageApi" and put.cloud_events_version == "0.1"
    assert events[2].data.response.status == "404"
    # a window before the upload lists nothing
    assert c.audit.list_events(comp, start - dt.timedelta(hours=1), start).data == []


def test_events_are_paged_and_retention_is_checked(c, emulator):
    comp = c.identity.create_compartment(oci.identity.models.CreateCompartmentDetails(
        compartment_id=c.tenancy, name=unique("pages"), description="audit pages")).data.id
    start = now(emulator) - dt.timedelta(seconds=1)
    for _ in range(105):
        c.network.list_vcns(comp)
    first = c.audit.list_events(comp, start, now(emulator) + dt.timedelta(seconds=1))
    assert len(first.data) == 100 and first.has_next_page
    every = oci.pagination.list_call_get_all_results(
        c.audit.list_events, comp, start, now(emulator) + dt.timedelta(seconds=1)).data
    assert len(every) == 105 and {e.data.event_name for e in every} == {"ListVcns"}
    assert c.audit.get_configuration(c.tenancy).data.retention_period_days == 365
    c.audit.update_configuration(c.tenancy, oci.audit.models.UpdateConfigurationDetails(retention_period_days=90))
    assert c.audit.get_configuration(c.tenancy).data.retention_period_days == 90
    with pytest.raises(E) as e:
        c.audit.update_configuration(c.tenancy, oci.audit.models.UpdateConfigurationDetails(retention_period_days=30))
    assert e.value.status == 400 and "90" in e.value.message
    emulator.clock.advance(91 * 86400)  # past the retention period: the events are no longer listed
    assert c.audit.list_events(comp, start, now(emulator)).data == []


# ---------------------------------------------------------------- usage

def test_usage_by_service_and_stopped_instances_stop_costing_compute(c, emulator):
    to_next_month(emulator)
    net = make_net(c)
    inst = launch_running(c, net)
    emulator.clock.advance(10 * 3600)
    ran = costs_by_service(c, net.compartment_id, emulator)
    assert ran["Compute"] == pytest.approx(10 * E4_HOURLY, rel=0.01)
    assert ran["Block Storage"] == pytest.approx(10 * BOOT_HOURLY, rel=0.01)
    c.compute.instance_action(inst.id, "STOP")
    wait_state(c.compute, c.compute.get_instance, inst.id, "STOPPED")
    emulator.clock.advance(10 * 3600)
    stopped = costs_by_service(c, net.compartment_id, emulator)
    assert stopped["Compute"] == pytest.approx(ran["Compute"], rel=0.01)  # no compute while stopped
    assert stopped["Block Storage"] == pytest.approx(20 * BOOT_HOURLY, rel=0.01)  # the boot volume still costs
    # hourly, grouped by resource and SKU: the instance's OCPU and memory parts
    hour = now(emulator).replace(minute=0, second=0, microsecond=0)
    got = c.usage.request_summarized_usages(UM.RequestSummarizedUsagesDetails(
        tenant_id=c.tenancy, time_usage_started=hour - dt.timedelta(hours=24), time_usage_ended=hour,
        granularity="HOURLY", query_type="USAGE", group_by=["resourceId", "skuPartNumber"], is_aggregate_by_time=True,
        filter=UM.Filter(operator="AND", dimensions=[UM.Dimension(key="resourceId", value=inst.id)]))).data
    parts = {i.sku_part_number: i.computed_quantity for i in got.items}
    assert parts["B93113"] == pytest.approx(10, rel=0.01)  # OCPU hours
    assert parts["B93114"] == pytest.approx(160, rel=0.01)  # GB hours
    # the instance terminated and purged: the hours it ran are still billed
    c.compute.terminate_instance(inst.id)
    emulator.clock.advance(2 * 3600)
    later = costs_by_service(c, net.compartment_id, emulator)
    assert later["Compute"] == pytest.approx(ran["Compute"], rel=0.01)


def test_usage_requests_are_checked(c, emulator):
    day = now(emulator).replace(hour=0, minute=0, second=0, microsecond=0)
    ok = dict(tenant_id=c.tenancy, time_usage_started=day - dt.timedelta(days=1), time_usage_ended=day,
              granularity="DAILY", query_type="COST")
    for bad, why in ((dict(group_by=["color"]), "groupBy"),
                     (dict(time_usage_started=day - dt.timedelta(hours=5)), "midnight"),
                     (dict(tenant_id=c.tenancy.replace("a", "b", 1)), "tenantId")):
        with pytest.raises(E) as e:
            c.usage.request_summarized_usages(UM.RequestSummarizedUsagesDetails(**dict(ok, **bad)))
        assert e.value.status == 400 and why in e.value.message
    # the demo's running instances cost something every day, monthly too
    month = day.replace(day=1)
    got = c.usage.request_summarized_usages(UM.RequestSummarizedUsagesDetails(
        tenant_id=c.tenancy, time_usage_started=month, time_usage_ended=day + dt.timedelta(days=1),
        granularity="MONTHLY", query_type="COST", group_by=["compartmentName"])).data
    assert sum(i.computed_amount for i in got.items) > 0 and all(i.compartment_name for i in got.items)


# ---------------------------------------------------------------- budgets

def test_budget_spend_grows_and_a_50_percent_alert_fires(c, emulator, oci_config):
    to_next_month(emulator)
    net = make_net(c)
    with pytest.raises(E) as e:
        c.budget.create_budget(BM.CreateBudgetDetails(
            compartment_id=c.tenancy, amount=-5, reset_period="MONTHLY", target_type="COMPARTMENT",
            targets=[net.compartment_id]))
    assert e.value.status == 400 and "positive" in e.value.message
    budget = c.budget.create_budget(BM.CreateBudgetDetails(
        compartment_id=c.tenancy, amount=1.0, reset_period="MONTHLY", target_type="COMPARTMENT",
        targets=[net.compartment_id], display_name="sandbox", description="one dollar a month")).data
    assert budget.actual_spend == 0 and budget.lifecycle_state == "ACTIVE"
    rule = c.budget.create_alert_rule(budget.id, BM.CreateAlertRuleDetails(
        type="ACTUAL", threshold=50, threshold_type="PERCENTAGE", recipients="ops@example.com",
        message="Half the sandbox budget is spent", display_name="half")).data
    assert c.budget.get_alert_rule(budget.id, rule.id).data.threshold == 50
    with pytest.raises(E) as e:
        c.budget.create_alert_rule(budget.id, BM.CreateAlertRuleDetails(
            type="ACTUAL", threshold=10, threshold_type="PERCENTAGE", recipients="not an address"))
    assert e.value.status == 400
    launch_running(c, net, shape_config=oci.core.models.LaunchInstanceShapeConfigDetails(ocpus=4, memory_in_gbs=64))
    session = signed_session(oci_config)
    messages = emulator.endpoint("_emulator") + "/messages"

    def fired() -> list[dict]:
        return [m for m in session.get(messages).json()["items"] if m["about"].get("alertRuleId") == rule.id]

    spends = []
    for _ in range(3):  # 4 OCPUs and 64 GB: $0.196 an hour; $0.50 is reached in the third hour
        emulator.clock.advance(3600)
        spends.append(c.budget.get_budget(budget.id).data.actual_spend)
        if spends[-1] < 0.5:
            assert fired() == []
    assert spends[0] < spends[1] < spends[2] and spends[2] > 0.5
    got = c.budget.get_budget(budget.id).data
    assert got.forecasted_spend > got.actual_spend and got.alert_rule_count == 1
    [msg] = fired()
    assert msg["recipients"] == ["ops@example.com"] and "Half the sandbox budget is spent" in msg["body"]
    assert msg["about"]["type"] == "ACTUAL" and msg["about"]["spend"] >= 0.5
    emulator.clock.advance(3 * 3600)  # once per budget period
    c.budget.list_budgets(c.tenancy)
    assert len(fired()) == 1
    listed = c.budget.list_budgets(c.tenancy, target_type="COMPARTMENT").data
    assert [b.display_name for b in listed if b.id == budget.id] == ["sandbox"]
    assert c.budget.list_alert_rules(budget.id).data[0].display_name == "half"
    upd = c.budget.update_alert_rule(budget.id, rule.id, BM.UpdateAlertRuleDetails(threshold=80)).data
    assert upd.threshold == 80 and upd.version == 2
    assert c.budget.update_budget(budget.id, BM.UpdateBudgetDetails(amount=10.0)).data.amount == 10.0
    with pytest.raises(E) as e:
        c.budget.update_budget(budget.id, BM.UpdateBudgetDetails(amount=-1.0))
    assert e.value.status == 400
    c.budget.delete_alert_rule(budget.id, rule.id)
    assert c.budget.get_budget(budget.id).data.alert_rule_count == 0
    c.budget.delete_budget(budget.id)
    with pytest.raises(E) as e:
        c.budget.get_budget(budget.id)
    assert e.value.status == 404


def test_a_budget_on_a_cost_tracking_tag(c, emulator):
    with pytest.raises(E) as e:  # Operations.Owner is not a cost-tracking tag
        c.budget.create_budget(BM.CreateBudgetDetails(
            compartment_id=c.tenancy, amount=100, reset_period="MONTHLY", target_type="TAG",
            targets=["Operations.Owner.me"]))
    assert e.value.status == 400 and "cost-tracking" in e.value.message
    b = c.budget.create_budget(BM.CreateBudgetDetails(
        compartment_id=c.tenancy, amount=100, reset_period="MONTHLY", target_type="TAG",
        targets=["Operations.CostCenter.cc-42"])).data
    assert b.target_type == "TAG" and b.actual_spend == 0


def test_cli_budget_create_and_audit_event_list(emulator, tmp_path):
    cfg = tmp_path / "config"
    emulator.write_config(cfg)
    tenancy = emulator.tenancy_id
    out = run_oci(cfg, emulator.endpoint("budget"), "budgets", "budget", "budget", "create",
                  "--compartment-id", tenancy, "--amount", "250", "--reset-period", "MONTHLY",
                  "--target-type", "COMPARTMENT", "--targets", f'["{tenancy}"]', "--display-name", "cli-budget")["data"]
    assert out["display-name"] == "cli-budget" and out["amount"] == 250 and out["actual-spend"] > 0
    start = (now(emulator) - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (now(emulator) + dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    events = run_oci(cfg, emulator.endpoint("audit"), "audit", "event", "list", "--compartment-id", tenancy,
                     "--start-time", start, "--end-time", end, "--all")["data"]
    create = [e for e in events if e["data"]["event-name"] == "CreateBudget"]
    assert create and create[0]["data"]["resource-name"] == "cli-budget"
    assert "Oracle-PythonCLI" in create[0]["data"]["identity"]["user-agent"]


def test_audit_trail_and_billed_hours_survive_a_restart(tmp_path):
    from tests.conftest import make_emulator
    state = str(tmp_path / "state.sqlite")
    first = make_emulator(tmp_path, state=state)
    try:
        c = CostClients(first, first.client_config())
        to_next_month(first)
        net = make_net(c)
        inst = launch_running(c, net)
        first.clock.advance(5 * 3600)
        c.compute.terminate_instance(inst.id)
        first.clock.advance(2 * 3600)  # purged: a tombstone keeps its five hours
        c.compute.list_instances(net.compartment_id)
        offset = first.clock.offset
        before = costs_by_service(c, net.compartment_id, first)
    finally:
        first.stop()
    second = make_emulator(tmp_path, state=state)
    try:
        second.clock.advance(offset - second.clock.offset)
        c = CostClients(second, second.client_config())
        start = now(second) - dt.timedelta(hours=8)
        events = oci.pagination.list_call_get_all_results(
            c.audit.list_events, net.compartment_id, start, now(second)).data
        names = [e.data.event_name for e in events]
        assert "LaunchInstance" in names and "TerminateInstance" in names
        after = costs_by_service(c, net.compartment_id, second)
        assert after["Compute"] == pytest.approx(before["Compute"]) == pytest.approx(5 * E4_HOURLY, rel=0.01)
    finally:
        second.stop()


def test_usage_by_cost_tracking_tag_and_a_forecast_alert(c, emulator, oci_config):
    to_next_month(emulator)
    net = make_net(c)
    tagged = {"Operations": {"CostCenter": "cc-42"}}
    launch_running(c, net, defined_tags=tagged)
    launch_running(c, net)  # untagged: not in the tag's budget
    budget = c.budget.create_budget(BM.CreateBudgetDetails(
        compartment_id=c.tenancy, amount=5.0, reset_period="MONTHLY", target_type="TAG",
        targets=["Operations.CostCenter.cc-42"], display_name="cc-42")).data
    rule = c.budget.create_alert_rule(budget.id, BM.CreateAlertRuleDetails(
        type="FORECAST", threshold=4.0, threshold_type="ABSOLUTE", recipients="finance@example.com")).data
    emulator.clock.advance(24 * 3600)
    got = c.budget.get_budget(budget.id).data
    # the tagged instance only (its boot volume does not carry the tag)
    assert got.actual_spend == pytest.approx(24 * E4_HOURLY, rel=0.02)
    assert got.forecasted_spend > 4.0  # a month at this rate
    session = signed_session(oci_config)
    items = session.get(emulator.endpoint("_emulator") + "/messages").json()["items"]
    assert [m["about"]["type"] for m in items if m["about"].get("alertRuleId") == rule.id] == ["FORECAST"]
    # the usage grouped by the tag: the tagged instance's compute, and the rest without a tag value
    day = now(emulator).replace(hour=0, minute=0, second=0, microsecond=0)
    res = c.usage.request_summarized_usages(UM.RequestSummarizedUsagesDetails(
        tenant_id=c.tenancy, time_usage_started=day - dt.timedelta(days=2), time_usage_ended=day + dt.timedelta(days=1),
        granularity="TOTAL", query_type="COST", group_by=["service"],
        group_by_tag=[UM.Tag(namespace="Operations", key="CostCenter")],
        filter=UM.Filter(operator="AND", dimensions=[UM.Dimension(key="compartmentId", value=net.compartment_id)],
                         filters=[UM.Filter(operator="NOT", dimensions=[UM.Dimension(key="service",
                                                                                     value="Block Storage")])]))).data
    by_tag = {(i.service, i.tags[0].value): i.computed_amount for i in res.items}
    assert set(by_tag) == {("Compute", "cc-42"), ("Compute", None)}
    assert by_tag[("Compute", "cc-42")] == pytest.approx(24 * E4_HOURLY, rel=0.02)
