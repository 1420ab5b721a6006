"""Editing a lesson: what each setting does to its kernels and channels (Qt-free).

The GUI's lesson model relays these decisions as signals; everything a change decides
lives here: the kernels of a new channel layout, the kernel presets and their sizes,
the random kernels, an edit of one cell, and the limits a lesson keeps.

Every ``*_changes`` method returns the lesson fields to set (a dict for
:meth:`LessonEditor.apply`) or raises :class:`~convviz.errors.ConvvizError` with the
engine's message; a :class:`LessonEditError` also names its kind and values, so a
GUI can word it in its own language.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from convviz.core.kernels import PRESETS, parse_kernel, preset
from convviz.core.lessons import (
    MAX_CHANNELS,
    Lesson,
    channel_lesson,
    demo_lesson,
    make_input,
    random_kernels,
)
from convviz.core.spec import ConvSpec, groups_fit
from convviz.core.stepper import fmt_number
from convviz.errors import ConvvizError

#: the seed of a new editor's random inputs and kernels
FIRST_SEED = 7
#: the bias per output channel when the lesson has one
BIAS = (1.0, -1.0, 2.0, -2.0)


class LessonEditError(ConvvizError):
    """An edit outside a lesson's limits. ``kind`` is ``"channels"`` (values: the limit,
    the input and output channels asked) or ``"preset"`` (values: the name)."""

    def __init__(self, kind: str, message: str, *values: object):
        super().__init__(message)
        self.kind = kind
        self.values = values


class LessonEditor:
    """A lesson and the choices that shape its next kernels: the seed, the kernel size,
    the Gaussian's sigma, and which input channel and (output, input) kernel a cell
    edit changes."""

    def __init__(self, lesson: Lesson | None = None):
        self.lesson = lesson or demo_lesson()
        self.seed = FIRST_SEED
        self.kernel_size = int(self.lesson.w.shape[-1])
        self.sigma = 1.0
        self.input_pick = 0
        self.kernel_pick = (0, 0)

    # -- the lesson ---------------------------------------------------------------
    def set_lesson(self, lesson: Lesson) -> None:
        """Another lesson (the demo, an image's region); its kernel size is the new size."""
        self.lesson = lesson
        self.kernel_size = int(lesson.w.shape[-1])

    def apply(self, changes: dict[str, Any]) -> None:
        """Set the lesson's fields (the user's choice stays even when it is invalid)."""
        for name, value in changes.items():
            setattr(self.lesson, name, value)

    def fit_picks(self, spec: ConvSpec) -> None:
        """The picked channel and kernel, kept inside a newly prepared lesson."""
        self.input_pick = min(self.input_pick, spec.c_in - 1)
        co, ci = self.kernel_pick
        self.kernel_pick = (min(co, spec.c_out - 1), min(ci, spec.c_in // spec.groups - 1))

    def pick_kernel(self, co: int, ci: int) -> None:
        """Which (output channel, input channel within its group) kernel edits change."""
        self.kernel_pick = (int(co), int(ci))

    def pick_input_channel(self, ci: int) -> None:
        self.input_pick = int(ci)

    # -- input ----------------------------------------------------------------------
    def input_changes(
        self,
        pattern: str | None = None,
        h: int | None = None,
        w: int | None = None,
        new_seed: bool = False,
    ) -> dict[str, Any]:
        """A new input: its pattern and size (each kept when None), a new seed."""
        _, h0, w0 = self.lesson.x.shape
        pattern = pattern or self.lesson.pattern
        h, w = h or h0, w or w0
        if new_seed:
            self.seed += 1
        x = make_input(pattern, h, w, channels=self.lesson.x.shape[0], seed=self.seed)
        return {"x": x, "pattern": pattern}

    def input_cell_changes(self, r: int, c: int, value: float) -> dict[str, Any]:
        """input[input_pick, r, c] = value."""
        x = self.lesson.x.copy()
        x[min(self.input_pick, x.shape[0] - 1), r, c] = value
        return {"x": x}

    # -- channels -------------------------------------------------------------------
    def channel_changes(
        self, c_in: int | None = None, c_out: int | None = None, groups: int | None = None
    ) -> dict[str, Any]:
        """Input channels, output channels (1 … MAX_CHANNELS) and groups; the kernels
        follow. Groups that no longer divide both channel counts fall back to 1."""
        lesson = self.lesson
        c_in0, h, w = lesson.x.shape
        c_in = c_in0 if c_in is None else int(c_in)
        c_out = lesson.w.shape[0] if c_out is None else int(c_out)
        groups = lesson.groups if groups is None else int(groups)
        if not (1 <= c_in <= MAX_CHANNELS and 1 <= c_out <= MAX_CHANNELS):
            raise LessonEditError(
                "channels",
                f"a lesson has 1 to {MAX_CHANNELS} input and output channels; got {c_in} → {c_out}",
                MAX_CHANNELS,
                c_in,
                c_out,
            )
        if not groups_fit(c_in, c_out, groups):
            groups = 1
        x = lesson.x
        if c_in != c_in0:
            pattern = lesson.pattern if lesson.pattern != "custom" else "random"
            x = make_input(pattern, h, w, channels=c_in, seed=self.seed)
        bias = lesson.bias
        if bias is not None:
            bias = np.resize(bias, c_out).astype(np.float32)
        return {
            "x": x,
            "w": self.layout_weights(c_out, c_in // groups),
            "groups": groups,
            "bias": bias,
        }

    def layout_weights(self, c_out: int, cin_g: int) -> np.ndarray:
        """Kernels of a new channel layout, in the lesson's kernel mode: the first kernel
        everywhere while they are all the same, else new random kernels."""
        lesson = self.lesson
        kh, kw = lesson.w.shape[-2:]
        if lesson.kernel_mode == "same":
            k = lesson.w[0, 0]
            return np.ascontiguousarray(np.broadcast_to(k, (c_out, cin_g, kh, kw)), np.float32)
        return random_kernels(c_out, cin_g, kh, kw, seed=self.seed)

    def bias_changes(self, on: bool) -> dict[str, Any]:
        """A small different bias per output channel (1, −1, 2, −2), or none."""
        c_out = self.lesson.w.shape[0]
        return {"bias": np.array(BIAS[:c_out], np.float32) if on else None}

    def channel_demo(self) -> Lesson:
        """3 → 2 channels, as in the article (a 5×5 input per channel); picks reset."""
        self.kernel_size = 3
        self.input_pick, self.kernel_pick = 0, (0, 0)
        return channel_lesson(seed=self.seed)

    # -- kernels --------------------------------------------------------------------
    def random_kernel_changes(
        self, size: int | None = None, new_seed: bool = False, spec: ConvSpec | None = None
    ) -> dict[str, Any]:
        """Small random integers, different for every (output, input) channel pair;
        ``spec``: the lesson as last prepared (its channels per group), if any."""
        if new_seed:
            self.seed += 1
        size = self.kernel_size if size is None else int(size)
        c_out = self.lesson.w.shape[0]
        if spec is None:
            cin_g = self.lesson.x.shape[0] // self.lesson.groups
        else:
            cin_g = spec.c_in // spec.groups
        self.kernel_size = size
        w = random_kernels(c_out, cin_g, size, size, seed=self.seed)
        return {"w": w, "kernel_name": "random", "kernel_mode": "random"}

    def preset_changes(
        self, name: str, size: int | None = None, sigma: float | None = None
    ) -> dict[str, Any]:
        """A preset kernel (the same for every channel pair) at ``size`` and ``sigma``
        where it takes them (the last ones when None)."""
        p = PRESETS.get(name)
        if p is None:
            raise LessonEditError("preset", f"unknown kernel preset {name!r}", name)
        size = self.kernel_size if size is None else size
        sigma = self.sigma if sigma is None else sigma
        k = preset(
            name,
            size=size if "size" in p.params else None,
            sigma=sigma if "sigma" in p.params else None,
        )
        self.kernel_size, self.sigma = size, sigma
        return {"w": self.as_weights(k), "kernel_name": name, "kernel_mode": "same"}

    def text_changes(self, text: str) -> dict[str, Any]:
        """The kernel typed as text ("1 2 1; 0 0 0; -1 -2 -1"), for every channel pair."""
        k = parse_kernel(text)
        return {"w": self.as_weights(k), "kernel_name": "custom", "kernel_mode": "same"}

    def kernel_cell_changes(self, r: int, c: int, value: float) -> dict[str, Any]:
        """Weight (r, c): of every kernel while they are all the same, else of the
        picked (output channel, input channel) kernel only."""
        w = self.lesson.w.copy()
        if self.lesson.kernel_mode == "same":
            w[:, :, r, c] = value
            return {"w": w, "kernel_name": "custom"}
        co, ci = self.kernel_pick
        w[min(co, w.shape[0] - 1), min(ci, w.shape[1] - 1), r, c] = value
        return {"w": w, "kernel_name": "custom", "kernel_mode": "custom"}

    def picked_kernel(self) -> np.ndarray:
        """The (kh, kw) kernel that kernel-cell edits change (as the user wrote it)."""
        co, ci = self.kernel_pick
        w = self.lesson.w
        return np.asarray(w[min(co, w.shape[0] - 1), min(ci, w.shape[1] - 1)])

    def kernel_text(self) -> str:
        """The picked kernel as text that :meth:`text_changes` reads back."""
        k = self.picked_kernel()
        return "; ".join(" ".join(fmt_number(float(v)) for v in row) for row in k)

    def as_weights(self, k: np.ndarray) -> np.ndarray:
        """One (kh, kw) kernel as the lesson's weights: the same for every channel pair
        (a single output channel when the groups do not divide the input channels)."""
        c_in, groups = self.lesson.x.shape[0], self.lesson.groups
        fits = groups_fit(c_in, self.lesson.w.shape[0], groups)
        c_out = self.lesson.w.shape[0] if fits else 1
        shape = (c_out, c_in // groups if fits else c_in) + k.shape
        return np.ascontiguousarray(np.broadcast_to(k, shape), np.float32)
