"""Market data throughput: ingest, surge detection and replay.

- ``ingest``: Binance combined-stream trade frames (the wire format, 40 symbols) through
  normalize -> aggregate (1m, 5m, 1h, 1d) -> store (DuckDB file) on one core, in runs of
  500 frames as a busy connection delivers them. Peer: the straightforward pipeline
  (``json.loads`` per frame, a pandas frame, ``resample().ohlc()`` per symbol and
  timeframe, DuckDB inserts) on the same frames.
- ``surge``: the trade detectors (velocity, new high) with 3,000 instruments subscribed, in
  nanoseconds per trade, in runs of 5,000 trades as a parser hands them over (each run
  lists its own instruments), beside the same with 30 instruments; volume spikes per
  closed bar and book imbalance per snapshot.
- ``replay``: stored 1-minute bars replayed as ``Bar`` messages as fast as possible, in
  bars per second. Peer: the simulator's ``MarketReplay`` on the same series.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import json
import tempfile
import time
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from benchmarks.harness import Figure
from jts.adapters.brokers.binance.parse import BinanceParser
from jts.adapters.feeds.replay import ReplayFeed, StoreSource
from jts.adapters.marketsim.stream import MarketReplay
from jts.adapters.timeseries.hot import HotDuckDbStore
from jts.adapters.timeseries.memory import InMemoryTimeSeriesStore
from jts.contexts.market_data.application.ingest import TickIngest
from jts.contexts.market_data.domain.bar_units import BarUnits
from jts.contexts.market_data.domain.normalization import ParserRegistry
from jts.contexts.market_data.domain.normalizer import Normalizer
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.market_data.domain.sessions import LocalDaySessions
from jts.contexts.market_data.domain.surge import SurgeScanner
from jts.contexts.market_data.domain.trade_batch import TradeBatch
from jts.messages.market_data import BookLevel, OrderBookSnapshot
from jts.shared_kernel.clock import NANOS_PER_SECOND, TestClock
from jts.shared_kernel.identifiers import InstrumentId, Venue
from jts.shared_kernel.timeframes import Timeframe

START_MS = 1_714_694_400_000  # 2024-05-03 00:00 UTC
FRAMES = ("1m", "5m", "1h", "1d")
UTC_DAYS = LocalDaySessions("UTC")


def run() -> Iterable[Figure]:
    yield from _ingest(trades=600_000, symbols=40, run_size=500)
    yield from _surge()
    yield from _replay(instruments=20, bars_each=20_000)


def _frames(trades: int, symbols: int, seed: int = 1) -> list[bytes]:
    rng = np.random.default_rng(seed)
    which = rng.integers(0, symbols, trades)
    steps = rng.integers(0, 4, trades).cumsum()
    prices = (
        100.0
        * (1 + np.arange(symbols))[:, None]
        * np.exp(np.cumsum(rng.normal(0, 2e-4, (symbols, trades // symbols + 2)), axis=1))
    )
    counters = np.zeros(symbols, dtype=np.int64)
    frames = []
    for i, (k, step) in enumerate(zip(which.tolist(), steps.tolist(), strict=True)):
        counters[k] += 1
        n = int(counters[k])
        symbol = f"S{k:03d}USDT"
        price = prices[k, min(n, prices.shape[1] - 1)]
        t = START_MS + step
        frames.append(
            f'{{"stream":"{symbol.lower()}@trade","data":{{"e":"trade","E":{t},"s":"{symbol}",'
            f'"t":{n},"p":"{price:.8f}","q":"{(i % 997 + 1) / 1000:.8f}","T":{t},'
            f'"m":{"true" if i % 3 else "false"},"M":true}}}}'.encode()
        )
    return frames


def _ingest(trades: int, symbols: int, run_size: int) -> Iterable[Figure]:
    frames = _frames(trades, symbols)
    received = (START_MS + 10**9) * 1_000_000
    runs = [frames[i : i + run_size] for i in range(0, len(frames), run_size)]
    with tempfile.TemporaryDirectory() as directory:
        store = HotDuckDbStore(Path(directory) / "bench.duckdb")
        _jts_pipeline(store, runs[:2], received)  # warm up numba, DuckDB and Arrow
        gc.collect()
        began = time.perf_counter()
        _jts_pipeline(store, runs, received)
        jts_rate = trades / (time.perf_counter() - began)
        store.close()
        began = time.perf_counter()
        _peer_pipeline(frames, Path(directory) / "peer.duckdb")
        peer_rate = trades / (time.perf_counter() - began)
    yield Figure(
        "market_data.ingest.normalize_aggregate_store",
        jts_rate,
        "ticks/s",
        peer="json+pandas resample+duckdb",
        peer_value=peer_rate,
    )


def _jts_pipeline(store: HotDuckDbStore, runs: list[list[bytes]], received: int) -> None:
    normalizer = Normalizer(ParserRegistry([BinanceParser()])).for_venue("BINANCE")
    ingest = TickIngest(
        bars=store,
        ticks=store,
        sessions_for=lambda _: UTC_DAYS,
        timeframes=[Timeframe.parse(f) for f in FRAMES],
    )
    for run in runs:
        ingest.ingest_batch(normalizer.normalize_run(run, received).trades)
    ingest.close()


def _peer_pipeline(frames: list[bytes], path: Path) -> None:
    rows = [json.loads(frame)["data"] for frame in frames]
    table = pd.DataFrame(
        {
            "symbol": [r["s"] for r in rows],
            "ts": pd.to_datetime([r["T"] for r in rows], unit="ms", utc=True),
            "price": [float(r["p"]) for r in rows],
            "size": [float(r["q"]) for r in rows],
            "trade_id": [r["t"] for r in rows],
        }
    )
    connection = duckdb.connect(str(path))
    connection.register("ticks_df", table)
    connection.execute("CREATE TABLE ticks AS SELECT * FROM ticks_df")
    for symbol, group in table.groupby("symbol"):
        series = group.set_index("ts")
        for frame in FRAMES:
            rule = frame.replace("m", "min").replace("1d", "1D")
            bars = series["price"].resample(rule).ohlc().dropna()
            bars["volume"] = series["size"].resample(rule).sum()
            bars["symbol"] = symbol
            connection.register("bars_df", bars.reset_index())
            connection.execute(
                "CREATE TABLE IF NOT EXISTS bars AS SELECT * FROM bars_df WHERE false"
            )
            connection.execute("INSERT INTO bars SELECT * FROM bars_df")
    connection.close()


def _trade_batch(instruments: int, trades: int, seed: int) -> TradeBatch:
    rng = np.random.default_rng(seed)
    ids = tuple(InstrumentId(f"S{i:04d}USDT", Venue("BINANCE")) for i in range(instruments))
    which = rng.integers(0, instruments, trades).astype(np.int64)
    ts = START_MS * 1_000_000 + np.sort(rng.integers(0, 3_600 * NANOS_PER_SECOND, trades))
    price = (10_000_000 * np.exp(rng.normal(0, 1e-3, trades))).astype(np.int64)
    n = np.arange(trades, dtype=np.int64)
    return TradeBatch(
        ids,
        which,
        ts.astype(np.int64),
        n,
        price,
        np.ones(trades, np.int64),
        np.zeros(trades, np.int8),
        n,
        4,
        0,
    )


def _surge() -> Iterable[Figure]:
    trades = 2_000_000
    costs = {}
    for instruments in (30, 3_000):
        batch = _trade_batch(instruments, trades, seed=instruments)
        scanner = SurgeScanner()
        scanner.on_trades(batch.take(np.arange(10_000)))  # warm up the kernel
        chunks = [
            _as_run(batch, lo, min(lo + 5_000, trades)) for lo in range(10_000, trades, 5_000)
        ]
        began = time.perf_counter()
        for chunk in chunks:
            scanner.on_trades(chunk)
        costs[instruments] = (time.perf_counter() - began) / (trades - 10_000) * 1e9
    yield Figure(
        "market_data.surge.trade_detectors_3000_instruments",
        costs[3_000],
        "ns/tick",
        higher_is_better=False,
        peer="same with 30 instruments",
        peer_value=costs[30],
    )
    yield from _surge_bars_and_books()


def _as_run(batch: TradeBatch, lo: int, hi: int) -> TradeBatch:
    """Rows ``lo:hi`` as a parser would hand them over: only the instruments present, in a
    tuple of their own (the same ``InstrumentId`` objects, as parsers cache them)."""
    part = batch.take(np.arange(lo, hi))
    present, index = np.unique(part.instrument, return_inverse=True)
    return dataclasses.replace(
        part,
        instruments=tuple(batch.instruments[i] for i in present.tolist()),
        instrument=index.astype(np.int64),
    )


def _surge_bars_and_books() -> Iterable[Figure]:
    scanner = SurgeScanner()
    ids = [InstrumentId(f"S{i:04d}USDT", Venue("BINANCE")) for i in range(3_000)]
    minute = Timeframe.parse("1m")
    bars = [
        BarUnits(
            ids[i % 3_000],
            minute,
            START_MS * 1_000_000 + (i // 3_000) * 60 * NANOS_PER_SECOND,
            START_MS * 1_000_000 + (i // 3_000 + 1) * 60 * NANOS_PER_SECOND,
            1,
            1,
            1,
            1,
            1_000 + i % 17,
            0,
            0,
            1,
        )
        for i in range(300_000)
    ]
    began = time.perf_counter()
    scanner.on_bars(bars)
    per_bar = (time.perf_counter() - began) / len(bars) * 1e9
    books = [
        OrderBookSnapshot(
            instrument_id=ids[i % 3_000],
            bids=_levels(100, -1),
            asks=_levels(101, 1),
            ts_event=i,
            ts_init=i,
        )
        for i in range(50_000)
    ]
    began = time.perf_counter()
    for book in books:
        scanner.on_book(book)
    per_book = (time.perf_counter() - began) / len(books) * 1e9
    yield Figure(
        "market_data.surge.volume_spike_per_bar", per_bar, "ns/bar", higher_is_better=False
    )
    yield Figure(
        "market_data.surge.book_imbalance_per_snapshot", per_book, "ns/book", higher_is_better=False
    )


def _levels(first: int, step: int) -> tuple[BookLevel, ...]:
    return tuple(BookLevel(Decimal(first + step * k), Decimal("1.5")) for k in range(5))


def _replay(instruments: int, bars_each: int) -> Iterable[Figure]:
    rng = np.random.default_rng(3)
    store = InMemoryTimeSeriesStore()
    minute = Timeframe.parse("1m")
    series = []
    for i in range(instruments):
        close = (1_000_000 * np.exp(np.cumsum(rng.normal(0, 1e-3, bars_each)))).astype(np.int64)
        start = START_MS * 1_000_000 + np.arange(bars_each, dtype=np.int64) * 60 * NANOS_PER_SECOND
        high, low = close + 100, close - 100
        one = BarSeries(
            InstrumentId(f"R{i:03d}USDT", Venue("BINANCE")),
            minute,
            start,
            start + 60 * NANOS_PER_SECOND,
            close,
            high,
            low,
            close,
            np.full(bars_each, 5, np.int64),
            2,
            0,
        )
        store.append_bars(one)
        series.append(one)
    total = instruments * bars_each
    jts_rate = total / asyncio.run(_time_jts_replay(store, series))
    peer_rate = total / asyncio.run(_time_peer_replay(series))
    yield Figure(
        "market_data.replay.bars",
        jts_rate,
        "bars/s",
        peer="marketsim.MarketReplay",
        peer_value=peer_rate,
    )


async def _time_jts_replay(store: InMemoryTimeSeriesStore, series: list[BarSeries]) -> float:
    feed = ReplayFeed(StoreSource(store), clock=TestClock(), speed=None)
    for one in series:
        await feed.subscribe(one.instrument_id, type(one.bar_at(0)), timeframe=one.timeframe)
    began = time.perf_counter()
    count = 0
    async for _ in feed.stream():
        count += 1
    assert count == sum(len(one) for one in series)
    return time.perf_counter() - began


async def _time_peer_replay(series: list[BarSeries]) -> float:
    replay = MarketReplay(clock=TestClock(), bars=series, speed=None)
    began = time.perf_counter()
    count = 0
    async for _ in replay:
        count += 1
    assert count == len(replay)
    return time.perf_counter() - began
