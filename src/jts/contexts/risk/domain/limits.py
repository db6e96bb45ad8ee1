"""``RiskLimits``: the pre-trade limits, and ``Denial``, why an order is refused.

Every limit is optional (``None`` or ``False``: not enforced), so a backtest that names none
is unchanged; the live settings turn sensible ones on. Amounts are in the base currency;
*weights* are fractions of account equity (0.2 = 20%), measured when the order is checked.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from jts.shared_kernel.errors import DataError
from jts.shared_kernel.numbers import ONE, ZERO

_AMOUNTS = ("max_order_quantity", "max_order_notional", "max_position_notional")
_WEIGHTS = (
    "max_position_weight",
    "max_strategy_exposure_weight",
    "max_gross_exposure_weight",
    "strategy_budget_weight",
    "var_budget_weight",
)
_FRACTIONS = ("fat_finger_band", "max_daily_loss")


class RiskLimits(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Limits every new order is held to before it reaches a venue.

    Per order:

    - ``max_order_quantity``: units; ``max_order_notional``: price times quantity;
    - ``max_open_orders``: working orders per strategy, this one included;
      ``max_open_orders_total``: the same over the whole account;
    - ``require_cash``: a buy needs free quote currency for its notional and fee;
    - ``allow_short``: whether a sell may exceed what is held (spot accounts: no);
    - ``fat_finger_band``: the most a limit (or stop) price may lie from the last price, as
      a fraction of it;
    - ``trading_hours``: no order while the instrument's venue does not accept orders.

    Exposure, each measured with the order added (signed values at the latest prices):

    - ``max_position_notional`` / ``max_position_weight``: the account's position in the
      order's instrument (absolute value);
    - ``max_strategy_exposure_weight``: the strategy's gross exposure (sum of the absolute
      values of its positions);
    - ``max_gross_exposure_weight``: the account's gross exposure;
    - ``strategy_budgets`` (amount per strategy id) or else ``strategy_budget_weight``: the
      capital a strategy may commit, its positions plus its working buy orders.

    Account state:

    - ``max_daily_loss``: no new risk once the loss since the day's opening equity reaches
      this fraction of it;
    - ``var_budget_weight``: no order that takes the book's one-day VaR at
      ``var_confidence`` over this share of equity.

    Orders that only reduce a position (exits, stops, and any sell of what the account
    holds) are held to the open-order counts and ``allow_short`` only: a risk limit must
    never trap a position.
    """

    max_order_quantity: Decimal | None = None
    max_order_notional: Decimal | None = None
    max_open_orders: int | None = None
    max_open_orders_total: int | None = None
    require_cash: bool = True
    allow_short: bool = False
    fat_finger_band: Decimal | None = None
    trading_hours: bool = False
    max_position_notional: Decimal | None = None
    max_position_weight: Decimal | None = None
    max_strategy_exposure_weight: Decimal | None = None
    max_gross_exposure_weight: Decimal | None = None
    strategy_budget_weight: Decimal | None = None
    strategy_budgets: dict[str, Decimal] = msgspec.field(default_factory=dict)
    max_daily_loss: Decimal | None = None
    var_budget_weight: Decimal | None = None
    var_confidence: float = 0.99

    def __post_init__(self) -> None:
        for name in _AMOUNTS + _WEIGHTS:
            _positive(name, getattr(self, name))
        for name in _FRACTIONS:
            value = getattr(self, name)
            _positive(name, value)
            if value is not None and value >= ONE:
                raise DataError(f"risk limit {name} is {value}; use a fraction below 1")
        for strategy, budget in self.strategy_budgets.items():
            _positive(f"strategy_budgets[{strategy}]", budget)
        for name in ("max_open_orders", "max_open_orders_total"):
            count = getattr(self, name)
            if count is not None and count < 1:
                raise DataError(f"risk limit {name} is {count}; use 1 or more")
        if not 0.5 < self.var_confidence < 1.0:
            raise DataError(f"var_confidence is {self.var_confidence}; use e.g. 0.99")

    @property
    def watches_exposure(self) -> bool:
        """Whether any limit needs the positions' values."""
        return (
            self.max_position_notional is not None
            or self.max_position_weight is not None
            or self.max_strategy_exposure_weight is not None
            or self.max_gross_exposure_weight is not None
            or self.watches_budget
        )

    @property
    def watches_budget(self) -> bool:
        return self.strategy_budget_weight is not None or bool(self.strategy_budgets)

    @property
    def watches_account_state(self) -> bool:
        """Whether a limit needs the live risk state (the day's loss, the VaR model)."""
        return self.max_daily_loss is not None or self.var_budget_weight is not None

    def strategy_budget(self, strategy_id: str, equity: Decimal) -> Decimal | None:
        """The capital ``strategy_id`` may commit, in the base currency, or ``None``."""
        budget = self.strategy_budgets.get(strategy_id)
        if budget is not None:
            return budget
        weight = self.strategy_budget_weight
        return None if weight is None else weight * equity


def _positive(name: str, value: Decimal | None) -> None:
    if value is not None and (not value.is_finite() or value <= ZERO):
        raise DataError(f"risk limit {name} is {value}; it must be positive or None")


class Denial(msgspec.Struct, frozen=True, kw_only=True):
    """A refusal: the rule that refused, the figures it compared and a sentence saying so."""

    rule: str
    reason: str
    limit: Decimal | None = None
    value: Decimal | None = None
