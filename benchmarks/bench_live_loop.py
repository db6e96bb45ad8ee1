"""The live node's loop: market data in, orders out, on the in-process bus.

- ``bar -> SubmitOrder at the broker``: a bar enters the bus (``EventBus.publish``); the
  strategy engine evaluates it, publishes a signal on ``signals.*``; the trading desk sizes
  it (risk's ``OrderPlanner``), checks it (``PreTradeGate``) and places it through the OMS
  (write-ahead, in-memory stores), which hands it to the paper broker's ``submit``. The
  figure is the time from ``publish`` to that ``submit`` call, p50 and p99 over
  ``LATENCY_BARS`` bars of a strategy that enters or exits on every bar. Goal: p99 < 1 ms.
- ``bars/s, 100 strategies x 50 instruments``: one-minute bars of 50 instruments replayed
  as fast as possible through the whole node (paper broker matching, portfolio marks, the
  strategy engine, signals, risk, OMS, drawdown guard, recorder) with 100 strategy-language
  programs, two per instrument (SMA crosses of different lengths with stop loss and take
  profit, so orders, fills and protective orders keep flowing).

Each figure is measured twice: with no risk limits but cash, and with the limits ``jts up``
applies by default (``risk`` settings: position, exposure and budget weights, fat-finger
band, trading hours, open orders, daily loss and the 1-day 99% VaR budget; the order
notional cap raised so the benchmark's orders pass). The VaR budget needs two completed
days of closes: the latency run replays three days and times the orders of the third.

No peer engine runs: none has a comparable live node on an in-process bus.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import msgspec
import numpy as np
from tests.unit.runtime.live.harness import CALENDARS, SeriesSource, bars

from benchmarks.harness import Figure, percentile
from jts.adapters.bus.inprocess import InProcessEventBus
from jts.adapters.clock import LiveClock
from jts.adapters.feeds.replay import ReplayFeed
from jts.adapters.sql.memory import InMemoryStore
from jts.adapters.timeseries.memory import InMemoryTimeSeriesStore
from jts.bootstrap.live_account import risk_limits
from jts.bootstrap.settings import Settings
from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.risk.domain.drawdown import DrawdownLimits
from jts.contexts.risk.domain.limits import RiskLimits
from jts.contexts.strategy.domain.language import compile_strategy
from jts.contexts.strategy.domain.python_api import StrategyContext, quantity
from jts.messages.base import Message
from jts.messages.market_data import Bar
from jts.messages.trading import SubmitOrder
from jts.runtime.backtest.exchange.memory_store import InMemoryAccountStore
from jts.runtime.live.assembly import NodeSpec, assemble
from jts.runtime.live.clocks import MarketClock
from jts.runtime.live.node import LiveNode
from jts.runtime.live.recorder import BarRecorder
from jts.runtime.live.slots import ProgramSlot, PythonSlot, Slot
from jts.shared_kernel.identifiers import UPBIT, InstrumentId, StrategyId
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.catalog import default_registry
from jts.shared_kernel.venues.instruments import Instrument

LATENCY_BARS = 3 * 1_440
VAR_READY_BAR = 2 * 1_440 + 60  # the VaR model has two completed days from here
INSTRUMENTS = 50
STRATEGIES = 100
BARS_PER_INSTRUMENT = 400


class Specs:
    """Instrument specs: the catalog's, plus clones of BTC-KRW under other symbols."""

    def __init__(self, extra: Sequence[Instrument]) -> None:
        self._catalog = default_registry()
        self._extra = {instrument.id: instrument for instrument in extra}

    def get(self, instrument_id: InstrumentId) -> Instrument:
        found = self._extra.get(instrument_id)
        return found if found is not None else self._catalog.get(instrument_id)


def clones(count: int) -> list[Instrument]:
    template = default_registry().get(InstrumentId.parse("BTC-KRW.UPBIT"))
    return [
        msgspec.structs.replace(template, id=InstrumentId(f"C{i:02d}-KRW", UPBIT), name=f"C{i}")
        for i in range(count)
    ]


def live_limits() -> RiskLimits:
    """The gate's limits as ``jts up`` sets them from the default settings."""
    defaults = risk_limits(Settings())
    return msgspec.structs.replace(defaults, max_order_notional=Decimal(10**9))


def node_for(
    series: Sequence[BarSeries],
    slots: Sequence[Slot],
    specs: Specs,
    clock: MarketClock,
    limits: RiskLimits,
) -> LiveNode:
    spec = NodeSpec(
        instruments=[specs.get(s.instrument_id) for s in series],
        calendars=CALENDARS,
        cash={"KRW": Decimal(10**10)},  # 0.5% a trade stays under Upbit's 1e9 KRW order cap
        limits=limits,
        drawdown=DrawdownLimits(max_drawdown=Decimal("0.99")),
        order_prefix="B",
    )
    return assemble(
        spec,
        bus=InProcessEventBus(),
        clock=clock,
        feed=ReplayFeed(SeriesSource(series), clock=LiveClock(), speed=None),
        account_store=InMemoryAccountStore(),
        trading_store=InMemoryStore().unit_of_work,
        specs=specs,
        slots=slots,
        recorder=BarRecorder(InMemoryTimeSeriesStore(), batch=1_000),
    )


def walk(seed: int, n: int, start: float) -> list[float]:
    steps = np.random.default_rng(seed).normal(0, 0.004, n)
    return [round(start * float(np.exp(x)), -2) for x in np.cumsum(steps)]


# --- latency ------------------------------------------------------------------------------


class EnterOrExit:
    """Enters when flat and exits when held: one order on every bar."""

    def on_bar(self, context: StrategyContext) -> None:
        if context.position is None:
            context.enter_long(quantity(1))
        else:
            context.exit_long("flip")


class TimedBus:
    """The node's bus, stamping each bar as it enters."""

    def __init__(self, bus: InProcessEventBus, stamps: dict[int, int]) -> None:
        self._bus = bus
        self._stamps = stamps

    def __getattr__(self, name: str) -> Any:
        return getattr(self._bus, name)

    async def publish(self, message: Message) -> None:
        if isinstance(message, Bar):
            self._stamps[message.ts_event] = time.perf_counter_ns()
        await self._bus.publish(message)


async def _latency(limits: RiskLimits) -> list[float]:
    instrument = clones(1)[0]
    specs = Specs([instrument])
    series = bars(walk(1, LATENCY_BARS, 1_000_000), instrument.id)
    clock = MarketClock()
    slot = PythonSlot(
        EnterOrExit(),
        strategy_id=StrategyId("flip"),
        instrument=instrument.id,
        timeframe=Timeframe(60),
        clock=clock,
    )
    node = node_for([series], [slot], specs, clock, limits)
    stamps: dict[int, int] = {}
    samples: list[float] = []
    node.bus = TimedBus(node.bus, stamps)  # type: ignore[assignment]
    broker = node.broker
    submit = broker.submit  # type: ignore[attr-defined]

    first_timed = int(series.ts_event[VAR_READY_BAR])

    async def timed_submit(command: SubmitOrder) -> Any:
        arrived = time.perf_counter_ns()
        if clock.now_ns() >= first_timed:
            samples.append((arrived - stamps[clock.now_ns()]) / 1_000)
        return await submit(command)

    broker.submit = timed_submit  # type: ignore[attr-defined]
    await node.run()
    return samples


def latency_figures(limits: RiskLimits, label: str) -> list[Figure]:
    samples = asyncio.run(_latency(limits))
    return [
        Figure(
            f"live: bar on the bus -> SubmitOrder at the broker, {label}, p{p}",
            percentile(samples, p),
            "us",
            higher_is_better=False,
        )
        for p in (50, 99)
    ]


# --- throughput ---------------------------------------------------------------------------

PROGRAM = """strategy "s{n}"
universe {instrument}
timeframe 1m
let fast = sma(close, {fast})
let slow = sma(close, {slow})
entry long when crosses_above(fast, slow)
exit long when crosses_below(fast, slow)
stop_loss 1%
take_profit 2%
size percent_equity(0.5%)
"""


def _programs(instruments: Sequence[Instrument], clock: MarketClock) -> list[Slot]:
    slots: list[Slot] = []
    for n in range(STRATEGIES):
        instrument = instruments[n % len(instruments)]
        fast = 3 + n % 7
        source = PROGRAM.format(n=n, instrument=instrument.id, fast=fast, slow=fast + 5 + n % 11)
        compiled = compile_strategy(source, f"s{n}.jts")
        slots.append(
            ProgramSlot(
                compiled, strategy_id=StrategyId(f"s{n}"), instrument=instrument.id, clock=clock
            )
        )
    return slots


async def _throughput(limits: RiskLimits) -> tuple[float, int, int]:
    instruments = clones(INSTRUMENTS)
    specs = Specs(instruments)
    series = [
        bars(walk(10 + i, BARS_PER_INSTRUMENT, 1_000_000), instrument.id)
        for i, instrument in enumerate(instruments)
    ]
    clock = MarketClock()
    node = node_for(series, _programs(instruments, clock), specs, clock, limits)
    await node.start()
    began = time.perf_counter()
    await node.run()
    elapsed = time.perf_counter() - began
    return node.stats.bars / elapsed, node.stats.bars, len(node.tracker.fills)


def throughput_figures(limits: RiskLimits, label: str) -> Iterable[Figure]:
    rate, bars_seen, fills = asyncio.run(_throughput(limits))
    name = f"live: bars/s through the full loop, {STRATEGIES} strategies x {INSTRUMENTS} "
    yield Figure(f"{name}instruments, {label} ({bars_seen} bars, {fills} fills)", rate, "bars/s")


def run() -> Iterable[Figure]:
    for limits, label in ((RiskLimits(), "no limits"), (live_limits(), "live risk limits")):
        yield from latency_figures(limits, label)
        yield from throughput_figures(limits, label)
