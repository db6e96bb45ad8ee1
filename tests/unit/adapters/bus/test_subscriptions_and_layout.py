from __future__ import annotations

import pytest

from jts.adapters.bus.redis_layout import DeliveryPolicy, StreamLayout, stream_id
from jts.adapters.bus.redis_streams import RedisStreamsEventBus
from jts.adapters.bus.subscriptions import key_hash, subscription_spec, topics_matching
from jts.messages.bus import Overflow


def test_wildcard_expands_to_the_registered_topics_it_matches() -> None:
    assert topics_matching("orders.*") == ("orders.executions", "orders.failures", "orders.pending")
    assert topics_matching("*.candles") == (
        "market-data.crypto.candles",
        "market-data.krx.candles",
    )
    assert topics_matching("risk.alerts") == ("risk.alerts",)


def test_pattern_matching_nothing_lists_the_known_topics() -> None:
    with pytest.raises(ValueError, match=r"'order\.\*' matches no topic.*orders\.pending"):
        topics_matching("order.*")


@pytest.mark.parametrize("name", ["", "-leading-dash", "has space", "a:b", "x" * 129])
def test_unusable_subscriber_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="subscriber name"):
        subscription_spec("orders.*", name=name, workers=1, queue_size=1, overflow=Overflow.BLOCK)


def test_spec_accepts_overflow_given_as_text() -> None:
    spec = subscription_spec(
        "orders.*",
        name="risk.gate-1",
        workers=2,
        queue_size=8,
        overflow="drop_oldest",  # type: ignore[arg-type]
    )

    assert spec.overflow is Overflow.DROP_OLDEST
    assert spec.workers == 2


def test_key_hash_is_the_same_in_every_process() -> None:
    assert key_hash("005930.KRX") == key_hash(b"005930.KRX") == 2_806_908_605  # CRC-32


def test_stream_ids_compare_by_time_then_sequence() -> None:
    assert stream_id(b"1700000000000-5") < stream_id("1700000000000-12")
    assert stream_id("1700000000001") > stream_id(b"1700000000000-99")


def test_layout_names_every_key_under_the_prefix() -> None:
    layout = StreamLayout("jts")

    assert layout.stream("orders.pending") == "jts:orders.pending"
    assert layout.done("risk-gate") == "jts:done:risk-gate"
    assert layout.inbox("bus1") == "jts:reply:bus1"
    assert layout.dead_letter == "jts:dead-letter"


def test_delivery_policy_refuses_non_positive_settings() -> None:
    with pytest.raises(ValueError, match="claim_idle_ms is 0"):
        DeliveryPolicy(claim_idle_ms=0)


def test_claims_are_checked_at_half_the_idle_limit_within_bounds() -> None:
    assert DeliveryPolicy(claim_idle_ms=300).claim_interval_s == 0.15
    assert DeliveryPolicy(claim_idle_ms=2).claim_interval_s == 0.01
    assert DeliveryPolicy(claim_idle_ms=60_000).claim_interval_s == 5.0


def test_redis_bus_refuses_a_non_positive_max_len() -> None:
    with pytest.raises(ValueError, match="max_len is 0"):
        RedisStreamsEventBus(max_len=0)
