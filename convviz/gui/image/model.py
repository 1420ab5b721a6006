"""The opened image and how it is filtered: a thin Qt wrapper, no numerics.

Holds the image (always (C, H, W) float32), its :class:`ImageInfo`, the 2-D
kernel, the colour treatment, the geometry, and the region the lesson
animates. Every change re-prepares the whole-image convolution; an invalid
combination keeps the last valid one and reports the engine's message.

Colour treatment of a C-channel image:

* ``per-channel``: each channel filtered alone with the same kernel
  (``groups = C``, kernel (C, 1, kh, kw)) — what an image editor does;
* ``layer``: one deep-learning layer with one output channel: the C channels
  summed into it (kernel (1, C, kh, kw), ``groups = 1``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from convviz.core.images import ImageInfo
from convviz.core.lessons import Lesson
from convviz.core.region import Region, centre_region, clamp_region, follow_region, region_lesson
from convviz.core.spec import Prepared, prepare
from convviz.errors import ConvvizError

COLOR_MODES = ("per-channel", "layer")
PADDINGS = ("same", "valid")


def channel_names(c: int) -> list[str]:
    return ["R", "G", "B"] if c == 3 else [str(i) for i in range(c)]


class ImageModel(QObject):
    sigImageChanged = Signal()  # a new image (views reset their zoom)
    sigPrepChanged = Signal()  # a new whole-image convolution: results are stale
    sigRegionChanged = Signal()  # the animated region or channel moved
    sigErrorChanged = Signal(str)  # '' when valid

    def __init__(self, parent=None):
        super().__init__(parent)
        self.path: Path | None = None
        self.x: np.ndarray | None = None  # (C, H, W)
        self.info: ImageInfo | None = None
        self.kernel = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], np.float32)
        self.kernel_name = "sobel-x"
        self.color_mode = "per-channel"
        self.channel = 0  # the channel the lesson animates (and the lanes show)
        self.padding = "same"
        self.padding_mode = "zeros"
        self.flip = False
        self.dilation = 1
        self.region: Region | None = None
        self.prep: Prepared | None = None
        self.error = ""

    # -- state ------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self.x is not None

    @property
    def channels(self) -> int:
        return 0 if self.x is None else self.x.shape[0]

    @property
    def out_channel(self) -> int:
        """The output channel the animated region belongs to."""
        return self.channel if self.color_mode == "per-channel" else 0

    def weights(self) -> tuple[np.ndarray, int]:
        """(kernel (C_out, C_in/groups, kh, kw), groups) for the whole image."""
        c = self.channels
        k = self.kernel
        if self.color_mode == "layer":
            return np.ascontiguousarray(np.broadcast_to(k, (1, c) + k.shape)), 1
        return np.ascontiguousarray(np.broadcast_to(k, (c, 1) + k.shape)), c

    # -- setters ----------------------------------------------------------------
    def set_image(self, x: np.ndarray, info: ImageInfo, path: Path) -> None:
        """A newly loaded image (already validated by the loader)."""
        x3 = x[None] if x.ndim == 2 else x
        self.x = np.ascontiguousarray(x3, np.float32)
        self.info, self.path = info, Path(path)
        self.channel = 0
        self.region = None
        self.prep = None
        self.sigImageChanged.emit()
        self._rebuild()

    def set_kernel(self, kernel: np.ndarray, name: str = "custom") -> None:
        self.kernel = np.ascontiguousarray(kernel, np.float32)
        self.kernel_name = name
        self._rebuild()

    def set_color_mode(self, mode: str) -> None:
        if mode not in COLOR_MODES:
            raise ValueError(mode)
        if mode != self.color_mode:
            self.color_mode = mode
            self._rebuild()

    def set_geometry(self, **changes) -> None:
        """padding ('same'/'valid'), padding_mode, flip, dilation."""
        changed = False
        for key, value in changes.items():
            if getattr(self, key) != value:
                setattr(self, key, value)
                changed = True
        if changed:
            self._rebuild()

    def set_channel(self, channel: int) -> None:
        channel = int(min(max(channel, 0), max(self.channels - 1, 0)))
        if channel != self.channel:
            self.channel = channel
            self.sigRegionChanged.emit()

    def set_region(self, region: Region) -> None:
        if self.prep is None:
            return
        region = clamp_region(region, self.prep.spec)
        if region != self.region:
            self.region = region
            self.sigRegionChanged.emit()

    def _rebuild(self) -> None:
        if self.x is None:
            return
        w, groups = self.weights()
        try:
            prep = prepare(
                self.x,
                w,
                padding=self.padding,
                padding_mode=self.padding_mode,
                flip=self.flip,
                dilation=self.dilation,
                groups=groups,
            )
        except ConvvizError as exc:
            self._set_error(str(exc))
            return
        old = self.prep.spec if self.prep is not None else None
        self.prep = prep
        self._set_error("")
        s = prep.spec
        if self.region is None:
            self.region = centre_region(s)
        elif old is not None:
            # kept over the same pixels when the output shifts
            self.region = follow_region(self.region, old, s)
        else:
            self.region = clamp_region(self.region, s)
        self.sigPrepChanged.emit()
        self.sigRegionChanged.emit()

    def _set_error(self, message: str) -> None:
        self.error = message
        self.sigErrorChanged.emit(message)

    # -- the lesson of the region -------------------------------------------------
    def region_lesson(self) -> tuple[Lesson, bool]:
        """The lesson that animates the region; (lesson, halo gathered from the image)."""
        assert self.prep is not None and self.x is not None and self.region is not None
        s = self.prep.spec
        k = self.kernel
        if self.color_mode == "layer":
            x = self.x
            w = np.broadcast_to(k, (1, self.channels) + k.shape)
        else:
            x = self.x[self.channel : self.channel + 1]
            w = k[None, None]
        return region_lesson(x, w, s, self.region, kernel_name=self.kernel_name)
