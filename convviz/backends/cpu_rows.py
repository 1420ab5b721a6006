"""cpu-parallel's fast path for stride 1: several output rows per pass, one kernel width at a time.

Output rows oy0, oy0+1, oy0+2 of one channel read overlapping input rows: input
row oy0 - pt + s feeds kernel row s of output row oy0, kernel row s-1 of oy0+1
and s-2 of oy0+2. So a block walks the input rows once, and each pass along a
row adds a group of 3 or 4 taps (consecutive columns of one kernel row) to up to
three accumulator rows from the same loaded input values: fewer loads per
multiply-add than one output row at a time. The few border columns, where a
kernel row reaches into the padding, take every tap through map_index instead.

The passes are unrolled for speed, and unrolled code for every kernel width is
a lot of code to compile. So the unrolled ``feed`` (and the block and the loop
over blocks that call it) is generated as Python source for one kernel width at
a time, written to a small module in the cache folder and compiled by numba
with ``cache=True``: the first 3×3 run compiles the 3-wide kernel only, later
launches load it from the cache. This is the one family of unrolled row
functions in the project; every other loop is a plain loop. The loop over
blocks runs a range of blocks: :mod:`convviz.backends.cpu` hands ranges to
threads (no ``parallel=True``, whose compile took longer than all the rest), and
``feed`` and the block are inlined into it: one function for LLVM to optimise.

Every cell still receives exactly cell_value's additions in cell_value's order
(input channel, kernel row, kernel column, then the bias): a pass touches each
row's cells with that row's own taps in order, and passes visit the kernel rows
of any one output row in increasing order. Interleaving the additions of
different cells changes nothing, since they are independent. No fastmath, so
no FMA and no reassociation: bit for bit the ``cpu`` backend.
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

from convviz.core import cellmath, paths
from convviz.version import __version__

#: helpers called from compiled code only: no wrapper to call them from Python, so the
#: dispatchers it makes are opaque here (numba's stubs do not list no_cpython_wrapper)
_internal: Callable[[Callable[..., Any]], Any] = njit(  # type: ignore[call-overload]
    cache=True, nogil=True, no_cpython_wrapper=True
)
map_index = _internal(cellmath.map_index)

#: output rows per block: 3 rows with passes of 3-4 taps measured fastest
#: among 2-5 rows and 3-5 taps (more spills registers)
ROWS = 3
#: the widest kernel row with a generated fast path; wider kernels (and strides
#: or dilations other than 1 across) take cpu.conv_parallel's plain loops
MAX_WIDTH = 32


@_internal
def edge(
    a: np.ndarray,
    ao: int,
    x: np.ndarray,
    xo: int,
    wd: int,
    w: np.ndarray,
    q: int,
    kw: int,
    pl: int,
    mode: int,
    start: int,
    stop: int,
) -> None:
    """Kernel row ``w[q : q + kw]`` (columns in order) on the output cells ``a[ao + j]``,
    start <= j < stop, of input row ``x[xo : xo + wd]``, every tap through map_index."""
    for k in range(kw):
        wv = w[q + k]
        for j in range(start, stop):
            ix = map_index(j - pl + k, wd, mode)
            if ix >= 0:
                a[ao + j] += x[xo + ix] * wv


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


def groups(kw: int) -> list[tuple[int, int]]:
    """Kernel columns (k0, k1) of each pass: groups of 3 or 4 (fewer when kw < 3 or kw == 5)."""
    ng = (kw + 3) // 4
    return [(g * kw // ng, (g + 1) * kw // ng) for g in range(ng)]


def feed_source(kw: int) -> str:
    """``feed(m, a, o0, o1, o2, r, ro, wk, q0, q1, q2, n)``: kernel rows into output rows.

    Cells ``a[o_i + j]`` (j < n) of the first ``m`` accumulator rows i take the
    kw taps ``wk[q_i + k] * r[ro + j + k]`` of their kernel row, in k order.
    Unrolled: a pass per group of kernel columns with its weights in locals, so
    the loop along j vectorises. Flat arrays and offsets, not slices: far less
    code for LLVM to optimise, which is most of the compile time.
    """
    out = [
        "def feed(m, a, o0, o1, o2, r, ro, wk, q0, q1, q2, n):",
        "    a0, a1, a2 = a[o0 : o0 + n], a[o1 : o1 + n], a[o2 : o2 + n]",
        f"    r = r[ro : ro + n + {kw - 1}]",
    ]
    for m in (3, 2, 1):
        out.append(f"    {'if' if m == 3 else 'elif'} m == {m}:" if m > 1 else "    else:")
        for k0, k1 in groups(kw):
            ks, rows = range(k0, k1), range(m)
            for i in rows:
                out.append("        " + ", ".join(f"c{i}_{k}" for k in ks) + " = ")
                out[-1] += ", ".join(f"wk[q{i} + {k}]" for k in ks)
            out.append("        for j in range(n):")
            for k in ks:
                out.append(f"            x{k} = r[j + {k}]")
            for i in rows:
                out.append(f"            v{i} = a{i}[j]")
            for k in ks:
                for i in rows:
                    out.append(f"            v{i} += x{k} * c{i}_{k}")
            for i in rows:
                out.append(f"            a{i}[j] = v{i}")
    return "\n".join(out) + "\n"


_MODULE = '''"""Generated by convviz.backends.cpu_rows for kernels {kw} wide. Do not edit."""

from numba import njit

from convviz.backends.cpu_rows import ROWS, add_bias, edge, map_index

KW = {kw}


@njit(cache=True, nogil=True, no_cpython_wrapper=True, inline="always")
{feed}

@njit(cache=True, nogil=True, no_cpython_wrapper=True, inline="always")
def block(x, h, wd, w, cin_g, kh, b, out, ho, wo, co, c0, oy0, nr, pt, pl, mode, ctrl):
    \"\"\"Output rows oy0 .. oy0+nr-1 (nr <= ROWS) of channel co; arrays flattened.\"\"\"
    base = (co * ho + oy0) * wo
    zero = out[base : base + nr * wo]
    for j in range(nr * wo):
        zero[j] = 0.0
    # interior: the columns where the whole kernel row reads inside the input
    lo = pl if pl < wo else wo
    hi = wd + pl - KW + 1
    hi = wo if hi > wo else hi
    hi = lo if hi < lo else hi
    if hi > lo:
        for ci in range(cin_g):
            wbase = (co * cin_g + ci) * kh * KW
            xbase = (c0 + ci) * h * wd
            for s in range(kh + nr - 1):
                iy = map_index(oy0 - pt + s, h, mode)
                if iy < 0:
                    continue  # a row of zero padding, skipped as cell_value skips it
                # output rows oy0+i0 .. oy0+i1 use this input row, row oy0+i with kernel row s-i
                i0 = s - kh + 1 if s >= kh else 0
                i1 = s if s < nr else nr - 1
                s1 = i0 + 1 if i0 + 1 < i1 else i1
                s2 = i0 + 2 if i0 + 2 < i1 else i1
                feed(
                    i1 - i0 + 1,
                    out,
                    base + i0 * wo + lo,
                    base + s1 * wo + lo,
                    base + s2 * wo + lo,
                    x,
                    xbase + iy * wd + lo - pl,
                    w,
                    wbase + (s - i0) * KW,
                    wbase + (s - s1) * KW,
                    wbase + (s - s2) * KW,
                    hi - lo,
                )
    if lo > 0 or hi < wo:  # border columns: every tap through map_index
        for ci in range(cin_g):
            wbase = (co * cin_g + ci) * kh * KW
            xbase = (c0 + ci) * h * wd
            for s in range(kh + nr - 1):
                iy = map_index(oy0 - pt + s, h, mode)
                if iy < 0:
                    continue
                i0 = s - kh + 1 if s >= kh else 0
                i1 = s if s < nr else nr - 1
                for i in range(i0, i1 + 1):
                    q = wbase + (s - i) * KW
                    xrow = xbase + iy * wd
                    edge(out, base + i * wo, x, xrow, wd, w, q, KW, pl, mode, 0, lo)
                    edge(out, base + i * wo, x, xrow, wd, w, q, KW, pl, mode, hi, wo)
    for i in range(nr):
        add_bias(out, base + i * wo, wo, b[co], ctrl)


@njit(cache=True, nogil=True)
def conv(x, h, wd, w, cin_g, kh, b, out, c_out, ho, wo, pt, pl, mode, groups, ctrl, first, last):
    """Blocks first .. last-1 of ROWS output rows (of c_out * ceil(ho / ROWS)); flattened."""
    nb = (ho + ROWS - 1) // ROWS
    for item in range(first, last):
        if ctrl[1] != 0:
            return
        co = item // nb
        oy0 = (item - co * nb) * ROWS
        nr = ho - oy0 if ho - oy0 < ROWS else ROWS
        c0 = (co // (c_out // groups)) * cin_g
        block(x, h, wd, w, cin_g, kh, b, out, ho, wo, co, c0, oy0, nr, pt, pl, mode, ctrl)
        ctrl[0] += wo * nr  # approximate under parallel updates; for progress only
'''


def module_source(kw: int) -> str:
    """The generated module for kernels ``kw`` columns wide."""
    return _MODULE.format(kw=kw, feed=feed_source(kw))


def _folder() -> Path:
    """Where the generated modules (and, beside them, numba's cache of them) live."""
    root = os.environ.get("NUMBA_CACHE_DIR")
    if root:
        return Path(root) / "convviz-rows"
    return paths.cache_dir() / "rows"


_loaded: dict[int, ModuleType] = {}


def rows_module(kw: int) -> ModuleType:
    """The compiled-on-demand module for kernel width ``kw`` (1 .. MAX_WIDTH).

    Its file name carries a fingerprint of this generator, so an upgrade or an
    edit writes (and compiles) a new module instead of loading a stale cache.
    """
    if kw in _loaded:
        return _loaded[kw]
    if not 1 <= kw <= MAX_WIDTH:
        raise ValueError(f"no generated row kernel for width {kw}")
    text = module_source(kw)
    here = Path(__file__).read_bytes() + Path(cellmath.__file__).read_bytes()
    digest = hashlib.sha256(here + text.encode() + __version__.encode()).hexdigest()[:16]
    name = f"convviz_rows_k{kw}_{digest}"
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
    _loaded[kw] = module
    return module
