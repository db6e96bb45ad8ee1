"""``OrderDesk``: the engine's order path, in memory, through the simulated exchange.

Every order lives as the trading context's ``OrderRecord`` and changes only through its
life cycle (``contexts.trading.domain.lifecycle.apply``): recorded ``INITIALIZED``, then
``OrderSubmitted`` to the exchange, then whatever the exchange reports (accepted, rejected,
filled, canceled, expired, modified). This is the OMS's write-ahead order of events without
its store, router, retries and ``asyncio``: a backtest has one venue that answers at once
and never fails, and the OMS's per-order transactions would cost more than the whole rest of
a bar (see the engine's package docstring).

The exchange sees a bar only when it can matter: the run ``feed``s it while the instrument
has ``live`` orders and at the end of each session of an instrument with a daily price
band (its close is the next band's base); ``prepare`` feeds the latest bar just before the
engine acts on an instrument. Between those bars the exchange would only have updated the
instrument's last price.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from jts.contexts.trading.domain.event_fields import event_ids
from jts.contexts.trading.domain.lifecycle import apply
from jts.contexts.trading.domain.records import OrderRecord
from jts.messages.trading import (
    ModifyOrder,
    OrderEvent,
    OrderPendingCancel,
    OrderPendingModify,
    OrderSubmitted,
    SubmitOrder,
)
from jts.runtime.backtest.engine.market import MarketData
from jts.runtime.backtest.exchange import SimulatedExchange
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId, StrategyId

BROKER = "backtest"
EventHandler = Callable[[OrderEvent, OrderRecord], None]


class OrderDesk:
    """Submits, cancels and modifies orders; keeps their records; feeds the exchange."""

    def __init__(
        self,
        exchange: SimulatedExchange,
        events: list[OrderEvent],
        markets: dict[InstrumentId, MarketData],
        *,
        clock: TestClock,
        on_event: EventHandler,
        rows: dict[InstrumentId, int],
        feed_every_bar: bool = False,
    ) -> None:
        self.exchange = exchange
        self._events = events  # the exchange's sink
        self._markets = markets
        self._clock = clock
        self._on_event = on_event
        self.feed_every_bar = feed_every_bar
        self.records: dict[ClientOrderId, OrderRecord] = {}
        self.live: dict[InstrumentId, int] = dict.fromkeys(markets, 0)
        self._live_by_strategy: dict[StrategyId, int] = {}
        self._fed: dict[InstrumentId, int] = dict.fromkeys(markets, -1)
        self._row = rows  # each instrument's latest closed bar, kept by the run

    # --- market data ------------------------------------------------------------------------

    def feed(self, instrument_id: InstrumentId, row: int) -> None:
        """Hand bar ``row`` of ``instrument_id`` to the exchange."""
        self._feed(instrument_id, self._markets[instrument_id], row)

    def prepare(self, instrument_id: InstrumentId) -> None:
        """Bring the exchange up to the instrument's latest bar before acting on it."""
        row = self._row[instrument_id]
        if row >= 0 and self._fed[instrument_id] != row:
            self._feed(instrument_id, self._markets[instrument_id], row)

    def _feed(self, instrument_id: InstrumentId, market: MarketData, row: int) -> None:
        self._fed[instrument_id] = row
        self.exchange.on_bar(market.bar(row))
        self.dispatch()

    # --- orders -----------------------------------------------------------------------------

    def submit(self, command: SubmitOrder) -> OrderRecord:
        """Record the order, send it, and apply what the exchange answers."""
        instrument_id = command.instrument_id
        self.prepare(instrument_id)
        now = self._clock.now_ns()
        record = OrderRecord.from_command(command, created_ns=now)
        submitted = OrderSubmitted(
            client_order_id=command.client_order_id,
            instrument_id=instrument_id,
            strategy_id=command.strategy_id,
            broker=BROKER,
            ts_event=now,
            ts_init=now,
            correlation_id=command.correlation(),
        )
        self.records[command.client_order_id] = apply(record, submitted)
        self.live[instrument_id] += 1
        strategy = command.strategy_id
        self._live_by_strategy[strategy] = self._live_by_strategy.get(strategy, 0) + 1
        self.exchange.submit(command)
        self.dispatch()
        return self.records[command.client_order_id]

    def cancel(self, client_order_id: ClientOrderId) -> None:
        """Cancel what is left of a working order (no-op once it is closed)."""
        record = self.records[client_order_id]
        if record.status.is_terminal:
            return
        self.prepare(record.instrument_id)
        self._pending(OrderPendingCancel(**event_ids(record, self._clock.now_ns())))
        self.exchange.cancel(client_order_id)
        self.dispatch()

    def move_trigger(self, client_order_id: ClientOrderId, trigger: Decimal) -> None:
        """Send a working stop a new trigger price."""
        record = self.records[client_order_id]
        if record.status.is_terminal or record.trigger_price == trigger:
            return
        self.prepare(record.instrument_id)
        command = ModifyOrder(
            client_order_id=client_order_id,
            instrument_id=record.instrument_id,
            trigger_price=trigger,
            ts_init=self._clock.now_ns(),
        )
        self._pending(OrderPendingModify(**event_ids(record, self._clock.now_ns())))
        self.exchange.modify(command)
        self.dispatch()

    def live_for(self, strategy_id: StrategyId) -> int:
        """Orders of ``strategy_id`` not yet closed."""
        return self._live_by_strategy.get(strategy_id, 0)

    def _pending(self, event: OrderEvent) -> None:
        self.records[event.client_order_id] = apply(self.records[event.client_order_id], event)

    def is_live(self, client_order_id: ClientOrderId | None) -> bool:
        if client_order_id is None:
            return False
        return not self.records[client_order_id].status.is_terminal

    def dispatch(self) -> None:
        """Apply the exchange's events to the records, then hand each to the engine."""
        events = self._events
        while events:
            batch = list(events)
            events.clear()
            for event in batch:
                self._apply(event)

    def _apply(self, event: OrderEvent) -> None:
        before = self.records[event.client_order_id]
        record = apply(before, event)
        self.records[event.client_order_id] = record
        if record.status.is_terminal and not before.status.is_terminal:
            self.live[record.instrument_id] -= 1
            self._live_by_strategy[record.strategy_id] -= 1
        self._on_event(event, record)
