"""Quiet hours in Seoul time, across midnight; CRITICAL always goes through."""

from __future__ import annotations

from datetime import time

import pytest

from jts.contexts.notifications.application.service import NotificationService
from jts.contexts.notifications.domain.quiet_hours import QuietHours
from jts.messages.enums import Severity
from jts.messages.notifications import Channel
from jts.shared_kernel.clock import TestClock
from tests.unit.contexts.notifications.builders import (
    DIRECTORY,
    RecordingNotifier,
    breach,
    fill,
    kst,
)

NIGHT = QuietHours(start=time(22, 0), end=time(7, 0))  # Asia/Seoul by default


@pytest.mark.parametrize(
    ("hour", "minute", "quiet"),
    [
        (21, 59, False),
        (22, 0, True),
        (23, 59, True),
        (0, 0, True),
        (3, 30, True),
        (6, 59, True),
        (7, 0, False),
        (12, 0, False),
    ],
)
def test_window_crosses_midnight_in_seoul_time(hour: int, minute: int, quiet: bool) -> None:
    assert NIGHT.is_quiet(kst(2025, 1, 2, hour, minute)) is quiet


def test_window_is_read_in_the_users_zone_not_utc() -> None:
    at_23_kst = kst(2025, 1, 2, 23)  # 14:00 UTC

    assert NIGHT.is_quiet(at_23_kst)
    assert not QuietHours(start=time(22, 0), end=time(7, 0), time_zone="UTC").is_quiet(at_23_kst)


def test_a_daytime_window_does_not_wrap() -> None:
    lunch = QuietHours(start=time(12, 0), end=time(13, 0))

    assert lunch.is_quiet(kst(2025, 1, 2, 12, 30))
    assert not lunch.is_quiet(kst(2025, 1, 2, 13, 0))
    assert not lunch.is_quiet(kst(2025, 1, 2, 0, 30))


def test_critical_and_console_are_never_silenced() -> None:
    at_night = kst(2025, 1, 2, 2)

    assert NIGHT.silences(Channel.PUSH, Severity.WARNING, at_night)
    assert not NIGHT.silences(Channel.PUSH, Severity.CRITICAL, at_night)
    assert not NIGHT.silences(Channel.CONSOLE, Severity.INFO, at_night)


def test_bad_windows_are_refused_with_what_to_do() -> None:
    with pytest.raises(ValueError, match="give a window such as 22:00-07:00"):
        QuietHours(start=time(22, 0), end=time(22, 0))
    with pytest.raises(ValueError, match="use an IANA name such as Asia/Seoul"):
        QuietHours(start=time(22, 0), end=time(7, 0), time_zone="Mars/Olympus")


async def test_night_fill_reaches_only_the_console_but_a_breach_reaches_everyone() -> None:
    clock = TestClock(start_ns=kst(2025, 1, 2, 23, 30))
    notifiers = {c: RecordingNotifier() for c in Channel}
    service = NotificationService(
        notifiers=notifiers, clock=clock, quiet_hours=NIGHT, directory=DIRECTORY
    )

    fill_events = await service.handle(fill())
    breach_events = await service.handle(breach())

    assert [e.channel for e in fill_events] == [Channel.CONSOLE]
    assert [e.channel for e in breach_events] == list(Channel)
    assert service.stats.silenced == 1  # the fill's push


async def test_the_morning_after_push_is_back() -> None:
    clock = TestClock(start_ns=kst(2025, 1, 3, 7, 0))
    notifiers = {c: RecordingNotifier() for c in Channel}
    service = NotificationService(notifiers=notifiers, clock=clock, quiet_hours=NIGHT)

    events = await service.handle(fill())

    assert [e.channel for e in events] == [Channel.CONSOLE, Channel.PUSH]
