"""``AccountStore``: where a paper account lives between restarts.

The simulated exchange encodes its own state as documents (``state``): one per cash
currency, holding, order (open or finished), listing, plus the id counters, each a JSON
text under a ``(kind, key)`` pair. A store keeps the latest document per key and an
append-only list of fills. ``save`` is one transaction: after a crash the account is
exactly as of the last successful save, never half of one. The port speaks only strings
and integers, so adapters implement it without importing the runtime.

Calls are synchronous; the paper broker runs them in a worker thread unless the store has
a ``blocking = False`` attribute (a store that does no I/O).

Implementations: ``InMemoryAccountStore`` (``memory_store``) and
``jts.adapters.sql.paper_accounts.SqlAccountStore`` (SQLite or PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

DocumentKey = tuple[str, str]
"""``(kind, key)``: ``("cash", "KRW")``, ``("order", "JTS-1a2b")``, ``("counters", "")``."""

StoredFill = tuple[int, int, str]
"""``(sequence, ts_event, payload)``: the exchange's trade number, when it happened, JSON."""


class AccountStore(Protocol):
    """Persists paper accounts: latest documents by key plus an append-only fill log."""

    def load(self, account_id: str) -> dict[DocumentKey, str]:
        """Every document of the account; empty if it was never saved."""
        ...

    def save(
        self, account_id: str, documents: Mapping[DocumentKey, str], fills: Sequence[StoredFill]
    ) -> None:
        """Replace ``documents`` and append ``fills`` atomically (all or nothing).

        A fill whose sequence is already stored is ignored (a retried save after a failure
        that did commit).
        """
        ...

    def fills_since(self, account_id: str, ts_ns: int) -> list[str]:
        """Payloads of the fills with ``ts_event >= ts_ns``, in sequence order."""
        ...
