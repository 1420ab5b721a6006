"""Colours, fonts and colour maps shared by the views (read at lecture distance).

Colours are read when a view paints or refreshes, so :func:`apply` (dark, high
contrast) takes effect on the next ``sigThemeChanged``. Tints and overlays use
the Okabe–Ito palette; the signed colour map is CET-D1A (blue–white–red), which
deuteranopes and protanopes read as blue against yellow-brown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

#: lookup tables are built once; 256 entries, uint8 RGBA
_LUTS: dict[str, np.ndarray] = {}

#: The Okabe–Ito palette: told apart with every common colour-vision deficiency.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}


@dataclass(frozen=True)
class Palette:
    """Every colour the views read, for one appearance; immutable, swapped whole by
    :func:`apply`. Overlays differ in line style and width as well as colour, never by
    red/green alone."""

    dark: bool = False
    high_contrast: bool = False
    window: str = OKABE_ITO["vermillion"]  # the sliding window, the current output cell
    tap: str = OKABE_ITO["vermillion"]
    selected: str = "#000000"  # a cell picked for editing (dotted)
    source: str = OKABE_ITO["blue"]  # the pixel a hovered padded cell copies
    group: str = OKABE_ITO["reddish purple"]  # input channels feeding the current output
    shared: str = OKABE_ITO["blue"]  # the input tile + halo a CUDA block copies to shared
    padded_bg: str = "#d9d9d9"
    padded_hatch: str = "#9e9e9e"
    empty_bg: str = "#ffffff"
    grid_line: str = "#b0b0b0"
    text: str = "#111111"
    faint_text: str = "#555555"
    error: str = "#c92a2a"
    on_error: str = "#ffffff"  # text on an ``error`` background
    #: "identical", the lanes agree: Okabe–Ito bluish green, not confused with the red of
    #: "different" by red–green colour-blind viewers (and the words say it too)
    agree: str = "#007a5e"
    muted: str = "#495057"
    #: block tints for the parallel phase: Okabe–Ito, drawn translucent over the cell
    #: colours, with dashed block borders so colour is not the only cue
    block_tints: tuple[str, ...] = tuple(
        OKABE_ITO[k]
        for k in (
            "sky blue",
            "orange",
            "bluish green",
            "yellow",
            "reddish purple",
            "blue",
            "vermillion",
        )
    ) + ("#999999",)
    #: the parallel phase's block fills, by ``core.block_colours`` index (0 … 3): light
    #: Okabe–Ito (sky blue, orange, bluish green, reddish purple, half white), opaque,
    #: so a block reads as one colour; its digits are black on every one of them
    block_fills: tuple[str, ...] = ("#abdaf4", "#f3cf80", "#80cfb9", "#e6bcd3")

    @property
    def outline_scale(self) -> float:
        """Outline width multiplier (thicker in high contrast)."""
        return 1.5 if self.high_contrast else 1.0


_DARK = dict(
    padded_bg="#3a3a3a",
    padded_hatch="#8a8a8a",
    empty_bg="#1e1e1e",
    grid_line="#6a6a6a",
    text="#f0f0f0",
    faint_text="#c8c8c8",
    muted="#c8ccd0",
    # a lighter red and green: the light theme's read at about 3:1 on the dark window
    error="#ff8787",
    on_error="#111111",
    agree="#38d9a9",
)
_HIGH = dict(grid_line="#000000", padded_hatch="#000000", faint_text="#000000", muted="#000000")
_HIGH_DARK = dict(
    grid_line="#ffffff",
    padded_hatch="#ffffff",
    faint_text="#ffffff",
    muted="#ffffff",
    empty_bg="#000000",
)


def make_palette(dark: bool = False, high_contrast: bool = False) -> Palette:
    """The palette of one appearance."""
    changes: dict[str, Any] = dict(_DARK) if dark else {}
    if high_contrast:
        changes.update(_HIGH_DARK if dark else _HIGH)
    return replace(Palette(dark=bool(dark), high_contrast=bool(high_contrast)), **changes)


_current = make_palette()

#: the benchmark figure is drawn on white in every theme (it is exported as it is shown):
#: its texts keep dark colours whatever the window's theme
FIGURE_BG = "#ffffff"
FIGURE_TEXT = "#111111"
FIGURE_MUTED = "#495057"


def palette() -> Palette:
    """The palette in force (read it when painting; it changes on ``sigThemeChanged``)."""
    return _current


class _Changes(QtCore.QObject):
    sigThemeChanged = QtCore.Signal()


_changes: _Changes | None = None


def changes() -> _Changes:
    """The object whose ``sigThemeChanged`` fires after :func:`apply` (views repaint)."""
    global _changes
    if _changes is None:
        _changes = _Changes()
    return _changes


def apply(dark: bool = False, high_contrast: bool = False) -> None:
    """Switch the palette the lesson views read, then tell them to repaint (nothing
    happens when that palette is the one in use).

    The application palette is not touched here (``convviz.gui.appearance`` sets it).

    Parameters
    ----------
    dark
        Dark backgrounds and light text around the cells (the cell colour maps stay:
        they are chosen so black or white digits read on every cell).
    high_contrast
        Black (or white) grid lines, hatching and faint text, and thicker outlines.
    """
    global _current
    new = make_palette(dark, high_contrast)
    if new == _current:  # e.g. the saved light theme at start: the views drew it already
        return
    _current = new
    changes().sigThemeChanged.emit()


def lut(name: str) -> np.ndarray:
    """A 256-entry uint8 RGBA table: ``"diverging"`` (centred use) or ``"input"``."""
    if name not in _LUTS:
        if name == "diverging":
            # The ends of CET-D1A are too dark for black digits and too saturated for
            # white ones: keep the middle 84 %.
            table = pg.colormap.get("CET-D1A").getLookupTable(0.08, 0.92, 256, alpha=True)
        elif name == "input":
            cmap = pg.ColorMap([0.0, 1.0], [(255, 255, 255), (116, 172, 223)])
            table = cmap.getLookupTable(0.0, 1.0, 256, alpha=True)
        else:
            raise KeyError(name)
        _LUTS[name] = np.ascontiguousarray(table, dtype=np.uint8)
    return _LUTS[name]


def levels_for(values: np.ndarray, centred: bool) -> tuple[float, float]:
    """Explicit image levels: symmetric about 0 for signed data, else 0 … max."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return (-1.0, 1.0) if centred else (0.0, 1.0)
    if centred:
        m = float(np.abs(finite).max()) or 1.0
        return -m, m
    lo, hi = float(min(finite.min(), 0.0)), float(finite.max())
    return (lo, hi if hi > lo else lo + 1.0)


def text_colors(values: np.ndarray, levels: tuple[float, float], table: np.ndarray) -> np.ndarray:
    """Per cell True where white digits contrast more than black ones with that cell's
    colour (WCAG relative luminance): one of the two always reads at 4.58:1 or better."""
    lo, hi = levels
    finite = np.isfinite(values)
    v = np.where(finite, values, lo)
    idx = np.clip(((v - lo) * (255.0 / (hi - lo))).astype(np.intp), 0, 255)
    return _white_reads_better(table)[idx] & finite


def relative_luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG 2.x relative luminance of sRGB colours (… × 3, 0–255)."""
    c = np.asarray(rgb, dtype=float) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * lin[..., 0] + 0.7152 * lin[..., 1] + 0.0722 * lin[..., 2]


#: the digits on coloured cells: black or white, whichever contrasts more
DIGITS_DARK, DIGITS_LIGHT = "#000000", "#ffffff"
_DARK_DIGITS = 0.0  # WCAG relative luminance of black


def white_reads_better(color: str) -> bool:
    """Whether white digits contrast more than black ones on ``color``."""
    q = QtGui.QColor(color)
    lum = float(relative_luminance(np.array([q.red(), q.green(), q.blue()])))
    return 1.05 / (lum + 0.05) > (lum + 0.05) / (_DARK_DIGITS + 0.05)


def _white_reads_better(table: np.ndarray) -> np.ndarray:
    key = id(table)
    if key not in _LUM:
        lum = relative_luminance(table[:, :3])
        _LUM[key] = (1.05 / (lum + 0.05)) > ((lum + 0.05) / (_DARK_DIGITS + 0.05))
    return _LUM[key]


_LUM: dict[int, np.ndarray] = {}


def font(px: int, bold: bool = False, family: str | None = None) -> QtGui.QFont:
    f = QtGui.QFont(family) if family else QtGui.QFont()
    f.setPixelSize(px)
    f.setBold(bold)
    return f


def mono_font(px: int, bold: bool = False) -> QtGui.QFont:
    f = QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont)
    f.setPixelSize(px)
    f.setBold(bold)
    return f
