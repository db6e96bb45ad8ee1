"""Portfolio: cash per currency from fills, equity in KRW with FX, position snapshots."""

from __future__ import annotations

import pytest

from jts.contexts.portfolio.domain.execution import execution_of
from jts.contexts.portfolio.domain.fx import FxRates
from jts.contexts.portfolio.domain.portfolio import Portfolio
from jts.shared_kernel.errors import DataError
from tests.unit.contexts.portfolio.fills import BTC_KRW, BTC_USDT, BUY, SAMSUNG, SELL, D, fill

RATES = FxRates("KRW", {"USDT": D("1350")})


def _portfolio() -> Portfolio:
    return Portfolio(cash={"KRW": D(10_000_000), "USDT": D(10_000)})


def test_fills_move_cash_in_the_quote_currency() -> None:
    portfolio = _portfolio()
    portfolio.apply_fill(fill(SAMSUNG, BUY, 10, 70_000, commission=105), SAMSUNG)
    portfolio.apply_fill(fill(SAMSUNG, SELL, 10, 71_000, commission=106, tax=1_278), SAMSUNG)

    assert portfolio.cash("KRW") == 10_000_000 - 700_105 + 710_000 - 106 - 1_278
    assert portfolio.cash("USDT") == 10_000
    assert portfolio.held_quantity(SAMSUNG.id) == 0


def test_equity_counts_every_currency_and_position_in_krw() -> None:
    portfolio = _portfolio()
    portfolio.apply_fill(fill(SAMSUNG, BUY, 10, 70_000, commission=105), SAMSUNG)
    portfolio.apply_fill(
        fill(BTC_USDT, BUY, "0.1", "40000", commission="0.0001", currency="BTC"), BTC_USDT
    )
    marks = {SAMSUNG.id: D(72_000), BTC_USDT.id: D(41_000)}

    equity = portfolio.equity(marks, RATES)

    krw = 10_000_000 - 700_105 + 10 * 72_000
    usdt = 10_000 - 4_000 + D("0.0999") * 41_000
    assert equity == krw + usdt * 1350


def test_equity_without_a_rate_for_a_held_currency_says_which() -> None:
    portfolio = _portfolio()
    with pytest.raises(DataError, match="no FX rate for USDT in KRW"):
        portfolio.equity({}, FxRates("KRW"))


def test_equity_without_a_mark_for_a_holding_says_which() -> None:
    portfolio = Portfolio(cash={"KRW": D(1_000_000)})
    portfolio.apply_fill(fill(BTC_KRW, BUY, "0.01", "60000000", commission=300), BTC_KRW)
    with pytest.raises(DataError, match=r"BTC-KRW\.UPBIT"):
        portfolio.equity({}, RATES)


def test_snapshot_of_an_open_position_and_none_when_flat() -> None:
    portfolio = _portfolio()
    assert portfolio.snapshot(SAMSUNG.id, D(70_000)) is None
    portfolio.apply_fill(fill(SAMSUNG, BUY, 10, 70_000, commission=105), SAMSUNG)

    snapshot = portfolio.snapshot(SAMSUNG.id, D(71_000))

    assert snapshot is not None
    assert (snapshot.quantity, snapshot.average_price, snapshot.market_price) == (
        10,
        70_000,
        71_000,
    )
    assert snapshot.unrealized_pnl == 10_000 - 105
    assert snapshot.realized_pnl == 0
    assert snapshot.currency == "KRW"


def test_deposits_and_withdrawals_never_overdraw() -> None:
    portfolio = _portfolio()
    portfolio.deposit("USDT", D(-4_000))
    portfolio.deposit("KRW", D(5_400_000))
    assert portfolio.balances == {"KRW": D(15_400_000), "USDT": D(6_000)}
    with pytest.raises(DataError, match="not enough cash"):
        portfolio.deposit("USDT", D(-6_001))


def test_starting_cash_must_not_be_negative() -> None:
    with pytest.raises(DataError, match="must be zero or more"):
        Portfolio(cash={"KRW": D(-1)})


def test_a_commission_in_a_third_currency_is_refused() -> None:
    with pytest.raises(DataError, match="BNB cannot be valued"):
        execution_of(
            fill(BTC_USDT, BUY, "0.1", "40000", commission="0.01", currency="BNB"), BTC_USDT
        )


def test_a_fill_booked_with_another_spec_is_refused() -> None:
    with pytest.raises(DataError, match="booked with the spec"):
        _portfolio().apply_fill(fill(SAMSUNG, BUY, 1, 70_000), BTC_USDT)


def test_fx_rates_refuse_nonsense() -> None:
    rates = FxRates("KRW")
    with pytest.raises(DataError, match="must be positive"):
        rates.set("USDT", D(0))
    with pytest.raises(DataError, match="worth 1"):
        rates.set("KRW", D(2))
    rates.set("USDT", D(1_400))
    assert rates.to_base(D(2), "USDT") == 2_800
    assert "USDT" in rates
    assert "KRW" in rates
    assert "EUR" not in rates
