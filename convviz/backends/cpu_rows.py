"""cpu-parallel's fast path for stride 1: a block of three output rows at a time.

Output rows oy0, oy0+1, oy0+2 of one channel read overlapping input rows: input
row oy0 - pt + s feeds kernel row s of output row oy0, kernel row s-1 of oy0+1
and s-2 of oy0+2, so one load of an input value serves up to three rows. A
block's cells come three ways:

* the interior columns of a block whose rows are all inside the input (or
  mapped inside by reflect, replicate or circular padding), for kernels up to
  VECTOR_MAX a side: the 8-lane vector loop of :mod:`convviz.backends.cpu_simd`,
  every sum in a register, each cell stored once (with one input channel per
  group, bias included);
* other interior columns (wider kernels, blocks that meet a row of zero
  padding, the last short block): passes along a row, each adding a group of 3
  or 4 taps (consecutive columns of one kernel row) to up to three accumulator
  rows from the same loaded input values (``feed``);
* the few border columns, where a kernel row reaches into the padding: cell by
  cell, cell_value's loops (``border``).

The passes and the vector loop are unrolled, and unrolled code for every kernel
size is a lot to compile. So they (and the block and the loop over blocks that
call them) are generated as Python source for one kernel size at a time (one
width, for kernels above VECTOR_MAX), written to a small module in the cache
folder and compiled by numba with ``cache=True``: the first 3×3 run compiles
the 3×3 kernel only, later launches load it from the cache. This is the one
family of unrolled row functions in the project; every other loop is a plain
loop. The loop over blocks runs a range of blocks: :mod:`convviz.backends.cpu`
hands ranges to threads (no ``parallel=True``, whose compile took longer than
all the rest).

Every cell still receives exactly cell_value's additions in cell_value's order
(input channel, kernel row, kernel column, then the bias): a pass touches each
row's cells with that row's own taps in order, passes visit the kernel rows of
any one output row in increasing order, and the vector loop adds a lane's taps
in the same order. Interleaving the additions of different cells changes
nothing, since they are independent. No fastmath, so no FMA and no
reassociation: bit for bit the ``cpu`` backend.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from numba import njit
from numpy import float32

from convviz.backends import cpu_rows_source, cpu_simd
from convviz.backends.cpu_rows_source import VECTOR_MAX, module_source
from convviz.backends.cpu_simd import ROWS as ROWS  # output rows per block (race.ROWS too)
from convviz.core import cellmath, paths
from convviz.version import __version__

#: helpers called from compiled code only: no wrapper to call them from Python, so the
#: dispatchers it makes are opaque here (numba's stubs do not list no_cpython_wrapper)
_internal: Callable[[Callable[..., Any]], Any] = njit(  # type: ignore[call-overload]
    cache=True, nogil=True, no_cpython_wrapper=True
)
map_index = _internal(cellmath.map_index)

#: the widest kernel row with a generated fast path; wider kernels (and strides
#: or dilations other than 1 across) take cpu.conv_parallel's plain loops
MAX_WIDTH = 32


@_internal
def border(
    x: np.ndarray,
    h: int,
    wd: int,
    w: np.ndarray,
    cin_g: int,
    kh: int,
    kw: int,
    b: np.ndarray,
    a: np.ndarray,
    ao: int,
    co: int,
    c0: int,
    oy: int,
    pt: int,
    pl: int,
    mode: int,
    lo: int,
    hi: int,
    wo: int,
    ctrl: np.ndarray,
) -> None:
    """``a[ao + ox] = out[co, oy, ox]`` for ox < lo and hi <= ox < wo (stride and dilation
    1): cell by cell, cell_value's loops on the flat arrays; sets ctrl[2] (when ctrl has
    it) if a result is not finite."""
    bad = 0
    ox = 0 if lo > 0 else hi
    while ox < wo:
        v = float32(0)
        for ci in range(cin_g):
            for ky in range(kh):
                iy = map_index(oy - pt + ky, h, mode)
                if iy < 0:
                    continue
                xr = ((c0 + ci) * h + iy) * wd
                q = ((co * cin_g + ci) * kh + ky) * kw
                for kx in range(kw):
                    ix = map_index(ox - pl + kx, wd, mode)
                    if ix >= 0:
                        v += x[xr + ix] * w[q + kx]
        v += b[co]
        a[ao + ox] = v
        bad += (v - v) != 0
        ox = hi if ox + 1 == lo else ox + 1
    if bad and ctrl.shape[0] > 2:
        ctrl[2] = 1


@_internal
def zero(a: np.ndarray, ao: int, start: int, stop: int) -> None:
    """``a[ao + j] = 0`` for start <= j < stop."""
    for j in range(start, stop):
        a[ao + j] = 0.0


@_internal
def add_bias(a: np.ndarray, ao: int, n: int, bias: float, ctrl: np.ndarray) -> None:
    """``a[ao + j] += bias`` for j < n; sets ctrl[2] (when ctrl has it) if a result is not
    finite."""
    bad = 0
    a = a[ao : ao + n]
    for j in range(n):
        v = a[j] + bias
        a[j] = v
        bad += (v - v) != 0  # inf - inf and nan - nan are nan; finite - itself is 0
    if bad and ctrl.shape[0] > 2:
        ctrl[2] = 1


def module_key(kh: int, kw: int, cin_g: int) -> tuple[int, int, bool]:
    """(kh, kw, several input channels) of the module for a kh × kw kernel: up to
    VECTOR_MAX a side each size has its own, with the vector loop for one input channel
    per group or for several (compiling only the one in use); larger kernels share one
    per width, kh 0."""
    if kh <= VECTOR_MAX and kw <= VECTOR_MAX:
        return (kh, kw, cin_g > 1)
    return (0, kw, False)


def _folder() -> Path:
    """Where the generated modules (and, beside them, numba's cache of them) live."""
    root = os.environ.get("NUMBA_CACHE_DIR")
    if root:
        return Path(root) / "convviz-rows"
    return paths.cache_dir() / "rows"


_loaded: dict[tuple[int, int, bool], ModuleType] = {}


def rows_module(kh: int, kw: int, cin_g: int = 1) -> ModuleType:
    """The compiled-on-demand module for a kh × kw kernel (kw 1 .. MAX_WIDTH) with cin_g
    input channels per group.

    Its file name carries a fingerprint of this generator, so an upgrade or an
    edit writes (and compiles) a new module instead of loading a stale cache.
    """
    key = module_key(kh, kw, cin_g)
    if key in _loaded:
        return _loaded[key]
    if not 1 <= kw <= MAX_WIDTH:
        raise ValueError(f"no generated row kernel for width {kw}")
    text = module_source(*key)
    sources = (__file__, cpu_rows_source.__file__, cpu_simd.__file__, cellmath.__file__)
    here = b"".join(Path(f).read_bytes() for f in sources)
    digest = hashlib.sha256(here + text.encode() + __version__.encode()).hexdigest()[:16]
    name = f"convviz_rows_{key[0]}x{kw}{'_multi' if key[2] else ''}_{digest}"
    path = None
    for folder in (_folder(), Path(tempfile.gettempdir()) / "convviz-rows"):
        path = folder / f"{name}.py"
        try:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                folder.mkdir(parents=True, exist_ok=True)
                tmp = folder / f".{name}.{os.getpid()}.tmp"
                tmp.write_text(text, encoding="utf-8")
                os.replace(tmp, path)  # atomic: another process may be reading it
            break
        except OSError:
            continue  # not writable: the next folder
    assert path is not None
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    _loaded[key] = module
    return module
