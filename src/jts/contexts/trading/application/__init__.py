"""Use cases and ports of the trading context."""
