"""Small integer inputs for lessons, and the built-in demo the app opens on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from convviz.errors import ConvvizError

if TYPE_CHECKING:
    from convviz.core.spec import Prepared

PATTERNS = ("random", "ramp", "checkerboard", "zeros")
MAX_LESSON_SIDE = 32  # numbers stay readable in every cell up to about this size


def make_input(pattern: str, h: int, w: int, channels: int = 1, seed: int = 0) -> np.ndarray:
    """An (channels, h, w) float32 lesson input of small integers."""
    if not (1 <= h <= MAX_LESSON_SIDE and 1 <= w <= MAX_LESSON_SIDE):
        raise ConvvizError(f"a lesson input is 1 to {MAX_LESSON_SIDE} cells a side; got {h}×{w}")
    x: np.ndarray
    if pattern == "random" and (channels, h, w, seed) == (1, *DEMO_SIZE, DEMO_SEED):
        x = np.frombuffer(_DEMO_DIGITS.encode(), np.uint8).reshape(1, h, w) - ord("0")
    elif pattern == "random":
        x = np.random.default_rng(seed).integers(0, 10, size=(channels, h, w))
    elif pattern == "ramp":
        x = (np.arange(h)[:, None] + np.arange(w)[None, :]) % 10
        x = np.broadcast_to(x, (channels, h, w)) + np.arange(channels)[:, None, None]
    elif pattern == "checkerboard":
        x = ((np.arange(h)[:, None] + np.arange(w)[None, :]) % 2) * 9
        x = np.broadcast_to(x, (channels, h, w))
    elif pattern == "zeros":
        x = np.zeros((channels, h, w))
    else:
        raise ConvvizError(f"unknown input pattern {pattern!r}; known: {', '.join(PATTERNS)}")
    return np.ascontiguousarray(x, dtype=np.float32)


@dataclass
class Lesson:
    """Everything that defines what the lesson shows (mutable; the GUI edits it)."""

    x: np.ndarray  # (C_in, H, W)
    w: np.ndarray  # (C_out, C_in/groups, kh, kw)
    bias: np.ndarray | None = None
    stride: tuple[int, int] = (1, 1)
    padding: object = 1  # int, pair, 4-tuple, "same" or "valid"
    dilation: tuple[int, int] = (1, 1)
    groups: int = 1
    padding_mode: str = "zeros"
    flip: bool = False
    kernel_name: str = "sobel-x"
    pattern: str = "random"
    extra: dict[str, Any] = field(default_factory=dict)
    #: "same": one 2-D kernel for every (output, input) channel pair; "random": small
    #: random integers so the channels differ; "custom": edited kernel by kernel
    kernel_mode: str = "same"

    def conv_kwargs(self) -> dict[str, Any]:
        return dict(
            stride=self.stride,
            padding=self.padding,
            dilation=self.dilation,
            groups=self.groups,
            padding_mode=self.padding_mode,
            flip=self.flip,
        )

    def prepare(self) -> Prepared:
        from convviz.core.spec import prepare

        return prepare(self.x, self.w, self.bias, **self.conv_kwargs())


#: the lesson the app opens on, and ``convviz export-animation``'s default
DEMO_PATTERN, DEMO_SIZE, DEMO_SEED, DEMO_KERNEL, DEMO_PADDING = "random", (8, 8), 7, "sobel-x", 1
#: the demo's digits as ``default_rng(DEMO_SEED)`` draws them, written out: the window
#: opens on them without loading numpy.random (several ms of start-up)
_DEMO_DIGITS = "9668578203289048171483327294455559877639428186104015948986452432"


def demo_lesson() -> Lesson:
    """8×8 random digits, padding 1, a 3×3 Sobel-x kernel: an 8×8 output."""
    from convviz.core.kernels import preset

    x = make_input(DEMO_PATTERN, *DEMO_SIZE, seed=DEMO_SEED)
    w = preset(DEMO_KERNEL)[None, None]
    return Lesson(x=x, w=w, padding=DEMO_PADDING, kernel_name=DEMO_KERNEL, pattern=DEMO_PATTERN)


MAX_CHANNELS = 4


def random_kernels(c_out: int, cin_g: int, kh: int, kw: int, seed: int = 0) -> np.ndarray:
    """(c_out, cin_g, kh, kw) float32 small integers in −2 … 2 (never an all-zero kernel)."""
    rng = np.random.default_rng(seed)
    w = rng.integers(-2, 3, size=(c_out, cin_g, kh, kw)).astype(np.float32)
    dead = ~w.reshape(c_out, cin_g, -1).any(axis=-1)
    w[dead, (kh - 1) // 2, (kw - 1) // 2] = 1  # every kernel does something
    return np.ascontiguousarray(w)


def channel_lesson(c_in: int = 3, c_out: int = 2, groups: int = 1, seed: int = 7) -> Lesson:
    """3 → 2 channels, as in the article: 5×5 digits per channel, padding 1, different
    small-integer 3×3 kernels for every (output, input) pair and a bias per output."""
    x = make_input("random", 5, 5, channels=c_in, seed=seed)
    w = random_kernels(c_out, c_in // groups, 3, 3, seed=seed)
    bias = np.array([1, -1, 2, -2][:c_out], np.float32)
    return Lesson(x=x, w=w, bias=bias, groups=groups, kernel_name="random", kernel_mode="random")
