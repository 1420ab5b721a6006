"""Shared test helpers: tolerances for float32 results against float64 oracles."""

import numpy as np


def assert_close(got, want, x, w, rel=2e-6):
    """float32 sums may differ from a float64 oracle by rounding that grows with the
    number and size of the terms: scale the tolerance by sum |w| · max |x|."""
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    assert got.shape == want.shape, (got.shape, want.shape)
    scale = float(np.abs(np.asarray(w)).sum()) * max(1.0, float(np.abs(np.asarray(x)).max()))
    np.testing.assert_allclose(got, want, rtol=0, atol=rel * scale * 8 + 1e-6)


#: numpy.pad's name for each padding mode (kept here, apart from convviz, as an oracle)
_NUMPY_PAD = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def window_sums(prep):
    """(exact, magnitude) per output, in float64 with plain numpy: the convolution itself,
    and the sum of |w·x| over that output's window plus |b| (what its rounding scales with)."""
    s = prep.spec
    pt, pb, pl, pr = s.padding
    xp = np.pad(
        np.asarray(prep.x, np.float64),
        ((0, 0), (pt, pb), (pl, pr)),
        mode=_NUMPY_PAD[s.padding_mode],
    )
    (sy, sx), (dy, dx) = s.stride, s.dilation
    cin_g, cout_g = s.c_in // s.groups, s.c_out // s.groups
    exact = np.zeros(s.out_shape)
    size = np.zeros(s.out_shape)
    w = np.asarray(prep.w, np.float64)
    for co in range(s.c_out):
        c0 = (co // cout_g) * cin_g
        for ci in range(cin_g):
            for ky in range(s.kh):
                for kx in range(s.kw):
                    win = xp[
                        c0 + ci,
                        ky * dy : ky * dy + sy * (s.out_h - 1) + 1 : sy,
                        kx * dx : kx * dx + sx * (s.out_w - 1) + 1 : sx,
                    ]
                    exact[co] += w[co, ci, ky, kx] * win
                    size[co] += np.abs(w[co, ci, ky, kx] * win)
        exact[co] += float(prep.b[co])
        size[co] += abs(float(prep.b[co]))
    return exact, size


def per_output_tolerance(prep, factor=3.0):
    """The |error| each output may carry: factor · √taps · float32 eps · Σ|w·x| over its
    window (+|b|). A float32 sum of n terms, in any order or with fused multiply-adds,
    is off by about √n · eps · Σ|terms| at most in practice (n · eps/2 in the worst
    case); a dropped or doubled tap is off by a whole |w·x|, far outside."""
    taps = prep.w.shape[1] * prep.w.shape[2] * prep.w.shape[3]
    eps = float(np.finfo(np.float32).eps)
    return factor * np.sqrt(taps) * eps * window_sums(prep)[1]


def assert_close_per_output(got, prep, factor=3.0):
    """``got`` (C_out, H_out, W_out) equals the float64 convolution of ``prep`` within
    :func:`per_output_tolerance` at every output; the message names the worst one."""
    got = np.asarray(got, np.float64)
    exact, _ = window_sums(prep)
    assert got.shape == exact.shape, (got.shape, exact.shape)
    tol = per_output_tolerance(prep, factor)
    excess = np.abs(got - exact) - tol
    if (excess > 0).any():
        at = np.unravel_index(int(np.argmax(excess)), excess.shape)
        raise AssertionError(
            f"{int((excess > 0).sum())} of {excess.size} outputs outside their tolerance; "
            f"worst at {tuple(int(i) for i in at)}: got {got[at]!r}, want {exact[at]!r}, "
            f"tolerance {tol[at]:.3g}"
        )
