"""``InstrumentTrading``: what the engine does for one instrument at each of its bar closes.

The program step of the trading contract (``runtime.backtest.vectorized``'s docstring), in
its order:

1. a limit entry that has worked ``ttl`` bars without filling completely is canceled;
2. if the stop or the take-profit filled in this bar, the other is canceled;
3. the trailing level becomes ``max(level, close - distance)`` (percent: ``close * (1 -
   p)``), rounded up onto the tick grid, and a working stop's trigger follows it upwards;
4. when the entry finished in this bar (filled, or canceled with a part filled) and the
   position holds a lot with no exit working, protective orders go out for the sellable
   holding: a reduce-only stop-market sell at ``max(stop-loss, trailing level)`` and a
   reduce-only take-profit limit sell, clipped into the daily price band;
5. an exit signal, while a lot is held and no exit works, cancels the entry's rest and the
   protective orders and sends a market sell of the sellable holding;
6. an entry signal, while flat with no order working and no exit sent in this step, is
   planned by risk (``OrderPlanner``), checked (``PreTradeGate``) and sent; its levels are
   fixed from the signal bar's close, rounded up onto the tick grid.

Every order goes through the ``PreTradeGate``; refusals are kept as ``OrderDenied`` events.
Accounts are spot and long-only, as the simulated exchange is: the gate refuses short
entries (rule ``short_selling``).
"""

from __future__ import annotations

import math
from decimal import Decimal

from jts.contexts.portfolio.domain.portfolio import Portfolio
from jts.contexts.risk.application.gate import PreTradeGate
from jts.contexts.risk.application.orders import OrderPlanner
from jts.contexts.trading.domain.records import OrderRecord
from jts.messages.enums import OrderType
from jts.messages.strategy import EntrySignalRaised, ExitSignalRaised, SignalEvent
from jts.messages.trading import OrderDenied, OrderEvent, OrderFilled, SubmitOrder
from jts.runtime.backtest.engine.account import BacktestAccount
from jts.runtime.backtest.engine.market import MarketData
from jts.runtime.backtest.engine.orders import OrderDesk
from jts.shared_kernel.identifiers import ClientOrderId
from jts.shared_kernel.numbers import ZERO, Rounding, to_decimal
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.types import OrderSide

ENTRY, EXIT, STOP_LOSS, TAKE_PROFIT, TRAILING_STOP = (
    "entry",
    "exit",
    "stop_loss",
    "take_profit",
    "trailing_stop",
)


class InstrumentTrading:
    """The orders and protective levels of one instrument's trades."""

    def __init__(
        self,
        market: MarketData,
        *,
        desk: OrderDesk,
        planner: OrderPlanner,
        gate: PreTradeGate,
        account: BacktestAccount,
        trailing_mode: str | None,
        denials: list[OrderDenied],
    ) -> None:
        self.market = market
        self.instrument = market.instrument
        self._desk = desk
        self._planner = planner
        self._gate = gate
        self._account = account
        self._portfolio: Portfolio = account.portfolio
        self._trailing_mode = trailing_mode
        self._denials = denials
        self.reasons: dict[ClientOrderId, str] = {}
        self.entry: ClientOrderId | None = None
        self.exit: ClientOrderId | None = None
        self.stop: ClientOrderId | None = None
        self.take: ClientOrderId | None = None
        self.entry_ttl: int | None = None
        self.entry_bars = 0
        self.stop_loss: Decimal | None = None
        self.take_profit: Decimal | None = None
        self.trailing: Decimal | None = None
        self.stop_reason = STOP_LOSS
        self.entry_done = False
        self.protect_filled: str | None = None  # STOP_LOSS or TAKE_PROFIT, in this bar
        self._trade_signal: EntrySignalRaised | None = None

    # --- the exchange's reports -------------------------------------------------------------

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

    def reason_of(self, order: ClientOrderId) -> str:
        """Why ``order`` was sent (a stop: the level that set its trigger last)."""
        reason = self.reasons[order]
        return self.stop_reason if reason == STOP_LOSS else reason

    @property
    def busy(self) -> bool:
        """Whether a step can do anything without a signal: orders or levels are live."""
        return (
            self.entry is not None
            or self.exit is not None
            or self.stop is not None
            or self.take is not None
            or self.entry_done
            or self.protect_filled is not None
            or self.trailing is not None
        )

    # --- steps 1-4 --------------------------------------------------------------------------

    def manage(self, row: int, trailing_value: float) -> None:
        """Steps 1 to 4 at the close of bar ``row``."""
        desk = self._desk
        if self.entry is not None and self.entry_ttl is not None:
            self.entry_bars += 1
            if self.entry_bars >= self.entry_ttl:
                desk.cancel(self.entry)
        if self.protect_filled is not None:
            other = self.take if self.protect_filled == STOP_LOSS else self.stop
            if other is not None:
                desk.cancel(other)
        if self.trailing is not None and math.isfinite(trailing_value):
            self._trail(row, trailing_value)
        if self.entry_done and self._held_lot() and self.exit is None:
            self._protect()

    def _trail(self, row: int, value: float) -> None:
        assert self.trailing is not None
        self.trailing = max(self.trailing, self.trailing_level(row, value))
        stop = self.stop
        if stop is None:
            return
        trigger, reason = self._clip(self._stop_level()), self._stop_kind()
        current = self._desk.records[stop]
        if trigger <= (current.trigger_price or ZERO):
            return
        leaves = current.quantity - current.filled_quantity
        iid = self.instrument.id
        if self._account.venue_refusal(iid, OrderSide.SELL, leaves, None, trigger) is None:
            self._desk.move_trigger(stop, trigger)
            self.stop_reason = reason

    def trailing_level(self, row: int, value: float) -> Decimal:
        """The trailing level this bar's close gives (rounded up onto the grid; zero when it
        is not a positive price)."""
        close = self.market.close_price(row)
        amount = to_decimal(value, what="trailing stop")
        raw = close * (1 - amount) if self._trailing_mode == "percent" else close - amount
        if raw <= ZERO:
            return ZERO  # no level: a stop there could never trigger
        return self._round_up(raw, self.market.ts_event[row])

    def _stop_level(self) -> Decimal:
        levels = [x for x in (self.stop_loss, self.trailing) if x is not None]
        return max(levels)

    def _stop_kind(self) -> str:
        """The level the stop's trigger comes from: the stop-loss unless the trailing level
        is higher."""
        trailing, stop_loss = self.trailing, self.stop_loss
        if trailing is not None and (stop_loss is None or trailing > stop_loss):
            return TRAILING_STOP
        return STOP_LOSS

    def _protect(self) -> None:
        free = self._account.free_quantity(self.instrument.id)
        quantity = rules.round_quantity(self.instrument, free) if free > ZERO else ZERO
        if quantity <= ZERO:
            return
        if self.stop_loss is not None or self.trailing is not None:
            trigger = self._clip(self._stop_level())
            if trigger > ZERO:
                self.stop = self._protective(OrderType.STOP_MARKET, quantity, trigger, STOP_LOSS)
                self.stop_reason = self._stop_kind()
        if self.take_profit is not None:
            limit = self._clip(self.take_profit)
            self.take = self._protective(OrderType.LIMIT, quantity, limit, TAKE_PROFIT)

    def _protective(
        self, order_type: OrderType, quantity: Decimal, price: Decimal, reason: str
    ) -> ClientOrderId | None:
        is_stop = order_type is OrderType.STOP_MARKET
        limit, trigger = (None, price) if is_stop else (price, None)
        iid = self.instrument.id
        signal = self._trade_signal
        if signal is None or self._account.venue_refusal(
            iid, OrderSide.SELL, quantity, limit, trigger
        ):
            return None
        command = self._planner.order(
            signal, OrderSide.SELL, quantity, limit, trigger=trigger, reduce_only=True
        )
        return self._send(command, reason)

    # --- steps 5-6 --------------------------------------------------------------------------

    def on_signals(self, row: int, signals: list[SignalEvent], trailing_value: float) -> None:
        """Steps 5 and 6: act on what the strategy asked for at this close."""
        exited = False
        for signal in signals:
            if isinstance(signal, ExitSignalRaised):
                exited = self._exit(signal) or exited
            elif isinstance(signal, EntrySignalRaised) and not exited:
                self._enter(row, signal, trailing_value)

    def finish_step(self) -> None:
        """Forget what only mattered within this step; drop the levels of a finished trade."""
        self.entry_done = False
        self.protect_filled = None
        if not self._held_lot() and self.entry is None and self.exit is None:
            self.stop_loss = self.take_profit = self.trailing = None

    def _exit(self, signal: ExitSignalRaised) -> bool:
        if self.exit is not None or not self._held_lot():
            return False
        for order in (self.entry, self.stop, self.take):
            if order is not None:
                self._desk.cancel(order)
        planned = self._planner.exit_order(signal)
        if planned is None:
            return False
        if isinstance(planned, OrderDenied):
            self._denials.append(planned)
            return False
        self.exit = self._send(planned, EXIT)
        return self.exit is not None

    def _enter(self, row: int, signal: EntrySignalRaised, trailing_value: float) -> None:
        if self._held_lot() or any(
            order is not None for order in (self.entry, self.exit, self.stop, self.take)
        ):
            return
        if self._trailing_mode is not None and not math.isfinite(trailing_value):
            return  # the trailing stop's level is still warming up
        planned = self._planner.entry_order(signal)
        if isinstance(planned, OrderDenied):
            self._denials.append(planned)
            return
        self._trade_signal = signal
        ts = signal.ts_event
        self.stop_loss = None if signal.stop_loss is None else self._round_up(signal.stop_loss, ts)
        self.take_profit = (
            None if signal.take_profit is None else self._round_up(signal.take_profit, ts)
        )
        self.trailing = None
        if self._trailing_mode is not None:
            self.trailing = self.trailing_level(row, trailing_value)
        self.entry_ttl = signal.ttl_bars if planned.order_type is OrderType.LIMIT else None
        self.entry_bars = 0
        self.entry = self._send(planned, ENTRY)

    # --- helpers ----------------------------------------------------------------------------

    def _send(self, command: SubmitOrder, reason: str) -> ClientOrderId | None:
        checked = self._gate.check(command)
        if isinstance(checked, OrderDenied):
            self._denials.append(checked)
            return None
        self.reasons[command.client_order_id] = reason
        record = self._desk.submit(command)
        return None if record.status.is_terminal else command.client_order_id

    def _held_lot(self) -> bool:
        position = self._portfolio.position(self.instrument.id)
        return position is not None and position.is_open

    def _round_up(self, price: Decimal, ts_ns: int) -> Decimal:
        on = self._account.session_date(self.instrument.id, ts_ns)
        return rules.round_price(self.instrument, price, on=on, rounding=Rounding.UP)

    def _clip(self, price: Decimal) -> Decimal:
        band = self._account.price_band(self.instrument.id)
        return price if band is None else min(max(price, band[0]), band[1])
