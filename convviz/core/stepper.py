"""The sliding-window animation as a pure state machine (no Qt, no timers).

A :class:`Stepper` walks the output cells in the order the ``cpu`` backend
computes them: output channel, then row, then column. ``pos`` is the index of
the current cell (``-1`` before the first). For the current cell it exposes
every multiply — which input pixel (or padded cell, and the pixel a padded cell
copies), which weight, the product and the running float32 sum — the bias, the
value and the formula with live numbers. A GUI's timer only calls
:meth:`step`; tests call it directly.

With ``substeps=True`` a cell is walked in finer stages: one per input channel
of its group (the window moves through the channels), then one that adds the
bias. ``pos``, ``n_cells``, :meth:`seek`, :meth:`step` and ``at_end`` keep their
cell-level meaning (a seek lands on a finished cell); ``stage``, ``sub_pos``,
:meth:`seek_sub`, :meth:`step_sub` and :meth:`partial` add the finer position.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from convviz.core import cellmath
from convviz.core.all_cells import all_cells
from convviz.core.spec import ConvSpec, Prepared


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


@dataclass(frozen=True)
class Partial:
    """A cell part-way through its stages: the channels summed so far, maybe the bias."""

    index: int
    co: int
    oy: int
    ox: int
    stage: int  # 0 … n_stages-1; the last stage adds the bias
    n_stages: int
    channel: int | None  # the input channel (absolute) this stage adds; None: the bias
    channels_done: tuple[int, ...]  # absolute input channels summed, this one included
    channel_sums: tuple[float, ...]  # their partial sums, in the same order
    total: float  # float32 running sum after this stage (bias included when added)
    bias: float
    bias_added: bool

    @property
    def complete(self) -> bool:
        return self.bias_added


def fmt_number(v: float) -> str:
    """Compact number for cells and formulas: 17, -0.5, 0.1111, 1.2e+04."""
    v = float(v)
    if v == int(v) and abs(v) < 1e6:
        return str(int(v))
    return f"{v:.4g}"


class Stepper:
    """Random access over the output cells of a prepared convolution."""

    def __init__(self, prep: Prepared, substeps: bool = False):
        self.prep = prep
        self.spec = prep.spec
        s = self.spec
        self.n_cells = s.cells
        self.cin_g = s.c_in // s.groups
        #: stages per cell: one per input channel of the group, then the bias
        self.n_stages = self.cin_g + 1 if substeps else 1
        self._pos = -1
        self._stage = self.n_stages - 1
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
        return self._pos >= self.n_cells - 1 and self._stage == self.n_stages - 1

    def seek(self, k: int) -> int:
        """Go to cell ``k`` (clamped to -1 … n_cells-1), finished; returns the new position."""
        self._pos = int(min(max(k, -1), self.n_cells - 1))
        self._stage = self.n_stages - 1
        return self._pos

    def step(self, delta: int = 1) -> int:
        return self.seek(self._pos + delta)

    def reset(self) -> None:
        self._pos = -1
        self._stage = self.n_stages - 1

    # -- the finer position (stages within a cell) --------------------------
    @property
    def stage(self) -> int:
        """The current cell's stage: an input channel of its group, or the last (bias)."""
        return self._stage

    @property
    def n_substeps(self) -> int:
        return self.n_cells * self.n_stages

    @property
    def sub_pos(self) -> int:
        """``pos * n_stages + stage``; -1 before the first cell."""
        return -1 if self._pos < 0 else self._pos * self.n_stages + self._stage

    def seek_sub(self, j: int) -> int:
        """Go to sub-step ``j`` (clamped to -1 … n_substeps-1); returns the new sub_pos."""
        j = int(min(max(j, -1), self.n_substeps - 1))
        if j < 0:
            self.reset()
        else:
            self._pos, self._stage = divmod(j, self.n_stages)
        return self.sub_pos

    def step_sub(self, delta: int = 1) -> int:
        return self.seek_sub(self.sub_pos + delta)

    def stage_channel(self, co: int, stage: int) -> int | None:
        """The absolute input channel that ``stage`` of a cell of output channel ``co``
        adds, or None for the bias stage (always None when there are no sub-steps)."""
        if self.n_stages == 1 or stage >= self.cin_g:
            return None
        return self.group_start(co) + stage

    def group_start(self, co: int) -> int:
        """The first input channel of the group feeding output channel ``co``."""
        s = self.spec
        return (co // (s.c_out // s.groups)) * self.cin_g

    def kernel_index(self, ky: int, kx: int) -> tuple[int, int]:
        """Which weight of the user's kernel tap (ky, kx) multiplies (rotated when flip)."""
        return self.spec.kernel_index(ky, kx)

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
    def _cell_args(self, co: int, oy: int, ox: int) -> tuple[Any, ...]:
        p = self.prep
        return (p.x, p.w, p.b, co, oy, ox, *self.spec.kernel_args())

    def value(self, k: int) -> np.float32:
        """out at cell k, computed by the shared per-cell function (exact float32)."""
        self._fill_to(k + 1)
        value: np.float32 = self._values.dtype.type(self._values.flat[k])
        return value

    def _fill_to(self, n: int) -> None:
        while self._known < n:
            co, oy, ox = self.cell_of(self._known)
            self._values[co, oy, ox] = cellmath.cell_value(*self._cell_args(co, oy, ox))
            self._known += 1

    def output(self) -> np.ndarray:
        """(C_out, H_out, W_out) float32: finished cells filled, NaN after.

        Cells up to ``pos`` are finished, except the current one while its stages
        have not reached the bias.
        """
        out = np.full(self.spec.out_shape, np.nan, np.float32)
        n = self._pos + 1 if self._stage == self.n_stages - 1 else self._pos
        if n > 0:
            self._fill_to(n)
            out.flat[:n] = self._values.flat[:n]
        return out

    def full_output(self) -> np.ndarray:
        """Every cell, as the animation would end (all at once: the same float32
        operations per cell, over whole planes; see :mod:`convviz.core.all_cells`)."""
        if self._known < self.n_cells:
            self._values[...] = all_cells(self.prep)
            self._known = self.n_cells
        return np.array(self._values)

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
                    taps.append(
                        Tap(
                            c0 + ci,
                            ky,
                            kx,
                            py,
                            px,
                            src,
                            padded,
                            float(xv),
                            float(wv),
                            float(prod),
                            float(acc),
                        )
                    )
            sums.append(float(acc - start))
        value = acc + p.b[co]
        return CellState(
            k,
            co,
            oy,
            ox,
            tuple(taps),
            tuple(sums),
            float(p.b[co]),
            float(value),
            self._formula(co, oy, ox, taps, float(p.b[co]), float(value)),
        )

    def partial(self, k: int | None = None, stage: int | None = None) -> Partial | None:
        """Cell k after ``stage`` (default: the current position); None before the first.

        The sums are the float32 running sum of :meth:`state`, read after the last
        tap of each channel, so the final stage's ``total`` is the cell's value.
        """
        if k is None:
            k, stage = self._pos, self._stage if stage is None else stage
        if k < 0:
            return None
        stage = self.n_stages - 1 if stage is None else int(min(max(stage, 0), self.n_stages - 1))
        st = self.state(k)
        assert st is not None  # k >= 0
        bias_added = stage == self.n_stages - 1
        n_ch = self.cin_g if bias_added else stage + 1
        c0 = self.group_start(st.co)
        per = self.spec.kh * self.spec.kw
        total = st.taps[n_ch * per - 1].running if n_ch else 0.0
        if bias_added:
            total = st.value
        return Partial(
            k,
            st.co,
            st.oy,
            st.ox,
            stage,
            self.n_stages,
            self.stage_channel(st.co, stage),
            tuple(range(c0, c0 + n_ch)),
            st.channel_sums[:n_ch],
            float(total),
            st.bias,
            bias_added,
        )

    def _formula(
        self, co: int, oy: int, ox: int, taps: Sequence[Tap], bias: float, value: float
    ) -> str:
        where = f"{oy},{ox}" if self.spec.c_out == 1 else f"{co},{oy},{ox}"
        products = [(t.w, t.x) for t in taps]
        return sum_text(f"out[{where}]", products, bias, value)


def sum_text(
    where: str,
    products: Sequence[tuple[float, float]],
    bias: float,
    value: float,
    number: Callable[[float], str] | None = None,
    result: Callable[[float], str] | None = None,
    most: int = 12,
    ends: tuple[int, int] = (5, 2),
) -> str:
    """ "out[r,c] = (w)·x + … − bias = value": every product w·x (negative factors in
    brackets), the first and last ``ends`` of them around "…" when there are more than
    ``most``; numbers written by ``number`` and the result by ``result`` (both
    :func:`fmt_number` unless given: the window's 3 significant digits)."""
    number = number or fmt_number
    result = result or number

    def factor(v: float) -> str:
        return f"({number(v)})" if float(v) < 0 else number(v)

    terms = [f"{factor(w)}·{factor(x)}" for w, x in products]
    if len(terms) > most:
        terms = terms[: ends[0]] + ["…"] + terms[-ends[1] :]
    rhs = " + ".join(terms)
    if bias != 0:
        rhs += f" {'−' if bias < 0 else '+'} {number(abs(bias))}"
    return f"{where} = {rhs} = {result(value)}"


def padding_sources(spec: ConvSpec) -> tuple[np.ndarray, np.ndarray]:
    """Where every cell of the padded input reads from, as the taps do.

    Returns
    -------
    sources : (H_pad, W_pad, 2) int array
        The input (row, column) each padded-grid cell copies; (-1, -1) for a zero.
    padded : (H_pad, W_pad) bool array
        True for the cells outside the input (the padding).
    """
    pt, pb, pl, pr = spec.padding
    rows = np.array(
        [cellmath.map_index(i - pt, spec.h, spec.mode_code) for i in range(spec.h + pt + pb)]
    )
    cols = np.array(
        [cellmath.map_index(j - pl, spec.w, spec.mode_code) for j in range(spec.w + pl + pr)]
    )
    r = np.broadcast_to(rows[:, None], (rows.size, cols.size))
    c = np.broadcast_to(cols[None, :], (rows.size, cols.size))
    zero = (r < 0) | (c < 0)
    sources = np.stack([np.where(zero, -1, r), np.where(zero, -1, c)], axis=-1)
    padded = np.ones(r.shape, bool)
    padded[pt : pt + spec.h, pl : pl + spec.w] = False
    return sources, padded
