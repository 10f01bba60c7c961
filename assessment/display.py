"""How a score is shown: one rounding for every figure anywhere (web, PDF, charts, exports,
trend deltas). Pure, like scoring."""

from __future__ import annotations

import math


def display_score(value: float | None) -> int | None:
    """Half away from zero, as people expect: 62.5 reads as 63 and a gap of -12.5 as -13
    (not Python's banker's rounding, which gives 62 and -12)."""
    if value is None:
        return None
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def display_change(before: float | None, after: float | None) -> int | None:
    """A change between two shown scores, from the shown values: 54 -> 42 is -12, never the
    -13 that rounding the raw difference (53.6 -> 41.5) could give."""
    shown_before, shown_after = display_score(before), display_score(after)
    if shown_before is None or shown_after is None:
        return None
    return shown_after - shown_before
