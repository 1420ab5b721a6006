"""A label that never cuts its text off: what does not fit its lines ends in "…" and the
whole text shows on hover.

Titles over the grids have room for a fixed number of lines (two): a long title (a
kernel with dilation, a long file name) is shortened to the words that fit, at the size
the label has on screen, and reads whole on hover (as a tool tip, shown from the
label's own text: the ``toolTip`` property stays the owner's). ``text()`` is always the
whole text, so translation and tests see what the label says, not what fits.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt

ELLIPSIS = "…"


def line_px(metrics: QtGui.QFontMetrics, text: str) -> int:
    """The height of one line of ``text``: the font's line spacing, or more where a
    fallback font draws some of it (Chinese in a Latin font: taller lines)."""
    one = metrics.boundingRect(QtCore.QRect(0, 0, 1 << 20, 1 << 20), 0, text or " ").height()
    return max(metrics.lineSpacing(), one)


def fits(metrics: QtGui.QFontMetrics, text: str, width: int, lines: int) -> bool:
    """Whether ``text``, word-wrapped at ``width`` pixels, takes at most ``lines`` lines."""
    if width <= 0:
        return True
    rect = metrics.boundingRect(QtCore.QRect(0, 0, width, 1 << 20), Qt.TextFlag.TextWordWrap, text)
    return rect.height() <= lines * line_px(metrics, text) and rect.width() <= width


def shorten(metrics: QtGui.QFontMetrics, text: str, width: int, lines: int) -> str:
    """``text``, or its longest start + "…" that fits ``lines`` lines of ``width`` pixels."""
    if fits(metrics, text, width, lines):
        return text
    lo, hi = 0, len(text)  # the longest prefix that fits with the ellipsis: binary search
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(metrics, text[:mid].rstrip() + ELLIPSIS, width, lines):
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS


class FitLabel(QtWidgets.QLabel):
    """A plain-text, word-wrapped label of at most ``lines`` lines."""

    def __init__(self, text: str = "", lines: int = 2, parent=None):
        super().__init__(parent)
        self.lines = lines
        self._full = ""
        self._stale = False  # the text changed or the label resized while hidden
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setMinimumWidth(1)
        sp = self.sizePolicy()
        sp.setHorizontalPolicy(QtWidgets.QSizePolicy.Policy.Ignored)
        self.setSizePolicy(sp)
        self.setText(text)

    # text() is the whole text; the label shows as much as fits
    def text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:
        self._full = text or ""
        self._fit_when_shown()

    def shown_text(self) -> str:
        """What the label draws now (the whole text, or a shortened one ending in "…")."""
        if self._stale:
            self._fit()
        return super().text()

    @property
    def shortened(self) -> bool:
        return self.shown_text() != self._full

    def hover_text(self) -> str:
        """What hovering shows: the whole text when shortened, else the tool tip."""
        return self._full if self.shortened and not self.toolTip() else self.toolTip()

    def event(self, event) -> bool:
        if event.type() == QtCore.QEvent.Type.ToolTip and self.shortened and not self.toolTip():
            QtWidgets.QToolTip.showText(event.globalPos(), self._full, self)
            return True
        return super().event(event)

    # its height is its lines, whatever the width: a word-wrapped QLabel would ask for
    # the height its whole text takes at its least width (a status bar grew to half the
    # window)
    def hasHeightForWidth(self) -> bool:
        return False

    def sizeHint(self) -> QtCore.QSize:
        m = self.contentsMargins()
        fm = self.fontMetrics()
        # the width :func:`fits` measures (a bounding box can be a pixel or two wider
        # than the advance): at its hint the label shows its whole text
        text = max(fm.horizontalAdvance(self._full), fm.boundingRect(self._full).width()) + 2
        width = text + m.left() + m.right()
        return QtCore.QSize(
            width, self.lines * self.fontMetrics().lineSpacing() + m.top() + m.bottom()
        )

    def minimumSizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(1, self.sizeHint().height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_when_shown()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.FontChange:
            self._fit_when_shown()

    def showEvent(self, event) -> None:
        if self._stale:
            self._fit()
        super().showEvent(event)

    def _fit_when_shown(self) -> None:
        """Fit now when on screen; a hidden label fits once, when shown (or asked what
        it shows): the window's labels are set and resized many times before it shows."""
        if self.isVisible():
            self._fit()
        else:
            self._stale = True

    def _fit(self) -> None:
        self._stale = False
        width = self.contentsRect().width()
        shown = shorten(self.fontMetrics(), self._full, width, self.lines)
        if shown != super().text():
            super().setText(shown)
