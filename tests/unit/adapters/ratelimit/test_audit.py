"""The audit that judges the limiter must itself catch every kind of overrun."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jts.adapters.ratelimit.audit import breaches, max_sliding_load, utilization
from jts.adapters.ratelimit.limits import Algorithm, RateLimit

S = 1_000_000_000


def test_sliding_audit_flags_a_window_one_over() -> None:
    limit = RateLimit("q", 3, 1.0)
    grants = [(0, 1), (400_000_000, 1), (800_000_000, 1), (999_999_999, 1), (1_999_999_999, 1)]

    assert max_sliding_load(grants, limit.window_ns) == 4
    assert breaches(grants, limit) == 1  # only [0, 1 s) holds 4; [0.4 s, 1.4 s) holds 3
    assert breaches([*grants[:3], (S, 1)], limit) == 0  # at exactly 1 s the first has left


def test_fixed_audit_counts_per_aligned_window() -> None:
    limit = RateLimit("w", 2, 60.0, Algorithm.FIXED_WINDOW)
    straddling = [(59 * S, 2), (60 * S, 2)]  # 4 within 1 s, but in two windows

    assert breaches(straddling, limit) == 0
    assert breaches([*straddling, (61 * S, 1)], limit) == 1


def test_bucket_audit_allows_the_burst_then_the_rate() -> None:
    limit = RateLimit("g", 10, 1.0, Algorithm.GCRA, burst=3)
    burst = [(0, 1), (0, 1), (0, 1)]

    assert breaches(burst, limit) == 0
    assert breaches([*burst, (50_000_000, 1)], limit) == 1
    assert breaches([*burst, (100_000_000, 1)], limit) == 0


def test_gcra_with_burst_one_is_audited_as_a_sliding_window() -> None:
    limit = RateLimit("g", 2, 1.0, Algorithm.GCRA)

    assert breaches([(0, 1), (500_000_000, 1), (999_000_000, 1)], limit) == 1


def test_utilization_is_granted_over_allowed() -> None:
    limit = RateLimit("q", 10, 1.0)

    assert utilization([(0, 5), (S, 10), (3 * S, 7)], limit, 0, 2 * S) == 0.75


@given(st.lists(st.tuples(st.integers(0, 10 * S), st.integers(1, 5)), max_size=60))
def test_sliding_load_matches_brute_force(grants: list[tuple[int, int]]) -> None:
    window = S

    brute = max(
        (sum(w for t, w in grants if start <= t < start + window) for start, _ in grants),
        default=0,
    )

    assert max_sliding_load(grants, window) == brute
