"""Use cases and ports of the strategy context."""
