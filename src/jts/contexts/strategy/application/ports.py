"""Ports the strategy context needs from the outside world.

Storage follows the trading context's pattern (see ``jts.contexts.trading.application.ports``):
a synchronous unit of work, one transaction per ``with`` block, rolled back unless committed.
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from jts.contexts.strategy.domain.records import StrategyLanguage, StrategyRecord, StrategyVersion
from jts.shared_kernel.identifiers import StrategyId


class StrategyRepository(Protocol):
    """Strategies and their source history."""

    def add_version(
        self,
        strategy_id: StrategyId,
        source: str,
        *,
        language: StrategyLanguage,
        author: str,
        created_ns: int,
        name: str | None = None,
    ) -> StrategyVersion:
        """Save ``source`` as the strategy's next version and return that version.

        Creates the strategy on its first save (``name`` defaults to the id). If ``source``
        equals the latest version's text, nothing is stored and the latest version is
        returned. Raises ``StrategyLanguageMismatch`` if ``language`` differs from the
        strategy's.
        """
        ...

    def get(self, strategy_id: StrategyId) -> StrategyRecord | None: ...

    def list_strategies(self) -> list[StrategyRecord]:
        """Every strategy, ordered by id."""
        ...

    def latest(self, strategy_id: StrategyId) -> StrategyVersion | None: ...

    def get_version(self, strategy_id: StrategyId, version: int) -> StrategyVersion | None: ...

    def versions(self, strategy_id: StrategyId) -> list[StrategyVersion]:
        """Every version of the strategy, oldest first."""
        ...


class StrategyUnitOfWork(Protocol):
    """One atomic transaction over strategies; use it as ``with uow: ...``."""

    @property
    def strategies(self) -> StrategyRepository: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...
