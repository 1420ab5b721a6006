"""The lesson mode's runs: "Run in parallel", the kernels' warm-up, and the lanes.

The window's :class:`~convviz.gui.widgets.compute_worker.ComputeRunner` does the work off the GUI
thread; this object submits the lesson to it (the CPU loop, the ``cuda`` kernel,
and with "also run the tiled kernel" the ``cuda-tiled`` one), shows what comes back
in the lanes and on the lesson's output, and says what the warm-up does. The image
mode (:mod:`convviz.gui.image.mode`) submits its own runs to the same runner.

Once the window is painted, the kernels are compiled in the worker (or loaded from
numba's cache) and the lanes say so: nothing compiles on the GUI thread, and the
first "Run in parallel" does not wait in silence.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from convviz.core import device
from convviz.core.lessons import demo_lesson
from convviz.core.tolerance import tolerance
from convviz.gui.lesson.lanes import PARALLEL, SEQUENTIAL, TILED, LanesStrip
from convviz.gui.lesson.model import LessonModel
from convviz.gui.lesson.playback import Playback
from convviz.gui.lesson.view import LessonView
from convviz.gui.status import cuda_status_text
from convviz.gui.widgets.compute_worker import ComputeRunner, RunResult, WarmUpResult
from convviz.gui.widgets.lane_text import device as lane_device

#: timed runs per lane; the simulator is slow, so a few are enough for a median
REPEATS = 3
#: the tiled kernel in lessons: 4×2-thread blocks, 2 rows per thread, so a block covers
#: a 4×4 tile of output and an 8×8 output spans 4 tiles
LESSON_TILE = (4, 2, 2)
#: the backends whose kernels the warm-up compiles (cuda too on a real GPU)
WARM_UP_BACKENDS = ("cpu", "cpu-parallel")


def _tiles(lane: Any) -> tuple[Any, Any, Any] | None:
    """(out, record, launch) of the tiled kernel's lane, None when it drew nothing."""
    if lane is None or lane.out is None or lane.launch is None:
        return None
    return (lane.out, lane.record, lane.launch)


def warm_up_backends() -> tuple[str, ...]:
    """What the warm-up compiles: the CPU loops, and the CUDA kernel on a real GPU (the
    simulator interprets Python: nothing to compile)."""
    return WARM_UP_BACKENDS + (("cuda",) if device.choose().mode == "gpu" else ())


class LessonRuns(QObject):
    """The lesson's runs and warm-up: submits ``model``'s lesson to ``runner``, shows
    the results in ``lanes`` and on ``lesson_view``; what the status bar should say
    comes out as signals."""

    #: a status-bar message and how long it stays (ms; 0: until the next one)
    sigStatus = Signal(str, int)
    #: the device line after a run: where the parallel lane ran
    sigDeviceNote = Signal(str)

    def __init__(
        self,
        model: LessonModel,
        runner: ComputeRunner,
        lanes: LanesStrip,
        lesson_view: LessonView,
        playback: Playback,
        parent: QObject | None = None,
        warm_up: bool = False,
    ):
        super().__init__(parent)
        self.model, self.runner, self.lanes = model, runner, lanes
        self.lesson_view, self.playback = lesson_view, playback
        self.last_result: RunResult | None = None
        self.warm_up_wanted = warm_up
        self.warm_up_result: WarmUpResult | None = None
        self._warm_up_started = False
        self.closed = False
        #: False while the image mode has the lanes' place (its runs say their own)
        self.active = True
        lanes.sigCancelRequested.connect(self.cancel)
        runner.sigBusyChanged.connect(lanes.set_busy)
        runner.sigProgress.connect(lanes.set_progress)
        runner.sigResult.connect(self._on_run_result)
        runner.sigCancelled.connect(lambda: lanes.note.setText(self.tr("cancelled")))
        runner.sigCancelling.connect(lambda: lanes.note.setText(self.tr("cancelling…")))
        runner.sigWarmUpDone.connect(self._on_warm_up_done)
        runner.sigCompiling.connect(self._on_compiling)

    # -- kernels compiled off the GUI thread -------------------------------------------
    def window_ready(self) -> None:
        """The window is painted and its later parts made: start the warm-up, once."""
        if self.warm_up_wanted and not self._warm_up_started:
            self._warm_up_started = True
            self.start_warm_up()

    def warm_up_text(self, cached: bool = False) -> str:
        """What the warm-up is about to do: load the kernels (``cached``) or compile them."""
        if cached:
            return self.tr("Loading the kernels from the cache…")
        return self.tr(
            "Compiling kernels… (first launch only; later launches load them from the cache)"
        )

    def start_warm_up(self) -> bool:
        """Compile the kernels in the worker, saying so; False when the worker is busy
        already (a run compiles what it needs) or the window is closing."""
        if self.closed:
            return False
        from convviz.backends import jit_cache  # (after the first paint)

        names = warm_up_backends()
        # decided from the cache before it is said: a warm launch never says "compiling"
        cached = jit_cache.looks_warm(names)
        if not self.runner.warm_up(demo_lesson().prepare(), names):
            return False
        text = self.warm_up_text(cached)
        self.lanes.set_compiling(text)
        self.sigStatus.emit(text, 0)
        return True

    def warm_up_done_text(self, result: WarmUpResult) -> str:
        secs = f"{result.seconds:.1f}"
        # compiled or loaded: numba's cache counters say (result.from_cache), not the time
        if result.from_cache is None:
            return self.tr("Kernels ready in {0} s").format(secs)
        if result.from_cache:
            return self.tr("Kernels ready in {0} s (loaded from cache)").format(secs)
        return self.tr(
            "Kernels ready in {0} s (compiled; later launches load them from the cache)"
        ).format(secs)

    def _on_compiling(self, text: str) -> None:
        """A run's kernel compiles ("compiling the CPU kernels for 3×3… 2.1 s"); '' after."""
        if self.active:
            self.lanes.set_compiling(text)

    def _on_warm_up_done(self, result: WarmUpResult) -> None:
        from convviz.backends import jit_cache

        self.warm_up_result = result
        jit_cache.record_warm_up(result.backends, None if result.errors else result.from_cache)
        if self.closed:
            return
        text = self.warm_up_done_text(result)
        self.lanes.set_compiling("", done_note=text)
        self.sigStatus.emit(text, 10_000)
        # the warm-up launched a kernel on the GPU (if any): say what that found
        self.sigDeviceNote.emit(cuda_status_text())

    # -- the parallel run ---------------------------------------------------------------
    def backends(self) -> tuple[str, ...]:
        """The lanes a lesson run times: the CPU loop, the cuda kernel, and the tiled
        kernel when its checkbox is on."""
        return (SEQUENTIAL, PARALLEL) + ((TILED,) if self.lanes.tiled_wanted else ())

    def run(self) -> None:
        """Time the lanes on the lesson (the window's "Run in parallel" in lesson mode)."""
        from convviz.core.race import LESSON_BLOCK  # the race's module loads after the paint

        prep = self.model.prep
        if not self.model.valid or prep is None:
            self.lanes.note.setText(self.tr("fix the invalid setting first"))
            return
        self.playback.pause()
        self.runner.submit(
            prep,
            self.backends(),
            repeats=REPEATS,
            block=LESSON_BLOCK,
            launch_shapes=((TILED, LESSON_TILE),),
        )
        if self.runner.warming_up:
            self.lanes.note.setText(
                self.tr("Compiling kernels… the run starts when they are ready")
            )

    def cancel(self) -> None:
        self.runner.cancel()

    def _on_run_result(self, result: RunResult) -> None:
        if result.request.prep is not self.model.prep:
            return  # the lesson changed while it ran (or an image run): a stale result
        self.last_result = result
        if self._show_texts(result):
            par, tiled = result.lanes.get(PARALLEL), result.lanes.get(TILED)
            out, record = (par.out, par.record) if par is not None else (None, None)
            self.lesson_view.phase.show(out, record, tiled=_tiles(tiled))

    def _show_texts(self, result: RunResult) -> bool:
        """The lanes' results and the device line for ``result``; True if a parallel
        kernel ran (its output is what the lesson can show all at once). The lesson's
        picture is left as it is: a language switch redraws the texts alone."""
        prep = result.request.prep
        levels = self.lesson_view.out_levels
        self.lanes.show_results(result.lanes, levels, tolerance(prep.x, prep.w))
        par, tiled = result.lanes.get(PARALLEL), result.lanes.get(TILED)
        ran = par if par is not None and par.out is not None else tiled if _tiles(tiled) else None
        if ran is None:
            return False
        self.sigDeviceNote.emit(
            self.tr("{0} · parallel lane ran on: {1}").format(cuda_status_text(), lane_device(ran))
        )
        return True

    def lesson_changed(self) -> None:
        """A new lesson (or setting): a run in flight is cancelled, the lanes cleared."""
        if self.runner.busy:
            self.runner.cancel()
        self.last_result = None
        self.lanes.clear(self.tr("the lesson changed: press “Run in parallel” to time it"))

    def retranslate(self) -> None:
        """The result's formatted texts again, in the language now installed (the lesson
        mode's; the image mode redraws its own)."""
        if self.last_result is not None:
            self._show_texts(self.last_result)
