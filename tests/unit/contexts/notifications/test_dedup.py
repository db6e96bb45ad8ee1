"""The same dedup key within the window is held back, then summarised as ``xN``."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.notifications.application.service import NotificationService
from jts.contexts.notifications.domain.dedup import Deduplicator
from jts.contexts.notifications.domain.templates import render
from jts.messages.notifications import Channel
from jts.shared_kernel.clock import TestClock
from tests.unit.contexts.notifications.builders import (
    DIRECTORY,
    MINUTE_NS,
    RecordingNotifier,
    denial,
)


def _console_service(
    clock: TestClock, window_min: int = 5
) -> tuple[NotificationService, RecordingNotifier]:
    console = RecordingNotifier()
    service = NotificationService(
        notifiers={Channel.CONSOLE: console},
        clock=clock,
        dedup_window_ns=window_min * MINUTE_NS,
        directory=DIRECTORY,
    )
    return service, console


async def test_repeats_within_the_window_are_held_and_counted_into_the_next_one() -> None:
    clock = TestClock()
    service, console = _console_service(clock)

    for order in ("JTS-2", "JTS-3", "JTS-4"):  # same instrument and rule: one dedup key
        await service.handle(denial(order=order))
        clock.advance_ns(MINUTE_NS)
    held_events = await service.handle(denial(order="JTS-5"))  # 3 min after the first
    clock.advance_ns(2 * MINUTE_NS)  # 5 min after the first: the window is over
    events = await service.handle(denial(order="JTS-6"))

    assert held_events == []
    assert [n.repeats for n in console.sent] == [1, 4]
    assert console.sent[1].headline() == "Order denied by risk: 삼성전자 (005930.KRX) (x4)"
    assert events[0].repeats == 4
    assert events[0].title.endswith("(x4)")
    assert service.stats.held == 3


async def test_after_a_quiet_window_the_next_one_is_plain_again() -> None:
    clock = TestClock()
    service, console = _console_service(clock)

    await service.handle(denial())
    clock.advance_ns(10 * MINUTE_NS)
    await service.handle(denial())

    assert [n.repeats for n in console.sent] == [1, 1]


async def test_different_keys_do_not_hold_each_other_back() -> None:
    clock = TestClock()
    service, console = _console_service(clock)

    await service.handle(denial())
    await service.handle(msgspec.structs.replace(denial(), rule="max_open_orders"))

    assert len(console.sent) == 2


def test_zero_window_sends_everything() -> None:
    dedup = Deduplicator(0)
    n = render(denial(), DIRECTORY)
    assert n is not None

    assert [dedup.admit(n, 0) for _ in range(3)] == [n, n, n]


def test_negative_window_is_refused() -> None:
    with pytest.raises(ValueError, match="dedup window must not be negative"):
        Deduplicator(-1)


@given(st.lists(st.integers(min_value=0, max_value=20 * MINUTE_NS), max_size=40))
def test_every_occurrence_is_either_sent_or_counted_in_a_later_one(gaps: list[int]) -> None:
    dedup = Deduplicator(5 * MINUTE_NS)
    n = render(denial(), DIRECTORY)
    assert n is not None
    now, sent_repeats = 0, 0
    for gap in gaps:
        now += gap
        admitted = dedup.admit(n, now)
        sent_repeats += admitted.repeats if admitted is not None else 0

    assert sent_repeats + dedup.held(n.dedup_key) == len(gaps)
