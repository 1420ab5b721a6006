"""The whole output at once equals the per-cell function, bit for bit, everywhere."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from convviz.core import cellmath
from convviz.core.all_cells import all_cells
from convviz.core.spec import prepare
from convviz.core.stepper import Stepper

MODES = ("zeros", "reflect", "replicate", "circular")


def per_cell(prep):
    """The obvious loop: cellmath.cell_value for every cell."""
    s = prep.spec
    out = np.empty(s.out_shape, np.float32)
    for co, oy, ox in itertools.product(range(s.c_out), range(s.out_h), range(s.out_w)):
        out[co, oy, ox] = cellmath.cell_value(prep.x, prep.w, prep.b, co, oy, ox, *s.kernel_args())
    return out


def bits(a):
    return np.ascontiguousarray(a, np.float32).view(np.uint32)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("k", "stride", "dilation", "padding"),
    [(3, 1, 1, 1), (2, 1, 1, "same"), (5, 2, 1, 2), (3, (2, 1), (1, 2), (2, 1)), (1, 1, 1, 0)],
)
def test_equals_the_per_cell_function_bit_for_bit(mode, k, stride, dilation, padding):
    rng = np.random.default_rng(k * 7 + len(mode))
    x = rng.standard_normal((9, 11)).astype(np.float32)
    w = rng.standard_normal((k, k + 1)).astype(np.float32)
    prep = prepare(x, w, stride=stride, padding=padding, dilation=dilation, padding_mode=mode)
    np.testing.assert_array_equal(bits(all_cells(prep)), bits(per_cell(prep)))


def test_channels_groups_bias_and_flip():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((4, 7, 6)).astype(np.float32)
    w = rng.standard_normal((6, 2, 3, 3)).astype(np.float32)
    b = rng.standard_normal(6).astype(np.float32)
    prep = prepare(x, w, b, padding=1, groups=2, padding_mode="reflect", flip=True)
    np.testing.assert_array_equal(bits(all_cells(prep)), bits(per_cell(prep)))


def test_the_stepper_gives_the_same_cells_stepped_or_all_at_once():
    rng = np.random.default_rng(5)
    prep = prepare(rng.integers(0, 10, (8, 8)).astype(np.float32), np.ones((3, 3)), padding=1)
    stepped = Stepper(prep)
    values = [stepped.value(k) for k in range(stepped.n_cells)]
    np.testing.assert_array_equal(Stepper(prep).full_output().ravel(), np.array(values))
