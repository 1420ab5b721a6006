""" "Copy as code": the PyTorch and scipy snippets, executed, reproduce convviz's output."""

import importlib.util

import numpy as np
import pytest

import convviz
from convviz.core.snippets import as_pytorch, as_scipy
from tests.helpers import assert_close

rng = np.random.default_rng(5)
CONFIGS = [
    (
        rng.integers(0, 9, (8, 8)),
        np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
        None,
        dict(padding=1),
    ),
    (
        rng.standard_normal((3, 9, 10)),
        rng.standard_normal((2, 3, 3, 2)),
        [0.5, -1.0],
        dict(
            stride=(2, 1), padding=(1, 2, 0, 1), dilation=(1, 2), padding_mode="reflect", flip=True
        ),
    ),
    (
        rng.standard_normal((4, 7, 7)),
        rng.standard_normal((4, 2, 3, 3)),
        None,
        dict(groups=2, padding="same", padding_mode="circular"),
    ),
    (
        rng.standard_normal((3, 6, 6)),
        rng.standard_normal((3, 3)),
        None,
        dict(padding=2, padding_mode="replicate", stride=2),
    ),
]


def run_snippet(code):
    ns = {}
    exec(compile(code, "<snippet>", "exec"), ns)
    return ns["out"]


@pytest.mark.parametrize("x,w,b,kw", CONFIGS)
def test_scipy_snippet_reproduces_output(x, w, b, kw):
    want = convviz.conv2d(x, w, b, backend="cpu", **kw)
    got = run_snippet(as_scipy(x, w, b, **kw))
    assert got.shape == want.shape
    assert_close(got, want, x, w)


@pytest.mark.skipif(
    importlib.util.find_spec("torch") is None,
    reason="torch is not installed (optional: pip install torch)",
)
@pytest.mark.parametrize("x,w,b,kw", CONFIGS)
def test_pytorch_snippet_reproduces_output(x, w, b, kw):
    want = convviz.conv2d(x, w, b, backend="cpu", **kw)
    got = run_snippet(as_pytorch(x, w, b, **kw))
    assert got.shape == want.shape
    assert_close(got, want, x, w)


def test_snippets_name_the_operation():
    x, w, b, kw = CONFIGS[1]
    code = as_pytorch(x, w, b, **kw)
    assert "F.pad(x[None], (0, 1, 1, 2), mode='reflect')" in code and "torch.flip" in code
    assert "signal.convolve2d" in as_scipy(x, w, b, **kw)
    assert "signal.correlate2d" in as_scipy(*CONFIGS[0][:3], **CONFIGS[0][3])
