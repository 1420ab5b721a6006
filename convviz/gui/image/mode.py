"""The image mode: open a user's image, filter it on both paths, animate a region, save.

Glue between the :class:`ImageModel`, its views (the strip of pictures and the
side panel), the window's compute worker and the lesson, which animates the
region the user drags over the image. Both lanes always compute the *whole*
image; the lesson's cells equal the whole-image result on the region.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6 import QtCore

from convviz.core.images import check_output_path, load_image_info, save_result
from convviz.core.region import MAX_REGION_SIDE, Region, window_offset
from convviz.core.spec import ConvSpec
from convviz.core.tolerance import tolerance
from convviz.errors import ConvvizError
from convviz.gui import files
from convviz.gui.image import display
from convviz.gui.image.model import ImageModel, channel_names
from convviz.gui.image.panel import ImagePanel
from convviz.gui.image.strip import ImageStrip
from convviz.gui.lesson.lanes import PARALLEL, SEQUENTIAL
from convviz.gui.lesson.model import LessonModel
from convviz.gui.lesson.playback import Playback
from convviz.gui.lesson.view import LessonView
from convviz.gui.status import cuda_status_text
from convviz.gui.widgets.compute_worker import ComputeRunner, RunResult
from convviz.gui.widgets.job_runner import CallRunner
from convviz.gui.widgets.lane_text import device as lane_device

#: timed runs per lane on the whole image (median); a simulated lane runs once
REPEATS = 3
#: images (and saves) above this many pixels are decoded (written) off the GUI thread
BACKGROUND_PIXELS = display.BACKGROUND_PIXELS


def header_pixels(path: Path) -> int:
    """The pixels of the image at ``path`` from its header (nothing decoded); 0 when the
    header cannot tell (the file is then opened at once, and says what is wrong)."""
    try:
        if path.suffix.lower() == ".npy":
            shape = np.load(path, mmap_mode="r").shape
            return int(np.prod(shape[-2:])) if len(shape) >= 2 else 0
        from PIL import Image

        with Image.open(path) as im:
            return int(im.width * im.height)
    except Exception:  # not an image, unreadable: the real open says why
        return 0


class ImageMode(QtCore.QObject):
    """Runs the image's lanes on ``runner``, animates its region in ``lesson_model`` on
    ``lesson_view``, and asks and tells the user through ``dialogs``."""

    sigOpened = QtCore.Signal(object)  # the Path of a newly opened image
    #: an image is opening: the window switches to the image mode (before it is shown)
    sigEnterRequested = QtCore.Signal()
    #: a status-bar message and how long it stays (ms)
    sigStatus = QtCore.Signal(str, int)
    #: the device line after a run: where the parallel lane ran
    sigDeviceNote = QtCore.Signal(str)

    def __init__(
        self,
        runner: ComputeRunner,
        playback: Playback,
        lesson_model: LessonModel,
        lesson_view: LessonView,
        dialogs: files.Dialogs,
        parent: QtCore.QObject | None = None,
    ):
        super().__init__(parent)
        self.runner, self.playback = runner, playback
        #: big images decode, and big saves render and write, off the GUI thread
        self.io = CallRunner(self)
        self.io.sigDone.connect(self._on_io_done)
        self.lesson_model, self.lesson_view = lesson_model, lesson_view
        self.dialogs = dialogs
        self.model = ImageModel(self)
        self.strip = ImageStrip()
        self.panel = ImagePanel(self.model)
        self.active = False
        self.last_result: RunResult | None = None
        self.repeats, self.warmup = REPEATS, 1
        self._user_mode = False
        #: the cores' share measured this session, per image and settings: (image, spec,
        #: weights, bias) -> {threads: TimingRecord}; coming back to them shows it again
        self._cores_cache: dict[tuple, dict] = {}
        self._image_serial = 0

        m, s = self.model, self.strip
        m.sigPrepChanged.connect(self._on_prep_changed)
        m.sigRegionChanged.connect(self._on_region_changed)
        s.input.sigRegionEdited.connect(m.set_region)
        s.mode.activated.connect(self._on_mode_chosen)
        s.sigRunRequested.connect(self.run)
        s.sigCancelRequested.connect(runner.cancel)
        runner.sigBusyChanged.connect(self._on_busy_changed)
        runner.sigProgress.connect(self._on_progress)
        runner.sigCompiling.connect(
            lambda text: self.active and text and self.strip.note.setText(text)
        )
        runner.sigResult.connect(self._on_run_result)
        runner.sigCancelled.connect(self._on_cancelled)
        runner.sigCancelling.connect(self._on_cancelling)

    # -- opening ----------------------------------------------------------------------
    def open(self, path) -> bool:
        """Load ``path``; on any problem say so (one dialog) and keep what was shown."""
        path = Path(path)
        if header_pixels(path) > BACKGROUND_PIXELS:  # decoded off the GUI thread
            self.io.submit(lambda: load_image_info(path), ("open", path))
            self.sigStatus.emit(self.tr("Opening {0}…").format(path.name), 0)
            return True
        try:
            x, info = load_image_info(path)
        except (ConvvizError, MemoryError) as exc:
            return self._not_opened(path, exc)
        return self._opened(path, x, info)

    def _not_opened(self, path: Path, exc: BaseException) -> bool:
        """Say why ``path`` could not be opened (one dialog); what was shown stays."""
        if isinstance(exc, MemoryError):
            why = self.tr("{0}: not enough memory to load it").format(path)
        else:
            why = str(exc)
        self.dialogs.show_error(self.tr("Could not open the image"), why)
        return False

    def _opened(self, path: Path, x: np.ndarray, info) -> bool:
        self._user_mode = False
        self._image_serial += 1
        self.strip.set_image(x[None] if x.ndim == 2 else x, info)
        self.sigEnterRequested.emit()
        self.model.set_image(x, info, path)  # its signals start the run and the lesson
        files.add_recent(path)
        self.sigOpened.emit(path)
        return True

    def shutdown(self) -> None:
        """The window closes: a decode, save or drawing in flight is abandoned."""
        self.io.shutdown()
        self.strip.renders.shutdown()

    def _on_io_done(self, request, result, error) -> None:
        """A decode or a save finished in the background (the latest one only)."""
        kind, path = request.what
        if kind == "open":
            self.sigStatus.emit("", 0)
            if error is not None:
                self._not_opened(path, error)
            else:
                self._opened(path, *result)
        elif error is not None:
            self.dialogs.show_error(self.tr("Could not save"), str(error))
        else:
            self.sigStatus.emit(result, 10_000)

    # -- language -----------------------------------------------------------------------
    def retranslate(self) -> None:
        """The strip's and the panel's formatted texts in the language now installed."""
        self.strip.retranslate()
        self.panel.retranslate()
        if self.model.prep is not None and self.strip.image is not None:
            if self.active:
                self._on_region_changed()
                par = self.last_result.lanes.get(PARALLEL) if self.last_result else None
                if par is not None and par.out is not None:
                    self.sigDeviceNote.emit(self.device_note(par))

    def device_note(self, par) -> str:
        """The device line after a run: where the parallel lane ``par`` ran."""
        return self.tr("{0} · parallel lane ran on: {1} ({2})").format(
            cuda_status_text(), par.backend, lane_device(par)
        )

    # -- running ----------------------------------------------------------------------
    def _cores_key(self, prep) -> tuple:
        return (self._image_serial, prep.spec, prep.w.tobytes(), prep.b.tobytes())

    def run(self, again: bool = True) -> None:
        """Time both lanes on the whole image (cancels a run in flight). The cores'
        share (the same code on 1 and on all threads) is measured once per image and
        settings; ``again`` (the Run button) measures it anew."""
        m = self.model
        if m.prep is None or not self.active:
            return
        self.playback.pause()
        key = self._cores_key(m.prep)
        if again:
            self._cores_cache.pop(key, None)
        self.runner.submit(
            m.prep,
            (SEQUENTIAL, PARALLEL),
            repeats=self.repeats,
            warmup=self.warmup,
            fallbacks=((PARALLEL, "cpu-parallel"),),
            simulated_once=True,
            # the cores' share of its lead, seen apart (unless measured before)
            one_core=() if key in self._cores_cache else ("cpu-parallel",),
        )

    def _on_prep_changed(self) -> None:
        if self.strip.image is None:
            return  # the image is still being opened
        self.last_result = None
        self.strip.clear_results(self.tr("computing the whole image…"))
        self.run(again=False)

    def _on_run_result(self, result: RunResult) -> None:
        if not self.active or result.request.prep is not self.model.prep:
            return  # a lesson run, or a stale one
        self.last_result = result
        prep = result.request.prep
        par = result.lanes.get(PARALLEL)
        if par is not None and par.backend == "cpu-parallel" and par.error is None:
            key = self._cores_key(prep)
            if par.by_threads:
                self._cores_cache[key] = dict(par.by_threads)
            elif key in self._cores_cache:  # the figures seen before, not a new sample
                par.by_threads = dict(self._cores_cache[key])
                par.record = par.by_threads[max(par.by_threads)]
        _, h, w = prep.x.shape
        tol = tolerance(prep.x, prep.w)
        self.strip.show_results(result.lanes, h * w, tol, first=not self._user_mode)
        par = result.lanes.get(PARALLEL)
        if par is not None and par.out is not None:
            self.sigDeviceNote.emit(self.device_note(par))

    def _on_mode_chosen(self, _i: int) -> None:
        self._user_mode = True

    def _on_busy_changed(self, busy: bool) -> None:
        if self.active:
            self.strip.set_busy(busy)

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        if self.active:
            self.strip.set_progress(stage, done, total)

    def _on_cancelling(self) -> None:
        if self.active:
            self.strip.note.setText(self.tr("cancelling…"))

    def _on_cancelled(self) -> None:
        if self.active and self.last_result is None:
            self.strip.note.setText(self.tr("cancelled: press “Run both” to compute again"))

    # -- the region ---------------------------------------------------------------------
    def _on_region_changed(self) -> None:
        m = self.model
        if m.prep is None or m.region is None or self.strip.image is None:
            return
        s = m.prep.spec
        offset = window_offset(s)
        self.strip.set_geometry(offset, (s.out_h, s.out_w), s.c_out, m.region, MAX_REGION_SIDE)
        if not self.active:
            return
        lesson, gathered = m.region_lesson()
        self.lesson_model.set_lesson(lesson)
        names = channel_names(m.channels)
        layer = m.color_mode == "layer" and m.channels > 1
        view_channel = m.channel if layer else 0
        note = self.tr("region")
        if m.channels > 1 and not layer:
            note += self.tr(", channel {0}").format(names[m.channel])
        self.lesson_view.set_channel(view_channel, names if layer else None, note)
        self.panel.set_region_note(self.region_text(s, m.region, gathered, layer, names))

    def region_text(
        self, s: ConvSpec, r: Region, gathered: bool, layer: bool, names: list[str]
    ) -> str:
        m = self.model
        text = self.tr(
            "The lesson animates output rows {0}–{1}, columns {2}–{3} "
            "({4}×{5} of {6}×{7}). Its input is that region with its halo of "
            "real neighbouring pixels; hatched cells are padding, only where "
            "the region touches the image border."
        ).format(r.oy, r.oy + r.h - 1, r.ox, r.ox + r.w - 1, r.h, r.w, s.out_h, s.out_w)
        if gathered:
            text += " " + self.tr(
                "Here the padding reads pixels from elsewhere in the image "
                "(circular padding wraps to the far side), so those "
                "pixels are copied in and drawn as ordinary cells."
            )
        if layer:
            text += " " + self.tr(
                "All {0} channels are summed into each output cell; the "
                "lesson draws channel {1}'s pixels and products."
            ).format(m.channels, names[m.channel])
        elif m.channels > 1:
            text += " " + self.tr(
                "Each channel is filtered alone; the lesson animates channel {0}."
            ).format(names[m.channel])
        return text

    # -- saving -------------------------------------------------------------------------
    def result_lane(self):
        res = self.last_result
        if res is None:
            return None, None
        for key in (SEQUENTIAL, PARALLEL):
            lane = res.lanes.get(key)
            if lane is not None and lane.out is not None:
                return key, lane
        return None, None

    def save(self) -> bool:
        key, lane = self.result_lane()
        if lane is None:
            self.dialogs.show_error(
                self.tr("Nothing to save"), self.tr("Compute the result first (Run both).")
            )
            return False
        m = self.model
        opened = m.path if m.path is not None else Path("image.png")
        suggested = str(opened.with_name(f"{opened.stem}-{m.kernel_name}.png"))
        chosen = self.dialogs.ask_save_path(suggested, files.save_filters())
        if not chosen or lane.out is None:
            return False
        path = Path(chosen)
        try:
            check_output_path(path, inputs=[opened], force=True)
        except ConvvizError:
            if not self.dialogs.ask_yes_no(
                self.tr("Overwrite the opened image?"),
                self.tr("{0} is the image you opened. Replace it with the result?").format(path),
            ):
                return False
        out = lane.out[0] if lane.out.shape[0] == 1 else lane.out
        shown = self.strip.shown.get(key) if key is not None else None
        as_shown = self.tr("result as displayed ({0})").format(self.strip.mode.currentText())

        def write() -> str:  # (in the worker for a big result: no widget touched)
            if path.suffix.lower() in (".npy", ".tif", ".tiff"):
                note, what = save_result(path, out), self.tr("exact float32 result")
            else:
                if shown is None:
                    raise ConvvizError(f"{path}: the result is not on screen yet")
                rgb = display.render_rgb(shown)
                note = save_result(path, np.moveaxis(rgb, -1, 0).astype(np.float32))
                what = as_shown
            return self.tr("Saved the {0} to {1} {2}").format(what, path, note)

        if lane.out[0].size > BACKGROUND_PIXELS:
            self.io.submit(write, ("save", path))
            self.sigStatus.emit(self.tr("Saving {0}…").format(path.name), 0)
            return True
        try:
            done = write()
        except ConvvizError as exc:
            self.dialogs.show_error(self.tr("Could not save"), str(exc))
            return False
        self.sigStatus.emit(done, 10_000)
        return True
