"""Play/pause over the lesson's stepper, driven by one QTimer.

The position follows the clock, not the tick count: at every tick the target
step is ``anchor + elapsed × speed``, so at hundreds of steps a second frames
are dropped instead of the animation drifting behind (as pyqtgraph's
ImageView.timeout does). A step is a cell, or in a lesson of several input
channels one channel of a cell (then its bias): the model's sub-steps.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QObject, QTimer, Signal

from convviz.gui.lesson.model import LessonModel

MIN_SPEED = 0.5  # cells per second: one cell every 2 s
MAX_SPEED = 500.0
DEFAULT_SPEED = 2.0
FRAME_MS = 16  # never tick faster than ~60 frames a second
SPEED_STEPS = 40  # the speed slider's resolution over the log range


def speed_of_step(step: int) -> float:
    """Slider position 0 … SPEED_STEPS → cells per second on a log scale."""
    f = min(max(step, 0), SPEED_STEPS) / SPEED_STEPS
    return MIN_SPEED * (MAX_SPEED / MIN_SPEED) ** f


def step_of_speed(speed: float) -> int:
    f = math.log(speed / MIN_SPEED) / math.log(MAX_SPEED / MIN_SPEED)
    return int(round(min(max(f, 0.0), 1.0) * SPEED_STEPS))


class Playback(QObject):
    sigPlayingChanged = Signal(bool)
    sigSpeedChanged = Signal(float)

    def __init__(self, model: LessonModel, clock=time.perf_counter, parent=None):
        super().__init__(parent)
        self.model = model
        self.clock = clock
        self.speed = DEFAULT_SPEED
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_tick)
        self._anchor_t = 0.0
        self._anchor_pos = self._last_pos = -1
        model.sigLessonChanged.connect(self._on_lesson_changed)
        model.sigErrorChanged.connect(self._on_error_changed)

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    # -- commands -------------------------------------------------------------
    def play(self) -> None:
        m = self.model
        if self.playing or not m.valid or m.n_cells == 0:
            return
        if m.at_end:
            m.seek(-1)
        m.step(1)  # the first step appears at once, not one period later
        if m.at_end:
            return
        self._anchor()
        self._timer.start(self._interval_ms())
        self.sigPlayingChanged.emit(True)

    def pause(self) -> None:
        if self.playing:
            self._timer.stop()
            self.sigPlayingChanged.emit(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def set_speed(self, cells_per_s: float) -> None:
        speed = float(min(max(cells_per_s, MIN_SPEED), MAX_SPEED))
        if speed == self.speed:
            return
        self.speed = speed
        if self.playing:
            self._anchor()
            self._timer.setInterval(self._interval_ms())
        self.sigSpeedChanged.emit(speed)

    def faster(self, steps: int = 4) -> None:
        self.set_speed(speed_of_step(step_of_speed(self.speed) + steps))

    def slower(self, steps: int = 4) -> None:
        self.set_speed(speed_of_step(step_of_speed(self.speed) - steps))

    # -- the clock ------------------------------------------------------------
    def _interval_ms(self) -> int:
        return int(max(FRAME_MS, min(1000.0 / self.speed, 100)))

    def _anchor(self) -> None:
        self._anchor_t = self.clock()
        self._anchor_pos = self._last_pos = self.model.tick

    def _on_tick(self) -> None:
        m = self.model
        if not m.valid or m.stepper is None:
            self.pause()
            return
        if m.tick != self._last_pos:
            self._anchor()  # stepped or scrubbed meanwhile: go on from there
        # (+1e-9: 0.05 s × 100 cells/s is 4.999… in floating point, and means 5)
        target = self._anchor_pos + int((self.clock() - self._anchor_t) * self.speed + 1e-9)
        target = min(target, m.n_ticks - 1)
        if target > m.tick:
            m.seek_tick(target)
            self._last_pos = m.tick
        if m.at_end:
            self.pause()

    def _on_lesson_changed(self) -> None:
        self.pause()

    def _on_error_changed(self, message: str) -> None:
        if message:
            self.pause()
