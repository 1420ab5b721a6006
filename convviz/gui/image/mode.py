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
from convviz.core.region import MAX_REGION_SIDE, window_offset
from convviz.errors import ConvvizError
from convviz.gui import files
from convviz.gui.image import display
from convviz.gui.image.model import ImageModel, channel_names
from convviz.gui.image.panel import ImagePanel
from convviz.gui.image.strip import ImageStrip
from convviz.gui.image.views import device_text
from convviz.gui.lesson.lanes import PARALLEL, SEQUENTIAL
from convviz.gui.widgets.compute_worker import RunResult

#: timed runs per lane on the whole image (median); a simulated lane runs once
REPEATS = 3


class ImageMode(QtCore.QObject):
    sigOpened = QtCore.Signal(object)  # the Path of a newly opened image

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.model = ImageModel(self)
        self.strip = ImageStrip()
        self.panel = ImagePanel(self.model)
        self.active = False
        self.last_result: RunResult | None = None
        self.repeats, self.warmup = REPEATS, 1
        self._user_mode = False

        m, s = self.model, self.strip
        m.sigPrepChanged.connect(self._on_prep_changed)
        m.sigRegionChanged.connect(self._on_region_changed)
        s.input.sigRegionEdited.connect(m.set_region)
        s.mode.activated.connect(self._on_mode_chosen)
        s.sigRunRequested.connect(self.run)
        s.sigCancelRequested.connect(window.runner.cancel)
        runner = window.runner
        runner.sigBusyChanged.connect(self._on_busy_changed)
        runner.sigProgress.connect(self._on_progress)
        runner.sigResult.connect(self._on_run_result)
        runner.sigCancelled.connect(self._on_cancelled)

    # -- opening ----------------------------------------------------------------------
    def open(self, path) -> bool:
        """Load ``path``; on any problem say so (one dialog) and keep what was shown."""
        path = Path(path)
        try:
            x, info = load_image_info(path)
        except ConvvizError as exc:
            self.window.show_error(self.tr("Could not open the image"), str(exc))
            return False
        except MemoryError:
            self.window.show_error(
                self.tr("Could not open the image"),
                self.tr("{0}: not enough memory to load it").format(path),
            )
            return False
        self._user_mode = False
        self.strip.set_image(x[None] if x.ndim == 2 else x, info)
        self.window.enter_image_mode()
        self.model.set_image(x, info, path)  # its signals start the run and the lesson
        files.add_recent(path)
        self.sigOpened.emit(path)
        return True

    # -- language -----------------------------------------------------------------------
    def retranslate(self) -> None:
        """The strip's and the panel's formatted texts in the language now installed."""
        self.strip.retranslate()
        self.panel.retranslate()
        if self.model.prep is not None and self.strip.x is not None:
            if self.active:
                self._on_region_changed()
                par = self.last_result.lanes.get(PARALLEL) if self.last_result else None
                if par is not None and par.out is not None:
                    self.window.device_label.setText(
                        self.tr("{0} · parallel lane ran on: {1} ({2})").format(
                            self.window.device_text(), par.backend, device_text(par.device)
                        )
                    )

    # -- running ----------------------------------------------------------------------
    def run(self) -> None:
        """Time both lanes on the whole image (cancels a run in flight)."""
        m = self.model
        if m.prep is None or not self.active:
            return
        self.window.playback.pause()
        self.window.runner.submit(
            m.prep,
            (SEQUENTIAL, PARALLEL),
            repeats=self.repeats,
            warmup=self.warmup,
            fallbacks=((PARALLEL, "cpu-parallel"),),
            simulated_once=True,
        )

    def _on_prep_changed(self) -> None:
        if self.strip.x is None:
            return  # the image is still being opened
        self.last_result = None
        self.strip.clear_results(self.tr("computing the whole image…"))
        self.run()

    def _on_run_result(self, result: RunResult) -> None:
        if not self.active or result.request.prep is not self.model.prep:
            return  # a lesson run, or a stale one
        self.last_result = result
        _, h, w = self.model.x.shape
        self.strip.show_results(result.lanes, h * w, first=not self._user_mode)
        par = result.lanes.get(PARALLEL)
        if par is not None and par.out is not None:
            self.window.device_label.setText(
                self.tr("{0} · parallel lane ran on: {1} ({2})").format(
                    self.window.device_text(), par.backend, device_text(par.device)
                )
            )

    def _on_mode_chosen(self, _i: int) -> None:
        self._user_mode = True

    def _on_busy_changed(self, busy: bool) -> None:
        if self.active:
            self.strip.set_busy(busy)

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        if self.active:
            self.strip.set_progress(stage, done, total)

    def _on_cancelled(self) -> None:
        if self.active and self.last_result is None:
            self.strip.note.setText(self.tr("cancelled: press “Run both” to compute again"))

    # -- the region ---------------------------------------------------------------------
    def _on_region_changed(self) -> None:
        m = self.model
        if m.prep is None or self.strip.x is None:
            return
        s = m.prep.spec
        offset = window_offset(s)
        self.strip.set_geometry(offset, (s.out_h, s.out_w), s.c_out, m.region, MAX_REGION_SIDE)
        if not self.active:
            return
        lesson, gathered = m.region_lesson()
        self.window.model.set_lesson(lesson)
        names = channel_names(m.channels)
        layer = m.color_mode == "layer" and m.channels > 1
        view_channel = m.channel if layer else 0
        note = self.tr("region")
        if m.channels > 1 and not layer:
            note += self.tr(", channel {0}").format(names[m.channel])
        self.window.lesson_view.set_channel(view_channel, names if layer else None, note)
        self.panel.set_region_note(self.region_text(gathered, layer, names))

    def region_text(self, gathered: bool, layer: bool, names: list[str]) -> str:
        m = self.model
        r, s = m.region, m.prep.spec
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
            self.window.show_error(
                self.tr("Nothing to save"), self.tr("Compute the result first (Run both).")
            )
            return False
        m = self.model
        suggested = str(m.path.with_name(f"{m.path.stem}-{m.kernel_name}.png"))
        path = self.window.ask_save_path(suggested, files.save_filters())
        if not path:
            return False
        path = Path(path)
        try:
            check_output_path(path, inputs=[m.path], force=True)
        except ConvvizError:
            if not self.window.ask_yes_no(
                self.tr("Overwrite the opened image?"),
                self.tr("{0} is the image you opened. Replace it with the result?").format(path),
            ):
                return False
        try:
            if path.suffix.lower() in (".npy", ".tif", ".tiff"):
                out = lane.out[0] if lane.out.shape[0] == 1 else lane.out
                note = save_result(path, out)
                what = self.tr("exact float32 result")
            else:
                shown = self.strip.shown.get(key)
                rgb = display.render_rgb(shown)
                note = save_result(path, np.moveaxis(rgb, -1, 0).astype(np.float32))
                what = self.tr("result as displayed ({0})").format(self.strip.mode.currentText())
        except ConvvizError as exc:
            self.window.show_error(self.tr("Could not save"), str(exc))
            return False
        self.window.statusBar().showMessage(
            self.tr("Saved the {0} to {1} {2}").format(what, path, note), 10_000
        )
        return True
