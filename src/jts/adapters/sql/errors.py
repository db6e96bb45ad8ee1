"""``StoreError``: how database failures leave the store, with no vendor types and no secrets."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from jts.shared_kernel.errors import JtsError


class StoreError(JtsError):
    """The database failed to do what was asked (unreachable, lock timeout, broken
    constraint); the transaction was rolled back. Retrying the whole unit of work is safe."""


def describe(error: SQLAlchemyError) -> str:
    """The driver's first line of explanation, without the statement or its parameters."""
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {lines[0] if lines else 'no details'}"
