"""The privacy rule, in one place. Pure: no Django imports, so scoring can use it.

Politicians answer honestly only if nobody (coordinator, adviser, colleague) can read or work
out what one of them answered. Every figure Planprofil shows (web, workshop, PDF, exports, API,
dashboard, comparison, trends, benchmark, answers appendix, `assess_file --json`) comes out of
`assessment.scoring.score()`, and `score()` applies the rules below before it computes anything.
docs/method.md explains them for humans; keep the two in step.

1. **Groups of fewer than `min_n` are left out of every figure.** A role group (politicians,
   administration, other) with fewer than `min_n` submitted respondents contributes to no score,
   mean, spread, count or comment. Leaving a lone politician out of the overall score too is what
   stops "overall minus the administration's mean" from giving their score back.
2. **Per theme, the same rule again**: a group whose members gave fewer than `min_n` scored
   answers in a theme is left out of that theme's figures (its mean, the theme score, the gap).
3. **A question's answer counts are shown only when at least `min_n` people gave a real answer
   to it**, and a number question's median only from `min_n` values.
4. **An open round publishes no figures at all**, only counts of who has answered. The results
   are computed once, when the round closes, and frozen. If figures were shown while answers
   came in, reading them before and after one more person submits would give that person's
   answers back (3 x after - 2 x before), whatever the group sizes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar


class _HasRole(Protocol):
    @property
    def role(self) -> object: ...


R = TypeVar("R", bound=_HasRole)


def _role_key(item: _HasRole) -> str:
    role = item.role
    return str(getattr(role, "value", role))


def group_shown(n: int, min_n: int) -> bool:
    """Whether a figure computed from `n` people of one group may be shown."""
    return n >= min_n


def publishable_responses(responses: Sequence[R], min_n: int) -> tuple[list[R], dict[str, int]]:
    """Rule 1: the responses that may enter any figure, and how many were held back per role
    group (a count of who answered, never what)."""
    sizes = Counter(_role_key(r) for r in responses)
    kept = [r for r in responses if group_shown(sizes[_role_key(r)], min_n)]
    held_back = {role: n for role, n in sizes.items() if not group_shown(n, min_n)}
    return kept, held_back


def publishable_groups(sizes: Mapping[str, int], min_n: int) -> set[str]:
    """Rule 2: the role groups large enough to be shown in one theme."""
    return {role for role, n in sizes.items() if group_shown(n, min_n)}


def counts_shown(counts: Mapping[str, int], min_n: int, *, dont_know: str = "dont_know") -> bool:
    """Rule 3: a question's answer counts are shown from `min_n` real answers up."""
    return sum(n for value, n in counts.items() if value != dont_know) >= min_n


def figures_published(*, is_open: bool) -> bool:
    """Rule 4: figures exist only for a closed round."""
    return not is_open
