"""`python -m ociconsole.catalog`: regenerate catalog/index.py from the kind modules' declarations."""

from __future__ import annotations

from . import _BY_MODULE, _MODULES, index, kinds
from .index import KindEntry


def entries_from_catalog() -> list[KindEntry]:
    """The entries as the catalog declares them (imports every kind module)."""
    kinds()
    return [KindEntry(k.id, module, k.label, k.group, k.order, k.scope, k.icon, tuple(k.ocid_types), k.get is not None)
            for module in _MODULES for k in _BY_MODULE[module]]


def logged_kinds() -> list[str]:
    """The kinds with service logs (catalog.logging.LOG_SOURCES): their detail pane has a Logs tab."""
    from . import logging as logcat
    return sorted(logcat.LOG_SOURCES)


def exportable() -> list[str]:
    """The kinds Terraform can make (catalog.terraform.type_of_kind): they get "Export as Terraform"."""
    from . import terraform
    return sorted(k.id for k in kinds() if terraform.type_of_kind(k) is not None)


def render(entries: list[KindEntry], logged: list[str], exportable: list[str]) -> str:
    lines = ["ENTRIES: tuple[KindEntry, ...] = ("]
    lines += [f"    KindEntry{tuple(e)!r}," for e in entries]
    lines.append(")")
    lines.append(f"LOGGED_KINDS: frozenset[str] = frozenset({logged!r})")
    lines.append("EXPORTABLE: frozenset[str] = frozenset({")
    lines += [f"    {kid!r}," for kid in exportable]
    lines.append("})")
    return "\n".join(lines)


def main() -> None:
    from pathlib import Path
    path = Path(index.__file__)
    text = path.read_text()
    head, rest = text.split("# generated: begin\n", 1)
    _old, tail = rest.split("# generated: end\n", 1)
    generated = render(entries_from_catalog(), logged_kinds(), exportable())
    path.write_text(f"{head}# generated: begin\n{generated}\n# generated: end\n{tail}")


if __name__ == "__main__":
    main()
