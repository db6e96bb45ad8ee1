"""``PreTradeGate``: every new order passes here before it reaches the trading context.

``check(command)`` returns the command unchanged when the limits allow it, otherwise an
``OrderDenied`` event naming the rule and the figures (see ``domain.checks``). A market
order is valued at the latest price; with no price yet it is denied (rule ``no_price``).
"""

from __future__ import annotations

from decimal import Decimal

from jts.contexts.risk.application.ports import AccountView, InstrumentSpecs, MarketView
from jts.contexts.risk.domain.checks import AccountFigures, OrderFigures, check_order
from jts.contexts.risk.domain.limits import Denial, RiskLimits
from jts.messages.trading import OrderDenied, SubmitOrder
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.instruments import Instrument
from jts.shared_kernel.venues.types import OrderSide


class PreTradeGate:
    """Holds new orders to ``RiskLimits`` against the account as it is now."""

    def __init__(
        self,
        *,
        limits: RiskLimits,
        account: AccountView,
        market: MarketView,
        instruments: InstrumentSpecs,
        clock: Clock,
    ) -> None:
        self.limits = limits
        self._account = account
        self._market = market
        self._instruments = instruments
        self._clock = clock

    def check(self, command: SubmitOrder) -> SubmitOrder | OrderDenied:
        """The command when it may go on, or why not."""
        instrument = self._instruments.get(command.instrument_id)
        price = command.limit_price or command.trigger_price
        if price is None:
            price = self._market.mark_price(command.instrument_id)
        if price is None:
            return self.deny(
                command,
                Denial(
                    rule="no_price",
                    reason=f"{command.instrument_id} has no price yet to value a market order",
                ),
            )
        figures = self._figures(command, instrument, price)
        denial = check_order(figures, self._account_figures(command), self.limits)
        return command if denial is None else self.deny(command, denial)

    def _figures(
        self, command: SubmitOrder, instrument: Instrument, price: Decimal
    ) -> OrderFigures:
        fee = rules.fee(instrument, command.side, price, command.quantity)
        currency = instrument.quote_currency
        return OrderFigures(
            side=command.side,
            quantity=command.quantity,
            price=price,
            fx_rate=self._account.fx_rate(currency),
            quote_fee=fee.amount if fee.currency == currency else Decimal(0),
            currency=currency,
            base_currency=self._account.base_currency,
            reduces=command.reduce_only,
        )

    def _account_figures(self, command: SubmitOrder) -> AccountFigures:
        account = self._account
        currency = self._instruments.get(command.instrument_id).quote_currency
        free_cash = account.free_cash(currency) if command.side is OrderSide.BUY else Decimal(0)
        return AccountFigures(
            free_cash=free_cash,
            free_quantity=account.free_quantity(command.instrument_id),
            open_orders=account.open_order_count(command.strategy_id),
        )

    def deny(self, command: SubmitOrder, denial: Denial) -> OrderDenied:
        """The ``OrderDenied`` event for ``command``."""
        now = self._clock.now_ns()
        return OrderDenied(
            client_order_id=command.client_order_id,
            instrument_id=command.instrument_id,
            reason=denial.reason,
            rule=denial.rule,
            ts_event=now,
            ts_init=now,
            correlation_id=command.correlation(),
        )
