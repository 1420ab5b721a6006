"""Kernel presets and the parsing of typed kernels."""

import numpy as np
import pytest
from scipy import ndimage

from convviz import ConvvizError
from convviz.core import kernels


def test_every_preset_is_finite_float32_and_odd():
    for name in kernels.PRESETS:
        k = kernels.preset(name)
        assert k.dtype == np.float32 and k.ndim == 2
        assert np.isfinite(k).all() and k.shape[0] % 2 == 1


@pytest.mark.parametrize("name", ["box", "gaussian", "motion-blur", "identity"])
def test_smoothing_presets_sum_to_one(name):
    for size in (1, 3, 7):
        assert kernels.preset(name, size=size).sum() == pytest.approx(1.0, abs=1e-6)


def test_gaussian_matches_scipy_impulse_response():
    k = kernels.preset("gaussian", size=9, sigma=1.5)
    impulse = np.zeros((9, 9))
    impulse[4, 4] = 1
    want = ndimage.gaussian_filter(impulse, 1.5, truncate=4 / 1.5, mode="constant")
    np.testing.assert_allclose(k, want / want.sum(), atol=1e-6)


def test_sobel_x_responds_positively_to_a_rightward_ramp():
    import convviz

    ramp = np.tile(np.arange(6, dtype=np.float32), (6, 1))
    out = convviz.conv2d(ramp, kernels.preset("sobel-x"), backend="reference")
    assert (out > 0).all()
    np.testing.assert_array_equal(kernels.preset("sobel-y"), kernels.preset("sobel-x").T)
    np.testing.assert_array_equal(kernels.preset("scharr-y"), kernels.preset("scharr-x").T)
    assert kernels.preset("laplacian").sum() == 0 and kernels.preset("outline").sum() == 0


def test_preset_errors():
    with pytest.raises(ConvvizError, match="unknown kernel preset 'sobol'"):
        kernels.preset("sobol")
    with pytest.raises(ConvvizError, match="takes no size"):
        kernels.preset("sobel-x", size=5)
    with pytest.raises(ConvvizError, match="sigma must be a positive"):
        kernels.preset("gaussian", size=5, sigma=0)


@pytest.mark.parametrize(
    "text,want",
    [
        ("1 0 -1; 2 0 -2; 1 0 -1", [[1, 0, -1], [2, 0, -2], [1, 0, -1]]),
        ("1, 2\n3, 4\n", [[1, 2], [3, 4]]),
        ("1/9 1/9; -.5 2e1", [[1 / 9, 1 / 9], [-0.5, 20]]),
        ("  7  ", [[7]]),
    ],
)
def test_parse_kernel(text, want):
    np.testing.assert_allclose(kernels.parse_kernel(text), np.array(want, np.float32))


@pytest.mark.parametrize(
    "text,needle",
    [
        ("1 nan 2", "'nan' at row 1, column 2 is not finite"),
        ("1 2; inf 4", "'inf' at row 2, column 1 is not finite"),
        ("1 2; 3", "row 2 has 1 numbers but row 1 has 2"),
        ("1 two", "'two' at row 1, column 2 is not a number"),
        ("", "the kernel is empty"),
        (" ; ; ", "the kernel is empty"),
        ("1/0", "divides by zero"),
        ("1e39", "too large"),
    ],
)
def test_parse_kernel_rejects(text, needle):
    with pytest.raises(ConvvizError) as info:
        kernels.parse_kernel(text)
    assert needle in str(info.value)


def test_resolve_kernel_forms(tmp_path):
    np.testing.assert_array_equal(
        kernels.resolve_kernel("gaussian:7:2"), kernels.preset("gaussian", size=7, sigma=2)
    )
    np.testing.assert_array_equal(kernels.resolve_kernel("edge"), kernels.preset("outline"))
    k = np.arange(6, dtype=np.float32).reshape(2, 3)
    kernels.save_kernel(tmp_path / "k.npy", k)
    kernels.save_kernel(tmp_path / "k.txt", k / 7)
    np.testing.assert_array_equal(kernels.resolve_kernel(str(tmp_path / "k.npy")), k)
    np.testing.assert_array_equal(kernels.resolve_kernel(str(tmp_path / "k.txt")), k / 7)
    with pytest.raises(ConvvizError, match="does not exist"):
        kernels.resolve_kernel(str(tmp_path / "missing.npy"))
    with pytest.raises(ConvvizError, match="unknown kernel preset 'blurry'"):
        kernels.resolve_kernel("blurry")
