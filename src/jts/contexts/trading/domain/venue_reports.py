"""What a broker reports about orders, positions and balances, in JTS terms.

Broker adapters translate their venue's payloads into these; reconciliation compares them
with the store. ``BrokerCapabilities`` is data, so routing and validation never branch on a
broker's name.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from jts.messages.enums import OrderSide, OrderStatus, OrderType, TimeInForce
from jts.shared_kernel.identifiers import ClientOrderId, InstrumentId, Venue, VenueOrderId

_ZERO = Decimal(0)


class BrokerCapabilities(msgspec.Struct, frozen=True, kw_only=True):
    """What a broker can do; the router and the OMS read these instead of names."""

    venues: frozenset[Venue]
    order_types: frozenset[OrderType] = frozenset({OrderType.MARKET, OrderType.LIMIT})
    time_in_force: frozenset[TimeInForce] = frozenset({TimeInForce.GTC, TimeInForce.DAY})
    modify: bool = True
    short_selling: bool = False
    fractional_quantity: bool = False
    max_open_orders: int | None = None
    fee_bps: Decimal = _ZERO

    def supports(self, instrument_id: InstrumentId, order_type: OrderType) -> bool:
        return instrument_id.venue in self.venues and order_type in self.order_types


class OrderReport(msgspec.Struct, frozen=True, kw_only=True):
    """One order as the venue knows it now."""

    client_order_id: ClientOrderId | None
    venue_order_id: VenueOrderId
    instrument_id: InstrumentId
    side: OrderSide
    order_type: OrderType
    quantity: Decimal
    filled_quantity: Decimal = _ZERO
    average_fill_price: Decimal | None = None
    limit_price: Decimal | None = None
    status: OrderStatus
    ts_last: int

    @property
    def leaves_quantity(self) -> Decimal:
        return self.quantity - self.filled_quantity


class PositionReport(msgspec.Struct, frozen=True, kw_only=True):
    """A holding at the venue; ``quantity`` is negative for a short."""

    instrument_id: InstrumentId
    quantity: Decimal
    average_price: Decimal


class BalanceReport(msgspec.Struct, frozen=True, kw_only=True):
    """Cash or coin of one currency: ``total = free + locked``."""

    currency: str
    total: Decimal
    locked: Decimal = _ZERO

    @property
    def free(self) -> Decimal:
        return self.total - self.locked
