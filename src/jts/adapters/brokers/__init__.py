"""Broker adapters: one package per venue with fixed module names.

``kis/`` (Korea Investment & Securities Open API), ``creon/`` (Daishin Creon Plus through the
Windows bridge), ``binance/`` (Binance Spot) and ``upbit/`` (Upbit KRW market). Each package
has ``constants.py`` (hosts, endpoint paths, and the venue's rate limits as a
``jts.adapters.ratelimit.RateLimitPolicy``), then ``config.py``, ``symbols.py``,
``schemas.py``, ``parse.py``, ``errors.py``, ``http.py``, ``ws.py``, ``broker.py`` and
``feed.py``. Venue facts come from ``docs/brokers.md``; each constant cites its section.
"""
