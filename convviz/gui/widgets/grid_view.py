"""A matrix drawn as coloured cells with its numbers, plus rectangle overlays.

One pyqtgraph ImageItem per view (row-major float32, explicit levels, a uint8
LUT). Numbers and overlays are drawn by light items that paint in device pixels
(:mod:`convviz.gui.widgets.grid_layers`), so digits are sized from the cell's size on
screen: they grow with the window and stay legible from the back of a room.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt, Signal

from convviz.core.stepper import fmt_number
from convviz.gui import theme
from convviz.gui.widgets.fit_label import FitLabel
from convviz.gui.widgets.grid_layers import (  # Box, fit_font, OUTLINE_SHARE: also from here
    OUTLINE_SHARE,
    ArrowLayer,
    Box,
    NumberLayer,
    RectLayer,
    _pen,
    fit_font,
)

__all__ = ["OUTLINE_SHARE", "Box", "GridView", "fit_font", "outline_pen"]


class GridView(QtWidgets.QWidget):
    """A titled matrix view: colours, numbers, padded cells, overlays, hover and click."""

    sigCellClicked = Signal(int, int)
    sigCellHovered = Signal(int, int)  # (-1, -1) when the pointer leaves the grid

    def __init__(self, title: str = "", parent=None, title_px: int = 20):
        super().__init__(parent)
        self.title = FitLabel(title)  # two lines at most, the rest on hover
        self.title.setFont(theme.font(title_px, bold=True))
        self.graphics = pg.GraphicsView(background=theme.palette().empty_bg)
        self.graphics.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.graphics.setAcceptDrops(False)  # a dropped file goes to the window
        self.graphics.viewport().setAcceptDrops(False)
        self.vb = pg.ViewBox(
            lockAspect=True, invertY=True, enableMouse=False, enableMenu=False, defaultPadding=0.0
        )
        self.graphics.setCentralItem(self.vb)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.vb.addItem(self.image)
        hatch = QtGui.QBrush(QtGui.QColor(theme.palette().padded_hatch), Qt.BrushStyle.BDiagPattern)
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
            "selected", _pen(theme.palette().selected, 4, Qt.PenStyle.DotLine), color_key="selected"
        )
        self._width_scale = 1.0
        self.values = np.zeros((0, 0), np.float32)
        self._extent = (0, 0)
        self._hover = (-1, -1)
        self._tipping = False  # a hovered cell's value shows as a tool tip
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
            QtGui.QColor(theme.palette().padded_hatch), Qt.BrushStyle.BDiagPattern
        )
        for name, key in self._outline_colors.items():
            pen = self.outlines[name].pen
            if pen is not None:  # add_outline always gives one
                pen.setColor(QtGui.QColor(getattr(theme.palette(), key)))
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

    def set_tints(self, boxes, colors, opaque: bool = False) -> None:
        """Colour ``boxes``; ``opaque`` tints cover the value colours, and the digits in
        them turn black or white, whichever reads better on the tint."""
        brushes = [QtGui.QBrush(QtGui.QColor(c)) for c in colors]
        self.tints.set_boxes(boxes, brushes)
        if opaque and boxes and self.numbers.white.size:
            white = self.numbers.white.copy()
            for b, c in zip(boxes, colors):
                white[b.r : b.r + b.h, b.c : b.c + b.w] = theme.white_reads_better(c)
            self.numbers.white = white
            self.numbers.update()

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
            self._tip_value(*cell)

    def digits_hidden(self) -> bool:
        """Whether the cells show colours alone: too small for their digits (a 32×32
        lesson in a small window), or turned."""
        numbers = self.numbers
        return numbers.texts.size > 0 and (numbers.digits_px == 0 or not numbers.isVisible())

    def _tip_value(self, r: int, c: int) -> None:
        """Where the digits are hidden, the hovered cell's value as a tool tip: the
        colours alone do not say the numbers."""
        texts = self.numbers.texts
        if r >= 0 and self.digits_hidden() and texts.shape == self.values.shape and texts[r, c]:
            tip = str(texts[r, c])  # (the grid's own indices may count padding: none)
            QtWidgets.QToolTip.showText(QtGui.QCursor.pos(), tip, self.graphics)
            self._tipping = True
        elif self._tipping:
            QtWidgets.QToolTip.hideText()
            self._tipping = False

    def _on_mouse_clicked(self, event) -> None:
        r, c = self._cell_at(event.scenePos())
        if r >= 0:
            self.sigCellClicked.emit(r, c)


def outline_pen(color: str, width: float, dashed: bool = False, dotted: bool = False) -> QtGui.QPen:
    style = (
        Qt.PenStyle.DotLine if dotted else Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
    )
    return _pen(color, width, style)
