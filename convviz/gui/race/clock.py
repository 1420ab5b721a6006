"""The race's clock: one QTimer that moves a tick counter, following the wall clock.

As the lesson's playback (:mod:`convviz.gui.lesson.playback`), the position follows
the clock, not the number of timer events: at every event the tick is
``anchor + elapsed × ticks per second``, so a slow frame drops ticks instead of
making the race last longer. The whole race (its longest lane) takes ``duration_s``
seconds, whatever its number of ticks; the lanes are drawn from the tick alone.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

FRAME_MS = 16
#: seconds the whole race takes on screen
DURATION_S = 12.0


class RaceClock(QObject):
    sigTick = Signal(int)  # the clock's tick (0 … length)
    sigPlayingChanged = Signal(bool)
    sigFinished = Signal()

    def __init__(self, clock=time.perf_counter, parent=None):
        super().__init__(parent)
        self.clock = clock
        self.length = 0
        self.duration_s = DURATION_S
        self.tick = 0
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._on_timer)
        self._anchor_t = 0.0
        self._anchor_tick = 0

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    @property
    def at_end(self) -> bool:
        return self.tick >= self.length

    def set_length(self, length: int) -> None:
        """A new race: back to tick 0, paused."""
        self.pause()
        self.length = max(0, int(length))
        self.seek(0)

    def play(self) -> None:
        if self.playing or self.length <= 0:
            return
        if self.at_end:
            self.seek(0)
        self._anchor_t, self._anchor_tick = self.clock(), self.tick
        self._timer.start()
        self.sigPlayingChanged.emit(True)

    def pause(self) -> None:
        if self.playing:
            self._timer.stop()
            self.sigPlayingChanged.emit(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def restart(self) -> None:
        self.pause()
        self.seek(0)
        self.play()

    def seek(self, tick: int) -> None:
        self.tick = min(max(0, int(tick)), self.length)
        self.sigTick.emit(self.tick)

    def _on_timer(self) -> None:
        rate = self.length / self.duration_s
        target = self._anchor_tick + int((self.clock() - self._anchor_t) * rate + 1e-9)
        if target > self.tick:
            self.seek(target)
        if self.at_end:
            self.pause()
            self.sigFinished.emit()
