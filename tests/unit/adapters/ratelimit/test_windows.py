"""The three window algorithms: exact waits, and no window ever over its limit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.adapters.ratelimit.audit import breaches, max_sliding_load, utilization
from jts.adapters.ratelimit.limits import Algorithm, RateLimit
from jts.adapters.ratelimit.windows import FixedWindow, Gcra, SlidingLog, Window, new_window

S = 1_000_000_000
T0 = 1_767_225_600 * S  # 2026-01-01T00:00:00Z: aligned to the second, minute and day


def test_sliding_log_waits_until_the_oldest_grant_leaves() -> None:
    log = SlidingLog(RateLimit("q", 3, 1.0))
    for offset in (0, 100, 200):
        log.commit(T0 + offset * 1_000_000, 1)

    assert log.wait_ns(T0 + 500_000_000, 1) == 500_000_000
    assert log.wait_ns(T0 + 500_000_000, 2) == 600_000_000
    assert log.wait_ns(T0 + S, 1) == 0
    assert log.used(T0 + S) == 2.0


def test_fixed_window_resets_on_the_aligned_boundary() -> None:
    window = FixedWindow(RateLimit("w", 2, 60.0, Algorithm.FIXED_WINDOW))
    window.commit(T0 + 59 * S, 2)

    assert window.wait_ns(T0 + 59 * S, 1) == S
    assert window.wait_ns(T0 + 60 * S, 2) == 0
    assert window.used(T0 + 60 * S) == 0.0


def test_fixed_window_alignment_shifts_the_boundary() -> None:
    window = FixedWindow(RateLimit("w", 1, 10.0, Algorithm.FIXED_WINDOW, align_s=3.0))
    window.commit(T0 + 2 * S, 1)

    assert window.wait_ns(T0 + 2 * S, 1) == S  # the window [T0-7s, T0+3s) ends at T0+3s


def test_gcra_paces_at_the_emission_interval() -> None:
    gcra = Gcra(RateLimit("r", 20, 1.0, Algorithm.GCRA))

    assert gcra.wait_ns(T0, 1) == 0
    gcra.commit(T0, 1)
    assert gcra.wait_ns(T0, 1) == 50_000_000
    assert gcra.wait_ns(T0 + 50_000_000, 1) == 0


def test_gcra_burst_admits_that_many_at_once_then_paces() -> None:
    gcra = Gcra(RateLimit("r", 10, 1.0, Algorithm.GCRA, burst=4))
    for _ in range(4):
        assert gcra.wait_ns(T0, 1) == 0
        gcra.commit(T0, 1)

    assert gcra.wait_ns(T0, 1) == 100_000_000
    assert gcra.wait_ns(T0, 2) == 200_000_000


def test_raise_used_lifts_counts_but_never_lowers_them() -> None:
    window = FixedWindow(RateLimit("w", 10, 60.0, Algorithm.FIXED_WINDOW))
    window.commit(T0, 6)

    window.raise_used(T0 + S, 4, observed_at=T0)
    assert window.used(T0 + S) == 6.0
    window.raise_used(T0 + S, 9, observed_at=T0)
    assert window.used(T0 + S) == 9.0
    window.raise_used(T0 + 61 * S, 10, observed_at=T0 + 59 * S)  # a count for the last window
    assert window.used(T0 + 61 * S) == 0.0


def test_sliding_log_and_gcra_raise_used() -> None:
    log = SlidingLog(RateLimit("q", 5, 1.0))
    log.commit(T0, 1)
    log.raise_used(T0, 4, observed_at=T0)
    gcra = Gcra(RateLimit("r", 5, 1.0, Algorithm.GCRA))
    gcra.raise_used(T0, 5, observed_at=T0)

    assert log.used(T0) == 4.0
    assert log.wait_ns(T0, 2) == S
    assert gcra.wait_ns(T0, 1) == S


_LIMITS = st.builds(
    RateLimit,
    name=st.just("x"),
    limit=st.integers(1, 12),
    window_s=st.sampled_from([0.001, 0.25, 1.0, 15.0, 60.0]),
    algorithm=st.sampled_from(list(Algorithm)),
).flatmap(
    lambda lim: st.builds(
        RateLimit,
        name=st.just("x"),
        limit=st.just(lim.limit),
        window_s=st.just(lim.window_s),
        algorithm=st.just(lim.algorithm),
        burst=st.integers(1, lim.limit),
        align_s=st.sampled_from([0.0, 0.0001, 7.5]),
    )
)
_ARRIVALS = st.lists(
    st.tuples(st.integers(0, 2 * 60 * S), st.integers(1, 12), st.booleans()),
    max_size=120,
)


def _drive(window: Window, limit: RateLimit, arrivals: list[tuple[int, int, bool]]) -> list:
    """Each arrival tries once, or (``persist``) waits as told until admitted."""
    now, grants = T0, []
    for gap, weight, persist in arrivals:
        now += gap % (2 * limit.window_ns + 1)
        weight = min(weight, limit.capacity)
        wait = window.wait_ns(now, weight)
        if wait and persist:
            now += wait
            assert window.wait_ns(now, weight) == 0, "the promised wait was not enough"
            wait = 0
        if not wait:
            window.commit(now, weight)
            grants.append((now, weight))
    return grants


@given(_LIMITS, _ARRIVALS)
def test_no_window_ever_holds_more_than_its_limit(
    limit: RateLimit, arrivals: list[tuple[int, int, bool]]
) -> None:
    grants = _drive(new_window(limit), limit, arrivals)

    assert breaches(grants, limit) == 0
    if limit.algorithm is not Algorithm.FIXED_WINDOW and limit.burst == 1:
        assert max_sliding_load(grants, limit.window_ns) <= limit.limit


@given(
    st.integers(1, 40),
    st.sampled_from([0.5, 1.0, 15.0, 60.0]),
    st.sampled_from(list(Algorithm)),
    st.integers(1, 3),
)
def test_saturation_reaches_the_full_allowance(
    limit_count: int, window_s: float, algorithm: Algorithm, weight: int
) -> None:
    limit = RateLimit("x", limit_count * weight, window_s, algorithm, burst=weight)
    window = new_window(limit)
    end = T0 + 10 * limit.window_ns

    grants = _drive(window, limit, [(0, weight, True)] * (11 * limit_count))

    ratio = utilization(grants, limit, T0, end)
    assert breaches(grants, limit) == 0
    if limit.algorithm is Algorithm.GCRA and limit.window_ns % limit.limit:
        assert 0.99 <= ratio <= 1.0  # the emission interval was rounded up to whole ns
    else:
        assert ratio == pytest.approx(1.0, abs=1e-12)
