"""The one-thread-per-cell CUDA kernel: correct on the simulator (small inputs) and,
under marker `gpu`, on a real device."""

import numpy as np
import pytest

from convviz import ConvvizError, backends
from convviz.backends import cuda as cuda_mod
from convviz.core.launch import launch_for, thread_of
from convviz.core.spec import PADDING_MODES, prepare
from tests.helpers import assert_close_per_output

rng = np.random.default_rng(99)

CASES = [
    # (x shape, w shape, kwargs)
    ((9, 11), (3, 3), dict(padding=1)),
    ((10, 7), (2, 4), dict(padding=(1, 2, 0, 3), stride=(2, 1))),
    ((3, 8, 9), (2, 3, 3, 2), dict(padding="same", dilation=(2, 1))),
    ((4, 9, 9), (4, 2, 3, 3), dict(groups=2, stride=2, padding=2)),
    ((1, 6, 20), (3, 1, 1, 1), dict()),
    ((17, 18), (5, 5), dict(padding="valid", dilation=2)),
    ((3, 7, 7), (3, 3), dict(padding=1)),  # 2-D kernel on 3 channels: depthwise
]


def _check(out, prep, be):
    cpu = backends.get("cpu").compute(prep)
    if be.simulated:
        # The simulator executes the same float32 operations in the same order.
        np.testing.assert_array_equal(out, cpu)
    else:
        # A GPU may fuse multiply-adds (FMA): equal to the last bit or two only.
        assert_close_per_output(out, prep)


@pytest.mark.parametrize("mode", PADDING_MODES)
@pytest.mark.parametrize("xs,ws,kw", CASES)
def test_cuda_equals_cpu(cuda_backend, mode, xs, ws, kw):
    x, w = rng.standard_normal(xs).astype(np.float32), rng.standard_normal(ws).astype(np.float32)
    b = rng.standard_normal(ws[0]).astype(np.float32) if len(ws) == 4 else None
    prep = prepare(x, w, b, padding_mode=mode, **kw)
    _check(cuda_backend.compute(prep), prep, cuda_backend)


def test_flip_on_cuda(cuda_backend):
    x, w = rng.standard_normal((8, 9)).astype(np.float32), rng.standard_normal((3, 2))
    prep = prepare(x, w, flip=True, padding=1)
    _check(cuda_backend.compute(prep), prep, cuda_backend)


def test_timing_record_reports_phases_and_launch(cuda_backend):
    prep = prepare(np.ones((20, 37), np.float32), np.ones((3, 3)), padding=1)
    out, rec = cuda_backend.run(prep, repeats=2, warmup=1)
    assert set(rec.phases) == {"h2d", "kernel", "d2h"}
    assert rec.grid == (3, 2, 1) and rec.block == (16, 16, 1)
    assert rec.threads == 3 * 2 * 16 * 16 >= rec.cells == 20 * 37
    assert rec.simulated == cuda_backend.simulated
    text = "\n".join(rec.lines())
    assert ("not a GPU timing" in text) == cuda_backend.simulated
    assert rec.total.min <= rec.total.median <= rec.total.max


def test_launch_geometry_covers_every_cell_once():
    lau = launch_for((2, 35, 50))
    assert lau.grid == (4, 3, 2)
    owners = {}
    for co in range(2):
        for oy in range(35):
            for ox in range(50):
                bidx, tidx = thread_of(co, oy, ox)
                assert all(b < g for b, g in zip(bidx, lau.grid))
                key = (bidx, tidx)
                assert key not in owners
                owners[key] = (co, oy, ox)
    assert len(owners) == 2 * 35 * 50 <= lau.threads


def test_simulator_refuses_large_inputs(cuda_backend):
    if not cuda_backend.simulated:
        pytest.skip("only the simulator has a size limit")
    prep = prepare(np.zeros((512, 512), np.float32), np.ones((3, 3)))
    with pytest.raises(ConvvizError, match="simulator runs every thread in Python"):
        cuda_backend.compute(prep)


def test_out_of_memory_is_a_clear_message(cuda_backend, monkeypatch):
    prep = prepare(np.zeros((32, 32), np.float32), np.ones((3, 3)))
    monkeypatch.setattr(cuda_backend, "_memory_free", lambda: 1024)
    with pytest.raises(ConvvizError, match="MiB free but this convolution needs"):
        cuda_backend.check(prep)
    monkeypatch.undo()

    def boom(*a, **k):
        raise RuntimeError("[CUresult.CUDA_ERROR_OUT_OF_MEMORY] Call to cuMemAlloc failed")

    monkeypatch.setattr(cuda_backend, "_run_timed_by_clock", boom)
    monkeypatch.setattr(cuda_backend, "_run_timed_by_events", boom)
    monkeypatch.setattr(cuda_backend, "_run_end_to_end", boom)
    with pytest.raises(ConvvizError, match="the GPU ran out of memory"):
        cuda_backend.compute(prep)


def test_device_label(cuda_backend):
    if cuda_backend.simulated:
        assert "simulator" in cuda_backend.device and "simulated" in cuda_backend.label
    else:
        assert "SMs" in cuda_backend.device


@pytest.mark.gpu
@pytest.mark.parametrize("size,k", [(1024, 3), (1024, 7), (777, 5)])
def test_gpu_large_inputs_match_reference(cuda_backend, size, k):
    x = rng.random((size, size), np.float32)
    w = rng.standard_normal((k, k)).astype(np.float32)
    prep = prepare(x, w, padding="same", padding_mode="reflect")
    out = cuda_backend.compute(prep)
    cpu = backends.get("cpu-parallel").compute(prep)
    assert_close_per_output(out, prep)
    # Report, don't hide, the FMA difference between GPU and CPU.
    print(f"max |cuda - cpu| = {np.abs(out - cpu).max():.3g} at {size}² with {k}×{k}")


@pytest.mark.gpu
def test_gpu_timing_uses_events(cuda_backend):
    prep = prepare(np.ones((2048, 2048), np.float32), np.ones((3, 3)), padding=1)
    _, rec = cuda_backend.run(prep, repeats=3)
    assert not rec.simulated and rec.compile_s is not None
    assert 0 < rec.phases["kernel"].median <= rec.total.median


def test_simulator_limits_documented():
    assert cuda_mod.SIM_MAX_MACS > 0 and cuda_mod.SIM_MAX_CELLS >= 64 * 64


def test_smaller_blocks_for_lessons(cuda_backend):
    prep = prepare(np.arange(64, dtype=np.float32).reshape(8, 8), np.ones((3, 3)), padding=1)
    small = cuda_backend.with_block((4, 4))
    out, rec = small.run(prep, repeats=1, warmup=0)
    assert rec.grid == (2, 2, 1) and rec.block == (4, 4, 1) and rec.threads == 64
    assert cuda_backend.launch(prep).block == (16, 16, 1)  # the shared instance is unchanged
    _check(out, prep, small)
    with pytest.raises(ConvvizError, match="at most 1024 threads"):
        cuda_backend.with_block((64, 32))
