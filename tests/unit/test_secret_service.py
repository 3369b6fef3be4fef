"""A passphrase really lands in the OS keyring: a private D-Bus session with gnome-keyring's Secret Service
(Debian's gnome-keyring, installed by .ci/run), the console's `core.secrets` storing and reading it through
the `keyring` package's SecretService backend in a fresh process, and `secret-tool` (libsecret) finding it
there by the same attributes — so nothing is faked by an in-memory keyring."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time

import pytest

NEEDED = ("dbus-daemon", "gnome-keyring-daemon", "secret-tool")


@pytest.fixture
def secret_service(tmp_path):
    missing = [b for b in NEEDED if shutil.which(b) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {', '.join(missing)} (.ci/run installs gnome-keyring and libsecret-tools)")
        pytest.skip(f"no {', '.join(missing)} on this machine")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "GNOME_KEYRING", "XDG_"))}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"), XDG_RUNTIME_DIR=str(tmp_path / "run"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    (tmp_path / "run").mkdir(mode=0o700)
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"], stdout=subprocess.PIPE,
                           text=True, env=env)
    try:
        address = bus.stdout.readline().strip()  # type: ignore[union-attr]
        assert address.startswith("unix:"), address
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        # unlocking a keyring that does not exist yet creates the login keyring with this password
        daemon = subprocess.run(["gnome-keyring-daemon", "--replace", "--unlock", "--components=secrets",
                                 "--daemonize"], input="test-login-password\n", capture_output=True, text=True,
                                env=env, timeout=20)
        assert daemon.returncode == 0, daemon.stderr
        for line in daemon.stdout.splitlines():
            k, _, v = line.partition("=")
            if k:
                env[k] = v
        yield env
    finally:  # gnome-keyring-daemon leaves with its bus
        bus.terminate()
        bus.wait(timeout=10)


def run_python(env: dict, code: str) -> str:
    env = dict(env, PYTHON_KEYRING_BACKEND="keyring.backends.SecretService.Keyring")
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env,
                          timeout=60, cwd=os.getcwd())
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_passphrase_is_stored_in_and_read_from_the_secret_service(secret_service):
    env = secret_service
    out = run_python(env, """
        from ociconsole.core import secrets
        print(secrets.available())
        print(secrets.set_passphrase("/home/u/.oci/config", "PROD", "s3cret passphrase"))
    """)
    assert out.splitlines() == ["True", "True"]
    # another process reads it back through the console's code
    assert run_python(env, """
        from ociconsole.core import secrets
        print(secrets.get_passphrase("/home/u/.oci/config", "PROD"))
    """) == "s3cret passphrase"
    # and libsecret's own tool finds it in the OS keyring under the same attributes
    for _ in range(20):
        found = subprocess.run(["secret-tool", "lookup", "service", "ociconsole", "username",
                                "passphrase:/home/u/.oci/config:PROD"], capture_output=True, text=True, env=env,
                               timeout=20)
        if found.returncode == 0:
            break
        time.sleep(0.1)
    assert found.stdout == "s3cret passphrase", found.stderr
    # forgetting removes it from the OS keyring
    run_python(env, """
        from ociconsole.core import secrets
        secrets.forget_passphrase("/home/u/.oci/config", "PROD")
    """)
    gone = subprocess.run(["secret-tool", "lookup", "service", "ociconsole", "username",
                           "passphrase:/home/u/.oci/config:PROD"], capture_output=True, text=True, env=env, timeout=20)
    assert gone.returncode != 0 and gone.stdout == ""
