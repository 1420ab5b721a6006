"""File → Export animation…: the lesson (all of it or a range of cells) as GIF, APNG or MP4.

The frames are the ones ``convviz export-animation`` writes (:mod:`convviz.core.frames`,
Pillow, no window needed). Writing runs in a worker thread with a progress bar and
Cancel, on its own copy of the lesson's stepper. An existing file is replaced only
after the user says so. MP4 needs the optional ``export`` extra (imageio-ffmpeg);
without it the choice is disabled and says why.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import Qt, Signal

from convviz.core.stepper import Stepper
from convviz.errors import ConvvizError
from convviz.gui import theme

#: (format key, suffix)
FORMATS = (("gif", ".gif"), ("apng", ".png"), ("mp4", ".mp4"))


def mp4_available() -> bool:
    return importlib.util.find_spec("imageio_ffmpeg") is not None


class _Cancelled(Exception):
    pass


class ExportWorker(QtCore.QThread):
    """Writes the animation off the GUI thread; reports progress, the frame count or an error."""

    sigProgress = Signal(int, int)  # frames done, frames in all
    sigDone = Signal(int)  # frames written
    sigFailed = Signal(str)  # '' when cancelled

    def __init__(self, prep, path: Path, start: int, stop: int, fps: float, parent=None):
        super().__init__(parent)
        self.prep, self.path = prep, Path(path)
        self.start_step, self.stop_step, self.fps = start, stop, fps
        self.total = stop - start + 1
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    def _progress(self, done: int, _total) -> None:
        if self._cancel:
            raise _Cancelled
        self.sigProgress.emit(done, self.total)

    def run(self) -> None:
        from convviz.export import export_animation

        try:
            n = export_animation(
                Stepper(self.prep),
                self.path,
                self.start_step,
                self.stop_step,
                fps=self.fps,
                progress=self._progress,
            )
        except _Cancelled:
            self.path.unlink(missing_ok=True)
            self.sigFailed.emit("")
        except ConvvizError as exc:
            self.sigFailed.emit(str(exc))
        except OSError as exc:
            self.sigFailed.emit(f"{self.path}: {exc}")
        else:
            self.sigDone.emit(n)


class ExportDialog(QtWidgets.QDialog):
    """Choose format, range, speed and file; write with progress; never overwrite unasked."""

    sigExported = Signal(object, int)  # path, frames

    def __init__(self, model, ask_yes_no, parent=None):
        """The animation of ``model`` (a :class:`~convviz.gui.lesson.model.LessonModel`);
        ``ask_yes_no(title, question)`` asks before a file is replaced."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export the animation"))
        self.prep = model.prep
        n = model.n_cells
        self.worker: ExportWorker | None = None
        self.frames_written = 0
        # dialogs, replaceable in tests
        self.ask_save_path = self._ask_save_path
        self.ask_yes_no = ask_yes_no

        self.format = QtWidgets.QComboBox()
        self.format.addItem(self.tr("GIF (Pillow)"), "gif")
        self.format.addItem(self.tr("APNG, animated PNG (Pillow)"), "apng")
        self.format.addItem(self.tr("MP4 video (imageio-ffmpeg)"), "mp4")
        self.mp4_note = QtWidgets.QLabel()
        self.mp4_note.setWordWrap(True)
        if not mp4_available():
            item = self.format.model().item(2)
            item.setEnabled(False)
            reason = self.tr(
                "MP4 needs the optional imageio-ffmpeg package: "
                "pip install 'convviz[export]'. GIF and APNG need nothing more."
            )
            item.setToolTip(reason)
            self.mp4_note.setText(reason)
        self.mp4_note.setVisible(bool(self.mp4_note.text()))
        self.start = QtWidgets.QSpinBox()
        self.start.setRange(-1, max(n - 1, -1))
        self.start.setSpecialValueText(self.tr("start (empty output)"))
        self.start.setValue(-1)
        self.stop = QtWidgets.QSpinBox()
        self.stop.setRange(-1, max(n - 1, -1))
        self.stop.setValue(n - 1)
        self.stop.setSpecialValueText(self.tr("start (empty output)"))
        self.whole = QtWidgets.QPushButton(self.tr("Whole lesson"))
        self.fps = QtWidgets.QDoubleSpinBox()
        self.fps.setRange(0.25, 60)
        self.fps.setSingleStep(1)
        self.fps.setValue(4)
        self.fps.setSuffix(self.tr(" frames/s"))
        self.count = QtWidgets.QLabel()
        self.path = QtWidgets.QLineEdit(str(Path.home() / "convviz-lesson.gif"))
        self.browse = QtWidgets.QPushButton(self.tr("Browse…"))
        self.progress = QtWidgets.QProgressBar()
        self.progress.hide()
        self.message = QtWidgets.QLabel()
        self.message.setObjectName("exportMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QtWidgets.QDialogButtonBox()
        self.export_button = self.buttons.addButton(
            self.tr("Export"), QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(
            self.tr("Cancel"), QtWidgets.QDialogButtonBox.ButtonRole.RejectRole
        )
        self.close_button = self.buttons.addButton(
            self.tr("Close"), QtWidgets.QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.cancel_button.hide()

        steps = QtWidgets.QHBoxLayout()
        steps.addWidget(self.start, 1)
        steps.addWidget(QtWidgets.QLabel("…"))
        steps.addWidget(self.stop, 1)
        steps.addWidget(self.whole)
        file_row = QtWidgets.QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        form = QtWidgets.QFormLayout()
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.mp4_note)
        form.addRow(self.tr("Cells"), steps)
        form.addRow(self.tr("Speed"), self.fps)
        form.addRow(self.count)
        form.addRow(self.tr("File"), file_row)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.progress)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.resize(640, self.sizeHint().height())

        self.format.currentIndexChanged.connect(self._on_format_changed)
        self.start.valueChanged.connect(self._on_range_changed)
        self.stop.valueChanged.connect(self._on_range_changed)
        self.fps.valueChanged.connect(self._on_range_changed)
        self.whole.clicked.connect(self.whole_lesson)
        self.browse.clicked.connect(self._on_browse)
        self.export_button.clicked.connect(self.export)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        self._on_range_changed()

    # -- settings ---------------------------------------------------------------------
    def set_format(self, key: str) -> None:
        self.format.setCurrentIndex(self.format.findData(key))

    def suffix(self) -> str:
        return dict(FORMATS)[self.format.currentData()]

    def whole_lesson(self) -> None:
        self.start.setValue(self.start.minimum())
        self.stop.setValue(self.stop.maximum())

    def _on_format_changed(self, _i: int = 0) -> None:
        path = Path(self.path.text().strip() or "convviz-lesson")
        self.path.setText(str(path.with_suffix(self.suffix())))

    def _on_range_changed(self, _=None) -> None:
        if self.stop.value() < self.start.value():
            self.stop.setValue(self.start.value())
        frames = self.stop.value() - self.start.value() + 1
        self.count.setText(
            self.tr("{0} frames, {1:.1f} s").format(frames, frames / self.fps.value())
        )

    def _ask_save_path(self, suggested: str) -> str:
        key = self.format.currentData()
        filters = {
            "gif": self.tr("GIF (*.gif)"),
            "apng": self.tr("Animated PNG (*.png *.apng)"),
            "mp4": self.tr("MP4 video (*.mp4)"),
        }
        return QtWidgets.QFileDialog.getSaveFileName(
            self,
            self.tr("Export the animation"),
            suggested,
            filters[key],
            options=QtWidgets.QFileDialog.Option.DontConfirmOverwrite,
        )[0]

    def _on_browse(self) -> None:
        path = self.ask_save_path(self.path.text())
        if path:
            p = Path(path)
            if p.suffix.lower() not in (".gif", ".png", ".apng", ".mp4"):
                p = p.with_suffix(self.suffix())
            self.path.setText(str(p))

    # -- exporting ----------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.worker is not None

    def export(self) -> bool:
        """Start writing; returns False when nothing was started (a message says why)."""
        if self.busy or self.prep is None:
            return False
        path = Path(self.path.text().strip()).expanduser()
        if not self.path.text().strip():
            self._say(self.tr("Give a file name."), error=True)
            return False
        if path.suffix.lower() not in (".gif", ".png", ".apng", ".mp4"):
            path = path.with_suffix(self.suffix())
            self.path.setText(str(path))
        if path.suffix.lower() == ".mp4" and not mp4_available():
            self._say(self.mp4_note.text(), error=True)
            return False
        if path.is_dir():
            self._say(self.tr("{0} is a folder; give a file name.").format(path), error=True)
            return False
        if not path.parent.is_dir():
            self._say(self.tr("{0}: no such folder.").format(path.parent), error=True)
            return False
        if path.exists() and not self.ask_yes_no(
            self.tr("Replace the file?"), self.tr("{0} already exists. Replace it?").format(path)
        ):
            self._say(self.tr("Not exported: the file is left as it was."))
            return False
        start, stop = self.start.value(), self.stop.value()
        self.worker = ExportWorker(self.prep, path, start, stop, self.fps.value(), self)
        self.worker.sigProgress.connect(self._on_progress)
        self.worker.sigDone.connect(self._on_done)
        self.worker.sigFailed.connect(self._on_failed)
        self.worker.finished.connect(self._on_finished)
        self.progress.setRange(0, stop - start + 1)
        self.progress.setValue(0)
        self.progress.show()
        self.export_button.setEnabled(False)
        self.cancel_button.show()
        self._say(self.tr("Writing {0}…").format(path))
        self.worker.start()
        return True

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(min(done, total))

    def _on_done(self, frames: int) -> None:
        self.frames_written = frames
        if self.worker is None:
            return
        path = self.worker.path
        self._say(self.tr("Wrote {0}: {1} frames.").format(path, frames))
        self.sigExported.emit(path, frames)

    def _on_failed(self, message: str) -> None:
        if message:
            self._say(self.tr("Could not export: {0}").format(message), error=True)
        else:
            self._say(self.tr("Cancelled; no file written."))

    def _on_finished(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.wait()
            worker.deleteLater()
        self.progress.hide()
        self.cancel_button.hide()
        self.export_button.setEnabled(True)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(
            f"color: {theme.palette().error}; font-weight: bold" if error else ""
        )

    # -- closing ----------------------------------------------------------------------
    def done(self, result: int) -> None:
        if self.worker is not None:  # closing while writing: stop and wait for the thread
            self.worker.cancel()
            self.worker.wait()
            self._on_finished()
        super().done(result)
