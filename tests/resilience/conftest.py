from ..gui.conftest import aloop, isolated_home  # noqa: F401 - the GUI fixtures, for the GUI-side tests here
