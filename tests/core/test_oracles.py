"""Every backend against the numpy reference, and the reference against independent
oracles: scipy.ndimage, scipy.signal and (when installed) torch."""

import importlib.util

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import ndimage, signal

import convviz
from convviz import backends
from convviz.core.reference import conv2d_reference
from convviz.core.spec import PADDING_MODES, SCIPY_MODE, prepare
from tests.helpers import assert_close

CPU_BACKENDS = ["reference", "cpu", "cpu-parallel"]
rng = np.random.default_rng(1234)


def rand(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def dilate(w, d):
    """Kernel with d-1 zeros between taps: what dilation means, written out."""
    dy, dx = d
    kh, kw = w.shape
    out = np.zeros((dy * (kh - 1) + 1, dx * (kw - 1) + 1), w.dtype)
    out[::dy, ::dx] = w
    return out


def ndimage_oracle(x, w, stride, dilation, mode, flip=False):
    """scipy.ndimage with 'same'-style centring, strided afterwards.

    ndimage centres a kernel of size k at index k//2, i.e. pads k//2 before
    and k-1-k//2 after; the matching convviz padding is returned with it.
    """
    wd = dilate(w, dilation)
    f = ndimage.convolve if flip else ndimage.correlate
    full = f(x.astype(np.float64), wd.astype(np.float64), mode=SCIPY_MODE[mode], cval=0.0)
    kh, kw = wd.shape
    if flip:  # ndimage.convolve mirrors the origin too: padding swaps sides
        pad = ((kh - 1) - kh // 2, kh // 2, (kw - 1) - kw // 2, kw // 2)
    else:
        pad = (kh // 2, kh - 1 - kh // 2, kw // 2, kw - 1 - kw // 2)
    return full[:: stride[0], :: stride[1]], pad


@pytest.mark.parametrize("mode", PADDING_MODES)
@pytest.mark.parametrize("kshape", [(3, 3), (1, 1), (5, 5), (2, 2), (4, 3), (3, 6)])
@pytest.mark.parametrize(
    "stride,dilation", [((1, 1), (1, 1)), ((2, 2), (1, 1)), ((1, 3), (2, 1)), ((2, 1), (2, 2))]
)
@pytest.mark.parametrize("flip", [False, True])
def test_reference_equals_scipy_ndimage(mode, kshape, stride, dilation, flip):
    x, w = rand(17, 19), rand(*kshape)
    want, pad = ndimage_oracle(x, w, stride, dilation, mode, flip)
    got = convviz.conv2d(
        x,
        w,
        stride=stride,
        padding=pad,
        dilation=dilation,
        padding_mode=mode,
        flip=flip,
        backend="reference",
    )
    assert_close(got, want, x, w)


@pytest.mark.parametrize("kshape", [(3, 3), (2, 5), (1, 1), (6, 4)])
def test_reference_equals_scipy_signal(kshape):
    x, w = rand(12, 15), rand(*kshape)
    kh, kw = kshape
    cases = [
        (dict(padding="valid"), signal.correlate2d(x, w, mode="valid")),
        (dict(padding=(kh - 1, kw - 1)), signal.correlate2d(x, w, mode="full")),
        (dict(padding="valid", flip=True), signal.convolve2d(x, w, mode="valid")),
        (dict(padding=(kh - 1, kw - 1), flip=True), signal.convolve2d(x, w, mode="full")),
    ]
    for kwargs, want in cases:
        got = convviz.conv2d(x, w, backend="reference", **kwargs)
        assert_close(got, want, x, w)


def test_circular_equals_scipy_signal_wrap():
    x, w = rand(11, 13), rand(3, 5)
    want = signal.correlate2d(x, w, mode="same", boundary="wrap")
    got = convviz.conv2d(x, w, padding="same", padding_mode="circular", backend="reference")
    assert_close(got, want, x, w)


def test_flip_is_true_convolution_for_every_backend():
    x, w = rand(9, 10), rand(3, 4)
    want = signal.convolve2d(x, w, mode="valid")
    for name in CPU_BACKENDS:
        assert_close(convviz.conv2d(x, w, flip=True, backend=name), want, x, w)


def grouped_oracle(x, w, b, stride, pad, dilation, groups, mode):
    """Multi-channel, grouped convolution from 2-D scipy correlations, summed by hand."""
    c_out, cin_g = w.shape[:2]
    cout_g = c_out // groups
    outs = []
    for co in range(c_out):
        g = co // cout_g
        acc = 0.0
        for ci in range(cin_g):
            xp = np.pad(
                x[g * cin_g + ci].astype(np.float64),
                ((pad[0], pad[1]), (pad[2], pad[3])),
                mode={
                    "zeros": "constant",
                    "reflect": "reflect",
                    "replicate": "edge",
                    "circular": "wrap",
                }[mode],
            )
            full = signal.correlate2d(
                xp, dilate(w[co, ci], dilation).astype(np.float64), mode="valid"
            )
            acc = acc + full[:: stride[0], :: stride[1]]
        outs.append(acc + b[co])
    return np.stack(outs)


@pytest.mark.parametrize("backend", CPU_BACKENDS)
@pytest.mark.parametrize("c_in,c_out,groups", [(3, 2, 1), (4, 4, 4), (4, 6, 2), (1, 3, 1)])
@pytest.mark.parametrize("mode", PADDING_MODES)
def test_channels_groups_bias(backend, c_in, c_out, groups, mode):
    x, w, b = rand(c_in, 10, 9), rand(c_out, c_in // groups, 3, 2), rand(c_out)
    pad, stride, dilation = (1, 2, 0, 1), (2, 1), (1, 2)
    want = grouped_oracle(x, w, b, stride, pad, dilation, groups, mode)
    got = convviz.conv2d(
        x,
        w,
        b,
        stride=stride,
        padding=pad,
        dilation=dilation,
        groups=groups,
        padding_mode=mode,
        backend=backend,
    )
    assert got.dtype == np.float32 and got.shape == want.shape
    assert_close(got, want, x, w)


@pytest.mark.parametrize("backend", CPU_BACKENDS)
def test_2d_kernel_on_colour_filters_each_channel(backend):
    x, w = rand(3, 8, 9), rand(3, 3)
    got = convviz.conv2d(x, w, padding=1, backend=backend)
    want = np.stack([signal.correlate2d(c, w, mode="same") for c in x])
    assert got.shape == (3, 8, 9)
    assert_close(got, want, x, w)


@pytest.mark.parametrize("k,d", [(3, 1), (4, 1), (5, 2), (2, 3)])
def test_same_padding_keeps_size_and_puts_extra_after(k, d):
    x, w = rand(9, 11), rand(k, k)
    got = convviz.conv2d(x, w, padding="same", dilation=d, backend="cpu")
    assert got.shape == x.shape
    total = d * (k - 1)
    pad = (total // 2, total - total // 2) * 2
    want = convviz.conv2d(
        x, w, padding=(pad[0], pad[1], pad[0], pad[1]), dilation=d, backend="reference"
    )
    np.testing.assert_array_equal(
        got,
        convviz.conv2d(x, w, padding=(pad[0], pad[1], pad[0], pad[1]), dilation=d, backend="cpu"),
    )
    assert_close(got, want, x, w)


def test_output_size_formula():
    x, w = rand(2, 13, 17), rand(4, 2, 3, 5)
    for stride, pad, dil in [((2, 3), (1, 2), (1, 1)), ((3, 1), (0, 4), (2, 2))]:
        out = convviz.conv2d(x, w, stride=stride, padding=pad, dilation=dil, backend="cpu")
        for axis, (n, k) in enumerate(((13, 3), (17, 5))):
            expect = (n + 2 * pad[axis] - dil[axis] * (k - 1) - 1) // stride[axis] + 1
            assert out.shape[1 + axis] == expect


def test_shapes_and_dtype():
    assert convviz.conv2d(np.ones((5, 6)), np.ones((3, 3))).shape == (3, 4)
    assert convviz.conv2d(np.ones((1, 5, 6)), np.ones((2, 1, 3, 3))).shape == (2, 3, 4)
    out = convviz.conv2d(np.ones((5, 6), np.int64), np.ones((3, 3), np.float64))
    assert out.dtype == np.float32


def test_cpu_backends_equal_each_other_bit_for_bit():
    x, w, b = rand(3, 21, 18), rand(2, 3, 4, 3), rand(2)
    prep = prepare(x, w, b, stride=(1, 2), padding=(2, 1), padding_mode="reflect")
    seq = backends.get("cpu").compute(prep)
    np.testing.assert_array_equal(seq, backends.get("cpu-parallel").compute(prep))


# --- property tests ------------------------------------------------------------


@st.composite
def configs(draw):
    groups = draw(st.integers(1, 3))
    c_in = groups * draw(st.integers(1, 2))
    c_out = groups * draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    dy, dx = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    mode = draw(st.sampled_from(PADDING_MODES))
    h, w = draw(st.integers(1, 12)), draw(st.integers(1, 12))
    limit_y = h - 1 if mode == "reflect" else h
    limit_x = w - 1 if mode == "reflect" else w
    pad = tuple(draw(st.integers(0, max(0, lim))) for lim in (limit_y, limit_y, limit_x, limit_x))
    if h + pad[0] + pad[1] < dy * (kh - 1) + 1 or w + pad[2] + pad[3] < dx * (kw - 1) + 1:
        dy = dx = 1
        kh = min(kh, h + pad[0] + pad[1])
        kw = min(kw, w + pad[2] + pad[3])
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    seed = draw(st.integers(0, 2**31))
    r = np.random.default_rng(seed)
    x = r.integers(-9, 10, (c_in, h, w)).astype(np.float32)
    wt = r.integers(-4, 5, (c_out, c_in // groups, kh, kw)).astype(np.float32)
    b = r.integers(-3, 4, c_out).astype(np.float32)
    return dict(
        x=x,
        w=wt,
        bias=b,
        stride=stride,
        padding=pad,
        dilation=(dy, dx),
        groups=groups,
        padding_mode=mode,
        flip=draw(st.booleans()),
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs())
def test_property_backends_equal_grouped_oracle(cfg):
    # Small integers: every float32 sum is exact, so equality is exact too.
    w = cfg["w"][:, :, ::-1, ::-1] if cfg["flip"] else cfg["w"]
    want = grouped_oracle(
        cfg["x"],
        w,
        cfg["bias"],
        cfg["stride"],
        cfg["padding"],
        cfg["dilation"],
        cfg["groups"],
        cfg["padding_mode"],
    )
    for name in CPU_BACKENDS:
        got = convviz.conv2d(backend=name, **cfg)
        np.testing.assert_array_equal(got, want.astype(np.float32), err_msg=name)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(3, 14),
    st.integers(3, 14),
    st.sampled_from([1, 3, 5]),
    st.sampled_from(PADDING_MODES),
    st.integers(1, 3),
    st.integers(0, 2**31),
)
def test_property_reference_equals_ndimage(h, w, k, mode, s, seed):
    r = np.random.default_rng(seed)
    x, wt = r.random((h, w), np.float32), r.standard_normal((k, k)).astype(np.float32)
    if mode == "reflect" and k // 2 >= min(h, w):
        return
    want, pad = ndimage_oracle(x, wt, (s, s), (1, 1), mode)
    got = convviz.conv2d(x, wt, stride=s, padding=pad, padding_mode=mode, backend="reference")
    assert_close(got, want, x, wt)


# --- torch, when it is installed -------------------------------------------------

HAS_TORCH = importlib.util.find_spec("torch") is not None


@pytest.mark.skipif(
    not HAS_TORCH,
    reason="torch is not installed (optional oracle: "
    "pip install torch to run the PyTorch comparison)",
)
@pytest.mark.parametrize("mode", PADDING_MODES)
@pytest.mark.parametrize("groups,c_in,c_out", [(1, 3, 4), (2, 4, 2), (3, 3, 3)])
def test_reference_equals_torch(mode, groups, c_in, c_out):
    import torch
    import torch.nn.functional as F

    x, w, b = rand(c_in, 13, 11), rand(c_out, c_in // groups, 3, 4), rand(c_out)
    stride, dil, pad = (2, 1), (1, 2), (2, 1)
    tx = torch.from_numpy(x)[None]
    if mode == "zeros":
        want = F.conv2d(
            tx,
            torch.from_numpy(w),
            torch.from_numpy(b),
            stride=stride,
            padding=pad,
            dilation=dil,
            groups=groups,
        )
    else:
        tx = F.pad(tx, (pad[1], pad[1], pad[0], pad[0]), mode=mode)
        want = F.conv2d(
            tx, torch.from_numpy(w), torch.from_numpy(b), stride=stride, dilation=dil, groups=groups
        )
    for name in CPU_BACKENDS:
        got = convviz.conv2d(
            x,
            w,
            b,
            stride=stride,
            padding=pad,
            dilation=dil,
            groups=groups,
            padding_mode=mode,
            backend=name,
        )
        assert_close(got, want[0].numpy(), x, w)


@pytest.mark.skipif(not HAS_TORCH, reason="torch is not installed (optional oracle)")
@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel:UserWarning")
def test_same_padding_equals_torch_even_kernel():
    import torch
    import torch.nn.functional as F

    x, w = rand(2, 9, 10), rand(3, 2, 4, 2)
    want = F.conv2d(
        torch.from_numpy(x)[None], torch.from_numpy(w), padding="same", dilation=(2, 1)
    )[0].numpy()
    got = convviz.conv2d(x, w, padding="same", dilation=(2, 1), backend="cpu")
    assert_close(got, want, x, w)


def test_reference_is_independent_of_cellmath():
    """The oracle must not share the per-cell code it checks."""
    import inspect

    from convviz.core import reference

    assert "cellmath" not in inspect.getsource(reference)
    assert conv2d_reference.__module__ == "convviz.core.reference"
