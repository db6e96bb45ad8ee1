"""The live risk settings become the gate's limits: percentages as fractions of equity,
per-strategy budgets from YAML or the environment, optional limits turned off by null."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from jts.bootstrap.live_account import drawdown_limits as _drawdown_limits
from jts.bootstrap.live_account import risk_limits as _risk_limits
from jts.bootstrap.settings import RiskConfig, load_settings


def test_the_defaults_turn_the_live_limits_on() -> None:
    limits = _risk_limits(load_settings())

    assert limits.max_position_weight == Decimal("0.5")
    assert limits.max_gross_exposure_weight == Decimal(1)
    assert limits.fat_finger_band == Decimal("0.1")
    assert limits.trading_hours is True
    assert limits.max_daily_loss == Decimal("0.03")
    assert limits.var_budget_weight == Decimal("0.1")
    assert limits.max_open_orders_total == 200
    assert _drawdown_limits(load_settings()).max_daily_loss is None  # the gate's, not a kill


def test_budgets_per_strategy_and_limits_turned_off(tmp_path: Path) -> None:
    path = tmp_path / "jts.yaml"
    path.write_text(
        "risk:\n"
        "  strategy_budgets: {golden_cross: 30000000}\n"
        "  strategy_budget_pct: 25\n"
        "  var_budget_pct: null\n"
        "  fat_finger_pct: 5\n",
        "utf-8",
    )

    limits = _risk_limits(load_settings(path))

    assert limits.strategy_budget("golden_cross", Decimal(100_000_000)) == Decimal(30_000_000)
    assert limits.strategy_budget("other", Decimal(100_000_000)) == Decimal(25_000_000)
    assert limits.var_budget_weight is None
    assert limits.fat_finger_band == Decimal("0.05")


def test_budgets_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JTS_RISK__STRATEGY_BUDGETS", '{"rsi": 1000000}')
    assert load_settings().risk.strategy_budgets == {"rsi": Decimal(1_000_000)}


def test_nonsense_is_refused() -> None:
    with pytest.raises(ValidationError, match="strategy_budgets"):
        RiskConfig(strategy_budgets={"s": Decimal(-1)})
    with pytest.raises(ValidationError, match="fat_finger_pct"):
        RiskConfig(fat_finger_pct=Decimal(100))
    with pytest.raises(ValidationError, match="var_min_days"):
        RiskConfig(var_min_days=1)
