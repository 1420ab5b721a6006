"""One compile per kernel shape: paging through the race's sizes, or resizing a
lesson's input, makes no new kernel; the kernels kept are bounded.

Driven on the backends directly (no run: the simulator would take minutes at 512²),
counting the kernels the backends make, which is what a GPU would compile."""

import numpy as np
import pytest

from convviz import backends
from convviz.backends import cuda_naive, cuda_tiled
from convviz.core.lessons import demo_lesson
from convviz.core.race import SIDES, race_block, race_prep
from convviz.core.spec import prepare


def _made() -> int:
    return (
        cuda_naive.kernel_by_key.cache_info().misses + cuda_tiled.tiled_kernel.cache_info().misses
    )


def test_a_race_walk_compiles_each_kernel_shape_once():
    lesson = demo_lesson()
    walk = [8, *SIDES]  # PageDown from the lesson's 8×8 to 512×512, then back up
    walk += walk[::-1]
    shapes = set()
    before = _made()
    for side in walk:
        prep = race_prep(lesson, side)
        for be in (backends.get("cuda").with_block(race_block(prep.spec.out_shape)),
                   backends.get("cuda-tiled")):  # fmt: skip
            kern, args = be.kernel_and_args(prep)
            assert kern is be.kernel_and_args(prep)[0]
            shapes.add((be.name, be.kernel_shape(prep)))
    assert {name for name, _ in shapes} == {"cuda", "cuda-tiled"}
    assert len(shapes) == 2, "the image size (or the block) is in a kernel's key"
    assert _made() - before <= len(shapes)


def test_the_launch_carries_the_image_size():
    """Two sizes share a kernel; their launches differ in the size arguments."""
    be = backends.get("cuda-tiled")
    small, big = (prepare(np.ones((n, n + 3), np.float32), np.ones((3, 3))) for n in (16, 40))
    (k1, a1), (k2, a2) = be.kernel_and_args(small), be.kernel_and_args(big)
    assert k1 is k2
    assert [int(v) for v in a1[4:8]] == [16, 19, 14, 17]  # input h, w; output h, w
    assert [int(v) for v in a2[4:8]] == [40, 43, 38, 41]


def test_the_kernels_kept_are_bounded():
    for k in range(1, cuda_naive.KEEP_KERNELS + 6):
        cuda_naive.kernel_for(prepare(np.ones((40, 40)), np.ones((1, k))).spec)
    assert cuda_naive.kernel_by_key.cache_info().currsize <= cuda_naive.KEEP_KERNELS


@pytest.mark.parametrize(
    "x,w,label", [((8, 8), (3, 3), "3×3"), ((64, 9, 9), (64, 64, 3, 3), "64→64, 3×3")]
)
def test_a_compile_says_which_kernel_shape(x, w, label):
    prep = prepare(np.ones(x, np.float32), np.ones(w, np.float32))
    assert cuda_naive.shape_label(prep.spec) == label
    be = backends.get("cuda")
    assert be.needs_compile(prep) == ("" if be.simulated else label)


def test_the_warm_up_compiles_the_kernel_the_lesson_launches():
    """The warm-up compiles the registry's cuda backend (16×16 blocks) on the demo lesson;
    "Run in parallel" launches 4×4 blocks: the same compiled kernel."""
    from convviz.core.race import LESSON_BLOCK

    prep = demo_lesson().prepare()
    warm, lesson = backends.get("cuda"), backends.get("cuda").with_block(LESSON_BLOCK)
    assert warm.block != lesson.block
    assert warm.kernel_shape(prep) == lesson.kernel_shape(prep)
    assert warm.kernel_and_args(prep)[0] is lesson.kernel_and_args(prep)[0]
