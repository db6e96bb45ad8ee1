"""TWAP: the parent in equal parts at evenly spaced times over a window."""

from __future__ import annotations

from decimal import Decimal

from jts.contexts.trading.application.algorithms.children import ParentOrder
from jts.contexts.trading.application.algorithms.scheduled import (
    ScheduledExecution,
    SliceSchedule,
    cumulative,
    even_times,
)


def twap(parent: ParentOrder, *, start_ns: int, end_ns: int, slices: int) -> ScheduledExecution:
    """Send ``1/slices`` of ``parent`` at each of ``slices`` even times in [start, end).

    Children still working at ``end_ns`` are canceled.
    """
    schedule = SliceSchedule(
        times_ns=even_times(start_ns, end_ns, slices),
        cumulative=cumulative([Decimal(1)] * slices),
    )
    return ScheduledExecution(parent, schedule, end_ns=end_ns)
