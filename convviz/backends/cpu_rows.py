"""cpu-parallel's fast path for stride 1 and dilation 1: several output rows per pass.

Output rows oy0, oy0+1, oy0+2 of one channel read overlapping input rows: input
row oy0 - pt + s feeds kernel row s of output row oy0, kernel row s-1 of oy0+1
and s-2 of oy0+2. So :func:`conv_rows` walks the input rows once and each
pass along a row adds a group of 3 or 4 taps (one kernel row's consecutive
columns) to up to three accumulator rows from the same loaded input values:
fewer loads per multiply-add than one output row at a time. The few border
columns, where a kernel row reaches into the padding, take every tap through
map_index instead.

Every cell still receives exactly cell_value's additions in cell_value's order
(input channel, kernel row, kernel column, then the bias): a pass touches each
row's cells with that row's own taps in order, and passes visit the kernel rows
of any one output row in increasing order. Interleaving the additions of
different cells changes nothing, since they are independent. No fastmath, so
no FMA and no reassociation: bit for bit the ``cpu`` backend.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from convviz.core import cellmath

_map_index = njit(cache=True, inline="always")(cellmath.map_index)

#: output rows per block: 3 rows with passes of 3-4 taps measured fastest
#: among 2-5 rows and 3-5 taps (Zen 4, AVX-512; more spills registers)
ROWS = 3

# _pRxG: add G taps (weights w_i[0..G-1] at input columns j..j+G-1 of r) to
# the R accumulator rows a_i, column by column; LLVM vectorises along j.


@njit(cache=True, nogil=True)
def _p1x1(a0, r, w0):
    c00 = w0[0]
    for j in range(a0.shape[0]):
        x0 = r[j]
        v0 = a0[j]
        v0 += x0 * c00
        a0[j] = v0


@njit(cache=True, nogil=True)
def _p1x2(a0, r, w0):
    c00, c01 = w0[0], w0[1]
    for j in range(a0.shape[0]):
        x0, x1 = r[j], r[j + 1]
        v0 = a0[j]
        v0 += x0 * c00
        v0 += x1 * c01
        a0[j] = v0


@njit(cache=True, nogil=True)
def _p1x3(a0, r, w0):
    c00, c01, c02 = w0[0], w0[1], w0[2]
    for j in range(a0.shape[0]):
        x0, x1, x2 = r[j], r[j + 1], r[j + 2]
        v0 = a0[j]
        v0 += x0 * c00
        v0 += x1 * c01
        v0 += x2 * c02
        a0[j] = v0


@njit(cache=True, nogil=True)
def _p1x4(a0, r, w0):
    c00, c01, c02, c03 = w0[0], w0[1], w0[2], w0[3]
    for j in range(a0.shape[0]):
        x0, x1, x2, x3 = r[j], r[j + 1], r[j + 2], r[j + 3]
        v0 = a0[j]
        v0 += x0 * c00
        v0 += x1 * c01
        v0 += x2 * c02
        v0 += x3 * c03
        a0[j] = v0


@njit(cache=True, nogil=True)
def _p2x1(a0, a1, r, w0, w1):
    c00 = w0[0]
    c10 = w1[0]
    for j in range(a0.shape[0]):
        x0 = r[j]
        v0, v1 = a0[j], a1[j]
        v0 += x0 * c00
        v1 += x0 * c10
        a0[j] = v0
        a1[j] = v1


@njit(cache=True, nogil=True)
def _p2x2(a0, a1, r, w0, w1):
    c00, c01 = w0[0], w0[1]
    c10, c11 = w1[0], w1[1]
    for j in range(a0.shape[0]):
        x0, x1 = r[j], r[j + 1]
        v0, v1 = a0[j], a1[j]
        v0 += x0 * c00
        v1 += x0 * c10
        v0 += x1 * c01
        v1 += x1 * c11
        a0[j] = v0
        a1[j] = v1


@njit(cache=True, nogil=True)
def _p2x3(a0, a1, r, w0, w1):
    c00, c01, c02 = w0[0], w0[1], w0[2]
    c10, c11, c12 = w1[0], w1[1], w1[2]
    for j in range(a0.shape[0]):
        x0, x1, x2 = r[j], r[j + 1], r[j + 2]
        v0, v1 = a0[j], a1[j]
        v0 += x0 * c00
        v1 += x0 * c10
        v0 += x1 * c01
        v1 += x1 * c11
        v0 += x2 * c02
        v1 += x2 * c12
        a0[j] = v0
        a1[j] = v1


@njit(cache=True, nogil=True)
def _p2x4(a0, a1, r, w0, w1):
    c00, c01, c02, c03 = w0[0], w0[1], w0[2], w0[3]
    c10, c11, c12, c13 = w1[0], w1[1], w1[2], w1[3]
    for j in range(a0.shape[0]):
        x0, x1, x2, x3 = r[j], r[j + 1], r[j + 2], r[j + 3]
        v0, v1 = a0[j], a1[j]
        v0 += x0 * c00
        v1 += x0 * c10
        v0 += x1 * c01
        v1 += x1 * c11
        v0 += x2 * c02
        v1 += x2 * c12
        v0 += x3 * c03
        v1 += x3 * c13
        a0[j] = v0
        a1[j] = v1


@njit(cache=True, nogil=True)
def _p3x1(a0, a1, a2, r, w0, w1, w2):
    c00 = w0[0]
    c10 = w1[0]
    c20 = w2[0]
    for j in range(a0.shape[0]):
        x0 = r[j]
        v0, v1, v2 = a0[j], a1[j], a2[j]
        v0 += x0 * c00
        v1 += x0 * c10
        v2 += x0 * c20
        a0[j] = v0
        a1[j] = v1
        a2[j] = v2


@njit(cache=True, nogil=True)
def _p3x2(a0, a1, a2, r, w0, w1, w2):
    c00, c01 = w0[0], w0[1]
    c10, c11 = w1[0], w1[1]
    c20, c21 = w2[0], w2[1]
    for j in range(a0.shape[0]):
        x0, x1 = r[j], r[j + 1]
        v0, v1, v2 = a0[j], a1[j], a2[j]
        v0 += x0 * c00
        v1 += x0 * c10
        v2 += x0 * c20
        v0 += x1 * c01
        v1 += x1 * c11
        v2 += x1 * c21
        a0[j] = v0
        a1[j] = v1
        a2[j] = v2


@njit(cache=True, nogil=True)
def _p3x3(a0, a1, a2, r, w0, w1, w2):
    c00, c01, c02 = w0[0], w0[1], w0[2]
    c10, c11, c12 = w1[0], w1[1], w1[2]
    c20, c21, c22 = w2[0], w2[1], w2[2]
    for j in range(a0.shape[0]):
        x0, x1, x2 = r[j], r[j + 1], r[j + 2]
        v0, v1, v2 = a0[j], a1[j], a2[j]
        v0 += x0 * c00
        v1 += x0 * c10
        v2 += x0 * c20
        v0 += x1 * c01
        v1 += x1 * c11
        v2 += x1 * c21
        v0 += x2 * c02
        v1 += x2 * c12
        v2 += x2 * c22
        a0[j] = v0
        a1[j] = v1
        a2[j] = v2


@njit(cache=True, nogil=True)
def _p3x4(a0, a1, a2, r, w0, w1, w2):
    c00, c01, c02, c03 = w0[0], w0[1], w0[2], w0[3]
    c10, c11, c12, c13 = w1[0], w1[1], w1[2], w1[3]
    c20, c21, c22, c23 = w2[0], w2[1], w2[2], w2[3]
    for j in range(a0.shape[0]):
        x0, x1, x2, x3 = r[j], r[j + 1], r[j + 2], r[j + 3]
        v0, v1, v2 = a0[j], a1[j], a2[j]
        v0 += x0 * c00
        v1 += x0 * c10
        v2 += x0 * c20
        v0 += x1 * c01
        v1 += x1 * c11
        v2 += x1 * c21
        v0 += x2 * c02
        v1 += x2 * c12
        v2 += x2 * c22
        v0 += x3 * c03
        v1 += x3 * c13
        v2 += x3 * c23
        a0[j] = v0
        a1[j] = v1
        a2[j] = v2


@njit(cache=True, nogil=True)
def _pass(m, g, s0, s1, s2, r, w0, w1, w2):
    """The first m of the accumulator rows s0, s1, s2 take g taps each."""
    if m == 3:
        if g == 4:
            _p3x4(s0, s1, s2, r, w0, w1, w2)
        elif g == 3:
            _p3x3(s0, s1, s2, r, w0, w1, w2)
        elif g == 2:
            _p3x2(s0, s1, s2, r, w0, w1, w2)
        else:
            _p3x1(s0, s1, s2, r, w0, w1, w2)
    elif m == 2:
        if g == 4:
            _p2x4(s0, s1, r, w0, w1)
        elif g == 3:
            _p2x3(s0, s1, r, w0, w1)
        elif g == 2:
            _p2x2(s0, s1, r, w0, w1)
        else:
            _p2x1(s0, s1, r, w0, w1)
    elif g == 4:
        _p1x4(s0, r, w0)
    elif g == 3:
        _p1x3(s0, r, w0)
    elif g == 2:
        _p1x2(s0, r, w0)
    else:
        _p1x1(s0, r, w0)


@njit(cache=True, nogil=True)
def _edge(a, row, wk, pl, mode, start, stop):
    """One kernel row (columns in order) on output columns start .. stop-1, via map_index."""
    wd = row.shape[0]
    for k in range(wk.shape[0]):
        wv = wk[k]
        for j in range(start, stop):
            ix = _map_index(j - pl + k, wd, mode)
            if ix >= 0:
                a[j] += row[ix] * wv


@njit(cache=True, nogil=True)
def conv_rows(x, w, b, out, co, c0, oy0, nr, pt, pl, mode):
    """Output rows oy0 .. oy0+nr-1 (nr <= ROWS) of channel co; stride 1, dilation 1."""
    cin_g, kh, kw = w.shape[1], w.shape[2], w.shape[3]
    h, wd = x.shape[1], x.shape[2]
    wo = out.shape[2]
    for i in range(nr):
        out[co, oy0 + i, :] = np.float32(0)
    # interior: the output columns where the whole kernel row reads inside the input
    lo = min(pl, wo)
    hi = max(min(wo, wd + pl - kw + 1), lo)
    ng = (kw + 3) // 4  # groups of 3 or 4 kernel columns (fewer only when kw < 3 or kw == 5)
    if hi > lo:
        for ci in range(cin_g):
            wc = w[co, ci]
            for s in range(kh + nr - 1):
                iy = _map_index(oy0 - pt + s, h, mode)
                if iy < 0:
                    continue  # a row of zero padding, skipped as cell_value skips it
                row = x[c0 + ci, iy]
                i0 = max(0, s - kh + 1)  # output rows oy0+i0 .. oy0+i1 use this input row,
                i1 = min(nr - 1, s)  # row oy0+i with kernel row s-i
                s1, s2 = min(i0 + 1, i1), min(i0 + 2, i1)
                a0, a1, a2 = (
                    out[co, oy0 + i0, lo:hi],
                    out[co, oy0 + s1, lo:hi],
                    out[co, oy0 + s2, lo:hi],
                )
                for g in range(ng):
                    k0 = g * kw // ng
                    k1 = (g + 1) * kw // ng
                    st = lo + k0 - pl
                    _pass(
                        i1 - i0 + 1,
                        k1 - k0,
                        a0,
                        a1,
                        a2,
                        row[st : st + hi - lo + k1 - k0 - 1],
                        wc[s - i0, k0:k1],
                        wc[s - s1, k0:k1],
                        wc[s - s2, k0:k1],
                    )
    if lo > 0 or hi < wo:  # border columns: every tap through map_index
        for ci in range(cin_g):
            for s in range(kh + nr - 1):
                iy = _map_index(oy0 - pt + s, h, mode)
                if iy < 0:
                    continue
                row = x[c0 + ci, iy]
                for i in range(max(0, s - kh + 1), min(nr - 1, s) + 1):
                    _edge(out[co, oy0 + i], row, w[co, ci, s - i], pl, mode, 0, lo)
                    _edge(out[co, oy0 + i], row, w[co, ci, s - i], pl, mode, hi, wo)
    bias = b[co]
    for i in range(nr):
        a = out[co, oy0 + i]
        for ox in range(wo):
            a[ox] = a[ox] + bias
