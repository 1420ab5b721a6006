"""cuda-tiled: shared-memory tiles, several cells per thread, the same sums as every backend."""

import numpy as np
import pytest

from convviz import backends
from convviz.core.launch import SHARED_LIMIT, tile_plan
from convviz.core.spec import PADDING_MODES, prepare
from tests.helpers import assert_close_per_output

rng = np.random.default_rng(7)

CASES = [
    ((40, 50), (3, 3), dict(padding=1)),  # 2×2 blocks of 32×32 outputs, ragged edges
    ((3, 20, 21), (8, 3, 3, 2), dict(padding=(1, 2, 0, 3), stride=(2, 1))),  # 8 channels/thread
    ((4, 17, 19), (4, 2, 3, 3), dict(groups=2, dilation=2, padding=2)),  # 2 channels per thread
    ((33, 37), (5, 4), dict(padding="same")),  # even kernel, extra padding after
    ((3, 9, 9), (3, 3), dict(padding=1)),  # depthwise
    ((1, 6, 70), (3, 1, 1, 1), dict(stride=(1, 3))),  # 1×1 kernel, 3 channels: cob 1
]


@pytest.fixture
def tiled():
    be = backends.get("cuda-tiled")
    if not be.available:
        pytest.skip(f"cuda-tiled unavailable: {be.reason}")
    return be


@pytest.mark.parametrize("mode", PADDING_MODES)
@pytest.mark.parametrize("xs,ws,kw", CASES)
def test_tiled_equals_cpu(tiled, mode, xs, ws, kw):
    x = rng.standard_normal(xs).astype(np.float32)
    w = rng.standard_normal(ws).astype(np.float32)
    b = rng.standard_normal(ws[0]).astype(np.float32) if len(ws) == 4 else None
    prep = prepare(x, w, b, padding_mode=mode, **kw)
    assert not tiled.note(prep)
    out = tiled.compute(prep)
    if tiled.simulated:
        np.testing.assert_array_equal(out, backends.get("cpu").compute(prep))
    else:
        assert_close_per_output(out, prep)


def test_tile_too_big_for_shared_memory_falls_back_to_cuda(tiled):
    prep = prepare(
        rng.random((60, 60), np.float32), np.ones((15, 15), np.float32), stride=3, dilation=4
    )
    plan = tile_plan(prep.spec)
    assert plan.shared_bytes > SHARED_LIMIT
    assert "computed by the one-thread-per-cell cuda kernel instead" in tiled.note(prep)
    out, rec = tiled.run(prep, repeats=1, warmup=0)
    assert rec.note == tiled.note(prep) and rec.block == (16, 16, 1)
    np.testing.assert_allclose(out, backends.get("reference").compute(prep), atol=1e-3)


def test_launch_shape_counts_cells_per_thread(tiled):
    prep = prepare(np.zeros((2, 70, 100), np.float32), np.ones((4, 2, 3, 3)), padding=1)
    lau = tiled.launch(prep)
    assert lau.block == (32, 8, 1) and lau.cells_per_thread == (4, 4)
    assert lau.grid == (4, 3, 1)  # 100/32 → 4 columns of tiles, 70/32 → 3 rows, 4/4 channels
    one = prepare(np.zeros((70, 100), np.float32), np.ones((3, 3)), padding=1)
    assert tiled.launch(one).cells_per_thread == (16, 1)  # one channel: 16 rows a thread
    assert tiled.launch(one).grid == (4, 1, 1)  # tiles of 128 × 32
    assert lau.threads * 4 * 4 >= prep.spec.cells


@pytest.mark.gpu
@pytest.mark.parametrize("size,k", [(2048, 3), (2048, 7), (1000, 15)])
def test_tiled_large_on_gpu(tiled, size, k):
    x = rng.random((size, size), np.float32)
    w = rng.standard_normal((k, k)).astype(np.float32)
    prep = prepare(x, w, padding="same", padding_mode="reflect")
    assert_close_per_output(tiled.compute(prep), prep)


@pytest.mark.gpu
def test_tiled_layer_on_gpu(tiled):
    x = rng.standard_normal((64, 128, 128)).astype(np.float32)
    w = rng.standard_normal((64, 64, 3, 3)).astype(np.float32) * 0.1
    prep = prepare(x, w, padding=1)
    assert_close_per_output(tiled.compute(prep), prep)


def test_lesson_sized_tiles_and_thread_map(tiled):
    """Lessons use small tiles so an 8×8 output spans several; every cell maps to exactly
    one (block, thread, cell-of-thread), as the kernel assigns them."""
    x = np.arange(2 * 8 * 8, dtype=np.float32).reshape(2, 8, 8) % 7
    w = rng.integers(-2, 3, (4, 2, 3, 3)).astype(np.float32)
    prep = prepare(x, w, padding=1)
    small = tiled.with_block((4, 2), rows=2)
    out, rec = small.run(prep, repeats=1, warmup=0)
    lau = small.launch(prep)
    assert lau.tile == (4, 4, 4) and lau.grid == (2, 2, 1) and rec.block == (4, 2, 1)
    if tiled.simulated:
        np.testing.assert_array_equal(out, backends.get("cpu").compute(prep))
    seen = set()
    for co in range(4):
        for oy in range(8):
            for ox in range(8):
                (bx, by, bz), (tx, ty, _), k = lau.thread_of(co, oy, ox)
                j, r = divmod(k, 2)
                # the kernel: oy = by*tile_h + ty*rows + r, ox = bx*4 + tx, co = bz*cob + j
                assert (oy, ox, co) == (by * 4 + ty * 2 + r, bx * 4 + tx, bz * 4 + j)
                assert lau.cells_of((bx, by, bz), (tx, ty, 0))[k] == (co, oy, ox)
                seen.add(((bx, by, bz), (tx, ty), k))
    assert len(seen) == 4 * 8 * 8 == lau.threads * 2 * 4
    with pytest.raises(Exception, match="rows per thread"):
        tiled.with_block((4, 2), rows=3)
