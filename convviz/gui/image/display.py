"""How a whole-image result is drawn: the three display modes and their levels.

* ``signed``: a diverging colour map centred at 0, levels ±L (Sobel,
  Laplacian: negative and positive responses in two colours, 0 in the middle);
* ``absolute``: |v| in grey, 0 … L (edge strength whatever its sign);

  L is the 99th percentile of |v|, so that a few extreme pixels (the image
  border under zero padding) do not wash out every edge; larger values
  saturate. The colour bar shows L.
* ``clipped``: v clipped to the input's nominal range (0–255 for 8-bit images)
  in grey, as an image editor would show it.

Colour results (3 channels) can be drawn as RGB: the same levels for every
channel (``signed`` then maps 0 to mid-grey). The PNG "as displayed" is the
same mapping, rendered to 8-bit RGB here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg

from convviz.gui import theme

MODES = ("signed", "absolute", "clipped")
_GREY: np.ndarray | None = None


def grey_lut() -> np.ndarray:
    global _GREY
    if _GREY is None:
        ramp = np.arange(256, dtype=np.uint8)
        _GREY = np.stack([ramp, ramp, ramp, np.full(256, 255, np.uint8)], axis=1)
    return _GREY


def colormap(mode: str) -> pg.ColorMap:
    """The colour map the colour bar draws for ``mode``."""
    table = theme.lut("diverging") if mode == "signed" else grey_lut()
    return pg.ColorMap(np.linspace(0.0, 1.0, len(table)), table[:, :3])


@dataclass(frozen=True)
class Shown:
    """What an ImageItem gets: values, levels and a lookup table (None for RGB)."""

    values: np.ndarray  # (H, W) or (H, W, 3), float32, C-contiguous
    levels: tuple[float, float]
    lut: np.ndarray | None
    mode: str


def default_mode(out: np.ndarray) -> str:
    """Signed results start diverging; non-negative ones as an image would look."""
    return "signed" if out.size and float(np.nanmin(out)) < 0 else "clipped"


#: |v| at this percentile is the end of the signed and absolute scales
PERCENTILE = 99.0
_SAMPLE = 1_000_000  # percentile of a regular sample of larger results (fast, stable)


def robust_max(out: np.ndarray) -> float:
    """The PERCENTILE-th percentile of |out| (its max when that is 0)."""
    flat = np.abs(out.reshape(-1))
    if flat.size == 0:
        return 0.0
    if flat.size > _SAMPLE:
        flat = flat[:: flat.size // _SAMPLE + 1]
    m = float(np.percentile(flat, PERCENTILE))
    return m if m > 0 else float(np.abs(out).max())


def levels(mode: str, out: np.ndarray, value_range: tuple[float, float]) -> tuple[float, float]:
    if mode == "signed":
        m = robust_max(out)
        return (-m, m) if m > 0 else (-1.0, 1.0)
    if mode == "absolute":
        m = robust_max(out)
        return (0.0, m if m > 0 else 1.0)
    lo, hi = value_range
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi <= lo:
        lo, hi = 0.0, 255.0
    return (float(lo), float(hi))


def shown(
    out: np.ndarray, mode: str, channel: int | None, value_range: tuple[float, float] = (0.0, 255.0)
) -> Shown:
    """``out`` (C, H, W) as drawn: one channel (``channel``) or RGB (``channel=None``)."""
    if channel is None and out.shape[0] == 3:
        data = np.moveaxis(out, 0, -1)
    else:
        data = out[channel or 0]
    if mode == "absolute":
        data = np.abs(data)
    lv = levels(mode, out, value_range)
    values = np.ascontiguousarray(data, dtype=np.float32)
    if values.ndim == 3:
        return Shown(values, lv, None, mode)
    return Shown(values, lv, theme.lut("diverging") if mode == "signed" else grey_lut(), mode)


def render_rgb(s: Shown) -> np.ndarray:
    """The picture as drawn, 8-bit RGB (H, W, 3): levels, clipping and the colour map."""
    lo, hi = s.levels
    idx = np.clip(np.round((s.values - lo) * (255.0 / (hi - lo))), 0, 255).astype(np.uint8)
    if s.lut is None:
        return idx
    return np.ascontiguousarray(s.lut[idx][..., :3])


#: images (and results) above this many pixels are decoded, drawn and saved off the GUI
#: thread; smaller ones take a few milliseconds and are done at once
BACKGROUND_PIXELS = 1_000_000


@dataclass(frozen=True)
class Views:
    """What the strip draws of a run: each lane as shown, and their difference."""

    mode: str
    channel: int | None
    shown: dict[str, Shown]
    diff: Shown | None  # None unless both lanes have a result of one shape
    worst: float = 0.0  # max |Δ|
    verdict: str = ""
    diff_max: float = 0.0  # the difference map's largest |value| (its scale)


def views(
    outs: dict[str, np.ndarray | None],
    pair: tuple[str, str],
    mode: str,
    channel: int | None,
    value_range: tuple[float, float],
    tol: float,
) -> Views:
    """Both lanes' pictures and the difference map (``pair`` = the sequential and the
    parallel lane's keys); no widget touched, so a big image's can be made in a worker."""
    from convviz.core.tolerance import compare

    drawn = {k: shown(o, mode, channel, value_range) for k, o in outs.items() if o is not None}
    a, b = (outs.get(k) for k in pair)
    if a is None or b is None or a.shape != b.shape:
        return Views(mode, channel, drawn, None)
    d = b.astype(np.float32) - a.astype(np.float32)
    if channel is None:  # RGB: per pixel, the channel that differs most
        pick = np.abs(d).argmax(axis=0)
        dd = np.take_along_axis(d, pick[None], axis=0)[0]
    else:
        dd = d[channel]
    m = float(np.abs(dd).max()) if dd.size else 0.0
    levels_ = (-m, m) if m > 0 else (-1.0, 1.0)
    diff = Shown(np.ascontiguousarray(dd, np.float32), levels_, theme.lut("diverging"), "signed")
    worst, verdict = compare(a, b, tol)
    return Views(mode, channel, drawn, diff, worst, verdict, m)
