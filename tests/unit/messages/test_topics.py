from decimal import Decimal

import pytest
from hypothesis import given

from jts.messages.base import Message
from jts.messages.enums import Direction
from jts.messages.strategy import EntrySignalRaised, ExitSignalRaised, Sizing, SizingKind
from jts.messages.topics import (
    ROUTES,
    TOPICS,
    Route,
    key_of,
    register,
    route_of,
    topic_matches,
    topic_of,
)
from jts.shared_kernel.identifiers import InstrumentId, StrategyId
from tests.message_strategies import any_message
from tests.unit.messages.samples import sample_bar, sample_fill, sample_order

SEED_TOPICS = {
    "market-data.krx.ticks", "market-data.krx.candles", "market-data.krx.orderbook",
    "signals.entry.buy", "signals.entry.sell", "signals.exit.all", "orders.pending",
    "orders.executions", "orders.failures", "portfolio.updates", "portfolio.performance",
    "risk.alerts", "risk.metrics", "risk.limits", "system.health", "system.errors",
    "system.metrics",
}  # fmt: skip


def test_registry_holds_every_seed_topic_with_a_retention() -> None:
    assert set(TOPICS) >= SEED_TOPICS
    assert {t for t in TOPICS if t.startswith("market-data.crypto.")} == {
        "market-data.crypto.ticks", "market-data.crypto.candles", "market-data.crypto.orderbook"
    }  # fmt: skip
    assert all(topic.retention_ms > 0 for topic in TOPICS.values())


@given(any_message)
def test_every_message_lands_on_a_declared_topic_with_a_key(message: Message) -> None:
    topic = topic_of(message)

    assert topic in TOPICS
    assert topic in route_of(type(message)).topics
    assert key_of(message)


def test_market_data_topics_follow_the_venue() -> None:
    assert topic_of(sample_bar()) == "market-data.krx.candles"
    crypto = sample_bar(instrument_id=InstrumentId.parse("BTC-KRW.UPBIT"))
    assert topic_of(crypto) == "market-data.crypto.candles"
    assert key_of(crypto) == "BTC-KRW.UPBIT"


def _entry(direction: Direction) -> EntrySignalRaised:
    return EntrySignalRaised(
        strategy_id=StrategyId("s"),
        instrument_id=InstrumentId.parse("005930.KRX"),
        direction=direction,
        reference_price=Decimal(1),
        sizing=Sizing(kind=SizingKind.QUANTITY, value=Decimal(1)),
        ts_event=0,
        ts_init=0,
    )


def test_signal_topics_follow_the_direction() -> None:
    assert topic_of(_entry(Direction.LONG)) == "signals.entry.buy"
    assert topic_of(_entry(Direction.SHORT)) == "signals.entry.sell"
    exit_ = ExitSignalRaised(
        strategy_id=StrategyId("s"),
        instrument_id=InstrumentId.parse("005930.KRX"),
        direction=Direction.LONG,
        ts_event=0,
        ts_init=0,
    )
    assert topic_of(exit_) == "signals.exit.all"


def test_order_messages_are_keyed_by_client_order_id() -> None:
    assert topic_of(sample_order()) == "orders.pending"
    assert topic_of(sample_fill()) == "orders.executions"
    assert key_of(sample_order()) == key_of(sample_fill()) == "JTS-1"


@pytest.mark.parametrize(
    ("pattern", "topic", "matches"),
    [
        ("market-data.*", "market-data.krx.ticks", True),
        ("market-data.krx.*", "market-data.crypto.ticks", False),
        ("orders.*", "orders.failures", True),
        ("*", "system.health", True),
        ("orders.executions", "orders.executions", True),
        ("orders.executions", "orders.failures", False),
    ],
)
def test_topic_patterns(pattern: str, topic: str, matches: bool) -> None:
    assert topic_matches(pattern, topic) is matches


def test_unrouted_type_and_unknown_topic_are_clear_errors() -> None:
    class Stray(Message, frozen=True, kw_only=True):
        pass

    with pytest.raises(LookupError, match="Stray has no topic"):
        topic_of(Stray(ts_init=0))
    with pytest.raises(ValueError, match="unknown topics"):
        register(Route(Stray, "nowhere", lambda m: "k", ("nowhere",)))
    assert Stray not in ROUTES
