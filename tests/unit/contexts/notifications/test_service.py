"""Events in, notifications out per channel: routing, failures and the audit events."""

from __future__ import annotations

from jts.contexts.notifications.application.service import NotificationService
from jts.messages.enums import Severity
from jts.messages.notifications import Channel
from jts.shared_kernel.clock import TestClock
from tests.unit.contexts.notifications.builders import (
    DIRECTORY,
    RecordingNotifier,
    breach,
    denial,
    error,
    fill,
    stale,
)
from tests.unit.messages.samples import sample_bar


def _service(
    clock: TestClock | None = None, **failing: Exception
) -> tuple[NotificationService, dict[Channel, RecordingNotifier]]:
    notifiers = {c: RecordingNotifier(failing.get(c.value.lower())) for c in Channel}
    service = NotificationService(
        notifiers=notifiers, clock=clock or TestClock(), directory=DIRECTORY
    )
    return service, notifiers


def _titles(notifiers: dict[Channel, RecordingNotifier]) -> dict[Channel, list[str]]:
    return {c: [n.title for n in r.sent] for c, r in notifiers.items() if r.sent}


async def test_fill_goes_to_console_and_push() -> None:
    service, notifiers = _service()

    events = await service.handle(fill())

    title = "Filled BUY 10 삼성전자 (005930.KRX)"
    assert _titles(notifiers) == {Channel.CONSOLE: [title], Channel.PUSH: [title]}
    assert [e.channel for e in events] == [Channel.CONSOLE, Channel.PUSH]
    assert all(e.delivered and e.title == title for e in events)


async def test_critical_goes_to_every_channel() -> None:
    service, notifiers = _service()

    await service.handle(breach())

    assert set(_titles(notifiers)) == set(Channel)


async def test_operator_warnings_go_to_console_and_email() -> None:
    service, notifiers = _service()

    await service.handle(error(Severity.WARNING))
    await service.handle(stale())

    assert set(_titles(notifiers)) == {Channel.CONSOLE, Channel.EMAIL}
    assert len(notifiers[Channel.EMAIL].sent) == 2


async def test_info_errors_stay_on_the_console() -> None:
    service, notifiers = _service()

    await service.handle(error(Severity.INFO))

    assert set(_titles(notifiers)) == {Channel.CONSOLE}


async def test_channels_without_a_notifier_are_skipped() -> None:
    console = RecordingNotifier()
    service = NotificationService(notifiers={Channel.CONSOLE: console}, clock=TestClock())

    events = await service.handle(breach())

    assert [e.channel for e in events] == [Channel.CONSOLE]
    assert len(console.sent) == 1


async def test_a_failing_channel_is_reported_and_the_others_still_deliver() -> None:
    service, notifiers = _service(push=ConnectionError("push gateway down"))

    events = await service.handle(denial())

    by_channel = {e.channel: e for e in events}
    assert not by_channel[Channel.PUSH].delivered
    assert by_channel[Channel.PUSH].error == "ConnectionError: push gateway down"
    assert by_channel[Channel.CONSOLE].delivered
    assert len(notifiers[Channel.CONSOLE].sent) == 1
    assert (service.stats.sent, service.stats.failed) == (1, 1)


async def test_sent_events_carry_the_source_and_its_correlation() -> None:
    service, _ = _service(TestClock(start_ns=5_000))
    message = denial()

    events = await service.handle(message)

    assert {e.notification_id for e in events} == {message.id}
    assert {e.source_id for e in events} == {message.id}
    assert {e.correlation_id for e in events} == {message.correlation()}
    assert {e.ts_event for e in events} == {5_000}


async def test_messages_not_worth_a_notification_send_nothing() -> None:
    service, notifiers = _service()

    assert await service.handle(sample_bar()) == []
    assert _titles(notifiers) == {}
    assert service.stats.notified == 0
