"""The region the image mode animates equals the whole-image result there (Qt-free)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import convviz
from convviz.core.region import Region, centre_region, clamp_region, region_lesson
from convviz.core.spec import prepare
from convviz.core.stepper import Stepper

CASES = list(
    itertools.product(
        ["zeros", "reflect", "replicate", "circular"],
        ["same", "valid", 2, (1, 3, 0, 2)],
        [1, 3, 4, 5],
        [1, 2],
    )
)


@pytest.mark.parametrize("mode, padding, k, dilation", CASES)
def test_region_lesson_equals_the_whole_result(mode, padding, k, dilation):
    rng = np.random.default_rng(k * 10 + dilation)
    x = rng.integers(0, 255, (2, 13, 11)).astype(np.float32)
    w = rng.standard_normal((1, 2, k, k)).astype(np.float32)
    kw = dict(padding=padding, padding_mode=mode, dilation=dilation, flip=True)
    try:
        spec = prepare(x, w, **kw).spec
    except convviz.ConvvizError:
        pytest.skip("not a valid combination")
    whole = convviz.conv2d(x, w, backend="cpu", **kw)[0]
    for region in (
        Region(0, 0, 3, 3),
        Region(spec.out_h - 2, spec.out_w - 3, 5, 5),
        Region(1, 1, 1, 1),
        Region(0, 0, 99, 99),
        centre_region(spec),
    ):
        r = clamp_region(region, spec)
        lesson, _ = region_lesson(x, w, spec, r)
        out = Stepper(lesson.prepare()).full_output()[0]
        np.testing.assert_array_equal(out, whole[r.slices])


def test_padding_is_drawn_only_where_the_region_touches_the_border():
    x = np.arange(100, dtype=np.float32).reshape(1, 10, 10)
    w = np.ones((1, 1, 3, 3), np.float32)
    spec = prepare(x, w, padding="same").spec
    inner, gathered = region_lesson(x, w, spec, Region(3, 3, 4, 4))
    assert inner.padding == (0, 0, 0, 0) and inner.x.shape == (1, 6, 6) and not gathered
    corner, _ = region_lesson(x, w, spec, Region(0, 0, 4, 4))
    assert corner.padding == (1, 0, 1, 0) and corner.x.shape == (1, 5, 5)
    spec = prepare(x, w, padding="same", padding_mode="circular").spec
    wrapped, gathered = region_lesson(x, w, spec, Region(0, 0, 4, 4))
    assert gathered and wrapped.padding == (0, 0, 0, 0)
    assert wrapped.x[0, 0, 0] == x[0, 9, 9]  # the far corner


def test_clamp_limits_the_size():
    spec = prepare(
        np.zeros((100, 100), np.float32), np.ones((3, 3), np.float32), padding="same"
    ).spec
    assert clamp_region(Region(90, -5, 40, 0), spec) == Region(76, 0, 24, 1)
