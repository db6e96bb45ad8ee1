"""Instruments and venue rules as data: what may be traded where, on which grid, at what cost.

Modules, innermost first:

- ``types``: order side, liquidity side, asset class, market segment, ``Rejection``.
- ``errors``: what goes wrong when a rule or a calendar is asked about something it does not know.
- ``dated``: ``Dated[T]``, a value that changes on known effective dates (tick tables, tax rates).
- ``ticks``: ``TickTable`` (price bands with their tick) and rounding onto the grid.
- ``fees``: ``FeeSchedule`` (maker/taker rates, fee asset, KRW flooring) and ``Fee``.
- ``calendar``: the ``TradingCalendar`` protocol, ``SessionCalendar`` (built from data) and the
  24/7 ``AlwaysOpenCalendar`` for crypto venues.
- ``krx``, ``krx_tax``, ``krx_calendar``: KRX ticks, daily price limits, sell tax by date,
  settlement, and the KRX session layout.
- ``upbit``: Upbit KRW/BTC/USDT market ticks, minimum totals, fees, order validation.
- ``binance``: Binance Spot symbol filters parsed from ``exchangeInfo``, validation, fees.
- ``instruments``: the ``Instrument`` spec, builders per venue and ``InstrumentRegistry``.
- ``rules``: the one API the simulated exchange, risk and the market simulator call
  (``validate_order``, ``round_price``, ``fee``, ``sell_tax``, ``price_limits`` ...).

Everything here is pure: no I/O, no wall clock. Calendars built from ``exchange_calendars``
live in ``jts.adapters.calendars``.
"""
