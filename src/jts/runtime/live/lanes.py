"""``Lane``: one strategy trading one instrument under the trading contract, live.

The steps are the ones the event-driven backtest takes at each bar close
(``runtime.backtest.engine.trading``, after the contract stated in
``runtime.backtest.vectorized``), so a replay through the live node trades as a backtest
does; here the orders go through the OMS (``OrderPort``) instead of the backtest's
in-memory order desk, and their reports come back through ``on_order_event``:

1. a limit entry that has worked ``ttl`` bars without filling completely is canceled;
2. if the stop or the take-profit filled in this bar, the other is canceled;
3. the trailing level rises to the bar's close minus the distance (percent: ``close * (1 -
   p)``), rounded up onto the tick grid, and a working stop's trigger follows it;
4. when the entry finished (filled, or canceled with a part filled) and a lot is held with
   no exit working, protective orders go out: a reduce-only stop-market sell at ``max(stop
   loss, trailing level)`` and a reduce-only take-profit limit sell, clipped into the band;
5. an exit signal, while a lot is held and no exit works, cancels the entry's rest and the
   protective orders and sends a market sell of what the strategy holds;
6. an entry signal, while flat with nothing working and no exit sent in this step, is
   planned by risk (``OrderPlanner``), checked (``PreTradeGate``) and sent.

``halted`` (the kill switch) refuses step 6 and keeps the rest: exits and protection still
work, so the account can only reduce.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Protocol

import msgspec

from jts.contexts.risk.application.gate import PreTradeGate
from jts.contexts.risk.application.orders import OrderPlanner
from jts.contexts.trading.domain.records import OrderRecord
from jts.messages.enums import OrderType
from jts.messages.strategy import EntrySignalRaised, ExitSignalRaised, SignalEvent
from jts.messages.trading import OrderDenied, OrderEvent, OrderFilled, SubmitOrder
from jts.runtime.live.account import PaperAccountView
from jts.runtime.live.portfolio_tracker import PortfolioTracker
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId, StrategyId
from jts.shared_kernel.numbers import ZERO, Rounding, to_decimal
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.instruments import Instrument
from jts.shared_kernel.venues.types import OrderSide

ENTRY, EXIT, STOP_LOSS, TAKE_PROFIT, TRAILING_STOP = (
    "entry",
    "exit",
    "stop_loss",
    "take_profit",
    "trailing_stop",
)


class LaneState(msgspec.Struct, frozen=True, kw_only=True):
    """What a lane knows that the stores do not: its orders' roles and its levels."""

    strategy_id: StrategyId
    instrument_id: InstrumentId
    entry: ClientOrderId | None = None
    exit: ClientOrderId | None = None
    stop: ClientOrderId | None = None
    take: ClientOrderId | None = None
    entry_ttl: int | None = None
    entry_bars: int = 0
    stop_loss: Decimal | None = None
    take_profit: Decimal | None = None
    trailing: Decimal | None = None
    stop_reason: str = STOP_LOSS
    signal: EntrySignalRaised | None = None


class OrderPort(Protocol):
    """How a lane places and changes orders (the desk, over the OMS)."""

    async def submit(self, command: SubmitOrder, role: str) -> bool:
        """Send ``command``; whether it is working (not refused on the way)."""
        ...

    async def cancel(self, client_order_id: ClientOrderId) -> None: ...

    async def move_trigger(self, client_order_id: ClientOrderId, trigger: Decimal) -> None: ...

    def trigger_of(self, client_order_id: ClientOrderId) -> Decimal | None: ...

    def leaves_of(self, client_order_id: ClientOrderId) -> Decimal:
        """The quantity of the order still to fill."""
        ...


class Lane:
    """The orders and protective levels of one strategy's trades in one instrument."""

    def __init__(
        self,
        *,
        strategy_id: StrategyId,
        instrument: Instrument,
        orders: OrderPort,
        planner: OrderPlanner,
        gate: PreTradeGate,
        account: PaperAccountView,
        tracker: PortfolioTracker,
        trailing_mode: str | None,
    ) -> None:
        self.strategy_id = strategy_id
        self.instrument = instrument
        self._orders = orders
        self._planner = planner
        self._gate = gate
        self._account = account
        self._tracker = tracker
        self.trailing_mode = trailing_mode
        self.denials: list[OrderDenied] = []
        self.halted = False
        self.entry: ClientOrderId | None = None
        self.exit: ClientOrderId | None = None
        self.stop: ClientOrderId | None = None
        self.take: ClientOrderId | None = None
        self.entry_ttl: int | None = None
        self.entry_bars = 0
        self.stop_loss: Decimal | None = None
        self.take_profit: Decimal | None = None
        self.trailing: Decimal | None = None
        self.stop_reason = STOP_LOSS  # the level that set the stop's trigger last
        self.entry_done = False
        self.protect_filled: str | None = None
        self._signal: EntrySignalRaised | None = None
        self.close = ZERO  # the close of the bar being handled
        self.ts_ns = -1  # its close time; -1 before the first bar
        self.exited_in_step = False

    # --- the venue's reports ----------------------------------------------------------------

    def on_order_event(self, event: OrderEvent, record: OrderRecord) -> None:
        order = event.client_order_id
        if isinstance(event, OrderFilled) and order in (self.stop, self.take):
            self.protect_filled = STOP_LOSS if order == self.stop else TAKE_PROFIT
        if not record.status.is_terminal:
            return
        if order == self.entry:
            self.entry = None
            self.entry_done = record.filled_quantity > ZERO
        elif order == self.exit:
            self.exit = None
        elif order == self.stop:
            self.stop = None
        elif order == self.take:
            self.take = None

    def adopt(self, record: OrderRecord, role: str) -> None:
        """Take over an order found working at start-up, in the role it was sent for."""
        order = record.client_order_id
        if role == ENTRY:
            self.entry = order
        elif role == EXIT:
            self.exit = order
        elif role == STOP_LOSS:
            self.stop = order
        elif role == TAKE_PROFIT:
            self.take = order

    def checkpoint(self) -> LaneState:
        return LaneState(
            strategy_id=self.strategy_id,
            instrument_id=self.instrument.id,
            entry=self.entry,
            exit=self.exit,
            stop=self.stop,
            take=self.take,
            entry_ttl=self.entry_ttl,
            entry_bars=self.entry_bars,
            stop_loss=self.stop_loss,
            take_profit=self.take_profit,
            trailing=self.trailing,
            stop_reason=self.stop_reason,
            signal=self._signal,
        )

    def restore(self, state: LaneState, working: set[ClientOrderId]) -> None:
        """Take the levels back from ``state``; only orders in ``working`` are kept."""

        def kept(order: ClientOrderId | None) -> ClientOrderId | None:
            return order if order in working else None

        self.entry, self.exit = kept(state.entry), kept(state.exit)
        self.stop, self.take = kept(state.stop), kept(state.take)
        self.entry_ttl, self.entry_bars = state.entry_ttl, state.entry_bars
        self.stop_loss, self.take_profit = state.stop_loss, state.take_profit
        self.trailing, self._signal = state.trailing, state.signal
        self.stop_reason = state.stop_reason

    def role_of(self, order: ClientOrderId) -> str | None:
        """The role ``order`` has in this lane, if any."""
        roles = {self.entry: ENTRY, self.exit: EXIT, self.stop: STOP_LOSS, self.take: TAKE_PROFIT}
        return roles.get(order)

    def reason_of(self, role: str) -> str:
        """Why an order of ``role`` was sent (a stop: the level that set its trigger last)."""
        return self.stop_reason if role == STOP_LOSS else role

    @property
    def busy(self) -> bool:
        """Whether a step can do anything without a signal."""
        return (
            self.entry is not None
            or self.exit is not None
            or self.stop is not None
            or self.take is not None
            or self.entry_done
            or self.protect_filled is not None
            or self.trailing is not None
        )

    def working(self) -> list[ClientOrderId]:
        return [o for o in (self.entry, self.exit, self.stop, self.take) if o is not None]

    # --- steps 1-4 --------------------------------------------------------------------------

    async def manage(self, trailing_value: float) -> None:
        """Steps 1 to 4 at the close of the current bar."""
        if self.entry is not None and self.entry_ttl is not None:
            self.entry_bars += 1
            if self.entry_bars >= self.entry_ttl:
                await self._orders.cancel(self.entry)
        if self.protect_filled is not None:
            other = self.take if self.protect_filled == STOP_LOSS else self.stop
            if other is not None:
                await self._orders.cancel(other)
        if self.trailing is not None and math.isfinite(trailing_value):
            await self._trail(trailing_value)
        if self.entry_done and self._held_lot() and self.exit is None:
            await self._protect()

    async def _trail(self, value: float) -> None:
        assert self.trailing is not None
        self.trailing = max(self.trailing, self._trailing_level(value))
        stop = self.stop
        if stop is None:
            return
        trigger, reason = self._clip(self._stop_level()), self._stop_kind()
        if trigger <= (self._orders.trigger_of(stop) or ZERO):
            return
        leaves = self._orders.leaves_of(stop)
        iid = self.instrument.id
        if self._account.venue_refusal(iid, OrderSide.SELL, leaves, None, trigger) is None:
            await self._orders.move_trigger(stop, trigger)
            self.stop_reason = reason

    def _trailing_level(self, value: float) -> Decimal:
        """The level this bar's close gives (rounded up onto the grid; zero when it is not
        a positive price: a stop there could never trigger)."""
        amount = to_decimal(value, what="trailing stop")
        close = self.close
        raw = close * (1 - amount) if self.trailing_mode == "percent" else close - amount
        if raw <= ZERO:
            return ZERO
        return self._round_up(raw, self.ts_ns)

    def _stop_level(self) -> Decimal:
        return max(x for x in (self.stop_loss, self.trailing) if x is not None)

    def _stop_kind(self) -> str:
        """The stop-loss unless the trailing level is higher."""
        trailing, stop_loss = self.trailing, self.stop_loss
        if trailing is not None and (stop_loss is None or trailing > stop_loss):
            return TRAILING_STOP
        return STOP_LOSS

    async def _protect(self) -> None:
        free = self._account.free_quantity(self.instrument.id)
        quantity = rules.round_quantity(self.instrument, free) if free > ZERO else ZERO
        if quantity <= ZERO:
            return
        if self.stop_loss is not None or self.trailing is not None:
            trigger = self._clip(self._stop_level())
            if trigger > ZERO:
                self.stop = await self._protective(OrderType.STOP_MARKET, quantity, trigger)
                self.stop_reason = self._stop_kind()
        if self.take_profit is not None:
            limit = self._clip(self.take_profit)
            self.take = await self._protective(OrderType.LIMIT, quantity, limit)

    async def _protective(
        self, order_type: OrderType, quantity: Decimal, price: Decimal
    ) -> ClientOrderId | None:
        is_stop = order_type is OrderType.STOP_MARKET
        limit, trigger = (None, price) if is_stop else (price, None)
        signal = self._signal
        if signal is None or self._account.venue_refusal(
            self.instrument.id, OrderSide.SELL, quantity, limit, trigger
        ):
            return None
        command = self._planner.order(
            signal, OrderSide.SELL, quantity, limit, trigger=trigger, reduce_only=True
        )
        return await self._send(command, STOP_LOSS if is_stop else TAKE_PROFIT)

    # --- steps 5-6 --------------------------------------------------------------------------

    def begin_step(self, close: Decimal, ts_ns: int) -> bool:
        """Start the step of the bar closing at ``ts_ns``; ``False`` if it already started."""
        if ts_ns == self.ts_ns:
            return False
        self.close, self.ts_ns = close, ts_ns
        return True

    async def on_signals(self, signals: list[SignalEvent], trailing_value: float) -> None:
        """Steps 5 and 6: act on what the strategy asked for at this close (signals may
        come one at a time: an exit in this step still blocks a later entry)."""
        for signal in signals:
            if isinstance(signal, ExitSignalRaised):
                self.exited_in_step = await self._exit(signal) or self.exited_in_step
            elif isinstance(signal, EntrySignalRaised) and not self.exited_in_step:
                await self._enter(signal, trailing_value)

    def finish_step(self) -> None:
        """Forget what only mattered within this step; drop the levels of a finished trade."""
        self.entry_done = False
        self.protect_filled = None
        self.exited_in_step = False
        if not self._held_lot() and self.entry is None and self.exit is None:
            self.stop_loss = self.take_profit = self.trailing = None

    async def _exit(self, signal: ExitSignalRaised) -> bool:
        if self.exit is not None or not self._held_lot():
            return False
        for order in (self.entry, self.stop, self.take):
            if order is not None:
                await self._orders.cancel(order)
        planned = self._planner.exit_order(signal)
        if planned is None:
            return False
        if isinstance(planned, OrderDenied):
            self.denials.append(planned)
            return False
        self.exit = await self._send(planned, EXIT)
        return self.exit is not None

    async def _enter(self, signal: EntrySignalRaised, trailing_value: float) -> None:
        if self.halted or self._held_lot() or self.working():
            return
        if self.trailing_mode is not None and not math.isfinite(trailing_value):
            return  # the trailing stop's level is still warming up
        planned = self._planner.entry_order(signal)
        if isinstance(planned, OrderDenied):
            self.denials.append(planned)
            return
        self._signal = signal
        ts = signal.ts_event
        self.stop_loss = None if signal.stop_loss is None else self._round_up(signal.stop_loss, ts)
        self.take_profit = (
            None if signal.take_profit is None else self._round_up(signal.take_profit, ts)
        )
        self.trailing = None
        if self.trailing_mode is not None:
            self.trailing = self._trailing_level(trailing_value)
        self.entry_ttl = signal.ttl_bars if planned.order_type is OrderType.LIMIT else None
        self.entry_bars = 0
        self.entry = await self._send(planned, ENTRY)

    # --- helpers ----------------------------------------------------------------------------

    async def _send(self, command: SubmitOrder, role: str) -> ClientOrderId | None:
        checked = self._gate.check(command)
        if isinstance(checked, OrderDenied):
            self.denials.append(checked)
            return None
        working = await self._orders.submit(command, role)
        return command.client_order_id if working else None

    def _held_lot(self) -> bool:
        position = self._tracker.position(self.strategy_id, self.instrument.id)
        return position is not None and position.is_open

    def _round_up(self, price: Decimal, ts_ns: int) -> Decimal:
        on = self._account.session_date(self.instrument.id, ts_ns)
        return rules.round_price(self.instrument, price, on=on, rounding=Rounding.UP)

    def _clip(self, price: Decimal) -> Decimal:
        band = self._account.price_band(self.instrument.id)
        return price if band is None else min(max(price, band[0]), band[1])
