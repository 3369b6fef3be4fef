"""The signed admin API under /_emulator: info, settings, reset, session tokens."""

from __future__ import annotations

from .helpers import IM


def test_info_describes_the_emulator(emulator, raw):
    info = raw.get(emulator.base_url + "/_emulator/info").json()
    assert info["tenancyId"] == emulator.tenancy_id and info["adminUserId"] == emulator.admin_user_id
    assert {"core", "file_storage", "identity", "object_storage", "work_requests"} <= set(info["modules"])
    assert info["modules"] == sorted(info["modules"])
    assert info["regions"] == ["us-ashburn-1", "us-phoenix-1"] and info["homeRegion"] == "us-ashburn-1"
    assert info["persistent"] is False and info["transitionDelay"] == 0
    assert info["stats"]["requests"] >= 0


def test_settings_are_validated(emulator, raw):
    url = emulator.base_url + "/_emulator/settings"
    bad = raw.put(url, json={"transitionDelay": -1})
    assert bad.status_code == 400 and bad.json()["code"] == "InvalidParameter"
    assert raw.put(url, json=[1]).status_code == 400
    assert raw.put(url, data=b"{", headers={"content-type": "application/json"}).status_code == 400
    assert emulator.core.transition_delay == 0
    assert raw.put(url, json={"transitionDelay": 1.5}).json()["transitionDelay"] == 1.5
    assert emulator.core.transition_delay == 1.5


def test_unknown_admin_path_is_404(emulator, raw):
    r = raw.get(emulator.base_url + "/_emulator/teleport")
    assert r.status_code == 404 and r.json()["code"] == "NotAuthorizedOrNotFound"
    assert raw.post(emulator.base_url + "/_emulator/session-tokens", json={}).status_code == 400


def test_reset_restores_the_seed_and_keeps_the_admin_key(emulator, raw, clients):
    made = clients.identity.create_compartment(IM.CreateCompartmentDetails(
        compartment_id=clients.tenancy, name="ephemeral", description="d")).data
    r = raw.post(emulator.base_url + "/_emulator/reset", json={"seed": "empty"})
    assert r.status_code == 200, r.text
    # the same key still signs; the tenancy is a new, empty one
    tenancy = r.json()["tenancyId"]
    assert clients.identity.list_compartments(tenancy).data == []
    r = raw.post(emulator.base_url + "/_emulator/reset", json={"seed": "demo"})
    assert r.status_code == 200
    names = {c.name for c in clients.identity.list_compartments(r.json()["tenancyId"]).data}
    assert "Production" in names and "ephemeral" not in names
    assert made.id not in {c.id for c in clients.identity.list_compartments(
        r.json()["tenancyId"], compartment_id_in_subtree=True).data}
