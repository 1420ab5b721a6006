"""cuDNN is given the padding itself (no F.pad copy timed with its kernel): conv2d's
symmetric padding, then a window of its output, must be the convolution asked for."""

import numpy as np
import pytest
from scipy import signal

from convviz.bench.peers import cudnn_padding
from convviz.core.spec import prepare


def conv2d_symmetric(x, w, pad, stride):
    """What F.conv2d(padding=pad, stride=stride) computes, written the obvious way."""
    xp = np.pad(x, ((pad[0], pad[0]), (pad[1], pad[1])))
    full = signal.correlate2d(xp, w, mode="valid")
    return full[:: stride[0], :: stride[1]]


def conv2d_padded(x, w, padding, stride):
    """The convolution asked for: the input zero-padded (top, bottom, left, right)."""
    xp = np.pad(x, ((padding[0], padding[1]), (padding[2], padding[3])))
    return signal.correlate2d(xp, w, mode="valid")[:: stride[0], :: stride[1]]


@pytest.mark.parametrize(
    "k, padding, stride",
    [
        ((3, 3), "same", 1),
        ((4, 4), "same", 1),  # uneven: the extra row and column after
        ((2, 5), "same", 1),
        ((6, 3), (1, 2, 0, 3), 1),
        ((3, 3), (2, 2, 1, 1), 2),
        ((4, 4), (0, 2, 0, 2), 2),
    ],
)
def test_symmetric_padding_and_a_window_is_the_asked_convolution(k, padding, stride):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((11, 13))
    w = rng.standard_normal(k)
    spec = prepare(x.astype(np.float32), w.astype(np.float32), padding=padding, stride=stride).spec
    pad, (r0, c0) = cudnn_padding(spec.padding, spec.stride)
    rows, cols = spec.out_shape[1:]
    got = conv2d_symmetric(x, w, pad, spec.stride)[r0 : r0 + rows, c0 : c0 + cols]
    want = conv2d_padded(x, w, spec.padding, spec.stride)
    assert got.shape == want.shape == (rows, cols)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_a_window_that_no_stride_reaches_is_refused():
    with pytest.raises(ValueError, match="not one conv2d call"):
        cudnn_padding((0, 1, 0, 0), (2, 2))  # the wanted first row is half a stride in
