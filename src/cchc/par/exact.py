"""Whole columns at once, with the exact results of the per-value rules.

The engine's arithmetic is defined one value at a time: ``math.fsum`` (the correctly
rounded sum) for every roll-up and ``round2`` (half-up at 2 decimals) wherever a figure is
compared or shown. A country's 3 321 communes × 100+ criteria are ~400 000 such values, too
many for Python one at a time; these functions give the same floats, bit for bit, for a
whole array:

- ``fsum_rows``: the correctly rounded sum of each row, computed exactly in integers (two
  50-bit limbs of a common binary fixed point) and rounded once by one IEEE addition —
  which is what ``fsum`` returns. Values whose binary exponents span too widely for two
  limbs give None, and the caller uses ``fsum`` itself;
- ``round2_array``: ``round2`` on every value; near a decimal tie (where ``round2`` takes the
  Decimal path) it calls ``round2`` itself, elsewhere ``rint(v·100)/100`` is the same double
  (property-tested in tests/par/test_par_exact.py).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from cchc.par.rounding import round2

__all__ = ["competition_rank_array", "fsum_rows", "round2_array"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

_LIMB = 50  # bits per limb: a row of up to 2**12 limbs sums without overflowing int64
_MAX_TERMS = 1 << 12
_MANTISSA = 53


def fsum_rows(values: Floats) -> Floats | None:
    """``math.fsum`` of each row of a 2-D array of finite, non-negative floats.

    None when the array is outside what the two-limb sum covers (a negative, infinite or
    NaN value, more than 4 096 terms a row, or exponents more than ~90 bits apart).
    """
    rows, terms = values.shape
    if terms == 0:
        return np.zeros(rows)
    if terms > _MAX_TERMS or not np.all(np.isfinite(values)) or np.any(values < 0):
        return None
    positive = values[values > 0]
    if positive.size == 0:
        return np.zeros(rows)
    _, exponents = np.frexp(positive)  # v = m·2**e, 0.5 <= m < 1
    low = int(exponents.min()) - _MANTISSA  # every value is a multiple of 2**low
    high = int(exponents.max())  # every value is below 2**high
    # The top limb must stay below 2**53 (exactly a double) after summing every term.
    if high - low + int(terms).bit_length() > _LIMB + _MANTISSA:
        return None
    scaled = np.ldexp(values, -low)  # exact integers, as floats (a power-of-two scale)
    upper = np.floor(np.ldexp(scaled, -_LIMB))
    lower = scaled - np.ldexp(upper, _LIMB)  # exact: an integer below 2**50
    hi = upper.astype(np.int64).sum(axis=1)
    lo = lower.astype(np.int64).sum(axis=1)
    hi += lo >> _LIMB
    lo &= (1 << _LIMB) - 1
    # Both parts are exact doubles; one IEEE addition rounds their sum once, to nearest
    # even, as fsum does. The scaling by powers of two is exact (no overflow at these sizes).
    return np.ldexp(hi.astype(np.float64), low + _LIMB) + np.ldexp(lo.astype(np.float64), low)


def round2_array(values: Floats) -> Floats:
    """``round2`` of every value (NaN stays NaN)."""
    scaled = values * 100
    with np.errstate(invalid="ignore"):
        near_tie = np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) < 1e-6
        # Past 2**33 a float's spacing nears the 1e-6 margin: let round2 decide there too.
        near_tie |= np.abs(scaled) >= 2.0**33
    near_tie &= np.isfinite(scaled)
    out = np.rint(scaled) / 100
    for at in np.flatnonzero(near_tie):
        out.flat[at] = round2(float(values.flat[at]))
    return out


def competition_rank_array(keys: Floats) -> Ints:
    """``ranking.competition_rank`` of the keys (1-2-2-4, higher first, at 2 decimals)."""
    rounded = round2_array(keys)
    ascending = np.sort(rounded)
    return (rounded.size - np.searchsorted(ascending, rounded, side="right") + 1).astype(np.int64)
