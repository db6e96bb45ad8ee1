"""backtest ring of JTS."""
