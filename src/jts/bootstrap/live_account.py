"""The account side of ``jts up --paper`` from ``Settings``: starting cash, risk limits,
the drawdown kill switch, the bus queue and the performance conventions."""

from __future__ import annotations

from decimal import Decimal

from jts.bootstrap.settings import Settings, SimulatedBrokerConfig
from jts.contexts.portfolio.domain.analytics import KRX_DAILY, UPBIT_DAILY, MetricConventions
from jts.contexts.risk.domain.drawdown import DrawdownLimits
from jts.contexts.risk.domain.limits import RiskLimits
from jts.shared_kernel.venues.instruments import Instrument
from jts.shared_kernel.venues.krx_calendar import KRX_CALENDAR_ID

BROKER = "paper"
EXTRA_CASH = {"USDT": Decimal(100_000)}


def currencies(instruments: list[Instrument]) -> set[str]:
    return {instrument.quote_currency for instrument in instruments}


def starting_cash(settings: Settings, instruments: list[Instrument]) -> dict[str, Decimal]:
    config = settings.brokers.get(BROKER)
    cash = dict(config.starting_cash) if isinstance(config, SimulatedBrokerConfig) else {}
    if not cash:
        cash = {"KRW": Decimal(100_000_000)}
    for currency in currencies(instruments) - set(cash):
        cash[currency] = EXTRA_CASH.get(currency, Decimal(0))
    return cash


def risk_limits(settings: Settings) -> RiskLimits:
    """The gate's limits from ``risk`` (percentages become fractions of equity)."""
    risk = settings.risk
    return RiskLimits(
        max_order_notional=risk.max_order_notional_krw,
        max_open_orders=risk.max_open_orders,
        max_open_orders_total=risk.max_open_orders_total,
        fat_finger_band=_fraction(risk.fat_finger_pct),
        trading_hours=risk.trading_hours,
        max_position_notional=risk.max_position_krw,
        max_position_weight=_fraction(risk.max_position_pct),
        max_strategy_exposure_weight=_fraction(risk.max_strategy_exposure_pct),
        max_gross_exposure_weight=_fraction(risk.max_gross_exposure_pct),
        strategy_budget_weight=_fraction(risk.strategy_budget_pct),
        strategy_budgets=dict(risk.strategy_budgets),
        max_daily_loss=risk.daily_loss_limit_pct / 100,
        var_budget_weight=_fraction(risk.var_budget_pct),
        var_confidence=risk.var_confidence,
    )


def _fraction(percent: Decimal | None) -> Decimal | None:
    return None if percent is None else percent / 100


def drawdown_limits(settings: Settings) -> DrawdownLimits:
    """The kill switch trips at ``max_drawdown_pct`` (warning at half of it). The daily loss
    limit is the gate's: entries stop for the day, exits go on; it does not latch."""
    limit = settings.risk.max_drawdown_pct / 100
    return DrawdownLimits(max_drawdown=limit, warning_drawdown=limit / 2)


def queue_size(settings: Settings) -> int:
    queue_size = getattr(settings.bus, "queue_size", None)
    return queue_size if isinstance(queue_size, int) else 10_000


def conventions(instruments: list[Instrument]) -> MetricConventions:
    """KRX's 252 days when the account trades on the KRX, else crypto's 365 (KST days)."""
    krx = any(i.calendar_id == KRX_CALENDAR_ID for i in instruments)
    return KRX_DAILY if krx else UPBIT_DAILY
