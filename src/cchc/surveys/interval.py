"""Confidence intervals for survey figures (95 % by default, z = 1.96).

docs/field.md §4: a survey score must carry its sample size and a confidence interval. Shares use
Wilson's score interval, which stays inside [0, 1] and behaves with small samples and with
0 % or 100 % satisfied, where the textbook normal interval collapses to a point.
"""

from __future__ import annotations

import math

__all__ = ["Z95", "mean_interval", "wilson_interval"]

Z95 = 1.96


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval for ``successes`` out of ``n``; None when ``n`` is 0 (no data).

    low, high = (p + z²/2n ∓ z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n), with p = successes / n.
    """
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"need 0 ≤ successes ≤ n, got {successes} of {n}")
    if n == 0:
        return None
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    # At p = 0 or 1 the algebra gives exactly 0 or 1; pin them so float noise cannot leak.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def mean_interval(values: list[int] | list[float], z: float = Z95) -> tuple[float, float] | None:
    """Normal-approximation interval for a mean: mean ± z·s/√n; None below two values.

    Used for the officials' survey scores. With n < 2 the spread is unknown, so no interval.
    """
    n = len(values)
    if n < 2:
        return None
    mean = sum(values) / n
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    half = z * math.sqrt(variance / n)
    return mean - half, mean + half
