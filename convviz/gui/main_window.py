"""The main window: the lesson, its playback, the parameter panel and the two lanes.

It opens on the built-in lesson. Opening an image (File → Open, a drop on the
window, ``convviz PATH``, a recent file or a bundled sample) switches to the
image mode (:mod:`convviz.gui.image.mode`); File → Lesson demo switches back.

For a lecture: presentation mode and the blank screen (:mod:`convviz.gui.lecture.presentation`),
light/dark themes (:mod:`convviz.gui.appearance`), English or Chinese
(:mod:`convviz.gui.i18n`, switched live), export of the animation
(:mod:`convviz.gui.lecture.export_dialog`) and copy as code
(:mod:`convviz.gui.lecture.code_dialog`);
all but the presentation are wired in :mod:`convviz.gui.lecture.tools`.
View → Benchmark opens the sweep "when does the GPU win?" (:mod:`convviz.gui.bench.view`)
on the current kernel.

The lesson's runs and the kernels' warm-up (compiled in the worker once the window is
shown) are :mod:`convviz.gui.lesson.runs`.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6 import QtWidgets
from PySide6.QtCore import Qt

from convviz.core.lessons import demo_lesson
from convviz.gui import files, theme
from convviz.gui.appearance import Appearance
from convviz.gui.image.mode import ImageMode
from convviz.gui.keys import LessonKeys
from convviz.gui.lecture.presentation import Presentation
from convviz.gui.lecture.tools import LectureTools
from convviz.gui.lesson.controls import Controls
from convviz.gui.lesson.lanes import LanesStrip
from convviz.gui.lesson.model import LessonModel
from convviz.gui.lesson.playback import Playback
from convviz.gui.lesson.playback_bar import PlaybackBar
from convviz.gui.lesson.runs import (  # noqa: F401
    LESSON_BLOCK,
    LESSON_TILE,
    REPEATS,
    WARM_UP_BACKENDS,
    LessonRuns,
    device_text,
    warm_up_backends,
)
from convviz.gui.lesson.view import LessonView
from convviz.gui.menus import EditMenu, FileMenu, ViewMenu
from convviz.gui.widgets.compute_worker import ComputeRunner, RunResult, WarmUpResult


class MainWindow(QtWidgets.QMainWindow):
    """The app's window. ``warm_up``: compile the kernels in the worker once the window
    is first shown (the app does; most tests leave it off)."""

    def __init__(self, model: LessonModel | None = None, parent=None, warm_up: bool = False):
        super().__init__(parent)
        self.setWindowTitle(self.title_text())
        self.model = model or LessonModel()
        self.playback = Playback(self.model, parent=self)
        self.runner = ComputeRunner(self)
        self.lesson_view = LessonView(self.model)
        self.lesson_view.setFocusPolicy(Qt.StrongFocus)
        self.playback_bar = PlaybackBar(self.model, self.playback)
        self.controls = Controls(self.model)
        self.lanes = LanesStrip()

        self.image_mode = ImageMode(self)

        left = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(left)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.image_mode.strip, 0)
        lay.addWidget(self.lesson_view, 1)
        lay.addWidget(self.playback_bar)
        lay.addWidget(self.lanes)
        self._left_layout = lay
        self.image_mode.strip.hide()
        side = QtWidgets.QScrollArea()
        side.setWidget(self.controls)
        side.setWidgetResizable(True)
        side.setFocusPolicy(Qt.NoFocus)
        image_side = QtWidgets.QScrollArea()
        image_side.setWidget(self.image_mode.panel)
        image_side.setWidgetResizable(True)
        image_side.setFocusPolicy(Qt.NoFocus)
        image_side.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.side = QtWidgets.QStackedWidget()
        self.side.addWidget(side)
        self.side.addWidget(image_side)
        self.side.setFixedWidth(330)
        central = QtWidgets.QWidget()
        row = QtWidgets.QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(left, 1)
        row.addWidget(self.side)
        self.setCentralWidget(central)
        self.device_label = QtWidgets.QLabel(device_text())
        self.device_label.setFont(theme.font(15))
        # a long device line is cut at the window's edge rather than widening the window
        self.device_label.setSizePolicy(
            QtWidgets.QSizePolicy.Ignored, QtWidgets.QSizePolicy.Preferred
        )
        # the status bar's messages (showMessage) in a label of their own, left of the
        # device: Qt draws them only where no permanent widget is, and the device line
        # takes the whole bar
        self.status_note = QtWidgets.QLabel()
        self.status_note.setObjectName("statusNote")
        self.status_note.setFont(theme.font(15, bold=True))
        self.status_note.hide()
        self.statusBar().addPermanentWidget(self.status_note)
        self.statusBar().addPermanentWidget(self.device_label, 1)
        self.statusBar().messageChanged.connect(self._on_status_message)
        self.resize(1600, 1000)

        self.keys = LessonKeys(self)
        QtWidgets.QApplication.instance().installEventFilter(self.keys)
        self.model.sigLessonChanged.connect(self._on_lesson_changed)
        self.model.sigErrorChanged.connect(self._on_error_changed)
        self.controls.sigEditingDone.connect(self.focus_lesson)
        self.controls.sigCellValueEdited.connect(self._on_cell_value_edited)
        self.lesson_view.sigInputCellClicked.connect(self._on_input_cell_clicked)
        self.lesson_view.sigKernelCellClicked.connect(self._on_kernel_cell_clicked)
        self.runs = LessonRuns(self, warm_up=warm_up)
        self.bench_window = None
        # quitting without closing the window (app.quit()): no worker left running
        QtWidgets.QApplication.instance().aboutToQuit.connect(self._stop_workers)

        # dialogs, replaceable in tests (never block a test on a modal dialog)
        self.show_error = self._show_error_box
        self.ask_open_path = partial(files.ask_open_path, self)
        self.ask_save_path = partial(files.ask_save_path, self)
        self.ask_yes_no = self._ask_yes_no
        self.last_error = ""
        self._demo_lesson = None
        self.file_menu = FileMenu(self)
        self.edit_menu = EditMenu(self)
        self.presentation = Presentation(self)
        self.appearance = Appearance()
        self.view_menu = ViewMenu(self)
        self.lecture = LectureTools(self)  # applies the saved theme
        self.setAcceptDrops(True)
        panel = self.image_mode.panel
        panel.sigOpenRequested.connect(self.ask_and_open)
        panel.sigOpenPath.connect(self.open_image)
        panel.sigLessonRequested.connect(self.enter_lesson_mode)
        panel.sigSaveRequested.connect(self.save_result)

    @property
    def in_image_mode(self) -> bool:
        return self.image_mode.active

    # -- images -------------------------------------------------------------------------
    def open_image(self, path) -> bool:
        """Open ``path`` in the image mode; a bad file leaves everything as it was."""
        return self.image_mode.open(Path(path))

    def ask_and_open(self) -> None:
        path = self.ask_open_path()
        if path:
            self.open_image(path)

    def save_result(self) -> bool:
        return self.image_mode.save()

    def enter_image_mode(self) -> None:
        if self.image_mode.active:
            return
        self.playback.pause()
        self.runner.cancel()
        # what comes back with File → Lesson demo: the lesson as last shown valid (an
        # invalid setting made since, e.g. stride 2 with padding "same", is dropped)
        self._demo_lesson = self.model.valid_lesson()
        self.image_mode.active = True
        self._show_mode(image=True)

    def enter_lesson_mode(self) -> None:
        if not self.image_mode.active:
            return
        self.playback.pause()
        self.runner.cancel()
        self.image_mode.active = False
        self.lesson_view.set_channel(0, None, "")
        if self._demo_lesson is None or not self.model.set_lesson(self._demo_lesson):
            self.model.set_lesson(demo_lesson())
        self._show_mode(image=False)
        self.focus_lesson()

    @staticmethod
    def device_text() -> str:
        return device_text()

    def _on_status_message(self, text: str) -> None:
        self.status_note.setText(text)
        self.status_note.setVisible(bool(text))

    def _show_mode(self, image: bool) -> None:
        self.device_label.setText(device_text())
        self.image_mode.strip.setVisible(image)
        self.lanes.setVisible(not image)
        self._left_layout.setStretchFactor(self.image_mode.strip, 11 if image else 0)
        self._left_layout.setStretchFactor(self.lesson_view, 9 if image else 1)
        self.side.setCurrentIndex(1 if image else 0)
        self.side.setFixedWidth(370 if image else 330)
        self.lesson_view.sizes.setVisible(not image)
        self.file_menu.set_image_mode(image)

    # -- drag and drop --------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if files.dropped_path(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        path = files.dropped_path(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_image(path)

    # -- dialogs ----------------------------------------------------------------------------
    def _show_error_box(self, title: str, message: str) -> None:
        """One clear message, not blocking: the app keeps what it had."""
        self.last_error = message
        box = QtWidgets.QMessageBox(
            QtWidgets.QMessageBox.Warning, title, message, QtWidgets.QMessageBox.Ok, self
        )
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.setModal(False)
        box.show()
        self.statusBar().showMessage(message, 15_000)

    def _ask_yes_no(self, title: str, question: str) -> bool:
        answer = QtWidgets.QMessageBox.question(self, title, question)
        return answer == QtWidgets.QMessageBox.Yes

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

    def key_presentation(self) -> None:
        self.presentation.toggle()

    def key_blank(self) -> None:
        self.presentation.toggle_blank()

    def key_escape(self) -> None:
        if self.presentation.active:
            self.presentation.leave()
        elif self.isFullScreen():
            self.showNormal()
        else:
            self.playback.pause()
        self.focus_lesson()

    # -- lecture tools, theme and language (convviz.gui.lecture.tools) ------------------
    @property
    def export_dialog(self):
        return self.lecture.export_dialog

    @property
    def code_dialog(self):
        return self.lecture.code_dialog

    def export_animation(self):
        """File → Export animation…: the dialog (one at a time); returns it."""
        return self.lecture.export_animation()

    def copy_as_code(self, kind: str):
        """Edit → Copy as PyTorch / scipy: the clipboard and a dialog; returns the dialog."""
        return self.lecture.copy_as_code(kind)

    def set_theme(self, choice: str) -> None:
        """View → Theme: follow the system, light or dark (remembered)."""
        self.lecture.set_theme(choice)

    @staticmethod
    def language_choice() -> str:
        return LectureTools.language_choice()

    def set_language(self, choice: str) -> None:
        """View → Language: follow the system, English or 简体中文, switched live."""
        self.lecture.set_language(choice)

    def retranslate(self, old=None, new=None) -> None:
        """Every text in the language now installed; the lesson and results stay."""
        self.lecture.retranslate(old, new)

    def title_text(self) -> str:
        return self.tr("convviz — convolution, one cell at a time and all at once")

    # -- the benchmark window -------------------------------------------------------------
    def current_kernel(self):
        """The kernel on screen: the image's in the image mode, else the lesson's."""
        if self.image_mode.active:
            return self.image_mode.model.kernel
        return self.model.lesson.w

    def open_benchmark(self):
        """View → Benchmark: one window (made on first use, then reused) on the current
        kernel; returns it."""
        from convviz.gui.bench.view import BenchWindow

        if self.bench_window is None:
            self.bench_window = BenchWindow(self)
        self.bench_window.set_kernel(self.current_kernel())
        self.bench_window.show()
        self.bench_window.raise_()
        self.bench_window.activateWindow()
        return self.bench_window

    # -- the lesson's runs and the warm-up (convviz.gui.lesson.runs) ----------------------
    @property
    def last_result(self) -> RunResult | None:
        """The lesson's last run shown in the lanes (None once the lesson changed)."""
        return self.runs.last_result

    @property
    def warm_up_wanted(self) -> bool:
        return self.runs.warm_up_wanted

    @property
    def warm_up_result(self) -> WarmUpResult | None:
        return self.runs.warm_up_result

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.runs.window_shown()

    def start_warm_up(self) -> bool:
        return self.runs.start_warm_up()

    def run_parallel(self) -> None:
        """ "Run in parallel" (R): the image mode's whole-image run, or the lesson's lanes."""
        if self.image_mode.active:
            self.image_mode.run()
        else:
            self.runs.run()

    def cancel_run(self) -> None:
        self.runner.cancel()

    # -- model → view ---------------------------------------------------------------------
    def _on_lesson_changed(self) -> None:
        if self.image_mode.active:
            return  # the region moved: the whole-image run goes on
        self.runs.lesson_changed()

    def invalid_text(self) -> str:
        return self.tr("Invalid setting: see the message above the formula")

    def _on_error_changed(self, message: str) -> None:
        bar = self.statusBar()
        if message:
            bar.showMessage(self.invalid_text(), 5000)
        elif bar.currentMessage() == self.invalid_text():
            bar.clearMessage()  # valid again: the warning goes with the message

    # -- editing cells --------------------------------------------------------------------
    def _kernel_index(self, r: int, c: int) -> tuple[int, int]:
        """The kernel view shows the kernel as multiplied (rotated when flip is on)."""
        s = self.model.prep.spec
        return (s.kh - 1 - r, s.kw - 1 - c) if s.flip else (r, c)

    def _on_input_cell_clicked(self, r: int, c: int) -> None:
        if self.image_mode.active:
            return  # the image's pixels are not edited here
        self.lesson_view.select_cell(("input", r, c))
        self.controls.edit_cell("input", r, c, float(self.model.lesson.x[0, r, c]))

    def _on_kernel_cell_clicked(self, r: int, c: int) -> None:
        if self.image_mode.active:
            return  # the kernel editor in the side panel edits the image's kernel
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

    def _stop_workers(self) -> None:
        """Cancel and wait for the compute worker and a benchmark sweep (idempotent)."""
        if self.bench_window is not None:
            self.bench_window.shutdown()  # no sweep thread outlives the window
        self.runner.shutdown()

    def shutdown(self) -> None:
        """Stop the timers and the workers (idempotent); put the app's palette back."""
        self.runs.closed = True
        self.playback.pause()
        self._stop_workers()
        if self.bench_window is not None:
            self.bench_window.close()
        if self.export_dialog is not None:
            self.export_dialog.close()
        self.appearance.restore()
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.keys)
