"""Fill rules: what one market data event lets a working order trade at.

Every bar, trade tick or quote becomes a ``Window``: for each side, an open (the first
price an order could meet), a high and a low, a volume, and a liquidity cap. The matching
pass (``matching``) applies these rules; a vectorized engine can reproduce them from the
same OHLCV arrays.

**Bars** (OHLCV over ``[ts_start, ts_event)``), conservative and documented:

- An order takes part in a bar only if it reached the venue at or before the bar's
  ``ts_start`` (see ``latency``); an order submitted when bar *k* closes trades on bar *k+1*.
- Market orders fill at the bar's **open**.
- Buy limit ``L`` fills only if ``low < L`` (the market traded *through* the limit; a touch
  is not enough) at ``min(L, open)``: at the open when the bar opened through it. Sell
  limits mirror it: ``high > L``, at ``max(L, open)``.
- Buy stop ``T`` triggers when ``high >= T`` and fills at ``max(T, open)``; sell stop when
  ``low <= T`` at ``min(T, open)``. A triggered stop-market is a market order: it slips.
  A triggered stop-limit works as a limit order from the next event on (never in the bar
  that triggered it: the bar's path after the trigger is unknown).
- Within one bar, stops are processed before limits. A position protected by both a
  stop-loss and a take-profit inside one bar is therefore assumed to hit the adverse one
  first (reduce-only orders then find nothing left to close).
- Order of processing within a bar: market orders (time priority), then sell stops and buy
  stops (nearest trigger first), then sell limits and buy limits (best price first, then
  time priority).
- Slippage (market and stop fills only) moves the price against the order; the slipped
  price is clipped into ``[low, high]`` and the KRX daily band, then rounded onto the tick
  grid against the order.

**Trade ticks** (price ``P``, size ``S``): market orders fill at ``P``; buy limit ``L``
fills if ``P < L`` at ``L`` (sell: ``P > L`` at ``L``); buy stops trigger at ``P >= T`` and
fill at ``P`` (sell: ``P <= T``). **Quotes** (bid/ask with sizes): buys look at the ask,
sells at the bid. Market orders and triggered stops fill at the ask (buys) or bid (sells);
buy limit ``L`` fills when ``ask <= L``, at the ask if the order is new to the book
(marketable on arrival: taker) or at ``L`` if it was resting (the seller crossed it:
maker). ``OrderBookSnapshot`` is treated as a quote of its best levels.

**Liquidity**: with a participation rate ``r``, all fills of one side on one event
together take at most ``r`` times the bar volume (trade size; quote size on that side),
rounded down to the lot; the rest stays working. Fills at a limit price are MAKER, every
other fill TAKER (fees use the matching rate).
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

from jts.messages.market_data import Bar, QuoteTick, TradeTick
from jts.shared_kernel.venues.types import LiquiditySide

MAKER = LiquiditySide.MAKER
TAKER = LiquiditySide.TAKER


class DataKind(Enum):
    BAR = "bar"
    TRADE = "trade"
    QUOTE = "quote"


class Window:
    """One market data event seen from each side; reused across events (no allocation)."""

    __slots__ = (
        "buy_capacity",
        "buy_high",
        "buy_low",
        "buy_open",
        "buy_volume",
        "end_ns",
        "kind",
        "limits_fill_at_touch",
        "sell_capacity",
        "sell_high",
        "sell_low",
        "sell_open",
        "sell_volume",
        "start_ns",
    )

    def __init__(self) -> None:
        zero = Decimal(0)
        self.kind = DataKind.BAR
        self.limits_fill_at_touch = False  # quotes: a limit at the ask/bid fills
        self.start_ns = self.end_ns = 0
        self.buy_open = self.buy_high = self.buy_low = self.buy_volume = zero
        self.sell_open = self.sell_high = self.sell_low = self.sell_volume = zero
        self.buy_capacity: Decimal | None = None
        self.sell_capacity: Decimal | None = None

    def load_bar(self, bar: Bar, rate: Decimal | None) -> Window:
        self.kind = DataKind.BAR
        self.limits_fill_at_touch = False
        self.start_ns, self.end_ns = bar.ts_start, bar.ts_event
        self.buy_open = self.sell_open = bar.open
        self.buy_high = self.sell_high = bar.high
        self.buy_low = self.sell_low = bar.low
        self.buy_volume = self.sell_volume = bar.volume
        self._cap(rate)
        return self

    def load_trade(self, tick: TradeTick, rate: Decimal | None) -> Window:
        self.kind = DataKind.TRADE
        self.limits_fill_at_touch = False
        self.start_ns = self.end_ns = tick.ts_event
        price = tick.price
        self.buy_open = self.buy_high = self.buy_low = price
        self.sell_open = self.sell_high = self.sell_low = price
        self.buy_volume = self.sell_volume = tick.size
        self._cap(rate)
        return self

    def load_quote(self, quote: QuoteTick, rate: Decimal | None) -> Window:
        return self.load_top(
            quote.ts_event, quote.bid_price, quote.bid_size, quote.ask_price, quote.ask_size, rate
        )

    def load_top(
        self,
        ts_ns: int,
        bid: Decimal,
        bid_size: Decimal,
        ask: Decimal,
        ask_size: Decimal,
        rate: Decimal | None,
    ) -> Window:
        self.kind = DataKind.QUOTE
        self.limits_fill_at_touch = True
        self.start_ns = self.end_ns = ts_ns
        self.buy_open = self.buy_high = self.buy_low = ask
        self.sell_open = self.sell_high = self.sell_low = bid
        self.buy_volume, self.sell_volume = ask_size, bid_size
        self._cap(rate)
        return self

    def _cap(self, rate: Decimal | None) -> None:
        if rate is None:
            self.buy_capacity = self.sell_capacity = None
        else:
            self.buy_capacity = self.buy_volume * rate
            self.sell_capacity = self.sell_volume * rate

    def market_price(self, is_buy: bool) -> Decimal:
        return self.buy_open if is_buy else self.sell_open

    def stop_threshold(self, is_buy: bool) -> Decimal:
        """Buy stops with ``trigger <= threshold`` fire (sell: ``trigger >= threshold``)."""
        return self.buy_high if is_buy else self.sell_low

    def stop_price(self, is_buy: bool, trigger: Decimal) -> Decimal:
        if is_buy:
            return trigger if trigger > self.buy_open else self.buy_open
        return trigger if trigger < self.sell_open else self.sell_open

    def limit_fill(
        self, is_buy: bool, limit: Decimal, fresh: bool
    ) -> tuple[Decimal, LiquiditySide]:
        """Price and liquidity of a limit order the event reached: buy limits above the buy
        low (quotes: at or above the ask), sell limits below the sell high."""
        kind = self.kind
        if kind is DataKind.BAR:
            open_ = self.buy_open
            if (is_buy and open_ < limit) or (not is_buy and open_ > limit):
                return open_, TAKER
            return limit, MAKER
        if kind is DataKind.QUOTE and fresh:
            return self.market_price(is_buy), TAKER
        return limit, MAKER

    def volume(self, is_buy: bool) -> Decimal:
        return self.buy_volume if is_buy else self.sell_volume

    @property
    def clips_to_range(self) -> bool:
        return self.kind is DataKind.BAR
