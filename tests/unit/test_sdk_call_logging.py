"""What the service layer logs for a bug report: every SDK call at DEBUG (service, operation, HTTP
status, opc-request-id, elapsed ms), each retry and each outcome left unknown at WARNING, and nothing
of the request bodies or the credentials."""

from __future__ import annotations

import asyncio
import logging
import uuid

import oci
import pytest

from ociconsole.core.connection import connection_for_emulator
from ociconsole.core.errors import OciError
from ociconsole.emulator.faults import FaultConfig
from ociconsole.services import identity as idsvc
from ociconsole.services.runtime import OutcomeUnknown, Session

from ..conftest import make_emulator

RUNTIME = "ociconsole.services.runtime"
M_ID = oci.identity.models


@pytest.fixture
def faulty(tmp_path):
    """An emulator whose responses are not checked against the models (faults are injected) and a session."""
    emu = make_emulator(tmp_path, strict=False)
    session = Session(connection_for_emulator(emu.client_config(), emu.base_url))
    yield emu, session
    session.close()
    emu.stop()


def _calls(caplog, operation: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == RUNTIME and r.levelno == logging.DEBUG
            and getattr(r, "oci_operation", None) == operation]


def test_every_sdk_call_is_logged_at_debug_with_status_and_request_id(faulty, caplog):
    _emu, session = faulty
    caplog.set_level(logging.DEBUG, logger=RUNTIME)

    async def go():
        resp = await session.call("identity", "get_compartment", session.tenancy_id)
        with pytest.raises(OciError) as missing:
            await session.call("identity", "get_compartment", "ocid1.compartment.oc1..nosuchcompartment")
        await idsvc.list_availability_domains(session)
        return resp, missing.value
    resp, missing = asyncio.run(go())

    ok, failed = _calls(caplog, "get_compartment")
    assert (ok.oci_service, ok.oci_status) == ("identity", 200)
    assert ok.opc_request_id and ok.opc_request_id == resp.request_id
    assert ok.opc_request_id in ok.getMessage() and "identity.get_compartment -> 200" in ok.getMessage()
    assert ok.elapsed_ms >= 0 and " ms " in ok.getMessage()
    assert failed.oci_status == 404 and failed.oci_code == missing.code
    assert failed.opc_request_id and failed.opc_request_id == missing.request_id
    (ads,) = _calls(caplog, "list_availability_domains")
    assert ads.oci_status == 200 and ads.opc_request_id
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]  # nothing retried, nothing unknown


def test_a_retried_call_is_logged_at_warning(faulty, caplog):
    emu, session = faulty
    caplog.set_level(logging.DEBUG, logger=RUNTIME)
    emu.core.faults.configure(FaultConfig(rate=1.0, mix={"503": 1.0}, operations=["get_compartment"]))
    seen: list[str] = []

    def hook(_service, method):  # only the first attempt meets the fault
        if method == "get_compartment":
            seen.append(method)
            if len(seen) == 2:
                emu.core.faults.configure(FaultConfig())
    session.on_call(hook)

    asyncio.run(session.call("identity", "get_compartment", session.tenancy_id))

    first, second = _calls(caplog, "get_compartment")
    assert (first.oci_status, second.oci_status) == (503, 200)
    assert first.opc_request_id and second.opc_request_id
    (warning,) = [r for r in caplog.records if r.name == RUNTIME and r.levelno == logging.WARNING]
    assert warning.oci_operation == "get_compartment" and warning.oci_status == 503 and warning.attempt == 1
    assert warning.opc_request_id == first.opc_request_id
    assert "retrying identity.get_compartment" in warning.getMessage()


def test_an_unknown_outcome_is_logged_at_warning_without_the_request_body(faulty, caplog):
    emu, session = faulty
    caplog.set_level(logging.DEBUG, logger=RUNTIME)
    secret_ish = f"description-{uuid.uuid4().hex}"

    async def go():
        emu.core.faults.configure(FaultConfig(rate=1.0, mix={"lost": 1.0}, operations=["create_group"]))
        details = M_ID.CreateGroupDetails(compartment_id=session.tenancy_id, name="logged-group",
                                          description=secret_ish)
        with pytest.raises(OutcomeUnknown):
            await session.call("identity", "create_group", details)  # no retry token: sent once
        emu.core.faults.configure(FaultConfig())
    asyncio.run(go())

    (call,) = _calls(caplog, "create_group")
    assert call.oci_status is None and "no answer" in call.getMessage()
    (warning,) = [r for r in caplog.records if r.name == RUNTIME and r.levelno == logging.WARNING]
    assert "outcome unknown: identity.create_group" in warning.getMessage()
    text = "\n".join(r.getMessage() for r in caplog.records)
    key_file = emu.client_config()["key_file"]
    with open(key_file) as f:
        key_body = f.read().splitlines()[1]
    assert secret_ish not in text and "logged-group" not in text  # no request body
    assert key_body not in text  # no key material
