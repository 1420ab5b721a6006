"""The lesson being shown: its settings, the prepared convolution and the stepper.

A thin Qt wrapper over :mod:`convviz.core` (no numerics here). Views call the
setters; every change re-prepares the lesson, restarts the animation and emits
``sigLessonChanged``; an invalid combination keeps the last valid lesson on
screen and emits ``sigErrorChanged`` with the engine's message.

A lesson whose output cells sum several input channels is animated in
sub-steps ("ticks"): the window moves through each input channel of the group,
then the bias is added, then the next cell. ``pos``/``seek`` stay cell-level;
``tick``/``seek_tick``/``step`` move by sub-steps (one tick is one cell when
there is a single input channel per group).
"""

from __future__ import annotations

import copy

import numpy as np
from PySide6.QtCore import QObject, Signal

from convviz.core.kernels import PRESETS, parse_kernel, preset
from convviz.core.lessons import (
    MAX_CHANNELS,
    MAX_LESSON_SIDE,
    Lesson,
    channel_lesson,
    demo_lesson,
    make_input,
    random_kernels,
)
from convviz.core.spec import Prepared
from convviz.core.stepper import Stepper
from convviz.errors import ConvvizError


class LessonModel(QObject):
    sigLessonChanged = Signal()  # a new valid lesson: views redraw everything
    sigPositionChanged = Signal(int)  # the current cell (-1 before the first) or its stage
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
        #: which input channel an input-cell edit changes, and which (co, ci-in-group)
        #: kernel a kernel-cell edit changes
        self.input_pick = 0
        self.kernel_pick = (0, 0)
        self._last_valid: Lesson | None = None  # a copy of the lesson as last prepared
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

    @property
    def stage(self) -> int:
        return self.stepper.stage if self.stepper else 0

    @property
    def n_stages(self) -> int:
        return self.stepper.n_stages if self.stepper else 1

    @property
    def tick(self) -> int:
        """The sub-step: ``pos * n_stages + stage`` (-1 before the first cell)."""
        return self.stepper.sub_pos if self.stepper else -1

    @property
    def n_ticks(self) -> int:
        return self.stepper.n_substeps if self.stepper else 0

    @property
    def at_end(self) -> bool:
        return self.stepper is None or self.stepper.at_end

    @property
    def multichannel(self) -> bool:
        """More than one input or output channel (drawn as stacks)."""
        s = self.prep.spec
        return s.c_in > 1 or s.c_out > 1

    def _rebuild(self) -> bool:
        """Re-prepare; on failure keep the previous lesson's picture and report."""
        try:
            prep = self.lesson.prepare()
        except ConvvizError as exc:
            self._set_error(str(exc))
            return False
        self.prep = prep
        self._last_valid = copy.deepcopy(self.lesson)
        s = prep.spec
        self.stepper = Stepper(prep, substeps=s.c_in // s.groups > 1)
        self.input_pick = min(self.input_pick, s.c_in - 1)
        co, ci = self.kernel_pick
        self.kernel_pick = (min(co, s.c_out - 1), min(ci, s.c_in // s.groups - 1))
        self.reference = self.stepper.full_output()
        self._set_error("")
        self.sigLessonChanged.emit()
        self.sigPositionChanged.emit(self.stepper.pos)
        return True

    def valid_lesson(self) -> Lesson:
        """A copy of the lesson as it was last prepared: what is on screen, without an
        invalid setting made since (the lesson itself keeps what the user chose)."""
        return copy.deepcopy(self._last_valid if self._last_valid is not None else self.lesson)

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
    def _moved(self, move) -> None:
        if self.stepper is None or not self.valid:
            return
        before = self.stepper.sub_pos
        move()
        if self.stepper.sub_pos != before:
            self.sigPositionChanged.emit(self.stepper.pos)

    def seek(self, k: int) -> None:
        """Go to cell ``k``, finished (all its channels and its bias)."""
        self._moved(lambda: self.stepper.seek(k))

    def seek_tick(self, j: int) -> None:
        """Go to sub-step ``j`` (a cell when the lesson has no sub-steps)."""
        self._moved(lambda: self.stepper.seek_sub(j))

    def step(self, delta: int) -> None:
        """Move ``delta`` sub-steps: through a cell's input channels, then its bias."""
        if self.stepper is not None:
            self.seek_tick(self.stepper.sub_pos + delta)

    def restart(self) -> None:
        self.seek(-1)

    # -- input ----------------------------------------------------------------
    def set_input(
        self,
        pattern: str | None = None,
        h: int | None = None,
        w: int | None = None,
        new_seed: bool = False,
    ) -> bool:
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
        """Change input[input_pick, r, c]."""
        x = self.lesson.x.copy()
        x[min(self.input_pick, x.shape[0] - 1), r, c] = value
        return self._apply(x=x)

    # -- channels -------------------------------------------------------------
    def set_channels(
        self, c_in: int | None = None, c_out: int | None = None, groups: int | None = None
    ) -> bool:
        """Input channels, output channels (1 … 4) and groups; the kernels follow.

        Groups that no longer divide both channel counts fall back to 1.
        """
        lesson = self.lesson
        c_in0, h, w = lesson.x.shape
        c_in = c_in0 if c_in is None else int(c_in)
        c_out = lesson.w.shape[0] if c_out is None else int(c_out)
        groups = lesson.groups if groups is None else int(groups)
        if not (1 <= c_in <= MAX_CHANNELS and 1 <= c_out <= MAX_CHANNELS):
            self._set_error(
                self.tr("a lesson has 1 to {0} input and output channels; got {1} → {2}").format(
                    MAX_CHANNELS, c_in, c_out
                )
            )
            return False
        if c_in % groups or c_out % groups:
            groups = 1
        x = lesson.x
        if c_in != c_in0:
            x = make_input(
                lesson.pattern if lesson.pattern != "custom" else "random",
                h,
                w,
                channels=c_in,
                seed=self.seed,
            )
        bias = lesson.bias
        if bias is not None:
            bias = np.resize(bias, c_out).astype(np.float32)
        return self._apply(
            x=x, w=self._weights(c_out, c_in // groups, groups), groups=groups, bias=bias
        )

    def _weights(self, c_out: int, cin_g: int, groups: int) -> np.ndarray:
        """Kernels of a new channel layout, in the lesson's kernel mode."""
        lesson = self.lesson
        kh, kw = lesson.w.shape[-2:]
        if lesson.kernel_mode == "same":
            k = lesson.w[0, 0]
            return np.ascontiguousarray(np.broadcast_to(k, (c_out, cin_g, kh, kw)), np.float32)
        return random_kernels(c_out, cin_g, kh, kw, seed=self.seed)

    def set_random_kernels(self, size: int | None = None, new_seed: bool = False) -> bool:
        """Small random integers, different for every (output, input) channel pair."""
        if new_seed:
            self.seed += 1
        size = self.kernel_size if size is None else int(size)
        s = self.prep.spec if self.prep is not None else None
        c_out = self.lesson.w.shape[0]
        cin_g = self.lesson.x.shape[0] // self.lesson.groups if s is None else s.c_in // s.groups
        self.kernel_size = size
        w = random_kernels(c_out, cin_g, size, size, seed=self.seed)
        return self._apply(w=w, kernel_name="random", kernel_mode="random")

    def set_bias(self, on: bool) -> bool:
        """A small different bias per output channel (1, −1, 2, −2), or none."""
        c_out = self.lesson.w.shape[0]
        bias = np.array([1, -1, 2, -2][:c_out], np.float32) if on else None
        return self._apply(bias=bias)

    def load_channel_demo(self) -> bool:
        """3 → 2 channels, as in the article (a 5×5 input per channel)."""
        self.kernel_size = 3
        self.input_pick, self.kernel_pick = 0, (0, 0)
        return self.set_lesson(channel_lesson(seed=self.seed))

    def pick_kernel(self, co: int, ci: int) -> None:
        """Which (output channel, input channel within its group) kernel edits change."""
        self.kernel_pick = (int(co), int(ci))

    def pick_input_channel(self, ci: int) -> None:
        self.input_pick = int(ci)

    # -- kernel ---------------------------------------------------------------
    def set_kernel_preset(
        self, name: str, size: int | None = None, sigma: float | None = None
    ) -> bool:
        if name == "random":
            return self.set_random_kernels(size)
        p = PRESETS.get(name)
        if p is None:
            self._set_error(self.tr("unknown kernel preset {0!r}").format(name))
            return False
        size = self.kernel_size if size is None else size
        sigma = self.sigma if sigma is None else sigma
        try:
            k = preset(
                name,
                size=size if "size" in p.params else None,
                sigma=sigma if "sigma" in p.params else None,
            )
        except ConvvizError as exc:
            self._set_error(str(exc))
            return False
        self.kernel_size, self.sigma = size, sigma
        return self._apply(w=self._as_weights(k), kernel_name=name, kernel_mode="same")

    def set_kernel_text(self, text: str) -> bool:
        try:
            k = parse_kernel(text)
        except ConvvizError as exc:
            self._set_error(str(exc))
            return False
        return self._apply(w=self._as_weights(k), kernel_name="custom", kernel_mode="same")

    def set_kernel_cell(self, r: int, c: int, value: float) -> bool:
        """Change weight (r, c): of every kernel while they are all the same, else of the
        picked (output channel, input channel) kernel only."""
        w = self.lesson.w.copy()
        if self.lesson.kernel_mode == "same":
            w[:, :, r, c] = value
            return self._apply(w=w, kernel_name="custom")
        co, ci = self.kernel_pick
        w[min(co, w.shape[0] - 1), min(ci, w.shape[1] - 1), r, c] = value
        return self._apply(w=w, kernel_name="custom", kernel_mode="custom")

    def picked_kernel(self) -> np.ndarray:
        """The (kh, kw) kernel that kernel-cell edits change (as the user wrote it)."""
        co, ci = self.kernel_pick
        w = self.lesson.w
        return w[min(co, w.shape[0] - 1), min(ci, w.shape[1] - 1)]

    def _as_weights(self, k: np.ndarray) -> np.ndarray:
        c_in, groups = self.lesson.x.shape[0], self.lesson.groups
        c_out = self.lesson.w.shape[0] if c_in % groups == 0 else 1
        shape = (c_out, c_in // groups if c_in % groups == 0 else c_in) + k.shape
        return np.ascontiguousarray(np.broadcast_to(k, shape), np.float32)

    def kernel_text(self) -> str:
        from convviz.core.stepper import fmt_number

        k = self.picked_kernel()
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
