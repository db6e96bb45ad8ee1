"""Check a log of grants against a limit, independently of how the limiter counted.

A grant is ``(admitted_at_ns, weight)``. ``breaches`` counts the windows that held more than
the limit, by each algorithm's own definition (``jts.adapters.ratelimit.limits``):
half-open sliding windows for ``SLIDING_LOG`` and for ``GCRA`` with ``burst=1``, aligned
windows for ``FIXED_WINDOW``, and bucket overflows for ``GCRA`` with a larger burst. Used by
the tests, the benchmark and anyone auditing a recorded grant log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from jts.adapters.ratelimit.limits import Algorithm, RateLimit

Grant = tuple[int, int]


def breaches(grants: Sequence[Grant], limit: RateLimit) -> int:
    """How many windows (or bucket states) exceeded ``limit``; 0 means the log complies."""
    ordered = sorted(grants)
    if limit.algorithm is Algorithm.FIXED_WINDOW:
        return _fixed_breaches(ordered, limit)
    if limit.algorithm is Algorithm.GCRA and limit.burst > 1:
        return _bucket_breaches(ordered, limit)
    return _sliding_breaches(ordered, limit.limit, limit.window_ns)


def max_sliding_load(grants: Sequence[Grant], window_ns: int) -> int:
    """The largest total weight any half-open interval of ``window_ns`` holds."""
    return max(_sliding_loads(sorted(grants), window_ns), default=0)


def utilization(
    grants: Sequence[Grant], limit: RateLimit, start_ns: int, end_ns: int, extra: float = 0.0
) -> float:
    """Units granted in ``[start_ns, end_ns)`` over ``limit`` per window in that span.

    ``extra`` is added to the allowance: ``burst - 1`` for a GCRA bucket that starts full and
    is drained by single units.
    """
    granted = sum(weight for at, weight in grants if start_ns <= at < end_ns)
    allowance = limit.limit * (end_ns - start_ns) / limit.window_ns + extra
    return granted / allowance


def _sliding_loads(ordered: Sequence[Grant], window_ns: int) -> Iterator[int]:
    """For each grant, the weight of the interval ``[its time, its time + window)``."""
    load = end = 0
    for start_at, weight in ordered:
        while end < len(ordered) and ordered[end][0] < start_at + window_ns:
            load += ordered[end][1]
            end += 1
        yield load
        load -= weight


def _sliding_breaches(ordered: Sequence[Grant], limit: int, window_ns: int) -> int:
    return sum(1 for load in _sliding_loads(ordered, window_ns) if load > limit)


def _fixed_breaches(ordered: Sequence[Grant], limit: RateLimit) -> int:
    loads: dict[int, int] = defaultdict(int)
    for at, weight in ordered:
        loads[(at - limit.align_ns) // limit.window_ns] += weight
    return sum(1 for load in loads.values() if load > limit.limit)


def _bucket_breaches(ordered: Sequence[Grant], limit: RateLimit) -> int:
    # Level in nanoseconds of drain time: each unit adds window/limit, time drains it.
    per_unit = limit.window_ns / limit.limit
    capacity = limit.burst * per_unit
    count, level, last = 0, 0.0, None
    for at, weight in ordered:
        if last is not None:
            level = max(0.0, level - (at - last))
        level += weight * per_unit
        last = at
        if level > capacity + 1e-6:
            count += 1
    return count
