"""Risk events: alerts, metrics and limit breaches."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from jts.messages.base import Event, tag_for
from jts.messages.enums import Severity
from jts.shared_kernel.identifiers import InstrumentId, StrategyId


class RiskEvent(Event, frozen=True, kw_only=True, tag=tag_for("risk")):
    pass


class RiskAlertRaised(RiskEvent, frozen=True, kw_only=True):
    """Something a person should look at; ``figures`` holds the numbers behind it."""

    severity: Severity
    rule: str
    message: str
    strategy_id: StrategyId | None = None
    instrument_id: InstrumentId | None = None
    figures: dict[str, Decimal] = msgspec.field(default_factory=dict)


class RiskMetricsUpdated(RiskEvent, frozen=True, kw_only=True):
    """Portfolio risk figures (VaR, CVaR, drawdown, exposure...) in the base currency."""

    base_currency: str = "KRW"
    metrics: dict[str, Decimal]


class RiskLimitBreached(RiskEvent, frozen=True, kw_only=True):
    """A limit was crossed: which one, its value, the measured value and what was done."""

    rule: str
    limit: Decimal
    value: Decimal
    scope: str
    action: str
    strategy_id: StrategyId | None = None
    instrument_id: InstrumentId | None = None
