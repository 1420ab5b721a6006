"""The main window: the lesson, its playback, the parameter panel and the two lanes."""

from __future__ import annotations

from PySide6 import QtWidgets
from PySide6.QtCore import Qt

from convviz.core import device
from convviz.gui import theme
from convviz.gui.controls import Controls
from convviz.gui.keys import LessonKeys
from convviz.gui.lanes import PARALLEL, SEQUENTIAL, LanesStrip
from convviz.gui.lesson_model import LessonModel
from convviz.gui.lesson_view import LessonView
from convviz.gui.playback import Playback
from convviz.gui.playback_bar import PlaybackBar
from convviz.gui.worker import ComputeRunner, RunResult

#: timed runs per lane; the simulator is slow, so a few are enough for a median
REPEATS = 3
#: Lesson outputs are small (8×8): with 4×4 blocks they span several blocks and the
#: block tints mean something. Used only where the cuda backend's run() takes a block;
#: the views always draw the grid and block from the timing record, i.e. what ran.
LESSON_BLOCK = (4, 4)


def device_text() -> str:
    """What the status bar says about CUDA (before anything heavy is imported)."""
    choice = device.choose()
    if choice.mode == "gpu":
        return f"CUDA device: NVIDIA GPU — {choice.reason}"
    if choice.mode == "sim":
        return f"No NVIDIA GPU: {choice.reason}"
    return f"CUDA unavailable: {choice.reason}"


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, model: LessonModel | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("convviz — convolution, one cell at a time and all at once")
        self.model = model or LessonModel()
        self.playback = Playback(self.model, parent=self)
        self.runner = ComputeRunner(self)
        self.lesson_view = LessonView(self.model)
        self.lesson_view.setFocusPolicy(Qt.StrongFocus)
        self.playback_bar = PlaybackBar(self.model, self.playback)
        self.controls = Controls(self.model)
        self.lanes = LanesStrip()

        left = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(left)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.lesson_view, 1)
        lay.addWidget(self.playback_bar)
        lay.addWidget(self.lanes)
        side = QtWidgets.QScrollArea()
        side.setWidget(self.controls)
        side.setWidgetResizable(True)
        side.setFixedWidth(330)
        side.setFocusPolicy(Qt.NoFocus)
        central = QtWidgets.QWidget()
        row = QtWidgets.QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(left, 1)
        row.addWidget(side)
        self.setCentralWidget(central)
        self.device_label = QtWidgets.QLabel(device_text())
        self.device_label.setFont(theme.font(15))
        self.statusBar().addPermanentWidget(self.device_label, 1)
        self.resize(1600, 1000)

        self.keys = LessonKeys(self)
        QtWidgets.QApplication.instance().installEventFilter(self.keys)
        self.model.sigLessonChanged.connect(self._on_lesson_changed)
        self.model.sigErrorChanged.connect(self._on_error_changed)
        self.controls.sigEditingDone.connect(self.focus_lesson)
        self.controls.sigCellValueEdited.connect(self._on_cell_value_edited)
        self.lesson_view.sigInputCellClicked.connect(self._on_input_cell_clicked)
        self.lesson_view.sigKernelCellClicked.connect(self._on_kernel_cell_clicked)
        self.lanes.sigRunRequested.connect(self.run_parallel)
        self.lanes.sigCancelRequested.connect(self.cancel_run)
        self.runner.sigBusyChanged.connect(self.lanes.set_busy)
        self.runner.sigProgress.connect(self.lanes.set_progress)
        self.runner.sigResult.connect(self._on_run_result)
        self.runner.sigCancelled.connect(lambda: self.lanes.note.setText("cancelled"))
        self.last_result: RunResult | None = None

    # -- keyboard -------------------------------------------------------------------
    def focus_lesson(self) -> None:
        self.lesson_view.setFocus(Qt.OtherFocusReason)

    def key_play_pause(self) -> None:
        self.playback.toggle()

    def key_step(self, delta: int) -> None:
        self.playback.pause()
        self.model.step(delta)

    def key_home(self) -> None:
        self.playback.pause()
        self.model.seek(-1)

    def key_end(self) -> None:
        self.playback.pause()
        self.model.seek(self.model.n_cells - 1)

    def key_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def key_escape(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.playback.pause()
        self.focus_lesson()

    # -- the parallel run ---------------------------------------------------------------
    def run_parallel(self) -> None:
        if not self.model.valid:
            self.lanes.note.setText("fix the invalid setting first")
            return
        self.playback.pause()
        self.runner.submit(self.model.prep, (SEQUENTIAL, PARALLEL), repeats=REPEATS,
                           block=LESSON_BLOCK)

    def cancel_run(self) -> None:
        self.runner.cancel()

    def _on_run_result(self, result: RunResult) -> None:
        if result.request.prep is not self.model.prep:
            return  # the lesson changed while it ran: a stale result
        self.last_result = result
        self.lanes.show_results(result.lanes, self.lesson_view._out_levels)
        par = result.lanes.get(PARALLEL)
        if par is not None and par.out is not None:
            self.lesson_view.show_parallel(par.out, par.record)
            self.device_label.setText(f"{device_text()} · parallel lane ran on: {par.device}")

    # -- model → view ---------------------------------------------------------------------
    def _on_lesson_changed(self) -> None:
        if self.runner.busy:
            self.runner.cancel()
        self.last_result = None
        self.lanes.clear("the lesson changed: press “Run in parallel” to time it")

    def _on_error_changed(self, message: str) -> None:
        if message:
            self.statusBar().showMessage("Invalid setting: see the message above the formula",
                                         5000)

    # -- editing cells --------------------------------------------------------------------
    def _kernel_index(self, r: int, c: int) -> tuple[int, int]:
        """The kernel view shows the kernel as multiplied (rotated when flip is on)."""
        s = self.model.prep.spec
        return (s.kh - 1 - r, s.kw - 1 - c) if s.flip else (r, c)

    def _on_input_cell_clicked(self, r: int, c: int) -> None:
        self.lesson_view.select_cell(("input", r, c))
        self.controls.edit_cell("input", r, c, float(self.model.lesson.x[0, r, c]))

    def _on_kernel_cell_clicked(self, r: int, c: int) -> None:
        kr, kc = self._kernel_index(r, c)
        self.lesson_view.select_cell(("kernel", r, c))
        self.controls.edit_cell("kernel", kr, kc, float(self.model.lesson.w[0, 0, kr, kc]))

    def _on_cell_value_edited(self, view: str, r: int, c: int, value: float) -> None:
        if view == "input":
            self.model.set_input_cell(r, c, value)
        else:
            self.model.set_kernel_cell(r, c, value)

    # -- closing ----------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the timers and the worker (idempotent)."""
        self.playback.pause()
        self.runner.shutdown()
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.keys)
