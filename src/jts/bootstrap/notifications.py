"""Wiring of the notifications context from ``Settings.notifications``.

``build_notifications`` picks the notifiers of the enabled channels (the console for now)
and builds the ``NotificationService`` with the configured quiet hours, dedup window and
escalation, and instrument names from the venue registry. ``attach_notifications``
connects it to a bus: every notified topic in, ``NotificationSent`` out on
``notifications.outbox``, acknowledgements from ``notifications.acks``.
``run_escalations`` sends due reminders until cancelled.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import time

from rich.console import Console

from jts.adapters.notifiers.console import ConsoleNotifier
from jts.bootstrap.settings_sections import NotificationsConfig
from jts.contexts.notifications.application.ports import Notifier
from jts.contexts.notifications.application.service import (
    ACK_TOPIC,
    NOTIFY_TOPICS,
    NotificationService,
)
from jts.contexts.notifications.domain.escalation import EscalationPolicy
from jts.contexts.notifications.domain.formatting import InstrumentLabel
from jts.contexts.notifications.domain.quiet_hours import QuietHours
from jts.messages.base import Message
from jts.messages.bus import EventBus, Subscription
from jts.messages.notifications import AcknowledgeNotification, Channel
from jts.shared_kernel.clock import NANOS_PER_SECOND, Clock
from jts.shared_kernel.errors import ConfigurationError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.venues.catalog import default_registry
from jts.shared_kernel.venues.instruments import InstrumentRegistry


@dataclass(frozen=True)
class Notifications:
    """The wired service and its console notifier (``None`` when the console is off)."""

    service: NotificationService
    console: ConsoleNotifier | None


def build_notifications(
    config: NotificationsConfig,
    *,
    clock: Clock,
    console: Console | None = None,
    registry: InstrumentRegistry | None = None,
    quiet_console: bool = False,
) -> Notifications:
    """The notifications context for ``config``; ``quiet_console`` keeps lines off the
    terminal (a dashboard shows ``console.recent`` instead)."""
    quiet_hours = parse_quiet_hours(config.quiet_hours, config.time_zone)
    notifiers: dict[Channel, Notifier] = {}
    console_notifier = None
    if config.console.enabled:
        console_notifier = ConsoleNotifier(console, time_zone=config.time_zone, quiet=quiet_console)
        notifiers[Channel.CONSOLE] = console_notifier
    service = NotificationService(
        notifiers=notifiers,
        clock=clock,
        dedup_window_ns=round(config.dedup_window_s * NANOS_PER_SECOND),
        quiet_hours=quiet_hours,
        escalation=EscalationPolicy(
            after_ns=round(config.escalate_after_s * NANOS_PER_SECOND),
            max_reminders=config.max_reminders,
        ),
        directory=instrument_directory(registry or default_registry()),
    )
    return Notifications(service=service, console=console_notifier)


def parse_quiet_hours(text: str | None, time_zone: str) -> QuietHours | None:
    """``"22:00-07:00"`` in ``time_zone`` as ``QuietHours``; ``None`` for no quiet hours."""
    if text is None:
        return None
    try:
        start, end = (time.fromisoformat(part) for part in text.split("-"))
        return QuietHours(start=start, end=end, time_zone=time_zone)
    except ValueError as exc:
        raise ConfigurationError(
            f"notifications.quiet_hours {text!r} in {time_zone!r}: {exc}; write it as "
            "HH:MM-HH:MM, e.g. 22:00-07:00, with an IANA time zone such as Asia/Seoul"
        ) from None


def instrument_directory(registry: InstrumentRegistry) -> dict[InstrumentId, InstrumentLabel]:
    """Names and quote currencies of every instrument the registry knows."""
    return {
        spec.id: InstrumentLabel(name=spec.name, currency=spec.quote_currency) for spec in registry
    }


async def attach_notifications(service: NotificationService, bus: EventBus) -> list[Subscription]:
    """Subscribe ``service`` to the notified topics and acknowledgements on ``bus``."""

    async def notify(message: Message) -> None:
        for event in await service.handle(message):
            await bus.publish(event)

    async def acknowledge(message: Message) -> None:
        if isinstance(message, AcknowledgeNotification):
            await service.acknowledge(message)

    subscriptions = [
        await bus.subscribe(topic, notify, name=f"notifications.{topic}") for topic in NOTIFY_TOPICS
    ]
    subscriptions.append(await bus.subscribe(ACK_TOPIC, acknowledge, name="notifications.acks"))
    return subscriptions


async def run_escalations(
    service: NotificationService, bus: EventBus, *, every_s: float = 15.0
) -> None:
    """Look for due reminders every ``every_s`` seconds until cancelled (whether one is
    due is judged on the service's clock)."""
    while True:
        for event in await service.escalate():
            await bus.publish(event)
        await asyncio.sleep(every_s)


@asynccontextmanager
async def notifying(
    config: NotificationsConfig,
    bus: EventBus,
    *,
    clock: Clock,
    console: Console | None = None,
    quiet_console: bool = False,
) -> AsyncIterator[Notifications]:
    """Notifications attached to a started ``bus`` with escalation running, for one run."""
    wired = build_notifications(config, clock=clock, console=console, quiet_console=quiet_console)
    await attach_notifications(wired.service, bus)
    escalations = asyncio.create_task(run_escalations(wired.service, bus))
    try:
        yield wired
    finally:
        escalations.cancel()
        await asyncio.gather(escalations, return_exceptions=True)
