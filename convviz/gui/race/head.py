"""The race's row of controls: the input size, Play, Again, Measure again, the clock and
the way back to the lesson.

The clock and the way back move to a second row where one row cannot hold the clock on
one line (presentation mode's type on a 1366×768 projector); the clock is as wide as its
longest text, so it never wraps or is cut while it runs.
"""

from __future__ import annotations

from PySide6 import QtWidgets
from PySide6.QtCore import Qt

from convviz.core import race as rc
from convviz.core.timing import fmt_seconds
from convviz.gui import theme
from convviz.gui.race.lane import tr
from convviz.gui.widgets.wrap_row import WrapRow


class RaceHead(WrapRow):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.size_label = QtWidgets.QLabel()
        self.size_box = QtWidgets.QComboBox()
        self.size_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.play_button = QtWidgets.QPushButton()
        self.again_button = QtWidgets.QPushButton()
        self.measure_button = QtWidgets.QPushButton()
        self.back_button = QtWidgets.QPushButton()
        for b in self.buttons():
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clock_label = QtWidgets.QLabel()
        for w in (self.size_label, self.size_box, self.play_button):
            self.row.addWidget(w)
        self.row.addWidget(self.again_button)
        self.row.addWidget(self.measure_button)
        self.row.addSpacing(12)
        self.row.addStretch(1)  # (the controls keep their size when the clock moves down)
        clock = QtWidgets.QWidget()
        tail = QtWidgets.QHBoxLayout(clock)
        tail.setContentsMargins(0, 0, 0, 0)
        tail.addWidget(self.clock_label, 1)
        tail.addWidget(self.back_button)
        self.set_tail(clock, 1)
        self.set_presentation(False)

    def buttons(self) -> tuple[QtWidgets.QPushButton, ...]:
        return (self.play_button, self.again_button, self.measure_button, self.back_button)

    def set_presentation(self, on: bool) -> None:
        self.clock_label.setFont(theme.font(28 if on else 20, bold=True))
        for w in (self.size_label, self.size_box):
            w.setFont(theme.font(28 if on else 18))
        for b in self.buttons():
            b.setFont(theme.font(28 if on else 18, bold=True))

    @staticmethod
    def clock_text(race: rc.Race, t: int) -> str:
        return tr("tick {0} of {1} · {2}").format(
            f"{t:,}", f"{race.length:,}", fmt_seconds(t * race.tick_s)
        )

    def fit_clock(self, race: rc.Race | None) -> None:
        """The clock as wide as its longest text: one line, never wrapped or cut."""
        if race is None:
            return
        fm = self.clock_label.fontMetrics()
        ends = (race.length, max(race.length - 1, 0))
        wide = max(fm.horizontalAdvance(self.clock_text(race, t)) for t in ends)
        self.clock_label.setMinimumWidth(wide + fm.horizontalAdvance("00"))
