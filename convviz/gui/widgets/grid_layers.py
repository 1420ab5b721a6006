"""The light items a :class:`~convviz.gui.widgets.grid_view.GridView` draws over its
image, in device pixels: the grid lines and the numbers (:class:`NumberLayer`),
outlined or filled boxes of cells (:class:`RectLayer`) and arrows (:class:`ArrowLayer`).
Digits are sized from the cell's size on screen, so they grow with the window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt

from convviz.gui import theme

#: the most of a cell's side an outline may cover (NumberLayer keeps digits inside it)
OUTLINE_SHARE = 0.14
#: digits' pixel size as a share of the cell's height (× NumberLayer.digits_scale), and the most
#: it may reach: a one-digit number fills about half its cell
DIGITS_SHARE, DIGITS_MAX_SHARE = 0.52, 0.75


@dataclass(frozen=True)
class Box:
    """A rectangle of cells: top row, left column, rows, columns."""

    r: int
    c: int
    h: int = 1
    w: int = 1


class _DeviceItem(QtWidgets.QGraphicsObject):
    """An item covering rows × cols that paints in device pixels.

    A plain QGraphicsObject: it needs none of pyqtgraph's item machinery (view range
    callbacks, data bounds), whose Python callbacks on every change made a grid cost
    twice as much to build (seven grids before the window shows)."""

    def __init__(self, z: float):
        super().__init__()
        self._rows, self._cols = 1, 1
        self.setZValue(z)

    def set_shape(self, rows: int, cols: int) -> None:
        if (rows, cols) == (self._rows, self._cols):
            return
        self.prepareGeometryChange()
        self._rows, self._cols = rows, cols
        self.update()

    def boundingRect(self):
        return QtCore.QRectF(-1, -1, self._cols + 2, self._rows + 2)

    @staticmethod
    def _cell_rect(t: QtGui.QTransform, r: float, c: float, h: float, w: float) -> QtCore.QRectF:
        return t.mapRect(QtCore.QRectF(c, r, w, h))


def fit_font(font: QtGui.QFont, text: str, width: float) -> QtGui.QFont:
    """``font``, or a smaller copy of it in which ``text`` is at most ``width`` pixels wide
    (never below 6 px): a long number such as -371 gets a smaller font, not clipped."""
    wide = QtGui.QFontMetricsF(font).horizontalAdvance(text)
    if wide <= width or font.pixelSize() <= 6:
        return font
    smaller = QtGui.QFont(font)
    px = font.pixelSize()
    smaller.setPixelSize(max(6, int(px * width / wide)))
    while smaller.pixelSize() > 6 and QtGui.QFontMetricsF(smaller).horizontalAdvance(text) > width:
        smaller.setPixelSize(smaller.pixelSize() - 1)  # hinting can round a size up
    return smaller


#: the least pixel size digits are drawn at
MIN_DIGITS_PX = 6


def fits_at_least(texts: np.ndarray, room: float) -> bool:
    """Whether the widest of ``texts`` fits ``room`` pixels at the least digit size."""
    metrics = QtGui.QFontMetricsF(theme.font(MIN_DIGITS_PX, bold=True))
    return all(metrics.horizontalAdvance(t) <= room for t in set(texts.flat) if t)


class NumberLayer(_DeviceItem):
    """Grid lines and one (or two) lines of text per cell."""

    def __init__(self):
        super().__init__(z=3)
        self.texts: np.ndarray = np.empty((0, 0), object)
        self.subs: np.ndarray | None = None
        self.white: np.ndarray = np.zeros((0, 0), bool)
        self.faint: np.ndarray = np.zeros((0, 0), bool)
        self.bare: np.ndarray = np.zeros((0, 0), bool)  # text on the background
        self.show_grid = True
        self.digits_scale = 1.0  # digits' size relative to the cell (bigger in presentation)
        self.digits_px = 0
        #: (row, col) -> width in screen pixels of the widest outline drawn inside that
        #: cell's edge: its digits stay clear of it
        self.insets: dict[tuple[int, int], float] = {}

    def set_insets(self, insets: dict[tuple[int, int], float]) -> None:
        if insets != self.insets:
            self.insets = insets
            self.update()

    def set_cells(self, texts, white, faint=None, subs=None, bare=None) -> None:
        self.texts, self.white, self.subs = texts, white, subs
        self.faint = np.zeros(texts.shape, bool) if faint is None else faint
        self.bare = np.zeros(texts.shape, bool) if bare is None else bare
        if texts.shape != (self._rows, self._cols):
            self.set_shape(*texts.shape)
        self.update()

    def paint(self, p, *args):
        t = p.transform()
        rows, cols = self.texts.shape
        if rows == 0:
            return
        cw, ch = abs(t.m11()), abs(t.m22())
        p.resetTransform()
        if self.show_grid:
            pen = QtGui.QPen(QtGui.QColor(theme.palette().grid_line))
            pen.setWidthF(2.0 if theme.palette().high_contrast else 1.0)
            p.setPen(pen)
            for r in range(rows + 1):
                p.drawLine(t.map(QtCore.QPointF(0, r)), t.map(QtCore.QPointF(cols, r)))
            for c in range(cols + 1):
                p.drawLine(t.map(QtCore.QPointF(c, 0)), t.map(QtCore.QPointF(c, rows)))
        longest = max((len(s) for s in self.texts.flat), default=1) or 1
        k = self.digits_scale
        main_px = int(
            min(min(DIGITS_SHARE * k, DIGITS_MAX_SHARE) * ch, 0.92 * cw / (0.58 * longest))
        )
        if self.subs is not None:
            main_px = int(min(main_px, 0.38 * ch))
            sub_long = max((len(s) for s in self.subs.flat), default=1) or 1
            sub_px = int(min(0.24 * ch, 0.92 * cw / (0.58 * sub_long)))
        room = 0.86 * cw  # a gap to the grid line, so neighbours do not run together
        # too small to read, or a number wider than its cell even at the least size: no
        # digits at all in this grid (never some cut, never neighbours run together)
        if main_px < MIN_DIGITS_PX or not fits_at_least(self.texts, room):
            self.digits_px = 0
            return  # the colours alone carry the picture
        self.digits_px = main_px  # as last drawn (tests read it)
        main_font = theme.font(main_px, bold=True)
        faint_font = theme.font(main_px)
        faint_font.setItalic(True)
        colors = {
            (False, False): QtGui.QColor(theme.DIGITS_DARK),
            (True, False): QtGui.QColor(theme.DIGITS_LIGHT),
            (False, True): QtGui.QColor(theme.palette().faint_text),
            (True, True): QtGui.QColor("#dddddd"),
        }
        on_bg = QtGui.QColor(theme.palette().text)
        # a long number gets a smaller font of its own, never clipped: the cell's width,
        # less an outline drawn inside it (as RectLayer limits it)
        outline_cap = max(1.5, OUTLINE_SHARE * min(cw, ch))
        for r in range(rows):
            for c in range(cols):
                text = self.texts[r, c]
                if not text and (self.subs is None or not self.subs[r, c]):
                    continue
                rect = self._cell_rect(t, r, c, 1, 1)
                p.setPen(
                    on_bg
                    if self.bare[r, c] and not self.faint[r, c]
                    else colors[(bool(self.white[r, c]), bool(self.faint[r, c]))]
                )
                if self.subs is not None and sub_px >= 6 and self.subs[r, c]:
                    p.setFont(theme.font(sub_px))
                    top = QtCore.QRectF(
                        rect.left(), rect.top() + 0.06 * ch, rect.width(), 0.34 * ch
                    )
                    p.drawText(top, Qt.AlignmentFlag.AlignCenter, self.subs[r, c])
                    rect = QtCore.QRectF(
                        rect.left(), rect.top() + 0.36 * ch, rect.width(), 0.6 * ch
                    )
                if text:
                    inset = self.insets.get((r, c))
                    # a glyph's side bearing may pass under a quarter of the pen
                    avail = (
                        room if inset is None else min(room, cw - 1.5 * min(inset, outline_cap) - 1)
                    )
                    p.setFont(fit_font(faint_font if self.faint[r, c] else main_font, text, avail))
                    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


class RectLayer(_DeviceItem):
    """Rectangles of cells, outlined and/or filled, in device pixels."""

    def __init__(self, z: float, pen: QtGui.QPen | None, brush: QtGui.QBrush | None):
        super().__init__(z)
        self.boxes: list[Box] = []
        self.brushes: list[QtGui.QBrush] | None = None
        self.pen, self.brush = pen, brush
        self.base_width = pen.widthF() if pen is not None else 0.0

    def set_width_scale(self, scale: float) -> None:
        if self.pen is not None:
            self.pen.setWidthF(self.base_width * scale)
            self.update()

    def set_boxes(self, boxes, brushes=None) -> None:
        self.boxes = list(boxes)
        self.brushes = brushes
        self.update()

    def paint(self, p, *args):
        if not self.boxes:
            return
        t = p.transform()
        p.resetTransform()
        pen = self.pen
        if pen is not None:
            # an outline never covers more than about a sixth of a cell's digits
            cell = min(abs(t.m11()), abs(t.m22())) or 1.0
            limit = max(1.5, OUTLINE_SHARE * cell)
            if pen.widthF() > limit:
                pen = QtGui.QPen(pen)
                pen.setWidthF(limit)
        p.setPen(pen if pen is not None else Qt.PenStyle.NoPen)
        for i, b in enumerate(self.boxes):
            brush = self.brushes[i] if self.brushes is not None else self.brush
            p.setBrush(brush if brush is not None else Qt.BrushStyle.NoBrush)
            rect = self._cell_rect(t, b.r, b.c, b.h, b.w)
            if pen is not None:
                inset = pen.widthF() / 2
                rect = rect.adjusted(inset, inset, -inset, -inset)
            p.drawRect(rect)


class ArrowLayer(_DeviceItem):
    """Arrows from one cell's centre to another's (e.g. a padded cell to its source)."""

    def __init__(self, z: float = 6):
        super().__init__(z)
        self.arrows: list[tuple[tuple[int, int], tuple[int, int]]] = []
        self.color = theme.palette().source
        self.width = 3.0

    def set_arrows(self, arrows) -> None:
        self.arrows = list(arrows)
        self.update()

    def paint(self, p, *args):
        if not self.arrows:
            return
        t = p.transform()
        p.resetTransform()
        color = QtGui.QColor(self.color)
        pen = _pen(self.color, self.width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        p.setBrush(color)
        for (r0, c0), (r1, c1) in self.arrows:
            a = t.map(QtCore.QPointF(c0 + 0.5, r0 + 0.5))
            b = t.map(QtCore.QPointF(c1 + 0.5, r1 + 0.5))
            line = QtCore.QLineF(a, b)
            if line.length() < 1:
                continue
            head = max(10.0, 4 * self.width)
            # stop at the source cell's edge so its number stays readable
            cell = min(abs(t.m11()), abs(t.m22())) or 1.0
            line.setLength(max(line.length() - 0.3 * cell, 1.0))
            p.drawLine(line)
            angle = math.radians(-line.angle())
            tip = line.p2()
            left = tip - QtCore.QPointF(
                math.cos(angle - 0.45) * head, math.sin(angle - 0.45) * head
            )
            right = tip - QtCore.QPointF(
                math.cos(angle + 0.45) * head, math.sin(angle + 0.45) * head
            )
            p.drawPolygon(QtGui.QPolygonF([tip, left, right]))


def _pen(color: str, width: float, style=Qt.PenStyle.SolidLine) -> QtGui.QPen:
    pen = QtGui.QPen(QtGui.QColor(color))
    pen.setWidthF(width)
    pen.setStyle(style)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    return pen
