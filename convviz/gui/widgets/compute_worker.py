"""One compute worker at a time, off the GUI thread.

The GUI thread captures an immutable :class:`RunRequest` (a prepared lesson and
the backends to time), a QThread runs the backends one after another, and the
result comes back through QThread's own ``finished`` signal, queued to the GUI
thread. Progress is read by polling the backends' control array
(``[cells done, cancel]``) with a QTimer; Cancel sets its flag. A newer request
cancels the running one; results of anything but the latest request are dropped.

Warm-up: after the window is shown, :meth:`ComputeRunner.warm_up` compiles the
backends' kernels (or loads them from numba's on-disk cache) in the same single
worker, so that no JIT compile ever happens on the GUI thread and the first
"Run in parallel" does not silently wait for it. A run submitted meanwhile waits
behind the warm-up (a compile cannot be interrupted) and starts when it ends.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QThread, Signal

from convviz.core.spec import Prepared
from convviz.core.timing import TimingRecord
from convviz.errors import Cancelled, ConvvizError
from convviz.gui.widgets.job_runner import SingleJobRunner

POLL_MS = 50
#: a warm-up this fast loaded the kernels from numba's cache (a cold compile of the CPU
#: loops takes several seconds)
CACHED_S = 1.0
_ids = itertools.count(1)


@dataclass(frozen=True)
class RunRequest:
    id: int
    prep: Prepared
    backends: tuple[str, ...]  # e.g. ("cpu", "cuda")
    repeats: int = 5
    warmup: int = 1
    block: tuple[int, int] | None = None  # CUDA block for backends whose run() takes one
    #: (backend, shape) where one backend launches another shape than ``block``:
    #: (bx, by) or (bx, by, rows per thread), e.g. ("cuda-tiled", (4, 2, 2)) for lessons
    blocks: tuple[tuple[str, tuple[int, ...]], ...] = ()
    #: (backend, stand-in): run the stand-in when the backend refuses the problem or is
    #: unavailable, e.g. ("cuda", "cpu-parallel") for a photo the simulator cannot run
    fallbacks: tuple[tuple[str, str], ...] = ()
    #: time a simulated backend once, without warm-up (it runs every thread in Python)
    simulated_once: bool = False


@dataclass
class LaneResult:
    backend: str
    label: str = ""
    device: str = ""
    simulated: bool = False
    out: np.ndarray | None = None
    record: TimingRecord | None = None
    error: str = ""  # the engine's message when this backend refused or is unavailable
    requested: str = ""  # the backend asked for, when a stand-in ran instead
    requested_simulated: bool = False
    fallback: str = ""  # why the requested backend did not run ('' when it did)
    #: the CUDA launch that ran (:class:`convviz.core.launch.Launch`; None for the CPU):
    #: grid, block, cells per thread and tile, as the views draw them
    launch: object | None = None


@dataclass
class RunResult:
    request: RunRequest
    lanes: dict[str, LaneResult] = field(default_factory=dict)
    cancelled: bool = False


@dataclass
class WarmUpResult:
    """What a warm-up did: seconds per backend compiled, and the wall time of it all."""

    backends: tuple[str, ...]
    seconds: float = 0.0
    compiled: dict[str, float | None] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def from_cache(self) -> bool:
        return self.seconds < CACHED_S


class _Job(QThread):
    """Runs one request; never touches a widget."""

    interruptible = True

    sigDone = Signal(object)  # itself, emitted from the worker thread as run() ends

    def __init__(self, request: RunRequest, parent=None):
        super().__init__(parent)
        self.request = request
        self.ctrl = np.zeros(2, np.int64)  # convviz.backends.new_control(), without the import
        self.stage = ""
        self.result = RunResult(request)

    def cancel(self) -> None:
        self.ctrl[1] = 1

    @property
    def cancelled(self) -> bool:
        return bool(self.ctrl[1])

    def run(self) -> None:  # in the worker thread
        try:
            self._run()
        finally:
            self.sigDone.emit(self)

    def _run(self) -> None:
        from convviz import backends

        for name in self.request.backends:
            if self.cancelled:
                self.result.cancelled = True
                return
            self.stage = name
            self.ctrl[0] = 0
            lane = LaneResult(name)
            self.result.lanes[name] = lane
            try:
                self._run_lane(name, lane, backends)
            except Cancelled:
                self.result.cancelled = True
                return
            except ConvvizError as exc:
                lane.error = str(exc)
            except Exception as exc:  # a bug or a driver failure: say it, keep the app alive
                lane.error = f"{type(exc).__name__}: {exc}"
        if self.cancelled:
            self.result.cancelled = True

    def _run_lane(self, name: str, lane: LaneResult, backends) -> None:
        req = self.request
        be = backends.get(name)
        lane.label, lane.simulated = be.label, be.simulated
        stand_in = dict(req.fallbacks).get(name)
        refusal = ""
        if not be.available:
            refusal = f"not available: {be.reason}"
        elif stand_in:
            try:
                be.check(req.prep)
            except ConvvizError as exc:
                refusal = str(exc)
        if refusal and stand_in:
            lane.requested, lane.requested_simulated = name, be.simulated
            lane.fallback = refusal
            be = backends.get(stand_in)
            lane.backend, lane.label, lane.simulated = stand_in, be.label, be.simulated
            self.stage = stand_in
        elif refusal:
            lane.error = refusal
            return
        lane.device = be.device
        shape = dict(req.blocks).get(lane.backend, req.block)
        if shape and hasattr(be, "with_block"):
            be = be.with_block(tuple(shape[:2]), *shape[2:])
        repeats, warmup = req.repeats, req.warmup
        if be.simulated and req.simulated_once:
            repeats, warmup = 1, 0
        lane.out, lane.record = be.run(req.prep, repeats=repeats, warmup=warmup, ctrl=self.ctrl)
        lane.launch = be.launch(req.prep)


class _WarmUpJob(_Job):
    """Compiles (or loads from the cache) each backend's kernel for ``request.prep``."""

    interruptible = False  # a compile cannot be stopped: a newer run waits behind it

    def __init__(self, request: RunRequest, parent=None):
        super().__init__(request, parent)
        self.result = WarmUpResult(request.backends)

    def _run(self) -> None:
        t0 = time.perf_counter()
        try:
            from convviz import backends

            for name in self.request.backends:
                if self.cancelled:  # the window is closing
                    return
                try:
                    be = backends.get(name)
                    if be.available:
                        self.result.compiled[name] = be.compile(self.request.prep)
                except Exception as exc:  # the run will say it again, in its lane
                    self.result.errors[name] = f"{type(exc).__name__}: {exc}"
        finally:
            self.result.seconds = time.perf_counter() - t0


class ComputeRunner(SingleJobRunner):
    """The lesson's and the image mode's runs, and the kernels' warm-up."""

    sigProgress = Signal(str, int, int)  # backend name, cells done, cells in all
    sigResult = Signal(object)  # RunResult of the latest request
    sigCancelled = Signal()
    sigWarmUpDone = Signal(object)  # WarmUpResult

    POLL_MS = POLL_MS
    #: a warm-up stops only after the kernel it is compiling
    SHUTDOWN_MS = 60_000

    @property
    def warming_up(self) -> bool:
        return isinstance(self._job, _WarmUpJob)

    def warm_up(self, prep: Prepared, backends: tuple[str, ...]) -> bool:
        """Compile these backends' kernels for ``prep`` in the worker; False (and nothing
        done) while another job runs, which compiles what it needs itself. Emits
        ``sigWarmUpDone`` when finished; runs submitted meanwhile wait for it."""
        if self._job is not None:
            return False
        # not polled, and the lanes are not said busy: they stay free
        self._launch(_WarmUpJob(RunRequest(next(_ids), prep, tuple(backends)), self))
        return True

    def submit(
        self,
        prep: Prepared,
        backends: tuple[str, ...],
        repeats: int = 5,
        warmup: int = 1,
        block: tuple[int, int] | None = None,
        fallbacks: tuple[tuple[str, str], ...] = (),
        simulated_once: bool = False,
        blocks: tuple[tuple[str, tuple[int, ...]], ...] = (),
    ) -> int:
        """Queue a run (cancelling one in flight); returns the request id."""
        req = RunRequest(
            next(_ids),
            prep,
            tuple(backends),
            repeats,
            warmup,
            block,
            tuple(blocks),
            tuple(fallbacks),
            simulated_once,
        )
        self._submit(req)
        return req.id

    def cancel(self) -> None:
        """Cancel what runs and what waits; its result will not be shown."""
        self._pending = None
        self._latest = 0
        if self._job is not None and not self.warming_up:
            self._job.cancel()

    def _new_job(self, request: RunRequest) -> _Job:
        return _Job(request, self)

    def _on_poll(self) -> None:
        job = self._job
        if job is not None and job.stage:
            self.sigProgress.emit(job.stage, int(job.ctrl[0]), job.request.prep.spec.cells)

    def _job_finished(self, job: _Job) -> None:
        res = job.result
        warm_up = isinstance(job, _WarmUpJob)
        if warm_up:
            self.sigWarmUpDone.emit(res)
        if self._start_pending() or warm_up:
            return  # a warm-up never said busy: the lanes stayed free
        self.sigBusyChanged.emit(False)
        if res.cancelled or job.request.id != self._latest:
            self.sigCancelled.emit()
        else:
            self.sigResult.emit(res)
