"""The exact replay: the kernel's log redone in ``Decimal`` with the simulated exchange's own
functions, checking every decision the kernel took in floats.

Fees come from ``rules.fee``, taxes from ``rules.sell_tax`` (settlement-date rates),
reservations and payability from ``exchange.reservations``, cash and holdings from the
exchange's ``Account``; round trips from ``results.TradeBook``. A decision is an entry's
size, whether a buy could be paid and a volume-share slipped price: the replay recomputes
each one and stops at the first that differs, returning the exact value as a
``Mismatch`` for the engine to force on the next kernel run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from jts.runtime.backtest.exchange.account import Account
from jts.runtime.backtest.exchange.config import ExchangeConfig
from jts.runtime.backtest.exchange.reservations import (
    affordable_quantity,
    buy_cost,
    buy_reserve,
    buy_reserve_price,
)
from jts.runtime.backtest.results import Fill, TradeBook
from jts.runtime.backtest.vectorized import layout
from jts.runtime.backtest.vectorized.market import FxRates, Market
from jts.runtime.backtest.vectorized.sizing import (
    SizingInputs,
    TradeTally,
    asked_quantity,
    sized_quantity,
)
from jts.shared_kernel.numbers import ZERO, Rounding, to_decimal
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.types import LiquiditySide, OrderSide

LogRows = NDArray[np.int64]
Row = list[int]  # one log row as Python ints


@dataclass(frozen=True)
class Mismatch:
    """The first decision the kernel took differently: its number and the exact value."""

    decision: int
    value: int
    what: str


@dataclass
class _Order:
    market: int
    reserved: Decimal = ZERO
    reserve_price: Decimal | None = None
    leaves: Decimal = ZERO
    locks_holding: bool = False


class Replay:
    """Redo a kernel log exactly; see the module docstring."""

    def __init__(
        self,
        markets: Sequence[Market],
        event_bars: NDArray[np.int64],
        fx: FxRates,
        balances: dict[str, Decimal],
        config: ExchangeConfig,
        sizing_form: str,
    ) -> None:
        self.markets = markets
        self._event_bars = event_bars  # per merged event: the bar in the kernel's columns
        self.fx = fx
        self.config = config
        self.sizing_form = sizing_form
        self.account = Account(balances)
        self.listings = [market.listing() for market in markets]
        self.book = TradeBook({m.instrument.id: m.instrument for m in markets})
        self.tally = TradeTally()
        self.fills: list[Fill] = []
        self.fill_events: list[int] = []
        self._orders: dict[int, _Order] = {}

    def run(self, rows: LogRows) -> Mismatch | None:
        """Replay every row; the first mismatching decision, or ``None`` when all agree."""
        handlers = {
            layout.K_SUBMIT: self._submit,
            layout.K_SKIP: self._skip,
            layout.K_FILL: self._fill,
            layout.K_CANCEL: self._cancel,
        }
        for row in rows.tolist():
            handler = handlers.get(row[layout.L_KIND])
            if handler is not None:
                mismatch = handler(row)
                if mismatch is not None:
                    return mismatch
        return None

    # --- orders ---------------------------------------------------------------------------

    def _submit(self, row: Row) -> Mismatch | None:
        i, seq = int(row[layout.L_INST]), int(row[layout.L_SEQ])
        market = self.markets[i]
        quantity = market.quantity(int(row[layout.L_QTY]))
        if int(row[layout.L_SIDE]) == layout.SELL:
            locks = int(row[layout.L_REASON]) == layout.R_EXIT
            self._orders[seq] = _Order(i, leaves=quantity, locks_holding=locks)
            if locks:
                self.account.adjust_holding_lock(market.instrument.id, quantity)
            return None
        mismatch = self._check_size(row)
        if mismatch is not None:
            return mismatch
        price = self._reserve_price(row)
        listing = self.listings[i]
        reserved = buy_reserve(listing, quantity, price)
        self.account.adjust_cash_lock(market.instrument.quote_currency, reserved)
        self._orders[seq] = _Order(i, reserved, price, quantity)
        return None

    def _skip(self, row: Row) -> Mismatch | None:
        return self._check_size(row)

    def _cancel(self, row: Row) -> Mismatch | None:
        decision = int(row[layout.L_DECISION])
        order = self._orders.pop(int(row[layout.L_SEQ]), None)
        if order is None:
            return None
        if decision >= 0:
            market = self.markets[order.market]
            asked = market.quantity(int(row[layout.L_ASKED]))
            quantity, cut = self._payable(order, row, asked, market.price(int(row[layout.L_PRICE])))
            if quantity > ZERO:
                units = self._units(order.market, quantity)
                return Mismatch(decision, units * 2 + (1 if cut else 0), "payable buy")
        self._release(order)
        return None

    def _release(self, order: _Order) -> None:
        instrument = self.markets[order.market].instrument
        if order.reserved:
            self.account.adjust_cash_lock(instrument.quote_currency, -order.reserved)
            order.reserved = ZERO
        if order.locks_holding and order.leaves:
            self.account.adjust_holding_lock(instrument.id, -order.leaves)
            order.leaves = ZERO

    # --- sizing -----------------------------------------------------------------------------

    def _check_size(self, row: Row) -> Mismatch | None:
        i, k = int(row[layout.L_INST]), int(row[layout.L_EVENT])
        market = self.markets[i]
        bar = self._bar(row)
        limit = int(row[layout.L_PRICE])
        reference = market.price(limit if limit > 0 else int(market.close[bar]))
        inputs = self._sizing_inputs(market, bar)
        asked = asked_quantity(
            inputs,
            equity=ZERO if inputs.form == "quantity" else self.equity(k),
            price=reference,
            fx=self.fx.rate(self._currency(i), k),
            tally=self.tally,
        )
        price = self._reserve_price(row)
        currency = market.instrument.quote_currency
        free = self.account.free_cash(currency)
        quantity = sized_quantity(self.listings[i], asked, reserve_price=price, free_cash=free)
        units = self._units(i, quantity)
        if units != int(row[layout.L_QTY]):
            return Mismatch(int(row[layout.L_DECISION]), units, "entry size")
        return None

    def _sizing_inputs(self, market: Market, bar: int) -> SizingInputs:
        def value(column: NDArray[np.float64]) -> Decimal:
            return to_decimal(float(column[bar]), what="sizing value")

        form = self.sizing_form
        return SizingInputs(
            form=form,
            value=value(market.size_value),
            cap=value(market.size_cap) if form == "kelly" else None,
            distance=value(market.size_distance) if form == "risk" else None,
        )

    def _reserve_price(self, row: Row) -> Decimal:
        i = int(row[layout.L_INST])
        market, listing = self.markets[i], self.listings[i]
        bar = self._bar(row)
        limit = int(row[layout.L_PRICE])
        listing.last_price = market.price(int(market.close[bar]))
        listing.band = market.band_at(bar)
        price = buy_reserve_price(
            listing,
            market.price(limit) if limit > 0 else None,
            None,
            buffer=self.config.market_buy_buffer,
            on=market.session_date(bar),
        )
        assert price is not None  # a close is known at the signal
        return price

    def equity(self, event: int) -> Decimal:
        """Cash and holdings at their last close, in the base currency, at ``event``."""
        total = ZERO
        for c, currency in enumerate(self.fx.currencies):
            balance = self.account.cash.get(currency)
            if balance is not None:
                total += balance.total * self.fx.rate(c, event)
        for i, market in enumerate(self.markets):
            holding = self.account.holdings.get(market.instrument.id)
            if holding is None or holding.quantity == ZERO:
                continue
            bar = market.last_bar_at(event)
            last = market.price(int(market.close[bar]))
            total += holding.quantity * last * self.fx.rate(self._currency(i), event)
        return total

    # --- fills ------------------------------------------------------------------------------

    def _fill(self, row: Row) -> Mismatch | None:
        order = self._orders.get(int(row[layout.L_SEQ]))
        assert order is not None, f"fill of an unknown order {int(row[layout.L_SEQ])}"
        market = self.markets[order.market]
        quantity = market.quantity(int(row[layout.L_QTY]))
        price = market.price(int(row[layout.L_PRICE]))
        mismatch = self._check_slip(row, order, quantity)
        if mismatch is not None:
            return mismatch
        if int(row[layout.L_SIDE]) == layout.BUY:
            return self._buy(row, order, quantity, price)
        self._sell(row, order, quantity, price)
        return None

    def _liquidity(self, row: Row) -> LiquiditySide:
        return LiquiditySide.MAKER if int(row[layout.L_LIQUIDITY]) == 1 else LiquiditySide.TAKER

    def _payable(
        self, order: _Order, row: Row, quantity: Decimal, price: Decimal
    ) -> tuple[Decimal, bool]:
        """``Matcher._payable`` on the exact account."""
        listing = self.listings[order.market]
        instrument = listing.instrument
        liquidity = self._liquidity(row)

        def fee_of(q: Decimal) -> Decimal:
            return rules.fee(instrument, OrderSide.BUY, price, q, liquidity).amount

        assert order.reserve_price is not None
        free = self.account.free_cash(instrument.quote_currency)
        still = buy_reserve(listing, order.leaves - quantity, order.reserve_price)
        if buy_cost(listing, quantity, price, fee_of(quantity)) <= free + order.reserved - still:
            return quantity, False
        budget = free + order.reserved
        return (
            affordable_quantity(
                listing, quantity=quantity, price=price, budget=budget, fee_of=fee_of
            ),
            True,
        )

    def _buy(self, row: Row, order: _Order, quantity: Decimal, price: Decimal) -> Mismatch | None:
        cut = int(row[layout.L_CUT]) == 1
        decision = int(row[layout.L_DECISION])
        asked = self.markets[order.market].quantity(int(row[layout.L_ASKED]))
        exact, exact_cut = self._payable(order, row, asked, price)
        if exact != quantity or exact_cut != cut:
            value = self._units(order.market, exact) * 2 + (1 if exact_cut else 0)
            return Mismatch(decision, value, "payable buy")
        self._settle_buy(row, order, quantity, price, cut)
        return None

    def _settle_buy(
        self, row: Row, order: _Order, quantity: Decimal, price: Decimal, cut: bool
    ) -> None:
        listing = self.listings[order.market]
        instrument = listing.instrument
        liquidity = self._liquidity(row)
        fee = rules.fee(instrument, OrderSide.BUY, price, quantity, liquidity)
        assert order.reserve_price is not None
        still = ZERO if cut else buy_reserve(listing, order.leaves - quantity, order.reserve_price)
        self.account.settle_buy(
            instrument.id,
            instrument.quote_currency,
            quantity_received=quantity if listing.buy_fee_in_quote else quantity - fee.amount,
            cost=buy_cost(listing, quantity, price, fee.amount),
            price=price,
            quantity=quantity,
            released=order.reserved - still,
        )
        order.reserved = still
        order.leaves -= quantity
        self._record(row, OrderSide.BUY, quantity, price, fee.amount, fee.currency, ZERO)
        if cut or order.leaves == ZERO:
            self._release(order)
            self._orders.pop(int(row[layout.L_SEQ]), None)

    def _sell(self, row: Row, order: _Order, quantity: Decimal, price: Decimal) -> None:
        market = self.markets[order.market]
        instrument = market.instrument
        liquidity = self._liquidity(row)
        fee = rules.fee(instrument, OrderSide.SELL, price, quantity, liquidity)
        bar = self._bar(row)
        tax = rules.sell_tax(
            instrument,
            price,
            quantity,
            trade_date=market.session_date(bar),
            calendar=market.calendar,
        )
        released = quantity if order.locks_holding else ZERO
        self.account.settle_sell(
            instrument.id,
            instrument.quote_currency,
            quantity=quantity,
            proceeds=price * quantity - fee.amount - tax,
            released=released,
        )
        order.leaves -= quantity
        self._record(row, OrderSide.SELL, quantity, price, fee.amount, fee.currency, tax)

    def _record(
        self,
        row: Row,
        side: OrderSide,
        quantity: Decimal,
        price: Decimal,
        commission: Decimal,
        currency: str,
        tax: Decimal,
    ) -> None:
        i, k = int(row[layout.L_INST]), int(row[layout.L_EVENT])
        market = self.markets[i]
        fill = Fill(
            instrument_id=market.instrument.id,
            side=side,
            quantity=quantity,
            price=price,
            commission=commission,
            commission_currency=currency,
            tax=tax,
            liquidity=self._liquidity(row),
            ts_ns=int(market.ts_event[self._bar(row)]),
            reason=layout.REASONS[int(row[layout.L_REASON])],
        )
        self.fills.append(fill)
        self.fill_events.append(k)
        trade = self.book.add(fill, fx_rate=self.fx.rate(self._currency(i), k))
        if trade is not None:
            self.tally.add(trade.pnl * trade.fx_rate)

    def _check_slip(self, row: Row, order: _Order, quantity: Decimal) -> Mismatch | None:
        decision = int(row[layout.L_SLIP_DECISION])
        if decision < 0:
            return None
        market = self.markets[order.market]
        bar = self._bar(row)
        exact = self._volume_slipped(row, market, bar, quantity)
        units = int(exact.scaleb(market.price_scale))
        if units != int(row[layout.L_PRICE]):
            return Mismatch(decision, units, "slipped price")
        return None

    def _volume_slipped(self, row: Row, market: Market, bar: int, quantity: Decimal) -> Decimal:
        """``Matcher._slipped`` for the volume-share model, from the unslipped price."""
        side = OrderSide.BUY if int(row[layout.L_SIDE]) == layout.BUY else OrderSide.SELL
        base = self._unslipped(row, market, bar)
        raw = self.config.slippage.slipped_price(side, base, quantity, market.bar_volume(bar))
        if raw == base:
            return base
        raw = min(max(raw, market.price(int(market.low[bar]))), market.price(int(market.high[bar])))
        band = market.band_at(bar)
        if band is not None:
            raw = min(max(raw, band.lower), band.upper)
        rounding = Rounding.UP if side is OrderSide.BUY else Rounding.DOWN
        return rules.round_price(
            market.instrument, raw, on=market.session_date(bar), rounding=rounding
        )

    def _unslipped(self, row: Row, market: Market, bar: int) -> Decimal:
        return market.price(int(row[layout.L_AUX]))

    def _bar(self, row: Row) -> int:
        """The bar of the row's own instrument its event is."""
        market = self.markets[row[layout.L_INST]]
        return int(self._event_bars[row[layout.L_EVENT]]) - market.offset

    def _currency(self, i: int) -> int:
        return self.fx.currencies.index(self.markets[i].instrument.quote_currency)

    def _units(self, i: int, quantity: Decimal) -> int:
        return int(quantity.scaleb(self.markets[i].quantity_scale))
