"""Use cases and ports of the risk context."""
