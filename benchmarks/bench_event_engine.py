"""Event-driven backtest: JTS's engine vs NautilusTrader's ``BacktestEngine``, bars per second.

Both engines replay the same generated one-minute BTCUSDT bars (the JTS market simulator,
seeded) with an SMA(10)/SMA(50) cross, long only, 0.1 BTC a trade, 0.1% fees (Binance's
rate in both instrument specs), a cash account of 1,000,000 USDT, on bar data alone:

- JTS: the strategy-language program through ``EventDrivenBacktest.run_program``: the
  incremental evaluator on every bar, the strategy runner, risk's planner and pre-trade
  gate, the order life cycle, the simulated exchange (market orders fill at the next bar's
  open) and the portfolio, then the ``BacktestResult`` (trades, equity curve).
- NautilusTrader: a ``Strategy`` in Nautilus's own API with its ``SimpleMovingAverage``
  indicators registered for the bars, ``bar_execution=True`` on an L1 book, a cash
  account and ``NETTING``. Nautilus has no next-bar-open fill mode for bar data (a market
  order fills on arrival against the book, which holds the signal bar's close; its
  maintainers confirm there is no native "fill at the next open" for bars), so its fills
  are at the signal bar's close; the work per bar and per order is the same.

Timed: the run itself (``run_program`` / ``engine.run()``), best of three runs of each
engine taken in turn (the machine is shared); each engine's data is loaded into its own
objects before the clock starts. The trade counts of both runs are checked to agree (the
same crosses trade). Figures: bars/s at 100,000 bars with the ratio to
Nautilus (goal >= 5), and, with ``JTS_BENCH_LARGE=1``, at 1,000,000 bars. Without
``nautilus_trader`` installed (``make bench`` installs it) only JTS's figures print.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from benchmarks.harness import Figure
from jts.bootstrap.stores import simulate
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.strategy.domain.language import compile_strategy
from jts.runtime.backtest.engine import EngineConfig, EventDrivenBacktest
from jts.shared_kernel.venues.calendar import AlwaysOpenCalendar
from jts.shared_kernel.venues.catalog import default_registry
from jts.shared_kernel.venues.instruments import CRYPTO_CALENDAR_ID

SEED = 20_260_101
TRADE_SIZE = Decimal("0.1")
CASH = Decimal(1_000_000)
SOURCE = """
strategy "sma_cross_bench"
universe BTCUSDT.BINANCE
timeframe 1m
param fast = 10 range 5..50 step 5
param slow = 50 range 20..200 step 10
let f = sma(close, fast)
let s = sma(close, slow)
entry long when crosses_above(f, s)
exit long when crosses_below(f, s)
size quantity(0.1)
"""


REPEATS = 3


def run() -> Iterable[Figure]:
    sizes = [100_000] + ([1_000_000] if os.environ.get("JTS_BENCH_LARGE") == "1" else [])
    for size in sizes:
        series = _bars(size)
        jts_rate, jts_trades, peer = 0.0, 0, None
        for _ in range(REPEATS):
            rate, jts_trades = _jts(series)
            jts_rate = max(jts_rate, rate)
            theirs = _nautilus(series)
            if theirs is not None and (peer is None or theirs[0] > peer[0]):
                peer = theirs
        label = f"{size:,}"
        if peer is None:
            yield Figure(f"event engine bars/s, SMA(10/50) over {label} bars", jts_rate, "bars/s")
            continue
        peer_rate, peer_trades = peer
        if abs(peer_trades - jts_trades) > 1:  # the last trade may still be open in one
            raise AssertionError(f"JTS made {jts_trades} trades, Nautilus {peer_trades}")
        yield Figure(
            f"event engine bars/s, SMA(10/50) over {label} bars",
            jts_rate,
            "bars/s",
            peer="nautilus_trader",
            peer_value=peer_rate,
        )


def _bars(size: int) -> BarSeries:
    days = size // 1_440 + 1
    start = date(2025, 1, 1)
    market = simulate(["BTCUSDT.BINANCE"], start, start + timedelta(days=days), seed=SEED)[0]
    return market.bars.take(slice(0, size))


def _jts(series: BarSeries) -> tuple[float, int]:
    """Bars per second and closed trades of the JTS run (after a warm-up run)."""
    program = compile_strategy(SOURCE, "bench.jts")
    engine = EventDrivenBacktest(
        instruments=default_registry(),
        calendars={CRYPTO_CALENDAR_ID: AlwaysOpenCalendar()},
        config=EngineConfig(cash={"USDT": CASH}, base_currency="USDT"),
    )
    engine.run_program(program, [series.take(slice(0, 2_000))])  # imports, numba, caches
    began = time.perf_counter()
    result = engine.run_program(program, [series])
    elapsed = time.perf_counter() - began
    return len(series) / elapsed, len(result.trades)


def _nautilus(series: BarSeries) -> tuple[float, int] | None:
    """Bars per second and closed round trips of Nautilus's run, or ``None`` without it."""
    try:
        import nautilus_trader  # noqa: F401
    except ImportError:
        return None
    engine, strategy = _nautilus_engine(series)
    began = time.perf_counter()
    engine.run()
    elapsed = time.perf_counter() - began
    trades = strategy.round_trips
    engine.dispose()
    return len(series) / elapsed, trades


def _nautilus_engine(series: BarSeries) -> tuple[Any, Any]:
    from nautilus_trader.backtest.engine import BacktestEngine, BacktestEngineConfig
    from nautilus_trader.config import LoggingConfig
    from nautilus_trader.model.currencies import USDT
    from nautilus_trader.model.data import BarType
    from nautilus_trader.model.enums import AccountType, OmsType
    from nautilus_trader.model.identifiers import Venue
    from nautilus_trader.model.objects import Money
    from nautilus_trader.test_kit.providers import TestInstrumentProvider

    instrument = TestInstrumentProvider.btcusdt_binance()  # maker and taker fee 0.1%
    bar_type = BarType.from_str(f"{instrument.id}-1-MINUTE-LAST-EXTERNAL")
    engine = BacktestEngine(BacktestEngineConfig(logging=LoggingConfig(log_level="ERROR")))
    engine.add_venue(
        Venue("BINANCE"),
        OmsType.NETTING,
        AccountType.CASH,
        [Money(float(CASH), USDT)],
        bar_execution=True,
    )
    engine.add_instrument(instrument)
    engine.add_data(_nautilus_bars(series, bar_type, instrument.size_precision))
    strategy = _nautilus_strategy(instrument, bar_type)
    engine.add_strategy(strategy)
    return engine, strategy


def _nautilus_bars(series: BarSeries, bar_type: Any, size_precision: int) -> list[Any]:
    from nautilus_trader.model.data import Bar
    from nautilus_trader.model.objects import Price, Quantity

    scale = series.price_scale
    columns = (series.open, series.high, series.low, series.close, series.volume)
    rows = zip(series.ts_event.tolist(), *(c.tolist() for c in columns), strict=True)
    return [
        Bar(
            bar_type,
            Price(o, scale),
            Price(h, scale),
            Price(lo, scale),
            Price(c, scale),
            Quantity(v, size_precision),
            ts,
            ts,
        )
        for ts, o, h, lo, c, v in rows
    ]


def _nautilus_strategy(instrument: Any, bar_type: Any) -> Any:
    from nautilus_trader.config import StrategyConfig
    from nautilus_trader.indicators import SimpleMovingAverage
    from nautilus_trader.model.enums import OrderSide
    from nautilus_trader.trading.strategy import Strategy

    class SmaCross(Strategy):  # type: ignore[misc]
        """Buy 0.1 when SMA(10) crosses above SMA(50); sell it all on the cross below."""

        def __init__(self) -> None:
            super().__init__(StrategyConfig(strategy_id="SMA-001"))
            self.fast = SimpleMovingAverage(10)
            self.slow = SimpleMovingAverage(50)
            self.before: float | None = None
            self.round_trips = 0

        def on_start(self) -> None:
            self.register_indicator_for_bars(bar_type, self.fast)
            self.register_indicator_for_bars(bar_type, self.slow)
            self.subscribe_bars(bar_type)

        def on_bar(self, bar: Any) -> None:
            if not self.slow.initialized:
                return
            gap, before = self.fast.value - self.slow.value, self.before
            self.before = gap
            if before is None:
                return
            instrument_id = instrument.id
            if before <= 0 < gap and self.portfolio.is_flat(instrument_id):
                quantity = instrument.make_qty(float(TRADE_SIZE))
                self.submit_order(self.order_factory.market(instrument_id, OrderSide.BUY, quantity))
            elif before >= 0 > gap and self.portfolio.is_net_long(instrument_id):
                self.close_all_positions(instrument_id)
                self.round_trips += 1

    return SmaCross()
