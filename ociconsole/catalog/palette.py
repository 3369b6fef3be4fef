"""The command palette's entries and its fuzzy ranking (no Qt; gui.palette shows them).

An entry is something the person can do or go to: a menu command, a view, a resource kind ("Go to
Instances", "Create instance…"), every action of every kind ("Instance: Stop"), a recently opened resource,
a compartment. `rank` orders them for what is typed: every typed character must appear in order (a
subsequence, case-insensitive); matches at word starts, consecutive runs and a match of the whole query
score higher, shorter labels break ties, and recently used entries come first when nothing is typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Entry:
    label: str  # "Create instance…"
    category: str  # "Create", "Go to", "Action", "Menu", "Recent", "Compartment"
    run: Callable[[], Any]  # what Enter does
    shortcut: str = ""  # "Ctrl+N"
    detail: str = ""  # a second, greyed text (a compartment path, the menu it comes from)
    key: str = ""  # stable identity for the recent list ("kind:compute.instance:create")

    @property
    def text(self) -> str:
        return f"{self.category}: {self.label}"


def _score(query: str, text: str) -> float | None:
    """How well `query` matches `text` (higher is better), or None when it does not."""
    q, t = query.lower(), text.lower()
    if not q:
        return 0.0
    if q in t:  # the whole query as one run: best, earlier better
        i = t.index(q)
        start = i == 0 or not t[i - 1].isalnum()
        return 100.0 + (20.0 if start else 0.0) - i * 0.1 - len(t) * 0.01
    score, pos, run = 0.0, -1, 0
    for ch in q:
        if ch == " ":
            continue
        i = t.find(ch, pos + 1)
        if i < 0:
            return None
        word_start = i == 0 or not t[i - 1].isalnum()
        run = run + 1 if i == pos + 1 else 0
        score += 1.0 + (3.0 if word_start else 0.0) + run * 2.0 - min(i - pos - 1, 10) * 0.05
        pos = i
    return score - len(t) * 0.01


def rank(query: str, entries: list[Entry], recent: list[str] | None = None, limit: int = 200) -> list[Entry]:
    """The entries matching `query`, best first (the category counts too: "instance stop")."""
    recent = recent or []
    order = {k: i for i, k in enumerate(recent)}
    if not query.strip():  # nothing typed: what was used lately, then everything in its own order
        used = sorted((e for e in entries if e.key in order), key=lambda e: order[e.key])
        return used + [e for e in entries if e.key not in order]
    scored = []
    for e in entries:
        s = _score(query.strip(), e.text)
        if s is None:
            s2 = _score(query.strip(), e.label)
            if s2 is None:
                continue
            s = s2 - 1.0
        bonus = 5.0 - order[e.key] * 0.1 if e.key in order else 0.0
        scored.append((-(s + bonus), len(e.label), e.text, e))
    scored.sort(key=lambda x: x[:3])
    return [e for *_, e in scored[:limit]]
