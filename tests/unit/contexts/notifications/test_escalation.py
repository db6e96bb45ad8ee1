"""Unacknowledged CRITICAL notifications are re-sent, one channel further up, on time."""

from __future__ import annotations

import pytest

from jts.contexts.notifications.application.service import NotificationService
from jts.contexts.notifications.domain.escalation import EscalationPolicy
from jts.messages.enums import HealthStatus, Severity
from jts.messages.notifications import AcknowledgeNotification, Channel
from jts.shared_kernel.clock import TestClock
from tests.unit.contexts.notifications.builders import (
    MINUTE_NS,
    RecordingNotifier,
    breach,
    denial,
    error,
    health,
)

TEN_MINUTES = EscalationPolicy(after_ns=10 * MINUTE_NS, max_reminders=3)


def _service(
    clock: TestClock, channels: tuple[Channel, ...]
) -> tuple[NotificationService, dict[Channel, RecordingNotifier]]:
    notifiers = {c: RecordingNotifier() for c in channels}
    return NotificationService(notifiers=notifiers, clock=clock, escalation=TEN_MINUTES), notifiers


async def test_reminder_is_due_after_n_minutes_not_before() -> None:
    clock = TestClock()
    service, notifiers = _service(clock, (Channel.CONSOLE, Channel.PUSH))
    await service.handle(health(HealthStatus.DOWN))

    clock.advance_ns(10 * MINUTE_NS - 1)
    early = await service.escalate()
    clock.advance_ns(1)
    due = await service.escalate()

    assert early == []
    assert [(e.channel, e.escalation) for e in due] == [(Channel.PUSH, 1)]
    assert notifiers[Channel.PUSH].sent[-1].headline() == (
        "binance.feed is DOWN [unacknowledged, reminder 1]"
    )


async def test_reminders_climb_the_ladder_from_the_highest_channel_used() -> None:
    clock = TestClock()
    # no routing rules: the first sending goes nowhere, so reminders start at the bottom
    service = NotificationService(
        notifiers={c: RecordingNotifier() for c in (Channel.CONSOLE, Channel.EMAIL, Channel.SMS)},
        clock=clock,
        escalation=TEN_MINUTES,
        rules=(),
    )
    await service.handle(error(Severity.CRITICAL))
    channels = []
    for _ in range(4):
        clock.advance_ns(10 * MINUTE_NS)
        channels += [e.channel for e in await service.escalate()]

    assert channels == [Channel.CONSOLE, Channel.EMAIL, Channel.SMS]  # 3 reminders, then stop
    assert service.awaiting_acknowledgement == frozenset()


async def test_at_the_top_rung_the_most_intrusive_channel_repeats() -> None:
    clock = TestClock()
    service, notifiers = _service(clock, (Channel.CONSOLE, Channel.SMS))
    await service.handle(breach())

    for _ in range(3):
        clock.advance_ns(10 * MINUTE_NS)
        await service.escalate()

    assert [n.reminder for n in notifiers[Channel.SMS].sent] == [0, 1, 2, 3]


async def test_acknowledged_notifications_stop_escalating() -> None:
    clock = TestClock()
    service, _ = _service(clock, (Channel.CONSOLE, Channel.PUSH))
    message = breach()
    await service.handle(message)

    acknowledged = await service.acknowledge(
        AcknowledgeNotification(notification_id=message.id, by="trader", ts_init=clock.now_ns())
    )
    clock.advance_ns(60 * MINUTE_NS)

    assert acknowledged
    assert await service.escalate() == []
    assert not await service.acknowledge(
        AcknowledgeNotification(notification_id=message.id, ts_init=clock.now_ns())
    )


async def test_only_critical_notifications_escalate() -> None:
    clock = TestClock()
    service, _ = _service(clock, (Channel.CONSOLE, Channel.PUSH))
    await service.handle(denial())

    clock.advance_ns(60 * MINUTE_NS)

    assert await service.escalate() == []


async def test_a_late_check_sends_one_reminder_and_restarts_the_delay() -> None:
    clock = TestClock()
    service, _ = _service(clock, (Channel.CONSOLE, Channel.PUSH))
    await service.handle(breach())

    clock.advance_ns(35 * MINUTE_NS)
    late = await service.escalate()
    clock.advance_ns(9 * MINUTE_NS)
    too_soon = await service.escalate()

    assert len(late) == 1
    assert too_soon == []


def test_bad_policies_are_refused() -> None:
    with pytest.raises(ValueError, match="escalation delay must be positive"):
        EscalationPolicy(after_ns=0)
    with pytest.raises(ValueError, match="max reminders must not be negative"):
        EscalationPolicy(after_ns=1, max_reminders=-1)
