"""Risk: the pre-trade gate, limits, Kelly and ATR sizing, VaR/CVaR, drawdown control and alerts.

Pure domain and application code; talks to other contexts only through ``jts.messages``.
"""
