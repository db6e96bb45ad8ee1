"""Trading: the order life cycle (state machine), routing, execution algorithms and reconciliation.

Pure domain and application code; talks to other contexts only through ``jts.messages``.
"""
