"""Guardrails for production: which connections are production, and what a change there requires.

A connection is production when its profile name matches the production pattern (a setting; by default
`prod` as a word part: PROD, prod-eu, production) or when it was marked so (View > Treat as production).
On production every window shows a red frame and banner naming it, every change (a create, an update, any
action that changes something) asks to type a name before it is sent, and, if the setting asks for it,
changes are refused until the person unlocks them for a set time.

Away from production, Stop and Reboot of a running instance still ask (as their force variants do) unless
the setting turns that off. No Qt here: the GUI asks and shows.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

DEFAULT_PATTERN = r"(?i)(^|[^a-z])prod(uction)?($|[^a-z])"
UNLOCK_MINUTES = 15


def production_reason(key: str, label: str, pattern: str, marked: list[str]) -> str:
    """Why the connection `key` (label `label`) is production, or "" when it is not."""
    if key and key in marked:
        return "marked as production"
    try:
        if pattern and re.search(pattern, label or ""):
            return f"profile name matches {pattern!r}"
    except re.error:
        return ""
    return ""


@dataclass
class Guard:
    """The guardrails of one connection."""

    label: str = ""
    reason: str = ""  # why it is production; "" when it is not
    read_only_until_unlocked: bool = False
    unlocked_until: float = 0.0

    @property
    def production(self) -> bool:
        return bool(self.reason)

    def locked(self, now: float | None = None) -> bool:
        """Changes are refused now (production, read-only until unlocked, and not unlocked)."""
        now = time.time() if now is None else now
        return self.production and self.read_only_until_unlocked and now >= self.unlocked_until

    def unlock(self, minutes: float = UNLOCK_MINUTES, now: float | None = None) -> float:
        now = time.time() if now is None else now
        self.unlocked_until = now + minutes * 60
        return self.unlocked_until

    def lock(self) -> None:
        self.unlocked_until = 0.0

    def unlocked_for(self, now: float | None = None) -> float:
        """Seconds left of an unlock (0 when locked or never locked)."""
        now = time.time() if now is None else now
        return max(0.0, self.unlocked_until - now) if self.read_only_until_unlocked else 0.0

    def confirmation(self, action, confirm_soft: bool = True) -> str | None:
        """How `action` (catalog.model.Action) must be confirmed here: "name" (type the resource's name),
        "simple" (a question), "form" (its form asks), or None. On production every change types the name;
        elsewhere a non-destructive question (Stop, Reboot) may be turned off by the setting."""
        if self.production and getattr(action, "mutates", True):
            return "form" if action.confirm == "form" else "name"
        if action.confirm == "simple" and not action.destructive and not confirm_soft:
            return None
        return action.confirm

    def typed_for_change(self) -> str | None:
        """What a create or an action's form asks to type before it is sent (the connection's name), or None."""
        return self.label if self.production else None

    def banner(self, region: str = "") -> str:
        where = f" · {region}" if region else ""
        return f"PRODUCTION — {self.label}{where} ({self.reason}): every change asks you to type a name"
