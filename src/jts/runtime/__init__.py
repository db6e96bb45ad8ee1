"""Runtime: drives the contexts. ``backtest`` (engine, simulated exchange) and ``live`` (node)."""
