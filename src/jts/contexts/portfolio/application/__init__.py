"""Use cases and ports of the portfolio context."""
