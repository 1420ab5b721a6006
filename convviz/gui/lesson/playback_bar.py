"""Play/pause, step ±1, jump to start/end, speed, and a scrub slider over all cells.

No widget here takes the keyboard focus, so the lesson keys keep working after a
click on any of them.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt

from convviz.gui import theme
from convviz.gui.lesson.model import LessonModel
from convviz.gui.lesson.playback import SPEED_STEPS, Playback, speed_of_step, step_of_speed
from convviz.gui.widgets.fit_label import FitLabel
from convviz.gui.widgets.wrap_row import WrapRow


class _Button(QtWidgets.QPushButton):
    """A push button as wide as its text needs: the style's 80 px least width of a
    text button is for words, not for the one or two glyphs of a step button."""

    def sizeHint(self) -> QtCore.QSize:
        hint = super().sizeHint()
        pad = self.fontMetrics().horizontalAdvance("M") * 2
        return QtCore.QSize(
            max(self.fontMetrics().horizontalAdvance(self.text()) + pad, self.minimumWidth()),
            hint.height(),
        )

    def minimumSizeHint(self) -> QtCore.QSize:
        return self.sizeHint()


def _button(text: str, tip: str) -> QtWidgets.QPushButton:
    b = _Button(text)
    b.setToolTip(tip)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    b.setFont(theme.font(20, bold=True))
    b.setMinimumWidth(56)
    return b


def speed_text(speed: float) -> str:
    # literal translate() calls: pyside6-lupdate only sees tr()/translate() by name
    if speed < 1:
        return QCoreApplication.translate("PlaybackBar", "1 step / {0} s").format(
            f"{1 / speed:.1f}"
        )
    return QCoreApplication.translate("PlaybackBar", "{0} steps/s").format(f"{speed:.3g}")


#: the least width of the scrub slider: below it the bar takes a second row
SCRUB_MIN_PX = 160


class PlaybackBar(QtWidgets.QWidget):
    def __init__(self, model: LessonModel, playback: Playback, parent=None):
        super().__init__(parent)
        self.model, self.playback = model, playback
        self.home = _button("|◀◀", self.tr("Jump to the start (Home)"))
        self.back = _button("◀", self.tr("One step back (← or PageUp)"))
        self.play = _button(self.tr("▶ Play"), self.tr("Play / pause (Space)"))
        self.play.setMinimumWidth(130)
        self.forward = _button("▶", self.tr("One step forward (→ or PageDown)"))
        self.end = _button("▶▶|", self.tr("Jump to the end (End)"))
        self.speed = QtWidgets.QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(0, SPEED_STEPS)
        self.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.speed.setFixedWidth(160)
        self.speed.setToolTip(self.tr("Speed: from a step every 2 s to 500 steps a second (+ / −)"))
        self.speed_label = QtWidgets.QLabel()
        self.speed_label.setMinimumWidth(130)
        self.scrub = QtWidgets.QSlider(Qt.Orientation.Horizontal)
        self.scrub.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scrub.setToolTip(
            self.tr(
                "Scrub over every output cell (and, with several "
                "input channels, every channel of each)"
            )
        )
        # one line; where the row is too short it ends in "…" (whole on hover)
        self.position = FitLabel(lines=1)
        self.position.setWordWrap(False)
        self.position.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Preferred
        )
        self.position.setMinimumWidth(150)
        for lab in (self.speed_label, self.position):
            lab.setFont(theme.font(17))
        # the buttons and the speed on one row, the scrub slider and the position after
        # them, or on a second row where one row cannot hold them all (a narrow window,
        # presentation mode's larger type): never squeezed to a dot
        self.rows = WrapRow()
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.rows)
        row = self.rows.row
        for w in (self.home, self.back, self.play, self.forward, self.end):
            row.addWidget(w)
        row.addSpacing(12)
        speed_caption = QtWidgets.QLabel(self.tr("Speed"))
        speed_caption.setFont(theme.font(17))
        row.addWidget(speed_caption)
        row.addWidget(self.speed)
        row.addWidget(self.speed_label)
        self.scrub_part = QtWidgets.QWidget()
        scrub_row = QtWidgets.QHBoxLayout(self.scrub_part)
        scrub_row.setContentsMargins(0, 0, 0, 0)
        scrub_row.addWidget(self.scrub, 1)
        scrub_row.addWidget(self.position)
        self.scrub.setMinimumWidth(SCRUB_MIN_PX)
        self.rows.set_tail(self.scrub_part, 1)

        self.home.clicked.connect(lambda: model.seek(-1))
        self.end.clicked.connect(lambda: model.seek(model.n_cells - 1))
        self.back.clicked.connect(lambda: model.step(-1))
        self.forward.clicked.connect(lambda: model.step(1))
        self.play.clicked.connect(playback.toggle)
        self.speed.valueChanged.connect(lambda v: playback.set_speed(speed_of_step(v)))
        self.scrub.valueChanged.connect(model.seek_tick)
        model.sigLessonChanged.connect(self._on_lesson_changed)
        model.sigPositionChanged.connect(self._on_position_changed)
        model.sigErrorChanged.connect(self._on_error_changed)
        playback.sigPlayingChanged.connect(self._on_playing_changed)
        playback.sigSpeedChanged.connect(self._on_speed_changed)
        self._on_lesson_changed()
        self._on_speed_changed(playback.speed)
        self._on_position_changed(model.pos)

    @property
    def wrapped(self) -> bool:
        """Whether the scrub slider is on a row of its own."""
        return self.rows.wrapped

    def _set_position(self, text: str) -> None:
        """The position, whole in the tooltip too (a narrow bar cuts it)."""
        self.position.setText(text)
        self.position.setToolTip(text)

    def _on_lesson_changed(self) -> None:
        with QSignalBlocker(self.scrub):
            self.scrub.setRange(-1, max(self.model.n_ticks - 1, -1))

    def _on_position_changed(self, pos: int) -> None:
        m = self.model
        with QSignalBlocker(self.scrub):
            self.scrub.setValue(m.tick)
        n = m.n_cells
        if pos < 0:
            self._set_position(self.tr("start / {0} cells").format(n))
        elif m.n_stages > 1 and m.stage < m.n_stages - 1:
            self._set_position(
                self.tr("cell {0} / {1}, channel {2} of {3}").format(
                    pos + 1, n, m.stage + 1, m.n_stages - 1
                )
            )
        elif m.n_stages > 1:
            self._set_position(self.tr("cell {0} / {1}, + bias").format(pos + 1, n))
        else:
            self._set_position(self.tr("cell {0} / {1}").format(pos + 1, n))

    def _on_playing_changed(self, playing: bool) -> None:
        self.play.setText(self.tr("❚❚ Pause") if playing else self.tr("▶ Play"))

    def _on_speed_changed(self, speed: float) -> None:
        with QSignalBlocker(self.speed):
            self.speed.setValue(step_of_speed(speed))
        self.speed_label.setText(speed_text(speed))

    def _on_error_changed(self, message: str) -> None:
        for w in (self.home, self.back, self.play, self.forward, self.end, self.scrub):
            w.setEnabled(not message)

    def retranslate(self) -> None:
        """Formatted texts (position, speed, play) in the language now installed."""
        self._on_position_changed(self.model.pos)
        self._on_speed_changed(self.playback.speed)
        self._on_playing_changed(self.playback.playing)
