"""Use cases and ports of the notifications context."""
