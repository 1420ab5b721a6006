"""The GPU timing protocol (convviz.backends.gpu_timing).

Without a GPU its event logic runs against a model of one: a host clock and a GPU
queue, where every call costs host time and queued work starts when both the GPU is
free and the host has queued it. The model shows what the protocol is for: a
kernel whose Python launch path is longer than the kernel is timed at its GPU time.
On the simulator the host-clock path and the backends' records are checked; under
marker `gpu` the real thing.
"""

import numpy as np
import pytest

from convviz import backends
from convviz.backends import gpu_timing
from convviz.core.spec import prepare
from tests.helpers import assert_close_per_output


class FakeGPU:
    """A host clock and one in-order GPU queue, in seconds."""

    def __init__(self):
        self.host = 0.0
        self.free = 0.0  # when the GPU finishes what is queued

    def queue(self, host_cost, gpu_time):
        self.host += host_cost
        start = max(self.free, self.host)
        self.free = start + gpu_time

    def block(self):  # a call that synchronises the host with the GPU
        self.host = max(self.host, self.free)


class FakeEvent:
    def __init__(self, gpu):
        self.gpu, self.at = gpu, None

    def record(self, stream=0):
        self.gpu.queue(1e-6, 0.0)
        self.at = self.gpu.free

    def query(self):
        return self.at <= self.gpu.host

    def synchronize(self):
        self.gpu.host = max(self.gpu.host, self.at)

    def elapsed_time(self, end):
        return (end.at - self.at) * 1e3  # milliseconds, as CUDA


class FakeStream:
    def __init__(self, gpu):
        self.gpu = gpu

    def synchronize(self):
        self.gpu.block()


class FakeCuda:
    def __init__(self, gpu):
        self.gpu = gpu

    def default_stream(self):
        return FakeStream(self.gpu)

    def event(self, timing=True):
        return FakeEvent(self.gpu)

    def synchronize(self):
        self.gpu.block()


SPIN_ITER_S = 2e-9  # GPU seconds per spin iteration in the model
LAUNCH_HOST_S = 80e-6  # Python's launch path: typing arguments, driver calls
KERNEL_GPU_S = 5e-6
COPY_GPU_S = 12e-6


@pytest.fixture
def gpu(monkeypatch):
    g = FakeGPU()
    monkeypatch.setattr(gpu_timing, "cuda", FakeCuda(g))
    monkeypatch.setattr(gpu_timing._Spin, "n", gpu_timing.SPIN_START)
    monkeypatch.setattr(
        gpu_timing._Spin, "launch", classmethod(lambda cls, s, n: g.queue(5e-6, n * SPIN_ITER_S))
    )
    return g


def _steps(g):
    return [
        ("h2d", lambda: g.queue(3e-6, COPY_GPU_S)),
        ("kernel", lambda: g.queue(LAUNCH_HOST_S, KERNEL_GPU_S)),
        ("d2h", lambda: g.queue(3e-6, COPY_GPU_S)),
    ]


def test_events_measure_gpu_time_not_the_launch_path(gpu):
    times = gpu_timing.time_steps(_steps(gpu), repeats=5, warmup=1, warm_s=0)
    assert times.queued and times.clock == gpu_timing.CLOCK_EVENTS
    assert times.phases["kernel"].median == pytest.approx(KERNEL_GPU_S, abs=1e-9)
    assert times.phases["h2d"].median == pytest.approx(COPY_GPU_S, abs=1e-9)
    assert times.phases["d2h"].median == pytest.approx(COPY_GPU_S, abs=1e-9)
    assert all(s.n == 5 for s in times.phases.values())
    # the spin grew until it covered the host's queueing of one sample
    assert times.spin * SPIN_ITER_S > LAUNCH_HOST_S > gpu_timing.SPIN_START * SPIN_ITER_S


def test_without_the_spin_the_launch_path_would_be_inside(gpu, monkeypatch):
    monkeypatch.setattr(gpu_timing._Spin, "launch", classmethod(lambda cls, s, n: None))
    monkeypatch.setattr(gpu_timing, "MAX_TRIES", 2)
    times = gpu_timing.time_steps(_steps(gpu), repeats=3, warmup=0, warm_s=0)
    assert not times.queued and times.clock == gpu_timing.CLOCK_UNQUEUED
    # what the old code reported: mostly the host's launch path, not the 5 µs kernel
    assert times.phases["kernel"].median > 10 * KERNEL_GPU_S


def test_a_synchronising_call_is_flagged_not_hidden(gpu):
    def blocking_kernel():
        gpu.queue(LAUNCH_HOST_S, KERNEL_GPU_S)
        gpu.block()

    steps = [("kernel", blocking_kernel)]
    times = gpu_timing.time_steps(steps, repeats=2, warmup=0, warm_s=0)
    assert not times.queued and "host time may be inside" in times.clock
    assert times.spin <= gpu_timing.SPIN_MAX


def test_keep_busy_leaves_the_gpu_no_gap(gpu):
    idle = []

    def step():  # the GPU runs dry when the launch arrives after all queued work ended
        idle.append(max(0.0, gpu.host + LAUNCH_HOST_S - gpu.free))
        gpu.queue(LAUNCH_HOST_S, KERNEL_GPU_S)

    gpu_timing._Spin.n = 1 << 16  # a spin that covers the launch path, as after calibration
    gpu_timing.keep_busy([("kernel", step)], seconds=0.01, stream=FakeStream(gpu))
    assert len(idle) > 3 and max(idle[2:]) == 0.0


def test_repeats_must_be_positive():
    with pytest.raises(ValueError):
        gpu_timing.time_steps([], repeats=0)


# -- on the simulator (or a GPU): real buffers, the real backends ---------------------------


@pytest.fixture
def small():
    rng = np.random.default_rng(5)
    return prepare(
        rng.standard_normal((2, 9, 11)).astype(np.float32),
        rng.standard_normal((3, 2, 3, 3)).astype(np.float32),
        rng.standard_normal(3).astype(np.float32),
        padding=1,
    )


def test_buffers_and_steps_compute_the_convolution(cuda_backend, small):
    bufs = gpu_timing.ConvBuffers.allocate(small)
    assert [a.shape for a in bufs.host_in] == [small.x.shape, small.w.shape, small.b.shape]
    lau = cuda_backend.launch(small)
    dx, dw, db = bufs.dev_in

    def kernel():
        cuda_backend._launch_kernel(lau, dx, dw, db, bufs.dev_out, small)

    steps = bufs.steps(kernel)
    assert [n for n, _ in steps] == ["h2d", "kernel", "d2h"]
    times = gpu_timing.time_steps(
        steps, repeats=2, warmup=0, warm_s=0.05, simulated=cuda_backend.simulated
    )
    assert set(times.phases) == {"h2d", "kernel", "d2h"}
    assert all(s.min > 0 and s.n == 2 for s in times.phases.values())
    assert_close_per_output(bufs.host_out, small)
    if cuda_backend.simulated:
        assert times.clock == gpu_timing.CLOCK_HOST and not times.queued


@pytest.mark.parametrize("name", ["cuda", "cuda-tiled"])
def test_backend_record_says_how_it_was_timed(cuda_backend, small, name):
    be = backends.get(name)
    out, rec = be.run(small, repeats=2, warmup=0)
    assert_close_per_output(out, small)
    assert set(rec.phases) == {"h2d", "kernel", "d2h"}
    text = "\n".join(rec.lines())
    if be.simulated:
        assert rec.clock == gpu_timing.CLOCK_HOST and "not a GPU timing" in text
    else:
        assert rec.clock == gpu_timing.CLOCK_EVENTS, rec.clock
        assert "time is end-to-end" in text


@pytest.mark.gpu
@pytest.mark.parametrize("name", ["cuda", "cuda-tiled"])
def test_gpu_phases_are_gpu_time_beside_end_to_end(cuda_backend, name):
    rng = np.random.default_rng(1)
    prep = prepare(rng.random((2048, 2048), np.float32), np.ones((3, 3)), padding=1)
    out, rec = backends.get(name).run(prep, repeats=5, warmup=1)
    # every sample's launches were queued behind GPU work: the phases are GPU time
    assert rec.clock == gpu_timing.CLOCK_EVENTS, rec.clock
    p = rec.phases
    assert all(p[k].min > 0 and p[k].n == 5 for k in ("h2d", "kernel", "d2h"))
    assert_close_per_output(out, prep)
    print(
        f"{name}: e2e {rec.total.median * 1e3:.3f} ms, h2d {p['h2d'].median * 1e3:.3f}, "
        f"kernel {p['kernel'].median * 1e3:.3f}, d2h {p['d2h'].median * 1e3:.3f} ms"
    )


@pytest.mark.gpu
def test_cudnn_fp32_meets_the_per_output_tolerance(cuda_backend):
    torch = pytest.importorskip("torch", reason="torch (for the cuDNN peer) is not installed")
    if not torch.cuda.is_available():
        pytest.skip("torch sees no CUDA GPU")
    from convviz.bench.peers import PEERS

    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, 256, 256)).astype(np.float32)
    w = rng.standard_normal((5, 5)).astype(np.float32)
    _, run, phases = PEERS["torch.conv2d (cuDNN, FP32)"][0](x, w)
    assert_close_per_output(run(), prepare(x, w, padding="same"))
    assert set(phases(3, 1)) == {"h2d", "kernel", "d2h"}


REAL_API_CHECK = """
import inspect
from numba import cuda, types
from numba.cuda.cudadrv import devicearray, driver
from convviz.backends import cuda_probe, gpu_timing

# what the protocol calls on a GPU, with the parameters it passes
assert "timing" in inspect.signature(cuda.event).parameters
for name in ("record", "query", "synchronize", "elapsed_time"):
    assert callable(getattr(driver.Event, name)), name
assert "stream" in inspect.signature(driver.Event.record).parameters
assert callable(cuda.default_stream) and callable(driver.Stream.synchronize)
assert "stream" in inspect.signature(devicearray.DeviceNDArray.copy_to_device).parameters
assert "stream" in inspect.signature(devicearray.DeviceNDArray.copy_to_host).parameters
assert list(inspect.signature(cuda.pinned_array).parameters)[:2] == ["shape", "dtype"]
# the spin and the probe compile for sm_90: a float32 multiply-add loop, no float64
spin, _ = cuda.compile_ptx(gpu_timing._spin_body, (types.float32[::1], types.int64), cc=(9, 0))
assert "fma.rn.f32" in spin and ".f64" not in spin and "bra" in spin
probe, _ = cuda.compile_ptx(cuda_probe._probe_body, (types.float32[::1],), cc=(9, 0))
assert ".entry" in probe and ".f64" not in probe
print("ok")
"""


def test_the_real_numba_cuda_api_and_kernels():
    """Outside the simulator (CUDA off, so no GPU is needed): the calls the protocol makes
    exist in numba-cuda, and its two kernels compile to PTX for sm_90."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, CONVVIZ_DEVICE="off")
    env.pop("NUMBA_ENABLE_CUDASIM", None)
    proc = subprocess.run(
        [sys.executable, "-c", REAL_API_CHECK], capture_output=True, text=True, env=env, timeout=300
    )
    if any(e in proc.stderr for e in ("NvvmSupportError", "libNVVM", "DynamicLibNotFoundError")):
        pytest.skip("NVVM (numba-cuda[cu12] or [cu13]) is not installed: cannot compile PTX")
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-2000:]


def test_the_window_reuses_its_buffers(cuda_backend, monkeypatch):
    """Pinned buffers are kept for the next run of the same shapes, refilled with its
    values; other shapes get new ones."""
    import numpy as np

    from convviz.core.spec import prepare

    monkeypatch.setattr(gpu_timing._Session, "buffers", None)
    a = prepare(np.ones((6, 6), np.float32), np.ones((3, 3), np.float32))
    b = prepare(np.full((6, 6), 2, np.float32), np.ones((3, 3), np.float32))
    first = gpu_timing.session_buffers(a)
    again = gpu_timing.session_buffers(b)
    assert again is first and float(again.host_in[0][0, 0, 0]) == 2.0  # refilled
    other = gpu_timing.session_buffers(prepare(np.ones((7, 6), np.float32), np.ones((3, 3))))
    assert other is not first


def test_the_gpu_is_warmed_once_a_session(gpu, monkeypatch):
    """The 0.5 s busy warm-up happens before the first timed run, not before every run;
    a caller that asks for one still gets it."""
    warmed: list[float] = []
    monkeypatch.setattr(gpu_timing._Session, "warmed", False)
    monkeypatch.setattr(gpu_timing, "keep_busy", lambda steps, s, stream=None: warmed.append(s))
    for _ in range(3):
        gpu_timing.time_steps(_steps(gpu), repeats=1, warmup=0)
    gpu_timing.time_steps(_steps(gpu), repeats=1, warmup=0, warm_s=0.2)
    assert warmed == [gpu_timing.WARM_S, 0.0, 0.0, 0.2]
