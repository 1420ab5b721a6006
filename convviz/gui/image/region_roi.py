"""The region box on the input picture: drawn and grabbed at a size a hand can use.

A 10×10 region of a 512² photo is 3 or 4 screen pixels wide. pyqtgraph's RectROI
then draws a speck, and its resize handle (a few pixels at the corner) covers the
whole box, so dragging the box's centre resized it. :class:`RegionROI` draws the box
and takes the pointer over at least :data:`MIN_PX` screen pixels around the region's
centre, and shows its resize handle only where the region itself leaves room for a
drag beside it (zoom in with the wheel to resize a small region).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtGui

#: the region box is drawn and grabbed at least this big (screen pixels)
MIN_PX = 18
#: the resize handle shows only when the region is at least this big on screen
HANDLE_ROOM_PX = 30


class RegionROI(pg.RectROI):
    """A RectROI whose box is never smaller than :data:`MIN_PX` on screen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._handle_room = True
        self.sigRegionChanged.connect(self.fit_to_screen)

    def screen_size(self) -> tuple[float, float]:
        """The region's size in screen pixels (0 before it is in a view)."""
        w, h = self.state["size"]
        px, py = self.pixelWidth() or 0.0, self.pixelHeight() or 0.0
        return (w / px if px else 0.0, h / py if py else 0.0)

    def _box(self) -> QtCore.QRectF:
        """The box drawn and grabbed, in the ROI's coordinates: the region, or a square
        of MIN_PX screen pixels around its centre where the region is smaller."""
        w, h = self.state["size"]
        px, py = self.pixelWidth() or 0.0, self.pixelHeight() or 0.0
        bw, bh = max(w, MIN_PX * px), max(h, MIN_PX * py)
        return QtCore.QRectF(w / 2 - bw / 2, h / 2 - bh / 2, bw, bh).normalized()

    def boundingRect(self) -> QtCore.QRectF:
        return self._box()

    def paint(self, p, opt, widget) -> None:
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, self._antialias)
        p.setPen(self.currentPen)
        p.drawRect(self._box())

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        self.fit_to_screen()

    def fit_to_screen(self, *_args) -> None:
        """After a zoom or a new size: the box's extent, and the handle where it fits."""
        self.prepareGeometryChange()
        sw, sh = self.screen_size()
        room = min(sw, sh) >= HANDLE_ROOM_PX
        if room != self._handle_room:
            self._handle_room = room
            for handle in self.getHandles():
                handle.setVisible(room)
        self.update()

    @property
    def resizable_here(self) -> bool:
        """Whether the resize handle shows (the region leaves room for it on screen)."""
        return self._handle_room
