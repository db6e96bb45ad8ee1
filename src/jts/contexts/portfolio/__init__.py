"""Portfolio: accounts, cash by currency, positions, P&L and performance analytics.

Pure domain and application code; talks to other contexts only through ``jts.messages``.
"""
