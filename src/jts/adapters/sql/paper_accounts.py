"""``SqlAccountStore``: paper accounts of the simulated exchange in the transactional store.

Two tables, registered on the one ``MetaData`` of ``tables`` (which imports this module, so
the schema comparison and Alembic always see them) and created by migration ``0002``:

- ``paper_account_documents``: the latest JSON document per ``(account_id, doc_kind,
  doc_key)``: cash per currency, holdings, orders, listings, id counters
  (``jts.runtime.backtest.exchange.state`` writes and reads them);
- ``paper_account_fills``: the append-only fill log, one JSON ``OrderFilled`` per
  ``(account_id, seq)``, indexed by ``ts_event`` for ``fills_since``.

``save`` is one transaction (SQLite ``BEGIN IMMEDIATE`` or PostgreSQL READ COMMITTED with
the account's rows written by one process), so a crash leaves the account as of the last
completed save. Database failures leave as ``StoreError``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import BigInteger, Column, Engine, Index, String, Table, Text, select
from sqlalchemy.exc import SQLAlchemyError

from jts.adapters.sql.errors import StoreError, describe
from jts.adapters.sql.rows import insert_ignoring_conflicts, upsert
from jts.adapters.sql.tables import metadata

DocumentKey = tuple[str, str]
StoredFill = tuple[int, int, str]

paper_account_documents = Table(
    "paper_account_documents",
    metadata,
    Column("account_id", String(64), primary_key=True),
    Column("doc_kind", String(16), primary_key=True),
    Column("doc_key", String(128), primary_key=True),
    Column("payload", Text, nullable=False),
)

paper_account_fills = Table(
    "paper_account_fills",
    metadata,
    Column("account_id", String(64), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("ts_event", BigInteger, nullable=False),
    Column("payload", Text, nullable=False),
    Index(None, "account_id", "ts_event"),
)

_DOCUMENT_KEY = ("account_id", "doc_kind", "doc_key")


class SqlAccountStore:
    """``AccountStore`` (``jts.runtime.backtest.exchange.ports``) over SQLite or PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def load(self, account_id: str) -> dict[DocumentKey, str]:
        table = paper_account_documents
        query = select(table.c.doc_kind, table.c.doc_key, table.c.payload).where(
            table.c.account_id == account_id
        )
        try:
            with self._engine.connect() as connection:
                rows = connection.execute(query).all()
        except SQLAlchemyError as e:
            raise StoreError(f"loading paper account {account_id} failed: {describe(e)}") from e
        return {(kind, key): payload for kind, key, payload in rows}

    def save(
        self, account_id: str, documents: Mapping[DocumentKey, str], fills: Sequence[StoredFill]
    ) -> None:
        try:
            with self._engine.begin() as connection:
                for (kind, key), payload in documents.items():
                    row = {"account_id": account_id, "doc_kind": kind, "doc_key": key}
                    row["payload"] = payload
                    upsert(connection, paper_account_documents, row, _DOCUMENT_KEY)
                for sequence, ts_event, payload in fills:
                    insert_ignoring_conflicts(
                        connection,
                        paper_account_fills,
                        {
                            "account_id": account_id,
                            "seq": sequence,
                            "ts_event": ts_event,
                            "payload": payload,
                        },
                    )
        except SQLAlchemyError as e:
            raise StoreError(
                f"saving paper account {account_id} failed and was rolled back: {describe(e)}"
            ) from e

    def fills_since(self, account_id: str, ts_ns: int) -> list[str]:
        table = paper_account_fills
        query = (
            select(table.c.payload)
            .where(table.c.account_id == account_id, table.c.ts_event >= ts_ns)
            .order_by(table.c.seq)
        )
        try:
            with self._engine.connect() as connection:
                return list(connection.execute(query).scalars())
        except SQLAlchemyError as e:
            raise StoreError(f"reading paper fills of {account_id} failed: {describe(e)}") from e
