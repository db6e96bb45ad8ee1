"""Use cases and ports of the market_data context."""
