"""Lesson frames drawn with Pillow, for exporting the animation (GIF, APNG, MP4).

Qt-free, so ``convviz export-animation`` works without a window or a display.
Each frame shows the padded input channels (padding cells shaded, the values
they copy written in grey), the current output channel's kernels, the output
channels filling in, the window outline and the formula of the current cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from convviz.core.spec import NUMPY_MODE
from convviz.core.stepper import Stepper, fmt_number

CELL = 44
GAP = 36
MARGIN = 24
# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
WINDOW = (230, 159, 0)  # orange
CURRENT = (0, 114, 178)  # blue
PAD_FILL = (225, 225, 225)
INPUT_FILL = (255, 255, 255)
DONE_FILL = (204, 230, 245)
TAP_FILL = (255, 236, 200)
INK = (20, 20, 20)
GHOST = (120, 120, 120)


@lru_cache(maxsize=8)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _grid(
    draw: ImageDraw.ImageDraw,
    x0: int,
    y0: int,
    values: np.ndarray,
    fills: Any,
    inks: Any = None,
    cell: int = CELL,
    size: int = 16,
) -> None:
    rows, cols = values.shape
    f = font(size)
    for r in range(rows):
        for c in range(cols):
            box = (x0 + c * cell, y0 + r * cell, x0 + (c + 1) * cell, y0 + (r + 1) * cell)
            draw.rectangle(box, fill=fills[r][c], outline=(160, 160, 160))
            v = values[r, c]
            if v is None or (isinstance(v, float) and np.isnan(v)):
                continue
            text = fmt_number(v)
            ink = inks[r][c] if inks else INK
            draw.text(
                ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), text, fill=ink, font=f, anchor="mm"
            )


def frame_size(stepper: Stepper) -> tuple[int, int]:
    """(width, height) of every frame of this lesson; both even (video encoders need it)."""
    s = stepper.spec
    ph, pw = s.h + s.padding[0] + s.padding[1], s.w + s.padding[2] + s.padding[3]
    cin_g = s.c_in // s.groups
    width = MARGIN * 2 + CELL * (pw + s.kw + s.out_w) + GAP * 2
    col_h = max(
        s.c_in * (ph * CELL + GAP), cin_g * (s.kh * CELL + GAP), s.c_out * (s.out_h * CELL + GAP)
    )
    height = MARGIN * 2 + 30 + col_h + 60
    return width + width % 2, height + height % 2


def render_frame(stepper: Stepper, title: str = "") -> Image.Image:
    """The lesson at the stepper's current position."""
    s, p = stepper.spec, stepper.prep
    pt, pb, pl, pr = s.padding
    ph, pw = s.h + pt + pb, s.w + pl + pr
    size = frame_size(stepper)
    img = Image.new("RGB", size, (250, 250, 250))
    draw = ImageDraw.Draw(img)
    state = stepper.state()
    taps = {(t.ci, t.py, t.px) for t in state.taps} if state else set()
    xin = MARGIN
    xk = xin + pw * CELL + GAP
    xo = xk + s.kw * CELL + GAP
    top = MARGIN + 30
    draw.text(
        (MARGIN, MARGIN), title or "input (padded)  ·  kernel  ·  output", fill=INK, font=font(18)
    )
    padded = np.pad(
        p.x,
        ((0, 0), (pt, pb), (pl, pr)),
        mode=NUMPY_MODE[s.padding_mode],  # type: ignore[call-overload]  # a str of numpy's
    )
    for c in range(s.c_in):
        y0 = top + c * (ph * CELL + GAP)
        vals = np.empty((ph, pw), object)
        fills, inks = [], []
        for r in range(ph):
            frow, irow = [], []
            for q in range(pw):
                inside = pt <= r < pt + s.h and pl <= q < pl + s.w
                vals[r, q] = float(padded[c, r, q])
                tapped = (c, r, q) in taps
                frow.append(TAP_FILL if tapped else INPUT_FILL if inside else PAD_FILL)
                irow.append(INK if inside else GHOST)
            fills.append(frow)
            inks.append(irow)
        _grid(draw, xin, y0, vals, fills, inks)
        if state and any(t.ci == c for t in state.taps):
            wy, wx = stepper.window(state.index)
            hy, hx = s.span
            draw.rectangle(
                (xin + wx * CELL, y0 + wy * CELL, xin + (wx + hx) * CELL, y0 + (wy + hy) * CELL),
                outline=WINDOW,
                width=5,
            )
    co = state.co if state else 0
    cin_g = s.c_in // s.groups
    for ci in range(cin_g):
        y0 = top + ci * (s.kh * CELL + GAP)
        k = p.w[co, ci].astype(float)  # the weights as applied (already rotated when flip)
        vals = np.array([[float(v) for v in row] for row in k], object)
        _grid(draw, xk, y0, vals, [[TAP_FILL] * s.kw for _ in range(s.kh)])
    out = stepper.output()
    for c in range(s.c_out):
        y0 = top + c * (s.out_h * CELL + GAP)
        vals = np.array([[float(v) for v in row] for row in out[c]], object)
        fills = [
            [DONE_FILL if np.isfinite(out[c, r, q]) else INPUT_FILL for q in range(s.out_w)]
            for r in range(s.out_h)
        ]
        _grid(draw, xo, y0, vals, fills)
        if state and state.co == c:
            draw.rectangle(
                (
                    xo + state.ox * CELL,
                    y0 + state.oy * CELL,
                    xo + (state.ox + 1) * CELL,
                    y0 + (state.oy + 1) * CELL,
                ),
                outline=CURRENT,
                width=5,
            )
    text = state.formula if state else "press play: the window slides over the input"
    draw.text((MARGIN, size[1] - 50), text, fill=INK, font=font(18))
    return img


def render_frames(
    stepper: Stepper, start: int = -1, stop: int | None = None
) -> Iterator[Image.Image]:
    """Frames for positions start … stop (inclusive), leaving the stepper where it was."""
    keep = stepper.pos
    stop = stepper.n_cells - 1 if stop is None else stop
    try:
        for k in range(start, stop + 1):
            stepper.seek(k)
            yield render_frame(stepper)
    finally:
        stepper.seek(keep)
