"""Channels drawn as stacks: a column of grids, a bracket for a group, a wiring diagram.

:class:`GridStack` holds one :class:`GridView` per channel under one heading. A
lesson of one channel shows a single grid with its own title, exactly as before;
a stack labels each grid at its left ("in 0", "out 1") and gives the channel
the window is on more height, so its digits stay legible while the others stay
in view. :class:`GroupBracket` joins the input channels that feed the current
output channel; :class:`GroupsDiagram` draws the whole wiring (groups,
depthwise) as in 0 … → out 0 …
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt, Signal

from convviz.gui import theme
from convviz.gui.widgets.fit_label import FitLabel
from convviz.gui.widgets.grid_view import GridView


class GridStack(QtWidgets.QWidget):
    """A column of grids (one per channel) under one heading."""

    sigCellClicked = Signal(int, int, int)  # grid index, row, column
    sigCellHovered = Signal(int, int, int)  # grid index, row, column ((-1, -1) on leaving)

    def __init__(self, make_view, parent=None):
        super().__init__(parent)
        self._make_view = make_view
        self.heading = FitLabel()  # two lines at most, the rest on hover
        self.heading.setFont(theme.font(20, bold=True))
        self.heading.setFixedHeight(54)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.views: list[GridView] = []
        self.labels: list[QtWidgets.QLabel] = []
        self._rows: list[QtWidgets.QWidget] = []
        self._lay = QtWidgets.QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self._lay.setSpacing(4)
        self._lay.addWidget(self.heading)
        self.stacked = False
        self.focus = 0
        self._label_px = 18
        self.set_count(1, stacked=False)

    def _add(self) -> None:
        i = len(self.views)
        view = self._make_view()
        view.title.setFixedHeight(54)  # two lines: the grids of a row stay level
        view.title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        label = QtWidgets.QLabel()
        label.setFont(theme.font(self._label_px, bold=True))
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        label.setMinimumWidth(52)
        row = QtWidgets.QWidget()
        lay = QtWidgets.QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(label)
        lay.addWidget(view, 1)
        view.sigCellClicked.connect(lambda r, c, i=i: self.sigCellClicked.emit(i, r, c))
        view.sigCellHovered.connect(lambda r, c, i=i: self.sigCellHovered.emit(i, r, c))
        self.views.append(view)
        self.labels.append(label)
        self._rows.append(row)
        self._lay.addWidget(row, 1)

    def set_count(self, n: int, stacked: bool) -> None:
        """Show ``n`` grids; ``stacked`` labels them at the left under the heading."""
        while len(self.views) < n:
            self._add()
        self.stacked = stacked
        self.heading.setVisible(stacked)
        for i, (row, view, label) in enumerate(zip(self._rows, self.views, self.labels)):
            row.setVisible(i < n)
            view.title.setVisible(not stacked)
            label.setVisible(stacked)
        self.count = n
        self.set_focus(min(self.focus, n - 1))

    def set_labels(self, texts: list[str], active: set[int] | None = None) -> None:
        """Left labels; channels outside ``active`` are greyed."""
        for i, text in enumerate(texts):
            lab = self.labels[i]
            lab.setText(text)
            on = active is None or i in active
            lab.setStyleSheet("" if on else f"color: {theme.palette().muted}")

    def set_focus(self, i: int) -> None:
        """Give grid ``i`` more height (the channel the window is on)."""
        self.focus = max(i, 0)
        for j, row in enumerate(self._rows):
            stretch = 3 if (self.stacked and self.count > 2 and j == self.focus) else 2
            self._lay.setStretchFactor(row, stretch)

    def set_label_px(self, px: int) -> None:
        self._label_px = px
        for lab in self.labels:
            lab.setFont(theme.font(px, bold=True))


class GroupBracket(QtWidgets.QWidget):
    """A bracket joining the input grids of the current group, pointing at the filter."""

    def __init__(self, inputs: GridStack, target: QtWidgets.QWidget, parent=None):
        super().__init__(parent)
        self.inputs, self.target = inputs, target
        self.members: list[int] = []
        self.text = ""
        self.width_px = 4.0
        self.setFixedWidth(46)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_members(self, members: list[int], text: str) -> None:
        self.members, self.text = list(members), text
        self.setToolTip(text)
        self.update()

    def _centre_y(self, widget: QtWidgets.QWidget) -> float:
        centre = widget.mapTo(self.window(), widget.rect().center())
        return self.mapFrom(self.window(), centre).y()

    def paintEvent(self, event) -> None:
        if not self.members:
            return
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        pen = QtGui.QPen(QtGui.QColor(theme.palette().group))
        pen.setWidthF(self.width_px * theme.palette().outline_scale)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        ys = [
            self._centre_y(self.inputs.views[i].graphics)
            for i in self.members
            if i < len(self.inputs.views)
        ]
        if not ys:
            return
        spine = 16.0
        for y in ys:
            p.drawLine(QtCore.QPointF(0, y), QtCore.QPointF(spine, y))
        top, bottom = min(ys), max(ys)
        p.drawLine(QtCore.QPointF(spine, top), QtCore.QPointF(spine, bottom))
        ty = self._centre_y(self.target)
        mid = (top + bottom) / 2
        end = QtCore.QPointF(self.width() - 3, ty)
        p.drawLine(QtCore.QPointF(spine, mid), end)
        head = 9.0
        p.setBrush(QtGui.QColor(theme.palette().group))
        p.drawPolygon(
            QtGui.QPolygonF(
                [
                    end,
                    end + QtCore.QPointF(-head, -head * 0.6),
                    end + QtCore.QPointF(-head, head * 0.6),
                ]
            )
        )
        p.end()


class GroupsDiagram(QtWidgets.QWidget):
    """in 0 … in C_in−1 on the left, out 0 … on the right, a line where one feeds the other."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.c_in, self.c_out, self.groups, self.current = 1, 1, 1, 0
        self.setMinimumHeight(110)
        self.setMinimumWidth(150)
        self.scale = 1.0

    def set_layout(self, c_in: int, c_out: int, groups: int, current: int) -> None:
        self.c_in, self.c_out, self.groups, self.current = c_in, c_out, groups, current
        self.update()

    def edges(self) -> list[tuple[int, int]]:
        """(input channel, output channel) pairs that are wired."""
        cin_g, cout_g = self.c_in // self.groups, self.c_out // self.groups
        return [
            (ci, co)
            for co in range(self.c_out)
            for ci in range((co // cout_g) * cin_g, (co // cout_g + 1) * cin_g)
        ]

    def paintEvent(self, event) -> None:
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        px = int(14 * self.scale)
        p.setFont(theme.font(px, bold=True))
        fm = p.fontMetrics()
        w, h = self.width(), self.height()
        lw = fm.horizontalAdvance("out 0") + 6

        def ys(n):
            step = (h - 2 * px) / max(n, 1)
            return [px + step * (i + 0.5) for i in range(n)]

        yin, yout = ys(self.c_in), ys(self.c_out)
        x0, x1 = lw + 4, w - lw - 4
        for ci, co in self.edges():
            on = co == self.current
            pen = QtGui.QPen(
                QtGui.QColor(theme.palette().group if on else theme.palette().grid_line)
            )
            pen.setWidthF((3.0 if on else 1.2) * self.scale * theme.palette().outline_scale)
            if not on:
                pen.setStyle(Qt.PenStyle.DashLine)  # not by colour alone
            p.setPen(pen)
            p.drawLine(QtCore.QPointF(x0, yin[ci]), QtCore.QPointF(x1, yout[co]))
        p.setPen(QtGui.QColor(theme.palette().text))
        for i, y in enumerate(yin):
            p.drawText(
                QtCore.QRectF(0, y - px, lw, 2 * px),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                QtCore.QCoreApplication.translate("LessonView", "in {0}").format(i),
            )
        for i, y in enumerate(yout):
            p.drawText(
                QtCore.QRectF(x1 + 4, y - px, lw, 2 * px),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                QtCore.QCoreApplication.translate("LessonView", "out {0}").format(i),
            )
        p.end()
