"""VWAP: the parent spread over a window in proportion to a historical volume profile.

``volume_profile`` turns past days' volume per intraday bucket into the average share of a
day's volume each bucket carries; ``bucket_volumes`` builds those rows from bars (in the
exchange's local time: KRX is UTC+9, 09:00-15:30). ``vwap`` slices the window into as many
even parts as the profile has buckets and makes each part's share of the parent follow the
profile, so the algorithm trades most when the market usually does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from jts.contexts.trading.application.algorithms.children import ZERO, ParentOrder
from jts.contexts.trading.application.algorithms.scheduled import (
    ScheduledExecution,
    SliceSchedule,
    cumulative,
    even_times,
)
from jts.messages.market_data import Bar
from jts.shared_kernel.clock import NANOS_PER_SECOND
from jts.shared_kernel.errors import DataError

SECONDS_PER_DAY = 86_400
KST_OFFSET_S = 9 * 3600


def volume_profile(daily_volumes: Sequence[Sequence[Decimal]]) -> tuple[Decimal, ...]:
    """The average share of a day's volume per bucket; days without volume are skipped."""
    if not daily_volumes:
        raise DataError("a volume profile needs at least one day of history")
    buckets = len(daily_volumes[0])
    sums = [ZERO] * buckets
    days = 0
    for number, day in enumerate(daily_volumes):
        if len(day) != buckets:
            raise DataError(
                f"day {number} of the volume history has {len(day)} buckets, the first has "
                f"{buckets}; every day needs the same buckets"
            )
        total = sum(day, ZERO)
        if total <= 0:
            continue
        days += 1
        for bucket, volume in enumerate(day):
            sums[bucket] += volume / total
    if days == 0:
        raise DataError("no day of the volume history traded anything; cannot build a profile")
    return tuple(share / days for share in sums)


def bucket_volumes(
    bars: Iterable[Bar],
    *,
    session_start_s: int,
    session_end_s: int,
    buckets: int,
    utc_offset_s: int = KST_OFFSET_S,
) -> list[list[Decimal]]:
    """Each local day's bar volume per bucket of [session start, end), days in order.

    Session bounds are seconds after local midnight (KRX regular session: 32_400..55_800).
    Bars starting outside the session are ignored.
    """
    span = session_end_s - session_start_s
    if span <= 0 or buckets < 1:
        raise DataError(
            f"session {session_start_s}..{session_end_s} s with {buckets} buckets is empty; "
            "give seconds after local midnight with start before end and 1 or more buckets"
        )
    days: dict[int, list[Decimal]] = {}
    for bar in bars:
        local_s = bar.ts_start // NANOS_PER_SECOND + utc_offset_s
        day, second = divmod(local_s, SECONDS_PER_DAY)
        if not session_start_s <= second < session_end_s:
            continue
        bucket = (second - session_start_s) * buckets // span
        days.setdefault(day, [ZERO] * buckets)[bucket] += bar.volume
    return [days[day] for day in sorted(days)]


def vwap(
    parent: ParentOrder, *, start_ns: int, end_ns: int, profile: Sequence[Decimal]
) -> ScheduledExecution:
    """Work ``parent`` over [start, end) with one slice per profile bucket."""
    schedule = SliceSchedule(
        times_ns=even_times(start_ns, end_ns, len(profile)), cumulative=cumulative(profile)
    )
    return ScheduledExecution(parent, schedule, end_ns=end_ns)
