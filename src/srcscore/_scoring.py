"""The scoring model as pure functions: no I/O, no state.

A claim is trusted as far as its independent witnesses vouch for it. Witness
``i`` vouches with probability ``v_i = r_i * s_i``, its reliability ``r_i ~
Beta(prior)`` times the probability ``s_i`` that the cited text supports the
claim. Witnesses are ordered by expected ``v`` and the ``k``-th (from 0) is
discounted by ``d**k`` because sources on one story are seldom fully
independent. The claim's score is the noisy-OR

    T = 1 - prod_k (1 - d**k * v_k)

whose mean and variance follow exactly from the Beta moments under
independence; the interval is that of the Beta with the same two moments.
See docs/methodology.md for the derivation and its assumptions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final, NamedTuple

__all__ = [
    "Moments",
    "beta_interval",
    "beta_moments",
    "combine_witnesses",
    "mean_interval",
]

DEFAULT_DISCOUNT: Final = 0.8
DEFAULT_LEVEL: Final = 0.9


class Moments(NamedTuple):
    """First and second raw moments ``E[x]`` and ``E[x**2]`` of a quantity in [0, 1]."""

    mean: float
    second: float

    @property
    def variance(self) -> float:
        """``E[x**2] - E[x]**2``, clipped at zero against rounding."""
        return max(0.0, self.second - self.mean * self.mean)


def beta_moments(mean: float, strength: float) -> Moments:
    """Moments of ``Beta(mean * strength, (1 - mean) * strength)``.

    ``strength = inf`` is a point mass at ``mean``.
    """
    if math.isinf(strength):
        return Moments(mean, mean * mean)
    var = mean * (1.0 - mean) / (strength + 1.0)
    return Moments(mean, var + mean * mean)


def product_moments(a: Moments, b: Moments) -> Moments:
    """Moments of the product of two independent quantities."""
    return Moments(a.mean * b.mean, a.second * b.second)


def combine_witnesses(witnesses: Sequence[Moments], discount: float = DEFAULT_DISCOUNT) -> Moments:
    """Moments of the discounted noisy-OR of independent witnesses.

    ``witnesses`` holds the moments of each ``v_i``. They are sorted by mean
    (largest first) so the result does not depend on their order. Adding a
    witness never lowers the mean: each term of the sorted, discounted sequence
    is at least as large as before, and one factor is added.
    """
    if not 0.0 <= discount <= 1.0:
        raise ValueError(f"discount must be in [0, 1], got {discount}")
    ordered = sorted(witnesses, key=lambda m: (-m.mean, -m.second))
    miss_mean = 1.0  # E[prod (1 - w_k)]
    miss_second = 1.0  # E[prod (1 - w_k)**2]
    weight = 1.0
    for m in ordered:
        miss_mean *= 1.0 - weight * m.mean
        miss_second *= 1.0 - 2.0 * weight * m.mean + weight * weight * m.second
        weight *= discount
    return Moments(1.0 - miss_mean, 1.0 - 2.0 * miss_mean + miss_second)


def beta_interval(moments: Moments, level: float = DEFAULT_LEVEL) -> tuple[float, float]:
    """Central ``level`` interval of the Beta with the given mean and variance.

    A degenerate quantity (zero variance) gets the point interval. The variance
    is capped just below ``mean * (1 - mean)``, the largest a Beta can have.
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), got {level}")
    mean = min(1.0, max(0.0, moments.mean))
    var = moments.variance
    ceiling = mean * (1.0 - mean)
    if var <= 1e-12 or ceiling <= 1e-12:
        return (mean, mean)
    var = min(var, 0.999 * ceiling)
    total = ceiling / var - 1.0
    a, b = mean * total, (1.0 - mean) * total
    from scipy.special import betaincinv

    tail = (1.0 - level) / 2.0
    lo = float(betaincinv(a, b, tail))
    hi = float(betaincinv(a, b, 1.0 - tail))
    # betaincinv can lose the mean by rounding at extreme shapes; keep it inside.
    return (min(lo, mean), max(hi, mean))


def mean_interval(intervals: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Interval of a mean of claim scores whose dependence is unknown.

    Claims of one article share sources, so their scores move together; the
    mean of their quantiles is the interval under perfect positive dependence,
    the widest the mean can honestly have.
    """
    if not intervals:
        return (0.0, 0.0)
    n = len(intervals)
    return (sum(lo for lo, _ in intervals) / n, sum(hi for _, hi in intervals) / n)
