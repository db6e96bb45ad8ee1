"""A slow, obvious implementation of the vectorized engine's trading contract on top of the
real ``SimulatedExchange``: bars one by one, orders as ``SubmitOrder`` commands, every
number in ``Decimal``. The kernel must produce exactly its fills.

It reads the program's ``Signals`` (floats) the way ``LanguageStrategy`` does (``repr``
decimals, levels around the signal bar's close) and follows the package docstring's
program step literally.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from jts.contexts.market_data.domain.series import BarSeries
from jts.contexts.strategy.domain.language.vectorized import Levels, Signals
from jts.messages.enums import OrderSide, OrderType
from jts.messages.market_data import Bar
from jts.messages.trading import (
    ModifyOrder,
    OrderCanceled,
    OrderEvent,
    OrderFilled,
    SubmitOrder,
)
from jts.runtime.backtest.exchange import ExchangeConfig, SimulatedExchange
from jts.runtime.backtest.exchange.reservations import buy_reserve_price
from jts.runtime.backtest.results import Fill, TradeBook
from jts.runtime.backtest.vectorized.sizing import (
    SizingInputs,
    TradeTally,
    asked_quantity,
    sized_quantity,
)
from jts.runtime.backtest.vectorized.specs import ProgramShape
from jts.shared_kernel.clock import TestClock
from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import ClientOrderId, StrategyId
from jts.shared_kernel.numbers import ZERO, Rounding, to_decimal
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.calendar import TradingCalendar
from jts.shared_kernel.venues.instruments import Instrument

STRATEGY = StrategyId("reference")


@dataclass
class _Slot:
    """One instrument's orders and levels, as the program step sees them."""

    entry: ClientOrderId | None = None
    entry_limit: Decimal | None = None
    entry_bars: int = 0
    entry_filled: Decimal = ZERO
    entry_done: bool = False
    exit: ClientOrderId | None = None
    stop: ClientOrderId | None = None
    stop_trigger: Decimal = ZERO
    stop_reason: str = "stop_loss"
    target: ClientOrderId | None = None
    stop_loss: Decimal = ZERO
    take_profit: Decimal = ZERO
    trail: Decimal = ZERO
    protect_filled: str | None = None
    reasons: dict[ClientOrderId, str] = field(default_factory=dict)


class ReferenceRun:
    def __init__(
        self,
        instruments: Sequence[Instrument],
        series: Sequence[BarSeries],
        calendars: Mapping[str, TradingCalendar],
        signals: Sequence[Signals],
        shape: ProgramShape,
        *,
        balances: Mapping[str, Decimal],
        config: ExchangeConfig,
        fx: Mapping[str, Decimal] | None = None,
        base: str | None = None,
    ) -> None:
        self.instruments = list(instruments)
        self.series = list(series)
        self.signals = list(signals)
        self.shape = shape
        self.config = config
        self.clock = TestClock(0)
        self.events: list[OrderEvent] = []
        self.exchange = SimulatedExchange(
            instruments=instruments,
            calendars=calendars,
            clock=self.clock,
            balances=dict(balances),
            config=config,
            sink=self.events.append,
        )
        quotes = [i.quote_currency for i in instruments]
        self.base = base or ("KRW" if "KRW" in quotes or fx else quotes[0])
        self.fx = dict(fx or {})
        self.fx[self.base] = Decimal(1)
        self.slots = [_Slot() for _ in instruments]
        self.owner: dict[ClientOrderId, int] = {}
        self.fills: list[Fill] = []
        self.book = TradeBook({i.id: i for i in instruments})
        self.tally = TradeTally()
        self.counter = 0

    # --- driving ---------------------------------------------------------------------------

    def run(self) -> list[Fill]:
        bars = []
        for i, series in enumerate(self.series):
            for b, bar in enumerate(series.iter_bars()):
                bars.append((bar.ts_event, i, b, bar))
        bars.sort(key=lambda item: (item[0], item[1]))
        for ts_event, i, b, bar in bars:
            self.clock.set_ns(max(self.clock.now_ns(), ts_event))
            self._exchange_step(i, bar)
            self._program_step(i, b, bar)
        return self.fills

    def _exchange_step(self, i: int, bar: Bar) -> None:
        slot = self.slots[i]
        if slot.entry is not None:
            slot.entry_bars += 1
        self.exchange.on_bar(bar)
        self._absorb()

    def _absorb(self) -> None:
        events, self.events[:] = list(self.events), []
        for event in events:
            i = self.owner.get(event.client_order_id)
            if i is None:
                continue
            slot = self.slots[i]
            if isinstance(event, OrderFilled):
                self._on_fill(i, slot, event)
            elif isinstance(event, OrderCanceled):
                self._on_closed(slot, event.client_order_id)

    def _on_fill(self, i: int, slot: _Slot, event: OrderFilled) -> None:
        reason = slot.reasons[event.client_order_id]
        fill = Fill.of(event, reason)
        self.fills.append(fill)
        rate = self.fx[self.instruments[i].quote_currency]
        trade = self.book.add(fill, fx_rate=rate)
        if trade is not None:
            self.tally.add(trade.pnl * trade.fx_rate)
        oid = event.client_order_id
        if oid == slot.entry:
            slot.entry_filled += event.last_qty
            report = self.exchange.order(oid)
            assert report is not None
            if report.status.is_terminal:
                self._on_closed(slot, oid)
        elif oid in (slot.stop, slot.target):
            slot.protect_filled = "stop" if oid == slot.stop else "target"
            self._forget_if_done(slot, oid)
        elif oid == slot.exit:
            self._forget_if_done(slot, oid)

    def _forget_if_done(self, slot: _Slot, oid: ClientOrderId) -> None:
        report = self.exchange.order(oid)
        if report is not None and report.status.is_terminal:
            self._on_closed(slot, oid)

    def _on_closed(self, slot: _Slot, oid: ClientOrderId) -> None:
        if oid == slot.entry:
            slot.entry = None
            slot.entry_done = slot.entry_filled > ZERO
        elif oid == slot.exit:
            slot.exit = None
        elif oid == slot.stop:
            slot.stop = None
            # a triggered stop keeps working as the exit until it is done
        elif oid == slot.target:
            slot.target = None

    # --- the program step ---------------------------------------------------------------------

    def _program_step(self, i: int, b: int, bar: Bar) -> None:
        slot, signals = self.slots[i], self.signals[i]
        instrument = self.instruments[i]
        ttl = self.shape.ttl_bars if self.shape.limit_entries else None
        if (
            slot.entry is not None
            and slot.entry_limit is not None
            and ttl
            and slot.entry_bars >= ttl
        ):
            self._cancel(slot.entry)
        if slot.protect_filled == "stop" and slot.target is not None:
            self._cancel(slot.target)
        if slot.protect_filled == "target" and slot.stop is not None:
            self._cancel(slot.stop)
        in_trade = slot.entry is not None or self._held(i) >= instrument.lot_size
        if self.shape.has_trailing_stop and in_trade:
            self._trail(i, b, bar, slot)
        if (
            slot.entry_done
            and slot.entry is None
            and slot.exit is None
            and not self._stop_working(slot)
        ):
            self._protect(i, slot)
        exiting = bool(signals.exit_long[b]) and slot.exit is None
        if exiting and not self._stop_working(slot) and self._sellable(i) > ZERO:
            self._exit(i, slot)
        flat = (
            slot.entry is None
            and slot.exit is None
            and slot.stop is None
            and slot.target is None
            and self._sellable(i) == ZERO
        )
        if flat and bool(signals.entry_long[b]):
            self._enter(i, b, bar, slot)
        slot.entry_done = False
        slot.protect_filled = None

    def _stop_working(self, slot: _Slot) -> bool:
        """A triggered stop still working (its rest is an exit at market)."""
        if slot.stop is None:
            return False
        report = self.exchange.order(slot.stop)
        return report is not None and report.status.is_open and self._triggered(slot.stop)

    def _triggered(self, oid: ClientOrderId) -> bool:
        return bool(self.exchange.core.orders[oid].triggered)

    def _held(self, i: int) -> Decimal:
        holding = self.exchange.core.account.holdings.get(self.instruments[i].id)
        return ZERO if holding is None else holding.quantity

    def _sellable(self, i: int) -> Decimal:
        return rules.round_quantity(self.instruments[i], self._held(i))

    def _band(self, i: int):  # type: ignore[no-untyped-def]
        return self.exchange.core.listings[self.instruments[i].id].band

    def _in_band(self, i: int, price: Decimal) -> Decimal:
        band = self._band(i)
        if band is None:
            return price
        return min(max(price, band.lower), band.upper)

    def _cancel(self, oid: ClientOrderId) -> None:
        self.exchange.cancel(oid)
        self._absorb()

    def _send(self, i: int, command: SubmitOrder, reason: str) -> ClientOrderId | None:
        self.owner[command.client_order_id] = i
        self.slots[i].reasons[command.client_order_id] = reason
        result = self.exchange.submit(command)
        self._absorb()
        return None if not isinstance(result, str) else command.client_order_id

    def _order(
        self, i: int, side: OrderSide, kind: OrderType, quantity: Decimal, **terms: object
    ) -> SubmitOrder:
        self.counter += 1
        return SubmitOrder(
            client_order_id=ClientOrderId(f"R-{self.counter}"),
            instrument_id=self.instruments[i].id,
            strategy_id=STRATEGY,
            side=side,
            order_type=kind,
            quantity=quantity,
            ts_init=self.clock.now_ns(),
            **terms,  # type: ignore[arg-type]
        )

    def _stop_level(self, slot: _Slot) -> tuple[Decimal, str]:
        if slot.stop_loss >= slot.trail:
            return slot.stop_loss, "stop_loss"
        return slot.trail, "trailing_stop"

    def _trail(self, i: int, b: int, bar: Bar, slot: _Slot) -> None:
        candidate = self._level(i, b, bar, self.signals[i].trailing_stop, above=False)
        if candidate > slot.trail:
            slot.trail = candidate
        if slot.stop is None or self._triggered(slot.stop):
            return
        level, reason = self._stop_level(slot)
        trigger = self._in_band(i, level)
        if trigger <= slot.stop_trigger:
            return
        oid = slot.stop
        refused = self.exchange.modify(
            ModifyOrder(
                client_order_id=oid,
                instrument_id=self.instruments[i].id,
                trigger_price=trigger,
                ts_init=self.clock.now_ns(),
            )
        )
        self._absorb()
        if refused is None:
            slot.stop_trigger, slot.stop_reason = trigger, reason
            slot.reasons[oid] = reason

    def _protect(self, i: int, slot: _Slot) -> None:
        quantity = self._sellable(i)
        if quantity <= ZERO:
            return
        level, reason = self._stop_level(slot)
        if (self.shape.has_stop_loss or self.shape.has_trailing_stop) and level > ZERO:
            trigger = self._in_band(i, level)
            command = self._order(
                i,
                OrderSide.SELL,
                OrderType.STOP_MARKET,
                quantity,
                trigger_price=trigger,
                reduce_only=True,
            )
            slot.stop = self._send(i, command, reason)
            slot.stop_trigger, slot.stop_reason = trigger, reason
        if self.shape.has_take_profit and slot.take_profit > ZERO:
            limit = self._in_band(i, slot.take_profit)
            command = self._order(
                i, OrderSide.SELL, OrderType.LIMIT, quantity, limit_price=limit, reduce_only=True
            )
            slot.target = self._send(i, command, "take_profit")

    def _exit(self, i: int, slot: _Slot) -> None:
        for oid in (slot.entry, slot.stop, slot.target):
            if oid is not None:
                self._cancel(oid)
        slot.entry = slot.stop = slot.target = None
        quantity = self._sellable(i)
        command = self._order(i, OrderSide.SELL, OrderType.MARKET, quantity)
        slot.exit = self._send(i, command, "exit")

    # --- entries ------------------------------------------------------------------------------

    def _level(self, i: int, b: int, bar: Bar, levels: Levels | None, *, above: bool) -> Decimal:
        """A level around the bar's close on the grid (up); zero when none or not positive."""
        if levels is None:
            return ZERO
        amount = to_decimal(float(levels.values[b]), what="level")
        distance = bar.close * amount if levels.mode == "percent" else amount
        value = bar.close + distance if above else bar.close - distance
        return self._on_grid(i, bar, value, Rounding.UP)

    def _on_grid(self, i: int, bar: Bar, value: Decimal, rounding: Rounding) -> Decimal:
        if value <= ZERO:
            return ZERO
        calendar = self.exchange.core.listings[self.instruments[i].id].calendar
        try:
            return rules.round_price(
                self.instruments[i],
                value,
                on=calendar.session_date(bar.ts_start),
                rounding=rounding,
            )
        except DataError:
            return ZERO

    def _ready(self, b: int, signals: Signals) -> bool:
        needed = {
            "quantity": (signals.size_value,),
            "percent_equity": (signals.size_value,),
            "kelly": (signals.size_value, signals.size_cap),
            "risk": (signals.size_value, signals.size_stop),
        }[signals.size_form]
        for column in needed:
            if column is None or not (math.isfinite(float(column[b])) and float(column[b]) > 0):
                return False
        for levels in (signals.stop_loss, signals.take_profit, signals.trailing_stop):
            if levels is not None and not math.isfinite(float(levels.values[b])):
                return False
        return True

    def _enter(self, i: int, b: int, bar: Bar, slot: _Slot) -> None:
        signals, instrument = self.signals[i], self.instruments[i]
        if not self._ready(b, signals):
            return
        limit: Decimal | None = None
        if self.shape.limit_entries:
            assert signals.limit_price is not None
            raw = float(signals.limit_price[b])
            if not (math.isfinite(raw) and raw > 0):
                return
            limit = self._on_grid(i, bar, to_decimal(raw), Rounding.DOWN)
            if limit <= ZERO:
                return
            limit = self._in_band(i, limit)
        listing = self.exchange.core.listings[instrument.id]
        reference = limit if limit is not None else bar.close
        reserve = buy_reserve_price(
            listing,
            limit,
            None,
            buffer=self.config.market_buy_buffer,
            on=listing.calendar.session_date(bar.ts_start),
        )
        assert reserve is not None
        asked = asked_quantity(
            self._inputs(b, signals),
            equity=self._equity(),
            price=reference,
            fx=self.fx[instrument.quote_currency],
            tally=self.tally,
        )
        free = self.exchange.core.account.free_cash(instrument.quote_currency)
        quantity = sized_quantity(listing, asked, reserve_price=reserve, free_cash=free)
        slot.stop_loss = self._level(i, b, bar, signals.stop_loss, above=False)
        slot.take_profit = self._level(i, b, bar, signals.take_profit, above=True)
        slot.trail = self._level(i, b, bar, signals.trailing_stop, above=False)
        if quantity <= ZERO:
            return
        if limit is None:
            command = self._order(i, OrderSide.BUY, OrderType.MARKET, quantity)
        else:
            command = self._order(i, OrderSide.BUY, OrderType.LIMIT, quantity, limit_price=limit)
        slot.entry = self._send(i, command, "entry")
        slot.entry_limit, slot.entry_bars, slot.entry_filled = limit, 0, ZERO

    def _inputs(self, b: int, signals: Signals) -> SizingInputs:
        def value(column: object) -> Decimal:
            return to_decimal(float(column[b]), what="size")  # type: ignore[index]

        form = signals.size_form
        return SizingInputs(
            form=form,
            value=value(signals.size_value),
            cap=value(signals.size_cap) if form == "kelly" else None,
            distance=value(signals.size_stop) if form == "risk" else None,
        )

    def _equity(self) -> Decimal:
        account = self.exchange.core.account
        total = sum(
            (
                balance.total * self.fx[currency]
                for currency, balance in account.cash.items()
                if currency in self.fx
            ),
            ZERO,
        )
        for instrument in self.instruments:
            holding = account.holdings.get(instrument.id)
            if holding is None or holding.quantity == ZERO:
                continue
            last = self.exchange.last_price(instrument.id)
            assert last is not None
            total += holding.quantity * last * self.fx[instrument.quote_currency]
        return total
