import pytest

from ociconsole.core.connection import connection_for_emulator
from ociconsole.services.runtime import Session

from ..conftest import make_emulator
from ..gui.conftest import aloop, isolated_home  # noqa: F401 - the GUI fixtures, for the GUI-side tests here


@pytest.fixture
def faulty(tmp_path):
    """A fresh emulator (responses not checked: faults are injected) and a service-layer session on it."""
    emu = make_emulator(tmp_path, strict=False)
    session = Session(connection_for_emulator(emu.client_config(), emu.base_url))
    yield emu, session
    session.close()
    emu.stop()
