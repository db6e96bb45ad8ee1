"""The standard normal distribution without scipy: CDF through ``math.erfc``, inverse by AS241.

Shared by the portfolio analytics (deflated Sharpe) and risk (parametric VaR).

``normal_cdf`` uses ``erfc`` on the far side so the lower tail keeps its relative precision
(``0.5 * (1 + erf(x))`` cancels to zero below about -8). ``normal_ppf`` is Wichura's
algorithm AS241 (PPND16, Applied Statistics 37, 1988), accurate to about 1e-16 relative,
with the published coefficients.
"""

from __future__ import annotations

import math

_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)

# AS241 PPND16 coefficients, highest power first (Horner order).
_CENTRAL_NUMERATOR = (
    2.5090809287301226727e3, 3.3430575583588128105e4, 6.7265770927008700853e4,
    4.5921953931549871457e4, 1.3731693765509461125e4, 1.9715909503065514427e3,
    1.3314166789178437745e2, 3.3871328727963666080e0,
)  # fmt: skip
_CENTRAL_DENOMINATOR = (
    5.2264952788528545610e3, 2.8729085735721942674e4, 3.9307895800092710610e4,
    2.1213794301586595867e4, 5.3941960214247511077e3, 6.8718700749205790830e2,
    4.2313330701600911252e1, 1.0,
)  # fmt: skip
_INTERMEDIATE_NUMERATOR = (
    7.74545014278341407640e-4, 2.27238449892691845833e-2, 2.41780725177450611770e-1,
    1.27045825245236838258e0, 3.64784832476320460504e0, 5.76949722146069140550e0,
    4.63033784615654529590e0, 1.42343711074968357734e0,
)  # fmt: skip
_INTERMEDIATE_DENOMINATOR = (
    1.05075007164441684324e-9, 5.47593808499534494600e-4, 1.51986665636164571966e-2,
    1.48103976427480074590e-1, 6.89767334985100004550e-1, 1.67638483018380384940e0,
    2.05319162663775882187e0, 1.0,
)  # fmt: skip
_TAIL_NUMERATOR = (
    2.01033439929228813265e-7, 2.71155556874348757815e-5, 1.24266094738807843860e-3,
    2.65321895265761230930e-2, 2.96560571828504891230e-1, 1.78482653991729133580e0,
    5.46378491116411436990e0, 6.65790464350110377720e0,
)  # fmt: skip
_TAIL_DENOMINATOR = (
    2.04426310338993978564e-15, 1.42151175831644588870e-7, 1.84631831751005468180e-5,
    7.86869131145613259100e-4, 1.48753612908506148525e-2, 1.36929880922735805310e-1,
    5.99832206555887937690e-1, 1.0,
)  # fmt: skip


def normal_pdf(x: float) -> float:
    """The standard normal density phi(x)."""
    return _INV_SQRT_2PI * math.exp(-0.5 * x * x)


def normal_cdf(x: float) -> float:
    """P(Z <= x) for a standard normal Z."""
    if math.isnan(x):
        return math.nan
    return 0.5 * math.erfc(-x * _SQRT_HALF)


def normal_ppf(p: float) -> float:
    """The x with P(Z <= x) = p; -inf at 0, +inf at 1, ``ValueError`` outside [0, 1]."""
    if math.isnan(p):
        return math.nan
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"a probability must lie in [0, 1], got {p}")
    if p == 0.0:
        return -math.inf
    if p == 1.0:
        return math.inf
    q = p - 0.5
    if abs(q) <= 0.425:
        r = 0.180625 - q * q
        return q * _horner(_CENTRAL_NUMERATOR, r) / _horner(_CENTRAL_DENOMINATOR, r)
    r = math.sqrt(-math.log(p if q < 0.0 else 1.0 - p))
    if r <= 5.0:
        r -= 1.6
        value = _horner(_INTERMEDIATE_NUMERATOR, r) / _horner(_INTERMEDIATE_DENOMINATOR, r)
    else:
        r -= 5.0
        value = _horner(_TAIL_NUMERATOR, r) / _horner(_TAIL_DENOMINATOR, r)
    return -value if q < 0.0 else value


def _horner(coefficients: tuple[float, ...], x: float) -> float:
    total = 0.0
    for coefficient in coefficients:
        total = total * x + coefficient
    return total
