"""``TradingDesk``: strategy signals become orders through risk and the OMS.

The desk consumes ``signals.*`` from the bus and runs each signal through its ``Lane``
(one per strategy and instrument, see ``lanes``): risk's ``OrderPlanner`` sizes it, the
``PreTradeGate`` checks it, the OMS places it write-ahead with the paper broker. The OMS's
events reach ``on_order_event`` in line (the node's publisher calls it before the bus), so a
lane always knows the state of its orders when the next bar comes. Refusals are published
as ``OrderDenied`` on ``orders.failures``.

At each bar close the node calls ``end_of_bar``: lanes of that instrument that had no
signal still take steps 1-4 (time-to-live, stops, trailing) and every lane ends its step.

``halt`` is the kill switch: no lane opens a position again, and working entry orders are
canceled; exits and protective orders keep working, so the account can only reduce.
``resume`` (the switch released) lets the lanes open positions again.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from typing import Protocol

from jts.contexts.risk.application.gate import PreTradeGate
from jts.contexts.risk.application.orders import OrderPlanner
from jts.contexts.risk.application.ports import InstrumentSpecs
from jts.contexts.trading.application.oms import OrderManager
from jts.contexts.trading.domain.lifecycle import apply
from jts.contexts.trading.domain.records import OrderRecord
from jts.messages.base import Event, Message
from jts.messages.enums import OrderType
from jts.messages.market_data import Bar
from jts.messages.strategy import SignalEvent
from jts.messages.trading import CancelOrder, ModifyOrder, OrderEvent, SubmitOrder
from jts.runtime.backtest.engine.run import RunEdge
from jts.runtime.backtest.results import Trade
from jts.runtime.live.account import PaperAccountView
from jts.runtime.live.lanes import ENTRY, EXIT, STOP_LOSS, TAKE_PROFIT, Lane, LaneState
from jts.runtime.live.portfolio_tracker import PortfolioTracker
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.errors import ConfigurationError, InvalidOrderTransition
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId, StrategyId
from jts.shared_kernel.timeframes import Timeframe
from jts.shared_kernel.venues.types import OrderSide

_log = logging.getLogger(__name__)
Publish = Callable[[Message], Awaitable[None]]
LaneKey = tuple[StrategyId, InstrumentId]


class TrailingValues(Protocol):
    """The trailing-stop distance each strategy's program gives on its latest bar."""

    def trailing_value(self, strategy_id: StrategyId, instrument_id: InstrumentId) -> float: ...


class OrderIds:
    """Client order ids ``<prefix>-<n>``, counting on from the highest already stored."""

    def __init__(self, prefix: str, start: int = 0) -> None:
        self._prefix = prefix
        self.last = start

    def __call__(self) -> ClientOrderId:
        self.last += 1
        return ClientOrderId(f"{self._prefix}-{self.last}")

    def follow(self, client_order_id: str) -> None:
        """Never reuse the number of ``client_order_id`` if it is one of ours."""
        head, _, number = client_order_id.rpartition("-")
        if head == self._prefix and number.isdigit():
            self.last = max(self.last, int(number))


class TradingDesk:
    """Lanes, their orders and the OMS calls behind them."""

    def __init__(
        self,
        *,
        oms: OrderManager,
        account: PaperAccountView,
        tracker: PortfolioTracker,
        instruments: InstrumentSpecs,
        gate: PreTradeGate,
        clock: Clock,
        order_ids: OrderIds,
        publish: Publish | None = None,
        trailing: TrailingValues | None = None,
    ) -> None:
        self._oms = oms
        self._account = account
        self._tracker = tracker
        self._instruments = instruments
        self._gate = gate
        self._clock = clock
        self._publish: Publish = publish or _nowhere
        self._trailing: TrailingValues = trailing or _NoTrailing()
        self.order_ids = order_ids
        self._lanes: dict[LaneKey, Lane] = {}
        self._by_instrument: dict[InstrumentId, list[tuple[Lane, Timeframe | None]]] = {}
        self._records: dict[ClientOrderId, tuple[OrderRecord, Lane]] = {}
        self._roles: dict[ClientOrderId, str] = {}
        self._open_by_strategy: dict[StrategyId, int] = {}
        self._instruments_of: dict[StrategyId, list[InstrumentId]] = {}
        self.halted_reason: str | None = None
        self.denied = 0
        self._edges: dict[StrategyId, RunEdge] = {}

    # --- set-up -----------------------------------------------------------------------------

    def attach(self, *, publish: Publish, trailing: TrailingValues) -> None:
        """Where refusals go (the bus) and where trailing distances come from (the engine)."""
        self._publish = publish
        self._trailing = trailing

    def register(
        self,
        strategy_id: StrategyId,
        instrument_id: InstrumentId,
        *,
        timeframe: Timeframe | None,
        trailing_mode: str | None,
    ) -> Lane:
        """Open the lane of ``strategy_id`` on ``instrument_id`` (its bars: ``timeframe``)."""
        key = (strategy_id, instrument_id)
        lane = self._lanes.get(key)
        if lane is not None:
            return lane
        view = self._account.for_strategy(strategy_id)
        planner = OrderPlanner(
            account=view,
            market=view,
            instruments=self._instruments,
            clock=self._clock,
            order_ids=self.order_ids,
            kelly=self._edge(strategy_id),
        )
        lane = Lane(
            strategy_id=strategy_id,
            instrument=self._instruments.get(instrument_id),
            orders=_LaneOrders(self),
            planner=planner,
            gate=self._gate,
            account=view,
            tracker=self._tracker,
            trailing_mode=trailing_mode,
        )
        lane.halted = self.halted_reason is not None
        self._lanes[key] = lane
        self._by_instrument.setdefault(instrument_id, []).append((lane, timeframe))
        self._instruments_of.setdefault(strategy_id, []).append(instrument_id)
        return lane

    def adopt(self, records: list[OrderRecord], states: Sequence[LaneState] = ()) -> int:
        """Take over open orders found in the store at start-up, with the lanes' saved
        levels (``checkpoint``) when there are some; how many orders were adopted."""
        working = {r.client_order_id for r in records if not r.status.is_terminal}
        for state in states:
            lane = self._lanes.get((state.strategy_id, state.instrument_id))
            if lane is not None:
                lane.restore(state, working)
        adopted = 0
        for record in records:
            self.order_ids.follow(record.client_order_id)
            lane = self._lanes.get((record.strategy_id, record.instrument_id))
            if lane is None or record.status.is_terminal:
                continue
            role = lane.role_of(record.client_order_id) or _role_of(record)
            lane.adopt(record, role)
            self._track(record, lane, role)
            adopted += 1
        return adopted

    def record_trade(self, strategy_id: StrategyId, trade: Trade) -> None:
        """A round trip of ``strategy_id`` closed: it joins the strategy's Kelly statistics
        (net P&L in the base currency, as the backtest counts it)."""
        self._edge(strategy_id).record(trade.pnl * trade.fx_rate)

    def _edge(self, strategy_id: StrategyId) -> RunEdge:
        edge = self._edges.get(strategy_id)
        if edge is None:
            edge = self._edges[strategy_id] = RunEdge()
        return edge

    def checkpoint(self) -> list[LaneState]:
        """Every lane's levels and order roles, to resume after a restart."""
        return [lane.checkpoint() for lane in self._lanes.values()]

    # --- bus handlers -----------------------------------------------------------------------

    async def on_signal(self, message: Message) -> None:
        """Handler of ``signals.*``."""
        if not isinstance(message, SignalEvent):
            return
        key = (message.strategy_id, message.instrument_id)
        lane = self._lanes.get(key) or self.register(*key, timeframe=None, trailing_mode=None)
        trailing = self._trailing.trailing_value(*key)
        reference = getattr(message, "reference_price", None) or lane.close
        if lane.begin_step(reference, message.ts_event) and lane.busy:
            await lane.manage(trailing)
        await lane.on_signals([message], trailing)
        await self._flush(lane)

    async def end_of_bar(self, bar: Bar) -> None:
        """Steps 1-4 for lanes without a signal on ``bar``, and the end of every step."""
        for lane, timeframe in self._by_instrument.get(bar.instrument_id, ()):
            if timeframe is not None and timeframe != bar.timeframe:
                continue
            if lane.begin_step(bar.close, bar.ts_event) and lane.busy:
                await lane.manage(
                    self._trailing.trailing_value(lane.strategy_id, bar.instrument_id)
                )
            if lane.busy:
                lane.finish_step()
            await self._flush(lane)

    def on_order_event(self, event: Event) -> None:
        """Every event the OMS stores, in line, before it goes on the bus."""
        if not isinstance(event, OrderEvent):
            return
        entry = self._records.get(event.client_order_id)
        if entry is None:
            return
        before, lane = entry
        try:
            record = apply(before, event)
        except InvalidOrderTransition:
            return  # a report repeated by recovery: already applied
        self._records[event.client_order_id] = (record, lane)
        if record.status.is_terminal and not before.status.is_terminal:
            self._open_by_strategy[record.strategy_id] -= 1
        lane.on_order_event(event, record)

    # --- the kill switch --------------------------------------------------------------------

    async def halt(self, reason: str) -> None:
        """Stop opening positions; cancel every working entry order."""
        self.halted_reason = reason
        for lane in self._lanes.values():
            lane.halted = True
            if lane.entry is not None:
                await self.cancel(lane.entry)

    def resume(self) -> None:
        """The kill switch was released: lanes may open positions again."""
        self.halted_reason = None
        for lane in self._lanes.values():
            lane.halted = False

    # --- orders (the lanes' OrderPort) ------------------------------------------------------

    def open_orders(self, strategy_id: StrategyId) -> int:
        return self._open_by_strategy.get(strategy_id, 0)

    def open_total(self) -> int:
        """Working orders of every strategy."""
        return sum(self._open_by_strategy.values())

    def instruments_of(self, strategy_id: StrategyId) -> list[InstrumentId]:
        """The instruments ``strategy_id`` has lanes on."""
        return self._instruments_of.get(strategy_id, [])

    def open_records(self) -> list[OrderRecord]:
        return [record for record, _ in self._records.values() if not record.status.is_terminal]

    def reason_of(self, client_order_id: ClientOrderId) -> str:
        """Why an order was sent (``""`` for an order the desk does not know)."""
        entry = self._records.get(client_order_id)
        role = self._roles.get(client_order_id)
        return "" if entry is None or role is None else entry[1].reason_of(role)

    async def submit(self, command: SubmitOrder, lane: Lane, role: str) -> bool:
        record = OrderRecord.from_command(command, created_ns=self._clock.now_ns())
        self._track(record, lane, role)
        if not await self._oms.submit(command):
            raise ConfigurationError(
                f"client order id {command.client_order_id} is already in the order store; "
                "give each node run its own order id prefix"
            )
        current, _ = self._records[command.client_order_id]
        return not current.status.is_terminal

    async def cancel(self, client_order_id: ClientOrderId) -> None:
        record, _ = self._records[client_order_id]
        if record.status.is_terminal:
            return
        command = CancelOrder(
            client_order_id=client_order_id,
            instrument_id=record.instrument_id,
            strategy_id=record.strategy_id,
            ts_init=self._clock.now_ns(),
        )
        await self._oms.cancel(command)

    async def move_trigger(self, client_order_id: ClientOrderId, trigger: Decimal) -> None:
        record, _ = self._records[client_order_id]
        if record.status.is_terminal or record.trigger_price == trigger:
            return
        command = ModifyOrder(
            client_order_id=client_order_id,
            instrument_id=record.instrument_id,
            trigger_price=trigger,
            ts_init=self._clock.now_ns(),
        )
        await self._oms.modify(command)

    def trigger_of(self, client_order_id: ClientOrderId) -> Decimal | None:
        return self._records[client_order_id][0].trigger_price

    def leaves_of(self, client_order_id: ClientOrderId) -> Decimal:
        record = self._records[client_order_id][0]
        return record.quantity - record.filled_quantity

    def _track(self, record: OrderRecord, lane: Lane, role: str) -> None:
        self._records[record.client_order_id] = (record, lane)
        self._roles[record.client_order_id] = role
        strategy = record.strategy_id
        self._open_by_strategy[strategy] = self._open_by_strategy.get(strategy, 0) + 1

    async def _flush(self, lane: Lane) -> None:
        denials, lane.denials = lane.denials, []
        self.denied += len(denials)
        for denial in denials:
            await self._publish(denial)


class _LaneOrders:
    """The desk as one lane's ``OrderPort``."""

    __slots__ = ("_desk",)

    def __init__(self, desk: TradingDesk) -> None:
        self._desk = desk

    async def submit(self, command: SubmitOrder, role: str) -> bool:
        lane = self._desk._lanes[(command.strategy_id, command.instrument_id)]
        return await self._desk.submit(command, lane, role)

    async def cancel(self, client_order_id: ClientOrderId) -> None:
        await self._desk.cancel(client_order_id)

    async def move_trigger(self, client_order_id: ClientOrderId, trigger: Decimal) -> None:
        await self._desk.move_trigger(client_order_id, trigger)

    def trigger_of(self, client_order_id: ClientOrderId) -> Decimal | None:
        return self._desk.trigger_of(client_order_id)

    def leaves_of(self, client_order_id: ClientOrderId) -> Decimal:
        return self._desk.leaves_of(client_order_id)


async def _nowhere(message: Message) -> None:
    """Refusals go nowhere until the desk is attached to a bus."""


class _NoTrailing:
    def trailing_value(self, strategy_id: StrategyId, instrument_id: InstrumentId) -> float:
        return math.nan


def _role_of(record: OrderRecord) -> str:
    """What an order found at start-up was for (accounts are long-only)."""
    if record.side is OrderSide.BUY:
        return ENTRY
    if record.order_type is OrderType.STOP_MARKET:
        return STOP_LOSS
    if record.order_type is OrderType.LIMIT:
        return TAKE_PROFIT
    return EXIT
