from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.trading.application.algorithms.scheduled import (
    ScheduledExecution,
    SliceSchedule,
)
from jts.contexts.trading.application.algorithms.twap import twap
from jts.contexts.trading.application.algorithms.vwap import bucket_volumes, volume_profile, vwap
from jts.messages.market_data import Bar
from jts.messages.trading import CancelOrder
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.timeframes import Timeframe
from tests.unit.contexts.trading.algo_helpers import SECOND, canceled, filled, parent, submits
from tests.unit.contexts.trading.fakes import SAMSUNG


def _run_filling_everything(
    algorithm: ScheduledExecution, step_ns: int, until_ns: int
) -> list[Decimal]:
    sent: list[Decimal] = []
    now = 0
    while now <= until_ns and not algorithm.done:
        for child in submits(algorithm.on_timer(now)):
            sent.append(child.quantity)
            algorithm.on_event(filled(child), now)
        now += step_ns
    return sent


def test_twap_sends_equal_slices_at_even_times() -> None:
    algorithm = twap(parent("100"), start_ns=0, end_ns=100 * SECOND, slices=4)

    first = submits(algorithm.start(0))
    assert [c.quantity for c in first] == [Decimal(25)]
    assert first[0].client_order_id == "P1-1"
    assert first[0].parent_order_id == "P1"
    assert algorithm.next_wakeup_ns == 25 * SECOND
    assert algorithm.on_timer(24 * SECOND) == []


def test_twap_rounds_to_lots_and_the_last_slice_takes_the_remainder() -> None:
    algorithm = twap(parent("10"), start_ns=0, end_ns=30 * SECOND, slices=3)

    sent = _run_filling_everything(algorithm, SECOND, 40 * SECOND)

    assert sent == [Decimal(3), Decimal(3), Decimal(4)]
    assert algorithm.done


def test_an_unfilled_slice_is_topped_up_not_duplicated() -> None:
    algorithm = twap(parent("100", limit="70000"), start_ns=0, end_ns=100 * SECOND, slices=4)
    first = submits(algorithm.start(0))[0]
    algorithm.on_event(filled(first, Decimal(10)), 1)

    second = submits(algorithm.on_timer(25 * SECOND))

    # target 50, filled 10, 15 still working in the first child
    assert [c.quantity for c in second] == [Decimal(25)]


def test_a_child_the_venue_canceled_is_made_up_at_the_next_slice() -> None:
    algorithm = twap(parent("100", limit="70000"), start_ns=0, end_ns=100 * SECOND, slices=4)
    first = submits(algorithm.start(0))[0]
    algorithm.on_event(canceled(first), 1)

    second = submits(algorithm.on_timer(25 * SECOND))

    assert [c.quantity for c in second] == [Decimal(50)]


def test_children_still_working_at_the_end_are_canceled_and_the_algorithm_stops() -> None:
    algorithm = twap(parent("100", limit="70000"), start_ns=0, end_ns=100 * SECOND, slices=2)
    first = submits(algorithm.start(0))[0]

    commands = algorithm.on_timer(100 * SECOND)

    expected = [(CancelOrder, first.client_order_id)]
    assert [(type(c), c.client_order_id) for c in commands] == expected
    done_before_the_cancel_confirmed = algorithm.done
    algorithm.on_event(canceled(first), 100 * SECOND)

    assert not done_before_the_cancel_confirmed
    assert algorithm.done
    assert algorithm.next_wakeup_ns is None


def test_timer_granularity_does_not_change_the_children() -> None:
    def run(step_ns: int) -> list[Decimal]:
        algorithm = twap(parent("97"), start_ns=0, end_ns=60 * SECOND, slices=6)
        return _run_filling_everything(algorithm, step_ns, 70 * SECOND)

    assert run(SECOND) == run(10 * SECOND) == run(SECOND // 10)


def test_volume_profile_averages_each_days_shares() -> None:
    history = [
        [Decimal(50), Decimal(25), Decimal(25)],
        [Decimal(10), Decimal(10), Decimal(20)],
        [Decimal(0), Decimal(0), Decimal(0)],  # a halted day is skipped
    ]

    profile = volume_profile(history)

    assert profile == (Decimal("0.375"), Decimal("0.25"), Decimal("0.375"))


def test_volume_profile_refuses_ragged_history() -> None:
    with pytest.raises(DataError, match="day 1 of the volume history has 2 buckets"):
        volume_profile([[Decimal(1)] * 3, [Decimal(1)] * 2])


def _bar(local_hh_mm: str, day: int, volume: int) -> Bar:
    hours, minutes = (int(x) for x in local_hh_mm.split(":"))
    ts_start = (day * 86_400 + hours * 3600 + minutes * 60 - 9 * 3600) * SECOND
    return Bar(
        instrument_id=SAMSUNG,
        timeframe=Timeframe.parse("1m"),
        ts_start=ts_start,
        ts_event=ts_start + 60 * SECOND,
        ts_init=ts_start + 60 * SECOND,
        open=Decimal(1),
        high=Decimal(1),
        low=Decimal(1),
        close=Decimal(1),
        volume=Decimal(volume),
    )


def test_bucket_volumes_groups_bars_by_kst_day_and_session_bucket() -> None:
    bars = [
        _bar("09:00", 0, 100),
        _bar("12:30", 0, 10),
        _bar("15:29", 0, 40),
        _bar("08:59", 0, 999),  # pre-open: outside the session
        _bar("09:01", 1, 7),
    ]

    rows = bucket_volumes(bars, session_start_s=9 * 3600, session_end_s=15 * 3600 + 1800, buckets=2)

    assert rows == [[Decimal(100), Decimal(50)], [Decimal(7), Decimal(0)]]


def test_vwap_follows_the_profile() -> None:
    profile = (Decimal("0.5"), Decimal("0.1"), Decimal("0.4"))
    algorithm = vwap(parent("1000"), start_ns=0, end_ns=30 * SECOND, profile=profile)

    sent = _run_filling_everything(algorithm, SECOND, 40 * SECOND)

    assert sent == [Decimal(500), Decimal(100), Decimal(400)]


@given(
    weights=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12).filter(any),
    quantity=st.integers(min_value=1, max_value=10_000),
)
def test_vwap_children_add_up_to_the_parent_exactly(weights: list[int], quantity: int) -> None:
    profile = [Decimal(w) for w in weights]
    algorithm = vwap(parent(str(quantity)), start_ns=0, end_ns=100 * SECOND, profile=profile)

    sent = _run_filling_everything(algorithm, SECOND, 200 * SECOND)

    assert sum(sent) == quantity
    assert all(q > 0 and q == q.to_integral() for q in sent)


def test_a_schedule_with_nothing_due_is_refused() -> None:
    with pytest.raises(DataError, match="the slice weights are all zero"):
        SliceSchedule(times_ns=(0, 1), cumulative=(Decimal(0), Decimal(0)))


def test_thirds_split_exactly() -> None:
    algorithm = twap(parent("30"), start_ns=0, end_ns=30 * SECOND, slices=3)

    assert _run_filling_everything(algorithm, SECOND, 40 * SECOND) == [Decimal(10)] * 3


def test_a_window_too_short_for_its_slices_is_refused() -> None:
    with pytest.raises(DataError, match="do not fit"):
        twap(parent(), start_ns=0, end_ns=3, slices=4)
