"""A row of controls whose last part moves under the rest where the row is too short for
it (a narrow window, presentation mode's larger type): nothing in it is squeezed."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets


class WrapRow(QtWidgets.QWidget):
    """``row`` (a :class:`QHBoxLayout`) holds the leading controls; :meth:`set_tail` puts
    the last part after them, or on a second row when the width is less than what the
    leading controls and the tail need (hidden controls need nothing)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.row = QtWidgets.QHBoxLayout()
        self.second_row = QtWidgets.QHBoxLayout()
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(self.row)
        lay.addLayout(self.second_row)
        self.tail: QtWidgets.QWidget | None = None
        self.tail_stretch = 0
        self.wrapped = False

    def set_tail(self, tail: QtWidgets.QWidget, stretch: int = 0) -> None:
        self.tail, self.tail_stretch = tail, stretch
        self.row.addWidget(tail, stretch)

    def need(self) -> int:
        """The width the leading controls and the tail need on one row."""
        total = 0
        for i in range(self.row.count()):
            item = self.row.itemAt(i)
            w = item.widget()
            if w is self.tail or (w is not None and w.isHidden()):
                continue
            width = item.minimumSize().width()
            if w is not None:
                width = max(width, w.minimumWidth())
            total += width + max(self.row.spacing(), 0)
        if self.tail is not None:
            total += self.tail.minimumSizeHint().width()
        return total

    def minimumSizeHint(self) -> QtCore.QSize:
        """What the row needs wrapped: it never asks its window for the width of one row."""
        hint = super().minimumSizeHint()
        if self.tail is None:
            return hint
        tail = self.tail.minimumSizeHint().width()
        return QtCore.QSize(max(self.need() - tail, tail), hint.height())

    def fit(self) -> None:
        if self.tail is None:
            return
        wrap = self.width() < self.need()
        if wrap == self.wrapped:
            return
        self.wrapped = wrap
        (self.row if wrap else self.second_row).removeWidget(self.tail)
        (self.second_row if wrap else self.row).addWidget(self.tail, self.tail_stretch)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.fit()  # (fonts may have changed while hidden)

    def event(self, event) -> bool:
        if event.type() == QtCore.QEvent.Type.LayoutRequest:  # a font, a text, a control shown
            self.fit()
        return super().event(event)


def fit_progress(bar: QtWidgets.QProgressBar, text: str, total: int, least: int) -> None:
    """``bar`` shows ``text`` ("… %v / %m cells"), as wide as it is at its longest (at
    least ``least`` px): the text never overflows the bar."""
    bar.setFormat(text)
    whole = text.replace("%v", str(total)).replace("%m", str(total))
    bar.setFixedWidth(max(least, bar.fontMetrics().horizontalAdvance(whole) + 40))


def fit_button(button: QtWidgets.QAbstractButton, texts: list[str]) -> None:
    """``button`` wide enough for each of ``texts`` (it shows them in turn, e.g. Play and
    Pause): never squeezed by the one it shows next."""
    fm = button.fontMetrics()
    pad = max(button.minimumSizeHint().width() - fm.horizontalAdvance(button.text()), 24)
    button.setMinimumWidth(max(fm.horizontalAdvance(t) for t in texts) + pad)
