from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.notifications.domain import formatting as fmt
from jts.contexts.notifications.domain.templates import render
from jts.messages.enums import HealthStatus, Severity
from jts.messages.notifications import Category
from jts.shared_kernel.identifiers import InstrumentId
from tests.unit.contexts.notifications.builders import (
    BTC_USDT,
    DIRECTORY,
    breach,
    denial,
    fill,
    health,
    stale,
)
from tests.unit.messages.samples import sample_bar


def test_krx_fill_reads_in_won_with_thousands_separators_and_the_korean_name() -> None:
    message = fill()

    n = render(message, DIRECTORY)

    assert n is not None
    assert n.title == "Filled BUY 10 삼성전자 (005930.KRX)"
    assert n.body == ("10 @ 71,500 KRW = 715,000 KRW, fees 107 KRW (golden_cross, order JTS-1)")
    assert (n.severity, n.category) == (Severity.INFO, Category.FILL)
    assert n.dedup_key == "fill:JTS-1:T1"
    assert (n.id, n.correlation_id, n.ts_ns) == (message.id, message.correlation(), 1)


def test_crypto_fill_keeps_its_decimals() -> None:
    message = fill(
        instrument_id=BTC_USDT,
        qty="0.00150000",
        price="97123.45",
        commission="0.00000150",
        currency="BTC",
    )

    n = render(message, DIRECTORY)

    assert n is not None
    assert n.title == "Filled BUY 0.00150000 BTC/USDT (BTCUSDT.BINANCE)"
    assert n.body == (
        "0.00150000 @ 97,123.45 USDT = 145.6851750000 USDT, fees 0.00000150 BTC "
        "(golden_cross, order JTS-1)"
    )


def test_risk_denial_names_rule_reason_and_order() -> None:
    n = render(denial(), DIRECTORY)

    assert n is not None
    assert n.title == "Order denied by risk: 삼성전자 (005930.KRX)"
    assert n.body == (
        "max_order_notional: notional 12,000,000 KRW exceeds 10,000,000 KRW (order JTS-2)"
    )
    assert (n.severity, n.category) == (Severity.WARNING, Category.ORDER)
    assert n.dedup_key == "denied:005930.KRX:max_order_notional"


def test_limit_breach_is_critical() -> None:
    n = render(breach(), DIRECTORY)

    assert n is not None
    assert n.severity is Severity.CRITICAL
    assert n.title == "Limit breached: max_drawdown (portfolio)"
    assert (
        n.body == "0.1623 against a limit of 0.15; action: kill switch: flatten and stop new orders"
    )


def test_unknown_instrument_falls_back_to_its_id_and_venue_currency() -> None:
    n = render(fill(), {})

    assert n is not None
    assert n.title == "Filled BUY 10 005930.KRX"
    assert "71,500 KRW" in n.body


def test_feed_stale_says_how_long_ago_data_was_seen() -> None:
    n = render(stale(ts=200_000_000_000), DIRECTORY)

    assert n is not None
    assert n.body == "NO_DATA, last data 1m30s ago"
    assert (n.severity, n.category) == (Severity.WARNING, Category.FEED)


def test_only_down_health_reports_are_notified() -> None:
    down = render(health(HealthStatus.DOWN), DIRECTORY)

    assert down is not None
    assert down.severity is Severity.CRITICAL
    assert down.title == "binance.feed is DOWN"
    assert render(health(HealthStatus.DEGRADED), DIRECTORY) is None
    assert render(health(HealthStatus.OK), DIRECTORY) is None


def test_messages_nobody_needs_to_hear_about_render_nothing() -> None:
    assert render(sample_bar(), DIRECTORY) is None


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4))
def test_krw_amounts_have_no_decimals_and_read_back_to_the_won(value: Decimal) -> None:
    text = fmt.amount(value, "KRW")

    assert "." not in text
    assert Decimal(text.replace(",", "")) == value.quantize(Decimal(1))


@given(st.decimals(min_value=0, max_value=10**9, places=8))
def test_other_amounts_keep_every_digit(value: Decimal) -> None:
    text = fmt.amount(value, "USDT")

    assert Decimal(text.replace(",", "")).as_tuple() == value.as_tuple()


def test_currency_is_guessed_from_the_symbol_when_the_directory_lacks_it() -> None:
    assert fmt.currency_of(InstrumentId.parse("ETH-KRW.UPBIT"), {}) == "KRW"
    assert fmt.currency_of(InstrumentId.parse("ETHUSDT.BINANCE"), {}) == "USDT"
    assert fmt.currency_of(InstrumentId.parse("XYZ.OTHER"), {}) is None
    assert fmt.money(Decimal("1.50"), None) == "1.50"
