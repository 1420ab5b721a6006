"""Invalid arguments raise ConvvizError naming the value and what would be valid."""

import numpy as np
import pytest

import convviz
from convviz import ConvvizError

X = np.arange(64, dtype=np.float32).reshape(8, 8)
K = np.ones((3, 3), np.float32)


@pytest.mark.parametrize(
    "kwargs,needle",
    [
        (dict(stride=0), "stride must be >= 1; got 0"),
        (dict(stride=(1, -2)), "stride must be >= 1"),
        (dict(stride=1.5), "stride must be an integer"),
        (dict(stride=True), "stride must be an integer"),
        (dict(dilation=0), "dilation must be >= 1"),
        (dict(padding=-1), "padding must be >= 0"),
        (dict(padding="full"), "padding 'full' is not valid"),
        (dict(padding=(1, 2, 3)), "padding must be an integer or a pair"),
        (dict(padding="same", stride=2), "padding='same' needs stride 1"),
        (dict(padding_mode="mirror"), "padding_mode 'mirror' is not one of zeros, reflect"),
        (
            dict(padding=8, padding_mode="reflect"),
            "reflect padding of 8 needs an input more than 8",
        ),
        (
            dict(padding=9, padding_mode="circular"),
            "circular padding of 9 would wrap more than once",
        ),
        (dict(groups=0), "groups must be a positive integer"),
        (dict(groups=2), "groups=2 needs a 4-D kernel"),
        (dict(backend="gpu9000"), "unknown backend 'gpu9000'"),
    ],
)
def test_bad_arguments(kwargs, needle):
    with pytest.raises(ConvvizError) as info:
        convviz.conv2d(X, K, **kwargs)
    assert needle in str(info.value)


def test_kernel_larger_than_padded_input_names_the_span():
    with pytest.raises(ConvvizError) as info:
        convviz.conv2d(np.zeros((10, 10)), np.ones((9, 9)), dilation=2, padding=1)
    assert str(info.value).startswith(
        "kernel 9×9 with dilation 2 spans 17 pixels, the padded input is only 12 high"
    )


@pytest.mark.parametrize(
    "x,w,needle",
    [
        (np.zeros((2, 3, 4, 5)), K, "input must be 2-D (H, W) or 3-D (C, H, W)"),
        (X, np.ones(3), "kernel must be 2-D (kh, kw) or 4-D"),
        (np.zeros((0, 4)), K, "input is empty"),
        (X, np.array([[1.0, np.nan]]), "kernel holds a non-finite value (nan) at index (0, 1)"),
        (X, np.array([[1.0, np.inf]]), "kernel holds a non-finite value (inf)"),
        (X, [["a", "b"]], "kernel must hold numbers"),
        (X, [[1, 2], [3]], "kernel is not a rectangular array"),
        (
            np.zeros((3, 8, 8)),
            np.ones((2, 2, 3, 3)),
            "expects 2 input channels with groups=1; the input has 3",
        ),
    ],
)
def test_bad_arrays(x, w, needle):
    with pytest.raises(ConvvizError) as info:
        convviz.conv2d(x, w)
    assert needle in str(info.value)


def test_groups_must_divide_channels():
    with pytest.raises(ConvvizError, match="groups=2 must divide the 3 input channels"):
        convviz.conv2d(np.zeros((3, 5, 5)), np.ones((2, 1, 3, 3)), groups=2)
    with pytest.raises(ConvvizError, match="must divide the 3 output channels"):
        convviz.conv2d(np.zeros((2, 5, 5)), np.ones((3, 1, 3, 3)), groups=2)


def test_bias_shape():
    with pytest.raises(ConvvizError, match=r"bias must have one value per output channel \(2\)"):
        convviz.conv2d(np.zeros((1, 5, 5)), np.ones((2, 1, 3, 3)), bias=[1, 2, 3])


def test_error_is_a_value_error():
    assert issubclass(ConvvizError, ValueError)


def test_edge_of_validity_is_accepted():
    # reflect allows a pad of n-1, circular of n, and a kernel exactly as wide as the padded input
    assert convviz.conv2d(X, K, padding=7, padding_mode="reflect").shape == (20, 20)
    assert convviz.conv2d(X, K, padding=8, padding_mode="circular").shape == (22, 22)
    assert convviz.conv2d(X, np.ones((10, 10)), padding=1).shape == (1, 1)


def test_the_groups_rule_is_one_rule():
    """groups splits both channel counts evenly (PyTorch's rule): the list the controls
    offer, the lesson editor's fallback and prepare's refusal all follow it."""
    from math import gcd

    from convviz.core.spec import groups_fit, possible_groups, prepare

    for c_in in range(1, 9):
        for c_out in range(1, 9):
            g = gcd(c_in, c_out)
            assert possible_groups(c_in, c_out) == [d for d in range(1, g + 1) if g % d == 0]
            for groups in range(1, 9):
                x = np.zeros((c_in, 5, 5), np.float32)
                w = np.zeros((c_out, max(c_in // groups, 1), 3, 3), np.float32)
                if groups_fit(c_in, c_out, groups):
                    prepare(x, w, groups=groups)
                else:
                    with pytest.raises(ConvvizError, match=f"groups={groups} must divide"):
                        prepare(x, w, groups=groups)
