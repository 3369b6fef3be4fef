"""Latency and fault injection, off by default, changeable at run time.

Faults: "429", "500", "503" (an OCI error response, nothing changed), "reset" (the
connection is reset before the request is processed) and "lost" (the request is processed
and committed, then the connection is dropped before the response: the client cannot
know it succeeded, which is what retry tokens are for).
"""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import asdict, dataclass, field

FAULT_KINDS = ("429", "500", "503", "reset", "lost")
MAX_LATENCY_MS = 60_000.0  # a request held longer than a minute is a hang, not a latency test


@dataclass
class FaultConfig:
    rate: float = 0.0
    mix: dict[str, float] = field(default_factory=lambda: {k: 1.0 for k in FAULT_KINDS})
    services: list[str] | None = None  # SDK modules ("core", "identity"); None = all
    operations: list[str] | None = None  # operation names; None = all
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    latency_services: list[str] | None = None  # SDK modules the latency applies to; None = all
    seed: int | None = None

    def validate(self) -> None:
        """Every field's type and range (the admin API hands over raw JSON): ValueError if not."""
        self.rate = _number(self.rate, "rate", 0.0, 1.0)
        if not isinstance(self.mix, dict):
            raise ValueError("mix must be an object of fault kind -> weight, e.g. {\"503\": 1}")
        mix = {}
        for k, w in self.mix.items():
            if k not in FAULT_KINDS:
                raise ValueError(f"unknown fault kind '{str(k)[:40]}' (known: {', '.join(FAULT_KINDS)})")
            mix[k] = _number(w, f"mix.{k}", 0.0, None, "fault weights must be >= 0")
        self.mix = mix
        for name in ("services", "operations", "latency_services"):
            v = getattr(self, name)
            if v is not None and (not isinstance(v, list) or not all(isinstance(x, str) and x for x in v)):
                raise ValueError(f"{name} must be a list of names or null")
        self.latency_ms = _number(self.latency_ms, "latency_ms", 0.0, MAX_LATENCY_MS,
                                  "latency and jitter must be >= 0")
        self.jitter_ms = _number(self.jitter_ms, "jitter_ms", 0.0, MAX_LATENCY_MS, "latency and jitter must be >= 0")
        if self.seed is not None and (isinstance(self.seed, bool) or not isinstance(self.seed, int)):
            raise ValueError("seed must be an integer or null")


def _number(v, name: str, lo: float, hi: float | None, low_msg: str | None = None) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise ValueError(f"{name} must be a number, got {str(v)[:40]!r}")
    if v < lo:
        raise ValueError(low_msg or f"{name} must be at least {lo:g}")
    if hi is not None and v > hi:
        raise ValueError(f"{name} must be between {lo:g} and {hi:g}" if name == "rate"
                         else f"{name} must be at most {hi:g}")
    return float(v)


class FaultInjector:
    def __init__(self, config: FaultConfig | None = None):
        self._lock = threading.Lock()
        self.counts: dict[str, int] = {k: 0 for k in FAULT_KINDS}
        self.configure(config or FaultConfig())

    def configure(self, config: FaultConfig) -> None:
        config.validate()
        with self._lock:
            self.config = config
            self._rng = random.Random(config.seed)

    def as_dict(self) -> dict:
        d = asdict(self.config)
        d["injected"] = dict(self.counts)
        return d

    def update(self, changes: dict) -> None:
        if not isinstance(changes, dict):
            raise ValueError("expected a JSON object of fault settings")
        base = asdict(self.config)
        unknown = set(changes) - set(base)
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        base.update(changes)
        self.configure(FaultConfig(**base))

    def delay(self, module: str, operation: str) -> float:
        c = self.config
        if not c.latency_ms and not c.jitter_ms:
            return 0.0
        if c.latency_services is not None and module not in c.latency_services:
            return 0.0
        with self._lock:
            j = self._rng.uniform(-c.jitter_ms, c.jitter_ms) if c.jitter_ms else 0.0
        return max(0.0, c.latency_ms + j) / 1000.0

    def choose(self, module: str, operation: str) -> str | None:
        c = self.config
        if c.rate <= 0:
            return None
        if c.services is not None and module not in c.services:
            return None
        if c.operations is not None and operation not in c.operations:
            return None
        with self._lock:
            if self._rng.random() >= c.rate:
                return None
            kinds = [k for k, w in c.mix.items() if w > 0]
            if not kinds:
                return None
            kind = self._rng.choices(kinds, weights=[c.mix[k] for k in kinds])[0]
            self.counts[kind] += 1
        return kind

    @staticmethod
    def sleep(seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)
