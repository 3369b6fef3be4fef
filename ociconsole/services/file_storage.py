"""File Storage: file systems, mount targets (and their export sets and private IPs), exports,
snapshots; and the NFS share workflow (`NfsShareWorkflow`: file system, mount target, export,
each waited for until ACTIVE, resumed after a fix or rolled back) that the GUI's wizard drives."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import oci

from ..core.errors import OciError
from ..core.sdk import models as sdk_models
from . import identity
from .runtime import Session

models = sdk_models("file_storage")
GONE = ("DELETING", "DELETED")


async def _per_ad(session: Session, method: str, compartment_id: str, **kw) -> list:
    """File Storage lists are per availability domain: every AD of the region, in parallel."""
    ads = await identity.list_availability_domains(session)
    lists = await asyncio.gather(*(session.list_all("file_storage", method, compartment_id, ad.name, **kw)
                                   for ad in ads))
    return [x for lst in lists for x in lst]


async def list_file_systems(session: Session, compartment_id: str) -> list:
    return await _per_ad(session, "list_file_systems", compartment_id)


async def get_file_system(session: Session, fs_id: str):
    return await session.data("file_storage", "get_file_system", fs_id)


async def delete_file_system(session: Session, fs_id: str) -> None:
    await session.call("file_storage", "delete_file_system", fs_id)


async def list_mount_targets(session: Session, compartment_id: str, availability_domain: str | None = None) -> list:
    if availability_domain:
        return await session.list_all("file_storage", "list_mount_targets", compartment_id, availability_domain)
    return await _per_ad(session, "list_mount_targets", compartment_id)


async def get_mount_target(session: Session, mt_id: str):
    return await session.data("file_storage", "get_mount_target", mt_id)


async def delete_mount_target(session: Session, mt_id: str) -> None:
    await session.call("file_storage", "delete_mount_target", mt_id)


async def mount_target_ip(session: Session, mt) -> str | None:
    """The private IP address of a mount target (what NFS clients mount from)."""
    for pid in mt.private_ip_ids or []:
        try:
            return (await session.data("network", "get_private_ip", pid)).ip_address
        except OciError:
            continue
    return None


async def list_exports(session: Session, file_system_id: str | None = None, export_set_id: str | None = None,
                       compartment_id: str | None = None) -> list:
    kw = {k: v for k, v in (("file_system_id", file_system_id), ("export_set_id", export_set_id),
                            ("compartment_id", compartment_id)) if v}
    out = await session.list_all("file_storage", "list_exports", **kw)
    return [e for e in out if e.lifecycle_state not in GONE]


async def get_export(session: Session, export_id: str):
    return await session.data("file_storage", "get_export", export_id)


async def delete_export(session: Session, export_id: str) -> None:
    await session.call("file_storage", "delete_export", export_id)


async def list_snapshots(session: Session, file_system_id: str) -> list:
    out = await session.list_all("file_storage", "list_snapshots", file_system_id=file_system_id)
    return [s for s in out if s.lifecycle_state not in GONE]


def mount_command(ip: str, path: str) -> str:
    """`sudo mount -t nfs <ip>:/<path> /mnt/<path>` for an export path."""
    p = "/" + path.strip("/")
    return f"sudo mount -t nfs {ip}:{p} /mnt{p}"


async def active_mount_targets(session: Session, compartment_id: str, availability_domain: str) -> list[tuple]:
    """(mount target, private IP or None) of the ACTIVE mount targets of one availability domain."""
    mts = [m for m in await list_mount_targets(session, compartment_id, availability_domain)
           if m.lifecycle_state == "ACTIVE"]
    ips = await asyncio.gather(*(mount_target_ip(session, m) for m in mts))
    return list(zip(mts, ips, strict=True))


# ---------------------------------------------------------------- the NFS share workflow
# A file system, a mount target (new, or an existing one) and an export, created together, each
# waited for until ACTIVE. When a step fails, what was made stays and is reused by the next run
# (after the person changed the failing input), or is deleted on request. The GUI's wizard only
# drives it: it collects the input (a SharePlan), starts runs, shows the step reports, and asks to
# roll back. How one create or delete is carried out is a StepRunner: `SessionRunner` here (plain
# requests, polling), or one that also tracks them as operations (the wizard's, via the catalog).

STEPS = ("fs", "mt", "export")  # in the order of their inputs
STEP_NOUN = {"fs": "File system", "mt": "Mount target", "export": "Export"}
STEP_WHAT = {"fs": "the file system", "mt": "the mount target", "export": "the export path"}
STEP_METHODS = {"fs": ("create_file_system", "get_file_system", "delete_file_system"),
                "mt": ("create_mount_target", "get_mount_target", "delete_mount_target"),
                "export": ("create_export", "get_export", "delete_export")}

StepReport = Callable[[str, str, str], None]  # (step, "wait" | "run" | "ok" | "fail", detail)


@dataclass
class SharePlan:
    """What the person asked for. `mount_target` None: export through `existing` (an ACTIVE mount target)."""

    file_system: Any  # CreateFileSystemDetails
    path: str
    mount_target: Any = None  # CreateMountTargetDetails of a new one
    existing: Any = None  # MountTarget

    @property
    def name(self) -> str:
        return self.file_system.display_name or ""

    @property
    def mt_name(self) -> str:
        return (self.mount_target.display_name if self.mount_target is not None
                else getattr(self.existing, "display_name", "")) or ""


@dataclass
class CreateOutcome:
    """What one create ended with: the OCID if something was made, the ACTIVE resource, or the error."""

    resource_id: str = ""
    resource: Any = None
    error: OciError | None = None


class StepRunner(Protocol):
    async def create(self, step: str, details, token: str, title: str, label: str,
                     report: StepReport) -> CreateOutcome: ...

    async def delete(self, step: str, resource, label: str) -> None: ...  # raises OciError


class SessionRunner:
    """Creates and deletes with plain requests, waiting by polling the resource (backoff)."""

    def __init__(self, session: Session, poll: float = 0.2, poll_max: float = 3.0, timeout: float = 900.0):
        self.session, self.poll, self.poll_max, self.timeout = session, poll, poll_max, timeout

    async def _wait(self, step: str, ocid: str, targets: tuple[str, ...], report: StepReport | None):
        getter = STEP_METHODS[step][1]
        delay, deadline = self.poll, time.monotonic() + self.timeout
        while True:
            try:
                res = await self.session.data("file_storage", getter, ocid)
            except OciError as e:
                if e.status == 404 and "DELETED" in targets:
                    return None
                raise
            if report is not None:
                report(step, "run", res.lifecycle_state)
            if res.lifecycle_state in targets:
                return res
            if res.lifecycle_state == "FAILED" or (res.lifecycle_state in GONE and "DELETED" not in targets):
                raise OciError(f"{STEP_NOUN[step]} went to {res.lifecycle_state}", code="UnexpectedState")
            if time.monotonic() > deadline:
                raise OciError(f"Gave up waiting for {STEP_WHAT[step]} to become {'/'.join(targets)}",
                               code="Timeout")
            await asyncio.sleep(delay)
            delay = min(self.poll_max, delay * 1.5)

    async def create(self, step, details, token, title, label, report) -> CreateOutcome:
        report(step, "run", "Submitting…")
        try:
            res = await self.session.data("file_storage", STEP_METHODS[step][0], details, opc_retry_token=token)
        except OciError as e:
            return CreateOutcome(error=e)
        try:
            return CreateOutcome(res.id, await self._wait(step, res.id, ("ACTIVE",), report))
        except OciError as e:
            return CreateOutcome(res.id, error=e)

    async def delete(self, step, resource, label) -> None:
        await self.session.call("file_storage", STEP_METHODS[step][2], resource.id)
        await self._wait(step, resource.id, ("DELETED",), None)


def _signature(details) -> str:
    """The request as JSON (a changed request needs a new retry token)."""
    return json.dumps(oci.util.to_dict(details), sort_keys=True, default=str)


@dataclass
class RunResult:
    ok: bool
    error: OciError | None = None
    mount_command: str = ""
    ip: str | None = None


class NfsShareWorkflow:
    """Create a file system, a mount target and an export; resume after a failed step; roll back.

    `created` maps a step to the ACTIVE resource made (reused by later runs, never sent again);
    `made` lists (step, OCID, label) of everything made and still there (even if it never became
    ACTIVE). Each step's request carries a retry token: the same one as long as the request is
    unchanged (a retried request cannot create twice), a new one once it changed or its resource
    was deleted. `report(step, state, detail)` hears each step's progress.
    """

    def __init__(self, session: Session, runner: StepRunner | None = None, report: StepReport | None = None):
        self.session = session
        self.runner: StepRunner = runner or SessionRunner(session)
        self.report: StepReport = report or (lambda *_: None)
        self.tokens = {k: str(uuid.uuid4()) for k in STEPS}
        self.created: dict[str, Any] = {}
        self.made: list[tuple[str, str, str]] = []
        self.failed_step: str | None = None
        self.mount_command = ""
        self._sent: dict[str, str] = {}  # step -> signature of the request last sent with its token

    # ------------------------------------------------------------ the requests
    def export_target(self, plan: SharePlan) -> tuple[str | None, str | None]:
        """(export set OCID, file system OCID) of the export: None where an earlier step makes it."""
        fs, mt = self.created.get("fs"), self.created.get("mt") if plan.mount_target is not None else plan.existing
        return getattr(mt, "export_set_id", None), getattr(fs, "id", None)

    def requests(self, plan: SharePlan) -> dict[str, Any]:
        """step -> the details the next run sends (only the steps still to make; the export's ids not
        known yet are None)."""
        out: dict[str, Any] = {}
        if "fs" not in self.created:
            out["fs"] = plan.file_system
        if plan.mount_target is not None and "mt" not in self.created:
            out["mt"] = plan.mount_target
        es, fs_id = self.export_target(plan)
        out["export"] = models.CreateExportDetails(export_set_id=es, file_system_id=fs_id, path=plan.path.strip())
        return out

    def prepare(self, plan: SharePlan) -> None:
        """Give a step whose request changed since it was sent a new retry token (the same token with
        another body is refused, or would return the earlier resource); an unchanged one keeps it."""
        for key, details in self.requests(plan).items():
            if key in self._sent and self._sent[key] != _signature(details):
                self.tokens[key] = str(uuid.uuid4())
                del self._sent[key]

    # ------------------------------------------------------------ running
    @property
    def finished(self) -> bool:
        return bool(self.mount_command)

    async def _create(self, key: str, details, title: str, label: str):
        if key in self.created:
            self.report(key, "ok", f"Created earlier: {label} (reused)")
            return self.created[key]
        self._sent[key] = _signature(details)
        out = await self.runner.create(key, details, self.tokens[key], title, label, self.report)
        if out.resource_id and all(m[1] != out.resource_id for m in self.made):
            self.made.append((key, out.resource_id, label))  # made, even if it did not become ACTIVE
        if out.error is not None or out.resource is None:
            err = out.error or OciError(f"{STEP_NOUN[key]} was not created", code="Failed")
            self.report(key, "fail", err.summary())
            if self.failed_step is None or STEPS.index(key) < STEPS.index(self.failed_step):
                self.failed_step = key
            raise err
        self.created[key] = out.resource
        self.report(key, "ok", out.resource.lifecycle_state)
        return out.resource

    async def run(self, plan: SharePlan) -> RunResult:
        """One attempt: what is not made yet is created (the file system and a new mount target side by
        side, then the export). The first run and a resume after a fix are the same call."""
        self.prepare(plan)
        self.failed_step = None
        name, path = plan.name, plan.path.strip()
        for k in STEPS:
            self.report(k, "wait", "Waiting")
        try:
            jobs = [self._create("fs", plan.file_system, f"Create file system {name}", name)]
            if plan.mount_target is not None:
                jobs.append(self._create("mt", plan.mount_target, f"Create mount target {plan.mt_name}",
                                         plan.mt_name))
            elif plan.existing is None:
                raise OciError("Choose a mount target", code="InvalidParameter", kind="input")
            else:
                self.report("mt", "ok", f"Using {plan.existing.display_name}")
            for r in await asyncio.gather(*jobs, return_exceptions=True):
                if isinstance(r, BaseException):
                    raise r
            fs = self.created["fs"]
            mt = plan.existing if plan.mount_target is None else self.created["mt"]
            details = models.CreateExportDetails(export_set_id=mt.export_set_id, file_system_id=fs.id, path=path)
            await self._create("export", details, f"Export {name} as {path}", path)
            ip = await mount_target_ip(self.session, mt)
        except OciError as e:
            self.failed_step = self.failed_step or "export"
            return RunResult(False, e)
        self.failed_step = None
        self.mount_command = mount_command(ip or "<mount target IP>", path)
        return RunResult(True, mount_command=self.mount_command, ip=ip)

    # ------------------------------------------------------------ telling what remains
    def leftovers_text(self) -> str:
        """What this workflow created and is still there (names and OCIDs)."""
        if not self.made:
            return "Nothing was created."
        lines = ["Created by this wizard and still there:"]
        for key, ocid, label in self.made:
            state = "" if key in self.created else " (not ACTIVE)"
            lines.append(f"  • {STEP_NOUN[key]} {label}{state}: {ocid}")
        return "\n".join(lines)

    def choices_text(self) -> str:
        text = f"Change {STEP_WHAT.get(self.failed_step or '', 'the input')} (Back) and continue"
        if self.created:
            text += ": what was created is reused, not created again"
        text += ". Retry sends the same request again."
        if self.made:
            text += " Or delete what was created, or close and keep it."
        return text

    # ------------------------------------------------------------ rolling back
    async def roll_back(self) -> list[str]:
        """Delete what was made (the export first: a file system or mount target with an export cannot
        be deleted). Returns what could not be deleted ("<noun> <label>: <error>"); [] when nothing remains."""
        errors: list[str] = []
        for batch in ([m for m in self.made if m[0] == "export"], [m for m in self.made if m[0] != "export"]):
            errors += [e for e in await asyncio.gather(*(self._delete_one(*m) for m in batch)) if e]
        return errors

    async def _delete_one(self, key: str, ocid: str, label: str) -> str | None:
        self.report(key, "run", "Deleting…")
        try:
            try:
                res = await self.session.data("file_storage", STEP_METHODS[key][1], ocid)
            except OciError as e:
                if e.status != 404:
                    raise
                res = None
            if res is not None and res.lifecycle_state not in GONE:
                await self.runner.delete(key, res, label)
        except OciError as e:
            self.report(key, "fail", f"Not deleted: {e.summary()}")
            return f"{STEP_NOUN[key]} {label}: {e.summary()}"
        self.made = [m for m in self.made if m[1] != ocid]
        if getattr(self.created.get(key), "id", None) == ocid:
            del self.created[key]
        self.tokens[key] = str(uuid.uuid4())  # the old token would return the deleted resource
        self._sent.pop(key, None)
        self.report(key, "wait", "Deleted")
        return None
