"""Trade statistics: against quantstats on the same numbers, backtrader's SQN, and by hand."""

from __future__ import annotations

import math
import warnings
from decimal import Decimal

import msgspec
import numpy as np
import pandas as pd
import pytest
import quantstats as qs
from hypothesis import given
from hypothesis import strategies as st

from jts.contexts.portfolio.domain.analytics import (
    ClosedTrade,
    TradeColumns,
    sqn,
    time_in_market,
    trade_statistics,
)
from jts.shared_kernel.errors import DataError
from tests.unit.contexts.portfolio.analytics.builders import NS_PER_DAY, trade

with warnings.catch_warnings():  # backtrader's sources carry invalid escape sequences
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.simplefilter("ignore", SyntaxWarning)
    from backtrader.mathsupport import average, standarddev

TOLERANCE = {"rel": 1e-9, "abs": 1e-12}


def _trades_with_pnl(pnl: np.ndarray) -> list[ClosedTrade]:
    return [trade(f"{value:.6f}") for value in pnl]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_trade_figures_match_quantstats_on_the_pnl_series(seed: int) -> None:
    pnl = np.round(np.random.default_rng(seed).normal(20_000, 150_000, 200), 6)
    pnl = pnl[pnl != 0.0]  # quantstats leaves zeros out of its win rate; see the next test
    series = pd.Series(pnl, index=pd.bdate_range("2020-01-01", periods=len(pnl)))

    stats = trade_statistics(_trades_with_pnl(pnl))

    assert stats.win_rate == pytest.approx(qs.stats.win_rate(series), **TOLERANCE)
    assert stats.average_win == pytest.approx(qs.stats.avg_win(series), **TOLERANCE)
    assert stats.average_loss == pytest.approx(qs.stats.avg_loss(series), **TOLERANCE)
    assert stats.profit_factor == pytest.approx(qs.stats.profit_factor(series), **TOLERANCE)
    assert stats.payoff_ratio == pytest.approx(qs.stats.payoff_ratio(series), **TOLERANCE)
    assert stats.expectancy == pytest.approx(
        stats.win_rate * stats.average_win
        + stats.loss_count / stats.trade_count * stats.average_loss,
        **TOLERANCE,
    )


def test_break_even_trades_count_as_trades_but_not_as_wins() -> None:
    stats = trade_statistics(_trades_with_pnl(np.array([100.0, 0.0, -50.0, 0.0])))

    assert stats.win_rate == 0.25  # quantstats would say 0.5: it drops the zeros
    assert (stats.win_count, stats.loss_count, stats.trade_count) == (1, 1, 4)
    assert stats.expectancy == pytest.approx(12.5)


@pytest.mark.parametrize("seed", [1, 2])
def test_sqn_is_van_tharps_with_the_sample_deviation(seed: int) -> None:
    pnl = np.random.default_rng(seed).normal(5.0, 40.0, 60)
    values = pnl.tolist()

    expected = math.sqrt(len(values)) * average(values) / standarddev(values, bessel=True)

    assert sqn(pnl) == pytest.approx(expected, **TOLERANCE)
    backtrader_population = math.sqrt(len(values)) * average(values) / standarddev(values)
    assert sqn(pnl) == pytest.approx(
        backtrader_population * math.sqrt((len(values) - 1) / len(values)), **TOLERANCE
    )


def test_hand_checked_statistics_with_fees_and_holding_times() -> None:
    trades = [
        trade("300", fees="20", entry_ts_ns=0, exit_ts_ns=2 * NS_PER_DAY, quantity="1",
              entry_price="1000"),
        trade("-100", fees="10", entry_ts_ns=NS_PER_DAY, exit_ts_ns=2 * NS_PER_DAY,
              quantity="2", entry_price="500"),
        trade("100", fees="10", entry_ts_ns=0, exit_ts_ns=3 * NS_PER_DAY, quantity="4",
              entry_price="250"),
    ]  # fmt: skip

    stats = trade_statistics(trades)

    assert stats.net_profit == 300.0
    assert stats.gross_profit == 400.0
    assert stats.gross_loss == -100.0
    assert stats.profit_factor == 4.0
    assert stats.total_fees == 40.0
    assert stats.largest_win == 300.0
    assert stats.largest_loss == -100.0
    assert stats.payoff_ratio == 2.0
    assert stats.average_return == pytest.approx((0.3 - 0.1 + 0.1) / 3)
    assert stats.average_holding_ns == pytest.approx(2 * NS_PER_DAY)
    assert stats.sqn == pytest.approx(math.sqrt(3) * 100.0 / np.std([300, -100, 100], ddof=1))


def test_no_trades_give_zero_counts_and_undefined_ratios() -> None:
    stats = trade_statistics([])

    assert stats.trade_count == 0
    assert stats.net_profit == 0.0
    for value in (stats.win_rate, stats.profit_factor, stats.expectancy, stats.sqn,
                  stats.average_win, stats.largest_loss, stats.payoff_ratio):  # fmt: skip
        assert math.isnan(value)


def test_all_wins_have_an_infinite_profit_factor_and_no_average_loss() -> None:
    stats = trade_statistics(_trades_with_pnl(np.array([10.0, 20.0, 30.0])))

    assert stats.win_rate == 1.0
    assert stats.profit_factor == math.inf
    assert math.isnan(stats.average_loss)
    assert math.isnan(stats.payoff_ratio)


def test_identical_trades_have_an_infinite_sqn_and_a_single_trade_none() -> None:
    assert sqn(np.array([5.0, 5.0, 5.0])) == math.inf
    assert math.isnan(sqn(np.array([5.0])))
    assert math.isnan(sqn(np.zeros(4)))


def test_time_in_market_counts_overlapping_trades_once_and_clips_to_the_curve() -> None:
    trades = [
        trade("1", entry_ts_ns=0, exit_ts_ns=4),
        trade("1", entry_ts_ns=2, exit_ts_ns=6),  # overlaps the first: union [0, 6)
        trade("1", entry_ts_ns=10, exit_ts_ns=30),  # runs past the end of the curve
        trade("1", entry_ts_ns=11, exit_ts_ns=12),  # inside the previous one
    ]

    exposure = time_in_market(TradeColumns.of(trades), 0, 20)

    assert exposure == pytest.approx((6 + 10) / 20)


def test_time_in_market_without_trades_is_zero() -> None:
    assert time_in_market(TradeColumns.of([]), 0, 10) == 0.0
    assert math.isnan(time_in_market(TradeColumns.of([]), 5, 5))


@given(st.lists(st.tuples(st.integers(0, 1_000), st.integers(0, 300)), min_size=1, max_size=30))
def test_time_in_market_equals_a_brute_force_union(intervals: list[tuple[int, int]]) -> None:
    trades = [trade("1", entry_ts_ns=s, exit_ts_ns=s + length) for s, length in intervals]
    covered = np.zeros(1_000, dtype=bool)
    for start, length in intervals:
        covered[start : min(start + length, 1_000)] = True

    assert time_in_market(TradeColumns.of(trades), 0, 1_000) == pytest.approx(covered.mean())


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"quantity": "0"}, "quantity is 0"),
        ({"entry_price": "-1"}, "entry_price is -1"),
        ({"pnl": "NaN"}, "pnl is NaN"),
        ({"fees": "-3"}, "fees are -3"),
        ({"entry_ts_ns": 10, "exit_ts_ns": 5}, "exit ts 5 is before the entry"),
    ],
)
def test_corrupt_trades_are_refused(overrides: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"pnl": "1", **overrides}

    with pytest.raises(DataError, match=message):
        trade(**arguments)  # type: ignore[arg-type]


def test_closed_trades_round_trip_through_json() -> None:
    original = trade("123.45", fees="6.5")

    decoded = msgspec.json.decode(msgspec.json.encode(original), type=ClosedTrade)

    assert decoded == original
    assert decoded.return_on_entry == Decimal("123.45") / Decimal("700000")
