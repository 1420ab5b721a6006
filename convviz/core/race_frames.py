"""The race drawn with Pillow (``convviz export-animation --race``), and the lanes'
pictures the app's race view draws too: Qt-free, headless.

A lane's picture colours each finished cell by who computed it: the CPU's cores one
colour each; on the GPU the CUDA blocks in a 2-D colouring (no two neighbouring blocks
alike). Outputs wider than :data:`MAX_SIDE` cells are drawn as tiles of cells, each as
opaque as the share of its cells that is done.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from convviz.core.frames import font
from convviz.core.race import LANES, Race, RaceLane
from convviz.core.timing import fmt_seconds

#: the most cells a side a lane's picture has; bigger outputs are drawn as tiles
MAX_SIDE = 32
#: the cores' colours (Okabe–Ito: told apart with the common colour-vision deficiencies)
CORE_COLORS = ("#E69F00", "#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
#: the GPU's blocks: four colours, so that neighbours along rows and columns differ
BLOCK_COLORS = ("#56B4E9", "#E69F00", "#009E73", "#F0E442")
COPY_COLOR = "#D55E00"  # copies to and from the GPU, hatched
SEPARATOR = (158, 158, 158, 255)  # the row between two output channels
INK, PALE, WHITE = (17, 17, 17), (176, 176, 176), (255, 255, 255)


def lane_colors(lane: RaceLane) -> tuple[str, ...]:
    return BLOCK_COLORS if lane.key == "gpu" else CORE_COLORS


def color_index(lane: RaceLane, block: tuple[int, int]) -> np.ndarray:
    """Per cell, which of :func:`lane_colors` it is drawn in: its core on the CPU, its
    block's place in a 2 × 2 colouring of the blocks on the GPU."""
    if lane.key != "gpu":
        return np.asarray(lane.worker % len(CORE_COLORS))
    _, oy, ox = np.indices(lane.finish.shape)
    return np.asarray((ox // block[0]) % 2 + 2 * ((oy // block[1]) % 2))


def _rgb(colors: Sequence[str]) -> np.ndarray:
    return np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in colors], np.uint8)


def picture(
    lane: RaceLane, index: np.ndarray, t: int, colors: Sequence[str] = CORE_COLORS
) -> np.ndarray:
    """RGBA (rows, cols, 4) of the lane at clock tick ``t``: the output channels one
    under the other, a grey row between them; finished cells in their colour, the rest
    transparent."""
    done = lane.done(t)
    c_out, ho, wo = done.shape
    f = max(1, -(-max(ho, wo) // MAX_SIDE))  # cells per tile side
    rh, rw = -(-ho // f), -(-wo // f)
    table = _rgb(colors)
    out = np.zeros((c_out * (rh + 1) - 1, rw, 4), np.uint8)
    out[rh :: rh + 1] = SEPARATOR
    for c in range(c_out):
        if f == 1:
            share = done[c].astype(np.float32)
            idx = index[c]
        else:
            pad = ((0, rh * f - ho), (0, rw * f - wo))
            cells = np.pad(np.ones((ho, wo), np.float32), pad).reshape(rh, f, rw, f)
            tiles = np.pad(done[c].astype(np.float32), pad).reshape(rh, f, rw, f)
            share = tiles.sum(axis=(1, 3)) / cells.sum(axis=(1, 3))
            idx = index[c][::f, ::f]
        part = out[c * (rh + 1) : c * (rh + 1) + rh]
        part[..., :3] = table[idx]
        part[..., 3] = np.round(255 * share).astype(np.uint8)
    return out


class LanePicture:
    """:func:`picture` of one lane at any tick, fast enough for every frame of the race:
    the finish ticks are sorted into tiles once; a frame then counts cells only in the
    few tiles that are part-way done (a whole 512×512 output is a few thousand tiles'
    minimum and maximum)."""

    def __init__(self, lane: RaceLane, block: tuple[int, int], colors: Sequence[str] | None = None):
        self.lane = lane
        self.colors = tuple(colors or lane_colors(lane))
        index = color_index(lane, block)
        c_out, ho, wo = lane.finish.shape
        f = max(1, -(-max(ho, wo) // MAX_SIDE))
        rh, rw = -(-ho // f), -(-wo // f)
        never = np.iinfo(np.int64).max  # padding cells: never "done", never counted
        pad = ((0, 0), (0, rh * f - ho), (0, rw * f - wo))
        fin = np.pad(lane.finish + lane.copy_in, pad, constant_values=never)
        self.tiles = fin.reshape(c_out, rh, f, rw, f).transpose(0, 1, 3, 2, 4)
        self.tiles = self.tiles.reshape(c_out, rh, rw, f * f)
        real = self.tiles != never
        self.count = real.sum(axis=-1)
        self.first = np.where(real, self.tiles, never).min(axis=-1)
        self.last = np.where(real, self.tiles, -1).max(axis=-1)
        self.shape = (c_out * (rh + 1) - 1, rw)
        self.rows = rh
        self.rgb = _rgb(self.colors)[index[:, ::f, ::f]]  # (c_out, rh, rw, 3)
        self.cells_done = 0

    def at(self, t: int) -> np.ndarray:
        done = np.where(self.last <= t, self.count, 0)
        partial = (self.first <= t) & (self.last > t)
        if partial.any():
            done[partial] = (self.tiles[partial] <= t).sum(axis=-1)
        self.cells_done = int(done.sum())  # (the cells done at ``t``, for the caption)
        alpha = np.round(255 * done / np.maximum(self.count, 1)).astype(np.uint8)
        out = np.zeros((*self.shape, 4), np.uint8)
        rh = self.rows
        out[rh :: rh + 1] = SEPARATOR
        for c in range(self.count.shape[0]):
            part = out[c * (rh + 1) : c * (rh + 1) + rh]
            part[..., :3] = self.rgb[c]
            part[..., 3] = alpha[c]
        return out


# -- frames -----------------------------------------------------------------------------
WIDTH, LANE_H, TOP, GRID = 1280, 230, 96, 200
NAMES = {"one": "1 core", "cores": "{0} cores", "gpu": "{0:,} cores"}
PHASES = {
    "copy in": "copying the input to the GPU…",
    "compute": "computing…",
    "copy out": "copying the output back…",
}


def _lane_name(race: Race, key: str) -> str:
    if key == "gpu":
        return NAMES["gpu"].format(race.gpu.cores)
    return NAMES[key].format(race.lane(key).workers)


def _who(race: Race, key: str) -> str:
    if key == "one":
        return "one core: a cell after another"
    if key == "cores":
        return "this CPU's cores, rows dealt by numba's static schedule"
    g = race.gpu
    text = f"{g.sms} SMs × {g.cores_per_sm} cores"
    if g.source == "example":
        return f"an EXAMPLE GPU ({g.name}): {text}"
    return f"{g.name}: {text} ({g.source})"


class _Draw:
    """ImageDraw whose text avoids the signs Pillow's default font lacks (µ, ≈, ×)."""

    def __init__(self, img: Image.Image):
        self.d = ImageDraw.Draw(img)

    def text(self, xy: tuple[int, int], text: str, **kw: Any) -> None:
        for sign, plain in (("µs", "us"), ("≈", "~"), ("×", "x")):
            text = text.replace(sign, plain)
        self.d.text(xy, text, **kw)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.d, name)


def render_race_frame(race: Race, t: int) -> Image.Image:
    height = TOP + 3 * LANE_H + 70
    img = Image.new("RGB", (WIDTH, height), (250, 250, 250))
    d = _Draw(img)
    d.text((24, 16), "The race: one core · this CPU's cores · a GPU", fill=INK, font=font(28))
    d.text(
        (24, 56),
        f"tick {t:,} of {race.length:,}  ·  1 tick = one cell on one core"
        f" ≈ {fmt_seconds(race.tick_s)} ({'measured' if race.tick_measured else 'assumed'})",
        fill=INK,
        font=font(20),
    )
    order = race.finishing_order()
    for i, key in enumerate(LANES):
        lane = race.lane(key)
        y = TOP + i * LANE_H
        d.rectangle((12, y, WIDTH - 12, y + LANE_H - 10), outline=PALE, width=2)
        d.text((24, y + 12), _lane_name(race, key), fill=INK, font=font(40))
        d.text((24, y + 64), _who(race, key), fill=INK, font=font(15))
        rgba = picture(lane, color_index(lane, race.block), t, lane_colors(lane))
        _paste_grid(img, rgba, 420, y + 10)
        x0 = 420 + GRID + 24
        phase = lane.phase(t)
        if phase == "done":
            place = ("first", "second", "third")[order.index(key)]
            status = f"{place} in ticks · done in {lane.total:,} ticks"  # the model's order
        else:
            status = f"{PHASES[phase]} {int(lane.done(t).sum()):,} of {lane.finish.size:,} cells"
        d.text((x0, y + 14), status, fill=INK, font=font(24))
        _bar(d, race, lane, t, (x0, y + 56, WIDTH - 28, y + 92))
        facts = f"{lane.total:,} ticks"
        if lane.copy_in:
            cin, cout = race.copy_s
            facts += (
                f": copy in {fmt_seconds(cin)} + {lane.compute:,} computing"
                f" + copy out {fmt_seconds(cout)} ({race.copy.source})"
            )
        d.text((x0, y + 104), facts, fill=INK, font=font(18))
    d.text(
        (24, height - 56),
        f"The GPU's copies take {race.copy_share:.1%} of the race's time. A GPU core is drawn "
        "as fast as a CPU core; really it is slower, but there are thousands.",
        fill=INK,
        font=font(17),
    )
    return img


def _paste_grid(img: Image.Image, rgba: np.ndarray, x: int, y: int) -> None:
    rows, cols = rgba.shape[:2]
    cell = max(1, GRID // max(rows, cols))
    pic = Image.fromarray(rgba, "RGBA").resize((cols * cell, rows * cell), Image.Resampling.NEAREST)
    back = Image.new("RGBA", pic.size, WHITE + (255,))
    img.paste(Image.alpha_composite(back, pic).convert("RGB"), (x, y))
    d = ImageDraw.Draw(img)
    for r in range(rows + 1):
        d.line((x, y + r * cell, x + cols * cell, y + r * cell), fill=PALE)
    for c in range(cols + 1):
        d.line((x + c * cell, y, x + c * cell, y + rows * cell), fill=PALE)


def _bar(d: _Draw, race: Race, lane: RaceLane, t: int, box: tuple[int, int, int, int]) -> None:
    x0, y0, x1, y1 = box
    scale = (x1 - x0) / max(1, race.length)
    color = lane_colors(lane)[0] if lane.key != "gpu" else CORE_COLORS[1]
    parts = [(lane.copy_in, COPY_COLOR), (lane.compute, color), (lane.copy_out, COPY_COLOR)]
    d.rectangle(box, fill=WHITE, outline=PALE)
    start = 0
    for ticks, col in parts:
        if ticks:
            a, b = x0 + start * scale, x0 + (start + ticks) * scale
            done = x0 + (start + min(max(t - start, 0), ticks)) * scale
            rgb = tuple(int(col[i : i + 2], 16) for i in (1, 3, 5))
            d.rectangle((a, y0, max(b, a + 1), y1), fill=tuple(255 - (255 - v) // 4 for v in rgb))
            if done > a:
                d.rectangle((a, y0, done, y1), fill=rgb)
            if col == COPY_COLOR:  # hatched: the copy
                for hx in range(int(a), int(b), 8):
                    d.line((hx, y1, min(hx + 8, b), y0), fill=INK)
        start += ticks
    x = x0 + min(t, race.length) * scale
    d.line((x, y0 - 4, x, y1 + 4), fill=INK, width=3)


def race_frames(race: Race, frames: int = 48, hold: int = 8) -> Iterator[Image.Image]:
    """``frames`` frames from tick 0 to the end, then the end held for ``hold`` more."""
    n = max(2, frames)
    for i in range(n):
        yield render_race_frame(race, round(race.length * i / (n - 1)))
    for _ in range(hold):
        yield render_race_frame(race, race.length)
