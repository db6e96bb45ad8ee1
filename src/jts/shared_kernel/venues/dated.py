"""``Dated[T]``: a rule value that changes on known effective dates.

Tick tables and tax rates change by regulation on a given day. A backtest over several
years must use the value in force on each trade's date, so these rules are tables of
``(effective_from, value)`` rather than constants.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Generic, TypeVar

import msgspec

from jts.shared_kernel.venues.errors import UnknownRuleDate

T = TypeVar("T")


class Dated(msgspec.Struct, Generic[T], frozen=True):
    """Values in force from each ``effective_from`` date until the next entry's date.

    ``entries`` are ``(effective_from, value)`` pairs in strictly increasing date order.
    Asking for a date before the first entry raises ``UnknownRuleDate``: the rule was not
    researched that far back, and guessing would silently distort a backtest.
    """

    name: str
    entries: tuple[tuple[date, T], ...]

    def __post_init__(self) -> None:
        if not self.entries:
            raise ValueError(f"dated rule {self.name!r} needs at least one entry")
        dates = [start for start, _ in self.entries]
        if any(later <= earlier for earlier, later in pairwise(dates)):
            raise ValueError(
                f"dated rule {self.name!r} entries must have strictly increasing dates, got "
                + ", ".join(d.isoformat() for d in dates)
            )

    @classmethod
    def constant(cls, name: str, value: T) -> Dated[T]:
        """A rule with one value for every date."""
        return cls(name, ((date.min, value),))

    def at(self, day: date) -> T:
        """The value in force on ``day``."""
        for start, value in reversed(self.entries):
            if start <= day:
                return value
        first = self.entries[0][0]
        raise UnknownRuleDate(
            f"{self.name} is not known before {first.isoformat()} (asked for "
            f"{day.isoformat()}); start the backtest on or after {first.isoformat()} or add "
            "the older rule to the table"
        )

    @property
    def first_date(self) -> date:
        return self.entries[0][0]
