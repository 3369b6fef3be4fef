"""`ociconsole-emulator`: run the OCI emulator on loopback.

The first line of stdout is the base URL, printed once the server listens and the
`--config-out` file is written (so it doubles as the readiness signal). Point SDK clients
at `<url>/<module>` (`oci.core` -> `/core`, `oci.identity` -> `/identity`) and the CLI at
`--endpoint <url>/<module>`; `--config-out` writes a ready profile for the admin user.
`python -m ociconsole.emulator` runs the same without the console script installed.
"""

from __future__ import annotations

import argparse
import gc
import logging
import signal
import sys
import threading

from .app import Emulator, EmulatorOptions
from .faults import FAULT_KINDS, FaultConfig
from .seed import PROFILES


def _mix(text: str) -> dict[str, float]:
    out = {}
    for part in text.split(","):
        if not part.strip():
            continue
        k, _, w = part.partition("=")
        k = k.strip()
        if k not in FAULT_KINDS:
            raise argparse.ArgumentTypeError(f"unknown fault kind '{k}' (known: {', '.join(FAULT_KINDS)})")
        try:
            out[k] = float(w) if w else 1.0
        except ValueError:
            raise argparse.ArgumentTypeError(f"weight of '{k}' must be a number") from None
    if not out:
        raise argparse.ArgumentTypeError("empty fault mix")
    return out


def _rate(text: str) -> float:
    v = float(text)
    if not 0.0 <= v <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return v


def _nonneg(text: str) -> float:
    v = float(text)
    if v < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return v


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ociconsole-emulator", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0 = pick a free one)")
    p.add_argument("--seed", choices=PROFILES, default="demo", help="initial tenancy (default: demo)")
    p.add_argument("--compartments", type=int, default=500, help="compartments for --seed large")
    p.add_argument("--instances", type=int, default=10000, help="instances for --seed large")
    p.add_argument("--state", metavar="PATH", help="SQLite state file (default: in memory)")
    p.add_argument("--transition-delay", type=_nonneg, default=2.0, metavar="SECONDS",
                   help="time per lifecycle transition (0 = the next read sees it); default 2")
    p.add_argument("--config-out", metavar="PATH", help="write an OCI config file for the admin user")
    p.add_argument("--profile", default="DEFAULT", help="profile name in --config-out (default DEFAULT)")
    p.add_argument("--region", default="us-ashburn-1", help="home region (default us-ashburn-1)")
    p.add_argument("--latency", type=_nonneg, default=0.0, metavar="MS", help="added latency per request")
    p.add_argument("--jitter", type=_nonneg, default=0.0, metavar="MS", help="latency jitter (+/-)")
    p.add_argument("--latency-services", metavar="MODULES",
                   help="comma-separated SDK modules the latency applies to (default all)")
    p.add_argument("--fault-rate", type=_rate, default=0.0, metavar="P", help="share of requests that fail")
    p.add_argument("--fault-mix", type=_mix, metavar="KIND=W,...",
                   help=f"fault kinds and weights (kinds: {', '.join(FAULT_KINDS)}); default all equal")
    p.add_argument("--fault-services", metavar="MODULES", help="comma-separated SDK modules to fault (default all)")
    p.add_argument("--fault-operations", metavar="OPS", help="comma-separated operation names to fault")
    p.add_argument("--fault-seed", type=int, help="random seed for fault decisions")
    p.add_argument("--no-verify", action="store_true", help="accept unsigned requests (off by default: verified)")
    p.add_argument("--strict", action="store_true", help="check every response against its SDK model")
    p.add_argument("--coverage", nargs="?", const="", metavar="CLIENT",
                   help="print, per SDK client, the operations implemented (and CLIENT's missing ones) and exit; "
                        "--coverage markdown prints the README's table")
    p.add_argument("--log-level", default="WARNING", help="logging level (DEBUG shows every request)")
    return p


def _coverage(which: str) -> int:
    from .core import EmulatorCore
    from .coverage import coverage, markdown, table
    from .store import Store
    rows = coverage(EmulatorCore(None, Store()))
    if which == "markdown":
        print(markdown(rows))
        return 0
    print(table(rows))
    if which:
        picked = [c for c in rows if which in (c.client, f"{c.module}.{c.client}", f"oci.{c.module}.{c.client}")]
        if not picked:
            print(f"ociconsole-emulator: no SDK client named {which}", file=sys.stderr)
            return 2
        for c in picked:
            print(f"\nmissing in oci.{c.module}.{c.client} ({len(c.missing)}):")
            for name in sorted(c.missing):
                print(f"  {name}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.coverage is not None:
        return _coverage(args.coverage)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    opts = EmulatorOptions(
        seed=args.seed, state=args.state, transition_delay=args.transition_delay,
        verify_signatures=not args.no_verify, strict=args.strict, port=args.port, home_region=args.region,
        seed_options={"compartments": args.compartments, "instances": args.instances})
    try:
        emu = Emulator(opts)
    except (ValueError, OSError) as e:
        print(f"ociconsole-emulator: {e}", file=sys.stderr)
        return 2
    # the seeded tenancy lives as long as the process: keep it out of the cyclic collector's walks
    # (with 10,000 instances, the first large response otherwise sets off a full collection)
    gc.freeze()
    fc = FaultConfig(rate=args.fault_rate, latency_ms=args.latency, jitter_ms=args.jitter, seed=args.fault_seed,
                     services=args.fault_services.split(",") if args.fault_services else None,
                     latency_services=args.latency_services.split(",") if args.latency_services else None,
                     operations=args.fault_operations.split(",") if args.fault_operations else None)
    if args.fault_mix:
        fc.mix = args.fault_mix
    emu.core.faults.configure(fc)
    try:
        url = emu.start()
    except OSError as e:
        print(f"ociconsole-emulator: cannot listen on port {args.port}: {e}", file=sys.stderr)
        return 2
    # the URL line means "ready": the config it announces must already be on disk
    try:
        path = emu.write_config(args.config_out, args.profile) if args.config_out else None
    except OSError as e:
        print(f"ociconsole-emulator: cannot write {args.config_out}: {e}", file=sys.stderr)
        emu.stop()
        return 2
    print(url, flush=True)
    if path is not None:
        print(f"config: {path} [profile {args.profile}]", flush=True)
    print(f"tenancy: {emu.tenancy_id}", flush=True)
    print(f"services: {', '.join(emu.core.modules)}  (SDK: service_endpoint={url}/<module>; "
          f"CLI: --endpoint {url}/<module>)", flush=True)

    stop = threading.Event()

    def _signal(_sig, _frame):
        stop.set()

    signal.signal(signal.SIGINT, _signal)
    signal.signal(signal.SIGTERM, _signal)
    while not stop.wait(0.5):
        pass
    emu.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
