"""The lesson being shown: its settings, the prepared convolution and the stepper.

A thin Qt wrapper over :mod:`convviz.core` (no numerics here). Views call the
setters; every change re-prepares the lesson, restarts the animation and emits
``sigLessonChanged``; an invalid combination keeps the last valid lesson on
screen and emits ``sigErrorChanged`` with the engine's message.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from convviz.core.kernels import PRESETS, parse_kernel, preset
from convviz.core.lessons import MAX_LESSON_SIDE, Lesson, demo_lesson, make_input
from convviz.core.spec import Prepared
from convviz.core.stepper import Stepper
from convviz.errors import ConvvizError


class LessonModel(QObject):
    sigLessonChanged = Signal()  # a new valid lesson: views redraw everything
    sigPositionChanged = Signal(int)  # the current cell (-1 before the first)
    sigErrorChanged = Signal(str)  # '' when the settings are valid

    def __init__(self, lesson: Lesson | None = None, parent=None):
        super().__init__(parent)
        self.lesson = lesson or demo_lesson()
        self.seed = 7
        self.kernel_size = int(self.lesson.w.shape[-1])
        self.sigma = 1.0
        self.error = ""
        self.prep: Prepared | None = None
        self.stepper: Stepper | None = None
        self.reference: np.ndarray | None = None  # every cell, as the animation will end
        self._rebuild()

    # -- state --------------------------------------------------------------
    @property
    def valid(self) -> bool:
        return not self.error

    @property
    def pos(self) -> int:
        return self.stepper.pos if self.stepper else -1

    @property
    def n_cells(self) -> int:
        return self.stepper.n_cells if self.stepper else 0

    def _rebuild(self) -> bool:
        """Re-prepare; on failure keep the previous lesson's picture and report."""
        try:
            prep = self.lesson.prepare()
        except ConvvizError as exc:
            self._set_error(str(exc))
            return False
        self.prep = prep
        self.stepper = Stepper(prep)
        self.reference = self.stepper.full_output()
        self._set_error("")
        self.sigLessonChanged.emit()
        self.sigPositionChanged.emit(self.stepper.pos)
        return True

    def set_lesson(self, lesson: Lesson) -> bool:
        """Show another lesson (the demo, or the region of an image) from its start."""
        self.lesson = lesson
        self.kernel_size = int(lesson.w.shape[-1])
        return self._rebuild()

    def _set_error(self, message: str) -> None:
        if message != self.error:
            self.error = message
            self.sigErrorChanged.emit(message)
        elif message:
            self.sigErrorChanged.emit(message)  # same message again: still say it

    def _apply(self, **changes) -> bool:
        """Set lesson fields and re-prepare.

        An invalid combination keeps what the user chose (the controls show it and
        the message names it) while the last valid lesson stays on screen; the
        next change that makes it valid again brings the picture back.
        """
        for k, v in changes.items():
            setattr(self.lesson, k, v)
        return self._rebuild()

    # -- navigation -----------------------------------------------------------
    def seek(self, k: int) -> None:
        if self.stepper is None or not self.valid:
            return
        before = self.stepper.pos
        if self.stepper.seek(k) != before:
            self.sigPositionChanged.emit(self.stepper.pos)

    def step(self, delta: int) -> None:
        if self.stepper is not None:
            self.seek(self.stepper.pos + delta)

    def restart(self) -> None:
        self.seek(-1)

    # -- input ----------------------------------------------------------------
    def set_input(self, pattern: str | None = None, h: int | None = None,
                  w: int | None = None, new_seed: bool = False) -> bool:
        _, h0, w0 = self.lesson.x.shape
        pattern = pattern or self.lesson.pattern
        h, w = h or h0, w or w0
        if new_seed:
            self.seed += 1
        try:
            x = make_input(pattern, h, w, channels=self.lesson.x.shape[0], seed=self.seed)
        except ConvvizError as exc:
            self._set_error(str(exc))
            return False
        return self._apply(x=x, pattern=pattern)

    def set_input_cell(self, r: int, c: int, value: float) -> bool:
        x = self.lesson.x.copy()
        x[0, r, c] = value
        return self._apply(x=x)

    # -- kernel ---------------------------------------------------------------
    def set_kernel_preset(self, name: str, size: int | None = None,
                          sigma: float | None = None) -> bool:
        p = PRESETS.get(name)
        if p is None:
            self._set_error(f"unknown kernel preset {name!r}")
            return False
        size = self.kernel_size if size is None else size
        sigma = self.sigma if sigma is None else sigma
        try:
            k = preset(name, size=size if "size" in p.params else None,
                       sigma=sigma if "sigma" in p.params else None)
        except ConvvizError as exc:
            self._set_error(str(exc))
            return False
        self.kernel_size, self.sigma = size, sigma
        return self._apply(w=self._as_weights(k), kernel_name=name)

    def set_kernel_text(self, text: str) -> bool:
        try:
            k = parse_kernel(text)
        except ConvvizError as exc:
            self._set_error(str(exc))
            return False
        return self._apply(w=self._as_weights(k), kernel_name="custom")

    def set_kernel_cell(self, r: int, c: int, value: float) -> bool:
        w = self.lesson.w.copy()
        w[:, :, r, c] = value
        return self._apply(w=w, kernel_name="custom")

    def _as_weights(self, k: np.ndarray) -> np.ndarray:
        c_in = self.lesson.x.shape[0]
        return np.ascontiguousarray(np.broadcast_to(k, (1, c_in) + k.shape), np.float32)

    def kernel_text(self) -> str:
        from convviz.core.stepper import fmt_number

        k = self.lesson.w[0, 0]
        return "; ".join(" ".join(fmt_number(v) for v in row) for row in k)

    # -- geometry -------------------------------------------------------------
    def set_stride(self, s: int) -> bool:
        return self._apply(stride=(int(s), int(s)))

    def set_dilation(self, d: int) -> bool:
        return self._apply(dilation=(int(d), int(d)))

    def set_padding(self, padding) -> bool:
        """An int, 'same' or 'valid'."""
        return self._apply(padding=padding)

    def set_padding_mode(self, mode: str) -> bool:
        return self._apply(padding_mode=mode)

    def set_flip(self, flip: bool) -> bool:
        return self._apply(flip=bool(flip))

    @staticmethod
    def max_side() -> int:
        return MAX_LESSON_SIDE
