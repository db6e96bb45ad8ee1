"""Market data: quotes, trades, bars, order books; normalization, aggregation, surges.

Pure domain and application code; talks to other contexts only through ``jts.messages``.
"""
