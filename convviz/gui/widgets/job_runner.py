"""One background job at a time, the latest request winning: what the compute worker
(:mod:`convviz.gui.widgets.compute_worker`), the benchmark sweep
(:mod:`convviz.gui.bench.worker`) and the image mode's decoding, drawing and saving
(:class:`CallRunner`) share.

A job has a ``request`` (whose ``id`` tells the latest one), a ``cancel()`` that sets a
flag the work reads, and a ``sigDone(job)`` signal emitted from its worker thread as
``run()`` ends; it never touches a widget. Its thread is a daemon thread: closing the
window waits a moment for work that stops when asked, and abandons work that cannot
(a kernel compile, the CUDA simulator), so the window never waits for it; once the
window is gone, the app's launch lets such work end (:func:`wait_for_abandoned`). A job whose
``interruptible`` is False (a compile) is not cancelled by a newer request: that one
waits behind it. The runner polls the running job with a QTimer on the GUI thread and
hands each finished job to :meth:`SingleJobRunner._job_finished`.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal


class Job(QObject):
    """One request run off the GUI thread; never touches a widget.

    ``run()`` (the subclass's) runs in a daemon thread: work that cannot be interrupted
    (a compile, the CUDA simulator between two checks of the flag) can be abandoned when
    the window closes, never waited for, and it does not keep the process alive.
    ``start``, ``isRunning`` and ``wait`` read as QThread's do."""

    #: False for work that cannot stop (a compile): a newer request waits behind it
    interruptible = True

    sigDone = Signal(object)  # itself, emitted from the worker thread as run() ends

    def __init__(self, request: Any, parent: QObject | None = None):
        super().__init__(parent)
        self.request = request
        self._thread: threading.Thread | None = None
        #: nobody waits for this job any more (the window closed): its result is dropped
        self.abandoned = False

    def cancel(self) -> None:
        """Ask the work to stop (it reads a flag)."""
        raise NotImplementedError

    def run(self) -> None:
        """The work, in the worker thread; emits ``sigDone(self)`` as it ends."""
        raise NotImplementedError

    def start(self) -> None:
        name = f"convviz-{type(self).__name__}"
        self._thread = threading.Thread(target=self._main, name=name, daemon=True)
        self._thread.start()

    def _main(self) -> None:
        try:
            self.run()
        except RuntimeError:
            if shiboken6.isValid(self):
                raise
            # the runner and this object went with a closed window while the work ran:
            # nobody is left to tell

    def isRunning(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, ms: int | None = None) -> bool:
        """Wait for the work to end (at most ``ms`` milliseconds); True when it has."""
        if self._thread is not None:
            self._thread.join(None if ms is None else max(ms, 0) / 1000)
        return not self.isRunning()


class SingleJobRunner(QObject):
    """The plumbing: at most one job running and one request waiting.

    Subclasses set ``POLL_MS`` and implement :meth:`_new_job`, :meth:`_on_poll` and
    :meth:`_job_finished`. A job can be *let go* (:meth:`_let_go`): cancelled and no
    longer waited for, so the window is free at once; it winds down as a "draining"
    job, and a new request waits behind it.
    """

    sigBusyChanged = Signal(bool)

    POLL_MS = 50
    #: closing the window waits this long for the job in flight to stop, then abandons it
    SHUTDOWN_MS = 250

    def __init__(self, parent=None):
        super().__init__(parent)
        self._job: Job | None = None
        self._draining: Job | None = None  # let go: cancelled, its result will be dropped
        self._pending = None  # the request waiting for the job in flight to end
        self._latest = 0  # id of the request whose result is wanted (0: none)
        self._poll = QTimer(self)
        self._poll.setInterval(self.POLL_MS)
        self._poll.timeout.connect(self._on_poll)

    @property
    def busy(self) -> bool:
        """A job in flight, or a request waiting for one that winds down."""
        return self._job is not None or self._pending is not None

    def shutdown(self, timeout_ms: int | None = None) -> None:
        """Cancel (window closing): a job that stops within ``SHUTDOWN_MS`` is waited for,
        one that cannot stop (a compile) is abandoned; no result is reported."""
        self._pending = None
        self._latest = 0
        job, draining = self._job, self._draining
        for j in (job, draining):
            if j is not None:
                j.cancel()
        if job is not None:
            stopped = job.wait(self.SHUTDOWN_MS if timeout_ms is None else timeout_ms)
            if not stopped:
                _abandon(job)
            self._finish(job, wait=False)
        if draining is not None:
            self._draining = None
            _abandon(draining)

    # -- for subclasses -----------------------------------------------------------------
    def _new_job(self, request) -> Job:
        """The job that runs ``request`` (parented to this runner)."""
        raise NotImplementedError

    def _on_poll(self) -> None:
        """Read the running job's progress (GUI thread, every ``POLL_MS``)."""

    def _job_finished(self, job) -> None:
        """``job`` ended and is cleaned up: start what waits (:meth:`_start_pending`),
        say not busy, report the result."""
        raise NotImplementedError

    def _submit(self, request) -> None:
        """Run ``request`` now, or after the job in flight, which is cancelled unless it
        cannot be interrupted; a request already waiting is dropped."""
        self._latest = request.id
        if self._job is None and self._draining is None:
            self._start(request)
            return
        if self._job is not None and self._job.interruptible:
            self._job.cancel()
        waiting = self._pending is not None
        self._pending = request
        if self._job is None and not waiting:  # behind a job winding down: busy from now
            self.sigBusyChanged.emit(True)

    def _let_go(self) -> Job | None:
        """Cancel the job in flight and stop waiting for it: not busy from now, its result
        dropped when it ends (a request made meanwhile waits for that). Returns it."""
        job = self._job
        if job is None:
            return None
        job.cancel()
        self._job, self._draining = None, job
        self._poll.stop()
        self.sigBusyChanged.emit(False)
        return job

    def _drained(self, job) -> None:
        """A job let go has ended (its result dropped): start what waits."""
        self._start_pending()

    def _launch(self, job) -> None:
        """Start ``job`` as the one in flight, without polling or saying busy."""
        # A bound method of this GUI-thread object: the connection is queued.
        job.sigDone.connect(self._on_job_done)
        self._job = job
        job.start()

    def _start(self, request) -> None:
        self._launch(self._new_job(request))
        self._poll.start()
        self.sigBusyChanged.emit(True)

    def _start_pending(self) -> bool:
        """Start the waiting request, if any; True when one started."""
        if self._pending is None:
            return False
        request, self._pending = self._pending, None
        self._start(request)
        return True

    # -- the end of a job ---------------------------------------------------------------
    def _on_job_done(self, job: Job) -> None:
        if job is self._job:  # (not one that shutdown() already finished)
            self._finish(job)
        elif job is self._draining:
            self._draining = None
            job.wait()
            job.deleteLater()
            self._drained(job)

    def _finish(self, job, wait: bool = True) -> None:
        if wait:
            job.wait()
        self._job = None
        self._poll.stop()
        if not job.abandoned:
            job.deleteLater()
        self._job_finished(job)


#: jobs abandoned at shutdown, still running in their daemon threads: kept (unparented)
#: so that nothing deletes them under their thread; they go with the process
_ABANDONED: list[Job] = []


def _abandon(job: Job) -> None:
    job.abandoned = True
    job.setParent(None)
    _ABANDONED.append(job)


def wait_for_abandoned(timeout_s: float) -> bool:
    """Wait, at most ``timeout_s`` in all, for the jobs abandoned at shutdown to end; True
    when none is left running. The app calls it once its window is gone: a daemon thread
    still inside numba's compiler while the interpreter finalizes can crash the process
    on its way out, and a compile that ends is one numba caches for the next launch."""
    deadline = time.monotonic() + timeout_s
    for job in list(_ABANDONED):
        job.wait(round(max(0.0, deadline - time.monotonic()) * 1000))
    return not any(job.isRunning() for job in _ABANDONED)


class _CallJob(Job):
    """Calls ``request.fn()`` in the worker; keeps what it returned or raised."""

    def __init__(self, request, parent: QObject | None = None):
        super().__init__(request, parent)
        self.result: Any = None
        self.error: BaseException | None = None

    def cancel(self) -> None:
        """A call cannot stop half-way: its result is dropped instead (see the runner)."""

    def run(self) -> None:
        try:
            self.result = self.request.fn()
        except Exception as exc:  # handed to the GUI thread, which says it
            self.error = exc
        finally:
            self.sigDone.emit(self)


class CallRequest:
    """One call to make off the GUI thread; ``what`` tells the caller which it was."""

    _ids = 0

    def __init__(self, fn, what: Any = None):
        CallRequest._ids += 1
        self.id, self.fn, self.what = CallRequest._ids, fn, what


class CallRunner(SingleJobRunner):
    """Slow one-off calls (decoding a big image, rendering and writing a save) off the
    GUI thread, one at a time: a newer call drops the result of an older one."""

    #: (request, what it returned, what it raised or None), for the latest request only
    sigDone = Signal(object, object, object)

    def submit(self, fn, what: Any = None) -> CallRequest:
        request = CallRequest(fn, what)
        self._submit(request)
        return request

    def _new_job(self, request: CallRequest) -> Job:
        return _CallJob(request, self)

    def _job_finished(self, job: _CallJob) -> None:
        if not self._start_pending():
            self.sigBusyChanged.emit(False)
        if job.request.id == self._latest and not job.abandoned:
            self.sigDone.emit(job.request, job.result, job.error)
