"""What a bucket browser does with a selection, below the GUI (services/object_storage.py): a download
planned into local paths that never leave the chosen folder (names with '..', leading slashes, nested
folders), folders expanded to every object under them, and bulk deletes reporting what failed
(against the emulator's Object Storage)."""

from __future__ import annotations

import asyncio
import os
from types import SimpleNamespace

import oci
import pytest

from ociconsole.core.connection import connection_for_emulator
from ociconsole.emulator.faults import FaultConfig
from ociconsole.services import object_storage as oss
from ociconsole.services.runtime import Session


def objs(*names: str) -> list:
    return [SimpleNamespace(name=n, size=len(n)) for n in names]


def planned(plan: oss.DownloadPlan, dest) -> dict[str, str]:
    return {o.name: os.path.relpath(path, dest).replace(os.sep, "/") for o, path in plan.files}


# ---------------------------------------------------------------- download plans (pure)

def test_plan_keeps_the_folders_below_the_browsed_one(tmp_path):
    plan = oss.plan_download(objs("releases/2026/01/app.tar.gz", "releases/2026/02/", "releases/2026/02/b.txt",
                                  "releases/notes.md"), "releases/", str(tmp_path))
    assert planned(plan, tmp_path) == {"releases/2026/01/app.tar.gz": "2026/01/app.tar.gz",
                                       "releases/2026/02/b.txt": "2026/02/b.txt",
                                       "releases/notes.md": "notes.md"}  # the folder marker is skipped
    assert plan.refused == []
    assert plan.directories() == [str(tmp_path), str(tmp_path / "2026" / "01"), str(tmp_path / "2026" / "02")]
    oss.make_download_dirs(plan)
    assert (tmp_path / "2026" / "01").is_dir() and (tmp_path / "2026" / "02").is_dir()
    # at the bucket's top (no prefix) and names outside the prefix keep their whole path
    top = oss.plan_download(objs("a/b/c.txt", "other/x"), "a/", str(tmp_path))
    assert planned(top, tmp_path) == {"a/b/c.txt": "b/c.txt", "other/x": "other/x"}


def test_plan_refuses_names_that_escape_the_destination(tmp_path):
    dest = tmp_path / "dest"
    bad = ["../outside.txt", "a/../../outside.txt", "a/../b.txt", "./x", "dir/./y", "..", "a/..",
           "folder/../../../../etc/passwd"]
    plan = oss.plan_download(objs(*bad, "ok.txt"), "", str(dest))
    assert planned(plan, dest) == {"ok.txt": "ok.txt"}
    assert [n for n, _why in plan.refused] == bad
    assert all("'.' or '..'" in why for _n, why in plan.refused)
    for _o, path in plan.files:
        assert os.path.commonpath([str(dest), path]) == str(dest)
    # below a prefix too
    sub = oss.plan_download(objs("docs/../../x", "docs/../x"), "docs/", str(dest))
    assert sub.files == [] and len(sub.refused) == 2


def test_plan_drops_leading_and_doubled_slashes_and_never_writes_twice(tmp_path):
    plan = oss.plan_download(objs("/etc/passwd", "//root/.ssh/authorized_keys", "a//b.txt", "a/b.txt", "x/"),
                             "", str(tmp_path))
    assert planned(plan, tmp_path) == {"/etc/passwd": "etc/passwd",  # inside the destination, never /etc
                                       "//root/.ssh/authorized_keys": "root/.ssh/authorized_keys",
                                       "a//b.txt": "a/b.txt"}
    assert plan.refused == [("a/b.txt", "the object a//b.txt is saved to the same file")]
    # an object named like a folder other objects need: the folder wins
    clash = oss.plan_download(objs("logs", "logs/1.txt", "logs/2.txt"), "", str(tmp_path))
    assert planned(clash, tmp_path) == {"logs/1.txt": "logs/1.txt", "logs/2.txt": "logs/2.txt"}
    assert clash.refused == [("logs", "other objects need a folder of that name")]
    # a NUL, and a separator of this system other than '/'
    odd = ["p/\0", *(["p/a\\..\\..\\x"] if os.sep == "\\" else [])]
    plan = oss.plan_download(objs(*odd, "docs//"), "docs/", str(tmp_path))
    assert plan.files == [] and [n for n, _why in plan.refused] == odd  # "docs//": a folder marker


@pytest.mark.skipif(os.sep != "/", reason="a backslash is a separator on Windows")
def test_plan_keeps_backslashes_as_part_of_a_name_on_posix(tmp_path):
    plan = oss.plan_download(objs("a\\..\\..\\x"), "", str(tmp_path))
    assert planned(plan, tmp_path) == {"a\\..\\..\\x": "a\\..\\..\\x"}  # one file name, inside dest


# ---------------------------------------------------------------- against the emulator

@pytest.fixture
def session(emulator):
    s = Session(connection_for_emulator(emulator.client_config(), emulator.base_url))
    yield s
    s.close()


@pytest.fixture
def bucket(emulator):
    cfg = emulator.client_config()
    osc = oci.object_storage.ObjectStorageClient(cfg, service_endpoint=emulator.endpoint("object_storage"))
    ns = osc.get_namespace().data
    osc.create_bucket(ns, oci.object_storage.models.CreateBucketDetails(name="sel", compartment_id=cfg["tenancy"]))
    for name in ("top.txt", "a/", "a/x.txt", "a/b/", "a/b/y.txt", "a/b/c/z.txt", "ab.txt", "d/w.txt"):
        osc.put_object(ns, "sel", name, name.encode())
    return osc, ns, "sel"


def names_in(osc, ns, bucket) -> list[str]:
    return sorted(o.name for o in osc.list_objects(ns, bucket).data.objects)


def test_expand_folders_nested_and_selected_objects_once(session, bucket):
    _osc, _ns, name = bucket

    async def run():
        top = (await oss.list_objects(session, name, "")).objects
        chosen = [o for o in top if o.name == "top.txt"]
        files = await oss.expand_folders(session, name, ["a/", "a/b/"], chosen)
        with_markers = await oss.expand_folders(session, name, ["a/b/", "a/"], markers=True)
        empty = await oss.expand_folders(session, name, ["nothing/"])
        return files, with_markers, empty
    files, with_markers, empty = asyncio.run(run())
    assert [o.name for o in files] == ["top.txt", "a/b/", "a/b/c/z.txt", "a/b/y.txt", "a/x.txt"]
    assert "ab.txt" not in [o.name for o in files]  # "a/" is a folder, not a name prefix
    assert [o.name for o in with_markers] == ["a/b/", "a/b/c/z.txt", "a/b/y.txt", "a/", "a/x.txt"]
    assert empty == []


def test_bulk_delete_counts_missing_objects_as_deleted_and_reports_failures(session, bucket, emulator):
    osc, ns, name = bucket
    seen = []

    async def run(names):
        return await oss.bulk_delete(session, name, names, concurrency=2,
                                     on_progress=lambda done, total: seen.append((done, total)))
    failed = asyncio.run(run(["a/x.txt", "a/b/y.txt", "never-there", "a/"]))
    assert failed == [] and seen[-1] == (4, 4) and sorted(d for d, _t in seen) == [1, 2, 3, 4]
    assert names_in(osc, ns, name) == ["a/b/", "a/b/c/z.txt", "ab.txt", "d/w.txt", "top.txt"]

    emulator.core.faults.configure(FaultConfig(rate=1.0, mix={"500": 1.0}, operations=["delete_object"]))
    try:
        failed = asyncio.run(run(["top.txt", "d/w.txt"]))
    finally:
        emulator.core.faults.configure(FaultConfig())
    assert [n for n, _e in failed] == ["top.txt", "d/w.txt"] and all(e.status == 500 for _n, e in failed)
    assert "top.txt" in names_in(osc, ns, name)
    assert asyncio.run(oss.bulk_delete(session, name, [])) == []
