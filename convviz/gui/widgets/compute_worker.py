"""One compute worker at a time, off the GUI thread.

The GUI thread captures an immutable :class:`RunRequest` (a prepared lesson and
the backends to time), a worker thread (:mod:`convviz.gui.widgets.job_runner`) runs
the backends one after another, and the result comes back through the job's
``sigDone``, queued to the GUI thread. Progress is read by polling the backends'
control array (``[cells done, cancel]``) with a QTimer. Cancel sets its flag and frees
the window at once ("cancelling…"); the run winds down behind it. A newer request
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
from PySide6.QtCore import QCoreApplication, Signal

from convviz.core.launch import Launch
from convviz.core.spec import Prepared
from convviz.core.timing import TimingRecord
from convviz.errors import Cancelled, ConvvizError
from convviz.gui.widgets.job_runner import Job, SingleJobRunner

POLL_MS = 50
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
    launch_shapes: tuple[tuple[str, tuple[int, ...]], ...] = ()
    #: (backend, stand-in): run the stand-in when the backend refuses the problem or is
    #: unavailable, e.g. ("cuda", "cpu-parallel") for a photo the simulator cannot run
    fallbacks: tuple[tuple[str, str], ...] = ()
    #: time a simulated backend once, without warm-up (it runs every thread in Python)
    simulated_once: bool = False
    #: backends timed a second time on one core (the same kernel): the cores' share
    one_core: tuple[str, ...] = ()


@dataclass
class LaneResult:
    backend: str
    label: str = ""
    device: str = ""
    simulated: bool = False
    out: np.ndarray | None = None
    record: TimingRecord | None = None
    #: why this backend did not run: the engine's refusal (a ConvvizError), or what it raised
    error: BaseException | None = None
    requested: str = ""  # the backend asked for, when a stand-in ran instead
    requested_simulated: bool = False
    #: why the requested backend did not run (None when it did)
    fallback: BaseException | None = None
    #: the CUDA launch that ran (:class:`convviz.core.launch.Launch`; None for the CPU):
    #: grid, block, cells per thread and tile, as the views draw them
    launch: Launch | None = None
    #: the same kernel timed on one core (when the request asked for it)
    one_core: TimingRecord | None = None


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
    errors: dict[str, BaseException] = field(default_factory=dict)
    #: per backend, numba's word: loaded from its cache (True) or compiled (False)
    cached: dict[str, bool] = field(default_factory=dict)

    @property
    def from_cache(self) -> bool | None:
        """True when numba loaded every kernel from its cache, False when it compiled
        one, None when no backend could tell."""
        return all(self.cached.values()) if self.cached else None


class _Job(Job):
    """Runs one request; never touches a widget."""

    request: RunRequest

    def __init__(self, request: RunRequest, parent=None):
        super().__init__(request, parent)
        self.ctrl = np.zeros(2, np.int64)  # convviz.backends.new_control(), without the import
        self.stage = ""
        #: the kernel size being compiled ("3×3"; '' when nothing compiles) and since when
        self.compiling = ""
        self.compiling_since = 0.0
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
            except Exception as exc:  # a refusal, a bug or a driver failure: keep the app alive
                lane.error = exc
        if self.cancelled:
            self.result.cancelled = True

    def _run_lane(self, name: str, lane: LaneResult, backends) -> None:
        req = self.request
        be = backends.get(name)
        lane.label, lane.simulated = be.label, be.simulated
        stand_in = dict(req.fallbacks).get(name)
        refusal: ConvvizError | None = None
        if not be.available:
            refusal = ConvvizError(f"not available: {be.reason}")
        elif stand_in:
            try:
                be.check(req.prep)
            except ConvvizError as exc:
                refusal = exc
        if refusal is not None and stand_in:
            lane.requested, lane.requested_simulated = name, be.simulated
            lane.fallback = refusal
            be = backends.get(stand_in)
            lane.backend, lane.label, lane.simulated = stand_in, be.label, be.simulated
            self.stage = stand_in
        elif refusal is not None:
            lane.error = refusal
            return
        lane.device = be.device
        shape = dict(req.launch_shapes).get(lane.backend, req.block)
        if shape and hasattr(be, "with_block"):
            be = be.with_block(tuple(shape[:2]), *shape[2:])
        if hasattr(be, "needs_compile") and be.needs_compile(req.prep):
            # compiled apart from the run, and said: never a silent "0 / N cells"
            self.compiling_since = time.perf_counter()
            self.compiling = f"{req.prep.spec.kh}×{req.prep.spec.kw}"
            try:
                be.compile_facts(req.prep)
            finally:
                self.compiling = ""
        repeats, warmup = req.repeats, req.warmup
        if be.simulated and req.simulated_once:
            repeats, warmup = 1, 0
        lane.out, lane.record = be.run(req.prep, repeats=repeats, warmup=warmup, ctrl=self.ctrl)
        lane.launch = be.launch(req.prep)
        if lane.backend in req.one_core and not self.cancelled:
            lane.one_core = _on_one_core(be, req.prep, repeats, warmup, self.ctrl)


def _on_one_core(be, prep: Prepared, repeats: int, warmup: int, ctrl) -> TimingRecord:
    """``be``'s timing on one thread: numba's thread count is per calling thread, so only
    this worker's run is limited."""
    import numba

    before = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        return be.run(prep, repeats=repeats, warmup=warmup, ctrl=ctrl)[1]
    finally:
        numba.set_num_threads(before)


class _WarmUpJob(_Job):
    """Compiles (or loads from the cache) each backend's kernel for ``request.prep``."""

    interruptible = False  # a compile cannot be stopped: a newer run waits behind it

    def __init__(self, request: RunRequest, parent=None):
        super().__init__(request, parent)
        self.warm_up = WarmUpResult(request.backends)

    def _run(self) -> None:
        t0 = time.perf_counter()
        try:
            from convviz import backends

            for name in self.request.backends:
                if self.cancelled:  # the window is closing
                    return
                try:
                    be = backends.get(name)
                    if be.available and hasattr(be, "compile_facts"):
                        facts = be.compile_facts(self.request.prep)
                        self.warm_up.compiled[name] = facts.seconds
                        self.warm_up.cached[name] = facts.from_cache
                    elif be.available:
                        self.warm_up.compiled[name] = be.compile(self.request.prep)
                except Exception as exc:  # the run will say it again, in its lane
                    self.warm_up.errors[name] = exc
        finally:
            self.warm_up.seconds = time.perf_counter() - t0


class ComputeRunner(SingleJobRunner):
    """The lesson's and the image mode's runs, and the kernels' warm-up."""

    sigProgress = Signal(str, int, int)  # backend name, cells done, cells in all
    sigResult = Signal(object)  # RunResult of the latest request
    sigCancelled = Signal()
    #: Cancel pressed: the window is free now, the run winds down ("cancelling…")
    sigCancelling = Signal()
    sigWarmUpDone = Signal(object)  # WarmUpResult
    #: "compiling the CPU kernels for 3×3… 2.1 s" while a run's kernel compiles; '' after
    sigCompiling = Signal(str)

    POLL_MS = POLL_MS
    _said_compiling = False

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
        launch_shapes: tuple[tuple[str, tuple[int, ...]], ...] = (),
        one_core: tuple[str, ...] = (),
    ) -> int:
        """Queue a run (cancelling one in flight); returns the request id."""
        req = RunRequest(
            next(_ids),
            prep,
            tuple(backends),
            repeats,
            warmup,
            block,
            tuple(launch_shapes),
            tuple(fallbacks),
            simulated_once,
            tuple(one_core),
        )
        self._submit(req)
        return req.id

    def cancel(self) -> None:
        """Cancel what runs and what waits; its result will not be shown. The window is
        free at once (``sigCancelling``); ``sigCancelled`` follows when the run has
        wound down (the simulator stops only between threads)."""
        waiting = self._pending is not None
        self._pending = None
        self._latest = 0
        if self._job is not None and not self.warming_up:
            self._let_go()
            self.sigCancelling.emit()
        elif waiting:
            self.sigBusyChanged.emit(False)
            self.sigCancelled.emit()

    def _drained(self, job) -> None:
        if not self._start_pending():
            self.sigCancelled.emit()

    def _new_job(self, request: RunRequest) -> _Job:
        return _Job(request, self)

    def _on_poll(self) -> None:
        job = self._job
        if isinstance(job, _Job) and job.compiling:
            self._said_compiling = True
            text = QCoreApplication.translate(
                "ComputeRunner", "compiling the CPU kernels for {0}… {1} s"
            )
            secs = f"{time.perf_counter() - job.compiling_since:.1f}"
            self.sigCompiling.emit(text.format(job.compiling, secs))
            return
        if self._said_compiling:
            self._said_compiling = False
            self.sigCompiling.emit("")
        if isinstance(job, _Job) and job.stage:
            self.sigProgress.emit(job.stage, int(job.ctrl[0]), job.request.prep.spec.cells)

    def _job_finished(self, job: _Job) -> None:
        res = job.result
        warm_up = isinstance(job, _WarmUpJob)
        if isinstance(job, _WarmUpJob):
            self.sigWarmUpDone.emit(job.warm_up)
        if self._start_pending() or warm_up:
            return  # a warm-up never said busy: the lanes stayed free
        self.sigBusyChanged.emit(False)
        if res.cancelled or job.request.id != self._latest:
            self.sigCancelled.emit()
        else:
            self.sigResult.emit(res)
