"""The pre-trade checks: pure functions from an order and the account's figures to a verdict.

``check_order`` runs the basic ones in a fixed order and returns the first ``Denial`` (or
``None``): open orders (the strategy's, then the account's), short selling, then for orders
that add risk the size limits and the cash. Each denial names its rule and carries the limit
and the value it measured, in the units the reason states. The market rules are in
``checks_market``, the exposure rules in ``checks_exposure``; the gate runs them all.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from jts.contexts.risk.domain.limits import Denial, RiskLimits
from jts.shared_kernel.venues.types import OrderSide


class OrderFigures(msgspec.Struct, frozen=True, kw_only=True):
    """What the checks need to know about one order, in plain numbers.

    ``price`` values the order (its limit, or the last price for a market order) in the
    quote currency; ``fx_rate`` converts the quote currency to the base currency;
    ``quote_fee`` is the fee the order pays in the quote currency; ``reduces`` is true for
    orders that only close a position.
    """

    side: OrderSide
    quantity: Decimal
    price: Decimal
    fx_rate: Decimal
    quote_fee: Decimal
    currency: str
    base_currency: str
    reduces: bool

    @property
    def value(self) -> Decimal:
        """Price times quantity in the base currency."""
        return self.quantity * self.price * self.fx_rate

    @property
    def signed_value(self) -> Decimal:
        """``value``, negative for a sell: what the order adds to the position's value."""
        return self.value if self.side is OrderSide.BUY else -self.value


class AccountFigures(msgspec.Struct, frozen=True, kw_only=True):
    """The account as the checks see it: free quote cash, free units, working orders (the
    strategy's and the account's)."""

    free_cash: Decimal
    free_quantity: Decimal
    open_orders: int
    total_open_orders: int = 0


def check_order(order: OrderFigures, account: AccountFigures, limits: RiskLimits) -> Denial | None:
    """The first rule the order breaks, or ``None``."""
    return (
        _open_orders(account, limits)
        or _total_open_orders(account, limits)
        or _short_selling(order, account, limits)
        or (None if order.reduces else _adds_risk(order, account, limits))
    )


def _adds_risk(order: OrderFigures, account: AccountFigures, limits: RiskLimits) -> Denial | None:
    return (
        _quantity(order, limits)
        or _notional(order, limits)
        or (_cash(order, account) if limits.require_cash else None)
    )


def _open_orders(account: AccountFigures, limits: RiskLimits) -> Denial | None:
    limit = limits.max_open_orders
    if limit is None or account.open_orders < limit:
        return None
    return Denial(
        rule="max_open_orders",
        reason=f"{account.open_orders} orders are working; the limit is {limit}",
        limit=Decimal(limit),
        value=Decimal(account.open_orders),
    )


def _total_open_orders(account: AccountFigures, limits: RiskLimits) -> Denial | None:
    limit = limits.max_open_orders_total
    if limit is None or account.total_open_orders < limit:
        return None
    return Denial(
        rule="max_open_orders_total",
        reason=(
            f"{account.total_open_orders} orders are working on the account; the limit is "
            f"{limit} over all strategies"
        ),
        limit=Decimal(limit),
        value=Decimal(account.total_open_orders),
    )


def _short_selling(
    order: OrderFigures, account: AccountFigures, limits: RiskLimits
) -> Denial | None:
    if limits.allow_short or order.side is OrderSide.BUY:
        return None
    if order.quantity <= account.free_quantity:
        return None
    return Denial(
        rule="short_selling",
        reason=(
            f"selling {order.quantity} but only {account.free_quantity} are held and free; "
            "short selling is not allowed on this account"
        ),
        limit=account.free_quantity,
        value=order.quantity,
    )


def _quantity(order: OrderFigures, limits: RiskLimits) -> Denial | None:
    limit = limits.max_order_quantity
    if limit is None or order.quantity <= limit:
        return None
    return Denial(
        rule="max_order_quantity",
        reason=f"quantity {order.quantity} is above the limit of {limit} per order",
        limit=limit,
        value=order.quantity,
    )


def _notional(order: OrderFigures, limits: RiskLimits) -> Denial | None:
    limit = limits.max_order_notional
    if limit is None:
        return None
    notional = order.value
    if notional <= limit:
        return None
    return Denial(
        rule="max_order_notional",
        reason=(
            f"notional {notional} {order.base_currency} is above the limit of {limit} "
            f"{order.base_currency} per order"
        ),
        limit=limit,
        value=notional,
    )


def _cash(order: OrderFigures, account: AccountFigures) -> Denial | None:
    if order.side is OrderSide.SELL:
        return None
    needed = order.quantity * order.price + order.quote_fee
    if needed <= account.free_cash:
        return None
    return Denial(
        rule="cash_available",
        reason=(
            f"the order needs {needed} {order.currency} (price times quantity plus fee) but "
            f"{account.free_cash} {order.currency} are free"
        ),
        limit=account.free_cash,
        value=needed,
    )
