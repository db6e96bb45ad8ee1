"""``PortfolioTracker``: the paper account's positions, cash and equity, booked from fills.

It wraps the portfolio context's ``Portfolio`` (no second implementation of positions or
P&L): one ``Portfolio`` for the account, and one per strategy holding only that strategy's
positions, so a strategy sees (and exits) what it bought even when another strategy
trades the same instrument. Fills are booked once each (keyed by trade id), whatever
path they come by (the OMS's reports, or the paper broker's fill log at start-up).

Marks come from market data (a bar's close, a trade's price, a quote's mid); a position
that has no mark yet (just after a restart) is valued at its average price. Rates into the
base currency (KRW) come from ``fx_rates`` at start and from the marks of the instruments
named in ``fx_instruments`` (e.g. a USDT/KRW market) as they trade.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal

from jts.contexts.portfolio.domain.fx import FxRates
from jts.contexts.portfolio.domain.portfolio import Portfolio
from jts.contexts.portfolio.domain.positions import Position
from jts.contexts.risk.application.ports import InstrumentSpecs
from jts.messages.market_data import Bar, MarketDataEvent, QuoteTick, TradeTick
from jts.messages.portfolio import PortfolioUpdated, PositionSnapshot
from jts.messages.trading import OrderFilled
from jts.runtime.backtest.results import Fill, Trade, TradeBook
from jts.shared_kernel.clock import Clock
from jts.shared_kernel.identifiers import AccountId, InstrumentId, StrategyId, TradeId
from jts.shared_kernel.venues.instruments import Instrument

RECENT_FILLS = 50
TradeListener = Callable[[StrategyId, Trade], None]


class PortfolioTracker:
    """Positions, cash and equity of one paper account (see the module docstring)."""

    def __init__(
        self,
        *,
        instruments: InstrumentSpecs,
        cash: Mapping[str, Decimal],
        clock: Clock,
        account_id: AccountId,
        base_currency: str = "KRW",
        fx_rates: Mapping[str, Decimal] | None = None,
        fx_instruments: Mapping[InstrumentId, str] | None = None,
    ) -> None:
        self._instruments = instruments
        self._clock = clock
        self.account_id = account_id
        self.starting_cash = dict(cash)
        self.account = Portfolio(cash=cash, base_currency=base_currency)
        self.rates = FxRates(base_currency, fx_rates)
        self._fx_instruments = dict(fx_instruments or {})
        self._books: dict[StrategyId, Portfolio] = {}
        self._marks: dict[InstrumentId, Decimal] = {}
        self._booked: set[TradeId] = set()
        self.fills: list[OrderFilled] = []
        self.reasons: list[str] = []
        self.recent: deque[OrderFilled] = deque(maxlen=RECENT_FILLS)
        self.fees = Decimal(0)
        self._trade_book = TradeBook(_Specs(instruments))
        self.on_trade: TradeListener | None = None  # told of each round trip as it closes
        self._equity: Decimal | None = None  # valid until a fill, a held mark or a rate moves

    @property
    def base_currency(self) -> str:
        return self.account.base_currency

    # --- changes ----------------------------------------------------------------------------

    def book(self, fill: OrderFilled, reason: str = "") -> bool:
        """Book ``fill`` in the account and its strategy's book; ``False`` if already booked.

        ``reason`` is why its order was sent (entry, exit, stop_loss...): round trips
        (``trades``) carry the reason of the fill that closed them."""
        if fill.trade_id in self._booked:
            return False
        instrument = self._instruments.get(fill.instrument_id)
        fx_rate = self.rates.rate(instrument.quote_currency)  # no rate: refused before booking
        self._booked.add(fill.trade_id)
        self._equity = None
        execution = self.account.apply_fill(fill, instrument)
        self._book_of(fill.strategy_id).apply_fill(fill, instrument)
        self.fees += self.rates.to_base(execution.fees, execution.currency)
        self.fills.append(fill)
        self.reasons.append(reason)
        self.recent.append(fill)
        trade = self._trade_book.add(Fill.of(fill, reason), fx_rate=fx_rate)
        if trade is not None and self.on_trade is not None:
            self.on_trade(fill.strategy_id, trade)
        return True

    @property
    def trades(self) -> list[Trade]:
        """Round trips closed so far, built from the fills as the backtests build them."""
        return list(self._trade_book.trades)

    def book_all(self, fills: Iterable[OrderFilled]) -> int:
        """Book every fill not booked yet (start-up from the broker's log); how many were new."""
        return sum(1 for fill in sorted(fills, key=lambda f: f.ts_event) if self.book(fill))

    def mark(self, event: MarketDataEvent) -> Decimal | None:
        """Take the price ``event`` carries as its instrument's mark; the mark, if any."""
        if isinstance(event, Bar):
            price = event.close
        elif isinstance(event, TradeTick):
            price = event.price
        elif isinstance(event, QuoteTick):
            price = event.mid_price
        else:
            return None
        self._marks[event.instrument_id] = price
        if self.account.held_quantity(event.instrument_id):
            self._equity = None
        currency = self._fx_instruments.get(event.instrument_id)
        if currency is not None:
            self.set_rate(currency, price)
        return price

    def set_rate(self, currency: str, rate: Decimal) -> None:
        """One unit of ``currency`` is worth ``rate`` of the base currency from now on."""
        self.rates.set(currency, rate)
        self._equity = None

    def _book_of(self, strategy_id: StrategyId) -> Portfolio:
        book = self._books.get(strategy_id)
        if book is None:
            book = Portfolio(cash={}, base_currency=self.base_currency)
            self._books[strategy_id] = book
        return book

    # --- reading ----------------------------------------------------------------------------

    def mark_price(self, instrument_id: InstrumentId) -> Decimal | None:
        return self._marks.get(instrument_id)

    def marks(self) -> dict[InstrumentId, Decimal]:
        """Marks of every instrument held or seen; an unmarked holding at its average price."""
        marks = {p.instrument_id: p.average_price for p in self.account.positions() if p.quantity}
        marks.update(self._marks)
        return marks

    def equity(self) -> Decimal:
        """Cash plus positions at their marks, in the base currency (recomputed only when
        a fill, the mark of a holding or a rate changed it)."""
        if self._equity is None:
            self._equity = self.account.equity(self.marks(), self.rates)
        return self._equity

    def position(self, strategy_id: StrategyId, instrument_id: InstrumentId) -> Position | None:
        """``strategy_id``'s own holding of ``instrument_id``."""
        book = self._books.get(strategy_id)
        return None if book is None else book.position(instrument_id)

    def snapshot(
        self, strategy_id: StrategyId, instrument_id: InstrumentId
    ) -> PositionSnapshot | None:
        """The strategy's open position as it would see it now, ``None`` when flat."""
        book = self._books.get(strategy_id)
        if book is None:
            return None
        position = book.position(instrument_id)
        if position is None or not position.is_open:
            return None
        mark = self._marks.get(instrument_id, position.average_price)
        return book.snapshot(instrument_id, mark)

    def positions(self) -> list[PositionSnapshot]:
        """Every account position with units held, at its mark."""
        marks = self.marks()
        held = []
        for position in self.account.positions():
            if position.quantity:
                mark = marks[position.instrument_id]
                held.append(
                    PositionSnapshot(
                        instrument_id=position.instrument_id,
                        quantity=position.quantity,
                        average_price=position.average_price,
                        market_price=mark,
                        realized_pnl=position.realized_pnl,
                        unrealized_pnl=position.unrealized_pnl(mark),
                        currency=position.currency,
                    )
                )
        return held

    def exposure(self) -> dict[InstrumentId, Decimal]:
        """Signed market value of each holding, in the base currency."""
        marks = self.marks()
        return {
            p.instrument_id: self.rates.to_base(p.quantity * marks[p.instrument_id], p.currency)
            for p in self.account.positions()
            if p.quantity
        }

    def pnl(self) -> tuple[Decimal, Decimal]:
        """Realized and unrealized P&L over every position, in the base currency."""
        marks = self.marks()
        realized = unrealized = Decimal(0)
        for position in self.account.positions():
            realized += self.rates.to_base(position.realized_pnl, position.currency)
            if position.quantity:
                value = position.unrealized_pnl(marks[position.instrument_id])
                unrealized += self.rates.to_base(value, position.currency)
        return realized, unrealized

    def strategy_pnl(self) -> dict[StrategyId, Decimal]:
        """Each strategy's realized plus unrealized P&L over its own book, in the base
        currency (the daily report's per-strategy figures)."""
        marks = self.marks()
        totals: dict[StrategyId, Decimal] = {}
        for strategy_id, book in self._books.items():
            total = Decimal(0)
            for position in book.positions():
                value = position.realized_pnl
                if position.quantity:
                    value += position.unrealized_pnl(marks[position.instrument_id])
                total += self.rates.to_base(value, position.currency)
            totals[strategy_id] = total
        return totals

    @property
    def fx_instruments(self) -> dict[InstrumentId, str]:
        """The instruments whose marks are rates into the base currency (USDT-KRW.UPBIT)."""
        return dict(self._fx_instruments)

    def update_message(self) -> PortfolioUpdated:
        """``PortfolioUpdated`` for the account as it is now."""
        now = self._clock.now_ns()
        return PortfolioUpdated(
            account_id=self.account_id,
            base_currency=self.base_currency,
            cash=self.account.balances,
            positions=tuple(self.positions()),
            equity=self.equity(),
            ts_event=now,
            ts_init=now,
        )


class _Specs(Mapping[InstrumentId, Instrument]):
    """Instrument specs by id as the ``TradeBook`` reads them."""

    def __init__(self, specs: InstrumentSpecs) -> None:
        self._specs = specs

    def __getitem__(self, instrument_id: InstrumentId) -> Instrument:
        return self._specs.get(instrument_id)

    def __iter__(self) -> Iterator[InstrumentId]:
        return iter(())

    def __len__(self) -> int:
        return 0
