"""The per-output tolerance GPU results are held to (tests.helpers): loose enough for any
float32 summation order or fused multiply-add, tight enough that one dropped tap fails."""

import numpy as np
import pytest

from convviz.core.spec import prepare
from tests.helpers import assert_close_per_output, per_output_tolerance, window_sums

rng = np.random.default_rng(13)


def float32_conv(prep, drop=None, fma=False):
    """The convolution summed in float32, tap by tap (optionally skipping tap ``drop`` =
    (ci, ky, kx), or rounding each multiply-add once, as a GPU's FMA does)."""
    s = prep.spec
    pt, pb, pl, pr = s.padding
    mode = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}
    xp = np.pad(prep.x, ((0, 0), (pt, pb), (pl, pr)), mode=mode[s.padding_mode])
    (sy, sx), (dy, dx) = s.stride, s.dilation
    cin_g, cout_g = s.c_in // s.groups, s.c_out // s.groups
    out = np.zeros(s.out_shape, np.float32)
    for co in range(s.c_out):
        c0 = (co // cout_g) * cin_g
        acc = np.zeros(s.out_shape[1:], np.float32)
        for ci in range(cin_g):
            for ky in range(s.kh):
                for kx in range(s.kw):
                    if (ci, ky, kx) == drop:
                        continue
                    win = xp[
                        c0 + ci,
                        ky * dy : ky * dy + sy * (s.out_h - 1) + 1 : sy,
                        kx * dx : kx * dx + sx * (s.out_w - 1) + 1 : sx,
                    ]
                    wv = prep.w[co, ci, ky, kx]
                    if fma:
                        acc = (acc.astype(np.float64) + np.float64(wv) * win).astype(np.float32)
                    else:
                        acc = acc + np.float32(wv) * win
        out[co] = acc + prep.b[co]
    return out


CASES = [
    ((32, 32), (3, 3), dict(padding=1)),
    ((3, 20, 21), (4, 3, 5, 5), dict(padding="same", padding_mode="reflect")),
    ((16, 24, 24), (16, 16, 3, 3), dict(padding=1)),  # a layer: 144 taps per output
    ((4, 17, 19), (4, 2, 3, 3), dict(groups=2, stride=2, dilation=2, padding=2)),
]


def _prep(xs, ws, kw, positive):
    x = rng.random(xs) if positive else rng.standard_normal(xs)
    w = rng.standard_normal(ws) * 0.1
    b = rng.standard_normal(ws[0]) if len(ws) == 4 else None
    return prepare(x.astype(np.float32), w.astype(np.float32), b, **kw)


@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("xs,ws,kw", CASES)
def test_float32_sums_in_any_rounding_pass(xs, ws, kw, positive):
    prep = _prep(xs, ws, kw, positive)
    assert_close_per_output(float32_conv(prep), prep)
    assert_close_per_output(float32_conv(prep, fma=True), prep)


@pytest.mark.parametrize("xs,ws,kw", CASES)
def test_a_dropped_tap_fails(xs, ws, kw):
    prep = _prep(xs, ws, kw, positive=True)
    s = prep.spec
    drop = (s.c_in // s.groups - 1, s.kh // 2, s.kw - 1)
    with pytest.raises(AssertionError, match="outside their tolerance"):
        assert_close_per_output(float32_conv(prep, drop=drop), prep)


def test_tolerance_is_per_output():
    # one bright pixel: only the outputs whose window holds it may carry its rounding
    x = np.zeros((9, 9), np.float32)
    x[4, 4] = 1000.0
    prep = prepare(x, np.ones((3, 3), np.float32), padding=1)
    tol = per_output_tolerance(prep)[0]
    assert (tol[3:6, 3:6] > 0).all()
    tol[3:6, 3:6] = 0
    assert not tol.any()


def test_window_sums_agree_with_scipy():
    ndimage = pytest.importorskip("scipy.ndimage", reason="scipy is not installed")
    x = rng.standard_normal((15, 13)).astype(np.float32)
    w = rng.standard_normal((3, 5)).astype(np.float32)
    exact, size = window_sums(prepare(x, w, padding=(1, 1, 2, 2)))
    want = ndimage.correlate(x.astype(np.float64), w.astype(np.float64), mode="constant")
    np.testing.assert_allclose(exact[0], want, rtol=1e-12, atol=1e-12)
    want_abs = ndimage.correlate(np.abs(x.astype(np.float64)), np.abs(w), mode="constant")
    np.testing.assert_allclose(size[0], want_abs, rtol=1e-12, atol=1e-12)
