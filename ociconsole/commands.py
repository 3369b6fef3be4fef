"""Headless commands of the `ociconsole` executable (no window):

    ociconsole export-terraform --compartment OCID DIR [--demo | --config-file F --profile P] [--region R]
    ociconsole export-terraform --resource OCID [--resource OCID ...] DIR ...

`export-terraform` writes what the compartment (and its subtree) holds, or the resources named and those they
refer to, as a Terraform directory (catalog.terraform.export): main.tf with `import {}` blocks, variables.tf,
provider.tf. With --demo it reads the demo sandbox kept in the app's data directory.
"""

from __future__ import annotations

import argparse
import asyncio
import sys


def export_terraform(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="ociconsole export-terraform",
                                description="Export resources as a Terraform directory (main.tf with import blocks).")
    p.add_argument("folder", metavar="DIR", help="the directory to write (created if missing)")
    p.add_argument("--compartment", help="export this compartment and its subtree")
    p.add_argument("--resource", action="append", default=[], help="export this resource and what it refers to")
    p.add_argument("--demo", action="store_true", help="read the embedded demo sandbox")
    p.add_argument("--config-file", help="OCI config file (default: $OCI_CLI_CONFIG_FILE or ~/.oci/config)")
    p.add_argument("--profile", help="profile in the config file (default: $OCI_CLI_PROFILE or DEFAULT)")
    p.add_argument("--region", help="region to read instead of the profile's")
    args = p.parse_args(argv)
    if not args.compartment and not args.resource:
        p.error("give --compartment OCID or --resource OCID")
    emulator = None
    try:
        if args.demo:
            from .emulator import Emulator, EmulatorOptions
            from .gui import paths
            d = paths.demo_dir()
            emulator = Emulator(EmulatorOptions(seed="demo", state=str(d / "sandbox.sqlite"), key_dir=str(d)))
            emulator.start()
            from .core.connection import connection_for_emulator
            conn = connection_for_emulator(emulator.client_config(), emulator.base_url)
        else:
            from .core.config import find_profile, resolve_config_path, resolve_profile_name
            from .core.connection import connection_from_profile
            profile = find_profile(resolve_config_path(args.config_file), resolve_profile_name(args.profile))
            conn = connection_from_profile(profile, region=args.region)
        if args.region and args.demo:
            conn = conn.with_region(args.region)
        from .catalog import terraform
        from .services.runtime import Session
        session = Session(conn)
        try:
            result = asyncio.run(terraform.export(session, args.folder, compartment_id=args.compartment,
                                                  ocids=args.resource,
                                                  step=lambda text: print(text, file=sys.stderr)))
        finally:
            session.close()
    except Exception as e:
        print(f"export-terraform: {getattr(e, 'message', None) or e}", file=sys.stderr)
        return 1
    finally:
        if emulator is not None:
            emulator.stop()
    print(f"{len(result.resources)} resources written to {result.folder}")
    for line in result.left_out:
        print(f"not exported: {line}")
    return 0


COMMANDS = {"export-terraform": export_terraform}
