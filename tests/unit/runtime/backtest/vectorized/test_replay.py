"""The exact replay checks the kernel's float decisions and the engine corrects them."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from jts.contexts.market_data.domain.series import BarSeries
from jts.runtime.backtest.exchange import ExchangeConfig, SessionPolicy
from jts.runtime.backtest.vectorized import layout
from jts.runtime.backtest.vectorized.engine import execute
from jts.runtime.backtest.vectorized.inputs import prepare, program_arrays, replay_markets
from jts.runtime.backtest.vectorized.replay import Replay
from jts.runtime.backtest.vectorized.specs import ProgramShape
from jts.shared_kernel.timeframes import Timeframe
from tests.unit.runtime.backtest.vectorized.builders import (
    BTC_KRW,
    CALENDARS,
    CRYPTO_START,
    MINUTE_NS,
    Scenario,
    both_engines,
    random_signals,
)

SHAPE = ProgramShape("percent_equity", False, None, False, False, False)
CONFIG = ExchangeConfig(session_policy=SessionPolicy.QUEUE)
CASH = {"KRW": Decimal(10_000_000)}


def flat_bars(count: int, price: int) -> BarSeries:
    starts = CRYPTO_START + np.arange(count, dtype=np.int64) * MINUTE_NS
    column = np.full(count, price, dtype=np.int64)
    return BarSeries(
        BTC_KRW.id,
        Timeframe(60),
        starts,
        starts + MINUTE_NS,
        column,
        column,
        column,
        column,
        np.full(count, 10**9, dtype=np.int64),
        0,
        8,
    )


def test_a_quarter_of_equity_lands_exactly_on_the_lot_grid() -> None:
    bars = flat_bars(20, 50_000_000)
    signals = random_signals(
        bars, Scenario(SHAPE, entry_rate=0.3, size=0.25), np.random.default_rng(2)
    )

    result, reference = both_engines([BTC_KRW], [bars], [signals], SHAPE, balances=CASH)

    assert result.fills == tuple(reference.fills)
    assert result.fills[0].quantity == Decimal("0.05")


def _run(overrides: np.ndarray) -> tuple[np.ndarray, Replay]:
    bars = flat_bars(20, 50_000_000)
    signals = random_signals(
        bars, Scenario(SHAPE, entry_rate=0.3, size=0.25), np.random.default_rng(2)
    )
    prepared = prepare([(BTC_KRW, bars)], CALENDARS, balances=CASH, config=CONFIG)
    program = program_arrays(prepared, [signals], SHAPE)
    run = execute(prepared, program, overrides)
    replay = Replay(
        replay_markets(prepared, program),
        prepared.merged.bar,
        prepared.fx,
        dict(CASH),
        CONFIG,
        "percent_equity",
    )
    return run.log, replay


def test_a_wrong_size_is_found_and_the_exact_one_given() -> None:
    log, replay = _run(np.array([4_999_999], dtype=np.int64))
    [entry] = [row for row in log if row[layout.L_KIND] == layout.K_SUBMIT]

    mismatch = replay.run(log)

    assert entry[layout.L_QTY] == 4_999_999
    assert mismatch is not None
    assert (mismatch.decision, mismatch.value, mismatch.what) == (0, 5_000_000, "entry size")


def test_a_log_that_agrees_replays_to_exact_cash() -> None:
    log, replay = _run(np.empty(0, dtype=np.int64))

    assert replay.run(log) is None
    holding = replay.account.holdings[BTC_KRW.id].quantity
    assert holding == Decimal("0.05")
    assert replay.account.cash["KRW"].total == Decimal(10_000_000) - Decimal(2_500_000) * Decimal(
        "1.0005"
    )
