"""Every way the kernels are specialised computes what the reference computes: kernel
sizes 1–15 (odd and even, square or not), the four padding modes, stride, dilation,
groups and channels, in both orders the tiled kernel is written in (weights in
registers or read per tap, kernel rows unrolled or a loop). Small problems and small
blocks: the simulator runs every thread in Python."""

import numpy as np
import pytest

from convviz import backends
from convviz.core.spec import PADDING_MODES, prepare
from tests.helpers import assert_close

rng = np.random.default_rng(2024)


def _sweep():
    for kh in range(1, 16):
        kw = 16 - kh if kh != 8 else 8
        stride = (1 + kh % 2, 1 + (kh // 2) % 2)
        dilation = (1 + (kh % 3 == 0), 1 + (kh % 5 == 0))
        span = (dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1)
        x = (span[0] + 3, span[1] + 2)
        mode = PADDING_MODES[kh % 4]
        yield pytest.param(x, (kh, kw), dict(stride=stride, dilation=dilation, padding=1,
                           padding_mode=mode), id=f"{kh}x{kw}-{mode}")  # fmt: skip


CHANNELS = [
    pytest.param((4, 7, 8), (6, 2, 3, 3), dict(groups=2, padding=1), id="groups"),
    pytest.param((3, 6, 7), (3, 3), dict(padding=1, padding_mode="reflect"), id="depthwise"),
    pytest.param((2, 6, 9), (8, 2, 2, 2), dict(padding=(0, 1, 1, 0)), id="8-out-window"),
    pytest.param((2, 6, 7), (16, 2, 3, 3), dict(padding=1, padding_mode="circular"), id="taps"),
    pytest.param((1, 11, 12), (1, 1, 9, 9), dict(padding=4), id="rows-loop"),
]


def _check(be, prep):
    out = be.compute(prep)
    if be.simulated:
        np.testing.assert_array_equal(out, backends.get("cpu").compute(prep))
    else:
        assert_close(out, backends.get("reference").compute(prep), prep.x, prep.w)


@pytest.mark.parametrize("xs,ws,kw", list(_sweep()) + CHANNELS)
def test_both_kernels_equal_the_cpu(cuda_backend, xs, ws, kw):
    x = rng.standard_normal(xs).astype(np.float32)
    w = rng.standard_normal(ws).astype(np.float32)
    b = rng.standard_normal(ws[0]).astype(np.float32) if len(ws) == 4 else None
    prep = prepare(x, w, b, **kw)
    _check(cuda_backend, prep)
    tiled = backends.get("cuda-tiled").with_block((4, 2), rows=16 if prep.spec.c_out == 1 else 2)
    assert not tiled.note(prep)
    _check(tiled, prep)


@pytest.mark.parametrize("k", [3, 9])  # weights as parameters, one a tap
def test_a_kernel_edit_reuses_the_compiled_kernel(cuda_backend, k):
    """Editing the weights (the app's kernel table) launches the kernel already compiled
    for that shape, with the new numbers: weights are launch arguments, never constants
    compiled in."""
    from convviz.backends.cuda_naive import kernel_for

    x = rng.standard_normal((1, k + 4, k + 5)).astype(np.float32)
    first, second = (rng.standard_normal((k, k)).astype(np.float32) for _ in range(2))
    preps = [prepare(x, w, padding=1) for w in (first, second)]
    assert kernel_for(preps[0].spec, cuda_backend.block) is kernel_for(
        preps[1].spec, cuda_backend.block
    )
    for prep in preps:
        _check(cuda_backend, prep)
