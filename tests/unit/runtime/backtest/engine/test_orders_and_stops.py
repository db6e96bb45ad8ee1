"""The event engine's trading: next-open fills, stops, take-profits, trailing stops, ttl."""

from __future__ import annotations

from tests.unit.runtime.backtest.engine.builders import D, M, backtest, ts

ENTER_EXIT = """entry long when close > 60.5 * 1000000
exit long when close < 59.5 * 1000000"""


def test_market_orders_fill_at_the_next_bars_open_and_pay_fees() -> None:
    rows = [
        (60, 60, 60, 60),
        (60, 61, 60, 61),  # entry fires at this close
        (61.2, 61.5, 61, 61.3),  # ... and fills at this open
        (61.3, 61.3, 60, 60.2),
        (60, 60, 59, 59),  # exit fires
        (58.9, 59, 58.5, 58.7),  # ... and fills here
    ]
    result = backtest(ENTER_EXIT, rows)

    (trade,) = result.trades
    assert (trade.entry_price, trade.exit_price, trade.quantity) == (
        61_200_000,
        58_900_000,
        D("0.1"),
    )
    assert (trade.entry_ts_ns, trade.exit_ts_ns) == (ts(2), ts(5))
    fees = D("0.0005") * (6_120_000 + 5_890_000)
    assert trade.fees == fees
    assert trade.pnl == 5_890_000 - 6_120_000 - fees
    assert trade.exit_reason == "exit"
    assert result.final_equity == result.initial_equity + trade.pnl
    assert result.balances["KRW"] == result.final_equity
    assert result.positions == ()


def test_stop_loss_sells_at_the_trigger_from_the_bar_after_the_entry() -> None:
    rows = [
        (60, 60, 60, 60),
        (60, 61, 60, 61),  # entry: stop at 61 x 0.98 = 59.78
        (61, 61.5, 59, 61.2),  # entry fills at 61; its own bar does not stop it
        (60.5, 60.6, 59.5, 60),  # low 59.5 <= 59.78: stopped at 59.78
        (60, 62, 60, 62),
    ]
    result = backtest(ENTER_EXIT + "\nstop_loss 2%", rows)

    (trade,) = result.trades
    assert trade.exit_price == D("59.78") * M
    assert trade.exit_ts_ns == ts(3)
    assert trade.exit_reason == "stop_loss"


def test_a_bar_that_opens_through_the_stop_fills_at_the_open() -> None:
    rows = [(60, 60, 60, 60), (60, 61, 60, 61), (61, 61.5, 60.5, 61.2), (59, 59.5, 58, 59.2)]
    result = backtest(ENTER_EXIT + "\nstop_loss 2%", rows)
    assert result.trades[0].exit_price == 59 * M


def test_take_profit_fills_through_its_limit_and_cancels_the_stop() -> None:
    rows = [
        (60, 60, 60, 60),
        (60, 61, 60, 61),  # take profit at 61 x 1.03 = 62.83
        (61, 61.5, 60.8, 61.2),
        (61.2, 63, 60.2, 60.3),  # high 63 > 62.83: filled at 62.83
        (62.9, 63, 50, 55),  # the stop would have fired here had it not been canceled
    ]
    result = backtest(ENTER_EXIT + "\nstop_loss 5%\ntake_profit 3%", rows)

    assert [f.reason for f in result.fills] == ["entry", "take_profit"]
    assert result.trades[0].exit_price == D("62.83") * M
    assert result.trades[0].exit_reason == "take_profit"


def test_when_stop_and_take_profit_are_both_inside_one_bar_the_stop_wins() -> None:
    rows = [(60, 60, 60, 60), (60, 61, 60, 61), (61, 61.5, 60.8, 61.2), (61, 64, 58, 61)]
    result = backtest(ENTER_EXIT + "\nstop_loss 2%\ntake_profit 3%", rows)
    assert [f.reason for f in result.fills] == ["entry", "stop_loss"]


def test_the_trailing_stop_follows_closes_upwards_only() -> None:
    rows = [
        (60, 60, 60, 60),
        (60, 61, 60, 61),  # entry; trailing level 61 x 0.98 = 59.78
        (61, 62, 61, 62),  # level 60.76; the stop goes out at it
        (62, 63, 62, 63),  # level 61.74: the trigger moves up
        (63, 63, 62, 62.5),  # 61.25 is lower: the level stays
        (62.5, 62.6, 61.5, 62),  # low 61.5 <= 61.74: out at 61.74
    ]
    result = backtest(ENTER_EXIT + "\ntrailing_stop 2%", rows)

    (trade,) = result.trades
    assert trade.exit_price == D("61.74") * M
    assert trade.exit_reason == "trailing_stop"
    assert trade.exit_ts_ns == ts(5)


def test_a_limit_entry_that_is_not_filled_within_its_ttl_is_canceled() -> None:
    rows = [
        (60, 60, 60, 60),
        (60, 61, 60, 61),  # entry: buy limit at 60.39 (61 x 0.99), ttl 2 bars
        (61, 61.5, 60.5, 61),
        (61, 61.5, 60.4, 60.45),  # low 60.4 is not below 60.39; canceled at this close
        (60.45, 61, 60, 60.1),  # would have filled
    ]
    result = backtest(ENTER_EXIT + "\norder limit(close * 0.99) ttl 2 bars", rows)
    assert result.fills == ()


def test_a_limit_entry_fills_when_the_market_trades_through_it() -> None:
    rows = [(60, 60, 60, 60), (60, 61, 60, 61), (61, 61.5, 60, 61), (61, 61, 61, 61)]
    result = backtest(ENTER_EXIT + "\norder limit(close * 0.99) ttl 2 bars", rows)
    (fill,) = result.fills
    assert fill.price == D("60.39") * M
    assert fill.liquidity.value == "MAKER"


def test_short_entries_are_denied_on_spot_accounts() -> None:
    rows = [(60, 60, 60, 60), (60, 60, 58, 59), (59, 59, 58, 58)]
    result = backtest("entry short when close < 59.5 * 1000000", rows)
    assert result.fills == ()
    assert result.notes == ("2 order(s) denied by rule short_selling",)
