"""The main window: the lesson, its playback, the parameter panel and the two lanes.

It opens on the built-in lesson. Opening an image (File → Open, a drop on the
window, ``convviz PATH``, a recent file or a bundled sample) switches to the
image mode (:mod:`convviz.gui.image.mode`); File → Lesson demo switches back. A deck
(File → Open deck, ``convviz --deck FILE``) is played by :mod:`convviz.gui.deck_player`.

For a lecture: presentation mode and the blank screen (:mod:`convviz.gui.lecture.presentation`),
light/dark themes (:mod:`convviz.gui.appearance`), English or Chinese
(:mod:`convviz.gui.i18n`, switched live), export of the animation
(:mod:`convviz.gui.lecture.export_dialog`) and copy as code
(:mod:`convviz.gui.lecture.code_dialog`), held by :mod:`convviz.gui.lecture.tools`.
The menus (:mod:`convviz.gui.menus`), the keys (:mod:`convviz.gui.keys`) and the
screens say what happened with signals; this window connects them and owns the
layout, the status line (:mod:`convviz.gui.status`) and the dialogs
(:class:`convviz.gui.files.WindowDialogs`).
View → Benchmark opens the sweep "when does the GPU win?" (:mod:`convviz.gui.bench.view`)
on the current kernel.

The lesson's runs and the kernels' warm-up (compiled in the worker once the window is
painted) are :mod:`convviz.gui.lesson.runs`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtWidgets
from PySide6.QtCore import Qt

from convviz.core.lessons import Lesson, demo_lesson
from convviz.gui import files, i18n
from convviz.gui.appearance import Appearance
from convviz.gui.deck_player import DeckPlayer
from convviz.gui.keys import AppFilters, LessonKeys
from convviz.gui.later import LaterParts, NoImage
from convviz.gui.lecture.presentation import Presentation
from convviz.gui.lecture.tools import LectureTools
from convviz.gui.lesson.controls import Controls
from convviz.gui.lesson.lanes import LanesStrip
from convviz.gui.lesson.model import LessonModel
from convviz.gui.lesson.playback import Playback
from convviz.gui.lesson.playback_bar import PlaybackBar
from convviz.gui.lesson.runs import LessonRuns
from convviz.gui.lesson.view import LessonView
from convviz.gui.menus import EditMenu, FileMenu, ViewMenu
from convviz.gui.status import StatusLine
from convviz.gui.widgets.compute_worker import ComputeRunner
from convviz.gui.widgets.screen_fit import fit_to_screen


def _app() -> QtWidgets.QApplication:
    app = QtWidgets.QApplication.instance()
    assert isinstance(app, QtWidgets.QApplication), "the window needs a QApplication"
    return app


class MainWindow(files.DropTarget, QtWidgets.QMainWindow):
    """The app's window. ``warm_up``: compile the kernels in the worker once the window
    is first shown (the app does; most tests leave it off)."""

    def __init__(self, model: LessonModel | None = None, parent=None, warm_up: bool = False):
        super().__init__(parent)
        self.setWindowTitle(self.title_text())
        self.model = model or LessonModel()
        self.playback = Playback(self.model, parent=self)
        self.runner = ComputeRunner(self)
        self.lesson_view = LessonView(self.model)
        self.lesson_view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.playback_bar = PlaybackBar(self.model, self.playback)
        self.controls = Controls(self.model)
        self.lanes = LanesStrip()

        # dialogs, replaceable in tests (never block a test on a modal dialog)
        self.dialogs = files.WindowDialogs(self, lambda text, ms: self.status.show(text, ms))

        left = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(left)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.lesson_view, 1)
        lay.addWidget(self.playback_bar)
        lay.addWidget(self.lanes)
        self.left_layout = lay  # the image strip comes first, the race last (convviz.gui.later)
        side = QtWidgets.QScrollArea()
        side.setWidget(self.controls)
        side.setWidgetResizable(True)
        side.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.image_side = image_side = QtWidgets.QScrollArea()  # the image panel, later
        image_side.setWidgetResizable(True)
        image_side.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        image_side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
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
        self.status = StatusLine(self.statusBar())
        self.device_label, self.status_note = self.status.device, self.status.note
        self.resize(1600, 1000)
        # the window never grows by itself past the screen (a wide row of the lanes, the
        # race's pictures): what does not fit is squeezed, where a check can name it
        frame = self.layout()
        assert frame is not None  # a QMainWindow always has its layout
        frame.setSizeConstraint(QtWidgets.QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(960, 600)

        self.appearance = Appearance()
        self.presentation = Presentation(
            self, self.side, self.appearance, self.lesson_view, self.lanes, self.playback
        )
        self.keys = LessonKeys(
            self, self.model, self.playback, self.presentation, self.run_parallel, self.focus_lesson
        )
        self.lanes.sigRaceRequested.connect(self.show_race)
        self.model.sigLessonChanged.connect(self._on_lesson_changed)
        self.model.sigErrorChanged.connect(self._on_error_changed)
        self.controls.sigEditingDone.connect(self.focus_lesson)
        self.controls.sigCellValueEdited.connect(self._on_cell_value_edited)
        self.lesson_view.sigInputCellClicked.connect(self._on_input_cell_clicked)
        self.lesson_view.sigKernelCellClicked.connect(self._on_kernel_cell_clicked)
        self.runs = LessonRuns(
            self.model, self.runner, self.lanes, self.lesson_view, self.playback, self, warm_up
        )
        self.runs.sigStatus.connect(self.status.show)
        self.runs.sigDeviceNote.connect(self.device_label.setText)
        self.lanes.sigRunRequested.connect(self.run_parallel)
        self.bench_window = None
        # quitting without closing the window (app.quit()): no worker left running
        _app().aboutToQuit.connect(self._stop_workers)

        self._demo_lesson: Lesson | None = None
        self.file_menu = FileMenu(self.menuBar(), self)
        self.edit_menu = EditMenu(self.menuBar(), self)
        self.view_menu = ViewMenu(self.menuBar(), self)
        self.lecture = LectureTools(  # applies the saved theme
            self.appearance,
            self.view_menu,
            self.model,
            NoImage(),  # the image mode, once built
            self.playback,
            self.dialogs,
            parent=self,
        )
        self._connect_menus()
        self.lecture.sigStatus.connect(self.status.show)
        self.lecture.sigLanguageChanged.connect(self.retranslate)
        self.lecture.sigThemeChanged.connect(self._on_theme_changed)
        self.setAcceptDrops(True)
        # the image mode and the race, after the first paint
        self.later = LaterParts(self)
        self.later.sigReady.connect(self.runs.window_ready)  # the warm-up, if wanted
        self.deck = DeckPlayer(self)  # File → Open deck, PageDown between scenes
        # the keys on the QApplication, as one filter: the deck's, the race's, the lesson's
        self.quitting = False  # the app was told to quit (it closes this window next)
        self.app_filters = AppFilters(
            self, self.deck, self.later, self.keys, on_quit=self._on_app_quit
        )
        self.app_filters.install()

    def _connect_menus(self) -> None:
        fm, em, vm = self.file_menu, self.edit_menu, self.view_menu
        fm.sigOpenRequested.connect(self.ask_and_open)
        fm.sigOpenPath.connect(self.open_image)
        fm.sigExportRequested.connect(self.lecture.export_animation)
        fm.sigLessonRequested.connect(self.enter_lesson_mode)
        fm.sigQuitRequested.connect(self.close)
        em.sigCopyAsCode.connect(self.lecture.copy_as_code)
        vm.sigPresentationRequested.connect(self.presentation.toggle)
        vm.sigFullScreenRequested.connect(self.keys.full_screen)
        vm.sigBenchmarkRequested.connect(self.open_benchmark)
        vm.sigRaceRequested.connect(self.toggle_race)
        vm.sigThemeChosen.connect(self.lecture.set_theme)
        vm.sigLanguageChosen.connect(self.lecture.set_language)
        self.presentation.sigActiveChanged.connect(vm.presentation_action.setChecked)

    # -- the parts built after the first paint (convviz.gui.later) ------------------------
    @property
    def image_mode(self):
        return self.later.image_mode()

    @property
    def race(self):
        return self.later.race_view()

    @property
    def race_keys(self):
        self.later.race_view()
        return self.later.race_keys

    # -- the race (convviz.gui.race) ------------------------------------------------------
    def show_race(self, on: bool = True) -> None:
        """The race ("⚑ Race", C, or PageDown on the last cell): the lesson on one core,
        this CPU's cores and a GPU on one clock, in place of the lesson; off: the lesson."""
        if on and self.image_mode.active:
            return
        self.playback.pause()
        if not on:  # the race goes first: never both shown (the window would grow to fit)
            self.race.set_active(False)
        for widget in (self.lesson_view, self.playback_bar, self.lanes):
            widget.setVisible(not on)
        if on:
            self.race.set_active(True)
        else:
            self.focus_lesson()

    def toggle_race(self) -> None:
        self.show_race(not self.race.active)

    # -- images -------------------------------------------------------------------------
    def open_image(self, path) -> bool:
        """Open ``path`` in the image mode; a bad file leaves everything as it was."""
        return self.image_mode.open(Path(path))

    def ask_and_open(self) -> None:
        path = self.dialogs.ask_open_path()
        if path:
            self.open_image(path)

    def enter_image_mode(self) -> None:
        if self.image_mode.active:
            return
        self.show_race(False)
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

    def _show_mode(self, image: bool) -> None:
        self.status.reset_device()
        self.image_mode.strip.setVisible(image)
        self.lanes.setVisible(not image)
        self.runs.active = not image
        self.left_layout.setStretchFactor(self.image_mode.strip, 11 if image else 0)
        self.left_layout.setStretchFactor(self.lesson_view, 9 if image else 1)
        self.side.setCurrentIndex(1 if image else 0)
        self.side.setFixedWidth(370 if image else 330)
        self.lesson_view.sizes.setVisible(not image)
        self.file_menu.set_image_mode(image)

    # -- keyboard -------------------------------------------------------------------
    def focus_lesson(self) -> None:
        self.lesson_view.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- language and theme (chosen in convviz.gui.lecture.tools) -------------------------
    def retranslate(self, old=None, new=None) -> None:
        """Every text in the language now installed; the lesson and results stay as they are.

        Fixed texts are turned over by :func:`i18n.retranslate_tree`; texts made from
        the state (titles with sizes, timings, notes) are drawn again by their owners.
        """
        i18n.retranslate_tree(self, old, new)
        self.setWindowTitle(self.title_text())
        self.file_menu.retranslate()
        self.status.reset_device()
        later = (self.race,) if self.later.built else ()  # made later: in the new language
        for view in (self.lesson_view, self.playback_bar, self.controls, self.lanes, *later):
            view.retranslate()
        if not self.later.built or not self.image_mode.active:
            self.runs.retranslate()
        if self.later.built:
            self.image_mode.retranslate()
        for dialog in self.lecture.dialogs_open():
            i18n.retranslate_tree(dialog, old, new)
        if self.bench_window is not None:
            self.bench_window.retranslate()
        self.deck.refresh_banner()

    def _on_theme_changed(self) -> None:
        self.lanes.refresh_theme()
        if self.later.built:
            self.image_mode.strip.refresh_theme()
        self.deck.refresh_banner()

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
            self.bench_window = bench = BenchWindow(self)
            self.presentation.adopt(bench)  # fonts for a lecture hall, if on
            bench.set_presentation(self.presentation.active)  # and its figure's texts
            self.presentation.sigActiveChanged.connect(bench.set_presentation)
            fit_to_screen(self.bench_window)  # on a 1366×768 projector too
        self.bench_window.set_kernel(self.current_kernel())
        self.bench_window.show()
        self.bench_window.raise_()
        self.bench_window.activateWindow()
        return self.bench_window

    # -- the lesson's runs and the warm-up (convviz.gui.lesson.runs) ----------------------
    def run_parallel(self) -> None:
        """ "Run in parallel" (R): the image mode's whole-image run, or the lesson's lanes."""
        if self.image_mode.active:
            self.image_mode.run()
        else:
            self.runs.run()

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
    def _on_input_cell_clicked(self, r: int, c: int) -> None:
        if self.image_mode.active:
            return  # the image's pixels are not edited here
        self.lesson_view.select_cell(("input", r, c))
        self.controls.edit_cell("input", r, c, float(self.model.lesson.x[0, r, c]))

    def _on_kernel_cell_clicked(self, r: int, c: int) -> None:
        if self.image_mode.active:
            return  # the kernel editor in the side panel edits the image's kernel
        # the kernel view shows the kernel as multiplied (rotated when flip is on)
        kr, kc = self.model.spec.kernel_index(r, c)
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

    def _on_app_quit(self) -> None:
        self.quitting = True

    def _stop_workers(self) -> None:
        """Cancel the compute worker, a benchmark sweep and an image decode or save: what
        stops at once is waited for, what cannot stop is abandoned (idempotent)."""
        if self.bench_window is not None:
            self.bench_window.shutdown()
        self.runner.shutdown()
        self.later.shutdown()

    def shutdown(self) -> None:
        """Stop the timers and the workers (idempotent); put the app's palette back."""
        self.runs.closed = True
        self.playback.pause()
        self._stop_workers()
        if self.bench_window is not None:
            self.bench_window.close()
        if self.lecture.export_dialog is not None:
            self.lecture.export_dialog.close()
        if not self.quitting:  # the app's look, for a window made after this one
            # (when the app quits, it would restyle every widget of a closing window)
            self.appearance.restore()
        self.app_filters.remove()
