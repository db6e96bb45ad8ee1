"""What a backtest produces, whichever engine ran it: fills, round-trip trades, positions,
cash, the equity curve and the final equity.

Both engines (``runtime.backtest.vectorized`` and the event-driven one) return a
``BacktestResult`` and build its trades with the same ``TradeBook`` from the same ``Fill``
records, so two runs that fill alike report alike, to the won.

Conventions:

- ``Fill`` is one execution as the simulated exchange reports it (``OrderFilled``): the
  price and quantity traded, the commission in its currency (the quote currency, or the
  base asset for Binance buys) and the KRX sell tax; ``ts_ns`` is the fill's ``ts_event``
  (the close of the bar it traded in).
- A ``Trade`` is one round trip of a long position: it opens with the first buy fill while
  no trade is open and closes with the sell fill after which less than one lot is left to
  sell. ``entry_price`` / ``exit_price`` are volume-weighted averages of the buy / sell
  fills (28 significant digits), ``quantity`` is what was bought. ``pnl`` is the cash it
  made: sell proceeds (less commission and tax) minus buy costs (plus quote commission), in
  the quote currency. A commission taken in the base asset (Binance buys) costs the units
  it took; ``fees`` counts it at the fill price beside quote commissions and taxes. Dust
  left under one lot stays in the position and counts towards the next round trip.
- Positions still open at the end are not trades; they appear in ``positions`` with the
  last price.
- ``equity`` is in ``base_currency`` (KRW): cash of every currency and every position at
  its last close, other currencies converted at the FX rate of that time. One point per
  bar close (``equity_ts_ns``) of the run's timeline; ``final_equity`` is the exact value
  of the last point.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import msgspec
import numpy as np
import numpy.typing as npt

from jts.contexts.portfolio.domain.analytics.trades import ClosedTrade
from jts.messages.enums import Direction, LiquiditySide, OrderSide
from jts.messages.trading import OrderFilled
from jts.shared_kernel.identifiers import InstrumentId
from jts.shared_kernel.numbers import ONE, ZERO
from jts.shared_kernel.venues.instruments import Instrument

Int64Array = npt.NDArray[np.int64]
Float64Array = npt.NDArray[np.float64]


class Fill(msgspec.Struct, frozen=True, kw_only=True):
    """One execution: ``quantity`` at ``price``, what it cost in commission and tax, and why
    the order was sent (``reason``: ``entry``, ``exit``, ``stop_loss``, ``take_profit``,
    ``trailing_stop``)."""

    instrument_id: InstrumentId
    side: OrderSide
    quantity: Decimal
    price: Decimal
    commission: Decimal
    commission_currency: str
    tax: Decimal
    liquidity: LiquiditySide
    ts_ns: int
    reason: str = ""

    @classmethod
    def of(cls, event: OrderFilled, reason: str = "") -> Fill:
        """The fill an exchange event reports."""
        return cls(
            instrument_id=event.instrument_id,
            side=event.side,
            quantity=event.last_qty,
            price=event.last_price,
            commission=event.commission,
            commission_currency=event.commission_currency,
            tax=event.tax,
            liquidity=event.liquidity_side,
            ts_ns=event.ts_event,
            reason=reason,
        )


class Trade(msgspec.Struct, frozen=True, kw_only=True):
    """One closed round trip; money in ``currency`` (the instrument's quote currency)."""

    instrument_id: InstrumentId
    direction: Direction
    quantity: Decimal
    entry_ts_ns: int
    entry_price: Decimal
    exit_ts_ns: int
    exit_price: Decimal
    fees: Decimal
    pnl: Decimal
    currency: str
    exit_reason: str = ""
    fx_rate: Decimal = ONE  # quote currency -> base currency at the exit

    def closed_trade(self) -> ClosedTrade:
        """The analytics view, with pnl and fees in the base currency."""
        return ClosedTrade(
            instrument_id=self.instrument_id,
            direction=self.direction,
            quantity=self.quantity,
            entry_ts_ns=self.entry_ts_ns,
            exit_ts_ns=self.exit_ts_ns,
            entry_price=self.entry_price,
            exit_price=self.exit_price,
            pnl=self.pnl * self.fx_rate,
            fees=self.fees * self.fx_rate,
        )


class Position(msgspec.Struct, frozen=True, kw_only=True):
    """Units of one instrument held at the end, valued at ``last_price`` (quote currency)."""

    instrument_id: InstrumentId
    quantity: Decimal
    average_price: Decimal
    last_price: Decimal
    currency: str

    @property
    def market_value(self) -> Decimal:
        return self.quantity * self.last_price

    @property
    def unrealized_pnl(self) -> Decimal:
        return (self.last_price - self.average_price) * self.quantity


@dataclass(frozen=True, eq=False)
class BacktestResult:
    """Everything one backtest run produced (see the module docstring for conventions)."""

    strategy: str
    parameters: Mapping[str, float]
    engine: str
    base_currency: str
    initial_equity: Decimal
    final_equity: Decimal
    fills: tuple[Fill, ...]
    trades: tuple[Trade, ...]
    positions: tuple[Position, ...]
    balances: Mapping[str, Decimal]
    equity_ts_ns: Int64Array
    equity: Float64Array
    bars: int = 0
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if len(self.equity_ts_ns) != len(self.equity):
            raise ValueError(
                f"equity curve has {len(self.equity_ts_ns)} times but {len(self.equity)} values"
            )

    def closed_trades(self) -> list[ClosedTrade]:
        """Trades for ``analytics.analyze_performance``, in the base currency."""
        return [trade.closed_trade() for trade in self.trades]

    @property
    def total_pnl(self) -> Decimal:
        """Net pnl of closed trades in the base currency."""
        return sum((trade.pnl * trade.fx_rate for trade in self.trades), ZERO)


class _OpenTrade:
    __slots__ = (
        "bought",
        "buy_value",
        "cash_flow",
        "entry_ts_ns",
        "fees",
        "held",
        "sell_value",
        "sold",
    )

    def __init__(self, entry_ts_ns: int) -> None:
        self.entry_ts_ns = entry_ts_ns
        self.bought = self.buy_value = self.sold = self.sell_value = ZERO
        self.fees = self.cash_flow = self.held = ZERO


class TradeBook:
    """Turns fills into round-trip ``Trade``s (rules in the module docstring)."""

    def __init__(self, instruments: Mapping[InstrumentId, Instrument]) -> None:
        self._instruments = instruments
        self._open: dict[InstrumentId, _OpenTrade] = {}
        self._dust: dict[InstrumentId, Decimal] = {}
        self.trades: list[Trade] = []

    def add(self, fill: Fill, *, fx_rate: Decimal = ONE) -> Trade | None:
        """Record ``fill``; return the trade it closed, if any. ``fx_rate`` converts the
        quote currency into the base currency at the fill's time."""
        instrument = self._instruments[fill.instrument_id]
        if fill.side is OrderSide.BUY:
            self._buy(instrument, fill)
            return None
        return self._sell(instrument, fill, fx_rate)

    def _buy(self, instrument: Instrument, fill: Fill) -> None:
        trade = self._open.get(instrument.id)
        if trade is None:
            trade = self._open[instrument.id] = _OpenTrade(fill.ts_ns)
            trade.held = self._dust.pop(instrument.id, ZERO)
        notional = fill.price * fill.quantity
        trade.bought += fill.quantity
        trade.buy_value += notional
        if fill.commission_currency == instrument.base_asset:
            trade.held += fill.quantity - fill.commission
            trade.fees += fill.commission * fill.price
            trade.cash_flow -= notional
        else:
            trade.held += fill.quantity
            trade.fees += fill.commission
            trade.cash_flow -= notional + fill.commission

    def _sell(self, instrument: Instrument, fill: Fill, fx_rate: Decimal) -> Trade | None:
        trade = self._open.get(instrument.id)
        if trade is None:
            raise ValueError(
                f"sell fill of {fill.quantity} {instrument.id} at ts {fill.ts_ns} without an "
                "open position: the engines never sell short"
            )
        notional = fill.price * fill.quantity
        trade.sold += fill.quantity
        trade.sell_value += notional
        trade.held -= fill.quantity
        trade.fees += fill.commission + fill.tax
        trade.cash_flow += notional - fill.commission - fill.tax
        if trade.held >= instrument.lot_size:
            return None
        del self._open[instrument.id]
        if trade.held > ZERO:
            self._dust[instrument.id] = trade.held
        closed = Trade(
            instrument_id=instrument.id,
            direction=Direction.LONG,
            quantity=trade.bought,
            entry_ts_ns=trade.entry_ts_ns,
            entry_price=trade.buy_value / trade.bought,
            exit_ts_ns=fill.ts_ns,
            exit_price=trade.sell_value / trade.sold,
            fees=trade.fees,
            pnl=trade.cash_flow,
            currency=instrument.quote_currency,
            exit_reason=fill.reason,
            fx_rate=fx_rate,
        )
        self.trades.append(closed)
        return closed

    def open_quantity(self, instrument_id: InstrumentId) -> Decimal:
        """Units held in the open trade of ``instrument_id`` (zero when flat)."""
        trade = self._open.get(instrument_id)
        return ZERO if trade is None else trade.held


def trades_from_fills(
    fills: Sequence[Fill],
    instruments: Mapping[InstrumentId, Instrument],
    fx_rates: Sequence[Decimal] | None = None,
) -> list[Trade]:
    """The round trips of ``fills`` (in time order); ``fx_rates[i]`` converts fill ``i``."""
    book = TradeBook(instruments)
    for i, fill in enumerate(fills):
        book.add(fill, fx_rate=ONE if fx_rates is None else fx_rates[i])
    return book.trades
