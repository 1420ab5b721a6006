"""The lesson being shown: its settings, the prepared convolution and the stepper.

A thin Qt wrapper over :mod:`convviz.core` (no numerics here): what an edit does
to the kernels and channels is decided by :class:`convviz.core.lesson_edit.LessonEditor`,
this object relays it as signals. Views call the setters; every change re-prepares
the lesson, restarts the animation and emits ``sigLessonChanged``; an invalid
combination keeps the last valid lesson on screen and emits ``sigErrorChanged`` with
the engine's message.

A lesson whose output cells sum several input channels is animated in
sub-steps ("ticks"): the window moves through each input channel of the group,
then the bias is added, then the next cell. ``pos``/``seek`` stay cell-level;
``tick``/``seek_tick``/``step`` move by sub-steps (one tick is one cell when
there is a single input channel per group).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from convviz.core.lesson_edit import LessonEditError, LessonEditor
from convviz.core.lessons import MAX_LESSON_SIDE, Lesson, demo_lesson
from convviz.core.spec import ConvSpec, Prepared
from convviz.core.stepper import Stepper
from convviz.errors import ConvvizError


class LessonModel(QObject):
    sigLessonChanged = Signal()  # a new valid lesson: views redraw everything
    sigPositionChanged = Signal(int)  # the current cell (-1 before the first) or its stage
    sigErrorChanged = Signal(str)  # '' when the settings are valid

    def __init__(self, lesson: Lesson | None = None, parent=None):
        super().__init__(parent)
        self.editor = LessonEditor(lesson)
        self.error = ""
        # the lesson on screen: always a valid one (the demo when ``lesson`` is not)
        self.prep: Prepared
        self.stepper: Stepper
        self.reference: np.ndarray  # every cell, as the animation will end
        self._last_valid: Lesson | None = None  # a copy of the lesson as last prepared
        if not self._rebuild():
            message = self.error
            self.editor.set_lesson(demo_lesson())
            self._rebuild()
            self._set_error(message)

    # -- state --------------------------------------------------------------
    @property
    def lesson(self) -> Lesson:
        return self.editor.lesson

    @property
    def seed(self) -> int:
        return self.editor.seed

    @property
    def kernel_size(self) -> int:
        return self.editor.kernel_size

    @property
    def sigma(self) -> float:
        return self.editor.sigma

    @property
    def input_pick(self) -> int:
        """Which input channel an input-cell edit changes."""
        return self.editor.input_pick

    @property
    def kernel_pick(self) -> tuple[int, int]:
        """Which (co, ci-in-group) kernel a kernel-cell edit changes."""
        return self.editor.kernel_pick

    @property
    def valid(self) -> bool:
        return not self.error

    @property
    def pos(self) -> int:
        return self.stepper.pos

    @property
    def n_cells(self) -> int:
        return self.stepper.n_cells

    @property
    def stage(self) -> int:
        return self.stepper.stage

    @property
    def n_stages(self) -> int:
        return self.stepper.n_stages

    @property
    def tick(self) -> int:
        """The sub-step: ``pos * n_stages + stage`` (-1 before the first cell)."""
        return self.stepper.sub_pos

    @property
    def n_ticks(self) -> int:
        return self.stepper.n_substeps

    @property
    def at_end(self) -> bool:
        return self.stepper.at_end

    @property
    def spec(self) -> ConvSpec:
        """The spec of the lesson on screen (the last valid one)."""
        return self.prep.spec

    @property
    def multichannel(self) -> bool:
        """More than one input or output channel (drawn as stacks)."""
        s = self.spec
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
        self.editor.fit_picks(s)
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
        self.editor.set_lesson(lesson)
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
        self.editor.apply(changes)
        return self._rebuild()

    # -- navigation -----------------------------------------------------------
    def _moved(self, move: Callable[[Stepper], object]) -> None:
        stepper = self.stepper
        if not self.valid:
            return
        before = stepper.sub_pos
        move(stepper)
        if stepper.sub_pos != before:
            self.sigPositionChanged.emit(stepper.pos)

    def seek(self, k: int) -> None:
        """Go to cell ``k``, finished (all its channels and its bias)."""
        self._moved(lambda stepper: stepper.seek(k))

    def seek_tick(self, j: int) -> None:
        """Go to sub-step ``j`` (a cell when the lesson has no sub-steps)."""
        self._moved(lambda stepper: stepper.seek_sub(j))

    def step(self, delta: int) -> None:
        """Move ``delta`` sub-steps: through a cell's input channels, then its bias."""
        self.seek_tick(self.stepper.sub_pos + delta)

    # -- edits (decided by the core's LessonEditor) ------------------------------
    def _edit(self, decide: Callable[[], dict[str, Any]]) -> bool:
        """Apply what ``decide`` (a :class:`LessonEditor` method) returns; its error,
        worded in the language in use, when it refuses."""
        try:
            changes = decide()
        except LessonEditError as exc:
            self._set_error(self._edit_error_text(exc))
            return False
        except ConvvizError as exc:
            self._set_error(str(exc))
            return False
        return self._apply(**changes)

    def _edit_error_text(self, exc: LessonEditError) -> str:
        if exc.kind == "channels":
            return self.tr("a lesson has 1 to {0} input and output channels; got {1} → {2}").format(
                *exc.values
            )
        if exc.kind == "preset":
            return self.tr("unknown kernel preset {0!r}").format(*exc.values)
        return str(exc)

    def set_input(
        self,
        pattern: str | None = None,
        h: int | None = None,
        w: int | None = None,
        new_seed: bool = False,
    ) -> bool:
        return self._edit(lambda: self.editor.input_changes(pattern, h, w, new_seed))

    def set_input_cell(self, r: int, c: int, value: float) -> bool:
        """Change input[input_pick, r, c]."""
        return self._edit(lambda: self.editor.input_cell_changes(r, c, value))

    def set_channels(
        self, c_in: int | None = None, c_out: int | None = None, groups: int | None = None
    ) -> bool:
        """Input channels, output channels (1 … 4) and groups; the kernels follow."""
        return self._edit(lambda: self.editor.channel_changes(c_in, c_out, groups))

    def set_random_kernels(self, size: int | None = None, new_seed: bool = False) -> bool:
        """Small random integers, different for every (output, input) channel pair."""
        spec = self.prep.spec
        return self._edit(lambda: self.editor.random_kernel_changes(size, new_seed, spec))

    def set_bias(self, on: bool) -> bool:
        """A small different bias per output channel (1, −1, 2, −2), or none."""
        return self._edit(lambda: self.editor.bias_changes(on))

    def load_channel_demo(self) -> bool:
        """3 → 2 channels, as in the article (a 5×5 input per channel)."""
        lesson = self.editor.channel_demo()
        return self.set_lesson(lesson)

    def pick_kernel(self, co: int, ci: int) -> None:
        """Which (output channel, input channel within its group) kernel edits change."""
        self.editor.pick_kernel(co, ci)

    def pick_input_channel(self, ci: int) -> None:
        self.editor.pick_input_channel(ci)

    def set_kernel_preset(
        self, name: str, size: int | None = None, sigma: float | None = None
    ) -> bool:
        if name == "random":
            return self.set_random_kernels(size)
        return self._edit(lambda: self.editor.preset_changes(name, size, sigma))

    def set_kernel_text(self, text: str) -> bool:
        return self._edit(lambda: self.editor.text_changes(text))

    def set_kernel_cell(self, r: int, c: int, value: float) -> bool:
        """Change weight (r, c): of every kernel while they are all the same, else of the
        picked (output channel, input channel) kernel only."""
        return self._edit(lambda: self.editor.kernel_cell_changes(r, c, value))

    def picked_kernel(self) -> np.ndarray:
        """The (kh, kw) kernel that kernel-cell edits change (as the user wrote it)."""
        return self.editor.picked_kernel()

    def kernel_text(self) -> str:
        return self.editor.kernel_text()

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
