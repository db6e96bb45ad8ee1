"""``PreTradeGate``: every new order passes here before it reaches the trading context.

``check(command)`` returns the command unchanged when the limits allow it, otherwise an
``OrderDenied`` event naming the rule and the figures. A market order is valued at the
latest price; with no price yet it is denied (rule ``no_price``).

Every order is held to the open-order counts and the short-selling rule
(``domain.checks``). An order that only reduces a position (``reduce_only``, or a sell of
no more than the account holds, or a buy of no more than it is short) stops there: no size,
exposure, hours, loss or VaR limit may trap a position. Reducing orders are let through
outside trading hours too: the venue queues them for the open, and a stop must never be
refused for the clock. Orders that add risk are then held, in this order, to the size
limits and the cash (``check_order``), the trading hours and the fat-finger band
(``checks_market``), the exposure limits and the strategy budget (``checks_exposure``),
the daily loss limit and, last as the costliest, the VaR budget.

The VaR budget uses the risk guard's fitted ``VarModel``: the book's one-day VaR at the
limits' confidence, before and with the order, over the model's scenarios (two matrix-vector
products and two quantiles). Until the returns window holds enough days (the guard's
``var_model`` is ``None``), or for an instrument the model has no history of, the rule
passes: there is nothing to measure the order against.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from jts.contexts.risk.application.ports import (
    AccountView,
    InstrumentSpecs,
    MarketView,
    RiskStateView,
)
from jts.contexts.risk.domain.checks import AccountFigures, OrderFigures, check_order
from jts.contexts.risk.domain.checks_exposure import ExposureFigures, check_exposure
from jts.contexts.risk.domain.checks_market import (
    check_daily_loss,
    check_fat_finger,
    check_trading_hours,
)
from jts.contexts.risk.domain.limits import Denial, RiskLimits
from jts.contexts.risk.domain.var import MissingRiskData, VarBudget, check_var_budget
from jts.messages.trading import OrderDenied, SubmitOrder
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.errors import ConfigurationError
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.numbers import ZERO
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.instruments import Instrument
from jts.shared_kernel.venues.types import OrderSide

_WHOLE = Decimal(1)


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
        risk_state: RiskStateView | None = None,
    ) -> None:
        if limits.watches_account_state and risk_state is None:
            raise ConfigurationError(
                "the daily loss limit and the VaR budget need the live risk guard's state; "
                "this runner has none: leave max_daily_loss and var_budget_weight unset"
            )
        self.limits = limits
        self._account = account
        self._market = market
        self._instruments = instruments
        self._clock = clock
        self._risk_state = risk_state

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
        account = self._account_figures(command, instrument)
        order = self._figures(command, instrument, price, account.free_quantity)
        denial = check_order(order, account, self.limits)
        if denial is None and not order.reduces:
            denial = self._new_risk(command, instrument, order)
        return command if denial is None else self.deny(command, denial)

    def _new_risk(
        self, command: SubmitOrder, instrument: Instrument, order: OrderFigures
    ) -> Denial | None:
        limits = self.limits
        if limits.trading_hours:
            calendar = self._market.trading_calendar(command.instrument_id)
            denial = check_trading_hours(calendar, self._clock.now_ns(), str(instrument.id))
            if denial is not None:
                return denial
        if limits.fat_finger_band is not None:
            last = self._market.mark_price(command.instrument_id)
            quoted = command.limit_price or command.trigger_price
            denial = check_fat_finger(quoted, last, limits.fat_finger_band)
            if denial is not None:
                return denial
        values = self._account.position_values() if limits.watches_exposure else None
        if values is not None:
            denial = check_exposure(
                order, self._exposure(command, values), limits, str(command.strategy_id)
            )
            if denial is not None:
                return denial
        return self._account_state(command, order)

    def _account_state(self, command: SubmitOrder, order: OrderFigures) -> Denial | None:
        state = self._risk_state
        if state is None:
            return None
        limits = self.limits
        if limits.max_daily_loss is not None:
            day = state.day_loss(self._clock.now_ns())
            denial = check_daily_loss(day, limits.max_daily_loss, order.base_currency)
            if denial is not None:
                return denial
        if limits.var_budget_weight is None:
            return None
        return self._var_budget(command, order, limits.var_budget_weight, state)

    def _var_budget(
        self, command: SubmitOrder, order: OrderFigures, weight: Decimal, state: RiskStateView
    ) -> Denial | None:
        model = state.var_model()
        if model is None:
            return None
        try:
            positions = model.positions_vector(self._account.position_values())
            delta = model.delta_vector(command.instrument_id, order.signed_value)
        except MissingRiskData:
            return None
        limit = (weight * self._account.equity()).quantize(_WHOLE)
        if limit <= ZERO:
            return Denial(rule="var_budget", reason="equity is gone: no VaR budget is left")
        budget = VarBudget(limit=limit, confidence=self.limits.var_confidence)
        decision = check_var_budget(model, positions, delta, budget)
        if decision.allowed:
            return None
        return Denial(
            rule=decision.rule,
            reason=(
                f"{decision.reason} ({order.base_currency}; the budget is {weight:.2%} of equity)"
            ),
            limit=decision.limit,
            value=decision.var_after,
        )

    def _exposure(
        self, command: SubmitOrder, values: Mapping[InstrumentId, Decimal]
    ) -> ExposureFigures:
        account, limits = self._account, self.limits
        strategy = command.strategy_id
        equity = account.equity()
        watches_budget = limits.watches_budget
        return ExposureFigures(
            equity=equity,
            position=values.get(command.instrument_id, ZERO),
            strategy_gross=account.strategy_exposure(strategy),
            strategy_working=account.working_value(strategy) if watches_budget else ZERO,
            gross=sum((abs(value) for value in values.values()), ZERO),
            budget=limits.strategy_budget(strategy, equity),
        )

    def _figures(
        self, command: SubmitOrder, instrument: Instrument, price: Decimal, free: Decimal
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
            reduces=command.reduce_only or _reduces(command, free),
        )

    def _account_figures(self, command: SubmitOrder, instrument: Instrument) -> AccountFigures:
        account = self._account
        currency = instrument.quote_currency
        free_cash = account.free_cash(currency) if command.side is OrderSide.BUY else Decimal(0)
        total = account.total_open_orders() if self.limits.max_open_orders_total else 0
        return AccountFigures(
            free_cash=free_cash,
            free_quantity=account.free_quantity(command.instrument_id),
            open_orders=account.open_order_count(command.strategy_id),
            total_open_orders=total,
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


def _reduces(command: SubmitOrder, free: Decimal) -> bool:
    """A sell of no more than the free long units, or a buy of no more than the short."""
    if command.side is OrderSide.SELL:
        return ZERO < command.quantity <= free
    return free < ZERO and command.quantity <= -free
