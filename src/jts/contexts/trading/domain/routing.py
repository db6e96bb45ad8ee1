"""Routing rules: which broker gets an order, decided from data about each candidate.

A candidate is eligible when its capabilities cover the order (venue, order type, time in
force, fractional quantity) and it is healthy (circuit closed). A pinned order
(``SubmitOrder.broker``) goes to that broker or nowhere. Eligible candidates are ranked by:

1. rate-limit headroom at or above ``min_headroom`` first (a broker about to throttle is used
   only when every other one is too);
2. lower fees (``BrokerCapabilities.fee_bps``);
3. among brokers short of headroom, the one with more;
4. configured preference (the order the brokers were given in).

The first is chosen; the rest are the failover list, in order. When nothing is eligible the
answer is ``NoRoute`` with one reason per broker, fit to put in an ``OrderDenied``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import msgspec

from jts.contexts.trading.domain.venue_reports import BrokerCapabilities
from jts.messages.trading import SubmitOrder

ROUTING_RULE = "trading.routing"


class RouteCandidate(msgspec.Struct, frozen=True, kw_only=True):
    broker: str
    capabilities: BrokerCapabilities
    healthy: bool = True
    headroom: float = 1.0  # free fraction of the tightest rate limit, 0..1
    preference: int = 0  # lower is preferred


class RoutingRules(msgspec.Struct, frozen=True, kw_only=True):
    min_headroom: float = 0.1


class RouteDecision(msgspec.Struct, frozen=True, kw_only=True):
    broker: str
    alternatives: tuple[str, ...] = ()


class NoRoute(msgspec.Struct, frozen=True, kw_only=True):
    reasons: dict[str, str]

    def describe(self, command: SubmitOrder) -> str:
        if not self.reasons:
            return f"no broker is configured for {command.instrument_id}"
        detail = "; ".join(f"{broker}: {why}" for broker, why in sorted(self.reasons.items()))
        return f"no broker can take {command.order_type} {command.instrument_id}: {detail}"


def unsupported_reason(command: SubmitOrder, capabilities: BrokerCapabilities) -> str | None:
    """Why a broker with ``capabilities`` cannot take ``command``, or ``None`` if it can."""
    venue = command.instrument_id.venue
    if venue not in capabilities.venues:
        return f"does not trade on {venue}"
    if command.order_type not in capabilities.order_types:
        return f"does not take {command.order_type} orders"
    if command.time_in_force not in capabilities.time_in_force:
        return f"does not support time in force {command.time_in_force}"
    if not capabilities.fractional_quantity and command.quantity != command.quantity.to_integral():
        return f"takes whole quantities only, not {command.quantity}"
    return None


def choose_broker(
    command: SubmitOrder, candidates: Sequence[RouteCandidate], rules: RoutingRules
) -> RouteDecision | NoRoute:
    """The broker for ``command`` and its failover list, or why there is none."""
    if command.broker is not None:
        candidates = [c for c in candidates if c.broker == command.broker]
        if not candidates:
            return NoRoute(reasons={command.broker: "pinned by the order but not configured"})
    reasons: dict[str, str] = {}
    eligible: list[RouteCandidate] = []
    for candidate in candidates:
        why = unsupported_reason(command, candidate.capabilities)
        if why is None and not candidate.healthy:
            why = "unhealthy (circuit open or session down)"
        if why is None:
            eligible.append(candidate)
        else:
            reasons[candidate.broker] = why
    if not eligible:
        return NoRoute(reasons=reasons)
    ranked = sorted(eligible, key=lambda c: _rank(c, rules))
    return RouteDecision(broker=ranked[0].broker, alternatives=tuple(c.broker for c in ranked[1:]))


def _rank(candidate: RouteCandidate, rules: RoutingRules) -> tuple[bool, Decimal, float, int]:
    short = candidate.headroom < rules.min_headroom
    return (
        short,
        candidate.capabilities.fee_bps,
        -candidate.headroom if short else 0.0,
        candidate.preference,
    )
