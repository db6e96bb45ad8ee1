"""One event-driven backtest run: the contexts wired together and the loop over the bars.

Per bar of the merged timeline (instrument ``k``, row ``r``), at the bar's close time:

1. the ``TestClock`` moves to the close;
2. exchange step: the ``OrderDesk`` hands the bar to the simulated exchange when it can
   matter; fills are booked at once (portfolio, trade book, the instrument's trading);
3. the strategy driver advances (a program's incremental evaluator sees the bar);
4. program steps 1-4 (``InstrumentTrading.manage``) when orders or levels are live;
5. when the strategy may act, the ``StrategyRunner`` gives its signals with the position
   as the portfolio books it, and steps 5-6 turn them into orders through risk.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Protocol

from jts.contexts.portfolio.domain.portfolio import Portfolio
from jts.contexts.risk.application.gate import PreTradeGate
from jts.contexts.risk.application.orders import OrderPlanner
from jts.contexts.risk.domain.kelly import KellyPolicy, RealizedKelly
from jts.contexts.risk.domain.limits import RiskLimits
from jts.contexts.trading.domain.records import OrderRecord
from jts.messages.portfolio import PositionSnapshot
from jts.messages.strategy import SignalEvent
from jts.messages.trading import OrderDenied, OrderEvent, OrderFilled
from jts.runtime.backtest.engine.account import BacktestAccount
from jts.runtime.backtest.engine.curve import FillLog
from jts.runtime.backtest.engine.fx import FxSeries
from jts.runtime.backtest.engine.market import MarketData, merged_timeline
from jts.runtime.backtest.engine.orders import OrderDesk
from jts.runtime.backtest.engine.trading import InstrumentTrading
from jts.runtime.backtest.exchange import ExchangeConfig, SimulatedExchange
from jts.runtime.backtest.results import Fill, TradeBook
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.instruments import Instrument


class Driver(Protocol):
    """A strategy on one instrument (``drivers``)."""

    fired: bool
    trailing_value: float
    trailing_mode: str | None

    def advance(self, row: int) -> None: ...

    def signals(self, row: int, position: PositionSnapshot | None) -> list[SignalEvent]: ...


class Lane:
    """One instrument of the run: its bars, strategy and trading."""

    __slots__ = (
        "driver",
        "index",
        "instrument",
        "instrument_id",
        "market",
        "must_feed",
        "trading",
        "ts_event",
    )

    def __init__(self, index: int, market: MarketData, driver: Driver, trading: InstrumentTrading):
        self.index = index
        self.market = market
        self.instrument: Instrument = market.instrument
        self.instrument_id = market.instrument.id
        self.ts_event = market.ts_event
        self.must_feed = market.session_ends
        self.driver = driver
        self.trading = trading


class Run:
    """Everything one run holds; ``execute`` runs it once."""

    def __init__(
        self,
        markets: Sequence[MarketData],
        *,
        calendars: Mapping[str, TradingCalendar],
        cash: Mapping[str, Decimal],
        base_currency: str,
        exchange_config: ExchangeConfig,
        limits: RiskLimits,
        fx: Mapping[str, FxSeries],
        feed_every_bar: bool,
    ) -> None:
        self.markets = list(markets)
        by_id = {m.instrument.id: m for m in self.markets}
        self.instruments = {m.instrument.id: m.instrument for m in self.markets}
        self.clock = TestClock()
        events: list[OrderEvent] = []
        exchange = SimulatedExchange(
            instruments=self.instruments.values(),
            calendars=calendars,
            clock=self.clock,
            balances=cash,
            config=exchange_config,
            sink=events.append,
        )
        self.cash = dict(cash)
        self.fx = fx
        self.portfolio = Portfolio(cash=cash, base_currency=base_currency)
        self.rows: dict[InstrumentId, int] = dict.fromkeys(by_id, -1)
        self.desk = OrderDesk(
            exchange,
            events,
            by_id,
            clock=self.clock,
            on_event=self._on_event,
            rows=self.rows,
            feed_every_bar=feed_every_bar,
        )
        self.account = BacktestAccount(
            portfolio=self.portfolio,
            desk=self.desk,
            markets=by_id,
            rows=self.rows,
            fx=fx,
            clock=self.clock,
        )
        self.edge = RunEdge()
        self._order_number = 0
        specs = _Specs(self.instruments)
        self.planner = OrderPlanner(
            account=self.account,
            market=self.account,
            instruments=specs,
            clock=self.clock,
            order_ids=self._next_order_id,
            kelly=self.edge,
        )
        self.gate = PreTradeGate(
            limits=limits,
            account=self.account,
            market=self.account,
            instruments=specs,
            clock=self.clock,
        )
        self.book = TradeBook(self.instruments)
        self.fills: list[Fill] = []
        self.log = FillLog()
        self.denials: list[OrderDenied] = []
        self.lanes: list[Lane] = []
        self._lane_of: dict[InstrumentId, Lane] = {}
        self.event_index = -1

    def add_lane(self, market: MarketData, driver: Driver) -> None:
        """Give ``market``'s instrument its strategy (in universe order)."""
        trading = InstrumentTrading(
            market,
            desk=self.desk,
            planner=self.planner,
            gate=self.gate,
            account=self.account,
            trailing_mode=driver.trailing_mode,
            denials=self.denials,
        )
        lane = Lane(len(self.lanes), market, driver, trading)
        self.lanes.append(lane)
        self._lane_of[market.instrument.id] = lane

    def _next_order_id(self) -> ClientOrderId:
        self._order_number += 1
        return ClientOrderId(f"BT-{self._order_number}")

    def execute(self) -> tuple[list[int], list[int]]:
        """Replay every bar; return the merged timeline ``(lane index, row)``."""
        which, rows = merged_timeline([lane.market for lane in self.lanes])
        lanes, desk, latest = self.lanes, self.desk, self.rows
        live, every = desk.live, desk.feed_every_bar
        set_clock = self.clock.set_ns
        for i, k in enumerate(which):
            lane, row = lanes[k], rows[i]
            self.event_index = i
            iid = lane.instrument_id
            set_clock(lane.ts_event[row])
            latest[iid] = row
            if live[iid] or lane.must_feed[row] or every:
                desk.feed(iid, row)
            driver, trading = lane.driver, lane.trading
            driver.advance(row)
            busy = trading.busy
            if busy:
                trading.manage(row, driver.trailing_value)
            if driver.fired:
                signals = driver.signals(row, self._snapshot(lane, row))
                if signals:
                    trading.on_signals(row, signals, driver.trailing_value)
                    busy = True
            if busy:
                trading.finish_step()
        return which, rows

    def _snapshot(self, lane: Lane, row: int) -> PositionSnapshot | None:
        return self.portfolio.snapshot(lane.instrument.id, lane.market.close_price(row))

    def _on_event(self, event: OrderEvent, record: OrderRecord) -> None:
        lane = self._lane_of[event.instrument_id]
        lane.trading.on_order_event(event, record)
        if not isinstance(event, OrderFilled):
            return
        execution = self.portfolio.apply_fill(event, lane.instrument)
        fill = Fill.of(event, lane.trading.reason_of(event.client_order_id))
        self.fills.append(fill)
        fx_rate = self.account.fx_rate(lane.instrument.quote_currency)
        trade = self.book.add(fill, fx_rate=fx_rate)
        if trade is not None:
            self.edge.record(trade.pnl * trade.fx_rate)
        self.log.add(
            self.event_index, lane.index, execution.units, execution.currency, execution.cash
        )


class RunEdge:
    """Kelly's full fraction of the run's closed trades (net P&L in the base currency), known
    once the run has closed a winning and a losing trade: the trading contract's rule, on
    the risk context's ``RealizedKelly`` statistics."""

    def __init__(self) -> None:
        self._stats = RealizedKelly(KellyPolicy(min_trades=1))

    def record(self, pnl: Decimal) -> None:
        self._stats.record(pnl)

    def full_kelly(self) -> Decimal | None:
        if self._stats.payoff_ratio is None:
            return None
        return self._stats.full_kelly()


class _Specs:
    """The run's instruments as risk's ``InstrumentSpecs``."""

    def __init__(self, instruments: Mapping[InstrumentId, Instrument]) -> None:
        self._instruments = instruments

    def get(self, instrument_id: InstrumentId) -> Instrument:
        return self._instruments[instrument_id]
