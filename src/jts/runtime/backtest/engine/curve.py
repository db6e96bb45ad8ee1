"""The equity curve of a run, computed once at the end from what changed and when.

Equity at a bar close is cash of every currency plus every holding at its instrument's last
close, converted into the base currency at the FX rate of that time. Between fills the
holdings and cash are constant, so the engine only logs each fill's change (``FillLog``)
and this module rebuilds the whole curve with numpy: nothing is valued on the bars where
nothing happened. The curve has one point per distinct close time of the merged timeline,
valued after every bar closing at that time. It is ``float64`` (for analytics); the final
equity is valued exactly by the portfolio.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from jts.runtime.backtest.engine.fx import FxSeries
from jts.runtime.backtest.engine.market import MarketData

Int64Array = npt.NDArray[np.int64]
Float64Array = npt.NDArray[np.float64]


class FillLog:
    """What each fill changed: held units of an instrument and cash of its currency."""

    __slots__ = ("cash", "currencies", "events", "instruments", "units")

    def __init__(self) -> None:
        self.events: list[int] = []
        self.instruments: list[int] = []
        self.units: list[float] = []
        self.currencies: list[str] = []
        self.cash: list[float] = []

    def add(
        self, event: int, instrument: int, units: Decimal, currency: str, cash: Decimal
    ) -> None:
        self.events.append(event)
        self.instruments.append(instrument)
        self.units.append(float(units))
        self.currencies.append(currency)
        self.cash.append(float(cash))


def equity_curve(
    markets: Sequence[MarketData],
    which: Sequence[int],
    rows: Sequence[int],
    log: FillLog,
    *,
    cash: Mapping[str, Decimal],
    base_currency: str,
    fx: Mapping[str, FxSeries],
) -> tuple[Int64Array, Float64Array]:
    """``(ts, equity)``: one point per distinct close time (see the module docstring)."""
    which_a = np.asarray(which, dtype=np.int64)
    rows_a = np.asarray(rows, dtype=np.int64)
    count = len(which_a)
    ts = np.empty(count, dtype=np.int64)
    for k, market in enumerate(markets):
        mine = which_a == k
        ts[mine] = market.series.ts_event[rows_a[mine]]
    events = np.asarray(log.events, dtype=np.int64)
    equity = np.zeros(count)
    currencies = set(cash) | set(log.currencies)
    for currency in currencies:
        changes = np.zeros(count)
        picked = [i for i, c in enumerate(log.currencies) if c == currency]
        np.add.at(changes, events[picked], np.asarray(log.cash)[picked])
        balance = float(cash.get(currency, Decimal(0))) + np.cumsum(changes)
        equity += balance * _rates(currency, base_currency, fx, ts)
    instruments = np.asarray(log.instruments, dtype=np.int64)
    units_logged = np.asarray(log.units)
    for k, market in enumerate(markets):
        picked = instruments == k
        if not picked.any():
            continue
        changes = np.zeros(count)
        np.add.at(changes, events[picked], units_logged[picked])
        held = np.cumsum(changes)
        currency = market.instrument.quote_currency
        value = held * _last_close(market, which_a == k, rows_a)
        equity += value * _rates(currency, base_currency, fx, ts)
    last_at_time = np.ones(count, dtype=np.bool_)
    last_at_time[:-1] = ts[1:] != ts[:-1]
    return ts[last_at_time], equity[last_at_time]


def _last_close(market: MarketData, mine: npt.NDArray[np.bool_], rows: Int64Array) -> Float64Array:
    """Each event's latest close of ``market`` (0 before its first bar: nothing is held)."""
    latest = np.where(mine, rows, -1)
    np.maximum.accumulate(latest, out=latest)
    closes = market.series.close
    return np.where(latest >= 0, closes[np.maximum(latest, 0)], 0.0)


def _rates(
    currency: str, base_currency: str, fx: Mapping[str, FxSeries], ts: Int64Array
) -> Float64Array | float:
    if currency == base_currency:
        return 1.0
    return fx[currency].floats_at(ts)
