"""Market data feeds behind the ``MarketDataFeed`` port.

- ``base.StreamingFeed``: venue connections with reconnect, resubscribe and health events
  (each venue adds a ``FeedTransport``).
- ``replay.ReplayFeed``: bars and ticks from the time-series store or files, at real speed,
  accelerated or as fast as possible.
- ``synthetic.SyntheticLiveFeed``: the market simulator streaming today's market live.
"""
