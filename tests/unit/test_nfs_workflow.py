"""The NFS share workflow in the service layer (no Qt), against the emulator: a file system, a new
or existing mount target and an export, each waited for until ACTIVE; a failed step keeps what was
made and a run after the fix finishes with it (nothing created twice); rolling back deletes what
was made and says so."""

from __future__ import annotations

import asyncio

import oci
import pytest

from ociconsole.core.connection import connection_for_emulator
from ociconsole.services import file_storage as fssvc
from ociconsole.services.runtime import Session

M = oci.file_storage.models


@pytest.fixture
def session(emulator):
    s = Session(connection_for_emulator(emulator.client_config(), emulator.base_url))
    yield s
    s.close()


@pytest.fixture
def place(emulator):
    """(file storage client, Development compartment, AD-1, dev-vcn-private subnet, seeded dev-nfs mount target)."""
    cfg = emulator.client_config()
    idc = oci.identity.IdentityClient(cfg, service_endpoint=emulator.endpoint("identity"))
    vn = oci.core.VirtualNetworkClient(cfg, service_endpoint=emulator.endpoint("core"))
    fsc = oci.file_storage.FileStorageClient(cfg, service_endpoint=emulator.endpoint("file_storage"))
    comp = next(c for c in idc.list_compartments(cfg["tenancy"]).data if c.name == "Development")
    ad = idc.list_availability_domains(cfg["tenancy"]).data[0].name
    subnet = next(s for s in vn.list_subnets(compartment_id=comp.id).data if s.display_name == "dev-vcn-private")
    mt = next(m for m in fsc.list_mount_targets(comp.id, ad).data if m.display_name == "dev-nfs")
    return fsc, comp.id, ad, subnet.id, mt


def plan(place, name: str, path: str, mt_name: str | None = None) -> fssvc.SharePlan:
    fsc, comp, ad, subnet, existing = place
    fs = M.CreateFileSystemDetails(compartment_id=comp, availability_domain=ad, display_name=name)
    if mt_name is None:
        return fssvc.SharePlan(fs, path, existing=existing)
    return fssvc.SharePlan(fs, path, mount_target=M.CreateMountTargetDetails(
        compartment_id=comp, availability_domain=ad, subnet_id=subnet, display_name=mt_name))


def live(fsc, place, name: str) -> list:
    _fsc, comp, ad, _subnet, _mt = place
    return [f for f in fsc.list_file_systems(comp, ad, display_name=name).data if f.lifecycle_state != "DELETED"]


def test_a_share_with_a_new_mount_target(session, place):
    fsc = place[0]
    steps: list[tuple[str, str, str]] = []
    wf = fssvc.NfsShareWorkflow(session, report=lambda *a: steps.append(a))
    result = asyncio.run(wf.run(plan(place, "unit-share", "/unit-share", "unit-nfs")))
    assert result.ok, result.error
    fs, mt = wf.created["fs"], wf.created["mt"]
    export = wf.created["export"]
    assert (fs.lifecycle_state, mt.lifecycle_state, export.lifecycle_state) == ("ACTIVE",) * 3
    assert (export.export_set_id, export.file_system_id, export.path) == (mt.export_set_id, fs.id, "/unit-share")
    assert result.ip and wf.mount_command == f"sudo mount -t nfs {result.ip}:/unit-share /mnt/unit-share"
    # the file system and the mount target are made side by side (either may come first), the export last
    made = [m[0] for m in wf.made]
    assert sorted(made[:2]) == ["fs", "mt"] and made[2:] == ["export"] and wf.failed_step is None
    assert {s for s, state, _d in steps if state == "ok"} == {"fs", "mt", "export"}
    assert [f.id for f in live(fsc, place, "unit-share")] == [fs.id]


def test_a_failing_export_keeps_what_was_made_and_a_resume_with_another_path_finishes(session, place):
    fsc = place[0]
    # the seed exports shared-home through dev-nfs as /shared-home: the same path again is refused
    wf = fssvc.NfsShareWorkflow(session)
    p = plan(place, "resume-share", "/shared-home")
    first = asyncio.run(wf.run(p))
    assert not first.ok and first.error.status == 409 and "already exists" in first.error.message
    assert wf.failed_step == "export" and not wf.finished
    fs = wf.created["fs"]
    assert wf.made == [("fs", fs.id, "resume-share")]
    assert f"File system resume-share: {fs.id}" in wf.leftovers_text()
    assert wf.choices_text().startswith("Change the export path (Back) and continue: what was created is reused")
    fs_token = wf.tokens["fs"]
    export_token = wf.tokens["export"]
    # the same request again keeps its token; a changed path gets a new one
    wf.prepare(p)
    assert wf.tokens["export"] == export_token
    p.path = "/resume-share"
    assert "fs" not in wf.requests(p) and wf.requests(p)["export"].file_system_id == fs.id
    second = asyncio.run(wf.run(p))
    assert second.ok, second.error
    assert wf.tokens["export"] != export_token and wf.tokens["fs"] == fs_token
    assert wf.created["fs"].id == fs.id and [f.id for f in live(fsc, place, "resume-share")] == [fs.id]
    assert [e.path for e in fsc.list_exports(file_system_id=fs.id).data] == ["/resume-share"]
    assert wf.mount_command.endswith(":/resume-share /mnt/resume-share")


def test_roll_back_deletes_the_file_system_and_mount_target_and_reports_them(session, place, emulator):
    fsc = place[0]
    steps: list[tuple[str, str, str]] = []
    wf = fssvc.NfsShareWorkflow(session, report=lambda *a: steps.append(a))
    emulator.core.faults.update({"rate": 1.0, "operations": ["create_export"], "mix": {"503": 1.0}})
    try:
        result = asyncio.run(wf.run(plan(place, "gone-share", "/gone-share", "gone-nfs")))
    finally:
        emulator.core.faults.update({"rate": 0.0})
    assert not result.ok and result.error.status == 503 and wf.failed_step == "export"
    fs, mt = wf.created["fs"], wf.created["mt"]
    assert ("export", "fail") in [(s, st) for s, st, _d in steps]
    text = wf.leftovers_text()
    assert f"File system gone-share: {fs.id}" in text and f"Mount target gone-nfs: {mt.id}" in text
    tokens = dict(wf.tokens)
    errors = asyncio.run(wf.roll_back())
    assert errors == []
    assert fsc.get_file_system(fs.id).data.lifecycle_state == "DELETED"
    assert fsc.get_mount_target(mt.id).data.lifecycle_state == "DELETED"
    assert not wf.made and not wf.created and wf.leftovers_text() == "Nothing was created."
    assert sorted(s for s, _st, d in steps if d == "Deleted") == ["fs", "mt"]
    # fresh tokens: creating again makes new resources, not the deleted ones
    assert wf.tokens["fs"] != tokens["fs"] and wf.tokens["mt"] != tokens["mt"]
    again = asyncio.run(wf.run(plan(place, "gone-share", "/gone-share", "gone-nfs")))
    assert again.ok, again.error
    assert wf.created["fs"].id != fs.id and [f.id for f in live(fsc, place, "gone-share")] == [wf.created["fs"].id]


def test_roll_back_names_what_could_not_be_deleted(session, place, emulator):
    wf = fssvc.NfsShareWorkflow(session)
    result = asyncio.run(wf.run(plan(place, "stuck-share", "/shared-home")))
    assert not result.ok
    fs = wf.created["fs"]
    emulator.core.faults.update({"rate": 1.0, "operations": ["delete_file_system"], "mix": {"500": 1.0}})
    try:
        errors = asyncio.run(wf.roll_back())
    finally:
        emulator.core.faults.update({"rate": 0.0})
    assert len(errors) == 1 and errors[0].startswith("File system stuck-share: ")
    assert wf.made == [("fs", fs.id, "stuck-share")] and f"File system stuck-share: {fs.id}" in wf.leftovers_text()
