"""Pre-trade exposure checks: the position, the strategy, the account, the strategy budget.

Each rule measures the book *with the order added*, in the base currency at the latest
prices: the account's position in the order's instrument (signed, so a sell of a long
lowers it), the strategy's gross exposure (sum of the absolute values of its positions),
the account's gross exposure, and the strategy's committed capital (its gross exposure plus
its working buy orders). Weight limits are fractions of equity, turned into amounts here
so every denial compares two amounts in one currency; the reason also gives the share of
equity. Only orders that add risk come here (the gate lets reducing orders through).
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from jts.contexts.risk.domain.checks import OrderFigures
from jts.contexts.risk.domain.limits import Denial, RiskLimits
from jts.shared_kernel.numbers import ZERO

_WHOLE = Decimal(1)


class ExposureFigures(msgspec.Struct, frozen=True, kw_only=True):
    """The book before the order, base currency: equity, the account's signed position in
    the order's instrument, the strategy's gross exposure and working buys, the account's
    gross exposure, and the strategy's budget (``None``: no budget)."""

    equity: Decimal
    position: Decimal
    strategy_gross: Decimal
    strategy_working: Decimal
    gross: Decimal
    budget: Decimal | None = None


def check_exposure(
    order: OrderFigures, book: ExposureFigures, limits: RiskLimits, strategy: str
) -> Denial | None:
    """The first exposure rule the order breaks, or ``None``."""
    added = abs(order.signed_value)
    return (
        _position(order, book, limits)
        or _over(
            "max_strategy_exposure",
            f"strategy {strategy}'s gross exposure",
            book.strategy_gross + added,
            limits.max_strategy_exposure_weight,
            book.equity,
            order.base_currency,
        )
        or _over(
            "max_gross_exposure",
            "the account's gross exposure",
            book.gross + added,
            limits.max_gross_exposure_weight,
            book.equity,
            order.base_currency,
        )
        or _budget(book, added, strategy, order.base_currency)
    )


def _position(order: OrderFigures, book: ExposureFigures, limits: RiskLimits) -> Denial | None:
    after = abs(book.position + order.signed_value)
    what = f"the position in this instrument ({order.side.value} {order.quantity})"
    return _over(
        "max_position",
        what,
        after,
        limits.max_position_weight,
        book.equity,
        order.base_currency,
    ) or _over_amount("max_position", what, after, limits.max_position_notional, order)


def _over(
    rule: str,
    what: str,
    after: Decimal,
    weight: Decimal | None,
    equity: Decimal,
    currency: str,
) -> Denial | None:
    if weight is None:
        return None
    limit = weight * equity if equity > ZERO else ZERO
    if after <= limit:
        return None
    share = after / equity if equity > ZERO else None
    share_text = "" if share is None else f", {share:.2%} of equity,"
    return Denial(
        rule=rule,
        reason=(
            f"{what} would be {_money(after)} {currency}{share_text} over the limit of "
            f"{_money(limit)} {currency} ({weight:.2%} of equity {_money(equity)} {currency})"
        ),
        limit=_money(limit),
        value=_money(after),
    )


def _over_amount(
    rule: str, what: str, after: Decimal, limit: Decimal | None, order: OrderFigures
) -> Denial | None:
    if limit is None or after <= limit:
        return None
    currency = order.base_currency
    return Denial(
        rule=rule,
        reason=(
            f"{what} would be {_money(after)} {currency}, over the limit of {_money(limit)} "
            f"{currency} per instrument"
        ),
        limit=limit,
        value=_money(after),
    )


def _budget(book: ExposureFigures, added: Decimal, strategy: str, currency: str) -> Denial | None:
    budget = book.budget
    if budget is None:
        return None
    committed = book.strategy_gross + book.strategy_working + added
    if committed <= budget:
        return None
    return Denial(
        rule="strategy_budget",
        reason=(
            f"strategy {strategy} would commit {_money(committed)} {currency} (positions "
            f"{_money(book.strategy_gross)}, working buys {_money(book.strategy_working)}, "
            f"this order {_money(added)}), over its budget of {_money(budget)} {currency}"
        ),
        limit=_money(budget),
        value=_money(committed),
    )


def _money(amount: Decimal) -> Decimal:
    return amount.quantize(_WHOLE)
