"""Generated market data with surges injected at known places, for the detector tests.

Every generator is seeded and returns the data plus the injected surges as
``Injection(instrument_id, start_ns, end_ns)``: the window in which a detector should fire.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

import numpy as np

from jts.contexts.market_data.domain.bar_units import BarUnits
from jts.contexts.market_data.domain.trade_batch import TradeBatch
from jts.messages.market_data import BookLevel, OrderBookSnapshot, SurgeDetected
from jts.shared_kernel.clock import NANOS_PER_SECOND
from jts.shared_kernel.identifiers import InstrumentId, Venue
from jts.shared_kernel.timeframes import Timeframe

SECOND = NANOS_PER_SECOND
MINUTE = 60 * SECOND
DAY = 86_400 * SECOND
START = 1_714_694_400 * SECOND  # 2024-05-03 00:00 UTC
ONE_MINUTE, ONE_DAY = Timeframe(60), Timeframe(86_400)


class Injection(NamedTuple):
    instrument_id: InstrumentId
    start_ns: int
    end_ns: int


class Scored(NamedTuple):
    precision: float
    recall: float
    events: int
    injections: int


def universe(count: int) -> list[InstrumentId]:
    return [InstrumentId(f"SYM{i:04d}USDT", Venue("BINANCE")) for i in range(count)]


def score(events: list[SurgeDetected], injections: list[Injection]) -> Scored:
    """Precision: events inside some injection's window; recall: injections with an event."""
    windows: dict[InstrumentId, list[tuple[int, int]]] = {}
    for injection in injections:
        windows.setdefault(injection.instrument_id, []).append(injection[1:])
    hit: set[tuple[InstrumentId, int]] = set()
    true_events = 0
    for event in events:
        for start, end in windows.get(event.instrument_id, []):
            if start <= event.ts_event <= end:
                true_events += 1
                hit.add((event.instrument_id, start))
                break
    precision = true_events / len(events) if events else 1.0
    recall = len(hit) / len(injections) if injections else 1.0
    return Scored(precision, recall, len(events), len(injections))


def minute_bars(
    instruments: list[InstrumentId], days: int, minutes_per_day: int, rng: np.random.Generator
) -> tuple[list[BarUnits], list[Injection]]:
    """1-minute bars, U-shaped volume through each day with lognormal noise; from the
    fourth day on, three spikes of 6-12x per instrument and day."""
    position = (np.arange(minutes_per_day) + 0.5) / minutes_per_day
    profile = 1_000.0 * (1.0 + 3.0 * (2.0 * position - 1.0) ** 2)
    bars: list[BarUnits] = []
    injections: list[Injection] = []
    for instrument_id in instruments:
        for day in range(days):
            volume = profile * rng.lognormal(0.0, 0.3, minutes_per_day)
            if day >= 3:
                for minute in rng.choice(minutes_per_day, size=3, replace=False).tolist():
                    volume[minute] *= rng.uniform(6.0, 12.0)
                    start = START + day * DAY + minute * MINUTE
                    injections.append(Injection(instrument_id, start, start + MINUTE))
            for minute, amount in enumerate(np.rint(volume).astype(np.int64).tolist()):
                start = START + day * DAY + minute * MINUTE
                bars.append(
                    BarUnits(instrument_id, ONE_MINUTE, start, start + MINUTE, 100, 101, 99,
                             100, amount, 0, 0, 1)
                )  # fmt: skip
    bars.sort(key=lambda bar: bar.ts_event)
    return bars, injections


def velocity_trades(
    instruments: list[InstrumentId], seconds: int, rng: np.random.Generator
) -> tuple[TradeBatch, list[Injection]]:
    """A trade a second per instrument, Gaussian log returns (1 bp a second), with three
    moves of 8-12 one-minute standard deviations spread over 10 s after the warm-up."""
    sigma = 1e-4
    returns = rng.normal(0.0, sigma, (len(instruments), seconds))
    injections: list[Injection] = []
    one_minute_sd = sigma * np.sqrt(60.0)
    for row, instrument_id in enumerate(instruments):
        anchors = 900 + np.sort(rng.choice((seconds - 1_000) // 600, 3, replace=False)) * 600
        for anchor in anchors.tolist():
            size = rng.uniform(8.0, 12.0) * one_minute_sd * rng.choice([-1.0, 1.0])
            returns[row, anchor : anchor + 10] += size / 10
            start = START + anchor * SECOND
            injections.append(Injection(instrument_id, start, start + 80 * SECOND))
    log_price = np.log(100.0) + np.cumsum(returns, axis=1)
    price = np.rint(np.exp(log_price) * 10**6).astype(np.int64)
    ts = START + np.arange(seconds, dtype=np.int64) * SECOND
    count = len(instruments)
    return _batch(instruments, np.tile(np.arange(count), seconds), np.repeat(ts, count),
                  price.T.ravel()), injections  # fmt: skip


def daily_trades(
    instruments: list[InstrumentId], days: int, rng: np.random.Generator
) -> tuple[list[tuple[TradeBatch, list[BarUnits]]], list[Injection]]:
    """Per day, 200 trades per instrument in a fixed range around 100 (no natural new
    highs) and the day's daily bar; from day eight on, breakouts 2-5% above the look-back
    high on about one day in eight."""
    days_out: list[tuple[TradeBatch, list[BarUnits]]] = []
    injections: list[Injection] = []
    highs = {instrument_id: 0.0 for instrument_id in instruments}
    for day in range(days):
        prices = rng.uniform(99.0, 101.0, (len(instruments), 200))
        for row, instrument_id in enumerate(instruments):
            if day >= 8 and rng.random() < 0.125:
                at = int(rng.integers(50, 200))
                prices[row, at] = highs[instrument_id] * rng.uniform(1.02, 1.05)
                start = START + day * DAY + at * 60 * SECOND
                injections.append(Injection(instrument_id, start, start + SECOND))
        ts = START + day * DAY + np.arange(200, dtype=np.int64) * 60 * SECOND
        units = np.rint(prices * 10**6).astype(np.int64)
        batch = _batch(instruments, np.tile(np.arange(len(instruments)), 200),
                       np.repeat(ts, len(instruments)), units.T.ravel())  # fmt: skip
        bars = []
        for row, instrument_id in enumerate(instruments):
            high = int(units[row].max())
            highs[instrument_id] = max(highs[instrument_id], high / 10**6)
            bars.append(BarUnits(instrument_id, ONE_DAY, START + day * DAY, START + (day + 1) * DAY,
                                 int(units[row, 0]), high, int(units[row].min()),
                                 int(units[row, -1]), 200, 6, 0, 200))  # fmt: skip
        days_out.append((batch, bars))
    return days_out, injections


def books(
    instruments: list[InstrumentId], count: int, rng: np.random.Generator
) -> tuple[list[OrderBookSnapshot], list[Injection]]:
    """A snapshot a second per instrument, five levels of lognormal sizes a side; after the
    first minute, four episodes of five bid- or ask-heavy (10x) snapshots per instrument."""
    snapshots: list[OrderBookSnapshot] = []
    injections: list[Injection] = []
    for instrument_id in instruments:
        heavy: dict[int, int] = {}
        for anchor in (
            60 + np.sort(rng.choice((count - 100) // 400, 4, replace=False)) * 400
        ).tolist():
            side = int(rng.choice([-1, 1]))
            heavy.update({anchor + k: side for k in range(5)})
            start = START + anchor * SECOND
            injections.append(Injection(instrument_id, start, start + 5 * SECOND))
        for i in range(count):
            bid_sizes = rng.lognormal(0.0, 0.5, 5) * (10.0 if heavy.get(i) == 1 else 1.0)
            ask_sizes = rng.lognormal(0.0, 0.5, 5) * (10.0 if heavy.get(i) == -1 else 1.0)
            bids = tuple(BookLevel(Decimal(100 - k), _size(s)) for k, s in enumerate(bid_sizes))
            asks = tuple(BookLevel(Decimal(101 + k), _size(s)) for k, s in enumerate(ask_sizes))
            ts = START + i * SECOND
            snapshots.append(
                OrderBookSnapshot(
                    instrument_id=instrument_id, bids=bids, asks=asks, ts_event=ts, ts_init=ts
                )
            )
    snapshots.sort(key=lambda book: book.ts_event)
    return snapshots, injections


def _size(value: float) -> Decimal:
    return Decimal(f"{value:.4f}")


def _batch(
    instruments: list[InstrumentId], rows: np.ndarray, ts: np.ndarray, price: np.ndarray
) -> TradeBatch:
    n = len(ts)
    return TradeBatch(
        tuple(instruments),
        rows.astype(np.int64),
        ts.astype(np.int64),
        np.arange(n, dtype=np.int64),
        price.astype(np.int64),
        np.ones(n, dtype=np.int64),
        np.zeros(n, dtype=np.int8),
        np.arange(n, dtype=np.int64),
        6,
        0,
    )
