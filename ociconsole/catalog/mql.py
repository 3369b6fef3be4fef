"""A client-side check of the Monitoring Query Language (MQL), for inline errors in the console
before a query is sent (OCI answers a bad query with a 400 naming the column).

The syntax (grammar, parser, messages and 1-based columns) is `ociconsole.lang.mql`, the same
module the embedded emulator parses with, so both refuse the same queries with the same message
at the same column. What is the console's own lives here; nothing is evaluated.

- `check(text)` -> None or an `MqlError` (message, column);
- `check_alarm(text)` also asks for a trigger rule (a predicate or `absent()`), as alarms do;
- `parse(text)` -> the leaves (`Leaf`: metric, interval, filters, statistic, groupings,
  predicate as a tuple `(op, a)` or `("in"/"notin", a, b)`, and where each starts), e.g. to show
  the current value of an alarm's query without its predicate (`without_predicates`).
"""

from __future__ import annotations

from ..lang import mql as _syntax
from ..lang.mql import (  # noqa: F401 - the names the console reads from here
    DAY,
    GROUPINGS,
    HOUR,
    MINUTE,
    STATISTICS,
    Filter,
    MqlError,
    interval_seconds,
    period_seconds,
)

Leaf = _syntax.Query  # one metric query of an expression, with the offsets (0-based) of its text


class _Parser(_syntax.Parser):
    def make_predicate(self, op: str, a: float, b: float | None = None) -> tuple:
        return (op, a) if b is None else (op, a, b)


def parse(text: str) -> list[Leaf]:
    """The leaves of an MQL expression (left to right), or MqlError pointing at the problem."""
    return _syntax.leaves(_Parser(text).parse())


def check(text) -> MqlError | None:
    """None when `text` parses, else the error (never raises)."""
    try:
        parse(text)
    except MqlError as e:
        return e
    except Exception as e:
        return MqlError(f"cannot check this query ({type(e).__name__})", 1, text if isinstance(text, str) else "")
    return None


def check_alarm(text) -> MqlError | None:
    """As `check`, and every metric query needs a trigger rule (a predicate or absent())."""
    try:
        leaves = parse(text)
    except MqlError as e:
        return e
    except Exception as e:
        return MqlError(f"cannot check this query ({type(e).__name__})", 1, text if isinstance(text, str) else "")
    for q in leaves:
        if q.predicate is None and q.stat != "absent":
            return MqlError(f"an alarm query needs a trigger rule: a predicate such as '> 80' or 'in (60, 80)', "
                            f"or the absent() statistic (missing after '{q.metric}[...]...{q.stat}()')",
                            q.end + 1, text)
    return None


def without_predicates(text: str) -> list[str]:
    """Each metric query of `text` without its predicate ("the current value" of an alarm's query)."""
    out = []
    for q in parse(text):
        stop = q.predicate_start if q.predicate_start is not None else q.end
        out.append(text[q.start:stop].strip())
    return out
