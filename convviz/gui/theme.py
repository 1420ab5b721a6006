"""Colours, fonts and colour maps shared by the views (read at lecture distance)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui

#: lookup tables are built once; 256 entries, uint8 RGBA
_LUTS: dict[str, np.ndarray] = {}

WINDOW = "#e8590c"  # the sliding window on the input, the current output cell
TAP = "#e8590c"
SELECTED = "#2f9e44"  # a cell picked for editing
PADDED_BG = "#d9d9d9"
PADDED_HATCH = "#9e9e9e"
EMPTY_BG = "#ffffff"
GRID_LINE = "#b0b0b0"
ERROR = "#c92a2a"
MUTED = "#495057"
#: block tints for the parallel phase, cycled over blockIdx (light, text stays black)
BLOCK_TINTS = ["#4dabf7", "#ffa94d", "#69db7c", "#da77f2", "#ffd43b", "#ff8787",
               "#38d9a9", "#a9e34b"]


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


def text_colors(values: np.ndarray, levels: tuple[float, float], table: np.ndarray
                ) -> np.ndarray:
    """Per cell True where white digits read better than black on that cell's colour."""
    lo, hi = levels
    finite = np.isfinite(values)
    v = np.where(finite, values, lo)
    idx = np.clip(((v - lo) * (255.0 / (hi - lo))).astype(np.intp), 0, 255)
    return (_luminance(table)[idx] < 120) & finite


def _luminance(table: np.ndarray) -> np.ndarray:
    key = id(table)
    if key not in _LUM:
        rgb = table[:, :3].astype(float)
        _LUM[key] = 0.2126 * rgb[:, 0] + 0.7152 * rgb[:, 1] + 0.0722 * rgb[:, 2]
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
