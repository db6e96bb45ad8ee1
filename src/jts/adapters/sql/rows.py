"""Row <-> record mapping shared by every SQL repository, and dialect-aware upserts.

Records are msgspec Structs whose field names are the column names. Going in, an
``InstrumentId`` becomes its ``SYMBOL.VENUE`` text and an enumeration its value; coming
back, ``msgspec.convert`` rebuilds and validates the record, so a corrupt row fails loudly
with the table and field it came from instead of turning into a wrong order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, TypeVar

import msgspec
from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

from jts.shared_kernel.errors import DataError
from jts.shared_kernel.identifiers import InstrumentId

RecordT = TypeVar("RecordT", bound=msgspec.Struct)


def to_row(record: msgspec.Struct) -> dict[str, Any]:
    """The record's fields as column values."""
    row = msgspec.structs.asdict(record)
    for key, value in row.items():
        if isinstance(value, InstrumentId):
            row[key] = str(value)
        elif isinstance(value, Enum):
            row[key] = value.value
    return row


def from_row(row: Mapping[Any, Any], record_type: type[RecordT], table: Table) -> RecordT:
    """Rebuild a record from a row (extra columns, such as surrogate keys, are ignored)."""
    data = {str(name): value for name, value in row.items()}  # keys may be quoted_name
    try:
        if isinstance(data.get("instrument_id"), str):
            data["instrument_id"] = InstrumentId.parse(data["instrument_id"])
        return msgspec.convert(data, record_type)
    except (msgspec.ValidationError, ValueError) as e:
        key = {name: data.get(name) for name in _primary_key(table)}
        raise DataError(
            f"stored row {key} in table {table.name} is not a valid {record_type.__name__}: "
            f"{e}; repair or delete the row"
        ) from e


def insert_ignoring_conflicts(connection: Connection, table: Table, row: Mapping[str, Any]) -> bool:
    """``INSERT ... ON CONFLICT DO NOTHING``; ``True`` if the row was inserted."""
    statement = _dialect_statement(connection, table, (), _ignoring_conflicts)
    return connection.execute(statement, dict(row)).rowcount == 1


def upsert(
    connection: Connection, table: Table, row: Mapping[str, Any], key: tuple[str, ...]
) -> None:
    """Insert the row, or replace every non-key column of the row stored under ``key``.

    ``row`` must carry every column of the table.
    """
    connection.execute(_dialect_statement(connection, table, key, _updating_on_conflict), row)


def _ignoring_conflicts(insert: Any, table: Table, key: tuple[str, ...]) -> Any:
    # SQLAlchemy only keeps an INSERT's rowcount when asked to.
    return insert.on_conflict_do_nothing().execution_options(preserve_rowcount=True)


def _updating_on_conflict(insert: Any, table: Table, key: tuple[str, ...]) -> Any:
    changes = {c.name: insert.excluded[c.name] for c in table.columns if c.name not in key}
    return insert.on_conflict_do_update(index_elements=list(key), set_=changes)


_StatementBuilder = Callable[[Any, Table, tuple[str, ...]], Any]
_STATEMENTS: dict[tuple[str, str, tuple[str, ...], _StatementBuilder], Any] = {}


def _dialect_statement(
    connection: Connection, table: Table, key: tuple[str, ...], build: _StatementBuilder
) -> Any:
    # Built once per dialect and table and executed with parameters, so SQLAlchemy reuses
    # the compiled form; both dialects spell upserts alike but have their own Insert.
    dialect = connection.dialect.name
    cache_key = (dialect, table.name, key, build)
    statement = _STATEMENTS.get(cache_key)
    if statement is None:
        insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
        statement = _STATEMENTS[cache_key] = build(insert, table, key)
    return statement


def _primary_key(table: Table) -> list[str]:
    return [column.name for column in table.primary_key.columns]
