"""One lane of the race: its core count written large, its output grid filling in, a time
bar drawn to the race's scale, and its ticks and measured time.

The grid colours each finished cell by who computed it: the CPU's cores one colour
each; on the GPU the CUDA blocks, coloured so that no two neighbouring blocks share a
colour (each block runs on an SM of its own while there are SMs enough). Outputs wider
than :data:`~convviz.core.race_frames.MAX_SIDE` cells are drawn as tiles of cells, each as
opaque as the share of its cells that is done; above :data:`GRID_SIDE` a side, without
grid lines, in a frame. Nothing here computes the schedule or the picture: it draws
:class:`convviz.core.race_frames.LanePicture` of a :class:`convviz.core.race.RaceLane` at the
clock's tick.
"""

from __future__ import annotations

import html
import re

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication, QRectF, Qt

from convviz.core.race import RaceLane
from convviz.core.race_frames import (
    COPY_COLOR,
    CORE_COLORS,
    LanePicture,
)
from convviz.gui import theme
from convviz.gui.widgets.fit_label import FitLabel
from convviz.gui.widgets.grid_view import Box, GridView, outline_pen

#: the most cells a side drawn with grid lines (more: thin lines would hide the colours)
GRID_SIDE = 16


def tr(text: str) -> str:
    return QCoreApplication.translate("RaceView", text)


class TimeBar(QtWidgets.QWidget):
    """The lane's ticks on the race's time axis: copy in, compute, copy out; what is
    done is solid, the rest pale; a line marks the clock."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumHeight(34)
        self.length = 1
        self.parts: list[tuple[int, str, bool]] = []  # (ticks, colour, hatched)
        self.tick = 0
        #: presentation mode: the lane's status written on the bar (its row has no room
        #: for a line of its own), in this colour, on a box of the ground's
        self.caption, self.caption_color = "", ""

    def set_caption(self, text: str, color: str = "") -> None:
        if (text, color) != (self.caption, self.caption_color):
            self.caption, self.caption_color = text, color
            self.setToolTip(text)
            self.update()

    def set_parts(self, length: int, parts: list[tuple[int, str, bool]]) -> None:
        self.length, self.parts = max(1, length), parts
        self.update()

    def set_tick(self, tick: int) -> None:
        self.tick = tick
        self.update()

    def paintEvent(self, event) -> None:
        p = QtGui.QPainter(self)
        pal = theme.palette()
        w, h = self.width() - 2, self.height() - 2
        p.fillRect(QRectF(1, 1, w, h), QtGui.QColor(pal.empty_bg))
        x0 = 0
        for ticks, color, hatched in self.parts:
            left = 1 + w * x0 / self.length
            done_to = min(max(self.tick - x0, 0), ticks)
            right_done = 1 + w * (x0 + done_to) / self.length
            right = 1 + w * (x0 + ticks) / self.length
            pale = QtGui.QColor(color)
            pale.setAlpha(70)
            p.fillRect(QRectF(left, 1, max(right - left, 1.0), h), pale)
            if done_to > 0:
                p.fillRect(QRectF(left, 1, max(right_done - left, 1.0), h), QtGui.QColor(color))
            if hatched:
                brush = QtGui.QBrush(QtGui.QColor(pal.text), Qt.BrushStyle.BDiagPattern)
                p.fillRect(QRectF(left, 1, max(right - left, 1.0), h), brush)
            x0 += ticks
        pen = QtGui.QPen(QtGui.QColor(pal.text))
        pen.setWidthF(3.0)
        p.setPen(pen)
        x = 1 + w * min(self.tick, self.length) / self.length
        p.drawLine(int(x), 0, int(x), h + 2)
        p.setPen(QtGui.QColor(pal.grid_line))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(QRectF(0.5, 0.5, w + 1, h + 1))
        if self.caption:
            self._draw_caption(p, pal)
        p.end()

    def _draw_caption(self, p: QtGui.QPainter, pal) -> None:
        """The status on an opaque box of the ground's colour at the bar's left: it reads
        at text contrast whatever the bar shows beneath."""
        fm = QtGui.QFontMetrics(self.font())
        room = self.width() - 24
        text = fm.elidedText(self.caption, Qt.TextElideMode.ElideRight, room)
        # inset: the bar's colours show above, below and after it (how far it has run)
        box = QRectF(8, 7, fm.horizontalAdvance(text) + 8, self.height() - 14)
        p.setFont(self.font())
        p.fillRect(box, QtGui.QColor(pal.empty_bg))
        p.setPen(QtGui.QColor(self.caption_color or pal.text))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)


class LaneRow(QtWidgets.QFrame):
    """One lane: the big core count, the grid, the time bar and the facts."""

    def __init__(self, key: str, parent=None):
        super().__init__(parent)
        self.key = key
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.cores = QtWidgets.QLabel()
        self.cores.setObjectName("raceCores")
        self.cores.setFont(theme.font(22, bold=True))
        self.cores.setTextFormat(Qt.TextFormat.RichText)
        self.presentation = False
        self._count = 0
        self._who = ""
        self.cores.setWordWrap(True)
        self.who = QtWidgets.QLabel()
        self.who.setFont(theme.font(14))
        self.who.setWordWrap(True)
        self.who.setTextFormat(Qt.TextFormat.RichText)
        self.who.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.left = QtWidgets.QWidget()
        left = QtWidgets.QVBoxLayout(self.left)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.cores)
        left.addWidget(self.who, 1)
        self.view = GridView("", title_px=16)
        self.view.title.hide()
        pen = outline_pen(theme.palette().grid_line, 2)
        self.view.add_outline("extent", pen, color_key="grid_line")  # tiles: no grid lines
        self.bar = TimeBar()
        self.status = FitLabel(lines=1)  # where the row is narrow: ends in "…", whole on hover
        self.status.setFont(theme.font(22, bold=True))
        self.facts = QtWidgets.QLabel()
        self.facts.setObjectName("raceFacts")
        self.facts.setFont(theme.font(15))
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        right = self._right = QtWidgets.QVBoxLayout()
        right.addWidget(self.status)
        right.addWidget(self.bar)
        right.addWidget(self.facts, 1)
        lay = self._layout = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.addWidget(self.left)
        lay.addWidget(self.view)
        lay.addLayout(right, 1)
        self.set_presentation(False)
        self.lane: RaceLane | None = None
        self.picture: LanePicture | None = None

    def set_presentation(self, on: bool) -> None:
        """Larger type for a lecture hall, sized to still fit a 1280×720 projector."""
        self.presentation = on
        self.left.setFixedWidth(340 if on else 250)
        self.cores.setFont(theme.font(28 if on else 22, bold=True))
        self.who.setFont(theme.font(28 if on else 14))
        self.status.setFont(theme.font(28 if on else 22, bold=True))
        # in a lecture hall's type the status rides on the time bar: a line saved a lane,
        # and the lane's parts sit closer (a 1366×768 projector has room for no more)
        self.status.setVisible(not on)
        self._right.setSpacing(2 if on else -1)
        self._layout.setContentsMargins(6, 2 if on else 4, 6, 2 if on else 4)
        self.bar.setFont(self.status.font())
        self.bar.setMinimumHeight(QtGui.QFontMetrics(self.bar.font()).height() + 16 if on else 34)
        self.bar.set_caption(self.status.text() if on else "", self.bar.caption_color)
        self.facts.setFont(theme.font(28 if on else 15))
        self._fit_picture()
        self.set_who(self._who)
        self.set_facts(self.facts.text())
        self.set_cores(self._count)

    def _fit_picture(self) -> None:
        """The output picture: 180 px windowed; in presentation mode as tall as the row
        lets it be (a lecture hall sees it from the back)."""
        side = 180
        if self.presentation:
            m = self._layout.contentsMargins()
            side = max(200, min(self.height() - m.top() - m.bottom(), self.width() // 3))
        self.view.setFixedWidth(side)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.presentation:
            self._fit_picture()
        self._reserve_facts()

    def _reserve_facts(self) -> None:
        """The row at least as tall as its facts need at the width they have: the race's
        rows share the height by need, so a lane's caveat is never cut off."""
        bottom = self._layout.contentsMargins().bottom() + 2
        need = self.facts.y() + self.facts.heightForWidth(max(1, self.facts.width())) + bottom
        need = max(need, 34)
        if need != self.minimumHeight():
            self.setMinimumHeight(need)

    def hasHeightForWidth(self) -> bool:
        # its least height is what its facts need (_reserve_facts); asked for a height
        # for its width, its layout would answer with the picture's large hint, and a
        # short race would share the height equally, a lane's caveat under the next
        return False

    def sizeHint(self) -> QtCore.QSize:
        """As tall as its facts need: the rows share the race's height by stretch from
        there."""
        hint = super().sizeHint()
        return QtCore.QSize(
            hint.width(), max(self.minimumHeight(), self.minimumSizeHint().height())
        )

    def set_facts(self, facts: str, whole: str = "") -> None:
        """The lane's facts (rich text); in presentation mode ``whole`` (all of them, as
        a window shows them: ``facts`` when not given) on hover."""
        self.facts.setText(facts)
        self._reserve_facts()
        plain = QtGui.QTextDocumentFragment.fromHtml(whole or facts).toPlainText()
        self.facts.setToolTip(plain if self.presentation else "")

    def set_who(self, who: str) -> None:
        """Whose lane it is (rich text). In presentation mode its head alone, up to the
        first ":" or "(" (a caveat such as "an EXAMPLE, not this machine" whole, in its
        colour), the whole of it on hover: the lecture hall's type leaves no room."""
        self._who = who
        if not self.presentation:
            self.who.setText(who)
            self.who.setToolTip("")
            return
        plain = QtGui.QTextDocumentFragment.fromHtml(who).toPlainText()
        head = re.split(r"[:：(（]", plain, maxsplit=1)[0].strip() or plain
        colour = re.match(r"<b style='color:([^']+)'>", who)
        text = html.escape(head)
        self.who.setText(f"<b style='color:{colour.group(1)}'>{text}</b>" if colour else text)
        self.who.setToolTip(plain if head != plain else "")

    def set_cores(self, count: int) -> None:
        """The core count, written large."""
        self._count = count
        if count <= 0:  # no race yet
            self.cores.setText("")
            return
        number = f"<span style='font-size:{60 if self.presentation else 40}px'>{count:,}</span>"
        text = tr("{0} core") if count == 1 else tr("{0} cores")
        self.cores.setText(text.format(number))

    def set_lane(self, lane: RaceLane, block: tuple[int, int], length: int) -> None:
        self.lane = lane
        self.picture = LanePicture(lane, block)
        color = CORE_COLORS[1] if lane.key == "gpu" else self.picture.colors[0]
        parts = [(lane.compute, color, False)]
        if lane.copy_in or lane.copy_out:
            parts = [(lane.copy_in, COPY_COLOR, True), *parts, (lane.copy_out, COPY_COLOR, True)]
        self.bar.set_parts(length, parts)

    def show_tick(
        self, t: int, place: int | None, measured: bool = False, level: bool = False
    ) -> None:
        """The lane at clock tick ``t``; ``place`` 1, 2, 3 once it finished: among the
        measured times when ``measured`` (the lane shows one), else in ticks; ``level``:
        another measured lane shares the place (within the spread)."""
        lane, pic = self.lane, self.picture
        if lane is None or pic is None:
            return
        rgba = pic.at(t)
        rows, cols = rgba.shape[:2]
        v = self.view
        v.image.setImage(rgba, autoLevels=False)
        v.image.setRect(QRectF(0, 0, cols, rows))
        v.numbers.show_grid = max(rows, cols) <= GRID_SIDE  # finer: the colours alone
        extent = [] if v.numbers.show_grid else [Box(0, 0, rows, cols)]
        if extent != v.outlines["extent"].boxes:
            v.set_outline("extent", extent)
        v.numbers.set_cells(np.full((rows, cols), "", object), np.zeros((rows, cols), bool))
        v.set_extent(rows, cols)
        self.bar.set_tick(t)
        phase = lane.phase(t)
        if phase == "done":
            if measured:
                medals = {
                    1: tr("first measured"),
                    2: tr("second measured"),
                    3: tr("third measured"),
                }
            else:
                medals = {
                    1: tr("first in ticks"),
                    2: tr("second in ticks"),
                    3: tr("third in ticks"),
                }
            medal = medals.get(place or 0, "")
            if medal and level:
                medal = tr("{0}, level within the spread").format(medal)
            text = tr("done in {0} ticks").format(f"{lane.total:,}")
            if medal:
                text = f"{medal} · {text}"
            color = theme.palette().agree if place == 1 else theme.palette().text
            self.status.setStyleSheet(f"color: {color};")
            self.status.setText(text)
            self.bar.set_caption(text if self.presentation else "", color)
            return
        words = {
            "copy in": tr("copying the input to the GPU…"),
            "compute": tr("computing…"),
            "copy out": tr("copying the output back…"),
        }[phase]
        cells = pic.cells_done
        self.status.setStyleSheet("")
        self.status.setText(
            tr("{0} · {1} of {2} cells").format(words, f"{cells:,}", f"{lane.finish.size:,}")
        )
        self.bar.set_caption(self.status.text() if self.presentation else "")
