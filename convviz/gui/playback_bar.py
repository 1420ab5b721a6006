"""Play/pause, step ±1, jump to start/end, speed, and a scrub slider over all cells.

No widget here takes the keyboard focus, so the lesson keys keep working after a
click on any of them.
"""

from __future__ import annotations

from PySide6 import QtWidgets
from PySide6.QtCore import Qt

from convviz.gui import theme
from convviz.gui.controls import signals_blocked
from convviz.gui.lesson_model import LessonModel
from convviz.gui.playback import SPEED_STEPS, Playback, speed_of_step, step_of_speed


def _button(text: str, tip: str) -> QtWidgets.QPushButton:
    b = QtWidgets.QPushButton(text)
    b.setToolTip(tip)
    b.setFocusPolicy(Qt.NoFocus)
    b.setFont(theme.font(20, bold=True))
    b.setMinimumWidth(56)
    return b


def speed_text(speed: float) -> str:
    if speed < 1:
        return f"1 cell / {1 / speed:.1f} s"
    return f"{speed:.3g} cells/s"


class PlaybackBar(QtWidgets.QWidget):
    def __init__(self, model: LessonModel, playback: Playback, parent=None):
        super().__init__(parent)
        self.model, self.playback = model, playback
        self.home = _button("|◀◀", "Jump to the start (Home)")
        self.back = _button("◀", "One cell back (← or PageUp)")
        self.play = _button("▶ Play", "Play / pause (Space)")
        self.play.setMinimumWidth(130)
        self.forward = _button("▶", "One cell forward (→ or PageDown)")
        self.end = _button("▶▶|", "Jump to the end (End)")
        self.speed = QtWidgets.QSlider(Qt.Horizontal)
        self.speed.setRange(0, SPEED_STEPS)
        self.speed.setFocusPolicy(Qt.NoFocus)
        self.speed.setFixedWidth(160)
        self.speed.setToolTip("Speed: from a cell every 2 s to 500 cells a second (+ / −)")
        self.speed_label = QtWidgets.QLabel()
        self.speed_label.setMinimumWidth(130)
        self.scrub = QtWidgets.QSlider(Qt.Horizontal)
        self.scrub.setFocusPolicy(Qt.NoFocus)
        self.scrub.setToolTip("Scrub over every output cell")
        self.position = QtWidgets.QLabel()
        self.position.setMinimumWidth(150)
        for lab in (self.speed_label, self.position):
            lab.setFont(theme.font(17))
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for w in (self.home, self.back, self.play, self.forward, self.end):
            lay.addWidget(w)
        lay.addSpacing(12)
        speed_caption = QtWidgets.QLabel("Speed")
        speed_caption.setFont(theme.font(17))
        lay.addWidget(speed_caption)
        lay.addWidget(self.speed)
        lay.addWidget(self.speed_label)
        lay.addWidget(self.scrub, 1)
        lay.addWidget(self.position)

        self.home.clicked.connect(lambda: model.seek(-1))
        self.end.clicked.connect(lambda: model.seek(model.n_cells - 1))
        self.back.clicked.connect(lambda: model.step(-1))
        self.forward.clicked.connect(lambda: model.step(1))
        self.play.clicked.connect(playback.toggle)
        self.speed.valueChanged.connect(lambda v: playback.set_speed(speed_of_step(v)))
        self.scrub.valueChanged.connect(model.seek)
        model.sigLessonChanged.connect(self._on_lesson_changed)
        model.sigPositionChanged.connect(self._on_position_changed)
        model.sigErrorChanged.connect(self._on_error_changed)
        playback.sigPlayingChanged.connect(self._on_playing_changed)
        playback.sigSpeedChanged.connect(self._on_speed_changed)
        self._on_lesson_changed()
        self._on_speed_changed(playback.speed)
        self._on_position_changed(model.pos)

    def _on_lesson_changed(self) -> None:
        with signals_blocked(self.scrub):
            self.scrub.setRange(-1, max(self.model.n_cells - 1, -1))

    def _on_position_changed(self, pos: int) -> None:
        with signals_blocked(self.scrub):
            self.scrub.setValue(pos)
        n = self.model.n_cells
        self.position.setText(f"cell {pos + 1} / {n}" if pos >= 0 else f"start / {n} cells")

    def _on_playing_changed(self, playing: bool) -> None:
        self.play.setText("❚❚ Pause" if playing else "▶ Play")

    def _on_speed_changed(self, speed: float) -> None:
        with signals_blocked(self.speed):
            self.speed.setValue(step_of_speed(speed))
        self.speed_label.setText(speed_text(speed))

    def _on_error_changed(self, message: str) -> None:
        for w in (self.home, self.back, self.play, self.forward, self.end, self.scrub):
            w.setEnabled(not message)
