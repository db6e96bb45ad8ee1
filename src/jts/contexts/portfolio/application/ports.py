"""Ports the portfolio context needs from the outside world.

Storage follows the trading context's pattern (see ``jts.contexts.trading.application.ports``):
a synchronous unit of work, one transaction per ``with`` block, rolled back unless committed.
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from jts.contexts.portfolio.domain.equity_curve import EquityCurve, EquityCurveInfo
from jts.contexts.portfolio.domain.records import PositionRecord
from jts.shared_kernel.identifiers import AccountId, InstrumentId


class PositionRepository(Protocol):
    """Positions keyed by ``(account_id, instrument_id)``."""

    def upsert(self, position: PositionRecord) -> None:
        """Store the position, replacing any stored for the same account and instrument."""
        ...

    def get(self, account_id: AccountId, instrument_id: InstrumentId) -> PositionRecord | None: ...

    def list_for_account(self, account_id: AccountId) -> list[PositionRecord]:
        """The account's positions (flat ones included) ordered by instrument id."""
        ...


class PortfolioUnitOfWork(Protocol):
    """One atomic transaction over positions; use it as ``with uow: ...``."""

    @property
    def positions(self) -> PositionRepository: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


class EquityCurveStore(Protocol):
    """Equity curves in the time-series store, keyed by ``(curve_id, ts)``.

    Appends are batches and idempotent (a newer point replaces a stored one at the same
    ``ts``); reads take a half-open range ``[start_ns, end_ns)``; values round-trip exactly.
    """

    def append_equity(self, curve: EquityCurve) -> None: ...

    def read_equity(
        self, curve_id: str, *, start_ns: int | None = None, end_ns: int | None = None
    ) -> EquityCurve:
        """The stored points with ``start_ns <= ts < end_ns``; empty when none are stored."""
        ...

    def list_equity(self) -> list[EquityCurveInfo]:
        """One entry per stored curve, ordered by ``curve_id``."""
        ...
