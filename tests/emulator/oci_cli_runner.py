"""The real `oci` CLI, kept warm: run as a script, it runs one CLI command per line read on stdin.

Starting the CLI costs about a second (Python, the SDK and the CLI's modules); a test that runs a dozen commands
paid it a dozen times. Here the CLI's own entry point (`oci_cli.cli.cli`, with the services the command names
loaded the way `oci_cli/__init__.py` loads them) runs each command as if `oci ARGS...` had been typed: the same
argument parsing, config-file reading, SDK clients, `--wait-for-state` polling and JSON output. Nothing is shared
between commands but imported modules: each command gets its own environment (os.environ replaced), an empty stdin,
and fresh stdout/stderr buffers.

Protocol: a request line is JSON {"args": [...], "env": {...}}; the answer line is JSON
{"rc": int, "stdout": str, "stderr": str}. OCI_CLI_RUNNER_PRELUDE=CODE in its environment runs CODE once after the
CLI is imported (a test's workaround for a bug of the CLI itself).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import traceback


class _KeptOpen(io.BytesIO):
    """A command's stdout: the CLI may close it (`--file -`), its bytes stay readable."""

    def close(self) -> None:
        pass


def main() -> None:
    proto_in, proto_out = sys.stdin, sys.stdout
    sys.argv = ["oci"]  # oci_cli/__init__.py loads the services named in argv: none yet
    import oci_cli  # noqa: F401
    from oci_cli import dynamic_loader
    from oci_cli.cli import cli

    prelude = os.environ.pop("OCI_CLI_RUNNER_PRELUDE", "")
    if prelude:
        exec(prelude, {"__name__": "__prelude__"})
    proto_out.write(json.dumps({"ready": True}) + "\n")
    proto_out.flush()
    for line in proto_in:
        request = json.loads(line)
        args, env = request["args"], request["env"]
        os.environ.clear()
        os.environ.update(env)
        sys.argv = ["oci", *args]
        dynamic_loader.load_service_from_command(args)  # as oci_cli/__init__.py does at a start
        # text and bytes (`--file -`) both reach the command's stdout, as on a real one
        raw = _KeptOpen()
        out = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
        err = io.StringIO()
        rc = 0
        sys.stdin = io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    cli.main(args=args, prog_name="oci")
                except SystemExit as e:  # sys.exit("message") prints the message and exits with 1, as Python does
                    if isinstance(e.code, int) or e.code is None:
                        rc = e.code or 0
                    else:
                        print(e.code, file=sys.stderr)
                        rc = 1
                except BaseException:  # a crash of the CLI is a failed command, as it would be in its own process
                    traceback.print_exc()
                    rc = 1
        finally:
            sys.stdin = proto_in
        stdout = raw.getvalue().decode("utf-8", "surrogateescape")
        proto_out.write(json.dumps({"rc": rc, "stdout": stdout, "stderr": err.getvalue()}) + "\n")
        proto_out.flush()


if __name__ == "__main__":
    main()
