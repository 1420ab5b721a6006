"""The sliding-window animation as a pure state machine (no Qt, no timers).

A :class:`Stepper` walks the output cells in the order the ``cpu`` backend
computes them: output channel, then row, then column. ``pos`` is the index of
the current cell (``-1`` before the first). For the current cell it exposes
every multiply — which input pixel (or padded cell, and the pixel a padded cell
copies), which weight, the product and the running float32 sum — the bias, the
value and the formula with live numbers. A GUI's timer only calls
:meth:`step`; tests call it directly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convviz.core import cellmath
from convviz.core.spec import Prepared


@dataclass(frozen=True)
class Tap:
    """One multiply of the current cell."""

    ci: int  # input channel (absolute)
    ky: int
    kx: int
    py: int  # row in the padded input (0 = first padded row)
    px: int  # column in the padded input
    source: tuple[int, int] | None  # input pixel read; None for a zero-padding cell
    padded: bool  # the tap lies in the padding
    x: float
    w: float
    product: float
    running: float  # float32 sum after this tap


@dataclass(frozen=True)
class CellState:
    index: int
    co: int
    oy: int
    ox: int
    taps: tuple[Tap, ...]
    channel_sums: tuple[float, ...]  # partial sum per input channel of the group
    bias: float
    value: float
    formula: str


def fmt_number(v: float) -> str:
    """Compact number for cells and formulas: 17, -0.5, 0.1111, 1.2e+04."""
    v = float(v)
    if v == int(v) and abs(v) < 1e6:
        return str(int(v))
    return f"{v:.4g}"


class Stepper:
    """Random access over the output cells of a prepared convolution."""

    def __init__(self, prep: Prepared):
        self.prep = prep
        self.spec = prep.spec
        s = self.spec
        self.n_cells = s.cells
        self._pos = -1
        self._values = np.full(s.out_shape, np.nan, np.float32)
        self._known = 0  # cells [0, _known) have their value in _values

    # -- navigation -------------------------------------------------------
    @property
    def pos(self) -> int:
        return self._pos

    @property
    def at_start(self) -> bool:
        return self._pos < 0

    @property
    def at_end(self) -> bool:
        return self._pos >= self.n_cells - 1

    def seek(self, k: int) -> int:
        """Go to cell ``k`` (clamped to -1 … n_cells-1); returns the new position."""
        self._pos = int(min(max(k, -1), self.n_cells - 1))
        return self._pos

    def step(self, delta: int = 1) -> int:
        return self.seek(self._pos + delta)

    def reset(self) -> None:
        self._pos = -1

    # -- geometry ---------------------------------------------------------
    def cell_of(self, k: int) -> tuple[int, int, int]:
        s = self.spec
        co, rest = divmod(k, s.out_h * s.out_w)
        oy, ox = divmod(rest, s.out_w)
        return co, oy, ox

    def index_of(self, co: int, oy: int, ox: int) -> int:
        s = self.spec
        return (co * s.out_h + oy) * s.out_w + ox

    def window(self, k: int) -> tuple[int, int]:
        """Top-left corner of cell k's window in padded-input coordinates."""
        _, oy, ox = self.cell_of(k)
        return oy * self.spec.stride[0], ox * self.spec.stride[1]

    # -- values -----------------------------------------------------------
    def _cell_args(self, co, oy, ox):
        p = self.prep
        return (p.x, p.w, p.b, co, oy, ox, *self.spec.kernel_args())

    def value(self, k: int) -> np.float32:
        """out at cell k, computed by the shared per-cell function (exact float32)."""
        self._fill_to(k + 1)
        return self._values.flat[k]

    def _fill_to(self, n: int) -> None:
        while self._known < n:
            co, oy, ox = self.cell_of(self._known)
            self._values[co, oy, ox] = cellmath.cell_value(*self._cell_args(co, oy, ox))
            self._known += 1

    def output(self) -> np.ndarray:
        """(C_out, H_out, W_out) float32: cells up to ``pos`` filled, NaN after."""
        out = np.full(self.spec.out_shape, np.nan, np.float32)
        if self._pos >= 0:
            self._fill_to(self._pos + 1)
            out.flat[: self._pos + 1] = self._values.flat[: self._pos + 1]
        return out

    def full_output(self) -> np.ndarray:
        """Every cell, as the animation would end."""
        self._fill_to(self.n_cells)
        return self._values.copy()

    def state(self, k: int | None = None) -> CellState | None:
        """Everything about cell k (default: the current cell); None before the first."""
        k = self._pos if k is None else k
        if k < 0:
            return None
        s, p = self.spec, self.prep
        co, oy, ox = self.cell_of(k)
        sy, sx, dy, dx, pt, pl, mode, groups = s.kernel_args()
        cin_g = s.c_in // groups
        c0 = (co // (s.c_out // groups)) * cin_g
        taps, sums = [], []
        acc = np.float32(0)
        for ci in range(cin_g):
            start = acc
            for ky in range(s.kh):
                py = oy * sy + ky * dy
                iy = cellmath.map_index(py - pt, s.h, mode)
                for kx in range(s.kw):
                    px = ox * sx + kx * dx
                    ix = cellmath.map_index(px - pl, s.w, mode)
                    padded = not (0 <= py - pt < s.h and 0 <= px - pl < s.w)
                    wv = p.w[co, ci, ky, kx]
                    if iy < 0 or ix < 0:
                        xv, src, prod = np.float32(0), None, np.float32(0)
                    else:
                        xv, src = p.x[c0 + ci, iy, ix], (iy, ix)
                        prod = xv * wv
                        acc = acc + prod  # same order and type as cell_value
                    taps.append(Tap(c0 + ci, ky, kx, py, px, src, padded, float(xv),
                                    float(wv), float(prod), float(acc)))
            sums.append(float(acc - start))
        value = acc + p.b[co]
        return CellState(k, co, oy, ox, tuple(taps), tuple(sums), float(p.b[co]),
                         float(value), self._formula(co, oy, ox, taps, float(p.b[co]),
                                                     float(value)))

    def _formula(self, co, oy, ox, taps, bias, value) -> str:
        where = f"{oy},{ox}" if self.spec.c_out == 1 else f"{co},{oy},{ox}"
        def factor(v):
            return f"({fmt_number(v)})" if v < 0 else fmt_number(v)

        terms = [f"{factor(t.w)}·{factor(t.x)}" for t in taps]
        if len(terms) > 12:
            terms = terms[:5] + ["…"] + terms[-2:]
        rhs = " + ".join(terms)
        if bias != 0:
            rhs += f" {'−' if bias < 0 else '+'} {fmt_number(abs(bias))}"
        return f"out[{where}] = {rhs} = {fmt_number(value)}"
