"""Spelling help: "did you mean" suggestions for unknown names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, swaps."""
    previous_row: list[int] | None = None
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous_row, row = previous_row, row, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(previous_row[j] + 1, row[j - 1] + 1, previous_row[j - 1] + cost)
            swapped = i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]
            if swapped and before is not None:
                row[j] = min(row[j], before[j - 2] + 1)
    return row[len(b)]


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    """The known name closest to ``name``, if one is close enough to be a likely typo."""
    pool = sorted(set(candidates))
    if not pool:
        return None
    lowered = name.lower()
    budget = 1 if len(name) <= 4 else 2
    scored = sorted(
        (
            edit_distance(lowered, c.lower()),
            sorted(lowered) != sorted(c.lower()),  # a swap beats a different letter
            -difflib.SequenceMatcher(None, lowered, c.lower()).ratio(),
            c,
        )
        for c in pool
    )
    distance, _, _, best = scored[0]
    if distance <= budget:
        return best
    prefixed = [c for c in pool if len(lowered) >= 3 and c.lower().startswith(lowered)]
    if len(prefixed) == 1:
        return prefixed[0]
    matches = difflib.get_close_matches(name, pool, n=1, cutoff=0.75)
    return matches[0] if matches else None


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'sma'?"`` or an empty string when nothing is close."""
    best = suggest(name, candidates)
    return f"; did you mean '{best}'?" if best is not None else ""
