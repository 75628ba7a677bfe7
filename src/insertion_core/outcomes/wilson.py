"""The Wilson score interval and the rate value every indicator publishes."""

from __future__ import annotations

import math

__all__ = ["Z95", "wilson"]

#: The 97.5th percentile of the standard normal distribution (docs/indicators.md, Common rules).
Z95 = 1.959963984540054


def wilson(numerator: int, denominator: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of ``numerator / denominator``, clamped to [0, 1], unrounded.

    No continuity correction; ``(0.0, 1.0)`` when the denominator is 0. The
    bound at 0 (or 1) is exact when the numerator is 0 (or the denominator),
    where floating point would leave a residue of about 1e-17.
    """
    if denominator < 0 or not 0 <= numerator <= denominator:
        raise ValueError(f"not a proportion: {numerator}/{denominator}")
    if denominator == 0:
        return (0.0, 1.0)
    n = denominator
    p = numerator / n
    z2 = z * z
    scale = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / scale
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / scale
    low = 0.0 if numerator == 0 else max(0.0, centre - half)
    high = 1.0 if numerator == n else min(1.0, centre + half)
    return (low, high)
