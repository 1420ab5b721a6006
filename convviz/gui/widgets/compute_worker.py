"""One compute worker at a time, off the GUI thread.

The GUI thread captures an immutable :class:`RunRequest` (a prepared lesson and
the backends to time), a worker thread (:mod:`convviz.gui.widgets.job_runner`) runs
the backends one after another, and the result comes back through the job's
``sigDone``, queued to the GUI thread. Progress is read by polling the backends'
control array (``[cells done, cancel]``) with a QTimer. Cancel sets its flag and frees
the window at once ("cancelling…"); the run winds down behind it. A newer request
cancels the running one; results of anything but the latest request are dropped.

Warm-up: after the window is painted, :meth:`ComputeRunner.warm_up` compiles the
backends' kernels (or loads them from numba's on-disk cache) in the same single
worker, so that no JIT compile ever happens on the GUI thread and the first
"Run in parallel" does not silently wait for it. A run submitted meanwhile waits
behind the warm-up (a compile cannot be interrupted) and starts when it ends.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Signal

from convviz.errors import Cancelled
from convviz.gui.widgets.job_runner import Job, SingleJobRunner

if TYPE_CHECKING:  # the engine and the backends load with the first job, after the window shows
    from convviz import engine
    from convviz.backends import Control
    from convviz.core.spec import Prepared
    from convviz.engine import LaneResult

__all__ = ["ComputeRunner", "LaneResult", "RunRequest", "RunResult", "WarmUpResult"]


def __getattr__(name: str) -> Any:
    """``LaneResult``, as this module has always offered it: loaded when asked for."""
    if name == "LaneResult":
        from convviz.engine import LaneResult

        return LaneResult
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    #: parallel backends timed on one core and on all (the same code, in interleaved
    #: rounds): the cores' share
    one_core: tuple[str, ...] = ()


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
        from convviz.backends import new_control  # (the GUI thread makes a job)

        self.ctrl: Control = new_control()
        self.result = RunResult(request)

    def cancel(self) -> None:
        self.ctrl.cancel()

    @property
    def cancelled(self) -> bool:
        return self.ctrl.cancelled

    def run(self) -> None:  # in the worker thread
        try:
            self._run()
        finally:
            self.sigDone.emit(self)

    def _run(self) -> None:
        from convviz import engine

        for name in self.request.backends:
            if self.cancelled:
                self.result.cancelled = True
                return
            self.ctrl.stage = name
            self.ctrl.restart()
            try:
                lane = engine.run(self._engine_request(name), self.ctrl)
            except Cancelled:
                self.result.cancelled = True
                return
            except Exception as exc:  # a refusal, a bug or a driver failure: keep the app alive
                lane = engine.LaneResult(name, error=exc)
            self.result.lanes[name] = lane
        if self.cancelled:
            self.result.cancelled = True

    def _engine_request(self, name: str) -> engine.Request:
        from convviz import engine

        req = self.request
        stand_in = dict(req.fallbacks).get(name, "")
        shape = dict(req.launch_shapes).get(name)
        return engine.Request(
            req.prep,
            name,
            repeats=req.repeats,
            warmup=req.warmup,
            fallback=stand_in,
            block=tuple(shape) if shape else req.block,
            # the cores' share, for the backend asked for or its stand-in (a parallel
            # backend only: the engine ignores it for the others)
            threads=(1, engine.all_cores()) if {name, stand_in} & set(req.one_core) else (),
            simulated_once=req.simulated_once,
        )


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
                    facts = be.compile_facts(self.request.prep) if be.available else None
                    if facts is not None:
                        self.warm_up.compiled[name] = facts.seconds
                        if be.kind == "cpu":  # numba's cache counters say; the GPU's cannot
                            self.warm_up.cached[name] = facts.from_cache
                    elif be.available:
                        self.warm_up.compiled[name] = None
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
        ctrl = job.ctrl if isinstance(job, _Job) else None
        if ctrl is not None and ctrl.compiling:
            self._said_compiling = True
            if ctrl.compiling_kind == "gpu":
                text = QCoreApplication.translate(
                    "ComputeRunner", "compiling the CUDA kernel for {0}… {1} s"
                )
            else:
                text = QCoreApplication.translate(
                    "ComputeRunner", "compiling the CPU kernels for {0}… {1} s"
                )
            secs = f"{time.perf_counter() - ctrl.compiling_since:.1f}"
            self.sigCompiling.emit(text.format(ctrl.compiling, secs))
            return
        if self._said_compiling:
            self._said_compiling = False
            self.sigCompiling.emit("")
        if isinstance(job, _Job) and job.ctrl.stage:
            self.sigProgress.emit(job.ctrl.stage, job.ctrl.done, job.request.prep.spec.cells)

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
