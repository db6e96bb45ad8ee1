"""``OrderPlanner``: strategy signals become orders, sized and on the venue's grid.

An ``EntrySignalRaised`` becomes a buy (long) or sell (short) ``SubmitOrder``:

1. a limit price is rounded passively onto the tick grid in force that day (buys down,
   sells up) and clipped into the daily price band;
2. the quantity is the ``Sizing`` (``domain.sizing``) of the account's equity at the limit
   price, or at the signal's reference price for a market order, rounded down to the lot;
3. a buy is cut to what the free cash can pay for as the venue reserves it;
4. a quantity under the venue's minimum is denied (rule ``sizing``), terms the venue's
   order rules refuse are denied (rule ``venue_rules``).

An ``ExitSignalRaised`` becomes a market order for the free units of that side (a sell of
what a long holds), or nothing when less than a lot is free.

Orders are not checked against the risk limits here: the caller passes them through the
``PreTradeGate``. Client order ids come from ``order_ids`` (a backtest counts, so runs
repeat exactly).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from jts.contexts.risk.application.ports import AccountView, InstrumentSpecs, MarketView
from jts.contexts.risk.domain.limits import Denial
from jts.contexts.risk.domain.sizing import KellyEstimate, target_quantity
from jts.messages.enums import Direction, OrderType
from jts.messages.strategy import EntrySignalRaised, ExitSignalRaised, SignalEvent, SizingKind
from jts.messages.trading import OrderDenied, SubmitOrder
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.identifiers import ClientOrderId
from jts.shared_kernel.numbers import ZERO, plain
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.instruments import Instrument
from jts.shared_kernel.venues.types import OrderSide

OrderIds = Callable[[], ClientOrderId]


class OrderPlanner:
    """Turns signals into orders for one account."""

    def __init__(
        self,
        *,
        account: AccountView,
        market: MarketView,
        instruments: InstrumentSpecs,
        clock: Clock,
        order_ids: OrderIds,
        kelly: KellyEstimate | None = None,
    ) -> None:
        self._account = account
        self._market = market
        self._instruments = instruments
        self._clock = clock
        self._order_ids = order_ids
        self._kelly = kelly

    def entry_order(self, signal: EntrySignalRaised) -> SubmitOrder | OrderDenied:
        """The order that opens the position the signal asks for, or why there is none."""
        instrument = self._instruments.get(signal.instrument_id)
        side = OrderSide.BUY if signal.direction is Direction.LONG else OrderSide.SELL
        limit = self._limit_price(signal, instrument, side)
        account = self._account
        raw = target_quantity(
            signal.sizing,
            equity=account.equity(),
            price=signal.reference_price if limit is None else limit,
            fx_rate=account.fx_rate(instrument.quote_currency),
            kelly=self._kelly,
        )
        quantity = rules.round_quantity(instrument, raw) if raw > ZERO else ZERO
        if side is OrderSide.BUY and quantity > ZERO:
            quantity = account.affordable_quantity(instrument.id, quantity, limit)
        if quantity <= ZERO or quantity < instrument.min_quantity:
            return self.denied(signal, _too_small(signal, raw, quantity, instrument))
        refusal = self._market.venue_refusal(instrument.id, side, quantity, limit)
        if refusal is not None:
            return self.denied(signal, Denial(rule="venue_rules", reason=refusal))
        return self.order(signal, side, quantity, limit)

    def exit_order(self, signal: ExitSignalRaised) -> SubmitOrder | OrderDenied | None:
        """A market order closing the signal's side; ``None`` when less than a lot is free."""
        instrument = self._instruments.get(signal.instrument_id)
        free = self._account.free_quantity(signal.instrument_id)
        if signal.direction is Direction.LONG:
            side, units = OrderSide.SELL, free
        else:
            side, units = OrderSide.BUY, -free
        quantity = rules.round_quantity(instrument, units) if units > ZERO else ZERO
        if quantity <= ZERO:
            return None
        refusal = self._market.venue_refusal(instrument.id, side, quantity, None)
        if refusal is not None:
            return self.denied(signal, Denial(rule="venue_rules", reason=refusal))
        return self.order(signal, side, quantity, None)

    def _limit_price(
        self, signal: EntrySignalRaised, instrument: Instrument, side: OrderSide
    ) -> Decimal | None:
        if signal.order_type is not OrderType.LIMIT or signal.limit_price is None:
            return None
        on = self._market.session_date(signal.instrument_id, signal.ts_event)
        price = rules.round_price(
            instrument, signal.limit_price, on=on, rounding=rules.passive_rounding(side)
        )
        band = self._market.price_band(signal.instrument_id)
        return price if band is None else min(max(price, band[0]), band[1])

    def order(
        self,
        signal: SignalEvent,
        side: OrderSide,
        quantity: Decimal,
        limit: Decimal | None,
        *,
        trigger: Decimal | None = None,
        reduce_only: bool = False,
    ) -> SubmitOrder:
        """An order caused by ``signal``: market, limit (``limit``), stop-market
        (``trigger``) or stop-limit (both)."""
        if trigger is None:
            order_type = OrderType.MARKET if limit is None else OrderType.LIMIT
        else:
            order_type = OrderType.STOP_MARKET if limit is None else OrderType.STOP_LIMIT
        return SubmitOrder(
            client_order_id=self._order_ids(),
            instrument_id=signal.instrument_id,
            strategy_id=signal.strategy_id,
            side=side,
            order_type=order_type,
            quantity=quantity,
            limit_price=limit,
            trigger_price=trigger,
            reduce_only=reduce_only,
            ts_init=self._clock.now_ns(),
            correlation_id=signal.correlation(),
        )

    def denied(self, signal: SignalEvent, denial: Denial) -> OrderDenied:
        """The refusal of the order ``signal`` asked for."""
        now = self._clock.now_ns()
        return OrderDenied(
            client_order_id=self._order_ids(),
            instrument_id=signal.instrument_id,
            reason=denial.reason,
            rule=denial.rule,
            ts_event=now,
            ts_init=now,
            correlation_id=signal.correlation(),
        )


def _too_small(
    signal: EntrySignalRaised, raw: Decimal, quantity: Decimal, instrument: Instrument
) -> Denial:
    minimum = max(instrument.min_quantity, instrument.lot_size)
    kind = signal.sizing.kind
    why = (
        " (the strategy's realized trades show no edge, so Kelly stakes nothing)"
        if kind is SizingKind.KELLY and raw <= ZERO
        else ""
    )
    return Denial(
        rule="sizing",
        reason=(
            f"{kind} sizing gives {plain(raw)} units of {instrument.id}{why}, "
            f"{plain(quantity)} after rounding to the lot of {plain(instrument.lot_size)} and "
            f"to the cash free; the venue's minimum is {plain(minimum)}"
        ),
        limit=minimum,
        value=quantity,
    )
