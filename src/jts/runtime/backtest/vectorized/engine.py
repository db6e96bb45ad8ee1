"""Run a program through the kernel and the exact replay, into a ``BacktestResult``.

``execute`` runs the kernel once. ``run_exact`` runs it, replays its log in ``Decimal``
and, while the replay finds a decision the kernel took differently in floats, forces the
exact value and runs again: the result is the exchange's arithmetic to the last digit.
``run_program`` evaluates a compiled strategy's signals and does all of it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from jts.contexts.strategy.domain.language.compiler import CompiledStrategy
from jts.contexts.strategy.domain.language.vectorized import Signals
from jts.runtime.backtest.results import BacktestResult, Position
from jts.runtime.backtest.vectorized import layout
from jts.runtime.backtest.vectorized.inputs import (
    Prepared,
    ProgramArrays,
    program_arrays,
    replay_markets,
)
from jts.runtime.backtest.vectorized.kernel import simulate
from jts.runtime.backtest.vectorized.replay import Replay
from jts.runtime.backtest.vectorized.specs import ProgramShape
from jts.shared_kernel.errors import StrategyError
from jts.shared_kernel.numbers import ZERO

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
MAX_CORRECTIONS = 200
ENGINE = "vectorized"


@dataclass(frozen=True)
class KernelRun:
    """What one kernel run left behind."""

    log: IntArray  # the rows written
    curve: FloatArray  # equity per point, base currency
    state: IntArray
    money: FloatArray
    decisions: int
    trade_pnl: FloatArray  # closed round trips' pnl in the base currency, as floats


def execute(
    prepared: Prepared, program: ProgramArrays, overrides: IntArray | None = None
) -> KernelRun:
    """Run the kernel over the whole timeline (growing the log until it fits)."""
    forced = overrides if overrides is not None else np.empty(0, dtype=np.int64)
    capacity = 64 + 8 * int(np.count_nonzero(program.signals[layout.Q_ENTRY]))
    capacity += 4 * int(np.count_nonzero(program.signals[layout.Q_EXIT]))
    while True:
        result = _attempt(prepared, program, forced, capacity)
        if result is not None:
            return result
        capacity *= 4


def _attempt(
    prepared: Prepared, program: ProgramArrays, overrides: IntArray, capacity: int
) -> KernelRun | None:
    count = len(prepared.markets)
    currencies = len(prepared.fx.currencies)
    state = np.zeros((count, layout.S_COLUMNS), dtype=np.int64)
    gstate = np.zeros((count, layout.G_COLUMNS), dtype=np.float64)
    money = np.zeros((2, currencies), dtype=np.float64)
    for c, currency in enumerate(prepared.fx.currencies):
        money[0, c] = float(prepared.balances.get(currency, ZERO))
    stats = np.zeros(layout.T_COLUMNS + capacity, dtype=np.float64)
    log = np.empty((capacity, layout.L_COLUMNS), dtype=np.int64)
    counters = np.zeros(layout.C_COLUMNS, dtype=np.int64)
    merged = prepared.merged
    curve = np.empty(len(merged.point_ts), dtype=np.float64)
    simulate(
        merged.instrument,
        merged.bar,
        merged.point,
        prepared.bars,
        program.signals,
        prepared.ticks.lowers,
        prepared.ticks.ticks,
        prepared.run,
        prepared.fx.floats(),
        program.spec,
        program.fspec,
        state,
        gstate,
        money,
        stats,
        log,
        counters,
        overrides,
        curve,
    )
    if counters[layout.C_STATUS] == layout.STATUS_LOG_FULL:
        return None
    trades = int(stats[layout.T_TRADES])
    return KernelRun(
        log[: counters[layout.C_LOG]],
        curve,
        state,
        money,
        int(counters[layout.C_DECISION]),
        stats[layout.T_COLUMNS : layout.T_COLUMNS + trades],
    )


def run_exact(
    prepared: Prepared,
    program: ProgramArrays,
    *,
    strategy: str,
    parameters: Mapping[str, float],
    sizing_form: str,
) -> BacktestResult:
    """Kernel, replay, and corrections until both agree; the exact result."""
    overrides = np.empty(0, dtype=np.int64)
    markets = replay_markets(prepared, program)
    for corrections in range(MAX_CORRECTIONS):
        run = execute(prepared, program, overrides)
        replay = Replay(
            markets,
            prepared.merged.bar,
            prepared.fx,
            dict(prepared.balances),
            prepared.config,
            sizing_form,
        )
        mismatch = replay.run(run.log)
        if mismatch is None:
            result = _result(prepared, run, replay, strategy=strategy, parameters=parameters)
            if corrections:
                note = f"{corrections} float decision(s) of the kernel corrected in Decimal"
                return dataclasses.replace(result, notes=(*result.notes, note))
            return result
        if mismatch.decision >= len(overrides):
            grown = np.full(max(2 * len(overrides), mismatch.decision + 1, 16), layout.NO_OVERRIDE)
            grown[: len(overrides)] = overrides
            overrides = grown.astype(np.int64)
        overrides[mismatch.decision] = mismatch.value
    raise StrategyError(
        f"{strategy}: the vectorized kernel and its exact replay still disagreed after "
        f"{MAX_CORRECTIONS} corrections; run the event-driven engine instead"
    )


def _result(
    prepared: Prepared,
    run: KernelRun,
    replay: Replay,
    *,
    strategy: str,
    parameters: Mapping[str, float],
) -> BacktestResult:
    merged = prepared.merged
    last = len(merged.ts) - 1
    final = replay.equity(last) if last >= 0 else _cash_equity(prepared)
    positions = []
    for i, market in enumerate(replay.markets):
        holding = replay.account.holdings.get(market.instrument.id)
        if holding is None or holding.quantity == ZERO:
            continue
        bar = market.last_bar_at(last)
        positions.append(
            Position(
                instrument_id=market.instrument.id,
                quantity=holding.quantity,
                average_price=holding.average_price,
                last_price=market.price(int(market.close[bar])),
                currency=market.instrument.quote_currency,
            )
        )
        del i
    return BacktestResult(
        strategy=strategy,
        parameters=dict(parameters),
        engine=ENGINE,
        base_currency=prepared.base_currency,
        initial_equity=_cash_equity(prepared),
        final_equity=final,
        fills=tuple(replay.fills),
        trades=tuple(replay.book.trades),
        positions=tuple(positions),
        balances={b.currency: b.total for b in replay.account.cash.values()},
        equity_ts_ns=merged.point_ts,
        equity=run.curve,
        bars=len(merged.ts),
    )


def _cash_equity(prepared: Prepared) -> Decimal:
    total = ZERO
    for c, currency in enumerate(prepared.fx.currencies):
        total += prepared.balances.get(currency, ZERO) * prepared.fx.rate(c, 0)
    return total


def program_shape(compiled: CompiledStrategy) -> ProgramShape:
    """The order shape of a compiled program."""
    program = compiled.program
    kinds = {p.kind for p in program.protections}
    return ProgramShape(
        sizing=program.sizing.form,
        limit_entries=program.order.kind == "limit",
        ttl_bars=program.order.ttl_bars,
        has_stop_loss="stop_loss" in kinds,
        has_take_profit="take_profit" in kinds,
        has_trailing_stop="trailing_stop" in kinds,
    )


def evaluate_signals(
    compiled: CompiledStrategy, prepared: Prepared, params: Mapping[str, float]
) -> list[Signals]:
    """The program's signals on every instrument's bars; each instrument's evaluator is
    kept with ``prepared``, so parameter sets share their indicators."""
    out = []
    for n, market in enumerate(prepared.markets):
        key = (id(compiled), n)
        evaluator = prepared.evaluators.get(key)
        if evaluator is None:
            evaluator = compiled.vectorized(market.arrays, instrument=market.instrument.id)
            prepared.evaluators[key] = evaluator
        out.append(evaluator.evaluate(params))  # type: ignore[attr-defined]
    return out


def run_program(
    compiled: CompiledStrategy,
    prepared: Prepared,
    params: Mapping[str, float] | None = None,
) -> BacktestResult:
    """Backtest ``compiled`` on ``prepared`` data with ``params`` (defaults otherwise)."""
    resolved = compiled.resolve_params(params)
    shape = program_shape(compiled)
    signals = evaluate_signals(compiled, prepared, resolved)
    program = program_arrays(prepared, signals, shape)
    result = run_exact(
        prepared, program, strategy=compiled.name, parameters=resolved, sizing_form=shape.sizing
    )
    shorts = sum(int(np.count_nonzero(s.entry_short)) for s in signals)
    if not shorts:
        return result
    note = f"{shorts} short entry signal(s) not traded: accounts are spot and never sell short"
    return dataclasses.replace(result, notes=(*result.notes, note))


@dataclass(frozen=True)
class SweepRun:
    """One parameter set of a sweep in floats: the equity curve and each closed round
    trip's pnl in the base currency, straight from the kernel (no ``Decimal`` replay, so a
    decision on a float boundary may differ from ``run_program``'s exact result)."""

    parameters: Mapping[str, float]
    equity_ts_ns: IntArray
    equity: FloatArray
    trade_pnl: FloatArray


def sweep_program(
    compiled: CompiledStrategy,
    prepared: Prepared,
    param_sets: Sequence[Mapping[str, float]],
) -> list[SweepRun]:
    """Run many parameter sets over the same prepared bars, fast: signals share their
    indicators, each set is one kernel run."""
    shape = program_shape(compiled)
    runs = []
    for params in param_sets:
        resolved = compiled.resolve_params(params)
        program = program_arrays(prepared, evaluate_signals(compiled, prepared, resolved), shape)
        run = execute(prepared, program)
        runs.append(SweepRun(resolved, prepared.merged.point_ts, run.curve, run.trade_pnl))
    return runs
