"""cpu-parallel is the cpu loop reorganised, not a different computation: bit-identical."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import convviz
from convviz import backends
from convviz.backends import cpu
from convviz.core.spec import PADDING_MODES, prepare


def both(x, w, bias=None, **kw):
    prep = prepare(x, w, bias, **kw)
    seq = backends.get("cpu").compute(prep)
    par = backends.get("cpu-parallel").compute(prep)
    return prep, seq, par


def assert_identical(x, w, bias=None, **kw):
    prep, seq, par = both(x, w, bias, **kw)
    assert seq.shape == par.shape == prep.spec.out_shape
    assert np.array_equal(seq, par), f"max diff {np.abs(seq - par).max()} for {kw}"
    # bit for bit, signed zeros included
    assert np.array_equal(seq.view(np.int32), par.view(np.int32))
    ref = backends.get("reference").compute(prep)
    tol = 1e-5 * prep.spec.taps * max(1.0, float(np.abs(x).max()) * float(np.abs(w).max()))
    np.testing.assert_allclose(par, ref, rtol=0, atol=tol)
    return par


rng = np.random.default_rng(1234)


def rand(*shape):
    return rng.standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize("mode", PADDING_MODES)
@pytest.mark.parametrize("stride", [1, 2, (1, 3), (3, 2)])
def test_modes_and_strides(mode, stride):
    assert_identical(
        rand(2, 19, 23), rand(3, 2, 3, 3), rand(3), stride=stride, padding=2, padding_mode=mode
    )


@pytest.mark.parametrize("mode", PADDING_MODES)
@pytest.mark.parametrize("dilation", [2, (1, 3), (3, 1)])
def test_dilation(mode, dilation):
    assert_identical(rand(17, 21), rand(3, 3), padding=(3, 4), dilation=dilation, padding_mode=mode)


@pytest.mark.parametrize("mode", PADDING_MODES)
def test_asymmetric_padding(mode):
    assert_identical(
        rand(2, 12, 15), rand(2, 2, 4, 5), padding=(0, 3, 4, 1), padding_mode=mode, stride=(2, 1)
    )


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 7, 8, 9, 15])
def test_square_kernels_same(k):
    assert_identical(rand(33, 40), rand(k, k), padding="same")


@pytest.mark.parametrize("shape", [(1, 1), (1, 6), (6, 1), (2, 5), (4, 2), (3, 8)])
def test_rectangular_and_even_kernels(shape):
    assert_identical(rand(14, 18), rand(*shape), padding="same", padding_mode="reflect")
    assert_identical(rand(14, 18), rand(*shape), padding="valid")


def test_groups_and_channels():
    assert_identical(rand(6, 16, 17), rand(4, 3, 3, 3), rand(4), groups=2, padding=1)
    assert_identical(rand(4, 16, 17), rand(8, 1, 5, 5), rand(8), groups=4, padding="same")
    assert_identical(rand(3, 10, 9), rand(5, 3, 2, 3), rand(5), padding=(1, 2))
    assert_identical(rand(3, 10, 9), rand(3, 3), padding=1)  # depthwise 2-D kernel


@pytest.mark.parametrize("mode", PADDING_MODES)
def test_kernel_wider_than_interior(mode):
    # every output column is a border column: no tap group has an interior
    pad = (2, 5) if mode != "reflect" else (2, 4)
    assert_identical(rand(6, 5), rand(3, 9), padding=pad, padding_mode=mode)
    assert_identical(rand(5, 6), rand(3, 11), padding=(1, 5), padding_mode="zeros")


@pytest.mark.parametrize("shape", [(1, 1), (1, 7), (7, 1), (2, 2)])
def test_tiny_inputs(shape):
    assert_identical(rand(*shape), rand(1, 1))
    assert_identical(rand(*shape), rand(3, 3), padding=1)
    assert_identical(rand(*shape), rand(3, 3), padding=1, padding_mode="replicate")
    assert_identical(rand(*shape), rand(2, 3), padding="same", padding_mode="circular")


def test_bias_and_zero_sign():
    # Exact zeros and negative zeros in the input: signs of zero must agree too.
    x = np.zeros((9, 11), np.float32)
    x[::2] = -0.0
    x[4, 5] = 3.0
    w = rand(3, 3)
    w[1, 1] = -0.0
    assert_identical(x, w, padding=1)
    assert_identical(x, w, np.float32([-0.0]).reshape(1), padding=(2, 1))


@pytest.mark.slow  # compiles the row kernels of many widths
def test_wide_rows_vectorised_path():
    # long rows exercise the 8-tap interior loop and the 4/2/1 remainders
    for k in (3, 5, 6, 7):
        assert_identical(rand(2, 9, 300), rand(3, 2, k, k), padding="same")
    assert_identical(rand(9, 301), rand(5, 5), stride=(1, 2), padding=2, padding_mode="reflect")


@pytest.mark.slow  # 24 cases × 8 kernel shapes
@pytest.mark.parametrize("mode", PADDING_MODES)
@pytest.mark.parametrize("h", [1, 2, 3, 4, 5, 7])
def test_row_blocks_every_height(mode, h):
    # stride 1, dilation 1: blocks of cpu_rows.ROWS output rows (the last one
    # short), passes of 1 to 4 kernel columns shared by 1 to 3 rows, wide enough
    # rows for the vector loops
    for kh, kw in ((1, 5), (3, 3), (4, 7), (2, 9), (5, 2), (3, 16), (7, 1), (6, 15)):
        try:
            prepare(rand(h, 70), rand(kh, kw), padding="same", padding_mode=mode)
        except convviz.ConvvizError:
            continue  # reflect padding as wide as the input
        assert_identical(rand(h, 70), rand(kh, kw), padding="same", padding_mode=mode)


@pytest.mark.slow
def test_row_blocks_channels_and_padding():
    assert_identical(rand(3, 10, 67), rand(4, 3, 5, 7), rand(4), padding=(0, 3, 4, 1))
    assert_identical(
        rand(4, 11, 80),
        rand(6, 2, 3, 15),
        rand(6),
        groups=2,
        padding=(6, 1, 7, 7),
        padding_mode="circular",
    )
    assert_identical(rand(2, 9, 70), rand(2, 2, 7, 7), rand(2), padding=(8, 8, 3, 3))
    assert_identical(
        rand(2, 8, 64), rand(3, 2, 4, 6), rand(3), padding=(3, 2, 0, 0), padding_mode="replicate"
    )


@pytest.mark.slow  # a module per kernel size
@pytest.mark.parametrize("mode", PADDING_MODES)
@pytest.mark.parametrize("kh,kw", [(1, 1), (2, 3), (3, 3), (5, 4), (7, 7), (8, 8)])
def test_vector_loop_on_wide_rows(kh, kw, mode):
    # rows long enough for several steps of the 8-lane loop (24 columns a step) and a
    # tail of columns after them; one input channel (whole cells) and several (adding)
    assert_identical(rand(13, 24 * 4 + 7), rand(kh, kw), rand(1), padding="same", padding_mode=mode)
    assert_identical(
        rand(3, 10, 24 * 3 + 5), rand(2, 3, kh, kw), rand(2), padding="same", padding_mode=mode
    )


def test_vector_loop_reports_what_is_not_finite():
    be, w = backends.get("cpu-parallel"), rand(3, 3)
    x = rand(20, 120)
    ctrl = np.zeros(3, np.int64)  # [cells done, cancel, some result not finite], as conv2d's
    be.compute(prepare(x, w, padding="same", check_input=False), ctrl)
    assert ctrl[2] == 0
    x[9, 60] = np.inf  # far from every border: only the vector loop sees it
    be.compute(prepare(x, w, padding="same", check_input=False), ctrl)
    assert ctrl[2] == 1
    with pytest.raises(convviz.ConvvizError, match=r"non-finite value \(inf\) at index \(9, 60\)"):
        convviz.conv2d(x, w, padding="same", backend="cpu-parallel")
    # an overflow is a result, not an error
    big = np.full((9, 120), 3e38, np.float32)
    out = convviz.conv2d(big, np.ones((3, 3), np.float32), padding="same", backend="cpu-parallel")
    assert np.isinf(out[1:-1, 1:-1]).all()


@st.composite
def configs(draw):
    groups = draw(st.sampled_from([1, 2]))
    cin = groups * draw(st.integers(1, 2))
    cout = groups * draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    h, w = draw(st.integers(1, 14)), draw(st.integers(1, 14))
    mode = draw(st.sampled_from(PADDING_MODES))
    sy, sx = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    dy, dx = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    limit_h = h - 1 if mode == "reflect" else h
    limit_w = w - 1 if mode == "reflect" else w
    pads = (
        draw(st.integers(0, min(limit_h, 4))),
        draw(st.integers(0, min(limit_h, 4))),
        draw(st.integers(0, min(limit_w, 4))),
        draw(st.integers(0, min(limit_w, 4))),
    )
    seed = draw(st.integers(0, 2**31))
    return dict(
        cin=cin,
        cout=cout,
        groups=groups,
        kh=kh,
        kw=kw,
        h=h,
        w=w,
        mode=mode,
        stride=(sy, sx),
        dilation=(dy, dx),
        padding=pads,
        seed=seed,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(configs())
def test_property_identical(cfg):
    r = np.random.default_rng(cfg["seed"])
    x = r.standard_normal((cfg["cin"], cfg["h"], cfg["w"])).astype(np.float32)
    w = r.standard_normal((cfg["cout"], cfg["cin"] // cfg["groups"], cfg["kh"], cfg["kw"])).astype(
        np.float32
    )
    b = r.standard_normal(cfg["cout"]).astype(np.float32)
    try:
        prepare(
            x,
            w,
            b,
            stride=cfg["stride"],
            padding=cfg["padding"],
            dilation=cfg["dilation"],
            groups=cfg["groups"],
            padding_mode=cfg["mode"],
        )
    except convviz.ConvvizError:
        return  # kernel span larger than the padded input: not a valid config
    assert_identical(
        x,
        w,
        b,
        stride=cfg["stride"],
        padding=cfg["padding"],
        dilation=cfg["dilation"],
        groups=cfg["groups"],
        padding_mode=cfg["mode"],
    )


def test_cancel_raises():
    prep = prepare(rand(64, 64), rand(3, 3), padding=1)
    be = backends.get("cpu-parallel")
    ctrl = backends.new_control()
    ctrl.cancel()
    with pytest.raises(convviz.Cancelled):
        be.compute(prep, ctrl)
    with pytest.raises(convviz.Cancelled):
        be.run(prep, repeats=1, ctrl=ctrl)


def test_progress_counts_cells():
    prep = prepare(rand(2, 20, 30), rand(3, 2, 3, 3), padding=1)
    ctrl = backends.new_control()
    backends.get("cpu-parallel").compute(prep, ctrl)
    assert 0 < ctrl.done <= prep.spec.cells


def test_releases_gil_and_caches():
    for fn in (cpu.conv_parallel, cpu.conv_sequential):
        assert fn.targetoptions.get("nogil") is True
        assert fn._cache is not None and type(fn._cache).__name__ != "NullCache"
