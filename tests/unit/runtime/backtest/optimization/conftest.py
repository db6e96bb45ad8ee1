from __future__ import annotations

import pytest

from jts.contexts.portfolio.domain.analytics import MetricConventions
from jts.runtime.backtest.optimization import Scorer

DAILY_UTC = MetricConventions(periods_per_year=365.0, time_zone="UTC")


@pytest.fixture
def sharpe_scorer() -> Scorer:
    return Scorer("sharpe", DAILY_UTC)
