"""The top of the image mode: run/cancel, display mode, and the four linked pictures.

Input (with the draggable region) | sequential lane | parallel lane | colour bar |
difference map (parallel − sequential). Hovering any picture reads out the input
pixel and both results at that place.
"""

from __future__ import annotations

import html
import math

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QSignalBlocker, Qt, Signal

from convviz.core.images import ImageInfo
from convviz.core.region import Region
from convviz.core.stepper import fmt_number
from convviz.gui import theme
from convviz.gui.image import display
from convviz.gui.image.model import channel_names
from convviz.gui.image.strip_head import StripHead
from convviz.gui.image.views import (
    ColorBar,
    InputPane,
    ResultPane,
    image_summary,
    lane_caveats,
    pane_facts,
    values_at,
)
from convviz.gui.lesson.lanes import PARALLEL, SEQUENTIAL, verdict_color, verdict_text
from convviz.gui.widgets.job_runner import CallRunner


def _wh(s: display.Shown) -> tuple[int, int]:
    """A picture's (width, height) in pixels."""
    return s.values.shape[1], s.values.shape[0]


class ImageStrip(QtWidgets.QWidget):
    sigRunRequested = Signal()
    sigCancelRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        #: a big image's pictures and difference map are made off the GUI thread
        self.renders = CallRunner(self)
        self.renders.sigDone.connect(self._on_rendered)
        self.head = StripHead()
        h = self.head
        self.run_button, self.progress = h.run_button, h.progress
        self.cancel_button, self.note = h.cancel_button, h.note
        self.mode, self.channel, self.channel_label = h.mode, h.channel, h.channel_label
        self.input = InputPane()
        self.sequential = ResultPane(self.tr("Sequential: CPU, one cell after another"))
        self.parallel = ResultPane(self.tr("Parallel: one thread per cell"))
        self.diff = ResultPane(self.tr("Difference parallel − sequential"))
        self.colorbar = ColorBar()
        self.panes = (self.input, self.sequential, self.parallel, self.diff)
        self._leveller = QtCore.QTimer(self, singleShot=True, interval=0)
        self._leveller.timeout.connect(self.level_facts)
        for pane in self.panes:
            pane.facts.installEventFilter(self)  # a new font: the facts levelled again
            pane.sigFactsChanged.connect(self.level_facts)
        for pane in self.panes:
            pane.vb.sigRangeChangedManually.connect(
                lambda _mask, src=pane.vb: self._sync_range(src)
            )
        row = QtWidgets.QHBoxLayout()
        row.setSpacing(4)
        row.addWidget(self.input, 1)
        row.addWidget(self.sequential, 1)
        row.addWidget(self.parallel, 1)
        row.addWidget(self.colorbar)
        row.addWidget(self.diff, 1)
        self.caveats = QtWidgets.QLabel()  # the lanes' caveats, under all the pictures
        self.caveats.setObjectName("imageCaveats")
        self.caveats.setTextFormat(Qt.TextFormat.RichText)
        self.caveats.setWordWrap(True)
        self.caveats.setFont(theme.font(14))
        self.caveats.hide()
        self.hover = QtWidgets.QLabel(self.tr("Hover a picture to read the values there."))
        self.hover.setObjectName("hoverValues")
        self.hover.setFont(theme.mono_font(15))
        self.hover.setTextFormat(Qt.TextFormat.RichText)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(3)
        lay.addWidget(self.head)
        lay.addLayout(row, 1)
        lay.addWidget(self.caveats)
        lay.addWidget(self.hover)

        self._results: tuple | None = None  # (lanes, pixels, tol) shown, to redraw the texts
        self.image: np.ndarray | None = None  # (C, H, W); not `x`, QWidget.x() is a method
        self.info: ImageInfo | None = None
        self.outs: dict[str, np.ndarray | None] = {SEQUENTIAL: None, PARALLEL: None}
        self.offset = (0, 0)
        self.shown: dict[str, display.Shown] = {}
        self.run_button.clicked.connect(self.sigRunRequested)
        self.cancel_button.clicked.connect(self.sigCancelRequested)
        self.mode.activated.connect(lambda _i: self.redraw())
        self.channel.activated.connect(lambda _i: self.redraw())
        for pane in (self.input, self.sequential, self.parallel, self.diff):
            pane.sigHovered.connect(self._on_hovered)
        self._fill_modes((0.0, 255.0))

    # -- the input --------------------------------------------------------------------
    def set_image(self, x: np.ndarray, info: ImageInfo) -> None:
        self.image, self.info = x, info
        c = x.shape[0]
        data = np.moveaxis(x, 0, -1) if c == 3 else x[0]
        lo, hi = info.value_range
        if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
            lo, hi = 0.0, 1.0
        self.input.set_values(
            display.Shown(
                np.ascontiguousarray(data, np.float32),
                (lo, hi),
                None if c == 3 else display.grey_lut(),
                "input",
            )
        )
        self.input.title.setText(
            self.tr("Input {0}: drag the orange region").format(info.path.name)
        )
        self.input.set_facts(html.escape(image_summary(info)))
        self.hover.setText(self.tr("Hover a picture to read the values there."))
        self._fill_modes(info.value_range)
        self.clear_results()
        self.show_all()

    def show_all(self) -> None:
        """Zoom every picture to the whole image."""
        if self.image is None:
            return
        _, h, w = self.image.shape
        for pane in self.panes:
            pane.vb.setRange(QtCore.QRectF(0, 0, w, h), padding=0.01)

    def _sync_range(self, source) -> None:
        """A user's pan or zoom on one picture moves the others the same way."""
        rect = source.viewRect()
        for pane in self.panes:
            if pane.vb is not source:
                pane.vb.setRange(rect, padding=0)

    def set_geometry(
        self,
        offset: tuple[int, int],
        out_hw: tuple[int, int],
        out_channels: int,
        region: Region,
        max_side: int,
    ) -> None:
        """Where the output lies over the input, and the region."""
        self.offset = offset
        self._out_hw = out_hw
        dy, dx = offset
        bounds = QtCore.QRectF(dx, dy, out_hw[1], out_hw[0])
        self.input.set_region(region, offset, bounds, max_side)
        rect = QtCore.QRectF(region.ox + dx, region.oy + dy, region.w, region.h)
        for pane in (self.sequential, self.parallel, self.diff):
            pane.set_outline(rect)
        names = (
            ["RGB"] + channel_names(3)
            if out_channels == 3
            else channel_names(out_channels)
            if out_channels > 1
            else []
        )
        current = self.channel.currentText()
        with QSignalBlocker(self.channel):
            self.channel.clear()
            self.channel.addItems(names)
            if current in names:
                self.channel.setCurrentText(current)
        self.channel.setVisible(bool(names))
        self.channel_label.setVisible(bool(names))

    def _fill_modes(self, value_range) -> None:
        lo, hi = display.levels("clipped", np.zeros((1, 1, 1)), value_range)
        texts = {
            "signed": self.tr("signed, 0 in the middle"),
            "absolute": self.tr("absolute |v|"),
            "clipped": self.tr("clipped {0}–{1}").format(fmt_number(lo), fmt_number(hi)),
        }
        current = self.mode.currentData()
        with QSignalBlocker(self.mode):
            self.mode.clear()
            for m in display.MODES:
                self.mode.addItem(texts[m], m)
            if current:
                self.mode.setCurrentIndex(self.mode.findData(current))

    def set_mode(self, mode: str) -> None:
        self.mode.setCurrentIndex(self.mode.findData(mode))
        self.redraw()

    def shown_channel(self) -> int | None:
        """The output channel drawn, or None for RGB."""
        text = self.channel.currentText() if self.channel.isVisibleTo(self) else ""
        if not text:
            return 0
        if text == "RGB":
            return None
        return self.channel.currentIndex() - (1 if self.channel.itemText(0) == "RGB" else 0)

    # -- results ----------------------------------------------------------------------
    def clear_results(self, note: str = "") -> None:
        self._results = None
        self.outs = {SEQUENTIAL: None, PARALLEL: None}
        self.shown = {}
        for pane in (self.sequential, self.parallel, self.diff):
            pane.set_values(None)
            pane.set_facts(html.escape(self.tr("not run yet")))
        self.diff.title.setText(self.tr("Difference parallel − sequential"))
        self._write_facts()
        self.note.setText(note)

    def show_results(self, lanes: dict, pixels: int, tol: float, first: bool) -> None:
        """The lanes' results on the whole image (``pixels`` of it); the two agree within
        ``tol`` (from :func:`convviz.core.tolerance.tolerance`)."""
        self._results = (lanes, pixels, tol)
        seq, par = lanes.get(SEQUENTIAL), lanes.get(PARALLEL)
        self.outs = {
            SEQUENTIAL: seq.out if seq is not None else None,
            PARALLEL: par.out if par is not None else None,
        }
        if first:
            ref = next((o for o in self.outs.values() if o is not None), None)  # seq first
            if ref is not None:
                self.mode.setCurrentIndex(self.mode.findData(display.default_mode(ref)))
        if par is not None and par.fallback:
            self.parallel.title.setText(self.tr("Parallel: all CPU cores, standing in for CUDA"))
        elif par is not None and par.simulated:
            self.parallel.title.setText(
                self.tr("Parallel: CUDA, one thread per cell (simulated on the CPU)")
            )
        else:
            self.parallel.title.setText(self.tr("Parallel: CUDA, one thread per cell"))
        self._write_facts()
        self.note.setText("")
        self.redraw()

    def _write_facts(self) -> None:
        """Under each picture its time, large (everything on hover); the caveats under
        all of them, the row's width: the pictures keep their room."""
        if self._results is None:
            self.caveats.clear()
            self.caveats.hide()
            return
        lanes, pixels, _tol = self._results
        seq, par = lanes.get(SEQUENTIAL), lanes.get(PARALLEL)
        px = QtGui.QFontInfo(self.sequential.facts.font()).pixelSize()
        seq_facts, par_facts = pane_facts(seq, par, pixels)
        seq_brief, par_brief = pane_facts(seq, par, pixels, brief=True, lead_px=max(20, px + 8))
        self.sequential.set_facts(seq_brief, seq_facts)
        self.parallel.set_facts(par_brief, par_facts)
        caveats = lane_caveats(seq, par)
        self.caveats.setText(caveats)
        self.caveats.setVisible(bool(caveats))

    def redraw(self) -> None:
        """Draw both lanes and their difference in the display mode chosen: at once for a
        small image, in the worker for a big one (a newer redraw drops an older one)."""
        vr = self.info.value_range if self.info else (0.0, 255.0)
        tol = self._results[2] if self._results else 0.0
        mode, ch, outs = self.mode.currentData() or "signed", self.shown_channel(), dict(self.outs)

        def make() -> display.Views:
            return display.views(outs, (SEQUENTIAL, PARALLEL), mode, ch, vr, tol)

        if any(o is not None and o[0].size > display.BACKGROUND_PIXELS for o in outs.values()):
            self.renders.submit(make)
        else:
            self._show_views(make())

    def _on_rendered(self, _request, views, error) -> None:
        if error is None and views is not None:
            self._show_views(views)

    def _show_views(self, v: display.Views) -> None:
        dy, dx = self.offset
        self.shown = dict(v.shown)
        lv = None
        for key, pane in ((SEQUENTIAL, self.sequential), (PARALLEL, self.parallel)):
            s = v.shown.get(key)
            pane.set_values(s, None if s is None else QtCore.QRectF(dx, dy, *_wh(s)))
            lv = s.levels if s is not None else lv
        self.colorbar.set_mode(v.mode if v.channel is not None else "clipped", lv or (-1.0, 1.0))
        if v.diff is None:
            self.diff.set_values(None)
            self.diff.set_facts(html.escape(self.tr("needs both lanes")))
            return
        s = self.shown["diff"] = v.diff
        self.diff.set_values(s, QtCore.QRectF(dx, dy, *_wh(s)))
        worst, verdict, m = v.worst, v.verdict, v.diff_max
        color = verdict_color(verdict)
        scale = (
            self.tr("scale ±{0}").format(fmt_number(m))
            if m > 0
            else self.tr("every pixel equal (uniform)")
        )
        self.diff.set_facts(
            self.tr("max |Δ| = {0}<br><b style='color:{1}'>{2}</b><br>{3}").format(
                f"{worst:.3g}", color, html.escape(verdict_text(verdict)), html.escape(scale)
            )
        )

    # -- language, theme ----------------------------------------------------------------
    def retranslate(self) -> None:
        """Draw the formatted texts again in the language now installed."""
        if self.info is not None:
            self.input.title.setText(
                self.tr("Input {0}: drag the orange region").format(self.info.path.name)
            )
            self.input.set_facts(html.escape(image_summary(self.info)))
        self._fill_modes(self.info.value_range if self.info else (0.0, 255.0))
        if self._results is not None:
            lanes, pixels, tol = self._results
            self.show_results(lanes, pixels, tol, first=False)
        else:
            for pane in (self.sequential, self.parallel, self.diff):
                if pane.facts.text():  # never run: it stays as it is
                    pane.set_facts(html.escape(self.tr("not run yet")))
        self.hover.setText(self.tr("Hover a picture to read the values there."))

    def refresh_theme(self) -> None:
        for pane in self.panes:
            pane.refresh_theme()
        self.colorbar.refresh_theme()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._leveller.start()  # once the panes have their new widths

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QtCore.QEvent.Type.FontChange and obj is self.sequential.facts:
            self._write_facts()  # the time's figure in the new type's proportion
        if event.type() in (QtCore.QEvent.Type.FontChange, QtCore.QEvent.Type.Resize):
            self._leveller.start()
        return False

    def level_facts(self) -> None:
        """Every pane's facts as tall as the tallest needs: the pictures stay level and
        no caveat is cut."""
        need = max(pane.facts_height() for pane in self.panes)
        for pane in self.panes:
            pane.facts.setFixedHeight(need)

    def set_presentation(self, on: bool) -> None:
        """Presentation mode: one line of title over each picture, and no hover hint (a
        class does not hover): the pictures keep their room."""
        for pane in self.panes:
            pane.set_title_lines(1 if on else 2)
        self.hover.setVisible(not on)
        self.colorbar.set_presentation(on)

    # -- busy -------------------------------------------------------------------------
    def set_busy(self, busy: bool) -> None:
        self.head.set_busy(busy)

    def set_progress(self, stage: str, done: int, total: int) -> None:
        self.head.set_progress(stage, done, total)

    # -- hover ------------------------------------------------------------------------
    def _on_hovered(self, x: float, y: float) -> None:
        if self.image is None or math.isnan(x):
            return
        iy, ix = math.floor(y), math.floor(x)
        _, h, w = self.image.shape
        if not (0 <= iy < h and 0 <= ix < w):
            return
        self.hover.setText(self.hover_text(iy, ix))

    def hover_text(self, iy: int, ix: int) -> str:
        """The values at input pixel (iy, ix) and the output cell drawn over it."""
        if self.image is None:  # no image yet: nothing to read
            return ""
        a, b = self.outs.get(SEQUENTIAL), self.outs.get(PARALLEL)
        return values_at(self.image, a, b, self.offset, iy, ix)
