"""Numba CPU backends: ``cpu`` (one thread, animation order) and ``cpu-parallel``.

Both call the one per-cell function of :mod:`convviz.core.cellmath`, compiled
here with ``njit``. They release the GIL and poll a control array
``ctrl = [cells done, cancel]`` once per output row, so a GUI can show
progress and cancel them.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import njit, prange

from convviz.backends.base import Backend
from convviz.core import cellmath, sysinfo
from convviz.core.timing import timed
from convviz.errors import Cancelled

_map_index = njit(cache=True, inline="always")(cellmath.map_index)
cell_value = njit(cache=True, nogil=True)(
    cellmath.retarget(cellmath.cell_value, map_index=_map_index))


@njit(cache=True, nogil=True)
def conv_sequential(x, w, b, out, sy, sx, dy, dx, pt, pl, mode, groups, ctrl):
    """Cells in the animation's order: output channel, row, column."""
    c_out, ho, wo = out.shape
    for co in range(c_out):
        for oy in range(ho):
            if ctrl[1] != 0:
                return
            for ox in range(wo):
                out[co, oy, ox] = cell_value(x, w, b, co, oy, ox, sy, sx, dy, dx, pt, pl,
                                             mode, groups)
            ctrl[0] += wo


@njit(cache=True, nogil=True, parallel=True)
def conv_parallel(x, w, b, out, sy, sx, dy, dx, pt, pl, mode, groups, ctrl):
    """Output rows spread over all cores; each cell computed exactly as in conv_sequential."""
    c_out, ho, wo = out.shape
    for r in prange(c_out * ho):
        if ctrl[1] != 0:
            continue
        co = r // ho
        oy = r - co * ho
        for ox in range(wo):
            out[co, oy, ox] = cell_value(x, w, b, co, oy, ox, sy, sx, dy, dx, pt, pl,
                                         mode, groups)
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

    def _device(self):
        return f"{sysinfo.cpu_model()}, {numba.config.NUMBA_NUM_THREADS} threads"
