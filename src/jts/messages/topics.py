"""The topic registry: which topic each message type is published on, its ordering key,
and each topic's retention (the seed's Kafka topic plan).

Market data topics depend on the venue (``market-data.krx.*`` for KRX and NXT,
``market-data.crypto.*`` otherwise); signal topics depend on the signal's direction.
Every other type has one fixed topic. The ordering key (instrument, order or strategy)
is what per-key ordering on the bus preserves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from jts.messages import market_data, notifications, portfolio, risk, strategy, system, trading
from jts.messages.base import Message
from jts.messages.enums import Direction

_HOUR_MS = 3_600_000
_DAY_MS = 24 * _HOUR_MS


@dataclass(frozen=True)
class Topic:
    name: str
    retention_ms: int
    description: str


TOPICS: dict[str, Topic] = {
    t.name: t
    for t in (
        Topic("market-data.krx.ticks", 1 * _DAY_MS, "KRX quote and trade ticks"),
        Topic("market-data.krx.candles", 30 * _DAY_MS, "KRX bars, every timeframe"),
        Topic("market-data.krx.orderbook", 6 * _HOUR_MS, "KRX order book snapshots"),
        Topic("market-data.crypto.ticks", 1 * _DAY_MS, "crypto quote and trade ticks"),
        Topic("market-data.crypto.candles", 30 * _DAY_MS, "crypto bars, every timeframe"),
        Topic("market-data.crypto.orderbook", 6 * _HOUR_MS, "crypto order book snapshots"),
        Topic("market-data.surges", 7 * _DAY_MS, "surges detected on any venue"),
        Topic("market-data.feed-health", 7 * _DAY_MS, "feeds going stale and recovering"),
        Topic("signals.entry.buy", 7 * _DAY_MS, "entries into long positions"),
        Topic("signals.entry.sell", 7 * _DAY_MS, "entries into short positions"),
        Topic("signals.exit.all", 7 * _DAY_MS, "exits of any position"),
        Topic("orders.pending", 7 * _DAY_MS, "order commands waiting to execute"),
        Topic("orders.executions", 90 * _DAY_MS, "order life-cycle events and fills"),
        Topic("orders.failures", 90 * _DAY_MS, "orders refused by risk or by a venue"),
        Topic("portfolio.updates", 30 * _DAY_MS, "positions, cash and equity"),
        Topic("portfolio.performance", 90 * _DAY_MS, "performance on live equity"),
        Topic("risk.alerts", 90 * _DAY_MS, "risk alerts"),
        Topic("risk.metrics", 30 * _DAY_MS, "VaR, CVaR, drawdown, exposure"),
        Topic("risk.limits", 90 * _DAY_MS, "limit breaches and the action taken"),
        Topic("system.health", 1 * _DAY_MS, "component health"),
        Topic("system.errors", 30 * _DAY_MS, "errors for operators"),
        Topic("system.metrics", 7 * _DAY_MS, "component metrics"),
        Topic("notifications.outbox", 30 * _DAY_MS, "notifications sent, one per channel"),
        Topic("notifications.acks", 30 * _DAY_MS, "notifications acknowledged by a person"),
    )
}

_KRX_VENUES = frozenset({"KRX", "NXT"})


def _market_data(kind: str) -> Callable[[Any], str]:
    def topic(message: market_data.MarketDataEvent) -> str:
        group = "krx" if message.instrument_id.venue in _KRX_VENUES else "crypto"
        return f"market-data.{group}.{kind}"

    return topic


def _entry_topic(message: strategy.EntrySignalRaised) -> str:
    return "signals.entry.buy" if message.direction is Direction.LONG else "signals.entry.sell"


def _by_instrument(message: Any) -> str:
    return str(message.instrument_id)


def _by_order(message: Any) -> str:
    return str(message.client_order_id)


def _by_strategy(message: Any) -> str:
    return str(message.strategy_id)


def _by_account(message: Any) -> str:
    return str(message.account_id)


def _by_component(message: Any) -> str:
    return str(message.component)


def _by_rule(message: Any) -> str:
    return str(message.rule)


def _by_notification(message: Any) -> str:
    return str(message.notification_id)


def _by_type(message: Any) -> str:
    return str(type(message).type_tag())


@dataclass(frozen=True)
class Route:
    """Where one message type goes: a fixed topic or a rule, and its ordering key."""

    message_type: type[Message]
    topic: str | Callable[[Any], str]
    key: Callable[[Any], str]
    topics: tuple[str, ...]  # every topic this route can produce


def _route(
    message_type: type[Message],
    topic: str | Callable[[Any], str],
    key: Callable[[Any], str],
    *topics: str,
) -> Route:
    return Route(message_type, topic, key, topics or (str(topic),))


_MD_TICKS = ("market-data.krx.ticks", "market-data.crypto.ticks")
_MD_CANDLES = ("market-data.krx.candles", "market-data.crypto.candles")
_MD_BOOK = ("market-data.krx.orderbook", "market-data.crypto.orderbook")

ROUTES: dict[type[Message], Route] = {
    r.message_type: r
    for r in (
        _route(market_data.QuoteTick, _market_data("ticks"), _by_instrument, *_MD_TICKS),
        _route(market_data.TradeTick, _market_data("ticks"), _by_instrument, *_MD_TICKS),
        _route(market_data.Bar, _market_data("candles"), _by_instrument, *_MD_CANDLES),
        _route(market_data.OrderBookSnapshot, _market_data("orderbook"), _by_instrument, *_MD_BOOK),
        _route(market_data.SurgeDetected, "market-data.surges", _by_instrument),
        _route(market_data.FeedStale, "market-data.feed-health", _by_instrument),
        _route(market_data.FeedRecovered, "market-data.feed-health", _by_instrument),
        _route(
            strategy.EntrySignalRaised,
            _entry_topic,
            _by_strategy,
            "signals.entry.buy",
            "signals.entry.sell",
        ),
        _route(strategy.ExitSignalRaised, "signals.exit.all", _by_strategy),
        _route(trading.SubmitOrder, "orders.pending", _by_order),
        _route(trading.CancelOrder, "orders.pending", _by_order),
        _route(trading.ModifyOrder, "orders.pending", _by_order),
        _route(trading.OrderSubmitted, "orders.executions", _by_order),
        _route(trading.OrderAccepted, "orders.executions", _by_order),
        _route(trading.OrderFilled, "orders.executions", _by_order),
        _route(trading.OrderCanceled, "orders.executions", _by_order),
        _route(trading.OrderExpired, "orders.executions", _by_order),
        _route(trading.OrderPendingCancel, "orders.executions", _by_order),
        _route(trading.OrderPendingModify, "orders.executions", _by_order),
        _route(trading.OrderModified, "orders.executions", _by_order),
        _route(trading.OrderRejected, "orders.failures", _by_order),
        _route(trading.OrderCancelRejected, "orders.failures", _by_order),
        _route(trading.OrderModifyRejected, "orders.failures", _by_order),
        _route(trading.OrderDenied, "orders.failures", _by_order),
        _route(portfolio.PortfolioUpdated, "portfolio.updates", _by_account),
        _route(portfolio.PerformanceUpdated, "portfolio.performance", _by_account),
        _route(portfolio.DailyReportPublished, "portfolio.performance", _by_account),
        _route(risk.RiskAlertRaised, "risk.alerts", _by_rule),
        _route(risk.RiskMetricsUpdated, "risk.metrics", _by_type),
        _route(risk.RiskLimitBreached, "risk.limits", _by_rule),
        _route(system.HealthReported, "system.health", _by_component),
        _route(system.ErrorReported, "system.errors", _by_component),
        _route(system.MetricsReported, "system.metrics", _by_component),
        _route(notifications.NotificationSent, "notifications.outbox", _by_notification),
        _route(notifications.AcknowledgeNotification, "notifications.acks", _by_notification),
    )
}


def register(route: Route) -> None:
    """Add a route for a message type defined outside this package's first set."""
    unknown = [t for t in route.topics if t not in TOPICS]
    if unknown:
        raise ValueError(f"route for {route.message_type.__name__} names unknown topics {unknown}")
    ROUTES[route.message_type] = route


def route_of(message_type: type[Message]) -> Route:
    try:
        return ROUTES[message_type]
    except KeyError:
        raise LookupError(
            f"{message_type.__name__} has no topic; add a Route in jts.messages.topics"
        ) from None


def topic_of(message: Message) -> str:
    """The topic ``message`` is published on."""
    topic = route_of(type(message)).topic
    return topic if isinstance(topic, str) else topic(message)


def key_of(message: Message) -> str:
    """The ordering key: messages with the same key are delivered in publish order."""
    return route_of(type(message)).key(message)


def topic_matches(pattern: str, topic: str) -> bool:
    """Whether ``topic`` matches a subscription pattern such as ``market-data.*``.

    ``*`` matches any run of characters, dots included, so ``market-data.*`` takes every
    market data topic and ``orders.*`` every order topic.
    """
    return fnmatchcase(topic, pattern)


def message_types() -> tuple[type[Message], ...]:
    """Every routed message type (the union the codec decodes)."""
    return tuple(ROUTES)
