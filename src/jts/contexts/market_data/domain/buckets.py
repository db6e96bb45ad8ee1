"""Bar buckets: which ``[start, end)`` interval of a timeframe a moment falls in, and the
rules for intervals without trades and for trades that arrive after their bar closed.

A bucket of timeframe ``tf`` starts at ``session open + k * tf`` and ends at the earlier of
``start + tf`` and the session close (``sessions``). Timeframes run from 1 second to 1 day;
a 1-day bar is a whole session.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from jts.contexts.market_data.domain.sessions import Session, SessionWindows
from jts.shared_kernel.timeframes import Timeframe

MAX_BAR_SECONDS = 86_400


class EmptyIntervals(StrEnum):
    """What a bucket without a single trade becomes."""

    SKIP = "skip"  # no bar (Upbit's rule: a bar exists only if something traded)
    FILL = "fill"  # a flat bar at the previous close with zero volume (in session only)


class LateTicks(StrEnum):
    """What a trade for an already closed bar does."""

    DROP = "drop"  # counted and ignored: the bar stands as published
    REVISE = "revise"  # the bar is re-issued with the trade included (same key, revision)


@dataclass(frozen=True)
class AggregationRules:
    """How bars are closed.

    A bar closes once event time (the latest trade seen, or the clock passed to
    ``advance``) reaches its end plus ``allowed_lateness_ns``; until then trades that arrive
    out of order still join it. After that they are late (``late_ticks``); ``REVISE`` can
    amend only the last ``revision_depth`` bars.
    """

    empty_intervals: EmptyIntervals = EmptyIntervals.SKIP
    late_ticks: LateTicks = LateTicks.DROP
    allowed_lateness_ns: int = 0
    revision_depth: int = 16

    def __post_init__(self) -> None:
        if self.allowed_lateness_ns < 0:
            raise ValueError(f"allowed_lateness_ns {self.allowed_lateness_ns} must not be < 0")
        if self.revision_depth < 1:
            raise ValueError(f"revision_depth {self.revision_depth} must be at least 1")


def check_bar_timeframe(timeframe: Timeframe) -> None:
    """Refuse timeframes aggregation does not build (longer than a day)."""
    if timeframe.seconds > MAX_BAR_SECONDS:
        raise ValueError(
            f"bars are aggregated from 1s up to 1d; {timeframe} is longer (build weekly "
            "bars from daily ones in research code)"
        )


def bucket_bounds(ts_ns: int, session: Session, step_ns: int) -> tuple[int, int]:
    """The ``(start, end)`` of the bucket holding ``ts_ns`` in ``session``.

    A print after the close (a closing-auction print within the session's closing print
    window) belongs to the session's last bucket.
    """
    open_ns, close_ns = session
    offset = min(ts_ns - open_ns, close_ns - open_ns - 1)
    start = open_ns + offset // step_ns * step_ns
    return start, min(start + step_ns, close_ns)


def next_bucket(sessions: SessionWindows, after_ns: int, step_ns: int) -> tuple[int, int]:
    """The first bucket starting at or after ``after_ns``, the end of a previous bucket."""
    session = sessions.session_at(after_ns)
    if session is not None and after_ns < session[1]:
        return after_ns, min(after_ns + step_ns, session[1])
    open_ns, close_ns = sessions.next_session(after_ns)
    return open_ns, min(open_ns + step_ns, close_ns)
