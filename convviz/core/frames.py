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

from convviz.core.spec import NUMPY_MODE, ConvSpec
from convviz.core.stepper import Stepper, sum_text

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


INSET = 5  # the least room between a cell's text and its border
FORMULA_SIZE = 18
LINE = FORMULA_SIZE + 8


def cell_text(v: float) -> str:
    """A cell's number: whole numbers as they are, others with 3 significant digits."""
    v = float(v)
    if v == int(v) and abs(v) < 1e6:
        return str(int(v))
    return f"{v:.3g}"


def full_number(v: float) -> str:
    """Every digit a float32 holds: the formula's result."""
    v = float(v)
    if v == int(v) and abs(v) < 1e9:
        return str(int(v))
    return str(np.float32(v))


def text_width(text: str, size: int) -> float:
    return float(font(size).getlength(text))


def fit_size(text: str, cell: int, largest: int = 16, smallest: int = 7) -> int:
    """The largest font size (≤ ``largest``) at which ``text`` keeps INSET from the borders."""
    size = largest
    while size > smallest and text_width(text, size) > cell - 2 * INSET:
        size -= 1
    return size


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
    for r in range(rows):
        for c in range(cols):
            box = (x0 + c * cell, y0 + r * cell, x0 + (c + 1) * cell, y0 + (r + 1) * cell)
            draw.rectangle(box, fill=fills[r][c], outline=(160, 160, 160))
            v = values[r, c]
            if v is None or (isinstance(v, float) and np.isnan(v)):
                continue
            text = cell_text(v)
            ink = inks[r][c] if inks else INK
            f = font(fit_size(text, cell, size))
            draw.text(
                ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), text, fill=ink, font=f, anchor="mm"
            )


def _final_output(stepper: Stepper) -> np.ndarray:
    full = Stepper(stepper.prep)
    full.seek(full.n_cells - 1)
    return full.output()


@lru_cache(maxsize=4)
def layout(stepper: Stepper) -> tuple[int, int]:
    """(cell, formula lines) for a lesson: cells wide enough for every number at 13 px
    or more, and room for the longest formula wrapped."""
    p = stepper.prep
    values = np.concatenate([p.x.ravel(), p.w.ravel(), _final_output(stepper).ravel()])
    widest = max(text_width(cell_text(v), 13) for v in np.unique(values))
    cell = max(CELL, int(np.ceil(widest)) + 2 * INSET + 2)
    s = stepper.spec
    big_w = max(p.w.ravel(), key=lambda v: len(_factor(v)))
    big_x = max(np.unique(p.x.ravel()), key=lambda v: len(_factor(v)))
    worst = _sum("out[0,00,00]", [(big_w, big_x)] * s.taps, -1e-30, -1.2345678e-30)
    lines = len(wrap(worst, _frame_width(s, cell) - 2 * MARGIN))
    return cell, lines + 1


def _frame_width(s: ConvSpec, cell: int) -> int:
    pw = s.w + s.padding[2] + s.padding[3]
    return MARGIN * 2 + cell * (pw + s.kw + s.out_w) + GAP * 2


def _factor(v: float) -> str:
    t = cell_text(v)
    return f"({t})" if float(v) < 0 else t


def _sum(where: str, products: list[tuple[float, float]], bias: float, value: float) -> str:
    """The window's sum text with the frame's numbers: 3 significant digits in the
    products, every digit of the result, up to 81 products (a 9×9 kernel) shown."""
    return sum_text(
        where, products, bias, value, number=cell_text, result=full_number, most=81, ends=(9, 3)
    )


def formula(stepper: Stepper) -> str:
    """The current cell's sum: every product (weights with 3 significant digits) and the
    result with all its digits."""
    state = stepper.state()
    if state is None:
        return "press play: the window slides over the input"
    s = stepper.spec
    where = f"{state.oy},{state.ox}" if s.c_out == 1 else f"{state.co},{state.oy},{state.ox}"
    products = [(t.w, t.x) for t in state.taps]
    return _sum(f"out[{where}]", products, state.bias, state.value)


def wrap(text: str, width: float, size: int = FORMULA_SIZE) -> list[str]:
    """``text`` cut at its spaces into lines no wider than ``width`` pixels (a word longer
    than a line gets a line of its own)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        trial = f"{line} {word}" if line else word
        if line and text_width(trial, size) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    lines.append(line)
    return lines


def heading(spec: ConvSpec) -> str:
    """The frame's title: "input (padded)" only when there is padding."""
    return f"{'input (padded)' if any(spec.padding) else 'input'}  ·  kernel  ·  output"


def frame_size(stepper: Stepper) -> tuple[int, int]:
    """(width, height) of every frame of this lesson; both even (video encoders need it)."""
    s = stepper.spec
    cell, lines = layout(stepper)
    ph = s.h + s.padding[0] + s.padding[1]
    cin_g = s.c_in // s.groups
    width = _frame_width(s, cell)
    col_h = max(
        s.c_in * (ph * cell + GAP), cin_g * (s.kh * cell + GAP), s.c_out * (s.out_h * cell + GAP)
    )
    height = MARGIN * 2 + 30 + col_h + lines * LINE
    return width + width % 2, height + height % 2


def render_frame(stepper: Stepper, title: str = "") -> Image.Image:
    """The lesson at the stepper's current position."""
    s, p = stepper.spec, stepper.prep
    pt, pb, pl, pr = s.padding
    ph, pw = s.h + pt + pb, s.w + pl + pr
    size = frame_size(stepper)
    cell, _ = layout(stepper)
    img = Image.new("RGB", size, (250, 250, 250))
    draw = ImageDraw.Draw(img)
    state = stepper.state()
    taps = {(t.ci, t.py, t.px) for t in state.taps} if state else set()
    xin = MARGIN
    xk = xin + pw * cell + GAP
    xo = xk + s.kw * cell + GAP
    top = MARGIN + 30
    draw.text((MARGIN, MARGIN), title or heading(s), fill=INK, font=font(18))
    padded = np.pad(
        p.x,
        ((0, 0), (pt, pb), (pl, pr)),
        mode=NUMPY_MODE[s.padding_mode],  # type: ignore[call-overload]  # a str of numpy's
    )
    for c in range(s.c_in):
        y0 = top + c * (ph * cell + GAP)
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
        _grid(draw, xin, y0, vals, fills, inks, cell=cell)
        if state and any(t.ci == c for t in state.taps):
            wy, wx = stepper.window(state.index)
            hy, hx = s.span
            draw.rectangle(
                (xin + wx * cell, y0 + wy * cell, xin + (wx + hx) * cell, y0 + (wy + hy) * cell),
                outline=WINDOW,
                width=5,
            )
    co = state.co if state else 0
    cin_g = s.c_in // s.groups
    for ci in range(cin_g):
        y0 = top + ci * (s.kh * cell + GAP)
        k = p.w[co, ci].astype(float)  # the weights as applied (already rotated when flip)
        vals = np.array([[float(v) for v in row] for row in k], object)
        _grid(draw, xk, y0, vals, [[TAP_FILL] * s.kw for _ in range(s.kh)], cell=cell)
    out = stepper.output()
    for c in range(s.c_out):
        y0 = top + c * (s.out_h * cell + GAP)
        vals = np.array([[float(v) for v in row] for row in out[c]], object)
        fills = [
            [DONE_FILL if np.isfinite(out[c, r, q]) else INPUT_FILL for q in range(s.out_w)]
            for r in range(s.out_h)
        ]
        _grid(draw, xo, y0, vals, fills, cell=cell)
        if state and state.co == c:
            draw.rectangle(
                (
                    xo + state.ox * cell,
                    y0 + state.oy * cell,
                    xo + (state.ox + 1) * cell,
                    y0 + (state.oy + 1) * cell,
                ),
                outline=CURRENT,
                width=5,
            )
    lines = wrap(formula(stepper), size[0] - 2 * MARGIN)
    y = size[1] - MARGIN - layout(stepper)[1] * LINE
    for line in lines:
        draw.text((MARGIN, y), line, fill=INK, font=font(FORMULA_SIZE))
        y += LINE
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
