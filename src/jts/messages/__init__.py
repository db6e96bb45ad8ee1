"""The published language: every command and event that crosses a context boundary.

Each module is owned by the context it is named after. Messages are immutable msgspec
structs tagged ``"<context>.<ClassName>"``; timestamps are UNIX nanoseconds; money and
sizes are ``Decimal``.
"""
