"""The engine behind TWAP and VWAP: cumulative targets due at slice times.

A ``SliceSchedule`` lists slice times and the cumulative weight due by each; slice ``i``'s
target is ``quantity * cumulative_i / cumulative_last`` (multiplied before dividing, so an
even split is exact), and the last slice's target is the whole parent quantity. At slice
``i`` the algorithm sends one child for ``target_i - filled - working``, rounded down to
whole lots, so a child that did not fill is topped up rather than duplicated, and a child
the venue closed early is made up at the next slice. At ``end_ns`` any child still working
is canceled and the algorithm stops.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal

import msgspec

from jts.contexts.trading.application.algorithms.children import ZERO, ChildBook, ParentOrder
from jts.messages.trading import OrderEvent, TradingCommand
from jts.shared_kernel.errors import DataError


class SliceSchedule(msgspec.Struct, frozen=True, kw_only=True):
    """Slice times (UNIX ns, increasing) and the cumulative weight due by each."""

    times_ns: tuple[int, ...]
    cumulative: tuple[Decimal, ...]

    def __post_init__(self) -> None:
        if not self.times_ns or len(self.times_ns) != len(self.cumulative):
            raise DataError(
                f"a slice schedule needs one cumulative weight per slice time; got "
                f"{len(self.times_ns)} times and {len(self.cumulative)} weights"
            )
        if any(b <= a for a, b in zip(self.times_ns, self.times_ns[1:], strict=False)):
            raise DataError("slice times must strictly increase")
        fractions = (ZERO, *self.cumulative)
        if any(b < a for a, b in itertools.pairwise(fractions)):
            raise DataError("cumulative weights must start at 0 or more and never decrease")
        if self.cumulative[-1] <= 0:
            raise DataError("the slice weights are all zero; nothing would ever be due")


def even_times(start_ns: int, end_ns: int, slices: int) -> tuple[int, ...]:
    """``slices`` times from ``start_ns``, evenly spaced, the last one before ``end_ns``."""
    if slices < 1:
        raise DataError(f"slices is {slices}; use 1 or more")
    if end_ns <= start_ns:
        raise DataError(f"the window ends at {end_ns}, not after its start {start_ns}")
    step = (end_ns - start_ns) // slices
    if step == 0:
        raise DataError(f"{slices} slices do not fit in {end_ns - start_ns} ns")
    return tuple(start_ns + i * step for i in range(slices))


def cumulative(weights: Sequence[Decimal]) -> tuple[Decimal, ...]:
    """Running sums of ``weights`` (each slice's weight), checked non-negative."""
    if any(w < 0 for w in weights):
        raise DataError(f"slice weights must not be negative: {list(weights)}")
    return tuple(itertools.accumulate(weights))


class ScheduledExecution:
    """Works ``parent`` along ``schedule``; stops (canceling leftovers) at ``end_ns``."""

    def __init__(self, parent: ParentOrder, schedule: SliceSchedule, *, end_ns: int) -> None:
        if end_ns <= schedule.times_ns[-1]:
            raise DataError(
                f"{parent.client_order_id}: the algorithm ends at {end_ns}, not after its "
                f"last slice at {schedule.times_ns[-1]}"
            )
        self.book = ChildBook(parent)
        self._schedule = schedule
        self._end_ns = end_ns
        self._slices_sent = 0
        self._stopped = False

    @property
    def parent(self) -> ParentOrder:
        return self.book.parent

    @property
    def done(self) -> bool:
        filled = self.book.filled >= self.parent.quantity
        return filled or (self._stopped and not self.book.open_children)

    @property
    def next_wakeup_ns(self) -> int | None:
        if self._stopped or self.done:
            return None
        if self._slices_sent < len(self._schedule.times_ns):
            return self._schedule.times_ns[self._slices_sent]
        return self._end_ns

    def start(self, now_ns: int) -> list[TradingCommand]:
        return self.on_timer(now_ns)

    def on_timer(self, now_ns: int) -> list[TradingCommand]:
        if self._stopped or self.done:
            return []
        if now_ns >= self._end_ns:
            return self.cancel(now_ns)
        due = sum(1 for t in self._schedule.times_ns if t <= now_ns)
        if due <= self._slices_sent:
            return []
        self._slices_sent = due
        return self._top_up(due, now_ns)

    def on_event(self, event: OrderEvent, now_ns: int) -> list[TradingCommand]:
        self.book.apply(event)
        return []

    def cancel(self, now_ns: int) -> list[TradingCommand]:
        """Stop: send nothing more and cancel the children still working."""
        self._stopped = True
        return list(self.book.cancel_open(now_ns))

    def _top_up(self, due: int, now_ns: int) -> list[TradingCommand]:
        parent = self.parent
        if due == len(self._schedule.times_ns):
            target = parent.quantity
        else:
            weights = self._schedule.cumulative
            target = self.book.lots(parent.quantity * weights[due - 1] / weights[-1])
        quantity = self.book.lots(target - self.book.filled - self.book.working)
        if quantity <= 0:
            return []
        return [self.book.new_child(quantity, now_ns)]
