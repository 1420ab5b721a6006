"""One answer to "are these two results equal within float32 rounding?" (Qt-free).

The benchmark checks every backend against the reference with it, and the lanes and
the image mode say whether their two results agree with it.
"""

from __future__ import annotations

import numpy as np

#: the verdicts of :func:`compare`, in English (the GUI translates them)
IDENTICAL = "identical"
WITHIN_ROUNDING = "equal within float32 rounding"
DIFFERENT = "DIFFERENT"


def tolerance(x: np.ndarray, w: np.ndarray) -> float:
    """Largest |difference| from the reference accepted as float32 rounding.

    ``w`` is a (kh, kw) kernel applied to each channel, or the (C_out, C_in/groups,
    kh, kw) weights, where a cell sums C_in/groups · kh · kw products.

    A float32 sum of ``taps`` products is off by at most about
    taps · eps · Σ|terms| ≤ taps² · eps · max|x| · max|w|; summation trees and FFTs
    do far better, so taps (not taps²) with a factor 8 is generous yet still
    catches any real mistake (a wrong tap is off by about max|x| · max|w|).
    """
    taps = int(np.prod(w.shape[1:])) if w.ndim == 4 else w.shape[-1] * w.shape[-2]
    if x.size == 0 or w.size == 0:
        return 0.0
    scale = float(np.abs(x).max()) * float(np.abs(w).max())
    return 8 * float(np.finfo(np.float32).eps) * taps * max(scale, 1e-30)


def compare(a: np.ndarray, b: np.ndarray, tol: float) -> tuple[float, str]:
    """(max |Δ|, verdict) of two results of the same convolution; ``tol`` from
    :func:`tolerance`. The verdict is :data:`IDENTICAL`, :data:`WITHIN_ROUNDING`,
    :data:`DIFFERENT` or "different shapes …"."""
    if a.shape != b.shape:
        return float("nan"), f"different shapes {a.shape} and {b.shape}"
    diff = float(np.abs(a.astype(np.float64) - b.astype(np.float64)).max()) if a.size else 0.0
    if np.array_equal(a, b):
        return diff, IDENTICAL
    if diff <= tol:
        return diff, WITHIN_ROUNDING
    return diff, DIFFERENT
