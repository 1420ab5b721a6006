"""The whole image: input (with the region the lesson animates), both lanes, the difference.

Each pane is one pyqtgraph ImageItem (row-major float32, explicit levels) in a
ViewBox; the panes are linked, so zooming or panning one moves all four. The
lanes are placed so that output cell (oy, ox) lies over the input pixel at the
centre of its window: with "same" padding the pictures line up pixel for pixel.
"""

from __future__ import annotations

import dataclasses
import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt, Signal

from convviz.core.region import Region
from convviz.core.stepper import fmt_number
from convviz.engine import LaneResult
from convviz.gui import theme
from convviz.gui.image import display
from convviz.gui.image.region_roi import RegionROI
from convviz.gui.widgets import lane_text as lane_words
from convviz.gui.widgets.fit_label import FitLabel
from convviz.gui.widgets.lane_text import note_text  # noqa: F401  (panel.py reads it here)


def tr(text: str) -> str:
    return QtCore.QCoreApplication.translate("ImageViews", text)


def image_summary(info) -> str:
    """:meth:`ImageInfo.summary` in the language in use, e.g. ``PNG 640×480, RGB 8-bit → 3
    channels``."""
    w, h = info.size
    ch = tr("1 channel") if info.channels == 1 else tr("{0} channels").format(info.channels)
    bits = tr(" {0}-bit").format(info.bit_depth) if info.format != "NPY" else ""
    text = tr("{0} {1}×{2}, {3}{4} → {5}").format(info.format, w, h, info.mode, bits, ch)
    if info.alpha != "none":
        text += tr("; alpha dropped")
    if info.exif_rotated:
        text += tr("; EXIF orientation applied")
    if info.frames > 1:
        text += tr("; frame 1 of {0}").format(info.frames)
    return text


def _pen(color: str, width: float, dashed: bool = False) -> QtGui.QPen:
    pen = QtGui.QPen(QtGui.QColor(color))
    pen.setWidthF(width)
    pen.setCosmetic(True)  # width in screen pixels, whatever the zoom
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


class ImagePane(QtWidgets.QFrame):
    """A titled picture with a line of facts under it."""

    sigHovered = Signal(float, float)  # view (image pixel) coordinates; nan when outside
    sigFactsChanged = Signal()

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.title = FitLabel(title)  # two lines at most, the whole text on hover
        self.title.setFont(theme.font(16, bold=True))
        self.title.setFixedHeight(44)  # two lines: the pictures stay level
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.graphics = pg.GraphicsView(background="w")
        self.graphics.setAcceptDrops(False)  # a dropped file goes to the window
        self.graphics.viewport().setAcceptDrops(False)
        self.graphics.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.vb = pg.ViewBox(lockAspect=True, invertY=True, enableMenu=False, defaultPadding=0.01)
        self.graphics.setCentralItem(self.vb)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.vb.addItem(self.image)
        self.facts = QtWidgets.QLabel()
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setWordWrap(True)
        self.facts.setFont(theme.font(12))
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # the title two lines of its font, the facts as tall as the strip makes them
        # (ImageStrip.level_facts): both follow their fonts (presentation mode's too)
        self.title.installEventFilter(self)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(3, 3, 3, 3)
        lay.setSpacing(2)
        lay.addWidget(self.title)
        lay.addWidget(self.graphics, 1)
        lay.addWidget(self.facts)
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.values: np.ndarray | None = None

    def eventFilter(self, obj, event) -> bool:
        if obj is self.title and event.type() == QtCore.QEvent.Type.FontChange:
            self._fit_title()
        return False

    def set_title_lines(self, lines: int) -> None:
        """Two lines of title (one in presentation mode: the picture keeps its room; the
        rest on hover)."""
        self.title.lines = lines
        self._fit_title()

    def _fit_title(self) -> None:
        self.title.setFixedHeight(self.title.lines * self.title.fontMetrics().lineSpacing() + 4)
        self.title.setText(self.title.text())  # shortened again for its lines

    def set_facts(self, text: str, whole: str = "") -> None:
        """The facts under the picture; ``whole``, when longer, on hover."""
        self.facts.setText(text)
        self.facts.setToolTip(whole if whole and whole != text else "")
        self.sigFactsChanged.emit()

    def facts_height(self) -> int:
        """The height the facts need at the pane's width now."""
        width = max(self.facts.width(), 40)
        line = self.facts.fontMetrics().lineSpacing()
        return max(self.facts.heightForWidth(width), line)  # (-1: no text)

    def refresh_theme(self) -> None:
        """The picture's background follows the theme (light or dark)."""
        self.graphics.setBackground(theme.palette().empty_bg)

    def set_values(self, s: display.Shown | None, rect: QtCore.QRectF | None = None) -> None:
        if s is None:
            self.image.clear()
            self.values = None
            return
        self.values = s.values
        self.image.setImage(s.values, levels=s.levels, lut=s.lut, autoLevels=False)
        h, w = s.values.shape[:2]
        self.image.setRect(rect if rect is not None else QtCore.QRectF(0, 0, w, h))

    def _on_mouse_moved(self, scene_pos) -> None:
        if not self.vb.sceneBoundingRect().contains(scene_pos):
            self.sigHovered.emit(math.nan, math.nan)
            return
        p = self.vb.mapSceneToView(scene_pos)
        self.sigHovered.emit(p.x(), p.y())


class InputPane(ImagePane):
    """The input image and the draggable region, snapped to whole pixels."""

    sigRegionEdited = Signal(object)  # Region of output cells

    def __init__(self, parent=None):
        super().__init__(tr("Input"), parent)
        self.offset = (0, 0)
        self.max_side = 24
        self.roi = RegionROI(  # drawn and grabbed at a usable size, however small
            (0, 0),
            (10, 10),
            pen=_pen(theme.palette().window, 3),
            hoverPen=_pen(theme.palette().window, 5),
            snapSize=1.0,
            translateSnap=True,
            scaleSnap=True,
            rotatable=False,
        )
        self.roi.setZValue(10)
        self.roi.setToolTip(tr("Drag the region the lesson animates; drag its corner to resize it"))
        self.vb.addItem(self.roi)
        self.roi.sigRegionChangeFinished.connect(self._on_roi_finished)

    def set_region(
        self, region: Region, offset: tuple[int, int], bounds: QtCore.QRectF, max_side: int
    ) -> None:
        self.offset, self.max_side = offset, max_side
        dy, dx = offset
        self.roi.maxBounds = bounds
        self.roi.blockSignals(True)
        try:
            self.roi.setPos((region.ox + dx, region.oy + dy), update=False)
            self.roi.setSize((region.w, region.h), update=True, finish=False)
        finally:
            self.roi.blockSignals(False)
        self.roi.update()

    def region(self) -> Region:
        """The ROI as output cells (rounded to whole cells, size limited)."""
        pos, size = self.roi.pos(), self.roi.size()
        dy, dx = self.offset
        h = int(min(max(round(size.y()), 1), self.max_side))
        w = int(min(max(round(size.x()), 1), self.max_side))
        return Region(int(round(pos.y())) - dy, int(round(pos.x())) - dx, h, w)

    def _on_roi_finished(self, _roi=None) -> None:
        self.sigRegionEdited.emit(self.region())


#: the region's outline on a result is never drawn smaller than this (screen pixels): a
#: 10×10 region of a 512² image is 3 pixels wide on screen, and its dashed outline
#: read as a stray letter "n"
MIN_OUTLINE_PX = 14


class ResultPane(ImagePane):
    """A whole-image result (or the difference), with the region outlined."""

    def __init__(self, title: str, parent=None):
        super().__init__(title, parent)
        self.outline = QtWidgets.QGraphicsRectItem()
        self.outline.setPen(_pen(theme.palette().window, 2, dashed=True))
        self.outline.setZValue(10)
        self.outline.setToolTip(tr("The region the lesson animates"))
        self.vb.addItem(self.outline)
        self.outline_rect: QtCore.QRectF | None = None  # the region, in image pixels
        self.vb.sigTransformChanged.connect(self._place_outline)
        self.vb.sigResized.connect(self._place_outline)

    def set_outline(self, rect: QtCore.QRectF | None) -> None:
        self.outline_rect = rect
        self.outline.setVisible(rect is not None)
        self._place_outline()

    def _place_outline(self, *_args) -> None:
        """The region as it is, or, where it would be a speck on screen, a solid square of
        :data:`MIN_OUTLINE_PX` around its centre."""
        rect = self.outline_rect
        if rect is None:
            return
        try:
            px_w, px_h = self.vb.viewPixelSize()  # image pixels per screen pixel
        except Exception:  # no size yet (hidden, or not laid out)
            px_w = px_h = 0.0
        if not (px_w > 0 and px_h > 0):
            self.outline.setRect(rect)
            return
        w, h = max(rect.width(), MIN_OUTLINE_PX * px_w), max(rect.height(), MIN_OUTLINE_PX * px_h)
        small = (w, h) != (rect.width(), rect.height())
        self.outline.setPen(_pen(theme.palette().window, 2, dashed=not small))
        c = rect.center()
        self.outline.setRect(QtCore.QRectF(c.x() - w / 2, c.y() - h / 2, w, h))

    def outline_on_screen(self) -> QtCore.QRectF:
        """The outline's rectangle in screen pixels (for tests)."""
        return self.outline.mapRectToScene(self.outline.rect())


def lane_facts(
    lane: LaneResult | None,
    pixels: int,
    cores: bool = True,
    device: bool = True,
    brief: bool = False,
    lead_px: int = 20,
) -> str:
    """A lane's time, device and anything a user must know, as rich text (the words of
    :mod:`convviz.gui.widgets.lane_text`, the same in every screen); ``cores`` False
    leaves the cores' share to another pane, ``device`` False the device line (the
    status bar names it). A caveat comes first. ``brief``: the time's figure alone (the
    pane under a picture shows it; the caveats go under all the pictures:
    :func:`lane_caveats`)."""
    if lane is None:
        return html.escape(tr("not run yet"))
    lines = lane_words.lines(lane, cores=cores, device=device)
    if brief:
        lines = [dataclasses.replace(ln, text="") for ln in lines if ln.lead]
        if not lines:  # no time: an error says why
            lines = [ln for ln in lane_words.lines(lane) if ln.kind == "error"]
    lines.sort(key=lambda line: line.kind != "warning")  # stable: the rest keep their order
    return lane_words.rich(lines, lead_px=lead_px)


def lane_caveats(*lanes: LaneResult | None) -> str:
    """The lanes' caveats (warnings), each once, as rich text ('' when none)."""
    seen: list[str] = []
    out = []
    for lane in lanes:
        if lane is None:
            continue
        for line in lane_words.lines(lane):
            if line.kind == "warning" and line.text not in seen:
                seen.append(line.text)
                out.append(lane_words.rich_line(line))
    return "<br>".join(out)


def values_at(image: np.ndarray, a, b, offset: tuple[int, int], iy: int, ix: int) -> str:
    """The values at input pixel (iy, ix) of ``image`` and, where an output cell lies
    over it (``offset``), the sequential ``a``'s and the parallel ``b``'s (either None)."""

    parts = [
        QtCore.QCoreApplication.translate(
            "ImageStrip", "pixel (row {0}, col {1}): input <b>{2}</b>"
        ).format(iy, ix, value_text(image[:, iy, ix]))
    ]
    dy, dx = offset
    oy, ox = iy - dy, ix - dx
    ref = a if a is not None else b
    if ref is not None and 0 <= oy < ref.shape[1] and 0 <= ox < ref.shape[2]:
        if a is not None:
            parts.append(
                QtCore.QCoreApplication.translate("ImageStrip", "sequential <b>{0}</b>").format(
                    value_text(a[:, oy, ox])
                )
            )
        if b is not None:
            parts.append(
                QtCore.QCoreApplication.translate("ImageStrip", "parallel <b>{0}</b>").format(
                    value_text(b[:, oy, ox])
                )
            )
        if a is not None and b is not None:
            diff = b[:, oy, ox].astype(np.float64) - a[:, oy, ox]
            parts.append(
                QtCore.QCoreApplication.translate("ImageStrip", "Δ {0}").format(value_text(diff))
            )
    elif ref is not None:
        parts.append(
            QtCore.QCoreApplication.translate("ImageStrip", "no output cell here (valid padding)")
        )
    return " · ".join(parts)


def value_text(v) -> str:
    if isinstance(v, np.ndarray) and v.size > 1:
        return " ".join(fmt_number(float(a)) for a in v)
    return fmt_number(float(np.ravel(v)[0]))


class ColorBar(pg.GraphicsLayoutWidget):
    """One colour bar for both lanes (they share the levels)."""

    def __init__(self, parent=None):
        super().__init__(parent, show=False)
        self.setBackground("w")
        self.setFixedWidth(92)
        self.bar = pg.ColorBarItem(
            values=(-1, 1),
            colorMap=display.colormap("signed"),
            interactive=False,
            width=18,
            colorMapMenu=False,
        )
        self.bar.axis.setTextPen(pg.mkPen("k"))
        self.bar.axis.setPen(pg.mkPen("k"))
        self.bar.axis.setStyle(tickFont=theme.font(12))
        self._axis_width = self.bar.axis.fixedWidth  # (pyqtgraph's colour bar fixes one)
        self.addItem(self.bar)

    def set_presentation(self, on: bool) -> None:
        """The ticks in the lecture hall's type (28 px), the bar widened to hold them
        ("-400"): pyqtgraph's own widening lags a redraw behind and drops the ticks that
        do not fit meanwhile."""
        self.setFixedWidth(160 if on else 92)
        self.bar.axis.setStyle(tickFont=theme.font(28 if on else 12))
        self.bar.axis.setWidth(110 if on else self._axis_width)

    def refresh_theme(self) -> None:
        self.setBackground(theme.palette().empty_bg)
        ink = pg.mkPen(theme.palette().text)
        self.bar.axis.setTextPen(ink)
        self.bar.axis.setPen(ink)

    def set_mode(self, mode: str, levels: tuple[float, float]) -> None:
        self.bar.setColorMap(display.colormap(mode))
        self.bar.setLevels(values=levels)


def pane_facts(
    seq: LaneResult | None,
    par: LaneResult | None,
    pixels: int,
    brief: bool = False,
    lead_px: int = 20,
) -> tuple[str, str]:
    """The sequential and the parallel panes' facts. The cores' share (the same code on 1
    thread and on all) stands under the one-cell loop it is measured against, so that the
    parallel pane keeps room for its caveats; a stand-in's device is left to the status
    bar (its title already says all CPU cores)."""
    seq_facts = lane_facts(seq, pixels, brief=brief, lead_px=lead_px)
    cores = lane_words.cores_rich(par) if par is not None else ""
    if seq is not None and cores and not brief:
        seq_facts += "<br>" + cores
    device = par is None or par.fallback is None
    par_facts = lane_facts(par, pixels, cores=False, device=device, brief=brief, lead_px=lead_px)
    return seq_facts, par_facts
