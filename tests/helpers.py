"""Shared test helpers: tolerances for float32 results against float64 oracles."""

import numpy as np


def assert_close(got, want, x, w, rel=2e-6):
    """float32 sums may differ from a float64 oracle by rounding that grows with the
    number and size of the terms: scale the tolerance by sum |w| · max |x|."""
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    assert got.shape == want.shape, (got.shape, want.shape)
    scale = float(np.abs(np.asarray(w)).sum()) * max(1.0, float(np.abs(np.asarray(x)).max()))
    np.testing.assert_allclose(got, want, rtol=0, atol=rel * scale * 8 + 1e-6)
