"""The region of a whole-image convolution that the lesson animates (Qt-free).

The lesson must show *exactly* the values of the whole-image result at the
region's output cells. Each output cell reads a window of the image; the
region's lesson input is therefore the region's pixels plus their halo of real
neighbouring pixels. Per axis:

* where the windows stay inside the image, the lesson input is a plain slice
  and needs no padding on that axis;
* where they reach past the image border (zeros, replicate, and reflect when
  the slice holds enough rows to mirror), the slice ends at the border and the
  lesson pads that side itself, with the same mode: the padded cells are drawn
  hatched, as in the lesson;
* otherwise (circular padding wraps to the far side of the image, or a slice
  too thin to reflect) the halo is gathered from the image with the padding's
  index map, so the lesson reads the far side's pixels as ordinary cells.

Only stride 1 is used by the image mode; dilation is any.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convviz.core import cellmath
from convviz.core.lessons import Lesson
from convviz.core.spec import ConvSpec

#: the lesson stays readable: at most this many output cells a side
MAX_REGION_SIDE = 24
DEFAULT_REGION_SIDE = 10


@dataclass(frozen=True)
class Region:
    """A rectangle of output cells: top row, left column, rows, columns."""

    oy: int
    ox: int
    h: int
    w: int

    @property
    def slices(self) -> tuple[slice, slice]:
        return slice(self.oy, self.oy + self.h), slice(self.ox, self.ox + self.w)


def window_offset(spec: ConvSpec) -> tuple[int, int]:
    """(dy, dx): output cell (oy, ox) is drawn over input pixel (oy + dy, ox + dx),
    the centre of its window (stride 1)."""
    span_y, span_x = spec.span
    return (span_y - 1) // 2 - spec.padding[0], (span_x - 1) // 2 - spec.padding[2]


def clamp_region(region: Region, spec: ConvSpec, max_side: int = MAX_REGION_SIDE) -> Region:
    """``region`` made to fit the output and the size limit (at least 1×1)."""
    h = int(min(max(region.h, 1), max_side, spec.out_h))
    w = int(min(max(region.w, 1), max_side, spec.out_w))
    oy = int(min(max(region.oy, 0), spec.out_h - h))
    ox = int(min(max(region.ox, 0), spec.out_w - w))
    return Region(oy, ox, h, w)


def follow_region(region: Region, old: ConvSpec, new: ConvSpec) -> Region:
    """``region`` after the spec changed from ``old`` to ``new``: over the same pixels
    when the output moved (the padding changed), and fitted to the new output."""
    if (old.out_h, old.out_w, old.padding) != (new.out_h, new.out_w, new.padding):
        dy, dx = new.padding[0] - old.padding[0], new.padding[2] - old.padding[2]
        region = Region(region.oy + dy, region.ox + dx, region.h, region.w)
    return clamp_region(region, new)


def centre_region(spec: ConvSpec, side: int = DEFAULT_REGION_SIDE) -> Region:
    """The default: a centre crop small enough to show the numbers."""
    h, w = min(side, spec.out_h), min(side, spec.out_w)
    return clamp_region(Region((spec.out_h - h) // 2, (spec.out_w - w) // 2, h, w), spec)


def _axis(
    first: int, cells: int, stride: int, span: int, pad_before: int, n: int, mode: int
) -> tuple[np.ndarray, int, int, bool]:
    """(image indices to read, pad before, pad after, gathered) for one axis."""
    a = first * stride - pad_before  # first image coordinate the windows read
    b = (first + cells - 1) * stride - pad_before + span  # one past the last
    lo, hi = max(a, 0), min(b, n)
    before, after = lo - a, b - hi
    real = hi - lo
    if before == 0 and after == 0:
        return np.arange(lo, hi), 0, 0, False
    halo_ok = real > 0 and (
        mode in (cellmath.ZEROS, cellmath.REPLICATE)
        or (mode == cellmath.REFLECT and before < real and after < real)
    )
    if halo_ok:
        return np.arange(lo, hi), before, after, False
    idx = np.array([cellmath.map_index(i, n, mode) for i in range(a, b)], np.intp)
    return idx, 0, 0, True


def region_input(
    x: np.ndarray, spec: ConvSpec, region: Region
) -> tuple[np.ndarray, tuple[int, int, int, int], bool]:
    """The lesson input of ``region``: (pixels (C, h, w), padding (t, b, l, r), gathered).

    ``x`` is the whole image as (C, H, W). ``gathered`` is True when part of the
    halo was copied from the image's padding map (circular wrap, thin reflect)
    instead of being padded by the lesson.
    """
    if spec.stride != (1, 1):
        raise ValueError("the image mode animates stride 1 only")
    span_y, span_x = spec.span
    rows, pt, pb, gy = _axis(
        region.oy, region.h, 1, span_y, spec.padding[0], spec.h, spec.mode_code
    )
    cols, pl, pr, gx = _axis(
        region.ox, region.w, 1, span_x, spec.padding[2], spec.w, spec.mode_code
    )
    r, c = rows[:, None], cols[None, :]
    inside = (r >= 0) & (c >= 0)
    crop = np.where(inside, x[:, np.maximum(r, 0), np.maximum(c, 0)], 0)
    return np.ascontiguousarray(crop, np.float32), (pt, pb, pl, pr), gy or gx


def region_lesson(
    x: np.ndarray, w: np.ndarray, spec: ConvSpec, region: Region, kernel_name: str = "custom"
) -> tuple[Lesson, bool]:
    """A lesson whose output equals the whole-image result on ``region``.

    ``x`` (C, H, W) is the input the lesson animates (one channel of a
    per-channel filter, or all channels of a layer); ``w`` its unflipped kernel
    (1, C, kh, kw); ``spec`` the whole-image spec (padding, mode, flip, dilation).
    Returns (lesson, gathered).
    """
    crop, padding, gathered = region_input(x, spec, region)
    lesson = Lesson(
        x=crop,
        w=np.ascontiguousarray(w, np.float32),
        padding=padding,
        dilation=spec.dilation,
        padding_mode=spec.padding_mode,
        flip=spec.flip,
        kernel_name=kernel_name,
        pattern="image",
    )
    return lesson, gathered
