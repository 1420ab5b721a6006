"""The main window: the lesson, its playback, the parameter panel and the two lanes.

It opens on the built-in lesson. Opening an image (File → Open, a drop on the
window, ``convviz PATH``, a recent file or a bundled sample) switches to the
image mode (:mod:`convviz.gui.image_mode`); File → Lesson demo switches back.

For a lecture: presentation mode and the blank screen (:mod:`convviz.gui.presentation`),
light/dark themes (:mod:`convviz.gui.appearance`), English or Chinese
(:mod:`convviz.gui.i18n`, switched live), export of the animation
(:mod:`convviz.gui.export_dialog`) and copy as code (:mod:`convviz.gui.code_dialog`).
View → Benchmark opens the sweep "when does the GPU win?" (:mod:`convviz.gui.bench_view`)
on the current kernel.

The lesson's runs and the kernels' warm-up (compiled in the worker once the window is
shown) are :mod:`convviz.gui.lesson_runs`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtWidgets
from PySide6.QtCore import QUrl, Qt

from convviz.core.lessons import demo_lesson
from convviz.gui import theme
from convviz.gui import files, i18n
from convviz.gui import appearance
from convviz.gui.appearance import Appearance
from convviz.gui.controls import Controls
from convviz.gui.image_mode import ImageMode
from convviz.gui.keys import LessonKeys
from convviz.gui.lanes import LanesStrip
from convviz.gui.lesson_runs import (LESSON_BLOCK, LESSON_TILE, REPEATS,  # noqa: F401
                                     WARM_UP_BACKENDS, LessonRuns, device_text,
                                     warm_up_backends)
from convviz.gui.lesson_model import LessonModel
from convviz.gui.lesson_view import LessonView
from convviz.gui.menus import EditMenu, FileMenu, ViewMenu
from convviz.gui.playback import Playback
from convviz.gui.playback_bar import PlaybackBar
from convviz.gui.presentation import Presentation
from convviz.gui.worker import ComputeRunner, RunResult, WarmUpResult

class MainWindow(QtWidgets.QMainWindow):
    """The app's window. ``warm_up``: compile the kernels in the worker once the window
    is first shown (the app does; most tests leave it off)."""

    def __init__(self, model: LessonModel | None = None, parent=None, warm_up: bool = False):
        super().__init__(parent)
        self.setWindowTitle(self.tr("convviz — convolution, one cell at a time and all at "
                                    "once"))
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
        self.device_label.setSizePolicy(QtWidgets.QSizePolicy.Ignored,
                                        QtWidgets.QSizePolicy.Preferred)
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
        self.ask_open_path = self._ask_open_path
        self.ask_save_path = self._ask_save_path
        self.ask_yes_no = self._ask_yes_no
        self.last_error = ""
        self._demo_lesson = None
        self.file_menu = FileMenu(self)
        self.edit_menu = EditMenu(self)
        self.presentation = Presentation(self)
        self.appearance = Appearance()
        self.view_menu = ViewMenu(self)
        self.export_dialog = None
        self.code_dialog = None
        self.appearance.apply(appearance.saved_choice(), on_change=self._on_theme_changed)
        self.view_menu.show_choices(self.appearance.choice, self.language_choice())
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
    @staticmethod
    def _dropped_path(mime) -> Path | None:
        if mime is None or not mime.hasUrls():
            return None
        for url in mime.urls():
            if isinstance(url, QUrl) and url.isLocalFile():
                return Path(url.toLocalFile())
        return None

    def dragEnterEvent(self, event) -> None:
        if self._dropped_path(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        path = self._dropped_path(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_image(path)

    # -- dialogs ----------------------------------------------------------------------------
    def _show_error_box(self, title: str, message: str) -> None:
        """One clear message, not blocking: the app keeps what it had."""
        self.last_error = message
        box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Warning, title, message,
                                    QtWidgets.QMessageBox.Ok, self)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.setModal(False)
        box.show()
        self.statusBar().showMessage(message, 15_000)

    def _ask_open_path(self) -> str:
        start = str(files.recent_files()[0].parent) if files.recent_files() else ""
        return QtWidgets.QFileDialog.getOpenFileName(
            self, self.tr("Open an image"), start, files.open_filter())[0]

    def _ask_save_path(self, suggested: str, filters: list[tuple[str, str]]) -> str:
        path, chosen = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("Save the result"), suggested, ";;".join(f for f, _ in filters))
        if path and not Path(path).suffix:
            path += dict(filters).get(chosen, ".png")
        return path

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

    # -- lecture tools --------------------------------------------------------------------
    def export_animation(self):
        """File → Export animation…: the dialog (one at a time); returns it."""
        from convviz.gui.export_dialog import ExportDialog

        self.playback.pause()
        if self.export_dialog is not None and self.export_dialog.busy:
            self.export_dialog.raise_()
            return self.export_dialog
        if self.export_dialog is not None:
            self.export_dialog.deleteLater()
        self.export_dialog = ExportDialog(self)
        self.export_dialog.sigExported.connect(
            lambda path, n: self.statusBar().showMessage(
                self.tr("Exported {0} frames to {1}").format(n, path), 10_000))
        self.export_dialog.show()
        return self.export_dialog

    def copy_as_code(self, kind: str):
        """Edit → Copy as PyTorch / scipy: the clipboard and a dialog; returns the dialog."""
        from convviz.gui.code_dialog import copy_as_code

        if self.code_dialog is not None:
            self.code_dialog.close()
            self.code_dialog.deleteLater()
        self.code_dialog = copy_as_code(self, kind)
        self.statusBar().showMessage(self.tr("Copied the code to the clipboard"), 5000)
        return self.code_dialog

    def set_theme(self, choice: str) -> None:
        """View → Theme: follow the system, light or dark (remembered)."""
        self.appearance.apply(choice)
        appearance.save_choice(choice)
        self.view_menu.show_choices(self.appearance.choice, self.language_choice())

    def _on_theme_changed(self) -> None:
        refresh = getattr(self.lesson_view, "refresh_theme", None)
        if refresh is not None and getattr(theme, "changes", None) is None:
            refresh()  # (a lesson view that listens to theme.changes() redraws itself)
        self.lanes.refresh_theme()
        self.image_mode.strip.refresh_theme()

    @staticmethod
    def language_choice() -> str:
        return i18n.saved_choice()

    def set_language(self, choice: str) -> None:
        """View → Language: follow the system, English or 简体中文, switched live."""
        old = i18n.translator()
        before = i18n.current()
        language = i18n.install(choice)
        i18n.save_choice(choice)
        if language != before:
            self.retranslate(old, i18n.translator())
        self.view_menu.show_choices(self.appearance.choice, choice)

    def retranslate(self, old=None, new=None) -> None:
        """Every text in the language now installed; the lesson and results stay as they are.

        Fixed texts are turned over by :func:`i18n.retranslate_tree`; texts made from
        the state (titles with sizes, timings, notes) are drawn again by their owners.
        """
        i18n.retranslate_tree(self, old, new)
        self.setWindowTitle(self.tr("convviz — convolution, one cell at a time and all at "
                                    "once"))
        self.file_menu.retranslate()
        self.device_label.setText(device_text())
        self._redraw_lesson_texts()
        self.lanes.retranslate()
        self.runs.retranslate()
        self.image_mode.retranslate()
        for dialog in (self.export_dialog, self.code_dialog):
            if dialog is not None:
                i18n.retranslate_tree(dialog, old, new)
        if self.bench_window is not None:
            self.bench_window.retranslate()

    def _redraw_lesson_texts(self) -> None:
        """The lesson's views format their titles and formulas from the lesson: redraw."""
        for widget in (self.lesson_view, self.playback_bar, self.controls):
            again = getattr(widget, "retranslate", None)
            if again is not None:
                again()
        if getattr(self.lesson_view, "retranslate", None) is None:
            lv = self.lesson_view
            lv.set_channel(lv.channel, lv.channel_names, lv.input_note)
        bar = self.playback_bar
        if getattr(bar, "retranslate", None) is None:
            for name, arg in (("_on_position_changed", self.model.pos),
                              ("_on_playing_changed", self.playback.playing),
                              ("_on_speed_changed", self.playback.speed)):
                handler = getattr(bar, name, None)
                if handler is not None:
                    handler(arg)

    # -- the benchmark window -------------------------------------------------------------
    def current_kernel(self):
        """The kernel on screen: the image's in the image mode, else the lesson's."""
        if self.image_mode.active:
            return self.image_mode.model.kernel
        return self.model.lesson.w

    def open_benchmark(self):
        """View → Benchmark: one window (made on first use, then reused) on the current
        kernel; returns it."""
        from convviz.gui.bench_view import BenchWindow

        if self.bench_window is None:
            self.bench_window = BenchWindow(self)
        self.bench_window.set_kernel(self.current_kernel())
        self.bench_window.show()
        self.bench_window.raise_()
        self.bench_window.activateWindow()
        return self.bench_window

    # -- the lesson's runs and the warm-up (convviz.gui.lesson_runs) ----------------------
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
        """"Run in parallel" (R): the image mode's whole-image run, or the lesson's lanes."""
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
