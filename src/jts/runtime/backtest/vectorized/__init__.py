"""The vectorized backtest engine: a strategy-language program over whole bar arrays.

The strategy's signals come from the language's ``VectorizedEvaluator``; a numba kernel
then walks the bars once and simulates orders, fills, cash and positions under **the same
rules as the simulated exchange** (``runtime.backtest.exchange``, fill rules in its
``window`` module), and an exact ``Decimal`` replay of what the kernel decided produces
the fills, fees, taxes, trades and equity (``results.BacktestResult``) to the won.

Use ``VectorizedBacktest`` (``backtest``): ``run_program(compiled, bars, params=..., fx=...)``
as ``EventDrivenBacktest`` takes it, or ``prepare`` once and ``run_prepared`` /
``sweep`` (floats, for ranking many parameter sets) per set.

Exactness. Prices are integer units at each instrument's price scale, quantities integer
units of its lot's scale, KRX commissions and taxes whole won: the kernel computes them
exactly. Cash is ``float64`` in the kernel; every decision that depends on it (an entry's
size, whether a buy can be paid, a volume-share slipped price) is numbered, and the replay
(``replay``) redoes the whole log with the exchange's own ``Decimal`` functions, checks
each decision and, at the first that differs, has the kernel run again with the exact
value forced (``engine.run_exact``). Levels come from the floats' ``repr`` decimals
(``levels``). Modules: ``kernel*`` (numba), ``grid`` (integer arithmetic), ``layout``
(array columns), ``specs``/``timeline``/``levels``/``inputs`` (kernel inputs), ``replay``,
``market``, ``sizing`` (``Decimal`` sizing both engines use), ``engine``, ``backtest``.

How a program trades (the contract the event-driven engine follows too)
-----------------------------------------------------------------------

Time. Bars of every instrument are merged by close time, ties in universe order. A
program's signals on bar ``t`` are evaluated at its close; orders are sent at that close
with no latency, so they trade from the instrument's next bar. Orders are GTC; KRX orders
sent after the close queue for the next session (``SessionPolicy.QUEUE``).

Exchange step (each bar, before the program sees it), exactly as ``window`` states: a new
KRX session sets the daily band from the previous session's last close; working market
orders fill at the open; sell stops trigger at ``low <= trigger`` and fill at
``min(trigger, open)``; the take-profit sell limit fills at ``high > limit`` at
``max(limit, open)``; the entry buy limit at ``low < limit`` at ``min(limit, open)``.
Market and stop fills slip (fixed bps or volume share), clipped into the bar and the band
and rounded onto the tick grid against the order. With a participation rate, each side's
fills in one bar take at most that share of the bar's volume (rounded down to the lot);
the rest works on. Buys pay notional plus quote fee (KRX commission floored to the won,
Upbit 0.05%), Binance buys pay their fee in the base asset; sells pay commission and, on
KRX, the sell tax of the settlement date. A buy the free cash plus its reservation cannot
pay for is cut to what it can pay and its rest canceled.

Program step (each bar close, per instrument, in this order):

1. A limit entry that has worked ``ttl`` bars without filling completely is canceled.
2. If one protective order (stop or take-profit) filled in this bar, the other is
   canceled.
3. Trailing stop: the level becomes ``max(level, close - distance)`` (percent:
   ``close * (1 - p)``), rounded up onto the tick grid; a working stop's trigger follows
   it upwards (never down).
4. When the entry order is done (filled, or canceled with a part filled) and the position
   holds at least one lot with no exit working, protective orders are sent for the whole
   sellable holding: a reduce-only stop-market sell at ``max(stop-loss level, trailing
   level)`` and a reduce-only take-profit limit sell, each clipped into the KRX daily band.
5. Exit rule fires while the position holds a lot and no exit works: the entry remainder
   and protective orders are canceled and a market sell of the sellable holding is sent.
6. Entry rule fires while flat (less than one lot, no order working, no exit sent in this
   step) and its inputs are known (sizing values finite and positive, the limit price,
   every configured protection's value): the entry is sized and sent (a market buy, or a
   limit buy at the program's limit price rounded down onto the grid and clipped into
   the band). An exit the venue refuses (below its minimum total) is not sent; the
   protective orders it replaced stay canceled.

Levels are fixed at the entry signal from that bar's close (``LanguageStrategy``'s
convention): stop-loss ``close * (1 - p)`` or ``close - distance``, rounded up onto the
tick grid; take-profit ``close * (1 + p)`` or ``close + distance``, rounded up. A level
that is not a positive price means no such order. A filled stop reports ``stop_loss`` when
the stop-loss level is at or above the trailing level, else ``trailing_stop``.

Sizing (at the signal, ``E`` = equity in the base currency: cash of every currency plus
every holding at its last close, at the FX rate; ``P`` = the reference price, the signal
close or the limit price; ``fx`` = quote to base currency):

- ``quantity(n)``: ``n``;
- ``percent_equity(f)``: ``E * f / (P * fx)``;
- ``kelly(k, max=c)``: ``percent_equity`` at ``c`` until the run has closed a winning and
  a losing trade, then at ``min(c, k * (W - (1 - W) / R))`` (``W`` win rate, ``R`` mean
  win over mean loss, pnl in the base currency); no entry when that is not positive;
- ``risk(r, stop=d)``: ``E * r / (d * fx)``;

rounded down to the lot, then cut to the most the free quote cash can reserve (the
exchange's ``affordable_quantity`` at the reserve price: the limit price; for market
buys the KRX upper limit price, or elsewhere the last price plus the market-buy buffer).
Orders the venue would refuse (minimum quantity or order total, maximum quantity) are not
sent. Short entries are not traded: accounts are spot and the exchange never sells short.
"""
