"""Notifications wired from settings onto the in-process bus: events in, lines and
``NotificationSent`` out, acknowledgements stop escalation."""

from __future__ import annotations

import io
from datetime import time

import pytest
from rich.console import Console

from jts.adapters.bus.inprocess import InProcessEventBus
from jts.bootstrap.notifications import (
    attach_notifications,
    build_notifications,
    parse_quiet_hours,
)
from jts.bootstrap.settings_sections import NotificationsConfig
from jts.messages.base import Message
from jts.messages.notifications import AcknowledgeNotification, Channel, NotificationSent
from jts.shared_kernel.clock import NANOS_PER_SECOND, TestClock
from jts.shared_kernel.errors import ConfigurationError
from tests.unit.contexts.notifications.builders import breach, fill


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=200, force_terminal=False, color_system=None), out


async def test_bus_events_become_console_lines_and_outbox_events() -> None:
    console, out = _console()
    clock = TestClock()
    wired = build_notifications(
        NotificationsConfig(escalate_after_s=60), clock=clock, console=console
    )
    outbox: list[Message] = []

    async def record(message: Message) -> None:
        outbox.append(message)

    async with InProcessEventBus() as bus:
        await attach_notifications(wired.service, bus)
        await bus.subscribe("notifications.outbox", record, name="test.outbox")
        alarm = breach()
        await bus.publish(fill())
        await bus.publish(alarm)
        await bus.drain()
        await bus.publish(AcknowledgeNotification(notification_id=alarm.id, ts_init=0))
        await bus.drain()
        clock.advance_ns(120 * NANOS_PER_SECOND)
        reminders = await wired.service.escalate()

    lines = out.getvalue().splitlines()
    assert lines == [
        "1970-01-01 09:00:00 KST  INFO      FILL    Filled BUY 10 Samsung Electronics "
        "(005930.KRX): 10 @ 71,500 KRW = 715,000 KRW, fees 107 KRW (golden_cross, order JTS-1)",
        "1970-01-01 09:00:00 KST  CRITICAL  RISK    Limit breached: max_drawdown (portfolio): "
        "0.1623 against a limit of 0.15; action: kill switch: flatten and stop new orders",
    ]
    assert all(isinstance(m, NotificationSent) for m in outbox)
    assert [(m.channel, m.category.value) for m in outbox] == [  # type: ignore[attr-defined]
        (Channel.CONSOLE, "FILL"),
        (Channel.CONSOLE, "RISK"),
    ]
    assert reminders == []


async def test_console_off_means_no_channels() -> None:
    config = NotificationsConfig.model_validate({"console": {"enabled": False}})

    wired = build_notifications(config, clock=TestClock())

    assert wired.console is None
    assert wired.service.channels == ()
    assert await wired.service.handle(fill()) == []


def test_quiet_hours_setting_is_parsed_in_its_time_zone() -> None:
    quiet = parse_quiet_hours("22:00-07:00", "Asia/Seoul")

    assert quiet is not None
    assert (quiet.start, quiet.end, quiet.time_zone) == (time(22), time(7), "Asia/Seoul")
    assert parse_quiet_hours(None, "Asia/Seoul") is None


@pytest.mark.parametrize(
    ("text", "zone"),
    [("25:00-07:00", "Asia/Seoul"), ("22:00-22:00", "Asia/Seoul"), ("22:00-07:00", "Nowhere")],
)
def test_bad_quiet_hours_are_a_configuration_error(text: str, zone: str) -> None:
    with pytest.raises(ConfigurationError, match=r"notifications.quiet_hours .* HH:MM-HH:MM"):
        parse_quiet_hours(text, zone)
