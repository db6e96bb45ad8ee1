"""``ExactDecimal``: a column type that gives back exactly the ``Decimal`` it was given.

PostgreSQL stores it as unconstrained ``NUMERIC``, which keeps every digit and the scale
(``1.50`` stays ``1.50``); SQLite has no decimal type (its ``NUMERIC`` affinity turns values
into 8-byte floats), so there it is text. Values are written in plain notation
(``format(value, "f")``), so ``Decimal("1E+2")`` comes back as ``Decimal("100")`` on both.
Floats are refused: they would already have lost digits before reaching the store.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from jts.shared_kernel.errors import DataError


class ExactDecimal(TypeDecorator[Decimal]):
    """Money, prices and quantities: any finite ``Decimal``, stored without rounding."""

    impl = Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Numeric(asdecimal=True))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise DataError(
                f"cannot store {value!r} ({type(value).__name__}) as an exact decimal; "
                "convert it with jts.shared_kernel.numbers.to_decimal first"
            )
        if not value.is_finite():
            raise DataError(f"cannot store {value}: amounts must be finite decimals")
        text = format(value, "f")
        return text if dialect.name != "postgresql" else Decimal(text)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return value if isinstance(value, Decimal) else Decimal(str(value))
