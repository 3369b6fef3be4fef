"""The Notifications control plane (topics) through the real SDK: the demo's topics, CRUD, OCI's name
rules, lifecycle (CREATING -> ACTIVE, DELETING -> gone), etags, pagination, alarms' destinations
checked against the topics, and the `oci` CLI."""

from __future__ import annotations

import oci
import pytest

from tests.conftest import make_emulator

from .helpers import NO_RETRY, run_oci, signer_for, unique

NM = oci.ons.models
MM = oci.monitoring.models


def ons_client(emu, region: str | None = None) -> oci.ons.NotificationControlPlaneClient:
    cfg = emu.client_config()
    return oci.ons.NotificationControlPlaneClient(cfg, service_endpoint=emu.endpoint("ons", region),
                                                  signer=signer_for(cfg), **NO_RETRY)


def mon_client(emu) -> oci.monitoring.MonitoringClient:
    cfg = emu.client_config()
    return oci.monitoring.MonitoringClient(cfg, service_endpoint=emu.endpoint("monitoring"), signer=signer_for(cfg),
                                           **NO_RETRY)


def error(fn, *args, **kw) -> oci.exceptions.ServiceError:
    with pytest.raises(oci.exceptions.ServiceError) as e:
        fn(*args, **kw)
    return e.value


def compartment(emu, name: str) -> str:
    cfg = emu.client_config()
    idc = oci.identity.IdentityClient(cfg, service_endpoint=emu.endpoint("identity"), signer=signer_for(cfg),
                                      **NO_RETRY)
    comps = idc.list_compartments(emu.tenancy_id, compartment_id_in_subtree=True).data
    return next(c.id for c in comps if c.name == name)


def alarm(comp: str, destinations: list[str], **over) -> MM.CreateAlarmDetails:
    d = dict(display_name=unique("alarm"), compartment_id=comp, metric_compartment_id=comp, namespace="lab",
             query="Temp[1m].max() > 50", severity="CRITICAL", destinations=destinations, is_enabled=True)
    d.update(over)
    return MM.CreateAlarmDetails(**d)


@pytest.fixture
def ons(emulator):
    return ons_client(emulator)


def test_demo_topics_and_the_seeded_alarms_notify_ops_alerts(emulator, ons):
    t = emulator.tenancy_id
    [ops] = ons.list_topics(t).data
    assert (ops.name, ops.lifecycle_state, ops.compartment_id) == ("ops-alerts", "ACTIVE", t)
    assert ops.topic_id.startswith("ocid1.onstopic.oc1.iad.") and ops.etag and ops.api_endpoint.startswith("https://")
    assert len(ops.short_topic_id) == 10 and ops.description
    dev = ons.list_topics(compartment(emulator, "Development")).data
    assert [x.name for x in dev] == ["dev-notifications"]
    got = ons.get_topic(ops.topic_id)
    assert got.data.name == "ops-alerts" and got.headers["etag"] == got.data.etag
    # filters: name, id, lifecycle state
    assert [x.name for x in ons.list_topics(t, name="ops-alerts").data] == ["ops-alerts"]
    assert ons.list_topics(t, name="nope").data == []
    assert [x.topic_id for x in ons.list_topics(t, id=ops.topic_id).data] == [ops.topic_id]
    assert ons.list_topics(t, lifecycle_state="CREATING").data == []
    # every seeded alarm notifies the topic (alarms work with no setup)
    mon = mon_client(emulator)
    alarms = mon.list_alarms(t, compartment_id_in_subtree=True).data
    assert alarms and all(mon.get_alarm(a.id).data.destinations == [ops.topic_id] for a in alarms)


def test_topic_crud_etags_and_pages(emulator, ons):
    t = emulator.tenancy_id
    dev = compartment(emulator, "Development")
    details = NM.CreateTopicDetails(name="lab-alerts", compartment_id=t, description="Lab",
                                    freeform_tags={"team": "lab"})
    created = ons.create_topic(details, opc_retry_token="tok-1").data
    assert created.lifecycle_state == "CREATING" and created.freeform_tags == {"team": "lab"}
    again = ons.create_topic(details, opc_retry_token="tok-1").data  # same token, same body: same topic
    assert again.topic_id == created.topic_id
    assert ons.get_topic(created.topic_id).data.lifecycle_state == "ACTIVE"  # transition delay 0: next read
    # update: description and tags; the name cannot change (not in TopicAttributesDetails); if-match
    etag = ons.get_topic(created.topic_id).data.etag
    upd = ons.update_topic(created.topic_id, NM.TopicAttributesDetails(description="Lab bench", freeform_tags={}),
                           if_match=etag).data
    assert (upd.description, upd.freeform_tags, upd.name) == ("Lab bench", {}, "lab-alerts")
    e = error(ons.update_topic, created.topic_id, NM.TopicAttributesDetails(description="x"), if_match=etag)
    assert e.status == 412
    e = error(ons.update_topic, created.topic_id,
              NM.TopicAttributesDetails(description="x" * 1025))
    assert e.status == 400 and "description" in e.message
    # move it
    ons.change_topic_compartment(created.topic_id, NM.ChangeCompartmentDetails(compartment_id=dev))
    assert ons.get_topic(created.topic_id).data.compartment_id == dev
    assert sorted(x.name for x in ons.list_topics(dev).data) == ["dev-notifications", "lab-alerts"]
    # pages and sorting
    first = ons.list_topics(dev, limit=1, sort_by="TIMECREATED", sort_order="DESC")
    assert [x.name for x in first.data] == ["lab-alerts"] and first.next_page
    second = ons.list_topics(dev, limit=1, page=first.next_page, sort_by="TIMECREATED", sort_order="DESC")
    assert [x.name for x in second.data] == ["dev-notifications"] and not second.next_page
    # delete: gone for good (OCI has no DELETED state for topics)
    ons.delete_topic(created.topic_id)
    assert error(ons.get_topic, created.topic_id).status == 404
    assert error(ons.delete_topic, created.topic_id).status == 404
    assert "lab-alerts" not in [x.name for x in ons.list_topics(dev).data]


@pytest.mark.parametrize("name", ["", "with space", "dots.not.allowed", "ünïcode", "x" * 257, "semi;colon"])
def test_topic_names_follow_ocis_rules(emulator, ons, name):
    e = error(ons.create_topic, NM.CreateTopicDetails(name=name, compartment_id=emulator.tenancy_id))
    assert e.status == 400, (e.status, e.message)


def test_topic_names_are_unique_across_the_tenancy(emulator, ons):
    t = emulator.tenancy_id
    dev = compartment(emulator, "Development")
    ok = ons.create_topic(NM.CreateTopicDetails(name="A_b-1" + "x" * 251, compartment_id=t)).data
    assert len(ok.name) == 256
    e = error(ons.create_topic, NM.CreateTopicDetails(name="ops-alerts", compartment_id=dev))
    assert (e.status, e.code) == (409, "Conflict") and "already exists" in e.message
    assert ons.create_topic(NM.CreateTopicDetails(name="OPS-ALERTS", compartment_id=dev)).data.name == "OPS-ALERTS"
    e = error(ons.create_topic, NM.CreateTopicDetails(name="nowhere", compartment_id="ocid1.compartment.oc1..nope"))
    assert e.status == 404


def test_topic_lifecycle_with_a_transition_delay(tmp_path):
    emu = make_emulator(tmp_path, transition_delay=0.4)
    try:
        ons = ons_client(emu)
        t = emu.tenancy_id
        topic = ons.create_topic(NM.CreateTopicDetails(name="slow", compartment_id=t)).data
        assert ons.get_topic(topic.topic_id).data.lifecycle_state == "CREATING"
        e = error(ons.update_topic, topic.topic_id, NM.TopicAttributesDetails(description="x"))
        assert (e.status, e.code) == (409, "IncorrectState")
        assert oci.wait_until(ons, ons.get_topic(topic.topic_id), "lifecycle_state", "ACTIVE",
                              max_wait_seconds=10, max_interval_seconds=0.2).data.lifecycle_state == "ACTIVE"
        # an alarm may notify it; then it is deleted: DELETING, no new alarm on it, its name still taken
        mon = mon_client(emu)
        a = mon.create_alarm(alarm(t, [topic.topic_id])).data
        ons.delete_topic(topic.topic_id)
        assert ons.get_topic(topic.topic_id).data.lifecycle_state == "DELETING"
        assert error(ons.delete_topic, topic.topic_id).status == 409
        assert error(mon.create_alarm, alarm(t, [topic.topic_id])).status == 404
        assert error(ons.create_topic, NM.CreateTopicDetails(name="slow", compartment_id=t)).status == 409
        oci.wait_until(ons, ons.get_topic(topic.topic_id), succeed_on_not_found=True, evaluate_response=lambda r: False,
                       max_wait_seconds=10, max_interval_seconds=0.2)
        # the alarm stays (as in OCI); changing something else than its destinations is allowed
        assert mon.update_alarm(a.id, MM.UpdateAlarmDetails(severity="INFO")).data.severity == "INFO"
        assert emu.core.strict_violations == []
    finally:
        emu.stop()


def test_alarm_destinations_must_be_existing_topics(emulator, ons):
    t = emulator.tenancy_id
    mon = mon_client(emulator)
    [ops] = ons.list_topics(t, name="ops-alerts").data
    unknown = "ocid1.onstopic.oc1.iad.aaaaaaaaexampletopic"
    e = error(mon.create_alarm, alarm(t, [unknown]))
    assert (e.status, e.code) == (404, "NotAuthorizedOrNotFound") and "destinations[0]" in e.message
    # a stream is not emulated: its OCID is only checked for its shape
    a = mon.create_alarm(alarm(t, [ops.topic_id, "ocid1.stream.oc1.iad.aaaaaaaastream"])).data
    assert a.destinations == [ops.topic_id, "ocid1.stream.oc1.iad.aaaaaaaastream"]
    e = error(mon.update_alarm, a.id, MM.UpdateAlarmDetails(destinations=[unknown]))
    assert e.status == 404 and "destinations[0]" in e.message
    assert mon.get_alarm(a.id).data.destinations[0] == ops.topic_id  # unchanged
    # topics are regional: one in Phoenix is not a destination for an alarm in Ashburn
    phx = ons_client(emulator, "us-phoenix-1").create_topic(NM.CreateTopicDetails(name="phx-alerts",
                                                                                  compartment_id=t)).data
    assert ".phx." in phx.topic_id and ons.list_topics(t, name="phx-alerts").data == []
    assert error(mon.create_alarm, alarm(t, [phx.topic_id])).status == 404


def test_oci_cli_creates_and_lists_topics(emulator, tmp_path):
    cfg = emulator.write_config(tmp_path / "config")

    def run(*args):
        return run_oci(cfg, emulator.endpoint("ons"), *args)

    made = run("ons", "topic", "create", "--compartment-id", emulator.tenancy_id, "--name", "cli-alerts")
    assert made["data"]["name"] == "cli-alerts" and made["data"]["lifecycle-state"] == "CREATING"
    got = run("ons", "topic", "get", "--topic-id", made["data"]["topic-id"])
    assert got["data"]["lifecycle-state"] == "ACTIVE" and got["etag"] == got["data"]["etag"]
    listed = run("ons", "topic", "list", "--compartment-id", emulator.tenancy_id, "--all")
    assert sorted(x["name"] for x in listed["data"]) == ["cli-alerts", "ops-alerts"]
