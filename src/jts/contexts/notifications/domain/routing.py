"""Routing rules: data that says which channels a notification goes to.

A rule matches on category (none listed: any) and a minimum severity; a notification goes
to the union of the channels of every rule it matches. The default rules send everything
to the console, fills and refused orders also as push, risk warnings also by e-mail,
operator trouble (system, feeds) by e-mail, and anything CRITICAL to every channel.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from jts.contexts.notifications.domain.model import CHANNEL_ORDER, Notification, at_least
from jts.messages.enums import Severity
from jts.messages.notifications import Category, Channel


class RoutingRule(msgspec.Struct, frozen=True, kw_only=True):
    channels: frozenset[Channel]
    categories: frozenset[Category] = frozenset()
    min_severity: Severity = Severity.INFO

    def matches(self, notification: Notification) -> bool:
        in_category = not self.categories or notification.category in self.categories
        return in_category and at_least(notification.severity, self.min_severity)


DEFAULT_RULES: tuple[RoutingRule, ...] = (
    RoutingRule(channels=frozenset({Channel.CONSOLE})),
    RoutingRule(channels=frozenset({Channel.PUSH}), categories=frozenset({Category.FILL})),
    RoutingRule(channels=frozenset({Channel.PUSH}), categories=frozenset({Category.ORDER})),
    RoutingRule(
        channels=frozenset({Channel.PUSH, Channel.EMAIL}),
        categories=frozenset({Category.RISK}),
        min_severity=Severity.WARNING,
    ),
    RoutingRule(
        channels=frozenset({Channel.EMAIL}),
        categories=frozenset({Category.SYSTEM, Category.FEED}),
        min_severity=Severity.WARNING,
    ),
    RoutingRule(channels=frozenset(Channel), min_severity=Severity.CRITICAL),
)


def route(notification: Notification, rules: Iterable[RoutingRule]) -> tuple[Channel, ...]:
    """The channels ``notification`` goes to, least intrusive first."""
    chosen: set[Channel] = set()
    for rule in rules:
        if rule.matches(notification):
            chosen |= rule.channels
    return tuple(c for c in CHANNEL_ORDER if c in chosen)
