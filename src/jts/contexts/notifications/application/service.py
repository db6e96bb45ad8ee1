"""The notifications use cases: tell people about events, acknowledge, escalate.

``NotificationService.handle`` is the handler the live node connects to the bus for every
type in ``NOTIFIED_TYPES`` (topics in ``NOTIFY_TOPICS``); ``acknowledge`` takes
``AcknowledgeNotification`` (``ACK_TOPIC``); ``escalate`` is called every few seconds to
send due reminders. Each returns the ``NotificationSent`` events it caused, for the
caller to publish on ``notifications.outbox``.

One message goes: template -> de-duplication -> routing rules -> channels that have a
notifier -> quiet hours -> notifiers; CRITICAL ones are then watched for escalation.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from jts.contexts.notifications.application.ports import Notifier
from jts.contexts.notifications.domain.dedup import Deduplicator
from jts.contexts.notifications.domain.escalation import EscalationPolicy, Escalator
from jts.contexts.notifications.domain.formatting import Directory
from jts.contexts.notifications.domain.model import Notification
from jts.contexts.notifications.domain.quiet_hours import QuietHours
from jts.contexts.notifications.domain.routing import DEFAULT_RULES, RoutingRule, route
from jts.contexts.notifications.domain.templates import render
from jts.messages.base import Message
from jts.messages.notifications import AcknowledgeNotification, Channel, NotificationSent
from jts.shared_kernel.clock import NANOS_PER_SECOND, Clock

NOTIFY_TOPICS = (
    "orders.executions",
    "orders.failures",
    "risk.alerts",
    "risk.limits",
    "market-data.feed-health",
    "market-data.surges",
    "system.errors",
    "system.health",
    "portfolio.performance",
)
ACK_TOPIC = "notifications.acks"
DEFAULT_DEDUP_WINDOW_NS = 300 * NANOS_PER_SECOND
DEFAULT_ESCALATION = EscalationPolicy(after_ns=600 * NANOS_PER_SECOND)


@dataclass(slots=True)
class NotificationStats:
    """What the service did since it started."""

    notified: int = 0  # messages that became notifications
    held: int = 0  # held back by de-duplication
    silenced: int = 0  # channel sendings skipped for quiet hours
    sent: int = 0  # channel sendings delivered
    failed: int = 0  # channel sendings whose notifier raised
    reminders: int = 0  # escalation re-sends


class NotificationService:
    """Turns events into notifications and hands them to the notifiers of their channels."""

    def __init__(
        self,
        *,
        notifiers: Mapping[Channel, Notifier],
        clock: Clock,
        rules: Iterable[RoutingRule] = DEFAULT_RULES,
        dedup_window_ns: int = DEFAULT_DEDUP_WINDOW_NS,
        quiet_hours: QuietHours | None = None,
        escalation: EscalationPolicy = DEFAULT_ESCALATION,
        directory: Directory | None = None,
    ) -> None:
        self._notifiers = dict(notifiers)
        self._clock = clock
        self._rules = tuple(rules)
        self._dedup = Deduplicator(dedup_window_ns)
        self._quiet = quiet_hours
        ladder = tuple(c for c in escalation.ladder if c in self._notifiers)
        self._escalator = Escalator(
            EscalationPolicy(
                after_ns=escalation.after_ns,
                ladder=ladder,
                max_reminders=escalation.max_reminders,
            )
        )
        self._directory: Directory = directory if directory is not None else {}
        self.stats = NotificationStats()

    @property
    def channels(self) -> tuple[Channel, ...]:
        """The channels that have a notifier."""
        return tuple(self._notifiers)

    @property
    def awaiting_acknowledgement(self) -> frozenset[uuid.UUID]:
        """Ids of CRITICAL notifications still escalating."""
        return self._escalator.open_ids

    async def handle(self, message: Message) -> list[NotificationSent]:
        """Notify about ``message`` if it is worth it; the events of what was sent."""
        notification = render(message, self._directory)
        if notification is None:
            return []
        self.stats.notified += 1
        now = self._clock.now_ns()
        admitted = self._dedup.admit(notification, now)
        if admitted is None:
            self.stats.held += 1
            return []
        channels = self._open_channels(admitted, now)
        events = [await self._deliver(admitted, channel) for channel in channels]
        delivered = tuple(e.channel for e in events if e.delivered)
        self._escalator.track(admitted, delivered, now)
        return events

    async def acknowledge(self, command: AcknowledgeNotification) -> bool:
        """Stop escalating a notification; False if it was not escalating."""
        return self._escalator.acknowledge(command.notification_id)

    async def escalate(self) -> list[NotificationSent]:
        """Send every reminder due now."""
        events = []
        for reminder in self._escalator.due(self._clock.now_ns()):
            self.stats.reminders += 1
            events.append(await self._deliver(reminder.notification, reminder.channel))
        return events

    def _open_channels(self, notification: Notification, now_ns: int) -> list[Channel]:
        channels = []
        for channel in route(notification, self._rules):
            if channel not in self._notifiers:
                continue
            if self._quiet is not None and self._quiet.silences(
                channel, notification.severity, now_ns
            ):
                self.stats.silenced += 1
                continue
            channels.append(channel)
        return channels

    async def _deliver(self, notification: Notification, channel: Channel) -> NotificationSent:
        error = ""
        try:
            await self._notifiers[channel].send(notification)
        except Exception as exc:  # one failing channel must not silence the others
            error = f"{type(exc).__name__}: {exc}"
        if error:
            self.stats.failed += 1
        else:
            self.stats.sent += 1
        return _sent_event(notification, channel, error, self._clock.now_ns())


def _sent_event(
    notification: Notification, channel: Channel, error: str, now_ns: int
) -> NotificationSent:
    return NotificationSent(
        notification_id=notification.id,
        correlation_id=notification.correlation_id,
        ts_event=now_ns,
        ts_init=now_ns,
        channel=channel,
        severity=notification.severity,
        category=notification.category,
        title=notification.headline(),
        body=notification.body,
        dedup_key=notification.dedup_key,
        source_id=notification.id,
        repeats=notification.repeats,
        escalation=notification.reminder,
        delivered=not error,
        error=error,
    )
