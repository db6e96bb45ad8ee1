"""Closed trades and the statistics of a list of them.

A ``ClosedTrade`` is one round trip: opened at ``entry_ts_ns`` and closed at ``exit_ts_ns``.
``pnl`` is the *net* realised profit in the account currency, after ``fees`` (commissions and
taxes of both legs); it is given, not recomputed, so contract multipliers and currency
conversion stay with whoever closed the trade.

Statistics are trade-based (quantstats and empyrical compute theirs on period returns):

* a win is ``pnl > 0``, a loss ``pnl < 0``; a break-even trade is neither;
* win rate = wins / all trades (quantstats leaves zero returns out of the denominator);
* profit factor = gross profit / |gross loss|; ``inf`` with profits and no losses, NaN with
  neither;
* expectancy = mean net pnl per trade (= win rate x average win + loss rate x average loss);
* SQN (Van Tharp's System Quality Number) = ``sqrt(n) * mean(pnl) / std(pnl, ddof=1)``;
  backtrader's analyzer divides by the population standard deviation instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import msgspec
import numpy as np
import numpy.typing as npt

from jts.messages.enums import Direction
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId

FloatArray = npt.NDArray[np.float64]
Int64Array = npt.NDArray[np.int64]
_ZERO = Decimal(0)


class ClosedTrade(msgspec.Struct, frozen=True, kw_only=True):
    """One completed round trip; ``pnl`` is net of ``fees``."""

    instrument_id: InstrumentId
    direction: Direction
    quantity: Decimal
    entry_ts_ns: int
    exit_ts_ns: int
    entry_price: Decimal
    exit_price: Decimal
    pnl: Decimal
    fees: Decimal = _ZERO

    def __post_init__(self) -> None:
        where = f"trade in {self.instrument_id} entered at ts {self.entry_ts_ns}"
        for name in ("quantity", "entry_price", "exit_price"):
            value: Decimal = getattr(self, name)
            if not value.is_finite() or value <= _ZERO:
                raise DataError(f"{where}: {name} is {value}; it must be a positive number")
        if not self.pnl.is_finite():
            raise DataError(f"{where}: pnl is {self.pnl}; it must be a finite number")
        if not self.fees.is_finite() or self.fees < _ZERO:
            raise DataError(f"{where}: fees are {self.fees}; they must be zero or more")
        if self.exit_ts_ns < self.entry_ts_ns:
            raise DataError(f"{where}: exit ts {self.exit_ts_ns} is before the entry")

    @property
    def entry_notional(self) -> Decimal:
        return self.quantity * self.entry_price

    @property
    def return_on_entry(self) -> Decimal:
        """Net pnl over the entry notional."""
        return self.pnl / self.entry_notional


class TradeStatistics(msgspec.Struct, frozen=True, kw_only=True):
    """Figures over a list of closed trades; NaN where undefined (e.g. no trades)."""

    trade_count: int
    win_count: int
    loss_count: int
    win_rate: float
    gross_profit: float
    gross_loss: float  # <= 0
    net_profit: float
    total_fees: float
    profit_factor: float
    expectancy: float
    average_win: float
    average_loss: float  # <= 0
    payoff_ratio: float
    largest_win: float
    largest_loss: float
    average_return: float
    average_holding_ns: float
    sqn: float


@dataclass(frozen=True, eq=False)
class TradeColumns:
    """Trades as parallel ``float64``/``int64`` columns, the form the kernels work on."""

    pnl: FloatArray
    fees: FloatArray
    notional: FloatArray  # entry plus exit value, both legs
    entry_return: FloatArray
    entry_ts_ns: Int64Array
    exit_ts_ns: Int64Array

    @classmethod
    def of(cls, trades: Sequence[ClosedTrade]) -> TradeColumns:
        def floats(values: list[Decimal]) -> FloatArray:
            return np.array([float(v) for v in values], dtype=np.float64)

        return cls(
            pnl=floats([t.pnl for t in trades]),
            fees=floats([t.fees for t in trades]),
            notional=floats([t.quantity * (t.entry_price + t.exit_price) for t in trades]),
            entry_return=floats([t.return_on_entry for t in trades]),
            entry_ts_ns=np.array([t.entry_ts_ns for t in trades], dtype=np.int64),
            exit_ts_ns=np.array([t.exit_ts_ns for t in trades], dtype=np.int64),
        )


def trade_statistics(trades: Sequence[ClosedTrade] | TradeColumns) -> TradeStatistics:
    """Win rate, profit factor, expectancy, averages, extremes and SQN of the trades."""
    columns = trades if isinstance(trades, TradeColumns) else TradeColumns.of(trades)
    pnl = columns.pnl
    wins, losses = pnl[pnl > 0.0], pnl[pnl < 0.0]
    gross_profit, gross_loss = float(wins.sum()), float(losses.sum())
    average_win, average_loss = _mean(wins), _mean(losses)
    return TradeStatistics(
        trade_count=len(pnl),
        win_count=len(wins),
        loss_count=len(losses),
        win_rate=len(wins) / len(pnl) if len(pnl) else math.nan,
        gross_profit=gross_profit,
        gross_loss=gross_loss,
        net_profit=float(pnl.sum()),
        total_fees=float(columns.fees.sum()),
        profit_factor=profit_factor(pnl),
        expectancy=_mean(pnl),
        average_win=average_win,
        average_loss=average_loss,
        payoff_ratio=average_win / -average_loss if len(wins) and len(losses) else math.nan,
        largest_win=float(wins.max()) if len(wins) else math.nan,
        largest_loss=float(losses.min()) if len(losses) else math.nan,
        average_return=_mean(columns.entry_return),
        average_holding_ns=_mean((columns.exit_ts_ns - columns.entry_ts_ns).astype(np.float64)),
        sqn=sqn(pnl),
    )


def profit_factor(pnl: FloatArray) -> float:
    """Gross profit over gross loss; ``inf`` without losses, NaN without either."""
    gross_profit = float(pnl[pnl > 0.0].sum())
    gross_loss = -float(pnl[pnl < 0.0].sum())
    if gross_loss > 0.0:
        return gross_profit / gross_loss
    return math.inf if gross_profit > 0.0 else math.nan


def sqn(pnl: FloatArray) -> float:
    """``sqrt(n) * mean / std(ddof=1)`` of trade pnl; NaN below two trades."""
    if len(pnl) < 2:
        return math.nan
    mean = float(np.mean(pnl))
    std = 0.0 if pnl.max() == pnl.min() else float(np.std(pnl, ddof=1))
    if std == 0.0:
        return math.nan if mean == 0.0 else math.copysign(math.inf, mean)
    return math.sqrt(len(pnl)) * mean / std


def time_in_market(columns: TradeColumns, start_ts_ns: int, end_ts_ns: int) -> float:
    """Share of ``[start, end]`` during which at least one trade was open (overlaps once)."""
    span = end_ts_ns - start_ts_ns
    if span <= 0:
        return math.nan
    entries = np.clip(columns.entry_ts_ns, start_ts_ns, end_ts_ns)
    exits = np.clip(columns.exit_ts_ns, start_ts_ns, end_ts_ns)
    order = np.argsort(entries, kind="stable")
    entries, exits = entries[order], exits[order]
    if len(entries) == 0:
        return 0.0
    # Sorted by entry, the union grows by the part of each interval past every earlier exit.
    reach = np.maximum.accumulate(exits)
    covered_from = np.maximum(entries, np.concatenate(([start_ts_ns], reach[:-1])))
    covered = np.maximum(exits - covered_from, 0).sum()
    return float(covered) / span


def _mean(values: FloatArray) -> float:
    return float(np.mean(values)) if len(values) else math.nan
