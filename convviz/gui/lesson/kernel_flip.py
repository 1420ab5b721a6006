"""The kernel's 180° turn when the lesson switches cross-correlation ⇄ convolution.

The kernel grids already hold the new (rotated) weights when the turn starts;
they are drawn turned by 180° — which looks exactly like the old kernel — and
turn back to 0° over ``duration_ms``. So the values are right at every moment
and only the picture moves. A duration of 0 skips the animation (tests).
"""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QObject, QVariantAnimation, Signal

#: the turn's duration in a running app
FLIP_MS = 800


class KernelFlip(QObject):
    sigFinished = Signal()

    def __init__(self, parent=None, duration_ms: int = FLIP_MS):
        super().__init__(parent)
        self.duration_ms = duration_ms
        self.views: list = []
        self.animation = QVariantAnimation(self)
        self.animation.setStartValue(180.0)
        self.animation.setEndValue(0.0)
        self.animation.setEasingCurve(QEasingCurve.Type.InOutCubic)
        self.animation.valueChanged.connect(self._on_value)
        self.animation.finished.connect(self._on_finished)

    @property
    def running(self) -> bool:
        return self.animation.state() == QVariantAnimation.State.Running

    def start(self, views) -> None:
        """Turn ``views`` (GridViews already showing the new kernel) from 180° to 0°."""
        self.stop()
        self.views = list(views)
        if self.duration_ms <= 0:
            self.sigFinished.emit()
            return
        for v in self.views:
            v.set_rotation(180.0)
        self.animation.setDuration(int(self.duration_ms))
        self.animation.start()

    def stop(self) -> None:
        """End at once, upright (a new lesson arrived mid-turn, or the view closes)."""
        if self.running:
            self.animation.stop()
        for v in self.views:
            v.set_rotation(0.0)

    def _on_value(self, value) -> None:
        for v in self.views:
            v.set_rotation(float(value))

    def _on_finished(self) -> None:
        for v in self.views:
            v.set_rotation(0.0)
        self.sigFinished.emit()
