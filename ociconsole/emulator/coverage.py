"""How much of each SDK client the emulator implements: `ociconsole-emulator --coverage`.

An operation counts as implemented when a handler serves it (written by hand or by the resource
engine from a declared kind). The table lists every client of every SDK package the emulator
serves; `--coverage CLIENT` lists that client's missing operations too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .core import SAME_ENDPOINT
from .spec import module_specs


@dataclass
class ClientCoverage:
    client: str
    module: str
    implemented: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.implemented) + len(self.missing)

    @property
    def percent(self) -> float:
        return 100.0 * len(self.implemented) / self.total if self.total else 0.0


def coverage(core) -> list[ClientCoverage]:
    """Per SDK client (of the packages `core` serves), the operations implemented and missing."""
    handlers = core.handlers  # imports every service module
    out: dict[tuple[str, str], ClientCoverage] = {}
    for module in core.modules:
        table = dict(handlers.get(module, {}))
        for other in SAME_ENDPOINT.get(module, ()):
            for k, v in handlers.get(other, {}).items():
                table.setdefault(k, v)
        for key, op in module_specs(module).items():
            cc = out.setdefault((module, op.client), ClientCoverage(op.client, module))
            (cc.implemented if (op.name in table or key in table) else cc.missing).append(op.name)
    return sorted(out.values(), key=lambda c: (c.module, c.client))


def table(rows: list[ClientCoverage]) -> str:
    lines = [f"{'SDK client':<44} {'endpoint':<16} {'implemented':>11} {'of':>5} {'share':>6}",
             "-" * 86]
    for c in rows:
        lines.append(f"oci.{c.module}.{c.client:<{40 - len(c.module)}} /{c.module:<15} {len(c.implemented):>11} "
                     f"{c.total:>5} {c.percent:>5.0f}%")
    done = sum(len(c.implemented) for c in rows)
    total = sum(c.total for c in rows)
    lines.append("-" * 86)
    lines.append(f"{'all':<44} {'':<16} {done:>11} {total:>5} {100.0 * done / max(total, 1):>5.0f}%")
    return "\n".join(lines)


def markdown(rows: list[ClientCoverage]) -> str:
    lines = ["| SDK client | endpoint | implemented | of | share |", "| --- | --- | ---: | ---: | ---: |"]
    for c in rows:
        lines.append(f"| `oci.{c.module}.{c.client}` | `/{c.module}` | {len(c.implemented)} | {c.total} | "
                     f"{c.percent:.0f}% |")
    return "\n".join(lines)
