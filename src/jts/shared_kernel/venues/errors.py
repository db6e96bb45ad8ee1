"""Errors raised when venue rules or calendars are asked about what they do not know."""

from __future__ import annotations

from jts.shared_kernel.errors import ConfigurationError, DomainError


class UnknownRuleDate(ConfigurationError, LookupError):
    """A dated rule (tick table, tax rate) has no entry in force on the requested date."""


class CalendarRangeError(ConfigurationError, LookupError):
    """A calendar was asked about a date outside the years its holiday data covers."""


class NotASession(DomainError, ValueError):
    """A date that is not a trading session was used where a session is required."""


class UnknownInstrument(DomainError, LookupError):
    """An instrument id is not in the registry."""
