"""The benchmark sweep, off the GUI thread.

The GUI thread captures an immutable :class:`SweepRequest` (the kernel, the sizes,
the backends); one worker thread runs :func:`convviz.bench.run_benchmark` on it. The
worker only writes plain attributes (rows so far, points done, the current
step) and a control array; a QTimer on the GUI thread polls them, as the lesson's
compute worker does. Cancel sets the control array's flag, which the CPU loops
and the benchmark's ``cancel()`` both read. A newer request cancels the running
one, and only the latest request's rows are ever reported.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import Signal

from convviz.backends.base import new_control
from convviz.errors import Cancelled
from convviz.gui.widgets.job_runner import Job, SingleJobRunner

POLL_MS = 100
_ids = itertools.count(1)


@dataclass(frozen=True)
class SweepRequest:
    id: int
    weights: np.ndarray  # 2-D float32, read-only: the kernel as it was when Run was pressed
    sizes: tuple[int, ...]
    backends: tuple[str, ...]
    repeats: int = 3
    warmup: int = 1

    @property
    def total(self) -> int:
        return len(self.sizes) * len(self.backends)


@dataclass
class SweepState:
    """What the view is told: the latest request's rows so far and how it ended."""

    request: SweepRequest
    rows: list[dict]
    done: int
    text: str
    finished: bool = False
    completed: bool = False  # every point measured
    cancelled: bool = False
    error: BaseException | None = None  # what ended the sweep, when it failed
    doc: dict | None = None  # the whole convviz-bench/1 document, when completed


class _SweepJob(Job):
    """Runs one request; never touches a widget."""

    request: SweepRequest

    def __init__(self, request: SweepRequest, parent=None):
        super().__init__(request, parent)
        self.ctrl = new_control()  # progress and cancel, as the backends read them
        self.rows: list[dict] = []
        self.done = 0
        self.text = ""
        self.doc: dict | None = None
        self.error: BaseException | None = None
        self.was_cancelled = False

    def cancel(self) -> None:
        self.ctrl.cancel()

    def _progress(self, done: int, total: int, text: str) -> None:
        self.done, self.text = done, text

    def run(self) -> None:  # in the worker thread
        from convviz import bench

        req = self.request
        try:
            cfg = {
                "sizes": list(req.sizes),
                "backends": list(req.backends),
                "repeats": req.repeats,
                "warmup": req.warmup,
                "peers": False,
            }
            self.doc = bench.run_benchmark(
                cfg,
                progress=self._progress,
                cancel=lambda: self.ctrl.cancelled,
                weights=req.weights,
                ctrl=self.ctrl,
                on_row=self.rows.append,
            )
        except Cancelled:
            self.was_cancelled = True
        except Exception as exc:  # a refusal, a bug or a driver failure: keep the app alive
            self.error = exc
        finally:
            self.sigDone.emit(self)


class SweepRunner(SingleJobRunner):
    """The benchmark window's sweeps."""

    sigState = Signal(object)  # SweepState of the latest request (progress, rows, the end)

    POLL_MS = POLL_MS

    def __init__(self, parent=None):
        super().__init__(parent)
        self._seen = (-1, -1)  # (points done, rows) last reported

    def submit(
        self, weights: np.ndarray, sizes, backends, repeats: int = 3, warmup: int = 1
    ) -> SweepRequest:
        """Queue a sweep (cancelling one in flight); returns its request."""
        w = np.array(weights, np.float32, copy=True)
        w.setflags(write=False)
        req = SweepRequest(next(_ids), w, tuple(sizes), tuple(backends), repeats, warmup)
        self._submit(req)
        return req

    def cancel(self) -> None:
        """Stop what runs and drop what waits; rows measured so far are still reported."""
        self._pending = None
        if self._job is not None:
            self._job.cancel()

    def _new_job(self, request: SweepRequest) -> _SweepJob:
        return _SweepJob(request, self)

    def _start(self, request: SweepRequest) -> None:
        self._seen = (-1, -1)
        super()._start(request)

    def _state(self, job: _SweepJob, finished: bool = False) -> SweepState:
        return SweepState(job.request, list(job.rows), job.done, job.text, finished)

    def _on_poll(self) -> None:
        job = self._job
        if not isinstance(job, _SweepJob) or job.request.id != self._latest:
            return
        seen = (job.done, len(job.rows))
        if seen != self._seen:
            self._seen = seen
            self.sigState.emit(self._state(job))

    def _job_finished(self, job: _SweepJob) -> None:
        latest = job.request.id == self._latest
        if not self._start_pending():
            self.sigBusyChanged.emit(False)
        if latest:
            st = self._state(job, finished=True)
            st.cancelled, st.error, st.doc = job.was_cancelled, job.error, job.doc
            st.completed = job.doc is not None
            self.sigState.emit(st)
