"""A matrix drawn as coloured cells with its numbers, plus rectangle overlays.

One pyqtgraph ImageItem per view (row-major float32, explicit levels, a uint8
LUT). Numbers and overlays are drawn by two light items that paint in device
pixels, so digits are sized from the cell's size on screen: they grow with the
window and stay legible from the back of a room.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt, Signal

from convviz.core.stepper import fmt_number
from convviz.gui import theme

#: the most of a cell's side an outline may cover (NumberLayer keeps digits inside it)
OUTLINE_SHARE = 0.14


@dataclass(frozen=True)
class Box:
    """A rectangle of cells: top row, left column, rows, columns."""

    r: int
    c: int
    h: int = 1
    w: int = 1


class _DeviceItem(pg.GraphicsObject):
    """An item covering rows × cols that paints in device pixels."""

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
        self.scale = 1.0  # digits' size relative to the cell (bigger in presentation)
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
        k = self.scale
        main_px = int(min(min(0.46 * k, 0.6) * ch, 0.92 * cw / (0.58 * longest)))
        if self.subs is not None:
            main_px = int(min(main_px, 0.38 * ch))
            sub_long = max((len(s) for s in self.subs.flat), default=1) or 1
            sub_px = int(min(0.24 * ch, 0.92 * cw / (0.58 * sub_long)))
        if main_px < 6:
            return  # too small to read: the colours alone carry the picture
        main_font = theme.font(main_px, bold=True)
        faint_font = theme.font(main_px)
        faint_font.setItalic(True)
        colors = {
            (False, False): QtGui.QColor("#111111"),
            (True, False): QtGui.QColor("white"),
            (False, True): QtGui.QColor(theme.palette().faint_text),
            (True, True): QtGui.QColor("#dddddd"),
        }
        on_bg = QtGui.QColor(theme.palette().text)
        # a long number gets a smaller font of its own, never clipped: the cell's width,
        # less an outline drawn inside it (as RectLayer limits it)
        room = 0.86 * cw  # a gap to the grid line, so neighbours do not run together
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
                    p.drawText(top, Qt.AlignCenter, self.subs[r, c])
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
                    p.drawText(rect, Qt.AlignCenter, text)


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
        p.setPen(pen if pen is not None else Qt.NoPen)
        for i, b in enumerate(self.boxes):
            brush = self.brushes[i] if self.brushes is not None else self.brush
            p.setBrush(brush if brush is not None else Qt.NoBrush)
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
        pen.setCapStyle(Qt.RoundCap)
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


def _pen(color: str, width: float, style=Qt.SolidLine) -> QtGui.QPen:
    pen = QtGui.QPen(QtGui.QColor(color))
    pen.setWidthF(width)
    pen.setStyle(style)
    pen.setJoinStyle(Qt.MiterJoin)
    return pen


class GridView(QtWidgets.QWidget):
    """A titled matrix view: colours, numbers, padded cells, overlays, hover and click."""

    sigCellClicked = Signal(int, int)
    sigCellHovered = Signal(int, int)  # (-1, -1) when the pointer leaves the grid

    def __init__(self, title: str = "", parent=None, title_px: int = 20):
        super().__init__(parent)
        self.title = QtWidgets.QLabel(title)
        self.title.setFont(theme.font(title_px, bold=True))
        self.title.setWordWrap(True)
        self.graphics = pg.GraphicsView(background=theme.palette().empty_bg)
        self.graphics.setFocusPolicy(Qt.NoFocus)
        self.graphics.setAcceptDrops(False)  # a dropped file goes to the window
        self.graphics.viewport().setAcceptDrops(False)
        self.vb = pg.ViewBox(
            lockAspect=True, invertY=True, enableMouse=False, enableMenu=False, defaultPadding=0.0
        )
        self.graphics.setCentralItem(self.vb)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.vb.addItem(self.image)
        hatch = QtGui.QBrush(QtGui.QColor(theme.palette().padded_hatch), Qt.BDiagPattern)
        self.padded_bg = RectLayer(-2, None, QtGui.QBrush(QtGui.QColor(theme.palette().padded_bg)))
        self.padded_hatch = RectLayer(-1, None, hatch)
        self.tints = RectLayer(1, None, None)
        self.numbers = NumberLayer()
        self.arrows = ArrowLayer()
        self.outlines: dict[str, RectLayer] = {}
        self._outline_colors: dict[str, str] = {}
        for item in (self.padded_bg, self.padded_hatch, self.tints, self.numbers, self.arrows):
            self.vb.addItem(item)
        self.add_outline(
            "selected", _pen(theme.palette().selected, 4, Qt.DotLine), color_key="selected"
        )
        self._width_scale = 1.0
        self.values = np.zeros((0, 0), np.float32)
        self._extent = (0, 0)
        self._hover = (-1, -1)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.setSpacing(2)
        lay.addWidget(self.title)
        lay.addWidget(self.graphics, 1)
        scene = self.graphics.scene()
        scene.sigMouseMoved.connect(self._on_mouse_moved)
        scene.sigMouseClicked.connect(self._on_mouse_clicked)

    # -- content ------------------------------------------------------------
    def add_outline(
        self, name: str, pen: QtGui.QPen, z: float = 4, color_key: str | None = None
    ) -> RectLayer:
        """An outline layer; ``color_key`` names the theme colour it follows."""
        layer = RectLayer(z, pen, None)
        self.outlines[name] = layer
        if color_key:
            self._outline_colors[name] = color_key
        self.vb.addItem(layer)
        return layer

    # -- look ---------------------------------------------------------------
    def set_outline_scale(self, scale: float) -> None:
        """Scale every outline's width (presentation, high contrast)."""
        self._width_scale = scale
        for layer in self.outlines.values():
            layer.set_width_scale(scale * theme.palette().outline_scale)
        self._update_insets()
        self.arrows.width = 3.0 * scale * theme.palette().outline_scale
        self.arrows.update()

    def refresh_theme(self) -> None:
        """Re-read the theme's colours (after ``theme.apply``) and repaint."""
        self.graphics.setBackground(theme.palette().empty_bg)
        self.padded_bg.brush = QtGui.QBrush(QtGui.QColor(theme.palette().padded_bg))
        self.padded_hatch.brush = QtGui.QBrush(
            QtGui.QColor(theme.palette().padded_hatch), Qt.BDiagPattern
        )
        for name, key in self._outline_colors.items():
            self.outlines[name].pen.setColor(QtGui.QColor(getattr(theme.palette(), key)))
        self.arrows.color = theme.palette().source
        self.set_outline_scale(self._width_scale)
        for item in (self.padded_bg, self.padded_hatch, self.numbers, *self.outlines.values()):
            item.update()

    def set_rotation(self, degrees: float) -> None:
        """Turn the whole picture about its centre (the kernel's 180° flip).

        The digits hide while it is turned: upside-down numbers read wrongly.
        """
        self.vb.setTransformOriginPoint(self.vb.rect().center())
        self.vb.setRotation(degrees)
        self.numbers.setVisible(degrees % 360 == 0)

    def set_outline(self, name: str, boxes) -> None:
        self.outlines[name].set_boxes(boxes)
        self._update_insets()

    def _update_insets(self) -> None:
        """Tell the digits which cells an outline runs inside, and how wide it is."""
        insets: dict[tuple[int, int], float] = {}
        for layer in self.outlines.values():
            if layer.pen is None or not layer.boxes:
                continue
            width = layer.pen.widthF()
            for b in layer.boxes:
                for r in range(b.r, b.r + b.h):
                    for c in range(b.c, b.c + b.w):
                        if r in (b.r, b.r + b.h - 1) or c in (b.c, b.c + b.w - 1):
                            insets[(r, c)] = max(insets.get((r, c), 0.0), width)
        self.numbers.set_insets(insets)

    def set_data(
        self,
        values: np.ndarray,
        *,
        levels: tuple[float, float],
        lut: str,
        padded: np.ndarray | None = None,
        texts: np.ndarray | None = None,
        subs: np.ndarray | None = None,
        colored: np.ndarray | None = None,
        faint: np.ndarray | None = None,
    ) -> None:
        """Show ``values`` (rows, cols); NaN cells are left blank.

        ``padded`` marks padding cells (hatched, italic grey digits); ``colored``
        (default: not padded) says which cells get the colour map; ``faint`` adds
        italic grey digits without hatching (e.g. a sum still being made).
        """
        values = np.ascontiguousarray(values, dtype=np.float32)
        rows, cols = values.shape
        self.values = values
        padded = np.zeros(values.shape, bool) if padded is None else padded
        colored = ~padded if colored is None else colored
        shown = np.where(colored, values, np.nan).astype(np.float32)
        table = theme.lut(lut)
        self.image.setImage(shown, levels=levels, lut=table, autoLevels=False)
        self.image.setRect(QtCore.QRectF(0, 0, cols, rows))
        if texts is None:
            texts = np.array(
                [fmt_number(v) if math.isfinite(v) else "" for v in values.flat], dtype=object
            ).reshape(values.shape)
        white = theme.text_colors(shown, levels, table)
        italic = padded if faint is None else (padded | faint)
        self.numbers.set_cells(texts, white, italic, subs, bare=~np.isfinite(shown))
        if padded.any() or self.padded_bg.boxes:
            pad_boxes = [Box(int(r), int(c)) for r, c in np.argwhere(padded)]
            for layer in (self.padded_bg, self.padded_hatch):
                layer.set_shape(rows, cols)
                layer.set_boxes(pad_boxes)
        self.set_extent(rows, cols)

    def set_extent(self, rows: int, cols: int) -> None:
        """The area kept in view (may exceed the data, e.g. a whole CUDA block)."""
        if (rows, cols) != self._extent:
            self._extent = (rows, cols)
            for layer in (self.tints, self.arrows, *self.outlines.values()):
                layer.set_shape(max(rows, layer._rows), max(cols, layer._cols))
            self.vb.setRange(QtCore.QRectF(0, 0, cols, rows), padding=0.02)

    def set_tints(self, boxes, colors) -> None:
        brushes = [QtGui.QBrush(QtGui.QColor(c)) for c in colors]
        self.tints.set_boxes(boxes, brushes)

    # -- pointer ------------------------------------------------------------
    def _cell_at(self, scene_pos) -> tuple[int, int]:
        p = self.vb.mapSceneToView(scene_pos)
        r, c = math.floor(p.y()), math.floor(p.x())
        rows, cols = self.values.shape
        if 0 <= r < rows and 0 <= c < cols:
            return r, c
        return -1, -1

    def _on_mouse_moved(self, scene_pos) -> None:
        cell = self._cell_at(scene_pos)
        if cell != self._hover:
            self._hover = cell
            self.sigCellHovered.emit(*cell)

    def _on_mouse_clicked(self, event) -> None:
        r, c = self._cell_at(event.scenePos())
        if r >= 0:
            self.sigCellClicked.emit(r, c)

    def cell_center(self, r: int, c: int) -> QtCore.QPoint:
        """Widget coordinates of a cell's centre (for tests and screenshots)."""
        scene = self.vb.mapViewToScene(QtCore.QPointF(c + 0.5, r + 0.5))
        return self.graphics.mapFromScene(scene)


def outline_pen(color: str, width: float, dashed: bool = False, dotted: bool = False) -> QtGui.QPen:
    style = Qt.DotLine if dotted else Qt.DashLine if dashed else Qt.SolidLine
    return _pen(color, width, style)
