"""One QThread job at a time, the latest request winning: what the compute worker
(:mod:`convviz.gui.widgets.compute_worker`) and the benchmark sweep
(:mod:`convviz.gui.bench.worker`) share.

A job is a QThread with a ``request`` (whose ``id`` tells the latest one), a
``cancel()`` that sets a flag the work reads, and a ``sigDone(job)`` signal emitted
from the worker thread as ``run()`` ends; it never touches a widget. A job whose
``interruptible`` is False (a kernel compile) is not cancelled by a newer request:
that one waits behind it. The runner polls the running job with a QTimer on the GUI
thread and hands each finished job to :meth:`SingleJobRunner._job_finished`.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, QTimer, Signal


class SingleJobRunner(QObject):
    """The plumbing: at most one job running and one request waiting.

    Subclasses set ``POLL_MS`` and ``SHUTDOWN_MS`` and implement :meth:`_new_job`,
    :meth:`_on_poll` and :meth:`_job_finished`.
    """

    sigBusyChanged = Signal(bool)

    POLL_MS = 50
    SHUTDOWN_MS = 60_000

    def __init__(self, parent=None):
        super().__init__(parent)
        self._job: QThread | None = None
        self._pending = None  # the request waiting for the job in flight to end
        self._latest = 0  # id of the request whose result is wanted (0: none)
        self._poll = QTimer(self)
        self._poll.setInterval(self.POLL_MS)
        self._poll.timeout.connect(self._on_poll)

    @property
    def busy(self) -> bool:
        return self._job is not None

    def shutdown(self, timeout_ms: int | None = None) -> None:
        """Cancel and wait for the thread (window closing); no result is reported."""
        self._pending = None
        self._latest = 0
        job = self._job
        if job is not None:
            job.cancel()
            job.wait(self.SHUTDOWN_MS if timeout_ms is None else timeout_ms)
            self._finish(job)

    # -- for subclasses -----------------------------------------------------------------
    def _new_job(self, request) -> QThread:
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
        if self._job is None:
            self._start(request)
            return
        if getattr(self._job, "interruptible", True):
            self._job.cancel()
        self._pending = request

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
    def _on_job_done(self, job) -> None:
        if job is self._job:  # (not one that shutdown() already finished)
            self._finish(job)

    def _finish(self, job) -> None:
        job.wait()
        self._job = None
        self._poll.stop()
        job.deleteLater()
        self._job_finished(job)
