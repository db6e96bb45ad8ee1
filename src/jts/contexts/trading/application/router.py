"""The smart order router: gathers each broker's health and rate-limit headroom through
ports and applies the routing rules (``jts.contexts.trading.domain.routing``).

Example: a KRX stock with brokers ``kis`` and ``creon`` both configured for KRX goes to the
cheaper one; if its circuit is open (``BrokerHealth``) or its request budget is nearly spent
(``RateLimitHeadroom``), to the other one.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from jts.contexts.trading.application.ports import BrokerHealth, RateLimitHeadroom
from jts.contexts.trading.domain.routing import (
    NoRoute,
    RouteCandidate,
    RouteDecision,
    RoutingRules,
    choose_broker,
    unsupported_reason,
)
from jts.contexts.trading.domain.venue_reports import BrokerCapabilities
from jts.messages.trading import SubmitOrder


class SmartOrderRouter:
    """Picks a broker per order; ``brokers`` maps name to capabilities in preference order."""

    def __init__(
        self,
        brokers: Mapping[str, BrokerCapabilities],
        *,
        health: BrokerHealth,
        headroom: RateLimitHeadroom | None = None,
        rules: RoutingRules | None = None,
    ) -> None:
        self._brokers = dict(brokers)
        self._preference = {name: rank for rank, name in enumerate(brokers)}
        self._health = health
        self._headroom = headroom
        self._rules = rules or RoutingRules()

    @property
    def brokers(self) -> Mapping[str, BrokerCapabilities]:
        return self._brokers

    async def route(
        self, command: SubmitOrder, *, exclude: Collection[str] = ()
    ) -> RouteDecision | NoRoute:
        """The broker for ``command`` and its failover list; ``exclude`` ones already tried."""
        candidates = []
        for name, capabilities in self._brokers.items():
            if name in exclude:
                continue
            candidates.append(await self._candidate(command, name, capabilities))
        decision = choose_broker(command, candidates, self._rules)
        if isinstance(decision, NoRoute) and exclude:
            tried = {name: "already tried for this order" for name in exclude}
            return NoRoute(reasons=tried | decision.reasons)
        return decision

    async def _candidate(
        self, command: SubmitOrder, name: str, capabilities: BrokerCapabilities
    ) -> RouteCandidate:
        headroom = 1.0
        could_take = command.broker in (None, name) and (
            unsupported_reason(command, capabilities) is None
        )
        if self._headroom is not None and could_take:
            headroom = await self._headroom.headroom(name)  # only asked when it can matter
        return RouteCandidate(
            broker=name,
            capabilities=capabilities,
            healthy=self._health.is_healthy(name),
            headroom=headroom,
            preference=self._preference[name],
        )
