"""The one GPU timing protocol: what the GPU spends, not what Python spends.

Used by the CUDA backends (their ``run``), by ``convviz bench`` (through them and the
GPU peers) and by ``scripts/gpu_bench.py``:

1. Nothing but the measured work is inside the clock: device buffers and pinned
   (page-locked) host buffers are allocated and the kernel compiled beforehand.
2. Each sample first queues a one-thread *spin* kernel on the launch stream, then an
   event, then each step (copy in, kernel, copy out) followed by an event, all on that
   stream. While the GPU spins, the host runs Python's launch path; the GPU reaches the
   first event only when the spin ends, by which time every step is queued, so each
   pair of events spans GPU work alone. If the first event had already been reached
   when the last step was queued (the spin was too short, or a call synchronised the
   host) the sample is discarded and the spin doubled; after ``MAX_TRIES`` the sample
   is kept and the result says the launches were not all queued.
3. Before the samples the GPU is kept busy with the same steps for ``warm_s`` (0.5 s),
   so that its clocks are up before any bandwidth figure: once per session (the app's
   process, or one ``convviz bench``), not once per run; a caller may ask again.
4. Medians of ``repeats`` samples, with min and max.
5. A convolution's pinned host buffers and their device twins are allocated once and
   kept for the next run of the same shapes (the window's runs reuse them).
6. End-to-end time, what a user waits for (allocation, pageable copies, launch, copy
   back), is measured apart by the caller and reported beside these phases, never
   instead of them.

On Numba's CUDA simulator events report -1 and there is no device: each step is timed
on the host clock with a synchronise after it, labelled "simulated — not a GPU timing".
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from convviz.backends.cuda_toolchain import cuda as numba_cuda
from convviz.backends.cuda_toolchain import float32
from convviz.core.spec import Prepared
from convviz.core.timing import Stats

#: numba-cuda's API, or the simulator's (chosen before numba was imported)
cuda: Any = numba_cuda

#: seconds the GPU is kept busy before the samples (clocks up before bandwidth figures)
WARM_S = 0.5
#: spin-kernel iterations a sample starts queued behind (about 50 µs on a recent GPU),
#: doubled when that does not cover the host's launch path, up to SPIN_MAX
SPIN_START = 1 << 14
SPIN_MAX = 1 << 26
MAX_TRIES = 8

CLOCK_EVENTS = "CUDA events on the launch stream, each launch queued behind GPU work"
CLOCK_UNQUEUED = (
    "CUDA events, but a call synchronised the host before its launch was queued: "
    "host time may be inside the phases"
)
CLOCK_HOST = "host clock (simulated — not a GPU timing)"

#: a named step: a callable that queues GPU work on the launch stream and returns
Step = tuple[str, Callable[[], object]]


@dataclass(frozen=True)
class PhaseTimes:
    phases: dict[str, Stats]  # step name -> seconds (median, min, max)
    clock: str  # one of CLOCK_EVENTS, CLOCK_UNQUEUED, CLOCK_HOST
    queued: bool  # every sample's steps were queued behind GPU work
    spin: int  # spin iterations the samples were queued behind (0 on the host clock)


_last: list[PhaseTimes] = []


class _Session:
    """What lasts from one timed run to the next in this process: whether the GPU was
    warmed, and the latest convolution's buffers (with the shapes they fit)."""

    warmed = False
    buffers: ConvBuffers | None = None
    shapes: tuple[object, ...] = ()


def last_times() -> PhaseTimes:
    """What the latest :func:`time_steps` measured (for callers that passed it through
    an interface that keeps only medians)."""
    if not _last:
        raise RuntimeError("nothing has been timed yet")
    return _last[-1]


def _spin_body(buf: Any, n: Any) -> None:
    """One thread, ``n`` dependent multiply-adds: the GPU busy while the host queues work."""
    acc = buf[0]
    for _ in range(n):
        acc = acc * float32(0.5) + float32(1.0)
    buf[0] = acc


_spin_kernel = cuda.jit(_spin_body)


class _Spin:
    """The spin length that has covered the host's launch path so far, and its buffer."""

    n = SPIN_START
    buf: Any = None

    @classmethod
    def launch(cls, stream: Any, n: int) -> None:
        if cls.buf is None:
            cls.buf = cuda.to_device(np.zeros(1, np.float32))
        _spin_kernel[1, 1, stream](cls.buf, n)


def launch_stream() -> Any:
    """The stream kernels launched without one (``kern[grid, block]``) run on."""
    return cuda.default_stream()


def keep_busy(steps: Sequence[Step], seconds: float = WARM_S, stream: Any = None) -> None:
    """Keep the GPU busy with ``steps`` (each behind a spin) for ``seconds`` of wall time.

    At most two rounds are queued ahead of the GPU, so it never idles and the queue
    never grows; returns when the last round has finished.
    """
    if seconds <= 0:
        return
    stream = launch_stream() if stream is None else stream
    marks = [cuda.event(timing=False), cuda.event(timing=False)]
    end = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < end:
        mark = marks[i % 2]
        if i >= 2:
            mark.synchronize()
        _Spin.launch(stream, _Spin.n)
        for _, fn in steps:
            fn()
        mark.record(stream)
        i += 1
    stream.synchronize()


def _event_sample(
    steps: Sequence[Step], stream: Any, events: list[Any], n: int
) -> tuple[list[float], bool]:
    """One sample: spin, event, (step, event)…; seconds per step and whether all queued."""
    _Spin.launch(stream, n)
    events[0].record(stream)
    for i, (_, fn) in enumerate(steps):
        fn()
        events[i + 1].record(stream)
    queued = not events[0].query()  # the GPU had not yet reached the first event
    events[-1].synchronize()
    secs = [events[i].elapsed_time(events[i + 1]) * 1e-3 for i in range(len(steps))]
    return secs, queued


def _queued_sample(
    steps: Sequence[Step], stream: Any, events: list[Any], tries: int
) -> tuple[list[float], bool]:
    n = _Spin.n
    for _ in range(tries):
        secs, queued = _event_sample(steps, stream, events, n)
        if queued:
            _Spin.n = max(_Spin.n, n)
            return secs, True
        if n >= SPIN_MAX:
            break
        n = min(SPIN_MAX, 2 * n)
    return secs, False


def _host_sample(steps: Sequence[Step]) -> list[float]:
    secs = []
    for _, fn in steps:
        t0 = time.perf_counter_ns()
        fn()
        cuda.synchronize()
        secs.append((time.perf_counter_ns() - t0) * 1e-9)
    return secs


def time_steps(
    steps: Sequence[Step],
    *,
    repeats: int,
    warmup: int = 1,
    warm_s: float | None = None,
    simulated: bool = False,
) -> PhaseTimes:
    """Time each named step by the protocol above: medians of ``repeats`` samples.
    ``warm_s`` None: WARM_S the first time in this session, then nothing."""
    if repeats < 1:
        raise ValueError("repeats must be >= 1")
    names = [name for name, _ in steps]
    for _ in range(max(0, warmup)):  # untimed: lazy compiles, first touches, caches
        for _, fn in steps:
            fn()
        cuda.synchronize()
    if simulated:
        host = [_host_sample(steps) for _ in range(repeats)]
        _last[:] = [PhaseTimes(_stats(names, host), CLOCK_HOST, False, 0)]
        return _last[0]
    stream = launch_stream()
    events = [cuda.event() for _ in range(len(steps) + 1)]
    # find a spin that covers the launch path; if none does, a step synchronises the
    # host and retrying each sample would not help
    _, queueable = _queued_sample(steps, stream, events, MAX_TRIES)
    if warm_s is None:
        warm_s = 0.0 if _Session.warmed else WARM_S
    keep_busy(steps, warm_s, stream)
    _Session.warmed = _Session.warmed or warm_s > 0
    samples, all_queued = [], True
    for _ in range(repeats):
        secs, queued = _queued_sample(steps, stream, events, MAX_TRIES if queueable else 1)
        samples.append(secs)
        all_queued = all_queued and queued
    clock = CLOCK_EVENTS if all_queued else CLOCK_UNQUEUED
    _last[:] = [PhaseTimes(_stats(names, samples), clock, all_queued, _Spin.n)]
    return _last[0]


def _stats(names: list[str], samples: list[list[float]]) -> dict[str, Stats]:
    return {name: Stats.of([s[i] for s in samples]) for i, name in enumerate(names)}


@dataclass
class ConvBuffers:
    """A convolution's buffers, allocated before any clock starts: pinned host copies of
    x, w and b and a pinned output on the host; their device twins."""

    host_in: list[np.ndarray]
    host_out: np.ndarray
    dev_in: list[Any]
    dev_out: Any

    @classmethod
    def allocate(cls, prep: Prepared) -> ConvBuffers:
        host_in = []
        for a in (prep.x, prep.w, prep.b):
            pinned = cuda.pinned_array(a.shape, a.dtype)
            pinned[...] = a
            host_in.append(pinned)
        shape = prep.spec.out_shape
        return cls(
            host_in,
            cuda.pinned_array(shape, np.float32),
            [cuda.device_array(a.shape, a.dtype) for a in host_in],
            cuda.device_array(shape, np.float32),
        )

    def steps(self, launch: Callable[[], object], stream: Any = None) -> list[Step]:
        """h2d (the three inputs), kernel (``launch``), d2h (the output), on ``stream``."""
        stream = launch_stream() if stream is None else stream

        def h2d() -> None:
            for dev, host in zip(self.dev_in, self.host_in):
                dev.copy_to_device(host, stream=stream)

        def d2h() -> None:
            self.dev_out.copy_to_host(self.host_out, stream=stream)

        return [("h2d", h2d), ("kernel", launch), ("d2h", d2h)]


def session_buffers(prep: Prepared) -> ConvBuffers:
    """This convolution's buffers: the previous run's when the shapes match (its pinned
    inputs refilled with this problem's values), else newly allocated (the old freed)."""
    shapes = (prep.x.shape, prep.w.shape, prep.b.shape, prep.spec.out_shape)
    bufs = _Session.buffers
    if bufs is None or _Session.shapes != shapes:
        _Session.buffers = None  # let the old pinned memory go before the new is taken
        bufs = _Session.buffers = ConvBuffers.allocate(prep)
        _Session.shapes = shapes
        return bufs
    for pinned, a in zip(bufs.host_in, (prep.x, prep.w, prep.b)):
        pinned[...] = a
    return bufs


#: launches a convolution kernel on device arrays (dx, dw, db, dout)
Launcher = Callable[[Any, Any, Any, Any], object]


def end_to_end(prep: Prepared, launch: Launcher) -> np.ndarray:
    """What a user waits for: device buffers allocated, the (pageable) inputs copied,
    the kernel launched, the output copied back to a new array; no events, no spin."""
    dx, dw, db = (cuda.to_device(a) for a in (prep.x, prep.w, prep.b))
    dout = cuda.device_array(prep.spec.out_shape, np.float32)
    launch(dx, dw, db, dout)
    out: np.ndarray = dout.copy_to_host()
    return out


def by_host_clock(prep: Prepared, launch: Launcher) -> tuple[np.ndarray, dict[str, float]]:
    """One run on the simulator (whose events report -1), its phases on the host clock."""
    t0 = time.perf_counter_ns()
    dx, dw, db = (cuda.to_device(a) for a in (prep.x, prep.w, prep.b))
    dout = cuda.device_array(prep.spec.out_shape, np.float32)
    t1 = time.perf_counter_ns()
    launch(dx, dw, db, dout)
    cuda.synchronize()
    t2 = time.perf_counter_ns()
    out: np.ndarray = dout.copy_to_host()
    t3 = time.perf_counter_ns()
    return out, {"h2d": (t1 - t0) * 1e-9, "kernel": (t2 - t1) * 1e-9, "d2h": (t3 - t2) * 1e-9}


def by_events(prep: Prepared, launch: Launcher, *, repeats: int, warmup: int) -> PhaseTimes:
    """h2d, kernel and d2h of one convolution by the protocol, on buffers allocated first."""
    bufs = session_buffers(prep)
    dx, dw, db = bufs.dev_in

    def kernel() -> None:
        launch(dx, dw, db, bufs.dev_out)

    return time_steps(bufs.steps(kernel), repeats=repeats, warmup=warmup)
