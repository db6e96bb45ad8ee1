"""The in-memory store's state and the undo journal every change goes through."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jts.adapters.sql.platform import AuditEntry, ConfigEntry, FeatureFlag, UserRecord
from jts.contexts.portfolio.domain.records import PositionRecord
from jts.contexts.strategy.domain.records import StrategyRecord, StrategyVersion
from jts.contexts.trading.domain.records import FillRecord, OrderRecord
from jts.shared_kernel.identifiers import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
)


class StoreState:
    """Every record the store holds, plus the indexes its queries use."""

    def __init__(self) -> None:
        self.orders: dict[ClientOrderId, OrderRecord] = {}
        self.open_orders: dict[ClientOrderId, None] = {}  # an ordered set of non-terminal ids
        self.fills: dict[tuple[ClientOrderId, TradeId], FillRecord] = {}
        self.fills_by_order: dict[ClientOrderId, list[tuple[int, FillRecord]]] = {}
        self.fill_log: list[tuple[int, FillRecord]] = []  # (store sequence, fill)
        self.positions: dict[tuple[AccountId, InstrumentId], PositionRecord] = {}
        self.strategies: dict[StrategyId, StrategyRecord] = {}
        self.strategy_versions: dict[StrategyId, list[StrategyVersion]] = {}
        self.users: dict[str, UserRecord] = {}
        self.user_ids_by_name: dict[str, str] = {}
        self.audit: list[AuditEntry] = []  # entry with seq n sits at index n - 1
        self.config: dict[str, ConfigEntry] = {}
        self.flags: dict[str, FeatureFlag] = {}


class Journal:
    """Applies changes to the state and remembers how to undo them, newest last."""

    def __init__(self) -> None:
        self._undo: list[Callable[[], None]] = []
        self._closed = False

    def set_item(self, container: Any, key: Any, value: Any) -> None:
        """``container[key] = value`` for a dict or (an existing index of) a list."""
        self._check_open()
        if isinstance(container, list) or key in container:
            previous = container[key]
            self._undo.append(lambda: container.__setitem__(key, previous))
        else:
            self._undo.append(lambda: container.__delitem__(key))
        container[key] = value

    def delete_item(self, mapping: dict[Any, Any], key: Any) -> None:
        self._check_open()
        previous = mapping.pop(key)
        self._undo.append(lambda: mapping.__setitem__(key, previous))

    def append(self, items: list[Any], value: Any) -> None:
        self._check_open()
        items.append(value)
        self._undo.append(items.pop)

    def forget(self) -> None:
        """Commit: the changes stay."""
        self._undo.clear()

    def undo(self) -> None:
        """Roll back every change not yet committed, newest first."""
        while self._undo:
            self._undo.pop()()

    def close(self) -> None:
        self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("the unit of work is closed; open a new one with `with uow:`")
