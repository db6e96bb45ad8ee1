"""Pre-trade checks: the order the venue accepts, or the venue's own refusal.

In the order a venue applies them: the session (KRX takes orders from the 08:30 opening
auction to the 15:30 close on trading days; ``SessionPolicy.QUEUE`` accepts them as
reservation orders instead), the venue's order rules from ``jts.shared_kernel.venues.rules``
(tick, lot, daily band, minimum total, filters; a stop's trigger is held to the same grid
and band as a price), the time in force, then the account: enough free cash for a buy's
reservation or free holdings for a sell.

DAY orders expire at the close of the session they were accepted in (a queued order: the
next session's close). GTD orders expire at ``expire_time_ns``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from jts.messages.enums import OrderType, TimeInForce
from jts.messages.trading import SubmitOrder
from jts.runtime.backtest.exchange import venue_errors
from jts.runtime.backtest.exchange.account import Account
from jts.runtime.backtest.exchange.config import ExchangeConfig, SessionPolicy
from jts.runtime.backtest.exchange.listing import Listing
from jts.runtime.backtest.exchange.reservations import buy_reserve, buy_reserve_price
from jts.runtime.backtest.exchange.venue_errors import ExchangeRejection
from jts.shared_kernel.clock import ns_to_datetime
from jts.shared_kernel.numbers import ZERO
from jts.shared_kernel.venues import rules
from jts.shared_kernel.venues.calendar import SessionPhase
from jts.shared_kernel.venues.types import OrderSide

ACCEPTING = frozenset(
    {SessionPhase.PRE_OPEN_AUCTION, SessionPhase.CONTINUOUS, SessionPhase.CLOSING_AUCTION}
)


class Admission(NamedTuple):
    """What an accepted order locks and when it expires."""

    reserve_price: Decimal | None
    reserved: Decimal
    expire_ns: int | None


def admit(
    account: Account, listing: Listing, command: SubmitOrder, now: int, config: ExchangeConfig
) -> Admission | ExchangeRejection:
    """Run every check on a new order; on success say what it must lock."""
    on = listing.session_date(now)
    refusal = (
        session_refusal(listing, now, config.session_policy)
        or rule_refusal(
            listing, command.side, command.quantity, command.limit_price, command.trigger_price, on
        )
        or _reduce_only_refusal(account, listing, command)
    )
    if refusal is not None:
        return refusal
    expire_ns = expiry_ns(listing, command, now)
    if isinstance(expire_ns, ExchangeRejection):
        return expire_ns
    if command.side is OrderSide.SELL:
        held = ZERO if command.reduce_only else command.quantity
        shortfall = _holding_refusal(account, listing, held)
        return shortfall or Admission(None, held, expire_ns)
    price = buy_reserve_price(
        listing, command.limit_price, command.trigger_price, buffer=config.market_buy_buffer, on=on
    )
    if price is None:
        return venue_errors.simulator_refusal(
            listing.venue,
            "no_market_price",
            "no market price yet",
            f"{listing.instrument.id} has had no market data, so a {command.order_type} buy "
            "cannot be valued; send a limit order or wait for the first price",
        )
    reserved = buy_reserve(listing, command.quantity, price)
    return _cash_refusal(account, listing, reserved) or Admission(price, reserved, expire_ns)


def session_refusal(listing: Listing, now: int, policy: SessionPolicy) -> ExchangeRejection | None:
    calendar = listing.calendar
    phase = calendar.phase_at(now)
    if phase in ACCEPTING and calendar.is_session(calendar.session_date(now)):
        return None
    if policy is SessionPolicy.QUEUE:
        return None
    local = ns_to_datetime(now).astimezone(ZoneInfo(calendar.time_zone))
    return venue_errors.market_closed(
        listing.venue,
        f"{listing.instrument.id} takes no orders at {local:%Y-%m-%d %H:%M:%S %Z} "
        f"({phase.value.lower().replace('_', ' ')}); send it during the session "
        "(KRX: 08:30-15:30 KST on trading days)",
    )


def rule_refusal(
    listing: Listing,
    side: OrderSide,
    quantity: Decimal,
    limit_price: Decimal | None,
    trigger_price: Decimal | None,
    on: date,
) -> ExchangeRejection | None:
    instrument, base = listing.instrument, listing.base_price
    rejection = rules.validate_order(
        instrument,
        side,
        quantity,
        limit_price,
        on=on,
        reference_price=listing.last_price,
        base_price=base,
    )
    if rejection is None and trigger_price is not None:
        rejection = rules.validate_order(
            instrument, side, quantity, trigger_price, on=on, base_price=base
        )
    return None if rejection is None else venue_errors.order_rule(rejection)


def expiry_ns(listing: Listing, command: SubmitOrder, now: int) -> int | ExchangeRejection | None:
    tif = command.time_in_force
    if tif is TimeInForce.GTD:
        expire = command.expire_time_ns
        if expire is not None and expire <= now:
            return venue_errors.simulator_refusal(
                listing.venue,
                "expired",
                "expire time already passed",
                f"GTD expire time {expire} is not after now ({now}); give a later time",
            )
        return expire
    if tif is TimeInForce.DAY:
        return session_close_ns(listing, now)
    return None


def session_close_ns(listing: Listing, now: int) -> int:
    """The close of the session an order placed at ``now`` belongs to."""
    calendar = listing.calendar
    day = calendar.session_date(now)
    if calendar.is_session(day):
        close = calendar.session_bounds(day)[1]
        if now < close:
            return close
    return calendar.session_bounds(calendar.session_date(calendar.next_open(now)))[1]


def _reduce_only_refusal(
    account: Account, listing: Listing, command: SubmitOrder
) -> ExchangeRejection | None:
    if not command.reduce_only:
        return None
    if command.side is OrderSide.SELL and account.free_holding(command.instrument_id) > ZERO:
        return None
    return venue_errors.simulator_refusal(
        listing.venue,
        "reduce_only",
        "reduce-only order would not reduce a position",
        f"{command.client_order_id}: there is no long {command.instrument_id} position to "
        "reduce (short positions are not supported); send it without reduce_only",
    )


def _holding_refusal(
    account: Account, listing: Listing, quantity: Decimal
) -> ExchangeRejection | None:
    free = account.free_holding(listing.instrument.id)
    if quantity <= free:
        return None
    return venue_errors.insufficient_funds(
        listing.venue,
        OrderSide.SELL,
        listing.instrument.base_asset,
        f"selling {quantity} {listing.instrument.id} but only {free} are free to sell "
        "(held minus what open sells already lock)",
    )


def _cash_refusal(account: Account, listing: Listing, amount: Decimal) -> ExchangeRejection | None:
    currency = listing.instrument.quote_currency
    free = account.free_cash(currency)
    if amount <= free:
        return None
    return venue_errors.insufficient_funds(
        listing.venue,
        OrderSide.BUY,
        currency,
        f"the order needs {amount} {currency} (price times quantity plus fees) but only "
        f"{free} {currency} are free",
    )


def check_modify_terms(
    listing: Listing,
    order_type: OrderType,
    side: OrderSide,
    quantity: Decimal,
    limit_price: Decimal | None,
    trigger_price: Decimal | None,
    now: int,
) -> ExchangeRejection | None:
    """The venue rules on the terms an order would have after a modify."""
    if order_type is OrderType.MARKET:
        return venue_errors.simulator_refusal(
            listing.venue,
            "not_modifiable",
            "market orders cannot be modified",
            "cancel the market order and send a new one instead",
        )
    return rule_refusal(
        listing, side, quantity, limit_price, trigger_price, listing.session_date(now)
    )
