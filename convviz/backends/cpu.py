"""Numba CPU backends: ``cpu`` (one thread, animation order) and ``cpu-parallel``.

``cpu`` calls the one per-cell function of :mod:`convviz.core.cellmath`,
compiled here with ``njit``, cell after cell. ``cpu-parallel`` does the same
float32 operations in the same order for every cell (the tests check it bit
for bit), organised for the hardware: rows across all cores, and the inner
loops running along output columns so that they vectorise (see the notes above
:func:`conv_parallel`). Both release the GIL and poll a control array
``ctrl = [cells done, cancel]`` once per output row (or block of three rows),
so a GUI can show progress and cancel them.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import njit, prange

from convviz.backends import jit_cache

jit_cache.drop_stale()  # before any cached kernel below can be loaded

from convviz.backends.base import Backend  # noqa: E402
from convviz.backends.cpu_rows import ROWS, conv_rows  # noqa: E402
from convviz.core import cellmath, sysinfo  # noqa: E402
from convviz.core.timing import timed  # noqa: E402
from convviz.errors import Cancelled  # noqa: E402

_map_index = njit(cache=True, inline="always")(cellmath.map_index)
cell_value = njit(cache=True, nogil=True)(
    cellmath.retarget(cellmath.cell_value, map_index=_map_index)
)


@njit(cache=True, nogil=True)
def conv_sequential(x, w, b, out, sy, sx, dy, dx, pt, pl, mode, groups, ctrl):
    """Cells in the animation's order: output channel, row, column."""
    c_out, ho, wo = out.shape
    for co in range(c_out):
        for oy in range(ho):
            if ctrl[1] != 0:
                return
            for ox in range(wo):
                out[co, oy, ox] = cell_value(
                    x, w, b, co, oy, ox, sy, sx, dy, dx, pt, pl, mode, groups
                )
            ctrl[0] += wo


# ---------------------------------------------------------------------------
# cpu-parallel: the same per-cell sums, organised for the hardware.
#
# Each output row (co, oy) is one prange item. Its taps (ci, ky, kx) are listed
# once, in the order cell_value visits them, with the rows that fall in zero
# padding left out exactly as cell_value skips them. The output row itself is
# the float32 accumulator, and the taps are applied to it in consecutive groups
# of up to 8 (with stride and dilation 1: up to 8 taps of one kernel row, read
# from one input row at constant offsets). Where every tap of a group reads
# inside the input (the interior) one plain loop along the row adds the group's
# products in tap order; LLVM vectorises it across output columns, which are
# independent cells. The few
# border columns take the taps through map_index and skip zero-padding taps.
# So every cell receives ``acc += x * w`` in the order (ci, ky, kx), then
# ``acc + b``: bit for bit the sum of cell_value (no fastmath, so nothing is
# reassociated or fused into an FMA).
#
# With stride 1 and dilation 1 (the common case) a prange item is instead a
# block of cpu_rows.ROWS output rows, computed by cpu_rows.conv_rows: each
# input row is loaded once per pass and feeds every row of the block that uses
# it (with its own kernel row), which roughly halves the loads per
# multiply-add. The per-cell order is the same, so the result is too.
# ---------------------------------------------------------------------------

#: prange items (output rows, or blocks of ROWS rows) handed to a thread at a
#: time: small chunks keep both cores busy even when one of them is also
#: running something else
PARALLEL_CHUNK_ROWS = 4


@njit(cache=True, nogil=True)
def _taps8(a, r0, r1, r2, r3, r4, r5, r6, r7, w0, w1, w2, w3, w4, w5, w6, w7):
    for j in range(a.shape[0]):
        v = a[j]
        v += r0[j] * w0
        v += r1[j] * w1
        v += r2[j] * w2
        v += r3[j] * w3
        v += r4[j] * w4
        v += r5[j] * w5
        v += r6[j] * w6
        v += r7[j] * w7
        a[j] = v


@njit(cache=True, nogil=True)
def _taps4(a, r0, r1, r2, r3, w0, w1, w2, w3):
    for j in range(a.shape[0]):
        v = a[j]
        v += r0[j] * w0
        v += r1[j] * w1
        v += r2[j] * w2
        v += r3[j] * w3
        a[j] = v


@njit(cache=True, nogil=True)
def _taps2(a, r0, r1, w0, w1):
    for j in range(a.shape[0]):
        v = a[j]
        v += r0[j] * w0
        v += r1[j] * w1
        a[j] = v


@njit(cache=True, nogil=True)
def _taps1(a, r0, w0):
    for j in range(a.shape[0]):
        a[j] += r0[j] * w0


# One kernel row (taps at consecutive input columns, stride 1, dilation 1): one
# input row and constant offsets, so every load comes from one base pointer.


@njit(cache=True, nogil=True)
def _row1(a, r, w):
    w0 = w[0]
    for j in range(a.shape[0]):
        v = a[j]
        v += r[j] * w0
        a[j] = v


@njit(cache=True, nogil=True)
def _row2(a, r, w):
    w0, w1 = w[0], w[1]
    for j in range(a.shape[0]):
        v = a[j]
        v += r[j] * w0
        v += r[j + 1] * w1
        a[j] = v


@njit(cache=True, nogil=True)
def _row3(a, r, w):
    w0, w1, w2 = w[0], w[1], w[2]
    for j in range(a.shape[0]):
        v = a[j]
        v += r[j] * w0
        v += r[j + 1] * w1
        v += r[j + 2] * w2
        a[j] = v


@njit(cache=True, nogil=True)
def _row4(a, r, w):
    w0, w1, w2, w3 = w[0], w[1], w[2], w[3]
    for j in range(a.shape[0]):
        v = a[j]
        v += r[j] * w0
        v += r[j + 1] * w1
        v += r[j + 2] * w2
        v += r[j + 3] * w3
        a[j] = v


@njit(cache=True, nogil=True)
def _row5(a, r, w):
    w0, w1, w2, w3, w4 = w[0], w[1], w[2], w[3], w[4]
    for j in range(a.shape[0]):
        v = a[j]
        v += r[j] * w0
        v += r[j + 1] * w1
        v += r[j + 2] * w2
        v += r[j + 3] * w3
        v += r[j + 4] * w4
        a[j] = v


@njit(cache=True, nogil=True)
def _row6(a, r, w):
    w0, w1, w2, w3, w4, w5 = w[0], w[1], w[2], w[3], w[4], w[5]
    for j in range(a.shape[0]):
        v = a[j]
        v += r[j] * w0
        v += r[j + 1] * w1
        v += r[j + 2] * w2
        v += r[j + 3] * w3
        v += r[j + 4] * w4
        v += r[j + 5] * w5
        a[j] = v


@njit(cache=True, nogil=True)
def _row7(a, r, w):
    w0, w1, w2, w3, w4, w5, w6 = w[0], w[1], w[2], w[3], w[4], w[5], w[6]
    for j in range(a.shape[0]):
        v = a[j]
        v += r[j] * w0
        v += r[j + 1] * w1
        v += r[j + 2] * w2
        v += r[j + 3] * w3
        v += r[j + 4] * w4
        v += r[j + 5] * w5
        v += r[j + 6] * w6
        a[j] = v


@njit(cache=True, nogil=True)
def _row8(a, r, w):
    w0, w1, w2, w3, w4, w5, w6, w7 = w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]
    for j in range(a.shape[0]):
        v = a[j]
        v += r[j] * w0
        v += r[j + 1] * w1
        v += r[j + 2] * w2
        v += r[j + 3] * w3
        v += r[j + 4] * w4
        v += r[j + 5] * w5
        v += r[j + 6] * w6
        v += r[j + 7] * w7
        a[j] = v


@njit(cache=True, nogil=True)
def _tap_strided(acc, row, off, wv, lo, hi, sx):
    for ox in range(lo, hi):
        acc[ox] += row[ox * sx + off] * wv


@njit(cache=True, nogil=True)
def _apply_group(acc, x, tc, tiy, toff, tw, t, n, sx, mode, run):
    """Add taps t .. t+n-1 (in that order) to every cell of the row ``acc``.

    ``run``: the taps are one kernel row at consecutive input columns (stride 1).
    """
    wo = acc.shape[0]
    wd = x.shape[2]
    lo = 0
    hi = wo
    for k in range(t, t + n):  # interior: the columns where every tap is in bounds
        off = toff[k]
        first = 0 if off >= 0 else (sx - 1 - off) // sx
        end = 0 if wd - off <= 0 else (wd - off + sx - 1) // sx
        lo = max(lo, first)
        hi = min(hi, end)
    lo = min(lo, wo)
    hi = max(hi, lo)
    if hi > lo and run:
        a = acc[lo:hi]
        s = lo + toff[t]
        r = x[tc[t], tiy[t], s : s + hi - lo + n - 1]
        w = tw[t : t + n]
        if n == 8:
            _row8(a, r, w)
        elif n == 7:
            _row7(a, r, w)
        elif n == 6:
            _row6(a, r, w)
        elif n == 5:
            _row5(a, r, w)
        elif n == 4:
            _row4(a, r, w)
        elif n == 3:
            _row3(a, r, w)
        elif n == 2:
            _row2(a, r, w)
        else:
            _row1(a, r, w)
    elif hi > lo:
        if sx == 1:
            a = acc[lo:hi]
            m = hi - lo
            s = lo + toff[t]
            r0 = x[tc[t], tiy[t], s : s + m]
            if n == 8:
                s1, s2, s3 = lo + toff[t + 1], lo + toff[t + 2], lo + toff[t + 3]
                s4, s5, s6, s7 = (
                    lo + toff[t + 4],
                    lo + toff[t + 5],
                    lo + toff[t + 6],
                    lo + toff[t + 7],
                )
                _taps8(
                    a,
                    r0,
                    x[tc[t + 1], tiy[t + 1], s1 : s1 + m],
                    x[tc[t + 2], tiy[t + 2], s2 : s2 + m],
                    x[tc[t + 3], tiy[t + 3], s3 : s3 + m],
                    x[tc[t + 4], tiy[t + 4], s4 : s4 + m],
                    x[tc[t + 5], tiy[t + 5], s5 : s5 + m],
                    x[tc[t + 6], tiy[t + 6], s6 : s6 + m],
                    x[tc[t + 7], tiy[t + 7], s7 : s7 + m],
                    tw[t],
                    tw[t + 1],
                    tw[t + 2],
                    tw[t + 3],
                    tw[t + 4],
                    tw[t + 5],
                    tw[t + 6],
                    tw[t + 7],
                )
            elif n == 4:
                s1, s2, s3 = lo + toff[t + 1], lo + toff[t + 2], lo + toff[t + 3]
                _taps4(
                    a,
                    r0,
                    x[tc[t + 1], tiy[t + 1], s1 : s1 + m],
                    x[tc[t + 2], tiy[t + 2], s2 : s2 + m],
                    x[tc[t + 3], tiy[t + 3], s3 : s3 + m],
                    tw[t],
                    tw[t + 1],
                    tw[t + 2],
                    tw[t + 3],
                )
            elif n == 2:
                s1 = lo + toff[t + 1]
                _taps2(a, r0, x[tc[t + 1], tiy[t + 1], s1 : s1 + m], tw[t], tw[t + 1])
            else:
                for k in range(t, t + n):
                    s = lo + toff[k]
                    _taps1(a, x[tc[k], tiy[k], s : s + m], tw[k])
        else:
            for k in range(t, t + n):
                _tap_strided(acc, x[tc[k], tiy[k]], toff[k], tw[k], lo, hi, sx)
    _border(acc, x, tc, tiy, toff, tw, t, n, sx, mode, 0, lo)
    _border(acc, x, tc, tiy, toff, tw, t, n, sx, mode, hi, wo)


@njit(cache=True, nogil=True)
def _border(acc, x, tc, tiy, toff, tw, t, n, sx, mode, start, stop):
    """Taps t .. t+n-1 on the columns start .. stop-1, through map_index.

    Tap-major: consecutive updates go to different cells, so they overlap in
    the CPU instead of waiting on one cell's chain of additions.
    """
    wd = x.shape[2]
    a = acc[start:stop]
    for k in range(t, t + n):
        row = x[tc[k], tiy[k]]
        off = start * sx + toff[k]
        wv = tw[k]
        for j in range(a.shape[0]):
            ix = _map_index(j * sx + off, wd, mode)
            if ix >= 0:
                a[j] += row[ix] * wv


@njit(cache=True, nogil=True, parallel=True)
def conv_parallel(x, w, b, out, sy, sx, dy, dx, pt, pl, mode, groups, ctrl):
    """Output rows spread over all cores; each cell's sum exactly as cell_value's.

    Numba's cache does not notice edits to cpu_rows.py or cellmath.py by itself;
    :mod:`convviz.backends.jit_cache` drops the stale files when they change.
    """
    c_out, ho, wo = out.shape
    cin_g, kh, kw = w.shape[1], w.shape[2], w.shape[3]
    h = x.shape[1]
    if sy == 1 and sx == 1 and dy == 1 and dx == 1:  # blocks of ROWS rows: cpu_rows
        nb = (ho + ROWS - 1) // ROWS
        for r in prange(c_out * nb):
            if ctrl[1] != 0:
                continue
            co = r // nb
            oy0 = (r - co * nb) * ROWS
            nr = min(ROWS, ho - oy0)
            conv_rows(x, w, b, out, co, (co // (c_out // groups)) * cin_g, oy0, nr, pt, pl, mode)
            ctrl[0] += wo * nr  # approximate under parallel updates; for progress only
        return
    ntaps = cin_g * kh * kw
    for r in prange(c_out * ho):
        if ctrl[1] != 0:
            continue
        co = r // ho
        oy = r - co * ho
        c0 = (co // (c_out // groups)) * cin_g
        tc = np.empty(ntaps, np.intp)
        tiy = np.empty(ntaps, np.intp)
        toff = np.empty(ntaps, np.intp)
        tw = np.empty(ntaps, np.float32)
        n = 0
        for ci in range(cin_g):
            for ky in range(kh):
                iy = _map_index(oy * sy - pt + ky * dy, h, mode)
                if iy < 0:
                    continue
                for kx in range(kw):
                    tc[n] = c0 + ci
                    tiy[n] = iy
                    toff[n] = kx * dx - pl
                    tw[n] = w[co, ci, ky, kx]
                    n += 1
        acc = out[co, oy]
        acc[:] = np.float32(0)
        if sx == 1 and dx == 1:  # each kernel row in runs of up to 8 taps
            for t in range(0, n, kw):
                for t0 in range(t, t + kw, 8):
                    _apply_group(acc, x, tc, tiy, toff, tw, t0, min(8, t + kw - t0), sx, mode, True)
        else:  # up to 8 taps from anywhere at a time
            t = 0
            for size in (8, 4, 2, 1):
                while n - t >= size:
                    _apply_group(acc, x, tc, tiy, toff, tw, t, size, sx, mode, False)
                    t += size
        bias = b[co]
        for ox in range(wo):
            acc[ox] = acc[ox] + bias
        ctrl[0] += wo  # approximate under parallel updates; for progress only


class _NumbaBackend(Backend):
    _fn = None  # the njit loop

    def compile(self, prep):
        args = self._args(prep, np.empty(prep.spec.out_shape, np.float32), np.zeros(2, np.int64))
        sig = tuple(numba.typeof(a) for a in args)
        if sig not in self._compile_times:
            _, secs = timed(lambda: self._fn.compile(sig))
            self._compile_times[sig] = secs
        return self._compile_times[sig]

    @staticmethod
    def _args(prep, out, ctrl):
        return (prep.x, prep.w, prep.b, out, *prep.spec.kernel_args(), ctrl)

    def _run_once(self, prep, ctrl):
        out = np.empty(prep.spec.out_shape, np.float32)
        self._fn(*self._args(prep, out, ctrl))
        if ctrl[1] != 0:
            raise Cancelled(f"{self.name} cancelled")
        return out, None


class CpuBackend(_NumbaBackend):
    name = "cpu"
    label = "CPU, one cell after another (Numba, 1 thread)"

    def __init__(self):
        self._fn = conv_sequential
        self._compile_times = {}

    def _device(self):
        return f"{sysinfo.cpu_model()}, 1 thread"


class CpuParallelBackend(_NumbaBackend):
    name = "cpu-parallel"
    label = "CPU, all cores (Numba prange)"

    def __init__(self):
        self._fn = conv_parallel
        self._compile_times = {}

    def _run_once(self, prep, ctrl):
        with numba.parallel_chunksize(PARALLEL_CHUNK_ROWS):
            return super()._run_once(prep, ctrl)

    def _device(self):
        return f"{sysinfo.cpu_model()}, {numba.config.NUMBA_NUM_THREADS} threads"
