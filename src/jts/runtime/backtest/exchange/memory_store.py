"""``InMemoryAccountStore``: the ``AccountStore`` for tests and throw-away paper accounts.

It copies what it is given and hands out copies, so callers can never change stored state
by accident. ``saves`` counts successful saves (tests use it to see that nothing was written).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from jts.runtime.backtest.exchange.ports import DocumentKey, StoredFill


class InMemoryAccountStore:
    blocking = False  # no I/O: callers need no worker thread

    def __init__(self) -> None:
        self._documents: dict[str, dict[DocumentKey, str]] = {}
        self._fills: dict[str, dict[int, tuple[int, str]]] = {}
        self.saves = 0

    def load(self, account_id: str) -> dict[DocumentKey, str]:
        return dict(self._documents.get(account_id, {}))

    def save(
        self, account_id: str, documents: Mapping[DocumentKey, str], fills: Sequence[StoredFill]
    ) -> None:
        staged = dict(documents)
        new_fills = {sequence: (ts, payload) for sequence, ts, payload in fills}
        self._documents.setdefault(account_id, {}).update(staged)
        stored = self._fills.setdefault(account_id, {})
        for sequence, entry in new_fills.items():
            stored.setdefault(sequence, entry)
        self.saves += 1

    def fills_since(self, account_id: str, ts_ns: int) -> list[str]:
        stored = self._fills.get(account_id, {})
        return [payload for _, (ts, payload) in sorted(stored.items()) if ts >= ts_ns]
