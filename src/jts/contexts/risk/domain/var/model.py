"""``VarModel``: what one refresh of the risk model fixes, so each VaR query is cheap.

A refresh (on a new bar) fits the model to the latest returns window: the historical
scenarios, their sample moments and, when a seeded ``numpy.random.Generator`` is given, the
Monte Carlo draws. Every query afterwards (the book's VaR, or the book's VaR with a candidate
order added) costs one matrix-vector product and one quantile, or O(N^2) for parametric.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import msgspec
import numpy as np
import numpy.typing as npt

from jts.contexts.risk.domain.var.estimate import (
    FloatArray,
    VarEstimate,
    VarMethod,
    as_positions,
    as_returns,
)
from jts.contexts.risk.domain.var.historical import scenario_var
from jts.contexts.risk.domain.var.montecarlo import simulate_returns
from jts.contexts.risk.domain.var.parametric import ReturnMoments, parametric_var, sample_moments
from jts.shared_kernel.errors import DataError, DomainError
from jts.shared_kernel.identifiers import InstrumentId


class MissingRiskData(DomainError):
    """VaR was asked for an instrument or method the fitted model has no data for."""


class IncrementalVar(msgspec.Struct, frozen=True, kw_only=True):
    """The book's VaR without and with a candidate order; ``change = after.var - before.var``."""

    before: VarEstimate
    after: VarEstimate

    @property
    def change(self) -> float:
        return self.after.var - self.before.var


class VarModel:
    """Returns window, sample moments and optional Monte Carlo draws for fixed instruments."""

    __slots__ = ("_index", "instruments", "moments", "returns", "simulated")

    def __init__(
        self,
        instruments: Sequence[InstrumentId],
        returns: npt.ArrayLike,
        *,
        simulated: FloatArray | None = None,
    ) -> None:
        self.instruments = tuple(instruments)
        self.returns = as_returns(returns, minimum_rows=2)
        if self.returns.shape[1] != len(self.instruments):
            raise DataError(
                f"returns has {self.returns.shape[1]} columns for {len(self.instruments)} "
                "instruments; give one column per instrument, in order"
            )
        self._index = {instrument: i for i, instrument in enumerate(self.instruments)}
        if len(self._index) != len(self.instruments):
            raise DataError("VaR model instruments must be distinct")
        self.moments: ReturnMoments = sample_moments(self.returns)
        self.simulated = simulated

    @classmethod
    def fit(
        cls,
        instruments: Sequence[InstrumentId],
        returns: npt.ArrayLike,
        *,
        rng: np.random.Generator | None = None,
        paths: int = 10_000,
        student_t_dof: float | None = None,
    ) -> VarModel:
        """Fit to ``returns`` (T x N daily simple returns); draw Monte Carlo paths if ``rng``."""
        model = cls(instruments, returns)
        if rng is not None:
            model.simulated = simulate_returns(
                model.moments, rng, paths=paths, student_t_dof=student_t_dof
            )
        return model

    def positions_vector(self, exposures: Mapping[InstrumentId, Decimal | float]) -> FloatArray:
        """Signed position values (base currency) in the model's instrument order."""
        vector = np.zeros(len(self.instruments))
        for instrument, value in exposures.items():
            vector[self.index_of(instrument)] += float(value)
        return vector

    def delta_vector(self, instrument: InstrumentId, value: Decimal | float) -> FloatArray:
        """An order adding ``value`` (signed, base currency) to ``instrument``, as a vector."""
        vector = np.zeros(len(self.instruments))
        vector[self.index_of(instrument)] = float(value)
        return vector

    def index_of(self, instrument: InstrumentId) -> int:
        """The column of ``instrument``, or ``MissingRiskData`` if it has no return history."""
        try:
            return self._index[instrument]
        except KeyError:
            raise MissingRiskData(
                f"no return history for {instrument} in the VaR model; wait for its bars or "
                "add it to the risk universe"
            ) from None

    def estimate(
        self,
        positions: npt.ArrayLike,
        *,
        method: VarMethod,
        confidence: float,
        horizon_days: float = 1.0,
    ) -> VarEstimate:
        """VaR and CVaR of ``positions`` (one value per instrument) by ``method``."""
        if method is VarMethod.PARAMETRIC:
            return parametric_var(
                positions, self.moments, confidence=confidence, horizon_days=horizon_days
            )
        scenarios = self.returns if method is VarMethod.HISTORICAL else self.simulated
        if scenarios is None:
            raise MissingRiskData(
                "the VaR model was fitted without Monte Carlo paths; fit it with a seeded rng"
            )
        weights = as_positions(positions, len(self.instruments))
        return scenario_var(weights, scenarios, method, confidence, horizon_days)

    def incremental(
        self,
        positions: npt.ArrayLike,
        order_delta: npt.ArrayLike,
        *,
        method: VarMethod,
        confidence: float,
        horizon_days: float = 1.0,
    ) -> IncrementalVar:
        """VaR of the book before and after adding ``order_delta`` (signed values per column)."""
        weights = as_positions(positions, len(self.instruments))
        delta = as_positions(order_delta, len(self.instruments))
        before = self.estimate(
            weights, method=method, confidence=confidence, horizon_days=horizon_days
        )
        after = self.estimate(
            weights + delta, method=method, confidence=confidence, horizon_days=horizon_days
        )
        return IncrementalVar(before=before, after=after)
