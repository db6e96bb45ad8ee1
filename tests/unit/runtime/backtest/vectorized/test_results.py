"""Round trips from fills (``results.TradeBook``), shared by both engines."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from jts.messages.enums import Direction, LiquiditySide, OrderSide
from jts.runtime.backtest.results import BacktestResult, Fill, TradeBook, trades_from_fills
from tests.unit.runtime.backtest.vectorized.builders import BTC_USDT, SAMSUNG

D = Decimal
SPECS = {SAMSUNG.id: SAMSUNG, BTC_USDT.id: BTC_USDT}


def fill(
    instrument: object,
    side: OrderSide,
    quantity: str,
    price: str,
    commission: str,
    ts: int,
    *,
    tax: str = "0",
    currency: str | None = None,
    reason: str = "",
) -> Fill:
    spec = SPECS[instrument.id]  # type: ignore[attr-defined]
    return Fill(
        instrument_id=spec.id,
        side=side,
        quantity=D(quantity),
        price=D(price),
        commission=D(commission),
        commission_currency=currency or spec.quote_currency,
        tax=D(tax),
        liquidity=LiquiditySide.TAKER,
        ts_ns=ts,
        reason=reason,
    )


def test_a_krx_round_trip_nets_commissions_and_tax() -> None:
    fills = [
        fill(SAMSUNG, OrderSide.BUY, "10", "70000", "105", 1),
        fill(SAMSUNG, OrderSide.SELL, "10", "77000", "115", 2, tax="1540", reason="exit"),
    ]

    [trade] = trades_from_fills(fills, SPECS)

    assert trade.direction is Direction.LONG
    assert (trade.quantity, trade.entry_price, trade.exit_price) == (D(10), D(70000), D(77000))
    assert trade.fees == D(105 + 115 + 1540)
    assert trade.pnl == D(770000 - 115 - 1540 - 700000 - 105)
    assert (trade.entry_ts_ns, trade.exit_ts_ns, trade.exit_reason) == (1, 2, "exit")


def test_partial_fills_average_their_prices() -> None:
    fills = [
        fill(SAMSUNG, OrderSide.BUY, "3", "1000", "0", 1),
        fill(SAMSUNG, OrderSide.BUY, "1", "1100", "0", 2),
        fill(SAMSUNG, OrderSide.SELL, "2", "1200", "0", 3),
        fill(SAMSUNG, OrderSide.SELL, "2", "1300", "0", 4),
    ]

    [trade] = trades_from_fills(fills, SPECS)

    assert trade.entry_price == D(4100) / 4
    assert trade.exit_price == D(1250)
    assert (trade.entry_ts_ns, trade.exit_ts_ns) == (1, 4)
    assert trade.pnl == D(5000 - 4100)


def test_a_base_asset_fee_costs_the_units_it_took() -> None:
    fills = [
        fill(BTC_USDT, OrderSide.BUY, "1.00000", "100", "0.001", 1, currency="BTC"),
        fill(BTC_USDT, OrderSide.SELL, "0.99900", "110", "0.10989", 2),
    ]

    [trade] = trades_from_fills(fills, SPECS)

    assert trade.pnl == D("109.89") - D("0.10989") - D(100)
    assert trade.fees == D("0.1") + D("0.10989")
    assert trade.currency == "USDT"


def test_dust_under_a_lot_closes_the_trade_and_joins_the_next() -> None:
    book = TradeBook(SPECS)
    book.add(fill(BTC_USDT, OrderSide.BUY, "0.12345", "100", "0.00012345", 1, currency="BTC"))
    closed = book.add(fill(BTC_USDT, OrderSide.SELL, "0.12332", "100", "0", 2))
    book.add(fill(BTC_USDT, OrderSide.BUY, "0.00010", "100", "0", 3, currency="BTC"))

    assert closed is not None
    assert book.open_quantity(BTC_USDT.id) == D("0.00000655") + D("0.00010")


def test_selling_without_a_position_is_refused() -> None:
    with pytest.raises(ValueError, match="never sell short"):
        trades_from_fills([fill(SAMSUNG, OrderSide.SELL, "1", "100", "0", 1)], SPECS)


def test_closed_trades_are_converted_to_the_base_currency() -> None:
    fills = [
        fill(BTC_USDT, OrderSide.BUY, "1", "100", "0", 1),
        fill(BTC_USDT, OrderSide.SELL, "1", "110", "0.11", 2),
    ]
    trades = trades_from_fills(fills, SPECS, fx_rates=[D(1300), D(1350)])
    result = BacktestResult(
        strategy="s",
        parameters={},
        engine="test",
        base_currency="KRW",
        initial_equity=D(0),
        final_equity=D(0),
        fills=tuple(fills),
        trades=tuple(trades),
        positions=(),
        balances={},
        equity_ts_ns=np.array([1, 2], dtype=np.int64),
        equity=np.array([1.0, 1.0]),
    )

    [closed] = result.closed_trades()

    assert closed.pnl == D("9.89") * 1350
    assert result.total_pnl == D("9.89") * 1350


def test_an_equity_curve_needs_as_many_times_as_values() -> None:
    with pytest.raises(ValueError, match="equity curve"):
        BacktestResult(
            strategy="s",
            parameters={},
            engine="test",
            base_currency="KRW",
            initial_equity=D(0),
            final_equity=D(0),
            fills=(),
            trades=(),
            positions=(),
            balances={},
            equity_ts_ns=np.array([1], dtype=np.int64),
            equity=np.array([1.0, 2.0]),
        )
